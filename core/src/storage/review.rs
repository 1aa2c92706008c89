//! The review queue as stored and exported: one entry, `leap:review`, with a small shape of its own
//! and its own version `v` (the queue changes on its own schedule, not with drafts and attempts):
//! `{"v": 1, "cards": [...], "made_from": [...]}`.
//!
//! The header reads the number of cards due on every page, the catalog's included, so that reader
//! ([`due_count`]) looks at nothing but each card's `due`.

use crate::drills::Queue;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The queue's shape version this build writes and reads.
pub const QUEUE_VERSION: u32 = 1;

/// The stored queue, or why it cannot be read (the caller sets it aside).
pub fn decode(raw: &str) -> Result<Queue, String> {
    let value: Value = serde_json::from_str(raw).map_err(|e| format!("not valid JSON ({e})"))?;
    decode_value(value)
}

/// A queue from a JSON value (a stored entry, or the `review` field of an export).
pub fn decode_value(value: Value) -> Result<Queue, String> {
    let Some(version) = value.get("v").and_then(Value::as_u64) else {
        return Err("it has no version".to_string());
    };
    if version != u64::from(QUEUE_VERSION) {
        return Err(format!(
            "it was written by another version of the site (review queue version {version}, this one reads {QUEUE_VERSION})"
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        format!("its content does not match review queue version {QUEUE_VERSION} ({e})")
    })
}

/// The queue with its version, as stored and exported.
pub fn encode_value(queue: &Queue) -> Value {
    let mut value = serde_json::to_value(queue).unwrap_or(Value::Null);
    if let Some(obj) = value.as_object_mut() {
        obj.insert("v".into(), Value::from(QUEUE_VERSION));
    }
    value
}

/// How many cards are due at `now` in a stored queue; 0 for anything unreadable (the page that
/// reads the whole queue sets that aside and says so).
pub fn due_count(raw: &str, now: u64) -> usize {
    #[derive(Deserialize)]
    struct Due {
        due: u64,
    }
    #[derive(Deserialize)]
    struct Dues {
        v: u32,
        cards: Vec<Due>,
    }
    serde_json::from_str::<Dues>(raw)
        .ok()
        .filter(|q| q.v == QUEUE_VERSION)
        .map_or(0, |q| q.cards.iter().filter(|c| c.due <= now).count())
}

/// Serde for an export's `review` field: the queue with its version.
pub mod versioned {
    use super::*;

    /// Writes the queue with its version.
    pub fn serialize<S: serde::Serializer>(q: &Option<Queue>, s: S) -> Result<S::Ok, S::Error> {
        q.as_ref().map(encode_value).serialize(s)
    }

    /// Reads the queue, checking its version.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Queue>, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(v) => decode_value(v).map(Some).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::drills::{Card, Source, DAY_MS};

    pub(crate) fn card(criterion: &str, now: u64) -> Card {
        Card::new(
            Source {
                pack: "core",
                slug: "edge",
                title: "Edge",
                situation: "One. Two. Three.",
                artifact: None,
                artifact_anchor: None,
            },
            criterion,
            "insight",
            false,
            now,
        )
    }

    #[test]
    fn the_queue_round_trips_with_its_version_and_the_header_counts_what_is_due() {
        let mut q = Queue::default();
        q.add(card("a", 0));
        q.add(card("b", DAY_MS));
        q.made_from.push("x".into());
        let raw = encode_value(&q).to_string();
        assert!(raw.contains("\"v\":1"), "{raw}");
        assert_eq!(decode(&raw).unwrap(), q);
        assert_eq!(due_count(&raw, 0), 0);
        assert_eq!(due_count(&raw, DAY_MS), 1);
        assert_eq!(due_count(&raw, 2 * DAY_MS), 2);
        for bad in [
            "{ nope",
            r#"{"cards":[]}"#,
            r#"{"v":2,"cards":[]}"#,
            r#"{"v":1}"#,
        ] {
            assert!(decode(bad).is_err(), "{bad}");
            assert_eq!(due_count(bad, u64::MAX), 0);
        }
        assert!(decode(r#"{"v":2,"cards":[]}"#)
            .unwrap_err()
            .contains("review queue version 2"));
    }

    /// A queue as version 1 wrote it: every later build must still read it whole.
    #[test]
    fn a_version_1_queue_reads_with_nothing_lost() {
        let raw = include_str!("../../../tests/fixtures/storage/review-v1/queue.json");
        let q = decode(raw).unwrap();
        assert_eq!(q.made_from, ["41541267e8c08ff9"]);
        assert_eq!(
            q.cards
                .iter()
                .map(|c| (c.criterion.as_str(), c.streak, c.artifact_anchor.is_some()))
                .collect::<Vec<_>>(),
            [
                ("kill-switch-before-root-cause", 2, true),
                ("global-push", 0, false)
            ]
        );
        assert_eq!(due_count(raw, 1_800_086_400_000), 1);
        let again: Value = serde_json::from_str(raw).unwrap();
        assert_eq!(encode_value(&q), again, "written back unchanged");
    }
}
