//! The master's answer to `PSYNC <replid> <offset>`, as a pure function that returns the
//! verdict *and* every check it made, with the values that decided it.
//!
//! Redis 7.0's `masterTryPartialResynchronization`, in its order:
//! 1. **Replication id.** Continue only if the asked id is my `replid`, or my `replid2`
//!    and the offset is at most `second_repl_offset`. `?` never matches (a replica
//!    with no history asks `PSYNC ? -1` for a full sync on purpose).
//! 2. **Backlog.** There must be a backlog, and the offset must lie in
//!    `[first_byte, first_byte + histlen]`. The upper edge is inclusive: a replica that
//!    has everything asks for `master_repl_offset + 1` and gets zero bytes.
//!
//! ```text
//! replica -> master   PSYNC 8f3a...c2 1201
//! master  -> replica  +CONTINUE 8f3a...c2      (then 200 bytes of backlog)
//! ```

use serde::Serialize;

/// What the master knows when the request arrives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MasterState {
    /// `master_replid`.
    pub replid: String,
    /// `master_replid2` (40 zeros when clear).
    pub replid2: String,
    /// `second_repl_offset` (-1 when clear).
    pub second_repl_offset: i64,
    /// `master_repl_offset`.
    pub master_repl_offset: i64,
    /// `(repl_backlog_first_byte_offset, repl_backlog_histlen)` if a backlog exists.
    pub backlog: Option<(i64, i64)>,
    /// Where `replid2` came from: only the wording of the `replid` check reads it.
    /// Kept out of the event trace (its records are pinned byte for byte).
    #[serde(skip)]
    pub replid2_from: Replid2From,
}

/// Where a node's `master_replid2` came from. Redis keeps no such field (the history
/// is the same either way); the simulator notes it wherever `replid2` is set, so a
/// restart is explained as a restart and a promotion as a promotion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Replid2From {
    /// Cleared (40 zeros, `second_repl_offset` -1).
    #[default]
    None,
    /// `shiftReplicationId`: the node stopped being a replica (`REPLICAOF NO ONE`,
    /// `FAILOVER`) and the history it had as a replica became its replid2.
    Promotion,
    /// Loaded at startup from the RDB's `repl-id` / `repl-offset` aux fields: a master
    /// that restarted (Redis 7.0, #8015) keeps its history as replid2.
    Rdb,
    /// A replica's master answered `+CONTINUE <new id>` ("Master replication ID changed"):
    /// the old id became replid2, for its own sub-replicas.
    MasterReplidChanged,
}

/// What the decision does not read but what names the dangerous cases: who the
/// master process is and what each side holds. Not an input of [`decide`]: the
/// master fills its part when it decides, the Sim (which sees both processes) the
/// rest; [`situation`] then names the case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Context {
    /// The master's `run_id`.
    pub run_id: String,
    /// The master process's uptime (`uptime_in_seconds`, in ms).
    pub uptime_ms: i64,
    /// Where its `master_replid2` came from.
    pub replid2_from: Replid2From,
    /// Keys in the master's dataset (all databases) when it decided.
    pub keys: u64,
    /// Keys the master loaded from its RDB file when it started (`Done loading RDB,
    /// keys loaded: N`); None when it started with no RDB file (or an unreadable one).
    pub rdb_keys_loaded_at_start: Option<u64>,
    /// The master node ran before: this process is a restart (crash, SHUTDOWN, start).
    pub restarted: bool,
    /// The asking replica's host (the node name, in the simulator).
    pub replica_host: String,
    /// Keys the replica holds when it asks: what a full sync replaces (None when
    /// the replica is not a node of this world).
    pub replica_keys: Option<u64>,
}

/// A case worth naming beyond the checks, computed by [`situation`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "case", rename_all = "snake_case")]
pub enum Situation {
    /// The replica's history is my replid2, reloaded from my RDB when I restarted.
    Restart {
        /// `master_replid2` (the id before the restart).
        replid2: String,
        /// `second_repl_offset` (the saved `repl-offset` + 1).
        second_repl_offset: i64,
        /// Keys loaded from the RDB at startup.
        rdb_keys_loaded: u64,
    },
    /// The replica's history is my replid2, the one I had as a replica before I was promoted.
    Promotion {
        /// `master_replid2`.
        replid2: String,
        /// `second_repl_offset`.
        second_repl_offset: i64,
    },
    /// The master restarted with an empty dataset and a new replid: the full sync will
    /// replace the replica's keys with nothing ("master without persistence").
    CameBackEmpty {
        /// Keys the replica holds, about to be wiped.
        replica_keys: u64,
        /// The master process's uptime (ms).
        uptime_ms: i64,
        /// The RDB file it loaded had no keys (false: it had no RDB file at all).
        had_rdb: bool,
    },
}

/// Name the case a decision belongs to, from the decision and its [`Context`].
///
/// # Returns
/// [`Situation::Restart`] or [`Situation::Promotion`] when the replica asked with my
/// replid2 (whatever the offset check then said); [`Situation::CameBackEmpty`] for a
/// full resync of a replica that holds keys, asked by an empty master that restarted
/// without loading any; None otherwise.
pub fn situation(d: &Decision, cx: &Context) -> Option<Situation> {
    let m = &d.master;
    let via_replid2 = !d.asked_replid.starts_with('?')
        && !d.asked_replid.eq_ignore_ascii_case(&m.replid)
        && d.asked_replid.eq_ignore_ascii_case(&m.replid2);
    if via_replid2 {
        return match cx.replid2_from {
            Replid2From::Rdb => Some(Situation::Restart {
                replid2: m.replid2.clone(),
                second_repl_offset: m.second_repl_offset,
                rdb_keys_loaded: cx.rdb_keys_loaded_at_start.unwrap_or(0),
            }),
            Replid2From::Promotion => Some(Situation::Promotion {
                replid2: m.replid2.clone(),
                second_repl_offset: m.second_repl_offset,
            }),
            _ => None,
        };
    }
    let replica_keys = cx.replica_keys.unwrap_or(0);
    let empty_comeback =
        cx.restarted && cx.keys == 0 && cx.rdb_keys_loaded_at_start.unwrap_or(0) == 0;
    if !d.is_partial() && !d.asked_replid.starts_with('?') && empty_comeback && replica_keys > 0 {
        return Some(Situation::CameBackEmpty {
            replica_keys,
            uptime_ms: cx.uptime_ms,
            had_rdb: cx.rdb_keys_loaded_at_start.is_some(),
        });
    }
    None
}

/// One check of the decision, for the explainer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable id: `replid`, `replid2_offset`, `backlog_exists`, `offset_ge_first_byte`,
    /// `offset_le_window_end`.
    pub id: &'static str,
    /// The check with its values, e.g. `1201 >= first byte 1`.
    pub text: String,
    /// Whether it passed.
    pub passed: bool,
}

/// Why a full resynchronization is needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FullReason {
    /// The replica asked `PSYNC ? -1` (no cached master).
    ReplicaAskedForFull,
    /// The asked id is neither my replid nor my replid2.
    ReplidMismatch,
    /// The asked id is my replid2 but the offset is past where that history ends.
    OffsetBeyondSecondReplid,
    /// I have no backlog.
    NoBacklog,
    /// The offset is older than the backlog's first byte.
    OffsetBeforeBacklog,
    /// The offset is beyond the end of the backlog (ahead of me).
    OffsetAfterBacklog,
}

/// The verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// `+CONTINUE <replid>` and `bytes` bytes of backlog from the asked offset.
    Continue {
        /// Bytes of backlog sent.
        bytes: i64,
        /// Whether the replica asked with my replid2 (a history inherited before a failover).
        via_replid2: bool,
    },
    /// `+FULLRESYNC <replid> <offset>` once an RDB is ready.
    FullResync {
        /// Why.
        reason: FullReason,
    },
}

/// A decision with everything that explains it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The replica, as Redis names it in logs (`ip:port`).
    pub replica: String,
    /// Asked replication id.
    pub asked_replid: String,
    /// Asked offset (the first byte the replica does not have).
    pub asked_offset: i64,
    /// The master's state at that moment.
    pub master: MasterState,
    /// Checks in the order Redis makes them (evaluation stops at the first failure).
    pub checks: Vec<Check>,
    /// The outcome.
    pub verdict: Verdict,
    /// Redis's own log lines for this decision.
    pub log: Vec<String>,
    /// Redis 8.0's rdb channel: `main` when a full verdict was answered
    /// `+RDBCHANNELSYNC` (the RDB comes over a second connection; not counted in
    /// sync_full), `rdb` for that second connection's own `PSYNC ? -1`. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<&'static str>,
    /// The PSYNC said FAILOVER (a master failing over to this replica, which promoted
    /// itself on it just before deciding). Absent when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub failover: bool,
    /// The master's side of the [`Context`] ([`decide`] leaves it default; the master
    /// fills it). Kept out of the event trace: the Sim's `DecisionRecord` carries it.
    #[serde(skip)]
    pub context: Context,
}

impl Decision {
    /// True for `+CONTINUE`.
    pub fn is_partial(&self) -> bool {
        matches!(self.verdict, Verdict::Continue { .. })
    }
}

fn short(id: &str) -> String {
    if id.len() > 10 {
        format!("{}…{}", &id[..4], &id[id.len() - 4..])
    } else {
        id.to_string()
    }
}

/// Decide how to answer `PSYNC asked_replid asked_offset` from `replica`.
///
/// # Returns
/// The [`Decision`]: verdict, checks with their values, and Redis's log lines.
pub fn decide(replica: &str, asked_replid: &str, asked_offset: i64, m: &MasterState) -> Decision {
    let mut checks = Vec::new();
    let mut log = Vec::new();
    let full = |checks, log, reason| Decision {
        replica: replica.to_string(),
        asked_replid: asked_replid.to_string(),
        asked_offset,
        master: m.clone(),
        checks,
        verdict: Verdict::FullResync { reason },
        log,
        channel: None,
        failover: false,
        context: Context::default(),
    };

    // 1. Replication id (case-insensitive, like strcasecmp).
    let is_primary = asked_replid.eq_ignore_ascii_case(&m.replid);
    let is_secondary = asked_replid.eq_ignore_ascii_case(&m.replid2);
    if asked_replid.starts_with('?') {
        checks.push(Check {
            id: "replid",
            text: "replica asked for a full resync (PSYNC ? -1: no cached master)".into(),
            passed: false,
        });
        log.push(format!("Full resync requested by replica {replica}"));
        return full(checks, log, FullReason::ReplicaAskedForFull);
    }
    if is_primary {
        checks.push(Check {
            id: "replid",
            text: format!("replid {} = my replid", short(asked_replid)),
            passed: true,
        });
    } else if is_secondary {
        checks.push(Check {
            id: "replid",
            text: format!(
                "replid {} = my replid2 ({})",
                short(asked_replid),
                match m.replid2_from {
                    Replid2From::Rdb => "reloaded from my RDB when I restarted",
                    Replid2From::MasterReplidChanged =>
                        "my master's history before its replid changed",
                    _ => "history before I was promoted",
                }
            ),
            passed: true,
        });
        let ok = asked_offset <= m.second_repl_offset;
        checks.push(Check {
            id: "replid2_offset",
            text: format!(
                "{} {} second_repl_offset {}",
                asked_offset,
                if ok { "<=" } else { ">" },
                m.second_repl_offset
            ),
            passed: ok,
        });
        if !ok {
            log.push(format!(
                "Partial resynchronization not accepted: Requested offset for second ID was {}, but I can reply up to {}",
                asked_offset, m.second_repl_offset
            ));
            return full(checks, log, FullReason::OffsetBeyondSecondReplid);
        }
    } else {
        checks.push(Check {
            id: "replid",
            text: format!(
                "replid {} is neither my replid {} nor my replid2 {}",
                short(asked_replid),
                short(&m.replid),
                short(&m.replid2)
            ),
            passed: false,
        });
        log.push(format!(
            "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '{}', my replication IDs are '{}' and '{}')",
            asked_replid, m.replid, m.replid2
        ));
        return full(checks, log, FullReason::ReplidMismatch);
    }

    // 2. Backlog window.
    let lack_of_backlog = |log: &mut Vec<String>| {
        log.push(format!(
            "Unable to partial resync with replica {replica} for lack of backlog (Replica request was: {asked_offset})."
        ));
        if asked_offset > m.master_repl_offset {
            log.push(format!(
                "Warning: replica {replica} tried to PSYNC with an offset that is greater than the master replication offset."
            ));
        }
    };
    let Some((first, histlen)) = m.backlog else {
        checks.push(Check {
            id: "backlog_exists",
            text: "I have no replication backlog".into(),
            passed: false,
        });
        lack_of_backlog(&mut log);
        return full(checks, log, FullReason::NoBacklog);
    };
    checks.push(Check {
        id: "backlog_exists",
        text: format!("backlog holds {histlen} bytes from offset {first}"),
        passed: true,
    });
    let ge = asked_offset >= first;
    checks.push(Check {
        id: "offset_ge_first_byte",
        text: format!(
            "{} {} first byte {}",
            asked_offset,
            if ge { ">=" } else { "<" },
            first
        ),
        passed: ge,
    });
    if !ge {
        lack_of_backlog(&mut log);
        return full(checks, log, FullReason::OffsetBeforeBacklog);
    }
    let end = first + histlen;
    let le = asked_offset <= end;
    checks.push(Check {
        id: "offset_le_window_end",
        text: format!(
            "{} {} first byte + histlen = {} + {} = {}",
            asked_offset,
            if le { "<=" } else { ">" },
            first,
            histlen,
            end
        ),
        passed: le,
    });
    if !le {
        lack_of_backlog(&mut log);
        return full(checks, log, FullReason::OffsetAfterBacklog);
    }
    let bytes = histlen - (asked_offset - first);
    log.push(format!(
        "Partial resynchronization request from {replica} accepted. Sending {bytes} bytes of backlog starting from offset {asked_offset}."
    ));
    Decision {
        replica: replica.to_string(),
        asked_replid: asked_replid.to_string(),
        asked_offset,
        master: m.clone(),
        checks,
        verdict: Verdict::Continue {
            bytes,
            via_replid2: !is_primary,
        },
        log,
        channel: None,
        failover: false,
        context: Context::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const C: &str = "cccccccccccccccccccccccccccccccccccccccc";
    const Z: &str = "0000000000000000000000000000000000000000";

    fn master(replid2: &str, second: i64, backlog: Option<(i64, i64)>) -> MasterState {
        MasterState {
            replid: A.into(),
            replid2: replid2.into(),
            second_repl_offset: second,
            master_repl_offset: backlog.map_or(500, |(f, h)| f + h - 1),
            backlog,
            replid2_from: if replid2 == Z {
                Replid2From::None
            } else {
                Replid2From::Promotion
            },
        }
    }

    fn verdict(id: &str, off: i64, m: &MasterState) -> Verdict {
        decide("r1:6379", id, off, m).verdict
    }

    fn full(reason: FullReason) -> Verdict {
        Verdict::FullResync { reason }
    }

    fn cont(bytes: i64, via_replid2: bool) -> Verdict {
        Verdict::Continue { bytes, via_replid2 }
    }

    /// Every branch of the decision, including both edges of the backlog window.
    #[test]
    fn decision_table() {
        // Window: first byte 101, histlen 400 -> bytes 101..=500, master offset 500.
        let w = Some((101, 400));
        let m = master(Z, -1, w);
        let upper = A.to_uppercase();
        let no_backlog = master(Z, -1, None);
        let m2 = master(B, 301, w);
        let cases: Vec<(&str, i64, &MasterState, Verdict)> = vec![
            ("?", -1, &m, full(FullReason::ReplicaAskedForFull)),
            (C, 200, &m, full(FullReason::ReplidMismatch)),
            (B, 200, &m, full(FullReason::ReplidMismatch)), // B only matches as replid2
            (A, 100, &m, full(FullReason::OffsetBeforeBacklog)), // one below first byte
            (A, 101, &m, cont(400, false)),                 // exactly the first byte
            (A, 300, &m, cont(201, false)),                 // inside
            (A, 500, &m, cont(1, false)),                   // last byte
            (A, 501, &m, cont(0, false)),                   // caught up: master offset + 1
            (A, 502, &m, full(FullReason::OffsetAfterBacklog)), // ahead of the master
            (&upper, 300, &m, cont(201, false)),            // case-insensitive
            (B, 301, &m2, cont(200, true)),                 // replid2 up to second offset
            (B, 302, &m2, full(FullReason::OffsetBeyondSecondReplid)),
            (B, 100, &m2, full(FullReason::OffsetBeforeBacklog)),
            (A, 1, &no_backlog, full(FullReason::NoBacklog)),
        ];
        for (id, off, m, want) in cases {
            assert_eq!(verdict(id, off, m), want, "PSYNC {id} {off}");
        }
    }

    #[test]
    fn log_lines_use_redis_wording() {
        let m = master(Z, -1, Some((1, 54)));
        let d = decide("r1:6379", A, 55, &m);
        assert_eq!(
            d.log,
            ["Partial resynchronization request from r1:6379 accepted. Sending 0 bytes of backlog starting from offset 55."]
        );
        let d = decide("r1:6379", C, 55, &m);
        assert_eq!(d.log[0], format!("Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '{C}', my replication IDs are '{A}' and '{Z}')"));
        let d = decide("r1:6379", A, 99, &m);
        assert_eq!(d.log.len(), 2);
        assert!(d.log[1].starts_with("Warning: replica r1:6379 tried to PSYNC"));
        assert_eq!(d.checks.len(), 4);
        assert!(!d.checks[3].passed);
    }

    fn context(replid2_from: Replid2From) -> Context {
        Context {
            run_id: C.into(),
            uptime_ms: 400,
            replid2_from,
            keys: 3,
            rdb_keys_loaded_at_start: Some(3),
            restarted: true,
            replica_host: "r1".into(),
            replica_keys: Some(3),
        }
    }

    /// The same PSYNC through replid2 is a restart or a promotion depending only on
    /// where replid2 came from; the verdict does not change, the check's words do.
    #[test]
    fn restart_and_promotion_are_named_apart() {
        let mut m = master(B, 301, Some((101, 400)));
        let promoted = decide("r1:6379", B, 301, &m);
        m.replid2_from = Replid2From::Rdb;
        let restarted = decide("r1:6379", B, 301, &m);
        assert_eq!(promoted.verdict, restarted.verdict);
        assert_eq!(
            promoted.checks[0].text,
            "replid bbbb…bbbb = my replid2 (history before I was promoted)"
        );
        assert_eq!(
            restarted.checks[0].text,
            "replid bbbb…bbbb = my replid2 (reloaded from my RDB when I restarted)"
        );
        assert_eq!(
            situation(&restarted, &context(Replid2From::Rdb)),
            Some(Situation::Restart {
                replid2: B.into(),
                second_repl_offset: 301,
                rdb_keys_loaded: 3
            })
        );
        assert_eq!(
            situation(&promoted, &context(Replid2From::Promotion)),
            Some(Situation::Promotion {
                replid2: B.into(),
                second_repl_offset: 301
            })
        );
        // Past the end of the reloaded history: still a restart, and a full resync.
        let beyond = decide("r1:6379", B, 302, &m);
        assert!(!beyond.is_partial());
        assert!(matches!(
            situation(&beyond, &context(Replid2From::Rdb)),
            Some(Situation::Restart { .. })
        ));
        // Asked with my own replid: nothing to name.
        assert_eq!(
            situation(&decide("r1:6379", A, 301, &m), &context(Replid2From::Rdb)),
            None
        );
    }

    /// An empty master that restarted wipes a replica that holds keys; the same full
    /// resync is not named when the master has data, never restarted, or the replica
    /// is empty or asked for a full sync itself.
    #[test]
    fn came_back_empty_needs_an_empty_restarted_master_and_a_replica_with_keys() {
        let m = master(Z, -1, None);
        let d = decide("r1:6379", C, 51, &m);
        let empty = Context {
            keys: 0,
            rdb_keys_loaded_at_start: None,
            ..context(Replid2From::None)
        };
        assert_eq!(
            situation(&d, &empty),
            Some(Situation::CameBackEmpty {
                replica_keys: 3,
                uptime_ms: 400,
                had_rdb: false
            })
        );
        let with_empty_rdb = Context {
            rdb_keys_loaded_at_start: Some(0),
            ..empty.clone()
        };
        assert!(matches!(
            situation(&d, &with_empty_rdb),
            Some(Situation::CameBackEmpty { had_rdb: true, .. })
        ));
        for not_it in [
            Context {
                keys: 2,
                ..empty.clone()
            },
            Context {
                restarted: false,
                ..empty.clone()
            },
            Context {
                replica_keys: Some(0),
                ..empty.clone()
            },
            Context {
                replica_keys: None,
                ..empty.clone()
            },
        ] {
            assert_eq!(situation(&d, &not_it), None, "{not_it:?}");
        }
        assert_eq!(situation(&decide("r1:6379", "?", -1, &m), &empty), None);
    }

    /// The trace keeps its shape: the new facts are not serialized with the decision.
    #[test]
    fn context_stays_out_of_the_serialized_decision() {
        let mut m = master(B, 301, Some((101, 400)));
        m.replid2_from = Replid2From::Rdb;
        let mut d = decide("r1:6379", B, 301, &m);
        d.context = context(Replid2From::Rdb);
        let v = serde_json::to_value(&d).unwrap();
        let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "asked_offset",
                "asked_replid",
                "checks",
                "log",
                "master",
                "replica",
                "verdict"
            ]
        );
        assert_eq!(
            v["master"].as_object().unwrap().len(),
            5,
            "replid, replid2, second_repl_offset, master_repl_offset, backlog"
        );
    }
}
