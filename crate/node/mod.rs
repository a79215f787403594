//! One Redis process as a sans-IO state machine.
//!
//! A [`Node`] reacts to calls from the `Sim` — a connection accepted, connected or
//! closed, bytes arrived or drained, the `serverCron` timer, a command from the local
//! console client — and answers with [`effects::Effect`]s pushed into the [`Ctx`].
//! It never sends, sleeps or reads a clock.
//!
//! After every call, `Node::before_sleep` does what Redis's `beforeSleep` does
//! between event-loop iterations: send `REPLCONF GETACK` if a WAIT asked for it,
//! unblock satisfied WAITs, write pending replication data to online replicas, free
//! clients scheduled for closing.

pub mod client;
pub mod cmd;
pub mod config;
pub mod config_table;
pub mod effects;
pub mod exec;
pub mod hash;
pub mod info;
pub mod keyspace;
#[cfg(not(target_arch = "wasm32"))]
pub mod keytable;
pub mod persist;
pub mod set;

use crate::repl::Repl;
use crate::resp::{self, Value as Reply};
use crate::util::VecMap;
use client::{Blocked, Client};
use cmd::{KeyStats, PropOp};
use config::Config;
use effects::{ClientId, CloseReason, Ctx, Effect, Fd, Timer};
use keyspace::Keyspace;
use persist::Persist;

/// What an fd is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FdUse {
    /// An accepted client connection.
    Client(ClientId),
    /// Our connection to our master during connect/handshake/transfer
    /// (`repl_transfer_s`); once synced it becomes the master client.
    MasterLink,
}

/// Counters for INFO stats.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// `total_connections_received`.
    pub total_connections_received: u64,
    /// `total_commands_processed`.
    pub total_commands_processed: u64,
    /// Bytes read from clients other than the master (`stat_net_input_bytes`); INFO's
    /// `total_net_input_bytes` adds `total_net_repl_input_bytes`, as Redis does, so
    /// the handshake replies a replica reads count in neither.
    pub net_input_bytes: u64,
    /// `total_net_output_bytes`.
    pub total_net_output_bytes: u64,
    /// `total_net_repl_input_bytes`.
    pub total_net_repl_input_bytes: u64,
    /// `total_net_repl_output_bytes`.
    pub total_net_repl_output_bytes: u64,
    /// `rejected_connections`.
    pub rejected_connections: u64,
    /// `total_error_replies`.
    pub total_error_replies: u64,
    /// `total_forks`.
    pub total_forks: u64,
}

/// SHUTDOWN waiting for replicas to catch up.
#[derive(Clone, Debug)]
pub struct ShutdownState {
    /// When to give up waiting (ms).
    pub deadline_ms: i64,
    /// Save an RDB file before exiting.
    pub save: bool,
    /// The client that asked (gets an error if shutdown fails).
    pub client: ClientId,
}

/// A Redis server.
#[derive(Clone, Debug)]
pub struct Node {
    /// Host name (the scenario's node name).
    pub name: String,
    /// Configuration.
    pub cfg: Config,
    /// `run_id`: new on every start.
    pub run_id: String,
    /// Wall-clock ms when the process started.
    pub started_ms: i64,
    /// A stand-in for the process id, shown in INFO.
    pub process_id: u32,
    /// The data.
    pub ks: Keyspace,
    /// Connected clients, by id.
    pub clients: VecMap<ClientId, Client>,
    /// Which fd belongs to what.
    pub fds: VecMap<Fd, FdUse>,
    next_fd: u32,
    next_client: u64,
    /// The console client (one redis-cli session), once it has connected.
    pub local_client: Option<ClientId>,
    /// Replication: ids, offsets, backlog, replicas, and the link to our master.
    pub repl: Repl,
    /// Persistence: dirty counter, save points, the BGSAVE child.
    pub persist: Persist,
    /// INFO stats counters.
    pub stats: Stats,
    /// Keyspace statistics.
    pub keystats: KeyStats,
    /// Commands to propagate once the current top-level command ends.
    pub also_propagate: Vec<PropOp>,
    /// Keys a client of this writable replica gave a TTL (Redis's
    /// `slaveKeysWithExpire`): key → bitmap of database ids (0..63). A replica does
    /// not run the active expire cycle; its cron expires these instead
    /// ([`persist::expire_replica_keys`]).
    pub replica_keys_with_expire: std::collections::BTreeMap<Vec<u8>, u64>,
    /// Depth of nested `call()`s (EXEC runs its commands nested).
    pub in_nested_call: u32,
    /// Propagate each deletion on its own (active expiry).
    pub propagate_no_multi: bool,
    /// `serverCron` iterations.
    pub cronloops: u64,
    /// SHUTDOWN in progress.
    pub shutdown: Option<ShutdownState>,
    /// Clients blocked in WAIT.
    pub clients_waiting_acks: Vec<ClientId>,
    /// Clients blocked in BLPOP/BRPOP.
    pub clients_blocked_on_keys: Vec<ClientId>,
    /// Clients whose write waits for the end of a pause (FAILOVER), in arrival order.
    pub clients_postponed: Vec<ClientId>,
    /// The process has exited.
    pub exited: bool,
    /// Argument buffers of finished commands, reused by the next ones parsed.
    pub(crate) arg_pool: resp::ArgPool,
}

impl Node {
    /// A node that has not started yet. `process_id` is only for display.
    pub fn new(name: &str, cfg: Config, process_id: u32) -> Node {
        let dbs = cfg.databases;
        Node {
            name: name.to_string(),
            cfg,
            run_id: String::new(),
            started_ms: 0,
            process_id,
            ks: Keyspace::new(dbs),
            clients: VecMap::new(),
            fds: VecMap::new(),
            next_fd: 6,
            next_client: 2,
            local_client: None,
            repl: Repl::default(),
            persist: Persist::default(),
            stats: Stats::default(),
            keystats: KeyStats::default(),
            also_propagate: Vec::new(),
            replica_keys_with_expire: std::collections::BTreeMap::new(),
            in_nested_call: 0,
            propagate_no_multi: false,
            cronloops: 0,
            shutdown: None,
            clients_waiting_acks: Vec::new(),
            clients_blocked_on_keys: Vec::new(),
            clients_postponed: Vec::new(),
            exited: false,
            arg_pool: resp::ArgPool::default(),
        }
    }

    /// Start the process: new run id and replication id, load `rdb` (the node's
    /// dump.rdb, if any), become a replica if configured, schedule `serverCron`.
    pub fn start(&mut self, cx: &mut Ctx, rdb: Option<&[u8]>) {
        self.run_id = cx.rng.hex40();
        self.repl.replid = cx.rng.hex40();
        self.started_ms = cx.mstime();
        self.persist.lastsave = cx.unixtime();
        self.persist.lastbgsave_try = 0;
        if let Some((host, port)) = self.cfg.replicaof.clone() {
            self.repl.masterhost = Some(host);
            self.repl.masterport = port;
            self.repl.master_from_config = true;
            self.repl.state = crate::repl::LinkState::Connect;
        }
        cx.notice("Server initialized");
        persist::load_data_from_disk(self, cx, rdb);
        cx.notice("Ready to accept connections");
        // serverCron first fires 1 ms after the event loop starts, then every
        // 1000/hz ms (the sim gives each process a seeded startup time before this
        // call, so different nodes' crons run at different phases).
        cx.out.push(Effect::Timer {
            at: cx.now.plus_ms(1),
            timer: Timer::ServerCron,
        });
    }

    /// A connection was accepted from `peer_host`. Returns the fd the node uses for it.
    pub fn on_accept(&mut self, cx: &mut Ctx, peer_host: &str) -> Fd {
        let fd = self.alloc_fd();
        let id = self.alloc_client_id();
        self.clients.insert(
            id,
            Client::new(id, Some(fd), peer_host.to_string(), cx.unixtime()),
        );
        self.fds.insert(fd, FdUse::Client(id));
        self.stats.total_connections_received += 1;
        self.before_sleep(cx);
        fd
    }

    /// Our outgoing connect on `fd` completed.
    pub fn on_connected(&mut self, cx: &mut Ctx, fd: Fd) {
        if self.fds.get(&fd) == Some(&FdUse::MasterLink) {
            crate::repl::replica::on_link_connected(self, cx, fd);
        }
        self.before_sleep(cx);
    }

    /// Bytes arrived on `fd`. An empty query buffer takes `bytes` whole (moved, not
    /// copied); `bytes` is then that buffer's old, empty one, for the caller to reuse.
    pub fn on_data(&mut self, cx: &mut Ctx, fd: Fd, bytes: &mut Vec<u8>) {
        let len = bytes.len();
        match self.fds.get(&fd).copied() {
            Some(FdUse::MasterLink) => crate::repl::replica::on_link_data(self, cx, fd, bytes),
            Some(FdUse::Client(id)) => {
                let is_master = self.repl.master == Some(id);
                if let Some(c) = self.clients.get_mut(&id) {
                    if c.querybuf.is_empty() {
                        std::mem::swap(&mut c.querybuf, bytes); // moved, not copied
                    } else {
                        c.querybuf.extend_from_slice(bytes);
                    }
                    c.lastinteraction = cx.unixtime();
                    if let Some(m) = c.master.as_mut() {
                        m.read_reploff += len as i64;
                    }
                }
                if is_master {
                    self.stats.total_net_repl_input_bytes += len as u64;
                } else {
                    self.stats.net_input_bytes += len as u64;
                }
                self.process_input(cx, id);
            }
            None => {}
        }
        self.before_sleep(cx);
    }

    /// The connection on `fd` ended.
    pub fn on_closed(&mut self, cx: &mut Ctx, fd: Fd, reason: CloseReason) {
        match self.fds.get(&fd).copied() {
            Some(FdUse::MasterLink) => {
                self.fds.remove(&fd);
                crate::repl::replica::on_link_closed(self, cx, fd, reason);
            }
            Some(FdUse::Client(id)) => {
                // The socket is already gone: forget the fd before freeing.
                self.fds.remove(&fd);
                if let Some(c) = self.clients.get_mut(&id) {
                    c.fd = None;
                }
                self.free_client(cx, id);
            }
            None => {}
        }
        self.before_sleep(cx);
    }

    /// Bytes sent on `fd` with `notify_drained` have left.
    pub fn on_drained(&mut self, cx: &mut Ctx, fd: Fd) {
        if let Some(FdUse::Client(id)) = self.fds.get(&fd).copied() {
            crate::repl::master::on_replica_drained(self, cx, id);
        }
        self.before_sleep(cx);
    }

    /// A timer fired.
    pub fn on_timer(&mut self, cx: &mut Ctx, timer: Timer) {
        match timer {
            Timer::ServerCron => {
                self.server_cron(cx);
                if !self.exited {
                    // A real timer fires a little late, by however long the event
                    // loop was busy; the next one is scheduled from then. A seeded
                    // 0-199 µs of lateness keeps two nodes' crons from staying in
                    // lockstep forever (which, with pings every second, could make
                    // every ACK leave just before every ping arrives).
                    let period_us = 1_000_000 / u64::from(self.cfg.hz.clamp(1, 500));
                    let late_us = cx.rng.below(200);
                    cx.out.push(Effect::Timer {
                        at: cx.now.plus_us(period_us + late_us),
                        timer: Timer::ServerCron,
                    });
                }
            }
        }
        self.before_sleep(cx);
    }

    /// A command from the local console client (one `redis-cli` session). The
    /// command goes through the same parser as network input, so protocol limits
    /// apply. Returns the reply, or None if the client blocked (its reply comes
    /// later as [`Effect::Reply`]).
    pub fn client_command(&mut self, cx: &mut Ctx, argv: &[Vec<u8>]) -> Option<Reply> {
        let id = match self.local_client {
            Some(id) if self.clients.contains_key(&id) => id,
            _ => {
                let id = self.alloc_client_id();
                self.clients
                    .insert(id, Client::new(id, None, "127.0.0.1".into(), cx.unixtime()));
                self.stats.total_connections_received += 1;
                self.local_client = Some(id);
                id
            }
        };
        let len = resp::command_len(argv);
        self.stats.net_input_bytes += len as u64;
        let limits = resp::CommandLimits {
            proto_max_bulk_len: self.cfg.proto_max_bulk_len_bytes as u64,
            is_master_client: false,
        };
        // What the server would parse from redis-cli's bytes; encoded and parsed
        // only when that is not simply the arguments (an error to name).
        // (The page's wasm always encodes: few commands, and a smaller download.)
        let copied = if cfg!(target_arch = "wasm32") {
            None
        } else {
            resp::copy_command(argv, &limits, &mut self.arg_pool)
        };
        let parsed = match copied {
            Some(list) => Ok(resp::Parsed::Done(list, len)),
            None => {
                let mut bytes = Vec::with_capacity(len);
                resp::encode_command(argv, &mut bytes);
                resp::parse_command_with(&bytes, &limits, &mut self.arg_pool)
            }
        };
        let reply = match parsed {
            Ok(resp::Parsed::Done(argv, _)) => {
                if let Some(c) = self.clients.get_mut(&id) {
                    c.lastinteraction = cx.unixtime();
                }
                exec::process_command(self, cx, id, argv)
            }
            Ok(resp::Parsed::Incomplete) => None,
            Err(e) => {
                // Redis replies with the protocol error and closes the connection;
                // redis-cli reconnects (in db 0) for the next command.
                self.stats.total_error_replies += 1;
                self.free_client(cx, id);
                Some(e.to_reply())
            }
        };
        if let Some(r) = &reply {
            if r.is_error() {
                self.stats.total_error_replies += 1;
            }
            self.stats.total_net_output_bytes += r.encoded_len() as u64;
        }
        self.before_sleep(cx);
        reply
    }

    /// The node's simulated process died (`crash`): nothing is saved.
    pub fn crash(&mut self) {
        self.exited = true;
    }

    /// Parse and run every complete command in a client's query buffer.
    pub(crate) fn process_input(&mut self, cx: &mut Ctx, id: ClientId) {
        if self.repl.master == Some(id) {
            crate::repl::replica::process_master_stream(self, cx, id);
            return;
        }
        loop {
            let Some(c) = self.clients.get(&id) else {
                return;
            };
            if c.blocked.is_some() || c.close_asap || c.close_after_reply {
                break;
            }
            let limits = resp::CommandLimits {
                proto_max_bulk_len: self.cfg.proto_max_bulk_len_bytes as u64,
                is_master_client: false,
            };
            match resp::parse_command_with(&c.querybuf[c.qb_pos..], &limits, &mut self.arg_pool) {
                Ok(resp::Parsed::Incomplete) => break,
                Ok(resp::Parsed::Done(argv, n)) => {
                    self.clients.get_mut(&id).expect("checked").qb_pos += n;
                    if argv.is_empty() {
                        continue;
                    }
                    if let Some(reply) = exec::process_command(self, cx, id, argv) {
                        self.reply_to(cx, id, reply);
                    }
                }
                Err(e) => {
                    self.reply_to(cx, id, e.to_reply());
                    if let Some(c) = self.clients.get_mut(&id) {
                        c.close_after_reply = true;
                    }
                    break;
                }
            }
        }
        if let Some(c) = self.clients.get_mut(&id) {
            c.querybuf.drain(..c.qb_pos);
            c.qb_pos = 0;
        }
    }

    /// Send a reply to a client (network clients only; the local client's replies
    /// are returned by [`Node::client_command`] or delivered as [`Effect::Reply`]).
    pub(crate) fn reply_to(&mut self, cx: &mut Ctx, id: ClientId, reply: Reply) {
        let Some(c) = self.clients.get(&id) else {
            return;
        };
        if reply.is_error() {
            self.stats.total_error_replies += 1;
        }
        if c.master.is_some() {
            return; // replies to our master are never sent (except forced ACKs).
        }
        match c.fd {
            Some(fd) => {
                let bytes = reply.to_bytes();
                self.stats.total_net_output_bytes += bytes.len() as u64;
                cx.send(fd, effects::SendKind::Reply, bytes);
            }
            None => cx.out.push(Effect::Reply {
                client: id,
                value: reply,
            }),
        }
    }

    /// Allocate an fd.
    pub(crate) fn alloc_fd(&mut self) -> Fd {
        let fd = Fd(self.next_fd);
        self.next_fd += 1;
        fd
    }

    /// Allocate a client id.
    pub(crate) fn alloc_client_id(&mut self) -> ClientId {
        let id = ClientId(self.next_client);
        self.next_client += 1;
        id
    }

    /// Redis's `freeClient`: close the socket and forget the client, with the
    /// replication consequences (a replica leaves the list; our master gets cached).
    pub(crate) fn free_client(&mut self, cx: &mut Ctx, id: ClientId) {
        if self.repl.master == Some(id) {
            crate::repl::replica::master_client_lost(self, cx, id);
            return;
        }
        let Some(c) = self.clients.remove(&id) else {
            return;
        };
        if let Some(fd) = c.fd {
            if self.fds.remove(&fd).is_some() {
                cx.out.push(Effect::Close { fd });
            }
        }
        self.clients_waiting_acks.retain(|w| *w != id);
        self.clients_blocked_on_keys.retain(|w| *w != id);
        self.clients_postponed.retain(|w| *w != id);
        if self.local_client == Some(id) {
            self.local_client = None;
        }
        if c.replica.is_some() {
            crate::repl::master::replica_gone(self, cx, &c);
        }
    }

    /// `freeClientAsync`.
    pub(crate) fn free_client_async(&mut self, id: ClientId) {
        if let Some(c) = self.clients.get_mut(&id) {
            c.close_asap = true;
        }
    }

    /// Redis's `beforeSleep`, run at the end of every call into the node.
    pub(crate) fn before_sleep(&mut self, cx: &mut Ctx) {
        if self.exited {
            return;
        }
        crate::repl::master::before_sleep(self, cx);
        // Free clients closed asynchronously (output-buffer limits, protocol errors).
        let to_free = |c: &Client| c.close_asap || c.close_after_reply;
        if cfg!(not(target_arch = "wasm32")) && !self.clients.values().any(to_free) {
            return self.check_blocked_timeouts(cx);
        }
        let doomed: Vec<ClientId> = self
            .clients
            .values()
            .filter(|c| to_free(c))
            .map(|c| c.id)
            .collect();
        for id in doomed {
            if let Some(c) = self.clients.get(&id) {
                if c.close_asap {
                    let name = if c.replica.is_some() {
                        c.replica_name()
                    } else {
                        c.peer_host.clone()
                    };
                    let usage =
                        c.replica
                            .as_ref()
                            .and_then(|r| r.buf_ref.as_ref())
                            .map_or(0, |p| {
                                self.repl
                                    .backlog
                                    .as_ref()
                                    .map_or(0, |b| b.replica_usage_bytes(Some(p)))
                            });
                    if c.replica.as_ref().is_some_and(|r| r.obuf_closed) {
                        cx.warning(format!(
                            "Client id={} addr={} flags=S omem={} closed for overcoming of output buffer limits.",
                            id.0, name, usage
                        ));
                    }
                }
            }
            self.free_client(cx, id);
        }
        self.check_blocked_timeouts(cx);
    }

    /// Unblock WAITs whose timeout passed. Natively, when nobody waits (nearly every
    /// call), the answer is inline and the work's function is not called.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn check_blocked_timeouts(&mut self, cx: &mut Ctx) {
        if cfg!(not(target_arch = "wasm32"))
            && self.clients_waiting_acks.is_empty()
            && self.clients_blocked_on_keys.is_empty()
        {
            return;
        }
        self.expire_blocked(cx);
    }

    /// The work of [`Node::check_blocked_timeouts`] when someone waits.
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))]
    fn expire_blocked(&mut self, cx: &mut Ctx) {
        let now = cx.mstime();
        let expired: Vec<ClientId> = self
            .clients_waiting_acks
            .iter()
            .copied()
            .filter(|id| {
                matches!(
                    self.clients.get(id).and_then(|c| c.blocked.as_ref()),
                    Some(Blocked::Wait { deadline_ms: Some(d), .. }) if now >= *d
                )
            })
            .collect();
        for id in expired {
            let offset = match self.clients.get(&id).and_then(|c| c.blocked.as_ref()) {
                Some(Blocked::Wait { offset, .. }) => *offset,
                _ => continue,
            };
            let n = crate::repl::master::count_acks(self, offset);
            self.unblock(cx, id, Reply::Integer(n));
        }
        let timed_out: Vec<ClientId> = self
            .clients_blocked_on_keys
            .iter()
            .copied()
            .filter(|id| {
                matches!(
                    self.clients.get(id).and_then(|c| c.blocked.as_ref()),
                    Some(Blocked::Keys { deadline_ms: Some(d) }) if now >= *d
                )
            })
            .collect();
        for id in timed_out {
            self.clients_blocked_on_keys.retain(|w| *w != id);
            self.unblock(cx, id, Reply::NilArray);
        }
    }

    /// End a client's wait with `reply`.
    pub(crate) fn unblock(&mut self, cx: &mut Ctx, id: ClientId, reply: Reply) {
        self.clients_waiting_acks.retain(|w| *w != id);
        if let Some(c) = self.clients.get_mut(&id) {
            c.blocked = None;
        }
        self.reply_to(cx, id, reply);
        // A blocked network client may have more commands waiting.
        if self.clients.get(&id).is_some_and(|c| c.fd.is_some()) {
            self.process_input(cx, id);
        }
    }

    /// Redis's `serverCron` (at `hz`), the parts that matter for replication.
    fn server_cron(&mut self, cx: &mut Ctx) {
        let hz = u64::from(self.cfg.hz.clamp(1, 500));
        let every_ms =
            |ms: u64, loops: u64| ms <= 1000 / hz || loops.is_multiple_of(ms / (1000 / hz));
        // Active expiry (slow cycle) on masters.
        if self.repl.masterhost.is_none() {
            persist::active_expire_cycle(self, cx);
        } else {
            persist::expire_replica_keys(self, cx);
        }
        // Output-buffer soft limits are checked for every replica each cron.
        crate::repl::master::check_output_limits_cron(self, cx);
        // A child finished? Otherwise, save points.
        persist::cron(self, cx);
        // Every 100 ms during a failover, so that its handshake goes faster.
        let repl_period = if self.repl.failover.is_some() {
            100
        } else {
            1000
        };
        if every_ms(repl_period, self.cronloops) {
            crate::repl::cron::replication_cron(self, cx);
        }
        if self.shutdown.is_some() {
            persist::shutdown_cron(self, cx);
        }
        self.cronloops += 1;
    }

    /// Wall-clock ms when this node was started, for `uptime_in_seconds`.
    pub fn uptime_secs(&self, now_ms: i64) -> i64 {
        (now_ms - self.started_ms) / 1000
    }

    /// A replica's `(slave_repl_offset, slave_read_repl_offset)`, or None for a master:
    /// its master client's offsets, else its cached master's, else 1 and 1 — the rule of
    /// Redis 7.0's INFO (`genRedisInfoString`). The one place INFO, the views and the
    /// offset samples take them from.
    pub fn replica_offsets(&self) -> Option<(i64, i64)> {
        let r = &self.repl;
        r.masterhost.as_ref()?;
        let master = r.master.and_then(|id| self.clients.get(&id));
        Some(
            master
                .or(r.cached_master.as_deref())
                .and_then(|c| c.master.as_ref())
                .map_or((1, 1), |m| (m.reploff, m.read_reploff)),
        )
    }
}
