//! `leap new`: a complete scenario folder to fill in. Every place the author must write is marked
//! `[[fill in: …]]`, and the checker rejects any marker left behind, so a scaffold can never be
//! published by accident.

use super::diagnostics::Diagnostic;
use super::source::SourceFile;
use crate::routes::is_slug;
use crate::taxonomy::{Kind, Track};
use std::path::{Path, PathBuf};

/// The marker the scaffold leaves where the author must write.
pub const PLACEHOLDER: &str = "[[fill in";

/// What `leap new` was asked for.
pub struct NewScenario<'a> {
    /// The pack folder.
    pub pack: &'a str,
    /// The scenario folder name.
    pub slug: &'a str,
    /// The track.
    pub track: Track,
    /// The kind.
    pub kind: Kind,
    /// Whether to scaffold an investigation: probes, injects, facts, the rubric's path part and
    /// sample logs.
    pub investigation: bool,
}

/// Writes a new scenario folder below `content`, refusing to overwrite anything.
pub fn scaffold(content: &Path, new: &NewScenario<'_>) -> Result<Vec<PathBuf>, String> {
    if !is_slug(new.slug) {
        return Err(format!("`{}` is not a valid folder name — use lowercase letters, digits and single hyphens, e.g. `cache-stampede`", new.slug));
    }
    let pack_dir = content.join("packs").join(new.pack);
    if !pack_dir.join("pack.toml").is_file() {
        return Err(format!(
            "pack `{}` does not exist — create {}/pack.toml with a title and description first",
            new.pack,
            pack_dir.display()
        ));
    }
    let dir = pack_dir.join("scenarios").join(new.slug);
    if dir.exists() {
        return Err(format!(
            "{} already exists — choose another name",
            dir.display()
        ));
    }
    let inv = new.investigation;
    let files = [
        ("scenario.md", scenario_md(new)),
        ("primer.md", PRIMER.to_string()),
        (
            "rubric.md",
            if inv {
                format!("+++\n{RUBRIC_PATH}{}", &RUBRIC[4..]).replace(
                    "\n[[references]]",
                    &format!("{PATH_CRITERIA}\n[[references]]"),
                )
            } else {
                RUBRIC.to_string()
            },
        ),
        (
            "answers/strong.md",
            answer(
                "strong",
                75,
                ["caught", "caught", "partial", "caught", "caught"],
                inv.then_some(STRONG_LOG),
            ),
        ),
        (
            "answers/weak.md",
            answer(
                "weak",
                60,
                ["missed", "partial", "missed", "missed", "missed"],
                inv.then_some(WEAK_LOG),
            ),
        ),
        (
            "answers/plausible-wrong.md",
            answer(
                "plausible-wrong",
                85,
                ["missed", "missed", "missed", "missed", "missed"],
                inv.then_some(WRONG_LOG),
            ),
        ),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap_or(&dir))
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Every `[[fill in: …]]` marker left in a file.
pub fn leftover_placeholders(file: &SourceFile) -> Vec<Diagnostic> {
    file.text
        .match_indices(PLACEHOLDER)
        .map(|(at, _)| {
            let end = file.text[at..]
                .find("]]")
                .map_or(file.text.len(), |e| at + e + 2);
            let what = file.text[at..end]
                .trim_start_matches("[[fill in")
                .trim_start_matches(':')
                .trim_end_matches("]]");
            let mut what = what.split_whitespace().collect::<Vec<_>>().join(" ");
            if what.chars().count() > 60 {
                what = what.chars().take(59).collect::<String>() + "…";
            }
            let problem = if what.is_empty() {
                "scaffold placeholder left".to_string()
            } else {
                format!("scaffold placeholder left: `{what}`")
            };
            file.error_at(
                at,
                problem,
                "replace the `[[fill in: …]]` marker with your own text",
            )
        })
        .collect()
}

fn scenario_md(new: &NewScenario<'_>) -> String {
    let mut text = format!(
        r#"+++
id = "{slug}"
title = "[[fill in: the situation, not the lesson — e.g. Every edge server at 100 % CPU]]"
track = "{track}"
level = "senior"
kind = "{kind}"
competencies = ["architectural-judgment"]
minutes = 30
tags = []
hook = "[[fill in: one line that makes an engineer want to open it]]"
+++

## Situation

[[fill in: who the learner is, what is happening, who is asking what, and what the clock says.
Partial data, people with opinions, at least one plausible red herring. Do not name the company.]]

## Artifacts

### Timeline

| time | event | who |
|---|---|---|
| [[fill in: 13:42]] | [[fill in: what changed]] | [[fill in: owner]] |

### Metrics

[[fill in: a table of the numbers the people on the call had]]

### Logs

```log
[[fill in: log lines that carry evidence — and some that are noise]]
```

## The ask

1. [[fill in: What is happening, and what is your evidence?]]
2. [[fill in: What do you do in the next ten minutes?]]
3. [[fill in: What do you tell whom?]]
4. How confident are you, and what would change your mind?
"#,
        slug = new.slug,
        track = new.track.slug(),
        kind = new.kind.slug(),
    );
    if new.investigation {
        text = text.replacen(
            "+++\n\n## Situation",
            "\n# [investigation]\n# start = \"09:42\"   # optional: the wall-clock time T+0 reads as\n+++\n\n## Situation",
            1,
        );
        text.push_str(INVESTIGATION_SECTIONS);
    }
    text
}

/// The sections an investigation adds after `## The ask`. Ids and costs are valid from the start
/// (so the check reports only the markers); the markers ask the author to rename them.
const INVESTIGATION_SECTIONS: &str = r#"
## Probes

### [[fill in: what the menu shows, e.g. Query the gateway's drop counter]] {#probe-one cost=5}

[[fill in: the evidence this probe reveals — a log, a table, a dashboard, what a person says.
Rename `probe-one` (here, in rubric.md and in answers/) to what it looks at; set `cost` to the
simulated minutes it takes, 1–240. This is the probe a senior runs first.]]

### [[fill in: a second probe, e.g. Ask the DBA about replication lag]] {#probe-two cost=10}

[[fill in: what it reveals: useful, but not decisive]]

### [[fill in: a plausible, costly, useless probe, e.g. Read the deploy diff]] {#probe-three cost=30}

[[fill in: what it reveals: true, long, and beside the point — the trap]]

## Injects

### [[fill in: an event's title, e.g. The VP asks for an ETA]] {#first-inject at=10}

[[fill in: what arrives at T+10 (set `at`, 1–600): a message, a metric that moves, an escalation]]

## Facts

[[fill in: for the game master only — what people on the call know that no probe shows, in short
bullets. It answers only from the probes and this sheet.]]
"#;

/// The rubric's path part: which probes a senior runs first, which are traps, by when they act.
const RUBRIC_PATH: &str = r#"[investigation]
first = ["probe-one"]
traps = ["probe-three"]
act_by = 20
why_first = "[[fill in: why a senior looks there first, in one line]]"
why_traps = "[[fill in: why the trap costs more than it tells, in one line]]"

"#;

/// Investigation criteria: one decided by the site from the log, one judged by the evaluator.
const PATH_CRITERIA: &str = r#"
[[criteria]]
id = "looks-first-where-it-splits"
name = "[[fill in: what the path shows, in at most 8 words — e.g. Checked the drop counter first]]"
tier = "important"
weight = 2
kind = "investigation"
rule = "first:probe-one"
insight = "[[fill in: what looking there first shows about the learner's judgment]]"
caught = "[[fill in: for a rule, say in words what it checks — ran probe-one first]]"
partial = "[[fill in: ran it, but later]]"
why = "[[fill in]]"

[[criteria]]
id = "changes-mind-on-evidence"
name = "[[fill in: its name, in at most 8 words]]"
tier = "bonus"
weight = 1
kind = "investigation"
insight = "[[fill in: how a senior's hypotheses move with the evidence]]"
caught = "[[fill in: what the log must show — judged by the evaluator, no rule]]"
partial = "[[fill in]]"
why = "[[fill in]]"
"#;

/// Sample paths: each probe revealed after its cost, committed once they are all back.
const STRONG_LOG: &str = r#"probes = ["probe-one", "probe-two"]
hypotheses = [
  { at = 0, text = "[[fill in: the first guess]]", confidence = 40 },
  { at = 5, text = "[[fill in: the guess after probe-one]]", confidence = 75 },
]
committed_at = 15"#;
const WEAK_LOG: &str = r#"probes = ["probe-three", "probe-two"]
committed_at = 45"#;
const WRONG_LOG: &str = r#"probes = ["probe-three"]
hypotheses = [
  { at = 0, text = "[[fill in: a confident wrong guess]]", confidence = 85 },
]
committed_at = 30"#;

const PRIMER: &str = "[[fill in: background for a learner new to this domain. The scenario must be answerable without it; delete this file if none is needed.]]\n";

const RUBRIC: &str = r#"+++
[[criteria]]
id = "the-insight-it-turned-on"
name = "[[fill in: what the insight is, in at most 8 words — e.g. Kill switch before root cause]]"
tier = "critical"
weight = 3
insight = "[[fill in: the insight the incident turned on, in one or two sentences]]"
caught = "[[fill in: what an answer must say to have caught it — observable content, not a virtue]]"
partial = "[[fill in: what counts as partly caught]]"
why = "[[fill in: why it mattered in the real incident]]"

[[criteria]]
id = "second-insight"
name = "[[fill in: its name, in at most 8 words]]"
tier = "important"
weight = 2
insight = "[[fill in]]"
caught = "[[fill in]]"
partial = "[[fill in]]"
why = "[[fill in]]"

[[criteria]]
id = "third-insight"
name = "[[fill in: its name, in at most 8 words]]"
tier = "bonus"
weight = 1
insight = "[[fill in]]"
caught = "[[fill in]]"
partial = "[[fill in]]"
why = "[[fill in]]"

[[references]]
title = "[[fill in: title of the public postmortem, blog post or paper]]"
url = "https://[[fill in: its address]]"
+++

## The failure mode most people miss

[[fill in]]

## The reframing question

[[fill in]]

## Red flags

- [[fill in: an answer that would make things worse]]

## Common mistakes

- [[fill in]]

## Reference reasoning

### What a senior asks first

[[fill in]]

### What they would propose

[[fill in]]

### What they would not do

[[fill in]]

### Risks that remain

[[fill in]]
"#;

/// A sample answer: verdicts for the three analysis criteria, and with a `log` for the two path
/// criteria too.
fn answer(quality: &str, confidence: u32, verdicts: [&str; 5], log: Option<&str>) -> String {
    let (log, path) = match log {
        Some(log) => (
            format!("[log]\n{log}\n"),
            format!(
                "looks-first-where-it-splits = \"{}\"\nchanges-mind-on-evidence = \"{}\"\n",
                verdicts[3], verdicts[4]
            ),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        r#"+++
quality = "{quality}"
confidence = {confidence}
{log}[verdicts]
the-insight-it-turned-on = "{}"
second-insight = "{}"
third-insight = "{}"
{path}+++

## Reasoning

[[fill in: written as a learner would write it, not the rubric pasted back]]

## Uncertainty

[[fill in]]

## Commitment

[[fill in]]
"#,
        verdicts[0], verdicts[1], verdicts[2]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_located_and_named() {
        let f = SourceFile::new("s.md", "a\n  [[fill in: the hook]] and [[fill in]]\n");
        let d: Vec<_> = leftover_placeholders(&f)
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            d,
            [
                "s.md:2:3: scaffold placeholder left: `the hook` — replace the `[[fill in: …]]` marker with your own text",
                "s.md:2:29: scaffold placeholder left — replace the `[[fill in: …]]` marker with your own text",
            ]
        );
    }
}
