//! Reading stored entries of any version: current ones as they are, older ones through the chain
//! of migrations below, and anything else (unknown version, damaged JSON) reported as unreadable
//! so the caller can set it aside.

use super::schema::VERSION;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What reading an entry found.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded<T> {
    /// A current entry.
    Current(T),
    /// An entry of an older version, migrated to the current one (write it back when convenient).
    Migrated(T),
    /// Not readable by this version; the reason says why.
    Unreadable(String),
}

/// One step that turns an entry of version `n` into version `n + 1`. `MIGRATIONS[i]` upgrades
/// version `i + 1`.
type Step = fn(Value) -> Result<Value, String>;
const MIGRATIONS: &[Step] = &[v1_to_v2, v2_to_v3, v3_to_v4];

/// Version 2 gave attempts the evaluator's feedback: version 1 attempts have none yet.
fn v1_to_v2(mut v: Value) -> Result<Value, String> {
    let obj = v.as_object_mut().ok_or("it is not a JSON object")?;
    if obj.contains_key("outcome") {
        obj.entry("feedback")
            .or_insert_with(|| Value::Array(vec![]));
    }
    Ok(v)
}

/// Version 3 gave drafts and attempts an investigation's log and attempts the verdicts decided
/// from it: entries written before have neither (both fields default to none), so only the version
/// changes.
fn v2_to_v3(v: Value) -> Result<Value, String> {
    v.as_object().ok_or("it is not a JSON object")?;
    Ok(v)
}

/// Version 4 gave drafts a time box and attempts their timing (timed mode): entries written
/// before were untimed, and their time taken was never recorded, so both stay none (an attempt's
/// start and finish remain, but an untimed draft's start is when the page opened, not a time
/// worth reporting after the fact).
fn v3_to_v4(v: Value) -> Result<Value, String> {
    v.as_object().ok_or("it is not a JSON object")?;
    Ok(v)
}

/// Reads a stored entry as `T`, migrating older versions.
///
/// `T` is only ever read from JSON text, never from a `serde_json::Value`: each way of reading
/// would otherwise compile the whole schema's deserialisers a second time into every bundle that
/// reads entries. A current entry (nearly all of them) is read straight from its text; anything
/// else goes through a `Value` for its migrations, and back to text.
pub fn decode<T: DeserializeOwned>(raw: &str) -> Decoded<T> {
    let (version, text) = match migrated_text(raw) {
        Err(reason) => return Decoded::Unreadable(reason),
        Ok(None) => (VERSION, None),
        Ok(Some((version, text))) => (version, Some(text)),
    };
    match serde_json::from_str(text.as_deref().unwrap_or(raw)) {
        Ok(t) if version < VERSION => Decoded::Migrated(t),
        Ok(t) => Decoded::Current(t),
        Err(e) => Decoded::Unreadable(mismatch(version, &e)),
    }
}

/// The text of a stored entry in the current schema: `Migrated` with the upgraded text when it is
/// of an older version and its upgrade reads as a `T`, `Current` with the text as it is when it
/// is already current (not read any further), `Unreadable` otherwise.
///
/// For moving entries between stores: the upgraded text comes from the migrations' JSON, so the
/// move needs no encoder of `T` (a bundle that only reads attempts carries none). It is not the
/// text encoding the `T` would give (its keys may come in another order), but it reads as the
/// same `T`.
pub fn upgrade<T: DeserializeOwned>(raw: &str) -> Decoded<String> {
    match migrated_text(raw) {
        Err(reason) => Decoded::Unreadable(reason),
        Ok(Some((version, text))) if version < VERSION => match serde_json::from_str::<T>(&text) {
            Ok(_) => Decoded::Migrated(text),
            Err(e) => Decoded::Unreadable(mismatch(version, &e)),
        },
        Ok(_) => Decoded::Current(raw.to_string()),
    }
}

/// `None` for an entry whose head says it is current (read it as it is); otherwise its version
/// and its text after every migration from that version on, or why it cannot be upgraded.
fn migrated_text(raw: &str) -> Result<Option<(u32, String)>, String> {
    if head_version(raw) == Some(VERSION) {
        return Ok(None);
    }
    let mut value: Value =
        serde_json::from_str(raw).map_err(|e| format!("not valid JSON ({e})"))?;
    let Some(version) = value.get("v").and_then(Value::as_u64) else {
        return Err("it has no schema version".to_string());
    };
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version == 0 || version > VERSION {
        return Err(format!("it was written by another version of the site (schema {version}, this one reads 1 to {VERSION})"));
    }
    for step in &MIGRATIONS[(version - 1) as usize..] {
        value = step(value)
            .map_err(|e| format!("it could not be upgraded from schema {version}: {e}"))?;
    }
    if let Some(obj) = value.as_object_mut() {
        obj.insert("v".into(), Value::from(VERSION));
    }
    Ok(Some((version, value.to_string())))
}

fn mismatch(version: u32, e: &serde_json::Error) -> String {
    format!("its content does not match schema {version} ({e})")
}

/// The schema version of an entry that is a JSON object with a whole-number `v`, read without
/// building the entry; `None` for anything else (the full reading then says what is wrong).
fn head_version(raw: &str) -> Option<u32> {
    /// Every field but `v` is skipped unread.
    #[derive(serde::Deserialize)]
    struct Head {
        v: u32,
    }
    // A derived struct also reads a JSON list (by position); an entry is always an object.
    if !raw.trim_start().starts_with('{') {
        return None;
    }
    serde_json::from_str::<Head>(raw).ok().map(|h| h.v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::schema::Draft;

    #[test]
    fn reads_current_and_rejects_the_rest() {
        let good = r#"{"v":4,"id":"a","scenario":{"title":"t","track":"backend","level":null,"competencies":[]},"answer":{"reasoning":"r","uncertainty":"","commitment":"","confidence":null},"started_at":1,"updated_at":2,"rev":3,"writer":"w"}"#;
        assert!(matches!(decode::<Draft>(good), Decoded::Current(d) if d.rev == 3));
        assert!(
            matches!(decode::<Draft>("{not json"), Decoded::Unreadable(r) if r.starts_with("not valid JSON"))
        );
        assert!(
            matches!(decode::<Draft>(r#"{"id":"a"}"#), Decoded::Unreadable(r) if r == "it has no schema version")
        );
        assert!(
            matches!(decode::<Draft>(r#"{"v":99}"#), Decoded::Unreadable(r) if r.contains("schema 99"))
        );
        assert!(
            matches!(decode::<Draft>(r#"{"v":1,"id":5}"#), Decoded::Unreadable(r) if r.starts_with("its content does not match"))
        );
    }

    #[test]
    fn a_current_entry_is_read_from_its_text_as_it_was_through_a_value() {
        use crate::storage::schema::Attempt;
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/storage/");
        let raw = std::fs::read_to_string(format!("{root}v{VERSION}/attempt.json")).unwrap();
        let through_value: Attempt =
            serde_json::from_value(serde_json::from_str::<Value>(&raw).unwrap()).unwrap();
        assert!(matches!(decode::<Attempt>(&raw), Decoded::Current(a) if a == through_value));
        // Older entries still migrate, by the same chain.
        let old = std::fs::read_to_string(format!("{root}v1/attempt.json")).unwrap();
        assert!(matches!(decode::<Attempt>(&old), Decoded::Migrated(a) if a.feedback.is_empty()));
    }

    #[test]
    fn odd_shapes_read_as_before() {
        // A list would match a struct by position: it is not an entry, whatever it holds.
        assert!(
            matches!(decode::<Draft>(&format!("[{VERSION}]")), Decoded::Unreadable(r) if r == "it has no schema version")
        );
        // A version that is not a whole number, or is out of range, is not taken for one.
        assert!(
            matches!(decode::<Draft>(r#"{"v":4.0}"#), Decoded::Unreadable(r) if r == "it has no schema version")
        );
        assert!(
            matches!(decode::<Draft>(r#"{"v":4294967300}"#), Decoded::Unreadable(r) if r.contains("schema 4294967295"))
        );
        // A current entry that does not match the schema, and one that is damaged after `v`.
        assert!(
            matches!(decode::<Draft>(&format!(r#"{{"v":{VERSION},"id":5}}"#)), Decoded::Unreadable(r) if r.starts_with(&format!("its content does not match schema {VERSION}")))
        );
        assert!(
            matches!(decode::<Draft>(&format!(r#"{{"v":{VERSION},"id":"#)), Decoded::Unreadable(r) if r.starts_with("not valid JSON"))
        );
    }

    #[test]
    fn an_upgraded_text_reads_as_the_entry_the_old_one_decodes_to() {
        use crate::storage::schema::Attempt;
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/storage/");
        for v in 1..=VERSION {
            for name in ["attempt.json", "gave-up.json"] {
                let Ok(raw) = std::fs::read_to_string(format!("{root}v{v}/{name}")) else {
                    continue;
                };
                let (Decoded::Current(a) | Decoded::Migrated(a)) = decode::<Attempt>(&raw) else {
                    panic!("v{v}/{name} does not decode");
                };
                match upgrade::<Attempt>(&raw) {
                    Decoded::Migrated(text) => {
                        assert!(v < VERSION, "v{v}/{name}");
                        // Current now, and the same attempt, read straight from its text.
                        assert_eq!(head_version(&text), Some(VERSION), "v{v}/{name}");
                        assert!(
                            matches!(decode::<Attempt>(&text), Decoded::Current(b) if b == a),
                            "v{v}/{name}"
                        );
                    }
                    Decoded::Current(text) => {
                        assert_eq!(v, VERSION, "v{v}/{name}");
                        assert_eq!(text, raw);
                    }
                    Decoded::Unreadable(r) => panic!("v{v}/{name}: {r}"),
                }
            }
        }
    }

    #[test]
    fn an_entry_that_cannot_be_upgraded_says_why_as_decoding_does() {
        use crate::storage::schema::Attempt;
        for raw in [
            r#"{"v":99}"#,
            "{not json",
            r#"{"id":"a"}"#,
            r#"{"v":1,"id":5}"#,
        ] {
            let (Decoded::Unreadable(a), Decoded::Unreadable(b)) =
                (upgrade::<Attempt>(raw), decode::<Attempt>(raw))
            else {
                panic!("{raw} was read");
            };
            assert_eq!(a, b, "{raw}");
        }
    }
}
