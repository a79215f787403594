//! A set value as Redis 7.0 keeps it, as far as clients can tell: an *intset* while
//! every member is an integer (in `string2ll`'s canonical form) and there are at most
//! `set-max-intset-entries` of them, which SMEMBERS lists in numeric order; otherwise
//! a *hash table* for good (t_set.c's `setTypeAdd` and `setTypeConvert`; removing
//! members never converts back).
//!
//! A real hash table replies in an order that depends on a per-process random seed;
//! here a table keeps its members sorted bytewise, so replies are the same on every
//! run. The limit is Redis's default: the simulator does not model changing it.

use crate::redis_util::string2ll;
use serde::Serialize;
use std::collections::BTreeSet;

/// Redis's default `set-max-intset-entries`.
pub const INTSET_ENTRIES: usize = 512;

/// A set's members in one of Redis's two encodings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Set {
    /// Only integers, sorted numerically.
    Intset(Vec<i64>),
    /// Converted: members sorted bytewise (Redis: hash-table order).
    Table(BTreeSet<Vec<u8>>),
}

impl Default for Set {
    /// An empty set is an intset until a member says otherwise (`setTypeCreate`
    /// picks the encoding from the first member, which comes to the same).
    fn default() -> Self {
        Set::Intset(Vec::new())
    }
}

impl Set {
    /// Number of members.
    pub fn len(&self) -> usize {
        match self {
            Set::Intset(v) => v.len(),
            Set::Table(t) => t.len(),
        }
    }

    /// True if there are no members.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True if `member` is in the set.
    pub fn contains(&self, member: &[u8]) -> bool {
        match self {
            Set::Intset(v) => string2ll(member).is_some_and(|n| v.binary_search(&n).is_ok()),
            Set::Table(t) => t.contains(member),
        }
    }

    /// Add `member` (`setTypeAdd`); false if it was there already.
    pub fn insert(&mut self, member: Vec<u8>) -> bool {
        if let Set::Intset(v) = self {
            match string2ll(&member) {
                Some(n) => {
                    let Err(at) = v.binary_search(&n) else {
                        return false;
                    };
                    v.insert(at, n);
                    if v.len() > INTSET_ENTRIES {
                        self.convert();
                    }
                    return true;
                }
                None => self.convert(),
            }
        }
        match self {
            Set::Table(t) => t.insert(member),
            Set::Intset(_) => unreachable!("converted above"),
        }
    }

    /// Remove `member`; false if it was not there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            Set::Intset(v) => match string2ll(member).map(|n| v.binary_search(&n)) {
                Some(Ok(at)) => {
                    v.remove(at);
                    true
                }
                _ => false,
            },
            Set::Table(t) => t.remove(member),
        }
    }

    /// The members in the order Redis replies with them.
    pub fn members(&self) -> Vec<Vec<u8>> {
        match self {
            Set::Intset(v) => v.iter().map(|n| n.to_string().into_bytes()).collect(),
            Set::Table(t) => t.iter().cloned().collect(),
        }
    }

    /// Remove and return the first member in reply order (SPOP here; Redis picks
    /// at random).
    pub fn pop_first(&mut self) -> Option<Vec<u8>> {
        match self {
            Set::Intset(v) if v.is_empty() => None,
            Set::Intset(v) => Some(v.remove(0).to_string().into_bytes()),
            Set::Table(t) => t.pop_first(),
        }
    }

    /// True while the set is an intset (`OBJECT ENCODING` would say "intset").
    pub fn is_intset(&self) -> bool {
        matches!(self, Set::Intset(_))
    }

    /// `setTypeConvert` to a table (a no-op if it is one already).
    fn convert(&mut self) {
        if let Set::Intset(v) = self {
            // Inserted one by one: `collect` into a B-tree sorts first (kilobytes of
            // WebAssembly).
            let mut t = BTreeSet::new();
            for n in v.iter() {
                t.insert(n.to_string().into_bytes());
            }
            *self = Set::Table(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &Set) -> Vec<String> {
        s.members()
            .iter()
            .map(|m| String::from_utf8_lossy(m).into_owned())
            .collect()
    }

    #[test]
    fn integers_stay_numeric_until_something_else_arrives() {
        let mut s = Set::default();
        for m in ["10", "9", "100", "-5", "9"] {
            s.insert(m.into());
        }
        assert_eq!(texts(&s), ["-5", "9", "10", "100"]);
        assert!(s.is_intset() && s.contains(b"10") && !s.contains(b"010"));
        // "010" and " 1" are not integers to string2ll: the set converts.
        assert!(s.insert(b"010".to_vec()));
        assert!(!s.is_intset());
        assert_eq!(texts(&s), ["-5", "010", "10", "100", "9"]);
        assert!(s.remove(b"010"));
        assert!(!s.is_intset(), "never converts back");
        assert_eq!(s.pop_first(), Some(b"-5".to_vec()));
    }

    #[test]
    fn too_many_integers_convert() {
        let mut s = Set::default();
        for i in 0..INTSET_ENTRIES as i64 {
            assert!(s.insert(i.to_string().into_bytes()));
        }
        assert!(s.is_intset());
        assert_eq!(s.pop_first(), Some(b"0".to_vec()));
        s.insert(b"0".to_vec());
        s.insert(b"-1".to_vec());
        assert!(!s.is_intset());
        assert_eq!(s.len(), INTSET_ENTRIES + 1);
        assert!(s.contains(b"511") && s.remove(b"511") && !s.contains(b"511"));
    }
}
