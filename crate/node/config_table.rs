//! Reading and writing [`Config`] by parameter name, the way Redis 7.0 does.
//!
//! One table (`PARAMS`) lists every parameter the simulator models with its Redis type,
//! range, alias and mutability, mirroring the `standardConfig` table in Redis's `config.c`.
//! Three entry points use it:
//!
//! - [`set_startup`]: one `name=value` from a scenario's `node` line, accepted as Redis
//!   accepts `--name value` on its command line (immutable parameters included, no
//!   CONFIG SET side effects such as the backlog clamp).
//! - [`config_set`]: `CONFIG SET`, all-or-nothing, with the exact error replies of
//!   Redis 7.0.15.
//! - [`config_get`]: `CONFIG GET`, with names, aliases and value formats as 7.0 returns them.
//!
//! Values the simulator cannot model (`appendonly yes`, a diskless load) are refused with
//! an error that says so, rather than stored and silently ignored.
//!
//! Parsing uses Redis's C helpers as ported in [`crate::redis_util`], quirks included (`memtoull("")` is 0,
//! `strtoll` saturates, a `save` point's `changes` is a C `int`), because a reader comparing
//! the simulator with a real server should see the same answers.

use crate::redis_util::{cstr, memtoull, sdssplitargs, string2ll, stringmatchlen, strtoll};
use crate::util::VecMap;

use crate::node::config::{ClientClass, Config, ObufLimit, SavePoint};
use crate::version::Version;

/// `INT_MAX`: the upper bound of every `int` parameter in Redis.
const INT_MAX: i64 = i32::MAX as i64;

/// `CONFIG_REPL_BACKLOG_MIN_SIZE`: CONFIG SET never leaves the backlog smaller than this.
const REPL_BACKLOG_SIZE_MIN_BYTES: i64 = 16 * 1024;

/// `CONFIG_MIN_HZ` / `CONFIG_MAX_HZ`: `hz` is a hint, clamped rather than refused.
const HZ_MIN: u32 = 1;
const HZ_MAX: u32 = 500;

/// Who may change a parameter after startup.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mutability {
    /// CONFIG SET may change it.
    Modifiable,
    /// Startup only (`IMMUTABLE_CONFIG`).
    Immutable,
    /// Refused by CONFIG SET while `enable-protected-configs` is `no`, its default
    /// (`PROTECTED_CONFIG`). The simulator does not model that switch, so always refused.
    Protected,
}

/// What Redis runs after CONFIG SET changed a value (its `apply` functions), as far as
/// it changes the stored value. Other side effects belong to the caller.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Apply {
    /// Nothing that changes the stored value.
    None,
    /// `updateHZ`: clamp to 1..=500 (also done at startup, after loading the config).
    ClampHz,
    /// `updateReplBacklogSize` → `resizeReplicationBacklog`: raise to 16kb (CONFIG SET only).
    ResizeBacklog,
}

/// An extra check after parsing a value (Redis's `is_valid_fn`, and the simulator's
/// refusals of values it cannot model). `Err` is the reason text.
type Check<T> = fn(T) -> Result<(), String>;

/// [`Check`] for text values (a separate alias because the borrow is higher-ranked).
type StrCheck = fn(&str) -> Result<(), String>;

/// A parameter's type: how its value is parsed, checked, stored and printed.
#[derive(Clone, Copy)]
enum Kind {
    /// `createBoolConfig`: `yes` / `no`, case-insensitive.
    Bool {
        get: fn(&Config) -> bool,
        set: fn(&mut Config, bool),
        /// Extra check after parsing (the simulator's refusals).
        check: Option<Check<bool>>,
    },
    /// `createIntConfig` & co, every one a signed C type here; `memory` is `MEMORY_CONFIG`
    /// (units accepted, printed as a plain byte count).
    Int {
        min: i64,
        max: i64,
        memory: bool,
        get: fn(&Config) -> i64,
        set: fn(&mut Config, i64),
    },
    /// `createStringConfig`; `empty_is_none` is `EMPTY_STRING_IS_NULL`.
    Str {
        empty_is_none: bool,
        get: fn(&Config) -> Option<&str>,
        set: fn(&mut Config, Option<String>),
        check: Option<StrCheck>,
    },
    /// `createEnumConfig` (single-valued), names matched case-insensitively.
    Enum {
        names: &'static [&'static str],
        get: fn(&Config) -> &str,
        set: fn(&mut Config, &'static str),
        check: Option<StrCheck>,
    },
    /// `save <seconds> <changes> ...` (special, multi-argument).
    Save,
    /// `client-output-buffer-limit <class> <hard> <soft> <seconds> ...` (special, multi-argument).
    ObufLimits,
    /// `replicaof <host> <port>` (special, multi-argument, immutable).
    ReplicaOf,
}

impl Kind {
    /// `MULTI_ARG_CONFIG`: the value is split into several arguments.
    fn is_multi_arg(&self) -> bool {
        matches!(self, Kind::Save | Kind::ObufLimits | Kind::ReplicaOf)
    }
}

/// One row of the table, like one `standardConfig` in Redis.
struct Param {
    name: &'static str,
    alias: Option<&'static str>,
    mutability: Mutability,
    kind: Kind,
    apply: Apply,
}

/// Shorthand for the common case: modifiable, no apply step.
const fn param(name: &'static str, alias: Option<&'static str>, kind: Kind) -> Param {
    Param {
        name,
        alias,
        mutability: Mutability::Modifiable,
        kind,
        apply: Apply::None,
    }
}

/// An `int` parameter (`createIntConfig`, not a memory value).
const fn int(min: i64, max: i64, get: fn(&Config) -> i64, set: fn(&mut Config, i64)) -> Kind {
    Kind::Int {
        min,
        max,
        memory: false,
        get,
        set,
    }
}

/// A boolean with no extra check.
const fn yes_no(get: fn(&Config) -> bool, set: fn(&mut Config, bool)) -> Kind {
    Kind::Bool {
        get,
        set,
        check: None,
    }
}

/// Every parameter the simulator models, in the order of the brief / redis.conf sections.
/// Ranges, aliases and flags are copied from Redis 7.0.15's `static_configs`.
///
/// The `as` casts in the setters narrow values that the range check has already bounded
/// to the field's type (e.g. `port` is checked against 0..=65535 before `as u16`).
static PARAMS: &[Param] = &[
    param(
        "port",
        None,
        int(0, 65535, |c| i64::from(c.port), |c, v| c.port = v as u16),
    ),
    Param {
        name: "replicaof",
        alias: Some("slaveof"),
        mutability: Mutability::Immutable,
        kind: Kind::ReplicaOf,
        apply: Apply::None,
    },
    param("save", None, Kind::Save),
    param(
        "appendonly",
        None,
        Kind::Bool {
            get: |c| c.appendonly,
            set: |c, v| c.appendonly = v,
            check: Some(|v| {
                if v {
                    Err("appendonly yes is not supported by the simulator (only 'no')".into())
                } else {
                    Ok(())
                }
            }),
        },
    ),
    Param {
        name: "dbfilename",
        alias: None,
        mutability: Mutability::Protected,
        kind: Kind::Str {
            empty_is_none: false,
            get: |c| Some(c.dbfilename.as_str()),
            set: |c, v| c.dbfilename = v.unwrap_or_default(),
            check: Some(|v| {
                // pathIsBaseName: the RDB file must stay inside `dir`.
                if v.contains('/') || v.contains('\\') {
                    Err("dbfilename can't be a path, just a filename".into())
                } else {
                    Ok(())
                }
            }),
        },
        apply: Apply::None,
    },
    param(
        "rdbcompression",
        None,
        yes_no(|c| c.rdbcompression, |c, v| c.rdbcompression = v),
    ),
    Param {
        name: "rdbchecksum",
        alias: None,
        mutability: Mutability::Immutable,
        kind: yes_no(|c| c.rdbchecksum, |c, v| c.rdbchecksum = v),
        apply: Apply::None,
    },
    param(
        "rdb-del-sync-files",
        None,
        yes_no(|c| c.rdb_del_sync_files, |c, v| c.rdb_del_sync_files = v),
    ),
    param(
        "stop-writes-on-bgsave-error",
        None,
        yes_no(
            |c| c.stop_writes_on_bgsave_error,
            |c, v| c.stop_writes_on_bgsave_error = v,
        ),
    ),
    Param {
        name: "databases",
        alias: None,
        mutability: Mutability::Immutable,
        kind: int(
            1,
            INT_MAX,
            |c| c.databases as i64,
            |c, v| c.databases = v as usize,
        ),
        apply: Apply::None,
    },
    Param {
        name: "hz",
        alias: None,
        mutability: Mutability::Modifiable,
        kind: int(0, INT_MAX, |c| i64::from(c.hz), |c, v| c.hz = v as u32),
        apply: Apply::ClampHz,
    },
    param(
        "repl-diskless-sync",
        None,
        yes_no(|c| c.repl_diskless_sync, |c, v| c.repl_diskless_sync = v),
    ),
    param(
        "repl-diskless-sync-delay",
        None,
        int(
            0,
            INT_MAX,
            |c| c.repl_diskless_sync_delay_secs,
            |c, v| c.repl_diskless_sync_delay_secs = v,
        ),
    ),
    param(
        "repl-diskless-sync-max-replicas",
        None,
        int(
            0,
            INT_MAX,
            |c| c.repl_diskless_sync_max_replicas,
            |c, v| c.repl_diskless_sync_max_replicas = v,
        ),
    ),
    param(
        "repl-diskless-load",
        None,
        Kind::Enum {
            names: &["disabled", "on-empty-db", "swapdb"],
            get: |c| c.repl_diskless_load.as_str(),
            set: |c, v| c.repl_diskless_load = v.to_string(),
            check: None,
        },
    ),
    Param {
        name: "repl-backlog-size",
        alias: None,
        mutability: Mutability::Modifiable,
        kind: Kind::Int {
            min: 1,
            max: i64::MAX,
            memory: true,
            get: |c| c.repl_backlog_size_bytes,
            set: |c, v| c.repl_backlog_size_bytes = v,
        },
        apply: Apply::ResizeBacklog,
    },
    param(
        "repl-backlog-ttl",
        None,
        // A time_t in Redis, so LONG_MAX rather than INT_MAX.
        int(
            0,
            i64::MAX,
            |c| c.repl_backlog_ttl_secs,
            |c, v| c.repl_backlog_ttl_secs = v,
        ),
    ),
    param(
        "repl-timeout",
        None,
        int(
            1,
            INT_MAX,
            |c| c.repl_timeout_secs,
            |c, v| c.repl_timeout_secs = v,
        ),
    ),
    param(
        "repl-ping-replica-period",
        Some("repl-ping-slave-period"),
        int(
            1,
            INT_MAX,
            |c| c.repl_ping_replica_period_secs,
            |c, v| c.repl_ping_replica_period_secs = v,
        ),
    ),
    param(
        "repl-disable-tcp-nodelay",
        None,
        yes_no(
            |c| c.repl_disable_tcp_nodelay,
            |c, v| c.repl_disable_tcp_nodelay = v,
        ),
    ),
    param(
        "min-replicas-to-write",
        Some("min-slaves-to-write"),
        int(
            0,
            INT_MAX,
            |c| c.min_replicas_to_write,
            |c, v| c.min_replicas_to_write = v,
        ),
    ),
    param(
        "min-replicas-max-lag",
        Some("min-slaves-max-lag"),
        int(
            0,
            INT_MAX,
            |c| c.min_replicas_max_lag_secs,
            |c, v| c.min_replicas_max_lag_secs = v,
        ),
    ),
    param("client-output-buffer-limit", None, Kind::ObufLimits),
    param(
        "replica-read-only",
        Some("slave-read-only"),
        yes_no(|c| c.replica_read_only, |c, v| c.replica_read_only = v),
    ),
    param(
        "replica-serve-stale-data",
        Some("slave-serve-stale-data"),
        yes_no(
            |c| c.replica_serve_stale_data,
            |c, v| c.replica_serve_stale_data = v,
        ),
    ),
    param(
        "replica-lazy-flush",
        Some("slave-lazy-flush"),
        yes_no(|c| c.replica_lazy_flush, |c, v| c.replica_lazy_flush = v),
    ),
    param(
        "replica-announce-ip",
        Some("slave-announce-ip"),
        Kind::Str {
            empty_is_none: true,
            get: |c| c.replica_announce_ip.as_deref(),
            set: |c, v| c.replica_announce_ip = v,
            check: None,
        },
    ),
    param(
        "replica-announce-port",
        Some("slave-announce-port"),
        int(
            0,
            65535,
            |c| i64::from(c.replica_announce_port),
            |c, v| c.replica_announce_port = v as u16,
        ),
    ),
    param(
        "replica-priority",
        Some("slave-priority"),
        int(
            0,
            INT_MAX,
            |c| c.replica_priority,
            |c, v| c.replica_priority = v,
        ),
    ),
    param(
        "replica-announced",
        None,
        yes_no(|c| c.replica_announced, |c, v| c.replica_announced = v),
    ),
    param(
        "proto-max-bulk-len",
        None,
        Kind::Int {
            min: 1024 * 1024,
            max: i64::MAX,
            memory: true,
            get: |c| c.proto_max_bulk_len_bytes,
            set: |c, v| c.proto_max_bulk_len_bytes = v,
        },
    ),
    param(
        "shutdown-timeout",
        None,
        int(
            0,
            INT_MAX,
            |c| c.shutdown_timeout_secs,
            |c, v| c.shutdown_timeout_secs = v,
        ),
    ),
    param(
        "lazyfree-lazy-expire",
        None,
        yes_no(
            |c| c.lazyfree_lazy_expire,
            |c, v| c.lazyfree_lazy_expire = v,
        ),
    ),
    // Parameters of later versions (ONLY_IN says which).
    param(
        "repl-rdb-channel",
        None,
        yes_no(|c| c.repl_rdb_channel, |c, v| c.repl_rdb_channel = v),
    ),
    param(
        "replica-full-sync-buffer-limit",
        None,
        Kind::Int {
            min: 0,
            max: i64::MAX,
            memory: true,
            get: |c| c.replica_full_sync_buffer_limit,
            set: |c, v| c.replica_full_sync_buffer_limit = v,
        },
    ),
    param(
        "dual-channel-replication-enabled",
        None,
        yes_no(
            |c| c.dual_channel_replication,
            |c, v| c.dual_channel_replication = v,
        ),
    ),
    // Not a Redis parameter: the textbook's claim that a master re-sends data when an
    // ACK reports a lower offset, as an opt-in what-if (docs/scenario-format.md).
    // Hidden from CONFIG GET globs so a real server's parameter list is unchanged.
    param(
        TEXTBOOK_ACK_RESEND,
        None,
        yes_no(|c| c.textbook_ack_resend, |c, v| c.textbook_ack_resend = v),
    ),
];

/// The one simulator-only parameter.
pub const TEXTBOOK_ACK_RESEND: &str = "textbook-ack-resend";

/// The other names (and aliases) in Redis 7.0.15's config table: parameters the simulator
/// does not model. Knowing them lets us say so instead of "unknown option", which would
/// tell a reader that Redis lacks them.
static REDIS_ONLY_PARAMS: &[&str] = &[
    "acl-pubsub-default",
    "aclfile",
    "acllog-max-len",
    "active-defrag-cycle-max",
    "active-defrag-cycle-min",
    "active-defrag-ignore-bytes",
    "active-defrag-max-scan-fields",
    "active-defrag-threshold-lower",
    "active-defrag-threshold-upper",
    "active-expire-effort",
    "activedefrag",
    "activerehashing",
    "always-show-logo",
    "aof-disable-auto-gc",
    "aof-load-truncated",
    "aof-rewrite-incremental-fsync",
    "aof-timestamp-enabled",
    "aof-use-rdb-preamble",
    "aof_rewrite_cpulist",
    "appenddirname",
    "appendfilename",
    "appendfsync",
    "auto-aof-rewrite-min-size",
    "auto-aof-rewrite-percentage",
    "bgsave_cpulist",
    "bind",
    "bind-source-addr",
    "bio_cpulist",
    "busy-reply-threshold",
    "client-query-buffer-limit",
    "cluster-allow-pubsubshard-when-down",
    "cluster-allow-reads-when-down",
    "cluster-allow-replica-migration",
    "cluster-announce-bus-port",
    "cluster-announce-hostname",
    "cluster-announce-ip",
    "cluster-announce-port",
    "cluster-announce-tls-port",
    "cluster-config-file",
    "cluster-enabled",
    "cluster-link-sendbuf-limit",
    "cluster-migration-barrier",
    "cluster-node-timeout",
    "cluster-port",
    "cluster-preferred-endpoint-type",
    "cluster-replica-no-failover",
    "cluster-replica-validity-factor",
    "cluster-require-full-coverage",
    "cluster-slave-no-failover",
    "cluster-slave-validity-factor",
    "crash-log-enabled",
    "crash-memcheck-enabled",
    "daemonize",
    "dir",
    "disable-thp",
    "dynamic-hz",
    "enable-debug-command",
    "enable-module-command",
    "enable-protected-configs",
    "hash-max-listpack-entries",
    "hash-max-listpack-value",
    "hash-max-ziplist-entries",
    "hash-max-ziplist-value",
    "hll-sparse-max-bytes",
    "ignore-warnings",
    "io-threads",
    "io-threads-do-reads",
    "jemalloc-bg-thread",
    "key-load-delay",
    "latency-monitor-threshold",
    "latency-tracking",
    "latency-tracking-info-percentiles",
    "lazyfree-lazy-eviction",
    "lazyfree-lazy-server-del",
    "lazyfree-lazy-user-del",
    "lazyfree-lazy-user-flush",
    "lfu-decay-time",
    "lfu-log-factor",
    "list-compress-depth",
    "list-max-listpack-size",
    "list-max-ziplist-size",
    "loading-process-events-interval-bytes",
    "logfile",
    "loglevel",
    "lua-time-limit",
    "masterauth",
    "masteruser",
    "maxclients",
    "maxmemory",
    "maxmemory-clients",
    "maxmemory-eviction-tenacity",
    "maxmemory-policy",
    "maxmemory-samples",
    "no-appendfsync-on-rewrite",
    "notify-keyspace-events",
    "oom-score-adj",
    "oom-score-adj-values",
    "pidfile",
    "proc-title-template",
    "propagation-error-behavior",
    "protected-mode",
    "rdb-key-save-delay",
    "rdb-save-incremental-fsync",
    "replica-ignore-disk-write-errors",
    "replica-ignore-maxmemory",
    "requirepass",
    "sanitize-dump-payload",
    "server_cpulist",
    "set-max-intset-entries",
    "set-proc-title",
    "shutdown-on-sigint",
    "shutdown-on-sigterm",
    "slave-ignore-maxmemory",
    "slowlog-log-slower-than",
    "slowlog-max-len",
    "socket-mark-id",
    "stream-node-max-bytes",
    "stream-node-max-entries",
    "supervised",
    "syslog-enabled",
    "syslog-facility",
    "syslog-ident",
    "tcp-backlog",
    "tcp-keepalive",
    "timeout",
    "tls-auth-clients",
    "tls-ca-cert-dir",
    "tls-ca-cert-file",
    "tls-cert-file",
    "tls-ciphers",
    "tls-ciphersuites",
    "tls-client-cert-file",
    "tls-client-key-file",
    "tls-client-key-file-pass",
    "tls-cluster",
    "tls-dh-params-file",
    "tls-key-file",
    "tls-key-file-pass",
    "tls-port",
    "tls-prefer-server-ciphers",
    "tls-protocols",
    "tls-replication",
    "tls-session-cache-size",
    "tls-session-cache-timeout",
    "tls-session-caching",
    "tracking-table-max-keys",
    "unixsocket",
    "unixsocketperm",
    "use-exit-on-panic",
    "watchdog-period",
    "zset-max-listpack-entries",
    "zset-max-listpack-value",
    "zset-max-ziplist-entries",
    "zset-max-ziplist-value",
];

/// The refusal for a Redis parameter the simulator does not model, if `name` is one.
fn not_modelled(name: &[u8]) -> Option<String> {
    REDIS_ONLY_PARAMS
        .iter()
        .find(|n| n.as_bytes().eq_ignore_ascii_case(name))
        .map(|n| format!("{n} is a Redis parameter the simulator does not model"))
}

/// Every registered name, canonical names and aliases alike, with its row. Redis registers
/// an alias as a separate dictionary entry (a copy of the row whose name is the alias);
/// that is why CONFIG GET globs return aliases and why CONFIG SET does not count
/// `slave-priority` + `replica-priority` as a duplicate.
fn entries() -> impl Iterator<Item = (&'static str, &'static Param)> {
    PARAMS
        .iter()
        .flat_map(|p| std::iter::once((p.name, p)).chain(p.alias.map(|a| (a, p))))
}

/// Parameters only some versions have, and whether CONFIG GET globs list them
/// (Redis 8.0's `repl-rdb-channel` is a hidden config: only its exact name answers).
const ONLY_IN: &[(&str, Version, bool)] = &[
    ("repl-rdb-channel", Version::Redis80, false),
    ("replica-full-sync-buffer-limit", Version::Redis80, true),
    ("dual-channel-replication-enabled", Version::Valkey81, true),
];

/// Whether `version` has the parameter `name` (canonical), and whether globs list it.
fn has(name: &str, version: Version) -> (bool, bool) {
    ONLY_IN
        .iter()
        .find(|(n, _, _)| *n == name)
        .map_or((true, true), |(_, v, listed)| (*v == version, *listed))
}

/// The rows `version` has, by every name and alias.
fn entries_of(version: Version) -> impl Iterator<Item = (&'static str, &'static Param)> {
    entries().filter(move |(_, p)| has(p.name, version).0)
}

/// `lookupConfig`: a case-insensitive lookup over names and aliases of the parameters
/// `version` has. Returns the registered name that matched (the alias if the alias was
/// used) and the row.
fn lookup(name: &[u8], version: Version) -> Option<(&'static str, &'static Param)> {
    // A `for` loop, as in `push_near_names` and `config_get`: the page's wasm then holds one
    // copy of the table's iteration (`find` made a second: about 400 bytes before gzip).
    for (key, param) in entries_of(version) {
        if key.as_bytes().eq_ignore_ascii_case(name) {
            return Some((key, param));
        }
    }
    None
}

/// For a name [`lookup`] did not find, a scenario's "did you mean" hint appended to `m`:
/// the name or alias of `version` closest to it, at most `len / 4` edits away (1 to 3;
/// Levenshtein, case-insensitive), the first in table order among equals; else, when the
/// name (3 bytes or more) is the start of a few names (1 to 3, `repl-backlog` of
/// `repl-backlog-size` and `repl-backlog-ttl`), those, in table order:
///
/// ```text
///  (did you mean 'repl-backlog-size'?)
///  (did you mean 'repl-backlog-size' or 'repl-backlog-ttl'?)
/// ```
///
/// Nothing when neither rule finds a name.
///
/// Small on purpose (the page's wasm carries it): one loop over the table, the one
/// [`lookup`] and [`config_get`] use, and a one-row distance; the names a prefix starts
/// are written into `m` as found and taken back if too many (no list kept: a `Vec` of
/// them cost about 220 bytes of gzipped wasm, this about 10).
fn push_near_names(m: &mut String, name: &[u8], version: Version) {
    let mut best = None;
    let mut best_edits = (name.len() / 4).clamp(1, 3) + 1;
    // The names `name` starts are written as they are found, and taken back if too many.
    let (start, mut n) = (m.len(), 0);
    // `version=` is a node line's own parameter (the scenario's, not Redis's).
    for key in entries_of(version).map(|(k, _)| k).chain(["version"]) {
        let d = edits(name, key.as_bytes());
        if d < best_edits {
            (best, best_edits) = (Some(key), d);
        }
        if name.len() >= 3
            && key.len() > name.len()
            && key.as_bytes()[..name.len()].eq_ignore_ascii_case(name)
        {
            m.push_str(if n == 0 { " (did you mean '" } else { "' or '" });
            m.push_str(key);
            n += 1;
        }
    }
    if let Some(key) = best {
        m.truncate(start);
        m.push_str(" (did you mean '");
        m.push_str(key);
        n = 1;
    }
    if (1..=3).contains(&n) {
        m.push_str("'?)");
    } else {
        m.truncate(start);
    }
}

/// Edit distance from `a` (any case) to `b` (lowercase, 1 to 64 bytes: a test checks):
/// Levenshtein's, with two neighbours swapped counted as one edit (`verison`, `bakclog`:
/// the commonest slip), as the "optimal string alignment" distance counts it. Row by
/// row: `row[j]` is the distance from the part of `a` read so far to `b[..j]`, `prev`
/// and `older` the rows one and two bytes of `a` before.
pub(crate) fn edits(a: &[u8], b: &[u8]) -> usize {
    let b = &b[..b.len().min(64)];
    let mut row: [usize; 65] = std::array::from_fn(|j| j);
    let mut prev = row;
    // The byte of `a` before `x`, and of `b` before `y` (0: none yet; names hold no NUL).
    let mut px = 0;
    for (i, &x) in a.iter().enumerate() {
        let x = x.to_ascii_lowercase();
        let older = prev;
        prev = row;
        row[0] = i + 1;
        let mut py = 0;
        for (j, &y) in b.iter().enumerate() {
            let mut d = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(row[j] + 1);
            if x == py && px == y && j > 0 {
                d = d.min(older[j - 1] + 1);
            }
            row[j + 1] = d;
            py = y;
        }
        px = x;
    }
    row[b.len()]
}

/// Apply one parameter as the config file or the command line would at startup (a
/// scenario's `node NAME key=value`).
///
/// The name is case-insensitive and may be an alias (`slaveof`, `slave-priority`, ...).
/// The value is one argument, as `redis-server --name value` passes it; for the
/// multi-argument parameters (`save`, `client-output-buffer-limit`, `replicaof`) it is split
/// on whitespace (with Redis's quoting rules), so `replicaof` takes `"host port"` and
/// `save` takes `"3600 1 300 100"` or `""` for none.
///
/// Startup accepts what Redis accepts at startup: immutable parameters such as `databases`
/// and `replicaof` are settable here, and `repl-backlog-size` below 16kb is kept as is
/// (only CONFIG SET raises it). `hz` is clamped to 1..=500 as Redis does after loading.
///
/// Differences from a config file: each call replaces the `save` points, whereas several
/// `save` lines in a Redis config file accumulate.
///
/// # Errors
///
/// The reason Redis prints under `*** FATAL CONFIG FILE ERROR ***`, without the location
/// (the caller knows the scenario line), e.g. `"Bad directive or wrong number of arguments"`
/// for an unknown name (followed, when a name of the version is a few edits away, by the
/// scenario's own hint `" (did you mean 'repl-backlog-size'?)"`: Redis has none) or
/// `"argument must be between 1 and 2147483647 inclusive"`; or the
/// simulator's refusal of what it cannot model: a value (`"appendonly yes is not supported
/// by the simulator (only 'no')"`, `repl-diskless-load` other than `disabled`) or a real
/// Redis parameter outside the model (`"maxmemory is a Redis parameter the simulator does
/// not model"`). On error `cfg` is unchanged.
pub fn set_startup(cfg: &mut Config, name: &str, value: &str) -> Result<(), String> {
    let (_, param) = lookup(name.as_bytes(), cfg.version).ok_or_else(|| {
        not_modelled(name.as_bytes()).unwrap_or_else(|| {
            let mut m = "Bad directive or wrong number of arguments".to_string();
            // Here rather than in the scenario runner: a smaller page (its call inlined
            // into the runner's big `exec` cost 60 bytes more, gzipped).
            push_near_names(&mut m, name.as_bytes(), cfg.version);
            m
        })
    })?;
    let value = value.as_bytes();
    let args: Vec<Vec<u8>> = if !param.kind.is_multi_arg() || value.is_empty() {
        // An empty multi-argument value stays one empty argument, so `save ""` means
        // "no save points" rather than "no arguments".
        vec![value.to_vec()]
    } else {
        // Unbalanced quotes make Redis's sdssplitargs return no arguments at all here,
        // which the setters then judge (e.g. `save` with nothing: no save points).
        sdssplitargs(value).unwrap_or_default()
    };
    let mut next = cfg.clone();
    set_param(&mut next, param, &args)?;
    if param.apply == Apply::ClampHz {
        clamp_hz(&mut next);
    }
    *cfg = next;
    Ok(())
}

/// CONFIG SET name value [name value ...], all-or-nothing as in Redis 7.0.
///
/// `args` are the arguments after `CONFIG SET`. Names are case-insensitive and may be
/// aliases. Every name is checked first (unknown, immutable, protected, duplicate: the
/// first problem in argument order is reported); then the values are set in order on a
/// copy, which replaces `cfg` only if all succeed. Afterwards, as Redis's apply functions
/// do for a value that changed, `hz` is clamped to 1..=500 and `repl-backlog-size` below
/// 16384 becomes 16384.
///
/// ```text
/// CONFIG SET repl-backlog-size 1kb      -> Ok(["repl-backlog-size"]), stored as 16384
/// CONFIG SET repl-timeout 0             -> Err("ERR CONFIG SET failed (possibly related
///                                           to argument 'repl-timeout') - argument must
///                                           be between 1 and 2147483647 inclusive")
/// ```
///
/// # Returns
///
/// The canonical names that were set, in argument order without repeats (an alias is
/// reported under its canonical name). They are all the names given, whether or not the
/// value changed; the caller applies side effects (resizing the backlog, re-counting good
/// replicas, moving the listening port).
///
/// # Errors
///
/// The exact error reply text of Redis 7.0.15, including the leading `"ERR "`:
/// `"ERR wrong number of arguments for 'config|set' command"` for fewer than two
/// arguments, `"ERR syntax error"` for an odd count,
/// `"ERR Unknown option or number of arguments for CONFIG SET - 'foo'"`, and
/// `"ERR CONFIG SET failed (possibly related to argument 'NAME') - REASON"` where REASON is
/// Redis's (`can't set immutable config`, `can't set protected config`, `duplicate
/// parameter`, a parse or range error) or the simulator's refusal of a value it cannot
/// model (`appendonly yes is not supported by the simulator (only 'no')`) or of a Redis
/// parameter outside the model (`maxmemory is a Redis parameter the simulator does not
/// model`, reported where Redis would report a bad name). NAME is the
/// argument as typed for name errors and the registered (lower-case) name for value
/// errors, as in Redis. On error `cfg` is unchanged.
pub fn config_set(cfg: &mut Config, args: &[Vec<u8>]) -> Result<Vec<&'static str>, String> {
    if args.len() < 2 {
        return Err("ERR wrong number of arguments for 'config|set' command".into());
    }
    if args.len() % 2 == 1 {
        return Err("ERR syntax error".into());
    }

    // Pass 1: resolve every name; the first bad one decides the reply.
    let mut chosen: Vec<(&'static str, &'static Param, &[u8])> = Vec::new();
    for pair in args.chunks(2) {
        let (name, value) = (&pair[0], &pair[1]);
        let Some((key, param)) = lookup(name, cfg.version) else {
            // Redis would accept its own parameters; refusing them in order, like a bad
            // name, keeps the command all-or-nothing.
            if let Some(reason) = not_modelled(name) {
                return Err(format!(
                    "ERR CONFIG SET failed (possibly related to argument '{}') - {reason}",
                    reply_text(name)
                ));
            }
            return Err(format!(
                "ERR Unknown option or number of arguments for CONFIG SET - '{}'",
                reply_text(name)
            ));
        };
        let refusal = match param.mutability {
            Mutability::Modifiable => None,
            Mutability::Immutable => Some("can't set immutable config"),
            Mutability::Protected => Some("can't set protected config"),
        };
        // Redis compares dictionary entries, so an alias and its canonical name are two
        // different entries and not a duplicate; the same entry twice (any case) is.
        let refusal = refusal.or_else(|| {
            chosen
                .iter()
                .any(|(k, _, _)| *k == key)
                .then_some("duplicate parameter")
        });
        if let Some(reason) = refusal {
            return Err(format!(
                "ERR CONFIG SET failed (possibly related to argument '{}') - {reason}",
                reply_text(name)
            ));
        }
        chosen.push((key, param, value));
    }

    // Pass 2: set in order on a copy, remembering which values changed.
    let mut next = cfg.clone();
    let mut applies: Vec<Apply> = Vec::new();
    for &(key, param, value) in &chosen {
        let before = format_value(&next, param);
        let set_args = if param.kind.is_multi_arg() {
            split_spaces(value)
        } else {
            vec![value.to_vec()]
        };
        set_param(&mut next, param, &set_args).map_err(|reason| {
            format!("ERR CONFIG SET failed (possibly related to argument '{key}') - {reason}")
        })?;
        // Redis runs a parameter's apply function only when the set changed the value, so
        // a backlog kept below 16kb since startup stays there if set to the same value.
        if format_value(&next, param) != before && !applies.contains(&param.apply) {
            applies.push(param.apply);
        }
    }

    // Pass 3: the apply functions that change what is stored.
    for apply in applies {
        match apply {
            Apply::None => {}
            Apply::ClampHz => clamp_hz(&mut next),
            Apply::ResizeBacklog => {
                if next.repl_backlog_size_bytes < REPL_BACKLOG_SIZE_MIN_BYTES {
                    next.repl_backlog_size_bytes = REPL_BACKLOG_SIZE_MIN_BYTES;
                }
            }
        }
    }
    *cfg = next;

    let mut names: Vec<&'static str> = Vec::new();
    for (_, param, _) in chosen {
        if !names.contains(&param.name) {
            names.push(param.name);
        }
    }
    Ok(names)
}

/// CONFIG GET pattern [pattern ...]: the matching (name, value) pairs.
///
/// A pattern without `*`, `?` or `[` is looked up case-insensitively by name or alias and
/// answered under the name *as typed* (`CONFIG GET PORT` answers `PORT`). A pattern with
/// them is matched case-insensitively by [`stringmatchlen`] against every registered name,
/// aliases included, so `repl-ping-*` yields both `repl-ping-replica-period` and
/// `repl-ping-slave-period`. A name already answered (case-insensitively) is not repeated.
///
/// Values are formatted as 7.0 formats them: memory values as plain byte counts, booleans
/// `yes`/`no`, `save` as `"3600 1 300 100 60 10000"`, `client-output-buffer-limit` as
/// `"normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"`, `replicaof` as
/// `"host port"` or `""`, an unset `replica-announce-ip` as `""`.
///
/// # Returns
///
/// The pairs sorted by name (byte order). Redis collects them in a hash table whose
/// iteration order is arbitrary and changes between runs, so any order is faithful and a
/// sorted one keeps the simulator deterministic. An empty list when nothing matches (and
/// for no patterns: the arity error is the caller's). Redis parameters the simulator does
/// not model are never listed, so `CONFIG GET *` is much shorter than on a real server.
pub fn config_get(cfg: &Config, patterns: &[Vec<u8>]) -> Vec<(String, String)> {
    // Lower-cased names already answered: Redis's `matches` dict is case-insensitive.
    let mut seen: VecMap<Vec<u8>, ()> = VecMap::new();
    let mut found: Vec<(String, &'static Param)> = Vec::new();
    for pattern in patterns {
        // Redis tests for wildcards and globs with C string functions (up to a NUL) but
        // looks exact names up with their full length, so `hz\0` names nothing.
        let glob = cstr(pattern);
        if !glob.iter().any(|b| matches!(b, b'[' | b'*' | b'?')) {
            let lower = cstr(pattern).to_ascii_lowercase();
            if seen.contains_key(&lower) {
                continue;
            }
            if let Some((_, param)) = lookup(pattern, cfg.version) {
                seen.insert(lower, ());
                found.push((lossy(pattern), param));
            }
            continue;
        }
        for (key, param) in entries_of(cfg.version) {
            let listed = has(param.name, cfg.version).1;
            if seen.contains_key(key.as_bytes()) || key == TEXTBOOK_ACK_RESEND || !listed {
                continue;
            }
            if stringmatchlen(glob, key.as_bytes(), true) {
                seen.insert(key.as_bytes().to_vec(), ());
                found.push((key.to_string(), param));
            }
        }
    }
    let mut pairs: Vec<(String, String)> = found
        .into_iter()
        .map(|(name, param)| (name, format_value(cfg, param)))
        .collect();
    crate::util::sort::sort(&mut pairs);
    pairs
}

/// Every parameter name the simulator knows (canonical names, no aliases), in redis.conf
/// section order, for docs and the page's settings panel.
pub fn known_parameters() -> Vec<&'static str> {
    PARAMS.iter().map(|p| p.name).collect()
}

/// Parse `args` for `param` and store the result in `cfg`. Validates fully before
/// storing, so on `Err` nothing has changed. The error is Redis's reason text.
fn set_param(cfg: &mut Config, param: &Param, args: &[Vec<u8>]) -> Result<(), String> {
    match param.kind {
        Kind::Bool { set, check, .. } => {
            let arg = cstr(&args[0]);
            let value = if arg.eq_ignore_ascii_case(b"yes") {
                true
            } else if arg.eq_ignore_ascii_case(b"no") {
                false
            } else {
                return Err("argument must be 'yes' or 'no'".into());
            };
            if let Some(check) = check {
                check(value)?;
            }
            set(cfg, value);
        }
        Kind::Int {
            min,
            max,
            memory,
            set,
            ..
        } => {
            let value = if memory {
                // memtoull's result lands in a signed long long: huge values wrap negative
                // and then fail the range check, as in Redis.
                memtoull(cstr(&args[0]))
                    .map(|v| v as i64)
                    .ok_or_else(|| "argument must be a memory value".to_string())?
            } else {
                string2ll(&args[0])
                    .ok_or_else(|| "argument couldn't be parsed into an integer".to_string())?
            };
            if value < min || value > max {
                return Err(format!(
                    "argument must be between {min} and {max} inclusive"
                ));
            }
            set(cfg, value);
        }
        Kind::Str {
            empty_is_none,
            set,
            check,
            ..
        } => {
            let value = lossy(cstr(&args[0]));
            if let Some(check) = check {
                check(&value)?;
            }
            set(
                cfg,
                if empty_is_none && value.is_empty() {
                    None
                } else {
                    Some(value)
                },
            );
        }
        Kind::Enum {
            names, set, check, ..
        } => {
            let arg = cstr(&args[0]);
            let Some(&name) = names
                .iter()
                .find(|n| n.as_bytes().eq_ignore_ascii_case(arg))
            else {
                return Err(format!(
                    "argument(s) must be one of the following: {}",
                    names.join(", ")
                ));
            };
            if let Some(check) = check {
                check(name)?;
            }
            set(cfg, name);
        }
        Kind::Save => cfg.save_points = parse_save(args)?,
        Kind::ObufLimits => {
            for (class, limit) in parse_obuf_limits(args)? {
                cfg.obuf_limits[class as usize] = limit;
            }
        }
        Kind::ReplicaOf => cfg.replicaof = parse_replicaof(args)?,
    }
    Ok(())
}

/// `setConfigSaveOption`: pairs of `<seconds> <changes>`, seconds >= 1, changes >= 0;
/// a single empty argument (or none) means no save points.
fn parse_save(args: &[Vec<u8>]) -> Result<Vec<SavePoint>, String> {
    let args: &[Vec<u8>] = if args.len() == 1 && cstr(&args[0]).is_empty() {
        &[]
    } else {
        args
    };
    let invalid = || "Invalid save parameters".to_string();
    if args.len() % 2 == 1 {
        return Err(invalid());
    }
    let mut numbers = Vec::with_capacity(args.len());
    for (j, arg) in args.iter().enumerate() {
        let (value, complete) = strtoll(cstr(arg));
        let least = if j % 2 == 0 { 1 } else { 0 };
        if !complete || value < least {
            return Err(invalid());
        }
        numbers.push(value);
    }
    Ok(numbers
        .chunks(2)
        .map(|pair| SavePoint {
            seconds: pair[0] as u64,
            // Redis keeps `changes` in a C int: larger values wrap. A wrap to a negative
            // number saves exactly like 0 (any dirty count reaches it), so store 0 then.
            changes: (pair[1] as i32).max(0) as u64,
        })
        .collect())
}

/// `updateClientOutputBufferLimit`: quadruples of `<class> <hard> <soft> <seconds>`, all
/// checked before any is applied. `replica` and `slave` name the same class.
fn parse_obuf_limits(args: &[Vec<u8>]) -> Result<Vec<(ClientClass, ObufLimit)>, String> {
    if !args.len().is_multiple_of(4) {
        return Err("Wrong number of arguments in buffer limit configuration.".into());
    }
    let mut limits = Vec::with_capacity(args.len() / 4);
    for quad in args.chunks(4) {
        let class = cstr(&quad[0]);
        let class = if class.eq_ignore_ascii_case(b"normal") {
            ClientClass::Normal
        } else if class.eq_ignore_ascii_case(b"slave") || class.eq_ignore_ascii_case(b"replica") {
            ClientClass::Replica
        } else if class.eq_ignore_ascii_case(b"pubsub") {
            ClientClass::Pubsub
        } else {
            // Includes `master`, a real class that has no output buffer limit.
            return Err("Invalid client class specified in buffer limit configuration.".into());
        };
        let hard = memtoull(cstr(&quad[1]));
        let soft = memtoull(cstr(&quad[2]));
        let (seconds, complete) = strtoll(cstr(&quad[3]));
        // Redis stores the seconds through a C int before checking the sign.
        let seconds = seconds as i32;
        match (hard, soft) {
            (Some(hard), Some(soft)) if complete && seconds >= 0 => limits.push((
                class,
                ObufLimit {
                    hard_limit_bytes: hard,
                    soft_limit_bytes: soft,
                    soft_limit_seconds: seconds as u64,
                },
            )),
            _ => {
                return Err(
                    "Error in hard, soft or soft_seconds setting in buffer limit configuration."
                        .into(),
                )
            }
        }
    }
    Ok(limits)
}

/// `setConfigReplicaOfOption`: `<host> <port>`, or `no one` for a master.
fn parse_replicaof(args: &[Vec<u8>]) -> Result<Option<(String, u16)>, String> {
    if args.len() != 2 {
        return Err("wrong number of arguments".into());
    }
    let (host, port) = (cstr(&args[0]), cstr(&args[1]));
    if host.eq_ignore_ascii_case(b"no") && port.eq_ignore_ascii_case(b"one") {
        return Ok(None);
    }
    let (port, complete) = strtoll(port);
    // `masterport` is a C int: strtol's long is narrowed before the range check.
    let port = port as i32;
    match u16::try_from(port) {
        Ok(port) if complete => Ok(Some((lossy(host), port))),
        _ => Err("Invalid master port".into()),
    }
}

/// The value as CONFIG GET prints it.
fn format_value(cfg: &Config, param: &Param) -> String {
    match param.kind {
        Kind::Bool { get, .. } => if get(cfg) { "yes" } else { "no" }.to_string(),
        Kind::Int { get, .. } => get(cfg).to_string(),
        Kind::Str { get, .. } => get(cfg).unwrap_or("").to_string(),
        Kind::Enum { get, .. } => get(cfg).to_string(),
        Kind::Save => cfg
            .save_points
            .iter()
            .map(|p| format!("{} {}", p.seconds, p.changes))
            .collect::<Vec<_>>()
            .join(" "),
        Kind::ObufLimits => {
            // getClientTypeName says `slave`, never `replica`, in 7.0.
            let classes = [
                ("normal", ClientClass::Normal),
                ("slave", ClientClass::Replica),
                ("pubsub", ClientClass::Pubsub),
            ];
            classes
                .iter()
                .map(|&(label, class)| {
                    let l = &cfg.obuf_limits[class as usize];
                    format!(
                        "{label} {} {} {}",
                        l.hard_limit_bytes, l.soft_limit_bytes, l.soft_limit_seconds
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        }
        Kind::ReplicaOf => match &cfg.replicaof {
            Some((host, port)) => format!("{host} {port}"),
            None => String::new(),
        },
    }
}

/// `updateHZ`: a hint, clamped to what serverCron can do.
fn clamp_hz(cfg: &mut Config) {
    cfg.hz = cfg.hz.clamp(HZ_MIN, HZ_MAX);
}

/// A user-typed name as Redis puts it into an error reply: `%s` stops at a NUL, and
/// `addReplyErrorFormat` turns CR and LF into spaces so the reply stays one RESP line.
fn reply_text(bytes: &[u8]) -> String {
    lossy(cstr(bytes)).replace(['\r', '\n'], " ")
}

/// Bytes as text for names and replies; Redis values are binary-safe, ours are `String`.
fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// How CONFIG SET splits a multi-argument value: on every single space (`sdssplitlen`),
/// so doubled spaces give empty arguments and an empty value gives none.
fn split_spaces(value: &[u8]) -> Vec<Vec<u8>> {
    if value.is_empty() {
        return Vec::new();
    }
    value.split(|&b| b == b' ').map(<[u8]>::to_vec).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    /// Run `CONFIG SET ...` / `CONFIG GET ...` as the live table writes them and render the
    /// reply the way the table does: `OK`, the error text, or `name=value` lines.
    fn run(cfg: &mut Config, command: &[&str]) -> String {
        assert!(command[0].eq_ignore_ascii_case("config"));
        let rest = args(&command[2..]);
        if command[1].eq_ignore_ascii_case("set") {
            match config_set(cfg, &rest) {
                Ok(_) => "OK".to_string(),
                Err(e) => e,
            }
        } else {
            config_get(cfg, &rest)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("\n")
        }
    }

    /// The state of `redis-server --port 7300 --save ''`, the server the table was
    /// recorded against.
    fn live_start() -> Config {
        Config {
            port: 7300,
            save_points: Vec::new(),
            ..Config::default()
        }
    }

    #[test]
    fn table_matches_recorded_redis_replies() {
        let mut cfg = live_start();
        for (i, (command, expected)) in LIVE.iter().enumerate() {
            let got = run(&mut cfg, command);
            assert_eq!(&got, expected, "step {i}: {command:?}");
        }
    }

    #[test]
    fn startup_table_matches_recorded_redis() {
        for (i, (options, commands)) in STARTUP.iter().enumerate() {
            let mut cfg = Config {
                port: 7301,
                ..Config::default()
            };
            let mut failure = None;
            for (name, value) in options.iter() {
                if let Err(e) = set_startup(&mut cfg, name, value) {
                    failure = Some(e);
                    break;
                }
            }
            for (command, expected) in commands.iter() {
                let got = match &failure {
                    Some(e) => format!("FATAL {e}"),
                    None => run(&mut cfg, command),
                };
                assert_eq!(&got, expected, "case {i}: {options:?} then {command:?}");
            }
        }
    }

    #[test]
    fn every_field_has_a_parameter_and_defaults_print_like_redis() {
        let cfg = Config::default();
        let all = config_get(&cfg, &args(&["*"]));
        let get = |name: &str| {
            all.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_else(|| panic!("{name} missing"))
        };
        assert_eq!(get("save"), "3600 1 300 100 60 10000");
        assert_eq!(
            get("client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
        );
        assert_eq!(get("replicaof"), "");
        assert_eq!(get("slaveof"), "");
        assert_eq!(get("port"), "6379");
        assert_eq!(get("repl-backlog-size"), "1048576");
        assert_eq!(get("proto-max-bulk-len"), "536870912");
        assert_eq!(get("dbfilename"), "dump.rdb");
        assert_eq!(get("repl-diskless-load"), "disabled");
        // 33 Redis 7.0 parameters, three of later versions (ONLY_IN) and the
        // simulator-only textbook-ack-resend (hidden from globs).
        assert_eq!(known_parameters().len(), 37);
        assert_eq!(all.len(), 33 + 10, "33 names and 10 aliases");
        assert!(all.iter().all(|(k, _)| k != TEXTBOOK_ACK_RESEND));
        assert_eq!(
            config_get(&cfg, &args(&[TEXTBOOK_ACK_RESEND])),
            vec![(TEXTBOOK_ACK_RESEND.to_string(), "no".to_string())]
        );
    }

    #[test]
    fn startup_sets_immutable_and_multi_argument_parameters() {
        let mut cfg = Config::default();
        set_startup(&mut cfg, "replicaof", "10.0.0.1 6380").unwrap();
        assert_eq!(cfg.replicaof, Some(("10.0.0.1".into(), 6380)));
        set_startup(&mut cfg, "SLAVEOF", "no one").unwrap();
        assert_eq!(cfg.replicaof, None);
        set_startup(&mut cfg, "databases", "4").unwrap();
        assert_eq!(cfg.databases, 4);
        set_startup(&mut cfg, "save", "").unwrap();
        assert!(cfg.save_points.is_empty());
        set_startup(&mut cfg, "save", "  900 1\t60 5 ").unwrap();
        assert_eq!(
            cfg.save_points,
            vec![
                SavePoint {
                    seconds: 900,
                    changes: 1
                },
                SavePoint {
                    seconds: 60,
                    changes: 5
                }
            ]
        );
        set_startup(&mut cfg, "client-output-buffer-limit", "replica 1mb 0 0").unwrap();
        assert_eq!(
            cfg.obuf_limits[ClientClass::Replica as usize].hard_limit_bytes,
            1 << 20
        );
        set_startup(&mut cfg, "repl-backlog-size", "1k").unwrap();
        assert_eq!(cfg.repl_backlog_size_bytes, 1000);
        set_startup(&mut cfg, "hz", "1000").unwrap();
        assert_eq!(cfg.hz, 500);
        set_startup(&mut cfg, "replica-announce-ip", "").unwrap();
        assert_eq!(cfg.replica_announce_ip, None);
        set_startup(&mut cfg, "replica-announce-ip", "192.0.2.7").unwrap();
        assert_eq!(cfg.replica_announce_ip.as_deref(), Some("192.0.2.7"));
        set_startup(&mut cfg, "repl-diskless-load", "DISABLED").unwrap();
        assert_eq!(cfg.repl_diskless_load, "disabled");
    }

    #[test]
    fn unsupported_values_are_refused_not_ignored() {
        let mut cfg = Config::default();
        let before = cfg.clone();
        assert_eq!(
            set_startup(&mut cfg, "appendonly", "yes"),
            Err("appendonly yes is not supported by the simulator (only 'no')".into())
        );

        assert_eq!(
            config_set(&mut cfg, &args(&["hz", "20", "appendonly", "YES"])),
            Err(
                "ERR CONFIG SET failed (possibly related to argument 'appendonly') - \
                 appendonly yes is not supported by the simulator (only 'no')"
                    .into()
            )
        );

        assert_eq!(cfg, before, "a refused CONFIG SET changes nothing");
        assert_eq!(
            config_set(
                &mut cfg,
                &args(&["appendonly", "no", "repl-diskless-load", "disabled"])
            ),
            Ok(vec!["appendonly", "repl-diskless-load"])
        );
    }

    #[test]
    fn an_unknown_name_at_startup_names_the_closest_known_one() {
        assert_eq!(edits(b"BAKCLOG", b"backlog"), 1);
        assert_eq!(edits(b"bakclgo", b"backlog"), 2);
        assert_eq!(edits(b"ab", b"ba"), 1);
        assert_eq!(edits(b"", b"hz"), 2);
        assert_eq!(edits(b"kitten", b"sitting"), 3);
        assert!(
            entries().all(|(key, _)| (1..=64).contains(&key.len()) && key == key.to_lowercase()),
            "edits' row fits every name, lowercase"
        );
        let fails = |name: &str, version: Version| {
            set_startup(&mut Config::for_version(version), name, "1").unwrap_err()
        };
        let v = Version::Redis70;
        let bad = "Bad directive or wrong number of arguments";
        assert_eq!(
            fails("repl-bakclog-size", v),
            format!("{bad} (did you mean 'repl-backlog-size'?)")
        );
        assert_eq!(
            fails("REPL-BACKLOG-SIZ", v),
            format!("{bad} (did you mean 'repl-backlog-size'?)")
        );
        // Two separate slips in a long name, an alias, a short name.
        assert_eq!(
            fails("repl-bakclog-sise", v),
            format!("{bad} (did you mean 'repl-backlog-size'?)")
        );
        assert_eq!(
            fails("slave-priorty", v),
            format!("{bad} (did you mean 'slave-priority'?)")
        );
        assert_eq!(fails("hzz", v), format!("{bad} (did you mean 'hz'?)"));
        // The node line's own `version=` too.
        assert_eq!(
            fails("verison", v),
            format!("{bad} (did you mean 'version'?)")
        );
        // The start of names: the few it starts (1 to 3, in table order), from 3 bytes on,
        // in any case; when an edit or two reach a name, that one alone.
        assert_eq!(
            fails("repl-backlog", v),
            format!("{bad} (did you mean 'repl-backlog-size' or 'repl-backlog-ttl'?)")
        );
        assert_eq!(
            fails("REPL-TIME", v),
            format!("{bad} (did you mean 'repl-timeout'?)")
        );
        assert_eq!(fails("ver", v), format!("{bad} (did you mean 'version'?)"));
        assert_eq!(
            fails("repl-backlog-s", v),
            format!("{bad} (did you mean 'repl-backlog-size'?)")
        );
        // More than 3 (the four repl-diskless-*), or under 3 bytes: none.
        assert_eq!(fails("repl-diskless", v), bad);
        assert_eq!(fails("re", v), bad);
        // Too far: Redis's words alone. A Redis-only name keeps its own message.
        assert_eq!(fails("nosuch", v), bad);
        assert_eq!(fails("x", v), bad);
        assert!(REDIS_ONLY_PARAMS
            .iter()
            .all(|n| !fails(n, v).contains("did you mean")));
        // Only the names the version has.
        assert_eq!(fails("repl-rdb-chanel", v), bad);
        assert_eq!(
            fails("repl-rdb-chanel", Version::Redis80),
            format!("{bad} (did you mean 'repl-rdb-channel'?)")
        );
        // CONFIG SET's reply is Redis's, without a hint.
        assert_eq!(
            config_set(&mut Config::default(), &args(&["repl-bakclog-size", "1mb"])),
            Err(
                "ERR Unknown option or number of arguments for CONFIG SET - 'repl-bakclog-size'"
                    .into()
            )
        );
    }

    #[test]
    fn redis_parameters_outside_the_model_are_named_as_such() {
        let mut cfg = Config::default();
        assert_eq!(
            set_startup(&mut cfg, "MaxMemory", "100mb"),
            Err("maxmemory is a Redis parameter the simulator does not model".into())
        );
        assert_eq!(
            config_set(
                &mut cfg,
                &args(&["hz", "20", "Slave-Ignore-Maxmemory", "no"])
            ),
            Err(
                "ERR CONFIG SET failed (possibly related to argument 'Slave-Ignore-Maxmemory') - \
                 slave-ignore-maxmemory is a Redis parameter the simulator does not model"
                    .into()
            )
        );
        assert_eq!(
            config_set(&mut cfg, &args(&["nosuch", "1", "maxmemory", "1"])),
            Err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'".into())
        );
        assert_eq!(cfg, Config::default());
        assert!(config_get(&cfg, &args(&["maxmemory"])).is_empty());
        for name in REDIS_ONLY_PARAMS {
            assert!(
                lookup(name.as_bytes(), Version::Redis70).is_none(),
                "{name} is modelled and listed"
            );
        }
        assert_eq!(
            REDIS_ONLY_PARAMS.len() + 43,
            197,
            "Redis 7.0.15 has 197 names"
        );
    }

    #[test]
    fn every_parameter_round_trips_through_its_own_field() {
        // (parameter, a value, the `Config` field it must land in; None: only the
        // default is accepted, so nothing changes)
        let cases = [
            ("port", "6380", Some("port")),
            ("replicaof", "10.0.0.9 7000", Some("replicaof")),
            ("save", "10 2", Some("save_points")),
            ("appendonly", "no", None),
            ("dbfilename", "other.rdb", Some("dbfilename")),
            ("rdbcompression", "no", Some("rdbcompression")),
            ("rdbchecksum", "no", Some("rdbchecksum")),
            ("rdb-del-sync-files", "yes", Some("rdb_del_sync_files")),
            (
                "stop-writes-on-bgsave-error",
                "no",
                Some("stop_writes_on_bgsave_error"),
            ),
            ("databases", "3", Some("databases")),
            ("hz", "33", Some("hz")),
            ("repl-diskless-sync", "no", Some("repl_diskless_sync")),
            (
                "repl-diskless-sync-delay",
                "7",
                Some("repl_diskless_sync_delay_secs"),
            ),
            (
                "repl-diskless-sync-max-replicas",
                "2",
                Some("repl_diskless_sync_max_replicas"),
            ),
            ("repl-diskless-load", "disabled", None),
            (
                "repl-backlog-size",
                "12345",
                Some("repl_backlog_size_bytes"),
            ),
            ("repl-backlog-ttl", "77", Some("repl_backlog_ttl_secs")),
            ("repl-timeout", "88", Some("repl_timeout_secs")),
            (
                "repl-ping-replica-period",
                "3",
                Some("repl_ping_replica_period_secs"),
            ),
            (
                "repl-disable-tcp-nodelay",
                "yes",
                Some("repl_disable_tcp_nodelay"),
            ),
            ("min-replicas-to-write", "4", Some("min_replicas_to_write")),
            (
                "min-replicas-max-lag",
                "6",
                Some("min_replicas_max_lag_secs"),
            ),
            (
                "client-output-buffer-limit",
                "pubsub 1 2 3",
                Some("obuf_limits"),
            ),
            ("replica-read-only", "no", Some("replica_read_only")),
            (
                "replica-serve-stale-data",
                "no",
                Some("replica_serve_stale_data"),
            ),
            ("replica-lazy-flush", "yes", Some("replica_lazy_flush")),
            (
                "replica-announce-ip",
                "192.0.2.1",
                Some("replica_announce_ip"),
            ),
            (
                "replica-announce-port",
                "6400",
                Some("replica_announce_port"),
            ),
            ("replica-priority", "9", Some("replica_priority")),
            ("replica-announced", "no", Some("replica_announced")),
            (
                "proto-max-bulk-len",
                "2097152",
                Some("proto_max_bulk_len_bytes"),
            ),
            ("shutdown-timeout", "11", Some("shutdown_timeout_secs")),
            ("lazyfree-lazy-expire", "yes", Some("lazyfree_lazy_expire")),
            ("repl-rdb-channel", "no", Some("repl_rdb_channel")),
            (
                "replica-full-sync-buffer-limit",
                "1048576",
                Some("replica_full_sync_buffer_limit"),
            ),
            (
                "dual-channel-replication-enabled",
                "yes",
                Some("dual_channel_replication"),
            ),
            (TEXTBOOK_ACK_RESEND, "yes", Some("textbook_ack_resend")),
        ];
        assert_eq!(
            cases.iter().map(|(n, _, _)| *n).collect::<Vec<_>>(),
            known_parameters()
        );
        // One parameter per Config field, but `version` (a node parameter, not Redis's).
        assert_eq!(
            debug_fields(&Config::default()).len(),
            38,
            "one parameter per Config field"
        );
        for (name, value, field) in cases {
            // A parameter of a later version is set on a node of that version.
            let version = ONLY_IN
                .iter()
                .find(|(n, _, _)| *n == name)
                .map_or(Version::Redis70, |(_, v, _)| *v);
            let base = Config {
                version,
                ..Config::default()
            };
            let base_fields = debug_fields(&base);
            assert!(
                set_startup(&mut Config::default(), name, value).is_ok()
                    == (version == Version::Redis70)
            );
            let mut cfg = base.clone();
            set_startup(&mut cfg, name, value).unwrap();
            let expected = match name {
                "client-output-buffer-limit" => {
                    "normal 0 0 0 slave 268435456 67108864 60 pubsub 1 2 3".to_string()
                }
                _ => value.to_string(),
            };
            assert_eq!(
                config_get(&cfg, &args(&[name])),
                vec![(name.to_string(), expected)]
            );
            let moved: Vec<String> = debug_fields(&cfg)
                .into_iter()
                .zip(&base_fields)
                .filter(|(now, was)| now != *was)
                .map(|(now, _)| now.0)
                .collect();
            assert_eq!(moved, field.into_iter().collect::<Vec<_>>(), "{name}");
        }
    }

    /// The top-level `(field, Debug text)` pairs of a `Config`, split at bracket depth 0
    /// (the test values contain no brackets or commas inside strings).
    fn debug_fields(cfg: &Config) -> Vec<(String, String)> {
        let text = format!("{cfg:?}");
        let body = text
            .strip_prefix("Config { ")
            .and_then(|t| t.strip_suffix(" }"))
            .unwrap();
        let mut fields = Vec::new();
        let (mut depth, mut start) = (0i32, 0usize);
        let bytes = body.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => {
                    fields.push(&body[start..i]);
                    start = i + 2;
                }
                _ => {}
            }
        }
        fields.push(&body[start..]);
        fields
            .into_iter()
            .map(|f| {
                let (name, value) = f.split_once(": ").unwrap();
                (name.to_string(), value.to_string())
            })
            .collect()
    }

    #[test]
    fn startup_errors_leave_config_unchanged() {
        let mut cfg = Config::default();
        let before = cfg.clone();
        for (name, value) in [
            ("nosuch", "1"),
            ("repl-timeout", "0"),
            ("save", "100"),
            ("client-output-buffer-limit", ""),
            ("replicaof", "host"),
            ("replicaof", "host 70000"),
            ("dbfilename", "a/b.rdb"),
        ] {
            assert!(
                set_startup(&mut cfg, name, value).is_err(),
                "{name}={value}"
            );
        }
        assert_eq!(cfg, before);
    }

    #[test]
    fn config_set_returns_canonical_names_once() {
        let mut cfg = Config::default();
        assert_eq!(
            config_set(
                &mut cfg,
                &args(&["slave-priority", "1", "replica-priority", "2", "HZ", "5"])
            ),
            Ok(vec!["replica-priority", "hz"])
        );
        assert_eq!(cfg.replica_priority, 2, "the later of alias and name wins");
    }

    #[test]
    fn backlog_clamp_only_when_the_value_changes() {
        let mut cfg = Config::default();
        set_startup(&mut cfg, "repl-backlog-size", "100").unwrap();
        config_set(&mut cfg, &args(&["repl-backlog-size", "100"])).unwrap();
        assert_eq!(cfg.repl_backlog_size_bytes, 100, "unchanged: no resize");
        config_set(&mut cfg, &args(&["repl-backlog-size", "101"])).unwrap();
        assert_eq!(cfg.repl_backlog_size_bytes, 16384);
    }

    #[test]
    fn multi_argument_values_split_like_config_c() {
        assert_eq!(split_spaces(b"a  b"), args(&["a", "", "b"]));
        assert_eq!(split_spaces(b""), Vec::<Vec<u8>>::new());
    }

    // The tables below were recorded from Debian's redis-server 7.0.15: LIVE on one server
    // started as `redis-server --port 7300 --save '' --dir /tmp/cfgtest`, commands in
    // order; STARTUP on a fresh `redis-server --port 7301 --NAME VALUE ...` per case. Glob
    // replies are filtered to the names the simulator models (Redis has ~150 more). A
    // throwaway RESP client sent each command and printed these rows; to extend them, send
    // the new commands to such a server in the same order and paste the replies verbatim.

    /// (CONFIG command, the reply redis-server 7.0.15 gave), in order on one server.
    const LIVE: &[(&[&str], &str)] = &[
        (&["config", "set"], "ERR wrong number of arguments for 'config|set' command"),
        (&["config", "set", "port"], "ERR wrong number of arguments for 'config|set' command"),
        (&["config", "set", "a", "b", "c"], "ERR syntax error"),
        (&["config", "set", "foo", "1"], "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"),
        (&["config", "set", "foo", "1", "databases", "3"], "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"),
        (&["config", "set", "databases", "3", "foo", "1"], "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
        (&["config", "set", "repl-timeout", "0", "foo", "1"], "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"),
        (&["config", "set", "repl-timeout", "0", "databases", "3"], "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
        (&["config", "set", "databases", "3"], "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
        (&["config", "set", "rdbchecksum", "no"], "ERR CONFIG SET failed (possibly related to argument 'rdbchecksum') - can't set immutable config"),
        (&["config", "set", "replicaof", "a 1"], "ERR CONFIG SET failed (possibly related to argument 'replicaof') - can't set immutable config"),
        (&["config", "set", "slaveof", "a 1"], "ERR CONFIG SET failed (possibly related to argument 'slaveof') - can't set immutable config"),
        (&["config", "set", "REPLICAOF", "no one"], "ERR CONFIG SET failed (possibly related to argument 'REPLICAOF') - can't set immutable config"),
        (&["config", "set", "dbfilename", "x.rdb"], "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config"),
        (&["config", "set", "DBFILENAME", "dump.rdb"], "ERR CONFIG SET failed (possibly related to argument 'DBFILENAME') - can't set protected config"),
        (&["config", "set", "port", "7300", "PORT", "7300"], "ERR CONFIG SET failed (possibly related to argument 'PORT') - duplicate parameter"),
        (&["config", "set", "replica-priority", "1", "SLAVE-priority", "2", "replica-priority", "3"], "ERR CONFIG SET failed (possibly related to argument 'replica-priority') - duplicate parameter"),
        (&["config", "set", "slave-priority", "5", "replica-priority", "6"], "OK"),
        (&["config", "get", "*priority"], "replica-priority=6\nslave-priority=6"),
        (&["config", "set", "slave-priority", "7", "replica-priority", "x"], "ERR CONFIG SET failed (possibly related to argument 'replica-priority') - argument couldn't be parsed into an integer"),
        (&["config", "get", "*priority"], "replica-priority=6\nslave-priority=6"),
        (&["config", "set", "rdbcompression", "NO"], "OK"),
        (&["config", "get", "rdbcompression"], "rdbcompression=no"),
        (&["config", "set", "rdbcompression", "Yes"], "OK"),
        (&["config", "get", "rdbcompression"], "rdbcompression=yes"),
        (&["config", "set", "rdbcompression", "1"], "ERR CONFIG SET failed (possibly related to argument 'rdbcompression') - argument must be 'yes' or 'no'"),
        (&["config", "set", "rdbcompression", ""], "ERR CONFIG SET failed (possibly related to argument 'rdbcompression') - argument must be 'yes' or 'no'"),
        (&["config", "set", "rdbcompression", "yes "], "ERR CONFIG SET failed (possibly related to argument 'rdbcompression') - argument must be 'yes' or 'no'"),
        (&["config", "set", "repl-diskless-sync", "no"], "OK"),
        (&["config", "set", "rdb-del-sync-files", "yes"], "OK"),
        (&["config", "set", "stop-writes-on-bgsave-error", "no"], "OK"),
        (&["config", "set", "repl-disable-tcp-nodelay", "yes"], "OK"),
        (&["config", "set", "replica-read-only", "no"], "OK"),
        (&["config", "get", "*read-only"], "replica-read-only=no\nslave-read-only=no"),
        (&["config", "set", "slave-read-only", "yes"], "OK"),
        (&["config", "set", "replica-serve-stale-data", "no"], "OK"),
        (&["config", "set", "slave-lazy-flush", "yes"], "OK"),
        (&["config", "set", "replica-announced", "no"], "OK"),
        (&["config", "set", "lazyfree-lazy-expire", "yes"], "OK"),
        (&["config", "set", "appendonly", "no"], "OK"),
        (&["config", "set", "appendonly", "maybe"], "ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'"),
        (&["config", "get", "repl-diskless-sync", "rdb-del-sync-files", "stop-writes-on-bgsave-error", "repl-disable-tcp-nodelay", "replica-serve-stale-data", "slave-serve-stale-data", "replica-lazy-flush", "replica-announced", "lazyfree-lazy-expire", "appendonly", "rdbchecksum"], "appendonly=no\nlazyfree-lazy-expire=yes\nrdb-del-sync-files=yes\nrdbchecksum=yes\nrepl-disable-tcp-nodelay=yes\nrepl-diskless-sync=no\nreplica-announced=no\nreplica-lazy-flush=yes\nreplica-serve-stale-data=no\nslave-serve-stale-data=no\nstop-writes-on-bgsave-error=no"),
        (&["config", "set", "repl-timeout", "0"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument must be between 1 and 2147483647 inclusive"),
        (&["config", "set", "repl-timeout", "-1"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument must be between 1 and 2147483647 inclusive"),
        (&["config", "set", "repl-timeout", "abc"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"),
        (&["config", "set", "repl-timeout", "1.5"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"),
        (&["config", "set", "repl-timeout", " 5"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"),
        (&["config", "set", "repl-timeout", "+5"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"),
        (&["config", "set", "repl-timeout", "007"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"),
        (&["config", "set", "repl-timeout", "2147483648"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument must be between 1 and 2147483647 inclusive"),
        (&["config", "set", "repl-timeout", "99999999999999999999"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"),
        (&["config", "set", "repl-timeout", "5k"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"),
        (&["config", "set", "repl-timeout", ""], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"),
        (&["config", "set", "repl-timeout", "2147483647"], "OK"),
        (&["config", "get", "repl-timeout"], "repl-timeout=2147483647"),
        (&["config", "set", "repl-timeout", "30"], "OK"),
        (&["config", "get", "repl-timeout"], "repl-timeout=30"),
        (&["config", "set", "repl-ping-slave-period", "0"], "ERR CONFIG SET failed (possibly related to argument 'repl-ping-slave-period') - argument must be between 1 and 2147483647 inclusive"),
        (&["config", "set", "repl-ping-replica-period", "5"], "OK"),
        (&["config", "get", "repl-ping-*"], "repl-ping-replica-period=5\nrepl-ping-slave-period=5"),
        (&["config", "set", "REPL-PING-SLAVE-PERIOD", "-3"], "ERR CONFIG SET failed (possibly related to argument 'repl-ping-slave-period') - argument must be between 1 and 2147483647 inclusive"),
        (&["config", "set", "port", "65536"], "ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive"),
        (&["config", "set", "port", "-1"], "ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive"),
        (&["config", "set", "port", "abc"], "ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed into an integer"),
        (&["config", "set", "port", "7300"], "OK"),
        (&["config", "set", "hz", "0"], "OK"),
        (&["config", "get", "hz"], "hz=1"),
        (&["config", "set", "hz", "501"], "OK"),
        (&["config", "get", "hz"], "hz=500"),
        (&["config", "set", "hz", "-1"], "ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 0 and 2147483647 inclusive"),
        (&["config", "set", "hz", "20"], "OK"),
        (&["config", "get", "hz"], "hz=20"),
        (&["config", "set", "repl-diskless-sync-delay", "0"], "OK"),
        (&["config", "set", "repl-diskless-sync-max-replicas", "3"], "OK"),
        (&["config", "get", "repl-diskless-sync-*"], "repl-diskless-sync-delay=0\nrepl-diskless-sync-max-replicas=3"),
        (&["config", "set", "repl-backlog-ttl", "-1"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-ttl') - argument must be between 0 and 9223372036854775807 inclusive"),
        (&["config", "set", "repl-backlog-ttl", "9223372036854775807"], "OK"),
        (&["config", "get", "repl-backlog-ttl"], "repl-backlog-ttl=9223372036854775807"),
        (&["config", "set", "repl-backlog-ttl", "9223372036854775808"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-ttl') - argument couldn't be parsed into an integer"),
        (&["config", "set", "repl-backlog-ttl", "0"], "OK"),
        (&["config", "get", "repl-backlog-ttl"], "repl-backlog-ttl=0"),
        (&["config", "set", "min-slaves-to-write", "2"], "OK"),
        (&["config", "set", "min-replicas-max-lag", "5"], "OK"),
        (&["config", "get", "*min*"], "min-replicas-max-lag=5\nmin-replicas-to-write=2\nmin-slaves-max-lag=5\nmin-slaves-to-write=2"),
        (&["config", "set", "min-slaves-max-lag", "-1"], "ERR CONFIG SET failed (possibly related to argument 'min-slaves-max-lag') - argument must be between 0 and 2147483647 inclusive"),
        (&["config", "set", "min-replicas-to-write", "0"], "OK"),
        (&["config", "set", "replica-announce-port", "65536"], "ERR CONFIG SET failed (possibly related to argument 'replica-announce-port') - argument must be between 0 and 65535 inclusive"),
        (&["config", "set", "slave-announce-port", "6390"], "OK"),
        (&["config", "get", "*announce-port"], "replica-announce-port=6390\nslave-announce-port=6390"),
        (&["config", "set", "shutdown-timeout", "0"], "OK"),
        (&["config", "set", "replica-priority", "2147483648"], "ERR CONFIG SET failed (possibly related to argument 'replica-priority') - argument must be between 0 and 2147483647 inclusive"),
        (&["config", "set", "databases", "abc"], "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"),
        (&["config", "get", "shutdown-timeout", "databases", "replica-priority"], "databases=16\nreplica-priority=6\nshutdown-timeout=0"),
        (&["config", "set", "repl-backlog-size", "1mb"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=1048576"),
        (&["config", "set", "repl-backlog-size", "1m"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=1000000"),
        (&["config", "set", "repl-backlog-size", "1kb"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=16384"),
        (&["config", "set", "repl-backlog-size", "100"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=16384"),
        (&["config", "set", "repl-backlog-size", "10gb"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=10737418240"),
        (&["config", "set", "repl-backlog-size", "1GB"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=1073741824"),
        (&["config", "set", "repl-backlog-size", "1g"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=1000000000"),
        (&["config", "set", "repl-backlog-size", "20000b"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=20000"),
        (&["config", "set", "repl-backlog-size", "20001B"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=20001"),
        (&["config", "set", "repl-backlog-size", "2K"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=16384"),
        (&["config", "set", "repl-backlog-size", "3Mb"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=3145728"),
        (&["config", "set", "repl-backlog-size", ""], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be between 1 and 9223372036854775807 inclusive"),
        (&["config", "set", "repl-backlog-size", "kb"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be between 1 and 9223372036854775807 inclusive"),
        (&["config", "set", "repl-backlog-size", "-1"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be a memory value"),
        (&["config", "set", "repl-backlog-size", "1.5mb"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be a memory value"),
        (&["config", "set", "repl-backlog-size", "1tb"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be a memory value"),
        (&["config", "set", "repl-backlog-size", "1 mb"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be a memory value"),
        (&["config", "set", "repl-backlog-size", "+1mb"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be a memory value"),
        (&["config", "set", "repl-backlog-size", "18446744073709551615"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be between 1 and 9223372036854775807 inclusive"),
        (&["config", "set", "repl-backlog-size", "9223372036854775808"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be between 1 and 9223372036854775807 inclusive"),
        (&["config", "set", "repl-backlog-size", "99999999999999999999"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be between 1 and 9223372036854775807 inclusive"),
        (&["config", "set", "repl-backlog-size", "9223372036854775807"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=9223372036854775807"),
        (&["config", "set", "repl-backlog-size", "1048576"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=1048576"),
        (&["config", "set", "proto-max-bulk-len", "1mb"], "OK"),
        (&["config", "get", "proto-max-bulk-len"], "proto-max-bulk-len=1048576"),
        (&["config", "set", "proto-max-bulk-len", "1000k"], "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive"),
        (&["config", "set", "proto-max-bulk-len", "1gb"], "OK"),
        (&["config", "get", "proto-max-bulk-len"], "proto-max-bulk-len=1073741824"),
        (&["config", "set", "proto-max-bulk-len", "512mb"], "OK"),
        (&["config", "set", "proto-max-bulk-len", "x"], "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be a memory value"),
        (&["config", "set", "replica-announce-ip", "10.0.0.5"], "OK"),
        (&["config", "get", "replica-announce-ip", "slave-announce-ip"], "replica-announce-ip=10.0.0.5\nslave-announce-ip=10.0.0.5"),
        (&["config", "set", "slave-announce-ip", ""], "OK"),
        (&["config", "get", "*announce-ip"], "replica-announce-ip=\nslave-announce-ip="),
        (&["config", "set", "repl-diskless-load", "foo"], "ERR CONFIG SET failed (possibly related to argument 'repl-diskless-load') - argument(s) must be one of the following: disabled, on-empty-db, swapdb"),
        (&["config", "set", "repl-diskless-load", "DISABLED"], "OK"),
        (&["config", "set", "repl-diskless-load", ""], "ERR CONFIG SET failed (possibly related to argument 'repl-diskless-load') - argument(s) must be one of the following: disabled, on-empty-db, swapdb"),
        (&["config", "get", "repl-diskless-load"], "repl-diskless-load=disabled"),
        (&["config", "set", "save", "3600 1 300 100"], "OK"),
        (&["config", "get", "save"], "save=3600 1 300 100"),
        (&["config", "set", "save", ""], "OK"),
        (&["config", "get", "save"], "save="),
        (&["config", "set", "save", "100"], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
        (&["config", "set", "save", "0 1"], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
        (&["config", "set", "save", "1 -1"], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
        (&["config", "set", "save", "3600  1"], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
        (&["config", "set", "save", "5 abc"], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
        (&["config", "set", "save", "3600 "], "OK"),
        (&["config", "get", "save"], "save=3600 0"),
        (&["config", "set", "save", "+5 7"], "OK"),
        (&["config", "get", "save"], "save=5 7"),
        (&["config", "set", "save", "\t5 1"], "OK"),
        (&["config", "get", "save"], "save=5 1"),
        (&["config", "set", "save", "5\t 1"], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
        (&["config", "set", "save", "99999999999999999999 1"], "OK"),
        (&["config", "get", "save"], "save=9223372036854775807 1"),
        (&["config", "set", "save", "1 2 3 4 5 6 7 8"], "OK"),
        (&["config", "get", "save"], "save=1 2 3 4 5 6 7 8"),
        (&["config", "set", "save", "900 1 ", "hz", "10"], "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters"),
        (&["config", "set", "save", ""], "OK"),
        (&["config", "get", "save"], "save="),
        (&["config", "set", "client-output-buffer-limit", "replica 1gb 512mb 30 NORMAL 1k 2KB 3"], "OK"),
        (&["config", "get", "client-output-buffer-limit"], "client-output-buffer-limit=normal 1000 2048 3 slave 1073741824 536870912 30 pubsub 33554432 8388608 60"),
        (&["config", "set", "client-output-buffer-limit", "master 1 1 1"], "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration."),
        (&["config", "set", "client-output-buffer-limit", "normal 1 1"], "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration."),
        (&["config", "set", "client-output-buffer-limit", "normal -1 1 1"], "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration."),
        (&["config", "set", "client-output-buffer-limit", "normal 1 1 -1"], "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration."),
        (&["config", "set", "client-output-buffer-limit", "normal 1 1 1x"], "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration."),
        (&["config", "set", "client-output-buffer-limit", "normal 1 1 +2"], "OK"),
        (&["config", "get", "client-output-buffer-limit"], "client-output-buffer-limit=normal 1 1 2 slave 1073741824 536870912 30 pubsub 33554432 8388608 60"),
        (&["config", "set", "client-output-buffer-limit", "pubsub 1 1 4294967296"], "OK"),
        (&["config", "get", "client-output-buffer-limit"], "client-output-buffer-limit=normal 1 1 2 slave 1073741824 536870912 30 pubsub 1 1 0"),
        (&["config", "set", "client-output-buffer-limit", "normal  0 0"], "OK"),
        (&["config", "get", "client-output-buffer-limit"], "client-output-buffer-limit=normal 0 0 0 slave 1073741824 536870912 30 pubsub 1 1 0"),
        (&["config", "set", "client-output-buffer-limit", "pubsub 5 5 5 nobody 1 1 1"], "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration."),
        (&["config", "get", "client-output-buffer-limit"], "client-output-buffer-limit=normal 0 0 0 slave 1073741824 536870912 30 pubsub 1 1 0"),
        (&["config", "set", "client-output-buffer-limit", ""], "OK"),
        (&["config", "get", "client-output-buffer-limit"], "client-output-buffer-limit=normal 0 0 0 slave 1073741824 536870912 30 pubsub 1 1 0"),
        (&["config", "set", "client-output-buffer-limit", "slave 256mb 64mb 60 normal 0 0 0 pubsub 32mb 8mb 60"], "OK"),
        (&["config", "get", "client-output-buffer-limit"], "client-output-buffer-limit=normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
        (&["config", "set", "repl-timeout", "31", "hz", "15", "repl-backlog-size", "abc"], "ERR CONFIG SET failed (possibly related to argument 'repl-backlog-size') - argument must be a memory value"),
        (&["config", "get", "repl-timeout", "hz", "repl-backlog-size"], "hz=20\nrepl-backlog-size=1048576\nrepl-timeout=30"),
        (&["config", "set", "repl-timeout", "31", "hz", "15", "repl-backlog-size", "1kb"], "OK"),
        (&["config", "get", "repl-timeout", "hz", "repl-backlog-size"], "hz=15\nrepl-backlog-size=16384\nrepl-timeout=31"),
        (&["config", "set", "rdbcompression", "maybe", "port", "7300"], "ERR CONFIG SET failed (possibly related to argument 'rdbcompression') - argument must be 'yes' or 'no'"),
        (&["config", "set", "save", "10 10", "client-output-buffer-limit", "normal 1 2"], "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration."),
        (&["config", "get", "save", "client-output-buffer-limit"], "client-output-buffer-limit=normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\nsave="),
        (&["config", "set", "save", "10 10", "replica-priority", "42", "save", "1 1"], "ERR CONFIG SET failed (possibly related to argument 'save') - duplicate parameter"),
        (&["config", "set", "save", "10 10", "replica-priority", "42", "min-slaves-max-lag", "7"], "OK"),
        (&["config", "get", "save", "replica-priority", "min-replicas-max-lag"], "min-replicas-max-lag=7\nreplica-priority=42\nsave=10 10"),
        (&["config", "set", "save", ""], "OK"),
        (&["config", "set", "foo\nbar", "1"], "ERR Unknown option or number of arguments for CONFIG SET - 'foo bar'"),
        (&["config", "set", "fo\0o", "1"], "ERR Unknown option or number of arguments for CONFIG SET - 'fo'"),
        (&["config", "set", "port", "7300", "po\r\nRT", "2"], "ERR Unknown option or number of arguments for CONFIG SET - 'po  RT'"),
        (&["config", "set", "hz", "15", "HZ\0x", "2"], "ERR Unknown option or number of arguments for CONFIG SET - 'HZ'"),
        (&["config", "get", "hz\0"], ""),
        (&["config", "get", "h\0*"], ""),
        (&["config", "set", "repl-backlog-size", "100\0x"], "OK"),
        (&["config", "get", "repl-backlog-size"], "repl-backlog-size=16384"),
        (&["config", "set", "repl-timeout", "31\0"], "ERR CONFIG SET failed (possibly related to argument 'repl-timeout') - argument couldn't be parsed into an integer"),
        (&["config", "set", "rdbcompression", "yes\0no"], "OK"),
        (&["config", "get", "rdbcompression"], "rdbcompression=yes"),
        (&["config", "get", "*"], "appendonly=no\nclient-output-buffer-limit=normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\ndatabases=16\ndbfilename=dump.rdb\nhz=15\nlazyfree-lazy-expire=yes\nmin-replicas-max-lag=7\nmin-replicas-to-write=0\nmin-slaves-max-lag=7\nmin-slaves-to-write=0\nport=7300\nproto-max-bulk-len=536870912\nrdb-del-sync-files=yes\nrdbchecksum=yes\nrdbcompression=yes\nrepl-backlog-size=16384\nrepl-backlog-ttl=0\nrepl-disable-tcp-nodelay=yes\nrepl-diskless-load=disabled\nrepl-diskless-sync=no\nrepl-diskless-sync-delay=0\nrepl-diskless-sync-max-replicas=3\nrepl-ping-replica-period=5\nrepl-ping-slave-period=5\nrepl-timeout=31\nreplica-announce-ip=\nreplica-announce-port=6390\nreplica-announced=no\nreplica-lazy-flush=yes\nreplica-priority=42\nreplica-read-only=yes\nreplica-serve-stale-data=no\nreplicaof=\nsave=\nshutdown-timeout=0\nslave-announce-ip=\nslave-announce-port=6390\nslave-lazy-flush=yes\nslave-priority=42\nslave-read-only=yes\nslave-serve-stale-data=no\nslaveof=\nstop-writes-on-bgsave-error=no"),
        (&["config", "get", "repl-*"], "repl-backlog-size=16384\nrepl-backlog-ttl=0\nrepl-disable-tcp-nodelay=yes\nrepl-diskless-load=disabled\nrepl-diskless-sync=no\nrepl-diskless-sync-delay=0\nrepl-diskless-sync-max-replicas=3\nrepl-ping-replica-period=5\nrepl-ping-slave-period=5\nrepl-timeout=31"),
        (&["config", "get", "*max*"], "min-replicas-max-lag=7\nmin-slaves-max-lag=7\nproto-max-bulk-len=536870912\nrepl-diskless-sync-max-replicas=3"),
        (&["config", "get", "[rs]ave"], "save="),
        (&["config", "get", "[^a-q]*"], "rdb-del-sync-files=yes\nrdbchecksum=yes\nrdbcompression=yes\nrepl-backlog-size=16384\nrepl-backlog-ttl=0\nrepl-disable-tcp-nodelay=yes\nrepl-diskless-load=disabled\nrepl-diskless-sync=no\nrepl-diskless-sync-delay=0\nrepl-diskless-sync-max-replicas=3\nrepl-ping-replica-period=5\nrepl-ping-slave-period=5\nrepl-timeout=31\nreplica-announce-ip=\nreplica-announce-port=6390\nreplica-announced=no\nreplica-lazy-flush=yes\nreplica-priority=42\nreplica-read-only=yes\nreplica-serve-stale-data=no\nreplicaof=\nsave=\nshutdown-timeout=0\nslave-announce-ip=\nslave-announce-port=6390\nslave-lazy-flush=yes\nslave-priority=42\nslave-read-only=yes\nslave-serve-stale-data=no\nslaveof=\nstop-writes-on-bgsave-error=no"),
        (&["config", "get", "sav\\e"], ""),
        (&["config", "get", "sav\\e*"], "save="),
        (&["config", "get", "\\s*"], "save=\nshutdown-timeout=0\nslave-announce-ip=\nslave-announce-port=6390\nslave-lazy-flush=yes\nslave-priority=42\nslave-read-only=yes\nslave-serve-stale-data=no\nslaveof=\nstop-writes-on-bgsave-error=no"),
        (&["config", "get", "*-ping-*"], "repl-ping-replica-period=5\nrepl-ping-slave-period=5"),
        (&["config", "get", "repl-ping-?????-period"], "repl-ping-slave-period=5"),
        (&["config", "get", "REPL-TIMEOUT"], "REPL-TIMEOUT=31"),
        (&["config", "get", "Repl-Timeout*"], "repl-timeout=31"),
        (&["config", "get", "port", "PORT"], "port=7300"),
        (&["config", "get", "PORT", "p*"], "PORT=7300\nproto-max-bulk-len=536870912"),
        (&["config", "get", "slaveof", "replicaof"], "replicaof=\nslaveof="),
        (&["config", "get", "replicaof", "slave*"], "replicaof=\nslave-announce-ip=\nslave-announce-port=6390\nslave-lazy-flush=yes\nslave-priority=42\nslave-read-only=yes\nslave-serve-stale-data=no\nslaveof="),
        (&["config", "get", "slave*", "replicaof"], "replicaof=\nslave-announce-ip=\nslave-announce-port=6390\nslave-lazy-flush=yes\nslave-priority=42\nslave-read-only=yes\nslave-serve-stale-data=no\nslaveof="),
        (&["config", "get", "repl*", "slaveof"], "repl-backlog-size=16384\nrepl-backlog-ttl=0\nrepl-disable-tcp-nodelay=yes\nrepl-diskless-load=disabled\nrepl-diskless-sync=no\nrepl-diskless-sync-delay=0\nrepl-diskless-sync-max-replicas=3\nrepl-ping-replica-period=5\nrepl-ping-slave-period=5\nrepl-timeout=31\nreplica-announce-ip=\nreplica-announce-port=6390\nreplica-announced=no\nreplica-lazy-flush=yes\nreplica-priority=42\nreplica-read-only=yes\nreplica-serve-stale-data=no\nreplicaof=\nslaveof="),
        (&["config", "get", "nosuch"], ""),
        (&["config", "get", "nosuch*"], ""),
        (&["config", "get", "*[", "databases"], "databases=16"),
        (&["config", "get", "[a-c]*"], "appendonly=no\nclient-output-buffer-limit=normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
        (&["config", "get", "?z"], "hz=15"),
        (&["config", "get", "*lazy*", "SLAVE-LAZY-FLUSH"], "lazyfree-lazy-expire=yes\nreplica-lazy-flush=yes\nslave-lazy-flush=yes"),
        (&["config", "get", "min-*-to-write"], "min-replicas-to-write=0\nmin-slaves-to-write=0"),
        (&["config", "get", "*announce*"], "replica-announce-ip=\nreplica-announce-port=6390\nreplica-announced=no\nslave-announce-ip=\nslave-announce-port=6390"),
        (&["config", "get", "[m-p][a-o]*"], "min-replicas-max-lag=7\nmin-replicas-to-write=0\nmin-slaves-max-lag=7\nmin-slaves-to-write=0\nport=7300"),
        (&["config", "get", "client-output-buffer-limit", "CLIENT-OUTPUT-BUFFER-LIMIT"], "client-output-buffer-limit=normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
        (&["config", "get", "*o*b*"], "client-output-buffer-limit=normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\nproto-max-bulk-len=536870912\nstop-writes-on-bgsave-error=no"),
    ];

    /// (startup options, [(CONFIG command, reply or `FATAL <startup error>`)]),
    /// each case on a fresh redis-server 7.0.15.
    #[allow(clippy::type_complexity)]
    const STARTUP: &[(&[(&str, &str)], &[(&[&str], &str)])] = &[
        (&[("repl-backlog-size", "100")], &[(&["config", "get", "repl-backlog-size"], "repl-backlog-size=100"), (&["config", "set", "repl-backlog-size", "100"], "OK"), (&["config", "get", "repl-backlog-size"], "repl-backlog-size=100"), (&["config", "set", "repl-backlog-size", "101"], "OK"), (&["config", "get", "repl-backlog-size"], "repl-backlog-size=16384")]),
        (&[("repl-backlog-size", "1k")], &[(&["config", "get", "repl-backlog-size"], "repl-backlog-size=1000")]),
        (&[("hz", "0")], &[(&["config", "get", "hz"], "hz=1")]),
        (&[("hz", "1000")], &[(&["config", "get", "hz"], "hz=500")]),
        (&[("databases", "4")], &[(&["config", "get", "databases"], "databases=4"), (&["config", "set", "databases", "4"], "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config")]),
        (&[("replicaof", "127.0.0.1 6399")], &[(&["config", "get", "replicaof", "slaveof"], "replicaof=127.0.0.1 6399\nslaveof=127.0.0.1 6399"), (&["config", "set", "replicaof", "no one"], "ERR CONFIG SET failed (possibly related to argument 'replicaof') - can't set immutable config")]),
        (&[("slaveof", "no one")], &[(&["config", "get", "replicaof"], "replicaof=")]),
        (&[("SlaveOf", "127.0.0.1   6399")], &[(&["config", "get", "replicaof"], "replicaof=127.0.0.1 6399")]),
        (&[("save", "")], &[(&["config", "get", "save"], "save=")]),
        (&[("save", "100 1 200 2")], &[(&["config", "get", "save"], "save=100 1 200 2")]),
        (&[("save", "  ")], &[(&["config", "get", "save"], "save=")]),
        (&[("save", "'100 1")], &[(&["config", "get", "save"], "save=")]),
        (&[("save", "100")], &[(&["config", "get", "save"], "FATAL Invalid save parameters")]),
        (&[("save", "\"\\x31\\x30\" 1")], &[(&["config", "get", "save"], "save=10 1")]),
        (&[("save", "1 1\x0b2 2")], &[(&["config", "get", "save"], "FATAL Invalid save parameters")]),
        (&[("save", "\"10\"x 1")], &[(&["config", "get", "save"], "save=")]),
        (&[("save", "\"1\\q\" 2")], &[(&["config", "get", "save"], "FATAL Invalid save parameters")]),
        (&[("client-output-buffer-limit", "'replica' 1MB 2Mb 3")], &[(&["config", "get", "client-output-buffer-limit"], "client-output-buffer-limit=normal 0 0 0 slave 1048576 2097152 3 pubsub 33554432 8388608 60")]),
        (&[("save", "0 1")], &[(&["config", "get", "save"], "FATAL Invalid save parameters")]),
        (&[("repl-timeout", "0")], &[(&["config", "get", "repl-timeout"], "FATAL argument must be between 1 and 2147483647 inclusive")]),
        (&[("REPL-TIMEOUT", "5")], &[(&["config", "get", "repl-timeout"], "repl-timeout=5")]),
        (&[("nosuch", "1")], &[(&["config", "get", "port"], "FATAL Bad directive or wrong number of arguments")]),
        (&[("client-output-buffer-limit", "")], &[(&["config", "get", "client-output-buffer-limit"], "FATAL Wrong number of arguments in buffer limit configuration.")]),
        (&[("client-output-buffer-limit", "replica 1mb 2mb 3")], &[(&["config", "get", "client-output-buffer-limit"], "client-output-buffer-limit=normal 0 0 0 slave 1048576 2097152 3 pubsub 33554432 8388608 60")]),
        (&[("client-output-buffer-limit", "master 1mb 2mb 3")], &[(&["config", "get", "client-output-buffer-limit"], "FATAL Invalid client class specified in buffer limit configuration.")]),
        (&[("replicaof", "host")], &[(&["config", "get", "replicaof"], "FATAL wrong number of arguments")]),
        (&[("replicaof", "host 70000")], &[(&["config", "get", "replicaof"], "FATAL Invalid master port")]),
        (&[("replicaof", "")], &[(&["config", "get", "replicaof"], "FATAL wrong number of arguments")]),
        (&[("dbfilename", "a/b.rdb")], &[(&["config", "get", "dbfilename"], "FATAL dbfilename can't be a path, just a filename")]),
        (&[("dbfilename", "x.rdb")], &[(&["config", "get", "dbfilename"], "dbfilename=x.rdb")]),
        (&[("dbfilename", "")], &[(&["config", "get", "dbfilename"], "dbfilename=")]),
        (&[("replica-announce-ip", "")], &[(&["config", "get", "replica-announce-ip"], "replica-announce-ip=")]),
        (&[("rdbchecksum", "no")], &[(&["config", "get", "rdbchecksum"], "rdbchecksum=no")]),
        (&[("rdbchecksum", "maybe")], &[(&["config", "get", "rdbchecksum"], "FATAL argument must be 'yes' or 'no'")]),
        (&[("proto-max-bulk-len", "1000")], &[(&["config", "get", "proto-max-bulk-len"], "FATAL argument must be between 1048576 and 9223372036854775807 inclusive")]),
        (&[("proto-max-bulk-len", "2mb")], &[(&["config", "get", "proto-max-bulk-len"], "proto-max-bulk-len=2097152")]),
        (&[("repl-backlog-size", "0")], &[(&["config", "get", "repl-backlog-size"], "FATAL argument must be between 1 and 9223372036854775807 inclusive")]),
        (&[("repl-diskless-load", "foo")], &[(&["config", "get", "repl-diskless-load"], "FATAL argument(s) must be one of the following: disabled, on-empty-db, swapdb")]),
        (&[("slave-priority", "0"), ("min-slaves-to-write", "1")], &[(&["config", "get", "*priority", "min-*-to-write"], "min-replicas-to-write=1\nmin-slaves-to-write=1\nreplica-priority=0\nslave-priority=0")]),
    ];
}
