//! The master's side of the article's protocol, `SYNC` (what a Redis 2.6 replica sends),
//! checked against the real Redis 7.0: a raw `SYNC` client on a real master and the
//! simulator's `version=redis-2.6` replica must leave the master in the same state —
//! a disk save ("Starting BGSAVE for SYNC with target: disk"), the RDB as a `$<len>`
//! bulk with no EOF mark, then the stream; `sync_full:1`; the replica listed with
//! `port=0,state=online,offset=0` (it never sends REPLCONF or an ACK).
//!
//! Skip policy (tests/real_redis/server.rs): without redis-server 7.0 the test says so
//! and passes, except under `CI=true`, where it fails.

// Talks to a real redis-server: native only.
#![cfg(not(target_arch = "wasm32"))]

mod real_redis;

use real_redis::RedisServer;
use replscope::resp::Value;
use std::time::{Duration, Instant};

/// The `slave0` line's state, port and offset, and `sync_full`, from INFO texts.
fn master_view(replication: &str, stats: &str) -> (String, String, String, String) {
    let field = |text: &str, key: &str| {
        text.lines()
            .find_map(|l| {
                l.trim_end()
                    .strip_prefix(&format!("{key}:"))
                    .map(str::to_string)
            })
            .unwrap_or_default()
    };
    let slave0 = field(replication, "slave0");
    let item = |k: &str| {
        slave0
            .split(',')
            .find_map(|kv| kv.strip_prefix(&format!("{k}=")).map(str::to_string))
            .unwrap_or_default()
    };
    (
        item("state"),
        item("port"),
        item("offset"),
        field(stats, "sync_full"),
    )
}

fn bulk_text(v: Value) -> String {
    match v {
        Value::Bulk(b) => String::from_utf8_lossy(&b).into_owned(),
        other => panic!("expected a bulk reply, got {other:?}"),
    }
}

#[test]
fn a_sync_client_is_served_as_the_simulated_redis_26_replica_is() {
    // The real side.
    let Some(mut srv) = RedisServer::start(
        "sync_client",
        &[
            "--repl-ping-replica-period",
            "3600",
            "--repl-diskless-sync-delay",
            "0",
        ],
    ) else {
        return;
    };
    let mut admin = srv.client();
    assert_eq!(admin.cmd("SET a 1"), Value::Simple("OK".into()));
    let mut replica = srv.client();
    replica.send(&[b"SYNC".to_vec()]);
    // Newlines while the master saves, then `$<len>` and the RDB (no EOF mark).
    let header = loop {
        while replica.buf.first() == Some(&b'\n') {
            replica.buf.remove(0);
        }
        if let Some(pos) = replica.buf.windows(2).position(|w| w == b"\r\n") {
            let l = String::from_utf8_lossy(&replica.buf[..pos]).into_owned();
            replica.buf.drain(..pos + 2);
            break l;
        }
        replica.fill();
    };
    let len: usize = header
        .strip_prefix('$')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("SYNC answered {header:?}, not $<len>"));
    assert!(
        !header.starts_with("$EOF:"),
        "a SYNC client gets no EOF mark"
    );
    while replica.buf.len() < len {
        replica.fill();
    }
    let rdb: Vec<u8> = replica.buf.drain(..len).collect();
    assert_eq!(&rdb[..9], b"REDIS0010", "the RDB of Redis 7.0");
    // Then the stream: a write reaches the SYNC client as RESP.
    assert_eq!(admin.cmd("SET b 2"), Value::Simple("OK".into()));
    let want = b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
    let deadline = Instant::now() + Duration::from_secs(10);
    while replica.buf.len() < want.len() && Instant::now() < deadline {
        replica.fill();
    }
    assert_eq!(
        String::from_utf8_lossy(&replica.buf[..want.len()]),
        String::from_utf8_lossy(want),
        "the stream after the RDB"
    );
    let real = master_view(
        &bulk_text(admin.cmd("INFO replication")),
        &bulk_text(admin.cmd("INFO stats")),
    );
    let log = std::fs::read_to_string(srv.server().log_path()).unwrap_or_default();
    assert!(
        log.contains("Starting BGSAVE for SYNC with target: disk"),
        "real master's log:\n{log}"
    );

    // The simulator: the same history with a Redis 2.6 replica.
    let out = replscope::scenario::run_text(
        "node m repl-ping-replica-period=3600 repl-diskless-sync-delay=0\n\
         m> SET a 1\n\
         node r1 version=redis-2.6 replicaof=m\n\
         wait sync\n\
         m> SET b 2\n\
         wait sync\n\
         m> INFO replication\n\
         m> INFO stats\n",
        None,
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    let sections: Vec<&str> = out.stdout.split("m> INFO").collect();
    let sim = master_view(sections[1], sections[2]);
    assert_eq!(
        sim, real,
        "(state, port, offset, sync_full): simulator vs real 7.0"
    );
    assert_eq!(
        real,
        ("online".into(), "0".into(), "0".into(), "1".into()),
        "what the issue measured on 7.0.15"
    );
    let trace = out.sim.expect("ran").trace.to_json_lines();
    assert!(trace.contains("Starting BGSAVE for SYNC with target: disk"));
    assert!(
        trace.contains(r#""preview":"SYNC\\r\\n""#),
        "the simulated replica sent SYNC"
    );
    assert!(!trace.contains("PSYNC"), "and never PSYNC");
}
