//! Seeded replication state: a node that starts with the replication ids, offsets and
//! backlog window of a real server (what `replscope explain --scenario` writes from a
//! pasted `INFO`), so a pasted world can be replayed — disconnect, write, reconnect.
//!
//! Simulator-only `node` parameters, named after the `INFO replication` fields they
//! set (no real server accepts them; the conformance suite skips scenarios that use
//! them):
//!
//! ```text
//! node m replid=8f3a…c2 replid2=0000…00 second_repl_offset=-1 master_repl_offset=5000
//!        repl_backlog_first_byte_offset=1 repl_backlog_histlen=5000 repl-backlog-size=1mb
//! ```
//!
//! They take effect when the node's first process has booted (after it loaded its RDB,
//! if any), replacing what it would otherwise have (a fresh random replid, offset 0, no
//! backlog); a restart boots as usual. The backlog holds `repl_backlog_histlen`
//! placeholder bytes — newlines, which a replica applies as empty inline lines, so any
//! offset in the window is a command boundary — in blocks of the size Redis would have
//! allocated; what the real server wrote there is not known from INFO, and the keyspace
//! stays empty. A replica is seeded as a master whose own history is the replica's
//! (`replid=` its `master_replid`, `master_repl_offset=` its `slave_repl_offset`): a
//! `REPLICAOF` then makes it offer exactly that history (`PSYNC <replid> <offset + 1>`,
//! Redis's `replicationCacheMasterUsingMyself`), the PSYNC a replica with that cached
//! master sends.

use crate::node::Node;
use crate::repl::backlog::{block_bytes, Backlog, Block};
use crate::repl::NULL_REPLID;
use std::sync::Arc;

/// The parameter names, as `INFO replication` spells the fields.
pub const SEED_PARAMS: [&str; 6] = [
    "replid",
    "replid2",
    "second_repl_offset",
    "master_repl_offset",
    "repl_backlog_first_byte_offset",
    "repl_backlog_histlen",
];

/// The most placeholder bytes a seeded backlog holds (64 MB): the simulator keeps
/// every byte of its backlogs.
pub const SEED_HISTLEN_MAX: i64 = 64 * 1024 * 1024;

/// The byte a seeded backlog is filled with (an empty inline line to a replica).
pub const PLACEHOLDER: u8 = b'\n';

/// A node's seeded replication state (each part optional).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seed {
    /// `master_replid`.
    pub replid: Option<String>,
    /// `master_replid2`.
    pub replid2: Option<String>,
    /// `second_repl_offset`.
    pub second_repl_offset: Option<i64>,
    /// `master_repl_offset`.
    pub master_repl_offset: Option<i64>,
    /// `repl_backlog_first_byte_offset`.
    pub first_byte: Option<i64>,
    /// `repl_backlog_histlen`.
    pub histlen: Option<i64>,
}

fn replid(key: &str, value: &str) -> Result<String, String> {
    if value.len() == 40 && value.bytes().all(|c| c.is_ascii_hexdigit()) {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(format!(
            "{key}={value}: a replication id is 40 hexadecimal digits"
        ))
    }
}

fn offset(key: &str, value: &str, min: i64) -> Result<i64, String> {
    match crate::redis_util::string2ll(value.as_bytes()) {
        Some(n) if n >= min => Ok(n),
        _ => Err(format!("{key}={value}: an integer of at least {min}")),
    }
}

impl Seed {
    /// Whether `key` is a seed parameter.
    pub fn is_param(key: &str) -> bool {
        SEED_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(key))
    }

    /// Set one parameter.
    ///
    /// # Errors
    /// A message naming the parameter when `value` is not one Redis prints there.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let v = value.trim();
        match key.to_ascii_lowercase().as_str() {
            "replid" => self.replid = Some(replid(key, v)?),
            "replid2" => self.replid2 = Some(replid(key, v)?),
            "second_repl_offset" => self.second_repl_offset = Some(offset(key, v, -1)?),
            "master_repl_offset" => self.master_repl_offset = Some(offset(key, v, 0)?),
            "repl_backlog_first_byte_offset" => self.first_byte = Some(offset(key, v, 0)?),
            "repl_backlog_histlen" => self.histlen = Some(offset(key, v, 0)?),
            _ => return Err(format!("{key}: not a seeded replication field")),
        }
        Ok(())
    }

    /// True when no parameter was given.
    pub fn is_empty(&self) -> bool {
        *self == Seed::default()
    }

    /// Check that the parts fit together as on a real server.
    ///
    /// # Errors
    /// What does not fit, naming the parameters.
    pub fn validate(&self) -> Result<(), String> {
        match (self.first_byte, self.histlen) {
            (None, None) => {}
            (Some(first), Some(histlen)) => {
                let Some(off) = self.master_repl_offset else {
                    return Err(
                        "a seeded backlog needs master_repl_offset (where its window ends)".into(),
                    );
                };
                if histlen > SEED_HISTLEN_MAX {
                    return Err(format!(
                        "repl_backlog_histlen={histlen}: the simulator seeds at most {SEED_HISTLEN_MAX} bytes of backlog"
                    ));
                }
                if first + histlen - 1 != off {
                    return Err(format!(
                        "repl_backlog_first_byte_offset={first} + repl_backlog_histlen={histlen} - 1 must be master_repl_offset={off}"
                    ));
                }
            }
            _ => {
                return Err(
                    "repl_backlog_first_byte_offset and repl_backlog_histlen go together".into(),
                )
            }
        }
        if let (Some(second), Some(off)) = (self.second_repl_offset, self.master_repl_offset) {
            if second > off + 1 {
                return Err(format!(
                    "second_repl_offset={second} is past master_repl_offset={off} + 1"
                ));
            }
        }
        Ok(())
    }

    /// Give a booted node this state (its backlog, if any, replaced by the seeded one),
    /// at Unix time `unixtime`: a seeded backlog's `repl-backlog-ttl` counts from then,
    /// as if its last replica had just left.
    pub fn apply(&self, node: &mut Node, unixtime: i64) {
        let r = &mut node.repl;
        if let Some(id) = &self.replid {
            r.replid = id.clone();
        }
        if let Some(id) = &self.replid2 {
            r.replid2 = id.clone();
            if id == NULL_REPLID {
                r.second_replid_offset = -1;
            }
        }
        if let Some(o) = self.second_repl_offset {
            r.second_replid_offset = o;
        }
        if let Some(o) = self.master_repl_offset {
            r.master_repl_offset = o;
            if let Some(b) = r.backlog.take() {
                r.next_block_id = b.next_block_id;
            }
        }
        if let (Some(first), Some(histlen)) = (self.first_byte, self.histlen) {
            r.backlog = Some(placeholder_backlog(
                first,
                histlen,
                node.cfg.repl_backlog_size_bytes,
                &mut r.next_block_id,
            ));
            r.no_slaves_since = unixtime;
        }
    }
}

/// A backlog whose window is `first .. first + histlen - 1`, of placeholder bytes, in
/// the blocks feeding that many bytes would have made (`feedReplicationBuffer`'s sizes).
fn placeholder_backlog(first: i64, histlen: i64, size: i64, next_id: &mut u64) -> Backlog {
    let mut b = Backlog::new(first - 1, size, *next_id);
    let mut left = histlen as usize;
    let mut at = first;
    while left > 0 {
        let cap = block_bytes(left, size);
        let n = cap.min(left);
        b.blocks.push_back(Block {
            id: b.next_block_id,
            repl_offset: at,
            size: cap,
            data: Arc::new(vec![PLACEHOLDER; n]),
            refcount: 0,
        });
        b.next_block_id += 1;
        left -= n;
        at += n as i64;
    }
    if let Some(head) = b.blocks.front_mut() {
        head.refcount = 1;
        b.has_head_ref = true;
    }
    b.histlen = histlen;
    *next_id = b.next_block_id;
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked_and_fit_together() {
        let mut s = Seed::default();
        assert!(Seed::is_param("repl_backlog_histlen") && !Seed::is_param("repl-backlog-size"));
        assert!(s
            .set("replid", "xyz")
            .unwrap_err()
            .contains("40 hexadecimal"));
        s.set("replid", &"AB".repeat(20)).unwrap();
        assert_eq!(s.replid.as_deref(), Some("ab".repeat(20).as_str()));
        assert!(s.set("master_repl_offset", "-3").is_err());
        s.set("master_repl_offset", "5000").unwrap();
        s.set("repl_backlog_histlen", "4000").unwrap();
        assert!(s.validate().unwrap_err().contains("go together"));
        s.set("repl_backlog_first_byte_offset", "1000").unwrap();
        assert!(s
            .validate()
            .unwrap_err()
            .contains("must be master_repl_offset=5000"));
        s.set("repl_backlog_first_byte_offset", "1001").unwrap();
        s.validate().unwrap();
    }

    #[test]
    fn the_placeholder_backlog_has_the_window_and_redis_block_sizes() {
        let mut next = 7;
        let b = placeholder_backlog(1001, 40_000, 1 << 20, &mut next);
        assert_eq!((b.offset, b.histlen), (1001, 40_000));
        let used: usize = b.blocks.iter().map(|k| k.used()).sum();
        assert_eq!(used, 40_000);
        // 1 MB backlog: blocks of up to 64 KB (size/16), jemalloc-rounded.
        assert_eq!(b.blocks.len(), 1);
        assert_eq!(b.blocks[0].repl_offset, 1001);
        assert_eq!(b.blocks[0].refcount, 1);
        assert_eq!((b.blocks[0].id, next), (7, 8));
        let small = placeholder_backlog(1, 50_000, 16 * 1024, &mut next);
        assert_eq!(small.blocks.len(), 3);
        assert!(small
            .blocks
            .iter()
            .all(|k| k.data.iter().all(|&c| c == PLACEHOLDER)));
        assert_eq!(
            small.blocks[1].repl_offset,
            1 + small.blocks[0].used() as i64
        );
    }
}
