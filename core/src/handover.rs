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
use crate::storage::repo::Repo;
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
/// reasoning, commitment and confidence; the stored draft (if any) gives the attempt its id,
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
    let stored = repo.scenario(page.pack, page.scenario)?.draft;
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
}
