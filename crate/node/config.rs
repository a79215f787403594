//! A node's configuration: the replication-related parameters of redis.conf that the
//! simulator models, with Redis 7.0's defaults.
//!
//! Reading and writing them by name (`node m repl-backlog-size=16kb`, `CONFIG GET`,
//! `CONFIG SET`) lives in [`crate::node::config_table`]; this file is the typed state.

use crate::version::Version;
use serde::Serialize;

/// `client-output-buffer-limit` for one client class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ObufLimit {
    /// Disconnect at once when the buffer reaches this (0 = no limit).
    pub hard_limit_bytes: u64,
    /// Disconnect when the buffer stays at or above this ...
    pub soft_limit_bytes: u64,
    /// ... for more than this many seconds.
    pub soft_limit_seconds: u64,
}

/// The client classes that have output buffer limits, in redis.conf order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ClientClass {
    /// Ordinary clients.
    Normal = 0,
    /// Replicas attached to this node.
    Replica = 1,
    /// Pub/Sub subscribers.
    Pubsub = 2,
}

/// Every parameter the simulator knows, typed. Defaults are Redis 7.0's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Config {
    /// The server version this node runs (`node m version=valkey-8.1`): not a Redis
    /// parameter (CONFIG GET does not list it); it chose the defaults below.
    pub version: Version,
    /// `port`: where the node listens (every node is its own host, so 6379 by default).
    pub port: u16,
    /// `replicaof <host> <port>` from the config file (None: a master).
    pub replicaof: Option<(String, u16)>,
    /// `save`: snapshot when `changes` writes happened within `seconds`.
    pub save_points: Vec<SavePoint>,
    /// `appendonly` (only `no` is simulated).
    pub appendonly: bool,
    /// `dbfilename`.
    pub dbfilename: String,
    /// `rdbcompression`: LZF-compress long strings in RDB files (no: verbatim; read when
    /// a save or a full sync forks, so `CONFIG SET` reaches the next file).
    pub rdbcompression: bool,
    /// `rdbchecksum` (startup only): end RDB files with their CRC-64 (no: 8 zero bytes),
    /// and check it when loading one (a file whose checksum is 0 loads with a warning).
    pub rdbchecksum: bool,
    /// `rdb-del-sync-files`.
    pub rdb_del_sync_files: bool,
    /// `stop-writes-on-bgsave-error`.
    pub stop_writes_on_bgsave_error: bool,
    /// `databases`.
    pub databases: usize,
    /// `hz`: how often serverCron runs per second.
    pub hz: u32,
    /// `repl-diskless-sync`: stream the RDB to replica sockets instead of writing a file.
    pub repl_diskless_sync: bool,
    /// `repl-diskless-sync-delay`: seconds to wait for more replicas before forking.
    pub repl_diskless_sync_delay_secs: i64,
    /// `repl-diskless-sync-max-replicas`: fork early once this many wait (0 = off).
    pub repl_diskless_sync_max_replicas: i64,
    /// `repl-diskless-load` (only `disabled` is simulated: load from a file).
    pub repl_diskless_load: String,
    /// `repl-backlog-size`.
    pub repl_backlog_size_bytes: i64,
    /// `repl-backlog-ttl`: free the backlog after this many seconds without replicas (0 = never).
    pub repl_backlog_ttl_secs: i64,
    /// `repl-timeout`.
    pub repl_timeout_secs: i64,
    /// `repl-ping-replica-period`: a `ping` in the stream every N replication-cron runs.
    pub repl_ping_replica_period_secs: i64,
    /// `repl-disable-tcp-nodelay` (no effect in the simulator; kept for CONFIG GET).
    pub repl_disable_tcp_nodelay: bool,
    /// `min-replicas-to-write` (0 = off).
    pub min_replicas_to_write: i64,
    /// `min-replicas-max-lag`.
    pub min_replicas_max_lag_secs: i64,
    /// `client-output-buffer-limit`, indexed by [`ClientClass`].
    pub obuf_limits: [ObufLimit; 3],
    /// `replica-read-only`.
    pub replica_read_only: bool,
    /// `replica-serve-stale-data`.
    pub replica_serve_stale_data: bool,
    /// `replica-lazy-flush`.
    pub replica_lazy_flush: bool,
    /// `replica-announce-ip` (None = not set: no `REPLCONF ip-address` is sent).
    pub replica_announce_ip: Option<String>,
    /// `replica-announce-port` (0 = use `port`).
    pub replica_announce_port: u16,
    /// `replica-priority`.
    pub replica_priority: i64,
    /// `replica-announced`.
    pub replica_announced: bool,
    /// `proto-max-bulk-len`.
    pub proto_max_bulk_len_bytes: i64,
    /// `shutdown-timeout`: seconds SHUTDOWN waits for lagging replicas.
    pub shutdown_timeout_secs: i64,
    /// `lazyfree-lazy-expire`: propagate expiry as UNLINK instead of DEL.
    pub lazyfree_lazy_expire: bool,
    /// `repl-rdb-channel` (Redis 8.0, hidden): full syncs over an rdb channel.
    pub repl_rdb_channel: bool,
    /// `replica-full-sync-buffer-limit` (Redis 8.0; 0: the replica class's hard
    /// output-buffer limit): past it a replica's full-sync buffer takes no new block.
    pub replica_full_sync_buffer_limit: i64,
    /// `dual-channel-replication-enabled` (Valkey 8.1, default no).
    pub dual_channel_replication: bool,
    /// `textbook-ack-resend` — NOT Redis: a master that re-sends stream bytes when a
    /// replica's ACK reports a lower offset, as popular explanations claim. Off by
    /// default; only for the "myth check" lesson.
    pub textbook_ack_resend: bool,
}

/// One `save <seconds> <changes>` point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SavePoint {
    /// Window in seconds.
    pub seconds: u64,
    /// Writes needed within the window.
    pub changes: u64,
}

impl Config {
    /// The defaults of `version` (Redis 7.0's are [`Config::default`]).
    pub fn for_version(version: Version) -> Config {
        let p = version.profile();
        Config {
            version,
            repl_backlog_size_bytes: p.repl_backlog_size,
            lazyfree_lazy_expire: p.lazyfree,
            replica_lazy_flush: p.lazyfree,
            ..Config::default()
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: Version::Redis70,
            port: 6379,
            replicaof: None,
            save_points: vec![
                SavePoint {
                    seconds: 3600,
                    changes: 1,
                },
                SavePoint {
                    seconds: 300,
                    changes: 100,
                },
                SavePoint {
                    seconds: 60,
                    changes: 10000,
                },
            ],
            appendonly: false,
            dbfilename: "dump.rdb".into(),
            rdbcompression: true,
            rdbchecksum: true,
            rdb_del_sync_files: false,
            stop_writes_on_bgsave_error: true,
            databases: 16,
            hz: 10,
            repl_diskless_sync: true,
            repl_diskless_sync_delay_secs: 5,
            repl_diskless_sync_max_replicas: 0,
            repl_diskless_load: "disabled".into(),
            repl_backlog_size_bytes: 1024 * 1024,
            repl_backlog_ttl_secs: 3600,
            repl_timeout_secs: 60,
            repl_ping_replica_period_secs: 10,
            repl_disable_tcp_nodelay: false,
            min_replicas_to_write: 0,
            min_replicas_max_lag_secs: 10,
            obuf_limits: [
                ObufLimit {
                    hard_limit_bytes: 0,
                    soft_limit_bytes: 0,
                    soft_limit_seconds: 0,
                },
                ObufLimit {
                    hard_limit_bytes: 256 * 1024 * 1024,
                    soft_limit_bytes: 64 * 1024 * 1024,
                    soft_limit_seconds: 60,
                },
                ObufLimit {
                    hard_limit_bytes: 32 * 1024 * 1024,
                    soft_limit_bytes: 8 * 1024 * 1024,
                    soft_limit_seconds: 60,
                },
            ],
            replica_read_only: true,
            replica_serve_stale_data: true,
            replica_lazy_flush: false,
            replica_announce_ip: None,
            replica_announce_port: 0,
            replica_priority: 100,
            replica_announced: true,
            proto_max_bulk_len_bytes: 512 * 1024 * 1024,
            shutdown_timeout_secs: 10,
            lazyfree_lazy_expire: false,
            repl_rdb_channel: true,
            replica_full_sync_buffer_limit: 0,
            dual_channel_replication: false,
            textbook_ack_resend: false,
        }
    }
}
