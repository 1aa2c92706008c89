//! Moving attempts written to `localStorage` (by schema 1 to 3, or by an older version of the site
//! still open in another tab) into the bulk store, safely:
//!
//! 1. [`plan`] decides what to write: each attempt the bulk store lacks, upgraded through the
//!    migration chain (an entry no version can read is moved as it is, so reading it later sets it
//!    aside and tells the learner, as before).
//! 2. The caller writes [`Plan::writes`] to the bulk store in one transaction.
//! 3. Only once that transaction committed does it remove [`Plan::clear`] from `localStorage`.
//!
//! A crash between 2 and 3 leaves both copies; the next run finds the bulk copies and only clears.
//! Running it again with nothing to move plans nothing, so it runs on every page load.
//!
//! A page that closes before IndexedDB committed its last writes keeps them in `localStorage`
//! and lists their keys under [`SPILLED_KEY`]: those local copies are the newer ones and replace
//! the bulk copies.

use super::keys::ASIDE;
use super::kv::{KeyValue, StoreError};
use super::migrate::{decode, upgrade, Decoded};
use super::schema::Attempt;
use super::split::{place, Place};
use std::collections::BTreeSet;

/// The `localStorage` key listing (as a JSON array) the attempts a page kept there because it
/// closed before IndexedDB had them. Parses as none of the learner's entries.
pub const SPILLED_KEY: &str = "leap:spilled";

/// The keys listed under [`SPILLED_KEY`]; none when absent or unreadable.
pub fn spilled(local: &impl KeyValue) -> BTreeSet<String> {
    local
        .get(SPILLED_KEY)
        .ok()
        .flatten()
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default()
}

/// The current-schema form of a stored attempt: upgraded if it is older, as it is otherwise.
/// Upgraded as text by the migrations, so moving needs no attempt encoder (see
/// [`super::migrate::upgrade`]).
fn upgraded(raw: String) -> (String, bool) {
    match upgrade::<Attempt>(&raw) {
        Decoded::Migrated(json) => (json, true),
        Decoded::Current(_) | Decoded::Unreadable(_) => (raw, false),
    }
}

/// What moving takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Entries to write to the bulk store, all in one transaction.
    pub writes: Vec<(String, String)>,
    /// `localStorage` keys to remove once those writes committed.
    pub clear: Vec<String>,
    /// How many of the writes were upgraded from an older schema.
    pub upgraded: usize,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.clear.is_empty()
    }
}

/// What to move from `local` into `bulk`.
///
/// When both hold an entry (a crash after the move, or an older version of the site in another
/// tab that rewrote the attempt), the bulk copy stays and a different local copy is set aside
/// beside it rather than dropped: losing the learner's data is never the way out.
pub fn plan(local: &impl KeyValue, bulk: &impl KeyValue) -> Result<Plan, StoreError> {
    let mut out = Plan::default();
    let newer = spilled(local);
    let mut local_keys = local.keys()?;
    crate::order::sort(&mut local_keys);
    for key in local_keys {
        if key == SPILLED_KEY {
            out.clear.push(key);
            continue;
        }
        if place(&key) != Place::Bulk {
            continue;
        }
        let Some(raw) = local.get(&key)? else {
            continue;
        };
        match bulk.get(&key)? {
            // The same attempt, perhaps in an older schema: the crash case.
            Some(existing) if same(&existing, &raw) => {}
            Some(_) if !newer.contains(&key) => {
                let mut aside = format!("{ASIDE}{key}");
                let mut n = 1;
                while bulk.get(&aside)?.is_some_and(|v| v != raw) {
                    n += 1;
                    aside = format!("{ASIDE}{key}#{n}");
                }
                // Already set aside by an earlier run that crashed before clearing.
                if bulk.get(&aside)?.is_none() {
                    out.writes.push((aside, raw));
                }
            }
            _ if key.starts_with(ASIDE) => out.writes.push((key.clone(), raw)),
            _ => {
                let (value, was_old) = upgraded(raw);
                out.writes.push((key.clone(), value));
                out.upgraded += usize::from(was_old);
            }
        }
        out.clear.push(key);
    }
    Ok(out)
}

/// Whether two stored attempts are the same once read.
fn same(a: &str, b: &str) -> bool {
    let read = |raw| match decode::<Attempt>(raw) {
        Decoded::Current(t) | Decoded::Migrated(t) => Some(t),
        Decoded::Unreadable(_) => None,
    };
    a == b || read(a).is_some_and(|x| read(b).is_some_and(|y| x == y))
}

/// Carries out a plan on stores that write synchronously: everything into `bulk` first; `local`
/// is cleared only if every write succeeded. (The browser does the same with one IndexedDB
/// transaction.)
pub fn apply(
    plan: &Plan,
    local: &mut impl KeyValue,
    bulk: &mut impl KeyValue,
) -> Result<(), StoreError> {
    for (i, (key, value)) in plan.writes.iter().enumerate() {
        if let Err(e) = bulk.set(key, value) {
            // All or nothing, like the transaction: undo what this plan wrote.
            for (key, _) in &plan.writes[..i] {
                let _ = bulk.remove(key);
            }
            return Err(e);
        }
    }
    for key in &plan.clear {
        local.remove(key)?;
    }
    Ok(())
}
