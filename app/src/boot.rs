//! Start-up of the bundles that re-render their page (practice, review): load what the page needs,
//! render the app off-screen, and swap it in for the pre-rendered markup in one step, carrying
//! over what the reader already did on the static page (focus and caret, the answer column's
//! scroll, an opened disclosure), and, on a scenario page, what its write bundle was asked for.
//! Pages a bundle adopts or mounts in place keep theirs by themselves; see [`mount_in_place`],
//! `pages::catalog`, `pages::progress` and `write`.

use crate::shell::{App, RouteTable};
use crate::site::{self, Store};
use leap_core::routes::{Bundle, Route};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Loads what a page of the bundle needs before the app takes it over, so the first render
/// matches the pre-rendered page. Each bundle passes its own, so neither carries the other's.
pub type Preload = fn(Store, Route) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// Starts a bundle on the current page; `routes` is the bundle's route table.
pub fn run(bundle: Bundle, routes: RouteTable, preload: Preload) {
    // Panic messages in the console in debug builds; release builds stay small.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(start(bundle, routes, preload));
}

async fn start(bundle: Bundle, routes: RouteTable, preload: Preload) {
    let root = site::pin_base();
    let base = site::router_base(&root);
    let build = site::meta("leap-build").unwrap_or_default();
    let index = if bundle.needs_index() {
        match site::load_index(&build).await {
            Ok(index) => index,
            Err(message) => {
                // The pre-rendered page stays readable; say why nothing is interactive.
                show_boot_error(&message);
                return;
            }
        }
    } else {
        site::page_index(build)
    };
    // The index's parse ends its task here: the render that follows gets one of its own.
    next_task().await;
    let store = Store::new(index, base.clone());
    leave_foreign_links_to_the_browser(bundle, base.clone());
    let path = window().location().pathname().unwrap_or_default();
    preload(
        store,
        Route::parse(path.strip_prefix(&base).unwrap_or(&path)),
    )
    .await;
    take_over(store, routes);
}

/// Links to pages of the other bundle must be ordinary page loads: stop the click before the
/// router (a bubbling listener on `window`) sees it, and the browser navigates.
fn leave_foreign_links_to_the_browser(bundle: Bundle, base: String) {
    let listener = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        let Some(anchor) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let Some(href) = anchor
            .dyn_ref::<web_sys::HtmlAnchorElement>()
            .map(|a| a.href())
        else {
            return;
        };
        let Ok(url) = web_sys::Url::new(&href) else {
            return;
        };
        let same_site = url.origin() == window().location().origin().unwrap_or_default()
            && url.pathname().starts_with(&base);
        if same_site && Route::parse(&url.pathname()[base.len()..]).bundle() != bundle {
            ev.stop_propagation();
        }
    });
    window()
        .add_event_listener_with_callback_and_bool("click", listener.as_ref().unchecked_ref(), true)
        .ok();
    listener.forget();
}

/// Ends the current task and resumes in a new one (a zero timeout), so the browser can handle
/// input and paint in between: a long start-up split this way blocks the page for shorter spells
/// (Lighthouse's total blocking time counts what each task lasts beyond 50 ms).
pub async fn next_task() {
    let (done, resumed) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        std::time::Duration::ZERO,
    );
    let _ = resumed.await;
}

/// Takes over a page whose bundle serves it alone (Settings): the pre-rendered element
/// `selector` of `#main` gives way to the app's view in one task, so the browser never paints the
/// page without either; no router, no site index. `view` reads what it needs from that element
/// first. The header's due count is set as the shell sets it, and `#app` is marked ready.
pub fn mount_in_place<F, V>(selector: &str, view: impl FnOnce(&web_sys::Element) -> F)
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let doc = document();
    let Some(placeholder) = doc.query_selector(selector).ok().flatten() else {
        return;
    };
    let Some(main) = placeholder
        .parent_element()
        .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let render = view(&placeholder);
    placeholder.remove();
    leptos::mount::mount_to(main, render).forget();
    crate::shell::show_due(crate::shell::due_now());
    if let Some(app) = doc.get_element_by_id("app") {
        app.set_attribute("data-ready", "").ok();
    }
}

/// The function a scenario page's write bundle leaves on the page for the practice loop: called in
/// the task that takes the page over, it stops what the write bundle still does and answers what
/// it hands over (text, see `leap_core::handover`).
const STOP_GLOBAL: &str = "leapStop";

thread_local! {
    /// What the bundle this one took the page over from handed over.
    static HANDED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Lets another bundle take this page over: `hand_over` runs in the task that does, and answers
/// what this bundle hands over. It runs once; a page is taken over once.
pub fn leave_for_next_app(hand_over: impl FnOnce() -> String + 'static) {
    let stop = Closure::once_into_js(hand_over);
    let _ = js_sys::Reflect::set(&window(), &STOP_GLOBAL.into(), &stop);
}

/// Stops the bundle that ran this page before, if one did, and answers what it handed over.
fn stop_previous_app() -> Option<String> {
    let key = wasm_bindgen::JsValue::from_str(STOP_GLOBAL);
    let stop = js_sys::Reflect::get(&window(), &key)
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let _ = js_sys::Reflect::delete_property(&window(), &key);
    stop.call0(&wasm_bindgen::JsValue::UNDEFINED)
        .ok()?
        .as_string()
}

/// What the app this one took the page over from handed over; once.
pub fn handed_over() -> Option<String> {
    HANDED.with(|h| h.borrow_mut().take())
}

/// What the reader did on the static page before the app arrived: the disclosures they opened.
struct Carried {
    open_details: Vec<String>,
}

/// The field that had focus on the static page (by name or id) and its caret, and what was
/// scrolled within itself (the answer's column on a wide screen), by id.
struct Place {
    focused: Option<(String, Option<u32>)>,
    scrolled: Vec<(String, i32)>,
}

fn take_over(store: Store, routes: RouteTable) {
    let doc = document();
    let Some(old) = doc.get_element_by_id("app") else {
        return;
    };
    let carried = carry(&old);
    let Ok(fresh) = doc.create_element("div") else {
        return;
    };
    fresh.set_id("app");
    let Ok(fresh) = fresh.dyn_into::<web_sys::HtmlElement>() else {
        return;
    };
    let place = Place {
        focused: focused_in(&old),
        scrolled: scrolled_in(),
    };
    // A bundle that ran this page before (a scenario page's write bundle) stops here, in the task
    // that replaces its page, and says what it hands over.
    let handed = stop_previous_app();
    HANDED.with(|h| *h.borrow_mut() = handed);
    leptos::mount::mount_to(
        fresh.clone(),
        move || view! { <App store=store routes=routes/> },
    )
    .forget();
    // Same task as the render: the browser never paints the page without either tree.
    if old.replace_with_with_node_1(&fresh).is_ok() {
        let Place { focused, scrolled } = place;
        if let Some(focused) = focused {
            wasm_bindgen_futures::spawn_local(settle(fresh.clone(), focused));
        }
        // Routes finish rendering in microtasks; an animation frame comes after them and
        // before the next paint. Scroll positions need the new tree laid out, which that frame
        // does anyway: set there, they cost no layout of their own in the swap's task.
        request_animation_frame(move || {
            for (id, top) in &scrolled {
                if let Some(el) = document().get_element_by_id(id) {
                    el.set_scroll_top(*top);
                }
            }
            restore(&fresh, &carried);
            fresh.set_attribute("data-ready", "").ok();
        });
    }
}

/// Puts focus back as soon as the focused field is rendered. Routes finish rendering in
/// microtasks, and so does this, yielding one microtask at a time until the field is there: no
/// input event can run before it, so a learner typing into the static page while the app swaps
/// in loses no key. The focus does not scroll (the frame after restores every scroll position),
/// so it needs no layout of the new tree here.
async fn settle(fresh: web_sys::HtmlElement, focused: (String, Option<u32>)) {
    let selector = focus_selector(&focused.0);
    for _ in 0..10_000 {
        if fresh.query_selector(&selector).ok().flatten().is_some() {
            break;
        }
        let tick = js_sys::Promise::resolve(&wasm_bindgen::JsValue::UNDEFINED);
        let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
    }
    restore_focus(&fresh, &focused);
}

fn carry(old: &web_sys::Element) -> Carried {
    let mut open_details = Vec::new();
    if let Ok(list) = old.query_selector_all("details[open][id]") {
        for i in 0..list.length() {
            if let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                open_details.push(el.id());
            }
        }
    }
    Carried { open_details }
}

/// The focused field of the static page, by name or id, with its caret.
fn focused_in(old: &web_sys::Element) -> Option<(String, Option<u32>)> {
    document()
        .active_element()
        .filter(|el| old.contains(Some(el)))
        .and_then(|el| {
            let key = el
                .get_attribute("name")
                .or_else(|| (!el.id().is_empty()).then(|| format!("#{}", el.id())))?;
            let caret = el
                .dyn_ref::<web_sys::HtmlInputElement>()
                .and_then(|i| i.selection_start().ok().flatten())
                .or_else(|| {
                    el.dyn_ref::<web_sys::HtmlTextAreaElement>()
                        .and_then(|t| t.selection_start().ok().flatten())
                });
            Some((key, caret))
        })
}

/// The elements of a page that scroll within themselves, by id: the answer's column on a wide
/// screen (a sticky column as tall as the window). Named rather than searched for: reading the
/// scroll position of every element with an id made the take-over lay out the old page.
const SCROLLERS: [&str; 1] = ["ws-answer"];

/// How far each of [`SCROLLERS`] on the static page is scrolled, those that are.
fn scrolled_in() -> Vec<(String, i32)> {
    SCROLLERS
        .iter()
        .filter_map(|id| {
            let top = document().get_element_by_id(id)?.scroll_top();
            (top > 0).then(|| (id.to_string(), top))
        })
        .collect()
}

fn restore(fresh: &web_sys::HtmlElement, carried: &Carried) {
    for id in &carried.open_details {
        if let Some(d) = fresh
            .query_selector(&format!("details#{id}"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        {
            d.set_open(true);
        }
    }
}

/// The selector of a focused field carried by name, or by `#id`.
fn focus_selector(name: &str) -> String {
    if let Some(id) = name.strip_prefix('#') {
        format!("#{id}")
    } else {
        format!("[name=\"{name}\"]")
    }
}

/// Moves focus (and the caret) to where it was on the static page.
fn restore_focus(fresh: &web_sys::HtmlElement, (name, caret): &(String, Option<u32>)) {
    let Some(el) = fresh
        .query_selector(&focus_selector(name))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    el.focus_with_options(&options).ok();
    if let Some(at) = caret {
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            input.set_selection_range(*at, *at).ok();
        } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            area.set_selection_range(*at, *at).ok();
        }
    }
}

fn show_boot_error(message: &str) {
    let doc = document();
    if let (Some(main), Ok(note)) = (doc.get_element_by_id("main"), doc.create_element("p")) {
        note.set_class_name("boot-error");
        note.set_attribute("role", "alert").ok();
        note.set_text_content(Some(&format!(
            "This page works as plain text, but its interactive parts could not start. {message}"
        )));
        main.prepend_with_node_1(&note).ok();
    }
}
