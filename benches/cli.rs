//! The CLI path (`replscope run`): scenarios played through `run_with` as the
//! binary plays them (the event log and history off), timed wall-clock, median of 3.
//!
//! - 100,000 `m> SET key:i <20 bytes>` lines with three replicas, then `wait sync`
//!   (compare with real Redis: `tools/bench-cli-vs-redis.sh`);
//! - the reconnect loop of issue 15 (a replica of a replica whose output buffer
//!   limit keeps cutting it off) for 10 simulated minutes;
//! - a chain of 200 replicas to `wait sync`;
//! - an idle 3-node cluster for 10 simulated hours.
//!
//! Run: `cargo bench --bench cli`.

use replscope::scenario::{run_with, RunOptions, TraceMode};
use std::time::Instant;

/// N writes with three replicas (the same text as tests/limits.rs and
/// tools/bench-cli-vs-redis.sh).
fn writes(n: usize) -> String {
    let mut s = String::from(
        "node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nwait sync\n",
    );
    for i in 0..n {
        s.push_str(&format!("m> SET key:{i} abcdefghijklmnopqrst\n"));
    }
    s.push_str("wait sync\n");
    s
}

fn chain(n: usize) -> String {
    let mut s = String::from("node n0 repl-diskless-sync-delay=0\n");
    for i in 1..n {
        s.push_str(&format!(
            "node n{i} repl-diskless-sync-delay=0 replicaof=n{}\n",
            i - 1
        ));
    }
    s.push_str("wait sync\n");
    s
}

const RECONNECT_LOOP: &str = "node m\n\
node r repl-backlog-size=1k client-output-buffer-limit=\"replica 20kb 10kb 2\" hz=500\n\
m> REPLICAOF r\n\
wait 10m\n";

const IDLE: &str = "node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nwait 600m\n";

fn time(name: &str, text: &str, per: Option<(u64, &str)>) {
    let opts = RunOptions {
        seed: Some(1),
        trace: TraceMode::Off,
        on_statement: None,
        on_progress: None,
        on_output: None,
    };
    let mut walls = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let out = run_with(text, &opts);
        walls.push(t.elapsed().as_secs_f64());
        assert_eq!(out.error, None, "{name}");
    }
    walls.sort_by(f64::total_cmp);
    let wall = walls[1];
    match per {
        Some((n, unit)) => println!(
            "{name}: {wall:.3} s (median of 3), {:.0} {unit}/s",
            n as f64 / wall
        ),
        None => println!("{name}: {wall:.3} s (median of 3)"),
    }
}

fn main() {
    // `cargo bench` passes --bench; nothing else to parse.
    time(
        "run 100,000 SETs, 3 replicas",
        &writes(100_000),
        Some((100_000, "writes")),
    );
    time("reconnect loop, 10 simulated minutes", RECONNECT_LOOP, None);
    time("chain of 200 replicas to wait sync", &chain(200), None);
    time("idle 3 nodes, 10 simulated hours", IDLE, None);
}
