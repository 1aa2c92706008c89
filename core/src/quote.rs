//! Quoting evidence into the answer: the learner argues from a log line, a table row or what a
//! colleague said, so one action puts it into Reasoning as a Markdown block quote that names where
//! it came from. The page hands over the text as the browser lays it out (`innerText`, or the
//! selected part); this turns it into a quote the preview and the evaluator read as one.

/// `reasoning` with `text` appended as a block quote from `source` ("Edge CPU by region",
/// "Query the gateway's drop counter, T+5 min"), separated from what is there by a blank line and
/// followed by one, so typing goes on below it. `None` when `text` has nothing to quote.
pub fn quote_into(reasoning: &str, text: &str, source: &str) -> Option<String> {
    let quote = block_quote(text, source)?;
    let before = reasoning.trim_end();
    let mut out = String::with_capacity(before.len() + quote.len() + 4);
    if !before.is_empty() {
        out.push_str(before);
        out.push_str("\n\n");
    }
    out.push_str(&quote);
    out.push_str("\n\n");
    Some(out)
}

/// `text` as Markdown quote lines, then the source on a line of its own inside the quote.
fn block_quote(text: &str, source: &str) -> Option<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    // Table cells arrive separated by tabs; a tab at a line's start would make an indented code
    // block of the rest, and between cells it reads as nothing.
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| {
            l.split('\t')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    let first = lines.iter().position(|l| !l.is_empty())?;
    let last = lines.iter().rposition(|l| !l.is_empty())?;
    let mut out = String::new();
    let mut blank = false;
    for line in &lines[first..=last] {
        if line.is_empty() {
            // Runs of blank lines become one paragraph break.
            blank = true;
            continue;
        }
        if blank {
            out.push_str(">\n");
            blank = false;
        }
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    let source = source.split_whitespace().collect::<Vec<_>>().join(" ");
    if !source.is_empty() {
        out.push_str(">\n> \u{2014} ");
        out.push_str(&source);
        out.push('\n');
    }
    Some(out.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::md::render_untrusted;

    #[test]
    fn quotes_into_an_empty_answer_with_its_source() {
        assert_eq!(
            quote_into("", "drops: 41,200/s", "Gateway drop counter, T+5 min").unwrap(),
            "> drops: 41,200/s\n>\n> \u{2014} Gateway drop counter, T+5 min\n\n"
        );
    }

    #[test]
    fn appends_after_a_blank_line_whatever_the_answer_ends_with() {
        for before in [
            "My theory.",
            "My theory.\n",
            "My theory.\n\n\n",
            "My theory.  ",
        ] {
            assert_eq!(
                quote_into(before, "a line", "Log").unwrap(),
                "My theory.\n\n> a line\n>\n> \u{2014} Log\n\n",
                "{before:?}"
            );
        }
    }

    #[test]
    fn keeps_paragraphs_and_joins_table_cells() {
        let text = "\r\n\n  first line\r\nsecond\n\n\n\nafter a gap\n09:19\t100\t\t98\n\n";
        assert_eq!(
            quote_into("", text, "").unwrap(),
            "> first line\n> second\n>\n> after a gap\n> 09:19 | 100 | 98\n\n"
        );
    }

    #[test]
    fn nothing_to_quote_changes_nothing() {
        assert_eq!(quote_into("kept", " \n\t\n ", "Log"), None);
        assert_eq!(quote_into("kept", "", "Log"), None);
    }

    #[test]
    fn renders_as_one_quote_with_its_source_inside() {
        let md = quote_into(
            "Before.",
            "line one\nline two\n\nsecond paragraph",
            "Ask Ana,\n T+10 min",
        )
        .unwrap();
        let html = render_untrusted(&md);
        assert_eq!(html.matches("<blockquote>").count(), 1, "{html}");
        assert!(html.starts_with("<p>Before.</p>\n<blockquote>"), "{html}");
        assert!(
            html.contains("<p>\u{2014} Ask Ana, T+10 min</p>\n</blockquote>"),
            "{html}"
        );
        assert!(!html.contains("<pre>"), "{html}");
    }

    #[test]
    fn a_cell_indented_by_a_tab_is_not_turned_into_code() {
        let md = quote_into("", "\t\tindented cell\tnext", "").unwrap();
        assert!(!render_untrusted(&md).contains("<code>"));
    }
}
