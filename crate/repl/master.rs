//! The master side: replicas attaching with SYNC/PSYNC, full and partial
//! resynchronisation, feeding the replication stream, REPLCONF, WAIT, and
//! min-replicas-to-write.

use super::backlog::{Backlog, FeedTarget, TRIM_BLOCKS_PER_CALL};
use super::psync::{self, MasterState, Verdict};
use super::{ChildKind, NULL_REPLID};
use crate::node::client::{Blocked, Client, ReplicaInfo, ReplicaState};
use crate::node::cmd::{errors, NodeCall};
use crate::node::effects::{ClientId, Ctx, Effect, NodeEvent, SendKind, SNDBUF_BYTES};
use crate::node::persist::{self, RdbChild};
use crate::node::Node;
use crate::redis_util::string2ll;
use crate::resp::{self, Value as Reply};

/// `shouldPropagate` for the replication target: only a top-level master with a
/// backlog or replicas produces a stream.
pub fn should_propagate(node: &Node) -> bool {
    node.repl.masterhost.is_none() && (node.repl.backlog.is_some() || !node.repl.slaves.is_empty())
}

/// `replicationFeedSlaves`: append a command to the stream (with a SELECT first if
/// the stream's database differs). `dictid` -1 means "no database" (PING, GETACK).
pub fn feed_replicas(node: &mut Node, cx: &mut Ctx, dictid: i64, argv: &[Vec<u8>]) {
    if node.repl.masterhost.is_some() {
        return;
    }
    if node.repl.backlog.is_none() && node.repl.slaves.is_empty() {
        return;
    }
    node.repl.stream_lastio = Some(cx.unixtime());
    let mut bytes = std::mem::take(&mut node.repl.feed_scratch);
    bytes.clear();
    if node.repl.slaveseldb != dictid {
        let db = dictid.to_string();
        resp::encode_command(&[b"SELECT".as_slice(), db.as_bytes()], &mut bytes);
        node.repl.slaveseldb = dictid;
    }
    resp::encode_command(argv, &mut bytes);
    feed_stream(node, cx, &bytes);
    if bytes.capacity() <= 4096 {
        node.repl.feed_scratch = bytes;
    }
}

/// `feedReplicationBuffer` plus the output-buffer limit check Redis does when a
/// block is added. Used for our own stream and for proxying our master's stream.
pub fn feed_stream(node: &mut Node, cx: &mut Ctx, bytes: &[u8]) {
    let Some(backlog) = node.repl.backlog.as_mut() else {
        return;
    };
    // Usually every replica fed already holds its place in the buffer and nothing is
    // pinned: then the feed hands out no reference (and allocates nothing here).
    let clients = &node.clients;
    let needs_ref = node.repl.slaves.iter().any(|id| {
        clients
            .get(id)
            .and_then(|c| c.replica.as_ref())
            .is_some_and(|r| r.fed() && r.buf_ref.is_none())
    }) || node.repl.psync_waiting.iter().any(|(_, pos)| pos.is_none());
    if !needs_ref {
        let new_block = backlog.feed(bytes, &mut node.repl.master_repl_offset, &mut []);
        if new_block {
            for id in node.repl.slaves.clone() {
                let fed = node
                    .clients
                    .get(&id)
                    .and_then(|c| c.replica.as_ref())
                    .is_some_and(|r| r.fed());
                if fed {
                    check_output_limit(node, cx, id);
                }
            }
        }
        return;
    }
    // Collect each replica's reference, feed, write the references back.
    let ids = node.repl.slaves.clone();
    let mut refs: Vec<(ClientId, bool, Option<super::backlog::BufRef>)> = ids
        .iter()
        .filter_map(|id| {
            let r = node.clients.get(id)?.replica.as_ref()?;
            Some((*id, r.fed(), r.buf_ref))
        })
        .collect();
    // Valkey's dual-channel rdb channels waiting for their main PSYNC pin the stream.
    let mut pinned = std::mem::take(&mut node.repl.psync_waiting);
    let mut targets: Vec<FeedTarget> = refs
        .iter_mut()
        .map(|(_, can_feed, pos)| FeedTarget {
            can_feed: *can_feed,
            pos,
        })
        .chain(pinned.iter_mut().map(|(_, pos)| FeedTarget {
            can_feed: true,
            pos,
        }))
        .collect();
    let new_block = backlog.feed(bytes, &mut node.repl.master_repl_offset, &mut targets);
    drop(targets);
    node.repl.psync_waiting = pinned;
    for (id, _, pos) in &refs {
        if let Some(r) = node.clients.get_mut(id).and_then(|c| c.replica.as_mut()) {
            r.buf_ref = *pos;
        }
    }
    if new_block {
        for (id, can_feed, _) in refs {
            if can_feed {
                check_output_limit(node, cx, id);
            }
        }
    }
}

/// `checkClientOutputBufferLimits` + `closeClientOnOutputBufferLimitReached` for a
/// replica: schedule it for closing if over the hard limit, or over the soft limit
/// for longer than allowed.
pub fn check_output_limit(node: &mut Node, cx: &mut Ctx, id: ClientId) {
    let Some(backlog) = node.repl.backlog.as_ref() else {
        return;
    };
    let Some(c) = node.clients.get(&id) else {
        return;
    };
    if c.close_asap {
        return;
    }
    let Some(r) = c.replica.as_ref() else {
        return;
    };
    let used = backlog.replica_usage_bytes(r.buf_ref.as_ref());
    let lim = node.cfg.obuf_limits[crate::node::config::ClientClass::Replica as usize];
    let mut hard_limit = lim.hard_limit_bytes;
    // A replica limit below the backlog size would make every partial resync fail.
    if hard_limit != 0 && (hard_limit as i64) < node.cfg.repl_backlog_size_bytes {
        hard_limit = node.cfg.repl_backlog_size_bytes as u64;
    }
    let hard = lim.hard_limit_bytes != 0 && used >= hard_limit;
    let mut soft = lim.soft_limit_bytes != 0 && used >= lim.soft_limit_bytes;
    let now = cx.unixtime();
    let name = c.replica_name();
    let r = node
        .clients
        .get_mut(&id)
        .and_then(|c| c.replica.as_mut())
        .expect("checked above");
    if soft {
        if r.obuf_soft_limit_reached_time == 0 {
            r.obuf_soft_limit_reached_time = now;
            soft = false;
        } else if now - r.obuf_soft_limit_reached_time <= lim.soft_limit_seconds as i64 {
            soft = false;
        }
    } else {
        r.obuf_soft_limit_reached_time = 0;
    }
    if hard || soft {
        cx.warning(format!(
            "Client id={} addr={} flags=S omem={} scheduled to be closed ASAP for overcoming of output buffer limits.",
            id.0, name, used
        ));
        r.obuf_closed = true;
        node.free_client_async(id);
    }
}

/// `clientsCron`'s output-buffer check for every replica (catches the soft limit).
pub fn check_output_limits_cron(node: &mut Node, cx: &mut Ctx) {
    for id in node.repl.slaves.clone() {
        check_output_limit(node, cx, id);
    }
}

/// Handle the part of `beforeSleep` that belongs to replication.
pub fn before_sleep(node: &mut Node, cx: &mut Ctx) {
    if !node.clients_waiting_acks.is_empty() {
        process_clients_waiting_acks(node, cx);
    }
    // Not while writes are paused: it would move the offset the replicas must reach.
    if node.repl.get_ack_from_slaves && !super::failover::writes_paused(node) {
        send_getack(node, cx);
        node.repl.get_ack_from_slaves = false;
    }
    // ACKs may have come: a failover waiting for one may go on.
    if node.repl.failover.is_some() {
        super::failover::update_status(node, cx);
    }
    // By position, without a copy of the list: writing never adds or drops a replica.
    let mut i = 0;
    while let Some(&id) = node.repl.slaves.get(i) {
        write_to_replica(node, cx, id);
        i += 1;
    }
    if let Some(b) = node.repl.backlog.as_mut() {
        b.trim(10 * TRIM_BLOCKS_PER_CALL, node.repl.master_repl_offset);
    }
}

/// Put `REPLCONF GETACK *` into the stream (after WAIT, and when SHUTDOWN waits).
pub fn send_getack(node: &mut Node, cx: &mut Ctx) {
    let r = &mut node.repl;
    if r.masterhost.is_none() && r.backlog.is_none() && r.slaves.is_empty() {
        // Redis 8.0 and Valkey 8.1 count it anyway ("we use that for tracking AOF
        // fsyncs"): a blocking WAIT with no replica moves master_repl_offset by 1.
        if node.cfg.version.profile().getack_counts_without_replicas {
            r.master_repl_offset += 1;
        }
        return;
    }
    let db = node.repl.slaveseldb;
    feed_replicas(
        node,
        cx,
        db,
        &[b"REPLCONF".to_vec(), b"GETACK".to_vec(), b"*".to_vec()],
    );
}

/// Write whatever an online replica has pending (Redis does it from beforeSleep).
fn write_to_replica(node: &mut Node, cx: &mut Ctx, id: ClientId) {
    let Some(c) = node.clients.get_mut(&id) else {
        return;
    };
    let (Some(fd), Some(r)) = (c.fd, c.replica.as_mut()) else {
        return;
    };
    let streaming = matches!(
        r.state,
        ReplicaState::Online | ReplicaState::SendBulkAndStream | ReplicaState::BgRdbLoad
    );
    if !streaming || r.start_cmd_stream_on_ack || c.close_asap {
        return;
    }
    let (Some(backlog), Some(pos)) = (node.repl.backlog.as_mut(), r.buf_ref.as_mut()) else {
        return;
    };
    // Online, the socket takes what its send buffer has room for (a write returns
    // EAGAIN past that); the rest stays in the replication buffer, where it counts
    // against client-output-buffer-limit, until the socket drains. (While the RDB is
    // on its way, the stream joins the same connection behind it, unlimited here.)
    let online = r.state == ReplicaState::Online;
    let room = if online {
        SNDBUF_BYTES.saturating_sub((r.sock_sent - r.sock_left) as usize)
    } else {
        usize::MAX
    };
    if room == 0 {
        return; // a drain is awaited (the write that filled the buffer asked for it)
    }
    let bytes = backlog.take_pending(pos, node.repl.master_repl_offset, room, cx.bufs);
    if bytes.is_empty() {
        return;
    }
    node.stats.total_net_output_bytes += bytes.len() as u64;
    node.stats.total_net_repl_output_bytes += bytes.len() as u64;
    let mut notify = false;
    if online {
        // Hear of a drain every quarter of the buffer, and always when it is full.
        r.sock_sent += bytes.len() as u64;
        let last = r.sock_marks.last().copied().unwrap_or(r.sock_left);
        notify = r.sock_sent - r.sock_left >= SNDBUF_BYTES as u64
            || r.sock_sent - last >= (SNDBUF_BYTES / 4) as u64;
        if notify {
            r.sock_marks.push(r.sock_sent);
        }
    }
    cx.send_notify(fd, SendKind::Stream, bytes, notify);
}

/// `processClientsWaitingReplicas`: answer WAITs whose replicas have acknowledged.
fn process_clients_waiting_acks(node: &mut Node, cx: &mut Ctx) {
    for id in node.clients_waiting_acks.clone() {
        let Some(Blocked::Wait {
            offset,
            numreplicas,
            ..
        }) = node.clients.get(&id).and_then(|c| c.blocked.clone())
        else {
            continue;
        };
        let n = count_acks(node, offset);
        if n >= numreplicas {
            node.unblock(cx, id, Reply::Integer(n));
        }
    }
}

/// `replicationCountAcksByOffset`: online replicas that acknowledged `offset`.
pub fn count_acks(node: &Node, offset: i64) -> i64 {
    node.repl
        .slaves
        .iter()
        .filter_map(|id| node.clients.get(id)?.replica.as_ref())
        .filter(|r| r.state == ReplicaState::Online && r.ack_off >= offset)
        .count() as i64
}

/// `WAIT numreplicas timeout`.
pub fn wait_command(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    if node.repl.masterhost.is_some() {
        return Some(Reply::err(node.cfg.version.profile().err_wait_on_replica));
    }
    let Some(numreplicas) = string2ll(&c.argv[1]) else {
        return Some(errors::not_integer());
    };
    let Some(timeout) = string2ll(&c.argv[2]) else {
        return Some(Reply::err("ERR timeout is not an integer or out of range"));
    };
    if timeout < 0 {
        return Some(Reply::err("ERR timeout is negative"));
    }
    let client = node.clients.get(&c.client)?;
    let offset = client.woff;
    let acked = count_acks(node, offset);
    // Inside EXEC (a nested call) WAIT cannot block: it answers the count at once.
    if acked >= numreplicas || client.multi.is_some() || node.in_nested_call > 1 {
        return Some(Reply::Integer(acked));
    }
    let deadline_ms = (timeout > 0).then(|| cx.mstime() + timeout);
    let client = node.clients.get_mut(&c.client)?;
    client.blocked = Some(Blocked::Wait {
        offset,
        numreplicas,
        deadline_ms,
    });
    node.clients_waiting_acks.insert(0, c.client);
    node.repl.get_ack_from_slaves = true;
    None
}

/// `refreshGoodSlavesCount`.
pub fn refresh_good_slaves(node: &mut Node, cx: &Ctx) {
    if node.cfg.min_replicas_to_write == 0 || node.cfg.min_replicas_max_lag_secs == 0 {
        return;
    }
    let now = cx.unixtime();
    let max_lag = node.cfg.min_replicas_max_lag_secs;
    node.repl.good_slaves = node
        .repl
        .slaves
        .iter()
        .filter_map(|id| node.clients.get(id)?.replica.as_ref())
        .filter(|r| r.state == ReplicaState::Online && now - r.ack_time <= max_lag)
        .count() as i64;
}

/// `checkGoodReplicasStatus`: may this node accept writes under min-replicas-to-write?
pub fn good_replicas_ok(node: &Node) -> bool {
    node.repl.masterhost.is_some()
        || node.cfg.min_replicas_max_lag_secs == 0
        || node.cfg.min_replicas_to_write == 0
        || node.repl.good_slaves >= node.cfg.min_replicas_to_write
}

/// `changeReplicationId`.
pub fn change_replid(node: &mut Node, cx: &mut Ctx) {
    node.repl.replid = cx.rng.hex40();
}

/// `clearReplicationId2`.
pub fn clear_replid2(node: &mut Node) {
    node.repl.replid2 = NULL_REPLID.into();
    node.repl.second_replid_offset = -1;
    node.repl.replid2_from = psync::Replid2From::None;
}

/// `shiftReplicationId`: on promotion, my history becomes replid2 (valid up to my
/// offset + 1) and I start a new one.
pub fn shift_replid(node: &mut Node, cx: &mut Ctx) {
    node.repl.replid2 = node.repl.replid.clone();
    node.repl.second_replid_offset = node.repl.master_repl_offset + 1;
    node.repl.replid2_from = psync::Replid2From::Promotion;
    change_replid(node, cx);
    cx.warning(format!(
        "Setting secondary replication ID to {}, valid up to offset: {}. New replication ID is {}",
        node.repl.replid2, node.repl.second_replid_offset, node.repl.replid
    ));
    replid_event(node, cx, "promoted: my history becomes replid2");
}

/// Report the replication ids on the event log.
pub fn replid_event(node: &Node, cx: &mut Ctx, why: &str) {
    cx.event(NodeEvent::ReplidChange {
        replid: node.repl.replid.clone(),
        replid2: node.repl.replid2.clone(),
        second_repl_offset: node.repl.second_replid_offset,
        why: why.into(),
    });
}

/// `createReplicationBacklog`.
pub fn create_backlog(node: &mut Node) {
    let id = node.repl.next_block_id;
    node.repl.backlog = Some(Backlog::new(
        node.repl.master_repl_offset,
        node.cfg.repl_backlog_size_bytes,
        id,
    ));
}

/// `freeReplicationBacklog` (no replicas may be attached).
pub fn free_backlog(node: &mut Node) {
    if let Some(b) = node.repl.backlog.take() {
        node.repl.next_block_id = b.next_block_id;
    }
}

/// The master's state as the PSYNC decision sees it.
pub fn master_state(node: &Node) -> MasterState {
    MasterState {
        replid: node.repl.replid.clone(),
        replid2: node.repl.replid2.clone(),
        second_repl_offset: node.repl.second_replid_offset,
        master_repl_offset: node.repl.master_repl_offset,
        backlog: node.repl.backlog.as_ref().map(|b| (b.offset, b.histlen)),
        replid2_from: node.repl.replid2_from,
    }
}

/// The master's side of a decision's [`psync::Context`]: who this process is and
/// what it holds (the Sim adds the restart and the replica's keys).
pub fn decision_context(node: &Node, cx: &Ctx, replica_host: &str) -> psync::Context {
    psync::Context {
        run_id: node.run_id.clone(),
        uptime_ms: cx.mstime() - node.started_ms,
        replid2_from: node.repl.replid2_from,
        keys: node.ks.total_keys() as u64,
        rdb_keys_loaded_at_start: node.persist.rdb_keys_loaded_at_start,
        restarted: false,
        replica_host: replica_host.to_string(),
        replica_keys: None,
    }
}

fn replica_state_event(node: &Node, cx: &mut Ctx, id: ClientId) {
    if let Some(c) = node.clients.get(&id) {
        if let Some(r) = &c.replica {
            cx.event(NodeEvent::ReplicaClientState {
                client: id,
                addr: c.replica_name(),
                state: r.state.info_name().into(),
            });
        }
    }
}

/// `SYNC` and `PSYNC replid offset`.
pub fn sync_command(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    let id = c.client;
    let client = node.clients.get(&id)?;
    if client.replica.is_some() {
        return None; // already a replica: ignored
    }
    let is_psync = c.argv[0].eq_ignore_ascii_case(b"psync");
    let failover = is_psync && c.argv.len() > 3 && c.argv[3].eq_ignore_ascii_case(b"failover");
    if failover {
        let asked = String::from_utf8_lossy(&c.argv[1]).into_owned();
        cx.warning(format!("Failover request received for replid {asked}."));
        if node.repl.masterhost.is_none() {
            return Some(Reply::err("ERR PSYNC FAILOVER can't be sent to a master."));
        }
        if asked.eq_ignore_ascii_case(&node.repl.replid) {
            super::replica::unset_master(node, cx);
            cx.notice(format!(
                "MASTER MODE enabled (failover request from '{}')",
                node.clients
                    .get(&id)
                    .map_or(String::new(), |c| c.peer_host.clone())
            ));
        } else {
            return Some(Reply::err(
                "ERR PSYNC FAILOVER replid must match my replid.",
            ));
        }
    }
    // Replicas do not sync with a master failing over.
    if node.repl.failover.is_some() {
        return Some(Reply::err("NOMASTERLINK Can't SYNC while failing over"));
    }
    if node.repl.masterhost.is_some() && node.repl.state != super::LinkState::Connected {
        return Some(Reply::err(
            "NOMASTERLINK Can't SYNC while not connected with my master",
        ));
    }
    let client = node.clients.get(&id)?;
    let info = ReplicaInfo::new(
        client.pending_listening_port,
        client.pending_ip.clone(),
        client.pending_capa_eof,
        client.pending_capa_psync2,
    );
    let name = {
        let mut probe = client.clone();
        probe.replica = Some(info.clone());
        probe.replica_name()
    };
    cx.notice(format!("Replica {name} asks for synchronization"));
    let mut pre_psync = false;
    let dual_rdb = client.pending_rdb_channel
        && client.pending_main_ch.is_none()
        && node.cfg.version.profile().dual_channel;
    if is_psync {
        let Some(offset) = string2ll(&c.argv[2]) else {
            cx.warning(format!(
                "Replica {name} asks for synchronization but with a wrong offset"
            ));
            return Some(errors::not_integer());
        };
        let asked = String::from_utf8_lossy(&c.argv[1]).into_owned();
        let mut decision = psync::decide(&name, &asked, offset, &master_state(node));
        decision.context = decision_context(node, cx, &client.peer_host);
        decision.failover = failover;
        if (client.pending_capa_rdb_channel || client.pending_capa_dual) && !decision.is_partial() {
            decision.channel = Some("main");
        }
        if client.pending_rdb_client.is_some() {
            decision.channel = Some("continue");
        }
        if client.pending_main_ch.is_some() {
            decision.channel = Some("rdb");
            for line in &mut decision.log {
                if line.starts_with("Full resync requested by replica") {
                    line.push_str(" (rdb-channel)");
                }
            }
        }
        for line in &decision.log {
            if line.starts_with("Warning") {
                cx.warning(line.clone());
            } else {
                cx.notice(line.clone());
            }
        }
        let verdict = decision.verdict.clone();
        cx.event(NodeEvent::PsyncDecision(Box::new(decision)));
        if let Verdict::Continue { .. } = verdict {
            node.repl.stat_sync_partial_ok += 1;
            let now = cx.unixtime();
            let psync2 = info.capa_psync2;
            let mut info = info;
            // Valkey's dual channel: the main connection streams while the replica
            // loads the RDB, and goes online at its first ACK.
            let rdb = node.clients.get(&id)?.pending_rdb_client;
            info.state = match rdb {
                Some(_) => ReplicaState::BgRdbLoad,
                None => ReplicaState::Online,
            };
            if let Some(rdb) = rdb {
                end_psync_wait(node, rdb);
            }
            info.ack_time = now;
            let client = node.clients.get_mut(&id)?;
            client.replica = Some(info);
            node.repl.slaves.push(id);
            let line = if psync2 {
                format!("+CONTINUE {}\r\n", node.repl.replid)
            } else {
                "+CONTINUE\r\n".to_string()
            };
            let fd = node.clients.get(&id)?.fd?;
            cx.send(fd, SendKind::PsyncReply, line.into_bytes());
            let pos = node
                .repl
                .backlog
                .as_mut()
                .map(|b| b.attach_at(offset).0)
                .unwrap_or(None);
            if let Some(r) = node.clients.get_mut(&id).and_then(|c| c.replica.as_mut()) {
                r.buf_ref = pos;
            }
            refresh_good_slaves(node, cx);
            replica_state_event(node, cx, id);
            return None;
        }
        if !asked.starts_with('?') {
            node.repl.stat_sync_partial_err += 1;
        }
    } else {
        // SYNC: the pre-2.8 protocol, or a Valkey dual-channel rdb channel.
        pre_psync = !dual_rdb;
    }

    let client = node.clients.get(&id)?;
    let (rdb_main, rdb_of) = (
        is_psync && client.pending_capa_rdb_channel && client.pending_main_ch.is_none(),
        client.pending_main_ch,
    );
    let dual_main = is_psync && client.pending_capa_dual && !dual_rdb;
    let mut info = info;
    info.pre_psync = pre_psync;
    info.capa_rdb_channel = rdb_main;
    info.rdb_channel_of = rdb_of;
    info.dual_rdb = dual_rdb;
    if dual_main {
        // Valkey: the RDB will come over a second connection; this one is not a
        // replica yet (it will PSYNC again from the RDB's offset).
        cx.notice(format!("Dual channel replication: Replica {name} is capable of dual channel synchronization, and partial sync isn't possible. Full sync will continue with dedicated RDB channel."));
        let fd = node.clients.get(&id)?.fd?;
        cx.send(fd, SendKind::PsyncReply, b"+DUALCHANNELSYNC\r\n".to_vec());
        return None;
    }
    if rdb_main {
        // Redis 8.0: the RDB will come over a second connection (the rdb channel);
        // this one waits for it and is not counted as a full sync.
        info.state = ReplicaState::WaitRdbChannel;
        node.clients.get_mut(&id)?.replica = Some(info);
        node.repl.slaves.push(id);
        create_backlog_for_first_replica(node, cx);
        cx.notice(format!("Replica {name} is capable of rdb channel synchronization, and partial sync isn't possible. Full sync will continue with dedicated rdb channel."));
        let fd = node.clients.get(&id)?.fd?;
        let line = format!("+RDBCHANNELSYNC {}\r\n", id.0);
        cx.send(fd, SendKind::PsyncReply, line.into_bytes());
        replica_state_event(node, cx, id);
        return None;
    }

    // Full resynchronization.
    node.repl.stat_sync_full += 1;
    let capa_eof = info.capa_eof;
    node.clients.get_mut(&id)?.replica = Some(info);
    node.repl.slaves.push(id);
    replica_state_event(node, cx, id);
    create_backlog_for_first_replica(node, cx);
    match node.persist.child.as_ref().map(|ch| ch.kind) {
        Some(ChildKind::Disk) => {
            // Attach to the running disk BGSAVE if another replica already records
            // the writes made since it forked.
            let other = node.repl.slaves.iter().copied().find(|o| {
                *o != id
                    && node
                        .clients
                        .get(o)
                        .and_then(|c| c.replica.as_ref())
                        .is_some_and(|r| r.state == ReplicaState::WaitBgsaveEnd)
            });
            match other {
                Some(o) => {
                    let (pos, initial) = {
                        let r = node.clients.get(&o)?.replica.as_ref()?;
                        (r.buf_ref, r.psync_initial_offset)
                    };
                    if let (Some(p), Some(b)) = (pos, node.repl.backlog.as_mut()) {
                        if let Some(i) = b.blocks.iter().position(|blk| blk.id == p.block) {
                            b.blocks[i].refcount += 1;
                        }
                    }
                    if let Some(r) = node.clients.get_mut(&id).and_then(|c| c.replica.as_mut()) {
                        r.buf_ref = pos;
                    }
                    setup_full_resync(node, cx, id, initial);
                    cx.notice("Waiting for end of BGSAVE for SYNC");
                }
                None => cx.notice(
                    "Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
                ),
            }
        }
        Some(ChildKind::Socket) => {
            cx.notice("Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC")
        }
        None => {
            if node.cfg.repl_diskless_sync && capa_eof && node.cfg.repl_diskless_sync_delay_secs > 0
            {
                cx.notice("Delay next BGSAVE for diskless SYNC");
            } else {
                start_bgsave_for_replication(node, cx, capa_eof);
            }
        }
    }
    None
}

/// Valkey: the main connection of dual-channel rdb channel `rdb` sent its PSYNC: the
/// pin on the backlog goes, and the rdb channel too if its RDB is all sent.
fn end_psync_wait(node: &mut Node, rdb: ClientId) {
    let Some(i) = node.repl.psync_waiting.iter().position(|(w, _)| *w == rdb) else {
        return;
    };
    let (_, pos) = node.repl.psync_waiting.remove(i);
    if let (Some(b), Some(pos)) = (node.repl.backlog.as_mut(), pos) {
        b.release(pos, node.repl.master_repl_offset);
    }
    // Its fork was reaped (it is no longer waiting for it): nothing more to send.
    let reaped = node
        .clients
        .get(&rdb)
        .and_then(|c| c.replica.as_ref())
        .is_some_and(|r| r.state == ReplicaState::WaitBgsaveEnd)
        && node.persist.child.is_none();
    if reaped {
        node.free_client_async(rdb);
    }
}

/// The first replica of a master without a backlog starts a new history: a new id,
/// no secondary id, a backlog.
fn create_backlog_for_first_replica(node: &mut Node, cx: &mut Ctx) {
    if node.repl.slaves.len() == 1 && node.repl.backlog.is_none() {
        change_replid(node, cx);
        clear_replid2(node);
        create_backlog(node);
        cx.notice(format!(
            "Replication backlog created, my new replication IDs are '{}' and '{}'",
            node.repl.replid, node.repl.replid2
        ));
        replid_event(node, cx, "backlog created for the first replica");
    }
}

/// `replicationSetupSlaveForFullResync`: remember the offset, start accumulating,
/// force a SELECT, and send `+FULLRESYNC <replid> <offset>`.
pub fn setup_full_resync(node: &mut Node, cx: &mut Ctx, id: ClientId, offset: i64) {
    let dbid = node.repl.slaveseldb;
    node.repl.slaveseldb = -1;
    let replid = node.repl.replid.clone();
    let Some(c) = node.clients.get_mut(&id) else {
        return;
    };
    let Some(r) = c.replica.as_mut() else {
        return;
    };
    r.psync_initial_offset = offset;
    r.state = ReplicaState::WaitBgsaveEnd;
    let (pre, main, dual) = (r.pre_psync, r.rdb_channel_of, r.dual_rdb);
    if dual {
        // Valkey's dual channel: where the RDB ends and who to name in the PSYNC that
        // follows on the main connection; the backlog is pinned from here until then.
        let name = c.replica_name();
        cx.notice(format!("Dual channel replication: Sending to replica {name} RDB end offset {offset} and client-id {}", id.0));
        if let Some(fd) = c.fd {
            let line = format!("$ENDOFF:{offset} {replid} {} {}\r\n", dbid.max(0), id.0);
            cx.send(fd, SendKind::PsyncReply, line.into_bytes());
        }
        node.repl.psync_waiting.push((id, None));
    } else if let (false, Some(fd)) = (pre, c.fd) {
        cx.send(
            fd,
            SendKind::PsyncReply,
            format!("+FULLRESYNC {replid} {offset}\r\n").into_bytes(),
        );
    }
    replica_state_event(node, cx, id);
    // Redis 8.0: the main channel of this rdb channel gets the stream from now on.
    let Some(m) = main.and_then(|m| node.clients.get_mut(&m)) else {
        return;
    };
    let name = m.replica_name();
    let Some(r) = m
        .replica
        .as_mut()
        .filter(|r| r.state == ReplicaState::WaitRdbChannel)
    else {
        return;
    };
    r.state = ReplicaState::SendBulkAndStream;
    r.psync_initial_offset = offset;
    cx.notice(format!(
        "Starting to deliver RDB and replication stream to replica: {name}"
    ));
    replica_state_event(node, cx, main.expect("checked"));
}

/// `startBgsaveForReplication`: fork, to the replicas' sockets (diskless, when all
/// waiting replicas understand `$EOF:`) or to disk.
pub fn start_bgsave_for_replication(node: &mut Node, cx: &mut Ctx, mincapa_eof: bool) {
    let socket_target = node.cfg.repl_diskless_sync && mincapa_eof;
    let offset = node.repl.master_repl_offset;
    let waiting: Vec<ClientId> = node
        .repl
        .slaves
        .iter()
        .copied()
        .filter(|id| {
            node.clients
                .get(id)
                .and_then(|c| c.replica.as_ref())
                .is_some_and(|r| r.state == ReplicaState::WaitBgsaveStart)
        })
        .collect();
    let (rdb_channel, dual) = waiting.iter().fold((false, false), |(rc, d), id| {
        let r = node.clients.get(id).and_then(|c| c.replica.as_ref());
        (
            rc || r.is_some_and(|r| r.rdb_channel_of.is_some()),
            d || r.is_some_and(|r| r.dual_rdb),
        )
    });
    let words = &node.cfg.version.profile().words;
    cx.notice(format!(
        "Starting BGSAVE for SYNC with target: {}{}",
        if socket_target {
            "replicas sockets"
        } else {
            "disk"
        },
        match (rdb_channel, dual) {
            (true, _) => " (rdb-channel)",
            (_, true) => " using: dual-channel",
            _ => words.bgsave_normal,
        }
    ));
    if socket_target {
        for id in &waiting {
            setup_full_resync(node, cx, *id, offset);
        }
        let rdb = persist::rdb_for_save(node, cx);
        let mark = cx.rng.hex40();
        let mut payload = Vec::with_capacity(rdb.len() + 90);
        payload.extend_from_slice(format!("$EOF:{mark}\r\n").as_bytes());
        payload.extend_from_slice(&rdb);
        payload.extend_from_slice(mark.as_bytes());
        for id in &waiting {
            if let Some(fd) = node.clients.get(id).and_then(|c| c.fd) {
                node.stats.total_net_repl_output_bytes += payload.len() as u64;
                cx.out.push(Effect::Send {
                    kind: SendKind::Rdb,
                    fd,
                    bytes: payload.clone(),
                    notify_drained: true,
                });
            }
        }
        node.stats.total_forks += 1;
        let words = &node.cfg.version.profile().words;
        cx.notice(format!(
            "Background RDB transfer started by pid {}{}",
            node.process_id + node.stats.total_forks as u32,
            if rdb_channel || dual {
                words.rdb_to_socket
            } else {
                words.rdb_to_pipe
            }
        ));
        cx.event(NodeEvent::BgsaveStart {
            target: "replicas sockets".into(),
            rdb_bytes: rdb.len(),
        });
        node.persist.child = Some(RdbChild {
            kind: ChildKind::Socket,
            started_ms: cx.mstime(),
            rdb,
            waiting_drain: waiting.clone(),
            finished: waiting.is_empty(),
        });
    } else {
        persist::bgsave_to_disk(node, cx);
        for id in &waiting {
            setup_full_resync(node, cx, *id, offset);
        }
    }
}

/// `updateSlavesWaitingBgsave`: a BGSAVE ended; move the replicas that waited for
/// it along (socket: online, stream on first ACK; disk: send the file).
pub fn update_replicas_waiting_bgsave(
    node: &mut Node,
    cx: &mut Ctx,
    ok: bool,
    kind: ChildKind,
    rdb: &[u8],
) {
    for id in node.repl.slaves.clone() {
        let Some(c) = node.clients.get(&id) else {
            continue;
        };
        let Some(r) = c.replica.as_ref() else {
            continue;
        };
        if r.state == ReplicaState::SendBulkAndStream {
            // Redis 8.0: the RDB is all in the rdb channel's socket: online.
            if ok {
                put_online(node, cx, id);
            } else {
                node.free_client_async(id);
            }
            continue;
        }
        if r.state != ReplicaState::WaitBgsaveEnd {
            continue;
        }
        let name = c.replica_name();
        let rdb_only = r.rdb_channel_of.is_some();
        if !ok {
            node.free_client_async(id);
            cx.warning("SYNC failed. BGSAVE child returned an error");
            continue;
        }
        match kind {
            ChildKind::Socket if rdb_only || r.dual_rdb => {
                cx.notice(format!("Streamed RDB transfer with replica {name} succeeded (socket). Waiting for REPLCONF ACK from replica to enable streaming"));
                cx.notice(format!(
                    "RDB transfer completed, rdb only replica ({name}) should be disconnected asap"
                ));
                // Valkey keeps an rdb channel whose main PSYNC has not come yet (up to
                // 60 s): it still pins the backlog.
                if !node.repl.psync_waiting.iter().any(|(w, _)| *w == id) {
                    node.free_client_async(id);
                }
            }
            ChildKind::Socket => {
                cx.notice(format!("Streamed RDB transfer with replica {name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming"));
                put_online(node, cx, id);
                if let Some(r) = node.clients.get_mut(&id).and_then(|c| c.replica.as_mut()) {
                    r.start_cmd_stream_on_ack = true;
                }
            }
            ChildKind::Disk => {
                let fd = c.fd;
                let r = node
                    .clients
                    .get_mut(&id)
                    .and_then(|c| c.replica.as_mut())
                    .expect("checked");
                r.state = ReplicaState::SendBulk;
                r.bulk_in_flight = true;
                let mut payload = format!("${}\r\n", rdb.len()).into_bytes();
                payload.extend_from_slice(rdb);
                if let Some(fd) = fd {
                    node.stats.total_net_repl_output_bytes += payload.len() as u64;
                    cx.out.push(Effect::Send {
                        kind: SendKind::Rdb,
                        fd,
                        bytes: payload,
                        notify_drained: true,
                    });
                }
                replica_state_event(node, cx, id);
            }
        }
    }
}

/// `replicaPutOnline`.
fn put_online(node: &mut Node, cx: &mut Ctx, id: ClientId) {
    let now = cx.unixtime();
    let Some(c) = node.clients.get_mut(&id) else {
        return;
    };
    let name = c.replica_name();
    if let Some(r) = c.replica.as_mut() {
        r.state = ReplicaState::Online;
        r.ack_time = now;
        r.bulk_in_flight = false;
    }
    refresh_good_slaves(node, cx);
    cx.notice(format!("Synchronization with replica {name} succeeded"));
    replica_state_event(node, cx, id);
}

/// The network says bytes sent with `notify_drained` to replica `id` have left:
/// the RDB file (disk target) or the diskless stream is fully written.
pub fn on_replica_drained(node: &mut Node, cx: &mut Ctx, id: ClientId) {
    let Some(r) = node.clients.get_mut(&id).and_then(|c| c.replica.as_mut()) else {
        return;
    };
    if r.state == ReplicaState::Online && !r.sock_marks.is_empty() {
        // Stream bytes left the socket's send buffer: room for more.
        r.sock_left = r.sock_marks.remove(0);
        write_to_replica(node, cx, id);
        return;
    }
    if r.state == ReplicaState::SendBulk && r.bulk_in_flight {
        // sendBulkToSlave finished: online, and the accumulated stream follows.
        put_online(node, cx, id);
        write_to_replica(node, cx, id);
        return;
    }
    let rdb_only = r.rdb_channel_of.is_some() || r.dual_rdb;
    if let Some(child) = node.persist.child.as_mut() {
        if child.kind == ChildKind::Socket {
            child.waiting_drain.retain(|w| *w != id);
            if child.waiting_drain.is_empty() {
                child.finished = true;
                // An rdb channel's child writes the socket itself: no pipe.
                if !rdb_only {
                    cx.warning(
                        "Diskless rdb transfer, done reading from pipe, 1 replicas still up.",
                    );
                }
            }
        }
    }
}

/// A replica client was freed: drop it from the list and release its buffer.
pub fn replica_gone(node: &mut Node, cx: &mut Ctx, c: &Client) {
    node.repl.slaves.retain(|s| *s != c.id);
    let r = c.replica.as_ref().expect("a replica");
    if let (Some(b), Some(pos)) = (node.repl.backlog.as_mut(), r.buf_ref) {
        b.release(pos, node.repl.master_repl_offset);
    }
    if let Some(child) = node.persist.child.as_mut() {
        if child.kind == ChildKind::Socket && child.waiting_drain.contains(&c.id) {
            child.waiting_drain.retain(|w| *w != c.id);
            let still_up = node.repl.slaves.iter().any(|s| {
                node.clients
                    .get(s)
                    .and_then(|c| c.replica.as_ref())
                    .is_some_and(|r| r.state == ReplicaState::WaitBgsaveEnd)
            });
            if !still_up && !child.finished {
                cx.warning("Diskless rdb transfer, last replica dropped, killing fork child.");
                node.persist.child = None;
            } else if child.waiting_drain.is_empty() {
                child.finished = true;
            }
        }
    }
    if node.repl.slaves.is_empty() {
        node.repl.no_slaves_since = cx.unixtime();
    }
    refresh_good_slaves(node, cx);
    if let Some(i) = node.repl.psync_waiting.iter().position(|(w, _)| *w == c.id) {
        let (_, pos) = node.repl.psync_waiting.remove(i);
        if let (Some(b), Some(pos)) = (node.repl.backlog.as_mut(), pos) {
            b.release(pos, node.repl.master_repl_offset);
        }
    }
    if r.dual_rdb {
        cx.notice(format!(
            "Dual channel replication: Replica {} rdb channel disconnected.",
            c.replica_name()
        ));
    } else {
        cx.warning(format!(
            "Connection with replica {}{} lost.",
            if r.rdb_channel_of.is_some() {
                "(rdbchannel) "
            } else {
                ""
            },
            c.replica_name()
        ));
    }
    cx.event(NodeEvent::ReplicaClientState {
        client: c.id,
        addr: c.replica_name(),
        state: "gone".into(),
    });
}

/// `disconnectSlaves`: drop every replica (they will reconnect and PSYNC).
pub fn disconnect_replicas(node: &mut Node, cx: &mut Ctx) {
    for id in node.repl.slaves.clone() {
        node.free_client(cx, id);
    }
}

/// Whether this master's version can sync over two connections (Redis 8.0's rdb
/// channel, Valkey 8.1's dual channel).
fn two_channels(node: &Node) -> bool {
    let p = node.cfg.version.profile();
    p.rdb_channel || p.dual_channel
}

/// `REPLCONF <option> <value> ...`.
pub fn replconf_command(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    if c.argv.len().is_multiple_of(2) {
        return Some(errors::syntax());
    }
    let id = c.client;
    let mut j = 1;
    while j < c.argv.len() {
        let opt = c.argv[j].to_ascii_lowercase();
        let val = c.argv[j + 1].clone();
        match opt.as_slice() {
            b"listening-port" => {
                let Some(port) = string2ll(&val) else {
                    return Some(errors::not_integer());
                };
                node.clients.get_mut(&id)?.pending_listening_port = port as u16;
            }
            b"ip-address" => {
                if val.len() >= 46 {
                    return Some(Reply::err(format!(
                        "ERR REPLCONF ip-address provided by replica instance is too long: {} bytes",
                        val.len()
                    )));
                }
                node.clients.get_mut(&id)?.pending_ip =
                    Some(String::from_utf8_lossy(&val).into_owned());
            }
            b"capa" => {
                let client = node.clients.get_mut(&id)?;
                if val.eq_ignore_ascii_case(b"eof") {
                    client.pending_capa_eof = true;
                } else if val.eq_ignore_ascii_case(b"psync2") {
                    client.pending_capa_psync2 = true;
                } else if val.eq_ignore_ascii_case(b"rdb-channel-repl") {
                    // Honoured only with repl-rdb-channel and diskless sync; otherwise
                    // ignored, the reply still +OK.
                    client.pending_capa_rdb_channel = node.cfg.version.profile().rdb_channel
                        && node.cfg.repl_rdb_channel
                        && node.cfg.repl_diskless_sync;
                } else if val.eq_ignore_ascii_case(b"dual-channel") {
                    client.pending_capa_dual = node.cfg.version.profile().dual_channel
                        && node.cfg.dual_channel_replication
                        && node.cfg.repl_diskless_sync;
                }
            }
            b"rdb-only" if two_channels(node) => {}
            b"rdb-channel" if two_channels(node) => {
                node.clients.get_mut(&id)?.pending_rdb_channel = val.as_slice() == b"1";
            }
            b"set-rdb-client-id" if node.cfg.version.profile().dual_channel => {
                let rdb = string2ll(&val).map(|v| ClientId(v as u64));
                if !rdb.is_some_and(|r| node.repl.psync_waiting.iter().any(|(w, _)| *w == r)) {
                    return Some(Reply::err(format!(
                        "ERR Unrecognized RDB client id {}",
                        String::from_utf8_lossy(&val)
                    )));
                }
                node.clients.get_mut(&id)?.pending_rdb_client = rdb;
            }
            b"main-ch-client-id" if node.cfg.version.profile().rdb_channel => {
                let main = string2ll(&val).map(|v| ClientId(v as u64));
                let waiting = main.and_then(|m| node.clients.get(&m)).is_some_and(|m| {
                    m.replica
                        .as_ref()
                        .is_some_and(|r| r.state == ReplicaState::WaitRdbChannel)
                });
                if !waiting {
                    return Some(Reply::err(format!(
                        "ERR Unrecognized RDB client id: {}",
                        String::from_utf8_lossy(&val)
                    )));
                }
                node.clients.get_mut(&id)?.pending_main_ch = main;
            }
            b"ack" => {
                ack(node, cx, id, &val);
                return None;
            }
            b"getack" => {
                if node.repl.masterhost.is_some() && node.repl.master.is_some() {
                    super::replica::send_ack(node, cx);
                }
                return None;
            }
            b"version" if node.cfg.version.profile().knows_replconf_version => {}
            b"rdb-only" | b"rdb-filter-only" => {
                return Some(Reply::err(format!(
                    "ERR REPLCONF {} is not supported by the simulator",
                    String::from_utf8_lossy(&opt)
                )));
            }
            _ => {
                return Some(Reply::err(format!(
                    "ERR Unrecognized REPLCONF option: {}",
                    String::from_utf8_lossy(&c.argv[j])
                )))
            }
        }
        j += 2;
    }
    Some(Reply::ok())
}

/// `REPLCONF ACK <offset>` from a replica: record it; it may finish a diskless
/// sync and start the stream. Never answered, and never a reason to resend.
fn ack(node: &mut Node, cx: &mut Ctx, id: ClientId, val: &[u8]) {
    let now = cx.unixtime();
    let Some(r) = node.clients.get_mut(&id).and_then(|c| c.replica.as_mut()) else {
        return;
    };
    let Some(offset) = string2ll(val) else {
        return;
    };
    if offset > r.ack_off {
        r.ack_off = offset;
    }
    r.ack_time = now;
    if matches!(
        r.state,
        ReplicaState::SendBulkAndStream | ReplicaState::BgRdbLoad
    ) {
        // Redis 8.0: the replica loaded the RDB before the fork was reaped; Valkey:
        // its dual-channel replica loaded the RDB.
        put_online(node, cx, id);
    }
    let Some(r) = node.clients.get_mut(&id).and_then(|c| c.replica.as_mut()) else {
        return;
    };
    let waiting_end = r.state == ReplicaState::WaitBgsaveEnd;
    if waiting_end && node.persist.child.is_some() {
        persist::check_children_done(node, cx);
    }
    let Some(r) = node.clients.get_mut(&id).and_then(|c| c.replica.as_mut()) else {
        return;
    };
    if r.start_cmd_stream_on_ack && r.state == ReplicaState::Online {
        r.start_cmd_stream_on_ack = false;
        write_to_replica(node, cx, id);
    }
    if node.cfg.textbook_ack_resend {
        textbook_resend(node, cx, id, offset);
    }
}

/// NOT Redis (`textbook-ack-resend yes`): what popular explanations describe. If a
/// replica acknowledges less than we had sent by its previous ACK (a whole ACK
/// period ago, so those bytes are not merely still in flight), re-send the
/// difference from the backlog. Real Redis never does this: TCP does not lose
/// bytes inside a connection, and a gap is only repaired by PSYNC after a reconnect.
fn textbook_resend(node: &mut Node, cx: &mut Ctx, id: ClientId, acked: i64) {
    let now_offset = node.repl.master_repl_offset;
    let Some(c) = node.clients.get_mut(&id) else {
        return;
    };
    let name = c.replica_name();
    let fd = c.fd;
    let Some(r) = c.replica.as_mut() else {
        return;
    };
    let prev = std::mem::replace(&mut r.textbook_prev_offset, now_offset);
    if r.state != ReplicaState::Online || acked >= prev {
        return;
    }
    let Some(bytes) = node
        .repl
        .backlog
        .as_ref()
        .and_then(|b| b.bytes_from(acked + 1))
    else {
        return;
    };
    let bytes = bytes[..(prev - acked) as usize].to_vec();
    cx.warning(format!(
        "[textbook mode, NOT Redis] replica {name} acknowledged {acked} < {prev}: re-sending {} bytes from offset {}",
        bytes.len(),
        acked + 1
    ));
    if let Some(fd) = fd {
        cx.send(fd, SendKind::Stream, bytes);
    }
}
