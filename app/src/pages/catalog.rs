//! The browse bundle's pages (the catalog, "how it works", the 404 page), adopted as the static
//! generator wrote them rather than rendered again. Every one of them is pre-rendered whole and
//! links to the others with ordinary page loads, so this bundle needs neither a router nor a
//! reactive renderer: it listens to the page it finds and rewrites only what changes. That keeps
//! the catalog's first load to a fraction of a Leptos bundle's (issue 11: ≤ 120 KB gzip), and a
//! take-over that replaces nothing can lose no typed letter, no focus and no scroll position.
//!
//! The catalog page carries its first page of cards and nothing else: the search index (every
//! scenario's card and search fields as plain text, `data/catalog.txt`; it grows with the pack,
//! and reading it needs no JSON decoder in this bundle) is fetched only when the learner filters,
//! searches or asks for more, or when the page was opened with filters in its URL. Filters live
//! in the URL query, so a filtered catalog is a link to share and survives a reload.

use crate::shell::{due_now, show_due};
use crate::site::{data_url, fetch_text, meta};
use leap_core::baked::{ScenarioSummary, SiteIndex};
use leap_core::catalog::{
    count_label, decode_summaries, filter_options, filters_toggle_label, option_text, Filters, PAGE,
};
use leap_core::markup::catalog_list;
use leap_core::routes::CATALOG_PATH;
use leap_core::standing::{self, Standing};
use leap_core::taxonomy::{Competency, Level, Track};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlFormElement};

/// Starts the browse bundle on the page the browser is on.
pub fn start() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    show_due_unmoved(&doc);
    focus_main_on_skip(&doc);
    if let Some(form) = doc
        .query_selector("form.filters")
        .ok()
        .flatten()
        .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
    {
        adopt(&doc, form);
    }
    if let Some(app) = doc.get_element_by_id("app") {
        app.set_attribute("data-ready", "").ok();
    }
}

/// Where the search index is (held as a `SiteIndex` with only its scenarios).
enum Index {
    /// Not asked for yet (or failed, and asked for again on the next interaction).
    Idle,
    /// On its way.
    Loading,
    /// Here, with the learner's standing on every scenario of it.
    Ready(Rc<SiteIndex>, Rc<Vec<(String, Standing)>>),
}

/// The catalog as the learner has it.
struct Catalog {
    form: HtmlFormElement,
    /// The result count, after which the list (cards and "Show more", or the empty note) sits.
    count: Element,
    /// The filters' disclosure, which says how many are set.
    toggle: Option<Element>,
    filters: Filters,
    /// How many matching cards are shown.
    limit: usize,
    index: Index,
    /// The list must be drawn again once the index is here.
    stale: bool,
    /// After "Show more", the first new card's link takes the focus.
    focus_card: Option<usize>,
}

type Shared = Rc<RefCell<Catalog>>;

fn adopt(doc: &web_sys::Document, form: HtmlFormElement) {
    let Some(count) = doc.query_selector(".result-count").ok().flatten() else {
        return;
    };
    show_card_status(doc);
    let toggle = doc.query_selector(".filters-box > summary").ok().flatten();
    // Filters from the URL, then whatever was chosen or typed on the static page before the app
    // arrived: the learner's latest word wins.
    let mut filters = Filters::from_query(&location_search());
    for (name, value) in controls(&form) {
        if !value.is_empty() {
            filters.set(&name, &value);
        }
    }
    let shared: Shared = Rc::new(RefCell::new(Catalog {
        form: form.clone(),
        count,
        toggle,
        filters: filters.clone(),
        limit: PAGE,
        index: Index::Idle,
        stale: false,
        focus_card: None,
    }));
    if !filters.is_empty() {
        replace_url(&filters);
        sync_controls(&form, &filters);
        shared.borrow().show_toggle();
        shared.borrow_mut().stale = true;
        load(&shared);
    }
    listen(&form, "input", {
        let shared = shared.clone();
        move |ev| on_input(&shared, &ev)
    });
    listen(&form, "submit", |ev| ev.prevent_default());
    if let Some(main) = doc.get_element_by_id("main") {
        listen(&main, "click", {
            let shared = shared.clone();
            move |ev| {
                if target_within(&ev, ".show-more") {
                    show_more(&shared);
                }
            }
        });
        // A learner about to search or ask for more: the index starts loading now, so it is
        // likely here by the time they have typed a word.
        for event in ["focusin", "pointerover"] {
            let shared = shared.clone();
            listen(&main, event, move |ev| {
                if target_within(&ev, "form.filters, .more") {
                    load(&shared);
                }
            });
        }
    }
}

fn on_input(shared: &Shared, ev: &web_sys::Event) {
    let Some(control) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let (name, value) = match (
        control.dyn_ref::<web_sys::HtmlInputElement>(),
        control.dyn_ref::<web_sys::HtmlSelectElement>(),
    ) {
        (Some(input), _) => (input.name(), input.value()),
        (_, Some(select)) => (select.name(), select.value()),
        _ => return,
    };
    {
        let mut c = shared.borrow_mut();
        c.filters.set(&name, &value);
        c.limit = PAGE;
        c.stale = true;
        replace_url(&c.filters);
        c.show_toggle();
    }
    refresh(shared);
}

fn show_more(shared: &Shared) {
    {
        let mut c = shared.borrow_mut();
        c.focus_card = Some(c.limit);
        c.limit += PAGE;
        c.stale = true;
    }
    refresh(shared);
}

/// Draws the list if the index is here; otherwise loads it, and the list is drawn when it arrives.
fn refresh(shared: &Shared) {
    if matches!(shared.borrow().index, Index::Ready(..)) {
        shared.borrow_mut().draw();
    } else {
        load(shared);
    }
}

/// Starts loading the index, once.
fn load(shared: &Shared) {
    {
        let mut c = shared.borrow_mut();
        if !matches!(c.index, Index::Idle) {
            return;
        }
        c.index = Index::Loading;
    }
    let shared = shared.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let build = meta("leap-build").unwrap_or_default();
        let loaded = fetch_text(&data_url(CATALOG_PATH, &build))
            .await
            .and_then(|text| decode_summaries(&text).map_err(|e| e.to_string()))
            .map(|scenarios| SiteIndex {
                title: String::new(),
                tagline: String::new(),
                build,
                scenarios,
                evaluators: Vec::new(),
            });
        let mut c = shared.borrow_mut();
        match loaded {
            Ok(index) => {
                // Read once, as the learner's storage stands now: the catalog changes nothing in it.
                let standings = standing::read_all(
                    &crate::storage::Backend::open(),
                    &index,
                    crate::clock::now(),
                    crate::clock::offset_minutes(),
                );
                c.index = Index::Ready(Rc::new(index), Rc::new(standings));
                if c.stale {
                    c.draw();
                }
            }
            Err(message) => {
                // The cards shown stay; the next interaction asks again.
                c.index = Index::Idle;
                if c.stale {
                    c.count.set_text_content(Some(&format!(
                        "The list of every scenario could not load, so these are not filtered. {message}"
                    )));
                }
            }
        }
    });
}

impl Catalog {
    fn show_toggle(&self) {
        if let Some(toggle) = &self.toggle {
            toggle.set_text_content(Some(&filters_toggle_label(&self.filters)));
        }
    }

    /// Draws the result count, the cards and the filter counts for the current filters.
    fn draw(&mut self) {
        let Index::Ready(index, standings) = &self.index else {
            return;
        };
        let (index, standings) = (index.clone(), standings.clone());
        let shown: Vec<&ScenarioSummary> = index
            .scenarios
            .iter()
            .filter(|s| self.filters.matches(s))
            .collect();
        self.count.set_text_content(Some(&count_label(shown.len())));
        self.show_toggle();
        // Everything after the count is the list: replaced whole, in one step.
        while let Some(next) = self.count.next_element_sibling() {
            next.remove();
        }
        let status = |s: &ScenarioSummary| {
            let key = format!("{}/{}", s.pack, s.slug);
            standings
                .iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, st)| st.text())
        };
        self.count
            .insert_adjacent_html("afterend", &catalog_list(&shown, self.limit, status))
            .ok();
        sync_counts(&self.form, &index, &self.filters);
        self.stale = false;
        if let Some(n) = self.focus_card.take() {
            if let Some(link) = self
                .count
                .parent_element()
                .and_then(|p| {
                    p.query_selector(&format!(".cards > li:nth-child({}) h2 a", n + 1))
                        .ok()
                        .flatten()
                })
                .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
            {
                // Keyboard and screen-reader users continue at the first card they had not seen.
                link.focus().ok();
            }
        }
    }
}

/// Adds the learner's status to the pre-rendered cards (what they did on each: only this browser
/// knows), read from storage for those cards alone: no index needed.
fn show_card_status(doc: &web_sys::Document) {
    let Ok(cards) = doc.query_selector_all(".cards > li.card[data-id]") else {
        return;
    };
    let mut found = Vec::new();
    for i in 0..cards.length() {
        let Some(card) = cards.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let (Some(id), Some(link)) = (
            card.get_attribute("data-id"),
            card.query_selector("h2 a").ok().flatten(),
        ) else {
            continue;
        };
        let href = link.get_attribute("href").unwrap_or_default();
        let mut parts = href
            .strip_prefix("scenarios/")
            .unwrap_or_default()
            .split('/');
        if let (Some(pack), Some(slug)) = (parts.next(), parts.next()) {
            found.push((card, pack.to_string(), id, slug.to_string()));
        }
    }
    if found.is_empty() {
        return;
    }
    let standings = standing::read_for(
        &crate::storage::Backend::open(),
        found
            .iter()
            .map(|(_, pack, id, slug)| (pack.as_str(), id.as_str(), slug.as_str())),
        crate::clock::now(),
        crate::clock::offset_minutes(),
    );
    for (card, pack, _, slug) in &found {
        let key = format!("{pack}/{slug}");
        let Some(text) = standings
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, st)| st.text())
        else {
            continue;
        };
        if let (Some(title), Ok(note)) = (
            card.query_selector("h2").ok().flatten(),
            doc.create_element("p"),
        ) {
            note.set_class_name("card-status");
            note.set_text_content(Some(&text));
            title.after_with_node_1(&note).ok();
        }
    }
}

/// Shows how many review cards are due in the header, on a fresh copy of its links swapped in for
/// the painted ones: the badge widens the Review link, and links that were on screen moving aside
/// would count as a layout shift, where links drawn anew do not (issue 11: CLS 0).
fn show_due_unmoved(doc: &web_sys::Document) {
    let n = due_now();
    if n == 0 {
        return;
    }
    if let Some(nav) = doc.query_selector(".site-header nav").ok().flatten() {
        // A link the learner already focused keeps its focus: then it simply moves.
        let focused = doc
            .active_element()
            .is_some_and(|el| nav.contains(Some(&el)));
        if !focused {
            if let Ok(fresh) = nav.clone_node_with_deep(true) {
                nav.replace_with_with_node_1(&fresh).ok();
            }
        }
    }
    show_due(n);
}

/// The skip link moves focus, not only the scroll, to the main content (what makes it useful to
/// keyboard users), and never reloads a catalog opened with a query.
fn focus_main_on_skip(doc: &web_sys::Document) {
    if let Some(skip) = doc.query_selector(".skip-link").ok().flatten() {
        listen(&skip, "click", |ev| {
            if let Some(main) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("main"))
                .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
            {
                ev.prevent_default();
                main.focus().ok();
                main.scroll_into_view();
            }
        });
    }
}

/// Adds a listener for the page's lifetime.
fn listen(target: &web_sys::EventTarget, event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let listener = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    target
        .add_event_listener_with_callback(event, listener.as_ref().unchecked_ref())
        .ok();
    listener.forget();
}

/// Whether an event's target is in an element matching `selector`.
fn target_within(ev: &web_sys::Event, selector: &str) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|el| el.closest(selector).ok().flatten())
        .is_some()
}

fn location_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Every change replaces the URL (no history entry per keystroke): filters are shareable and
/// survive a reload.
fn replace_url(filters: &Filters) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let query = filters.to_query();
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    if let Ok(history) = window.history() {
        history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
            .ok();
    }
}

/// The form's named controls and their values.
fn controls(form: &HtmlFormElement) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(list) = form.query_selector_all("[name]") {
        for i in 0..list.length() {
            let node = list.item(i);
            if let Some(input) = node
                .clone()
                .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                out.push((input.name(), input.value()));
            } else if let Some(select) =
                node.and_then(|n| n.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                out.push((select.name(), select.value()));
            }
        }
    }
    out
}

/// Rewrites each choice's count for the current filters (the static page counted with none), so
/// "Backend (3)" always means what picking it would show.
fn sync_counts(form: &HtmlFormElement, index: &SiteIndex, f: &Filters) {
    let o = filter_options(index, f);
    let label = |name: &str, slug: &str| -> Option<(&'static str, usize)> {
        match name {
            "track" => Track::from_slug(slug)
                .and_then(|t| o.tracks.iter().find(|(v, _)| *v == t))
                .map(|(t, n)| (t.label(), *n)),
            "level" => Level::from_slug(slug)
                .and_then(|l| o.levels.iter().find(|(v, _)| *v == l))
                .map(|(l, n)| (l.label(), *n)),
            "competency" => Competency::from_slug(slug)
                .and_then(|c| o.competencies.iter().find(|(v, _)| *v == c))
                .map(|(c, n)| (c.label(), *n)),
            _ => None,
        }
    };
    for name in ["track", "level", "competency"] {
        let Ok(options) = form.query_selector_all(&format!("[name=\"{name}\"] option")) else {
            continue;
        };
        for i in 0..options.length() {
            let Some(el) = options.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let slug = el.get_attribute("value").unwrap_or_default();
            if let Some((text, n)) = label(name, &slug) {
                let want = option_text(text, n);
                if el.text_content().as_deref() != Some(want.as_str()) {
                    el.set_text_content(Some(&want));
                }
            }
        }
    }
}

/// Sets each control to the filter's value, leaving alone any that already shows it (so typing
/// keeps its caret).
fn sync_controls(form: &HtmlFormElement, f: &Filters) {
    let wanted = [
        ("q", f.q.clone()),
        (
            "track",
            f.track.map(|t| t.slug().to_string()).unwrap_or_default(),
        ),
        (
            "level",
            f.level.map(|l| l.slug().to_string()).unwrap_or_default(),
        ),
        (
            "competency",
            f.competency
                .map(|c| c.slug().to_string())
                .unwrap_or_default(),
        ),
    ];
    for (name, value) in wanted {
        let Some(el) = form
            .query_selector(&format!("[name=\"{name}\"]"))
            .ok()
            .flatten()
        else {
            continue;
        };
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            if input.value().trim() != value {
                input.set_value(&value);
            }
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            if select.value() != value {
                select.set_value(&value);
            }
        }
    }
}
