//! The bundled core pack meets the library's bar: enough scenarios across every track and
//! competency, rich artifacts, honest sample answers whose verdicts separate a strong answer
//! from weak and plausible-but-wrong ones, and situations that never name the company.

mod common;

use common::copy_dir;
use leap_core::compiler::{compile, CompiledScenario, CompiledSite};
use leap_core::score::{caught_every_critical, score, Weighted};
use leap_core::taxonomy::{Competency, Kind, Quality, Track};
use std::path::Path;
use std::sync::OnceLock;

fn site() -> &'static CompiledSite {
    static SITE: OnceLock<CompiledSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        compile(&content).unwrap_or_else(|d| panic!("the bundled content does not compile:\n{d}"))
    })
}

fn core() -> impl Iterator<Item = &'static CompiledScenario> {
    site().scenarios.iter().filter(|s| s.summary.pack == "core")
}

#[test]
fn the_library_has_40_scenarios_that_fill_the_gaps() {
    use leap_core::taxonomy::{Level, Tier};
    let all: Vec<_> = core().collect();
    assert!(all.len() >= 40, "{} scenarios", all.len());
    for track in Track::ALL {
        let n = all.iter().filter(|s| s.summary.track == *track).count();
        assert!(n >= 9, "track {track} has {n} scenarios");
    }
    let count = |f: &dyn Fn(&&CompiledScenario) -> bool| all.iter().filter(|s| f(s)).count();
    let at_least = |what: &str, n: usize, min: usize| assert!(n >= min, "{n} {what}, want {min}");
    at_least(
        "code reviews",
        count(&|s| s.summary.kind == Kind::CodeReview),
        4,
    );
    at_least(
        "migrations",
        count(&|s| s.summary.kind == Kind::Migration),
        4,
    );
    at_least(
        "design reviews",
        count(&|s| s.summary.kind == Kind::DesignReview),
        3,
    );
    at_least(
        "mid-level scenarios",
        count(&|s| s.summary.level == Level::MidLevel),
        8,
    );
    at_least(
        "staff scenarios",
        count(&|s| s.summary.level == Level::Staff),
        4,
    );
    at_least(
        "drills of 15 minutes or less",
        count(&|s| s.summary.minutes <= 15),
        5,
    );
    at_least(
        "deep dives of 90 minutes or more",
        count(&|s| s.summary.minutes >= 90),
        2,
    );
    at_least("investigations", count(&|s| s.investigation.is_some()), 16);
    // Mentoring leads: it is the first competency, and the rubric weighs it as critical (the
    // criterion about the person, not only the bug). Found by the author's tag and the tier.
    at_least(
        "scenarios led by mentoring",
        count(&|s| {
            s.summary.competencies.first() == Some(&Competency::Mentoring)
                && s.rubric.criteria.iter().any(|c| {
                    let words = [
                        "teach",
                        "junior",
                        "review that",
                        "grow",
                        "pair",
                        "her ",
                        "him ",
                    ];
                    let about_the_person = format!("{} {}", c.id, c.name)
                        .to_lowercase()
                        .contains("ment")
                        || words
                            .iter()
                            .any(|w| c.insight.markdown.to_lowercase().contains(w));
                    c.tier == Tier::Critical && about_the_person
                })
        }),
        4,
    );
}

#[test]
fn every_competency_appears_in_at_least_three_scenarios() {
    for c in Competency::ALL {
        let n = core()
            .filter(|s| s.summary.competencies.contains(c))
            .count();
        assert!(n >= 3, "competency {c} appears in {n} scenarios");
    }
}

#[test]
fn kinds_are_mixed() {
    for kind in Kind::ALL {
        assert!(
            core().any(|s| s.summary.kind == *kind),
            "no {kind} scenario"
        );
    }
}

#[test]
fn every_scenario_has_three_artifacts_references_and_all_three_sample_answers() {
    for s in core() {
        let slug = &s.summary.slug;
        assert!(
            s.body.artifacts.len() >= 3,
            "{slug}: {} artifacts",
            s.body.artifacts.len()
        );
        assert!(!s.rubric.references.is_empty(), "{slug}: no references");
        for q in Quality::ALL {
            assert!(
                s.answers.iter().any(|a| a.quality == *q),
                "{slug}: no {} answer",
                q.slug()
            );
        }
    }
}

fn weighted<'a>(
    s: &'a CompiledScenario,
    verdicts: &'a std::collections::BTreeMap<String, leap_core::taxonomy::Verdict>,
) -> impl Iterator<Item = Weighted> + 'a {
    s.rubric.criteria.iter().map(move |c| Weighted {
        tier: c.tier,
        weight: c.weight,
        verdict: verdicts.get(&c.id).copied(),
    })
}

/// The score band a sample answer of each quality must land in, as whole percentages of the
/// weighted rubric (inclusive), and whether it must catch every critical criterion.
struct Band {
    min: u32,
    max: u32,
    every_critical: bool,
}

/// The bands of the second edition (issue 12), for scenarios that carry all four qualities:
/// strong ≥ 85 % with every critical criterion caught, mixed 45–70 % (where real learners
/// land), weak and plausible-wrong ≤ 40 %.
fn band(quality: Quality) -> Band {
    match quality {
        Quality::Strong => Band {
            min: 85,
            max: 100,
            every_critical: true,
        },
        Quality::Mixed => Band {
            min: 45,
            max: 70,
            every_critical: false,
        },
        Quality::Weak | Quality::PlausibleWrong => Band {
            min: 0,
            max: 40,
            every_critical: false,
        },
    }
}

#[test]
fn sample_answers_separate_strong_from_weak_and_plausible_wrong() {
    let mut wrong = Vec::new();
    for s in core() {
        for a in &s.answers {
            let sc = score(weighted(s, &a.verdicts));
            let b = band(a.quality);
            let what = format!("{}/answers/{}.md", s.summary.slug, a.name);
            // Earned is a multiple of ½ and the total a whole number, so comparing
            // earned × 100 with total × percent is exact: 10.5 of 15 is 70 %, in the band.
            let (earned, total) = (sc.earned * 100.0, sc.total);
            if earned < total * f64::from(b.min) || earned > total * f64::from(b.max) {
                wrong.push(format!(
                    "{what}: a {} answer scores {:.1} %, outside {}–{} % — change the answer or its verdicts",
                    a.quality.slug(),
                    sc.ratio() * 100.0,
                    b.min,
                    b.max
                ));
            }
            if b.every_critical && !caught_every_critical(weighted(s, &a.verdicts)) {
                wrong.push(format!(
                    "{what}: a {} answer must catch every critical criterion",
                    a.quality.slug()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn weak_answers_are_at_least_300_words() {
    let mut short = Vec::new();
    for s in core() {
        for a in s.answers.iter().filter(|a| a.quality == Quality::Weak) {
            let words = [&a.reasoning, &a.uncertainty, &a.commitment]
                .iter()
                .map(|t| t.split_whitespace().count())
                .sum::<usize>();
            if words < 300 {
                short.push(format!(
                    "{}/answers/{}.md: {words} words — a weak answer makes real mistakes at length (300 or more)",
                    s.summary.slug, a.name
                ));
            }
        }
    }
    assert!(short.is_empty(), "{}", short.join("\n"));
}

#[test]
fn situations_never_name_the_company_their_references_name() {
    for s in core() {
        let mut text = format!(
            "{} {} {}",
            s.summary.title, s.summary.hook, s.body.situation.markdown
        );
        for a in &s.body.artifacts {
            text.push(' ');
            text.push_str(&a.title);
            text.push(' ');
            text.push_str(&a.body.markdown);
        }
        text.push_str(&s.body.ask.markdown);
        if let Some(p) = &s.body.primer {
            text.push_str(&p.markdown);
        }
        let words: Vec<String> = text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .map(str::to_ascii_lowercase)
            .collect();
        for name in s
            .rubric
            .references
            .iter()
            .filter_map(|r| company_of(&r.url))
            .flat_map(aliases)
        {
            assert!(
                !words.contains(&name),
                "{}: the situation names `{name}`, the company its references point at",
                s.summary.slug
            );
        }
    }
}

/// The names a company goes by in prose, from the name its host gives.
fn aliases(host_name: String) -> Vec<String> {
    let extra: &[&str] = match host_name.as_str() {
        "fb" => &["facebook", "meta", "instagram", "whatsapp"],
        "googleblog" => &["google"],
        "primevideotech" => &["amazon", "prime"],
        "amazon" => &["aws"],
        _ => &[],
    };
    std::iter::once(host_name)
        .chain(extra.iter().map(|s| s.to_string()))
        .collect()
}

/// The organisation a reference URL belongs to, when the host says so (blog.cloudflare.com →
/// cloudflare); None for publishers and hosts that carry many organisations' writing.
fn company_of(url: &str) -> Option<String> {
    const PUBLISHERS: &[&str] = &[
        "medium",
        "wikipedia",
        "reuters",
        "bbc",
        "theguardian",
        "nytimes",
        "wsj",
        "bloomberg",
        "sec",
        "gov",
        "ncbi",
        "nih",
        "jamanetwork",
        "nature",
        "science",
        "harvard",
        "arxiv",
        "youtube",
        "twitter",
        "x",
        "web",
        "chromestatus",
        "chromium",
        "sansec",
        "itv",
        "archive",
        "seekingalpha",
        "cnbc",
        "theverge",
        "arstechnica",
        "wired",
        "zdnet",
        "swtch",
        "martinfowler",
        "npmjs",
        "fcc",
        "techcrunch",
    ];
    let mut parts = url.split("://").nth(1)?.split('/');
    let host = parts.next()?.to_ascii_lowercase();
    if host == "medium.com" {
        // medium.com/airbnb-engineering/… is the company's own blog.
        return parts
            .next()
            .and_then(|p| p.split('-').next())
            .map(|c| c.trim_start_matches('@').to_ascii_lowercase())
            .filter(|c| c.len() > 2);
    }
    if host == "github.com" {
        return None;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let name = labels.iter().rev().nth(1)?.to_string();
    (!PUBLISHERS.contains(&name.as_str()) && name.len() > 1).then_some(name)
}

#[test]
fn the_example_company_pack_builds_when_a_fork_turns_it_on() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    // Off by default: the bundled site does not list it.
    assert!(site()
        .index
        .scenarios
        .iter()
        .all(|s| s.pack != "acme-example"));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&content, dir.path());
    std::fs::write(
        dir.path().join("fork.toml"),
        "title = \"Acme Leap\"\npacks = [\"acme-example\"]\n",
    )
    .unwrap();
    let fork = compile(dir.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(fork.index.title, "Acme Leap");
    assert_eq!(
        fork.index
            .scenarios
            .iter()
            .map(|s| s.pack.as_str())
            .collect::<Vec<_>>(),
        ["acme-example"]
    );
}

#[test]
fn sample_answers_code_decided_verdicts_are_what_the_site_decides_from_their_logs() {
    use leap_core::session::{decide, SessionLog};
    let mut wrong = Vec::new();
    for s in core() {
        let Some(inv) = &s.investigation else {
            continue;
        };
        for a in &s.answers {
            let what = format!("{}/answers/{}.md", s.summary.slug, a.name);
            let Some(sample) = &a.log else {
                wrong.push(format!(
                    "{what}: an investigation's sample answer needs a [log]"
                ));
                continue;
            };
            let log = SessionLog::from_sample(inv, sample);
            for c in &s.rubric.criteria {
                let Some(rule) = &c.rule else { continue };
                let site = decide(rule, &log);
                let written = a.verdicts.get(&c.id).copied();
                if written != Some(site) {
                    wrong.push(format!(
                        "{what}: `{}` ({rule}) is {} by its log, but the answer says {}",
                        c.id,
                        site.slug(),
                        written.map_or("nothing", |v| v.slug())
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn investigations_have_a_path_worth_grading() {
    use leap_core::baked::CriterionKind;
    let investigations: Vec<_> = core().filter(|s| s.investigation.is_some()).collect();
    assert!(
        investigations.len() >= 8,
        "{} investigations",
        investigations.len()
    );
    for track in Track::ALL {
        let n = investigations
            .iter()
            .filter(|s| s.summary.track == *track)
            .count();
        assert!(n >= 2, "track {track} has {n} investigations");
    }
    for s in &investigations {
        let slug = &s.summary.slug;
        let inv = s.investigation.as_ref().unwrap();
        let path = s
            .rubric
            .investigation
            .as_ref()
            .unwrap_or_else(|| panic!("{slug}: no [investigation] in the rubric"));
        assert!(inv.probes.len() >= 6, "{slug}: {} probes", inv.probes.len());
        assert!(
            inv.injects.len() >= 2,
            "{slug}: {} injects",
            inv.injects.len()
        );
        assert!(
            path.traps.len() >= 2 || inv.probes.len() >= 6,
            "{slug}: traps"
        );
        let kinds = |code: bool| {
            s.rubric
                .criteria
                .iter()
                .filter(|c| c.kind == CriterionKind::Investigation && c.rule.is_some() == code)
                .count()
        };
        assert!(
            kinds(true) >= 1,
            "{slug}: no investigation criterion decided by code"
        );
        assert!(
            kinds(false) >= 1,
            "{slug}: no investigation criterion judged by the evaluator"
        );
        assert!(
            !inv.facts.markdown.trim().is_empty(),
            "{slug}: no facts sheet for the game master"
        );
    }
}

#[test]
fn every_live_incident_is_an_investigation() {
    let flat: Vec<&str> = core()
        .filter(|s| s.summary.kind == Kind::LiveIncident && s.investigation.is_none())
        .map(|s| s.summary.slug.as_str())
        .collect();
    assert!(
        flat.is_empty(),
        "live incidents that are not investigations: {flat:?}"
    );
}

/// Every person's first name the core pack's scenarios use (people in situations, artifacts,
/// rubrics and sample answers; cited authors are not characters and are left out). Add a name here
/// when a scenario introduces someone.
const PEOPLE: &[&str] = &[
    "Adaeze",
    "Agnieszka",
    "Aiko",
    "Ama",
    "Anouk",
    "Babajide",
    "Bashir",
    "Benedikt",
    "Björn",
    "Bruno",
    "Caio",
    "Camila",
    "Chiara",
    "Chidi",
    "Cosmin",
    "Dalia",
    "Deniz",
    "Dilnoza",
    "Dmitri",
    "Dragan",
    "Efua",
    "Eitan",
    "Elif",
    "Emeka",
    "Esra",
    "Farah",
    "Farid",
    "Fatou",
    "Fionn",
    "Florin",
    "Freya",
    "Gaspard",
    "Goran",
    "Grace",
    "Gulnara",
    "Gwen",
    "Halima",
    "Hamid",
    "Hana",
    "Haruto",
    "Henrik",
    "Hiroshi",
    "Hyejin",
    "Idris",
    "Ilse",
    "Ines",
    "Isidora",
    "Ivo",
    "Jana",
    "Jaroslav",
    "Joanna",
    "Jomo",
    "Jonas",
    "Kasia",
    "Kemi",
    "Kofi",
    "Lars",
    "Leila",
    "Luca",
    "Maeve",
    "Marek",
    "Mateo",
    "Nikhil",
    "Noor",
    "Oksana",
    "Olu",
    "Oren",
    "Paloma",
    "Pedro",
    "Priya",
    "Quentin",
    "Ramón",
    "Rania",
    "Ravi",
    "Rhys",
    "Rosa",
    "Sofia",
    "Stellan",
    "Sven",
    "Tariq",
    "Tendai",
    "Thandi",
    "Tomasz",
    "Uche",
    "Ulla",
    "Valentina",
    "Vikram",
    "Wen",
    "Wiebke",
    "Ximena",
    "Yara",
    "Yusuf",
    "Zanele",
];

/// The most scenarios one person's name may appear in: a cast that recurs teaches a learner the
/// cast ("Tomasz is always wrong") instead of judgment.
const MAX_SCENARIOS_PER_NAME: usize = 2;

/// Whether `text` holds `word` as a whole word (not inside a longer one, e.g. `Wen` in `Wendy`).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// All the Markdown of one scenario folder: scenario, primer, rubric and sample answers.
fn folder_text(dir: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            text.push_str(&folder_text(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            text.push_str(&std::fs::read_to_string(&path).unwrap());
            text.push('\n');
        }
    }
    text
}

#[test]
fn every_persons_name_is_used_in_at_most_two_scenarios() {
    assert!(has_word("Ask Wen's team.", "Wen") && !has_word("Ask Wendy.", "Wen"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/packs/core/scenarios");
    let mut folders: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                folder_text(&p),
            )
        })
        .collect();
    folders.sort();
    let mut overused = Vec::new();
    for name in PEOPLE {
        let used: Vec<&str> = folders
            .iter()
            .filter(|(_, text)| has_word(text, name))
            .map(|(slug, _)| slug.as_str())
            .collect();
        if used.len() > MAX_SCENARIOS_PER_NAME {
            overused.push(format!("{name}: {}", used.join(", ")));
        }
    }
    assert!(
        overused.is_empty(),
        "names used in more than {MAX_SCENARIOS_PER_NAME} scenarios (rename the person in the extra ones, in all their files):\n{}",
        overused.join("\n")
    );
}
