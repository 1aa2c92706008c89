//! Reading and writing the learner's drafts and attempts, with every failure defined:
//! unreadable entries are set aside (never deleted), a draft changed by another tab is reported
//! as a conflict instead of being overwritten, and a failed write leaves what was stored intact.

use super::keys::{scenario_prefix, Key, ASIDE, PREFIX, REVIEW_KEY};
use super::kv::{KeyValue, StoreError};
use super::migrate::{decode, Decoded};
use super::review;
use super::schema::{Attempt, Draft, Outcome, VERSION};
use crate::drills::Queue;
use serde::de::DeserializeOwned;

/// Something the learner should be told about their stored data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Notice {
    /// An entry could not be read and was moved to `aside` (under its original key).
    SetAside {
        /// The key it had.
        key: String,
        /// Why it could not be read.
        reason: String,
    },
    /// An entry could not be read and could not be moved aside either (storage full): it is left
    /// where it was, untouched, and ignored.
    Unreadable {
        /// Its key.
        key: String,
        /// Why it could not be read.
        reason: String,
    },
}

/// Everything stored for one scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScenarioState {
    /// The open draft, if any.
    pub draft: Option<Draft>,
    /// Finished attempts, oldest first.
    pub attempts: Vec<Attempt>,
}

/// The result of saving a draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Written, as this revision.
    Saved(u64),
    /// Another tab saved a newer revision first; nothing was written. This is theirs.
    Conflict(Box<Draft>),
    /// The draft this one was based on is gone: another tab committed or discarded it. Nothing
    /// was written (it would have resurrected a finished attempt).
    Gone,
}

/// The learner's data over a key-value store.
pub struct Repo<S: KeyValue> {
    store: S,
    /// Things found while reading that the learner should hear about.
    pub notices: Vec<Notice>,
}

impl<S: KeyValue> Repo<S> {
    /// Wraps a store.
    pub fn new(store: S) -> Self {
        Repo {
            store,
            notices: Vec::new(),
        }
    }

    /// The store underneath.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Reads an entry, setting it aside if it cannot be read.
    fn read<T: DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, StoreError> {
        let Some(raw) = self.store.get(key)? else {
            return Ok(None);
        };
        match decode::<T>(&raw) {
            Decoded::Current(t) | Decoded::Migrated(t) => Ok(Some(t)),
            Decoded::Unreadable(reason) => {
                self.set_aside(key, &raw, reason);
                Ok(None)
            }
        }
    }

    /// Moves an unreadable entry aside. If even that fails, the entry stays where it is: losing
    /// the learner's data is never the way out.
    fn set_aside(&mut self, key: &str, raw: &str, reason: String) {
        let mut aside = format!("{ASIDE}{key}");
        let mut n = 1;
        while self
            .store
            .get(&aside)
            .ok()
            .flatten()
            .is_some_and(|existing| existing != raw)
        {
            n += 1;
            aside = format!("{ASIDE}{key}#{n}");
        }
        let moved = self.store.set(&aside, raw).is_ok() && self.store.remove(key).is_ok();
        self.notices.push(if moved {
            Notice::SetAside {
                key: key.to_string(),
                reason,
            }
        } else {
            Notice::Unreadable {
                key: key.to_string(),
                reason,
            }
        });
    }

    /// Everything stored for one scenario.
    pub fn scenario(&mut self, pack: &str, scenario: &str) -> Result<ScenarioState, StoreError> {
        let prefix = scenario_prefix(pack, scenario);
        let mut keys: Vec<String> = self
            .store
            .keys()?
            .into_iter()
            .filter(|k| k.starts_with(&prefix))
            .collect();
        crate::order::sort(&mut keys);
        let mut state = ScenarioState::default();
        for key in keys {
            match Key::parse(&key) {
                Some(Key::Draft { .. }) => state.draft = self.read(&key)?,
                Some(Key::Attempt { .. }) => state.attempts.extend(self.read::<Attempt>(&key)?),
                Some(Key::Early { .. } | Key::Review) | None => {}
            }
        }
        crate::order::sort_by_key(&mut state.attempts, |a| (a.finished_at, a.number));
        Ok(state)
    }

    /// A scenario's draft as stored, without setting an unreadable one aside (`None` then): for a
    /// look that changes nothing, before the app that tells the learner about such entries.
    pub fn peek_draft(&self, pack: &str, scenario: &str) -> Option<Draft> {
        let key = Key::Draft {
            pack: pack.into(),
            scenario: scenario.into(),
        };
        match decode::<Draft>(&self.store.get(&key.render()).ok()??) {
            Decoded::Current(d) | Decoded::Migrated(d) => Some(d),
            Decoded::Unreadable(_) => None,
        }
    }

    /// Whether a scenario has finished attempts stored, by their keys alone (nothing is read).
    pub fn has_attempts(&self, pack: &str, scenario: &str) -> Result<bool, StoreError> {
        let prefix = scenario_prefix(pack, scenario);
        Ok(self
            .store
            .keys()?
            .iter()
            .filter(|k| k.starts_with(&prefix))
            .any(|k| matches!(Key::parse(k), Some(Key::Attempt { .. }))))
    }

    /// The text typed on a scenario's pre-rendered page before the app took over, if any (an
    /// unreadable entry is set aside like any other).
    pub fn early(
        &mut self,
        pack: &str,
        scenario: &str,
    ) -> Result<Option<super::early::EarlyDraft>, StoreError> {
        self.read(
            &Key::Early {
                pack: pack.into(),
                scenario: scenario.into(),
            }
            .render(),
        )
    }

    /// Every scenario with stored data, by (pack, scenario id).
    pub fn all(&mut self) -> Result<Vec<(String, String, ScenarioState)>, StoreError> {
        let mut scenarios: Vec<(String, String)> = self
            .store
            .keys()?
            .iter()
            .filter_map(|k| Key::parse(k))
            .filter_map(|k| {
                let (p, s) = k.scenario()?;
                Some((p.to_string(), s.to_string()))
            })
            .collect();
        crate::order::sort(&mut scenarios);
        scenarios.dedup();
        let mut out = Vec::new();
        for (pack, scenario) in scenarios {
            let state = self.scenario(&pack, &scenario)?;
            if state.draft.is_some() || !state.attempts.is_empty() {
                out.push((pack, scenario, state));
            }
        }
        Ok(out)
    }

    /// Saves a draft that was based on revision `base`. If the stored draft is at another revision
    /// (another tab saved meanwhile), nothing is written and theirs is returned.
    pub fn save_draft(
        &mut self,
        pack: &str,
        scenario: &str,
        draft: &Draft,
        base: u64,
    ) -> Result<Saved, StoreError> {
        let key = Key::Draft {
            pack: pack.into(),
            scenario: scenario.into(),
        }
        .render();
        match self.read::<Draft>(&key)? {
            Some(stored) if stored.rev != base && stored != *draft => {
                return Ok(Saved::Conflict(Box::new(stored)))
            }
            None if base > 0 => return Ok(Saved::Gone),
            _ => {}
        }
        let mut next = draft.clone();
        next.v = VERSION;
        next.rev = base + 1;
        self.write(&key, &next)?;
        Ok(Saved::Saved(next.rev))
    }

    /// Removes a scenario's draft.
    pub fn discard_draft(&mut self, pack: &str, scenario: &str) -> Result<(), StoreError> {
        self.store.remove(
            &Key::Draft {
                pack: pack.into(),
                scenario: scenario.into(),
            }
            .render(),
        )
    }

    /// Ends a draft: freezes it as an attempt (committed, or given up to see the rubric) and removes
    /// the draft. The attempt is written first, so a failure leaves the draft where it was.
    pub fn finish(
        &mut self,
        pack: &str,
        scenario: &str,
        draft: &Draft,
        outcome: Outcome,
        now: u64,
    ) -> Result<Attempt, StoreError> {
        let existing = self.scenario(pack, scenario)?;
        if existing.attempts.iter().any(|a| a.id == draft.id) {
            return Err(StoreError::Other(
                "this attempt was already finished in another tab".into(),
            ));
        }
        let number = existing
            .attempts
            .iter()
            .map(|a| a.number)
            .max()
            .unwrap_or(0)
            + 1;
        let attempt = Attempt {
            v: VERSION,
            id: draft.id.clone(),
            number,
            scenario: draft.scenario.clone(),
            outcome,
            answer: draft.answer.clone(),
            started_at: draft.started_at,
            finished_at: now,
            rubric: None,
            review: None,
            feedback: Vec::new(),
            log: draft.log.clone(),
            decided: Default::default(),
            senior_path: None,
            probe_labels: Default::default(),
            timing: Some(crate::timebox::Timing::at_finish(
                draft.timebox,
                draft.started_at,
                now,
            )),
        };
        self.save_attempt(pack, scenario, &attempt)?;
        self.discard_draft(pack, scenario)?;
        Ok(attempt)
    }

    /// Writes an attempt (after a review edit, or once its rubric is known).
    pub fn save_attempt(
        &mut self,
        pack: &str,
        scenario: &str,
        attempt: &Attempt,
    ) -> Result<(), StoreError> {
        let key = Key::Attempt {
            pack: pack.into(),
            scenario: scenario.into(),
            id: attempt.id.clone(),
        }
        .render();
        self.write(&key, attempt)
    }

    /// The review queue; empty when there is none yet. An unreadable one is set aside (the learner
    /// is told) and the queue starts again from the attempts.
    pub fn queue(&mut self) -> Result<Queue, StoreError> {
        let Some(raw) = self.store.get(REVIEW_KEY)? else {
            return Ok(Queue::default());
        };
        match review::decode(&raw) {
            Ok(q) => Ok(q),
            Err(reason) => {
                self.set_aside(REVIEW_KEY, &raw, reason);
                Ok(Queue::default())
            }
        }
    }

    /// Writes the review queue; on failure the stored one is untouched.
    pub fn save_queue(&mut self, queue: &Queue) -> Result<(), StoreError> {
        self.store
            .set(REVIEW_KEY, &review::encode_value(queue).to_string())
    }

    /// Entries set aside, as (original key, raw value).
    pub fn set_aside_entries(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut out = Vec::new();
        for key in self.store.keys()? {
            if let Some(original) = key.strip_prefix(ASIDE) {
                if let Some(raw) = self.store.get(&key)? {
                    out.push((original.to_string(), raw));
                }
            }
        }
        crate::order::sort(&mut out);
        Ok(out)
    }

    /// Writes a value as JSON.
    pub fn write<T: serde::Serialize>(&mut self, key: &str, value: &T) -> Result<(), StoreError> {
        let json = serde_json::to_string(value).map_err(|e| StoreError::Other(e.to_string()))?;
        self.store.set(key, &json)
    }

    /// Writes a raw value (used to restore set-aside entries on import).
    pub fn write_raw(&mut self, key: &str, raw: &str) -> Result<(), StoreError> {
        self.store.set(key, raw)
    }

    /// Removes a key (used to roll back a failed import).
    pub fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.store.remove(key)
    }

    /// Removes every key of ours, including set-aside entries.
    pub fn clear(&mut self) -> Result<(), StoreError> {
        for key in self.store.keys()? {
            if key.starts_with(PREFIX) {
                self.store.remove(&key)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::kv::MemoryStore;
    use crate::storage::schema::{Answer, ScenarioRef};

    fn draft(id: &str, text: &str, rev: u64, writer: &str) -> Draft {
        Draft {
            v: VERSION,
            id: id.into(),
            scenario: ScenarioRef {
                title: "T".into(),
                ..ScenarioRef::default()
            },
            answer: Answer {
                reasoning: text.into(),
                ..Answer::default()
            },
            started_at: 10,
            updated_at: 20,
            rev,
            writer: writer.into(),
            log: None,
            timebox: None,
        }
    }

    #[test]
    fn drafts_save_and_reload() {
        let mut repo = Repo::new(MemoryStore::new());
        assert_eq!(
            repo.save_draft("core", "s", &draft("a", "hello", 0, "tab1"), 0)
                .unwrap(),
            Saved::Saved(1)
        );
        assert_eq!(
            repo.save_draft("core", "s", &draft("a", "hello world", 1, "tab1"), 1)
                .unwrap(),
            Saved::Saved(2)
        );
        let state = repo.scenario("core", "s").unwrap();
        assert_eq!(state.draft.unwrap().answer.reasoning, "hello world");
    }

    #[test]
    fn a_save_based_on_an_old_revision_is_a_conflict_and_writes_nothing() {
        let mut repo = Repo::new(MemoryStore::new());
        repo.save_draft("core", "s", &draft("a", "v1", 0, "tab1"), 0)
            .unwrap();
        // Tab 2 loaded rev 1 and saved rev 2.
        repo.save_draft(
            "core",
            "s",
            &draft("a", "tab two's newer text", 1, "tab2"),
            1,
        )
        .unwrap();
        // Tab 1 still thinks it is at rev 1.
        match repo
            .save_draft("core", "s", &draft("a", "tab one's text", 1, "tab1"), 1)
            .unwrap()
        {
            Saved::Conflict(theirs) => assert_eq!(
                (theirs.answer.reasoning.as_str(), theirs.rev),
                ("tab two's newer text", 2)
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            repo.scenario("core", "s")
                .unwrap()
                .draft
                .unwrap()
                .answer
                .reasoning,
            "tab two's newer text"
        );
    }

    #[test]
    fn a_draft_finished_in_another_tab_is_not_resurrected() {
        let mut repo = Repo::new(MemoryStore::new());
        let d = draft("a", "text", 0, "tab1");
        repo.save_draft("core", "s", &d, 0).unwrap();
        repo.finish(
            "core",
            "s",
            &draft("a", "text", 1, "tab2"),
            Outcome::Committed,
            5,
        )
        .unwrap();
        assert_eq!(
            repo.save_draft("core", "s", &draft("a", "more text", 1, "tab1"), 1)
                .unwrap(),
            Saved::Gone
        );
        assert!(repo.scenario("core", "s").unwrap().draft.is_none());
        assert!(repo.finish("core", "s", &d, Outcome::Committed, 6).is_err());
        assert_eq!(
            repo.scenario("core", "s").unwrap().attempts[0]
                .answer
                .reasoning,
            "text"
        );
    }

    #[test]
    fn finishing_freezes_the_draft_as_a_numbered_attempt() {
        let mut repo = Repo::new(MemoryStore::new());
        let d = draft("a1", "my call", 0, "t");
        repo.save_draft("core", "s", &d, 0).unwrap();
        let first = repo
            .finish("core", "s", &d, Outcome::Committed, 100)
            .unwrap();
        assert_eq!((first.number, first.finished_at), (1, 100));
        let second = repo
            .finish("core", "s", &draft("a2", "", 0, "t"), Outcome::GaveUp, 200)
            .unwrap();
        assert_eq!(second.number, 2);
        let state = repo.scenario("core", "s").unwrap();
        assert!(state.draft.is_none());
        assert_eq!(
            state
                .attempts
                .iter()
                .map(|a| (a.id.as_str(), a.outcome))
                .collect::<Vec<_>>(),
            [("a1", Outcome::Committed), ("a2", Outcome::GaveUp)]
        );
    }

    #[test]
    fn a_full_store_fails_the_write_and_damages_nothing() {
        let mut store = MemoryStore::new();
        store.limit = Some(600);
        let mut repo = Repo::new(store);
        repo.save_draft("core", "s", &draft("a", "short", 0, "t"), 0)
            .unwrap();
        let before = repo.store().clone();
        let huge = draft("a", &"x".repeat(1000), 1, "t");
        assert_eq!(
            repo.save_draft("core", "s", &huge, 1),
            Err(StoreError::Full)
        );
        assert_eq!(
            repo.finish("core", "s", &huge, Outcome::Committed, 5)
                .unwrap_err(),
            StoreError::Full
        );
        assert_eq!(repo.store().keys().unwrap(), before.keys().unwrap());
        assert_eq!(
            repo.scenario("core", "s")
                .unwrap()
                .draft
                .unwrap()
                .answer
                .reasoning,
            "short"
        );
    }

    #[test]
    fn unreadable_entries_are_set_aside_not_deleted() {
        let mut store = MemoryStore::new();
        store.set("leap:core:s:draft", "{ corrupt").unwrap();
        store
            .set("leap:core:s:attempt:x", r#"{"v":7,"id":"x"}"#)
            .unwrap();
        store.set("leap:core:t:draft", "{ also corrupt").unwrap();
        let mut repo = Repo::new(store);
        let state = repo.scenario("core", "s").unwrap();
        assert_eq!(state, ScenarioState::default());
        assert_eq!(repo.notices.len(), 2);
        assert!(
            matches!(&repo.notices[0], Notice::SetAside { key, reason } if key == "leap:core:s:attempt:x" && reason.contains("schema 7"))
        );
        let aside = repo.set_aside_entries().unwrap();
        assert_eq!(
            aside,
            [
                (
                    "leap:core:s:attempt:x".to_string(),
                    r#"{"v":7,"id":"x"}"#.to_string()
                ),
                ("leap:core:s:draft".to_string(), "{ corrupt".to_string())
            ]
        );
        // The other scenario's entry is untouched until it is read.
        assert_eq!(
            repo.store().get("leap:core:t:draft").unwrap().as_deref(),
            Some("{ also corrupt")
        );
        // Reading again finds nothing new to set aside.
        repo.notices.clear();
        repo.scenario("core", "s").unwrap();
        assert!(repo.notices.is_empty());
    }

    #[test]
    fn when_even_setting_aside_fails_the_entry_stays() {
        let mut store = MemoryStore::new();
        store.set("leap:core:s:draft", "{ corrupt").unwrap();
        store.limit = Some(40);
        let mut repo = Repo::new(store);
        repo.scenario("core", "s").unwrap();
        assert!(matches!(&repo.notices[0], Notice::Unreadable { .. }));
        assert_eq!(
            repo.store().get("leap:core:s:draft").unwrap().as_deref(),
            Some("{ corrupt")
        );
    }

    #[test]
    fn the_review_queue_is_its_own_entry_read_back_and_set_aside_when_unreadable() {
        use crate::drills::{Recall, DAY_MS};
        use crate::storage::review::tests::card;
        let mut repo = Repo::new(MemoryStore::new());
        repo.save_draft("core", "s", &draft("a", "text", 0, "t"), 0)
            .unwrap();
        assert_eq!(repo.queue().unwrap(), Queue::default());
        let mut q = Queue::default();
        q.add(card("c", 0));
        q.made_from.push("a".into());
        repo.save_queue(&q).unwrap();
        // A queue of this version is read back, and never taken for a scenario's entry.
        assert_eq!(repo.queue().unwrap(), q);
        assert_eq!(repo.all().unwrap().len(), 1);
        assert!(repo.notices.is_empty());
        q.review("core", "edge", "c", Recall::Good, DAY_MS);
        repo.save_queue(&q).unwrap();
        assert_eq!(repo.queue().unwrap(), q);

        // A damaged queue is set aside, not deleted, and the learner is told.
        repo.write_raw(REVIEW_KEY, "{ damaged").unwrap();
        assert_eq!(repo.queue().unwrap(), Queue::default());
        assert!(matches!(&repo.notices[0], Notice::SetAside { key, .. } if key == REVIEW_KEY));
        assert_eq!(
            repo.set_aside_entries().unwrap(),
            [(REVIEW_KEY.to_string(), "{ damaged".to_string())]
        );
        // Deleting everything deletes the queue too.
        repo.save_queue(&q).unwrap();
        repo.clear().unwrap();
        assert!(repo.store().keys().unwrap().is_empty());
    }

    #[test]
    fn packs_do_not_collide() {
        let mut repo = Repo::new(MemoryStore::new());
        repo.save_draft("core", "same-id", &draft("a", "core text", 0, "t"), 0)
            .unwrap();
        repo.save_draft("acme", "same-id", &draft("b", "acme text", 0, "t"), 0)
            .unwrap();
        assert_eq!(
            repo.scenario("core", "same-id")
                .unwrap()
                .draft
                .unwrap()
                .answer
                .reasoning,
            "core text"
        );
        assert_eq!(
            repo.scenario("acme", "same-id")
                .unwrap()
                .draft
                .unwrap()
                .answer
                .reasoning,
            "acme text"
        );
        assert_eq!(repo.all().unwrap().len(), 2);
    }
}
