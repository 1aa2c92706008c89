//! The progress page's export, import and brag document, a bundle of their own: the progress
//! bundle loads it only when the learner presses one of them (see `datafile`).

use wasm_bindgen::prelude::*;

fn main() {}

/// Answers the page's request `[action, argument, key, value…]` with `[ok, message, key, value…]`.
#[wasm_bindgen]
pub fn yourdata(request: JsValue) -> js_sys::Array {
    senior_leap::datafile::answer(&request)
}
