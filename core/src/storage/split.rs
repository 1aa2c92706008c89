//! Two stores behind one [`KeyValue`]: finished attempts (the bulk of the learner's data, which
//! grows with every graded attempt and investigation log) in a roomy store, IndexedDB in the
//! browser, and everything small and hot in `localStorage`.
//!
//! Drafts stay in `localStorage` because `localStorage` is shared synchronously by every tab:
//! the revision check that keeps one tab from overwriting another's newer draft reads what is
//! really stored, not a copy, and the text typed before the app takes over can be written there by
//! a few lines of script. The review queue stays there because every page's header (the catalog's
//! too) counts the cards due from it without loading anything else. A small summary of finished
//! attempts per scenario ([`SUMMARY_KEY`]) is kept in step in `localStorage` so the catalog can
//! show what was attempted, and how well, without opening IndexedDB.

use super::keys::{Key, ASIDE};
use super::kv::{KeyValue, StoreError};
use super::migrate::{decode, Decoded};
use super::schema::Attempt;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `localStorage` key of the attempts summary, `{"pack:scenario": Attempted}`. Parses as none
/// of the learner's entries (`Key::parse` needs three parts).
pub const SUMMARY_KEY: &str = "leap:attempted";

/// What a catalog card needs to know of a scenario's finished attempts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Attempted {
    /// Finished attempts (committed or given up).
    pub attempts: u32,
    /// The best evaluator score among them, 0–100, if any was graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluator: Option<f64>,
    /// The best self-review score among them, 0–100, if any was reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_review: Option<f64>,
}

impl Attempted {
    /// Counts one finished attempt (`None`: one that could not be read) into the summary: the
    /// best of each kind of score [`Attempt::result`] gives.
    pub fn count(&mut self, attempt: Option<&Attempt>) {
        self.attempts += 1;
        if let Some(r) = attempt.and_then(Attempt::result) {
            self.evaluator = best(self.evaluator, r.evaluator);
            self.self_review = best(self.self_review, r.self_review);
        }
    }
}

/// The summary, by `pack:scenario`.
pub type Summary = BTreeMap<String, Attempted>;

/// Which of the two stores an entry lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The small, synchronous, shared store (`localStorage`).
    Local,
    /// The roomy store (IndexedDB).
    Bulk,
}

/// Where `key` lives: attempts (and entries set aside from attempts) in the bulk store,
/// everything else (drafts, the review queue, settings, the summary) locally.
pub fn place(key: &str) -> Place {
    let key = key.strip_prefix(ASIDE).unwrap_or(key);
    // A set-aside entry may carry a `#n` suffix after its original key.
    let key = key.split('#').next().unwrap_or(key);
    match Key::parse(key) {
        Some(Key::Attempt { .. }) => Place::Bulk,
        _ => Place::Local,
    }
}

/// The attempts summary as stored; an unreadable one reads as empty (the practice pages rebuild
/// it).
pub fn read_summary(raw: &str) -> Summary {
    serde_json::from_str(raw).unwrap_or_default()
}

/// The `pack:scenario` an attempt key belongs to.
fn scenario_of(key: &str) -> Option<String> {
    match Key::parse(key)? {
        Key::Attempt { pack, scenario, .. } => Some(format!("{pack}:{scenario}")),
        _ => None,
    }
}

fn best(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// Local and bulk store as one.
#[derive(Debug, Clone, Default)]
pub struct Split<L, B> {
    /// Drafts, the review queue, settings, the summary.
    pub local: L,
    /// Attempts.
    pub bulk: B,
}

impl<L: KeyValue, B: KeyValue> Split<L, B> {
    /// Brings the summary in step where a scenario's number of attempts differs from it (after a
    /// move from `localStorage`, an import, a summary lost or damaged): only those scenarios'
    /// attempts are read, so a page load with the summary in step decodes none.
    pub fn refresh_summary(&mut self) {
        let Ok(keys) = self.keys() else { return };
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        for id in keys.iter().filter_map(|k| scenario_of(k)) {
            *counts.entry(id).or_insert(0) += 1;
        }
        let stored = self.summary();
        let next: Summary = counts
            .into_iter()
            .map(|(id, n)| {
                let entry = match stored.get(&id) {
                    Some(e) if e.attempts == n => *e,
                    _ => self.attempted(&id, &keys),
                };
                (id, entry)
            })
            .collect();
        self.save_summary(&stored, &next);
    }

    /// The summary as stored.
    pub fn summary(&self) -> Summary {
        self.local
            .get(SUMMARY_KEY)
            .ok()
            .flatten()
            .map(|raw| read_summary(&raw))
            .unwrap_or_default()
    }

    /// One scenario's entry (`pack:scenario`), from its attempts.
    fn attempted(&self, id: &str, keys: &[String]) -> Attempted {
        let mut out = Attempted::default();
        for key in keys
            .iter()
            .filter(|k| scenario_of(k).as_deref() == Some(id))
        {
            let raw = self.get(key).ok().flatten().unwrap_or_default();
            let attempt = match decode::<Attempt>(&raw) {
                Decoded::Current(a) | Decoded::Migrated(a) => Some(a),
                _ => None,
            };
            out.count(attempt.as_ref());
        }
        out
    }

    /// Rewrites the entry of the scenario whose attempt under `key` changed.
    fn update_summary(&mut self, key: &str) {
        let Some(id) = scenario_of(key) else { return };
        let Ok(keys) = self.keys() else { return };
        let stored = self.summary();
        let mut next = stored.clone();
        let entry = self.attempted(&id, &keys);
        if entry.attempts == 0 {
            next.remove(&id);
        } else {
            next.insert(id, entry);
        }
        self.save_summary(&stored, &next);
    }

    /// Best effort: the summary only saves the catalog a read, so a full `localStorage` must not
    /// fail the attempt's write.
    fn save_summary(&mut self, stored: &Summary, next: &Summary) {
        let present = self.local.get(SUMMARY_KEY).ok().flatten().is_some();
        if stored == next && present != next.is_empty() {
            return;
        }
        let _ = if next.is_empty() {
            self.local.remove(SUMMARY_KEY)
        } else {
            let raw = serde_json::to_string(next).unwrap_or_default();
            self.local.set(SUMMARY_KEY, &raw)
        };
    }
}

impl<L: KeyValue, B: KeyValue> KeyValue for Split<L, B> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match place(key) {
            Place::Local => self.local.get(key),
            // An attempt not yet moved (its move failed, or an older version of the site in
            // another tab wrote it) is still the learner's: read it where it is.
            Place::Bulk => match self.bulk.get(key)? {
                Some(v) => Ok(Some(v)),
                None => self.local.get(key),
            },
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        match place(key) {
            Place::Local => self.local.set(key, value),
            Place::Bulk => {
                self.bulk.set(key, value)?;
                // A stale copy left in localStorage would be read if the bulk one went away. (The
                // same value is either no stale copy or the same store, when IndexedDB is refused.)
                if self
                    .local
                    .get(key)
                    .ok()
                    .flatten()
                    .is_some_and(|v| v != value)
                {
                    let _ = self.local.remove(key);
                }
                self.update_summary(key);
                Ok(())
            }
        }
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        match place(key) {
            Place::Local => self.local.remove(key),
            Place::Bulk => {
                self.bulk.remove(key)?;
                self.local.remove(key)?;
                self.update_summary(key);
                Ok(())
            }
        }
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let mut keys = self.local.keys()?;
        keys.extend(self.bulk.keys()?);
        crate::order::sort(&mut keys);
        keys.dedup();
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::keys::REVIEW_KEY;
    use crate::storage::kv::MemoryStore;

    fn limited(n: usize) -> MemoryStore {
        let mut m = MemoryStore::new();
        m.limit = Some(n);
        m
    }

    const ATTEMPT: &str = "leap:core:edge:attempt:a1";
    const DRAFT: &str = "leap:core:edge:draft";

    #[test]
    fn attempts_and_their_set_aside_copies_go_to_the_bulk_store_the_rest_stays_local() {
        assert_eq!(place(ATTEMPT), Place::Bulk);
        assert_eq!(place(&format!("{ASIDE}{ATTEMPT}")), Place::Bulk);
        assert_eq!(place(&format!("{ASIDE}{ATTEMPT}#2")), Place::Bulk);
        for local in [
            DRAFT,
            REVIEW_KEY,
            SUMMARY_KEY,
            "leap:evaluator",
            "leap:aside:leap:core:edge:draft",
            "leap:aside:leap:review",
            "other",
        ] {
            assert_eq!(place(local), Place::Local, "{local}");
        }
    }

    #[test]
    fn writes_land_in_their_store_and_reads_see_both() {
        let mut s = Split::<MemoryStore, MemoryStore>::default();
        s.set(ATTEMPT, "attempt").unwrap();
        s.set(DRAFT, "draft").unwrap();
        assert_eq!(s.bulk.keys().unwrap(), [ATTEMPT]);
        assert_eq!(s.local.get(DRAFT).unwrap().as_deref(), Some("draft"));
        assert_eq!(s.get(ATTEMPT).unwrap().as_deref(), Some("attempt"));
        assert_eq!(
            s.keys().unwrap(),
            [SUMMARY_KEY, "leap:core:edge:attempt:a1", DRAFT]
        );
        s.remove(ATTEMPT).unwrap();
        assert_eq!(s.get(ATTEMPT).unwrap(), None);
    }

    #[test]
    fn an_attempt_still_in_local_storage_is_read_and_replaced_by_the_bulk_copy() {
        let mut s = Split::<MemoryStore, MemoryStore>::default();
        s.local.set(ATTEMPT, "old").unwrap();
        assert_eq!(s.get(ATTEMPT).unwrap().as_deref(), Some("old"));
        assert_eq!(s.keys().unwrap(), [ATTEMPT]);
        s.set(ATTEMPT, "new").unwrap();
        assert_eq!(s.local.get(ATTEMPT).unwrap(), None);
        assert_eq!(s.get(ATTEMPT).unwrap().as_deref(), Some("new"));
    }

    /// One store seen twice, as when IndexedDB is refused and attempts stay in localStorage.
    type Shared = std::rc::Rc<std::cell::RefCell<MemoryStore>>;

    #[test]
    fn with_one_store_for_both_an_attempt_is_written_once_and_kept() {
        let one = Shared::default();
        let mut s = Split {
            local: one.clone(),
            bulk: one.clone(),
        };
        s.set(ATTEMPT, "attempt").unwrap();
        s.set(DRAFT, "draft").unwrap();
        assert_eq!(s.get(ATTEMPT).unwrap().as_deref(), Some("attempt"));
        assert_eq!(one.keys().unwrap(), [SUMMARY_KEY, ATTEMPT, DRAFT]);
        s.remove(ATTEMPT).unwrap();
        assert_eq!(one.keys().unwrap(), [DRAFT]);
    }

    #[test]
    fn a_full_bulk_store_fails_the_write_and_changes_nothing() {
        let mut s = Split {
            local: MemoryStore::new(),
            bulk: limited(50),
        };
        assert_eq!(s.set(ATTEMPT, &"x".repeat(100)), Err(StoreError::Full));
        assert!(s.keys().unwrap().is_empty());
    }

    #[test]
    fn the_summary_counts_attempts_and_their_best_scores_per_scenario_and_goes_when_they_go() {
        let fixture = |v: u32| {
            let path = format!(
                "{}/../tests/fixtures/storage/v{v}/attempt.json",
                env!("CARGO_MANIFEST_DIR")
            );
            std::fs::read_to_string(path).unwrap()
        };
        let mut s = Split::<MemoryStore, MemoryStore>::default();
        // Schema 1: a self-review only (64 %); schema 2: graded by the evaluator too.
        s.set("leap:core:edge:attempt:a1", &fixture(1)).unwrap();
        s.set("leap:acme:x:attempt:b", "{ unreadable").unwrap();
        let summary = s.summary();
        assert_eq!(summary["core:edge"].attempts, 1);
        assert_eq!(summary["core:edge"].evaluator, None);
        assert_eq!(summary["core:edge"].self_review.map(f64::round), Some(64.0));
        assert_eq!(
            summary["acme:x"],
            Attempted {
                attempts: 1,
                ..Attempted::default()
            }
        );
        s.set("leap:core:edge:attempt:a2", &fixture(2)).unwrap();
        let e = s.summary()["core:edge"];
        assert_eq!(e.attempts, 2);
        assert!(e.evaluator.is_some());
        // Read back as written; a damaged summary reads as empty and is rebuilt.
        let raw = s.local.get(SUMMARY_KEY).unwrap().unwrap();
        assert_eq!(read_summary(&raw), s.summary());
        assert!(read_summary("{ damaged").is_empty());
        s.local.set(SUMMARY_KEY, "{ damaged").unwrap();
        s.refresh_summary();
        assert_eq!(
            read_summary(&s.local.get(SUMMARY_KEY).unwrap().unwrap()),
            read_summary(&raw)
        );
        for k in s.keys().unwrap() {
            s.remove(&k).unwrap();
        }
        assert!(s.keys().unwrap().is_empty());
    }

    #[test]
    fn a_full_local_store_does_not_fail_an_attempt_over_the_summary() {
        let mut s = Split {
            local: limited(5),
            bulk: MemoryStore::new(),
        };
        s.set(ATTEMPT, "ok").unwrap();
        assert_eq!(s.get(ATTEMPT).unwrap().as_deref(), Some("ok"));
        assert_eq!(s.local.get(SUMMARY_KEY).unwrap(), None);
    }
}
