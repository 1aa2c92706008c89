//! Key names. Everything lives under `leap:`, then the pack, so two packs on one origin never
//! collide; entries set aside live under `leap:aside:` with their original key.

/// The prefix of every key the site writes.
pub const PREFIX: &str = "leap:";
/// The prefix of entries set aside because they could not be read.
pub const ASIDE: &str = "leap:aside:";

/// A parsed key of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// The open draft of a scenario.
    Draft {
        /// Pack id.
        pack: String,
        /// Scenario id.
        scenario: String,
    },
    /// One finished attempt.
    Attempt {
        /// Pack id.
        pack: String,
        /// Scenario id.
        scenario: String,
        /// Attempt id.
        id: String,
    },
    /// The text typed into a scenario page's pre-rendered editor before the app took it over,
    /// written by the page's small script (see [`super::early`]) and merged into the draft by the
    /// app.
    Early {
        /// Pack id.
        pack: String,
        /// Scenario id.
        scenario: String,
    },
    /// The review queue: one entry for every pack (a drill is about a criterion, wherever it is).
    Review,
}

/// The review queue's key. Pack keys have at least three parts (`leap:pack:scenario:draft`), so no
/// pack or scenario id can produce it.
pub const REVIEW_KEY: &str = "leap:review";

impl Key {
    /// The storage key.
    pub fn render(&self) -> String {
        match self {
            Key::Draft { pack, scenario } => format!("{PREFIX}{pack}:{scenario}:draft"),
            Key::Attempt { pack, scenario, id } => {
                format!("{PREFIX}{pack}:{scenario}:attempt:{id}")
            }
            Key::Early { pack, scenario } => format!("{PREFIX}{pack}:{scenario}:early"),
            Key::Review => REVIEW_KEY.to_string(),
        }
    }

    /// Parses one of our keys; `None` for anything else (including set-aside entries).
    pub fn parse(key: &str) -> Option<Key> {
        let rest = key.strip_prefix(PREFIX)?;
        if key.starts_with(ASIDE) {
            return None;
        }
        let parts: Vec<&str> = rest.split(':').collect();
        match parts.as_slice() {
            ["review"] => Some(Key::Review),
            [pack, scenario, "draft"] => Some(Key::Draft {
                pack: (*pack).into(),
                scenario: (*scenario).into(),
            }),
            [pack, scenario, "early"] => Some(Key::Early {
                pack: (*pack).into(),
                scenario: (*scenario).into(),
            }),
            [pack, scenario, "attempt", id] => Some(Key::Attempt {
                pack: (*pack).into(),
                scenario: (*scenario).into(),
                id: (*id).into(),
            }),
            _ => None,
        }
    }

    /// The pack and scenario the key belongs to; `None` for the review queue, which belongs to
    /// every pack.
    pub fn scenario(&self) -> Option<(&str, &str)> {
        match self {
            Key::Draft { pack, scenario }
            | Key::Early { pack, scenario }
            | Key::Attempt { pack, scenario, .. } => Some((pack, scenario)),
            Key::Review => None,
        }
    }
}

/// The prefix of every key of one scenario.
pub fn scenario_prefix(pack: &str, scenario: &str) -> String {
    format!("{PREFIX}{pack}:{scenario}:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for k in [
            Key::Draft {
                pack: "core".into(),
                scenario: "edge-cpu".into(),
            },
            Key::Attempt {
                pack: "acme".into(),
                scenario: "x".into(),
                id: "a1b2".into(),
            },
            Key::Early {
                pack: "core".into(),
                scenario: "edge-cpu".into(),
            },
            Key::Review,
        ] {
            assert_eq!(Key::parse(&k.render()), Some(k));
        }
        assert_eq!(Key::parse("leap:aside:leap:core:x:draft"), None);
        assert_eq!(Key::parse("other:core:x:draft"), None);
        assert_eq!(Key::parse("leap:core:x:nope"), None);
        assert_eq!(Key::parse(REVIEW_KEY), Some(Key::Review));
        assert_eq!(Key::Review.scenario(), None);
        // No pack can write a key that reads as the queue's.
        assert_eq!(
            Key::parse("leap:review:x:draft").unwrap().scenario(),
            Some(("review", "x"))
        );
    }
}
