//! The settings bundle: the evaluator's settings; its own, so a visit downloads none of the
//! practice loop.

use leap_core::routes::Bundle;
use leptos::prelude::*;
use leptos_router::components::{Route as Page, Routes};
use leptos_router::path;
use senior_leap::pages::{not_found::NotFound, settings::SettingsPage};

fn main() {
    senior_leap::boot::run(
        Bundle::Settings,
        || {
            view! {
                <Routes fallback=|| view! { <NotFound/> }>
                    <Page path=path!("/settings") view=SettingsPage/>
                </Routes>
            }
            .into_any()
        },
        |_, _| Box::pin(async {}),
    );
}
