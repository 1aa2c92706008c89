//! `content/site.toml` and a fork's `content/fork.toml`: which packs the site builds.
//! Upstream never ships `fork.toml`, so a fork can add its own pack and turn the default one off
//! without editing a file that pulling upstream would conflict on.

use super::checks::Checker;
use super::diagnostics::Diagnostic;
use super::front_matter::parse_toml;
use super::schema::SiteFile;
use super::source::SourceFile;
use crate::routes::is_slug;
use std::path::Path;

/// The file upstream ships.
pub const SITE_FILE: &str = "site.toml";
/// The file only forks create; its fields replace `site.toml`'s.
pub const FORK_FILE: &str = "fork.toml";

/// The resolved site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The site's name.
    pub title: String,
    /// One line under the name.
    pub tagline: String,
    /// The pack ids to build, in order, each with the file and offset that named it.
    pub packs: Vec<(String, SourceFile, usize)>,
}

/// Reads `site.toml` and, if present, `fork.toml` from the content folder. The settings come back
/// whenever they are usable, together with every problem found, so the packs still get checked.
pub fn load(content: &Path) -> (Option<SiteConfig>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut layers = Vec::new();
    for name in [SITE_FILE, FORK_FILE] {
        let path = content.join(name);
        if name == FORK_FILE && !path.exists() {
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let file = SourceFile::new(name, text);
                diags.extend(super::bidi::literal(&file));
                let mut parsed = parse_toml::<SiteFile>(&file, &file.text.clone(), 0);
                let removed = std::mem::take(&mut parsed.removed);
                diags.extend(parsed.diagnostics);
                if let Some(p) = parsed.value {
                    layers.push((file, p, removed));
                }
            }
            Err(e) => diags.push(Diagnostic {
                path: name.to_string(),
                line: 1,
                column: 1,
                problem: format!("cannot read the site settings: {e}"),
                fix: "create content/site.toml with `title`, `tagline` and `packs = [\"core\"]`"
                    .to_string(),
            }),
        }
    }
    let (mut title, mut tagline, mut packs) = (None, None, None);
    let mut removed_anywhere = std::collections::BTreeSet::new();
    for (file, layer, removed) in &layers {
        removed_anywhere.extend(removed.iter().cloned());
        let mut c = Checker::new(file, 0);
        if layer.title.is_some() {
            title = c.text(&layer.title, "title", "\"The Senior Leap\"", 0);
        }
        if layer.tagline.is_some() {
            tagline = c.text(&layer.tagline, "tagline", "\"Practise senior judgment\"", 0);
        }
        if let Some(list) = &layer.packs {
            let mut ids: Vec<(String, SourceFile, usize)> = Vec::new();
            if list.get_ref().is_empty() {
                c.error(
                    list,
                    "no packs to build",
                    "list at least one folder of content/packs, e.g. `packs = [\"core\"]`",
                );
            }
            for v in list.get_ref() {
                let id = v.get_ref().clone();
                if !is_slug(&id) {
                    c.error(
                        v,
                        format!("pack id `{id}` is not lowercase-hyphenated"),
                        "name pack folders with lowercase letters, digits and single hyphens",
                    );
                } else if id
                    == crate::storage::keys::ASIDE
                        .trim_start_matches(crate::storage::keys::PREFIX)
                        .trim_end_matches(':')
                {
                    // The browser keeps unreadable entries under `leap:aside:`; a pack of that name
                    // would have every draft and attempt taken for one and never read back.
                    c.error(
                        v,
                        format!("pack id `{id}` is reserved by the site's storage"),
                        "rename the pack folder (and this entry), e.g. `aside-notes`",
                    );
                } else if ids.iter().any(|(i, _, _)| *i == id) {
                    c.error(
                        v,
                        format!("pack `{id}` is listed twice"),
                        "list each pack once",
                    );
                } else {
                    ids.push((id, file.clone(), c.offset(v)));
                }
            }
            packs = Some(ids);
        }
        diags.extend(c.diags);
    }
    if layers.is_empty() {
        return (None, diags);
    }
    let mut missing = |field: &str, example: &str| {
        if !removed_anywhere.contains(field) {
            diags.push(Diagnostic {
                path: SITE_FILE.to_string(),
                line: 1,
                column: 1,
                problem: format!("missing field `{field}`"),
                fix: format!("add `{field} = {example}`"),
            });
        }
    };
    if title.is_none() {
        missing("title", "\"The Senior Leap\"");
    }
    if tagline.is_none() {
        missing(
            "tagline",
            "\"Practise senior judgment on real production war stories\"",
        );
    }
    if packs.is_none() {
        missing("packs", "[\"core\"]");
    }
    let config = SiteConfig {
        title: title.unwrap_or_default(),
        tagline: tagline.unwrap_or_default(),
        packs: packs.unwrap_or_default(),
    };
    (Some(config), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_may_not_take_the_name_the_storage_sets_entries_aside_under() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(SITE_FILE),
            "title = \"T\"\ntagline = \"t\"\npacks = [\"core\", \"aside\"]\n",
        )
        .unwrap();
        let (_, problems) = load(dir.path());
        let text: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("pack id `aside` is reserved")),
            "{text:?}"
        );
    }
}
