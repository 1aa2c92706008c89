//! The progress page's charts as inline SVG, drawn by our code (no chart library, nothing loaded
//! from elsewhere). Each chart has a title and a text description, uses `currentColor` so it follows
//! light and dark mode, and tells tracks apart by marker shape, not colour alone.

use crate::progress::{Band, Point};
use crate::site_text::escape;
use crate::storage::schema::ScoreSource;
use crate::taxonomy::Track;
use std::fmt::Write;

/// The marker shape of a track, as an SVG element centred on (x, y).
fn marker(track: Option<Track>, x: f64, y: f64) -> String {
    match track {
        Some(Track::Frontend) => format!("<circle class=\"mark\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\"/>"),
        Some(Track::Backend) => format!("<rect class=\"mark\" x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\"/>", x - 4.5, y - 4.5),
        Some(Track::DataMl) => format!("<path class=\"mark\" d=\"M{x:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z\"/>", y - 6.0, x + 5.5, y + 4.0, x - 5.5, y + 4.0),
        Some(Track::DevopsSre) => format!("<path class=\"mark\" d=\"M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z\"/>", y - 6.0, x + 6.0, y + 6.0, x - 6.0),
        None => format!("<circle class=\"mark hollow\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\"/>"),
    }
}

/// The legend name of a marker.
fn shape_name(track: Track) -> &'static str {
    match track {
        Track::Frontend => "circle",
        Track::Backend => "square",
        Track::DataMl => "triangle",
        Track::DevopsSre => "diamond",
    }
}

/// Points scored by self-review only are drawn hollow and say so: they are not a grader's.
fn self_only_class(p: &Point) -> &'static str {
    if p.source == ScoreSource::SelfReview {
        " class=\"self-only\""
    } else {
        ""
    }
}

fn self_only_note(p: &Point) -> &'static str {
    if p.source == ScoreSource::SelfReview {
        " (self-review only)"
    } else {
        ""
    }
}

fn open(id: &str, w: u32, h: u32, title: &str, desc: &str) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(desc)
    )
}

/// Scores of graded attempts in the order they were committed, one marker per attempt.
pub fn scores_over_time(points: &[Point]) -> String {
    let (w, h, left, right, top, bottom) = (640.0, 260.0, 44.0, 16.0, 16.0, 56.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let x = |i: usize| {
        left + if points.len() <= 1 {
            plot_w / 2.0
        } else {
            plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let y = |score: f64| top + plot_h * (1.0 - score / 100.0);
    let desc = match points {
        [] => "No graded attempts yet.".to_string(),
        [only] => format!("One graded attempt: {:.0} % on {}.", only.score, only.title),
        _ => format!(
            "{} graded attempts; first {:.0} %, latest {:.0} %, best {:.0} %.",
            points.len(),
            points[0].score,
            points[points.len() - 1].score,
            points.iter().map(|p| p.score).fold(0.0, f64::max)
        ),
    };
    let mut svg = open(
        "scores",
        w as u32,
        h as u32,
        "Self-review scores over time",
        &desc,
    );
    for tick in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let _ = write!(svg, "<line class=\"grid\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick:.0} %</text>", w - right, y(tick), y(tick), left - 6.0, y(tick) + 4.0);
    }
    if points.len() > 1 {
        let line: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.score)))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"trend\" points=\"{}\"/>",
            line.join(" ")
        );
    }
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            svg,
            "<g{}><title>{} (attempt {}): {:.0} %{}</title>{}</g>",
            self_only_class(p),
            escape(&p.title),
            p.number,
            p.score,
            self_only_note(p),
            marker(p.track, x(i), y(p.score))
        );
    }
    let _ = write!(svg, "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">attempts, oldest to newest</text>", left + plot_w / 2.0, h - bottom + 18.0);
    let mut lx = left;
    for t in Track::ALL {
        if points.iter().any(|p| p.track == Some(*t)) {
            let _ = write!(
                svg,
                "{}<text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\">{} ({})</text>",
                marker(Some(*t), lx + 6.0, h - 12.0),
                lx + 16.0,
                h - 8.0,
                t.label(),
                shape_name(*t)
            );
            lx += 150.0;
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Stated confidence against score, with the line where they would be equal.
pub fn calibration(points: &[Point], bands: &[Band]) -> String {
    let (size, left, bottom, top, right) = (320.0, 44.0, 44.0, 12.0, 12.0);
    let plot = size - left - right;
    let px = |c: f64| left + plot * c / 100.0;
    let py = |s: f64| top + (size - top - bottom) * (1.0 - s / 100.0);
    let desc = if bands.is_empty() {
        "No graded attempt with a stated confidence yet.".to_string()
    } else {
        bands
            .iter()
            .map(|b| {
                format!(
                    "when {}–{} % sure ({} attempts), scored {:.0} % on average",
                    b.from, b.to, b.count, b.score
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut svg = open(
        "calibration",
        size as u32,
        size as u32,
        "Stated confidence against score",
        &desc,
    );
    for tick in [0.0, 50.0, 100.0] {
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick:.0}</text>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{tick:.0}</text>",
            size - right,
            py(tick),
            py(tick),
            left - 6.0,
            py(tick) + 4.0,
            px(tick),
            size - bottom + 16.0
        );
    }
    let _ = write!(
        svg,
        "<line class=\"diagonal\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>\
         <text class=\"note\" x=\"{:.1}\" y=\"{:.1}\">underconfident</text><text class=\"note\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">overconfident</text>",
        px(0.0),
        py(0.0),
        px(100.0),
        py(100.0),
        px(4.0),
        py(88.0),
        px(96.0),
        py(8.0)
    );
    for p in points {
        if let Some(c) = p.confidence {
            let _ = write!(
                svg,
                "<g{}><title>{}: {c} % sure, scored {:.0} %{}</title>{}</g>",
                self_only_class(p),
                escape(&p.title),
                p.score,
                self_only_note(p),
                marker(p.track, px(f64::from(c)), py(p.score))
            );
        }
    }
    let _ = write!(
        svg,
        "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">stated confidence (%)</text>\
         <text class=\"axis\" transform=\"translate(12 {:.1}) rotate(-90)\" text-anchor=\"middle\">score (%)</text></svg>",
        left + plot / 2.0,
        size - 8.0,
        top + (size - top - bottom) / 2.0
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(score: f64, confidence: u8, track: Track) -> Point {
        Point {
            at: 0,
            score,
            source: ScoreSource::Evaluator,
            self_review: None,
            evaluator: Some(score),
            confidence: Some(confidence),
            title: "A <b>".into(),
            track: Some(track),
            number: 1,
            timing: None,
        }
    }

    #[test]
    fn charts_describe_themselves_and_escape_titles() {
        let points = [p(40.0, 90, Track::Backend), p(80.0, 70, Track::Frontend)];
        let svg = scores_over_time(&points);
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains("<desc id=\"scores-desc\">2 graded attempts; first 40 %, latest 80 %, best 80 %.</desc>"));
        assert!(svg.contains("A &lt;b&gt; (attempt 1): 40 %</title>"));
        assert!(svg.contains("Backend (square)") && svg.contains("Frontend (circle)"));
        assert!(!svg.contains("Data/ML"));
        let bands = crate::progress::compute(&[]).bands;
        assert!(calibration(&points, &bands)
            .contains("No graded attempt with a stated confidence yet."));
        assert_eq!(scores_over_time(&[]).matches("class=\"mark").count(), 0);
        let mut own = p(60.0, 90, Track::Backend);
        own.source = ScoreSource::SelfReview;
        let svg = scores_over_time(&[own]);
        assert!(svg.contains("<g class=\"self-only\"><title>A &lt;b&gt; (attempt 1): 60 % (self-review only)</title>"));
    }
}
