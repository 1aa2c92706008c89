//! Reading a model's grading defensively. The reply is parsed, repaired if it was cut off, and
//! checked against the rubric: unknown criteria and invalid verdicts are dropped and reported,
//! missing criteria stay ungraded (never invented), and every quoted piece of evidence is checked
//! against the learner's text.

use super::quotes;
use crate::taxonomy::Verdict;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// Nothing came back.
    Empty,
    /// Not JSON, even after repair.
    NotJson(String),
    /// JSON, but no valid verdict in it.
    NoVerdicts,
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unusable::Empty => f.write_str("the model returned nothing"),
            Unusable::NotJson(e) => write!(
                f,
                "the model's reply is not the structured result that was asked for ({e})"
            ),
            Unusable::NoVerdicts => {
                f.write_str("the model's reply contains no usable verdict on any rubric criterion")
            }
        }
    }
}

/// Validates a raw reply against the rubric's criterion ids and the learner's text.
pub fn validate(raw: &str, criterion_ids: &[String], answer_text: &str) -> Result<Grade, Unusable> {
    let text = extract_json(raw);
    if text.trim().is_empty() {
        return Err(Unusable::Empty);
    }
    let mut problems = Vec::new();
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(first) => match repair(text) {
            Some(v) => {
                problems.push(
                    "The reply was cut off; what arrived was completed and is shown below."
                        .to_string(),
                );
                v
            }
            None => return Err(Unusable::NotJson(first.to_string())),
        },
    };
    let str_field = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string()
    };

    let mut graded: Vec<CriterionGrade> = Vec::new();
    for item in value
        .get("criteria")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = str_field(item, "id");
        if !criterion_ids.contains(&id) {
            problems.push(format!("The model graded \u{201c}{id}\u{201d}, which is not a criterion of this rubric; ignored."));
            continue;
        }
        if graded.iter().any(|g| g.id == id) {
            problems.push(format!(
                "The model graded \u{201c}{id}\u{201d} twice; the first verdict is used."
            ));
            continue;
        }
        let Some(verdict) = item
            .get("verdict")
            .and_then(Value::as_str)
            .and_then(|v| Verdict::from_slug(v.trim()))
        else {
            problems.push(format!("The verdict on \u{201c}{id}\u{201d} is not caught, partial or missed; it is not counted."));
            continue;
        };
        let quotes: Vec<String> = match item.get("evidence") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => vec![],
        };
        let evidence = quotes
            .into_iter()
            .filter(|q| !q.trim().is_empty())
            .map(|q| Evidence {
                verified: quotes::is_in(&q, answer_text),
                quote: q,
            })
            .collect();
        graded.push(CriterionGrade {
            id,
            verdict,
            evidence,
            why: str_field(item, "why"),
        });
    }
    if graded.is_empty() {
        return Err(Unusable::NoVerdicts);
    }
    graded.sort_by_key(|g| criterion_ids.iter().position(|id| *id == g.id));
    let ungraded: Vec<String> = criterion_ids
        .iter()
        .filter(|id| !graded.iter().any(|g| g.id == **id))
        .cloned()
        .collect();
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
    let uncertainties = value
        .get("uncertainties")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|u| Uncertainty {
            concern: str_field(u, "concern"),
            answer: str_field(u, "answer"),
        })
        .filter(|u| !u.answer.is_empty())
        .collect();
    Ok(Grade {
        criteria: graded,
        ungraded,
        uncertainties,
        missed_failure_mode: str_field(&value, "missed_failure_mode"),
        focus_next: str_field(&value, "focus_next"),
        overall: str_field(&value, "overall"),
        problems,
    })
}

/// The JSON object inside a reply that may wrap it in a code fence or prose.
fn extract_json(raw: &str) -> &str {
    let t = raw.trim();
    match (t.find('{'), t.rfind('}')) {
        (Some(start), Some(end)) if end > start => &t[start..=end],
        (Some(start), _) => &t[start..],
        _ => t,
    }
}

/// Completes JSON that was cut off: closes an open string and every open bracket, backing up to
/// the last complete value when the cut fell inside one.
pub fn repair(text: &str) -> Option<Value> {
    // Cut points: the whole text, then each comma outside strings, latest first.
    let mut cuts = vec![text.len()];
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ',' if !in_string => cuts.push(i),
            _ => {}
        }
    }
    cuts[1..].reverse();
    cuts.into_iter()
        .take(64)
        .find_map(|cut| serde_json::from_str(&close(&text[..cut])).ok())
}

/// Closes an open string and every open bracket of a JSON prefix.
fn close(prefix: &str) -> String {
    let mut stack = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in prefix.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' | '[' if !in_string => stack.push(c),
            '}' | ']' if !in_string => {
                stack.pop();
            }
            _ => {}
        }
    }
    let mut out = prefix.trim_end().to_string();
    if escaped {
        out.pop();
    }
    if in_string {
        out.push('"');
    }
    let trimmed = out.trim_end().trim_end_matches(',').to_string();
    let mut out = trimmed;
    for open in stack.iter().rev() {
        out.push(if *open == '{' { '}' } else { ']' });
    }
    out
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

    #[test]
    fn a_good_reply_is_read_and_its_quotes_checked() {
        let raw = r#"{"criteria":[
            {"id":"kill-switch","verdict":"caught","evidence":["Kill switch now."],"why":"w2"},
            {"id":"global-push","verdict":"partial","evidence":["Every PoP failed at once","the regex backtracks"],"why":"w1"},
            {"id":"simulate","verdict":"missed","evidence":[],"why":"w3"}],
            "uncertainties":[{"concern":"DNS?","answer":"No: it was staged."}],
            "missed_failure_mode":"fm","focus_next":"fn","overall":"ov"}"#;
        let g = validate(raw, &ids(), ANSWER).unwrap();
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
        let g = validate(raw, &ids(), ANSWER).unwrap();
        assert_eq!(g.criteria.len(), 1);
        assert!(g.criteria[0].evidence[0].verified);
        assert_eq!(g.ungraded, ["kill-switch", "simulate"]);
        assert_eq!(g.problems.len(), 4, "{:?}", g.problems);
        assert!(g.problems[3].starts_with("The model did not grade kill-switch, simulate"));
    }

    #[test]
    fn a_truncated_reply_is_completed_to_its_last_whole_value() {
        let raw = r#"{"criteria":[{"id":"global-push","verdict":"caught","evidence":["Every PoP"],"why":"because"},{"id":"kill-switch","verdict":"cau"#;
        let g = validate(raw, &ids(), ANSWER).unwrap();
        assert_eq!(g.criteria.len(), 1, "{g:?}");
        assert!(g.problems[0].starts_with("The reply was cut off"));
        assert_eq!(g.ungraded, ["kill-switch", "simulate"]);
        assert!(repair(r#"{"a":"x\"#).is_some());
        assert_eq!(
            repair(r#"{"a":[1,2"#).unwrap(),
            serde_json::json!({"a":[1,2]})
        );
    }

    #[test]
    fn unusable_replies_are_named() {
        assert_eq!(validate("", &ids(), ANSWER), Err(Unusable::Empty));
        assert!(matches!(
            validate("I cannot help with that.", &ids(), ANSWER),
            Err(Unusable::NotJson(_))
        ));
        assert_eq!(
            validate(
                r#"{"criteria":[{"id":"nope","verdict":"caught"}]}"#,
                &ids(),
                ANSWER
            ),
            Err(Unusable::NoVerdicts)
        );
    }
}
