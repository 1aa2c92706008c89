//! The learner's evaluator settings and where they live. Choices (provider, model, base URL,
//! timeout) are ordinary preferences in `localStorage`. The key is kept apart, per origin: in
//! `sessionStorage` (gone when the browser closes) unless the learner ticks "remember on this
//! device". Everything sits under `leapcfg:`, outside the `leap:` namespace that exports and
//! imports read, so a key can never end up in an export file. Keying the key by origin means a
//! key typed for one server is never sent to another after the base URL changes.

use super::provider::{origin_of, ProviderKind, Settings};
use crate::baked::EvaluatorDefaults;
use crate::storage::kv::{KeyValue, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the preferences live (in `localStorage`).
pub const PREFERENCES_KEY: &str = "leapcfg:evaluator";
/// The prefix of every entry this module writes.
pub const PREFIX: &str = "leapcfg:";

/// How long a grading may go without receiving a byte, unless the learner changes it.
pub const DEFAULT_TIMEOUT_SECS: u32 = 90;
/// The timeouts a learner may choose, in seconds.
pub const TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 5..=3600;

/// A provider's model and base URL, as the learner last set them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The model.
    pub model: String,
    /// The API's base URL.
    pub base_url: String,
}

/// The learner's evaluator preferences (never the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// The chosen provider.
    pub provider: ProviderKind,
    /// Per provider, so switching back and forth keeps each one's model and address.
    #[serde(default)]
    pub profiles: BTreeMap<ProviderKind, Profile>,
    /// Seconds without a byte from the provider before a grading gives up.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u32,
    /// Whether keys are kept in `localStorage` (true) or only for the session.
    #[serde(default)]
    pub remember_key: bool,
}

fn default_timeout() -> u32 {
    DEFAULT_TIMEOUT_SECS
}

impl Preferences {
    /// The preferences a learner starts with: the pack's suggestion if there is one, else Anthropic.
    pub fn initial(defaults: Option<&EvaluatorDefaults>) -> Preferences {
        let mut prefs = Preferences {
            provider: ProviderKind::Anthropic,
            profiles: BTreeMap::new(),
            timeout_secs: DEFAULT_TIMEOUT_SECS,
            remember_key: false,
        };
        if let Some(d) = defaults {
            prefs.provider = d.provider;
            prefs.profiles.insert(
                d.provider,
                Profile {
                    model: d
                        .model
                        .clone()
                        .unwrap_or_else(|| d.provider.default_model().into()),
                    base_url: d
                        .base_url
                        .clone()
                        .unwrap_or_else(|| d.provider.default_base_url().into()),
                },
            );
        }
        prefs
    }

    /// The saved preferences, if the learner ever saved any (unreadable ones count as none).
    pub fn load(local: &dyn KeyValue) -> Option<Preferences> {
        let text = local.get(PREFERENCES_KEY).ok()??;
        serde_json::from_str(&text).ok()
    }

    /// Saves the preferences.
    pub fn save(&self, local: &mut dyn KeyValue) -> Result<(), StoreError> {
        let text = serde_json::to_string(self).map_err(|e| StoreError::Other(e.to_string()))?;
        local.set(PREFERENCES_KEY, &text)
    }

    /// The model and base URL for a provider: the learner's, else the provider's defaults.
    pub fn profile(&self, provider: ProviderKind) -> Profile {
        self.profiles
            .get(&provider)
            .cloned()
            .unwrap_or_else(|| Profile {
                model: provider.default_model().into(),
                base_url: provider.default_base_url().into(),
            })
    }

    /// Sets the timeout, kept within [`TIMEOUT_RANGE`].
    pub fn set_timeout(&mut self, secs: u32) {
        self.timeout_secs = secs.clamp(*TIMEOUT_RANGE.start(), *TIMEOUT_RANGE.end());
    }

    /// Milliseconds without a byte before a request gives up (stored values are clamped too).
    pub fn idle_ms(&self) -> u32 {
        self.timeout_secs
            .clamp(*TIMEOUT_RANGE.start(), *TIMEOUT_RANGE.end())
            * 1000
    }

    /// The chosen provider, model and base URL, without a key.
    pub fn chosen(&self) -> Settings {
        let profile = self.profile(self.provider);
        Settings {
            provider: self.provider,
            model: profile.model,
            base_url: profile.base_url,
            key: String::new(),
        }
    }

    /// The settings a grading uses, with the key stored for the base URL's origin.
    pub fn settings(&self, local: &dyn KeyValue, session: &dyn KeyValue) -> Settings {
        let mut settings = self.chosen();
        if let Some(origin) = settings.origin() {
            settings.key = load_key(local, session, &origin);
        }
        settings
    }
}

/// The preferences in force on a page: the learner's saved ones, else the pack's suggestion.
pub fn effective(local: &dyn KeyValue, defaults: Option<&EvaluatorDefaults>) -> Preferences {
    Preferences::load(local).unwrap_or_else(|| Preferences::initial(defaults))
}

/// The storage entry of the key for an origin.
pub fn key_entry(origin: &str) -> String {
    format!("{PREFIX}key:{origin}")
}

/// The key kept for an origin: this session's, else the remembered one, else none.
pub fn load_key(local: &dyn KeyValue, session: &dyn KeyValue, origin: &str) -> String {
    let entry = key_entry(origin);
    session
        .get(&entry)
        .ok()
        .flatten()
        .or_else(|| local.get(&entry).ok().flatten())
        .unwrap_or_default()
}

/// Stores the key for the base URL's origin: in `local` if remembered (and out of `session`), in
/// `session` otherwise (and out of `local`, so unticking "remember" forgets it on disk). An empty
/// key removes it from both.
pub fn store_key(
    local: &mut dyn KeyValue,
    session: &mut dyn KeyValue,
    base_url: &str,
    key: &str,
    remember: bool,
) -> Result<(), StoreError> {
    let Some(origin) = origin_of(base_url.trim()) else {
        return Ok(());
    };
    let entry = key_entry(&origin);
    let key = key.trim();
    if key.is_empty() {
        local.remove(&entry)?;
        return session.remove(&entry);
    }
    if remember {
        local.set(&entry, key)?;
        session.remove(&entry)
    } else {
        session.set(&entry, key)?;
        local.remove(&entry)
    }
}

/// Moves every stored key to match a changed "remember on this device" choice.
pub fn move_keys(
    local: &mut dyn KeyValue,
    session: &mut dyn KeyValue,
    remember: bool,
) -> Result<(), StoreError> {
    if remember {
        move_entries(session, local)
    } else {
        move_entries(local, session)
    }
}

fn move_entries(from: &mut dyn KeyValue, to: &mut dyn KeyValue) -> Result<(), StoreError> {
    let prefix = format!("{PREFIX}key:");
    for entry in from.keys()?.into_iter().filter(|k| k.starts_with(&prefix)) {
        if let Some(key) = from.get(&entry)? {
            to.set(&entry, &key)?;
        }
        from.remove(&entry)?;
    }
    Ok(())
}

/// Removes every preference and key from both stores ("delete everything", "forget my keys").
pub fn forget_all(
    local: &mut dyn KeyValue,
    session: &mut dyn KeyValue,
    keys_only: bool,
) -> Result<(), StoreError> {
    let prefix = if keys_only {
        format!("{PREFIX}key:")
    } else {
        PREFIX.to_string()
    };
    remove_prefixed(local, &prefix)?;
    remove_prefixed(session, &prefix)
}

fn remove_prefixed(store: &mut dyn KeyValue, prefix: &str) -> Result<(), StoreError> {
    for entry in store.keys()?.into_iter().filter(|k| k.starts_with(prefix)) {
        store.remove(&entry)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::kv::MemoryStore;

    fn gateway() -> EvaluatorDefaults {
        EvaluatorDefaults {
            pack: "acme".into(),
            pack_title: "Acme".into(),
            provider: ProviderKind::OpenAiCompatible,
            model: Some("acme-grader".into()),
            base_url: Some("https://llm.acme.example/v1".into()),
        }
    }

    #[test]
    fn a_packs_suggestion_applies_until_the_learner_saves_their_own() {
        let mut local = MemoryStore::new();
        let session = MemoryStore::new();
        let prefs = effective(&local, Some(&gateway()));
        let s = prefs.settings(&local, &session);
        assert_eq!(s.provider, ProviderKind::OpenAiCompatible);
        assert_eq!(s.model, "acme-grader");
        assert_eq!(s.base_url, "https://llm.acme.example/v1");

        let mut mine = Preferences::initial(None);
        mine.provider = ProviderKind::OpenAi;
        mine.save(&mut local).unwrap();
        let s = effective(&local, Some(&gateway())).settings(&local, &session);
        assert_eq!(s.provider, ProviderKind::OpenAi);
        assert_eq!(s.model, "gpt-5-mini");
    }

    #[test]
    fn the_key_is_kept_for_the_session_unless_remembered() {
        let (mut local, mut session) = (MemoryStore::new(), MemoryStore::new());
        store_key(
            &mut local,
            &mut session,
            "https://api.anthropic.com",
            " sk-ant-1 ",
            false,
        )
        .unwrap();
        assert_eq!(local.keys().unwrap(), Vec::<String>::new());
        assert_eq!(
            session
                .get("leapcfg:key:https://api.anthropic.com")
                .unwrap(),
            Some("sk-ant-1".into())
        );
        let prefs = Preferences::initial(None);
        assert_eq!(prefs.settings(&local, &session).key, "sk-ant-1");

        move_keys(&mut local, &mut session, true).unwrap();
        assert!(session.keys().unwrap().is_empty());
        assert_eq!(prefs.settings(&local, &session).key, "sk-ant-1");

        move_keys(&mut local, &mut session, false).unwrap();
        assert!(
            local.keys().unwrap().is_empty(),
            "unticking forgets it on disk"
        );

        store_key(
            &mut local,
            &mut session,
            "https://api.anthropic.com",
            "",
            false,
        )
        .unwrap();
        assert_eq!(prefs.settings(&local, &session).key, "");
    }

    #[test]
    fn a_key_is_never_offered_to_another_origin() {
        let (mut local, mut session) = (MemoryStore::new(), MemoryStore::new());
        store_key(
            &mut local,
            &mut session,
            "https://api.openai.com/v1",
            "sk-1",
            true,
        )
        .unwrap();
        let mut prefs = Preferences::initial(None);
        prefs.provider = ProviderKind::OpenAi;
        assert_eq!(prefs.settings(&local, &session).key, "sk-1");
        prefs.profiles.insert(
            ProviderKind::OpenAi,
            Profile {
                model: "gpt-5-mini".into(),
                base_url: "https://gateway.example/v1".into(),
            },
        );
        assert_eq!(prefs.settings(&local, &session).key, "");
    }

    #[test]
    fn preferences_never_hold_the_key_and_live_outside_the_export_namespace() {
        let mut local = MemoryStore::new();
        let mut prefs = Preferences::initial(None);
        prefs.remember_key = true;
        prefs.save(&mut local).unwrap();
        let text = local.get(PREFERENCES_KEY).unwrap().unwrap();
        assert!(!text.contains("key\":\"sk"));
        assert!(!PREFIX.starts_with(crate::storage::keys::PREFIX));
        assert_eq!(Preferences::load(&local), Some(prefs));
    }

    #[test]
    fn the_timeout_stays_within_its_range() {
        let mut prefs = Preferences::initial(None);
        assert_eq!(prefs.idle_ms(), 90_000);
        prefs.set_timeout(1);
        assert_eq!(prefs.idle_ms(), 5_000);
        prefs.set_timeout(99_999);
        assert_eq!(prefs.timeout_secs, 3600);
        prefs.timeout_secs = 0; // as an older or hand-edited entry might hold
        assert_eq!(prefs.idle_ms(), 5_000);
    }

    #[test]
    fn unreadable_preferences_fall_back_to_defaults() {
        let mut local = MemoryStore::new();
        local.set(PREFERENCES_KEY, "{ nope").unwrap();
        assert_eq!(Preferences::load(&local), None);
        assert_eq!(effective(&local, None).provider, ProviderKind::Anthropic);
    }

    #[test]
    fn forgetting_removes_keys_or_everything() {
        let (mut local, mut session) = (MemoryStore::new(), MemoryStore::new());
        Preferences::initial(None).save(&mut local).unwrap();
        store_key(
            &mut local,
            &mut session,
            "http://localhost:11434",
            "k",
            true,
        )
        .unwrap();
        store_key(
            &mut local,
            &mut session,
            "https://openrouter.ai/api/v1",
            "k2",
            false,
        )
        .unwrap();
        local.set("leap:core:x:draft", "{}").unwrap();
        forget_all(&mut local, &mut session, true).unwrap();
        assert_eq!(
            local.keys().unwrap(),
            vec!["leap:core:x:draft".to_string(), PREFERENCES_KEY.to_string()]
        );
        assert!(session.keys().unwrap().is_empty());
        forget_all(&mut local, &mut session, false).unwrap();
        assert_eq!(local.keys().unwrap(), vec!["leap:core:x:draft".to_string()]);
    }
}
