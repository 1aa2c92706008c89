//! What the learner did on a scenario page's pre-rendered editor before the app took it over
//! (issue 11): the text on the page and, on a phone, whether the answer's tab was shown. Read from
//! the page just before it is replaced, kept here until the practice section takes it (once).

use leap_core::markup::EDITOR_FIELDS;
use leap_core::storage::schema::Answer;
use std::cell::RefCell;
use wasm_bindgen::JsCast;

/// The pre-rendered editor as it was at take-over.
pub struct EarlyForm {
    /// The key its script kept the text under (`data-early`), which names the scenario.
    pub key: String,
    /// What was on the form.
    pub answer: Answer,
    /// Whether the phone's answer tab was shown.
    pub answer_tab: bool,
}

thread_local! {
    static CARRIED: RefCell<Option<EarlyForm>> = const { RefCell::new(None) };
}

/// Reads the pre-rendered editor of the current page, if it has one. Called in the same task as
/// the take-over, so no keystroke falls between this reading and the app's form replacing it.
pub fn carry_from_page() {
    let carried = page_form().map(|section| read_form(&section));
    CARRIED.with(|c| *c.borrow_mut() = carried);
}

/// The pre-rendered editor's section, on a page that has one.
pub fn page_form() -> Option<web_sys::Element> {
    document()
        .query_selector("#practice[data-early]")
        .ok()
        .flatten()
}

/// What the pre-rendered editor `section` holds now.
pub fn read_form(section: &web_sys::Element) -> EarlyForm {
    let text = |id: &str| {
        section
            .query_selector(&format!("#{id}"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .map(|t| t.value())
            .unwrap_or_default()
    };
    let [reasoning, uncertainty, commitment] = EDITOR_FIELDS.map(|(id, ..)| text(id));
    // The range always holds a value; it is the learner's only once the `unset` class is gone.
    let confidence = section
        .query_selector("#confidence:not(.unset)")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.value().parse::<u8>().ok())
        .filter(|c| *c <= 100);
    EarlyForm {
        key: section.get_attribute("data-early").unwrap_or_default(),
        answer: Answer {
            reasoning,
            uncertainty,
            commitment,
            confidence,
        },
        answer_tab: section.get_attribute("data-tab").as_deref() == Some("answer"),
    }
}

/// What was carried for the scenario whose early key is `key`; `None` after the first call.
pub fn take(key: &str) -> Option<EarlyForm> {
    CARRIED.with(|c| {
        let mut c = c.borrow_mut();
        if c.as_ref().is_some_and(|x| x.key == key) {
            c.take()
        } else {
            None
        }
    })
}

fn document() -> web_sys::Document {
    leptos::prelude::document()
}
