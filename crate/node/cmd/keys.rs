//! Keyspace commands: DEL, EXISTS, expiry, SELECT, and connection basics.

use super::flags::*;
use super::{errors, parse_i64, Call, CommandSpec, Handler};
use crate::resp::Value as Reply;

/// The keyspace commands.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "dbsize",
        arity: 1,
        flags: READONLY | FAST,
        handler: Handler::Data(dbsize),
    },
    CommandSpec {
        name: "del",
        arity: -2,
        flags: WRITE,
        handler: Handler::Data(del),
    },
    CommandSpec {
        name: "echo",
        arity: 2,
        flags: FAST,
        handler: Handler::Data(echo),
    },
    CommandSpec {
        name: "exists",
        arity: -2,
        flags: READONLY | FAST,
        handler: Handler::Data(exists),
    },
    CommandSpec {
        name: "ping",
        arity: -1,
        flags: FAST | STALE,
        handler: Handler::Data(ping),
    },
    CommandSpec {
        name: "select",
        arity: 2,
        flags: LOADING | STALE | FAST,
        handler: Handler::Data(select),
    },
];

fn ping(c: &mut Call) -> Reply {
    match c.argv.len() {
        1 => Reply::Simple("PONG".into()),
        2 => Reply::Bulk(c.argv[1].clone()),
        _ => errors::arity("ping"),
    }
}

fn echo(c: &mut Call) -> Reply {
    Reply::Bulk(c.argv[1].clone())
}

fn select(c: &mut Call) -> Reply {
    let Some(id) = parse_i64(&c.argv[1]).and_then(|v| i32::try_from(v).ok()) else {
        return errors::not_integer();
    };
    if id < 0 || id as usize >= c.ks.dbs.len() {
        return Reply::err("ERR DB index is out of range");
    }
    c.db = id as usize;
    Reply::ok()
}

fn dbsize(c: &mut Call) -> Reply {
    Reply::Integer(c.db().len() as i64)
}

fn del(c: &mut Call) -> Reply {
    let mut n = 0;
    for i in 1..c.argv.len() {
        let key = c.argv[i].clone();
        c.expire_if_needed(&key, false);
        if c.db().remove(&key).is_some() {
            n += 1;
            c.dirty += 1;
        }
    }
    Reply::Integer(n)
}

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
