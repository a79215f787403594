//! The notices a node logs while it loads an RDB, from its master or from its
//! dump.rdb at start: before session 29 the simulator said "Loading DB in memory" and
//! then nothing until "Finished with success". The real servers (7.0.15, 8.0.2, Valkey
//! 8.1.1, `--loglevel notice`) print, from `rdbLoadRio`, one line per aux field they
//! know (who produced the file, its age, its writer's memory) and "Done loading RDB";
//! and with `repl-diskless-load` the transfer goes "to parser", swapdb loading into a
//! temporary db that is swapped in afterwards:
//!
//! ```text
//! MASTER <-> REPLICA sync: receiving 186 bytes from master to disk
//! MASTER <-> REPLICA sync: Flushing old data        (8.0: after "Loading DB in memory")
//! MASTER <-> REPLICA sync: Loading DB in memory
//! Loading RDB produced by version 7.0.15           (Valkey: "by Valkey version 8.1.1")
//! RDB age 0 seconds
//! RDB memory usage when created 0.94 Mb
//! Done loading RDB, keys loaded: 1, keys expired: 0.
//! MASTER <-> REPLICA sync: Finished with success
//! ```
//!
//! The memory is the simulator's own stand-in (its `used-mem` aux field), so the test
//! pins the simulator's figure; the age comes from simulated time.

use replscope::scenario::run::run_text;

/// The notice and warning lines node `name` logged from the first line containing
/// `from` on.
fn log_from(text: &str, name: &str, from: &str) -> Vec<String> {
    let out = run_text(text, None);
    assert!(out.error.is_none(), "{:?}", out.error);
    let sim = out.sim.expect("a world");
    let lines: Vec<String> = sim
        .trace
        .to_json_lines()
        .lines()
        .filter(|l| l.contains(&format!("\"node\":\"{name}\"")) && l.contains("\"kind\":\"log\""))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            v["event"]["detail"]["text"]
                .as_str()
                .expect("a text")
                .to_string()
        })
        .collect();
    let start = lines
        .iter()
        .position(|l| l.contains(from))
        .unwrap_or_else(|| panic!("no '{from}' in {lines:#?}"));
    lines[start..].to_vec()
}

fn sync(version: &str, master: &str, replica: &str) -> Vec<String> {
    let text = format!(
        "node m version={version} repl-ping-replica-period=3600 {master}\n\
         m> SET foo bar\n\
         node r1 version={version} replicaof=m repl-ping-replica-period=3600 {replica}\n\
         wait sync\n"
    );
    let mut lines = log_from(&text, "r1", "sync: receiving");
    lines.truncate(lines.iter().position(|l| l.contains("Finished")).unwrap() + 1);
    lines
}

const DONE: &str = "Done loading RDB, keys loaded: 1, keys expired: 0.";
const MEM: &str = "RDB memory usage when created 0.83 Mb";

#[test]
fn a_disk_load_logs_the_aux_fields_and_the_keys() {
    assert_eq!(
        sync("redis-7.0", "repl-diskless-sync=no", ""),
        [
            "MASTER <-> REPLICA sync: receiving 186 bytes from master to disk",
            "MASTER <-> REPLICA sync: Flushing old data",
            "MASTER <-> REPLICA sync: Loading DB in memory",
            "Loading RDB produced by version 7.0.15",
            // The master forked at 0.994 s of simulated time (ctime 0), the replica
            // loads at 1.059 s: time(NULL) - ctime is 1, as it would be on a real clock.
            "RDB age 1 seconds",
            MEM,
            DONE,
            "MASTER <-> REPLICA sync: Finished with success",
        ]
    );
    assert_eq!(
        sync("redis-8.0", "repl-diskless-sync=no", ""),
        [
            "MASTER <-> REPLICA sync: receiving 185 bytes from master to disk",
            "MASTER <-> REPLICA sync: Loading DB in memory",
            "MASTER <-> REPLICA sync: Flushing old data",
            "Loading RDB produced by version 8.0.2",
            "RDB age 1 seconds",
            MEM,
            DONE,
            "MASTER <-> REPLICA sync: Finished with success",
        ]
    );
    assert_eq!(
        sync("valkey-8.1", "repl-diskless-sync-delay=0", ""),
        [
            "PRIMARY <-> REPLICA sync: receiving streamed RDB from primary with EOF to disk",
            "PRIMARY <-> REPLICA sync: Flushing old data",
            "PRIMARY <-> REPLICA sync: Loading DB in memory",
            "Loading RDB produced by Valkey version 8.1.1",
            "RDB age 0 seconds",
            MEM,
            DONE,
            "PRIMARY <-> REPLICA sync: Finished with success",
        ]
    );
}

#[test]
fn a_diskless_load_reads_to_the_parser_and_swapdb_swaps_after_loading() {
    for version in ["redis-7.0", "redis-8.0"] {
        let produced = format!(
            "Loading RDB produced by version {}",
            if version == "redis-7.0" {
                "7.0.15"
            } else {
                "8.0.2"
            }
        );
        assert_eq!(
            sync(
                version,
                "repl-diskless-sync-delay=0",
                "repl-diskless-load=swapdb"
            ),
            [
                "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to parser",
                "MASTER <-> REPLICA sync: Loading DB in memory",
                &produced,
                "RDB age 0 seconds",
                MEM,
                DONE,
                "MASTER <-> REPLICA sync: Swapping active DB with loaded DB",
                "MASTER <-> REPLICA sync: Discarding old DB in background",
                "MASTER <-> REPLICA sync: Finished with success",
            ],
            "{version}"
        );
    }
    assert_eq!(
        sync(
            "valkey-8.1",
            "repl-diskless-sync-delay=0",
            "repl-diskless-load=on-empty-db"
        ),
        [
            "PRIMARY <-> REPLICA sync: receiving streamed RDB from primary with EOF to parser",
            "PRIMARY <-> REPLICA sync: Flushing old data",
            "PRIMARY <-> REPLICA sync: Loading DB in memory",
            "Loading RDB produced by Valkey version 8.1.1",
            "RDB age 0 seconds",
            MEM,
            DONE,
            "PRIMARY <-> REPLICA sync: Finished with success",
        ]
    );
}

/// The age is simulated time: a dump.rdb saved at 0.557 s and loaded at a restart at
/// 43.493 s is 43 seconds old (`time(NULL) - ctime`, whole seconds).
#[test]
fn the_rdb_age_at_a_restart_is_simulated_seconds() {
    let text = "node m save=\"\" repl-ping-replica-period=3600\n\
                m> SET a 1\nm> SAVE\nwait 42s\nrestart m\nwait 1s\n";
    assert_eq!(
        log_from(text, "m", "Loading RDB produced"),
        [
            "Loading RDB produced by version 7.0.15",
            "RDB age 43 seconds",
            MEM,
            DONE,
            "DB loaded from disk: 0.000 seconds",
            "Ready to accept connections",
        ]
    );
}
