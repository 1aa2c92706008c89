//! What is stored, version 4. Every entry carries its schema version `v`, so an entry written by
//! another version of the site is recognised rather than misread.
//!
//! History: version 1 (practice loop); version 2 adds the AI evaluator's feedback to attempts;
//! version 3 adds an investigation's log to drafts and attempts, and the verdicts the site
//! decided from it; version 4 adds timed mode: a draft's time box and an attempt's timing.

use crate::baked::{Criterion, Investigation, Rubric, RubricInvestigation};
use crate::grading::provider::ProviderKind;
use crate::grading::reply::Grade;
use crate::grading::usage::Usage;
use crate::score::{score, Score, Weighted};
use crate::session::{decide_all, SessionLog};
use crate::taxonomy::{Competency, Level, Tier, Track, Verdict};
use crate::timebox::{TimeBox, Timing};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The schema version this build writes.
pub const VERSION: u32 = 4;

/// The three parts of an analysis and the confidence stated with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// What is going on and why.
    pub reasoning: String,
    /// What is unsure and what to check first.
    pub uncertainty: String,
    /// The call.
    pub commitment: String,
    /// Stated confidence, 0–100; `None` until the learner sets it.
    pub confidence: Option<u8>,
}

impl Answer {
    /// Whether nothing has been written or chosen yet.
    pub fn is_empty(&self) -> bool {
        self.reasoning.trim().is_empty()
            && self.uncertainty.trim().is_empty()
            && self.commitment.trim().is_empty()
            && self.confidence.is_none()
    }

    /// What stops a commit, as the learner reads it: a commit needs reasoning, a commitment and
    /// a confidence ("Before committing, add your reasoning and your confidence."). `None` when
    /// nothing is missing.
    pub fn commit_problem(&self) -> Option<String> {
        let missing: Vec<&str> = [
            (self.reasoning.trim().is_empty(), "your reasoning"),
            (self.commitment.trim().is_empty(), "your commitment"),
            (self.confidence.is_none(), "your confidence"),
        ]
        .into_iter()
        .filter_map(|(empty, what)| empty.then_some(what))
        .collect();
        let list = match missing.as_slice() {
            [] => return None,
            [one] => (*one).to_string(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        Some(format!("Before committing, add {list}."))
    }
}

/// The scenario an attempt was made on, as it was then (a pack may later change or drop it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioRef {
    /// Its title.
    pub title: String,
    /// Its track.
    pub track: Option<Track>,
    /// Its level.
    pub level: Option<Level>,
    /// Its competencies.
    pub competencies: Vec<Competency>,
}

impl From<&crate::baked::ScenarioSummary> for ScenarioRef {
    fn from(s: &crate::baked::ScenarioSummary) -> Self {
        ScenarioRef {
            title: s.title.clone(),
            track: Some(s.track),
            level: Some(s.level),
            competencies: s.competencies.clone(),
        }
    }
}

/// An attempt in progress: autosaved as the learner types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Schema version.
    pub v: u32,
    /// The id the attempt will keep once committed.
    pub id: String,
    /// The scenario, as it was when the attempt started.
    pub scenario: ScenarioRef,
    /// The text so far.
    pub answer: Answer,
    /// When the attempt started (ms since the Unix epoch).
    pub started_at: u64,
    /// When it was last saved.
    pub updated_at: u64,
    /// Incremented on every save; a save based on an older revision is a conflict.
    pub rev: u64,
    /// The tab that saved it last.
    pub writer: String,
    /// An investigation's log so far (probes run, injects seen, hypotheses, questions asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<SessionLog>,
    /// The countdown, when the learner chose timed mode (see [`crate::timebox`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timebox: Option<TimeBox>,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The learner committed to their analysis, then saw the rubric.
    Committed,
    /// The learner chose to see the rubric without committing.
    GaveUp,
}

/// A criterion as it was when the learner saw the rubric: what the score is computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionRef {
    /// Criterion id.
    pub id: String,
    /// Its short name; empty in attempts stored before criteria had names (see
    /// [`CriterionRef::label`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its tier.
    pub tier: Tier,
    /// Its weight.
    pub weight: u32,
    /// The insight, as plain Markdown.
    pub insight: String,
}

impl From<&Criterion> for CriterionRef {
    fn from(c: &Criterion) -> Self {
        CriterionRef {
            id: c.id.clone(),
            name: c.name.clone(),
            tier: c.tier,
            weight: c.weight,
            insight: c.insight.markdown.clone(),
        }
    }
}

impl CriterionRef {
    /// What to call the criterion wherever it is listed: its name, or, in an attempt stored
    /// before criteria had names, the first sentence of its insight as plain text.
    pub fn label(&self) -> String {
        if !self.name.trim().is_empty() {
            return self.name.trim().to_string();
        }
        let text = plain_text(&self.insight);
        let first = first_sentence(&text);
        first.strip_suffix('.').unwrap_or(first).to_string()
    }
}

/// Markdown as one line of plain text: the words, without markup.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Up to the end of the first sentence: a `.`, `!` or `?` followed by a space and a capital, so
/// that "e.g. a push" or "3.5 %" do not end it.
fn first_sentence(text: &str) -> &str {
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let rest = &text[i + c.len_utf8()..];
            if rest.starts_with(' ') && rest[1..].starts_with(char::is_uppercase) {
                return &text[..i + c.len_utf8()];
            }
        }
    }
    text
}

/// The learner's grading of their own attempt against the rubric.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfReview {
    /// Caught / partial / missed per criterion id.
    pub verdicts: BTreeMap<String, Verdict>,
    /// "What I missed and why."
    pub missed: String,
    /// "One thing to carry forward."
    pub carry_forward: String,
    /// When it was last changed.
    pub updated_at: u64,
}

/// A finished attempt: frozen text, and what came after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// Schema version.
    pub v: u32,
    /// Unique id.
    pub id: String,
    /// 1 for the first attempt at this scenario, 2 for the next…
    pub number: u32,
    /// The scenario, as it was.
    pub scenario: ScenarioRef,
    /// Committed, or gave up to see the rubric.
    pub outcome: Outcome,
    /// The frozen analysis.
    pub answer: Answer,
    /// When the attempt started.
    pub started_at: u64,
    /// When it was committed or given up.
    pub finished_at: u64,
    /// The rubric's criteria when the learner first saw them; `None` until the rubric loaded.
    pub rubric: Option<Vec<CriterionRef>>,
    /// The learner's self-review.
    pub review: Option<SelfReview>,
    /// Feedback from AI evaluators, oldest first (one per grading, with its follow-up thread).
    pub feedback: Vec<Feedback>,
    /// An investigation's frozen log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<SessionLog>,
    /// Verdicts the site decided from the log for the rubric's code-ruled criteria, by criterion
    /// id, fixed when the rubric is first seen after commit. Neither the self-review nor the
    /// evaluator can override them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub decided: BTreeMap<String, Verdict>,
    /// What the rubric said about the path (the senior's first probes, the traps, when to act)
    /// when it was first seen: the progress page measures the log against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub senior_path: Option<RubricInvestigation>,
    /// The menu labels of the probes the log ran, by id, as they were: the brag document and
    /// history name probes by what the learner saw, even if the pack later changes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub probe_labels: BTreeMap<String, String>,
    /// How long it took and whether it was timed; none for attempts finished before version 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<Timing>,
}

/// One grading of an attempt by an AI evaluator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    /// Unique id.
    pub id: String,
    /// Which provider graded.
    pub provider: ProviderKind,
    /// Which model.
    pub model: String,
    /// When.
    pub at: u64,
    /// The validated result.
    pub grade: Grade,
    /// The reply as received (needed to continue the conversation in follow-ups).
    pub reply: String,
    /// Tokens used, if reported.
    pub usage: Option<Usage>,
    /// False when the reply was cancelled or cut off and only part of it arrived.
    pub complete: bool,
    /// Follow-up questions about this feedback and their answers.
    pub thread: Vec<FollowUp>,
}

/// A learner's question about feedback, and the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The question.
    pub question: String,
    /// The answer (Markdown from the model, rendered safely).
    pub answer: String,
    /// When it was asked.
    pub at: u64,
    /// Tokens used.
    pub usage: Option<Usage>,
}

/// Whose verdicts a score comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreSource {
    /// The AI evaluator's grading.
    Evaluator,
    /// The learner's own review against the rubric.
    SelfReview,
}

impl ScoreSource {
    /// How the learner reads it next to a figure.
    pub fn label(self) -> &'static str {
        match self {
            ScoreSource::Evaluator => "graded by the evaluator",
            ScoreSource::SelfReview => "self-review only",
        }
    }
}

/// An attempt's result: the score that counts (the evaluator's when there is one) and both
/// figures, so the gap between them can be named rather than averaged away.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttemptResult {
    /// The score that counts, 0–100.
    pub score: f64,
    /// Whose it is.
    pub source: ScoreSource,
    /// The evaluator's score, 0–100, if graded.
    pub evaluator: Option<f64>,
    /// The self-review score, 0–100, if reviewed.
    pub self_review: Option<f64>,
}

impl AttemptResult {
    /// Self-review minus evaluator, when both exist: how far the learner rates themselves above
    /// the grader.
    pub fn self_gap(&self) -> Option<f64> {
        Some(self.self_review? - self.evaluator?)
    }
}

/// Whether the learner and the evaluator gave a criterion different verdicts (both gave one).
pub fn disagree(mine: Option<Verdict>, theirs: Option<Verdict>) -> bool {
    matches!((mine, theirs), (Some(a), Some(b)) if a != b)
}

impl Feedback {
    /// The evaluator's verdict on a criterion, if it gave a valid one.
    pub fn verdict(&self, criterion: &str) -> Option<Verdict> {
        self.grade
            .criteria
            .iter()
            .find(|g| g.id == criterion)
            .map(|g| g.verdict)
    }

    /// The score of the model's verdicts, computed by our code from the attempt's criteria; a
    /// criterion the site decided from the log (`decided`, see [`Attempt::decided`]) counts with
    /// the site's verdict, whatever the model said about it.
    pub fn score(&self, criteria: &[CriterionRef], decided: &BTreeMap<String, Verdict>) -> Score {
        score(criteria.iter().map(|c| Weighted {
            tier: c.tier,
            weight: c.weight,
            verdict: decided.get(&c.id).copied().or_else(|| self.verdict(&c.id)),
        }))
    }

    /// How many criteria the learner's self-review and the evaluator judged differently.
    pub fn disagreements(
        &self,
        criteria: &[CriterionRef],
        mine: &BTreeMap<String, Verdict>,
    ) -> usize {
        criteria
            .iter()
            .filter(|c| disagree(mine.get(&c.id).copied(), self.verdict(&c.id)))
            .count()
    }
}

impl Attempt {
    /// Records the rubric the first time the learner sees it: its criteria, as they are now, and
    /// for a committed investigation the verdicts its code rules give the frozen log. Later
    /// calls change nothing (a pack may change the rubric; the attempt keeps what was shown).
    /// Returns whether anything changed, i.e. whether the attempt needs saving.
    pub fn see_rubric(&mut self, rubric: &Rubric) -> bool {
        if self.rubric.is_some() {
            return false;
        }
        self.rubric = Some(rubric.criteria.iter().map(CriterionRef::from).collect());
        if let (Outcome::Committed, Some(log)) = (self.outcome, &self.log) {
            self.decided = decide_all(rubric, log);
            self.senior_path.clone_from(&rubric.investigation);
        }
        true
    }

    /// Records the labels of the probes the log ran, the first time the investigation is at hand
    /// (a probe the scenario no longer has keeps no label). Returns whether anything changed.
    pub fn see_investigation(&mut self, inv: &Investigation) -> bool {
        let Some(log) = &self.log else {
            return false;
        };
        if !self.probe_labels.is_empty() {
            return false;
        }
        self.probe_labels = log
            .probes()
            .into_iter()
            .filter_map(|(id, _)| Some((id.to_string(), inv.probe(id)?.label.clone())))
            .collect();
        !self.probe_labels.is_empty()
    }

    /// What the learner saw a probe called: its label when recorded, else its id in words.
    pub fn probe_label(&self, id: &str) -> String {
        self.probe_labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.replace('-', " "))
    }

    /// Whether the site decided this criterion from the log (so no one else grades it).
    pub fn is_decided(&self, criterion: &str) -> bool {
        self.decided.contains_key(criterion)
    }

    /// The attempt's criteria with its self-review verdicts, ready for scoring; a criterion the
    /// site decided from the log counts with the site's verdict.
    pub fn self_review_weights(&self) -> Vec<crate::score::Weighted> {
        let verdicts = self.review.as_ref().map(|r| &r.verdicts);
        self.rubric
            .iter()
            .flatten()
            .map(|c| crate::score::Weighted {
                tier: c.tier,
                weight: c.weight,
                verdict: self
                    .decided
                    .get(&c.id)
                    .or_else(|| verdicts.and_then(|v| v.get(&c.id)))
                    .copied(),
            })
            .collect()
    }

    /// The evaluator's score: its latest grading that gave every criterion a verdict.
    pub fn evaluator_score(&self) -> Option<crate::score::Score> {
        let criteria = self.rubric.as_deref()?;
        if self.outcome != Outcome::Committed {
            return None;
        }
        self.feedback
            .iter()
            .rev()
            .map(|f| f.score(criteria, &self.decided))
            .find(|s| s.complete() && s.total > 0.0)
    }

    /// The score to show and count for this attempt: the evaluator's grading when there is one,
    /// the self-review otherwise, with both figures for naming the gap.
    pub fn result(&self) -> Option<AttemptResult> {
        let pct = |s: crate::score::Score| s.ratio() * 100.0;
        let evaluator = self.evaluator_score().map(pct);
        let self_review = self.self_review_score().map(pct);
        let (score, source) = match (evaluator, self_review) {
            (Some(e), _) => (e, ScoreSource::Evaluator),
            (None, Some(s)) => (s, ScoreSource::SelfReview),
            (None, None) => return None,
        };
        Some(AttemptResult {
            score,
            source,
            evaluator,
            self_review,
        })
    }

    /// The self-review score, when every criterion has a verdict.
    pub fn self_review_score(&self) -> Option<crate::score::Score> {
        let s = crate::score::score(self.self_review_weights());
        (self.outcome == Outcome::Committed
            && self.rubric.is_some()
            && s.complete()
            && s.total > 0.0)
            .then_some(s)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #[test]
    fn a_commit_names_every_part_it_still_needs() {
        let mut a = Answer::default();
        assert_eq!(
            a.commit_problem().as_deref(),
            Some("Before committing, add your reasoning, your commitment and your confidence.")
        );
        a.reasoning = "The pool".into();
        a.confidence = Some(0);
        assert_eq!(
            a.commit_problem().as_deref(),
            Some("Before committing, add your commitment.")
        );
        a.commitment = " \n".into();
        assert!(a.commit_problem().is_some(), "blank is empty");
        a.commitment = "Roll back".into();
        assert_eq!(a.commit_problem(), None, "the uncertainty may stay empty");
    }

    use super::*;
    use crate::grading::reply::CriterionGrade;

    fn criterion(id: &str, tier: Tier, weight: u32) -> CriterionRef {
        CriterionRef {
            id: id.into(),
            name: String::new(),
            tier,
            weight,
            insight: String::new(),
        }
    }

    #[test]
    fn a_criterion_is_labelled_by_its_name_or_else_its_insights_first_sentence() {
        let mut c = criterion("kill-switch", Tier::Critical, 3);
        c.insight =
            "Use the **kill switch** first, e.g. before the rollback. The root cause can wait."
                .into();
        assert_eq!(
            c.label(),
            "Use the kill switch first, e.g. before the rollback"
        );
        c.name = "Kill switch before root cause".into();
        assert_eq!(c.label(), "Kill switch before root cause");
        c.name = "  ".into();
        c.insight = "Roll back at 3.5 % errors".into();
        assert_eq!(c.label(), "Roll back at 3.5 % errors");
    }

    #[test]
    fn a_criterion_stored_without_a_name_loads_and_is_stored_as_it_was() {
        let old = r#"{"id":"a","tier":"critical","weight":3,"insight":"Push. Then pull."}"#;
        let c: CriterionRef = serde_json::from_str(old).unwrap();
        assert_eq!((c.name.as_str(), c.label().as_str()), ("", "Push"));
        assert_eq!(serde_json::to_string(&c).unwrap(), old);
        let named = CriterionRef {
            name: "Push first".into(),
            ..c
        };
        let json = serde_json::to_string(&named).unwrap();
        assert!(json.contains(r#""name":"Push first""#), "{json}");
        assert_eq!(serde_json::from_str::<CriterionRef>(&json).unwrap(), named);
    }

    /// An evaluator's complete grading with these verdicts.
    pub(crate) fn feedback(verdicts: &[(&str, Verdict)]) -> Feedback {
        Feedback {
            id: "f".into(),
            provider: ProviderKind::Ollama,
            model: "m".into(),
            at: 0,
            grade: Grade {
                criteria: verdicts
                    .iter()
                    .map(|(id, v)| CriterionGrade {
                        id: (*id).into(),
                        verdict: *v,
                        evidence: vec![],
                        why: String::new(),
                    })
                    .collect(),
                ungraded: vec![],
                uncertainties: vec![],
                missed_failure_mode: String::new(),
                focus_next: String::new(),
                overall: String::new(),
                problems: vec![],
            },
            reply: String::new(),
            usage: None,
            complete: true,
            thread: vec![],
        }
    }

    #[test]
    fn disagreement_needs_two_verdicts_that_differ() {
        assert!(disagree(Some(Verdict::Caught), Some(Verdict::Missed)));
        assert!(!disagree(Some(Verdict::Caught), Some(Verdict::Caught)));
        assert!(!disagree(None, Some(Verdict::Missed)));
        assert!(!disagree(Some(Verdict::Partial), None));
    }

    #[test]
    fn feedback_is_scored_and_compared_by_our_code() {
        let criteria = [
            criterion("a", Tier::Critical, 3),
            criterion("b", Tier::Important, 2),
            criterion("c", Tier::Bonus, 1),
        ];
        let f = feedback(&[("a", Verdict::Caught), ("b", Verdict::Missed)]);
        let s = f.score(&criteria, &BTreeMap::new());
        assert_eq!((s.earned, s.total, s.unjudged), (3.0, 6.0, 1));
        let mine: BTreeMap<String, Verdict> = [
            ("a".to_string(), Verdict::Caught),
            ("b".to_string(), Verdict::Caught),
            ("c".to_string(), Verdict::Missed),
        ]
        .into();
        // `c` was not graded by the evaluator: not a disagreement.
        assert_eq!(f.disagreements(&criteria, &mine), 1);
    }

    /// A rubric with one analysis criterion and two the site decides: drops first, commit by T+10.
    fn investigation_rubric() -> Rubric {
        use crate::baked::{CriterionKind, Prose, Rule};
        let prose = |t: &str| Prose {
            markdown: t.into(),
            html: t.into(),
        };
        let c = |id: &str, rule: Option<&str>| Criterion {
            id: id.into(),
            name: String::new(),
            tier: Tier::Important,
            weight: 2,
            insight: prose(id),
            caught: prose(""),
            partial: prose(""),
            why: prose(""),
            kind: if rule.is_some() {
                CriterionKind::Investigation
            } else {
                CriterionKind::Analysis
            },
            rule: rule.and_then(Rule::parse),
        };
        Rubric {
            criteria: vec![
                c("mechanism", None),
                c("drops-first", Some("first:drops")),
                c("acted", Some("acted-by:10")),
            ],
            failure_mode: prose(""),
            reframing_question: prose(""),
            red_flags: prose(""),
            common_mistakes: prose(""),
            reference_reasoning: prose(""),
            references: vec![],
            investigation: Some(RubricInvestigation {
                first: vec!["drops".into()],
                traps: vec!["diff".into()],
                act_by: 10,
                why_first: "One counter splits network from database.".into(),
                why_traps: "The diff is huge.".into(),
            }),
        }
    }

    /// A committed investigation: `drops` first at T+5, committed at T+15, rubric not yet seen.
    pub(crate) fn investigation_attempt() -> Attempt {
        use crate::session::LogEvent;
        Attempt {
            v: VERSION,
            id: "i1".into(),
            number: 1,
            scenario: ScenarioRef::default(),
            outcome: Outcome::Committed,
            answer: Answer::default(),
            started_at: 1,
            finished_at: 2,
            rubric: None,
            review: None,
            feedback: vec![],
            log: Some(SessionLog {
                events: vec![
                    LogEvent::Probe {
                        id: "drops".into(),
                        at: 5,
                    },
                    LogEvent::Committed { at: 15 },
                ],
            }),
            decided: BTreeMap::new(),
            senior_path: None,
            probe_labels: BTreeMap::new(),
            timing: None,
        }
    }

    #[test]
    fn the_site_decides_code_ruled_criteria_once_when_the_rubric_is_first_seen() {
        let mut a = investigation_attempt();
        assert!(a.see_rubric(&investigation_rubric()));
        assert_eq!(
            a.rubric
                .as_ref()
                .unwrap()
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["mechanism", "drops-first", "acted"]
        );
        assert_eq!(
            a.decided
                .iter()
                .map(|(k, v)| (k.as_str(), *v))
                .collect::<Vec<_>>(),
            [
                ("acted", Verdict::Partial),
                ("drops-first", Verdict::Caught)
            ]
        );
        assert!(a.is_decided("acted") && !a.is_decided("mechanism"));
        assert_eq!(a.senior_path.as_ref().unwrap().first, ["drops"]);
        // A rubric changed later does not change what was decided.
        let mut changed = investigation_rubric();
        changed.criteria[2].rule = crate::baked::Rule::parse("acted-by:60");
        assert!(!a.see_rubric(&changed));
        assert_eq!(a.decided["acted"], Verdict::Partial);

        // Nothing to decide without a log, or when the learner gave up.
        let mut plain = investigation_attempt();
        plain.log = None;
        plain.see_rubric(&investigation_rubric());
        assert!(plain.decided.is_empty() && plain.rubric.is_some());
        let mut gave_up = investigation_attempt();
        gave_up.outcome = Outcome::GaveUp;
        gave_up.see_rubric(&investigation_rubric());
        assert!(gave_up.decided.is_empty());
    }

    #[test]
    fn probe_labels_are_recorded_once_for_the_probes_the_log_ran() {
        use crate::baked::{Probe, Prose};
        let probe = |id: &str, label: &str| Probe {
            id: id.into(),
            label: label.into(),
            cost: 5,
            evidence: Prose::default(),
        };
        let inv = Investigation {
            start: None,
            probes: vec![
                probe("drops", "Query the gateway's drop counter"),
                probe("diff", "Read the deploy diff"),
            ],
            injects: vec![],
            facts: Prose::default(),
        };
        let mut a = investigation_attempt();
        assert_eq!(a.probe_label("drops"), "drops");
        assert!(a.see_investigation(&inv));
        assert_eq!(
            a.probe_labels
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
            [("drops", "Query the gateway's drop counter")]
        );
        assert_eq!(a.probe_label("drops"), "Query the gateway's drop counter");
        assert_eq!(a.probe_label("ask-ana"), "ask ana");
        let mut renamed = inv.clone();
        renamed.probes[0].label = "Renamed later".into();
        assert!(!a.see_investigation(&renamed));
        assert_eq!(a.probe_label("drops"), "Query the gateway's drop counter");
        let mut no_log = investigation_attempt();
        no_log.log = None;
        assert!(!no_log.see_investigation(&inv));
    }

    #[test]
    fn decided_verdicts_override_the_self_review_and_the_evaluator() {
        let mut a = investigation_attempt();
        a.see_rubric(&investigation_rubric());
        // The learner marks every criterion caught; the site decided `acted` partial.
        a.review = Some(SelfReview {
            verdicts: ["mechanism", "drops-first", "acted"]
                .iter()
                .map(|id| (id.to_string(), Verdict::Caught))
                .collect(),
            ..SelfReview::default()
        });
        let verdicts: Vec<Option<Verdict>> =
            a.self_review_weights().iter().map(|w| w.verdict).collect();
        assert_eq!(
            verdicts,
            [
                Some(Verdict::Caught),
                Some(Verdict::Caught),
                Some(Verdict::Partial)
            ]
        );
        assert_eq!(a.self_review_score().unwrap().earned, 5.0);
        // The learner need not mark what the site decided for the review to be complete.
        a.review
            .as_mut()
            .unwrap()
            .verdicts
            .retain(|id, _| id == "mechanism");
        assert_eq!(a.self_review_score().unwrap().earned, 5.0);

        // The evaluator grades only the analysis; a verdict it gives on a decided criterion anyway
        // is ignored.
        a.feedback.push(feedback(&[
            ("mechanism", Verdict::Missed),
            ("acted", Verdict::Caught),
        ]));
        let criteria = a.rubric.clone().unwrap();
        let s = a.feedback[0].score(&criteria, &a.decided);
        assert_eq!((s.earned, s.total, s.unjudged), (3.0, 6.0, 0));
        assert_eq!(a.evaluator_score(), Some(s));
        let r = a.result().unwrap();
        assert_eq!((r.score, r.source), (50.0, ScoreSource::Evaluator));
        // Without the site's verdicts the same grading would be incomplete.
        assert!(!a.feedback[0].score(&criteria, &BTreeMap::new()).complete());
    }

    #[test]
    fn logs_and_decided_verdicts_are_stored_only_when_there_are_some() {
        let mut a = investigation_attempt();
        a.log = None;
        let json = serde_json::to_string(&a).unwrap();
        assert!(
            !json.contains("\"log\"") && !json.contains("\"decided\""),
            "{json}"
        );
        let mut b = investigation_attempt();
        b.see_rubric(&investigation_rubric());
        let json = serde_json::to_string(&b).unwrap();
        assert!(
            json.contains(r#""decided":{"acted":"partial","drops-first":"caught"}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Attempt>(&json).unwrap(), b);
    }
}
