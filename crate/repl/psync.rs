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
                "replid {} = my replid2 (history before I was promoted)",
                short(asked_replid)
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
}
