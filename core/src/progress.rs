//! What the progress page shows, computed from stored attempts: what was practised by track and
//! competency, scores over time, and how stated confidence compares with achieved scores. Every
//! score is the evaluator's grading when there is one and the self-review only where there is
//! none (marked so), and the gap between the two is named, never averaged away: measuring the
//! learner against their own verdicts would make the calibration view circular.

use crate::baked::RubricInvestigation;
use crate::session::{clock_label, figures, LogEvent, PathFigures};
use crate::storage::repo::ScenarioState;
use crate::storage::schema::{Attempt, AttemptResult, Outcome, ScoreSource};
use crate::taxonomy::{Competency, Track};

/// One scored attempt, as the charts plot it.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// When it was committed.
    pub at: u64,
    /// The score that counts, 0–100: the evaluator's when graded, else the self-review.
    pub score: f64,
    /// Whose score it is.
    pub source: ScoreSource,
    /// The self-review score, 0–100, if reviewed.
    pub self_review: Option<f64>,
    /// The evaluator's score, 0–100, if graded.
    pub evaluator: Option<f64>,
    /// Stated confidence, 0–100.
    pub confidence: Option<u8>,
    /// Scenario title.
    pub title: String,
    /// Scenario track.
    pub track: Option<Track>,
    /// Attempt number on its scenario.
    pub number: u32,
    /// How long it took, and whether it was timed (attempts since timed mode).
    pub timing: Option<crate::timebox::Timing>,
}

/// Attempts and scores for one track or competency.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Its label.
    pub label: &'static str,
    /// Finished attempts (committed or given up).
    pub attempts: usize,
    /// Scored attempts (by the evaluator or, failing that, by self-review).
    pub graded: usize,
    /// Of those, graded by the evaluator.
    pub by_evaluator: usize,
    /// Mean score of scored attempts, 0–100.
    pub average: Option<f64>,
    /// Best score, 0–100.
    pub best: Option<f64>,
    /// Mean of self-review minus evaluator over attempts that have both, and how many.
    pub self_gap: Option<(f64, usize)>,
}

/// Confidence against results for scored attempts in a confidence band.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Lowest confidence in the band.
    pub from: u8,
    /// Highest confidence in the band.
    pub to: u8,
    /// Attempts in it.
    pub count: usize,
    /// Of those, scored by self-review only.
    pub self_only: usize,
    /// Their mean stated confidence.
    pub confidence: f64,
    /// Their mean score.
    pub score: f64,
}

impl Band {
    /// The band in plain words: "When you say 80–100 %, you score 55 % on average (3 attempts)."
    pub fn reading(&self) -> String {
        let n = if self.count == 1 {
            "1 attempt".to_string()
        } else {
            format!("{} attempts", self.count)
        };
        let marked = match self.self_only {
            0 => String::new(),
            k if k == self.count => ", self-review only".to_string(),
            k => format!(", {k} of them self-review only"),
        };
        format!(
            "When you say {}–{} %, you score {:.0} % on average ({n}{marked}).",
            self.from, self.to, self.score
        )
    }
}

/// How stated confidence compares with results on one track.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackCalibration {
    /// The track.
    pub track: Track,
    /// Mean of (stated confidence − score).
    pub gap: f64,
    /// Attempts it is based on.
    pub count: usize,
}

/// The whole progress view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    /// Scenarios with at least one finished attempt.
    pub scenarios: usize,
    /// Committed attempts.
    pub committed: usize,
    /// Attempts given up to see the rubric.
    pub gave_up: usize,
    /// Scored attempts, oldest first.
    pub points: Vec<Point>,
    /// By track, in track order.
    pub by_track: Vec<Group>,
    /// By competency, in competency order.
    pub by_competency: Vec<Group>,
    /// Confidence bands with at least one scored attempt.
    pub bands: Vec<Band>,
    /// Committed investigations, oldest first.
    pub investigations: Vec<InvestigationPoint>,
}

/// How one committed investigation went: its path, measured against the senior's when the
/// attempt recorded the rubric's.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestigationPoint {
    /// When it was committed (ms since the Unix epoch).
    pub at: u64,
    /// Scenario title.
    pub title: String,
    /// Attempt number on its scenario.
    pub number: u32,
    /// Time to the first hypothesis, probes, traps, commit time and confidence over time.
    pub figures: PathFigures,
    /// What the first probe run was called, if one was run.
    pub first_probe: Option<String>,
    /// Hypotheses revised (each revision counts).
    pub revisions: usize,
    /// The confidence stated with the answer.
    pub stated_confidence: Option<u8>,
    /// The senior's path, when the attempt recorded the rubric's.
    pub senior: Option<SeniorPath>,
}

/// The senior's path an investigation is measured against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeniorPath {
    /// How many probes a senior runs first.
    pub first: usize,
    /// Whether the learner's first probe was one of them.
    pub started_there: bool,
    /// The simulated minute by which a senior has acted.
    pub act_by: u32,
}

impl InvestigationPoint {
    /// Whether the learner committed by the senior's time (`None` when there is none to compare).
    pub fn acted_in_time(&self) -> Option<bool> {
        Some(self.figures.committed_at? <= self.senior.as_ref()?.act_by)
    }
}

/// An attempt's investigation in figures, if it is a committed one with a log.
pub fn investigation_point(a: &Attempt) -> Option<InvestigationPoint> {
    let log = a.log.as_ref().filter(|_| a.outcome == Outcome::Committed)?;
    let none = RubricInvestigation {
        first: vec![],
        traps: vec![],
        act_by: 0,
        why_first: String::new(),
        why_traps: String::new(),
    };
    let path = a.senior_path.as_ref();
    let first = log.probes().first().map(|(id, _)| id.to_string());
    Some(InvestigationPoint {
        at: a.finished_at,
        title: a.scenario.title.clone(),
        number: a.number,
        figures: figures(log, path.unwrap_or(&none)),
        first_probe: first.as_deref().map(|id| a.probe_label(id)),
        revisions: log
            .events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    LogEvent::Hypothesis {
                        revises: Some(_),
                        ..
                    }
                )
            })
            .count(),
        stated_confidence: a.answer.confidence,
        senior: path.map(|p| SeniorPath {
            first: p.first.len(),
            started_there: first.is_some_and(|f| p.first.contains(&f)),
            act_by: p.act_by,
        }),
    })
}

/// The path of an investigation attempt in one sentence: "Investigated for 22 simulated minutes:
/// 3 probes, first \"Query the gateway's drop counter\"; first hypothesis at T+6."
pub fn path_sentence(a: &Attempt) -> Option<String> {
    let p = investigation_point(a)?;
    let f = &p.figures;
    let minutes = f.committed_at.unwrap_or(0);
    let mut parts = vec![match (f.probes_run, &p.first_probe) {
        (0, _) | (_, None) => "no probes run".to_string(),
        (1, Some(label)) => format!("1 probe, \"{label}\""),
        (n, Some(label)) => format!("{n} probes, first \"{label}\""),
    }];
    parts.push(match f.first_hypothesis_at {
        Some(t) => format!("first hypothesis at {}", short_clock(t)),
        None => "no working hypothesis written".to_string(),
    });
    if p.revisions > 0 {
        parts.push(format!("revised {}", times(p.revisions)));
    }
    if f.traps_run > 0 {
        parts.push(format!(
            "ran {} a senior would skip",
            if f.traps_run == 1 {
                "1 trap".to_string()
            } else {
                format!("{} traps", f.traps_run)
            }
        ));
    }
    Some(format!(
        "Investigated for {minutes} simulated minute{}: {}.",
        if minutes == 1 { "" } else { "s" },
        parts.join("; ")
    ))
}

/// "T+6" (the clock label without its unit, for use inside a sentence).
fn short_clock(minutes: u32) -> String {
    clock_label(minutes).trim_end_matches(" min").to_string()
}

fn times(n: usize) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

/// The investigation figures over every committed investigation.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestigationSummary {
    /// Committed investigations.
    pub count: usize,
    /// Mean time to the first hypothesis, over those that wrote one, and how many did.
    pub first_hypothesis_at: Option<(f64, usize)>,
    /// Investigations measured against a senior's path (their rubric was seen).
    pub measured: usize,
    /// Of those, how many started with a probe a senior runs first.
    pub started_there: usize,
    /// Of those, how many ran at least one trap.
    pub ran_a_trap: usize,
    /// Of those, how many committed by the senior's time.
    pub acted_in_time: usize,
    /// Mean commit time.
    pub committed_at: Option<f64>,
    /// Investigations in which a hypothesis was revised.
    pub revised: usize,
}

impl InvestigationSummary {
    /// The figures in plain sentences, for the progress page.
    pub fn readings(&self) -> Vec<String> {
        let of = |k: usize, n: usize| {
            format!("{k} of {n} investigation{}", if n == 1 { "" } else { "s" })
        };
        let mut out = Vec::new();
        if let Some((t, n)) = self.first_hypothesis_at {
            out.push(format!(
                "Your first working hypothesis came at T+{t:.0} min on average ({}).",
                of(n, self.count)
            ));
        }
        if self.measured > 0 {
            out.push(format!(
                "You started where a senior starts in {}.",
                of(self.started_there, self.measured)
            ));
            out.push(format!(
                "You ran a probe a senior would skip in {}.",
                of(self.ran_a_trap, self.measured)
            ));
            out.push(format!(
                "You acted by the time a senior would have in {}.",
                of(self.acted_in_time, self.measured)
            ));
        }
        if let Some(t) = self.committed_at {
            out.push(format!("You committed at T+{t:.0} min on average."));
        }
        out.push(format!(
            "You revised a hypothesis on the evidence in {}.",
            of(self.revised, self.count)
        ));
        out
    }
}

impl Progress {
    /// The investigation figures, when there is at least one committed investigation.
    pub fn investigation_summary(&self) -> Option<InvestigationSummary> {
        let all = &self.investigations;
        if all.is_empty() {
            return None;
        }
        let firsts: Vec<f64> = all
            .iter()
            .filter_map(|p| p.figures.first_hypothesis_at.map(f64::from))
            .collect();
        let measured: Vec<&InvestigationPoint> =
            all.iter().filter(|p| p.senior.is_some()).collect();
        let count =
            |f: &dyn Fn(&InvestigationPoint) -> bool| measured.iter().filter(|p| f(p)).count();
        Some(InvestigationSummary {
            count: all.len(),
            first_hypothesis_at: mean(firsts.iter().copied()).map(|m| (m, firsts.len())),
            measured: measured.len(),
            started_there: count(&|p| p.senior.as_ref().is_some_and(|s| s.started_there)),
            ran_a_trap: count(&|p| p.figures.traps_run > 0),
            acted_in_time: count(&|p| p.acted_in_time() == Some(true)),
            committed_at: mean(
                all.iter()
                    .filter_map(|p| p.figures.committed_at.map(f64::from)),
            ),
            revised: all.iter().filter(|p| p.revisions > 0).count(),
        })
    }
}

/// The smallest number of scored attempts that says anything about calibration.
pub const CALIBRATION_MINIMUM: usize = 3;

/// A self-review this many points from the evaluator is worth naming.
pub const GAP_WORTH_NAMING: f64 = 10.0;

impl Progress {
    /// Mean of (stated confidence − score) over scored attempts that stated one.
    pub fn overconfidence(&self) -> Option<f64> {
        gap(self.points.iter())
    }

    /// One sentence on calibration, saying what it is measured against.
    pub fn calibration_verdict(&self) -> String {
        let against = if self
            .points
            .iter()
            .all(|p| p.source == ScoreSource::SelfReview)
        {
            "your self-review (no evaluator grading yet: get feedback to measure against a grader)"
        } else if self
            .points
            .iter()
            .any(|p| p.source == ScoreSource::SelfReview)
        {
            "your graded score (self-review where there is no grading)"
        } else {
            "your graded score"
        };
        match self.overconfidence() {
            None => format!("Score at least {CALIBRATION_MINIMUM} committed attempts to see how your confidence compares with your results."),
            Some(g) if g > 10.0 => format!("Overconfident: your stated confidence is {g:.0} points above {against} on average."),
            Some(g) if g < -10.0 => format!("Underconfident: your stated confidence is {:.0} points below {against} on average.", -g),
            Some(g) => format!("Well calibrated: your stated confidence is within {:.0} points of {against} on average.", g.abs().max(0.0)),
        }
    }

    /// Mean score of all scored attempts.
    pub fn average(&self) -> Option<f64> {
        mean(self.points.iter().map(|p| p.score))
    }

    /// Calibration per track, for tracks with enough scored attempts.
    pub fn by_track_calibration(&self) -> Vec<TrackCalibration> {
        Track::ALL
            .iter()
            .filter_map(|t| {
                let on: Vec<&Point> = self.points.iter().filter(|p| p.track == Some(*t)).collect();
                let count = on.iter().filter(|p| p.confidence.is_some()).count();
                gap(on.into_iter()).map(|gap| TrackCalibration {
                    track: *t,
                    gap,
                    count,
                })
            })
            .collect()
    }

    /// The gaps between self-review and the evaluator worth naming, by competency then track:
    /// "You rate yourself 30 points above the grader on Technical communication scenarios."
    pub fn self_gap_readings(&self) -> Vec<String> {
        self.by_competency
            .iter()
            .chain(&self.by_track)
            .filter_map(|g| {
                let (gap, n) = g.self_gap?;
                let times = if n == 1 {
                    "1 graded attempt".to_string()
                } else {
                    format!("{n} graded attempts")
                };
                (gap.abs() >= GAP_WORTH_NAMING).then(|| {
                    format!(
                        "You rate yourself {:.0} points {} the grader on {} scenarios ({times}).",
                        gap.abs(),
                        if gap > 0.0 { "above" } else { "below" },
                        g.label
                    )
                })
            })
            .collect()
    }
}

fn gap<'a>(points: impl Iterator<Item = &'a Point>) -> Option<f64> {
    let gaps: Vec<f64> = points
        .filter_map(|p| p.confidence.map(|c| f64::from(c) - p.score))
        .collect();
    (gaps.len() >= CALIBRATION_MINIMUM).then(|| gaps.iter().sum::<f64>() / gaps.len() as f64)
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn group<'a>(label: &'static str, attempts: impl Iterator<Item = &'a Attempt> + Clone) -> Group {
    let results: Vec<AttemptResult> = attempts.clone().filter_map(Attempt::result).collect();
    let scores = || results.iter().map(|r| r.score);
    let gaps: Vec<f64> = results.iter().filter_map(AttemptResult::self_gap).collect();
    Group {
        label,
        attempts: attempts.count(),
        graded: results.len(),
        by_evaluator: results
            .iter()
            .filter(|r| r.source == ScoreSource::Evaluator)
            .count(),
        average: mean(scores()),
        best: scores().reduce(f64::max),
        self_gap: mean(gaps.iter().copied()).map(|g| (g, gaps.len())),
    }
}

/// Computes the progress view from every stored scenario.
pub fn compute(records: &[(String, String, ScenarioState)]) -> Progress {
    let attempts: Vec<&Attempt> = records
        .iter()
        .flat_map(|(_, _, s)| s.attempts.iter())
        .collect();
    let mut points: Vec<Point> = attempts
        .iter()
        .filter_map(|a| {
            a.result().map(|r| Point {
                at: a.finished_at,
                score: r.score,
                source: r.source,
                self_review: r.self_review,
                evaluator: r.evaluator,
                confidence: a.answer.confidence,
                title: a.scenario.title.clone(),
                track: a.scenario.track,
                number: a.number,
                timing: a.timing,
            })
        })
        .collect();
    crate::order::sort_by_key(&mut points, |p| p.at);
    let mut investigations: Vec<InvestigationPoint> = attempts
        .iter()
        .filter_map(|a| investigation_point(a))
        .collect();
    crate::order::sort_by_key(&mut investigations, |p| p.at);
    let bands = (0..5)
        .filter_map(|i| {
            let (from, to) = (i * 20, if i == 4 { 100 } else { i * 20 + 19 });
            let inside: Vec<&Point> = points
                .iter()
                .filter(|p| p.confidence.is_some_and(|c| (from..=to).contains(&c)))
                .collect();
            (!inside.is_empty()).then(|| Band {
                from,
                to,
                count: inside.len(),
                self_only: inside
                    .iter()
                    .filter(|p| p.source == ScoreSource::SelfReview)
                    .count(),
                confidence: mean(inside.iter().filter_map(|p| p.confidence.map(f64::from)))
                    .unwrap_or(0.0),
                score: mean(inside.iter().map(|p| p.score)).unwrap_or(0.0),
            })
        })
        .collect();
    Progress {
        scenarios: records
            .iter()
            .filter(|(_, _, s)| !s.attempts.is_empty())
            .count(),
        committed: attempts
            .iter()
            .filter(|a| a.outcome == Outcome::Committed)
            .count(),
        gave_up: attempts
            .iter()
            .filter(|a| a.outcome == Outcome::GaveUp)
            .count(),
        by_track: Track::ALL
            .iter()
            .map(|t| {
                group(
                    t.label(),
                    attempts
                        .iter()
                        .copied()
                        .filter(move |a| a.scenario.track == Some(*t)),
                )
            })
            .filter(|g| g.attempts > 0)
            .collect(),
        by_competency: Competency::ALL
            .iter()
            .map(|c| {
                group(
                    c.label(),
                    attempts
                        .iter()
                        .copied()
                        .filter(move |a| a.scenario.competencies.contains(c)),
                )
            })
            .filter(|g| g.attempts > 0)
            .collect(),
        points,
        bands,
        investigations,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::storage::schema::{Answer, CriterionRef, ScenarioRef, SelfReview, VERSION};
    use crate::taxonomy::{Tier, Verdict};

    /// A committed, fully reviewed attempt scoring `caught` of two equally weighted criteria.
    pub(crate) fn graded(
        title: &str,
        track: Track,
        at: u64,
        confidence: u8,
        caught: usize,
    ) -> Attempt {
        let verdicts = ["a", "b"]
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    id.to_string(),
                    if i < caught {
                        Verdict::Caught
                    } else {
                        Verdict::Missed
                    },
                )
            })
            .collect();
        Attempt {
            v: VERSION,
            id: format!("{title}-{at}"),
            number: 1,
            scenario: ScenarioRef {
                title: title.into(),
                track: Some(track),
                level: None,
                competencies: vec![Competency::Mentoring],
            },
            outcome: Outcome::Committed,
            answer: Answer {
                reasoning: "r".into(),
                uncertainty: "u".into(),
                commitment: "c".into(),
                confidence: Some(confidence),
            },
            started_at: at - 1,
            finished_at: at,
            rubric: Some(vec![
                CriterionRef {
                    id: "a".into(),
                    name: String::new(),
                    tier: Tier::Critical,
                    weight: 1,
                    insight: "A".into(),
                },
                CriterionRef {
                    id: "b".into(),
                    name: String::new(),
                    tier: Tier::Critical,
                    weight: 1,
                    insight: "B".into(),
                },
            ]),
            review: Some(SelfReview {
                verdicts,
                missed: "m".into(),
                carry_forward: "c".into(),
                updated_at: at,
            }),
            feedback: Vec::new(),
            log: None,
            decided: Default::default(),
            senior_path: None,
            probe_labels: Default::default(),
            timing: None,
        }
    }

    pub(crate) fn records(attempts: Vec<Attempt>) -> Vec<(String, String, ScenarioState)> {
        vec![(
            "core".into(),
            "s".into(),
            ScenarioState {
                draft: None,
                attempts,
            },
        )]
    }

    #[test]
    fn groups_by_track_and_competency() {
        let mut gave_up = graded("C", Track::Backend, 5, 50, 0);
        gave_up.outcome = Outcome::GaveUp;
        let p = compute(&records(vec![
            graded("A", Track::Backend, 1, 90, 2),
            graded("B", Track::Frontend, 2, 90, 1),
            gave_up,
        ]));
        assert_eq!((p.committed, p.gave_up, p.points.len()), (2, 1, 2));
        assert_eq!(
            p.by_track
                .iter()
                .map(|g| (g.label, g.attempts, g.graded, g.average))
                .collect::<Vec<_>>(),
            [
                ("Frontend", 1, 1, Some(50.0)),
                ("Backend", 2, 1, Some(100.0))
            ]
        );
        assert_eq!(p.by_competency[0].attempts, 3);
    }

    #[test]
    fn calibration_needs_three_graded_attempts_then_says_which_way() {
        let few = compute(&records(vec![graded("A", Track::Backend, 1, 90, 0)]));
        assert!(few.calibration_verdict().starts_with("Score at least 3"));
        let over = compute(&records(vec![
            graded("A", Track::Backend, 1, 90, 1),
            graded("B", Track::Backend, 2, 80, 1),
            graded("C", Track::Backend, 3, 100, 0),
        ]));
        assert_eq!(
            over.overconfidence().map(|g| format!("{g:.1}")).as_deref(),
            Some("56.7")
        );
        assert_eq!(
            over.calibration_verdict(),
            "Overconfident: your stated confidence is 57 points above your self-review (no evaluator grading yet: get feedback to measure against a grader) on average."
        );
        assert_eq!(
            over.bands
                .iter()
                .map(|b| (b.from, b.to, b.count))
                .collect::<Vec<_>>(),
            [(80, 100, 3)]
        );
        let under = compute(&records(vec![
            graded("A", Track::Backend, 1, 20, 2),
            graded("B", Track::Backend, 2, 30, 2),
            graded("C", Track::Backend, 3, 40, 1),
        ]));
        assert!(under
            .calibration_verdict()
            .starts_with("Underconfident: your stated confidence is 53 points below"));
        let good = compute(&records(vec![
            graded("A", Track::Backend, 1, 50, 1),
            graded("B", Track::Backend, 2, 55, 1),
            graded("C", Track::Backend, 3, 100, 2),
        ]));
        assert!(good.calibration_verdict().starts_with("Well calibrated"));
    }

    /// An evaluator's grading of `a` and `b` with these verdicts.
    #[test]
    fn a_scored_attempt_keeps_its_time_taken_for_the_progress_table() {
        let mut timed = graded("A", Track::Backend, 10, 90, 1);
        timed.timing = Some(crate::timebox::Timing {
            taken_ms: 27 * 60_000,
            timed_minutes: Some(25),
        });
        let untimed = graded("B", Track::Backend, 20, 90, 1);
        let p = compute(&records(vec![timed, untimed]));
        let times: Vec<Option<String>> = p
            .points
            .iter()
            .map(|p| p.timing.map(|t| t.text()))
            .collect();
        assert_eq!(
            times,
            [Some("27 min (timed 25 min, 2 min over)".to_string()), None]
        );
    }

    pub(crate) fn grading(a: Verdict, b: Verdict) -> crate::storage::schema::Feedback {
        crate::storage::schema::tests::feedback(&[("a", a), ("b", b)])
    }

    #[test]
    fn the_evaluators_grading_counts_and_the_self_review_gap_is_named() {
        // The learner gives themselves 100 %; the evaluator says 25 %.
        let mut a = graded("A", Track::Backend, 1, 90, 2);
        a.feedback.push(grading(Verdict::Partial, Verdict::Missed));
        let mut b = graded("B", Track::Backend, 2, 90, 2);
        b.feedback.push(grading(Verdict::Caught, Verdict::Missed));
        // No grading: the self-review counts, marked so.
        let c = graded("C", Track::Frontend, 3, 80, 1);
        let p = compute(&records(vec![a, b, c]));
        let scores: Vec<(f64, ScoreSource)> =
            p.points.iter().map(|p| (p.score, p.source)).collect();
        assert_eq!(
            scores,
            [
                (25.0, ScoreSource::Evaluator),
                (50.0, ScoreSource::Evaluator),
                (50.0, ScoreSource::SelfReview)
            ]
        );
        assert_eq!(p.average().map(|a| a.round()), Some(42.0));
        let backend = &p.by_track[1];
        assert_eq!(
            (backend.label, backend.by_evaluator, backend.average),
            ("Backend", 2, Some(37.5))
        );
        assert_eq!(backend.self_gap, Some((62.5, 2)));
        assert_eq!(
            p.self_gap_readings(),
            [
                "You rate yourself 62 points above the grader on Mentoring scenarios (2 graded attempts).",
                "You rate yourself 62 points above the grader on Backend scenarios (2 graded attempts)."
            ]
        );
        assert_eq!(
            p.bands.iter().map(Band::reading).collect::<Vec<_>>(),
            ["When you say 80–100 %, you score 42 % on average (3 attempts, 1 of them self-review only)."]
        );
        assert!(p.calibration_verdict().ends_with(
            "above your graded score (self-review where there is no grading) on average."
        ));
        // A later grading that left a criterion ungraded does not replace a whole one.
        let mut d = graded("D", Track::Backend, 4, 90, 2);
        d.feedback.push(grading(Verdict::Caught, Verdict::Caught));
        let mut partial = grading(Verdict::Missed, Verdict::Missed);
        partial.grade.criteria.pop();
        d.feedback.push(partial);
        assert_eq!(d.result().unwrap().evaluator, Some(100.0));
    }

    #[test]
    fn calibration_by_track_needs_three_attempts_on_it() {
        let p = compute(&records(vec![
            graded("A", Track::Backend, 1, 90, 1),
            graded("B", Track::Backend, 2, 90, 1),
            graded("C", Track::Backend, 3, 90, 1),
            graded("D", Track::Frontend, 4, 90, 1),
        ]));
        let t = p.by_track_calibration();
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].track, t[0].gap, t[0].count),
            (Track::Backend, 40.0, 3)
        );
    }

    #[test]
    fn unreviewed_attempts_are_not_scored() {
        let mut a = graded("A", Track::Backend, 1, 90, 2);
        a.review.as_mut().unwrap().verdicts.remove("b");
        let p = compute(&records(vec![a]));
        assert!(p.points.is_empty());
        assert_eq!(p.by_track[0].graded, 0);
    }

    /// `graded` turned into an investigation: drops (T+5), hypothesis 1 at T+6 (60 %), ana
    /// (T+16), hypothesis 1 revised at T+16 (80 %), committed at `committed`; the senior runs
    /// drops first, skips diff and acts by T+25.
    pub(crate) fn investigated(title: &str, at: u64, committed: u32) -> Attempt {
        use crate::session::SessionLog;
        let mut a = graded(title, Track::Backend, at, 80, 2);
        let hyp = |text: &str, confidence, at, revises| LogEvent::Hypothesis {
            n: 1,
            text: text.into(),
            confidence,
            at,
            revises,
        };
        a.log = Some(SessionLog {
            events: vec![
                LogEvent::Probe {
                    id: "drops".into(),
                    at: 5,
                },
                LogEvent::Waited { minutes: 1, at: 6 },
                hyp("Network", 60, 6, None),
                LogEvent::Probe {
                    id: "ana".into(),
                    at: 16,
                },
                hyp("Gateway MTU", 80, 16, Some(1)),
                LogEvent::Waited {
                    minutes: committed - 16,
                    at: committed,
                },
                LogEvent::Committed { at: committed },
            ],
        });
        a.senior_path = Some(RubricInvestigation {
            first: vec!["drops".into(), "ana".into()],
            traps: vec!["diff".into()],
            act_by: 25,
            why_first: String::new(),
            why_traps: String::new(),
        });
        a.probe_labels = [(
            "drops".to_string(),
            "Query the gateway's drop counter".to_string(),
        )]
        .into();
        a
    }

    #[test]
    fn an_investigation_is_measured_against_the_seniors_path() {
        let p = investigation_point(&investigated("Checkout", 7, 22)).unwrap();
        assert_eq!(
            p.figures,
            PathFigures {
                first_hypothesis_at: Some(6),
                probes_run: 2,
                senior_first_run: 2,
                traps_run: 0,
                committed_at: Some(22),
                confidence: vec![(6, 60), (16, 80)],
            }
        );
        assert_eq!(
            p.first_probe.as_deref(),
            Some("Query the gateway's drop counter")
        );
        assert_eq!((p.revisions, p.stated_confidence), (1, Some(80)));
        assert_eq!(
            p.senior,
            Some(SeniorPath {
                first: 2,
                started_there: true,
                act_by: 25
            })
        );
        assert_eq!(p.acted_in_time(), Some(true));
        assert_eq!(
            path_sentence(&investigated("Checkout", 7, 22)).unwrap(),
            "Investigated for 22 simulated minutes: 2 probes, first \"Query the gateway's drop counter\"; first hypothesis at T+6; revised once."
        );
        // Only committed investigations have a path to measure.
        assert_eq!(
            investigation_point(&graded("Plain", Track::Backend, 1, 50, 1)),
            None
        );
        let mut gave_up = investigated("Checkout", 7, 22);
        gave_up.outcome = Outcome::GaveUp;
        assert_eq!(investigation_point(&gave_up), None);
    }

    #[test]
    fn the_path_sentence_names_what_happened_and_nothing_else() {
        use crate::session::SessionLog;
        let mut a = investigated("Checkout", 7, 40);
        let log = a.log.as_mut().unwrap();
        log.events
            .retain(|e| !matches!(e, LogEvent::Hypothesis { .. }));
        log.events.insert(
            0,
            LogEvent::Probe {
                id: "diff".into(),
                at: 25,
            },
        );
        a.probe_labels.clear();
        assert_eq!(
            path_sentence(&a).unwrap(),
            "Investigated for 40 simulated minutes: 3 probes, first \"diff\"; no working hypothesis written; ran 1 trap a senior would skip."
        );
        let p = investigation_point(&a).unwrap();
        assert_eq!(
            (p.senior.unwrap().started_there, p.figures.traps_run),
            (false, 1)
        );
        a.log = Some(SessionLog {
            events: vec![LogEvent::Committed { at: 1 }],
        });
        assert_eq!(
            path_sentence(&a).unwrap(),
            "Investigated for 1 simulated minute: no probes run; no working hypothesis written."
        );
        a.senior_path = None;
        assert_eq!(investigation_point(&a).unwrap().acted_in_time(), None);
    }

    #[test]
    fn investigation_figures_are_summed_up_in_plain_sentences() {
        assert_eq!(
            compute(&records(vec![graded("A", Track::Backend, 1, 50, 1)])).investigation_summary(),
            None
        );
        let quick = investigated("Checkout", 1, 22);
        let slow = investigated("Checkout", 2, 46);
        // Committed before the rubric was seen: no senior path to compare with.
        let mut unseen = investigated("Other", 3, 30);
        unseen.senior_path = None;
        unseen.log.as_mut().unwrap().events.retain(|e| {
            !matches!(
                e,
                LogEvent::Hypothesis {
                    revises: Some(_),
                    ..
                }
            )
        });
        let p = compute(&records(vec![
            slow,
            unseen,
            quick,
            graded("Plain", Track::Backend, 4, 50, 1),
        ]));
        assert_eq!(
            p.investigations.iter().map(|i| i.at).collect::<Vec<_>>(),
            [1, 2, 3],
            "oldest first, analysis-only attempts left out"
        );
        let s = p.investigation_summary().unwrap();
        assert_eq!(
            s,
            InvestigationSummary {
                count: 3,
                first_hypothesis_at: Some((6.0, 3)),
                measured: 2,
                started_there: 2,
                ran_a_trap: 0,
                acted_in_time: 1,
                committed_at: Some(98.0 / 3.0),
                revised: 2,
            }
        );
        assert_eq!(
            s.readings(),
            [
                "Your first working hypothesis came at T+6 min on average (3 of 3 investigations).",
                "You started where a senior starts in 2 of 2 investigations.",
                "You ran a probe a senior would skip in 0 of 2 investigations.",
                "You acted by the time a senior would have in 1 of 2 investigations.",
                "You committed at T+33 min on average.",
                "You revised a hypothesis on the evidence in 2 of 3 investigations.",
            ]
        );
    }
}
