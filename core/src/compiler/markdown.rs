//! Markdown for content: splitting a body into its `##` sections, and rendering a section to safe
//! HTML. Raw HTML is escaped, never passed through; every link and image is checked and rewritten
//! to a site-root-relative URL (pages set `<base href>` to the site root, so this works at any
//! mount path); footnotes get ids unique on the page.

use super::bidi;
use super::diagnostics::Diagnostic;
use super::source::SourceFile;
use crate::md::is_web_link;
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::{BTreeSet, HashMap};

/// The Markdown extensions content may use.
pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Image files content may embed (served from the scenario's own folder).
pub const IMAGE_EXTENSIONS: &[&str] = &["svg", "png", "jpg", "jpeg", "gif", "webp"];

/// How many escaped bidirectional controls one rendering reports (locating each scans its line).
const MAX_BIDI_REPORTS: usize = 50;

/// A `##` (or deeper) section of a Markdown body.
#[derive(Debug, Clone)]
pub struct Section<'a> {
    /// The heading's text.
    pub title: String,
    /// Byte offset of the heading in the file.
    pub heading_offset: usize,
    /// The Markdown under the heading, up to the next heading of the same level.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Text before the first heading of a split, and the sections after it.
#[derive(Debug, Clone)]
pub struct Sections<'a> {
    /// Whatever comes before the first heading (usually blank).
    pub preamble: &'a str,
    /// Byte offset of the preamble in the file.
    pub preamble_offset: usize,
    /// The sections, in order.
    pub sections: Vec<Section<'a>>,
}

/// Splits `md` (found at byte `offset` of its file) at headings of exactly `level`.
/// Headings inside code blocks are not headings, which is why this parses instead of scanning lines.
pub fn split_sections(md: &str, offset: usize, level: HeadingLevel) -> Sections<'_> {
    let mut starts: Vec<(usize, usize, String)> = Vec::new(); // heading start, body start, title
    let mut current: Option<(usize, usize, String)> = None;
    for (event, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level: l, .. }) if l == level => {
                current = Some((range.start, range.end, String::new()))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, title)) = current.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(l)) if l == level => {
                if let Some((start, _, title)) = current.take() {
                    starts.push((start, range.end, title.trim().to_string()));
                }
            }
            _ => {}
        }
    }
    let first = starts.first().map_or(md.len(), |s| s.0);
    let sections = starts
        .iter()
        .enumerate()
        .map(|(i, (start, body_start, title))| {
            let end = starts.get(i + 1).map_or(md.len(), |next| next.0);
            let body_start = (*body_start).min(end);
            Section {
                title: title.clone(),
                heading_offset: offset + start,
                body: &md[body_start..end],
                body_offset: offset + body_start,
            }
        })
        .collect();
    Sections {
        preamble: &md[..first],
        preamble_offset: offset,
        sections,
    }
}

/// Turns heading text into an HTML id: lowercase words joined by hyphens.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// Hands out heading ids that are unique on one page, in page order.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    used: HashMap<String, usize>,
}

impl Anchors {
    /// Reserves ids the page template uses itself.
    pub fn reserve(&mut self, ids: &[&str]) {
        for id in ids {
            self.used.insert((*id).to_string(), 1);
        }
    }

    /// The id for a heading with this text: its slug, suffixed `-2`, `-3`… when already taken.
    pub fn make(&mut self, text: &str) -> String {
        let base = slugify(text);
        let n = self.used.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            let id = format!("{base}-{n}");
            self.used.insert(id.clone(), 1);
            id
        }
    }
}

/// A piece of Markdown parsed once: its events with their byte ranges, which both the heading
/// ids' dry run ([`Parsed::heading_anchors`]) and [`render_parsed`] read, so a page's text is
/// parsed once, not once per use.
#[derive(Debug, Clone)]
pub struct Parsed<'a> {
    md: &'a str,
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
}

impl<'a> Parsed<'a> {
    /// Parses `md` with the content's extensions.
    pub fn new(md: &'a str) -> Self {
        Parsed {
            md,
            events: Parser::new_ext(md, options()).into_offset_iter().collect(),
        }
    }

    /// The Markdown it was parsed from.
    pub fn source(&self) -> &'a str {
        self.md
    }

    /// The ids of every heading, taken from `anchors` in order (a dry run of rendering).
    pub fn heading_anchors(&self, anchors: &mut Anchors) -> Vec<String> {
        let mut ids = Vec::new();
        let mut text: Option<String> = None;
        for (event, _) in &self.events {
            match event {
                Event::Start(Tag::Heading { .. }) => text = Some(String::new()),
                Event::Text(t) | Event::Code(t) => {
                    if let Some(s) = text.as_mut() {
                        s.push_str(t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some(s) = text.take() {
                        ids.push(anchors.make(&s));
                    }
                }
                _ => {}
            }
        }
        ids
    }
}

/// The ids of every heading in `md`, taken from `anchors` in order (a dry run of rendering).
pub fn heading_anchors(md: &str, anchors: &mut Anchors) -> Vec<String> {
    Parsed::new(md).heading_anchors(anchors)
}

/// What links on the page may point at.
#[derive(Debug, Clone, Copy)]
pub struct LinkTargets<'a> {
    /// The pack id.
    pub pack: &'a str,
    /// The page's path relative to the site root (`scenarios/core/x/`), for `#anchor` links.
    pub page_path: &'a str,
    /// Where this scenario's files are served, relative to the site root.
    pub asset_dir: &'a str,
    /// Slugs of the pack's scenarios, for `@/slug` links.
    pub scenarios: &'a BTreeSet<String>,
    /// Files in the scenario's folder, for images and file links.
    pub files: &'a BTreeSet<String>,
    /// Heading ids on the page.
    pub anchors: &'a BTreeSet<String>,
}

/// A rendered piece of Markdown.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Safe HTML.
    pub html: String,
    /// Files of the scenario folder it uses (to copy into the site).
    pub files: BTreeSet<String>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders `md` (at byte `offset` of `file`) to safe HTML. `footnote_scope` keeps footnote ids of
/// different sections of one page apart; `anchors` continues the page's heading ids.
pub fn render(
    file: &SourceFile,
    md: &str,
    offset: usize,
    targets: &LinkTargets<'_>,
    anchors: &mut Anchors,
    footnote_scope: &str,
) -> Rendered {
    render_parsed(
        file,
        Parsed::new(md),
        offset,
        targets,
        anchors,
        footnote_scope,
    )
}

/// [`render`] for Markdown already parsed.
pub fn render_parsed(
    file: &SourceFile,
    parsed: Parsed<'_>,
    offset: usize,
    targets: &LinkTargets<'_>,
    anchors: &mut Anchors,
    footnote_scope: &str,
) -> Rendered {
    let md = parsed.md;
    let mut out = Rendered::default();
    let mut footnote_numbers: HashMap<String, usize> = HashMap::new();
    let mut defined: BTreeSet<String> = BTreeSet::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading: Option<(usize, String)> = None; // index of its Start event, text
    let mut text_run = String::new();
    let mut text_run_at = 0;
    let mut in_code = false;
    let mut bidi_reported = 0;
    let mut table: Option<TableName> = None;
    let mut link_depth = 0usize;
    let mut image_url: Option<String> = None;

    for (event, range) in parsed.events {
        let at = offset + range.start;
        if !matches!(event, Event::Text(_)) && !text_run.is_empty() {
            check_orphan_footnotes(file, &text_run, text_run_at, &mut out.diagnostics);
            text_run.clear();
        }
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Text(t) => {
                let raw = md.get(range.clone()).unwrap_or("");
                if bidi_reported < MAX_BIDI_REPORTS {
                    let d = bidi::escaped(file, at, raw, &t, "an HTML entity");
                    bidi_reported += usize::from(d.is_some());
                    out.diagnostics.extend(d);
                }
                if !in_code {
                    if text_run.is_empty() {
                        text_run_at = at;
                    }
                    text_run.push_str(&t);
                }
                if let Some((_, s)) = heading.as_mut() {
                    s.push_str(&t);
                }
                if let Some(name) = table.as_mut() {
                    name.push_text(&t);
                }
                events.push(Event::Text(t));
            }
            Event::Code(t) => {
                if let Some((_, s)) = heading.as_mut() {
                    s.push_str(&t);
                }
                if let Some(name) = table.as_mut() {
                    name.push_text(&t);
                }
                events.push(Event::Code(t));
            }
            // Wide logs and tables scroll sideways on a phone; a scrollable region must be
            // reachable by keyboard, so it gets a tab stop.
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let class = if lang.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"language-{}\"", crate::site_text::escape(&lang))
                };
                events.push(Event::Html(
                    format!("<pre tabindex=\"0\"><code{class}>").into(),
                ));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                events.push(Event::Html("</code></pre>\n".into()));
            }
            // The wrapper is named after the table's columns once they are read: a tab stop
            // needs a name to say what it is.
            Event::Start(Tag::Table(align)) => {
                table = Some(TableName::new(events.len()));
                events.push(Event::Html(String::new().into()));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::Start(Tag::TableHead) => {
                if let Some(name) = table.as_mut() {
                    name.in_head = true;
                }
                events.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(name) = table.as_mut() {
                    name.end_cell();
                }
                events.push(Event::End(TagEnd::TableCell));
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(name) = table.as_mut() {
                    name.in_head = false;
                }
                events.push(Event::End(TagEnd::TableHead));
            }
            Event::End(TagEnd::Table) => {
                if let Some(name) = table.take() {
                    events[name.at] = Event::Html(name.open_tag().into());
                }
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                if level == HeadingLevel::H1 {
                    out.diagnostics.push(file.error_at(
                        at,
                        "a `#` heading inside the content",
                        "the title comes from the front matter; use `###` or deeper for headings inside a section",
                    ));
                }
                heading = Some((events.len(), String::new()));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = heading.take() {
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
                        *id = Some(CowStr::from(anchors.make(&text)));
                    }
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let raw = md.get(range.clone()).unwrap_or("");
                for decoded in [&dest_url, &title] {
                    if bidi_reported < MAX_BIDI_REPORTS {
                        let d = bidi::escaped(file, at, raw, decoded, "an HTML entity");
                        bidi_reported += usize::from(d.is_some());
                        out.diagnostics.extend(d);
                    }
                }
                let url = match link_type {
                    LinkType::Email => dest_url.to_string(),
                    _ => check_link(file, at, &dest_url, targets, &mut out),
                };
                link_depth += 1;
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: url.into(),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let alt = alt_text(md, range.clone());
                if alt.trim().is_empty() {
                    out.diagnostics.push(file.error_at(
                        at,
                        "an image without a description",
                        "say what it shows between the brackets, e.g. `![Requests flow from the load balancer to two API pools](flow.svg)`",
                    ));
                }
                let url = check_image(file, at, &dest_url, targets, &mut out);
                // A diagram shrinks to fit a phone: it gets a link to see it whole, which opens
                // the file itself until the app takes it over and shows it full-screen with zoom
                // (app/src/viewer.rs). Not inside a link: links cannot nest.
                if link_depth == 0 && !url.is_empty() {
                    events.push(Event::Html("<span class=\"diagram\">".into()));
                    image_url = Some(url.clone());
                }
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: url.into(),
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                events.push(Event::End(TagEnd::Image));
                if let Some(url) = image_url.take() {
                    events.push(Event::Html(enlarge_link(&url).into()));
                }
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(Event::End(TagEnd::Link));
            }
            Event::FootnoteReference(label) => {
                let next = footnote_numbers.len() + 1;
                let n = *footnote_numbers.entry(label.to_string()).or_insert(next);
                let id = footnote_id(footnote_scope, &label);
                events.push(Event::Html(
                    format!(
                        "<sup class=\"footnote-ref\"><a href=\"{}#{id}\" id=\"ref-{id}\">{n}</a></sup>",
                        targets.page_path
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                defined.insert(label.to_string());
                let next = footnote_numbers.len() + 1;
                let n = *footnote_numbers.entry(label.to_string()).or_insert(next);
                let id = footnote_id(footnote_scope, &label);
                events.push(Event::Html(
                    format!("<div class=\"footnote\" id=\"{id}\"><span class=\"footnote-label\">{n}</span>").into(),
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => events.push(Event::Html("</div>".into())),
            other => events.push(other),
        }
    }
    if !text_run.is_empty() {
        check_orphan_footnotes(file, &text_run, text_run_at, &mut out.diagnostics);
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    // An outside page gets no handle on this one (`window.opener`) and no referrer. Only links
    // write `<a href="http`: raw HTML is text here, and internal hrefs are relative.
    out.html = out.html.replace(
        "<a href=\"http",
        "<a rel=\"noopener noreferrer\" href=\"http",
    );
    out
}

/// The control after an image that shows it whole, and the end of the image's wrapper.
fn enlarge_link(url: &str) -> String {
    let what = if url.to_ascii_lowercase().ends_with(".svg") {
        "diagram"
    } else {
        "image"
    };
    format!(
        "<a class=\"diagram-open\" href=\"{}\">Enlarge {what}</a></span>",
        crate::site_text::escape(url)
    )
}

/// How many column names a table's accessible name lists before it says how many more there are.
const NAMED_COLUMNS: usize = 4;

/// The accessible name of a table's scrolling wrapper, gathered from its header row.
struct TableName {
    /// Index of the wrapper's placeholder event.
    at: usize,
    in_head: bool,
    cell: String,
    columns: Vec<String>,
}

impl TableName {
    fn new(at: usize) -> Self {
        TableName {
            at,
            in_head: false,
            cell: String::new(),
            columns: Vec::new(),
        }
    }

    fn push_text(&mut self, text: &str) {
        if self.in_head {
            self.cell.push_str(text);
        }
    }

    fn end_cell(&mut self) {
        if self.in_head {
            let name = self.cell.split_whitespace().collect::<Vec<_>>().join(" ");
            self.columns.push(name);
            self.cell.clear();
        }
    }

    /// "Table: Time, Service, Errors" — or "…, and 3 more columns" past [`NAMED_COLUMNS`].
    fn label(&self) -> String {
        let named: Vec<&str> = self
            .columns
            .iter()
            .map(String::as_str)
            .filter(|c| !c.is_empty())
            .collect();
        if named.is_empty() {
            return "Table".to_string();
        }
        let mut label = format!(
            "Table: {}",
            named[..named.len().min(NAMED_COLUMNS)].join(", ")
        );
        match named.len().saturating_sub(NAMED_COLUMNS) {
            0 => {}
            1 => label.push_str(", and 1 more column"),
            more => label.push_str(&format!(", and {more} more columns")),
        }
        label
    }

    /// The wrapper's opening tag: a tab stop, so a keyboard can scroll it, named as a group (not
    /// a landmark, whose names must differ on a page: two tables may share their columns).
    fn open_tag(&self) -> String {
        format!(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"{}\">",
            crate::site_text::escape(&self.label())
        )
    }
}

fn footnote_id(scope: &str, label: &str) -> String {
    format!("fn-{scope}-{}", slugify(label))
}

/// GFM renders a footnote reference without a definition as plain `[^x]`: catch it.
fn check_orphan_footnotes(file: &SourceFile, text: &str, at: usize, diags: &mut Vec<Diagnostic>) {
    let mut rest = text;
    while let Some(i) = rest.find("[^") {
        let after = &rest[i + 2..];
        if let Some(end) = after.find(']') {
            let label = &after[..end];
            if !label.is_empty() && !label.contains(char::is_whitespace) {
                diags.push(file.error_at(
                    at,
                    format!("footnote `[^{label}]` has no definition in this section"),
                    format!("add a line `[^{label}]: …` at the end of the same section"),
                ));
            }
        }
        rest = after;
    }
}

/// The alt text of an image, read from the source (`![alt](url)`).
fn alt_text(md: &str, range: std::ops::Range<usize>) -> &str {
    let src = &md[range];
    src.strip_prefix("![")
        .and_then(|s| s.split_once("]("))
        .map_or("", |(alt, _)| alt)
}

/// Checks a link and returns the URL to write (site-root-relative for internal links).
fn check_link(
    file: &SourceFile,
    at: usize,
    url: &str,
    t: &LinkTargets<'_>,
    out: &mut Rendered,
) -> String {
    if is_web_link(url) {
        return url.to_string();
    }
    if let Some(rest) = url.strip_prefix("@/") {
        let (slug, fragment) = rest
            .split_once('#')
            .map_or((rest, None), |(s, f)| (s, Some(f)));
        let slug = slug.trim_end_matches('/');
        if !t.scenarios.contains(slug) {
            out.diagnostics.push(file.error_at(
                at,
                format!(
                    "link to scenario `{slug}`, which is not in pack `{}`",
                    t.pack
                ),
                format!(
                    "use the folder name of a scenario in this pack: {}",
                    list_or_none(t.scenarios)
                ),
            ));
        }
        let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
        return format!("scenarios/{}/{slug}/{fragment}", t.pack);
    }
    if let Some(anchor) = url.strip_prefix('#') {
        if !t.anchors.contains(anchor) {
            out.diagnostics.push(file.error_at(
                at,
                format!("link to `#{anchor}`, which is not a heading on this page"),
                format!("use one of: {}", list_or_none(t.anchors)),
            ));
        }
        return format!("{}#{anchor}", t.page_path);
    }
    if url.starts_with('/') || url.contains("..") || url.contains(':') || url.is_empty() {
        out.diagnostics.push(file.error_at(
            at,
            format!("link `{url}` cannot be resolved on a static site under a sub-path"),
            "link to a scenario with `@/slug`, to a heading with `#anchor`, to a file in this folder by its name, or to a full https:// address",
        ));
        // The build stops on the error; the address still never reaches HTML (`javascript:`…).
        return String::new();
    }
    let name = url.split('#').next().unwrap_or(url);
    if !t.files.contains(name) {
        out.diagnostics.push(file.error_at(
            at,
            format!("link to `{name}`, which is not a file in this scenario's folder"),
            "put the file next to scenario.md, or fix the name",
        ));
    }
    out.files.insert(name.to_string());
    format!("{}{url}", t.asset_dir)
}

fn check_image(
    file: &SourceFile,
    at: usize,
    url: &str,
    t: &LinkTargets<'_>,
    out: &mut Rendered,
) -> String {
    if is_web_link(url) || url.starts_with("//") {
        out.diagnostics.push(file.error_at(
            at,
            format!("image `{url}` is loaded from another site"),
            "the site makes no third-party requests: save the image into the scenario folder and use its file name",
        ));
        return String::new();
    }
    let ext = url.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    if url.contains('/') || url.contains("..") || !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        out.diagnostics.push(file.error_at(
            at,
            format!("image `{url}` is not an image file in this scenario's folder"),
            format!(
                "put a {} file next to scenario.md and use its bare file name",
                IMAGE_EXTENSIONS.join("/")
            ),
        ));
        return String::new();
    }
    if !t.files.contains(url) {
        out.diagnostics.push(file.error_at(
            at,
            format!("image `{url}` does not exist in this scenario's folder"),
            "add the file next to scenario.md, or fix the name",
        ));
    }
    out.files.insert(url.to_string());
    format!("{}{url}", t.asset_dir)
}

fn list_or_none(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "(none)".to_string()
    } else {
        set.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether the Markdown has any visible content (not only whitespace or comments).
pub fn is_blank(md: &str) -> bool {
    // Only HTML blocks (`<`) and link reference definitions (`[`) produce nothing visible:
    // any other printable ASCII character that starts the text opens a paragraph, heading, list, quote, table, rule or
    // code block. Nearly every section does, and this spares parsing it all once more.
    match md
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .chars()
        .next()
    {
        Some(c) if c.is_ascii_graphic() && c != '<' && c != '[' => false,
        _ => parsed_blank(md),
    }
}

/// [`is_blank`] by parsing.
fn parsed_blank(md: &str) -> bool {
    Parser::new_ext(md, options()).all(|e| match e {
        Event::SoftBreak
        | Event::HardBreak
        | Event::Start(Tag::HtmlBlock)
        | Event::End(TagEnd::HtmlBlock) => true,
        Event::Html(t) | Event::InlineHtml(t) => {
            t.trim().is_empty() || t.trim_start().starts_with("<!--")
        }
        Event::Text(t) => t.trim().is_empty(),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture {
        scenarios: BTreeSet<String>,
        files: BTreeSet<String>,
        anchors: BTreeSet<String>,
    }

    impl Fixture {
        fn new() -> Self {
            Fixture {
                scenarios: ["other".to_string()].into(),
                files: ["flow.svg".to_string(), "trace.txt".to_string()].into(),
                anchors: ["timeline".to_string()].into(),
            }
        }
        fn render(&self, md: &str) -> Rendered {
            let file = SourceFile::new("s.md", md);
            let t = LinkTargets {
                pack: "core",
                page_path: "scenarios/core/x/",
                asset_dir: "scenarios/core/x/",
                scenarios: &self.scenarios,
                files: &self.files,
                anchors: &self.anchors,
            };
            render(&file, md, 0, &t, &mut Anchors::default(), "situation")
        }
    }

    fn problems(r: &Rendered) -> Vec<String> {
        r.diagnostics.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn raw_html_is_escaped() {
        let r = Fixture::new().render("<script>alert(1)</script>\n\nHi <b onclick=x>there</b>\n");
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<b "), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn script_and_data_addresses_are_refused_however_written() {
        let f = Fixture::new();
        for md in [
            "[a](javascript:alert(1))",
            "[a](JaVaScRiPt:alert(1))",
            "[a](java&#x09;script:alert(1))",
            "[a](javascript&#58;alert(1))",
            "[a](<javascript:alert(1)>)",
            "<javascript:alert(1)>",
            "[a][r]\n\n[r]: javascript:alert(1)",
            "[a](data:text/html,<script>alert(1)</script>)",
            "[a](vbscript:x)",
            "![a](javascript:alert(1))",
        ] {
            let r = f.render(md);
            assert_eq!(r.diagnostics.len(), 1, "{md}: {:?}", problems(&r));
            let lower = r.html.to_ascii_lowercase();
            assert!(
                !lower.contains("href=\"javascript") && !lower.contains("src=\"javascript"),
                "{md}: {}",
                r.html
            );
        }
    }

    #[test]
    fn bidi_controls_written_as_entities_are_refused() {
        let r = Fixture::new()
            .render("Approved by &#x202E;nimda and [x](https://a.example \"t&#8294;\")\n");
        let p = problems(&r);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("s.md:1:13: bidirectional control character U+202E"),
            "{p:?}"
        );
        assert!(
            p[1].contains("U+2066 (LEFT-TO-RIGHT ISOLATE) written as an HTML entity"),
            "{p:?}"
        );
        // A literal one is the whole-file scan's to report, once; code shows entities as text.
        assert!(Fixture::new()
            .render("a \u{202E} b `&#x202E;`\n")
            .diagnostics
            .is_empty());
    }

    #[test]
    fn tables_code_and_footnotes_render() {
        let md = "| a | b |\n|---|---|\n| 1 | 2 |\n\n```log\nERROR x\n```\n\nSee[^src].\n\n[^src]: The postmortem.\n";
        let r = Fixture::new().render(md);
        assert!(problems(&r).is_empty(), "{:?}", problems(&r));
        assert!(r.html.contains("<table>"));
        assert!(
            r.html
                .contains("<pre tabindex=\"0\"><code class=\"language-log\">ERROR x"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table: a, b\"><table>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("href=\"scenarios/core/x/#fn-situation-src\""),
            "{}",
            r.html
        );
        assert!(r
            .html
            .contains("<div class=\"footnote\" id=\"fn-situation-src\">"));
    }

    #[test]
    fn a_table_is_named_after_its_columns() {
        let f = Fixture::new();
        let open = |md: &str| {
            let html = f.render(md).html;
            let start = html.find("<div class=\"table-wrap\"").expect("a wrapper");
            html[start..start + html[start..].find('>').unwrap() + 1].to_string()
        };
        assert_eq!(
            open("| Time | `svc` **name** | Errors &amp; \"drops\" |\n|---|---|---|\n| 1 | 2 | 3 |\n"),
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table: Time, svc name, Errors &amp; &quot;drops&quot;\">"
        );
        assert!(
            open("| a | b | c | d | e | f |\n|-|-|-|-|-|-|\n|1|2|3|4|5|6|\n")
                .contains("aria-label=\"Table: a, b, c, d, and 2 more columns\"")
        );
        assert!(open("| a | b | c | d | e |\n|-|-|-|-|-|\n|1|2|3|4|5|\n")
            .contains("aria-label=\"Table: a, b, c, d, and 1 more column\""));
        assert!(open("|   |   |\n|---|---|\n| 1 | 2 |\n").contains("aria-label=\"Table\""));
        // Body cells never reach the name; each table gets its own.
        let two = f
            .render("| a |\n|---|\n| secret |\n\n| b |\n|---|\n| 2 |\n")
            .html;
        assert!(!two.contains("secret\""), "{two}");
        assert!(
            two.contains("aria-label=\"Table: a\"") && two.contains("aria-label=\"Table: b\""),
            "{two}"
        );
    }

    #[test]
    fn an_image_offers_to_be_seen_whole() {
        let f = Fixture::new();
        let r = f.render("See ![Requests flow to two pools](flow.svg) here.\n");
        assert!(problems(&r).is_empty(), "{:?}", problems(&r));
        assert!(
            r.html.contains("<span class=\"diagram\"><img src=\"scenarios/core/x/flow.svg\" alt=\"Requests flow to two pools\" /><a class=\"diagram-open\" href=\"scenarios/core/x/flow.svg\">Enlarge diagram</a></span>"),
            "{}",
            r.html
        );
        let f = Fixture {
            files: ["shot.PNG".to_string()].into(),
            ..Fixture::new()
        };
        assert!(f
            .render("![A screenshot](shot.PNG)\n")
            .html
            .contains(">Enlarge image</a></span>"));
        // Inside a link the image is the link's: links cannot nest.
        let linked = f
            .render("[![A screenshot](shot.PNG)](https://a.example)\n")
            .html;
        assert!(!linked.contains("diagram"), "{linked}");
        // A refused image gets no control to open nothing.
        assert!(!f
            .render("![x](https://cdn.example/x.png)\n")
            .html
            .contains("diagram-open"));
    }

    #[test]
    fn links_are_checked_and_rewritten() {
        let md = "[a](@/other) [b](#timeline) [c](trace.txt) [d](https://example.com) \
                  [e](@/missing) [f](#nope) [g](/abs) [h](gone.txt) ![](flow.svg) ![x](https://cdn.example/x.png)\n";
        let r = Fixture::new().render(md);
        assert!(r.html.contains("href=\"scenarios/core/other/\""));
        assert!(r.html.contains("href=\"scenarios/core/x/#timeline\""));
        assert!(r.html.contains("href=\"scenarios/core/x/trace.txt\""));
        assert!(r
            .html
            .contains("<a rel=\"noopener noreferrer\" href=\"https://example.com\">d</a>"));
        assert_eq!(r.html.matches("noopener").count(), 1, "{}", r.html);
        let p = problems(&r);
        assert_eq!(p.len(), 6, "{p:#?}");
        assert!(p[0].contains("scenario `missing`, which is not in pack `core`"));
        assert!(p[1].contains("`#nope`, which is not a heading"));
        assert!(p[2].contains("`/abs` cannot be resolved"));
        assert!(p[3].contains("`gone.txt`, which is not a file"));
        assert!(p[4].contains("an image without a description"));
        assert!(p[5].contains("loaded from another site"));
        assert_eq!(
            r.files,
            [
                "flow.svg".to_string(),
                "gone.txt".into(),
                "trace.txt".into()
            ]
            .into()
        );
    }

    #[test]
    fn orphan_footnote_and_h1_are_errors() {
        let r = Fixture::new().render("# Big\n\nAs shown[^1].\n");
        let p = problems(&r);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("s.md:1:1: a `#` heading"));
        assert!(p[1].contains("footnote `[^1]` has no definition"));
    }

    #[test]
    fn headings_get_unique_ids() {
        let mut a = Anchors::default();
        a.reserve(&["situation"]);
        assert_eq!(
            heading_anchors("### Situation\n### Logs\n### Logs\n", &mut a),
            ["situation-2", "logs", "logs-2"]
        );
        assert_eq!(slugify("p99 latency (ms) — EU"), "p99-latency-ms-eu");
    }

    #[test]
    fn sections_split_ignores_code_blocks() {
        let md = "intro\n## One\ntext\n```\n## not a heading\n```\n## Two\nmore\n";
        let s = split_sections(md, 10, HeadingLevel::H2);
        assert_eq!(s.preamble, "intro\n");
        let titles: Vec<_> = s.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two"]);
        assert!(s.sections[0].body.contains("## not a heading"));
        assert_eq!(s.sections[1].body, "more\n");
        assert_eq!(s.sections[0].heading_offset, 16);
    }

    #[test]
    fn blankness() {
        assert!(is_blank("  \n\n<!-- note -->\n"));
        assert!(!is_blank("x"));
        // The shortcut for text starting with printable ASCII other than `<` or `[` agrees with
        // parsing it (a form feed, say, is blank to the parser).
        for md in [
            "- item",
            "* ",
            "-",
            "---",
            "> quote",
            "**",
            "| a |",
            "&nbsp;",
            "&#32;\n",
            "\\",
            "`",
            "```\n```",
            "~~~",
            "#",
            "# ",
            "!",
            "=",
            "\u{a0}",
            "\u{3000}x",
            "\x0c",
            "*&nbsp;*",
            "    <!-- indented -->",
            "x",
            "  \n\n   Word",
            "    indented code",
            "\tcode",
            "1. item",
            "2) item",
            "a | b\n--|--\n1 | 2",
            "Title\n===",
            "x\n\n[a]: /url",
            "9",
            "[a]:\n/url\n",
            "<!-- c -->\nword",
            "&#32;",
        ] {
            assert_eq!(is_blank(md), parsed_blank(md), "{md:?}");
        }
        assert!(is_blank("[a]:\n/url\n"));
    }
}
