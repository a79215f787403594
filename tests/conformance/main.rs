//! The conformance suite: every scenario under `tests/scenarios/` that is not
//! sim-only is played in the simulator and against real servers, on each version it
//! applies to, and what must agree is compared (docs/conformance.md).
//!
//! - A scenario that names versions (`node r1 version=valkey-8.1 ...`, or a `version
//!   NAME` statement) is version-specific: it runs once, each real node on its own
//!   version's binary.
//! - Every other scenario (written for Redis 7.0) runs on redis-7.0, redis-8.0 and
//!   valkey-8.1: on the latter two the simulator plays it with `version=V` added to
//!   every `node` statement and the real side starts every node with V's binary.
//!   An `expect` that fails in both worlds with the same values there is a 7.0
//!   expectation that does not hold on V, listed apart, not a disagreement.
//!
//! Run: `cargo test --test conformance` (an optional argument filters scenario paths
//! by substring, or names one scenario file anywhere to run just that). Environment:
//! `REDIS_SERVER`, `REDIS_SERVER_8_0`, `VALKEY_SERVER_8_1` (the binaries, see
//! `server::server_path`), `CONFORMANCE_VERSIONS` (e.g. `redis-7.0,valkey-8.1`; default
//! all three), `CONFORMANCE_JOBS` (parallel runs, default 12; they mostly wait),
//! `CONFORMANCE_KEEP=1` (keep the servers' directories of failing runs),
//! `CONFORMANCE_STRICT=1` (known differences fail too).
//!
//! Prints one line per run (version, scenario), the disagreements, the 7.0
//! expectations that do not hold on another version, the skipped sim-only files with
//! their reasons, a line per version, and exactly one summary line:
//! `conformance: N scenarios, M agree (redis-7.0 A, redis-8.0 B, valkey-8.1 C)` (N and M
//! count scenario × version runs). Exits non-zero on any disagreement or runner error.

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

use replscope::scenario::ast::{Param, Scenario, Stmt, StmtKind};
use replscope::scenario::parse_scenario;
use replscope::version::Version;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Where the scenarios live, relative to the package root.
const SCENARIO_DIR: &str = "tests/scenarios";
/// Scenarios that are known to disagree today (one path a line, optionally prefixed
/// by the one version it is known on, `valkey-8.1: tests/...`; `#` comments).
const KNOWN_DIFFERENCES: &str = "tests/conformance/known-differences.txt";
/// Scenarios that show a known difference and cannot live in tests/scenarios/
/// (whose every `expect` must hold in the simulator): all known differences.
const PENDING_DIR: &str = "tests/conformance/pending";

/// `node` parameters that exist only in the simulator (a real server refuses them).
/// (Besides these, the seeded replication state's, `replscope::sim::seed::SEED_PARAMS`.)
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
    let redis26: Vec<usize> = node_versions(&scenario.statements)
        .into_iter()
        .filter(|(_, v)| *v == Version::Redis26)
        .map(|(line, _)| line)
        .collect();
    scenario.statements.iter().find_map(|s| {
        let verb = match &s.kind {
            StmtKind::Node { .. } if redis26.contains(&s.line) => {
                return Some(format!(
                    "line {}: a redis-2.6 node has no real server (a replica profile of the \
                     simulator only)",
                    s.line
                ));
            }
            StmtKind::Partition { .. } => "partition",
            StmtKind::Heal { .. } => "heal",
            StmtKind::Link { .. } => "link",
            StmtKind::Lose { .. } => "lose",
            StmtKind::Send { .. } => "send",
            StmtKind::Node { params, .. } => {
                let p = params.iter().find(|p| {
                    SIM_ONLY_PARAMS.contains(&p.key.as_str())
                        || replscope::sim::seed::SEED_PARAMS.contains(&p.key.as_str())
                })?;
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

/// Each `node` statement's version, with its line: its `version=`, else the last
/// `version NAME` statement before it, else redis-7.0 (as the runner decides; a
/// misspelt version is left to the runners, which report it).
fn node_versions(statements: &[Stmt]) -> Vec<(usize, Version)> {
    let mut default = Version::default();
    let mut out = Vec::new();
    for s in statements {
        match &s.kind {
            StmtKind::Version(v) => default = *v,
            StmtKind::Node { params, .. } => {
                let own = params
                    .iter()
                    .filter(|p| p.key.eq_ignore_ascii_case("version"))
                    .find_map(|p| Version::parse(&p.value).ok());
                out.push((s.line, own.unwrap_or(default)));
            }
            _ => {}
        }
    }
    out
}

/// Whether a scenario names versions (a `version NAME` statement or a `version=`
/// parameter): then it is version-specific.
fn names_versions(statements: &[Stmt]) -> bool {
    statements.iter().any(|s| match &s.kind {
        StmtKind::Version(_) => true,
        StmtKind::Node { params, .. } => {
            params.iter().any(|p| p.key.eq_ignore_ascii_case("version"))
        }
        _ => false,
    })
}

/// The versions a version-specific scenario's real servers run, and the version its
/// run is counted under: the first one other than redis-7.0, else redis-7.0.
fn versions_used(scenario: &Scenario) -> (Version, Vec<Version>) {
    let mut used: Vec<Version> = Vec::new();
    for (_, v) in node_versions(&scenario.statements) {
        if !used.contains(&v) {
            used.push(v);
        }
    }
    let label = used
        .iter()
        .copied()
        .find(|v| *v != Version::Redis70)
        .unwrap_or(Version::Redis70);
    (label, used)
}

/// `scenario` played on `v`: `version=V` added to every `node` statement.
fn on_version(scenario: &Scenario, v: Version) -> Scenario {
    let mut s = scenario.clone();
    for stmt in &mut s.statements {
        if let StmtKind::Node { params, .. } = &mut stmt.kind {
            params.push(Param {
                key: "version".into(),
                value: v.name().into(),
                col: 0,
            });
        }
    }
    s
}

enum Outcome {
    /// The worlds agree; on a version the scenario was not written for, the 7.0
    /// expectations that fail in both worlds with the same values.
    Agree(Vec<String>),
    Disagree(Vec<String>),
}

/// One scenario × version run.
struct Job {
    path: String,
    /// The scenario as played (with `version=V` added for a 7.0 scenario on V), or
    /// why it cannot be played.
    scenario: Result<Scenario, String>,
    /// The version the run counts under.
    version: Version,
    /// For a version-specific scenario: every version its servers run.
    specific: Option<Vec<Version>>,
}

struct Done {
    path: String,
    version: Version,
    outcome: Outcome,
}

/// How many times a disagreement is played again on the real servers.
const REAL_RETRIES: usize = 2;

fn run_one(job: &Job, keep: bool) -> Outcome {
    let scenario = match &job.scenario {
        Ok(s) => s,
        Err(e) => return Outcome::Disagree(vec![format!("  {e}")]),
    };
    let sim_t = simworld::run(scenario);
    let s = compare::reduce(&sim_t);
    let (mut real_t, mut kept) = real::run(scenario, keep);
    // The simulator is deterministic; the real servers race their own timers against
    // the commands (a reconnect from replicationCron before or after the next
    // REPLICAOF arrives). A disagreement is played again on the real servers, at most
    // twice, and said on stderr when a replay agrees: a race of the real world, not a
    // difference of the model. A difference that persists fails as before.
    for retry in 1..=REAL_RETRIES {
        let first = compare::diff(&s, &compare::reduce(&real_t));
        if first.is_empty() {
            break;
        }
        if let Some(dir) = kept.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        let (again, dir) = real::run(scenario, keep);
        if compare::diff(&s, &compare::reduce(&again)).is_empty() {
            eprintln!(
                "retried {} [{}]: the real servers differed on the first run ({}) and agreed on replay {retry}",
                job.path,
                job.version.name(),
                first.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
        (real_t, kept) = (again, dir);
    }
    let r = compare::reduce(&real_t);
    if std::env::var("CONFORMANCE_SHOW").is_ok_and(|v| v == "1") {
        show(&job.path, job.version, &r);
    }
    let mut problems = compare::diff(&s, &r);
    let both = compare::both_failed(&s, &r);
    // A 7.0 scenario played on another version: an expect both worlds fail alike
    // states a 7.0 value that this version does not have. Anything else that fails in
    // both worlds (an error, or the scenario's own version) means the scenario is wrong.
    let (not_holding, wrong): (Vec<String>, Vec<String>) = both.into_iter().partition(|l| {
        job.version != Version::Redis70 && job.specific.is_none() && l.contains("fails in both")
    });
    if !wrong.is_empty() {
        problems.push("  the scenario itself is wrong (both worlds agree on this):".into());
        problems.extend(wrong);
    }
    if problems.is_empty() {
        if let Some(dir) = kept {
            let _ = std::fs::remove_dir_all(dir);
        }
        Outcome::Agree(not_holding)
    } else {
        if let Some(dir) = kept {
            problems.push(format!("  servers' directories kept in {}", dir.display()));
        }
        Outcome::Disagree(problems)
    }
}

/// Print what the real servers showed (CONFORMANCE_SHOW=1), for writing `expect`s.
fn show(path: &str, version: Version, real: &[compare::Reduced]) {
    let mut out = format!("--- {} transcript of {path}\n", version.name());
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

/// The known differences: (the one version it is known on, or None for every
/// version; the scenario's path).
fn known_differences() -> Vec<(Option<Version>, String)> {
    let mut known: Vec<(Option<Version>, String)> =
        std::fs::read_to_string(root().join(KNOWN_DIFFERENCES))
            .unwrap_or_default()
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
            .filter(|l| !l.is_empty())
            .map(|l| match l.split_once(':') {
                Some((v, path)) if Version::parse(v).is_ok() => {
                    (Version::parse(v).ok(), path.trim().to_string())
                }
                _ => (None, l),
            })
            .collect();
    let mut pending = Vec::new();
    find_scenarios(&root().join(PENDING_DIR), &mut pending);
    for p in pending {
        if let Ok(rel) = p.strip_prefix(root()) {
            known.push((None, rel.to_string_lossy().into_owned()));
        }
    }
    known
}

/// The versions to run: `CONFORMANCE_VERSIONS` (comma-separated), default all three.
fn selected_versions() -> Result<Vec<Version>, String> {
    let Ok(list) = std::env::var("CONFORMANCE_VERSIONS") else {
        return Ok(server::REAL_VERSIONS.to_vec());
    };
    let mut out = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let v = Version::parse(name)?;
        if !server::REAL_VERSIONS.contains(&v) {
            return Err(format!("CONFORMANCE_VERSIONS: {name} has no real server"));
        }
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

/// A version's place in the suite's order (redis-7.0, redis-8.0, valkey-8.1).
fn rank(v: Version) -> usize {
    server::REAL_VERSIONS
        .iter()
        .position(|r| *r == v)
        .unwrap_or(usize::MAX)
}

/// Per version: the runs, those that agree, the known differences among the rest,
/// and the 7.0 expectations that do not hold on it.
#[derive(Default)]
struct Tally {
    ran: usize,
    agree: usize,
    known: usize,
    not_holding: usize,
}

fn main() -> ExitCode {
    let started = Instant::now();
    resp::self_check();
    cli_format::self_check();
    compare::self_check();
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let selected = match selected_versions() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("conformance: FAILED: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Each selected version's server: its exact version, or skipped (the skip policy:
    // a message on a developer's machine, a failure under CI=true).
    let mut available: Vec<(Version, String)> = Vec::new();
    for &v in &selected {
        match server::binary_version(v) {
            Ok(found) => {
                let series = v.profile().exact.rsplit_once('.').map_or("", |(s, _)| s);
                if !found.starts_with(&format!("{series}.")) {
                    eprintln!(
                        "conformance: FAILED: the oracle for {} must be {series}.x, found {found}",
                        v.name()
                    );
                    return ExitCode::FAILURE;
                }
                available.push((v, found));
            }
            Err(_) => {
                let _ = server::require_version("conformance", v);
            }
        }
    }
    if available.is_empty() {
        return ExitCode::SUCCESS;
    }
    available.sort_by_key(|(v, _)| rank(*v));
    let first = available[0].0;
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

    // Scenario × version runs, interleaved so that each version's runs spread over
    // the whole wall time.
    let mut jobs: Vec<Job> = Vec::new();
    let mut skipped = Vec::new();
    let mut not_selected = Vec::new();
    for p in &paths {
        let path = rel(p);
        let text = match std::fs::read_to_string(p) {
            Ok(t) => t,
            Err(e) => {
                jobs.push(Job {
                    path,
                    scenario: Err(format!("cannot read: {e}")),
                    version: first,
                    specific: None,
                });
                continue;
            }
        };
        let scenario = match parse_scenario(&text) {
            Ok(s) => s,
            Err(e) => {
                jobs.push(Job {
                    path,
                    scenario: Err(format!(
                        "does not parse: line {}, column {}: {}",
                        e.line, e.col, e.message
                    )),
                    version: first,
                    specific: None,
                });
                continue;
            }
        };
        if let Some(reason) = sim_only_reason(&text, &scenario) {
            skipped.push(format!("  {path} -- {reason}"));
            continue;
        }
        if !names_versions(&scenario.statements) {
            for v in available.iter().map(|(v, _)| *v) {
                let scenario = if v == Version::Redis70 {
                    scenario.clone()
                } else {
                    on_version(&scenario, v)
                };
                jobs.push(Job {
                    path: path.clone(),
                    scenario: Ok(scenario),
                    version: v,
                    specific: None,
                });
            }
        } else {
            let (label, used) = versions_used(&scenario);
            if let Some(missing) = used
                .iter()
                .find(|v| !available.iter().any(|(a, _)| a == *v))
            {
                not_selected.push(format!(
                    "  {path} -- needs {} ({})",
                    missing.name(),
                    if selected.contains(missing) {
                        "its server could not be run"
                    } else {
                        "not in CONFORMANCE_VERSIONS"
                    }
                ));
                continue;
            }
            jobs.push(Job {
                path,
                scenario: Ok(scenario),
                version: label,
                specific: Some(used),
            });
        }
    }
    let jobs_n: usize = std::env::var("CONFORMANCE_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(12)
        .max(1);
    let keep = std::env::var("CONFORMANCE_KEEP").is_ok_and(|v| v == "1");
    let strict = std::env::var("CONFORMANCE_STRICT").is_ok_and(|v| v == "1");
    // The runs that sleep longest (their `wait DUR`s) start first, so that none of them
    // is left alone at the end; popped from the end, so sorted ascending.
    let sleeps = |j: &Job| -> u64 {
        j.scenario.as_ref().map_or(0, |s| {
            s.statements
                .iter()
                .map(|st| match st.kind {
                    StmtKind::Wait { duration_us } => duration_us,
                    _ => 0,
                })
                .sum()
        })
    };
    jobs.reverse();
    jobs.sort_by_key(sleeps);
    let queue = Arc::new(Mutex::new(jobs));
    let results = Arc::new(Mutex::new(Vec::<Done>::new()));
    let workers: Vec<_> = (0..jobs_n)
        .map(|_| {
            let (queue, results) = (Arc::clone(&queue), Arc::clone(&results));
            std::thread::spawn(move || loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
                let Some(job) = next else { break };
                let t0 = Instant::now();
                let outcome = match std::panic::catch_unwind(|| run_one(&job, keep)) {
                    Ok(o) => o,
                    Err(_) => Outcome::Disagree(vec!["  the runner panicked".into()]),
                };
                let secs = t0.elapsed().as_secs_f64();
                let mixed = match &job.specific {
                    Some(used) => format!(
                        " [version-specific: {}]",
                        used.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
                    ),
                    None => String::new(),
                };
                let word = match &outcome {
                    Outcome::Agree(_) => "ok  ",
                    Outcome::Disagree(_) => "FAIL",
                };
                eprintln!(
                    "{word}  {:<10} {}{mixed} ({secs:.1}s)",
                    job.version.name(),
                    job.path
                );
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(Done {
                        path: job.path,
                        version: job.version,
                        outcome,
                    });
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    let mut results = std::mem::take(&mut *results.lock().unwrap_or_else(|e| e.into_inner()));
    results.sort_by(|a, b| (&a.path, rank(a.version)).cmp(&(&b.path, rank(b.version))));
    let known = known_differences();
    let is_known = |v: Version, path: &str| {
        known
            .iter()
            .any(|(kv, kp)| kp == path && kv.is_none_or(|kv| kv == v))
    };
    let mut tally: BTreeMap<usize, Tally> = BTreeMap::new();
    let mut failed = false;
    let mut not_holding: BTreeMap<usize, (Version, Vec<String>)> = BTreeMap::new();
    for d in &results {
        let t = tally.entry(rank(d.version)).or_default();
        t.ran += 1;
        match &d.outcome {
            Outcome::Agree(notes) => {
                t.agree += 1;
                if !notes.is_empty() {
                    t.not_holding += 1;
                    let (_, list) = not_holding
                        .entry(rank(d.version))
                        .or_insert((d.version, Vec::new()));
                    list.push(format!("  {}:", d.path));
                    list.extend(notes.iter().cloned());
                }
            }
            Outcome::Disagree(lines) => {
                let known_here = is_known(d.version, &d.path);
                if known_here {
                    t.known += 1;
                }
                println!(
                    "\n{} [{}] {}:",
                    if known_here && !strict {
                        "KNOWN DIFFERENCE"
                    } else {
                        "DISAGREES"
                    },
                    d.version.name(),
                    d.path
                );
                for l in lines {
                    println!("{l}");
                }
                if !known_here || strict {
                    failed = true;
                }
            }
        }
    }
    // A known difference that agrees again: on its one version, or (unprefixed) on
    // every version it ran on.
    for (kv, kp) in &known {
        let runs: Vec<&Done> = results
            .iter()
            .filter(|d| &d.path == kp && kv.is_none_or(|v| v == d.version))
            .collect();
        if !runs.is_empty() && runs.iter().all(|d| matches!(d.outcome, Outcome::Agree(_))) {
            let on = kv.map(|v| format!(" on {}", v.name())).unwrap_or_default();
            if kp.starts_with(PENDING_DIR) {
                println!("note: {kp} agrees now{on}; move it to {SCENARIO_DIR}/");
            } else {
                println!("note: {kp} agrees now{on}; remove it from {KNOWN_DIFFERENCES}");
            }
        }
    }
    for (v, list) in not_holding.values() {
        println!(
            "\n7.0 expectations that do not hold on {} (both worlds agree):",
            v.name()
        );
        for l in list {
            println!("{l}");
        }
    }
    if !skipped.is_empty() {
        println!("\nsim-only, not run against real servers:");
        for s in &skipped {
            println!("{s}");
        }
    }
    if !not_selected.is_empty() {
        println!("\nversion-specific, not run (a version they need is not run):");
        for s in &not_selected {
            println!("{s}");
        }
    }
    eprintln!("(wall time {:.1}s)", started.elapsed().as_secs_f64());
    let (mut ran, mut agree) = (0, 0);
    let mut per = Vec::new();
    for (v, found) in &available {
        let t = tally.remove(&rank(*v)).unwrap_or_default();
        println!(
            "{}: {} {found}, {} ran, {} agree, {} known differences, {} with 7.0 expectations that do not hold",
            v.name(),
            if *v == Version::Valkey81 { "valkey-server" } else { "redis-server" },
            t.ran,
            t.agree,
            t.known,
            t.not_holding
        );
        ran += t.ran;
        agree += t.agree;
        per.push(format!("{} {}", v.name(), t.agree));
    }
    println!(
        "conformance: {ran} scenarios, {agree} agree ({})",
        per.join(", ")
    );
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
