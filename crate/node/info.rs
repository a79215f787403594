//! `INFO`, field for field as Redis 7.0 prints the sections the simulator models:
//! Server, Clients, Persistence, Stats, Replication, Keyspace.
//!
//! Sections about the host process (Memory, CPU, Modules, Commandstats, Errorstats,
//! Latencystats, Cluster) are not printed: a simulator has no honest numbers for them.
//! Within the printed sections, fields that describe the real process (os,
//! executable, io threads ...) are left out for the same reason; every replication
//! field is there, in Redis's order.

use super::client::ReplicaState;
use super::Node;
use crate::repl::LinkState;

/// Sections in the order Redis prints them, with whether `INFO` (default) includes them.
const SECTIONS: &[&str] = &[
    "server",
    "clients",
    "persistence",
    "stats",
    "replication",
    "keyspace",
];

/// The text of `INFO [section ...]` (with `\r\n` line ends, as Redis sends it).
pub fn info(node: &Node, now_ms: i64, sections: &[String]) -> String {
    let wanted: Vec<String> = sections.iter().map(|s| s.to_ascii_lowercase()).collect();
    let all = wanted.is_empty()
        || wanted
            .iter()
            .any(|s| s == "all" || s == "everything" || s == "default");
    let mut out = String::new();
    for s in SECTIONS {
        if !all && !wanted.iter().any(|w| w == s) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        let body = match *s {
            "server" => server(node, now_ms),
            "clients" => clients(node),
            "persistence" => persistence(node, now_ms),
            "stats" => stats(node),
            "replication" => replication(node, now_ms),
            _ => keyspace(node, now_ms),
        };
        out.push_str(&body);
    }
    out
}

/// Every `field:value` of `INFO everything`, for `expect NAME FIELD ...`.
pub fn fields(node: &Node, now_ms: i64) -> Vec<(String, String)> {
    info(node, now_ms, &[])
        .split("\r\n")
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn line(out: &mut String, k: &str, v: impl std::fmt::Display) {
    out.push_str(k);
    out.push(':');
    out.push_str(&v.to_string());
    out.push_str("\r\n");
}

fn server(node: &Node, now_ms: i64) -> String {
    let mut o = String::from("# Server\r\n");
    let p = node.cfg.version.profile();
    for (k, v) in p.info_server_head {
        line(&mut o, k, v);
    }
    line(&mut o, "redis_git_sha1", "00000000");
    line(&mut o, "redis_git_dirty", 0);
    line(&mut o, p.info.mode_field, "standalone");
    line(&mut o, "os", "replscope simulated node");
    line(&mut o, "arch_bits", 64);
    line(&mut o, "process_id", node.process_id);
    line(&mut o, "run_id", &node.run_id);
    line(&mut o, "tcp_port", node.cfg.port);
    line(&mut o, "server_time_usec", now_ms * 1000);
    let up = node.uptime_secs(now_ms);
    line(&mut o, "uptime_in_seconds", up);
    line(&mut o, "uptime_in_days", up / 86400);
    line(&mut o, "hz", node.cfg.hz);
    line(&mut o, "configured_hz", node.cfg.hz);
    if p.info.clients_hz {
        line(&mut o, "clients_hz", node.cfg.hz);
    }
    o
}

fn clients(node: &Node) -> String {
    let mut o = String::from("# Clients\r\n");
    // Redis counts every client except attached replicas (our master is a client).
    let connected = node
        .clients
        .values()
        .filter(|c| (c.fd.is_some() || Some(c.id) == node.local_client) && c.replica.is_none())
        .count();
    line(&mut o, "connected_clients", connected);
    line(&mut o, "cluster_connections", 0);
    line(&mut o, "maxclients", 10000);
    let blocked = node
        .clients
        .values()
        .filter(|c| c.blocked.is_some())
        .count();
    line(&mut o, "blocked_clients", blocked);
    o
}

fn persistence(node: &Node, now_ms: i64) -> String {
    let p = &node.persist;
    let mut o = String::from("# Persistence\r\n");
    line(&mut o, "loading", 0);
    line(&mut o, "async_loading", 0);
    line(&mut o, "rdb_changes_since_last_save", p.dirty);
    let bg = p.child.as_ref();
    line(&mut o, "rdb_bgsave_in_progress", i32::from(bg.is_some()));
    line(&mut o, "rdb_last_save_time", p.lastsave);
    line(
        &mut o,
        "rdb_last_bgsave_status",
        if p.lastbgsave_failed { "err" } else { "ok" },
    );
    line(&mut o, "rdb_last_bgsave_time_sec", p.last_bgsave_secs);
    line(
        &mut o,
        "rdb_current_bgsave_time_sec",
        bg.map_or(-1, |c| (now_ms - c.started_ms) / 1000),
    );
    line(&mut o, "rdb_saves", p.rdb_saves);
    line(
        &mut o,
        "rdb_last_load_keys_expired",
        p.last_load_keys_expired,
    );
    line(&mut o, "rdb_last_load_keys_loaded", p.last_load_keys_loaded);
    line(&mut o, "aof_enabled", 0);
    o
}

fn stats(node: &Node) -> String {
    let s = &node.stats;
    let mut o = String::from("# Stats\r\n");
    line(
        &mut o,
        "total_connections_received",
        s.total_connections_received,
    );
    line(
        &mut o,
        "total_commands_processed",
        s.total_commands_processed,
    );
    line(
        &mut o,
        "total_net_input_bytes",
        s.net_input_bytes + s.total_net_repl_input_bytes,
    );
    line(&mut o, "total_net_output_bytes", s.total_net_output_bytes);
    line(
        &mut o,
        "total_net_repl_input_bytes",
        s.total_net_repl_input_bytes,
    );
    line(
        &mut o,
        "total_net_repl_output_bytes",
        s.total_net_repl_output_bytes,
    );
    line(&mut o, "rejected_connections", s.rejected_connections);
    line(&mut o, "sync_full", node.repl.stat_sync_full);
    line(&mut o, "sync_partial_ok", node.repl.stat_sync_partial_ok);
    line(&mut o, "sync_partial_err", node.repl.stat_sync_partial_err);
    line(&mut o, "expired_keys", node.keystats.expired_keys);
    line(&mut o, "evicted_keys", 0);
    line(&mut o, "keyspace_hits", node.keystats.keyspace_hits);
    line(&mut o, "keyspace_misses", node.keystats.keyspace_misses);
    line(&mut o, "total_forks", s.total_forks);
    line(&mut o, "total_error_replies", s.total_error_replies);
    o
}

fn replication(node: &Node, now_ms: i64) -> String {
    let r = &node.repl;
    let unixtime = now_ms / 1000;
    let mut o = String::from("# Replication\r\n");
    line(
        &mut o,
        "role",
        if r.masterhost.is_some() {
            "slave"
        } else {
            "master"
        },
    );
    if let (Some(host), Some((reploff, read_reploff))) = (&r.masterhost, node.replica_offsets()) {
        let master = r.master.and_then(|id| node.clients.get(&id));
        line(&mut o, "master_host", host);
        line(&mut o, "master_port", r.masterport);
        line(
            &mut o,
            "master_link_status",
            if r.state == LinkState::Connected {
                "up"
            } else {
                "down"
            },
        );
        line(
            &mut o,
            "master_last_io_seconds_ago",
            master.map_or(-1, |c| unixtime - c.lastinteraction),
        );
        line(
            &mut o,
            "master_sync_in_progress",
            i32::from(r.state == LinkState::Transfer),
        );
        line(&mut o, "slave_read_repl_offset", read_reploff);
        line(&mut o, "slave_repl_offset", reploff);
        if let Some((size, peak)) = node.cfg.version.profile().info.replica_buffer {
            // The replica-side buffer of a two-channel full sync, in whole blocks.
            let buffered = r
                .rdb_channel
                .as_ref()
                .map_or(0, |ch| ch.buffered.len() as u64);
            let block = node.cfg.version.profile().full_sync_buffer_block;
            line(&mut o, size, buffered.div_ceil(block) * block);
            line(&mut o, peak, r.full_sync_buffer_peak);
        }
        if r.state == LinkState::Transfer {
            let t = r.transfer.as_ref();
            // repl_transfer_size: -1 until the `$<len>` line (the master may still be
            // writing its RDB), 0 for a `$EOF:` transfer.
            let size = match t {
                Some(t) if t.header_done => t.size.unwrap_or(0),
                _ => -1,
            };
            let read = t.map_or(0, |t| t.read);
            // printf("%.2f") of read/size*100, in integers (no float formatting code);
            // 0 / -1 is -0.0, which C prints "-0.00".
            let hundredths = if size > 0 {
                let n = i128::from(read) * 10_000;
                let (q, r) = (n / i128::from(size), n % i128::from(size));
                q + i128::from(2 * r >= i128::from(size))
            } else {
                0
            };
            let sign = if size < 0 { "-" } else { "" };
            let perc = format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100);
            line(&mut o, "master_sync_total_bytes", size);
            line(&mut o, "master_sync_read_bytes", read);
            line(&mut o, "master_sync_left_bytes", size - read);
            line(&mut o, "master_sync_perc", perc);
            line(
                &mut o,
                "master_sync_last_io_seconds_ago",
                unixtime - r.transfer_lastio,
            );
        }
        if r.state != LinkState::Connected {
            line(
                &mut o,
                "master_link_down_since_seconds",
                if r.down_since != 0 {
                    unixtime - r.down_since
                } else {
                    -1
                },
            );
        }
        line(&mut o, "slave_priority", node.cfg.replica_priority);
        line(
            &mut o,
            "slave_read_only",
            i32::from(node.cfg.replica_read_only),
        );
        line(
            &mut o,
            "replica_announced",
            i32::from(node.cfg.replica_announced),
        );
    }
    let info = &node.cfg.version.profile().info;
    // Redis 8.0 shows a replica whose RDB goes over an rdb channel once: the rdb
    // channel's line is hidden while its main channel is attached.
    let hidden = |rep: &crate::node::client::ReplicaInfo| {
        rep.rdb_channel_of.is_some_and(|m| r.slaves.contains(&m))
    };
    let logical = r
        .slaves
        .iter()
        .filter_map(|id| node.clients.get(id)?.replica.as_ref())
        .filter(|rep| !hidden(rep))
        .count();
    line(&mut o, "connected_slaves", logical);

    if node.cfg.min_replicas_to_write != 0 && node.cfg.min_replicas_max_lag_secs != 0 {
        line(&mut o, "min_slaves_good_slaves", r.good_slaves);
    }
    let mut n = 0;
    for id in &r.slaves {
        let Some(c) = node.clients.get(id) else {
            continue;
        };
        let Some(rep) = c.replica.as_ref().filter(|rep| !hidden(rep)) else {
            continue;
        };
        let lag = if rep.state == ReplicaState::Online {
            unixtime - rep.ack_time
        } else {
            0
        };
        line(
            &mut o,
            &format!("slave{n}"),
            format!(
                "ip={},port={},state={},offset={},lag={}{}",
                rep.announced_ip.as_deref().unwrap_or(&c.peer_host),
                rep.listening_port,
                rep.state.info_name(),
                rep.ack_off,
                lag,
                match (info.slave_type, rep.dual_rdb, rep.state) {
                    (false, ..) => "",
                    (true, true, _) => ",type=rdb-channel",
                    (true, false, ReplicaState::BgRdbLoad) => ",type=main-channel",
                    _ => ",type=replica",
                }
            ),
        );
        n += 1;
    }
    if info.replicas_waiting_psync {
        // Dual-channel rdb channels whose main connection has not sent its PSYNC yet.
        line(&mut o, "replicas_waiting_psync", r.psync_waiting.len());
    }
    line(
        &mut o,
        "master_failover_state",
        crate::repl::failover::state_name(node),
    );
    line(&mut o, "master_replid", &r.replid);
    line(&mut o, "master_replid2", &r.replid2);
    line(&mut o, "master_repl_offset", r.master_repl_offset);
    line(&mut o, "second_repl_offset", r.second_replid_offset);
    line(
        &mut o,
        "repl_backlog_active",
        i32::from(r.backlog.is_some()),
    );
    line(
        &mut o,
        "repl_backlog_size",
        node.cfg.repl_backlog_size_bytes,
    );
    line(
        &mut o,
        "repl_backlog_first_byte_offset",
        r.backlog.as_ref().map_or(0, |b| b.offset),
    );
    line(
        &mut o,
        "repl_backlog_histlen",
        r.backlog.as_ref().map_or(0, |b| b.histlen),
    );
    o
}

fn keyspace(node: &Node, now_ms: i64) -> String {
    let mut o = String::from("# Keyspace\r\n");
    for (i, db) in node.ks.dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        // avg_ttl is a running estimate in Redis (sampled by active expiry); the
        // simulator reports the exact mean of the remaining TTLs.
        let ttls: Vec<i64> = db
            .iter()
            .filter_map(|(_, e)| e.expire_ms)
            .map(|t| (t - now_ms).max(0))
            .collect();
        let avg = if ttls.is_empty() {
            0
        } else {
            ttls.iter().sum::<i64>() / ttls.len() as i64
        };
        line(
            &mut o,
            &format!("db{i}"),
            format!(
                "keys={},expires={},avg_ttl={}",
                db.len(),
                db.expires_len(),
                avg
            ),
        );
    }
    o
}
