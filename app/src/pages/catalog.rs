//! The catalog: every scenario, filtered by track, level, competency and free text. Filters live
//! in the URL query, so a filtered catalog is a link you can share and the back button works.
//!
//! The form's markup is the static page's (`leap_core::markup`); the app listens to it and keeps
//! its controls in step with the URL. Doing that with one listener and a small effect, instead of a
//! component per control, keeps the catalog's first load about 20 KB smaller.

use crate::shell::set_title;
use crate::site::Store;
use leap_core::baked::SiteIndex;
use leap_core::catalog::{count_label, filter_options, filters_toggle_label, option_text, Filters};
use leap_core::markup::{
    card_items_with_status, catalog_intro_inner, filter_controls, EMPTY_CATALOG_INNER,
};
use leap_core::standing::{self, Standing};
use leap_core::taxonomy::{Competency, Level, Track};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

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
    // Every change replaces the URL: filters are shareable and survive a reload.
    let on_input = move |ev: leptos::ev::Event| {
        let Some(control) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let (name, value) = match (
            control.dyn_ref::<web_sys::HtmlInputElement>(),
            control.dyn_ref::<web_sys::HtmlSelectElement>(),
        ) {
            (Some(input), _) => (input.name(), input.value()),
            (_, Some(select)) => (select.name(), select.value()),
            _ => return,
        };
        let mut next = filters.get_untracked();
        next.set(&name, &value);
        let query = next.to_query();
        let url = if query.is_empty() {
            format!("{base}/")
        } else {
            format!("{base}/?{query}")
        };
        navigate(
            &url,
            NavigateOptions {
                resolve: false,
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    // The URL can change without the form (back button, "Clear filters"): bring the controls along.
    let form = NodeRef::<leptos::html::Form>::new();
    let counted = index.clone();
    Effect::new(move |_| {
        let f = filters.get();
        if let Some(form) = form.get() {
            sync_controls(&form, &f);
            sync_counts(&form, &counted, &f);
        }
    });
    // Where the learner stands with each scenario, read once from this browser's storage as the
    // app takes over (a first visit has nothing stored, and the cards stay as the static page has
    // them). Read-only: the pages that read attempts whole explain damaged entries.
    let standings = StoredValue::new(standing::read_all(
        &crate::storage::Backend::open(),
        &index,
        crate::clock::now(),
        crate::clock::offset_minutes(),
    ));
    let status = move |s: &leap_core::baked::ScenarioSummary| {
        let key = format!("{}/{}", s.pack, s.slug);
        standings.with_value(|list| {
            list.iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, st)| Standing::text(st))
        })
    };
    let all = index.scenarios.clone();
    let shown = Memo::new(move |_| {
        let f = filters.get();
        all.iter()
            .filter(|s| f.matches(s))
            .cloned()
            .collect::<Vec<_>>()
    });

    view! {
        <div class="intro" inner_html=catalog_intro_inner(&index)></div>
        // Closed on a phone (the stylesheet shows it whole on a wider screen); the summary
        // says how many filters are set, so a closed box never hides that the list is filtered.
        <details class="filters-box" id="filters-box">
            <summary>{move || filters_toggle_label(&filters.get())}</summary>
            <form class="filters" role="search" aria-label="Filter scenarios" node_ref=form
                inner_html=filter_controls(&index, &Filters::default())
                on:input=on_input on:submit=|ev| ev.prevent_default()></form>
        </details>
        <p class="result-count" role="status">{move || count_label(shown.get().len())}</p>
        {move || {
            let list = shown.get();
            if list.is_empty() {
                view! { <p class="empty" inner_html=EMPTY_CATALOG_INNER></p> }.into_any()
            } else {
                view! { <ul class="cards" inner_html=card_items_with_status(&list, status)></ul> }.into_any()
            }
        }}
    }
}

/// Rewrites each choice's count for the current filters (the static page counted with none), so
/// "Backend (3)" always means what picking it would show.
fn sync_counts(form: &web_sys::HtmlFormElement, index: &SiteIndex, f: &Filters) {
    let o = filter_options(index, f);
    let label = |name: &str, slug: &str| -> Option<(&'static str, usize)> {
        match name {
            "track" => Track::from_slug(slug)
                .and_then(|t| o.tracks.iter().find(|(v, _)| *v == t))
                .map(|(t, n)| (t.label(), *n)),
            "level" => Level::from_slug(slug)
                .and_then(|l| o.levels.iter().find(|(v, _)| *v == l))
                .map(|(l, n)| (l.label(), *n)),
            "competency" => Competency::from_slug(slug)
                .and_then(|c| o.competencies.iter().find(|(v, _)| *v == c))
                .map(|(c, n)| (c.label(), *n)),
            _ => None,
        }
    };
    for name in ["track", "level", "competency"] {
        let Ok(options) = form.query_selector_all(&format!("[name=\"{name}\"] option")) else {
            continue;
        };
        for i in 0..options.length() {
            let Some(el) = options
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let slug = el.get_attribute("value").unwrap_or_default();
            if let Some((text, n)) = label(name, &slug) {
                let want = option_text(text, n);
                if el.text_content().as_deref() != Some(want.as_str()) {
                    el.set_text_content(Some(&want));
                }
            }
        }
    }
}

/// Sets each control to the filter's value, leaving alone any that already shows it (so typing
/// keeps its caret).
fn sync_controls(form: &web_sys::HtmlFormElement, f: &Filters) {
    let wanted = [
        ("q", f.q.clone()),
        (
            "track",
            f.track.map(|t| t.slug().to_string()).unwrap_or_default(),
        ),
        (
            "level",
            f.level.map(|l| l.slug().to_string()).unwrap_or_default(),
        ),
        (
            "competency",
            f.competency
                .map(|c| c.slug().to_string())
                .unwrap_or_default(),
        ),
    ];
    for (name, value) in wanted {
        let Some(el) = form
            .query_selector(&format!("[name=\"{name}\"]"))
            .ok()
            .flatten()
        else {
            continue;
        };
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            if input.value().trim() != value {
                input.set_value(&value);
            }
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            if select.value() != value {
                select.set_value(&value);
            }
        }
    }
}
