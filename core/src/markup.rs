//! The HTML of every page, pre-rendered so a page is readable before the wasm loads and a deep link
//! is a real file. The app's components render exactly this markup (a browser test compares them),
//! so taking the page over shows no flash and no layout shift.

use crate::site_text::escape;
use crate::baked::{Prose, ScenarioBody, ScenarioSummary, SiteIndex};
use crate::catalog::{count_label, filter_options, Filters};
use crate::routes::Route;
use crate::site_text::{competency_line, minutes_label, FOOTER};

/// Header, main and footer around a page's main content.
pub fn shell(route: &Route, site_title: &str, main: &str) -> String {
    let nav = |target: Route, label: &str| {
        let current = if target == *route { " aria-current=\"page\"" } else { "" };
        format!("<a href=\"{}\"{current}>{label}</a>", nav_href(&target))
    };
    format!(
        "<a class=\"skip-link\" href=\"{skip}#main\">Skip to content</a>\
         <header class=\"site-header\"><a class=\"brand\" href=\"./\">{title}</a>\
         <nav aria-label=\"Site\">{catalog}{how}</nav></header>\
         <main id=\"main\" tabindex=\"-1\">{main}</main>\
         <footer class=\"site-footer\"><p>{footer}</p></footer>",
        skip = skip_href(route),
        title = escape(site_title),
        catalog = nav(Route::Catalog, "Scenarios"),
        how = nav(Route::HowItWorks, "How it works"),
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

/// The catalog's main content, with every scenario listed (filters apply once the app runs).
pub fn catalog(index: &SiteIndex, filters: &Filters) -> String {
    let options = filter_options(index);
    let select = |name: &str, label: &str, all: &str, opts: Vec<(&str, &str, usize)>, chosen: Option<&str>| {
        let mut s = format!("<label class=\"filter\"><span>{label}</span><select name=\"{name}\"><option value=\"\">{all}</option>");
        for (slug, text, n) in opts {
            let sel = if chosen == Some(slug) { " selected" } else { "" };
            s.push_str(&format!("<option value=\"{slug}\"{sel}>{} ({n})</option>", escape(text)));
        }
        s.push_str("</select></label>");
        s
    };
    let shown: Vec<&ScenarioSummary> = index.scenarios.iter().filter(|s| filters.matches(s)).collect();
    let mut html = format!(
        "<div class=\"intro\"><h1>{}</h1><p class=\"tagline\">{}</p></div>\
         <form class=\"filters\" role=\"search\" aria-label=\"Filter scenarios\">\
         <label class=\"filter filter-search\"><span>Search</span><input type=\"search\" name=\"q\"{} placeholder=\"regex, failover, feature flag…\" autocomplete=\"off\"></label>",
        escape(&index.title),
        escape(&index.tagline),
        if filters.q.is_empty() { String::new() } else { format!(" value=\"{}\"", escape(&filters.q)) },
    );
    html.push_str(&select("track", "Track", "All tracks", options.tracks.iter().map(|(t, n)| (t.slug(), t.label(), *n)).collect(), filters.track.map(|t| t.slug())));
    html.push_str(&select("level", "Level", "All levels", options.levels.iter().map(|(t, n)| (t.slug(), t.label(), *n)).collect(), filters.level.map(|t| t.slug())));
    html.push_str(&select(
        "competency",
        "Competency",
        "All competencies",
        options.competencies.iter().map(|(t, n)| (t.slug(), t.label(), *n)).collect(),
        filters.competency.map(|t| t.slug()),
    ));
    html.push_str("</form>");
    html.push_str(&format!("<p class=\"result-count\" role=\"status\">{}</p>", count_label(shown.len())));
    if shown.is_empty() {
        html.push_str("<p class=\"empty\">No scenario matches these filters. <a href=\"./\">Clear filters</a></p>");
    } else {
        html.push_str("<ul class=\"cards\">");
        for s in shown {
            html.push_str(&card(s));
        }
        html.push_str("</ul>");
    }
    html
}

/// One catalog card.
pub fn card(s: &ScenarioSummary) -> String {
    format!(
        "<li class=\"card\"><h2><a href=\"{href}\">{title}</a></h2><p class=\"hook\">{hook}</p>{badges}<p class=\"competencies\">{comps}</p></li>",
        href = Route::Scenario { pack: s.pack.clone(), slug: s.slug.clone() }.path(),
        title = escape(&s.title),
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
    let mut html = format!(
        "<article class=\"scenario\"><header class=\"scenario-header\"><p class=\"crumbs\"><a href=\"./\">Scenarios</a> / {track}</p>\
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
    html.push_str("</article>");
    html
}

fn section(id: &str, title: &str, prose: &Prose) -> String {
    format!("<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{title}</h2><div class=\"prose\">{}</div></section>", prose.html)
}

/// The "how it works" page's main content.
pub fn how_it_works(prose: &Prose) -> String {
    format!("<article class=\"page prose\"><h1>How it works</h1>{}</article>", prose.html)
}

/// The 404 page's main content.
pub fn not_found() -> String {
    "<article class=\"page\"><h1>Page not found</h1><p>There is no page at this address. It may have moved, or the link may be mistyped.</p>\
     <p><a href=\"./\">Browse all scenarios</a></p></article>"
        .to_string()
}
