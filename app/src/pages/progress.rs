//! The progress page: attempts by track and competency, scores over time, confidence against
//! results — and the learner's data: export, import, brag document, delete.
//!
//! Plain DOM, no view framework: the page is a report that changes only after an import or a
//! delete, and Leptos' runtime was about a quarter of the bundle a first visit downloads. Core
//! renders the HTML ([`leap_core::progress_page`]); this module reads the learner's data, puts
//! the HTML in place and answers the buttons.

use crate::clock::offset_minutes;
use crate::datafile::{ask, nothing_imported, Action};
use crate::files::read_chosen;
use crate::storage::{learner_data_ready, open_repo, SharedRepo};
use leap_core::progress::compute;
use leap_core::progress_page as html;
use leap_core::storage::export::apply;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// Starts the progress bundle: the page is the only one it serves, so once the learner's data is
/// in memory it takes over the pre-rendered placeholder in place, with no router and no site
/// index. The header, footer and title are already the static page's; the one thing it read from
/// the index, the site's title (exports are named after it), is the header's brand name.
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        // Attempts live in IndexedDB: every one is in memory before the page reads them.
        learner_data_ready().await;
        take_over();
    });
}

/// The page once it took over.
struct Page {
    repo: SharedRepo,
    /// The site's title, which exports carry.
    site: String,
    article: Element,
    /// How many of the article's first elements stay as they are when the report is redrawn (the
    /// heading and the warnings about this visit).
    fixed: u32,
}

/// Replaces the pre-rendered placeholder with the page in one task, so the browser never paints
/// the page without either, as `boot::mount_in_place` does for a Leptos view; sets the header's
/// due count as the shell does and marks `#app` ready.
fn take_over() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(placeholder) = doc
        .query_selector("#main > article.progress")
        .ok()
        .flatten()
    else {
        return;
    };
    let Ok(article) = doc.create_element("article") else {
        return;
    };
    let site = doc
        .query_selector(".site-header .brand-name")
        .ok()
        .flatten()
        .and_then(|n| n.text_content())
        .unwrap_or_default();
    let repo = open_repo();
    let persistent = repo.borrow().store().local.borrow().is_persistent();
    // Read first: reading sets unreadable entries aside, and the notice lists them.
    let report = report(&repo);
    let notices = std::mem::take(&mut repo.borrow_mut().notices);
    let mut head = "<h1>Your progress</h1>".to_string();
    let mut fixed = 1;
    if !persistent {
        head += html::NOT_PERSISTENT;
        fixed += 1;
    }
    if !notices.is_empty() {
        head += &html::set_aside(&notices);
        fixed += 1;
    }
    article.set_class_name("page progress");
    article.set_inner_html(&(head + &report + &html::your_data()));
    let page = Rc::new(Page {
        repo,
        site,
        article: article.clone(),
        fixed,
    });
    listen(&page);
    let _ = placeholder.replace_with_with_node_1(&article);
    crate::shell::show_due(crate::shell::due_now());
    if let Some(app) = doc.get_element_by_id("app") {
        app.set_attribute("data-ready", "").ok();
    }
}

/// The notice of entries kept aside and the report, from what is stored now.
fn report(repo: &SharedRepo) -> String {
    let records = repo.borrow_mut().all().unwrap_or_default();
    let aside = repo
        .borrow()
        .set_aside_entries()
        .map(|e| e.len())
        .unwrap_or(0);
    html::kept_aside(aside) + &html::report(&compute(&records), offset_minutes())
}

impl Page {
    fn section(&self) -> Option<Element> {
        self.article
            .query_selector(":scope > section.your-data")
            .ok()
            .flatten()
    }

    /// Redraws the report after the learner's data changed.
    fn refresh(&self) {
        let Some(section) = self.section() else {
            return;
        };
        let children = self.article.children();
        while let Some(old) = children.item(self.fixed).filter(|e| *e != section) {
            old.remove();
        }
        let _ = section.insert_adjacent_html("beforebegin", &report(&self.repo));
    }

    /// Shows the outcome of what the learner pressed, in place of the previous one.
    fn say(&self, ok: bool, text: &str) {
        let Some(section) = self.section() else {
            return;
        };
        if let Ok(Some(old)) = section.query_selector(":scope > p.notice") {
            old.remove();
        }
        let _ = section.insert_adjacent_html("beforeend", &html::outcome(ok, text));
    }

    /// Opens or closes the question before deleting everything.
    fn confirm_delete(&self, open: bool) {
        let Some(section) = self.section() else {
            return;
        };
        let find = |s: &str| section.query_selector(s).ok().flatten();
        if let Some(button) = find("[data-act=delete]") {
            let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
        }
        match (open, find(":scope > .confirm"), find(":scope > .actions")) {
            (true, None, Some(actions)) => {
                let _ = actions.insert_adjacent_html("afterend", html::CONFIRM_DELETE);
            }
            (false, Some(confirm), _) => confirm.remove(),
            _ => {}
        }
    }

    fn file_input(&self) -> Option<HtmlInputElement> {
        self.article
            .query_selector("input[type=file]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into().ok())
    }

    /// Export and the brag document run in the yourdata bundle, loaded when first pressed.
    fn download(self: &Rc<Self>, action: Action) {
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let store = me.repo.borrow().store().clone();
            let answer = ask(action, &me.site, &store).await;
            me.say(answer.ok, &answer.message);
        });
    }

    fn import(self: &Rc<Self>, input: HtmlInputElement) {
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let (ok, text) = match read_chosen(&input).await {
                None => return,
                Some(Err(e)) => (false, e),
                Some(Ok(text)) => {
                    // Planned in the yourdata bundle on a copy; written here, all or nothing.
                    let store = me.repo.borrow().store().clone();
                    let answer = ask(Action::Import, &text, &store).await;
                    if answer.ok {
                        let applied = apply(&mut me.repo.borrow_mut(), &answer.writes);
                        applied.map_or_else(
                            |e| (false, nothing_imported(&e.to_string())),
                            |()| (true, answer.message),
                        )
                    } else {
                        (false, answer.message)
                    }
                }
            };
            input.set_value("");
            me.say(ok, &text);
            me.refresh();
        });
    }

    fn delete_all(&self) {
        let result = self.repo.borrow_mut().clear().and_then(|()| {
            // The evaluator's settings and keys go too: "everything" means everything.
            let mut stores = crate::evaluator::prefs::Stores::open();
            leap_core::grading::config::forget_all(&mut stores.local, &mut stores.session, false)
        });
        self.confirm_delete(false);
        match result {
            Ok(()) => self.say(
                true,
                "Everything this site stored in this browser was deleted.",
            ),
            Err(e) => self.say(false, &format!("Could not delete: {e}.")),
        }
        self.refresh();
    }

    fn on_click(self: &Rc<Self>, target: Element) {
        let Some(button) = target.closest("button[data-act]").ok().flatten() else {
            return;
        };
        match button.get_attribute("data-act").as_deref() {
            Some("export") => self.download(Action::Export),
            Some("brag") => self.download(Action::Brag),
            Some("import") => {
                if let Some(input) = self.file_input() {
                    input.click();
                }
            }
            Some("delete") => {
                let open = button.get_attribute("aria-expanded").as_deref() == Some("true");
                self.confirm_delete(!open);
            }
            Some("delete-all") => self.delete_all(),
            Some("cancel") => self.confirm_delete(false),
            _ => {}
        }
    }
}

/// One click handler for every button (they are redrawn), one for the chosen file.
fn listen(page: &Rc<Page>) {
    let me = page.clone();
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) {
            me.on_click(target);
        }
    });
    let _ = page
        .article
        .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    let Some(input) = page.file_input() else {
        return;
    };
    let me = page.clone();
    let on_change = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            me.import(input);
        }
    });
    let _ = input.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    on_change.forget();
}
