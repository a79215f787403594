//! Every built-in lesson (www/lessons/*.json) plays to its end through the same
//! playground the page uses, and its closing `expect`s hold — in both languages'
//! versions of the story (the statements are shared; captions must exist in both).

use replscope::playground::Playground;
use serde_json::Value;
use std::path::Path;

fn play(id: &str, setup: &str, seed: u64, steps: &[Value], checks: &[Value]) {
    let mut p = Playground::new(setup, Some(seed)).unwrap_or_else(|e| panic!("{id}: setup: {e}"));
    assert!(
        p.loaded().expectations.iter().all(|e| e.passed),
        "{id}: setup expects"
    );
    for (i, step) in steps.iter().enumerate() {
        for lang in ["en", "zh"] {
            let caption = step["caption"][lang].as_str().unwrap_or_default();
            assert!(
                caption.chars().count() > 20,
                "{id} step {i}: {lang} caption missing"
            );
        }
        for line in step["do"].as_array().into_iter().flatten() {
            let line = line.as_str().unwrap();
            p.apply(line)
                .unwrap_or_else(|e| panic!("{id} step {i}: {line}: {e}"));
        }
        let ms = step["play_ms"].as_u64().unwrap_or(0);
        p.advance(ms * 1000);
    }
    for check in checks {
        let check = check.as_str().unwrap();
        let out = p
            .apply(check)
            .unwrap_or_else(|e| panic!("{id}: {check}: {e}"));
        for e in out.expectations {
            assert!(e.passed, "{id}: {} ({})", e.text, e.detail);
        }
    }
}

#[test]
fn every_lesson_plays_to_its_end_and_its_checks_hold() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/lessons");
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let ids: Vec<&str> = index
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    let questions: std::collections::BTreeSet<u64> = index
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["question"].as_u64().unwrap())
        .collect();
    assert_eq!(questions.len(), 6, "one lesson per question of the six");
    assert!(
        index.as_array().unwrap().iter().any(|l| l["myth"] == true),
        "the myth check"
    );
    for id in ids {
        let l: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap())
                .unwrap();
        for lang in ["en", "zh"] {
            assert!(
                !l["title"][lang].as_str().unwrap_or_default().is_empty(),
                "{id}: {lang} title"
            );
            assert!(
                !l["summary"][lang].as_str().unwrap_or_default().is_empty(),
                "{id}: {lang} summary"
            );
        }
        let seed = l["seed"].as_u64().unwrap();
        let checks = l["checks"].as_array().unwrap();
        assert!(!checks.is_empty(), "{id}: a lesson ends with expects");
        play(
            id,
            l["setup"].as_str().unwrap(),
            seed,
            l["steps"].as_array().unwrap(),
            checks,
        );
        if let Some(t) = l.get("textbook") {
            play(
                &format!("{id} (textbook)"),
                t["setup"].as_str().unwrap(),
                seed,
                t["steps"].as_array().unwrap(),
                t["checks"].as_array().unwrap(),
            );
        }
    }
}
