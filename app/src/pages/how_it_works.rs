//! How the practice loop works: baked Markdown from `content/how-it-works.md`.

use crate::shell::set_title;
use crate::site::{Load, Store};
use leap_core::markup::how_it_works_inner;
use leptos::prelude::*;

/// The "how it works" page.
#[component]
pub fn HowItWorks() -> impl IntoView {
    set_title(Some("How it works"));
    let store = expect_context::<Store>();
    let inner = move || match store.how_it_works() {
        Load::Ready(prose) => how_it_works_inner(&prose),
        Load::Loading => {
            "<h1>How it works</h1><p class=\"loading\" role=\"status\">Loading…</p>".to_string()
        }
        Load::Failed(message) => format!(
            "<h1>How it works</h1><p class=\"load-error\" role=\"alert\">{}</p>",
            leap_core::site_text::escape(&message)
        ),
    };
    // The markup is the pack compiler's: Markdown with raw HTML escaped, links checked.
    view! { <article class="page prose" inner_html=inner></article> }
}
