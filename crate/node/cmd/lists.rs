//! List commands: pushes, pops, moves (LMOVE, RPOPLPUSH), and reads by index or range.
//!
//! All are propagated as sent when they changed the list (a pop with a count of 0
//! or of a missing key changes nothing). A list left empty is deleted.

use super::flags::*;
use super::{errors, i64_or_reply, positive_or_reply, typed, Call, CommandSpec};
use crate::node::keyspace::Value;
use crate::resp::Value as Reply;
use std::collections::VecDeque;

type List = VecDeque<Vec<u8>>;

/// The list commands (arities and flags from Redis 7.0's command table).
pub const COMMANDS: &[CommandSpec] = &[
    data_cmd!("blpop", -3, WRITE, blpop),
    data_cmd!("brpop", -3, WRITE, brpop),
    data_cmd!("lindex", 3, READONLY, lindex),
    data_cmd!("llen", 2, READONLY, llen),
    data_cmd!("lmove", 5, WRITE, lmove),
    data_cmd!("lpop", -2, WRITE, lpop),
    data_cmd!("lpush", -3, WRITE, lpush),
    data_cmd!("lpushx", -3, WRITE, lpushx),
    data_cmd!("lrange", 4, READONLY, lrange),
    data_cmd!("rpop", -2, WRITE, rpop),
    data_cmd!("rpoplpush", 3, WRITE, rpoplpush),
    data_cmd!("rpush", -3, WRITE, rpush),
    data_cmd!("rpushx", -3, WRITE, rpushx),
];

/// Which end of the list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Head,
    Tail,
}

/// `LPUSH key element [element ...]`: the new length.
fn lpush(c: &mut Call) -> Reply {
    push_generic(c, End::Head, false)
}

/// `RPUSH key element [element ...]`: the new length.
fn rpush(c: &mut Call) -> Reply {
    push_generic(c, End::Tail, false)
}

/// `LPUSHX key element [element ...]`: like LPUSH, but only onto an existing list.
fn lpushx(c: &mut Call) -> Reply {
    push_generic(c, End::Head, true)
}

/// `RPUSHX key element [element ...]`: like RPUSH, but only onto an existing list.
fn rpushx(c: &mut Call) -> Reply {
    push_generic(c, End::Tail, true)
}

/// Redis's `pushGenericCommand`.
fn push_generic(c: &mut Call, end: End, only_existing: bool) -> Reply {
    let key = c.argv[1].clone();
    match typed::lookup_write::<List>(c, &key) {
        Err(e) => return e,
        Ok(false) if only_existing => return Reply::Integer(0),
        Ok(false) => c.db().set(&key, Value::List(Default::default()), false),
        Ok(true) => {}
    }
    let elements = c.argv[2..].to_vec();
    let n = elements.len() as u64;
    let list = typed::get_mut::<List>(c, &key);
    for e in elements {
        match end {
            End::Head => list.push_front(e),
            End::Tail => list.push_back(e),
        }
    }
    let len = list.len() as i64;
    c.dirty += n;
    Reply::Integer(len)
}

/// `LPOP key [count]`.
fn lpop(c: &mut Call) -> Reply {
    pop_generic(c, End::Head)
}

/// `RPOP key [count]`.
fn rpop(c: &mut Call) -> Reply {
    pop_generic(c, End::Tail)
}

/// Redis's `popGenericCommand`: one element as a bulk, or with a count an array
/// of up to that many in pop order; nil (nil array with a count) if missing.
fn pop_generic(c: &mut Call, end: End) -> Reply {
    let name = if end == End::Head { "lpop" } else { "rpop" };
    if c.argv.len() > 3 {
        return errors::arity(name);
    }
    let count = match c.argv.get(2).map(|a| positive_or_reply(a)) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(e)) => return e,
    };
    let key = c.argv[1].clone();
    match typed::lookup_write::<List>(c, &key) {
        Err(e) => return e,
        Ok(false) if count.is_some() => return Reply::NilArray,
        Ok(false) => return Reply::Nil,
        Ok(true) => {}
    }
    if count == Some(0) {
        return Reply::Array(Vec::new());
    }
    let list = typed::get_mut::<List>(c, &key);
    let n = count.map_or(1, |n| (n as usize).min(list.len()));
    let popped: Vec<Vec<u8>> = (0..n)
        .filter_map(|_| match end {
            End::Head => list.pop_front(),
            End::Tail => list.pop_back(),
        })
        .collect();
    if list.is_empty() {
        c.db().remove(&key);
    }
    c.dirty += popped.len() as u64;
    match count {
        None => popped.into_iter().next().map_or(Reply::Nil, Reply::Bulk),
        Some(_) => Reply::Array(popped.into_iter().map(Reply::Bulk).collect()),
    }
}

/// `LMOVE source destination LEFT|RIGHT LEFT|RIGHT`: the element moved, or nil if
/// the source is missing. Propagated as sent.
fn lmove(c: &mut Call) -> Reply {
    let side = |a: &[u8]| {
        if a.eq_ignore_ascii_case(b"left") {
            Ok(End::Head)
        } else if a.eq_ignore_ascii_case(b"right") {
            Ok(End::Tail)
        } else {
            Err(errors::syntax())
        }
    };
    let (from, to) = match (side(&c.argv[3]), side(&c.argv[4])) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    lmove_generic(c, from, to)
}

/// `RPOPLPUSH source destination`: `LMOVE source destination RIGHT LEFT`.
fn rpoplpush(c: &mut Call) -> Reply {
    lmove_generic(c, End::Tail, End::Head)
}

/// Redis's `lmoveGenericCommand`: the destination's type is checked before anything
/// moves; the source, left empty, is deleted (source = destination rotates).
fn lmove_generic(c: &mut Call, from: End, to: End) -> Reply {
    let (src, dst) = (c.argv[1].clone(), c.argv[2].clone());
    match typed::lookup_write::<List>(c, &src) {
        Err(e) => return e,
        Ok(false) => return Reply::Nil,
        Ok(true) => {}
    }
    if let Err(e) = typed::lookup_write::<List>(c, &dst) {
        return e;
    }
    let list = typed::get_mut::<List>(c, &src);
    let Some(value) = (match from {
        End::Head => list.pop_front(),
        End::Tail => list.pop_back(),
    }) else {
        return Reply::Nil;
    };
    let target = typed::get_mut::<List>(c, &dst);
    match to {
        End::Head => target.push_front(value.clone()),
        End::Tail => target.push_back(value.clone()),
    }
    typed::drop_if_empty::<List>(c, &src);
    c.dirty += 1;
    Reply::Bulk(value)
}

/// `BLPOP key [key ...] timeout`.
fn blpop(c: &mut Call) -> Reply {
    blocking_pop(c, End::Head)
}

/// `BRPOP key [key ...] timeout`.
fn brpop(c: &mut Call) -> Reply {
    blocking_pop(c, End::Tail)
}

/// Redis's `blockingPopGenericCommand`: pop from the first non-empty list, replying
/// `[key, value]` and propagating the plain `LPOP key` / `RPOP key` ("Replicate it
/// as an [LR]POP instead of B[LR]POP"); if all are empty, block until the timeout
/// (nil) — or reply nil at once where blocking is not allowed (inside MULTI).
///
/// The simulator has one client per node, so no other client can push while this
/// one waits: a blocked pop always ends by its timeout.
fn blocking_pop(c: &mut Call, end: End) -> Reply {
    let last = c.argv.len() - 1;
    let timeout_ms = match timeout_ms(&c.argv[last]) {
        Ok(t) => t,
        Err(e) => return e,
    };
    for i in 1..last {
        let key = c.argv[i].clone();
        match typed::lookup_write::<List>(c, &key) {
            Err(e) => return e,
            Ok(false) => continue,
            Ok(true) => {}
        }
        let list = typed::get_mut::<List>(c, &key);
        let value = match end {
            End::Head => list.pop_front(),
            End::Tail => list.pop_back(),
        }
        .expect("non-empty list");
        if list.is_empty() {
            c.db().remove(&key);
        }
        c.dirty += 1;
        let verb: &[u8] = if end == End::Head { b"LPOP" } else { b"RPOP" };
        c.argv = vec![verb.to_vec(), key.clone()];
        return Reply::Array(vec![Reply::Bulk(key), Reply::Bulk(value)]);
    }
    if c.deny_blocking {
        return Reply::NilArray;
    }
    c.block_ms = Some(timeout_ms);
    Reply::NilArray
}

/// Redis's `getTimeoutFromObjectOrReply` in seconds: a decimal (with an optional
/// exponent), `ceil(seconds * 1000)` ms; 0 waits forever.
fn timeout_ms(arg: &[u8]) -> Result<i64, Reply> {
    let bad = || Reply::err("ERR timeout is not a float or out of range");
    let s = std::str::from_utf8(arg).map_err(|_| bad())?;
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().map_err(|_| bad())?),
        None => (s, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(bad());
    }
    // value = m * 10^(exp - frac.len()); ms = ceil(value * 1000), exactly.
    let m: u128 = format!("{int}{frac}")
        .trim_start_matches('0')
        .parse()
        .unwrap_or(0);
    let shift = exp - frac.len() as i32 + 3;
    let ms: u128 = if shift >= 0 {
        m.checked_mul(10u128.checked_pow(shift as u32).ok_or_else(bad)?)
            .ok_or_else(bad)?
    } else {
        let d = 10u128.checked_pow((-shift) as u32).unwrap_or(u128::MAX);
        if neg {
            m / d // ceil of a negative value truncates toward zero
        } else {
            m.div_ceil(d)
        }
    };
    let ms = i64::try_from(ms).map_err(|_| bad())?;
    if neg && ms > 0 {
        return Err(Reply::err("ERR timeout is negative"));
    }
    Ok(ms)
}

/// `LLEN key`: 0 for a missing key.
fn llen(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    typed::read::<List, _>(c, &key, |l| Reply::Integer(l.map_or(0, |l| l.len() as i64)))
        .unwrap_or_else(|e| e)
}

/// `LINDEX key index`: negative indexes count from the tail; nil out of range.
fn lindex(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    let index = i64_or_reply(&c.argv[2]);
    // Redis checks the key before it parses the index.
    typed::read::<List, _>(c, &key, |list| {
        let Some(list) = list else {
            return Reply::Nil;
        };
        let index = match index {
            Ok(i) => i128::from(i),
            Err(e) => return e,
        };
        let i = if index < 0 {
            list.len() as i128 + index
        } else {
            index
        };
        usize::try_from(i)
            .ok()
            .and_then(|i| list.get(i))
            .map_or(Reply::Nil, |e| Reply::Bulk(e.clone()))
    })
    .unwrap_or_else(|e| e)
}

/// `LRANGE key start stop`: inclusive, negative indexes count from the tail.
fn lrange(c: &mut Call) -> Reply {
    let (start, stop) = match (i64_or_reply(&c.argv[2]), i64_or_reply(&c.argv[3])) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let key = c.argv[1].clone();
    typed::read::<List, _>(c, &key, |list| {
        let Some(list) = list else {
            return Reply::Array(Vec::new());
        };
        let (from, to) = list_range(list.len(), start, stop);
        Reply::Array(list.range(from..to).cloned().map(Reply::Bulk).collect())
    })
    .unwrap_or_else(|e| e)
}

/// Redis's `addListRangeReply` index arithmetic: the half-open range of
/// positions `[start, stop]` selects in a list of `len`.
fn list_range(len: usize, start: i64, stop: i64) -> (usize, usize) {
    let len = len as i128;
    let (mut start, mut stop) = (i128::from(start), i128::from(stop));
    if start < 0 {
        start += len;
    }
    if stop < 0 {
        stop += len;
    }
    start = start.max(0);
    if start > stop || start >= len {
        return (0, 0);
    }
    stop = stop.min(len - 1);
    (start as usize, stop as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_arithmetic_follows_redis() {
        assert_eq!(list_range(3, 0, -1), (0, 3));
        assert_eq!(list_range(3, -2, -1), (1, 3));
        assert_eq!(list_range(3, -100, 1), (0, 2));
        assert_eq!(list_range(3, 2, 1), (0, 0));
        assert_eq!(list_range(3, 3, 10), (0, 0));
        assert_eq!(list_range(3, 1, 100), (1, 3));
        assert_eq!(list_range(0, 0, -1), (0, 0));
        assert_eq!(list_range(3, i64::MIN, i64::MAX), (0, 3));
    }

    #[test]
    fn lmove_moves_rotates_and_checks_the_destination_first() {
        use crate::node::cmd::testing::{run, strs};
        use crate::node::keyspace::Keyspace;
        let mut ks = Keyspace::new(16);
        run(&mut ks, 0, &["rpush", "l", "a", "b"]);
        let o = run(&mut ks, 0, &["lmove", "l", "l", "left", "right"]);
        assert_eq!(o.reply, Reply::Bulk(b"a".to_vec()));
        assert_eq!(o.propagated, strs(&["lmove", "l", "l", "left", "right"]));
        run(&mut ks, 0, &["set", "s", "x"]);
        let o = run(&mut ks, 0, &["rpoplpush", "l", "s"]);
        assert!(matches!(o.reply, Reply::Error(_)));
        assert_eq!(o.propagated, None);
        assert_eq!(ks.dbs[0].len(), 2, "nothing popped");
        let o = run(&mut ks, 0, &["rpoplpush", "l", "d"]);
        assert_eq!(o.reply, Reply::Bulk(b"a".to_vec()));
        let o = run(&mut ks, 0, &["rpoplpush", "l", "d"]);
        assert_eq!(o.reply, Reply::Bulk(b"b".to_vec()));
        assert!(
            ks.dbs[0].get(b"l").is_none(),
            "an emptied source is deleted"
        );
        let o = run(&mut ks, 0, &["rpoplpush", "l", "d"]);
        assert_eq!((o.reply, o.propagated), (Reply::Nil, None));
    }
}
