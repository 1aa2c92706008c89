//! The settings page's "Test connection", in a bundle of its own (`src/bin/probe.rs`). Asking a
//! provider and explaining every way it can fail carries the evaluator's network layer and most
//! of its error texts: about a fifth of the settings bundle, for a button most visits never
//! press. So the settings bundle only loads the probe bundle when the learner presses it
//! ([`test`], through the page's loader that `leap build` writes); the service worker precaches
//! it like every hashed asset, so it works offline too.
//!
//! Between the two bundles the settings travel as JSON and the answer as an array:
//! `[ok, message, model…]`.

use crate::evaluator::http::{self, Cancel};
use crate::evaluator::prefs::site_origin;
use js_sys::Array;
use leap_core::grading::probe::interpret;
use leap_core::grading::provider::Settings;
use wasm_bindgen::prelude::*;

/// How long "Test connection" waits.
const PROBE_TIMEOUT_MS: u32 = 15_000;

/// What a connection test found: the models the server lists, and what to tell the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tested {
    /// Whether the provider answered as it should.
    pub ok: bool,
    /// The sentence to show.
    pub message: String,
    /// The models the server offers, when it lists them.
    pub models: Vec<String>,
}

impl Tested {
    fn failed(message: String) -> Tested {
        Tested {
            ok: false,
            message,
            models: Vec::new(),
        }
    }

    /// The answer as it crosses from the probe bundle: `[ok, message, model…]`.
    pub fn to_js(&self) -> Array {
        let out = Array::new();
        out.push(&JsValue::from_bool(self.ok));
        out.push(&JsValue::from_str(&self.message));
        for m in &self.models {
            out.push(&JsValue::from_str(m));
        }
        out
    }

    /// Reads [`Tested::to_js`]'s array; `None` if it is not one (a probe bundle of another
    /// build would be).
    pub fn from_js(value: &JsValue) -> Option<Tested> {
        let list = value.dyn_ref::<Array>()?;
        let ok = list.get(0).as_bool()?;
        let message = list.get(1).as_string()?;
        let models = (2..list.length())
            .filter_map(|i| list.get(i).as_string())
            .collect();
        Some(Tested {
            ok,
            message,
            models,
        })
    }
}

/// In the probe bundle: asks the provider in `settings` (JSON) for its models.
pub async fn run(settings: &str) -> Tested {
    let Ok(settings) = serde_json::from_str::<Settings>(settings) else {
        return Tested::failed("The connection test could not read the settings.".into());
    };
    let Some(cancel) = Cancel::new() else {
        return Tested::failed("This browser cannot send the request.".into());
    };
    let result = http::get(&settings, &settings.probe_url(), PROBE_TIMEOUT_MS, &cancel)
        .await
        .and_then(|(status, retry, body)| interpret(&settings, status, retry.as_deref(), &body));
    match result {
        Ok(found) => Tested {
            ok: true,
            message: found.message,
            models: found.models,
        },
        Err(e) => {
            let (what, next) = e.diagnose(&settings, &site_origin());
            Tested::failed(format!("{what} {next}"))
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// The page's loader of the probe bundle (`leap_core::routes::PROBE_GLOBAL`, written by
    /// `leap build`): imports it (once: the browser keeps the module), starts it and runs its
    /// test. Missing on a page of another build, which is an error like any other here.
    #[wasm_bindgen(catch, js_namespace = window, js_name = leapProbe)]
    async fn leap_probe(settings: &str) -> Result<JsValue, JsValue>;
}

/// In the settings bundle: loads the probe bundle and tests `settings` with it.
pub async fn test(settings: &Settings) -> Tested {
    const NOT_LOADED: &str =
        "The connection test could not be loaded: reload the page and try again.";
    let Ok(request) = serde_json::to_string(settings) else {
        return Tested::failed(NOT_LOADED.into());
    };
    match leap_probe(&request).await {
        Ok(answer) => Tested::from_js(&answer).unwrap_or_else(|| Tested::failed(NOT_LOADED.into())),
        Err(_) => Tested::failed(NOT_LOADED.into()),
    }
}
