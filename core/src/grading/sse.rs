//! Server-sent events, parsed incrementally from chunks as they arrive (a chunk may end anywhere,
//! even inside a line or a multi-byte character's line).

/// One event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseEvent {
    /// A message: its `event:` name, if any, and its `data:` lines joined by newlines.
    Message {
        /// The event name.
        event: Option<String>,
        /// The data.
        data: String,
    },
    /// A comment line (`: …`), which servers send to keep a connection alive.
    Comment(String),
}

/// An incremental SSE parser.
#[derive(Debug, Default, Clone)]
pub struct SseParser {
    pending: String,
    event: Option<String>,
    data: Vec<String>,
}

impl SseParser {
    /// A new parser.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds a chunk and returns the events it completed.
    pub fn feed(&mut self, chunk: &str) -> Vec<SseEvent> {
        // Only the new bytes are searched for line ends, and the buffer is shifted once per
        // chunk: many lines in one chunk, or one long line over many chunks, cost linear time.
        let searched = self.pending.len();
        self.pending.push_str(chunk);
        let pending = std::mem::take(&mut self.pending);
        let mut out = Vec::new();
        let mut start = 0;
        let mut from = searched;
        while let Some(end) = pending[from..].find('\n').map(|e| from + e) {
            self.line(pending[start..end].trim_end_matches('\r'), &mut out);
            start = end + 1;
            from = start;
        }
        self.pending = pending;
        self.pending.drain(..start);
        out
    }

    /// Ends the stream: a last event without its blank line still counts.
    pub fn finish(&mut self) -> Vec<SseEvent> {
        let mut out = Vec::new();
        let rest = std::mem::take(&mut self.pending);
        if !rest.is_empty() {
            self.line(rest.trim_end_matches('\r'), &mut out);
        }
        self.dispatch(&mut out);
        out
    }

    fn line(&mut self, line: &str, out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if let Some(comment) = line.strip_prefix(':') {
            out.push(SseEvent::Comment(comment.trim().to_string()));
            return;
        }
        let (field, value) = line
            .split_once(':')
            .map_or((line, ""), |(f, v)| (f, v.strip_prefix(' ').unwrap_or(v)));
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => self.data.push(value.to_string()),
            _ => {} // id, retry and unknown fields do not concern us
        }
    }

    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        if self.data.is_empty() {
            self.event = None;
            return;
        }
        out.push(SseEvent::Message {
            event: self.event.take(),
            data: std::mem::take(&mut self.data).join("\n"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(event: Option<&str>, data: &str) -> SseEvent {
        SseEvent::Message {
            event: event.map(str::to_string),
            data: data.into(),
        }
    }

    #[test]
    fn events_split_across_chunks_and_crlf() {
        let mut p = SseParser::new();
        let mut all = p.feed("event: ping\r\ndata: {\"type\":\"ping\"}\r\n\r\nevent: message_st");
        all.extend(p.feed("art\ndata: {\"a\":"));
        all.extend(p.feed("1}\n\n: OPENROUTER PROCESSING\n\ndata: line1\ndata: line2\n\n"));
        all.extend(p.feed("data: [DONE]"));
        all.extend(p.finish());
        assert_eq!(
            all,
            [
                msg(Some("ping"), "{\"type\":\"ping\"}"),
                msg(Some("message_start"), "{\"a\":1}"),
                SseEvent::Comment("OPENROUTER PROCESSING".into()),
                msg(None, "line1\nline2"),
                msg(None, "[DONE]"),
            ]
        );
    }
}
