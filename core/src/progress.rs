//! What the progress page shows, computed from stored attempts: what was practised by track and
//! competency, scores over time, and how stated confidence compares with achieved scores. Every
//! score is the evaluator's grading when there is one and the self-review only where there is
//! none (marked so), and the gap between the two is named, never averaged away: measuring the
//! learner against their own verdicts would make the calibration view circular.

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
            })
        })
        .collect();
    points.sort_by_key(|p| p.at);
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
                    tier: Tier::Critical,
                    weight: 1,
                    insight: "A".into(),
                },
                CriterionRef {
                    id: "b".into(),
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
        }
    }

    fn records(attempts: Vec<Attempt>) -> Vec<(String, String, ScenarioState)> {
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
}
