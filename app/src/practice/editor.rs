//! Writing an analysis: Reasoning, Uncertainty and Commitment, a confidence, a Markdown preview,
//! word counts and a visible save state; then commit, or give the attempt up to see the rubric.

use super::follow::follow;
use super::workspace::{Status, Workspace};
use crate::clock::offset_minutes;
use leap_core::markup::{words_label, CONFIDENCE_HINT, EDITOR_FIELDS};
use leap_core::md::{render_untrusted, word_count};
use leap_core::storage::kv::StoreError;
use leap_core::storage::schema::Outcome;
use leap_core::time::format_datetime;
use leptos::prelude::*;

/// One of the three text fields.
#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    text: RwSignal<String>,
    preview: RwSignal<bool>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let replaced = ws.fields.replaced;
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <p class="hint" id=format!("{id}-hint")>{hint}</p>
            <textarea
                id=id
                name=id
                rows="8"
                aria-describedby=format!("{id}-hint {id}-count")
                // Rewritten only when the text changes from outside, never under the caret.
                prop:value=move || {
                    replaced.track();
                    text.get_untracked()
                }
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    ws.edited();
                }
                on:blur=move |_| ws.save_now()
            ></textarea>
            <p class="count" id=format!("{id}-count")>{move || words_label(text.with(|t| word_count(t)))}</p>
            {move || preview.get().then(|| view! {
                <div class="preview prose" role="region" aria-label=format!("{label}, preview") inner_html=move || render_untrusted(&text.read())></div>
            })}
        </div>
    }
}

thread_local! {
    /// The preview and the give-up's confirmation, asked for on the page before the full loop
    /// took it over (see `leap_core::handover`).
    static ASKED: std::cell::Cell<(bool, bool)> = const { std::cell::Cell::new((false, false)) };
}

/// Opens the preview and the give-up's confirmation in the next editor drawn, as asked.
pub fn ask_for(preview: bool, give_up: bool) {
    ASKED.with(|a| a.set((preview, give_up)));
}

/// The editor for the current draft.
#[component]
pub fn Editor() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let f = ws.fields;
    let (asked_preview, asked_give_up) = ASKED.with(|a| a.replace((false, false)));
    let preview = RwSignal::new(asked_preview);
    let problem = RwSignal::new(None::<String>);
    let confirm_give_up = RwSignal::new(asked_give_up);
    // The button pressed is gone once the attempt is finished: focus goes to what replaced it.
    let finish = move |outcome: Outcome| match ws.finish(outcome) {
        Ok(()) => follow(
            "rubric",
            match outcome {
                Outcome::Committed => "Committed. The rubric follows: mark each criterion.",
                Outcome::GaveUp => "Attempt given up. The rubric follows.",
            },
        ),
        Err(e) => problem.set(Some(e)),
    };
    let commit = move |_| {
        // The same rule as a commit made before the app took over (`leap_core::handover`).
        if let Some(p) = f.answer().commit_problem() {
            problem.set(Some(p));
            return;
        }
        finish(Outcome::Committed);
    };
    let give_up = move |_| {
        confirm_give_up.set(false);
        finish(Outcome::GaveUp);
    };
    view! {
        <div class="editor">
            <Conflict/>
            // The same form as the pre-rendered page's (`markup::practice_form`).
            {EDITOR_FIELDS.into_iter().zip([f.reasoning, f.uncertainty, f.commitment]).map(|((id, label, hint), text)| {
                view! { <Field id=id label=label hint=hint text=text preview=preview/> }
            }).collect_view()}
            <div class="field confidence">
                <label for="confidence">"Confidence"</label>
                <p class="hint" id="confidence-hint">{CONFIDENCE_HINT}</p>
                <div class="confidence-row">
                    <input
                        type="range"
                        id="confidence"
                        name="confidence"
                        min="0"
                        max="100"
                        step="5"
                        aria-describedby="confidence-hint"
                        aria-valuetext=move || f.confidence.get().map_or("not set".to_string(), |c| format!("{c} %"))
                        // A range always has a value; until the learner sets one its thumb is hidden
                        // (CSS `.unset`), so the 50 it holds is never shown as theirs.
                        class:unset=move || f.confidence.get().is_none()
                        prop:value=move || f.confidence.get().unwrap_or(50).to_string()
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if f.confidence.get_untracked().is_some() {
                                return;
                            }
                            // The first key chooses a value instead of stepping from the hidden 50.
                            let chosen = match ev.key().as_str() {
                                "Home" => Some(0),
                                "End" => Some(100),
                                "ArrowUp" | "ArrowRight" | "ArrowDown" | "ArrowLeft" | "PageUp" | "PageDown" => Some(50),
                                _ => None,
                            };
                            if let Some(c) = chosen {
                                ev.prevent_default();
                                f.confidence.set(Some(c));
                                ws.edited();
                            }
                        }
                        on:input=move |ev| {
                            f.confidence.set(event_target_value(&ev).parse().ok());
                            ws.edited();
                        }
                        // A click exactly on the hidden 50 changes nothing, so fires no input: take it.
                        on:click=move |ev| {
                            if f.confidence.get_untracked().is_none() {
                                f.confidence.set(event_target_value(&ev).parse().ok());
                                ws.edited();
                            }
                        }
                    />
                    <output for="confidence">{move || f.confidence.get().map_or("not set".to_string(), |c| format!("{c} %"))}</output>
                </div>
            </div>
            <div class="editor-bar">
                <label class="toggle"><input type="checkbox" prop:checked=move || preview.get() on:change=move |ev| preview.set(event_target_checked(&ev))/>" Show Markdown preview"</label>
                <SaveState/>
            </div>
            {move || problem.get().map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
            <div class="actions">
                <button type="button" class="primary" on:click=commit>"Commit"</button>
                <button type="button" class="secondary" aria-expanded=move || confirm_give_up.get().to_string() on:click=move |_| confirm_give_up.update(|c| *c = !*c)>
                    "Give up and see the rubric"
                </button>
            </div>
            {move || confirm_give_up.get().then(|| view! {
                <div class="confirm" role="group" aria-label="Give up this attempt?">
                    <p>"Seeing the rubric first ends this attempt without a commitment, and your history will say you gave it up. Committing, even unsure, is the practice."</p>
                    <button type="button" class="danger" on:click=give_up>"Yes, give up this attempt"</button>
                    <button type="button" class="secondary" on:click=move |_| confirm_give_up.set(false)>"Keep working"</button>
                </div>
            })}
        </div>
    }
}

/// "Saved at 14:03", "Not saved yet", or what went wrong.
#[component]
fn SaveState() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let text = move || match ws.status.get() {
        Status::Empty => "Nothing written yet".to_string(),
        Status::Saved(at) => {
            let when = format_datetime(at, offset_minutes());
            let time = when.rsplit(", ").next().unwrap_or_default().to_string();
            if ws.persistent {
                format!("Saved in this browser at {time}")
            } else {
                format!("Kept for this tab only at {time}")
            }
        }
        Status::Unsaved => "Saving…".to_string(),
        Status::Failed(StoreError::Full) => "Not saved: storage is full".to_string(),
        Status::Failed(e) => format!("Not saved: {e}"),
        Status::Conflict(_) => "Not saved: changed in another tab".to_string(),
        Status::Gone => "Not saved: finished in another tab".to_string(),
    };
    let class = move || match ws.status.get() {
        Status::Failed(_) | Status::Conflict(_) | Status::Gone => "save-state problem",
        _ => "save-state",
    };
    view! { <p class=class role="status">{text}</p> }
}

/// What to do when another tab changed or finished this draft.
#[component]
fn Conflict() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    move || {
        match ws.status.get() {
        Status::Conflict(theirs) => Some(
            view! {
                <div class="notice warning" role="alert">
                    <p>{format!(
                        "This draft was changed in another tab ({}). Nothing was overwritten. Which text do you want to keep?",
                        format_datetime(theirs.updated_at, offset_minutes())
                    )}</p>
                    <button type="button" class="secondary" on:click=move |_| ws.resolve(false)>"Use the other tab's text"</button>
                    <button type="button" class="secondary" on:click=move |_| ws.resolve(true)>"Keep this tab's text"</button>
                </div>
            }
            .into_any(),
        ),
        Status::Gone => Some(
            view! {
                <div class="notice warning" role="alert">
                    <p>"This attempt was committed or discarded in another tab. Your text here was not saved to it."</p>
                    <button type="button" class="secondary" on:click=move |_| ws.continue_as_new()>"Keep this text as a new attempt"</button>
                </div>
            }
            .into_any(),
        ),
        _ => ws.stash.get().map(|mine| {
            view! {
                <details class="notice stash">
                    <summary>"Your text from this tab, before you took the other tab's version"</summary>
                    <h4>"Reasoning"</h4><pre>{mine.reasoning}</pre>
                    <h4>"Uncertainty"</h4><pre>{mine.uncertainty}</pre>
                    <h4>"Commitment"</h4><pre>{mine.commitment}</pre>
                    <button type="button" class="secondary" on:click=move |_| ws.stash.set(None)>"Dismiss"</button>
                </details>
            }
            .into_any()
        }),
    }
    }
}
