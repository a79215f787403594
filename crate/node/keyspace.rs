//! The keyspace: Redis's numbered databases of keys with values and optional expiry.
//!
//! Keys live in a hash table (one lookup per command, whatever the key count) with a
//! fixed hash function, and every iteration (KEYS, the RDB writer) sorts them first, so
//! there is one order on every platform; keys with a TTL are also kept ordered by
//! expiry for active expiry. Real Redis iterates hash tables, so the *order* of KEYS
//! replies and of same-tick expiry DELs can differ from a real server; the set of keys
//! and the byte counts do not.

use serde::Serialize;
use std::collections::{BTreeSet, VecDeque};

/// A value stored under a key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Value {
    /// A string (Redis keeps integers as strings too, as far as clients can tell).
    Str(Vec<u8>),
    /// A list.
    List(Boxed<VecDeque<Vec<u8>>>),
    /// A hash (in insertion order while small, as Redis's listpack encoding).
    Hash(Boxed<crate::node::hash::Hash>),
    /// A set (an intset, in numeric order, while it holds only integers).
    Set(Boxed<crate::node::set::Set>),
}

/// A collection in a [`Value`]: natively on the heap, so that a value takes no more
/// room than a string's and a key's slot in the native table is 64 bytes, one cache
/// line (with the collections inline, 80: 100,000s of keys on several nodes mean
/// that much more memory written, read and moved as the tables grow). The page's
/// B-tree keeps them inline.
#[cfg(not(target_arch = "wasm32"))]
pub type Boxed<T> = Box<T>;
/// A collection in a [`Value`] (see the native one).
#[cfg(target_arch = "wasm32")]
pub type Boxed<T> = T;

/// `t` as a [`Value`] holds it.
pub fn boxed<T>(t: T) -> Boxed<T> {
    #[cfg(not(target_arch = "wasm32"))]
    return Box::new(t);
    #[cfg(target_arch = "wasm32")]
    t
}

impl Value {
    /// The name `TYPE` replies with.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
        }
    }
}

/// A key's value and its absolute expiry time (ms since the epoch), if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The value.
    pub value: Value,
    /// When the key expires (Redis's `expires` dict), as a wall-clock ms timestamp.
    pub expire_ms: Option<i64>,
}

/// A database's table of keys: natively a [`KeyTable`](super::keytable::KeyTable)
/// (the CLI's big datasets); in the page's WebAssembly a B-tree, which its other maps
/// already bring (a hash table's code would cost the page ~1 KB, and its datasets are
/// small). Determinism (DESIGN.md: no hash-map iteration): the table is only ever
/// iterated by [`Db::iter`], which sorts before anyone sees an entry, and its hash has
/// no random state — so every order shown is key order, natively and in wasm alike.
#[cfg(not(target_arch = "wasm32"))]
type Table = super::keytable::KeyTable;
#[cfg(target_arch = "wasm32")]
type Table = std::collections::BTreeMap<Vec<u8>, Entry>;

/// `key` as [`Table::insert`] takes it.
#[cfg(not(target_arch = "wasm32"))]
fn key_of(key: &[u8]) -> &[u8] {
    key
}
/// `key` as the page's B-tree holds it.
#[cfg(target_arch = "wasm32")]
fn key_of(key: &[u8]) -> Vec<u8> {
    key.to_vec()
}

/// One database (`SELECT n`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Db {
    map: Table,
    /// Keys with a TTL, ordered by expiry time, for active expiry: each member is
    /// [`expiry_member`]`(when, key)`. A set of byte strings rather than of
    /// `(i64, Vec<u8>)` pairs so that it shares its code with the set type: every
    /// distinct B-tree type adds several kilobytes to the WebAssembly the page loads.
    by_expiry: BTreeSet<Vec<u8>>,
}

/// The `by_expiry` member for a key expiring at `when`: the time as 8 big-endian
/// bytes with the sign bit flipped (so byte order is numeric order), then the key.
/// Members therefore sort by time, then by key, as `(when, key)` pairs would.
fn expiry_member(when: i64, key: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(8 + key.len());
    m.extend_from_slice(&((when as u64) ^ (1 << 63)).to_be_bytes());
    m.extend_from_slice(key);
    m
}

/// The expiry time of a `by_expiry` member.
fn expiry_time(member: &[u8]) -> i64 {
    let mut t = [0u8; 8];
    t.copy_from_slice(&member[..8]);
    (u64::from_be_bytes(t) ^ (1 << 63)) as i64
}

impl Db {
    /// Number of keys (`DBSIZE`), including logically expired ones not yet deleted.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when the database holds no keys.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of keys with a TTL (INFO keyspace `expires=`).
    pub fn expires_len(&self) -> usize {
        self.by_expiry.len()
    }

    /// The raw entry, ignoring expiry (callers decide what expiry means for them).
    pub fn get(&self, key: &[u8]) -> Option<&Entry> {
        self.map.get(key)
    }

    /// The raw value for in-place changes. The expiry is changed with [`Db::set_expire`].
    pub fn value_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        self.map.get_mut(key).map(|e| &mut e.value)
    }

    /// Store the string `arg` under `key` if the key exists and has not expired at
    /// `now_ms` (a TTL at or after `now_ms` is still alive), with [`Db::set`]'s TTL
    /// rule; with `insert_missing`, when the key is missing too. Returns false,
    /// changing nothing, if the key is expired (or missing, without
    /// `insert_missing`): the caller then takes the general path (which deletes an
    /// expired key first). One lookup instead of two or three for the commonest
    /// writes, an overwrite and a new key.
    ///
    /// With `take` the argument's buffer becomes the value and `arg` gets the old
    /// value's buffer (a replica parses its next command into it); without, an old
    /// string's buffer is refilled when it fits (no allocation, nothing freed).
    pub fn overwrite_live_str(
        &mut self,
        key: &[u8],
        arg: &mut Vec<u8>,
        take: bool,
        keep_ttl: bool,
        now_ms: i64,
        insert_missing: bool,
    ) -> bool {
        let owned = |arg: &mut Vec<u8>| {
            if take {
                std::mem::take(arg)
            } else {
                arg.clone()
            }
        };
        // Natively a key that may be stored is hashed and searched for once, not
        // once to miss and once more to insert.
        #[cfg(not(target_arch = "wasm32"))]
        let found = if insert_missing {
            // A short argument is copied, not taken: its buffer stays for the next
            // command parsed into it (taken, it is allocated anew).
            let (e, added) = self.map.get_or_add(key, || Entry {
                value: Value::Str(if arg.len() <= crate::resp::ArgPool::MAX_ARG_BYTES {
                    arg.clone()
                } else {
                    owned(arg)
                }),
                expire_ms: None,
            });
            if added {
                return true;
            }
            Some(e)
        } else {
            self.map.get_mut(key)
        };
        #[cfg(target_arch = "wasm32")]
        let found = self.map.get_mut(key);
        let Some(e) = found else {
            if insert_missing {
                let value = Value::Str(owned(arg));
                self.map.insert(
                    key_of(key),
                    Entry {
                        value,
                        expire_ms: None,
                    },
                );
            }
            return insert_missing;
        };
        if e.expire_ms.is_some_and(|when| now_ms > when) {
            return false;
        }
        match &mut e.value {
            Value::Str(v) if take => std::mem::swap(v, arg),
            // Refilled only when the old buffer is not much bigger than needed, so a
            // big value overwritten by a small one is freed as Redis frees it.
            Value::Str(v) if v.capacity() >= arg.len() && v.capacity() <= 2 * arg.len() + 64 => {
                v.clear();
                v.extend_from_slice(arg);
            }
            other => *other = Value::Str(owned(arg)),
        }
        if !keep_ttl {
            if let Some(old) = e.expire_ms.take() {
                self.by_expiry.remove(&expiry_member(old, key));
            }
        }
        true
    }

    /// Room for `more` keys beyond those held, made at once (`dictExpand` on an
    /// RDB's `RESIZEDB` hint): a replica loading a full sync then does not rehash
    /// its table over and over as it grows. The page's B-tree has no such room.
    pub fn reserve(&mut self, more: usize) {
        #[cfg(not(target_arch = "wasm32"))]
        self.map.reserve(more);
        #[cfg(target_arch = "wasm32")]
        let _ = more;
    }

    /// Store `value` under `key`. With `keep_ttl` an existing TTL survives
    /// (`SET ... KEEPTTL`), otherwise it is removed (a plain SET clears the TTL).
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool) {
        match self.map.get_mut(key) {
            Some(e) => {
                e.value = value;
                if !keep_ttl {
                    if let Some(old) = e.expire_ms.take() {
                        self.by_expiry.remove(&expiry_member(old, key));
                    }
                }
            }
            None => {
                self.map.insert(
                    key_of(key),
                    Entry {
                        value,
                        expire_ms: None,
                    },
                );
            }
        }
    }

    /// Set or clear the expiry of an existing key. Returns false if the key is missing.
    pub fn set_expire(&mut self, key: &[u8], expire_ms: Option<i64>) -> bool {
        let Some(e) = self.map.get_mut(key) else {
            return false;
        };
        if let Some(old) = e.expire_ms.take() {
            self.by_expiry.remove(&expiry_member(old, key));
        }
        e.expire_ms = expire_ms;
        if let Some(t) = expire_ms {
            self.by_expiry.insert(expiry_member(t, key));
        }
        true
    }

    /// Delete a key. Returns the removed entry.
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let e = self.map.remove(key)?;
        if let Some(t) = e.expire_ms {
            self.by_expiry.remove(&expiry_member(t, key));
        }
        Some(e)
    }

    /// Remove every key. Returns how many there were.
    pub fn clear(&mut self) -> usize {
        let n = self.map.len();
        self.map.clear();
        self.by_expiry.clear();
        n
    }

    /// All entries in key order (sorted here: the table has no order of its own).
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &Entry)> {
        // The one place the table is iterated (see `Table`): sorted at once.
        let mut all: Vec<(&[u8], &Entry)> = self
            .map
            .iter()
            .map(|(k, e)| (std::borrow::Borrow::borrow(k), e))
            .collect();
        if cfg!(not(target_arch = "wasm32")) {
            all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        }
        all.into_iter()
    }

    /// Keys whose expiry time is strictly before `now_ms` (Redis: expired when
    /// `now > when`), earliest first, at most `limit` of them.
    pub fn expired_keys(&self, now_ms: i64, limit: usize) -> Vec<Vec<u8>> {
        self.by_expiry
            .iter()
            .take_while(|m| expiry_time(m) < now_ms)
            .take(limit)
            .map(|m| m[8..].to_vec())
            .collect()
    }
}

/// Keys in key order: the table's own order is never shown, not even in debug output.
impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// All databases of a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keyspace {
    /// Databases 0..n.
    pub dbs: Vec<Db>,
}

impl Keyspace {
    /// `n` empty databases.
    pub fn new(n: usize) -> Keyspace {
        Keyspace {
            dbs: vec![Db::default(); n],
        }
    }

    /// Total number of keys in all databases.
    pub fn total_keys(&self) -> usize {
        self.dbs.iter().map(Db::len).sum()
    }

    /// Empty every database. Returns the number of keys removed.
    pub fn clear(&mut self) -> usize {
        self.dbs.iter_mut().map(Db::clear).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_keys_are_found_and_listed_in_order() {
        let mut db = Db::default();
        // Around the inline limit (22 bytes), empty, and binary.
        let keys: Vec<Vec<u8>> = vec![
            vec![b'a'; 21],
            vec![b'a'; 22],
            vec![b'a'; 23],
            vec![b'a'; 100],
            Vec::new(),
            vec![0, 255, 0],
            vec![0, 255],
        ];
        for (i, k) in keys.iter().enumerate() {
            db.set(k, Value::Str(vec![i as u8]), false);
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(
                db.get(k).map(|e| &e.value),
                Some(&Value::Str(vec![i as u8]))
            );
        }
        assert!(db.get(&[b'a'; 24]).is_none() && db.get(&[0, 255, 0, 0]).is_none());
        let mut sorted = keys.clone();
        sorted.sort();
        let listed: Vec<Vec<u8>> = db.iter().map(|(k, _)| k.to_vec()).collect();
        assert_eq!(listed, sorted);
        assert!(db.remove(&[b'a'; 23]).is_some() && db.get(&[b'a'; 23]).is_none());
        assert_eq!(db.len(), keys.len() - 1);
    }

    #[test]
    fn overwrite_live_str_in_one_lookup() {
        let mut db = Db::default();
        let s = |db: &Db, k: &[u8]| match &db.get(k).unwrap().value {
            Value::Str(v) => v.clone(),
            _ => panic!("not a string"),
        };
        // Missing: stored only when asked to, the argument untouched otherwise.
        let mut arg = b"one".to_vec();
        assert!(!db.overwrite_live_str(b"k", &mut arg, true, false, 0, false));
        assert_eq!(arg, b"one");
        assert!(db.overwrite_live_str(b"k", &mut arg, false, false, 0, true));
        assert_eq!(
            (s(&db, b"k"), arg.as_slice()),
            (b"one".to_vec(), &b"one"[..])
        );
        // Taken: the argument gets the old value's buffer back.
        let mut arg = b"two".to_vec();
        assert!(db.overwrite_live_str(b"k", &mut arg, true, false, 0, false));
        assert_eq!((s(&db, b"k"), arg), (b"two".to_vec(), b"one".to_vec()));
        // Copied: a big old buffer is not kept for a small value.
        let mut big = vec![b'x'; 10_000];
        assert!(db.overwrite_live_str(b"k", &mut big, false, false, 0, false));
        let mut arg = b"three".to_vec();
        assert!(db.overwrite_live_str(b"k", &mut arg, false, false, 0, false));
        let Value::Str(v) = &db.get(b"k").unwrap().value else {
            panic!("not a string")
        };
        assert_eq!(
            (v.as_slice(), arg.as_slice()),
            (&b"three"[..], &b"three"[..])
        );
        assert!(v.capacity() < 10_000);
        // A TTL is cleared unless kept; an expired key is left to the general path.
        assert!(db.set_expire(b"k", Some(100)));
        assert!(db.overwrite_live_str(b"k", &mut arg, false, true, 50, false));
        assert_eq!(db.get(b"k").unwrap().expire_ms, Some(100));
        let mut late = b"four".to_vec();
        assert!(!db.overwrite_live_str(b"k", &mut late, true, false, 101, true));
        assert_eq!(
            (s(&db, b"k"), late.as_slice()),
            (b"three".to_vec(), &b"four"[..])
        );
        assert!(db.overwrite_live_str(b"k", &mut late, false, false, 100, false));
        assert_eq!(
            (db.get(b"k").unwrap().expire_ms, db.expires_len()),
            (None, 0)
        );
        // Another type is replaced by the string.
        db.set(b"l", Value::List(Default::default()), false);
        assert!(db.overwrite_live_str(b"l", &mut late, true, false, 0, false));
        assert_eq!((s(&db, b"l"), late), (b"four".to_vec(), Vec::new()));
    }

    #[test]
    fn set_clears_ttl_unless_kept() {
        let mut db = Db::default();
        db.set(b"k", Value::Str(b"v".to_vec()), false);
        assert!(db.set_expire(b"k", Some(100)));
        db.set(b"k", Value::Str(b"w".to_vec()), true);
        assert_eq!(db.get(b"k").unwrap().expire_ms, Some(100));
        db.set(b"k", Value::Str(b"x".to_vec()), false);
        assert_eq!(db.get(b"k").unwrap().expire_ms, None);
        assert_eq!(db.expires_len(), 0);
    }

    #[test]
    fn expired_keys_are_strictly_before_now() {
        let mut db = Db::default();
        for (k, t) in [(b"a", 10), (b"b", 20), (b"c", 30)] {
            db.set(k, Value::Str(vec![]), false);
            db.set_expire(k, Some(t));
        }
        assert_eq!(db.expired_keys(20, 10), vec![b"a".to_vec()]);
        assert_eq!(db.expired_keys(21, 1), vec![b"a".to_vec()]);
        db.remove(b"a");
        assert_eq!(db.expires_len(), 2);
    }

    #[test]
    fn expiry_members_sort_as_time_then_key() {
        let times = [i64::MIN, -1_000, -1, 0, 1, 255, 256, 1 << 40, i64::MAX];
        let keys: [&[u8]; 4] = [b"", b"a", b"a\x00", b"b"];
        let mut pairs = Vec::new();
        for &t in &times {
            for k in keys {
                pairs.push((t, k.to_vec()));
            }
        }
        let mut members: Vec<Vec<u8>> = pairs.iter().map(|(t, k)| expiry_member(*t, k)).collect();
        members.reverse();
        members.sort();
        let decoded: Vec<(i64, Vec<u8>)> = members
            .iter()
            .map(|m| (expiry_time(m), m[8..].to_vec()))
            .collect();
        assert_eq!(decoded, pairs);
    }

    #[test]
    fn negative_expiry_times_expire_first() {
        let mut db = Db::default();
        for (k, t) in [(b"late", 5), (b"past", -5)] {
            db.set(k, Value::Str(vec![]), false);
            db.set_expire(k, Some(t));
        }
        assert_eq!(db.expired_keys(0, 10), vec![b"past".to_vec()]);
        assert_eq!(
            db.expired_keys(6, 10),
            vec![b"past".to_vec(), b"late".to_vec()]
        );
    }
}
