//! The page for an address that does not exist.

use crate::shell::set_title;
use leptos::prelude::*;

/// Not found, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    set_title(Some("Page not found"));
    view! {
        <article class="page">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <p><a href="./">"Browse all scenarios"</a></p>
        </article>
    }
}
