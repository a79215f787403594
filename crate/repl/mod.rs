//! Replication proper: the backlog, the PSYNC decision, the RDB file, the master side
//! (replicas, full and partial sync, the stream), the replica side (handshake,
//! transfer, applying the stream, ACKs) and the 1 Hz replication cron.
//!
//! All of it works on [`crate::node::Node`]; [`Repl`] is the replication part of
//! its state (Redis keeps these fields in `struct redisServer`).

pub mod backlog;
pub mod cron;
pub mod failover;
pub mod master;
pub mod psync;
pub mod rdb;
pub mod replica;

use crate::node::client::Client;
use crate::node::effects::{ClientId, Fd};
use backlog::Backlog;
use serde::Serialize;

/// 40 zeros: a cleared `replid2`.
pub const NULL_REPLID: &str = "0000000000000000000000000000000000000000";

/// The replica-side state of the link to the master (`server.repl_state`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// Not a replica.
    #[default]
    None,
    /// Must connect (the cron will).
    Connect,
    /// TCP connect in progress.
    Connecting,
    /// PING sent, waiting for PONG.
    ReceivePingReply,
    /// REPLCONF sent, waiting for the listening-port reply.
    ReceivePortReply,
    /// Waiting for the ip-address reply (only with replica-announce-ip).
    ReceiveIpReply,
    /// Waiting for the capa reply.
    ReceiveCapaReply,
    /// Waiting for the `REPLCONF version` reply (Valkey).
    ReceiveVersionReply,
    /// PSYNC sent, waiting for +FULLRESYNC / +CONTINUE.
    ReceivePsyncReply,
    /// Receiving the RDB.
    Transfer,
    /// Streaming.
    Connected,
}

impl LinkState {
    /// True during the handshake (`slaveIsInHandshakeState`).
    pub fn is_handshake(self) -> bool {
        matches!(
            self,
            LinkState::ReceivePingReply
                | LinkState::ReceivePortReply
                | LinkState::ReceiveIpReply
                | LinkState::ReceiveCapaReply
                | LinkState::ReceiveVersionReply
                | LinkState::ReceivePsyncReply
        )
    }

    /// The word ROLE uses (`connect`, `connecting`, `handshake`, `sync`, `connected`).
    pub fn role_name(self) -> &'static str {
        match self {
            LinkState::None => "none",
            LinkState::Connect => "connect",
            LinkState::Connecting => "connecting",
            LinkState::Transfer => "sync",
            LinkState::Connected => "connected",
            _ => "handshake",
        }
    }

    /// The word the page and event log use (`transfer` rather than ROLE's `sync`).
    pub fn name(self) -> &'static str {
        match self {
            LinkState::Transfer => "transfer",
            s => s.role_name(),
        }
    }
}

/// An RDB transfer being received from the master.
#[derive(Clone, Debug, Default)]
pub struct Transfer {
    /// Expected size (`$<len>`), or None for `$EOF:` transfers; unknown before the
    /// first line arrives.
    pub size: Option<i64>,
    /// The first line (`$...`) has been read.
    pub header_done: bool,
    /// The 40-byte end mark of a diskless transfer.
    pub eofmark: Option<Vec<u8>>,
    /// Bytes received so far (`repl_transfer_read`).
    pub read: i64,
    /// The payload so far (the temp file).
    pub data: Vec<u8>,
    /// Partial first line.
    pub line: Vec<u8>,
}

/// Redis 8.0, replica side: the second connection a diskless full sync's RDB comes on.
#[derive(Clone, Debug)]
pub struct RdbChannel {
    /// Its socket.
    pub fd: Fd,
    /// The master's client id of our main connection (`+RDBCHANNELSYNC <id>`).
    pub main_id: String,
    /// Where its handshake is.
    pub state: RdbChannelState,
    /// The stream read on the main connection while the RDB comes (`replica full
    /// sync buffer`), applied after the load.
    pub buffered: Vec<u8>,
    /// Valkey's dual channel (`+DUALCHANNELSYNC`) rather than Redis 8.0's rdb channel.
    pub dual: bool,
    /// The buffer reached its limit: the main connection is no longer read.
    pub stopped: bool,
    /// Bytes that arrived since (in the socket, unread), read after the load.
    pub unread: Vec<u8>,
    /// Dual channel: replies still due on the main connection (`+OK` to `REPLCONF
    /// set-rdb-client-id`, `+CONTINUE` to its PSYNC), and their partial bytes.
    pub main_replies: u8,
    /// The main connection's bytes while those replies are due.
    pub main_buf: Vec<u8>,
    /// Dual channel: the RDB is loaded (its stream db) but `+CONTINUE` is still due.
    pub loaded: Option<i64>,
}

/// The rdb channel's steps (`RDB_CH_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdbChannelState {
    /// TCP connect in progress.
    Connecting,
    /// `REPLCONF capa eof rdb-only 1 rdb-channel 1 main-ch-client-id ...` sent.
    ReplconfReply,
    /// `PSYNC ? -1` sent, waiting for `+FULLRESYNC`.
    FullresyncReply,
    /// Receiving the RDB (the main link is in `Transfer`).
    Rdb,
}

/// What kind of BGSAVE child is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildKind {
    /// Writing dump.rdb.
    Disk,
    /// Streaming to replica sockets (diskless).
    Socket,
}

/// The replication part of a node's state.
#[derive(Clone, Debug)]
pub struct Repl {
    /// `master_replid`.
    pub replid: String,
    /// `master_replid2`.
    pub replid2: String,
    /// `master_repl_offset`.
    pub master_repl_offset: i64,
    /// `second_repl_offset`.
    pub second_replid_offset: i64,
    /// Where `replid2` came from (the simulator's note; Redis keeps none).
    pub replid2_from: psync::Replid2From,
    /// The backlog and shared replication buffer.
    pub backlog: Option<Backlog>,
    /// Id for the next backlog block (a process-wide counter in Redis).
    pub next_block_id: u64,
    /// Database of the last SELECT in the stream (-1: force one).
    pub slaveseldb: i64,
    /// Attached replicas, in attach order (`server.slaves`).
    pub slaves: Vec<ClientId>,
    /// Room to encode the next propagated command in (kept while small).
    pub(crate) feed_scratch: Vec<u8>,
    /// Unix time since when there are no replicas (backlog TTL).
    pub no_slaves_since: i64,
    /// Replicas counted as good for min-replicas-to-write.
    pub good_slaves: i64,
    /// Send REPLCONF GETACK in beforeSleep.
    pub get_ack_from_slaves: bool,
    /// replicationCron runs so far.
    pub cron_loops: u64,
    /// `repl_stream_lastio`: the Unix second something was last fed to the replication
    /// stream (None: never, i.e. the process's start). Redis 8.0 PINGs only after a
    /// whole `repl-ping-replica-period` of silence.
    pub stream_lastio: Option<i64>,
    /// Valkey's `replicas_waiting_psync`: dual-channel rdb channels whose main
    /// connection has not yet sent its PSYNC, each pinning the backlog from its fork on.
    pub psync_waiting: Vec<(ClientId, Option<backlog::BufRef>)>,
    /// `sync_full`.
    pub stat_sync_full: u64,
    /// `sync_partial_ok`.
    pub stat_sync_partial_ok: u64,
    /// `sync_partial_err`.
    pub stat_sync_partial_err: u64,

    /// Our master's host, when we are a replica.
    pub masterhost: Option<String>,
    /// Our master's port.
    pub masterport: u16,
    /// `masterhost` came from the config file's `replicaof` at startup (no REPLICAOF
    /// since): after a restart, what REPLICAOF had changed is forgotten.
    pub master_from_config: bool,
    /// State of the link to our master.
    pub state: LinkState,
    /// The socket of the connect/handshake/transfer (`repl_transfer_s`).
    pub transfer_fd: Option<Fd>,
    /// Unix time of the last I/O on it.
    pub transfer_lastio: i64,
    /// Handshake replies not yet consumed.
    pub handshake_buf: Vec<u8>,
    /// The RDB being received.
    pub transfer: Option<Transfer>,
    /// Redis 8.0: the rdb channel of a full sync in progress.
    pub rdb_channel: Option<RdbChannel>,
    /// `replica_full_sync_buffer_peak`, in whole blocks' bytes (kept after the sync).
    pub full_sync_buffer_peak: u64,
    /// The master client, once synced.
    pub master: Option<ClientId>,
    /// The master client kept after a disconnection, for PSYNC.
    pub cached_master: Option<Box<Client>>,
    /// Master replid from +FULLRESYNC.
    pub master_replid: String,
    /// Offset from +FULLRESYNC (-1: unknown).
    pub master_initial_offset: i64,
    /// Unix time the link went down (0: up or never).
    pub down_since: i64,
    /// A coordinated failover (FAILOVER) under way.
    pub failover: Option<failover::Failover>,
}

impl Default for Repl {
    fn default() -> Self {
        Repl {
            feed_scratch: Vec::new(),
            replid: String::new(),
            replid2: NULL_REPLID.into(),
            master_repl_offset: 0,
            second_replid_offset: -1,
            replid2_from: psync::Replid2From::None,
            backlog: None,
            next_block_id: 0,
            slaveseldb: -1,
            slaves: Vec::new(),
            no_slaves_since: 0,
            good_slaves: 0,
            get_ack_from_slaves: false,
            cron_loops: 0,
            stream_lastio: None,
            psync_waiting: Vec::new(),
            stat_sync_full: 0,
            stat_sync_partial_ok: 0,
            stat_sync_partial_err: 0,
            masterhost: None,
            masterport: 0,
            master_from_config: false,
            state: LinkState::None,
            transfer_fd: None,
            transfer_lastio: 0,
            handshake_buf: Vec::new(),
            transfer: None,
            rdb_channel: None,
            full_sync_buffer_peak: 0,
            master: None,
            cached_master: None,
            master_replid: String::new(),
            master_initial_offset: -1,
            down_since: 0,
            failover: None,
        }
    }
}
