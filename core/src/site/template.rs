//! Fills Trunk's built `index.html` with one page: its title, description, base URL and body.
//! Trunk owns the asset links (hashed names, the wasm loader); we only add around them.

use crate::site_text::escape;

/// The marker in `index.html` that the page body replaces.
pub const BODY_MARKER: &str = "<!-- leap:page -->";

/// A template that lacks what the generator needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "index.html template: {}", self.0)
    }
}

impl std::error::Error for TemplateError {}

/// What a page puts into the template.
pub struct PageParts<'a> {
    /// The `<title>`.
    pub title: &'a str,
    /// The description for link previews.
    pub description: &'a str,
    /// The `<base href>`.
    pub base_href: &'a str,
    /// The build id the app adds to data URLs.
    pub build: &'a str,
    /// The body HTML.
    pub body: &'a str,
}

/// Checks that the template has what every page needs.
pub fn check(template: &str) -> Result<(), TemplateError> {
    for (needle, what) in [("<head>", "a <head> tag"), ("<title>", "a <title>"), (BODY_MARKER, "the body marker `<!-- leap:page -->`")] {
        if !template.contains(needle) {
            return Err(TemplateError(format!("missing {what}")));
        }
    }
    Ok(())
}

/// Renders one page from the template.
pub fn render(template: &str, page: &PageParts<'_>) -> Result<String, TemplateError> {
    check(template)?;
    let title_start = template.find("<title>").unwrap_or(0);
    let title_end = template[title_start..].find("</title>").map(|i| title_start + i + "</title>".len()).ok_or_else(|| TemplateError("unclosed <title>".into()))?;
    let head = format!(
        "<head><base href=\"{base}\"><meta name=\"leap-build\" content=\"{build}\">",
        base = escape(page.base_href),
        build = escape(page.build),
    );
    let meta = format!(
        "<title>{t}</title><meta name=\"description\" content=\"{d}\"><meta property=\"og:title\" content=\"{t}\"><meta property=\"og:description\" content=\"{d}\"><meta property=\"og:type\" content=\"website\">",
        t = escape(page.title),
        d = escape(page.description),
    );
    let out = format!("{}{}{}", &template[..title_start], meta, &template[title_end..]);
    Ok(out.replacen("<head>", &head, 1).replacen(BODY_MARKER, page.body, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>x</title><link rel=\"stylesheet\" href=\"./s.css\"></head><body><div id=\"app\"><!-- leap:page --></div><script type=\"module\">import init from './a.js';</script></body></html>";

    #[test]
    fn fills_title_base_and_body() {
        let out = render(T, &PageParts { title: "A & B", description: "d\"q", base_href: "../../", build: "abc", body: "<p>hi</p>" }).unwrap();
        assert!(out.contains("<head><base href=\"../../\"><meta name=\"leap-build\" content=\"abc\"><meta charset"));
        assert!(out.contains("<title>A &amp; B</title><meta name=\"description\" content=\"d&quot;q\">"));
        assert!(out.contains("<div id=\"app\"><p>hi</p></div>"));
        assert!(out.contains("import init from './a.js'"));
        assert_eq!(out.matches("<title>").count(), 1);
    }

    #[test]
    fn rejects_a_template_without_marker() {
        assert_eq!(check("<head><title>x</title></head>").unwrap_err().to_string(), "index.html template: missing the body marker `<!-- leap:page -->`");
    }
}
