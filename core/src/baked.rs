//! The baked content the static site ships: written by the pack compiler, read by the app.
//! Changing a field here changes the files in `dist/data/`, so both sides always agree.

use crate::taxonomy::{Competency, Kind, Level, Tier, Track};
use serde::{Deserialize, Serialize};

/// Everything the catalog needs: the small index every page loads first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteIndex {
    /// The site's name.
    pub title: String,
    /// One line under the name.
    pub tagline: String,
    /// A hash of all baked content; the client adds it to data URLs to defeat stale caches.
    pub build: String,
    /// Every scenario of every built pack, in catalog order.
    pub scenarios: Vec<ScenarioSummary>,
    /// Evaluator settings suggested by packs (`[evaluator]` in `pack.toml`), in pack order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evaluators: Vec<EvaluatorDefaults>,
}

impl SiteIndex {
    /// The evaluator a pack suggests; for a page that is not a pack's, the first pack's suggestion.
    pub fn evaluator_for(&self, pack: Option<&str>) -> Option<&EvaluatorDefaults> {
        match pack {
            Some(p) => self.evaluators.iter().find(|e| e.pack == p),
            None => self.evaluators.first(),
        }
    }
}

/// A pack's suggested evaluator: a company pack points it at the company's own gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluatorDefaults {
    /// The pack that suggests it.
    pub pack: String,
    /// That pack's display name.
    pub pack_title: String,
    /// The provider.
    pub provider: crate::grading::provider::ProviderKind,
    /// The model, if the pack names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The base URL, if not the provider's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

/// A pack as the catalog shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackInfo {
    /// The pack's folder name; also the storage namespace of its attempts.
    pub id: String,
    /// The pack's display name.
    pub title: String,
    /// One paragraph about the pack.
    pub description: String,
}

/// A scenario's metadata: enough for a catalog card and a page header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioSummary {
    /// The pack it belongs to.
    pub pack: String,
    /// Stable id inside the pack: attempts are stored under it.
    pub id: String,
    /// The folder name, used in the URL.
    pub slug: String,
    /// The title.
    pub title: String,
    /// The career track.
    pub track: Track,
    /// The level of judgment it exercises.
    pub level: Level,
    /// The kind of situation.
    pub kind: Kind,
    /// Competencies it trains.
    pub competencies: Vec<Competency>,
    /// Estimated minutes to answer.
    pub minutes: u32,
    /// Free-form tags, also searched.
    pub tags: Vec<String>,
    /// One-line hook shown on the card.
    pub hook: String,
}

/// A piece of prose kept both as Markdown (for the evaluator's prompt) and as safe HTML (for the page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prose {
    /// The author's Markdown, unchanged.
    pub markdown: String,
    /// Rendered HTML with raw HTML escaped and links checked.
    pub html: String,
}

/// A scenario's body: everything the learner reads before answering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioBody {
    /// The situation.
    pub situation: Prose,
    /// The artifacts, each titled.
    pub artifacts: Vec<Artifact>,
    /// The question the learner answers.
    pub ask: Prose,
    /// Optional background, shown behind a disclosure.
    pub primer: Option<Prose>,
}

/// One titled artifact: a log, a metrics table, a timeline, a diff, a diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    /// The artifact's title.
    pub title: String,
    /// The HTML id of its heading, for deep links.
    pub anchor: String,
    /// Its content.
    pub body: Prose,
}

/// A scenario's rubric, fetched only after the learner commits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rubric {
    /// Weighted criteria, in the author's order.
    pub criteria: Vec<Criterion>,
    /// The failure mode most people miss.
    pub failure_mode: Prose,
    /// The question that would have changed the whole approach.
    pub reframing_question: Prose,
    /// Answers that would make things worse.
    pub red_flags: Prose,
    /// Mistakes people commonly make on this scenario.
    pub common_mistakes: Prose,
    /// How a senior reasons about it: what they ask first, propose, would not do, and what risk remains.
    pub reference_reasoning: Prose,
    /// The public material the scenario is built on.
    pub references: Vec<Reference>,
}

/// One insight a senior would reach, written so a grader can decide caught / partial / missed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable id, unique in the rubric.
    pub id: String,
    /// How much it matters.
    pub tier: Tier,
    /// Its weight in the score.
    pub weight: u32,
    /// The insight itself.
    pub insight: Prose,
    /// What an answer must contain to be caught.
    pub caught: Prose,
    /// What counts as partly caught.
    pub partial: Prose,
    /// Why it matters in the real incident.
    pub why: Prose,
}

/// A public source the scenario is built on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The source's title.
    pub title: String,
    /// Where to read it.
    pub url: String,
    /// Optional note on what it covers.
    pub note: Option<String>,
}

/// A sample answer of known quality, with the verdict each criterion should get. Pack authors
/// calibrate rubrics and evaluators against these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleAnswer {
    /// The file name without `.md`.
    pub name: String,
    /// Its known quality.
    pub quality: crate::taxonomy::Quality,
    /// The confidence it states, 0–100.
    pub confidence: u32,
    /// The verdict each criterion should get, by criterion id.
    pub verdicts: std::collections::BTreeMap<String, crate::taxonomy::Verdict>,
    /// What is going on and why.
    pub reasoning: String,
    /// What is unsure and what to check first.
    pub uncertainty: String,
    /// The call.
    pub commitment: String,
}
