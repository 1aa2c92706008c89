//! "Quote into answer": every artifact of the briefing and every piece of evidence revealed has a
//! button that appends its text — or the part of it the learner selected — to Reasoning as a
//! Markdown quote (`leap_core::quote` decides the form). The briefing is the pre-rendered page's
//! markup, which the app does not rebuild, so its buttons are added to it once it is on screen and
//! answered by one listener on the article. A short status says where the quote went: on a phone
//! the editor is on the other tab.

use super::workspace::{View, Workspace};
use leap_core::quote::quote_into;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The button's class; `style/main.css` places it and hides it when there is no draft to quote into.
const BUTTON_CLASS: &str = "quote-into secondary";
/// What the button says.
pub const LABEL: &str = "Quote into answer";

/// A one-line status that fades after a few seconds: what a quick action did.
#[derive(Clone, Copy)]
pub struct Toast {
    message: RwSignal<Option<(u64, String)>>,
}

impl Toast {
    /// Nothing to say yet.
    pub fn new() -> Self {
        Toast {
            message: RwSignal::new(None),
        }
    }

    /// Says `text` for a few seconds (a newer message replaces it).
    pub fn show(&self, text: impl Into<String>) {
        let id = self
            .message
            .with_untracked(|m| m.as_ref().map_or(0, |(n, _)| n + 1));
        self.message.set(Some((id, text.into())));
        let message = self.message;
        set_timeout(
            move || {
                if message
                    .try_with_untracked(|m| m.as_ref().is_some_and(|(n, _)| *n == id))
                    .unwrap_or(false)
                {
                    message.set(None);
                }
            },
            Duration::from_secs(5),
        );
    }
}

impl Default for Toast {
    fn default() -> Self {
        Self::new()
    }
}

/// Where the toast shows. Always in the page (empty when quiet) so screen readers hear it change.
#[component]
pub fn Toast() -> impl IntoView {
    let toast = expect_context::<Toast>();
    view! {
        <p class="toast" role="status">{move || toast.message.get().map(|(_, m)| m)}</p>
    }
}

/// Appends `text` from `source` to the draft's Reasoning as a quote, and says so.
pub fn quote(ws: Workspace, toast: Toast, text: &str, source: &str) {
    if ws.view.get_untracked() != View::Editing {
        toast.show("This attempt is finished: start a new one to quote into it.");
        return;
    }
    let f = ws.fields;
    match quote_into(&f.reasoning.get_untracked(), text, source) {
        Some(reasoning) => {
            f.reasoning.set(reasoning);
            // Rewrites the text areas from the fields; the caret is on the button, not in them.
            f.replaced.update(|n| *n += 1);
            ws.edited();
            toast.show(format!("Quoted into Reasoning: {source}."));
        }
        None => toast.show("There is no text there to quote."),
    }
}

/// The text to quote from `block`: what the learner selected inside it, else all of it, as the
/// browser lays it out (table cells apart, lines kept).
pub fn text_in(block: &web_sys::HtmlElement) -> String {
    let selected = window()
        .get_selection()
        .ok()
        .flatten()
        .filter(|s| !s.is_collapsed())
        .filter(|s| {
            let inside = |n: Option<web_sys::Node>| n.is_some_and(|n| block.contains(Some(&n)));
            inside(s.anchor_node()) && inside(s.focus_node())
        })
        .and_then(|s| s.to_string().as_string())
        .filter(|t| !t.trim().is_empty());
    selected.unwrap_or_else(|| block.inner_text())
}

/// A mouse press on a quote button must not clear the selection it is about to quote.
pub fn keep_selection(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
}

/// Adds a "Quote into answer" button to each artifact of the briefing beside the practice section,
/// and answers them.
#[component]
pub fn QuoteArtifacts() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let toast = expect_context::<Toast>();
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let Some(article) = document()
            .query_selector("main > article.scenario")
            .ok()
            .flatten()
        else {
            return false;
        };
        add_buttons(&article);
        listen(&article, ws, toast);
        true
    });
}

fn add_buttons(article: &web_sys::Element) {
    let Ok(artifacts) = article.query_selector_all("section.artifact") else {
        return;
    };
    let doc = document();
    for i in 0..artifacts.length() {
        let Some(section) = artifacts
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        if section
            .query_selector(":scope > .quote-into")
            .ok()
            .flatten()
            .is_some()
        {
            continue;
        }
        let Ok(button) = doc.create_element("button") else {
            continue;
        };
        button.set_attribute("type", "button").ok();
        button.set_class_name(BUTTON_CLASS);
        button.set_text_content(Some(LABEL));
        // Names which artifact for a screen reader moving from button to button.
        if let Some(heading) = section.get_attribute("aria-labelledby") {
            button.set_attribute("aria-describedby", &heading).ok();
        }
        section.append_child(&button).ok();
    }
}

fn listen(article: &web_sys::Element, ws: Workspace, toast: Toast) {
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        let Some(section) = quote_button_section(&ev) else {
            return;
        };
        let Some(prose) = section
            .query_selector(":scope > .prose")
            .ok()
            .flatten()
            .and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let title = section
            .query_selector(":scope > h3")
            .ok()
            .flatten()
            .and_then(|h| h.text_content())
            .unwrap_or_default();
        quote(ws, toast, &text_in(&prose), &title);
    });
    let on_mousedown =
        Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
            if quote_button_section(&ev).is_some() {
                ev.prevent_default();
            }
        });
    article
        .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
        .ok();
    article
        .add_event_listener_with_callback("mousedown", on_mousedown.as_ref().unchecked_ref())
        .ok();
    // The JS closures are not `Send`; the page is single-threaded, which `SendWrapper` checks.
    let held = send_wrapper::SendWrapper::new((article.clone(), on_click, on_mousedown));
    on_cleanup(move || {
        let (article, on_click, on_mousedown) = &*held;
        article
            .remove_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
            .ok();
        article
            .remove_event_listener_with_callback("mousedown", on_mousedown.as_ref().unchecked_ref())
            .ok();
    });
}

/// The artifact whose quote button the event is on.
fn quote_button_section(ev: &web_sys::MouseEvent) -> Option<web_sys::Element> {
    let button = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("button.quote-into")
        .ok()??;
    button.closest("section.artifact").ok()?
}
