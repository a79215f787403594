//! `rdbcompression` and `rdbchecksum` shape the RDB a master ships in a full sync.
//! Before session 28 both were accepted and shown by CONFIG GET but ignored: strings
//! were always LZF-compressed and the CRC-64 always written.
//!
//! The numbers come from a real Redis 7.0.15 master (`--rdbcompression no
//! --repl-diskless-sync no --save ''`) holding the ten keys below: its replica logged
//! "receiving 1238 bytes from master to disk"; after `CONFIG SET rdbcompression yes` a
//! new replica got 348 (liblzf's bytes; the simulator's own LZF makes 308).

use replscope::sim::Sim;

/// Ten keys of 100 × 'a', which LZF shrinks to a few bytes each.
fn writes() -> String {
    (1..=10)
        .map(|i| format!("m> SET k{i} {}\n", "a".repeat(100)))
        .collect()
}

mod common;
use common::run_holding as run;

/// The dump.rdb a node holds (a replica's is the RDB of its last full sync).
fn rdb(sim: &Sim, name: &str) -> Vec<u8> {
    let id = sim.node_id(name).expect("a node");
    sim.nodes[id].rdb.as_deref().expect("a dump.rdb").clone()
}

fn log_lines(sim: &Sim, name: &str, text: &str) -> usize {
    sim.trace
        .to_json_lines()
        .lines()
        .filter(|l| l.contains(&format!("\"node\":\"{name}\"")) && l.contains(text))
        .count()
}

#[test]
fn rdbcompression_no_ships_strings_verbatim_and_config_set_switches_it() {
    let text = format!(
        "node m rdbcompression=no repl-diskless-sync=no save=\"\" repl-ping-replica-period=3600\n\
         {}node r1 replicaof=m repl-ping-replica-period=3600\nwait sync\n\
         m> CONFIG SET rdbcompression yes\n\
         node r2 replicaof=m repl-ping-replica-period=3600\nwait sync\n\
         m> CONFIG SET rdbcompression no\n\
         m> CONFIG SET repl-diskless-sync yes\n\
         m> CONFIG SET repl-diskless-sync-delay 0\n\
         node r3 replicaof=m repl-ping-replica-period=3600\nwait sync\n\
         expect r3> GET k7 => \"{}\"\n",
        writes(),
        "a".repeat(100)
    );
    let sim = run(&text);
    // Real Redis 7.0.15: 1238 bytes. 100 'a's verbatim: 0x40 0x64 then the bytes.
    let r1 = rdb(&sim, "r1");
    assert_eq!(r1.len(), 1238);
    let verbatim = [&[0x40, 0x64][..], &[b'a'; 100]].concat();
    assert_eq!(r1.windows(102).filter(|w| *w == &verbatim[..]).count(), 10);
    assert_eq!(
        log_lines(&sim, "r1", "receiving 1238 bytes from master to disk"),
        1
    );
    // Compression on again (CONFIG SET at run time): LZF, about a quarter of it.
    let r2 = rdb(&sim, "r2");
    assert!(r2.len() < 400, "{}", r2.len());
    assert!(!r2.windows(102).any(|w| w == &verbatim[..]));
    // And off again, through a diskless sync: the same 1238 bytes in the socket.
    assert_eq!(rdb(&sim, "r3").len(), 1238);
}

/// The transfer as INFO shows it while it runs, on a slow link: `master_sync_total_bytes`
/// is -1 (`master_sync_perc` -0.00) until the `$<len>` line arrives, then the whole
/// file, verbatim. A real master (7.0.15, 8.0.2, Valkey 8.1.1) with 200 such keys and
/// `rdb-key-save-delay` to hold its BGSAVE showed -1, -1, -0.00 while saving, then
/// shipped 21670 bytes (Redis 8.0: 21669, its `redis-ver` is a byte shorter). Before
/// session 28 the simulator showed 0 before the length and shipped the keys LZF'd.
#[test]
fn master_sync_total_bytes_counts_the_uncompressed_file() {
    for (version, total) in [
        ("redis-7.0", 21670),
        ("redis-8.0", 21669),
        ("valkey-8.1", 21670),
    ] {
        let keys: String = (1..=200)
            .map(|i| format!("m> SET k{i} {}\n", "a".repeat(100)))
            .collect();
        let text = format!(
            "node m version={version} rdbcompression=no repl-diskless-sync=no save=\"\" \
             repl-ping-replica-period=3600\n\
             node r1 version={version} repl-ping-replica-period=3600\n\
             link m r1 bandwidth=4kb\n{keys}wait 2s\nr1> REPLICAOF m\nwait 1s\n\
             expect r1 master_sync_in_progress = 1\n\
             expect r1 master_sync_total_bytes = -1\n\
             expect r1 master_sync_left_bytes = -1\n\
             expect r1 master_sync_perc = -0.00\n\
             wait 3700ms\n\
             expect r1 master_sync_in_progress = 1\n\
             expect r1 master_sync_total_bytes = {total}\n\
             expect r1 master_sync_read_bytes > 0\n\
             wait sync\nexpect r1 master_sync_in_progress = 0\n"
        );
        run(&text);
    }
}

/// `rdbchecksum no` (a startup parameter; CONFIG SET refuses it): the file ends with 8
/// zero bytes, and a node that checks checksums loads it unchecked with Redis's
/// warning, in the full sync and again when it starts from that file.
#[test]
fn rdbchecksum_no_writes_a_zero_checksum_and_loaders_say_so() {
    let text = format!(
        "node m rdbchecksum=no repl-diskless-sync=no save=\"\" repl-ping-replica-period=3600\n\
         {}node r1 replicaof=m repl-ping-replica-period=3600\nwait sync\n\
         expect m> CONFIG SET rdbchecksum yes => (error) ERR CONFIG SET failed (possibly \
         related to argument 'rdbchecksum') - can't set immutable config\n\
         crash r1\nstart r1\nwait sync\nexpect r1 db0.keys = 10\n\
         node r2 replicaof=m rdbchecksum=no repl-ping-replica-period=3600\nwait sync\n",
        writes()
    );
    let sim = run(&text);
    let r1 = rdb(&sim, "r1");
    assert_eq!(r1[r1.len() - 8..], [0; 8]);
    let warning = "RDB file was saved with checksum disabled: no check performed.";
    // Once loading the sync's RDB, once loading dump.rdb after the restart.
    assert_eq!(log_lines(&sim, "r1", warning), 2);
    // A loader with rdbchecksum no checks nothing and says nothing.
    assert_eq!(log_lines(&sim, "r2", warning), 0);

    // With the default (yes) the trailer is the file's CRC-64, never 0.
    let sim = run(&format!(
        "node m repl-diskless-sync=no save=\"\"\n{}node r1 replicaof=m\nwait sync\n",
        writes()
    ));
    let r1 = rdb(&sim, "r1");
    assert_ne!(r1[r1.len() - 8..], [0; 8]);
    assert_eq!(log_lines(&sim, "r1", warning), 0);
}
