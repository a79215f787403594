//! Playing a scenario: each statement becomes actions on the [`Sim`], console
//! commands print as redis-cli would, `expect`s are checked.
//!
//! Exit status of a run (the CLI's): 0 when every `expect` held, 1 when one failed,
//! 2 when the scenario cannot run (a parse error, an unknown parameter, a node that
//! is not running, `wait sync` that never syncs ...).

use super::ast::{CmpOp, Operand, Stmt, StmtKind};
use super::parse::{plain_words, read_script, ParseError, Step};
use crate::cli;
use crate::node::config::Config;
use crate::node::{config_table, info};
use crate::resp::Value;
use crate::sim::net::LinkProps;
use crate::sim::seed::Seed;
use crate::sim::{Checkpoint, CommandOutcome, NodeId, Sim};
use crate::time::SimTime;
use crate::version::Version;
use serde::Serialize;

/// The longest `wait` (one simulated week): a limit of the simulator, so a typo such
/// as `wait 999999999m` is an error at once rather than hours of work.
pub const WAIT_MAX_US: u64 = 7 * 24 * 3600 * 1_000_000;

/// The error of a `wait` over [`WAIT_MAX_US`] (`raw`, its duration as written), or of
/// one too long to count in microseconds at all (`wait 99999999999999999999ms`).
pub(crate) fn wait_too_long(raw: &str) -> String {
    format!("wait {raw}: over the simulator's limit of one week (10080m) per wait")
}

/// The most nodes a world holds (a limit of the simulator, not of Redis).
pub const NODES_MAX: usize = 1000;

/// The most `databases` a node may have here: the simulator allocates each database
/// up front, and Redis's own limit (2147483647) would take about 100 GB.
pub const DATABASES_MAX: usize = 4096;

/// How long `wait sync` and a blocked command may take, in simulated time.
pub const WAIT_LIMIT_US: u64 = 10 * 60 * 1_000_000;

/// A statement that cannot run (exit status 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.col, self.message
        )
    }
}

impl std::error::Error for ScenarioError {}

impl From<ParseError> for ScenarioError {
    fn from(e: ParseError) -> Self {
        ScenarioError {
            line: e.line,
            col: e.col,
            message: e.message,
        }
    }
}

/// The outcome of one `expect`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// Line of the expect.
    pub line: usize,
    /// The statement as written.
    pub text: String,
    /// Whether it held.
    pub passed: bool,
    /// What was found (and expected) when it failed.
    pub detail: String,
    /// When it failed and was probably mistyped, a note saying so: `INFO has
    /// master_repl_offset: did you mean it?`. Native only (the CLI prints it); the
    /// page's console writes its own (`expectHint` in www/js/console.js).
    #[cfg(not(target_arch = "wasm32"))]
    #[serde(skip)]
    pub hint: Option<String>,
}

impl Expectation {
    /// The verdict of the expect `stmt`: `detail` says what was found, and is asked for
    /// only when it failed.
    fn of(stmt: &Stmt, passed: bool, detail: impl FnOnce() -> String) -> Expectation {
        Expectation {
            line: stmt.line,
            text: stmt.text.clone(),
            passed,
            detail: if passed { String::new() } else { detail() },
            #[cfg(not(target_arch = "wasm32"))]
            hint: None,
        }
    }
}

/// What running a whole scenario produced.
#[derive(Debug)]
pub struct RunOutcome {
    /// Standard output: each console command and its reply, as redis-cli prints them.
    pub stdout: String,
    /// Every expect, in order.
    pub expectations: Vec<Expectation>,
    /// The error that stopped the run, if any.
    pub error: Option<ScenarioError>,
    /// The world at the end (for the trace and views).
    pub sim: Option<Sim>,
}

impl RunOutcome {
    /// The CLI exit status: 0 all expects held, 1 one failed, 2 could not run.
    pub fn exit_code(&self) -> i32 {
        if self.error.is_some() {
            2
        } else if self.expectations.iter().any(|e| !e.passed) {
            1
        } else {
            0
        }
    }
}

/// Plays statements, one at a time, against a world.
pub struct Runner {
    /// The world.
    pub sim: Sim,
    /// Transcript so far.
    pub stdout: String,
    /// Expect results so far.
    pub expectations: Vec<Expectation>,
    /// Names of every node the scenario declares (for forward `replicaof=`).
    declared: Vec<String>,
    /// Checkpoints of the world taken while time runs (for seeking), if enabled.
    pub checkpoints: Option<Checkpoints>,
    /// Commands sent without waiting, whose replies are still due.
    pending: Vec<Pending>,
    /// Label given to checkpoints taken from now on (see [`Checkpoint::tag`]).
    pub tag: usize,
    /// The version of nodes declared without `version=` (the `version` statement).
    default_version: Version,
    /// Where the statement running has got to, and whom to tell (the CLI's progress
    /// display): natively only, the page shows its own clock.
    #[cfg(not(target_arch = "wasm32"))]
    progress: Option<(ProgressHook, Progress)>,
    /// Events until the progress hook is called again.
    #[cfg(not(target_arch = "wasm32"))]
    progress_countdown: u32,
}

/// Where a long statement has got to, handed to [`RunOptions::on_progress`] every
/// [`PROGRESS_EVERY_EVENTS`] events it processes. The run does not depend on it: a
/// display reads the wall clock, the simulation never does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// The statement's line.
    pub line: usize,
    /// Simulated time when the statement began (µs).
    pub from_us: u64,
    /// Simulated time now (µs).
    pub now_us: u64,
    /// Where a `wait DUR` ends (µs). None for `wait sync` and a blocked command, which
    /// end when their condition holds (or give up after 10 simulated minutes).
    pub until_us: Option<u64>,
    /// Events processed since the run began.
    pub events: u64,
}

/// Who is told of a long statement's [`Progress`].
pub type ProgressHook = fn(&Progress);

/// How often a long statement reports its progress, in events (a few milliseconds
/// of a busy run).
pub const PROGRESS_EVERY_EVENTS: u32 = 4096;

/// A command sent without waiting for its reply.
#[derive(Debug)]
struct Pending {
    id: NodeId,
    /// The command as written, `NAME> COMMAND ...`.
    label: String,
    argv: Vec<Vec<u8>>,
    /// The reply, once taken from the node but not yet shown.
    arrived: Option<Value>,
}

/// The command a statement sends, as written after any `send`: `m> WAIT 1 0`.
fn command_label(stmt: &Stmt) -> String {
    let text = stmt.text.trim();
    match &stmt.kind {
        StmtKind::Send { .. } => text.get(4..).unwrap_or("").trim_start().to_string(),
        _ => text.to_string(),
    }
}

/// Copies of the world taken every `every_us` of simulated time, for seeking.
#[derive(Debug)]
pub struct Checkpoints {
    /// Spacing in simulated µs (doubles when the list gets long).
    pub every_us: u64,
    /// Checkpoints in time order.
    pub list: Vec<Checkpoint>,
}

/// At most this many checkpoints are kept; beyond it, every other one is dropped
/// and the spacing doubles, so memory stays bounded on long runs.
pub const CHECKPOINTS_MAX: usize = 128;

impl Checkpoints {
    /// Take a checkpoint if the last one is at least `every_us` old.
    pub fn maybe_take(&mut self, sim: &mut Sim, tag: usize) {
        let due = self.list.last().is_none_or(|c| {
            // Saturating: the spacing may have grown very large (a big world's
            // checkpoints are thinned by doubling it); wrapping would make one due
            // at every event.
            sim.now().as_us() >= c.time().as_us().saturating_add(self.every_us)
                && sim.events_processed > c.events()
        });
        if !due {
            return;
        }
        let mut cp = sim.checkpoint();
        cp.tag = tag;
        self.list.push(cp);
        if self.list.len() > CHECKPOINTS_MAX {
            let mut i = 0;
            self.list.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.every_us = self.every_us.saturating_mul(2);
        }
    }
}

fn err(stmt: &Stmt, col: usize, message: impl Into<String>) -> ScenarioError {
    err_at(stmt.line, col, message)
}

fn err_at(line: usize, col: usize, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        line,
        col,
        message: message.into(),
    }
}

impl Runner {
    /// A runner over an empty world with this seed.
    pub fn new(seed: u64) -> Runner {
        Runner {
            sim: Sim::new(seed),
            stdout: String::new(),
            expectations: Vec::new(),
            declared: Vec::new(),
            default_version: Version::default(),
            checkpoints: None,
            pending: Vec::new(),
            tag: 0,
            #[cfg(not(target_arch = "wasm32"))]
            progress: None,
            #[cfg(not(target_arch = "wasm32"))]
            progress_countdown: PROGRESS_EVERY_EVENTS,
        }
    }

    /// Tell `hook` how each long statement gets on (natively; see [`Progress`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn on_progress(&mut self, hook: ProgressHook) {
        self.progress = Some((hook, Progress::default()));
    }

    /// The statement on `line` begins (for the progress hook).
    #[cfg(not(target_arch = "wasm32"))]
    fn progress_begin(&mut self, line: usize) {
        let now = self.sim.now().as_us();
        if let Some((_, p)) = self.progress.as_mut() {
            *p = Progress {
                line,
                from_us: now,
                now_us: now,
                until_us: None,
                events: p.events,
            };
        }
    }

    /// Declare node names in advance (so `replicaof=` may name a later node).
    pub fn declare(&mut self, names: impl IntoIterator<Item = String>) {
        self.declared.extend(names);
    }

    /// Process one event, taking a checkpoint first if one is due.
    pub fn step(&mut self) -> bool {
        if let Some(c) = self.checkpoints.as_mut() {
            c.maybe_take(&mut self.sim, self.tag);
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some((hook, p)) = self.progress.as_mut() {
            self.progress_countdown -= 1;
            if self.progress_countdown == 0 {
                self.progress_countdown = PROGRESS_EVERY_EVENTS;
                p.now_us = self.sim.now().as_us();
                p.events = self.sim.events_processed;
                hook(p);
            }
        }
        self.sim.step()
    }

    /// Run every event up to and including `t` (checkpointing on the way).
    pub fn run_until(&mut self, t: SimTime) {
        while self.sim.next_event_time().is_some_and(|at| at <= t) {
            self.step();
        }
        self.sim.run_until(t);
    }

    /// Run one statement the way a console does: a command is sent and its reply,
    /// if it blocks, arrives later (see [`Runner::poll_replies`]); everything else
    /// runs as in a scenario.
    pub fn exec_interactive(&mut self, stmt: &Stmt) -> Result<String, ScenarioError> {
        match &stmt.kind {
            StmtKind::Command { node, argv } => {
                self.sim.statement_begins();
                self.send(stmt, node, argv)
            }
            _ => self.exec(stmt),
        }
    }

    /// What the node's own cli prints when the node is down.
    fn refused(&self, id: NodeId) -> String {
        let slot = &self.sim.nodes[id];
        format!(
            "Could not connect to {} at {}:{}: Connection refused",
            slot.cfg.version.profile().cli_product,
            &*slot.name,
            slot.cfg.port
        )
    }

    /// Send a command without waiting: its reply if it comes at once, otherwise
    /// later through [`Runner::poll_replies`].
    fn send(&mut self, stmt: &Stmt, node: &str, argv: &[Vec<u8>]) -> Result<String, ScenarioError> {
        let id = self.client(stmt, node)?;
        let argv = self
            .resolve_replicaof(argv)
            .unwrap_or_else(|| argv.to_vec());
        let mut printed = format!("{}\n", stmt.text.trim_end());
        match self.sim.command(id, &argv) {
            CommandOutcome::Reply(v) => printed.push_str(&cli::format_reply_for(&argv, &v)),
            CommandOutcome::NotRunning => printed.push_str(&self.refused(id)),
            CommandOutcome::Blocked => self.pending.push(Pending {
                id,
                label: command_label(stmt),
                argv,
                arrived: None,
            }),
        }
        if !printed.ends_with('\n') {
            printed.push('\n');
        }
        self.stdout.push_str(&printed);
        Ok(printed)
    }

    /// How many commands sent without waiting still await their reply.
    pub fn awaiting(&self) -> usize {
        self.pending.len()
    }

    /// The first instant of a statement that blocks, as when the world is shown in
    /// the middle of it: what it does before waiting (a command is sent; `restart`
    /// sends SHUTDOWN). [`Runner::finish`] does the rest once its events have run.
    pub fn begin(&mut self, stmt: &Stmt) -> Result<(), ScenarioError> {
        let (id, argv) = match &stmt.kind {
            StmtKind::Command { node, argv } | StmtKind::ExpectReply { node, argv, .. } => (
                self.client(stmt, node)?,
                self.resolve_replicaof(argv)
                    .unwrap_or_else(|| argv.to_vec()),
            ),
            StmtKind::Restart { node } => {
                let id = self.node(stmt, node)?;
                self.discard_console_multi(id);
                (id, vec![b"SHUTDOWN".to_vec()])
            }
            // Sent without waiting, as it was (it took time only because its node was
            // still booting): its reply is awaited as then, not taken at the end.
            StmtKind::Send { node, argv } => return self.send(stmt, node, argv).map(drop),
            _ => return Ok(()),
        };
        self.sim.command(id, &argv);
        Ok(())
    }

    /// The last instant of a statement begun with [`Runner::begin`]: the reply is
    /// taken (nothing is printed or checked); `restart` starts the node again.
    pub fn finish(&mut self, stmt: &Stmt) -> Result<(), ScenarioError> {
        match &stmt.kind {
            StmtKind::Command { node, .. } | StmtKind::ExpectReply { node, .. } => {
                let id = self.node(stmt, node)?;
                self.sim.take_reply(id);
            }
            StmtKind::Restart { node } => {
                let id = self.node(stmt, node)?;
                self.sim.take_reply(id);
                if self.sim.node(id).is_none() {
                    self.sim.start(id);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Forget console commands still waiting for a reply (the world was rewound).
    pub fn forget_pending(&mut self) {
        self.pending.clear();
    }

    /// Await (as if sent without waiting) the reply of a command sent earlier;
    /// `label` is the command as written (`m> WAIT 1 0`).
    pub fn expect_reply(&mut self, id: NodeId, argv: Vec<Vec<u8>>, label: String) {
        self.pending.push(Pending {
            id,
            label,
            argv,
            arrived: None,
        });
    }

    /// Replies that arrived for console commands sent with [`Runner::exec_interactive`]:
    /// `(node, printed reply)`.
    pub fn poll_replies(&mut self) -> Vec<(String, String)> {
        self.poll()
            .into_iter()
            .map(|(p, text)| (self.sim.nodes[p.id].name.to_string(), text))
            .collect()
    }

    /// Replies that arrived, each with what it answers.
    fn poll(&mut self) -> Vec<(Pending, String)> {
        let mut out = Vec::new();
        let mut still = Vec::new();
        for mut p in std::mem::take(&mut self.pending) {
            if let Some(v) = p.arrived.take().or_else(|| self.sim.take_reply(p.id)) {
                let text = cli::format_reply_for(&p.argv, &v);
                out.push((p, text));
            } else if self.sim.is_blocked(p.id) {
                still.push(p);
            }
        }
        self.pending = still;
        out
    }

    /// Print the replies of `send` commands that arrived, as `run` shows them.
    pub fn print_replies(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        for (p, text) in self.poll() {
            self.stdout
                .push_str(&format!("(reply to {})\n{text}", p.label));
            if !text.ends_with('\n') {
                self.stdout.push('\n');
            }
        }
    }

    /// The node whose client sends a command: one connection, like one redis-cli
    /// session, so not while it still waits for a reply.
    fn client(&mut self, stmt: &Stmt, name: &str) -> Result<NodeId, ScenarioError> {
        let id = self.node(stmt, name)?;
        self.client_of(stmt.line, id, name)
    }

    /// [`Runner::client`] of the node `id`, named `name`, for the statement on `line`.
    fn client_of(&mut self, line: usize, id: NodeId, name: &str) -> Result<NodeId, ScenarioError> {
        if let Some(p) = self
            .pending
            .iter_mut()
            .find(|p| p.id == id && p.arrived.is_none())
        {
            // A reply that came is kept for the console before the client sends again.
            p.arrived = self.sim.take_reply(id);
            if p.arrived.is_none() && self.sim.is_blocked(id) {
                return Err(err_at(
                    line,
                    1,
                    format!(
                        "{name}'s client is still waiting for the reply to '{}' \
                         (one connection, as in redis-cli)",
                        p.label
                    ),
                ));
            }
        }
        Ok(id)
    }

    fn node(&self, stmt: &Stmt, name: &str) -> Result<NodeId, ScenarioError> {
        self.sim
            .node_id(name)
            .ok_or_else(|| err(stmt, 1, format!("unknown node '{name}'")))
    }

    /// Where `wait DUR` (`stmt`, begun) ends: its duration checked against the
    /// simulator's limit. [`Runner::exec`] then runs to it; a playground loading a
    /// scenario in steps runs to it a stretch at a time.
    pub fn wait_end(&mut self, stmt: &Stmt, duration_us: u64) -> Result<SimTime, ScenarioError> {
        if duration_us > WAIT_MAX_US {
            // The duration's column: after `wait` and its spaces.
            let text = stmt.text.trim_start();
            let indent = stmt.text.len() - text.len();
            let rest = text.get(4..).unwrap_or("");
            let col = indent + 4 + (rest.len() - rest.trim_start().len()) + 1;
            let raw = rest.split_whitespace().next().unwrap_or("");
            return Err(err(stmt, col, wait_too_long(raw)));
        }
        let t = self.sim.now().plus_us(duration_us);
        #[cfg(not(target_arch = "wasm32"))]
        if let Some((_, p)) = self.progress.as_mut() {
            p.until_us = Some(t.as_us());
        }
        Ok(t)
    }

    /// Run one statement. Console output is appended to `stdout`; the printed text
    /// of this statement is also returned (empty for most statements).
    pub fn exec(&mut self, stmt: &Stmt) -> Result<String, ScenarioError> {
        self.sim.statement_begins();
        let mut printed = String::new();
        match &stmt.kind {
            StmtKind::Seed(_) => {}
            StmtKind::Version(v) => self.default_version = *v,
            StmtKind::Node { name, params } => self.add_node(stmt, name, params)?,
            StmtKind::Link {
                a,
                b,
                latency_us,
                bandwidth_bits_per_sec,
            } => {
                let (ia, ib) = (self.node(stmt, a)?, self.node(stmt, b)?);
                let mut props = self
                    .sim
                    .net
                    .link(ia, ib)
                    .map(|l| l.props)
                    .unwrap_or_default();
                if let Some(l) = latency_us {
                    props.latency_us = *l;
                }
                if let Some(bw) = bandwidth_bits_per_sec {
                    props.bandwidth_bits_per_sec = *bw;
                }
                self.sim.set_link(ia, ib, props);
            }
            StmtKind::Command { node, argv } => {
                let id = self.client(stmt, node)?;
                let resolved = self.resolve_replicaof(argv);
                let echo = stmt.text.trim_end();
                let text = self.run_command(stmt, id, resolved.as_deref().unwrap_or(argv));
                // A command still blocked after 10 minutes is shown before the error
                // (natively: the page's console echoes what it runs itself).
                #[cfg(not(target_arch = "wasm32"))]
                if text.is_err() {
                    self.stdout.push_str(echo);
                    self.stdout.push('\n');
                }
                let text = text?;
                let reply_len = text.as_ref().map_or(0, |t| t.len() + 1);
                printed = String::with_capacity(echo.len() + 1 + reply_len);
                printed.push_str(echo);
                printed.push('\n');
                if let Some(text) = text {
                    printed.push_str(&text);
                    if !text.ends_with('\n') {
                        printed.push('\n');
                    }
                }
            }
            StmtKind::Send { node, argv } => {
                return self.send(stmt, node, argv);
            }
            StmtKind::Wait { duration_us } => {
                let t = self.wait_end(stmt, *duration_us)?;
                self.run_until(t);
            }
            StmtKind::WaitSync => self.wait_sync(stmt)?,
            StmtKind::Disconnect { a, b }
            | StmtKind::Reconnect { a, b }
            | StmtKind::Partition { a, b }
            | StmtKind::Heal { a, b } => {
                let (a, b) = (self.node(stmt, a)?, self.node(stmt, b)?);
                match stmt.kind {
                    StmtKind::Disconnect { .. } => self.sim.disconnect(a, b),
                    StmtKind::Reconnect { .. } => self.sim.reconnect(a, b),
                    StmtKind::Partition { .. } => self.sim.partition(a, b),
                    _ => self.sim.heal(a, b),
                }
            }
            StmtKind::Lose { from, to, commands } => {
                let (a, b) = (self.node(stmt, from)?, self.node(stmt, to)?);
                self.sim.lose(a, b, *commands);
            }
            StmtKind::Crash { node } => {
                let id = self.node(stmt, node)?;
                if !self.sim.crash(id) {
                    return Err(err(stmt, 1, format!("node '{node}' is not running")));
                }
            }
            StmtKind::Restart { node } => {
                let id = self.node(stmt, node)?;
                self.restart(stmt, id, node)?;
            }
            StmtKind::Start { node } => {
                let id = self.node(stmt, node)?;
                if !self.sim.start(id) {
                    return Err(err(stmt, 1, format!("node '{node}' is already running")));
                }
            }
            StmtKind::ExpectInfo {
                node,
                field,
                op,
                rhs,
            } => {
                let e = self.expect_info(stmt, node, field, *op, rhs)?;
                self.expectations.push(e);
            }
            StmtKind::ExpectReply {
                node,
                argv,
                expected,
            } => {
                let id = self.client(stmt, node)?;
                let resolved = self.resolve_replicaof(argv);
                let argv = resolved.as_deref().unwrap_or(argv);
                let got = self.run_command(stmt, id, argv)?.unwrap_or_default();
                let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                let passed = norm(&got) == norm(expected);
                self.expectations.push(Expectation::of(stmt, passed, || {
                    format!("expected {}, got {}", expected, norm(&got))
                }));
            }
        }
        self.stdout.push_str(&printed);
        Ok(printed)
    }

    fn add_node(
        &mut self,
        stmt: &Stmt,
        name: &str,
        params: &[super::ast::Param],
    ) -> Result<(), ScenarioError> {
        // The version first: it chooses the defaults the other parameters change.
        let mut cfg = Config::for_version(self.default_version);
        for p in params
            .iter()
            .filter(|p| p.key.eq_ignore_ascii_case("version"))
        {
            cfg = Config::for_version(Version::parse(&p.value).map_err(|m| err(stmt, p.col, m))?);
        }
        let mut seed = Seed::default();
        for p in params {
            if p.key.eq_ignore_ascii_case("version") {
                continue;
            }
            if Seed::is_param(&p.key) {
                seed.set(&p.key, &p.value)
                    .map_err(|m| err(stmt, p.col, m))?;
                continue;
            }
            if p.key.eq_ignore_ascii_case("replicaof") || p.key.eq_ignore_ascii_case("slaveof") {
                let target = p.value.trim();
                if target.contains(' ') {
                    config_table::set_startup(&mut cfg, "replicaof", target)
                        .map_err(|m| err(stmt, p.col, m))?;
                    continue;
                }
                let known =
                    self.sim.node_id(target).is_some() || self.declared.iter().any(|d| d == target);
                if !known {
                    return Err(err(
                        stmt,
                        p.col,
                        format!("replicaof: unknown node '{target}'"),
                    ));
                }
                let port = self
                    .sim
                    .node_id(target)
                    .map_or(6379, |id| self.sim.nodes[id].cfg.port);
                cfg.replicaof = Some((target.to_string(), port));
                continue;
            }
            config_table::set_startup(&mut cfg, &p.key, &p.value).map_err(|m| {
                // Redis's startup messages do not always name the parameter. Those that do
                // start with it (a hint's name, or 'a' in "Bad directive", is no naming).
                let m = if m.starts_with(p.key.as_str()) {
                    m
                } else {
                    format!("{}={}: {m}", p.key, p.value)
                };
                err(stmt, p.col, m)
            })?;
        }
        if self.sim.node_id(name).is_some() {
            return Err(err(stmt, 1, format!("node '{name}' already exists")));
        }
        if cfg.databases > DATABASES_MAX {
            let col = params
                .iter()
                .find(|p| p.key.eq_ignore_ascii_case("databases"))
                .map_or(1, |p| p.col);
            return Err(err(
                stmt,
                col,
                format!(
                    "databases {}: the simulator's limit is {DATABASES_MAX}",
                    cfg.databases
                ),
            ));
        }
        if self.sim.nodes.len() >= NODES_MAX {
            return Err(err(
                stmt,
                1,
                format!("node '{name}': the simulator's limit is {NODES_MAX} nodes"),
            ));
        }
        seed.validate().map_err(|m| {
            let col = params
                .iter()
                .find(|p| Seed::is_param(&p.key))
                .map_or(1, |p| p.col);
            err(stmt, col, m)
        })?;
        let id = self.sim.add_node(name, cfg);
        if !seed.is_empty() {
            self.sim.nodes[id].seed = Some(seed);
        }
        self.sim.start(id);
        Ok(())
    }

    /// `REPLICAOF OTHER` (a node name) becomes `REPLICAOF OTHER <its port>`; None for
    /// any other command (it is sent as written, without a copy).
    fn resolve_replicaof(&self, argv: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
        if argv.len() == 2
            && (argv[0].eq_ignore_ascii_case(b"replicaof")
                || argv[0].eq_ignore_ascii_case(b"slaveof"))
        {
            let name = String::from_utf8_lossy(&argv[1]).into_owned();
            if let Some(id) = self.sim.node_id(&name) {
                let port = self.sim.nodes[id].cfg.port.to_string();
                return Some(vec![argv[0].clone(), argv[1].clone(), port.into_bytes()]);
            }
        }
        None
    }

    /// Send a console command; wait (in simulated time) if it blocks. Returns the
    /// text redis-cli prints (None when it prints nothing, as after SHUTDOWN).
    fn run_command(
        &mut self,
        stmt: &Stmt,
        id: NodeId,
        argv: &[Vec<u8>],
    ) -> Result<Option<String>, ScenarioError> {
        let outcome = self.sim.command(id, argv);
        self.outcome_text(stmt.line, id, argv, outcome)
    }

    /// What redis-cli prints for a command sent (`outcome`, the command on `line`),
    /// once its reply came: None when it prints nothing, as after SHUTDOWN.
    fn outcome_text(
        &mut self,
        line: usize,
        id: NodeId,
        argv: &[Vec<u8>],
        outcome: CommandOutcome,
    ) -> Result<Option<String>, ScenarioError> {
        match outcome {
            CommandOutcome::Reply(v) => Ok(Some(cli::format_reply_for(argv, &v))),
            CommandOutcome::NotRunning => Ok(Some(self.refused(id))),
            CommandOutcome::Blocked => {
                let deadline = self.sim.now().plus_us(WAIT_LIMIT_US);
                loop {
                    if let Some(v) = self.sim.take_reply(id) {
                        return Ok(Some(cli::format_reply_for(argv, &v)));
                    }
                    if self.sim.node(id).is_none() {
                        return Ok(None); // the server exited (SHUTDOWN): redis-cli prints nothing
                    }
                    match self.sim.next_event_time() {
                        Some(t) if t <= deadline => {
                            self.step();
                        }
                        _ => {
                            return Err(err_at(
                                line,
                                1,
                                format!(
                                    "the command was still blocked after 10 simulated minutes{}",
                                    match self.sim.node(id).and_then(|n| n.repl.failover.as_ref()) {
                                        Some(_) => FAILOVER_PAUSE,
                                        None => why_blocked(argv),
                                    }
                                ),
                            ))
                        }
                    }
                }
            }
        }
    }

    /// A plain command line of a [`Script`](super::parse::Script) (`text`, on
    /// `line`), played as [`Runner::exec`] plays its statement (a test holds them
    /// the same) but printed straight into `stdout`: `argv` is its words after
    /// `NAME>`, `id` the node `name` (declared, so it exists). Native only: the page
    /// plays statements, and this copy would add to its download.
    fn plain_command(
        &mut self,
        line: usize,
        text: &str,
        id: NodeId,
        name: &str,
        argv: &[Vec<u8>],
    ) -> Result<(), ScenarioError> {
        self.sim.statement_begins();
        let id = self.client_of(line, id, name)?;
        let resolved = self.resolve_replicaof(argv);
        let argv = resolved.as_deref().unwrap_or(argv);
        match self.sim.command(id, argv) {
            CommandOutcome::Reply(v) => {
                self.stdout.push_str(text.trim_end());
                self.stdout.push('\n');
                cli::print_reply_for(argv, &v, &mut self.stdout);
            }
            outcome => {
                // Echoed first: a command still blocked after 10 minutes is shown
                // before the error.
                self.stdout.push_str(text.trim_end());
                self.stdout.push('\n');
                if let Some(reply) = self.outcome_text(line, id, argv, outcome)? {
                    self.stdout.push_str(&reply);
                    if !reply.ends_with('\n') {
                        self.stdout.push('\n');
                    }
                }
            }
        }
        Ok(())
    }

    fn restart(&mut self, stmt: &Stmt, id: NodeId, name: &str) -> Result<(), ScenarioError> {
        if self.sim.node(id).is_none() {
            return Err(err(stmt, 1, format!("node '{name}' is not running")));
        }
        self.discard_console_multi(id);
        let shutdown = vec![b"SHUTDOWN".to_vec()];
        if let Some(text) = self.run_command(stmt, id, &shutdown)? {
            if self.sim.node(id).is_some() {
                return Err(err(stmt, 1, format!("SHUTDOWN failed: {text}")));
            }
        }
        self.sim.start(id);
        Ok(())
    }

    /// An operator restarts a server from another connection: its SHUTDOWN neither fails
    /// inside the console's MULTI nor spoils it, and the transaction dies with the
    /// process. The console's open MULTI is discarded first (nothing printed), so the
    /// SHUTDOWN sent on the console's connection does what the operator's would.
    fn discard_console_multi(&mut self, id: NodeId) {
        let in_multi = self.sim.node(id).is_some_and(|n| {
            n.local_client
                .and_then(|c| n.clients.get(&c))
                .is_some_and(|c| c.multi.is_some())
        });
        if in_multi {
            self.sim.command(id, &[b"DISCARD".to_vec()]);
        }
    }

    fn wait_sync(&mut self, stmt: &Stmt) -> Result<(), ScenarioError> {
        let deadline = self.sim.now().plus_us(WAIT_LIMIT_US);
        let mut behind = 0;
        loop {
            if self.sim.in_sync_from(&mut behind) {
                return Ok(());
            }
            match self.sim.next_event_time() {
                Some(t) if t <= deadline => {
                    self.step();
                }
                _ => {
                    let status = self.sim.sync_status();
                    self.sim.run_until(deadline);
                    return Err(err(
                        stmt,
                        1,
                        format!(
                            "wait sync: not in sync after 10 simulated minutes ({})",
                            status.err().unwrap_or_default()
                        ),
                    ));
                }
            }
        }
    }

    /// The value of an INFO field of a running node. `FIELD.SUB` reads one
    /// `key=value` item of a composite field (`slave0.offset`, `db0.keys`).
    fn info_field(
        &mut self,
        stmt: &Stmt,
        node: &str,
        field: &str,
    ) -> Result<Option<String>, ScenarioError> {
        let id = self.node(stmt, node)?;
        // Like redis-cli, INFO waits for a starting server to accept connections.
        self.sim.wait_boot(id);
        let Some(n) = self.sim.node(id) else {
            return Ok(None);
        };
        let fields = info::fields(n, self.sim.now().wall_ms());
        if let Some((_, v)) = fields.iter().find(|(k, _)| k == field) {
            return Ok(Some(v.clone()));
        }
        if let Some((base, sub)) = field.split_once('.') {
            if let Some((_, v)) = fields.iter().find(|(k, _)| k == base) {
                return Ok(v
                    .split(',')
                    .filter_map(|kv| kv.split_once('='))
                    .find(|(k, _)| *k == sub)
                    .map(|(_, v)| v.to_string()));
            }
        }
        Ok(None)
    }

    fn expect_info(
        &mut self,
        stmt: &Stmt,
        node: &str,
        field: &str,
        op: CmpOp,
        rhs: &Operand,
    ) -> Result<Expectation, ScenarioError> {
        let fail = |detail: String| Expectation {
            line: stmt.line,
            text: stmt.text.clone(),
            passed: false,
            detail,
            #[cfg(not(target_arch = "wasm32"))]
            hint: None,
        };
        let id = self.node(stmt, node)?;
        if self.sim.node(id).is_none() {
            return Ok(fail(format!("node {node} is not running")));
        }
        let Some(left) = self.info_field(stmt, node, field)? else {
            #[allow(unused_mut)]
            let mut e = fail(format!("INFO of {node} has no field '{field}'"));
            #[cfg(not(target_arch = "wasm32"))]
            {
                e.hint = self
                    .near_info_field(node, field)
                    .map(|f| format!("INFO has {f}: did you mean it?"));
            }
            return Ok(e);
        };
        let (right, right_desc) = match rhs {
            Operand::Literal(v) => (v.clone(), String::new()),
            Operand::NodeField {
                node: other,
                field: f,
            } => match self.info_field(stmt, other, f)? {
                Some(v) => (v, format!(" ({other}.{f})")),
                None => {
                    #[allow(unused_mut)]
                    let mut e = fail(format!(
                        "{other} has no INFO field '{f}' (or is not running)"
                    ));
                    #[cfg(not(target_arch = "wasm32"))]
                    {
                        e.hint = self
                            .near_info_field(other, f)
                            .map(|f| format!("INFO of {other} has {f}: did you mean it?"));
                    }
                    return Ok(e);
                }
            },
        };
        let ordering = match (Decimal::parse(&left), Decimal::parse(&right)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => None,
        };
        let passed = match ordering {
            Some(o) => op.holds(o),
            None => match op {
                CmpOp::Eq => left == right,
                CmpOp::Ne => left != right,
                _ => {
                    return Err(err(
                        stmt,
                        1,
                        format!("cannot compare non-numbers '{left}' {op} '{right}'"),
                    ))
                }
            },
        };
        #[allow(unused_mut)]
        let mut e = Expectation::of(stmt, passed, || {
            format!("{node} {field} is {left}, expected {op} {right}{right_desc}")
        });
        #[cfg(not(target_arch = "wasm32"))]
        if let (false, Operand::Literal(v)) = (passed, rhs) {
            e.hint = self.text_not_node_field(v);
        }
        Ok(e)
    }

    /// For an `expect` naming a field `node`'s INFO does not have: the first field (or
    /// `FIELD.SUB` item) it has that is one or two edits from it. Native only, as
    /// [`Expectation::hint`].
    #[cfg(not(target_arch = "wasm32"))]
    fn near_info_field(&self, node: &str, field: &str) -> Option<String> {
        let n = self.sim.node(self.sim.node_id(node)?)?;
        let fields = info::fields(n, self.sim.now().wall_ms());
        let mut names = Vec::new();
        for (k, v) in &fields {
            names.push(k.clone());
            // Composite fields' items: `slave0.offset`, `db0.keys`.
            names.extend(
                v.split(',')
                    .filter_map(|kv| kv.split_once('='))
                    .map(|(sub, _)| format!("{k}.{sub}")),
            );
        }
        let near = names.into_iter().find(|f| {
            f.len().abs_diff(field.len()) <= 2
                && crate::node::config_table::edits(field.as_bytes(), f.as_bytes()) <= 2
        })?;
        Some(near)
    }

    /// For a failed `expect` whose value `X.FIELD` names no node X: a note that it was
    /// compared as text (as the page's console says). Native only.
    #[cfg(not(target_arch = "wasm32"))]
    fn text_not_node_field(&self, value: &str) -> Option<String> {
        let (x, rest) = value.split_once('.')?;
        let name_like = x.bytes().next()?.is_ascii_alphabetic()
            && x.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        (name_like && !rest.is_empty() && self.sim.node_id(x).is_none()).then(|| {
            format!(
                "There is no node {x}: the value was compared as text. A value NODE.FIELD \
                 reads another node's INFO field."
            )
        })
    }
}

/// An exact decimal number as INFO prints them (`-12`, `0.50`), compared without
/// floating point so `0.1 + 0.2`-style surprises cannot happen.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Decimal {
    neg: bool,
    /// Integer digits without leading zeros.
    int: String,
    /// Fraction digits without trailing zeros.
    frac: String,
}

impl Decimal {
    fn parse(s: &str) -> Option<Decimal> {
        let (neg, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
            return None;
        }
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        let zero = int.is_empty() && frac.is_empty();
        Some(Decimal {
            neg: neg && !zero,
            int,
            frac,
        })
    }

    fn cmp_abs(&self, o: &Decimal) -> std::cmp::Ordering {
        self.int
            .len()
            .cmp(&o.int.len())
            .then_with(|| self.int.cmp(&o.int))
            .then_with(|| self.frac.cmp(&o.frac))
    }
}

impl Ord for Decimal {
    fn cmp(&self, o: &Decimal) -> std::cmp::Ordering {
        match (self.neg, o.neg) {
            (false, true) => std::cmp::Ordering::Greater,
            (true, false) => std::cmp::Ordering::Less,
            (false, false) => self.cmp_abs(o),
            (true, true) => o.cmp_abs(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, o: &Decimal) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

/// What a run does with its event log.
#[derive(Clone, Debug, Default)]
pub enum TraceMode {
    /// Keep every record in `sim.trace` (tests, the golden trace).
    #[default]
    Keep,
    /// Record nothing (the CLI without `--trace`: the log is never read), and no
    /// decisions or offset samples either.
    Off,
    /// Hand each record to the sink as it is made, keep none (`--trace FILE`), nor
    /// decisions or offset samples. Native only.
    #[cfg(not(target_arch = "wasm32"))]
    Stream(crate::sim::trace::Sink),
}

/// How [`run_with`] plays a scenario.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Replaces the scenario's `seed`.
    pub seed: Option<u64>,
    /// The event log.
    pub trace: TraceMode,
    /// Called with each statement's line before it runs (the CLI names the line
    /// when the run goes over its memory ceiling).
    pub on_statement: Option<fn(usize)>,
    /// Called as a long statement runs (every [`PROGRESS_EVERY_EVENTS`] events):
    /// the CLI's progress display. Native only (ignored in wasm).
    pub on_progress: Option<ProgressHook>,
    /// Given each statement's transcript as it is made, instead of keeping it for
    /// [`RunOutcome::stdout`] (which then holds nothing), with `true` after a
    /// statement that is not a plain command line (a `wait`, an `expect`) or before
    /// one: a good moment to show it. The CLI prints it, so a long run shows its output as it
    /// goes and loses none of it when it is stopped (the memory ceiling).
    pub on_output: Option<fn(&str, bool)>,
}

/// Why a console command that never got its reply cannot get one, for the commands
/// that only block: `""` for others (`WAIT`, `BLPOP` ... block for a reason of theirs).
/// Why a write is still blocked on a node whose FAILOVER has not ended.
const FAILOVER_PAUSE: &str =
    ": writes are paused while the node's FAILOVER waits for a replica to \
     acknowledge its whole stream (FAILOVER TIMEOUT ms ends the wait; ABORT needs another client)";

fn why_blocked(argv: &[Vec<u8>]) -> &'static str {
    let is = |i: usize, w: &str| {
        argv.get(i)
            .is_some_and(|a| a.eq_ignore_ascii_case(w.as_bytes()))
    };
    if is(0, "psync") || is(0, "sync") {
        ": PSYNC/SYNC make the console's connection a replica link, which gets no reply"
    } else if is(0, "replconf") && (is(1, "ack") || is(1, "getack")) {
        ": REPLCONF ACK and GETACK get no reply on a client's connection"
    } else {
        ""
    }
}

/// Parse and run a whole scenario. `seed_override` replaces the scenario's `seed`.
pub fn run_text(text: &str, seed_override: Option<u64>) -> RunOutcome {
    run_with(
        text,
        &RunOptions {
            seed: seed_override,
            ..RunOptions::default()
        },
    )
}

/// Parse and run a whole scenario with options.
///
/// The whole text is read first (a scenario that does not parse runs nothing), then
/// played statement by statement; a plain command line is read again from the text
/// when it runs, into argument lists reused from line to line.
pub fn run_with(text: &str, opts: &RunOptions) -> RunOutcome {
    let seed_override = opts.seed;
    let script = match read_script(text) {
        Ok(s) => s,
        Err(e) => {
            return RunOutcome {
                stdout: String::new(),
                expectations: Vec::new(),
                error: Some(e.into()),
                sim: None,
            }
        }
    };
    let mut runner = Runner::new(seed_override.unwrap_or_else(|| script.parsed.seed()));
    match &opts.trace {
        TraceMode::Keep => {}
        TraceMode::Off => runner.sim.trace.disable(),
        #[cfg(not(target_arch = "wasm32"))]
        TraceMode::Stream(sink) => runner.sim.trace.sink = Some(sink.clone()),
    }
    // Only a kept log comes with the history the page shows (decisions, samples).
    runner.sim.keep_history = matches!(opts.trace, TraceMode::Keep);
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(hook) = opts.on_progress {
        runner.on_progress(hook);
    }
    runner.declare(script.parsed.node_names().into_iter().map(String::from));
    let mut error = None;
    // The words of the plain command being run: lists kept (with their capacity)
    // from one line to the next.
    let mut argv: Vec<Vec<u8>> = Vec::new();
    // The node of the last plain command, found once for a run of the same node.
    let mut last: Option<(&str, NodeId)> = None;
    for (k, step) in script.steps.iter().enumerate() {
        let r = match *step {
            Step::Parsed(i) => {
                let stmt = &script.parsed.statements[i];
                if let Some(f) = opts.on_statement {
                    f(stmt.line);
                }
                #[cfg(not(target_arch = "wasm32"))]
                runner.progress_begin(stmt.line);
                runner.exec(stmt).map(drop)
            }
            Step::Plain { line, start, end } => {
                if let Some(f) = opts.on_statement {
                    f(line);
                }
                #[cfg(not(target_arch = "wasm32"))]
                runner.progress_begin(line);
                let text = &text[start..end];
                let mut words = plain_words(text);
                // `NAME>` of a declared node (read_script checked it).
                let prompt = words.next().unwrap_or_default();
                let name = &prompt[..prompt.len().saturating_sub(1)];
                let mut n = 0;
                for w in words {
                    match argv.get_mut(n) {
                        Some(a) => {
                            a.clear();
                            a.extend_from_slice(w);
                        }
                        None => argv.push(w.to_vec()),
                    }
                    n += 1;
                }
                let found = match last {
                    Some((l, id)) if l.as_bytes() == name => Some((l, id)),
                    // A plain line is ASCII.
                    _ => std::str::from_utf8(name)
                        .ok()
                        .and_then(|n| Some((n, runner.sim.node_id(n)?))),
                };
                match found {
                    Some((name, id)) => {
                        last = found;
                        runner.plain_command(line, text, id, name, &argv[..n])
                    }
                    None => Err(err_at(
                        line,
                        1,
                        format!("unknown node '{}'", String::from_utf8_lossy(name)),
                    )),
                }
            }
        };
        runner.print_replies();
        if let Some(out) = opts.on_output {
            // A plain line's output waits for more, unless a statement that may take
            // a while (or the end) comes next.
            let next = script.steps.get(k + 1);
            let boundary =
                matches!(step, Step::Parsed(_)) || matches!(next, Some(Step::Parsed(_)) | None);
            out(&runner.stdout, boundary);
            runner.stdout.clear();
        }
        if let Err(e) = r {
            error = Some(e);
            break;
        }
    }
    RunOutcome {
        stdout: runner.stdout,
        expectations: runner.expectations,
        error,
        sim: Some(runner.sim),
    }
}

/// The time a runner's world is at, for display.
pub fn now(r: &Runner) -> SimTime {
    r.sim.now()
}

/// Default link properties (re-exported for the page's settings).
pub fn default_link() -> LinkProps {
    LinkProps::default()
}

/// Format a reply as the console prints it.
pub fn format(argv: &[Vec<u8>], v: &Value) -> String {
    cli::format_reply_for(argv, v)
}

#[cfg(test)]
mod tests {
    use super::{run_text, Decimal, Runner};
    use crate::scenario::parse_scenario;

    /// What `run_with` printed before plain lines were played from the text: every
    /// statement parsed, then run by [`Runner::exec`].
    fn run_by_statements(
        text: &str,
    ) -> (
        String,
        Vec<super::Expectation>,
        Option<super::ScenarioError>,
    ) {
        let scenario = parse_scenario(text).unwrap();
        let mut runner = Runner::new(scenario.seed());
        // As run_with with run_text's TraceMode::Keep.
        runner.sim.keep_history = true;
        runner.declare(scenario.node_names().into_iter().map(String::from));
        let mut error = None;
        for stmt in &scenario.statements {
            let r = runner.exec(stmt);
            runner.print_replies();
            if let Err(e) = r {
                error = Some(e);
                break;
            }
        }
        (runner.stdout, runner.expectations, error)
    }

    /// Plain command lines played from the text print, check and fail exactly as
    /// their parsed statements do: replies of every shape, a node down, a shutdown,
    /// replies that come later, and an error on a plain line.
    #[test]
    fn plain_lines_play_as_their_statements() {
        let common = "node m\nnode r1 replicaof=m\nwait sync\n\
            m> SET k v\n  m>   SET   k2   w  \nm>   SET   k3 \"quoted v\"\nr1> GET k\n\
            m> GET nope\nm> RPUSH l a b c\nm> LRANGE l 0 -1\nm> LRANGE none 0 -1\n\
            m> INFO keyspace\nm> CLIENT LIST\nm> BOGUS x\nm> SET k v # comment\n\
            m> INCR k\nm> DBSIZE\nm> SET k v\r\nm> EXISTS k k2 k3\n\
            send m> BLPOP nolist 1\nwait 2s\ncrash r1\nr1> PING\nstart r1\nwait sync\n\
            expect m> GET k => \"v\"\nexpect m dbsize = 0\nm> SELECT 1\nm> DBSIZE\n";
        let texts = [
            format!("{common}m> SHUTDOWN\nm> PING\nr1> PING\n"),
            format!("{common}send m> BLPOP l2 0\nr1> PING\nm> PING\nm> PING\n"),
            format!("{common}r1> REPLICAOF m\nwait sync\nr1> GET k"),
        ];
        for text in &texts {
            let out = run_text(text, None);
            let want = run_by_statements(text);
            assert!(
                out.stdout.contains("(reply to m> BLPOP nolist 1)"),
                "{}",
                out.stdout
            );
            assert!(out.stdout.contains("Could not connect"), "{}", out.stdout);
            assert_eq!(out.stdout, want.0, "{text}");
            assert_eq!(out.expectations, want.1, "{text}");
            assert_eq!(out.error, want.2, "{text}");
        }
        // The error is on a plain line: the first `m> PING`, m's client still waiting.
        let e = run_text(&texts[1], None).error.unwrap();
        let line = texts[1].lines().position(|l| l == "m> PING").unwrap() + 1;
        assert_eq!((e.line, e.col), (line, 1), "{e:?}");
        assert!(e.message.contains("still waiting"), "{e:?}");
    }

    #[test]
    fn decimals_compare_exactly() {
        let d = |s: &str| Decimal::parse(s).unwrap();
        assert!(d("10") > d("9"));
        assert!(d("-10") < d("-9"));
        assert_eq!(d("0.50"), d(".5"));
        assert_eq!(d("-0"), d("0"));
        assert!(d("0.3") > d("0.29999999999999999999"));
        assert!(d("100.01") > d("100"));
        assert!(Decimal::parse("1e5").is_none());
        assert!(Decimal::parse("up").is_none());
        assert!(Decimal::parse("-").is_none());
    }
}
