//! The practice bundle: scenario pages and the practice loop.

use leap_core::routes::{Bundle, Route};
use leptos::prelude::*;
use leptos_router::components::{Route as Page, Routes};
use leptos_router::path;
use senior_leap::pages::{not_found::NotFound, progress::Progress, scenario::ScenarioPage};

fn main() {
    senior_leap::boot::run(
        Bundle::Practice,
        || {
            view! {
                <Routes fallback=|| view! { <NotFound/> }>
                    <Page path=path!("/scenarios/:pack/:slug") view=ScenarioPage/>
                    <Page path=path!("/progress") view=Progress/>
                </Routes>
            }
            .into_any()
        },
        |store, route| {
            Box::pin(async move {
                if let Route::Scenario { pack, slug } = route {
                    store.load_body(&pack, &slug).await;
                }
            })
        },
    );
}
