//! The network under the evaluator: one `fetch` to the provider, its body read as a stream and
//! handed over chunk by chunk, cancellable, and given up when nothing arrives for too long.
//! Requests carry no cookies and no referrer; the key goes only in the headers `Settings` builds
//! for the provider's own URL.

use js_sys::{Promise, Reflect, Uint8Array};
use leap_core::grading::call::Ending;
use leap_core::grading::engine::{Flow, Outgoing};
use leap_core::grading::errors::{ErrorKind, ProviderError};
use leap_core::grading::provider::Settings;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReadableStreamDefaultReader, RequestCache, RequestCredentials,
    RequestInit, RequestMode, Response, TextDecodeOptions, TextDecoder,
};

/// Stops a request in flight; clones share the request.
#[derive(Clone)]
pub struct Cancel {
    controller: AbortController,
    reason: Rc<Cell<Option<Ending>>>,
}

impl Cancel {
    /// A handle for a request not yet sent.
    pub fn new() -> Option<Cancel> {
        Some(Cancel {
            controller: AbortController::new().ok()?,
            reason: Rc::new(Cell::new(None)),
        })
    }

    /// The learner pressed cancel.
    pub fn cancel(&self) {
        self.stop(Ending::Cancelled);
    }

    fn stop(&self, why: Ending) {
        if self.reason.get().is_none() {
            self.reason.set(Some(why));
        }
        self.controller.abort();
    }

    /// Why the request was stopped, if it was.
    pub fn reason(&self) -> Option<Ending> {
        self.reason.get()
    }
}

/// A promise that resolves to `value` after `ms` milliseconds.
fn sleep(ms: u32, value: &JsValue) -> Promise {
    Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let args = js_sys::Array::of1(value);
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments(&resolve, ms as i32, &args);
        }
    })
}

/// Awaits `promise`, or stops the request if `idle_ms` pass first. `Ok(None)` means timed out.
async fn within(
    promise: Promise,
    idle_ms: u32,
    cancel: &Cancel,
) -> Result<Option<JsValue>, JsValue> {
    // A fresh object: nothing the provider sends can be identical to it.
    let timer: JsValue = js_sys::Object::new().into();
    let sleeper = sleep(idle_ms, &timer);
    let raced = JsFuture::from(Promise::race(&js_sys::Array::of2(&promise, &sleeper))).await?;
    if raced == timer {
        cancel.stop(Ending::TimedOut);
        return Ok(None);
    }
    Ok(Some(raced))
}

/// The failure a request that got no usable response amounts to: cancelled, timed out, or (the
/// browser does not say which) offline, refused or blocked by CORS.
fn failure(cancel: &Cancel) -> ProviderError {
    cancel
        .reason()
        .and_then(Ending::error)
        .unwrap_or_else(|| ProviderError::new(ErrorKind::Network))
}

fn init(
    method: &str,
    request_headers: &[(&'static str, String)],
    body: Option<&str>,
    cancel: &Cancel,
) -> Result<RequestInit, JsValue> {
    let headers = Headers::new()?;
    for (name, value) in request_headers {
        if body.is_none() && *name == "content-type" {
            continue;
        }
        headers.set(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
    init.set_signal(Some(&cancel.controller.signal()));
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    Ok(init)
}

/// Sends the request and waits for the response head.
async fn send(
    url: &str,
    init: &RequestInit,
    idle_ms: u32,
    cancel: &Cancel,
) -> Result<Response, ProviderError> {
    let window = web_sys::window().ok_or_else(|| ProviderError::new(ErrorKind::Network))?;
    let fetch = window.fetch_with_str_and_init(url, init);
    match within(fetch, idle_ms, cancel).await {
        Ok(Some(r)) => r.dyn_into::<Response>().map_err(|_| failure(cancel)),
        // Offline, refused, DNS, CORS and mixed content all surface as the same TypeError.
        Ok(None) | Err(_) => Err(failure(cancel)),
    }
}

/// A whole (small) response as (status, retry-after, body text), bounded by the idle timeout.
async fn whole(
    response: &Response,
    idle_ms: u32,
    cancel: &Cancel,
) -> (u16, Option<String>, String) {
    let retry = response.headers().get("retry-after").ok().flatten();
    let text = match response.text() {
        Ok(p) => within(p, idle_ms, cancel)
            .await
            .ok()
            .flatten()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    (response.status(), retry, text)
}

/// POSTs the request and hands each decoded piece of the streamed response to `on_chunk`, until
/// the body ends or `on_chunk` says stop (then the connection is closed). Returns how the stream
/// ended, or the provider's error if the response was one.
pub async fn stream(
    request: &Outgoing,
    idle_ms: u32,
    cancel: &Cancel,
    on_chunk: &mut dyn FnMut(&str) -> Flow,
) -> Result<Ending, ProviderError> {
    // Offline, a request can only fail: say so plainly instead of blaming the provider or CORS.
    if web_sys::window().is_some_and(|w| !w.navigator().on_line()) {
        return Err(ProviderError::new(ErrorKind::Offline));
    }
    let init =
        init("POST", &request.headers, Some(&request.body), cancel).map_err(|_| failure(cancel))?;
    let response = send(&request.url, &init, idle_ms, cancel).await?;
    if !response.ok() {
        let (status, retry, text) = whole(&response, idle_ms, cancel).await;
        return Err(ProviderError::from_response(
            request.provider,
            status,
            retry.as_deref(),
            &text,
        ));
    }
    let Some(body) = response.body() else {
        return Ok(Ending::Finished);
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let decoder = TextDecoder::new().map_err(|_| failure(cancel))?;
    let options = TextDecodeOptions::new();
    options.set_stream(true);
    loop {
        let chunk = match within(reader.read(), idle_ms, cancel).await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(Ending::TimedOut),
            Err(_) => return Ok(cancel.reason().unwrap_or(Ending::Dropped)),
        };
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            == Some(true)
        {
            let rest = decoder.decode().unwrap_or_default();
            if !rest.is_empty() {
                let _ = on_chunk(&rest);
            }
            return Ok(Ending::Finished);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(|_| failure(cancel))?
            .unchecked_into();
        let text = decoder
            .decode_with_js_u8_array_and_options(&value, &options)
            .unwrap_or_default();
        // A fast server can hand over megabytes in one read: feed them in slices, yielding to
        // the event loop between slices, so no single task keeps the page from responding.
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let mut at = rest.len().min(SLICE_BYTES);
            while !rest.is_char_boundary(at) {
                at += 1;
            }
            let (piece, tail) = rest.split_at(at);
            if on_chunk(piece) == Flow::Stop {
                // Too large to be a grading: stop the download; the engine keeps what arrived.
                let _ = reader.cancel();
                cancel.controller.abort();
                return Ok(Ending::Finished);
            }
            rest = tail;
            if !rest.is_empty() {
                let _ = JsFuture::from(sleep(0, &JsValue::UNDEFINED)).await;
            }
        }
    }
}

/// Bytes of response handed to the engine per task.
const SLICE_BYTES: usize = 64 * 1024;

/// GETs `url` with the provider's headers: (status, retry-after, body).
pub async fn get(
    settings: &Settings,
    url: &str,
    idle_ms: u32,
    cancel: &Cancel,
) -> Result<(u16, Option<String>, String), ProviderError> {
    let init = init("GET", &settings.headers(), None, cancel).map_err(|_| failure(cancel))?;
    let response = send(url, &init, idle_ms, cancel).await?;
    Ok(whole(&response, idle_ms, cancel).await)
}
