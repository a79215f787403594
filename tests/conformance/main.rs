//! The conformance suite: every scenario under `tests/scenarios/` that is not
//! sim-only is played in the simulator and against real `redis-server` 7.0
//! processes, and what must agree is compared (docs/conformance.md).
//!
//! Run: `cargo test --test conformance` (an optional argument filters scenario paths
//! by substring, or names one scenario file anywhere to run just that). Environment: `REDIS_SERVER` (the binary), `CONFORMANCE_JOBS`
//! (parallel scenarios, default 8; they mostly wait), `CONFORMANCE_KEEP=1` (keep the servers'
//! directories of failing scenarios), `CONFORMANCE_STRICT=1` (known differences
//! fail too).
//!
//! Prints one line per scenario, the skipped sim-only files with their reasons, and
//! exactly one summary line: `conformance: N scenarios, M agree with redis-server
//! 7.0.x`. Exits non-zero on any disagreement or runner error.

// Talks to real redis-server processes: native only (`wasm-pack test` builds every
// test target for wasm32; there this harness-less test is empty).
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

mod cli_format;
mod compare;
mod real;
#[path = "../real_redis/resp.rs"]
mod resp;
#[path = "../real_redis/server.rs"]
mod server;
mod simworld;
mod transcript;

use replscope::scenario::ast::{Scenario, StmtKind};
use replscope::scenario::parse_scenario;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Where the scenarios live, relative to the package root.
const SCENARIO_DIR: &str = "tests/scenarios";
/// Scenarios that are known to disagree today (one path a line, `#` comments).
const KNOWN_DIFFERENCES: &str = "tests/conformance/known-differences.txt";
/// Scenarios that show a known difference and cannot live in tests/scenarios/
/// (whose every `expect` must hold in the simulator): all known differences.
const PENDING_DIR: &str = "tests/conformance/pending";

/// `node` parameters that exist only in the simulator (a real server refuses them).
const SIM_ONLY_PARAMS: &[&str] = &["textbook-ack-resend"];

/// File extensions under tests/scenarios that are not scenarios.
const NOT_SCENARIOS: &[&str] = &[
    "md", "json", "out", "stdout", "stderr", "expected", "golden", "trace", "png", "svg",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn find_scenarios(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            find_scenarios(&p, out);
        } else {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !NOT_SCENARIOS.contains(&ext) && !name.starts_with("README") {
                out.push(p);
            }
        }
    }
}

/// Why a scenario runs only in the simulator, if it does.
fn sim_only_reason(text: &str, scenario: &Scenario) -> Option<String> {
    let first = text.lines().next().unwrap_or("").trim();
    if let Some(rest) = first.strip_prefix('#') {
        if let Some(reason) = rest.trim().strip_prefix("sim-only:") {
            return Some(reason.trim().to_string());
        }
    }
    scenario.statements.iter().find_map(|s| {
        let verb = match &s.kind {
            StmtKind::Partition { .. } => "partition",
            StmtKind::Heal { .. } => "heal",
            StmtKind::Link { .. } => "link",
            StmtKind::Lose { .. } => "lose",
            StmtKind::Send { .. } => "send",
            StmtKind::Node { params, .. } => {
                let p = params
                    .iter()
                    .find(|p| SIM_ONLY_PARAMS.contains(&p.key.as_str()))?;
                return Some(format!(
                    "line {}: `{}` is a simulator-only parameter",
                    s.line, p.key
                ));
            }
            _ => return None,
        };
        Some(format!(
            "line {}: `{verb}` cannot be reproduced against real servers",
            s.line
        ))
    })
}

enum Outcome {
    Agree,
    SimOnly(String),
    Disagree(Vec<String>),
}

struct Done {
    path: String,
    outcome: Outcome,
    secs: f64,
}

fn run_one(path: &Path, keep: bool) -> Outcome {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return Outcome::Disagree(vec![format!("  cannot read: {e}")]),
    };
    let scenario = match parse_scenario(&text) {
        Ok(s) => s,
        Err(e) => {
            return Outcome::Disagree(vec![format!(
                "  does not parse: line {}, column {}: {}",
                e.line, e.col, e.message
            )])
        }
    };
    if let Some(reason) = sim_only_reason(&text, &scenario) {
        return Outcome::SimOnly(reason);
    }
    let sim_t = simworld::run(&scenario);
    let (real_t, kept) = real::run(&scenario, keep);
    let (s, r) = (compare::reduce(&sim_t), compare::reduce(&real_t));
    if std::env::var("CONFORMANCE_SHOW").is_ok_and(|v| v == "1") {
        show(path, &r);
    }
    let mut problems = compare::diff(&s, &r);
    let both = compare::both_failed(&s, &r);
    if !both.is_empty() {
        problems.push("  the scenario itself is wrong (both worlds agree on this):".into());
        problems.extend(both);
    }
    if problems.is_empty() {
        if let Some(dir) = kept {
            let _ = std::fs::remove_dir_all(dir);
        }
        Outcome::Agree
    } else {
        if let Some(dir) = kept {
            problems.push(format!("  servers' directories kept in {}", dir.display()));
        }
        Outcome::Disagree(problems)
    }
}

/// Print what redis-server showed (CONFORMANCE_SHOW=1), for writing `expect`s.
fn show(path: &Path, real: &[compare::Reduced]) {
    let mut out = format!("--- redis-server transcript of {}\n", path.display());
    for e in real {
        out.push_str(&format!("{:>4} {}\n", e.line, e.text.trim()));
        for (k, v) in &e.items {
            out.push_str(&format!("       {k}: {v}\n"));
        }
        if let Some(h) = e.held {
            out.push_str(&format!("       held: {h}\n"));
        }
        if let Some(err) = &e.error {
            out.push_str(&format!("       ERROR: {err}\n"));
        }
    }
    eprint!("{out}");
}

fn known_differences() -> Vec<String> {
    let mut known: Vec<String> = std::fs::read_to_string(root().join(KNOWN_DIFFERENCES))
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut pending = Vec::new();
    find_scenarios(&root().join(PENDING_DIR), &mut pending);
    for p in pending {
        if let Ok(rel) = p.strip_prefix(root()) {
            known.push(rel.to_string_lossy().into_owned());
        }
    }
    known
}

fn main() -> ExitCode {
    let started = Instant::now();
    resp::self_check();
    cli_format::self_check();
    compare::self_check();
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let Some(version) = server::require("conformance") else {
        return ExitCode::SUCCESS;
    };
    if !version.starts_with("7.0.") {
        eprintln!("conformance: FAILED: the oracle must be redis-server 7.0.x, found {version}");
        return ExitCode::FAILURE;
    }
    let mut paths = Vec::new();
    let explicit: Vec<PathBuf> = filter
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect();
    if explicit.is_empty() {
        find_scenarios(&root().join(SCENARIO_DIR), &mut paths);
        find_scenarios(&root().join(PENDING_DIR), &mut paths);
    } else {
        paths = explicit
            .iter()
            .map(|p| p.canonicalize().unwrap_or(p.clone()))
            .collect();
    }
    let rel = |p: &Path| {
        p.strip_prefix(root())
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    if let (Some(f), true) = (&filter, explicit.is_empty()) {
        paths.retain(|p| rel(p).contains(f.as_str()));
    }
    let jobs: usize = std::env::var("CONFORMANCE_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(8)
        .max(1);
    let keep = std::env::var("CONFORMANCE_KEEP").is_ok_and(|v| v == "1");
    let strict = std::env::var("CONFORMANCE_STRICT").is_ok_and(|v| v == "1");
    let queue = Arc::new(Mutex::new(paths.clone()));
    let results = Arc::new(Mutex::new(Vec::<Done>::new()));
    let workers: Vec<_> = (0..jobs)
        .map(|_| {
            let (queue, results) = (Arc::clone(&queue), Arc::clone(&results));
            std::thread::spawn(move || loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
                let Some(path) = next else { break };
                let t0 = Instant::now();
                let r = rel(&path);
                let outcome = match std::panic::catch_unwind(|| run_one(&path, keep)) {
                    Ok(o) => o,
                    Err(_) => Outcome::Disagree(vec!["  the runner panicked".into()]),
                };
                let done = Done {
                    path: r,
                    outcome,
                    secs: t0.elapsed().as_secs_f64(),
                };
                match &done.outcome {
                    Outcome::Agree => eprintln!("ok    {} ({:.1}s)", done.path, done.secs),
                    Outcome::SimOnly(_) => eprintln!("skip  {} (sim-only)", done.path),
                    Outcome::Disagree(_) => eprintln!("FAIL  {} ({:.1}s)", done.path, done.secs),
                }
                results.lock().unwrap_or_else(|e| e.into_inner()).push(done);
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    let mut results = std::mem::take(&mut *results.lock().unwrap_or_else(|e| e.into_inner()));
    results.sort_by(|a, b| a.path.cmp(&b.path));
    let known = known_differences();
    let mut ran = 0;
    let mut agree = 0;
    let mut failed = false;
    let mut skipped = Vec::new();
    for d in &results {
        match &d.outcome {
            Outcome::Agree => {
                ran += 1;
                agree += 1;
                if known.contains(&d.path) {
                    if d.path.starts_with(PENDING_DIR) {
                        println!("note: {} agrees now; move it to {SCENARIO_DIR}/", d.path);
                    } else {
                        println!(
                            "note: {} agrees now; remove it from {KNOWN_DIFFERENCES}",
                            d.path
                        );
                    }
                }
            }
            Outcome::SimOnly(why) => skipped.push(format!("  {} -- {why}", d.path)),
            Outcome::Disagree(lines) => {
                ran += 1;
                let is_known = known.contains(&d.path);
                println!(
                    "\n{} {}:",
                    if is_known && !strict {
                        "KNOWN DIFFERENCE"
                    } else {
                        "DISAGREES"
                    },
                    d.path
                );
                for l in lines {
                    println!("{l}");
                }
                if !is_known || strict {
                    failed = true;
                }
            }
        }
    }
    if !skipped.is_empty() {
        println!("\nsim-only, not run against redis-server:");
        for s in &skipped {
            println!("{s}");
        }
    }
    eprintln!("(wall time {:.1}s)", started.elapsed().as_secs_f64());
    println!("conformance: {ran} scenarios, {agree} agree with redis-server {version}");
    if ran == 0 && filter.is_none() {
        println!("conformance: no scenario found under {SCENARIO_DIR}");
        return ExitCode::FAILURE;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
