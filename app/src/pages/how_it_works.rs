//! How the practice loop works: baked Markdown from `content/how-it-works.md`.

use crate::shell::set_title;
use crate::site::{Load, Store};
use leptos::prelude::*;

/// The "how it works" page.
#[component]
pub fn HowItWorks() -> impl IntoView {
    set_title(Some("How it works"));
    let store = expect_context::<Store>();
    // The baked HTML is the compiler's output: Markdown with raw HTML escaped, links checked.
    move || match store.how_it_works() {
        Load::Ready(prose) => view! { <article class="page prose" inner_html=format!("<h1>How it works</h1>{}", prose.html)></article> }.into_any(),
        Load::Loading => view! { <article class="page prose"><h1>"How it works"</h1><p class="loading" role="status">"Loading…"</p></article> }.into_any(),
        Load::Failed(message) => view! { <article class="page prose"><h1>"How it works"</h1><p class="load-error" role="alert">{message}</p></article> }.into_any(),
    }
}
