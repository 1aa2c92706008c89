//! Timed mode: the learner may run a scenario's estimated minutes as a countdown, as in an
//! interview or an incident bridge where the call has to be made by a time.
//!
//! The rules, chosen so that a countdown means the same thing wherever it is read:
//! - The box is a wall-clock deadline. Its start is stored in the draft, and every reading is
//!   computed from that start, so a reload, a closed tab or another tab never resets it — and
//!   never pauses it either: time spent away still counts, as it would in the meeting the box
//!   stands for. (A pause would make "timed" unverifiable, and reloads would become a way out.)
//! - Reaching zero never blocks writing. The countdown says time is up and then counts the
//!   overtime, which the attempt records.
//! - The countdown is shown every second but announced to screen readers only at a few
//!   milestones (half time, 5 and 1 minutes left, time up), never each second.
//! - A finished attempt records how long it took, and whether and how it was timed.

use serde::{Deserialize, Serialize};

/// The longest time box accepted, in minutes: anything longer is not a time box.
pub const MAX_MINUTES: u32 = 8 * 60;

const MINUTE_MS: u64 = 60_000;

/// A countdown the learner started on a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeBox {
    /// The minutes it runs.
    pub minutes: u32,
    /// When it started (ms since the Unix epoch).
    pub started_at: u64,
}

/// Why a time box cannot start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimeBoxError {
    /// Zero or more than [`MAX_MINUTES`].
    #[error(
        "a time box runs from 1 to {MAX_MINUTES} minutes, not {0}; use the scenario's own estimate"
    )]
    OutOfRange(u32),
}

/// Where a countdown stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// Seconds left (rounded up: "0:01 left" until the last second is gone).
    Left(u64),
    /// Seconds past the end.
    Over(u64),
}

impl TimeBox {
    /// Starts a box of `minutes` at `now`.
    pub fn start(minutes: u32, now: u64) -> Result<TimeBox, TimeBoxError> {
        if minutes == 0 || minutes > MAX_MINUTES {
            return Err(TimeBoxError::OutOfRange(minutes));
        }
        Ok(TimeBox {
            minutes,
            started_at: now,
        })
    }

    /// Its length in ms.
    pub fn limit_ms(&self) -> u64 {
        u64::from(self.minutes) * MINUTE_MS
    }

    /// Time since it started; 0 if the clock reads earlier than the start (a clock set back).
    pub fn elapsed(&self, now: u64) -> u64 {
        now.saturating_sub(self.started_at)
    }

    /// Where it stands at `now`.
    pub fn countdown(&self, now: u64) -> Countdown {
        let elapsed = self.elapsed(now);
        let limit = self.limit_ms();
        if elapsed < limit {
            Countdown::Left((limit - elapsed).div_ceil(1000))
        } else {
            Countdown::Over((elapsed - limit) / 1000)
        }
    }

    /// What the countdown shows: "24:59 left", or "Time is up · 1:05 over".
    pub fn clock_text(&self, now: u64) -> String {
        match self.countdown(now) {
            Countdown::Left(s) => format!("{} left", clock(s)),
            Countdown::Over(s) => format!("Time is up · {} over", clock(s)),
        }
    }

    /// What to announce to a screen reader when the countdown moves from `before` to `now`: the
    /// last milestone crossed between them, if any. Milestones are half time (boxes of 10 minutes
    /// or more; the clock beside it says what is left), 5 minutes left (boxes longer than 5), 1 minute left (longer than 1) and time up.
    pub fn announcement(&self, before: u64, now: u64) -> Option<String> {
        let (from, to) = (self.elapsed(before), self.elapsed(now));
        let limit = self.limit_ms();
        let mut marks: Vec<(u64, String)> = Vec::new();
        if self.minutes >= 10 {
            marks.push((limit / 2, "Half time.".to_string()));
        }
        for left in [5, 1] {
            if self.minutes > left {
                marks.push((
                    limit - u64::from(left) * MINUTE_MS,
                    format!("{} left.", minutes_words(u64::from(left) * MINUTE_MS)),
                ));
            }
        }
        marks.push((
            limit,
            "Time is up. Keep writing if you need to: the overtime is recorded.".to_string(),
        ));
        marks
            .into_iter()
            .filter(|(at, _)| from < *at && *at <= to)
            .max_by_key(|(at, _)| *at)
            .map(|(_, text)| text)
    }
}

/// "1:05", "12:00", "1:02:03".
fn clock(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// "1 minute", "12 minutes".
fn minutes_words(ms: u64) -> String {
    match ms / MINUTE_MS {
        1 => "1 minute".to_string(),
        n => format!("{n} minutes"),
    }
}

/// How long an attempt took, recorded when it is committed or given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    /// From the start (of the time box when timed, else of the draft) to commit, in ms.
    pub taken_ms: u64,
    /// The time box's minutes, when the attempt was timed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timed_minutes: Option<u32>,
}

impl Timing {
    /// The timing of an attempt finished at `now`: from its time box's start when it ran one,
    /// else from when the draft started.
    pub fn at_finish(timebox: Option<TimeBox>, draft_started_at: u64, now: u64) -> Timing {
        match timebox {
            Some(b) => Timing {
                taken_ms: b.elapsed(now),
                timed_minutes: Some(b.minutes),
            },
            None => Timing {
                taken_ms: now.saturating_sub(draft_started_at),
                timed_minutes: None,
            },
        }
    }

    /// Time past the box, when timed and over.
    pub fn overtime_ms(&self) -> Option<u64> {
        let limit = u64::from(self.timed_minutes?) * MINUTE_MS;
        (self.taken_ms > limit).then(|| self.taken_ms - limit)
    }

    /// "23 min", "27 min (timed 25 min, 2 min over)", "18 min (timed 25 min)".
    pub fn text(&self) -> String {
        let took = duration_words(self.taken_ms);
        match (self.timed_minutes, self.overtime_ms()) {
            (Some(m), Some(over)) => {
                format!("{took} (timed {m} min, {} over)", duration_words(over))
            }
            (Some(m), None) => format!("{took} (timed {m} min)"),
            (None, _) => took,
        }
    }
}

/// A span as a learner says it: "under a minute", "23 min", "2 h 05 min", "3 days".
pub fn duration_words(ms: u64) -> String {
    let minutes = ms / MINUTE_MS;
    match minutes {
        0 => "under a minute".to_string(),
        1..=119 => format!("{minutes} min"),
        120..=2879 => format!("{} h {:02} min", minutes / 60, minutes % 60),
        _ => format!("{} days", minutes / (24 * 60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_800_000_000_000;

    #[test]
    fn a_time_box_counts_down_from_its_stored_start_and_then_counts_overtime() {
        let b = TimeBox::start(25, T).unwrap();
        assert_eq!(b.clock_text(T), "25:00 left");
        assert_eq!(b.clock_text(T + 1), "25:00 left");
        assert_eq!(b.clock_text(T + 1000), "24:59 left");
        assert_eq!(b.clock_text(T + 25 * MINUTE_MS - 1), "0:01 left");
        assert_eq!(b.countdown(T + 25 * MINUTE_MS), Countdown::Over(0));
        assert_eq!(
            b.clock_text(T + 26 * MINUTE_MS + 5000),
            "Time is up · 1:05 over"
        );
        // A reload reads the same start: the time away counted, nothing reset.
        let reloaded: TimeBox = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        assert_eq!(reloaded.clock_text(T + 10 * MINUTE_MS), "15:00 left");
        // A clock set back before the start reads as the start.
        assert_eq!(b.clock_text(T - 5000), "25:00 left");
        assert_eq!(
            TimeBox::start(90, T).unwrap().clock_text(T + 1000),
            "1:29:59 left"
        );
    }

    #[test]
    fn a_time_box_runs_one_minute_to_eight_hours() {
        assert_eq!(TimeBox::start(0, T), Err(TimeBoxError::OutOfRange(0)));
        assert!(TimeBox::start(MAX_MINUTES + 1, T).is_err());
        assert!(TimeBox::start(1, T).is_ok());
        assert!(TimeBox::start(MAX_MINUTES, T).is_ok());
    }

    #[test]
    fn milestones_are_announced_once_each_and_never_every_second() {
        let b = TimeBox::start(20, T).unwrap();
        let at = |s: u64| T + s * 1000;
        // Tick by tick through the whole box and past it: four announcements in all.
        let mut said = vec![];
        for s in 1..=(25 * 60) {
            if let Some(text) = b.announcement(at(s - 1), at(s)) {
                said.push((s, text));
            }
        }
        assert_eq!(
            said,
            [
                (600, "Half time.".to_string()),
                (900, "5 minutes left.".to_string()),
                (1140, "1 minute left.".to_string()),
                (
                    1200,
                    "Time is up. Keep writing if you need to: the overtime is recorded."
                        .to_string()
                ),
            ]
        );
        // A tab asleep through several milestones says only the latest.
        assert_eq!(
            b.announcement(at(0), at(1150)).as_deref(),
            Some("1 minute left.")
        );
        // Reopened after the end: nothing new to announce while the overtime runs.
        assert_eq!(b.announcement(at(1300), at(1301)), None);
        // Short boxes skip the milestones they are too short for.
        let short = TimeBox::start(5, T).unwrap();
        let marks: Vec<String> = (1..=300)
            .filter_map(|s| short.announcement(at(s - 1), at(s)))
            .collect();
        assert_eq!(marks.len(), 2, "{marks:?}");
        assert_eq!(marks[0], "1 minute left.");
    }

    #[test]
    fn an_attempt_records_the_time_taken_and_the_overtime() {
        let b = TimeBox::start(25, T).unwrap();
        let over = Timing::at_finish(Some(b), T - 60 * MINUTE_MS, T + 27 * MINUTE_MS);
        assert_eq!(
            over,
            Timing {
                taken_ms: 27 * MINUTE_MS,
                timed_minutes: Some(25)
            }
        );
        assert_eq!(over.overtime_ms(), Some(2 * MINUTE_MS));
        assert_eq!(over.text(), "27 min (timed 25 min, 2 min over)");
        let within = Timing::at_finish(Some(b), T, T + 18 * MINUTE_MS);
        assert_eq!(
            (within.overtime_ms(), within.text().as_str()),
            (None, "18 min (timed 25 min)")
        );
        // Untimed: from the draft's start.
        let untimed = Timing::at_finish(None, T, T + 150 * MINUTE_MS);
        assert_eq!(untimed.text(), "2 h 30 min");
        assert_eq!(untimed.overtime_ms(), None);
        assert_eq!(duration_words(30_000), "under a minute");
        assert_eq!(duration_words(3 * 24 * 60 * MINUTE_MS), "3 days");
        // Stored compactly: no box, no field.
        assert_eq!(
            serde_json::to_string(&untimed).unwrap(),
            r#"{"taken_ms":9000000}"#
        );
    }
}
