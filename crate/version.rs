//! Server versions: each one a [`Profile`] kept here, in one place.
//!
//! A node runs one version (`node r1 version=valkey-8.1`, default `redis-7.0`, so every
//! scenario written before versions existed keeps its meaning). Everything that differs
//! between the versions the simulator models is a field of the version's profile —
//! its defaults, what INFO prints, the RDB version it writes and the ones it loads,
//! when it PINGs its replicas, how its replica side syncs, the texts of the replies
//! that changed — and the node reads the field; no code asks "which version is this".
//!
//! Every value here was measured on the real server (Debian 12's redis-server 7.0.15,
//! Debian 13's redis-server 8.0.2 and valkey-server 8.1.1, see tools/install-servers.sh)
//! or read from its source; docs/versions.md lists them with the probe that showed them.

use serde::Serialize;

/// A server version the simulator models.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
pub enum Version {
    /// Redis 2.6 as a replica only: it syncs with `SYNC`, never `PSYNC` or `REPLCONF`
    /// (the protocol the popular article describes). Its server side is 7.0's.
    Redis26,
    /// Redis 7.0.15 (the default).
    #[default]
    Redis70,
    /// Redis 8.0.2.
    Redis80,
    /// Valkey 8.1.1.
    Valkey81,
}

impl From<Version> for &'static str {
    fn from(v: Version) -> &'static str {
        v.name()
    }
}

impl Version {
    /// Every version, in the order the page lists them.
    pub const ALL: [Version; 4] = [
        Version::Redis70,
        Version::Redis80,
        Version::Valkey81,
        Version::Redis26,
    ];

    /// The scenario spelling: `redis-7.0`, `redis-8.0`, `valkey-8.1`, `redis-2.6`.
    pub fn name(self) -> &'static str {
        self.profile().name
    }

    /// The version named `s` (case-insensitive).
    ///
    /// # Errors
    /// A message naming the versions there are.
    pub fn parse(s: &str) -> Result<Version, String> {
        Version::ALL
            .into_iter()
            .find(|v| v.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = Version::ALL.iter().map(|v| v.name()).collect();
                format!(
                    "unknown version '{}' (the simulator models {})",
                    s.trim(),
                    names.join(", ")
                )
            })
    }

    /// This version's profile.
    pub fn profile(self) -> &'static Profile {
        match self {
            Version::Redis26 => &REDIS_26,
            Version::Redis70 => &REDIS_70,
            Version::Redis80 => &REDIS_80,
            Version::Valkey81 => &VALKEY_81,
        }
    }
}

/// How a version's replica side starts a sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplicaSync {
    /// `PING`, `REPLCONF listening-port`/`capa`, then `PSYNC` (2.8 and later).
    Psync,
    /// `SYNC` only: no `PING`, no `REPLCONF`, never a partial resync, never an ACK.
    SyncOnly,
}

/// How a version's INFO differs from 7.0's, beyond its version fields.
#[derive(Debug)]
pub struct InfoShape {
    /// `redis_mode` (Valkey: `server_mode`).
    pub mode_field: &'static str,
    /// `clients_hz` after `configured_hz` (Valkey).
    pub clients_hz: bool,
    /// A replica's two-channel buffer fields after `slave_repl_offset`: Redis 8.0's
    /// `replica_full_sync_buffer_size`/`_peak`, Valkey's `replicas_repl_buffer_size`/`_peak`.
    pub replica_buffer: Option<(&'static str, &'static str)>,
    /// `slaveN:...,type=replica` (Valkey).
    pub slave_type: bool,
    /// `replicas_waiting_psync` after the `slaveN` lines (Valkey).
    pub replicas_waiting_psync: bool,
}

/// Log lines whose words differ between versions. (Valkey's primary/replica for
/// master/slave is applied to every line by [`Profile::reword`].)
#[derive(Debug)]
pub struct Words {
    /// After "Background RDB transfer started by pid N" for a diskless sync through
    /// the parent's pipe (7.0: nothing; 8.0: " to parent process pipe").
    pub rdb_to_pipe: &'static str,
    /// The same for an rdb channel's fork writing the replica's socket itself.
    pub rdb_to_socket: &'static str,
    /// After "Starting BGSAVE for SYNC with target: ..." for a one-connection sync
    /// (Valkey: " using: normal sync").
    pub bgsave_normal: &'static str,
    /// The end of "Failed trying to load the MASTER synchronization DB from disk" after
    /// rdbLoad refused the file (7.0: ": Invalid argument").
    pub load_failed: &'static str,
    /// The line a replica logs when its full-sync buffer reaches its limit (`{}`: the
    /// limit in bytes, where the version prints it).
    pub buffer_limit: &'static str,
    /// The aux fields naming the producer that `rdbLoadRio` logs, each with the words
    /// before the value ("Loading RDB produced by version 7.0.15"). Valkey knows both
    /// names; Redis ignores `valkey-ver` (an unknown aux field, logged at debug level).
    pub rdb_produced_by: &'static [(&'static str, &'static str)],
}

const WORDS_REDIS: Words = Words {
    rdb_to_pipe: "",
    rdb_to_socket: "",
    bgsave_normal: "",
    load_failed: ": Invalid argument",
    buffer_limit: "Replication buffer limit has been reached ({} bytes), stopped buffering replication stream. Further accumulation may occur on master side. ",
    rdb_produced_by: &[("redis-ver", "Loading RDB produced by version ")],
};

const INFO_70: InfoShape = InfoShape {
    mode_field: "redis_mode",
    clients_hz: false,
    replica_buffer: None,
    slave_type: false,
    replicas_waiting_psync: false,
};

/// Everything that differs between the versions the simulator models.
#[derive(Debug)]
pub struct Profile {
    /// The version this profile describes.
    pub version: Version,
    /// The scenario spelling (`valkey-8.1`).
    pub name: &'static str,
    /// What the page calls it (`Valkey 8.1`).
    pub label: &'static str,
    /// The exact version the simulator reproduces (`8.1.1`).
    pub exact: &'static str,
    /// What its cli calls it ("Could not connect to Valkey at ...").
    pub cli_product: &'static str,
    /// INFO server, in order, before `redis_git_sha1`: `(field, value)` pairs.
    pub info_server_head: &'static [(&'static str, &'static str)],
    /// The other INFO differences.
    pub info: InfoShape,
    /// The server-version aux field of the RDB files it writes: name and value.
    pub rdb_aux: (&'static str, &'static str),
    /// The RDB format version it writes (`REDIS0010` → 10).
    pub rdb_version: u32,
    /// The newest RDB format version it can load.
    pub rdb_max_load: u32,
    /// Default `repl-backlog-size` in bytes.
    pub repl_backlog_size: i64,
    /// Default of the lazyfree options the simulator models, `lazyfree-lazy-expire` (yes:
    /// an expired key propagates as UNLINK) and `replica-lazy-flush` (Valkey: yes).
    pub lazyfree: bool,
    /// The master's replication PING is sent only when nothing else was written to the
    /// replication stream for a whole `repl-ping-replica-period` (Redis 8.0); otherwise
    /// every period whatever the traffic (7.0, Valkey 8.1).
    pub ping_only_when_idle: bool,
    /// A blocking `WAIT` with no replica and no backlog still adds 1 to
    /// `master_repl_offset` (Redis 8.0, Valkey 8.1; 7.0 leaves it).
    pub getack_counts_without_replicas: bool,
    /// A client's WAIT offset (`woff`) moves only after a command that propagated
    /// (8.0, Valkey); 7.0 moves it after every command.
    pub woff_only_when_propagated: bool,
    /// `SET` with an `EXAT`/`PXAT` deadline already past stores nothing: a missing key
    /// stays missing and nothing is propagated, an existing one is deleted and
    /// propagated as DEL/UNLINK (Valkey 8.0+, `setGenericCommand`, valkey#865); 7.0 and
    /// 8.0 store it and let expiry delete it.
    pub set_past_deadline_deletes: bool,
    /// A key deleted because a command gave it a deadline already past (EXPIRE family,
    /// GETEX EXAT/PXAT, SET above) counts in `expired_keys`
    /// (`deleteExpiredKeyFromOverwriteAndPropagate`, Valkey 8.1, valkey#1517).
    pub past_deadline_counts_expired: bool,
    /// `SET ... PXAT <ms>` is propagated as sent (options such as NX, XX and GET
    /// included); only EX, PX and EXAT are rewritten to `SET k v PXAT <ms>` (Redis 8.0
    /// and Valkey: `if (!(flags & OBJ_PXAT))` in `setGenericCommand`). 7.0 rewrites
    /// every form.
    pub set_pxat_verbatim: bool,
    /// How the replica side syncs.
    pub replica_sync: ReplicaSync,
    /// The block a two-channel replica buffers the stream in, as INFO counts it (Redis
    /// 8.0: 1 MiB usable minus a header; Valkey: 16 KiB blocks, 20,464 usable).
    pub full_sync_buffer_block: u64,
    /// Whether the stream that buffer takes in counts in `total_net_repl_input_bytes`
    /// when it is read (Redis 8.0: yes; Valkey 8.1: no, its `readIntoReplDataBlock`
    /// counts nothing). Measured: a 300,000-key sync with 905 bytes of writes during
    /// it reads the RDB, 87 bytes of `$EOF:` line and mark, and 905 more on 8.0.
    pub full_sync_buffer_counted: bool,
    /// Redis 8.0's rdb channel: a diskless full sync ships the RDB on a second
    /// connection while the main one carries the stream (docs/versions-two-channel.md);
    /// on while `repl-rdb-channel` is yes (the default).
    pub rdb_channel: bool,
    /// Valkey 8.1's dual channel: the same idea, opt-in with
    /// `dual-channel-replication-enabled yes` on both sides; the main connection then
    /// continues with a partial resync from the RDB's offset.
    pub dual_channel: bool,
    /// The replica sends `REPLCONF version <exact>` in its handshake (Valkey).
    pub replconf_version: bool,
    /// A replica logs "Loading DB in memory" before "Flushing old data" (8.0).
    pub log_loading_before_flush: bool,
    /// The capabilities its replica side announces (`REPLCONF capa eof capa psync2`).
    pub replica_capa: &'static [&'static str],
    /// Whether its master side knows `REPLCONF version` (else `-ERR Unrecognized
    /// REPLCONF option: version`).
    pub knows_replconf_version: bool,
    /// Its log lines say primary and replica for master and slave (Valkey).
    pub primary_words: bool,
    /// Log lines whose words differ.
    pub words: Words,
    /// The error for `MULTI` inside `MULTI`.
    pub err_nested_multi: &'static str,
    /// The error for `WAIT` on a replica.
    pub err_wait_on_replica: &'static str,
}

const REDIS_70: Profile = Profile {
    version: Version::Redis70,
    name: "redis-7.0",
    label: "Redis 7.0",
    exact: "7.0.15",
    cli_product: "Redis",
    info_server_head: &[("redis_version", "7.0.15")],
    info: INFO_70,
    rdb_aux: ("redis-ver", "7.0.15"),
    rdb_version: 10,
    rdb_max_load: 10,
    repl_backlog_size: 1024 * 1024,
    lazyfree: false,
    ping_only_when_idle: false,
    getack_counts_without_replicas: false,
    woff_only_when_propagated: false,
    set_past_deadline_deletes: false,
    past_deadline_counts_expired: false,
    set_pxat_verbatim: false,
    replica_sync: ReplicaSync::Psync,
    full_sync_buffer_block: 1_048_560,
    full_sync_buffer_counted: false,
    rdb_channel: false,
    dual_channel: false,
    replconf_version: false,
    replica_capa: &["eof", "psync2"],
    log_loading_before_flush: false,
    knows_replconf_version: false,
    primary_words: false,
    words: WORDS_REDIS,
    err_nested_multi: "ERR MULTI calls can not be nested",
    err_wait_on_replica: "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.",
};

const REDIS_26: Profile = Profile {
    version: Version::Redis26,
    name: "redis-2.6",
    label: "Redis 2.6 (replica)",
    replica_sync: ReplicaSync::SyncOnly,
    // A teaching model of SYNC, not of 2.6's RDB reader (which read versions up to 6):
    // it loads whatever its master sends.
    rdb_max_load: 12,
    ..REDIS_70
};

const REDIS_80: Profile = Profile {
    version: Version::Redis80,
    name: "redis-8.0",
    label: "Redis 8.0",
    exact: "8.0.2",
    info_server_head: &[("redis_version", "8.0.2")],
    info: InfoShape {
        replica_buffer: Some((
            "replica_full_sync_buffer_size",
            "replica_full_sync_buffer_peak",
        )),
        ..INFO_70
    },
    rdb_aux: ("redis-ver", "8.0.2"),
    rdb_version: 12,
    rdb_max_load: 12,
    ping_only_when_idle: true,
    getack_counts_without_replicas: true,
    woff_only_when_propagated: true,
    set_pxat_verbatim: true,
    rdb_channel: true,
    full_sync_buffer_counted: true,
    words: Words {
        rdb_to_pipe: " to parent process pipe",
        rdb_to_socket: " to replica socket",
        ..WORDS_REDIS
    },
    replica_capa: &["eof", "psync2"],
    log_loading_before_flush: true,
    ..REDIS_70
};

const VALKEY_81: Profile = Profile {
    version: Version::Valkey81,
    name: "valkey-8.1",
    label: "Valkey 8.1",
    exact: "8.1.1",
    cli_product: "Valkey",
    info_server_head: &[
        ("redis_version", "7.2.4"),
        ("server_name", "valkey"),
        ("valkey_version", "8.1.1"),
        ("valkey_release_stage", "ga"),
    ],
    info: InfoShape {
        mode_field: "server_mode",
        clients_hz: true,
        replica_buffer: Some(("replicas_repl_buffer_size", "replicas_repl_buffer_peak")),
        slave_type: true,
        replicas_waiting_psync: true,
    },
    rdb_aux: ("valkey-ver", "8.1.1"),
    rdb_version: 11,
    rdb_max_load: 11,
    repl_backlog_size: 10 * 1024 * 1024,
    lazyfree: true,
    replconf_version: true,
    dual_channel: true,
    full_sync_buffer_block: 20_464,
    knows_replconf_version: true,
    getack_counts_without_replicas: true,
    woff_only_when_propagated: true,
    set_past_deadline_deletes: true,
    past_deadline_counts_expired: true,
    set_pxat_verbatim: true,
    primary_words: true,
    words: Words {
        rdb_to_pipe: " to pipe through parent process",
        rdb_to_socket: " to direct socket to replica",
        bgsave_normal: " using: normal sync",
        load_failed: ", check server logs.",
        buffer_limit: "Dual channel replication: Replication buffer limit reached, stopping buffering.",
        rdb_produced_by: &[
            ("redis-ver", "Loading RDB produced by Redis version "),
            ("valkey-ver", "Loading RDB produced by Valkey version "),
        ],
    },
    err_nested_multi: "ERR Command not allowed inside a transaction",
    err_wait_on_replica: "ERR WAIT cannot be used with replica instances. Please also note that if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.",
    ..REDIS_70
};

impl Profile {
    /// A log line in this version's words: Valkey renamed master to primary and slave
    /// to replica in its messages (whole words only: `master_repl_offset` stays).
    /// None when the line is unchanged. The page's version comparison reads log lines
    /// through this very function (`valkey_words`, crate/wasm.rs).
    pub fn reword(&self, text: &str) -> Option<String> {
        if !self.primary_words {
            return None;
        }
        const SWAPS: [(&str, &str); 7] = [
            ("MASTER", "PRIMARY"),
            ("Master", "Primary"),
            ("master", "primary"),
            ("slaves", "replicas"),
            ("Slaves", "Replicas"),
            ("slave", "replica"),
            ("Slave", "Replica"),
        ];
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len() + 8);
        let (mut i, mut changed) = (0, false);
        'scan: while i < text.len() {
            if i == 0 || !word(bytes[i - 1]) {
                for (from, to) in SWAPS {
                    let end = i + from.len();
                    if text[i..].starts_with(from) && bytes.get(end).is_none_or(|b| !word(*b)) {
                        out.push_str(to);
                        i = end;
                        changed = true;
                        continue 'scan;
                    }
                }
            }
            let ch = text[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
        changed.then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_versions() {
        for v in Version::ALL {
            assert_eq!(Version::parse(v.name()), Ok(v));
            assert_eq!(v.profile().version, v);
        }
        assert_eq!(Version::parse("VALKEY-8.1"), Ok(Version::Valkey81));
        let e = Version::parse("redis-7.2").unwrap_err();
        assert!(e.contains("'redis-7.2'") && e.contains("valkey-8.1"), "{e}");
        assert_eq!(Version::default(), Version::Redis70);
    }

    #[test]
    fn valkey_says_primary_and_replica_in_whole_words() {
        let v = Version::Valkey81.profile();
        assert_eq!(
            v.reword("MASTER <-> REPLICA sync: Flushing old data")
                .as_deref(),
            Some("PRIMARY <-> REPLICA sync: Flushing old data")
        );
        assert_eq!(
            v.reword("Master replied to PING, replication can continue...")
                .as_deref(),
            Some("Primary replied to PING, replication can continue...")
        );
        assert_eq!(
            v.reword("Waiting for REPLCONF ACK from slave to enable streaming")
                .as_deref(),
            Some("Waiting for REPLCONF ACK from replica to enable streaming")
        );
        assert_eq!(v.reword("master_repl_offset is 5 and masters"), None);
        assert_eq!(v.reword("Synchronization with replica r1 succeeded"), None);
        assert_eq!(
            Version::Redis80.profile().reword("MASTER <-> REPLICA"),
            None
        );
    }
}
