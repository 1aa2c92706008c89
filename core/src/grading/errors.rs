//! What went wrong with a grading request, in words a learner can act on. Every failure says what
//! happened and what to do next; none of them touches the attempt, which is already saved.

use super::provider::{is_loopback, ProviderKind, Settings};
use serde_json::Value;

/// The kinds of failure the learner must be able to tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: the key was refused.
    Unauthorized,
    /// 403: the key may not do this.
    Forbidden,
    /// 403 from Anthropic: the organization does not allow calls from browsers.
    BrowserAccessDisabled,
    /// 404: usually a model name the provider does not have.
    NotFound,
    /// Another 4xx: the provider rejected the request.
    BadRequest,
    /// 429: too many requests.
    RateLimited,
    /// 529 (Anthropic) or 503: the provider is overloaded.
    Overloaded,
    /// Another 5xx.
    Server,
    /// The request never got an answer the page could read: offline, wrong address, server down,
    /// or blocked by CORS (browsers do not say which).
    Network,
    /// No answer in time.
    Timeout,
    /// The learner cancelled.
    Cancelled,
    /// The reply could not be read as a grading, even after asking again.
    Malformed,
    /// The reply went on past the size any grading needs; reading stopped there.
    TooLarge,
    /// The browser is offline: nothing was sent.
    Offline,
}

/// A failed request, as reported by the provider or the browser.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The HTTP status, if there was one.
    pub status: Option<u16>,
    /// The provider's own message, if any.
    pub message: String,
    /// Seconds to wait before retrying, from `retry-after`.
    pub retry_after: Option<u64>,
}

impl ProviderError {
    /// A failure with no HTTP response.
    pub fn new(kind: ErrorKind) -> Self {
        ProviderError {
            kind,
            status: None,
            message: String::new(),
            retry_after: None,
        }
    }

    /// Classifies an HTTP error response from its status, `retry-after` header and body.
    pub fn from_response(
        provider: ProviderKind,
        status: u16,
        retry_after: Option<&str>,
        body: &str,
    ) -> Self {
        let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let mut e = Self::from_body(provider, Some(status), &value);
        if e.message.is_empty() {
            e.message = body
                .chars()
                .take(300)
                .collect::<String>()
                .trim()
                .to_string();
        }
        e.retry_after = retry_after
            .and_then(|r| r.trim().parse::<f64>().ok())
            .map(|s| s.ceil().max(0.0) as u64);
        e
    }

    /// Classifies an error object (HTTP body, or an error event in a stream).
    pub fn from_body(provider: ProviderKind, status: Option<u16>, v: &Value) -> Self {
        let message = v
            .pointer("/error/message")
            .and_then(Value::as_str)
            .or_else(|| v.get("error").and_then(Value::as_str))
            .or_else(|| v.get("message").and_then(Value::as_str))
            .unwrap_or_default()
            .to_string();
        let error_type = v
            .pointer("/error/type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let status = status.or_else(|| {
            v.pointer("/error/code")
                .and_then(Value::as_u64)
                .and_then(|c| u16::try_from(c).ok())
        });
        let kind = match (error_type, status) {
            ("overloaded_error", _) | (_, Some(529)) | (_, Some(503)) => ErrorKind::Overloaded,
            ("rate_limit_error", _) | (_, Some(429)) => ErrorKind::RateLimited,
            ("authentication_error", _) | (_, Some(401)) => ErrorKind::Unauthorized,
            ("permission_error", _) | (_, Some(403)) => {
                let m = message.to_ascii_lowercase();
                if provider == ProviderKind::Anthropic
                    && (m.contains("cors") || m.contains("browser"))
                {
                    ErrorKind::BrowserAccessDisabled
                } else {
                    ErrorKind::Forbidden
                }
            }
            ("not_found_error", _) | (_, Some(404)) => ErrorKind::NotFound,
            ("api_error", _) | (_, Some(500..=599)) => ErrorKind::Server,
            (_, Some(400..=499)) | ("invalid_request_error", _) => ErrorKind::BadRequest,
            _ => ErrorKind::Server,
        };
        ProviderError {
            kind,
            status,
            message,
            retry_after: None,
        }
    }

    /// What happened and what to do next, after a failed grading: the diagnosis, and the
    /// reassurance that the attempt is untouched.
    pub fn explain(&self, settings: &Settings, site_origin: &str) -> (String, String) {
        let (what, next) = self.diagnose(settings, site_origin);
        let next = if next.is_empty() {
            SAVED.to_string()
        } else {
            format!("{next} {SAVED}")
        };
        (what, next)
    }

    /// What happened and what to do next, in any context (a connection test, the calibration
    /// command). The key never appears in either, even when a server echoes it back.
    pub fn diagnose(&self, settings: &Settings, site_origin: &str) -> (String, String) {
        let (what, next) = self.diagnose_raw(settings, site_origin);
        (redact(&what, &settings.key), redact(&next, &settings.key))
    }

    fn diagnose_raw(&self, settings: &Settings, site_origin: &str) -> (String, String) {
        let p = settings.provider.name();
        let status = self.status.map(|s| format!(" ({s})")).unwrap_or_default();
        let said = if self.message.is_empty() {
            String::new()
        } else {
            format!(" It said: \u{201c}{}\u{201d}", self.message)
        };
        match self.kind {
            ErrorKind::Unauthorized => (
                format!("{p} refused the API key{status}.{said}"),
                if settings.provider.is_local() {
                    "Check the key in Settings: it must be the one the server expects (for a company gateway, the token it issued you).".to_string()
                } else {
                    format!("Check the key in Settings: copy it again from your {p} account (keys are easy to truncate), and make sure it is for {p}.")
                },
            ),
            ErrorKind::BrowserAccessDisabled => (
                format!("Your Anthropic organization does not allow API calls from a browser{status}.{said}"),
                "An admin of the organization can allow browser access in the Anthropic Console. Until then, use OpenRouter or a model on your machine.".to_string(),
            ),
            ErrorKind::Forbidden => (
                format!("{p} does not allow this key to make this request{status}.{said}"),
                format!("Check that the key's account has access to the model \u{201c}{}\u{201d} and has credit left.", settings.model),
            ),
            ErrorKind::NotFound => (
                format!("{p} does not know the model \u{201c}{}\u{201d}{status}.{said}", settings.model),
                "Check the model name in Settings (for a local server, the name of a model you have pulled or loaded).".to_string(),
            ),
            ErrorKind::BadRequest => (
                format!("{p} rejected the request{status}.{said}"),
                "Check the model name in Settings. Some models cannot return structured output; choose one that can.".to_string(),
            ),
            ErrorKind::RateLimited => (
                format!("{p} is rate-limiting this key{status}."),
                match self.retry_after {
                    Some(s) => format!("Try again in {s} seconds."),
                    None => "Wait a minute and try again.".to_string(),
                },
            ),
            ErrorKind::Overloaded => (format!("{p} is overloaded right now{status}."), "Try again in a minute, or choose another model in Settings.".to_string()),
            ErrorKind::Server => (
                format!("{p} had a server error{status}.{said}"),
                if settings.provider.is_local() {
                    "Try again; if it keeps failing, look at the server's own log (it may have run out of memory loading the model).".to_string()
                } else {
                    format!("Try again; if it keeps failing, check {p}'s status page or choose another provider.")
                },
            ),
            ErrorKind::Timeout => ("No reply came in time.".into(), "The model may be slow or stuck. Try again, or choose a faster model in Settings.".to_string()),
            ErrorKind::Cancelled => ("You cancelled the request.".into(), String::new()),
            ErrorKind::Malformed => (
                format!("{p}'s reply could not be read as a grading, even after asking again: {}.", self.message),
                "Try again; if it keeps happening, choose a model that supports structured output (for a local server, a recent instruction-tuned model).".to_string(),
            ),
            ErrorKind::TooLarge => (
                format!("{p}'s reply went on past the {} a grading can take, so the page stopped reading it.", self.message),
                "Whatever verdicts arrived before that are kept. Try again; if it happens again, choose another model in Settings (this one is not producing a grading).".to_string(),
            ),
            ErrorKind::Offline => (
                "You are offline, so the evaluator cannot be reached.".to_string(),
                "Everything else works offline: review yourself against the rubric now, and get feedback once you are back online.".to_string(),
            ),
            ErrorKind::Network => network_help(settings, site_origin),
        }
    }
}

/// Every failed grading ends with this: the attempt was saved before the request went out.
const SAVED: &str = "Your attempt is saved; nothing was lost.";

/// Replaces the key, and any long piece of it a server quoted, with a placeholder.
pub fn redact(text: &str, key: &str) -> String {
    let key = key.trim();
    if key.len() < 6 {
        return text.to_string();
    }
    let text = text.replace(key, "[your key]");
    // Servers often quote a key partly masked (`sk-abc…xyz`, `sk-abc***`): hide every word that
    // shares eight or more characters with it.
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let core = word
                .trim_end()
                .trim_matches(|c: char| "\"'“”‘’`.,;:()[]<>".contains(c));
            let shares = core.len() >= 8
                && (0..=core.len() - 8).any(|i| {
                    core.is_char_boundary(i)
                        && core.is_char_boundary(i + 8)
                        && key.contains(&core[i..i + 8])
                });
            if shares {
                word.replacen(core, "[your key]", 1)
            } else {
                word.to_string()
            }
        })
        .collect()
}

/// What a model server on the learner's machine needs before a web page may call it (CORS), or
/// `None` for a hosted provider. Shown on the settings page and after a failed request.
pub fn local_setup(settings: &Settings, site_origin: &str) -> Option<String> {
    match settings.provider {
        ProviderKind::Ollama => Some(format!(
            "Ollama only answers web pages it is told to trust: quit Ollama, set OLLAMA_ORIGINS={site_origin} (for example `OLLAMA_ORIGINS={site_origin} ollama serve`, or `launchctl setenv OLLAMA_ORIGINS \"{site_origin}\"` on macOS, or the service's Environment= line on Linux), and start it again."
        )),
        ProviderKind::OpenAiCompatible => Some(format!(
            "The server must allow requests from {site_origin} (CORS): in LM Studio, turn on \u{201c}Enable CORS\u{201d} in the server settings (or run `lms server start --cors`); for llama.cpp, start `llama-server --cors-origins {site_origin}` (builds before July 2026 allow every origin already)."
        )),
        _ => None,
    }
}

/// The browser reports offline, refused, wrong address and CORS the same way: say all that applies.
fn network_help(settings: &Settings, site_origin: &str) -> (String, String) {
    let base = settings.base();
    let origin = settings.origin().unwrap_or_else(|| base.to_string());
    if !settings.provider.is_local() {
        return (
            format!("The request to {origin} did not get through."),
            "Check your internet connection and the base URL in Settings, then try again.".into(),
        );
    }
    let fix = local_setup(settings, site_origin).unwrap_or_default();
    let local = if is_loopback(&origin) {
        " If your browser asks whether this site may access devices on your local network, allow it (Chrome asks since version 142). Safari blocks http://localhost from HTTPS pages: use another browser, or run this site locally with ./site serve."
    } else {
        ""
    };
    (
        format!("Could not reach the model server at {base}."),
        format!(
            "Check that it is running and that the base URL in Settings is right. {fix}{local}"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_appears_in_an_explanation() {
        let mut settings = Settings::defaults(ProviderKind::OpenAiCompatible);
        settings.key = "sk-live-0123456789abcdef".into();
        let e = ProviderError::from_response(
            ProviderKind::OpenAiCompatible,
            400,
            None,
            r#"{"error":{"message":"Invalid proxy token. Received API Key = sk-live-0123456789abcdef, prefix sk-live-0123***"}}"#,
        );
        let (what, next) = e.explain(&settings, "http://localhost:8080");
        assert!(
            !what.contains("0123456789abcdef") && !what.contains("sk-live-0123"),
            "{what}"
        );
        assert!(what.contains("[your key]"), "{what}");
        assert!(!next.contains("sk-live"));
        assert_eq!(
            redact("nothing to hide here", "sk-live-0123456789abcdef"),
            "nothing to hide here"
        );
    }

    fn settings(p: ProviderKind) -> Settings {
        Settings::defaults(p)
    }

    #[test]
    fn statuses_and_bodies_are_classified() {
        let cases = [
            (
                ProviderKind::Anthropic,
                401,
                r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#,
                ErrorKind::Unauthorized,
            ),
            (
                ProviderKind::Anthropic,
                403,
                r#"{"type":"error","error":{"type":"permission_error","message":"CORS requests are not allowed for this Organization because of the CORS setting."}}"#,
                ErrorKind::BrowserAccessDisabled,
            ),
            (
                ProviderKind::OpenAi,
                403,
                r#"{"error":{"message":"Project does not have access to model","type":"invalid_request_error","code":null}}"#,
                ErrorKind::Forbidden,
            ),
            (
                ProviderKind::Anthropic,
                429,
                r#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#,
                ErrorKind::RateLimited,
            ),
            (
                ProviderKind::Anthropic,
                529,
                r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
                ErrorKind::Overloaded,
            ),
            (
                ProviderKind::OpenAi,
                404,
                r#"{"error":{"message":"The model `gpt-x` does not exist","type":"invalid_request_error","code":"model_not_found"}}"#,
                ErrorKind::NotFound,
            ),
            (
                ProviderKind::OpenRouter,
                400,
                r#"{"error":{"code":400,"message":"No endpoints found that support the requested parameters"}}"#,
                ErrorKind::BadRequest,
            ),
            (
                ProviderKind::Ollama,
                404,
                r#"{"error":"model 'qwen9' not found"}"#,
                ErrorKind::NotFound,
            ),
            (
                ProviderKind::OpenAi,
                502,
                "<html>Bad gateway</html>",
                ErrorKind::Server,
            ),
        ];
        for (p, status, body, kind) in cases {
            assert_eq!(
                ProviderError::from_response(p, status, None, body).kind,
                kind,
                "{body}"
            );
        }
        let e = ProviderError::from_response(
            ProviderKind::Ollama,
            404,
            None,
            r#"{"error":"model 'qwen9' not found"}"#,
        );
        assert_eq!(e.message, "model 'qwen9' not found");
        assert_eq!(
            ProviderError::from_response(ProviderKind::Anthropic, 429, Some("7"), "{}").retry_after,
            Some(7)
        );
    }

    #[test]
    fn every_explanation_has_a_next_step_and_keeps_the_attempt() {
        let mut e = ProviderError::from_response(ProviderKind::Anthropic, 429, Some("12"), "{}");
        let (what, next) = e.explain(&settings(ProviderKind::Anthropic), "https://me.github.io");
        assert_eq!(what, "Anthropic is rate-limiting this key (429).");
        assert!(
            next.starts_with("Try again in 12 seconds.") && next.ends_with("nothing was lost.")
        );
        e.kind = ErrorKind::Network;
        let (_, ollama) = e.explain(&settings(ProviderKind::Ollama), "https://me.github.io");
        assert!(
            ollama.contains("OLLAMA_ORIGINS=https://me.github.io"),
            "{ollama}"
        );
        assert!(ollama.contains("local network"));
        let (_, lms) = e.explain(
            &settings(ProviderKind::OpenAiCompatible),
            "https://me.github.io",
        );
        assert!(
            lms.contains("Enable CORS")
                && lms.contains("llama-server --cors-origins https://me.github.io")
        );
    }
}
