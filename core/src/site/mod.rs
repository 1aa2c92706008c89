//! The static site generator: writes a real HTML page for every route of a compiled site, plus
//! its data files, into the folder Trunk built.

pub mod template;
pub mod worker;

use crate::catalog::Filters;
use crate::compiler::{output, par, CompiledScenario, CompiledSite};
use crate::markup;
use crate::routes::{
    Bundle, Route, PRACTICE_BIN, PRACTICE_GLOBAL, PROBE_BIN, PROBE_GLOBAL, YOURDATA_BIN,
    YOURDATA_GLOBAL,
};
use crate::storage::keys::Key;
use std::collections::BTreeSet;
use std::path::Path;
use template::PageParts;

/// One page to write: its route, title, description and main content.
struct PageSpec {
    route: Route,
    title: String,
    description: String,
    main: String,
}

/// Writes every page and data file of `site` below `out`, filling `template` (Trunk's index.html).
/// `site_path` is the absolute path the site is served under (`/` or `/<repo>/`), needed only by
/// the 404 page, which the host serves at any depth.
pub fn write_site(
    site: &CompiledSite,
    template: &str,
    out: &Path,
    site_path: &str,
) -> Result<usize, Box<dyn std::error::Error>> {
    let ready = write_unversioned(site, template, out)?;
    write_pages(site, &ready, out, site_path)
}

/// [`write_site`] for a site from [`crate::compiler::check`], whose build id is not worked out
/// yet: it is hashed on one core while the other writes everything that does not carry it (the
/// bundles' templates and every scenario's data files), and set before the pages are written.
/// Hashing every byte of the site is the longest step that cannot be split across cores.
pub fn build_site(
    site: &mut CompiledSite,
    template: &str,
    out: &Path,
    site_path: &str,
) -> Result<usize, Box<dyn std::error::Error>> {
    let shared: &CompiledSite = site;
    let (build, ready) = std::thread::scope(|scope| {
        let hash = scope.spawn(move || output::build_id(shared));
        let ready = write_unversioned(shared, template, out);
        (hash.join(), ready)
    });
    site.index.build = build.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    write_pages(site, &ready?, out, site_path)
}

/// What fills the pages and does not depend on the build id.
struct Ready {
    /// The template of the pages Trunk's loader serves (the browse bundle).
    browse: template::Prepared,
    /// The templates of the bundles whose loader the generator writes.
    generated: Vec<(Bundle, template::Prepared)>,
    /// The early script's file name.
    early_script: String,
}

/// Prepares the templates and writes every file that does not carry the build id: the bundles
/// renamed after their hash, the early script, and each scenario's folder (made once, here) with
/// its data files and the files it embeds.
fn write_unversioned(
    site: &CompiledSite,
    template: &str,
    out: &Path,
) -> Result<Ready, Box<dyn std::error::Error>> {
    template::check(template)?;
    // The stylesheet goes into every page (no render-blocking request); its file is then unused,
    // and removed so the offline worker does not precache it.
    let (template, inlined) = template::with_inline_stylesheets(template, |name| {
        std::fs::read_to_string(out.join(name)).ok()
    });
    let template = template.as_str();
    for name in &inlined {
        std::fs::remove_file(out.join(name))?;
    }
    // What every page of a bundle shares (its script hashes and policy) is worked out once, not
    // per page.
    let browse = template::Prepared::new(template)?;
    let probe = content_address(out, PROBE_BIN)?;
    let yourdata = content_address(out, YOURDATA_BIN)?;
    let practice = content_address(out, PRACTICE_BIN)?;
    let generated = Bundle::GENERATED
        .iter()
        .map(|&b| {
            let mut t = bundle_template(template, out, b)?;
            // Only Settings loads the connection test, when the learner asks for it.
            if b == Bundle::Settings {
                t = template::with_lazy_bundle(&t, PROBE_GLOBAL, PROBE_BIN, &probe.0, &probe.1)?;
            }
            // Scenario pages load the rest of the practice loop when the learner first needs it.
            if b == Bundle::Scenario {
                t = template::with_lazy_bundle(
                    &t,
                    PRACTICE_GLOBAL,
                    PRACTICE_BIN,
                    &practice.0,
                    &practice.1,
                )?;
            }
            // Only Progress loads export, import and the brag document, when pressed.
            if b == Bundle::Progress {
                t = template::with_lazy_bundle(
                    &t,
                    YOURDATA_GLOBAL,
                    YOURDATA_BIN,
                    &yourdata.0,
                    &yourdata.1,
                )?;
            }
            Ok((b, template::Prepared::new(&t)?))
        })
        .collect::<Result<Vec<_>, Box<dyn std::error::Error>>>()?;
    let early_script = write_early_script(out)?;
    par::try_for_each(&site.scenarios, |s| -> std::io::Result<()> {
        let dir = out.join(scenario_route(s).path());
        std::fs::create_dir_all(&dir)?;
        output::write_scenario_data(s, &dir)
    })?;
    Ok(Ready {
        browse,
        generated,
        early_script,
    })
}

/// Writes the index and "how it works" data and every page, once the build id is known and
/// [`write_unversioned`] has made the scenarios' folders.
fn write_pages(
    site: &CompiledSite,
    ready: &Ready,
    out: &Path,
    site_path: &str,
) -> Result<usize, Box<dyn std::error::Error>> {
    output::write_site_data(site, out)?;
    // The catalog's search index, beside the site index it is made from (see catalog.rs).
    std::fs::write(
        out.join(crate::routes::CATALOG_PATH),
        crate::catalog::encode_summaries(&site.index.scenarios),
    )?;
    let index = &site.index;
    // The scenario pages that start an investigation (they preload its data too), looked up per
    // page: scanning every scenario for each page made the build quadratic in the pack's size.
    let investigations: BTreeSet<(&str, &str)> = site
        .scenarios
        .iter()
        .filter(|s| s.investigation.is_some())
        .map(|s| (s.summary.pack.as_str(), s.summary.slug.as_str()))
        .collect();
    let pages = Pages {
        browse: &ready.browse,
        generated: &ready.generated,
        investigations: &investigations,
        early_script: &ready.early_script,
        build: &index.build,
        site_title: &index.title,
        site_path,
    };
    let specs = vec![
        PageSpec { route: Route::Catalog, title: crate::site_text::title(&index.title, None), description: index.tagline.clone(), main: markup::catalog(index, &Filters::default()) },
        PageSpec {
            route: Route::HowItWorks,
            title: crate::site_text::title(&index.title, Some("How it works")),
            description: format!("How {} works: read a real incident, commit to your analysis, then compare it with a senior's rubric.", index.title),
            main: markup::how_it_works(&site.how_it_works),
        },
        PageSpec {
            route: Route::Progress,
            title: crate::site_text::title(&index.title, Some("Your progress")),
            description: "Your attempts by track and competency, your scores over time, and how your confidence compares with your results.".to_string(),
            main: markup::progress_placeholder(),
        },
        PageSpec {
            route: Route::Review,
            title: crate::site_text::title(&index.title, Some("Review")),
            description: "What you missed, back as two-minute drills when it is due: the situation, the evidence to look at first, and the question a senior would ask.".to_string(),
            main: markup::review_placeholder(),
        },
        PageSpec {
            route: Route::Settings,
            title: crate::site_text::title(&index.title, Some("Evaluator settings")),
            description: "Choose the AI evaluator that reads your analysis: Anthropic, OpenAI, OpenRouter or a model on your own machine, with your own key.".to_string(),
            main: markup::settings_placeholder(index.evaluator_for(None)),
        },
        PageSpec { route: Route::NotFound, title: crate::site_text::title(&index.title, Some("Page not found")), description: index.tagline.clone(), main: markup::not_found() },
    ];
    for spec in &specs {
        let path = out.join(page_file(&spec.route));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, pages.render(spec)?)?;
    }
    // Scenario pages are independent, so they are rendered and written on every core.
    par::try_for_each(&site.scenarios, |s| -> Result<(), SendError> {
        let spec = scenario_page(s, &index.title);
        let path = out.join(spec.route.path()).join("index.html");
        std::fs::write(path, pages.render(&spec)?)?;
        Ok(())
    })
    .map_err(|e| e as Box<dyn std::error::Error>)?;
    Ok(specs.len() + site.scenarios.len())
}

/// A scenario's route.
fn scenario_route(s: &CompiledScenario) -> Route {
    Route::Scenario {
        pack: s.summary.pack.clone(),
        slug: s.summary.slug.clone(),
    }
}

/// The file a page is written to, relative to the site root.
fn page_file(route: &Route) -> String {
    match route {
        Route::NotFound => "404.html".to_string(),
        other => format!("{}index.html", other.path()),
    }
}

/// A scenario's page: its briefing and the editor's form (with, for an investigation, its evidence
/// column loading), so the learner can write from the first paint.
fn scenario_page(s: &CompiledScenario, site_title: &str) -> PageSpec {
    let mut main = markup::scenario(&s.summary, &s.body);
    let key = |k: Key| k.render();
    let (pack, scenario) = (s.summary.pack.clone(), s.summary.id.clone());
    main.push_str(&markup::practice_form(
        &s.body,
        &(&s.summary).into(),
        &key(Key::Early {
            pack: pack.clone(),
            scenario: scenario.clone(),
        }),
        &key(Key::Draft { pack, scenario }),
        s.summary.investigation,
    ));
    PageSpec {
        route: scenario_route(s),
        title: crate::site_text::title(site_title, Some(&s.summary.title)),
        description: s.summary.hook.clone(),
        main,
    }
}

/// What every page of one build is filled from.
struct Pages<'a> {
    browse: &'a template::Prepared,
    generated: &'a [(Bundle, template::Prepared)],
    investigations: &'a BTreeSet<(&'a str, &'a str)>,
    early_script: &'a str,
    build: &'a str,
    site_title: &'a str,
    site_path: &'a str,
}

impl Pages<'_> {
    /// One page's HTML.
    fn render(&self, spec: &PageSpec) -> Result<String, template::TemplateError> {
        let body = markup::shell(&spec.route, self.site_title, &spec.main);
        let base = spec.route.base_href(self.site_path);
        let bundle = spec.route.bundle();
        let template = self
            .generated
            .iter()
            .find(|(b, _)| *b == bundle)
            .map_or(self.browse, |(_, t)| t);
        let html = template.render(&PageParts {
            title: &spec.title,
            description: &spec.description,
            base_href: &base,
            build: self.build,
            body: &body,
        })?;
        let mut html = with_preloads(&html, &spec.route, self.investigations, self.build);
        if spec.main.contains(EARLY_MARK) {
            html = with_early_script(&html, self.early_script);
        }
        Ok(html)
    }
}

/// An error a page writer on another thread hands back.
type SendError = Box<dyn std::error::Error + Send + Sync>;

/// The script of a pre-rendered editor (issue 11): it keeps what is typed before the app arrives.
/// Its text, with the storage schema's version filled in, is written as `early-<hash>.js`.
pub const EARLY_SCRIPT: &str = include_str!("early.js");

/// What marks a page that carries the pre-rendered editor.
const EARLY_MARK: &str = "<section id=\"practice\"";

/// Writes the early script under a hash of its content and returns its file name.
fn write_early_script(out: &Path) -> std::io::Result<String> {
    let source = early_script();
    let name = format!("early-{}.js", output::fnv_hex(source.as_bytes()));
    std::fs::write(out.join(&name), source)?;
    Ok(name)
}

/// The early script as written.
fn early_script() -> String {
    EARLY_SCRIPT.replace("__SCHEMA__", &crate::storage::schema::VERSION.to_string())
}

/// Adds the early script, deferred, before the page's first script: deferred and module scripts
/// run in order, so after the app's loader it would wait for the whole bundle to download.
fn with_early_script(html: &str, name: &str) -> String {
    let tag = format!("<script src=\"./{name}\" defer></script>");
    let head_end = html.find("</head>").unwrap_or(html.len());
    let at = html[..head_end].find("<script").unwrap_or(head_end);
    format!("{}{tag}{}", &html[..at], &html[at..])
}

/// Preload hints for the data a page's first render fetches, so those requests leave with the
/// HTML instead of waiting for the wasm that makes them (issue 11: no waterfall). The URLs are
/// exactly the app's (`path?v=build`, a CORS-mode fetch), or the browser would fetch twice.
fn with_preloads(
    html: &str,
    route: &Route,
    investigations: &BTreeSet<(&str, &str)>,
    build: &str,
) -> String {
    // The catalog carries its first page of cards and loads the index only when the learner
    // searches, filters or asks for more; Progress needs only the site's name.
    // A plain scenario page's own bundle commits from the pre-rendered form and needs no data;
    // the full practice loop, which does, arrives at the learner's first interaction. An
    // investigation's page sends for the full loop at once (its evidence column is the loop's):
    // the data it starts from comes with the HTML.
    let mut paths = Vec::new();
    match route {
        Route::Scenario { pack, slug }
            if investigations.contains(&(pack.as_str(), slug.as_str())) =>
        {
            paths.push(crate::routes::INDEX_PATH.to_string());
            paths.push(crate::routes::body_path(pack, slug));
            paths.push(crate::routes::investigation_path(pack, slug));
        }
        Route::Scenario { .. } => {}
        other if other.bundle().needs_index() => paths.push(crate::routes::INDEX_PATH.to_string()),
        _ => {}
    }
    let links: String = paths
        .iter()
        .map(|p| {
            format!("<link rel=\"preload\" href=\"{p}?v={build}\" as=\"fetch\" crossorigin=\"anonymous\">")
        })
        .collect();
    html.replacen("</head>", &format!("{links}</head>"), 1)
}

/// Renames the two files Trunk built for `bin` (`<bin>.js`, `<bin>_bg.wasm`) after a hash of both
/// and returns the new names.
fn content_address(out: &Path, bin: &str) -> Result<(String, String), Box<dyn std::error::Error>> {
    let (js, wasm) = (format!("{bin}.js"), format!("{bin}_bg.wasm"));
    let mut bytes = Vec::new();
    for name in [&js, &wasm] {
        bytes.extend(std::fs::read(out.join(name)).map_err(|e| {
            template::TemplateError(format!("the {bin} bundle ({name}) is missing from the build ({e}); index.html must build it with a worker-type rust link"))
        })?);
    }
    let version = output::fnv_hex(&bytes);
    let (hashed_js, hashed_wasm) = (
        format!("{bin}-{version}.js"),
        format!("{bin}-{version}_bg.wasm"),
    );
    std::fs::rename(out.join(&js), out.join(&hashed_js))?;
    std::fs::rename(out.join(&wasm), out.join(&hashed_wasm))?;
    Ok((hashed_js, hashed_wasm))
}

/// The template for the pages of a bundle Trunk does not load itself: Trunk builds it without a
/// loader and without a content hash, so here its two files are renamed after a hash of both
/// (`practice-<hash>.js`, `practice-<hash>_bg.wasm`) and the loader written for those names. A browser holding a page
/// of one build can then never pair its script with the wasm of another: every asset of the site
/// is content-addressed.
fn bundle_template(
    template: &str,
    out: &Path,
    bundle: Bundle,
) -> Result<String, Box<dyn std::error::Error>> {
    let (hashed_js, hashed_wasm) = content_address(out, bundle.bin())?;
    Ok(template::with_bundle(template, &hashed_js, &hashed_wasm)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_preload_the_index_only_when_their_bundle_starts_from_it() {
        let none = BTreeSet::new();
        let page = "<head></head>";
        for route in [
            Route::Catalog,
            Route::HowItWorks,
            Route::NotFound,
            Route::Progress,
            Route::Settings,
        ] {
            assert_eq!(with_preloads(page, &route, &none, "b"), page, "{route:?}");
        }
        let scenario = Route::Scenario {
            pack: "core".into(),
            slug: "x".into(),
        };
        // A plain scenario's page commits from its form: its data waits for the full loop.
        assert_eq!(with_preloads(page, &scenario, &none, "b"), page);
        // An investigation's page is the full loop's from the start, with all three files.
        let investigations = BTreeSet::from([("core", "x")]);
        let html = with_preloads(page, &scenario, &investigations, "b");
        for path in [
            "data/index.json",
            "scenarios/core/x/scenario.json",
            "scenarios/core/x/investigation.json",
        ] {
            assert!(html.contains(&format!("href=\"{path}?v=b\"")), "{html}");
        }
        assert!(with_preloads(page, &Route::Review, &none, "b").contains("data/index.json?v=b"));
    }

    #[test]
    fn the_early_script_runs_before_the_apps_loader_and_carries_the_schema_version() {
        let page = "<html><head><meta charset=\"utf-8\"><title>t</title><link rel=\"modulepreload\" href=\"./practice-1.js\"><script type=\"module\">import init from './practice-1.js';</script></head><body></body></html>";
        let out = with_early_script(page, "early-ab.js");
        let early = out
            .find("<script src=\"./early-ab.js\" defer></script>")
            .unwrap();
        assert!(
            early < out.find("<script type=\"module\">").unwrap(),
            "{out}"
        );
        assert_eq!(out.matches("<script").count(), 2);
        // A page without scripts gets it at the end of its head.
        assert!(with_early_script("<head></head>", "e.js")
            .starts_with("<head><script src=\"./e.js\" defer></script></head>"));
        let source = early_script();
        assert!(!source.contains("__SCHEMA__"));
        assert!(source.contains(&format!("v: {}, answer", crate::storage::schema::VERSION)));
    }
}
