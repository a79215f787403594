//! A client connection inside a node (Redis's `client` struct, the parts we model).
//!
//! One struct serves the three kinds of connection a replication setup has: an
//! ordinary client (the scenario's redis-cli session or a replica before it sends
//! PSYNC), a replica attached to this master (`CLIENT_SLAVE`, see [`ReplicaInfo`]),
//! and, on a replica, the connection to its master (`CLIENT_MASTER`, see [`MasterInfo`]).

use super::cmd::{Argv, CommandSpec};
use super::effects::{ClientId, Fd};
use crate::repl::backlog::BufRef;
use serde::Serialize;

/// A queued MULTI transaction.
#[derive(Clone, Debug, Default)]
pub struct MultiState {
    /// Queued commands with their table entries.
    pub queued: Vec<(Argv, &'static CommandSpec)>,
    /// Union of the queued commands' flags (`mstate.cmd_flags`).
    pub flags: u32,
    /// `CLIENT_DIRTY_EXEC`: a command was rejected while queueing.
    pub dirty_exec: bool,
}

/// Why a client waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// `WAIT numreplicas timeout`.
    Wait {
        /// Offset the replicas must acknowledge.
        offset: i64,
        /// How many.
        numreplicas: i64,
        /// Absolute deadline in ms (None: wait forever).
        deadline_ms: Option<i64>,
    },
    /// SHUTDOWN waiting for lagging replicas.
    Shutdown,
    /// A blocking list pop with nothing to pop (ends at its deadline; None: never).
    Keys {
        /// Absolute deadline in ms.
        deadline_ms: Option<i64>,
    },
    /// A write held while writes are paused (`BLOCKED_POSTPONE`, during FAILOVER):
    /// run from the start when the pause ends.
    Postponed {
        /// The command.
        argv: Argv,
    },
}

/// A replica's state as its master sees it (`slave->replstate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaState {
    /// Waiting for a BGSAVE to start (`wait_bgsave` in INFO).
    WaitBgsaveStart,
    /// A BGSAVE runs; writes accumulate for it (`wait_bgsave`).
    WaitBgsaveEnd,
    /// The RDB file is being sent (`send_bulk`).
    SendBulk,
    /// Streaming (`online`).
    Online,
    /// Redis 8.0: a main channel told `+RDBCHANNELSYNC`, waiting for its rdb channel's
    /// fork (`wait_bgsave`); not fed.
    WaitRdbChannel,
    /// Redis 8.0: a main channel streamed to while its rdb channel carries the RDB
    /// (`send_bulk_and_stream`).
    SendBulkAndStream,
    /// Valkey: a dual-channel main connection after its +CONTINUE, streamed to while
    /// the replica loads the RDB, online at its first ACK (`bg_transfer`).
    BgRdbLoad,
}

impl ReplicaState {
    /// The word INFO uses (`replstateToString`).
    pub fn info_name(self) -> &'static str {
        match self {
            ReplicaState::WaitBgsaveStart
            | ReplicaState::WaitBgsaveEnd
            | ReplicaState::WaitRdbChannel => "wait_bgsave",
            ReplicaState::SendBulkAndStream => "send_bulk_and_stream",
            ReplicaState::BgRdbLoad => "bg_transfer",
            ReplicaState::SendBulk => "send_bulk",
            ReplicaState::Online => "online",
        }
    }
}

/// The master-side record of an attached replica (`CLIENT_SLAVE` fields).
#[derive(Clone, Debug)]
pub struct ReplicaInfo {
    /// `replstate`.
    pub state: ReplicaState,
    /// `REPLCONF listening-port`.
    pub listening_port: u16,
    /// `REPLCONF ip-address` (replica-announce-ip), if sent.
    pub announced_ip: Option<String>,
    /// Understands `$EOF:` diskless transfers.
    pub capa_eof: bool,
    /// Understands `+CONTINUE <replid>`.
    pub capa_psync2: bool,
    /// Came with the old SYNC command (`CLIENT_PRE_PSYNC`).
    pub pre_psync: bool,
    /// Offset sent in +FULLRESYNC.
    pub psync_initial_offset: i64,
    /// Highest offset acknowledged (`repl_ack_off`).
    pub ack_off: i64,
    /// Unix time of the last ACK (`repl_ack_time`).
    pub ack_time: i64,
    /// Diskless: the stream starts at the first ACK after the RDB.
    pub start_cmd_stream_on_ack: bool,
    /// Position in the shared replication buffer.
    pub buf_ref: Option<BufRef>,
    /// When the soft output-buffer limit was first reached (0: not reached).
    pub obuf_soft_limit_reached_time: i64,
    /// An RDB preamble+payload is on its way (disk transfer in SEND_BULK).
    pub bulk_in_flight: bool,
    /// `textbook-ack-resend` only: our offset when its previous ACK arrived.
    pub textbook_prev_offset: i64,
    /// Announced `capa rdb-channel-repl` (Redis 8.0).
    pub capa_rdb_channel: bool,
    /// An rdb channel (Redis 8.0): the RDB only, for the main channel with this id.
    pub rdb_channel_of: Option<ClientId>,
    /// A Valkey dual-channel rdb channel: the RDB only, `$ENDOFF` instead of
    /// `+FULLRESYNC`; its main connection continues with a PSYNC of its own.
    pub dual_rdb: bool,
    /// Scheduled to close for its output-buffer limit (the log line says so).
    pub obuf_closed: bool,
    /// Online: stream bytes handed to its socket, those known to have left it (the
    /// total at the last write whose drain was heard), and the totals at writes still
    /// waiting to be heard of, oldest first. What the kernel may still hold is
    /// `sock_sent - sock_left`, never more than [`SNDBUF_BYTES`](crate::node::effects::SNDBUF_BYTES)
    /// (see `write_to_replica`).
    pub sock_sent: u64,
    /// See `sock_sent`.
    pub sock_left: u64,
    /// See `sock_sent`.
    pub sock_marks: Vec<u64>,
}

impl ReplicaInfo {
    /// Whether the replication stream accumulates for it: from its fork on, except an
    /// rdb channel (the RDB only) and a main channel still waiting for its rdb channel.
    pub fn fed(&self) -> bool {
        self.rdb_channel_of.is_none()
            && !self.dual_rdb
            && !matches!(
                self.state,
                ReplicaState::WaitBgsaveStart | ReplicaState::WaitRdbChannel
            )
    }
}

impl ReplicaInfo {
    /// A client that just issued SYNC/PSYNC, with the capabilities it announced.
    pub fn new(
        listening_port: u16,
        announced_ip: Option<String>,
        capa_eof: bool,
        capa_psync2: bool,
    ) -> Self {
        ReplicaInfo {
            state: ReplicaState::WaitBgsaveStart,
            listening_port,
            announced_ip,
            capa_eof,
            capa_psync2,
            pre_psync: false,
            psync_initial_offset: 0,
            ack_off: 0,
            ack_time: 0,
            start_cmd_stream_on_ack: false,
            buf_ref: None,
            obuf_soft_limit_reached_time: 0,
            bulk_in_flight: false,
            textbook_prev_offset: 0,
            capa_rdb_channel: false,
            rdb_channel_of: None,
            dual_rdb: false,
            obuf_closed: false,
            sock_sent: 0,
            sock_left: 0,
            sock_marks: Vec::new(),
        }
    }
}

/// On a replica, the connection to the master (`CLIENT_MASTER` fields).
#[derive(Clone, Debug)]
pub struct MasterInfo {
    /// The master's replication id this history belongs to.
    pub replid: String,
    /// Bytes of the stream applied (`reploff`).
    pub reploff: i64,
    /// Bytes of the stream read (`read_reploff`).
    pub read_reploff: i64,
    /// Bytes of the query buffer already applied and forwarded (`repl_applied`).
    pub repl_applied: usize,
    /// The master does not speak PSYNC (no ACKs are sent).
    pub pre_psync: bool,
}

/// A connection into the node.
#[derive(Clone, Debug)]
pub struct Client {
    /// `client.id`.
    pub id: ClientId,
    /// The socket (None for the local console client and a cached master).
    pub fd: Option<Fd>,
    /// Peer host (the connecting node's name) for INFO and logs.
    pub peer_host: String,
    /// Selected database.
    pub db: usize,
    /// Unparsed input.
    pub querybuf: Vec<u8>,
    /// Parse position in `querybuf`.
    pub qb_pos: usize,
    /// Inside MULTI.
    pub multi: Option<MultiState>,
    /// Unix time of the last interaction.
    pub lastinteraction: i64,
    /// `woff`: master_repl_offset after this client's last command (for WAIT).
    pub woff: i64,
    /// Waiting for something.
    pub blocked: Option<Blocked>,
    /// To be freed at the next opportunity (`CLIENT_CLOSE_ASAP`).
    pub close_asap: bool,
    /// Close once the pending reply is written (`CLIENT_CLOSE_AFTER_REPLY`).
    pub close_after_reply: bool,
    /// Set once it issued SYNC/PSYNC.
    pub replica: Option<ReplicaInfo>,
    /// Set when this is the link to our master.
    pub master: Option<MasterInfo>,
    /// REPLCONF options sent before PSYNC.
    pub pending_listening_port: u16,
    /// REPLCONF ip-address sent before PSYNC.
    pub pending_ip: Option<String>,
    /// REPLCONF capa eof sent before PSYNC.
    pub pending_capa_eof: bool,
    /// REPLCONF capa psync2 sent before PSYNC.
    pub pending_capa_psync2: bool,
    /// REPLCONF capa rdb-channel-repl sent before PSYNC (Redis 8.0).
    pub pending_capa_rdb_channel: bool,
    /// REPLCONF main-ch-client-id: this connection is the rdb channel of that client.
    pub pending_main_ch: Option<ClientId>,
    /// REPLCONF capa dual-channel sent before PSYNC (Valkey).
    pub pending_capa_dual: bool,
    /// REPLCONF rdb-channel 1: this connection is an rdb channel (Valkey's dual channel
    /// says so; Redis 8.0 also names its main connection).
    pub pending_rdb_channel: bool,
    /// REPLCONF set-rdb-client-id (Valkey): the rdb channel this main connection's
    /// PSYNC continues from.
    pub pending_rdb_client: Option<ClientId>,
}

impl Client {
    /// A new client.
    pub fn new(id: ClientId, fd: Option<Fd>, peer_host: String, now_secs: i64) -> Client {
        Client {
            id,
            fd,
            peer_host,
            db: 0,
            querybuf: Vec::new(),
            qb_pos: 0,
            multi: None,
            lastinteraction: now_secs,
            woff: 0,
            blocked: None,
            close_asap: false,
            close_after_reply: false,
            replica: None,
            master: None,
            pending_listening_port: 0,
            pending_ip: None,
            pending_capa_eof: false,
            pending_capa_psync2: false,
            pending_capa_rdb_channel: false,
            pending_main_ch: None,
            pending_capa_dual: false,
            pending_rdb_channel: false,
            pending_rdb_client: None,
        }
    }

    /// `replicationGetSlaveName`: `ip:port` of a replica (announced ip or peer host,
    /// and its listening port), or just the peer for other clients.
    pub fn replica_name(&self) -> String {
        match &self.replica {
            Some(r) => format!(
                "{}:{}",
                r.announced_ip.as_deref().unwrap_or(&self.peer_host),
                r.listening_port
            ),
            None => format!("{}:<unknown-replica-port>", self.peer_host),
        }
    }
}
