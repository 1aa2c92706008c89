//! `leap calibrate` against the mock provider, over real HTTP, for every provider's wire format:
//! the sample answers are graded, a malformed first reply is repaired once, and failures are
//! reported per answer with the next step instead of aborting the run.
#![cfg(feature = "cli")]

use leap_core::calibrate::{calibrate, Http, Report};
use leap_core::compiler::{self, CompiledSite};
use leap_core::grading::provider::{ProviderKind, Settings};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The mock server, killed when the test ends.
struct Mock {
    child: Child,
    base: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn start_mock() -> Mock {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new("python3")
        .arg(repo().join("tests/mock_provider/server.py"))
        .args(["--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 runs the mock provider");
    // The server prints its address once it listens.
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.contains("mock provider on"),
        "mock did not start: {line}"
    );
    Mock {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

fn fixture_site() -> CompiledSite {
    compiler::compile(&repo().join("tests/fixtures/good")).expect("the good fixture compiles")
}

fn settings(mock: &Mock, provider: ProviderKind, key: &str, model: &str) -> Settings {
    let base_url = match provider {
        ProviderKind::Anthropic | ProviderKind::Ollama => mock.base.clone(),
        ProviderKind::OpenAi => format!("{}/v1", mock.base),
        ProviderKind::OpenRouter => format!("{}/api/v1", mock.base),
        ProviderKind::OpenAiCompatible => format!("{}/compat/v1", mock.base),
    };
    Settings {
        provider,
        model: model.into(),
        base_url,
        key: key.into(),
    }
}

/// Calibrates the fixture pack's scenarios matching `filter` against the mock.
fn run(
    mock: &Mock,
    provider: ProviderKind,
    key: &str,
    model: &str,
    filter: Option<&str>,
) -> Report {
    calibrate(
        &fixture_site(),
        &settings(mock, provider, key, model),
        filter,
        &Http::new(),
        |_| {},
    )
}

fn answers(report: &Report) -> usize {
    report.scenarios.iter().map(|s| s.answers.len()).sum()
}

/// The POST requests the mock has received (its `/__log`).
fn requests(mock: &Mock) -> Vec<serde_json::Value> {
    let log: Vec<serde_json::Value> = ureq::get(format!("{}/__log", mock.base))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .map(|text| serde_json::from_str(&text).unwrap())
        .unwrap();
    log.into_iter().filter(|r| r["method"] == "POST").collect()
}

#[test]
fn every_provider_grades_every_sample_answer() {
    let mock = start_mock();
    for provider in ProviderKind::ALL {
        let key = if provider.needs_key() {
            "sk-test-good"
        } else {
            ""
        };
        let report = run(&mock, provider, key, "some-model", None);
        assert_eq!(report.failures(), 0, "{provider:?}:\n{report}");
        assert_eq!(
            answers(&report),
            5,
            "{provider:?}: every sample answer of the fixture is graded"
        );
        for a in report.scenarios.iter().flat_map(|s| &s.answers) {
            assert!(!a.verdicts.is_empty());
            assert!(
                a.verdicts.iter().all(|(_, _, got)| got.is_some()),
                "{provider:?} {}: every criterion graded",
                a.name
            );
            assert!(a.scores.1.is_some());
        }
        let (_, compared) = report.agreement();
        assert!(compared > 0);
        let text = report.to_string();
        assert!(text.contains("Verdicts that agree:"), "{text}");
        assert!(text.contains(provider.label()), "{text}");
    }
}

#[test]
fn a_malformed_reply_is_repaired_once() {
    let mock = start_mock();
    let report = run(
        &mock,
        ProviderKind::OpenAi,
        "sk-malformed",
        "gpt-5-mini",
        Some("cache-stampede"),
    );
    assert_eq!(report.failures(), 0, "{report}");
    let log = requests(&mock);
    assert_eq!(
        log.len(),
        4,
        "two sample answers, each graded then repaired"
    );
    let repair = log[1]["body"].to_string();
    assert!(
        repair.contains("could not be read"),
        "the repair request says what was wrong: {repair}"
    );
}

#[test]
fn a_reply_that_never_parses_fails_that_answer_and_says_so() {
    let mock = start_mock();
    let report = run(
        &mock,
        ProviderKind::Ollama,
        "",
        "malformed-always",
        Some("cache-stampede"),
    );
    assert_eq!(report.failures(), 2);
    assert_eq!(requests(&mock).len(), 4, "one repair per answer, no more");
    let text = report.to_string();
    assert!(text.contains("even after asking again"), "{text}");
    assert!(text.contains("2 grading(s) failed"), "{text}");
}

#[test]
fn a_rejected_key_explains_the_fix() {
    let mock = start_mock();
    let report = run(
        &mock,
        ProviderKind::Anthropic,
        "sk-fail-401",
        "claude-sonnet-5",
        Some("flag-cleanup"),
    );
    assert_eq!(report.failures(), answers(&report));
    let error = report.scenarios[0].answers[0].error.as_deref().unwrap();
    assert!(error.to_lowercase().contains("key"), "{error}");
}

#[test]
fn unknown_criteria_and_bad_verdicts_are_dropped_not_trusted() {
    let mock = start_mock();
    let report = run(
        &mock,
        ProviderKind::OpenRouter,
        "sk-unknown-criteria",
        "anthropic/claude-sonnet-5",
        Some("flag-cleanup"),
    );
    assert_eq!(report.failures(), 0, "{report}");
    for a in &report.scenarios[0].answers {
        assert!(a
            .verdicts
            .iter()
            .all(|(id, _, _)| id != "made-up-criterion"));
        assert_eq!(
            a.verdicts[1].2, None,
            "the second criterion's verdict `mostly` is not a verdict: {:?}",
            a.verdicts
        );
    }
}
