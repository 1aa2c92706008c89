//! "Your data is yours": everything as one versioned JSON file, and importing such a file back by
//! merging — nothing duplicated, nothing overwritten silently, and a file that is not ours or is
//! damaged rejected with a precise message before anything is written.

use super::keys::{Key, ASIDE, REVIEW_KEY};
use super::kv::{KeyValue, StoreError};
use super::migrate::{decode, Decoded};
use super::repo::{Repo, ScenarioState};
use super::schema::{Attempt, Draft};
use crate::drills::Queue;
use crate::routes::is_slug;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` field of every export.
pub const FORMAT: &str = "senior-leap-export";
/// The export file layout this build writes and reads.
pub const FILE_VERSION: u32 = 1;

/// An export file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The file layout version.
    pub version: u32,
    /// When it was made (ms since the Unix epoch).
    pub exported_at: u64,
    /// The site's name, for the reader's benefit.
    pub site: String,
    /// Everything stored, by scenario.
    pub scenarios: Vec<ExportedScenario>,
    /// Entries that could not be read and were set aside, exactly as stored.
    #[serde(default)]
    pub set_aside: Vec<AsideEntry>,
    /// The review queue, with its own version; absent when there is none (and in files made
    /// before the queue existed).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::review::versioned"
    )]
    pub review: Option<Queue>,
}

/// One scenario's data in an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedScenario {
    /// Pack id.
    pub pack: String,
    /// Scenario id.
    pub scenario: String,
    /// The open draft.
    pub draft: Option<Draft>,
    /// Finished attempts.
    pub attempts: Vec<Attempt>,
}

/// A set-aside entry, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsideEntry {
    /// The key it had.
    pub key: String,
    /// Its raw value.
    pub value: String,
}

/// Makes an export of everything in `repo`. `draft_override` replaces a scenario's stored draft
/// with text still on screen (when the store is full, the newest text is not stored yet).
pub fn export<S: KeyValue>(
    repo: &mut Repo<S>,
    site: &str,
    now: u64,
    draft_override: Option<(&str, &str, &Draft)>,
) -> Result<ExportFile, StoreError> {
    let mut scenarios: Vec<ExportedScenario> = repo
        .all()?
        .into_iter()
        .map(|(pack, scenario, state)| ExportedScenario {
            pack,
            scenario,
            draft: state.draft,
            attempts: state.attempts,
        })
        .collect();
    if let Some((pack, scenario, draft)) = draft_override {
        match scenarios
            .iter_mut()
            .find(|s| s.pack == pack && s.scenario == scenario)
        {
            Some(s) => s.draft = Some(draft.clone()),
            None => scenarios.push(ExportedScenario {
                pack: pack.into(),
                scenario: scenario.into(),
                draft: Some(draft.clone()),
                attempts: vec![],
            }),
        }
    }
    let set_aside = repo
        .set_aside_entries()?
        .into_iter()
        .map(|(key, value)| AsideEntry { key, value })
        .collect();
    let review = Some(repo.queue()?).filter(|q| *q != Queue::default());
    Ok(ExportFile {
        format: FORMAT.into(),
        version: FILE_VERSION,
        exported_at: now,
        site: site.into(),
        scenarios,
        set_aside,
        review,
    })
}

/// Why a file cannot be imported. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Not JSON at all.
    NotJson(String),
    /// JSON, but not an export of this site.
    NotOurs,
    /// An export made by a newer version of the site.
    Newer(u64),
    /// An export whose content is damaged at `at`.
    Damaged {
        /// Where, as a path into the file (`scenarios[2].attempts[0]`).
        at: String,
        /// What is wrong there.
        reason: String,
    },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::NotJson(e) => write!(f, "This file is not a Senior Leap export: it is not JSON ({e}). Choose a file made with Export."),
            ImportError::NotOurs => f.write_str("This JSON file is not a Senior Leap export (it lacks \"format\": \"senior-leap-export\"). Choose a file made with Export."),
            ImportError::Newer(v) => write!(f, "This export was made by a newer version of the site (file version {v}; this one reads {FILE_VERSION}). Open it on the newer site."),
            ImportError::Damaged { at, reason } => write!(f, "This export is damaged at {at}: {reason}. Nothing was imported."),
        }
    }
}

impl std::error::Error for ImportError {}

/// The export file's text: indented JSON, exactly as `serde_json::to_string_pretty` writes it.
/// Written compactly first and indented after: storage writes entries compactly, so the
/// compact serialiser is in every bundle already, and a second, indenting copy of every schema
/// type's serialiser (about 4 KB of gzip'd wasm) would serve this one file.
pub fn to_text(file: &ExportFile) -> Result<String, serde_json::Error> {
    Ok(indent(&serde_json::to_string(file)?))
}

/// Indents compact JSON (no whitespace outside strings) the way `to_string_pretty` does: two
/// spaces a level, `"key": value`, and `[]` / `{}` for empty lists and objects.
fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut chars = compact.chars().peekable();
    let (mut in_string, mut escaped) = (false, false);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// Reads an export file, checking all of it before anything is imported. Entries written by an
/// older schema are migrated.
pub fn parse(text: &str) -> Result<ExportFile, ImportError> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| ImportError::NotJson(e.to_string()))?;
    if root.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(ImportError::NotOurs);
    }
    let version = root
        .get("version")
        .and_then(Value::as_u64)
        .ok_or(ImportError::Damaged {
            at: "version".into(),
            reason: "missing or not a number".into(),
        })?;
    if version > u64::from(FILE_VERSION) {
        return Err(ImportError::Newer(version));
    }
    let damaged = |at: String, reason: String| ImportError::Damaged { at, reason };
    let text_field = |v: &Value, field: &str, at: &str| -> Result<String, ImportError> {
        v.get(field)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| damaged(format!("{at}.{field}"), "missing or not text".into()))
    };
    let entry = |v: &Value, at: String| -> Result<Value, ImportError> {
        Ok(v.clone()).and_then(|v| {
            if v.is_object() {
                Ok(v)
            } else {
                Err(damaged(at, "not an object".into()))
            }
        })
    };
    let mut scenarios = Vec::new();
    for (i, s) in root
        .get("scenarios")
        .and_then(Value::as_array)
        .ok_or_else(|| damaged("scenarios".into(), "missing or not a list".into()))?
        .iter()
        .enumerate()
    {
        let at = format!("scenarios[{i}]");
        let pack = text_field(s, "pack", &at)?;
        let scenario = text_field(s, "scenario", &at)?;
        // Ids become parts of storage keys: one that is not an id would be written where it is
        // never read back (a `:` splits a key differently), and lost.
        for (field, id) in [("pack", &pack), ("scenario", &scenario)] {
            if !is_slug(id) {
                return Err(damaged(
                    format!("{at}.{field}"),
                    format!(
                        "`{id}` is not a {field} id (lowercase letters, digits and single hyphens)"
                    ),
                ));
            }
        }
        if !storable(Key::Draft {
            pack: pack.clone(),
            scenario: scenario.clone(),
        }) {
            return Err(damaged(
                format!("{at}.pack"),
                format!("pack id `{pack}` is reserved by the site's storage"),
            ));
        }
        let draft = match s.get("draft") {
            None | Some(Value::Null) => None,
            Some(d) => Some(decode_entry::<Draft>(
                &entry(d, format!("{at}.draft"))?,
                format!("{at}.draft"),
            )?),
        };
        let mut attempts = Vec::new();
        for (j, a) in s
            .get("attempts")
            .and_then(Value::as_array)
            .ok_or_else(|| damaged(format!("{at}.attempts"), "missing or not a list".into()))?
            .iter()
            .enumerate()
        {
            let attempt = decode_entry::<Attempt>(
                &entry(a, format!("{at}.attempts[{j}]"))?,
                format!("{at}.attempts[{j}]"),
            )?;
            if !storable(Key::Attempt {
                pack: pack.clone(),
                scenario: scenario.clone(),
                id: attempt.id.clone(),
            }) {
                return Err(damaged(
                    format!("{at}.attempts[{j}].id"),
                    format!(
                        "attempt id `{}` contains `:`, which storage keys cannot hold",
                        attempt.id
                    ),
                ));
            }
            attempts.push(attempt);
        }
        scenarios.push(ExportedScenario {
            pack,
            scenario,
            draft,
            attempts,
        });
    }
    let mut set_aside = Vec::new();
    if let Some(list) = root.get("set_aside") {
        for (i, e) in list
            .as_array()
            .ok_or_else(|| damaged("set_aside".into(), "not a list".into()))?
            .iter()
            .enumerate()
        {
            let at = format!("set_aside[{i}]");
            set_aside.push(AsideEntry {
                key: text_field(e, "key", &at)?,
                value: text_field(e, "value", &at)?,
            });
        }
    }
    let review = match root.get("review") {
        None | Some(Value::Null) => None,
        Some(q) => Some(
            super::review::decode_value(q.clone())
                .map_err(|reason| damaged("review".into(), reason))?,
        ),
    };
    Ok(ExportFile {
        format: FORMAT.into(),
        version: FILE_VERSION,
        exported_at: root.get("exported_at").and_then(Value::as_u64).unwrap_or(0),
        site: root
            .get("site")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        scenarios,
        set_aside,
        review,
    })
}

/// Whether an entry written under `key` is found again when the store is read.
fn storable(key: Key) -> bool {
    Key::parse(&key.render()).as_ref() == Some(&key)
}

fn decode_entry<T: serde::de::DeserializeOwned>(
    value: &Value,
    at: String,
) -> Result<T, ImportError> {
    match decode::<T>(&value.to_string()) {
        Decoded::Current(t) | Decoded::Migrated(t) => Ok(t),
        Decoded::Unreadable(reason) => Err(ImportError::Damaged { at, reason }),
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Attempts added.
    pub added: usize,
    /// Attempts already here, identical: skipped.
    pub duplicates: usize,
    /// Attempts with an id already here but different content: added as copies, nothing replaced.
    pub copies: usize,
    /// Drafts added (the scenario had none).
    pub drafts_added: usize,
    /// Drafts not imported because this browser already has a different draft for the scenario.
    pub drafts_kept_local: Vec<String>,
    /// Set-aside entries restored to the set-aside area.
    pub set_aside: usize,
    /// Review cards added to the queue.
    pub cards_added: usize,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        write!(f, "Imported {}", plural(self.added, "attempt", "attempts"))?;
        if self.drafts_added > 0 {
            write!(f, " and {}", plural(self.drafts_added, "draft", "drafts"))?;
        }
        f.write_str(".")?;
        if self.duplicates > 0 {
            write!(
                f,
                " {} already here.",
                plural(self.duplicates, "attempt was", "attempts were")
            )?;
        }
        if self.copies > 0 {
            write!(f, " {} differed from the one here with the same id and {} added as a copy; nothing was replaced.", plural(self.copies, "attempt", "attempts"), if self.copies == 1 { "was" } else { "were" })?;
        }
        if !self.drafts_kept_local.is_empty() {
            write!(
                f,
                " Your current draft was kept for: {} (the file's draft was not imported).",
                self.drafts_kept_local.join(", ")
            )?;
        }
        if self.cards_added > 0 {
            write!(
                f,
                " {} added to your review queue.",
                plural(self.cards_added, "review card was", "review cards were")
            )?;
        }
        if self.set_aside > 0 {
            write!(
                f,
                " {} restored to the set-aside area.",
                plural(
                    self.set_aside,
                    "unreadable entry was",
                    "unreadable entries were"
                )
            )?;
        }
        Ok(())
    }
}

/// Merges an export into `repo`. Either everything is written or, if the store fails midway
/// (full), everything written so far is removed again and the error returned.
pub fn merge<S: KeyValue>(
    repo: &mut Repo<S>,
    file: &ExportFile,
) -> Result<ImportReport, StoreError> {
    let (report, writes) = plan(repo, file)?;
    apply(repo, &writes)?;
    Ok(report)
}

/// What [`merge`] would write to `repo`, in order, and its report, writing nothing: planned on a
/// copy of the store (the progress page's on-demand bundle), applied to the store with [`apply`].
pub fn plan<S: KeyValue>(
    repo: &mut Repo<S>,
    file: &ExportFile,
) -> Result<(ImportReport, Vec<(String, String)>), StoreError> {
    let mut report = ImportReport::default();
    let mut writes: Vec<(String, String)> = Vec::new();
    // What each scenario holds once the writes planned so far are done: a file may list an
    // attempt id twice, or a scenario twice, and a later entry must not overwrite an earlier one.
    let mut planned: Vec<(&str, &str, ScenarioState)> = Vec::new();
    for s in &file.scenarios {
        let i = match planned
            .iter()
            .position(|(p, sc, _)| *p == s.pack && *sc == s.scenario)
        {
            Some(i) => i,
            None => {
                planned.push((&s.pack, &s.scenario, repo.scenario(&s.pack, &s.scenario)?));
                planned.len() - 1
            }
        };
        let local = &mut planned[i].2;
        for a in &s.attempts {
            // The same attempt may be here already as a copy made by an earlier import.
            let same = |l: &Attempt| {
                (l.id == a.id || numbered(&l.id, &a.id, '-'))
                    && *l
                        == Attempt {
                            id: l.id.clone(),
                            ..a.clone()
                        }
            };
            let id = if local.attempts.iter().any(same) {
                report.duplicates += 1;
                continue;
            } else if local.attempts.iter().any(|l| l.id == a.id) {
                let mut n = 2;
                while local
                    .attempts
                    .iter()
                    .any(|l| l.id == format!("{}-{n}", a.id))
                {
                    n += 1;
                }
                report.copies += 1;
                format!("{}-{n}", a.id)
            } else {
                report.added += 1;
                a.id.clone()
            };
            let stored = Attempt { id, ..a.clone() };
            writes.push((
                Key::Attempt {
                    pack: s.pack.clone(),
                    scenario: s.scenario.clone(),
                    id: stored.id.clone(),
                }
                .render(),
                json(&stored)?,
            ));
            local.attempts.push(stored);
        }
        if let Some(d) = &s.draft {
            let finished_here = local.attempts.iter().any(|a| a.id == d.id);
            match &local.draft {
                None if !finished_here => {
                    writes.push((
                        Key::Draft {
                            pack: s.pack.clone(),
                            scenario: s.scenario.clone(),
                        }
                        .render(),
                        json(d)?,
                    ));
                    local.draft = Some(d.clone());
                    report.drafts_added += 1;
                }
                // Same text but another path is another draft: an investigation's log is half
                // of the work.
                Some(l) if l.answer == d.answer && l.log == d.log => {}
                _ => report.drafts_kept_local.push(d.scenario.title.clone()),
            }
        }
    }
    // Set-aside entries here already, by original key (`key#2`… when restored beside another).
    let mut aside = repo.set_aside_entries()?;
    for e in &file.set_aside {
        if aside
            .iter()
            .any(|(k, v)| *v == e.value && (*k == e.key || numbered(k, &e.key, '#')))
        {
            continue;
        }
        let mut original = e.key.clone();
        let mut n = 1;
        while aside.iter().any(|(k, _)| *k == original) {
            n += 1;
            original = format!("{}#{n}", e.key);
        }
        writes.push((format!("{ASIDE}{original}"), e.value.clone()));
        aside.push((original, e.value.clone()));
        report.set_aside += 1;
    }
    // The queue goes last: it is the one entry that may already exist, so a failed import must
    // never have written it (the roll-back below removes what it wrote).
    if let Some(theirs) = &file.review {
        let local = repo.queue()?;
        let mut merged = local.clone();
        report.cards_added = merged.merge(theirs.clone());
        if merged != local {
            writes.push((
                REVIEW_KEY.to_string(),
                super::review::encode_value(&merged).to_string(),
            ));
        }
    }
    Ok((report, writes))
}

/// Writes what [`plan`] planned. Either everything is written or, if the store fails midway
/// (full), everything written so far is removed again and the error returned.
pub fn apply<S: KeyValue>(
    repo: &mut Repo<S>,
    writes: &[(String, String)],
) -> Result<(), StoreError> {
    for (i, (key, value)) in writes.iter().enumerate() {
        if let Err(e) = repo.write_raw(key, value) {
            for (written, _) in &writes[..i] {
                let _ = repo.remove(written);
            }
            return Err(e);
        }
    }
    Ok(())
}

/// Whether `id` is `original` with a copy number after `separator` (`a1-2`, `key#3`).
fn numbered(id: &str, original: &str, separator: char) -> bool {
    id.strip_prefix(original)
        .and_then(|rest| rest.strip_prefix(separator))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::kv::MemoryStore;
    use crate::storage::repo::Saved;
    use crate::storage::schema::{Answer, Outcome, ScenarioRef, VERSION};

    fn draft(id: &str, text: &str) -> Draft {
        Draft {
            v: VERSION,
            id: id.into(),
            scenario: ScenarioRef {
                title: format!("Scenario {id}"),
                ..ScenarioRef::default()
            },
            answer: Answer {
                reasoning: text.into(),
                confidence: Some(60),
                ..Answer::default()
            },
            started_at: 1,
            updated_at: 2,
            rev: 0,
            writer: "t".into(),
            log: None,
            timebox: None,
        }
    }

    fn filled() -> Repo<MemoryStore> {
        let mut repo = Repo::new(MemoryStore::new());
        repo.finish("core", "a", &draft("a1", "first"), Outcome::Committed, 10)
            .unwrap();
        repo.finish("core", "a", &draft("a2", "second"), Outcome::GaveUp, 20)
            .unwrap();
        assert_eq!(
            repo.save_draft("core", "b", &draft("b1", "open draft"), 0)
                .unwrap(),
            Saved::Saved(1)
        );
        repo
    }

    #[test]
    fn the_export_text_is_what_to_string_pretty_writes() {
        let file = export(&mut filled(), "The Senior Leap", 99, None).unwrap();
        assert_eq!(
            to_text(&file).unwrap(),
            serde_json::to_string_pretty(&file).unwrap()
        );
        // Every schema version's export, and text that looks like JSON's punctuation.
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/storage/");
        for v in 1..=super::super::schema::VERSION {
            let raw = std::fs::read_to_string(format!("{root}v{v}/export.json")).unwrap();
            let mut file = parse(&raw).unwrap();
            file.set_aside.push(AsideEntry {
                key: "k{[,:]}".into(),
                value: r#"{"a":[1,{}],"b":"\"},{\\"}"#.into(),
            });
            assert_eq!(
                to_text(&file).unwrap(),
                serde_json::to_string_pretty(&file).unwrap(),
                "schema {v}"
            );
        }
        for compact in [
            "[]",
            "{}",
            r#"{"a":[],"b":{},"c":[[],[1,2],{"d":null}]}"#,
            r#""x""#,
            "1",
        ] {
            let value: Value = serde_json::from_str(compact).unwrap();
            assert_eq!(
                indent(compact),
                serde_json::to_string_pretty(&value).unwrap()
            );
        }
    }

    #[test]
    fn export_then_import_into_an_empty_store_restores_everything() {
        let mut source = filled();
        let file = export(&mut source, "The Senior Leap", 99, None).unwrap();
        let text = serde_json::to_string_pretty(&file).unwrap();
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed, file);
        let mut target = Repo::new(MemoryStore::new());
        let report = merge(&mut target, &parsed).unwrap();
        assert_eq!((report.added, report.drafts_added), (2, 1));
        assert_eq!(target.all().unwrap(), source.all().unwrap());
        assert_eq!(report.to_string(), "Imported 2 attempts and 1 draft.");
    }

    #[test]
    fn importing_twice_adds_nothing() {
        let mut repo = filled();
        let file = export(&mut repo, "s", 1, None).unwrap();
        let before = repo.all().unwrap();
        let report = merge(&mut repo, &file).unwrap();
        assert_eq!(
            (
                report.added,
                report.duplicates,
                report.copies,
                report.drafts_added
            ),
            (0, 2, 0, 0)
        );
        assert_eq!(repo.all().unwrap(), before);
    }

    #[test]
    fn a_different_attempt_with_the_same_id_is_added_as_a_copy_never_replacing() {
        let mut repo = filled();
        let mut file = export(&mut repo, "s", 1, None).unwrap();
        file.scenarios[0].attempts[0].answer.reasoning = "edited elsewhere".into();
        file.scenarios[1].draft.as_mut().unwrap().answer.reasoning = "another draft".into();
        let report = merge(&mut repo, &file).unwrap();
        assert_eq!((report.copies, report.duplicates), (1, 1));
        assert_eq!(report.drafts_kept_local, ["Scenario b1"]);
        let a = repo.scenario("core", "a").unwrap();
        assert_eq!(
            a.attempts
                .iter()
                .map(|x| (x.id.as_str(), x.answer.reasoning.as_str()))
                .collect::<Vec<_>>(),
            [
                ("a1", "first"),
                ("a1-2", "edited elsewhere"),
                ("a2", "second")
            ]
        );
        assert_eq!(
            repo.scenario("core", "b")
                .unwrap()
                .draft
                .unwrap()
                .answer
                .reasoning,
            "open draft"
        );
    }

    #[test]
    fn bad_files_get_a_precise_error() {
        assert!(matches!(parse("not json"), Err(ImportError::NotJson(_))));
        assert_eq!(parse(r#"{"hello":"world"}"#), Err(ImportError::NotOurs));
        assert_eq!(
            parse(r#"{"format":"senior-leap-export","version":9}"#),
            Err(ImportError::Newer(9))
        );
        let damaged = r#"{"format":"senior-leap-export","version":1,"scenarios":[{"pack":"core","scenario":"a","draft":null,"attempts":[{"v":1,"id":3}]}]}"#;
        match parse(damaged) {
            Err(ImportError::Damaged { at, reason }) => {
                assert_eq!(at, "scenarios[0].attempts[0]");
                assert!(
                    reason.starts_with("its content does not match schema 1"),
                    "{reason}"
                );
            }
            other => panic!("{other:?}"),
        }
        let msg = parse(r#"{"format":"senior-leap-export","version":1}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            msg,
            "This export is damaged at scenarios: missing or not a list. Nothing was imported."
        );
    }

    /// A store holding the learner's own draft of another scenario.
    fn with_my_draft() -> MemoryStore {
        let mut store = MemoryStore::new();
        store
            .set(
                "leap:core:z:draft",
                &serde_json::to_string(&draft("z1", "mine")).unwrap(),
            )
            .unwrap();
        store
    }

    #[test]
    fn a_failed_import_leaves_the_store_as_it_was() {
        let mut source = filled();
        let file = export(&mut source, "s", 1, None).unwrap();
        let mut store = with_my_draft();
        store.limit = Some(900);
        let mut target = Repo::new(store);
        let before = target.store().keys().unwrap();
        assert_eq!(merge(&mut target, &file), Err(StoreError::Full));
        assert_eq!(target.store().keys().unwrap(), before);
    }

    #[test]
    fn a_merge_planned_on_a_copy_and_applied_is_the_merge() {
        let mut source = filled();
        let file = export(&mut source, "s", 1, None).unwrap();
        let store = with_my_draft();
        let mut merged = Repo::new(store.clone());
        let report = merge(&mut merged, &file).unwrap();
        // The progress page plans on a copy of its store (another wasm module) and applies here.
        let mut copy = Repo::new(store.clone());
        let (planned, writes) = plan(&mut copy, &file).unwrap();
        assert_eq!(copy.store().keys().unwrap(), store.keys().unwrap());
        assert_eq!(planned, report);
        assert!(!writes.is_empty());
        let mut target = Repo::new(store.clone());
        apply(&mut target, &writes).unwrap();
        let entries = |r: &Repo<MemoryStore>| -> Vec<(String, Option<String>)> {
            let keys = r.store().keys().unwrap();
            keys.into_iter()
                .map(|k| {
                    let v = r.store().get(&k).unwrap();
                    (k, v)
                })
                .collect()
        };
        assert_eq!(entries(&target), entries(&merged));
        // Applied to a store that is full, nothing stays written.
        let mut full = store.clone();
        full.limit = Some(900);
        let mut target = Repo::new(full);
        assert_eq!(apply(&mut target, &writes), Err(StoreError::Full));
        assert_eq!(target.store().keys().unwrap(), store.keys().unwrap());
    }

    #[test]
    fn set_aside_entries_travel_in_exports() {
        let mut store = MemoryStore::new();
        store.set("leap:core:a:draft", "{ corrupt").unwrap();
        let mut repo = Repo::new(store);
        repo.scenario("core", "a").unwrap();
        let file = export(&mut repo, "s", 1, None).unwrap();
        assert_eq!(
            file.set_aside,
            [AsideEntry {
                key: "leap:core:a:draft".into(),
                value: "{ corrupt".into()
            }]
        );
        let mut other = Repo::new(MemoryStore::new());
        assert_eq!(
            merge(
                &mut other,
                &parse(&serde_json::to_string(&file).unwrap()).unwrap()
            )
            .unwrap()
            .set_aside,
            1
        );
        assert_eq!(other.set_aside_entries().unwrap().len(), 1);
    }

    #[test]
    fn the_text_on_screen_is_exported_even_when_it_could_not_be_stored() {
        let mut repo = filled();
        let newer = draft("b1", "newest text, not stored yet");
        let file = export(&mut repo, "s", 1, Some(("core", "b", &newer))).unwrap();
        assert_eq!(
            file.scenarios
                .iter()
                .find(|s| s.scenario == "b")
                .unwrap()
                .draft
                .as_ref()
                .unwrap()
                .answer
                .reasoning,
            "newest text, not stored yet"
        );
    }

    fn path(probes: &[(&str, u32)], committed: Option<u32>) -> crate::session::SessionLog {
        use crate::session::LogEvent;
        let mut events: Vec<LogEvent> = probes
            .iter()
            .map(|(id, at)| LogEvent::Probe {
                id: (*id).into(),
                at: *at,
            })
            .collect();
        events.extend(committed.map(|at| LogEvent::Committed { at }));
        crate::session::SessionLog { events }
    }

    #[test]
    fn an_investigations_log_travels_with_its_draft_and_attempt() {
        let mut source = Repo::new(MemoryStore::new());
        let mut finished = draft("i1", "committed analysis");
        finished.log = Some(path(&[("drops", 5)], Some(9)));
        let attempt = source
            .finish("core", "inv", &finished, Outcome::Committed, 10)
            .unwrap();
        assert_eq!(attempt.log, finished.log);
        let mut open = draft("i2", "open analysis");
        open.log = Some(path(&[("diff", 25)], None));
        source.save_draft("core", "inv", &open, 0).unwrap();

        let file = export(&mut source, "s", 1, None).unwrap();
        let parsed = parse(&serde_json::to_string(&file).unwrap()).unwrap();
        assert_eq!(parsed, file);
        let mut target = Repo::new(MemoryStore::new());
        merge(&mut target, &parsed).unwrap();
        let state = target.scenario("core", "inv").unwrap();
        assert_eq!(state.attempts[0].log, finished.log);
        assert_eq!(state.draft.unwrap().log, open.log);

        // A draft here with the same text but another path is a different draft: it is kept,
        // and the learner is told the file's was not imported.
        let mut elsewhere = Repo::new(MemoryStore::new());
        let mut mine = open.clone();
        mine.log = Some(path(&[("drops", 5)], None));
        elsewhere.save_draft("core", "inv", &mine, 0).unwrap();
        let report = merge(&mut elsewhere, &parsed).unwrap();
        assert_eq!(report.drafts_kept_local, ["Scenario i2"]);
        assert_eq!(
            elsewhere
                .scenario("core", "inv")
                .unwrap()
                .draft
                .unwrap()
                .log,
            mine.log
        );
    }

    /// An export whose one attempt has `id` and whose scenario is `pack`/`scenario`.
    fn export_with(pack: &str, scenario: &str, id: &str) -> String {
        let attempt = serde_json::json!({
            "v": 2, "id": id, "number": 1, "scenario": {"title": "", "competencies": []},
            "outcome": "committed",
            "answer": {"reasoning": "", "uncertainty": "", "commitment": "", "confidence": 7},
            "started_at": 1, "finished_at": 2, "feedback": []
        });
        serde_json::json!({
            "format": FORMAT, "version": 1,
            "scenarios": [{"pack": pack, "scenario": scenario, "attempts": [attempt]}]
        })
        .to_string()
    }

    fn damaged_at(text: &str) -> (String, String) {
        match parse(text) {
            Err(ImportError::Damaged { at, reason }) => (at, reason),
            other => panic!("{other:?}"),
        }
    }

    // Found by the import_parser fuzz target (fuzz/regressions/import_parser/attempt-id-with-colon):
    // an attempt id with a `:` was written under a key that reads back as no attempt at all, so the
    // import reported it added and the attempt was lost.
    #[test]
    fn ids_that_cannot_be_stored_are_refused_before_anything_is_written() {
        let (at, reason) = damaged_at(&export_with("core", "a", "41541267:e8c08ff9"));
        assert_eq!(at, "scenarios[0].attempts[0].id");
        assert!(reason.contains("`:`"), "{reason}");
        let (at, _) = damaged_at(&export_with("core", "x:attempt:y", "a1"));
        assert_eq!(at, "scenarios[0].scenario");
        let (at, _) = damaged_at(&export_with("", "a", "a1"));
        assert_eq!(at, "scenarios[0].pack");
        // `leap:aside:` holds unreadable entries: a pack named `aside` would be read as one.
        let (at, reason) = damaged_at(&export_with("aside", "a", "a1"));
        assert_eq!(
            (at.as_str(), reason.contains("reserved")),
            ("scenarios[0].pack", true)
        );

        let good = parse(&export_with("core", "a", "41541267e8c08ff9")).unwrap();
        let mut repo = Repo::new(MemoryStore::new());
        assert_eq!(merge(&mut repo, &good).unwrap().added, 1);
        assert_eq!(repo.scenario("core", "a").unwrap().attempts.len(), 1);
    }

    // Found by the import_parser fuzz target (fuzz/regressions/import_parser/duplicate-attempt-id):
    // a file listing two different attempts under one id wrote both to the same key, so the
    // second silently replaced the first.
    #[test]
    fn two_attempts_with_one_id_in_a_file_are_both_kept() {
        let mut repo = filled();
        let mut file = export(&mut repo, "s", 1, None).unwrap();
        let mut other = file.scenarios[0].attempts[0].clone();
        other.answer.reasoning = "edited elsewhere".into();
        file.scenarios[0].attempts.push(other);
        file.scenarios.push(file.scenarios[0].clone());
        let mut target = Repo::new(MemoryStore::new());
        let report = merge(&mut target, &file).unwrap();
        assert_eq!((report.added, report.copies, report.duplicates), (2, 1, 3));
        let ids: Vec<String> = target
            .scenario("core", "a")
            .unwrap()
            .attempts
            .iter()
            .map(|a| format!("{}: {}", a.id, a.answer.reasoning))
            .collect();
        assert_eq!(ids, ["a1: first", "a1-2: edited elsewhere", "a2: second"]);
    }

    #[test]
    fn importing_a_file_twice_adds_nothing_the_second_time_even_copies() {
        let mut repo = filled();
        let mut file = export(&mut repo, "s", 1, None).unwrap();
        file.scenarios[0].attempts[0].answer.reasoning = "edited elsewhere".into();
        file.set_aside = vec![
            AsideEntry {
                key: "leap:core:a:draft".into(),
                value: "{ corrupt".into(),
            },
            AsideEntry {
                key: "leap:core:a:draft".into(),
                value: "{ also corrupt".into(),
            },
        ];
        let first = merge(&mut repo, &file).unwrap();
        assert_eq!((first.copies, first.set_aside), (1, 2));
        let before = repo.store().keys().unwrap();
        let second = merge(&mut repo, &file).unwrap();
        assert_eq!(
            (
                second.added,
                second.copies,
                second.drafts_added,
                second.set_aside
            ),
            (0, 0, 0, 0),
            "{second:?}"
        );
        assert_eq!(second.duplicates, 2);
        assert_eq!(repo.store().keys().unwrap(), before);
    }

    #[test]
    fn the_review_queue_travels_in_exports_and_merges_on_import() {
        use crate::drills::{Recall, DAY_MS};
        use crate::storage::review::tests::card;
        let mut source = filled();
        // No queue yet: the file has none, as files made before the queue existed.
        let file = export(&mut source, "s", 1, None).unwrap();
        assert_eq!(file.review, None);
        assert!(serde_json::to_value(&file).unwrap().get("review").is_none());

        let mut q = Queue::default();
        q.add(card("a", 0));
        q.add(card("b", 0));
        q.made_from.push("a1".into());
        q.review("core", "edge", "a", Recall::Good, DAY_MS);
        source.save_queue(&q).unwrap();
        let file = export(&mut source, "s", 1, None).unwrap();
        let text = serde_json::to_string_pretty(&file).unwrap();
        assert!(
            text.contains("\"v\": 1"),
            "the queue carries its own version"
        );
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed, file);
        assert_eq!(parsed.review.as_ref(), Some(&q));

        // Into an empty browser: the queue arrives whole.
        let mut target = Repo::new(MemoryStore::new());
        let report = merge(&mut target, &parsed).unwrap();
        assert_eq!(report.cards_added, 2);
        assert_eq!(target.queue().unwrap(), q);
        assert_eq!(
            report.to_string(),
            "Imported 2 attempts and 1 draft. 2 review cards were added to your review queue."
        );
        // Again: nothing changes.
        let again = merge(&mut target, &parsed).unwrap();
        assert_eq!(again.cards_added, 0);
        assert_eq!(target.queue().unwrap(), q);

        // Into a browser with its own queue: cards are merged, the later-reviewed one wins, and
        // attempts that made cards in either made them in both.
        let mut mine = Queue::default();
        mine.add(card("a", 0));
        mine.add(card("c", 0));
        mine.made_from.push("z9".into());
        let mut other = Repo::new(MemoryStore::new());
        other.save_queue(&mine).unwrap();
        assert_eq!(merge(&mut other, &parsed).unwrap().cards_added, 1);
        let merged = other.queue().unwrap();
        let find = |id: &str| merged.cards.iter().find(|c| c.criterion == id).unwrap();
        assert_eq!(find("a").streak, 1, "the reviewed card wins");
        assert_eq!(merged.cards.len(), 3);
        assert_eq!(merged.made_from, ["z9", "a1"]);
    }

    #[test]
    fn a_damaged_or_newer_queue_in_a_file_is_refused_before_anything_is_written() {
        let base = r#"{"format":"senior-leap-export","version":1,"scenarios":[],"review":"#;
        for (queue, reason) in [
            (
                r#"{"v":1,"cards":[{"due":"soon"}]}"#,
                "does not match review queue version 1",
            ),
            (r#"{"v":2,"cards":[]}"#, "review queue version 2"),
            (r#"[]"#, "no version"),
        ] {
            match parse(&format!("{base}{queue}}}")) {
                Err(ImportError::Damaged { at, reason: r }) => {
                    assert_eq!(at, "review");
                    assert!(r.contains(reason), "{r}");
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(parse(&format!("{base}null}}")).unwrap().review, None);
    }

    #[test]
    fn a_failed_import_never_loses_the_queue_already_here() {
        use crate::storage::review::tests::card;
        let mut source = filled();
        let mut theirs = Queue::default();
        theirs.add(card("t", 0));
        source.save_queue(&theirs).unwrap();
        let file = export(&mut source, "s", 1, None).unwrap();
        let mut mine = Queue::default();
        mine.add(card("m", 0));
        let mut store = MemoryStore::new();
        store
            .set(
                REVIEW_KEY,
                &crate::storage::review::encode_value(&mine).to_string(),
            )
            .unwrap();
        // Room for the attempts and the draft, not for the merged queue: measured by a dry run.
        let used = |s: &MemoryStore| -> usize {
            s.keys()
                .unwrap()
                .iter()
                .map(|k| k.chars().count() + s.get(k).unwrap().unwrap().chars().count())
                .sum()
        };
        let mut dry = Repo::new(store.clone());
        merge(&mut dry, &file).unwrap();
        store.limit = Some(used(dry.store()) - 10);
        let mut target = Repo::new(store);
        let before: Vec<(String, Option<String>)> = target
            .store()
            .keys()
            .unwrap()
            .into_iter()
            .map(|k| (k.clone(), target.store().get(&k).unwrap()))
            .collect();
        assert_eq!(merge(&mut target, &file), Err(StoreError::Full));
        let after: Vec<(String, Option<String>)> = target
            .store()
            .keys()
            .unwrap()
            .into_iter()
            .map(|k| (k.clone(), target.store().get(&k).unwrap()))
            .collect();
        assert_eq!(after, before);
        assert_eq!(target.queue().unwrap(), mine);
    }
}
