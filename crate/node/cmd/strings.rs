//! String commands: SET and its variants, GET and its variants, ranges, counters.
//!
//! Propagation follows Redis 7.0: every form that sets a TTL goes out as
//! `SET key value PXAT <ms>`, GETSET as SET, GETDEL as DEL, GETEX as
//! PEXPIREAT/PERSIST/DEL, INCRBYFLOAT as `SET key <result> KEEPTTL`; a command
//! that changed nothing (a failed NX, GETEX without options) is not propagated.

use super::flags::*;
use super::{arg_is, errors, i64_or_reply, Call, CommandSpec};
use crate::node::keyspace::Value;
use crate::redis_util::long_double::{string2ld, LongDouble};
use crate::redis_util::string2ll;
use crate::resp::Value as Reply;

/// The string commands (arities and flags from Redis 7.0's command table).
pub const COMMANDS: &[CommandSpec] = &[
    data_cmd!("append", 3, WRITE, append),
    data_cmd!("decr", 2, WRITE, decr),
    data_cmd!("decrby", 3, WRITE, decrby),
    data_cmd!("get", 2, READONLY, get),
    data_cmd!("getdel", 2, WRITE, getdel),
    data_cmd!("getex", -2, WRITE, getex),
    data_cmd!("getrange", 4, READONLY, getrange),
    data_cmd!("getset", 3, WRITE, getset),
    data_cmd!("incr", 2, WRITE, incr),
    data_cmd!("incrby", 3, WRITE, incrby),
    data_cmd!("incrbyfloat", 3, WRITE, incrbyfloat),
    data_cmd!("mget", -2, READONLY, mget),
    data_cmd!("mset", -3, WRITE, mset),
    data_cmd!("msetnx", -3, WRITE, msetnx),
    data_cmd!("psetex", 4, WRITE, psetex),
    data_cmd!("set", -3, WRITE, set),
    data_cmd!("setex", 4, WRITE, setex),
    data_cmd!("setnx", 3, WRITE, setnx),
    data_cmd!("setrange", 4, WRITE, setrange),
    data_cmd!("strlen", 2, READONLY, strlen),
    data_cmd!("substr", 4, READONLY, getrange),
];

// Flags of SET and GETEX (Redis's OBJ_* flags).
const NX: u32 = 1;
const XX: u32 = 1 << 1;
const EX: u32 = 1 << 2;
const PX: u32 = 1 << 3;
const KEEPTTL: u32 = 1 << 4;
const GET: u32 = 1 << 5;
const EXAT: u32 = 1 << 6;
const PXAT: u32 = 1 << 7;
const PERSIST: u32 = 1 << 8;
const ANY_EXPIRE: u32 = EX | PX | EXAT | PXAT;

/// An expire argument and its unit, as the user gave it.
struct ExpireArg {
    /// The number, unparsed.
    arg: Vec<u8>,
    /// Seconds (EX, EXAT) rather than milliseconds (PX, PXAT).
    seconds: bool,
}

/// `GET key`.
fn get(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    get_generic(c, &key).unwrap_or_else(|e| e)
}

/// Redis's `getGenericCommand`: the string value or nil; WRONGTYPE as Err.
fn get_generic(c: &mut Call, key: &[u8]) -> Result<Reply, Reply> {
    match c.lookup_read(key) {
        None => Ok(Reply::Nil),
        Some(e) => match &e.value {
            Value::Str(s) => Ok(Reply::Bulk(s.clone())),
            _ => Err(errors::wrong_type()),
        },
    }
}

/// The string at `key` for writing: None if missing, WRONGTYPE if not a string.
fn lookup_write_str(c: &mut Call, key: &[u8]) -> Result<Option<Vec<u8>>, Reply> {
    match c.lookup_write(key) {
        None => Ok(None),
        Some(e) => match &e.value {
            Value::Str(s) => Ok(Some(s.clone())),
            _ => Err(errors::wrong_type()),
        },
    }
}

/// The string at `key` for reading: None if missing, WRONGTYPE if not a string.
fn lookup_read_str(c: &mut Call, key: &[u8]) -> Result<Option<Vec<u8>>, Reply> {
    match c.lookup_read(key) {
        None => Ok(None),
        Some(e) => match &e.value {
            Value::Str(s) => Ok(Some(s.clone())),
            _ => Err(errors::wrong_type()),
        },
    }
}

/// Redis's `parseExtendedStringArgumentsOrReply`: the options of SET (from
/// argument 3: NX XX GET KEEPTTL EX PX EXAT PXAT) or of GETEX (from argument 2:
/// PERSIST EX PX EXAT PXAT). Conflicting or unknown options are a syntax error.
fn parse_string_options(c: &Call, for_getex: bool) -> Result<(u32, Option<ExpireArg>), Reply> {
    let mut flags = 0u32;
    let mut expire = None;
    let mut j = if for_getex { 2 } else { 3 };
    while j < c.argv.len() {
        let opt = &c.argv[j];
        let next = c.argv.get(j + 1);
        let is_set = !for_getex;
        if arg_is(opt, "nx") && flags & XX == 0 && is_set {
            flags |= NX;
        } else if arg_is(opt, "xx") && flags & NX == 0 && is_set {
            flags |= XX;
        } else if arg_is(opt, "get") && is_set {
            flags |= GET;
        } else if arg_is(opt, "keepttl") && flags & (PERSIST | ANY_EXPIRE) == 0 && is_set {
            flags |= KEEPTTL;
        } else if arg_is(opt, "persist") && for_getex && flags & (ANY_EXPIRE | KEEPTTL) == 0 {
            flags |= PERSIST;
        } else if let (Some(unit), Some(next)) = (expire_option(opt), next) {
            // Any one of EX/PX/EXAT/PXAT, and none with KEEPTTL or PERSIST (a repeat
            // of the same one is allowed: the last value wins).
            if flags & (KEEPTTL | PERSIST | (ANY_EXPIRE & !unit)) != 0 {
                return Err(errors::syntax());
            }
            flags |= unit;
            expire = Some(ExpireArg {
                arg: next.clone(),
                seconds: unit & (EX | EXAT) != 0,
            });
            j += 1;
        } else {
            return Err(errors::syntax());
        }
        j += 1;
    }
    Ok((flags, expire))
}

/// The flag of an expire option name, if it is one.
fn expire_option(opt: &[u8]) -> Option<u32> {
    [("ex", EX), ("px", PX), ("exat", EXAT), ("pxat", PXAT)]
        .into_iter()
        .find(|(name, _)| arg_is(opt, name))
        .map(|(_, flag)| flag)
}

/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]`.
fn set(c: &mut Call) -> Reply {
    // Natively, a plain `SET key value` (every replicated write) skips the option
    // parser, which would find no option, and a live or missing key is stored here
    // ([`set_generic`]'s first path without its options); an expired one takes the
    // general path (the attempt here changed nothing).
    if cfg!(not(target_arch = "wasm32")) && c.argv.len() == 3 {
        let mut argv = std::mem::take(&mut c.argv);
        let (take, now) = (c.from_master, c.now_ms);
        let (key, value) = argv.split_at_mut(2);
        let done = c
            .db()
            .overwrite_live_str(&key[1], &mut value[0], take, false, now, true);
        c.argv = argv;
        if done {
            c.dirty += 1;
            return Reply::ok();
        }
        return set_generic(c, 0, 2, None, Reply::ok, || Reply::Nil);
    }
    let (flags, expire) = match parse_string_options(c, false) {
        Ok(v) => v,
        Err(e) => return e,
    };
    set_generic(c, flags, 2, expire, Reply::ok, || Reply::Nil)
}

/// `SETNX key value`: 1 if set, 0 if the key existed.
fn setnx(c: &mut Call) -> Reply {
    set_generic(c, NX, 2, None, || Reply::Integer(1), || Reply::Integer(0))
}

/// `SETEX key seconds value`.
fn setex(c: &mut Call) -> Reply {
    let expire = ExpireArg {
        arg: c.argv[2].clone(),
        seconds: true,
    };
    set_generic(c, EX, 3, Some(expire), Reply::ok, || Reply::Nil)
}

/// `PSETEX key milliseconds value`.
fn psetex(c: &mut Call) -> Reply {
    let expire = ExpireArg {
        arg: c.argv[2].clone(),
        seconds: false,
    };
    set_generic(c, PX, 3, Some(expire), Reply::ok, || Reply::Nil)
}

/// Redis's `setGenericCommand`, shared by SET, SETNX, SETEX and PSETEX: the key is
/// argument 1, the value argument `val_at`.
///
/// # Returns
/// What `ok_reply` makes when set, `abort_reply` when NX/XX stopped it (made only then:
/// nothing to drop on the usual path), the old value
/// instead of either with GET, or the error.
fn set_generic(
    c: &mut Call,
    flags: u32,
    val_at: usize,
    expire: Option<ExpireArg>,
    ok_reply: fn() -> Reply,
    abort_reply: fn() -> Reply,
) -> Reply {
    let mut when_ms = None;
    if let Some(e) = &expire {
        match expire_ms_or_reply(c, &e.arg, e.seconds, flags & (EX | PX) != 0) {
            Ok(ms) => when_ms = Some(ms),
            Err(e) => return e,
        }
    }
    // The arguments are lent out while the keyspace is written (both are `c`'s).
    let mut argv = std::mem::take(&mut c.argv);
    let mut old = None;
    if flags & GET != 0 {
        match get_generic(c, &argv[1]) {
            Ok(v) => old = Some(v),
            Err(e) => {
                c.argv = argv;
                return e;
            }
        }
    }
    if c.profile.set_past_deadline_deletes && when_ms.is_some_and(|ms| c.already_expired(ms)) {
        // Valkey: a deadline already past stores nothing; an existing key is
        // deleted as if it had expired (after NX/XX, which still decide).
        let key = argv[1].clone();
        let found = c.exists_for_write(&key);
        c.argv = argv;
        if (flags & NX != 0 && found) || (flags & XX != 0 && !found) {
            return old.unwrap_or_else(abort_reply);
        }
        if found {
            c.delete_past_deadline(key);
        }
        return old.unwrap_or_else(ok_reply);
    }
    let keep_ttl = flags & KEEPTTL != 0;
    // The stored value takes the argument itself when nothing will read the
    // arguments again (our master's stream is proxied from its bytes, never
    // re-encoded), a copy when they are propagated.
    let take = c.from_master && when_ms.is_none() && flags & GET == 0;
    // A live key is found and overwritten in one lookup (what NX would refuse is
    // not tried); otherwise `lookupKeyWrite` (deleting an expired key) then `setKey`.
    let now = c.now_ms;
    // Without XX a missing key is simply stored (nothing to delete, no check).
    let done = flags & NX == 0 && {
        let (key, rest) = argv[1..].split_first_mut().expect("SET has a value");
        c.db().overwrite_live_str(
            key,
            &mut rest[val_at - 2],
            take,
            keep_ttl,
            now,
            flags & XX == 0,
        )
    };
    if !done {
        let key = &argv[1];
        let found = c.exists_for_write(key);
        if (flags & NX != 0 && found) || (flags & XX != 0 && !found) {
            c.argv = argv;
            return old.unwrap_or_else(abort_reply);
        }
        let value = Value::Str(if take {
            std::mem::take(&mut argv[val_at])
        } else {
            argv[val_at].clone()
        });
        c.db().set(&argv[1], value, keep_ttl);
    }
    c.dirty += 1;
    if let Some(ms) = when_ms {
        c.db().set_expire(&argv[1], Some(ms));
        c.remember_expire(c.db, &argv[1], Some(ms));
        if flags & PXAT != 0 && c.profile.set_pxat_verbatim {
            // 8.0 and Valkey: a deadline given as PXAT is absolute already, and the
            // command goes out as sent, NX/XX and GET included.
            c.argv = argv;
            return old.unwrap_or_else(ok_reply);
        }
        // Propagate as SET key value PXAT <absolute ms>, whatever form was used,
        // so that a replica (or an AOF replay) sets the same deadline.
        let mut argv = argv.into_iter();
        let key = argv.nth(1).unwrap_or_default();
        let val = argv.nth(val_at - 2).unwrap_or_default();
        c.argv = vec![
            b"SET".to_vec(),
            key,
            val,
            b"PXAT".to_vec(),
            ms.to_string().into_bytes(),
        ];
    } else if flags & GET != 0 {
        // Propagate without the GET argument(s): the replica has no one to answer.
        c.argv = argv
            .into_iter()
            .enumerate()
            .filter(|(i, a)| *i < 3 || !arg_is(a, "get"))
            .map(|(_, a)| a)
            .collect();
    } else {
        c.argv = argv;
    }
    old.unwrap_or_else(ok_reply)
}

/// Redis's `getExpireMillisecondsOrReply`: the absolute expiry in ms, or the error
/// reply. `relative` adds the current time (EX, PX).
fn expire_ms_or_reply(c: &Call, arg: &[u8], seconds: bool, relative: bool) -> Result<i64, Reply> {
    let mut ms = i64_or_reply(arg)?;
    let name = String::from_utf8_lossy(&c.argv[0]).to_ascii_lowercase();
    let bad = || Reply::err(format!("ERR invalid expire time in '{name}' command"));
    if ms <= 0 || (seconds && ms > i64::MAX / 1000) {
        return Err(bad());
    }
    if seconds {
        ms *= 1000;
    }
    if relative {
        // C adds without an overflow check and then tests the sign; wrapping is
        // the same arithmetic.
        ms = ms.wrapping_add(c.now_ms);
    }
    if ms <= 0 {
        return Err(bad());
    }
    Ok(ms)
}

/// `GETSET key value`: the old value; propagated as `SET key value`.
fn getset(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    let old = match get_generic(c, &key) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let val = c.argv[2].clone();
    c.db().set(&key, Value::Str(val), false);
    c.dirty += 1;
    c.argv[0] = b"SET".to_vec();
    old
}

/// `GETDEL key`: the value, and the key deleted; propagated as `DEL key`.
fn getdel(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    let old = match get_generic(c, &key) {
        Ok(v) => v,
        Err(e) => return e,
    };
    // Deleted even if a replica's read saw it as expired, as Redis does.
    if c.db().remove(&key).is_some() {
        c.argv = vec![b"DEL".to_vec(), key];
        c.dirty += 1;
    }
    old
}

/// `GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]`: the value, with its TTL
/// changed. Never propagated as GETEX: as `PEXPIREAT key <ms>`, `PERSIST key`, or
/// `DEL key` when the new deadline has already passed.
fn getex(c: &mut Call) -> Reply {
    let (flags, expire) = match parse_string_options(c, true) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let key = c.argv[1].clone();
    let value = match lookup_read_str(c, &key) {
        Ok(Some(v)) => v,
        Ok(None) => return Reply::Nil,
        Err(e) => return e,
    };
    // The expire time is checked only once the key is known to be a string.
    let mut when_ms = None;
    if let Some(e) = &expire {
        match expire_ms_or_reply(c, &e.arg, e.seconds, flags & (EX | PX) != 0) {
            Ok(ms) => when_ms = Some(ms),
            Err(e) => return e,
        }
    }
    let reply = Reply::Bulk(value);
    if let Some(ms) = when_ms {
        if flags & (EXAT | PXAT) != 0 && c.already_expired(ms) {
            c.delete_past_deadline(key);
        } else {
            c.db().set_expire(&key, Some(ms));
            c.remember_expire(c.db, &key, Some(ms));
            c.argv = vec![b"PEXPIREAT".to_vec(), key, ms.to_string().into_bytes()];
            c.dirty += 1;
        }
    } else if flags & PERSIST != 0 && c.db().get(&key).is_some_and(|e| e.expire_ms.is_some()) {
        c.db().set_expire(&key, None);
        c.argv = vec![b"PERSIST".to_vec(), key];
        c.dirty += 1;
    }
    reply
}

/// `MGET key [key ...]`: nil for missing keys and for keys that are not strings.
fn mget(c: &mut Call) -> Reply {
    let mut out = Vec::with_capacity(c.argv.len() - 1);
    for i in 1..c.argv.len() {
        let key = c.argv[i].clone();
        out.push(match c.lookup_read(&key).map(|e| &e.value) {
            Some(Value::Str(s)) => Reply::Bulk(s.clone()),
            _ => Reply::Nil,
        });
    }
    Reply::Array(out)
}

/// `MSET key value [key value ...]`; propagated as sent.
fn mset(c: &mut Call) -> Reply {
    mset_generic(c, false)
}

/// `MSETNX key value [key value ...]`: 1 if all were set, 0 (and nothing set) if
/// any key existed.
fn msetnx(c: &mut Call) -> Reply {
    mset_generic(c, true)
}

/// Redis's `msetGenericCommand`.
fn mset_generic(c: &mut Call, nx: bool) -> Reply {
    if c.argv.len().is_multiple_of(2) {
        return errors::arity(if nx { "msetnx" } else { "mset" });
    }
    if nx {
        for j in (1..c.argv.len()).step_by(2) {
            let key = c.argv[j].clone();
            if c.exists_for_write(&key) {
                return Reply::Integer(0);
            }
        }
    }
    for j in (1..c.argv.len()).step_by(2) {
        let (key, val) = (c.argv[j].clone(), c.argv[j + 1].clone());
        // `setKey` looks the key up first, so an expired one is deleted (and its DEL
        // propagated) before the new value goes in.
        c.exists_for_write(&key);
        c.db().set(&key, Value::Str(val), false);
    }
    c.dirty += (c.argv.len() as u64 - 1) / 2;
    if nx {
        Reply::Integer(1)
    } else {
        Reply::ok()
    }
}

/// `INCR key`.
fn incr(c: &mut Call) -> Reply {
    incr_decr(c, 1)
}

/// `DECR key`.
fn decr(c: &mut Call) -> Reply {
    incr_decr(c, -1)
}

/// `INCRBY key increment`.
fn incrby(c: &mut Call) -> Reply {
    match i64_or_reply(&c.argv[2]) {
        Ok(n) => incr_decr(c, n),
        Err(e) => e,
    }
}

/// `DECRBY key decrement`.
fn decrby(c: &mut Call) -> Reply {
    match i64_or_reply(&c.argv[2]) {
        // Negating i64::MIN would overflow.
        Ok(i64::MIN) => Reply::err("ERR decrement would overflow"),
        Ok(n) => incr_decr(c, -n),
        Err(e) => e,
    }
}

/// Redis's `incrDecrCommand`: a missing key counts as 0; the TTL is kept.
fn incr_decr(c: &mut Call, by: i64) -> Reply {
    let key = c.argv[1].clone();
    let old = match lookup_write_str(c, &key) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let value = match old {
        None => 0,
        Some(s) => match string2ll(&s) {
            Some(v) => v,
            None => return errors::not_integer(),
        },
    };
    let Some(new) = value.checked_add(by) else {
        return Reply::err("ERR increment or decrement would overflow");
    };
    c.db()
        .set(&key, Value::Str(new.to_string().into_bytes()), true);
    c.dirty += 1;
    Reply::Integer(new)
}

/// `INCRBYFLOAT key increment`: computed in Redis's 80-bit `long double`;
/// propagated as `SET key <result> KEEPTTL` so replicas store the same text.
fn incrbyfloat(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    let old = match lookup_write_str(c, &key) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let value = match old {
        None => Some(LongDouble::zero(false)),
        Some(s) => string2ld(&s),
    };
    let (Some(value), Some(by)) = (value, string2ld(&c.argv[2])) else {
        return errors::not_float();
    };
    let Some(sum) = value.checked_add(by) else {
        return errors::nan_or_infinity();
    };
    let text = sum.to_human().into_bytes();
    c.db().set(&key, Value::Str(text.clone()), true);
    c.dirty += 1;
    c.argv = vec![b"SET".to_vec(), key, text.clone(), b"KEEPTTL".to_vec()];
    Reply::Bulk(text)
}

/// Redis's `checkStringLength`: a string may not grow past `proto-max-bulk-len`
/// (commands from the master are trusted).
fn check_string_length(c: &Call, size: usize, append: usize) -> Result<(), Reply> {
    let total = (size as u128) + (append as u128);
    if !c.from_master && total > c.proto_max_bulk_len.max(0) as u128 {
        return Err(Reply::err(
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
        ));
    }
    Ok(())
}

/// `APPEND key value`: the new length. The TTL is kept.
fn append(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    let add = c.argv[2].clone();
    let new = match lookup_write_str(c, &key) {
        Err(e) => return e,
        // A new key is created without a length check, as in Redis.
        Ok(None) => add,
        Ok(Some(mut s)) => {
            if let Err(e) = check_string_length(c, s.len(), add.len()) {
                return e;
            }
            s.extend_from_slice(&add);
            s
        }
    };
    let len = new.len() as i64;
    c.db().set(&key, Value::Str(new), true);
    c.dirty += 1;
    Reply::Integer(len)
}

/// `STRLEN key`: 0 for a missing key.
fn strlen(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    match lookup_read_str(c, &key) {
        Ok(v) => Reply::Integer(v.map_or(0, |s| s.len() as i64)),
        Err(e) => e,
    }
}

/// `SETRANGE key offset value`: the new length. Zero bytes pad a gap.
fn setrange(c: &mut Call) -> Reply {
    let offset = match i64_or_reply(&c.argv[2]) {
        Ok(v) => v,
        Err(e) => return e,
    };
    if offset < 0 {
        return Reply::err("ERR offset is out of range");
    }
    let key = c.argv[1].clone();
    let value = c.argv[3].clone();
    let old = match lookup_write_str(c, &key) {
        Ok(v) => v,
        Err(e) => return e,
    };
    // Setting nothing creates nothing and changes nothing.
    if value.is_empty() {
        return Reply::Integer(old.map_or(0, |s| s.len() as i64));
    }
    // Checked before allocating, so the offset is at most proto-max-bulk-len.
    if let Err(e) = check_string_length(c, offset as usize, value.len()) {
        return e;
    }
    let offset = offset as usize;
    let mut s = old.unwrap_or_default();
    if s.len() < offset + value.len() {
        s.resize(offset + value.len(), 0);
    }
    s[offset..offset + value.len()].copy_from_slice(&value);
    let len = s.len() as i64;
    c.db().set(&key, Value::Str(s), true);
    c.dirty += 1;
    Reply::Integer(len)
}

/// `GETRANGE key start end` (and its old name SUBSTR): inclusive, negative indexes
/// count from the end; an empty string when nothing is in range.
fn getrange(c: &mut Call) -> Reply {
    let (start, end) = match (i64_or_reply(&c.argv[2]), i64_or_reply(&c.argv[3])) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let key = c.argv[1].clone();
    let s = match lookup_read_str(c, &key) {
        Ok(Some(s)) => s,
        Ok(None) => return Reply::Bulk(Vec::new()),
        Err(e) => return e,
    };
    Reply::Bulk(byte_range(&s, start, end).to_vec())
}

/// The bytes GETRANGE returns, following Redis's index arithmetic.
fn byte_range(s: &[u8], start: i64, end: i64) -> &[u8] {
    let len = s.len() as i128;
    let (mut start, mut end) = (i128::from(start), i128::from(end));
    if start < 0 && end < 0 && start > end {
        return &[];
    }
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return &[];
    }
    &s[start as usize..=end as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::cmd::testing::{run, strs};

    const NOW: i64 = 1_767_225_600_000;

    #[test]
    fn writes_propagate_in_their_7_0_form() {
        let mut ks = crate::node::keyspace::Keyspace::new(16);
        let cases: &[(&[&str], Option<Vec<String>>)] = &[
            (
                &["set", "k", "v", "ex", "10"],
                strs(&["SET", "k", "v", "PXAT", "1767225610000"]),
            ),
            (
                &["SET", "k", "v", "GET", "XX", "get"],
                strs(&["SET", "k", "v", "XX"]),
            ),
            (&["SET", "k", "v", "NX"], None),
            (
                &["SETEX", "k", "10", "v"],
                strs(&["SET", "k", "v", "PXAT", "1767225610000"]),
            ),
            (
                &["PSETEX", "k", "10", "v"],
                strs(&["SET", "k", "v", "PXAT", "1767225600010"]),
            ),
            (&["getset", "k", "w"], strs(&["SET", "k", "w"])),
            (&["GETEX", "k"], None),
            (
                &["GETEX", "k", "EX", "5"],
                strs(&["PEXPIREAT", "k", "1767225605000"]),
            ),
            (&["GETEX", "k", "PERSIST"], strs(&["PERSIST", "k"])),
            (&["GETEX", "k", "PERSIST"], None),
            (&["GETEX", "k", "EXAT", "1"], strs(&["DEL", "k"])),
            (&["GETDEL", "k"], None),
            (&["SET", "f", "1.1"], strs(&["SET", "f", "1.1"])),
            (
                &["INCRBYFLOAT", "f", "2.2"],
                strs(&["SET", "f", "3.3", "KEEPTTL"]),
            ),
            (
                &["MSET", "a", "1", "b", "2"],
                strs(&["MSET", "a", "1", "b", "2"]),
            ),
            (&["MSETNX", "a", "1", "c", "2"], None),
            (&["SETRANGE", "a", "0", ""], None),
            (&["APPEND", "a", ""], strs(&["APPEND", "a", ""])),
        ];
        for (args, want) in cases {
            assert_eq!(&run(&mut ks, NOW, args).propagated, want, "{args:?}");
        }
    }

    #[test]
    fn an_expired_key_is_deleted_first_and_its_del_propagated() {
        let mut ks = crate::node::keyspace::Keyspace::new(16);
        run(&mut ks, NOW, &["SET", "k", "5", "PXAT", "1000000000000"]);
        let o = run(&mut ks, NOW, &["INCR", "k"]);
        assert_eq!(o.reply, Reply::Integer(1));
        assert_eq!(o.also, vec![strs(&["DEL", "k"]).unwrap()]);
        assert_eq!(o.propagated, strs(&["INCR", "k"]));
        run(&mut ks, NOW, &["SET", "k", "5", "PXAT", "1000000000000"]);
        let o = run(&mut ks, NOW, &["GET", "k"]);
        assert_eq!((o.reply, o.propagated), (Reply::Nil, None));
        assert_eq!(o.also, vec![strs(&["DEL", "k"]).unwrap()]);
        // MSET too (its setKey looks each key up first): found by tests/random_commands.rs.
        run(&mut ks, NOW, &["SET", "k", "5", "PXAT", "1000000000000"]);
        let o = run(&mut ks, NOW, &["MSET", "j", "1", "k", "2"]);
        assert_eq!(o.also, vec![strs(&["DEL", "k"]).unwrap()]);
        assert_eq!(o.propagated, strs(&["MSET", "j", "1", "k", "2"]));
    }

    #[test]
    fn getrange_index_arithmetic() {
        let s = b"Hello World";
        assert_eq!(byte_range(s, 0, 4), b"Hello");
        assert_eq!(byte_range(s, -5, -1), b"World");
        assert_eq!(byte_range(s, -1, -5), b"");
        assert_eq!(byte_range(s, 5, 3), b"");
        assert_eq!(byte_range(s, 0, 100), s);
        assert_eq!(byte_range(s, -100, 2), b"Hel");
        assert_eq!(byte_range(s, i64::MIN, i64::MAX), s);
        assert_eq!(byte_range(b"", 0, -1), b"");
    }
}
