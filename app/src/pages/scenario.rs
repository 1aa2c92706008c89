//! A scenario's page: the situation, its artifacts and the ask. The body is fetched from the
//! scenario's own data file; the rubric is a separate file the practice loop fetches after commit.

use crate::pages::not_found::NotFound;
use crate::practice::Practice;
use crate::shell::set_title;
use crate::site::{Load, Store};
use leap_core::baked::ScenarioSummary;
use leap_core::markup::scenario_inner;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The scenario page for the `:pack/:slug` in the URL.
#[component]
pub fn ScenarioPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let params = use_params_map();
    let summary = Memo::new(move |_| {
        let (pack, slug) = params.with(|p| {
            (
                p.get("pack").unwrap_or_default(),
                p.get("slug").unwrap_or_default(),
            )
        });
        store.index.with_value(|i| {
            i.scenarios
                .iter()
                .find(|s| s.pack == pack && s.slug == slug)
                .cloned()
        })
    });
    move || match summary.get() {
        None => view! { <NotFound/> }.into_any(),
        Some(s) => {
            set_title(Some(&s.title));
            view! { <Scenario summary=s/> }.into_any()
        }
    }
}

#[component]
fn Scenario(summary: ScenarioSummary) -> impl IntoView {
    let store = expect_context::<Store>();
    let (pack, slug) = (summary.pack.clone(), summary.slug.clone());
    let body = move || store.body(&pack, &slug);
    let retry = {
        let (pack, slug) = (summary.pack.clone(), summary.slug.clone());
        move |_| store.retry(&pack, &slug)
    };
    move || {
        match body() {
        // The markup is the pack compiler's: Markdown with raw HTML escaped, links checked.
        Load::Ready(b) => view! {
            <article class="scenario" inner_html=scenario_inner(&summary, &b)></article>
            <Practice summary=summary.clone() body=b.clone()/>
        }
        .into_any(),
        Load::Loading => view! { <article class="scenario"><p class="loading" role="status">"Loading the scenario…"</p></article> }.into_any(),
        Load::Failed(message) => view! {
            <article class="scenario">
                <div class="load-error" role="alert">
                    <p>{message}</p>
                    <button type="button" on:click=retry.clone()>"Try again"</button>
                </div>
            </article>
        }
        .into_any(),
    }
    }
}
