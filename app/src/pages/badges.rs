//! The badges and competency line a scenario shows on its card and its page.

use leap_core::baked::ScenarioSummary;
use leap_core::site_text::{competency_line, minutes_label};
use leptos::prelude::*;

/// Track, level, kind and length.
#[component]
pub fn Badges(summary: ScenarioSummary) -> impl IntoView {
    view! {
        <ul class="badges" aria-label="About this scenario">
            <li class=format!("badge badge-{}", summary.track.slug())>{summary.track.label()}</li>
            <li class="badge">{summary.level.label()}</li>
            <li class="badge">{summary.kind.label()}</li>
            <li class="badge">{minutes_label(summary.minutes)}</li>
        </ul>
        <p class="competencies">{competency_line(&summary)}</p>
    }
}
