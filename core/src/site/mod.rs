//! The static site generator: writes a real HTML page for every route of a compiled site, plus
//! its data files, into the folder Trunk built.

pub mod template;
pub mod worker;

use crate::catalog::Filters;
use crate::compiler::{output, par, CompiledSite};
use crate::markup;
use crate::routes::{Bundle, Route};
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
    template::check(template)?;
    output::write_data(site, out)?;
    // The catalog's search index, beside the site index it is made from (see catalog.rs).
    std::fs::write(
        out.join(crate::routes::CATALOG_PATH),
        crate::catalog::encode_summaries(&site.index.scenarios),
    )?;
    // What every page of a bundle shares (its script hashes and policy) is worked out once, not
    // per page.
    let browse = template::Prepared::new(template)?;
    let generated = Bundle::GENERATED
        .iter()
        .map(|&b| {
            let t = bundle_template(template, out, b)?;
            Ok((b, template::Prepared::new(&t)?))
        })
        .collect::<Result<Vec<_>, Box<dyn std::error::Error>>>()?;
    let index = &site.index;
    // The scenario pages that start an investigation (they preload its data too), looked up per
    // page: scanning every scenario for each page made the build quadratic in the pack's size.
    let investigations: BTreeSet<(&str, &str)> = site
        .scenarios
        .iter()
        .filter(|s| s.investigation.is_some())
        .map(|s| (s.summary.pack.as_str(), s.summary.slug.as_str()))
        .collect();
    let mut specs = vec![
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
            main: markup::settings_placeholder(),
        },
        PageSpec { route: Route::NotFound, title: crate::site_text::title(&index.title, Some("Page not found")), description: index.tagline.clone(), main: markup::not_found() },
    ];
    let early_script = write_early_script(out)?;
    for s in &site.scenarios {
        let mut main = markup::scenario(&s.summary, &s.body);
        // An investigation's workspace is the app's alone (its evidence column grows as the
        // learner asks); a plain scenario's editor is on the page from the first paint.
        if !s.summary.investigation {
            let key = |k: Key| k.render();
            let (pack, scenario) = (s.summary.pack.clone(), s.summary.id.clone());
            main.push_str(&markup::practice_form(
                &s.body,
                &key(Key::Early {
                    pack: pack.clone(),
                    scenario: scenario.clone(),
                }),
                &key(Key::Draft { pack, scenario }),
            ));
        }
        specs.push(PageSpec {
            route: Route::Scenario {
                pack: s.summary.pack.clone(),
                slug: s.summary.slug.clone(),
            },
            title: crate::site_text::title(&index.title, Some(&s.summary.title)),
            description: s.summary.hook.clone(),
            main,
        });
    }
    // Pages are independent, so they are rendered and written on every core.
    par::try_for_each(&specs, |spec| -> Result<(), SendError> {
        let body = markup::shell(&spec.route, &index.title, &spec.main);
        let base = spec.route.base_href(site_path);
        let bundle = spec.route.bundle();
        let template = generated
            .iter()
            .find(|(b, _)| *b == bundle)
            .map_or(&browse, |(_, t)| t);
        let html = template.render(&PageParts {
            title: &spec.title,
            description: &spec.description,
            base_href: &base,
            build: &index.build,
            body: &body,
        })?;
        let mut html = with_preloads(&html, &spec.route, &investigations, &index.build);
        if spec.main.contains(EARLY_MARK) {
            html = with_early_script(&html, &early_script);
        }
        let rel = match &spec.route {
            Route::NotFound => "404.html".to_string(),
            other => format!("{}index.html", other.path()),
        };
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, html)?;
        Ok(())
    })
    .map_err(|e| e as Box<dyn std::error::Error>)?;
    Ok(specs.len())
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
    let mut paths = Vec::new();
    if route.bundle().needs_index() {
        paths.push(crate::routes::INDEX_PATH.to_string());
    }
    if let Route::Scenario { pack, slug } = route {
        paths.push(crate::routes::body_path(pack, slug));
        if investigations.contains(&(pack.as_str(), slug.as_str())) {
            paths.push(crate::routes::investigation_path(pack, slug));
        }
    }
    let links: String = paths
        .iter()
        .map(|p| {
            format!("<link rel=\"preload\" href=\"{p}?v={build}\" as=\"fetch\" crossorigin=\"anonymous\">")
        })
        .collect();
    html.replacen("</head>", &format!("{links}</head>"), 1)
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
    let bin = bundle.bin();
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
        ] {
            assert_eq!(with_preloads(page, &route, &none, "b"), page, "{route:?}");
        }
        let scenario = Route::Scenario {
            pack: "core".into(),
            slug: "x".into(),
        };
        let html = with_preloads(page, &scenario, &none, "b");
        assert!(html.contains("href=\"data/index.json?v=b\""), "{html}");
        assert!(
            html.contains("scenarios/core/x/scenario.json?v=b"),
            "{html}"
        );
        for route in [Route::Settings, Route::Review] {
            assert!(with_preloads(page, &route, &none, "b").contains("data/index.json?v=b"));
        }
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
