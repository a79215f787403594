//! replscope: a deterministic simulator of Redis 7.0 master–replica replication.
//!
//! Every node is a sans-IO state machine that speaks real RESP, counts offsets from
//! the bytes of the replication stream, ships real RDB files, keeps the 7.0 shared
//! replication buffer and backlog, and decides full versus partial resync exactly
//! as Redis 7.0 does, with the checks that decided it. A [`sim::Sim`] drives the
//! nodes on a simulated clock over a simulated network; the same scenario and seed
//! give the same bytes natively and in WebAssembly.
//!
//! # Layout
//!
//! Layers, bottom up: a module uses only the ones above it in this list
//! (docs/architecture.md draws them and follows one write from the console to a replica).
//!
//! - Foundations, knowing nothing of Redis's processes: [`time`] (the simulated clock:
//!   microseconds, advanced only by the event queue), [`rng`] (the one seeded
//!   generator), [`util`] (a sorted-vector map and a compact sort: fewer kilobytes of
//!   wasm than `BTreeMap` and the standard sorts), [`redis_util`] (Redis's own C helpers,
//!   ported once, each named after the C function it mirrors: [`redis_util::string2ll`],
//!   [`redis_util::memtoull`], [`redis_util::stringmatchlen`], [`redis_util::sdssplitargs`]
//!   and its span-reporting variant the scenario lexer uses, `strtoll`, `isspace`, the
//!   x87 [`redis_util::long_double`] of INCRBYFLOAT, [`redis_util::lzf`]), [`resp`] (RESP
//!   encoding and parsing: the bytes offsets count), [`cli`] (how redis-cli prints replies),
//!   [`version`] (the server versions, each a profile kept in one place).
//! - [`node`]: one Redis process as a sans-IO state machine — [`node::effects`] (the
//!   contract with the world: bytes to send, timers, log events), [`node::client`],
//!   [`node::keyspace`], [`node::config`] and [`node::config_table`] (CONFIG GET/SET),
//!   [`node::exec`] (processCommand, call, propagation), [`node::cmd`] (the command table:
//!   strings, keys, lists, hashes, sets, server), [`node::info`] (INFO),
//!   [`node::persist`] (RDB saves, the BGSAVE child, loading, active expiry, SHUTDOWN).
//! - [`repl`]: replication proper, the node's replication roles — [`repl::backlog`] (7.0
//!   shared buffer and backlog), [`repl::psync`] (the decision, as data), [`repl::rdb`]
//!   (RDB v10), [`repl::master`] (SYNC/PSYNC, feeding, REPLCONF, WAIT),
//!   [`repl::replica`] (handshake, transfer, stream, REPLICAOF), [`repl::cron`]
//!   (replicationCron). (`node` and `repl` are one process split in two: they call each other.)
//! - [`sim`]: the world — [`sim::queue`] (event queue), [`sim::net`] (links, connections,
//!   partitions), [`sim::trace`] (the event log), and [`sim::Sim`] itself, which routes
//!   the nodes' effects and in debug builds checks the offset invariants after every
//!   event (`sim/invariants.rs`).
//! - [`scenario`]: the scenario language (lexer, parser, runner) over a `Sim`.
//! - [`playground`]: the interactive world behind the page: action log, checkpoints,
//!   seek by replay. [`explain`]: "explain my cluster": the next PSYNC, the master's
//!   verdict and the backlog's margins, from the INFO of real servers.
//! - Shells: [`view`] (serde views the page renders: the contract with www/), `wasm`
//!   (the only `#[wasm_bindgen]` file, built for wasm32 only), and the `replscope`
//!   binary (crate/bin/replscope.rs and replscope_cli.rs, the only code that touches files
//!   and stdout).

pub mod cli;
pub mod explain;
pub mod node;
pub mod playground;
pub mod redis_util;
pub mod repl;
pub mod resp;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod time;
pub mod util;
pub mod version;
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
