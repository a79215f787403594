//! The native keyspace table: a database's keys and values in one dense array, in
//! the order they were added, and a hash index of their places in it (4 bytes each).
//!
//! A plain hash table of (key, value) slots put each key at a random place in a big
//! array: with 10,000s of keys on each of several nodes, a write of the next key was a
//! cache miss on its slot, and growing the table moved every slot to another random
//! place. Here the index is small enough to stay in the cache, keys written in the
//! order they were added (a load, a replica applying its master's stream, a client
//! cycling through its keys) read the array in order, which the processor fetches
//! ahead, and growing it copies the array in one go and rebuilds the index by
//! reading the array in order.
//!
//! Determinism (DESIGN.md: no hash-map iteration): the hash has no random state
//! (`hash` below), and nothing outside [`super::keyspace::Db::iter`], which sorts
//! first, ever sees the array's order. A removal moves the last slot into the hole.
//! The page's WebAssembly uses a B-tree instead (see `keyspace.rs`).

use super::keyspace::Entry;
use hashbrown::HashTable;

/// The keyspace's hash function: a fixed one (no per-process random keys), so that
/// runs are the same everywhere; it only decides where a key's place is kept in the
/// index, never an order anyone sees. Eight bytes at a time, multiply-rotate (as
/// rustc's FxHash), then a finalizer that mixes the high bits into the low ones (the
/// index picks a bucket by the low bits, which a product alone leaves tied to the
/// first bytes).
fn hash(key: &[u8]) -> u64 {
    fn mix(h: u64, w: u64) -> u64 {
        (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95)
    }
    let mut h = 0u64;
    let mut chunks = key.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = mix(h, w);
    }
    let mut tail = 0u64;
    for (i, b) in chunks.remainder().iter().enumerate() {
        tail |= u64::from(*b) << (8 * i);
    }
    let mut z = mix(h, tail ^ key.len() as u64);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A key as the table holds it: a short one (most are) inside its slot, so a lookup
/// compares it there instead of following a pointer to it; a longer one on the heap.
#[derive(Clone)]
pub enum Key {
    /// Up to [`Key::INLINE`] bytes, in place.
    Inline { len: u8, bytes: [u8; Key::INLINE] },
    /// A longer key.
    Heap(Box<[u8]>),
}

impl Key {
    /// The longest key kept in place.
    pub const INLINE: usize = 22;

    /// `key` as the table holds it.
    pub fn new(key: &[u8]) -> Key {
        if key.len() <= Key::INLINE {
            let mut bytes = [0; Key::INLINE];
            bytes[..key.len()].copy_from_slice(key);
            Key::Inline {
                len: key.len() as u8,
                bytes,
            }
        } else {
            Key::Heap(key.into())
        }
    }

    /// The key's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Key::Heap(b) => b,
        }
    }
}

/// A key and its entry: one cache line.
#[derive(Clone)]
#[repr(align(64))]
struct Slot {
    key: Key,
    entry: Entry,
}

/// A database's keys (see the module comment).
#[derive(Clone, Default)]
pub struct KeyTable {
    /// The keys and their entries, in the order they were added (removals aside).
    slots: Vec<Slot>,
    /// Each slot's place in `slots`, found by the key's hash.
    index: HashTable<u32>,
}

impl KeyTable {
    /// Number of keys.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when there are no keys.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Where `key` is in `slots`, looked up by its hash `h`.
    #[inline(always)]
    fn place(&self, h: u64, key: &[u8]) -> Option<usize> {
        let slots = &self.slots;
        let found = if let Key::Inline { len, bytes } = Key::new(key) {
            // A short key is compared as its slot holds it, zero-padded: a fixed-size
            // compare, inlined, instead of a library call for every candidate.
            self.index.find(h, |&i| {
                matches!(&slots[i as usize].key, Key::Inline { len: l, bytes: b } if *l == len && *b == bytes)
            })
        } else {
            self.index
                .find(h, |&i| slots[i as usize].key.as_bytes() == key)
        };
        found.map(|&i| i as usize)
    }

    /// The entry of `key`.
    pub fn get(&self, key: &[u8]) -> Option<&Entry> {
        let i = self.place(hash(key), key)?;
        Some(&self.slots[i].entry)
    }

    /// The entry of `key`, to change.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Entry> {
        let i = self.place(hash(key), key)?;
        Some(&mut self.slots[i].entry)
    }

    /// The entry of `key`, or `make()`'s stored under it when the key is missing
    /// (the key hashed and searched for once). The flag says whether it was added.
    #[inline(always)]
    pub fn get_or_add(&mut self, key: &[u8], make: impl FnOnce() -> Entry) -> (&mut Entry, bool) {
        let h = hash(key);
        match self.place(h, key) {
            Some(i) => (&mut self.slots[i].entry, false),
            None => {
                let i = self.add(h, Key::new(key), make());
                (&mut self.slots[i].entry, true)
            }
        }
    }

    /// Store `entry` under `key`, returning the entry it replaces.
    pub fn insert(&mut self, key: &[u8], entry: Entry) -> Option<Entry> {
        let h = hash(key);
        match self.place(h, key) {
            Some(i) => Some(std::mem::replace(&mut self.slots[i].entry, entry)),
            None => {
                self.add(h, Key::new(key), entry);
                None
            }
        }
    }

    /// Add a key known to be missing; returns its place.
    fn add(&mut self, h: u64, key: Key, entry: Entry) -> usize {
        if self.index.len() == self.index.capacity() {
            self.grow(1);
        }
        let i = self.slots.len();
        self.slots.push(Slot { key, entry });
        // There is room (above), so the index never calls for hashes itself.
        self.index.insert_unique(h, i as u32, |&j| {
            hash(self.slots[j as usize].key.as_bytes())
        });
        i
    }

    /// Room for `more` keys beyond those held: the index rebuilt at its new size by
    /// reading the keys in order (not moved bucket by bucket, which reads them in a
    /// random order), and the array grown once.
    fn grow(&mut self, more: usize) {
        let need = self.slots.len() + more;
        let cap = need.max(2 * self.slots.len()).max(8);
        self.slots.reserve_exact(cap - self.slots.len());
        let mut index = HashTable::with_capacity(cap);
        for (i, s) in self.slots.iter().enumerate() {
            index.insert_unique(hash(s.key.as_bytes()), i as u32, |_| {
                unreachable!("the index was made big enough")
            });
        }
        self.index = index;
    }

    /// Room for `more` keys beyond those held, made at once.
    pub fn reserve(&mut self, more: usize) {
        if self.index.capacity() - self.index.len() < more {
            self.grow(more);
        }
    }

    /// Remove `key`, returning its entry. The last slot takes its place.
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let slots = &self.slots;
        let found = self
            .index
            .find_entry(hash(key), |&i| slots[i as usize].key.as_bytes() == key)
            .ok()?;
        let (i, _) = found.remove();
        let i = i as usize;
        let last = self.slots.len() - 1;
        if i != last {
            let moved = hash(self.slots[last].key.as_bytes());
            *self
                .index
                .find_mut(moved, |&j| j as usize == last)
                .expect("every slot is indexed") = i as u32;
        }
        Some(self.slots.swap_remove(i).entry)
    }

    /// Remove every key.
    pub fn clear(&mut self) {
        self.slots.clear();
        self.index.clear();
    }

    /// Every key and entry, in no particular order (callers sort: see the module comment).
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Entry)> {
        self.slots.iter().map(|s| (s.key.as_bytes(), &s.entry))
    }
}

/// Equal when they hold the same keys with the same entries, whatever their order.
impl PartialEq for KeyTable {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, e)| other.get(k) == Some(e))
    }
}

impl Eq for KeyTable {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::keyspace::Value;

    fn entry(n: u8) -> Entry {
        Entry {
            value: Value::Str(vec![n]),
            expire_ms: None,
        }
    }

    #[test]
    fn a_slot_is_one_cache_line() {
        assert_eq!(std::mem::size_of::<Slot>(), 64);
    }

    #[test]
    fn removals_keep_every_other_key_found() {
        let mut t = KeyTable::default();
        let key = |i: u32| format!("key:{i}").into_bytes();
        for i in 0..1000 {
            assert!(t.insert(&key(i), entry(i as u8)).is_none());
        }
        // Remove every third key, from the front, the middle and the end.
        for i in (0..1000).step_by(3) {
            assert_eq!(t.remove(&key(i)), Some(entry(i as u8)));
            assert_eq!(t.remove(&key(i)), None);
        }
        for i in 0..1000 {
            assert_eq!(
                t.get(&key(i)).cloned(),
                (i % 3 != 0).then(|| entry(i as u8))
            );
        }
        assert_eq!(t.len(), 666);
        // Added again, and the order of adding does not matter to equality.
        let mut u = KeyTable::default();
        for i in (0..1000).rev().filter(|i| i % 3 != 0) {
            u.insert(&key(i), entry(i as u8));
        }
        assert!(t == u);
        u.insert(&key(1), entry(0));
        assert!(t != u);
    }

    #[test]
    fn random_adds_and_removals_agree_with_a_btree() {
        // A crowded index (few distinct keys, many removals) moves places back often.
        let mut t = KeyTable::default();
        let mut model = std::collections::BTreeMap::new();
        let mut x = 1u64;
        for n in 0..200_000u32 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = format!("k{}", (x >> 33) % 3000).into_bytes();
            if (x >> 20).is_multiple_of(3) {
                assert_eq!(t.remove(&k), model.remove(&k));
            } else {
                let e = entry(n as u8);
                assert_eq!(t.insert(&k, e.clone()), model.insert(k, e));
            }
            if n.is_multiple_of(20_000) {
                assert_eq!(t.len(), model.len());
                assert!(model.iter().all(|(k, e)| t.get(k) == Some(e)));
            }
        }
        let mut listed: Vec<(Vec<u8>, Entry)> =
            t.iter().map(|(k, e)| (k.to_vec(), e.clone())).collect();
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(listed, model.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn get_or_add_adds_once() {
        let mut t = KeyTable::default();
        t.reserve(100);
        let (e, added) = t.get_or_add(b"k", || entry(1));
        assert!(added);
        e.expire_ms = Some(5);
        let (e, added) = t.get_or_add(b"k", || entry(2));
        assert!(!added && e.expire_ms == Some(5) && e.value == Value::Str(vec![1]));
        t.clear();
        assert!(t.is_empty() && t.get(b"k").is_none());
    }
}
