//! Keyspace commands: DEL, EXISTS, TTLs and their expiry rules, KEYS, TYPE,
//! RENAME, COPY, MOVE, and the connection basics (PING, ECHO, SELECT).
//!
//! Propagation follows Redis 7.0: EXPIRE, PEXPIRE and EXPIREAT go out as
//! `PEXPIREAT key <ms>` (options kept), an expire time already past as `DEL key`,
//! and DEL, UNLINK, RENAME, COPY, MOVE, PERSIST as sent, but only when they
//! changed something.

use super::flags::*;
use super::{arg_is, errors, i32_or_reply, i64_or_reply, Call, CommandSpec};
use crate::redis_util::stringmatchlen;
use crate::resp::Value as Reply;

/// The keyspace commands (arities and flags from Redis 7.0's command table).
pub const COMMANDS: &[CommandSpec] = &[
    data_cmd!("copy", -3, WRITE, copy),
    data_cmd!("dbsize", 1, READONLY, dbsize),
    data_cmd!("del", -2, WRITE, del),
    data_cmd!("echo", 2, STALE, echo),
    data_cmd!("exists", -2, READONLY, exists),
    data_cmd!("expire", -3, WRITE, expire),
    data_cmd!("expireat", -3, WRITE, expireat),
    data_cmd!("expiretime", 2, READONLY, expiretime),
    data_cmd!("keys", 2, READONLY, keys),
    data_cmd!("move", 3, WRITE, move_command),
    data_cmd!("persist", 2, WRITE, persist),
    data_cmd!("pexpire", -3, WRITE, pexpire),
    data_cmd!("pexpireat", -3, WRITE, pexpireat),
    data_cmd!("pexpiretime", 2, READONLY, pexpiretime),
    // Not CMD_STALE in 7.0: a replica with `replica-serve-stale-data no` and no
    // master answers PING with -MASTERDOWN.
    data_cmd!("ping", -1, 0, ping),
    data_cmd!("pttl", 2, READONLY, pttl),
    data_cmd!("rename", 3, WRITE, rename),
    data_cmd!("renamenx", 3, WRITE, renamenx),
    data_cmd!("select", 2, STALE, select),
    data_cmd!("swapdb", 3, WRITE, swapdb),
    data_cmd!("touch", -2, READONLY, touch),
    data_cmd!("ttl", 2, READONLY, ttl),
    data_cmd!("type", 2, READONLY, type_command),
    data_cmd!("unlink", -2, WRITE, del),
];

/// `PING [message]`: PONG, or the message.
fn ping(c: &mut Call) -> Reply {
    match c.argv.len() {
        1 => Reply::Simple("PONG".into()),
        2 => Reply::Bulk(c.argv[1].clone()),
        _ => errors::arity("ping"),
    }
}

/// `ECHO message`.
fn echo(c: &mut Call) -> Reply {
    Reply::Bulk(c.argv[1].clone())
}

/// `SELECT index`: changes the client's database (never propagated itself; the
/// stream gets its own SELECT when a write lands in another database).
fn select(c: &mut Call) -> Reply {
    let id = match i32_or_reply(&c.argv[1]) {
        Ok(id) => id,
        Err(e) => return e,
    };
    match db_index(c, id) {
        Some(db) => {
            c.db = db;
            Reply::ok()
        }
        None => errors::db_out_of_range(),
    }
}

/// A database number if it exists (Redis's `selectDb` check).
fn db_index(c: &Call, id: i32) -> Option<usize> {
    usize::try_from(id).ok().filter(|&i| i < c.ks.dbs.len())
}

/// `SWAPDB index1 index2`: the two databases trade contents (keys and TTLs);
/// propagated as sent, even when both are the same.
fn swapdb(c: &mut Call) -> Reply {
    let index = |a: &[u8], which: &str| {
        crate::redis_util::string2ll(a)
            .and_then(|v| i32::try_from(v).ok())
            .ok_or_else(|| Reply::err(format!("ERR invalid {which} DB index")))
    };
    let (id1, id2) = match (index(&c.argv[1], "first"), index(&c.argv[2], "second")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let (Some(a), Some(b)) = (db_index(c, id1), db_index(c, id2)) else {
        return errors::db_out_of_range();
    };
    c.ks.dbs.swap(a, b);
    c.dirty += 1;
    Reply::ok()
}

/// `DBSIZE`: keys in the selected database, counting expired ones not yet deleted.
fn dbsize(c: &mut Call) -> Reply {
    Reply::Integer(c.db().len() as i64)
}

/// `DEL key [key ...]` and `UNLINK key [key ...]`: how many existed. Propagated
/// as sent if any was deleted.
fn del(c: &mut Call) -> Reply {
    let mut n = 0;
    for i in 1..c.argv.len() {
        let key = c.argv[i].clone();
        // An expired key is deleted (and its DEL propagated) by the expiry check
        // on a master; a replica deletes it here and counts it, as Redis does.
        c.expire_if_needed(&key, false);
        if c.db().remove(&key).is_some() {
            n += 1;
            c.dirty += 1;
        }
    }
    Reply::Integer(n)
}

/// `EXISTS key [key ...]`: how many of the arguments exist (repeats count).
fn exists(c: &mut Call) -> Reply {
    let mut n = 0;
    for i in 1..c.argv.len() {
        let key = c.argv[i].clone();
        if c.lookup_read(&key).is_some() {
            n += 1;
        }
    }
    Reply::Integer(n)
}

/// `TOUCH key [key ...]`: how many exist (the simulator keeps no access times).
fn touch(c: &mut Call) -> Reply {
    exists(c)
}

/// `TYPE key`: string, list, hash, set, or none.
fn type_command(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    let name = c.lookup_read(&key).map_or("none", |e| e.value.type_name());
    Reply::Simple(name.into())
}

/// `KEYS pattern`: the keys matching a glob, skipping logically expired ones
/// (without deleting them). In key order, where Redis replies in hash order.
fn keys(c: &mut Call) -> Reply {
    let pattern = c.argv[1].clone();
    // `*` alone takes Redis's shortcut, which also lists the empty key (the glob
    // matcher never matches an empty string).
    let all = pattern == b"*";
    let now = c.now_ms;
    let out = c
        .db()
        .iter()
        .filter(|(k, _)| all || stringmatchlen(&pattern, k, false))
        .filter(|(_, e)| e.expire_ms.is_none_or(|t| now <= t))
        .map(|(k, _)| Reply::Bulk(k.to_vec()))
        .collect();
    Reply::Array(out)
}

/// `EXPIRE key seconds [NX|XX|GT|LT]`.
fn expire(c: &mut Call) -> Reply {
    let now = c.now_ms;
    expire_generic(c, now, true)
}

/// `PEXPIRE key milliseconds [NX|XX|GT|LT]`.
fn pexpire(c: &mut Call) -> Reply {
    let now = c.now_ms;
    expire_generic(c, now, false)
}

/// `EXPIREAT key unix-seconds [NX|XX|GT|LT]`.
fn expireat(c: &mut Call) -> Reply {
    expire_generic(c, 0, true)
}

/// `PEXPIREAT key unix-ms [NX|XX|GT|LT]`.
fn pexpireat(c: &mut Call) -> Reply {
    expire_generic(c, 0, false)
}

const EXPIRE_NX: u32 = 1;
const EXPIRE_XX: u32 = 1 << 1;
const EXPIRE_GT: u32 = 1 << 2;
const EXPIRE_LT: u32 = 1 << 3;

/// Redis's `parseExtendedExpireArgumentsOrReply`: NX, XX, GT, LT after the time.
fn parse_expire_options(c: &Call) -> Result<u32, Reply> {
    let mut flags = 0;
    for opt in &c.argv[3..] {
        flags |= match () {
            _ if arg_is(opt, "nx") => EXPIRE_NX,
            _ if arg_is(opt, "xx") => EXPIRE_XX,
            _ if arg_is(opt, "gt") => EXPIRE_GT,
            _ if arg_is(opt, "lt") => EXPIRE_LT,
            _ => {
                // Redis prints the option as a C string.
                let text = String::from_utf8_lossy(crate::redis_util::cstr(opt));
                return Err(Reply::err(format!("ERR Unsupported option {text}")));
            }
        };
    }
    if flags & EXPIRE_NX != 0 && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT) != 0 {
        return Err(Reply::err(
            "ERR NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if flags & EXPIRE_GT != 0 && flags & EXPIRE_LT != 0 {
        return Err(Reply::err(
            "ERR GT and LT options at the same time are not compatible",
        ));
    }
    Ok(flags)
}

/// Redis's `expireGenericCommand`. `basetime_ms` is now for the relative forms
/// and 0 for the absolute ones; `seconds` gives the unit of the argument.
///
/// # Returns
/// 1 if the TTL was set (or the key deleted because the time has passed), 0 if the
/// key is missing or a condition failed.
fn expire_generic(c: &mut Call, basetime_ms: i64, seconds: bool) -> Reply {
    let flags = match parse_expire_options(c) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let mut when = match i64_or_reply(&c.argv[2]) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let name = String::from_utf8_lossy(&c.argv[0]).to_ascii_lowercase();
    let bad = || Reply::err(format!("ERR invalid expire time in '{name}' command"));
    // Negative times are allowed (they delete the key); only overflow is refused.
    if seconds {
        if !(i64::MIN / 1000..=i64::MAX / 1000).contains(&when) {
            return bad();
        }
        when *= 1000;
    }
    if when > i64::MAX - basetime_ms {
        return bad();
    }
    when += basetime_ms;

    let key = c.argv[1].clone();
    let Some(entry) = c.lookup_write(&key) else {
        return Reply::Integer(0);
    };
    // -1 stands for "no TTL", as in Redis's getExpire.
    let current = entry.expire_ms.unwrap_or(-1);
    let refused = (flags & EXPIRE_NX != 0 && current != -1)
        || (flags & EXPIRE_XX != 0 && current == -1)
        || (flags & EXPIRE_GT != 0 && (when <= current || current == -1))
        || (flags & EXPIRE_LT != 0 && current != -1 && when >= current);
    if refused {
        return Reply::Integer(0);
    }
    if c.already_expired(when) {
        c.delete_past_deadline(key);
        return Reply::Integer(1);
    }
    c.db().set_expire(&key, Some(when));
    c.remember_expire(c.db, &key, Some(when));
    c.dirty += 1;
    // Propagate as PEXPIREAT with an absolute time; the options stay, and a
    // PEXPIREAT keeps its own spelling.
    if !arg_is(&c.argv[0], "pexpireat") {
        c.argv[0] = b"PEXPIREAT".to_vec();
    }
    if basetime_ms != 0 || seconds {
        c.argv[2] = when.to_string().into_bytes();
    }
    Reply::Integer(1)
}

/// `TTL key`: seconds left (rounded), -1 without a TTL, -2 if missing.
fn ttl(c: &mut Call) -> Reply {
    ttl_generic(c, false, false)
}

/// `PTTL key`: milliseconds left, -1 without a TTL, -2 if missing.
fn pttl(c: &mut Call) -> Reply {
    ttl_generic(c, true, false)
}

/// `EXPIRETIME key`: the deadline in unix seconds, -1 / -2 as TTL.
fn expiretime(c: &mut Call) -> Reply {
    ttl_generic(c, false, true)
}

/// `PEXPIRETIME key`: the deadline in unix ms, -1 / -2 as TTL.
fn pexpiretime(c: &mut Call) -> Reply {
    ttl_generic(c, true, true)
}

/// Redis's `ttlGenericCommand`.
fn ttl_generic(c: &mut Call, output_ms: bool, output_abs: bool) -> Reply {
    let key = c.argv[1].clone();
    let now = c.now_ms;
    let Some(entry) = c.lookup_read(&key) else {
        return Reply::Integer(-2);
    };
    let Some(expire) = entry.expire_ms else {
        return Reply::Integer(-1);
    };
    let t = if output_abs { expire } else { expire - now }.max(0);
    Reply::Integer(if output_ms { t } else { (t + 500) / 1000 })
}

/// `PERSIST key`: 1 if a TTL was removed.
fn persist(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    match c.lookup_write(&key) {
        Some(e) if e.expire_ms.is_some() => {
            c.db().set_expire(&key, None);
            c.dirty += 1;
            Reply::Integer(1)
        }
        _ => Reply::Integer(0),
    }
}

/// `RENAME key newkey`.
fn rename(c: &mut Call) -> Reply {
    rename_generic(c, false)
}

/// `RENAMENX key newkey`: 0 if newkey exists.
fn renamenx(c: &mut Call) -> Reply {
    rename_generic(c, true)
}

/// Redis's `renameGenericCommand`: the value and its TTL move; an existing target
/// is overwritten (RENAME) or left alone (RENAMENX).
fn rename_generic(c: &mut Call, nx: bool) -> Reply {
    let (src, dst) = (c.argv[1].clone(), c.argv[2].clone());
    if !c.exists_for_write(&src) {
        return errors::no_such_key();
    }
    let done = if nx { Reply::Integer(1) } else { Reply::ok() };
    if src == dst {
        return if nx { Reply::Integer(0) } else { done };
    }
    if c.exists_for_write(&dst) {
        if nx {
            return Reply::Integer(0);
        }
        c.db().remove(&dst);
    }
    let Some(entry) = c.db().remove(&src) else {
        return errors::no_such_key();
    };
    c.db().set(&dst, entry.value, false);
    c.db().set_expire(&dst, entry.expire_ms);
    c.remember_expire(c.db, &dst, entry.expire_ms);
    c.dirty += 1;
    done
}

/// `COPY source destination [DB destination-db] [REPLACE]`: 1 if copied (value
/// and TTL), 0 if the source is missing or the target exists without REPLACE.
fn copy(c: &mut Call) -> Reply {
    let mut replace = false;
    let mut dst_db = c.db;
    let mut j = 3;
    while j < c.argv.len() {
        if arg_is(&c.argv[j], "replace") {
            replace = true;
        } else if arg_is(&c.argv[j], "db") && j + 1 < c.argv.len() {
            let id = match i32_or_reply(&c.argv[j + 1]) {
                Ok(id) => id,
                Err(e) => return e,
            };
            match db_index(c, id) {
                Some(db) => dst_db = db,
                None => return errors::db_out_of_range(),
            }
            j += 1;
        } else {
            return errors::syntax();
        }
        j += 1;
    }
    let (src, dst) = (c.argv[1].clone(), c.argv[2].clone());
    if dst_db == c.db && src == dst {
        return errors::same_object();
    }
    let Some(entry) = c.lookup_read(&src).cloned() else {
        return Reply::Integer(0);
    };
    let target_exists = c.in_db(dst_db, |c| c.exists_for_write(&dst));
    if target_exists && !replace {
        return Reply::Integer(0);
    }
    let target = &mut c.ks.dbs[dst_db];
    target.remove(&dst);
    target.set(&dst, entry.value, false);
    target.set_expire(&dst, entry.expire_ms);
    c.remember_expire(dst_db, &dst, entry.expire_ms);
    c.dirty += 1;
    Reply::Integer(1)
}

/// `MOVE key db`: 1 if moved (value and TTL) to the other database, 0 if missing
/// here or already there.
fn move_command(c: &mut Call) -> Reply {
    let id = match i32_or_reply(&c.argv[2]) {
        Ok(id) => id,
        Err(e) => return e,
    };
    let Some(dst_db) = db_index(c, id) else {
        return errors::db_out_of_range();
    };
    if dst_db == c.db {
        return errors::same_object();
    }
    let key = c.argv[1].clone();
    if !c.exists_for_write(&key) {
        return Reply::Integer(0);
    }
    if c.in_db(dst_db, |c| c.exists_for_write(&key)) {
        return Reply::Integer(0);
    }
    let Some(entry) = c.db().remove(&key) else {
        return Reply::Integer(0);
    };
    let target = &mut c.ks.dbs[dst_db];
    target.set(&key, entry.value, false);
    target.set_expire(&key, entry.expire_ms);
    c.remember_expire(dst_db, &key, entry.expire_ms);
    c.dirty += 1;
    Reply::Integer(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::cmd::testing::{run, strs};
    use crate::node::keyspace::{Keyspace, Value};

    const NOW: i64 = 1_767_225_600_000;

    #[test]
    fn swapdb_swaps_and_propagates_even_onto_itself() {
        let mut ks = Keyspace::new(16);
        ks.dbs[0].set(b"k", Value::Str(b"v".to_vec()), false);
        let o = run(&mut ks, NOW, &["swapdb", "0", "3"]);
        assert_eq!(o.propagated, strs(&["swapdb", "0", "3"]));
        assert!(ks.dbs[0].get(b"k").is_none() && ks.dbs[3].get(b"k").is_some());
        let o = run(&mut ks, NOW, &["swapdb", "2", "2"]);
        assert_eq!(o.propagated, strs(&["swapdb", "2", "2"]));
        let o = run(&mut ks, NOW, &["swapdb", "0", "16"]);
        assert_eq!(o.propagated, None);
        let o = run(&mut ks, NOW, &["swapdb", "x", "16"]);
        assert_eq!(
            o.reply,
            Reply::err("ERR invalid first DB index".to_string())
        );
    }

    #[test]
    fn expire_forms_propagate_as_pexpireat() {
        let mut ks = Keyspace::new(16);
        ks.dbs[0].set(b"k", Value::Str(b"v".to_vec()), false);
        let o = run(&mut ks, NOW, &["expire", "k", "100", "nx"]);
        assert_eq!(o.reply, Reply::Integer(1));
        assert_eq!(
            o.propagated,
            strs(&["PEXPIREAT", "k", "1767225700000", "nx"])
        );
        let o = run(&mut ks, NOW, &["pexpireat", "k", "1767225800000"]);
        assert_eq!(o.propagated, strs(&["pexpireat", "k", "1767225800000"]));
        let o = run(&mut ks, NOW, &["ExpireAt", "k", "1767225900", "GT"]);
        assert_eq!(
            o.propagated,
            strs(&["PEXPIREAT", "k", "1767225900000", "GT"])
        );
        let o = run(&mut ks, NOW, &["expire", "k", "50", "gt"]);
        assert_eq!((o.reply, o.propagated), (Reply::Integer(0), None));
        // A time in the past deletes the key, replies 1, and propagates DEL.
        let o = run(&mut ks, NOW, &["expire", "k", "-1"]);
        assert_eq!(
            (o.reply, o.propagated),
            (Reply::Integer(1), strs(&["DEL", "k"]))
        );
        assert!(ks.dbs[0].get(b"k").is_none());
    }

    #[test]
    fn expire_argument_errors() {
        let mut ks = Keyspace::new(16);
        let err = |s: &str| Reply::err(s);
        let cases: &[(&[&str], Reply)] = &[
            (
                &["expire", "k", "1", "foo"],
                err("ERR Unsupported option foo"),
            ),
            // Options are checked before the time.
            (
                &["expire", "k", "x", "foo"],
                err("ERR Unsupported option foo"),
            ),
            (
                &["expire", "k", "1", "nx", "xx"],
                err("ERR NX and XX, GT or LT options at the same time are not compatible"),
            ),
            (
                &["expire", "k", "1", "gt", "lt"],
                err("ERR GT and LT options at the same time are not compatible"),
            ),
            (&["expire", "k", "x"], errors::not_integer()),
            (
                &["expire", "k", "9223372036854776"],
                err("ERR invalid expire time in 'expire' command"),
            ),
            (
                &["pexpire", "k", "9223372036854775807"],
                err("ERR invalid expire time in 'pexpire' command"),
            ),
            (
                &["pexpireat", "k", "9223372036854775807"],
                Reply::Integer(0),
            ),
        ];
        for (args, want) in cases {
            assert_eq!(&run(&mut ks, NOW, args).reply, want, "{args:?}");
        }
    }

    #[test]
    fn ttl_rounds_to_the_nearest_second() {
        let mut ks = Keyspace::new(16);
        ks.dbs[0].set(b"k", Value::Str(b"v".to_vec()), false);
        ks.dbs[0].set_expire(b"k", Some(NOW + 1499));
        assert_eq!(run(&mut ks, NOW, &["ttl", "k"]).reply, Reply::Integer(1));
        assert_eq!(
            run(&mut ks, NOW, &["pttl", "k"]).reply,
            Reply::Integer(1499)
        );
        ks.dbs[0].set_expire(b"k", Some(NOW + 1500));
        assert_eq!(run(&mut ks, NOW, &["ttl", "k"]).reply, Reply::Integer(2));
        assert_eq!(
            run(&mut ks, NOW, &["ttl", "nokey"]).reply,
            Reply::Integer(-2)
        );
    }

    #[test]
    fn select_and_copy_parse_ints_like_redis() {
        let mut ks = Keyspace::new(16);
        let reply = |ks: &mut Keyspace, args: &[&str]| run(ks, 0, args).reply;
        assert_eq!(
            reply(&mut ks, &["select", "3000000000"]),
            Reply::err("ERR value is out of range, value must between -2147483648 and 2147483647")
        );
        assert_eq!(reply(&mut ks, &["select", "16"]), errors::db_out_of_range());
        assert_eq!(reply(&mut ks, &["select", "-1"]), errors::db_out_of_range());
        assert_eq!(reply(&mut ks, &["select", "x"]), errors::not_integer());
        assert_eq!(reply(&mut ks, &["copy", "a", "a"]), errors::same_object());
        assert_eq!(reply(&mut ks, &["copy", "a", "b", "db"]), errors::syntax());
    }

    #[test]
    fn keys_star_lists_the_empty_key_but_patterns_do_not() {
        let mut ks = Keyspace::new(16);
        for k in ["", "a", "ab"] {
            ks.dbs[0].set(k.as_bytes(), Value::Str(vec![]), false);
        }
        let keys = |ks: &mut Keyspace, p: &str| match run(ks, 0, &["keys", p]).reply {
            Reply::Array(v) => v.len(),
            other => panic!("{other:?}"),
        };
        assert_eq!(keys(&mut ks, "*"), 3);
        assert_eq!(keys(&mut ks, "**"), 2);
        assert_eq!(keys(&mut ks, "a?"), 1);
    }
}
