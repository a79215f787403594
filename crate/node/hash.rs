//! A hash value as Redis 7.0 keeps it, as far as clients can tell: a *listpack* while
//! it is small (fields in insertion order, which HGETALL, HKEYS and HVALS show), then,
//! once a field or value is longer than `hash-max-listpack-value` or there are more
//! than `hash-max-listpack-entries` fields, a *hash table* for good (t_hash.c's
//! `hashTypeSet` and `hashTypeConvert`; deleting fields never converts back).
//!
//! A real hash table replies in an order that depends on a per-process random seed;
//! here a table keeps its fields sorted, so replies are the same on every run.
//! The two limits are Redis's defaults: the simulator does not model changing them
//! (CONFIG SET says so).

use serde::Serialize;
use std::collections::BTreeMap;

/// Redis's default `hash-max-listpack-entries`.
pub const LISTPACK_ENTRIES: usize = 128;
/// Redis's default `hash-max-listpack-value` (bytes, for fields and values alike).
pub const LISTPACK_VALUE: usize = 64;

/// A hash's fields and values in one of Redis's two encodings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Hash {
    /// Small: `(field, value)` pairs in insertion order (a field updated in place
    /// keeps its position).
    Listpack(Vec<(Vec<u8>, Vec<u8>)>),
    /// Converted: fields in sorted order (Redis: hash-table order).
    Table(BTreeMap<Vec<u8>, Vec<u8>>),
}

impl Default for Hash {
    /// An empty hash starts as a listpack (`createHashObject`).
    fn default() -> Self {
        Hash::Listpack(Vec::new())
    }
}

impl Hash {
    /// Number of fields.
    pub fn len(&self) -> usize {
        match self {
            Hash::Listpack(pairs) => pairs.len(),
            Hash::Table(map) => map.len(),
        }
    }

    /// True if there are no fields.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&Vec<u8>> {
        match self {
            Hash::Listpack(pairs) => pairs.iter().find(|(f, _)| f == field).map(|(_, v)| v),
            Hash::Table(map) => map.get(field),
        }
    }

    /// True if `field` is present.
    pub fn contains_key(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Set `field` to `value` (`hashTypeSet`), converting to a table first if either
    /// is too long for a listpack, or afterwards if there are too many fields.
    /// Returns the old value.
    pub fn insert(&mut self, field: Vec<u8>, value: Vec<u8>) -> Option<Vec<u8>> {
        if field.len() > LISTPACK_VALUE || value.len() > LISTPACK_VALUE {
            self.convert();
        }
        match self {
            Hash::Listpack(pairs) => {
                if let Some(slot) = pairs.iter_mut().find(|(f, _)| *f == field) {
                    return Some(std::mem::replace(&mut slot.1, value));
                }
                pairs.push((field, value));
                if pairs.len() > LISTPACK_ENTRIES {
                    self.convert();
                }
                None
            }
            Hash::Table(map) => map.insert(field, value),
        }
    }

    /// Remove `field`; returns its value.
    pub fn remove(&mut self, field: &[u8]) -> Option<Vec<u8>> {
        match self {
            Hash::Listpack(pairs) => {
                let i = pairs.iter().position(|(f, _)| f == field)?;
                Some(pairs.remove(i).1)
            }
            Hash::Table(map) => map.remove(field),
        }
    }

    /// Fields and values in the order Redis replies with them.
    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &Vec<u8>)> {
        let (pairs, map) = match self {
            Hash::Listpack(pairs) => (Some(pairs), None),
            Hash::Table(map) => (None, Some(map)),
        };
        let pairs = pairs.into_iter().flatten().map(|(f, v)| (f, v));
        pairs.chain(map.into_iter().flatten())
    }

    /// True while the hash is a listpack (`OBJECT ENCODING` would say "listpack").
    pub fn is_listpack(&self) -> bool {
        matches!(self, Hash::Listpack(_))
    }

    /// `hashTypeConvert` to a table (a no-op if it is one already).
    fn convert(&mut self) {
        if let Hash::Listpack(pairs) = self {
            // Inserted one by one: `collect` into a B-tree sorts first, and that sort
            // is kilobytes of WebAssembly.
            let mut map = BTreeMap::new();
            for (f, v) in std::mem::take(pairs) {
                map.insert(f, v);
            }
            *self = Hash::Table(map);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(h: &Hash) -> Vec<String> {
        h.iter()
            .map(|(f, _)| String::from_utf8_lossy(f).into_owned())
            .collect()
    }

    #[test]
    fn small_hashes_keep_insertion_order_and_update_in_place() {
        let mut h = Hash::default();
        for f in ["zeta", "alpha", "mid"] {
            assert_eq!(h.insert(f.into(), b"1".to_vec()), None);
        }
        assert_eq!(
            h.insert(b"zeta".to_vec(), b"2".to_vec()),
            Some(b"1".to_vec())
        );
        assert_eq!(fields(&h), ["zeta", "alpha", "mid"]);
        assert_eq!(h.get(b"zeta"), Some(&b"2".to_vec()));
        assert_eq!(h.remove(b"zeta"), Some(b"2".to_vec()));
        h.insert(b"zeta".to_vec(), b"3".to_vec());
        assert_eq!(fields(&h), ["alpha", "mid", "zeta"]);
        assert!(h.is_listpack());
    }

    #[test]
    fn long_elements_and_many_fields_convert_for_good() {
        let mut h = Hash::default();
        h.insert(b"b".to_vec(), vec![b'x'; LISTPACK_VALUE]);
        assert!(h.is_listpack(), "64 bytes still fit");
        h.insert(b"a".to_vec(), vec![b'x'; LISTPACK_VALUE + 1]);
        assert!(!h.is_listpack());
        assert_eq!(fields(&h), ["a", "b"]);
        h.remove(b"a");
        assert!(!h.is_listpack(), "never converts back");

        let mut h = Hash::default();
        for i in (0..LISTPACK_ENTRIES).rev() {
            h.insert(format!("f{i:03}").into_bytes(), vec![]);
        }
        assert!(h.is_listpack());
        assert_eq!(fields(&h)[0], format!("f{:03}", LISTPACK_ENTRIES - 1));
        h.insert(b"one-more".to_vec(), vec![]);
        assert!(!h.is_listpack());
        assert_eq!(fields(&h)[0], "f000");
        assert_eq!(h.len(), LISTPACK_ENTRIES + 1);
    }
}
