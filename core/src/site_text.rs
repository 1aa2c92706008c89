//! Words and labels both the static pages and the app show, kept in one place so they agree.

use crate::baked::ScenarioSummary;

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The footer's promise, on every page.
pub const FOOTER: &str =
    "Your drafts and attempts stay in this browser. No tracking, no accounts, no server of ours.";

/// The settings page's opening paragraph. The pre-rendered page carries it too: it is the page's
/// largest text, so it is painted with the first frame instead of when the app arrives.
pub const SETTINGS_LEAD: &str = "After you commit an answer, an AI evaluator can read it against the rubric and tell you what you caught, what you missed and why it matters. It runs from this page with your own key, or with a model on your own machine.";

/// What the progress page says about the learner's data; pre-rendered too, for the same reason.
pub const YOUR_DATA: &str = "Everything lives in this browser. Export it as one file to keep a copy or move it to another browser; importing merges, skipping what is already here and replacing nothing.";

/// The `<title>` of a page: "Page — Site", or the site's name alone.
pub fn title(site_title: &str, page: Option<&str>) -> String {
    match page {
        Some(p) => format!("{p} — {site_title}"),
        None => site_title.to_string(),
    }
}

/// "25 min".
pub fn minutes_label(minutes: u32) -> String {
    format!("{minutes} min")
}

/// The competencies, joined for one line.
pub fn competency_line(s: &ScenarioSummary) -> String {
    s.competencies
        .iter()
        .map(|c| c.label())
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape("<a href=\"x\">R&D's</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
    }
}
