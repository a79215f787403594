//! A master writes an online replica's stream at most a socket send buffer
//! (`node::effects::SNDBUF_BYTES`) ahead of the wire; the rest waits in its
//! replication buffer and counts against `client-output-buffer-limit`. A replica on a
//! link slower than the writes is dropped at the limit and, its offset gone from the
//! backlog, fully resynced: the full-sync loop of a replica that cannot keep up.
//! Before, the network took every write at once, so such a replica fell behind for
//! ever with its master's buffer empty (found by a tester, session 28).

mod common;

/// m and r1 in sync over a link of `bandwidth`, then `writes` SETs of 1 KB one
/// millisecond apart (1 MB/s), then `tail`.
fn scenario(bandwidth: &str, writes: usize, tail: &str) -> String {
    let mut text = format!(
        "node m client-output-buffer-limit=\"replica 64kb 32kb 60\" repl-backlog-size=16kb\n\
         node r1 replicaof=m\nlink m r1 bandwidth={bandwidth}\nwait sync\n"
    );
    let v = "x".repeat(1000);
    for i in 0..writes {
        text.push_str(&format!("m> SET k{i} {v}\nwait 1ms\n"));
    }
    text.push_str(tail);
    text
}

use common::failed_expects as failures;

/// 1 MB/s of writes over 1 Mbit/s (125 KB/s): past 64 KB in the master's buffer the
/// replica is dropped; its PSYNC then finds its offset gone from the 16 KB backlog.
#[test]
fn a_replica_slower_than_the_writes_is_dropped_at_its_output_buffer_limit() {
    let text = scenario(
        "1mbit",
        300,
        "wait 3s\nexpect m sync_partial_err >= 1\nexpect m sync_full >= 2\nwait 10s\nwait sync\n\
         expect r1> DBSIZE => (integer) 300\n",
    );
    assert_eq!(failures(&text), Vec::<String>::new());
}

/// The same writes over the default 1 Gbit link: the buffer never fills, no drop.
#[test]
fn a_replica_that_keeps_up_is_never_dropped() {
    let text = scenario(
        "1gbit",
        300,
        "expect m sync_full = 1\nexpect m sync_partial_err = 0\nwait sync\n\
         expect r1> DBSIZE => (integer) 300\n",
    );
    assert_eq!(failures(&text), Vec::<String>::new());
}

/// A partition: what the master writes meanwhile stays in its buffer past the send
/// buffer's 64 KB, so 200 KB of writes drop the replica (hard limit 64 KB) before
/// the link heals.
#[test]
fn writes_during_a_partition_fill_the_output_buffer() {
    let mut text = String::from(
        "node m client-output-buffer-limit=\"replica 64kb 32kb 60\" repl-backlog-size=16kb\n\
         node r1 replicaof=m\nwait sync\npartition m r1\n",
    );
    let v = "x".repeat(1000);
    for i in 0..200 {
        text.push_str(&format!("m> SET k{i} {v}\n"));
    }
    text.push_str("wait 100ms\nexpect m connected_slaves = 0\nheal m r1\nwait 5s\nwait sync\nexpect m sync_full = 2\nexpect r1> DBSIZE => (integer) 200\n");
    assert_eq!(failures(&text), Vec::<String>::new());
}
