//! Bidirectional-text control characters ("Trojan Source", CVE-2021-42574): invisible characters
//! that reorder how the text after them is displayed, so a title, a criterion or a file name reads
//! differently from what was written and reviewed. Content may not contain them, neither literally
//! nor written as an escape (`&#x202E;` in Markdown or SVG, `\u202E` in TOML).

use super::diagnostics::Diagnostic;
use super::source::SourceFile;
use std::borrow::Cow;

/// Characters that embed, override or isolate the direction of the text that follows them.
pub const CONTROLS: &[(char, &str)] = &[
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
];

/// Invisible direction marks. Right-to-left prose needs them to place punctuation, and they cannot
/// reverse a run of letters, so text may hold them; a file name never needs one.
pub const MARKS: &[(char, &str)] = &[
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{061C}', "ARABIC LETTER MARK"),
];

/// What to do about one.
pub const FIX: &str =
    "remove it: it makes the text display in a different order from how it is written";

/// The Unicode name of a control character, if `c` is one.
pub fn control_name(c: char) -> Option<&'static str> {
    if !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
        return None;
    }
    CONTROLS.iter().find(|(k, _)| *k == c).map(|(_, n)| *n)
}

/// Every control character in `text`, with its byte offset. Each is three bytes in UTF-8 and
/// starts with 0xE2, so only the places holding that byte are decoded: a pack is mostly ASCII,
/// and scanning for one byte is many times faster than decoding every character.
fn controls(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    memchr::memchr_iter(0xE2, text.as_bytes()).filter_map(move |at| {
        let c = text.get(at..)?.chars().next()?;
        control_name(c).map(|_| (at, c))
    })
}

/// The Unicode name of a control character or direction mark, if `c` is one.
fn any_name(c: char) -> Option<&'static str> {
    control_name(c).or_else(|| MARKS.iter().find(|(k, _)| *k == c).map(|(_, n)| *n))
}

/// `U+202E (RIGHT-TO-LEFT OVERRIDE)`.
pub fn describe(c: char) -> String {
    match any_name(c) {
        Some(name) => format!("U+{:04X} ({name})", u32::from(c)),
        None => format!("U+{:04X}", u32::from(c)),
    }
}

/// The first control character in `text`, with its byte offset.
pub fn find_control(text: &str) -> Option<(usize, char)> {
    controls(text).next()
}

/// The first control character or direction mark in a file name.
pub fn find_in_name(name: &str) -> Option<char> {
    name.chars().find(|c| any_name(*c).is_some())
}

/// How many of them one file reports: locating each costs a scan of its line, and a file made
/// of thousands on one line would otherwise stall the build.
const MAX_PER_FILE: usize = 50;

/// Every control character written literally in `file` (up to 50), each located.
pub fn literal(file: &SourceFile) -> Vec<Diagnostic> {
    controls(&file.text)
        .take(MAX_PER_FILE)
        .map(|(at, c)| {
            file.error_at(
                at,
                format!("bidirectional control character {}", describe(c)),
                FIX,
            )
        })
        .collect()
}

/// A control character that `decoded` (the value read from `raw`, found at byte `at` of `file`)
/// holds but `raw` does not: it was written as an escape, which [`literal`] cannot see. One written
/// literally is left to [`literal`], so it is reported once, at its exact column.
pub fn escaped(
    file: &SourceFile,
    at: usize,
    raw: &str,
    decoded: &str,
    how: &str,
) -> Option<Diagnostic> {
    let (_, c) = controls(decoded).find(|(_, c)| !raw.contains(*c))?;
    Some(file.error_at(
        at,
        format!(
            "bidirectional control character {} written as {how}",
            describe(c)
        ),
        FIX,
    ))
}

/// `text` with every control character and direction mark shown as `<U+202E>`, so a message that
/// quotes content cannot itself be reordered on the author's terminal.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| any_name(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match any_name(c) {
                Some(_) => format!("<U+{:04X}>", u32::from(c)),
                None => c.to_string(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_is_found_at_its_column() {
        for (c, name) in CONTROLS {
            let f = SourceFile::new("x.md", format!("title = \"ab{c}cd\"\n"));
            let d = literal(&f);
            assert_eq!(d.len(), 1, "{name}");
            assert_eq!((d[0].line, d[0].column), (1, 12), "{name}");
            assert!(d[0].problem.contains(name), "{}", d[0].problem);
        }
        assert!(literal(&SourceFile::new("x.md", "plain — text, مرحبا\u{200F}!")).is_empty());
        let flood = SourceFile::new("x.md", "\u{202E}".repeat(300_000));
        assert_eq!(literal(&flood).len(), MAX_PER_FILE);
    }

    #[test]
    fn an_escape_is_reported_once_and_a_literal_is_left_to_the_scan() {
        let f = SourceFile::new("x.md", "a &#x202E; b\n");
        let d = escaped(&f, 2, "&#x202E;", "\u{202E}", "an HTML entity").unwrap();
        assert_eq!(
            d.to_string(),
            "x.md:1:3: bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE) written as an HTML entity — remove it: it makes the text display in a different order from how it is written"
        );
        assert!(escaped(&f, 0, "a\u{202E}", "a\u{202E}", "x").is_none());
        assert!(escaped(&f, 0, "abc", "abc", "x").is_none());
    }

    #[test]
    fn the_byte_scan_finds_what_decoding_every_character_finds() {
        // Neighbours sharing the 0xE2 lead byte (dashes, quotes, U+2065, U+206A) are not controls.
        let text = "a—b\u{202A}“c”\u{2065}\u{2066}\u{206A}é\u{2069}\u{202E}\u{202F}\u{2029}";
        let naive: Vec<(usize, char)> = text
            .char_indices()
            .filter(|(_, c)| CONTROLS.iter().any(|(k, _)| k == c))
            .collect();
        assert_eq!(controls(text).collect::<Vec<_>>(), naive);
        assert_eq!(naive.len(), 4);
        for c in '\u{2000}'..='\u{20FF}' {
            assert_eq!(
                control_name(c).is_some(),
                CONTROLS.iter().any(|(k, _)| *k == c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn names_refuse_marks_too() {
        assert_eq!(find_in_name("flow\u{200F}.svg"), Some('\u{200F}'));
        assert_eq!(find_in_name("flow\u{2066}.svg"), Some('\u{2066}'));
        assert_eq!(find_in_name("flow.svg"), None);
        assert_eq!(find_control("ab\u{2069}"), Some((2, '\u{2069}')));
    }

    #[test]
    fn escape_makes_controls_visible() {
        assert_eq!(escape("evil\u{202E}gvs.txt"), "evil<U+202E>gvs.txt");
        assert!(matches!(escape("plain"), Cow::Borrowed("plain")));
    }
}
