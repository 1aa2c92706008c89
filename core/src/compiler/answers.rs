//! Sample answers in `answers/`: a known-quality answer with the verdict each criterion should get.

use super::checks::Checker;
use super::diagnostics::Diagnostic;
use super::front_matter;
use super::investigation::{sample_log, ProbeIndex};
use super::markdown::split_sections;
use super::schema::AnswerFile;
use super::source::SourceFile;
use crate::baked::SampleAnswer;
use crate::taxonomy::{Quality, Verdict};
use pulldown_cmark::HeadingLevel;
use std::collections::BTreeMap;

/// The sections of a sample answer: the three parts a learner writes.
pub const ANSWER_SECTIONS: &[&str] = &["Reasoning", "Uncertainty", "Commitment"];

/// Validates a sample answer. `criteria` is `None` when the rubric itself is broken, in which case
/// verdicts cannot be checked against it. A `[log]` is read but not checked against probes: see
/// [`compile_answer_of`].
pub fn compile_answer(
    file: &SourceFile,
    name: &str,
    criteria: Option<&[String]>,
) -> (Option<SampleAnswer>, Vec<Diagnostic>) {
    compile_answer_of(file, name, criteria, None)
}

/// Validates a sample answer of a scenario whose probes are `probes` (`None` when scenario.md
/// could not be read, in which case the `[log]` is not checked against them).
pub fn compile_answer_of(
    file: &SourceFile,
    name: &str,
    criteria: Option<&[String]>,
    probes: Option<&ProbeIndex>,
) -> (Option<SampleAnswer>, Vec<Diagnostic>) {
    let split = match file.split_front_matter() {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let mut parsed = front_matter::parse::<AnswerFile>(file, &split);
    let mut c = Checker::after(file, split.front_matter_offset, &mut parsed);
    let parts = split_sections(split.body, split.body_offset, HeadingLevel::H2);
    let sections = c.sections(&parts, ANSWER_SECTIONS, "##");
    let Some(fm) = parsed.value else {
        return (None, c.diags);
    };
    let top = 0;
    let quality = c.vocabulary(
        &fm.quality,
        "quality",
        Quality::from_slug,
        &Quality::slugs(),
        top,
    );
    let confidence = c.number(&fm.confidence, "confidence", 0..=100, "70", top);
    let mut verdicts = BTreeMap::new();
    if let Some(table) = c.required(
        &fm.verdicts,
        "verdicts",
        "{ criterion-id = \"caught\" }",
        top,
    ) {
        for (id, verdict) in table.get_ref() {
            if let Some(v) = c.lookup(verdict, "verdict", Verdict::from_slug, &Verdict::slugs()) {
                verdicts.insert(id.get_ref().clone(), v);
            }
            if let Some(known) = criteria {
                if !known.contains(id.get_ref()) {
                    let near = known
                        .iter()
                        .map(|k| (strsim::levenshtein(id.get_ref(), k), k))
                        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
                        .min()
                        .map(|(_, k)| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    c.error(
                        id,
                        format!(
                            "verdict for `{}`, which is not a criterion of this rubric",
                            id.get_ref()
                        ),
                        format!("{near}the criteria are: {}", known.join(", ")),
                    );
                }
            }
        }
        if let Some(known) = criteria {
            for k in known {
                if !table.get_ref().keys().any(|id| id.get_ref() == k) {
                    c.error(
                        table,
                        format!("no verdict for criterion `{k}`"),
                        format!("add `{k} = \"caught\"` (or partial, or missed) under [verdicts]"),
                    );
                }
            }
        }
    }
    let log = sample_log(&mut c, &fm.log, probes);
    let diags = c.diags;
    if !diags.is_empty() {
        return (None, diags);
    }
    let text = |i: usize| {
        sections[i]
            .map(|s| s.body.trim().to_string())
            .unwrap_or_default()
    };
    let answer = SampleAnswer {
        name: name.to_string(),
        quality: quality.unwrap_or(Quality::Weak),
        confidence: confidence.unwrap_or(0),
        verdicts,
        reasoning: text(0),
        uncertainty: text(1),
        commitment: text(2),
        log,
    };
    (Some(answer), diags)
}
