//! Running a command: Redis's `processCommand` checks, `call()`, and propagation.
//!
//! The order of the checks is Redis 7.0's: unknown command, arity, MULTI-forbidden,
//! `-NOREPLICAS`, `-READONLY`, `-MASTERDOWN`, replicas touching the keyspace, then
//! MULTI queueing or execution. After a top-level command, what it made dirty is
//! propagated (`propagatePendingCommands`): one command bare, several wrapped in
//! MULTI/EXEC, each preceded by a SELECT when the stream's database differs.

use super::client::{Client, MultiState};
use super::cmd::{self, flags, Argv, Call, CommandSpec, ExpiryMode, Handler, NodeCall, PropOp};
use super::effects::{ClientId, Ctx};
use super::Node;
use crate::resp::Value as Reply;

/// Run one command from client `id`. Returns its reply (None: no reply now —
/// the client blocked, or the command answers on its own like PSYNC).
pub fn process_command(node: &mut Node, cx: &mut Ctx, id: ClientId, argv: Argv) -> Option<Reply> {
    let Some(spec) = cmd::lookup(&argv[0]) else {
        let mut args = String::new();
        for a in &argv[1..] {
            if args.len() >= 128 {
                break;
            }
            let room = 128 - args.len();
            let s = String::from_utf8_lossy(a);
            let s: String = s.chars().take(room).collect();
            args.push_str(&format!("'{s}' "));
        }
        let name: String = String::from_utf8_lossy(&argv[0])
            .chars()
            .take(128)
            .collect();
        let msg = format!("ERR unknown command '{name}', with args beginning with: {args}")
            .replace(['\r', '\n'], " ");
        return Some(reject(node, id, msg));
    };
    if (spec.arity > 0 && spec.arity as usize != argv.len())
        || argv.len() < spec.arity.unsigned_abs() as usize
    {
        return Some(reject(
            node,
            id,
            format!("ERR wrong number of arguments for '{}' command", spec.name),
        ));
    }
    if spec.flags & flags::PROTECTED != 0 {
        return Some(reject(
            node,
            id,
            "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", \
             you can run it from a local connection, otherwise you need to set this option in the \
             configuration file, and then restart the server."
                .into(),
        ));
    }
    let client = node.clients.get(&id)?;
    let db = client.db;
    let in_multi = client.multi.is_some();
    let from_master = client.master.is_some();
    let is_replica_client = client.replica.is_some();
    let is_exec = spec.name == "exec";
    let cmd_flags = if is_exec {
        spec.flags | client.multi.as_ref().map_or(0, |m| m.flags)
    } else {
        spec.flags
    };
    let is_write = cmd_flags & flags::WRITE != 0;
    let is_read = cmd_flags & flags::READONLY != 0;
    let deny_stale = if is_exec {
        spec.flags & flags::STALE == 0
            || client
                .multi
                .as_ref()
                .is_some_and(|m| m.queued.iter().any(|(_, s)| s.flags & flags::STALE == 0))
    } else {
        spec.flags & flags::STALE == 0
    };

    if in_multi && spec.flags & flags::NO_MULTI != 0 {
        return Some(reject(
            node,
            id,
            "ERR Command not allowed inside a transaction".into(),
        ));
    }
    if is_write && !crate::repl::master::good_replicas_ok(node) {
        return Some(reject(
            node,
            id,
            "NOREPLICAS Not enough good replicas to write.".into(),
        ));
    }
    if node.repl.masterhost.is_some() && node.cfg.replica_read_only && !from_master && is_write {
        return Some(reject(
            node,
            id,
            "READONLY You can't write against a read only replica.".into(),
        ));
    }
    if node.repl.masterhost.is_some()
        && node.repl.state != crate::repl::LinkState::Connected
        && !node.cfg.replica_serve_stale_data
        && deny_stale
    {
        return Some(reject(
            node,
            id,
            "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
                .into(),
        ));
    }
    // Redis also counts CMD_MAY_REPLICATE here; no modelled command has it.
    if is_replica_client && (is_write || is_read) {
        return Some(reject(
            node,
            id,
            "ERR Replica can't interact with the keyspace".into(),
        ));
    }
    // While writes are paused (FAILOVER), a client's write waits, even one to be
    // queued in MULTI; it runs from the start when the pause ends.
    if is_write && !is_replica_client && !from_master && crate::repl::failover::writes_paused(node)
    {
        if let Some(c) = node.clients.get_mut(&id) {
            c.blocked = Some(super::client::Blocked::Postponed { argv });
            node.clients_postponed.push(id);
        }
        return None;
    }
    if in_multi
        && !matches!(
            spec.name,
            "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
        )
    {
        let m = node
            .clients
            .get_mut(&id)
            .and_then(|c| c.multi.as_mut())
            .expect("in multi");
        if !m.dirty_exec {
            m.flags |= spec.flags;
            m.queued.push((argv, spec));
        }
        return Some(Reply::Simple("QUEUED".into()));
    }
    let before = node.repl.master_repl_offset;
    let reply = call_as(node, cx, id, argv, spec, db, from_master);
    let off = node.repl.master_repl_offset;
    // 7.0 remembers the offset after every command; 8.0 and Valkey only after one that
    // propagated (what a later WAIT waits for).
    let every = !node.cfg.version.profile().woff_only_when_propagated;
    if let Some(c) = node.clients.get_mut(&id).filter(|_| every || off != before) {
        c.woff = off;
    }
    reply
}

/// `rejectCommand`: an error reply that also aborts a transaction being queued.
fn reject(node: &mut Node, id: ClientId, msg: String) -> Reply {
    if let Some(m) = node.clients.get_mut(&id).and_then(|c| c.multi.as_mut()) {
        m.dirty_exec = true;
    }
    Reply::err(msg)
}

/// Redis's `call()`: run the command, then queue it for propagation if it changed
/// the dataset, and at the top level propagate everything queued.
pub fn call(
    node: &mut Node,
    cx: &mut Ctx,
    id: ClientId,
    argv: Argv,
    spec: &'static CommandSpec,
) -> Option<Reply> {
    match (node.clients.get(&id), spec.handler) {
        (Some(c), _) => {
            let (db, from_master) = (c.db, c.master.is_some());
            call_as(node, cx, id, argv, spec, db, from_master)
        }
        (None, Handler::Node(_)) => call_as(node, cx, id, argv, spec, 0, false),
        // A keyspace command needs its client (gone: nothing runs, nothing counts).
        (None, Handler::Data(_)) => None,
    }
}

/// [`call`] for a client known to exist, in database `db`, `from_master` if it is
/// our master (what `process_command` has just looked up).
fn call_as(
    node: &mut Node,
    cx: &mut Ctx,
    id: ClientId,
    argv: Argv,
    spec: &'static CommandSpec,
    db: usize,
    from_master: bool,
) -> Option<Reply> {
    node.stats.total_commands_processed += 1;
    node.in_nested_call += 1;
    let (reply, argv, dirty, force, db) = match spec.handler {
        Handler::Data(f) => {
            let expiry = if from_master {
                ExpiryMode::FromMaster
            } else if node.repl.masterhost.is_some() {
                ExpiryMode::Replica
            } else if crate::repl::failover::writes_paused(node) {
                ExpiryMode::Paused
            } else {
                ExpiryMode::Master
            };
            let mut call = Call {
                argv,
                db,
                ks: &mut node.ks,
                now_ms: cx.mstime(),
                expiry,
                lazyfree_lazy_expire: node.cfg.lazyfree_lazy_expire,
                profile: node.cfg.version.profile(),
                proto_max_bulk_len: node.cfg.proto_max_bulk_len_bytes,
                from_master,
                also_propagate: &mut node.also_propagate,
                replica_expires: (expiry == ExpiryMode::Replica && !node.cfg.replica_read_only)
                    .then_some(&mut node.replica_keys_with_expire),
                stats: &mut node.keystats,
                dirty: 0,
                force_propagate: false,
                deny_blocking: from_master || node.in_nested_call > 1,
                block_ms: None,
            };
            let reply = f(&mut call);
            if let Some(ms) = call.block_ms {
                let deadline_ms = (ms > 0).then(|| call.now_ms + ms);
                node.in_nested_call -= 1;
                if let Some(c) = node.clients.get_mut(&id) {
                    c.blocked = Some(super::client::Blocked::Keys { deadline_ms });
                }
                node.clients_blocked_on_keys.push(id);
                if node.in_nested_call == 0 {
                    // A key found expired while looking is still propagated.
                    propagate_pending(node, cx, true);
                }
                return None;
            }
            let (new_db, argv, dirty, force) =
                (call.db, call.argv, call.dirty, call.force_propagate);
            // Only SELECT changes it (nothing else touches the client meanwhile).
            if new_db != db {
                if let Some(c) = node.clients.get_mut(&id) {
                    c.db = new_db;
                }
            }
            // A command is propagated in the database it ran in (before a SELECT).
            (Some(reply), argv, dirty, force, db)
        }
        Handler::Node(f) => {
            let mut nc = NodeCall {
                client: id,
                argv,
                dirty: 0,
                force_propagate: false,
            };
            let reply = f(node, cx, &mut nc);
            (reply, nc.argv, nc.dirty, nc.force_propagate, db)
        }
    };
    node.in_nested_call -= 1;
    node.persist.dirty += dirty;
    // A top-level command on a node that propagates nothing (a replica) would be
    // queued only to be given back at once by `propagate_pending`.
    let queued_for_nothing = cfg!(not(target_arch = "wasm32"))
        && node.in_nested_call == 0
        && node.also_propagate.is_empty()
        && !crate::repl::master::should_propagate(node);
    if (dirty > 0 || force) && spec.name != "exec" && !queued_for_nothing {
        node.also_propagate.push(PropOp { db, argv });
    } else {
        node.arg_pool.give(argv);
    }
    // (Natively, nothing queued, as on a replica, is answered here without the call.)
    if node.in_nested_call == 0 && (cfg!(target_arch = "wasm32") || !node.also_propagate.is_empty())
    {
        propagate_pending(node, cx, spec.flags & flags::TOUCHES_ARBITRARY_KEYS == 0);
    }
    reply
}

/// `propagatePendingCommands`: put what the command (and its side effects) changed
/// into the replication stream, wrapped in MULTI/EXEC when there is more than one.
pub fn propagate_pending(node: &mut Node, cx: &mut Ctx, allow_multi: bool) {
    if node.also_propagate.is_empty() {
        return;
    }
    let mut ops = std::mem::take(&mut node.also_propagate);
    if !crate::repl::master::should_propagate(node) {
        for op in ops.drain(..) {
            node.arg_pool.give(op.argv);
        }
        node.also_propagate = ops; // keeps its room for the next command
        return;
    }
    let transaction = ops.len() > 1 && !node.propagate_no_multi && allow_multi;
    if transaction {
        // MULTI takes the first command's db, so any SELECT comes before it.
        crate::repl::master::feed_replicas(node, cx, ops[0].db as i64, &[b"MULTI".to_vec()]);
    }
    for op in &ops {
        crate::repl::master::feed_replicas(node, cx, op.db as i64, &op.argv);
    }
    if transaction {
        let last = ops[ops.len() - 1].db as i64;
        crate::repl::master::feed_replicas(node, cx, last, &[b"EXEC".to_vec()]);
    }
    for op in ops.drain(..) {
        node.arg_pool.give(op.argv);
    }
    if node.also_propagate.is_empty() {
        node.also_propagate = ops; // keeps its room for the next command
    }
}

/// `MULTI`.
pub fn multi(node: &mut Node, _cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    let client = node.clients.get_mut(&c.client)?;
    if client.multi.is_some() {
        return Some(Reply::err(node.cfg.version.profile().err_nested_multi));
    }
    client.multi = Some(MultiState::default());
    Some(Reply::ok())
}

/// `DISCARD`.
pub fn discard(node: &mut Node, _cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    let client = node.clients.get_mut(&c.client)?;
    if client.multi.take().is_none() {
        return Some(Reply::err("ERR DISCARD without MULTI"));
    }
    Some(Reply::ok())
}

/// `EXEC`: run the queued commands nested, so their effects propagate together.
pub fn exec(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    let client: &mut Client = node.clients.get_mut(&c.client)?;
    let Some(m) = client.multi.take() else {
        return Some(Reply::err("ERR EXEC without MULTI"));
    };
    if m.dirty_exec {
        return Some(Reply::err(
            "EXECABORT Transaction discarded because of previous errors.",
        ));
    }
    let mut replies = Vec::with_capacity(m.queued.len());
    for (argv, spec) in m.queued {
        let r = call(node, cx, c.client, argv, spec).unwrap_or(Reply::Nil);
        replies.push(r);
    }
    Some(Reply::Array(replies))
}
