//! Investigations: the `## Probes`, `## Injects` and `## Facts` sections of `scenario.md` and its
//! `[investigation]` table, the `[investigation]` table and criterion rules of `rubric.md`, and the
//! `[log]` of a sample answer. Everything that names a probe is checked against the scenario's.

use super::checks::Checker;
use super::markdown::{is_blank, split_sections, Section};
use super::schema::{LogFile, RubricInvestigationFile, ScenarioInvestigationFile, Text};
use crate::baked::{CriterionKind, RubricInvestigation, Rule, SampleHypothesis, SampleLog};
use crate::routes::is_slug;
use pulldown_cmark::HeadingLevel;
use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;
use toml::Spanned;

/// The optional sections that follow `## The ask`, in order; `## Probes` makes an investigation.
pub const INVESTIGATION_SECTIONS: &[&str] = &["Probes", "Injects", "Facts"];
/// A probe's cost, in simulated minutes.
pub const COST_RANGE: RangeInclusive<i64> = 1..=240;
/// When an inject may arrive, and by when a senior acts, in simulated minutes.
pub const MINUTE_RANGE: RangeInclusive<i64> = 1..=600;
/// When a sample answer may commit, in simulated minutes (T+0 is committing without looking).
pub const COMMIT_RANGE: RangeInclusive<i64> = 0..=600;
/// Choosing what to look at is the exercise: one probe is no choice.
pub const MIN_PROBES: usize = 2;
/// A label is one line of the probe menu.
pub const LABEL_MAX: usize = 80;
/// How many investigation criteria a rubric may add to its analysis criteria.
pub const INVESTIGATION_CRITERIA_MAX: usize = 4;
/// A `why_first`/`why_traps` line.
const WHY_MAX: usize = 400;

/// The criterion kinds, as written in `kind`.
pub const KINDS: &str = "analysis, investigation";

/// Reads a criterion kind.
pub fn kind_from_slug(s: &str) -> Option<CriterionKind> {
    match s {
        "analysis" => Some(CriterionKind::Analysis),
        "investigation" => Some(CriterionKind::Investigation),
        _ => None,
    }
}

/// A probe or an inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// Evidence the learner asks for.
    Probe,
    /// An event on the clock.
    Inject,
}

impl PartKind {
    fn noun(self) -> &'static str {
        match self {
            PartKind::Probe => "probe",
            PartKind::Inject => "inject",
        }
    }
    fn key(self) -> &'static str {
        match self {
            PartKind::Probe => "cost",
            PartKind::Inject => "at",
        }
    }
    fn range(self) -> RangeInclusive<i64> {
        match self {
            PartKind::Probe => COST_RANGE,
            PartKind::Inject => MINUTE_RANGE,
        }
    }
    fn example(self) -> &'static str {
        match self {
            PartKind::Probe => "{#gateway-drops cost=5}",
            PartKind::Inject => "{#vp-eta at=12}",
        }
    }
    fn meaning(self) -> &'static str {
        match self {
            PartKind::Probe => "the simulated minutes it takes",
            PartKind::Inject => "the simulated minute it arrives",
        }
    }
    fn section(self) -> &'static str {
        match self {
            PartKind::Probe => "Probes",
            PartKind::Inject => "Injects",
        }
    }
    fn other(self) -> PartKind {
        match self {
            PartKind::Probe => PartKind::Inject,
            PartKind::Inject => PartKind::Probe,
        }
    }
}

/// A probe or inject as written: its heading's label and attributes, and the Markdown under it.
#[derive(Debug, Clone)]
pub struct Part<'a> {
    /// Its id.
    pub id: String,
    /// The heading's text without the attributes.
    pub label: String,
    /// A probe's cost or an inject's time.
    pub minutes: u32,
    /// The Markdown under the heading.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// The scenario's probes as the rubric and the sample answers see them.
#[derive(Debug, Clone, Default)]
pub struct ProbeIndex {
    /// Whether the scenario has `## Probes`.
    pub is_investigation: bool,
    /// Whether every probe heading gave a usable id. When not, references to probes are not
    /// checked: each would only repeat the heading's own problem.
    pub complete: bool,
    /// Probe ids in the author's order.
    pub ids: Vec<String>,
    /// The same ids, to look them up.
    pub known: HashSet<String>,
    /// Each probe's cost (absent when its cost has a problem).
    pub costs: HashMap<String, u32>,
}

impl ProbeIndex {
    /// Whether `id` names a probe, or cannot be told (the index is incomplete).
    fn allows(&self, id: &str) -> bool {
        !self.complete || self.known.contains(id)
    }

    /// "use one of: …" with a did-you-mean, for an id that names no probe.
    fn choices(&self, id: &str) -> String {
        let near = self
            .ids
            .iter()
            .map(|k| (strsim::levenshtein(id, k), k))
            .filter(|(d, k)| *d <= 2.max(k.len() / 3))
            .min()
            .map(|(_, k)| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        const SHOWN: usize = 12;
        let mut list = self
            .ids
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        if self.ids.len() > SHOWN {
            list.push_str(&format!(", … ({} in all)", self.ids.len()));
        }
        format!("{near}the probes of scenario.md are: {list}")
    }
}

/// What `## Probes`, `## Injects` and `## Facts` hold, checked.
#[derive(Debug, Clone, Default)]
pub struct ParsedInvestigation<'a> {
    /// The probes without problems, in the author's order.
    pub probes: Vec<Part<'a>>,
    /// The injects without problems, in the author's order.
    pub injects: Vec<Part<'a>>,
    /// The facts sheet, if written.
    pub facts: Option<(&'a str, usize)>,
    /// `[investigation] start`, checked.
    pub start: Option<String>,
    /// Probe ids and costs, for the rubric and sample answers.
    pub index: ProbeIndex,
}

/// Ids used so far in one scenario, with the part holding each and its line.
type Seen = HashMap<String, (PartKind, String, usize)>;

/// Checks the optional sections after `## The ask` (`sections` holds `## Probes`, `## Injects`
/// and `## Facts`, each if present) and the front matter's `[investigation]`.
pub fn parse_sections<'a>(
    c: &mut Checker<'_>,
    sections: [Option<&Section<'a>>; 3],
    front: Option<&Spanned<ScenarioInvestigationFile>>,
) -> ParsedInvestigation<'a> {
    let [probes, injects, facts] = sections;
    let mut out = ParsedInvestigation::default();
    let Some(probes) = probes else {
        for (section, name) in [(injects, "Injects"), (facts, "Facts")] {
            if let Some(s) = section {
                c.error_at(
                    s.heading_offset,
                    format!("`## {name}` in a scenario without `## Probes`"),
                    format!("add a `## Probes` section before it (that makes the scenario an investigation), or remove `## {name}`"),
                );
            }
        }
        if let Some(f) = front {
            let at = f
                .get_ref()
                .start
                .as_ref()
                .map_or(c.offset(f), |s| c.offset(s));
            c.error_at(
                at,
                "`[investigation]` in a scenario without `## Probes`",
                "add a `## Probes` section after `## The ask`, or remove the `[investigation]` table",
            );
        }
        out.index.complete = true;
        return out;
    };
    out.index.is_investigation = true;
    let mut seen = Seen::new();
    let (list, headings, complete) =
        parse_parts(c, probes, PartKind::Probe, &mut seen, |id, cost| {
            out.index.ids.push(id.to_string());
            out.index.known.insert(id.to_string());
            if let Some(cost) = cost {
                out.index.costs.insert(id.to_string(), cost);
            }
        });
    out.probes = list;
    out.index.complete = complete;
    if headings < MIN_PROBES {
        c.error_at(
            probes.heading_offset,
            format!("`## Probes` has {headings} probe{}", if headings == 1 { "" } else { "s" }),
            "write at least two `### Label {#id cost=N}` probes: choosing what to look at is the exercise (add a plausible-but-wrong one)",
        );
    }
    if let Some(injects) = injects {
        out.injects = parse_parts(c, injects, PartKind::Inject, &mut seen, |_, _| {}).0;
    }
    out.facts = facts.map(|f| (f.body, f.body_offset));
    if let Some(start) = front.and_then(|f| f.get_ref().start.as_ref()) {
        let text = start.get_ref().trim();
        if is_clock(text) {
            out.start = Some(text.to_string());
        } else {
            c.error(
                start,
                format!("`start` is `{text}`, not a time like \"09:42\""),
                "write the wall-clock time T+0 reads as, \"HH:MM\" on a 24-hour clock, or remove `start`",
            );
        }
    }
    out
}

/// "HH:MM" on a 24-hour clock.
fn is_clock(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
        && (b[0] - b'0') * 10 + (b[1] - b'0') < 24
        && b[3] - b'0' < 6
}

/// The `###` parts of a `## Probes` or `## Injects` section: the good ones, how many headings
/// there were, and whether every heading gave a usable id. `found` hears of every id that parsed,
/// with its number when that parsed too.
fn parse_parts<'a>(
    c: &mut Checker<'_>,
    section: &Section<'a>,
    kind: PartKind,
    seen: &mut Seen,
    mut found: impl FnMut(&str, Option<u32>),
) -> (Vec<Part<'a>>, usize, bool) {
    let parts = split_sections(section.body, section.body_offset, HeadingLevel::H3);
    if !is_blank(parts.preamble) {
        c.error_at(
            section.heading_offset,
            format!(
                "text in `## {}` before the first {}",
                kind.section(),
                kind.noun()
            ),
            format!(
                "give every {} its own `### Label {}` heading",
                kind.noun(),
                kind.example()
            ),
        );
    }
    let mut out = Vec::new();
    let mut complete = true;
    for p in &parts.sections {
        let (id, part) = parse_part(c, p, kind, seen);
        match &id {
            Some((id, minutes)) => found(id, *minutes),
            None => complete = false,
        }
        out.extend(part);
    }
    (out, parts.sections.len(), complete)
}

/// The `{…}` block ending a heading line: where it opens, and each whitespace-separated token
/// inside with its byte offset in the line. `None` when the line does not end with one.
fn attribute_block(line: &str) -> Option<(usize, Vec<(usize, &str)>)> {
    let inner_end = line.trim_end().strip_suffix('}')?.len();
    let open = line[..inner_end].rfind('{')?;
    let inner = &line[open + 1..inner_end];
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, ch) in inner.char_indices() {
        if ch.is_whitespace() {
            if let Some(s) = start.take() {
                tokens.push((open + 1 + s, &inner[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        tokens.push((open + 1 + s, &inner[s..]));
    }
    Some((open, tokens))
}

/// The label a `### Label {…}` heading shows: its text without the attribute block.
fn label_of(title: &str) -> &str {
    let t = title.trim();
    match (t.ends_with('}'), t.rfind('{')) {
        (true, Some(i)) => t[..i].trim(),
        _ => t,
    }
}

/// One `### Label {#id key=N}` part. Returns the id with its number (when each is usable) and
/// the part when it has no problem at all.
fn parse_part<'a>(
    c: &mut Checker<'_>,
    p: &Section<'a>,
    kind: PartKind,
    seen: &mut Seen,
) -> (Option<(String, Option<u32>)>, Option<Part<'a>>) {
    let (noun, key, example) = (kind.noun(), kind.key(), kind.example());
    let text = &c.file.text;
    let line_end = text[p.heading_offset..]
        .find('\n')
        .map_or(text.len(), |i| p.heading_offset + i);
    let line = text[p.heading_offset..line_end].to_string();
    let label = label_of(&p.title).to_string();
    let errors_before = c.diags.len();
    let shown = if label.is_empty() {
        format!("`### {}`", p.title)
    } else {
        format!("`{label}`")
    };
    if label.is_empty() {
        let what = match kind {
            PartKind::Probe => "what the menu shows",
            PartKind::Inject => "the event's title",
        };
        c.error_at(
            p.heading_offset,
            format!("{noun} heading without a label"),
            format!("write {what} before the braces, e.g. `### Query the gateway's drop counter {example}`"),
        );
    } else if label.chars().count() > LABEL_MAX {
        c.error_at(
            p.heading_offset,
            format!(
                "{noun} label is {} characters long",
                label.chars().count()
            ),
            format!("keep it to {LABEL_MAX} characters: the menu shows it on one line; details go under the heading"),
        );
    }
    let Some((open, tokens)) = attribute_block(&line) else {
        c.error_at(
            p.heading_offset,
            format!("{noun} {shown} has no `{{#id {key}=N}}`"),
            format!(
                "end the heading with its id and {}, e.g. `### {} {{#short-id {key}=N}}`",
                kind.meaning(),
                if label.is_empty() { "Label" } else { &label }
            ),
        );
        return (None, None);
    };
    let at = |off: usize| p.heading_offset + off;
    let mut id: Option<(String, usize)> = None;
    let mut bad_id = false;
    let mut minutes: Option<Option<u32>> = None;
    for (off, token) in tokens {
        if let Some(rest) = token.strip_prefix('#') {
            if id.is_some() || bad_id {
                c.error_at(
                    at(off),
                    format!("{noun} {shown} has two ids"),
                    format!("keep one `#id`, e.g. `{example}`"),
                );
            } else if !is_slug(rest) {
                bad_id = true;
                c.error_at(
                    at(off),
                    format!("{noun} id `{rest}` is not lowercase-hyphenated"),
                    "use lowercase letters, digits and single hyphens, starting with a letter, e.g. `gateway-drops`: logs and rubric rules name it",
                );
            } else {
                id = Some((rest.to_string(), off));
            }
        } else if let Some((_, v)) = token.split_once('=').filter(|(k, _)| *k == key) {
            if minutes.is_some() {
                c.error_at(
                    at(off),
                    format!("`{key}` is given twice on {noun} {shown}"),
                    format!("keep one `{key}=N`"),
                );
                continue;
            }
            let range = kind.range();
            minutes = Some(match v.parse::<i64>() {
                Ok(n) if range.contains(&n) => u32::try_from(n).ok(),
                Ok(n) => {
                    c.error_at(
                        at(off),
                        format!(
                            "`{key}={n}` on {noun} {shown} is outside {}–{}",
                            range.start(),
                            range.end()
                        ),
                        format!(
                            "use a whole number of minutes from {} to {}: {}",
                            range.start(),
                            range.end(),
                            kind.meaning()
                        ),
                    );
                    None
                }
                Err(_) => {
                    c.error_at(
                        at(off),
                        format!("`{key}` on {noun} {shown} must be a whole number of minutes, found `{v}`"),
                        format!("write it without quotes or units, e.g. `{key}=5`"),
                    );
                    None
                }
            });
        } else {
            let name = token.split_once('=').map_or(token, |(k, _)| k);
            let hint = if name == kind.other().key() {
                format!(
                    "{}s take `{key}` ({}); `{name}` is for {}s",
                    noun,
                    kind.meaning(),
                    kind.other().noun()
                )
            } else {
                format!("a {noun} heading takes only an id and `{key}`, e.g. `{example}`")
            };
            c.error_at(
                at(off),
                format!("unknown attribute `{token}` on {noun} {shown}"),
                format!("remove it: {hint}"),
            );
        }
    }
    if id.is_none() && !bad_id {
        c.error_at(
            at(open),
            format!("{noun} {shown} has no id"),
            format!(
                "add `#an-id` inside the braces, e.g. `{example}`: logs and rubric rules name it"
            ),
        );
    }
    if minutes.is_none() {
        c.error_at(
            at(open),
            format!("{noun} {shown} has no `{key}`"),
            format!(
                "add `{key}=N`, {} ({}–{}), e.g. `{example}`",
                kind.meaning(),
                kind.range().start(),
                kind.range().end()
            ),
        );
    }
    if let Some((id, off)) = &id {
        let (line_no, _) = c.file.position(p.heading_offset);
        if let Some((other, other_label, other_line)) = seen.get(id) {
            c.error_at(
                at(*off),
                format!(
                    "id `{id}` is already used by {} `{other_label}` on line {other_line}",
                    other.noun()
                ),
                "give every probe and inject of the scenario its own id",
            );
            return (None, None);
        }
        seen.insert(id.clone(), (kind, label.clone(), line_no));
    }
    if is_blank(p.body) {
        let (problem, fix) = match kind {
            PartKind::Probe => (
                format!("probe {shown} reveals nothing"),
                "put the evidence it reveals under its heading: a log, a table, what a person on the call says",
            ),
            PartKind::Inject => (
                format!("inject {shown} is empty"),
                "write what arrives under its heading: the message, the metric that moved, the escalation",
            ),
        };
        c.error_at(p.heading_offset, problem, fix);
    }
    let id_and_minutes = id.map(|(id, _)| (id, minutes.flatten()));
    let part = match (&id_and_minutes, c.diags.len() == errors_before) {
        (Some((id, Some(minutes))), true) => Some(Part {
            id: id.clone(),
            label,
            minutes: *minutes,
            body: p.body,
            body_offset: p.body_offset,
        }),
        _ => None,
    };
    (id_and_minutes, part)
}

/// A criterion's `kind` and `rule`, checked against the scenario's probes. `probes` is `None` when
/// the scenario could not be read.
pub fn criterion_kind_and_rule(
    c: &mut Checker<'_>,
    kind: &Option<Text>,
    rule: &Option<Text>,
    probes: Option<&ProbeIndex>,
) -> (Option<CriterionKind>, Option<Option<Rule>>) {
    let kind_value = match kind {
        None => Some(CriterionKind::Analysis),
        Some(v) => {
            let k = c.lookup(v, "criterion kind", kind_from_slug, KINDS);
            if k == Some(CriterionKind::Investigation)
                && probes.is_some_and(|p| !p.is_investigation)
            {
                c.error(
                    v,
                    "an investigation criterion in a scenario without probes",
                    "add `## Probes` to scenario.md, or remove `kind` (criteria are about the analysis by default)",
                );
                return (None, None);
            }
            k
        }
    };
    let Some(v) = rule else {
        return (kind_value, Some(None));
    };
    let text = v.get_ref().trim();
    let Some(parsed) = Rule::parse(text) else {
        c.error(
            v,
            format!("unknown rule `{text}`"),
            "write one of: `looked-at:PROBE-ID`, `first:PROBE-ID`, `avoided:PROBE-ID`, `acted-by:MINUTES` — or remove `rule` to have the evaluator judge it",
        );
        return (kind_value, None);
    };
    if kind_value == Some(CriterionKind::Analysis) {
        c.error(
            v,
            "a `rule` on an analysis criterion",
            "add `kind = \"investigation\"`: rules decide investigation criteria from the attempt's log",
        );
        return (kind_value, None);
    }
    if let Rule::ActedBy(n) = parsed {
        if !MINUTE_RANGE.contains(&i64::from(n)) {
            c.error(
                v,
                format!(
                    "rule `{text}` is outside {}–{} minutes",
                    MINUTE_RANGE.start(),
                    MINUTE_RANGE.end()
                ),
                format!(
                    "use a simulated minute from {} to {}",
                    MINUTE_RANGE.start(),
                    MINUTE_RANGE.end()
                ),
            );
            return (kind_value, None);
        }
    }
    if let (Some(id), Some(p)) = (parsed.probe(), probes) {
        if !p.allows(id) {
            c.error(
                v,
                format!(
                    "rule `{text}` names probe `{id}`, which is not in `## Probes` of scenario.md"
                ),
                p.choices(id),
            );
            return (kind_value, None);
        }
    }
    (kind_value, Some(Some(parsed)))
}

/// The rubric's `[investigation]`, checked against the scenario's probes. An investigation's
/// rubric must have one; any other rubric must not.
pub fn rubric_investigation(
    c: &mut Checker<'_>,
    table: &Option<Spanned<RubricInvestigationFile>>,
    probes: Option<&ProbeIndex>,
    top: usize,
) -> Option<RubricInvestigation> {
    let is_investigation = probes.map(|p| p.is_investigation);
    let Some(table) = table else {
        if is_investigation == Some(true) {
            c.error_at(
                top,
                "the scenario is an investigation but the rubric has no `[investigation]`",
                "add `[investigation]` with `first = [\"probe-id\"]`, `traps = [\"probe-id\"]`, `act_by = 30`, `why_first = \"…\"` and `why_traps = \"…\"` (see Investigations in content/README.md)",
            );
        }
        return None;
    };
    let t = table.get_ref();
    let at = [
        t.first.as_ref().map(|v| c.offset(v)),
        t.act_by.as_ref().map(|v| c.offset(v)),
        t.traps.as_ref().map(|v| c.offset(v)),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or_else(|| c.offset(table));
    if is_investigation == Some(false) {
        c.error_at(
            at,
            "`[investigation]` in the rubric of a scenario without probes",
            "add `## Probes` to scenario.md, or remove the `[investigation]` table",
        );
        return None;
    }
    let errors_before = c.diags.len();
    let index = probes.cloned().unwrap_or_default();
    let ids = |c: &mut Checker<'_>, list: &Spanned<Vec<Text>>, name: &str| {
        let mut out: Vec<String> = Vec::new();
        for v in list.get_ref() {
            let id = v.get_ref().trim().to_string();
            if out.contains(&id) {
                c.error(
                    v,
                    format!("probe `{id}` is listed twice in `{name}`"),
                    "list each probe once",
                );
            } else if probes.is_some() && !index.allows(&id) {
                c.error(
                    v,
                    format!(
                        "`{name}` names probe `{id}`, which is not in `## Probes` of scenario.md"
                    ),
                    index.choices(&id),
                );
            }
            out.push(id);
        }
        out
    };
    let first = c
        .required(&t.first, "first", "[\"gateway-drops\"]", at)
        .map(|list| {
            if list.get_ref().is_empty() {
                c.error(
                    list,
                    "`first` is empty",
                    "name the probe (or probes) a senior runs first, e.g. `first = [\"gateway-drops\"]`",
                );
            }
            ids(c, list, "first")
        });
    let traps = t
        .traps
        .as_ref()
        .map(|list| ids(c, list, "traps"))
        .unwrap_or_default();
    if let (Some(first), Some(list)) = (&first, &t.traps) {
        for (id, v) in traps.iter().zip(list.get_ref()) {
            if first.contains(id) {
                c.error(
                    v,
                    format!("probe `{id}` is both in `first` and in `traps`"),
                    "a probe a senior runs first is not a trap: remove it from one of the lists",
                );
            }
        }
    }
    let act_by = c.number(&t.act_by, "act_by", MINUTE_RANGE, "30", at);
    if let (Some(act_by), Some(first), Some(v)) = (act_by, &first, &t.act_by) {
        let needed: u32 = first.iter().filter_map(|id| index.costs.get(id)).sum();
        if act_by < needed {
            c.error(
                v,
                format!("`act_by` is {act_by}, before the probes in `first` have even finished (T+{needed})"),
                format!("set `act_by` to at least {needed}, or list fewer probes in `first`"),
            );
        }
    }
    let line = |c: &mut Checker<'_>, v: &Option<Text>, name: &str, needed: bool| {
        let example = "\"One line a learner reads after committing\"";
        let text = if needed {
            c.text(v, name, example, at)
        } else {
            v.as_ref().map(|v| v.get_ref().trim().to_string())
        };
        if let (Some(s), Some(v)) = (&text, v) {
            if s.contains('\n') || s.chars().count() > WHY_MAX {
                c.error(
                    v,
                    format!("`{name}` is longer than one line of {WHY_MAX} characters"),
                    "say it in one sentence; the rubric's prose holds the rest",
                );
            }
        }
        text
    };
    let why_first = line(c, &t.why_first, "why_first", true);
    let why_traps = line(c, &t.why_traps, "why_traps", !traps.is_empty());
    if c.diags.len() != errors_before {
        return None;
    }
    Some(RubricInvestigation {
        first: first?,
        traps,
        act_by: act_by?,
        why_first: why_first?,
        why_traps: why_traps.unwrap_or_default(),
    })
}

/// A sample answer's `[log]`: required in an investigation, refused elsewhere; its probes must
/// exist, each run once, and the commit comes after they have all taken their time.
pub fn sample_log(
    c: &mut Checker<'_>,
    log: &Option<Spanned<LogFile>>,
    probes: Option<&ProbeIndex>,
) -> Option<SampleLog> {
    let is_investigation = probes.map(|p| p.is_investigation);
    let Some(log) = log else {
        if is_investigation == Some(true) {
            c.error_at(
                0,
                "no `[log]` in a sample answer of an investigation",
                "add the path this answer took: `[log]` with `probes = [\"probe-id\", …]` in the order run and `committed_at = N` (see Investigations in content/README.md)",
            );
        }
        return None;
    };
    let t = log.get_ref();
    let at = [
        t.probes.as_ref().map(|v| c.offset(v)),
        t.committed_at.as_ref().map(|v| c.offset(v)),
        t.hypotheses.as_ref().map(|v| c.offset(v)),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or_else(|| c.offset(log));
    if is_investigation == Some(false) {
        c.error_at(
            at,
            "`[log]` in a sample answer of a scenario without probes",
            "remove `[log]`: only investigations (scenarios with `## Probes`) have a path to log",
        );
        return None;
    }
    let errors_before = c.diags.len();
    let index = probes.cloned().unwrap_or_default();
    let mut run = Vec::new();
    let mut ran = HashSet::new();
    let mut took: u32 = 0;
    if let Some(list) = c.required(&t.probes, "probes", "[\"gateway-drops\"]", at) {
        for v in list.get_ref() {
            let id = v.get_ref().trim().to_string();
            if !ran.insert(id.clone()) {
                c.error(
                    v,
                    format!("probe `{id}` is run twice"),
                    "a probe reveals its evidence once: list it once",
                );
                continue;
            } else if probes.is_some() && !index.allows(&id) {
                c.error(
                    v,
                    format!(
                        "the log runs probe `{id}`, which is not in `## Probes` of scenario.md"
                    ),
                    index.choices(&id),
                );
            }
            took = took.saturating_add(index.costs.get(&id).copied().unwrap_or(0));
            run.push(id);
        }
    }
    let committed_at = c.number(&t.committed_at, "committed_at", COMMIT_RANGE, "30", at);
    if let (Some(n), Some(v)) = (committed_at, &t.committed_at) {
        if n < took {
            c.error(
                v,
                format!("`committed_at` is {n}, before the probes the log runs have finished (T+{took})"),
                format!("set `committed_at` to at least {took}: each probe takes its cost in simulated minutes"),
            );
        }
    }
    let mut hypotheses = Vec::new();
    let mut last_at = 0;
    for h in t.hypotheses.iter().flat_map(|l| l.get_ref()) {
        let here = c.offset(h);
        let e = h.get_ref();
        let when = c.number(&e.at, "at", COMMIT_RANGE, "6", here);
        let text = c.text(&e.text, "text", "\"Network, not the database\"", here);
        let confidence = c.number(&e.confidence, "confidence", 0..=100, "60", here);
        if let (Some(when), Some(v)) = (when, &e.at) {
            if when < last_at {
                c.error(
                    v,
                    format!("hypothesis at T+{when} comes after one at T+{last_at}"),
                    "list the hypotheses in the order they were written",
                );
            } else if committed_at.is_some_and(|n| when > n) {
                c.error(
                    v,
                    format!(
                        "hypothesis at T+{when}, after the commit at T+{}",
                        committed_at.unwrap_or(0)
                    ),
                    "a hypothesis is written before committing: lower its `at` or raise `committed_at`",
                );
            }
            last_at = last_at.max(when);
        }
        if let (Some(at), Some(text), Some(confidence)) = (when, text, confidence) {
            hypotheses.push(SampleHypothesis {
                at,
                text,
                confidence: u8::try_from(confidence).unwrap_or(100),
            });
        }
    }
    if c.diags.len() != errors_before {
        return None;
    }
    Some(SampleLog {
        probes: run,
        hypotheses,
        committed_at: committed_at?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_blocks_are_found_with_their_offsets() {
        let (open, tokens) = attribute_block("### Ask Ana {#ask-ana  cost=10} ").unwrap();
        assert_eq!(open, 12);
        assert_eq!(tokens, [(13, "#ask-ana"), (23, "cost=10")]);
        assert!(attribute_block("### Plain heading").is_none());
        assert!(attribute_block("### Braces {in} the middle of it").is_none());
        assert_eq!(attribute_block("### Empty {}").unwrap().1, []);
    }

    #[test]
    fn labels_drop_the_attribute_block() {
        assert_eq!(label_of("Ask Ana {#ask-ana cost=10}"), "Ask Ana");
        assert_eq!(label_of("No block"), "No block");
        assert_eq!(label_of("{#only cost=1}"), "");
    }

    #[test]
    fn clock_times() {
        for ok in ["00:00", "09:42", "23:59"] {
            assert!(is_clock(ok), "{ok}");
        }
        for bad in ["9:42", "24:00", "12:60", "12-30", "ab:cd", "12:345"] {
            assert!(!is_clock(bad), "{bad}");
        }
    }
}
