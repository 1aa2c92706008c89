//! A plain scenario page's two bundles (issue 11). The page is readable and its pre-rendered
//! editor keeps what is typed from the first paint (the page's early script). Its own bundle,
//! `write`, is small: it makes the commit (or the give-up) from that form, by the rules here. The
//! rest of the practice loop — the rubric and self-review, history, timed mode, comparisons, the
//! evaluator, the preview — is the `practice` bundle, loaded at the learner's first interaction or
//! when they ask for one of those, and it takes the page over. What the learner asked for on the
//! way travels as an [`Intent`]; their text and attempts travel through storage.

use crate::storage::early::merge;
use crate::storage::keys::Key;
use crate::storage::kv::{KeyValue, StoreError};
use crate::storage::repo::{Notice, Repo};
use crate::storage::schema::{Answer, Attempt, Draft, Outcome, ScenarioRef, VERSION};
use serde::{Deserialize, Serialize};

/// What the practice section shows when the full loop takes over.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Opens {
    /// The editor, as storage has it.
    #[default]
    Editing,
    /// A finished attempt with its rubric.
    Review(String),
}

/// What the learner asked for that the write bundle leaves to the full loop.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    /// The view to open.
    pub opens: Opens,
    /// The editor's Markdown preview was switched on.
    pub preview: bool,
    /// "Give up and see the rubric" was pressed: its confirmation opens.
    pub give_up: bool,
    /// Where focus goes once the view is there, and what is announced: element id and message.
    pub follow: Option<(String, String)>,
    /// What the write bundle's reads found unreadable and set aside, for the learner to be told.
    #[serde(default)]
    pub notices: Vec<Notice>,
}

impl Intent {
    /// The intent as text, for the page's other bundle.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads [`Intent::encode`]'s text. Anything else (another build's bundle, nothing at all)
    /// opens the editor as storage has it, which loses nothing: the learner's work is stored.
    pub fn decode(text: &str) -> Intent {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// A commit or give-up made on the pre-rendered form.
#[derive(Clone, Debug)]
pub struct FromPage<'a> {
    /// The scenario's pack.
    pub pack: &'a str,
    /// The scenario's id.
    pub scenario: &'a str,
    /// What the attempt records about the scenario.
    pub meta: ScenarioRef,
    /// What the form shows.
    pub answer: Answer,
    /// Committed, or given up.
    pub outcome: Outcome,
    /// When the page was opened: the attempt's start when no draft was stored (ms).
    pub opened_at: u64,
    /// Now (ms).
    pub now: u64,
    /// An id for the attempt when no draft was stored.
    pub fresh_id: String,
    /// Whether the scenario is an investigation.
    pub investigation: bool,
    /// Whether storage keeps what is written beyond this bundle (not when the browser refuses it
    /// and the page keeps its data in memory).
    pub persistent: bool,
    /// The id of the draft that was stored when the page opened, if one was.
    pub seen_draft: Option<String>,
}

/// Why the write bundle does not finish the attempt itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotFinished {
    /// A part the commit needs is empty; the message says which.
    #[error("{0}")]
    Incomplete(String),
    /// What is stored holds more than the form shows (text from another tab or visit, a running
    /// investigation): the full loop shows it merged first, and the learner commits from there.
    #[error("your saved draft holds more than this page shows")]
    ShowStoredFirst,
    /// An investigation's commit stops its clock and freezes its log, with the investigation's
    /// hidden parts at hand: the full loop makes it.
    #[error("an investigation is committed where its clock runs")]
    Investigation,
    /// The browser keeps nothing (storage refused): the attempt would live only in this bundle's
    /// memory, so the full loop, which keeps it for the page, makes it.
    #[error("this browser keeps nothing the page writes")]
    NotKept,
    /// The draft the page showed was committed in another tab meanwhile, as this attempt.
    #[error("this attempt was already finished in another tab")]
    FinishedElsewhere(String),
    /// Storage refused.
    #[error("{0}")]
    Store(StoreError),
}

impl From<StoreError> for NotFinished {
    fn from(e: StoreError) -> Self {
        NotFinished::Store(e)
    }
}

/// Finishes the attempt on the form by the same rules as the full loop's editor: a commit needs
/// reasoning, commitment and confidence; an investigation is the full loop's to finish; the stored
/// draft (if any) gives the attempt its id,
/// start and timed mode; the form's text must hold everything stored (else
/// [`NotFinished::ShowStoredFirst`], and nothing is written). The early entry the page's script
/// kept is removed once the attempt holds its text.
pub fn finish_from_page<S: KeyValue>(
    repo: &mut Repo<S>,
    page: FromPage,
) -> Result<Attempt, NotFinished> {
    if page.outcome == Outcome::Committed {
        if let Some(problem) = page.answer.commit_problem() {
            return Err(NotFinished::Incomplete(problem));
        }
    }
    if page.investigation {
        return Err(NotFinished::Investigation);
    }
    if !page.persistent {
        return Err(NotFinished::NotKept);
    }
    let state = repo.scenario(page.pack, page.scenario)?;
    if let Some(seen) = &page.seen_draft {
        if state.draft.is_none() && state.attempts.iter().any(|a| &a.id == seen) {
            return Err(NotFinished::FinishedElsewhere(seen.clone()));
        }
    }
    let stored = state.draft;
    let early = repo.early(page.pack, page.scenario)?;
    let holds = |older: &Answer| merge(older, &page.answer).answer == page.answer;
    if stored
        .as_ref()
        .is_some_and(|d| d.log.is_some() || !holds(&d.answer))
        || early.as_ref().is_some_and(|e| !holds(&e.answer))
    {
        return Err(NotFinished::ShowStoredFirst);
    }
    let draft = Draft {
        v: VERSION,
        id: stored.as_ref().map_or(page.fresh_id, |d| d.id.clone()),
        scenario: page.meta,
        answer: page.answer,
        started_at: stored.as_ref().map_or(page.opened_at, |d| d.started_at),
        updated_at: page.now,
        rev: stored.as_ref().map_or(0, |d| d.rev),
        writer: String::new(),
        log: None,
        timebox: stored.as_ref().and_then(|d| d.timebox),
    };
    let attempt = repo.finish(page.pack, page.scenario, &draft, page.outcome, page.now)?;
    let early_key = Key::Early {
        pack: page.pack.into(),
        scenario: page.scenario.into(),
    };
    // The attempt is stored: an entry left behind would only come back as a merge, never lost.
    let _ = repo.remove(&early_key.render());
    Ok(attempt)
}

/// What the learner reads when storage refuses a commit: the text stays on the page either way.
pub fn could_not_commit(e: &StoreError) -> String {
    match e {
        StoreError::Full => "Could not commit: this browser's storage for the site is full. Your text is still here. Export your data, then delete what you no longer need from the progress page.".into(),
        e => format!("Could not commit: {e}. Your text is still here."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::early::EarlyDraft;
    use crate::storage::kv::MemoryStore;

    #[test]
    fn intents_round_trip() {
        let intent = Intent {
            opens: Opens::Review("a1".into()),
            preview: true,
            give_up: false,
            follow: Some(("rubric".into(), "Committed. \"The rubric\" follows.".into())),
            notices: vec![Notice::SetAside {
                key: "leap:core:s1:draft".into(),
                reason: "not JSON".into(),
            }],
        };
        assert_eq!(Intent::decode(&intent.encode()), intent);
    }

    #[test]
    fn anything_else_opens_the_editor() {
        for text in ["", "{", "null", "{\"opens\":\"Nowhere\"}", "[1,2]"] {
            assert_eq!(Intent::decode(text), Intent::default(), "{text:?}");
        }
    }

    fn answer(reasoning: &str, confidence: Option<u8>) -> Answer {
        Answer {
            reasoning: reasoning.into(),
            uncertainty: String::new(),
            commitment: "Roll back".into(),
            confidence,
        }
    }

    fn page(answer: Answer, outcome: Outcome) -> FromPage<'static> {
        FromPage {
            pack: "core",
            scenario: "s1",
            meta: ScenarioRef {
                title: "A title".into(),
                ..ScenarioRef::default()
            },
            answer,
            outcome,
            opened_at: 1_000,
            now: 61_000,
            fresh_id: "fresh".into(),
            investigation: false,
            persistent: true,
            seen_draft: None,
        }
    }

    /// A complete commit of "The pool is exhausted".
    fn commit_the_pool(repo: &mut Repo<MemoryStore>) -> Result<Attempt, NotFinished> {
        finish_from_page(
            repo,
            page(
                answer("The pool is exhausted", Some(70)),
                Outcome::Committed,
            ),
        )
    }

    fn stored_draft(text: &str, rev: u64) -> Draft {
        Draft {
            v: VERSION,
            id: "d1".into(),
            scenario: ScenarioRef::default(),
            answer: answer(text, Some(40)),
            started_at: 500,
            updated_at: 900,
            rev,
            writer: "tab".into(),
            log: None,
            timebox: None,
        }
    }

    #[test]
    fn a_commit_from_the_page_is_an_attempt_and_leaves_no_draft_or_early_text() {
        let mut repo = Repo::new(MemoryStore::new());
        let early = EarlyDraft {
            v: VERSION,
            answer: answer("The pool", None),
            updated_at: 800,
        };
        let early_key = Key::Early {
            pack: "core".into(),
            scenario: "s1".into(),
        }
        .render();
        repo.write(&early_key, &early).unwrap();
        let done = commit_the_pool(&mut repo).unwrap();
        assert_eq!(
            (
                done.id.as_str(),
                done.number,
                done.started_at,
                done.finished_at
            ),
            ("fresh", 1, 1_000, 61_000)
        );
        assert_eq!(done.answer.reasoning, "The pool is exhausted");
        assert_eq!(done.scenario.title, "A title");
        let state = repo.scenario("core", "s1").unwrap();
        assert_eq!(state.attempts, vec![done]);
        assert!(state.draft.is_none());
        assert!(repo.early("core", "s1").unwrap().is_none());
    }

    #[test]
    fn the_stored_draft_gives_its_id_and_start() {
        let mut repo = Repo::new(MemoryStore::new());
        repo.save_draft("core", "s1", &stored_draft("The pool", 0), 0)
            .unwrap();
        let done = commit_the_pool(&mut repo).unwrap();
        assert_eq!((done.id.as_str(), done.started_at), ("d1", 500));
    }

    #[test]
    fn a_commit_needs_reasoning_commitment_and_confidence_but_giving_up_does_not() {
        let mut repo = Repo::new(MemoryStore::new());
        let empty = Answer::default();
        assert_eq!(
            finish_from_page(&mut repo, page(empty.clone(), Outcome::Committed)),
            Err(NotFinished::Incomplete(
                "Before committing, add your reasoning, your commitment and your confidence."
                    .into()
            ))
        );
        assert!(repo.scenario("core", "s1").unwrap().attempts.is_empty());
        let given_up = finish_from_page(&mut repo, page(empty, Outcome::GaveUp)).unwrap();
        assert_eq!(given_up.outcome, Outcome::GaveUp);
    }

    #[test]
    fn stored_text_the_page_does_not_show_is_never_committed_past() {
        let mut repo = Repo::new(MemoryStore::new());
        repo.save_draft("core", "s1", &stored_draft("Written in another tab", 0), 0)
            .unwrap();
        assert_eq!(
            commit_the_pool(&mut repo),
            Err(NotFinished::ShowStoredFirst)
        );
        let state = repo.scenario("core", "s1").unwrap();
        assert!(state.attempts.is_empty() && state.draft.is_some());
    }

    #[test]
    fn an_investigation_draft_is_the_full_loops_to_commit() {
        let mut repo = Repo::new(MemoryStore::new());
        let mut draft = stored_draft("The pool", 0);
        draft.log = Some(Default::default());
        repo.save_draft("core", "s1", &draft, 0).unwrap();
        assert_eq!(
            commit_the_pool(&mut repo),
            Err(NotFinished::ShowStoredFirst)
        );
    }

    #[test]
    fn an_investigation_is_never_finished_from_the_page() {
        let mut repo = Repo::new(MemoryStore::new());
        let mut on_page = page(answer("The pool is exhausted", Some(70)), Outcome::GaveUp);
        on_page.investigation = true;
        assert_eq!(
            finish_from_page(&mut repo, on_page),
            Err(NotFinished::Investigation)
        );
        assert!(repo.scenario("core", "s1").unwrap().attempts.is_empty());
    }

    #[test]
    fn nothing_is_finished_where_the_browser_keeps_nothing() {
        let mut repo = Repo::new(MemoryStore::new());
        let mut on_page = page(
            answer("The pool is exhausted", Some(70)),
            Outcome::Committed,
        );
        on_page.persistent = false;
        assert_eq!(
            finish_from_page(&mut repo, on_page),
            Err(NotFinished::NotKept)
        );
        assert!(repo.scenario("core", "s1").unwrap().attempts.is_empty());
    }

    #[test]
    fn a_draft_committed_in_another_tab_is_not_committed_again() {
        let mut repo = Repo::new(MemoryStore::new());
        let draft = stored_draft("The pool is exhausted", 0);
        repo.save_draft("core", "s1", &draft, 0).unwrap();
        // The page opened on that draft; then another tab committed it.
        let seen = repo.peek_draft("core", "s1").map(|d| d.id);
        assert_eq!(seen.as_deref(), Some("d1"));
        repo.finish("core", "s1", &draft, Outcome::Committed, 2_000)
            .unwrap();
        let mut on_page = page(
            answer("The pool is exhausted", Some(70)),
            Outcome::Committed,
        );
        on_page.seen_draft = seen;
        assert_eq!(
            finish_from_page(&mut repo, on_page),
            Err(NotFinished::FinishedElsewhere("d1".into()))
        );
        assert_eq!(repo.scenario("core", "s1").unwrap().attempts.len(), 1);
    }

    #[test]
    fn a_look_at_the_draft_and_the_attempts_changes_nothing() {
        let mut repo = Repo::new(MemoryStore::new());
        assert_eq!(repo.peek_draft("core", "s1"), None);
        assert!(!repo.has_attempts("core", "s1").unwrap());
        let key = Key::Draft {
            pack: "core".into(),
            scenario: "s1".into(),
        }
        .render();
        repo.write_raw(&key, "{not json").unwrap();
        assert_eq!(repo.peek_draft("core", "s1"), None);
        // Still there, for the full loop to set aside and tell the learner about.
        assert_eq!(
            repo.store().get(&key).unwrap().as_deref(),
            Some("{not json")
        );
        assert!(repo.notices.is_empty());
        repo.finish("core", "s1", &stored_draft("x", 0), Outcome::GaveUp, 5)
            .unwrap();
        assert!(repo.has_attempts("core", "s1").unwrap());
    }
}
