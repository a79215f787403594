//! Every scenario in tests/scenarios/ (recursively) runs with the scenario runner,
//! exactly as `replscope run FILE` would, and every `expect` must hold.

mod common;

use std::path::Path;

#[test]
fn every_scenario_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let files = common::scenario_files(&dir);
    assert!(
        files.len() >= 25,
        "expected at least 25 scenarios, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("scenario text");
        let out = replscope::scenario::run_text(&text, None);
        let name = f.strip_prefix(&dir).unwrap().display().to_string();
        if let Some(e) = &out.error {
            failures.push(format!(
                "{name}:{}:{}: cannot run: {}",
                e.line, e.col, e.message
            ));
        }
        for e in out.expectations.iter().filter(|e| !e.passed) {
            failures.push(format!(
                "{name}:{}: {} ({})",
                e.line,
                e.text.trim(),
                e.detail
            ));
        }
        assert!(
            !out.expectations.is_empty(),
            "{name} has no expect: a scenario must check something"
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
