//! SVG files of a pack. Inside `<img>` an SVG is inert, but a scenario links to its files, and an
//! SVG opened directly is a document of the site's origin, where a learner's API key may be
//! remembered: any script in it runs with full access. Pack content comes from pull requests and
//! from companies' authors, so every SVG is parsed with a real XML parser and checked against an
//! allow-list of static drawing elements and attributes; anything else is refused, located.

use super::bidi;
use super::diagnostics::Diagnostic;
use super::source::SourceFile;
use roxmltree::{Document, Node, NodeType, ParsingOptions};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// How many problems one SVG may report before the rest are left unsaid.
const MAX_PROBLEMS: usize = 50;

/// An SVG this big is not a diagram; refusing it also bounds the parser's work.
const MAX_NODES: u32 = 100_000;

/// Elements that draw, group, describe, style or animate, and nothing else: no scripts, links,
/// foreign content, embedded documents, fonts or cursors.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "title",
    "desc",
    "symbol",
    "use",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "marker",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "image",
    "style",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "animate",
    "animateMotion",
    "animateTransform",
    "mpath",
    "set",
];

/// Elements that can change another element's attributes over time.
const ANIMATIONS: &[&str] = &["animate", "animateMotion", "animateTransform", "set"];

/// Attributes (without a namespace) of geometry, presentation, text, gradients, filters and
/// animation timing. `aria-*` and `data-*` are allowed besides; `on*` never is.
const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "style",
    "lang",
    "role",
    "focusable",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "fr",
    "width",
    "height",
    "d",
    "points",
    "pathLength",
    "transform",
    "transform-origin",
    "viewBox",
    "preserveAspectRatio",
    "version",
    "baseProfile",
    "dx",
    "dy",
    "rotate",
    "textLength",
    "lengthAdjust",
    "startOffset",
    "method",
    "spacing",
    "side",
    "href",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "opacity",
    "color",
    "display",
    "visibility",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "font-variant",
    "font-stretch",
    "font-size-adjust",
    "font",
    "text-anchor",
    "text-decoration",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "word-spacing",
    "writing-mode",
    "direction",
    "white-space",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "mask",
    "maskUnits",
    "maskContentUnits",
    "marker-start",
    "marker-mid",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "filter",
    "filterUnits",
    "primitiveUnits",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "offset",
    "stop-color",
    "stop-opacity",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "shape-rendering",
    "text-rendering",
    "image-rendering",
    "color-interpolation",
    "color-interpolation-filters",
    "color-rendering",
    "flood-color",
    "flood-opacity",
    "lighting-color",
    "vector-effect",
    "paint-order",
    "overflow",
    "mix-blend-mode",
    "isolation",
    "pointer-events",
    "cursor",
    "enable-background",
    "in",
    "in2",
    "result",
    "stdDeviation",
    "mode",
    "operator",
    "k1",
    "k2",
    "k3",
    "k4",
    "type",
    "values",
    "tableValues",
    "slope",
    "intercept",
    "amplitude",
    "exponent",
    "baseFrequency",
    "numOctaves",
    "seed",
    "stitchTiles",
    "scale",
    "xChannelSelector",
    "yChannelSelector",
    "radius",
    "order",
    "kernelMatrix",
    "divisor",
    "bias",
    "targetX",
    "targetY",
    "edgeMode",
    "preserveAlpha",
    "surfaceScale",
    "specularConstant",
    "specularExponent",
    "diffuseConstant",
    "kernelUnitLength",
    "azimuth",
    "elevation",
    "z",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "limitingConeAngle",
    "attributeName",
    "attributeType",
    "from",
    "to",
    "by",
    "dur",
    "begin",
    "end",
    "repeatCount",
    "repeatDur",
    "calcMode",
    "keyTimes",
    "keySplines",
    "keyPoints",
    "additive",
    "accumulate",
    "restart",
    "min",
    "max",
    "path",
    "media",
];

/// CSS at-rules that only select or animate; `@import`, `@font-face` and the rest load things.
const AT_RULES: &[&str] = &["media", "supports", "keyframes"];

/// CSS functions that fetch a resource by address without `url(`.
const FETCHING_FUNCTIONS: &[&str] = &[
    "image-set(",
    "-webkit-image-set(",
    "image(",
    "cross-fade(",
    "-webkit-cross-fade(",
    "element(",
    "-moz-element(",
    "src(",
    "paint(",
];

/// Raster images an `<image>` may embed as a `data:` address.
const DATA_IMAGES: &[&str] = &[
    "data:image/png;base64,",
    "data:image/jpeg;base64,",
    "data:image/gif;base64,",
    "data:image/webp;base64,",
];

/// The fix for anything an editor adds that the allow-list does not know.
const PLAIN_SVG: &str = "export a plain SVG (Inkscape: Save As → Plain SVG or Optimized SVG; or run `svgo`) that holds only shapes, text and styles; see \"What a pack may contain\" in content/README.md";

/// Every problem in one SVG file, each located.
pub fn check(file: &SourceFile) -> Vec<Diagnostic> {
    let mut c = SvgCheck {
        file,
        diags: Vec::new(),
    };
    c.run();
    c.diags.truncate(MAX_PROBLEMS);
    c.diags
}

struct SvgCheck<'a> {
    file: &'a SourceFile,
    diags: Vec<Diagnostic>,
}

impl SvgCheck<'_> {
    fn error(&mut self, at: usize, problem: impl Into<String>, fix: impl Into<String>) {
        self.diags.push(self.file.error_at(at, problem, fix));
    }

    fn run(&mut self) {
        let text = self.file.text.as_str();
        // roxmltree refuses a DTD without saying where; find it to point at it.
        if let Some(at) = text.find("<!DOCTYPE") {
            self.error(
                at,
                "the SVG has a `<!DOCTYPE>`",
                "delete it: an SVG needs none, and its entity definitions can pull in other files or expand into gigabytes",
            );
            return;
        }
        let options = ParsingOptions {
            allow_dtd: false,
            nodes_limit: MAX_NODES,
            ..ParsingOptions::default()
        };
        let doc = match Document::parse_with_options(text, options) {
            Ok(doc) => doc,
            Err(e) => {
                self.parse_error(&e);
                return;
            }
        };
        let root = doc.root_element();
        if !(root.tag_name().name() == "svg" && root.tag_name().namespace() == Some(SVG_NS)) {
            let name = self.qname(root.range().start + 1);
            self.error(
                root.range().start,
                format!("the root element is `<{name}>`, not an SVG `<svg>`"),
                format!("an .svg file must start with `<svg xmlns=\"{SVG_NS}\" …>`"),
            );
            return;
        }
        // What is inside a refused element is refused with it: one message, not one per child.
        // Descendants come parents first, so marking each skipped node keeps this linear.
        let mut skipped = std::collections::HashSet::new();
        for node in doc.descendants() {
            if self.diags.len() >= MAX_PROBLEMS {
                return;
            }
            if node.parent().is_some_and(|p| skipped.contains(&p.id())) {
                skipped.insert(node.id());
                continue;
            }
            match node.node_type() {
                NodeType::Element => {
                    if !self.element(node) {
                        skipped.insert(node.id());
                    }
                }
                NodeType::PI => {
                    let target = node.pi().map_or("", |p| p.target);
                    self.error(
                        node.range().start,
                        format!("processing instruction `<?{target} …?>`"),
                        "delete it: `<?xml-stylesheet?>` makes a browser load and apply a stylesheet or XSLT that can run script; a diagram needs none",
                    );
                }
                NodeType::Text => {
                    let decoded = node.text().unwrap_or("");
                    let range = node.range();
                    let raw = text.get(range.clone()).unwrap_or("");
                    if let Some(d) = bidi::escaped(
                        self.file,
                        range.start,
                        raw,
                        decoded,
                        "an XML character reference",
                    ) {
                        self.diags.push(d);
                    }
                }
                NodeType::Root | NodeType::Comment => {}
            }
        }
    }

    /// The qualified name written at byte `at` (an element's name after `<`), for messages.
    fn qname(&self, at: usize) -> &str {
        let rest = self.file.text.get(at..).unwrap_or("");
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        &rest[..end]
    }

    fn parse_error(&mut self, e: &roxmltree::Error) {
        use roxmltree::Error as E;
        let end = self.file.text.len();
        match e {
            E::DtdDetected => {
                return self.error(
                    0,
                    "the SVG has a document type definition",
                    "delete the `<!DOCTYPE …>`: an SVG needs none",
                )
            }
            E::NodesLimitReached => {
                return self.error(
                    0,
                    format!("the SVG has more than {MAX_NODES} elements, texts and comments"),
                    "simplify the drawing, or save it as a PNG",
                )
            }
            // The parser places these at 1:1; the place to look is where the file stops.
            E::UnclosedRootNode | E::UnexpectedEndOfStream => {
                return self.error(
                    end,
                    "the SVG ends before its elements are closed",
                    "close every open element; the file may have been cut short",
                )
            }
            _ => {}
        }
        let pos = e.pos();
        let message = e.to_string().replace(&format!(" at {pos}"), "");
        self.diags.push(Diagnostic {
            path: self.file.path.clone(),
            line: pos.row as usize,
            column: pos.col as usize,
            problem: format!("the SVG is not well-formed XML: {message}"),
            fix: "fix the markup here: close every tag, quote every attribute, write `&` as `&amp;` and `<` as `&lt;` in text".into(),
        });
    }

    /// Checks an element and its attributes; `false` when the element itself is refused.
    fn element(&mut self, node: Node<'_, '_>) -> bool {
        let at = node.range().start;
        let name = node.tag_name().name();
        let shown = self.qname(at + 1).to_string();
        let refused: Option<(String, &str)> = match name {
            "script" => Some((
                format!("`<{shown}>` runs script when the file is opened"),
                "delete it: a diagram in a pack is a static picture",
            )),
            "foreignObject" => Some((
                format!("`<{shown}>` embeds HTML, which can run script"),
                "delete it and draw its content with SVG `<text>` and shapes",
            )),
            "iframe" | "embed" | "object" | "frame" | "frameset" | "applet" | "handler"
            | "listener" => Some((
                format!("`<{shown}>` embeds another document or runs code"),
                "delete it: a diagram may hold only shapes, text, gradients, markers and styles",
            )),
            "a" => Some((
                format!("`<{shown}>` is a link inside the diagram"),
                "remove the `<a>` element (keep what it wraps) and put the link in the scenario's Markdown",
            )),
            _ if node.tag_name().namespace() != Some(SVG_NS) => Some((
                format!("`<{shown}>` is not an SVG element"),
                PLAIN_SVG,
            )),
            _ if !ELEMENTS.contains(&name) => Some((
                format!("`<{shown}>` is not on the list of SVG elements a pack may use"),
                PLAIN_SVG,
            )),
            _ => None,
        };
        if let Some((problem, fix)) = refused {
            self.error(at, problem, fix);
            return false;
        }
        for attr in node.attributes() {
            self.attribute(node, &attr);
        }
        if name == "style" {
            if let Some(t) = node.attribute("type") {
                if !t.trim().eq_ignore_ascii_case("text/css") {
                    self.error(
                        at,
                        format!("`<style type=\"{t}\">` is not CSS"),
                        "use CSS, or drop the `type` attribute",
                    );
                }
            }
            for child in node.children().filter(|n| n.is_text()) {
                let range = child.range();
                let raw = self.file.text.get(range.clone()).unwrap_or("").to_string();
                self.css(child.text().unwrap_or(""), &raw, range.start);
            }
        }
        if ANIMATIONS.contains(&name) {
            if let Some(target) = node.attribute_node("attributeName") {
                let value = target.value().trim();
                let local = value.rsplit(':').next().unwrap_or(value);
                let safe = ATTRIBUTES.contains(&local)
                    && !matches!(local, "href" | "style")
                    && !local.to_ascii_lowercase().starts_with("on");
                if !safe {
                    self.error(
                        target.range().start,
                        format!("`<{shown}>` changes attribute `{value}`"),
                        "animate only presentation attributes such as `opacity`, `fill` or `transform`: changing an address or a handler can run script",
                    );
                }
            }
        }
        true
    }

    fn attribute(&mut self, node: Node<'_, '_>, attr: &roxmltree::Attribute<'_, '_>) {
        let text = &self.file.text;
        let at = attr.range().start;
        let shown = text
            .get(attr.range_qname())
            .unwrap_or(attr.name())
            .to_string();
        let element = node.tag_name().name();
        let local = attr.name();
        let known = match attr.namespace() {
            None => {
                ATTRIBUTES.contains(&local)
                    || local.starts_with("aria-")
                    || local.starts_with("data-")
            }
            Some(XLINK_NS) => matches!(local, "href" | "title"),
            Some(XML_NS) => matches!(local, "space" | "lang"),
            Some(_) => false,
        };
        if local.to_ascii_lowercase().starts_with("on") {
            self.error(
                at,
                format!("event-handler attribute `{shown}` runs script"),
                "delete it: a diagram in a pack is a static picture",
            );
            return;
        }
        if !known {
            self.error(
                at,
                format!("attribute `{shown}` on `<{element}>` is not on the list of SVG attributes a pack may use"),
                PLAIN_SVG,
            );
            return;
        }
        let value = attr.value();
        let range = attr.range_value();
        let raw = text.get(range.clone()).unwrap_or("").to_string();
        if let Some(d) = bidi::escaped(
            self.file,
            range.start,
            &raw,
            value,
            "an XML character reference",
        ) {
            self.diags.push(d);
        }
        if local == "href" {
            self.href(element, &shown, value, raw.trim(), range.start);
        } else if local == "style" {
            self.css(value, &raw, range.start);
        } else if let Some((_, problem)) = outside_urls(value).into_iter().next() {
            self.error(range.start, problem, LOCAL_ONLY);
        }
    }

    /// Checks an address: `value` as the browser reads it, `written` as the file has it.
    fn href(&mut self, element: &str, shown: &str, value: &str, written: &str, at: usize) {
        let url = normalize_url(value);
        if is_script_url(&url) {
            self.error(
                at,
                format!("`{shown}` is a script address (`{written}`)"),
                "delete it: a diagram in a pack is a static picture",
            );
            return;
        }
        let local = url.starts_with('#');
        let picture = element == "image" && DATA_IMAGES.iter().any(|p| url.starts_with(p));
        if local || picture {
            return;
        }
        let problem = if url.starts_with("data:") {
            format!(
                "`{shown}` embeds a `data:` document that is not a PNG, JPEG, GIF or WebP image"
            )
        } else {
            format!("`<{element}>` refers to `{written}`, outside this file")
        };
        let fix = if element == "image" {
            "embed the picture as `data:image/png;base64,…` (or JPEG, GIF, WebP), or draw it in SVG; a diagram loads nothing from elsewhere"
        } else {
            "refer only to an id in this file, e.g. `href=\"#arrow\"`: copy what it points at into this file"
        };
        self.error(at, problem, fix);
    }

    /// Checks CSS (a `style` attribute or a `<style>` element): `decoded` is what the browser
    /// reads, `raw` how it is written at byte `start`. Offsets inside it are exact when no escape
    /// or CDATA section changed its length.
    fn css(&mut self, decoded: &str, raw: &str, start: usize) {
        for (offset, problem, fix) in check_css(decoded).into_iter().take(MAX_PROBLEMS) {
            let at = if raw == decoded {
                start + offset
            } else {
                start
            };
            self.error(at, problem, fix);
        }
    }
}

const LOCAL_ONLY: &str =
    "refer only to an id in this file, e.g. `url(#arrow)`: a diagram loads nothing from elsewhere";

/// An address as a browser's URL parser sees its scheme: without ASCII whitespace and control
/// characters (which it strips or ignores), lowercased.
fn normalize_url(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn is_script_url(normalized: &str) -> bool {
    ["javascript:", "vbscript:", "livescript:"]
        .iter()
        .any(|s| normalized.contains(s))
}

/// Every `url(…)` reference in a value that points outside the file: its byte offset and what
/// is wrong with it.
fn outside_urls(value: &str) -> Vec<(usize, String)> {
    let lower = value.to_ascii_lowercase();
    let mut out = Vec::new();
    // The next `)` is remembered, so a value of many unclosed `url(` stays linear to check.
    let mut close = 0;
    for (at, _) in lower.match_indices("url(") {
        if out.len() >= MAX_PROBLEMS {
            break;
        }
        let inner = lower[at + 4..]
            .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '"' || c == '\'');
        if inner.starts_with('#') {
            continue;
        }
        if close <= at {
            close = value[at..].find(')').map_or(value.len(), |e| at + e + 1);
        }
        // Quoted at most 120 bytes long: enough to recognise, and linear however many there are.
        let mut end = close.min(at + 120);
        while !value.is_char_boundary(end) {
            end -= 1;
        }
        let shown = &value[at..end];
        out.push((
            at,
            if is_script_url(&normalize_url(shown)) {
                format!("`{shown}` is a script address")
            } else {
                format!("`{shown}` refers to something outside this file")
            },
        ));
    }
    out
}

/// Problems in a piece of CSS, each with its byte offset in `css`.
pub(crate) fn check_css(css: &str) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    // Comments become spaces (offsets kept) so `@im/**/port` is seen as the at-rule `@im`.
    let mut clean = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        clean.push_str(&rest[..i]);
        let end = rest[i + 2..]
            .find("*/")
            .map_or(rest.len(), |e| i + 2 + e + 2);
        clean.extend(std::iter::repeat_n(' ', end - i));
        rest = &rest[end..];
    }
    clean.push_str(rest);
    let lower = clean.to_ascii_lowercase();

    if let Some(i) = lower.find('\\') {
        out.push((
            i,
            "a backslash escape in CSS".to_string(),
            "write the CSS without escapes: they can spell a `url(` or an `@import` in a way no check sees".to_string(),
        ));
    }
    for (i, _) in lower.match_indices('@') {
        if out.len() >= MAX_PROBLEMS {
            break;
        }
        let name: String = lower[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let base = name.trim_start_matches("-webkit-");
        if !AT_RULES.contains(&base) {
            let fix = if name == "import" {
                "put the rules in this `<style>`: `@import` loads another stylesheet"
            } else {
                "use only `@media`, `@supports` and `@keyframes`: other at-rules load fonts or stylesheets"
            };
            out.push((i, format!("CSS at-rule `@{name}`"), fix.to_string()));
        }
    }
    for (at, problem) in outside_urls(&clean) {
        out.push((at, problem, LOCAL_ONLY.to_string()));
    }
    for f in FETCHING_FUNCTIONS {
        for (i, _) in lower.match_indices(f) {
            if out.len() >= MAX_PROBLEMS {
                break;
            }
            // `image(` inside `-webkit-image-set(` is not a match of its own.
            let prev = lower[..i].chars().next_back();
            if prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-') {
                continue;
            }
            out.push((
                i,
                format!("CSS function `{}` loads an image", &f[..f.len() - 1]),
                "draw it in SVG, or show the image in the Markdown".to_string(),
            ));
        }
    }
    let squeezed = normalize_url(&clean);
    for (needle, what) in [
        ("javascript:", "a `javascript:` address"),
        ("vbscript:", "a `vbscript:` address"),
        (
            "expression(",
            "`expression(` (script in old Internet Explorer)",
        ),
        ("-moz-binding", "`-moz-binding` (script in old Firefox)"),
        ("behavior:", "`behavior:` (script in old Internet Explorer)"),
        ("unicode-bidi", "`unicode-bidi`, which can reverse text"),
    ] {
        if squeezed.contains(needle) {
            // Written with spaces inside, it is not found as is: point at the start then.
            let at = lower.find(needle).unwrap_or(0);
            out.push((at, format!("CSS holds {what}"), "delete it".to_string()));
        }
    }
    out.sort_by_key(|(at, _, _)| *at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(svg: &str) -> Vec<String> {
        check(&SourceFile::new("d.svg", svg))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn svg(inner: &str) -> String {
        format!("<svg xmlns=\"{SVG_NS}\" xmlns:xlink=\"{XLINK_NS}\" viewBox=\"0 0 10 10\">{inner}</svg>")
    }

    #[track_caller]
    fn refused(inner: &str, expected: &str) {
        let p = problems(&svg(inner));
        assert!(
            p.iter().any(|p| p.contains(expected)),
            "{inner}\n expected `{expected}` in {p:#?}"
        );
    }

    #[test]
    fn a_plain_diagram_passes() {
        let ok = svg(
            "<title id=\"t\">Flow</title><desc>a → b</desc>\
             <style>.a { fill: #fff; marker-end: url(#m); } @media (prefers-color-scheme: dark) { .a { fill: #000 } }</style>\
             <defs><marker id=\"m\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10z\"/></marker>\
             <linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient></defs>\
             <rect class=\"a\" x=\"1\" y=\"1\" width=\"5\" height=\"5\" rx=\"1\" fill=\"url(#g)\" aria-hidden=\"true\"/>\
             <use href=\"#m\"/><use xlink:href=\"#m\"/>\
             <text x=\"1\" y=\"9\" text-anchor=\"middle\" xml:space=\"preserve\">a &amp; b<tspan dy=\"1\">c</tspan></text>\
             <image href=\"data:image/png;base64,iVBORw0KGgo=\" width=\"1\" height=\"1\"/>\
             <circle r=\"1\"><animate attributeName=\"opacity\" from=\"0\" to=\"1\" dur=\"1s\"/></circle>\
             <!-- a comment -->",
        );
        assert_eq!(
            problems(&format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{ok}")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn script_and_handlers_are_refused_with_their_position() {
        assert_eq!(
            problems(&format!("<svg xmlns=\"{SVG_NS}\">\n  <script>alert(1)</script>\n</svg>")),
            ["d.svg:2:3: `<script>` runs script when the file is opened — delete it: a diagram in a pack is a static picture"]
        );
        assert_eq!(
            problems(&format!("<svg xmlns=\"{SVG_NS}\" onload=\"alert(1)\"/>")),
            ["d.svg:1:41: event-handler attribute `onload` runs script — delete it: a diagram in a pack is a static picture"]
        );
        refused(
            "<rect ONCLICK=\"x()\"/>",
            "event-handler attribute `ONCLICK`",
        );
        refused(
            "<html:script xmlns:html=\"http://www.w3.org/1999/xhtml\">x</html:script>",
            "`<html:script>` runs script",
        );
        refused(
            "<foreignObject><div/></foreignObject>",
            "`<foreignObject>` embeds HTML",
        );
        refused("<iframe src=\"x\"/>", "`<iframe>` embeds another document");
        refused("<embed src=\"x\"/>", "`<embed>` embeds");
        refused("<object data=\"x\"/>", "`<object>` embeds");
        refused(
            "<a href=\"https://x.example\"><text>x</text></a>",
            "`<a>` is a link",
        );
        refused("<handler>x</handler>", "`<handler>`");
        refused("<metadata/>", "`<metadata>` is not on the list");
        refused("<feImage href=\"#x\"/>", "`<feImage>` is not on the list");
        refused(
            "<x:thing xmlns:x=\"urn:x\"/>",
            "`<x:thing>` is not an SVG element",
        );
        refused(
            "<rect x:y=\"1\" xmlns:x=\"urn:x\"/>",
            "attribute `x:y` on `<rect>`",
        );
        refused(
            "<rect xml:base=\"https://x.example/\"/>",
            "attribute `xml:base`",
        );
        refused(
            "<rect unicode-bidi=\"bidi-override\"/>",
            "attribute `unicode-bidi`",
        );
    }

    #[test]
    fn script_addresses_are_refused_however_they_are_written() {
        for href in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java&#x09;script:alert(1)",
            "java&#10;script:alert(1)",
            "&#106;avascript:alert(1)",
            "\tjavascript:alert(1)",
            "vbscript:x",
        ] {
            refused(&format!("<use href=\"{href}\"/>"), "is a script address");
            refused(
                &format!("<use xlink:href=\"{href}\"/>"),
                "is a script address",
            );
        }
        refused("<rect fill=\"url(javascript:x)\"/>", "is a script address");
    }

    #[test]
    fn outside_references_are_refused() {
        for href in [
            "https://evil.example/x.svg#a",
            "http://evil.example/x.svg#a",
            "//evil.example/x.svg#a",
            "other.svg#a",
            "data:image/svg+xml;base64,PHN2Zz4=",
            "data:text/html,<script>x</script>"
                .replace('<', "&lt;")
                .as_str(),
        ] {
            let p = problems(&svg(&format!("<use href=\"{href}\"/>")));
            assert_eq!(p.len(), 1, "{href}: {p:?}");
            assert!(
                p[0].contains("`<use>` refers to") || p[0].contains("`data:` document"),
                "{p:?}"
            );
        }
        refused(
            "<image href=\"https://x.example/p.png\"/>",
            "`<image>` refers to",
        );
        refused(
            "<image href=\"data:image/svg+xml,&lt;svg/&gt;\"/>",
            "not a PNG, JPEG, GIF or WebP",
        );
        refused(
            "<rect fill=\"url(https://x.example/#g)\"/>",
            "`url(https://x.example/#g)` refers to something outside",
        );
        refused(
            "<rect fill=\"url( 'other.svg#g' )\"/>",
            "refers to something outside",
        );
        refused(
            "<rect filter=\"url(&#104;ttp://x/#f)\"/>",
            "refers to something outside",
        );
        refused(
            "<rect style=\"fill: url(//x.example/a#b)\"/>",
            "refers to something outside",
        );
        refused(
            "<set attributeName=\"href\" to=\"javascript:x\"/>",
            "`<set>` changes attribute `href`",
        );
        refused(
            "<animate attributeName=\"xlink:href\" values=\"#a;#b\"/>",
            "changes attribute `xlink:href`",
        );
        refused(
            "<animate attributeName=\"onbegin\"/>",
            "changes attribute `onbegin`",
        );
        refused(
            "<set attributeName=\"fill\" to=\"url(https://x/#g)\"/>",
            "refers to something outside",
        );
    }

    #[test]
    fn style_sheets_may_not_load_or_run_anything() {
        for (css, expected) in [
            (
                "@import url(https://x.example/a.css);",
                "CSS at-rule `@import`",
            ),
            ("@import 'a.css';", "CSS at-rule `@import`"),
            ("@IMPORT 'a.css';", "CSS at-rule `@import`"),
            ("@im/**/port 'a.css';", "CSS at-rule `@im`"),
            ("@font-face { src: url(#f) }", "CSS at-rule `@font-face`"),
            (
                ".a { fill: url(https://x.example/g.svg#g) }",
                "refers to something outside",
            ),
            (
                ".a { fill: URL( \"//x.example/g\" ) }",
                "refers to something outside",
            ),
            (
                ".a { fill: u\\72 l(https://x/) }",
                "a backslash escape in CSS",
            ),
            (
                ".a { background: image-set('https://x/a.png' 1x) }",
                "`image-set` loads an image",
            ),
            (
                ".a { background: -webkit-image-set('https://x/a.png' 1x) }",
                "`-webkit-image-set` loads",
            ),
            (".a { x: expression(alert(1)) }", "`expression(`"),
            (".a { -moz-binding: url(#x) }", "`-moz-binding`"),
            (".a { unicode-bidi: bidi-override }", "`unicode-bidi`"),
        ] {
            refused(&format!("<style>{css}</style>"), expected);
            refused(&format!("<style><![CDATA[{css}]]></style>"), expected);
        }
        refused("<style type=\"text/ecmascript\">x</style>", "is not CSS");
        assert!(check_css("@media (x) { .a { fill: url(#a); } } @keyframes k { to { opacity: 1 } } /* url(http://x) */").is_empty());
        // Many allowed rules before a refused one do not hide it.
        let css = format!(
            "{}@import 'x.css'; {}",
            "@media (x) {} ".repeat(100),
            "-webkit-image-set(#a) ".repeat(100)
        );
        let p = check_css(&css);
        assert!(p.iter().any(|(_, m, _)| m.contains("@import")), "{p:?}");
        assert!(
            p.iter()
                .any(|(_, m, _)| m.contains("`-webkit-image-set` loads")),
            "{p:?}"
        );
    }

    #[test]
    fn a_dtd_and_entities_are_refused() {
        let bomb = format!("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [ <!ENTITY a \"aaaaaaaaaa\"> <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"> ]>\n<svg xmlns=\"{SVG_NS}\"><text>&b;</text></svg>");
        assert_eq!(
            problems(&bomb),
            ["d.svg:2:1: the SVG has a `<!DOCTYPE>` — delete it: an SVG needs none, and its entity definitions can pull in other files or expand into gigabytes"]
        );
        let xxe = format!("<!DOCTYPE svg SYSTEM \"file:///etc/passwd\"><svg xmlns=\"{SVG_NS}\"/>");
        assert!(problems(&xxe)[0].contains("`<!DOCTYPE>`"));
    }

    #[test]
    fn malformed_xml_is_located() {
        assert_eq!(
            problems(&format!("<svg xmlns=\"{SVG_NS}\">\n<rect x=1/>\n</svg>")),
            ["d.svg:2:9: the SVG is not well-formed XML: expected a quote not '1' — fix the markup here: close every tag, quote every attribute, write `&` as `&amp;` and `<` as `&lt;` in text"]
        );
        assert!(
            problems(&format!("<svg xmlns=\"{SVG_NS}\"><g></svg>"))[0].contains("not well-formed")
        );
        assert!(problems("")[0].contains("not well-formed"));
        assert!(problems(&svg("&unknown;"))[0].contains("not well-formed"));
    }

    #[test]
    fn the_root_must_be_svg_and_instructions_are_refused() {
        assert!(
            problems("<html xmlns=\"http://www.w3.org/1999/xhtml\"><script/></html>")[0]
                .contains("the root element is `<html>`, not an SVG `<svg>`")
        );
        assert!(problems("<svg><script/></svg>")[0].contains("the root element is `<svg>`"));
        let p = problems(&format!("<?xml-stylesheet href=\"https://x/a.xsl\" type=\"text/xsl\"?>\n<svg xmlns=\"{SVG_NS}\"/>"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("d.svg:1:1: processing instruction `<?xml-stylesheet …?>`"));
    }

    #[test]
    fn bidi_controls_written_as_references_are_refused() {
        refused(
            "<text>a&#x202E;b</text>",
            "U+202E (RIGHT-TO-LEFT OVERRIDE) written as an XML character reference",
        );
        refused("<text aria-label=\"a&#8294;b\">x</text>", "U+2066");
        // Literal ones are the job of the whole-file scan, not reported twice here.
        assert!(problems(&svg("<text>a\u{202E}b</text>")).is_empty());
    }

    #[test]
    fn problems_are_capped_and_hostile_sizes_stay_fast() {
        let many = "<rect onclick=\"x\"/>".repeat(200);
        assert_eq!(problems(&svg(&many)).len(), MAX_PROBLEMS);
        let start = std::time::Instant::now();
        let css = "url(".repeat(200_000);
        assert_eq!(
            problems(&svg(&format!("<style>{css}</style>"))).len(),
            MAX_PROBLEMS
        );
        let deep = format!(
            "{}{}",
            "<foreignObject>".repeat(20_000),
            "</foreignObject>".repeat(20_000)
        );
        assert_eq!(problems(&svg(&deep)).len(), 1);
        let wide = "<g><script/></g>".repeat(30_000);
        assert_eq!(problems(&svg(&wide)).len(), MAX_PROBLEMS);
        // Quadratic work here would take minutes; linear takes well under a second.
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
    }
}
