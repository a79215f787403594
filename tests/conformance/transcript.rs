//! What a run of a scenario in one world produced, statement by statement, and the
//! INFO helpers both worlds share (so that "in sync" and "expect" mean the same thing
//! on both sides).

use replscope::scenario::ast::{CmpOp, Stmt};

/// What one statement showed.
#[derive(Clone, Debug)]
pub enum Obs {
    /// `NAME> COMMAND ...`: the reply as redis-cli prints it.
    Reply {
        /// The command as sent (node names resolved to nothing: as written).
        argv: Vec<Vec<u8>>,
        /// The printed reply ("" when redis-cli prints nothing, as after SHUTDOWN).
        text: String,
    },
    /// `expect NAME> COMMAND ... => REPLY`.
    ExpectReply {
        /// The command.
        argv: Vec<Vec<u8>>,
        /// The printed reply.
        text: String,
        /// Whether it matched the expected text.
        held: bool,
    },
    /// `expect NAME FIELD OP VALUE`.
    ExpectInfo {
        /// The field on the left.
        field: String,
        /// Its value (None: missing, or the node is not running).
        left: Option<String>,
        /// The field on the right, for `OTHER.FIELD`.
        right_field: Option<String>,
        /// The right-hand value (the literal, or `OTHER.FIELD`'s value).
        right: Option<String>,
        /// Whether the expectation held.
        held: bool,
    },
    /// The statement could not run; the run stopped here.
    Error(String),
}

/// One statement's observation.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Line in the scenario file.
    pub line: usize,
    /// The statement as written.
    pub text: String,
    /// What it showed.
    pub obs: Obs,
}

/// A whole run: entries for console commands, expects, and the error that ended it.
#[derive(Clone, Debug, Default)]
pub struct Transcript {
    /// In scenario order.
    pub entries: Vec<Entry>,
}

impl Transcript {
    /// Play `statements` one by one with `step`, recording what each showed; an
    /// error is recorded and ends the run.
    pub fn play(
        statements: &[Stmt],
        mut step: impl FnMut(&Stmt) -> Result<Option<Obs>, String>,
    ) -> Transcript {
        let mut t = Transcript::default();
        for stmt in statements {
            let obs = step(stmt).unwrap_or_else(|e| Some(Obs::Error(e)));
            if let Some(obs) = obs {
                let stop = matches!(obs, Obs::Error(_));
                t.entries.push(Entry {
                    line: stmt.line,
                    text: stmt.text.clone(),
                    obs,
                });
                if stop {
                    break;
                }
            }
        }
        t
    }
}

/// `field:value` pairs of an INFO text, in order.
pub fn parse_info(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The value of `field` (or of `FIELD.SUB`, an item of a composite field such as
/// `slave0.offset` or `db0.keys`), as the simulator's runner looks it up.
pub fn lookup(fields: &[(String, String)], field: &str) -> Option<String> {
    if let Some((_, v)) = fields.iter().find(|(k, _)| k == field) {
        return Some(v.clone());
    }
    let (base, sub) = field.split_once('.')?;
    let (_, v) = fields.iter().find(|(k, _)| k == base)?;
    sub_item(v, sub)
}

/// One `key=value` item of a composite INFO value (`ip=..,port=..,state=online`).
pub fn sub_item(value: &str, key: &str) -> Option<String> {
    value
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.to_string())
}

/// `left OP right` as the runner decides it: as integers, else as floats, else as
/// text (only `=` and `!=`; other operators on text are an error).
pub fn holds(left: &str, op: CmpOp, right: &str) -> Result<bool, String> {
    let ordering = match (left.parse::<i64>(), right.parse::<i64>()) {
        (Ok(a), Ok(b)) => Some(a.cmp(&b)),
        _ => match (left.parse::<f64>(), right.parse::<f64>()) {
            (Ok(a), Ok(b)) => a.partial_cmp(&b),
            _ => None,
        },
    };
    match ordering {
        Some(o) => Ok(op.holds(o)),
        None => match op {
            CmpOp::Eq => Ok(left == right),
            CmpOp::Ne => Ok(left != right),
            _ => Err(format!(
                "cannot compare non-numbers '{left}' {op} '{right}'"
            )),
        },
    }
}

/// Whether every replica a node lists as online has acknowledged the node's whole
/// stream (`slaveN:...,state=online,offset=<master_repl_offset>`). After `wait
/// sync` both worlds also wait for this, so that `slaveN` offsets do not depend on
/// when the once-a-second `REPLCONF ACK` happens to fall.
pub fn acks_settled(fields: &[(String, String)]) -> bool {
    let Some(master_off) = lookup(fields, "master_repl_offset") else {
        return true;
    };
    fields.iter().filter(|(k, _)| is_slave_n(k)).all(|(_, v)| {
        sub_item(v, "state").as_deref() != Some("online")
            || sub_item(v, "offset").as_deref() == Some(master_off.as_str())
    })
}

/// `slave0`, `slave1` ...
pub fn is_slave_n(k: &str) -> bool {
    k.strip_prefix("slave")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `db0`, `db1` ...
pub fn is_db_n(k: &str) -> bool {
    k.strip_prefix("db")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The whitespace-insensitive comparison `expect NAME> ... => REPLY` uses.
pub fn reply_matches(got: &str, expected: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    norm(got) == norm(expected)
}
