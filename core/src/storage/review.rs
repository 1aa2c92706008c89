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
    // A current queue is read straight from its text (see `migrate::decode` for why never
    // through a `Value`); anything else goes the long way, which says what is wrong.
    if head_version(raw) == Some(QUEUE_VERSION) {
        return serde_json::from_str(raw).map_err(|e| mismatch(&e));
    }
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
    serde_json::from_str(&value.to_string()).map_err(|e| mismatch(&e))
}

fn mismatch(e: &serde_json::Error) -> String {
    format!("its content does not match review queue version {QUEUE_VERSION} ({e})")
}

/// The version of a queue that is a JSON object with a whole-number `v`, read without building
/// the queue; `None` for anything else.
fn head_version(raw: &str) -> Option<u32> {
    /// Every field but `v` is skipped unread.
    #[derive(Deserialize)]
    struct Head {
        v: u32,
    }
    // A derived struct also reads a JSON list (by position); a queue is always an object.
    if !raw.trim_start().starts_with('{') {
        return None;
    }
    serde_json::from_str::<Head>(raw).ok().map(|h| h.v)
}

/// The queue with its version, as stored and exported.
pub fn encode_value(queue: &Queue) -> Value {
    let mut value = serde_json::to_value(queue).unwrap_or(Value::Null);
    if let Some(obj) = value.as_object_mut() {
        obj.insert("v".into(), Value::from(QUEUE_VERSION));
    }
    value
}

/// How many cards are due at `now` for a learner `offset_minutes` east of UTC in a stored queue;
/// 0 for anything that is not a queue of this version (the page that reads the whole queue sets
/// such an entry aside and says so).
///
/// The header runs this on every page, the catalog's included, so it reads only the numbers it
/// needs (`v`, and each card's `due` and `interval_days`) in one pass instead of decoding
/// every card: a JSON decoder for the cards would cost the catalog's first load more than the
/// count is worth. Strings are skipped whole, escapes included, so no text a card holds can pass
/// for one of those keys.
pub fn due_count(raw: &str, now: u64, offset_minutes: i32) -> usize {
    scan(raw, now, offset_minutes).len()
}

/// The (pack, slug) of every card due at `now`, by the same one-pass reader as [`due_count`]:
/// the catalog counts each scenario's due cards with it. A pack or slug written with escapes
/// (no pack or slug of ours needs one) is kept as written.
pub fn due_cards(raw: &str, now: u64, offset_minutes: i32) -> Vec<(String, String)> {
    scan(raw, now, offset_minutes)
}

/// The due cards' (pack, slug), reading only `v` and each card's `due`, `interval_days`, `pack`
/// and `slug`; empty unless the queue is of this version.
fn scan(raw: &str, now: u64, offset_minutes: i32) -> Vec<(String, String)> {
    // Nesting: 1 is the queue object, 2 its lists, 3 a card.
    const CARD: usize = 3;
    let b = raw.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    let mut found = Vec::new();
    let mut version = None;
    let (mut due, mut interval) = (None, None);
    let (mut pack, mut slug) = (String::new(), String::new());
    let skip_space = |mut j: usize| {
        while b.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        j
    };
    // The end of the string whose opening quote is at `start - 1`.
    let string_end = |mut j: usize| {
        while j < b.len() && b[j] != b'"' {
            j += if b[j] == b'\\' { 2 } else { 1 };
        }
        j
    };
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i + 1;
                i = string_end(start);
                let text = &b[start..i.min(b.len())];
                let colon = skip_space(i + 1);
                if b.get(colon) != Some(&b':') {
                    i += 1;
                    continue;
                }
                // A key: read its value when it is a whole number, or a card's pack or slug.
                let from = skip_space(colon + 1);
                if depth == CARD && b.get(from) == Some(&b'"') && matches!(text, b"pack" | b"slug")
                {
                    let end = string_end(from + 1);
                    let value = raw.get(from + 1..end.min(b.len())).unwrap_or_default();
                    if text == b"pack" {
                        pack = value.to_string();
                    } else {
                        slug = value.to_string();
                    }
                    i = end + 1;
                    continue;
                }
                let mut to = from;
                while b.get(to).is_some_and(u8::is_ascii_digit) {
                    to += 1;
                }
                let n = raw.get(from..to).and_then(|d| d.parse::<u64>().ok());
                match (depth, text) {
                    (1, b"v") => version = n,
                    (CARD, b"due") => due = n,
                    (CARD, b"interval_days") => interval = n,
                    _ => {}
                }
                i = to;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth == CARD {
                    (due, interval) = (None, None);
                    (pack, slug) = (String::new(), String::new());
                }
            }
            b'}' | b']' => {
                if depth == CARD && b[i] == b'}' {
                    if let (Some(d), Some(days)) = (due, interval) {
                        let days = u32::try_from(days).unwrap_or(u32::MAX);
                        if crate::drills::is_due(d, days, now, offset_minutes) {
                            found.push((std::mem::take(&mut pack), std::mem::take(&mut slug)));
                        }
                    }
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        i += 1;
    }
    if version == Some(u64::from(QUEUE_VERSION)) {
        found
    } else {
        Vec::new()
    }
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
        // 08:00 UTC.
        let t = 1_800_000_000_000;
        let mut q = Queue::default();
        q.add(card("a", t));
        q.add(card("b", t + DAY_MS));
        q.made_from.push("x".into());
        let raw = encode_value(&q).to_string();
        assert!(raw.contains("\"v\":1"), "{raw}");
        assert_eq!(decode(&raw).unwrap(), q);
        assert_eq!(due_count(&raw, t, 0), 0);
        assert_eq!(due_count(&raw, t + DAY_MS, 0), 1);
        // Counted as the queue counts them: from the start of the learner's day.
        assert_eq!(due_count(&raw, t + 2 * DAY_MS - 4 * 3_600_000, 0), 2);
        assert_eq!(
            due_count(&raw, t + DAY_MS - 4 * 3_600_000, 0),
            q.due(t + DAY_MS - 4 * 3_600_000, 0).len()
        );
        for bad in [
            "{ nope",
            r#"{"cards":[]}"#,
            r#"{"v":2,"cards":[]}"#,
            r#"{"v":1}"#,
        ] {
            assert!(decode(bad).is_err(), "{bad}");
            assert_eq!(due_count(bad, u64::MAX, 0), 0);
        }
        assert!(decode(r#"{"v":2,"cards":[]}"#)
            .unwrap_err()
            .contains("review queue version 2"));
        // Read from text or through a value (an export's field), the same queue or the same reason.
        let value: Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(decode_value(value).unwrap(), q);
        for (bad, reason) in [
            ("{ nope", "not valid JSON"),
            ("[1,[]]", "it has no version"),
            (r#"{"v":1.0,"cards":[]}"#, "it has no version"),
            (
                r#"{"v":1,"cards":5}"#,
                "its content does not match review queue version 1",
            ),
            (r#"{"v":1,"cards":"#, "not valid JSON"),
        ] {
            assert!(decode(bad).unwrap_err().starts_with(reason), "{bad}");
        }
    }

    #[test]
    fn the_header_count_is_the_queues_own_whatever_the_cards_say() {
        let t = 1_800_000_000_000;
        let mut q = Queue::default();
        // Text that looks like the keys the count reads, quotes, escapes, braces, non-ASCII.
        let tricky = [
            r#"{"due":0,"interval_days":1}"#,
            r#"ends with a backslash \"#,
            r#"\","due":0,"interval_days":1},{"#,
            "tab\there, “quotes”, émoji 🚨 and a newline\n",
        ];
        for (n, text) in tricky.iter().enumerate() {
            let mut c = card(&format!("c{n}"), t + n as u64 * DAY_MS);
            c.title = text.to_string();
            c.situation = text.repeat(2);
            c.insight = format!("\\{text}\"");
            c.artifact = Some(text.to_string());
            if n > 0 {
                c.slug = format!("edge-{n}");
            }
            q.add(c);
        }
        q.review(
            "core",
            "edge",
            "c0",
            crate::drills::Recall::Again,
            t + DAY_MS,
        );
        q.made_from = vec![r#"x","cards":[{"due":0,"interval_days":1}]"#.into()];
        let raw = encode_value(&q).to_string();
        assert_eq!(decode(&raw).unwrap(), q);
        let pretty = serde_json::to_string_pretty(&encode_value(&q)).unwrap();
        for now in (0..10).map(|h| t + h * 12 * 3_600_000) {
            for offset in [-600, 0, 330] {
                let expected = q.due(now, offset).len();
                assert_eq!(due_count(&raw, now, offset), expected, "at {now} {offset}");
                assert_eq!(due_count(&pretty, now, offset), expected, "pretty");
                let by_scenario: Vec<(String, String)> = q
                    .due(now, offset)
                    .iter()
                    .map(|c| (c.pack.clone(), c.slug.clone()))
                    .collect();
                let mut read = due_cards(&pretty, now, offset);
                let mut want = by_scenario.clone();
                read.sort();
                want.sort();
                assert_eq!(read, want, "due cards at {now} {offset}");
            }
        }
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
        assert_eq!(due_count(raw, 1_800_086_400_000, 0), 1);
        let again: Value = serde_json::from_str(raw).unwrap();
        assert_eq!(encode_value(&q), again, "written back unchanged");
    }
}
