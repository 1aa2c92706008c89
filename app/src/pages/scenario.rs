//! A scenario's page: the situation, its artifacts and the ask. The body is fetched from the
//! scenario's own data file; the rubric is a separate file the practice loop fetches after commit.

use crate::pages::badges::Badges;
use crate::pages::not_found::NotFound;
use crate::shell::set_title;
use crate::site::{Load, Store};
use leap_core::baked::{Prose, ScenarioBody, ScenarioSummary};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;

/// The scenario page for the `:pack/:slug` in the URL.
#[component]
pub fn ScenarioPage() -> impl IntoView {
    let store = expect_context::<Store>();
    let params = use_params_map();
    let summary = Memo::new(move |_| {
        let (pack, slug) = params.with(|p| (p.get("pack").unwrap_or_default(), p.get("slug").unwrap_or_default()));
        store.index.with_value(|i| i.scenarios.iter().find(|s| s.pack == pack && s.slug == slug).cloned())
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
        move |_| store.retry_body(&pack, &slug)
    };
    view! {
        <article class="scenario">
            <header class="scenario-header">
                <p class="crumbs"><a href="./">"Scenarios"</a>" / "{summary.track.label()}</p>
                <h1>{summary.title.clone()}</h1>
                <p class="hook">{summary.hook.clone()}</p>
                <Badges summary=summary.clone()/>
            </header>
            {move || match body() {
                Load::Ready(b) => body_view(b).into_any(),
                Load::Loading => view! { <p class="loading" role="status">"Loading the scenario…"</p> }.into_any(),
                Load::Failed(message) => view! {
                    <div class="load-error" role="alert">
                        <p>{message}</p>
                        <button type="button" on:click=retry.clone()>"Try again"</button>
                    </div>
                }.into_any(),
            }}
        </article>
    }
}

// The baked HTML below is the pack compiler's output: Markdown with raw HTML escaped and every
// link checked at build time, which is why it can be set as inner HTML.
fn body_view(body: Arc<ScenarioBody>) -> impl IntoView {
    let primer = body.primer.clone().map(|p| {
        view! {
            <details class="primer" id="primer">
                <summary>"Primer: background before you start"</summary>
                <div class="prose" inner_html=p.html></div>
            </details>
        }
    });
    view! {
        {primer}
        {section("situation", "Situation", &body.situation)}
        <section class="artifacts" aria-labelledby="artifacts">
            <h2 id="artifacts">"Artifacts"</h2>
            {body.artifacts.iter().map(|a| view! {
                <section class="artifact" aria-labelledby=a.anchor.clone()>
                    <h3 id=a.anchor.clone()>{a.title.clone()}</h3>
                    <div class="prose" inner_html=a.body.html.clone()></div>
                </section>
            }).collect_view()}
        </section>
        {section("the-ask", "The ask", &body.ask)}
    }
}

fn section(id: &'static str, title: &'static str, prose: &Prose) -> impl IntoView {
    view! {
        <section aria-labelledby=id>
            <h2 id=id>{title}</h2>
            <div class="prose" inner_html=prose.html.clone()></div>
        </section>
    }
}
