//! The one harness for the tests that talk to a real `redis-server`:
//! [`server`] starts and stops the processes (free loopback ports, a temp dir and a log
//! each, killed when dropped) and holds the one skip policy ([`server::require`]);
//! [`resp`] is a RESP client written apart from the simulator's own parser, so a
//! comparison never trusts the code it checks. The conformance suite and
//! tests/rdb_real_server.rs include those two files by path; the tests that compare
//! replies with the simulator's (command_replies, random_commands, explain_real) use
//! [`RedisServer`] and [`RespClient`] below, which give replies as the simulator's
//! [`Value`] so the two can be compared directly.
//!
//! Each test file that needs it says `mod real_redis;`; not every file uses every item.
#![allow(dead_code)]

pub mod resp;
pub mod server;

use replscope::cli::format_reply;
use replscope::resp::{self as sim_resp, Parsed, Value};
use replscope::version::Version;
use server::{free_port, Server};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A real server (Redis 7.0 unless asked otherwise) with the settings the comparison
/// tests want (no saves, no AOF, DEBUG allowed), killed when dropped (also on panic).
pub struct RedisServer {
    srv: Server,
    port: u16,
}

impl RedisServer {
    /// Start Redis 7.0's `redis-server` on a free port with `extra` arguments, or None
    /// (with a message; under `CI=true` a panic) if it is not installed
    /// ([`server::require`]).
    pub fn start(test: &str, extra: &[&str]) -> Option<RedisServer> {
        server::require(test)?;
        Some(Self::launch(test, Version::Redis70, extra))
    }

    /// Start the server of `version` (redis-7.0, redis-8.0 or valkey-8.1) on a free
    /// port with `extra` arguments, or None (with a message saying how to install it;
    /// under `CI=true` a panic) if it cannot be run ([`server::require_version`]).
    pub fn start_version(test: &str, version: Version, extra: &[&str]) -> Option<RedisServer> {
        server::require_version(test, version)?;
        Some(Self::launch(test, version, extra))
    }

    fn launch(test: &str, version: Version, extra: &[&str]) -> RedisServer {
        let port = free_port();
        let dir =
            std::env::temp_dir().join(format!("replscope-{test}-{}-{port}", std::process::id()));
        let mut args: Vec<String> = [
            "--save",
            "",
            "--appendonly",
            "no",
            "--enable-debug-command",
            "yes",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        let mut srv = Server::with_version(version, port, &dir, args);
        srv.start().unwrap_or_else(|e| panic!("{test}: {e}"));
        RedisServer { srv, port }
    }

    /// The version it runs.
    pub fn version(&self) -> Version {
        self.srv.version
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The process, to restart, kill or read the log of.
    pub fn server(&mut self) -> &mut Server {
        &mut self.srv
    }

    pub fn client(&self) -> RespClient {
        RespClient::connect(self.port)
    }

    /// A replica of this server (started with `--repl-diskless-sync no`: the RDB
    /// comes as `$<len>`): a client that did the handshake and read the full
    /// sync, returned once the master lists it as online (so writes are fed to it
    /// and `master_repl_offset` moves). What the master sends it next is the stream,
    /// which nobody reads: keep its writes well below the socket buffers.
    pub fn fake_replica(&self) -> RespClient {
        let mut replica = self.client();
        let ok = replica.cmd("REPLCONF capa eof capa psync2");
        assert_eq!(ok, Value::Simple("OK".into()), "REPLCONF");
        replica.send(&split("PSYNC ? -1"));
        read_full_sync(&mut replica);
        let mut admin = self.client();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let Value::Bulk(info) = admin.cmd("INFO replication") else {
                panic!("INFO");
            };
            if String::from_utf8_lossy(&info).contains("state=online") {
                return replica;
            }
            assert!(Instant::now() < deadline, "replica never came online");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.srv.kill();
        let _ = std::fs::remove_dir_all(&self.srv.dir);
    }
}

/// A minimal RESP2 client over a TcpStream.
pub struct RespClient {
    stream: TcpStream,
    /// Bytes read and not parsed yet.
    pub buf: Vec<u8>,
}

impl RespClient {
    pub fn connect(port: u16) -> RespClient {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        RespClient {
            stream,
            buf: Vec::new(),
        }
    }

    pub fn send(&mut self, argv: &[Vec<u8>]) {
        let mut out = Vec::new();
        sim_resp::encode_command(argv, &mut out);
        self.stream.write_all(&out).expect("write");
    }

    pub fn read_reply(&mut self) -> Value {
        loop {
            match sim_resp::parse_value(&self.buf).expect("valid RESP from redis-server") {
                Parsed::Done(v, used) => {
                    self.buf.drain(..used);
                    return v;
                }
                Parsed::Incomplete => self.fill(),
            }
        }
    }

    pub fn fill(&mut self) {
        let mut chunk = [0u8; 65536];
        let n = self.stream.read(&mut chunk).expect("read");
        assert!(n > 0, "redis-server closed the connection");
        self.buf.extend_from_slice(&chunk[..n]);
    }

    pub fn command(&mut self, argv: &[Vec<u8>]) -> Value {
        self.send(argv);
        self.read_reply()
    }

    pub fn cmd(&mut self, line: &str) -> Value {
        self.command(&split(line))
    }

    /// A field of `INFO replication` as an integer.
    pub fn master_repl_offset(&mut self) -> i64 {
        let Value::Bulk(text) = self.cmd("INFO replication") else {
            panic!("INFO replied with something else");
        };
        String::from_utf8_lossy(&text)
            .lines()
            .find_map(|l| l.strip_prefix("master_repl_offset:"))
            .and_then(|v| v.trim().parse().ok())
            .expect("master_repl_offset in INFO")
    }
}

/// Split a command line into arguments: spaces separate, `""` is an empty
/// argument, and double quotes may hold spaces and `\xHH` escapes.
pub fn split(line: &str) -> Vec<Vec<u8>> {
    let mut args = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let mut arg = Vec::new();
        if bytes[i] == b'"' {
            i += 1;
            while bytes[i] != b'"' {
                if bytes[i] == b'\\' && bytes[i + 1] == b'x' {
                    let hex = std::str::from_utf8(&bytes[i + 2..i + 4]).unwrap();
                    arg.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 4;
                } else {
                    arg.push(bytes[i]);
                    i += 1;
                }
            }
            i += 1;
        } else {
            while i < bytes.len() && bytes[i] != b' ' {
                arg.push(bytes[i]);
                i += 1;
            }
        }
        args.push(arg);
    }
    args
}

/// How two replies are compared.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Compare {
    /// As printed.
    Exact,
    /// Array elements in any order (KEYS, SMEMBERS, HKEYS ...: Redis's hash order).
    Sorted,
    /// Field-value pairs in any order (HGETALL).
    Pairs,
}

/// A reply in a form that does not depend on hash order.
pub fn normalize(v: &Value, how: Compare) -> String {
    match (how, v) {
        (Compare::Sorted, Value::Array(items)) => {
            let mut items = items.clone();
            items.sort_by_key(format_reply);
            format_reply(&Value::Array(items))
        }
        (Compare::Pairs, Value::Array(items)) => {
            let mut pairs: Vec<&[Value]> = items.chunks(2).collect();
            pairs.sort_by_key(|p| format_reply(&p[0]));
            format_reply(&Value::Array(pairs.concat()))
        }
        _ => format_reply(v),
    }
}

/// Whether two replies agree. A time to live that counts down (TTL, PTTL) may
/// be a second lower on the real server, whose clock moves while the script runs;
/// -1 and -2 must match exactly.
pub fn same_reply(argv: &[Vec<u8>], want: &Value, got: &Value, how: Compare) -> bool {
    let tolerance = match argv[0].to_ascii_lowercase().as_slice() {
        b"ttl" => 1,
        b"pttl" => 1000,
        _ => 0,
    };
    match (want, got) {
        (Value::Integer(a), Value::Integer(b)) if tolerance > 0 && *a >= 0 && *b >= 0 => {
            (b - a).abs() <= tolerance
        }
        _ => normalize(want, how) == normalize(got, how),
    }
}

/// Read the `+FULLRESYNC` line and the `$<len>` RDB payload a master sends a
/// new replica (skipping the newlines it sends while it prepares the RDB).
fn read_full_sync(client: &mut RespClient) {
    fn line(c: &mut RespClient) -> String {
        loop {
            while c.buf.first() == Some(&b'\n') {
                c.buf.remove(0);
            }
            if let Some(pos) = c.buf.windows(2).position(|w| w == b"\r\n") {
                let l = String::from_utf8_lossy(&c.buf[..pos]).into_owned();
                c.buf.drain(..pos + 2);
                return l;
            }
            c.fill();
        }
    }
    let reply = line(client);
    assert!(reply.starts_with("+FULLRESYNC"), "PSYNC answered {reply}");
    let header = line(client);
    let len: usize = header
        .strip_prefix('$')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("expected $<len>, got {header:?}"));
    while client.buf.len() < len {
        client.fill();
    }
    client.buf.drain(..len);
}
