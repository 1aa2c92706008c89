//! The progress page's content as HTML: the report on the learner's attempts and the notices
//! about their data. The progress bundle inserts it into the page without a view framework (a
//! reactive runtime cost it about a quarter of its size for a page that changes only after an
//! import or a delete), so every piece of text here is escaped like a view would escape it.

use crate::charts::{calibration, scores_over_time};
use crate::progress::{Group, Progress};
use crate::site_text::escape;
use crate::storage::repo::Notice;
use crate::storage::schema::ScoreSource;
use crate::time::format_date;

/// Shown when the browser refuses storage: the page only has this tab's data.
pub const NOT_PERSISTENT: &str = "<div class=\"notice warning\" role=\"alert\"><p>This browser is not letting the site store data, so this page only shows what you did in this tab. Export before you close it.</p></div>";

/// The "Your data" section: its buttons name their action in `data-act` (`export`, `import`,
/// `brag`, `delete`) for the page's one click handler.
pub fn your_data() -> String {
    format!(
        "<section class=\"your-data\" aria-labelledby=\"your-data\"><h2 id=\"your-data\">Your data</h2><p>{}</p>\
         <div class=\"actions\"><button type=\"button\" class=\"primary\" data-act=\"export\">Export</button>\
         <button type=\"button\" class=\"secondary\" data-act=\"import\">Import</button>\
         <input type=\"file\" accept=\"application/json,.json\" hidden aria-label=\"Choose an export file to import\">\
         <button type=\"button\" class=\"secondary\" data-act=\"brag\">Export brag document</button>\
         <button type=\"button\" class=\"danger\" aria-expanded=\"false\" data-act=\"delete\">Delete my data</button></div></section>",
        escape(crate::site_text::YOUR_DATA)
    )
}

/// The question "Delete my data" opens, below the buttons (`data-act`: `delete-all`, `cancel`).
pub const CONFIRM_DELETE: &str = "<div class=\"confirm\" role=\"group\" aria-label=\"Delete everything?\"><p>This deletes every draft, attempt and evaluator setting (keys included) this site stored in this browser. Export first if you may want your attempts back.</p><button type=\"button\" class=\"danger\" data-act=\"delete-all\">Delete everything</button><button type=\"button\" class=\"secondary\" data-act=\"cancel\">Cancel</button></div>";

/// The outcome of an export, import or delete: a status when it went as asked, an alert if not.
pub fn outcome(ok: bool, text: &str) -> String {
    let (class, role) = if ok {
        ("notice", "status")
    } else {
        ("notice error", "alert")
    };
    format!("<p class=\"{class}\" role=\"{role}\">{}</p>", escape(text))
}

/// The warning about entries that could not be read when the page read the learner's data;
/// empty when there are none.
pub fn set_aside(notices: &[Notice]) -> String {
    if notices.is_empty() {
        return String::new();
    }
    let mut out = String::from("<div class=\"notice warning\" role=\"alert\"><p>Some saved data could not be read by this version of the site. It was not deleted: it is kept aside and included in every export.</p><ul>");
    for n in notices {
        let (key, reason, fate) = match n {
            Notice::SetAside { key, reason } => (key, reason, "set aside"),
            Notice::Unreadable { key, reason } => (key, reason, "left in place (storage is full)"),
        };
        out += &format!(
            "<li><code>{}</code> — {}; {fate}.</li>",
            escape(key),
            escape(reason)
        );
    }
    out + "</ul></div>"
}

/// How many stored entries are kept aside, as a notice; empty when none are.
pub fn kept_aside(n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    let one = n == 1;
    format!(
        "<p class=\"notice\" role=\"status\">{n} saved {} could not be read by this version of the site and {} kept aside, not deleted. Every export includes {}.</p>",
        if one { "entry" } else { "entries" },
        if one { "is" } else { "are" },
        if one { "it" } else { "them" },
    )
}

/// The report: what the learner has done, or where to start when they have finished nothing.
/// `offset` is the browser's time zone offset in minutes, for the dates.
pub fn report(summary: &Progress, offset: i32) -> String {
    if summary.committed + summary.gave_up == 0 {
        return "<p class=\"empty\">No finished attempts in this browser yet. Pick a scenario from the <a href=\"./\">catalog</a>, commit to an analysis, and review it against the rubric.</p>".to_string();
    }
    let mut out = format!("<p class=\"lead\">{}</p>", escape(&lead(summary)));
    out += &calibration_section(summary);
    out += &over_time_section(summary, offset);
    out += &investigations_section(summary);
    out += "<section aria-labelledby=\"by-track\"><h2 id=\"by-track\">By track and competency</h2>";
    out += &groups("By track", "Track", &summary.by_track);
    out += &groups("By competency", "Competency", &summary.by_competency);
    out + "</section>"
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The opening sentence: how much was practised, and the average score and whose it is.
fn lead(summary: &Progress) -> String {
    let own = summary
        .points
        .iter()
        .filter(|p| p.source == ScoreSource::SelfReview)
        .count();
    let avg = summary
        .average()
        .map(|a| match own {
            0 => format!(" Average score: {a:.0} %, every attempt graded by the evaluator."),
            n if n == summary.points.len() => format!(" Average score: {a:.0} %, from your self-review only: no attempt has the evaluator's grading yet."),
            n => format!(" Average score: {a:.0} %: the evaluator's grading, and your self-review for the {n} attempt{} it has not graded.", plural(n)),
        })
        .unwrap_or_default();
    format!(
        "{} scenario{} practised; {} committed attempt{}, {} given up, {} graded.{avg}",
        summary.scenarios,
        plural(summary.scenarios),
        summary.committed,
        plural(summary.committed),
        summary.gave_up,
        summary.points.len()
    )
}

/// A `<ul>` of sentences (of class `class`, if any), or nothing when there are none.
fn readings(class: Option<&str>, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut out = match class {
        Some(c) => format!("<ul class=\"{c}\">"),
        None => "<ul>".to_string(),
    };
    for r in items {
        out += &format!("<li>{}</li>", escape(r));
    }
    out + "</ul>"
}

/// A table in its scrollable wrapper: `head` and `rows` are already HTML.
fn table(caption: &str, head: &[&str], rows: &str) -> String {
    let mut out = format!(
        "<div class=\"table-wrap\" tabindex=\"0\"><table><caption>{}</caption><thead><tr>",
        escape(caption)
    );
    for h in head {
        out += &format!("<th scope=\"col\">{}</th>", escape(h));
    }
    out + "</tr></thead><tbody>" + rows + "</tbody></table></div>"
}

/// Table cells, each of text to escape.
fn cells(texts: &[&str]) -> String {
    texts
        .iter()
        .map(|t| format!("<td>{}</td>", escape(t)))
        .collect()
}

fn calibration_section(summary: &Progress) -> String {
    let tracks: Vec<String> = summary
        .by_track_calibration()
        .iter()
        .map(|t| {
            let way = if t.gap > 0.0 { "above" } else { "below" };
            format!(
                "{}: your stated confidence is {:.0} points {way} your score ({} attempts).",
                t.track.label(),
                t.gap.abs(),
                t.count
            )
        })
        .collect();
    let bands: Vec<String> = summary.bands.iter().map(|b| b.reading()).collect();
    let gaps = summary.self_gap_readings();
    let mut out = format!(
        "<section aria-labelledby=\"calibration-h\"><h2 id=\"calibration-h\">Confidence and results</h2><p class=\"verdict\">{}</p>",
        escape(&summary.calibration_verdict())
    );
    out += &readings(Some("readings"), &bands);
    out += &readings(Some("readings by-track"), &tracks);
    if !gaps.is_empty() {
        out += "<div class=\"notice self-gap\" role=\"note\"><p>Your self-review and the evaluator disagree:</p>";
        out += &readings(None, &gaps);
        out += "</div>";
    }
    out += &format!(
        "<div class=\"chart-wrap square\">{}</div>",
        calibration(&summary.points, &summary.bands)
    );
    if !summary.bands.is_empty() {
        let rows: String = summary
            .bands
            .iter()
            .map(|b| {
                format!(
                    "<tr>{}</tr>",
                    cells(&[
                        &format!("{}–{} %", b.from, b.to),
                        &b.count.to_string(),
                        &format!("{:.0} %", b.confidence),
                        &format!("{:.0} %", b.score),
                    ])
                )
            })
            .collect();
        out += &table(
            "By how sure you said you were",
            &[
                "Stated confidence",
                "Attempts",
                "Mean confidence",
                "Mean score",
            ],
            &rows,
        );
    }
    out + "</section>"
}

fn over_time_section(summary: &Progress, offset: i32) -> String {
    let mut out = format!(
        "<section aria-labelledby=\"over-time\"><h2 id=\"over-time\">Scores over time</h2><div class=\"chart-wrap\">{}</div>",
        scores_over_time(&summary.points)
    );
    if !summary.points.is_empty() {
        let dash = || "—".to_string();
        let rows: String = summary
            .points
            .iter()
            .map(|p| {
                format!(
                    "<tr>{}</tr>",
                    cells(&[
                        &format_date(p.at, offset),
                        &format!("{} (attempt {})", p.title, p.number),
                        p.track.map(|t| t.label()).unwrap_or("—"),
                        &p.confidence.map_or_else(dash, |c| format!("{c} %")),
                        &format!("{:.0} % ({})", p.score, p.source.label()),
                        &p.self_review.map_or_else(dash, |s| format!("{s:.0} %")),
                        &p.timing.map_or_else(dash, |t| t.text()),
                    ])
                )
            })
            .collect();
        out += &table(
            "Scored attempts: the evaluator's grading, or your self-review where there is none",
            &[
                "Date",
                "Scenario",
                "Track",
                "Confidence",
                "Score",
                "Self-review",
                "Time taken",
            ],
            &rows,
        );
    }
    out + "</section>"
}

fn investigations_section(summary: &Progress) -> String {
    let Some(inv) = summary.investigation_summary() else {
        return String::new();
    };
    let mut out = String::from("<section aria-labelledby=\"investigations-h\"><h2 id=\"investigations-h\">How you investigate</h2>");
    out += &readings(Some("readings"), &inv.readings());
    let rows: String = summary
        .investigations
        .iter()
        .map(|p| {
            let f = &p.figures;
            let first = f
                .first_hypothesis_at
                .map_or("none".to_string(), |t| format!("T+{t} min"));
            let committed = match (f.committed_at, p.acted_in_time()) {
                (Some(t), Some(true)) => format!("T+{t} min, in time"),
                (Some(t), Some(false)) => format!("T+{t} min, later than a senior"),
                (Some(t), None) => format!("T+{t} min"),
                (None, _) => "—".to_string(),
            };
            let moved = if f.confidence.is_empty() {
                "—".to_string()
            } else {
                f.confidence
                    .iter()
                    .map(|(t, c)| format!("{c} % at T+{t}"))
                    .collect::<Vec<_>>()
                    .join(" → ")
            };
            let probes = format!(
                "{} ({} of the senior's first, {} trap{})",
                f.probes_run,
                f.senior_first_run,
                f.traps_run,
                plural(f.traps_run)
            );
            format!(
                "<tr><th scope=\"row\">{}</th>{}</tr>",
                escape(&format!("{} (attempt {})", p.title, p.number)),
                cells(&[&first, &probes, &committed, &moved])
            )
        })
        .collect();
    out += &table(
        "Your investigations: the path, against a senior's",
        &[
            "Scenario",
            "First hypothesis",
            "Probes (senior's first, traps)",
            "Committed",
            "Confidence over time",
        ],
        &rows,
    );
    out + "</section>"
}

fn groups(caption: &str, what: &str, groups: &[Group]) -> String {
    let pct = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.0} %"));
    let gap =
        |g: Option<(f64, usize)>| g.map_or("—".to_string(), |(g, _)| format!("{g:+.0} points"));
    let rows: String = groups
        .iter()
        .map(|g| {
            format!(
                "<tr><th scope=\"row\">{}</th>{}</tr>",
                escape(g.label),
                cells(&[
                    &g.attempts.to_string(),
                    &g.graded.to_string(),
                    &g.by_evaluator.to_string(),
                    &pct(g.average),
                    &pct(g.best),
                    &gap(g.self_gap),
                ])
            )
        })
        .collect();
    table(
        caption,
        &[
            what,
            "Attempts",
            "Scored",
            "By the evaluator",
            "Average",
            "Best",
            "Self-review vs evaluator",
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::compute;
    use crate::progress::tests::{graded, records};
    use crate::taxonomy::Track;

    #[test]
    fn nothing_finished_points_to_the_catalog() {
        let html = report(&compute(&[]), 0);
        assert!(html.starts_with("<p class=\"empty\">No finished attempts"));
        assert!(html.contains("<a href=\"./\">catalog</a>"));
        assert!(!html.contains("<section"));
    }

    #[test]
    fn the_report_has_its_sections_in_order_and_the_figures_compute_gives() {
        let summary = compute(&records(vec![
            graded("A", Track::Backend, 1_700_000_000_000, 90, 2),
            graded("B", Track::Frontend, 1_700_000_100_000, 40, 1),
        ]));
        let html = report(&summary, 0);
        assert!(html.starts_with("<p class=\"lead\">1 scenario practised; 2 committed attempts, 0 given up, 2 graded. Average score: 75 %, from your self-review only"));
        let at = |needle: &str| {
            html.find(needle)
                .unwrap_or_else(|| panic!("{needle} missing"))
        };
        assert!(at("id=\"calibration-h\"") < at("id=\"over-time\""));
        assert!(at("id=\"over-time\"") < at("id=\"by-track\""));
        // No log, so no investigations section.
        assert!(!html.contains("investigations-h"));
        // One row per scored attempt, with the date in the given time zone.
        assert!(html.contains("<td>14 Nov 2023</td><td>A (attempt 1)</td><td>Backend</td><td>90 %</td><td>100 % (self-review only)</td><td>100 %</td><td>—</td>"));
        assert!(html.contains("<th scope=\"row\">Frontend</th><td>1</td><td>1</td><td>0</td><td>50 %</td><td>50 %</td><td>—</td>"));
        assert!(html.contains(&format!(
            "<p class=\"verdict\">{}</p>",
            escape(&summary.calibration_verdict())
        )));
        assert!(html.contains("<div class=\"chart-wrap square\"><svg"));
    }

    #[test]
    fn text_from_storage_is_escaped() {
        let summary = compute(&records(vec![graded(
            "<img src=x onerror=alert(1)>",
            Track::Backend,
            1,
            90,
            2,
        )]));
        let html = report(&summary, 0);
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; (attempt 1)"));
        let notices = set_aside(&[Notice::SetAside {
            key: "leap:a<b".into(),
            reason: "it is \"odd\"".into(),
        }]);
        assert!(notices
            .contains("<li><code>leap:a&lt;b</code> — it is &quot;odd&quot;; set aside.</li>"));
        assert_eq!(
            outcome(false, "a & b"),
            "<p class=\"notice error\" role=\"alert\">a &amp; b</p>"
        );
    }

    #[test]
    fn notices_say_what_happened_to_each_entry_and_agree_in_number() {
        assert_eq!(set_aside(&[]), "");
        let both = set_aside(&[
            Notice::SetAside {
                key: "k1".into(),
                reason: "r1".into(),
            },
            Notice::Unreadable {
                key: "k2".into(),
                reason: "r2".into(),
            },
        ]);
        assert!(both.contains("<li><code>k1</code> — r1; set aside.</li><li><code>k2</code> — r2; left in place (storage is full).</li>"));
        assert_eq!(kept_aside(0), "");
        assert_eq!(kept_aside(1), "<p class=\"notice\" role=\"status\">1 saved entry could not be read by this version of the site and is kept aside, not deleted. Every export includes it.</p>");
        assert!(kept_aside(3).contains(
            "3 saved entries could not be read by this version of the site and are kept aside, not deleted. Every export includes them."
        ));
        assert_eq!(
            outcome(true, "Done."),
            "<p class=\"notice\" role=\"status\">Done.</p>"
        );
    }

    #[test]
    fn the_data_section_names_each_buttons_action() {
        let section = your_data();
        for act in ["export", "import", "brag", "delete"] {
            assert!(section.contains(&format!("data-act=\"{act}\"")), "{act}");
        }
        assert!(section.contains("aria-expanded=\"false\""));
        assert!(CONFIRM_DELETE.contains("data-act=\"delete-all\""));
        assert!(CONFIRM_DELETE.contains("data-act=\"cancel\""));
    }
}
