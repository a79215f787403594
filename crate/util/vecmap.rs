//! A small ordered map kept as a sorted `Vec`.
//!
//! The simulator has many small maps (a node's clients and sockets, the network's
//! links and connections). `BTreeMap` would do, but every key/value type it is used
//! with adds several kilobytes of code to the WebAssembly the page downloads; a
//! sorted vector with binary search adds a few hundred bytes, iterates in key order
//! (determinism), and is as fast for maps of this size. Keys inserted in increasing
//! order (ids) append at the end.

use std::borrow::Borrow;

/// An ordered map in a sorted vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VecMap<K, V> {
    items: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { items: Vec::new() }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        // Fast path: ids are mostly inserted and looked up near the end.
        self.items.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The value for `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.items[i].1)
    }

    /// The value for `key`, mutably.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(&mut self.items[i].1),
            Err(_) => None,
        }
    }

    /// The value for `key`, looked for first where it was found before (`*at`, then
    /// set to where it is): natively a map whose entries seldom move answers
    /// without a search. (The page's wasm searches and leaves `*at` alone.)
    // Natively inlined: a guess that is right costs a compare, not a call.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn get_mut_near(&mut self, key: &K, at: &mut usize) -> Option<&mut V> {
        if cfg!(target_arch = "wasm32") {
            // The page's wasm has no use for the guess (less code).
            return self.get_mut(key);
        }
        let i = match self.items.get(*at) {
            Some((k, _)) if k == key => *at,
            _ => self.find(key).ok()?,
        };
        *at = i;
        Some(&mut self.items[i].1)
    }

    /// True if `key` is present.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Insert, returning the previous value.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        if self.items.last().is_none_or(|(k, _)| *k < key) {
            self.items.push((key, value));
            return None;
        }
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, value)),
            Err(i) => {
                self.items.insert(i, (key, value));
                None
            }
        }
    }

    /// Remove, returning the value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(self.items.remove(i).1),
            Err(_) => None,
        }
    }

    /// The value for `key`, inserting `f()` first if absent.
    pub fn get_or_insert_with(&mut self, key: K, f: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.items.insert(i, (key, f()));
                i
            }
        };
        &mut self.items[i].1
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> {
        self.items.iter().map(|(k, _)| k)
    }

    /// Values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }

    /// Values in key order, mutably.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> {
        self.items.iter_mut().map(|(_, v)| v)
    }

    /// Keep only the entries for which `f` is true.
    pub fn retain(&mut self, mut f: impl FnMut(&K, &mut V) -> bool) {
        self.items.retain_mut(|(k, v)| f(k, v));
    }

    /// Entries with `lo <= key <= hi`, in order.
    pub fn range_inclusive<'a>(
        &'a self,
        lo: &K,
        hi: &K,
    ) -> impl Iterator<Item = (&'a K, &'a V)> + 'a {
        let start = self.items.partition_point(|(k, _)| k < lo);
        let end = self.items.partition_point(|(k, _)| k <= hi);
        self.items[start..end.max(start)]
            .iter()
            .map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_an_ordered_map() {
        let mut m = VecMap::new();
        assert_eq!(m.insert(5, "e"), None);
        assert_eq!(m.insert(1, "a"), None);
        assert_eq!(m.insert(3, "c"), None);
        assert_eq!(m.insert(3, "C"), Some("c"));
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), [1, 3, 5]);
        assert_eq!(m.get(&3), Some(&"C"));
        assert_eq!(m.remove(&1), Some("a"));
        assert!(!m.contains_key(&1));
        *m.get_or_insert_with(4, || "d") = "D";
        let mut at = 0;
        assert_eq!(m.get_mut_near(&4, &mut at), Some(&mut "D"));
        assert_eq!(at, 1);
        assert_eq!(m.get_mut_near(&4, &mut at), Some(&mut "D"));
        assert_eq!(m.get_mut_near(&2, &mut at), None);
        assert_eq!(
            m.range_inclusive(&3, &4)
                .map(|(k, _)| *k)
                .collect::<Vec<_>>(),
            [3, 4]
        );
        m.retain(|k, _| *k != 5);
        assert_eq!(m.len(), 2);
        let mut s: VecMap<String, u8> = VecMap::new();
        s.insert("b".into(), 2);
        assert_eq!(s.get("b"), Some(&2));
    }
}
