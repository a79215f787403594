//! `FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]`: Redis's coordinated
//! failover (6.2 and later; the same in 7.0, 8.0 and Valkey 8.1).
//!
//! The master pauses writes (a client's write command waits, `BLOCKED_POSTPONE`),
//! waits until a replica (the one named, or the first in attach order) has
//! acknowledged its whole stream, then turns itself into a replica of it and sends
//! `PSYNC <replid> <offset> FAILOVER`. The target promotes itself on that PSYNC (see
//! `master::sync_command`) and answers `+CONTINUE <new replid>`; the pause ends, and
//! the writes that waited run again, now on a replica (`-READONLY`). A TIMEOUT ends
//! the wait: with FORCE the failover goes on regardless, without it is aborted. While
//! the master waits, it sends no `REPLCONF GETACK` (it would move the offset the
//! replicas must reach) and, when a TIMEOUT was given, no PING either: the replicas'
//! own once-a-second ACKs decide. Its `replicationCron` runs every 100 ms meanwhile.

use super::replica;
use crate::node::client::Blocked;
use crate::node::cmd::NodeCall;
use crate::node::effects::{ClientId, Ctx};
use crate::node::Node;
use crate::redis_util::string2ll;
use crate::resp::Value as Reply;

/// Where a coordinated failover is (`server.failover_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Writes paused; waiting for a replica to acknowledge the whole stream.
    WaitForSync,
    /// Turned into a replica of the target; its PSYNC FAILOVER reply is awaited.
    InProgress,
}

/// A coordinated failover under way.
#[derive(Clone, Debug)]
pub struct Failover {
    /// Where it is.
    pub phase: Phase,
    /// The replica failed over to (`TO host port`, or the first caught up).
    pub target: Option<(String, u16)>,
    /// When the wait ends, in ms (`TIMEOUT`; None: never).
    pub end_ms: Option<i64>,
    /// `FORCE`: fail over at the timeout even if the target has not caught up.
    pub force: bool,
}

/// INFO's `master_failover_state`.
pub fn state_name(node: &Node) -> &'static str {
    match node.repl.failover.as_ref().map(|f| f.phase) {
        None => "no-failover",
        Some(Phase::WaitForSync) => "waiting-for-sync",
        Some(Phase::InProgress) => "failover-in-progress",
    }
}

/// True while client writes are paused (a failover, or SHUTDOWN waiting for its
/// replicas): keys do not expire, no GETACK is sent.
pub fn writes_paused(node: &Node) -> bool {
    node.repl.failover.is_some() || node.shutdown.is_some()
}

/// The FAILOVER command (`failoverCommand`).
pub fn failover_command(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    let argv = &c.argv;
    if argv.len() == 2 && argv[1].eq_ignore_ascii_case(b"abort") {
        if node.repl.failover.is_none() {
            return Some(Reply::err("ERR No failover in progress."));
        }
        abort(node, cx, "Failover manually aborted");
        return Some(Reply::ok());
    }
    let mut timeout_ms = 0i64;
    let mut force = false;
    let mut target: Option<(String, i64)> = None;
    let mut j = 1;
    while j < argv.len() {
        let a = &argv[j];
        if a.eq_ignore_ascii_case(b"timeout") && j + 1 < argv.len() && timeout_ms == 0 {
            let Some(ms) = string2ll(&argv[j + 1]) else {
                return Some(Reply::err("ERR value is not an integer or out of range"));
            };
            if ms <= 0 {
                return Some(Reply::err("ERR FAILOVER timeout must be greater than 0"));
            }
            timeout_ms = ms;
            j += 2;
        } else if a.eq_ignore_ascii_case(b"to") && j + 2 < argv.len() && target.is_none() {
            let Some(port) = string2ll(&argv[j + 2]) else {
                return Some(Reply::err("ERR value is not an integer or out of range"));
            };
            target = Some((String::from_utf8_lossy(&argv[j + 1]).into_owned(), port));
            j += 3;
        } else if a.eq_ignore_ascii_case(b"force") && !force {
            force = true;
            j += 1;
        } else {
            return Some(crate::node::cmd::errors::syntax());
        }
    }
    if node.repl.failover.is_some() {
        return Some(Reply::err("ERR FAILOVER already in progress."));
    }
    if node.repl.masterhost.is_some() {
        return Some(Reply::err(
            "ERR FAILOVER is not valid when server is a replica.",
        ));
    }
    if node.repl.slaves.is_empty() {
        return Some(Reply::err("ERR FAILOVER requires connected replicas."));
    }
    if force && (timeout_ms == 0 || target.is_none()) {
        return Some(Reply::err(
            "ERR FAILOVER with force option requires both a timeout and target HOST and IP.",
        ));
    }
    let target = match target {
        Some((host, port)) => {
            let Some(id) = find_replica(node, &host, port) else {
                return Some(Reply::err(
                    "ERR FAILOVER target HOST and PORT is not a replica.",
                ));
            };
            let online = node
                .clients
                .get(&id)
                .and_then(|c| c.replica.as_ref())
                .is_some_and(|r| r.state == crate::node::client::ReplicaState::Online);
            if !online {
                return Some(Reply::err("ERR FAILOVER target replica is not online."));
            }
            cx.notice(format!("FAILOVER requested to {host}:{port}."));
            // A port that matched a replica's listening port fits in 16 bits.
            Some((host, port as u16))
        }
        None => {
            cx.notice("FAILOVER requested to any replica.");
            None
        }
    };
    node.repl.failover = Some(Failover {
        phase: Phase::WaitForSync,
        target,
        end_ms: (timeout_ms != 0).then(|| cx.mstime().saturating_add(timeout_ms)),
        force,
    });
    Some(Reply::ok())
}

/// `findReplica`: the attached replica announcing `host` (its address) and `port`
/// (its listening port).
fn find_replica(node: &Node, host: &str, port: i64) -> Option<ClientId> {
    node.repl.slaves.iter().copied().find(|id| {
        node.clients.get(id).is_some_and(|c| {
            c.replica.as_ref().is_some_and(|r| {
                let addr = r.announced_ip.as_deref().unwrap_or(&c.peer_host);
                addr.eq_ignore_ascii_case(host) && i64::from(r.listening_port) == port
            })
        })
    })
}

/// `updateFailoverStatus` (each `beforeSleep` and `replicationCron`): time out, or
/// fail over once the target (or any replica) acknowledged the whole stream.
pub fn update_status(node: &mut Node, cx: &mut Ctx) {
    let Some(f) = node.repl.failover.as_ref() else {
        return;
    };
    if f.phase != Phase::WaitForSync {
        return;
    }
    if f.end_ms.is_some_and(|end| end <= cx.mstime()) {
        if f.force {
            let (host, port) = f.target.clone().expect("FORCE needs a target");
            cx.notice(format!(
                "FAILOVER to {host}:{port} time out exceeded, failing over."
            ));
            start(node, cx, host, port);
        } else {
            abort(node, cx, "Replica never caught up before timeout");
        }
        return;
    }
    let offset = node.repl.master_repl_offset;
    let ack_off = |node: &Node, id: &ClientId| {
        node.clients
            .get(id)
            .and_then(|c| c.replica.as_ref())
            .map(|r| r.ack_off)
    };
    let caught_up = match f.target.clone() {
        Some((host, port)) => find_replica(node, &host, i64::from(port))
            .filter(|id| ack_off(node, id) == Some(offset))
            .map(|_| (host, port)),
        None => node
            .repl
            .slaves
            .iter()
            .find(|id| ack_off(node, id) == Some(offset))
            .and_then(|id| node.clients.get(id))
            .and_then(|c| {
                let r = c.replica.as_ref()?;
                let addr = r.announced_ip.clone().unwrap_or(c.peer_host.clone());
                Some((addr, r.listening_port))
            }),
    };
    if let Some((host, port)) = caught_up {
        cx.notice(format!(
            "Failover target {host}:{port} is synced, failing over."
        ));
        start(node, cx, host, port);
    }
}

/// Become a replica of the target; the PSYNC will carry FAILOVER.
fn start(node: &mut Node, cx: &mut Ctx, host: String, port: u16) {
    if let Some(f) = node.repl.failover.as_mut() {
        f.phase = Phase::InProgress;
        f.target = Some((host.clone(), port));
    }
    replica::set_master(node, cx, host, port);
}

/// `abortFailover`: log why, go back to being a master if we had turned, resume.
pub fn abort(node: &mut Node, cx: &mut Ctx, why: &str) {
    let Some(f) = node.repl.failover.as_ref() else {
        return;
    };
    match &f.target {
        Some((host, port)) => cx.notice(format!("FAILOVER to {host}:{port} aborted: {why}")),
        None => cx.notice(format!("FAILOVER to any replica aborted: {why}")),
    }
    if f.phase == Phase::InProgress {
        replica::unset_master(node, cx);
    }
    clear(node, cx);
}

/// `clearFailoverState`: forget the failover and end the pause; the writes that
/// waited run now, in the order they came (`unblockPostponedClients`).
pub fn clear(node: &mut Node, cx: &mut Ctx) {
    node.repl.failover = None;
    if node.shutdown.is_some() {
        return; // still paused by SHUTDOWN
    }
    for id in std::mem::take(&mut node.clients_postponed) {
        let argv = match node.clients.get_mut(&id).map(|c| c.blocked.take()) {
            Some(Some(Blocked::Postponed { argv })) => argv,
            _ => continue,
        };
        if let Some(reply) = crate::node::exec::process_command(node, cx, id, argv) {
            node.unblock(cx, id, reply);
        }
    }
}

/// Whether a master in a failover stops sending PINGs: only when a TIMEOUT was
/// given (Redis tests `failover_end_time`, as it does for a cluster's manual failover).
pub fn pings_paused(node: &Node) -> bool {
    node.repl
        .failover
        .as_ref()
        .is_some_and(|f| f.end_ms.is_some())
}

/// Whether a reply to our PSYNC FAILOVER lets the failover end (`PSYNC_CONTINUE` or
/// a full resync); any other reply aborts it.
pub fn accepts(reply: &str) -> bool {
    [
        "+FULLRESYNC",
        "+CONTINUE",
        "+RDBCHANNELSYNC",
        "+DUALCHANNELSYNC",
    ]
    .iter()
    .any(|p| reply.starts_with(p))
}

/// True while our PSYNC must carry FAILOVER.
pub fn psync_says_failover(node: &Node) -> bool {
    node.repl.failover.as_ref().map(|f| f.phase) == Some(Phase::InProgress)
}
