//! One scenario folder: `scenario.md`, `rubric.md`, optional `primer.md`, `answers/*.md` and any
//! files they embed. Validates each against the content format and renders the page's Markdown.

use super::answers::compile_answer_of;
use super::assets;
use super::bidi;
use super::checks::Checker;
use super::diagnostics::Diagnostic;
use super::front_matter;
use super::investigation::{self, ParsedInvestigation, ProbeIndex, INVESTIGATION_SECTIONS};
use super::markdown::{self, split_sections, Anchors, LinkTargets, Parsed, Section};
use super::output::ScenarioJson;
use super::rubric::{check_reference_reasoning, compile_rubric_front_matter, RUBRIC_SECTIONS};
use super::scaffold::leftover_placeholders;
use super::schema::{RubricFile, ScenarioFile};
use super::source::SourceFile;
use super::CompiledScenario;
use crate::baked::{
    Artifact, Criterion, Inject, Investigation, Probe, Prose, Rubric, ScenarioBody, ScenarioSummary,
};
use crate::routes::{is_slug, Route};
use crate::taxonomy::{Competency, Kind, Level, Quality, Track};
use pulldown_cmark::HeadingLevel;
use std::collections::BTreeSet;
use std::path::Path;

/// The sections of `scenario.md`, in order.
pub const SCENARIO_SECTIONS: &[&str] = &["Situation", "Artifacts", "The ask"];

/// Every section `scenario.md` may have: the briefing's, then an investigation's.
fn all_sections() -> Vec<&'static str> {
    SCENARIO_SECTIONS
        .iter()
        .chain(INVESTIGATION_SECTIONS)
        .copied()
        .collect()
}

/// Ids the scenario page template uses for its own headings; content headings never take them.
pub const PAGE_IDS: &[&str] = &[
    "situation",
    "artifacts",
    "the-ask",
    "primer",
    "practice",
    "rubric",
    "main",
];

/// Where a scenario lives and what its links may point at.
pub struct ScenarioInput<'a> {
    /// The pack id.
    pub pack: &'a str,
    /// The folder name.
    pub slug: &'a str,
    /// The folder on disk.
    pub dir: &'a Path,
    /// The folder relative to the content root, with `/` separators.
    pub rel_dir: String,
    /// Every scenario folder name in the pack.
    pub pack_slugs: &'a BTreeSet<String>,
}

/// Reads a file of the scenario folder, or reports why it cannot.
pub fn read(dir: &Path, rel_dir: &str, name: &str) -> Result<SourceFile, Diagnostic> {
    if let Some(d) = symlink(dir, rel_dir, name) {
        return Err(d);
    }
    let rel = format!("{rel_dir}/{name}");
    std::fs::read_to_string(dir.join(name))
        .map(|t| SourceFile::new(rel.clone(), t))
        .map_err(|e| Diagnostic {
            path: rel,
            line: 1,
            column: 1,
            problem: format!("cannot read the file: {e}"),
            fix: if e.kind() == std::io::ErrorKind::NotFound {
                format!("create {name}; `cargo leap new` scaffolds a complete scenario")
            } else {
                "make sure it is readable UTF-8 text".to_string()
            },
        })
}

/// What compiling a scenario folder produced.
pub struct ScenarioOutcome {
    /// The scenario, when it has no problem.
    pub compiled: Option<CompiledScenario>,
    /// The id its front matter declares, and where (as a diagnostic to fill in), even when other
    /// parts have problems: the pack checks ids for duplicates across all its scenarios.
    pub declared_id: Option<(String, Diagnostic)>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Compiles one scenario folder, reporting every problem in it.
pub fn compile_scenario(input: &ScenarioInput<'_>) -> ScenarioOutcome {
    let (compiled, declared_id, diagnostics) = compile_folder(input);
    ScenarioOutcome {
        compiled,
        declared_id,
        diagnostics,
    }
}

type Compiled = (
    Option<CompiledScenario>,
    Option<(String, Diagnostic)>,
    Vec<Diagnostic>,
);

fn compile_folder(input: &ScenarioInput<'_>) -> Compiled {
    let mut diags = Vec::new();
    let mut declared_id = None;
    let listing = match list_folder(input) {
        Ok(l) => l,
        Err(d) => return (None, None, vec![d]),
    };
    diags.extend(listing.problems.iter().cloned());

    let scenario_file = read(input.dir, &input.rel_dir, "scenario.md")
        .map_err(|d| diags.push(d))
        .ok();
    let rubric_file = read(input.dir, &input.rel_dir, "rubric.md")
        .map_err(|d| diags.push(d))
        .ok();
    let primer_file = listing
        .has_primer
        .then(|| {
            read(input.dir, &input.rel_dir, "primer.md")
                .map_err(|d| diags.push(d))
                .ok()
        })
        .flatten();
    for file in [&scenario_file, &rubric_file, &primer_file]
        .into_iter()
        .flatten()
    {
        diags.extend(leftover_placeholders(file));
        diags.extend(bidi::literal(file));
    }

    // Metadata and section layout.
    let mut summary = None;
    let mut scenario_sections = Vec::new();
    let mut inv = ParsedInvestigation::default();
    let mut probe_index: Option<ProbeIndex> = None;
    let scenario_split = scenario_file.as_ref().and_then(|f| {
        f.split_front_matter()
            .map_err(|d| diags.push(d))
            .ok()
            .map(|s| (f, s))
    });
    let scenario_parts = scenario_split
        .as_ref()
        .map(|(_, s)| split_sections(s.body, s.body_offset, HeadingLevel::H2));
    if let (Some((file, split)), Some(parts)) = (&scenario_split, &scenario_parts) {
        let mut parsed = front_matter::parse::<ScenarioFile>(file, split);
        let mut c = Checker::after(file, split.front_matter_offset, &mut parsed);
        if let Some(fm) = &parsed.value {
            summary = check_metadata(&mut c, fm, input);
            declared_id = fm.id.as_ref().map(|v| {
                (
                    v.get_ref().trim().to_string(),
                    file.error_at(c.offset(v), "", ""),
                )
            });
        }
        scenario_sections =
            c.sections_optional(parts, &all_sections(), SCENARIO_SECTIONS.len(), "##");
        let front = parsed
            .value
            .as_ref()
            .and_then(|fm| fm.investigation.as_ref());
        let n = SCENARIO_SECTIONS.len();
        inv = investigation::parse_sections(
            &mut c,
            [
                scenario_sections[n],
                scenario_sections[n + 1],
                scenario_sections[n + 2],
            ],
            front,
        );
        probe_index = Some(inv.index.clone());
        if let Some(s) = summary.as_mut() {
            s.investigation = inv.index.is_investigation;
        }
        diags.extend(c.diags);
    }

    let mut rubric_front = None;
    let mut rubric_sections = Vec::new();
    let rubric_split = rubric_file.as_ref().and_then(|f| {
        f.split_front_matter()
            .map_err(|d| diags.push(d))
            .ok()
            .map(|s| (f, s))
    });
    let rubric_parts = rubric_split
        .as_ref()
        .map(|(_, s)| split_sections(s.body, s.body_offset, HeadingLevel::H2));
    if let (Some((file, split)), Some(parts)) = (&rubric_split, &rubric_parts) {
        let mut parsed = front_matter::parse::<RubricFile>(file, split);
        let mut c = Checker::after(file, split.front_matter_offset, &mut parsed);
        if let Some(fm) = parsed.value {
            rubric_front = Some(compile_rubric_front_matter(
                &mut c,
                &fm,
                probe_index.as_ref(),
            ));
        }
        rubric_sections = c.sections(parts, RUBRIC_SECTIONS, "##");
        if let Some(reasoning) = rubric_sections.last().copied().flatten() {
            check_reference_reasoning(&mut c, reasoning);
        }
        diags.extend(c.diags);
    }

    // Artifacts are the `###` parts of the Artifacts section.
    let artifact_parts: Vec<Section<'_>> = match (
        scenario_file.as_ref(),
        scenario_sections.get(1).copied().flatten(),
    ) {
        (Some(file), Some(section)) => {
            let parts = split_sections(section.body, section.body_offset, HeadingLevel::H3);
            let mut c = Checker::new(file, 0);
            if !markdown::is_blank(parts.preamble) {
                c.error_at(
                    section.heading_offset,
                    "text in `## Artifacts` before the first artifact",
                    "give every artifact its own `### Title` heading",
                );
            }
            for a in &parts.sections {
                if markdown::is_blank(a.body) {
                    c.error_at(
                        a.heading_offset,
                        format!("artifact `### {}` is empty", a.title),
                        "put the log, table, diff or diagram under its heading",
                    );
                }
            }
            diags.extend(c.diags);
            parts.sections
        }
        _ => Vec::new(),
    };

    // Render every piece of the page in page order, so heading ids are unique on the page and
    // `#anchor` links can point at any of them.
    let route = Route::Scenario {
        pack: input.pack.to_string(),
        slug: input.slug.to_string(),
    };
    let page_path = route.path();
    let mut page = Page::default();
    if let Some(f) = &primer_file {
        page.add(f, &f.text, 0, "primer");
    }
    if let Some(file) = scenario_file.as_ref() {
        if let Some(s) = scenario_sections.first().copied().flatten() {
            page.add(file, s.body, s.body_offset, "situation");
        }
        for (i, a) in artifact_parts.iter().enumerate() {
            page.add_heading(&a.title);
            page.add(file, a.body, a.body_offset, &format!("artifact-{}", i + 1));
        }
        if let Some(s) = scenario_sections.get(2).copied().flatten() {
            page.add(file, s.body, s.body_offset, "ask");
        }
        // The investigation's parts share the page's ids: they are revealed into it.
        for p in &inv.probes {
            page.add(file, p.body, p.body_offset, &format!("probe-{}", p.id));
        }
        for p in &inv.injects {
            page.add(file, p.body, p.body_offset, &format!("inject-{}", p.id));
        }
        if let Some((md, at)) = inv.facts {
            page.add(file, md, at, "facts");
        }
    }
    if let Some((file, _)) = &rubric_split {
        for (i, s) in rubric_sections.iter().enumerate() {
            if let Some(s) = s {
                page.add(file, s.body, s.body_offset, &format!("rubric-{}", i + 1));
            }
        }
    }
    let anchors = page.collect_anchors();
    let targets = LinkTargets {
        pack: input.pack,
        page_path: &page_path,
        asset_dir: &page_path,
        scenarios: input.pack_slugs,
        files: &listing.files,
        anchors: &anchors,
    };
    let mut rendered = page.render(&targets);
    diags.append(&mut rendered.diagnostics);

    // Criterion prose comes from TOML strings; render it with the rubric file's links.
    let mut criteria: Vec<Criterion> = Vec::new();
    if let (Some((file, _)), Some(front)) = (&rubric_split, &rubric_front) {
        for raw in &front.criteria {
            let mut prose = |md: &str, at: usize| {
                let r =
                    markdown::render(file, md, at, &targets, &mut Anchors::default(), "criterion");
                diags.extend(r.diagnostics);
                rendered.files.extend(r.files);
                Prose {
                    markdown: md.to_string(),
                    html: r.html,
                }
            };
            criteria.push(Criterion {
                id: raw.id.clone(),
                name: raw.name.clone(),
                tier: raw.tier,
                weight: raw.weight,
                insight: prose(&raw.insight.0, raw.insight.1),
                caught: prose(&raw.caught.0, raw.caught.1),
                partial: prose(&raw.partial.0, raw.partial.1),
                why: prose(&raw.why.0, raw.why.1),
                kind: raw.kind,
                rule: raw.rule.clone(),
            });
        }
    }

    // Sample answers are checked against the criteria even when the rest of the rubric has problems.
    let criterion_ids: Option<Vec<String>> = rubric_front.as_ref().and_then(|f| f.all_ids.clone());
    let mut answers = Vec::new();
    for name in &listing.answers {
        match read(
            &input.dir.join("answers"),
            &format!("{}/answers", input.rel_dir),
            &format!("{name}.md"),
        ) {
            Ok(file) => {
                diags.extend(leftover_placeholders(&file));
                diags.extend(bidi::literal(&file));
                let (answer, errs) =
                    compile_answer_of(&file, name, criterion_ids.as_deref(), probe_index.as_ref());
                diags.extend(errs);
                answers.extend(answer);
            }
            Err(d) => diags.push(d),
        }
    }
    if rubric_front.is_some() {
        let answers_dir = format!("{}/answers", input.rel_dir);
        for (quality, example) in [(Quality::Strong, "strong.md"), (Quality::Weak, "weak.md")] {
            if listing.answers_readable
                && !answers.iter().any(|a| a.quality == quality)
                && !listing
                    .answers
                    .iter()
                    .any(|n| n == example.trim_end_matches(".md"))
            {
                diags.push(Diagnostic {
                    path: answers_dir.clone(),
                    line: 1,
                    column: 1,
                    problem: format!("no {} sample answer", quality.slug()),
                    fix: format!("add answers/{example} with `quality = \"{}\"` and the verdict each criterion should get", quality.slug()),
                });
            }
        }
    }

    // Files in the folder that nothing uses are probably a typo'd link.
    for name in listing
        .files
        .difference(&rendered.files)
        .filter(|n| !listing.refused.contains(*n))
    {
        diags.push(Diagnostic {
            path: format!("{}/{name}", input.rel_dir),
            line: 1,
            column: 1,
            problem: format!("`{name}` is not used by any Markdown in this scenario"),
            fix: format!("embed it with `![what it shows]({name})`, link it with `[text]({name})`, or delete it"),
        });
    }

    let (Some(summary), Some(front)) = (summary, rubric_front) else {
        return (None, declared_id, diags);
    };
    if !diags.is_empty() || !front.ok {
        return (None, declared_id, diags);
    }
    let mut html = rendered.html.into_iter();
    let mut markdown = rendered.markdown.into_iter();
    let mut next = || Prose {
        markdown: markdown.next().unwrap_or_default(),
        html: html.next().unwrap_or_default(),
    };
    let primer = primer_file.as_ref().map(|_| next());
    let situation = next();
    let artifacts = artifact_parts
        .iter()
        .zip(rendered.heading_ids.iter())
        .map(|(a, anchor)| Artifact {
            title: a.title.clone(),
            anchor: anchor.clone(),
            body: next(),
        })
        .collect();
    let ask = next();
    let investigation = inv.index.is_investigation.then(|| {
        let probes = inv
            .probes
            .iter()
            .map(|p| Probe {
                id: p.id.clone(),
                label: p.label.clone(),
                cost: p.minutes,
                evidence: next(),
            })
            .collect();
        let mut injects: Vec<Inject> = inv
            .injects
            .iter()
            .map(|p| Inject {
                id: p.id.clone(),
                label: p.label.clone(),
                at: p.minutes,
                body: next(),
            })
            .collect();
        // Stable: injects at the same minute keep the author's order.
        injects.sort_by_key(|i| i.at);
        Investigation {
            start: inv.start.clone(),
            probes,
            injects,
            facts: inv.facts.map(|_| next()).unwrap_or_default(),
        }
    });
    let mut section = || next();
    let rubric = Rubric {
        criteria,
        failure_mode: section(),
        reframing_question: section(),
        red_flags: section(),
        common_mistakes: section(),
        reference_reasoning: section(),
        references: front.references,
        investigation: front.investigation,
    };
    let body = ScenarioBody {
        situation,
        artifacts,
        ask,
        primer,
    };
    // Serialised here, on the scenario's own thread: the build id hashes these bytes and the
    // build writes them.
    let json = ScenarioJson::of(&body, &rubric, investigation.as_ref());
    (
        Some(CompiledScenario {
            summary,
            body,
            rubric,
            answers,
            investigation,
            dir: input.dir.to_path_buf(),
            files: rendered.files,
            json,
        }),
        declared_id,
        diags,
    )
}

/// The Markdown pieces of one page, in page order.
#[derive(Default)]
struct Page<'a> {
    pieces: Vec<Piece<'a>>,
}

enum Piece<'a> {
    Markdown {
        file: &'a SourceFile,
        parsed: Parsed<'a>,
        offset: usize,
        scope: String,
    },
    Heading(String),
}

struct RenderedPage {
    html: Vec<String>,
    markdown: Vec<String>,
    heading_ids: Vec<String>,
    files: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Page<'a> {
    /// Adds a piece of Markdown, parsed once here for both the anchors and the rendering.
    fn add(&mut self, file: &'a SourceFile, md: &'a str, offset: usize, scope: &str) {
        self.pieces.push(Piece::Markdown {
            file,
            parsed: Parsed::new(md),
            offset,
            scope: scope.to_string(),
        });
    }

    fn add_heading(&mut self, title: &str) {
        self.pieces.push(Piece::Heading(title.to_string()));
    }

    fn anchors() -> Anchors {
        let mut a = Anchors::default();
        a.reserve(PAGE_IDS);
        a
    }

    fn collect_anchors(&self) -> BTreeSet<String> {
        let mut anchors = Self::anchors();
        let mut ids = BTreeSet::new();
        for piece in &self.pieces {
            match piece {
                Piece::Markdown { parsed, .. } => ids.extend(parsed.heading_anchors(&mut anchors)),
                Piece::Heading(t) => {
                    ids.insert(anchors.make(t));
                }
            }
        }
        ids
    }

    fn render(self, targets: &LinkTargets<'_>) -> RenderedPage {
        let mut anchors = Self::anchors();
        let mut out = RenderedPage {
            html: vec![],
            markdown: vec![],
            heading_ids: vec![],
            files: BTreeSet::new(),
            diagnostics: vec![],
        };
        for piece in self.pieces {
            match piece {
                Piece::Markdown {
                    file,
                    parsed,
                    offset,
                    scope,
                } => {
                    out.markdown.push(parsed.source().trim().to_string());
                    let r = markdown::render_parsed(
                        file,
                        parsed,
                        offset,
                        targets,
                        &mut anchors,
                        &scope,
                    );
                    out.html.push(r.html);
                    out.files.extend(r.files);
                    out.diagnostics.extend(r.diagnostics);
                }
                Piece::Heading(t) => out.heading_ids.push(anchors.make(&t)),
            }
        }
        out
    }
}

/// What a scenario folder holds.
struct Listing {
    files: BTreeSet<String>,
    /// Files refused already: "not used" would only add noise about them.
    refused: BTreeSet<String>,
    answers: Vec<String>,
    answers_readable: bool,
    has_primer: bool,
    problems: Vec<Diagnostic>,
}

const KNOWN_MARKDOWN: &[&str] = &["scenario.md", "rubric.md", "primer.md"];

fn list_folder(input: &ScenarioInput<'_>) -> Result<Listing, Diagnostic> {
    let at = |rel: String, problem: String, fix: String| Diagnostic {
        path: rel,
        line: 1,
        column: 1,
        problem,
        fix,
    };
    let entries = std::fs::read_dir(input.dir).map_err(|e| {
        at(
            input.rel_dir.clone(),
            format!("cannot read the folder: {e}"),
            "make sure it is a readable folder".into(),
        )
    })?;
    let mut listing = Listing {
        files: BTreeSet::new(),
        refused: BTreeSet::new(),
        answers: Vec::new(),
        answers_readable: false,
        has_primer: false,
        problems: Vec::new(),
    };
    let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
    names.sort_by_key(|e| e.file_name());
    for entry in names {
        let name = entry.file_name().to_string_lossy().to_string();
        let file_type = entry.file_type();
        let is_dir = file_type.as_ref().is_ok_and(std::fs::FileType::is_dir);
        if name.starts_with('.') {
            continue;
        }
        if let Some(d) = symlink_entry(&file_type, &input.rel_dir, &name) {
            listing.problems.push(d);
            if !name.ends_with(".md") && name != "answers" {
                listing.refused.insert(name.clone());
                listing.files.insert(name);
            }
            continue;
        }
        if is_dir {
            if name != "answers" {
                listing.problems.push(at(format!("{}/{name}", input.rel_dir), format!("unexpected folder `{name}/`"), "a scenario folder holds scenario.md, rubric.md, primer.md, answers/ and the files they embed; move it out".into()));
            }
            continue;
        }
        if name == "primer.md" {
            listing.has_primer = true;
        } else if name.ends_with(".md") && !KNOWN_MARKDOWN.contains(&name.as_str()) {
            listing.problems.push(at(format!("{}/{name}", input.rel_dir), format!("unexpected Markdown file `{name}`"), "a scenario uses scenario.md, rubric.md and primer.md; sample answers go in answers/".into()));
        } else if !name.ends_with(".md") {
            // Kept in the listing even when refused, so links to it do not add a second,
            // misleading "no such file"; the refusal alone stops the build.
            let problems = assets::check(input.dir, &input.rel_dir, &name);
            if !problems.is_empty() {
                listing.refused.insert(name.clone());
            }
            listing.problems.extend(problems);
            listing.files.insert(name);
        }
    }
    let answers_dir = input.dir.join("answers");
    let answers_rel = format!("{}/answers", input.rel_dir);
    if symlink(input.dir, &input.rel_dir, "answers").is_some() {
        return Ok(listing); // reported above
    }
    match std::fs::read_dir(&answers_dir) {
        Ok(entries) => {
            listing.answers_readable = true;
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().to_string();
                if let Some(d) = symlink_entry(&entry.file_type(), &answers_rel, &name) {
                    listing.problems.push(d);
                    continue;
                }
                match name.strip_suffix(".md") {
                    Some(stem) if is_slug(stem) => listing.answers.push(stem.to_string()),
                    _ if name.starts_with('.') => {}
                    _ => listing.problems.push(at(format!("{answers_rel}/{name}"), format!("unexpected file `{name}` in answers/"), "sample answers are Markdown files with lowercase-hyphenated names, e.g. `strong.md`".into())),
                }
            }
            listing.answers.sort();
        }
        Err(_) => listing.problems.push(at(
            answers_rel,
            "missing folder `answers/`".into(),
            "add answers/strong.md and answers/weak.md (and ideally answers/plausible-wrong.md) with the verdict each criterion should get".into(),
        )),
    }
    Ok(listing)
}

/// A symbolic link in a scenario folder would let the build read, quote in its messages and copy
/// into the site a file from anywhere on the machine that builds it (a CI secret, a home folder):
/// refused, and never read.
fn symlink(dir: &Path, rel_dir: &str, name: &str) -> Option<Diagnostic> {
    symlink_entry(
        &std::fs::symlink_metadata(dir.join(name)).map(|m| m.file_type()),
        rel_dir,
        name,
    )
}

/// [`symlink`] for a folder entry whose type the listing already read (no system call).
fn symlink_entry(
    file_type: &std::io::Result<std::fs::FileType>,
    rel_dir: &str,
    name: &str,
) -> Option<Diagnostic> {
    file_type
        .as_ref()
        .is_ok_and(std::fs::FileType::is_symlink)
        .then(|| Diagnostic {
            path: format!("{rel_dir}/{name}"),
            line: 1,
            column: 1,
            problem: format!("`{name}` is a symbolic link"),
            fix: "put the file itself in the folder: a pack may not point at files outside it"
                .into(),
        })
}

fn check_metadata(
    c: &mut Checker<'_>,
    fm: &ScenarioFile,
    input: &ScenarioInput<'_>,
) -> Option<ScenarioSummary> {
    let top = c.toml_offset.saturating_sub(4);
    let id = c.text(&fm.id, "id", &format!("\"{}\"", input.slug), top);
    if let (Some(id), Some(v)) = (&id, &fm.id) {
        if !is_slug(id) {
            c.error(v, format!("id `{id}` is not lowercase-hyphenated"), "use lowercase letters, digits and single hyphens, starting with a letter, e.g. `regex-cpu-exhaustion`");
        }
    }
    let title = c.text(
        &fm.title,
        "title",
        "\"All cores at 100 %, everywhere, at once\"",
        top,
    );
    let track = c.vocabulary(&fm.track, "track", Track::from_slug, &Track::slugs(), top);
    let level = c.vocabulary(&fm.level, "level", Level::from_slug, &Level::slugs(), top);
    let kind = c.vocabulary(&fm.kind, "kind", Kind::from_slug, &Kind::slugs(), top);
    let hook = c.text(
        &fm.hook,
        "hook",
        "\"One line that makes someone want to open it\"",
        top,
    );
    if let (Some(h), Some(v)) = (&hook, &fm.hook) {
        if h.contains('\n') || h.chars().count() > 200 {
            c.error(
                v,
                "`hook` is longer than one line of 200 characters",
                "keep the hook to one sentence; put the rest in the situation",
            );
        }
    }
    let minutes = c.number(&fm.minutes, "minutes", 5..=180, "30", top);
    let mut competencies = Vec::new();
    let errors_before = c.diags.len();
    if let Some(list) = c.required(
        &fm.competencies,
        "competencies",
        "[\"architectural-judgment\"]",
        top,
    ) {
        if list.get_ref().is_empty() || list.get_ref().len() > 3 {
            c.error(
                list,
                format!("{} competencies listed", list.get_ref().len()),
                format!("list one to three of: {}", Competency::slugs()),
            );
        }
        for v in list.get_ref() {
            if let Some(comp) =
                c.lookup(v, "competency", Competency::from_slug, &Competency::slugs())
            {
                if competencies.contains(&comp) {
                    c.error(
                        v,
                        format!("competency `{}` is listed twice", comp.slug()),
                        "list each competency once",
                    );
                }
                competencies.push(comp);
            }
        }
    }
    let competencies_ok = c.diags.len() == errors_before && !competencies.is_empty();
    let mut tags = Vec::new();
    if let Some(list) = &fm.tags {
        for v in list.get_ref() {
            if !is_slug(v.get_ref()) {
                c.error(
                    v,
                    format!("tag `{}` is not lowercase-hyphenated", v.get_ref()),
                    "write tags like `feature-flags` or `k8s`",
                );
            } else {
                tags.push(v.get_ref().clone());
            }
        }
    }
    Some(ScenarioSummary {
        pack: input.pack.to_string(),
        id: id?,
        slug: input.slug.to_string(),
        title: title?,
        track: track?,
        level: level?,
        kind: kind?,
        competencies: competencies_ok.then_some(competencies)?,
        minutes: minutes?,
        tags,
        hook: hook?,
        investigation: false,
    })
}
