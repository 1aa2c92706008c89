//! Writes the baked data files of a compiled site: the index every page loads, and per scenario its
//! body, its rubric (a separate file, fetched only after the learner commits), an investigation's
//! probes, injects and facts (another, fetched when the page starts it) and its files.

use super::CompiledSite;
use crate::routes::{
    body_path, investigation_path, rubric_path, Route, HOW_IT_WORKS_PATH, INDEX_PATH,
};
use std::path::Path;

/// A short hash of all baked content, so a new deploy never mixes with cached data of an old one.
pub fn build_id(site: &CompiledSite) -> String {
    let mut index = site.index.clone();
    index.build.clear();
    let mut bytes = serde_json::to_vec(&index).unwrap_or_default();
    bytes.extend(site.how_it_works.html.as_bytes());
    for s in &site.scenarios {
        bytes.extend(serde_json::to_vec(&s.body).unwrap_or_default());
        bytes.extend(serde_json::to_vec(&s.rubric).unwrap_or_default());
        if let Some(inv) = &s.investigation {
            bytes.extend(serde_json::to_vec(inv).unwrap_or_default());
        }
    }
    fnv_hex(&bytes)
}

/// A 10-hex-digit FNV-1a hash: stable across Rust versions (unlike `DefaultHasher`), and plenty
/// for cache busting.
pub fn fnv_hex(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")[..10].to_string()
}

/// Writes every data file and embedded file of `site` below `out`.
pub fn write_data(site: &CompiledSite, out: &Path) -> std::io::Result<()> {
    write_json(out, INDEX_PATH, &site.index)?;
    write_json(out, HOW_IT_WORKS_PATH, &site.how_it_works)?;
    for s in &site.scenarios {
        let (pack, slug) = (&s.summary.pack, &s.summary.slug);
        write_json(out, &body_path(pack, slug), &s.body)?;
        write_json(out, &rubric_path(pack, slug), &s.rubric)?;
        // Its own file, fetched when the page starts the investigation: evidence is in neither
        // the pre-rendered page nor scenario.json.
        if let Some(inv) = &s.investigation {
            write_json(out, &investigation_path(pack, slug), inv)?;
        }
        let page_dir = out.join(
            Route::Scenario {
                pack: pack.clone(),
                slug: slug.clone(),
            }
            .path(),
        );
        for name in &s.files {
            std::fs::copy(s.dir.join(name), page_dir.join(name))?;
        }
    }
    Ok(())
}

/// Writes `value` as JSON at `rel` below `out`, creating folders.
pub fn write_json<T: serde::Serialize>(out: &Path, rel: &str, value: &T) -> std::io::Result<()> {
    let path = out.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let json = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    std::fs::write(path, json)
}
