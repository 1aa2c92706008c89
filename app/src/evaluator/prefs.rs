//! The evaluator settings in this browser: `localStorage` for preferences (and remembered keys),
//! `sessionStorage` for keys kept only for the session. The rules live in
//! `leap_core::grading::config`; this module only opens the two stores.

use crate::site::Store;
use crate::storage::Backend;
use leap_core::baked::EvaluatorDefaults;
use leap_core::grading::config::{self, Preferences};
use leap_core::grading::provider::Settings;
use leap_core::storage::kv::StoreError;
use leptos::prelude::*;

/// Both stores, opened for one read or write.
pub struct Stores {
    /// `localStorage` (memory if refused).
    pub local: Backend,
    /// `sessionStorage` (memory if refused).
    pub session: Backend,
}

impl Stores {
    /// Opens both.
    pub fn open() -> Stores {
        Stores {
            local: Backend::open(),
            session: Backend::open_session(),
        }
    }

    /// The preferences in force: the learner's, else the suggestion of `pack` (or the site's).
    pub fn preferences(&self, store: &Store, pack: Option<&str>) -> Preferences {
        store
            .index
            .with_value(|i| self.preferences_or(i.evaluator_for(pack)))
    }

    /// The preferences in force: the learner's, else `suggestion`.
    pub fn preferences_or(&self, suggestion: Option<&EvaluatorDefaults>) -> Preferences {
        config::effective(&self.local, suggestion)
    }

    /// The settings a grading uses now, key included.
    pub fn settings(&self, store: &Store, pack: Option<&str>) -> Settings {
        self.preferences(store, pack)
            .settings(&self.local, &self.session)
    }

    /// Saves preferences and the key for the current base URL.
    pub fn save(&mut self, prefs: &Preferences, key: &str) -> Result<(), StoreError> {
        prefs.save(&mut self.local)?;
        let base = prefs.profile(prefs.provider).base_url;
        config::store_key(
            &mut self.local,
            &mut self.session,
            &base,
            key,
            prefs.remember_key,
        )
    }
}

/// Whether this page was served over HTTPS (browsers then block plain-HTTP requests but to localhost).
pub fn page_is_https() -> bool {
    web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "https:")
}

/// This site's origin, for the CORS instructions a local server needs.
pub fn site_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
