//! Checking that evidence a model quotes is really in the learner's answer. Models paraphrase and
//! sometimes invent; a quote that is not there is shown as unverified, never as fact.

/// Folds text for comparison: lowercase, curly quotes and dashes made plain, whitespace collapsed.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2032}' | '`' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' | '«' | '»' => '"',
            '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{00a0}' => ' ',
            c => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Whether `quote` occurs in `answer`. A quote elided with `...` or `…` must have every piece
/// present, in order. Surrounding quotation marks and a trailing full stop are ignored.
pub fn is_in(quote: &str, answer: &str) -> bool {
    let haystack = normalise(answer);
    let q = normalise(quote);
    let q = q
        .trim_matches(|c| c == '"' || c == '\'' || c == ' ')
        .trim_end_matches('.');
    let pieces: Vec<&str> = q
        .split("...")
        .flat_map(|p| p.split('…'))
        .map(|p| p.trim().trim_end_matches('.'))
        .filter(|p| !p.is_empty())
        .collect();
    if pieces.is_empty() {
        return false;
    }
    let mut from = 0;
    for piece in pieces {
        match haystack[from..].find(piece) {
            Some(i) => from += i + piece.len(),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = "Every PoP failed   in the same minute,\nso it's a global push — not the canary.\nI\u{2019}d pull the \u{201c}kill switch\u{201d} first.";

    #[test]
    fn real_quotes_verify_despite_whitespace_quotes_and_case() {
        assert!(is_in("every PoP failed in the same minute", ANSWER));
        assert!(is_in(
            "\u{201c}so it\u{2019}s a global push - not the canary.\u{201d}",
            ANSWER
        ));
        assert!(is_in("I'd pull the \"kill switch\" first", ANSWER));
        assert!(is_in("Every PoP failed ... not the canary", ANSWER));
        assert!(is_in("Every PoP failed … kill switch", ANSWER));
    }

    #[test]
    fn invented_or_reordered_quotes_do_not() {
        assert!(!is_in("the regex backtracks catastrophically", ANSWER));
        assert!(!is_in("not the canary ... Every PoP failed", ANSWER));
        assert!(!is_in("", ANSWER));
        assert!(!is_in("...", ANSWER));
    }
}
