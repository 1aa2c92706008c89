//! Focus that follows the learner: after an action, focus and scroll go to the heading of what
//! appeared, and the practice live region says what it was.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The practice section's live region (see `practice::Practice`).
pub const ANNOUNCER: &str = "practice-announce";

/// How many animation frames (about four seconds) to wait for the target and to keep it focused.
const FRAMES: u32 = 240;

/// Announces `message`, then moves focus to the element `id` once it exists and scrolls it to the
/// top. The review is redrawn once more right after a commit (when the rubric is snapshotted into
/// the attempt), which drops focus to the body: until the learner moves on, focus is put back.
pub fn follow(id: impl Into<String>, message: impl Into<String>) {
    announce(message.into());
    step(id.into(), 0, false);
}

/// Says `message` in the live region; emptied first so the same words are announced again.
pub fn announce(message: String) {
    let region = || document().get_element_by_id(ANNOUNCER);
    if let Some(r) = region() {
        r.set_text_content(None);
    }
    request_animation_frame(move || {
        if let Some(r) = region() {
            r.set_text_content(Some(&message));
        }
    });
}

fn step(id: String, frame: u32, placed: bool) {
    request_animation_frame(move || {
        let doc = document();
        let active = doc.active_element();
        let lost = active.is_none() || active == doc.body().map(Into::into);
        let mut placed = placed;
        if let Some(el) = doc
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let on_target = active.as_ref() == Some(el.unchecked_ref::<web_sys::Element>());
            if !on_target {
                if placed && !lost {
                    // The learner has moved on: leave their focus alone.
                    return;
                }
                el.scroll_into_view_with_bool(true);
                el.focus().ok();
                placed = true;
            }
        }
        if frame < FRAMES {
            step(id, frame + 1, placed);
        }
    });
}

/// Whether the learner is writing in a text field, where moving focus would take their caret.
pub fn typing() -> bool {
    document().active_element().is_some_and(|e| {
        e.tag_name().eq_ignore_ascii_case("textarea")
            || (e.tag_name().eq_ignore_ascii_case("input")
                && e.get_attribute("type").is_none_or(|t| t == "text"))
    })
}
