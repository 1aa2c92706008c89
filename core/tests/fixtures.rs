//! The pack compiler against the content fixtures in `tests/fixtures/`: every deliberately broken
//! pack must produce exactly the diagnostics in its `expected.txt`, the good pack must compile and
//! render exactly its snapshot, and a fork's `fork.toml` must take over from `site.toml`.
//!
//! After an intended change, regenerate with `LEAP_BLESS=1 cargo test -p leap-core --test fixtures`
//! and review the diff like code.

mod common;

use common::copy_dir;
use leap_core::compiler::compile;
use leap_core::site::write_site;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn bless() -> bool {
    std::env::var_os("LEAP_BLESS").is_some()
}

/// Compares `actual` with the file at `path`, or writes it when blessing.
fn expect_file(path: &Path, actual: &str) {
    if bless() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with LEAP_BLESS=1 to create it)",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "{} differs (LEAP_BLESS=1 regenerates it)",
        path.display()
    );
}

#[test]
fn every_broken_pack_reports_exactly_its_expected_problems() {
    let dir = fixtures().join("broken");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "broken fixtures are missing");
    for case in cases {
        let diags = compile(&case).expect_err(&format!("{} should not compile", case.display()));
        expect_file(&case.join("expected.txt"), &diags.to_string());
    }
}

#[test]
fn the_good_pack_compiles() {
    let site = compile(&fixtures().join("good")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(site.index.title, "Fixture Leap");
    let slugs: Vec<_> = site
        .index
        .scenarios
        .iter()
        .map(|s| s.slug.as_str())
        .collect();
    // Catalog order: by track (frontend before backend), then level, then title.
    assert_eq!(slugs, ["flag-cleanup", "cache-stampede", "packet-loss"]);
    let cache = &site.scenarios[1];
    assert!(cache.body.primer.is_some());
    assert_eq!(
        cache
            .body
            .artifacts
            .iter()
            .map(|a| a.anchor.as_str())
            .collect::<Vec<_>>(),
        ["timeline", "request-flow", "slow-query-log"]
    );
    assert_eq!(
        cache.files.iter().map(String::as_str).collect::<Vec<_>>(),
        ["flow.svg", "trace.txt"]
    );
    assert_eq!(cache.answers.len(), 2);
    // Raw HTML in content is text, never markup.
    assert!(cache
        .body
        .situation
        .html
        .contains("&lt;b&gt;Raw HTML&lt;/b&gt;"));
}

#[test]
fn an_investigation_compiles_into_its_own_hidden_file() {
    use leap_core::baked::{CriterionKind, Rule, SampleHypothesis};
    let site = compile(&fixtures().join("good")).unwrap_or_else(|d| panic!("{d}"));
    let s = site
        .scenarios
        .iter()
        .find(|s| s.summary.slug == "packet-loss")
        .unwrap();
    assert!(s.summary.investigation);
    assert!(site
        .scenarios
        .iter()
        .filter(|o| o.summary.slug != "packet-loss")
        .all(|o| !o.summary.investigation && o.investigation.is_none()));
    let inv = s.investigation.as_ref().unwrap();
    assert_eq!(inv.start.as_deref(), Some("09:42"));
    let probes: Vec<_> = inv
        .probes
        .iter()
        .map(|p| (p.id.as_str(), p.label.as_str(), p.cost))
        .collect();
    assert_eq!(
        probes,
        [
            ("gateway-drops", "Query the gateway's drop counter", 5),
            ("ask-ana", "Ask Ana (DBA) about replication lag", 10),
            ("migration-diff", "Read the migration's diff", 30),
        ]
    );
    // By time, whatever the author's order.
    let injects: Vec<_> = inv.injects.iter().map(|i| (i.id.as_str(), i.at)).collect();
    assert_eq!(injects, [("net-rollback", 8), ("vp-eta", 12)]);
    // Evidence renders like an artifact: links rewritten, headings with page-unique ids.
    let evidence = &inv.probes[0].evidence.html;
    assert!(
        evidence.contains("<pre tabindex=\"0\"><code class=\"language-log\">"),
        "{evidence}"
    );
    assert!(
        evidence.contains("href=\"scenarios/demo/packet-loss/#error-rate\""),
        "{evidence}"
    );
    assert!(inv.probes[2]
        .evidence
        .html
        .contains("id=\"what-it-touches\""));
    assert!(inv.injects[0]
        .body
        .html
        .contains("src=\"scenarios/demo/packet-loss/mtu.svg\""));
    assert!(inv
        .facts
        .markdown
        .starts_with("- The gateway change lowered the MTU"));
    assert_eq!(
        s.files.iter().map(String::as_str).collect::<Vec<_>>(),
        ["mtu.svg", "trace.txt"]
    );
    // The path part of the rubric.
    let path = s.rubric.investigation.as_ref().unwrap();
    assert_eq!(
        (path.first.clone(), path.traps.clone(), path.act_by),
        (
            vec!["gateway-drops".to_string()],
            vec!["migration-diff".to_string()],
            20
        )
    );
    let rules: Vec<_> = s
        .rubric
        .criteria
        .iter()
        .map(|c| (c.id.as_str(), c.kind, c.rule.clone()))
        .collect();
    assert_eq!(
        rules[2..],
        [
            ("tells-the-vp", CriterionKind::Analysis, None),
            (
                "drops-first",
                CriterionKind::Investigation,
                Some(Rule::First("gateway-drops".into()))
            ),
            (
                "skips-the-diff",
                CriterionKind::Investigation,
                Some(Rule::Avoided("migration-diff".into()))
            ),
            (
                "acts-in-time",
                CriterionKind::Investigation,
                Some(Rule::ActedBy(20))
            ),
            ("revises-on-evidence", CriterionKind::Investigation, None),
        ]
    );
    let strong = s.answers.iter().find(|a| a.name == "strong").unwrap();
    let log = strong.log.as_ref().unwrap();
    assert_eq!(log.probes, ["gateway-drops", "ask-ana"]);
    assert_eq!(log.committed_at, 16);
    assert_eq!(
        log.hypotheses[1],
        SampleHypothesis {
            at: 5,
            text: "Large frames dropped at the gateway".into(),
            confidence: 80
        }
    );

    // Built: the evidence is in investigation.json only, never in the page or its briefing.
    let out = tempfile::tempdir().unwrap();
    let template = std::fs::read_to_string(fixtures().join("template.html")).unwrap();
    write_bundles(out.path());
    write_site(&site, &template, out.path(), "/fixture/").unwrap();
    let dir = out.path().join("scenarios/demo/packet-loss");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    assert!(read("investigation.json").contains("rx_dropped"));
    for name in ["index.html", "scenario.json", "rubric.json"] {
        let text = read(name);
        for secret in [
            "rx_dropped",
            "Lag on the replica",
            "Any ETA",
            "lowered the MTU",
        ] {
            assert!(!text.contains(secret), "{name} shows `{secret}`");
        }
    }
    assert!(!out
        .path()
        .join("scenarios/demo/cache-stampede/investigation.json")
        .exists());
    assert!(std::fs::read_to_string(out.path().join("data/index.json"))
        .unwrap()
        .contains("\"investigation\":true"));
}

#[test]
fn the_good_pack_renders_its_snapshot() {
    let site = compile(&fixtures().join("good")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let template = std::fs::read_to_string(fixtures().join("template.html")).unwrap();
    // The bundles Trunk would have built beside the template.
    write_bundles(out.path());
    write_site(&site, &template, out.path(), "/fixture/").unwrap();
    // The scenario pages' bundles (write, and the full loop it loads) are content-addressed like
    // every other asset: only hashed names remain.
    for bin in ["write", "practice"] {
        let names: Vec<String> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(bin))
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names.iter().all(|n| n.starts_with(&format!("{bin}-"))
                && (n.ends_with(".js") || n.ends_with("_bg.wasm"))),
            "{names:?}"
        );
    }

    let mut files = BTreeMap::new();
    collect(out.path(), out.path(), &mut files);
    let snapshot = fixtures().join("good.snapshot");
    if bless() {
        let _ = std::fs::remove_dir_all(&snapshot);
    }
    for (rel, text) in &files {
        expect_file(&snapshot.join(rel), text);
    }
    let mut expected = BTreeMap::new();
    collect(&snapshot, &snapshot, &mut expected);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the set of written files changed"
    );
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel.starts_with("practice") {
                continue;
            }
            let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
            // JSON is stored pretty so snapshot diffs are readable.
            let text = if rel.ends_with(".json") {
                serde_json::to_string_pretty(
                    &serde_json::from_str::<serde_json::Value>(&text).unwrap(),
                )
                .unwrap()
                    + "\n"
            } else {
                text
            };
            out.insert(rel, text);
        }
    }
}

#[test]
fn a_fork_toml_takes_over_without_editing_site_toml() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("good"), dir.path());
    std::fs::write(
        dir.path().join("fork.toml"),
        "title = \"Acme Leap\"\npacks = [\"extra\"]\n",
    )
    .unwrap();
    let site = compile(dir.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(site.index.title, "Acme Leap");
    assert_eq!(
        site.index.tagline,
        "A small pack that uses every feature of the format."
    );
    assert_eq!(
        site.index
            .scenarios
            .iter()
            .map(|s| (s.pack.as_str(), s.slug.as_str()))
            .collect::<Vec<_>>(),
        [("extra", "only-one")]
    );

    std::fs::write(
        dir.path().join("fork.toml"),
        "packs = [\"extra\", \"nope\"]\nbanner = 1\n",
    )
    .unwrap();
    let problems = compile(dir.path()).unwrap_err().to_string();
    assert_eq!(
        problems,
        "fork.toml:1:19: pack `nope` cannot be read: packs/nope/pack.toml: No such file or directory (os error 2) — create content/packs/nope/pack.toml, or remove `nope` from `packs`\n\
         fork.toml:2:1: unknown field `banner` — remove it or use one of: title, tagline, packs\n"
    );
}

/// Scaffolds `fresh`, checks that the only problems are its placeholders, fills them and compiles.
fn scaffold_fill_and_compile(investigation: bool) -> leap_core::compiler::CompiledSite {
    use leap_core::compiler::scaffold::{scaffold, NewScenario, PLACEHOLDER};
    use leap_core::taxonomy::{Kind, Track};
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("good"), dir.path());
    let new = NewScenario {
        pack: "demo",
        slug: "fresh",
        track: Track::DevopsSre,
        kind: Kind::Migration,
        investigation,
    };
    let files = scaffold(dir.path(), &new).unwrap();
    assert_eq!(files.len(), 6);
    assert!(scaffold(dir.path(), &new)
        .unwrap_err()
        .ends_with("already exists — choose another name"));

    let problems = compile(dir.path()).unwrap_err();
    assert!(problems.len() > 20);
    assert!(
        problems
            .0
            .iter()
            .all(|d| d.problem.starts_with("scaffold placeholder left")),
        "{problems}"
    );

    // Each marker gets its own text, as an author's would be: criteria names must differ.
    let mut written = 0;
    for file in &files {
        let mut text = std::fs::read_to_string(file).unwrap();
        while let Some(at) = text.find(PLACEHOLDER) {
            let end = at + text[at..].find("]]").unwrap() + 2;
            written += 1;
            let filled = if text[..at].ends_with("https://") {
                "Written.".to_string()
            } else {
                format!("Written {written}.")
            };
            text.replace_range(at..end, &filled);
        }
        std::fs::write(
            file,
            text.replace("https://Written.", "https://example.com/postmortem"),
        )
        .unwrap();
    }
    let site = compile(dir.path()).unwrap_or_else(|d| panic!("{d}"));
    let fresh = site.scenarios.iter().find(|s| s.summary.slug == "fresh");
    let names: Vec<_> = fresh
        .unwrap()
        .rubric
        .criteria
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names.len(), if investigation { 5 } else { 3 });
    assert!(
        names.iter().all(|n| n.starts_with("Written ")),
        "every criterion's name is one the author wrote: {names:?}"
    );
    site
}

#[test]
fn a_scaffolded_scenario_is_rejected_until_every_placeholder_is_filled() {
    let site = scaffold_fill_and_compile(false);
    let fresh = site.scenarios.iter().find(|s| s.summary.slug == "fresh");
    assert!(fresh.is_some_and(|s| s.investigation.is_none()));
}

#[test]
fn a_scaffolded_investigation_is_rejected_until_every_placeholder_is_filled() {
    let site = scaffold_fill_and_compile(true);
    let fresh = site
        .scenarios
        .iter()
        .find(|s| s.summary.slug == "fresh")
        .unwrap();
    assert!(fresh.summary.investigation);
    let inv = fresh.investigation.as_ref().unwrap();
    assert_eq!(inv.probes.len(), 3);
    assert_eq!(inv.injects.len(), 1);
    assert!(fresh.rubric.investigation.is_some());
    assert!(fresh.rubric.criteria.iter().any(|c| c.rule.is_some()));
    assert!(fresh.answers.iter().all(|a| a.log.is_some()));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_a_scenario_folder_is_refused_and_never_read() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("good"), dir.path());
    // What a hostile pull request would point at: a file of the machine that builds the site.
    let secret = dir.path().join("secret.toml");
    std::fs::write(&secret, "+++\nTOKEN_abc123 = 1\n+++\n").unwrap();
    let scenario = dir.path().join("packs/demo/scenarios/cache-stampede");
    std::fs::remove_file(scenario.join("trace.txt")).unwrap();
    std::os::unix::fs::symlink(&secret, scenario.join("trace.txt")).unwrap();
    std::fs::remove_file(scenario.join("primer.md")).unwrap();
    std::os::unix::fs::symlink(&secret, scenario.join("primer.md")).unwrap();

    let problems = compile(dir.path()).unwrap_err().to_string();
    assert_eq!(
        problems,
        "packs/demo/scenarios/cache-stampede/primer.md:1:1: `primer.md` is a symbolic link — put the file itself in the folder: a pack may not point at files outside it\n\
         packs/demo/scenarios/cache-stampede/trace.txt:1:1: `trace.txt` is a symbolic link — put the file itself in the folder: a pack may not point at files outside it\n"
    );
    assert!(!problems.contains("TOKEN"));
}

/// The fenced blocks of `content/README.md`'s "Investigations" section that follow a line
/// starting with `intro`.
fn readme_block(intro: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/README.md"))
            .unwrap();
    let section = &readme[readme
        .find("## Investigations")
        .expect("no Investigations section")..];
    let after = &section[section
        .find(intro)
        .unwrap_or_else(|| panic!("no `{intro}`"))..];
    let open = after.find("\n```").unwrap() + 1;
    let fence_len = after[open..].chars().take_while(|c| *c == '`').count();
    let fence = "`".repeat(fence_len);
    let body_start = open + after[open..].find('\n').unwrap() + 1;
    let end = body_start + after[body_start..].find(&format!("\n{fence}\n")).unwrap() + 1;
    after[body_start..end].to_string()
}

#[test]
fn the_readme_worked_investigation_compiles() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("good"), dir.path());
    let s = dir.path().join("packs/demo/scenarios/packet-loss");
    // The README's example embeds no files.
    std::fs::remove_file(s.join("mtu.svg")).unwrap();
    std::fs::remove_file(s.join("trace.txt")).unwrap();
    std::fs::write(
        s.join("scenario.md"),
        readme_block("`scenario.md` (the briefing"),
    )
    .unwrap();
    let prose = |file: &str| {
        let text = std::fs::read_to_string(s.join(file)).unwrap();
        let body = text.splitn(3, "+++\n").nth(2).unwrap().to_string();
        body
    };
    let rubric = readme_block("`rubric.md` (front matter") + &prose("rubric.md");
    std::fs::write(s.join("rubric.md"), rubric).unwrap();
    let weak = readme_block("`answers/weak.md` (front matter") + &prose("answers/weak.md");
    std::fs::write(s.join("answers/weak.md"), &weak).unwrap();
    std::fs::write(
        s.join("answers/strong.md"),
        weak.replace("quality = \"weak\"", "quality = \"strong\""),
    )
    .unwrap();
    let site = compile(dir.path()).unwrap_or_else(|d| panic!("{d}"));
    let example = site
        .scenarios
        .iter()
        .find(|s| s.summary.slug == "packet-loss")
        .unwrap();
    let inv = example.investigation.as_ref().unwrap();
    assert_eq!((inv.probes.len(), inv.injects.len()), (3, 2));
    assert_eq!(example.rubric.criteria.len(), 6);
}

/// Writes the files Trunk builds for each bundle whose loader the generator writes, and the lazy
/// bundles' (the full practice loop, probe, yourdata).
fn write_bundles(out: &std::path::Path) {
    let bins = leap_core::routes::Bundle::GENERATED
        .iter()
        .map(|b| b.bin())
        .chain([
            leap_core::routes::PRACTICE_BIN,
            leap_core::routes::PROBE_BIN,
            leap_core::routes::YOURDATA_BIN,
        ]);
    for bin in bins {
        std::fs::write(out.join(format!("{bin}.js")), format!("// {bin}")).unwrap();
        std::fs::write(out.join(format!("{bin}_bg.wasm")), bin).unwrap();
    }
}

/// `leap check` validates without hashing the site: the same site and the same verdicts as
/// `compile`, only without the build id.
#[test]
fn check_is_compile_without_the_build_id() {
    let good = fixtures().join("good");
    let compiled = compile(&good).unwrap_or_else(|d| panic!("{d}"));
    let checked = leap_core::compiler::check(&good).unwrap_or_else(|d| panic!("{d}"));
    assert!(!compiled.index.build.is_empty());
    assert!(checked.index.build.is_empty());
    let mut index = compiled.index.clone();
    index.build.clear();
    assert_eq!(
        serde_json::to_string(&checked.index).unwrap(),
        serde_json::to_string(&index).unwrap()
    );
    assert_eq!(checked.scenarios.len(), compiled.scenarios.len());
    let broken = fixtures().join("broken/markdown");
    assert_eq!(
        leap_core::compiler::check(&broken).unwrap_err().to_string(),
        compile(&broken).unwrap_err().to_string()
    );
}

/// `leap build` hashes the build id while it writes the files that do not carry it: the site it
/// writes is the one `compile` and `write_site` write, byte for byte.
#[test]
fn building_a_checked_site_writes_the_compiled_one() {
    let good = fixtures().join("good");
    let template = std::fs::read_to_string(fixtures().join("template.html")).unwrap();
    let (written, built) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_bundles(written.path());
    write_bundles(built.path());
    let compiled = compile(&good).unwrap_or_else(|d| panic!("{d}"));
    let pages = write_site(&compiled, &template, written.path(), "/fixture/").unwrap();
    let mut checked = leap_core::compiler::check(&good).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        leap_core::site::build_site(&mut checked, &template, built.path(), "/fixture/").unwrap(),
        pages
    );
    assert_eq!(checked.index.build, compiled.index.build);
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    collect(written.path(), written.path(), &mut a);
    collect(built.path(), built.path(), &mut b);
    assert!(a.len() > 10, "{:?}", a.keys());
    assert_eq!(a, b);
}
