//! Small validation helpers shared by every kind of content file: required fields, vocabularies,
//! number ranges and the fixed section layout of a Markdown body.

use super::diagnostics::Diagnostic;
use super::front_matter::Parsed;
use super::markdown::{is_blank, Section, Sections};
use super::source::SourceFile;
use std::collections::BTreeSet;
use toml::Spanned;

/// Collects the problems of one file while it is being validated.
pub struct Checker<'a> {
    /// The file being checked.
    pub file: &'a SourceFile,
    /// Byte offset of its TOML in the file (0 for a `.toml` file).
    pub toml_offset: usize,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
    /// Keys whose entries had a TOML or type error already reported: not "missing" again.
    pub removed: BTreeSet<String>,
}

impl<'a> Checker<'a> {
    /// Starts checking `file`, whose TOML begins at `toml_offset`.
    pub fn new(file: &'a SourceFile, toml_offset: usize) -> Self {
        Checker {
            file,
            toml_offset,
            diags: Vec::new(),
            removed: BTreeSet::new(),
        }
    }

    /// Starts checking what `parsed` read from `file`, taking over its problems.
    pub fn after<T>(file: &'a SourceFile, toml_offset: usize, parsed: &mut Parsed<T>) -> Self {
        Checker {
            file,
            toml_offset,
            diags: std::mem::take(&mut parsed.diagnostics),
            removed: std::mem::take(&mut parsed.removed),
        }
    }

    /// Records a problem at a byte offset of the file.
    pub fn error_at(&mut self, offset: usize, problem: impl Into<String>, fix: impl Into<String>) {
        self.diags.push(self.file.error_at(offset, problem, fix));
    }

    /// Records a problem at a located TOML value.
    pub fn error<T>(
        &mut self,
        at: &Spanned<T>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.error_at(self.toml_offset + at.span().start, problem, fix);
    }

    /// Byte offset of a located TOML value in the file.
    pub fn offset<T>(&self, at: &Spanned<T>) -> usize {
        self.toml_offset + at.span().start
    }

    /// A required field: reports it missing (at `missing_at`) with an example to copy.
    pub fn required<'v, T>(
        &mut self,
        value: &'v Option<Spanned<T>>,
        name: &str,
        example: &str,
        missing_at: usize,
    ) -> Option<&'v Spanned<T>> {
        if value.is_none() && !self.removed.contains(name) {
            self.error_at(
                missing_at,
                format!("missing field `{name}`"),
                format!("add `{name} = {example}`"),
            );
        }
        value.as_ref()
    }

    /// A required, non-empty, single-line text field.
    pub fn text(
        &mut self,
        value: &Option<Spanned<String>>,
        name: &str,
        example: &str,
        missing_at: usize,
    ) -> Option<String> {
        let v = self.required(value, name, example, missing_at)?;
        let s = v.get_ref().trim();
        if s.is_empty() {
            self.error(
                v,
                format!("`{name}` is empty"),
                format!("write it, e.g. `{name} = {example}`"),
            );
            return None;
        }
        Some(s.to_string())
    }

    /// A required value from a closed vocabulary, looked up by slug.
    pub fn vocabulary<T>(
        &mut self,
        value: &Option<Spanned<String>>,
        name: &str,
        lookup: fn(&str) -> Option<T>,
        choices: &str,
        missing_at: usize,
    ) -> Option<T> {
        let first = choices.split(", ").next().unwrap_or("");
        let v = self.required(value, name, &format!("\"{first}\""), missing_at)?;
        self.lookup(v, name, lookup, choices)
    }

    /// Looks a located slug up in a vocabulary, reporting an unknown one with the choices.
    pub fn lookup<T>(
        &mut self,
        v: &Spanned<String>,
        name: &str,
        lookup: fn(&str) -> Option<T>,
        choices: &str,
    ) -> Option<T> {
        let found = lookup(v.get_ref());
        if found.is_none() {
            let near = choices
                .split(", ")
                .map(|c| {
                    let contained = c.split('-').any(|part| part == v.get_ref().as_str());
                    (
                        if contained {
                            0
                        } else {
                            strsim::levenshtein(v.get_ref(), c)
                        },
                        c,
                    )
                })
                .filter(|(d, c)| *d <= 2.max(c.len() / 3))
                .min()
                .map(|(_, c)| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            self.error(
                v,
                format!("unknown {name} `{}`", v.get_ref()),
                format!("{near}use one of: {choices}"),
            );
        }
        found
    }

    /// A required whole number within `range`.
    pub fn number(
        &mut self,
        value: &Option<Spanned<i64>>,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
        example: &str,
        missing_at: usize,
    ) -> Option<u32> {
        let v = self.required(value, name, example, missing_at)?;
        let n = *v.get_ref();
        if !range.contains(&n) {
            self.error(
                v,
                format!("`{name}` is {n}, outside {}–{}", range.start(), range.end()),
                format!(
                    "use a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            );
            return None;
        }
        u32::try_from(n).ok()
    }

    /// Checks that a Markdown body has exactly the `expected` sections, in order, none blank, with
    /// nothing before the first. Returns each expected section if present.
    pub fn sections<'s>(
        &mut self,
        found: &'s Sections<'s>,
        expected: &[&str],
        heading: &str,
    ) -> Vec<Option<&'s Section<'s>>> {
        self.sections_optional(found, expected, expected.len(), heading)
    }

    /// Like [`Checker::sections`], but only the first `required` of `expected` must be present;
    /// the rest may be left out, and when present keep their order.
    pub fn sections_optional<'s>(
        &mut self,
        found: &'s Sections<'s>,
        expected: &[&str],
        required: usize,
        heading: &str,
    ) -> Vec<Option<&'s Section<'s>>> {
        let layout = if required < expected.len() {
            format!(
                "{} (then, optionally, {})",
                list(&expected[..required], heading),
                list(&expected[required..], heading)
            )
        } else {
            list(expected, heading)
        };
        if !is_blank(found.preamble) {
            let at =
                found.preamble_offset + found.preamble.len() - found.preamble.trim_start().len();
            self.error_at(
                at,
                format!("text before the first `{heading}` section"),
                format!("move it into a section; this file's sections are: {layout}"),
            );
        }
        let mut result = vec![None; expected.len()];
        let mut last_index: Option<usize> = None;
        for section in &found.sections {
            match expected
                .iter()
                .position(|e| e.eq_ignore_ascii_case(&section.title))
            {
                None => self.error_at(
                    section.heading_offset,
                    format!("unknown section `{heading} {}`", section.title),
                    format!("use exactly these sections, in order: {layout}"),
                ),
                Some(i) if result[i].is_some() => self.error_at(
                    section.heading_offset,
                    format!("section `{heading} {}` appears twice", expected[i]),
                    "merge the two into one section",
                ),
                Some(i) => {
                    if last_index.is_some_and(|l| l > i) {
                        self.error_at(
                            section.heading_offset,
                            format!("section `{heading} {}` is out of order", expected[i]),
                            format!("order the sections as: {layout}"),
                        );
                    }
                    last_index = Some(i);
                    if is_blank(section.body) {
                        self.error_at(
                            section.heading_offset,
                            format!("section `{heading} {}` is empty", expected[i]),
                            "write its content under the heading",
                        );
                    }
                    result[i] = Some(section);
                }
            }
        }
        let end = self.file.text.len();
        for (i, name) in expected.iter().enumerate().take(required) {
            if result[i].is_none() {
                let after = if i == 0 {
                    "at the start of the body".to_string()
                } else {
                    format!("after `{heading} {}`", expected[i - 1])
                };
                self.error_at(
                    end,
                    format!("missing section `{heading} {name}`"),
                    format!("add a `{heading} {name}` heading with its content {after}"),
                );
            }
        }
        result
    }
}

fn list(expected: &[&str], heading: &str) -> String {
    expected
        .iter()
        .map(|e| format!("`{heading} {e}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
