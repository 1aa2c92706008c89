//! The review queue: every criterion a learner missed or half-caught comes back as a short drill
//! until it sticks. A card holds the situation in two lines, the decisive artifact's title and the
//! question; the insight is shown only after the learner has answered in their head and said how
//! well it came back. Scheduling is SM-2 (the algorithm behind SuperMemo 2 and Anki's classic
//! scheduler) with whole days, tested here natively; the app only stores cards and shows them.

use serde::{Deserialize, Serialize};

/// Milliseconds in a day.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;

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
    /// The insight the learner missed (shown after they answer).
    pub insight: String,
    /// How the learner did when the card was made: missed, or half-caught.
    pub half_caught: bool,
    /// When the card was made (ms since the Unix epoch).
    pub created_at: u64,
    /// When it is next due (ms since the Unix epoch).
    pub due: u64,
    /// Days until the next review after a good recall.
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
}

impl Card {
    /// A new card, due tomorrow: a drill the same day tests short-term memory, not learning.
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
            insight: insight.to_string(),
            half_caught,
            created_at: now,
            due: now + DAY_MS,
            interval_days: 0,
            ease: 250,
            streak: 0,
            lapses: 0,
        }
    }

    /// Whether it is due at `now`.
    pub fn is_due(&self, now: u64) -> bool {
        self.due <= now
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

/// The learner's queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    /// Every card, in the order they were made.
    pub cards: Vec<Card>,
}

impl Queue {
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

    /// Cards due at `now`, most overdue first.
    pub fn due(&self, now: u64) -> Vec<&Card> {
        let mut due: Vec<&Card> = self.cards.iter().filter(|c| c.is_due(now)).collect();
        due.sort_by_key(|c| c.due);
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
    /// reviewed more recently (later due) wins.
    pub fn merge(&mut self, other: Queue) -> usize {
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
        assert!(!c.is_due(NOW));
        assert!(c.is_due(NOW + DAY_MS));
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
        assert!(q.due(NOW + DAY_MS).is_empty());
        assert_eq!(q.due(NOW + 2 * DAY_MS).len(), 1);
        // Missed again on a new attempt: back to the start, with the lapse counted.
        q.add(Card::new(
            Source {
                pack: "core",
                slug: "edge",
                title: "t",
                situation: "s.",
                artifact: None,
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
}
