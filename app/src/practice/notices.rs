//! What the learner must know about their stored data: storage that does not persist, a full
//! store (with the way out: export), entries set aside because they could not be read.

use super::workspace::{Status, Workspace};
use crate::site::Store;
use crate::yourdata::export_everything;
use leap_core::storage::kv::StoreError;
use leap_core::storage::repo::Notice;
use leptos::prelude::*;

/// The notices of a scenario page.
#[component]
pub fn StorageNotices() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let store = expect_context::<Store>();
    let exported = RwSignal::new(None::<String>);
    let export = move |_| {
        let (pack, (id, _)) = (ws.pack.get_value(), ws.scenario.get_value());
        let draft = ws.screen_draft();
        let site = store.index.with_value(|i| i.title.clone());
        let result = ws
            .repo
            .with_value(|r| export_everything(r, &site, Some((&pack, &id, &draft))));
        exported.set(Some(match result {
            Ok(name) => format!("Exported to {name}, including the text on screen."),
            Err(e) => e,
        }));
    };
    view! {
        {(!ws.persistent).then(|| view! {
            <div class="notice warning" role="alert">
                <p>"This browser is not letting the site store data (private browsing, or storage turned off). You can write and commit as usual, but everything is lost when this tab closes. Export before you leave."</p>
            </div>
        })}
        {move || matches!(ws.status.get(), Status::Failed(StoreError::Full)).then(|| view! {
            <div class="notice error" role="alert">
                <p>"Storage is full: your latest text is not saved in this browser. It is still here on screen. Export now to keep it, then delete what you no longer need from the progress page."</p>
                <button type="button" class="primary" on:click=export>"Export"</button>
            </div>
        })}
        {move || exported.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        {move || {
            let notices = ws.notices.get();
            (!notices.is_empty()).then(|| view! { <SetAside notices=notices/> })
        }}
    }
}

/// Entries that could not be read.
#[component]
pub fn SetAside(notices: Vec<Notice>) -> impl IntoView {
    view! {
        <div class="notice warning" role="alert">
            <p>"Some saved data could not be read by this version of the site. It was not deleted: it is kept aside and included in every export."</p>
            <ul>
                {notices.into_iter().map(|n| match n {
                    Notice::SetAside { key, reason } => view! { <li><code>{key}</code>{format!(" — {reason}; set aside.")}</li> },
                    Notice::Unreadable { key, reason } => view! { <li><code>{key}</code>{format!(" — {reason}; left in place (storage is full).")}</li> },
                }).collect_view()}
            </ul>
        </div>
    }
}
