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

/// The longest spacing [`Playground::budget_checkpoints`] stretches it to (about 85
/// simulated minutes): it is doubled each time the checkpoints are thinned, and
/// unbounded it would overflow the clock when added to it.
const CHECKPOINT_EVERY_MAX_US: u64 = CHECKPOINT_EVERY_US << 10;

/// Log records the playground keeps at least while a statement runs (twice as many
/// at most: see `Trace::cap`).
pub const TRACE_CAP: usize = 8192;

/// What the history kept for seeking may cost: the statements logged (about
/// `ACTION_BYTES` each: a tab left playing under a write load logs one a write) and
/// the replication stream the checkpoints keep alive beyond what the world's own
/// backlogs hold (`history_cost`). Past it, the oldest statements are forgotten
/// together with the checkpoints they need (`Playground::forget_old`), and the world
/// can no longer be shown before the first checkpoint kept ([`Playground::kept_from`]).
/// A console session keeps everything. On the page's road (6 nodes, one logged SET a
/// simulated ms; `cargo test --release --test page_history -- --nocapture`) it keeps
/// the last 30.6 to 34.6 simulated seconds, 44 MB live at the peak (the world, its
/// checkpoints, this history): each second of window costs about 0.7 MB (statements
/// 0.13, six backlogs' stream 0.29, a checkpoint's copy of the keyspaces every 5 s
/// 0.25; the checkpoints are bounded apart, by [`CHECKPOINT_BYTES_MAX`]). 12 MB would
/// keep 40.6 to 44.6 s for 53 MB (the page's wasm memory 65 MB, 59 MB at 8 MB;
/// `node tools/page-memory.mjs www`); the budget was 12 MB when the world's
/// backlogs were counted twice and forgetting went down to 3/4 of it (20.6 to 29.6 s,
/// 40 MB, wasm 54 MB).
pub const HISTORY_BYTES_MAX: usize = 8 << 20;

/// What one logged statement takes, about: where it was applied, and its text (the
/// parsed form is kept only for statements the text does not give back).
const ACTION_BYTES: usize = 128;

/// What the checkpoints may hold together ([`crate::sim::Checkpoint::bytes`]): past it,
/// every other one after the first is dropped and they are taken half as often, so a
/// world holding a big dataset keeps a few (seeking replays longer) instead of 128
/// copies of it; a world bigger than it keeps two (the first and the newest).
pub const CHECKPOINT_BYTES_MAX: usize = 64 << 20;

/// The page's dataset ceiling: the data all the simulated nodes may hold together
/// ([`crate::sim::Sim::data_bytes`]: keys and values, dump.rdb files; not bytes in
/// flight). A statement that would take the world past it is refused before it runs
/// and changes nothing; time that would, or did, stops ([`Playground::stopped`]). It is a limit of this simulator in a browser tab (every
/// checkpoint copies the world, and wasm memory never shrinks), not of Redis, which
/// has `maxmemory` (not simulated) and answers `-OOM`. `replscope run` has its own
/// ceiling (`--memory-limit`). Measured (`tools/page-memory.mjs --ceiling`): a world at
/// it peaks at about 1.25 GB of wasm memory (the world, two checkpoints, one copy being
/// taken or restored) over two simulated minutes at 1× and 100× and seeks.
pub const DATA_BYTES_MAX: usize = 256 << 20;

/// What a statement refused by the ceiling says (its size written out: a `format!`
/// here costs the page's download more than the words).
const CEILING_MESSAGE: &str = "not run: the simulated nodes would hold over 256 MB of data, \
    the page's ceiling (a limit of replscope, not of Redis); nothing changed";

/// Why time stopped ([`Playground::stopped`]): before a replica's full sync copies its
/// master's data past the ceiling. A code: the page says it in the reader's language.
pub const COPY_STOP: u8 = 1;

/// Why time stopped: data that time brought (an RDB file, a sync) passed the ceiling.
pub const GREW_STOP: u8 = 2;

/// Below this much estimated growth a statement is not measured against the ceiling
/// one by one: the growth is summed until it reaches it (a write load stays cheap).
const DATA_CHECK_STEP: usize = 1 << 20;

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
    /// The parsed statement, except for a console line as typed: that one is parsed
    /// again from `text` when replayed (with the nodes there were when it was applied,
    /// as then), which keeps a long log small (a parsed `SET` takes about four times
    /// its text).
    #[serde(skip)]
    stmt: Option<Box<Stmt>>,
}

/// What applying a statement printed and checked.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Applied {
    /// Console output (the statement and the reply, as redis-cli prints it).
    pub output: String,
    /// Results of `expect` statements.
    pub expectations: Vec<Expectation>,
}

/// What [`Playground::prepare`] kept for [`Playground::record`].
struct Prep {
    saved: Option<(Vec<Action>, usize, Option<usize>, HistoryTail)>,
    dropped_cps: Vec<Checkpoint>,
    at_events: u64,
    t_us: u64,
    before: usize,
    awaiting: usize,
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
    /// What the history may cost ([`HISTORY_BYTES_MAX`] unless a test sets another).
    history_max: usize,
    /// Estimated growth of the data since [`Sim::data_bytes`] was last measured
    /// against [`DATA_BYTES_MAX`] (see [`Playground::check_ceiling`]).
    unmeasured: usize,
    /// The dataset ceiling ([`DATA_BYTES_MAX`] unless a test sets another).
    data_max: usize,
    /// Why time stopped in the last `advance` or `step`, if it did.
    stopped: Option<u8>,
    /// The most data measured over the ceiling since it was last under it (0 while
    /// under): time stops again only past it ([`Playground::run_guarded`]).
    data_seen: usize,
    /// Where the recorded history ends: the moment shown when the world was last
    /// rewound from the end of its log (past it, a replay runs new history), and the
    /// events processed then (a step can stop between events of one microsecond: a
    /// replay to `end` stops where that world stood, not after the whole microsecond).
    end: SimTime,
    end_events: u64,
    /// [`Playground::growth_marks`] when new history last stopped running, unless it
    /// stopped before a copy (then it is looked at again on the next call).
    marks: Option<(usize, usize, u64)>,
    /// A scenario's statements still to run ([`Playground::load`]), last first.
    pending: Vec<Stmt>,
    /// The scenario's `wait` running in [`Playground::load`]: the statement, what
    /// [`Playground::prepare`] kept, and where it ends.
    waiting: Option<(Stmt, Prep, SimTime)>,
}

impl Playground {
    /// Build a world by running a scenario (statements that block run to their end,
    /// as in `replscope run`). `seed` overrides the scenario's.
    ///
    /// # Errors
    /// The scenario's parse error, or the first statement that cannot run.
    pub fn new(scenario: &str, seed: Option<u64>) -> Result<Playground, ScenarioError> {
        let mut p = Playground::begin(scenario, seed)?;
        p.load(u64::MAX)?;
        Ok(p)
    }

    /// A world about to run a scenario: parsed, its nodes declared, nothing run yet
    /// ([`Playground::load`] runs it, a stretch of simulated time at a call, so the
    /// page can draw and offer Stop while a scenario of hours loads).
    ///
    /// # Errors
    /// The scenario's parse error.
    pub fn begin(scenario: &str, seed: Option<u64>) -> Result<Playground, ScenarioError> {
        let parsed = parse_scenario(scenario)?;
        let mut runner = Runner::new(seed.unwrap_or_else(|| parsed.seed()));
        runner.declare(parsed.node_names().into_iter().map(String::from));
        runner.checkpoints = Some(Checkpoints {
            every_us: CHECKPOINT_EVERY_US,
            list: Vec::new(),
        });
        // The page reads the newest records (it keeps 4,000): one long statement must
        // not pile up millions first.
        runner.sim.trace.cap = TRACE_CAP;
        // A first checkpoint, of the world before anything: checkpoints are otherwise
        // taken as events run, and a scenario may wait before its first event (`node
        // m`, `wait 100ms`: the boot comes later), leaving nothing to seek back from.
        if let Some(c) = runner.checkpoints.as_mut() {
            c.maybe_take(&mut runner.sim, 0);
        }
        let mut p = Playground {
            runner,
            actions: Vec::new(),
            in_effect: 0,
            running: None,
            future: HistoryTail::default(),
            loaded: Applied::default(),
            dropped: 0,
            history_max: HISTORY_BYTES_MAX,
            unmeasured: 0,
            data_max: DATA_BYTES_MAX,
            stopped: None,
            data_seen: 0,
            end: SimTime::ZERO,
            end_events: 0,
            marks: None,
            pending: Vec::new(),
            waiting: None,
        };
        p.pending = parsed.statements;
        p.pending.reverse();
        Ok(p)
    }

    /// Run more of a scenario begun with [`Playground::begin`]: its statements in
    /// turn until `budget_us` of simulated time has run (a `wait` stops part of the
    /// way through, and goes on at the next call). True once every statement has run;
    /// until then the world is not to be shown or changed. The world it builds is
    /// the one [`Playground::new`] builds, whatever the budgets: a `wait` runs the
    /// same events and is logged once, whole (tests/playground_load.rs).
    ///
    /// # Errors
    /// The first statement that cannot run (the playground is then of no use).
    pub fn load(&mut self, budget_us: u64) -> Result<bool, ScenarioError> {
        let until = SimTime(self.runner.sim.now().as_us().saturating_add(budget_us));
        loop {
            if let Some((stmt, prep, end)) = self.waiting.take() {
                self.runner.run_until(end.min(until));
                if end > until {
                    self.waiting = Some((stmt, prep, end));
                    return Ok(false);
                }
                // A `wait` prints and checks nothing.
                self.record(prep, stmt, false, Ok(String::new()))?;
                continue;
            }
            let Some(stmt) = self.pending.pop() else {
                return Ok(true);
            };
            if let StmtKind::Wait { duration_us } = stmt.kind {
                // `Runner::exec`'s `wait`, its running to the end left to the loop.
                let prep = self.prepare(&stmt)?;
                self.runner.sim.statement_begins();
                match self.runner.wait_end(&stmt, duration_us) {
                    Ok(end) => self.waiting = Some((stmt, prep, end)),
                    Err(e) => return self.record(prep, stmt, false, Err(e)).map(|_| false),
                }
                continue;
            }
            let a = self.apply_stmt(stmt, false)?;
            self.loaded.output.push_str(&a.output);
            self.loaded.expectations.extend(a.expectations);
            if self.runner.sim.now() >= until {
                return Ok(self.pending.is_empty());
            }
        }
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
        let known = self.node_names();
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
        // Only names not known yet (`replicaof=` a node declared later): the runner
        // keeps every name it is given, and a write load names its node each time.
        self.runner.declare(
            stmt.kind
                .names()
                .iter()
                .filter(|n| !known.iter().any(|k| k == *n))
                .map(|s| s.to_string()),
        );
        self.apply_stmt(stmt, true)
    }

    fn apply_stmt(&mut self, stmt: Stmt, interactive: bool) -> Result<Applied, ScenarioError> {
        let prep = self.prepare(&stmt)?;
        let run = if interactive {
            self.runner.exec_interactive(&stmt)
        } else {
            self.runner.exec(&stmt)
        };
        self.record(prep, stmt, interactive, run)
    }

    /// What [`Playground::apply_stmt`] does before the statement runs: the ceiling
    /// checked, the timeline forked, what the statement may have to give back kept.
    #[inline(never)]
    fn prepare(&mut self, stmt: &Stmt) -> Result<Prep, ScenarioError> {
        self.check_ceiling(stmt)?;
        // Applying something in the past forks the timeline. Kept aside until the
        // statement has run: one that fails without running leaves the log as it was.
        // At the end of the log (the usual case, e.g. a write load) nothing forks and
        // nothing needs saving: the log is only cloned when it is about to be cut.
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
        // A command to a node still booting waits for the boot, as redis-cli retries:
        // that wait is time passing, not the command's, so the command is logged where
        // the boot is and a moment before it shows it not yet sent (replayed, the
        // command itself waited for the boot: a seek before it showed the boot).
        if !forks {
            if let StmtKind::Command { node, .. }
            | StmtKind::Send { node, .. }
            | StmtKind::ExpectReply { node, .. } = &stmt.kind
            {
                if let Some(id) = self.runner.sim.node_id(node) {
                    while self.runner.sim.is_booting(id) && self.runner.step() {}
                }
            }
        }
        let now_events = self.runner.sim.events_processed;
        self.fork();
        let dropped_cps = match self.runner.checkpoints.as_mut() {
            Some(c) => {
                // Checkpoints are in the order of the one timeline they were taken
                // on (events and tags grow), so those past the moment are a tail.
                let keep = self.in_effect;
                let past = |cp: &Checkpoint| cp.events() > now_events || cp.tag > keep;
                let k = c.list.iter().position(past).unwrap_or(c.list.len());
                c.list.split_off(k)
            }
            None => Vec::new(),
        };
        let (at_events, t_us) = (now_events, self.runner.sim.now().as_us());
        let before = self.runner.expectations.len();
        let awaiting = self.runner.awaiting();
        self.runner.tag = self.actions.len() + 1;
        Ok(Prep {
            saved,
            dropped_cps,
            at_events,
            t_us,
            before,
            awaiting,
        })
    }

    /// What [`Playground::apply_stmt`] does once the statement ran (`run`): logged,
    /// or on an error the log put back as it was.
    #[inline(never)]
    fn record(
        &mut self,
        prep: Prep,
        stmt: Stmt,
        interactive: bool,
        run: Result<String, ScenarioError>,
    ) -> Result<Applied, ScenarioError> {
        let Prep {
            saved,
            dropped_cps,
            at_events,
            t_us,
            before,
            awaiting,
        } = prep;
        let now_events = at_events;
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
                    }
                } else if let Some(c) = self.runner.checkpoints.as_mut() {
                    // It failed after time ran (a `wait sync` that gave up after 10
                    // simulated minutes): it is not logged, so the checkpoints taken
                    // meanwhile hold the world of the statements logged, time having
                    // passed, as while playing. Labelled with the failed statement's
                    // number, they named an action that does not exist (a seek then
                    // panicked) or, once another was logged, the wrong one.
                    let n = self.actions.len();
                    for cp in c.list.iter_mut().filter(|cp| cp.tag > n) {
                        cp.tag = n;
                    }
                }
                self.runner.tag = self.in_effect;
                return Err(e);
            }
        };
        // The playground keeps neither the transcript nor past verdicts: each statement
        // returns its own (a long session would otherwise hold every reply).
        let expectations = self.runner.expectations.split_off(before);
        self.runner.stdout.clear();
        // A console line is its own parse (`apply` parsed exactly this text with the
        // nodes there were): parsed again when replayed. A scenario's statement (it
        // may name a node declared later) stays parsed.
        let (text, kept) = if interactive {
            let blocked =
                matches!(stmt.kind, StmtKind::Command { .. }) && self.runner.awaiting() > awaiting;
            // A console command that blocks did not hold time up: logged as `send`,
            // so the session's script replays at the same instants.
            let text = if blocked {
                format!("send {}", stmt.text.trim())
            } else {
                stmt.text
            };
            (text, None)
        } else {
            (stmt.text.clone(), Some(Box::new(stmt)))
        };
        if self.actions.len() == self.actions.capacity() {
            // Grown by a quarter, not doubled: a busy page's log stays near what the
            // history budget allows (`forget_old`), and doubling would hold up to twice
            // it (2.4 MB more at 30,000 statements).
            self.actions.reserve_exact(self.actions.len() / 4 + 64);
        }
        self.actions.push(Action {
            at_events,
            t_us,
            end_events: self.runner.sim.events_processed,
            end_t_us: self.runner.sim.now().as_us(),
            text,
            interactive,
            stmt: kept,
        });
        self.in_effect = self.actions.len();
        self.forget_old();
        self.budget_checkpoints();
        Ok(Applied {
            output,
            expectations,
        })
    }

    /// Bound the log: once the history costs more than `history_max`, forget the
    /// statements before the first checkpoint from which it costs no more, and every
    /// checkpoint before it. Only at the end of the log (nothing rewound,
    /// nothing running), so what is dropped is never the recorded future.
    fn forget_old(&mut self) {
        if self.running.is_some() || self.in_effect < self.actions.len() || !self.future.is_empty()
        {
            return;
        }
        let Some(c) = self.runner.checkpoints.as_mut() else {
            return;
        };
        let (n, max) = (self.actions.len(), self.history_max);
        let cost = history_cost(&self.runner.sim, n);
        if c.list.first().is_none_or(|cp| cost(cp) <= max) {
            return;
        }
        // The fewest forgotten: the window kept stays near its longest (forgetting
        // more at once would not lower the peak, only the window), at the price of
        // a forget once a checkpoint's interval.
        let Some(k) = c
            .list
            .iter()
            .position(|cp| cp.tag > 0 && cost(cp) <= max)
            .or_else(|| c.list.iter().rposition(|cp| cp.tag > 0))
        else {
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
        self.runner.sim.forget_samples(&c.list[0]);
        self.actions.drain(..d);
        self.in_effect -= d;
        self.runner.tag = self.runner.tag.saturating_sub(d);
        self.dropped += d;
    }

    /// Bound what the checkpoints hold together ([`CHECKPOINT_BYTES_MAX`]): past it,
    /// drop every other one (the first stays: seeking before anything else needs it;
    /// the newest too: seeking near the end replays little) and take them half as
    /// often, as [`Checkpoints::maybe_take`] does past its count, up to
    /// [`CHECKPOINT_EVERY_MAX_US`]. A world bigger than the budget keeps only the
    /// first and the newest: three copies of it at most, with the world and the one
    /// being taken.
    fn budget_checkpoints(&mut self) {
        let Some(c) = self.runner.checkpoints.as_mut() else {
            return;
        };
        let held = |list: &[Checkpoint]| list.iter().map(|cp| cp.bytes).sum::<usize>();
        let last = c.list.len().saturating_sub(1);
        if last < 2 || held(&c.list) <= CHECKPOINT_BYTES_MAX {
            return;
        }
        let mut i = 0;
        c.list.retain(|_| {
            i += 1;
            i % 2 == 1 || i - 1 == last
        });
        if held(&c.list) > CHECKPOINT_BYTES_MAX {
            let newest = c.list.pop();
            c.list.truncate(1);
            c.list.extend(newest);
        }
        c.every_us = c.every_us.saturating_mul(2).min(CHECKPOINT_EVERY_MAX_US);
    }

    /// Refuse a statement that would take the data of the world past the dataset
    /// ceiling ([`DATA_BYTES_MAX`]), before it runs. The growth is estimated from the
    /// statement ([`growth_estimate`]); the data is measured only once the estimates
    /// since the last measure add up to [`DATA_CHECK_STEP`]. Growth that time brings
    /// (a full sync's copy, an RDB file) is watched while time runs
    /// ([`Playground::advance`]); once over, statements that add data are refused
    /// until some is deleted.
    fn check_ceiling(&mut self, stmt: &Stmt) -> Result<(), ScenarioError> {
        let sim = &self.runner.sim;
        let growth = growth_estimate(sim, &stmt.kind);
        if growth == 0 || self.unmeasured.saturating_add(growth) < DATA_CHECK_STEP {
            self.unmeasured += growth;
            return Ok(());
        }
        // What was estimated since the last measure may not be in the world yet (a
        // write reaches the replicas later): counted again, to err on the safe side.
        let held = sim.data_bytes().saturating_add(self.unmeasured);
        if held.saturating_add(growth) <= self.data_max {
            self.unmeasured = growth;
            return Ok(());
        }
        Err(ScenarioError {
            line: stmt.line,
            col: 1,
            message: CEILING_MESSAGE.to_string(),
        })
    }

    /// The earliest moment that can still be shown: time zero, unless the oldest
    /// statements were forgotten to bound memory ([`HISTORY_BYTES_MAX`]); then the first
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
            let sent = self.stmt_of(i).and_then(|stmt| {
                let (node, argv) = match &stmt.kind {
                    StmtKind::Command { node, argv } | StmtKind::ExpectReply { node, argv, .. } => {
                        (node.clone(), argv.clone())
                    }
                    StmtKind::Restart { node } => (node.clone(), vec![b"SHUTDOWN".to_vec()]),
                    _ => return None,
                };
                let label = command_text(&stmt, &node);
                Some((node, argv, label))
            });
            match sent {
                Some((node, argv, label)) => {
                    // Logged as the command it sent (parsed again when replayed).
                    let a = &mut self.actions[i];
                    a.text = format!("send {label}");
                    a.stmt = None;
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
        // What the dropped future measured is not this timeline's.
        (self.data_seen, self.marks) = (0, None);
    }

    /// Let simulated time run for `us` microseconds (after a rewind, through the
    /// statements logged: the timeline plays on as it was). New history (at the end
    /// of the log) stops early at the dataset ceiling: see [`Playground::stopped`].
    pub fn advance(&mut self, us: u64) {
        let t = self.runner.sim.now().plus_us(us);
        self.stopped = None;
        if self.at_end() {
            self.run_guarded(t, false);
        } else {
            self.replay_then_run(t);
        }
    }

    /// Run a rewound world to `t`: the recorded history is replayed up to its end
    /// (`end`, no further than the events processed there), and what lies past it is
    /// new history, run as [`Playground::advance`] runs it, watched by the dataset
    /// ceiling.
    fn replay_then_run(&mut self, t: SimTime) {
        self.replay_to(t.min(self.end), self.end_events);
        if t > self.end {
            if self.at_end() {
                self.run_guarded(t, false);
            } else {
                // Still recorded past the end (a statement running on): replayed.
                self.replay_to(t, u64::MAX);
            }
        }
    }

    /// Why the last [`Playground::advance`] or [`Playground::step`] stopped short, if
    /// it did: the dataset ceiling ([`DATA_BYTES_MAX`]) counts what time brings too.
    /// Before a replica's full sync would copy its master's data past it, time stays
    /// (every call stops there again until the master holds less or the replica stops
    /// syncing); after an RDB file or a sync took the data past it and higher than
    /// the last measure, time stops once (a next call goes on: what time brought is
    /// not undone, and deleting data on a master needs time to reach its replicas).
    pub fn stopped(&self) -> Option<u8> {
        self.stopped
    }

    /// Whether the world shown is at the end of the log (nothing rewound or running).
    fn at_end(&self) -> bool {
        self.running.is_none() && self.in_effect == self.actions.len() && self.future.is_empty()
    }

    /// Run new history to `t` (or one event with `one`), watching the dataset ceiling
    /// after each event that may have copied data: a replica that began or finished
    /// a full sync, an RDB file written, a node started. Those are counted cheaply
    /// per event; the data is measured only when they change (a partial resync or a
    /// dropped link costs nothing), and a sync in progress is not measured again each
    /// call unless it was what stopped time.
    fn run_guarded(&mut self, t: SimTime, one: bool) -> bool {
        let mut marks = self.growth_marks();
        if self.marks != Some(marks) {
            self.stopped = self.copy_over_ceiling();
        }
        let (mut stepped, verdicts) = (false, self.runner.expectations.len());
        while self.stopped.is_none() {
            if self.runner.sim.next_event_time().is_none_or(|at| at > t) {
                if !one {
                    self.runner.run_until(t);
                }
                break;
            }
            stepped |= self.runner.step();
            let now = self.growth_marks();
            if now != marks {
                marks = now;
                self.stopped = self.copy_over_ceiling().or_else(|| {
                    let held = self.runner.sim.data_bytes();
                    let over = held > self.data_max;
                    let grew = over && held > self.data_seen;
                    self.data_seen = if over { held.max(self.data_seen) } else { 0 };
                    grew.then_some(GREW_STOP)
                });
            }
            if one {
                break;
            }
        }
        self.marks = (self.stopped != Some(COPY_STOP)).then_some(marks);
        // As `replay_to`: nothing printed or checked while time runs is kept.
        self.runner.stdout.clear();
        self.runner.expectations.truncate(verdicts);
        self.budget_checkpoints();
        stepped
    }

    /// What changes when time may have copied data: (the dump.rdb files' bytes,
    /// replicas receiving a full sync, node starts). Every full sync, disk or diskless,
    /// goes through [`crate::repl::LinkState::Transfer`] and out of it when loaded.
    fn growth_marks(&self) -> (usize, usize, u64) {
        let mut m = (0, 0, 0);
        for slot in &self.runner.sim.nodes {
            m.0 += slot.rdb.as_ref().map_or(0, |f| f.len());
            m.2 += u64::from(slot.incarnation);
            if slot.node.as_ref().map(|n| n.repl.state) == Some(crate::repl::LinkState::Transfer) {
                m.1 += 1;
            }
        }
        m
    }

    /// Whether a replica receiving a full sync would take the data past the ceiling
    /// once it holds its master's data instead of its own, and a dump.rdb of it
    /// ([`copy_bytes`]).
    fn copy_over_ceiling(&self) -> Option<u8> {
        let sim = &self.runner.sim;
        let mut copies = 0usize;
        for slot in &sim.nodes {
            let Some(n) = slot.node.as_ref() else {
                continue;
            };
            if n.repl.state != crate::repl::LinkState::Transfer {
                continue;
            }
            let Some(master) = n.repl.masterhost.as_deref() else {
                continue;
            };
            let own =
                crate::node::persist::data_bytes(n) + slot.rdb.as_ref().map_or(0, |f| f.len());
            copies += copy_bytes(node_data(sim, master)).saturating_sub(own);
        }
        (copies > 0 && sim.data_bytes().saturating_add(copies) > self.data_max).then_some(COPY_STOP)
    }

    /// Process the next event (after a rewind, with the statements logged before
    /// it). Returns false if nothing is scheduled, or if time stopped at the dataset
    /// ceiling ([`Playground::stopped`]).
    ///
    /// After a rewind, an event past the recorded end (`end`) is new history: the
    /// recorded part is replayed to its end, then the event runs as at the end of the
    /// log, watched by the dataset ceiling (as [`Playground::advance`] and
    /// [`Playground::seek`] run it).
    pub fn step(&mut self) -> bool {
        self.stopped = None;
        if !self.at_end() {
            let Some(t) = self.runner.sim.next_event_time() else {
                return false;
            };
            let events = self.runner.sim.events_processed;
            if events >= self.end_events {
                // The recorded history ends here: what it logged then, then new history.
                self.replay_to(self.end, self.end_events);
            }
            if !self.at_end() {
                // One event, as at the end of the log (with the statements logged
                // before it): stepping a rewound world stops where stepping stopped.
                self.replay_to(t, events + 1);
                return true;
            }
        }
        self.run_guarded(SimTime(u64::MAX), true)
    }

    /// Replies that arrived for console commands that had blocked (`WAIT`).
    pub fn poll_replies(&mut self) -> Vec<(String, String)> {
        self.runner.poll_replies()
    }

    /// Show the world as it was (or will be, replaying the log) at `t`: every event
    /// and every statement up to and including `t`.
    /// Before [`Playground::kept_from`] (history forgotten), the earliest moment kept.
    /// From the end of the log, a moment ahead is new history: it runs as
    /// [`Playground::advance`] runs it, watched by the dataset ceiling.
    pub fn seek(&mut self, t: SimTime) {
        let t = t.max(self.kept_from());
        let now = self.runner.sim.now();
        self.stopped = None;
        if self.at_end() {
            (self.end, self.end_events) = (now, self.runner.sim.events_processed);
            if t > now {
                self.advance(t.as_us() - now.as_us());
                self.runner.poll_replies();
                return;
            }
        }
        // Every checkpoint kept was taken at most `end_events` events in (those of a
        // timeline left behind were dropped when it forked), so replaying from one to
        // the end never has to go back.
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
        self.replay_then_run(t);
        self.runner.expectations.truncate(expectations);
        // Replies that came before `t` were shown when they came.
        self.runner.poll_replies();
    }

    /// The statement logged at `i`: kept parsed, or parsed again from its text with
    /// the nodes there are now (a replay is where it was applied, so the same nodes).
    fn stmt_of(&self, i: usize) -> Option<Stmt> {
        let a = &self.actions[i];
        match &a.stmt {
            Some(s) => Some((**s).clone()),
            None => parse_statement(&a.text, 1, &self.node_names())
                .ok()
                .flatten(),
        }
    }

    fn node_names(&self) -> Vec<String> {
        self.runner
            .sim
            .nodes
            .iter()
            .map(|s| s.name.to_string())
            .collect()
    }

    /// Run to `t` from the world shown, applying the statements logged on the way
    /// exactly where they were applied, those applied at `t` included, processing
    /// no more than `cap` events in all (the events processed where a step stopped:
    /// several events can share a microsecond, and stopping between them is a moment
    /// of its own).
    fn replay_to(&mut self, t: SimTime, cap: u64) {
        let lens0 = self.runner.sim.history_lens();
        let verdicts = self.runner.expectations.len();
        loop {
            if let Some(i) = self.running {
                let a = &self.actions[i];
                if a.end_t_us > t.as_us() || a.end_events > cap {
                    break;
                }
                let (t_end, end) = (SimTime(a.end_t_us), a.end_events);
                self.run_to(t_end, end);
                let r = match self.stmt_of(i) {
                    Some(stmt) => self.runner.finish(&stmt),
                    None => Ok(()),
                };
                debug_assert!(r.is_ok());
                self.running = None;
                continue;
            }
            let i = self.in_effect;
            let Some(a) = self.actions.get(i) else {
                break;
            };
            if a.t_us > t.as_us() || a.at_events > cap {
                break;
            }
            // It takes time (events, or only time: a `wait` with nothing happening
            // meanwhile): begun here and finished when its end is reached, so a
            // moment inside it, or at its very start, shows it cut there.
            let (at_events, t_us, blocks, interactive) = (
                a.at_events,
                a.t_us,
                a.end_events > a.at_events || a.end_t_us > a.t_us,
                a.interactive,
            );
            // The clock may have run on past the last event before it was applied;
            // or it was applied between two events of one microsecond (after a
            // step), and the rest of that microsecond comes after it.
            self.run_to(SimTime(t_us), at_events);
            let stmt = self.stmt_of(i);
            debug_assert!(stmt.is_some(), "a logged statement no longer parses");
            self.in_effect += 1;
            self.runner.tag = self.in_effect;
            let Some(stmt) = stmt else {
                continue;
            };
            let r = if blocks {
                // Started here, finished above when its end is reached.
                self.running = Some(i);
                self.runner.begin(&stmt)
            } else if interactive {
                self.runner.exec_interactive(&stmt).map(drop)
            } else {
                self.runner.exec(&stmt).map(drop)
            };
            // It ran before, so it runs again the same way.
            debug_assert!(r.is_ok(), "replayed statement failed: {}", stmt.text);
        }
        self.run_to(t, cap);
        self.runner.stdout.clear();
        self.runner.expectations.truncate(verdicts);
        self.budget_checkpoints();
        if !self.future.is_empty() {
            let lens1 = self.runner.sim.history_lens();
            self.future =
                std::mem::take(&mut self.future).skip(lens1.0, lens1.1, lens1.2 - lens0.2);
        }
    }

    /// Process the events up to `t`, no more than `cap` in all, then set the clock
    /// to `t`, unless some event of the last microsecond is left (the clock is there
    /// already: only a step stops between events of one microsecond, and time only
    /// runs on once all of them have run).
    fn run_to(&mut self, t: SimTime, cap: u64) {
        let due = |sim: &crate::sim::Sim| {
            sim.events_processed < cap && sim.next_event_time().is_some_and(|at| at <= t)
        };
        while due(&self.runner.sim) {
            self.runner.step();
        }
        if self.runner.sim.next_event_time().is_none_or(|at| at > t) {
            self.runner.run_until(t);
        }
        debug_assert!(self.runner.sim.now() == t || self.runner.sim.events_processed == cap);
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

    /// The PSYNC decisions kept: the newest ([`crate::sim::DECISIONS_KEEP`] at least),
    /// numbered from [`Playground::decisions_from`] on.
    pub fn decisions(&self) -> &[DecisionRecord] {
        &self.runner.sim.decisions
    }

    /// The number of the first decision kept: how many older ones were forgotten to
    /// bound memory (a seek before them makes some again, from a checkpoint on).
    pub fn decisions_from(&self) -> usize {
        self.runner.sim.decisions_from
    }

    /// Offsets sampled over time: those kept, numbered from [`Playground::samples_from`]
    /// on (older ones are forgotten with the statements of their time).
    pub fn samples(&self) -> &[OffsetSample] {
        &self.runner.sim.samples
    }

    /// The number of the first sample kept.
    pub fn samples_from(&self) -> usize {
        self.runner.sim.samples_from
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

/// What the history from checkpoint `cp` on costs ([`HISTORY_BYTES_MAX`]), with `n`
/// statements logged: the statements logged since, and the replication stream the
/// checkpoints keep alive. Their backlogs share blocks with the world's and with each
/// other's, so what they hold is the stream written since the oldest of them, less
/// what the world's own backlogs hold anyway (counted, it was half the budget of a
/// busy page: 1 MB a node, six nodes).
fn history_cost(sim: &crate::sim::Sim, n: usize) -> impl Fn(&Checkpoint) -> usize {
    let now = sim.stream_bytes();
    let own: usize = sim
        .nodes
        .iter()
        .filter_map(|slot| slot.node.as_ref()?.repl.backlog.as_ref())
        .map(|b| b.histlen.max(0) as usize)
        .sum();
    move |cp: &Checkpoint| {
        (n - cp.tag) * ACTION_BYTES + now.saturating_sub(cp.stream).saturating_sub(own)
    }
}

/// What a replica holds after a full sync of `data` bytes: the data, and the RDB
/// file it loaded them from (a replica loads through dump.rdb unless
/// `repl-diskless-load` says otherwise), about as big. An upper bound: the file is
/// smaller when values compress, and absent with a diskless load. Kept so: counting
/// the master's snapshot instead let a 100 MB world sync to 201 MB, and a world that
/// big exhausts the page's wasm memory anyway (checkpoints copy it).
fn copy_bytes(data: usize) -> usize {
    data.saturating_mul(2)
}

/// The keys and values a running node holds (its dump.rdb not counted), by name.
fn node_data(sim: &crate::sim::Sim, name: &str) -> usize {
    sim.node_id(name)
        .and_then(|id| sim.node(id))
        .map_or(0, crate::node::persist::data_bytes)
}

/// How many bytes of data a statement may add to the world, roughly: a command's
/// arguments after its first key on every node (replicas apply it too), plus
/// `SETRANGE`'s offset (it makes a string that long from a few bytes of input).
/// A statement that makes a node a replica (`node r replicaof=m`, `r> REPLICAOF m
/// 6379`) adds the copy of its master's data its full sync will make, with its RDB
/// file ([`copy_bytes`]), less what the node holds (which the copy replaces).
/// Other statements, and commands with at most one argument (`DEL k`, `FLUSHALL`),
/// count as nothing, so they are never refused.
fn growth_estimate(sim: &crate::sim::Sim, kind: &StmtKind) -> usize {
    if let StmtKind::Node { params, .. } = kind {
        return params
            .iter()
            .filter(|p| p.key == "replicaof" || p.key == "slaveof")
            .map(|p| {
                copy_bytes(node_data(
                    sim,
                    p.value.split_whitespace().next().unwrap_or(""),
                ))
            })
            .sum();
    }
    let (StmtKind::Command { argv, node }
    | StmtKind::Send { argv, node }
    | StmtKind::ExpectReply { argv, node, .. }) = kind
    else {
        return 0;
    };
    let is = |i: usize, w: &str| {
        argv.get(i)
            .is_some_and(|a| a.eq_ignore_ascii_case(w.as_bytes()))
    };
    if is(0, "replicaof") || is(0, "slaveof") {
        // `REPLICAOF NO ONE` adds nothing (and is how a replica stops a copy).
        let master = String::from_utf8_lossy(argv.get(1).map_or(&[][..], |a| &a[..]));
        return match is(1, "no") {
            true => 0,
            false => copy_bytes(node_data(sim, &master)).saturating_sub(node_data(sim, node)),
        };
    }
    let mut bytes: usize = argv.iter().skip(2).map(Vec::len).sum();
    if argv.len() == 4 && argv[0].eq_ignore_ascii_case(b"setrange") {
        bytes += std::str::from_utf8(&argv[2])
            .ok()
            .and_then(|o| o.parse::<usize>().ok())
            .unwrap_or(0);
    }
    bytes.saturating_mul(sim.nodes.len().max(1))
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
/// then a `wait` up to `end_us`. A stretch longer than a `wait` may ask for (a week:
/// the page's console runs a long `wait` as time passing, and Play runs on) is
/// written as several, so the script loads.
fn script_of(actions: &[Action], end_us: u64) -> String {
    let mut out = String::new();
    let mut t = 0u64;
    for a in actions {
        push_waits(&mut out, t, a.t_us);
        out.push_str(a.text.trim_end());
        out.push('\n');
        t = a.end_t_us;
    }
    push_waits(&mut out, t, end_us);
    out
}

/// `wait`s from `from` to `to` (none if `to` is not later), each at most a week.
fn push_waits(out: &mut String, mut from: u64, to: u64) {
    while to > from {
        let us = (to - from).min(crate::scenario::run::WAIT_MAX_US);
        out.push_str(&format!("wait {}\n", fmt_duration(us)));
        from += us;
    }
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
    fn a_script_writes_time_past_a_week_as_waits_it_can_load() {
        // Eight days of time passing (the console's sliced `wait`s, or Play) with no
        // statement: written as one `wait 11520m`, the script did not load.
        let mut p = Playground::new("node m hz=1\n", Some(5)).unwrap();
        for _ in 0..8 {
            p.advance(24 * 3600 * 1_000_000);
        }
        p.apply("m> SET a 1").unwrap();
        p.advance(7 * 24 * 3600 * 1_000_000 + 1_500);
        let script = p.script();
        assert!(
            script.ends_with("wait 10080m\nwait 1440m\nm> SET a 1\nwait 10080m\nwait 1500us\n"),
            "{script}"
        );
        let q = Playground::new(&format!("seed 5\n{script}"), None).unwrap();
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
        // Replaying the log parses the console lines again, the `send` among them.
        let (end, view) = (p.now(), serde_json::to_string(&p.view()).unwrap());
        let sent = p
            .actions()
            .iter()
            .find(|a| a.text.starts_with("send"))
            .unwrap();
        let (before, after) = (SimTime(sent.t_us - 1), SimTime(sent.t_us + 1_000_000));
        p.seek(after);
        let there = serde_json::to_string(&p.view()).unwrap();
        p.seek(before);
        p.seek(after);
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), there);
        p.seek(end);
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), view);
    }

    #[test]
    fn a_long_log_forgets_its_oldest_statements_and_still_seeks() {
        let steps: Vec<Result<&str, u64>> = (0..400)
            .flat_map(|_| [Ok("m> SET k v"), Err(100_000)])
            .collect();
        let mut p = Playground::new(BASE, Some(4)).unwrap();
        // About 18 s of these writes (128 bytes each: their stream is still in the
        // world's backlogs, not counted again): forgotten in steps of whole
        // checkpoints (every 5 s), as few as bring the cost under the budget.
        p.history_max = 24_000;
        for &step in &steps {
            match step {
                Ok(line) => drop(p.apply(line).unwrap()),
                Err(us) => p.advance(us),
            }
        }
        assert!(p.dropped() > 0);
        assert!(
            p.actions().len() <= 24_000 / ACTION_BYTES + 1,
            "{}",
            p.actions().len()
        );
        assert!(p.actions().len() > 130, "{}", p.actions().len());
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
    fn a_history_that_costs_too_much_forgets_its_oldest_part() {
        // 10 KB writes on two nodes: the stream the checkpoints keep grows 20 KB a
        // statement, far faster than the count of statements.
        let big = format!("m> SET k {}", "x".repeat(10_000));
        let steps: Vec<Result<&str, u64>> = (0..1_800)
            .flat_map(|_| [Ok(big.as_str()), Err(50_000)])
            .collect();
        let p = run_steps(&steps, u64::MAX);
        assert!(p.dropped() > 0);
        assert!(p.actions().len() < 1_300, "{}", p.actions().len());
        let c = p.runner.checkpoints.as_ref().unwrap();
        let first = c.list.first().unwrap();
        let cost = history_cost(&p.runner.sim, p.actions().len())(first);
        assert!(cost <= HISTORY_BYTES_MAX, "{cost}");
        assert!(
            cost <= p.actions().len() * ACTION_BYTES + p.runner.sim.stream_bytes() - first.stream
        );
        // The samples of the forgotten history are forgotten too; the others keep
        // their numbers.
        assert!(p.samples_from() > 0);
        assert!(p.samples()[0].t_us >= first.time().as_us());
        let taken = p.samples_from() + p.samples().len();
        let last = *p.samples().last().unwrap();
        // What is kept still seeks exactly.
        let mut p = p;
        let (from, end) = (p.kept_from().as_us(), p.now());
        for t in [from + 1, from + 2_345_678, end.as_us() - 10_000] {
            p.seek(SimTime(t));
            assert_eq!(offsets(&p), offsets(&run_steps(&steps, t)), "at {t}");
        }
        p.seek(end);
        assert_eq!(p.samples_from() + p.samples().len(), taken);
        assert_eq!(*p.samples().last().unwrap(), last);
    }

    #[test]
    fn checkpoints_of_a_big_dataset_are_thinned() {
        let big = format!("m> SET big {}", "x".repeat(900_000));
        let mut steps = vec![Ok(big.as_str())];
        for _ in 0..40 {
            steps.extend([Ok("m> SET k v"), Err(5_000_000)]);
        }
        let mut p = run_steps(&steps, u64::MAX);
        let c = p.runner.checkpoints.as_ref().unwrap();
        let held: usize = c.list.iter().map(|cp| cp.bytes).sum();
        assert!(
            held <= CHECKPOINT_BYTES_MAX + 2 * p.runner.sim.data_bytes(),
            "{held}"
        );
        assert!(c.every_us > CHECKPOINT_EVERY_US);
        // Nothing was forgotten: seeking anywhere is still exact.
        assert_eq!(p.dropped(), 0);
        let end = p.now();
        let view = serde_json::to_string(&p.view()).unwrap();
        for t in [1_000_000, 77_777_777, 150_000_000] {
            p.seek(SimTime(t));
            assert_eq!(offsets(&p), offsets(&run_steps(&steps, t)), "at {t}");
        }
        p.seek(end);
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), view);
    }

    #[test]
    fn a_statement_past_the_dataset_ceiling_is_refused_and_changes_nothing() {
        let mut p = Playground::new(BASE, Some(2)).unwrap();
        p.apply("m> SET a 1").unwrap();
        p.advance(1_000_000);
        let (view, script) = (serde_json::to_string(&p.view()).unwrap(), p.script());
        assert!(CEILING_MESSAGE.contains(&format!(" {} MB ", DATA_BYTES_MAX >> 20)));
        for i in 0..5 {
            let e = p
                .apply(&format!("m> SETRANGE k{i} 536870911 x"))
                .unwrap_err();
            assert_eq!(e.message, CEILING_MESSAGE);
            assert_eq!(
                e.to_string(),
                format!("line 1, column 1: {CEILING_MESSAGE}")
            );
        }
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), view);
        assert_eq!(p.script(), script);
        assert!(p.runner.sim.data_bytes() < 1 << 20);
        // Within the ceiling it runs.
        p.data_max = 4 << 20;
        p.apply("m> SETRANGE k 1000000 x").unwrap();
        assert!(p.apply("m> SETRANGE k2 1000000 x").is_err());
        // Deleting is never refused; then there is room again.
        p.apply("m> DEL k").unwrap();
        p.advance(1_000_000);
        p.apply("m> SETRANGE k2 1000000 x").unwrap();
    }

    /// The issue's reconnect loop: the replica's output buffer limit drops it every
    /// few ms, and each reconnection is a decision (about 120 a simulated second).
    const LOOP: &str = "node m\nnode r repl-backlog-size=1k \
        client-output-buffer-limit=\"replica 20kb 10kb 2\" hz=500\nm> REPLICAOF r\n";

    /// The decisions kept, by number, as JSON.
    fn numbered(p: &Playground) -> Vec<(usize, String)> {
        let from = p.decisions_from();
        p.decisions()
            .iter()
            .enumerate()
            .map(|(i, d)| (from + i, serde_json::to_string(d).unwrap()))
            .collect()
    }

    /// Each decision both keep is the same under the same number, and both have made
    /// as many.
    fn same_decisions(a: &Playground, b: &Playground, at: &str) {
        let end = |p: &Playground| p.decisions_from() + p.decisions().len();
        assert_eq!(end(a), end(b), "{at}");
        let b: std::collections::BTreeMap<_, _> = numbered(b).into_iter().collect();
        let mut common = 0;
        for (i, d) in numbered(a) {
            if let Some(e) = b.get(&i) {
                assert_eq!(&d, e, "decision {i} {at}");
                common += 1;
            }
        }
        assert!(common > 0 || end(a) == 0, "{at}");
    }

    #[test]
    fn decisions_are_bounded_and_keep_their_numbers_across_seeks() {
        use crate::sim::DECISIONS_KEEP;
        let straight = |t: u64| {
            let mut p = Playground::new(LOOP, Some(6)).unwrap();
            p.advance(t - p.now().as_us());
            p
        };
        let end_us = 50_000_000;
        let mut p = Playground::new(LOOP, Some(6)).unwrap();
        while p.now().as_us() < end_us {
            p.advance((end_us - p.now().as_us()).min(170_000));
            assert!(p.decisions().len() < DECISIONS_KEEP + DECISIONS_KEEP / 4);
        }
        let made = p.decisions_from() + p.decisions().len();
        assert!(p.decisions_from() > 1_000, "{made} made");
        assert!(p.decisions().len() >= DECISIONS_KEEP);
        let at_end = numbered(&p);
        same_decisions(&p, &straight(end_us), "at the end");
        // Back before the first kept (about 30 s): numbered as they were made, those
        // made again by the replay from the checkpoint kept; and within them.
        for t in [
            2_500_000, 27_654_321, 45_000_000, 12_345_678, 10_100_000, 6_000_000,
        ] {
            p.seek(SimTime(t));
            same_decisions(&p, &straight(t), &format!("at {t}"));
            // The last decision made by then is kept, however long before it was made
            // (the checkpoint replayed from carries it).
            let made = p.decisions_from() + p.decisions().len();
            assert!(
                made == 0 || !p.decisions().is_empty(),
                "at {t}: {made} made"
            );
        }
        // Forward again: the recorded future is put back under its numbers.
        p.seek(SimTime(end_us));
        let back = numbered(&p);
        assert_eq!(back.last(), at_end.last());
        let tail = &at_end[at_end.len() - back.len().min(at_end.len())..];
        assert_eq!(&back[back.len() - tail.len()..], tail);
        same_decisions(&p, &straight(end_us), "back at the end");
        // Acting there forks: numbers go on from the decisions made before.
        p.seek(SimTime(4_000_000));
        p.apply("r> CONFIG SET client-output-buffer-limit \"replica 0 0 0\"")
            .unwrap();
        let n = p.decisions_from() + p.decisions().len();
        p.advance(5_000_000);
        assert!(p.decisions_from() + p.decisions().len() <= n + 1);
        assert!(p.decisions_from() <= n);
    }

    /// `m> SET k <n bytes that compress badly>`.
    fn big_set(key: &str, n: usize) -> String {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let v: String = (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b'a' + (x % 26) as u8)
            })
            .collect();
        format!("m> SET {key} {v}")
    }

    #[test]
    fn a_statement_that_makes_a_replica_counts_the_copy_of_its_master() {
        let mut p = Playground::new("node m repl-diskless-sync-delay=0\n", Some(2)).unwrap();
        p.data_max = 5 << 20;
        p.apply(&big_set("k", 3 << 20)).unwrap();
        let script = p.script();
        for line in ["node r replicaof=m", "node r"] {
            if line == "node r" {
                p.apply(line).unwrap();
                let e = p.apply("r> REPLICAOF m 6379").unwrap_err();
                assert_eq!(e.message, CEILING_MESSAGE);
            } else {
                assert_eq!(p.apply(line).unwrap_err().message, CEILING_MESSAGE);
                assert_eq!(p.script(), script);
            }
        }
        // With room for the copy (and its RDB file) it runs.
        p.data_max = 16 << 20;
        p.apply("r> REPLICAOF m 6379").unwrap();
        p.advance(3_000_000);
        assert_eq!(p.stopped(), None);
        assert!(p.runner.sim.data_bytes() > 6 << 20);
    }

    /// A replica of a 3 MB master under a 5 MB ceiling, played until time stopped
    /// before the copy; the time it was made a replica.
    fn stopped_before_a_copy() -> (Playground, SimTime) {
        let mut p = Playground::new("node m\nnode r\n", Some(2)).unwrap();
        p.apply(&big_set("k", 3 << 20)).unwrap();
        p.apply("r> REPLICAOF m 6379").unwrap();
        // The ceiling is reached without a statement: as if the master's data had
        // grown while the sync was being prepared.
        p.data_max = 5 << 20;
        let t0 = p.now();
        p.advance(20_000_000);
        assert_eq!(p.stopped(), Some(COPY_STOP));
        (p, t0)
    }

    #[test]
    fn time_stops_before_a_full_sync_copies_past_the_ceiling() {
        let (mut p, t0) = stopped_before_a_copy();
        let t = p.now();
        assert!(t < SimTime(t0.as_us() + 20_000_000));
        assert!(
            p.runner.sim.data_bytes() < 4 << 20,
            "r did not load the copy"
        );
        // Time stays while the copy would still pass it.
        p.advance(1_000_000);
        assert_eq!((p.stopped(), p.now()), (Some(COPY_STOP), t));
        assert!(!p.step());
        assert_eq!(p.now(), t);
        // The replica gives the sync up: time goes on.
        p.apply("r> REPLICAOF NO ONE").unwrap();
        p.advance(20_000_000);
        assert_eq!(p.stopped(), None);
        assert!(p.now() > t);
        assert!(p.runner.sim.data_bytes() < 4 << 20);
    }

    #[test]
    fn seeking_past_the_recorded_end_is_watched_by_the_ceiling() {
        let (mut p, t0) = stopped_before_a_copy();
        let end = p.now();
        assert!(end > t0);
        // From the end of the log, and after a rewind, a seek ahead stops where
        // playing does: the copy is not made.
        for from in [None, Some(t0)] {
            if let Some(t) = from {
                p.seek(t);
                assert_eq!(p.now(), t);
            }
            p.seek(SimTime(end.as_us() + 60_000_000));
            assert_eq!((p.stopped(), p.now()), (Some(COPY_STOP), end), "{from:?}");
            assert!(p.runner.sim.data_bytes() < 4 << 20);
        }
        // Playing a rewound world on past the end stops there too.
        p.seek(t0);
        p.advance(60_000_000);
        assert_eq!((p.stopped(), p.now()), (Some(COPY_STOP), end));
    }

    /// A 3 MB master under a 5 MB ceiling that was told to BGSAVE (its dump.rdb will
    /// take the data past the ceiling).
    fn saving_near_the_ceiling() -> Playground {
        let mut p = Playground::new("node m\n", Some(2)).unwrap();
        // A second: a checkpoint to seek back from.
        p.advance(1_000_000);
        p.apply(&big_set("k", 3 << 20)).unwrap();
        p.apply("m> BGSAVE").unwrap();
        p.data_max = 5 << 20;
        p
    }

    #[test]
    fn stepping_a_rewound_world_past_the_recorded_end_is_watched_by_the_ceiling() {
        // Where the file is written (time stops there), and the event before it.
        let mut q = saving_near_the_ceiling();
        let mut before = q.now();
        while q.stopped().is_none() {
            before = q.now();
            assert!(q.step());
        }
        assert_eq!(q.stopped(), Some(GREW_STOP));
        let written = q.now();
        assert!(before.as_us() + 1 < written.as_us());
        // Recorded up to just before the file is written, then rewound to the event
        // before it: the next event lies past the recorded end, and is new history.
        for play in ["step", "advance"] {
            let mut p = saving_near_the_ceiling();
            p.advance(written.as_us() - 1 - p.now().as_us());
            assert_eq!(p.stopped(), None);
            // A statement at the end: replaying it leaves the world short of the end
            // of its log until the step that crosses the end.
            p.apply("m> PING").unwrap();
            assert_eq!(p.now().as_us(), written.as_us() - 1);
            p.seek(before);
            assert_eq!(p.now(), before);
            if play == "step" {
                assert!(p.step());
            } else {
                p.advance(60_000_000);
            }
            // Stopped where playing at the end of the log stops, saying why.
            assert_eq!(p.stopped(), Some(GREW_STOP), "{play}");
            assert_eq!(p.now(), written, "{play}");
            // What time brought stays; a next step goes on.
            assert!(p.step());
            assert_eq!(p.stopped(), None, "{play}");
        }
        // Before a copy, time stays: a rewound world stepped on stops at the end.
        let (mut p, t0) = stopped_before_a_copy();
        let end = p.now();
        p.seek(t0);
        let mut steps = 0;
        while p.step() {
            steps += 1;
            assert!(p.now() <= end && steps < 1_000_000, "never stopped");
        }
        assert_eq!((p.stopped(), p.now()), (Some(COPY_STOP), end));
        assert!(p.runner.sim.data_bytes() < 4 << 20, "r loaded the copy");
    }

    #[test]
    fn a_world_bigger_than_the_checkpoint_budget_keeps_two_checkpoints() {
        let mut p = Playground::new("node m\n", Some(1)).unwrap();
        p.apply(&format!("m> SETRANGE k {} x", CHECKPOINT_BYTES_MAX + 1000))
            .unwrap();
        let frames = |p: &mut Playground, n| {
            for _ in 0..n {
                p.advance(1_666_667);
                let c = p.runner.checkpoints.as_ref().unwrap();
                assert!(c.list.len() <= 2, "{}", c.list.len());
                assert!(c.every_us <= CHECKPOINT_EVERY_MAX_US);
            }
        };
        // Two simulated minutes at 100×, a frame's time at once.
        frames(&mut p, 72);
        let c = p.runner.checkpoints.as_ref().unwrap();
        let times: Vec<u64> = c.list.iter().map(|cp| cp.time().as_us()).collect();
        assert_eq!(times.len(), 2);
        assert!(times[1] >= 60_000_000, "the newest is kept: {times:?}");
        assert!(c.every_us > CHECKPOINT_EVERY_US);
        // Seeking still shows every moment.
        let end = p.now();
        let view = serde_json::to_string(&p.view()).unwrap();
        p.seek(SimTime(3_000_000));
        assert_eq!(p.now(), SimTime(3_000_000));
        p.seek(end);
        assert_eq!(serde_json::to_string(&p.view()).unwrap(), view);
        // The spacing stops doubling before it could overflow the clock.
        frames(&mut p, 3000);
    }

    #[test]
    fn time_stops_once_when_an_rdb_file_takes_the_data_past_the_ceiling() {
        let mut p = Playground::new("node m\n", Some(2)).unwrap();
        p.data_max = 5 << 20;
        p.apply(&big_set("k", 3 << 20)).unwrap();
        p.apply("m> BGSAVE").unwrap();
        let t0 = p.now();
        p.advance(10_000_000);
        assert_eq!(p.stopped(), Some(GREW_STOP));
        assert!(p.now() < SimTime(t0.as_us() + 10_000_000));
        assert!(p.runner.sim.data_bytes() > 5 << 20);
        // What time brought stays; time goes on while nothing more is copied (an RDB
        // file of the same data again is not more), and statements that add data are
        // refused.
        p.advance(10_000_000);
        assert_eq!(p.stopped(), None);
        p.apply("m> BGSAVE").unwrap();
        p.advance(10_000_000);
        assert_eq!(p.stopped(), None);
        assert_eq!(
            p.apply(&big_set("j", 1 << 20)).unwrap_err().message,
            CEILING_MESSAGE
        );
        // Seeking back and forth replays what was recorded, which is not stopped again.
        let end = p.now();
        p.seek(t0);
        p.seek(end);
        assert_eq!(p.now(), end);
    }

    /// Three replicas behind links of one latency: a write reaches them in the same
    /// microsecond (three events), so a step (the page's ⏭) can stop between them.
    const THREE: &str = "node m repl-diskless-sync-delay=0 repl-ping-replica-period=3600\n\
        node r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nwait sync\n";

    fn json(p: &Playground) -> String {
        serde_json::to_string(&p.view()).unwrap()
    }

    /// Step until the world stands between two events of one microsecond.
    fn step_into_a_microsecond(p: &mut Playground) {
        for _ in 0..10_000 {
            assert!(p.step());
            let v = p.view();
            if v.next_event_us == Some(v.t_us) {
                return;
            }
        }
        panic!("no two events share a microsecond");
    }

    #[test]
    fn a_step_between_events_of_one_microsecond_is_shown_again_exactly() {
        let mut p = Playground::new(THREE, Some(5)).unwrap();
        p.apply("m> SET a 1").unwrap();
        step_into_a_microsecond(&mut p);
        let (end, view, trace) = (p.now(), json(&p), p.trace_json());
        let events = p.view().events;
        for back in [0, end.as_us() / 2, end.as_us() - 1] {
            // Back, then to the end by a seek, by playing, by stepping.
            p.seek(SimTime(back));
            p.seek(end);
            assert_eq!(p.view().events, events, "seek from {back}");
            assert_eq!(json(&p), view, "seek from {back}");
            assert_eq!(p.trace_json(), trace, "seek from {back}");
            p.seek(SimTime(back));
            p.advance(end.as_us() - p.now().as_us());
            assert_eq!(json(&p), view, "played from {back}");
            p.seek(SimTime(back));
            while p.view().events < events {
                assert!(p.step());
            }
            assert_eq!(json(&p), view, "stepped from {back}");
        }
        // Past it, the rest of that microsecond runs as new history would.
        let mut straight = Playground::new(THREE, Some(5)).unwrap();
        straight.apply("m> SET a 1").unwrap();
        step_into_a_microsecond(&mut straight);
        straight.advance(2_000);
        p.seek(SimTime(0));
        p.seek(straight.now());
        assert_eq!(json(&p), json(&straight));
        assert_eq!(p.trace_json(), straight.trace_json());
    }

    #[test]
    fn a_statement_applied_between_events_of_one_microsecond_is_replayed_there() {
        let build = |stop_after_apply: bool| {
            let mut p = Playground::new(THREE, Some(6)).unwrap();
            p.apply("m> SET a 1").unwrap();
            step_into_a_microsecond(&mut p);
            p.apply("disconnect m r3").unwrap();
            if !stop_after_apply {
                p.advance(1_000_000);
            }
            p
        };
        let mut p = build(false);
        let (end, view, trace) = (p.now(), json(&p), p.trace_json());
        let applied = build(true);
        let a = p.actions().last().unwrap();
        assert!(a.at_events < p.view().events && a.t_us == applied.now().as_us());
        // The events of that microsecond after the statement ran after it.
        let mut there = build(true);
        there.advance(0);
        p.seek(SimTime(0));
        p.seek(applied.now());
        assert_eq!(json(&p), json(&there));
        assert_eq!(p.trace_json(), there.trace_json());
        p.seek(end);
        assert_eq!(json(&p), view);
        assert_eq!(p.trace_json(), trace);
    }

    #[test]
    fn stepping_a_rewound_world_visits_what_stepping_visited() {
        let mut p = Playground::new(THREE, Some(7)).unwrap();
        p.apply("m> SET a 1").unwrap();
        p.apply("m> SET b 2").unwrap();
        let from = p.now();
        let mut visited = Vec::new();
        for _ in 0..40 {
            assert!(p.step());
            visited.push(json(&p));
        }
        p.seek(SimTime(0));
        p.seek(from);
        for (i, v) in visited.iter().enumerate() {
            assert!(p.step());
            assert_eq!(&json(&p), v, "step {i}");
        }
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
