//! The HTTP request body each provider expects, from a prompt. Grading asks for constrained output
//! where the provider offers it: Anthropic by forced tool use, OpenAI, OpenRouter and
//! OpenAI-compatible servers by `response_format` `json_schema` (OpenRouter told to route only to
//! providers that honour it), Ollama by `format`. Follow-up questions are plain text.

use super::prompt::{Prompt, RESULT_NAME};
use super::provider::{ProviderKind, Settings};
use serde_json::{json, Value};

/// The structured result a request asks for: the tool (Anthropic) or schema (OpenAI-style) name,
/// what the tool is for, and the JSON Schema.
#[derive(Debug, Clone, Copy)]
pub struct Output<'a> {
    /// The tool's or schema's name.
    pub name: &'a str,
    /// What the tool records (Anthropic shows it to the model).
    pub description: &'a str,
    /// The result's JSON Schema.
    pub schema: &'a Value,
}

/// What a grading returns, for a prompt.
fn grading_output(prompt: &Prompt) -> Output<'_> {
    Output {
        name: RESULT_NAME,
        description: "Record the grading of the learner's answer against the rubric.",
        schema: &prompt.schema,
    }
}

/// Who said a turn of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The learner (through our prompt).
    User,
    /// The model.
    Assistant,
}

/// The longest reply a grading may produce.
pub const MAX_TOKENS: u32 = 4096;

/// The body of a grading request.
pub fn grading(settings: &Settings, prompt: &Prompt, stream: bool) -> Value {
    conversation(
        settings,
        &prompt.system,
        &[(Role::User, prompt.user.clone())],
        Some(grading_output(prompt)),
        stream,
    )
}

/// The body of a follow-up: the grading conversation so far, then the new (fenced) question.
pub fn follow_up(
    settings: &Settings,
    prompt: &Prompt,
    grading_reply: &str,
    earlier: &[(String, String)],
    question: &str,
    stream: bool,
) -> Value {
    let mut turns = vec![
        (Role::User, prompt.user.clone()),
        (
            Role::Assistant,
            format!("My grading, as JSON:\n{grading_reply}"),
        ),
    ];
    for (q, a) in earlier {
        turns.push((Role::User, q.clone()));
        turns.push((Role::Assistant, a.clone()));
    }
    turns.push((Role::User, question.to_string()));
    conversation(settings, &prompt.system, &turns, None, stream)
}

/// Characters of an unusable reply quoted back in the repair request.
const REPAIR_QUOTE_CHARS: usize = 4_000;

/// The message that asks once more after an unusable reply.
pub fn repair_message(reason: &str) -> String {
    format!("Your previous reply could not be read: {reason}. Reply again with only the grading result, in exactly the structure requested, grading every criterion by its id.")
}

/// The body of the one retry after an unusable reply: the grading, the bad reply, and a request
/// to answer again in the structure asked for.
pub fn repair(
    settings: &Settings,
    prompt: &Prompt,
    bad_reply: &str,
    reason: &str,
    stream: bool,
) -> Value {
    retry(
        settings,
        &prompt.system,
        &prompt.user,
        bad_reply,
        &repair_message(reason),
        grading_output(prompt),
        stream,
    )
}

/// The body of a retry after an unusable reply to any structured request: the request, a
/// bounded quote of the bad reply, and `message` asking again for `output`.
pub fn retry(
    settings: &Settings,
    system: &str,
    user: &str,
    bad_reply: &str,
    message: &str,
    output: Output<'_>,
    stream: bool,
) -> Value {
    // Enough of the bad reply for the model to see what went wrong, never megabytes of it.
    let bad = match bad_reply.char_indices().nth(REPAIR_QUOTE_CHARS) {
        _ if bad_reply.trim().is_empty() => "(empty)".to_string(),
        Some((i, _)) => format!(
            "{}\n[… the rest of this reply is not repeated]",
            &bad_reply[..i]
        ),
        None => bad_reply.to_string(),
    };
    let turns = [
        (Role::User, user.to_string()),
        (Role::Assistant, bad),
        (Role::User, message.to_string()),
    ];
    conversation(settings, system, &turns, Some(output), stream)
}

/// The body of a request: `system`, then `turns`, asking for `output` as a structured result
/// (by each provider's own means) when given, else for text.
pub fn conversation(
    settings: &Settings,
    system: &str,
    turns: &[(Role, String)],
    output: Option<Output<'_>>,
    stream: bool,
) -> Value {
    let role = |r: Role| if r == Role::User { "user" } else { "assistant" };
    let model = settings.model.trim();
    match settings.provider {
        ProviderKind::Anthropic => {
            let mut b = json!({
                "model": model,
                "max_tokens": MAX_TOKENS,
                // The stable part is cached: every learner on a scenario shares it.
                "system": [{ "type": "text", "text": system, "cache_control": { "type": "ephemeral" } }],
                "messages": turns.iter().map(|(r, t)| json!({ "role": role(*r), "content": t })).collect::<Vec<_>>(),
                "stream": stream,
            });
            if let Some(o) = output {
                b["tools"] = json!([{ "name": o.name, "description": o.description, "input_schema": o.schema }]);
                b["tool_choice"] = json!({ "type": "tool", "name": o.name });
            }
            b
        }
        ProviderKind::Ollama => {
            let mut messages = vec![json!({ "role": "system", "content": system })];
            messages.extend(
                turns
                    .iter()
                    .map(|(r, t)| json!({ "role": role(*r), "content": t })),
            );
            let mut b = json!({ "model": model, "messages": messages, "stream": stream, "options": { "temperature": 0 } });
            if let Some(o) = output {
                b["format"] = o.schema.clone();
            }
            b
        }
        ProviderKind::OpenAi | ProviderKind::OpenRouter | ProviderKind::OpenAiCompatible => {
            let mut messages = vec![json!({ "role": "system", "content": system })];
            messages.extend(
                turns
                    .iter()
                    .map(|(r, t)| json!({ "role": role(*r), "content": t })),
            );
            let mut b = json!({ "model": model, "messages": messages, "stream": stream });
            if stream {
                b["stream_options"] = json!({ "include_usage": true });
            }
            if let Some(o) = output {
                b["response_format"] = json!({ "type": "json_schema", "json_schema": { "name": o.name, "strict": true, "schema": o.schema } });
            }
            if settings.provider == ProviderKind::OpenRouter {
                // Only route to providers that honour the response format, and report the cost.
                b["provider"] = json!({ "require_parameters": true });
                b["usage"] = json!({ "include": true });
            }
            b
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::prompt::build;
    use crate::grading::prompt::tests::{answer, fixture};

    fn prompt() -> Prompt {
        let (body, rubric) = fixture();
        build(
            "Edge CPU",
            &body,
            &rubric,
            &answer("It is the WAF rule."),
            "tok-000000000001",
        )
        .unwrap()
    }

    fn settings(p: ProviderKind) -> Settings {
        Settings {
            key: "k".into(),
            ..Settings::defaults(p)
        }
    }

    // Snapshots of every provider's request: a change here changes what goes over the wire.
    #[test]
    fn anthropic_forces_the_grading_tool_and_caches_the_stable_part() {
        let b = grading(&settings(ProviderKind::Anthropic), &prompt(), true);
        assert_eq!(b["model"], "claude-sonnet-5");
        assert_eq!(b["max_tokens"], 4096);
        assert_eq!(b["stream"], true);
        assert_eq!(
            b["system"][0]["cache_control"],
            json!({ "type": "ephemeral" })
        );
        assert!(b["system"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("You are a senior engineer"));
        assert_eq!(b["messages"].as_array().unwrap().len(), 1);
        assert_eq!(
            b["tool_choice"],
            json!({ "type": "tool", "name": "record_grade" })
        );
        assert_eq!(
            b["tools"][0]["input_schema"]["required"],
            json!([
                "criteria",
                "uncertainties",
                "missed_failure_mode",
                "focus_next",
                "overall"
            ])
        );
        assert!(b.get("response_format").is_none());
    }

    #[test]
    fn openai_and_openrouter_ask_for_a_strict_json_schema() {
        let o = grading(&settings(ProviderKind::OpenAi), &prompt(), true);
        assert_eq!(o["messages"][0]["role"], "system");
        assert_eq!(o["messages"][1]["role"], "user");
        assert_eq!(o["response_format"]["type"], "json_schema");
        assert_eq!(o["response_format"]["json_schema"]["strict"], true);
        assert_eq!(o["stream_options"], json!({ "include_usage": true }));
        assert!(o.get("provider").is_none());
        let r = grading(&settings(ProviderKind::OpenRouter), &prompt(), false);
        assert_eq!(r["provider"], json!({ "require_parameters": true }));
        assert_eq!(r["usage"], json!({ "include": true }));
        assert!(r.get("stream_options").is_none());
        assert_eq!(r["model"], "anthropic/claude-sonnet-5");
    }

    #[test]
    fn ollama_uses_format() {
        let b = grading(&settings(ProviderKind::Ollama), &prompt(), true);
        assert_eq!(b["format"]["type"], "object");
        assert_eq!(b["options"]["temperature"], 0);
        assert!(b.get("response_format").is_none());
    }

    #[test]
    fn follow_ups_replay_the_conversation_without_a_schema() {
        let p = prompt();
        let earlier = vec![("q1".to_string(), "a1".to_string())];
        let b = follow_up(
            &settings(ProviderKind::Anthropic),
            &p,
            "{\"criteria\":[]}",
            &earlier,
            "q2",
            true,
        );
        let roles: Vec<&str> = b["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["role"].as_str().unwrap())
            .collect();
        assert_eq!(roles, ["user", "assistant", "user", "assistant", "user"]);
        assert!(b.get("tools").is_none());
        assert_eq!(
            b["system"],
            grading(&settings(ProviderKind::Anthropic), &p, true)["system"],
            "same cached prefix"
        );
    }
}
