//! "Open as a scenario": a scenario whose world starts with the pasted replication ids,
//! offsets and backlog window (the sim-only seeded `node` parameters of
//! [`crate::sim::seed`]), in which the replica then connects to the master, so the
//! decision [`super::explain`] predicted happens in the simulator — and the engineer
//! can disconnect, write and reconnect from there.
//!
//! ```text
//! node m version=redis-7.0 repl-backlog-size=1048576 replid=b3af… replid2=0000…
//!        second_repl_offset=-1 master_repl_offset=2832 repl_backlog_first_byte_offset=1
//!        repl_backlog_histlen=2832
//! node r version=redis-7.0 replid=b3af… master_repl_offset=152
//! r> REPLICAOF m
//! wait sync
//! expect m sync_partial_ok = 1
//! ```

use super::{master_state, Explanation, Info, InputError, Outcome, PsyncRule};
use crate::sim::seed::SEED_HISTLEN_MAX;

/// The simulator's version for a pasted product (`Redis 8.0.2` → `redis-8.0`), if it
/// models that series.
fn version_of(info: &Info) -> Option<&'static str> {
    let p = info.product()?;
    if let Some(v) = p.strip_prefix("Valkey ") {
        return v.starts_with("8.1.").then_some("valkey-8.1");
    }
    let v = p.strip_prefix("Redis ")?;
    if v.starts_with("8.0.") {
        Some("redis-8.0")
    } else if v.starts_with("7.0.") {
        Some("redis-7.0")
    } else {
        None
    }
}

fn version_param(info: &Info, who: &str, notes: &mut Vec<String>) -> String {
    match (version_of(info), info.product()) {
        (Some(v), _) => format!(" version={v}"),
        (None, Some(p)) => {
            notes.push(format!(
                "# {who}: {p} is not a version the simulator models: it runs as Redis 7.0."
            ));
            String::new()
        }
        (None, None) => {
            notes.push(format!(
                "# {who}: no INFO server pasted (no version): it runs as Redis 7.0."
            ));
            String::new()
        }
    }
}

/// Why there is no scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum NoScenario {
    /// The master refuses to sync now (`-NOMASTERLINK`).
    Refused,
    /// INFO cannot tell which PSYNC the replica sends.
    NoPsync,
    /// A field of the master's INFO is missing or bad.
    Master(InputError),
    /// The master's backlog holds more bytes than the simulator seeds.
    Backlog(i64),
}

impl std::fmt::Display for NoScenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoScenario::Refused => f.write_str("no scenario: the master refuses to sync now (-NOMASTERLINK); the verdict depends on what it holds when its own link is back"),
            NoScenario::NoPsync => f.write_str("no scenario: these pastes do not tell which PSYNC the replica sends"),
            NoScenario::Master(e) => super::ExplainError {
                paste: super::Paste::Master,
                error: e.clone(),
            }
            .fmt(f),
            NoScenario::Backlog(histlen) => write!(f, "no scenario: the master's backlog holds {histlen} bytes; the simulator seeds at most {SEED_HISTLEN_MAX}"),
        }
    }
}

/// The scenario for an explanation of `master` and `replica`.
///
/// # Errors
/// Why there is none: no verdict (the master refuses to sync now, or INFO cannot tell
/// the PSYNC), a missing field, or a backlog larger than the simulator seeds.
pub fn scenario_text(master: &Info, replica: &Info, e: &Explanation) -> Result<String, String> {
    scenario(master, replica, e).map_err(|e| e.to_string())
}

/// [`scenario_text`], with why there is none as a value (the page words it itself, so
/// the wasm holds none of these sentences).
///
/// # Errors
/// Why there is none.
pub fn scenario(master: &Info, replica: &Info, e: &Explanation) -> Result<String, NoScenario> {
    let (Some(p), Some(d)) = (&e.psync, &e.decision) else {
        return Err(match e.outcome {
            Outcome::Refused => NoScenario::Refused,
            _ => NoScenario::NoPsync,
        });
    };
    let ms = master_state(master).map_err(NoScenario::Master)?;
    let size = master
        .int("repl_backlog_size")
        .map_err(NoScenario::Master)?;
    let mut notes = Vec::new();
    let mv = version_param(master, "the master", &mut notes);
    let rv = version_param(replica, "the replica", &mut notes);
    let mut m = format!(
        "node m{mv} repl-backlog-size={size} replid={} replid2={} second_repl_offset={} master_repl_offset={}",
        ms.replid.to_ascii_lowercase(),
        ms.replid2.to_ascii_lowercase(),
        ms.second_repl_offset,
        ms.master_repl_offset
    );
    if let Some((first, histlen)) = ms.backlog {
        if histlen > SEED_HISTLEN_MAX {
            return Err(NoScenario::Backlog(histlen));
        }
        m.push_str(&format!(
            " repl_backlog_first_byte_offset={first} repl_backlog_histlen={histlen}"
        ));
    }
    let verdict = match &d.verdict {
        crate::repl::psync::Verdict::Continue { bytes, .. } => {
            format!("+CONTINUE, {bytes} bytes of backlog")
        }
        _ => "+FULLRESYNC (a full sync)".to_string(),
    };
    let mut out = vec![
        "# Opened from pasted INFO (replscope explain): the master's and the replica's".to_string(),
        "# replication ids, offsets and backlog window, as seeded node parameters (sim-only)."
            .to_string(),
        "# The backlog holds placeholder bytes and the keyspace is empty: only the ids,"
            .to_string(),
        "# offsets and window are the pasted ones.".to_string(),
        format!("# Predicted: PSYNC {} {} -> {verdict}", p.replid, p.offset),
    ];
    if master.is_replica().unwrap_or(false) {
        out.push(
            "# The pasted master is itself a replica: here it is a master with its history.".into(),
        );
    }
    out.extend(notes);
    out.push(m);
    if p.offset < 0 {
        // PSYNC ? -1: a replica with no cached master, which a configured replicaof gives.
        out.push(format!("node r{rv} replicaof=m"));
    } else {
        let how = match p.rule {
            PsyncRule::OwnHistory => "its own history (a master made a replica)",
            _ => "its cached master's history, as its own",
        };
        out.push(format!(
            "# The replica offers {how}: REPLICAOF sends PSYNC <replid> <offset + 1>."
        ));
        out.push(format!(
            "node r{rv} replid={} master_repl_offset={}",
            p.replid.to_ascii_lowercase(),
            p.offset - 1
        ));
        out.push("r> REPLICAOF m".into());
    }
    out.push("wait sync".into());
    if e.outcome == Outcome::Partial {
        out.push("expect m sync_partial_ok = 1".into());
    } else {
        out.push("expect m sync_partial_ok = 0".into());
    }
    out.push("expect r slave_repl_offset = m.master_repl_offset".into());
    Ok(out.join("\n") + "\n")
}
