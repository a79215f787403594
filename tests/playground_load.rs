//! A scenario loaded a stretch at a time (`Playground::begin` then `load` with a
//! budget, as the page loads one of hours, drawing and offering Stop between calls) is
//! the world `Playground::new` builds in one go: the same log, views, event log, samples
//! and decisions, and the same history to seek back into — for every scenario in
//! tests/scenarios and budgets from a simulated millisecond to an hour.
#![cfg(not(target_arch = "wasm32"))]

use replscope::playground::Playground;
use replscope::time::SimTime;
use std::path::{Path, PathBuf};

fn scenarios(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/scenarios is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            scenarios(&p, out);
        } else if p.extension().is_some_and(|e| e == "scn") {
            out.push(p);
        }
    }
}

/// Everything the page reads of a world, as text.
fn seen(p: &Playground) -> String {
    let json = |v: &dyn erased::Ser| v.json();
    format!(
        "now {:?}\nscript {}\nview {}\nactions {}\nloaded {}\ndecisions {}\nsamples {}\ntrace {}\nkept_from {:?}",
        p.now(),
        p.script(),
        json(&p.view()),
        json(&p.actions()),
        json(p.loaded()),
        json(&p.decisions()),
        json(&p.samples()),
        p.trace_json(),
        p.kept_from(),
    )
}

mod erased {
    pub trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).expect("serializes")
        }
    }
}

/// Load `text` with `budget_us` a call; the calls it took.
fn load_in_steps(text: &str, budget_us: u64) -> Result<(Playground, usize), String> {
    let mut p = Playground::begin(text, None).map_err(|e| e.to_string())?;
    let mut calls = 0;
    loop {
        calls += 1;
        if p.load(budget_us).map_err(|e| e.to_string())? {
            return Ok((p, calls));
        }
        assert!(calls < 10_000_000, "loading never ends");
    }
}

#[test]
fn a_scenario_loaded_in_steps_is_the_scenario_loaded_at_once() {
    let mut files = Vec::new();
    scenarios(Path::new("tests/scenarios"), &mut files);
    assert!(files.len() > 100, "the scenarios are there");
    let budgets = [1_000, 77_777, 1_000_000, 60_000_000, 3_600_000_000];
    let (mut compared, mut sliced) = (0, 0);
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).expect("a scenario reads");
        let budget = budgets[i % budgets.len()];
        let once = Playground::new(&text, None).map_err(|e| e.to_string());
        let steps = load_in_steps(&text, budget);
        let (mut a, (mut b, calls)) = match (once, steps) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(a), Err(b)) => {
                assert_eq!(a, b, "{}: the same error", f.display());
                continue;
            }
            (a, b) => panic!(
                "{}: loaded at once {:?}, in steps {:?}",
                f.display(),
                a.err(),
                b.err()
            ),
        };
        assert_eq!(seen(&a), seen(&b), "{} (budget {budget} us)", f.display());
        compared += 1;
        sliced += usize::from(calls > 1);
        // The same history on: time running on, and a seek back into it.
        a.advance(3_000_000);
        b.advance(3_000_000);
        assert_eq!(seen(&a), seen(&b), "{}: 3 s later", f.display());
        let back = SimTime(a.now().as_us() / 2);
        a.seek(back);
        b.seek(back);
        assert_eq!(seen(&a), seen(&b), "{}: seen at {back:?}", f.display());
    }
    eprintln!("{compared} compared, {sliced} in several calls");
    assert!(
        compared > 100 && sliced > 50,
        "{compared} compared, {sliced} in several calls"
    );
}

#[test]
fn a_long_wait_loads_a_stretch_at_a_time_and_is_logged_once() {
    let text = "node m\nnode r1 replicaof=m\nwait sync\nm> SET k v\nwait 60m\nm> GET k\n";
    let mut p = Playground::begin(text, Some(5)).unwrap();
    let mut nows = Vec::new();
    while !p.load(600_000_000).unwrap() {
        nows.push(p.now().as_us());
    }
    // Ten minutes a call: the hour's wait stopped five times on the way.
    assert!(nows.len() >= 5, "{nows:?}");
    assert!(
        nows.windows(2).all(|w| w[1] - w[0] == 600_000_000),
        "{nows:?}"
    );
    let texts: Vec<&str> = p.actions().iter().map(|a| a.text.as_str()).collect();
    assert_eq!(
        texts.iter().filter(|t| t.starts_with("wait 60m")).count(),
        1
    );
    assert!(
        p.loaded().output.contains("m> GET k\n\"v\""),
        "{}",
        p.loaded().output
    );
    assert_eq!(seen(&p), seen(&Playground::new(text, Some(5)).unwrap()));
}

#[test]
fn a_wait_over_the_limit_fails_as_at_once() {
    let text = "node m\nwait 10081m\n";
    let mut p = Playground::begin(text, None).unwrap();
    let e = p.load(1_000).unwrap_err().to_string();
    assert_eq!(e, Playground::new(text, None).err().unwrap().to_string());
    assert!(e.contains("one week"), "{e}");
}

#[test]
fn a_loaded_wait_is_the_world_a_typed_wait_makes() {
    // `new` loads through `load` too: its waits are checked here against the console's
    // path (`apply`, which runs a statement whole), waits in a row included (each
    // begins its offset samples at the first pace again).
    let head = "node m\nnode r1 replicaof=m\nwait sync\nm> SET k v\n";
    let waits = ["wait 30m", "wait 30m", "wait 1s", "m> SET k w", "wait 2m"];
    let loaded = Playground::new(&format!("{head}{}\n", waits.join("\n")), Some(8)).unwrap();
    let mut typed = Playground::new(head, Some(8)).unwrap();
    for w in waits {
        typed.apply(w).unwrap();
    }
    let world = |p: &Playground| {
        let json = |v: &dyn erased::Ser| v.json();
        let ends: Vec<_> = p
            .actions()
            .iter()
            .map(|a| (a.t_us, a.end_t_us, a.at_events, a.end_events))
            .collect();
        format!(
            "{:?} {} {} {} {} {:?}",
            p.now(),
            json(&p.view()),
            json(&p.samples()),
            json(&p.decisions()),
            p.trace_json(),
            ends
        )
    };
    assert_eq!(world(&loaded), world(&typed));
}
