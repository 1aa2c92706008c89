//! Fills Trunk's built `index.html` with one page: its title, description, base URL and body.
//! Trunk owns the asset links (hashed names, the wasm loader); we only add around them.

use crate::security;
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
pub fn with_bundle(template: &str, js: &str, wasm: &str) -> Result<String, TemplateError> {
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
        "<link rel=\"modulepreload\" href=\"./{js}\" crossorigin=\"anonymous\">\
         <link rel=\"preload\" href=\"./{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">\
         <script type=\"module\">import init from './{js}';await init({{ module_or_path: './{wasm}' }});</script>"
    );
    let head_end = out
        .find("</head>")
        .ok_or_else(|| TemplateError("missing </head>".into()))?;
    out.insert_str(head_end, &loader);
    Ok(out)
}

/// Adds to a template the loader of a bundle its pages load only on demand: a function
/// `window.<global>(arg)` that imports `js`, starts it with `wasm` (once: the browser keeps the
/// module, and its start returns at once when it has run) and calls its export `entry` with `arg`.
/// A browser keeps a failed import too (a dropped connection would fail every later call the
/// same way), so after a failure the next call asks for the script under a new query.
/// A script of the page rather than one inside a bundle, so the names stay content-addressed
/// and relative to the page's `<base>`, and its hash joins the page's policy like every inline script.
pub fn with_lazy_bundle(
    template: &str,
    global: &str,
    entry: &str,
    js: &str,
    wasm: &str,
) -> Result<String, TemplateError> {
    let loader = format!(
        "<script>window.{global}=async(a)=>{{const s=window.{global};let m;try{{m=await import('./{js}'+(s.f?'?try='+s.f:''));}}catch(e){{s.f=(s.f||0)+1;throw e;}}await m.default({{ module_or_path: './{wasm}' }});return m.{entry}(a);}};</script>"
    );
    let head_end = template
        .find("</head>")
        .ok_or_else(|| TemplateError("missing </head>".into()))?;
    let mut out = template.to_string();
    out.insert_str(head_end, &loader);
    Ok(out)
}

/// The template with each stylesheet it links (`<link rel="stylesheet" href="./main-….css">`, as
/// Trunk writes it) replaced by a `<style>` element holding that file's text, which `read` gives
/// by file name; and the names of the files inlined. A page then paints from its HTML alone,
/// without waiting on a second request (issue 11: Lighthouse counts it as render-blocking); the
/// policy allows the element by its hash. A link to anything but a file of the build's root, a
/// file `read` cannot give, or a stylesheet that would end its element early (`</style`) stays
/// a link.
pub fn with_inline_stylesheets(
    template: &str,
    read: impl Fn(&str) -> Option<String>,
) -> (String, Vec<String>) {
    let mut out = String::with_capacity(template.len());
    let mut inlined = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find("<link") {
        let Some(end) = rest[i..].find('>').map(|e| i + e + 1) else {
            break;
        };
        let tag = &rest[i..end];
        out.push_str(&rest[..i]);
        let sheet = stylesheet_file(tag).and_then(|name| Some((read(name)?, name)));
        match sheet {
            Some((css, name)) if !css.to_ascii_lowercase().contains("</style") => {
                out.push_str("<style>");
                out.push_str(&css);
                out.push_str("</style>");
                inlined.push(name.to_string());
            }
            _ => out.push_str(tag),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, inlined)
}

/// The file a `<link rel="stylesheet" href="./name.css">` tag names, if it is one of the
/// build's root (a plain file name: no folder, no query, no other site).
fn stylesheet_file(tag: &str) -> Option<&str> {
    let attr = |name: &str| {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&tag[at..at + tag[at..].find('"')?])
    };
    if attr("rel")? != "stylesheet" {
        return None;
    }
    let name = attr("href")?.strip_prefix("./")?;
    let plain = name.ends_with(".css")
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    plain.then_some(name)
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

/// The referrer policy of every page: an outside link or request never learns which page (which
/// scenario) it came from.
pub const REFERRER_META: &str = "<meta name=\"referrer\" content=\"no-referrer\">";

/// Renders one page from the template.
///
/// The head starts with the character set (it must come within the first 1024 bytes), then the
/// Content-Security-Policy, which applies only to what follows it, so it precedes every script,
/// link and the `<base>`. Its script hashes are the template's inline scripts: the page body is
/// added afterwards, so nothing in it can ever be allowed to run.
pub fn render(template: &str, page: &PageParts<'_>) -> Result<String, TemplateError> {
    Prepared::new(template)?.render(page)
}

/// A template ready to fill many pages: what is the same on every page of a build (the policy
/// with its script hashes, the template without its charset) is worked out once, not per page.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The template, without `trunk serve`'s placeholders and without its `<meta charset>`.
    template: String,
    /// Where its `<title>` element starts and ends.
    title: (usize, usize),
    /// The Content-Security-Policy, escaped for an attribute.
    policy: String,
}

impl Prepared {
    /// Checks `template` and prepares it; see [`render`].
    pub fn new(template: &str) -> Result<Self, TemplateError> {
        check(template)?;
        let template = &without_serve_placeholders(template);
        let scripts =
            security::inline_scripts(template).map_err(|e| TemplateError(e.to_string()))?;
        let styles = security::inline_styles(template).map_err(|e| TemplateError(e.to_string()))?;
        let policy = security::content_security_policy(&scripts, &styles);
        let template = without_charset(template);
        let title_start = template.find("<title>").unwrap_or(0);
        let title_end = template[title_start..]
            .find("</title>")
            .map(|i| title_start + i + "</title>".len())
            .ok_or_else(|| TemplateError("unclosed <title>".into()))?;
        Ok(Prepared {
            template,
            title: (title_start, title_end),
            // Quotes in a policy are single (`'self'`): only `&` and `"` need escaping here.
            policy: policy.replace('&', "&amp;").replace('"', "&quot;"),
        })
    }

    /// Renders one page; see [`render`].
    pub fn render(&self, page: &PageParts<'_>) -> Result<String, TemplateError> {
        let (title_start, title_end) = self.title;
        let template = &self.template;
        let head = format!(
            "<head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">{REFERRER_META}<base href=\"{base}\"><meta name=\"leap-build\" content=\"{build}\">",
            policy = self.policy,
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
}

/// `trunk serve` adds a live-reload script whose address and path it fills in as it serves each
/// page, which would change the script after its hash was taken and get it refused. The script
/// finds both itself instead: the page's host, and the site root's path from `<base>`.
fn without_serve_placeholders(template: &str) -> String {
    template
        .replace("'{{__TRUNK_ADDRESS__}}'", "window.location.host")
        .replace(
            "'{{__TRUNK_WS_BASE__}}'",
            "new URL(document.baseURI).pathname",
        )
}

/// The template without its `<meta charset>` (every page declares UTF-8 first thing in its head).
fn without_charset(template: &str) -> String {
    let lower = template.to_ascii_lowercase();
    match lower.find("<meta charset") {
        Some(i) => {
            let end = lower[i..].find('>').map_or(template.len(), |e| i + e + 1);
            format!("{}{}", &template[..i], &template[end..])
        }
        None => template.to_string(),
    }
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
        assert!(out.starts_with("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "), "{out}");
        assert!(out.contains(
            "<meta name=\"referrer\" content=\"no-referrer\"><base href=\"../../\"><meta name=\"leap-build\" content=\"abc\"><title>"
        ), "{out}");
        assert_eq!(out.matches("<meta charset").count(), 1);
        assert!(out
            .contains("<title>A &amp; B</title><meta name=\"description\" content=\"d&quot;q\">"));
        assert!(out.contains("<div id=\"app\"><p>hi</p></div>"));
        assert!(out.contains("import init from './a.js'"));
        assert_eq!(out.matches("<title>").count(), 1);
    }

    // What Trunk 0.21 writes for a main bundle, trimmed.
    const TRUNK: &str = "<!DOCTYPE html><html><head><title>x</title>\n<script type=\"module\">\nimport init, * as bindings from './browse-1a.js';\nconst wasm = await init({ module_or_path: './browse-1a_bg.wasm' });\n</script><link rel=\"modulepreload\" href=\"./browse-1a.js\" crossorigin=\"anonymous\" integrity=\"sha384-x\"><link rel=\"preload\" href=\"./browse-1a_bg.wasm\" crossorigin=\"anonymous\" integrity=\"sha384-y\" as=\"fetch\" type=\"application/wasm\"></head><body><div id=\"app\"><!-- leap:page --></div></body></html>";

    #[test]
    fn a_lazy_bundle_is_loaded_by_a_function_of_the_page_under_its_policy() {
        let page = with_bundle(TRUNK, "settings-0a.js", "settings-0a_bg.wasm").unwrap();
        let out = with_lazy_bundle(
            &page,
            "leapProbe",
            "probe",
            "probe-9f.js",
            "probe-9f_bg.wasm",
        )
        .unwrap();
        let loader = "window.leapProbe=async(a)=>{const s=window.leapProbe;let m;try{m=await import('./probe-9f.js'+(s.f?'?try='+s.f:''));}catch(e){s.f=(s.f||0)+1;throw e;}await m.default({ module_or_path: './probe-9f_bg.wasm' });return m.probe(a);};";
        assert!(
            out.contains(&format!("<script>{loader}</script></head>")),
            "{out}"
        );
        // Nothing of it is fetched before it is called.
        assert!(!out.contains("href=\"./probe-9f"), "{out}");
        let prepared = Prepared::new(&out).unwrap();
        assert!(
            prepared.policy.contains(&security::hash_source(loader)),
            "{}",
            prepared.policy
        );
        assert!(with_lazy_bundle("<head>", "g", "e", "a", "b").is_err());
    }

    #[test]
    fn swaps_the_loader_for_another_bundle() {
        let out = with_bundle(TRUNK, "practice-0a1b.js", "practice-0a1b_bg.wasm").unwrap();
        assert!(!out.contains("browse-1a"), "{out}");
        assert!(out.contains("import init from './practice-0a1b.js';await init({ module_or_path: './practice-0a1b_bg.wasm' });"));
        assert!(out.contains("<link rel=\"preload\" href=\"./practice-0a1b_bg.wasm\" as=\"fetch\""));
        assert!(out.contains(BODY_MARKER));
        assert_eq!(
            with_bundle("<head></head>", "a", "b").unwrap_err().0,
            "Trunk's loader script for the browse bundle is missing"
        );
    }

    fn page(template: &str, body: &str) -> String {
        render(
            template,
            &PageParts {
                title: "t",
                description: "d",
                base_href: "./",
                build: "b",
                body,
            },
        )
        .unwrap()
    }

    /// The policy a rendered page carries.
    fn policy(html: &str) -> &str {
        let start = html
            .find("<meta http-equiv=\"Content-Security-Policy\" content=\"")
            .expect("no CSP meta")
            + "<meta http-equiv=\"Content-Security-Policy\" content=\"".len();
        &html[start..start + html[start..].find('"').unwrap()]
    }

    #[test]
    fn every_page_allows_its_template_scripts_and_no_script_of_its_body() {
        let trunk_loader = "\nimport init, * as bindings from './browse-1a.js';\nconst wasm = await init({ module_or_path: './browse-1a_bg.wasm' });\n";
        let out = page(
            TRUNK,
            "<p>hi</p><script>alert(1)</script><script>alert(2)</script>",
        );
        let csp = policy(&out);
        let script_src = csp
            .split("; ")
            .find(|d| d.starts_with("script-src "))
            .unwrap();
        assert_eq!(
            script_src,
            format!(
                "script-src 'self' 'wasm-unsafe-eval' {}",
                security::hash_source(trunk_loader)
            )
        );
        assert!(!csp.contains(&security::hash_source("alert(1)")));

        // The practice pages' own loader, written by the generator, is what their policy allows.
        let practice = with_bundle(TRUNK, "practice-0a1b.js", "practice-0a1b_bg.wasm").unwrap();
        let out = page(&practice, "");
        let loader = "import init from './practice-0a1b.js';await init({ module_or_path: './practice-0a1b_bg.wasm' });";
        assert!(out.contains(&format!("<script type=\"module\">{loader}</script>")));
        assert!(policy(&out).contains(&format!(
            "'wasm-unsafe-eval' {};",
            security::hash_source(loader)
        )));
        assert!(!policy(&out).contains(&security::hash_source(trunk_loader)));
    }

    #[test]
    fn the_policy_comes_before_anything_it_governs() {
        let out = page(T, "<p>hi</p>");
        let csp = out.find("Content-Security-Policy").unwrap();
        for later in ["<base", "<script", "<link", "<title>"] {
            assert!(
                out.find(later).unwrap() > csp,
                "{later} precedes the policy"
            );
        }
        // The character set must be declared within the first 1024 bytes.
        assert!(out.find("<meta charset=\"utf-8\">").unwrap() < 1024 - 22);
        assert!(out.contains(REFERRER_META));
        assert!(!policy(&out).contains('"') && !policy(&out).contains('<'));
    }

    #[test]
    fn trunk_serves_its_reload_script_unchanged_so_its_hash_holds() {
        // As trunk serve's autoreload.js begins; the server fills the placeholders in on the fly.
        let reload = "\"use strict\";\n(function () {\n    const address = '{{__TRUNK_ADDRESS__}}';\n    const base = '{{__TRUNK_WS_BASE__}}';\n    let protocol = '';\n})()";
        let template = TRUNK.replace("</body>", &format!("<script>{reload}</script></body>"));
        let out = page(&template, "");
        assert!(!out.contains("{{__TRUNK"), "{out}");
        let served = "\"use strict\";\n(function () {\n    const address = window.location.host;\n    const base = new URL(document.baseURI).pathname;\n    let protocol = '';\n})()";
        assert!(out.contains(&format!("<script>{served}</script>")), "{out}");
        assert!(policy(&out).contains(&security::hash_source(served)));
    }

    #[test]
    fn an_unclosed_script_in_the_template_is_an_error() {
        let err = render(
            "<head><title>x</title><script>boot()</head><body><!-- leap:page --></body>",
            &PageParts {
                title: "t",
                description: "d",
                base_href: "./",
                build: "b",
                body: "",
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "index.html template: a <script> at byte 22 has no </script>: close it so its content can be hashed"
        );
    }

    #[test]
    fn inlines_the_stylesheet_and_allows_it_by_hash() {
        let trunk = TRUNK.replace(
            "<title>x</title>",
            "<title>x</title><link rel=\"stylesheet\" href=\"./main-9f.css\" integrity=\"sha384-z\"/><link rel=\"icon\" href=\"./icon-1.svg\"/>",
        );
        let css = "main{color:red}\n@media (min-width:60em){.a{b:c}}";
        let (inlined, files) =
            with_inline_stylesheets(&trunk, |name| (name == "main-9f.css").then(|| css.into()));
        assert_eq!(files, ["main-9f.css"]);
        assert!(
            inlined.contains(&format!(
                "<title>x</title><style>{css}</style><link rel=\"icon\" href=\"./icon-1.svg\"/>"
            )),
            "{inlined}"
        );
        assert!(!inlined.contains("stylesheet"), "{inlined}");
        let out = page(&inlined, "<style>p{}</style>");
        let style_src = policy(&out)
            .split("; ")
            .find(|d| d.starts_with("style-src "))
            .unwrap()
            .to_string();
        assert!(
            style_src.contains(&security::hash_source(css)),
            "{style_src}"
        );
        // What a page's body carries is never allowed.
        assert!(
            !style_src.contains(&security::hash_source("p{}")),
            "{style_src}"
        );

        // A stylesheet that cannot be inlined safely, or found, stays linked.
        for (css, file) in [
            ("a{}</style><script>x()</script>", "main-9f.css"),
            ("a{}", "other.css"),
        ] {
            let (kept, files) =
                with_inline_stylesheets(&trunk, |name| (name == file).then(|| css.into()));
            assert!(files.is_empty());
            assert_eq!(kept, trunk);
        }
        for tag in [
            "<link rel=\"stylesheet\" href=\"https://cdn.example/a.css\">",
            "<link rel=\"stylesheet\" href=\"./css/a.css\">",
            "<link rel=\"preload\" href=\"./a.css\">",
        ] {
            let (kept, files) = with_inline_stylesheets(tag, |_| Some("a{}".into()));
            assert!(files.is_empty(), "{tag}");
            assert_eq!(kept, tag);
        }
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
