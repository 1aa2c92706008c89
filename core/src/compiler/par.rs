//! Runs independent per-scenario work on every core the machine offers (native builds only: the
//! compiler never runs in the wasm). Plain scoped threads pulling the next index from a shared
//! counter, so no dependency is needed, and results keep their input order whatever thread
//! produced them: the output is the same as a sequential loop's.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// `items.iter().map(f).collect()`, spread over the available cores.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(r);
                }
            });
        }
    });
    // A slot is empty only if `f` panicked, and then the scope has already re-raised the panic.
    slots
        .into_iter()
        .filter_map(|s| s.into_inner().ok().flatten())
        .collect()
}

/// Like [`map`] for work that can fail: every item is tried, and the first error in input order
/// is returned.
pub fn try_for_each<T: Sync, E: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<(), E> + Sync,
) -> Result<(), E> {
    map(items, f).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_input_order() {
        let items: Vec<u32> = (0..1000).collect();
        let out = map(&items, |n| {
            // Uneven work, so threads finish out of order.
            if n % 7 == 0 {
                std::thread::yield_now();
            }
            n * 2
        });
        assert_eq!(out, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        assert!(map(&[] as &[u32], |n| *n).is_empty());
    }

    #[test]
    fn reports_the_first_error_in_order() {
        let items: Vec<u32> = (0..100).collect();
        let r = try_for_each(&items, |n| {
            if *n == 40 || *n == 70 {
                Err(*n)
            } else {
                Ok(())
            }
        });
        assert_eq!(r, Err(40));
        assert_eq!(try_for_each(&items, |_| Ok::<(), u32>(())), Ok(()));
    }
}
