//! The WebAssembly facade in real browsers (`wasm-pack test --headless --chrome` and
//! `--firefox`, see `make wasm-test`): it builds a playground, runs it, breaks a link,
//! explains the partial resync that follows with the right offsets, rewinds, rejects
//! bad input without changing anything, and runs a scenario whose event trace equals
//! the native one byte for byte (`tests/golden_trace.rs` keeps the golden file true).

#![cfg(target_arch = "wasm32")]

use replscope::wasm::Playground;
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SCENARIO: &str = include_str!("scenarios/repl/partial-after-disconnect.scn");
const GOLDEN: &str = include_str!("golden/partial-after-disconnect.trace.jsonl");

/// A master and one replica, synced, with `SET foo bar` applied: offset 54
/// (SELECT 0 is 23 bytes, SET foo bar 31).
const BASE: &str = "node m repl-diskless-sync-delay=0 repl-ping-replica-period=3600
node r1 replicaof=m
wait sync
m> SET foo bar
wait sync
";

fn json(v: Result<JsValue, wasm_bindgen::JsError>) -> Value {
    let v = v.unwrap_or_else(|_| panic!("the facade returned an error"));
    let text: String = js_sys::JSON::stringify(&v).expect("JSON").into();
    serde_json::from_str(&text).expect("valid JSON")
}

fn offsets(p: &Playground) -> (Value, Value) {
    let v = json(p.view());
    (
        v["nodes"][0]["master_repl_offset"].clone(),
        v["nodes"][1]["slave_repl_offset"].clone(),
    )
}

#[wasm_bindgen_test]
fn playground_runs_disconnects_and_explains_a_partial_resync() {
    let mut p = Playground::new(BASE, Some(7.0), None).unwrap_or_else(|_| panic!("scenario loads"));
    assert_eq!(p.seed(), 7.0);
    assert_eq!(offsets(&p), (54.into(), 54.into()));
    let before = p.now_ms();

    p.apply("disconnect m r1", None)
        .unwrap_or_else(|_| panic!("disconnect"));
    let out = json(p.apply("m> SET k1 v1", None));
    assert_eq!(out["output"], "m> SET k1 v1\nOK\n");
    p.advance(2000.0);
    let v = json(p.view());
    assert_eq!(v["links"][0]["state"], "disconnected");
    assert_ne!(v["nodes"][1]["link_state"], "connected");

    p.apply("reconnect m r1", None)
        .unwrap_or_else(|_| panic!("reconnect"));
    p.advance(3000.0);
    assert_eq!(offsets(&p), (83.into(), 83.into()));

    // The replica had bytes 1..=54, so it asks for 55; SET k1 v1 is 29 bytes.
    let decisions = json(p.decisions());
    let last = decisions.as_array().unwrap().last().unwrap();
    assert_eq!(last["node"], "m");
    let d = &last["decision"];
    assert_eq!(d["asked_offset"], 55);
    assert_eq!(d["verdict"]["verdict"], "continue");
    assert_eq!(d["verdict"]["bytes"], 29);
    assert_eq!(d["master"]["backlog"], serde_json::json!([1, 83]));
    let checks: Vec<(&str, bool)> = d["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["passed"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        checks,
        [
            ("replid", true),
            ("backlog_exists", true),
            ("offset_ge_first_byte", true),
            ("offset_le_window_end", true)
        ]
    );
    assert_eq!(
        d["checks"][3]["text"],
        "55 <= first byte + histlen = 1 + 83 = 84"
    );
    assert_eq!(
        d["log"][0],
        "Partial resynchronization request from r1:6379 accepted. Sending 29 bytes of backlog starting from offset 55."
    );
    assert_eq!(
        p.decisions_len() as usize,
        decisions.as_array().unwrap().len()
    );
    assert_eq!(json(p.decisions_since(p.decisions_len() - 1))[0], *last);

    // The event log and the samples are served incrementally.
    let latest = json(p.events_latest(0.0, 5));
    assert_eq!(latest.as_array().unwrap().len(), 5);
    let next = latest[4]["seq"].as_f64().unwrap() + 1.0;
    assert_eq!(json(p.events_latest(next, 5)), serde_json::json!([]));
    assert!(p.samples_len() > 0);
    let n = p.actions_len();
    let last = json(p.actions_since(n - 3, None));
    assert_eq!(last[0]["text"], "disconnect m r1");
    assert_eq!(last[1]["text"], "m> SET k1 v1");
    assert_eq!(last[2]["text"], "reconnect m r1");
    assert_eq!(json(p.actions_since(n + 5, None)), serde_json::json!([]));
    let one = json(p.actions_since(n - 3, Some(1)));
    assert_eq!(one.as_array().map(Vec::len), Some(1));
    assert_eq!(one[0]["text"], "disconnect m r1");

    // Rewind to before the disconnect: the old offsets, and no partial resync yet.
    let end = p.now_ms();
    p.seek(before - 1.0);
    assert_eq!(offsets(&p), (54.into(), 54.into()));
    assert!(p.decisions_len() < decisions.as_array().unwrap().len() as u32);
    p.seek(end);
    assert_eq!(offsets(&p), (83.into(), 83.into()));
    assert_eq!(json(p.decisions()), decisions);

    // Quietly (what a write load does): applied and logged, nothing returned.
    let quiet = p.apply("m> SET k2 v2", Some(true));
    assert!(quiet.is_ok_and(|v| v.is_undefined()));
    assert_eq!(p.actions_len(), n + 1);
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_and_changes_nothing() {
    let mut p = Playground::new(BASE, None, None).unwrap_or_else(|_| panic!("scenario loads"));
    let before = json(p.view());
    assert!(p.apply("frobnicate m", None).is_err());
    assert!(p.apply("disconnect m nosuch", None).is_err());
    assert!(p.apply("seed 4", None).is_err());
    assert_eq!(json(p.view()), before);
    assert!(Playground::new("node m\nnode m\n", None, None).is_err());
    // Out-of-range times are clamped, never a panic.
    p.advance(f64::NAN);
    p.advance(-5.0);
    p.seek(f64::INFINITY);
    p.seek(-1.0);
}

#[wasm_bindgen_test]
fn browser_trace_equals_the_native_golden_trace() {
    // The page's own road: a playground built from the scenario (`replscope run` is the
    // command line's; the page has no use for it, so the wasm does not export it).
    let p = Playground::new(SCENARIO, None, None).unwrap_or_else(|_| panic!("the scenario loads"));
    let loaded = json(p.loaded());
    let expectations = loaded["expectations"].as_array().expect("expectations");
    assert!(!expectations.is_empty());
    assert!(
        expectations.iter().all(|e| e["passed"] == true),
        "every expect holds: {}",
        loaded["expectations"]
    );
    let trace = p.trace_json();
    let trace = trace.as_str();
    if let Some((i, (a, b))) = GOLDEN
        .lines()
        .zip(trace.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!("line {}: golden {a}\n browser {b}", i + 1);
    }
    assert_eq!(trace.len(), GOLDEN.len());
    assert!(trace == GOLDEN);
}

#[wasm_bindgen_test]
fn a_scenario_built_in_steps_is_the_scenario_built_at_once() {
    // The page's road for a scenario of hours (www/js/opening.js): nothing runs until
    // `load`, which runs a stretch of simulated time a call; the world it ends with is
    // the one built at once, its trace byte for byte.
    let mut p = Playground::new(SCENARIO, None, Some(true))
        .unwrap_or_else(|_| panic!("the scenario parses"));
    assert_eq!(p.now_ms(), 0.0);
    let mut calls = 0;
    while !p.load(250.0).unwrap_or_else(|_| panic!("a stretch runs")) {
        calls += 1;
    }
    assert!(calls > 3, "{calls} calls");
    let once =
        Playground::new(SCENARIO, None, None).unwrap_or_else(|_| panic!("the scenario loads"));
    assert_eq!(p.trace_json(), once.trace_json());
    assert_eq!(json(p.view()), json(once.view()));
    assert_eq!(json(p.loaded()), json(once.loaded()));
    // A statement that cannot run is the error, in steps as at once.
    let mut bad = Playground::new("node m\nwait 10081m\n", None, Some(true))
        .unwrap_or_else(|_| panic!("it parses"));
    assert!(bad.load(1000.0).is_err());
}
