//! The app's frame: the router, the header and footer every page shares, and the route table.
//! Markup mirrors `leap_core::site::pages::shell` exactly.

use crate::site::Store;
use leap_core::routes::Route as SiteRoute;
use leap_core::site_text::FOOTER;
use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// A bundle's `<Routes>`: each bundle names only the pages it serves.
pub type RouteTable = fn() -> AnyView;

/// The whole app, given the loaded store and the bundle's routes.
#[component]
pub fn App(store: Store, routes: RouteTable) -> impl IntoView {
    provide_context(store);
    view! {
        <Router base=store.base.get_value()>
            <Shell routes=routes/>
        </Router>
    }
}

/// The page the browser is on, as our routes name it.
pub fn current_route() -> Memo<SiteRoute> {
    let store = expect_context::<Store>();
    let location = use_location();
    Memo::new(move |_| {
        let path = location.pathname.get();
        let base = store.base.get_value();
        SiteRoute::parse(path.strip_prefix(base.as_str()).unwrap_or(&path))
    })
}

#[component]
fn Shell(routes: RouteTable) -> impl IntoView {
    let store = expect_context::<Store>();
    let route = current_route();
    let title = store.index.with_value(|i| i.title.clone());
    let current = move |target: SiteRoute| move || (route.get() == target).then_some("page");
    let skip = move || {
        let path = match route.get() {
            SiteRoute::NotFound => String::new(),
            other => other.path(),
        };
        format!("{path}#main")
    };
    // Moving focus, not only scrolling, is what makes a skip link useful to keyboard users.
    let skip_to_main = |ev: leptos::ev::MouseEvent| {
        if let Some(main) = document()
            .get_element_by_id("main")
            .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            main.focus().ok();
            main.scroll_into_view();
        }
    };
    view! {
        <a class="skip-link" href=skip on:click=skip_to_main>"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="./">{title}</a>
            <nav aria-label="Site">
                <a href="./" aria-current=current(SiteRoute::Catalog)>"Scenarios"</a>
                <a href="progress/" aria-current=current(SiteRoute::Progress)>"Progress"</a>
                <a href="settings/" aria-current=current(SiteRoute::Settings)>"Settings"</a>
                <a href="how-it-works/" aria-current=current(SiteRoute::HowItWorks)>"How it works"</a>
            </nav>
        </header>
        <main id="main" tabindex="-1">{routes()}</main>
        <footer class="site-footer"><p>{FOOTER}</p></footer>
    }
}

/// Sets the document title for the page being shown.
pub fn set_title(page: Option<&str>) {
    let store = expect_context::<Store>();
    let site = store.index.with_value(|i| i.title.clone());
    document().set_title(&leap_core::site_text::title(&site, page));
}
