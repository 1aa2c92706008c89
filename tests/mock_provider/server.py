"""A stand-in for the model providers, for tests: it speaks each provider's documented wire format
(paths, headers, CORS preflight, SSE framing, error bodies) so the app and the calibration command
can be exercised end to end without the network. It is a test double for the network, never for
our own code: it grades with a fixed keyword rule, not a model.

    python3 tests/mock_provider/server.py --port 4180

What it speaks:
  Anthropic   POST /v1/messages (JSON or SSE), GET /v1/models             (x-api-key)
  OpenAI      POST /v1/chat/completions, GET /v1/models                   (Authorization: Bearer)
  OpenRouter  POST /api/v1/chat/completions, GET /api/v1/key              (Authorization: Bearer)
  Ollama      POST /api/chat (JSON or NDJSON), GET /api/tags
  Compatible  POST /compat/v1/chat/completions, GET /compat/v1/models    (LM Studio, llama.cpp)

How a test makes it fail: the API key (or, for keyless local servers, the model name) chooses.
  fail-401  fail-403  fail-403-browser  fail-404  fail-429  fail-529  fail-500
  midstream-error   an error event after part of the reply
  truncated         the stream stops in the middle of the JSON
  malformed         the first reply is not JSON (a repair retry then succeeds)
  malformed-always  every reply is not JSON
  unknown-criteria  the reply grades a criterion the rubric does not have and gives a bad verdict
  html-reply        the reply's text fields carry raw HTML, a script and a javascript: link
  echo-prompt       like a small local model, repeats the learner's text (without the marker
                    lines) before its own JSON, on every request
  echo-fence        repeats the whole user message, marker lines and all, before its JSON
  echo-json         the first reply is the JSON object found in the learner's answer, copied
                    (a repair retry then grades for real)
  prose-wrap        wraps its JSON in prose and a code fence, with braces in the prose
  megabytes         a 5 MB reply: one evidence array of hundreds of thousands of short strings
  huge-string       a 5 MB reply: one very long string
  nostream          (OpenAI-style routes) answers with one JSON document even when asked to stream
  nocors            responses carry no CORS headers (the browser then blocks them); also any path
                    under /nocors/, since a CORS preflight carries no key to choose by
  slow              streams slowly (to cancel in the middle)
  hang              never answers (to time out)
Anything else is a working key.

The game master of an investigation (a request whose tool or schema is `record_room_answer`, or
whose schema has `answer` and `probe`) answers by a fixed rule too: if the fenced question shares
a word of five or more letters with the label of a probe not yet run (listed in the system prompt
as "## Probe `id` — label (N min)"), it names that probe; otherwise "Nobody on the call knows
that." The behaviours above apply to it as well (unknown-criteria names a probe that does not
exist; html-reply puts the payload in the answer).

For tests: GET /__log lists every request received (method, path, headers, body); POST /__reset
clears it.
"""

import argparse
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = []
LOG_LOCK = threading.Lock()
CACHED_PREFIXES = set()

BEHAVIOURS = {
    "fail-401", "fail-403", "fail-403-browser", "fail-404", "fail-429", "fail-529", "fail-500",
    "midstream-error", "truncated", "malformed", "malformed-always", "unknown-criteria", "html-reply", "nostream",
    "echo-prompt", "echo-fence", "echo-json", "prose-wrap", "megabytes", "huge-string",
    "nocors", "slow", "hang",
}


def behaviour(key, model):
    for token in (key or "", model or ""):
        for b in sorted(BEHAVIOURS, key=len, reverse=True):
            if b in token:
                return b
    return "ok"


# --- Grading: a fixed keyword rule, so tests know what to expect -------------------------------


def fenced(text, kind):
    m = re.search(r"<<<%s ([^>]+)>>>\n(.*)\n<<<END %s \1>>>" % (kind, kind), text, re.S)
    return m.group(2) if m else None


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip() and not s.startswith("#")]


def grade(criterion_ids, answer):
    """Caught when two of a criterion id's words appear in the answer, partial for one."""
    result = []
    lower = answer.lower()
    for i, cid in enumerate(criterion_ids):
        words = [w for w in cid.split("-") if len(w) > 3]
        hits = [w for w in words if w in lower]
        verdict = "caught" if len(hits) >= 2 else "partial" if hits else "missed"
        evidence = []
        if hits:
            quote = next((s for s in sentences(answer) if hits[0] in s.lower()), None)
            if quote:
                evidence.append(quote[:160])
        if i == 0:
            evidence.append("a sentence the learner never wrote")
        result.append({"id": cid, "verdict": verdict, "evidence": evidence, "why": f"Why {cid} mattered in the incident."})
    uncertainty = answer.split("## Uncertainty", 1)[-1].split("## Commitment", 1)[0].strip().splitlines()
    concern = uncertainty[0] if uncertainty and uncertainty[0] != "(left empty)" else "none stated"
    return {
        "criteria": result,
        "uncertainties": [{"concern": concern, "answer": "Check the change log of the last hour first."}],
        "missed_failure_mode": "Treating what changed as a search instead of reading the failure's shape.",
        "focus_next": "Name the mechanism before proposing the fix.",
        "overall": "A mock evaluator's read: useful for tests, not for learning." + path_note(answer),
    }


def path_note(answer):
    """For an investigation, a sentence about the path, read from the fenced log the way a model
    would refer to it: the first probe run and when, and when the learner committed."""
    log = answer.split("## Investigation log", 1)
    if len(log) < 2:
        return ""
    probes = re.findall(r"^T\+(\d+) probe: (.+)$", log[1], re.M)
    committed = re.search(r"^T\+(\d+) committed$", log[1], re.M)
    note = f" On your path: you ran {probes[0][1]} first, at T+{probes[0][0]}" if probes else " On your path: you ran no probe"
    return note + (f", and committed at T+{committed.group(1)}." if committed else ".")


def criterion_ids(schema):
    try:
        return schema["properties"]["criteria"]["items"]["properties"]["id"]["enum"]
    except (KeyError, TypeError):
        return []


ROOM_NAME = "record_room_answer"
NOBODY_KNOWS = "Nobody on the call knows that."


def is_room(schema, name=None):
    """Whether a request is for the game master: by its tool or schema name, or (Ollama sends no
    name) by its schema's shape."""
    if name == ROOM_NAME:
        return True
    props = schema.get("properties") if isinstance(schema, dict) else None
    return isinstance(props, dict) and "answer" in props and "probe" in props and "criteria" not in props


def words(text):
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 5}


def room_answer(system, first_user, question):
    """The game master's fixed rule: the first probe not yet run whose label shares a word of five
    or more letters with the question, else nobody knows."""
    probes = re.findall(r"^## Probe `([^`]+)` \u2014 (.+) \((\d+) min\)$", system, re.M)
    run_line = re.search(r"already run \(their evidence is on screen\): (.*)", first_user)
    run = set(re.findall(r"`([^`]+)`", run_line.group(1))) if run_line else set()
    asked = words(question)
    for pid, label, _cost in probes:
        if pid not in run and asked & words(label):
            return {"answer": f"On it: {label}.", "probe": pid}
    return {"answer": NOBODY_KNOWS, "probe": None}


def text_of(content):
    """A message's text, from a string or a list of content blocks."""
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else ""


def reply_for(messages, schema, b, system="", name=None):
    """The reply text for a conversation: JSON for a grading or the game master, prose for a
    follow-up."""
    user_turns = [text_of(m["content"]) for m in messages if m.get("role") == "user"]
    last = user_turns[-1] if user_turns else ""
    if schema is not None and is_room(schema, name):
        return room_reply(user_turns, last, b, system)
    if schema is None:
        question = fenced(last, "QUESTION") or last
        return f"You asked: {question.strip()}\n\nThe rubric's **critical** criteria decide the score; here is why."
    answer = fenced(user_turns[0] if user_turns else "", "ANSWER") or ""
    repairing = "could not be read" in last
    if b == "malformed-always" or (b == "malformed" and not repairing):
        return "I think this answer is quite good overall."
    # A model fooled by nothing: it grades the answer's prose, not a JSON object written into it.
    honest = re.sub(r"\{.*\}", "", answer, flags=re.S) if b.startswith("echo-") else answer
    result = grade(criterion_ids(schema), honest)
    own = json.dumps(result)
    if b == "echo-prompt":
        return f"Sure. You wrote:\n{answer}\n\nMy grading:\n{own}"
    if b == "echo-fence":
        return f"{user_turns[0]}\n{own}"
    if b == "echo-json" and not repairing:
        start = answer.find("{")
        return answer[start:answer.rfind("}") + 1] if start >= 0 else own
    if b == "prose-wrap":
        return f"Here is my grading of the answer (braces like {{this}} are prose):\n```json\n{own}\n```\nLet me know {{if}} you want more."
    if b == "megabytes":
        result["criteria"][0]["evidence"] = [f"q{i}" for i in range(700_000)]
        return json.dumps(result)
    if b == "huge-string":
        result["overall"] = "x" * 5_000_000
        return json.dumps(result)
    if b == "html-reply":
        payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> [click me](javascript:window.__pwned=3) **bold**'
        result["overall"] = payload
        result["criteria"][0]["why"] = payload
    if b == "unknown-criteria":
        result["criteria"].append({"id": "made-up-criterion", "verdict": "caught", "evidence": [], "why": ""})
        if len(result["criteria"]) > 1:
            result["criteria"][1]["verdict"] = "mostly"
    return json.dumps(result)


def room_reply(user_turns, last, b, system):
    """The game master's reply text, with the behaviours that make sense for it."""
    first = user_turns[0] if user_turns else ""
    question = fenced(first, "QUESTION") or ""
    repairing = "could not be read" in last
    if b == "malformed-always" or (b == "malformed" and not repairing):
        return "Good question; let me think about the replica."
    honest = re.sub(r"\{.*\}", "", question, flags=re.S) if b.startswith("echo-") else question
    result = room_answer(system, first, honest)
    own = json.dumps(result)
    if b == "echo-prompt":
        return f"Sure. You asked:\n{question}\n\nMy answer:\n{own}"
    if b == "echo-fence":
        return f"{first}\n{own}"
    if b == "echo-json" and not repairing:
        start = question.find("{")
        return question[start:question.rfind("}") + 1] if start >= 0 else own
    if b == "prose-wrap":
        return f"Here is what the room says (braces like {{this}} are prose):\n```json\n{own}\n```\nAsk {{more}} anytime."
    if b in ("megabytes", "huge-string"):
        result["answer"] = "x" * 5_000_000
    if b == "html-reply":
        result["answer"] = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> [click me](javascript:window.__pwned=3) **bold**'
    if b == "unknown-criteria":
        result["probe"] = "made-up-probe"
    return json.dumps(result)


def pieces(text, size=40):
    if len(text) > 1_000_000:
        size = 256  # a model writing megabytes writes them fast
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


# --- HTTP --------------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_version = "mock-provider/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    # CORS ------------------------------------------------------------------------------------
    def route_path(self):
        """The path without query, and without the /nocors prefix (which it notes)."""
        path = self.path.split("?")[0]
        self.no_cors = path.startswith("/nocors/")
        return path[len("/nocors"):] if self.no_cors else path

    def cors_headers(self, b):
        if b == "nocors" or getattr(self, "no_cors", False):
            return []
        origin = self.headers.get("Origin")
        if not origin:
            return []
        return [
            ("Access-Control-Allow-Origin", origin),
            ("Vary", "Origin"),
            ("Access-Control-Expose-Headers", "retry-after, request-id, x-request-id"),
        ]

    def do_OPTIONS(self):
        self.record(None)
        self.route_path()
        # A preflight carries no key: a CORS-less server fails the preflight itself.
        b = "nocors" if self.no_cors else "ok"
        self.send_response(204)
        for k, v in self.cors_headers(b):
            self.send_header(k, v)
        if b != "nocors" and self.headers.get("Origin"):
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers", "*"))
            self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # Plumbing --------------------------------------------------------------------------------
    def record(self, body):
        entry = {"method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        with LOG_LOCK:
            LOG.append(entry)

    def read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"{}")
        except json.JSONDecodeError:
            return {"__invalid__": raw.decode("utf-8", "replace")}

    def send_json(self, status, body, b="ok", extra=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("request-id", "req_" + uuid.uuid4().hex[:20])
        for k, v in list(extra) + self.cors_headers(b):
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def start_stream(self, content_type, b):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        for k, v in self.cors_headers(b):
            self.send_header(k, v)
        self.end_headers()

    def emit(self, text, b):
        self.wfile.write(text.encode())
        self.wfile.flush()
        if b not in ("megabytes", "huge-string"):
            time.sleep(0.15 if b == "slow" else 0.002)

    def key(self):
        auth = self.headers.get("Authorization", "")
        return self.headers.get("x-api-key") or (auth[7:] if auth.startswith("Bearer ") else "")

    # Routes ----------------------------------------------------------------------------------
    def do_GET(self):
        self.record(None)
        path = self.route_path()
        if path == "/__log":
            with LOG_LOCK:
                return self.send_json(200, LOG)
        b = behaviour(self.key(), "")
        if path == "/v1/models" and self.headers.get("anthropic-version"):
            if self.error_for("anthropic", b):
                return
            return self.send_json(200, {"data": [{"type": "model", "id": "claude-sonnet-5", "display_name": "Claude Sonnet 5", "created_at": "2026-01-01T00:00:00Z"}], "has_more": False, "first_id": "claude-sonnet-5", "last_id": "claude-sonnet-5"}, b)
        if path in ("/v1/models", "/compat/v1/models"):
            provider = "openai" if path == "/v1/models" else "compat"
            if self.error_for(provider, b):
                return
            return self.send_json(200, {"object": "list", "data": [{"id": "gpt-5-mini", "object": "model", "created": 1, "owned_by": "mock"}]}, b)
        if path == "/api/v1/key":
            if self.error_for("openrouter", b):
                return
            return self.send_json(200, {"data": {"label": "mock", "usage": 0, "limit": None, "is_free_tier": False}}, b)
        if path == "/api/tags":
            return self.send_json(200, {"models": [{"name": "qwen3:8b", "model": "qwen3:8b", "size": 1}]}, b)
        self.send_json(404, {"error": "not found"})

    def do_POST(self):
        path = self.route_path()
        if path == "/__reset":
            with LOG_LOCK:
                LOG.clear()
            CACHED_PREFIXES.clear()
            return self.send_json(200, {"ok": True})
        body = self.read_json()
        self.record(body)
        routes = {
            "/v1/messages": self.anthropic,
            "/v1/chat/completions": lambda body: self.openai_like(body, "openai"),
            "/api/v1/chat/completions": lambda body: self.openai_like(body, "openrouter"),
            "/compat/v1/chat/completions": lambda body: self.openai_like(body, "compat"),
            "/api/chat": self.ollama,
        }
        handler = routes.get(path)
        if handler is None:
            return self.send_json(404, {"error": "not found"})
        handler(body)

    # Errors, each in the provider's documented shape -----------------------------------------
    def error_for(self, provider, b):
        status = {"fail-401": 401, "fail-403": 403, "fail-403-browser": 403, "fail-404": 404, "fail-429": 429, "fail-529": 529, "fail-500": 500}.get(b)
        if status is None:
            if b == "hang":
                time.sleep(30)
            return False
        extra = [("retry-after", "7")] if status == 429 else []
        if provider == "anthropic":
            kind = {401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error", 529: "overloaded_error", 500: "api_error"}[status]
            message = {
                401: "invalid x-api-key",
                403: "CORS requests are not allowed for this Organization because of the CORS setting." if b == "fail-403-browser" else "Your API key does not have permission to use the specified resource.",
                404: "model: not-a-model",
                429: "Number of request tokens has exceeded your per-minute rate limit",
                529: "Overloaded",
                500: "Internal server error",
            }[status]
            self.send_json(status, {"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_mock"}, b, extra)
        elif provider == "ollama":
            self.send_json(status, {"error": f"model '{b}' not found" if status == 404 else "mock failure"}, b, extra)
        elif provider == "openrouter":
            self.send_json(status, {"error": {"code": status, "message": {401: "No auth credentials found", 403: "Key is disabled", 404: "Model not found", 429: "Rate limit exceeded", 529: "Overloaded", 500: "Internal Server Error"}[status]}}, b, extra)
        elif provider == "compat" and status == 401:
            # Some gateways (LiteLLM's proxy, for one) quote the key they were given back in the error.
            self.send_json(401, {"error": {"message": f"Authentication Error, Invalid proxy server token passed. Received API Key = {self.key()}", "type": "auth_error", "param": "None", "code": "401"}}, b, extra)
        else:
            code = {401: "invalid_api_key", 403: None, 404: "model_not_found", 429: "rate_limit_exceeded", 529: None, 500: None}[status]
            message = {401: "Incorrect API key provided: fail-***", 403: "You are not allowed to sample from this model", 404: "The model `not-a-model` does not exist", 429: "Rate limit reached for requests", 529: "The engine is currently overloaded, please try again later", 500: "The server had an error while processing your request."}[status]
            self.send_json(status, {"error": {"message": message, "type": "invalid_request_error" if status < 500 else "server_error", "param": None, "code": code}}, b, extra)
        return True

    # Anthropic Messages --------------------------------------------------------------------
    def anthropic(self, body):
        b = behaviour(self.key(), body.get("model"))
        if self.headers.get("Origin") and self.headers.get("anthropic-dangerous-direct-browser-access") != "true":
            return self.send_json(401, {"type": "error", "error": {"type": "authentication_error", "message": "CORS requests must set 'anthropic-dangerous-direct-browser-access' header"}}, b)
        if not self.headers.get("anthropic-version"):
            return self.send_json(400, {"type": "error", "error": {"type": "invalid_request_error", "message": "anthropic-version: header is required"}}, b)
        if self.error_for("anthropic", b):
            return
        tools = body.get("tools") or []
        schema = tools[0].get("input_schema") if tools else None
        name = tools[0].get("name") if tools else None
        text = reply_for(body.get("messages", []), schema, b, text_of(body.get("system")), name)
        system = json.dumps(body.get("system"))
        cached = system in CACHED_PREFIXES
        CACHED_PREFIXES.add(system)
        usage = {"input_tokens": 180, "cache_creation_input_tokens": 0 if cached else 2400, "cache_read_input_tokens": 2400 if cached else 0, "output_tokens": 1}
        use_tool = schema is not None and text.lstrip().startswith("{")
        out_tokens = max(1, len(text) // 4)
        if not body.get("stream"):
            block = {"type": "tool_use", "id": "toolu_mock", "name": tools[0]["name"], "input": json.loads(text)} if use_tool else {"type": "text", "text": text}
            usage["output_tokens"] = out_tokens
            return self.send_json(200, {"id": "msg_mock", "type": "message", "role": "assistant", "model": body.get("model"), "content": [block], "stop_reason": "tool_use" if use_tool else "end_turn", "stop_sequence": None, "usage": usage}, b)
        self.start_stream("text/event-stream; charset=utf-8", b)

        def event(name, data):
            self.emit(f"event: {name}\ndata: {json.dumps(data)}\n\n", b)

        event("message_start", {"type": "message_start", "message": {"id": "msg_mock", "type": "message", "role": "assistant", "model": body.get("model"), "content": [], "stop_reason": None, "stop_sequence": None, "usage": usage}})
        if use_tool:
            event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": "toolu_mock", "name": tools[0]["name"], "input": {}}})
        else:
            event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
        event("ping", {"type": "ping"})
        chunks = pieces(text)
        for i, chunk in enumerate(chunks):
            if b == "truncated" and i == len(chunks) // 2:
                return
            if b == "midstream-error" and i == len(chunks) // 2:
                return event("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
            delta = {"type": "input_json_delta", "partial_json": chunk} if use_tool else {"type": "text_delta", "text": chunk}
            event("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})
        event("content_block_stop", {"type": "content_block_stop", "index": 0})
        event("message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use" if use_tool else "end_turn", "stop_sequence": None}, "usage": {"output_tokens": out_tokens}})
        event("message_stop", {"type": "message_stop"})

    # OpenAI-style chat completions (OpenAI, OpenRouter, compatible servers) ------------------
    def openai_like(self, body, provider):
        key = self.key()
        b = behaviour(key, body.get("model"))
        if provider != "compat" and not key:
            return self.error_for(provider, "fail-401")
        if self.error_for(provider, b):
            return
        rf = body.get("response_format") or {}
        schema = (rf.get("json_schema") or {}).get("schema") if rf.get("type") == "json_schema" else None
        name = (rf.get("json_schema") or {}).get("name")
        messages = body.get("messages", [])
        system = " ".join(text_of(m.get("content")) for m in messages if m.get("role") == "system")
        text = reply_for(messages, schema, b, system, name)
        prompt_tokens, completion_tokens = 2600, max(1, len(text) // 4)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens, "prompt_tokens_details": {"cached_tokens": 2048}}
        if provider == "openrouter":
            usage["cost"] = 0.00123
        created = int(time.time())
        rid = "chatcmpl-mock"
        if not body.get("stream") or b == "nostream":
            return self.send_json(200, {"id": rid, "object": "chat.completion", "created": created, "model": body.get("model"), "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None}, "logprobs": None, "finish_reason": "stop"}], "usage": usage}, b)
        self.start_stream("text/event-stream", b)

        def chunk(delta, finish=None):
            data = {"id": rid, "object": "chat.completion.chunk", "created": created, "model": body.get("model"), "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
            self.emit(f"data: {json.dumps(data)}\n\n", b)

        if provider == "openrouter":
            self.emit(": OPENROUTER PROCESSING\n\n", b)
        chunk({"role": "assistant", "content": ""})
        parts = pieces(text)
        for i, part in enumerate(parts):
            if b == "truncated" and i == len(parts) // 2:
                return
            if b == "midstream-error" and i == len(parts) // 2:
                return self.emit(f"data: {json.dumps({'error': {'code': 502, 'message': 'Upstream provider error'}})}\n\n", b)
            if provider == "openrouter" and i == 1:
                self.emit(": OPENROUTER PROCESSING\n\n", b)
            chunk({"content": part})
        chunk({}, "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            self.emit(f"data: {json.dumps({'id': rid, 'object': 'chat.completion.chunk', 'created': created, 'model': body.get('model'), 'choices': [], 'usage': usage})}\n\n", b)
        self.emit("data: [DONE]\n\n", b)

    # Ollama /api/chat ------------------------------------------------------------------------
    def ollama(self, body):
        b = behaviour("", body.get("model"))
        if self.error_for("ollama", b):
            return
        fmt = body.get("format")
        messages = body.get("messages", [])
        system = " ".join(text_of(m.get("content")) for m in messages if m.get("role") == "system")
        text = reply_for(messages, fmt if isinstance(fmt, dict) else None, b, system)
        done = {"model": body.get("model"), "created_at": "2026-11-21T00:00:00Z", "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": "stop", "total_duration": 1, "prompt_eval_count": 1900, "eval_count": max(1, len(text) // 4)}
        if body.get("stream") is False:
            done["message"]["content"] = text
            return self.send_json(200, done, b)
        self.start_stream("application/x-ndjson", b)
        parts = pieces(text)
        for i, part in enumerate(parts):
            if b == "truncated" and i == len(parts) // 2:
                return
            if b == "midstream-error" and i == len(parts) // 2:
                return self.emit(json.dumps({"error": "an error was encountered while running the model"}) + "\n", b)
            self.emit(json.dumps({"model": body.get("model"), "created_at": "2026-11-21T00:00:00Z", "message": {"role": "assistant", "content": part}, "done": False}) + "\n", b)
        self.emit(json.dumps(done) + "\n", b)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that cancels or times out closes the connection mid-stream: expected, not news.
        import sys
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=4180)
    args = parser.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    print(f"mock provider on http://127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
