//! "Test connection": one cheap authenticated GET (`Settings::probe_url`) that proves the address,
//! the key and CORS all work, and, where the provider lists its models, whether the chosen model
//! is among them, so a typo shows up before the first grading.

use super::errors::ProviderError;
use super::provider::{ProviderKind, Settings};
use serde_json::Value;

/// What a successful probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The models the server offers, when it lists them.
    pub models: Vec<String>,
    /// What to tell the learner.
    pub message: String,
}

/// Reads the probe's response: `Err` with the usual explanation for an error status.
pub fn interpret(
    settings: &Settings,
    status: u16,
    retry_after: Option<&str>,
    body: &str,
) -> Result<Probe, ProviderError> {
    if !(200..300).contains(&status) {
        return Err(ProviderError::from_response(
            settings.provider,
            status,
            retry_after,
            body,
        ));
    }
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let p = settings.provider.name();
    let base = settings.base();
    let models: Vec<String> = match settings.provider {
        ProviderKind::Ollama => list(&value, "models", "name"),
        ProviderKind::OpenRouter => Vec::new(),
        _ => list(&value, "data", "id"),
    };
    let model = settings.model.trim();
    let connected = if settings.provider.needs_key() {
        format!("Connected: {p} at {base} accepted the key.")
    } else {
        format!("Connected to {p} at {base}.")
    };
    let message = if models.is_empty() {
        format!("{connected} Grading will use \u{201c}{model}\u{201d}.")
    } else if models
        .iter()
        .any(|m| m == model || strip_latest(m) == model)
    {
        format!("{connected} The model \u{201c}{model}\u{201d} is available.")
    } else {
        let hint = match settings.provider {
            ProviderKind::Ollama => {
                format!(" Pull it with `ollama pull {model}`, or choose one you have.")
            }
            ProviderKind::OpenAiCompatible => {
                " Load it in the server, or choose one it has loaded.".to_string()
            }
            _ => " Check its spelling, or choose one from the list.".to_string(),
        };
        let shown: Vec<&str> = models.iter().take(8).map(String::as_str).collect();
        let more = if models.len() > shown.len() {
            ", …"
        } else {
            ""
        };
        format!(
            "{connected} But it does not list the model \u{201c}{model}\u{201d}.{hint} Available: {}{more}.",
            shown.join(", ")
        )
    };
    Ok(Probe { models, message })
}

fn strip_latest(name: &str) -> &str {
    name.strip_suffix(":latest").unwrap_or(name)
}

fn list(value: &Value, array: &str, field: &str) -> Vec<String> {
    value
        .get(array)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|m| m.get(field).and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::errors::ErrorKind;

    #[test]
    fn a_listed_model_is_confirmed_and_a_missing_one_named_with_the_fix() {
        let mut s = Settings::defaults(ProviderKind::Ollama);
        let body =
            r#"{"models":[{"name":"qwen3:8b","model":"qwen3:8b"},{"name":"llama3.1:latest"}]}"#;
        let ok = interpret(&s, 200, None, body).unwrap();
        assert_eq!(ok.models, vec!["qwen3:8b", "llama3.1:latest"]);
        assert!(ok.message.contains("is available"), "{}", ok.message);
        s.model = "llama3.1".into();
        assert!(interpret(&s, 200, None, body)
            .unwrap()
            .message
            .contains("is available"));
        s.model = "gemma3:12b".into();
        let missing = interpret(&s, 200, None, body).unwrap().message;
        assert!(missing.contains("ollama pull gemma3:12b"), "{missing}");
        assert!(missing.contains("qwen3:8b"), "{missing}");
    }

    #[test]
    fn openrouter_proves_the_key_without_a_model_list() {
        let s = Settings::defaults(ProviderKind::OpenRouter);
        let ok = interpret(
            &s,
            200,
            None,
            r#"{"data":{"label":"sk-or-v1-abc...","usage":0}}"#,
        )
        .unwrap();
        assert!(ok.message.contains("accepted the key"), "{}", ok.message);
    }

    #[test]
    fn an_error_status_is_explained_like_a_grading_error() {
        let s = Settings::defaults(ProviderKind::Anthropic);
        let e = interpret(&s, 401, None, r#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unauthorized);
    }
}
