//! Fuzzing the page's road: the random scenarios of tests/fuzz.rs applied line by line
//! to a playground, as the page applies what a reader types (a line that fails is an
//! error and changes nothing), then seeks back and forth to moments recorded on the
//! way. Seeking promises the world exactly as it was ("every event and every statement
//! up to and including t"), so at each moment just after a `wait DUR` (all events up to
//! it run, no statement after it at the same instant) the view — topology, offsets,
//! backlogs, links, replies pending — must be the one recorded then, and seeking back
//! to the end must show the end again. A case fails on a panic, a different view, or
//! running longer than [`CASE_WALL_LIMIT`] (the process is capped at
//! [`ADDRESS_SPACE_LIMIT`], so a runaway allocation aborts it instead of swapping).
//!
//! `FUZZ_PAGE_CASES` (default 1000) and `FUZZ_SEED` (default 1) choose the cases (seeds
//! `FUZZ_SEED .. FUZZ_SEED + FUZZ_PAGE_CASES`, the scenarios tests/fuzz.rs runs);
//! rerun one with `FUZZ_SEED=<seed> FUZZ_PAGE_CASES=1 cargo test --release --test
//! fuzz_page`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/scenario_gen.rs"]
mod scenario_gen;

use replscope::playground::Playground;
use replscope::time::SimTime;
use scenario_gen::{env_u64, limit_address_space, scenario, Watchdog};
use std::time::Duration;

/// Wall time one case (its statements and its seeks) may take, release build.
const CASE_WALL_LIMIT: Duration = Duration::from_secs(20);

/// Address space of the whole test process.
const ADDRESS_SPACE_LIMIT: u64 = 8 << 30;

/// A moment to seek back to: the time, and the view recorded there (JSON).
struct Mark {
    t: SimTime,
    view: String,
    line: usize,
}

fn view_json(p: &Playground) -> String {
    serde_json::to_string(&p.view()).expect("a view serializes")
}

/// `wait DUR` (not `wait sync`, which may stop between the events of one instant).
fn is_timed_wait(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next() == Some("wait")
        && words
            .next()
            .is_some_and(|d| d.starts_with(|c: char| c.is_ascii_digit()))
}

/// Where two texts first differ, with some context.
fn first_difference(a: &str, b: &str) -> String {
    let i = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let at = |s: &str| {
        let from = s.floor_char_boundary(i.saturating_sub(80));
        let to = s.ceil_char_boundary((i + 80).min(s.len()));
        s[from..to].to_string()
    };
    format!("recorded …{}…\n   seeked …{}…", at(a), at(b))
}

/// Play case `seed`; None if every seek showed what was recorded.
fn check(seed: u64) -> Option<String> {
    let text = scenario(seed);
    let mut p = Playground::new("", Some(seed)).expect("an empty scenario loads");
    let lines: Vec<&str> = text.split('\n').collect();
    // For each line: whether it ran, whether it was a timed wait, the time after it.
    let mut ran_lines: Vec<(bool, bool, SimTime)> = Vec::new();
    let mut marks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let ran = p.apply(line).is_ok();
        let wait = ran && is_timed_wait(line);
        ran_lines.push((ran, wait, p.now()));
        if wait {
            marks.push(Mark {
                t: p.now(),
                view: view_json(&p),
                line: i + 1,
            });
        }
    }
    // Statements that run right after a mark start at its instant, and "up to and
    // including t" takes them in (a command to a node still booting even runs on to
    // the boot): only marks followed by waits alone until time moves on (a wait is cut
    // at t), or by nothing, are moments of their own.
    marks.retain(|m| {
        for &(ran, wait, after) in &ran_lines[m.line..] {
            if !ran {
                continue;
            }
            if !wait {
                return false;
            }
            if after > m.t {
                return true;
            }
        }
        true
    });
    let end = (p.now(), view_json(&p));
    let kept_from = p.kept_from();
    // Back to front, then the end, then front to back.
    let mut order: Vec<&Mark> = marks.iter().rev().collect();
    order.extend(marks.iter());
    for (k, m) in order.iter().enumerate() {
        if m.t < kept_from {
            continue;
        }
        p.seek(m.t);
        let seen = view_json(&p);
        if seen != m.view {
            return Some(format!(
                "seed {seed}: seek to t={} us (after line {}) shows another world\n{}\n{text}",
                m.t.as_us(),
                m.line,
                first_difference(&m.view, &seen)
            ));
        }
        if k + 1 == marks.len() {
            p.seek(end.0);
            let seen = view_json(&p);
            if seen != end.1 {
                return Some(format!(
                    "seed {seed}: seek back to the end (t={} us) shows another world\n{}\n{text}",
                    end.0.as_us(),
                    first_difference(&end.1, &seen)
                ));
            }
        }
    }
    None
}

#[test]
fn random_sessions_seek_back_to_exactly_what_was_shown() {
    let (first, cases) = (env_u64("FUZZ_SEED", 1), env_u64("FUZZ_PAGE_CASES", 1000));
    limit_address_space(ADDRESS_SPACE_LIMIT);
    let watchdog = Watchdog::start("fuzz_page", CASE_WALL_LIMIT);
    let mut failures = Vec::new();
    for seed in first..first + cases {
        watchdog.begin(seed);
        let result = std::panic::catch_unwind(|| check(seed));
        watchdog.end();
        match result {
            Err(_) => failures.push(format!("seed {seed} panicked:\n{}", scenario(seed))),
            Ok(Some(f)) => failures.push(f),
            Ok(None) => {}
        }
    }
    eprintln!(
        "fuzz_page: {cases} cases, seeds {first}..{}, {:.1} s",
        first + cases,
        watchdog.elapsed_s()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}
