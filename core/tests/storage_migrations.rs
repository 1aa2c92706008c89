//! Entries and exports written by every older schema version still load, migrated to the current
//! one with nothing lost. Fixtures in `tests/fixtures/storage/v<N>/` are real entries as each
//! version wrote them; add a folder whenever the schema version changes.

use leap_core::storage::export::{merge, parse};
use leap_core::storage::kv::{KeyValue, MemoryStore};
use leap_core::storage::migrate::{decode, Decoded};
use leap_core::storage::repo::Repo;
use leap_core::storage::schema::{Attempt, Draft, Outcome, VERSION};
use leap_core::taxonomy::Verdict;
use std::path::Path;

fn fixture(version: u32, name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../tests/fixtures/storage/v{version}/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn migrated<T: serde::de::DeserializeOwned>(raw: &str) -> T {
    match decode::<T>(raw) {
        Decoded::Migrated(t) => t,
        Decoded::Current(_) => panic!("an old entry read as current"),
        Decoded::Unreadable(r) => panic!("unreadable: {r}"),
    }
}

#[test]
fn every_older_version_has_fixtures() {
    for v in 1..VERSION {
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../tests/fixtures/storage/v{v}"))
                .is_dir(),
            "no fixtures for schema {v}"
        );
    }
}

#[test]
fn v1_draft_loads_unchanged() {
    let d: Draft = migrated(&fixture(1, "draft.json"));
    assert_eq!(d.v, VERSION);
    assert_eq!(
        (d.rev, d.answer.reasoning.as_str(), d.answer.confidence),
        (4, "Every PoP failed in the same minute.", None)
    );
}

#[test]
fn v1_attempts_gain_an_empty_feedback_list_and_keep_their_review() {
    let a: Attempt = migrated(&fixture(1, "attempt.json"));
    assert_eq!(a.v, VERSION);
    assert!(a.feedback.is_empty());
    assert_eq!(
        a.review.as_ref().unwrap().verdicts["kill-switch-before-root-cause"],
        Verdict::Partial
    );
    assert_eq!(a.self_review_score().unwrap().percent(), 64);
    let g: Attempt = migrated(&fixture(1, "gave-up.json"));
    assert_eq!((g.outcome, g.rubric.is_none()), (Outcome::GaveUp, true));
}

#[test]
fn v1_entries_in_storage_are_read_and_kept_readable() {
    let mut store = MemoryStore::new();
    store
        .set("leap:core:edge-cpu-regex:draft", &fixture(1, "draft.json"))
        .unwrap();
    store
        .set(
            "leap:core:edge-cpu-regex:attempt:41541267e8c08ff9",
            &fixture(1, "attempt.json"),
        )
        .unwrap();
    let mut repo = Repo::new(store);
    let state = repo.scenario("core", "edge-cpu-regex").unwrap();
    assert!(repo.notices.is_empty(), "{:?}", repo.notices);
    assert_eq!(state.attempts.len(), 1);
    assert_eq!(state.draft.unwrap().rev, 4);
}

#[test]
fn a_v1_export_imports() {
    let file = parse(&fixture(1, "export.json")).unwrap();
    let mut repo = Repo::new(MemoryStore::new());
    let report = merge(&mut repo, &file).unwrap();
    assert_eq!((report.added, report.drafts_added), (2, 1));
    let state = repo.scenario("core", "edge-cpu-regex").unwrap();
    assert!(state
        .attempts
        .iter()
        .all(|a| a.v == VERSION && a.feedback.is_empty()));
}
