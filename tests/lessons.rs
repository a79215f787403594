//! Every built-in lesson (www/lessons/*.json) plays to its end through the same
//! playground the page uses, and its closing `expect`s hold — in both languages'
//! versions of the story (the statements are shared; captions must exist in both).
//!
//! The page applies step k's `do` at (end of setup) + the play_ms of the steps before
//! it and runs the checks at the end of the last step; [`play`] does exactly that.
//! The lesson format (kind, ask, interview, later, tab, select, show_ids) is checked
//! field by field here, so a lesson the page would stumble on fails natively first.
//!
//! Writing a lesson: `LESSON=full-sync cargo test --release --test lessons -- --ignored
//! --nocapture timeline` prints what happens in each step (Redis's log lines, replica
//! states, decisions, ms into the step) and the offsets at each step's end, so a
//! caption — and a `later` caption's `at_ms` — can say exactly what the world does.

use replscope::playground::Playground;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const KINDS: [&str; 3] = ["question", "myth", "incident"];
const FOCUS: [&str; 6] = [
    "topology", "decision", "ruler", "events", "console", "timeline",
];
const TABS: [&str; 5] = ["events", "seq", "chart", "info", "settings"];
/// A caption is read in a few seconds.
const CAPTION_MAX_WORDS: usize = 60;
/// The shortest step the page plays (a reader needs a moment to look).
const STEP_MIN_MS: u64 = 300;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("www/lessons")
}

fn load(name: &str) -> Value {
    let path = dir().join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn index() -> Vec<Value> {
    load("index.json").as_array().unwrap().clone()
}

/// Chinese text uses Chinese punctuation: no ASCII `,.;:?!()` right after a Chinese
/// character, and none at the very end of a sentence that is Chinese.
fn check_zh(what: &str, s: &str) {
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let chars: Vec<char> = s.chars().collect();
    assert!(chars.iter().any(|&c| cjk(c)), "{what}: no Chinese in {s:?}");
    for w in chars.windows(2) {
        assert!(
            !(cjk(w[0]) && ",.;:?!()".contains(w[1])),
            "{what}: ASCII punctuation {:?} after {:?} in {s:?}",
            w[1],
            w[0]
        );
        assert!(
            !(",;:?!".contains(w[0]) && cjk(w[1])),
            "{what}: ASCII punctuation {:?} before {:?} in {s:?}",
            w[0],
            w[1]
        );
    }
    assert!(
        !s.ends_with('.'),
        "{what}: ends with an ASCII period: {s:?}"
    );
    assert!(
        !s.contains("跳过了"),
        "{what}: 跳过了 means 'skipped': {s:?}"
    );
}

/// A `{"en", "zh"}` text: both present; Chinese punctuation in the Chinese.
fn text(what: &str, v: &Value) -> (String, String) {
    let en = v["en"].as_str().unwrap_or_default().trim().to_string();
    let zh = v["zh"].as_str().unwrap_or_default().trim().to_string();
    assert!(!en.is_empty(), "{what}: en missing");
    assert!(!zh.is_empty(), "{what}: zh missing");
    // The page shows a lesson's text as plain text: Markdown's backticks would show.
    for t in [&en, &zh] {
        assert!(!t.contains('`'), "{what}: a backtick shows as it is: {t:?}");
    }
    check_zh(&format!("{what} (zh)"), &zh);
    (en, zh)
}

fn caption(what: &str, v: &Value) {
    let (en, zh) = text(what, v);
    assert!(en.chars().count() > 20, "{what}: en caption too short");
    assert!(zh.chars().count() > 10, "{what}: zh caption too short");
    let words = en.split_whitespace().count();
    assert!(
        words <= CAPTION_MAX_WORDS,
        "{what}: {words} words, more than {CAPTION_MAX_WORDS} to read in a few seconds"
    );
}

/// The nodes a lesson's statements create (`node NAME ...` in the setup or a step).
fn node_names<'a>(lines: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    lines
        .filter_map(|l| l.trim().strip_prefix("node "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(String::from)
        .collect()
}

/// The format of one step list (the lesson's own or the textbook variant's).
fn check_steps(id: &str, setup: &str, steps: &[Value]) {
    assert!(!steps.is_empty(), "{id}: no steps");
    let mut nodes = node_names(setup.lines());
    for (i, step) in steps.iter().enumerate() {
        let what = format!("{id} step {i}");
        caption(&format!("{what} caption"), &step["caption"]);
        let ms = step["play_ms"]
            .as_u64()
            .unwrap_or_else(|| panic!("{what}: play_ms"));
        assert!(ms >= STEP_MIN_MS, "{what}: play_ms {ms} < {STEP_MIN_MS}");
        if let Some(f) = step.get("focus") {
            assert!(
                FOCUS.contains(&f.as_str().unwrap_or_default()),
                "{what}: focus {f}"
            );
        }
        if let Some(t) = step.get("tab") {
            assert!(
                TABS.contains(&t.as_str().unwrap_or_default()),
                "{what}: tab {t}"
            );
        }
        nodes.extend(node_names(
            step["do"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|l| l.as_str().unwrap()),
        ));
        if let Some(s) = step.get("select") {
            let s = s.as_str().unwrap_or_default();
            assert!(nodes.contains(s), "{what}: select {s:?} is not a node");
        }
        let mut last = 0;
        for (j, later) in step
            .get("later")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = later["at_ms"]
                .as_u64()
                .unwrap_or_else(|| panic!("{what} later {j}: at_ms"));
            assert!(
                at > last && at < ms,
                "{what} later {j}: at_ms {at} not in ({last}, play_ms {ms})"
            );
            last = at;
            caption(&format!("{what} later {j}"), &later["caption"]);
        }
    }
}

/// Play a lesson as the page does and check its closing expects.
fn play(id: &str, setup: &str, seed: u64, steps: &[Value], checks: &[Value]) {
    let mut p = Playground::new(setup, Some(seed)).unwrap_or_else(|e| panic!("{id}: setup: {e}"));
    assert!(
        p.loaded().expectations.iter().all(|e| e.passed),
        "{id}: setup expects"
    );
    for (i, step) in steps.iter().enumerate() {
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
fn the_index_lists_the_article_questions_in_order_then_the_myth_then_incidents() {
    let index = index();
    let ids: Vec<&str> = index.iter().map(|l| l["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "lesson ids are unique");
    let questions: BTreeSet<u64> = index
        .iter()
        .filter_map(|l| l["question"].as_u64())
        .collect();
    assert_eq!(questions.len(), 6, "one lesson per question of the six");
    assert!(index.iter().any(|l| l["myth"] == true), "the myth check");
    let mut order = Vec::new();
    for l in &index {
        let id = l["id"].as_str().unwrap();
        let kind = l["kind"].as_str().unwrap_or_default();
        assert!(KINDS.contains(&kind), "{id}: kind {kind:?}");
        assert_eq!(
            l["myth"] == true,
            kind == "myth",
            "{id}: myth and kind agree"
        );
        match kind {
            "incident" => assert!(
                l.get("question").is_none(),
                "{id}: an incident answers no question"
            ),
            _ => {
                let q = l["question"].as_u64().unwrap_or(0);
                assert!((1..=6).contains(&q), "{id}: question {q}");
            }
        }
        order.push((kind, l["question"].as_u64().unwrap_or(0)));
        text(&format!("{id} title"), &l["title"]);
        let (ask, _) = text(&format!("{id} ask"), &l["ask"]);
        assert!(ask.ends_with('?'), "{id}: the ask is a question: {ask:?}");
        // the card shows what the lesson file says
        let lesson = load(&format!("{id}.json"));
        assert_eq!(lesson["id"], l["id"], "{id}: file id");
        assert_eq!(
            lesson["title"], l["title"],
            "{id}: same title in index and file"
        );
    }
    // the article's order: questions 1-6, then the myth check, then the incidents
    let rank = |(kind, q): &(&str, u64)| match *kind {
        "question" => *q,
        "myth" => 7,
        _ => 8,
    };
    let ranks: Vec<u64> = order.iter().map(rank).collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(ranks, sorted, "lessons in the article's order");
    // A question may have a follow-up lesson (where-writes-wait follows question 1).
    let mut firsts = ranks.clone();
    firsts.dedup();
    assert_eq!(&firsts[..6], &[1, 2, 3, 4, 5, 6], "the six questions first");
    assert!(
        order.iter().filter(|(k, _)| *k == "incident").count() >= 3,
        "the three incident lessons"
    );
}

#[test]
fn every_lesson_plays_to_its_end_and_its_checks_hold() {
    for entry in index() {
        let id = entry["id"].as_str().unwrap();
        let l = load(&format!("{id}.json"));
        text(&format!("{id} title"), &l["title"]);
        text(&format!("{id} summary"), &l["summary"]);
        // What to say in the interview: 3-5 short lines in each language, paired.
        let en = l["interview"]["en"].as_array().cloned().unwrap_or_default();
        let zh = l["interview"]["zh"].as_array().cloned().unwrap_or_default();
        assert!(
            (3..=5).contains(&en.len()),
            "{id}: {} interview lines in en (3-5)",
            en.len()
        );
        assert_eq!(en.len(), zh.len(), "{id}: interview lines paired");
        for (i, (e, z)) in en.iter().zip(&zh).enumerate() {
            let pair = serde_json::json!({"en": e, "zh": z});
            let (e, _) = text(&format!("{id} interview {i}"), &pair);
            assert!(
                e.split_whitespace().count() <= 40,
                "{id} interview {i}: a short line"
            );
        }
        if let Some(s) = l.get("show_ids") {
            assert!(s.is_boolean(), "{id}: show_ids is a boolean");
        }
        let setup = l["setup"].as_str().unwrap();
        let steps = l["steps"].as_array().unwrap();
        check_steps(id, setup, steps);
        let seed = l["seed"].as_u64().unwrap();
        let checks = l["checks"].as_array().unwrap();
        assert!(!checks.is_empty(), "{id}: a lesson ends with expects");
        play(id, setup, seed, steps, checks);
        if let Some(t) = l.get("textbook") {
            text(&format!("{id} textbook note"), &t["note"]);
            let setup = t["setup"].as_str().unwrap();
            let steps = t["steps"].as_array().unwrap();
            check_steps(&format!("{id} (textbook)"), setup, steps);
            play(
                &format!("{id} (textbook)"),
                setup,
                seed,
                steps,
                t["checks"].as_array().unwrap(),
            );
        }
    }
}

/// One INFO field of a node ("" if it is not running or has no such field).
fn info_field(p: &Playground, node: &str, field: &str) -> String {
    p.info(node)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")).map(String::from))
        .unwrap_or_default()
}

/// A lesson author's tool (see the module header): what happens in each step of the
/// lesson named by $LESSON, in ms from the step's start.
#[test]
#[ignore]
fn timeline() {
    let Ok(id) = std::env::var("LESSON") else {
        eprintln!("set LESSON=<id>");
        return;
    };
    let l = load(&format!("{id}.json"));
    let mut p = Playground::new(l["setup"].as_str().unwrap(), l["seed"].as_u64()).unwrap();
    let nodes: Vec<String> = node_names(l["setup"].as_str().unwrap().lines())
        .into_iter()
        .collect();
    let mut cursor = p.events_since(0).last().map_or(0, |e| e.seq + 1);
    let mut decisions = p.decisions().len();
    for (i, step) in l["steps"].as_array().unwrap().iter().enumerate() {
        let t0 = p.now().as_us();
        println!("== step {i} at {} ms", t0 / 1000);
        for line in step["do"].as_array().into_iter().flatten() {
            let out = p.apply(line.as_str().unwrap()).unwrap();
            println!(
                "   do {}",
                line.as_str().unwrap().chars().take(60).collect::<String>()
            );
            for o in out.output.lines().take(3) {
                println!("      {}", o.chars().take(100).collect::<String>());
            }
        }
        p.advance(step["play_ms"].as_u64().unwrap() * 1000);
        for e in p.events_since(cursor) {
            let v = serde_json::to_value(&e.event).unwrap();
            let kind = v["kind"].as_str().unwrap_or_default().to_string();
            let line = match kind.as_str() {
                "node" => v["detail"].to_string(),
                "send" | "deliver" | "command" | "reply" => continue,
                _ => v.to_string(),
            };
            let dt = e.t_us.saturating_sub(t0) / 1000;
            println!(
                "{dt:>7} ms {:>3} {}",
                &*e.node,
                line.chars().take(160).collect::<String>()
            );
        }
        cursor = p.events_since(0).last().map_or(cursor, |e| e.seq + 1);
        for d in &p.decisions()[decisions..] {
            println!(
                "   decision at +{} ms on {}: PSYNC {} {} -> {}",
                d.t_us.saturating_sub(t0) / 1000,
                d.node,
                d.decision.asked_replid,
                d.decision.asked_offset,
                serde_json::to_string(&d.decision.verdict).unwrap()
            );
        }
        decisions = p.decisions().len();
        for n in &nodes {
            println!(
                "   {n}: role={} master_repl_offset={} slave_repl_offset={} link={} keys={} replid={} replid2={} full={} partial_ok={} partial_err={}",
                info_field(&p, n, "role"),
                info_field(&p, n, "master_repl_offset"),
                info_field(&p, n, "slave_repl_offset"),
                info_field(&p, n, "master_link_status"),
                info_field(&p, n, "db0"),
                &info_field(&p, n, "master_replid").chars().take(8).collect::<String>(),
                &info_field(&p, n, "master_replid2").chars().take(8).collect::<String>(),
                info_field(&p, n, "sync_full"),
                info_field(&p, n, "sync_partial_ok"),
                info_field(&p, n, "sync_partial_err"),
            );
        }
    }
}
