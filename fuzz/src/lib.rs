//! What each fuzz target checks, one function per target. Every function must return normally for
//! any input: a panic here is a bug found (a crash in the code under test, or a broken property).
//!
//! This file is also compiled into `core/tests/fuzz_regressions.rs`, which replays every input kept
//! in `fuzz/regressions/` on stable Rust in `cargo test`; so it uses only `leap_core`, its
//! dependencies and `std`.

use leap_core::compiler::answers::compile_answer;
use leap_core::compiler::diagnostics::Diagnostic;
use leap_core::compiler::front_matter;
use leap_core::compiler::markdown::{self, split_sections, Anchors, LinkTargets};
use leap_core::compiler::scenario::{compile_scenario as compile_folder, ScenarioInput};
use leap_core::compiler::schema::{RubricFile, ScenarioFile};
use leap_core::compiler::source::SourceFile;
use leap_core::compiler::CompiledScenario;
use leap_core::grading::provider::ProviderKind;
use leap_core::grading::quotes;
use leap_core::grading::reader::ReplyReader;
use leap_core::grading::reply::{self, Unusable};
use leap_core::grading::sse::{SseEvent, SseParser};
use leap_core::grading::stream::{Decoder, Delta};
use leap_core::md::{is_web_link, render_untrusted};
use leap_core::storage::export::{self, ExportFile};
use leap_core::storage::kv::MemoryStore;
use leap_core::storage::repo::Repo;
use pulldown_cmark::HeadingLevel;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Splits the input at NUL bytes into at most `n` texts (invalid UTF-8 replaced, as a browser's
/// decoder or `read_to_string`'s error path would make it text or reject it).
fn texts(data: &[u8], n: usize) -> Vec<String> {
    data.splitn(n, |b| *b == 0)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// compile_scenario: `scenario.md` NUL `rubric.md` NUL `answers/strong.md` NUL `primer.md`.

const PACK: &str = "fuzz";
const SLUG: &str = "s";
const REL_DIR: &str = "packs/fuzz/scenarios/s";

/// Pack Markdown and front matter through the compiler: the pure pieces on strings, then the whole
/// scenario folder as `leap check` compiles it. Checks that every diagnostic points into its file,
/// that rendered HTML holds only the tags and attributes Markdown produces (raw HTML is escaped),
/// and that a scenario that compiles without a problem links nowhere unsafe.
pub fn compile_scenario(data: &[u8]) {
    let parts = texts(data, 4);
    let part = |i: usize| parts.get(i).map(String::as_str);
    let scenario = SourceFile::new(format!("{REL_DIR}/scenario.md"), part(0).unwrap_or(""));
    let rubric = SourceFile::new(format!("{REL_DIR}/rubric.md"), part(1).unwrap_or(""));

    pure_markdown(&scenario, |f, s| {
        front_matter::parse::<ScenarioFile>(f, s).diagnostics
    });
    pure_markdown(&rubric, |f, s| {
        front_matter::parse::<RubricFile>(f, s).diagnostics
    });
    if let Some(text) = part(2) {
        let answer = SourceFile::new(format!("{REL_DIR}/answers/strong.md"), text);
        let ids = ["kill-switch".to_string(), "simulate".to_string()];
        for criteria in [None, Some(&ids[..])] {
            let (compiled, diags) = compile_answer(&answer, "strong", criteria);
            located(&answer, &diags);
            assert!(
                compiled.is_none() || diags.is_empty(),
                "an answer with problems compiled: {diags:?}"
            );
        }
    }
    untrusted_markdown(part(0).unwrap_or(""));

    whole_folder(&parts);
}

/// Splitting, front matter and rendering of one file, from strings.
fn pure_markdown(
    file: &SourceFile,
    front: impl Fn(&SourceFile, &leap_core::compiler::source::Split<'_>) -> Vec<Diagnostic>,
) {
    let split = match file.split_front_matter() {
        Ok(s) => s,
        Err(d) => return located(file, &[d]),
    };
    let fm_end = split.front_matter_offset + split.front_matter.len();
    assert_eq!(
        file.text.get(split.front_matter_offset..fm_end),
        Some(split.front_matter)
    );
    assert_eq!(file.text.get(split.body_offset..), Some(split.body));
    located(file, &front(file, &split));

    let sections = split_sections(split.body, split.body_offset, HeadingLevel::H2);
    let files: BTreeSet<String> = ["log.txt".to_string()].into();
    let scenarios: BTreeSet<String> = [SLUG.to_string(), "other".to_string()].into();
    let mut anchors = Anchors::default();
    let ids: BTreeSet<String> = markdown::heading_anchors(split.body, &mut anchors)
        .into_iter()
        .collect();
    let targets = LinkTargets {
        pack: PACK,
        page_path: "scenarios/fuzz/s/",
        asset_dir: "scenarios/fuzz/s/",
        scenarios: &scenarios,
        files: &files,
        anchors: &ids,
    };
    let mut anchors = Anchors::default();
    for (i, s) in sections.sections.iter().enumerate() {
        let end = s.body_offset + s.body.len();
        assert_eq!(
            file.text.get(s.body_offset..end),
            Some(s.body),
            "section {i} is not where it says"
        );
        let r = markdown::render(
            file,
            s.body,
            s.body_offset,
            &targets,
            &mut anchors,
            &format!("s{i}"),
        );
        located(file, &r.diagnostics);
        safe_html(&r.html, r.diagnostics.is_empty());
    }
    let _ = markdown::is_blank(split.body);
}

/// Markdown a learner or a model wrote, rendered for display: only web links, no images.
fn untrusted_markdown(md: &str) {
    let html = render_untrusted(md);
    safe_html(&html, true);
    assert!(
        !html.contains("<img"),
        "an image in untrusted Markdown: {html}"
    );
    for (i, _) in html.match_indices("<a ") {
        assert!(
            html[i..]
                .starts_with("<a rel=\"noopener noreferrer nofollow\" target=\"_blank\" href=\""),
            "a link without rel=noopener: {html}"
        );
    }
}

/// A scratch scenario folder for this process and thread, under the temp dir.
pub fn scratch_dir() -> PathBuf {
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    std::env::temp_dir().join(format!("leap-fuzz-{}-{thread}", std::process::id()))
}

/// The scenario folder as `leap check` reads it, written to [`scratch_dir`].
fn whole_folder(parts: &[String]) {
    let dir = scratch_dir();
    std::fs::create_dir_all(dir.join("answers")).expect("a temp folder");
    {
        let dir = &dir;
        for (i, name) in ["scenario.md", "rubric.md", "answers/strong.md", "primer.md"]
            .into_iter()
            .enumerate()
        {
            let path = dir.join(name);
            match parts.get(i) {
                Some(text) => std::fs::write(&path, text).expect("write to the temp folder"),
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        let slugs: BTreeSet<String> = [SLUG.to_string()].into();
        let outcome = compile_folder(&ScenarioInput {
            pack: PACK,
            slug: SLUG,
            dir,
            rel_dir: REL_DIR.to_string(),
            pack_slugs: &slugs,
        });
        for d in &outcome.diagnostics {
            assert!(
                d.path.starts_with(REL_DIR),
                "diagnostic outside the folder: {d:?}"
            );
            assert!(
                d.line >= 1 && d.column >= 1,
                "diagnostic without a position: {d:?}"
            );
            let text = match d.path.strip_prefix(REL_DIR) {
                Some("/scenario.md") => parts.first(),
                Some("/rubric.md") => parts.get(1),
                Some("/answers/strong.md") => parts.get(2),
                Some("/primer.md") => parts.get(3),
                _ => None,
            };
            if let Some(text) = text {
                let lines = text
                    .strip_prefix('\u{feff}')
                    .unwrap_or(text)
                    .split('\n')
                    .count();
                assert!(
                    d.line <= lines,
                    "diagnostic past the end of the file ({lines} lines): {d:?}"
                );
            }
        }
        if let Some(compiled) = &outcome.compiled {
            assert!(
                outcome.diagnostics.is_empty(),
                "compiled with problems: {:?}",
                outcome.diagnostics
            );
            compiled_html(compiled);
        }
    }
}

fn compiled_html(s: &CompiledScenario) {
    let body = &s.body;
    let mut all = vec![&body.situation, &body.ask];
    all.extend(body.primer.as_ref());
    all.extend(body.artifacts.iter().map(|a| &a.body));
    let r = &s.rubric;
    all.extend([
        &r.failure_mode,
        &r.reframing_question,
        &r.red_flags,
        &r.common_mistakes,
        &r.reference_reasoning,
    ]);
    for c in &r.criteria {
        all.extend([&c.insight, &c.caught, &c.partial, &c.why]);
    }
    for prose in all {
        safe_html(&prose.html, true);
    }
}

/// Diagnostics of `file` point at a line and column inside it.
fn located(file: &SourceFile, diags: &[Diagnostic]) {
    let lines: Vec<&str> = file.text.split('\n').collect();
    for d in diags {
        assert_eq!(d.path, file.path, "diagnostic for another file: {d:?}");
        assert!(
            d.line >= 1 && d.line <= lines.len() && d.column >= 1,
            "diagnostic outside the file ({} lines): {d:?}",
            lines.len()
        );
        // A column may point just past the line's last character (at its line ending).
        assert!(
            d.column <= lines[d.line - 1].chars().count() + 1,
            "column past the end of the line: {d:?}"
        );
    }
}

/// Tags and attributes rendered Markdown may contain.
const TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];
const ATTRIBUTES: &[&str] = &[
    "alt",
    "aria-label",
    "checked",
    "class",
    "disabled",
    "href",
    "id",
    "rel",
    "role",
    "src",
    "start",
    "style",
    "tabindex",
    "target",
    "title",
    "type",
];

/// HTML holds only Markdown's tags and attributes (any raw HTML was escaped into text), and, when
/// `links_checked` (the renderer reported no problem), no link or image that runs script or
/// leaves the site except to a web page.
fn safe_html(html: &str, links_checked: bool) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let close = rest
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in {html:?}"));
        let tag = rest[..close].trim_end_matches('/');
        rest = &rest[close + 1..];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(
            TAGS.contains(&name),
            "tag <{name}> in rendered Markdown: {html:?}"
        );
        while !attrs.trim().is_empty() {
            attrs = attrs.trim_start();
            let (attr, value, after) = match attrs.split_once("=\"") {
                Some((attr, v)) if !attr.contains(' ') => {
                    let end = v
                        .find('"')
                        .unwrap_or_else(|| panic!("unclosed attribute in {html:?}"));
                    (attr, &v[..end], &v[end + 1..])
                }
                _ => {
                    let end = attrs.find(' ').unwrap_or(attrs.len());
                    (&attrs[..end], "", &attrs[end..])
                }
            };
            assert!(
                ATTRIBUTES.contains(&attr),
                "attribute {attr} on <{name}>: {html:?}"
            );
            assert!(
                !value.contains('<'),
                "unescaped < in an attribute: {html:?}"
            );
            if links_checked && (attr == "href" || attr == "src") {
                assert!(safe_url(value), "unsafe {attr}={value:?} in {html:?}");
            }
            attrs = after;
        }
    }
}

/// A URL that is relative to the site, or a web or mail address.
fn safe_url(url: &str) -> bool {
    let scheme_end = url.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|i| url[i..].starts_with(':'));
    !has_scheme || is_web_link(url)
}

// ---------------------------------------------------------------------------------------------
// stream_decoder: [count][count × 2 cut bytes][stream text].

/// A streamed reply decodes to the same deltas however its bytes were split into chunks, for every
/// provider's wire format, and SSE parses to the same events.
pub fn stream_decoder(data: &[u8]) {
    let (count, rest) = data
        .split_first()
        .map_or((0, data), |(c, r)| (*c as usize % 17, r));
    let cut_bytes = rest.len().min(count * 2);
    let (cuts, body) = rest.split_at(cut_bytes);
    let text = String::from_utf8_lossy(body);
    let mut at: Vec<usize> = cuts
        .chunks(2)
        .map(|c| {
            let n = usize::from(c[0]) << 8 | usize::from(*c.get(1).unwrap_or(&0));
            let mut i = n % (text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        })
        .collect();
    at.sort_unstable();
    at.dedup();
    let mut chunks = Vec::new();
    let mut from = 0;
    for &i in &at {
        chunks.push(&text[from..i]);
        from = i;
    }
    chunks.push(&text[from..]);
    let chars: Vec<&str> = text
        .char_indices()
        .map(|(i, c)| &text[i..i + c.len_utf8()])
        .collect();

    for provider in ProviderKind::ALL {
        let whole = decode(provider, &[&text]);
        assert_eq!(
            decode(provider, &chunks),
            whole,
            "{provider:?}, chunks {chunks:?}"
        );
        assert_eq!(
            decode(provider, &chars),
            whole,
            "{provider:?}, one character at a time"
        );
        for d in &whole {
            if let Delta::Text(t) = d {
                assert!(
                    !t.is_empty() || provider == ProviderKind::Anthropic,
                    "an empty text delta"
                );
            }
        }
    }

    let whole = sse(&[&text]);
    assert_eq!(sse(&chunks), whole, "SSE, chunks {chunks:?}");
    assert_eq!(sse(&chars), whole, "SSE, one character at a time");
    for e in &whole {
        match e {
            SseEvent::Message { event, .. } => {
                assert!(event.as_deref().is_none_or(|e| !e.contains('\n')));
            }
            SseEvent::Comment(c) => assert!(!c.contains('\n')),
        }
    }
}

fn decode(provider: ProviderKind, chunks: &[&str]) -> Vec<Delta> {
    let mut d = Decoder::new(provider);
    let mut out: Vec<Delta> = chunks.iter().flat_map(|c| d.feed(c)).collect();
    out.extend(d.finish());
    out
}

fn sse(chunks: &[&str]) -> Vec<SseEvent> {
    let mut p = SseParser::new();
    let mut out: Vec<SseEvent> = chunks.iter().flat_map(|c| p.feed(c)).collect();
    out.extend(p.finish());
    out
}

// ---------------------------------------------------------------------------------------------
// reply_reader: [answer NUL] reply.

const CRITERIA: &[&str] = &["global-push", "kill-switch", "simulate"];
const ANSWER: &str = "Every PoP failed at once, so it is the 13:42 rule push. Kill switch now.";
const BOUNDARY: &str = "ANSWER-7f3a9c";

/// A model's reply (with the learner's answer before a NUL, if any) through the reply reader: the
/// result is the same however the reply was chunked; a reply that repeats the fence's boundary is
/// never a result; a grade holds only rubric criteria, once each, in rubric order, with every
/// criterion either graded or listed as ungraded, and evidence verified only if it is in the answer.
pub fn reply_reader(data: &[u8]) {
    let parts = texts(data, 2);
    let (answer, raw) = match parts.as_slice() {
        [answer, raw] => (answer.as_str(), raw.as_str()),
        [raw] => (ANSWER, raw.as_str()),
        _ => unreachable!("splitn yields one or two parts"),
    };
    let ids: Vec<String> = CRITERIA.iter().map(|s| s.to_string()).collect();
    let whole = reply::validate(raw, &ids, answer, BOUNDARY);

    let mut reader = ReplyReader::new(&ids, answer, BOUNDARY);
    for (i, c) in raw.char_indices() {
        reader.push(&raw[i..i + c.len_utf8()]);
    }
    assert_eq!(reader.finish(), whole, "read one character at a time");

    match whole {
        Ok(grade) => {
            assert!(
                !raw.contains(BOUNDARY),
                "a reply that echoes the fence was read"
            );
            assert!(!grade.criteria.is_empty(), "a grade without verdicts");
            let graded: Vec<&str> = grade.criteria.iter().map(|c| c.id.as_str()).collect();
            let in_order: Vec<&str> = CRITERIA
                .iter()
                .copied()
                .filter(|id| graded.contains(id))
                .collect();
            assert_eq!(
                graded, in_order,
                "graded criteria not unique, known and in rubric order"
            );
            let ungraded: Vec<&str> = CRITERIA
                .iter()
                .copied()
                .filter(|id| !graded.contains(id))
                .collect();
            assert_eq!(grade.ungraded, ungraded);
            for c in &grade.criteria {
                for e in &c.evidence {
                    assert!(!e.quote.trim().is_empty(), "blank evidence kept");
                    assert_eq!(e.verified, quotes::is_in(&e.quote, answer), "{e:?}");
                }
            }
        }
        Err(Unusable::Empty) => assert!(raw.trim().is_empty(), "a reply with text read as empty"),
        Err(_) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// import_parser: the text of an export file.

/// An export file through the import: what parses survives a round trip, and merging it stores
/// every attempt and draft it reports, readable again, and merging it a second time adds nothing.
pub fn import_parser(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(file) = export::parse(&text) else {
        return;
    };
    let again = export::parse(&serde_json::to_string(&file).expect("an export serialises"))
        .expect("a parsed export parses again once written");
    assert!(
        same_json(&to_value(&file), &to_value(&again)),
        "a parsed export changed on a round trip"
    );

    let mut repo = Repo::new(MemoryStore::new());
    let first = export::merge(&mut repo, &file).expect("an unlimited store takes any import");
    let stored = repo.all().expect("the memory store reads");
    let attempts: usize = stored.iter().map(|(_, _, s)| s.attempts.len()).sum();
    let drafts = stored.iter().filter(|(_, _, s)| s.draft.is_some()).count();
    assert_eq!(
        attempts,
        first.added + first.copies,
        "imported attempts are not all stored: {first:?}"
    );
    assert_eq!(
        drafts, first.drafts_added,
        "imported drafts are not all stored: {first:?}"
    );
    assert!(
        repo.notices.is_empty(),
        "imported entries were set aside: {:?}",
        repo.notices
    );

    let second = export::merge(&mut repo, &file).expect("an unlimited store takes any import");
    assert_eq!(
        (
            second.added,
            second.copies,
            second.drafts_added,
            second.set_aside
        ),
        (0, 0, 0, 0),
        "importing the same file twice added something the second time: {second:?}"
    );
    assert_eq!(repo.all().expect("the memory store reads"), stored);
}

fn to_value(file: &ExportFile) -> Value {
    serde_json::to_value(file).expect("an export serialises")
}

/// JSON equality, with floats equal to within rounding (serde_json may read a float back one unit
/// in the last place off; that is not the import's doing).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()) * 4.0
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}
