//! Writes the baked data files of a compiled site: the index every page loads, and per scenario its
//! body, its rubric (a separate file, fetched only after the learner commits), an investigation's
//! probes, injects and facts (another, fetched when the page starts it) and its files.

use super::{CompiledScenario, CompiledSite};
use crate::baked::{Investigation, Rubric, ScenarioBody};
use crate::routes::{HOW_IT_WORKS_PATH, INDEX_PATH};
use std::path::Path;

/// The names of a scenario's data files in its page's folder: those of `routes::body_path`,
/// `rubric_path` and `investigation_path` (a test holds them to it).
const BODY_FILE: &str = "scenario.json";
const RUBRIC_FILE: &str = "rubric.json";
const INVESTIGATION_FILE: &str = "investigation.json";

/// The data files of one scenario, serialised once when it is compiled: the build id hashes these
/// bytes and `leap build` writes the same bytes, so nothing is serialised twice.
#[derive(Debug, Clone, Default)]
pub struct ScenarioJson {
    /// `scenario.json`: what the learner reads.
    pub body: Vec<u8>,
    /// `rubric.json`: fetched after the learner commits.
    pub rubric: Vec<u8>,
    /// `investigation.json`, for a scenario with probes.
    pub investigation: Option<Vec<u8>>,
}

impl ScenarioJson {
    /// Serialises a scenario's data files.
    pub fn of(body: &ScenarioBody, rubric: &Rubric, investigation: Option<&Investigation>) -> Self {
        ScenarioJson {
            body: serde_json::to_vec(body).unwrap_or_default(),
            rubric: serde_json::to_vec(rubric).unwrap_or_default(),
            investigation: investigation.map(|i| serde_json::to_vec(i).unwrap_or_default()),
        }
    }
}

/// A short hash of all baked content, so a new deploy never mixes with cached data of an old one.
pub fn build_id(site: &CompiledSite) -> String {
    let mut index = site.index.clone();
    index.build.clear();
    let mut hash = Fnv::default();
    hash.update(&serde_json::to_vec(&index).unwrap_or_default());
    hash.update(site.how_it_works.html.as_bytes());
    for s in &site.scenarios {
        hash.update(&s.json.body);
        hash.update(&s.json.rubric);
        if let Some(inv) = &s.json.investigation {
            hash.update(inv);
        }
    }
    hash.hex()
}

/// A 10-hex-digit FNV-1a hash: stable across Rust versions (unlike `DefaultHasher`), and plenty
/// for cache busting.
pub fn fnv_hex(bytes: &[u8]) -> String {
    let mut hash = Fnv::default();
    hash.update(bytes);
    hash.hex()
}

/// FNV-1a fed in pieces: the hash of their concatenation, without building it.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn update(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn hex(&self) -> String {
        format!("{:016x}", self.0)[..10].to_string()
    }
}

/// Writes the data files of `site` that are not a scenario's: the index and "how it works".
/// Each scenario's are written by [`write_scenario_data`], with its page.
pub fn write_site_data(site: &CompiledSite, out: &Path) -> std::io::Result<()> {
    write_json(out, INDEX_PATH, &site.index)?;
    write_json(out, HOW_IT_WORKS_PATH, &site.how_it_works)
}

/// Writes one scenario's data files and the files its Markdown embeds into `dir`, its page's
/// folder, which must exist: every file of a scenario lives there (`body_path` and the others).
pub fn write_scenario_data(s: &CompiledScenario, dir: &Path) -> std::io::Result<()> {
    std::fs::write(dir.join(BODY_FILE), &s.json.body)?;
    std::fs::write(dir.join(RUBRIC_FILE), &s.json.rubric)?;
    // Its own file, fetched when the page starts the investigation: evidence is in neither
    // the pre-rendered page nor scenario.json.
    if let Some(inv) = &s.json.investigation {
        std::fs::write(dir.join(INVESTIGATION_FILE), inv)?;
    }
    for name in &s.files {
        std::fs::copy(s.dir.join(name), dir.join(name))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::{body_path, investigation_path, rubric_path, Route};

    #[test]
    fn data_files_are_where_the_app_fetches_them() {
        let dir = Route::Scenario {
            pack: "p".into(),
            slug: "s".into(),
        }
        .path();
        assert_eq!(body_path("p", "s"), format!("{dir}{BODY_FILE}"));
        assert_eq!(rubric_path("p", "s"), format!("{dir}{RUBRIC_FILE}"));
        assert_eq!(
            investigation_path("p", "s"),
            format!("{dir}{INVESTIGATION_FILE}")
        );
    }

    #[test]
    fn hashing_in_pieces_is_hashing_the_whole() {
        let mut h = Fnv::default();
        h.update(b"scenario");
        h.update(b".json");
        assert_eq!(h.hex(), fnv_hex(b"scenario.json"));
        // The published FNV-1a 64 value of "a" (af63dc4c8601ec8c), cut to ten digits.
        assert_eq!(fnv_hex(b"a"), "af63dc4c86");
    }
}
