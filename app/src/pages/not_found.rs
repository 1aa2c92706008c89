//! The page for an address that does not exist.

use crate::shell::set_title;
use leap_core::markup::NOT_FOUND_INNER;
use leptos::prelude::*;

/// Not found, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    set_title(Some("Page not found"));
    view! { <article class="page" inner_html=NOT_FOUND_INNER></article> }
}
