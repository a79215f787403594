//! Fuzzing the scenario runner (issue 15): a seeded generator writes random scenarios
//! — nodes with boundary configuration values, writes, waits, faults, restarts,
//! expects, console commands that block, and lines of random bytes — and each is run
//! twice. A case fails on a panic, on running longer than [`CASE_WALL_LIMIT`], or on
//! two runs that differ (transcript, error, event log). An abort (say, a failed
//! allocation) ends this test process, which fails it too; the process's address
//! space is capped at [`ADDRESS_SPACE_LIMIT`] so a runaway allocation aborts instead
//! of swapping.
//!
//! `FUZZ_CASES` (default 2000) and `FUZZ_SEED` (default 1) choose the cases: seeds
//! `FUZZ_SEED .. FUZZ_SEED + FUZZ_CASES`. A failure prints its seed and scenario; rerun
//! one with `FUZZ_SEED=<seed> FUZZ_CASES=1 cargo test --release --test fuzz`;
//! `FUZZ_VERBOSE=1` prints how each case ended.
// Runs the native binary under OS limits: native only.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/scenario_gen.rs"]
mod scenario_gen;

use replscope::scenario::run_text;
use scenario_gen::{env_u64, limit_address_space, scenario, Watchdog};
use std::time::Duration;

/// Wall time one case (both runs) may take, release build.
const CASE_WALL_LIMIT: Duration = Duration::from_secs(10);

/// Address space of the whole test process.
const ADDRESS_SPACE_LIMIT: u64 = 8 << 30;

/// What a run produced, for comparing two runs.
fn fingerprint(text: &str) -> (String, String, u64, String) {
    let out = run_text(text, None);
    let trace = out
        .sim
        .as_ref()
        .map(|s| s.trace.to_json_lines())
        .unwrap_or_default();
    (
        out.stdout,
        format!("{:?}", out.error),
        out.expectations.iter().filter(|e| e.passed).count() as u64,
        trace,
    )
}

#[test]
fn random_scenarios_never_panic_hang_or_diverge() {
    let (first, cases) = (env_u64("FUZZ_SEED", 1), env_u64("FUZZ_CASES", 2000));
    limit_address_space(ADDRESS_SPACE_LIMIT);
    let watchdog = Watchdog::start("fuzz", CASE_WALL_LIMIT);
    let mut failures = Vec::new();
    let mut ran_ok = 0;
    for seed in first..first + cases {
        let text = scenario(seed);
        watchdog.begin(seed);
        let result = std::panic::catch_unwind(|| (fingerprint(&text), fingerprint(&text)));
        watchdog.end();
        match result {
            Err(_) => failures.push(format!("seed {seed} panicked:\n{text}")),
            Ok((a, b)) if a != b => failures.push(format!("seed {seed}: two runs differ:\n{text}")),
            Ok((a, _)) => {
                if std::env::var("FUZZ_VERBOSE").is_ok() {
                    eprintln!("{seed}: {}", a.1.chars().take(150).collect::<String>());
                }
                ran_ok += usize::from(a.1 == "None")
            }
        }
    }
    eprintln!(
        "fuzz: {cases} cases, seeds {first}..{}, {ran_ok} ran to the end, {:.1} s",
        first + cases,
        watchdog.elapsed_s()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
    // The generator must reach the runner, not only the parser.
    assert!(
        ran_ok * 10 >= cases as usize,
        "only {ran_ok} of {cases} ran"
    );
}
