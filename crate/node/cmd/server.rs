//! Server commands: INFO, CONFIG, ROLE, REPLICAOF, the replication handshake
//! commands (REPLCONF, PSYNC, SYNC), WAIT, MULTI/EXEC, persistence and SHUTDOWN.

use super::flags::*;
use super::{errors, CommandSpec, Handler, NodeCall};
use crate::node::effects::Ctx;
use crate::node::{config_table, exec, info, persist, Node};
use crate::redis_util::string2ll;
use crate::repl::{failover, master, replica};
use crate::resp::Value as Reply;

macro_rules! node_cmd {
    ($name:expr, $arity:expr, $flags:expr, $f:expr) => {
        CommandSpec {
            name: $name,
            arity: $arity,
            flags: $flags,
            handler: Handler::Node($f),
        }
    };
}

/// The server commands.
pub const COMMANDS: &[CommandSpec] = &[
    node_cmd!("bgsave", -1, NO_MULTI, persist::bgsave_command),
    node_cmd!("config", -2, STALE, config),
    node_cmd!("debug", -2, PROTECTED | NO_MULTI | STALE, debug),
    node_cmd!("discard", 1, STALE, exec::discard),
    node_cmd!("exec", 1, STALE, exec::exec),
    node_cmd!("failover", -1, STALE, failover::failover_command),
    node_cmd!("flushall", -1, WRITE, flushall),
    node_cmd!("flushdb", -1, WRITE, flushdb),
    node_cmd!("info", -1, STALE, info_command),
    node_cmd!("lastsave", 1, STALE, persist::lastsave_command),
    node_cmd!("multi", 1, STALE, exec::multi),
    node_cmd!("psync", -3, NO_MULTI, master::sync_command),
    node_cmd!("replconf", -1, STALE, master::replconf_command),
    node_cmd!("replicaof", 3, NO_MULTI | STALE, replicaof),
    node_cmd!("role", 1, STALE, role),
    node_cmd!("save", 1, NO_MULTI, persist::save_command),
    node_cmd!("shutdown", -1, NO_MULTI | STALE, persist::shutdown_command),
    node_cmd!("slaveof", 3, NO_MULTI | STALE, replicaof),
    node_cmd!("sync", 1, NO_MULTI, master::sync_command),
    node_cmd!("wait", 3, 0, master::wait_command),
];

/// Never reached: `exec::process_command` refuses a PROTECTED command first.
fn debug(_: &mut Node, _: &mut Ctx, _: &mut NodeCall) -> Option<Reply> {
    None
}

fn info_command(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    let sections: Vec<String> = c.argv[1..]
        .iter()
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    Some(Reply::Bulk(
        info::info(node, cx.mstime(), &sections).into_bytes(),
    ))
}

fn config(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    let sub = c.argv[1].to_ascii_lowercase();
    match sub.as_slice() {
        b"get" => {
            if c.argv.len() < 3 {
                return Some(errors::arity("config|get"));
            }
            let pairs = config_table::config_get(&node.cfg, &c.argv[2..]);
            let mut out = Vec::with_capacity(pairs.len() * 2);
            for (k, v) in pairs {
                out.push(Reply::Bulk(k.into_bytes()));
                out.push(Reply::Bulk(v.into_bytes()));
            }
            Some(Reply::Array(out))
        }
        b"set" => {
            if c.argv.len() < 4 {
                return Some(errors::arity("config|set"));
            }
            match config_table::config_set(&mut node.cfg, &c.argv[2..]) {
                Ok(changed) => {
                    apply_config_changes(node, cx, &changed);
                    Some(Reply::ok())
                }
                Err(e) => Some(Reply::err(e)),
            }
        }
        b"resetstat" => {
            if c.argv.len() != 2 {
                return Some(errors::arity("config|resetstat"));
            }
            node.stats = Default::default();
            node.keystats = Default::default();
            node.repl.stat_sync_full = 0;
            node.repl.stat_sync_partial_ok = 0;
            node.repl.stat_sync_partial_err = 0;
            Some(Reply::ok())
        }
        b"rewrite" => Some(Reply::err(
            "ERR The server is running without a config file",
        )),
        _ => Some(Reply::err(format!(
            "ERR unknown subcommand '{}'. Try CONFIG HELP.",
            String::from_utf8_lossy(&c.argv[1])
                .chars()
                .take(128)
                .collect::<String>()
        ))),
    }
}

/// What Redis's config "apply" functions do after CONFIG SET.
fn apply_config_changes(node: &mut Node, cx: &mut Ctx, changed: &[&str]) {
    for name in changed {
        match *name {
            "repl-backlog-size" => {
                let size = node.cfg.repl_backlog_size_bytes;
                let off = node.repl.master_repl_offset;
                if let Some(b) = node.repl.backlog.as_mut() {
                    b.size_limit_bytes = size;
                    b.trim(crate::repl::backlog::TRIM_BLOCKS_PER_CALL, off);
                }
            }
            "min-replicas-to-write" | "min-replicas-max-lag" => {
                master::refresh_good_slaves(node, cx)
            }
            _ => {}
        }
    }
}

fn role(node: &mut Node, _cx: &mut Ctx, _c: &mut NodeCall) -> Option<Reply> {
    let r = &node.repl;
    if let Some(host) = &r.masterhost {
        let off = r
            .master
            .and_then(|id| node.clients.get(&id))
            .and_then(|c| c.master.as_ref())
            .map_or(-1, |m| m.reploff);
        return Some(Reply::Array(vec![
            Reply::Bulk(b"slave".to_vec()),
            Reply::Bulk(host.clone().into_bytes()),
            Reply::Integer(i64::from(r.masterport)),
            Reply::Bulk(r.state.role_name().as_bytes().to_vec()),
            Reply::Integer(off),
        ]));
    }
    let mut replicas = Vec::new();
    for id in &r.slaves {
        let Some(c) = node.clients.get(id) else {
            continue;
        };
        let Some(rep) = c.replica.as_ref() else {
            continue;
        };
        if rep.state != crate::node::client::ReplicaState::Online {
            continue;
        }
        replicas.push(Reply::Array(vec![
            Reply::Bulk(
                rep.announced_ip
                    .clone()
                    .unwrap_or(c.peer_host.clone())
                    .into_bytes(),
            ),
            Reply::Bulk(rep.listening_port.to_string().into_bytes()),
            Reply::Bulk(rep.ack_off.to_string().into_bytes()),
        ]));
    }
    Some(Reply::Array(vec![
        Reply::Bulk(b"master".to_vec()),
        Reply::Integer(r.master_repl_offset),
        Reply::Array(replicas),
    ]))
}

fn replicaof(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    if node.repl.failover.is_some() {
        return Some(Reply::err("ERR REPLICAOF not allowed while failing over."));
    }
    if c.argv[1].eq_ignore_ascii_case(b"no") && c.argv[2].eq_ignore_ascii_case(b"one") {
        if node.repl.masterhost.is_some() {
            replica::unset_master(node, cx);
            cx.notice("MASTER MODE enabled (user request from 'id=... addr=console')");
        }
        return Some(Reply::ok());
    }
    if node
        .clients
        .get(&c.client)
        .is_some_and(|cl| cl.replica.is_some())
    {
        return Some(Reply::err(
            "ERR Command is not valid when client is a replica.",
        ));
    }
    let port = match string2ll(&c.argv[2]) {
        Some(p) if (0..=65535).contains(&p) => p as u16,
        _ => return Some(Reply::err("ERR Invalid master port")),
    };
    let host = String::from_utf8_lossy(&c.argv[1]).into_owned();
    if node
        .repl
        .masterhost
        .as_deref()
        .is_some_and(|h| h.eq_ignore_ascii_case(&host))
        && node.repl.masterport == port
    {
        cx.notice("REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.");
        return Some(Reply::Simple(
            "OK Already connected to specified master".into(),
        ));
    }
    replica::set_master(node, cx, host.clone(), port);
    cx.notice(format!(
        "REPLICAOF {host}:{port} enabled (user request from 'id=... addr=console')"
    ));
    Some(Reply::ok())
}

fn flush_flags_ok(c: &NodeCall) -> bool {
    c.argv.len() == 1
        || (c.argv.len() == 2
            && (c.argv[1].eq_ignore_ascii_case(b"sync")
                || c.argv[1].eq_ignore_ascii_case(b"async")))
}

fn flushall(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    if !flush_flags_ok(c) {
        return Some(errors::syntax());
    }
    node.persist.dirty += node.ks.clear() as u64;
    node.replica_keys_with_expire.clear(); // emptyData(-1): flushSlaveKeysWithExpireList
    if node.persist.child.take().is_some() {
        cx.warning("Background saving terminated by signal 10");
    }
    if !node.cfg.save_points.is_empty() {
        persist::save_now(node, cx);
    }
    c.force_propagate = true;
    Some(Reply::ok())
}

fn flushdb(node: &mut Node, _cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    if !flush_flags_ok(c) {
        return Some(errors::syntax());
    }
    let db = node.clients.get(&c.client).map_or(0, |cl| cl.db);
    c.dirty += node.ks.dbs[db].clear() as u64;
    c.force_propagate = true;
    Some(Reply::ok())
}
