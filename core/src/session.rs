//! The practice session of an investigation: a simulated clock, probes the learner runs, injects
//! that arrive as the clock passes them, working hypotheses with their confidence, an exchange
//! with the game master, and a commit that freezes it all. A plain state machine with no I/O:
//! the app renders it and stores its log; grading, scoring and progress read the log.
//!
//! Time is simulated minutes since T+0. The log is the single source of truth: a session resumed
//! from a stored log is the session that wrote it.

use crate::baked::{
    Inject, Investigation, Probe, Rubric, RubricInvestigation, Rule, SampleHypothesis, SampleLog,
};
use crate::taxonomy::Verdict;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest single wait, in simulated minutes; shorter and longer requests are clamped.
pub const MAX_WAIT: u32 = 60;

/// One event of an investigation, in the order it happened. Times are simulated minutes since T+0.
///
/// Stored as an object tagged by `type` (`{"type":"probe","id":"…","at":5}`); read by hand (see
/// the `Deserialize` impl below), written by the derived encoder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum LogEvent {
    /// A probe's evidence was revealed at `at` (after its cost).
    Probe {
        /// The probe's id.
        id: String,
        /// When it was revealed.
        at: u32,
    },
    /// An inject arrived; `at` is its scheduled time (it may fall during a probe's cost).
    Inject {
        /// The inject's id.
        id: String,
        /// When it arrived.
        at: u32,
    },
    /// A hypothesis line was added, or revised (`revises` names the line; `n` is that line).
    Hypothesis {
        /// The line's number: 1, 2, 3…
        n: u32,
        /// What the learner thinks is going on.
        text: String,
        /// How sure they are, 0–100.
        confidence: u8,
        /// When.
        at: u32,
        /// The line this revises, if it is a revision.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        revises: Option<u32>,
    },
    /// A question to the game master and its answer.
    Asked {
        /// The learner's question, as typed.
        question: String,
        /// The game master's answer.
        answer: String,
        /// The probe the answer revealed, if any (its Probe event follows, after its cost).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        probe: Option<String>,
        /// When it was asked.
        at: u32,
    },
    /// The learner let time pass.
    Waited {
        /// How long.
        minutes: u32,
        /// The clock afterwards.
        at: u32,
    },
    /// The learner committed: the investigation is frozen.
    Committed {
        /// When.
        at: u32,
    },
}

impl LogEvent {
    /// The simulated minute the event happened.
    pub fn at(&self) -> u32 {
        match self {
            LogEvent::Probe { at, .. }
            | LogEvent::Inject { at, .. }
            | LogEvent::Hypothesis { at, .. }
            | LogEvent::Asked { at, .. }
            | LogEvent::Waited { at, .. }
            | LogEvent::Committed { at } => *at,
        }
    }
}

/// Reads what the derived decoder of a `type`-tagged enum reads, in one pass over a flat record
/// of every event's fields: the derived one buffers each event before choosing its variant, and
/// was the largest single function of every bundle that reads attempts. A field another kind of
/// event has must still be of its type; a field of no event is skipped.
impl<'de> Deserialize<'de> for LogEvent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        struct Flat {
            #[serde(rename = "type")]
            kind: String,
            id: Option<String>,
            at: Option<u32>,
            n: Option<u32>,
            text: Option<String>,
            confidence: Option<u8>,
            revises: Option<u32>,
            question: Option<String>,
            answer: Option<String>,
            probe: Option<String>,
            minutes: Option<u32>,
        }
        fn need<T, E: Error>(v: Option<T>, field: &'static str) -> Result<T, E> {
            v.ok_or_else(|| E::missing_field(field))
        }
        let f = Flat::deserialize(d)?;
        // The kind first, as the derived decoder: an unknown one is reported as such.
        let at = || need(f.at, "at");
        Ok(match f.kind.as_str() {
            "probe" => LogEvent::Probe {
                id: need(f.id, "id")?,
                at: at()?,
            },
            "inject" => LogEvent::Inject {
                id: need(f.id, "id")?,
                at: at()?,
            },
            "hypothesis" => LogEvent::Hypothesis {
                n: need(f.n, "n")?,
                text: need(f.text, "text")?,
                confidence: need(f.confidence, "confidence")?,
                at: at()?,
                revises: f.revises,
            },
            "asked" => LogEvent::Asked {
                question: need(f.question, "question")?,
                answer: need(f.answer, "answer")?,
                probe: f.probe,
                at: at()?,
            },
            "waited" => LogEvent::Waited {
                minutes: need(f.minutes, "minutes")?,
                at: at()?,
            },
            "committed" => LogEvent::Committed { at: at()? },
            other => {
                return Err(D::Error::unknown_variant(
                    other,
                    &[
                        "probe",
                        "inject",
                        "hypothesis",
                        "asked",
                        "waited",
                        "committed",
                    ],
                ))
            }
        })
    }
}

/// An investigation's log: stored with the draft and the attempt, sent to the evaluator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionLog {
    /// Every event, oldest first.
    pub events: Vec<LogEvent>,
}

impl SessionLog {
    /// Probe ids in the order they were revealed, each once, with the time (before any commit).
    pub fn probes(&self) -> Vec<(&str, u32)> {
        let mut out: Vec<(&str, u32)> = Vec::new();
        for e in &self.events {
            match e {
                LogEvent::Committed { .. } => break,
                LogEvent::Probe { id, at } if !out.iter().any(|(p, _)| p == id) => {
                    out.push((id, *at))
                }
                _ => {}
            }
        }
        out
    }

    /// When the learner committed, if they did.
    pub fn committed_at(&self) -> Option<u32> {
        self.events.iter().find_map(|e| match e {
            LogEvent::Committed { at } => Some(*at),
            _ => None,
        })
    }

    /// The clock the log ends at: the latest time any event happened.
    pub fn clock(&self) -> u32 {
        self.events.iter().map(LogEvent::at).max().unwrap_or(0)
    }

    /// The log a sample answer's path gives: its probes run back to back in order, each
    /// hypothesis written at its time, the commit at `committed_at`. Time between probes is
    /// spent waiting for a hypothesis's time only as far as the remaining probes still finish by
    /// the commit, so probe order and commit time (what the code rules read) are the author's;
    /// a hypothesis that cannot wait for its time is written earlier. Probes that do not exist or
    /// were listed already are skipped: a malformed sample gives a log, never a panic (the
    /// compiler reports such samples).
    pub fn from_sample(inv: &Investigation, sample: &SampleLog) -> SessionLog {
        let cost = |id: &str| inv.probe(id).map_or(0, |p| p.cost);
        let mut s = Session::new(inv);
        let mut remaining: u32 = sample.probes.iter().map(|id| cost(id)).sum();
        let mut hypotheses = sample.hypotheses.iter().peekable();
        let write = |s: &mut Session, h: &SampleHypothesis, latest: u32| {
            s.advance_to(h.at.min(latest));
            let _ = s.hypothesis(&h.text, h.confidence, None);
        };
        for id in &sample.probes {
            let c = cost(id);
            // Written before this probe: hypotheses whose time falls before it would finish.
            while let Some(h) = hypotheses.next_if(|h| h.at < s.clock.saturating_add(c)) {
                write(&mut s, h, sample.committed_at.saturating_sub(remaining));
            }
            if s.run(id).is_ok() {
                remaining = remaining.saturating_sub(c);
            }
        }
        for h in hypotheses {
            write(&mut s, h, sample.committed_at);
        }
        s.advance_to(sample.committed_at);
        let _ = s.commit();
        s.log
    }
}

/// A hypothesis line as it stands now, with the versions it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hypothesis {
    /// Its number.
    pub n: u32,
    /// The latest text.
    pub text: String,
    /// The latest confidence, 0–100.
    pub confidence: u8,
    /// When it was last written.
    pub at: u32,
    /// Earlier versions, oldest first.
    pub history: Vec<Revision>,
}

/// An earlier version of a hypothesis line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// What it said.
    pub text: String,
    /// How sure the learner was.
    pub confidence: u8,
    /// When it was written.
    pub at: u32,
}

/// A piece of evidence the learner has seen, in the order it reached them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seen<'a> {
    /// A probe's evidence, revealed at the time given.
    Probe(&'a Probe, u32),
    /// An inject, arrived at the time given.
    Inject(&'a Inject, u32),
}

/// Why a session refused an action. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// No probe has this id.
    #[error(
        "There is no probe `{0}` in this scenario: choose one from the evidence you can ask for."
    )]
    UnknownProbe(String),
    /// The probe was run already.
    #[error("You already looked at `{0}`: its evidence is under the evidence so far.")]
    AlreadyRun(String),
    /// The investigation is committed.
    #[error(
        "This investigation is committed and frozen: start a new attempt to investigate again."
    )]
    Committed,
    /// A hypothesis without text.
    #[error("Write the hypothesis before adding it.")]
    EmptyHypothesis,
    /// A confidence above 100.
    #[error("Confidence is a percentage: choose a value from 0 to 100.")]
    ConfidenceOutOfRange,
    /// A revision of a line that does not exist.
    #[error("There is no hypothesis {0} to revise: revise one from your list, or add a new one.")]
    UnknownHypothesis(u32),
}

/// A running investigation over a scenario's hidden parts.
#[derive(Debug, Clone)]
pub struct Session<'a> {
    inv: &'a Investigation,
    log: SessionLog,
    clock: u32,
    committed: bool,
}

impl<'a> Session<'a> {
    /// A fresh session at T+0.
    pub fn new(inv: &'a Investigation) -> Self {
        Session {
            inv,
            log: SessionLog::default(),
            clock: 0,
            committed: false,
        }
    }

    /// Picks up a stored log. The log is kept as it is; events naming probes or injects that the
    /// scenario no longer has (a log from an older version of the content) are ignored by every
    /// view, but the time they took still counts.
    pub fn resume(inv: &'a Investigation, log: SessionLog) -> Self {
        Session {
            inv,
            clock: log.clock(),
            committed: log.committed_at().is_some(),
            log,
        }
    }

    /// Simulated minutes since T+0.
    pub fn clock(&self) -> u32 {
        self.clock
    }

    /// The clock as the page reads it: "T+25 min".
    pub fn clock_label(&self) -> String {
        clock_label(self.clock)
    }

    /// The clock on the wall ("10:07"), when the scenario says what T+0 reads as.
    pub fn wall_label(&self) -> Option<String> {
        wall_clock(self.inv.start.as_deref()?, self.clock)
    }

    /// Whether the learner has committed.
    pub fn is_committed(&self) -> bool {
        self.committed
    }

    /// Probes not yet run, in the author's order.
    pub fn available(&self) -> Vec<&'a Probe> {
        self.inv
            .probes
            .iter()
            .filter(|p| !self.was_run(&p.id))
            .collect()
    }

    /// Probes revealed, in reveal order, with the time each was revealed.
    pub fn revealed(&self) -> Vec<(&'a Probe, u32)> {
        self.seen()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Probe(p, at) => Some((p, at)),
                Seen::Inject(..) => None,
            })
            .collect()
    }

    /// Injects that have arrived, in arrival order, with their time.
    pub fn arrived(&self) -> Vec<(&'a Inject, u32)> {
        self.seen()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Inject(i, at) => Some((i, at)),
                Seen::Probe(..) => None,
            })
            .collect()
    }

    /// Everything seen so far, probes and injects interleaved in the order they were logged.
    pub fn seen(&self) -> Vec<Seen<'a>> {
        let inv: &'a Investigation = self.inv;
        let mut out: Vec<Seen<'a>> = Vec::new();
        for e in &self.log.events {
            match e {
                LogEvent::Probe { id, at } => {
                    if let Some(p) = inv.probe(id) {
                        if !out
                            .iter()
                            .any(|s| matches!(s, Seen::Probe(q, _) if q.id == p.id))
                        {
                            out.push(Seen::Probe(p, *at));
                        }
                    }
                }
                LogEvent::Inject { id, at } => {
                    if let Some(i) = inv.injects.iter().find(|i| i.id == *id) {
                        if !out
                            .iter()
                            .any(|s| matches!(s, Seen::Inject(j, _) if j.id == i.id))
                        {
                            out.push(Seen::Inject(i, *at));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Runs a probe: the clock advances by its cost, its evidence is revealed at the new time,
    /// and the injects the clock passed arrive. Returns those injects.
    pub fn run(&mut self, probe_id: &str) -> Result<Vec<&'a Inject>, SessionError> {
        let probe = self.runnable(probe_id)?;
        Ok(self.reveal(probe))
    }

    /// Lets time pass (clamped to 1–60 minutes). Returns the injects that arrived. A committed
    /// session is frozen: waiting does nothing.
    pub fn wait(&mut self, minutes: u32) -> Vec<&'a Inject> {
        if self.committed {
            return Vec::new();
        }
        let minutes = minutes.clamp(1, MAX_WAIT);
        self.clock = self.clock.saturating_add(minutes);
        self.log.events.push(LogEvent::Waited {
            minutes,
            at: self.clock,
        });
        self.deliver()
    }

    /// Adds a hypothesis line, or revises line `revises` (keeping its earlier versions).
    /// Returns the line's number.
    pub fn hypothesis(
        &mut self,
        text: &str,
        confidence: u8,
        revises: Option<u32>,
    ) -> Result<u32, SessionError> {
        self.mutable()?;
        let text = text.trim();
        if text.is_empty() {
            return Err(SessionError::EmptyHypothesis);
        }
        if confidence > 100 {
            return Err(SessionError::ConfidenceOutOfRange);
        }
        let last = self
            .log
            .events
            .iter()
            .filter_map(|e| match e {
                LogEvent::Hypothesis { n, .. } => Some(*n),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let n = match revises {
            Some(r) if r == 0 || r > last => return Err(SessionError::UnknownHypothesis(r)),
            Some(r) => r,
            None => last + 1,
        };
        self.log.events.push(LogEvent::Hypothesis {
            n,
            text: text.to_string(),
            confidence,
            at: self.clock,
            revises,
        });
        Ok(n)
    }

    /// The hypothesis lines as they stand, by number, each with its earlier versions.
    pub fn hypotheses(&self) -> Vec<Hypothesis> {
        hypotheses(&self.log)
    }

    /// Logs an exchange with the game master. When the answer names a probe, that probe is
    /// revealed as if run (its cost is charged); name only a probe from [`Session::available`].
    /// Returns the injects that arrived meanwhile.
    pub fn asked(
        &mut self,
        question: &str,
        answer: &str,
        probe: Option<&str>,
    ) -> Result<Vec<&'a Inject>, SessionError> {
        self.mutable()?;
        let probe = probe.map(|id| self.runnable(id)).transpose()?;
        self.log.events.push(LogEvent::Asked {
            question: question.to_string(),
            answer: answer.to_string(),
            probe: probe.map(|p| p.id.clone()),
            at: self.clock,
        });
        Ok(probe.map(|p| self.reveal(p)).unwrap_or_default())
    }

    /// Commits: logs the time and freezes the session. Returns the time.
    pub fn commit(&mut self) -> Result<u32, SessionError> {
        self.mutable()?;
        self.committed = true;
        self.log.events.push(LogEvent::Committed { at: self.clock });
        Ok(self.clock)
    }

    /// The log so far.
    pub fn log(&self) -> &SessionLog {
        &self.log
    }

    /// Gives the log up, to store it.
    pub fn into_log(self) -> SessionLog {
        self.log
    }

    fn mutable(&self) -> Result<(), SessionError> {
        if self.committed {
            Err(SessionError::Committed)
        } else {
            Ok(())
        }
    }

    fn was_run(&self, id: &str) -> bool {
        self.log
            .events
            .iter()
            .any(|e| matches!(e, LogEvent::Probe { id: p, .. } if p == id))
    }

    fn runnable(&self, id: &str) -> Result<&'a Probe, SessionError> {
        self.mutable()?;
        let inv: &'a Investigation = self.inv;
        let probe = inv
            .probe(id)
            .ok_or_else(|| SessionError::UnknownProbe(id.to_string()))?;
        if self.was_run(id) {
            return Err(SessionError::AlreadyRun(id.to_string()));
        }
        Ok(probe)
    }

    fn reveal(&mut self, probe: &'a Probe) -> Vec<&'a Inject> {
        self.clock = self.clock.saturating_add(probe.cost);
        self.log.events.push(LogEvent::Probe {
            id: probe.id.clone(),
            at: self.clock,
        });
        self.deliver()
    }

    /// Logs every inject the clock has reached and that has not arrived yet, by time.
    fn deliver(&mut self) -> Vec<&'a Inject> {
        let inv: &'a Investigation = self.inv;
        let mut due: Vec<&'a Inject> = inv
            .injects
            .iter()
            .filter(|i| i.at <= self.clock)
            .filter(|i| {
                !self
                    .log
                    .events
                    .iter()
                    .any(|e| matches!(e, LogEvent::Inject { id, .. } if *id == i.id))
            })
            .collect();
        crate::order::sort_by_key(&mut due, |i| i.at);
        for i in &due {
            self.log.events.push(LogEvent::Inject {
                id: i.id.clone(),
                at: i.at,
            });
        }
        due
    }

    /// Waits (in steps of at most an hour) until the clock reads `t`; nothing if it already does.
    fn advance_to(&mut self, t: u32) {
        while self.clock < t && !self.committed {
            self.wait(t - self.clock);
        }
    }
}

/// "T+25 min".
pub fn clock_label(minutes: u32) -> String {
    format!("T+{minutes} min")
}

/// The wall clock `minutes` after `start` ("09:42" + 25 → "10:07"), wrapping past midnight;
/// `None` if `start` is not a valid "HH:MM".
pub fn wall_clock(start: &str, minutes: u32) -> Option<String> {
    let (h, m) = start.trim().split_once(':')?;
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    let t = (h * 60 + m + minutes % (24 * 60)) % (24 * 60);
    Some(format!("{:02}:{:02}", t / 60, t % 60))
}

/// The hypothesis lines a log ends with, by number, each with its earlier versions.
pub fn hypotheses(log: &SessionLog) -> Vec<Hypothesis> {
    let mut lines: Vec<Hypothesis> = Vec::new();
    for e in &log.events {
        let LogEvent::Hypothesis {
            n,
            text,
            confidence,
            at,
            ..
        } = e
        else {
            continue;
        };
        match lines.iter_mut().find(|h| h.n == *n) {
            Some(h) => {
                h.history.push(Revision {
                    text: std::mem::replace(&mut h.text, text.clone()),
                    confidence: h.confidence,
                    at: h.at,
                });
                (h.confidence, h.at) = (*confidence, *at);
            }
            None => lines.push(Hypothesis {
                n: *n,
                text: text.clone(),
                confidence: *confidence,
                at: *at,
                history: Vec::new(),
            }),
        }
    }
    crate::order::sort_by_key(&mut lines, |h| h.n);
    lines
}

/// The verdict a code rule gives a log.
///
/// - `looked-at:ID`: caught if ID was revealed before commit, else missed.
/// - `first:ID`: caught if ID was the first probe run, partial if run later, else missed.
/// - `avoided:ID`: caught if ID was never run, else missed.
/// - `acted-by:N`: caught if committed by T+N, partial by T+2N, else (or never committed) missed.
pub fn decide(rule: &Rule, log: &SessionLog) -> Verdict {
    let probes = log.probes();
    let ran = |id: &str| probes.iter().any(|(p, _)| *p == id);
    let verdict = |caught: bool| {
        if caught {
            Verdict::Caught
        } else {
            Verdict::Missed
        }
    };
    match rule {
        Rule::LookedAt(id) => verdict(ran(id)),
        Rule::First(id) if probes.first().is_some_and(|(p, _)| p == id) => Verdict::Caught,
        Rule::First(id) if ran(id) => Verdict::Partial,
        Rule::First(_) => Verdict::Missed,
        Rule::Avoided(id) => verdict(
            !log.events
                .iter()
                .any(|e| matches!(e, LogEvent::Probe { id: p, .. } if p == id)),
        ),
        Rule::ActedBy(n) => match log.committed_at() {
            Some(t) if t <= *n => Verdict::Caught,
            Some(t) if u64::from(t) <= 2 * u64::from(*n) => Verdict::Partial,
            _ => Verdict::Missed,
        },
    }
}

/// The verdict of every criterion the rubric has the site decide, by criterion id.
pub fn decide_all(rubric: &Rubric, log: &SessionLog) -> BTreeMap<String, Verdict> {
    rubric
        .criteria
        .iter()
        .filter_map(|c| Some((c.id.clone(), decide(c.rule.as_ref()?, log))))
        .collect()
}

/// Figures for the progress page: time to the first hypothesis, probes used against the senior's
/// `first` list, traps run, when committed, and how confidence moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathFigures {
    /// When the first hypothesis was written.
    pub first_hypothesis_at: Option<u32>,
    /// Probes run.
    pub probes_run: usize,
    /// Of the probes a senior runs first, how many were run.
    pub senior_first_run: usize,
    /// Traps run.
    pub traps_run: usize,
    /// When the learner committed.
    pub committed_at: Option<u32>,
    /// Every confidence stated on a hypothesis, with its time, in order.
    pub confidence: Vec<(u32, u8)>,
}

/// Figures for a log against what the rubric says a senior does.
pub fn figures(log: &SessionLog, rubric: &RubricInvestigation) -> PathFigures {
    let probes = log.probes();
    let count = |ids: &[String]| {
        ids.iter()
            .filter(|id| probes.iter().any(|(p, _)| p == id))
            .count()
    };
    let confidence: Vec<(u32, u8)> = log
        .events
        .iter()
        .filter_map(|e| match e {
            LogEvent::Hypothesis { at, confidence, .. } => Some((*at, *confidence)),
            _ => None,
        })
        .collect();
    PathFigures {
        first_hypothesis_at: confidence.first().map(|(at, _)| *at),
        probes_run: probes.len(),
        senior_first_run: count(&rubric.first),
        traps_run: count(&rubric.traps),
        committed_at: log.committed_at(),
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baked::Prose;

    fn prose(text: &str) -> Prose {
        Prose {
            markdown: text.into(),
            html: format!("<p>{text}</p>"),
        }
    }

    fn probe(id: &str, cost: u32) -> Probe {
        Probe {
            id: id.into(),
            label: format!("Look at {id}"),
            cost,
            evidence: prose(id),
        }
    }

    fn inject(id: &str, at: u32) -> Inject {
        Inject {
            id: id.into(),
            label: format!("Event {id}"),
            at,
            body: prose(id),
        }
    }

    /// Probes: drops (5 min), ana (10 min), diff (25 min). Injects at T+12, T+15 and T+20.
    fn incident() -> Investigation {
        Investigation {
            start: Some("09:42".into()),
            probes: vec![probe("drops", 5), probe("ana", 10), probe("diff", 25)],
            injects: vec![inject("vp", 12), inject("page", 15), inject("cfo", 20)],
            facts: prose("The gateway's MTU changed at 09:30."),
        }
    }

    fn ids<T>(items: &[(&T, u32)], id: impl Fn(&T) -> &str) -> Vec<(String, u32)> {
        items.iter().map(|(x, t)| (id(x).to_string(), *t)).collect()
    }

    fn pairs(list: &[(&str, u32)]) -> Vec<(String, u32)> {
        list.iter().map(|(s, t)| (s.to_string(), *t)).collect()
    }

    #[test]
    fn a_new_session_is_at_t0_with_every_probe_available_and_nothing_seen() {
        let inv = incident();
        let s = Session::new(&inv);
        assert_eq!((s.clock(), s.clock_label()), (0, "T+0 min".to_string()));
        assert_eq!(s.wall_label().as_deref(), Some("09:42"));
        let available: Vec<&str> = s.available().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(available, ["drops", "ana", "diff"]);
        assert!(s.revealed().is_empty() && s.arrived().is_empty() && s.log().events.is_empty());
        assert!(!s.is_committed());
    }

    #[test]
    fn running_a_probe_charges_its_cost_and_reveals_it_at_the_new_time() {
        let inv = incident();
        let mut s = Session::new(&inv);
        assert!(s.run("drops").unwrap().is_empty());
        assert_eq!(s.clock(), 5);
        assert_eq!(s.clock_label(), "T+5 min");
        assert_eq!(s.wall_label().as_deref(), Some("09:47"));
        assert_eq!(ids(&s.revealed(), |p| &p.id), pairs(&[("drops", 5)]));
        let available: Vec<&str> = s.available().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(available, ["ana", "diff"]);
        assert_eq!(
            s.log().events,
            [LogEvent::Probe {
                id: "drops".into(),
                at: 5
            }]
        );
    }

    #[test]
    fn one_probe_can_pass_two_injects_which_arrive_in_time_order_after_it() {
        let inv = incident();
        let mut s = Session::new(&inv);
        s.run("drops").unwrap(); // T+5
        let arrived: Vec<&str> = s
            .run("ana")
            .unwrap()
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        // T+15: the VP's message (T+12) and the page (exactly T+15) both arrive.
        assert_eq!(arrived, ["vp", "page"]);
        assert_eq!(
            s.log().events[1..],
            [
                LogEvent::Probe {
                    id: "ana".into(),
                    at: 15
                },
                LogEvent::Inject {
                    id: "vp".into(),
                    at: 12
                },
                LogEvent::Inject {
                    id: "page".into(),
                    at: 15
                },
            ]
        );
        assert_eq!(
            ids(&s.arrived(), |i| &i.id),
            pairs(&[("vp", 12), ("page", 15)])
        );
        let seen: Vec<String> = s
            .seen()
            .iter()
            .map(|x| match x {
                Seen::Probe(p, t) => format!("probe {} {t}", p.id),
                Seen::Inject(i, t) => format!("inject {} {t}", i.id),
            })
            .collect();
        assert_eq!(
            seen,
            [
                "probe drops 5",
                "probe ana 15",
                "inject vp 12",
                "inject page 15"
            ]
        );
    }

    #[test]
    fn an_inject_arrives_exactly_when_the_clock_reaches_it_and_never_twice() {
        let mut inv = incident();
        inv.injects = vec![inject("at-five", 5), inject("at-six", 6)];
        let mut s = Session::new(&inv);
        let first: Vec<&str> = s
            .run("drops")
            .unwrap()
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(first, ["at-five"]);
        assert_eq!(
            s.wait(1).iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["at-six"]
        );
        assert!(s.wait(30).is_empty());
        let injects = s
            .log()
            .events
            .iter()
            .filter(|e| matches!(e, LogEvent::Inject { .. }))
            .count();
        assert_eq!(injects, 2);
    }

    #[test]
    fn injects_out_of_author_order_still_arrive_by_time() {
        let mut inv = incident();
        inv.injects = vec![inject("late", 9), inject("early", 3)];
        let mut s = Session::new(&inv);
        let got: Vec<&str> = s.wait(10).iter().map(|i| i.id.as_str()).collect();
        assert_eq!(got, ["early", "late"]);
    }

    #[test]
    fn waiting_advances_the_clock_by_one_to_sixty_minutes() {
        let inv = incident();
        let mut s = Session::new(&inv);
        assert!(s.wait(11).is_empty());
        assert_eq!(s.clock(), 11);
        let got: Vec<&str> = s.wait(4).iter().map(|i| i.id.as_str()).collect();
        assert_eq!((got, s.clock()), (vec!["vp", "page"], 15));
        s.wait(0);
        assert_eq!(s.clock(), 16, "a wait is at least a minute");
        let late: Vec<&str> = s.wait(500).iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            (late, s.clock()),
            (vec!["cfo"], 76),
            "a wait is at most an hour"
        );
        let waits: Vec<&LogEvent> = s
            .log()
            .events
            .iter()
            .filter(|e| matches!(e, LogEvent::Waited { .. }))
            .collect();
        assert_eq!(
            waits,
            [
                &LogEvent::Waited {
                    minutes: 11,
                    at: 11
                },
                &LogEvent::Waited { minutes: 4, at: 15 },
                &LogEvent::Waited { minutes: 1, at: 16 },
                &LogEvent::Waited {
                    minutes: 60,
                    at: 76
                },
            ]
        );
    }

    #[test]
    fn hypotheses_are_numbered_lines_and_a_revision_keeps_the_history() {
        let inv = incident();
        let mut s = Session::new(&inv);
        s.run("drops").unwrap();
        assert_eq!(
            s.hypothesis("  Network, not the database ", 60, None),
            Ok(1)
        );
        assert_eq!(s.hypothesis("The database is saturated", 20, None), Ok(2));
        s.run("ana").unwrap();
        assert_eq!(
            s.hypothesis("Gateway drops on the new MTU", 80, Some(1)),
            Ok(1)
        );
        let lines = s.hypotheses();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (
                lines[0].n,
                lines[0].text.as_str(),
                lines[0].confidence,
                lines[0].at
            ),
            (1, "Gateway drops on the new MTU", 80, 15)
        );
        assert_eq!(
            lines[0].history,
            [Revision {
                text: "Network, not the database".into(),
                confidence: 60,
                at: 5
            }]
        );
        assert_eq!((lines[1].n, lines[1].history.len()), (2, 0));
        assert_eq!(
            s.log().events.last().unwrap(),
            &LogEvent::Hypothesis {
                n: 1,
                text: "Gateway drops on the new MTU".into(),
                confidence: 80,
                at: 15,
                revises: Some(1)
            }
        );
        // A new line after a revision takes the next free number.
        assert_eq!(s.hypothesis("Third idea", 10, None), Ok(3));
    }

    #[test]
    fn bad_hypotheses_are_refused_and_change_nothing() {
        let inv = incident();
        let mut s = Session::new(&inv);
        assert_eq!(
            s.hypothesis("   ", 50, None),
            Err(SessionError::EmptyHypothesis)
        );
        assert_eq!(
            s.hypothesis("x", 101, None),
            Err(SessionError::ConfidenceOutOfRange)
        );
        assert_eq!(
            s.hypothesis("x", 50, Some(1)),
            Err(SessionError::UnknownHypothesis(1))
        );
        assert_eq!(s.hypothesis("x", 0, None), Ok(1));
        assert_eq!(
            s.hypothesis("y", 100, Some(2)),
            Err(SessionError::UnknownHypothesis(2))
        );
        assert_eq!(
            s.hypothesis("y", 100, Some(0)),
            Err(SessionError::UnknownHypothesis(0))
        );
        assert_eq!(s.log().events.len(), 1);
    }

    #[test]
    fn probes_that_do_not_exist_or_were_run_are_refused() {
        let inv = incident();
        let mut s = Session::new(&inv);
        assert_eq!(
            s.run("nope"),
            Err(SessionError::UnknownProbe("nope".into()))
        );
        s.run("drops").unwrap();
        assert_eq!(
            s.run("drops"),
            Err(SessionError::AlreadyRun("drops".into()))
        );
        assert_eq!((s.clock(), s.log().events.len()), (5, 1));
    }

    #[test]
    fn the_game_master_exchange_is_logged_and_a_named_probe_is_revealed_and_charged() {
        let inv = incident();
        let mut s = Session::new(&inv);
        s.run("drops").unwrap(); // T+5
        assert!(s
            .asked(
                "Anyone on the call know the weather?",
                "Nobody on the call knows.",
                None
            )
            .unwrap()
            .is_empty());
        assert_eq!(s.clock(), 5, "a plain answer costs no time");
        let arrived = s
            .asked(
                "What is the replica lag?",
                "Under a second all morning.",
                Some("ana"),
            )
            .unwrap();
        assert_eq!(
            arrived.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["vp", "page"]
        );
        assert_eq!(s.clock(), 15);
        assert_eq!(
            s.log().events[2..4],
            [
                LogEvent::Asked {
                    question: "What is the replica lag?".into(),
                    answer: "Under a second all morning.".into(),
                    probe: Some("ana".into()),
                    at: 5
                },
                LogEvent::Probe {
                    id: "ana".into(),
                    at: 15
                }
            ]
        );
        assert_eq!(
            ids(&s.revealed(), |p| &p.id),
            pairs(&[("drops", 5), ("ana", 15)])
        );
        // Naming a probe that is gone or already revealed is refused, and nothing is logged.
        let before = s.log().clone();
        assert_eq!(
            s.asked("q", "a", Some("ana")),
            Err(SessionError::AlreadyRun("ana".into()))
        );
        assert_eq!(
            s.asked("q", "a", Some("zzz")),
            Err(SessionError::UnknownProbe("zzz".into()))
        );
        assert_eq!(s.log(), &before);
    }

    #[test]
    fn commit_freezes_the_session() {
        let inv = incident();
        let mut s = Session::new(&inv);
        s.run("drops").unwrap();
        s.hypothesis("Network", 70, None).unwrap();
        assert_eq!(s.commit(), Ok(5));
        assert!(s.is_committed());
        let frozen = s.log().clone();
        assert_eq!(s.run("ana"), Err(SessionError::Committed));
        assert_eq!(s.hypothesis("x", 1, None), Err(SessionError::Committed));
        assert_eq!(s.hypothesis("x", 1, Some(1)), Err(SessionError::Committed));
        assert_eq!(s.asked("q", "a", None), Err(SessionError::Committed));
        assert_eq!(s.asked("q", "a", Some("ana")), Err(SessionError::Committed));
        assert_eq!(s.commit(), Err(SessionError::Committed));
        assert!(s.wait(10).is_empty());
        assert_eq!((s.log(), s.clock()), (&frozen, 5));
    }

    #[test]
    fn every_error_tells_the_learner_what_to_do() {
        let messages = [
            SessionError::UnknownProbe("x".into()),
            SessionError::AlreadyRun("x".into()),
            SessionError::Committed,
            SessionError::EmptyHypothesis,
            SessionError::ConfidenceOutOfRange,
            SessionError::UnknownHypothesis(3),
        ]
        .map(|e| e.to_string());
        assert_eq!(
            messages,
            [
                "There is no probe `x` in this scenario: choose one from the evidence you can ask for.",
                "You already looked at `x`: its evidence is under the evidence so far.",
                "This investigation is committed and frozen: start a new attempt to investigate again.",
                "Write the hypothesis before adding it.",
                "Confidence is a percentage: choose a value from 0 to 100.",
                "There is no hypothesis 3 to revise: revise one from your list, or add a new one.",
            ]
        );
    }

    /// drops (T+5), hypothesis 1 (T+5), ana (T+15) with two injects, revision, commit at T+15.
    fn played(inv: &Investigation) -> SessionLog {
        let mut s = Session::new(inv);
        s.run("drops").unwrap();
        s.hypothesis("Network", 60, None).unwrap();
        s.asked("Replica lag?", "Under a second.", Some("ana"))
            .unwrap();
        s.hypothesis("Gateway MTU", 85, Some(1)).unwrap();
        s.commit().unwrap();
        s.into_log()
    }

    #[test]
    fn a_session_resumes_from_its_serialized_log() {
        let inv = incident();
        let mut s = Session::new(&inv);
        s.run("drops").unwrap();
        s.hypothesis("Network", 60, None).unwrap();
        s.asked("Replica lag?", "Under a second.", Some("ana"))
            .unwrap();
        s.wait(3);
        let json = serde_json::to_string(s.log()).unwrap();
        assert!(json.starts_with(r#"{"events":[{"type":"probe","id":"drops","at":5},{"type":"hypothesis","n":1,"text":"Network","confidence":60,"at":5},{"type":"asked","#), "{json}");
        let log: SessionLog = serde_json::from_str(&json).unwrap();
        assert_eq!(&log, s.log());
        let mut r = Session::resume(&inv, log);
        assert_eq!((r.clock(), r.is_committed()), (18, false));
        assert_eq!(r.revealed(), s.revealed());
        assert_eq!(r.arrived(), s.arrived());
        assert_eq!(r.available(), s.available());
        assert_eq!(r.hypotheses(), s.hypotheses());
        // It carries on where it stopped: the CFO's message (T+20) has not arrived yet, and no
        // inject is delivered twice.
        let got: Vec<&str> = r.wait(2).iter().map(|i| i.id.as_str()).collect();
        assert_eq!(got, ["cfo"]);
        assert_eq!(r.hypothesis("Still the network", 70, Some(1)), Ok(1));

        let committed = Session::resume(&inv, played(&inv));
        assert!(committed.is_committed());
        assert_eq!(committed.clock(), 15);
    }

    #[test]
    fn a_log_from_older_content_resumes_without_its_vanished_probes() {
        let inv = incident();
        let log: SessionLog = serde_json::from_str(
            r#"{"events":[
                {"type":"probe","id":"retired-dashboard","at":7},
                {"type":"inject","id":"retired-inject","at":3},
                {"type":"probe","id":"drops","at":12},
                {"type":"hypothesis","n":4,"text":"orphan revision","confidence":30,"at":12,"revises":2}
            ]}"#,
        )
        .unwrap();
        let mut s = Session::resume(&inv, log.clone());
        assert_eq!(s.clock(), 12, "the time spent still counts");
        assert_eq!(ids(&s.revealed(), |p| &p.id), pairs(&[("drops", 12)]));
        assert!(s.arrived().is_empty());
        assert_eq!(s.available().len(), 2);
        assert_eq!(s.log(), &log, "the stored log is kept as it was");
        assert_eq!(s.hypotheses()[0].n, 4);
        assert_eq!(s.hypothesis("next", 50, None), Ok(5));
        // The vp inject (T+12) had not been delivered by the old content's log: it arrives now.
        let got: Vec<&str> = s.wait(1).iter().map(|i| i.id.as_str()).collect();
        assert_eq!(got, ["vp"]);
        // A damaged log with a probe logged twice shows it once.
        let twice = SessionLog {
            events: vec![
                LogEvent::Probe {
                    id: "drops".into(),
                    at: 5,
                },
                LogEvent::Probe {
                    id: "drops".into(),
                    at: 9,
                },
            ],
        };
        let s = Session::resume(&inv, twice);
        assert_eq!(ids(&s.revealed(), |p| &p.id), pairs(&[("drops", 5)]));
    }

    #[test]
    fn labels_read_like_a_clock() {
        assert_eq!(clock_label(25), "T+25 min");
        assert_eq!(wall_clock("09:42", 25).as_deref(), Some("10:07"));
        assert_eq!(wall_clock("23:50", 25).as_deref(), Some("00:15"));
        assert_eq!(
            wall_clock("00:00", 24 * 60 * 3 + 1).as_deref(),
            Some("00:01")
        );
        assert_eq!(wall_clock("00:00", u32::MAX).as_deref(), Some("04:15"));
        for bad in ["", "9:42", "24:00", "12:60", "ab:cd", "12-30", "+1:00"] {
            assert_eq!(wall_clock(bad, 5), None, "{bad}");
        }
        let mut inv = incident();
        inv.start = None;
        assert_eq!(Session::new(&inv).wall_label(), None);
    }

    fn log_of(events: Vec<LogEvent>) -> SessionLog {
        SessionLog { events }
    }

    fn p(id: &str, at: u32) -> LogEvent {
        LogEvent::Probe { id: id.into(), at }
    }

    fn rule(text: &str) -> Rule {
        Rule::parse(text).unwrap()
    }

    #[test]
    fn looked_at_is_caught_only_if_revealed_before_commit() {
        let r = rule("looked-at:ana");
        assert_eq!(
            decide(&r, &log_of(vec![p("drops", 5), p("ana", 15)])),
            Verdict::Caught
        );
        assert_eq!(decide(&r, &log_of(vec![p("drops", 5)])), Verdict::Missed);
        assert_eq!(decide(&r, &log_of(vec![])), Verdict::Missed);
        let after = log_of(vec![LogEvent::Committed { at: 3 }, p("ana", 15)]);
        assert_eq!(decide(&r, &after), Verdict::Missed);
    }

    #[test]
    fn first_is_caught_first_partial_later_missed_never() {
        let r = rule("first:drops");
        assert_eq!(
            decide(&r, &log_of(vec![p("drops", 5), p("ana", 15)])),
            Verdict::Caught
        );
        assert_eq!(
            decide(&r, &log_of(vec![p("ana", 10), p("drops", 15)])),
            Verdict::Partial
        );
        assert_eq!(decide(&r, &log_of(vec![p("ana", 10)])), Verdict::Missed);
        assert_eq!(decide(&r, &log_of(vec![])), Verdict::Missed);
        // Injects and hypotheses before it do not make it any less first.
        let first = log_of(vec![
            LogEvent::Inject {
                id: "vp".into(),
                at: 1,
            },
            LogEvent::Waited { minutes: 1, at: 1 },
            p("drops", 6),
        ]);
        assert_eq!(decide(&r, &first), Verdict::Caught);
    }

    #[test]
    fn avoided_is_caught_only_if_never_run() {
        let r = rule("avoided:diff");
        assert_eq!(decide(&r, &log_of(vec![p("drops", 5)])), Verdict::Caught);
        assert_eq!(decide(&r, &log_of(vec![])), Verdict::Caught);
        assert_eq!(
            decide(&r, &log_of(vec![p("drops", 5), p("diff", 30)])),
            Verdict::Missed
        );
    }

    #[test]
    fn acted_by_is_caught_by_n_partial_by_2n_missed_after_or_never() {
        let r = rule("acted-by:25");
        let at = |t| decide(&r, &log_of(vec![LogEvent::Committed { at: t }]));
        assert_eq!([at(0), at(25)], [Verdict::Caught; 2]);
        assert_eq!([at(26), at(50)], [Verdict::Partial; 2]);
        assert_eq!([at(51), at(600)], [Verdict::Missed; 2]);
        assert_eq!(decide(&r, &log_of(vec![p("drops", 5)])), Verdict::Missed);
        let huge = rule(&format!("acted-by:{}", u32::MAX));
        assert_eq!(
            decide(&huge, &log_of(vec![LogEvent::Committed { at: u32::MAX }])),
            Verdict::Caught
        );
    }

    #[test]
    fn decide_all_decides_the_criteria_that_have_a_rule() {
        use crate::baked::{Criterion, CriterionKind};
        use crate::taxonomy::Tier;
        let criterion = |id: &str, rule: Option<&str>| Criterion {
            id: id.into(),
            name: String::new(),
            tier: Tier::Important,
            weight: 1,
            insight: prose(id),
            caught: prose(""),
            partial: prose(""),
            why: prose(""),
            kind: if rule.is_some() {
                CriterionKind::Investigation
            } else {
                CriterionKind::Analysis
            },
            rule: rule.map(|r| Rule::parse(r).unwrap()),
        };
        let rubric = Rubric {
            criteria: vec![
                criterion("analysis", None),
                criterion("drops-first", Some("first:drops")),
                criterion("no-diff", Some("avoided:diff")),
                criterion("fast", Some("acted-by:10")),
            ],
            failure_mode: prose(""),
            reframing_question: prose(""),
            red_flags: prose(""),
            common_mistakes: prose(""),
            reference_reasoning: prose(""),
            references: vec![],
            investigation: None,
        };
        let inv = incident();
        let decided = decide_all(&rubric, &played(&inv));
        assert_eq!(
            decided.into_iter().collect::<Vec<_>>(),
            [
                ("drops-first".to_string(), Verdict::Caught),
                ("fast".to_string(), Verdict::Partial),
                ("no-diff".to_string(), Verdict::Caught),
            ]
        );
    }

    #[test]
    fn figures_describe_the_path_against_the_seniors() {
        let inv = incident();
        let rubric = RubricInvestigation {
            first: vec!["drops".into(), "ana".into()],
            traps: vec!["diff".into()],
            act_by: 25,
            why_first: String::new(),
            why_traps: String::new(),
        };
        let f = figures(&played(&inv), &rubric);
        assert_eq!(
            f,
            PathFigures {
                first_hypothesis_at: Some(5),
                probes_run: 2,
                senior_first_run: 2,
                traps_run: 0,
                committed_at: Some(15),
                confidence: vec![(5, 60), (15, 85)],
            }
        );
        let mut s = Session::new(&inv);
        s.run("diff").unwrap();
        let f = figures(s.log(), &rubric);
        assert_eq!(
            (
                f.first_hypothesis_at,
                f.probes_run,
                f.senior_first_run,
                f.traps_run,
                f.committed_at
            ),
            (None, 1, 0, 1, None)
        );
    }

    fn sample(probes: &[&str], hypotheses: &[(u32, u8)], committed_at: u32) -> SampleLog {
        SampleLog {
            probes: probes.iter().map(|p| p.to_string()).collect(),
            hypotheses: hypotheses
                .iter()
                .map(|(at, confidence)| SampleHypothesis {
                    at: *at,
                    text: format!("idea at {at}"),
                    confidence: *confidence,
                })
                .collect(),
            committed_at,
        }
    }

    /// (probes with reveal times, hypotheses' times, commit time) of a log.
    fn shape(log: &SessionLog) -> (Vec<(String, u32)>, Vec<u32>, Option<u32>) {
        let hyps = log
            .events
            .iter()
            .filter_map(|e| match e {
                LogEvent::Hypothesis { at, .. } => Some(*at),
                _ => None,
            })
            .collect();
        (
            log.probes()
                .iter()
                .map(|(p, t)| (p.to_string(), *t))
                .collect(),
            hyps,
            log.committed_at(),
        )
    }

    #[test]
    fn a_sample_path_replays_with_hypotheses_at_their_times_and_the_commit_at_its_time() {
        let inv = incident();
        // The design's example: drops (5 min), a hypothesis at T+6, ana (10 min), another at T+16.
        let log =
            SessionLog::from_sample(&inv, &sample(&["drops", "ana"], &[(6, 60), (16, 80)], 22));
        assert_eq!(
            shape(&log),
            (pairs(&[("drops", 5), ("ana", 16)]), vec![6, 16], Some(22))
        );
        // It is a log a session could have written: it resumes committed at T+22 with every
        // inject up to then delivered once.
        let s = Session::resume(&inv, log.clone());
        assert_eq!((s.clock(), s.is_committed()), (22, true));
        assert_eq!(
            ids(&s.arrived(), |i| &i.id),
            pairs(&[("vp", 12), ("page", 15), ("cfo", 20)])
        );
        assert_eq!(decide(&rule("acted-by:22"), &log), Verdict::Caught);
        assert_eq!(decide(&rule("first:drops"), &log), Verdict::Caught);
    }

    #[test]
    fn a_hypothesis_never_delays_the_probes_past_the_commit() {
        let inv = incident();
        // Probes take all 15 minutes to the commit: the hypothesis at T+12 cannot wait for its
        // time before ana, so it is written before ana starts.
        let log = SessionLog::from_sample(&inv, &sample(&["drops", "ana"], &[(12, 50)], 15));
        assert_eq!(
            shape(&log),
            (pairs(&[("drops", 5), ("ana", 15)]), vec![5], Some(15))
        );
        // A hypothesis at the time a probe finishes is written after its evidence.
        let log = SessionLog::from_sample(&inv, &sample(&["drops"], &[(5, 50)], 30));
        assert_eq!(shape(&log), (pairs(&[("drops", 5)]), vec![5], Some(30)));
        assert!(matches!(log.events[1], LogEvent::Hypothesis { .. }));
        // No probes, no hypotheses: a commit after waiting.
        let log = SessionLog::from_sample(&inv, &sample(&[], &[], 90));
        assert_eq!(shape(&log), (vec![], vec![], Some(90)));
    }

    #[test]
    fn a_malformed_sample_gives_a_log_not_a_panic() {
        let inv = incident();
        let bad = SampleLog {
            probes: vec!["gone".into(), "drops".into(), "drops".into(), "diff".into()],
            hypotheses: vec![
                SampleHypothesis {
                    at: 40,
                    text: "late".into(),
                    confidence: 200,
                },
                SampleHypothesis {
                    at: 2,
                    text: "out of order".into(),
                    confidence: 10,
                },
                SampleHypothesis {
                    at: 3,
                    text: " ".into(),
                    confidence: 10,
                },
            ],
            committed_at: 1,
        };
        let log = SessionLog::from_sample(&inv, &bad);
        assert_eq!(
            shape(&log),
            (pairs(&[("drops", 5), ("diff", 30)]), vec![30], Some(30))
        );
    }

    /// `LogEvent` as it was decoded before its hand-written decoder: derived.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "type", rename_all = "kebab-case")]
    enum Derived {
        Probe {
            id: String,
            at: u32,
        },
        Inject {
            id: String,
            at: u32,
        },
        Hypothesis {
            n: u32,
            text: String,
            confidence: u8,
            at: u32,
            #[serde(default)]
            revises: Option<u32>,
        },
        Asked {
            question: String,
            answer: String,
            #[serde(default)]
            probe: Option<String>,
            at: u32,
        },
        Waited {
            minutes: u32,
            at: u32,
        },
        Committed {
            at: u32,
        },
    }

    #[test]
    fn log_events_decode_as_the_derived_decoder_decoded_them() {
        let cases = [
            r#"{"type":"probe","id":"drops","at":5}"#,
            r#"{"at":5,"id":"drops","type":"probe"}"#,
            r#"{"type":"inject","id":"page","at":12}"#,
            r#"{"type":"hypothesis","n":1,"text":"the regex","confidence":60,"at":6}"#,
            r#"{"type":"hypothesis","n":2,"text":"t","confidence":70,"at":9,"revises":1}"#,
            r#"{"type":"hypothesis","n":2,"text":"t","confidence":70,"at":9,"revises":null}"#,
            r#"{"type":"asked","question":"q","answer":"a","at":3}"#,
            r#"{"type":"asked","question":"q","answer":"a","probe":"diff","at":3}"#,
            r#"{"type":"waited","minutes":10,"at":20}"#,
            r#"{"type":"committed","at":22}"#,
            // Fields of no event are skipped.
            r#"{"type":"committed","at":22,"note":[1,{"x":2}]}"#,
            // Refused by both: a missing field, an unknown kind, no kind, out of range, not an object.
            r#"{"type":"probe","at":5}"#,
            r#"{"type":"hypothesis","n":1,"confidence":60,"at":6}"#,
            r#"{"type":"asked","question":"q","at":3}"#,
            r#"{"type":"waited","at":20}"#,
            r#"{"type":"committed"}"#,
            r#"{"type":"shrug","at":1}"#,
            r#"{"at":1}"#,
            r#"{"type":"hypothesis","n":1,"text":"t","confidence":300,"at":6}"#,
            r#"{"type":"probe","id":"x","at":-1}"#,
            r#"{"type":"probe","id":7,"at":1}"#,
            r#"{"type":"probe","id":"x","at":1,"at":2}"#,
            r#"{"type":5,"at":1}"#,
            r#""probe""#,
            r#"null"#,
        ];
        for raw in cases {
            let ours = serde_json::from_str::<LogEvent>(raw);
            let theirs = serde_json::from_str::<Derived>(raw);
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => {
                    // The same event: written back, it reads as the derived one read the input.
                    let again: Derived =
                        serde_json::from_str(&serde_json::to_string(a).unwrap()).unwrap();
                    assert_eq!(&again, b, "{raw}");
                }
                (Err(_), Err(_)) => {}
                _ => panic!("{raw}: ours {ours:?}, derived {theirs:?}"),
            }
        }
        let unknown = serde_json::from_str::<LogEvent>(r#"{"type":"shrug","at":1}"#).unwrap_err();
        assert!(
            unknown.to_string().contains("unknown variant `shrug`"),
            "{unknown}"
        );
        let missing = serde_json::from_str::<LogEvent>(r#"{"type":"probe","at":5}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `id`"),
            "{missing}"
        );
    }
}
