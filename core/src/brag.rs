//! The brag document: a Markdown summary of graded practice that a learner can paste into a
//! promotion packet — scenarios, scores, calls and reflections, in their own words.

use crate::progress::{path_sentence, Progress};
use crate::storage::repo::ScenarioState;
use crate::storage::schema::{Attempt, ScoreSource};
use crate::time::format_date;
use std::fmt::Write;

/// Writes the brag document.
pub fn brag_document(
    site: &str,
    records: &[(String, String, ScenarioState)],
    progress: &Progress,
    now: u64,
    offset_minutes: i32,
) -> String {
    let mut md = format!(
        "# Senior judgment practice\n\n_Exported {} from {site}._\n\n",
        format_date(now, offset_minutes)
    );
    let mut graded: Vec<&Attempt> = records
        .iter()
        .flat_map(|(_, _, s)| s.attempts.iter())
        .filter(|a| a.result().is_some())
        .collect();
    crate::order::sort_by_key(&mut graded, |a| a.finished_at);
    md.push_str("## Summary\n\n");
    let _ = writeln!(md, "- Practised {} scenario{} from real production incidents; {} committed attempt{}, {} graded against a senior engineer's rubric.", progress.scenarios, plural(progress.scenarios), progress.committed, plural(progress.committed), graded.len());
    if let Some(avg) = progress.average() {
        let own = progress
            .points
            .iter()
            .filter(|p| p.source == ScoreSource::SelfReview)
            .count();
        let basis = match own {
            0 => "every attempt graded by the AI evaluator against the rubric".to_string(),
            n if n == progress.points.len() => "my own self-review against the rubric; no evaluator grading yet".to_string(),
            n => format!("the AI evaluator's grading, or my self-review for the {n} attempt{} it did not grade", plural(n)),
        };
        let _ = writeln!(md, "- Average score: {avg:.0} % ({basis}).");
    }
    for gap in progress.self_gap_readings() {
        let _ = writeln!(md, "- {gap}");
    }
    let tracks: Vec<String> = progress
        .by_track
        .iter()
        .map(|g| format!("{} ({})", g.label, g.attempts))
        .collect();
    if !tracks.is_empty() {
        let _ = writeln!(md, "- Tracks: {}.", tracks.join(", "));
    }
    let comps: Vec<String> = progress
        .by_competency
        .iter()
        .map(|g| format!("{} ({})", g.label, g.attempts))
        .collect();
    if !comps.is_empty() {
        let _ = writeln!(md, "- Competencies: {}.", comps.join(", "));
    }
    let _ = writeln!(md, "- Calibration: {}", progress.calibration_verdict());
    for (_, _, state) in records {
        let scores: Vec<(u32, f64)> = state
            .attempts
            .iter()
            .filter_map(|a| a.result().map(|r| (a.number, r.score)))
            .collect();
        if let (Some(first), Some(last)) = (scores.first(), scores.last()) {
            if scores.len() > 1 && last.1 > first.1 {
                let title = &state.attempts[0].scenario.title;
                let _ = writeln!(
                    md,
                    "- Improved on \"{title}\" from {:.0} % (attempt {}) to {:.0} % (attempt {}).",
                    first.1, first.0, last.1, last.0
                );
            }
        }
    }
    if graded.is_empty() {
        md.push_str(
            "\nNo graded attempts yet: commit an analysis and review it against the rubric.\n",
        );
        return md;
    }
    md.push_str("\n## Graded attempts\n");
    for a in graded {
        let result = a.result();
        let _ = write!(
            md,
            "\n### {} — attempt {} ({})\n\n",
            a.scenario.title,
            a.number,
            format_date(a.finished_at, offset_minutes)
        );
        let mut facts = vec![];
        if let Some(t) = a.scenario.track {
            facts.push(t.label().to_string());
        }
        facts.extend(
            a.scenario
                .competencies
                .iter()
                .map(|c| c.label().to_string()),
        );
        if let Some(r) = result {
            facts.push(match (r.source, r.self_review) {
                (ScoreSource::Evaluator, Some(own)) => format!(
                    "score {:.0} % (graded by the AI evaluator; my self-review said {own:.0} %)",
                    r.score
                ),
                (ScoreSource::Evaluator, None) => {
                    format!("score {:.0} % (graded by the AI evaluator)", r.score)
                }
                (ScoreSource::SelfReview, _) => {
                    format!("score {:.0} % (self-review only)", r.score)
                }
            });
        }
        if let Some(c) = a.answer.confidence {
            facts.push(format!("stated confidence {c} %"));
        }
        let _ = writeln!(md, "{}\n", facts.join(" · "));
        if let Some(path) = path_sentence(a) {
            let _ = writeln!(md, "**How I investigated:** {path}\n");
        }
        let _ = writeln!(md, "**My call:** {}\n", excerpt(&a.answer.commitment, 400));
        if let Some(r) = &a.review {
            if !r.missed.trim().is_empty() {
                let _ = writeln!(
                    md,
                    "**What I missed and why:** {}\n",
                    excerpt(&r.missed, 600)
                );
            }
            if !r.carry_forward.trim().is_empty() {
                let _ = writeln!(
                    md,
                    "**One thing to carry forward:** {}\n",
                    excerpt(&r.carry_forward, 400)
                );
            }
        }
    }
    md
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Text on one line, cut at a word boundary near `max` characters.
/// The text on one line, cut after the last whole sentence that fits in `max` characters (the
/// first sentence whole, however long): a call is never cut mid-thought.
fn excerpt(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut end = None;
    for (i, c) in one_line.char_indices() {
        let next = one_line[i + c.len_utf8()..].chars().next();
        if matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace) {
            if end.is_some() && one_line[..i].chars().count() >= max {
                break;
            }
            end = Some(i + c.len_utf8());
        }
    }
    match end {
        Some(e) if e < one_line.len() => format!("{} …", &one_line[..e]),
        _ => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::{compute, tests::graded};
    use crate::taxonomy::Track;

    #[test]
    fn summarises_graded_attempts_in_the_learners_words() {
        let mut second = graded("Edge CPU", Track::DevopsSre, 2_000_000_000_000, 80, 2);
        second.number = 2;
        second.answer.commitment = "Pull the WAF kill switch now.\nThen revert.".into();
        let records = vec![(
            "core".to_string(),
            "edge".to_string(),
            ScenarioState {
                draft: None,
                attempts: vec![
                    graded("Edge CPU", Track::DevopsSre, 1_000_000_000_000, 90, 1),
                    second,
                ],
            },
        )];
        let md = brag_document(
            "The Senior Leap",
            &records,
            &compute(&records),
            2_000_000_000_000,
            0,
        );
        assert!(md.starts_with(
            "# Senior judgment practice\n\n_Exported 18 May 2033 from The Senior Leap._"
        ));
        assert!(
            md.contains("- Improved on \"Edge CPU\" from 50 % (attempt 1) to 100 % (attempt 2).")
        );
        assert!(md.contains("### Edge CPU — attempt 2 (18 May 2033)"));
        assert!(md.contains(
            "DevOps/SRE · Mentoring · score 100 % (self-review only) · stated confidence 80 %"
        ));
        assert!(md.contains("- Average score: 75 % (my own self-review against the rubric; no evaluator grading yet)."));
        assert!(md.contains("**My call:** Pull the WAF kill switch now. Then revert."));
        assert!(md.contains("**One thing to carry forward:** c"));
    }

    #[test]
    fn says_so_when_nothing_is_graded() {
        let md = brag_document("S", &[], &compute(&[]), 0, 0);
        assert!(md.contains("No graded attempts yet"));
        // Whole sentences only: the first one whole however long, then as many as fit.
        assert_eq!(excerpt("one two three four", 9), "one two three four");
        assert_eq!(
            excerpt(
                "Roll back now. Then page the owner of the rule. Write it up.",
                20
            ),
            "Roll back now. …"
        );
        assert_eq!(
            excerpt("Roll back the 3.2 release now. Then page.", 10),
            "Roll back the 3.2 release now. …"
        );
    }

    #[test]
    fn the_evaluators_grading_is_the_score_and_the_self_review_sits_beside_it() {
        use crate::progress::tests::grading;
        use crate::taxonomy::Verdict;
        let mut a = graded("Edge CPU", Track::DevopsSre, 1_000_000_000_000, 90, 2);
        a.feedback.push(grading(Verdict::Caught, Verdict::Missed));
        let records = vec![(
            "core".to_string(),
            "edge".to_string(),
            ScenarioState {
                draft: None,
                attempts: vec![a],
            },
        )];
        let md = brag_document("S", &records, &compute(&records), 1_000_000_000_000, 0);
        assert!(
            md.contains("score 50 % (graded by the AI evaluator; my self-review said 100 %)"),
            "{md}"
        );
        assert!(md.contains(
            "- Average score: 50 % (every attempt graded by the AI evaluator against the rubric)."
        ));
    }

    #[test]
    fn an_investigation_attempt_gets_one_line_about_its_path() {
        use crate::progress::tests::investigated;
        let records = vec![(
            "core".to_string(),
            "checkout".to_string(),
            ScenarioState {
                draft: None,
                attempts: vec![
                    investigated("Checkout 502s", 1_000_000_000_000, 22),
                    graded("Edge CPU", Track::DevopsSre, 1_000_000_100_000, 90, 2),
                ],
            },
        )];
        let md = brag_document("S", &records, &compute(&records), 1_000_000_200_000, 0);
        let lines: Vec<&str> = md
            .lines()
            .filter(|l| l.starts_with("**How I investigated:**"))
            .collect();
        assert_eq!(
            lines,
            ["**How I investigated:** Investigated for 22 simulated minutes: 2 probes, first \"Query the gateway's drop counter\"; first hypothesis at T+6; revised once."]
        );
        let at = |needle: &str| md.find(needle).unwrap();
        assert!(at("### Checkout 502s") < at("**How I investigated:**"));
        assert!(at("**How I investigated:**") < at("### Edge CPU"));
    }
}
