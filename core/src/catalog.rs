//! The catalog's logic: which filters exist for a pack, how a query string maps to filters and
//! back, and which scenarios match. Shared by the static catalog page and the app so both agree.

use crate::baked::{ScenarioSummary, SiteIndex};
use crate::taxonomy::{Competency, Kind, Level, Track};

/// What the learner filtered the catalog by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Free-text search; every word must match.
    pub q: String,
    /// Only this track.
    pub track: Option<Track>,
    /// Only this level.
    pub level: Option<Level>,
    /// Only scenarios training this competency.
    pub competency: Option<Competency>,
}

impl Filters {
    /// Reads filters from a URL query string (`track=backend&q=regex`); unknown values are ignored.
    pub fn from_query(query: &str) -> Filters {
        let mut f = Filters::default();
        for (key, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
            f.set(&key, &value);
        }
        f
    }

    /// Sets one filter by its form field name (`q`, `track`, `level`, `competency`).
    pub fn set(&mut self, field: &str, value: &str) {
        match field {
            "q" => self.q = value.trim().to_string(),
            "track" => self.track = Track::from_slug(value),
            "level" => self.level = Level::from_slug(value),
            "competency" => self.competency = Competency::from_slug(value),
            _ => {}
        }
    }

    /// The query string for these filters, without `?`; empty when nothing is filtered.
    pub fn to_query(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if !self.q.trim().is_empty() {
            q.append_pair("q", self.q.trim());
        }
        if let Some(t) = self.track {
            q.append_pair("track", t.slug());
        }
        if let Some(l) = self.level {
            q.append_pair("level", l.slug());
        }
        if let Some(c) = self.competency {
            q.append_pair("competency", c.slug());
        }
        q.finish()
    }

    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.track.is_none()
            && self.level.is_none()
            && self.competency.is_none()
    }

    /// How many filters are set (the search counts as one).
    pub fn active(&self) -> usize {
        usize::from(!self.q.trim().is_empty())
            + usize::from(self.track.is_some())
            + usize::from(self.level.is_some())
            + usize::from(self.competency.is_some())
    }

    /// Whether a scenario passes these filters.
    pub fn matches(&self, s: &ScenarioSummary) -> bool {
        if self.track.is_some_and(|t| t != s.track)
            || self.level.is_some_and(|l| l != s.level)
            || self
                .competency
                .is_some_and(|c| !s.competencies.contains(&c))
        {
            return false;
        }
        let haystack = search_text(s);
        fold(&self.q)
            .split_whitespace()
            .all(|word| haystack.contains(word))
    }
}

/// Everything a scenario can be found by, folded for matching.
fn search_text(s: &ScenarioSummary) -> String {
    let mut text = format!(
        "{} {} {} {} {} {}",
        s.title,
        s.hook,
        s.track.label(),
        s.level.label(),
        s.kind.label(),
        s.tags.join(" ")
    );
    for c in &s.competencies {
        text.push(' ');
        text.push_str(c.label());
    }
    fold(&text)
}

/// Lowercases and strips the accents search most often meets, so "resume" finds "Résumé".
/// ASCII case folding plus a Latin-1 accent map on purpose: `char::to_lowercase` would ship
/// the whole Unicode case table (about 20 KB) in the wasm for a catalog search.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => {
                'a'
            }
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            '-' | '/' | '_' => ' ',
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// The choices each filter offers: only values some scenario has, with how many have it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterOptions {
    /// Tracks present.
    pub tracks: Vec<(Track, usize)>,
    /// Levels present.
    pub levels: Vec<(Level, usize)>,
    /// Competencies present.
    pub competencies: Vec<(Competency, usize)>,
}

/// Computes the filter choices for an index: every value some scenario has, each counted among
/// the scenarios the *other* filters let through (so "Backend (3)" means picking it shows 3).
pub fn filter_options(index: &SiteIndex, filters: &Filters) -> FilterOptions {
    fn count<T: Copy + PartialEq>(
        all: &[T],
        has: impl Fn(&ScenarioSummary, T) -> bool,
        others: &Filters,
        index: &SiteIndex,
    ) -> Vec<(T, usize)> {
        all.iter()
            .filter(|v| index.scenarios.iter().any(|s| has(s, **v)))
            .map(|v| {
                let n = index
                    .scenarios
                    .iter()
                    .filter(|s| has(s, *v) && others.matches(s))
                    .count();
                (*v, n)
            })
            .collect()
    }
    let without = |clear: fn(&mut Filters)| {
        let mut f = filters.clone();
        clear(&mut f);
        f
    };
    FilterOptions {
        tracks: count(
            Track::ALL,
            |s, t| s.track == t,
            &without(|f| f.track = None),
            index,
        ),
        levels: count(
            Level::ALL,
            |s, l| s.level == l,
            &without(|f| f.level = None),
            index,
        ),
        competencies: count(
            Competency::ALL,
            |s, c| s.competencies.contains(&c),
            &without(|f| f.competency = None),
            index,
        ),
    }
}

/// The text of a filter choice: "Backend (3)".
pub fn option_text(label: &str, n: usize) -> String {
    format!("{label} ({n})")
}

/// A first scenario per track for someone new: the gentlest level, then the shortest, then
/// the title — a rule, not a hand-kept list, so a fork's own pack gets recommendations too.
pub fn recommended_first(index: &SiteIndex) -> Vec<&ScenarioSummary> {
    Track::ALL
        .iter()
        .filter_map(|t| {
            index
                .scenarios
                .iter()
                .filter(|s| s.track == *t)
                .min_by(|a, b| (a.level, a.minutes, &a.title).cmp(&(b.level, b.minutes, &b.title)))
        })
        .collect()
}

/// What the filters' disclosure says on a phone, where it starts closed: "Filters", or
/// "Filters (2 active)" so a closed box never hides that the list is filtered.
pub fn filters_toggle_label(filters: &Filters) -> String {
    match filters.active() {
        0 => "Filters".to_string(),
        n => format!("Filters ({n} active)"),
    }
}

/// How many cards the catalog shows at first, and how many more each "Show more" adds: the page
/// (and its first load) stays the same size however large the pack grows (issue 11).
pub const PAGE: usize = 24;

/// The "Show more" button's text, for `hidden` matching scenarios not shown yet.
pub fn more_label(hidden: usize) -> String {
    format!("Show {} more", hidden.min(PAGE))
}

/// "1 scenario" or "n scenarios".
pub fn count_label(n: usize) -> String {
    if n == 1 {
        "1 scenario".to_string()
    } else {
        format!("{n} scenarios")
    }
}

/// The first line of the catalog's search index: its format and version.
const SUMMARIES_HEADER: &str = "leap-catalog 1";

/// Separates the items of a list field (competencies, tags) in the search index.
const ITEM: char = '\u{1f}';

/// The catalog's search index: a header line, then a line per scenario of tab-separated fields
/// (pack, id, slug, title, track, level, kind, competencies, minutes, tags, hook, investigation).
/// Plain text rather than JSON so the catalog's bundle carries no JSON decoder (about 22 KB gzip
/// of its wasm, measured) for the one file it fetches (issue 11).
pub fn encode_summaries(scenarios: &[ScenarioSummary]) -> String {
    let mut out = String::from(SUMMARIES_HEADER);
    let list = |items: &mut dyn Iterator<Item = &str>| {
        items
            .map(escape_field)
            .collect::<Vec<_>>()
            .join(&ITEM.to_string())
    };
    for s in scenarios {
        let fields = [
            escape_field(&s.pack),
            escape_field(&s.id),
            escape_field(&s.slug),
            escape_field(&s.title),
            s.track.slug().to_string(),
            s.level.slug().to_string(),
            s.kind.slug().to_string(),
            list(&mut s.competencies.iter().map(|c| c.slug())),
            s.minutes.to_string(),
            list(&mut s.tags.iter().map(String::as_str)),
            escape_field(&s.hook),
            u8::from(s.investigation).to_string(),
        ];
        out.push('\n');
        out.push_str(&fields.join("\t"));
    }
    out
}

/// Reads the catalog's search index written by [`encode_summaries`]; the error names the line a
/// damaged or foreign file breaks at.
pub fn decode_summaries(text: &str) -> Result<Vec<ScenarioSummary>, SummariesError> {
    let mut lines = text.lines();
    if lines.next() != Some(SUMMARIES_HEADER) {
        return Err(SummariesError(0));
    }
    lines
        .enumerate()
        .map(|(i, line)| decode_line(line).ok_or(SummariesError(i + 2)))
        .collect()
}

/// The catalog's search index could not be read at this line (0: not such a file at all).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the scenario list is damaged or from another version of the site (line {0}); reload the page"
)]
pub struct SummariesError(pub usize);

fn decode_line(line: &str) -> Option<ScenarioSummary> {
    let f: Vec<&str> = line.split('\t').collect();
    let [pack, id, slug, title, track, level, kind, competencies, minutes, tags, hook, investigation] =
        f.as_slice()
    else {
        return None;
    };
    let list = |field: &str| -> Vec<String> {
        if field.is_empty() {
            Vec::new()
        } else {
            field.split(ITEM).map(unescape_field).collect()
        }
    };
    Some(ScenarioSummary {
        pack: unescape_field(pack),
        id: unescape_field(id),
        slug: unescape_field(slug),
        title: unescape_field(title),
        track: Track::from_slug(track)?,
        level: Level::from_slug(level)?,
        kind: Kind::from_slug(kind)?,
        competencies: list(competencies)
            .iter()
            .map(|c| Competency::from_slug(c))
            .collect::<Option<_>>()?,
        minutes: minutes.parse().ok()?,
        tags: list(tags),
        hook: unescape_field(hook),
        investigation: match *investigation {
            "1" => true,
            "0" => false,
            _ => return None,
        },
    })
}

/// Escapes what would end a field, an item or a line.
fn escape_field(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            ITEM => out.push_str("\\u"),
            other => out.push(other),
        }
    }
    out
}

fn unescape_field(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('u') => out.push(ITEM),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_index_reads_back_what_was_written_and_refuses_damage() {
        let mut odd = summary(
            "Tabs\tand\nnew lines \\ stay",
            Track::DevopsSre,
            &["a,b", "c\u{1f}d", ""],
        );
        odd.hook = "A hook with \\t literally".into();
        odd.investigation = true;
        odd.competencies = vec![Competency::Mentoring, Competency::CrossCuttingOwnership];
        let mut bare = summary("Bare", Track::Backend, &[]);
        bare.competencies = vec![];
        let list = vec![summary("Résumé", Track::Frontend, &["x"]), odd, bare];
        let text = encode_summaries(&list);
        assert_eq!(text.lines().count(), 4);
        assert_eq!(decode_summaries(&text), Ok(list.clone()));
        assert_eq!(decode_summaries(&encode_summaries(&[])), Ok(vec![]));
        // Damage is an error naming its line, never a panic or a silently shorter list.
        assert_eq!(decode_summaries("{\"title\":1}"), Err(SummariesError(0)));
        let broken = text.replace("\tfrontend\t", "\tnope\t");
        assert_eq!(decode_summaries(&broken), Err(SummariesError(2)));
        let cut = &text[..text.len() - 3];
        assert_eq!(decode_summaries(cut), Err(SummariesError(4)));
    }

    fn summary(title: &str, track: Track, tags: &[&str]) -> ScenarioSummary {
        ScenarioSummary {
            pack: "core".into(),
            id: title.to_lowercase().replace(' ', "-"),
            slug: title.to_lowercase().replace(' ', "-"),
            title: title.into(),
            track,
            level: Level::Senior,
            kind: Kind::LiveIncident,
            competencies: vec![Competency::CrossCuttingOwnership],
            minutes: 30,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            hook: "Everything is on fire.".into(),
            investigation: false,
        }
    }

    #[test]
    fn the_toggle_counts_the_filters_set() {
        assert_eq!(filters_toggle_label(&Filters::from_query("q=+")), "Filters");
        assert_eq!(
            filters_toggle_label(&Filters::from_query("q=regex&track=backend")),
            "Filters (2 active)"
        );
        assert_eq!(
            Filters::from_query("q=a&track=backend&level=senior&competency=mentoring").active(),
            4
        );
    }

    #[test]
    fn query_round_trip() {
        let f = Filters {
            q: "regex cpu".into(),
            track: Some(Track::DevopsSre),
            level: None,
            competency: Some(Competency::Mentoring),
        };
        assert_eq!(
            f.to_query(),
            "q=regex+cpu&track=devops-sre&competency=mentoring"
        );
        assert_eq!(Filters::from_query(&format!("?{}", f.to_query())), f);
        assert_eq!(Filters::from_query("track=nope&x=1"), Filters::default());
        assert!(Filters::from_query("q=+").is_empty());
    }

    #[test]
    fn search_matches_all_words_across_fields() {
        let s = summary("Résumé of a bad deploy", Track::Backend, &["feature-flags"]);
        let f = |q: &str| Filters {
            q: q.into(),
            ..Filters::default()
        };
        assert!(f("resume").matches(&s));
        assert!(f("feature flags backend").matches(&s));
        assert!(f("cross-cutting").matches(&s));
        assert!(f("DEPLOY fire").matches(&s));
        assert!(!f("deploy frontend").matches(&s));
        assert!(!Filters {
            track: Some(Track::Frontend),
            ..Filters::default()
        }
        .matches(&s));
        assert!(Filters {
            competency: Some(Competency::CrossCuttingOwnership),
            ..Filters::default()
        }
        .matches(&s));
    }

    #[test]
    fn options_only_offer_values_present() {
        let index = SiteIndex {
            title: "t".into(),
            tagline: "t".into(),
            build: "b".into(),
            scenarios: vec![
                summary("A", Track::Backend, &[]),
                summary("B", Track::Backend, &[]),
                summary("C", Track::Frontend, &[]),
            ],
            evaluators: vec![],
        };
        let o = filter_options(&index, &Filters::default());
        assert_eq!(o.tracks, [(Track::Frontend, 1), (Track::Backend, 2)]);
        assert_eq!(o.levels, [(Level::Senior, 3)]);
        assert_eq!(count_label(1), "1 scenario");
        assert_eq!(more_label(3), "Show 3 more");
        assert_eq!(more_label(PAGE + 1), format!("Show {PAGE} more"));
    }

    #[test]
    fn each_count_says_what_choosing_it_would_show_under_the_other_filters() {
        let mut quick = summary("Quick drill", Track::Backend, &["regex"]);
        quick.level = Level::MidLevel;
        quick.minutes = 15;
        let index = SiteIndex {
            title: "t".into(),
            tagline: "t".into(),
            build: "b".into(),
            scenarios: vec![
                summary("A", Track::Backend, &["regex"]),
                quick,
                summary("C", Track::Frontend, &["regex"]),
                summary("D", Track::Frontend, &["cache"]),
            ],
            evaluators: vec![],
        };
        let f = Filters::from_query("track=backend&q=regex");
        let o = filter_options(&index, &f);
        // Tracks ignore the chosen track but honour the search; levels honour both.
        assert_eq!(o.tracks, [(Track::Frontend, 1), (Track::Backend, 2)]);
        assert_eq!(o.levels, [(Level::MidLevel, 1), (Level::Senior, 1)]);
        // A value no scenario matches under the other filters stays listed, at 0.
        let o = filter_options(&index, &Filters::from_query("q=cache"));
        assert_eq!(o.tracks, [(Track::Frontend, 1), (Track::Backend, 0)]);
        assert_eq!(option_text("Backend", 0), "Backend (0)");
        // The gentlest, shortest scenario of each track is recommended first.
        let first: Vec<&str> = recommended_first(&index)
            .iter()
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(first, ["C", "Quick drill"]);
    }
}
