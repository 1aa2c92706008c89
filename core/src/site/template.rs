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

/// The start of the module script Trunk injects to load the main (browse) bundle.
const TRUNK_LOADER_START: &str = "<script type=\"module\">";

/// Makes the template for pages of a bundle Trunk does not load itself (the practice bundle, built
/// as a Trunk "worker" so that it gets no loader of its own): Trunk's loader and its preload links
/// are replaced by a loader for `js`/`wasm`. `version` busts caches, since those names carry no hash.
pub fn with_bundle(
    template: &str,
    js: &str,
    wasm: &str,
    version: &str,
) -> Result<String, TemplateError> {
    let mut out = template.to_string();
    let start = out
        .find(TRUNK_LOADER_START)
        .filter(|&i| {
            out[i..]
                .find("</script>")
                .is_some_and(|end| out[i..i + end].contains("import init"))
        })
        .ok_or_else(|| {
            TemplateError("Trunk's loader script for the browse bundle is missing".into())
        })?;
    let end = start + out[start..].find("</script>").unwrap_or(0) + "</script>".len();
    out.replace_range(start..end, "");
    for rel in ["<link rel=\"modulepreload\"", "<link rel=\"preload\""] {
        while let Some(i) = out.find(rel) {
            let close = out[i..].find('>').map_or(out.len(), |e| i + e + 1);
            out.replace_range(i..close, "");
        }
    }
    let loader = format!(
        "<link rel=\"modulepreload\" href=\"./{js}?v={version}\" crossorigin=\"anonymous\">\
         <link rel=\"preload\" href=\"./{wasm}?v={version}\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">\
         <script type=\"module\">import init from './{js}?v={version}';await init({{ module_or_path: './{wasm}?v={version}' }});</script>"
    );
    let head_end = out
        .find("</head>")
        .ok_or_else(|| TemplateError("missing </head>".into()))?;
    out.insert_str(head_end, &loader);
    Ok(out)
}

/// Checks that the template has what every page needs.
pub fn check(template: &str) -> Result<(), TemplateError> {
    for (needle, what) in [
        ("<head>", "a <head> tag"),
        ("<title>", "a <title>"),
        (BODY_MARKER, "the body marker `<!-- leap:page -->`"),
    ] {
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
    let title_end = template[title_start..]
        .find("</title>")
        .map(|i| title_start + i + "</title>".len())
        .ok_or_else(|| TemplateError("unclosed <title>".into()))?;
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
    let out = format!(
        "{}{}{}",
        &template[..title_start],
        meta,
        &template[title_end..]
    );
    Ok(out
        .replacen("<head>", &head, 1)
        .replacen(BODY_MARKER, page.body, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>x</title><link rel=\"stylesheet\" href=\"./s.css\"></head><body><div id=\"app\"><!-- leap:page --></div><script type=\"module\">import init from './a.js';</script></body></html>";

    #[test]
    fn fills_title_base_and_body() {
        let out = render(
            T,
            &PageParts {
                title: "A & B",
                description: "d\"q",
                base_href: "../../",
                build: "abc",
                body: "<p>hi</p>",
            },
        )
        .unwrap();
        assert!(out.contains(
            "<head><base href=\"../../\"><meta name=\"leap-build\" content=\"abc\"><meta charset"
        ));
        assert!(out
            .contains("<title>A &amp; B</title><meta name=\"description\" content=\"d&quot;q\">"));
        assert!(out.contains("<div id=\"app\"><p>hi</p></div>"));
        assert!(out.contains("import init from './a.js'"));
        assert_eq!(out.matches("<title>").count(), 1);
    }

    // What Trunk 0.21 writes for a main bundle, trimmed.
    const TRUNK: &str = "<!DOCTYPE html><html><head><title>x</title>\n<script type=\"module\">\nimport init, * as bindings from './browse-1a.js';\nconst wasm = await init({ module_or_path: './browse-1a_bg.wasm' });\n</script><link rel=\"modulepreload\" href=\"./browse-1a.js\" crossorigin=\"anonymous\" integrity=\"sha384-x\"><link rel=\"preload\" href=\"./browse-1a_bg.wasm\" crossorigin=\"anonymous\" integrity=\"sha384-y\" as=\"fetch\" type=\"application/wasm\"></head><body><div id=\"app\"><!-- leap:page --></div></body></html>";

    #[test]
    fn swaps_the_loader_for_another_bundle() {
        let out = with_bundle(TRUNK, "practice.js", "practice_bg.wasm", "v9").unwrap();
        assert!(!out.contains("browse-1a"), "{out}");
        assert!(out.contains("import init from './practice.js?v=v9';await init({ module_or_path: './practice_bg.wasm?v=v9' });"));
        assert!(out.contains("<link rel=\"preload\" href=\"./practice_bg.wasm?v=v9\" as=\"fetch\""));
        assert!(out.contains(BODY_MARKER));
        assert_eq!(
            with_bundle("<head></head>", "a", "b", "c").unwrap_err().0,
            "Trunk's loader script for the browse bundle is missing"
        );
    }

    #[test]
    fn rejects_a_template_without_marker() {
        assert_eq!(
            check("<head><title>x</title></head>")
                .unwrap_err()
                .to_string(),
            "index.html template: missing the body marker `<!-- leap:page -->`"
        );
    }
}
