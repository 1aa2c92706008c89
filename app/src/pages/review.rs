//! The review page: what the learner missed, back as two-minute drills when it is due. On open it
//! makes the cards of every attempt that has earned them (the rule is `Queue::sync` in core), then
//! serves the due cards one at a time: the scene, the evidence to look at first, the question;
//! the insight once the learner has answered in their head; four buttons that schedule the card.
//!
//! [`QueueSync`] keeps the queue in step on every other page of the practice bundle, so the
//! header's count is right on the next visit wherever it starts.

use crate::clock::{now, offset_minutes};
use crate::practice::notices::SetAside;
use crate::shell::{current_route, set_title, show_due};
use crate::site::{Load, Store};
use crate::storage::{learner, open_repo, SharedRepo};
use leap_core::baked::ScenarioBody;
use leap_core::drills::{cards_words, due_words, Card, Queue, Recall, Source, QUESTION};
use leap_core::routes::Route;
use leap_core::storage::kv::{ReadOnly, StoreError};
use leap_core::storage::repo::{Repo, ScenarioState};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

type Records = Vec<(String, String, ScenarioState)>;

/// The learner's attempts. `quiet` reads them without setting anything aside: a background sync
/// must leave damaged entries for the page that explains them.
fn records(repo: &SharedRepo, quiet: bool) -> Result<Records, StoreError> {
    if quiet {
        Repo::new(ReadOnly(learner())).all()
    } else {
        repo.borrow_mut().all()
    }
}

/// The slug of the scenario stored under (pack, scenario id), if the site still has it.
fn slug_of(store: Store, pack: &str, id: &str) -> Option<String> {
    store.index.with_value(|i| {
        i.scenarios
            .iter()
            .find(|s| s.pack == pack && s.id == id)
            .map(|s| s.slug.clone())
    })
}

/// Makes every card it can from the situations already loaded, and stores the queue if it changed.
fn make_cards(store: Store, repo: &SharedRepo, quiet: bool, at: u64) -> Result<Queue, StoreError> {
    let records = records(repo, quiet)?;
    let mut queue = repo.borrow_mut().queue()?;
    let index = store.index.get_value();
    let mut bodies: HashMap<(String, String), Arc<ScenarioBody>> = HashMap::new();
    for (pack, id) in queue.pending(&records) {
        if let Some(slug) = slug_of(store, &pack, &id) {
            if let Load::Ready(body) = store.body(&pack, &slug) {
                bodies.insert((pack, id), body);
            }
        }
    }
    if bodies.is_empty() {
        return Ok(queue);
    }
    let made_before = queue.made_from.len();
    queue.sync(
        &records,
        |pack, id| {
            let s = index
                .scenarios
                .iter()
                .find(|s| s.pack == pack && s.id == id)?;
            let body = bodies.get(&(pack.to_string(), id.to_string()))?;
            let first = body.artifacts.first();
            Some(Source {
                pack: &s.pack,
                slug: &s.slug,
                title: &s.title,
                situation: &body.situation.markdown,
                artifact: first.map(|a| a.title.as_str()),
                artifact_anchor: first.map(|a| a.anchor.as_str()),
            })
        },
        at,
    );
    if queue.made_from.len() != made_before {
        repo.borrow_mut().save_queue(&queue)?;
    }
    Ok(queue)
}

/// Loads the situations of the scenarios whose attempts are ready to make cards (usually none),
/// then makes the cards and stores the queue.
async fn sync(store: Store, repo: SharedRepo, quiet: bool) -> Result<Queue, StoreError> {
    let pending = {
        let records = records(&repo, quiet)?;
        repo.borrow_mut().queue()?.pending(&records)
    };
    for (pack, id) in pending {
        if let Some(slug) = slug_of(store, &pack, &id) {
            // A failed load leaves the attempt for a later sync.
            store.load_body(&pack, &slug).await;
        }
    }
    make_cards(store, &repo, quiet, now())
}

/// Sets the header's count from the queue.
fn publish(queue: &Queue) {
    show_due(queue.due(now(), offset_minutes()).len());
}

/// Moves focus to the heading of what the page shows now, once it is drawn.
fn focus_heading(selector: &'static str) {
    request_animation_frame(move || {
        if let Some(h) = document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            h.focus().ok();
        }
    });
}

/// Keeps the review queue in step with the learner's attempts on every page of the practice
/// bundle: on arrival and on each move between its pages (loading the situations it needs), and
/// when the learner leaves or hides the page (with the situations already loaded: a self-review
/// finished just before closing the tab still makes its cards). Renders nothing.
#[component]
pub fn QueueSync() -> impl IntoView {
    let store = expect_context::<Store>();
    let route = current_route();
    Effect::new(move |_| {
        // The review page syncs itself, and says what went wrong.
        if route.get() == Route::Review {
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(q) = sync(store, open_repo(), true).await {
                publish(&q);
            }
        });
    });
    let on_leave = Closure::<dyn Fn()>::new(move || {
        let _ = make_cards(store, &open_repo(), true, now());
    });
    let hook = on_leave.as_ref().unchecked_ref();
    window()
        .add_event_listener_with_callback("pagehide", hook)
        .ok();
    document()
        .add_event_listener_with_callback("visibilitychange", hook)
        .ok();
    on_leave.forget();
}

/// The review page.
#[component]
pub fn Review() -> impl IntoView {
    set_title(Some("Review"));
    let store = expect_context::<Store>();
    let repo = StoredValue::new_local(open_repo());
    let queue = RwSignal::new(None::<Result<Queue, String>>);
    let notices = RwSignal::new(Vec::new());
    let at = RwSignal::new(now());
    let revealed = RwSignal::new(false);
    let reviewed = RwSignal::new(0usize);
    let status = RwSignal::new("Reading your review cards from this browser…".to_string());

    leptos::task::spawn_local(async move {
        let result = sync(store, repo.get_value(), false).await;
        notices.set(repo.with_value(|r| std::mem::take(&mut r.borrow_mut().notices)));
        let t = now();
        status.set(match &result {
            Ok(q) => {
                publish(q);
                match q.due(t, offset_minutes()).len() {
                    0 => String::new(),
                    n => format!("{} due.", cards_words(n)),
                }
            }
            Err(_) => String::new(),
        });
        at.set(t);
        queue.set(Some(
            result.map_err(|e| format!("Could not read your review cards: {e}.")),
        ));
    });

    // A forgotten card comes back minutes later: wake up then, rather than wait for a reload.
    Effect::new(move |_| {
        let t = at.get();
        let next = queue.with(|q| {
            q.as_ref()
                .and_then(|q| q.as_ref().ok())
                .and_then(|q| q.next_wake(t, offset_minutes()))
        });
        if let Some(due) = next {
            set_timeout(
                move || {
                    at.set(now());
                    status.set("A card you forgot is due again.".to_string());
                },
                Duration::from_millis(due - t + 100),
            );
        }
    });

    let grade = move |card: Card, recall: Recall| {
        let t = now();
        let result = repo.with_value(|r| {
            let mut r = r.borrow_mut();
            // Read again: another tab may have reviewed meanwhile.
            let mut q = r.queue()?;
            q.review(&card.pack, &card.slug, &card.criterion, recall, t);
            r.save_queue(&q)?;
            Ok::<_, StoreError>(q)
        });
        match result {
            Ok(q) => {
                let back = q
                    .cards
                    .iter()
                    .find(|c| {
                        c.pack == card.pack && c.slug == card.slug && c.criterion == card.criterion
                    })
                    .map(|c| due_words(c.due, t, offset_minutes()))
                    .unwrap_or_default();
                let left = q.due(t, offset_minutes()).len();
                reviewed.update(|n| *n += 1);
                status.set(format!(
                    "{}: back {back}. {}",
                    recall.label(),
                    match left {
                        0 => "That was the last card due.".to_string(),
                        n => format!("{} to go.", cards_words(n)),
                    }
                ));
                publish(&q);
                revealed.set(false);
                at.set(t);
                queue.set(Some(Ok(q)));
                focus_heading(".review-main h2");
            }
            Err(e) => status.set(format!(
                "Could not save this review: {e}. The card stays due; try again."
            )),
        }
    };

    view! {
        <article class="page review">
            <h1>"Review"</h1>
            <p class="lead">"Every criterion you missed or half-caught comes back here when it is due, as a two-minute drill: recall the failure mode, check yourself against what a senior sees, and say how well it came back. The better it sticks, the longer until you see it again."</p>
            {move || {
                let n = notices.get();
                (!n.is_empty()).then(|| view! { <SetAside notices=n/> })
            }}
            <p class="review-status" role="status">{move || status.get()}</p>
            <div class="review-main">
                {move || match queue.get() {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <p class="notice error" role="alert">{e}</p> }.into_any(),
                    Some(Ok(q)) => {
                        let t = at.get();
                        let due: Vec<Card> = q.due(t, offset_minutes()).into_iter().cloned().collect();
                        match due.first() {
                            None => view! { <NothingDue queue=q reviewed=reviewed.get_untracked() at=t/> }.into_any(),
                            Some(card) => view! {
                                <Drill
                                    card=card.clone()
                                    position=reviewed.get_untracked() + 1
                                    total=reviewed.get_untracked() + due.len()
                                    revealed=revealed
                                    grade=grade
                                />
                            }.into_any(),
                        }
                    }
                }}
            </div>
        </article>
    }
}

/// Nothing due: no cards yet, or when the next one comes back.
#[component]
fn NothingDue(queue: Queue, reviewed: usize, at: u64) -> impl IntoView {
    let heading = if queue.cards.is_empty() {
        "Nothing to review yet"
    } else if reviewed > 0 {
        "Done for now"
    } else {
        "Nothing due"
    };
    let empty = queue.cards.is_empty();
    view! {
        <section class="review-empty" aria-labelledby="review-none">
            <h2 id="review-none" tabindex="-1">{heading}</h2>
            <p>{queue.nothing_due(at, offset_minutes())}</p>
            {empty.then(|| view! { <p><a href="./">"Choose a scenario"</a></p> })}
        </section>
    }
}

/// One card as a drill.
#[component]
fn Drill(
    card: Card,
    position: usize,
    total: usize,
    revealed: RwSignal<bool>,
    grade: impl Fn(Card, Recall) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let page = format!("scenarios/{}/{}/", card.pack, card.slug);
    let artifact = card.artifact.clone().map(|title| {
        let href = match &card.artifact_anchor {
            Some(anchor) => format!("{page}#{anchor}"),
            None => page.clone(),
        };
        // A full page load, so the browser scrolls to the artifact.
        view! { <p class="drill-artifact">"Look first at: "<a href=href rel="external">{title}</a></p> }
    });
    let how = if card.half_caught {
        "You half-caught this"
    } else {
        "You missed this"
    };
    let reveal = move |_| {
        revealed.set(true);
        focus_heading("#drill-answer");
    };
    let card = StoredValue::new(card);
    view! {
        <section class="drill" aria-labelledby="drill-title">
            <p class="drill-meta">{format!("Card {position} of {total} · {how}")}</p>
            <h2 id="drill-title" tabindex="-1">{card.with_value(|c| c.title.clone())}</h2>
            <p class="drill-situation">{card.with_value(|c| c.situation.clone())}</p>
            {artifact}
            <p class="drill-question">{QUESTION}</p>
            {move || if revealed.get() {
                view! {
                    <div class="drill-answer">
                        <h3 id="drill-answer" tabindex="-1">"What a senior sees"</h3>
                        <p>{card.with_value(|c| c.insight.clone())}</p>
                        <p id="drill-recall">"How well did it come back?"</p>
                        <div class="recall" role="group" aria-labelledby="drill-recall">
                            {Recall::ALL.into_iter().map(|r| view! {
                                <button
                                    type="button"
                                    class=if r == Recall::Good { "primary" } else { "secondary" }
                                    on:click=move |_| grade(card.get_value(), r)
                                >{r.label()}</button>
                            }).collect_view()}
                        </div>
                        <p class="drill-scenario"><a href=page.clone()>"Open the scenario"</a></p>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p class="drill-hint">"Answer it in your head first: a sentence or two."</p>
                    <button type="button" class="primary" on:click=reveal>"Show the answer"</button>
                }.into_any()
            }}
        </section>
    }
}
