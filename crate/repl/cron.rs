//! `replicationCron`, once a second: replica-side timeouts and reconnects, ACKs,
//! the master's `ping` every `repl-ping-replica-period`, newlines to replicas waiting
//! for an RDB, timing out silent replicas, freeing an unused backlog, and starting a
//! delayed diskless BGSAVE.

use super::{master, replica, ChildKind, LinkState};
use crate::node::client::ReplicaState;
use crate::node::effects::{Ctx, SendKind};
use crate::node::Node;

/// Run one `replicationCron`.
pub fn replication_cron(node: &mut Node, cx: &mut Ctx) {
    super::failover::update_status(node, cx);
    let now = cx.unixtime();
    let timeout = node.cfg.repl_timeout_secs;

    // Replica: connect/handshake timeout.
    if node.repl.masterhost.is_some()
        && (node.repl.state == LinkState::Connecting || node.repl.state.is_handshake())
        && now - node.repl.transfer_lastio > timeout
    {
        cx.warning("Timeout connecting to the MASTER...");
        replica::cancel_handshake(node, cx, true);
    }
    // Replica: bulk transfer I/O timeout.
    if node.repl.masterhost.is_some()
        && node.repl.state == LinkState::Transfer
        && now - node.repl.transfer_lastio > timeout
    {
        cx.warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.");
        replica::cancel_handshake(node, cx, true);
    }
    // Replica: a connected master that went silent (a partition is noticed only so).
    if node.repl.masterhost.is_some() && node.repl.state == LinkState::Connected {
        if let Some(id) = node.repl.master {
            let last = node.clients.get(&id).map_or(now, |c| c.lastinteraction);
            if now - last > timeout {
                cx.warning("MASTER timeout: no data nor PING received...");
                node.free_client(cx, id);
            }
        }
    }
    // Replica: (re)connect.
    if node.repl.state == LinkState::Connect {
        cx.notice(format!(
            "Connecting to MASTER {}:{}",
            node.repl.masterhost.as_deref().unwrap_or("?"),
            node.repl.masterport
        ));
        replica::connect_with_master(node, cx);
    }
    // Replica: ACK once a second (not to masters that don't speak PSYNC).
    if node.repl.masterhost.is_some() {
        let pre_psync = node
            .repl
            .master
            .and_then(|id| node.clients.get(&id))
            .and_then(|c| c.master.as_ref())
            .is_none_or(|m| m.pre_psync);
        if !pre_psync {
            replica::send_ack(node, cx);
        }
    }

    // Master: PING the replicas every repl-ping-replica-period cron runs (Redis 8.0:
    // only after a whole period with nothing fed to the stream). The ping is part of
    // the stream and moves every offset by 14 bytes.
    let period = node.cfg.repl_ping_replica_period_secs.max(1) as u64;
    let due = if node.cfg.version.profile().ping_only_when_idle {
        let last = node.repl.stream_lastio.unwrap_or(node.started_ms / 1000);
        node.repl.masterhost.is_none() && cx.unixtime() >= last + period as i64
    } else {
        node.repl.cron_loops.is_multiple_of(period)
    };
    if due && !node.repl.slaves.is_empty() && !super::failover::pings_paused(node) {
        let db = node.repl.slaveseldb;
        master::feed_replicas(node, cx, db, &[b"ping".to_vec()]);
    }
    // Master: a newline to replicas waiting for the RDB (not counted in offsets).
    let socket_child = node
        .persist
        .child
        .as_ref()
        .is_some_and(|c| c.kind == ChildKind::Socket);
    for id in node.repl.slaves.clone() {
        let Some(c) = node.clients.get(&id) else {
            continue;
        };
        let (Some(fd), Some(r)) = (c.fd, c.replica.as_ref()) else {
            continue;
        };
        let presync = r.state == ReplicaState::WaitBgsaveStart
            || (r.state == ReplicaState::WaitBgsaveEnd && !socket_child);
        if presync {
            cx.send(fd, SendKind::Keepalive, b"\n".to_vec());
        }
    }
    // Master: disconnect replicas that stopped acknowledging.
    for id in node.repl.slaves.clone() {
        let Some(c) = node.clients.get(&id) else {
            continue;
        };
        let Some(r) = c.replica.as_ref() else {
            continue;
        };
        if r.state == ReplicaState::Online && !r.pre_psync && now - r.ack_time > timeout {
            cx.warning(format!(
                "Disconnecting timedout replica (streaming sync): {}",
                c.replica_name()
            ));
            node.free_client(cx, id);
        }
    }
    // Master: free the backlog after repl-backlog-ttl seconds without replicas,
    // taking a new replid so no stale history can PSYNC later.
    if node.repl.slaves.is_empty()
        && node.cfg.repl_backlog_ttl_secs != 0
        && node.repl.backlog.is_some()
        && node.repl.masterhost.is_none()
    {
        let idle = now - node.repl.no_slaves_since;
        if idle > node.cfg.repl_backlog_ttl_secs {
            master::change_replid(node, cx);
            master::clear_replid2(node);
            master::free_backlog(node);
            cx.notice(format!(
                "Replication backlog freed after {} seconds without connected replicas.",
                node.cfg.repl_backlog_ttl_secs
            ));
            master::replid_event(node, cx, "backlog freed by repl-backlog-ttl");
        }
    }
    start_pending_fork(node, cx);
    master::refresh_good_slaves(node, cx);
    node.repl.cron_loops += 1;
}

/// `replicationStartPendingFork` / `shouldStartChildReplication`: fork for replicas
/// waiting in WAIT_BGSAVE_START once the diskless delay has passed (or at once for
/// disk syncs, or when enough replicas wait).
pub fn start_pending_fork(node: &mut Node, cx: &mut Ctx) {
    if node.persist.child.is_some() {
        return;
    }
    let now = cx.unixtime();
    let mut waiting = 0i64;
    let mut max_idle = 0i64;
    let mut mincapa_eof = true;
    for id in &node.repl.slaves {
        let Some(c) = node.clients.get(id) else {
            continue;
        };
        let Some(r) = c.replica.as_ref() else {
            continue;
        };
        if r.state == ReplicaState::WaitBgsaveStart {
            waiting += 1;
            max_idle = max_idle.max(now - c.lastinteraction);
            mincapa_eof &= r.capa_eof;
        }
    }
    let cfg = &node.cfg;
    if waiting > 0
        && (!cfg.repl_diskless_sync
            || (cfg.repl_diskless_sync_max_replicas > 0
                && waiting >= cfg.repl_diskless_sync_max_replicas)
            || max_idle >= cfg.repl_diskless_sync_delay_secs)
    {
        master::start_bgsave_for_replication(node, cx, mincapa_eof);
    }
}
