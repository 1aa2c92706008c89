//! Reads TOML front matter into serde structs and turns every TOML or serde error into a located
//! diagnostic. Serde stops at the first error, so after each one the offending entry is blanked out
//! (replaced by spaces, keeping every offset) and the parse is retried: one run reports them all.

use super::bidi;
use super::diagnostics::Diagnostic;
use super::source::{SourceFile, Split};
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// How many errors one front matter may report before we stop retrying.
const MAX_ERRORS_PER_FILE: usize = 50;

/// The outcome of reading TOML into `T`.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The value, read after removing every entry that had an error (`None` on a syntax error).
    pub value: Option<T>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// Keys removed because their entry had an error: a later "missing field" about them would
    /// only repeat the problem.
    pub removed: BTreeSet<String>,
}

/// Deserializes the front matter of `file` into `T`, reporting every problem found.
pub fn parse<T: DeserializeOwned>(file: &SourceFile, split: &Split<'_>) -> Parsed<T> {
    parse_toml(file, split.front_matter, split.front_matter_offset)
}

/// Deserializes TOML found at byte offset `base` of `file` (a whole `.toml` file has `base` 0).
pub fn parse_toml<T: DeserializeOwned>(
    file: &SourceFile,
    toml_text: &str,
    base: usize,
) -> Parsed<T> {
    let (table, syntax_errors) = DeTable::parse_recoverable(toml_text);
    let mut escaped_bidi = Vec::new();
    escaped_bidi_controls(file, toml_text, base, table.get_ref(), &mut escaped_bidi);
    if !syntax_errors.is_empty() {
        let diags = syntax_errors
            .iter()
            .map(|e| {
                let at = base + e.span().map_or(0, |s| s.start);
                file.error_at(
                    at,
                    format!("TOML syntax error: {}", first_line(e.message())),
                    syntax_fix(e.message()),
                )
            })
            .collect();
        return Parsed {
            value: None,
            diagnostics: diags,
            removed: BTreeSet::new(),
        };
    }

    let mut removed = BTreeSet::new();
    let mut text = toml_text.to_string();
    let mut diags = escaped_bidi;
    // The first try deserialises the table parsed above instead of parsing the text again. Only
    // when it fails is the text parsed anew, for the error exactly as `from_str` words it.
    let mut parsed = Some(table);
    while diags.len() < MAX_ERRORS_PER_FILE {
        let attempt = match parsed.take() {
            Some(table) => T::deserialize(toml::de::Deserializer::from(table))
                .or_else(|_| toml::from_str::<T>(&text)),
            None => toml::from_str::<T>(&text),
        };
        let err = match attempt {
            Ok(value) => {
                diags.sort();
                return Parsed {
                    value: Some(value),
                    diagnostics: diags,
                    removed,
                };
            }
            Err(err) => err,
        };
        let span = err.span().unwrap_or(0..0);
        let table = DeTable::parse(&text).ok();
        let entry = table
            .as_ref()
            .and_then(|t| innermost_entry(t.get_ref(), &span));
        let key = entry.as_ref().map(|e| e.key.clone());
        let at = base + entry.as_ref().map_or(span.start, |e| e.key_span.start);
        let (problem, fix) = describe(err.message(), key.as_deref());
        diags.push(file.error_at(at, problem, fix));
        match entry {
            Some(e) if e.range.end > e.range.start => {
                removed.insert(e.key);
                blank(&mut text, e.range);
            }
            _ => break,
        }
    }
    diags.sort();
    Parsed {
        value: None,
        diagnostics: diags,
        removed,
    }
}

/// Reports each key or text value that holds a bidirectional control written as a TOML escape
/// (`\u202E`): the whole-file scan only sees literal ones.
fn escaped_bidi_controls(
    file: &SourceFile,
    toml_text: &str,
    base: usize,
    table: &DeTable<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let mut check = |span: Range<usize>, decoded: &str| {
        if out.len() >= MAX_ERRORS_PER_FILE {
            return;
        }
        let raw = toml_text.get(span.clone()).unwrap_or("");
        out.extend(bidi::escaped(
            file,
            base + span.start,
            raw,
            decoded,
            "a TOML escape",
        ));
    };
    for (key, value) in table.iter() {
        check(key.span(), key.get_ref());
        escaped_in_value(value, &mut check);
    }
    fn escaped_in_value(value: &Spanned<DeValue<'_>>, check: &mut impl FnMut(Range<usize>, &str)) {
        match value.get_ref() {
            DeValue::String(s) => check(value.span(), s),
            DeValue::Array(items) => {
                for item in items.iter() {
                    escaped_in_value(item, check);
                }
            }
            DeValue::Table(t) => {
                for (key, v) in t.iter() {
                    check(key.span(), key.get_ref());
                    escaped_in_value(v, check);
                }
            }
            _ => {}
        }
    }
}

/// A `key = value` entry found in a parsed table.
struct Entry {
    key: String,
    key_span: Range<usize>,
    range: Range<usize>,
}

/// Finds the deepest `key = value` entry whose key or value contains `span`.
fn innermost_entry(table: &DeTable<'_>, span: &Range<usize>) -> Option<Entry> {
    for (key, value) in table.iter() {
        let (ks, vs) = (key.span(), value.span());
        let within = |r: &Range<usize>| r.start <= span.start && span.end <= r.end.max(r.start + 1);
        if within(&ks) || within(&vs) {
            let deeper = match value.get_ref() {
                DeValue::Table(t) => innermost_entry(t, span),
                DeValue::Array(items) => items.iter().find_map(|item| match item.get_ref() {
                    DeValue::Table(t) => innermost_entry(t, span),
                    _ => None,
                }),
                _ => None,
            };
            return deeper.or_else(|| {
                Some(Entry {
                    key: key.get_ref().to_string(),
                    key_span: ks.clone(),
                    range: ks.start..vs.end.max(ks.end),
                })
            });
        }
        // Entries of `[[criteria]]` tables live outside the span of their header key.
        if let DeValue::Array(items) = value.get_ref() {
            for item in items.iter() {
                if let DeValue::Table(t) = item.get_ref() {
                    if let Some(e) = innermost_entry(t, span) {
                        return Some(e);
                    }
                }
            }
        }
        if let DeValue::Table(t) = value.get_ref() {
            if let Some(e) = innermost_entry(t, span) {
                return Some(e);
            }
        }
    }
    None
}

/// Replaces a range by spaces, keeping line breaks, so every other offset stays valid.
fn blank(text: &mut String, range: Range<usize>) {
    let blanked: String = text[range.clone()]
        .chars()
        .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
        .collect();
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..range.start]);
    // Multi-byte characters become single spaces; pad so later offsets do not move.
    let removed = range.end - range.start;
    out.push_str(&blanked);
    out.extend(std::iter::repeat_n(' ', removed - blanked.len()));
    out.push_str(&text[range.end..]);
    *text = out;
}

fn first_line(msg: &str) -> &str {
    msg.lines().next().unwrap_or(msg).trim_end_matches('.')
}

fn syntax_fix(msg: &str) -> String {
    if msg.contains("string") || msg.contains("quote") {
        "put text values in double quotes, e.g. `title = \"Checkout is down\"`".into()
    } else if msg.contains("duplicate key") {
        "keep one line for this key and delete the other".into()
    } else {
        "fix the TOML syntax on this line (one `key = value` per line; text in double quotes; lists in [ ])".into()
    }
}

/// Turns serde's message into our problem and fix, naming the field.
fn describe(msg: &str, key: Option<&str>) -> (String, String) {
    let msg = first_line(msg);
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let choices: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let suggestion = choices
            .iter()
            .map(|c| (strsim::levenshtein(field, c), *c))
            .filter(|(d, c)| *d <= 2.max(c.len() / 3))
            .min()
            .map(|(_, c)| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        let fix = if choices.is_empty() {
            "remove it".to_string()
        } else {
            format!(
                "{suggestion}remove it or use one of: {}",
                choices.join(", ")
            )
        };
        return (format!("unknown field `{field}`"), fix);
    }
    let field = key.map_or_else(|| "a field".to_string(), |k| format!("`{k}`"));
    if let Some(rest) = msg
        .strip_prefix("invalid type: ")
        .or_else(|| msg.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let wanted = plain_type(expected);
        return (
            format!("{field} must be {wanted}, found {found}"),
            format!("write {field} as {}", example(expected)),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        return (
            format!("{field} has the wrong number of items ({rest})"),
            "check the list against the content format in content/README.md".into(),
        );
    }
    (
        format!("{field}: {msg}"),
        "check this field against the content format in content/README.md".into(),
    )
}

fn plain_type(expected: &str) -> &'static str {
    match expected {
        e if e.starts_with('i') || e.starts_with('u') => "a whole number",
        e if e.contains("string") => "text",
        e if e.contains("sequence") => "a list",
        e if e.contains("map") || e.contains("struct") => "a table",
        e if e.contains("bool") => "true or false",
        _ => "a different kind of value",
    }
}

fn example(expected: &str) -> &'static str {
    match plain_type(expected) {
        "a whole number" => "a number without quotes, e.g. `30`",
        "text" => "text in double quotes, e.g. `\"...\"`",
        "a list" => "a list in brackets, e.g. `[\"a\", \"b\"]`",
        "a table" => "a table of `key = value` lines",
        "true or false" => "`true` or `false` without quotes",
        _ => "the type content/README.md gives for it",
    }
}

/// A value from front matter together with where it was written.
pub type Located<T> = Spanned<T>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        #[allow(dead_code)]
        id: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        title: Option<String>,
        minutes: Option<u32>,
        items: Option<Vec<Item>>,
    }

    fn run(src: &str) -> (Option<Doc>, Vec<String>) {
        let file = SourceFile::new("f.md", format!("+++\n{src}+++\n"));
        let split = file.split_front_matter().unwrap();
        let parsed = parse::<Doc>(&file, &split);
        (
            parsed.value,
            parsed.diagnostics.iter().map(|d| d.to_string()).collect(),
        )
    }

    #[test]
    fn valid_front_matter_parses() {
        let (doc, diags) = run("title = \"x\"\nminutes = 5\n");
        assert!(diags.is_empty(), "{diags:?}");
        let doc = doc.unwrap();
        assert_eq!(
            (
                doc.title.as_deref(),
                doc.minutes,
                doc.items.map(|i| i.len())
            ),
            (Some("x"), Some(5), None)
        );
    }

    #[test]
    fn reports_every_unknown_and_mistyped_field() {
        let (doc, diags) = run(
            "titel = \"x\"\nminutes = \"five\"\nextra = 1\n[[items]]\nid = \"a\"\nname = \"b\"\n",
        );
        assert_eq!(doc.map(|d| (d.title, d.minutes)), Some((None, None)));
        assert_eq!(
            diags,
            [
                "f.md:2:1: unknown field `titel` — did you mean `title`? remove it or use one of: title, minutes, items",
                "f.md:3:1: `minutes` must be a whole number, found string \"five\" — write `minutes` as a number without quotes, e.g. `30`",
                "f.md:4:1: unknown field `extra` — remove it or use one of: title, minutes, items",
                "f.md:7:1: unknown field `name` — remove it or use one of: id",
            ]
        );
    }

    #[test]
    fn bidi_controls_written_as_toml_escapes_are_reported() {
        let (doc, diags) = run(
            "title = \"ok \\u202E gnp\"\n[[items]]\nid = \"\\U00002066x\"\n[[items]]\nid = '\\u202E is text in a literal string'\n",
        );
        assert!(doc.is_some());
        assert_eq!(
            diags,
            [
                "f.md:2:9: bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE) written as a TOML escape — remove it: it makes the text display in a different order from how it is written",
                "f.md:4:6: bidirectional control character U+2066 (LEFT-TO-RIGHT ISOLATE) written as a TOML escape — remove it: it makes the text display in a different order from how it is written",
            ]
        );
        // Written literally, it is left to the whole-file scan (one report, exact column).
        let (_, diags) = run("title = \"a\u{202E}b\"\n");
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn reports_every_syntax_error() {
        let (doc, diags) = run("title = unquoted words\nminutes = 5\n");
        assert!(doc.is_none());
        assert!(!diags.is_empty());
        assert!(
            diags[0].starts_with("f.md:2:9: TOML syntax error"),
            "{diags:?}"
        );
    }

    #[test]
    fn blanking_keeps_offsets() {
        let mut s = "a = \"é\"\nb = 1\n".to_string();
        blank(&mut s, 0..8);
        assert_eq!(s.len(), "a = \"é\"\nb = 1\n".len());
        assert!(s.ends_with("\nb = 1\n"));
    }
}
