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
use crate::sim::time::SimTime;
use crate::sim::{DecisionRecord, OffsetSample};
use crate::view::{self, View};
use serde::Serialize;

/// Default spacing of checkpoints in simulated time.
pub const CHECKPOINT_EVERY_US: u64 = 5_000_000;

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
    /// After a rewind into a blocking command: its index (it was sent, its reply
    /// not yet awaited). If the user forks there, it stays as a command sent
    /// without waiting.
    partial: Option<usize>,
    loaded: Applied,
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
            partial: None,
            loaded: Applied::default(),
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
        // Applying something in the past forks the timeline.
        let now_events = self.runner.sim.events_processed;
        if let Some(i) = self.partial.take() {
            let cut = &mut self.actions[i];
            cut.interactive = true;
            cut.end_events = cut.at_events;
            cut.end_t_us = cut.t_us;
        }
        self.actions.truncate(self.in_effect);
        if let Some(c) = self.runner.checkpoints.as_mut() {
            c.list.retain(|cp| cp.events() <= now_events);
        }
        let (at_events, t_us) = (now_events, self.runner.sim.now().as_us());
        let before = self.runner.expectations.len();
        let output = if interactive {
            self.runner.exec_interactive(&stmt)?
        } else {
            self.runner.exec(&stmt)?
        };
        let expectations = self.runner.expectations[before..].to_vec();
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
        Ok(Applied {
            output,
            expectations,
        })
    }

    /// Let simulated time run for `us` microseconds.
    pub fn advance(&mut self, us: u64) {
        let t = self.runner.sim.now().plus_us(us);
        self.runner.run_until(t);
    }

    /// Process the next event. Returns false if nothing is scheduled.
    pub fn step(&mut self) -> bool {
        self.runner.step()
    }

    /// Replies that arrived for console commands that had blocked (`WAIT`).
    pub fn poll_replies(&mut self) -> Vec<(String, String)> {
        self.runner.poll_replies()
    }

    /// Show the world as it was (or will be, replaying the log) at `t`: every event
    /// up to and including `t`, every statement applied before `t`.
    pub fn seek(&mut self, t: SimTime) {
        let cps = self.runner.checkpoints.as_ref().map(|c| &c.list);
        let Some(cp) = cps
            .and_then(|l| l.iter().rev().find(|c| c.time() <= t))
            .cloned()
        else {
            return;
        };
        let e0 = cp.events();
        self.runner.sim.restore(&cp);
        self.partial = None;
        // Checkpoints past the target stay valid until the timeline forks (apply
        // drops them then), so a later forward seek can start from one of them.
        let mut in_effect = self
            .actions
            .iter()
            .take_while(|a| a.end_events <= e0 && !(a.at_events >= e0 && a.interactive))
            .count();
        let first = in_effect;
        for i in first..self.actions.len() {
            let a = self.actions[i].clone();
            in_effect = i;
            if a.at_events >= e0 {
                // Statements applied at exactly `t` count as after it: seeking to the
                // moment of an action shows the world the action found.
                if a.t_us >= t.as_us() {
                    break;
                }
                self.step_to(a.at_events);
                if a.end_t_us <= t.as_us() {
                    let r = if a.interactive {
                        self.runner.exec_interactive(&a.stmt)
                    } else {
                        self.runner.exec(&a.stmt)
                    };
                    // It ran before, so it runs again the same way.
                    debug_assert!(r.is_ok(), "replayed statement failed: {}", a.text);
                    debug_assert_eq!(self.runner.sim.events_processed, a.end_events);
                    in_effect = i + 1;
                } else {
                    // `t` falls inside this statement: only its first instant happens.
                    // A command was sent then (it stays, now without waiting); a
                    // `wait` is simply cut short.
                    if let StmtKind::Command { .. } = a.stmt.kind {
                        let _ = self.runner.exec_interactive(&a.stmt);
                        self.partial = Some(i);
                        in_effect = i + 1;
                    }
                    break;
                }
            } else if a.end_t_us <= t.as_us() {
                // A statement in progress at the checkpoint: let it finish.
                self.step_to(a.end_events);
                if let StmtKind::Command { node, .. } | StmtKind::ExpectReply { node, .. } =
                    &a.stmt.kind
                {
                    if let Some(id) = self.runner.sim.node_id(node) {
                        self.runner.sim.take_reply(id);
                    }
                }
                in_effect = i + 1;
            } else {
                if !matches!(a.stmt.kind, StmtKind::Command { .. }) {
                    break;
                }
                in_effect = i + 1;
                break;
            }
            in_effect = in_effect.max(i + 1);
        }
        self.in_effect = in_effect.min(self.actions.len());
        self.runner.run_until(t);
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
    pub fn script(&self) -> String {
        let mut out = String::new();
        let mut t = 0u64;
        for a in &self.actions[..self.in_effect] {
            if a.t_us > t {
                out.push_str(&format!("wait {}\n", fmt_duration(a.t_us - t)));
            }
            out.push_str(a.text.trim_end());
            out.push('\n');
            t = a.end_t_us;
        }
        let now = self.runner.sim.now().as_us();
        if now > t {
            out.push_str(&format!("wait {}\n", fmt_duration(now - t)));
        }
        out
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

/// A duration in the scenario language, in the largest exact unit.
fn fmt_duration(us: u64) -> String {
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
        let mid = serde_json::to_string(&p.view()).unwrap();
        p.apply("disconnect m r1").unwrap();
        p.apply("m> SET b 2").unwrap();
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

    #[test]
    fn acting_after_a_seek_forks_the_timeline() {
        let mut p = Playground::new(BASE, Some(3)).unwrap();
        p.advance(1_000_000);
        let t = p.now();
        p.apply("m> SET a 1").unwrap();
        p.advance(1_000_000);
        p.seek(t);
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
