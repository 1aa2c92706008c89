//! Attempts in IndexedDB, served synchronously. IndexedDB only answers asynchronously and the
//! storage layer reads synchronously, so each page loads the learner's attempts once, before the
//! app takes over, into a copy in memory; reads are answered from the copy, writes change the copy
//! at once and reach IndexedDB in the order they were made, a batch per transaction. Other tabs
//! hear of each committed write on a `BroadcastChannel` and see it as a `storage` event, as they
//! did when attempts lived in `localStorage`.
//!
//! Every outcome stays defined: a write that would not fit the origin's quota is refused at once
//! with [`StoreError::Full`] (the copy's limit comes from `navigator.storage.estimate()`); a write
//! IndexedDB refuses later is kept in `localStorage` instead (the next page load moves it back)
//! and, if that fails too, the next write reports the failure. A page that is hidden or closed
//! with writes not yet committed keeps them in `localStorage` too, listed as newer than what
//! IndexedDB has (core's `relocate::SPILLED_KEY`), since a closing page's transactions may be
//! aborted.

use super::{classify, Backend};
use idb::{
    Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode, TransactionResult,
};
use leap_core::storage::kv::{KeyValue, MemoryStore, StoreError};
use leap_core::storage::relocate::{self, SPILLED_KEY};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const DB: &str = "leap";
const STORE: &str = "entries";
const CHANNEL: &str = "leap-storage";

/// A write waiting for IndexedDB: a value, or `None` to remove the key.
type Op = (String, Option<String>);

/// IndexedDB and this page's copy of it.
pub struct Mirror {
    db: Database,
    copy: RefCell<MemoryStore>,
    queue: RefCell<Vec<Op>>,
    /// The batch being committed.
    inflight: RefCell<Vec<Op>>,
    /// Keys this page kept in `localStorage` when it was hidden with writes pending.
    spilled: RefCell<std::collections::BTreeSet<String>>,
    writing: Cell<bool>,
    /// The page handed its data over: the channel closes once the queue is written.
    closing: Cell<bool>,
    failed: RefCell<Option<StoreError>>,
    channel: Option<web_sys::BroadcastChannel>,
}

thread_local! {
    static OPEN: RefCell<Option<Rc<Mirror>>> = const { RefCell::new(None) };
}

/// This page's IndexedDB, if [`open`] managed to open it.
pub fn current() -> Option<Rc<Mirror>> {
    OPEN.with(|o| o.borrow().clone())
}

/// Opens IndexedDB, loads the copy, moves attempts still in `localStorage` over, and keeps it for
/// the page. Leaves nothing open when IndexedDB is refused (private modes, disabled storage): the
/// attempts then stay in `localStorage`, with the outcomes they always had.
pub async fn open() {
    if current().is_some() {
        return;
    }
    match load().await {
        Ok(mirror) => {
            let mirror = Rc::new(mirror);
            listen(&mirror);
            OPEN.with(|o| *o.borrow_mut() = Some(mirror.clone()));
            move_from_local(&mirror).await;
        }
        // Not formatted: idb's error messages would add every one of them to the bundle.
        Err(_) => web_sys::console::warn_1(
            &"IndexedDB is not available: attempts stay in localStorage".into(),
        ),
    }
}

/// Waits until every write this page made has reached IndexedDB (or, refused there, was kept in
/// `localStorage`): another bundle about to read the learner's data then finds all of it.
pub async fn settled() {
    while current().is_some_and(|m| m.writing.get()) {
        crate::boot::next_task().await;
    }
}

/// Stops listening to other tabs and forgets this page's copy: the page's data now belongs to
/// another bundle's app, which opened its own (see `write`). Writes still on their way are
/// committed and announced first (the other app hears of them as of another tab's).
pub fn close() {
    if let Some(mirror) = OPEN.with(|o| o.borrow_mut().take()) {
        if let Some(channel) = &mirror.channel {
            channel.set_onmessage(None);
        }
        if mirror.writing.get() {
            mirror.closing.set(true);
        } else {
            mirror.close_channel();
        }
    }
}

async fn load() -> Result<Mirror, idb::Error> {
    let mut request = Factory::new()?.open(DB, Some(1))?;
    request.on_upgrade_needed(|event| {
        if let Ok(db) = event.database() {
            // Keys are ours (the same as in localStorage), values strings: out-of-line keys.
            let _ = db.create_object_store(STORE, ObjectStoreParams::new());
        }
    });
    let db = request.await?;
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly)?;
    let store = tx.object_store(STORE)?;
    // Both lists come in key order, so they pair up.
    let keys = store.get_all_keys(None, None)?.await?;
    let values = store.get_all(None, None)?.await?;
    let mut copy = MemoryStore::new();
    let mut used = 0;
    for (k, v) in keys.iter().zip(values.iter()) {
        if let (Some(k), Some(v)) = (k.as_string(), v.as_string()) {
            used += k.chars().count() + v.chars().count();
            let _ = copy.set(&k, &v);
        }
    }
    copy.limit = budget(used).await;
    Ok(Mirror {
        db,
        copy: RefCell::new(copy),
        queue: RefCell::new(Vec::new()),
        inflight: RefCell::new(Vec::new()),
        spilled: RefCell::new(Default::default()),
        writing: Cell::new(false),
        closing: Cell::new(false),
        failed: RefCell::new(None),
        channel: web_sys::BroadcastChannel::new(CHANNEL).ok(),
    })
}

/// How many characters the copy may hold: what it holds plus what the origin's quota leaves free,
/// counting two bytes a character (IndexedDB keeps strings as UTF-16 at worst). `None` when the
/// browser does not say, and IndexedDB itself then says when it is full.
async fn budget(used_chars: usize) -> Option<usize> {
    let storage = web_sys::window()?.navigator().storage();
    let estimate = wasm_bindgen_futures::JsFuture::from(storage.estimate().ok()?)
        .await
        .ok()?;
    let get = |name: &str| {
        js_sys::Reflect::get(&estimate, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
    };
    let free = (get("quota")? - get("usage").unwrap_or(0.0)).max(0.0);
    Some(used_chars.saturating_add((free / 2.0) as usize))
}

/// Moves attempts that are still in `localStorage` (schema 1 to 3 wrote them there; an older
/// version of the site in another tab may still) into IndexedDB, by core's plan: written in one
/// transaction, removed from `localStorage` only once it committed.
async fn move_from_local(mirror: &Rc<Mirror>) {
    let mut local = Backend::open();
    let plan = {
        let copy = mirror.copy.borrow();
        match relocate::plan(&local, &*copy) {
            Ok(p) if !p.is_empty() => p,
            _ => return,
        }
    };
    if !plan.writes.is_empty() {
        let ops: Vec<Op> = plan
            .writes
            .iter()
            .map(|(k, v)| (k.clone(), Some(v.clone())))
            .collect();
        if let Err(e) = commit(&mirror.db, &ops).await {
            // Everything stays in localStorage, where it is still read; the next load tries again.
            web_sys::console::warn_1(&format!("moving attempts to IndexedDB: {e}").into());
            return;
        }
        {
            let mut copy = mirror.copy.borrow_mut();
            let limit = copy.limit.take();
            for (k, v) in &plan.writes {
                let _ = copy.set(k, v);
            }
            copy.limit = limit;
        }
        // Tabs already open hear of the moved attempts like of any other write.
        mirror.announce(&ops);
    }
    for key in &plan.clear {
        let _ = local.remove(key);
    }
}

/// Writes a batch in one transaction and waits until it committed.
async fn commit(db: &Database, ops: &[Op]) -> Result<(), StoreError> {
    let idb = |e: idb::Error| match e {
        idb::Error::DomException(d) => classify(d.into()),
        _ => StoreError::Other("IndexedDB refused the write".into()),
    };
    let tx = db
        .transaction(&[STORE], TransactionMode::ReadWrite)
        .map_err(idb)?;
    let store = tx.object_store(STORE).map_err(idb)?;
    for (key, value) in ops {
        let key = JsValue::from_str(key);
        match value {
            Some(v) => drop(store.put(&JsValue::from_str(v), Some(&key)).map_err(idb)?),
            None => drop(store.delete(key).map_err(idb)?),
        }
    }
    match tx.await.map_err(idb)? {
        TransactionResult::Committed => Ok(()),
        // A transaction over quota aborts; its error says why.
        TransactionResult::Aborted => Err(store
            .transaction()
            .error()
            .map_or(StoreError::Other("the write was aborted".into()), |e| {
                classify(e.into())
            })),
    }
}

impl Mirror {
    fn enqueue(self: &Rc<Self>, op: Op) {
        self.queue.borrow_mut().push(op);
        if !self.writing.replace(true) {
            let me = self.clone();
            wasm_bindgen_futures::spawn_local(async move { me.drain().await });
        }
    }

    /// Writes what is queued, batch after batch, in order; one writer at a time.
    async fn drain(self: Rc<Self>) {
        loop {
            let batch = std::mem::take(&mut *self.queue.borrow_mut());
            if batch.is_empty() {
                break;
            }
            self.inflight.replace(batch.clone());
            let result = commit(&self.db, &batch).await;
            self.inflight.borrow_mut().clear();
            match result {
                Ok(()) => {
                    self.unspill(&batch);
                    self.announce(&batch);
                }
                Err(e) => self.rescue(&batch, e),
            }
        }
        self.writing.set(false);
        if self.closing.get() {
            self.close_channel();
        }
    }

    fn close_channel(&self) {
        if let Some(channel) = &self.channel {
            channel.close();
        }
    }

    /// Keeps a batch IndexedDB refused in `localStorage` (read there and moved back on the next
    /// page load); what does not fit there either is only in this page, and the learner hears of
    /// it at the next write.
    fn rescue(&self, batch: &[Op], e: StoreError) {
        let mut local = Backend::open();
        let kept = batch.iter().all(|(k, v)| {
            match v {
                Some(v) => local.set(k, v),
                None => local.remove(k),
            }
            .is_ok()
        });
        if !kept {
            *self.failed.borrow_mut() = Some(e);
        }
    }

    /// The page is being hidden or closed: what IndexedDB has not committed yet goes to
    /// `localStorage` as well, listed as newer, so the next page load has it either way.
    fn spill(&self) {
        let pending: Vec<Op> = self
            .inflight
            .borrow()
            .iter()
            .chain(self.queue.borrow().iter())
            .cloned()
            .collect();
        if pending.is_empty() {
            return;
        }
        let mut local = Backend::open();
        let mut listed = relocate::spilled(&local);
        for (key, value) in &pending {
            if let Some(v) = value {
                if local.set(key, v).is_ok() {
                    listed.insert(key.clone());
                    self.spilled.borrow_mut().insert(key.clone());
                }
            }
        }
        if let Ok(raw) = serde_json::to_string(&listed) {
            let _ = local.set(SPILLED_KEY, &raw);
        }
    }

    /// Once IndexedDB committed what this page had kept in `localStorage` (the page was only
    /// hidden, not closed), the local copies would be older than later writes: drop them.
    fn unspill(&self, batch: &[Op]) {
        let mut mine = self.spilled.borrow_mut();
        if mine.is_empty() {
            return;
        }
        let mut local = Backend::open();
        let mut listed = relocate::spilled(&local);
        for (key, _) in batch {
            if mine.remove(key) {
                let _ = local.remove(key);
                listed.remove(key);
            }
        }
        let _ = if listed.is_empty() {
            local.remove(SPILLED_KEY)
        } else {
            serde_json::to_string(&listed).map_or(Ok(()), |raw| local.set(SPILLED_KEY, &raw))
        };
    }

    /// Tells other tabs what changed, values included.
    fn announce(&self, batch: &[Op]) {
        let Some(channel) = &self.channel else { return };
        for (key, value) in batch {
            let msg = js_sys::Array::of2(
                &JsValue::from_str(key),
                &value.as_deref().map_or(JsValue::NULL, JsValue::from_str),
            );
            let _ = channel.post_message(&msg);
        }
    }

    /// Takes another tab's change into the copy (beyond the limit: it is already stored).
    fn apply(&self, key: &str, value: Option<&str>) {
        let mut copy = self.copy.borrow_mut();
        match value {
            Some(v) => {
                let limit = copy.limit.take();
                let _ = copy.set(key, v);
                copy.limit = limit;
            }
            None => {
                let _ = copy.remove(key);
            }
        }
    }
}

/// Another tab's committed writes: into the copy, then announced on this page as the `storage`
/// event `localStorage` would have fired, so every view that listened for attempts still hears.
fn listen(mirror: &Rc<Mirror>) {
    let me = mirror.clone();
    let on_hide = Closure::<dyn Fn()>::new(move || me.spill());
    if let Some(w) = web_sys::window() {
        let hook = on_hide.as_ref().unchecked_ref();
        let _ = w.add_event_listener_with_callback("pagehide", hook);
        if let Some(d) = w.document() {
            let _ = d.add_event_listener_with_callback("visibilitychange", hook);
        }
    }
    on_hide.forget();
    let Some(channel) = &mirror.channel else {
        return;
    };
    let me = mirror.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            let Some(pair) = data.dyn_ref::<js_sys::Array>() else {
                return;
            };
            let Some(key) = pair.get(0).as_string() else {
                return;
            };
            let value = pair.get(1).as_string();
            me.apply(&key, value.as_deref());
            let init = web_sys::StorageEventInit::new();
            init.set_key(Some(&key));
            init.set_new_value(value.as_deref());
            if let Ok(event) = web_sys::StorageEvent::new_with_event_init_dict("storage", &init) {
                let _ = web_sys::window().map(|w| w.dispatch_event(&event));
            }
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

/// The attempts store of this page: IndexedDB through its copy.
#[derive(Clone)]
pub struct Bulk(pub Rc<Mirror>);

impl KeyValue for Bulk {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.0.copy.borrow().get(key)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if let Some(e) = self.0.failed.borrow_mut().take() {
            return Err(e);
        }
        self.0.copy.borrow_mut().set(key, value)?;
        self.0.enqueue((key.to_string(), Some(value.to_string())));
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.0.copy.borrow_mut().remove(key)?;
        self.0.enqueue((key.to_string(), None));
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.0.copy.borrow().keys()
    }
}
