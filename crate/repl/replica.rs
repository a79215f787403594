//! The replica side: connecting to the master, the handshake (`PING`, `REPLCONF
//! listening-port`, `REPLCONF capa eof capa psync2`, `PSYNC`), receiving and loading
//! the RDB, applying the stream, ACKs, caching the master for a later PSYNC, and
//! `REPLICAOF` in both directions.
//!
//! ```text
//! replica -> master   PING                          master -> replica  +PONG
//! replica -> master   REPLCONF listening-port 6379  master -> replica  +OK
//! replica -> master   REPLCONF capa eof capa psync2 master -> replica  +OK
//! replica -> master   PSYNC ? -1                    master -> replica  +FULLRESYNC <replid> <offset>
//! ```

use super::{master, LinkState, RdbChannel, RdbChannelState, Transfer};
use crate::node::client::{Client, MasterInfo};
use crate::node::config::ClientClass;
use crate::node::effects::{ClientId, CloseReason, Ctx, Effect, Fd, NodeEvent, SendKind};
use crate::node::{persist, FdUse, Node};
use crate::resp;
use crate::version::ReplicaSync;

fn set_state(node: &mut Node, cx: &mut Ctx, state: LinkState) {
    if node.repl.state != state {
        node.repl.state = state;
        cx.event(NodeEvent::ReplicaState {
            state: state.name().into(),
        });
    }
}

fn master_addr(node: &Node) -> String {
    format!(
        "{}:{}",
        node.repl.masterhost.as_deref().unwrap_or("?"),
        node.repl.masterport
    )
}

/// `connectWithMaster`: start a non-blocking connect.
pub fn connect_with_master(node: &mut Node, cx: &mut Ctx) {
    let Some(host) = node.repl.masterhost.clone() else {
        return;
    };
    let fd = node.alloc_fd();
    node.fds.insert(fd, FdUse::MasterLink);
    node.repl.transfer_fd = Some(fd);
    node.repl.transfer_lastio = cx.unixtime();
    node.repl.handshake_buf.clear();
    cx.out.push(Effect::Connect {
        fd,
        host,
        port: node.repl.masterport,
    });
    set_state(node, cx, LinkState::Connecting);
    cx.notice("MASTER <-> REPLICA sync started");
}

/// The connect completed: send PING (`syncWithMaster`, CONNECTING state).
pub fn on_link_connected(node: &mut Node, cx: &mut Ctx, fd: Fd) {
    if node.repl.rdb_channel.as_ref().is_some_and(|ch| ch.fd == fd) {
        rdb_channel_connected(node, cx, fd);
        return;
    }
    if node.repl.state != LinkState::Connecting || node.repl.transfer_fd != Some(fd) {
        return;
    }
    cx.notice("Non blocking connect for SYNC fired the event.");
    set_state(node, cx, LinkState::ReceivePingReply);
    send_command(cx, fd, SendKind::Handshake, &[b"PING"]);
}

fn send_command(cx: &mut Ctx, fd: Fd, kind: SendKind, argv: &[&[u8]]) {
    let mut out = Vec::new();
    resp::encode_command(argv, &mut out);
    cx.send(fd, kind, out);
}

/// Take one reply line (without CRLF) from the handshake buffer.
fn take_line(buf: &mut Vec<u8>) -> Option<String> {
    let nl = buf.iter().position(|&b| b == b'\n')?;
    let mut line: Vec<u8> = buf.drain(..=nl).collect();
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Some(String::from_utf8_lossy(&line).into_owned())
}

/// The handshake failed: close and let the cron reconnect (`syncWithMaster` error path).
fn handshake_error(node: &mut Node, cx: &mut Ctx) {
    drop_transfer(node, cx);
}

/// Close the link being set up (handshake or RDB transfer) and go back to CONNECT, as
/// `cancelReplicationHandshake` does: the cron connects again.
fn drop_transfer(node: &mut Node, cx: &mut Ctx) {
    close_rdb_channel(node, cx);
    if let Some(fd) = node.repl.transfer_fd.take() {
        if node.fds.remove(&fd).is_some() {
            cx.out.push(Effect::Close { fd });
        }
    }
    node.repl.transfer = None;
    node.repl.handshake_buf.clear();
    set_state(node, cx, LinkState::Connect);
}

/// Bytes from the master during the handshake or the RDB transfer.
///
/// What `total_net_repl_input_bytes` counts of them is what Redis counts: the replies
/// of the handshake (`+PONG`, `+OK`, `+FULLRESYNC ...`, `+CONTINUE`, the newlines
/// before them) are read by `connSyncReadLine` and count nowhere, not even in
/// `total_net_input_bytes`; `readSyncBulkPayload` counts from the `$<len>` or
/// `$EOF:<mark>` line (and the newlines before it) on, and the master client counts
/// the stream. So the counting is done where each part is consumed, not here.
pub fn on_link_data(node: &mut Node, cx: &mut Ctx, fd: Fd, bytes: &[u8]) {
    if let Some(ch) = node.repl.rdb_channel.as_mut() {
        if ch.fd == fd {
            rdb_channel_data(node, cx, bytes);
            return;
        }
        if node.repl.transfer_fd == Some(fd) {
            // The stream, while the RDB comes on the other connection: kept here
            // and applied after the load (Redis 8.0's replica full sync buffer).
            if ch.main_replies > 0 {
                ch.main_buf.extend_from_slice(bytes);
                dual_main_replies(node, cx);
                return;
            }
            buffer_stream(node, cx, bytes);
            return;
        }
    }
    if node.repl.transfer_fd != Some(fd) {
        return;
    }
    node.repl.handshake_buf.extend_from_slice(bytes);
    loop {
        let state = node.repl.state;
        let progressed = match state {
            LinkState::ReceivePingReply => match take_line(&mut node.repl.handshake_buf) {
                None => false,
                Some(reply) => {
                    let ok = reply.starts_with('+')
                        || reply.starts_with("-NOAUTH")
                        || reply.starts_with("-NOPERM")
                        || reply.starts_with("-ERR operation not permitted");
                    if !ok {
                        cx.warning(format!("Error reply to PING from master: '{reply}'"));
                        handshake_error(node, cx);
                        return;
                    }
                    cx.notice("Master replied to PING, replication can continue...");
                    if node.cfg.version.profile().replica_sync == ReplicaSync::SyncOnly {
                        // Redis 2.6: no REPLCONF, no PSYNC; every sync is a full one.
                        send_sync(node, cx, fd);
                        return;
                    }
                    send_handshake(node, cx, fd);
                    true
                }
            },
            LinkState::ReceivePortReply
            | LinkState::ReceiveIpReply
            | LinkState::ReceiveCapaReply
            | LinkState::ReceiveVersionReply => match take_line(&mut node.repl.handshake_buf) {
                None => false,
                Some(reply) => {
                    let what = match state {
                        LinkState::ReceivePortReply => "listening-port",
                        LinkState::ReceiveIpReply => "ip-address",
                        LinkState::ReceiveCapaReply => "capa",
                        _ => "VERSION",
                    };
                    if reply.starts_with('-') {
                        cx.notice(format!(
                            "(Non critical) Master does not understand REPLCONF {what}: {reply}"
                        ));
                    }
                    match state {
                        LinkState::ReceivePortReply if node.cfg.replica_announce_ip.is_some() => {
                            set_state(node, cx, LinkState::ReceiveIpReply)
                        }
                        LinkState::ReceivePortReply | LinkState::ReceiveIpReply => {
                            set_state(node, cx, LinkState::ReceiveCapaReply)
                        }
                        LinkState::ReceiveCapaReply
                            if node.cfg.version.profile().replconf_version =>
                        {
                            set_state(node, cx, LinkState::ReceiveVersionReply)
                        }
                        _ => send_psync(node, cx, fd),
                    }
                    true
                }
            },
            LinkState::ReceivePsyncReply => match take_line(&mut node.repl.handshake_buf) {
                None => false,
                Some(reply) if reply.is_empty() => true, // keepalive newline
                Some(reply) => {
                    psync_reply(node, cx, fd, &reply);
                    // After +CONTINUE the rest is stream; it was handed to the master client.
                    if node.repl.state == LinkState::Connected {
                        return;
                    }
                    true
                }
            },
            LinkState::Transfer => {
                read_sync_payload(node, cx);
                return;
            }
            _ => return,
        };
        if !progressed {
            return;
        }
    }
}

/// After PONG: REPLCONF listening-port, [ip-address], capa.
fn send_handshake(node: &mut Node, cx: &mut Ctx, fd: Fd) {
    let port = if node.cfg.replica_announce_port != 0 {
        node.cfg.replica_announce_port
    } else {
        node.cfg.port
    };
    let port = port.to_string();
    send_command(
        cx,
        fd,
        SendKind::Handshake,
        &[b"REPLCONF", b"listening-port", port.as_bytes()],
    );
    if let Some(ip) = node.cfg.replica_announce_ip.clone() {
        send_command(
            cx,
            fd,
            SendKind::Handshake,
            &[b"REPLCONF", b"ip-address", ip.as_bytes()],
        );
    }
    let profile = node.cfg.version.profile();
    let mut capa: Vec<&[u8]> = vec![b"REPLCONF"];
    for c in profile.replica_capa {
        capa.extend_from_slice(&[b"capa", c.as_bytes()]);
    }
    if profile.rdb_channel && node.cfg.repl_rdb_channel {
        capa.extend_from_slice(&[b"capa", b"rdb-channel-repl"]);
    }
    if profile.dual_channel && node.cfg.dual_channel_replication {
        capa.extend_from_slice(&[b"capa", b"dual-channel"]);
    }
    send_command(cx, fd, SendKind::Handshake, &capa);
    if profile.replconf_version {
        // Valkey: sent with the others; its reply is read after capa's.
        send_command(
            cx,
            fd,
            SendKind::Handshake,
            &[b"REPLCONF", b"version", profile.exact.as_bytes()],
        );
    }
    set_state(node, cx, LinkState::ReceivePortReply);
}

/// `slaveTryPartialResynchronization`, writing half.
fn send_psync(node: &mut Node, cx: &mut Ctx, fd: Fd) {
    node.repl.master_initial_offset = -1;
    let (id, off) = match &node.repl.cached_master {
        Some(cm) => {
            let m = cm.master.as_ref().expect("cached master has master info");
            let off = (m.reploff + 1).to_string();
            cx.notice(format!(
                "Trying a partial resynchronization (request {}:{}).",
                m.replid, off
            ));
            (m.replid.clone(), off)
        }
        None => {
            cx.notice("Partial resynchronization not possible (no cached master)");
            ("?".to_string(), "-1".to_string())
        }
    };
    // A master failing over asks its target to promote itself.
    let failover: &[&[u8]] = if super::failover::psync_says_failover(node) {
        &[b"PSYNC", id.as_bytes(), off.as_bytes(), b"FAILOVER"]
    } else {
        &[b"PSYNC", id.as_bytes(), off.as_bytes()]
    };
    send_command(cx, fd, SendKind::Handshake, failover);
    set_state(node, cx, LinkState::ReceivePsyncReply);
}

/// `slaveTryPartialResynchronization`, reading half, then (`syncWithMaster`) the
/// end of a failover we started: over when the target accepted our PSYNC FAILOVER
/// (the paused writes run then), aborted when it refused it.
fn psync_reply(node: &mut Node, cx: &mut Ctx, fd: Fd, reply: &str) {
    let failing_over = super::failover::psync_says_failover(node);
    if failing_over && !super::failover::accepts(reply) {
        return super::failover::abort(node, cx, "Failover target rejected psync request");
    }
    handle_psync_reply(node, cx, fd, reply);
    if failing_over {
        super::failover::clear(node, cx);
    }
}

/// [`psync_reply`]'s reply, as any replica handles it.
fn handle_psync_reply(node: &mut Node, cx: &mut Ctx, fd: Fd, reply: &str) {
    if let Some(rest) = reply.strip_prefix("+FULLRESYNC") {
        match fullresync_args(rest) {
            Some((id, off)) => {
                node.repl.master_replid = id.to_string();
                node.repl.master_initial_offset = off;
                cx.notice(format!("Full resync from master: {id}:{off}"));
            }
            None => {
                cx.warning("Master replied with wrong +FULLRESYNC syntax.");
                node.repl.master_replid.clear();
            }
        }
        start_transfer(node, cx);
        return;
    }
    if let Some(id) = reply.strip_prefix("+RDBCHANNELSYNC") {
        cx.notice("PSYNC is not possible, initialize RDB channel.");
        open_rdb_channel(node, cx, id.trim(), false);
        return;
    }
    if reply.starts_with("+DUALCHANNELSYNC") {
        cx.notice("Dual channel replication: PSYNC is not possible, initialize RDB channel.");
        open_rdb_channel(node, cx, "", true);
        return;
    }
    if let Some(rest) = reply.strip_prefix("+CONTINUE") {
        cx.notice("Successful partial resynchronization with master.");
        let new_id = rest.trim();
        if new_id.len() == 40 {
            let old = node
                .repl
                .cached_master
                .as_ref()
                .and_then(|c| c.master.as_ref())
                .map(|m| m.replid.clone())
                .unwrap_or_default();
            if new_id != old {
                cx.warning(format!("Master replication ID changed to {new_id}"));
                node.repl.replid2 = old;
                node.repl.second_replid_offset = node.repl.master_repl_offset + 1;
                node.repl.replid2_from = crate::repl::psync::Replid2From::MasterReplidChanged;
                node.repl.replid = new_id.to_string();
                if let Some(m) = node
                    .repl
                    .cached_master
                    .as_mut()
                    .and_then(|c| c.master.as_mut())
                {
                    m.replid = new_id.to_string();
                }
                master::replid_event(
                    node,
                    cx,
                    "master's replication id changed (+CONTINUE <new id>)",
                );
                master::disconnect_replicas(node, cx);
            }
        }
        resurrect_cached_master(node, cx, fd);
        if node.repl.backlog.is_none() {
            master::create_backlog(node);
        }
        cx.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
        // Whatever followed +CONTINUE is already stream (the master client reads it).
        let rest = std::mem::take(&mut node.repl.handshake_buf);
        node.stats.total_net_repl_input_bytes += rest.len() as u64;
        if let Some(id) = node.repl.master {
            if let Some(c) = node.clients.get_mut(&id) {
                c.querybuf.extend_from_slice(&rest);
                if let Some(m) = c.master.as_mut() {
                    m.read_reploff += rest.len() as i64;
                }
            }
            process_master_stream(node, cx, id);
        }
        return;
    }
    if reply.starts_with("-NOMASTERLINK") || reply.starts_with("-LOADING") {
        cx.notice(format!(
            "Master is currently unable to PSYNC but should be in the future: {reply}"
        ));
        handshake_error(node, cx);
        return;
    }
    if reply.starts_with("-ERR") {
        cx.notice(format!(
            "Master does not support PSYNC or is in error state (reply: {reply})"
        ));
    } else {
        cx.warning(format!("Unexpected reply to PSYNC from master: {reply}"));
    }
    cx.notice("Retrying with SYNC...");
    send_sync(node, cx, fd);
}

/// `<replid> <offset>` after `+FULLRESYNC`, if well formed.
fn fullresync_args(rest: &str) -> Option<(&str, i64)> {
    let mut parts = rest.split_whitespace();
    let id = parts.next().filter(|id| id.len() == 40)?;
    Some((id, parts.next()?.parse().ok()?))
}

/// `SYNC`: the pre-2.8 full sync (no replid, no offset; the RDB comes as a `$<len>` bulk).
fn send_sync(node: &mut Node, cx: &mut Ctx, fd: Fd) {
    node.repl.master_initial_offset = -1;
    // An inline command, as both 2.6 and 7.0 write it.
    cx.send(fd, SendKind::Handshake, b"SYNC\r\n".to_vec());
    start_transfer(node, cx);
}

/// `+RDBCHANNELSYNC <id>` (Redis 8.0): the RDB will come on a second connection; the
/// main one stays open and will carry the stream.
fn open_rdb_channel(node: &mut Node, cx: &mut Ctx, main_id: &str, dual: bool) {
    let fd = node.alloc_fd();
    node.fds.insert(fd, FdUse::MasterLink);
    // Whatever followed the reply on the main connection is already stream.
    let buffered = std::mem::take(&mut node.repl.handshake_buf);
    if node.cfg.version.profile().full_sync_buffer_counted {
        node.stats.total_net_repl_input_bytes += buffered.len() as u64;
    }
    node.repl.rdb_channel = Some(RdbChannel {
        fd,
        main_id: main_id.to_string(),
        state: RdbChannelState::Connecting,
        buffered,
        dual,
        stopped: false,
        unread: Vec::new(),
        main_replies: 0,
        main_buf: Vec::new(),
        loaded: None,
    });
    cx.out.push(Effect::Connect {
        fd,
        host: node.repl.masterhost.clone().unwrap_or_default(),
        port: node.repl.masterport,
    });
}

/// The rdb channel connected: its one handshake command.
fn rdb_channel_connected(node: &mut Node, cx: &mut Ctx, fd: Fd) {
    let port = match node.cfg.replica_announce_port {
        0 => node.cfg.port,
        p => p,
    }
    .to_string();
    let Some(ch) = node.repl.rdb_channel.as_mut() else {
        return;
    };
    ch.state = RdbChannelState::ReplconfReply;
    // Redis 8.0 names its main connection; Valkey's dual channel does not.
    let main = ch.main_id.clone();
    let mut argv: Vec<&[u8]> = vec![
        b"REPLCONF",
        b"capa",
        b"eof",
        b"rdb-only",
        b"1",
        b"rdb-channel",
        b"1",
    ];
    if !ch.dual {
        argv.extend_from_slice(&[b"main-ch-client-id", main.as_bytes()]);
    }
    argv.extend_from_slice(&[b"listening-port", port.as_bytes()]);
    send_command(cx, fd, SendKind::Handshake, &argv);
}

/// Bytes on the rdb channel: its replies, then the RDB.
fn rdb_channel_data(node: &mut Node, cx: &mut Ctx, bytes: &[u8]) {
    node.repl.transfer_lastio = cx.unixtime();
    node.repl.handshake_buf.extend_from_slice(bytes);
    loop {
        let Some(ch) = node.repl.rdb_channel.as_ref() else {
            return;
        };
        let (fd, state) = (ch.fd, ch.state);
        match state {
            RdbChannelState::Rdb => {
                read_sync_payload(node, cx);
                return;
            }
            RdbChannelState::Connecting => return,
            _ => {}
        }
        let Some(reply) = take_line(&mut node.repl.handshake_buf) else {
            return;
        };
        if reply.is_empty() {
            continue; // keepalive newline
        }
        if reply.starts_with('-') {
            cx.warning(format!("rdb channel sync failed with error: {reply}"));
            cancel_handshake(node, cx, true);
            return;
        }
        let ch = node.repl.rdb_channel.as_mut().expect("checked");
        if state == RdbChannelState::ReplconfReply {
            ch.state = RdbChannelState::FullresyncReply;
            node.repl.master_initial_offset = -1;
            if ch.dual {
                // Valkey: a plain SYNC, answered with $ENDOFF.
                cx.send(fd, SendKind::Handshake, b"SYNC\r\n".to_vec());
            } else {
                send_command(cx, fd, SendKind::Handshake, &[b"PSYNC", b"?", b"-1"]);
            }
            continue;
        }
        if ch.dual {
            if !dual_endoff(node, cx, &reply) {
                return;
            }
            continue;
        }
        match reply.strip_prefix("+FULLRESYNC").and_then(fullresync_args) {
            Some((id, off)) => {
                node.repl.master_replid = id.to_string();
                node.repl.master_initial_offset = off;
            }
            None => {
                cx.warning(format!(
                    "rdb channel sync failed with error: unexpected reply {reply}"
                ));
                cancel_handshake(node, cx, true);
                return;
            }
        }
        ch.state = RdbChannelState::Rdb;
        cx.notice("Starting to receive RDB and replication stream in parallel.");
        node.repl.transfer = Some(Transfer::default());
        set_state(node, cx, LinkState::Transfer);
    }
}

/// The stream read on the main connection while the RDB comes: into the replica's
/// full-sync buffer, in whole blocks. A new block is taken only while the buffer is
/// within its limit (Redis 8.0 `replica-full-sync-buffer-limit`, else — and on Valkey —
/// the replica class's hard output-buffer limit; 0: none); past it the replica stops
/// reading the main connection, logs so once, and the bytes wait in the socket (kept
/// here, read after the load). The master-side growth once the kernel's socket buffers
/// fill is not modelled (docs/versions.md).
fn buffer_stream(node: &mut Node, cx: &mut Ctx, bytes: &[u8]) {
    let profile = node.cfg.version.profile();
    let block = profile.full_sync_buffer_block;
    let limit = match node.cfg.replica_full_sync_buffer_limit {
        l if l > 0 && profile.rdb_channel => l as u64,
        _ => node.cfg.obuf_limits[ClientClass::Replica as usize].hard_limit_bytes,
    };
    let Some(ch) = node.repl.rdb_channel.as_mut() else {
        return;
    };
    let mut rest = bytes;
    while !rest.is_empty() && !ch.stopped {
        let len = ch.buffered.len() as u64;
        let cap = len.div_ceil(block) * block;
        let room = if cap > len {
            cap - len
        } else if limit != 0 && cap > limit {
            ch.stopped = true;
            cx.notice(profile.words.buffer_limit.replace("{}", &limit.to_string()));
            break;
        } else {
            block
        };
        let take = (room as usize).min(rest.len());
        ch.buffered.extend_from_slice(&rest[..take]);
        if profile.full_sync_buffer_counted {
            node.stats.total_net_repl_input_bytes += take as u64;
        }
        rest = &rest[take..];
    }
    ch.unread.extend_from_slice(rest);
    let size = (ch.buffered.len() as u64).div_ceil(block) * block;
    node.repl.full_sync_buffer_peak = node.repl.full_sync_buffer_peak.max(size);
}

/// Valkey: `$ENDOFF:<offset> <replid> <dbid> <client-id>` on the rdb channel: the main
/// connection asks to continue from there (`REPLCONF set-rdb-client-id`, `PSYNC`) while
/// the RDB comes. False if the sync was abandoned.
fn dual_endoff(node: &mut Node, cx: &mut Ctx, reply: &str) -> bool {
    let mut parts = reply
        .strip_prefix("$ENDOFF:")
        .unwrap_or("")
        .split_whitespace();
    let (off, replid, cid) = (
        parts.next().and_then(|o| o.parse::<i64>().ok()),
        parts.next().filter(|id| id.len() == 40),
        parts.nth(1),
    );
    let (Some(off), Some(replid), Some(cid)) = (off, replid, cid) else {
        cx.warning(format!(
            "rdb channel sync failed with error: unexpected reply {reply}"
        ));
        cancel_handshake(node, cx, true);
        return false;
    };
    node.repl.master_replid = replid.to_string();
    node.repl.master_initial_offset = off;
    let next = (off + 1).to_string();
    cx.notice(format!(
        "Dual channel replication: Trying a partial resynchronization using main channel (request {replid}:{next})."
    ));
    if let Some(main) = node.repl.transfer_fd {
        send_command(
            cx,
            main,
            SendKind::Handshake,
            &[b"REPLCONF", b"set-rdb-client-id", cid.as_bytes()],
        );
        send_command(
            cx,
            main,
            SendKind::Handshake,
            &[b"PSYNC", replid.as_bytes(), next.as_bytes()],
        );
    }
    let ch = node.repl.rdb_channel.as_mut().expect("dual channel");
    ch.main_replies = 2;
    ch.state = RdbChannelState::Rdb;
    node.repl.transfer = Some(Transfer::default());
    set_state(node, cx, LinkState::Transfer);
    true
}

/// Valkey: the main connection's replies to `set-rdb-client-id` and `PSYNC`; what
/// follows `+CONTINUE` is stream, buffered until the RDB is loaded.
fn dual_main_replies(node: &mut Node, cx: &mut Ctx) {
    loop {
        let Some(ch) = node.repl.rdb_channel.as_mut() else {
            return;
        };
        if ch.main_replies == 0 {
            let rest = std::mem::take(&mut ch.main_buf);
            let loaded = ch.loaded;
            buffer_stream(node, cx, &rest);
            if let Some(stream_db) = loaded {
                attach_master(node, cx, stream_db, true, Vec::new());
            }
            return;
        }
        let Some(reply) = take_line(&mut ch.main_buf) else {
            return;
        };
        if reply.is_empty() {
            continue;
        }
        if reply.starts_with('-') {
            cx.warning(format!(
                "Dual channel replication: Primary replied to the main channel with an error: {reply}"
            ));
            cancel_handshake(node, cx, true);
            return;
        }
        ch.main_replies -= 1;
        if reply.starts_with("+CONTINUE") {
            cx.notice(if ch.loaded.is_some() {
                "Dual channel replication: PRIMARY <-> REPLICA sync: Primary accepted a Partial Resynchronization."
            } else {
                "Dual channel replication: PRIMARY <-> REPLICA sync: Primary accepted a Partial Resynchronization, RDB load in background."
            });
        }
    }
}

/// Close the rdb channel, if one is open.
fn close_rdb_channel(node: &mut Node, cx: &mut Ctx) {
    if let Some(ch) = node.repl.rdb_channel.take() {
        if node.fds.remove(&ch.fd).is_some() {
            cx.out.push(Effect::Close { fd: ch.fd });
        }
    }
}

fn start_transfer(node: &mut Node, cx: &mut Ctx) {
    node.repl.transfer = Some(Transfer::default());
    node.repl.transfer_lastio = cx.unixtime();
    set_state(node, cx, LinkState::Transfer);
    // Anything after the PSYNC reply line belongs to the payload.
    if !node.repl.handshake_buf.is_empty() {
        read_sync_payload(node, cx);
    }
}

/// `readSyncBulkPayload`: the `$<len>` or `$EOF:<mark>` line, then the RDB.
fn read_sync_payload(node: &mut Node, cx: &mut Ctx) {
    let now = cx.unixtime();
    let mut input = std::mem::take(&mut node.repl.handshake_buf);
    // All of it counts: the newlines and the `$` line as `nread+1`, the RDB as read,
    // and stream bytes past a `$<len>` RDB (Redis leaves them in the socket for the
    // master client, which counts them too).
    node.stats.total_net_repl_input_bytes += input.len() as u64;
    let diskless_load = use_diskless_load(node);
    let Some(t) = node.repl.transfer.as_mut() else {
        return;
    };
    while !t.header_done {
        let Some(nl) = input.iter().position(|&b| b == b'\n') else {
            t.line.extend_from_slice(&input);
            return;
        };
        t.line.extend(input.drain(..=nl));
        let mut line = std::mem::take(&mut t.line);
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.is_empty() {
            // A newline keeps the link alive while the master prepares the RDB.
            node.repl.transfer_lastio = now;
            continue;
        }
        let text = String::from_utf8_lossy(&line).into_owned();
        if let Some(err) = text.strip_prefix('-') {
            cx.warning(format!("MASTER aborted replication with an error: {err}"));
            cancel_handshake(node, cx, true);
            return;
        }
        let Some(spec) = text.strip_prefix('$') else {
            cx.warning(format!("Bad protocol from MASTER, the first byte is not '$' (we received '{text}'), are you sure the host and port are right?"));
            cancel_handshake(node, cx, true);
            return;
        };
        // Where the bytes go is decided here, as readSyncBulkPayload does.
        let to = if diskless_load {
            "to parser"
        } else {
            "to disk"
        };
        if let Some(mark) = spec.strip_prefix("EOF:").filter(|m| m.len() >= 40) {
            t.eofmark = Some(mark.as_bytes()[..40].to_vec());
            t.size = None;
            cx.notice(format!(
                "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF {to}"
            ));
        } else {
            t.size = Some(spec.parse().unwrap_or(0));
            cx.notice(format!(
                "MASTER <-> REPLICA sync: receiving {} bytes from master {to}",
                t.size.unwrap_or(0)
            ));
        }
        t.header_done = true;
    }
    if input.is_empty() {
        return;
    }
    node.repl.transfer_lastio = now;
    t.read += input.len() as i64;
    t.data.extend_from_slice(&input);
    let done = match (&t.eofmark, t.size) {
        (Some(mark), _) => t.data.len() >= 40 && t.data.ends_with(mark),
        (None, Some(size)) => t.read >= size,
        _ => false,
    };
    if !done {
        return;
    }
    let mut data = std::mem::take(&mut t.data);
    let mut leftover = Vec::new();
    let usemark = t.eofmark.is_some();
    match (usemark, t.size) {
        (true, _) => data.truncate(data.len() - 40),
        (false, Some(size)) if (data.len() as i64) > size => {
            leftover = data.split_off(size as usize)
        }
        _ => {}
    }
    finish_sync(node, cx, data, usemark, leftover);
}

/// `useDisklessLoad`: `swapdb` always, `on-empty-db` when we hold no keys.
fn use_diskless_load(node: &Node) -> bool {
    match node.cfg.repl_diskless_load.as_str() {
        "swapdb" => true,
        "on-empty-db" => node.ks.total_keys() == 0,
        _ => false,
    }
}

/// The RDB arrived: flush, load, become connected to the new master.
fn finish_sync(
    node: &mut Node,
    cx: &mut Ctx,
    rdb_bytes: Vec<u8>,
    usemark: bool,
    leftover: Vec<u8>,
) {
    // Decided before flushing, as readSyncBulkPayload does (on-empty-db looks at
    // the old dataset).
    let diskless_load = use_diskless_load(node);
    // swapdb loads into a temporary db and swaps it in only once it loaded: the old
    // data, the cached master and our sub-replicas stay until then.
    let swapdb = diskless_load && node.cfg.repl_diskless_load == "swapdb";
    if swapdb {
        cx.notice("MASTER <-> REPLICA sync: Loading DB in memory");
    } else {
        attach_to_new_master(node, cx);
        let loading_first = node.cfg.version.profile().log_loading_before_flush;
        if loading_first {
            cx.notice("MASTER <-> REPLICA sync: Loading DB in memory");
        }
        cx.notice("MASTER <-> REPLICA sync: Flushing old data");
        flush_for_load(node);
        if !loading_first {
            cx.notice("MASTER <-> REPLICA sync: Loading DB in memory");
        }
    }
    // With repl-diskless-load disabled the RDB is written to disk (dump.rdb) and
    // loaded from there; a diskless load parses the socket and leaves no file.
    if !diskless_load {
        cx.out.push(Effect::WriteRdb {
            bytes: rdb_bytes.clone(),
        });
    }
    let file = match crate::repl::rdb::decode(&rdb_bytes).and_then(|f| persist::loadable(node, f)) {
        Ok(f) => f,
        Err(e) => {
            if e.message.starts_with("Can't handle RDB format version") {
                // A newer version's RDB: rdbLoad's own line, then the sync's.
                let words = &node.cfg.version.profile().words;
                cx.warning(e.message);
                cx.warning(format!(
                    "Failed trying to load the MASTER synchronization DB from disk{}",
                    words.load_failed
                ));
            } else {
                cx.warning(format!(
                    "Failed trying to load the MASTER synchronization DB from disk: {e}"
                ));
            }
            cancel_handshake(node, cx, true);
            if swapdb {
                // The old data stays; only the temporary db goes.
                cx.notice("MASTER <-> REPLICA sync: Discarding temporary DB in background");
            }
            return;
        }
    };
    persist::log_rdb_aux(node, cx, &file);
    if swapdb {
        // The temporary db: the old keys are out of reach while the new ones load.
        flush_for_load(node);
    }
    let (loaded, expired) = persist::load_entries(node, cx, &file.entries, false);
    persist::warn_unchecked(node, cx, &file);
    persist::log_done_loading(cx, loaded, expired);
    if swapdb {
        attach_to_new_master(node, cx);
        cx.notice("MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
        cx.notice("MASTER <-> REPLICA sync: Discarding old DB in background");
    }
    node.persist.last_load_keys_loaded = loaded;
    node.persist.last_load_keys_expired = expired;
    // Redis counts a full sync as a change only with a diskless load ("as
    // replication was diskless and didn't cause a save"); a file load does not.
    if diskless_load {
        node.persist.dirty += 1;
    }
    let stream_db = file.repl.as_ref().map_or(-1, |r| r.stream_db);
    if let Some(ch) = node
        .repl
        .rdb_channel
        .as_mut()
        .filter(|ch| ch.main_replies > 0)
    {
        // Valkey: the RDB is loaded before the main connection's +CONTINUE came: the
        // rdb channel is done; the master client waits for that reply.
        ch.loaded = Some(stream_db);
        let fd = ch.fd;
        if node.fds.remove(&fd).is_some() {
            cx.out.push(Effect::Close { fd });
        }
        return;
    }
    attach_master(node, cx, stream_db, usemark, leftover);
}

/// `replicationAttachToNewMaster`: this history is gone, and so is our sub-replicas'.
fn attach_to_new_master(node: &mut Node, cx: &mut Ctx) {
    discard_cached_master(node, cx);
    master::disconnect_replicas(node, cx);
    master::free_backlog(node);
}

/// `emptyData(-1)` before a load (with `flushSlaveKeysWithExpireList`).
fn flush_for_load(node: &mut Node) {
    node.ks.clear();
    node.replica_keys_with_expire.clear();
}

/// The RDB is loaded: the master client on the main connection, the link up, the
/// stream that waited applied, the first ACK.
fn attach_master(node: &mut Node, cx: &mut Ctx, stream_db: i64, usemark: bool, leftover: Vec<u8>) {
    // replicationCreateMasterClient on the transfer socket.
    let fd = node.repl.transfer_fd.take().expect("transfer socket");
    let id = node.alloc_client_id();
    let mut c = Client::new(
        id,
        Some(fd),
        node.repl.masterhost.clone().unwrap_or_default(),
        cx.unixtime(),
    );
    c.master = Some(MasterInfo {
        replid: node.repl.master_replid.clone(),
        reploff: node.repl.master_initial_offset,
        read_reploff: node.repl.master_initial_offset,
        repl_applied: 0,
        pre_psync: node.repl.master_initial_offset == -1,
    });
    if stream_db >= 0 && (stream_db as usize) < node.ks.dbs.len() {
        c.db = stream_db as usize;
    }
    node.clients.insert(id, c);
    node.fds.insert(fd, FdUse::Client(id));
    node.repl.master = Some(id);
    node.repl.transfer = None;
    set_state(node, cx, LinkState::Connected);
    node.repl.down_since = 0;
    node.repl.replid = node.repl.master_replid.clone();
    node.repl.master_repl_offset = node.repl.master_initial_offset;
    master::clear_replid2(node);
    if node.repl.backlog.is_none() {
        master::create_backlog(node);
    }
    master::replid_event(node, cx, "full sync: adopted the master's replication id");
    let dual = node.repl.rdb_channel.as_ref().is_some_and(|ch| ch.dual);
    if !dual {
        cx.notice("MASTER <-> REPLICA sync: Finished with success");
    }
    if let Some(ch) = node.repl.rdb_channel.take() {
        // Close the rdb channel, then apply what the main one buffered.
        if node.fds.remove(&ch.fd).is_some() {
            cx.out.push(Effect::Close { fd: ch.fd });
        }
        let n = ch.buffered.len();
        if !dual {
            cx.notice(format!("MASTER <-> REPLICA sync: Starting to stream replication buffer into the db ({n} bytes)."));
        }
        if let Some(c) = node.clients.get_mut(&id) {
            c.querybuf.extend_from_slice(&ch.buffered);
            if let Some(m) = c.master.as_mut() {
                m.read_reploff += n as i64;
            }
        }
        process_master_stream(node, cx, id);
        if dual {
            cx.notice(
                "Dual channel replication: Successfully streamed replication data into memory",
            );
            cx.notice("MASTER <-> REPLICA sync: Finished with success");
        } else {
            cx.notice(format!("MASTER <-> REPLICA sync: Successfully streamed replication buffer into the db ({n} bytes in total)"));
        }
        // What waited unread in the socket once the buffer was full is read now
        // (by the master client, which counts it).
        if !ch.unread.is_empty() {
            node.stats.total_net_repl_input_bytes += ch.unread.len() as u64;
            if let Some(c) = node.clients.get_mut(&id) {
                c.querybuf.extend_from_slice(&ch.unread);
                if let Some(m) = c.master.as_mut() {
                    m.read_reploff += ch.unread.len() as i64;
                }
            }
            process_master_stream(node, cx, id);
        }
    }
    if usemark {
        send_ack(node, cx);
    }
    if !leftover.is_empty() {
        if let Some(c) = node.clients.get_mut(&id) {
            c.querybuf.extend_from_slice(&leftover);
            if let Some(m) = c.master.as_mut() {
                m.read_reploff += leftover.len() as i64;
            }
        }
        process_master_stream(node, cx, id);
    }
}

/// Apply the master's stream: run each complete command, advance `reploff` after
/// each (not inside MULTI), and forward exactly the applied bytes to our own
/// replicas, so offsets and ids are identical down a chain.
pub fn process_master_stream(node: &mut Node, cx: &mut Ctx, id: ClientId) {
    // The client is looked up again only after whatever may have touched it.
    let Some(mut c) = node.clients.get_mut(&id) else {
        return;
    };
    loop {
        if c.qb_pos == c.querybuf.len() {
            break; // all read: a parse would only say so
        }
        let limits = resp::CommandLimits {
            proto_max_bulk_len: node.cfg.proto_max_bulk_len_bytes as u64,
            is_master_client: true,
        };
        match resp::parse_command_with(&c.querybuf[c.qb_pos..], &limits, &mut node.arg_pool) {
            Ok(resp::Parsed::Incomplete) => break,
            Ok(resp::Parsed::Done(argv, n)) => {
                c.qb_pos += n;
                if !argv.is_empty() {
                    let reply = crate::node::exec::process_command(node, cx, id, argv);
                    // The reply goes nowhere. Most (a borrowed `+OK`) own nothing, and
                    // are let go without the call that drops any reply.
                    if let Some(r @ resp::Value::Simple(std::borrow::Cow::Borrowed(_))) = reply {
                        std::mem::forget(r);
                    }
                }
                let Some(again) = node.clients.get_mut(&id) else {
                    return;
                };
                c = again;
                if c.multi.is_some() {
                    continue;
                }
                let unread = (c.querybuf.len() - c.qb_pos) as i64;
                let m = c.master.as_mut().expect("master client");
                let prev = m.reploff;
                m.reploff = m.read_reploff - unread;
                let applied = (m.reploff - prev) as usize;
                if applied > 0 {
                    let start = m.repl_applied;
                    m.repl_applied += applied;
                    // Proxied from the query buffer itself (lent out meanwhile: feeding
                    // touches the backlog and the sub-replicas, never this client).
                    let qb = std::mem::take(&mut c.querybuf);
                    master::feed_stream(node, cx, &qb[start..start + applied]);
                    let Some(again) = node.clients.get_mut(&id) else {
                        return;
                    };
                    c = again;
                    c.querybuf = qb;
                }
            }
            Err(e) => {
                cx.warning(format!(
                    "Protocol error ({}) from client: id={} addr={} flags=M. Query buffer during protocol error: ...",
                    e.0, id.0, master_addr(node)
                ));
                // A master speaking garbage is not cached: the next sync is a full one.
                drop_master_without_caching(node, cx, id);
                return;
            }
        }
    }
    let m = c.master.as_mut().expect("master client");
    let applied = m.repl_applied;
    c.querybuf.drain(..applied);
    c.qb_pos -= applied;
    m.repl_applied = 0;
}

fn drop_master_without_caching(node: &mut Node, cx: &mut Ctx, id: ClientId) {
    if let Some(c) = node.clients.remove(&id) {
        if let Some(fd) = c.fd {
            if node.fds.remove(&fd).is_some() {
                cx.out.push(Effect::Close { fd });
            }
        }
    }
    node.repl.master = None;
    handle_master_disconnection(node, cx);
}

/// `replicationSendAck`: `REPLCONF ACK <reploff>` to the master.
pub fn send_ack(node: &mut Node, cx: &mut Ctx) {
    let Some(id) = node.repl.master else {
        return;
    };
    let Some(c) = node.clients.get(&id) else {
        return;
    };
    let (Some(fd), Some(m)) = (c.fd, c.master.as_ref()) else {
        return;
    };
    let off = m.reploff.to_string();
    send_command(
        cx,
        fd,
        SendKind::Ack,
        &[b"REPLCONF", b"ACK", off.as_bytes()],
    );
}

/// `freeClient` on the master client: cache it for a PSYNC and reconnect.
pub fn master_client_lost(node: &mut Node, cx: &mut Ctx, id: ClientId) {
    let Some(mut c) = node.clients.remove(&id) else {
        return;
    };
    cx.warning("Connection with master lost.");
    if let Some(fd) = c.fd.take() {
        if node.fds.remove(&fd).is_some() {
            cx.out.push(Effect::Close { fd });
        }
    }
    // replicationCacheMaster: discard unprocessed input and a half-read MULTI.
    cx.notice("Caching the disconnected master state.");
    c.querybuf.clear();
    c.qb_pos = 0;
    c.multi = None;
    if let Some(m) = c.master.as_mut() {
        m.repl_applied = 0;
        m.read_reploff = m.reploff;
    }
    node.repl.master = None;
    node.repl.cached_master = Some(Box::new(c));
    handle_master_disconnection(node, cx);
}

/// `replicationHandleMasterDisconnection`: link down; reconnect at once.
fn handle_master_disconnection(node: &mut Node, cx: &mut Ctx) {
    node.repl.master = None;
    set_state(node, cx, LinkState::Connect);
    node.repl.down_since = cx.unixtime();
    if node.repl.masterhost.is_some() {
        cx.notice(format!("Reconnecting to MASTER {}", master_addr(node)));
        connect_with_master(node, cx);
    }
}

/// Our connection to the master closed before the sync completed.
pub fn on_link_closed(node: &mut Node, cx: &mut Ctx, fd: Fd, reason: CloseReason) {
    if node.repl.rdb_channel.as_ref().is_some_and(|ch| ch.fd == fd) {
        // The rdb channel ended before the RDB was loaded: the sync failed.
        node.repl.rdb_channel = None;
        cx.warning("rdb channel sync failed: connection lost");
        cancel_handshake(node, cx, true);
        return;
    }
    if node.repl.transfer_fd != Some(fd) {
        return;
    }
    close_rdb_channel(node, cx);
    node.repl.transfer_fd = None;
    match node.repl.state {
        LinkState::Connecting => {
            let why = match reason {
                CloseReason::Refused => "Connection refused",
                _ => "Connection reset by peer",
            };
            cx.warning(format!("Error condition on socket for SYNC: {why}"));
            node.repl.transfer = None;
            set_state(node, cx, LinkState::Connect);
        }
        LinkState::Transfer => {
            cx.warning("I/O error trying to sync with MASTER: connection lost");
            node.repl.transfer = None;
            set_state(node, cx, LinkState::Connect);
            cx.notice(format!(
                "Reconnecting to MASTER {} after failure",
                master_addr(node)
            ));
            connect_with_master(node, cx);
        }
        s if s.is_handshake() => {
            cx.warning("Master did not respond to command during SYNC handshake");
            node.repl.handshake_buf.clear();
            set_state(node, cx, LinkState::Connect);
        }
        _ => {}
    }
}

/// `cancelReplicationHandshake`: abort a connect, handshake or transfer in
/// progress. Returns true if there was one.
pub fn cancel_handshake(node: &mut Node, cx: &mut Ctx, reconnect: bool) -> bool {
    let s = node.repl.state;
    if !(s == LinkState::Transfer || s == LinkState::Connecting || s.is_handshake()) {
        return false;
    }
    drop_transfer(node, cx);
    if reconnect {
        cx.notice(format!(
            "Reconnecting to MASTER {} after failure",
            master_addr(node)
        ));
        connect_with_master(node, cx);
    }
    true
}

/// `replicationDiscardCachedMaster`.
pub fn discard_cached_master(node: &mut Node, cx: &mut Ctx) {
    if node.repl.cached_master.take().is_some() {
        cx.notice("Discarding previously cached master state.");
    }
}

/// `replicationCacheMasterUsingMyself`: a (former) master synthesises a cached master
/// from its own replid and offset, to PSYNC with whoever it now follows.
pub fn cache_master_using_myself(node: &mut Node, cx: &mut Ctx) {
    cx.notice("Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.");
    node.repl.master_initial_offset = node.repl.master_repl_offset;
    let id = node.alloc_client_id();
    let mut c = Client::new(id, None, String::new(), cx.unixtime());
    c.master = Some(MasterInfo {
        replid: node.repl.replid.clone(),
        reploff: node.repl.master_repl_offset,
        read_reploff: node.repl.master_repl_offset,
        repl_applied: 0,
        pre_psync: false,
    });
    node.repl.cached_master = Some(Box::new(c));
}

/// `replicationResurrectCachedMaster`: the cached master becomes the master again on `fd`.
fn resurrect_cached_master(node: &mut Node, cx: &mut Ctx, fd: Fd) {
    let Some(mut c) = node.repl.cached_master.take() else {
        return;
    };
    c.fd = Some(fd);
    c.lastinteraction = cx.unixtime();
    c.peer_host = node.repl.masterhost.clone().unwrap_or_default();
    let id = c.id;
    node.clients.insert(id, *c);
    node.fds.insert(fd, FdUse::Client(id));
    node.repl.transfer_fd = None;
    node.repl.master = Some(id);
    set_state(node, cx, LinkState::Connected);
    node.repl.down_since = 0;
}

/// `REPLICAOF host port` (`replicationSetMaster`).
pub fn set_master(node: &mut Node, cx: &mut Ctx, host: String, port: u16) {
    let was_master = node.repl.masterhost.is_none();
    node.repl.masterhost = None;
    if let Some(id) = node.repl.master {
        node.free_client(cx, id); // caches it; no reconnect since masterhost is unset
    }
    // Clients blocked in WAIT cannot wait for replicas of a replica.
    for id in node.clients_waiting_acks.clone() {
        node.unblock(
            cx,
            id,
            crate::resp::Value::err("UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"),
        );
    }
    node.repl.masterhost = Some(host);
    node.repl.masterport = port;
    node.repl.master_from_config = false;
    cancel_handshake(node, cx, false);
    if was_master {
        discard_cached_master(node, cx);
        cache_master_using_myself(node, cx);
    }
    set_state(node, cx, LinkState::Connect);
    cx.notice(format!("Connecting to MASTER {}", master_addr(node)));
    connect_with_master(node, cx);
}

/// `REPLICAOF NO ONE` (`replicationUnsetMaster`): promote.
pub fn unset_master(node: &mut Node, cx: &mut Ctx) {
    if node.repl.masterhost.is_none() {
        return;
    }
    node.repl.masterhost = None;
    node.repl.master_from_config = false;
    if let Some(id) = node.repl.master {
        node.free_client(cx, id);
    }
    discard_cached_master(node, cx);
    cancel_handshake(node, cx, false);
    master::shift_replid(node, cx);
    master::disconnect_replicas(node, cx);
    set_state(node, cx, LinkState::None);
    node.repl.slaveseldb = -1;
    node.repl.no_slaves_since = cx.unixtime();
    node.repl.down_since = 0;
}
