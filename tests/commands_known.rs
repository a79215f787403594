//! The real servers' command names (www/data/redis-commands.json, from `COMMAND LIST`)
//! against the simulator's command table and docs/scenario-format.md's list of it.
#![cfg(not(target_arch = "wasm32"))]

use replscope::node::cmd::table;

fn lists() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/www/data/redis-commands.json"
    ))
    .expect("www/data/redis-commands.json is there");
    serde_json::from_str(&text).expect("it is JSON")
}

fn names(v: &serde_json::Value, version: &str) -> Vec<String> {
    v[version]
        .as_array()
        .unwrap_or_else(|| panic!("{version} has a list"))
        .iter()
        .map(|n| n.as_str().expect("a name").to_string())
        .collect()
}

#[test]
fn every_simulated_command_is_a_real_one_in_every_version() {
    let v = lists();
    for version in ["redis-7.0", "redis-8.0", "valkey-8.1"] {
        let real = names(&v, version);
        assert!(real.len() > 200, "{version}: {} names", real.len());
        let missing: Vec<&str> = table()
            .iter()
            .map(|c| c.name)
            .filter(|n| !real.iter().any(|r| r == n))
            .collect();
        assert!(missing.is_empty(), "{version} has no {missing:?}");
    }
}

#[test]
fn the_docs_list_the_simulated_commands() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/scenario-format.md"
    ))
    .expect("the doc");
    let start = doc
        .find("<!-- simulated-commands -->")
        .expect("the doc marks its list of simulated commands");
    let list = &doc[start..];
    let list = &list[..list
        .find("<!-- /simulated-commands -->")
        .expect("the list's end")];
    let mut documented: Vec<String> = list
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.to_ascii_lowercase())
        .collect();
    documented.sort();
    let mut simulated: Vec<String> = table().iter().map(|c| c.name.to_string()).collect();
    simulated.sort();
    assert_eq!(
        documented, simulated,
        "docs/scenario-format.md's list of simulated commands"
    );
}
