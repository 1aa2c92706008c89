//! What the progress page shows, computed from stored attempts: what was practised by track and
//! competency, scores over time, and how stated confidence compares with achieved scores.

use crate::storage::repo::ScenarioState;
use crate::storage::schema::{Attempt, Outcome};
use crate::taxonomy::{Competency, Track};

/// One graded attempt, as the charts plot it.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// When it was committed.
    pub at: u64,
    /// Self-review score, 0–100.
    pub score: f64,
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
    /// Graded attempts.
    pub graded: usize,
    /// Mean score of graded attempts, 0–100.
    pub average: Option<f64>,
    /// Best score, 0–100.
    pub best: Option<f64>,
}

/// Confidence against results for graded attempts in a confidence band.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Lowest confidence in the band.
    pub from: u8,
    /// Highest confidence in the band.
    pub to: u8,
    /// Attempts in it.
    pub count: usize,
    /// Their mean stated confidence.
    pub confidence: f64,
    /// Their mean score.
    pub score: f64,
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
    /// Graded attempts, oldest first.
    pub points: Vec<Point>,
    /// By track, in track order.
    pub by_track: Vec<Group>,
    /// By competency, in competency order.
    pub by_competency: Vec<Group>,
    /// Confidence bands with at least one graded attempt.
    pub bands: Vec<Band>,
}

/// The smallest number of graded attempts that says anything about calibration.
pub const CALIBRATION_MINIMUM: usize = 3;

impl Progress {
    /// Mean of (stated confidence − score) over graded attempts that stated one.
    pub fn overconfidence(&self) -> Option<f64> {
        let gaps: Vec<f64> = self
            .points
            .iter()
            .filter_map(|p| p.confidence.map(|c| f64::from(c) - p.score))
            .collect();
        (gaps.len() >= CALIBRATION_MINIMUM).then(|| gaps.iter().sum::<f64>() / gaps.len() as f64)
    }

    /// One sentence on calibration.
    pub fn calibration_verdict(&self) -> String {
        match self.overconfidence() {
            None => format!("Grade at least {CALIBRATION_MINIMUM} committed attempts to see how your confidence compares with your results."),
            Some(g) if g > 10.0 => format!("Overconfident: your stated confidence is {:.0} points above your score on average.", g),
            Some(g) if g < -10.0 => format!("Underconfident: your stated confidence is {:.0} points below your score on average.", -g),
            Some(g) => format!("Well calibrated: your stated confidence is within {:.0} points of your score on average.", g.abs().max(0.0)),
        }
    }

    /// Mean score of all graded attempts.
    pub fn average(&self) -> Option<f64> {
        mean(self.points.iter().map(|p| p.score))
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn group<'a>(label: &'static str, attempts: impl Iterator<Item = &'a Attempt> + Clone) -> Group {
    let scores: Vec<f64> = attempts
        .clone()
        .filter_map(|a| a.self_review_score())
        .map(|s| s.ratio() * 100.0)
        .collect();
    Group {
        label,
        attempts: attempts.count(),
        graded: scores.len(),
        average: mean(scores.iter().copied()),
        best: scores.iter().copied().reduce(f64::max),
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
            a.self_review_score().map(|s| Point {
                at: a.finished_at,
                score: s.ratio() * 100.0,
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
        assert!(few.calibration_verdict().starts_with("Grade at least 3"));
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
            "Overconfident: your stated confidence is 57 points above your score on average."
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

    #[test]
    fn unreviewed_attempts_are_not_scored() {
        let mut a = graded("A", Track::Backend, 1, 90, 2);
        a.review.as_mut().unwrap().verdicts.remove("b");
        let p = compute(&records(vec![a]));
        assert!(p.points.is_empty());
        assert_eq!(p.by_track[0].graded, 0);
    }
}
