//! The content format as serde sees it: one struct per kind of file, every field optional and
//! located, so that the validator (not serde) reports missing fields — all of them, each with a fix.
//! Unknown fields are rejected. This is the contract forks depend on: change it only compatibly.

use serde::Deserialize;
use toml::Spanned;

/// A located piece of text.
pub type Text = Spanned<String>;

/// `content/site.toml`, and a fork's `content/fork.toml` whose fields override it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// The site's name, shown in the header and page titles.
    pub title: Option<Text>,
    /// One line under the name, and the catalog's link-preview description.
    pub tagline: Option<Text>,
    /// The pack folders to build, in catalog order.
    pub packs: Option<Spanned<Vec<Text>>>,
}

/// `content/packs/<pack>/pack.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// The pack's display name.
    pub title: Option<Text>,
    /// One paragraph about the pack.
    pub description: Option<Text>,
    /// The evaluator this pack suggests to learners who have not chosen one.
    pub evaluator: Option<EvaluatorFile>,
}

/// `[evaluator]` in `pack.toml`: a company pack points learners at its own gateway.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluatorFile {
    /// anthropic, open-ai, open-router, ollama or open-ai-compatible.
    pub provider: Option<Text>,
    /// The model to suggest.
    pub model: Option<Text>,
    /// The API's base URL, e.g. the company's gateway.
    pub base_url: Option<Text>,
}

/// Front matter of `scenario.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Stable id, unique in the pack; attempts are stored under it, so never change it once published.
    pub id: Option<Text>,
    /// The title: a situation, not a lesson ("All cores at 100 %, everywhere").
    pub title: Option<Text>,
    /// One of: frontend, backend, data-ml, devops-sre.
    pub track: Option<Text>,
    /// The level of judgment exercised: beginner, junior, mid-level, senior, expert.
    pub level: Option<Text>,
    /// live-incident, postmortem-review, architecture-tradeoff, code-review, migration or push-back.
    pub kind: Option<Text>,
    /// One to three of: architectural-judgment, cross-cutting-ownership, technical-communication,
    /// quality-standards, mentoring.
    pub competencies: Option<Spanned<Vec<Text>>>,
    /// Estimated minutes to write an answer.
    pub minutes: Option<Spanned<i64>>,
    /// Free-form lowercase tags, searched by the catalog.
    pub tags: Option<Spanned<Vec<Text>>>,
    /// One line that makes someone want to open it.
    pub hook: Option<Text>,
    /// Settings of an investigation (a scenario with `## Probes`).
    pub investigation: Option<Spanned<ScenarioInvestigationFile>>,
}

/// `[investigation]` in `scenario.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioInvestigationFile {
    /// What T+0 reads as on the wall clock, "HH:MM".
    pub start: Option<Text>,
}

/// Front matter of `rubric.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricFile {
    /// Three to six weighted criteria, as `[[criteria]]` tables.
    pub criteria: Option<Spanned<Vec<CriterionEntry>>>,
    /// The public sources, as `[[references]]` tables.
    pub references: Option<Spanned<Vec<ReferenceEntry>>>,
    /// For an investigation: the senior's path.
    pub investigation: Option<Spanned<RubricInvestigationFile>>,
}

/// `[investigation]` in `rubric.md`: what a senior looks at first, which probes are traps, and by
/// when a senior acts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricInvestigationFile {
    /// Probe ids a senior runs first (at least one).
    pub first: Option<Spanned<Vec<Text>>>,
    /// Costly, uninformative probe ids (may be empty).
    pub traps: Option<Spanned<Vec<Text>>>,
    /// The simulated minute by which a senior has acted, 1 to 600.
    pub act_by: Option<Spanned<i64>>,
    /// Why those first, in one line.
    pub why_first: Option<Text>,
    /// Why those are traps, in one line.
    pub why_traps: Option<Text>,
}

/// One `[[criteria]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionEntry {
    /// Stable id, unique in the rubric; sample answers name it.
    pub id: Option<Text>,
    /// What the insight is, in at most eight plain words: the criterion's title wherever it is
    /// listed.
    pub name: Option<Text>,
    /// critical, important or bonus.
    pub tier: Option<Text>,
    /// Weight in the score, 1 to 10; a higher tier never weighs less than a lower one.
    pub weight: Option<Spanned<i64>>,
    /// The insight a senior reaches, in one or two sentences (Markdown).
    pub insight: Option<Text>,
    /// What an answer must say to have caught it.
    pub caught: Option<Text>,
    /// What counts as partly caught.
    pub partial: Option<Text>,
    /// Why it matters in the real incident.
    pub why: Option<Text>,
    /// analysis (the default) or investigation.
    pub kind: Option<Text>,
    /// For an investigation criterion decided by code: `looked-at:ID`, `first:ID`, `avoided:ID`
    /// or `acted-by:N`.
    pub rule: Option<Text>,
}

/// One `[[references]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceEntry {
    /// The source's title.
    pub title: Option<Text>,
    /// Its public address (https).
    pub url: Option<Text>,
    /// Optional note on what it covers.
    pub note: Option<Text>,
}

/// Front matter of a sample answer in `answers/`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerFile {
    /// strong, mixed, weak or plausible-wrong.
    pub quality: Option<Text>,
    /// The confidence the answer states, 0 to 100.
    pub confidence: Option<Spanned<i64>>,
    /// The verdict each criterion should get, by criterion id: caught, partial or missed.
    pub verdicts: Option<Spanned<std::collections::BTreeMap<Text, Text>>>,
    /// For an investigation: the path this answer took.
    pub log: Option<Spanned<LogFile>>,
}

/// `[log]` of a sample answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogFile {
    /// Probe ids, in the order they were run.
    pub probes: Option<Spanned<Vec<Text>>>,
    /// Working hypotheses, in the order they were written.
    pub hypotheses: Option<Spanned<Vec<Spanned<HypothesisEntry>>>>,
    /// The simulated minute of commit.
    pub committed_at: Option<Spanned<i64>>,
}

/// One `{ at, text, confidence }` of `hypotheses`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HypothesisEntry {
    /// The simulated minute it was written.
    pub at: Option<Spanned<i64>>,
    /// The hypothesis.
    pub text: Option<Text>,
    /// How sure, 0 to 100.
    pub confidence: Option<Spanned<i64>>,
}
