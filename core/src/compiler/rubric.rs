//! `rubric.md`: weighted criteria and references in the front matter, the senior's prose in the body.

use super::checks::Checker;
use super::investigation::{self, ProbeIndex, INVESTIGATION_CRITERIA_MAX};
use super::markdown::{self, split_sections, Section};
use super::scaffold::PLACEHOLDER;
use super::schema::{RubricFile, Text};
use crate::baked::{CriterionKind, Reference, RubricInvestigation, Rule};
use crate::routes::is_slug;
use crate::taxonomy::Tier;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

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

/// The most words a criterion's name may have: a title to scan, not a second insight.
pub const NAME_MAX_WORDS: usize = 8;

/// A name to copy into a fix.
const NAME_EXAMPLE: &str = "\"Kill switch before root cause\"";

/// A criterion whose prose is still Markdown, each with the byte offset it was written at.
pub struct CriterionSource {
    /// Its position among the `[[criteria]]` tables.
    pub entry: usize,
    /// Its id.
    pub id: String,
    /// Its short name, plain text (empty when the author gave none).
    pub name: String,
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
    // Each name seen so far (as compared), with the id of the criterion that has it.
    let mut names: Vec<(String, Option<String>)> = Vec::new();
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
            let name = criterion_name(c, &entry.name, id.as_deref(), at, &mut names);
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
                Some(name),
                Some(tier),
                Some(weight),
                Some(insight),
                Some(caught),
                Some(partial),
                Some(why),
                Some(kind),
                Some(rule),
            ) = (
                id, name, tier, weight, insight, caught, partial, why, kind, rule,
            ) {
                criteria.push(CriterionSource {
                    entry: index,
                    id,
                    name,
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

/// A criterion's name: required, one line of at most [`NAME_MAX_WORDS`] plain words, unique in
/// the rubric (`names` holds the ones seen so far, with their criteria's ids). A missing one is reported at `missing_at`,
/// naming the criterion by `id` when it has one. `None` when it has a problem.
fn criterion_name(
    c: &mut Checker<'_>,
    field: &Option<Text>,
    id: Option<&str>,
    missing_at: usize,
    names: &mut Vec<(String, Option<String>)>,
) -> Option<String> {
    let Some(v) = field else {
        // A name whose value was unreadable has been reported already.
        if !c.removed.contains("name") {
            let which = id.map_or_else(
                || "a criterion".to_string(),
                |id| format!("criterion `{id}`"),
            );
            c.error_at(
                missing_at,
                format!("{which} has no name"),
                format!("add a name of at most {NAME_MAX_WORDS} words that says what the insight is, beside `id`, e.g. `name = {NAME_EXAMPLE}`"),
            );
        }
        return None;
    };
    let name = v.get_ref().trim();
    // A scaffold's marker is reported once, as a marker, not also as a long or Markdown name.
    if name.contains(PLACEHOLDER) {
        return Some(name.to_string());
    }
    if name.is_empty() {
        c.error(
            v,
            "`name` is empty",
            format!("say what the insight is in at most {NAME_MAX_WORDS} words, e.g. `name = {NAME_EXAMPLE}`"),
        );
        return None;
    }
    if name.contains(['\n', '\r']) {
        c.error(
            v,
            "criterion name runs over more than one line",
            format!("write it on one line, in at most {NAME_MAX_WORDS} words"),
        );
        return None;
    }
    let words = name.split_whitespace().count();
    if words > NAME_MAX_WORDS {
        c.error(
            v,
            format!("criterion name `{name}` has {words} words"),
            format!("shorten it to at most {NAME_MAX_WORDS} words that say what the insight is: the insight says the rest"),
        );
        return None;
    }
    if let Some(what) = markdown_in(name) {
        c.error(
            v,
            format!("criterion name `{name}` contains Markdown ({what})"),
            "write the name as plain text: it is shown as written, never rendered",
        );
        return None;
    }
    // Names that differ only in case or spacing read as the same name.
    let key = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if let Some((_, other)) = names.iter().find(|(k, _)| *k == key) {
        let problem = match other {
            Some(other) => format!("criterion name `{name}` is already the name of `{other}`"),
            None => format!("criterion name `{name}` is used twice"),
        };
        c.error(v, problem, "give every criterion its own name");
        return None;
    }
    names.push((key, id.map(str::to_string)));
    Some(name.to_string())
}

/// The first piece of Markdown syntax in a one-line text that should be plain, named for the
/// author; `None` when it reads as written.
fn markdown_in(text: &str) -> Option<&'static str> {
    let mut plain = String::new();
    for event in Parser::new_ext(text, markdown::options()) {
        match event {
            Event::Text(t) => plain.push_str(&t),
            Event::Start(Tag::Paragraph) | Event::End(_) => {}
            Event::Start(Tag::Emphasis) => return Some("emphasis, `*…*` or `_…_`"),
            Event::Start(Tag::Strong) => return Some("bold, `**…**`"),
            Event::Start(Tag::Strikethrough) => return Some("strikethrough, `~~…~~`"),
            Event::Code(_) => return Some("code, `` `…` ``"),
            Event::Start(Tag::Link { .. }) => return Some("a link"),
            Event::Start(Tag::Image { .. }) => return Some("an image"),
            Event::Html(_) | Event::InlineHtml(_) => return Some("HTML"),
            Event::Start(Tag::Heading { .. }) => return Some("a heading mark, `#`"),
            Event::Start(Tag::List(_) | Tag::Item) => return Some("a list mark"),
            Event::Start(Tag::BlockQuote(_)) => return Some("a quote mark, `>`"),
            Event::Start(Tag::CodeBlock(_)) => return Some("a code block"),
            _ => return Some("Markdown syntax"),
        }
    }
    // Escapes and entities (`\*`, `&amp;`) read differently from how they are written.
    (plain != text).then_some("an escape or entity")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::front_matter::parse;
    use crate::compiler::source::SourceFile;

    /// A criterion table with this `name` line (none when `name` is `None`).
    fn criterion(id: &str, tier: &str, weight: u32, name: Option<&str>) -> String {
        let name = name.map_or(String::new(), |n| format!("name = {n}\n"));
        format!("[[criteria]]\nid = \"{id}\"\n{name}tier = \"{tier}\"\nweight = {weight}\ninsight = \"i\"\ncaught = \"c\"\npartial = \"p\"\nwhy = \"w\"\n\n")
    }

    /// The rubric's front matter with three criteria named as given, checked: the criteria's
    /// names, and every problem.
    fn check(names: [Option<&str>; 3]) -> (Vec<String>, Vec<String>) {
        let toml = format!(
            "{}{}{}[[references]]\ntitle = \"t\"\nurl = \"https://example.com\"\n",
            criterion("a", "critical", 3, names[0]),
            criterion("b", "important", 2, names[1]),
            criterion("c", "bonus", 1, names[2]),
        );
        let file = SourceFile::new("rubric.md", format!("+++\n{toml}+++\n"));
        let split = file.split_front_matter().unwrap();
        let mut parsed = parse::<RubricFile>(&file, &split);
        let fm = parsed.value.take().unwrap();
        let mut c = Checker::after(&file, split.front_matter_offset, &mut parsed);
        let read = c.diags.len();
        let front = compile_rubric_front_matter(&mut c, &fm, None);
        assert_eq!(front.ok, c.diags.len() == read);
        (
            front.criteria.iter().map(|k| k.name.clone()).collect(),
            c.diags.iter().map(|d| d.to_string()).collect(),
        )
    }

    #[test]
    fn plain_short_distinct_names_are_kept_trimmed() {
        let (names, problems) = check([
            Some("\" Kill switch before root cause \""),
            Some("\"Raise max_connections, not the pool\""),
            Some("'Tell the VP a time [not an ETA]'"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            names,
            [
                "Kill switch before root cause",
                "Raise max_connections, not the pool",
                "Tell the VP a time [not an ETA]"
            ]
        );
    }

    #[test]
    fn a_criterion_without_a_name_is_located_at_its_id() {
        let (names, problems) = check([None, Some("\"Shed load\""), None]);
        assert_eq!(names, ["Shed load"]);
        assert_eq!(
            problems,
            [
                "rubric.md:3:6: criterion `a` has no name — add a name of at most 8 words that says what the insight is, beside `id`, e.g. `name = \"Kill switch before root cause\"`",
                "rubric.md:22:6: criterion `c` has no name — add a name of at most 8 words that says what the insight is, beside `id`, e.g. `name = \"Kill switch before root cause\"`",
            ]
        );
    }

    #[test]
    fn a_name_that_is_not_text_is_reported_once() {
        let (_, problems) = check([Some("8"), Some("\"b\""), Some("\"c\"")]);
        assert_eq!(
            problems,
            ["rubric.md:4:1: `name` must be text, found integer `8` — write `name` as text in double quotes, e.g. `\"...\"`"]
        );
    }

    #[test]
    fn long_empty_multiline_and_repeated_names_are_located_with_a_fix() {
        let (names, problems) = check([
            Some("\"One two three four five six seven eight nine\""),
            Some("\"  \""),
            Some("\"Shed\\nload\""),
        ]);
        assert!(names.is_empty());
        assert_eq!(
            problems,
            [
                "rubric.md:4:8: criterion name `One two three four five six seven eight nine` has 9 words — shorten it to at most 8 words that say what the insight is: the insight says the rest",
                "rubric.md:14:8: `name` is empty — say what the insight is in at most 8 words, e.g. `name = \"Kill switch before root cause\"`",
                "rubric.md:24:8: criterion name runs over more than one line — write it on one line, in at most 8 words",
            ]
        );
        let (_, problems) = check([
            Some("\"Shed load first\""),
            Some("\"Jitter the TTLs\""),
            Some("\"shed load  first\""),
        ]);
        assert_eq!(problems, ["rubric.md:24:8: criterion name `shed load  first` is already the name of `a` — give every criterion its own name"]);
    }

    #[test]
    fn markdown_in_a_name_is_named() {
        for (name, what) in [
            ("**Kill** switch", "bold, `**…**`"),
            ("Kill _switch_", "emphasis, `*…*` or `_…_`"),
            ("Raise `max_connections`", "code, `` `…` ``"),
            ("See [the runbook](https://x.example)", "a link"),
            ("Stop <b>now</b>", "HTML"),
            ("# Stop", "a heading mark, `#`"),
            ("- Stop", "a list mark"),
            ("1. Stop", "a list mark"),
            ("> Stop", "a quote mark, `>`"),
            ("~~Stop~~ go", "strikethrough, `~~…~~`"),
            ("Fish &amp; chips", "an escape or entity"),
            ("Not \\*this\\*", "an escape or entity"),
        ] {
            assert_eq!(markdown_in(name), Some(what), "{name}");
        }
        for plain in [
            "Kill switch before root cause",
            "Raise max_connections first",
            "A & B at 3.5 % * 2",
            "Ask #ops, not the VP",
            "Tell the VP [a time]",
            "Don't wait > 10 min",
        ] {
            assert_eq!(markdown_in(plain), None, "{plain}");
        }
    }

    #[test]
    fn a_scaffold_marker_in_a_name_is_left_to_the_marker_check() {
        let (names, problems) = check([
            Some("\"[[fill in: what the insight is, in at most eight words]]\""),
            Some("\"b\""),
            Some("\"c\""),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(names.len(), 3);
    }
}
