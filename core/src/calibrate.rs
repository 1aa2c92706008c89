//! `leap calibrate`: grades every sample answer of the built packs with a real provider (or the
//! mock) and reports how often the evaluator agrees with the verdicts the author expected, per
//! criterion and per scenario. Disagreement usually means a criterion's `caught`/`partial` text is
//! not concrete enough for a grader to decide.
//!
//! An investigation's sample answers are sent with their path (the `[log]` of their front
//! matter), as a learner's attempt is, so the evaluator's investigation criteria are calibrated
//! too. Criteria the site decides by rule are not the evaluator's: they count in the model's
//! score with the site's verdict but not in the agreement (the core-pack test checks them).

use crate::baked::SampleAnswer;
use crate::compiler::{CompiledScenario, CompiledSite};
use crate::grading::call::Ending;
use crate::grading::engine::{self, block_on, fresh_boundary, Flow, Outgoing, Transport};
use crate::grading::errors::{ErrorKind, ProviderError};
use crate::grading::prompt::{answer_text, build_with_log, Prompt};
use crate::grading::provider::Settings;
use crate::grading::reply::Grade;
use crate::score::{score, Weighted};
use crate::session::SessionLog;
use crate::storage::schema::Answer;
use crate::taxonomy::Verdict;
use std::fmt::Write;

/// The real network, through `ureq`: blocking, so the engine runs under [`block_on`].
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
    async fn send(
        &self,
        request: &Outgoing,
        on_chunk: &mut dyn FnMut(&str) -> Flow,
    ) -> Result<Ending, ProviderError> {
        let network = |e: &dyn std::fmt::Display| ProviderError {
            kind: ErrorKind::Network,
            status: None,
            message: e.to_string(),
            retry_after: None,
        };
        let mut req = self.0.post(&request.url);
        for (k, v) in &request.headers {
            req = req.header(*k, v.as_str());
        }
        let mut resp = req.send(request.body.as_str()).map_err(|e| network(&e))?;
        let status = resp.status().as_u16();
        let retry = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        // Read at most what the engine would keep, plus one byte to know it was more.
        let limit = crate::grading::call::MAX_BODY_BYTES as u64 + 1;
        let text = resp
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_string()
            .map_err(|e| network(&e))?;
        if !(200..300).contains(&status) {
            return Err(ProviderError::from_response(
                request.provider,
                status,
                retry.as_deref(),
                &text,
            ));
        }
        let _ = on_chunk(&text);
        Ok(Ending::Finished)
    }
}

/// One sample answer's grading.
#[derive(Debug, Clone)]
pub struct AnswerResult {
    /// The answer's file name.
    pub name: String,
    /// Expected and model verdict per criterion the evaluator grades, in rubric order (`None`:
    /// not graded).
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

/// Grades one answer through the one engine, as the browser does (without streaming).
pub fn grade_answer(
    transport: &impl Transport,
    settings: &Settings,
    prompt: &Prompt,
    answer_text: &str,
) -> Result<Grade, String> {
    block_on(engine::grade(
        transport,
        settings,
        prompt,
        answer_text,
        false,
        &mut |_| {},
    ))
    .map(|g| g.grade)
    .map_err(|e| {
        // The browser-only advice that needs the site's origin never applies here.
        let (what, next) = e.diagnose(settings, "");
        format!("{what} {next}").trim().to_string()
    })
}

/// 128 bits for a fence boundary, from the operating system's secure random source.
fn os_random(bytes: &mut [u8; 16]) {
    if getrandom::fill(bytes).is_err() {
        // No OS randomness: the sample answers are the author's, not an adversary's, so a
        // clock-derived token is enough to keep them from colliding with it.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes.copy_from_slice(&nanos.to_le_bytes());
    }
}

/// Calibrates every scenario whose slug contains `filter` (all when `None`).
pub fn calibrate(
    site: &CompiledSite,
    settings: &Settings,
    filter: Option<&str>,
    transport: &impl Transport,
    mut progress: impl FnMut(&str),
) -> Report {
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
                    let text = answer_text(&answer);
                    let log = s
                        .investigation
                        .as_ref()
                        .zip(sample.log.as_ref())
                        .map(|(inv, l)| SessionLog::from_sample(inv, l));
                    let boundary = fresh_boundary(&mut os_random, &[&text]);
                    let result = build_with_log(
                        &s.summary.title,
                        &s.body,
                        &s.rubric,
                        &answer,
                        s.investigation.as_ref(),
                        log.as_ref(),
                        &boundary,
                    )
                    .map_err(|_| "could not fence the answer".to_string())
                    .and_then(|prompt| {
                        grade_answer(transport, settings, &prompt, &text).map(|g| (prompt, g))
                    });
                    match result {
                        Ok((prompt, grade)) => {
                            let got = |id: &str| {
                                prompt
                                    .decided
                                    .iter()
                                    .find(|(d, _)| d == id)
                                    .map(|(_, v)| *v)
                                    .or_else(|| {
                                        grade
                                            .criteria
                                            .iter()
                                            .find(|g| g.id == id)
                                            .map(|g| g.verdict)
                                    })
                            };
                            AnswerResult {
                                name: sample.name.clone(),
                                verdicts: s
                                    .rubric
                                    .criteria
                                    .iter()
                                    .filter(|c| prompt.criterion_ids.contains(&c.id))
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
