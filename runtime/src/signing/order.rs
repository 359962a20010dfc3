//! The byte order of an object's keys, remembered between calls: a request tree's keys come in
//! the same order on every call (generated code writes them in spec order), so the permutation
//! that sorted them last time is tried first and checked in one pass (n - 1 comparisons) before
//! anything is sorted. A few permutations are kept, picked by a cheap fingerprint of the shape
//! (key count and the first keys' lengths), so the operations of one client and the nested
//! objects of one body mostly keep their own. The check alone decides: a permutation left by
//! another shape (or torn by another thread) fails it and the keys are sorted as before.

use std::sync::atomic::{AtomicU64, Ordering};

use smallvec::SmallVec;

use super::text_buf::key_order;

/// Keys whose positions one cached permutation holds (four bits each in one `u64`).
const CACHED_KEYS: usize = 16;

/// Positions of an object's entries, in the order they are written.
pub(crate) type Positions = SmallVec<[u32; 24]>;

/// Permutations kept per cache (a power of two).
const SLOTS: usize = 8;

/// The last permutations that sorted objects' keys (in each, position `i` of the sorted keys
/// in bits `4i..4i+4`). Shared by the threads signing with one compiled recipe; relaxed loads
/// and stores suffice since every use checks what it read.
#[derive(Debug, Default)]
pub(crate) struct OrderCache {
    slots: [AtomicU64; SLOTS],
}

impl Clone for OrderCache {
    fn clone(&self) -> Self {
        OrderCache {
            slots: std::array::from_fn(|i| AtomicU64::new(self.slots[i].load(Ordering::Relaxed))),
        }
    }
}

/// The slot of a shape: its key count and the lengths of its first two keys.
fn slot_of<T>(items: &[T], key: &impl Fn(&T) -> &str) -> usize {
    let len = |i: usize| items.get(i).map_or(0, |item| key(item).len());
    (items.len().wrapping_mul(31) ^ len(0).wrapping_mul(7) ^ len(1)) % SLOTS
}

/// The order an object's entries are written in.
pub(crate) enum Order {
    /// A cached permutation of this many entries (see [`OrderCache`]).
    Packed(u64, usize),
    /// Positions sorted on this call.
    Listed(Positions),
}

impl Order {
    /// The entries' positions, in order.
    pub(crate) fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        let (packed, n, listed) = match self {
            Order::Packed(packed, n) => (*packed, *n, &[][..]),
            Order::Listed(listed) => (0, 0, &listed[..]),
        };
        (0..n)
            .map(move |i| nibble(packed, i))
            .chain(listed.iter().map(|&p| p as usize))
    }
}

/// Position `i` of a packed permutation.
#[inline]
fn nibble(packed: u64, i: usize) -> usize {
    ((packed >> (4 * i)) & 0xf) as usize
}

impl OrderCache {
    /// The order of `items` by byte order of their keys (keys of one object are distinct, so
    /// the order is one): the cached permutation when it sorts them, else a sort (remembered
    /// for next time).
    pub(crate) fn sorted<T>(&self, items: &[T], key: impl Fn(&T) -> &str) -> Order {
        let n = items.len();
        let slot = &self.slots[slot_of(items, &key)];
        if n <= CACHED_KEYS {
            let packed = slot.load(Ordering::Relaxed);
            if sorts(items, &key, (0..n).map(|i| nibble(packed, i))) {
                return Order::Packed(packed, n);
            }
        }
        let mut order: Positions = (0..n as u32).collect();
        let key_at = |at: u32| items.get(at as usize).map_or("", &key);
        order.sort_unstable_by(|&a, &b| key_order(key_at(a), key_at(b)));
        if n <= CACHED_KEYS {
            let packed = order
                .iter()
                .enumerate()
                .fold(0u64, |acc, (i, &p)| acc | (u64::from(p) << (4 * i)));
            slot.store(packed, Ordering::Relaxed);
        }
        Order::Listed(order)
    }
}

/// Whether `order` lists positions of `items` with their keys strictly increasing: then every
/// position differs, so with `items.len()` of them in range it is the one sorting permutation.
fn sorts<T>(
    items: &[T],
    key: &impl Fn(&T) -> &str,
    mut order: impl Iterator<Item = usize>,
) -> bool {
    let Some(mut previous) = order.next().map(|at| items.get(at).map(key)) else {
        return true;
    };
    for at in order {
        let Some(current) = items.get(at).map(key) else {
            return false;
        };
        if previous.is_none_or(|p| key_order(p, current) != std::cmp::Ordering::Less) {
            return false;
        }
        previous = Some(current);
    }
    previous.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_keys<'k>(keys: &[&'k str], order: &Order) -> Vec<&'k str> {
        order.positions().map(|i| keys[i]).collect()
    }

    fn byte_sorted<'k>(keys: &[&'k str]) -> Vec<&'k str> {
        let mut v = keys.to_vec();
        v.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        v
    }

    #[test]
    fn sorts_first_reuses_then_resorts_when_the_shape_changes() {
        let cache = OrderCache::default();
        let a = [
            "merchant_id",
            "site_login",
            "site_id",
            "amount",
            "additional_fields",
        ];
        let b = ["b", "a"];
        let c = ["zeta", "Alpha", "beta", "alpha", "é", "e"];
        for keys in [&a[..], &a, &b, &b, &a, &c, &c, &[], &["x"], &b] {
            let order = cache.sorted(keys, |k| k);
            assert_eq!(sorted_keys(keys, &order), byte_sorted(keys), "{keys:?}");
        }
    }

    #[test]
    fn more_keys_than_one_permutation_holds_are_sorted_every_time() {
        let cache = OrderCache::default();
        let names: Vec<String> = (0..40).rev().map(|i| format!("k{i:02}")).collect();
        let keys: Vec<&str> = names.iter().map(String::as_str).collect();
        for _ in 0..2 {
            let order = cache.sorted(&keys, |k| k);
            assert_eq!(sorted_keys(&keys, &order), byte_sorted(&keys));
        }
    }

    #[test]
    fn a_permutation_of_another_shape_is_never_taken_for_this_one() {
        let cache = OrderCache::default();
        // same count, different keys: the cached order must be checked, not trusted
        let first = ["d", "c", "b", "a"];
        let second = ["a", "b", "c", "d"];
        let _ = cache.sorted(&first, |k| k);
        assert_eq!(
            sorted_keys(&second, &cache.sorted(&second, |k| k)),
            byte_sorted(&second)
        );
        let shorter = ["b", "a", "c"];
        assert_eq!(
            sorted_keys(&shorter, &cache.sorted(&shorter, |k| k)),
            byte_sorted(&shorter)
        );
    }
}
