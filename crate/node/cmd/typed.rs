//! A key's value as one collection type (list, set or hash), with Redis's WRONGTYPE
//! rule: the accessors the collection commands share.

use super::{errors, Call};
use crate::node::keyspace::{boxed, Value};
use crate::resp::Value as Reply;
use std::collections::VecDeque;

/// A collection type a key can hold.
pub trait Collection: Default {
    /// The collection inside `v`, or None if `v` holds another type.
    fn of(v: &Value) -> Option<&Self>;
    /// The same, for changing it.
    fn of_mut(v: &mut Value) -> Option<&mut Self>;
    /// The value that holds it.
    fn into_value(self) -> Value;
    /// Whether it has no elements (Redis deletes such a key).
    fn is_empty(&self) -> bool;
}

macro_rules! collection {
    ($t:ty, $variant:ident) => {
        impl Collection for $t {
            fn of(v: &Value) -> Option<&Self> {
                match v {
                    Value::$variant(x) => Some(x),
                    _ => None,
                }
            }
            fn of_mut(v: &mut Value) -> Option<&mut Self> {
                match v {
                    Value::$variant(x) => Some(x),
                    _ => None,
                }
            }
            fn into_value(self) -> Value {
                Value::$variant(boxed(self))
            }
            fn is_empty(&self) -> bool {
                <$t>::is_empty(self)
            }
        }
    };
}

collection!(VecDeque<Vec<u8>>, List);
collection!(crate::node::set::Set, Set);
collection!(crate::node::hash::Hash, Hash);

/// Apply `f` to the collection at `key` for reading (None if missing); WRONGTYPE if
/// the key holds something else.
pub fn read<C: Collection, T>(
    c: &mut Call,
    key: &[u8],
    f: impl FnOnce(Option<&C>) -> T,
) -> Result<T, Reply> {
    match c.lookup_read(key).map(|e| C::of(&e.value)) {
        None => Ok(f(None)),
        Some(Some(x)) => Ok(f(Some(x))),
        Some(None) => Err(errors::wrong_type()),
    }
}

/// Whether the collection exists at `key` for writing; WRONGTYPE if something else
/// does.
pub fn lookup_write<C: Collection>(c: &mut Call, key: &[u8]) -> Result<bool, Reply> {
    match c.lookup_write(key).map(|e| C::of(&e.value).is_some()) {
        None => Ok(false),
        Some(true) => Ok(true),
        Some(false) => Err(errors::wrong_type()),
    }
}

/// The collection at `key` for changing, created empty if missing (Redis's
/// `*TypeLookupWriteOrCreate`, after [`lookup_write`] checked the type). A caller
/// that may leave it empty must call [`drop_if_empty`].
pub fn get_mut<'a, C: Collection>(c: &'a mut Call, key: &[u8]) -> &'a mut C {
    if c.db().get(key).is_none() {
        c.db().set(key, C::default().into_value(), false);
    }
    match c.db().value_mut(key).and_then(C::of_mut) {
        Some(x) => x,
        None => unreachable!("the type is checked by lookup_write"),
    }
}

/// Delete the key if its collection has no elements left.
pub fn drop_if_empty<C: Collection>(c: &mut Call, key: &[u8]) {
    if c.db()
        .get(key)
        .and_then(|e| C::of(&e.value))
        .is_some_and(C::is_empty)
    {
        c.db().remove(key);
    }
}
