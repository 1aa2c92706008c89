//! The settings page's connection test, a bundle of its own: the settings bundle loads it only
//! when the learner presses "Test connection" (see `evaluator::probe`).

use wasm_bindgen::prelude::*;

fn main() {}

/// Tests the settings given as JSON; answers `[ok, message, model…]`.
#[wasm_bindgen]
pub async fn probe(settings: String) -> js_sys::Array {
    senior_leap::evaluator::probe::run(&settings).await.to_js()
}
