//! An [`Explanation`] as the text `replscope explain` prints.
//!
//! ```text
//! replica sends  PSYNC 8f3a…c2 1201   (its cached master: slave_repl_offset 1200 + 1)
//! master checks, in Redis's order:
//!   ✓ replid 8f3a…c2 = my replid
//!   …
//! verdict        +CONTINUE: partial resync, 200 bytes of backlog
//! ```

use super::{Explanation, NoVerdict, Note, Outcome, PsyncRule, BACKLOG_BLOCK_BYTES};
use crate::repl::psync::Verdict;
use std::fmt::Write;

fn secs(s: i64) -> String {
    if s < 1 {
        "less than 1 s".to_string()
    } else if s >= 7200 {
        format!("{} h {} min", s / 3600, s % 3600 / 60)
    } else if s >= 120 {
        match s % 60 {
            0 => format!("{} min", s / 60),
            r => format!("{} min {r} s", s / 60),
        }
    } else {
        format!("{s} s")
    }
}

/// A duration estimated from a write rate: "about 5 s", or "less than 1 s" (not "about
/// less than 1 s").
fn about(s: i64) -> String {
    if s < 1 {
        secs(s)
    } else {
        format!("about {}", secs(s))
    }
}

/// The explanation, one fact a line.
pub fn report(e: &Explanation) -> String {
    let mut o = String::new();
    if let (Some(m), Some(r)) = (&e.master_product, &e.replica_product) {
        let _ = writeln!(o, "servers        master {m}, replica {r}");
    }
    if let Some(p) = &e.psync {
        let why = match p.rule {
            PsyncRule::CachedMaster => {
                &*format!("its cached master: slave_repl_offset {} + 1", p.offset - 1)
            }
            PsyncRule::OwnHistory => &*format!(
                "a master turned replica continues its own history: master_repl_offset {} + 1",
                p.offset - 1
            ),
            PsyncRule::NoCachedMaster => "no cached master: it has no history to continue",
            PsyncRule::FullSyncInProgress => {
                "a full sync is in progress: its cached master was discarded"
            }
        };
        let _ = writeln!(
            o,
            "replica sends  PSYNC {} {}   ({why})",
            p.replid, p.offset
        );
    }
    for n in &e.notes {
        let t = match n {
            Note::LinkUp => "the replica's link is up: this is what it sends if the link breaks now".to_string(),
            Note::ViaReplid2 => "it asks with the master's replid2: the master was promoted, or restarted from its RDB (INFO does not say which)".to_string(),
            Note::MasterIsReplica => "the master pasted is itself a replica: it answers from its own backlog".to_string(),
            Note::Versions { master, replica } => format!("the servers differ: master {master}, replica {replica}"),
        };
        let _ = writeln!(o, "note           {t}");
    }
    if let Some(d) = &e.decision {
        let _ = writeln!(
            o,
            "master checks, in Redis's order (it stops at the first failure):"
        );
        for c in &d.checks {
            let _ = writeln!(o, "  {} {}", if c.passed { "✓" } else { "✕" }, c.text);
        }
        let v = match &d.verdict {
            Verdict::Continue { bytes, .. } => {
                format!("+CONTINUE: partial resync, {bytes} bytes of backlog")
            }
            Verdict::FullResync { reason } => format!(
                "+FULLRESYNC: full sync, an RDB snapshot ({})",
                serde_json::to_value(reason)
                    .ok()
                    .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                    .unwrap_or_default()
            ),
        };
        let _ = writeln!(o, "verdict        {v}");
        for l in &d.log {
            let _ = writeln!(o, "master log     {l}");
        }
    }
    if let Some(n) = e.no_verdict {
        let t = match n {
            NoVerdict::MasterLinkDown => "no sync now: the master is a replica whose own link is down (-NOMASTERLINK Can't SYNC while not connected with my master); the replica retries every second",
            NoVerdict::FailingOver => "no sync now: the master is failing over (-NOMASTERLINK Can't SYNC while failing over)",
            NoVerdict::CachedMasterUnknown => "cannot tell: slave_repl_offset:1 and master_repl_offset:1 read the same with and without a cached master (PSYNC <replid> 2 or PSYNC ? -1)",
        };
        let _ = writeln!(o, "verdict        {t}");
    }
    if let Some(m) = &e.margin {
        if m.behind_bytes < 0 {
            let _ = writeln!(
                o,
                "ahead          {} bytes: the replica holds more than the master (master restarted with less data, or another server); a full resync replaces the replica's data with the master's",
                -m.behind_bytes
            );
        } else {
            let _ = writeln!(
                o,
                "behind         {} bytes (master_repl_offset minus what the replica has)",
                m.behind_bytes
            );
        }
        match m.slack_bytes {
            Some(s) if s >= 0 => {
                let _ = writeln!(o, "margin         the master may write {s} more bytes before this PSYNC falls out of the backlog (repl-backlog-size {}; Redis frees it in {} KB blocks, so give or take that)", m.backlog_size, BACKLOG_BLOCK_BYTES / 1024);
            }
            _ => {}
        }
        if let Some(r) = &m.rate {
            let src = match r.measured {
                Some((b, s)) => format!(" (measured: {b} bytes in {s} s)"),
                None => String::new(),
            };
            let _ = writeln!(o, "write rate     {} bytes/s{src}", r.bytes_per_s);
            if let Some(s) = m.slack_s {
                let _ = writeln!(
                    o,
                    "time left      this replica may stay away {} more",
                    about(s)
                );
            }
            if let Some(w) = m.window_s {
                let _ = writeln!(
                    o,
                    "backlog covers an outage of {} for a replica that was caught up",
                    about(w)
                );
            }
        }
        if let (Some(t), Some(b), Some(c)) = (m.outage_s, m.needed_bytes, &m.needed_config) {
            let _ = writeln!(
                o,
                "to survive {}  {c}  ({b} bytes: {t} s of writes)",
                secs(t)
            );
        }
    }
    let _ = writeln!(
        o,
        "outcome        {}",
        match e.outcome {
            Outcome::Partial => "partial resync",
            Outcome::Full => "full sync",
            Outcome::Refused => "refused for now",
            Outcome::CannotTell => "cannot tell",
        }
    );
    o
}
