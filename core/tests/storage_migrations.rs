//! Entries and exports written by every older schema version still load, migrated to the current
//! one with nothing lost. Fixtures in `tests/fixtures/storage/v<N>/` are real entries as each
//! version wrote them; add a folder whenever the schema version changes.

use leap_core::baked::{Inject, Investigation, Probe, Prose};
use leap_core::session::{decide, Session};
use leap_core::storage::export::{merge, parse};
use leap_core::storage::kv::{KeyValue, MemoryStore};
use leap_core::storage::migrate::{decode, Decoded};
use leap_core::storage::repo::Repo;
use leap_core::storage::schema::{Attempt, Draft, Outcome, VERSION};
use leap_core::taxonomy::Verdict;
use serde_json::Value;
use std::path::Path;

fn fixture(version: u32, name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../tests/fixtures/storage/v{version}/{name}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn current<T: serde::de::DeserializeOwned>(raw: &str) -> T {
    match decode::<T>(raw) {
        Decoded::Current(t) => t,
        Decoded::Migrated(_) => panic!("a current entry read as migrated"),
        Decoded::Unreadable(r) => panic!("unreadable: {r}"),
    }
}

/// The entry as this version writes it, as JSON.
fn rewritten<T: serde::Serialize>(entry: &T) -> Value {
    serde_json::to_value(entry).unwrap()
}

/// The fixture with its version replaced by the current one.
fn as_current(raw: &str) -> Value {
    let mut v: Value = serde_json::from_str(raw).unwrap();
    v["v"] = Value::from(VERSION);
    v
}

fn migrated<T: serde::de::DeserializeOwned>(raw: &str) -> T {
    match decode::<T>(raw) {
        Decoded::Migrated(t) => t,
        Decoded::Current(_) => panic!("an old entry read as current"),
        Decoded::Unreadable(r) => panic!("unreadable: {r}"),
    }
}

#[test]
fn every_version_has_fixtures() {
    for v in 1..=VERSION {
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

#[test]
fn v2_entries_migrate_with_nothing_lost_or_added() {
    for name in ["attempt.json", "draft.json"] {
        let raw = fixture(2, name);
        let written = if name == "draft.json" {
            rewritten(&migrated::<Draft>(&raw))
        } else {
            rewritten(&migrated::<Attempt>(&raw))
        };
        assert_eq!(written, as_current(&raw), "{name}");
    }
}

#[test]
fn a_v2_attempt_keeps_its_feedback_and_score() {
    let a: Attempt = migrated(&fixture(2, "attempt.json"));
    assert_eq!((a.log.as_ref(), a.decided.len()), (None, 0));
    assert_eq!(a.feedback.len(), 1);
    assert_eq!(a.feedback[0].thread.len(), 1);
    // The evaluator's grading counts, exactly as before: 3 + 3 of 7.
    let r = a.result().unwrap();
    assert_eq!(
        (r.evaluator.map(f64::round), r.self_review.map(f64::round)),
        (Some(86.0), Some(64.0))
    );
}

#[test]
fn v2_entries_in_storage_and_a_v2_export_load() {
    let mut store = MemoryStore::new();
    store
        .set("leap:core:edge-cpu-regex:draft", &fixture(2, "draft.json"))
        .unwrap();
    store
        .set(
            "leap:core:edge-cpu-regex:attempt:41541267e8c08ff9",
            &fixture(2, "attempt.json"),
        )
        .unwrap();
    let mut repo = Repo::new(store);
    let state = repo.scenario("core", "edge-cpu-regex").unwrap();
    assert!(repo.notices.is_empty(), "{:?}", repo.notices);
    assert_eq!((state.attempts.len(), state.draft.unwrap().rev), (1, 7));

    let file = parse(&fixture(2, "export.json")).unwrap();
    let mut repo = Repo::new(MemoryStore::new());
    let report = merge(&mut repo, &file).unwrap();
    assert_eq!((report.added, report.drafts_added), (2, 1));
    let state = repo.scenario("core", "edge-cpu-regex").unwrap();
    assert_eq!(state.attempts[0].feedback.len(), 1);
    assert!(state
        .attempts
        .iter()
        .all(|a| a.v == VERSION && a.log.is_none()));
}

/// The investigation the v3 fixtures were played on.
fn checkout_mtu() -> Investigation {
    let prose = |t: &str| Prose {
        markdown: t.into(),
        html: t.into(),
    };
    let probe = |id: &str, cost| Probe {
        id: id.into(),
        label: id.into(),
        cost,
        evidence: prose(id),
    };
    Investigation {
        start: None,
        probes: vec![
            probe("gateway-drops", 5),
            probe("ask-ana", 10),
            probe("deploy-diff", 25),
        ],
        injects: vec![Inject {
            id: "vp-eta".into(),
            label: "The VP asks for an ETA".into(),
            at: 12,
            body: prose("Any ETA?"),
        }],
        facts: prose(""),
    }
}

#[test]
fn v3_entries_migrate_untimed_with_nothing_lost_or_added() {
    for name in ["attempt.json", "draft.json"] {
        let raw = fixture(3, name);
        let written = if name == "draft.json" {
            let d = migrated::<Draft>(&raw);
            assert_eq!(d.timebox, None);
            rewritten(&d)
        } else {
            let a = migrated::<Attempt>(&raw);
            assert_eq!(a.timing, None, "time taken was never recorded before v4");
            rewritten(&a)
        };
        assert_eq!(written, as_current(&raw), "{name}");
    }
}

#[test]
fn v4_entries_read_as_current_with_their_time_box_and_timing() {
    for name in ["attempt.json", "draft.json"] {
        let raw = fixture(4, name);
        let written = if name == "draft.json" {
            rewritten(&current::<Draft>(&raw))
        } else {
            rewritten(&current::<Attempt>(&raw))
        };
        assert_eq!(
            written,
            serde_json::from_str::<Value>(&raw).unwrap(),
            "{name}"
        );
    }
    let d: Draft = current(&fixture(4, "draft.json"));
    let b = d.timebox.unwrap();
    assert_eq!(b.minutes, 25);
    // Elapsed comes from the stored start: ten minutes after it, fifteen are left.
    assert_eq!(b.clock_text(b.started_at + 10 * 60_000), "15:00 left");
    let a: Attempt = current(&fixture(4, "attempt.json"));
    let t = a.timing.unwrap();
    assert_eq!(t.text(), "27 min (timed 25 min, 2 min over)");
}

#[test]
fn a_v4_export_imports_timed_entries_beside_older_ones() {
    let file = parse(&fixture(4, "export.json")).unwrap();
    let mut repo = Repo::new(MemoryStore::new());
    let report = merge(&mut repo, &file).unwrap();
    assert_eq!((report.added, report.drafts_added), (2, 2));
    let timed = repo.scenario("core", "edge-cpu-regex").unwrap();
    assert_eq!(
        timed.attempts[0],
        current::<Attempt>(&fixture(4, "attempt.json"))
    );
    assert_eq!(timed.draft.unwrap().timebox.map(|b| b.minutes), Some(25));
    let old = repo.scenario("core", "checkout-mtu").unwrap();
    assert!(old.attempts.iter().all(|a| a.timing.is_none()));
}

#[test]
fn a_v3_investigation_attempt_keeps_its_path_and_the_sites_verdicts() {
    let a: Attempt = migrated(&fixture(3, "attempt.json"));
    let log = a.log.clone().unwrap();
    let inv = checkout_mtu();
    let s = Session::resume(&inv, log.clone());
    assert_eq!((s.clock(), s.is_committed()), (22, true));
    let revealed: Vec<(&str, u32)> = s
        .revealed()
        .iter()
        .map(|(p, t)| (p.id.as_str(), *t))
        .collect();
    assert_eq!(revealed, [("gateway-drops", 5), ("ask-ana", 16)]);
    assert_eq!(s.hypotheses()[0].history.len(), 1);
    assert_eq!(a.senior_path.as_ref().map(|p| p.act_by), Some(25));
    assert_eq!(
        a.probe_label("gateway-drops"),
        "Query the gateway's drop counter"
    );
    // What was decided at commit is what the rules give the stored log.
    for (id, rule) in [
        ("drops-first", "first:gateway-drops"),
        ("skipped-the-diff", "avoided:deploy-diff"),
        ("acted-in-time", "acted-by:25"),
    ] {
        let rule = leap_core::baked::Rule::parse(rule).unwrap();
        assert_eq!(a.decided[id], decide(&rule, &log), "{id}");
    }
    // The learner reviewed only the analysis criterion; the site's verdicts complete the review,
    // and the evaluator, which graded only the analysis, is complete too.
    let r = a.result().unwrap();
    assert_eq!((r.evaluator, r.self_review), (Some(100.0), Some(100.0)));
    let d: Draft = migrated(&fixture(3, "draft.json"));
    assert_eq!(Session::resume(&inv, d.log.unwrap()).clock(), 25);
}

#[test]
fn a_v3_export_imports_with_its_logs_beside_older_entries() {
    let file = parse(&fixture(3, "export.json")).unwrap();
    let mut repo = Repo::new(MemoryStore::new());
    let report = merge(&mut repo, &file).unwrap();
    assert_eq!((report.added, report.drafts_added), (3, 2));
    let inv = repo.scenario("core", "checkout-mtu").unwrap();
    assert_eq!(
        inv.attempts[0],
        migrated::<Attempt>(&fixture(3, "attempt.json"))
    );
    assert_eq!(
        inv.draft,
        Some(migrated::<Draft>(&fixture(3, "draft.json")))
    );
    let old = repo.scenario("core", "edge-cpu-regex").unwrap();
    assert!(old
        .attempts
        .iter()
        .all(|a| a.log.is_none() && a.decided.is_empty()));
    // Importing it again adds nothing.
    let again = merge(&mut repo, &file).unwrap();
    assert_eq!(
        (again.added, again.duplicates, again.drafts_added),
        (0, 3, 0)
    );
}
