//! The evaluator's work on one scenario page: gradings and follow-up questions in flight, per
//! attempt, and what they end in. It lives as long as the page (switching between review and
//! compare does not cancel a grading); leaving the page cancels what is still running. Results
//! are saved into the attempt the moment they exist; a failure never touches the attempt.

use super::follow::{announce, follow, typing};
use super::workspace::Workspace;
use crate::clock::{now, random_id};
use crate::evaluator::grader::{self, boundary_for, Job};
use crate::evaluator::http::Cancel;
use crate::evaluator::prefs::{page_is_https, site_origin, Stores};
use crate::site::{Load, Store};
use leap_core::grading::engine::{Graded, Live};
use leap_core::grading::errors::{ErrorKind, ProviderError};
use leap_core::grading::prompt::{answer_text, build_with_log};
use leap_core::grading::provider::{ProviderKind, Settings};
use leap_core::storage::schema::{Feedback, FollowUp};
use leptos::prelude::*;
use std::collections::HashMap;

/// What is happening for one attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Activity {
    /// A grading is running.
    Grading {
        /// "Anthropic · claude-sonnet-5".
        evaluator: String,
        /// Its progress.
        live: Live,
    },
    /// A follow-up question is being answered.
    Asking {
        /// The feedback it is about.
        feedback: String,
        /// The question.
        question: String,
        /// The answer so far.
        so_far: String,
    },
}

/// Something to tell the learner after a run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// True for a failure (an alert), false for information (a status).
    pub failed: bool,
    /// What happened.
    pub what: String,
    /// What to do next.
    pub next: String,
    /// Whether the fix is in Settings.
    pub settings: bool,
    /// The feedback it concerns (follow-ups), if any.
    pub feedback: Option<String>,
}

/// The evaluator's state for a scenario page, shared by its views.
#[derive(Clone, Copy)]
pub struct Evaluations {
    running: RwSignal<HashMap<String, Activity>>,
    outcomes: RwSignal<HashMap<String, Outcome>>,
    cancels: StoredValue<HashMap<String, Cancel>, LocalStorage>,
}

impl Evaluations {
    /// Starts empty; cancels whatever is running when the page goes away.
    pub fn new() -> Self {
        let e = Evaluations {
            running: RwSignal::new(HashMap::new()),
            outcomes: RwSignal::new(HashMap::new()),
            cancels: StoredValue::new_local(HashMap::new()),
        };
        on_cleanup(move || {
            e.cancels
                .try_with_value(|c| c.values().for_each(Cancel::cancel));
        });
        e
    }

    /// What is running for an attempt.
    pub fn activity(&self, attempt: &str) -> Option<Activity> {
        self.running.with(|r| r.get(attempt).cloned())
    }

    /// How the last run for an attempt ended, if it needs saying.
    pub fn outcome(&self, attempt: &str) -> Option<Outcome> {
        self.outcomes.with(|o| o.get(attempt).cloned())
    }

    /// Stops what is running for an attempt, keeping what arrived.
    pub fn cancel(&self, attempt: &str) {
        self.cancels.with_value(|c| {
            if let Some(c) = c.get(attempt) {
                c.cancel();
            }
        });
    }

    fn set_running(&self, attempt: &str, activity: Option<Activity>) {
        let _ = self.running.try_update(|r| match activity {
            Some(a) => {
                r.insert(attempt.to_string(), a);
            }
            None => {
                r.remove(attempt);
            }
        });
    }

    fn set_outcome(&self, attempt: &str, outcome: Option<Outcome>) {
        let _ = self.outcomes.try_update(|o| match outcome {
            Some(x) => {
                o.insert(attempt.to_string(), x);
            }
            None => {
                o.remove(attempt);
            }
        });
    }

    fn explain(
        &self,
        attempt: &str,
        e: &ProviderError,
        settings: &Settings,
        feedback: Option<String>,
    ) {
        let (what, next) = e.explain(settings, &site_origin());
        let in_settings = matches!(
            e.kind,
            ErrorKind::Unauthorized
                | ErrorKind::Forbidden
                | ErrorKind::NotFound
                | ErrorKind::BadRequest
                | ErrorKind::Network
        );
        self.set_outcome(
            attempt,
            Some(Outcome {
                failed: e.kind != ErrorKind::Cancelled,
                what,
                next,
                settings: in_settings,
                feedback,
            }),
        );
    }

    /// A job for an attempt with the current settings (or another provider or model), or the
    /// reason there can be none.
    fn job(
        &self,
        ws: &Workspace,
        store: &Store,
        attempt: &str,
        provider: Option<ProviderKind>,
        model: Option<String>,
    ) -> Result<Job, Outcome> {
        let (pack, (_, slug)) = (ws.pack.get_value(), ws.scenario.get_value());
        let stores = Stores::open();
        let mut prefs = stores.preferences(store, Some(&pack));
        if let Some(p) = provider {
            prefs.provider = p;
        }
        let mut settings = prefs.settings(&stores.local, &stores.session);
        if let Some(m) = model.filter(|m| !m.trim().is_empty()) {
            settings.model = m.trim().to_string();
        }
        let problem = |what: String, settings: bool| Outcome {
            failed: true,
            what,
            next: String::new(),
            settings,
            feedback: None,
        };
        settings
            .check(page_is_https())
            .map_err(|e| problem(e, true))?;
        let (Load::Ready(body), Load::Ready(rubric)) =
            (store.body(&pack, &slug), store.rubric(&pack, &slug))
        else {
            return Err(problem(
                "The scenario and its rubric must be loaded first; reload the page if they do not appear.".into(),
                false,
            ));
        };
        let (answer, log) = ws
            .attempts
            .with_untracked(|l| {
                l.iter()
                    .find(|a| a.id == attempt)
                    .map(|a| (a.answer.clone(), a.log.clone()))
            })
            .ok_or_else(|| {
                problem(
                    "This attempt is no longer stored in this browser.".into(),
                    false,
                )
            })?;
        let title = store.index.with_value(|i| {
            i.scenarios
                .iter()
                .find(|s| s.pack == pack && s.slug == slug)
                .map(|s| s.title.clone())
                .unwrap_or_default()
        });
        // The evaluator grades the path too: it needs the probes and injects the log names.
        let investigation = if ws.investigation {
            let loaded = store
                .investigation(&pack, &slug)
                .peek()
                .and_then(|r| r.clone().ok());
            Some(loaded.ok_or_else(|| {
                problem(
                    "The investigation must be loaded first; reload the page if it does not appear.".into(),
                    false,
                )
            })?)
        } else {
            None
        };
        let text = answer_text(&answer);
        let log_text = log
            .as_ref()
            .and_then(|l| serde_json::to_string(l).ok())
            .unwrap_or_default();
        let prompt = build_with_log(
            &title,
            &body,
            &rubric,
            &answer,
            investigation.as_deref(),
            log.as_ref(),
            &boundary_for(&[&text, &log_text]),
        )
        .map_err(|_| problem("Could not fence the answer; try again.".into(), false))?;
        Ok(Job {
            settings,
            idle_ms: prefs.idle_ms(),
            prompt,
            answer_text: text,
        })
    }

    fn start(&self, attempt: &str) -> Option<Cancel> {
        let cancel = Cancel::new()?;
        let c = cancel.clone();
        self.cancels.update_value(|m| {
            m.insert(attempt.to_string(), c);
        });
        self.set_outcome(attempt, None);
        Some(cancel)
    }

    fn end(&self, attempt: &str) {
        self.set_running(attempt, None);
        let _ = self.cancels.try_update_value(|m| {
            m.remove(attempt);
        });
    }

    /// Grades an attempt with the current settings (or another model) and saves the feedback.
    pub fn grade(&self, ws: Workspace, store: Store, attempt: String, model: Option<String>) {
        if self.activity(&attempt).is_some() {
            return;
        }
        let job = match self.job(&ws, &store, &attempt, None, model) {
            Ok(j) => j,
            Err(o) => return self.set_outcome(&attempt, Some(o)),
        };
        let settings = job.settings.clone();
        let Some(cancel) = self.start(&attempt) else {
            return;
        };
        let evaluator = format!("{} · {}", settings.provider.name(), settings.model);
        let this = *self;
        this.set_running(
            &attempt,
            Some(Activity::Grading {
                evaluator: evaluator.clone(),
                live: Live::Waiting,
            }),
        );
        leptos::task::spawn_local(async move {
            let showing = attempt.clone();
            let result = grader::grade(&job, &cancel, move |live| {
                // A frame may come after leaving the page: nothing is left to show it in.
                if !this.running.is_disposed() {
                    this.set_running(
                        &showing,
                        Some(Activity::Grading {
                            evaluator: evaluator.clone(),
                            live,
                        }),
                    )
                }
            })
            .await;
            // Leaving the page cancels the run; there is no page left to show or save it in.
            if this.running.is_disposed() {
                return;
            }
            this.end(&attempt);
            match result {
                Ok(graded) => {
                    let stopped = graded.stopped.clone();
                    let id = save_feedback(&ws, &attempt, &settings, graded);
                    let said = "The evaluator's feedback is ready.";
                    if typing() {
                        // Writing a reflection while waiting: say it, but leave the caret there.
                        announce(said.to_string());
                    } else {
                        follow(format!("fb-{id}"), said);
                    }
                    if let Some(e) = stopped {
                        this.explain(&attempt, &e, &settings, None);
                    }
                }
                Err(e) => this.explain(&attempt, &e, &settings, None),
            }
        });
    }

    /// Asks a follow-up question about one feedback of an attempt and saves the answer.
    pub fn ask(
        &self,
        ws: Workspace,
        store: Store,
        attempt: String,
        feedback: String,
        question: String,
    ) {
        if self.activity(&attempt).is_some() || question.trim().is_empty() {
            return;
        }
        let Some(fb) = ws.attempts.with_untracked(|l| {
            l.iter()
                .find(|a| a.id == attempt)
                .and_then(|a| a.feedback.iter().find(|f| f.id == feedback).cloned())
        }) else {
            return;
        };
        // The follow-up goes to the provider and model that graded.
        let job = match self.job(
            &ws,
            &store,
            &attempt,
            Some(fb.provider),
            Some(fb.model.clone()),
        ) {
            Ok(j) => j,
            Err(o) => {
                return self.set_outcome(
                    &attempt,
                    Some(Outcome {
                        feedback: Some(feedback),
                        ..o
                    }),
                )
            }
        };
        let settings = job.settings.clone();
        let Some(cancel) = self.start(&attempt) else {
            return;
        };
        let this = *self;
        let question = question.trim().to_string();
        let asking = {
            let (feedback, question) = (feedback.clone(), question.clone());
            move |so_far: String| Activity::Asking {
                feedback: feedback.clone(),
                question: question.clone(),
                so_far,
            }
        };
        this.set_running(&attempt, Some(asking(String::new())));
        let earlier: Vec<(String, String)> = fb
            .thread
            .iter()
            .map(|f| (f.question.clone(), f.answer.clone()))
            .collect();
        leptos::task::spawn_local(async move {
            let showing = attempt.clone();
            let result = grader::ask(&job, &fb.reply, &earlier, &question, &cancel, move |text| {
                if !this.running.is_disposed() {
                    this.set_running(&showing, Some(asking(text)))
                }
            })
            .await;
            if this.running.is_disposed() {
                return;
            }
            this.end(&attempt);
            match result {
                Ok(answered) => {
                    let stopped = answered.stopped.clone();
                    ws.change_attempt(&attempt, |a| {
                        if let Some(f) = a.feedback.iter_mut().find(|f| f.id == feedback) {
                            f.thread.push(FollowUp {
                                question,
                                answer: answered.text,
                                at: now(),
                                usage: answered.usage,
                            });
                        }
                    });
                    if let Some(e) = stopped {
                        this.explain(&attempt, &e, &settings, Some(feedback));
                    }
                }
                Err(e) => this.explain(&attempt, &e, &settings, Some(feedback)),
            }
        });
    }
}

impl Default for Evaluations {
    fn default() -> Self {
        Self::new()
    }
}

/// Saves a grading as the attempt's newest feedback; returns its id.
fn save_feedback(ws: &Workspace, attempt: &str, settings: &Settings, graded: Graded) -> String {
    let id = random_id();
    let feedback = Feedback {
        id: id.clone(),
        provider: settings.provider,
        model: settings.model.clone(),
        at: now(),
        grade: graded.grade,
        reply: graded.reply,
        usage: graded.usage,
        complete: graded.complete,
        thread: Vec::new(),
    };
    ws.change_attempt(attempt, |a| a.feedback.push(feedback));
    id
}
