//! The page's defences that are rules rather than markup: the Content-Security-Policy every
//! generated page carries, and whether the address the site is served from is shared with other
//! sites (which can then read everything this site keeps in the browser, a remembered key
//! included).

/// Where the evaluator may be: this site, any HTTPS server (a provider, a company gateway, any
/// address the learner types in Settings), or a model server on this machine over plain HTTP
/// (Ollama, LM Studio, llama.cpp). Nearly the set `grading::provider::callable_from_https` accepts
/// from an HTTPS page; a pack's suggested gateway cannot narrow it, since learners may choose
/// another provider. `http://[::1]:*` is missing because CSP has no syntax for IPv6 literals:
/// Chromium reports it as invalid and ignores it, so `localhost` is the way to that address.
pub const CONNECT_SOURCES: [&str; 5] = [
    "'self'",
    "https:",
    "http://localhost:*",
    "http://*.localhost:*",
    "http://127.0.0.1:*",
];

/// The only inline `style` attributes pages carry: pulldown-cmark writes them on the cells of a
/// table column aligned with `:--`, `:-:` or `--:`, in content and in rendered answers.
pub const TABLE_ALIGN_STYLES: [&str; 3] = [
    "text-align: left",
    "text-align: center",
    "text-align: right",
];

/// Hosting services that serve every site of one account from the same origin
/// (`https://<account>.<suffix>/<project>/`), with the service's name.
const SHARED_HOSTS: [(&str, &str); 3] = [
    (".github.io", "GitHub Pages"),
    (".gitlab.io", "GitLab Pages"),
    (".codeberg.page", "Codeberg Pages"),
];

/// Who else can read this site's browser storage, judged from the site root's URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginSharing {
    /// The site is at the root of an address of its own.
    Own,
    /// A hosting service serves other sites of the same account from this origin.
    SharedHost {
        /// The service ("GitHub Pages").
        service: &'static str,
        /// The shared origin (`https://acme.github.io`).
        origin: String,
    },
    /// The site is served under a path, so other pages may live on the same origin.
    SubPath {
        /// The origin (`https://example.com`).
        origin: String,
        /// The path the site is served under (`/leap/`).
        path: String,
    },
}

/// Judges who shares the origin of the site whose root is `root_url`
/// (`https://acme.github.io/senior-leap/`). Anything that is not an absolute http(s) URL is
/// treated as a sub-path of an unknown origin: when unsure, warn.
pub fn origin_sharing(root_url: &str) -> OriginSharing {
    let Some((scheme, rest)) = root_url.split_once("://") else {
        return OriginSharing::SubPath {
            origin: root_url.to_string(),
            path: "/".into(),
        };
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = authority.to_ascii_lowercase();
    let origin = format!("{}://{authority}", scheme.to_ascii_lowercase());
    let host = host_of(&authority);
    if let Some((_, service)) = SHARED_HOSTS.iter().find(|(suffix, _)| {
        host.len() > suffix.len() && host.trim_end_matches('.').ends_with(suffix)
    }) {
        return OriginSharing::SharedHost { service, origin };
    }
    let path = tail.split(['?', '#']).next().unwrap_or("");
    let path = if path.is_empty() { "/" } else { path };
    if path == "/" {
        OriginSharing::Own
    } else {
        OriginSharing::SubPath {
            origin,
            path: path.to_string(),
        }
    }
}

/// The host of an authority (`user@host:port`, `[::1]:8080`), without user or port.
fn host_of(authority: &str) -> &str {
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.starts_with('[') {
        return host.split(']').next().map_or(host, |h| &h[1..]);
    }
    host.split(':').next().unwrap_or(host)
}

impl OriginSharing {
    /// What Settings tells the learner before they choose to remember a key, if anything.
    pub fn notice(&self) -> Option<String> {
        let (whose, origin) = match self {
            OriginSharing::Own => return None,
            OriginSharing::SharedHost { service, origin } => (
                format!("{origin}, an address {service} gives every site of the same account"),
                origin,
            ),
            OriginSharing::SubPath { origin, path } => (
                format!("{path} on {origin}, an address other pages may share"),
                origin,
            ),
        };
        Some(format!(
            "This site is served from {whose}. Every page served from {origin} can read what this site keeps in this browser, including a key you ask it to remember. Leave \u{201c}Remember on this device\u{201d} unticked here, or use this site from an address of its own (a custom domain)."
        ))
    }
}

#[cfg(feature = "compiler")]
pub use policy::*;

/// Building the policy needs hashing, which only the page generator does.
#[cfg(feature = "compiler")]
mod policy {
    use super::{CONNECT_SOURCES, TABLE_ALIGN_STYLES};
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use sha2::{Digest, Sha256};

    /// A raw-text element (`script`, `style`) without an end tag: the rest of the page would be
    /// its content, so it cannot be hashed.
    #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
    #[error("a <{tag}> at byte {at} has no </{tag}>: close it so its content can be hashed")]
    pub struct Unclosed {
        /// The element's name.
        pub tag: &'static str,
        /// Where it starts in the page.
        pub at: usize,
    }

    /// A CSP hash source (`'sha256-…'`) for an inline script or style attribute. Browsers hash
    /// the text after the HTML parser has turned CR LF and lone CR into LF, so this does too.
    pub fn hash_source(text: &str) -> String {
        let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        format!(
            "'sha256-{}'",
            STANDARD.encode(Sha256::digest(normalised.as_bytes()))
        )
    }

    /// The text of every inline `<script>` element of `html` (those without `src`), in order.
    /// The HTML is the page template, written by Trunk and by the generator: not a general parser.
    pub fn inline_scripts(html: &str) -> Result<Vec<&str>, Unclosed> {
        raw_text_elements(html, "script")
    }

    /// The text of every `<style>` element of `html`, in order (the template's stylesheet, which
    /// the generator inlines).
    pub fn inline_styles(html: &str) -> Result<Vec<&str>, Unclosed> {
        raw_text_elements(html, "style")
    }

    /// The content of every `<tag>` element (a raw-text element: `script` or `style`) that has no
    /// `src`, in order; an element without its end tag is an error at its byte offset.
    fn raw_text_elements<'a>(html: &'a str, tag: &'static str) -> Result<Vec<&'a str>, Unclosed> {
        let lower = html.to_ascii_lowercase();
        let (open, close) = (format!("<{tag}"), format!("</{tag}"));
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(i) = lower[at..].find(&open).map(|i| at + i) {
            let after = i + open.len();
            // `<scripts>` or `<script-x>` is another element.
            if !lower[after..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
                at = after;
                continue;
            }
            let tag_end = tag_end(html, after).ok_or(Unclosed { tag, at: i })?;
            let content_end = lower[tag_end..]
                .find(&close)
                .map(|e| tag_end + e)
                .ok_or(Unclosed { tag, at: i })?;
            if !has_attribute(&lower[after..tag_end - 1], "src") {
                found.push(&html[tag_end..content_end]);
            }
            at = content_end;
        }
        Ok(found)
    }

    /// The index just past the `>` that ends a start tag whose attributes begin at `from`.
    fn tag_end(html: &str, from: usize) -> Option<usize> {
        let mut quote = None;
        for (i, c) in html[from..].char_indices() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => return Some(from + i + 1),
                _ => {}
            }
        }
        None
    }

    /// Whether a start tag's attribute text (lower case) has an attribute called `name`.
    fn has_attribute(attrs: &str, name: &str) -> bool {
        let mut rest = attrs;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                return false;
            }
            let name_end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            if &rest[..name_end] == name {
                return true;
            }
            rest = rest[name_end..].trim_start();
            if let Some(value) = rest.strip_prefix('=') {
                let value = value.trim_start();
                rest = match value.chars().next() {
                    Some(q @ ('"' | '\'')) => value[1..].find(q).map_or("", |e| &value[e + 2..]),
                    _ => value
                        .find(|c: char| c.is_ascii_whitespace())
                        .map_or("", |e| &value[e..]),
                };
            }
        }
    }

    /// The policy for a page whose inline scripts are `scripts` (the template's: Trunk's loader,
    /// the practice loader, `trunk serve`'s reload script) and whose `<style>` elements are
    /// `styles` (the inlined stylesheet). Nothing else may run: no other inline script, no
    /// event-handler attribute, no `eval`, no plug-in, no frame, no form submission; and no style
    /// but the site's own.
    pub fn content_security_policy(scripts: &[&str], styles: &[&str]) -> String {
        let mut script_src = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
        for s in scripts {
            let h = hash_source(s);
            if !script_src.contains(&h) {
                script_src.push(h);
            }
        }
        let mut style_src = vec!["'self'".to_string(), "'unsafe-hashes'".to_string()];
        style_src.extend(TABLE_ALIGN_STYLES.iter().map(|s| hash_source(s)));
        for s in styles {
            let h = hash_source(s);
            if !style_src.contains(&h) {
                style_src.push(h);
            }
        }
        [
            "default-src 'none'".to_string(),
            format!("script-src {}", script_src.join(" ")),
            format!("style-src {}", style_src.join(" ")),
            "img-src 'self'".to_string(),
            format!("connect-src {}", CONNECT_SOURCES.join(" ")),
            "object-src 'none'".to_string(),
            "base-uri 'self'".to_string(),
            "form-action 'none'".to_string(),
        ]
        .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(service: &'static str, origin: &str) -> OriginSharing {
        OriginSharing::SharedHost {
            service,
            origin: origin.into(),
        }
    }

    #[test]
    fn an_account_pages_host_is_shared_at_any_path() {
        assert_eq!(
            origin_sharing("https://acme.github.io/senior-leap/"),
            shared("GitHub Pages", "https://acme.github.io")
        );
        // The account's own site at the root still shares the origin with its project sites.
        assert_eq!(
            origin_sharing("https://Acme.GitHub.io/"),
            shared("GitHub Pages", "https://acme.github.io")
        );
        assert_eq!(
            origin_sharing("https://group.gitlab.io/leap/"),
            shared("GitLab Pages", "https://group.gitlab.io")
        );
        assert_eq!(
            origin_sharing("https://me.codeberg.page/leap/"),
            shared("Codeberg Pages", "https://me.codeberg.page")
        );
        assert_eq!(
            origin_sharing("http://someone.github.io:4173/senior-leap/"),
            shared("GitHub Pages", "http://someone.github.io:4173")
        );
        assert_eq!(
            origin_sharing("https://acme.github.io./x/"),
            shared("GitHub Pages", "https://acme.github.io.")
        );
    }

    #[test]
    fn a_sub_path_of_any_other_host_may_be_shared() {
        assert_eq!(
            origin_sharing("https://intranet.acme.example/leap/?q=1"),
            OriginSharing::SubPath {
                origin: "https://intranet.acme.example".into(),
                path: "/leap/".into()
            }
        );
        assert_eq!(
            origin_sharing("http://127.0.0.1:4173/senior-leap/"),
            OriginSharing::SubPath {
                origin: "http://127.0.0.1:4173".into(),
                path: "/senior-leap/".into()
            }
        );
    }

    #[test]
    fn the_root_of_an_own_address_is_not_shared() {
        for url in [
            "https://leap.acme.example/",
            "https://leap.acme.example",
            "http://127.0.0.1:8080/#main",
            "http://[::1]:8080/",
            // Look-alikes of the shared hosts are hosts of their own.
            "https://github.io.acme.example/",
            "https://notgithub.io/",
        ] {
            assert_eq!(origin_sharing(url), OriginSharing::Own, "{url}");
            assert_eq!(origin_sharing(url).notice(), None);
        }
    }

    #[test]
    fn an_unreadable_root_warns() {
        assert!(origin_sharing("").notice().is_some());
        assert!(origin_sharing("about:blank").notice().is_some());
    }

    #[test]
    fn the_notice_names_the_origin_and_what_it_can_read() {
        let notice = origin_sharing("https://acme.github.io/senior-leap/")
            .notice()
            .unwrap();
        assert_eq!(notice, "This site is served from https://acme.github.io, an address GitHub Pages gives every site of the same account. Every page served from https://acme.github.io can read what this site keeps in this browser, including a key you ask it to remember. Leave \u{201c}Remember on this device\u{201d} unticked here, or use this site from an address of its own (a custom domain).");
        let notice = origin_sharing("https://acme.example/leap/")
            .notice()
            .unwrap();
        assert!(
            notice.starts_with("This site is served from /leap/ on https://acme.example, an address other pages may share. Every page served from https://acme.example can read"),
            "{notice}"
        );
    }

    #[cfg(feature = "compiler")]
    mod policy {
        use super::super::*;

        // Expected hashes computed independently: `printf %s TEXT | openssl sha256 -binary | base64`.
        #[test]
        fn hashes_what_the_browser_hashes() {
            assert_eq!(
                hash_source(""),
                "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
            );
            assert_eq!(
                hash_source("alert(1)"),
                "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
            );
            // The parser turns CR LF and lone CR into LF before the browser hashes.
            assert_eq!(hash_source("a\r\nb\rc"), hash_source("a\nb\nc"));
            assert_eq!(
                hash_source("text-align: center"),
                "'sha256-Y9v1MZrln1N8aPBY5lmpxYKwFkcp/nyBMMEnn7WFjuw='"
            );
        }

        #[test]
        fn finds_every_inline_script_and_skips_external_ones() {
            let html = "<head><script type=\"module\">import a from './a.js';</script>\
                <script src=\"./x.js\"></script><SCRIPT data-x='a>b'>\nreload()\n</Script>\
                <script\tdefer src=x.js></script><scripts>no</scripts>\
                <script type=application/json data-src=\"1\">{\"a\":1}</script></head>";
            assert_eq!(
                inline_scripts(html).unwrap(),
                ["import a from './a.js';", "\nreload()\n", "{\"a\":1}"]
            );
            assert_eq!(
                inline_scripts("<p>no script</p>").unwrap(),
                Vec::<&str>::new()
            );
            assert_eq!(
                inline_scripts("<head><script>x()").unwrap_err(),
                Unclosed {
                    tag: "script",
                    at: 6
                }
            );
            assert_eq!(
                inline_scripts("<script src='a").unwrap_err().to_string(),
                "a <script> at byte 0 has no </script>: close it so its content can be hashed"
            );
        }

        #[test]
        fn finds_every_style_element() {
            let html = "<head><style>main{color:red}</style><STYLE media=\"print\">\np{}\n</Style><styles>no</styles></head>";
            assert_eq!(inline_styles(html).unwrap(), ["main{color:red}", "\np{}\n"]);
            assert_eq!(inline_styles("<p>none</p>").unwrap(), Vec::<&str>::new());
            assert_eq!(
                inline_styles("<head><style>p{}").unwrap_err().to_string(),
                "a <style> at byte 6 has no </style>: close it so its content can be hashed"
            );
        }

        #[test]
        fn the_policy_allows_the_pages_scripts_and_nothing_else() {
            let csp = content_security_policy(&["boot()", "reload()", "boot()"], &[]);
            let directives: Vec<&str> = csp.split("; ").collect();
            assert_eq!(directives[0], "default-src 'none'");
            assert_eq!(
                directives[1],
                format!(
                    "script-src 'self' 'wasm-unsafe-eval' {} {}",
                    hash_source("boot()"),
                    hash_source("reload()")
                )
            );
            assert!(!csp.contains("unsafe-inline"), "{csp}");
            assert!(!csp.contains("'unsafe-eval'"), "{csp}");
            assert!(!csp.contains("data:"), "{csp}");
            assert!(directives[2].starts_with("style-src 'self' 'unsafe-hashes' 'sha256-"));
            assert_eq!(directives[2].matches("'sha256-").count(), 3);
            for d in [
                "img-src 'self'",
                "connect-src 'self' https: http://localhost:* http://*.localhost:* http://127.0.0.1:*",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'none'",
            ] {
                assert!(directives.contains(&d), "{d} missing from {csp}");
            }
            // The inlined stylesheet is allowed by its hash, and only it.
            let with_sheet = content_security_policy(&[], &["main{color:red}"]);
            let style_src = with_sheet
                .split("; ")
                .find(|d| d.starts_with("style-src "))
                .unwrap();
            assert!(style_src.ends_with(&format!(" {}", hash_source("main{color:red}"))));
            assert_eq!(style_src.matches("'sha256-").count(), 4);
            assert!(!with_sheet.contains("unsafe-inline"), "{with_sheet}");
            // A meta policy cannot carry these; the README says so.
            assert!(!csp.contains("frame-ancestors") && !csp.contains("report-uri"));
        }
    }
}
