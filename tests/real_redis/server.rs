//! Real `redis-server` processes for every test that talks to one: free ports, one
//! temp dir each, started and stopped on demand, and always killed when dropped (also
//! while unwinding from a panic). On Linux each child also gets `PR_SET_PDEATHSIG`, so
//! it dies with the thread that started it even if the test binary is killed.
//!
//! One skip policy ([`require`]): without a runnable `redis-server`, a test says so and
//! passes on a developer's machine, and fails under `CI=true` — CI never skips.

use super::resp::{Conn, Reply};
use std::collections::HashSet;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The `redis-server` binary: `$REDIS_SERVER`, else `/usr/bin/redis-server`, else
/// the one on `PATH`.
pub fn redis_server_path() -> PathBuf {
    if let Some(p) = std::env::var_os("REDIS_SERVER") {
        return PathBuf::from(p);
    }
    let deb = PathBuf::from("/usr/bin/redis-server");
    if deb.exists() {
        return deb;
    }
    PathBuf::from("redis-server")
}

/// `redis-check-rdb`, next to `redis-server`.
#[allow(dead_code)] // used by tests/rdb_real_server.rs, which shares this file
pub fn redis_check_rdb_path() -> PathBuf {
    let server = redis_server_path();
    match server.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join("redis-check-rdb"),
        _ => PathBuf::from("redis-check-rdb"),
    }
}

/// The version `redis-server --version` reports (`7.0.15`), or why it cannot run.
pub fn redis_version() -> Result<String, String> {
    let path = redis_server_path();
    let out = Command::new(&path)
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .find_map(|w| w.strip_prefix("v="))
        .map(str::to_string)
        .ok_or_else(|| format!("unexpected `redis-server --version` output: {text}"))
}

/// The installed `redis-server`'s version, or None when there is none: then `test` is
/// skipped with a message saying so, except under `CI=true`, where this panics (CI
/// never skips a comparison with the real server).
pub fn require(test: &str) -> Option<String> {
    match redis_version() {
        Ok(v) => Some(v),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{test}: redis-server is required under CI=true and could not be run ({e}); \
                 install it (Debian: apt-get install redis-server) or set REDIS_SERVER"
            );
            eprintln!("SKIPPED {test}: redis-server could not be run ({e}); install it (Debian: apt-get install redis-server) or set REDIS_SERVER");
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

/// One node's server: its port, its directory, its startup arguments.
pub struct Server {
    /// Where it listens.
    pub port: u16,
    /// Its working directory (dump.rdb, log).
    pub dir: PathBuf,
    args: Vec<String>,
    child: Option<Child>,
}

impl Server {
    /// A server that will listen on `port` in `dir` with `args` after the basics.
    pub fn new(port: u16, dir: &Path, args: Vec<String>) -> Server {
        Server {
            port,
            dir: dir.to_path_buf(),
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
        let mut cmd = Command::new(redis_server_path());
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
            .map_err(|e| format!("cannot start {}: {e}", redis_server_path().display()))?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if !self.running() {
                return Err(format!(
                    "redis-server on port {} exited at startup; log:\n{}",
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
                    "redis-server on port {} never became ready",
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
