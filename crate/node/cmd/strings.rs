//! String commands: SET and friends, GET and friends, counters.

use super::flags::*;
use super::{errors, parse_i64, Call, CommandSpec, Handler};
use crate::node::keyspace::Value;
use crate::resp::Value as Reply;

/// The string commands.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "get",
        arity: 2,
        flags: READONLY | FAST,
        handler: Handler::Data(get),
    },
    CommandSpec {
        name: "set",
        arity: -3,
        flags: WRITE | DENYOOM,
        handler: Handler::Data(set),
    },
];

const NX: u32 = 1;
const XX: u32 = 1 << 1;
const EX: u32 = 1 << 2;
const PX: u32 = 1 << 3;
const KEEPTTL: u32 = 1 << 4;
const GET: u32 = 1 << 5;
const EXAT: u32 = 1 << 6;
const PXAT: u32 = 1 << 7;

/// `GET key`.
fn get(c: &mut Call) -> Reply {
    let key = c.argv[1].clone();
    get_generic(c, &key).unwrap_or_else(|e| e)
}

/// Redis's `getGenericCommand`: the string value, nil, or WRONGTYPE (as Err).
fn get_generic(c: &mut Call, key: &[u8]) -> Result<Reply, Reply> {
    match c.lookup_read(key) {
        None => Ok(Reply::Nil),
        Some(e) => match &e.value {
            Value::Str(s) => Ok(Reply::Bulk(s.clone())),
            _ => Err(errors::wrong_type()),
        },
    }
}

/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]`.
fn set(c: &mut Call) -> Reply {
    let mut flags = 0u32;
    let mut expire: Option<(Vec<u8>, bool)> = None; // (argument, unit is seconds)
    let mut j = 3;
    while j < c.argv.len() {
        let opt = c.argv[j].to_ascii_uppercase();
        let has_next = j + 1 < c.argv.len();
        let ttl_set = flags & (EX | PX | EXAT | PXAT | KEEPTTL) != 0;
        match opt.as_slice() {
            b"NX" if flags & XX == 0 => flags |= NX,
            b"XX" if flags & NX == 0 => flags |= XX,
            b"GET" => flags |= GET,
            b"KEEPTTL" if !ttl_set => flags |= KEEPTTL,
            b"EX" | b"PX" | b"EXAT" | b"PXAT" if !ttl_set && has_next => {
                flags |= match opt.as_slice() {
                    b"EX" => EX,
                    b"PX" => PX,
                    b"EXAT" => EXAT,
                    _ => PXAT,
                };
                let seconds = matches!(opt.as_slice(), b"EX" | b"EXAT");
                expire = Some((c.argv[j + 1].clone(), seconds));
                j += 1;
            }
            _ => return errors::syntax(),
        }
        j += 1;
    }
    let key = c.argv[1].clone();
    let val = c.argv[2].clone();
    set_generic(c, flags, &key, &val, expire, Reply::ok(), Reply::Nil)
}

/// Redis's `setGenericCommand`, shared by SET, SETNX, SETEX, PSETEX, GETSET.
pub(crate) fn set_generic(
    c: &mut Call,
    flags: u32,
    key: &[u8],
    val: &[u8],
    expire: Option<(Vec<u8>, bool)>,
    ok_reply: Reply,
    abort_reply: Reply,
) -> Reply {
    let mut when_ms = None;
    if let Some((arg, seconds)) = &expire {
        match expire_ms_or_reply(c, arg, *seconds, flags & (EX | PX) != 0) {
            Ok(ms) => when_ms = Some(ms),
            Err(e) => return e,
        }
    }
    let mut old = None;
    if flags & GET != 0 {
        match get_generic(c, key) {
            Ok(v) => old = Some(v),
            Err(e) => return e,
        }
    }
    let found = c.lookup_write(key).is_some();
    if (flags & NX != 0 && found) || (flags & XX != 0 && !found) {
        return old.unwrap_or(abort_reply);
    }
    c.db()
        .set(key, Value::Str(val.to_vec()), flags & KEEPTTL != 0);
    c.dirty += 1;
    if let Some(ms) = when_ms {
        c.db().set_expire(key, Some(ms));
        // Propagate as SET key value PXAT <absolute ms>, whatever form was used.
        c.argv = vec![
            b"SET".to_vec(),
            key.to_vec(),
            val.to_vec(),
            b"PXAT".to_vec(),
            ms.to_string().into_bytes(),
        ];
    } else if flags & GET != 0 {
        // Propagate without the GET argument(s).
        let argv = std::mem::take(&mut c.argv);
        c.argv = argv
            .into_iter()
            .enumerate()
            .filter(|(i, a)| *i < 3 || !a.eq_ignore_ascii_case(b"GET"))
            .map(|(_, a)| a)
            .collect();
    }
    old.unwrap_or(ok_reply)
}

/// Redis's `getExpireMillisecondsOrReply`: the absolute expiry in ms, or the error reply.
fn expire_ms_or_reply(c: &Call, arg: &[u8], seconds: bool, relative: bool) -> Result<i64, Reply> {
    let Some(mut ms) = parse_i64(arg) else {
        return Err(errors::not_integer());
    };
    let name = String::from_utf8_lossy(&c.argv[0]).to_ascii_lowercase();
    let bad = || Reply::err(format!("ERR invalid expire time in '{name}' command"));
    if ms <= 0 || (seconds && ms > i64::MAX / 1000) {
        return Err(bad());
    }
    if seconds {
        ms *= 1000;
    }
    if relative {
        ms = ms.wrapping_add(c.now_ms);
    }
    if ms <= 0 {
        return Err(bad());
    }
    Ok(ms)
}
