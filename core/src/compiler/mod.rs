//! The pack compiler: reads `content/`, validates every file, renders Markdown, and produces the
//! baked site. It reports every problem it finds, each located and with a fix.

pub mod answers;
pub mod assets;
pub mod bidi;
pub mod checks;
pub mod diagnostics;
pub mod front_matter;
pub mod investigation;
pub mod markdown;
pub mod output;
pub mod par;
pub mod rubric;
pub mod scaffold;
pub mod scenario;
pub mod schema;
pub mod site_config;
pub mod source;
pub mod svg;

use crate::baked::{
    EvaluatorDefaults, Investigation, PackInfo, Prose, Rubric, SampleAnswer, ScenarioBody,
    ScenarioSummary, SiteIndex,
};
use crate::grading::provider::{callable_from_https, origin_of, ProviderKind};
use crate::routes::{is_slug, Route};
use checks::Checker;
use diagnostics::{Diagnostic, Diagnostics};
use schema::{EvaluatorFile, PackFile};
use source::SourceFile;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The Markdown of the "how it works" page, in the content folder.
pub const HOW_IT_WORKS_FILE: &str = "how-it-works.md";

/// A whole site, validated and rendered, ready to be written out.
#[derive(Debug, Clone)]
pub struct CompiledSite {
    /// The small index every page loads.
    pub index: SiteIndex,
    /// The packs built, in catalog order.
    pub packs: Vec<PackInfo>,
    /// The "how it works" page.
    pub how_it_works: Prose,
    /// Every scenario, in catalog order.
    pub scenarios: Vec<CompiledScenario>,
}

/// One scenario, validated and rendered.
#[derive(Debug, Clone)]
pub struct CompiledScenario {
    /// Its catalog entry.
    pub summary: ScenarioSummary,
    /// What the learner reads.
    pub body: ScenarioBody,
    /// What they see after committing.
    pub rubric: Rubric,
    /// Sample answers of known quality.
    pub answers: Vec<SampleAnswer>,
    /// What an investigation hides until asked for (`None` for a scenario without probes).
    pub investigation: Option<Investigation>,
    /// Its folder on disk.
    pub dir: PathBuf,
    /// Files of its folder that its Markdown embeds or links.
    pub files: BTreeSet<String>,
    /// Its data files, serialised as they are written.
    pub json: output::ScenarioJson,
}

/// Compiles the content folder at `content`: every pack `site.toml` (or `fork.toml`) lists.
pub fn compile(content: &Path) -> Result<CompiledSite, Diagnostics> {
    let mut site = check(content)?;
    site.index.build = output::build_id(&site);
    Ok(site)
}

/// [`compile`] without the build id (left empty): what validating the content needs, without
/// hashing every byte the site would ship.
pub fn check(content: &Path) -> Result<CompiledSite, Diagnostics> {
    let (config, site_problems) = site_config::load(content);
    let mut diags = Diagnostics(site_problems);
    let Some(config) = config else {
        return Err(diags.sorted());
    };
    let mut packs = Vec::new();
    let mut evaluators = Vec::new();
    let mut scenarios = Vec::new();
    for (pack_id, named_in, at) in &config.packs {
        match compile_pack(content, pack_id) {
            Ok((info, evaluator, mut list, errs)) => {
                diags.extend(errs);
                packs.push(info);
                evaluators.extend(evaluator);
                scenarios.append(&mut list);
            }
            Err(problem) => diags.push(named_in.error_at(
                *at,
                problem,
                format!(
                    "create content/packs/{pack_id}/pack.toml, or remove `{pack_id}` from `packs`"
                ),
            )),
        }
    }
    let how_it_works = compile_how_it_works(content)
        .map_err(|d| diags.extend(d))
        .ok();
    if !diags.is_empty() {
        return Err(diags.sorted());
    }
    let index = SiteIndex {
        title: config.title,
        tagline: config.tagline,
        build: String::new(),
        scenarios: scenarios
            .iter()
            .map(|s: &CompiledScenario| s.summary.clone())
            .collect(),
        evaluators,
    };
    Ok(CompiledSite {
        index,
        packs,
        how_it_works: how_it_works.unwrap_or_default(),
        scenarios,
    })
}

/// Checks a pack's `[evaluator]`: a known provider and, if given, a usable base URL.
fn evaluator_defaults(
    c: &mut Checker,
    e: &EvaluatorFile,
    pack: &PackInfo,
) -> Option<EvaluatorDefaults> {
    let choices = ProviderKind::ALL.map(ProviderKind::slug).join(", ");
    let provider = match &e.provider {
        Some(p) => c.lookup(p, "evaluator.provider", ProviderKind::from_slug, &choices),
        None => {
            c.error_at(
                0,
                "`[evaluator]` has no `provider`",
                format!(
                    "add `provider = \"open-ai-compatible\"` (one of: {choices}) under [evaluator]"
                ),
            );
            None
        }
    };
    // Checked even when the provider is wrong, so the author sees every problem at once.
    let base_url = match &e.base_url {
        Some(url) => {
            let text = url.get_ref().trim();
            match origin_of(text) {
                Some(origin) if callable_from_https(&origin) => Some(Some(text.to_string())),
                Some(_) => {
                    c.error(url, format!("base_url `{text}` is plain HTTP"), "use an https:// address: browsers block plain HTTP from a site served over HTTPS (only localhost is exempt)");
                    None
                }
                None => {
                    c.error(
                        url,
                        format!("base_url `{text}` is not a web address"),
                        "write the API's address, e.g. \"https://llm-gateway.example.com/v1\"",
                    );
                    None
                }
            }
        }
        None => Some(None),
    };
    let (provider, base_url) = (provider?, base_url?);
    let model = e
        .model
        .as_ref()
        .map(|m| m.get_ref().trim().to_string())
        .filter(|m| !m.is_empty());
    Some(EvaluatorDefaults {
        pack: pack.id.clone(),
        pack_title: pack.title.clone(),
        provider,
        model,
        base_url,
    })
}

/// One pack's compilation: what the catalog shows, its evaluator suggestion, its scenarios and
/// the problems found.
type CompiledPack = (
    PackInfo,
    Option<EvaluatorDefaults>,
    Vec<CompiledScenario>,
    Vec<Diagnostic>,
);

/// Compiles one pack; `Err` when its `pack.toml` is missing.
fn compile_pack(content: &Path, pack_id: &str) -> Result<CompiledPack, String> {
    let dir = content.join("packs").join(pack_id);
    let rel = format!("packs/{pack_id}");
    let text = std::fs::read_to_string(dir.join("pack.toml"))
        .map_err(|e| format!("pack `{pack_id}` cannot be read: {rel}/pack.toml: {e}"))?;
    let file = SourceFile::new(format!("{rel}/pack.toml"), text);
    let mut diags = bidi::literal(&file);
    let mut parsed = front_matter::parse_toml::<PackFile>(&file, &file.text, 0);
    let mut info = PackInfo {
        id: pack_id.to_string(),
        title: String::new(),
        description: String::new(),
    };
    let mut evaluator = None;
    let mut c = Checker::after(&file, 0, &mut parsed);
    if let Some(fm) = parsed.value {
        info.title = c
            .text(&fm.title, "title", "\"Acme incident library\"", 0)
            .unwrap_or_default();
        info.description = c
            .text(
                &fm.description,
                "description",
                "\"War stories from our own postmortems\"",
                0,
            )
            .unwrap_or_default();
        evaluator = fm
            .evaluator
            .as_ref()
            .and_then(|e| evaluator_defaults(&mut c, e, &info));
    }
    diags.extend(c.diags);

    let scenarios_dir = dir.join("scenarios");
    let mut slugs = BTreeSet::new();
    match std::fs::read_dir(&scenarios_dir) {
        Ok(entries) => {
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.starts_with('.') {
                    continue;
                }
                if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                    diags.push(Diagnostic {
                        path: format!("{rel}/scenarios/{name}"),
                        line: 1,
                        column: 1,
                        problem: format!("`{name}` is not a scenario folder"),
                        fix:
                            "each scenario is a folder holding scenario.md; move the file into one"
                                .into(),
                    });
                } else if !is_slug(&name) {
                    diags.push(Diagnostic { path: format!("{rel}/scenarios/{name}"), line: 1, column: 1, problem: format!("scenario folder `{name}` is not lowercase-hyphenated"), fix: "rename it with lowercase letters, digits and single hyphens: it becomes the page's URL".into() });
                } else {
                    slugs.insert(name);
                }
            }
        }
        Err(e) => diags.push(Diagnostic {
            path: format!("{rel}/scenarios"),
            line: 1,
            column: 1,
            problem: format!("cannot read the scenarios folder: {e}"),
            fix: "create it; `cargo leap new` scaffolds a scenario".into(),
        }),
    }

    let mut scenarios: Vec<CompiledScenario> = Vec::new();
    let mut ids: Vec<(String, String)> = Vec::new(); // id, slug

    // Scenarios compile independently, so on every core; what spans them (ids) is checked after,
    // in folder order, exactly as a sequential loop would.
    let folders: Vec<&String> = slugs.iter().collect();
    let outcomes = par::map(&folders, |slug| {
        let sdir = scenarios_dir.join(slug);
        scenario::compile_scenario(&scenario::ScenarioInput {
            pack: pack_id,
            slug,
            dir: &sdir,
            rel_dir: format!("{rel}/scenarios/{slug}"),
            pack_slugs: &slugs,
        })
    });
    for (slug, outcome) in folders.into_iter().zip(outcomes) {
        diags.extend(outcome.diagnostics);
        if let Some((id, at)) = outcome.declared_id {
            if let Some((_, other)) = ids.iter().find(|(known, _)| *known == id) {
                diags.push(Diagnostic {
                    problem: format!("id `{id}` is already used by scenario `{other}`"),
                    fix: "give every scenario of a pack its own id (the folder name is a good choice)".into(),
                    ..at
                });
                continue;
            }
            ids.push((id, slug.clone()));
        }
        scenarios.extend(outcome.compiled);
    }
    if slugs.is_empty() && diags.is_empty() {
        diags.push(Diagnostic {
            path: format!("{rel}/scenarios"),
            line: 1,
            column: 1,
            problem: format!("pack `{pack_id}` has no scenarios"),
            fix: "add one with `cargo leap new`".into(),
        });
    }
    scenarios.sort_by(|a, b| {
        (a.summary.track, a.summary.level, &a.summary.title).cmp(&(
            b.summary.track,
            b.summary.level,
            &b.summary.title,
        ))
    });
    Ok((info, evaluator, scenarios, diags))
}

fn compile_how_it_works(content: &Path) -> Result<Prose, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(content.join(HOW_IT_WORKS_FILE)).map_err(|e| {
        vec![Diagnostic {
            path: HOW_IT_WORKS_FILE.into(),
            line: 1,
            column: 1,
            problem: format!("cannot read the page: {e}"),
            fix: "create content/how-it-works.md".into(),
        }]
    })?;
    let file = SourceFile::new(HOW_IT_WORKS_FILE, text);
    let empty = BTreeSet::new();
    let path = Route::HowItWorks.path();
    let mut anchors = markdown::Anchors::default();
    anchors.reserve(scenario::PAGE_IDS);
    let parsed = markdown::Parsed::new(&file.text);
    let ids: BTreeSet<String> = parsed
        .heading_anchors(&mut anchors.clone())
        .into_iter()
        .collect();
    let targets = markdown::LinkTargets {
        pack: "",
        page_path: &path,
        asset_dir: &path,
        scenarios: &empty,
        files: &empty,
        anchors: &ids,
    };
    let r = markdown::render_parsed(&file, parsed, 0, &targets, &mut anchors, "page");
    let mut diags = r.diagnostics;
    diags.extend(bidi::literal(&file));
    if markdown::is_blank(&file.text) {
        diags.push(file.error_at(0, "the page is empty", "explain the practice loop"));
    }
    if diags.is_empty() {
        Ok(Prose {
            markdown: file.text.trim().to_string(),
            html: r.html,
        })
    } else {
        Err(diags)
    }
}
