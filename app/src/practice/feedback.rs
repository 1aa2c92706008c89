//! The evaluator's feedback on a committed attempt: the "Get feedback" button and its live
//! progress, every grading saved with the attempt (newest first) beside the learner's own
//! verdicts with disagreements marked, quotes flagged when they are not in the answer, token use
//! and cost, and a follow-up thread per grading. Model text is shown as text, or as Markdown
//! rendered without raw HTML; never as markup.

use super::evaluation::{Activity, Evaluations, Outcome};
use super::review::inline;
use super::workspace::Workspace;
use crate::clock::offset_minutes;
use crate::evaluator::prefs::{page_is_https, Stores};
use crate::site::Store;
use leap_core::grading::engine::Live;
use leap_core::grading::provider::Readiness;
use leap_core::grading::reply::{CriterionGrade, Grade};
use leap_core::grading::usage::describe;
use leap_core::md::{quote_text, render_untrusted};
use leap_core::storage::schema::{disagree, Attempt, CriterionRef, Feedback};
use leap_core::taxonomy::Verdict;
use leap_core::time::format_datetime;
use leptos::prelude::*;

/// The feedback section of a committed attempt.
#[component]
pub fn FeedbackPanel(attempt: Memo<Option<Attempt>>, attempt_id: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let store = expect_context::<Store>();
    let ev = expect_context::<Evaluations>();
    let pack = ws.pack.get_value();
    let settings = Stores::open().settings(&store, Some(&pack));
    let model = RwSignal::new(settings.model.clone());
    let suggestions = settings.provider.suggested_models();
    // Nothing entered yet is not an error: offer the way to set it up instead of a button that fails.
    // A configuration that is there but wrong keeps the button, whose error says what to fix.
    let not_set_up = matches!(settings.readiness(page_is_https()), Readiness::NotSetUp(_));
    let activity = {
        let id = attempt_id.clone();
        Memo::new(move |_| ev.activity(&id))
    };
    let grading = move || matches!(activity.get(), Some(Activity::Grading { .. }));
    let busy = move || activity.get().is_some();
    let get_feedback = {
        let id = attempt_id.clone();
        move |_| ev.grade(ws, store, id.clone(), Some(model.get_untracked()))
    };
    let cancel = {
        let id = attempt_id.clone();
        move |_| ev.cancel(&id)
    };
    let outcome = {
        let id = attempt_id.clone();
        move || ev.outcome(&id).filter(|o| o.feedback.is_none())
    };
    // Keyed by grading and thread length: a card is rebuilt only when its own thread grows, so
    // marking a verdict above never closes a card or clears a question being typed.
    let feedbacks = move || {
        attempt.with(|a| {
            a.as_ref()
                .map(|a| a.feedback.iter().rev().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let newest = move || {
        attempt.with(|a| {
            a.as_ref()
                .and_then(|a| a.feedback.last().map(|f| f.id.clone()))
        })
    };
    view! {
        <section class="feedback" aria-labelledby="feedback-title">
            <h3 id="feedback-title">"The evaluator's feedback"</h3>
            <p class="hint">
                {format!("An AI evaluator ({}) reads your answer against the rubric. Your answer goes only to {}; ", settings.provider.name(), settings.origin().unwrap_or_else(|| settings.base_url.clone()))}
                <a href="settings/">"change the evaluator in Settings"</a>"."
            </p>
            {if not_set_up {
                view! {
                    <p class="evaluator-bar">
                        <a class="button" href="settings/">"Set up feedback"</a>
                        " No evaluator is set up yet: choose one and enter its key or model in Settings."
                    </p>
                }.into_any()
            } else { view! {
            <div class="evaluator-bar">
                <div class="field inline">
                    <label for="grade-model">"Grade with model"</label>
                    <input id="grade-model" type="text" list="grade-model-options" autocomplete="off" spellcheck="false"
                        prop:value=move || model.get()
                        on:input=move |e| model.set(event_target_value(&e))/>
                    <datalist id="grade-model-options">
                        {suggestions.iter().map(|m| view! { <option value=*m></option> }).collect_view()}
                    </datalist>
                </div>
                <button type="button" class="primary" on:click=get_feedback prop:disabled=busy>"Get feedback"</button>
                {move || grading().then(|| view! { <button type="button" class="secondary" on:click=cancel.clone()>"Cancel"</button> })}
            </div>
            }.into_any() }}
            {move || match activity.get() {
                Some(Activity::Grading { evaluator, live }) => view! { <Progress evaluator=evaluator live=live attempt=attempt/> }.into_any(),
                _ => ().into_any(),
            }}
            {move || outcome().map(|o| view! { <OutcomeNote outcome=o/> })}
            <For each=feedbacks key=|f| (f.id.clone(), f.thread.len()) let(f)>
                <FeedbackCard open=newest() == Some(f.id.clone()) feedback=f attempt=attempt/>
            </For>
        </section>
    }
}

#[component]
fn OutcomeNote(outcome: Outcome) -> impl IntoView {
    let class = if outcome.failed {
        "notice error"
    } else {
        "notice"
    };
    let role = if outcome.failed { "alert" } else { "status" };
    view! {
        <div class=class role=role>
            <p><strong>{outcome.what}</strong></p>
            {(!outcome.next.is_empty()).then(|| view! { <p>{outcome.next}</p> })}
            {outcome.settings.then(|| view! { <p><a href="settings/">"Open Settings"</a></p> })}
        </div>
    }
}

/// The run in progress: what it is waiting for, then the verdicts as they arrive.
#[component]
fn Progress(evaluator: String, live: Live, attempt: Memo<Option<Attempt>>) -> impl IntoView {
    // The model grades every criterion but those the site decided from the path.
    let criteria: Vec<CriterionRef> = attempt
        .get_untracked()
        .map(|a| {
            let decided = a.decided;
            a.rubric
                .unwrap_or_default()
                .into_iter()
                .filter(|c| !decided.contains_key(&c.id))
                .collect()
        })
        .unwrap_or_default();
    let (status, partial) = match live {
        Live::Waiting => (format!("Waiting for {evaluator}…"), None),
        Live::Receiving(None) => (format!("{evaluator} is writing its grading…"), None),
        Live::Receiving(Some(g)) => (
            format!(
                "{evaluator} is writing its grading: {} of {} criteria so far…",
                g.criteria.len(),
                criteria.len().max(g.criteria.len())
            ),
            Some(g),
        ),
        Live::Repairing(reason) => (
            format!("The first reply could not be used ({reason}); asking {evaluator} once more…"),
            None,
        ),
    };
    view! {
        <div class="grading-progress">
            <p class="loading" role="status" aria-live="polite">{status}</p>
            {partial.map(|g| view! {
                <ul class="partial-verdicts">
                    {g.criteria.iter().map(|c| {
                        let label = criteria.iter().find(|r| r.id == c.id).map(CriterionRef::label).unwrap_or_else(|| c.id.clone());
                        view! { <li><VerdictBadge verdict=Some(c.verdict)/>" "<span>{label}</span></li> }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// A criterion's insight (the attempt's snapshot keeps its Markdown) as inline HTML.
fn insight_html(markdown: &str) -> String {
    inline(&render_untrusted(markdown))
}

/// A verdict as a small coloured label.
#[component]
pub fn VerdictBadge(verdict: Option<Verdict>) -> impl IntoView {
    let (class, label) = match verdict {
        Some(v) => (format!("verdict-badge {}", v.slug()), v.label()),
        None => ("verdict-badge none".to_string(), "Not graded"),
    };
    view! { <span class=class>{label}</span> }
}

fn usage_line(f: &Feedback) -> Option<String> {
    f.usage.map(|u| describe(f.provider, &f.model, &u))
}

/// One grading, as saved with the attempt.
#[component]
fn FeedbackCard(feedback: Feedback, attempt: Memo<Option<Attempt>>, open: bool) -> impl IntoView {
    // Focus moves here when this grading arrives (see `follow`).
    let summary_id = format!("fb-{}", feedback.id);
    let snapshot = attempt.get_untracked();
    let attempt_id = snapshot.as_ref().map(|a| a.id.clone()).unwrap_or_default();
    let decided = snapshot
        .as_ref()
        .map(|a| a.decided.clone())
        .unwrap_or_default();
    let criteria: Vec<CriterionRef> = snapshot.and_then(|a| a.rubric).unwrap_or_default();
    let model_score = feedback.score(&criteria, &decided);
    let when = format_datetime(feedback.at, offset_minutes());
    let grade: Grade = feedback.grade.clone();
    let summary = format!(
        "{} · {} · {when}{}",
        feedback.provider.name(),
        feedback.model,
        if feedback.complete {
            ""
        } else {
            " · incomplete"
        }
    );
    let score_line = if model_score.total > 0.0 {
        let base = format!(
            "The evaluator's verdicts score {} % ",
            model_score.percent()
        );
        let unj = if model_score.unjudged > 0 {
            format!(
                "({} criteria not graded count as missed) ",
                model_score.unjudged
            )
        } else {
            String::new()
        };
        format!("{base}{unj}— computed by this site from the rubric's weights; the model gives no score.")
    } else {
        String::new()
    };
    // The learner's own verdicts change as they mark the rubric above: only these parts follow.
    let own = move || {
        attempt.with(|a| {
            a.as_ref()
                .map(|a| {
                    (
                        a.review
                            .as_ref()
                            .map(|r| r.verdicts.clone())
                            .unwrap_or_default(),
                        Some(leap_core::score::score(a.self_review_weights())),
                    )
                })
                .unwrap_or_default()
        })
    };
    let own_line = {
        let (criteria, feedback) = (criteria.clone(), feedback.clone());
        move || {
            let (mine, self_score) = own();
            let Some(self_score) = self_score.filter(|s| s.complete()) else {
                return "Mark every criterion in the rubric above to compare your verdicts with the evaluator's.".to_string();
            };
            format!(
                "Your self-review: {} %. {}",
                self_score.percent(),
                match feedback.disagreements(&criteria, &mine) {
                    0 => "You and the evaluator agree on every criterion it graded.".to_string(),
                    1 => "You disagree on 1 criterion (marked below).".to_string(),
                    n => format!("You disagree on {n} criteria (marked below)."),
                }
            )
        }
    };
    let rows = {
        let (criteria, grade, decided) = (criteria.clone(), grade.clone(), decided.clone());
        move || {
            let (mine, _) = own();
            criteria
                .iter()
                .map(|c| {
                    let theirs = grade.criteria.iter().find(|g| g.id == c.id).cloned();
                    let site = decided.get(&c.id).copied();
                    view! { <CriterionRow criterion=c.clone() mine=mine.get(&c.id).copied() theirs=theirs decided=site/> }
                })
                .collect_view()
        }
    };
    let problems = grade.problems.clone();
    let incomplete = (!feedback.complete).then(|| {
        let missing: Vec<String> = criteria
            .iter()
            .filter(|c| grade.ungraded.contains(&c.id))
            .map(CriterionRef::label)
            .collect();
        view! {
            <p class="notice warning">
                {"Only part of the reply arrived (cancelled, cut off or failed), so this grading is incomplete."}
                {(!missing.is_empty()).then(|| format!(" Not graded: {}.", missing.join("; ")))}
                " Grade again for a complete one."
            </p>
        }
    });
    let md = |text: &str| render_untrusted(text);
    view! {
        <details class="feedback-card" open=open>
            <summary id=summary_id>{summary}</summary>
            {usage_line(&feedback).map(|u| view! { <p class="muted usage">{u}</p> })}
            {incomplete}
            <p class="score">{score_line}</p>
            <p>{own_line}</p>
            <ol class="fb-criteria">{rows}</ol>
            {(!grade.uncertainties.is_empty()).then(|| view! {
                <h4>"What you were unsure of"</h4>
                <dl class="uncertainties">
                    {grade.uncertainties.iter().map(|u| view! {
                        <dt>{u.concern.clone()}</dt>
                        <dd class="prose" inner_html=md(&u.answer)></dd>
                    }).collect_view()}
                </dl>
            })}
            {(!grade.missed_failure_mode.is_empty()).then(|| view! {
                <h4>"The failure mode most people miss"</h4>
                <div class="prose" inner_html=md(&grade.missed_failure_mode)></div>
            })}
            {(!grade.focus_next.is_empty()).then(|| view! {
                <h4>"One thing to focus on next"</h4>
                <div class="prose" inner_html=md(&grade.focus_next)></div>
            })}
            {(!grade.overall.is_empty()).then(|| view! {
                <h4>"Overall"</h4>
                <div class="prose" inner_html=md(&grade.overall)></div>
            })}
            {(!problems.is_empty()).then(|| view! {
                <details class="reply-problems">
                    <summary>{format!("What was wrong with the reply ({})", problems.len())}</summary>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </details>
            })}
            <Thread feedback=feedback.clone() attempt_id=attempt_id/>
        </details>
    }
}

#[component]
fn CriterionRow(
    criterion: CriterionRef,
    mine: Option<Verdict>,
    theirs: Option<CriterionGrade>,
    decided: Option<Verdict>,
) -> impl IntoView {
    if let Some(v) = decided {
        // Decided from the log at commit: neither the evaluator nor the learner grades it.
        return view! {
            // Not an `.fb-criterion`: those are the ones the evaluator graded.
            <li class="fb-decided">
                <div role="group" aria-label=criterion.label()>
                <FeedbackHead criterion=criterion.clone()/>
                <p class="fb-verdicts">"Decided by the site from your path: "<VerdictBadge verdict=Some(v)/></p>
                </div>
            </li>
        }
        .into_any();
    }
    let verdict = theirs.as_ref().map(|t| t.verdict);
    let disagree = disagree(mine, verdict);
    let class = if disagree {
        "fb-criterion disagree"
    } else {
        "fb-criterion"
    };
    view! {
        <li class=class>
            <div role="group" aria-label=criterion.label()>
            <FeedbackHead criterion=criterion.clone()/>
            <p class="fb-verdicts">
                "Evaluator: " <VerdictBadge verdict=verdict/>
                " · You: " {match mine { Some(v) => view! { <VerdictBadge verdict=Some(v)/> }.into_any(), None => view! { <span class="muted">"not marked"</span> }.into_any() }}
                {disagree.then(|| view! { <strong class="disagree-flag">" · You disagree"</strong> })}
            </p>
            {theirs.map(|t| view! {
                {t.evidence.into_iter().map(|e| if e.verified {
                    view! { <blockquote class="quote"><p>{format!("\u{201c}{}\u{201d}", quote_text(&e.quote))}</p><footer>"From your answer"</footer></blockquote> }.into_any()
                } else {
                    view! { <blockquote class="quote unverified"><p>{format!("\u{201c}{}\u{201d}", quote_text(&e.quote))}</p><footer>"Unverified: this is not in your answer. The evaluator paraphrased or invented it; do not rely on it."</footer></blockquote> }.into_any()
                }).collect_view()}
                {(!t.why.is_empty()).then(|| view! { <div class="prose fb-why" inner_html=render_untrusted(&t.why)></div> })}
            })}
            </div>
        </li>
    }
    .into_any()
}

/// Follow-up questions about one grading.
#[component]
fn Thread(feedback: Feedback, attempt_id: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let store = expect_context::<Store>();
    let ev = expect_context::<Evaluations>();
    let question = RwSignal::new(String::new());
    let fid = feedback.id.clone();
    let field = format!("ask-{}", feedback.id);
    let activity = {
        let id = attempt_id.clone();
        Memo::new(move |_| ev.activity(&id))
    };
    let busy = move || activity.get().is_some();
    let asking_here = {
        let fid = fid.clone();
        move || match activity.get() {
            Some(Activity::Asking {
                feedback,
                question,
                so_far,
            }) if feedback == fid => Some((question, so_far)),
            _ => None,
        }
    };
    let outcome = {
        let (id, fid) = (attempt_id.clone(), fid.clone());
        move || {
            ev.outcome(&id)
                .filter(|o| o.feedback.as_deref() == Some(fid.as_str()))
        }
    };
    let ask = {
        let (id, fid) = (attempt_id.clone(), fid.clone());
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let q = question.get_untracked();
            if q.trim().is_empty() {
                return;
            }
            question.set(String::new());
            ev.ask(ws, store, id.clone(), fid.clone(), q);
        }
    };
    let cancel = {
        let id = attempt_id.clone();
        move |_| ev.cancel(&id)
    };
    view! {
        <div class="thread">
            <h4>"Questions about this grading"</h4>
            {feedback.thread.iter().map(|f| view! {
                <div class="exchange">
                    <p class="question"><strong>"You: "</strong>{f.question.clone()}</p>
                    <div class="prose answer" inner_html=render_untrusted(&f.answer)></div>
                </div>
            }).collect_view()}
            {move || asking_here().map(|(q, so_far)| view! {
                <div class="exchange" aria-busy="true">
                    <p class="question"><strong>"You: "</strong>{q}</p>
                    {if so_far.is_empty() {
                        view! { <p class="loading" role="status">"Waiting for the answer…"</p> }.into_any()
                    } else {
                        view! { <div class="prose answer" inner_html=render_untrusted(&so_far)></div> }.into_any()
                    }}
                    <button type="button" class="secondary" on:click=cancel.clone()>"Cancel"</button>
                </div>
            })}
            {move || outcome().map(|o| view! { <OutcomeNote outcome=o/> })}
            <form class="ask" on:submit=ask>
                <label for=field.clone()>"Ask about this feedback"</label>
                <textarea id=field rows="2" placeholder="Why is this criterion missed? What would have caught it?"
                    prop:value=move || question.get()
                    on:input=move |e| question.set(event_target_value(&e))></textarea>
                <button type="submit" class="secondary" prop:disabled=busy>"Ask"</button>
            </form>
        </div>
    }
}

/// A feedback row's title and insight, for a criterion the evaluator graded or the site decided.
#[component]
fn FeedbackHead(criterion: CriterionRef) -> impl IntoView {
    view! {
        <p class="fb-name">{criterion.label()}</p>
        <p class="fb-insight">
            <span class="weight">{format!("{} · weight {} · ", criterion.tier.label(), criterion.weight)}</span>
            <span inner_html=insight_html(&criterion.insight)></span>
        </p>
    }
}
