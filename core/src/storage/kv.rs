//! The key-value store the storage layer runs on: `localStorage` in the browser, memory elsewhere.

use std::collections::BTreeMap;

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The browser's quota is used up (`QuotaExceededError`); nothing was written.
    Full,
    /// The store cannot be used at all (storage disabled, private mode).
    Unavailable,
    /// Anything else the store reported.
    Other(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Full => f.write_str("this browser's storage for the site is full"),
            StoreError::Unavailable => f.write_str("this browser does not let the site store data"),
            StoreError::Other(e) => write!(f, "storage error: {e}"),
        }
    }
}

/// A string-to-string store, like `localStorage`.
pub trait KeyValue {
    /// The value under `key`.
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Stores `value` under `key`; on failure the old value is untouched.
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    /// Removes `key`.
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
    /// Every key, in any order.
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}

/// One store seen from several places (as when attempts fall back to the same `localStorage`
/// the rest of the learner's data uses): each holder reads and writes the one underneath.
impl<S: KeyValue> KeyValue for std::rc::Rc<std::cell::RefCell<S>> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.borrow().get(key)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.borrow_mut().set(key, value)
    }
    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.borrow_mut().remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.borrow().keys()
    }
}

/// An in-memory store with an optional size limit (to rehearse a full `localStorage`).
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    entries: BTreeMap<String, String>,
    /// When set, a write that would make keys + values exceed this many characters fails with
    /// [`StoreError::Full`], as browsers count quota in characters.
    pub limit: Option<usize>,
}

impl MemoryStore {
    /// An empty store without a limit.
    pub fn new() -> Self {
        Self::default()
    }

    fn used(&self) -> usize {
        self.entries
            .iter()
            .map(|(k, v)| k.chars().count() + v.chars().count())
            .sum()
    }
}

impl KeyValue for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.entries.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if let Some(limit) = self.limit {
            let old = self
                .entries
                .get(key)
                .map_or(0, |v| key.chars().count() + v.chars().count());
            if self.used() - old + key.chars().count() + value.chars().count() > limit {
                return Err(StoreError::Full);
            }
        }
        self.entries.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.entries.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.entries.keys().cloned().collect())
    }
}

/// A store seen read-only: writes fail as if it were unavailable and change nothing. Reading the
/// learner's data through it in the background never sets anything aside behind the back of the
/// page that will tell the learner about it.
#[derive(Debug, Clone, Default)]
pub struct ReadOnly<S>(pub S);

impl<S: KeyValue> KeyValue for ReadOnly<S> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.0.get(key)
    }

    fn set(&mut self, _key: &str, _value: &str) -> Result<(), StoreError> {
        Err(StoreError::Unavailable)
    }

    fn remove(&mut self, _key: &str) -> Result<(), StoreError> {
        Err(StoreError::Unavailable)
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.0.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_store_refuses_and_keeps_the_old_value() {
        let mut s = MemoryStore {
            limit: Some(10),
            ..MemoryStore::default()
        };
        s.set("a", "12345").unwrap();
        assert_eq!(s.set("a", "1234567890"), Err(StoreError::Full));
        assert_eq!(s.get("a").unwrap().as_deref(), Some("12345"));
        s.set("a", "123").unwrap();
    }

    #[test]
    fn reading_through_a_read_only_view_changes_nothing() {
        use crate::storage::repo::{Notice, Repo};
        let mut s = MemoryStore::new();
        s.set("leap:core:s:draft", "{ corrupt").unwrap();
        let mut repo = Repo::new(ReadOnly(s.clone()));
        assert!(repo.all().unwrap().is_empty());
        // The damaged entry is reported, left where it is, and still there for the page that
        // reads it properly to set aside and explain.
        assert!(matches!(&repo.notices[0], Notice::Unreadable { .. }));
        assert_eq!(repo.store().0.keys().unwrap(), s.keys().unwrap());
        assert_eq!(ReadOnly(s).set("k", "v"), Err(StoreError::Unavailable));
    }
}
