//! The native keyspace table: a database's keys and values in a dense array (in
//! chunks of 1,024 slots), in the order they were added, and a hash index of their places in it (8 bytes each,
//! a quarter to three quarters full).
//!
//! A plain hash table of (key, value) slots put each key at a random place in a big
//! array: with 10,000s of keys on each of several nodes, a write of the next key was a
//! cache miss on its slot, and growing the table moved every slot to another random
//! place. Here the index is small enough to stay in the cache, keys written in the
//! order they were added (a load, a replica applying its master's stream, a client
//! cycling through its keys) read the array in order, which the processor fetches
//! ahead, and growing it adds a chunk (no slot is copied) and moves the index's
//! buckets without reading a key.
//!
//! Determinism (DESIGN.md: no hash-map iteration): the hash has no random state
//! (`hash` below), and nothing outside [`super::keyspace::Db::iter`], which sorts
//! first, ever sees the array's order. A removal moves the last slot into the hole.
//! The page's WebAssembly uses a B-tree instead (see `keyspace.rs`).

use super::keyspace::Entry;

/// The keyspace's hash function: a fixed one (no per-process random keys), so that
/// runs are the same everywhere; it only decides where a key's place is kept in the
/// index, never an order anyone sees. Eight bytes at a time, multiply-rotate (as
/// rustc's FxHash), then a finalizer that mixes every bit into every other (the
/// index picks a bucket by the top bits and compares the top 32, which a product
/// alone leaves tied to some bytes more than others).
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
    slots: Slots,
    /// Each slot's place in `slots`, found by the key's hash.
    index: Index,
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
            self.index.find(h, |i| {
                matches!(&slots[i].key, Key::Inline { len: l, bytes: b } if *l == len && *b == bytes)
            })
        } else {
            self.index.find(h, |i| slots[i].key.as_bytes() == key)
        };
        let i = self.index.place_at(found?);
        // The next slot is most often the next key asked for (a replica applying its
        // master's stream, a client cycling through its keys): fetched now, it is in
        // the cache when asked for. The same code serves every node in turn, so the
        // processor's own stride detection does not see this.
        #[cfg(target_arch = "x86_64")]
        if let Some(next) = slots.get(i + 1) {
            // SAFETY: a prefetch only hints the cache; the address is a live slot's.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    (next as *const Slot).cast(),
                )
            }
        }
        Some(i)
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
        if self.slots.len() == self.index.capacity() {
            self.grow(1);
        }
        let i = self.slots.len();
        self.slots.push(Slot { key, entry });
        self.index.insert(h, i);
        i
    }

    /// Room for `more` keys beyond those held: the array grown once, the index
    /// rebuilt at its new size from its own entries (no key is read or hashed).
    fn grow(&mut self, more: usize) {
        let need = self.slots.len() + more;
        let cap = need.max(2 * self.slots.len()).max(8);
        self.index.grow_for(cap);
    }

    /// Room for `more` keys beyond those held, made at once.
    pub fn reserve(&mut self, more: usize) {
        if self.index.capacity() - self.slots.len() < more {
            self.grow(more);
        }
    }

    /// Remove `key`, returning its entry. The last slot takes its place.
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let slots = &self.slots;
        let at = self
            .index
            .find(hash(key), |i| slots[i].key.as_bytes() == key)?;
        let i = self.index.place_at(at);
        self.index.remove_at(at);
        let last = self.slots.len() - 1;
        if i != last {
            let moved = hash(self.slots[last].key.as_bytes());
            let at = self
                .index
                .find(moved, |j| j == last)
                .expect("every slot is indexed");
            self.index.set_place(at, i);
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

/// The slots of a [`KeyTable`], in chunks of [`Slots::CHUNK`]: the first grows as a
/// list does, the others are allocated whole. A table of 100,000s of keys then never
/// copies its slots into a list twice the size (which wrote, and faulted in, about twice
/// the memory the slots take: a fifth of `replscope run`'s time for 100,000 new keys on
/// four nodes) and holds room for at most one chunk more than it uses.
#[derive(Clone, Default)]
struct Slots {
    chunks: Vec<Vec<Slot>>,
    len: usize,
}

impl Slots {
    /// Slots in a chunk (64 KB of them).
    const CHUNK: usize = 1024;

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline(always)]
    fn get(&self, i: usize) -> Option<&Slot> {
        self.chunks.get(i / Self::CHUNK)?.get(i % Self::CHUNK)
    }

    fn push(&mut self, slot: Slot) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < Self::CHUNK => last.push(slot),
            _ => {
                let mut chunk = Vec::with_capacity(if self.chunks.is_empty() {
                    8
                } else {
                    Self::CHUNK
                });
                chunk.push(slot);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    /// Remove slot `i`, the last taking its place.
    fn swap_remove(&mut self, i: usize) -> Slot {
        let last = self.chunks.last_mut().expect("a slot to remove");
        let mut moved = last.pop().expect("chunks are never empty");
        if last.is_empty() {
            self.chunks.pop();
        }
        self.len -= 1;
        if i < self.len {
            std::mem::swap(&mut self[i], &mut moved);
        }
        moved
    }

    fn clear(&mut self) {
        self.chunks.clear();
        self.len = 0;
    }

    fn iter(&self) -> impl Iterator<Item = &Slot> {
        self.chunks.iter().flatten()
    }
}

impl std::ops::Index<usize> for Slots {
    type Output = Slot;
    #[inline(always)]
    fn index(&self, i: usize) -> &Slot {
        &self.chunks[i / Self::CHUNK][i % Self::CHUNK]
    }
}

impl std::ops::IndexMut<usize> for Slots {
    #[inline(always)]
    fn index_mut(&mut self, i: usize) -> &mut Slot {
        &mut self.chunks[i / Self::CHUNK][i % Self::CHUNK]
    }
}

/// The index of a [`KeyTable`]: for each key, the top 32 bits of its hash and its
/// place in the slots, in one `u64` (zero marks an empty bucket). Open addressing
/// with linear probing, at most three quarters full.
///
/// A lookup reads one bucket (most often) before the slot, where a table with a
/// separate control byte per bucket reads two places, one after the other. A key's
/// first bucket is taken from the top bits of the 32 the bucket keeps, so growing
/// moves the buckets without reading or hashing a key.
#[derive(Clone, Default)]
struct Index {
    /// A power of two of them (or none).
    buckets: Vec<u64>,
    /// 32 minus the number of bits of a bucket's number.
    shift: u32,
}

impl Index {
    /// The hash's bits a bucket keeps.
    #[inline(always)]
    fn tag(h: u64) -> u64 {
        h >> 32
    }

    /// The first bucket tried for `tag`.
    #[inline(always)]
    fn home(&self, tag: u64) -> usize {
        (tag >> self.shift) as usize
    }

    /// How many places it can hold.
    fn capacity(&self) -> usize {
        self.buckets.len() / 4 * 3
    }

    /// The bucket of the place for which `is` says yes, among those of hash `h`.
    #[inline(always)]
    fn find(&self, h: u64, is: impl Fn(usize) -> bool) -> Option<usize> {
        let mask = self.buckets.len().checked_sub(1)?;
        let tag = Index::tag(h);
        let mut at = self.home(tag);
        loop {
            let b = self.buckets[at];
            if b == 0 {
                return None;
            }
            if b >> 32 == tag && is((b as u32 - 1) as usize) {
                return Some(at);
            }
            at = (at + 1) & mask;
        }
    }

    /// The place bucket `at` holds.
    #[inline(always)]
    fn place_at(&self, at: usize) -> usize {
        (self.buckets[at] as u32 - 1) as usize
    }

    /// Bucket `at` now holds place `i`.
    fn set_place(&mut self, at: usize, i: usize) {
        self.buckets[at] = (self.buckets[at] >> 32) << 32 | (i as u64 + 1);
    }

    /// Index place `i` under hash `h` (there is room: see `capacity`).
    fn insert(&mut self, h: u64, i: usize) {
        debug_assert!(i < u32::MAX as usize);
        self.put(Index::tag(h) << 32 | (i as u64 + 1));
    }

    /// Put a bucket's content in the first free bucket from its home.
    fn put(&mut self, b: u64) {
        let mask = self.buckets.len() - 1;
        let mut at = self.home(b >> 32);
        while self.buckets[at] != 0 {
            at = (at + 1) & mask;
        }
        self.buckets[at] = b;
    }

    /// Empty bucket `at`, moving back the buckets after it that would no longer be
    /// found past the hole.
    fn remove_at(&mut self, at: usize) {
        let mask = self.buckets.len() - 1;
        let mut hole = at;
        let mut next = (at + 1) & mask;
        loop {
            let b = self.buckets[next];
            if b == 0 {
                break;
            }
            let home = self.home(b >> 32);
            // It may fill the hole when the hole lies between its home and it.
            if next.wrapping_sub(home) & mask >= next.wrapping_sub(hole) & mask {
                self.buckets[hole] = b;
                hole = next;
            }
            next = (next + 1) & mask;
        }
        self.buckets[hole] = 0;
    }

    /// Room for `places` places, the buckets moved to their new homes.
    fn grow_for(&mut self, places: usize) {
        let len = (places * 4).div_ceil(3).next_power_of_two().max(8);
        if len <= self.buckets.len() {
            return;
        }
        assert!(len <= 1 << 32, "more keys than the index can hold");
        let old = std::mem::replace(&mut self.buckets, vec![0; len]);
        self.shift = 32 - len.trailing_zeros();
        for b in old.into_iter().filter(|&b| b != 0) {
            self.put(b);
        }
    }

    /// Forget every place (the buckets kept).
    fn clear(&mut self) {
        self.buckets.fill(0);
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
    fn index_removals_move_back_across_the_end() {
        // Hashes whose top bits all point at the last buckets: their runs wrap round
        // to the first ones, and a removal must move back the buckets across the end.
        let h = |n: u64| (u64::MAX - n) << 28;
        for gone in 0..6 {
            let mut ix = Index::default();
            ix.grow_for(6);
            assert_eq!((ix.buckets.len(), ix.capacity()), (8, 6));
            for n in 0..6 {
                ix.insert(h(n % 3), n as usize);
            }
            let at = ix.find(h(gone % 3), |i| i == gone as usize).unwrap();
            ix.remove_at(at);
            for n in 0..6 {
                let found = ix
                    .find(h(n % 3), |i| i == n as usize)
                    .map(|at| ix.place_at(at));
                assert_eq!(
                    found,
                    (n != gone).then_some(n as usize),
                    "removed {gone}, looked for {n}"
                );
            }
            // Grown, every place is found again from its new home.
            ix.grow_for(100);
            for n in (0..6).filter(|&n| n != gone) {
                assert!(ix.find(h(n % 3), |i| i == n as usize).is_some());
            }
        }
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
