//! The real side: the same statements played against `redis-server` processes.
//!
//! Verb mapping (docs/conformance.md has the why):
//! - `node NAME k=v ...` starts `redis-server --port P --dir D --k v ...`; with
//!   `replicaof=OTHER` → `--replicaof 127.0.0.1 <OTHER's port>`; `version=V` picks the
//!   binary (`server::server_path`: redis-server 7.0 by default, Redis 8.0's or Valkey
//!   8.1's server) and is not passed on; `version NAME` sets it for the `node` lines
//!   after it that name none.
//! - `NAME> CMD ...` goes over the node's one console connection (REPLICAOF OTHER is
//!   rewritten to 127.0.0.1 and OTHER's port).
//! - `wait DUR` sleeps; `wait sync` polls INFO (see [`RealWorld::wait_sync`]).
//! - `disconnect A B` points the replica of the two at a dead port (`REPLICAOF
//!   127.0.0.1 <unused port>`: the master client is cached, so the way back can
//!   PSYNC); `reconnect A B` points it back.
//! - `restart` is SHUTDOWN then a start with the same arguments in the same dir;
//!   `crash` is SIGKILL; `start` starts.

use crate::cli_format;
use crate::resp::{Conn, Reply};
use crate::server::{free_port, Server};
use crate::transcript::{
    acks_settled, holds, is_slave_n, lookup, reply_matches, sub_item, Entry, Obs, Transcript,
};
use replscope::scenario::ast::{Operand, Param, Scenario, Stmt, StmtKind};
use replscope::version::Version;
use std::collections::BTreeMap;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long `wait sync` may take in real time.
const WAIT_SYNC_LIMIT: Duration = Duration::from_secs(30);
/// How long a console command may take (WAIT gets its own timeout on top).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

struct RealNode {
    name: String,
    server: Server,
    /// The node's `node` line has run.
    declared: bool,
    /// The console connection (one redis-cli session).
    console: Option<Conn>,
    /// A second connection for INFO polls, so they never disturb the console's
    /// SELECT or MULTI state.
    control: Option<Conn>,
    /// Set while this replica is pointed at the dead port instead of that master.
    cut_from: Option<usize>,
}

/// A cluster of real servers for one scenario.
pub struct RealWorld {
    nodes: Vec<RealNode>,
    index: BTreeMap<String, usize>,
    dead_port: u16,
    root: Option<tempfile::TempDir>,
    /// The version of a node whose `node` line names none (`version NAME` sets it).
    default_version: Version,
    /// Diskless full syncs whose stream start was already made sure of.
    stream_starts_seen: std::collections::HashSet<String>,
}

type Fields = Vec<(String, String)>;

impl RealWorld {
    /// Ports and directories for every node the scenario declares.
    pub fn new(scenario: &Scenario) -> Result<RealWorld, String> {
        let root = tempfile::Builder::new()
            .prefix("replscope-conformance-")
            .tempdir()
            .map_err(|e| format!("temp dir: {e}"))?;
        let mut nodes = Vec::new();
        let mut index = BTreeMap::new();
        for name in scenario.node_names() {
            index.insert(name.to_string(), nodes.len());
            nodes.push(RealNode {
                name: name.to_string(),
                server: Server::new(free_port(), &root.path().join(name), Vec::new()),
                declared: false,
                console: None,
                control: None,
                cut_from: None,
            });
        }
        Ok(RealWorld {
            nodes,
            index,
            dead_port: free_port(),
            default_version: Version::default(),
            root: Some(root),
            stream_starts_seen: Default::default(),
        })
    }

    /// Keep the directories (logs, RDB files) after the run; returns where.
    pub fn keep_dirs(&mut self) -> Option<std::path::PathBuf> {
        self.root.take().map(|r| r.keep())
    }

    fn id(&self, name: &str) -> Result<usize, String> {
        self.index
            .get(name)
            .copied()
            .ok_or_else(|| format!("unknown node '{name}'"))
    }

    fn port_of(&self, name: &str) -> Option<u16> {
        self.index.get(name).map(|&i| self.nodes[i].server.port)
    }

    /// The server version and the command-line arguments of a `node` line.
    fn args_for(&self, params: &[Param]) -> Result<(Version, Vec<String>), String> {
        let mut args = Vec::new();
        let mut version = self.default_version;
        for p in params {
            let key = p.key.to_ascii_lowercase();
            if key == "version" {
                version = Version::parse(&p.value)?;
            } else if key == "replicaof" || key == "slaveof" {
                let v = p.value.trim();
                args.push("--replicaof".to_string());
                if v.contains(' ') {
                    args.extend(v.split_whitespace().map(str::to_string));
                } else {
                    let port = self
                        .port_of(v)
                        .ok_or_else(|| format!("replicaof: unknown node '{v}'"))?;
                    args.push("127.0.0.1".into());
                    args.push(port.to_string());
                }
            } else {
                args.push(format!("--{}", p.key));
                args.push(p.value.clone());
            }
        }
        Ok((version, args))
    }

    fn start(&mut self, i: usize) -> Result<(), String> {
        if self.nodes[i].cut_from.is_some() {
            return Err(format!(
                "cannot reproduce: starting {} while it is disconnected from its master \
                 (a real server connects to its configured master at once)",
                self.nodes[i].name
            ));
        }
        let n = &mut self.nodes[i];
        n.console = None;
        n.control = None;
        n.server.start()?;
        n.console = Some(Conn::connect(n.server.port, COMMAND_TIMEOUT).map_err(|e| e.to_string())?);
        Ok(())
    }

    fn control(&mut self, i: usize) -> Result<&mut Conn, String> {
        let n = &mut self.nodes[i];
        if n.control.is_none() {
            n.control = Some(
                Conn::connect(n.server.port, COMMAND_TIMEOUT)
                    .map_err(|e| format!("{}: {e}", n.name))?,
            );
        }
        Ok(n.control.as_mut().expect("just set"))
    }

    fn control_call(&mut self, i: usize, args: &[&str]) -> Result<Option<Reply>, String> {
        let name = self.nodes[i].name.clone();
        let r = self.control(i)?.call_str(args);
        match r {
            Ok(r) => Ok(r),
            Err(e) => {
                self.nodes[i].control = None;
                Err(format!("{name}: {e}"))
            }
        }
    }

    /// INFO of a running node (None when it is not running).
    fn info(&mut self, i: usize, section: Option<&str>) -> Result<Option<Fields>, String> {
        if !self.nodes[i].server.running() {
            return Ok(None);
        }
        let mut args = vec!["INFO"];
        args.extend(section.iter().flat_map(|s| s.split_whitespace()));
        match self.control_call(i, &args)? {
            Some(Reply::Bulk(Some(b))) => Ok(Some(crate::transcript::parse_info(
                &String::from_utf8_lossy(&b),
            ))),
            other => Err(format!("INFO: unexpected reply {other:?}")),
        }
    }

    /// Whether the cluster is in sync, by the definition of the simulator's
    /// `Sim::sync_status` (every running replica: link up, applied offset equal to
    /// its master's `master_repl_offset`, listed online by that master), and every
    /// master holds its online replicas' ACKs for its whole stream.
    fn sync_status(&mut self) -> Result<Result<(), String>, String> {
        let mut infos: Vec<Option<Fields>> = Vec::new();
        for i in 0..self.nodes.len() {
            infos.push(self.info(i, Some("replication persistence"))?);
        }
        for (i, f) in infos.iter().enumerate() {
            let Some(f) = f else { continue };
            let name = &self.nodes[i].name;
            // Redis 8.0's rdb-channel full sync puts the replica online before the
            // master has reaped the RDB child (its cron does, up to 100 ms later); a
            // 7.0 master reaps it first. A SAVE right after `wait sync` must not race it.
            if lookup(f, "rdb_bgsave_in_progress").as_deref() == Some("1") {
                return Ok(Err(format!("{name}: a fork is still running")));
            }
            if lookup(f, "role").as_deref() != Some("slave") {
                continue;
            }
            let mport = lookup(f, "master_port").unwrap_or_default();
            let Some(m) = self
                .nodes
                .iter()
                .position(|n| n.server.port.to_string() == mport)
            else {
                return Ok(Err(format!("{name}: its master (port {mport}) is no node")));
            };
            let Some(mf) = infos[m].as_ref() else {
                return Ok(Err(format!(
                    "{name}: master {} is not running",
                    self.nodes[m].name
                )));
            };
            if lookup(f, "master_link_status").as_deref() != Some("up") {
                return Ok(Err(format!("{name}: link down")));
            }
            let (off, moff) = (
                lookup(f, "slave_repl_offset"),
                lookup(mf, "master_repl_offset"),
            );
            if off != moff {
                return Ok(Err(format!(
                    "{name}: offset {off:?} != {}'s {moff:?}",
                    self.nodes[m].name
                )));
            }
            let my_port = self.nodes[i].server.port.to_string();
            let online = mf.iter().any(|(k, v)| {
                is_slave_n(k)
                    && sub_item(v, "port").as_deref() == Some(my_port.as_str())
                    && sub_item(v, "state").as_deref() == Some("online")
            });
            if !online {
                return Ok(Err(format!(
                    "{name}: {} does not list it online",
                    self.nodes[m].name
                )));
            }
        }
        for (i, f) in infos.iter().enumerate() {
            if let Some(f) = f {
                if !acks_settled(f) {
                    return Ok(Err(format!("{}: replica ACKs pending", self.nodes[i].name)));
                }
            }
        }
        Ok(Ok(()))
    }

    /// After a diskless full sync a 7.0 master marks the replica online when the
    /// child exits, but sends the stream only after the replica's next `REPLCONF
    /// ACK` (`repl_start_cmd_stream_on_ack`). The replica ACKs right after loading;
    /// if that ACK beat the master's noticing the child's exit (it is checked by
    /// cron), the stream starts only with the replica's next once-a-second ACK.
    /// INFO shows `online` either way, so the logs tell: if the replica finished
    /// loading no later than the master logged "Waiting for REPLCONF ACK", wait
    /// for that next ACK. (The simulator's `wait sync` sees the flag itself.)
    fn stream_start_pending(&mut self) -> bool {
        let mut pending = false;
        for i in 0..self.nodes.len() {
            if !self.nodes[i].server.running() {
                continue;
            }
            let replica_log =
                std::fs::read_to_string(self.nodes[i].server.log_path()).unwrap_or_default();
            let Some(finished) = replica_log
                .lines()
                // Valkey says PRIMARY where Redis says MASTER.
                .rfind(|l| l.contains("<-> REPLICA sync: Finished with success"))
                .and_then(log_time)
            else {
                continue;
            };
            let me = format!("127.0.0.1:{} ", self.nodes[i].server.port);
            for m in 0..self.nodes.len() {
                if m == i {
                    continue;
                }
                let log =
                    std::fs::read_to_string(self.nodes[m].server.log_path()).unwrap_or_default();
                let Some(line) = log.lines().rfind(|l| {
                    // Valkey says "from replica" where Redis says "from slave".
                    (l.contains("Waiting for REPLCONF ACK from slave to enable streaming")
                        || l.contains("Waiting for REPLCONF ACK from replica to enable streaming"))
                        && l.contains(&me)
                }) else {
                    continue;
                };
                let key = format!("{m}:{line}");
                if self.stream_starts_seen.contains(&key) {
                    continue;
                }
                self.stream_starts_seen.insert(key);
                let raced = match log_time(line) {
                    Some(online) => finished.0 != online.0 || finished.1 <= online.1,
                    None => true,
                };
                pending |= raced;
            }
        }
        pending
    }

    fn wait_sync(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + WAIT_SYNC_LIMIT;
        loop {
            let status = self.sync_status()?;
            match status {
                Ok(()) if self.stream_start_pending() => sleep(Duration::from_millis(1100)),
                Ok(()) => return Ok(()),
                Err(why) if Instant::now() > deadline => {
                    return Err(format!(
                        "wait sync: not in sync after {} s ({why})",
                        WAIT_SYNC_LIMIT.as_secs()
                    ))
                }
                Err(_) => sleep(Duration::from_millis(5)),
            }
        }
    }

    /// Which of the two is the other's replica: (replica, master).
    fn replica_pair(&mut self, a: usize, b: usize) -> Result<Option<(usize, usize)>, String> {
        for (r, m) in [(a, b), (b, a)] {
            if let Some(f) = self.info(r, Some("replication"))? {
                let port = self.nodes[m].server.port.to_string();
                if lookup(&f, "role").as_deref() == Some("slave")
                    && lookup(&f, "master_port").as_deref() == Some(port.as_str())
                {
                    return Ok(Some((r, m)));
                }
            }
        }
        Ok(None)
    }

    fn disconnect(&mut self, a: usize, b: usize) -> Result<(), String> {
        let Some((r, m)) = self.replica_pair(a, b)? else {
            return Err(format!(
                "cannot reproduce: disconnect {} {}: neither is the other's replica",
                self.nodes[a].name, self.nodes[b].name
            ));
        };
        let dead = self.dead_port.to_string();
        match self.control_call(r, &["REPLICAOF", "127.0.0.1", &dead])? {
            Some(Reply::Status(s)) if s.starts_with("OK") => {}
            other => return Err(format!("REPLICAOF to the dead port: {other:?}")),
        }
        self.nodes[r].cut_from = Some(m);
        // Both ends notice at once in the simulator; wait until the master has.
        let port = self.nodes[r].server.port.to_string();
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let listed = self.info(m, Some("replication"))?.is_some_and(|f| {
                f.iter().any(|(k, v)| {
                    is_slave_n(k) && sub_item(v, "port").as_deref() == Some(port.as_str())
                })
            });
            if !listed {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err("disconnect: the master never noticed".into());
            }
            sleep(Duration::from_millis(2));
        }
    }

    fn reconnect(&mut self, a: usize, b: usize) -> Result<(), String> {
        for (r, m) in [(a, b), (b, a)] {
            if self.nodes[r].cut_from == Some(m) {
                self.nodes[r].cut_from = None;
                // Point it back only if it still follows the dead port: it may have
                // been promoted (REPLICAOF NO ONE) or sent elsewhere meanwhile.
                let dead = self.dead_port.to_string();
                let still_cut = self.info(r, Some("replication"))?.is_some_and(|f| {
                    lookup(&f, "role").as_deref() == Some("slave")
                        && lookup(&f, "master_port").as_deref() == Some(dead.as_str())
                });
                if still_cut {
                    let port = self.nodes[m].server.port.to_string();
                    match self.control_call(r, &["REPLICAOF", "127.0.0.1", &port])? {
                        Some(Reply::Status(s)) if s.starts_with("OK") => {}
                        other => return Err(format!("REPLICAOF back: {other:?}")),
                    }
                }
            }
        }
        Ok(())
    }

    /// Each node's port and name.
    fn ports(&self) -> Vec<(u16, String)> {
        self.nodes
            .iter()
            .map(|n| (n.server.port, n.name.clone()))
            .collect()
    }

    fn resolve(&self, argv: &[Vec<u8>]) -> Vec<Vec<u8>> {
        // `FAILOVER ... TO NAME port ...`: the node's real address.
        if argv[0].eq_ignore_ascii_case(b"failover") {
            let mut sent = argv.to_vec();
            if let Some(i) = argv.iter().position(|a| a.eq_ignore_ascii_case(b"to")) {
                if i + 2 < argv.len() {
                    if let Some(port) = self.port_of(&String::from_utf8_lossy(&argv[i + 1])) {
                        sent[i + 1] = b"127.0.0.1".to_vec();
                        sent[i + 2] = port.to_string().into_bytes();
                    }
                }
            }
            return sent;
        }
        if argv.len() == 2
            && (argv[0].eq_ignore_ascii_case(b"replicaof")
                || argv[0].eq_ignore_ascii_case(b"slaveof"))
        {
            if let Some(port) = self.port_of(&String::from_utf8_lossy(&argv[1])) {
                return vec![
                    argv[0].clone(),
                    b"127.0.0.1".to_vec(),
                    port.to_string().into_bytes(),
                ];
            }
        }
        argv.to_vec()
    }

    /// A console command; returns what redis-cli prints.
    fn command(&mut self, i: usize, argv: &[Vec<u8>]) -> Result<String, String> {
        let sent = self.resolve(argv);
        let port = self.nodes[i].server.port;
        if !self.nodes[i].server.running() {
            // As the version's own cli prints it (valkey-cli says "Valkey").
            let product = match self.nodes[i].server.version {
                Version::Valkey81 => "Valkey",
                _ => "Redis",
            };
            return Ok(format!(
                "Could not connect to {product} at 127.0.0.1:{port}: Connection refused"
            ));
        }
        let is = |name: &[u8]| argv[0].eq_ignore_ascii_case(name);
        let n = &mut self.nodes[i];
        if n.console.is_none() {
            n.console = Some(Conn::connect(port, COMMAND_TIMEOUT).map_err(|e| e.to_string())?);
        }
        let conn = n.console.as_mut().expect("connected");
        let timeout = if is(b"wait") {
            let ms: u64 = argv
                .get(2)
                .and_then(|a| String::from_utf8_lossy(a).parse().ok())
                .unwrap_or(0);
            if ms == 0 {
                Duration::from_secs(600)
            } else {
                Duration::from_millis(ms) + COMMAND_TIMEOUT
            }
        } else if is(b"shutdown") {
            Duration::from_secs(60)
        } else {
            COMMAND_TIMEOUT
        };
        conn.set_timeout(timeout).map_err(|e| e.to_string())?;
        let reply = conn.call(&sent);
        let _ = conn.set_timeout(COMMAND_TIMEOUT);
        match reply {
            Ok(Some(r)) => {
                let r = if is(b"role") {
                    role_as_sim_names(r, &self.ports())
                } else {
                    r
                };
                Ok(cli_format::format(argv, &r))
            }
            Ok(None) => {
                n.console = None;
                n.control = None;
                if is(b"shutdown") {
                    n.server.wait_exit(Duration::from_secs(30))?;
                    Ok(String::new())
                } else {
                    Err(format!("{}: the server closed the connection", n.name))
                }
            }
            Err(e) => {
                n.console = None;
                Err(format!("{}: {e}", n.name))
            }
        }
    }

    fn restart(&mut self, i: usize) -> Result<(), String> {
        if !self.nodes[i].server.running() {
            return Err(format!("node '{}' is not running", self.nodes[i].name));
        }
        match self.control_call(i, &["SHUTDOWN"])? {
            None => {}
            Some(r) => return Err(format!("SHUTDOWN failed: {r:?}")),
        }
        let n = &mut self.nodes[i];
        n.console = None;
        n.control = None;
        n.server.wait_exit(Duration::from_secs(30))?;
        self.start(i)
    }

    /// A host or port as the simulator names it: every simulated node is a host
    /// named after the node, listening on 6379. So `master_host` 127.0.0.1 (with
    /// `master_port` of node m) reads `m`, `slaveN.ip` reads the replica's name,
    /// and the port of any node reads 6379. Other values are left alone.
    fn as_sim_names(&self, fields: &Fields, field: &str, value: String) -> Option<String> {
        let node_at = |port: &str| {
            self.nodes
                .iter()
                .find(|n| n.server.port.to_string() == port)
                .map(|n| n.name.clone())
        };
        let (base, sub) = field.split_once('.').unwrap_or((field, ""));
        let mapped = match (base, sub) {
            ("master_host", "") => lookup(fields, "master_port").and_then(|p| node_at(&p)),
            (b, "ip") if is_slave_n(b) => {
                lookup(fields, &format!("{b}.port")).and_then(|p| node_at(&p))
            }
            ("master_port" | "tcp_port", "") => node_at(&value).map(|_| "6379".to_string()),
            (b, "port") if is_slave_n(b) => node_at(&value).map(|_| "6379".to_string()),
            _ => None,
        };
        Some(mapped.unwrap_or(value))
    }

    fn expect_info(
        &mut self,
        node: &str,
        field: &str,
        op: replscope::scenario::ast::CmpOp,
        rhs: &Operand,
    ) -> Result<Obs, String> {
        let i = self.id(node)?;
        let left = self
            .info(i, None)?
            .and_then(|f| self.as_sim_names(&f, field, lookup(&f, field)?));
        let (right_field, right) = match rhs {
            Operand::Literal(v) => (None, Some(v.clone())),
            Operand::NodeField { node: o, field: f } => {
                let j = self.id(o)?;
                let v = self
                    .info(j, None)?
                    .and_then(|x| self.as_sim_names(&x, f, lookup(&x, f)?));
                (Some(f.clone()), v)
            }
        };
        let held = match (&left, &right) {
            (Some(l), Some(r)) => holds(l, op, r)?,
            _ => false,
        };
        Ok(Obs::ExpectInfo {
            field: field.to_string(),
            left,
            right_field,
            right,
            held,
        })
    }

    fn step(&mut self, stmt: &Stmt) -> Result<Option<Obs>, String> {
        match &stmt.kind {
            StmtKind::Seed(_) => {}
            StmtKind::Version(v) => self.default_version = *v,
            StmtKind::Node { name, params } => {
                let i = self.id(name)?;
                if self.nodes[i].declared {
                    return Err(format!("node '{name}' already exists"));
                }
                let (version, args) = self.args_for(params)?;
                let port = self.nodes[i].server.port;
                let dir = self.nodes[i].server.dir.clone();
                self.nodes[i].server = Server::with_version(version, port, &dir, args);
                self.nodes[i].declared = true;
                self.start(i)?;
            }
            StmtKind::Command { node, argv } => {
                let i = self.id(node)?;
                let text = self.command(i, argv)?;
                return Ok(Some(Obs::Reply {
                    argv: argv.clone(),
                    text,
                }));
            }
            StmtKind::Wait { duration_us } => sleep(Duration::from_micros(*duration_us)),
            StmtKind::WaitSync => self.wait_sync()?,
            StmtKind::Disconnect { a, b } => {
                let (a, b) = (self.id(a)?, self.id(b)?);
                self.disconnect(a, b)?;
            }
            StmtKind::Reconnect { a, b } => {
                let (a, b) = (self.id(a)?, self.id(b)?);
                self.reconnect(a, b)?;
            }
            StmtKind::Crash { node } => {
                let i = self.id(node)?;
                if !self.nodes[i].server.running() {
                    return Err(format!("node '{node}' is not running"));
                }
                let n = &mut self.nodes[i];
                n.console = None;
                n.control = None;
                n.server.kill();
            }
            StmtKind::Restart { node } => {
                let i = self.id(node)?;
                self.restart(i)?;
            }
            StmtKind::Start { node } => {
                let i = self.id(node)?;
                if self.nodes[i].server.running() {
                    return Err(format!("node '{node}' is already running"));
                }
                self.start(i)?;
            }
            StmtKind::ExpectInfo {
                node,
                field,
                op,
                rhs,
            } => return self.expect_info(node, field, *op, rhs).map(Some),
            StmtKind::ExpectReply {
                node,
                argv,
                expected,
            } => {
                let i = self.id(node)?;
                let text = self.command(i, argv)?;
                let held = reply_matches(&text, expected);
                return Ok(Some(Obs::ExpectReply {
                    argv: argv.clone(),
                    text,
                    held,
                }));
            }
            StmtKind::Link { .. }
            | StmtKind::Partition { .. }
            | StmtKind::Heal { .. }
            | StmtKind::Lose { .. }
            | StmtKind::Send { .. } => {
                return Err(
                    "cannot reproduce link, partition, heal, lose or send against real servers"
                        .into(),
                )
            }
        }
        Ok(None)
    }
}

/// ROLE with hosts and ports as the simulator names them (see
/// [`RealWorld::as_sim_names`]): `127.0.0.1` and node m's port read `m` and 6379,
/// so an `expect NAME> ROLE => ...` can hold in both worlds.
fn role_as_sim_names(r: Reply, ports: &[(u16, String)]) -> Reply {
    let name = |port: &str| ports.iter().find(|(p, _)| p.to_string() == port);
    let bulk = |s: &str| Reply::Bulk(Some(s.as_bytes().to_vec()));
    let Reply::Array(Some(mut items)) = r else {
        return r;
    };
    let role = match items.first() {
        Some(Reply::Bulk(Some(b))) => b.clone(),
        _ => return Reply::Array(Some(items)),
    };
    if role == b"slave" && items.len() >= 3 {
        if let Reply::Integer(port) = items[2] {
            if let Some((_, n)) = name(&port.to_string()) {
                items[1] = bulk(n);
                items[2] = Reply::Integer(6379);
            }
        }
    } else if role == b"master" && items.len() >= 3 {
        if let Reply::Array(Some(replicas)) = &mut items[2] {
            for rep in replicas.iter_mut() {
                if let Reply::Array(Some(t)) = rep {
                    if let (Some(Reply::Bulk(Some(port))), true) = (t.get(1).cloned(), t.len() >= 2)
                    {
                        if let Some((_, n)) = name(&String::from_utf8_lossy(&port)) {
                            t[0] = bulk(n);
                            t[1] = bulk("6379");
                        }
                    }
                }
            }
        }
    }
    Reply::Array(Some(items))
}

/// The time of a redis log line (`pid:R 24 Nov 2026 17:52:39.195 * ...`): the
/// date, and milliseconds into the day.
fn log_time(line: &str) -> Option<(String, u64)> {
    let mut w = line.split_whitespace().skip(1);
    let date = format!("{} {} {}", w.next()?, w.next()?, w.next()?);
    let (hms, ms) = w.next()?.split_once('.')?;
    let mut parts = hms.split(':').map(|x| x.parse::<u64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    Some((
        date,
        ((h * 60 + m) * 60 + s) * 1000 + ms.parse::<u64>().ok()?,
    ))
}

/// Play `scenario` against real servers. Returns the transcript and, when asked
/// to keep them (`keep`), where the servers' directories were left.
pub fn run(scenario: &Scenario, keep: bool) -> (Transcript, Option<std::path::PathBuf>) {
    let mut world = match RealWorld::new(scenario) {
        Ok(w) => w,
        Err(e) => {
            let entries = vec![Entry {
                line: 0,
                text: String::new(),
                obs: Obs::Error(e),
            }];
            return (Transcript { entries }, None);
        }
    };
    let t = Transcript::play(&scenario.statements, |s| world.step(s));
    let kept = if keep { world.keep_dirs() } else { None };
    for n in &mut world.nodes {
        n.server.kill();
    }
    (t, kept)
}
