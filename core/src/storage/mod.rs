//! The learner's data, kept in their browser: a versioned schema of drafts and attempts (and the
//! review queue, versioned on its own),
//! namespaced by pack, over any key-value store (in the browser, attempts in IndexedDB and the
//! rest in `localStorage`, see [`split`]; tests and private-mode browsers use the in-memory one).
//! Every failure has a defined outcome: a full store is reported and damages nothing, a corrupt or
//! unknown-version entry is set aside rather than deleted, a draft changed by another tab is never
//! silently overwritten.

pub mod early;
pub mod export;
pub mod keys;
pub mod kv;
pub mod migrate;
pub mod relocate;
pub mod repo;
pub mod review;
pub mod schema;
pub mod split;
