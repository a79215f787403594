//! Reducing a transcript to what must agree between the worlds, and diffing two.
//!
//! - Replication ids and run ids (any 40-hex word) are compared by identity: each
//!   distinct one becomes `ID1`, `ID2` ... in order of first appearance in its own
//!   transcript (40 zeros, the "no id" value, stays as it is).
//! - INFO keeps only deterministic fields ([`INFO_FIELDS`], `slaveN` state and
//!   offset, `dbN` keys and expires). Timing (lag, *_seconds_ago, uptime, time),
//!   host, port and ip, and process facts (memory, pids, counters the harness's own
//!   polling moves) are dropped.
//! - ROLE drops hosts and ports; KEYS/SMEMBERS-style replies are sorted multisets;
//!   HGETALL and CONFIG GET are compared as maps.
//! - "Could not connect to Redis at HOST:PORT" (Valkey's cli: "to Valkey at") loses its
//!   address.

use crate::transcript::{is_db_n, is_slave_n, parse_info, sub_item, Entry, Obs, Transcript};
use std::collections::HashMap;

/// INFO fields whose values must agree (ids among them are mapped).
pub const INFO_FIELDS: &[&str] = &[
    "redis_version",
    "server_name",
    "valkey_version",
    "valkey_release_stage",
    "run_id",
    "loading",
    "rdb_changes_since_last_save",
    "rdb_last_bgsave_status",
    "rdb_saves",
    "rdb_last_load_keys_expired",
    "rdb_last_load_keys_loaded",
    "aof_enabled",
    "total_forks",
    "sync_full",
    "sync_partial_ok",
    "sync_partial_err",
    "expired_keys",
    "evicted_keys",
    "keyspace_hits",
    "keyspace_misses",
    "role",
    "master_link_status",
    "master_sync_in_progress",
    "slave_read_repl_offset",
    "slave_repl_offset",
    "slave_priority",
    "slave_read_only",
    "replica_announced",
    "connected_slaves",
    "min_slaves_good_slaves",
    "replicas_waiting_psync",
    "master_failover_state",
    "master_replid",
    "master_replid2",
    "master_repl_offset",
    "second_repl_offset",
    "repl_backlog_active",
    "repl_backlog_size",
    "repl_backlog_first_byte_offset",
    "repl_backlog_histlen",
];

/// INFO fields whose values depend on time or on the host; an `expect` on one of
/// them is compared by its verdict only.
fn timing_field(f: &str) -> bool {
    let base = f.split('.').next().unwrap_or(f);
    f.ends_with(".lag")
        || f.ends_with(".ip")
        || f.ends_with(".port")
        || f.ends_with(".avg_ttl")
        || base.contains("seconds")
        || base.contains("time")
        || base.contains("uptime")
        || base.contains("_sec")
        || base.contains("port")
        || base.contains("host")
        || base.contains("process_id")
        || base.contains("bytes")
        || base.contains("memory")
        || base.contains("connections")
        || base.contains("clients")
        || base.contains("commands_processed")
}

/// Maps 40-hex words to `ID1`, `ID2` ... in order of first appearance.
#[derive(Default)]
pub struct IdMap {
    seen: HashMap<String, usize>,
}

impl IdMap {
    /// Replace every 40-hex word of `text`.
    pub fn map(&mut self, text: &str) -> String {
        let b = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < b.len() {
            let hex = |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
            if hex(b[i]) && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
                let mut j = i;
                while j < b.len() && hex(b[j]) {
                    j += 1;
                }
                let word = &text[i..j];
                let boundary = j == b.len() || !b[j].is_ascii_alphanumeric();
                if j - i == 40 && boundary && word.bytes().any(|c| c != b'0') {
                    let n = self.seen.len() + 1;
                    let id = *self.seen.entry(word.to_string()).or_insert(n);
                    out.push_str(&format!("ID{id}"));
                    i = j;
                    continue;
                }
                out.push_str(word);
                i = j;
                continue;
            }
            let ch = text[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }
}

/// One comparable item: a label (a field name, or "reply") and its value.
pub type Item = (String, String);

fn cmd_name(argv: &[Vec<u8>], i: usize) -> String {
    argv.get(i)
        .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
        .unwrap_or_default()
}

/// Each line of an array reply without its `N) ` prefixes.
fn elements(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let mut s = l.trim_start();
            loop {
                let digits = s.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 && s[digits..].starts_with(") ") {
                    s = s[digits + 2..].trim_start();
                } else {
                    break;
                }
            }
            s.to_string()
        })
        .collect()
}

fn is_array_text(text: &str) -> bool {
    text.starts_with("1) ")
}

/// The items of an INFO reply.
fn info_items(text: &str, ids: &mut IdMap) -> Vec<Item> {
    let mut items = Vec::new();
    for (k, v) in parse_info(text) {
        if is_slave_n(&k) {
            let state = sub_item(&v, "state").unwrap_or_default();
            let offset = sub_item(&v, "offset").unwrap_or_default();
            // Valkey adds the connection's type (replica, or rdb-channel during a
            // dual-channel full sync).
            let kind = sub_item(&v, "type")
                .map(|t| format!(",type={t}"))
                .unwrap_or_default();
            items.push((k, format!("state={state},offset={offset}{kind}")));
        } else if is_db_n(&k) {
            let keys = sub_item(&v, "keys").unwrap_or_default();
            let expires = sub_item(&v, "expires").unwrap_or_default();
            items.push((k, format!("keys={keys},expires={expires}")));
        } else if INFO_FIELDS.contains(&k.as_str()) {
            let v = ids.map(&v);
            items.push((k, v));
        }
    }
    items
}

/// The items of a console reply to `argv`.
fn reply_items(argv: &[Vec<u8>], text: &str, ids: &mut IdMap) -> Vec<Item> {
    let (c0, c1) = (cmd_name(argv, 0), cmd_name(argv, 1));
    let one = |v: String| vec![("reply".to_string(), v)];
    for product in ["Redis", "Valkey"] {
        if text.starts_with(&format!("Could not connect to {product} at ")) {
            return one(format!(
                "Could not connect to {product}: Connection refused"
            ));
        }
    }
    if text.starts_with("(error)") || !is_array_text(text) && c0 != "info" {
        return one(ids.map(text));
    }
    match (c0.as_str(), c1.as_str()) {
        ("info", _) => info_items(text, ids),
        ("role", _) => {
            let e = elements(text);
            let keep: Vec<String> = match e.first().map(String::as_str) {
                Some("\"master\"") => e
                    .iter()
                    .take(2)
                    .cloned()
                    .chain(e.iter().skip(2).skip(2).step_by(3).cloned())
                    .collect(),
                Some("\"slave\"") => [0, 3, 4]
                    .iter()
                    .filter_map(|&i| e.get(i).cloned())
                    .collect(),
                _ => e,
            };
            one(keep.join(" | "))
        }
        ("keys", _)
        | ("smembers", _)
        | ("sunion", _)
        | ("sinter", _)
        | ("sdiff", _)
        | ("hkeys", _)
        | ("hvals", _) => {
            let mut e = elements(text);
            e.sort();
            one(ids.map(&e.join(" | ")))
        }
        ("hgetall", _) | ("config", "get") => {
            let e = elements(text);
            let mut pairs: Vec<String> = e.chunks(2).map(|c| c.join(" => ")).collect();
            pairs.sort();
            one(ids.map(&pairs.join(" | ")))
        }
        _ => one(ids.map(text)),
    }
}

/// A statement reduced to its comparable items.
pub struct Reduced {
    /// Line.
    pub line: usize,
    /// The statement as written.
    pub text: String,
    /// Items, in order.
    pub items: Vec<Item>,
    /// For expects: whether it held.
    pub held: Option<bool>,
    /// For an error: the message.
    pub error: Option<String>,
}

/// Reduce a whole transcript (ids numbered in its own order of appearance).
pub fn reduce(t: &Transcript) -> Vec<Reduced> {
    let mut ids = IdMap::default();
    t.entries
        .iter()
        .map(|e| reduce_entry(e, &mut ids))
        .collect()
}

fn reduce_entry(e: &Entry, ids: &mut IdMap) -> Reduced {
    let mut r = Reduced {
        line: e.line,
        text: e.text.clone(),
        items: Vec::new(),
        held: None,
        error: None,
    };
    match &e.obs {
        Obs::Reply { argv, text } => r.items = reply_items(argv, text, ids),
        Obs::ExpectReply { argv, text, held } => {
            r.items = reply_items(argv, text, ids);
            r.held = Some(*held);
        }
        Obs::ExpectInfo {
            field,
            left,
            right_field,
            right,
            held,
        } => {
            let show = |f: &str, v: &Option<String>, ids: &mut IdMap| match v {
                None => "(missing)".to_string(),
                Some(_) if timing_field(f) => "(timing)".to_string(),
                Some(v) => ids.map(v),
            };
            r.items.push((field.clone(), show(field, left, ids)));
            if let Some(rf) = right_field {
                r.items
                    .push((format!("right side {rf}"), show(rf, right, ids)));
            }
            r.held = Some(*held);
        }
        Obs::Error(msg) => r.error = Some(msg.clone()),
    }
    r
}

/// The differences between the two reduced transcripts, as readable lines.
pub fn diff(sim: &[Reduced], real: &[Reduced]) -> Vec<String> {
    let mut out = Vec::new();
    for k in 0..sim.len().max(real.len()) {
        let (s, r) = (sim.get(k), real.get(k));
        let (Some(s), Some(r)) = (s, r) else {
            let (which, e) = match (s, r) {
                (Some(s), None) => ("only the simulator", s),
                (None, Some(r)) => ("only the real server", r),
                _ => unreachable!(),
            };
            out.push(format!(
                "  line {}: {} got this far: {}",
                e.line, which, e.text
            ));
            break;
        };
        if s.line != r.line {
            // One world stopped with an error where the other had nothing to show.
            let (first, world, other) = if s.line < r.line {
                (s, "sim:  ", "real: ")
            } else {
                (r, "real: ", "sim:  ")
            };
            out.push(format!("  line {}: {}", first.line, first.text.trim()));
            out.push(format!(
                "      {world} {}",
                first.error.as_deref().unwrap_or("(printed something)")
            ));
            out.push(format!("      {other} (ran on)"));
            break;
        }
        let head = format!("  line {}: {}", s.line, s.text.trim());
        match (&s.error, &r.error) {
            (None, None) => {}
            (se, re) => {
                out.push(head);
                out.push(format!("      sim:   {}", se.as_deref().unwrap_or("(ran)")));
                out.push(format!("      real:  {}", re.as_deref().unwrap_or("(ran)")));
                break;
            }
        }
        let mut lines = Vec::new();
        let labels: Vec<&String> = {
            let mut l: Vec<&String> = s.items.iter().map(|(k, _)| k).collect();
            for (k, _) in &r.items {
                if !l.contains(&k) {
                    l.push(k);
                }
            }
            l
        };
        for label in labels {
            let sv = s.items.iter().find(|(k, _)| k == label).map(|(_, v)| v);
            let rv = r.items.iter().find(|(k, _)| k == label).map(|(_, v)| v);
            if sv != rv {
                let show = |v: Option<&String>| match v {
                    None => "(absent)".to_string(),
                    Some(v) if v.contains('\n') => format!("\n{}", indent(v)),
                    Some(v) => v.clone(),
                };
                lines.push(format!(
                    "      {label}: sim {} | real {}",
                    show(sv),
                    show(rv)
                ));
            }
        }
        let order = |x: &Reduced| x.items.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        if lines.is_empty() && order(s) != order(r) {
            lines.push(format!(
                "      field order: sim {:?} | real {:?}",
                order(s),
                order(r)
            ));
        }
        if s.held != r.held {
            lines.push(format!(
                "      expect held: sim {:?} | real {:?}",
                s.held, r.held
            ));
        }
        if !lines.is_empty() {
            out.push(head);
            out.extend(lines);
        }
    }
    out
}

fn indent(v: &str) -> String {
    v.lines()
        .map(|l| format!("          {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Expects that failed in both worlds (the scenario states something false) and
/// errors in both worlds at the same statement.
pub fn both_failed(sim: &[Reduced], real: &[Reduced]) -> Vec<String> {
    let mut out = Vec::new();
    for (s, r) in sim.iter().zip(real) {
        if s.line != r.line {
            break;
        }
        if s.held == Some(false) && r.held == Some(false) {
            let found = s
                .items
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(format!(
                "  line {}: {} -- fails in both worlds (found {found})",
                s.line,
                s.text.trim()
            ));
        }
        if let (Some(se), Some(re)) = (&s.error, &r.error) {
            out.push(format!(
                "  line {}: {} -- cannot run in either world\n      sim:   {se}\n      real:  {re}",
                s.line,
                s.text.trim()
            ));
        }
    }
    out
}

/// Checks of the id mapping, run at the start of the suite.
pub fn self_check() {
    {
        let mut m = IdMap::default();
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        let z = "0".repeat(40);
        assert_eq!(
            m.map(&format!("x:{a} {b} {a} {z}")),
            format!("x:ID1 ID2 ID1 {z}")
        );
    }
}
