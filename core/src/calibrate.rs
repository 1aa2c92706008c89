//! `leap calibrate`: grades every sample answer of the built packs with a real provider (or the
//! mock) and reports how often the evaluator agrees with the verdicts the author expected, per
//! criterion and per scenario. Disagreement usually means a criterion's `caught`/`partial` text is
//! not concrete enough for a grader to decide.

use crate::baked::SampleAnswer;
use crate::compiler::{CompiledScenario, CompiledSite};
use crate::grading::errors::ProviderError;
use crate::grading::prompt::{answer_text, build, Prompt};
use crate::grading::provider::Settings;
use crate::grading::reply::{validate, Grade};
use crate::grading::request;
use crate::grading::stream::complete_reply;
use crate::score::{score, Weighted};
use crate::storage::schema::Answer;
use crate::taxonomy::Verdict;
use std::fmt::Write;

/// Sends a JSON request and returns (status, retry-after, body).
pub trait Transport {
    /// POSTs `body` to `url` with `headers`.
    fn post(
        &self,
        url: &str,
        headers: &[(&'static str, String)],
        body: &str,
    ) -> Result<(u16, Option<String>, String), String>;
}

/// The real network, through `ureq`.
pub struct Http(ureq::Agent);

impl Http {
    /// An agent that returns error statuses as responses (we classify them) and gives up after
    /// three minutes.
    pub fn new() -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(180)))
            .build();
        Http(config.new_agent())
    }
}

impl Default for Http {
    fn default() -> Self {
        Self::new()
    }
}

impl Transport for Http {
    fn post(
        &self,
        url: &str,
        headers: &[(&'static str, String)],
        body: &str,
    ) -> Result<(u16, Option<String>, String), String> {
        let mut req = self.0.post(url);
        for (k, v) in headers {
            req = req.header(*k, v.as_str());
        }
        let mut resp = req.send(body).map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let retry = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let text = resp
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())?;
        Ok((status, retry, text))
    }
}

/// One sample answer's grading.
#[derive(Debug, Clone)]
pub struct AnswerResult {
    /// The answer's file name.
    pub name: String,
    /// Expected and model verdict per criterion, in rubric order (`None`: not graded).
    pub verdicts: Vec<(String, Verdict, Option<Verdict>)>,
    /// Expected score and the model's, 0–100.
    pub scores: (f64, Option<f64>),
    /// Why the grading failed, if it did.
    pub error: Option<String>,
}

/// One scenario's results.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    /// Its pack and slug.
    pub name: String,
    /// Per sample answer.
    pub answers: Vec<AnswerResult>,
}

/// The whole calibration.
#[derive(Debug, Clone)]
pub struct Report {
    /// Provider and model, for the heading.
    pub evaluator: String,
    /// Per scenario.
    pub scenarios: Vec<ScenarioResult>,
}

impl Report {
    /// (agreeing verdicts, verdicts compared).
    pub fn agreement(&self) -> (usize, usize) {
        let all = self
            .scenarios
            .iter()
            .flat_map(|s| &s.answers)
            .flat_map(|a| &a.verdicts)
            .filter(|(_, _, got)| got.is_some());
        all.fold((0, 0), |(ok, n), (_, want, got)| {
            (ok + usize::from(Some(*want) == *got), n + 1)
        })
    }

    /// Whether any grading failed.
    pub fn failures(&self) -> usize {
        self.scenarios
            .iter()
            .flat_map(|s| &s.answers)
            .filter(|a| a.error.is_some())
            .count()
    }
}

fn letter(v: Option<Verdict>) -> char {
    match v {
        Some(Verdict::Caught) => 'C',
        Some(Verdict::Partial) => 'P',
        Some(Verdict::Missed) => 'M',
        None => '·',
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Calibration against {} (C caught, P partial, M missed, · not graded)\n",
            self.evaluator
        )?;
        let mut by_criterion: Vec<(String, usize, usize)> = Vec::new();
        for s in &self.scenarios {
            writeln!(f, "{}", s.name)?;
            for a in &s.answers {
                if let Some(e) = &a.error {
                    writeln!(f, "  {:<16} failed: {e}", a.name)?;
                    continue;
                }
                let want: String = a
                    .verdicts
                    .iter()
                    .map(|(_, w, _)| letter(Some(*w)))
                    .collect();
                let got: String = a.verdicts.iter().map(|(_, _, g)| letter(*g)).collect();
                let agree = a.verdicts.iter().filter(|(_, w, g)| Some(*w) == *g).count();
                let model = a.scores.1.map_or("—".to_string(), |s| format!("{s:.0} %"));
                writeln!(f, "  {:<16} expected {want}  model {got}  agree {agree}/{}  score {:.0} % expected, {model} model", a.name, a.verdicts.len(), a.scores.0)?;
                for (id, w, g) in &a.verdicts {
                    let key = format!("{}/{id}", s.name);
                    match by_criterion.iter_mut().find(|(k, _, _)| *k == key) {
                        Some(entry) => {
                            entry.1 += usize::from(Some(*w) == *g);
                            entry.2 += 1;
                        }
                        None => by_criterion.push((key, usize::from(Some(*w) == *g), 1)),
                    }
                }
            }
        }
        let (ok, n) = self.agreement();
        let pct = if n == 0 {
            0.0
        } else {
            ok as f64 * 100.0 / n as f64
        };
        writeln!(f, "\nVerdicts that agree: {ok} of {n} ({pct:.0} %).")?;
        by_criterion
            .sort_by(|a, b| (a.1 as f64 / a.2 as f64).total_cmp(&(b.1 as f64 / b.2 as f64)));
        let weakest: Vec<String> = by_criterion
            .iter()
            .filter(|(_, ok, n)| ok < n)
            .take(10)
            .map(|(k, ok, n)| format!("  {k}: {ok}/{n}"))
            .collect();
        if !weakest.is_empty() {
            writeln!(f, "Criteria the evaluator disagrees on most (rewrite their caught/partial text first):\n{}", weakest.join("\n"))?;
        }
        if self.failures() > 0 {
            writeln!(f, "{} grading(s) failed; see above.", self.failures())?;
        }
        Ok(())
    }
}

fn answer_of(s: &SampleAnswer) -> Answer {
    Answer {
        reasoning: s.reasoning.clone(),
        uncertainty: s.uncertainty.clone(),
        commitment: s.commitment.clone(),
        confidence: Some(s.confidence.min(100) as u8),
    }
}

/// A boundary token no sample answer can contain by chance.
pub fn fresh_boundary(counter: u64) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("{nanos}-{counter}-{}", std::process::id()).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("leap-{h:016x}")
}

/// Sends one request and returns the reply text, or a message saying why not.
fn send(
    transport: &dyn Transport,
    settings: &Settings,
    body: &serde_json::Value,
) -> Result<String, String> {
    let (status, retry, text) =
        transport.post(&settings.endpoint(), &settings.headers(), &body.to_string())?;
    if !(200..300).contains(&status) {
        let e = ProviderError::from_response(settings.provider, status, retry.as_deref(), &text);
        // Only HTTP statuses get here (the transport reports network failures itself), so the
        // browser-only advice that needs the site's origin never applies.
        let (what, next) = e.diagnose(settings, "");
        return Err(format!("{what} {next}"));
    }
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("the response is not JSON ({e})"))?;
    Ok(complete_reply(settings.provider, &value).0)
}

/// Grades one answer, with one retry if the first reply is unusable.
pub fn grade_answer(
    transport: &dyn Transport,
    settings: &Settings,
    prompt: &Prompt,
    answer_text: &str,
) -> Result<Grade, String> {
    let first = send(
        transport,
        settings,
        &request::grading(settings, prompt, false),
    )?;
    match validate(&first, &prompt.criterion_ids, answer_text) {
        Ok(g) => Ok(g),
        Err(reason) => {
            let second = send(
                transport,
                settings,
                &request::repair(settings, prompt, &first, &reason.to_string(), false),
            )?;
            validate(&second, &prompt.criterion_ids, answer_text).map_err(|e| format!("{e}, twice"))
        }
    }
}

/// Calibrates every scenario whose slug contains `filter` (all when `None`).
pub fn calibrate(
    site: &CompiledSite,
    settings: &Settings,
    filter: Option<&str>,
    transport: &dyn Transport,
    mut progress: impl FnMut(&str),
) -> Report {
    let mut counter = 0;
    let scenarios = site
        .scenarios
        .iter()
        .filter(|s| filter.is_none_or(|f| s.summary.slug.contains(f)))
        .map(|s: &CompiledScenario| {
            progress(&format!("{}/{}", s.summary.pack, s.summary.slug));
            let answers = s
                .answers
                .iter()
                .map(|sample| {
                    counter += 1;
                    let answer = answer_of(sample);
                    let expected =
                        |id: &str| sample.verdicts.get(id).copied().unwrap_or(Verdict::Missed);
                    let weights = |got: &dyn Fn(&str) -> Option<Verdict>| {
                        score(s.rubric.criteria.iter().map(|c| Weighted {
                            tier: c.tier,
                            weight: c.weight,
                            verdict: got(&c.id),
                        }))
                        .ratio()
                            * 100.0
                    };
                    let expected_score = weights(&|id| Some(expected(id)));
                    let result = build(
                        &s.summary.title,
                        &s.body,
                        &s.rubric,
                        &answer,
                        &fresh_boundary(counter),
                    )
                    .map_err(|_| "could not fence the answer".to_string())
                    .and_then(|prompt| {
                        grade_answer(transport, settings, &prompt, &answer_text(&answer))
                    });
                    match result {
                        Ok(grade) => {
                            let got = |id: &str| {
                                grade
                                    .criteria
                                    .iter()
                                    .find(|g| g.id == id)
                                    .map(|g| g.verdict)
                            };
                            AnswerResult {
                                name: sample.name.clone(),
                                verdicts: s
                                    .rubric
                                    .criteria
                                    .iter()
                                    .map(|c| (c.id.clone(), expected(&c.id), got(&c.id)))
                                    .collect(),
                                scores: (expected_score, Some(weights(&got))),
                                error: None,
                            }
                        }
                        Err(e) => AnswerResult {
                            name: sample.name.clone(),
                            verdicts: vec![],
                            scores: (expected_score, None),
                            error: Some(e),
                        },
                    }
                })
                .collect();
            ScenarioResult {
                name: format!("{}/{}", s.summary.pack, s.summary.slug),
                answers,
            }
        })
        .collect();
    let mut heading = String::new();
    let _ = write!(
        heading,
        "{} / {} at {}",
        settings.provider.label(),
        settings.model,
        settings.base()
    );
    Report {
        evaluator: heading,
        scenarios,
    }
}
