//! The progress bundle: the learner's scores, calibration, brag document and data; its own, so
//! a visit downloads none of the practice loop.

use leap_core::routes::Bundle;
use leptos::prelude::*;
use leptos_router::components::{Route as Page, Routes};
use leptos_router::path;
use senior_leap::pages::{not_found::NotFound, progress::Progress};

fn main() {
    senior_leap::boot::run(
        Bundle::Progress,
        || {
            view! {
                <Routes fallback=|| view! { <NotFound/> }>
                    <Page path=path!("/progress") view=Progress/>
                </Routes>
            }
            .into_any()
        },
        // Attempts live in IndexedDB: every one is in memory before a view reads them.
        |_, _| Box::pin(senior_leap::storage::learner_data_ready()),
    );
}
