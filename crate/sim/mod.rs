//! The world: a clock, an event queue, one seeded random generator, the network,
//! and the nodes. The [`Sim`] routes every effect a node produces and turns network
//! deliveries and timers into node calls, in (time, sequence) order.
//!
//! A node's process may stop (crash, SHUTDOWN) and start again; what survives is its
//! slot: name, startup configuration and its dump.rdb file.

mod invariants;
pub mod net;
pub mod queue;
pub mod seed;
pub mod trace;

use crate::cli;
use crate::node::config::Config;
use crate::node::effects::{Ctx, Effect, Fd, SendKind, Timer};
use crate::node::Node;
use crate::resp::Value;
use crate::rng::Rng;
use crate::time::SimTime;
use crate::util::VecMap;
use net::{ConnId, EnvId, LinkProps, NetNote, Network, Segment};
use queue::EventQueue;
use std::sync::Arc;
use trace::{Trace, What};

/// Index of a node slot; stable for the whole run.
pub type NodeId = usize;

/// What the queue holds.
#[derive(Clone, Debug)]
pub enum SimEvent {
    /// A segment reaches its receiver.
    Deliver(EnvId),
    /// A segment sent with `notify_drained` has left its sender.
    Drained(EnvId),
    /// A connect fails without a segment (unknown host, disconnected link).
    Refuse(ConnId),
    /// A started process finishes booting and enters its event loop.
    Boot {
        /// Node.
        node: NodeId,
        /// Which life of it.
        incarnation: u32,
    },
    /// A node's timer.
    Timer {
        /// Node.
        node: NodeId,
        /// Which life of it set the timer.
        incarnation: u32,
        /// Which timer.
        timer: Timer,
    },
}

/// A node's place in the world: survives restarts.
#[derive(Clone, Debug)]
pub struct NodeSlot {
    /// Name (and host name): shared with the log's records.
    pub name: trace::Name,
    /// Startup configuration (its `node` line): what a restart goes back to.
    pub cfg: Config,
    /// The running process, if any.
    pub node: Option<Node>,
    /// The process has finished booting (it handles network input and commands).
    pub booted: bool,
    /// When a booting process will be ready.
    pub boot_at: SimTime,
    /// Network input that arrived while the process was still booting.
    deferred: Vec<NetNote>,
    /// Increments on every start.
    pub incarnation: u32,
    /// Its dump.rdb. Never changed in place (a save writes a new one), so shared with
    /// the checkpoints of the world instead of copied into each.
    pub rdb: Option<Arc<Vec<u8>>>,
    /// A reply for the console client that had blocked.
    pub pending_reply: Option<Value>,
    /// The console client's command that is blocked, if any.
    pub blocked_on: Option<Vec<Vec<u8>>>,
    /// Replication state to give the first process once it booted (sim-only `node`
    /// parameters, [`seed`]).
    pub seed: Option<seed::Seed>,
}

/// The result of a console command.
#[derive(Clone, Debug, PartialEq)]
pub enum CommandOutcome {
    /// The reply.
    Reply(Value),
    /// The command blocked (WAIT, SHUTDOWN); see [`Sim::take_reply`].
    Blocked,
    /// The node is not running: redis-cli cannot connect.
    NotRunning,
}

/// A PSYNC decision with when and where it was made.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DecisionRecord {
    /// Simulated time (µs).
    pub t_us: u64,
    /// The master that decided.
    pub node: String,
    /// The decision and its checks.
    pub decision: crate::repl::psync::Decision,
    /// Who decided and what each side held (the master's facts, whether it restarted,
    /// the replica's keys): not inputs of the decision, and not in the event trace.
    pub context: crate::repl::psync::Context,
    /// The case named from the decision and its context (a restart, a master that
    /// came back empty ...), if any.
    pub situation: Option<crate::repl::psync::Situation>,
}

/// One node's offsets at one moment, for the offsets-over-time chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OffsetSample {
    /// Simulated time (µs).
    pub t_us: u64,
    /// Node index.
    pub node: NodeId,
    /// `master_repl_offset`.
    pub master_repl_offset: i64,
    /// `slave_repl_offset` (-1 for a master).
    pub slave_repl_offset: i64,
}

/// What a key costs a copy of the keyspace beyond its bytes and the 64 that
/// [`Sim::data_bytes`] counts. In the page's wasm, a B-tree's slot: about 60 bytes
/// with the allocator's overhead of the key's and value's allocations (without it a
/// checkpoint of the page's busy world was counted at 0.55 of what it holds).
#[cfg(target_arch = "wasm32")]
pub const CHECKPOINT_KEY_BYTES: usize = 64;
/// Natively (`crate/node/keytable.rs`) a key's 64-byte slot is what
/// [`Sim::data_bytes`] counts; a copy adds its place in the index (an 8-byte
/// bucket, the index three eighths to three quarters full) and the allocator's
/// overhead of its value.
#[cfg(not(target_arch = "wasm32"))]
pub const CHECKPOINT_KEY_BYTES: usize = 16;

/// A copy of the world at one point, without its history (trace, decisions,
/// samples), which only grows and is truncated on restore instead.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    sim: Box<Sim>,
    trace_len: u64,
    /// Decisions made before it, the forgotten ones included.
    decisions_len: usize,
    /// The last of them, if kept then: a restore to before the decisions kept shows it
    /// again (the decision that explains the moment shown, however long ago it was made).
    last_decision: Option<Box<DecisionRecord>>,
    samples_len: usize,
    /// A label from whoever took it (the playground: how many statements had
    /// started).
    pub tag: usize,
    /// Roughly what it holds that the world it was copied from does not share with
    /// it: the keyspaces ([`crate::node::persist::data_bytes`], plus
    /// [`CHECKPOINT_KEY_BYTES`] a key: the table's slot), plus a block of backlog per
    /// node (the blocks are shared, but the one being written is copied when the world
    /// next writes to it); the dump.rdb files are shared. Within a quarter of what the
    /// allocator counts (tests/page_history.rs).
    pub bytes: usize,
    /// [`Sim::stream_bytes`] then.
    pub stream: usize,
}

impl Checkpoint {
    /// Events processed when it was taken.
    pub fn events(&self) -> u64 {
        self.sim.events_processed
    }

    /// Simulated time when it was taken.
    pub fn time(&self) -> SimTime {
        self.sim.now
    }
}

/// History recorded after some point of a run (log records, decisions, samples),
/// set aside while the world is shown at an earlier moment.
#[derive(Clone, Debug, Default)]
pub struct HistoryTail {
    trace: Vec<trace::TraceEvent>,
    decisions: Vec<DecisionRecord>,
    /// The number of the first of `decisions` (counting the forgotten ones).
    decisions_at: usize,
    samples: Vec<OffsetSample>,
}

impl HistoryTail {
    /// Nothing set aside.
    pub fn is_empty(&self) -> bool {
        self.trace.is_empty() && self.decisions.is_empty() && self.samples.is_empty()
    }

    /// Drop what a replay has just produced again: log records numbered below
    /// `next_seq`, decisions numbered below `next_decision`, the first `samples` samples.
    pub fn skip(mut self, next_seq: u64, next_decision: usize, samples: usize) -> HistoryTail {
        let seen = self.trace.iter().take_while(|e| e.seq < next_seq).count();
        self.trace.drain(..seen);
        let made = next_decision
            .saturating_sub(self.decisions_at)
            .min(self.decisions.len());
        self.decisions.drain(..made);
        self.decisions_at += made;
        self.samples.drain(..samples.min(self.samples.len()));
        self
    }
}

/// A replica that is not in sync (the reason, if wanted, went to a callback).
struct Behind;

/// How often offsets are sampled for the chart, in simulated µs: after a statement,
/// for the first [`SAMPLES_PER_PACE`] samples; then half as often for as many again,
/// and so on (a `wait 10080m` on the page took 18 million samples, and its memory).
pub const SAMPLE_EVERY_US: u64 = 100_000;

/// Samples taken at one pace before the next is half as fast (ten simulated minutes
/// at the first).
pub const SAMPLES_PER_PACE: u32 = 6000;

/// The PSYNC decisions kept (the newest; older ones are forgotten and counted in
/// [`Sim::decisions_from`]). A reconnect loop makes a hundred a simulated second, about
/// 1 KB each, and a seek replays them again. 2,000 reach further back than the page's
/// event log (4,000 records, at least two per decision: the PSYNC and the verdict's
/// log line) and than any panel shows (the history row shows the last 40, the timeline
/// one mark per pixel column); a session that makes decisions by hand never gets near.
pub const DECISIONS_KEEP: usize = 2_000;

/// The simulated world.
#[derive(Clone, Debug)]
pub struct Sim {
    now: SimTime,
    queue: EventQueue<SimEvent>,
    rng: Rng,
    /// Buffers of delivered segments, for the next ones sent.
    bufs: crate::node::effects::BufPool,
    /// The network.
    pub net: Network,
    /// Node slots, in creation order.
    pub nodes: Vec<NodeSlot>,
    names: VecMap<String, NodeId>,
    /// The event log.
    pub trace: Trace,
    seed: u64,
    pid_counter: u32,
    /// `lose A B N`: stream commands still to drop from A to B.
    lose: VecMap<(NodeId, NodeId), u32>,
    /// Events processed so far (identifies a point of the run exactly, even among
    /// events at the same simulated time).
    pub events_processed: u64,
    /// The PSYNC decisions made, the [`DECISIONS_KEEP`] newest at least (a quarter
    /// more are let in before the oldest are forgotten together).
    pub decisions: Vec<DecisionRecord>,
    /// How many decisions were forgotten from the front of `decisions`: the number of
    /// its first (decisions are numbered from 0 in the order they were made).
    pub decisions_from: usize,
    /// Offsets sampled every [`SAMPLE_EVERY_US`], from the one numbered `samples_from`
    /// on (those before it were forgotten with the history they belonged to:
    /// [`Sim::forget_samples`]).
    pub samples: Vec<OffsetSample>,
    /// How many samples were forgotten from the front of `samples`.
    pub samples_from: usize,
    next_sample_us: u64,
    /// Samples are taken every `SAMPLE_EVERY_US << sample_pace` ...
    sample_pace: u8,
    /// ... and this many were taken at that pace ([`SAMPLES_PER_PACE`]).
    samples_at_pace: u32,
    /// Connection count at which closed connections are next collected.
    gc_at: usize,
    /// Whether decisions and offset samples are kept (the page's panels and chart);
    /// the CLI reads neither and turns this off, so a long run holds no history.
    pub keep_history: bool,
    /// What the debug-build invariant checks remember ([`invariants`]).
    invariants: invariants::Invariants,
}

impl Sim {
    /// An empty world with this seed.
    pub fn new(seed: u64) -> Sim {
        Sim {
            now: SimTime::ZERO,
            queue: EventQueue::default(),
            rng: Rng::new(seed),
            bufs: Default::default(),
            net: Network::default(),
            nodes: Vec::new(),
            names: VecMap::new(),
            trace: Trace::new(),
            seed,
            pid_counter: 1000,
            lose: VecMap::new(),
            events_processed: 0,
            decisions: Vec::new(),
            decisions_from: 0,
            samples: Vec::new(),
            samples_from: 0,
            next_sample_us: 0,
            sample_pace: 0,
            samples_at_pace: 0,
            gc_at: 64,
            keep_history: true,
            invariants: Default::default(),
        }
    }

    /// A master `m` and `replicas` replicas `r1, r2, …` of it (each started with `cfg`
    /// plus `replicaof=m`), all started at time 0 with this seed: the cluster the tests
    /// and benchmarks build. Run it (`run_until`) to let the replicas sync.
    pub fn master_with_replicas(
        seed: u64,
        replicas: usize,
        cfg: &Config,
    ) -> (Sim, NodeId, Vec<NodeId>) {
        let mut sim = Sim::new(seed);
        let m = sim.add_node("m", cfg.clone());
        sim.start(m);
        let rs = (1..=replicas)
            .map(|i| {
                let r = Config {
                    replicaof: Some(("m".into(), 6379)),
                    ..cfg.clone()
                };
                let r = sim.add_node(&format!("r{i}"), r);
                sim.start(r);
                r
            })
            .collect();
        (sim, m, rs)
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The slot of a node by name.
    pub fn node_id(&self, name: &str) -> Option<NodeId> {
        self.names.get(name).copied()
    }

    /// The running process of a node.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id).and_then(|s| s.node.as_ref())
    }

    /// Add a node slot (not started).
    pub fn add_node(&mut self, name: &str, cfg: Config) -> NodeId {
        let id = self.nodes.len();
        self.nodes.push(NodeSlot {
            name: name.into(),
            cfg,
            node: None,
            booted: false,
            boot_at: SimTime::ZERO,
            deferred: Vec::new(),
            incarnation: 0,
            rdb: None,
            pending_reply: None,
            blocked_on: None,
            seed: None,
        });
        self.names.insert(name.to_string(), id);
        id
    }

    /// Start a stopped node from its startup configuration and dump.rdb.
    /// Returns false if it is already running.
    ///
    /// A process takes a seeded 0-999 ms to boot (exec, load, enter the event
    /// loop). Real servers start at arbitrary moments, so their once-a-second crons
    /// (ACKs, pings, timeouts) run at different phases; giving every node the same
    /// phase would, for instance, make each ACK leave just before each ping arrives.
    /// Connections arriving meanwhile wait in the listen backlog, as they would.
    pub fn start(&mut self, id: NodeId) -> bool {
        let slot = &mut self.nodes[id];
        if slot.node.is_some() {
            return false;
        }
        slot.incarnation += 1;
        self.pid_counter += 7;
        let node = Node::new(&slot.name, slot.cfg.clone(), self.pid_counter);
        let boot_ms = self.rng.below(1000);
        let boot_at = self.now.plus_ms(boot_ms);
        let slot = &mut self.nodes[id];
        slot.node = Some(node);
        slot.booted = false;
        slot.boot_at = boot_at;
        slot.deferred.clear();
        slot.pending_reply = None;
        slot.blocked_on = None;
        let incarnation = slot.incarnation;
        self.queue.push(
            boot_at,
            SimEvent::Boot {
                node: id,
                incarnation,
            },
        );
        true
    }

    /// The boot finished: load dump.rdb, start the event loop, then handle what
    /// arrived meanwhile.
    fn boot(&mut self, id: NodeId) {
        let slot = &mut self.nodes[id];
        let seed = slot.seed.take();
        let Some(node) = slot.node.as_mut() else {
            return;
        };
        let mut cx = Ctx::new(self.now, &mut self.rng, &mut self.bufs);
        node.start(&mut cx, slot.rdb.as_deref().map(Vec::as_slice));
        if let Some(seed) = seed {
            seed.apply(node, cx.unixtime());
        }
        let effects = std::mem::take(&mut cx.out);
        let run_id = node.run_id.clone();
        self.nodes[id].booted = true;
        let name = self.nodes[id].name.clone();
        self.trace
            .push(self.now.as_us(), &name, What::Start { run_id });
        self.apply(id, effects);
        for note in std::mem::take(&mut self.nodes[id].deferred) {
            self.handle_note(note);
        }
    }

    /// True while a started node is still booting.
    pub fn is_booting(&self, id: NodeId) -> bool {
        self.nodes[id].node.is_some() && !self.nodes[id].booted
    }

    /// Run the world until node `id` has booted (no-op if it is not booting).
    pub fn wait_boot(&mut self, id: NodeId) {
        while self.is_booting(id) {
            if !self.step() {
                break;
            }
        }
    }

    /// Kill a node's process at once (`kill -9`): nothing is saved.
    pub fn crash(&mut self, id: NodeId) -> bool {
        let Some(mut node) = self.nodes[id].node.take() else {
            return false;
        };
        node.crash();
        self.nodes[id].booted = false;
        self.nodes[id].deferred.clear();
        self.nodes[id].blocked_on = None;
        let name = self.nodes[id].name.clone();
        self.trace.push(self.now.as_us(), &name, What::Crash);
        self.net.close_all_of(self.now, &mut self.queue, id);
        true
    }

    /// Set the latency and bandwidth between two nodes.
    pub fn set_link(&mut self, a: NodeId, b: NodeId, props: LinkProps) {
        self.net.link_mut(a, b).props = props;
        self.fault("link", a, b);
    }

    /// `disconnect a b`.
    pub fn disconnect(&mut self, a: NodeId, b: NodeId) {
        self.fault("disconnect", a, b);
        let notes = self.net.disconnect(a, b);
        for n in notes {
            self.handle_note(n);
        }
    }

    /// `reconnect a b`.
    pub fn reconnect(&mut self, a: NodeId, b: NodeId) {
        self.fault("reconnect", a, b);
        self.net.reconnect(a, b);
    }

    /// `lose a b n`: the next `n` whole replication-stream commands `a` sends to `b`
    /// vanish, the connection stays up (a what-if: TCP never does this).
    pub fn lose(&mut self, a: NodeId, b: NodeId, n: u32) {
        self.fault("lose", a, b);
        *self.lose.get_or_insert_with((a, b), || 0) += n;
    }

    /// Drop whole commands from a stream write while a `lose` is pending.
    fn apply_lose(&mut self, from: NodeId, to: NodeId, mut bytes: Vec<u8>) -> Vec<u8> {
        let Some(left) = self.lose.get_mut(&(from, to)) else {
            return bytes;
        };
        let limits = crate::resp::CommandLimits {
            proto_max_bulk_len: u64::MAX,
            is_master_client: true,
        };
        let (mut dropped, mut dropped_bytes) = (0u32, 0usize);
        while *left > 0 {
            match crate::resp::parse_command(&bytes, &limits) {
                Ok(crate::resp::Parsed::Done(_, n)) => {
                    bytes.drain(..n);
                    *left -= 1;
                    dropped += 1;
                    dropped_bytes += n;
                }
                _ => break,
            }
        }
        if *left == 0 {
            self.lose.remove(&(from, to));
        }
        if dropped > 0 {
            self.trace.push(
                self.now.as_us(),
                &self.nodes[from].name,
                What::Lost {
                    to: self.nodes[to].name.to_string(),
                    commands: dropped,
                    bytes: dropped_bytes,
                },
            );
        }
        bytes
    }

    /// `partition a b`.
    pub fn partition(&mut self, a: NodeId, b: NodeId) {
        self.fault("partition", a, b);
        self.net.partition(a, b);
    }

    /// `heal a b`.
    pub fn heal(&mut self, a: NodeId, b: NodeId) {
        self.fault("heal", a, b);
        self.net.heal(self.now, &mut self.queue, a, b);
    }

    fn fault(&mut self, verb: &str, a: NodeId, b: NodeId) {
        let (a, b) = (
            self.nodes[a].name.to_string(),
            self.nodes[b].name.to_string(),
        );
        self.trace.push(
            self.now.as_us(),
            &trace::Name::default(),
            What::Fault {
                verb: verb.into(),
                a,
                b,
            },
        );
    }

    /// Send a command from the node's console client (one redis-cli session).
    pub fn command(&mut self, id: NodeId, argv: &[Vec<u8>]) -> CommandOutcome {
        if self.trace.enabled {
            self.trace.push(
                self.now.as_us(),
                &self.nodes[id].name,
                What::Command {
                    argv: argv
                        .iter()
                        .map(|a| String::from_utf8_lossy(a).into_owned())
                        .collect(),
                },
            );
        }
        // redis-cli retries until the server accepts connections.
        self.wait_boot(id);
        let Some(node) = self.nodes[id].node.as_mut() else {
            return CommandOutcome::NotRunning;
        };
        let mut cx = Ctx::new(self.now, &mut self.rng, &mut self.bufs);
        let reply = node.client_command(&mut cx, argv);
        let effects = std::mem::take(&mut cx.out);
        self.apply(id, effects);
        match reply {
            Some(v) => {
                if self.trace.enabled {
                    let text = cli::format_reply_for(argv, &v);
                    self.trace
                        .push(self.now.as_us(), &self.nodes[id].name, What::Reply { text });
                }
                CommandOutcome::Reply(v)
            }
            None => {
                // Blocked, unless the node exited while answering (SHUTDOWN).
                if let Some(v) = self.nodes[id].pending_reply.take() {
                    return CommandOutcome::Reply(v);
                }
                self.nodes[id].blocked_on = Some(argv.to_vec());
                CommandOutcome::Blocked
            }
        }
    }

    /// The reply a blocked console command got meanwhile, if any (the log
    /// recorded it when it arrived).
    pub fn take_reply(&mut self, id: NodeId) -> Option<Value> {
        let v = self.nodes[id].pending_reply.take()?;
        self.nodes[id].blocked_on = None;
        Some(v)
    }

    /// True while a console command of this node awaits its reply.
    pub fn is_blocked(&self, id: NodeId) -> bool {
        let slot = &self.nodes[id];
        slot.blocked_on.is_some() && slot.pending_reply.is_none() && slot.node.is_some()
    }

    /// Time of the next event, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.peek_time()
    }

    /// Process the next event. Returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        let Some((at, ev)) = self.queue.pop() else {
            return false;
        };
        self.now = self.now.max(at);
        self.events_processed += 1;
        if self.now.as_us() >= self.next_sample_us && self.keep_history {
            self.sample_offsets();
        }
        match ev {
            SimEvent::Deliver(env) => {
                // Only the event log wants to know what the segment was.
                let info = if self.trace.record_messages {
                    self.net
                        .envelope(env)
                        .map(|e| (e.conn, e.seg.wire_len_public(), e.from_side))
                } else {
                    None
                };
                if let Some(note) = self.net.deliver(self.now, &mut self.queue, env) {
                    if let (Some((conn, len, _)), NetNote::Data { node, .. }) = (info, &note) {
                        if self.trace.record_messages {
                            let from = self.peer_name(conn, *node);
                            let name = self.nodes[*node].name.clone();
                            self.trace.push(
                                self.now.as_us(),
                                &name,
                                What::Deliver {
                                    conn,
                                    env,
                                    from,
                                    len,
                                },
                            );
                        }
                    }
                    self.handle_note(note);
                }
            }
            SimEvent::Drained(env) => {
                if let Some(note) = self.net.drained(env) {
                    self.handle_note(note);
                }
            }
            SimEvent::Boot { node, incarnation } => {
                if self.nodes[node].incarnation == incarnation {
                    self.boot(node);
                }
            }
            SimEvent::Refuse(conn) => {
                if let Some(note) = self.net.refuse_now(conn) {
                    self.handle_note(note);
                }
            }
            SimEvent::Timer {
                node,
                incarnation,
                timer,
            } => {
                if self.nodes[node].incarnation == incarnation {
                    if let Some(n) = self.nodes[node].node.as_mut() {
                        let mut cx = Ctx::new(self.now, &mut self.rng, &mut self.bufs);
                        n.on_timer(&mut cx, timer);
                        let effects = std::mem::take(&mut cx.out);
                        self.apply(node, effects);
                    }
                }
            }
        }
        // Connections closed on both sides are forgotten as they pile up, not only
        // at the end of a statement: a reconnect loop inside one long `wait` would
        // otherwise keep every connection it ever opened.
        if self.net.conn_count() >= self.gc_at {
            self.collect_garbage();
            self.gc_at = 2 * self.net.conn_count() + 64;
        }
        self.check_invariants();
        true
    }

    /// Forget connections closed on both sides with nothing on the way, except those
    /// whose SYN waits for a booting process (deferred): were one forgotten, the
    /// process would accept a connection that no longer exists, and whether it did
    /// would depend on when this ran (a `wait 1s` and two of 500 ms differed).
    fn collect_garbage(&mut self) {
        let waiting = |c: ConnId| {
            self.nodes.iter().any(|s| {
                s.deferred
                    .iter()
                    .any(|n| matches!(n, NetNote::Syn { conn, .. } if *conn == c))
            })
        };
        self.net.collect_garbage(waiting);
    }

    /// Process every event up to and including `t`, then set the clock to `t`.
    pub fn run_until(&mut self, t: SimTime) {
        while self.queue.peek_time().is_some_and(|at| at <= t) {
            self.step();
        }
        self.now = self.now.max(t);
        self.collect_garbage();
    }

    /// A statement begins: offsets are sampled at the first pace again.
    pub fn statement_begins(&mut self) {
        if self.sample_pace > 0 {
            let t_us = self.now.as_us();
            self.next_sample_us = (t_us / SAMPLE_EVERY_US + 1) * SAMPLE_EVERY_US;
        }
        self.sample_pace = 0;
        self.samples_at_pace = 0;
    }

    fn sample_offsets(&mut self) {
        let t_us = self.now.as_us();
        self.samples_at_pace += 1;
        if self.samples_at_pace >= SAMPLES_PER_PACE && self.sample_pace < 16 {
            self.sample_pace += 1;
            self.samples_at_pace = 0;
        }
        let every = SAMPLE_EVERY_US << self.sample_pace;
        self.next_sample_us = (t_us / every + 1) * every;
        for (id, slot) in self.nodes.iter().enumerate() {
            let Some(n) = slot.node.as_ref().filter(|_| slot.booted) else {
                continue;
            };
            let slave = n.replica_offsets().map_or(-1, |o| o.0);
            self.samples.push(OffsetSample {
                t_us,
                node: id,
                master_repl_offset: n.repl.master_repl_offset,
                slave_repl_offset: slave,
            });
        }
    }

    fn peer_name(&self, conn: ConnId, me: NodeId) -> trace::Name {
        self.net
            .conn(conn)
            .map(|c| {
                let other = if c.ends[0].node == me {
                    c.ends[1].node
                } else {
                    c.ends[0].node
                };
                self.nodes[other].name.clone()
            })
            .unwrap_or_default()
    }

    /// Call into node `id` if it runs the given incarnation.
    fn with_node<F>(&mut self, id: NodeId, incarnation: Option<u32>, f: F)
    where
        F: FnOnce(&mut Node, &mut Ctx),
    {
        if incarnation.is_some_and(|inc| inc != self.nodes[id].incarnation) {
            return;
        }
        let Some(n) = self.nodes[id].node.as_mut() else {
            return;
        };
        let mut cx = Ctx::new(self.now, &mut self.rng, &mut self.bufs);
        f(n, &mut cx);
        let effects = std::mem::take(&mut cx.out);
        self.apply(id, effects);
    }

    fn handle_note(&mut self, note: NetNote) {
        let target = match &note {
            NetNote::Syn { node, .. }
            | NetNote::Connected { node, .. }
            | NetNote::Data { node, .. }
            | NetNote::Closed { node, .. }
            | NetNote::Drained { node, .. } => *node,
        };
        if self.is_booting(target) {
            self.nodes[target].deferred.push(note);
            return;
        }
        let now = self.now.as_us();
        match note {
            NetNote::Syn {
                conn,
                node,
                peer,
                port,
            } => {
                let listening = self.nodes[node]
                    .node
                    .as_ref()
                    .is_some_and(|n| n.cfg.port == port && !n.exited);
                if !listening {
                    self.net.refuse(self.now, &mut self.queue, conn);
                    return;
                }
                let peer_name = self.nodes[peer].name.clone();
                let inc = self.nodes[node].incarnation;
                let n = self.nodes[node].node.as_mut().expect("listening");
                let mut cx = Ctx::new(self.now, &mut self.rng, &mut self.bufs);
                let fd = n.on_accept(&mut cx, &peer_name);
                let effects = std::mem::take(&mut cx.out);
                self.net.accept(self.now, &mut self.queue, conn, inc, fd);
                let name = self.nodes[node].name.clone();
                self.trace.push(
                    now,
                    &name,
                    What::Accept {
                        conn,
                        fd,
                        from: peer_name.to_string(),
                    },
                );
                self.apply(node, effects);
            }
            NetNote::Connected {
                node,
                incarnation,
                fd,
            } => {
                let name = self.nodes[node].name.clone();
                self.trace.push(now, &name, What::Connected { fd });
                self.with_node(node, Some(incarnation), |n, cx| n.on_connected(cx, fd));
            }
            NetNote::Data {
                node,
                incarnation,
                fd,
                mut bytes,
            } => {
                // The node may keep the buffer (as its query buffer) and hand back
                // another, empty one.
                self.with_node(node, Some(incarnation), |n, cx| {
                    n.on_data(cx, fd, &mut bytes)
                });
                self.bufs.give(bytes);
            }
            NetNote::Closed {
                node,
                incarnation,
                fd,
                reason,
            } => {
                if incarnation == self.nodes[node].incarnation && self.nodes[node].node.is_some() {
                    let name = self.nodes[node].name.clone();
                    self.trace.push(now, &name, What::Closed { fd, reason });
                }
                self.with_node(node, Some(incarnation), |n, cx| n.on_closed(cx, fd, reason));
            }
            NetNote::Drained {
                node,
                incarnation,
                fd,
            } => self.with_node(node, Some(incarnation), |n, cx| n.on_drained(cx, fd)),
        }
    }

    /// Carry out what node `id` asked for.
    #[inline(always)]
    fn apply(&mut self, id: NodeId, effects: Vec<Effect>) {
        if cfg!(not(target_arch = "wasm32")) && effects.is_empty() {
            // Most calls (a replica applying the stream) ask for nothing: answered
            // here, inlined, without entering the big function below.
            return self.bufs.give_effects(effects);
        }
        self.apply_each(id, effects)
    }

    /// [`Sim::apply`] for a list that may hold something.
    #[inline(never)]
    fn apply_each(&mut self, id: NodeId, mut effects: Vec<Effect>) {
        // Natively the emptied list is kept for the next call (see `BufPool`); the
        // page's wasm lets it go (the drain's code costs its download ~400 bytes).
        #[cfg(not(target_arch = "wasm32"))]
        let each = effects.drain(..);
        #[cfg(target_arch = "wasm32")]
        let each = std::mem::take(&mut effects).into_iter();
        for e in each {
            match e {
                // Natively, bytes with nothing to log or drop on their way (a master's
                // stream to its replicas) go straight to the network: this loop stays
                // small, everything else is in `apply_one`.
                Effect::Send {
                    fd,
                    kind,
                    bytes,
                    notify_drained,
                } if cfg!(not(target_arch = "wasm32"))
                    && !self.trace.record_messages
                    && self.lose.is_empty() =>
                {
                    self.send(id, fd, kind, bytes, notify_drained);
                }
                e => {
                    if !self.apply_one(id, e) {
                        break;
                    }
                }
            }
        }
        self.bufs.give_effects(effects);
    }

    /// Hand bytes node `id` wrote on `fd` to the network, now.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn send(&mut self, id: NodeId, fd: Fd, kind: SendKind, bytes: Vec<u8>, notify_drained: bool) {
        let now = self.now;
        self.net
            .send(now, &mut self.queue, (id, fd), kind, bytes, notify_drained);
    }

    /// Carry out one effect of node `id`. Returns false when the process exited (the
    /// effects after it are dropped).
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))]
    fn apply_one(&mut self, id: NodeId, e: Effect) -> bool {
        let inc = self.nodes[id].incarnation;
        match e {
            Effect::Send {
                fd,
                kind,
                mut bytes,
                notify_drained,
            } => {
                if kind == crate::node::effects::SendKind::Stream && !self.lose.is_empty() {
                    if let Some(c) = self.net.conn_of(id, fd) {
                        let peer = if c.ends[0].node == id {
                            c.ends[1].node
                        } else {
                            c.ends[0].node
                        };
                        bytes = self.apply_lose(id, peer, bytes);
                        if bytes.is_empty() {
                            return true;
                        }
                    }
                }
                // What the event log says of it, taken before the bytes go.
                let traced = if self.trace.record_messages {
                    self.net.conn_of(id, fd).map(|c| {
                        let conn = c.id;
                        let held = self
                            .net
                            .link(c.ends[0].node, c.ends[1].node)
                            .is_some_and(|l| l.partitioned);
                        (
                            conn,
                            self.peer_name(conn, id),
                            self.net.next_env_id(),
                            held,
                            bytes.len(),
                            trace::Preview::of(&bytes),
                            trace::fnv64(&bytes),
                        )
                    })
                } else {
                    None
                };
                self.send(id, fd, kind, bytes, notify_drained);
                if let Some((conn, to, env, held, len, preview, hash)) = traced {
                    let arrive_us = if held {
                        None
                    } else {
                        self.net.last_arrival().map(SimTime::as_us)
                    };
                    self.trace.push(
                        self.now.as_us(),
                        &self.nodes[id].name,
                        What::Send {
                            conn,
                            env,
                            what: kind,
                            to,
                            len,
                            preview,
                            hash,
                            arrive_us,
                        },
                    );
                }
            }
            Effect::Connect { fd, host, port } => {
                let to = self.names.get(host.as_str()).copied();
                let conn = self
                    .net
                    .connect(self.now, &mut self.queue, (id, inc, fd), to, port);
                self.trace.push(
                    self.now.as_us(),
                    &self.nodes[id].name,
                    What::Connect { conn, fd, to: host },
                );
            }
            Effect::Close { fd } => {
                self.trace
                    .push(self.now.as_us(), &self.nodes[id].name, What::Close { fd });
                self.net.close(self.now, &mut self.queue, id, fd);
            }
            Effect::Timer { at, timer } => self.queue.push(
                at,
                SimEvent::Timer {
                    node: id,
                    incarnation: inc,
                    timer,
                },
            ),
            Effect::Reply { client: _, value } => {
                let argv = self.nodes[id].blocked_on.clone().unwrap_or_default();
                let text = cli::format_reply_for(&argv, &value);
                self.trace
                    .push(self.now.as_us(), &self.nodes[id].name, What::Reply { text });
                self.nodes[id].pending_reply = Some(value);
            }
            Effect::WriteRdb { bytes } => self.nodes[id].rdb = Some(Arc::new(bytes)),
            Effect::Exit => {
                self.nodes[id].node = None;
                self.nodes[id].booted = false;
                self.trace
                    .push(self.now.as_us(), &self.nodes[id].name, What::Exit);
                self.net.close_all_of(self.now, &mut self.queue, id);
                if self.nodes[id].blocked_on.is_some() {
                    // redis-cli sees the connection close: SHUTDOWN has no reply.
                    self.nodes[id].pending_reply = None;
                }
                return false;
            }
            Effect::Log(mut ev) => {
                // Valkey's words in its log lines (one place: the version's profile).
                if let crate::node::effects::NodeEvent::Log { text, .. } = &mut ev {
                    if let Some(t) = self.nodes[id].cfg.version.profile().reword(text) {
                        *text = t;
                    }
                }
                let decision = match &ev {
                    crate::node::effects::NodeEvent::PsyncDecision(d) if self.keep_history => {
                        Some(d)
                    }
                    _ => None,
                };
                if let Some(d) = decision {
                    let mut context = d.context.clone();
                    context.restarted = self.nodes[id].incarnation > 1;
                    context.replica_keys = self
                        .nodes
                        .iter()
                        .find(|s| s.name == context.replica_host)
                        .and_then(|s| s.node.as_ref())
                        .map(|n| n.ks.total_keys() as u64);
                    let situation = crate::repl::psync::situation(d, &context);
                    self.record_decision(DecisionRecord {
                        t_us: self.now.as_us(),
                        node: self.nodes[id].name.to_string(),
                        decision: (**d).clone(),
                        context,
                        situation,
                    });
                }
                self.trace.push(
                    self.now.as_us(),
                    &self.nodes[id].name,
                    What::Node { detail: ev },
                )
            }
        }
        true
    }

    /// Keep a decision, forgetting the oldest once a quarter more than
    /// [`DECISIONS_KEEP`] are kept (together: one move of the list per 500 decisions).
    fn record_decision(&mut self, d: DecisionRecord) {
        self.decisions.push(d);
        self.bound_decisions();
    }

    fn bound_decisions(&mut self) {
        let n = self.decisions.len();
        if n >= DECISIONS_KEEP + DECISIONS_KEEP / 4 {
            self.decisions.drain(..n - DECISIONS_KEEP);
            self.decisions_from += n - DECISIONS_KEEP;
        }
    }

    /// The number the next decision will get (every decision made so far, the
    /// forgotten ones included).
    pub fn decisions_end(&self) -> usize {
        self.decisions_from + self.decisions.len()
    }

    /// Lengths of the recorded history: (next trace sequence, decisions, samples),
    /// each including those forgotten.
    pub fn history_lens(&self) -> (u64, usize, usize) {
        (
            self.trace.next_seq(),
            self.decisions_end(),
            self.samples_from + self.samples.len(),
        )
    }

    /// Cut the history where `cp` was taken; return what came after.
    pub fn split_history(&mut self, cp: &Checkpoint) -> HistoryTail {
        let k = cp
            .decisions_len
            .saturating_sub(self.decisions_from)
            .min(self.decisions.len());
        HistoryTail {
            trace: self.trace.split_off(cp.trace_len),
            decisions: self.decisions.split_off(k),
            decisions_at: self.decisions_from + k,
            samples: self.samples.split_off(
                cp.samples_len
                    .saturating_sub(self.samples_from)
                    .min(self.samples.len()),
            ),
        }
    }

    /// Put a tail back after the current history. Decisions the world has made
    /// again are skipped; if some are missing between (forgotten before the tail was
    /// cut), the decisions kept restart at the tail's first, as the trace does.
    pub fn join_history(&mut self, tail: HistoryTail) {
        self.trace.rejoin(tail.trace);
        let next = self.decisions_end();
        if tail.decisions_at > next && !tail.decisions.is_empty() {
            self.decisions.clear();
            self.decisions_from = tail.decisions_at;
        }
        let made = self.decisions_end().saturating_sub(tail.decisions_at);
        self.decisions.extend(tail.decisions.into_iter().skip(made));
        self.bound_decisions();
        self.samples.extend(tail.samples);
    }

    /// Copy the world (not its history) so it can be restored later.
    pub fn checkpoint(&mut self) -> Checkpoint {
        let trace = std::mem::take(&mut self.trace);
        let decisions = std::mem::take(&mut self.decisions);
        let samples = std::mem::take(&mut self.samples);
        let cp = Checkpoint {
            sim: Box::new(self.clone()),
            trace_len: trace.next_seq(),
            decisions_len: self.decisions_from + decisions.len(),
            last_decision: decisions.last().cloned().map(Box::new),
            samples_len: self.samples_from + samples.len(),
            tag: 0,
            bytes: self.copied_bytes(),
            stream: self.stream_bytes(),
        };
        self.trace = trace;
        self.decisions = decisions;
        self.samples = samples;
        cp
    }

    /// Roughly how many bytes the world's data takes: every running node's keys and
    /// values (with an overhead per key) and the dump.rdb files. What a checkpoint copies and
    /// what the page's dataset ceiling counts ([`crate::playground::DATA_BYTES_MAX`]);
    /// it walks every key, so it is asked for now and then, not per event.
    pub fn data_bytes(&self) -> usize {
        self.nodes
            .iter()
            .map(|slot| {
                slot.rdb.as_ref().map_or(0, |f| f.len())
                    + slot
                        .node
                        .as_ref()
                        .map_or(0, crate::node::persist::data_bytes)
            })
            .sum()
    }

    /// What a copy of the world holds that it does not share with it
    /// ([`Checkpoint::bytes`]).
    fn copied_bytes(&self) -> usize {
        self.nodes
            .iter()
            .map(|slot| {
                crate::repl::backlog::MIN_BLOCK_BYTES
                    + slot.node.as_ref().map_or(0, |n| {
                        crate::node::persist::data_bytes(n)
                            + n.ks.total_keys() * CHECKPOINT_KEY_BYTES
                    })
            })
            .sum()
    }

    /// The replication stream written so far by every running node (the sum of their
    /// `master_repl_offset`s): what went through their backlogs.
    pub fn stream_bytes(&self) -> usize {
        self.nodes
            .iter()
            .filter_map(|s| s.node.as_ref())
            .map(|n| n.repl.master_repl_offset.max(0) as usize)
            .sum()
    }

    /// Go back to a checkpoint: the world as it was, the history cut to that point.
    pub fn restore(&mut self, cp: &Checkpoint) {
        let mut trace = std::mem::take(&mut self.trace);
        let mut decisions = std::mem::take(&mut self.decisions);
        let mut samples = std::mem::take(&mut self.samples);
        let from = self.samples_from;
        trace.truncate(cp.trace_len);
        // Back before the first decision kept: none is kept but the last one made before
        // the checkpoint, and the replay makes them again from the checkpoint's number on.
        let mut decisions_from = self.decisions_from.min(cp.decisions_len);
        decisions.truncate(cp.decisions_len - decisions_from);
        if let (true, Some(d)) = (decisions.is_empty(), &cp.last_decision) {
            decisions.push((**d).clone());
            decisions_from = cp.decisions_len - 1;
        }
        // Checkpoints before the first sample kept are forgotten with it.
        samples.truncate(cp.samples_len.saturating_sub(from));
        *self = (*cp.sim).clone();
        self.trace = trace;
        self.decisions = decisions;
        self.decisions_from = decisions_from;
        self.samples = samples;
        self.samples_from = from;
    }

    /// Forget the samples taken before `cp` (the history they belong to was forgotten;
    /// the page keeps its own, thinned copy for the chart).
    pub fn forget_samples(&mut self, cp: &Checkpoint) {
        let k = cp
            .samples_len
            .saturating_sub(self.samples_from)
            .min(self.samples.len());
        self.samples.drain(..k);
        self.samples_from += k;
    }

    /// Whether every replica is in sync with its master; otherwise why not.
    ///
    /// In sync means: the replica's link is up, its applied offset equals its
    /// master's `master_repl_offset`, the master streams to it (state online) and
    /// has its ACK for that offset, and no data is in flight anywhere. Waiting for
    /// the ACK makes this a point where both sides agree, so what follows (a
    /// SHUTDOWN that waits for lagging replicas, INFO's `slaveN:offset`) does not
    /// depend on timing.
    pub fn sync_status(&self) -> Result<(), String> {
        let mut reason = String::new();
        let mut why = |a: std::fmt::Arguments| {
            reason = a.to_string();
            Behind
        };
        let behind = (0..self.nodes.len()).any(|id| self.node_sync(id, &mut why).is_err());
        if !behind && !self.net.is_quiet() {
            why(format_args!("data in flight"));
        }
        match reason.is_empty() {
            true => Ok(()),
            false => Err(reason),
        }
    }

    /// Whether every replica is in sync (as [`Sim::sync_status`], without saying
    /// why not).
    pub fn in_sync(&self) -> bool {
        self.in_sync_from(&mut 0)
    }

    /// [`Sim::in_sync`] that starts with the node that was behind last time
    /// (`hint`, updated): while it stays behind, the answer costs one check, not
    /// one per node (`wait sync` on a chain of hundreds of replicas).
    pub fn in_sync_from(&self, hint: &mut NodeId) -> bool {
        if !self.net.is_quiet() {
            return false;
        }
        let n = self.nodes.len();
        for k in 0..n {
            let id = (*hint + k) % n;
            if self.node_sync(id, &mut |_| Behind).is_err() {
                *hint = id;
                return false;
            }
        }
        true
    }

    /// Whether node `id` (if a running replica) is in sync with its master.
    fn node_sync(
        &self,
        id: NodeId,
        why: &mut dyn FnMut(std::fmt::Arguments) -> Behind,
    ) -> Result<(), Behind> {
        let slot = &self.nodes[id];
        let Some(n) = slot.node.as_ref() else {
            return Ok(());
        };
        if !slot.booted {
            return Err(why(format_args!("{} is starting", &*slot.name)));
        }
        if n.persist.child.is_some() {
            // A fork still running (Redis 8.0 reaps an rdb channel's child at its next
            // cron, after the replica is online): a SAVE now would be refused.
            return Err(why(format_args!(
                "{}: a fork is still running",
                &*slot.name
            )));
        }
        let Some(host) = n.repl.masterhost.as_ref() else {
            return Ok(());
        };
        let Some(mid) = self.node_id(host) else {
            return Err(why(format_args!(
                "{}: master {host} does not exist",
                &*slot.name
            )));
        };
        let Some(m) = self.node(mid) else {
            return Err(why(format_args!(
                "{}: master {host} is not running",
                &*slot.name
            )));
        };
        if n.repl.state != crate::repl::LinkState::Connected {
            return Err(why(format_args!(
                "{}: link {}",
                &*slot.name,
                n.repl.state.name()
            )));
        }
        let Some(mc) = n.repl.master.and_then(|c| n.clients.get(&c)) else {
            return Err(why(format_args!("{}: no master client", &*slot.name)));
        };
        let reploff = mc.master.as_ref().map_or(-1, |x| x.reploff);
        // A replica that synced with SYNC (Redis 2.6) has no offset to compare and never
        // ACKs: it is in sync once the master streams to it and the network is quiet.
        let pre_psync = mc.master.as_ref().is_some_and(|x| x.pre_psync);
        if reploff != m.repl.master_repl_offset && !pre_psync {
            return Err(why(format_args!(
                "{}: offset {} != {}'s {}",
                &*slot.name, reploff, host, m.repl.master_repl_offset
            )));
        }
        let online = mc
            .fd
            .and_then(|fd| self.net.conn_of(id, fd))
            .and_then(|c| {
                let other = if c.ends[0].node == id {
                    &c.ends[1]
                } else {
                    &c.ends[0]
                };
                let fd = other.fd?;
                match m.fds.get(&fd)? {
                    crate::node::FdUse::Client(cid) => m.clients.get(cid)?.replica.as_ref(),
                    _ => None,
                }
            })
            .map(|r| {
                (
                    r.state == crate::node::client::ReplicaState::Online
                        && !r.start_cmd_stream_on_ack,
                    r.ack_off,
                )
            });
        match online {
            Some((true, ack)) if ack == m.repl.master_repl_offset || pre_psync => {}
            Some((true, ack)) => {
                return Err(why(format_args!(
                    "{host} has not yet received {}'s ACK of offset {} (last ACK {ack})",
                    &*slot.name, m.repl.master_repl_offset
                )))
            }
            _ => {
                return Err(why(format_args!(
                    "{}: {host} does not stream to it yet",
                    &*slot.name
                )))
            }
        }
        Ok(())
    }

    /// True if a segment of this connection carries data now (for views).
    pub fn in_flight(&self) -> impl Iterator<Item = &net::Envelope> {
        self.net
            .envelopes()
            .filter(|e| matches!(e.seg, Segment::Data(_)))
    }
}
