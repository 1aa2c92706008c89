//! The catalog: every scenario, filtered by track, level, competency and free text. Filters live
//! in the URL query, so a filtered catalog is a link you can share and the back button works.

use crate::pages::badges::Badges;
use crate::shell::set_title;
use crate::site::Store;
use leap_core::baked::ScenarioSummary;
use leap_core::catalog::{count_label, filter_options, Filters};
use leap_core::routes::Route;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// The catalog page.
#[component]
pub fn Catalog() -> impl IntoView {
    set_title(None);
    let store = expect_context::<Store>();
    let index = store.index.get_value();
    let location = use_location();
    let filters = Memo::new(move |_| Filters::from_query(&location.search.get()));
    let navigate = use_navigate();
    let base = store.base.get_value();
    let update = move |change: &dyn Fn(&mut Filters)| {
        let mut next = filters.get_untracked();
        change(&mut next);
        let query = next.to_query();
        let url = if query.is_empty() { format!("{base}/") } else { format!("{base}/?{query}") };
        navigate(&url, NavigateOptions { resolve: false, replace: true, scroll: false, ..Default::default() });
    };
    let options = filter_options(&index);
    let all = index.scenarios.clone();
    let shown = Memo::new(move |_| {
        let f = filters.get();
        all.iter().filter(|s| f.matches(s)).cloned().collect::<Vec<_>>()
    });

    let on_search = {
        let update = update.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            update(&|f: &mut Filters| f.q = value.clone());
        }
    };
    let select = move |name: &'static str, label: &'static str, all_label: &'static str, opts: Vec<(&'static str, &'static str, usize)>, chosen: Signal<Option<&'static str>>| {
        let update = update.clone();
        view! {
            <label class="filter">
                <span>{label}</span>
                <select name=name on:change=move |ev| {
                    let value = event_target_value(&ev);
                    update(&|f: &mut Filters| f.set(name, &value));
                }>
                    <option value="">{all_label}</option>
                    {opts.into_iter().map(|(slug, text, n)| view! {
                        <option value=slug prop:selected=move || chosen.get() == Some(slug)>{format!("{text} ({n})")}</option>
                    }).collect_view()}
                </select>
            </label>
        }
    };

    view! {
        <div class="intro"><h1>{index.title.clone()}</h1><p class="tagline">{index.tagline.clone()}</p></div>
        <form class="filters" role="search" aria-label="Filter scenarios" on:submit=|ev| ev.prevent_default()>
            <label class="filter filter-search">
                <span>"Search"</span>
                <input type="search" name="q" prop:value=move || filters.get().q placeholder="regex, failover, feature flag…" autocomplete="off" on:input=on_search/>
            </label>
            {select("track", "Track", "All tracks", options.tracks.iter().map(|(t, n)| (t.slug(), t.label(), *n)).collect(), Signal::derive(move || filters.get().track.map(|t| t.slug())))}
            {select("level", "Level", "All levels", options.levels.iter().map(|(t, n)| (t.slug(), t.label(), *n)).collect(), Signal::derive(move || filters.get().level.map(|t| t.slug())))}
            {select("competency", "Competency", "All competencies", options.competencies.iter().map(|(t, n)| (t.slug(), t.label(), *n)).collect(), Signal::derive(move || filters.get().competency.map(|t| t.slug())))}
        </form>
        <p class="result-count" role="status">{move || count_label(shown.get().len())}</p>
        {move || {
            let list = shown.get();
            if list.is_empty() {
                view! { <p class="empty">"No scenario matches these filters. "<a href="./">"Clear filters"</a></p> }.into_any()
            } else {
                view! { <ul class="cards">{list.into_iter().map(|s| view! { <Card summary=s/> }).collect_view()}</ul> }.into_any()
            }
        }}
    }
}

/// One catalog card.
#[component]
fn Card(summary: ScenarioSummary) -> impl IntoView {
    let href = Route::Scenario { pack: summary.pack.clone(), slug: summary.slug.clone() }.path();
    view! {
        <li class="card">
            <h2><a href=href>{summary.title.clone()}</a></h2>
            <p class="hook">{summary.hook.clone()}</p>
            <Badges summary=summary/>
        </li>
    }
}
