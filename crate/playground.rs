//! The interactive playground behind the page: a world built from a scenario, then
//! driven by the user (time, faults, commands), which can be rewound to any moment.
//!
//! Rewinding is deterministic replay: every statement applied is logged with the
//! exact point of the run where it was applied (the count of events processed, which
//! is finer than time: several events can share one microsecond). To show moment `t`,
//! the world goes back to the last checkpoint before `t` and replays the log up to
//! `t`. Applying a statement after rewinding forks the timeline: the log past that
//! point is dropped.
//!
//! Native and testable; `wasm.rs` only converts values for JavaScript.

use crate::scenario::ast::{Stmt, StmtKind};
use crate::scenario::parse::{parse_scenario, parse_statement};
use crate::scenario::run::{Checkpoints, Expectation, Runner, ScenarioError};
use crate::sim::{Checkpoint, DecisionRecord, HistoryTail, OffsetSample};
use crate::time::SimTime;
use crate::view::{self, View};
use serde::Serialize;

/// Default spacing of checkpoints in simulated time.
pub const CHECKPOINT_EVERY_US: u64 = 5_000_000;

/// Statements the log keeps for seeking. A tab left playing under a write load logs
/// one statement a write (about 1.3 KB each with the checkpoints they need, measured
/// with `PAGE=1 cargo bench --bench hour`: 4.7 GB per simulated hour at 1,000
/// writes/s); past this many, the oldest are forgotten together with the
/// checkpoints they need, and the world can no longer be shown before the first
/// checkpoint kept ([`Playground::kept_from`]).
pub const ACTIONS_KEEP: usize = 100_000;

/// One statement applied to the world.
#[derive(Clone, Debug, Serialize)]
pub struct Action {
    /// Events processed when it was applied.
    pub at_events: u64,
    /// Simulated time then (µs).
    pub t_us: u64,
    /// Events processed when it had finished (a `wait` or a blocking command runs time).
    pub end_events: u64,
    /// Simulated time when it had finished.
    pub end_t_us: u64,
    /// The statement as written.
    pub text: String,
    /// Typed in the console (commands do not wait for their reply).
    pub interactive: bool,
    #[serde(skip)]
    stmt: Stmt,
}

/// What applying a statement printed and checked.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Applied {
    /// Console output (the statement and the reply, as redis-cli prints it).
    pub output: String,
    /// Results of `expect` statements.
    pub expectations: Vec<Expectation>,
}

/// A world plus its history.
pub struct Playground {
    runner: Runner,
    actions: Vec<Action>,
    /// How many of `actions` are in effect in the world shown (all of them unless
    /// the user rewound; then applying something drops the rest).
    in_effect: usize,
    /// After a rewind into a statement that blocks (a command awaiting its reply,
    /// a `wait`): its index. It is in effect (begun) but not finished.
    running: Option<usize>,
    /// After a rewind: the history recorded beyond the moment shown (log records,
    /// decisions, samples). Seeking forward puts it back, so a checkpoint ahead can be
    /// used; forking the timeline discards it.
    future: HistoryTail,
    loaded: Applied,
    /// Statements forgotten from the front of the log to bound memory.
    dropped: usize,
    /// Most statements kept ([`ACTIONS_KEEP`] unless a test sets another).
    keep: usize,
}

impl Playground {
    /// Build a world by running a scenario (statements that block run to their end,
    /// as in `replscope run`). `seed` overrides the scenario's.
    ///
    /// # Errors
    /// The scenario's parse error, or the first statement that cannot run.
    pub fn new(scenario: &str, seed: Option<u64>) -> Result<Playground, ScenarioError> {
        let parsed = parse_scenario(scenario)?;
        let mut runner = Runner::new(seed.unwrap_or_else(|| parsed.seed()));
        runner.declare(parsed.node_names().into_iter().map(String::from));
        runner.checkpoints = Some(Checkpoints {
            every_us: CHECKPOINT_EVERY_US,
            list: Vec::new(),
        });
        let mut p = Playground {
            runner,
            actions: Vec::new(),
            in_effect: 0,
            running: None,
            future: HistoryTail::default(),
            loaded: Applied::default(),
            dropped: 0,
            keep: ACTIONS_KEEP,
        };
        let mut loaded = Applied::default();
        for stmt in parsed.statements {
            let a = p.apply_stmt(stmt, false)?;
            loaded.output.push_str(&a.output);
            loaded.expectations.extend(a.expectations);
        }
        p.loaded = loaded;
        Ok(p)
    }

    /// What loading the scenario printed and checked.
    pub fn loaded(&self) -> &Applied {
        &self.loaded
    }

    /// Apply one statement typed by the user (a console line, or an action the
    /// page turned into a statement: `disconnect m r1`, `r1> REPLICAOF NO ONE` ...).
    /// Blank and comment lines do nothing.
    ///
    /// # Errors
    /// A parse error or a statement that cannot run; the world is unchanged then.
    pub fn apply(&mut self, line: &str) -> Result<Applied, ScenarioError> {
        let known: Vec<String> = self
            .runner
            .sim
            .nodes
            .iter()
            .map(|s| s.name.clone())
            .collect();
        let Some(stmt) = parse_statement(line, 1, &known)? else {
            return Ok(Applied::default());
        };
        if matches!(stmt.kind, StmtKind::Seed(_)) {
            return Err(ScenarioError {
                line: 1,
                col: 1,
                message: "the seed can only be set in a scenario before its first node (reload with a new seed)".into(),
            });
        }
        self.runner
            .declare(stmt.kind.names().iter().map(|s| s.to_string()));
        self.apply_stmt(stmt, true)
    }

    fn apply_stmt(&mut self, stmt: Stmt, interactive: bool) -> Result<Applied, ScenarioError> {
        // Applying something in the past forks the timeline. Kept aside until the
        // statement has run: one that fails without running leaves the log as it was.
        // At the end of the log (the usual case, e.g. a write load) nothing forks and
        // nothing needs saving: the log is only cloned when it is about to be cut.
        let now_events = self.runner.sim.events_processed;
        let forks = self.running.is_some()
            || self.in_effect < self.actions.len()
            || !self.future.is_empty();
        let saved = forks.then(|| {
            (
                self.actions.clone(),
                self.in_effect,
                self.running,
                std::mem::take(&mut self.future),
            )
        });
        self.fork();
        let dropped_cps = match self.runner.checkpoints.as_mut() {
            Some(c) => {
                let keep = self.in_effect;
                let kept = |cp: &Checkpoint| cp.events() <= now_events && cp.tag <= keep;
                if c.list.iter().all(kept) {
                    Vec::new()
                } else {
                    let (kept, dropped) = std::mem::take(&mut c.list).into_iter().partition(kept);
                    c.list = kept;
                    dropped
                }
            }
            None => Vec::new(),
        };
        let (at_events, t_us) = (now_events, self.runner.sim.now().as_us());
        let before = self.runner.expectations.len();
        let awaiting = self.runner.awaiting();
        self.runner.tag = self.actions.len() + 1;
        let run = if interactive {
            self.runner.exec_interactive(&stmt)
        } else {
            self.runner.exec(&stmt)
        };
        let output = match run {
            Ok(output) => output,
            Err(e) => {
                if self.runner.sim.events_processed == now_events
                    && self.runner.sim.now().as_us() == t_us
                {
                    if let Some(saved) = saved {
                        (self.actions, self.in_effect, self.running, self.future) = saved;
                    }
                    if let Some(c) = self.runner.checkpoints.as_mut() {
                        c.list.extend(dropped_cps);
                        crate::util::sort::sort_by(&mut c.list, |a, b| a.events().cmp(&b.events()));
                    }
                }
                self.runner.tag = self.in_effect;
                return Err(e);
            }
        };
        let expectations = self.runner.expectations[before..].to_vec();
        let mut stmt = stmt;
        if let StmtKind::Command { node, argv } = &stmt.kind {
            if self.runner.awaiting() > awaiting {
                // A console command that blocks did not hold time up: logged as
                // `send`, so the session's script replays at the same instants.
                stmt.text = format!("send {}", stmt.text.trim());
                stmt.kind = StmtKind::Send {
                    node: node.clone(),
                    argv: argv.clone(),
                };
            }
        }
        self.actions.push(Action {
            at_events,
            t_us,
            end_events: self.runner.sim.events_processed,
            end_t_us: self.runner.sim.now().as_us(),
            text: stmt.text.clone(),
            interactive,
            stmt,
        });
        self.in_effect = self.actions.len();
        self.forget_old();
        Ok(Applied {
            output,
            expectations,
        })
    }

    /// Bound the log: past `keep` + a quarter statements, forget those before the
    /// latest checkpoint that leaves at least `keep`, and every checkpoint before it.
    /// Only at the end of the log (nothing rewound, nothing running), so what is
    /// dropped is never the recorded future.
    fn forget_old(&mut self) {
        if self.actions.len() <= self.keep + self.keep / 4
            || self.running.is_some()
            || self.in_effect < self.actions.len()
            || !self.future.is_empty()
        {
            return;
        }
        let Some(c) = self.runner.checkpoints.as_mut() else {
            return;
        };
        let most = self.actions.len() - self.keep;
        let Some(k) = c.list.iter().rposition(|cp| cp.tag > 0 && cp.tag <= most) else {
            return;
        };
        let cp = &c.list[k];
        // A statement still running at the checkpoint is needed to replay from it.
        let mut d = cp.tag;
        if self.actions[d - 1].end_events > cp.events() {
            d -= 1;
        }
        if d == 0 {
            return;
        }
        c.list.drain(..k);
        for cp in &mut c.list {
            cp.tag -= d;
        }
        self.actions.drain(..d);
        self.in_effect -= d;
        self.runner.tag = self.runner.tag.saturating_sub(d);
        self.dropped += d;
    }

    /// The earliest moment that can still be shown: time zero, unless the oldest
    /// statements were forgotten to bound memory ([`ACTIONS_KEEP`]); then the first
    /// checkpoint kept. Seeking before it shows it.
    pub fn kept_from(&self) -> SimTime {
        match self
            .runner
            .checkpoints
            .as_ref()
            .and_then(|c| c.list.first())
        {
            Some(cp) if self.dropped > 0 => cp.time(),
            _ => SimTime::ZERO,
        }
    }

    /// How many statements were forgotten from the front of the log.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Drop the log past the moment shown. A statement shown half-way stays as far
    /// as it got: a command as sent without waiting (`send`; its reply still comes
    /// to the console), `restart` as a SHUTDOWN sent; a `wait` cut short goes.
    fn fork(&mut self) {
        if let Some(i) = self.running.take() {
            let a = &mut self.actions[i];
            let sent = match &a.stmt.kind {
                StmtKind::Command { node, argv } | StmtKind::ExpectReply { node, argv, .. } => {
                    Some((node.clone(), argv.clone()))
                }
                StmtKind::Restart { node } => Some((node.clone(), vec![b"SHUTDOWN".to_vec()])),
                _ => None,
            };
            match sent {
                Some((node, argv)) => {
                    let label = command_text(&a.stmt, &node);
                    a.text = format!("send {label}");
                    a.stmt.kind = StmtKind::Send {
                        node: node.clone(),
                        argv: argv.clone(),
                    };
                    a.end_events = a.at_events;
                    a.end_t_us = a.t_us;
                    if let Some(id) = self.runner.sim.node_id(&node) {
                        if self.runner.sim.is_blocked(id) {
                            self.runner.expect_reply(id, argv, label);
                        }
                    }
                }
                None => self.in_effect = i,
            }
        }
        self.actions.truncate(self.in_effect);
        self.future = HistoryTail::default();
    }

    /// Let simulated time run for `us` microseconds (after a rewind, through the
    /// statements logged: the timeline plays on as it was).
    pub fn advance(&mut self, us: u64) {
        let t = self.runner.sim.now().plus_us(us);
        self.replay_to(t);
    }

    /// Process the next event (after a rewind, with the statements logged before
    /// it). Returns false if nothing is scheduled.
    pub fn step(&mut self) -> bool {
        if self.running.is_none() && self.in_effect == self.actions.len() && self.future.is_empty()
        {
            return self.runner.step();
        }
        match self.runner.sim.next_event_time() {
            Some(t) => {
                self.replay_to(t);
                true
            }
            None => false,
        }
    }

    /// Replies that arrived for console commands that had blocked (`WAIT`).
    pub fn poll_replies(&mut self) -> Vec<(String, String)> {
        self.runner.poll_replies()
    }

    /// Show the world as it was (or will be, replaying the log) at `t`: every event
    /// and every statement up to and including `t`.
    /// Before [`Playground::kept_from`] (history forgotten), the earliest moment kept.
    pub fn seek(&mut self, t: SimTime) {
        let t = t.max(self.kept_from());
        let actions = &self.actions;
        let Some(cp) = self.runner.checkpoints.as_ref().and_then(|c| {
            c.list
                .iter()
                .rev()
                .find(|cp| cp.time() <= t && (cp.tag == 0 || actions[cp.tag - 1].t_us <= t.as_us()))
                .cloned()
        }) else {
            return;
        };
        // The whole recorded history up to the horizon, cut where the checkpoint was
        // taken: the replay produces the first part of the tail again.
        let future = std::mem::take(&mut self.future);
        self.runner.sim.join_history(future);
        self.future = self.runner.sim.split_history(&cp);
        self.runner.sim.restore(&cp);
        self.runner.stdout.clear();
        self.runner.forget_pending();
        self.in_effect = cp.tag;
        self.runner.tag = cp.tag;
        self.running = cp
            .tag
            .checked_sub(1)
            .filter(|&i| self.actions[i].end_events > cp.events());
        let expectations = self.runner.expectations.len();
        self.replay_to(t);
        self.runner.expectations.truncate(expectations);
        // Replies that came before `t` were shown when they came.
        self.runner.poll_replies();
    }

    /// Run to `t` from the world shown, applying the statements logged on the way
    /// exactly where they were applied, those applied at `t` included.
    fn replay_to(&mut self, t: SimTime) {
        let lens0 = self.runner.sim.history_lens();
        loop {
            if let Some(i) = self.running {
                let a = &self.actions[i];
                if a.end_t_us > t.as_us() {
                    break;
                }
                let (end, stmt) = (a.end_events, a.stmt.clone());
                self.step_to(end);
                let r = self.runner.finish(&stmt);
                debug_assert!(r.is_ok());
                self.running = None;
                continue;
            }
            let Some(a) = self.actions.get(self.in_effect) else {
                break;
            };
            if a.t_us > t.as_us() {
                break;
            }
            let a = a.clone();
            self.step_to(a.at_events);
            // The clock may have run on past the last event before it was applied.
            self.runner.run_until(SimTime(a.t_us));
            self.in_effect += 1;
            self.runner.tag = self.in_effect;
            let r = if a.end_events > a.at_events {
                // It blocks: started here, finished above when its end is reached.
                self.running = Some(self.in_effect - 1);
                self.runner.begin(&a.stmt)
            } else if a.interactive {
                self.runner.exec_interactive(&a.stmt).map(drop)
            } else {
                self.runner.exec(&a.stmt).map(drop)
            };
            // It ran before, so it runs again the same way.
            debug_assert!(r.is_ok(), "replayed statement failed: {}", a.text);
        }
        self.runner.run_until(t);
        if !self.future.is_empty() {
            let lens1 = self.runner.sim.history_lens();
            self.future = std::mem::take(&mut self.future).skip(
                lens1.0,
                lens1.1 - lens0.1,
                lens1.2 - lens0.2,
            );
        }
    }

    fn step_to(&mut self, events: u64) {
        while self.runner.sim.events_processed < events && self.runner.step() {}
    }

    /// The current view.
    pub fn view(&self) -> View {
        view::view(&self.runner.sim)
    }

    /// Simulated time now.
    pub fn now(&self) -> SimTime {
        self.runner.sim.now()
    }

    /// The latest time the log reaches (the end of the last statement applied).
    pub fn horizon(&self) -> SimTime {
        let last = self.actions.last().map_or(0, |a| a.end_t_us);
        SimTime(last.max(self.runner.sim.now().as_us()))
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.runner.sim.seed()
    }

    /// The event log from sequence number `cursor` on.
    pub fn events_since(&self, cursor: u64) -> &[crate::sim::trace::TraceEvent] {
        self.runner.sim.trace.since(cursor)
    }

    /// Every PSYNC decision so far.
    pub fn decisions(&self) -> &[DecisionRecord] {
        &self.runner.sim.decisions
    }

    /// Offsets sampled over time.
    pub fn samples(&self) -> &[OffsetSample] {
        &self.runner.sim.samples
    }

    /// `INFO` of a running node.
    pub fn info(&self, node: &str) -> Option<String> {
        let id = self.runner.sim.node_id(node)?;
        let n = self
            .runner
            .sim
            .node(id)
            .filter(|_| self.runner.sim.nodes[id].booted)?;
        Some(crate::node::info::info(
            n,
            self.runner.sim.now().wall_ms(),
            &[],
        ))
    }

    /// `CONFIG GET *` of a running node (parameter, value), for the settings panel.
    pub fn config(&self, node: &str) -> Option<Vec<(String, String)>> {
        let id = self.runner.sim.node_id(node)?;
        let n = self.runner.sim.node(id)?;
        Some(crate::node::config_table::config_get(
            &n.cfg,
            &[b"*".to_vec()],
        ))
    }

    /// The statements applied so far.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// A scenario that rebuilds this world: every statement applied, with `wait`s
    /// for the time that passed between them (what share links carry).
    ///
    /// Once statements were forgotten ([`Playground::dropped`]) no script rebuilds the
    /// world: the one returned says so on its first line and holds what is kept.
    pub fn script(&self) -> String {
        self.dropped_note()
            + &script_of(
                &self.actions[..self.in_effect],
                self.runner.sim.now().as_us(),
            )
    }

    fn dropped_note(&self) -> String {
        if self.dropped == 0 {
            return String::new();
        }
        format!(
            "# replscope: the first {} statements (before t = {}) were forgotten to bound memory; \
             this script starts after them and does not rebuild the session\n",
            self.dropped,
            fmt_duration(self.kept_from().as_us())
        )
    }

    /// The same with the recorded future too (after a rewind): every statement logged,
    /// at its instant, then a `wait` to `end_us` (the time the run had reached), so a
    /// link shows the moment with the same history ahead of it.
    pub fn script_to(&self, end_us: u64) -> String {
        self.dropped_note() + &script_of(&self.actions, end_us)
    }

    /// The whole event log as JSON lines.
    pub fn trace_json(&self) -> String {
        self.runner.sim.trace.to_json_lines()
    }

    /// Forget old log records beyond `keep` (the page keeps what it displays).
    pub fn compact_trace(&mut self, keep: usize) {
        self.runner.sim.trace.compact(keep);
    }
}

/// The command a statement sends, as a console line: `expect r1> WAIT 1 0 => ...`
/// gives `r1> WAIT 1 0`, `restart r1` gives `r1> SHUTDOWN`.
fn command_text(stmt: &Stmt, node: &str) -> String {
    match &stmt.kind {
        StmtKind::ExpectReply { .. } => {
            let text = stmt.text.trim_end();
            let tokens = crate::scenario::lexer::tokenize(text).unwrap_or_default();
            let from = tokens.get(1).map_or(0, |t| t.span.start);
            let to = tokens
                .iter()
                .rev()
                .find(|t| t.is_word("=>"))
                .map_or(text.len(), |t| t.span.start);
            text.get(from..to).unwrap_or(text).trim_end().to_string()
        }
        StmtKind::Restart { .. } => format!("{node}> SHUTDOWN"),
        _ => stmt.text.trim_end().to_string(),
    }
}

/// `actions` as a scenario: each statement, with `wait`s for the time between them,
/// then a `wait` up to `end_us`.
fn script_of(actions: &[Action], end_us: u64) -> String {
    let mut out = String::new();
    let mut t = 0u64;
    for a in actions {
        if a.t_us > t {
            out.push_str(&format!("wait {}\n", fmt_duration(a.t_us - t)));
        }
        out.push_str(a.text.trim_end());
        out.push('\n');
        t = a.end_t_us;
    }
    if end_us > t {
        out.push_str(&format!("wait {}\n", fmt_duration(end_us - t)));
    }
    out
}

/// A duration in the scenario language, in the largest exact unit (`2m`, `1500ms`):
/// the one formatter; the page asks for it through wasm.
pub fn fmt_duration(us: u64) -> String {
    if us > 0 && us.is_multiple_of(60_000_000) {
        format!("{}m", us / 60_000_000)
    } else if us > 0 && us.is_multiple_of(1_000_000) {
        format!("{}s", us / 1_000_000)
    } else if us.is_multiple_of(1000) {
        format!("{}ms", us / 1000)
    } else {
        format!("{us}us")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "node m repl-diskless-sync-delay=0 repl-ping-replica-period=3600\nnode r1 replicaof=m\nwait sync\n";

    fn offsets(p: &Playground) -> (i64, Option<i64>) {
        let v = p.view();
        (v.nodes[0].master_repl_offset, v.nodes[1].slave_repl_offset)
    }

    #[test]
    fn seek_back_and_forth_restores_the_same_state() {
        let mut p = Playground::new(BASE, Some(3)).unwrap();
        p.apply("m> SET a 1").unwrap();
        p.advance(2_000_000);
        let t_mid = p.now();
        p.apply("disconnect m r1").unwrap();
        p.apply("m> SET b 2").unwrap();
        let mid = serde_json::to_string(&p.view()).unwrap();
        p.advance(12_000_000);
        p.apply("reconnect m r1").unwrap();
        p.advance(3_000_000);
        let t_end = p.now();
        let end = serde_json::to_string(&p.view()).unwrap();
        assert_eq!(offsets(&p), (77, Some(77)));
        p.seek(t_mid);
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), mid);
        p.seek(t_end);
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), end);
        assert_eq!(p.decisions().len(), 2);
        p.seek(SimTime::from_ms(1));
        assert!(p.decisions().is_empty());
    }

    /// Three disconnections of r1, each with a write while it is away; stops
    /// where simulated time would pass `stop`.
    fn three_outages(stop: u64) -> Playground {
        let mut steps = vec![Ok("m> SET a 1")];
        for _ in 0..3 {
            steps.extend([Ok("disconnect m r1"), Ok("m> SET b 2"), Err(6_000_000)]);
            steps.extend([Ok("reconnect m r1"), Err(6_000_000)]);
        }
        run_steps(&steps, stop)
    }

    /// Apply lines (`Ok`) and advance the clock (`Err(µs)`) from `BASE`, stopping
    /// where simulated time would pass `stop`.
    fn run_steps(steps: &[Result<&str, u64>], stop: u64) -> Playground {
        let mut p = Playground::new(BASE, Some(4)).unwrap();
        for &step in steps {
            let left = stop.saturating_sub(p.now().as_us());
            match step {
                Ok(line) => drop(p.apply(line).unwrap()),
                Err(us) => {
                    p.advance(us.min(left));
                    if us > left {
                        break;
                    }
                }
            }
        }
        p
    }

    #[test]
    fn seeking_shows_what_running_straight_there_shows() {
        let mut p = three_outages(u64::MAX);
        for t in [2_000_000, 12_000_000, 13_000_000, 29_000_000, 7_000_000] {
            p.seek(SimTime(t));
            let straight = three_outages(t);
            assert_eq!(p.now(), straight.now());
            assert_eq!(
                serde_json::to_string(&p.view()).unwrap(),
                serde_json::to_string(&straight.view()).unwrap(),
                "at {t}"
            );
            assert_eq!(p.decisions().len(), straight.decisions().len());
            assert_eq!(p.trace_json(), straight.trace_json());
        }
    }

    #[test]
    fn a_write_at_a_checkpoint_instant_is_replayed_once() {
        // Writes every 250 ms with nothing else happening in between: some
        // checkpoint is taken at the very instant a write was applied.
        let mut steps = Vec::new();
        for _ in 0..60 {
            steps.extend([Ok("m> SET k v"), Err(250_000)]);
        }
        let mut p = run_steps(&steps, u64::MAX);
        let end = p.now().as_us();
        for t in (3_000_000..end).step_by(1_234_567) {
            p.seek(SimTime(t));
            let straight = run_steps(&steps, t);
            assert_eq!(offsets(&p), offsets(&straight), "at {t}");
            assert_eq!(p.trace_json(), straight.trace_json(), "at {t}");
        }
    }

    #[test]
    fn playing_after_a_rewind_goes_through_the_logged_statements() {
        let mut p = three_outages(u64::MAX);
        let end = p.now();
        let (view, trace) = (serde_json::to_string(&p.view()).unwrap(), p.trace_json());
        p.seek(SimTime(5_000_000));
        while p.now() < end {
            p.advance(333_333.min(end.as_us() - p.now().as_us()));
        }
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), view);
        assert_eq!(p.decisions().len(), 4);
        assert_eq!(p.trace_json(), trace);
        p.seek(SimTime(14_000_000));
        while p.step() && p.now() < end {}
        assert_eq!(p.decisions().len(), 4);
    }

    /// A loaded scenario whose statements block: a WAIT that times out while r1
    /// is away, a restart that waits for r1 to catch up, long waits.
    const BLOCKING: &str = "node m repl-diskless-sync-delay=0\nnode r1 replicaof=m\nwait sync\n\
        disconnect m r1\nm> SET a 1\nm> WAIT 1 2500\nwait 3s\nreconnect m r1\n\
        expect m> WAIT 1 0 => (integer) 1\nrestart m\nwait 7s\nexpect m> DBSIZE => (integer) 1\n";

    #[test]
    fn seeking_into_blocking_statements_and_on() {
        let mut p = Playground::new(BLOCKING, Some(9)).unwrap();
        assert!(p.loaded().expectations.iter().all(|e| e.passed));
        let end = p.now();
        let (view, trace) = (serde_json::to_string(&p.view()).unwrap(), p.trace_json());
        // Every instant where something was logged, and a little after it.
        let mut times: Vec<u64> = p
            .actions()
            .iter()
            .flat_map(|a| [a.t_us, a.end_t_us])
            .collect();
        times.extend(times.clone().iter().map(|t| t + 700));
        times.extend((0..end.as_us()).step_by(271_828));
        times.retain(|&t| t <= end.as_us());
        for t in times {
            p.seek(SimTime(t));
            let there = serde_json::to_string(&p.view()).unwrap();
            p.seek(end);
            assert_eq!(serde_json::to_string(&p.view()).unwrap(), view, "via {t}");
            assert_eq!(p.trace_json(), trace, "via {t}");
            p.seek(SimTime(t));
            assert_eq!(serde_json::to_string(&p.view()).unwrap(), there, "at {t}");
            p.advance(end.as_us() - t);
            assert_eq!(
                serde_json::to_string(&p.view()).unwrap(),
                view,
                "played from {t}"
            );
        }
    }

    #[test]
    fn forking_inside_a_blocked_command_keeps_it_sent() {
        let mut p = Playground::new(BLOCKING, Some(9)).unwrap();
        let wait = p
            .actions()
            .iter()
            .find(|a| a.text == "m> WAIT 1 2500")
            .unwrap();
        let t = SimTime(wait.t_us + 1_000_000);
        p.seek(t);
        // m's one client is still waiting.
        assert!(p.apply("m> SET b 2").is_err());
        p.apply("r1> GET a").unwrap();
        let a = &p.actions()[p.actions().len() - 2];
        assert_eq!(a.text, "send m> WAIT 1 2500");
        p.advance(2_000_000);
        let replies = p.poll_replies();
        assert_eq!(replies, vec![("m".to_string(), "(integer) 0".to_string())]);
        // Cut inside `expect m> WAIT 1 0 => ...`: it stays as the command it sent.
        let mut p = Playground::new(BLOCKING, Some(9)).unwrap();
        let e = p
            .actions()
            .iter()
            .find(|a| a.text.starts_with("expect m> WAIT"))
            .unwrap();
        assert!(e.end_events > e.at_events);
        p.seek(SimTime(e.t_us + 1));
        p.apply("wait 1s").unwrap();
        assert!(
            p.script()
                .contains("\nsend m> WAIT 1 0\nwait 1us\nwait 1s\n"),
            "{}",
            p.script()
        );
    }

    #[test]
    fn a_bad_line_after_a_rewind_loses_nothing() {
        let mut p = three_outages(u64::MAX);
        let end = p.now();
        let view = serde_json::to_string(&p.view()).unwrap();
        p.seek(SimTime(10_000_000));
        assert!(p.apply("nobody> GET a").is_err());
        assert!(p.apply("crash nobody").is_err());
        p.seek(end);
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), view);
        assert_eq!(p.decisions().len(), 4);
    }

    #[test]
    fn seeking_forward_after_back_keeps_the_history() {
        let mut p = three_outages(u64::MAX);
        let end = p.now();
        let (decisions, samples, trace) = (p.decisions().len(), p.samples().len(), p.trace_json());
        let view = serde_json::to_string(&p.view()).unwrap();
        assert_eq!(decisions, 4);
        for back in [2_000_000, 13_000_000, 20_000_000, 29_000_000] {
            p.seek(SimTime(back));
            assert!(p.decisions().len() < decisions);
            let there = serde_json::to_string(&p.view()).unwrap();
            p.seek(end);
            assert_eq!(serde_json::to_string(&p.view()).unwrap(), view);
            p.seek(SimTime(back));
            assert_eq!(serde_json::to_string(&p.view()).unwrap(), there);
            p.seek(end);
            assert_eq!(
                p.decisions().len(),
                decisions,
                "after a round trip via {back}"
            );
            assert_eq!(p.samples().len(), samples);
            assert_eq!(p.trace_json(), trace);
        }
    }

    #[test]
    fn acting_after_a_seek_forks_the_timeline() {
        let mut p = Playground::new(BASE, Some(3)).unwrap();
        p.advance(1_000_000);
        let t = p.now();
        p.apply("m> SET a 1").unwrap();
        p.advance(1_000_000);
        // At `t` the SET has happened; just before it, not.
        p.seek(t);
        assert_eq!(p.view().nodes[0].master_repl_offset, 50);
        p.seek(SimTime(t.as_us() - 1));
        assert_eq!(p.view().nodes[0].master_repl_offset, 0);
        p.apply("m> SET zz 1").unwrap();
        p.advance(2_000_000);
        assert_eq!(p.view().nodes[0].master_repl_offset, 51);
        assert!(p.script().contains("m> SET zz 1"));
        assert!(!p.script().contains("m> SET a 1"));
    }

    #[test]
    fn script_rebuilds_the_same_world() {
        let mut p = Playground::new(BASE, Some(5)).unwrap();
        p.apply("m> SET a 1").unwrap();
        p.advance(1_500_123);
        p.apply("partition m r1").unwrap();
        p.advance(70_000_000);
        p.apply("heal m r1").unwrap();
        p.advance(4_000_000);
        let script = format!("seed 5\n{}", p.script());
        let q = Playground::new(&script, None).unwrap();
        assert_eq!(q.now(), p.now());
        assert_eq!(
            serde_json::to_string(&q.view()).unwrap(),
            serde_json::to_string(&p.view()).unwrap()
        );
    }

    #[test]
    fn blocked_console_command_replies_later() {
        let mut p = Playground::new(BASE, Some(2)).unwrap();
        p.apply("m> SET a 1").unwrap();
        p.apply("crash r1").unwrap();
        let out = p.apply("m> WAIT 1 1500").unwrap();
        assert_eq!(out.output, "m> WAIT 1 1500\n");
        assert!(p.poll_replies().is_empty());
        p.advance(2_000_000);
        assert_eq!(
            p.poll_replies(),
            vec![("m".to_string(), "(integer) 0".to_string())]
        );
        // Logged as sent without waiting, so the script replays at the same instants.
        p.apply("m> SET b 2").unwrap();
        let script = p.script();
        assert!(
            script.contains("send m> WAIT 1 1500\nwait 2s\nm> SET b 2\n"),
            "{script}"
        );
        let q = Playground::new(&format!("seed 2\n{script}"), None).unwrap();
        assert_eq!(
            serde_json::to_string(&q.view()).unwrap(),
            serde_json::to_string(&p.view()).unwrap()
        );
    }

    #[test]
    fn a_long_log_forgets_its_oldest_statements_and_still_seeks() {
        let steps: Vec<Result<&str, u64>> = (0..400)
            .flat_map(|_| [Ok("m> SET k v"), Err(100_000)])
            .collect();
        let mut p = Playground::new(BASE, Some(4)).unwrap();
        p.keep = 50;
        for &step in &steps {
            match step {
                Ok(line) => drop(p.apply(line).unwrap()),
                Err(us) => p.advance(us),
            }
        }
        assert!(p.dropped() > 0);
        assert!(
            p.actions().len() <= 50 + 50 / 4 + 1,
            "{}",
            p.actions().len()
        );
        let from = p.kept_from();
        assert!(from > SimTime::ZERO);
        let end = p.now();
        let view = serde_json::to_string(&p.view()).unwrap();
        // Within what is kept, seeking shows what running straight there shows.
        for t in [
            end.as_us() - 1_234_567,
            from.as_us() + 1,
            end.as_us() - 50_000,
        ] {
            p.seek(SimTime(t));
            assert_eq!(offsets(&p), offsets(&run_steps(&steps, t)), "at {t}");
        }
        // Before it: the earliest moment kept.
        p.seek(SimTime(1_000_000));
        assert_eq!(p.now(), from);
        assert_eq!(offsets(&p), offsets(&run_steps(&steps, from.as_us())));
        p.seek(end);
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), view);
        assert!(p.script().starts_with("# replscope: the first "));
    }

    #[test]
    fn bad_input_is_an_error_and_changes_nothing() {
        let mut p = Playground::new(BASE, Some(2)).unwrap();
        let before = serde_json::to_string(&p.view()).unwrap();
        assert!(p.apply("frobnicate m").is_err());
        assert!(p.apply("disconnect m nosuch").is_err());
        assert!(p.apply("seed 4").is_err());
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), before);
        assert!(Playground::new("node m\nnode m\n", None).is_err());
    }
}
