//! Hash commands.
//!
//! Propagated as sent when they changed the hash, except HINCRBYFLOAT, which goes
//! out as `HSET key field <result>` so replicas store the same text. A hash left
//! empty is deleted. Replies list fields in insertion order while the hash is small
//! and in sorted order once converted (see [`crate::node::hash`]).

use super::flags::*;
use super::{errors, i64_or_reply, typed, Call, CommandSpec};
use crate::node::keyspace::Value;
use crate::redis_util::long_double::{string2ld, LongDouble};
use crate::resp::Value as Reply;

/// The hash commands (arities and flags from Redis 7.0's command table).
pub const COMMANDS: &[CommandSpec] = &[
    data_cmd!("hdel", -3, WRITE, hdel),
    data_cmd!("hexists", 3, READONLY, hexists),
    data_cmd!("hget", 3, READONLY, hget),
    data_cmd!("hgetall", 2, READONLY, hgetall),
    data_cmd!("hincrby", 4, WRITE, hincrby),
    data_cmd!("hincrbyfloat", 4, WRITE, hincrbyfloat),
    data_cmd!("hkeys", 2, READONLY, hkeys),
    data_cmd!("hlen", 2, READONLY, hlen),
    data_cmd!("hmget", -3, READONLY, hmget),
    data_cmd!("hmset", -4, WRITE, hset),
    data_cmd!("hset", -4, WRITE, hset),
    data_cmd!("hsetnx", 4, WRITE, hsetnx),
    data_cmd!("hstrlen", 3, READONLY, hstrlen),
    data_cmd!("hvals", 2, READONLY, hvals),
];

use crate::node::hash::Hash;
use crate::redis_util::string2ll;

/// The value of `field` in the hash at `key`, after a write lookup.
fn field_value(c: &mut Call, key: &[u8], field: &[u8]) -> Option<Vec<u8>> {
    match c.db().get(key).map(|e| &e.value) {
        Some(Value::Hash(h)) => h.get(field).cloned(),
        _ => None,
    }
}

/// `HSET key field value [field value ...]`: how many fields are new.
/// `HMSET` (same code in Redis, told apart by the name's second letter): OK.
fn hset(c: &mut Call) -> Reply {
    if c.argv.len() % 2 == 1 {
        let name = String::from_utf8_lossy(&c.argv[0]).to_ascii_lowercase();
        return errors::arity(&name);
    }
    let key = c.argv[1].clone();
    if let Err(e) = typed::lookup_write::<Hash>(c, &key) {
        return e;
    }
    let pairs = c.argv[2..].to_vec();
    let hash = typed::get_mut::<Hash>(c, &key);
    let mut created = 0;
    for pair in pairs.chunks(2) {
        if hash.insert(pair[0].clone(), pair[1].clone()).is_none() {
            created += 1;
        }
    }
    c.dirty += (c.argv.len() as u64 - 2) / 2;
    if c.argv[0]
        .get(1)
        .is_some_and(|b| b.eq_ignore_ascii_case(&b's'))
    {
        Reply::Integer(created)
    } else {
        Reply::ok()
    }
}

/// `HSETNX key field value`: 1 if set, 0 if the field existed.
fn hsetnx(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    let (field, value) = (c.argv[2].clone(), c.argv[3].clone());
    if let Err(e) = typed::lookup_write::<Hash>(c, &key) {
        return e;
    }
    if field_value(c, &key, &field).is_some() {
        return Reply::Integer(0);
    }
    typed::get_mut::<Hash>(c, &key).insert(field, value);
    c.dirty += 1;
    Reply::Integer(1)
}

/// `HGET key field`: nil if either is missing.
fn hget(c: &mut Call) -> Reply {
    let (key, field) = (c.argv[1].clone(), c.argv[2].clone());
    typed::read::<Hash, _>(c, &key, |h| {
        h.and_then(|h| h.get(&field).cloned())
            .map_or(Reply::Nil, Reply::Bulk)
    })
    .unwrap_or_else(|e| e)
}

/// `HMGET key field [field ...]`: one value or nil per field.
fn hmget(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    let fields = c.argv[2..].to_vec();
    typed::read::<Hash, _>(c, &key, |h| {
        let value = |f: &Vec<u8>| h.and_then(|h| h.get(f).cloned());
        Reply::Array(
            fields
                .iter()
                .map(|f| value(f).map_or(Reply::Nil, Reply::Bulk))
                .collect(),
        )
    })
    .unwrap_or_else(|e| e)
}

/// `HDEL key field [field ...]`: how many were removed.
fn hdel(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    match typed::lookup_write::<Hash>(c, &key) {
        Ok(true) => {}
        Ok(false) => return Reply::Integer(0),
        Err(e) => return e,
    }
    let fields = c.argv[2..].to_vec();
    let hash = typed::get_mut::<Hash>(c, &key);
    let mut deleted = 0;
    for f in &fields {
        if hash.remove(f).is_some() {
            deleted += 1;
            // Redis stops once the hash is empty (and the key deleted).
            if hash.is_empty() {
                break;
            }
        }
    }
    typed::drop_if_empty::<Hash>(c, &key);
    c.dirty += deleted;
    Reply::Integer(deleted as i64)
}

/// `HLEN key`.
fn hlen(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    typed::read::<Hash, _>(c, &key, |h| Reply::Integer(h.map_or(0, |h| h.len() as i64)))
        .unwrap_or_else(|e| e)
}

/// `HEXISTS key field`.
fn hexists(c: &mut Call) -> Reply {
    let (key, field) = (c.argv[1].clone(), c.argv[2].clone());
    typed::read::<Hash, _>(c, &key, |h| {
        Reply::Integer(h.is_some_and(|h| h.contains_key(&field)) as i64)
    })
    .unwrap_or_else(|e| e)
}

/// `HSTRLEN key field`: 0 if either is missing.
fn hstrlen(c: &mut Call) -> Reply {
    let (key, field) = (c.argv[1].clone(), c.argv[2].clone());
    typed::read::<Hash, _>(c, &key, |h| {
        let len = h.and_then(|h| h.get(&field)).map_or(0, |v| v.len());
        Reply::Integer(len as i64)
    })
    .unwrap_or_else(|e| e)
}

/// `HGETALL key`: field, value, field, value ... in the hash's order.
fn hgetall(c: &mut Call) -> Reply {
    hash_dump(c, true, true)
}

/// `HKEYS key`.
fn hkeys(c: &mut Call) -> Reply {
    hash_dump(c, true, false)
}

/// `HVALS key` (in the hash's order).
fn hvals(c: &mut Call) -> Reply {
    hash_dump(c, false, true)
}

/// The fields and/or values of a hash as a flat array.
fn hash_dump(c: &mut Call, fields: bool, values: bool) -> Reply {
    let key = c.argv[1].clone();
    typed::read::<Hash, _>(c, &key, |h| {
        let mut out = Vec::new();
        for (f, v) in h.into_iter().flat_map(Hash::iter) {
            if fields {
                out.push(Reply::Bulk(f.clone()));
            }
            if values {
                out.push(Reply::Bulk(v.clone()));
            }
        }
        Reply::Array(out)
    })
    .unwrap_or_else(|e| e)
}

/// `HINCRBY key field increment`: a missing field counts as 0.
fn hincrby(c: &mut Call) -> Reply {
    let by = match i64_or_reply(&c.argv[3]) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let (key, field) = (c.argv[1].clone(), c.argv[2].clone());
    let old = match typed::lookup_write::<Hash>(c, &key) {
        Ok(_) => field_value(c, &key, &field),
        Err(e) => return e,
    };
    let value = match old {
        None => 0,
        Some(v) => match string2ll(&v) {
            Some(v) => v,
            None => return Reply::err("ERR hash value is not an integer"),
        },
    };
    let Some(new) = value.checked_add(by) else {
        return Reply::err("ERR increment or decrement would overflow");
    };
    typed::get_mut::<Hash>(c, &key).insert(field, new.to_string().into_bytes());
    c.dirty += 1;
    Reply::Integer(new)
}

/// `HINCRBYFLOAT key field increment`: Redis's 80-bit arithmetic, as INCRBYFLOAT;
/// propagated as `HSET key field <result>`.
fn hincrbyfloat(c: &mut Call) -> Reply {
    let Some(by) = string2ld(&c.argv[3]) else {
        return errors::not_float();
    };
    if matches!(by, LongDouble::Inf { .. }) {
        return Reply::err("ERR value is NaN or Infinity");
    }
    let (key, field) = (c.argv[1].clone(), c.argv[2].clone());
    let old = match typed::lookup_write::<Hash>(c, &key) {
        Ok(_) => field_value(c, &key, &field),
        Err(e) => return e,
    };
    let value = match old {
        None => LongDouble::zero(false),
        Some(v) => match string2ld(&v) {
            Some(v) => v,
            None => return Reply::err("ERR hash value is not a float"),
        },
    };
    let Some(sum) = value.checked_add(by) else {
        return errors::nan_or_infinity();
    };
    let text = sum.to_human().into_bytes();
    typed::get_mut::<Hash>(c, &key).insert(field.clone(), text.clone());
    c.dirty += 1;
    c.argv = vec![b"HSET".to_vec(), key, field, text.clone()];
    Reply::Bulk(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::cmd::testing::{run, strs};
    use crate::node::keyspace::Keyspace;

    #[test]
    fn replies_and_propagation() {
        let mut ks = Keyspace::new(16);
        let o = run(&mut ks, 0, &["hset", "h", "a", "1", "b", "2"]);
        assert_eq!(o.reply, Reply::Integer(2));
        // HMSET is the same command with another reply.
        assert_eq!(
            run(&mut ks, 0, &["HMSET", "h", "a", "3"]).reply,
            Reply::ok()
        );
        let o = run(&mut ks, 0, &["HINCRBYFLOAT", "h", "a", "0.5"]);
        assert_eq!(o.reply, Reply::Bulk(b"3.5".to_vec()));
        assert_eq!(o.propagated, strs(&["HSET", "h", "a", "3.5"]));
        assert_eq!(run(&mut ks, 0, &["HDEL", "h", "zz"]).propagated, None);
        assert_eq!(
            run(&mut ks, 0, &["HINCRBY", "h", "a", "1"]).reply,
            Reply::err("ERR hash value is not an integer")
        );
        assert_eq!(
            run(&mut ks, 0, &["HSET", "h", "a"]).reply,
            errors::arity("hset")
        );
        // The hash goes away with its last field.
        assert_eq!(
            run(&mut ks, 0, &["HDEL", "h", "a", "b", "a"]).reply,
            Reply::Integer(2)
        );
        assert!(ks.dbs[0].is_empty());
    }
}
