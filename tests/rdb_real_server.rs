//! The simulator's RDB files are real RDB files: `redis-check-rdb` accepts them and
//! a real `redis-server` 7.0 loads them with the same keys, values and TTLs.
//!
//! Two files are checked: the dump.rdb a master writes on SAVE, and the one a
//! replica keeps from its full sync (the master's transfer, with the replication
//! aux fields). And LZF: a real server's SAVE of strings of 21 to 100,000 bytes
//! is what our writer makes of them, byte for byte. Needs `redis-server` and
//! `redis-check-rdb` (Debian's redis-server package); fails loudly without them.

// Talks to real redis-server processes: native only (`wasm-pack test` builds every
// test target for wasm32).
#![cfg(not(target_arch = "wasm32"))]

#[path = "real_redis/resp.rs"]
#[allow(dead_code)]
mod resp;
#[path = "real_redis/server.rs"]
#[allow(dead_code)]
mod server;

use replscope::node::keyspace::Value;
use replscope::scenario::run_text;
use replscope::sim::Sim;
use resp::{Conn, Reply};
use server::{free_port, redis_check_rdb_path, Server};
use std::collections::BTreeMap;
use std::process::Command;
use std::time::Duration;

/// What one key should be: (type, value as comparable text, PEXPIRETIME).
type Expected = BTreeMap<(usize, Vec<u8>), (String, Vec<String>, i64)>;

/// Keys of every type the simulator has, in two databases, with absolute expiry
/// times (EXAT, PXAT, PEXPIREAT) far in the future of both clocks.
const SCENARIO: &str = r#"
node m save="" repl-diskless-sync-delay=0 repl-ping-replica-period=3600
m> SET s hello
m> SET n 12345
m> SET neg -42
m> SET bin "a\x00b\r\n\xff"
m> SET t1 withttl PXAT 4102444800123
m> SET t2 secondsttl EXAT 4102444801
m> SET long xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
m> RPUSH list a bb "" 12
m> SADD set x y 100
m> SADD ints 10 9 100 -5
m> HSET hash f2 "" f1 v1 n 7
m> HSET hash zeta 1
m> HDEL hash f1
m> HSET hash f1 again
m> PEXPIREAT hash 4102444800005
m> SELECT 3
m> SET other db3
m> SET t3 v PXAT 4102444802000
m> SELECT 5
m> RPUSH l5 only
m> PEXPIREAT l5 4102444800006
"#;

/// Put a key's items in the order both sides must agree on. Lists, hashes (a small
/// hash loads as a listpack in file order, so HGETALL must list the fields in our
/// order) and integer-only sets (an intset: numeric order) are compared in order;
/// other sets load into a hash table, whose order is the server's own: sorted.
fn order_to_compare(ty: &str, items: &mut [String]) {
    if ty == "set" && !items.iter().all(|m| m.parse::<i64>().is_ok()) {
        items.sort();
    }
}

/// Every key of the node, as the real server should show it.
fn expected(sim: &Sim, id: usize) -> Expected {
    let node = sim.node(id).expect("running");
    let mut out = Expected::new();
    for (dbi, db) in node.ks.dbs.iter().enumerate() {
        for (k, e) in db.iter() {
            let text = |v: &[u8]| String::from_utf8_lossy(v).into_owned();
            let (ty, mut items): (&str, Vec<String>) = match &e.value {
                Value::Str(s) => ("string", vec![text(s)]),
                Value::List(l) => ("list", l.iter().map(|x| text(x)).collect()),
                Value::Set(s) => ("set", s.members().iter().map(|x| text(x)).collect()),
                Value::Hash(h) => (
                    "hash",
                    h.iter()
                        .map(|(f, v)| format!("{}={}", text(f), text(v)))
                        .collect(),
                ),
            };
            order_to_compare(ty, &mut items);
            out.insert(
                (dbi, k.to_vec()),
                (ty.to_string(), items, e.expire_ms.unwrap_or(-1)),
            );
        }
    }
    out
}

fn call(c: &mut Conn, args: &[&[u8]]) -> Reply {
    let argv: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
    c.call(&argv).expect("io").expect("a reply")
}

fn bulks(r: Reply) -> Vec<String> {
    match r {
        Reply::Array(Some(items)) => items
            .into_iter()
            .map(|i| match i {
                Reply::Bulk(Some(v)) => String::from_utf8_lossy(&v).into_owned(),
                other => panic!("not a bulk: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

/// What the real server holds: the same shape as [`expected`].
fn actual(c: &mut Conn, dbs: usize) -> Expected {
    let mut out = Expected::new();
    for dbi in 0..dbs {
        let n = dbi.to_string();
        assert_eq!(
            call(c, &[b"SELECT", n.as_bytes()]),
            Reply::Status("OK".into())
        );
        let keys = bulks(call(c, &[b"KEYS", b"*"]));
        for k in keys {
            let k = k.into_bytes();
            let ty = match call(c, &[b"TYPE", &k]) {
                Reply::Status(t) => t,
                other => panic!("TYPE: {other:?}"),
            };
            let mut items = match ty.as_str() {
                "string" => match call(c, &[b"GET", &k]) {
                    Reply::Bulk(Some(v)) => vec![String::from_utf8_lossy(&v).into_owned()],
                    other => panic!("GET: {other:?}"),
                },
                "list" => bulks(call(c, &[b"LRANGE", &k, b"0", b"-1"])),
                "set" => bulks(call(c, &[b"SMEMBERS", &k])),
                "hash" => bulks(call(c, &[b"HGETALL", &k]))
                    .chunks(2)
                    .map(|p| format!("{}={}", p[0], p[1]))
                    .collect(),
                other => panic!("unexpected type {other}"),
            };
            order_to_compare(&ty, &mut items);
            let pexpiretime = match call(c, &[b"PEXPIRETIME", &k]) {
                Reply::Integer(t) => t,
                other => panic!("PEXPIRETIME: {other:?}"),
            };
            out.insert((dbi, k), (ty, items, pexpiretime));
        }
    }
    out
}

/// Run redis-check-rdb on the file and load it into a real server; compare.
fn check_with_real_server(rdb: &[u8], want: &Expected, what: &str) {
    if server::require("rdb_real_server").is_none() {
        return;
    }
    let dir = tempfile::Builder::new()
        .prefix("replscope-rdb-")
        .tempdir()
        .expect("temp dir");
    let path = dir.path().join("dump.rdb");
    std::fs::write(&path, rdb).expect("write dump.rdb");

    let check = Command::new(redis_check_rdb_path())
        .arg(&path)
        .output()
        .unwrap_or_else(|e| {
            panic!("redis-check-rdb is required (apt-get install redis-server): {e}")
        });
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && report.contains("RDB looks OK"),
        "redis-check-rdb rejects the {what}:\n{report}"
    );

    let mut srv = Server::new(
        free_port(),
        dir.path(),
        vec!["--save".into(), String::new()],
    );
    srv.start()
        .unwrap_or_else(|e| panic!("redis-server does not load the {what}: {e}"));
    let mut c = Conn::connect(srv.port, Duration::from_secs(10)).expect("connect");
    let got = actual(&mut c, 16);
    assert_eq!(
        &got, want,
        "the real server's keys differ from the simulator's ({what})"
    );
    let log = srv.log_tail(40);
    assert!(
        log.contains("Done loading RDB") || log.contains("DB loaded from disk"),
        "no load message in the log:\n{log}"
    );
    srv.kill();
}

#[test]
fn master_save_rdb_loads_in_redis_server() {
    let out = run_text(SCENARIO, None);
    assert_eq!(out.exit_code(), 0, "{:?}", out.error);
    let mut sim = out.sim.expect("a world");
    let id = sim.node_id("m").expect("m");
    let want = expected(&sim, id);
    assert_eq!(want.len(), 14, "{want:?}");
    assert_eq!(
        sim.command(id, &[b"SAVE".to_vec()]),
        replscope::sim::CommandOutcome::Reply(replscope::resp::Value::ok())
    );
    let rdb = sim.nodes[id].rdb.clone().expect("SAVE wrote dump.rdb");
    check_with_real_server(&rdb, &want, "RDB of SAVE");
}

#[test]
fn full_sync_rdb_loads_in_redis_server() {
    // The replica keeps the RDB of its full sync as its dump.rdb: the master's
    // transfer bytes, with repl-id, repl-offset and repl-stream-db aux fields.
    let text =
        format!("{SCENARIO}\nnode r1 replicaof=m repl-ping-replica-period=3600\nwait sync\n");
    let out = run_text(&text, None);
    assert_eq!(out.exit_code(), 0, "{:?}", out.error);
    let sim = out.sim.expect("a world");
    let (m, r1) = (sim.node_id("m").unwrap(), sim.node_id("r1").unwrap());
    let want = expected(&sim, m);
    assert_eq!(
        want,
        expected(&sim, r1),
        "the replica holds what the master holds"
    );
    let rdb = sim.nodes[r1]
        .rdb
        .clone()
        .expect("the full sync left a dump.rdb");
    check_with_real_server(&rdb, &want, "RDB of a full sync");
}

/// A small deterministic PRNG (xorshift64*), so the values repeat exactly.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n as u64) as usize
    }
}

/// Strings of 21 to 100,000 bytes that LZF shrinks a lot, a little or not at
/// all: runs of one byte, repeated words, JSON, text with typos, a pattern
/// with a few changed bytes, random bytes (stored verbatim), each at lengths
/// where liblzf's end rules and its give-up rule bite.
fn lzf_dataset() -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut rng = Rng(0x1f2e_3d4c_5b6a_7988);
    let words: [&[u8]; 8] = [
        b"the ",
        b"replica ",
        b"offset ",
        b"backlog ",
        b"PSYNC ",
        b"+FULLRESYNC ",
        b"\r\n",
        b"lazy dog; ",
    ];
    let lengths = [
        21, 22, 23, 24, 25, 26, 30, 31, 32, 33, 34, 36, 40, 50, 64, 100, 263, 264, 265, 266, 1000,
        8191, 8192, 8193, 9000, 20_000, 100_000,
    ];
    let mut out = Vec::new();
    for (i, &len) in lengths.iter().enumerate() {
        for kind in 0..7 {
            let value: Vec<u8> = match kind {
                0 => vec![b"ax\x00"[i % 3]; len],
                1 => words
                    .iter()
                    .cycle()
                    .skip(i)
                    .copied()
                    .flatten()
                    .copied()
                    .take(len)
                    .collect(),
                2 => (0..)
                    .flat_map(|n| {
                        format!(r#"{{"id":{n},"name":"user{n}","tags":["a","b"]}},"#).into_bytes()
                    })
                    .take(len)
                    .collect(),
                3 => (0..len)
                    .flat_map(|_| words[rng.below(words.len())])
                    .copied()
                    .take(len)
                    .collect(),
                4 => {
                    let mut v: Vec<u8> = (0..len)
                        .map(|n| b"0123456789abcdef"[n % (3 + i % 13)])
                        .collect();
                    for _ in 0..3 {
                        let at = rng.below(len);
                        v[at] = rng.below(256) as u8;
                    }
                    v
                }
                5 => (0..len)
                    .map(|_| b'a' + rng.below(2 + i % 3) as u8)
                    .collect(),
                _ => (0..len).map(|_| rng.below(256) as u8).collect(),
            };
            out.push((format!("v:{len}:{kind}").into_bytes(), value));
        }
    }
    // Long keys are compressed too.
    out.push((vec![b'k'; 40], b"a compressible key".to_vec()));
    out.push((b"key:".repeat(12), vec![b'z'; 30]));
    out
}

/// The bytes of `file` after its aux fields (databases, keys, EOF, checksum).
fn body_len(file: &[u8]) -> usize {
    let decoded = replscope::repl::rdb::decode(file).expect("a valid RDB");
    let mut aux = replscope::repl::rdb::RdbAux::new(
        decoded.aux_value("ctime").unwrap().parse().unwrap(),
        decoded.aux_value("used-mem").unwrap().parse().unwrap(),
    );
    aux.redis_ver = decoded.aux_value("redis-ver").unwrap().to_string();
    // An empty file: the same aux fields, then EOF and the 8-byte checksum.
    file.len() - (replscope::repl::rdb::encode(&aux, &[]).len() - 9)
}

#[test]
fn lzf_strings_are_saved_as_redis_saves_them() {
    if server::require("rdb_real_server").is_none() {
        return;
    }
    let data = lzf_dataset();
    let dir = tempfile::Builder::new()
        .prefix("replscope-lzf-")
        .tempdir()
        .expect("temp dir");
    let mut srv = Server::new(
        free_port(),
        dir.path(),
        vec!["--save".into(), String::new()],
    );
    srv.start().expect("redis-server starts");
    let mut c = Conn::connect(srv.port, Duration::from_secs(10)).expect("connect");
    for (k, v) in &data {
        assert_eq!(call(&mut c, &[b"SET", k, v]), Reply::Status("OK".into()));
    }
    assert_eq!(call(&mut c, &[b"SAVE"]), Reply::Status("OK".into()));
    let real = std::fs::read(dir.path().join("dump.rdb")).expect("dump.rdb");
    srv.kill();

    // Re-encoding what the real server saved, with its aux fields and in its
    // key order, gives its file byte for byte: every LZF payload, and every
    // choice between LZF and verbatim.
    let file = replscope::repl::rdb::decode(&real).expect("a valid RDB");
    assert_eq!(file.entries.len(), data.len());
    let raw_bytes: usize = data.iter().map(|(k, v)| k.len() + v.len()).sum();
    assert!(
        real.len() < raw_bytes / 2,
        "{} of {raw_bytes} bytes",
        real.len()
    );
    let aux = replscope::repl::rdb::RdbAux::new(
        file.aux_value("ctime").unwrap().parse().unwrap(),
        file.aux_value("used-mem").unwrap().parse().unwrap(),
    );
    let ours = replscope::repl::rdb::encode(&aux, &file.entries);
    assert_eq!(ours.len(), real.len());
    assert!(
        ours == real,
        "the simulator's RDB differs from redis-server's"
    );

    // And the simulator's own SAVE of the same SETs is as long after its aux
    // fields (its keys come in its own order).
    let out = run_text("node m save=\"\"\n", None);
    let mut sim = out.sim.expect("a world");
    let id = sim.node_id("m").expect("m");
    for (k, v) in &data {
        let argv = vec![b"SET".to_vec(), k.clone(), v.clone()];
        assert_eq!(
            sim.command(id, &argv),
            replscope::sim::CommandOutcome::Reply(replscope::resp::Value::ok())
        );
    }
    sim.command(id, &[b"SAVE".to_vec()]);
    let saved = sim.nodes[id].rdb.clone().expect("SAVE wrote dump.rdb");
    assert_eq!(body_len(&saved), body_len(&real));
}
