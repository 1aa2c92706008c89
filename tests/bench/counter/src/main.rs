//! A counter: the smallest Leptos app that renders, listens and updates.

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        let (count, set_count) = signal(0);
        view! {
            <main>
                <h1>"Counter"</h1>
                <button on:click=move |_| set_count.update(|n| *n += 1)>"Add one"</button>
                <p>"Clicked " {count} " times"</p>
            </main>
        }
    });
    // The same take-over marker the site sets once it has mounted, so both are timed alike.
    if let Some(root) = document().document_element() {
        root.set_attribute("data-ready", "").ok();
    }
}
