//! `rubric.md`: weighted criteria and references in the front matter, the senior's prose in the body.

use super::checks::Checker;
use super::investigation::{self, ProbeIndex, INVESTIGATION_CRITERIA_MAX};
use super::markdown::{split_sections, Section};
use super::schema::RubricFile;
use crate::baked::{CriterionKind, Reference, RubricInvestigation, Rule};
use crate::routes::is_slug;
use crate::taxonomy::Tier;
use pulldown_cmark::HeadingLevel;

/// The sections of `rubric.md`, in order.
pub const RUBRIC_SECTIONS: &[&str] = &[
    "The failure mode most people miss",
    "The reframing question",
    "Red flags",
    "Common mistakes",
    "Reference reasoning",
];

/// The `###` parts of `## Reference reasoning`, in order.
pub const REASONING_PARTS: &[&str] = &[
    "What a senior asks first",
    "What they would propose",
    "What they would not do",
    "Risks that remain",
];

/// How many criteria a rubric holds: enough to separate answers, few enough to grade honestly.
pub const CRITERIA_RANGE: std::ops::RangeInclusive<usize> = 3..=6;

/// A criterion whose prose is still Markdown, each with the byte offset it was written at.
pub struct CriterionSource {
    /// Its position among the `[[criteria]]` tables.
    pub entry: usize,
    /// Its id.
    pub id: String,
    /// Its tier.
    pub tier: Tier,
    /// Its weight.
    pub weight: u32,
    /// The insight.
    pub insight: (String, usize),
    /// What caught looks like.
    pub caught: (String, usize),
    /// What partial looks like.
    pub partial: (String, usize),
    /// Why it matters.
    pub why: (String, usize),
    /// Analysis or investigation.
    pub kind: CriterionKind,
    /// For an investigation criterion decided by code: its rule.
    pub rule: Option<Rule>,
}

/// The validated front matter of a rubric.
pub struct RubricFront {
    /// Whether it had no problem.
    pub ok: bool,
    /// Every criterion id, when every criterion has a valid id (sample answers are checked against them).
    pub all_ids: Option<Vec<String>>,
    /// The criteria, in the author's order.
    pub criteria: Vec<CriterionSource>,
    /// The references.
    pub references: Vec<Reference>,
    /// The senior's path, for an investigation.
    pub investigation: Option<RubricInvestigation>,
}

/// Validates the rubric's front matter (problems go to `c`; `ok` says whether there were any).
/// `probes` are the scenario's (`None` when scenario.md could not be read): investigation
/// criteria, rules and `[investigation]` are checked against them.
pub fn compile_rubric_front_matter(
    c: &mut Checker<'_>,
    fm: &RubricFile,
    probes: Option<&ProbeIndex>,
) -> RubricFront {
    let top = c.toml_offset.saturating_sub(4);
    let errors_before = c.diags.len();
    let mut criteria = Vec::new();
    if let Some(list) = c.required(&fm.criteria, "criteria", "[[criteria]] tables", top) {
        let n = list.get_ref().len();
        // Investigation criteria grade the path and come on top of the analysis ones.
        let on_path = list
            .get_ref()
            .iter()
            .filter(|e| {
                e.kind
                    .as_ref()
                    .is_some_and(|k| k.get_ref().trim() == "investigation")
            })
            .count();
        let analysis = n - on_path;
        if on_path == 0 && !CRITERIA_RANGE.contains(&n) {
            c.error(list, format!("the rubric has {n} criteria"), format!("write {} to {} `[[criteria]]`: fewer cannot separate answers, more cannot be graded honestly", CRITERIA_RANGE.start(), CRITERIA_RANGE.end()));
        } else if on_path > 0 && !CRITERIA_RANGE.contains(&analysis) {
            c.error(list, format!("the rubric has {analysis} analysis criteria (besides {on_path} about the investigation)"), format!("write {} to {} analysis `[[criteria]]`: fewer cannot separate answers, more cannot be graded honestly", CRITERIA_RANGE.start(), CRITERIA_RANGE.end()));
        }
        if on_path > INVESTIGATION_CRITERIA_MAX {
            c.error(list, format!("the rubric has {on_path} investigation criteria"), format!("write at most {INVESTIGATION_CRITERIA_MAX} criteria with `kind = \"investigation\"`: grade the path on what matters most"));
        }
        if on_path == 0 && probes.is_some_and(|p| p.is_investigation) {
            c.error(list, "the scenario is an investigation but no criterion grades the path", "add a `[[criteria]]` with `kind = \"investigation\"` (and a `rule` such as `first:probe-id` to have the site decide it from the log)");
        }
        for (index, entry) in list.get_ref().iter().enumerate() {
            let at = c.offset(list);
            let id = c.text(&entry.id, "id", "\"names-the-mechanism\"", at);
            if let (Some(id), Some(v)) = (&id, &entry.id) {
                if !is_slug(id) {
                    c.error(v, format!("criterion id `{id}` is not lowercase-hyphenated"), "use lowercase letters, digits and single hyphens, e.g. `stops-the-rollout`");
                } else if criteria.iter().any(|k: &CriterionSource| &k.id == id) {
                    c.error(
                        v,
                        format!("criterion id `{id}` is used twice"),
                        "give every criterion its own id",
                    );
                }
            }
            let at = entry.id.as_ref().map_or(at, |v| c.offset(v));
            let tier = c.vocabulary(&entry.tier, "tier", Tier::from_slug, &Tier::slugs(), at);
            let weight = c.number(&entry.weight, "weight", 1..=10, "3", at);
            let mut prose = |field: &Option<toml::Spanned<String>>, name: &str, example: &str| {
                c.text(field, name, example, at).map(|t| {
                    (
                        t,
                        field
                            .as_ref()
                            .map_or(at, |v| c.toml_offset + v.span().start + 1),
                    )
                })
            };
            let insight = prose(
                &entry.insight,
                "insight",
                "\"The insight a senior reaches\"",
            );
            let caught = prose(
                &entry.caught,
                "caught",
                "\"What an answer must say to have caught it\"",
            );
            let partial = prose(
                &entry.partial,
                "partial",
                "\"What counts as partly caught\"",
            );
            let why = prose(
                &entry.why,
                "why",
                "\"Why it mattered in the real incident\"",
            );
            let (kind, rule) =
                investigation::criterion_kind_and_rule(c, &entry.kind, &entry.rule, probes);
            if let (
                Some(id),
                Some(tier),
                Some(weight),
                Some(insight),
                Some(caught),
                Some(partial),
                Some(why),
                Some(kind),
                Some(rule),
            ) = (id, tier, weight, insight, caught, partial, why, kind, rule)
            {
                criteria.push(CriterionSource {
                    entry: index,
                    id,
                    tier,
                    weight,
                    insight,
                    caught,
                    partial,
                    why,
                    kind,
                    rule,
                });
            }
        }
        check_weights(c, list.get_ref(), &criteria);
    }
    let mut references = Vec::new();
    if let Some(list) = c.required(
        &fm.references,
        "references",
        "[[references]] tables with title and url",
        top,
    ) {
        if list.get_ref().is_empty() {
            c.error(
                list,
                "no references",
                "cite the public postmortem, blog post or paper the scenario is built on",
            );
        }
        for entry in list.get_ref() {
            let at = c.offset(list);
            let title = c.text(
                &entry.title,
                "title",
                "\"Details of the outage on July 2\"",
                at,
            );
            let url = c.text(&entry.url, "url", "\"https://example.com/postmortem\"", at);
            if let (Some(u), Some(v)) = (&url, &entry.url) {
                if !u.starts_with("https://") && !u.starts_with("http://") {
                    c.error(
                        v,
                        format!("reference url `{u}` is not a web address"),
                        "use the full public address, starting with https://",
                    );
                }
            }
            if let (Some(title), Some(url)) = (title, url) {
                references.push(Reference {
                    title,
                    url,
                    note: entry.note.as_ref().map(|n| n.get_ref().trim().to_string()),
                });
            }
        }
    }
    let all_ids = fm.criteria.as_ref().and_then(|list| {
        list.get_ref()
            .iter()
            .map(|e| {
                e.id.as_ref()
                    .map(|v| v.get_ref().trim().to_string())
                    .filter(|id| is_slug(id))
            })
            .collect::<Option<Vec<_>>>()
    });
    // Answers are checked against the ids only when the ids themselves are sound; otherwise every
    // answer would repeat the rubric's own problem.
    let all_ids =
        all_ids.filter(|ids| ids.iter().enumerate().all(|(i, id)| !ids[..i].contains(id)));
    let investigation = investigation::rubric_investigation(c, &fm.investigation, probes, top);
    RubricFront {
        ok: c.diags.len() == errors_before,
        all_ids,
        criteria,
        references,
        investigation,
    }
}

/// A rubric needs a critical criterion, and a higher tier never weighs less than a lower one —
/// otherwise the score would say a bonus matters more than what the incident turned on.
fn check_weights(
    c: &mut Checker<'_>,
    entries: &[super::schema::CriterionEntry],
    criteria: &[CriterionSource],
) {
    if criteria.len() == entries.len() && !criteria.iter().any(|k| k.tier == Tier::Critical) {
        if let Some(tier) = entries.first().and_then(|e| e.tier.as_ref()) {
            c.error(
                tier,
                "no criterion is critical",
                "mark the insight the incident turned on as `tier = \"critical\"`",
            );
        }
    }
    for k in criteria {
        let entry = &entries[k.entry];
        // Tiers order critical < important < bonus, so "higher tier" is the smaller value.
        let lighter_higher = criteria
            .iter()
            .filter(|o| o.tier < k.tier && o.weight < k.weight)
            .min_by_key(|o| o.weight);
        if let (Some(o), Some(w)) = (lighter_higher, &entry.weight) {
            c.error(
                w,
                format!("{} criterion `{}` weighs {}, more than {} criterion `{}` ({})", k.tier.slug(), k.id, k.weight, o.tier.slug(), o.id, o.weight),
                format!("a lower tier never outweighs a higher one: lower `{}` to at most {}, or raise `{}`", k.id, o.weight, o.id),
            );
        }
    }
}

/// `## Reference reasoning` holds the four `###` parts of a senior's reasoning.
pub fn check_reference_reasoning(c: &mut Checker<'_>, section: &Section<'_>) {
    let parts = split_sections(section.body, section.body_offset, HeadingLevel::H3);
    c.sections(&parts, REASONING_PARTS, "###");
}
