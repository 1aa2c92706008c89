//! The browser side of the storage layer: `localStorage` as a [`KeyValue`] store, falling back to
//! memory for the session when the browser refuses storage (private mode, disabled storage), and
//! the learner's store: attempts in IndexedDB ([`bulk`]), the rest in `localStorage`, split by
//! core's rule ([`leap_core::storage::split`]).

pub(crate) mod bulk;

use leap_core::storage::kv::{KeyValue, MemoryStore, StoreError};
use leap_core::storage::repo::Repo;
use leap_core::storage::split::Split;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// Where the learner's data lives in this session.
pub enum Backend {
    /// The browser's `localStorage` (survives reloads and closed tabs) or `sessionStorage`.
    Local(web_sys::Storage),
    /// Memory only, because the browser refused storage: lost when the tab closes.
    Memory(MemoryStore),
}

impl Backend {
    /// `localStorage` if the browser lets us write to it, memory otherwise.
    pub fn open() -> Backend {
        Self::open_with(|w| w.local_storage())
    }

    /// `sessionStorage` (cleared when the browser session ends), memory otherwise.
    pub fn open_session() -> Backend {
        Self::open_with(|w| w.session_storage())
    }

    fn open_with(
        which: fn(&web_sys::Window) -> Result<Option<web_sys::Storage>, JsValue>,
    ) -> Backend {
        let probe = || -> Result<web_sys::Storage, JsValue> {
            let storage = which(&web_sys::window().ok_or(JsValue::NULL)?)?.ok_or(JsValue::NULL)?;
            storage.set_item("leap:probe", "1")?;
            storage.remove_item("leap:probe")?;
            Ok(storage)
        };
        probe()
            .map(Backend::Local)
            .unwrap_or_else(|_| Backend::Memory(MemoryStore::new()))
    }

    /// Whether data survives this tab.
    pub fn is_persistent(&self) -> bool {
        matches!(self, Backend::Local(_))
    }
}

/// Where attempts live in this page: IndexedDB, or, where the browser refuses it, `localStorage`
/// (or memory) like everything else.
#[derive(Clone)]
pub enum Attempts {
    /// IndexedDB, through the page's copy of it.
    Indexed(bulk::Bulk),
    /// The same store as the rest.
    Local(Local),
}

impl KeyValue for Attempts {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Attempts::Indexed(b) => b.get(key),
            Attempts::Local(b) => b.get(key),
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        match self {
            Attempts::Indexed(b) => b.set(key, value),
            Attempts::Local(b) => b.set(key, value),
        }
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        match self {
            Attempts::Indexed(b) => b.remove(key),
            Attempts::Local(b) => b.remove(key),
        }
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Attempts::Indexed(b) => b.keys(),
            Attempts::Local(b) => b.keys(),
        }
    }
}

/// The learner's data in this page: drafts, the review queue and settings in `localStorage`,
/// attempts in IndexedDB.
pub type Learner = Split<Local, Attempts>;

/// `localStorage` (or memory) for the local half of [`Learner`]: shared with [`Attempts::Local`]
/// when IndexedDB is refused, so a memory fallback is one store, not two.
pub type Local = std::rc::Rc<RefCell<Backend>>;

/// Opens the learner's store for this page: attempts in IndexedDB once [`open_learner_data`]
/// opened it, in `localStorage` otherwise.
pub fn learner() -> Learner {
    let local = std::rc::Rc::new(RefCell::new(Backend::open()));
    let bulk = match bulk::current() {
        Some(m) => Attempts::Indexed(bulk::Bulk(m)),
        None => Attempts::Local(local.clone()),
    };
    Split { local, bulk }
}

/// Opens IndexedDB and moves attempts still in `localStorage` there: started at once (the
/// returned promise runs whether or not it is awaited), and awaited before the app takes over, so
/// no view reads the learner's data before it is all in one place.
pub fn open_learner_data() -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async {
        bulk::open().await;
        // Where IndexedDB is refused the summary is kept over localStorage alone.
        learner().refresh_summary();
        Ok(JsValue::UNDEFINED)
    })
}

/// Waits until the learner's data is in memory: the preload of every bundle that reads attempts.
pub async fn learner_data_ready() {
    let _ = wasm_bindgen_futures::JsFuture::from(open_learner_data()).await;
}

/// A `QuotaExceededError` (any browser's spelling) means full; anything else is reported as is.
fn classify(err: JsValue) -> StoreError {
    let name = js_sys::Reflect::get(&err, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    match name.as_str() {
        "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED" => StoreError::Full,
        "SecurityError" => StoreError::Unavailable,
        _ => StoreError::Other(
            js_sys::Reflect::get(&err, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or(name),
        ),
    }
}

impl KeyValue for Backend {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Backend::Local(s) => s.get_item(key).map_err(classify),
            Backend::Memory(m) => m.get(key),
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        match self {
            Backend::Local(s) => s.set_item(key, value).map_err(classify),
            Backend::Memory(m) => m.set(key, value),
        }
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        match self {
            Backend::Local(s) => s.remove_item(key).map_err(classify),
            Backend::Memory(m) => m.remove(key),
        }
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Backend::Local(s) => {
                let n = s.length().map_err(classify)?;
                Ok((0..n).filter_map(|i| s.key(i).ok().flatten()).collect())
            }
            Backend::Memory(m) => m.keys(),
        }
    }
}

/// The learner's data, shared by every component of a page.
pub type SharedRepo = Rc<RefCell<Repo<Learner>>>;

/// Opens the learner's data for this page.
pub fn open_repo() -> SharedRepo {
    Rc::new(RefCell::new(Repo::new(learner())))
}
