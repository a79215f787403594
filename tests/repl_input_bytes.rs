//! A replica's `total_net_repl_input_bytes` (and `total_net_input_bytes`, which adds
//! it): what `readSyncBulkPayload` and the master client read, never the handshake
//! replies. Before session 29 the simulator counted every byte from the master, 73
//! too many after a first full sync (`+PONG`, two `+OK`, the 56-byte `+FULLRESYNC`
//! line) and one more per keepalive newline before it.
//!
//! The numbers were measured on the real servers (7.0.15, 8.0.2, Valkey 8.1.1), a
//! master holding `foo`, `--repl-ping-replica-period 3600`, then `REPLICAOF`, two SETs,
//! `CLIENT KILL TYPE master` (a partial resync) and one more SET: 273, 350, 350, 377
//! with a diskless sync (272 ... on 8.0), 192, 269, 269, 296 with a disk one
//! (`$186\r\n` and the RDB; 191 ... on 8.0). tests/scenarios/versions/
//! repl-input-bytes.scn checks the diskless numbers against the real servers too.

use replscope::sim::Sim;

mod common;
use common::run_holding as run;

/// `(stat_net_input_bytes, total_net_repl_input_bytes)` of node `name`.
fn input(sim: &Sim, name: &str) -> (u64, u64) {
    let id = sim.node_id(name).expect("a node");
    let s = &sim.nodes[id].node.as_ref().expect("running").stats;
    (s.net_input_bytes, s.total_net_repl_input_bytes)
}

fn history(version: &str, sync: &str) -> String {
    format!(
        "node m version={version} repl-ping-replica-period=3600 {sync}\n\
         m> SET foo bar\n\
         node r1 version={version} replicaof=m repl-ping-replica-period=3600\n\
         wait sync\n\
         expect r1 total_net_repl_input_bytes = {{full}}\n\
         m> SET a 1\nm> SET b 2\nwait sync\n\
         expect r1 total_net_repl_input_bytes = {{writes}}\n\
         disconnect m r1\nreconnect m r1\nwait sync\n\
         expect m sync_partial_ok = 1\n\
         expect r1 total_net_repl_input_bytes = {{writes}}\n\
         m> SET c 3\nwait sync\n\
         expect r1 slave_repl_offset = 104\n\
         expect r1 total_net_repl_input_bytes = {{last}}\n"
    )
}

fn check(version: &str, sync: &str, full: u64) {
    let text = history(version, sync)
        .replace("{full}", &full.to_string())
        .replace("{writes}", &(full + 77).to_string())
        .replace("{last}", &(full + 104).to_string());
    let sim = run(&text);
    // The replica read nothing but its master's bytes (the expects read INFO without a
    // connection): total_net_input_bytes is the replication input alone.
    assert_eq!(input(&sim, "r1"), (0, full + 104), "{version} {sync}");
}

#[test]
fn diskless_sync_counts_the_eof_line_the_rdb_and_the_mark() {
    check("redis-7.0", "repl-diskless-sync-delay=0", 273);
    check("redis-8.0", "repl-diskless-sync-delay=0", 272);
    check("valkey-8.1", "repl-diskless-sync-delay=0", 273);
}

#[test]
fn disk_sync_counts_the_bulk_length_line_and_the_rdb() {
    check("redis-7.0", "repl-diskless-sync=no", 192);
    check("redis-8.0", "repl-diskless-sync=no", 191);
    check("valkey-8.1", "repl-diskless-sync=no", 192);
}

#[test]
fn keepalive_newlines_before_fullresync_count_nowhere() {
    // The default 5 s diskless delay: the master sends a newline a second while the
    // replica waits for +FULLRESYNC (real 7.0.15: still 273).
    check("redis-7.0", "", 273);
}

/// Writes while a two-channel sync's RDB crawls over a slow link: Redis 8.0 counts the
/// stream its replica buffers meanwhile; Valkey 8.1's dual channel does not (measured:
/// a 300,000-key sync with 905 bytes of writes during it, 87 + RDB + 905 on 8.0, 87 +
/// RDB on Valkey; what the master client reads after the load counts on both).
/// The replica boots about 430 ms after its `node` line and the 50 kB RDB takes 400 ms
/// at 1 Mbit/s, so writes 650 ms after that line land in the middle of the transfer.
#[test]
fn the_stream_buffered_during_a_two_channel_sync() {
    for (version, dual, counted) in [
        ("redis-8.0", "", true),
        ("valkey-8.1", "dual-channel-replication-enabled=yes", false),
    ] {
        let text = format!(
            "node m version={version} repl-ping-replica-period=3600 repl-diskless-sync-delay=0 rdbcompression=no {dual}\n\
             m> SET big {}\n\
             node r1 version={version} replicaof=m repl-ping-replica-period=3600 {dual}\n\
             link m r1 bandwidth=1mbit\n\
             wait 650ms\n\
             m> SET a 1\nm> SET b 2\n\
             wait sync\n\
             expect r1 slave_repl_offset = m.master_repl_offset\n\
             m> SET c 3\nwait sync\n",
            "x".repeat(50_000)
        );
        let sim = run(&text);
        let r1 = sim.node_id("r1").expect("r1");
        let rdb = sim.nodes[r1]
            .rdb
            .as_ref()
            .expect("the RDB of the sync")
            .len() as u64;
        let m = sim.node_id("m").expect("m");
        let offset = sim.nodes[m]
            .node
            .as_ref()
            .expect("running")
            .repl
            .master_repl_offset as u64;
        // SELECT and two SETs while the RDB came; the last SET (27 bytes) after.
        let during = offset - 27;
        assert!(during > 27, "{version}: the writes came during the sync");
        let expected = 87 + rdb + if counted { offset } else { 27 };
        assert_eq!(input(&sim, "r1"), (0, expected), "{version}");
    }
}
