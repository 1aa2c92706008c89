//! Earlier attempts at this scenario, and two of them side by side.

use super::follow::follow;
use super::review::AttemptHead;
use super::workspace::{View, Workspace};
use crate::clock::offset_minutes;
use leap_core::md::render_untrusted;
use leap_core::storage::schema::{Attempt, Outcome};
use leap_core::time::format_datetime;
use leptos::prelude::*;

fn summary(a: &Attempt) -> String {
    let when = format_datetime(a.finished_at, offset_minutes());
    let result = match (a.outcome, a.self_review_score()) {
        (Outcome::GaveUp, _) => "gave up".to_string(),
        (_, Some(s)) => format!("{} %", s.percent()),
        (_, None) => "not reviewed yet".to_string(),
    };
    let sure = a
        .answer
        .confidence
        .map(|c| format!(", {c} % sure"))
        .unwrap_or_default();
    let took = a
        .timing
        .map(|t| format!(" — took {}", t.text()))
        .unwrap_or_default();
    format!("Attempt {} — {when} — {result}{sure}{took}", a.number)
}

/// The list of attempts, with a way to compare two.
#[component]
pub fn History() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let left = RwSignal::new(String::new());
    let right = RwSignal::new(String::new());
    let pick = move |chosen: RwSignal<String>, label: &'static str, default_from_end: usize| {
        view! {
            <label class="filter">
                <span>{label}</span>
                <select on:change=move |ev| chosen.set(event_target_value(&ev))
                    prop:value=move || {
                        let list = ws.attempts.get();
                        let fallback = list.len().checked_sub(default_from_end).and_then(|i| list.get(i)).map(|a| a.id.clone()).unwrap_or_default();
                        let c = chosen.get();
                        if c.is_empty() { fallback } else { c }
                    }>
                    {move || ws.attempts.get().into_iter().map(|a| view! { <option value=a.id.clone()>{format!("Attempt {}", a.number)}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    let compare = move |_| {
        let list = ws.attempts.get_untracked();
        let resolve = |c: String, from_end: usize| {
            if c.is_empty() {
                list.len()
                    .checked_sub(from_end)
                    .and_then(|i| list.get(i))
                    .map(|a| a.id.clone())
                    .unwrap_or_default()
            } else {
                c
            }
        };
        ws.view.set(View::Compare(
            resolve(left.get_untracked(), 2),
            resolve(right.get_untracked(), 1),
        ));
        follow("compare-title", "The comparison follows.");
    };
    move || {
        let list = ws.attempts.get();
        (!list.is_empty()).then(|| {
            view! {
                <section class="history" aria-labelledby="history">
                    <h3 id="history">"Your attempts"</h3>
                    <ul>
                        {list.iter().map(|a| {
                            let id = a.id.clone();
                            let number = a.number;
                            view! {
                                <li>
                                    <span>{summary(a)}</span>" "
                                    <button type="button" class="link" on:click=move |_| {
                                        ws.view.set(View::Review(id.clone()));
                                        follow("attempt-title", format!("Attempt {number} opened."));
                                    }>{format!("Open attempt {}", a.number)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(list.len() >= 2).then(|| view! {
                        <div class="compare-form" role="group" aria-label="Compare two attempts">
                            {pick(left, "Compare", 2)}
                            {pick(right, "with", 1)}
                            <button type="button" class="secondary" on:click=compare>"Compare"</button>
                        </div>
                    })}
                </section>
            }
        })
    }
}

/// Two attempts side by side: text, confidence, verdicts and score.
#[component]
pub fn Compare(left: String, right: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let find = move |id: &str| {
        ws.attempts
            .with_untracked(|l| l.iter().find(|a| a.id == id).cloned())
    };
    let (Some(a), Some(b)) = (find(&left), find(&right)) else {
        return view! { <p>"These attempts are no longer stored."</p> }.into_any();
    };
    let mut criteria: Vec<(String, String)> = vec![];
    for x in [&a, &b] {
        for c in x.rubric.iter().flatten() {
            if !criteria.iter().any(|(id, _)| *id == c.id) {
                criteria.push((c.id.clone(), c.label()));
            }
        }
    }
    let verdict = |x: &Attempt, id: &str| {
        x.decided
            .get(id)
            .or_else(|| x.review.as_ref().and_then(|r| r.verdicts.get(id)))
            .map_or("—".to_string(), |v| v.label().to_string())
    };
    let score = |x: &Attempt| match (x.outcome, x.self_review_score()) {
        (Outcome::GaveUp, _) => "gave up".to_string(),
        (_, Some(s)) => format!("{} %", s.percent()),
        _ => "not reviewed".to_string(),
    };
    let text = |s: &str| render_untrusted(if s.trim().is_empty() { "(empty)" } else { s });
    view! {
        <section class="compare" aria-labelledby="compare-title">
            <h3 id="compare-title" tabindex="-1">{format!("Attempt {} and attempt {}", a.number, b.number)}</h3>
            <div class="table-wrap" tabindex="0">
                <table>
                    <thead><tr><td></td><th scope="col"><AttemptHead attempt=a.clone()/></th><th scope="col"><AttemptHead attempt=b.clone()/></th></tr></thead>
                    <tbody>
                        <tr><th scope="row">"Score"</th><td>{score(&a)}</td><td>{score(&b)}</td></tr>
                        <tr><th scope="row">"Confidence"</th>
                            <td>{a.answer.confidence.map_or("—".into(), |c| format!("{c} %"))}</td>
                            <td>{b.answer.confidence.map_or("—".into(), |c| format!("{c} %"))}</td></tr>
                        {criteria.into_iter().map(|(id, name)| view! {
                            <tr><th scope="row">{name}</th><td>{verdict(&a, &id)}</td><td>{verdict(&b, &id)}</td></tr>
                        }).collect_view()}
                        <tr><th scope="row">"Reasoning"</th><td class="prose" inner_html=text(&a.answer.reasoning)></td><td class="prose" inner_html=text(&b.answer.reasoning)></td></tr>
                        <tr><th scope="row">"Uncertainty"</th><td class="prose" inner_html=text(&a.answer.uncertainty)></td><td class="prose" inner_html=text(&b.answer.uncertainty)></td></tr>
                        <tr><th scope="row">"Commitment"</th><td class="prose" inner_html=text(&a.answer.commitment)></td><td class="prose" inner_html=text(&b.answer.commitment)></td></tr>
                    </tbody>
                </table>
            </div>
            <button type="button" class="secondary" on:click=move |_| ws.view.set(View::Review(right.clone()))>"Back to the rubric"</button>
        </section>
    }
    .into_any()
}
