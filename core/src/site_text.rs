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
