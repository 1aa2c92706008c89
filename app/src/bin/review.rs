//! The review bundle: the review queue's drills; its own, so a visit downloads none of the
//! practice loop.

use leap_core::routes::Bundle;
use leptos::prelude::*;
use leptos_router::components::{Route as Page, Routes};
use leptos_router::path;
use senior_leap::pages::{not_found::NotFound, review::Review};

fn main() {
    senior_leap::boot::run(
        Bundle::Review,
        || {
            view! {
                <Routes fallback=|| view! { <NotFound/> }>
                    <Page path=path!("/review") view=Review/>
                </Routes>
            }
            .into_any()
        },
        // Attempts live in IndexedDB: every one is in memory before a view reads them.
        |_, _| Box::pin(senior_leap::storage::learner_data_ready()),
    );
}
