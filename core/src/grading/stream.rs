//! Reading each provider's streamed reply: Anthropic's typed SSE events (with `ping` keep-alives
//! and mid-stream `error` events), OpenAI-style `chat.completion.chunk` events ending in `[DONE]`
//! (OpenRouter adds comment lines while it waits), and Ollama's newline-delimited JSON.

use super::errors::ProviderError;
use super::provider::ProviderKind;
use super::sse::{SseEvent, SseParser};
use super::usage::Usage;
use serde_json::Value;

/// Something the stream told us.
#[derive(Debug, Clone, PartialEq)]
pub enum Delta {
    /// More of the reply's text (for a grading without tools, a piece of its JSON).
    Text(String),
    /// More of the input of the tool the model was made to call: the result, and nothing else.
    ToolInput(String),
    /// Token counts so far.
    Usage(Usage),
    /// The provider reported an error in the middle of the stream.
    Error(ProviderError),
    /// The provider is still working (a keep-alive).
    Alive,
    /// The reply is complete.
    Done,
}

/// Decodes one provider's stream, chunk by chunk.
#[derive(Debug, Clone)]
pub struct Decoder {
    provider: ProviderKind,
    sse: SseParser,
    lines: String,
}

impl Decoder {
    /// A decoder for a provider's stream.
    pub fn new(provider: ProviderKind) -> Self {
        Decoder {
            provider,
            sse: SseParser::new(),
            lines: String::new(),
        }
    }

    /// Feeds a chunk of the response body.
    pub fn feed(&mut self, chunk: &str) -> Vec<Delta> {
        if self.provider == ProviderKind::Ollama {
            // Only the new bytes are searched, and the buffer is shifted once per chunk: a chunk
            // of many lines, or one very long line over many chunks, costs time linear in size.
            let searched = self.lines.len();
            self.lines.push_str(chunk);
            let mut out = Vec::new();
            let mut start = 0;
            let mut from = searched;
            while let Some(end) = self.lines[from..].find('\n').map(|e| from + e) {
                out.extend(ollama_line(self.lines[start..end].trim()));
                start = end + 1;
                from = start;
            }
            self.lines.drain(..start);
            return out;
        }
        let events = self.sse.feed(chunk);
        events.into_iter().flat_map(|e| self.event(e)).collect()
    }

    /// Ends the stream.
    pub fn finish(&mut self) -> Vec<Delta> {
        if self.provider == ProviderKind::Ollama {
            let rest = std::mem::take(&mut self.lines);
            return ollama_line(rest.trim());
        }
        let events = self.sse.finish();
        events.into_iter().flat_map(|e| self.event(e)).collect()
    }

    fn event(&self, e: SseEvent) -> Vec<Delta> {
        match e {
            SseEvent::Comment(_) => vec![Delta::Alive],
            SseEvent::Message { event, data } => match self.provider {
                ProviderKind::Anthropic => anthropic(event.as_deref(), &data),
                _ => openai(&data),
            },
        }
    }
}

fn parse(data: &str) -> Option<Value> {
    serde_json::from_str(data).ok()
}

fn anthropic(event: Option<&str>, data: &str) -> Vec<Delta> {
    let Some(v) = parse(data) else { return vec![] };
    let kind = event
        .or_else(|| v.get("type").and_then(Value::as_str))
        .unwrap_or_default();
    let n = |u: &Value, k: &str| u.get(k).and_then(Value::as_u64).unwrap_or(0);
    let usage = |u: &Value| Usage {
        input_tokens: n(u, "input_tokens"),
        output_tokens: n(u, "output_tokens"),
        cache_read_tokens: n(u, "cache_read_input_tokens"),
        cache_write_tokens: n(u, "cache_creation_input_tokens"),
        reported_cost: None,
    };
    match kind {
        "message_start" => v
            .pointer("/message/usage")
            .map(|u| vec![Delta::Usage(usage(u))])
            .unwrap_or_default(),
        "content_block_start" => match v.pointer("/content_block/type").and_then(Value::as_str) {
            Some("text") => v
                .pointer("/content_block/text")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(|t| vec![Delta::Text(t.into())])
                .unwrap_or_default(),
            _ => vec![],
        },
        "content_block_delta" => {
            let delta = &v["delta"];
            match delta.get("type").and_then(Value::as_str) {
                Some("input_json_delta") => vec![Delta::ToolInput(
                    delta["partial_json"].as_str().unwrap_or_default().into(),
                )],
                Some("text_delta") => vec![Delta::Text(
                    delta["text"].as_str().unwrap_or_default().into(),
                )],
                _ => vec![],
            }
        }
        "message_delta" => v
            .get("usage")
            .map(|u| vec![Delta::Usage(usage(u))])
            .unwrap_or_default(),
        "message_stop" => vec![Delta::Done],
        "ping" => vec![Delta::Alive],
        "error" => vec![Delta::Error(ProviderError::from_body(
            ProviderKind::Anthropic,
            None,
            &v,
        ))],
        _ => vec![],
    }
}

fn openai(data: &str) -> Vec<Delta> {
    if data.trim() == "[DONE]" {
        return vec![Delta::Done];
    }
    let Some(v) = parse(data) else { return vec![] };
    if v.get("error").is_some() {
        return vec![Delta::Error(ProviderError::from_body(
            ProviderKind::OpenAi,
            None,
            &v,
        ))];
    }
    let mut out = Vec::new();
    if let Some(text) = v
        .pointer("/choices/0/delta/content")
        .and_then(Value::as_str)
    {
        if !text.is_empty() {
            out.push(Delta::Text(text.into()));
        }
    }
    if let Some(u) = v.get("usage").filter(|u| u.is_object()) {
        let n = |p: &str| u.pointer(p).and_then(Value::as_u64).unwrap_or(0);
        let cached = n("/prompt_tokens_details/cached_tokens");
        out.push(Delta::Usage(Usage {
            input_tokens: n("/prompt_tokens").saturating_sub(cached),
            output_tokens: n("/completion_tokens"),
            cache_read_tokens: cached,
            cache_write_tokens: 0,
            reported_cost: u.get("cost").and_then(Value::as_f64),
        }));
    }
    out
}

fn ollama_line(line: &str) -> Vec<Delta> {
    if line.is_empty() {
        return vec![];
    }
    let Some(v) = parse(line) else { return vec![] };
    if v.get("error").is_some() {
        return vec![Delta::Error(ProviderError::from_body(
            ProviderKind::Ollama,
            None,
            &v,
        ))];
    }
    let mut out = Vec::new();
    if let Some(text) = v
        .pointer("/message/content")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    {
        out.push(Delta::Text(text.into()));
    }
    if v.get("done").and_then(Value::as_bool) == Some(true) {
        let n = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
        out.push(Delta::Usage(Usage {
            input_tokens: n("prompt_eval_count"),
            output_tokens: n("eval_count"),
            ..Usage::default()
        }));
        out.push(Delta::Done);
    }
    out
}

/// What a non-streamed (complete) response says, as the deltas a stream would have carried:
/// some servers ignore `stream: true`, and the calibration command asks for whole replies.
pub fn complete_reply(provider: ProviderKind, body: &Value) -> Vec<Delta> {
    let mut out = Vec::new();
    match provider {
        ProviderKind::Anthropic => {
            for block in body
                .get("content")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                match block.get("type").and_then(Value::as_str) {
                    Some("tool_use") => out.push(Delta::ToolInput(block["input"].to_string())),
                    Some("text") => out.push(Delta::Text(
                        block["text"].as_str().unwrap_or_default().into(),
                    )),
                    _ => {}
                }
            }
            out.extend(anthropic(
                Some("message_delta"),
                &serde_json::json!({ "usage": body.get("usage").cloned().unwrap_or_default() })
                    .to_string(),
            ));
        }
        ProviderKind::Ollama => out.extend(ollama_line(&body.to_string())),
        _ => {
            if let Some(t) = body
                .pointer("/choices/0/message/content")
                .and_then(Value::as_str)
            {
                out.push(Delta::Text(t.into()));
            }
            out.extend(openai(
                &serde_json::json!({ "usage": body.get("usage").cloned().unwrap_or_default() })
                    .to_string(),
            ));
        }
    }
    out.retain(|d| !matches!(d, Delta::Done));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::errors::ErrorKind;

    fn text(ds: &[Delta]) -> String {
        ds.iter()
            .filter_map(|d| match d {
                Delta::Text(t) | Delta::ToolInput(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    // Recorded in the shape Anthropic documents for a forced tool call, split at awkward places.
    const ANTHROPIC: &str = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-5\",\"stop_reason\":null,\"usage\":{\"input_tokens\":472,\"cache_creation_input_tokens\":2100,\"cache_read_input_tokens\":0,\"output_tokens\":2}}}\n\n\
event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"record_grade\",\"input\":{}}}\n\n\
event: ping\ndata: {\"type\":\"ping\"}\n\n\
event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"criteria\\\": [\"}}\n\n\
event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"]}\"}}\n\n\
event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n\
event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":318}}\n\n\
event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    #[test]
    fn anthropic_tool_stream() {
        let mut d = Decoder::new(ProviderKind::Anthropic);
        let mut all = Vec::new();
        for piece in ANTHROPIC.as_bytes().chunks(37) {
            all.extend(d.feed(std::str::from_utf8(piece).unwrap()));
        }
        all.extend(d.finish());
        assert_eq!(text(&all), "{\"criteria\": []}");
        assert!(all.contains(&Delta::Alive));
        assert_eq!(all.last(), Some(&Delta::Done));
        let mut usage = Usage::default();
        for x in &all {
            if let Delta::Usage(u) = x {
                usage.merge(*u);
            }
        }
        assert_eq!(
            (
                usage.input_tokens,
                usage.cache_write_tokens,
                usage.output_tokens
            ),
            (472, 2100, 318)
        );
    }

    #[test]
    fn anthropic_mid_stream_error() {
        let mut d = Decoder::new(ProviderKind::Anthropic);
        let out = d.feed("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        match &out[0] {
            Delta::Error(e) => assert_eq!(e.kind, ErrorKind::Overloaded),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn openai_and_openrouter_chunks() {
        let stream = ": OPENROUTER PROCESSING\n\n\
data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n\
data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"{\\\"a\\\":\"},\"finish_reason\":null}]}\n\n\
data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"1}\"},\"finish_reason\":\"stop\"}]}\n\n\
data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":40,\"prompt_tokens_details\":{\"cached_tokens\":800},\"cost\":0.0012}}\n\n\
data: [DONE]\n\n";
        let mut d = Decoder::new(ProviderKind::OpenRouter);
        let all = d.feed(stream);
        assert_eq!(all[0], Delta::Alive);
        assert_eq!(text(&all), "{\"a\":1}");
        assert!(all.contains(&Delta::Usage(Usage {
            input_tokens: 100,
            output_tokens: 40,
            cache_read_tokens: 800,
            cache_write_tokens: 0,
            reported_cost: Some(0.0012)
        })));
        assert_eq!(all.last(), Some(&Delta::Done));
        let err = Decoder::new(ProviderKind::OpenRouter)
            .feed("data: {\"error\":{\"code\":502,\"message\":\"Provider returned error\"}}\n\n");
        assert!(matches!(&err[0], Delta::Error(e) if e.kind == ErrorKind::Server));
    }

    #[test]
    fn ollama_ndjson() {
        let mut d = Decoder::new(ProviderKind::Ollama);
        let mut all = d.feed("{\"model\":\"q\",\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"a\\\"\"},\"done\":false}\n{\"model\":\"q\",\"message\":{\"role\":\"assistant\",\"content\":\":1}\"},\"done\":false}\n{\"model\":\"q\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"prompt_eval_count\":12,\"eval_count\":7}");
        all.extend(d.finish());
        assert_eq!(text(&all), "{\"a\":1}");
        assert!(all.contains(&Delta::Usage(Usage {
            input_tokens: 12,
            output_tokens: 7,
            ..Usage::default()
        })));
        assert_eq!(all.last(), Some(&Delta::Done));
    }

    #[test]
    fn an_ndjson_stream_of_many_lines_is_read_in_time_linear_in_its_size() {
        // Every line in one chunk, then one long line over many chunks: both used to shift or
        // search the whole buffer once per line.
        let line = "{\"message\":{\"content\":\"x\"},\"done\":false}\n";
        let mut d = Decoder::new(ProviderKind::Ollama);
        let out = d.feed(&line.repeat(20_000));
        assert_eq!(text(&out).len(), 20_000);
        let long = format!(
            "{{\"message\":{{\"content\":\"{}\"}},\"done\":true}}\n",
            "y".repeat(200_000)
        );
        let mut all = Vec::new();
        for piece in long.as_bytes().chunks(100) {
            all.extend(d.feed(std::str::from_utf8(piece).unwrap()));
        }
        assert_eq!(text(&all).len(), 200_000);
    }

    #[test]
    fn complete_replies() {
        let a = serde_json::json!({"content":[{"type":"tool_use","id":"t","name":"record_grade","input":{"criteria":[]}}],"usage":{"input_tokens":5,"output_tokens":6}});
        assert_eq!(
            complete_reply(ProviderKind::Anthropic, &a),
            [
                Delta::ToolInput("{\"criteria\":[]}".to_string()),
                Delta::Usage(Usage {
                    input_tokens: 5,
                    output_tokens: 6,
                    ..Usage::default()
                })
            ]
        );
        let o = serde_json::json!({"choices":[{"message":{"role":"assistant","content":"{}"}}],"usage":{"prompt_tokens":3,"completion_tokens":4}});
        assert_eq!(
            complete_reply(ProviderKind::OpenAi, &o)[0],
            Delta::Text("{}".into())
        );
    }
}
