//! One request to the evaluator, as the page lives through it: bytes arrive, the reply text and
//! token counts grow, a partial grading can be shown while the model is still writing, and when
//! the stream ends (finished, cut off, cancelled, failed, too large) [`Call::conclude`] decides
//! what the learner gets: the grading, a partial one marked incomplete, one repair request, or an
//! error. Where in the reply a result may be read from is the [`ReplyReader`]'s rule.

use super::errors::{ErrorKind, ProviderError};
use super::provider::ProviderKind;
use super::reader::{ReplyReader, MAX_REPLY_BYTES};
use super::reply::Grade;
use super::stream::{complete_reply, Decoder, Delta};
use super::usage::Usage;
use serde_json::Value;

/// Bytes of response body read at most, framing and keep-alives included: a server that never
/// stops sending is cut off here even if its reply text stays small.
pub const MAX_BODY_BYTES: usize = 16 * MAX_REPLY_BYTES;

/// A streamed reply in progress.
#[derive(Debug, Clone)]
pub struct Call {
    provider: ProviderKind,
    decoder: Decoder,
    /// The reply's text (content) channel.
    content: ReplyReader,
    /// The forced tool call's input, once one arrives: then the only place a result is read from.
    tool: Option<ReplyReader>,
    /// Token counts so far.
    pub usage: Option<Usage>,
    /// An error the provider reported in the middle of the stream.
    pub error: Option<ProviderError>,
    /// Whether the provider said the reply is complete.
    pub done: bool,
    /// Bytes received, keep-alives included: proof the provider is still there.
    pub bytes: usize,
    /// The body while nothing in it decoded as a stream, in case the server ignored `stream: true`
    /// and sent one JSON document (some gateways and local servers do).
    unstreamed: String,
}

/// How much of a body that did not decode as a stream is kept to try as one JSON document.
const UNSTREAMED_LIMIT: usize = MAX_REPLY_BYTES;

/// How a call ended, from the page's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The response body ended (or the page stopped reading a reply that grew too large).
    Finished,
    /// The learner pressed cancel.
    Cancelled,
    /// Nothing arrived for too long.
    TimedOut,
    /// The connection broke.
    Dropped,
}

impl Ending {
    /// The failure this ending amounts to, if it is one.
    pub fn error(self) -> Option<ProviderError> {
        let kind = match self {
            Ending::Finished => return None,
            Ending::Cancelled => ErrorKind::Cancelled,
            Ending::TimedOut => ErrorKind::Timeout,
            Ending::Dropped => ErrorKind::Network,
        };
        Some(ProviderError::new(kind))
    }
}

/// What the learner gets from a grading call.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A grading to save; `complete` is false when only part of the reply arrived. `error`
    /// explains why it stopped early, if it did.
    Graded {
        /// The validated grading.
        grade: Grade,
        /// Whether the whole reply arrived.
        complete: bool,
        /// Why it stopped early, if it did.
        error: Option<ProviderError>,
    },
    /// The reply was unusable: ask once more, saying why.
    Repair(String),
    /// Nothing usable: tell the learner why.
    Failed(ProviderError),
}

impl Call {
    /// A call whose reply comes in `provider`'s stream format and grades `criterion_ids` of an
    /// answer (`answer_text`) fenced by `boundary`. A follow-up question passes no criteria.
    pub fn new(
        provider: ProviderKind,
        criterion_ids: &[String],
        answer_text: &str,
        boundary: &str,
    ) -> Self {
        Call {
            provider,
            decoder: Decoder::new(provider),
            content: ReplyReader::new(criterion_ids, answer_text, boundary),
            tool: None,
            usage: None,
            error: None,
            done: false,
            bytes: 0,
            unstreamed: String::new(),
        }
    }

    /// Where the result is read from: the tool call if the model made one, else its text.
    fn reader(&self) -> &ReplyReader {
        self.tool.as_ref().unwrap_or(&self.content)
    }

    /// The reply text so far (the tool call's input when there is one).
    pub fn text(&self) -> &str {
        self.reader().text()
    }

    /// Whether the reply went past the size limit: stop reading, keep what arrived.
    pub fn full(&self) -> bool {
        self.bytes > MAX_BODY_BYTES || self.reader().overflowed()
    }

    /// Takes a decoded chunk of the body; true when there is something new to show (the first
    /// text, or another verdict).
    pub fn feed(&mut self, chunk: &str) -> bool {
        self.bytes += chunk.len();
        if self.text().is_empty() && self.unstreamed.len() < UNSTREAMED_LIMIT {
            self.unstreamed.push_str(chunk);
        }
        let deltas = self.decoder.feed(chunk);
        self.apply(deltas)
    }

    /// The body ended: decodes whatever was left in the buffer, or, if nothing in it was a
    /// stream, reads it as the provider's complete (non-streamed) reply or error.
    pub fn finish(&mut self) -> bool {
        let deltas = self.decoder.finish();
        let grew = self.apply(deltas);
        if !self.text().is_empty() || self.done || self.error.is_some() {
            return grew;
        }
        let Ok(value) = serde_json::from_str::<Value>(self.unstreamed.trim()) else {
            return grew;
        };
        if value.get("error").is_some_and(|e| !e.is_null()) {
            self.error = Some(ProviderError::from_body(self.provider, None, &value));
            return grew;
        }
        let deltas = complete_reply(self.provider, &value);
        let grew = self.apply(deltas) | grew;
        if !self.text().is_empty() {
            self.done = true;
        }
        grew
    }

    fn apply(&mut self, deltas: Vec<Delta>) -> bool {
        let mut news = false;
        for d in deltas {
            match d {
                Delta::Text(t) => {
                    let first = self.content.text().is_empty() && !t.is_empty();
                    news |= self.content.push(&t) || (first && self.tool.is_none());
                }
                Delta::ToolInput(t) => {
                    let tool = self.tool.get_or_insert_with(|| self.content.emptied());
                    let first = tool.text().is_empty() && !t.is_empty();
                    news |= tool.push(&t) || first;
                }
                Delta::Usage(u) => self.usage.get_or_insert_with(Usage::default).merge(u),
                Delta::Error(e) => self.error = Some(e),
                Delta::Alive => {}
                Delta::Done => self.done = true,
            }
        }
        news
    }

    /// The grading as far as it has arrived, for live display.
    pub fn partial(&self) -> Option<Grade> {
        self.reader().partial()
    }

    /// The model's own result read with `validate`, for a result that is not a grading (the game
    /// master's answer): located by the same rule as a grading; `true` if it was cut off.
    pub fn result_with<T>(
        &self,
        validate: &dyn Fn(&str) -> Result<T, super::reply::Unusable>,
    ) -> Result<(T, bool), super::reply::Unusable> {
        self.reader().finish_with(validate)
    }

    /// Whether the reply repeated the fence's boundary token (a follow-up answer doing so is
    /// echoing the prompt, not answering).
    pub fn echoed_fence(&self) -> bool {
        self.content.echoed_fence() || self.tool.as_ref().is_some_and(ReplyReader::echoed_fence)
    }

    /// Why the reply stopped before it was complete, if it did: the provider's own error, the
    /// size limit, else how the page ended the stream.
    pub fn stopped(&self, ending: Ending) -> Option<ProviderError> {
        if self.full() {
            return Some(ProviderError {
                kind: ErrorKind::TooLarge,
                status: None,
                message: format!("{} KB", MAX_REPLY_BYTES / 1024),
                retry_after: None,
            });
        }
        self.error.clone().or_else(|| ending.error())
    }

    /// Decides what the learner gets once the stream has ended. `may_repair` is true for the
    /// first request of a grading: an unusable reply then earns one more request.
    pub fn conclude(&self, ending: Ending, may_repair: bool) -> Verdict {
        let stopped = self.stopped(ending);
        let result = self.reader().finish();
        match (result, stopped) {
            (Ok(grade), None) => Verdict::Graded {
                complete: !self.reader().was_cut(),
                grade,
                error: None,
            },
            (Ok(grade), Some(e)) => Verdict::Graded {
                grade,
                complete: false,
                error: Some(e),
            },
            // Cancelled, timed out, too large or failed before any verdict: there is nothing to
            // keep, and a repair request would not help.
            (Err(_), Some(e)) => Verdict::Failed(e),
            (Err(reason), None) if may_repair => Verdict::Repair(reason.to_string()),
            (Err(reason), None) => Verdict::Failed(ProviderError {
                kind: ErrorKind::Malformed,
                status: None,
                message: reason.to_string(),
                retry_after: None,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Verdict as V;

    fn ids() -> Vec<String> {
        vec!["a".into(), "b".into()]
    }

    const ANSWER: &str = "we should fix the cache";
    const B: &str = "leap-00112233445566778899aabbccddeeff";

    fn openai_stream(json: &str, done: bool) -> String {
        let mut s = String::new();
        for piece in json.as_bytes().chunks(7) {
            let piece = std::str::from_utf8(piece).unwrap();
            s.push_str(&format!(
                "data: {}\n\n",
                serde_json::json!({"choices":[{"index":0,"delta":{"content":piece}}]})
            ));
        }
        if done {
            s.push_str("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20}}\n\ndata: [DONE]\n\n");
        }
        s
    }

    const FULL: &str = r#"{"criteria":[{"id":"a","verdict":"caught","evidence":["fix the cache"],"why":"w"},{"id":"b","verdict":"missed","evidence":[],"why":"w2"}],"uncertainties":[],"missed_failure_mode":"m","focus_next":"f","overall":"o"}"#;

    #[test]
    fn a_finished_stream_is_graded_and_counts_tokens() {
        let mut call = Call::new(ProviderKind::OpenAi, &ids(), ANSWER, B);
        let stream = openai_stream(FULL, true);
        // Chunk boundaries fall anywhere, even inside an event.
        for piece in stream.as_bytes().chunks(13) {
            call.feed(std::str::from_utf8(piece).unwrap());
        }
        call.finish();
        assert!(call.done);
        assert_eq!(call.usage.unwrap().input_tokens, 100);
        match call.conclude(Ending::Finished, true) {
            Verdict::Graded {
                grade,
                complete,
                error,
            } => {
                assert!(complete);
                assert!(error.is_none());
                assert_eq!(grade.criteria[0].verdict, V::Caught);
                assert!(grade.criteria[0].evidence[0].verified);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn partial_gradings_show_while_the_model_writes() {
        let mut call = Call::new(ProviderKind::OpenAi, &ids(), ANSWER, B);
        let cut = &FULL[..FULL.find("{\"id\":\"b\"").unwrap() + 20];
        call.feed(&openai_stream(cut, false));
        let partial = call.partial().expect("one criterion so far");
        assert_eq!(partial.criteria.len(), 1);
        assert_eq!(partial.ungraded, vec!["b".to_string()]);
    }

    #[test]
    fn cancelling_keeps_what_arrived_marked_incomplete() {
        let mut call = Call::new(ProviderKind::OpenAi, &ids(), ANSWER, B);
        let cut = &FULL[..FULL.find("{\"id\":\"b\"").unwrap()];
        call.feed(&openai_stream(cut, false));
        match call.conclude(Ending::Cancelled, true) {
            Verdict::Graded {
                grade,
                complete,
                error,
            } => {
                assert!(!complete);
                assert_eq!(error.unwrap().kind, ErrorKind::Cancelled);
                assert_eq!(grade.criteria.len(), 1);
                assert_eq!(grade.ungraded, vec!["b".to_string()]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cancelling_before_any_verdict_keeps_nothing_and_does_not_retry() {
        let mut call = Call::new(ProviderKind::OpenAi, &ids(), ANSWER, B);
        call.feed(&openai_stream("{\"crit", false));
        assert_eq!(
            call.conclude(Ending::Cancelled, true),
            Verdict::Failed(ProviderError::new(ErrorKind::Cancelled))
        );
        assert_eq!(
            call.conclude(Ending::TimedOut, true),
            Verdict::Failed(ProviderError::new(ErrorKind::Timeout))
        );
    }

    #[test]
    fn prose_instead_of_json_is_repaired_once_then_fails() {
        let mut call = Call::new(ProviderKind::OpenAi, &ids(), ANSWER, B);
        call.feed(&openai_stream("I think this answer is quite good.", true));
        assert!(matches!(
            call.conclude(Ending::Finished, true),
            Verdict::Repair(reason) if reason.contains("not the structured result")
        ));
        match call.conclude(Ending::Finished, false) {
            Verdict::Failed(e) => assert_eq!(e.kind, ErrorKind::Malformed),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_error_event_mid_stream_keeps_the_verdicts_so_far() {
        let mut call = Call::new(ProviderKind::Anthropic, &ids(), ANSWER, B);
        let events = [
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"record_grade\",\"input\":{}}}\n\n",
            "event: ping\ndata: {\"type\": \"ping\"}\n\n",
        ];
        for e in events {
            call.feed(e);
        }
        let cut = &FULL[..FULL.find("{\"id\":\"b\"").unwrap()];
        call.feed(&format!(
            "event: content_block_delta\ndata: {}\n\n",
            serde_json::json!({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":cut}})
        ));
        call.feed("event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n");
        call.finish();
        match call.conclude(Ending::Finished, true) {
            Verdict::Graded {
                complete, error, ..
            } => {
                assert!(!complete);
                assert_eq!(error.unwrap().kind, ErrorKind::Overloaded);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_server_that_ignores_stream_true_still_gets_graded() {
        let body = serde_json::json!({
            "id": "chatcmpl-1", "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": FULL}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5}
        })
        .to_string();
        let mut call = Call::new(ProviderKind::OpenAiCompatible, &ids(), ANSWER, B);
        let (a, b) = body.split_at(body.len() / 2);
        call.feed(a);
        call.feed(b);
        assert!(call.finish());
        assert!(matches!(
            call.conclude(Ending::Finished, true),
            Verdict::Graded { complete: true, .. }
        ));
        assert_eq!(call.usage.unwrap().output_tokens, 5);

        let mut call = Call::new(ProviderKind::Ollama, &ids(), ANSWER, B);
        call.feed(r#"{"error":"model 'x' not found"}"#);
        call.finish();
        assert!(call.error.is_some());
    }

    #[test]
    fn a_stream_cut_off_without_an_error_is_a_partial_result() {
        let mut call = Call::new(ProviderKind::OpenAi, &ids(), ANSWER, B);
        let cut = &FULL[..FULL.find("{\"id\":\"b\"").unwrap() + 5];
        call.feed(&openai_stream(cut, false));
        call.finish();
        match call.conclude(Ending::Finished, true) {
            Verdict::Graded { complete, .. } => assert!(!complete),
            other => panic!("{other:?}"),
        }
    }
}
