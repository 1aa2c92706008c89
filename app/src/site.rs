//! Where the site lives and how its baked data is loaded: the base URL every relative link and
//! fetch resolves against, and a cache of the data files pages need.

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leap_core::baked::{Investigation, Rubric, ScenarioBody, SiteIndex};
use leap_core::routes::{body_path, investigation_path, rubric_path, INDEX_PATH};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The document's base URL (the site root), made absolute.
///
/// Pages ship a relative `<base href>` (`../../../`) so one build works at any mount path. The
/// browser resolves it against the document URL, which client-side navigation changes; pinning it
/// to the absolute URL once at start-up keeps every relative link and fetch pointing at the root.
pub fn pin_base() -> String {
    let doc = document();
    let root = doc
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_else(|| "/".to_string());
    if let Some(base) = doc
        .query_selector("base")
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<web_sys::HtmlBaseElement>().ok())
    {
        base.set_href(&root);
    }
    root
}

/// The router's base: the path of the site root without its trailing slash (`""` or `/repo`).
pub fn router_base(root: &str) -> String {
    web_sys::Url::new(root)
        .map(|u| u.pathname())
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string()
}

/// The content of a `<meta name=…>` tag of the page.
pub fn meta(name: &str) -> Option<String> {
    document()
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()
        .flatten()
        .and_then(|m| m.dyn_into::<web_sys::HtmlMetaElement>().ok())
        .map(|m| m.content())
}

/// A data file that is loading, loaded, or failed to load.
#[derive(Clone, Debug)]
pub enum Load<T> {
    /// Not here yet.
    Loading,
    /// Here.
    Ready(T),
    /// Could not be loaded; the message says why.
    Failed(String),
}

/// Per-scenario data files by (pack, slug).
type PerScenario<T> = RwSignal<HashMap<(String, String), Load<Arc<T>>>>;

/// A scenario's hidden parts, loading or loaded: one request however many readers await it.
pub type InvestigationLoad = Shared<LocalBoxFuture<'static, Result<Arc<Investigation>, String>>>;

/// The baked data the app has loaded, shared by every page.
#[derive(Clone, Copy)]
pub struct Store {
    /// The site index, loaded before the app starts; only its title and build in a bundle that
    /// does not start from it (`Bundle::needs_index`).
    pub index: StoredValue<Arc<SiteIndex>>,
    /// The router's base path.
    pub base: StoredValue<String>,
    bodies: PerScenario<ScenarioBody>,
    rubrics: PerScenario<Rubric>,
    investigations: StoredValue<HashMap<(String, String), InvestigationLoad>, LocalStorage>,
}

impl Store {
    /// A store around a loaded index.
    pub fn new(index: SiteIndex, base: String) -> Self {
        Store {
            index: StoredValue::new(Arc::new(index)),
            base: StoredValue::new(base),
            bodies: RwSignal::new(HashMap::new()),
            rubrics: RwSignal::new(HashMap::new()),
            investigations: StoredValue::new_local(HashMap::new()),
        }
    }

    /// A scenario's body, loading it on first use.
    pub fn body(&self, pack: &str, slug: &str) -> Load<Arc<ScenarioBody>> {
        self.per_scenario(self.bodies, body_path(pack, slug), pack, slug)
    }

    /// Loads a scenario's body and keeps it (before the app takes a page over).
    pub async fn load_body(&self, pack: &str, slug: &str) {
        load_into(
            self.bodies,
            self.data_url(&body_path(pack, slug)),
            pack,
            slug,
        )
        .await;
    }

    /// A scenario's rubric, loading it on first use: only pages past the commit ask for it.
    pub fn rubric(&self, pack: &str, slug: &str) -> Load<Arc<Rubric>> {
        self.per_scenario(self.rubrics, rubric_path(pack, slug), pack, slug)
    }

    /// An investigation's probes, injects and facts (`investigation.json`). The request starts on
    /// the first call and is shared by every later one, so the page can start it beside the
    /// scenario's body and the practice section await the same response; a failed load is
    /// forgotten, so calling again retries.
    pub fn investigation(&self, pack: &str, slug: &str) -> InvestigationLoad {
        let key = (pack.to_string(), slug.to_string());
        let cached = self.investigations.with_value(|m| m.get(&key).cloned());
        if let Some(load) = cached.filter(|l| !matches!(l.peek(), Some(Err(_)))) {
            return load;
        }
        let url = self.data_url(&investigation_path(pack, slug));
        let load = async move { fetch_json::<Investigation>(&url).await.map(Arc::new) }
            .boxed_local()
            .shared();
        self.investigations.update_value(|m| {
            m.insert(key, load.clone());
        });
        load
    }

    /// Forgets failed loads of a scenario's files so the next read retries.
    pub fn retry(&self, pack: &str, slug: &str) {
        forget_failed(self.bodies, pack, slug);
        forget_failed(self.rubrics, pack, slug);
    }

    fn per_scenario<T: serde::de::DeserializeOwned + Send + Sync + 'static>(
        &self,
        cache: PerScenario<T>,
        path: String,
        pack: &str,
        slug: &str,
    ) -> Load<Arc<T>> {
        let key = (pack.to_string(), slug.to_string());
        if let Some(found) = cache.with(|m| m.get(&key).cloned()) {
            return found;
        }
        cache.update_untracked(|m| {
            m.insert(key.clone(), Load::Loading);
        });
        let url = self.data_url(&path);
        leptos::task::spawn_local(async move { load_into(cache, url, &key.0, &key.1).await });
        Load::Loading
    }

    /// A data file's URL with the build id, so a new deploy never reads an old cached file.
    fn data_url(&self, path: &str) -> String {
        data_url(path, &self.index.with_value(|i| i.build.clone()))
    }
}

fn forget_failed<T: Send + Sync + 'static>(cache: PerScenario<T>, pack: &str, slug: &str) {
    let key = (pack.to_string(), slug.to_string());
    if cache.with_untracked(|m| matches!(m.get(&key), Some(Load::Failed(_)))) {
        cache.update(|m| {
            m.remove(&key);
        });
    }
}

async fn load_into<T: serde::de::DeserializeOwned + Send + Sync + 'static>(
    cache: PerScenario<T>,
    url: String,
    pack: &str,
    slug: &str,
) {
    let result = fetch_json::<T>(&url).await;
    cache.update(|m| {
        m.insert(
            (pack.to_string(), slug.to_string()),
            result
                .map(|v| Load::Ready(Arc::new(v)))
                .unwrap_or_else(Load::Failed),
        );
    });
}

/// `path?v=build`.
pub fn data_url(path: &str, build: &str) -> String {
    format!("{path}?v={build}")
}

/// The site index of a bundle that does not start from `data/index.json` (see
/// `Bundle::needs_index`): the site's name, as the page's header shows it, and the build; no
/// scenario and no evaluator.
pub fn page_index(build: String) -> SiteIndex {
    let title = document()
        .query_selector(".site-header .brand-name")
        .ok()
        .flatten()
        .and_then(|el| el.text_content())
        .unwrap_or_default();
    SiteIndex {
        title,
        tagline: String::new(),
        build,
        scenarios: Vec::new(),
        evaluators: Vec::new(),
    }
}

/// Loads the site index.
pub async fn load_index(build: &str) -> Result<SiteIndex, String> {
    fetch_json(&data_url(INDEX_PATH, build)).await
}

/// Fetches and parses a JSON file of the site, with a message a reader can act on when it fails.
pub async fn fetch_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, String> {
    let text = fetch_text(url).await?;
    serde_json::from_str(&text).map_err(|_| unreadable(url))
}

fn unreadable(url: &str) -> String {
    format!("{url} is not in the format this version of the site expects. Reload the page.")
}

/// Fetches a text file of the site, with a message a reader can act on when it fails.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    // Plain `fetch`, with the URL exactly as given: the page preloads these files under that URL
    // and the offline worker caches them under it (gloo-net appends a `&` to any query string,
    // and a preload that does not match to the byte is fetched twice).
    use wasm_bindgen::JsCast;
    let failed = || "The network request failed. Check your connection and try again.".to_string();
    let window = web_sys::window().ok_or_else(failed)?;
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
            .await
            .map_err(|_| failed())?
            .dyn_into()
            .map_err(|_| failed())?;
    if !response.ok() {
        return Err(format!("The site answered {} for {url}. Reload the page; if it persists, the site may be mid-deploy.", response.status()));
    }
    wasm_bindgen_futures::JsFuture::from(response.text().map_err(|_| unreadable(url))?)
        .await
        .map_err(|_| failed())?
        .as_string()
        .ok_or_else(|| unreadable(url))
}
