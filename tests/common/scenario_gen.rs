//! The random scenarios of the fuzz tests (tests/fuzz.rs runs them through the CLI's
//! runner, tests/fuzz_page.rs through the page's playground): nodes with boundary
//! configuration values, writes, waits, faults, restarts, expects, console commands
//! that block, and — in a third of them — lines of random bytes and mangled characters.
#![allow(dead_code)]

use replscope::rng::Rng;

const NAMES: [&str; 4] = ["m", "r1", "r2", "r3"];

struct Gen {
    rng: Rng,
}

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        self.rng.below(n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A node parameter at the edge of what it accepts (or, when `hostile`, sometimes
/// just past it).
fn param(g: &mut Gen, hostile: bool) -> String {
    let good = [
        "repl-backlog-size=1",
        "repl-backlog-size=16kb",
        "repl-backlog-size=1k",
        "repl-timeout=1",
        "repl-timeout=2147483647",
        "hz=1",
        "hz=500",
        "repl-diskless-sync=no",
        "repl-diskless-sync=yes",
        "repl-diskless-sync-delay=0",
        "repl-diskless-sync-delay=5",
        "repl-ping-replica-period=1",
        "client-output-buffer-limit=\"replica 20kb 10kb 2\"",
        "client-output-buffer-limit=\"replica 1 1 0\"",
        "min-replicas-to-write=1",
        "databases=1",
        "databases=4096",
        "proto-max-bulk-len=1mb",
        "save=\"\"",
        "replica-read-only=no",
    ];
    // Just past the edges: rejected with a message naming the parameter, never a panic.
    let past = [
        "repl-backlog-size=0",
        "repl-timeout=0",
        "hz=501",
        "min-replicas-max-lag=0",
        "databases=4097",
        "databases=0",
        "port=1",
        "port=65535",
        "port=65536",
        "repl-backlog-ttl=0",
        "maxmemory=1mb",
        "bogus-param=1",
    ];
    if !hostile || g.chance(70) {
        g.pick(&good).to_string()
    } else {
        g.pick(&past).to_string()
    }
}

fn key(g: &mut Gen) -> String {
    format!("k{}", g.below(6))
}

fn value(g: &mut Gen) -> String {
    match g.below(4) {
        0 => String::from("\"\""),
        1 => format!("{}", g.rng.next_u64() as i64),
        2 => "x".repeat(g.below(3000)),
        _ => format!("v{}", g.below(100)),
    }
}

fn command(g: &mut Gen, nodes: &[String]) -> String {
    let n = &nodes[g.below(nodes.len())];
    let other = &nodes[g.below(nodes.len())];
    let body = match g.below(22) {
        0..=5 => format!("SET {} {}", key(g), value(g)),
        6 => format!("INCR {}", key(g)),
        7 => format!("APPEND {} {}", key(g), value(g)),
        8 => format!("SETRANGE {} {} x", key(g), g.below(100_000)),
        9 => format!("EXPIRE {} {}", key(g), g.below(5)),
        10 => format!("SELECT {}", g.below(20)),
        11 => format!("DEL {}", key(g)),
        12 => "MULTI".into(),
        13 => "EXEC".into(),
        14 => format!("REPLICAOF {other}"),
        15 => "REPLICAOF NO ONE".into(),
        16 => format!("WAIT {} {}", g.below(3), g.below(3000)),
        17 => "INFO replication".into(),
        18 => format!("LPUSH l{} {}", g.below(3), value(g)),
        19 => format!(
            "CONFIG SET repl-backlog-size {}",
            g.pick(&["1", "1mb", "0", "-1"])
        ),
        20 => g
            .pick(&[
                "FLUSHALL",
                "SAVE",
                "DBSIZE",
                "ROLE",
                "PSYNC ? -1",
                "SHUTDOWN",
            ])
            .into(),
        _ => format!("GET {}", key(g)),
    };
    let prompt = if g.chance(10) { "send " } else { "" };
    format!("{prompt}{n}> {body}")
}

fn duration(g: &mut Gen) -> String {
    match g.below(5) {
        0 => format!("{}us", g.below(5000)),
        1 => format!("{}ms", g.below(3000)),
        2 => format!("{}s", g.below(40)),
        3 => "sync".into(),
        _ => format!("{}m", g.below(3)),
    }
}

/// A line of random bytes from an alphabet rich in the lexer's special characters.
fn garbage(g: &mut Gen) -> String {
    const CHARS: &[char] = &[
        'a', 'm', '>', ' ', '"', '\'', '\\', 'x', '=', '\r', '\t', '#', '0', '9', '-', 'é',
        '\u{feff}', '\u{b}', '.',
    ];
    (0..g.below(30))
        .map(|_| CHARS[g.below(CHARS.len())])
        .collect()
}

/// The scenario of case `seed`.
pub fn scenario(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng::new(seed),
    };
    let mut s = String::new();
    // A third of the cases are hostile: bad values, lines of random bytes, mangling.
    let hostile = g.chance(33);
    if g.chance(20) {
        s.push_str(&format!("seed {}\n", g.rng.next_u64()));
    }
    let count = 1 + g.below(4);
    let nodes: Vec<String> = NAMES[..count].iter().map(|n| n.to_string()).collect();
    for (i, n) in nodes.iter().enumerate() {
        s.push_str(&format!("node {n}"));
        if i > 0 && g.chance(80) {
            s.push_str(&format!(" replicaof={}", nodes[g.below(i)]));
        }
        let mut given: Vec<String> = Vec::new();
        for _ in 0..g.below(3) {
            let p = param(&mut g, hostile);
            let name = p.split('=').next().unwrap_or("").to_string();
            if hostile || !given.contains(&name) {
                s.push(' ');
                s.push_str(&p);
                given.push(name);
            }
        }
        s.push('\n');
    }
    for _ in 0..g.below(25) {
        let a = &nodes[g.below(count)];
        // Two different nodes (one node alone gets no pair statements).
        let b = &nodes[(nodes.iter().position(|n| n == a).unwrap_or(0)
            + 1
            + g.below(count.max(2) - 1))
            % count];
        let pair_ok = a != b || hostile;
        let line = match g.below(if hostile { 20 } else { 19 }) {
            0..=6 => command(&mut g, &nodes),
            7..=9 => format!("wait {}", duration(&mut g)),
            10..=15 if !pair_ok => format!("wait {}", duration(&mut g)),
            10 => format!("disconnect {a} {b}"),
            11 => format!("reconnect {a} {b}"),
            12 => format!("partition {a} {b}"),
            13 => format!("heal {a} {b}"),
            14 => format!("{} {a}", g.pick(&["crash", "start", "restart"])),
            15 => format!("lose {a} {b} {}", 1 + g.below(3)),
            16 => format!(
                "link {a} {b} latency={}ms bandwidth={}",
                g.below(200),
                g.pick(&["1mbit", "10kbit", "1gbit"])
            ),
            17 => format!(
                "expect {a} {} {} {}",
                g.pick(&[
                    "master_repl_offset",
                    "master_link_status",
                    "db0.keys",
                    "role"
                ]),
                g.pick(&["=", "!=", ">=", "<"]),
                g.pick(&["0", "up", "r1.master_repl_offset", "master"])
            ),
            18 => format!("expect {a}> GET {} => {}", key(&mut g), value(&mut g)),
            _ => garbage(&mut g),
        };
        s.push_str(&line);
        s.push('\n');
    }
    // Sometimes flip a few characters anywhere (a mangled file).
    if hostile && g.chance(40) {
        let mut chars: Vec<char> = s.chars().collect();
        for _ in 0..1 + g.below(3) {
            let i = g.below(chars.len());
            chars[i] = ['\r', '"', '\\', '=', ' ', '\n', 'z', '\0'][g.below(8)];
        }
        s = chars.into_iter().collect();
    }
    s
}

/// `name` from the environment as a number, or `default`.
pub fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Cap the whole test process's address space at `bytes`: a runaway allocation then
/// aborts it instead of swapping.
pub fn limit_address_space(bytes: u64) {
    let lim = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: bytes,
    };
    // SAFETY: setrlimit reads the struct we pass.
    unsafe { libc::setrlimit(libc::RLIMIT_AS, &lim) };
}

/// A watchdog for cases run one after another: a case that runs over `limit` ends
/// the process, naming its seed and printing its scenario (`who` starts the line).
pub struct Watchdog {
    current: std::sync::Arc<std::sync::atomic::AtomicU64>,
    started: std::sync::Arc<std::sync::atomic::AtomicU64>,
    t0: std::time::Instant,
}

impl Watchdog {
    pub fn start(who: &'static str, limit: std::time::Duration) -> Watchdog {
        use std::sync::atomic::{AtomicU64, Ordering};
        let current = std::sync::Arc::new(AtomicU64::new(u64::MAX));
        let started = std::sync::Arc::new(AtomicU64::new(0));
        let t0 = std::time::Instant::now();
        let (c, s) = (current.clone(), started.clone());
        std::thread::spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_millis(200));
            let seed = c.load(Ordering::SeqCst);
            let since = t0.elapsed().as_millis() as u64 - s.load(Ordering::SeqCst);
            if seed != u64::MAX && since > limit.as_millis() as u64 {
                eprintln!(
                    "{who}: case seed {seed} ran over {limit:?}:\n{}",
                    scenario(seed)
                );
                std::process::abort();
            }
        });
        Watchdog {
            current,
            started,
            t0,
        }
    }

    /// Case `seed` begins.
    pub fn begin(&self, seed: u64) {
        use std::sync::atomic::Ordering;
        self.started
            .store(self.t0.elapsed().as_millis() as u64, Ordering::SeqCst);
        self.current.store(seed, Ordering::SeqCst);
    }

    /// The case ended.
    pub fn end(&self) {
        self.current
            .store(u64::MAX, std::sync::atomic::Ordering::SeqCst);
    }

    /// Seconds since the watchdog started.
    pub fn elapsed_s(&self) -> f64 {
        self.t0.elapsed().as_secs_f64()
    }
}
