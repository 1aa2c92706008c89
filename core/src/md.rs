//! Markdown written by learners or returned by a model, rendered for display. The text is not
//! ours, so: raw HTML is shown as text, images are replaced by their description (no request
//! leaves the site), and only web and mail links are kept.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// Renders untrusted Markdown to HTML that is safe to insert into the page.
pub fn render_untrusted(md: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(md, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // The description stays, as text between brackets.
        Event::Start(Tag::Image { .. }) => Event::Text("[image: ".into()),
        Event::End(TagEnd::Image) => Event::Text("]".into()),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if is_web_link(&dest_url) {
                dest_url
            } else {
                "".into()
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    // Links open elsewhere without giving the page a handle on this one.
    out.replace(
        "<a href=\"",
        "<a rel=\"noopener noreferrer nofollow\" target=\"_blank\" href=\"",
    )
}

/// Whether a link goes to a web page or an email address (not `javascript:`, `data:`, a file…).
pub fn is_web_link(url: &str) -> bool {
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| url.starts_with(p))
}

/// How many words a text has.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A quote from Markdown the learner wrote, as the words they would read: bold markers,
/// backticks and list bullets dropped, lines joined with a space. Evidence quotes are shown as
/// plain text, where `**Tell Ana:**` or a leading `- ` would read as noise.
pub fn quote_text(quote: &str) -> String {
    quote
        .lines()
        .map(|line| {
            let line = line.trim();
            let line = ["- ", "* ", "+ "]
                .iter()
                .find_map(|b| line.strip_prefix(b))
                .unwrap_or(line);
            line.replace("**", "").replace('`', "")
        })
        .map(|line| line.trim().to_string())
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_lose_markdown_syntax() {
        assert_eq!(
            quote_text("**Tell Ana:** roll back `payments-api` now"),
            "Tell Ana: roll back payments-api now"
        );
        assert_eq!(
            quote_text("- The dashboards lag.\n- The pager fired at 02:10."),
            "The dashboards lag. The pager fired at 02:10."
        );
        // Words and ordinary punctuation are kept: a hyphen inside a line is not a bullet.
        assert_eq!(quote_text("a read-only - replica"), "a read-only - replica");
        assert_eq!(quote_text("  plain  "), "plain");
    }

    #[test]
    fn untrusted_markdown_cannot_inject_markup_or_requests() {
        let html = render_untrusted("**bold** <script>alert(1)</script> ![x](https://evil.example/p.png) [ok](https://a.example) [bad](javascript:alert(1))");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<img"));
        assert!(html.contains("[image: x]"));
        assert!(html.contains("href=\"https://a.example\""));
        assert!(!html.contains("javascript:"));
    }

    #[test]
    fn untrusted_links_keep_only_web_addresses_however_written() {
        for md in [
            "[a](JaVaScRiPt:alert(1))",
            "[a](java&#x09;script:alert(1))",
            "[a](javascript&#58;alert(1))",
            "[a]( javascript:alert(1))",
            "<javascript:alert(1)>",
            "[a][r]\n\n[r]: javascript:alert(1)",
            "[a](data:text/html;base64,PHNjcmlwdD4=)",
            "[a](vbscript:x)",
            "[a](//evil.example/x)",
        ] {
            let html = render_untrusted(md);
            assert!(html.contains("href=\"\""), "{md}: {html}");
            assert_eq!(
                html.matches("href=\"").count(),
                html.matches("href=\"\"").count(),
                "{md}: {html}"
            );
        }
        let html = render_untrusted("<a href=\"javascript:x\" onclick=\"y\">z</a> <svg onload=x>");
        assert!(
            !html.contains("<a href") && !html.contains("<svg"),
            "{html}"
        );
    }

    #[test]
    fn counts_words() {
        assert_eq!(word_count("  one two\nthree  "), 3);
        assert_eq!(word_count(""), 0);
    }
}
