//! The HTML of every page. The static generator writes it into a file per route, so a page is
//! readable before the wasm loads and a deep link is a real file; the app sets the same strings as
//! the content of the same elements, so taking a page over changes nothing on screen (a browser
//! test compares the two). Interactive parts (filters, navigation) are the app's own components,
//! mirroring the markup here.

use crate::baked::{EvaluatorDefaults, Prose, ScenarioBody, ScenarioSummary, SiteIndex};
use crate::catalog::{
    count_label, filter_options, filters_toggle_label, more_label, option_text, recommended_first,
    Filters, PAGE,
};
use crate::grading::provider::ProviderKind;
use crate::routes::Route;
use crate::site_text::escape;
use crate::site_text::{competency_line, minutes_label, FOOTER};

/// The site's mark beside its name in the header (the favicon's drawing); alone on a phone.
pub const BRAND_MARK: &str = "<svg viewBox=\"0 0 32 32\" focusable=\"false\"><rect width=\"32\" height=\"32\" rx=\"7\" fill=\"#1f4d3a\"/><path d=\"M7 23c4-1 6-4 8-8s4-7 10-8\" fill=\"none\" stroke=\"#f4d35e\" stroke-width=\"3\" stroke-linecap=\"round\"/><circle cx=\"25\" cy=\"7\" r=\"2.6\" fill=\"#f4d35e\"/></svg>";

/// Settings' icon, shown instead of its word where the header must fit a phone's one line.
pub const SETTINGS_ICON: &str = "<svg viewBox=\"0 0 24 24\" focusable=\"false\"><circle cx=\"12\" cy=\"12\" r=\"8\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"4\" stroke-dasharray=\"3.14 3.14\"/><circle cx=\"12\" cy=\"12\" r=\"5.5\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2.2\"/></svg>";

/// How it works' icon (a question mark), likewise.
pub const HELP_ICON: &str = "<svg viewBox=\"0 0 24 24\" focusable=\"false\"><circle cx=\"12\" cy=\"12\" r=\"10\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/><path d=\"M9 9.5a3 3 0 1 1 4.2 2.7c-.8.4-1.2 1-1.2 1.8v.6\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\"/><circle cx=\"12\" cy=\"17.3\" r=\"1.3\" fill=\"currentColor\"/></svg>";

/// Header, main and footer around a page's main content. On a phone the brand shows its mark
/// and two links their icons; their words stay in the page for screen readers (the stylesheet
/// hides them only from sight), so every link keeps its name.
pub fn shell(route: &Route, site_title: &str, main: &str) -> String {
    let nav = |target: Route, label: &str| {
        let current = if target == *route {
            " aria-current=\"page\""
        } else {
            ""
        };
        format!("<a href=\"{}\"{current}>{label}</a>", nav_href(&target))
    };
    let iconic = |icon: &str, label: &str| {
        format!("<span class=\"nav-icon\" aria-hidden=\"true\">{icon}</span><span class=\"nav-label\">{label}</span>")
    };
    format!(
        "<a class=\"skip-link\" href=\"{skip}#main\">Skip to content</a>\
         <header class=\"site-header\"><a class=\"brand\" href=\"./\"><span class=\"brand-mark\" aria-hidden=\"true\">{BRAND_MARK}</span><span class=\"brand-name\">{title}</span></a>\
         <nav aria-label=\"Site\">{catalog}{review}{progress}{settings}{how}</nav></header>\
         <main id=\"main\" tabindex=\"-1\">{main}</main>\
         <footer class=\"site-footer\"><p>{footer}</p></footer>",
        skip = skip_href(route),
        title = escape(site_title),
        catalog = nav(Route::Catalog, "Scenarios"),
        // The number due is the browser's to know: the app adds it to this link's name.
        review = nav(Route::Review, "Review"),
        progress = nav(Route::Progress, "Progress"),
        settings = nav(Route::Settings, &iconic(SETTINGS_ICON, "Settings")),
        how = nav(Route::HowItWorks, &iconic(HELP_ICON, "How it works")),
        footer = FOOTER,
    )
}

/// A nav link's href: the catalog is `./` (the site root through `<base>`).
fn nav_href(route: &Route) -> String {
    match route {
        Route::Catalog => "./".to_string(),
        other => other.path(),
    }
}

/// The skip link's page path (fragment links must name the page: `<base>` points at the root).
fn skip_href(route: &Route) -> String {
    match route {
        Route::NotFound => String::new(),
        other => other.path(),
    }
}

/// The catalog's main content: its first page of cards (filters, search and "Show more" work once
/// the app runs). The filters sit in a disclosure that a phone shows closed, so its first screen
/// is scenarios; a wider screen's stylesheet shows them whole and hides the toggle.
pub fn catalog(index: &SiteIndex, filters: &Filters) -> String {
    let shown: Vec<&ScenarioSummary> = index
        .scenarios
        .iter()
        .filter(|s| filters.matches(s))
        .collect();
    format!(
        "<div class=\"intro\">{}</div><details class=\"filters-box\" id=\"filters-box\"><summary>{}</summary>\
         <form class=\"filters\" role=\"search\" aria-label=\"Filter scenarios\">{}</form></details>\
         <p class=\"result-count\" role=\"status\">{}</p>{}",
        catalog_intro_inner(index),
        filters_toggle_label(filters),
        filter_controls(index, filters),
        count_label(shown.len()),
        catalog_list(&shown, PAGE, |_| None),
    )
}

/// What follows the catalog's result count: the first `limit` of the matching scenarios' cards,
/// each with the learner's status, and a "Show more" button while more match; or, when none
/// match, the way back.
pub fn catalog_list(
    shown: &[&ScenarioSummary],
    limit: usize,
    status: impl Fn(&ScenarioSummary) -> Option<String>,
) -> String {
    if shown.is_empty() {
        return format!("<p class=\"empty\">{EMPTY_CATALOG_INNER}</p>");
    }
    let cards = card_items_with_status(shown.iter().take(limit).copied(), status);
    let more = if shown.len() > limit {
        format!(
            "<p class=\"more\"><button type=\"button\" class=\"show-more\">{}</button></p>",
            more_label(shown.len() - limit)
        )
    } else {
        String::new()
    };
    format!("<ul class=\"cards\">{cards}</ul>{more}")
}

/// The catalog's heading, tagline, the practice loop in one line, and a first scenario per track.
pub fn catalog_intro_inner(index: &SiteIndex) -> String {
    let firsts: Vec<String> = recommended_first(index)
        .into_iter()
        .map(|s| {
            format!(
                "<li><span class=\"start-track\">{}:</span> <a href=\"{}\">{}</a> <span class=\"start-meta\">({}, {})</span></li>",
                s.track.label(),
                Route::Scenario { pack: s.pack.clone(), slug: s.slug.clone() }.path(),
                escape(&s.title),
                s.level.label().to_lowercase(),
                minutes_label(s.minutes)
            )
        })
        .collect();
    let start = if firsts.is_empty() {
        String::new()
    } else {
        format!(
            "<section class=\"start-here\" aria-labelledby=\"start-here\"><h2 id=\"start-here\">New here? Start with one of these</h2><ul>{}</ul></section>",
            firsts.concat()
        )
    };
    format!(
        "<h1>{}</h1><p class=\"tagline\">{}</p>\
         <ol class=\"loop\" aria-label=\"How a scenario works\"><li>Read the situation and its evidence</li><li>Write your analysis and commit to a call, with a confidence</li><li>Open the senior's rubric and grade yourself</li><li>Get pointed feedback from an AI evaluator, then retry</li></ol>{start}",
        escape(&index.title),
        escape(&index.tagline)
    )
}

/// The filter form's controls: a search box and one select per filter, offering only values
/// some scenario has.
pub fn filter_controls(index: &SiteIndex, filters: &Filters) -> String {
    let options = filter_options(index, filters);
    let select = |name: &str,
                  label: &str,
                  all: &str,
                  opts: Vec<(&str, &str, usize)>,
                  chosen: Option<&str>| {
        let mut s = format!("<label class=\"filter\"><span>{label}</span><select name=\"{name}\"><option value=\"\">{all}</option>");
        for (slug, text, n) in opts {
            let sel = if chosen == Some(slug) {
                " selected"
            } else {
                ""
            };
            s.push_str(&format!(
                "<option value=\"{slug}\"{sel}>{}</option>",
                escape(&option_text(text, n))
            ));
        }
        s.push_str("</select></label>");
        s
    };
    let mut html = format!(
        "<label class=\"filter filter-search\"><span>Search</span><input type=\"search\" name=\"q\"{} placeholder=\"regex, failover, feature flag…\" autocomplete=\"off\"></label>",
        if filters.q.is_empty() { String::new() } else { format!(" value=\"{}\"", escape(&filters.q)) },
    );
    html.push_str(&select(
        "track",
        "Track",
        "All tracks",
        options
            .tracks
            .iter()
            .map(|(t, n)| (t.slug(), t.label(), *n))
            .collect(),
        filters.track.map(|t| t.slug()),
    ));
    html.push_str(&select(
        "level",
        "Level",
        "All levels",
        options
            .levels
            .iter()
            .map(|(t, n)| (t.slug(), t.label(), *n))
            .collect(),
        filters.level.map(|t| t.slug()),
    ));
    html.push_str(&select(
        "competency",
        "Competency",
        "All competencies",
        options
            .competencies
            .iter()
            .map(|(t, n)| (t.slug(), t.label(), *n))
            .collect(),
        filters.competency.map(|t| t.slug()),
    ));
    html
}

/// What the catalog's `<p class="empty">` says when no scenario matches.
pub const EMPTY_CATALOG_INNER: &str =
    "No scenario matches these filters. <a href=\"./\">Clear filters</a>";

/// The catalog's cards with what the learner has done on each (see `standing`): only the app
/// knows that, so the static page never has it.
pub fn card_items_with_status<'a>(
    list: impl IntoIterator<Item = &'a ScenarioSummary>,
    status: impl Fn(&ScenarioSummary) -> Option<String>,
) -> String {
    list.into_iter()
        .map(|s| card_with_status(s, status(s).as_deref()))
        .collect()
}

/// One catalog card, with the learner's status on it when there is one: right after the title,
/// so a screen reader hears it with the title; the stylesheet draws it on the card's top edge,
/// where it moves nothing. `data-id` names the scenario as the learner's storage does, so the app
/// can add the status to a pre-rendered card without the site index.
pub fn card_with_status(s: &ScenarioSummary, status: Option<&str>) -> String {
    format!(
        "<li class=\"card\" data-id=\"{id}\"><h2><a href=\"{href}\">{title}</a></h2>{status}<p class=\"hook\">{hook}</p>{badges}<p class=\"competencies\">{comps}</p></li>",
        id = escape(&s.id),
        href = Route::Scenario { pack: s.pack.clone(), slug: s.slug.clone() }.path(),
        title = escape(&s.title),
        status = status
            .map(|t| format!("<p class=\"card-status\">{}</p>", escape(t)))
            .unwrap_or_default(),
        hook = escape(&s.hook),
        badges = badges(s),
        comps = escape(&competency_line(s)),
    )
}

/// The badges naming a scenario's track, level, kind and length.
pub fn badges(s: &ScenarioSummary) -> String {
    format!(
        "<ul class=\"badges\" aria-label=\"About this scenario\"><li class=\"badge badge-{}\">{}</li><li class=\"badge\">{}</li><li class=\"badge\">{}</li><li class=\"badge\">{}</li></ul>",
        s.track.slug(),
        s.track.label(),
        s.level.label(),
        s.kind.label(),
        minutes_label(s.minutes),
    )
}

/// A scenario page's main content.
pub fn scenario(s: &ScenarioSummary, body: &ScenarioBody) -> String {
    format!(
        "<article class=\"scenario\">{}</article>",
        scenario_inner(s, body)
    )
}

/// What the scenario's `<article>` holds: header, primer, situation, artifacts and the ask.
pub fn scenario_inner(s: &ScenarioSummary, body: &ScenarioBody) -> String {
    let mut html = format!(
        "<header class=\"scenario-header\"><p class=\"crumbs\"><a href=\"./\">Scenarios</a> / {track}</p>\
         <h1>{title}</h1><p class=\"hook\">{hook}</p>{badges}<p class=\"competencies\">{comps}</p></header>",
        track = s.track.label(),
        title = escape(&s.title),
        hook = escape(&s.hook),
        badges = badges(s),
        comps = escape(&competency_line(s)),
    );
    if let Some(primer) = &body.primer {
        html.push_str(&format!(
            "<details class=\"primer\" id=\"primer\"><summary>Primer: background before you start</summary><div class=\"prose\">{}</div></details>",
            primer.html
        ));
    }
    html.push_str(&section("situation", "Situation", &body.situation));
    html.push_str("<section class=\"artifacts\" aria-labelledby=\"artifacts\"><h2 id=\"artifacts\">Artifacts</h2>");
    for a in &body.artifacts {
        html.push_str(&format!(
            "<section class=\"artifact\" aria-labelledby=\"{id}\"><h3 id=\"{id}\">{title}</h3><div class=\"prose\">{body}</div></section>",
            id = a.anchor,
            title = escape(&a.title),
            body = a.body.html,
        ));
    }
    html.push_str("</section>");
    html.push_str(&section("the-ask", "The ask", &body.ask));
    html
}

/// The editor's three text fields as (id, label, hint), shared by the pre-rendered form and the
/// app's editor so the two are the same form.
pub const EDITOR_FIELDS: [(&str, &str, &str); 3] = [
    (
        "reasoning",
        "Reasoning",
        "What is going on, and why you think so.",
    ),
    (
        "uncertainty",
        "Uncertainty",
        "What you are unsure of, and what you would check first.",
    ),
    ("commitment", "Commitment", "Your call: what you do now."),
];

/// The confidence's hint.
pub const CONFIDENCE_HINT: &str = "How sure are you of your call?";

/// A field's word count as shown under it.
pub fn words_label(n: usize) -> String {
    if n == 1 {
        "1 word".into()
    } else {
        format!("{n} words")
    }
}

/// The practice section of a scenario as the app first renders it for a learner with nothing
/// written: the ask pinned above an empty editor, with the phone's two tabs (hidden on a wide
/// screen, where the app has none), and for an `investigation` its evidence column as the app
/// draws it while the investigation loads. Pre-rendered so the learner can write the
/// moment the page is readable; the page's small script keeps what is typed under `early_key`
/// and shows it again after a reload, and the app adopts it when it takes over (issue 11). The
/// `data-early`/`data-draft` attributes tell the script where to keep the text and where the saved
/// draft is, so the script composes no key itself; `data-ref` is the scenario as an attempt
/// records it (`meta`), for a commit made before the full practice loop arrives.
pub fn practice_form(
    body: &ScenarioBody,
    meta: &crate::storage::schema::ScenarioRef,
    early_key: &str,
    draft_key: &str,
    investigation: bool,
) -> String {
    let (marker, controls, evidence) = if investigation {
        (
            " data-investigation",
            " aria-controls=\"ws-evidence\"",
            "<div class=\"ws-evidence\" id=\"ws-evidence\"><section class=\"incident\" aria-labelledby=\"incident-title\"><h2 id=\"incident-title\">The investigation</h2><p class=\"loading\" role=\"status\">Loading the investigation…</p></section></div>",
        )
    } else {
        ("", "", "")
    };
    let mut html = format!(
        "<section id=\"practice\" class=\"practice workbench\" aria-labelledby=\"practice-title\" data-tab=\"evidence\" data-view=\"editing\" data-early=\"{early}\" data-draft=\"{draft}\" data-ref=\"{meta}\"{marker}>\
         <div class=\"ws-tabs\" role=\"tablist\" aria-label=\"Workspace\">\
         <button type=\"button\" role=\"tab\" id=\"tab-evidence\" aria-selected=\"true\"{controls} tabindex=\"0\">Evidence</button>\
         <button type=\"button\" role=\"tab\" id=\"tab-answer\" aria-selected=\"false\" aria-controls=\"ws-answer\" tabindex=\"-1\">Your answer</button></div>{evidence}\
         <div class=\"ws-answer\" id=\"ws-answer\"><h2 id=\"practice-title\">Your analysis</h2>\
         <details class=\"ask-pinned\" open><summary>The ask</summary><div class=\"prose\" tabindex=\"0\" role=\"region\" aria-label=\"The ask, while you write\">{ask}</div></details>\
         <div class=\"editor\">",
        early = escape(early_key),
        draft = escape(draft_key),
        meta = escape(&serde_json::to_string(meta).unwrap_or_default()),
        ask = body.ask.html,
    );
    for (id, label, hint) in EDITOR_FIELDS {
        // `autocomplete=off`: the browser must not restore an old value on reload behind the
        // script's back; what was typed comes back from storage.
        html.push_str(&format!(
            "<div class=\"field\"><label for=\"{id}\">{label}</label><p class=\"hint\" id=\"{id}-hint\">{hint}</p>\
             <textarea id=\"{id}\" name=\"{id}\" rows=\"8\" autocomplete=\"off\" aria-describedby=\"{id}-hint {id}-count\"></textarea>\
             <p class=\"count\" id=\"{id}-count\">{count}</p></div>",
            count = words_label(0),
        ));
    }
    html.push_str(&format!(
        "<div class=\"field confidence\"><label for=\"confidence\">Confidence</label><p class=\"hint\" id=\"confidence-hint\">{CONFIDENCE_HINT}</p>\
         <div class=\"confidence-row\"><input type=\"range\" id=\"confidence\" name=\"confidence\" min=\"0\" max=\"100\" step=\"5\" autocomplete=\"off\" aria-describedby=\"confidence-hint\" aria-valuetext=\"not set\" class=\"unset\" value=\"50\">\
         <output for=\"confidence\">not set</output></div></div>\
         <div class=\"editor-bar\"><label class=\"toggle\"><input type=\"checkbox\" autocomplete=\"off\"> Show Markdown preview</label><p class=\"save-state\" role=\"status\">Nothing written yet</p></div>\
         <div class=\"actions\"><button type=\"button\" class=\"primary\">Commit</button><button type=\"button\" class=\"secondary\" aria-expanded=\"false\">Give up and see the rubric</button></div>\
         </div></div></section>"
    ));
    html
}

fn section(id: &str, title: &str, prose: &Prose) -> String {
    format!("<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{title}</h2><div class=\"prose\">{}</div></section>", prose.html)
}

/// The "how it works" page's main content.
pub fn how_it_works(prose: &Prose) -> String {
    format!(
        "<article class=\"page prose\">{}</article>",
        how_it_works_inner(prose)
    )
}

/// What the "how it works" `<article>` holds.
pub fn how_it_works_inner(prose: &Prose) -> String {
    format!("<h1>How it works</h1>{}", prose.html)
}

/// The settings page before the app has read the learner's settings (they live only in the browser).
/// Its opening paragraph is already there, as the app renders it: the largest text of the page
/// must be painted with the first frame, not seconds later when the app arrives (issue 11: LCP).
/// The pack's suggested evaluator rides along as attributes ([`suggestion_attributes`]), so the
/// settings bundle needs neither the site index nor a JSON decoder for it.
pub fn settings_placeholder(suggestion: Option<&EvaluatorDefaults>) -> String {
    let attributes: String = suggestion_attributes(suggestion)
        .into_iter()
        .map(|(name, value)| format!(" {name}=\"{}\"", escape(&value)))
        .collect();
    format!(
        "<article class=\"page settings\"{attributes}><h1>Evaluator settings</h1><p class=\"lead\">{}</p><p class=\"loading\" role=\"status\">Reading your settings from this browser…</p></article>",
        escape(crate::site_text::SETTINGS_LEAD)
    )
}

/// The attributes of the settings placeholder that carry a pack's suggested evaluator (none
/// without one); [`suggestion_from_attributes`] reads them back.
pub fn suggestion_attributes(
    suggestion: Option<&EvaluatorDefaults>,
) -> Vec<(&'static str, String)> {
    let Some(s) = suggestion else {
        return Vec::new();
    };
    let mut out = vec![
        (SUGGEST_PACK, s.pack.clone()),
        (SUGGEST_PACK_TITLE, s.pack_title.clone()),
        (SUGGEST_PROVIDER, s.provider.slug().to_string()),
    ];
    out.extend(s.model.clone().map(|m| (SUGGEST_MODEL, m)));
    out.extend(s.base_url.clone().map(|b| (SUGGEST_BASE_URL, b)));
    out
}

/// The suggested evaluator written by [`suggestion_attributes`], given a reader of the settings
/// placeholder's attributes; none if the provider is missing or unknown.
pub fn suggestion_from_attributes(
    attribute: impl Fn(&str) -> Option<String>,
) -> Option<EvaluatorDefaults> {
    let provider = ProviderKind::from_slug(&attribute(SUGGEST_PROVIDER)?)?;
    Some(EvaluatorDefaults {
        pack: attribute(SUGGEST_PACK).unwrap_or_default(),
        pack_title: attribute(SUGGEST_PACK_TITLE).unwrap_or_default(),
        provider,
        model: attribute(SUGGEST_MODEL),
        base_url: attribute(SUGGEST_BASE_URL),
    })
}

const SUGGEST_PACK: &str = "data-suggest-pack";
const SUGGEST_PACK_TITLE: &str = "data-suggest-pack-title";
const SUGGEST_PROVIDER: &str = "data-suggest-provider";
const SUGGEST_MODEL: &str = "data-suggest-model";
const SUGGEST_BASE_URL: &str = "data-suggest-base-url";

/// The progress page before the app has read the learner's data (it lives only in the browser),
/// with its "Your data" section's text as the app renders it, for the same reason as Settings.
pub fn progress_placeholder() -> String {
    format!(
        "<article class=\"page progress\"><h1>Your progress</h1><p class=\"loading\" role=\"status\">Reading your attempts from this browser…</p>\
         <section class=\"your-data\" aria-labelledby=\"your-data\"><h2 id=\"your-data\">Your data</h2><p>{}</p></section></article>",
        escape(crate::site_text::YOUR_DATA)
    )
}

/// The review page before the app has read the learner's queue (it lives only in the browser).
pub fn review_placeholder() -> String {
    "<article class=\"page review\"><h1>Review</h1><p class=\"loading\" role=\"status\">Reading your review cards from this browser…</p></article>".to_string()
}

/// The 404 page's main content.
pub fn not_found() -> String {
    format!("<article class=\"page\">{NOT_FOUND_INNER}</article>")
}

/// What the 404 `<article>` holds.
pub const NOT_FOUND_INNER: &str = "<h1>Page not found</h1><p>There is no page at this address. It may have moved, or the link may be mistyped.</p>\
     <p><a href=\"./\">Browse all scenarios</a></p>";

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(html: &str) -> Prose {
        Prose {
            markdown: String::new(),
            html: html.into(),
        }
    }

    fn scenarios(n: usize) -> SiteIndex {
        use crate::taxonomy::{Competency, Kind, Level, Track};
        SiteIndex {
            title: "Leap".into(),
            tagline: "t".into(),
            build: "b".into(),
            scenarios: (0..n)
                .map(|i| ScenarioSummary {
                    pack: "core".into(),
                    id: format!("id-{i}"),
                    slug: format!("s-{i}"),
                    title: format!("Scenario {i}"),
                    track: Track::Backend,
                    level: Level::Senior,
                    kind: Kind::LiveIncident,
                    competencies: vec![Competency::Mentoring],
                    minutes: 20,
                    tags: vec![],
                    hook: "h".into(),
                    investigation: false,
                })
                .collect(),
            evaluators: vec![],
        }
    }

    #[test]
    fn the_catalog_page_carries_one_page_of_cards_however_large_the_pack() {
        let small = catalog(&scenarios(3), &Filters::default());
        assert_eq!(small.matches("<li class=\"card\"").count(), 3);
        assert!(!small.contains("show-more"));
        assert!(small
            .contains("<li class=\"card\" data-id=\"id-0\"><h2><a href=\"scenarios/core/s-0/\">"));
        let large = catalog(&scenarios(1000), &Filters::default());
        assert_eq!(large.matches("<li class=\"card\"").count(), PAGE);
        assert!(large.contains("<p class=\"result-count\" role=\"status\">1000 scenarios</p>"));
        assert!(large.ends_with(&format!(
            "</ul><p class=\"more\"><button type=\"button\" class=\"show-more\">Show {PAGE} more</button></p>"
        )));
        // Past the first page, the button offers what is left.
        let index = scenarios(PAGE + 5);
        let all: Vec<&ScenarioSummary> = index.scenarios.iter().collect();
        assert!(catalog_list(&all, PAGE, |_| None).contains(">Show 5 more</button>"));
        let whole = catalog_list(&all, 2 * PAGE, |s| {
            (s.id == "id-1").then(|| "Attempted".into())
        });
        assert_eq!(whole.matches("<li class=\"card\"").count(), PAGE + 5);
        assert!(!whole.contains("show-more"));
        assert!(whole.contains("Scenario 1</a></h2><p class=\"card-status\">Attempted</p>"));
        assert_eq!(
            catalog_list(&[], PAGE, |_| None),
            format!("<p class=\"empty\">{EMPTY_CATALOG_INNER}</p>")
        );
    }

    #[test]
    fn the_settings_placeholder_carries_the_suggested_evaluator_and_it_reads_back() {
        let full = EvaluatorDefaults {
            pack: "acme".into(),
            pack_title: "Acme \"ops\" & co".into(),
            provider: ProviderKind::OpenAiCompatible,
            model: Some("m<1>".into()),
            base_url: Some("https://gw.acme.test/v1".into()),
        };
        let bare = EvaluatorDefaults {
            model: None,
            base_url: None,
            ..full.clone()
        };
        for s in [full, bare] {
            let html = settings_placeholder(Some(&s));
            assert!(html.contains(&format!(
                " data-suggest-pack-title=\"{}\"",
                escape(&s.pack_title)
            )));
            let attributes = suggestion_attributes(Some(&s));
            let read = suggestion_from_attributes(|name| {
                attributes
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
            });
            assert_eq!(read, Some(s));
        }
        // Without a suggestion the page says nothing, and nothing is read back.
        assert!(!settings_placeholder(None).contains("data-suggest"));
        assert_eq!(suggestion_from_attributes(|_| None), None);
        // An unknown provider (a page of another version) is no suggestion, not a wrong one.
        assert_eq!(
            suggestion_from_attributes(|n| (n == "data-suggest-provider").then(|| "nope".into())),
            None
        );
    }

    #[test]
    fn the_pre_rendered_editor_is_the_apps_form_with_its_keys() {
        let body = ScenarioBody {
            situation: prose("<p>s</p>"),
            artifacts: vec![],
            ask: prose("<ol><li>What now?</li></ol>"),
            primer: None,
        };
        let html = practice_form(
            &body,
            &crate::storage::schema::ScenarioRef {
                title: "A \"quoted\" <title>".into(),
                ..Default::default()
            },
            "leap:core:a&b:early",
            "leap:core:a&b:draft",
            false,
        );
        assert!(html.starts_with("<section id=\"practice\" class=\"practice workbench\""));
        assert!(html.contains(
            "data-early=\"leap:core:a&amp;b:early\" data-draft=\"leap:core:a&amp;b:draft\""
        ));
        assert!(html.contains("<ol><li>What now?</li></ol>"));
        // The scenario as an attempt records it, escaped into its attribute.
        assert!(
            html.contains(
                "data-ref=\"{&quot;title&quot;:&quot;A \\&quot;quoted\\&quot; &lt;title&gt;&quot;,"
            ),
            "{html}"
        );
        for (id, label, hint) in EDITOR_FIELDS {
            assert!(html.contains(&format!("<label for=\"{id}\">{label}</label><p class=\"hint\" id=\"{id}-hint\">{hint}</p><textarea id=\"{id}\" name=\"{id}\"")), "{id}");
            assert!(html.contains(&format!("<p class=\"count\" id=\"{id}-count\">0 words</p>")));
        }
        assert!(html.contains("<input type=\"range\" id=\"confidence\""));
        assert_eq!(
            html.matches("<section").count(),
            html.matches("</section>").count()
        );
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
        assert_eq!(words_label(1), "1 word");
        assert_eq!(words_label(3), "3 words");
        assert!(!html.contains("ws-evidence") && !html.contains("data-investigation"));
    }

    #[test]
    fn an_investigations_form_has_its_evidence_column_as_the_app_draws_it_loading() {
        let body = ScenarioBody {
            situation: prose("<p>s</p>"),
            artifacts: vec![],
            ask: prose("<p>Ask</p>"),
            primer: None,
        };
        let meta = crate::storage::schema::ScenarioRef::default();
        let html = practice_form(&body, &meta, "e", "d", true);
        assert!(html.contains("data-investigation>"), "{html}");
        assert!(html.contains(
            "id=\"tab-evidence\" aria-selected=\"true\" aria-controls=\"ws-evidence\" tabindex=\"0\""
        ));
        // The evidence column comes before the answer's, as in the app.
        let evidence = html.find("<div class=\"ws-evidence\" id=\"ws-evidence\"><section class=\"incident\" aria-labelledby=\"incident-title\"><h2 id=\"incident-title\">The investigation</h2><p class=\"loading\" role=\"status\">Loading the investigation…</p></section></div>").unwrap();
        assert!(evidence < html.find("<div class=\"ws-answer\"").unwrap());
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
    }
}
