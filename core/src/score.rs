//! The score of an attempt: computed by our code from verdicts and weights, never taken from a
//! model. Self-review, the AI evaluator and calibration all use this one function.

use crate::taxonomy::{Tier, Verdict};

/// A score as weighted credit out of the rubric's total weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Σ weight × credit over the criteria that have a verdict.
    pub earned: f64,
    /// Σ weight over all criteria.
    pub total: f64,
    /// How many criteria have no verdict yet.
    pub unjudged: usize,
}

impl Score {
    /// The score as a fraction of the total, 0.0–1.0 (0 for an empty rubric).
    pub fn ratio(&self) -> f64 {
        if self.total > 0.0 {
            self.earned / self.total
        } else {
            0.0
        }
    }

    /// The score as a whole percentage, rounded half up.
    pub fn percent(&self) -> u32 {
        (self.ratio() * 100.0 + 0.5).floor() as u32
    }

    /// Whether every criterion has a verdict.
    pub fn complete(&self) -> bool {
        self.unjudged == 0
    }
}

/// One criterion as the score sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weighted {
    /// Its tier.
    pub tier: Tier,
    /// Its weight.
    pub weight: u32,
    /// The verdict it got, if any.
    pub verdict: Option<Verdict>,
}

/// Scores a set of weighted verdicts: caught earns the full weight, partial half, missed none.
pub fn score(criteria: impl IntoIterator<Item = Weighted>) -> Score {
    let mut s = Score {
        earned: 0.0,
        total: 0.0,
        unjudged: 0,
    };
    for c in criteria {
        let weight = f64::from(c.weight);
        s.total += weight;
        match c.verdict {
            Some(v) => s.earned += weight * v.credit(),
            None => s.unjudged += 1,
        }
    }
    s
}

/// Whether every critical criterion was caught.
pub fn caught_every_critical(criteria: impl IntoIterator<Item = Weighted>) -> bool {
    criteria
        .into_iter()
        .filter(|c| c.tier == Tier::Critical)
        .all(|c| c.verdict == Some(Verdict::Caught))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(tier: Tier, weight: u32, verdict: Option<Verdict>) -> Weighted {
        Weighted {
            tier,
            weight,
            verdict,
        }
    }

    #[test]
    fn weights_verdicts() {
        let s = score([
            w(Tier::Critical, 3, Some(Verdict::Caught)),
            w(Tier::Important, 2, Some(Verdict::Partial)),
            w(Tier::Bonus, 1, Some(Verdict::Missed)),
        ]);
        assert_eq!((s.earned, s.total), (4.0, 6.0));
        assert_eq!(s.percent(), 67);
        assert!(s.complete());
    }

    #[test]
    fn missing_verdicts_count_as_nothing_and_are_reported() {
        let s = score([
            w(Tier::Critical, 3, None),
            w(Tier::Bonus, 1, Some(Verdict::Caught)),
        ]);
        assert_eq!((s.earned, s.unjudged), (1.0, 1));
        assert!(!s.complete());
        assert_eq!(score([]).ratio(), 0.0);
    }

    #[test]
    fn critical_catch() {
        assert!(caught_every_critical([
            w(Tier::Critical, 3, Some(Verdict::Caught)),
            w(Tier::Bonus, 1, None)
        ]));
        assert!(!caught_every_critical([w(
            Tier::Critical,
            3,
            Some(Verdict::Partial)
        )]));
    }
}
