//! Where the learner stands with each scenario, for its catalog card: attempted or not, the best
//! score (the evaluator's grading first, as [`Attempt::result`] rules; a self-review only when no
//! attempt was graded, and marked so), and how many of its review cards are due.
//!
//! The catalog never opens IndexedDB, where attempts live: it reads the attempts summary the
//! storage layer keeps in step in `localStorage` ([`split::SUMMARY_KEY`]: per scenario, the
//! number of attempts and the best evaluator and self-review scores), the draft keys, and the
//! review queue through the header's one-pass reader. Nothing is decoded whole.

use crate::baked::SiteIndex;
use crate::storage::keys::{Key, REVIEW_KEY};
use crate::storage::kv::KeyValue;
use crate::storage::schema::{Attempt, ScoreSource};
use crate::storage::split::{self, Attempted};
use std::collections::{HashMap, HashSet};

/// The best score of a scenario's attempts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Best {
    /// 0–100, rounded.
    pub percent: u32,
    /// Whose grading it is.
    pub source: ScoreSource,
}

/// What a catalog card says about the learner and one scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Standing {
    /// An attempt is being written (a stored draft).
    pub in_progress: bool,
    /// Finished attempts (committed or given up).
    pub attempts: u32,
    /// The best score: the evaluator's best grading if any attempt was graded, else the best
    /// complete self-review.
    pub best: Option<Best>,
    /// Review cards from this scenario due now.
    pub due: usize,
}

impl Standing {
    /// The standing of a scenario from its attempts summary, whether a draft is open, and its due
    /// cards. A self-review never outranks a grading, however high: the grader is the measure.
    pub fn new(summary: Attempted, in_progress: bool, due: usize) -> Standing {
        let percent = |s: f64| s.round().clamp(0.0, 100.0) as u32;
        let best = match (summary.evaluator, summary.self_review) {
            (Some(e), _) => Some(Best {
                percent: percent(e),
                source: ScoreSource::Evaluator,
            }),
            (None, Some(s)) => Some(Best {
                percent: percent(s),
                source: ScoreSource::SelfReview,
            }),
            (None, None) => None,
        };
        Standing {
            in_progress,
            attempts: summary.attempts,
            best,
            due,
        }
    }

    /// The summary of a scenario's attempts as the storage layer keeps it: their number, and the
    /// best of each kind of score [`Attempt::result`] gives them.
    pub fn summarise(attempts: &[Attempt]) -> Attempted {
        let best = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
        attempts.iter().filter_map(Attempt::result).fold(
            Attempted {
                attempts: attempts.len() as u32,
                ..Attempted::default()
            },
            |acc, r| Attempted {
                evaluator: best(acc.evaluator, r.evaluator),
                self_review: best(acc.self_review, r.self_review),
                ..acc
            },
        )
    }

    /// The card's line, as read aloud and shown: "Attempted · best graded 72 % · 2 reviews due";
    /// `None` for a scenario the learner has not touched (a first visit shows nothing).
    pub fn text(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if self.attempts > 0 {
            parts.push("Attempted".into());
            parts.push(match self.best {
                Some(Best {
                    percent,
                    source: ScoreSource::Evaluator,
                }) => format!("best graded {percent} %"),
                Some(Best {
                    percent,
                    source: ScoreSource::SelfReview,
                }) => format!("best {percent} % (self-review)"),
                None => "not scored yet".into(),
            });
        } else if self.in_progress {
            parts.push("In progress".into());
        }
        match self.due {
            0 => {}
            1 => parts.push("1 review due".into()),
            n => parts.push(format!("{n} reviews due")),
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// Every scenario's standing, by `"pack/slug"` (what a card links to), read from the learner's
/// `localStorage` without changing it. Scenarios the index no longer lists are left out; so is a
/// scenario the learner has not touched.
pub fn read_all<S: KeyValue>(
    local: &S,
    index: &SiteIndex,
    now: u64,
    offset_minutes: i32,
) -> HashMap<String, Standing> {
    let get = |key: &str| local.get(key).ok().flatten();
    let summary = get(split::SUMMARY_KEY)
        .map(|raw| split::read_summary(&raw))
        .unwrap_or_default();
    let drafts: HashSet<(String, String)> = local
        .keys()
        .unwrap_or_default()
        .iter()
        .filter_map(|k| match Key::parse(k) {
            Some(Key::Draft { pack, scenario }) => Some((pack, scenario)),
            _ => None,
        })
        .collect();
    let mut due: HashMap<(String, String), usize> = HashMap::new();
    if let Some(raw) = get(REVIEW_KEY) {
        for card in crate::storage::review::due_cards(&raw, now, offset_minutes) {
            *due.entry(card).or_default() += 1;
        }
    }
    index
        .scenarios
        .iter()
        .filter_map(|s| {
            let standing = Standing::new(
                summary
                    .get(&format!("{}:{}", s.pack, s.id))
                    .copied()
                    .unwrap_or_default(),
                drafts.contains(&(s.pack.clone(), s.id.clone())),
                due.get(&(s.pack.clone(), s.slug.clone()))
                    .copied()
                    .unwrap_or(0),
            );
            (standing != Standing::default()).then(|| (format!("{}/{}", s.pack, s.slug), standing))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drills::{Queue, DAY_MS};
    use crate::progress::tests::{graded, grading};
    use crate::storage::kv::MemoryStore;
    use crate::storage::split::Split;
    use crate::taxonomy::{Track, Verdict};

    const NOW: u64 = 1_800_000_000_000;

    fn of(attempts: &[Attempt], in_progress: bool, due: usize) -> Standing {
        Standing::new(Standing::summarise(attempts), in_progress, due)
    }

    #[test]
    fn the_best_score_is_the_graders_and_a_self_review_only_when_nothing_was_graded() {
        // Self-reviews of 100 % and 50 %; one attempt graded 25 %.
        let high = graded("A", Track::Backend, NOW, 90, 2);
        let half = graded("A", Track::Backend, NOW + 1, 90, 1);
        let mut low = graded("A", Track::Backend, NOW + 2, 90, 2);
        low.feedback
            .push(grading(Verdict::Partial, Verdict::Missed));
        let s = of(&[high.clone(), half.clone(), low.clone()], false, 0);
        assert_eq!(
            s.best,
            Some(Best {
                percent: 25,
                source: ScoreSource::Evaluator
            })
        );
        assert_eq!(s.text().as_deref(), Some("Attempted · best graded 25 %"));
        // Two gradings: the best of them.
        let mut better = half.clone();
        better
            .feedback
            .push(grading(Verdict::Caught, Verdict::Partial));
        let s = of(&[low, better], false, 0);
        assert_eq!(s.text().as_deref(), Some("Attempted · best graded 75 %"));
        // Nothing graded: the best self-review, marked as such.
        let s = of(&[half, high], false, 2);
        assert_eq!(
            s.text().as_deref(),
            Some("Attempted · best 100 % (self-review) · 2 reviews due")
        );
    }

    #[test]
    fn a_card_says_nothing_until_the_learner_has_touched_the_scenario() {
        assert_eq!(of(&[], false, 0).text(), None);
        assert_eq!(of(&[], true, 0).text().as_deref(), Some("In progress"));
        assert_eq!(of(&[], false, 1).text().as_deref(), Some("1 review due"));
        // Committed but not reviewed yet, or given up: attempted, with no score to show.
        let mut open = graded("A", Track::Backend, NOW, 90, 1);
        open.review = None;
        let mut gave_up = graded("A", Track::Backend, NOW, 90, 1);
        gave_up.outcome = crate::storage::schema::Outcome::GaveUp;
        assert_eq!(
            of(&[open, gave_up], true, 0).text().as_deref(),
            Some("Attempted · not scored yet")
        );
    }

    fn index() -> SiteIndex {
        let s = crate::baked::ScenarioSummary {
            pack: "core".into(),
            id: "edge".into(),
            slug: "edge-slug".into(),
            title: "Edge".into(),
            track: Track::Backend,
            level: crate::taxonomy::Level::Senior,
            kind: crate::taxonomy::Kind::LiveIncident,
            competencies: vec![],
            minutes: 30,
            tags: vec![],
            hook: String::new(),
            investigation: false,
        };
        let mut other = s.clone();
        other.id = "other".into();
        other.slug = "other-slug".into();
        let mut drafted = s.clone();
        drafted.id = "drafted".into();
        drafted.slug = "drafted-slug".into();
        SiteIndex {
            title: "t".into(),
            tagline: String::new(),
            build: String::new(),
            scenarios: vec![s, other, drafted],
            evaluators: vec![],
        }
    }

    #[test]
    fn a_cards_status_sits_under_its_title_escaped_and_a_first_visit_has_none() {
        let s = &index().scenarios[0];
        assert_eq!(
            crate::markup::card_with_status(s, None),
            crate::markup::card(s)
        );
        let with = crate::markup::card_with_status(s, Some("Attempted · best <b>"));
        assert!(
            with.contains("</a></h2><p class=\"card-status\">Attempted · best &lt;b&gt;</p><p class=\"hook\">"),
            "{with}"
        );
    }

    #[test]
    fn standings_are_read_from_what_the_storage_layer_keeps_in_local_storage() {
        let index = index();
        // Attempts go through the learner's store, as the practice pages write them: to the bulk
        // store, with the summary kept in step in localStorage.
        let mut learner = Split {
            local: MemoryStore::new(),
            bulk: MemoryStore::new(),
        };
        let key = |id: &str| {
            Key::Attempt {
                pack: "core".into(),
                scenario: "edge".into(),
                id: id.into(),
            }
            .render()
        };
        let mut a = graded("A", Track::Backend, NOW, 90, 2);
        a.feedback.push(grading(Verdict::Caught, Verdict::Partial));
        learner
            .set(&key("a"), &serde_json::to_string(&a).unwrap())
            .unwrap();
        let b = graded("B", Track::Backend, NOW, 90, 2);
        learner
            .set(&key("b"), &serde_json::to_string(&b).unwrap())
            .unwrap();
        learner
            .local
            .set(
                &Key::Draft {
                    pack: "core".into(),
                    scenario: "drafted".into(),
                }
                .render(),
                "{}",
            )
            .unwrap();
        // A review card from this scenario due now, one not yet due, one from another scenario.
        let mut q = Queue::default();
        let src = |slug: &'static str| crate::drills::Source {
            pack: "core",
            slug,
            title: "t",
            situation: "s.",
            artifact: None,
            artifact_anchor: None,
        };
        q.add(crate::drills::Card::new(
            src("edge-slug"),
            "a",
            "i",
            false,
            NOW - DAY_MS,
        ));
        q.add(crate::drills::Card::new(
            src("edge-slug"),
            "b",
            "i",
            false,
            NOW,
        ));
        q.add(crate::drills::Card::new(
            src("other-slug"),
            "a",
            "i",
            false,
            NOW - DAY_MS,
        ));
        learner
            .local
            .set(
                REVIEW_KEY,
                &crate::storage::review::encode_value(&q).to_string(),
            )
            .unwrap();
        // Only localStorage is read, and nothing in it changes.
        let snapshot = |m: &MemoryStore| {
            let mut keys = m.keys().unwrap();
            keys.sort();
            keys.into_iter()
                .map(|k| (m.get(&k).unwrap(), k))
                .collect::<Vec<_>>()
        };
        let before = snapshot(&learner.local);
        let all = read_all(&learner.local, &index, NOW, 0);
        assert_eq!(snapshot(&learner.local), before);
        // Graded 75 %; the other attempt's 100 % self-review does not outrank it.
        assert_eq!(
            all["core/edge-slug"].text().as_deref(),
            Some("Attempted · best graded 75 % · 1 review due")
        );
        assert_eq!(
            all["core/other-slug"].text().as_deref(),
            Some("1 review due")
        );
        assert_eq!(
            all["core/drafted-slug"].text().as_deref(),
            Some("In progress")
        );
        assert_eq!(all.len(), 3);
        // A learner with nothing stored: no standings at all; a damaged summary reads as none.
        assert!(read_all(&MemoryStore::new(), &index, NOW, 0).is_empty());
        let mut damaged = MemoryStore::new();
        damaged.set(split::SUMMARY_KEY, "{not json").unwrap();
        assert!(read_all(&damaged, &index, NOW, 0).is_empty());
    }
}
