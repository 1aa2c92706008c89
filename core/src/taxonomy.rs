//! The closed vocabularies of the content format: tracks, levels, kinds, competencies, tiers,
//! verdicts and sample-answer qualities. Each has a stable kebab-case slug (what authors write
//! and what storage keeps) and a label (what learners read).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Reads a vocabulary value from its slug. One shared, non-generic-over-variants function instead
/// of serde's derived visitor per enum: this code ships in the wasm, where every byte is paid for.
fn deserialize_slug<'de, D: Deserializer<'de>, T>(
    d: D,
    lookup: fn(&str) -> Option<T>,
    what: &'static str,
) -> Result<T, D::Error> {
    let slug = std::borrow::Cow::<str>::deserialize(d)?;
    lookup(&slug).ok_or_else(|| serde::de::Error::custom(format_args!("unknown {what} `{slug}`")))
}

/// Implements slug/label lookups for a fieldless enum so every vocabulary behaves the same.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $slug:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.slug())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize_slug(d, Self::from_slug, stringify!($name))
            }
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable slug authors write and storage keeps.
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// The human-readable name.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Looks a value up by its slug.
            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug { $($slug => Some($name::$variant),)+ _ => None }
            }

            /// All slugs joined for an error message: `a, b, c`.
            pub fn slugs() -> String {
                Self::ALL.iter().map(|v| v.slug()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

vocabulary! {
    /// The four career tracks scenarios are grouped by.
    Track {
        Frontend => "frontend", "Frontend";
        Backend => "backend", "Backend";
        DataMl => "data-ml", "Data/ML";
        DevopsSre => "devops-sre", "DevOps/SRE";
    }
}

vocabulary! {
    /// The level of judgment a scenario exercises (the learning path's five levels).
    Level {
        Beginner => "beginner", "Beginner";
        Junior => "junior", "Junior";
        MidLevel => "mid-level", "Mid-level";
        Senior => "senior", "Senior";
        Staff => "staff", "Staff";
        Expert => "expert", "Expert";
    }
}

vocabulary! {
    /// What kind of situation the learner is dropped into.
    Kind {
        LiveIncident => "live-incident", "Live incident";
        PostmortemReview => "postmortem-review", "Post-mortem review";
        ArchitectureTradeoff => "architecture-tradeoff", "Architecture trade-off";
        CodeReview => "code-review", "Code review";
        DesignReview => "design-review", "Design review (RFC/ADR)";
        Migration => "migration", "Migration";
        PushBack => "push-back", "Decision to push back on";
    }
}

vocabulary! {
    /// The senior competencies a scenario trains.
    Competency {
        ArchitecturalJudgment => "architectural-judgment", "Architectural judgment";
        CrossCuttingOwnership => "cross-cutting-ownership", "Cross-cutting ownership";
        TechnicalCommunication => "technical-communication", "Technical communication";
        QualityStandards => "quality-standards", "Quality standards";
        Mentoring => "mentoring", "Mentoring";
    }
}

vocabulary! {
    /// How much a rubric criterion matters.
    Tier {
        Critical => "critical", "Critical";
        Important => "important", "Important";
        Bonus => "bonus", "Bonus";
    }
}

vocabulary! {
    /// How well an answer caught one criterion.
    Verdict {
        Caught => "caught", "Caught";
        Partial => "partial", "Partly caught";
        Missed => "missed", "Missed";
    }
}

vocabulary! {
    /// The known quality of a sample answer, used to calibrate rubrics and evaluators.
    Quality {
        Strong => "strong", "Strong";
        Mixed => "mixed", "Mixed";
        Weak => "weak", "Weak";
        PlausibleWrong => "plausible-wrong", "Plausible but wrong";
    }
}

impl Verdict {
    /// The share of a criterion's weight this verdict earns.
    pub fn credit(self) -> f64 {
        match self {
            Verdict::Caught => 1.0,
            Verdict::Partial => 0.5,
            Verdict::Missed => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for t in Track::ALL {
            assert_eq!(Track::from_slug(t.slug()), Some(*t));
        }
        for c in Competency::ALL {
            assert_eq!(Competency::from_slug(c.slug()), Some(*c));
        }
        assert_eq!(Track::from_slug("sre"), None);
    }

    #[test]
    fn serde_uses_slugs() {
        assert_eq!(
            serde_json::to_string(&Track::DataMl).unwrap(),
            "\"data-ml\""
        );
        let k: Kind = serde_json::from_str("\"push-back\"").unwrap();
        assert_eq!(k, Kind::PushBack);
        let err = serde_json::from_str::<Tier>("\"huge\"")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("unknown Tier `huge`"), "{err}");
    }

    #[test]
    fn slugs_list_for_messages() {
        assert_eq!(Tier::slugs(), "critical, important, bonus");
    }
}
