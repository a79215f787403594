//! A socket that closes delivers at most its kernel send buffer behind the segment on
//! the wire (`sim::net::SNDBUF_BYTES`): a master that drops a replica in the middle
//! of a full sync cuts its RDB short, as Redis's does ("I/O error trying to sync with
//! MASTER: connection lost" on the replica), instead of delivering the whole file
//! first. Before, the simulator handed the network the whole RDB at once and the
//! replica loaded all of it after its master had closed the link or died: a full-sync
//! loop caused by client-output-buffer-limit healed, and a crashed master's replica
//! ended up with its data (found by a tester, session 27).

mod common;

/// A master holding `keys` keys of 1 KB that LZF cannot shrink (hex from an LCG),
/// behind a slow link to r1, then `tail`.
fn scenario(keys: usize, tail: &str) -> String {
    let mut text = String::from(
        "node m repl-diskless-sync=no repl-backlog-size=16kb client-output-buffer-limit=\"replica 64kb 32kb 2\"\n\
         node r1\nlink m r1 bandwidth=1mbit\n",
    );
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for k in 0..keys {
        let mut v = String::with_capacity(1024);
        while v.len() < 1024 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            v.push_str(&format!("{:016x}", x >> 1));
        }
        text.push_str(&format!("m> SET k{k} {v}\n"));
    }
    text.push_str("r1> REPLICAOF m\nwait 2s\n");
    text.push_str(tail);
    text
}

use common::failed_expects as failures;

/// 400 KB of RDB at 1 Mbit/s takes over 3 s: 2 s in, a 70 KB SET overflows r1's
/// output buffer (hard limit 64 KB: the backlog is smaller), the master closes r1, and r1 learns it within a
/// send buffer's time, with the RDB unloaded: a new full sync, never a partial one.
#[test]
fn an_output_buffer_drop_mid_rdb_cuts_the_rdb_and_the_replica_syncs_again() {
    let text = scenario(
        400,
        &format!(
            "m> SET w {}\nwait 1500ms\nexpect r1> DBSIZE => (integer) 0\n\
             expect m sync_full >= 2\nwait 30s\nexpect m sync_partial_ok = 0\n",
            "y".repeat(70_000)
        ),
    );
    assert_eq!(failures(&text), Vec::<String>::new());
}

/// A master killed 2 s into the same transfer: its replica never loads the RDB.
#[test]
fn a_crash_mid_rdb_leaves_the_replica_without_the_data() {
    let text = scenario(
        400,
        "crash m\nwait 20s\nexpect r1> DBSIZE => (integer) 0\nexpect r1 master_link_status = down\n",
    );
    assert_eq!(failures(&text), Vec::<String>::new());
}

/// A small write before a close still arrives whole (an error reply, then the close).
#[test]
fn what_fits_the_send_buffer_still_arrives() {
    let text = scenario(40, "crash m\nwait 20s\nexpect r1> DBSIZE => (integer) 40\n");
    assert_eq!(failures(&text), Vec::<String>::new());
}
