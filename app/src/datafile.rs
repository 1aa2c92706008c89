//! The progress page's export, import and brag document, in a bundle of their own
//! (`src/bin/yourdata.rs`). Writing and reading the export file (JSON both ways), planning an
//! import's merge and writing the brag document were about a sixth of the progress bundle, for
//! buttons most visits never press. So the progress bundle loads the yourdata bundle only when
//! the learner presses one ([`ask`], through the page's loader that `leap build` writes); the
//! service worker precaches it like every hashed asset, so it works offline too.
//!
//! The two bundles are two wasm instances with their own memory, and the learner's data lives in
//! the page's (IndexedDB's copy, or memory where the browser refuses storage). So the page sends
//! a copy of its entries along — `[action, argument, key, value, key, value…]` — and the bundle
//! answers `[ok, message, key, value…]`: for an import, the writes its merge planned, which the
//! page applies to its own store (all or nothing, [`leap_core::storage::export::apply`]).

use crate::clock::{now, offset_minutes};
use crate::files::download;
use js_sys::Array;
use leap_core::storage::keys::PREFIX;
use leap_core::storage::kv::{KeyValue, MemoryStore};
use leap_core::storage::repo::Repo;
use wasm_bindgen::prelude::*;

/// What the page asks of the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Download everything as one JSON file; the argument is the site's title.
    Export,
    /// Download the brag document; the argument is the site's title.
    Brag,
    /// Plan the merge of an export file; the argument is its text.
    Import,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Export => "export",
            Action::Brag => "brag",
            Action::Import => "import",
        }
    }

    fn from_name(name: &str) -> Option<Action> {
        [Action::Export, Action::Brag, Action::Import]
            .into_iter()
            .find(|a| a.name() == name)
    }
}

/// The bundle's answer: what to tell the learner, and for an import the writes to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Whether it went as asked.
    pub ok: bool,
    /// The sentence to show.
    pub message: String,
    /// An import's planned writes, in order.
    pub writes: Vec<(String, String)>,
}

impl Answer {
    fn failed(message: String) -> Answer {
        Answer {
            ok: false,
            message,
            writes: Vec::new(),
        }
    }

    fn to_js(&self) -> Array {
        let out = Array::new();
        out.push(&JsValue::from_bool(self.ok));
        out.push(&JsValue::from_str(&self.message));
        for (k, v) in &self.writes {
            out.push(&JsValue::from_str(k));
            out.push(&JsValue::from_str(v));
        }
        out
    }

    /// `None` if `value` is not an answer (a bundle of another build may answer otherwise).
    fn from_js(value: &JsValue) -> Option<Answer> {
        let list = value.dyn_ref::<Array>()?;
        Some(Answer {
            ok: list.get(0).as_bool()?,
            message: list.get(1).as_string()?,
            writes: pairs(list, 2)?,
        })
    }
}

/// The (key, value) pairs of `list` from `from` on; `None` if one is not text.
fn pairs(list: &Array, from: u32) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut i = from;
    while i + 1 < list.length() {
        out.push((list.get(i).as_string()?, list.get(i + 1).as_string()?));
        i += 2;
    }
    (i == list.length()).then_some(out)
}

/// In the yourdata bundle: answers the page's request (see the module's documentation).
pub fn answer(request: &JsValue) -> Array {
    let Some((action, argument, entries)) = request.dyn_ref::<Array>().and_then(|list| {
        let action = Action::from_name(&list.get(0).as_string()?)?;
        Some((action, list.get(1).as_string()?, pairs(list, 2)?))
    }) else {
        return Answer::failed(NOT_LOADED.into()).to_js();
    };
    let mut store = MemoryStore::new();
    for (k, v) in &entries {
        // A store without a limit takes every write.
        let _ = store.set(k, v);
    }
    let mut repo = Repo::new(store);
    run(action, &argument, &mut repo).to_js()
}

fn run(action: Action, argument: &str, repo: &mut Repo<MemoryStore>) -> Answer {
    use leap_core::storage::export::{export, parse, plan, to_text};
    use leap_core::time::iso_date;
    let result = match action {
        Action::Export => export(repo, argument, now(), None)
            .map_err(|e| format!("Could not read your data: {e}."))
            .and_then(|file| to_text(&file).map_err(|e| e.to_string()))
            .and_then(|json| {
                let name = format!("senior-leap-{}.json", iso_date(now()));
                download(&name, "application/json", &json)
                    .map(|()| format!("Exported to {name}."))
                    .map_err(|e| format!("Could not export: {e}."))
            })
            .map(|m| (m, Vec::new())),
        Action::Brag => repo
            .all()
            .map_err(|e| format!("Could not read your data: {e}."))
            .and_then(|records| {
                let summary = leap_core::progress::compute(&records);
                let md = leap_core::brag::brag_document(
                    argument,
                    &records,
                    &summary,
                    now(),
                    offset_minutes(),
                );
                let name = format!("senior-leap-brag-{}.md", iso_date(now()));
                download(&name, "text/markdown", &md)
                    .map(|()| format!("Brag document saved as {name}."))
                    .map_err(|e| format!("Could not export: {e}."))
            })
            .map(|m| (m, Vec::new())),
        Action::Import => parse(argument)
            .map_err(|e| e.to_string())
            .and_then(|file| plan(repo, &file).map_err(|e| nothing_imported(&e.to_string())))
            .map(|(report, writes)| (report.to_string(), writes)),
    };
    match result {
        Ok((message, writes)) => Answer {
            ok: true,
            message,
            writes,
        },
        Err(message) => Answer::failed(message),
    }
}

/// Why an import wrote nothing, and what to do about it.
pub fn nothing_imported(error: &str) -> String {
    format!(
        "Nothing was imported: {error}. Export and remove what you no longer need, then try again."
    )
}

const NOT_LOADED: &str = "Your data tools could not be loaded: reload the page and try again.";

#[wasm_bindgen]
extern "C" {
    /// The page's loader of the yourdata bundle (`leap_core::routes::YOURDATA_GLOBAL`, written
    /// by `leap build`): imports it (once: the browser keeps the module), starts it and passes
    /// the request on. Missing on a page of another build, which is an error like any other here.
    #[wasm_bindgen(catch, js_namespace = window, js_name = leapYourData)]
    async fn leap_your_data(request: &Array) -> Result<JsValue, JsValue>;
}

/// In the progress bundle: loads the yourdata bundle and asks it for `action` over a copy of
/// `store`'s entries of this site.
pub async fn ask(action: Action, argument: &str, store: &impl KeyValue) -> Answer {
    let request = Array::new();
    request.push(&JsValue::from_str(action.name()));
    request.push(&JsValue::from_str(argument));
    let keys = match store.keys() {
        Ok(keys) => keys,
        Err(e) => return Answer::failed(format!("Could not read your data: {e}.")),
    };
    for key in keys.iter().filter(|k| k.starts_with(PREFIX)) {
        match store.get(key) {
            Ok(Some(value)) => {
                request.push(&JsValue::from_str(key));
                request.push(&JsValue::from_str(&value));
            }
            Ok(None) => {}
            Err(e) => return Answer::failed(format!("Could not read your data: {e}.")),
        }
    }
    match leap_your_data(&request).await {
        Ok(answer) => Answer::from_js(&answer).unwrap_or_else(|| Answer::failed(NOT_LOADED.into())),
        Err(_) => Answer::failed(NOT_LOADED.into()),
    }
}
