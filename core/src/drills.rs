//! The review queue: every criterion a learner missed or half-caught comes back as a short drill
//! until it sticks. A card holds the situation in two lines, the decisive artifact's title and the
//! question; the insight is shown only after the learner has answered in their head and said how
//! well it came back. Scheduling is SM-2 (the algorithm behind SuperMemo 2 and Anki's classic
//! scheduler) with whole days, tested here natively; the app only stores cards and shows them.

use crate::storage::repo::ScenarioState;
use serde::{Deserialize, Serialize};

/// Milliseconds in a day.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// The hour a learner's day starts, for scheduling (as in Anki): a session past midnight still
/// belongs to the day before.
const DAY_STARTS_MS: u64 = 4 * 60 * 60 * 1000;

/// What the learner reviews: one criterion of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// The scenario's pack.
    pub pack: String,
    /// The scenario's slug.
    pub slug: String,
    /// The criterion's id.
    pub criterion: String,
    /// The scenario's title.
    pub title: String,
    /// The situation in at most two sentences.
    pub situation: String,
    /// The artifact to look at first, if the scenario has one.
    pub artifact: Option<String>,
    /// The HTML id of that artifact's heading on the scenario page, for a link straight to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_anchor: Option<String>,
    /// The insight the learner missed (shown after they answer).
    pub insight: String,
    /// How the learner did when the card was made: missed, or half-caught.
    pub half_caught: bool,
    /// When the card was made (ms since the Unix epoch).
    pub created_at: u64,
    /// When it is next due (ms since the Unix epoch). A card scheduled a day or more ahead is due
    /// from the start of that day in the learner's time zone (see [`Card::is_due`]).
    pub due: u64,
    /// The gap it was scheduled with, in days; 0 while it is being relearnt, minutes after it was
    /// forgotten.
    pub interval_days: u32,
    /// SM-2's ease factor, ×100 (250 = 2.5): integers so exports compare exactly.
    pub ease: u32,
    /// Successful reviews in a row.
    pub streak: u32,
    /// Times it was forgotten after being learnt.
    pub lapses: u32,
}

/// The question every card asks.
pub const QUESTION: &str = "What is the failure mode here, and what would a senior do first?";

/// How well the insight came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recall {
    /// Not at all: see it again today.
    Again,
    /// With effort.
    Hard,
    /// Yes.
    Good,
    /// At once.
    Easy,
}

impl Recall {
    /// Every answer, in the order the page offers them.
    pub const ALL: [Recall; 4] = [Recall::Again, Recall::Hard, Recall::Good, Recall::Easy];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            Recall::Again => "Forgot",
            Recall::Hard => "Hard",
            Recall::Good => "Got it",
            Recall::Easy => "Easy",
        }
    }

    /// SM-2's quality grade (0–5) for this answer.
    fn quality(self) -> u32 {
        match self {
            Recall::Again => 1,
            Recall::Hard => 3,
            Recall::Good => 4,
            Recall::Easy => 5,
        }
    }
}

/// What a new card needs to know about the scenario.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Pack.
    pub pack: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Title.
    pub title: &'a str,
    /// The situation's Markdown.
    pub situation: &'a str,
    /// The first artifact's title.
    pub artifact: Option<&'a str>,
    /// The HTML id of the first artifact's heading.
    pub artifact_anchor: Option<&'a str>,
}

impl Card {
    /// A new card, due tomorrow (a gap of one day): a drill the same day tests short-term memory,
    /// not learning.
    pub fn new(
        src: Source<'_>,
        criterion: &str,
        insight: &str,
        half_caught: bool,
        now: u64,
    ) -> Card {
        Card {
            pack: src.pack.to_string(),
            slug: src.slug.to_string(),
            criterion: criterion.to_string(),
            title: src.title.to_string(),
            situation: two_sentences(src.situation),
            artifact: src.artifact.map(str::to_string),
            artifact_anchor: src.artifact_anchor.map(str::to_string),
            insight: insight.to_string(),
            half_caught,
            created_at: now,
            due: now + DAY_MS,
            interval_days: 1,
            ease: 250,
            streak: 0,
            lapses: 0,
        }
    }

    /// Whether it is due at `now` for a learner `offset_minutes` east of UTC. A card scheduled
    /// days ahead is due all of its day, not from the minute it was answered: a card missed at
    /// 9:00 is due at 8:00 the next morning. A forgotten card, minutes ahead, waits its minutes.
    pub fn is_due(&self, now: u64, offset_minutes: i32) -> bool {
        is_due(self.due, self.interval_days, now, offset_minutes)
    }

    /// The card after a review at `now` (SM-2: intervals 1, 6, then × ease; a lapse starts over
    /// and lowers the ease, never below 1.3).
    pub fn reviewed(&self, recall: Recall, now: u64) -> Card {
        let q = recall.quality();
        let mut next = self.clone();
        // EF' = EF + (0.1 − (5 − q)(0.08 + (5 − q)·0.02)), in hundredths.
        let d = 5 - q as i64;
        let delta = 10 - d * (8 + d * 2);
        next.ease = (self.ease as i64 + delta).max(130) as u32;
        if recall == Recall::Again {
            if self.streak > 0 {
                next.lapses += 1;
            }
            next.streak = 0;
            next.interval_days = 0;
            // Again today, a few minutes later: the session's end of queue.
            next.due = now + 10 * 60 * 1000;
            return next;
        }
        next.streak = self.streak + 1;
        next.interval_days = match next.streak {
            1 => 1,
            2 => 6,
            _ => ((self.interval_days.max(1) as u64 * next.ease as u64).div_ceil(100)) as u32,
        };
        if recall == Recall::Hard {
            next.interval_days = (next.interval_days * 4).div_ceil(5).max(1);
        }
        if recall == Recall::Easy {
            next.interval_days = (next.interval_days * 13).div_ceil(10);
        }
        next.due = now + next.interval_days as u64 * DAY_MS;
        next
    }
}

/// At most two sentences of the situation, as plain text: enough to recall the scene.
pub fn two_sentences(markdown: &str) -> String {
    let text = plain(markdown);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut end = text.len();
    let mut found = 0;
    for (i, c) in text.char_indices() {
        let next = text[i + c.len_utf8()..].chars().next();
        if matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace) {
            found += 1;
            if found == 2 {
                end = i + c.len_utf8();
                break;
            }
        }
    }
    text[..end].to_string()
}

/// The cards an attempt earns: one per criterion it missed or half-caught — by the evaluator's
/// latest complete grading when there is one, else by the learner's own review.
pub fn from_attempt(
    attempt: &crate::storage::schema::Attempt,
    src: Source<'_>,
    now: u64,
) -> Vec<Card> {
    use crate::taxonomy::Verdict;
    let Some(criteria) = attempt.rubric.as_deref() else {
        return vec![];
    };
    let graded = attempt
        .feedback
        .iter()
        .rev()
        .find(|f| f.score(criteria, &attempt.decided).complete());
    criteria
        .iter()
        .filter_map(|c| {
            // The site's own verdicts on the path come first: nobody grades those but the log.
            let verdict = match (attempt.decided.get(&c.id), graded) {
                (Some(v), _) => Some(*v),
                (None, Some(f)) => f.verdict(&c.id),
                (None, None) => attempt
                    .review
                    .as_ref()
                    .and_then(|r| r.verdicts.get(&c.id).copied()),
            }?;
            let half = match verdict {
                Verdict::Caught => return None,
                Verdict::Partial => true,
                Verdict::Missed => false,
            };
            Some(Card::new(src, &c.id, &plain(&c.insight), half, now))
        })
        .collect()
}

/// Markdown as plain text: the words, without markup.
fn plain(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether an attempt has a complete result to make its cards from: every criterion judged by the
/// site's decided verdicts together with either the learner's self-review or one of the
/// evaluator's gradings. A half-done self-review makes nothing yet: cards made from it would miss
/// what the rest of the review finds, and an attempt makes its cards only once.
pub fn has_result(attempt: &crate::storage::schema::Attempt) -> bool {
    let Some(criteria) = attempt.rubric.as_deref().filter(|c| !c.is_empty()) else {
        return false;
    };
    let decided = |id: &str| attempt.decided.contains_key(id);
    let reviewed = criteria.iter().all(|c| {
        decided(&c.id)
            || attempt
                .review
                .as_ref()
                .is_some_and(|r| r.verdicts.contains_key(&c.id))
    });
    reviewed
        || attempt
            .feedback
            .iter()
            .any(|f| f.score(criteria, &attempt.decided).complete())
}

/// How `made_from` records that a grading of an attempt has made its cards.
fn grading_mark(
    attempt: &crate::storage::schema::Attempt,
    f: &crate::storage::schema::Feedback,
) -> String {
    format!("{}#{}", attempt.id, f.id)
}

/// The attempt's complete gradings that have not made cards yet.
fn new_gradings<'a>(
    queue: &Queue,
    attempt: &'a crate::storage::schema::Attempt,
) -> Vec<&'a crate::storage::schema::Feedback> {
    let Some(criteria) = attempt.rubric.as_deref() else {
        return vec![];
    };
    attempt
        .feedback
        .iter()
        .filter(|f| f.score(criteria, &attempt.decided).complete())
        .filter(|f| !queue.made_from.contains(&grading_mark(attempt, f)))
        .collect()
}

/// Local calendar day of `ms` for a reader `offset_minutes` east of UTC.
fn local_day(ms: u64, offset_minutes: i32) -> i64 {
    ((ms / 1000) as i64 + i64::from(offset_minutes) * 60).div_euclid(86_400)
}

/// Whether a card due at `due`, scheduled `interval_days` ahead, is due at `now` (see
/// [`Card::is_due`]; the header counts stored cards with this without reading the rest of them).
pub fn is_due(due: u64, interval_days: u32, now: u64, offset_minutes: i32) -> bool {
    due <= now
        || (interval_days > 0
            && learner_day(due, offset_minutes) <= learner_day(now, offset_minutes))
}

/// How far ahead the Review page looks for a forgotten card coming back while it is open.
pub const WAKE_WITHIN_MS: u64 = 60 * 60 * 1000;

/// The learner's scheduling day of `ms`: their calendar day, starting at 4:00.
fn learner_day(ms: u64, offset_minutes: i32) -> i64 {
    local_day(ms.saturating_sub(DAY_STARTS_MS), offset_minutes)
}

/// When something is due, as the learner would say it: "now", "later today", "tomorrow",
/// "in 6 days", or a date ("on 8 Dec 2026") beyond two weeks.
pub fn due_words(due: u64, now: u64, offset_minutes: i32) -> String {
    if due <= now {
        return "now".to_string();
    }
    match local_day(due, offset_minutes) - local_day(now, offset_minutes) {
        0 => "later today".to_string(),
        1 => "tomorrow".to_string(),
        d @ 2..=13 => format!("in {d} days"),
        _ => format!("on {}", crate::time::format_date(due, offset_minutes)),
    }
}

/// "1 card" or "3 cards".
pub fn cards_words(n: usize) -> String {
    if n == 1 {
        "1 card".to_string()
    } else {
        format!("{n} cards")
    }
}

/// The learner's queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    /// Every card, in the order they were made.
    pub cards: Vec<Card>,
    /// The ids of the attempts that have made their cards: an attempt makes them once, when it
    /// first has a complete result, so a card the learner has since learnt is not made again by
    /// the attempt that first missed it; and `attempt#grading` for each grading weighed.
    #[serde(default)]
    pub made_from: Vec<String>,
}

impl Queue {
    /// The scenarios, as (pack, scenario id), whose attempts are ready to make cards: the page
    /// loads these scenarios' situations before calling [`Queue::sync`].
    pub fn pending(&self, records: &[(String, String, ScenarioState)]) -> Vec<(String, String)> {
        records
            .iter()
            .filter(|(_, _, state)| state.attempts.iter().any(|a| self.ready(a)))
            .map(|(pack, scenario, _)| (pack.clone(), scenario.clone()))
            .collect()
    }

    /// Whether an attempt has cards to make: it has a complete result and has not made its cards
    /// yet, or it has, and a complete grading has arrived since (see [`Queue::make_cards`]).
    fn ready(&self, attempt: &crate::storage::schema::Attempt) -> bool {
        if self.made_from.contains(&attempt.id) {
            !new_gradings(self, attempt).is_empty()
        } else {
            has_result(attempt)
        }
    }

    /// Makes the cards of every attempt that has a complete result and has not made them yet,
    /// oldest attempt first (a newer miss of the same criterion resets the card). `source` gives a
    /// scenario's details by (pack, scenario id); an attempt whose scenario it does not know (a
    /// pack that dropped it, a body that failed to load) is left for a later sync. Returns how many
    /// cards were made or reset.
    pub fn sync<'s>(
        &mut self,
        records: &[(String, String, ScenarioState)],
        source: impl Fn(&str, &str) -> Option<Source<'s>>,
        now: u64,
    ) -> usize {
        let mut ready: Vec<(&crate::storage::schema::Attempt, Source<'s>)> = records
            .iter()
            .flat_map(|(pack, scenario, state)| {
                let src = source(pack, scenario);
                state
                    .attempts
                    .iter()
                    .filter(|a| self.ready(a))
                    .filter_map(move |a| Some((a, src?)))
            })
            .collect();
        crate::order::sort_by_key(&mut ready, |(a, _)| (a.finished_at, a.number));
        ready
            .into_iter()
            .map(|(attempt, src)| self.make_cards(attempt, src, now))
            .sum()
    }

    /// Makes one attempt's cards the moment its grading or self-review completes its result: the
    /// practice loop calls this after every change to an attempt, so what was missed is in the
    /// queue before the learner leaves the page ([`Queue::sync`] catches up older attempts with
    /// the same rule). An attempt makes its cards once, by the grader's verdicts when it has them
    /// (see [`from_attempt`]); a complete grading that arrives after that (the learner reviewed
    /// themselves first) adds a card for each criterion it finds missed or half-caught that has
    /// no card yet, and resets none: the grader is the measure, but a card already being learnt
    /// keeps its schedule. Every grading counts once (recorded as `attempt#grading` in
    /// `made_from`). Returns how many cards were made or reset.
    pub fn make_cards(
        &mut self,
        attempt: &crate::storage::schema::Attempt,
        src: Source<'_>,
        now: u64,
    ) -> usize {
        if !self.ready(attempt) {
            return 0;
        }
        let mut made = 0;
        if self.made_from.contains(&attempt.id) {
            let criteria = attempt.rubric.as_deref().unwrap_or_default();
            for f in new_gradings(self, attempt) {
                for c in criteria {
                    let verdict = attempt.decided.get(&c.id).copied().or(f.verdict(&c.id));
                    let half = match verdict {
                        Some(crate::taxonomy::Verdict::Partial) => true,
                        Some(crate::taxonomy::Verdict::Missed) => false,
                        _ => continue,
                    };
                    let held = self
                        .cards
                        .iter()
                        .any(|k| k.pack == src.pack && k.slug == src.slug && k.criterion == c.id);
                    if !held {
                        self.cards
                            .push(Card::new(src, &c.id, &plain(&c.insight), half, now));
                        made += 1;
                    }
                }
                self.made_from.push(grading_mark(attempt, f));
            }
            return made;
        }
        for card in from_attempt(attempt, src, now) {
            self.add(card);
            made += 1;
        }
        self.made_from.push(attempt.id.clone());
        // The gradings there are now were weighed by `from_attempt`.
        for f in new_gradings(self, attempt) {
            self.made_from.push(grading_mark(attempt, f));
        }
        made
    }

    /// Adds a card for a criterion missed again, or resets the one already there: missing it
    /// again means it has not stuck, whatever its schedule said.
    pub fn add(&mut self, card: Card) {
        match self
            .cards
            .iter_mut()
            .find(|c| c.pack == card.pack && c.slug == card.slug && c.criterion == card.criterion)
        {
            Some(c) => {
                let lapses = c.lapses + u32::from(c.streak > 0);
                *c = Card { lapses, ..card };
            }
            None => self.cards.push(card),
        }
    }

    /// Cards due at `now` for a learner `offset_minutes` east of UTC, most overdue first.
    pub fn due(&self, now: u64, offset_minutes: i32) -> Vec<&Card> {
        let mut due: Vec<&Card> = self
            .cards
            .iter()
            .filter(|c| c.is_due(now, offset_minutes))
            .collect();
        crate::order::sort_by_key(&mut due, |c| c.due);
        due
    }

    /// Records a review of the card for (pack, slug, criterion).
    pub fn review(&mut self, pack: &str, slug: &str, criterion: &str, recall: Recall, now: u64) {
        if let Some(c) = self
            .cards
            .iter_mut()
            .find(|c| c.pack == pack && c.slug == slug && c.criterion == criterion)
        {
            *c = c.reviewed(recall, now);
        }
    }

    /// Merges an imported queue: cards not here are added; for one here already, the one
    /// reviewed more recently (later due) wins. Attempts that made cards there count as having
    /// made them here. Returns how many cards were added.
    pub fn merge(&mut self, other: Queue) -> usize {
        for id in other.made_from {
            if !self.made_from.contains(&id) {
                self.made_from.push(id);
            }
        }
        let mut added = 0;
        for card in other.cards {
            match self.cards.iter_mut().find(|c| {
                c.pack == card.pack && c.slug == card.slug && c.criterion == card.criterion
            }) {
                Some(c) if card.due > c.due => *c = card,
                Some(_) => {}
                None => {
                    self.cards.push(card);
                    added += 1;
                }
            }
        }
        added
    }

    /// The card due soonest, due or not.
    pub fn next(&self) -> Option<&Card> {
        self.cards.iter().min_by_key(|c| c.due)
    }

    /// When the Review page should wake to bring a card back without a reload: the moment the
    /// next card that is not yet due becomes due, if that is within [`WAKE_WITHIN_MS`].
    /// A card whose day has come counts as due whatever its timestamp, so it never wakes the page
    /// (waking for it announced a forgotten card that was not there).
    pub fn next_wake(&self, now: u64, offset_minutes: i32) -> Option<u64> {
        self.cards
            .iter()
            .filter(|c| !c.is_due(now, offset_minutes))
            .map(|c| c.due)
            .min()
            .filter(|&d| d - now <= WAKE_WITHIN_MS)
    }

    /// What the Review page says when nothing is due: how many cards wait, and when the next
    /// comes back.
    pub fn nothing_due(&self, now: u64, offset_minutes: i32) -> String {
        match self.next() {
            None => "No review cards yet. Cards appear when you miss a criterion: commit an analysis, review it against the rubric, and each criterion you missed or half-caught comes back here the next day as a two-minute drill.".to_string(),
            Some(next) => format!(
                "Nothing to review right now. {} scheduled; the next is due {}.",
                cards_words(self.cards.len()),
                due_words(next.due, now, offset_minutes)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000_000;

    fn card() -> Card {
        Card::new(
            Source {
                pack: "core",
                slug: "edge",
                title: "Every edge node at 100 % CPU",
                situation:
                    "Traffic is **normal**. Every core is pinned. The CDN team is paging you.",
                artifact: Some("CPU by region"),
                artifact_anchor: Some("cpu-by-region"),
            },
            "global-push",
            "Every site failing in the same minute points at a global push.",
            false,
            NOW,
        )
    }

    #[test]
    fn an_attempt_earns_a_card_per_miss_by_the_graders_verdict_first() {
        use crate::progress::tests::{graded, grading};
        use crate::taxonomy::{Track, Verdict};
        let src = Source {
            pack: "core",
            slug: "edge",
            title: "t",
            situation: "s.",
            artifact: None,
            artifact_anchor: None,
        };
        // Self-review: a caught, b missed.
        let mut a = graded("A", Track::Backend, NOW, 90, 1);
        let cards = from_attempt(&a, src, NOW);
        assert_eq!(
            cards
                .iter()
                .map(|c| (c.criterion.as_str(), c.half_caught))
                .collect::<Vec<_>>(),
            [("b", false)]
        );
        // The evaluator says a was only partly caught and b caught: its verdicts decide.
        a.feedback.push(grading(Verdict::Partial, Verdict::Caught));
        let cards = from_attempt(&a, src, NOW);
        assert_eq!(
            cards
                .iter()
                .map(|c| (c.criterion.as_str(), c.half_caught))
                .collect::<Vec<_>>(),
            [("a", true)]
        );
        assert_eq!(cards[0].insight, "A");
        // A criterion the site decided from the log is carded by that verdict.
        a.decided.insert("b".into(), Verdict::Missed);
        let cards = from_attempt(&a, src, NOW);
        assert_eq!(
            cards
                .iter()
                .map(|c| c.criterion.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    #[test]
    fn a_new_card_is_due_tomorrow_with_two_sentences_of_situation() {
        let c = card();
        assert_eq!(c.situation, "Traffic is normal. Every core is pinned.");
        assert!(!c.is_due(NOW, 0));
        assert!(c.is_due(NOW + DAY_MS, 0));
    }

    #[test]
    fn a_card_is_due_all_of_its_day_and_a_forgotten_one_after_its_minutes() {
        // NOW is 08:00 UTC. Missed at 21:00, due the next day from 04:00, in the learner's zone.
        let evening = NOW + 13 * 3_600_000;
        let mut c = card();
        c.created_at = evening;
        c.due = evening + DAY_MS;
        let next = |h: u64| NOW + DAY_MS - 8 * 3_600_000 + h * 3_600_000;
        assert!(
            !c.is_due(next(3), 0),
            "3:00 still belongs to the day before"
        );
        assert!(c.is_due(next(4), 0));
        assert!(c.is_due(next(8), 0));
        // Two hours west of UTC it is 2:00 there at next(4).
        assert!(!c.is_due(next(4), -120));
        assert!(c.is_due(next(6), -120));
        // Forgotten: due ten minutes later, not earlier that day.
        let forgot = c.reviewed(Recall::Again, next(9));
        assert!(!forgot.is_due(next(9) + 9 * 60_000, 0));
        assert!(forgot.is_due(next(9) + 10 * 60_000, 0));
    }

    #[test]
    fn the_page_wakes_only_for_a_forgotten_card_coming_back_not_for_one_already_due() {
        // Made yesterday at 08:00, so due today from 04:00: at 07:30 it already counts as due,
        // though its timestamp is half an hour away. Nothing comes back: no wake.
        let due_today = card();
        let morning = NOW + DAY_MS - 30 * 60_000;
        assert!(due_today.is_due(morning, 0));
        let q = Queue {
            cards: vec![due_today.clone()],
            ..Queue::default()
        };
        assert_eq!(q.next_wake(morning, 0), None);
        // Forgotten at 07:30: back ten minutes later, which is when the page wakes.
        let forgot = due_today.reviewed(Recall::Again, morning);
        let q = Queue {
            cards: vec![forgot.clone()],
            ..Queue::default()
        };
        assert_eq!(q.next_wake(morning, 0), Some(forgot.due));
        // Not for a card more than an hour away, nor for one already due.
        assert_eq!(q.next_wake(forgot.due - WAKE_WITHIN_MS - 1, 0), None);
        assert_eq!(q.next_wake(forgot.due, 0), None);
    }

    #[test]
    fn good_answers_space_out_1_6_then_by_ease_and_forgetting_starts_over() {
        let mut c = card();
        let mut t = NOW + DAY_MS;
        let mut gaps = vec![];
        for _ in 0..4 {
            c = c.reviewed(Recall::Good, t);
            gaps.push(c.interval_days);
            t = c.due;
        }
        // SM-2 with quality 4 keeps the ease at 2.5: 1, 6, 15, 38 days.
        assert_eq!(gaps, [1, 6, 15, 38]);
        assert_eq!(c.ease, 250);
        let forgot = c.reviewed(Recall::Again, t);
        assert_eq!(
            (forgot.streak, forgot.lapses, forgot.interval_days),
            (0, 1, 0)
        );
        assert_eq!(forgot.ease, 250 - 54);
        assert!(forgot.due < t + DAY_MS, "seen again the same day");
        let hard = forgot.reviewed(Recall::Hard, forgot.due);
        assert_eq!(hard.interval_days, 1);
        // The ease never drops below 1.3.
        let mut worst = card();
        for _ in 0..20 {
            worst = worst.reviewed(Recall::Again, NOW);
        }
        assert_eq!(worst.ease, 130);
        let easy = card()
            .reviewed(Recall::Good, NOW)
            .reviewed(Recall::Easy, NOW);
        assert_eq!(easy.interval_days, 8);
    }

    #[test]
    fn the_queue_resets_a_card_missed_again_lists_due_cards_and_merges_imports() {
        let mut q = Queue::default();
        q.add(card());
        q.review("core", "edge", "global-push", Recall::Good, NOW + DAY_MS);
        assert!(q.due(NOW + DAY_MS, 0).is_empty());
        assert_eq!(q.due(NOW + 2 * DAY_MS, 0).len(), 1);
        // Missed again on a new attempt: back to the start, with the lapse counted.
        q.add(Card::new(
            Source {
                pack: "core",
                slug: "edge",
                title: "t",
                situation: "s.",
                artifact: None,
                artifact_anchor: None,
            },
            "global-push",
            "i",
            true,
            NOW + 3 * DAY_MS,
        ));
        assert_eq!(q.cards.len(), 1);
        assert_eq!((q.cards[0].streak, q.cards[0].lapses), (0, 1));
        let mut other = Queue::default();
        let mut later = card();
        later.due = NOW + 90 * DAY_MS;
        later.criterion = "kill-switch".into();
        other.cards.push(later);
        assert_eq!(q.merge(other.clone()), 1);
        assert_eq!(q.merge(other), 0);
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(serde_json::from_str::<Queue>(&json).unwrap(), q);
    }

    fn records(
        attempts: Vec<crate::storage::schema::Attempt>,
    ) -> Vec<(String, String, ScenarioState)> {
        vec![(
            "core".into(),
            "edge".into(),
            ScenarioState {
                draft: None,
                attempts,
            },
        )]
    }

    fn edge<'a>(pack: &str, scenario: &str) -> Option<Source<'a>> {
        (pack == "core" && scenario == "edge").then_some(Source {
            pack: "core",
            slug: "edge-slug",
            title: "Every edge node at 100 % CPU",
            situation: "Traffic is normal. Every core is pinned. Paging.",
            artifact: Some("CPU by region"),
            artifact_anchor: Some("cpu-by-region"),
        })
    }

    #[test]
    fn an_attempt_makes_its_cards_once_when_it_first_has_a_complete_result() {
        use crate::progress::tests::{graded, grading};
        use crate::taxonomy::{Track, Verdict};
        let mut a = graded("A", Track::Backend, NOW, 90, 1);
        // Half a self-review is no result yet: nothing is made, and the attempt stays pending.
        a.review.as_mut().unwrap().verdicts.remove("a");
        let mut q = Queue::default();
        assert!(!has_result(&a));
        assert!(q.pending(&records(vec![a.clone()])).is_empty());
        assert_eq!(q.sync(&records(vec![a.clone()]), edge, NOW), 0);
        assert!(q.made_from.is_empty());

        // The review is complete: b was missed, so one card, due tomorrow, with the scenario's
        // slug, two sentences of its situation and a link to its first artifact.
        a.review
            .as_mut()
            .unwrap()
            .verdicts
            .insert("a".into(), Verdict::Caught);
        assert_eq!(
            q.pending(&records(vec![a.clone()])),
            [("core".to_string(), "edge".to_string())]
        );
        assert_eq!(q.sync(&records(vec![a.clone()]), edge, NOW), 1);
        let c = &q.cards[0];
        assert_eq!(
            (c.slug.as_str(), c.criterion.as_str(), c.situation.as_str()),
            ("edge-slug", "b", "Traffic is normal. Every core is pinned.")
        );
        assert_eq!(c.artifact_anchor.as_deref(), Some("cpu-by-region"));
        assert_eq!(q.made_from, [a.id.clone()]);

        // Learnt, then the evaluator grades the same attempt: b's card keeps its schedule, and a,
        // which the learner thought caught and the grader found missed, gets a card of its own.
        q.review("core", "edge-slug", "b", Recall::Good, NOW + DAY_MS);
        let learnt = q.cards[0].clone();
        a.feedback.push(grading(Verdict::Missed, Verdict::Missed));
        assert_eq!(q.pending(&records(vec![a.clone()])).len(), 1);
        assert_eq!(q.sync(&records(vec![a.clone()]), edge, NOW + DAY_MS), 1);
        assert_eq!(q.cards[0], learnt);
        assert_eq!(
            (q.cards[1].criterion.as_str(), q.cards[1].half_caught),
            ("a", false)
        );
        // That grading counts once.
        assert!(q.pending(&records(vec![a.clone()])).is_empty());
        assert_eq!(q.sync(&records(vec![a.clone()]), edge, NOW + DAY_MS), 0);

        // A new attempt graded by the evaluator (no self-review) makes its own cards; missing b
        // again resets its card.
        let mut second = graded("A2", Track::Backend, NOW + 2 * DAY_MS, 90, 2);
        second.review = None;
        second
            .feedback
            .push(grading(Verdict::Partial, Verdict::Missed));
        assert!(has_result(&second));
        let made = q.sync(
            &records(vec![a.clone(), second.clone()]),
            edge,
            NOW + 2 * DAY_MS,
        );
        assert_eq!(made, 2);
        assert_eq!(q.cards.len(), 2);
        assert_eq!(q.due(NOW + 3 * DAY_MS, 0).len(), 2);
        assert_eq!(
            q.made_from,
            [
                a.id.clone(),
                format!("{}#f", a.id),
                second.id.clone(),
                format!("{}#f", second.id)
            ]
        );

        // An attempt whose scenario is unknown waits for a later sync.
        let third = graded("A3", Track::Backend, NOW + 3 * DAY_MS, 90, 0);
        assert_eq!(q.sync(&records(vec![third.clone()]), |_, _| None, NOW), 0);
        assert!(!q.made_from.contains(&third.id));

        // Every criterion decided from the log is a complete result on its own.
        let mut decided = graded("D", Track::Backend, NOW, 90, 0);
        decided.review = None;
        assert!(!has_result(&decided));
        decided.decided.insert("a".into(), Verdict::Caught);
        decided.decided.insert("b".into(), Verdict::Missed);
        assert!(has_result(&decided));
        // An attempt without its rubric has nothing to card.
        decided.rubric = None;
        assert!(!has_result(&decided));
    }

    #[test]
    fn the_practice_loop_makes_an_attempts_cards_once_its_result_is_complete() {
        use crate::progress::tests::{graded, grading};
        use crate::taxonomy::{Track, Verdict};
        let src = edge("core", "edge").unwrap();
        let mut q = Queue::default();
        // Half-way through the self-review: nothing yet, and the attempt is not marked as done.
        let mut a = graded("A", Track::Backend, NOW, 90, 1);
        let verdicts = a.review.take().unwrap();
        a.review = Some(crate::storage::schema::SelfReview {
            verdicts: verdicts
                .verdicts
                .iter()
                .filter(|(id, _)| id.as_str() == "a")
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            ..verdicts.clone()
        });
        assert_eq!(q.make_cards(&a, src, NOW), 0);
        assert!(q.cards.is_empty() && q.made_from.is_empty());
        // The last verdict completes it: b was missed, so its card is made at once, due tomorrow.
        a.review = Some(verdicts);
        assert_eq!(q.make_cards(&a, src, NOW), 1);
        assert_eq!(q.cards[0].criterion, "b");
        assert_eq!(q.due(NOW + DAY_MS, 0).len(), 1);
        // Called again after a later change (a note): nothing more.
        let before = q.clone();
        a.review.as_mut().unwrap().missed = "the push".into();
        assert_eq!(q.make_cards(&a, src, NOW), 0);
        assert_eq!(q, before);
        // The grader's verdicts arrive after the self-review: a, which the learner thought caught,
        // is carded at once; b's card is not started over.
        a.feedback.push(grading(Verdict::Missed, Verdict::Missed));
        assert_eq!(q.make_cards(&a, src, NOW + 60_000), 1);
        assert_eq!(q.cards[0], before.cards[0]);
        assert_eq!(q.cards.len(), 2);
        assert_eq!(q.make_cards(&a, src, NOW + 60_000), 0);
        // The catch-up sync agrees: nothing left to make.
        assert_eq!(q.sync(&records(vec![a.clone()]), edge, NOW), 0);
        // An evaluator's grading alone makes the cards of an attempt with no self-review.
        let mut b = graded("B", Track::Backend, NOW, 90, 2);
        b.review = None;
        assert_eq!(q.make_cards(&b, src, NOW), 0);
        b.feedback.push(grading(Verdict::Partial, Verdict::Caught));
        assert_eq!(q.make_cards(&b, src, NOW), 1);
        assert!(q.cards.iter().any(|c| c.criterion == "a" && c.half_caught));
        assert_eq!(
            q.made_from,
            [
                a.id.clone(),
                format!("{}#f", a.id),
                b.id.clone(),
                format!("{}#f", b.id)
            ]
        );
    }

    #[test]
    fn merging_an_import_carries_which_attempts_made_cards() {
        let mut q = Queue {
            cards: vec![card()],
            made_from: vec!["x".into()],
        };
        let other = Queue {
            cards: vec![],
            made_from: vec!["x".into(), "y".into()],
        };
        assert_eq!(q.merge(other), 0);
        assert_eq!(q.made_from, ["x", "y"]);
        // A queue stored before `made_from` existed still reads.
        let old: Queue = serde_json::from_str(r#"{"cards":[]}"#).unwrap();
        assert!(old.made_from.is_empty());
    }

    #[test]
    fn when_the_next_card_is_due_in_the_learners_words() {
        // Noon, UTC.
        let noon = 1_800_014_400_000 - 1_800_014_400_000 % DAY_MS + 12 * 3_600_000;
        let h = 3_600_000;
        assert_eq!(due_words(noon - 1, noon, 0), "now");
        assert_eq!(due_words(noon + 10 * 60_000, noon, 0), "later today");
        assert_eq!(due_words(noon + 11 * h, noon, 0), "later today");
        assert_eq!(due_words(noon + 13 * h, noon, 0), "tomorrow");
        // The learner's day, not UTC's: 11 hours later is tomorrow two hours east of UTC, and
        // 13 hours later is still today two hours west.
        assert_eq!(due_words(noon + 11 * h, noon, 120), "tomorrow");
        assert_eq!(due_words(noon + 13 * h, noon, -120), "later today");
        assert_eq!(due_words(noon + 6 * DAY_MS, noon, 0), "in 6 days");
        assert!(due_words(noon + 38 * DAY_MS, noon, 0).starts_with("on "));

        let mut q = Queue::default();
        assert!(q
            .nothing_due(NOW, 0)
            .contains("Cards appear when you miss a criterion"));
        q.add(card());
        let mut later = card();
        later.criterion = "other".into();
        later.due = NOW + 6 * DAY_MS;
        q.add(later);
        assert_eq!(
            q.nothing_due(NOW, 0),
            "Nothing to review right now. 2 cards scheduled; the next is due tomorrow."
        );
    }
}
