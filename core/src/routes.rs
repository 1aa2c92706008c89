//! The site's routes: one place that turns a route into a path and a path into a route, used by the
//! static page generator (file names, links) and by the app (what to load before taking over).

/// A page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The catalog of scenarios.
    Catalog,
    /// One scenario's page.
    Scenario {
        /// The pack's id.
        pack: String,
        /// The scenario's folder name.
        slug: String,
    },
    /// How the practice loop works.
    HowItWorks,
    /// The learner's progress and their data (export, import, brag document).
    Progress,
    /// The review queue: what the learner missed, back as short drills when it is due.
    Review,
    /// The AI evaluator's settings: provider, model, base URL, key.
    Settings,
    /// Anything else.
    NotFound,
}

impl Route {
    /// The path of this route relative to the site root, always ending in `/` (GitHub Pages redirects
    /// a directory without it). The catalog is the empty path.
    pub fn path(&self) -> String {
        match self {
            Route::Catalog => String::new(),
            Route::Scenario { pack, slug } => format!("scenarios/{pack}/{slug}/"),
            Route::HowItWorks => "how-it-works/".to_string(),
            Route::Progress => "progress/".to_string(),
            Route::Review => "review/".to_string(),
            Route::Settings => "settings/".to_string(),
            Route::NotFound => "404.html".to_string(),
        }
    }

    /// Parses a path relative to the site root (leading and trailing slashes optional).
    pub fn parse(path: &str) -> Route {
        let trimmed = path.trim_matches('/');
        let trimmed = trimmed
            .strip_suffix("index.html")
            .unwrap_or(trimmed)
            .trim_end_matches('/');
        let parts: Vec<&str> = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('/').collect()
        };
        match parts.as_slice() {
            [] => Route::Catalog,
            ["how-it-works"] => Route::HowItWorks,
            ["progress"] => Route::Progress,
            ["review"] => Route::Review,
            ["settings"] => Route::Settings,
            ["scenarios", pack, slug] if is_slug(pack) && is_slug(slug) => Route::Scenario {
                pack: (*pack).to_string(),
                slug: (*slug).to_string(),
            },
            _ => Route::NotFound,
        }
    }

    /// The `<base href>` a page at this route needs so that relative URLs resolve from the site root.
    /// Every page but the 404 page is relative, so one build works wherever it is mounted; the 404
    /// page is served at any unknown depth, so it needs the absolute mount path (`site_path`).
    pub fn base_href(&self, site_path: &str) -> String {
        let depth = self.path().matches('/').count();
        if *self == Route::NotFound {
            site_path.to_string()
        } else if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        }
    }
}

/// Which wasm bundle runs on a page. Each page downloads only the code it uses: the catalog's
/// bundle carries no practice loop, and Progress, Review and Settings each have their own instead
/// of sharing the scenario page's (issue 11). Links between pages of different bundles are
/// ordinary page loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Catalog, "how it works" and the 404 page: the bundle Trunk loads itself.
    Browse,
    /// Scenario pages: their own bundle, `write`, commits from the pre-rendered form; the whole
    /// practice loop ([`PRACTICE_BIN`]) arrives at the learner's first interaction and serves
    /// them from then on.
    Scenario,
    /// The progress page: scores, calibration, the brag document and the learner's data.
    Progress,
    /// The review queue's drills.
    Review,
    /// The evaluator's settings.
    Settings,
}

impl Bundle {
    /// The bundles whose loader the site generator writes (Trunk builds them as "workers", so they
    /// get neither a loader nor a content hash from it).
    pub const GENERATED: [Bundle; 4] = [
        Bundle::Scenario,
        Bundle::Progress,
        Bundle::Review,
        Bundle::Settings,
    ];

    /// Whether the bundle's pages start from the site index (`data/index.json`, every scenario's
    /// summary: it grows with the pack). The others need only the site's name and build, which
    /// their page carries, so they neither preload nor fetch it (issue 11). The catalog loads it
    /// only when the learner searches; Progress reads the learner's own records; Settings reads
    /// the pack's suggested evaluator from its page.
    pub fn needs_index(self) -> bool {
        !matches!(self, Bundle::Browse | Bundle::Progress | Bundle::Settings)
    }

    /// The Rust binary (and Trunk output name) of this bundle.
    pub fn bin(self) -> &'static str {
        match self {
            Bundle::Browse => "browse",
            Bundle::Scenario => "write",
            Bundle::Progress => "progress",
            Bundle::Review => "review",
            Bundle::Settings => "settings",
        }
    }
}

/// The full practice loop of a scenario page: the rubric and self-review, comparisons, the
/// evaluator, the Markdown preview and the room. The page's own bundle (`write`) loads it when the
/// learner first needs one of them and hands the page over to it (`leap_core::handover`), so the
/// code a learner waits for before they can write and commit is only the write bundle's.
pub const PRACTICE_BIN: &str = "practice";

/// The function of a scenario page that loads the full practice loop and hands the page over to it
/// (`window.leapPractice()`; see `site::template::with_lazy_bundle`).
pub const PRACTICE_GLOBAL: &str = "leapPractice";

/// The connection test of the settings page: a bundle loaded only when the learner presses
/// "Test connection". Its files are content-addressed like the page bundles', and its export
/// is a function of this name.
pub const PROBE_BIN: &str = "probe";

/// The function of the settings page that loads the probe bundle and runs its test
/// (`window.leapProbe(settings)`; see `site::template::with_lazy_bundle`). The bundle exports
/// its test as `probe`, the name of the bundle.
pub const PROBE_GLOBAL: &str = "leapProbe";

/// The progress page's export, import and brag document: a bundle loaded only when the learner
/// presses one of them, exporting its one function under this name.
pub const YOURDATA_BIN: &str = "yourdata";

/// The function of the progress page that loads the yourdata bundle and passes it a request
/// (`window.leapYourData(request)`; see `site::template::with_lazy_bundle`).
pub const YOURDATA_GLOBAL: &str = "leapYourData";

impl Route {
    /// The bundle that serves this page.
    pub fn bundle(&self) -> Bundle {
        match self {
            Route::Scenario { .. } => Bundle::Scenario,
            Route::Progress => Bundle::Progress,
            Route::Review => Bundle::Review,
            Route::Settings => Bundle::Settings,
            Route::Catalog | Route::HowItWorks | Route::NotFound => Bundle::Browse,
        }
    }
}

/// Where the site index lives, relative to the site root.
pub const INDEX_PATH: &str = "data/index.json";
/// The catalog's search index: every scenario's card and search fields in a line of text
/// (`catalog::encode_summaries`), fetched when the learner searches.
pub const CATALOG_PATH: &str = "data/catalog.txt";
/// Where the "how it works" page's content lives, relative to the site root.
pub const HOW_IT_WORKS_PATH: &str = "data/how-it-works.json";

/// The body file of a scenario, relative to the site root: next to its page.
pub fn body_path(pack: &str, slug: &str) -> String {
    format!(
        "{}scenario.json",
        Route::Scenario {
            pack: pack.into(),
            slug: slug.into()
        }
        .path()
    )
}

/// The rubric file of a scenario, relative to the site root. It is a file of its own so that the
/// app fetches it only once the learner has committed.
pub fn rubric_path(pack: &str, slug: &str) -> String {
    format!(
        "{}rubric.json",
        Route::Scenario {
            pack: pack.into(),
            slug: slug.into()
        }
        .path()
    )
}

/// The hidden part of an investigation (probes, injects, facts), relative to the site root: a file
/// of its own so that evidence is in neither the pre-rendered page nor `scenario.json`.
pub fn investigation_path(pack: &str, slug: &str) -> String {
    format!(
        "{}investigation.json",
        Route::Scenario {
            pack: pack.into(),
            slug: slug.into()
        }
        .path()
    )
}

/// Whether `s` is a valid pack id, scenario id or slug: lowercase ASCII letters, digits and single
/// hyphens, starting with a letter.
pub fn is_slug(s: &str) -> bool {
    let mut prev_hyphen = true;
    let starts_with_letter = s.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    starts_with_letter
        && !s.ends_with('-')
        && s.chars().all(|c| {
            let ok = c.is_ascii_lowercase() || c.is_ascii_digit() || (c == '-' && !prev_hyphen);
            prev_hyphen = c == '-';
            ok
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        let routes = [
            Route::Catalog,
            Route::HowItWorks,
            Route::Review,
            Route::Scenario {
                pack: "core".into(),
                slug: "regex-cpu".into(),
            },
        ];
        for r in routes {
            assert_eq!(Route::parse(&r.path()), r);
            assert_eq!(Route::parse(&format!("/{}", r.path())), r);
        }
    }

    #[test]
    fn parse_accepts_missing_slash_and_index() {
        assert_eq!(Route::parse("/how-it-works"), Route::HowItWorks);
        assert_eq!(Route::parse("index.html"), Route::Catalog);
        assert_eq!(
            Route::parse("scenarios/core/x/index.html"),
            Route::Scenario {
                pack: "core".into(),
                slug: "x".into()
            }
        );
    }

    #[test]
    fn unknown_paths_are_not_found() {
        assert_eq!(Route::parse("scenarios/core"), Route::NotFound);
        assert_eq!(Route::parse("scenarios/Core/x"), Route::NotFound);
        assert_eq!(Route::parse("nope/"), Route::NotFound);
    }

    #[test]
    fn the_review_page_has_its_own_bundle() {
        assert_eq!(Route::parse("review/index.html"), Route::Review);
        assert_eq!(Route::Review.bundle(), Bundle::Review);
        assert_eq!(Route::Review.base_href("/r/"), "../");
    }

    #[test]
    fn base_href_climbs_to_root() {
        assert_eq!(Route::Catalog.base_href("/r/"), "./");
        assert_eq!(Route::HowItWorks.base_href("/r/"), "../");
        let scenario = Route::Scenario {
            pack: "a".into(),
            slug: "b".into(),
        };
        assert_eq!(scenario.base_href("/r/"), "../../../");
        assert_eq!(Route::NotFound.base_href("/r/"), "/r/");
    }

    #[test]
    fn slugs() {
        assert!(is_slug("regex-cpu-2019"));
        assert!(!is_slug("Regex"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug("a-"));
        assert!(!is_slug("1a"));
        assert!(!is_slug(""));
    }
}
