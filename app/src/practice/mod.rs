//! The practice loop on a scenario page: write (autosaved), commit, open the rubric, review
//! yourself, try again, compare. `workspace` holds the state and its storage; the other modules
//! are its views.

pub mod editor;
pub mod evaluation;
pub mod feedback;
pub mod history;
pub mod notices;
pub mod review;
pub mod workspace;

use editor::Editor;
use history::{Compare, History};
use leap_core::baked::ScenarioSummary;
use leptos::prelude::*;
use notices::StorageNotices;
use review::Review;
use workspace::{View, Workspace};

/// The practice section of a scenario.
#[component]
pub fn Practice(summary: ScenarioSummary) -> impl IntoView {
    let ws = Workspace::open(&summary);
    provide_context(ws);
    provide_context(evaluation::Evaluations::new());
    view! {
        <section id="practice" class="practice" aria-labelledby="practice-title">
            <h2 id="practice-title">"Your analysis"</h2>
            <StorageNotices/>
            {move || match ws.view.get() {
                View::Editing => view! { <Editor/> }.into_any(),
                View::Review(id) => view! { <Review id=id/> }.into_any(),
                View::Compare(a, b) => view! { <Compare left=a right=b/> }.into_any(),
            }}
            <History/>
        </section>
    }
}
