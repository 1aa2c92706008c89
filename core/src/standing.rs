//! Where the learner stands with each scenario, for its catalog card: attempted or not, the best
//! score (the evaluator's grading first, as [`Attempt::result`](crate::storage::schema::Attempt::result) rules; a self-review only when no
//! attempt was graded, and marked so), and how many of its review cards are due.
//!
//! The catalog never opens IndexedDB, where attempts live: it reads the attempts summary the
//! storage layer keeps in step in `localStorage` ([`split::SUMMARY_KEY`]: per scenario, the
//! number of attempts and the best evaluator and self-review scores), the draft keys, and the
//! review queue through the header's one-pass reader. Nothing is decoded whole, and no JSON
//! decoder is generated for the catalog's bundle: the summary is read by a one-pass reader too
//! ([`read_summary`], checked against serde's reading), which keeps float parsing and a map
//! decoder (about 10 KB gzip, measured) out of its first load.

use crate::baked::SiteIndex;
use crate::storage::keys::{Key, REVIEW_KEY};
use crate::storage::kv::KeyValue;
use crate::storage::schema::ScoreSource;
use crate::storage::split::{self, Attempted};

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

/// Every scenario's standing, as (`"pack/slug"`, what a card links to; standing) in catalog
/// order, read from the learner's `localStorage` without changing it. Scenarios the index no
/// longer lists are left out; so is a scenario the learner has not touched. A list, not a map:
/// a map built from an iterator sorts, and the sort alone would cost the catalog's bundle kilobytes.
pub fn read_all<S: KeyValue>(
    local: &S,
    index: &SiteIndex,
    now: u64,
    offset_minutes: i32,
) -> Vec<(String, Standing)> {
    read_for(
        local,
        index
            .scenarios
            .iter()
            .map(|s| (s.pack.as_str(), s.id.as_str(), s.slug.as_str())),
        now,
        offset_minutes,
    )
}

/// The standing of the scenarios given as (pack, id, slug), as [`read_all`] reads it: the catalog
/// reads its pre-rendered cards' with it, before (and without) the site index.
pub fn read_for<'a, S: KeyValue>(
    local: &S,
    scenarios: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    now: u64,
    offset_minutes: i32,
) -> Vec<(String, Standing)> {
    let get = |key: &str| local.get(key).ok().flatten();
    let summary = get(split::SUMMARY_KEY)
        .map(|raw| read_summary(&raw))
        .unwrap_or_default();
    let drafts: Vec<(String, String)> = local
        .keys()
        .unwrap_or_default()
        .iter()
        .filter_map(|k| match Key::parse(k) {
            Some(Key::Draft { pack, scenario }) => Some((pack, scenario)),
            _ => None,
        })
        .collect();
    let due = get(REVIEW_KEY)
        .map(|raw| crate::storage::review::due_cards(&raw, now, offset_minutes))
        .unwrap_or_default();
    scenarios
        .into_iter()
        .filter_map(|(pack, id, slug)| {
            let key = format!("{pack}:{id}");
            let standing = Standing::new(
                summary
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, a)| *a)
                    .unwrap_or_default(),
                drafts.iter().any(|(p, d)| p == pack && d == id),
                due.iter().filter(|(p, s)| p == pack && s == slug).count(),
            );
            (standing != Standing::default()).then(|| (format!("{pack}/{slug}"), standing))
        })
        .collect()
}

/// The attempts summary (`{"pack:scenario": {"attempts": 2, "evaluator": 75.0, ...}}`, see
/// [`split::Summary`]) in one pass, as (`pack:scenario`, entry) pairs: what
/// [`split::read_summary`] reads, without a JSON decoder. Anything malformed ends the reading with
/// what was read so far; a key of a scenario written with escapes (none of ours needs one) is kept
/// as written.
pub fn read_summary(raw: &str) -> Vec<(String, Attempted)> {
    let b = raw.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut i) = (0usize, 0usize);
    let mut scenario: Option<String> = None;
    let mut entry = Attempted::default();
    let skip_space = |mut j: usize| {
        while b.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        j
    };
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i + 1;
                i = start;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let text = raw.get(start..i.min(b.len())).unwrap_or_default();
                let colon = skip_space(i + 1);
                if b.get(colon) != Some(&b':') {
                    i += 1;
                    continue;
                }
                let from = skip_space(colon + 1);
                match depth {
                    1 => scenario = Some(text.to_string()),
                    2 => {
                        let (n, to) = number(b, from);
                        match text {
                            "attempts" => {
                                entry.attempts =
                                    n.map_or(0, |n| n.clamp(0.0, f64::from(u32::MAX)) as u32)
                            }
                            "evaluator" => entry.evaluator = n,
                            "self_review" => entry.self_review = n,
                            _ => {}
                        }
                        i = to;
                        continue;
                    }
                    _ => {}
                }
                i = from;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth == 2 {
                    entry = Attempted::default();
                }
            }
            b'}' | b']' => {
                if depth == 2 && b[i] == b'}' {
                    if let Some(id) = scenario.take() {
                        out.push((id, entry));
                    }
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A JSON number starting at `j` (`-12.5e-1`), and where it ends; `None` if there is none.
fn number(b: &[u8], mut j: usize) -> (Option<f64>, usize) {
    let negative = b.get(j) == Some(&b'-');
    j += usize::from(negative);
    let (mut mantissa, mut scale, mut digits) = (0u64, 0i32, 0usize);
    let mut fraction = false;
    while let Some(&c) = b.get(j) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                // Past 18 digits the rest only scales the number.
                if mantissa < 100_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    scale -= i32::from(fraction);
                } else {
                    scale += i32::from(!fraction);
                }
            }
            b'.' if !fraction => fraction = true,
            _ => break,
        }
        j += 1;
    }
    if digits == 0 {
        return (None, j);
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        j += 1;
        let minus = b.get(j) == Some(&b'-');
        j += usize::from(matches!(b.get(j), Some(b'-' | b'+')));
        let mut exp = 0i32;
        while let Some(&c) = b.get(j).filter(|c| c.is_ascii_digit()) {
            exp = exp.saturating_mul(10).saturating_add(i32::from(c - b'0'));
            j += 1;
        }
        scale = scale.saturating_add(if minus { -exp } else { exp });
    }
    let value = mantissa as f64 * 10f64.powi(scale);
    (Some(if negative { -value } else { value }), j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drills::{Queue, DAY_MS};
    use crate::progress::tests::{graded, grading};
    use crate::storage::kv::MemoryStore;
    use crate::storage::schema::Attempt;
    use crate::storage::split::Split;
    use crate::taxonomy::{Track, Verdict};

    const NOW: u64 = 1_800_000_000_000;

    fn of(attempts: &[Attempt], in_progress: bool, due: usize) -> Standing {
        let mut summary = Attempted::default();
        for a in attempts {
            summary.count(Some(a));
        }
        Standing::new(summary, in_progress, due)
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
        assert!(!crate::markup::card_with_status(s, None).contains("card-status"));
        let with = crate::markup::card_with_status(s, Some("Attempted · best <b>"));
        assert!(
            with.contains("</a></h2><p class=\"card-status\">Attempted · best &lt;b&gt;</p><p class=\"hook\">"),
            "{with}"
        );
    }

    #[test]
    fn the_summary_reads_in_one_pass_as_serde_reads_it() {
        let mut summary = split::Summary::new();
        for (n, (e, s)) in [
            (Some(200.0 / 3.0), Some(100.0)),
            (None, Some(0.0)),
            (Some(85.71428571428571), None),
            (None, None),
            (Some(1e-7), Some(99.99999999999999)),
        ]
        .into_iter()
        .enumerate()
        {
            summary.insert(
                format!("core:s{n}"),
                Attempted {
                    attempts: n as u32 + 1,
                    evaluator: e,
                    self_review: s,
                },
            );
        }
        for raw in [
            serde_json::to_string(&summary).unwrap(),
            serde_json::to_string_pretty(&summary).unwrap(),
        ] {
            let mut lean = read_summary(&raw);
            lean.sort_by(|a, b| a.0.cmp(&b.0));
            let full: Vec<(String, Attempted)> = split::read_summary(&raw).into_iter().collect();
            assert_eq!(lean.len(), full.len());
            for ((k, a), (l, b)) in lean.iter().zip(&full) {
                assert_eq!((k, a.attempts), (l, b.attempts));
                let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
                    (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                    (x, y) => x == y,
                };
                assert!(close(a.evaluator, b.evaluator), "{k}: {a:?} {b:?}");
                assert!(close(a.self_review, b.self_review), "{k}: {a:?} {b:?}");
            }
        }
        // Numbers as any JSON writer may write them.
        for (text, want) in [
            ("72", 72.0),
            ("-1.5", -1.5),
            ("6.4E1", 64.0),
            ("125e-1", 12.5),
        ] {
            assert_eq!(number(text.as_bytes(), 0).0, Some(want), "{text}");
        }
        assert_eq!(number(b"null", 0).0, None);
        // Damaged or foreign text reads as nothing, or as what came before the damage.
        for bad in ["", "{", "[1,2]", "\"x\"", r#"{"core:a":{"attempts":"#] {
            assert!(read_summary(bad).is_empty(), "{bad}");
        }
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
        let list = read_all(&learner.local, &index, NOW, 0);
        let all: std::collections::BTreeMap<String, Standing> = list.iter().cloned().collect();
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
        assert_eq!(
            list.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["core/edge-slug", "core/other-slug", "core/drafted-slug"],
            "in catalog order"
        );
        // The pre-rendered cards alone, as (pack, id, slug), read the same; unknown ones read none.
        let cards = index
            .scenarios
            .iter()
            .filter(|s| s.slug != "other-slug")
            .map(|s| (s.pack.as_str(), s.id.as_str(), s.slug.as_str()));
        let some = read_for(
            &learner.local,
            cards.chain([("core", "gone", "gone")]),
            NOW,
            0,
        );
        assert_eq!(
            some.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["core/edge-slug", "core/drafted-slug"]
        );
        assert_eq!(some[0].1, all["core/edge-slug"]);
        // A learner with nothing stored: no standings at all; a damaged summary reads as none.
        assert!(read_all(&MemoryStore::new(), &index, NOW, 0).is_empty());
        let mut damaged = MemoryStore::new();
        damaged.set(split::SUMMARY_KEY, "{not json").unwrap();
        assert!(read_all(&damaged, &index, NOW, 0).is_empty());
    }
}
