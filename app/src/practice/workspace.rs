//! One scenario's practice state in the page: the draft being written, the attempts already
//! finished, and how both reach storage. Autosave is debounced while typing and immediate when the
//! tab is hidden or closed; another tab's changes arrive through the `storage` event and are
//! adopted, or reported as a conflict when this tab has unsaved text of its own.
//!
//! On an investigation the draft also carries the session's log (probes run, injects arrived,
//! hypotheses, questions to the room): every step of the investigation is saved at once, so a
//! reload resumes it exactly, and committing freezes the log with the answer.

use crate::clock::{now, offset_minutes, random_id};
use crate::shell::show_due;
use crate::storage::{open_repo, SharedRepo};
use leap_core::baked::{Investigation, ScenarioSummary};
use leap_core::drills::Source;
use leap_core::session::{Session, SessionError, SessionLog};
use leap_core::storage::early;
use leap_core::storage::keys::{scenario_prefix, Key};
use leap_core::storage::kv::{KeyValue, StoreError};
use leap_core::storage::migrate::{decode, Decoded};
use leap_core::storage::repo::{Notice, Saved};
use leap_core::storage::schema::{Answer, Attempt, Draft, Outcome, ScenarioRef, VERSION};
use leap_core::timebox::TimeBox;
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How long typing must pause before the draft is saved.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(400);

/// Where the draft stands with storage.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Nothing written yet.
    Empty,
    /// Everything on screen is stored (as of this time).
    Saved(u64),
    /// Typed but not stored yet.
    Unsaved,
    /// The last save failed; the text stays on screen.
    Failed(StoreError),
    /// Another tab saved newer text; nothing was overwritten.
    Conflict(Box<Draft>),
    /// Another tab committed or discarded this attempt while this tab had unsaved text.
    Gone,
}

/// What the practice section shows.
#[derive(Clone, Debug, PartialEq)]
pub enum View {
    /// Writing the current draft.
    Editing,
    /// A finished attempt with the rubric.
    Review(String),
    /// Two attempts side by side.
    Compare(String, String),
}

/// The three text fields and the confidence, each its own signal so typing in one does not
/// re-render the others.
#[derive(Clone, Copy)]
pub struct Fields {
    /// Reasoning.
    pub reasoning: RwSignal<String>,
    /// Uncertainty.
    pub uncertainty: RwSignal<String>,
    /// Commitment.
    pub commitment: RwSignal<String>,
    /// Confidence, 0–100.
    pub confidence: RwSignal<Option<u8>>,
    /// Bumped when the text changes from outside the editor (another tab, "try again"), so the
    /// text areas are rewritten only then and never under the learner's caret.
    pub replaced: RwSignal<u64>,
}

impl Fields {
    fn new() -> Self {
        Fields {
            reasoning: RwSignal::new(String::new()),
            uncertainty: RwSignal::new(String::new()),
            commitment: RwSignal::new(String::new()),
            confidence: RwSignal::new(None),
            replaced: RwSignal::new(0),
        }
    }

    /// The answer as it is on screen.
    pub fn answer(&self) -> Answer {
        Answer {
            reasoning: self.reasoning.get_untracked(),
            uncertainty: self.uncertainty.get_untracked(),
            commitment: self.commitment.get_untracked(),
            confidence: self.confidence.get_untracked(),
        }
    }

    /// Replaces what is on screen.
    pub fn replace(&self, a: Answer) {
        self.reasoning.set(a.reasoning);
        self.uncertainty.set(a.uncertainty);
        self.commitment.set(a.commitment);
        self.confidence.set(a.confidence);
        self.replaced.update(|n| *n += 1);
    }
}

/// The practice state of one scenario page.
#[derive(Clone, Copy)]
pub struct Workspace {
    /// The pack id.
    pub pack: StoredValue<String>,
    /// The scenario's id (storage key) and slug (URL).
    pub scenario: StoredValue<(String, String)>,
    /// The scenario as attempts record it.
    meta: StoredValue<ScenarioRef>,
    /// The learner's stored data.
    pub repo: StoredValue<SharedRepo, LocalStorage>,
    /// What is on screen in the editor.
    pub fields: Fields,
    /// Finished attempts, oldest first.
    pub attempts: RwSignal<Vec<Attempt>>,
    /// Storage state of the draft.
    pub status: RwSignal<Status>,
    /// What the section shows.
    pub view: RwSignal<View>,
    /// This tab's text, kept visible after the learner chose another tab's version.
    pub stash: RwSignal<Option<Answer>>,
    /// Things to tell the learner about their stored data.
    pub notices: RwSignal<Vec<Notice>>,
    /// Whether storage survives this tab.
    pub persistent: bool,
    /// Whether the scenario is an investigation.
    pub investigation: bool,
    /// The investigation's log as it stands in the draft (empty until the first step).
    pub log: RwSignal<SessionLog>,
    /// The investigation's hidden parts, once loaded: committing needs them to stop the clock.
    pub hidden: StoredValue<Option<Arc<Investigation>>>,
    /// The draft's countdown, when the learner chose timed mode.
    pub timebox: RwSignal<Option<TimeBox>>,
    /// What a review card made from this scenario shows, once the page has its body.
    card_source: StoredValue<Option<CardSource>>,
    draft: StoredValue<DraftState>,
    timers: StoredValue<Timers, LocalStorage>,
    tab: StoredValue<String>,
    /// Whether the page began with the pre-rendered editor, whose text typed before take-over
    /// may still be stored on its own (see `forget_early_if_held`).
    early: StoredValue<bool>,
}

/// A scenario's details as its review cards show them, owned by the page.
#[derive(Clone, Debug)]
pub struct CardSource {
    /// Pack.
    pub pack: String,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// The situation's Markdown.
    pub situation: String,
    /// The first artifact's title and anchor.
    pub artifact: Option<(String, String)>,
}

impl CardSource {
    fn source(&self) -> Source<'_> {
        Source {
            pack: &self.pack,
            slug: &self.slug,
            title: &self.title,
            situation: &self.situation,
            artifact: self.artifact.as_ref().map(|(t, _)| t.as_str()),
            artifact_anchor: self.artifact.as_ref().map(|(_, a)| a.as_str()),
        }
    }
}

/// The identity of the draft on screen.
#[derive(Clone)]
struct DraftState {
    id: String,
    started_at: u64,
    /// The stored revision the screen is based on (0: never stored).
    rev: u64,
    dirty: bool,
}

#[derive(Default)]
struct Timers {
    draft: Option<TimeoutHandle>,
}

impl DraftState {
    fn fresh() -> Self {
        DraftState {
            id: random_id(),
            started_at: now(),
            rev: 0,
            dirty: false,
        }
    }
}

impl Workspace {
    /// Opens the practice state of a scenario from storage.
    /// `on_page` is what the learner typed into the pre-rendered editor before the app took over.
    pub fn open(summary: &ScenarioSummary, on_page: Option<&Answer>) -> Workspace {
        let repo = open_repo();
        let persistent = repo.borrow().store().local.borrow().is_persistent();
        let state = repo.borrow_mut().scenario(&summary.pack, &summary.id);
        let notices = std::mem::take(&mut repo.borrow_mut().notices);
        let ws = Workspace {
            pack: StoredValue::new(summary.pack.clone()),
            scenario: StoredValue::new((summary.id.clone(), summary.slug.clone())),
            meta: StoredValue::new(ScenarioRef::from(summary)),
            repo: StoredValue::new_local(repo),
            fields: Fields::new(),
            attempts: RwSignal::new(Vec::new()),
            status: RwSignal::new(Status::Empty),
            view: RwSignal::new(View::Editing),
            stash: RwSignal::new(None),
            notices: RwSignal::new(notices),
            persistent,
            investigation: summary.investigation,
            log: RwSignal::new(SessionLog::default()),
            hidden: StoredValue::new(None),
            timebox: RwSignal::new(None),
            card_source: StoredValue::new(None),
            draft: StoredValue::new(DraftState::fresh()),
            timers: StoredValue::new_local(Timers::default()),
            tab: StoredValue::new(random_id()),
            early: StoredValue::new(false),
        };
        match state {
            Ok(state) => {
                let last = state.attempts.last().map(|a| a.id.clone());
                ws.attempts.set(state.attempts);
                if let Some(d) = state.draft {
                    ws.adopt(d);
                } else if let Some(id) = last {
                    ws.view.set(View::Review(id));
                }
            }
            Err(e) => ws.status.set(Status::Failed(e)),
        }
        ws.adopt_early(on_page);
        ws.listen();
        ws
    }

    /// Merges what was typed before the app took over — kept in storage by the page's script,
    /// perhaps on a visit that ended before the app arrived, and what is on the page now — into
    /// the draft on screen by core's rule (nothing is dropped), saves it, and removes the early
    /// entry once the draft holding it is stored.
    fn adopt_early(&self, on_page: Option<&Answer>) {
        let (pack, (id, _)) = (self.pack.get_value(), self.scenario.get_value());
        let stored = self
            .repo
            .with_value(|r| r.borrow_mut().early(&pack, &id))
            .ok()
            .flatten();
        let set_aside = self
            .repo
            .with_value(|r| std::mem::take(&mut r.borrow_mut().notices));
        if !set_aside.is_empty() {
            self.notices.update(|n| n.extend(set_aside));
        }
        if on_page.is_none() && stored.is_none() {
            return;
        }
        self.early.set_value(true);
        if let Some(typed) = early::typed_before_take_over(stored.as_ref(), on_page) {
            let on_screen = self.fields.answer();
            let merged = early::merge(&on_screen, &typed).answer;
            if merged != on_screen {
                self.fields.replace(merged);
                self.draft.update_value(|d| d.dirty = true);
                self.status.set(Status::Unsaved);
                self.view.set(View::Editing);
                self.save_now();
                return;
            }
        }
        if matches!(
            self.status.get_untracked(),
            Status::Saved(_) | Status::Empty
        ) {
            self.forget_early_if_held();
        }
    }

    /// Removes the entry of text typed before take-over once what is stored holds all of it. Done
    /// after every save, not once: an entry that could not be removed before, or one written
    /// meanwhile by this scenario's page in another tab still waiting for its app, goes as soon
    /// as the draft holds it. One that is never held is merged on the next visit instead.
    fn forget_early_if_held(&self) {
        if !self.early.get_value() {
            return;
        }
        let (pack, (id, _)) = (self.pack.get_value(), self.scenario.get_value());
        let on_screen = self.fields.answer();
        self.repo.with_value(|r| {
            let mut r = r.borrow_mut();
            if let Ok(Some(e)) = r.early(&pack, &id) {
                if early::merge(&on_screen, &e.answer).answer == on_screen {
                    let key = Key::Early {
                        pack: pack.clone(),
                        scenario: id.clone(),
                    };
                    let _ = r.remove(&key.render());
                }
            }
        });
    }

    fn keys(&self) -> (String, String) {
        let (pack, (id, _)) = (self.pack.get_value(), self.scenario.get_value());
        (
            Key::Draft {
                pack: pack.clone(),
                scenario: id.clone(),
            }
            .render(),
            scenario_prefix(&pack, &id),
        )
    }

    /// Puts a stored draft on screen.
    fn adopt(&self, d: Draft) {
        self.draft.set_value(DraftState {
            id: d.id,
            started_at: d.started_at,
            rev: d.rev,
            dirty: false,
        });
        self.fields.replace(d.answer);
        self.log.set(d.log.unwrap_or_default());
        self.timebox.set(d.timebox);
        self.status.set(Status::Saved(d.updated_at));
        self.view.set(View::Editing);
    }

    /// Records an edit made in the editor and schedules a save.
    pub fn edited(&self) {
        if self.draft.try_update_value(|d| d.dirty = true).is_none() {
            // The section is gone (the learner left the page): nothing is on screen to save.
            return;
        }
        self.show_unsaved();
        let ws = *self;
        let handle = set_timeout_with_handle(move || ws.save_now(), AUTOSAVE_DELAY).ok();
        self.timers.update_value(|t| {
            if let Some(old) = std::mem::replace(&mut t.draft, handle) {
                old.clear();
            }
        });
    }

    /// Says the draft has unsaved changes, unless a conflict, a removal in another tab or a full
    /// store is what the learner must see first.
    fn show_unsaved(&self) {
        if !matches!(
            self.status.get_untracked(),
            Status::Conflict(_) | Status::Gone | Status::Failed(StoreError::Full)
        ) {
            self.status.set(Status::Unsaved);
        }
    }

    /// Saves the draft now if it has unsaved changes (and never over another tab's newer text).
    pub fn save_now(&self) {
        self.timers.update_value(|t| {
            if let Some(old) = t.draft.take() {
                old.clear();
            }
        });
        // A save scheduled before the section went away (the autosave timer, a late page event)
        // finds nothing left: what was on screen was saved when it went (see `listen`).
        let Some(state) = self.draft.try_get_value() else {
            return;
        };
        if !state.dirty
            || matches!(
                self.status.get_untracked(),
                Status::Conflict(_) | Status::Gone
            )
        {
            return;
        }
        let answer = self.fields.answer();
        let log_empty = self.log.with_untracked(|l| l.events.is_empty());
        let untimed = self.timebox.get_untracked().is_none();
        if answer.is_empty() && log_empty && untimed && state.rev == 0 {
            self.draft.update_value(|d| d.dirty = false);
            self.status.set(Status::Empty);
            return;
        }
        let draft = self.make_draft(&state, answer);
        let (pack, (id, _)) = (self.pack.get_value(), self.scenario.get_value());
        let result = self
            .repo
            .with_value(|r| r.borrow_mut().save_draft(&pack, &id, &draft, state.rev));
        match result {
            Ok(Saved::Saved(rev)) => {
                self.draft.update_value(|d| {
                    d.rev = rev;
                    d.dirty = false;
                });
                self.status.set(Status::Saved(draft.updated_at));
                self.forget_early_if_held();
            }
            Ok(Saved::Conflict(theirs)) => self.status.set(Status::Conflict(theirs)),
            Ok(Saved::Gone) => self.status.set(Status::Gone),
            Err(e) => self.status.set(Status::Failed(e)),
        }
    }

    fn make_draft(&self, state: &DraftState, answer: Answer) -> Draft {
        Draft {
            v: VERSION,
            id: state.id.clone(),
            scenario: self.meta.get_value(),
            answer,
            started_at: state.started_at,
            updated_at: now(),
            rev: state.rev,
            writer: self.tab.get_value(),
            log: self
                .investigation
                .then(|| self.log.get_untracked())
                .filter(|l| !l.events.is_empty()),
            timebox: self.timebox.get_untracked(),
        }
    }

    /// Starts timed mode: the scenario's minutes as a countdown from now, stored with the draft
    /// at once so a reload finds it running (see `leap_core::timebox` for the rules).
    pub fn start_timebox(&self, minutes: u32) -> Result<(), String> {
        if self.timebox.get_untracked().is_some() {
            return Ok(());
        }
        let b = TimeBox::start(minutes, now()).map_err(|e| e.to_string())?;
        self.timebox.set(Some(b));
        self.draft.update_value(|d| d.dirty = true);
        self.show_unsaved();
        self.save_now();
        Ok(())
    }

    /// Tells the workspace what a review card from this scenario shows (its body has loaded).
    pub fn set_card_source(&self, source: CardSource) {
        self.card_source.set_value(Some(source));
    }

    /// Makes the review cards of an attempt whose grading or self-review just completed it, by
    /// core's rule (`Queue::make_cards`), and updates the header's count at once.
    fn make_cards(&self, id: &str) {
        let (Some(src), Some(attempt)) = (
            self.card_source.get_value(),
            self.attempts
                .with_untracked(|l| l.iter().find(|a| a.id == id).cloned()),
        ) else {
            return;
        };
        let result = self.repo.with_value(|r| {
            let mut r = r.borrow_mut();
            // Read afresh: another tab or the review page may have changed the queue.
            let mut q = r.queue()?;
            let before = q.made_from.len();
            q.make_cards(&attempt, src.source(), now());
            if q.made_from.len() != before {
                r.save_queue(&q)?;
            }
            Ok::<_, StoreError>(q)
        });
        // A queue that cannot be saved now is caught up by the next page's sync.
        if let Ok(q) = result {
            show_due(q.due(now(), offset_minutes()).len());
        }
    }

    /// One step of the investigation (a probe run, a wait, a hypothesis, a question to the room)
    /// on the draft's log, saved at once: each is a single action the learner expects to find
    /// again after a reload. Nothing changes when the session refuses the step.
    pub fn step<'a, R>(
        &self,
        inv: &'a Investigation,
        act: impl FnOnce(&mut Session<'a>) -> Result<R, SessionError>,
    ) -> Result<R, SessionError> {
        let mut session = Session::resume(inv, self.log.get_untracked());
        let result = act(&mut session)?;
        self.log.set(session.into_log());
        self.draft.update_value(|d| d.dirty = true);
        self.show_unsaved();
        self.save_now();
        Ok(result)
    }

    /// The draft as it is on screen, stored or not (for an export when storage is full).
    pub fn screen_draft(&self) -> Draft {
        self.make_draft(&self.draft.get_value(), self.fields.answer())
    }

    /// Ends the draft: commits it, or gives it up to see the rubric.
    pub fn finish(&self, outcome: Outcome) -> Result<(), String> {
        self.save_now();
        if let Status::Conflict(_) | Status::Gone = self.status.get_untracked() {
            return Err("Resolve the change made in another tab first (see above).".into());
        }
        let state = self.draft.get_value();
        let mut draft = self.make_draft(&state, self.fields.answer());
        if self.investigation && outcome == Outcome::Committed {
            // The clock stops at the commit: the log says when the learner acted.
            let Some(inv) = self.hidden.get_value() else {
                return Err("The investigation has not loaded yet, so its clock cannot be stopped. Wait for it, or reload the page; your text is saved.".into());
            };
            let mut session = Session::resume(&inv, self.log.get_untracked());
            if !session.is_committed() {
                session.commit().map_err(|e| e.to_string())?;
            }
            draft.log = Some(session.into_log());
        }
        let (pack, (id, _)) = (self.pack.get_value(), self.scenario.get_value());
        let result = self
            .repo
            .with_value(|r| r.borrow_mut().finish(&pack, &id, &draft, outcome, now()));
        match result {
            Ok(mut attempt) => {
                let attempt_id = attempt.id.clone();
                // The probes' labels go with the attempt, for the progress page and the brag line.
                let labelled = self
                    .hidden
                    .get_value()
                    .is_some_and(|inv| attempt.see_investigation(&inv));
                self.attempts.update(|a| a.push(attempt));
                if labelled {
                    self.save_attempt(&attempt_id);
                }
                self.start_fresh();
                self.view.set(View::Review(attempt_id));
                Ok(())
            }
            Err(e) => {
                if e == StoreError::Full {
                    self.status.set(Status::Failed(StoreError::Full));
                }
                Err(leap_core::handover::could_not_commit(&e))
            }
        }
    }

    /// Starts a new, empty attempt.
    pub fn start_fresh(&self) {
        self.draft.set_value(DraftState::fresh());
        self.fields.replace(Answer::default());
        self.log.set(SessionLog::default());
        self.timebox.set(None);
        self.status.set(Status::Empty);
        self.stash.set(None);
    }

    /// "Try again": a new attempt in the editor.
    pub fn try_again(&self) {
        self.start_fresh();
        self.view.set(View::Editing);
    }

    /// After a conflict: take the other tab's text (this tab's stays visible to copy from), or keep
    /// this tab's and save it over theirs — the learner's explicit choice either way.
    pub fn resolve(&self, keep_mine: bool) {
        let Status::Conflict(theirs) = self.status.get_untracked() else {
            return;
        };
        if keep_mine {
            self.draft.update_value(|d| {
                d.rev = theirs.rev;
                d.dirty = true;
            });
            self.status.set(Status::Unsaved);
            self.save_now();
        } else {
            self.stash.set(Some(self.fields.answer()));
            self.adopt(*theirs);
        }
    }

    /// After the attempt was finished in another tab: carry this tab's text into a new attempt.
    pub fn continue_as_new(&self) {
        let answer = self.fields.answer();
        self.draft.set_value(DraftState {
            dirty: true,
            ..DraftState::fresh()
        });
        self.status.set(Status::Unsaved);
        self.fields.replace(answer);
        self.save_now();
    }

    /// Changes a finished attempt (self-review, rubric snapshot) and saves it at once: these are
    /// single clicks and short texts, and the next page (progress) reads them straight away.
    pub fn change_attempt(&self, id: &str, change: impl FnOnce(&mut Attempt)) {
        self.attempts.update(|list| {
            if let Some(a) = list.iter_mut().find(|a| a.id == id) {
                change(a);
            }
        });
        self.save_attempt(id);
        self.make_cards(id);
    }

    fn save_attempt(&self, id: &str) {
        let Some(attempt) = self
            .attempts
            .with_untracked(|l| l.iter().find(|a| a.id == id).cloned())
        else {
            return;
        };
        let (pack, (sid, _)) = (self.pack.get_value(), self.scenario.get_value());
        if let Err(e) = self
            .repo
            .with_value(|r| r.borrow_mut().save_attempt(&pack, &sid, &attempt))
        {
            self.status.set(Status::Failed(e));
        }
    }

    /// Saves the draft now if it is waiting for the autosave delay (the tab is being hidden or
    /// closed, or the learner is leaving the page).
    pub fn flush(&self) {
        self.save_now();
    }

    /// Re-reads finished attempts (another tab changed them).
    fn reload_attempts(&self) {
        let (pack, (id, _)) = (self.pack.get_value(), self.scenario.get_value());
        let state = self
            .repo
            .with_value(|r| r.borrow_mut().scenario(&pack, &id));
        if let Ok(state) = state {
            self.attempts.set(state.attempts);
        }
        let notices = self
            .repo
            .with_value(|r| std::mem::take(&mut r.borrow_mut().notices));
        if !notices.is_empty() {
            self.notices.update(|n| n.extend(notices));
        }
    }

    /// The attempt this tab had on screen as a draft has arrived from another tab that committed
    /// it. Attempts reach other tabs from IndexedDB, drafts from localStorage, so the attempt may
    /// arrive after the news that the draft was removed, when it was not here yet.
    fn finished_elsewhere(&self, draft_key: &str) {
        let state = self.draft.get_value();
        let finished = self
            .attempts
            .with_untracked(|l| l.iter().any(|a| a.id == state.id));
        let draft_gone = self
            .repo
            .with_value(|r| r.borrow().store().local.get(draft_key))
            .ok()
            .flatten()
            .is_none();
        if finished && draft_gone && !state.dirty && self.view.get_untracked() == View::Editing {
            self.start_fresh();
            self.view.set(View::Review(state.id));
        }
    }

    /// Another tab wrote to this scenario's storage.
    fn on_storage(&self, key: &str, new_value: Option<String>) {
        let (draft_key, prefix) = self.keys();
        if !key.starts_with(&prefix) {
            return;
        }
        self.reload_attempts();
        if key != draft_key {
            self.finished_elsewhere(&draft_key);
            return;
        }
        let state = self.draft.get_value();
        match new_value.map(|raw| decode::<Draft>(&raw)) {
            Some(Decoded::Current(theirs) | Decoded::Migrated(theirs)) => {
                if theirs.writer == self.tab.get_value() {
                    return;
                }
                if state.dirty {
                    self.status.set(Status::Conflict(Box::new(theirs)));
                } else {
                    self.adopt(theirs);
                }
            }
            Some(Decoded::Unreadable(_)) => {}
            None => {
                // The draft was committed or discarded elsewhere.
                let finished = self
                    .attempts
                    .with_untracked(|l| l.iter().any(|a| a.id == state.id));
                if state.dirty {
                    self.status.set(Status::Gone);
                } else if finished {
                    self.start_fresh();
                    self.view.set(View::Review(state.id));
                }
            }
        }
    }

    fn listen(&self) {
        let ws = *self;
        let storage = window_event_listener(
            leptos::ev::storage,
            move |e: web_sys::StorageEvent| match e.key() {
                Some(key) => ws.on_storage(&key, e.new_value()),
                None => ws.reload_attempts(),
            },
        );
        let pagehide = window_event_listener(leptos::ev::pagehide, move |_| ws.flush());
        let on_hidden = Closure::<dyn Fn()>::new(move || {
            if document().visibility_state() == web_sys::VisibilityState::Hidden {
                ws.flush();
            }
        });
        document()
            .add_event_listener_with_callback(
                "visibilitychange",
                on_hidden.as_ref().unchecked_ref(),
            )
            .ok();
        // The JS closure is not `Send`; the page is single-threaded, which `SendWrapper` checks.
        let on_hidden = send_wrapper::SendWrapper::new(on_hidden);
        on_cleanup(move || {
            // Leaving the page inside the app (a link to another scenario, or to the progress
            // page) must save like closing the tab does.
            ws.flush();
            storage.remove();
            pagehide.remove();
            document()
                .remove_event_listener_with_callback(
                    "visibilitychange",
                    on_hidden.as_ref().unchecked_ref(),
                )
                .ok();
            drop(on_hidden);
        });
    }
}
