//! Stable sorting that compiles the sorting algorithm once. `slice::sort*` is generic over the
//! element and the comparison, so each call site in a bundle carries its own copy of the standard
//! library's stable sort (about 2 KB of wasm each; a dozen of them in the progress bundle). These
//! sort positions through one comparison behind a `dyn`, then move the elements into place: the
//! same order as `slice::sort_by`, ties kept as they were.

use std::cmp::Ordering;

/// Sorts stably by `cmp`, exactly as `slice::sort_by` does.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// Sorts stably by `key`, exactly as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)))
}

/// Sorts stably, exactly as `slice::sort` does.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp)
}

/// The one copy of the algorithm.
#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_as_the_standard_library_does_ties_included() {
        // A small deterministic generator: many lengths, many ties.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in 0..80 {
            let items: Vec<(u64, usize)> = (0..len).map(|i| (next() % 7, i)).collect();
            let mut ours = items.clone();
            let mut std = items.clone();
            sort_by_key(&mut ours, |p| p.0);
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "by key, length {len}");
            let mut ours = items.clone();
            let mut std = items;
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0).reverse());
            std.sort_by(|a, b| a.0.cmp(&b.0).reverse());
            assert_eq!(ours, std, "by comparison, length {len}");
        }
        let mut words = vec!["b".to_string(), "a".into(), "c".into(), "a".into()];
        sort(&mut words);
        assert_eq!(words, ["a", "a", "b", "c"]);
    }
}
