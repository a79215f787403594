//! The page's history stays bounded under a reconnect loop (issue 15, "bounded
//! memory"): the loop of the issue (a replica whose output buffer limit drops it every
//! few ms, 70,000 PSYNC decisions in 10 simulated minutes) played through the
//! playground as the page plays it (frames of simulated time, the event log compacted
//! to what the page keeps), with this test binary's heap counted by its own allocator.
//! Prints the live bytes at each simulated minute and asserts a ceiling (measured:
//! 116.9 MB live after 10 minutes when every decision was kept, 6.9 MB since).
//!
//! `cargo test --release --test history_memory -- --nocapture` prints the figures.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{LIVE, PEAK};
use std::sync::atomic::Ordering;

/// The page's `TRACE_KEEP` (www/js/world.js): the event-log records it lets the core keep.
const TRACE_KEEP: usize = 4000;

#[test]
fn a_reconnect_loop_keeps_a_bounded_history() {
    let scenario = "node m\n\
        node r repl-backlog-size=1k client-output-buffer-limit=\"replica 20kb 10kb 2\" hz=500\n\
        m> REPLICAOF r\n";
    let base = LIVE.load(Ordering::Relaxed);
    let mut p = replscope::playground::Playground::new(scenario, Some(1)).unwrap();
    // A frame at 100× is about 1.7 simulated seconds; 100 ms frames are closer to 1×.
    let minutes = 10;
    for minute in 1..=minutes {
        for _ in 0..600 {
            p.advance(100_000);
            p.compact_trace(TRACE_KEEP);
        }
        println!(
            "{minute:>2} min: {:>7.1} MB live, peak {:>7.1} MB, {} decisions kept",
            (LIVE.load(Ordering::Relaxed) - base) as f64 / 1e6,
            (PEAK.load(Ordering::Relaxed) - base) as f64 / 1e6,
            p.decisions().len()
        );
    }
    // 70,000 decisions were made (117 MB live when all were kept); the newest are kept.
    let made = p.decisions_from() + p.decisions().len();
    assert!(made > 60_000, "{made}");
    let kept = p.decisions().len();
    let most = replscope::sim::DECISIONS_KEEP * 5 / 4;
    assert!(kept < most, "{kept}");
    let live = LIVE.load(Ordering::Relaxed) - base;
    assert!(live < 16 << 20, "{live} bytes live after {minutes} minutes");
}
