//! Reading a model's grading defensively. The result is parsed with every collection bounded (a
//! reply of hundreds of thousands of quotes costs little more than one of eight), and checked
//! against the rubric: unknown criteria and invalid verdicts are dropped and reported, missing
//! criteria stay ungraded (never invented), and every quoted piece of evidence is checked against
//! the learner's text. *Where* in a reply the result may be read from is decided by
//! [`super::reader`]: never from text that came from the learner.

use super::quotes;
use crate::taxonomy::Verdict;
use serde::de::{value::MapAccessDeserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// Quotes kept per criterion; the rest are skipped unread (a grader needs two or three).
pub const MAX_QUOTES: usize = 8;
/// Characters kept of any one text field or quote.
pub const MAX_FIELD_CHARS: usize = 4_000;
/// Criterion entries read from one reply (a rubric has a handful).
pub const MAX_ITEMS: usize = 64;

/// A quote the model gave as evidence, and whether it is really in the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The quote, as the model wrote it.
    pub quote: String,
    /// Whether it occurs in the learner's answer.
    pub verified: bool,
}

/// The model's verdict on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionGrade {
    /// Criterion id.
    pub id: String,
    /// Caught, partial or missed.
    pub verdict: Verdict,
    /// Quotes from the answer.
    pub evidence: Vec<Evidence>,
    /// Why it matters.
    pub why: String,
}

/// A direct answer to something the learner was unsure of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uncertainty {
    /// What they were unsure of.
    pub concern: String,
    /// The answer.
    pub answer: String,
}

/// A validated grading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// Verdicts, in rubric order, for the criteria the model graded validly.
    pub criteria: Vec<CriterionGrade>,
    /// Criteria the model did not grade (validly): shown as not graded, never guessed.
    pub ungraded: Vec<String>,
    /// Answers to the learner's stated uncertainties.
    pub uncertainties: Vec<Uncertainty>,
    /// The failure mode most people miss, and whether this answer did.
    pub missed_failure_mode: String,
    /// One thing to practise next.
    pub focus_next: String,
    /// A short overall read.
    pub overall: String,
    /// What was wrong with the reply and has been corrected or ignored, for the learner to see.
    pub problems: Vec<String>,
}

/// A reply that cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    /// Nothing came back.
    #[error("the model returned nothing")]
    Empty,
    /// Not JSON, even after repair.
    #[error("the model's reply is not the structured result that was asked for ({0})")]
    NotJson(String),
    /// JSON, but no valid verdict in it.
    #[error("the model's reply contains no usable verdict on any rubric criterion")]
    NoVerdicts,
    /// The reply repeats the fenced answer's boundary marker: it is echoing the prompt, and
    /// nothing in it can be told apart from the learner's text.
    #[error("the model repeated the learner's fenced text instead of grading it")]
    EchoedFence,
    /// The only result in the reply is one the learner wrote in their answer.
    #[error("the only result in the model's reply is text copied from the learner's answer")]
    EchoedAnswer,
}

/// Keeps a string field, cut to [`MAX_FIELD_CHARS`]; any other JSON type reads as empty.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Text(pub(crate) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor).map(Text)
    }
}

struct TextVisitor;

fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_FIELD_CHARS) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Visits anything: strings are kept (cut), every other value is skipped without allocating.
macro_rules! skip_others {
    () => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Default::default())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Default::default())
        }
    };
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(cut(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<String, A::Error> {
        while s.next_element::<IgnoredAny>()?.is_some() {}
        Ok(String::new())
    }
    skip_others!();
}

/// Evidence: one string or a list of them; the first [`MAX_QUOTES`] strings are kept.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Quotes(Vec<String>);

impl<'de> Deserialize<'de> for Quotes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("quotes")
            }
            fn visit_str<E>(self, s: &str) -> Result<Vec<String>, E> {
                // A blank quote is no evidence (the list form drops them too).
                Ok(if s.trim().is_empty() {
                    vec![]
                } else {
                    vec![cut(s)]
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Vec<String>, A::Error> {
                let mut out = Vec::new();
                loop {
                    if out.len() < MAX_QUOTES {
                        match s.next_element::<Text>()? {
                            Some(Text(q)) if !q.trim().is_empty() => out.push(q),
                            Some(_) => {}
                            None => break,
                        }
                    } else if s.next_element::<IgnoredAny>()?.is_none() {
                        break;
                    }
                }
                Ok(out)
            }
            skip_others!();
        }
        d.deserialize_any(V).map(Quotes)
    }
}

/// A list of which the first `N` objects are read (as `T`); anything else is skipped unread.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FirstN<T, const N: usize>(Vec<T>);

impl<T, const N: usize> Default for FirstN<T, N> {
    fn default() -> Self {
        FirstN(Vec::new())
    }
}

/// One element of a list: an object read as `T`, or anything else skipped.
pub(crate) struct Lenient<T>(pub(crate) Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Lenient<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(m)).map(|t| Lenient(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for FirstN<T, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, const N: usize>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for V<T, N> {
            type Value = FirstN<T, N>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                loop {
                    if out.len() < N {
                        match s.next_element::<Lenient<T>>()? {
                            Some(Lenient(Some(t))) => out.push(t),
                            Some(Lenient(None)) => {}
                            None => break,
                        }
                    } else if s.next_element::<IgnoredAny>()?.is_none() {
                        break;
                    }
                }
                Ok(FirstN(out))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(FirstN::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(FirstN::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(FirstN::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(FirstN::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(FirstN::default())
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(FirstN::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(FirstN::default())
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// One criterion entry as the model wrote it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RawCriterion {
    id: Text,
    verdict: Text,
    evidence: Quotes,
    why: Text,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawUncertainty {
    concern: Text,
    answer: Text,
}

/// A whole result as the model wrote it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawGrade {
    criteria: FirstN<RawCriterion, MAX_ITEMS>,
    uncertainties: FirstN<RawUncertainty, 16>,
    missed_failure_mode: Text,
    focus_next: Text,
    overall: Text,
}

/// Reads one criterion entry (`{"id":…,"verdict":…}`), bounded; `None` if it is not JSON.
pub(crate) fn raw_criterion(json: &str) -> Option<RawCriterion> {
    serde_json::from_str::<Lenient<RawCriterion>>(json)
        .ok()
        .and_then(|l| l.0)
}

/// Checks one criterion entry against the rubric and the answer. `Err` is the problem to report.
pub(crate) fn check_criterion(
    raw: RawCriterion,
    criterion_ids: &[String],
    answer_text: &str,
    graded: &[CriterionGrade],
) -> Result<CriterionGrade, String> {
    let id = raw.id.0.trim().to_string();
    if !criterion_ids.contains(&id) {
        return Err(format!(
            "The model graded \u{201c}{id}\u{201d}, which is not a criterion of this rubric; ignored."
        ));
    }
    if graded.iter().any(|g| g.id == id) {
        return Err(format!(
            "The model graded \u{201c}{id}\u{201d} twice; the first verdict is used."
        ));
    }
    let Some(verdict) = Verdict::from_slug(raw.verdict.0.trim()) else {
        return Err(format!(
            "The verdict on \u{201c}{id}\u{201d} is not caught, partial or missed; it is not counted."
        ));
    };
    let evidence = raw
        .evidence
        .0
        .into_iter()
        .map(|q| Evidence {
            verified: quotes::is_in(&q, answer_text),
            quote: q,
        })
        .collect();
    Ok(CriterionGrade {
        id,
        verdict,
        evidence,
        why: raw.why.0.trim().to_string(),
    })
}

/// Validates one JSON result (already located by the reader) against the rubric's criterion ids
/// and the learner's text.
pub fn validate_result(
    json: &str,
    criterion_ids: &[String],
    answer_text: &str,
) -> Result<Grade, Unusable> {
    let raw: RawGrade = match serde_json::from_str::<Lenient<RawGrade>>(json) {
        Ok(Lenient(Some(g))) => g,
        Ok(Lenient(None)) => return Err(Unusable::NotJson("not a JSON object".into())),
        Err(e) => return Err(Unusable::NotJson(e.to_string())),
    };
    let mut problems = Vec::new();
    let mut graded: Vec<CriterionGrade> = Vec::new();
    for item in raw.criteria.0 {
        match check_criterion(item, criterion_ids, answer_text, &graded) {
            Ok(g) => graded.push(g),
            Err(p) => problems.push(p),
        }
    }
    if graded.is_empty() {
        return Err(Unusable::NoVerdicts);
    }
    graded.sort_by_key(|g| criterion_ids.iter().position(|id| *id == g.id));
    let ungraded = ungraded(criterion_ids, &graded);
    if !ungraded.is_empty() {
        problems.push(format!(
            "The model did not grade {}; {} left ungraded rather than guessed.",
            ungraded.join(", "),
            if ungraded.len() == 1 {
                "it is"
            } else {
                "they are"
            }
        ));
    }
    let uncertainties = raw
        .uncertainties
        .0
        .into_iter()
        .map(|u| Uncertainty {
            concern: u.concern.0.trim().to_string(),
            answer: u.answer.0.trim().to_string(),
        })
        .filter(|u| !u.answer.is_empty())
        .collect();
    Ok(Grade {
        criteria: graded,
        ungraded,
        uncertainties,
        missed_failure_mode: raw.missed_failure_mode.0.trim().to_string(),
        focus_next: raw.focus_next.0.trim().to_string(),
        overall: raw.overall.0.trim().to_string(),
        problems,
    })
}

/// The rubric's criteria that `graded` does not cover, in rubric order.
pub(crate) fn ungraded(criterion_ids: &[String], graded: &[CriterionGrade]) -> Vec<String> {
    criterion_ids
        .iter()
        .filter(|id| !graded.iter().any(|g| g.id == **id))
        .cloned()
        .collect()
}

/// Reads a whole reply at once: where the result is, whether it is the model's own, and what it
/// says. The browser and `leap calibrate` read replies through the same [`super::reader`].
pub fn validate(
    raw: &str,
    criterion_ids: &[String],
    answer_text: &str,
    boundary: &str,
) -> Result<Grade, Unusable> {
    let mut r = super::reader::ReplyReader::new(criterion_ids, answer_text, boundary);
    r.push(raw);
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<String> {
        vec![
            "global-push".into(),
            "kill-switch".into(),
            "simulate".into(),
        ]
    }

    const ANSWER: &str = "Every PoP failed at once, so it is the 13:42 rule push. Kill switch now.";
    const B: &str = "leap-0123456789abcdef";

    #[test]
    fn a_good_reply_is_read_and_its_quotes_checked() {
        let raw = r#"{"criteria":[
            {"id":"kill-switch","verdict":"caught","evidence":["Kill switch now."],"why":"w2"},
            {"id":"global-push","verdict":"partial","evidence":["Every PoP failed at once","the regex backtracks"],"why":"w1"},
            {"id":"simulate","verdict":"missed","evidence":[],"why":"w3"}],
            "uncertainties":[{"concern":"DNS?","answer":"No: it was staged."}],
            "missed_failure_mode":"fm","focus_next":"fn","overall":"ov"}"#;
        let g = validate(raw, &ids(), ANSWER, B).unwrap();
        assert_eq!(
            g.criteria
                .iter()
                .map(|c| (c.id.as_str(), c.verdict))
                .collect::<Vec<_>>(),
            [
                ("global-push", Verdict::Partial),
                ("kill-switch", Verdict::Caught),
                ("simulate", Verdict::Missed)
            ]
        );
        assert_eq!(
            g.criteria[0]
                .evidence
                .iter()
                .map(|e| e.verified)
                .collect::<Vec<_>>(),
            [true, false]
        );
        assert!(g.problems.is_empty() && g.ungraded.is_empty());
        assert_eq!(g.uncertainties[0].answer, "No: it was staged.");
    }

    #[test]
    fn unknown_duplicate_and_invalid_verdicts_are_dropped_and_missing_ones_never_invented() {
        let raw = r#"```json
        {"criteria":[{"id":"global-push","verdict":"caught","evidence":"Every PoP failed at once","why":""},
                     {"id":"global-push","verdict":"missed","evidence":[],"why":""},
                     {"id":"bonus-points","verdict":"caught","evidence":[],"why":""},
                     {"id":"kill-switch","verdict":"mostly","evidence":[],"why":""}]}
        ```"#;
        let g = validate(raw, &ids(), ANSWER, B).unwrap();
        assert_eq!(g.criteria.len(), 1);
        assert!(g.criteria[0].evidence[0].verified);
        assert_eq!(g.ungraded, ["kill-switch", "simulate"]);
        assert_eq!(g.problems.len(), 4, "{:?}", g.problems);
        assert!(g.problems[3].starts_with("The model did not grade kill-switch, simulate"));
    }

    #[test]
    fn a_truncated_reply_is_completed_to_its_last_whole_value() {
        let raw = r#"{"criteria":[{"id":"global-push","verdict":"caught","evidence":["Every PoP"],"why":"because"},{"id":"kill-switch","verdict":"cau"#;
        let g = validate(raw, &ids(), ANSWER, B).unwrap();
        assert_eq!(g.criteria.len(), 1, "{g:?}");
        assert!(g.problems[0].starts_with("The reply was cut off"));
        assert_eq!(g.ungraded, ["kill-switch", "simulate"]);
    }

    #[test]
    fn unusable_replies_are_named() {
        assert_eq!(validate("", &ids(), ANSWER, B), Err(Unusable::Empty));
        assert!(matches!(
            validate("I cannot help with that.", &ids(), ANSWER, B),
            Err(Unusable::NotJson(_))
        ));
        assert_eq!(
            validate(
                r#"{"criteria":[{"id":"nope","verdict":"caught"}]}"#,
                &ids(),
                ANSWER,
                B
            ),
            Err(Unusable::NoVerdicts)
        );
    }

    #[test]
    fn blank_evidence_is_no_evidence_in_either_form() {
        // Found by the reply_reader fuzz target: a single blank string was kept as a quote.
        for evidence in [r#"" ""#, r#""""#, r#"[" ", ""]"#] {
            let raw = format!(
                r#"{{"criteria":[{{"id":"simulate","verdict":"missed","evidence":{evidence}}}]}}"#
            );
            let g = validate(&raw, &ids(), ANSWER, B).unwrap();
            assert!(g.criteria[0].evidence.is_empty(), "{evidence}: {g:?}");
        }
    }

    #[test]
    fn wrong_types_read_as_empty_and_huge_collections_are_bounded() {
        let mut raw = String::from(
            r#"{"criteria":[7,"x",{"id":"simulate","verdict":"missed","why":{"a":1},"evidence":["#,
        );
        for i in 0..50_000 {
            raw.push_str(&format!("\"q{i}\","));
        }
        raw.push_str(r#""last"]}],"overall":["not","text"],"uncertainties":"none"}"#);
        let g = validate(&raw, &ids(), ANSWER, B).unwrap();
        assert_eq!(g.criteria[0].evidence.len(), MAX_QUOTES);
        assert_eq!(g.criteria[0].why, "");
        assert_eq!(g.overall, "");
        let long = "x".repeat(MAX_FIELD_CHARS * 3);
        let raw =
            format!(r#"{{"criteria":[{{"id":"simulate","verdict":"missed","why":"{long}"}}]}}"#);
        let g = validate(&raw, &ids(), ANSWER, B).unwrap();
        assert_eq!(g.criteria[0].why.chars().count(), MAX_FIELD_CHARS);
    }
}
