//! "Explain my cluster": from the `INFO` of a real master and a real replica, the
//! PSYNC the replica would send on its next connection, the master's answer with its
//! checks and Redis's own log line, and the backlog's margins.
//!
//! Nothing here re-derives the decision: the master's side is
//! [`crate::repl::psync::decide`], fed with the pasted values. This module adds only
//! what the decision does not know — which PSYNC the replica sends (Redis 7.0's
//! `slaveTryPartialResynchronization` and `replicationCacheMasterUsingMyself`) and
//! whether the master answers PSYNC at all (`syncCommand`) — and the margins.
//!
//! ```text
//! replica INFO: role:slave  master_replid:8f3a…c2  slave_repl_offset:1200  (link down)
//!   -> PSYNC 8f3a…c2 1201   (its cached master: the history it has, plus one)
//! master INFO:  master_replid:8f3a…c2  repl_backlog_first_byte_offset:1  histlen:1400
//!   -> +CONTINUE, 200 bytes; the replica may fall 1,048,776 more bytes behind
//! ```
//!
//! - [`parse`]: reading the pastes.
//! - [`report`]: the explanation as text, for the command line.
//! - [`scenario`]: "Open as a scenario", a world seeded with the pasted state.

pub mod parse;
pub mod report;
pub mod scenario;

use crate::repl::psync::{decide, Decision, MasterState, Replid2From, Verdict};
pub use parse::{parse_info, Info, InputError, MAX_PASTE_BYTES};
use serde::Serialize;

/// Redis 7.0 keeps the backlog in blocks of `PROTO_REPLY_CHUNK_BYTES` (16 KB, larger for
/// a larger write) and frees whole blocks: the window's first byte moves in steps. It
/// frees one only while the rest holds more than `repl-backlog-size` bytes, so the window
/// is never shorter than that (and at most about one block longer).
pub const BACKLOG_BLOCK_BYTES: i64 = 16 * 1024;

/// Which paste an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Paste {
    /// The master's INFO.
    Master,
    /// The replica's INFO.
    Replica,
    /// The master's INFO pasted again later (for the write rate).
    Later,
    /// The options (rate, seconds, outage).
    Options,
}

/// An input the explanation cannot use, and which one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExplainError {
    /// Which paste.
    pub paste: Paste,
    /// What is wrong with it.
    pub error: InputError,
}

impl std::fmt::Display for ExplainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let who = match self.paste {
            Paste::Master => "the master's INFO",
            Paste::Replica => "the replica's INFO",
            Paste::Later => "the master's later INFO",
            Paste::Options => "the options",
        };
        match &self.error {
            InputError::TooLarge { bytes, max } => {
                write!(f, "{who} is {bytes} bytes; at most {max} are read")
            }
            InputError::ControlCharacter { line } => {
                write!(f, "{who} has a control character on line {line}")
            }
            InputError::NotInfo => write!(
                f,
                "{who} has no field:value line: paste the output of INFO replication"
            ),
            InputError::Conflict {
                field,
                first,
                second,
            } => write!(
                f,
                "{who} gives {field} twice ({first}, then {second}): paste one server per box"
            ),
            InputError::Missing { field } => write!(
                f,
                "{who} has no {field}: paste the whole output of INFO replication"
            ),
            InputError::BadValue { field, value } => {
                write!(
                    f,
                    "{who}: {field}:{value} is not a value Redis prints there"
                )
            }
        }
    }
}

fn at(paste: Paste) -> impl Fn(InputError) -> ExplainError {
    move |error| ExplainError { paste, error }
}

/// What the verdict is, as the command line's exit status says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// `+CONTINUE`: a partial resync.
    Partial,
    /// `+FULLRESYNC`: a full sync (an RDB snapshot).
    Full,
    /// The master refuses to sync anyone now (`-NOMASTERLINK`): the replica retries.
    Refused,
    /// The pastes do not decide it (the reason says why).
    CannotTell,
}

impl Outcome {
    /// `replscope explain`'s exit status: 0 partial, 3 full, 2 cannot tell.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Partial => 0,
            Outcome::Full => 3,
            Outcome::Refused | Outcome::CannotTell => 2,
        }
    }
}

/// Which of Redis's rules chose the PSYNC arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PsyncRule {
    /// A replica keeps its master as the cached master when the link breaks:
    /// `PSYNC <cached replid> <slave_repl_offset + 1>`.
    CachedMaster,
    /// A master turned replica (`REPLICAOF host port`) synthesizes a cached master from
    /// its own history (`replicationCacheMasterUsingMyself`): `PSYNC <master_replid>
    /// <master_repl_offset + 1>`.
    OwnHistory,
    /// A replica with no cached master (started as a replica and never synced, or its
    /// last full sync failed): `PSYNC ? -1`.
    NoCachedMaster,
    /// A full sync is being transferred: the cached master was discarded at
    /// `+FULLRESYNC`, so if this one fails the next is `PSYNC ? -1`.
    FullSyncInProgress,
}

/// The PSYNC the replica would send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Psync {
    /// Asked replication id (`?` for none).
    pub replid: String,
    /// Asked offset (-1 with `?`).
    pub offset: i64,
    /// Which rule chose them.
    pub rule: PsyncRule,
}

/// Why there is no verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoVerdict {
    /// The master is itself a replica whose link is down: `-NOMASTERLINK Can't SYNC
    /// while not connected with my master`.
    MasterLinkDown,
    /// The master is failing over: `-NOMASTERLINK Can't SYNC while failing over`.
    FailingOver,
    /// `slave_repl_offset:1` with `master_repl_offset:1`: a cached master at offset 1
    /// and no cached master print the same INFO.
    CachedMasterUnknown,
}

/// Facts worth a line beside the verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum Note {
    /// The replica's link is up: the PSYNC is the one it sends if the link breaks now.
    LinkUp,
    /// The PSYNC continues the master's replid2: a promotion or a restart from RDB
    /// (INFO does not say which).
    ViaReplid2,
    /// The master pasted is itself a replica: it answers from its own backlog.
    MasterIsReplica,
    /// The two servers are not the same product or version.
    Versions {
        /// The master's (`Redis 7.0.15`).
        master: String,
        /// The replica's.
        replica: String,
    },
}

/// A write rate, typed or measured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rate {
    /// Bytes of replication stream per second (rounded up).
    pub bytes_per_s: i64,
    /// Measured from two pastes: the bytes and whole seconds between them (None: typed).
    pub measured: Option<(i64, i64)>,
}

/// How much room the backlog leaves.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Margin {
    /// Bytes the replica lacks now (`master_repl_offset` − asked offset + 1): what a
    /// partial resync sends. Negative when the replica holds more than the master (a
    /// master restarted with less data, or another server): that many bytes ahead.
    pub behind_bytes: i64,
    /// `repl-backlog-size`.
    pub backlog_size: i64,
    /// Bytes the master may still write before the asked offset leaves the backlog
    /// (None when the resync is not partial); give or take one [`BACKLOG_BLOCK_BYTES`].
    pub slack_bytes: Option<i64>,
    /// The write rate, if known.
    pub rate: Option<Rate>,
    /// `slack_bytes` at that rate: how many more seconds this replica may stay away.
    pub slack_s: Option<i64>,
    /// How long an outage (s) a caught-up replica survives at that rate, at least:
    /// `repl-backlog-size` / rate. Redis trims a head block only while the rest still
    /// holds more than `repl-backlog-size` bytes (`incrementalTrimReplicationBacklog`,
    /// the same in 7.0, 8.0 and Valkey 8.1), so the last `repl-backlog-size` bytes always
    /// stay: the `slack_s` of a replica that was caught up.
    pub window_s: Option<i64>,
    /// The outage asked about, in seconds.
    pub outage_s: Option<i64>,
    /// The `repl-backlog-size` that covers that outage at that rate: rate × outage bytes
    /// (the inverse of `window_s`).
    pub needed_bytes: Option<i64>,
    /// The same as a config line, e.g. `repl-backlog-size 27mb`.
    pub needed_config: Option<String>,
}

/// Everything the pastes say about the next sync.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// The verdict.
    pub outcome: Outcome,
    /// The PSYNC the replica would send (None when it cannot be told).
    pub psync: Option<Psync>,
    /// The master's decision, from [`decide`] (None without a verdict).
    pub decision: Option<Decision>,
    /// Why there is no verdict.
    pub no_verdict: Option<NoVerdict>,
    /// Facts worth a line.
    pub notes: Vec<Note>,
    /// The margins (None without a PSYNC).
    pub margin: Option<Margin>,
    /// The master's product and version, if `INFO server` was pasted.
    pub master_product: Option<String>,
    /// The replica's.
    pub replica_product: Option<String>,
}

/// What to explain besides the two pastes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// The name Redis gives the replica in its log (`ip:port`); None: `<replica-ip>`
    /// and the replica's `tcp_port` if pasted.
    pub replica_name: Option<String>,
    /// A typed write rate, bytes per second.
    pub rate_bytes_per_s: Option<i64>,
    /// The master's INFO pasted again later, and the seconds between the two pastes
    /// (None: the difference of their `uptime_in_seconds`).
    pub later: Option<(String, Option<i64>)>,
    /// An outage to size the backlog for, in seconds.
    pub outage_s: Option<i64>,
}

/// The PSYNC a replica (or a master about to become one) sends next.
///
/// # Returns
/// The PSYNC, or why the INFO cannot tell.
pub fn next_psync(replica: &Info) -> Result<Result<Psync, NoVerdict>, InputError> {
    let replid = replica.replid("master_replid")?.to_string();
    let own = replica.int("master_repl_offset")?;
    if !replica.is_replica()? {
        return Ok(Ok(Psync {
            replid,
            offset: own + 1,
            rule: PsyncRule::OwnHistory,
        }));
    }
    let applied = replica.int("slave_repl_offset")?;
    let none = |rule| {
        Ok(Ok(Psync {
            replid: "?".into(),
            offset: -1,
            rule,
        }))
    };
    if replica.int("master_sync_in_progress")? == 1 {
        return none(PsyncRule::FullSyncInProgress);
    }
    // INFO prints slave_repl_offset:1 when there is neither a master nor a cached master.
    if applied == 1 {
        return if own == 1 {
            Ok(Err(NoVerdict::CachedMasterUnknown))
        } else {
            none(PsyncRule::NoCachedMaster)
        };
    }
    Ok(Ok(Psync {
        replid,
        offset: applied + 1,
        rule: PsyncRule::CachedMaster,
    }))
}

/// The master's state as [`decide`] reads it.
pub fn master_state(m: &Info) -> Result<MasterState, InputError> {
    let active = m.int("repl_backlog_active")? != 0;
    Ok(MasterState {
        replid: m.replid("master_replid")?.to_string(),
        replid2: m.replid("master_replid2")?.to_string(),
        second_repl_offset: m.int("second_repl_offset")?,
        master_repl_offset: m.int("master_repl_offset")?,
        backlog: if active {
            Some((
                m.int("repl_backlog_first_byte_offset")?,
                m.int("repl_backlog_histlen")?,
            ))
        } else {
            None
        },
        replid2_from: Replid2From::None,
    })
}

/// The write rate between two pastes of the master's INFO.
pub fn measured_rate(
    first: &Info,
    later: &Info,
    seconds: Option<i64>,
) -> Result<Rate, ExplainError> {
    let l = at(Paste::Later);
    let id = first.replid("master_replid").map_err(at(Paste::Master))?;
    let id2 = later.replid("master_replid").map_err(&l)?;
    if !id.eq_ignore_ascii_case(id2) {
        return Err(l(InputError::BadValue {
            field: "master_replid".into(),
            value: id2.into(),
        }));
    }
    let a = first.int("master_repl_offset").map_err(at(Paste::Master))?;
    let b = later.int("master_repl_offset").map_err(&l)?;
    let secs = match seconds {
        Some(s) => s,
        None => {
            let u1 = first.int("uptime_in_seconds").map_err(at(Paste::Master))?;
            let u2 = later.int("uptime_in_seconds").map_err(&l)?;
            u2 - u1
        }
    };
    if secs <= 0 || b < a {
        return Err(at(Paste::Options)(InputError::BadValue {
            field: if secs <= 0 {
                "seconds"
            } else {
                "master_repl_offset"
            }
            .into(),
            value: if secs <= 0 { secs } else { b }.to_string(),
        }));
    }
    Ok(Rate {
        bytes_per_s: (b - a + secs - 1) / secs,
        measured: Some((b - a, secs)),
    })
}

/// `repl-backlog-size` for `bytes`, rounded up to whole `mb` (or `kb` below 1 MB), as
/// `memtoull` reads them (1mb = 1048576).
fn config_size(bytes: i64) -> String {
    const MB: i64 = 1 << 20;
    if bytes >= MB {
        format!("repl-backlog-size {}mb", (bytes + MB - 1) / MB)
    } else {
        format!("repl-backlog-size {}kb", (bytes + 1023) / 1024)
    }
}

fn margin(
    m: &Info,
    ms: &MasterState,
    p: &Psync,
    d: Option<&Decision>,
    rate: Option<Rate>,
    outage_s: Option<i64>,
) -> Result<Margin, InputError> {
    let size = m.int("repl_backlog_size")?;
    let slack_bytes = match (d.map(|d| &d.verdict), ms.backlog) {
        (Some(Verdict::Continue { .. }), Some((first, histlen))) => {
            Some(p.offset - first + (size - histlen))
        }
        _ => None,
    };
    let per_s = rate.as_ref().map(|r| r.bytes_per_s).filter(|r| *r > 0);
    let needed = per_s.zip(outage_s).map(|(r, t)| r.saturating_mul(t));
    Ok(Margin {
        behind_bytes: if p.offset < 0 {
            ms.master_repl_offset
        } else {
            ms.master_repl_offset - p.offset + 1
        },
        backlog_size: size,
        slack_bytes,
        slack_s: per_s.zip(slack_bytes).map(|(r, b)| b.max(0) / r),
        window_s: per_s.map(|r| size.max(0) / r),
        rate,
        outage_s,
        needed_bytes: needed,
        needed_config: needed.map(config_size),
    })
}

/// Explain two parsed pastes.
///
/// # Returns
/// The [`Explanation`], or the missing or bad field (and whose).
pub fn explain(master: &Info, replica: &Info, opts: &Options) -> Result<Explanation, ExplainError> {
    let (em, er) = (at(Paste::Master), at(Paste::Replica));
    let ms = master_state(master).map_err(&em)?;
    let psync = next_psync(replica).map_err(&er)?;
    let rate = match (&opts.later, opts.rate_bytes_per_s) {
        (Some((text, secs)), _) => {
            let later = parse_info(text).map_err(at(Paste::Later))?;
            Some(measured_rate(master, &later, *secs)?)
        }
        (None, Some(r)) if r >= 0 => Some(Rate {
            bytes_per_s: r,
            measured: None,
        }),
        (None, Some(r)) => {
            return Err(at(Paste::Options)(InputError::BadValue {
                field: "rate".into(),
                value: r.to_string(),
            }))
        }
        (None, None) => None,
    };
    let mut notes = Vec::new();
    let master_is_replica = master.is_replica().map_err(&em)?;
    if replica.is_replica().map_err(&er)? && replica.get("master_link_status") == Some("up") {
        notes.push(Note::LinkUp);
    }
    if master_is_replica {
        notes.push(Note::MasterIsReplica);
    }
    let (mp, rp) = (master.product(), replica.product());
    if let (Some(a), Some(b)) = (&mp, &rp) {
        if a != b {
            notes.push(Note::Versions {
                master: a.clone(),
                replica: b.clone(),
            });
        }
    }
    let refused = if master
        .get("master_failover_state")
        .is_some_and(|s| s != "no-failover")
    {
        Some(NoVerdict::FailingOver)
    } else if master_is_replica && master.text("master_link_status").map_err(&em)? != "up" {
        Some(NoVerdict::MasterLinkDown)
    } else {
        None
    };
    let (psync, no_verdict) = match psync {
        Ok(p) => (Some(p), refused),
        Err(why) => (None, Some(why)),
    };
    let decision = match (&psync, no_verdict) {
        (Some(p), None) => {
            let name = opts
                .replica_name
                .clone()
                .unwrap_or_else(|| match replica.get("tcp_port") {
                    Some(port) => format!("<replica-ip>:{port}"),
                    None => "<replica-ip>:<port>".into(),
                });
            let mut d = decide(&name, &p.replid, p.offset, &ms);
            reword_replid2(&mut d, &mut notes);
            if master.is_valkey() {
                // Valkey's masterTryPartialResynchronization says "primary" in its
                // warning (its other lines are Redis's words).
                for line in &mut d.log {
                    if line.ends_with("the master replication offset.") {
                        *line = line.replace("the master replication", "the primary replication");
                    }
                }
            }
            Some(d)
        }
        _ => None,
    };
    let outcome = match (&decision, no_verdict) {
        (Some(d), _) if d.is_partial() => Outcome::Partial,
        (Some(_), _) => Outcome::Full,
        (None, Some(NoVerdict::CachedMasterUnknown)) | (None, None) => Outcome::CannotTell,
        (None, Some(_)) => Outcome::Refused,
    };
    let margin = match &psync {
        Some(p) => {
            Some(margin(master, &ms, p, decision.as_ref(), rate, opts.outage_s).map_err(&em)?)
        }
        None => None,
    };
    Ok(Explanation {
        outcome,
        psync,
        decision,
        no_verdict,
        notes,
        margin,
        master_product: mp,
        replica_product: rp,
    })
}

/// INFO does not say where a master's replid2 came from (a promotion, or its RDB when
/// it restarted): the check names both instead of guessing.
fn reword_replid2(d: &mut Decision, notes: &mut Vec<Note>) {
    for c in &mut d.checks {
        if c.id == "replid" && c.passed && c.text.contains("= my replid2 (") {
            if let Some(i) = c.text.find(" (") {
                c.text.truncate(i);
                c.text
                    .push_str(" (an earlier history: a promotion, or a restart from its RDB)");
                notes.push(Note::ViaReplid2);
            }
        }
    }
}

/// Read and explain two pastes (and the options' later paste).
pub fn explain_texts(
    master: &str,
    replica: &str,
    opts: &Options,
) -> Result<Explanation, ExplainError> {
    let m = parse_info(master).map_err(at(Paste::Master))?;
    let r = parse_info(replica).map_err(at(Paste::Replica))?;
    explain(&m, &r, opts)
}

/// Read and explain two pastes, and write the scenario that replays them (or why there
/// is none): what the page's "Explain my cluster" shows, each paste read once.
///
/// # Errors
/// The missing or bad field, and whose.
pub fn explain_with_scenario(
    master: &str,
    replica: &str,
    opts: &Options,
) -> Result<(Explanation, Result<String, scenario::NoScenario>), ExplainError> {
    let m = parse_info(master).map_err(at(Paste::Master))?;
    let r = parse_info(replica).map_err(at(Paste::Replica))?;
    let e = explain(&m, &r, opts)?;
    let scenario = scenario::scenario(&m, &r, &e);
    Ok((e, scenario))
}

/// Read two pastes and write the scenario that replays them ([`scenario::scenario_text`]).
///
/// # Errors
/// The paste's error, or why there is no scenario.
pub fn scenario_texts(master: &str, replica: &str, opts: &Options) -> Result<String, String> {
    let m = parse_info(master).map_err(|e| at(Paste::Master)(e).to_string())?;
    let r = parse_info(replica).map_err(|e| at(Paste::Replica)(e).to_string())?;
    let e = explain(&m, &r, opts).map_err(|e| e.to_string())?;
    scenario::scenario_text(&m, &r, &e)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const Z: &str = "0000000000000000000000000000000000000000";

    /// A master's `INFO replication` in Valkey 8.1's layout (`genValkeyInfoString`: the
    /// `INFO server` names and the fields 8.1 added, which the reader ignores).
    fn valkey_master(offset: i64, first: i64, histlen: i64) -> String {
        format!("# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.1.1\r\nserver_mode:standalone\r\ntcp_port:6379\r\nuptime_in_seconds:100\r\n\r\n# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset={offset},lag=0,type=replica\r\nreplicas_waiting_psync:0\r\nmaster_failover_state:no-failover\r\nmaster_replid:{A}\r\nmaster_replid2:{Z}\r\nmaster_repl_offset:{offset}\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:1\r\nrepl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:{first}\r\nrepl_backlog_histlen:{histlen}\r\n")
    }

    /// A replica's, in Redis 8.0's layout (`redis_version:8.0.x`, the replica's
    /// `replica_full_sync_buffer_*` fields of the rdb-channel replication).
    fn redis8_replica(replid: &str, applied: i64, link: &str) -> String {
        format!("# Server\nredis_version:8.0.2\nredis_mode:standalone\ntcp_port:6380\n# Replication\nrole:slave\nmaster_host:10.0.0.1\nmaster_port:6379\nmaster_link_status:{link}\nmaster_last_io_seconds_ago:-1\nmaster_sync_in_progress:0\nslave_read_repl_offset:{applied}\nslave_repl_offset:{applied}\nreplica_full_sync_buffer_size:0\nreplica_full_sync_buffer_peak:0\nmaster_link_down_since_seconds:12\nslave_priority:100\nslave_read_only:1\nreplica_announced:1\nconnected_slaves:0\nmaster_failover_state:no-failover\nmaster_replid:{replid}\nmaster_replid2:{Z}\nmaster_repl_offset:{applied}\nsecond_repl_offset:-1\nrepl_backlog_active:1\nrepl_backlog_size:1048576\nrepl_backlog_first_byte_offset:1\nrepl_backlog_histlen:{applied}\n")
    }

    fn opts() -> Options {
        Options {
            replica_name: Some("10.0.0.2:6380".into()),
            ..Options::default()
        }
    }

    #[test]
    fn valkey_and_redis8_spellings_explain() {
        let e = explain_texts(
            &valkey_master(5000, 1, 5000),
            &redis8_replica(A, 4000, "down"),
            &opts(),
        )
        .unwrap();
        assert_eq!(e.outcome, Outcome::Partial);
        assert_eq!(e.master_product.as_deref(), Some("Valkey 8.1.1"));
        assert_eq!(e.replica_product.as_deref(), Some("Redis 8.0.2"));
        assert!(e.notes.contains(&Note::Versions {
            master: "Valkey 8.1.1".into(),
            replica: "Redis 8.0.2".into()
        }));
        let p = e.psync.unwrap();
        assert_eq!((p.offset, p.rule), (4001, PsyncRule::CachedMaster));
        assert_eq!(
            e.decision.unwrap().log,
            ["Partial resynchronization request from 10.0.0.2:6380 accepted. Sending 1000 bytes of backlog starting from offset 4001."]
        );
        let m = e.margin.unwrap();
        assert_eq!(m.behind_bytes, 1000);
        // 4001 - 1 bytes before the asked offset, plus the 1048576 - 5000 still free.
        assert_eq!(m.slack_bytes, Some(4000 + 1_048_576 - 5000));
    }

    #[test]
    fn a_replica_ahead_of_a_restarted_master_is_ahead_not_behind() {
        // The master came back empty (offset 0, a new replid); the replica holds 50 MB.
        let master = valkey_master(0, 1, 0)
            .replace(&format!("master_replid:{A}"), &format!("master_replid:{B}"));
        let e = explain_texts(&master, &redis8_replica(A, 50_331_648, "down"), &opts()).unwrap();
        assert_eq!(e.outcome, Outcome::Full);
        // What the replica has beyond the master's offset: 50,331,648 bytes (it asks
        // PSYNC <replid> 50331649, one past what it holds).
        assert_eq!(e.margin.as_ref().unwrap().behind_bytes, -50_331_648);
        let text = report::report(&e);
        assert!(text.contains("ahead          50331648 bytes"), "{text}");
    }

    #[test]
    fn explain_with_scenario_is_the_two_calls() {
        let (m, r) = (
            valkey_master(5000, 1, 5000),
            redis8_replica(A, 4000, "down"),
        );
        let (e, s) = explain_with_scenario(&m, &r, &opts()).unwrap();
        assert_eq!(e, explain_texts(&m, &r, &opts()).unwrap());
        assert_eq!(
            s.clone().map_err(|e| e.to_string()),
            scenario_texts(&m, &r, &opts())
        );
        assert!(s.unwrap().contains("r> REPLICAOF m"));
        let sub = redis8_replica(A, 5000, "down");
        let (e, s) = explain_with_scenario(&sub, &r, &opts()).unwrap();
        assert_eq!(e.outcome, Outcome::Refused);
        assert_eq!(
            s.clone().map_err(|e| e.to_string()),
            scenario_texts(&sub, &r, &opts())
        );
        assert_eq!(s, Err(scenario::NoScenario::Refused));
        let err = explain_with_scenario("", &r, &opts()).unwrap_err();
        assert_eq!(Err(err), explain_texts("", &r, &opts()));
    }

    #[test]
    fn valkey_says_primary_in_its_warning() {
        // Asked past the master's offset with the master's own replid: the window check
        // fails and the master warns, in Valkey's words.
        let e = explain_texts(
            &valkey_master(5000, 1, 5000),
            &redis8_replica(A, 6000, "down"),
            &opts(),
        )
        .unwrap();
        assert_eq!(e.outcome, Outcome::Full);
        assert_eq!(
            e.decision.unwrap().log[1],
            "Warning: replica 10.0.0.2:6380 tried to PSYNC with an offset that is greater than the primary replication offset."
        );
        let redis = valkey_master(5000, 1, 5000)
            .replace("server_name:valkey\r\nvalkey_version:8.1.1\r\n", "");
        let e = explain_texts(&redis, &redis8_replica(A, 6000, "down"), &opts()).unwrap();
        assert!(e.decision.unwrap().log[1].ends_with("than the master replication offset."));
    }

    #[test]
    fn the_psync_rules() {
        let m = parse_info(&redis8_replica(A, 4000, "down")).unwrap();
        assert_eq!(next_psync(&m).unwrap().unwrap().offset, 4001);
        // A master turned replica offers its own history.
        let own = parse_info(&valkey_master(700, 1, 700)).unwrap();
        let p = next_psync(&own).unwrap().unwrap();
        assert_eq!(
            (p.replid.as_str(), p.offset, p.rule),
            (A, 701, PsyncRule::OwnHistory)
        );
        // slave_repl_offset:1 with history elsewhere: no cached master.
        let text = redis8_replica(A, 1, "down")
            .replace("master_repl_offset:1\n", "master_repl_offset:900\n");
        let p = next_psync(&parse_info(&text).unwrap()).unwrap().unwrap();
        assert_eq!(
            (p.replid.as_str(), p.offset, p.rule),
            ("?", -1, PsyncRule::NoCachedMaster)
        );
        // ... and with master_repl_offset:1 too, INFO cannot tell.
        let e = explain_texts(
            &valkey_master(5000, 1, 5000),
            &redis8_replica(A, 1, "down"),
            &opts(),
        )
        .unwrap();
        assert_eq!(
            (e.outcome, e.no_verdict),
            (Outcome::CannotTell, Some(NoVerdict::CachedMasterUnknown))
        );
        assert_eq!(e.outcome.exit_code(), 2);
        // A full sync in transfer: the cached master is gone.
        let text = redis8_replica(A, 4000, "down")
            .replace("master_sync_in_progress:0", "master_sync_in_progress:1");
        assert_eq!(
            next_psync(&parse_info(&text).unwrap())
                .unwrap()
                .unwrap()
                .rule,
            PsyncRule::FullSyncInProgress
        );
    }

    #[test]
    fn full_refused_and_missing() {
        // Another history: replid mismatch, exit 3.
        let e = explain_texts(
            &valkey_master(5000, 1, 5000),
            &redis8_replica(B, 4000, "up"),
            &opts(),
        )
        .unwrap();
        assert_eq!((e.outcome, e.outcome.exit_code()), (Outcome::Full, 3));
        assert!(e.notes.contains(&Note::LinkUp));
        assert_eq!(e.margin.unwrap().slack_bytes, None);
        // The master is a replica whose own link is down.
        let sub = redis8_replica(A, 5000, "down");
        let e = explain_texts(&sub, &redis8_replica(A, 4000, "down"), &opts()).unwrap();
        assert_eq!(
            (e.outcome, e.no_verdict),
            (Outcome::Refused, Some(NoVerdict::MasterLinkDown))
        );
        // A missing field is named, with the paste it is missing from.
        let cut = valkey_master(5000, 1, 5000).replace("master_replid2:", "master_replidX:");
        let err = explain_texts(&cut, &redis8_replica(A, 4000, "down"), &opts()).unwrap_err();
        assert_eq!(err.paste, Paste::Master);
        assert_eq!(
            err.error,
            InputError::Missing {
                field: "master_replid2".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "the master's INFO has no master_replid2: paste the whole output of INFO replication"
        );
    }

    /// The tester's real 7.0.15 pair (tester29 m1): a 16 KB backlog holding 24448 bytes
    /// (one 20440-byte block and the next: not trimmed, as the rest is under 16 KB), the
    /// replica caught up. Redis keeps the last `repl-backlog-size` bytes, so the replica
    /// may be away while the master writes 16384 bytes (a real master accepted the PSYNC
    /// after 16248 and after 16385). "Time left" and "covers" are the same 4 s at 4 KB/s
    /// (it said "less than 1 s", from `repl-backlog-size` − 16 KB), and the size asked for
    /// an outage is the one whose "covers" is that outage.
    #[test]
    fn a_caught_up_replica_is_covered_for_the_whole_backlog_size() {
        let master = valkey_master(24448, 1, 24448)
            .replace("repl_backlog_size:1048576", "repl_backlog_size:16384");
        let o = Options {
            rate_bytes_per_s: Some(4096),
            outage_s: Some(10),
            ..opts()
        };
        let e = explain_texts(&master, &redis8_replica(A, 24448, "down"), &o).unwrap();
        assert_eq!(e.outcome, Outcome::Partial);
        let m = e.margin.clone().unwrap();
        assert_eq!(m.behind_bytes, 0);
        assert_eq!(m.slack_bytes, Some(16384));
        assert_eq!((m.slack_s, m.window_s), (Some(4), Some(4)));
        assert_eq!(m.needed_bytes, Some(40960));
        assert_eq!(m.needed_config.as_deref(), Some("repl-backlog-size 40kb"));
        let text = report::report(&e);
        assert!(
            text.contains("time left      this replica may stay away about 4 s more"),
            "{text}"
        );
        assert!(
            text.contains("backlog covers an outage of about 4 s for a replica that was caught up"),
            "{text}"
        );
        assert!(
            text.contains("to survive 10 s  repl-backlog-size 40kb  (40960 bytes: 10 s of writes)"),
            "{text}"
        );
        // That size covers the outage asked about, exactly.
        let bigger = master.replace("repl_backlog_size:16384", "repl_backlog_size:40960");
        let e = explain_texts(&bigger, &redis8_replica(A, 24448, "down"), &o).unwrap();
        assert_eq!(e.margin.unwrap().window_s, Some(10));
        // Under a second: "less than 1 s", never "about less than 1 s".
        let fast = Options {
            rate_bytes_per_s: Some(1_000_000),
            ..opts()
        };
        let text = report::report(
            &explain_texts(&master, &redis8_replica(A, 24448, "down"), &fast).unwrap(),
        );
        assert!(
            text.contains("backlog covers an outage of less than 1 s for a replica"),
            "{text}"
        );
        assert!(text.contains("may stay away less than 1 s more"), "{text}");
        assert!(!text.contains("about less"), "{text}");
    }

    #[test]
    fn rates_and_the_backlog_for_an_outage() {
        let later = valkey_master(5000 + 250_000, 1, 5000)
            .replace("uptime_in_seconds:100", "uptime_in_seconds:110");
        let o = Options {
            later: Some((later.clone(), None)),
            outage_s: Some(120),
            ..opts()
        };
        let e = explain_texts(
            &valkey_master(5000, 1, 5000),
            &redis8_replica(A, 4000, "down"),
            &o,
        )
        .unwrap();
        let m = e.margin.unwrap();
        let r = m.rate.unwrap();
        assert_eq!((r.bytes_per_s, r.measured), (25_000, Some((250_000, 10))));
        assert_eq!(m.needed_bytes, Some(3_000_000));
        assert_eq!(m.needed_config.as_deref(), Some("repl-backlog-size 3mb"));
        assert_eq!(config_size(20_000), "repl-backlog-size 20kb");
        // A later paste of another history is refused.
        let other = later.replace(A, B);
        let o = Options {
            later: Some((other, Some(10))),
            ..opts()
        };
        let err = explain_texts(
            &valkey_master(5000, 1, 5000),
            &redis8_replica(A, 4000, "down"),
            &o,
        )
        .unwrap_err();
        assert_eq!(err.paste, Paste::Later);
    }
}
