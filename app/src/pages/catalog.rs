//! The catalog: every scenario, filtered by track, level, competency and free text. Filters live
//! in the URL query, so a filtered catalog is a link you can share and the back button works.
//!
//! The form's markup is the static page's (`leap_core::markup`); the app listens to it and keeps
//! its controls in step with the URL. Doing that with one listener and a small effect, instead of a
//! component per control, keeps the catalog's first load about 20 KB smaller.

use crate::shell::set_title;
use crate::site::Store;
use leap_core::catalog::{count_label, Filters};
use leap_core::markup::{card_items, catalog_intro_inner, filter_controls, EMPTY_CATALOG_INNER};
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
    Effect::new(move |_| {
        let f = filters.get();
        if let Some(form) = form.get() {
            sync_controls(&form, &f);
        }
    });
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
        <form class="filters" role="search" aria-label="Filter scenarios" node_ref=form
            inner_html=filter_controls(&index, &Filters::default())
            on:input=on_input on:submit=|ev| ev.prevent_default()></form>
        <p class="result-count" role="status">{move || count_label(shown.get().len())}</p>
        {move || {
            let list = shown.get();
            if list.is_empty() {
                view! { <p class="empty" inner_html=EMPTY_CATALOG_INNER></p> }.into_any()
            } else {
                view! { <ul class="cards" inner_html=card_items(&list)></ul> }.into_any()
            }
        }}
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
