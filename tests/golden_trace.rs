//! The golden event trace that `tests/wasm.rs` compares the browser's run against,
//! byte for byte. This native test keeps it honest: it fails when the native trace of
//! the scenario changes, and `REPLSCOPE_BLESS=1 cargo test --test golden_trace`
//! rewrites it (then commit both, and the browser test checks the new bytes).

use std::path::Path;

const SCENARIO: &str = include_str!("scenarios/repl/partial-after-disconnect.scn");
const GOLDEN: &str = "tests/golden/partial-after-disconnect.trace.jsonl";

#[test]
fn golden_trace_matches_the_native_run() {
    let out = replscope::scenario::run_text(SCENARIO, None);
    assert_eq!(out.exit_code(), 0, "the scenario's expects hold");
    let trace = out.sim.expect("ran").trace.to_json_lines();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("REPLSCOPE_BLESS").is_some() {
        std::fs::write(&path, &trace).expect("write the golden trace");
    }
    let golden =
        std::fs::read_to_string(&path).expect("golden trace (REPLSCOPE_BLESS=1 creates it)");
    if let Some((i, (a, b))) = golden
        .lines()
        .zip(trace.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!(
            "{GOLDEN}:{}: the native trace changed\n golden: {a}\n native: {b}\n(REPLSCOPE_BLESS=1 rewrites it)",
            i + 1
        );
    }
    assert_eq!(
        golden.len(),
        trace.len(),
        "{GOLDEN}: the native trace changed length (REPLSCOPE_BLESS=1 rewrites it)"
    );
}
