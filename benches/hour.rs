//! One simulated hour: 1 master + 3 replicas at 1,000 writes/s with a disconnect
//! (and reconnect 5 s later) every minute, the event log off. Prints wall time,
//! simulated writes per wall second, and peak memory. Run: `cargo bench --bench hour`.

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

fn main() {
    // `cargo bench` passes --bench; nothing else to parse.
    let started = Instant::now();
    let cfg = Config {
        save_points: Vec::new(),
        ..Config::default()
    };
    let (mut sim, m, rs) = common::cluster(3, cfg, 10_000);
    let hour_ms: u64 = std::env::var("SIM_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_600_000);
    let mut writes = 0u64;
    for ms in 0..hour_ms {
        let argv = vec![
            b"SET".to_vec(),
            format!("key:{}", writes % 10_000).into_bytes(),
            b"value-0123456789".to_vec(),
        ];
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
        "one simulated hour: {writes} writes, {} events, wall {:.2} s, {:.0} simulated writes/s, \
         peak RSS {} MB, master offset {}, sync_full {}, sync_partial_ok {}",
        sim.events_processed,
        wall.as_secs_f64(),
        writes as f64 / wall.as_secs_f64(),
        peak_rss_kb().map_or("?".into(), |k| (k / 1024).to_string()),
        n.repl.master_repl_offset,
        n.repl.stat_sync_full,
        n.repl.stat_sync_partial_ok,
    );
}
