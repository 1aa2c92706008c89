//! The practice loop on a scenario page: write (autosaved), commit, open the rubric, review
//! yourself, try again, compare. `workspace` holds the state and its storage; the other modules
//! are its views.
//!
//! The section lays itself out beside the briefing: on a wide screen the answer is a column of its
//! own next to the evidence (the briefing and, for an investigation, what the learner has asked
//! for), scrolling by itself with the ask pinned above the editor; on a phone the two are tabs.

pub mod early;
pub mod editor;
pub mod evaluation;
pub mod feedback;
pub mod follow;
pub mod history;
pub mod investigation;
pub mod notices;
pub mod quote;
pub mod review;
pub mod timer;
pub mod workspace;

use crate::site::Store;
use editor::Editor;
use history::{Compare, History};
use investigation::InvestigationPanel;
use leap_core::baked::{ScenarioBody, ScenarioSummary};
use leap_core::handover::{Intent, Opens};
use leap_core::storage::keys::Key;
use leptos::prelude::*;
use notices::StorageNotices;
use quote::{QuoteArtifacts, Toast};
use review::Review;
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use workspace::{View, Workspace};

/// The width from which evidence and answer sit side by side; `style/main.css` uses the same.
const WIDE: &str = "(min-width: 62.5rem)";

/// The half of the workbench a phone shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The briefing and the evidence.
    Evidence,
    /// The editor (or the review).
    Answer,
}

impl Tab {
    fn slug(self) -> &'static str {
        match self {
            Tab::Evidence => "evidence",
            Tab::Answer => "answer",
        }
    }
}

/// The practice section of a scenario.
#[component]
pub fn Practice(summary: ScenarioSummary, body: Arc<ScenarioBody>) -> impl IntoView {
    let carried = early::take(
        &Key::Early {
            pack: summary.pack.clone(),
            scenario: summary.id.clone(),
        }
        .render(),
    );
    let ws = Workspace::open(&summary, carried.as_ref().map(|c| &c.answer));
    let first = body.artifacts.first();
    ws.set_card_source(workspace::CardSource {
        pack: summary.pack.clone(),
        slug: summary.slug.clone(),
        title: summary.title.clone(),
        situation: body.situation.markdown.clone(),
        artifact: first.map(|a| (a.title.clone(), a.anchor.clone())),
    });
    provide_context(ws);
    provide_context(evaluation::Evaluations::new());
    // What the page's write bundle handed over: the rubric of the attempt it committed, or the
    // preview or give-up the learner asked for, and where focus was going.
    if let Some(intent) = crate::boot::handed_over().map(|t| Intent::decode(&t)) {
        if let Opens::Review(id) = intent.opens {
            ws.view.set(View::Review(id));
        }
        // Asked of the editor on the page: only for the editor shown now, never a later one.
        if ws.view.get_untracked() == View::Editing {
            editor::ask_for(intent.preview, intent.give_up);
        }
        if !intent.notices.is_empty() {
            ws.notices.update(|n| n.extend(intent.notices));
        }
        if let Some((id, message)) = intent.follow {
            follow::follow(id, message);
        }
    }
    let toast = Toast::new();
    provide_context(toast);
    // A phone that showed the answer's tab on the pre-rendered page goes on showing it.
    let tab = RwSignal::new(if carried.is_some_and(|c| c.answer_tab) {
        Tab::Answer
    } else {
        Tab::Evidence
    });
    provide_context(tab);
    let wide = media_matches(WIDE);
    follow_focus(tab, wide);
    let view_slug = move || match ws.view.get() {
        View::Editing => "editing",
        View::Review(_) => "review",
        View::Compare(..) => "compare",
    };
    let evidence = summary.investigation.then(|| {
        let store = expect_context::<Store>();
        let (pack, slug) = (summary.pack.clone(), summary.slug.clone());
        let title = summary.title.clone();
        let body = body.clone();
        view! {
            <div class="ws-evidence" id="ws-evidence"
                role=move || (!wide.get()).then_some("tabpanel")
                aria-labelledby=move || (!wide.get()).then_some("tab-evidence")>
                <InvestigationPanel store=store pack=pack slug=slug title=title body=body/>
            </div>
        }
    });
    let has_evidence = summary.investigation;
    let ask = body.ask.html.clone();
    let minutes = summary.minutes;
    view! {
        <section id="practice" class="practice workbench" aria-labelledby="practice-title"
            data-tab=move || tab.get().slug() data-view=view_slug>
            {move || (!wide.get()).then(|| view! { <Tabs tab=tab has_evidence=has_evidence/> })}
            {evidence}
            <div class="ws-answer" id="ws-answer"
                role=move || (!wide.get()).then_some("tabpanel")
                aria-labelledby=move || (!wide.get()).then_some("tab-answer")>
                <h2 id="practice-title">"Your analysis"</h2>
                <StorageNotices/>
                {move || match ws.view.get() {
                    // Timed mode goes below the editor: the pre-rendered page has the editor where the app
                    // draws it, so nothing above it may appear late and push it down.
                    View::Editing => view! { <PinnedAsk html=ask.clone()/><Editor/><timer::Timer minutes=minutes/> }.into_any(),
                    View::Review(id) => view! { <Review id=id/> }.into_any(),
                    View::Compare(a, b) => view! { <Compare left=a right=b/> }.into_any(),
                }}
                <History/>
            </div>
            <QuoteArtifacts/>
            <Toast/>
            <p id=follow::ANNOUNCER class="visually-hidden" role="status"></p>
        </section>
    }
}

/// The ask's numbered questions, kept in view above the editor.
#[component]
fn PinnedAsk(html: String) -> impl IntoView {
    // Baked by the pack compiler: raw HTML escaped, links checked.
    view! {
        <details class="ask-pinned" open>
            <summary>"The ask"</summary>
            <div class="prose" tabindex="0" role="region" aria-label="The ask, while you write" inner_html=html></div>
        </details>
    }
}

/// "Evidence" / "Your answer" on a phone: arrow keys move between them, as tabs do.
#[component]
fn Tabs(tab: RwSignal<Tab>, has_evidence: bool) -> impl IntoView {
    // Where the learner was in the evidence, to come back to it from the answer.
    let evidence_at = StoredValue::new(0.0_f64);
    let show = move |t: Tab| {
        let was = tab.get_untracked();
        if was == t {
            return;
        }
        if was == Tab::Evidence {
            evidence_at.set_value(window().scroll_y().unwrap_or(0.0));
        }
        tab.set(t);
        request_animation_frame(move || match t {
            Tab::Evidence => window().scroll_to_with_x_and_y(0.0, evidence_at.get_value()),
            Tab::Answer => {
                if let Some(el) = document().get_element_by_id("ws-answer") {
                    el.scroll_into_view();
                }
            }
        });
    };
    let pick = move |t: Tab| {
        show(t);
        let id = format!("tab-{}", t.slug());
        if let Some(el) = document()
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            el.focus().ok();
        }
    };
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        let next = match ev.key().as_str() {
            "ArrowLeft" | "ArrowRight" => match tab.get_untracked() {
                Tab::Evidence => Tab::Answer,
                Tab::Answer => Tab::Evidence,
            },
            "Home" => Tab::Evidence,
            "End" => Tab::Answer,
            _ => return,
        };
        ev.prevent_default();
        pick(next);
    };
    let one = move |t: Tab, label: &'static str| {
        let selected = move || tab.get() == t;
        view! {
            <button type="button" role="tab" id=format!("tab-{}", t.slug())
                aria-selected=move || selected().to_string()
                aria-controls=(t == Tab::Answer || has_evidence).then(|| format!("ws-{}", t.slug()))
                tabindex=move || if selected() { "0" } else { "-1" }
                on:click=move |_| show(t)>
                {label}
            </button>
        }
    };
    view! {
        <div class="ws-tabs" role="tablist" aria-label="Workspace" on:keydown=keys>
            {one(Tab::Evidence, "Evidence")}
            {one(Tab::Answer, "Your answer")}
        </div>
    }
}

/// On a phone the tab not shown is only out of sight, not out of reach: moving focus into it (Tab,
/// a screen reader, a find in page) brings it into view.
fn follow_focus(tab: RwSignal<Tab>, wide: Signal<bool>) {
    let handle = window_event_listener(leptos::ev::focusin, move |ev: web_sys::FocusEvent| {
        if wide.get_untracked() {
            return;
        }
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let inside = |selector: &str| el.closest(selector).ok().flatten().is_some();
        let wanted = if inside(".ws-answer") {
            Tab::Answer
        } else if inside("main > article.scenario") || inside(".ws-evidence") {
            Tab::Evidence
        } else {
            return;
        };
        if tab.get_untracked() != wanted {
            tab.set(wanted);
        }
    });
    on_cleanup(move || handle.remove());
}

/// Whether a media query matches, following changes (a window resized, a phone turned).
fn media_matches(query: &str) -> Signal<bool> {
    let Some(list) = window().match_media(query).ok().flatten() else {
        return Signal::derive(|| false);
    };
    let matches = RwSignal::new(list.matches());
    let watched = list.clone();
    let on_change = Closure::<dyn Fn()>::new(move || {
        let _ = matches.try_set(watched.matches());
    });
    list.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())
        .ok();
    // The JS objects are not `Send`; the page is single-threaded, which `SendWrapper` checks.
    let held = send_wrapper::SendWrapper::new((list, on_change));
    on_cleanup(move || {
        let (list, on_change) = &*held;
        list.remove_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())
            .ok();
    });
    matches.into()
}
