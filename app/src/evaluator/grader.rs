//! The browser's side of the one grading engine (`leap_core::grading::engine`): a [`Transport`]
//! over `fetch` with cancel and an idle timeout, the browser's secure random source for fence
//! boundaries, and live progress painted at most once per animation frame. Every decision — what
//! is sent, where the result is read from, when to repair — is the engine's.

use super::http::{self, Cancel};
use leap_core::grading::call::Ending;
use leap_core::grading::engine::{
    self, Answered, Flow, Graded, Live, Outgoing, Question, RoomAnswer, Transport,
};
use leap_core::grading::errors::ProviderError;
use leap_core::grading::game_master::Room;
use leap_core::grading::prompt::Prompt;
use leap_core::grading::provider::Settings;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// One grading to run.
pub struct Job {
    /// Provider, model, address and key.
    pub settings: Settings,
    /// Milliseconds without a byte before giving up.
    pub idle_ms: u32,
    /// The prompt, with its fresh boundary.
    pub prompt: Prompt,
    /// The learner's text, for checking quotes.
    pub answer_text: String,
}

/// `fetch`, streamed, cancellable, given up after `idle_ms` of silence.
struct Fetch<'a> {
    idle_ms: u32,
    cancel: &'a Cancel,
}

impl Transport for Fetch<'_> {
    async fn send(
        &self,
        request: &Outgoing,
        on_chunk: &mut dyn FnMut(&str) -> Flow,
    ) -> Result<Ending, ProviderError> {
        http::stream(request, self.idle_ms, self.cancel, on_chunk).await
    }
}

/// Hands the latest of many values to `apply` at most once per animation frame, and never after
/// [`PerFrame::close`]: a reply arriving in thousands of chunks repaints the page a few times a
/// second, not thousands of times.
struct PerFrame<T: 'static> {
    latest: Rc<RefCell<Option<T>>>,
    scheduled: Rc<Cell<bool>>,
    closed: Rc<Cell<bool>>,
    apply: Rc<dyn Fn(T)>,
}

impl<T: 'static> PerFrame<T> {
    fn new(apply: impl Fn(T) + 'static) -> Self {
        PerFrame {
            latest: Rc::default(),
            scheduled: Rc::default(),
            closed: Rc::default(),
            apply: Rc::new(apply),
        }
    }

    fn push(&self, value: T) {
        *self.latest.borrow_mut() = Some(value);
        if self.scheduled.replace(true) {
            return;
        }
        let (latest, scheduled, closed, apply) = (
            self.latest.clone(),
            self.scheduled.clone(),
            self.closed.clone(),
            self.apply.clone(),
        );
        let frame = Closure::once_into_js(move || {
            scheduled.set(false);
            let value = latest.borrow_mut().take();
            if let (false, Some(v)) = (closed.get(), value) {
                apply(v);
            }
        });
        let requested = web_sys::window()
            .and_then(|w| w.request_animation_frame(frame.unchecked_ref()).ok())
            .is_some();
        if !requested {
            self.scheduled.set(false);
        }
    }

    fn close(&self) {
        self.closed.set(true);
    }
}

/// Grades: streams the reply and shows it growing, through the one engine.
pub async fn grade(
    job: &Job,
    cancel: &Cancel,
    live: impl Fn(Live) + 'static,
) -> Result<Graded, ProviderError> {
    let frames = PerFrame::new(live);
    let transport = Fetch {
        idle_ms: job.idle_ms,
        cancel,
    };
    let result = engine::grade(
        &transport,
        &job.settings,
        &job.prompt,
        &job.answer_text,
        true,
        &mut |l| frames.push(l),
    )
    .await;
    frames.close();
    result
}

/// Asks a follow-up question about a grading; `live` gets the answer as it grows.
pub async fn ask(
    job: &Job,
    grading_reply: &str,
    earlier: &[(String, String)],
    question: &str,
    cancel: &Cancel,
    live: impl Fn(String) + 'static,
) -> Result<Answered, ProviderError> {
    let mut texts: Vec<&str> = vec![question];
    texts.extend(earlier.iter().map(|(q, _)| q.as_str()));
    let boundary = boundary_for(&texts);
    let frames = PerFrame::new(live);
    let transport = Fetch {
        idle_ms: job.idle_ms,
        cancel,
    };
    let q = Question {
        prompt: &job.prompt,
        grading_reply,
        earlier,
        question,
        boundary: &boundary,
    };
    let result = engine::ask(&transport, &job.settings, q, true, &mut |t| {
        frames.push(t.to_string())
    })
    .await;
    frames.close();
    result
}

/// Asks the room (an investigation's game master) a question, through the one engine; `live`
/// follows the request (waiting, receiving, asking again after an unusable reply).
pub async fn ask_room(
    settings: &Settings,
    idle_ms: u32,
    room: &Room<'_>,
    cancel: &Cancel,
    live: impl Fn(Live) + 'static,
) -> Result<RoomAnswer, ProviderError> {
    let frames = PerFrame::new(live);
    let transport = Fetch { idle_ms, cancel };
    let result = engine::ask_room(&transport, settings, room, true, &mut |l| frames.push(l)).await;
    frames.close();
    result
}

/// A fresh boundary the learner cannot know, occurring in none of `texts`.
pub fn boundary_for(texts: &[&str]) -> String {
    engine::fresh_boundary(&mut random_bytes, texts)
}

/// 128 random bits from the browser's cryptographic generator. Every browser this site runs in
/// has one; if it were ever missing, a boundary the learner could predict would be worse than
/// none, so the fence is then made of a long token from time and the page's own entropy.
fn random_bytes(bytes: &mut [u8; 16]) {
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(bytes).is_ok());
    if !filled {
        let t = (js_sys::Date::now() * 1000.0) as u128 ^ (js_sys::Math::random() * 1e18) as u128;
        bytes.copy_from_slice(&t.to_le_bytes());
    }
}
