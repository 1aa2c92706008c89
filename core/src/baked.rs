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
    /// Whether it is an investigation (probes, injects, a clock).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub investigation: bool,
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
    /// What the rubric says about an investigation's path, if the scenario is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investigation: Option<RubricInvestigation>,
}

/// One insight a senior would reach, written so a grader can decide caught / partial / missed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable id, unique in the rubric.
    pub id: String,
    /// What the insight is, in at most eight plain words: its title wherever it is listed.
    pub name: String,
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
    /// Analysis or investigation.
    #[serde(default, skip_serializing_if = "is_analysis")]
    pub kind: CriterionKind,
    /// For an investigation criterion decided by code: the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
}

fn is_analysis(k: &CriterionKind) -> bool {
    *k == CriterionKind::Analysis
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
    /// For an investigation: the path this answer took (`[log]` in its front matter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<SampleLog>,
}

/// The path a sample answer of an investigation took, as its author wrote it. Converted to a
/// session log where the code-decided verdicts are checked and when calibrating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleLog {
    /// Probe ids in the order they were run; each is revealed once its cost has passed.
    pub probes: Vec<String>,
    /// Working hypotheses in the order they were written.
    #[serde(default)]
    pub hypotheses: Vec<SampleHypothesis>,
    /// The simulated minute of commit.
    pub committed_at: u32,
}

/// One working hypothesis of a sample log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleHypothesis {
    /// The simulated minute it was written.
    pub at: u32,
    /// The hypothesis.
    pub text: String,
    /// How sure the learner was, 0–100.
    pub confidence: u8,
}

/// What an investigation hides until asked for: probes, injects and the game master's facts.
/// Baked into `investigation.json` beside `scenario.json`, so evidence is in neither the
/// pre-rendered page nor the briefing's data until the learner asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Investigation {
    /// What T+0 reads as on the wall clock ("09:42"), if the author set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Things the learner can choose to look at or ask, in the author's order.
    pub probes: Vec<Probe>,
    /// Events that arrive when the clock passes them, by time (then author order).
    pub injects: Vec<Inject>,
    /// The game master's facts sheet: what people on the call know that no probe shows.
    pub facts: Prose,
}

impl Investigation {
    /// The probe with this id.
    pub fn probe(&self, id: &str) -> Option<&Probe> {
        self.probes.iter().find(|p| p.id == id)
    }
}

/// Something the learner can choose to look at or ask: a query, a dashboard, a log, a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    /// Stable id, unique in the scenario (rubric rules and logs name it).
    pub id: String,
    /// What the menu shows.
    pub label: String,
    /// Simulated minutes it takes.
    pub cost: u32,
    /// What it reveals.
    pub evidence: Prose,
}

/// An event that arrives at a simulated time: a message, a metric that moves, an escalation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inject {
    /// Stable id, unique in the scenario.
    pub id: String,
    /// Its title.
    pub label: String,
    /// The simulated minute it arrives.
    pub at: u32,
    /// What it says.
    pub body: Prose,
}

/// What the rubric says about the path: what a senior looks at first, which probes are traps, by
/// when a senior acts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricInvestigation {
    /// Probes a senior runs first.
    pub first: Vec<String>,
    /// Costly, uninformative probes.
    pub traps: Vec<String>,
    /// The simulated minute by which a senior has acted.
    pub act_by: u32,
    /// Why those first, in one line.
    #[serde(default)]
    pub why_first: String,
    /// Why those are traps, in one line.
    #[serde(default)]
    pub why_traps: String,
}

/// Whether a criterion is about the analysis or about the investigation's path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CriterionKind {
    /// The written analysis.
    #[default]
    Analysis,
    /// The path: what was looked at, when, and how the learner's mind moved.
    Investigation,
}

/// An investigation criterion decided by code from the attempt's log, written `kind:argument`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// `looked-at:ID`: the probe was revealed before commit.
    LookedAt(String),
    /// `first:ID`: the probe was the first one run (partial: run later).
    First(String),
    /// `avoided:ID`: the probe was never run.
    Avoided(String),
    /// `acted-by:N`: committed by simulated minute N (partial: by 2N).
    ActedBy(u32),
}

impl Rule {
    /// Reads `kind:argument`; `None` if it is not one of the four rules.
    pub fn parse(text: &str) -> Option<Rule> {
        let (kind, arg) = text.trim().split_once(':')?;
        let arg = arg.trim();
        let id = || (!arg.is_empty()).then(|| arg.to_string());
        match kind.trim() {
            "looked-at" => id().map(Rule::LookedAt),
            "first" => id().map(Rule::First),
            "avoided" => id().map(Rule::Avoided),
            "acted-by" => arg.parse().ok().map(Rule::ActedBy),
            _ => None,
        }
    }

    /// The probe it names, if any.
    pub fn probe(&self) -> Option<&str> {
        match self {
            Rule::LookedAt(p) | Rule::First(p) | Rule::Avoided(p) => Some(p),
            Rule::ActedBy(_) => None,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rule::LookedAt(p) => write!(f, "looked-at:{p}"),
            Rule::First(p) => write!(f, "first:{p}"),
            Rule::Avoided(p) => write!(f, "avoided:{p}"),
            Rule::ActedBy(n) => write!(f, "acted-by:{n}"),
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Rule::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "unknown rule `{text}`: use looked-at:ID, first:ID, avoided:ID or acted-by:N"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_and_write_their_short_form() {
        for text in [
            "looked-at:gateway-drops",
            "first:a",
            "avoided:deploy-diff",
            "acted-by:25",
        ] {
            let rule = Rule::parse(text).unwrap();
            assert_eq!(rule.to_string(), text);
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), rule);
        }
        for bad in ["", "first:", "acted-by:soon", "looked:x", "first"] {
            assert_eq!(Rule::parse(bad), None, "{bad}");
        }
        assert!(serde_json::from_str::<Rule>("\"nope:x\"")
            .unwrap_err()
            .to_string()
            .contains("use looked-at:ID"));
    }
}
