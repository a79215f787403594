//! Random data commands, the same ones to a real `redis-server` 7.0 master and to a
//! simulated one, each with a replica attached: every reply must be equal, so must
//! the bytes each command adds to the replication stream (`master_repl_offset`), and
//! so must the encoding Redis reports for a hash or set after each command (`OBJECT
//! ENCODING`: listpack or intset while small, then hashtable), since that decides the
//! order HGETALL and SMEMBERS reply in. At the end the simulated replica, having
//! applied the stream, must hold exactly the simulated master's data.
//!
//! The commands come from a fixed seed over a few keys and a pool of awkward
//! arguments (empty, integers at the i64 limits, non-canonical integers like `007`,
//! floats, a 65-byte string that does not fit a listpack), so types collide, errors
//! happen and encodings convert. Skipped (with a message) when redis-server is not
//! installed. `RANDOM_COMMANDS=N` and `RANDOM_SEED=S` run another amount or sequence.
// Talks to a real redis-server: native only (no processes or sockets in wasm32).
#![cfg(not(target_arch = "wasm32"))]

use replscope::cli::format_reply;
use replscope::node::config::Config;
use replscope::node::keyspace::Value as Stored;
use replscope::resp::Value;
use replscope::sim::{CommandOutcome, Sim};
use replscope::time::SimTime;

mod real_redis;
use real_redis::{same_reply, Compare, RedisServer};

/// A small deterministic generator (xorshift64*), so a failure replays exactly.
struct Gen(u64);

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    fn pick_pair<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }
}

const KEYS: &[&str] = &["k0", "k1", "k2", "k3", "k4"];
const LONG: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
const VALUES: &[&str] = &[
    "",
    "0",
    "1",
    "-1",
    "42",
    "007",
    "-0",
    "3.5",
    "10.50",
    "1e3",
    "abc",
    "9223372036854775807",
    "-9223372036854775808",
    LONG,
];
const MEMBERS: &[&str] = &["1", "2", "10", "-3", "0", "007", "a", "b", LONG];
/// Integer members, so that sets often stay intsets (numeric reply order).
const INT_MEMBERS: &[&str] = &["1", "2", "10", "-3", "0", "100", "-9223372036854775808"];
const INTS: &[&str] = &[
    "-2",
    "-1",
    "0",
    "1",
    "2",
    "3",
    "5",
    "100",
    "abc",
    "+1",
    " 1",
    "01",
    "9223372036854775808",
];
const FLOATS: &[&str] = &[
    "0.5", "-1.25", "3", "1e2", "abc", "0.1", ".5", "5.", "+1", "-0", "0x10", " 1", "1e-2", "1E2",
    "3.0e3", "1e400", "-1e-300", "1e4931",
];

/// Commands whose reply order is the server's own for a hash table: compared
/// apart from their order, which inside a transaction's reply cannot be done.
const ORDER_FREE: &[&str] = &["SMEMBERS", "HGETALL", "HKEYS", "KEYS"];

/// One random command; inside MULTI neither SELECT (the test tracks the database
/// outside transactions only) nor a command of [`ORDER_FREE`].
fn command(g: &mut Gen, rising: &mut u64, in_multi: bool) -> Vec<String> {
    loop {
        let words = any_command(g, rising);
        if !(in_multi && (words[0] == "SELECT" || ORDER_FREE.contains(&words[0].as_str()))) {
            return words;
        }
    }
}

fn any_command(g: &mut Gen, rising: &mut u64) -> Vec<String> {
    let k = g.pick(KEYS);
    let words: Vec<&str> = match g.below(60) {
        0 => {
            let mut c = vec!["SET", k, g.pick(VALUES)];
            match g.pick(&["", "NX", "XX", "GET", "KEEPTTL", "EX"]) {
                "" => {}
                "EX" => c.extend(["EX", "100"]),
                opt => c.push(opt),
            }
            c
        }
        1 => vec!["GET", k],
        2 => vec!["APPEND", k, g.pick(VALUES)],
        3 => vec!["INCR", k],
        4 => vec!["DECRBY", k, g.pick(INTS)],
        5 => vec!["INCRBYFLOAT", k, g.pick(FLOATS)],
        6 => vec!["STRLEN", k],
        7 => vec!["GETRANGE", k, g.pick(INTS), g.pick(INTS)],
        8 => vec![
            "SETRANGE",
            k,
            g.pick(&["0", "1", "3", "-1"]),
            g.pick(VALUES),
        ],
        9 => vec!["MSET", k, g.pick(VALUES), g.pick(KEYS), g.pick(VALUES)],
        10 => vec!["MGET", k, g.pick(KEYS)],
        11 => vec!["GETDEL", k],
        12 => vec!["GETSET", k, g.pick(VALUES)],
        13 => vec!["SETNX", k, g.pick(VALUES)],
        14 => vec!["DEL", k],
        15 => vec!["EXISTS", k, g.pick(KEYS)],
        16 => vec!["TYPE", k],
        17 => vec!["RENAME", k, g.pick(KEYS)],
        18 => vec!["COPY", k, g.pick(KEYS), g.pick(&["REPLACE", "DB"])],
        19 => vec!["EXPIRE", k, g.pick(&["100", "0", "-1", "abc"])],
        20 => vec!["TTL", k],
        21 => vec!["PERSIST", k],
        22 => vec!["LPUSH", k, g.pick(VALUES), g.pick(VALUES)],
        23 => vec!["RPUSH", k, g.pick(VALUES)],
        24 => vec!["LPOP", k, g.pick(&["1", "2", "0", "-1"])],
        25 => vec!["RPOP", k],
        26 => vec!["LRANGE", k, g.pick(INTS), g.pick(INTS)],
        27 => vec!["LINDEX", k, g.pick(INTS)],
        28 => {
            let pool = if g.below(4) == 0 {
                MEMBERS
            } else {
                INT_MEMBERS
            };
            vec!["SADD", k, g.pick(pool), g.pick(pool), g.pick(pool)]
        }
        29 => vec!["SREM", k, g.pick(MEMBERS)],
        30 => vec!["SISMEMBER", k, g.pick(MEMBERS)],
        31 => vec!["SMISMEMBER", k, g.pick(MEMBERS), g.pick(MEMBERS)],
        32 => vec!["SCARD", k],
        33 => vec!["SMEMBERS", k],
        34 => vec![
            "HSET",
            k,
            g.pick(MEMBERS),
            g.pick(VALUES),
            g.pick(MEMBERS),
            g.pick(VALUES),
        ],
        35 => vec!["HSETNX", k, g.pick(MEMBERS), g.pick(VALUES)],
        36 => vec!["HGET", k, g.pick(MEMBERS)],
        37 => vec!["HMGET", k, g.pick(MEMBERS), g.pick(MEMBERS)],
        38 => vec!["HDEL", k, g.pick(MEMBERS)],
        39 => vec!["HINCRBY", k, g.pick(MEMBERS), g.pick(INTS)],
        40 => vec!["HINCRBYFLOAT", k, g.pick(MEMBERS), g.pick(FLOATS)],
        41 => vec!["HGETALL", k],
        42 => vec!["HKEYS", k],
        43 => vec!["HSTRLEN", k, g.pick(MEMBERS)],
        // Databases, transactions and expiry: what decides SELECTs, MULTI/EXEC and
        // DELs in the replication stream. Absolute times are in the past (2001) for
        // both clocks; the simulated clock starts at 2026-01-01 and the real one is
        // the machine's, so a future deadline would read back as another TTL.
        44 => vec!["SELECT", g.pick(&["0", "1", "1", "16", "x"])],
        45 | 46 => vec!["MULTI"],
        47 | 48 => vec!["EXEC"],
        49 => vec!["DISCARD"],
        50 => vec!["EXPIREAT", k, g.pick(&["1000000000", "x"])],
        51 => vec!["PEXPIREAT", k, "1000000000123"],
        52 => {
            let (unit, past) = *g.pick_pair(&[("EXAT", "1000000000"), ("PXAT", "1000000000999")]);
            vec!["SET", k, g.pick(VALUES), unit, past]
        }
        53 => vec![
            "GETEX",
            k,
            g.pick(&["PERSIST", "EXAT", "EX"]),
            g.pick(&["100", "1000000000"]),
        ],
        54 => vec!["COPY", k, g.pick(KEYS), "DB", g.pick(&["0", "1"])],
        55 => vec!["MOVE", k, g.pick(&["0", "1"])],
        56 => vec![g.pick(&["LPUSHX", "RPUSHX"]), k, g.pick(VALUES)],
        57 => vec![
            g.pick(&["DEL", "UNLINK", "TOUCH", "EXISTS"]),
            k,
            g.pick(KEYS),
            g.pick(KEYS),
        ],
        58 => vec!["RENAMENX", k, g.pick(KEYS)],
        _ => match g.below(16) {
            0 => vec![g.pick(&["FLUSHDB", "FLUSHALL", "FLUSHDB", "DBSIZE"])],
            1 => vec!["DBSIZE"],
            2 => vec![
                "KEYS",
                g.pick(&[
                    "k*", "*", "k?", "k[0-2]", "k[^1]", "k\\*", "[a-k]?", "*[!3]", "K*",
                ]),
            ],
            3 => vec!["MSETNX", k, g.pick(VALUES), g.pick(KEYS), g.pick(VALUES)],
            // GT and LT compare with the key's deadline: each such EXPIRE asks for
            // a time 1000 s longer than the one before, so no two are close enough
            // for the real clock, which moves while the test runs, to matter.
            4 => {
                *rising += 1000;
                let opt = g.pick(&["NX", "XX", "GT", "LT", "nx", "FOO"]);
                return ["EXPIRE", k, &rising.to_string(), opt]
                    .map(String::from)
                    .to_vec();
            }
            // Relative times are 100 s or more: nothing expires while the test runs.
            5 => match g.below(2) {
                0 => vec!["SETEX", k, g.pick(&["100", "0", "-5", "x"]), g.pick(VALUES)],
                _ => vec!["PSETEX", k, g.pick(&["100000", "0", "-5"]), g.pick(VALUES)],
            },
            6 => vec![
                "SET",
                k,
                g.pick(VALUES),
                "GET",
                g.pick(&["NX", "XX", "KEEPTTL", "GET"]),
            ],
            7 => vec![
                g.pick(&["SUBSTR", "GETRANGE"]),
                k,
                g.pick(INTS),
                g.pick(INTS),
            ],
            8 => vec!["PEXPIRE", k, g.pick(&["100000", "0", "-1"])],
            _ => vec![
                "INCRBY",
                k,
                g.pick(&["9223372036854775807", "-9223372036854775808", "1"]),
            ],
        },
    };
    words.iter().map(|w| w.to_string()).collect()
}

/// The encoding the simulated node keeps for `key`, named as OBJECT ENCODING
/// names it, for hashes and sets (None for anything else).
fn sim_encoding(sim: &Sim, db: usize, key: &str) -> Option<&'static str> {
    let node = sim.node(sim.node_id("m")?)?;
    match &node.ks.dbs[db].get(key.as_bytes())?.value {
        Stored::Hash(h) if h.is_listpack() => Some("listpack"),
        Stored::Set(s) if s.is_intset() => Some("intset"),
        Stored::Hash(_) | Stored::Set(_) => Some("hashtable"),
        _ => None,
    }
}

#[test]
fn random_commands_match_redis() {
    let Some(server) = RedisServer::start(
        "random",
        &[
            "--repl-ping-replica-period",
            "3600",
            "--repl-diskless-sync",
            "no",
        ],
    ) else {
        return;
    };
    let mut real = server.client();
    // Expired keys stay until a command looks at them, as on the simulated node,
    // whose clock stands still: both then delete (and propagate) at the same command.
    assert_eq!(
        real.cmd("DEBUG SET-ACTIVE-EXPIRE 0"),
        Value::Simple("OK".into())
    );
    let _replica = server.fake_replica();
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (count, seed) = (env("RANDOM_COMMANDS", 10_000), env("RANDOM_SEED", 7));
    let (mut sim, m, rs) = Sim::master_with_replicas(1, 1, &Config::default());
    let r1 = rs[0];
    sim.run_until(SimTime::from_ms(8000));
    assert!(sim.sync_status().is_ok(), "{:?}", sim.sync_status());
    let sim_offset = |sim: &Sim| sim.node(m).expect("m runs").repl.master_repl_offset;

    let mut g = Gen(seed.max(1));
    let mut mismatches = Vec::new();
    // Inside MULTI nothing else may be sent (it would be queued): the stream bytes
    // of a transaction are compared at its EXEC or DISCARD, from where MULTI started.
    let mut multi_from: Option<(i64, i64)> = None;
    let mut db = 0;
    let mut rising = 0;
    for i in 0..count {
        let words = command(&mut g, &mut rising, multi_from.is_some());
        let argv: Vec<Vec<u8>> = words.iter().map(|w| w.clone().into_bytes()).collect();
        let before = multi_from.unwrap_or_else(|| (real.master_repl_offset(), sim_offset(&sim)));
        let want = real.command(&argv);
        let got = match sim.command(m, &argv) {
            CommandOutcome::Reply(v) => v,
            other => panic!("{words:?}: the simulated node gave {other:?}"),
        };
        let ok = want == Value::Simple("OK".into());
        match words[0].as_str() {
            "MULTI" if ok => multi_from = Some(before),
            "EXEC" | "DISCARD" => multi_from = None,
            "SELECT" if ok => db = words[1].parse().expect("a database number"),
            _ => {}
        }
        let what = format!("#{i} {}", words.join(" "));
        if multi_from.is_some() {
            if format_reply(&want) != format_reply(&got) {
                let (w, g) = (format_reply(&want), format_reply(&got));
                mismatches.push(format!("{what}\n  redis-server: {w}\n  simulated:    {g}"));
            }
            continue;
        }
        let real_bytes = real.master_repl_offset() - before.0;
        let sim_bytes = sim_offset(&sim) - before.1;
        if real_bytes != sim_bytes {
            mismatches.push(format!(
                "{what}\n  stream bytes: redis-server {real_bytes}, simulated {sim_bytes}"
            ));
        }
        let key = words.get(1).cloned().unwrap_or_default();
        let real_encoding = match real.command(&[
            b"OBJECT".to_vec(),
            b"ENCODING".to_vec(),
            key.clone().into_bytes(),
        ]) {
            Value::Bulk(e) => String::from_utf8_lossy(&e).into_owned(),
            _ => String::new(),
        };
        // OBJECT looks the key up, which deletes it (and propagates a DEL) if it
        // expired: TYPE does the same on the simulated node, which has no OBJECT.
        sim.command(m, &[b"TYPE".to_vec(), key.clone().into_bytes()]);
        // A hash table replies in the server's own order: compare those as sets.
        let how = match (words[0].as_str(), real_encoding.as_str()) {
            (_, "listpack" | "intset") => Compare::Exact,
            ("HGETALL", _) => Compare::Pairs,
            ("SMEMBERS" | "HKEYS" | "KEYS", _) => Compare::Sorted,
            _ => Compare::Exact,
        };
        if !same_reply(&argv, &want, &got, how) {
            let (w, g) = (format_reply(&want), format_reply(&got));
            mismatches.push(format!("{what}\n  redis-server: {w}\n  simulated:    {g}"));
        }
        if let Some(ours) = sim_encoding(&sim, db, &key) {
            if ours != real_encoding {
                mismatches.push(format!(
                    "{what}\n  encoding of {key}: redis-server {real_encoding}, simulated {ours}"
                ));
            }
        }
    }
    // The simulated replica applied the same stream: once it has arrived (and the
    // master's active expiry has deleted what expired, sending DELs), it holds
    // exactly the master's data, encodings and orders included.
    if multi_from.is_some() {
        sim.command(m, &[b"DISCARD".to_vec()]);
    }
    let later = sim.now().plus_ms(2000);
    sim.run_until(later);
    let (master, replica) = (sim.node(m).expect("m"), sim.node(r1).expect("r1"));
    for (i, (a, b)) in master.ks.dbs.iter().zip(&replica.ks.dbs).enumerate() {
        let a: Vec<_> = a.iter().collect();
        let b: Vec<_> = b.iter().collect();
        assert_eq!(
            a, b,
            "database {i} of the replica differs from the master's"
        );
    }
    assert!(
        mismatches.is_empty(),
        "{} of {count} commands differ (seed {seed}):\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
