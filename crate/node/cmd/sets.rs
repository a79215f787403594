//! Set commands.
//!
//! Propagated as sent when they changed the set, except SPOP, which goes out as
//! SREM of what it popped (or DEL when it took the whole set). A set left empty is
//! deleted. SMEMBERS lists an intset's members in numeric order, as Redis does, and
//! a converted set's in sorted order where Redis uses hash order (see
//! [`crate::node::set`]); SPOP takes the first members in that order where Redis
//! takes random ones (the simulator's data commands get no random numbers).

use super::flags::*;
use super::{errors, positive_or_reply, typed, Call, CommandSpec, PropOp};
use crate::resp::Value as Reply;

/// The set commands (arities and flags from Redis 7.0's command table).
pub const COMMANDS: &[CommandSpec] = &[
    data_cmd!("sadd", -3, WRITE, sadd),
    data_cmd!("scard", 2, READONLY, scard),
    data_cmd!("sismember", 3, READONLY, sismember),
    data_cmd!("smembers", 2, READONLY, smembers),
    data_cmd!("smismember", -3, READONLY, smismember),
    data_cmd!("spop", -2, WRITE, spop),
    data_cmd!("srem", -3, WRITE, srem),
];

use crate::node::set::Set;

/// `SADD key member [member ...]`: how many are new.
fn sadd(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    if let Err(e) = typed::lookup_write::<Set>(c, &key) {
        return e;
    }
    let members = c.argv[2..].to_vec();
    let set = typed::get_mut::<Set>(c, &key);
    let added = members
        .into_iter()
        .filter(|m| set.insert(m.clone()))
        .count();
    c.dirty += added as u64;
    Reply::Integer(added as i64)
}

/// `SREM key member [member ...]`: how many were removed.
fn srem(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    match typed::lookup_write::<Set>(c, &key) {
        Ok(true) => {}
        Ok(false) => return Reply::Integer(0),
        Err(e) => return e,
    }
    let members = c.argv[2..].to_vec();
    let set = typed::get_mut::<Set>(c, &key);
    let mut deleted = 0;
    for m in &members {
        if set.remove(m) {
            deleted += 1;
            // Redis stops once the set is empty (and the key deleted).
            if set.is_empty() {
                break;
            }
        }
    }
    typed::drop_if_empty::<Set>(c, &key);
    c.dirty += deleted;
    Reply::Integer(deleted as i64)
}

/// `SMEMBERS key`, sorted.
fn smembers(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    typed::read::<Set, _>(c, &key, |s| {
        Reply::Array(
            s.map(Set::members)
                .unwrap_or_default()
                .into_iter()
                .map(Reply::Bulk)
                .collect(),
        )
    })
    .unwrap_or_else(|e| e)
}

/// `SCARD key`.
fn scard(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    typed::read::<Set, _>(c, &key, |s| Reply::Integer(s.map_or(0, |s| s.len() as i64)))
        .unwrap_or_else(|e| e)
}

/// `SISMEMBER key member`.
fn sismember(c: &mut Call) -> Reply {
    let (key, member) = (c.argv[1].clone(), c.argv[2].clone());
    typed::read::<Set, _>(c, &key, |s| {
        Reply::Integer(s.is_some_and(|s| s.contains(&member)) as i64)
    })
    .unwrap_or_else(|e| e)
}

/// `SMISMEMBER key member [member ...]`: 1 or 0 per member.
fn smismember(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    let members = c.argv[2..].to_vec();
    typed::read::<Set, _>(c, &key, |s| {
        let has = |m: &Vec<u8>| s.is_some_and(|s| s.contains(m));
        Reply::Array(
            members
                .iter()
                .map(|m| Reply::Integer(has(m) as i64))
                .collect(),
        )
    })
    .unwrap_or_else(|e| e)
}

/// `SPOP key [count]`: removes and returns members (the smallest, see the module
/// doc). Propagated as `SREM key member` per member, in one MULTI/EXEC when
/// several, or as `DEL key` when the count takes the whole set.
fn spop(c: &mut Call) -> Reply {
    match c.argv.len() {
        2 => spop_one(c),
        3 => spop_count(c),
        _ => errors::syntax(),
    }
}

/// SPOP without a count: a bulk, or nil.
fn spop_one(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    match typed::lookup_write::<Set>(c, &key) {
        Ok(true) => {}
        Ok(false) => return Reply::Nil,
        Err(e) => return e,
    }
    let Some(member) = typed::get_mut::<Set>(c, &key).pop_first() else {
        return Reply::Nil;
    };
    typed::drop_if_empty::<Set>(c, &key);
    c.argv = vec![b"SREM".to_vec(), key, member.clone()];
    c.dirty += 1;
    Reply::Bulk(member)
}

/// Redis's `spopWithCountCommand`: an array (empty for a missing key or 0).
fn spop_count(c: &mut Call) -> Reply {
    let count = match positive_or_reply(&c.argv[2]) {
        Ok(n) => n as usize,
        Err(e) => return e,
    };
    let key = c.argv[1].clone();
    match typed::lookup_write::<Set>(c, &key) {
        Ok(true) => {}
        Ok(false) => return Reply::Array(Vec::new()),
        Err(e) => return e,
    }
    if count == 0 {
        return Reply::Array(Vec::new());
    }
    let set = typed::get_mut::<Set>(c, &key);
    if count >= set.len() {
        let all = std::mem::take(set);
        c.dirty += all.len() as u64;
        c.db().remove(&key);
        c.argv = vec![b"DEL".to_vec(), key];
        return Reply::Array(all.members().into_iter().map(Reply::Bulk).collect());
    }
    let popped: Vec<Vec<u8>> = (0..count).filter_map(|_| set.pop_first()).collect();
    c.dirty += popped.len() as u64;
    // Redis propagates one SREM per member with alsoPropagate and suppresses the
    // SPOP itself; here all but the last go to also_propagate and the last takes
    // the place of the command, which gives the same stream.
    let srem = |m: &Vec<u8>| vec![b"SREM".to_vec(), key.clone(), m.clone()];
    if let Some((last, rest)) = popped.split_last() {
        for m in rest {
            let op = PropOp {
                db: c.db,
                argv: srem(m),
            };
            c.also_propagate.push(op);
        }
        c.argv = srem(last);
    }
    Reply::Array(popped.into_iter().map(Reply::Bulk).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::cmd::testing::{run, strs};
    use crate::node::keyspace::Keyspace;

    #[test]
    fn spop_propagates_as_srem_or_del() {
        let mut ks = Keyspace::new(16);
        run(&mut ks, 0, &["SADD", "s", "a", "b", "c", "d", "e"]);
        let o = run(&mut ks, 0, &["SPOP", "s"]);
        assert_eq!(o.reply, Reply::Bulk(b"a".to_vec()));
        assert_eq!(o.propagated, strs(&["SREM", "s", "a"]));
        // Several members: one SREM each (call() wraps them in MULTI/EXEC).
        let o = run(&mut ks, 0, &["SPOP", "s", "2"]);
        assert_eq!(o.also, vec![strs(&["SREM", "s", "b"]).unwrap()]);
        assert_eq!(o.propagated, strs(&["SREM", "s", "c"]));
        // The whole set: DEL.
        let o = run(&mut ks, 0, &["SPOP", "s", "5"]);
        assert_eq!(o.propagated, strs(&["DEL", "s"]));
        assert!(ks.dbs[0].is_empty());
        assert_eq!(run(&mut ks, 0, &["SPOP", "s", "0"]).propagated, None);
        assert_eq!(
            run(&mut ks, 0, &["SPOP", "s", "1", "2"]).reply,
            errors::syntax()
        );
        assert_eq!(
            run(&mut ks, 0, &["SPOP", "s", "x"]).reply,
            Reply::err("ERR value is out of range, must be positive")
        );
    }

    #[test]
    fn no_op_writes_are_not_propagated() {
        let mut ks = Keyspace::new(16);
        run(&mut ks, 0, &["SADD", "s", "a"]);
        assert_eq!(run(&mut ks, 0, &["SADD", "s", "a"]).propagated, None);
        assert_eq!(run(&mut ks, 0, &["SREM", "s", "z"]).propagated, None);
        assert_eq!(run(&mut ks, 0, &["SREM", "t", "z"]).propagated, None);
    }
}
