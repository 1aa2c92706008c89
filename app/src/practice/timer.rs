//! Timed mode above the editor: an offer to run the scenario's minutes as a countdown, then the
//! countdown itself. The rules (a stored start, no pause, overtime instead of a lock, sparse
//! announcements) are `leap_core::timebox`'s; this draws them.

use super::follow::announce;
use super::workspace::Workspace;
use crate::clock::now;
use leptos::prelude::*;
use std::time::Duration;

/// The offer, or the running countdown.
#[component]
pub fn Timer(minutes: u32) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let error = RwSignal::new(None::<String>);
    let start = move |_| {
        match ws.start_timebox(minutes) {
        Ok(()) => announce(format!(
            "Countdown started: {minutes} minutes. Writing never locks; time past the box is recorded."
        )),
        Err(e) => error.set(Some(e)),
    }
    };
    view! {
        <div class="timebox">
            {move || match ws.timebox.get() {
                None => view! {
                    <p class="timebox-offer">
                        <span id="timebox-about">{format!("Optional: answer against the clock, in this scenario's {minutes} minutes.")}</span>" "
                        <button type="button" class="secondary" aria-describedby="timebox-about" on:click=start>
                            {format!("Start {minutes}-minute countdown")}
                        </button>
                    </p>
                }.into_any(),
                Some(_) => view! { <Countdown/> }.into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
        </div>
    }
}

/// The countdown: redrawn every second for the eye, announced only at its milestones.
#[component]
fn Countdown() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let at = RwSignal::new(now());
    let handle = set_interval_with_handle(
        move || {
            // A tick already queued when the countdown goes (commit, "try again") finds nothing.
            let Some(before) = at.try_get_untracked() else {
                return;
            };
            let t = now();
            let _ = at.try_set(t);
            if let Some(text) = ws
                .timebox
                .try_get_untracked()
                .flatten()
                .and_then(|b| b.announcement(before, t))
            {
                announce(text);
            }
        },
        Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    let over = move || {
        ws.timebox.get().is_some_and(|b| {
            matches!(
                b.countdown(at.get()),
                leap_core::timebox::Countdown::Over(_)
            )
        })
    };
    view! {
        // A timer role is not live: screen readers read it when asked, not every second.
        <p class="timebox-clock" class:over=over role="timer" aria-label="Time box">
            "Time box: "{move || ws.timebox.get().map(|b| b.clock_text(at.get())).unwrap_or_default()}
        </p>
        {move || over().then(|| view! {
            <p class="timebox-note">"Keep writing if you need to: nothing locks, and the overtime is recorded with the attempt."</p>
        })}
    }
}
