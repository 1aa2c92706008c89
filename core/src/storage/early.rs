//! Text typed before the app takes over (issue 11). A scenario page is pre-rendered with the
//! editor's form, so the learner can write as soon as the page is readable; a small script of the
//! page (`leap build` writes it, see `site::EARLY_SCRIPT`) stores what is typed there under
//! [`Key::Early`](super::keys::Key::Early) in `localStorage`, on every keystroke, in the format
//! below. When the app takes over it merges that text, and what is on the page at that moment,
//! into the saved draft, saves the draft and removes the entry.
//!
//! The merge rule, per text field: nothing typed is ever dropped. Text that continues the other
//! (the page showed the saved draft and the learner wrote on; or the page's text is what the
//! script stored) simply replaces it; text already contained in the other adds nothing; otherwise
//! both are kept, the older first, then [`MARKER`] on a line of its own, then the newer. A
//! confidence set before take-over wins over the draft's, being the learner's latest.

use super::schema::Answer;
use serde::{Deserialize, Serialize};

/// What the page's script stores: the schema version, the four fields, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlyDraft {
    /// Schema version (the script is written with the build's).
    pub v: u32,
    /// The text and confidence on the pre-rendered form.
    pub answer: Answer,
    /// When it was last written (ms since the Unix epoch).
    pub updated_at: u64,
}

/// The line between two texts that were both kept: the saved one above, the one typed while the
/// page was loading below.
pub const MARKER: &str = "(Typed while the page was loading:)";

/// The result of a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The answer to put on screen and save.
    pub answer: Answer,
    /// Whether some field kept two texts, one after the other under [`MARKER`].
    pub kept_both: bool,
}

/// Merges `newer` (typed later) into `older` by the rule in the module's documentation.
pub fn merge(older: &Answer, newer: &Answer) -> Merged {
    let mut kept_both = false;
    let mut field = |a: &str, b: &str| {
        let (text, both) = merge_text(a, b);
        kept_both |= both;
        text
    };
    let answer = Answer {
        reasoning: field(&older.reasoning, &newer.reasoning),
        uncertainty: field(&older.uncertainty, &newer.uncertainty),
        commitment: field(&older.commitment, &newer.commitment),
        confidence: newer.confidence.or(older.confidence),
    };
    Merged { answer, kept_both }
}

fn merge_text(older: &str, newer: &str) -> (String, bool) {
    let (o, n) = (older.trim(), newer.trim());
    if n.is_empty() || o.contains(n) {
        (older.to_string(), false)
    } else if o.is_empty() || n.contains(o) {
        (newer.to_string(), false)
    } else {
        (format!("{}\n\n{MARKER}\n{}", older.trim_end(), newer), true)
    }
}

/// Everything typed before take-over: what the script stored (`stored`, perhaps on an earlier
/// visit that was left before the app arrived) and what is on the page now (`on_page`, the
/// newest). `None` when neither holds anything.
pub fn typed_before_take_over(
    stored: Option<&EarlyDraft>,
    on_page: Option<&Answer>,
) -> Option<Answer> {
    let answer = match (stored, on_page) {
        (Some(s), Some(p)) => merge(&s.answer, p).answer,
        (Some(s), None) => s.answer.clone(),
        (None, Some(p)) => p.clone(),
        (None, None) => return None,
    };
    (!answer.is_empty()).then_some(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::migrate::{decode, Decoded};

    fn answer(reasoning: &str, confidence: Option<u8>) -> Answer {
        Answer {
            reasoning: reasoning.into(),
            confidence,
            ..Answer::default()
        }
    }

    #[test]
    fn text_that_continues_the_other_replaces_it() {
        let saved = answer("The cache is cold", None);
        let m = merge(
            &saved,
            &answer("The cache is cold after the deploy", Some(70)),
        );
        assert_eq!(
            m.answer,
            answer("The cache is cold after the deploy", Some(70))
        );
        assert!(!m.kept_both);
        // Nothing typed before take-over changes nothing, and keeps the draft's confidence.
        assert_eq!(
            merge(&answer("x", Some(40)), &Answer::default()).answer,
            answer("x", Some(40))
        );
        // Nothing saved: the typed text is the draft.
        assert_eq!(merge(&Answer::default(), &saved).answer, saved);
    }

    #[test]
    fn text_already_in_the_draft_adds_nothing() {
        let saved = answer("Roll back first. Then look at the config.", None);
        let m = merge(&saved, &answer("Roll back first.", None));
        assert_eq!(m.answer, saved);
        assert!(!m.kept_both);
    }

    #[test]
    fn two_different_texts_are_both_kept_the_older_first_under_a_marker() {
        let m = merge(
            &answer("Saved yesterday.\n", Some(30)),
            &answer("Typed today", None),
        );
        assert_eq!(
            m.answer.reasoning,
            format!("Saved yesterday.\n\n{MARKER}\nTyped today")
        );
        assert_eq!(m.answer.confidence, Some(30));
        assert!(m.kept_both);
        // Merging again (the entry could not be removed, and the next visit merges it once more)
        // adds nothing: both texts are already there.
        let again = merge(&m.answer, &answer("Typed today", None));
        assert_eq!(again.answer, m.answer);
        assert!(!again.kept_both);
    }

    #[test]
    fn each_field_is_merged_on_its_own() {
        let older = Answer {
            reasoning: "r".into(),
            uncertainty: "u old".into(),
            commitment: String::new(),
            confidence: None,
        };
        let newer = Answer {
            reasoning: "r and more".into(),
            uncertainty: "other".into(),
            commitment: "ship it".into(),
            confidence: Some(5),
        };
        let m = merge(&older, &newer);
        assert_eq!(m.answer.reasoning, "r and more");
        assert_eq!(m.answer.uncertainty, format!("u old\n\n{MARKER}\nother"));
        assert_eq!(m.answer.commitment, "ship it");
        assert_eq!(m.answer.confidence, Some(5));
    }

    #[test]
    fn what_was_typed_before_take_over_joins_the_stored_entry_and_the_page() {
        let stored = EarlyDraft {
            v: crate::storage::schema::VERSION,
            answer: answer("typed before a reload", None),
            updated_at: 1,
        };
        // The page shows the stored text and the learner wrote on: the page has it all.
        let page = answer("typed before a reload, and after it", None);
        assert_eq!(
            typed_before_take_over(Some(&stored), Some(&page)),
            Some(page.clone())
        );
        // The page could not show it (its script did not run): both are kept.
        let other = answer("only this visit", None);
        let both = typed_before_take_over(Some(&stored), Some(&other)).unwrap();
        assert!(
            both.reasoning.starts_with("typed before a reload")
                && both.reasoning.ends_with("only this visit")
        );
        assert_eq!(
            typed_before_take_over(Some(&stored), None),
            Some(stored.answer.clone())
        );
        assert_eq!(typed_before_take_over(None, Some(&Answer::default())), None);
        assert_eq!(typed_before_take_over(None, None), None);
    }

    #[test]
    fn the_repo_reads_the_entry_and_sets_a_damaged_one_aside() {
        use crate::storage::keys::Key;
        use crate::storage::kv::{KeyValue, MemoryStore};
        use crate::storage::repo::{Notice, Repo};
        let key = Key::Early {
            pack: "core".into(),
            scenario: "s".into(),
        }
        .render();
        assert_eq!(key, "leap:core:s:early");
        let mut store = MemoryStore::new();
        store
            .set(&key, r#"{"v":3,"answer":{"reasoning":"r","uncertainty":"","commitment":"","confidence":null},"updated_at":5}"#)
            .unwrap();
        let mut repo = Repo::new(store);
        assert_eq!(
            repo.early("core", "s").unwrap().unwrap().answer.reasoning,
            "r"
        );
        // It is no draft and no attempt: the scenario's state does not list it.
        assert_eq!(repo.scenario("core", "s").unwrap(), Default::default());
        repo.write_raw(&key, "{ torn").unwrap();
        assert_eq!(repo.early("core", "s").unwrap(), None);
        assert!(matches!(&repo.notices[..], [Notice::SetAside { key: k, .. }] if *k == key));
        assert_eq!(
            repo.store()
                .get(&format!("leap:aside:{key}"))
                .unwrap()
                .as_deref(),
            Some("{ torn")
        );
    }

    #[test]
    fn the_scripts_format_is_read_and_bad_entries_are_unreadable() {
        // The script writes the schema version this build reads (see `site::early_script`).
        let raw = format!(
            r#"{{"v":{},"answer":{{"reasoning":"a","uncertainty":"","commitment":"c","confidence":55}},"updated_at":1700000000000}}"#,
            crate::storage::schema::VERSION
        );
        match decode::<EarlyDraft>(&raw) {
            Decoded::Current(e) => {
                assert_eq!(e.answer.reasoning, "a");
                assert_eq!(e.answer.confidence, Some(55));
            }
            other => panic!("{other:?}"),
        }
        for bad in [
            r#"{"v":3,"answer":{"reasoning":"a","uncertainty":"","commitment":"","confidence":300},"updated_at":1}"#,
            r#"{"v":3,"answer":"a","updated_at":1}"#,
            "{",
        ] {
            assert!(
                matches!(decode::<EarlyDraft>(bad), Decoded::Unreadable(_)),
                "{bad}"
            );
        }
    }
}
