//! Real server processes for every test that talks to one: free ports, one temp dir
//! each, started and stopped on demand, and always killed when dropped (also while
//! unwinding from a panic). On Linux each child also gets `PR_SET_PDEATHSIG`, so it
//! dies with the thread that started it even if the test binary is killed.
//!
//! A server runs one [`Version`] (default Redis 7.0, so every caller written before
//! versions existed keeps its meaning); [`server_path`] says which binary that is.
//!
//! One skip policy ([`require`], [`require_version`]): without a runnable server of the
//! version a test needs, the test says so (and how to install it) and passes on a
//! developer's machine, and fails under `CI=true` — CI never skips.

use super::resp::{Conn, Reply};
use replscope::version::Version;
use std::collections::HashSet;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The versions that have a real server to compare with (redis-2.6 is a replica
/// profile of the simulator only).
#[allow(dead_code)] // used by the conformance suite, which shares this file
pub const REAL_VERSIONS: [Version; 3] = [Version::Redis70, Version::Redis80, Version::Valkey81];

/// The environment variable naming a version's server binary, and where it is
/// otherwise looked for (relative paths are from the package root).
fn binary_for(v: Version) -> Option<(&'static str, &'static str)> {
    match v {
        Version::Redis70 => Some(("REDIS_SERVER", "/usr/bin/redis-server")),
        Version::Redis80 => Some(("REDIS_SERVER_8_0", "target/servers/bin/redis-server-8.0")),
        Version::Valkey81 => Some(("VALKEY_SERVER_8_1", "target/servers/bin/valkey-server-8.1")),
        Version::Redis26 => None,
    }
}

/// The server binary of version `v`: for redis-7.0 `$REDIS_SERVER`, else
/// `/usr/bin/redis-server`, else `redis-server` on `PATH`; for redis-8.0
/// `$REDIS_SERVER_8_0`, else `target/servers/bin/redis-server-8.0`; for valkey-8.1
/// `$VALKEY_SERVER_8_1`, else `target/servers/bin/valkey-server-8.1` (both installed by
/// `make servers`, tools/install-servers.sh).
///
/// # Errors
/// For redis-2.6, which has no real server here.
pub fn server_path(v: Version) -> Result<PathBuf, String> {
    let (var, default) = binary_for(v).ok_or_else(|| {
        format!(
            "{} has no real server (it is a replica profile of the simulator only)",
            v.name()
        )
    })?;
    if let Some(p) = std::env::var_os(var) {
        return Ok(PathBuf::from(p));
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(default);
    if path.exists() || v != Version::Redis70 {
        return Ok(path);
    }
    Ok(PathBuf::from("redis-server"))
}

/// The Redis 7.0 `redis-server` binary ([`server_path`] of redis-7.0).
pub fn redis_server_path() -> PathBuf {
    server_path(Version::Redis70).expect("redis-7.0 has a server")
}

/// `redis-check-rdb`, next to the 7.0 `redis-server`.
#[allow(dead_code)] // used by tests/rdb_real_server.rs, which shares this file
pub fn redis_check_rdb_path() -> PathBuf {
    let server = redis_server_path();
    match server.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join("redis-check-rdb"),
        _ => PathBuf::from("redis-check-rdb"),
    }
}

/// The version the 7.0 `redis-server --version` reports (`7.0.15`), or why it cannot run.
#[allow(dead_code)] // the conformance suite, which shares this file, uses require_version
pub fn redis_version() -> Result<String, String> {
    binary_version(Version::Redis70)
}

/// The version version `v`'s binary reports with `--version` (`8.1.1`), or why it
/// cannot run.
pub fn binary_version(v: Version) -> Result<String, String> {
    let path = server_path(v)?;
    let out = Command::new(&path)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find_map(|w| w.strip_prefix("v="))
        .map(str::to_string)
        .ok_or_else(|| {
            format!(
                "unexpected `{} --version` output: {}{}",
                path.display(),
                text.trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            )
        })
}

/// How to get version `v`'s server.
fn install_hint(v: Version) -> String {
    match binary_for(v) {
        Some(("REDIS_SERVER", _)) => {
            "install it (Debian: apt-get install redis-server) or set REDIS_SERVER".into()
        }
        Some((var, _)) => format!(
            "install it with `make servers` (tools/install-servers.sh: Debian 13's package, \
             unpacked into target/servers) or set {var}"
        ),
        None => "it has no real server".into(),
    }
}

/// The installed 7.0 `redis-server`'s version, or None when there is none: then `test`
/// is skipped with a message saying so, except under `CI=true`, where this panics (CI
/// never skips a comparison with the real server).
#[allow(dead_code)] // the conformance suite, which shares this file, uses require_version
pub fn require(test: &str) -> Option<String> {
    skip_or_fail(test, Version::Redis70, redis_version())
}

/// The exact version of version `v`'s server (`8.0.2`), which must be of that
/// version's series (`8.0.x` for redis-8.0); or None when it cannot be run or is of
/// another series, with the skip policy of [`require`].
#[allow(dead_code)] // used by the conformance suite, which shares this file
pub fn require_version(test: &str, v: Version) -> Option<String> {
    let series = v.profile().exact.rsplit_once('.').map_or("", |(s, _)| s);
    let found = binary_version(v).and_then(|found| {
        if found.starts_with(&format!("{series}.")) {
            Ok(found)
        } else {
            Err(format!(
                "{} reports version {found}, not {series}.x",
                server_path(v)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ))
        }
    });
    skip_or_fail(test, v, found)
}

fn skip_or_fail(test: &str, v: Version, found: Result<String, String>) -> Option<String> {
    match found {
        Ok(found) => Some(found),
        Err(e) => {
            let what = match v {
                Version::Valkey81 => "valkey-server",
                _ => "redis-server",
            };
            let msg = format!(
                "{test}: {what} {} could not be run ({e}); {}",
                v.profile().exact.rsplit_once('.').map_or("", |(s, _)| s),
                install_hint(v)
            );
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{msg} (required under CI=true)"
            );
            eprintln!("SKIPPED {msg}");
            None
        }
    }
}

static RESERVED: Mutex<Option<HashSet<u16>>> = Mutex::new(None);

/// A loopback port nobody listens on now, never handed out twice by this process.
pub fn free_port() -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("bind 127.0.0.1:0");
        let mut guard = RESERVED.lock().unwrap_or_else(|e| e.into_inner());
        if guard.get_or_insert_with(HashSet::new).insert(port) {
            return port;
        }
    }
}

/// One node's server: its version, its port, its directory, its startup arguments.
pub struct Server {
    /// Where it listens.
    pub port: u16,
    /// Its working directory (dump.rdb, log).
    pub dir: PathBuf,
    /// Which server it runs ([`server_path`]).
    pub version: Version,
    args: Vec<String>,
    child: Option<Child>,
}

impl Server {
    /// A Redis 7.0 server that will listen on `port` in `dir` with `args` after the basics.
    pub fn new(port: u16, dir: &Path, args: Vec<String>) -> Server {
        Server::with_version(Version::Redis70, port, dir, args)
    }

    /// A server of version `version` that will listen on `port` in `dir` with `args`
    /// after the basics.
    pub fn with_version(version: Version, port: u16, dir: &Path, args: Vec<String>) -> Server {
        Server {
            port,
            dir: dir.to_path_buf(),
            version,
            args,
            child: None,
        }
    }

    /// The log file.
    pub fn log_path(&self) -> PathBuf {
        self.dir.join("redis.log")
    }

    /// The last lines of the log, for error messages.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(self.log_path()).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Whether the process is alive.
    pub fn running(&mut self) -> bool {
        match self.child.as_mut() {
            Some(c) => matches!(c.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// Start the process and wait until it answers PING with PONG.
    pub fn start(&mut self) -> Result<(), String> {
        if self.running() {
            return Err(format!("server on port {} is already running", self.port));
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
        let binary = server_path(self.version)?;
        let mut cmd = Command::new(&binary);
        cmd.arg("--port")
            .arg(self.port.to_string())
            .arg("--dir")
            .arg(&self.dir)
            .arg("--bind")
            .arg("127.0.0.1")
            .arg("--daemonize")
            .arg("no")
            .arg("--logfile")
            .arg(self.log_path())
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if !self.running() {
                return Err(format!(
                    "{} on port {} exited at startup; log:\n{}",
                    self.version.name(),
                    self.port,
                    self.log_tail(15)
                ));
            }
            if let Ok(mut c) = Conn::connect(self.port, Duration::from_secs(2)) {
                if let Ok(Some(Reply::Status(s))) = c.call_str(&["PING"]) {
                    if s == "PONG" {
                        // Let the first serverCron (and with it replicationCron's
                        // loop 0) run before anything else happens.
                        sleep(Duration::from_millis(20));
                        return Ok(());
                    }
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{} on port {} never became ready",
                    self.version.name(),
                    self.port
                ));
            }
            sleep(Duration::from_millis(5));
        }
    }

    /// Wait for the process to exit by itself (after SHUTDOWN).
    pub fn wait_exit(&mut self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        while self.running() {
            if Instant::now() > deadline {
                return Err(format!("redis-server on port {} did not exit", self.port));
            }
            sleep(Duration::from_millis(5));
        }
        self.child = None;
        Ok(())
    }

    /// SIGKILL the process and reap it.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
