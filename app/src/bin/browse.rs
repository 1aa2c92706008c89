//! The browse bundle: catalog, "how it works" and the 404 page.

use leap_core::routes::{Bundle, Route};
use leptos::prelude::*;
use leptos_router::components::{Route as Page, Routes};
use leptos_router::path;
use senior_leap::pages::{catalog::Catalog, how_it_works::HowItWorks, not_found::NotFound};

fn main() {
    senior_leap::boot::run(
        Bundle::Browse,
        || {
            view! {
                <Routes fallback=|| view! { <NotFound/> }>
                    <Page path=path!("/") view=Catalog/>
                    <Page path=path!("/how-it-works") view=HowItWorks/>
                </Routes>
            }
            .into_any()
        },
        |store, route| {
            Box::pin(async move {
                if route == Route::HowItWorks {
                    store.load_how_it_works().await;
                }
            })
        },
    );
}
