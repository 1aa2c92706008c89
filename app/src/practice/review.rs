//! A finished attempt next to the rubric: the frozen answer, the senior's rubric (fetched only
//! now), the learner's verdict per criterion with the score our code computes, and reflections.

use super::feedback::FeedbackPanel;
use super::feedback::VerdictBadge;
use super::follow::follow;
use super::workspace::Workspace;
use crate::clock::offset_minutes;
use crate::site::{Load, Store};
use leap_core::baked::{Criterion, Prose, Rubric, RubricInvestigation};
use leap_core::md::render_untrusted;
use leap_core::score::score;
use leap_core::session::{clock_label, figures, SessionLog};
use leap_core::storage::schema::{Attempt, Outcome, SelfReview};
use leap_core::taxonomy::{Tier, Verdict};
use leap_core::time::format_datetime;
use leptos::prelude::*;
use std::sync::Arc;

/// The review of attempt `id`.
#[component]
pub fn Review(id: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let store = expect_context::<Store>();
    let (pack, (_, slug)) = (ws.pack.get_value(), ws.scenario.get_value());
    let attempt = {
        let id = id.clone();
        Memo::new(move |_| ws.attempts.with(|l| l.iter().find(|a| a.id == id).cloned()))
    };
    let rubric = {
        let (pack, slug) = (pack.clone(), slug.clone());
        move || store.rubric(&pack, &slug)
    };
    // The score is computed from the criteria as the learner first saw them, and an
    // investigation's path criteria are decided from its log right then, once.
    {
        let (id, rubric) = (id.clone(), rubric.clone());
        Effect::new(move |_| {
            if let (Load::Ready(r), Some(a)) = (rubric(), attempt.get()) {
                if a.rubric.is_none() {
                    ws.change_attempt(&id, |a| {
                        a.see_rubric(&r);
                    });
                }
            }
        });
    }
    let retry = move |_| store.retry(&pack, &slug);
    move || {
        let Some(a) = attempt.get() else {
            return view! { <p>"This attempt is no longer stored in this browser."</p> }.into_any();
        };
        view! {
            <div class="review">
                <AttemptHead attempt=a.clone() id="attempt-title"/>
                <FrozenAnswer attempt=a.clone()/>
                {match rubric() {
                    Load::Ready(r) => view! { <RubricView rubric=r attempt=a.clone()/> }.into_any(),
                    Load::Loading => view! { <p class="loading" role="status">"Loading the rubric…"</p> }.into_any(),
                    Load::Failed(message) => view! {
                        <div class="load-error" role="alert">
                            <p>{format!("The rubric could not be loaded. {message}")}</p>
                            <button type="button" on:click=retry.clone()>"Try loading it again"</button>
                        </div>
                    }
                    .into_any(),
                }}
                {(a.outcome == Outcome::Committed && matches!(rubric(), Load::Ready(_))).then(|| view! { <FeedbackPanel attempt=attempt attempt_id=a.id.clone()/> })}
                <div class="actions">
                    <button type="button" class="primary" on:click=move |_| {
                        ws.try_again();
                        follow("reasoning", "A new attempt: the form is empty.");
                    }>"Try again"</button>
                </div>
            </div>
        }
        .into_any()
    }
}

/// "Attempt 2 · committed 21 Nov 2026, 14:03 · 80 % sure". With an `id`, focus can be moved to
/// it (after a commit).
#[component]
pub fn AttemptHead(attempt: Attempt, #[prop(optional)] id: Option<&'static str>) -> impl IntoView {
    let when = format_datetime(attempt.finished_at, offset_minutes());
    let what = match attempt.outcome {
        Outcome::Committed => format!("committed {when}"),
        Outcome::GaveUp => format!("gave up to see the rubric, {when}"),
    };
    let sure = attempt
        .answer
        .confidence
        .map(|c| format!(" · {c} % sure"))
        .unwrap_or_default();
    view! { <h3 class="attempt-head" id=id tabindex=id.map(|_| "-1")>{format!("Attempt {} · {what}{sure}", attempt.number)}</h3> }
}

/// The attempt's text, frozen.
#[component]
fn FrozenAnswer(attempt: Attempt) -> impl IntoView {
    let part = |title: &'static str, text: &str| {
        let html = if text.trim().is_empty() {
            "<p class=\"muted\">(left empty)</p>".to_string()
        } else {
            render_untrusted(text)
        };
        view! { <h4>{title}</h4><div class="prose" inner_html=html></div> }
    };
    view! {
        <details class="frozen" open=attempt.review.is_none()>
            <summary>"Your answer"</summary>
            {part("Reasoning", &attempt.answer.reasoning)}
            {part("Uncertainty", &attempt.answer.uncertainty)}
            {part("Commitment", &attempt.answer.commitment)}
        </details>
    }
}

/// Criterion insight HTML without its paragraph, to sit in a legend.
pub(crate) fn inline(html: &str) -> String {
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|r| r.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => t.to_string(),
    }
}

#[component]
fn RubricView(rubric: Arc<Rubric>, attempt: Attempt) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let reviewing = attempt.outcome == Outcome::Committed;
    let id = attempt.id.clone();
    let current = Memo::new({
        let id = id.clone();
        move |_| ws.attempts.with(|l| l.iter().find(|a| a.id == id).cloned())
    });
    let tiers = [Tier::Critical, Tier::Important, Tier::Bonus]
        .into_iter()
        .filter(|t| rubric.criteria.iter().any(|c| c.tier == *t))
        .map(|tier| {
            let criteria: Vec<Criterion> = rubric.criteria.iter().filter(|c| c.tier == tier).cloned().collect();
            view! {
                <h4 class="tier-heading">{tier.label()}</h4>
                {criteria.into_iter().map(|c| view! { <CriterionBox criterion=c attempt_id=id.clone() reviewing=reviewing current=current/> }).collect_view()}
            }
        })
        .collect_view();
    let total = move || {
        current.get().map(|a| {
            let s = score(a.self_review_weights());
            let judged = a.self_review_weights().len() - s.unjudged;
            if s.complete() {
                format!(
                    "Your self-review: {} % ({} of {} points).",
                    s.percent(),
                    trim(s.earned),
                    trim(s.total)
                )
            } else {
                format!(
                    "{judged} of {} criteria reviewed. Mark each one to see your score.",
                    a.self_review_weights().len()
                )
            }
        })
    };
    let reflection = move |label: &'static str,
                           id: &'static str,
                           get: fn(&SelfReview) -> &String,
                           set: fn(&mut SelfReview, String)| {
        let attempt_id = attempt.id.clone();
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <textarea id=id rows="4"
                    prop:value=move || current.with_untracked(|a| a.as_ref().and_then(|a| a.review.as_ref().map(|r| get(r).clone())).unwrap_or_default())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        ws.change_attempt(&attempt_id, |a| set(a.review.get_or_insert_with(SelfReview::default), text));
                    }
                ></textarea>
            </div>
        }
    };
    view! {
        <section class="rubric" aria-labelledby="rubric">
            <h3 id="rubric" tabindex="-1">"The rubric"</h3>
            {if reviewing {
                view! { <p class="hint">"Mark each criterion as your answer stands — not as you would write it now."</p> }.into_any()
            } else {
                view! { <p class="hint">"You gave this attempt up, so it is not scored. Try again when you are ready to commit."</p> }.into_any()
            }}
            {rubric.investigation.clone().zip(attempt.log.clone()).map(|(senior, log)| view! { <Path senior=senior log=log/> })}
            {tiers}
            {reviewing.then(|| view! {
                <p class="score" role="status">{total}</p>
                {reflection("What I missed and why", "missed", |r| &r.missed, |r, t| r.missed = t)}
                {reflection("One thing to carry forward", "carry-forward", |r| &r.carry_forward, |r, t| r.carry_forward = t)}
            })}
            {section("The failure mode most people miss", &rubric.failure_mode)}
            {section("The reframing question", &rubric.reframing_question)}
            {section("Red flags", &rubric.red_flags)}
            {section("Common mistakes", &rubric.common_mistakes)}
            {section("How a senior reasons about it", &rubric.reference_reasoning)}
            <h4>"References"</h4>
            <ul class="references">
                {rubric.references.iter().map(|r| view! {
                    <li><a href=r.url.clone() rel="noopener noreferrer" target="_blank">{r.title.clone()}</a>{r.note.clone().map(|n| format!(" — {n}"))}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

fn trim(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn section(title: &'static str, prose: &Prose) -> impl IntoView {
    // Baked by the pack compiler: raw HTML escaped, links checked.
    view! { <h4>{title}</h4><div class="prose" inner_html=prose.html.clone()></div> }
}

#[component]
fn CriterionBox(
    criterion: Criterion,
    attempt_id: String,
    reviewing: bool,
    current: Memo<Option<Attempt>>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let cid = criterion.id.clone();
    let decided = current.with_untracked(|a| a.as_ref().and_then(|a| a.decided.get(&cid).copied()));
    if let (true, Some(v)) = (reviewing, decided) {
        return view! {
            // Not a `.criterion`: those are the ones the learner marks.
            <fieldset class=format!("criterion-decided tier-{}", criterion.tier.slug())>
                // The short name alone is the legend, so it is the row's accessible name.
                <CriterionText criterion=criterion.clone()/>
                <p class="decided-verdict">"Decided by the site from your path: "<VerdictBadge verdict=Some(v)/></p>
            </fieldset>
        }
        .into_any();
    }
    let radios = reviewing.then(|| {
        [Verdict::Caught, Verdict::Partial, Verdict::Missed]
            .into_iter()
            .map(|v| {
                let (cid, cid2, attempt_id) = (cid.clone(), cid.clone(), attempt_id.clone());
                view! {
                    <label class="verdict">
                        <input type="radio" name=format!("verdict-{cid}") value=v.slug()
                            prop:checked=move || current.with(|a| a.as_ref().and_then(|a| a.review.as_ref()).and_then(|r| r.verdicts.get(&cid)).copied() == Some(v))
                            on:change=move |_| {
                                let cid = cid2.clone();
                                ws.change_attempt(&attempt_id, move |a| {
                                    a.review.get_or_insert_with(SelfReview::default).verdicts.insert(cid, v);
                                });
                            }
                        />
                        " " {v.label()}
                    </label>
                }
            })
            .collect_view()
    });
    view! {
        <fieldset class=format!("criterion tier-{}", criterion.tier.slug())>
            <CriterionText criterion=criterion.clone()/>
            {radios.map(|r| view! { <div class="verdicts">{r}</div> })}
        </fieldset>
    }
    .into_any()
}

/// The learner's path beside the one the rubric says a senior takes.
#[component]
fn Path(senior: RubricInvestigation, log: SessionLog) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let store = expect_context::<Store>();
    let (pack, (_, slug)) = (ws.pack.get_value(), ws.scenario.get_value());
    // The investigation is on the page already (the evidence beside the review shows it).
    let hidden = store
        .investigation(&pack, &slug)
        .peek()
        .and_then(|r| r.clone().ok());
    let label = |id: &str| {
        hidden
            .as_ref()
            .and_then(|inv| inv.probe(id).map(|p| p.label.clone()))
            .unwrap_or_else(|| id.to_string())
    };
    let list = |ids: &[String]| {
        ids.iter()
            .map(|id| label(id))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let f = figures(&log, &senior);
    let yours = log
        .probes()
        .iter()
        .map(|(id, at)| format!("{} ({})", label(id), clock_label(*at)))
        .collect::<Vec<_>>();
    let when = match f.committed_at {
        Some(t) => format!("committed at {}", clock_label(t)),
        None => "never committed".to_string(),
    };
    let first_hypothesis = f
        .first_hypothesis_at
        .map_or("no hypothesis written".to_string(), |t| {
            format!("first hypothesis at {}", clock_label(t))
        });
    view! {
        <section class="path" aria-labelledby="path-title">
            <h4 id="path-title">"Your path and a senior's"</h4>
            <dl>
                <dt>"You looked at"</dt>
                <dd>{if yours.is_empty() { "nothing beyond the briefing".to_string() } else { yours.join(" → ") }}{format!("; {first_hypothesis}; {when}.")}</dd>
                <dt>"A senior looks first at"</dt>
                <dd>{format!("{} ({} of {} run by you)", list(&senior.first), f.senior_first_run, senior.first.len())}{(!senior.why_first.is_empty()).then(|| format!(" — {}", senior.why_first))}</dd>
                {(!senior.traps.is_empty()).then(|| view! {
                    <dt>"Traps"</dt>
                    <dd>{format!("{} ({} run by you)", list(&senior.traps), f.traps_run)}{(!senior.why_traps.is_empty()).then(|| format!(" — {}", senior.why_traps))}</dd>
                })}
                <dt>"A senior has acted by"</dt>
                <dd>{clock_label(senior.act_by)}</dd>
            </dl>
        </section>
    }
}

/// A criterion's name (the legend, so the row's accessible name), weight, insight and what
/// caught and partly caught mean: the same whether the learner marks it or the site decided it.
#[component]
fn CriterionText(criterion: Criterion) -> impl IntoView {
    view! {
        <legend class="crit-name">{criterion.name.clone()}</legend>
        <p class="crit-insight">
            <span class="weight">{format!("weight {} · ", criterion.weight)}</span>
            <span inner_html=inline(&criterion.insight.html)></span>
        </p>
        <dl>
            <dt>"Caught if"</dt><dd inner_html=inline(&criterion.caught.html)></dd>
            <dt>"Partly caught if"</dt><dd inner_html=inline(&criterion.partial.html)></dd>
            <dt>"Why it matters"</dt><dd inner_html=inline(&criterion.why.html)></dd>
        </dl>
    }
}
