//! The full practice loop of scenario pages: the rubric and self-review, history, timed mode,
//! comparisons, the evaluator, the preview and investigations. A scenario's page starts with the
//! small `write` bundle, which loads this one (`window.leapPractice`) at the learner's first
//! interaction, or at once for an investigation, and hands the page over to it.

use leap_core::routes::{Bundle, Route};
use leptos::prelude::*;
use leptos_router::components::{Route as Page, Routes};
use leptos_router::path;
use senior_leap::pages::{not_found::NotFound, review::QueueSync, scenario::ScenarioPage};
use senior_leap::viewer::DiagramViewer;
use wasm_bindgen::prelude::*;

fn main() {
    senior_leap::boot::run(
        Bundle::Scenario,
        || {
            view! {
                <QueueSync/>
                <DiagramViewer/>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Page path=path!("/scenarios/:pack/:slug") view=ScenarioPage/>
                </Routes>
            }
            .into_any()
        },
        |store, route| {
            Box::pin(async move {
                // The learner's data (IndexedDB) opens while the page's data downloads, and is
                // all there before any view reads it.
                let learner_data =
                    wasm_bindgen_futures::JsFuture::from(senior_leap::storage::open_learner_data());
                if let Route::Scenario { pack, slug } = route {
                    let investigation = store.index.with_value(|i| {
                        i.scenarios
                            .iter()
                            .any(|s| s.pack == pack && s.slug == slug && s.investigation)
                    });
                    // Both requests leave together: the hidden parts never wait for the body.
                    if investigation {
                        let hidden = store.investigation(&pack, &slug);
                        // A failure is the practice section's to show, with a retry.
                        let _ = futures::future::join(store.load_body(&pack, &slug), hidden).await;
                    } else {
                        store.load_body(&pack, &slug).await;
                    }
                }
                let _ = learner_data.await;
                // The page's data was parsed in this task: the render gets a task of its own.
                senior_leap::boot::next_task().await;
                // Last, after every wait: the take-over follows in the same task, so nothing typed
                // into the pre-rendered editor falls between this reading and its replacement.
                senior_leap::practice::early::carry_from_page();
            })
        },
    );
}

/// The entry the write bundle's loader calls once this bundle has started (its `main` takes the
/// page over); there is nothing more to do.
#[wasm_bindgen]
pub fn practice() {}
