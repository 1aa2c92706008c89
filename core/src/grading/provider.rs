//! The providers a learner can grade with, their defaults, and where requests go.

use serde::{Deserialize, Serialize};

/// A kind of model provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderKind {
    /// Anthropic's Messages API, called directly from the browser.
    Anthropic,
    /// OpenAI's Chat Completions API.
    OpenAi,
    /// OpenRouter, OpenAI-compatible, routing to many models.
    OpenRouter,
    /// Ollama's own chat API on the learner's machine.
    Ollama,
    /// Any OpenAI-compatible server on the learner's machine or network (LM Studio, llama.cpp…).
    OpenAiCompatible,
}

impl ProviderKind {
    /// Every provider, in the order the settings page lists them.
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::Anthropic,
        ProviderKind::OpenAi,
        ProviderKind::OpenRouter,
        ProviderKind::Ollama,
        ProviderKind::OpenAiCompatible,
    ];

    /// The name learners read.
    pub fn label(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "Anthropic",
            ProviderKind::OpenAi => "OpenAI",
            ProviderKind::OpenRouter => "OpenRouter",
            ProviderKind::Ollama => "Ollama (on your machine)",
            ProviderKind::OpenAiCompatible => "OpenAI-compatible server (LM Studio, llama.cpp…)",
        }
    }

    /// The provider's name inside a sentence ("Ollama refused the key").
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "Anthropic",
            ProviderKind::OpenAi => "OpenAI",
            ProviderKind::OpenRouter => "OpenRouter",
            ProviderKind::Ollama => "Ollama",
            ProviderKind::OpenAiCompatible => "OpenAI-compatible server",
        }
    }

    /// The stable id used in settings and saved feedback.
    pub fn slug(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "anthropic",
            ProviderKind::OpenAi => "open-ai",
            ProviderKind::OpenRouter => "open-router",
            ProviderKind::Ollama => "ollama",
            ProviderKind::OpenAiCompatible => "open-ai-compatible",
        }
    }

    /// Looks a provider up by its id.
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.slug() == s)
    }

    /// The base URL used when the learner sets none.
    pub fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "https://api.anthropic.com",
            ProviderKind::OpenAi => "https://api.openai.com/v1",
            ProviderKind::OpenRouter => "https://openrouter.ai/api/v1",
            ProviderKind::Ollama => "http://localhost:11434",
            ProviderKind::OpenAiCompatible => "http://localhost:1234/v1",
        }
    }

    /// The model used when the learner sets none.
    pub fn default_model(self) -> &'static str {
        match self {
            ProviderKind::Anthropic => "claude-sonnet-5",
            ProviderKind::OpenAi => "gpt-5-mini",
            ProviderKind::OpenRouter => "anthropic/claude-sonnet-5",
            ProviderKind::Ollama => "qwen3:8b",
            ProviderKind::OpenAiCompatible => "local-model",
        }
    }

    /// Models to suggest (free text stays allowed).
    pub fn suggested_models(self) -> &'static [&'static str] {
        match self {
            ProviderKind::Anthropic => &["claude-sonnet-5", "claude-haiku-4-5", "claude-opus-5-5"],
            ProviderKind::OpenAi => &["gpt-5-mini", "gpt-5.4-mini", "gpt-5.4"],
            ProviderKind::OpenRouter => &[
                "anthropic/claude-sonnet-5",
                "openai/gpt-5-mini",
                "google/gemini-2.5-pro",
            ],
            ProviderKind::Ollama => &["qwen3:8b", "llama3.1:8b", "gemma3:12b"],
            ProviderKind::OpenAiCompatible => &[],
        }
    }

    /// Whether a key is required.
    pub fn needs_key(self) -> bool {
        matches!(
            self,
            ProviderKind::Anthropic | ProviderKind::OpenAi | ProviderKind::OpenRouter
        )
    }

    /// Whether the provider runs on the learner's own machine or network.
    pub fn is_local(self) -> bool {
        matches!(self, ProviderKind::Ollama | ProviderKind::OpenAiCompatible)
    }
}

/// The evaluator settings a grading uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Which provider.
    pub provider: ProviderKind,
    /// Which model.
    pub model: String,
    /// The API's base URL.
    pub base_url: String,
    /// The API key (empty for local servers that need none). Never serialized into exports.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
}

impl Settings {
    /// A provider's defaults, without a key.
    pub fn defaults(provider: ProviderKind) -> Settings {
        Settings {
            provider,
            model: provider.default_model().into(),
            base_url: provider.default_base_url().into(),
            key: String::new(),
        }
    }

    /// The base URL without a trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim().trim_end_matches('/')
    }

    /// The URL grading requests are sent to.
    pub fn endpoint(&self) -> String {
        match self.provider {
            ProviderKind::Anthropic => format!("{}/v1/messages", self.base()),
            ProviderKind::Ollama => format!("{}/api/chat", self.base()),
            _ => format!("{}/chat/completions", self.base()),
        }
    }

    /// A cheap request that proves the address, key and CORS work ("Test connection").
    pub fn probe_url(&self) -> String {
        match self.provider {
            ProviderKind::Anthropic => format!("{}/v1/models?limit=1", self.base()),
            ProviderKind::OpenRouter => format!("{}/key", self.base()),
            ProviderKind::Ollama => format!("{}/api/tags", self.base()),
            _ => format!("{}/models", self.base()),
        }
    }

    /// The origin (`scheme://host:port`) requests go to: the only place the key is sent.
    pub fn origin(&self) -> Option<String> {
        origin_of(self.base())
    }

    /// Headers every request to the provider carries.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut h = vec![("content-type", "application/json".to_string())];
        match self.provider {
            ProviderKind::Anthropic => {
                h.push(("x-api-key", self.key.trim().to_string()));
                h.push(("anthropic-version", "2023-06-01".to_string()));
                // Anthropic refuses browser requests unless the caller says it knows the key is
                // exposed to the page; here the key is the learner's own, typed by them.
                h.push((
                    "anthropic-dangerous-direct-browser-access",
                    "true".to_string(),
                ));
            }
            _ if !self.key.trim().is_empty() => {
                h.push(("authorization", format!("Bearer {}", self.key.trim())))
            }
            _ => {}
        }
        h
    }

    /// Whether the evaluator is ready, not set up yet, or set up wrongly. Not set up is not an
    /// error: nothing has gone wrong until the learner has entered something that cannot work.
    pub fn readiness(&self, page_is_https: bool) -> Readiness {
        match self.check(page_is_https) {
            Ok(()) => Readiness::Ready,
            Err(m)
                if self.model.trim().is_empty()
                    || (self.provider.needs_key() && self.key.trim().is_empty()) =>
            {
                Readiness::NotSetUp(m)
            }
            Err(m) => Readiness::Wrong(m),
        }
    }

    /// Checks the settings before anything is sent; the message says what to fix.
    pub fn check(&self, page_is_https: bool) -> Result<(), String> {
        if self.model.trim().is_empty() {
            return Err("Choose a model in Settings.".into());
        }
        if self.provider.needs_key() && self.key.trim().is_empty() {
            return Err(format!(
                "Enter your {} API key in Settings.",
                self.provider.name()
            ));
        }
        let base = self.base();
        let Some(origin) = origin_of(base) else {
            return Err(format!("The base URL \u{201c}{base}\u{201d} is not a web address. Use one starting with https:// or http://."));
        };
        if page_is_https && !callable_from_https(&origin) {
            return Err(format!(
                "This page is served over HTTPS, so the browser blocks requests to {origin} (plain HTTP). Serve the model over HTTPS, or run this site locally with ./site serve."
            ));
        }
        Ok(())
    }
}

/// Where the evaluator's set-up stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    /// Everything needed is there.
    Ready,
    /// Something is still to be entered (a key, a model): what.
    NotSetUp(String),
    /// Something entered cannot work (an address that is not one, plain HTTP from HTTPS): why.
    Wrong(String),
}

/// `scheme://host[:port]` of an absolute http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    (!host.is_empty() && !host.contains('@')).then(|| format!("{scheme}://{host}"))
}

/// Whether a page served over HTTPS may call this origin: browsers block plain HTTP (mixed
/// content) except to this machine.
pub fn callable_from_https(origin: &str) -> bool {
    origin.starts_with("https://") || is_loopback(origin)
}

/// Whether an origin is this machine (`localhost`, `127.0.0.1`, `[::1]`), which browsers treat as
/// secure even over plain HTTP.
pub fn is_loopback(origin: &str) -> bool {
    let host = origin.split("://").nth(1).unwrap_or("");
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| &h[1..]).unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    host == "localhost" || host.ends_with(".localhost") || host == "::1" || host.starts_with("127.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_and_origins() {
        let mut s = Settings::defaults(ProviderKind::Anthropic);
        assert_eq!(s.endpoint(), "https://api.anthropic.com/v1/messages");
        assert_eq!(s.origin().as_deref(), Some("https://api.anthropic.com"));
        s.base_url = "https://gateway.acme.example/anthropic/".into();
        assert_eq!(
            s.endpoint(),
            "https://gateway.acme.example/anthropic/v1/messages"
        );
        assert_eq!(
            Settings::defaults(ProviderKind::OpenRouter).endpoint(),
            "https://openrouter.ai/api/v1/chat/completions"
        );
        assert_eq!(
            Settings::defaults(ProviderKind::Ollama).endpoint(),
            "http://localhost:11434/api/chat"
        );
        assert_eq!(
            Settings::defaults(ProviderKind::OpenAiCompatible).probe_url(),
            "http://localhost:1234/v1/models"
        );
        assert_eq!(
            origin_of("HTTP://LocalHost:8080/x"),
            Some("http://localhost:8080".into())
        );
        assert_eq!(origin_of("ftp://x"), None);
        assert_eq!(origin_of("https://user@evil.example"), None);
    }

    #[test]
    fn anthropic_gets_its_browser_header_and_others_a_bearer_token() {
        let mut a = Settings::defaults(ProviderKind::Anthropic);
        a.key = " sk-ant-1 ".into();
        let h = a.headers();
        assert!(h.contains(&("x-api-key", "sk-ant-1".into())));
        assert!(h.contains(&("anthropic-dangerous-direct-browser-access", "true".into())));
        assert!(!h.iter().any(|(k, _)| *k == "authorization"));
        let mut o = Settings::defaults(ProviderKind::OpenRouter);
        o.key = "sk-or".into();
        assert!(o
            .headers()
            .contains(&("authorization", "Bearer sk-or".into())));
        assert!(!Settings::defaults(ProviderKind::Ollama)
            .headers()
            .iter()
            .any(|(k, _)| *k == "authorization"));
    }

    #[test]
    fn settings_are_checked_before_sending() {
        let a = Settings::defaults(ProviderKind::Anthropic);
        assert_eq!(
            a.check(true).unwrap_err(),
            "Enter your Anthropic API key in Settings."
        );
        assert!(
            Settings::defaults(ProviderKind::Ollama).check(true).is_ok(),
            "loopback over http is allowed from https pages"
        );
        let mut lan = Settings::defaults(ProviderKind::OpenAiCompatible);
        lan.base_url = "http://192.168.1.20:1234/v1".into();
        assert!(lan
            .check(true)
            .unwrap_err()
            .contains("blocks requests to http://192.168.1.20:1234"));
        assert!(lan.check(false).is_ok());
        assert!(
            is_loopback("http://[::1]:11434")
                && is_loopback("http://127.0.0.1")
                && !is_loopback("http://10.0.0.1")
        );
    }

    #[test]
    fn a_first_visit_is_not_set_up_yet_which_is_not_an_error() {
        let a = Settings::defaults(ProviderKind::Anthropic);
        assert_eq!(
            a.readiness(true),
            Readiness::NotSetUp("Enter your Anthropic API key in Settings.".into())
        );
        let mut lan = Settings::defaults(ProviderKind::OpenAiCompatible);
        lan.base_url = "http://192.168.1.20:1234/v1".into();
        assert!(matches!(lan.readiness(true), Readiness::Wrong(m) if m.contains("plain HTTP")));
        let mut bad = Settings::defaults(ProviderKind::Ollama);
        bad.base_url = "localhost:11434".into();
        assert!(matches!(bad.readiness(false), Readiness::Wrong(_)));
        assert_eq!(
            Settings::defaults(ProviderKind::Ollama).readiness(true),
            Readiness::Ready
        );
    }
}
