//! Moving attempts from `localStorage` into the bulk store (IndexedDB in the browser) on first run,
//! from the entries every schema version wrote (`tests/fixtures/storage/v<N>/`): upgraded, nothing
//! lost, the drafts and review queue left where they are, safe to interrupt and to run again.

use leap_core::storage::keys::REVIEW_KEY;
use leap_core::storage::kv::{KeyValue, MemoryStore, StoreError};
use leap_core::storage::migrate::{decode, Decoded};
use leap_core::storage::relocate::{apply, plan, SPILLED_KEY};
use leap_core::storage::repo::{Notice, Repo};
use leap_core::storage::schema::{Attempt, VERSION};
use leap_core::storage::split::{read_summary, Split, SUMMARY_KEY};
use std::path::Path;

fn fixture(dir: &str, name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../tests/fixtures/storage/{dir}/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const SCENARIO: &str = "leap:core:edge-cpu-regex:";

/// `localStorage` as schema `v` left it: a draft, an attempt (two for schema 1, one given up), a
/// review queue where the schema had one, and a setting.
fn written_by(v: u32) -> MemoryStore {
    let mut s = MemoryStore::new();
    let dir = format!("v{v}");
    s.set(&format!("{SCENARIO}draft"), &fixture(&dir, "draft.json"))
        .unwrap();
    s.set(
        &format!("{SCENARIO}attempt:a{v}"),
        &fixture(&dir, "attempt.json"),
    )
    .unwrap();
    if v == 1 {
        s.set(
            &format!("{SCENARIO}attempt:g1"),
            &fixture("v1", "gave-up.json"),
        )
        .unwrap();
    }
    if v == 3 {
        s.set(REVIEW_KEY, &fixture("review-v1", "queue.json"))
            .unwrap();
    }
    s.set("leap:evaluator", r#"{"provider":"anthropic"}"#)
        .unwrap();
    s
}

fn attempt_keys(s: &MemoryStore) -> Vec<String> {
    s.keys()
        .unwrap()
        .into_iter()
        .filter(|k| k.contains(":attempt:"))
        .collect()
}

#[test]
fn attempts_of_every_schema_version_move_upgraded_and_the_rest_stays() {
    for v in 1..=VERSION {
        let mut local = written_by(v);
        let before = local.clone();
        let mut bulk = MemoryStore::new();
        let p = plan(&local, &bulk).unwrap();
        let moved = attempt_keys(&before);
        assert_eq!(p.clear, moved, "schema {v}");
        assert_eq!(
            p.upgraded,
            if v < VERSION { moved.len() } else { 0 },
            "schema {v}"
        );
        apply(&p, &mut local, &mut bulk).unwrap();

        assert!(attempt_keys(&local).is_empty(), "schema {v}");
        assert_eq!(bulk.keys().unwrap(), moved, "schema {v}");
        for key in &moved {
            // Written as the current schema, with the same content a read of the old entry gives.
            let old = match decode::<Attempt>(&before.get(key).unwrap().unwrap()) {
                Decoded::Current(a) | Decoded::Migrated(a) => a,
                Decoded::Unreadable(r) => panic!("{r}"),
            };
            match decode::<Attempt>(&bulk.get(key).unwrap().unwrap()) {
                Decoded::Current(a) => assert_eq!(a, old, "schema {v}"),
                other => panic!("schema {v}: {other:?}"),
            }
        }
        // Drafts, the queue and settings stay in localStorage, byte for byte.
        for key in before.keys().unwrap().iter().filter(|k| !moved.contains(k)) {
            assert_eq!(
                local.get(key).unwrap(),
                before.get(key).unwrap(),
                "schema {v}: {key}"
            );
        }
        // The learner sees the same scenario through the split store as before the move.
        let mut old_repo = Repo::new(before);
        let mut repo = Repo::new(Split { local, bulk });
        assert_eq!(
            repo.scenario("core", "edge-cpu-regex").unwrap(),
            old_repo.scenario("core", "edge-cpu-regex").unwrap()
        );
        assert!(repo.notices.is_empty(), "{:?}", repo.notices);
    }
}

#[test]
fn a_move_interrupted_before_clearing_finishes_on_the_next_run_and_a_third_run_does_nothing() {
    let mut local = written_by(1);
    let mut bulk = MemoryStore::new();
    let first = plan(&local, &bulk).unwrap();
    // The transaction committed, then the tab was closed before localStorage was cleared.
    for (k, v) in &first.writes {
        bulk.set(k, v).unwrap();
    }
    let bulk_after_crash = bulk.clone();
    let second = plan(&local, &bulk).unwrap();
    assert!(second.writes.is_empty(), "{second:?}");
    assert_eq!(second.clear, first.clear);
    apply(&second, &mut local, &mut bulk).unwrap();
    assert_eq!(bulk.keys().unwrap(), bulk_after_crash.keys().unwrap());
    assert!(plan(&local, &bulk).unwrap().is_empty());
}

#[test]
fn a_move_that_does_not_fit_writes_nothing_and_clears_nothing() {
    let mut local = written_by(2);
    let before = local.clone();
    let mut bulk = MemoryStore::new();
    bulk.limit = Some(100);
    let p = plan(&local, &bulk).unwrap();
    assert_eq!(apply(&p, &mut local, &mut bulk), Err(StoreError::Full));
    assert!(bulk.keys().unwrap().is_empty());
    assert_eq!(local.keys().unwrap(), before.keys().unwrap());
    // Until it fits, the attempt is read where it is.
    let mut repo = Repo::new(Split { local, bulk });
    assert_eq!(
        repo.scenario("core", "edge-cpu-regex")
            .unwrap()
            .attempts
            .len(),
        1
    );
}

#[test]
fn a_local_copy_that_differs_from_the_moved_one_is_set_aside_not_dropped() {
    let mut local = MemoryStore::new();
    let mut bulk = MemoryStore::new();
    let key = format!("{SCENARIO}attempt:a3");
    bulk.set(&key, &fixture("v3", "attempt.json")).unwrap();
    // An older version of the site, still open in another tab, rewrote the attempt in localStorage.
    local.set(&key, &fixture("v2", "attempt.json")).unwrap();
    let p = plan(&local, &bulk).unwrap();
    assert_eq!(
        p.writes.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
        [format!("leap:aside:{key}")]
    );
    apply(&p, &mut local, &mut bulk).unwrap();
    assert_eq!(
        bulk.get(&key).unwrap().unwrap(),
        fixture("v3", "attempt.json")
    );
    assert_eq!(
        bulk.get(&format!("leap:aside:{key}")).unwrap().unwrap(),
        fixture("v2", "attempt.json")
    );
    assert!(local.keys().unwrap().is_empty());
    // Running again writes nothing more.
    local.set(&key, &fixture("v2", "attempt.json")).unwrap();
    let again = plan(&local, &bulk).unwrap();
    assert!(again.writes.is_empty(), "{again:?}");
}

#[test]
fn unreadable_attempts_move_as_they_are_and_are_set_aside_when_read() {
    let mut local = MemoryStore::new();
    let mut bulk = MemoryStore::new();
    local
        .set(
            &format!("{SCENARIO}attempt:future"),
            r#"{"v":99,"id":"future"}"#,
        )
        .unwrap();
    local
        .set(&format!("{SCENARIO}attempt:broken"), "{ not json")
        .unwrap();
    let p = plan(&local, &bulk).unwrap();
    apply(&p, &mut local, &mut bulk).unwrap();
    assert_eq!(
        bulk.get(&format!("{SCENARIO}attempt:broken"))
            .unwrap()
            .as_deref(),
        Some("{ not json")
    );
    let mut repo = Repo::new(Split { local, bulk });
    assert!(repo
        .scenario("core", "edge-cpu-regex")
        .unwrap()
        .attempts
        .is_empty());
    assert_eq!(repo.notices.len(), 2);
    assert!(repo
        .notices
        .iter()
        .all(|n| matches!(n, Notice::SetAside { .. })));
    let aside = repo.set_aside_entries().unwrap();
    assert_eq!(aside.len(), 2);
    // Set aside in the bulk store, where attempts live.
    assert!(repo
        .store()
        .bulk
        .keys()
        .unwrap()
        .iter()
        .all(|k| k.starts_with("leap:aside:")));
}

#[test]
fn the_summary_is_rebuilt_after_a_move() {
    let mut local = written_by(1);
    let mut bulk = MemoryStore::new();
    apply(&plan(&local, &bulk).unwrap(), &mut local, &mut bulk).unwrap();
    let mut split = Split { local, bulk };
    split.refresh_summary();
    let summary = read_summary(&split.local.get(SUMMARY_KEY).unwrap().unwrap());
    // Schema 1's two attempts: one self-reviewed (64 %), one given up.
    assert_eq!(summary["core:edge-cpu-regex"].attempts, 2);
    assert_eq!(
        summary["core:edge-cpu-regex"].self_review.map(f64::round),
        Some(64.0)
    );
}

#[test]
fn attempts_a_closing_page_kept_in_local_storage_replace_the_bulk_copies() {
    let key = format!("{SCENARIO}attempt:a3");
    let mut bulk = MemoryStore::new();
    bulk.set(&key, &fixture("v3", "attempt.json")).unwrap();
    // The page closed right after a self-review edit, before IndexedDB committed it.
    let mut edited: serde_json::Value =
        serde_json::from_str(&fixture("v3", "attempt.json")).unwrap();
    edited["review"]["missed"] = "Edited just before closing the tab.".into();
    let mut local = MemoryStore::new();
    local.set(&key, &edited.to_string()).unwrap();
    local
        .set(SPILLED_KEY, &serde_json::to_string(&[&key]).unwrap())
        .unwrap();
    let p = plan(&local, &bulk).unwrap();
    apply(&p, &mut local, &mut bulk).unwrap();
    let stored: serde_json::Value =
        serde_json::from_str(&bulk.get(&key).unwrap().unwrap()).unwrap();
    assert_eq!(
        stored["review"]["missed"],
        "Edited just before closing the tab."
    );
    assert_eq!(bulk.keys().unwrap(), [key]);
    assert!(local.keys().unwrap().is_empty());
    assert!(plan(&local, &bulk).unwrap().is_empty());
}
