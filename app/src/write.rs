//! A scenario page's own bundle (issue 11): what a learner needs before the commit, and no
//! more. The page arrives with the editor's form and its early script, which keeps what is typed
//! from the first paint; this bundle adopts that form without re-rendering it and makes the
//! commit (or the give-up) from it, by `leap_core::handover`'s rules. Everything else of the
//! practice loop — the rubric and self-review, history, timed mode, comparisons, the evaluator,
//! the preview, an investigation's evidence column and its commit — is the `practice` bundle:
//! loaded at the learner's first interaction with the page, or at once when they ask for one of
//! those, come back to a scenario they already finished, or open an investigation. It takes the
//! page over like any pre-rendered page, and this bundle hands it what the learner asked for on
//! the way.

use crate::clock::{now, random_id};
use crate::practice::early::{page_form, read_form};
use crate::storage::{bulk, open_learner_data, open_repo, SharedRepo};
use leap_core::handover::{
    could_not_commit, finish_from_page, FromPage, Intent, NotFinished, Opens,
};
use leap_core::routes::{Route, PRACTICE_GLOBAL};
use leap_core::storage::keys::Key;
use leap_core::storage::schema::{Outcome, ScenarioRef};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The learner's first interactions with the page: any of them brings the full loop.
const INTERACTIONS: [&str; 5] = ["pointerdown", "keydown", "touchstart", "wheel", "scroll"];

/// The event that tells the page's early script the form was emptied (`core/src/site/early.js`).
const CLEARED: &str = "leap-cleared";

/// The page this bundle runs.
struct Page {
    section: web_sys::Element,
    pack: String,
    scenario: String,
    meta: ScenarioRef,
    /// An investigation: its evidence column and its commit are the full loop's.
    investigation: bool,
    opened_at: u64,
    /// IndexedDB opening (and attempts moving there), started at once; a commit waits for it.
    learner_data: js_sys::Promise,
    /// The learner's data, opened once it is all in one place (see [`Page::repo`]).
    repo: RefCell<Option<SharedRepo>>,
    intent: RefCell<Intent>,
    loading: Cell<bool>,
    /// The full loop took the page over: this form is no longer the learner's.
    stopped: Cell<bool>,
    /// A commit or give-up is being made (a second click waits for it).
    finishing: Cell<bool>,
    /// The attempt on this form is finished: what is left to ask for is the full loop's rubric.
    finished: Cell<bool>,
    /// The draft stored when the page opened (its id), to notice another tab committing it.
    seen_draft: Option<String>,
}

/// Starts the bundle on the current page.
pub fn start() {
    let Some(section) = page_form() else {
        // No form to write in (an old page, a changed template): the full loop serves it.
        load_full_loop_now();
        return;
    };
    let key = section.get_attribute("data-early").unwrap_or_default();
    let Some(Key::Early { pack, scenario }) = Key::parse(&key) else {
        load_full_loop_now();
        return;
    };
    // What an attempt records of its scenario: without it the full loop, which has the index,
    // makes the commit.
    let Some(meta) = section
        .get_attribute("data-ref")
        .and_then(|r| serde_json::from_str::<ScenarioRef>(&r).ok())
    else {
        load_full_loop_now();
        return;
    };
    let investigation = section.has_attribute("data-investigation");
    // Drafts live in localStorage, readable at once; nothing unreadable is set aside here (the
    // full loop does that, and tells the learner).
    let seen_draft = open_repo()
        .borrow()
        .peek_draft(&pack, &scenario)
        .map(|d| d.id);
    let page = Rc::new(Page {
        section,
        pack,
        scenario,
        meta,
        investigation,
        opened_at: now(),
        learner_data: open_learner_data(),
        repo: RefCell::new(None),
        intent: RefCell::new(Intent::default()),
        loading: Cell::new(false),
        stopped: Cell::new(false),
        finishing: Cell::new(false),
        finished: Cell::new(false),
        seen_draft,
    });
    let on_stop = page.clone();
    crate::boot::leave_for_next_app(move || {
        on_stop.stopped.set(true);
        bulk::close();
        on_stop.intent.borrow().encode()
    });
    listen(&page);
    // An investigation is worked in its evidence column, which the full loop draws: it comes now,
    // while the learner reads the briefing (and can write already).
    // So does a learner who already did something with the page before this bundle started
    // (the page's early script marks it).
    if investigation || page.section.has_attribute("data-interacted") {
        page.load_full_loop();
    }
    // A learner back at a scenario they finished, with no draft, sees their last attempt: that
    // is the full loop's view, so it comes now.
    let returning = page.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let repo = returning.repo().await;
        let repo = repo.borrow();
        let (pack, scenario) = (&returning.pack, &returning.scenario);
        if repo.peek_draft(pack, scenario).is_none()
            && repo.has_attempts(pack, scenario).unwrap_or(false)
        {
            returning.load_full_loop();
        }
    });
    page.section.set_attribute("data-write", "ready").ok();
}

fn listen(page: &Rc<Page>) {
    let button = |selector: &str| page.section.query_selector(selector).ok().flatten();
    if let Some(commit) = button(".editor .actions .primary") {
        let p = page.clone();
        on(&commit, "click", move |_| {
            p.clone().finish(Outcome::Committed)
        });
    }
    if let Some(give_up) = button(".editor .actions .secondary") {
        let p = page.clone();
        on(&give_up, "click", move |_| {
            if p.finished.get() {
                return;
            }
            // Its confirmation is the full loop's: giving up ends the attempt.
            p.intent.borrow_mut().give_up = true;
            p.say("Opening the confirmation…");
            p.load_full_loop();
        });
    }
    if let Some(preview) = button(".editor-bar input[type=checkbox]") {
        let p = page.clone();
        on(&preview, "change", move |ev| {
            let on = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            if p.finished.get() {
                return;
            }
            p.intent.borrow_mut().preview = on;
            if on {
                p.say("Loading the preview…");
                p.load_full_loop();
            }
        });
    }
    // Every interaction asks; only the first that finds nothing loading sends (one after a
    // failed load tries again).
    let Some(window) = web_sys::window() else {
        return;
    };
    let options = web_sys::AddEventListenerOptions::new();
    options.set_passive(true);
    for name in INTERACTIONS {
        let p = page.clone();
        let listener = Closure::<dyn Fn()>::new(move || p.load_full_loop());
        window
            .add_event_listener_with_callback_and_add_event_listener_options(
                name,
                listener.as_ref().unchecked_ref(),
                &options,
            )
            .ok();
        listener.forget();
    }
}

/// Adds a listener for the page's life: the full loop replaces these elements.
fn on(el: &web_sys::Element, name: &str, f: impl Fn(web_sys::Event) + 'static) {
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(f);
    el.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
        .ok();
    listener.forget();
}

impl Page {
    /// The learner's data, once IndexedDB holds all of it: opened the first time and kept, so
    /// every read and write of the page goes to one store (a memory one, where the browser
    /// refuses storage, is then one too).
    async fn repo(&self) -> SharedRepo {
        let _ = wasm_bindgen_futures::JsFuture::from(self.learner_data.clone()).await;
        self.repo.borrow_mut().get_or_insert_with(open_repo).clone()
    }

    /// Commits (or gives up) the attempt on the form, then opens its rubric in the full loop.
    fn finish(self: Rc<Self>, outcome: Outcome) {
        // A second click while the first is being stored (or after it) finds nothing to do.
        if self.finished.get() || self.finishing.replace(true) {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let repo = self.repo().await;
            // Taken over meanwhile: the text is the full loop's draft now, committed from there.
            if self.stopped.get() {
                return;
            }
            let answer = read_form(&self.section).answer;
            let persistent = repo.borrow().store().local.borrow().is_persistent();
            let result = finish_from_page(
                &mut repo.borrow_mut(),
                FromPage {
                    pack: &self.pack,
                    scenario: &self.scenario,
                    meta: self.meta.clone(),
                    answer,
                    outcome,
                    opened_at: self.opened_at,
                    now: now(),
                    fresh_id: random_id(),
                    investigation: self.investigation,
                    persistent,
                    seen_draft: self.seen_draft.clone(),
                },
            );
            // What the reads set aside is the learner's to hear of, in the full loop.
            let notices = std::mem::take(&mut repo.borrow_mut().notices);
            self.intent.borrow_mut().notices.extend(notices);
            self.finishing.set(false);
            match result {
                Ok(attempt) => self.open_rubric(
                    attempt.id,
                    "Committed. Opening the rubric…",
                    "Committed. The rubric follows: mark each criterion.",
                ),
                Err(NotFinished::FinishedElsewhere(id)) => self.open_rubric(
                    id,
                    "Committed in another tab. Opening its rubric…",
                    "This attempt was committed in another tab. Its rubric follows.",
                ),
                Err(NotFinished::Incomplete(problem)) => self.problem(Some(&problem)),
                Err(NotFinished::ShowStoredFirst) => {
                    let message = "Your saved draft holds text this page did not show. It is in the editor now, merged with what you typed: check it, then commit.";
                    self.problem(Some(message));
                    self.intent.borrow_mut().follow = Some(("reasoning".into(), message.into()));
                    self.load_full_loop();
                }
                Err(NotFinished::Investigation) => {
                    self.problem(Some("The investigation is still loading: commit once it is here, where its clock stops. Your text is kept."));
                    self.load_full_loop();
                }
                Err(NotFinished::NotKept) => {
                    self.problem(Some("This browser keeps nothing the site writes (its storage is refused), so the practice loop is opening to keep your attempt for this visit. Your text is kept."));
                    self.load_full_loop();
                }
                Err(NotFinished::Store(e)) => self.problem(Some(&could_not_commit(&e))),
            }
        });
    }

    /// The attempt `id` is finished: the form is emptied, `status` says so, and its rubric opens
    /// in the full loop, focus and `message` going with it.
    fn open_rubric(self: &Rc<Self>, id: String, status: &str, message: &str) {
        self.finished.set(true);
        // The text is the attempt's now: the full loop must not take it for a draft.
        self.clear_form();
        self.problem(None);
        let mut intent = self.intent.borrow_mut();
        intent.opens = Opens::Review(id);
        intent.give_up = false;
        intent.preview = false;
        intent.follow = Some(("rubric".into(), message.into()));
        drop(intent);
        self.say(status);
        self.load_full_loop();
    }

    /// Loads the full loop, once; it takes the page over when it is ready. The attempts this page
    /// wrote reach IndexedDB first, where the full loop reads them.
    fn load_full_loop(self: &Rc<Self>) {
        if self.loading.replace(true) {
            return;
        }
        // The full loop starts from the site index and the scenario's body: they download beside
        // its code, not after it (the page left them out, as writing needs neither).
        preload_full_loop_data();
        let page = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            bulk::settled().await;
            if load().await.is_err() {
                page.loading.set(false);
                page.say("The rest of the practice loop could not load: your text is kept here, and Commit still works. It is tried again at your next click or key.");
            }
        });
    }

    /// Says something in the form's status line (where the save state is).
    fn say(&self, text: &str) {
        if let Some(status) = self.section.query_selector(".save-state").ok().flatten() {
            status.set_text_content(Some(text));
        }
    }

    /// Shows why the commit did not happen, above the buttons (or removes it).
    fn problem(&self, text: Option<&str>) {
        let existing = self
            .section
            .query_selector(".editor > .form-error")
            .ok()
            .flatten();
        match (text, existing) {
            (None, Some(el)) => el.remove(),
            (None, None) => {}
            (Some(text), Some(el)) => el.set_text_content(Some(text)),
            (Some(text), None) => {
                let doc = leptos::prelude::document();
                let Ok(p) = doc.create_element("p") else {
                    return;
                };
                p.set_class_name("form-error");
                p.set_attribute("role", "alert").ok();
                p.set_text_content(Some(text));
                if let Some(actions) = self
                    .section
                    .query_selector(".editor > .actions")
                    .ok()
                    .flatten()
                {
                    actions.before_with_node_1(&p).ok();
                }
            }
        }
    }

    /// Empties the form and the word counts, and unsets the confidence.
    fn clear_form(&self) {
        for (id, ..) in leap_core::markup::EDITOR_FIELDS {
            if let Some(t) = self
                .section
                .query_selector(&format!("#{id}"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                t.set_value("");
            }
            if let Some(count) = self
                .section
                .query_selector(&format!("#{id}-count"))
                .ok()
                .flatten()
            {
                count.set_text_content(Some(&leap_core::markup::words_label(0)));
            }
        }
        if let Some(range) = self.section.query_selector("#confidence").ok().flatten() {
            range.class_list().add_1("unset").ok();
            range.set_attribute("aria-valuetext", "not set").ok();
        }
        if let Some(out) = self
            .section
            .query_selector(".confidence output")
            .ok()
            .flatten()
        {
            out.set_text_content(Some("not set"));
        }
        // The page's early script keeps the confidence it last showed: it forgets it too.
        if let Ok(cleared) = web_sys::Event::new(CLEARED) {
            self.section.dispatch_event(&cleared).ok();
        }
    }
}

/// Preloads what the full loop fetches first, as the pages it serves from the start do: the same
/// URLs and mode as its requests, so each is downloaded once.
fn preload_full_loop_data() {
    let doc = leptos::prelude::document();
    let build = crate::site::meta("leap-build").unwrap_or_default();
    let base = crate::site::router_base(&doc.base_uri().ok().flatten().unwrap_or_default());
    let path = leptos::prelude::window()
        .location()
        .pathname()
        .unwrap_or_default();
    let mut paths = vec![leap_core::routes::INDEX_PATH.to_string()];
    if let Route::Scenario { pack, slug } = Route::parse(path.strip_prefix(&base).unwrap_or(&path))
    {
        paths.push(leap_core::routes::body_path(&pack, &slug));
    }
    let Some(head) = doc.head() else { return };
    for path in paths {
        let href = format!("{path}?v={build}");
        // An investigation's page preloads them with its HTML already.
        let selector = format!("link[rel=preload][href=\"{href}\"]");
        if doc.query_selector(&selector).ok().flatten().is_some() {
            continue;
        }
        let Ok(link) = doc.create_element("link") else {
            continue;
        };
        for (name, value) in [
            ("rel", "preload"),
            ("as", "fetch"),
            ("crossorigin", "anonymous"),
            ("href", &href),
        ] {
            link.set_attribute(name, value).ok();
        }
        head.append_child(&link).ok();
    }
}

/// A page without a form: the full loop at once.
fn load_full_loop_now() {
    wasm_bindgen_futures::spawn_local(async {
        let _ = load().await;
    });
}

/// Calls the page's loader of the full loop (`window.leapPractice`).
async fn load() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let loader: js_sys::Function =
        js_sys::Reflect::get(&window, &JsValue::from_str(PRACTICE_GLOBAL))?.dyn_into()?;
    let promise: js_sys::Promise = loader.call0(&JsValue::UNDEFINED)?.dyn_into()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
}
