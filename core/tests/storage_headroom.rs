//! How big a realistic graded attempt is, and so how many fit before the learner is told storage
//! is full. The attempt is an investigation of the core pack answered with one of its sample
//! answers, the path that answer took, the learner's self-review and one grading by an evaluator
//! whose text is as long as the rubric's (the reply kept beside it, as the app keeps it).
//! `tests/fixtures/storage/realistic-attempt.json` is this attempt; the browser test
//! (`storage.spec.js`) measures how many copies fit in `localStorage` and what IndexedDB's quota
//! leaves room for. `LEAP_BLESS=1` rewrites the fixture.

use leap_core::compiler::compile;
use leap_core::session::SessionLog;
use leap_core::storage::kv::{KeyValue, MemoryStore, StoreError};
use leap_core::storage::migrate::{decode, Decoded};
use leap_core::storage::schema::{Attempt, CriterionRef};
use serde_json::{json, Value};
use std::path::Path;

fn realistic() -> Attempt {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let site = compile(&root.join("content")).expect("the bundled content compiles");
    // The core investigation whose strongest sample answer is longest: a learner who writes
    // and investigates thoroughly, the one who runs out of room first.
    let (s, sample) = site
        .scenarios
        .iter()
        .filter(|s| s.summary.pack == "core" && s.investigation.is_some())
        .flat_map(|s| {
            s.answers
                .iter()
                .filter(|a| a.log.is_some())
                .map(move |a| (s, a))
        })
        .max_by_key(|(_, a)| a.reasoning.len() + a.uncertainty.len() + a.commitment.len())
        .expect("the core pack has investigations with sample answers");
    let inv = s.investigation.as_ref().unwrap();
    let log = SessionLog::from_sample(inv, sample.log.as_ref().unwrap());
    let criteria: Vec<Value> = s
        .rubric
        .criteria
        .iter()
        .map(|c| {
            let verdict = sample.verdicts.get(&c.id).copied().unwrap_or(leap_core::taxonomy::Verdict::Missed);
            json!({"id": c.id, "verdict": verdict,
                   "evidence": [{"quote": sample.reasoning.chars().take(160).collect::<String>(), "verified": true}],
                   "why": c.insight.markdown})
        })
        .collect();
    let grade = json!({"criteria": criteria, "ungraded": [], "uncertainties": [{"concern": sample.uncertainty, "answer": s.rubric.criteria[0].insight.markdown}],
        "missed_failure_mode": s.rubric.criteria.last().unwrap().insight.markdown, "focus_next": s.rubric.criteria[0].insight.markdown,
        "overall": sample.commitment, "problems": []});
    let rubric: Vec<CriterionRef> = s.rubric.criteria.iter().map(CriterionRef::from).collect();
    let fixture = root.join("tests/fixtures/storage/v3/attempt.json");
    let mut a: Value = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    a["id"] = json!("realistic0000001");
    a["scenario"] = json!({"title": s.summary.title, "track": s.summary.track, "level": s.summary.level, "competencies": s.summary.competencies});
    a["answer"] = json!({"reasoning": sample.reasoning, "uncertainty": sample.uncertainty, "commitment": sample.commitment, "confidence": sample.confidence.min(100)});
    a["rubric"] = serde_json::to_value(&rubric).unwrap();
    a["review"] = json!({"verdicts": sample.verdicts, "missed": sample.uncertainty, "carry_forward": sample.commitment, "updated_at": 1764001500000u64});
    a["feedback"][0]["grade"] = grade.clone();
    a["feedback"][0]["reply"] = json!(grade.to_string());
    a["log"] = serde_json::to_value(&log).unwrap();
    a["decided"] = json!({});
    a["senior_path"] = Value::Null;
    a["probe_labels"] = json!(inv
        .probes
        .iter()
        .map(|p| (p.id.clone(), p.label.clone()))
        .collect::<std::collections::BTreeMap<_, _>>());
    match decode::<Attempt>(&a.to_string()) {
        Decoded::Current(a) | Decoded::Migrated(a) => a,
        Decoded::Unreadable(r) => panic!("the realistic attempt does not read: {r}"),
    }
}

#[test]
fn a_realistic_graded_attempt_and_how_many_fit_in_local_storage() {
    let attempt = serde_json::to_string(&realistic()).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/storage/realistic-attempt.json");
    if std::env::var_os("LEAP_BLESS").is_some() {
        std::fs::write(&path, &attempt).unwrap();
    }
    let fixture =
        std::fs::read_to_string(&path).expect("run with LEAP_BLESS=1 to write the fixture");
    // The fixture stays what the core pack makes: within a tenth of today's size.
    let (now, then) = (
        attempt.chars().count() as f64,
        fixture.chars().count() as f64,
    );
    assert!(
        (now - then).abs() / then < 0.1,
        "the fixture is {then} characters, a realistic attempt now {now}: run with LEAP_BLESS=1"
    );
    // localStorage holds 5 MiB characters (keys and values) per origin in Chromium and Firefox;
    // the memory store counts the same way, so this is how many fit in an otherwise empty one.
    let mut store = MemoryStore::new();
    store.limit = Some(5 * 1024 * 1024);
    let mut n = 0;
    loop {
        let key = format!("leap:core:{}:attempt:{n:016x}", "some-scenario");
        match store.set(&key, &fixture) {
            Ok(()) => n += 1,
            Err(StoreError::Full) => break,
            Err(e) => panic!("{e}"),
        }
    }
    println!("a realistic graded attempt: {then} characters; {n} fit in an empty localStorage");
    assert!(n > 100 && n < 2000, "{n}");
}
