//! The app's frame: the router, the header and footer every page shares, and the route table.
//! Markup mirrors `leap_core::markup::shell` exactly (icons included), plus what only the browser
//! knows: how many review cards are due, in the Review link.

use crate::site::Store;
use leap_core::markup::{BRAND_MARK, HELP_ICON, SETTINGS_ICON};
use leap_core::routes::Route as SiteRoute;
use leap_core::site_text::FOOTER;
use leap_core::storage::{keys::REVIEW_KEY, review::due_count};
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

/// Cards due now, from the one storage entry that holds them: every page's header reads it, the
/// catalog's too, so nothing else is read or parsed.
pub fn due_now() -> usize {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(REVIEW_KEY).ok().flatten())
        .map_or(0, |raw| {
            due_count(&raw, crate::clock::now(), crate::clock::offset_minutes())
        })
}

/// Shows how many review cards are due in the header's Review link: named "Review, 3 due", with
/// the number drawn as a badge from `data-due` by the stylesheet; with none due the link is as the
/// static page has it. Set on the element rather than through a signal: the catalog's bundle
/// carries every byte of reactive attribute code, and this is all it needs.
pub fn show_due(n: usize) {
    let Some(link) = document()
        .query_selector(".site-header nav a[href=\"review/\"]")
        .ok()
        .flatten()
    else {
        return;
    };
    if n > 0 {
        link.set_attribute("aria-label", &format!("Review, {n} due"))
            .ok();
        link.set_attribute("data-due", &n.to_string()).ok();
    } else {
        link.remove_attribute("aria-label").ok();
        link.remove_attribute("data-due").ok();
    }
}

#[component]
fn Shell(routes: RouteTable) -> impl IntoView {
    let store = expect_context::<Store>();
    // Once the header is on the page.
    Effect::new(move |_| show_due(due_now()));
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
            <a class="brand" href="./">
                <span class="brand-mark" aria-hidden="true" inner_html=BRAND_MARK></span>
                <span class="brand-name">{title}</span>
            </a>
            <nav aria-label="Site">
                <a href="./" aria-current=current(SiteRoute::Catalog)>"Scenarios"</a>
                <a href="review/" aria-current=current(SiteRoute::Review)>"Review"</a>
                <a href="progress/" aria-current=current(SiteRoute::Progress)>"Progress"</a>
                <a href="settings/" aria-current=current(SiteRoute::Settings)>
                    <span class="nav-icon" aria-hidden="true" inner_html=SETTINGS_ICON></span>
                    <span class="nav-label">"Settings"</span>
                </a>
                <a href="how-it-works/" aria-current=current(SiteRoute::HowItWorks)>
                    <span class="nav-icon" aria-hidden="true" inner_html=HELP_ICON></span>
                    <span class="nav-label">"How it works"</span>
                </a>
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
