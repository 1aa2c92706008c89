//! Runs a grading or a follow-up question against the provider: sends the request the protocol
//! builds, feeds the streamed reply to a [`Call`], reports progress, and follows the protocol's
//! decision (one repair request at most). Everything it decides is decided in `leap_core`.

use super::http::{self, Cancel};
use leap_core::grading::call::{Call, Ending, Verdict};
use leap_core::grading::errors::{ErrorKind, ProviderError};
use leap_core::grading::prompt::{self, Prompt};
use leap_core::grading::provider::Settings;
use leap_core::grading::reply::Grade;
use leap_core::grading::request;
use leap_core::grading::usage::Usage;

/// How often, at most, the partial grading is re-read while the model writes (ms): enough to feel
/// live, rare enough that re-parsing a growing reply never competes with painting it.
const PARTIAL_EVERY_MS: f64 = 40.0;

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

/// What the page shows while a request runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Live {
    /// Sent; nothing back yet.
    Waiting,
    /// The reply is arriving; the grading so far, once a verdict has arrived.
    Receiving(Option<Grade>),
    /// The first reply was unusable; asking once more (the reason).
    Repairing(String),
}

/// A finished grading, complete or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    /// The validated grading.
    pub grade: Grade,
    /// The reply text, kept for follow-up questions.
    pub reply: String,
    /// Tokens used by every request it took.
    pub usage: Option<Usage>,
    /// Whether the whole reply arrived.
    pub complete: bool,
    /// Why it stopped early, if it did.
    pub stopped: Option<ProviderError>,
}

fn add(a: Option<Usage>, b: Option<Usage>) -> Option<Usage> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.plus(b)),
        (a, b) => a.or(b),
    }
}

/// Sends one request and reads its stream into a [`Call`].
async fn run(
    job: &Job,
    body: String,
    cancel: &Cancel,
    mut on_text: impl FnMut(&Call),
) -> Result<(Call, Ending), ProviderError> {
    let mut call = Call::new(job.settings.provider);
    let ending = http::stream(&job.settings, &body, job.idle_ms, cancel, |chunk| {
        if call.feed(chunk) {
            on_text(&call);
        }
    })
    .await?;
    if call.finish() {
        on_text(&call);
    }
    Ok((call, ending))
}

/// Grades: streams the reply, shows it growing, repairs once if the protocol says so.
pub async fn grade(
    job: &Job,
    cancel: &Cancel,
    live: impl Fn(Live),
) -> Result<Graded, ProviderError> {
    let ids = &job.prompt.criterion_ids;
    let mut body = request::grading(&job.settings, &job.prompt, true).to_string();
    let mut usage = None;
    let mut may_repair = true;
    loop {
        live(Live::Waiting);
        let mut last = 0.0;
        let mut shown = false;
        let (call, ending) = run(job, body, cancel, |call| {
            let now = js_sys::Date::now();
            // The first text is shown at once; later re-reads are paced.
            if !shown || now - last >= PARTIAL_EVERY_MS {
                shown = true;
                last = now;
                live(Live::Receiving(call.partial(ids, &job.answer_text)));
            }
        })
        .await?;
        usage = add(usage, call.usage);
        match call.conclude(ending, ids, &job.answer_text, may_repair) {
            Verdict::Graded {
                grade,
                complete,
                error,
            } => {
                return Ok(Graded {
                    grade,
                    reply: call.text,
                    usage,
                    complete,
                    stopped: error,
                })
            }
            Verdict::Repair(reason) => {
                live(Live::Repairing(reason.clone()));
                body = request::repair(&job.settings, &job.prompt, &call.text, &reason, true)
                    .to_string();
                may_repair = false;
            }
            Verdict::Failed(e) => return Err(e),
        }
    }
}

/// The answer to a follow-up question, as far as it arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// The answer text (Markdown).
    pub text: String,
    /// Tokens used.
    pub usage: Option<Usage>,
    /// Why it stopped early, if it did (the text so far is kept).
    pub stopped: Option<ProviderError>,
}

/// Asks a follow-up question about a grading; `live` gets the answer as it grows.
pub async fn ask(
    job: &Job,
    grading_reply: &str,
    earlier: &[(String, String)],
    question: &str,
    cancel: &Cancel,
    live: impl Fn(&str),
) -> Result<Answered, ProviderError> {
    let boundary = boundary_for(question, earlier);
    let fenced = prompt::follow_up(question, &boundary)
        .map_err(|_| ProviderError::new(ErrorKind::Malformed))?;
    let body = request::follow_up(
        &job.settings,
        &job.prompt,
        grading_reply,
        earlier,
        &fenced,
        true,
    )
    .to_string();
    let (call, ending) = run(job, body, cancel, |call| live(&call.text)).await?;
    let stopped = call.stopped(ending);
    if call.text.trim().is_empty() {
        if let Some(e) = stopped {
            return Err(e);
        }
    }
    Ok(Answered {
        text: call.text,
        usage: call.usage,
        stopped,
    })
}

/// A fresh boundary that does not occur in the learner's text.
pub fn boundary_for(text: &str, earlier: &[(String, String)]) -> String {
    loop {
        let b = format!("leap-{}", random_hex());
        if !text.contains(&b) && !earlier.iter().any(|(q, _)| q.contains(&b)) {
            return b;
        }
    }
}

/// 128 random bits from the browser's cryptographic generator, as hex: a boundary the learner
/// cannot predict when writing the answer.
fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        bytes
            .iter_mut()
            .for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
