//! How far back the page can seek under load, and what that costs (issue 15, "bounded
//! memory"): the page's benchmark cluster (6 nodes, one logged `m> SET` statement a
//! simulated millisecond on m, as www/js/world.js applies them, the event log compacted
//! as the page does) played through the playground for 10 simulated minutes, with this
//! test binary's heap counted by its own allocator. Prints, every simulated minute, the
//! seekable window (how far `kept_from` lags the time shown), the statements kept and
//! the live heap; asserts the window the history budget buys and the heap it costs.
//!
//! `cargo test --release --test page_history -- --nocapture` prints the figures.
#![cfg(not(target_arch = "wasm32"))]

use replscope::playground::Playground;
use replscope::time::SimTime;
#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{LIVE, PEAK};
use std::sync::atomic::Ordering;

/// The tests share the counters: one at a time, the peak counted from its start.
fn alone() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    guard
}

/// The page's benchmark cluster (www/js/scenarios: `?scenario=bench`, as benches/hour.rs).
const BENCH: &str =
    "seed 1\nnode m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\n\
    node r4 replicaof=m\nnode r5 replicaof=m\nwait sync\n";

/// The event-log records the page lets the core keep (as benches/hour.rs compacts).
const TRACE_KEEP: usize = 20_000;

const MB: f64 = 1_048_576.0;

#[test]
fn a_busy_page_keeps_a_seekable_window_within_its_budget() {
    let _alone = alone();
    let base = LIVE.load(Ordering::Relaxed);
    let mut p = Playground::new(BENCH, None).unwrap();
    let minutes = 10;
    let mut windows = Vec::new();
    let (mut least, mut most) = (f64::MAX, 0f64);
    let mut compact_at = 0;
    for n in 0..minutes * 60_000u64 {
        p.apply(&format!("m> SET key:{} {:016}", n % 1000, n))
            .unwrap();
        p.advance(1000);
        let next = p.events_since(0).last().map_or(0, |e| e.seq + 1);
        if next > compact_at + TRACE_KEEP as u64 {
            p.compact_trace(TRACE_KEEP);
            compact_at = next;
        }
        // Once something was forgotten (before, everything is kept).
        if (n + 1) % 1000 == 0 && p.dropped() > 0 {
            let w = (p.now().as_us() - p.kept_from().as_us()) as f64 / 1e6;
            (least, most) = (least.min(w), most.max(w));
        }
        if (n + 1) % 60_000 == 0 {
            let window = least;
            let live = (LIVE.load(Ordering::Relaxed) - base) as f64 / MB;
            println!(
                "{:>2} simulated min: seekable window {window:>5.1} to {most:>5.1} s, {} statements kept ({} forgotten), \
                 {live:>6.1} MB live, peak {:>6.1} MB",
                (n + 1) / 60_000,
                p.actions().len(),
                p.dropped(),
                (PEAK.load(Ordering::Relaxed) - base) as f64 / MB,
            );
            windows.push(window);
            (least, most) = (f64::MAX, 0.0);
        }
    }
    // Seeking to the oldest moment kept and back is exact.
    let end = p.now();
    let view = format!("{:?}", p.view().nodes.len());
    p.seek(SimTime(p.kept_from().as_us() + 1));
    assert!(p.now() < end);
    p.seek(end);
    assert_eq!(format!("{:?}", p.view().nodes.len()), view);
    let live = LIVE.load(Ordering::Relaxed) - base;
    println!(
        "after seeks: {:.1} MB live, peak {:.1} MB",
        live as f64 / MB,
        (PEAK.load(Ordering::Relaxed) - base) as f64 / MB
    );
    // Measured: 30.6 to 34.6 s kept, 27.5 MB live, peak 29.7 MB (41 MB and 46.5 MB
    // before the native key table, keytable.rs; the history's budget
    // counted the world's backlogs twice and forgot down to 3/4 of it: 20.6 to 29.6 s,
    // 35 MB, peak 41.4 MB).
    assert!(windows.iter().all(|&w| w >= 28.0), "{windows:?}");
    assert!(
        PEAK.load(Ordering::Relaxed) - base < 64 << 20,
        "{live} bytes live"
    );
}

/// What a checkpoint of the busy page's world really holds, against its estimate
/// (`Checkpoint::bytes`, what `CHECKPOINT_BYTES_MAX` counts): the keyspaces copied
/// (a table slot and the value for each key; 1,000 keys on each of six nodes, or 3,000
/// with 200-byte values), the replicas' dump.rdb files, and the tail block of each
/// backlog, shared until the world next writes to it (then copied: counted here by
/// writing after each checkpoint, against the same writes without one). Measured
/// with the native key table of dense slots and an index (keytable.rs): 0.72 MB held,
/// estimated 0.72 MB (1,000 keys); 5.12 MB, estimated 5.28 MB (3,000). With a hash
/// table of slots: 1.26 MB held, estimated 1.00 MB (1,000 keys); 5.83 MB, estimated
/// 6.14 MB (3,000); before the estimate counted a table slot per key and the files
/// were shared, 1.42 MB held and 0.78 MB estimated (1,000 keys).
#[test]
fn a_checkpoint_of_a_busy_world_costs_what_it_is_estimated_to() {
    let _alone = alone();
    use replscope::scenario::run::Runner;
    for (keys, size) in [(1000u64, 16usize), (3000, 200)] {
        let parsed = replscope::scenario::parse_scenario(BENCH).unwrap();
        let mut r = Runner::new(1);
        r.declare(parsed.node_names().into_iter().map(String::from));
        for s in &parsed.statements {
            r.exec(s).unwrap();
        }
        let names: Vec<String> = r.sim.nodes.iter().map(|s| s.name.to_string()).collect();
        let mut n = 0u64;
        let mut write = |r: &mut Runner| {
            let line = format!("m> SET key:{} {:0size$}", n % keys, n);
            n += 1;
            let stmt = replscope::scenario::parse_statement(&line, 1, &names)
                .unwrap()
                .unwrap();
            r.exec(&stmt).unwrap();
            let t = r.sim.now().plus_us(1000);
            r.run_until(t);
            r.stdout.clear();
        };
        for _ in 0..60_000 {
            write(&mut r);
        }
        let live = || LIVE.load(Ordering::Relaxed) as i64;
        let before = live();
        let mut cps = Vec::new();
        for _ in 0..10 {
            cps.push(r.sim.checkpoint());
            write(&mut r);
        }
        let with = live() - before;
        let before = live();
        for _ in 0..10 {
            write(&mut r);
        }
        let held = (with - (live() - before)) as f64 / 10.0;
        let estimate = cps[0].bytes as f64;
        println!(
            "{keys} keys a node, {size}-byte values: a checkpoint holds {held:.0} bytes \
             (estimated {estimate:.0}: {:+.0}%; data {})",
            (estimate / held - 1.0) * 100.0,
            r.sim.data_bytes()
        );
        assert!(
            (held * 0.75..=held * 1.25).contains(&estimate),
            "{held} vs {estimate}"
        );
    }
}

/// One long statement keeps a bounded history: `wait 600m` typed on the page's first
/// scenario (three nodes) made 1.15 million log records and a million offset samples
/// before the page could compact anything; `wait 10080m` (the longest a statement may
/// wait) ran the tab out of wasm memory ("capacity overflow"). Now the log keeps at
/// most twice `TRACE_CAP` records while a statement runs, and samples are taken half
/// as often after every ten simulated minutes without a statement.
#[test]
fn a_long_wait_keeps_a_bounded_history() {
    let _one = alone();
    let base = LIVE.load(Ordering::Relaxed);
    let mut p = Playground::new(
        "node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nwait sync\nm> SET greeting hello\n",
        Some(1),
    )
    .unwrap();
    let t0 = p.now();
    let samples0 = p.samples_from() + p.samples().len();
    p.apply("wait 600m").unwrap();
    assert_eq!(p.now(), t0.plus_us(600 * 60_000_000));
    let records = p.events_since(0).len();
    let samples = p.samples_from() + p.samples().len() - samples0;
    let peak = PEAK.load(Ordering::Relaxed) - base;
    println!(
        "wait 600m: {records} log records kept, {samples} samples taken, peak {:.1} MB live",
        peak as f64 / 1e6
    );
    assert!(records <= 2 * replscope::playground::TRACE_CAP, "{records}");
    // Ten minutes at each pace, each twice as long as the last: 10 + 20 + ... + 320
    // minutes cover 600, six paces of 6,000 samples, three nodes.
    let most = 6 * replscope::sim::SAMPLES_PER_PACE as usize * 3;
    assert!(samples <= most, "{samples} samples (at most {most})");
    // The newest samples are the sparsest, and still come every few minutes.
    let last: Vec<u64> = p.samples().iter().rev().take(6).map(|s| s.t_us).collect();
    let gap = last[0] - last[5];
    assert!(gap > 0 && gap <= 2 * 6_400_000, "{last:?}");
    assert!(peak < 64 << 20, "{peak} bytes at the peak");
    // A statement after it samples at the first pace again.
    let n = p.samples().len();
    p.apply("wait 1s").unwrap();
    assert_eq!(
        p.samples().len() - n,
        3 * 10,
        "ten samples a second per node"
    );
}
