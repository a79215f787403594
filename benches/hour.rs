//! One simulated hour: 1 master + 3 replicas at 1,000 writes/s with a disconnect
//! (and reconnect 5 s later) every minute, the event log off. Prints wall time,
//! simulated writes per wall second, and peak memory. Run: `cargo bench --bench hour`.
//!
//! `PAGE=1 cargo bench --bench hour` runs the page's road instead: a Playground with
//! the page's benchmark cluster (6 nodes), one logged `m> SET` statement a simulated
//! millisecond as www/js/world.js applies them, the event log compacted as the page
//! does, printing the resident memory every simulated minute (SIM_MS as above).

use replscope::node::config::Config;
use std::time::Instant;

mod common;

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// CPU time this (single-threaded) process has had, in seconds: beside the wall
/// time, it shows how much of a slow run was other work on a shared machine.
fn cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 / 1e9)
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// The page's road (see the module comment).
fn page(hour_ms: u64) {
    use replscope::playground::Playground;
    let started = Instant::now();
    let text = "seed 1\nnode m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\n\
                node r4 replicaof=m\nnode r5 replicaof=m\nwait sync\n";
    let mut pg = Playground::new(text, None).expect("the bench scenario loads");
    let mut compact_at = 0;
    for n in 0..hour_ms {
        pg.apply(&format!("m> SET key:{} {:016}", n % 1000, n))
            .expect("a SET applies");
        pg.advance(1000);
        let next = pg.events_since(0).last().map_or(0, |e| e.seq + 1);
        if next > compact_at + 20_000 {
            pg.compact_trace(20_000);
            compact_at = next;
        }
        if (n + 1) % 60_000 == 0 {
            println!(
                "{:>4} simulated min, wall {:>6.2} s: RSS {} MB, {} statements kept ({} forgotten), {} samples, {} decisions",
                (n + 1) / 60_000,
                started.elapsed().as_secs_f64(),
                rss_kb() / 1024,
                pg.actions().len(),
                pg.dropped(),
                pg.samples().len(),
                pg.decisions().len()
            );
        }
    }
    println!(
        "page road: {hour_ms} ms simulated in {:.2} s wall, peak RSS {} MB",
        started.elapsed().as_secs_f64(),
        peak_rss_kb().map_or("?".into(), |k| (k / 1024).to_string())
    );
}

/// `key:<n>` into `out` (what `format!` would write, without its machinery: the
/// client's cost, not the simulator's).
fn key_name(out: &mut Vec<u8>, mut n: u64) {
    out.clear();
    out.extend_from_slice(b"key:");
    let start = out.len();
    loop {
        out.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out[start..].reverse();
}

fn main() {
    // `cargo bench` passes --bench; nothing else to parse.
    let hour_ms: u64 = std::env::var("SIM_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_600_000);
    if std::env::var_os("PAGE").is_some() {
        return page(hour_ms);
    }
    let started = Instant::now();
    let cfg = Config {
        save_points: Vec::new(),
        ..Config::default()
    };
    let (mut sim, m, rs) = common::cluster(3, cfg, 10_000);
    let mut writes = 0u64;
    // One argument list, refilled for every write (what the client builds is not the
    // simulator's cost).
    let mut argv = vec![b"SET".to_vec(), Vec::new(), b"value-0123456789".to_vec()];
    for ms in 0..hour_ms {
        key_name(&mut argv[1], writes % 10_000);
        sim.command(m, &argv);
        writes += 1;
        let r = rs[((ms / 60_000) % 3) as usize];
        if ms % 60_000 == 0 {
            sim.disconnect(m, r);
        } else if ms % 60_000 == 5_000 {
            sim.reconnect(m, r);
        }
        let t = sim.now().plus_ms(1);
        sim.run_until(t);
    }
    let wall = started.elapsed();
    let n = sim.node(m).unwrap();
    println!(
        "one simulated hour: {writes} writes, {} events, wall {:.2} s (cpu {}), {:.0} simulated writes/s, \
         peak RSS {} MB, master offset {}, sync_full {}, sync_partial_ok {}",
        sim.events_processed,
        wall.as_secs_f64(),
        cpu_s().map_or("?".into(), |s| format!("{s:.2} s")),
        writes as f64 / wall.as_secs_f64(),
        peak_rss_kb().map_or("?".into(), |k| (k / 1024).to_string()),
        n.repl.master_repl_offset,
        n.repl.stat_sync_full,
        n.repl.stat_sync_partial_ok,
    );
}
