//! The evaluator's settings: provider, model, base URL, key, whether the key is remembered, how
//! long to wait, and a connection test. Every change is saved at once; the key only for this
//! browser session unless the learner ticks "Remember on this device".

use crate::evaluator::prefs::{page_is_https, site_origin, Stores};
use leap_core::baked::EvaluatorDefaults;
use leap_core::grading::config::{self, Preferences, Profile, TIMEOUT_RANGE};
use leap_core::grading::errors::local_setup;
use leap_core::grading::provider::{ProviderKind, Readiness, Settings};
use leap_core::markup::suggestion_from_attributes;
use leap_core::security::origin_sharing;
use leptos::prelude::*;

/// Starts the settings bundle: the page is the only one it serves, so it takes over the
/// pre-rendered placeholder in place, with no router and no site index. The header, footer and
/// title are already the static page's; the pack's suggested evaluator is read from the
/// placeholder's attributes.
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        // The browser's storage, opened with the wasm's start: a page's first use of it loads
        // it, a large share of the render's task otherwise.
        let stores = Stores::open();
        // The wasm's instantiation and start end their task here: the first render, the page's
        // longest piece of work, gets a task of its own, so neither blocks the page for long
        // (Lighthouse's total blocking time counts each task's time beyond 50 ms).
        crate::boot::next_task().await;
        crate::boot::mount_in_place("#main > article.settings", |placeholder| {
            let suggestion = suggestion_from_attributes(|name| placeholder.get_attribute(name));
            move || view! { <SettingsPage suggestion=suggestion stores=stores/> }
        });
    });
}

/// The settings page; `suggestion` is the evaluator the site's first pack suggests, `stores` the
/// browser's storage it reads the learner's settings from.
#[component]
pub fn SettingsPage(suggestion: Option<EvaluatorDefaults>, stores: Stores) -> impl IntoView {
    let persistent = stores.local.is_persistent();
    let initial = stores.preferences_or(suggestion.as_ref());
    let initial_key = initial.settings(&stores.local, &stores.session).key;
    let prefs = RwSignal::new(initial);
    let key = RwSignal::new(initial_key);
    let saved = RwSignal::new(None::<Result<String, String>>);
    let probe = RwSignal::new(None::<(bool, String)>);
    let probing = RwSignal::new(false);
    let listed = RwSignal::new(Vec::<String>::new());
    // The site root (the pinned `<base>`): other sites on its origin can read this site's storage.
    let shared_origin =
        origin_sharing(&document().base_uri().ok().flatten().unwrap_or_default()).notice();
    let remember_described_by = if shared_origin.is_some() {
        "remember-risk remember-hint"
    } else {
        "remember-hint"
    };

    let current = move || Settings {
        key: key.get(),
        ..prefs.with(Preferences::chosen)
    };
    let save = move || {
        let p = prefs.get_untracked();
        let result = Stores::open().save(&p, &key.get_untracked());
        saved.set(Some(match result {
            Ok(()) if p.provider.needs_key() || !key.get_untracked().is_empty() => {
                Ok(if p.remember_key {
                    "Saved. The key is remembered on this device until you remove it.".into()
                } else {
                    "Saved. The key is kept until you close the browser.".into()
                })
            }
            Ok(()) => Ok("Saved.".into()),
            Err(e) => Err(format!("Could not save the settings: {e}.")),
        }));
        probe.set(None);
    };
    // Reads the key kept for the current provider's address (keys are kept per address).
    let reload_key = move || {
        let stores = Stores::open();
        let p = prefs.get_untracked();
        key.set(p.settings(&stores.local, &stores.session).key);
        listed.set(Vec::new());
    };
    let set_profile = move |change: &dyn Fn(&mut Profile)| {
        prefs.update(|p| {
            let mut profile = p.profile(p.provider);
            change(&mut profile);
            p.profiles.insert(p.provider, profile);
        });
    };

    let on_provider = move |e: leptos::ev::Event| {
        if let Some(kind) = ProviderKind::from_slug(&event_target_value(&e)) {
            prefs.update(|p| p.provider = kind);
            reload_key();
            save();
        }
    };
    let on_model = move |e: leptos::ev::Event| {
        let v = event_target_value(&e);
        set_profile(&|p| p.model = v.clone());
        save();
    };
    // Saved when the field is left, not per keystroke: every half-typed address is another origin.
    let on_base = move |e: leptos::ev::Event| {
        let v = event_target_value(&e);
        let v = if v.trim().is_empty() {
            prefs
                .get_untracked()
                .provider
                .default_base_url()
                .to_string()
        } else {
            v.trim().to_string()
        };
        let before = current().origin();
        set_profile(&|p| p.base_url = v.clone());
        if current().origin() != before {
            reload_key();
        }
        save();
    };
    let on_key = move |e: leptos::ev::Event| {
        key.set(event_target_value(&e));
        save();
    };
    let on_remember = move |e: leptos::ev::Event| {
        let remember = event_target_checked(&e);
        prefs.update(|p| p.remember_key = remember);
        let mut stores = Stores::open();
        match config::move_keys(&mut stores.local, &mut stores.session, remember) {
            Ok(()) => save(),
            Err(e) => saved.set(Some(Err(format!("Could not move the key: {e}.")))),
        }
    };
    let on_timeout = move |e: leptos::ev::Event| {
        if let Ok(secs) = event_target_value(&e).trim().parse::<u32>() {
            prefs.update(|p| p.set_timeout(secs));
            save();
        }
    };
    let forget_keys = move |_| {
        let mut stores = Stores::open();
        let result = config::forget_all(&mut stores.local, &mut stores.session, true);
        key.set(String::new());
        saved.set(Some(
            result
                .map(|()| "Every key this site kept in this browser is deleted.".to_string())
                .map_err(|e| format!("Could not delete the keys: {e}.")),
        ));
    };
    let use_suggestion = {
        let suggestion = suggestion.clone();
        move |_| {
            prefs.set(Preferences::initial(suggestion.as_ref()));
            reload_key();
            save();
        }
    };
    let test = move |_| {
        let settings = current();
        // Asked to test settings that are not complete: now it is an error, said once, here.
        if let Err(problem) = settings.check(page_is_https()) {
            probe.set(Some((false, problem)));
            return;
        }
        probing.set(true);
        probe.set(None);
        leptos::task::spawn_local(async move {
            let tested = crate::evaluator::probe::test(&settings).await;
            if probing.is_disposed() {
                return;
            }
            probing.set(false);
            if tested.ok {
                listed.set(tested.models);
            }
            probe.set(Some((tested.ok, tested.message)));
        });
    };

    let readiness = move || current().readiness(page_is_https());
    let provider = move || prefs.with(|p| p.provider);
    let origin = move || {
        current()
            .origin()
            .unwrap_or_else(|| "the address above".into())
    };
    view! {
        <article class="page settings">
            <h1>"Evaluator settings"</h1>
            <p class="lead">{leap_core::site_text::SETTINGS_LEAD}</p>
            {suggestion.clone().map(|s| view! {
                <div class="notice">
                    <p>{format!("The \u{201c}{}\u{201d} pack suggests {}{}{}.", s.pack_title, s.provider.name(), s.model.as_ref().map(|m| format!(", model {m}")).unwrap_or_default(), s.base_url.as_ref().map(|b| format!(", at {b}")).unwrap_or_default())}</p>
                    <button type="button" class="secondary" on:click=use_suggestion.clone()>"Use the pack's suggestion"</button>
                </div>
            })}
            {(!persistent).then(|| view! { <p class="notice warning">"This browser does not let the site store data, so these settings last only while this page is open."</p> })}
            <form class="settings-form" on:submit=|e| e.prevent_default()>
                <div class="field">
                    <label for="provider">"Provider"</label>
                    <select id="provider" on:change=on_provider>
                        {ProviderKind::ALL.into_iter().map(|p| view! {
                            <option value=p.slug() selected=move || provider() == p>{p.label()}</option>
                        }).collect_view()}
                    </select>
                    <p class="hint">{move || match provider() {
                        ProviderKind::Anthropic => "Claude, with a key from console.anthropic.com. The key is sent with Anthropic's direct-browser-access header; your organization must allow it.",
                        ProviderKind::OpenAi => "GPT models, with a key from platform.openai.com.",
                        ProviderKind::OpenRouter => "Models of many providers through one key from openrouter.ai. Only providers that honour the requested output structure are used.",
                        ProviderKind::Ollama => "A model running on your machine with Ollama. No key, no cost; your answer never leaves your machine.",
                        ProviderKind::OpenAiCompatible => "Any server that speaks the OpenAI chat API: LM Studio, llama.cpp's llama-server, vLLM, or your company's gateway.",
                    }}</p>
                </div>
                <div class="field">
                    <label for="model">"Model"</label>
                    <input id="model" type="text" list="model-options" autocomplete="off" spellcheck="false"
                        prop:value=move || current().model on:input=on_model/>
                    <datalist id="model-options">
                        {move || {
                            let mut all: Vec<String> = provider().suggested_models().iter().map(|m| m.to_string()).collect();
                            for m in listed.get() {
                                if !all.contains(&m) {
                                    all.push(m);
                                }
                            }
                            all.into_iter().map(|m| view! { <option value=m></option> }).collect_view()
                        }}
                    </datalist>
                    <p class="hint">{move || format!("Any model name the provider accepts. Suggested: {}.", provider().default_model())}</p>
                </div>
                <div class="field">
                    <label for="base-url">"Base URL"</label>
                    <input id="base-url" type="url" autocomplete="off" spellcheck="false"
                        prop:value=move || current().base_url on:change=on_base/>
                    <p class="hint">{move || format!("Default: {}. Change it for a gateway or a server on another port.", provider().default_base_url())}</p>
                </div>
                <div class="field">
                    <label for="api-key">"API key"</label>
                    <input id="api-key" type="password" autocomplete="off" spellcheck="false"
                        prop:value=move || key.get() on:input=on_key/>
                    <p class="hint">{move || if provider().needs_key() {
                        format!("Sent only to {} with each request, never anywhere else; never written to exports, the address bar or error messages. Keys are kept per address: changing the base URL asks for the key again.", origin())
                    } else {
                        format!("Optional: only if your server requires one. Sent only to {}.", origin())
                    }}</p>
                </div>
                // Said before the box, so it is read before the choice is made.
                {shared_origin.map(|n| view! { <p class="notice warning" id="remember-risk">{n}</p> })}
                <label class="toggle">
                    <input type="checkbox" aria-describedby=remember_described_by prop:checked=move || prefs.with(|p| p.remember_key) on:change=on_remember/>
                    " Remember on this device"
                </label>
                <p class="hint" id="remember-hint">"Unticked, the key is forgotten when you close the browser. Ticked, it stays in this browser's storage until you remove it, readable by anyone who uses this browser profile and by browser extensions allowed to read this site."</p>
                <div class="field">
                    <label for="timeout">"Stop waiting after (seconds without a reply)"</label>
                    <input id="timeout" type="number" min=*TIMEOUT_RANGE.start() max=*TIMEOUT_RANGE.end() inputmode="numeric"
                        prop:value=move || prefs.with(|p| p.timeout_secs.to_string()) on:change=on_timeout/>
                    <p class="hint">"A model on a laptop can take a minute before its first word; raise this if gradings time out."</p>
                </div>
            </form>
            // Not set up yet is a to-do, not an error: red only once something entered cannot work.
            {move || match readiness() {
                Readiness::Ready => None,
                // Once "Test connection" has said it as an error, a calm copy would only repeat it.
                Readiness::NotSetUp(_) if probe.with(Option::is_some) => None,
                Readiness::NotSetUp(todo) => Some(view! { <p class="notice" role="status">{todo}</p> }.into_any()),
                Readiness::Wrong(p) => Some(view! { <p class="notice error" role="alert">{p}</p> }.into_any()),
            }}
            {move || local_setup(&current(), &site_origin()).map(|s| view! { <p class="notice">{s}</p> })}
            <div class="actions">
                <button type="button" class="primary" on:click=test prop:disabled=move || probing.get()>"Test connection"</button>
                <button type="button" class="secondary" on:click=forget_keys>"Forget saved keys"</button>
            </div>
            {move || probing.get().then(|| view! { <p class="loading" role="status">"Testing the connection…"</p> })}
            {move || probe.get().map(|(ok, message)| view! {
                <p class=if ok { "notice" } else { "notice error" } role=if ok { "status" } else { "alert" }>{message}</p>
            })}
            {move || saved.get().map(|r| match r {
                Ok(m) => view! { <p class="save-state" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="notice error" role="alert">{m}</p> }.into_any(),
            })}
        </article>
    }
}
