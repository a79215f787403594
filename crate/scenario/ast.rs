//! The parsed form of a scenario: a list of statements, each with its line.
//!
//! The types mirror the statement table of `docs/scenario-format.md` (the contract,
//! with this repository's extensions) one to one. They carry no behaviour of the simulator; the runner interprets them.
//!
//! Everything here is `serde::Serialize`, because the page and the event trace show
//! statements. The JSON shape, pinned by a test below:
//!
//! ```text
//! {"line":4,"text":"m> SET foo bar","kind":{"type":"command","args":{"node":"m","argv":["SET","foo","bar"]}}}
//! {"line":1,"text":"seed 7","kind":{"type":"seed","args":7}}
//! {"line":3,"text":"wait sync","kind":{"type":"wait_sync"}}
//! ```
//!
//! Enums are tagged with `type` (snake_case) and `args`, and no type is serialized
//! as a map, so `serde-wasm-bindgen` hands the page plain objects (it turns maps,
//! and with them `#[serde(flatten)]`, into JavaScript `Map`s).
//!
//! Arguments (`argv`) are bytes; in JSON each is a string, with bytes that are not
//! UTF-8 shown as U+FFFD. That is a display form only: `text` holds the statement
//! exactly as written.

use std::cmp::Ordering;
use std::fmt;

use crate::version::Version;
use serde::{Serialize, Serializer};

/// The seed used when a scenario has no `seed` line (the contract's default).
pub const DEFAULT_SEED: u64 = 1;

/// Latency of a link that no `link` line configures: 1ms.
pub const DEFAULT_LINK_LATENCY_US: u64 = 1_000;

/// Bandwidth of a link that no `link` line configures: 1gbit.
pub const DEFAULT_LINK_BANDWIDTH_BITS_PER_SEC: u64 = 1_000_000_000;

/// A whole scenario: its statements in file order (blank and comment lines dropped).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Scenario {
    /// The statements, in the order they appear.
    pub statements: Vec<Stmt>,
}

impl Scenario {
    /// The seed of the scenario's random generator: the `seed` line's value, or
    /// [`DEFAULT_SEED`] when there is none.
    pub fn seed(&self) -> u64 {
        self.statements
            .iter()
            .find_map(|s| match s.kind {
                StmtKind::Seed(seed) => Some(seed),
                _ => None,
            })
            .unwrap_or(DEFAULT_SEED)
    }

    /// The names of the declared nodes, in declaration order.
    pub fn node_names(&self) -> Vec<&str> {
        self.statements
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Node { name, .. } => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// One statement: what it says, and where and how it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stmt {
    /// 1-based line number in the scenario (or the number the console gave it).
    pub line: usize,
    /// The line exactly as written, comment included, without its newline. `replscope
    /// run` echoes it before a command's reply.
    pub text: String,
    /// What the statement says.
    pub kind: StmtKind,
}

/// What a statement says. One variant per row of the contract's statement table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "args", rename_all = "snake_case")]
pub enum StmtKind {
    /// `seed N`: the seed of the one random generator.
    Seed(u64),
    /// `version NAME` (extension): the server version of the nodes declared after it
    /// that do not name their own (`version=`). Without it, `redis-7.0`.
    Version(Version),
    /// `node NAME [param=value ...]`: start a new Redis node.
    Node {
        /// The node's name, unique in the scenario.
        name: String,
        /// The parameters in the order written. The parser does not know which exist;
        /// the runner checks them and reports errors at [`Param::col`].
        params: Vec<Param>,
    },
    /// `link A B [latency=DUR] [bandwidth=RATE]`: properties of the path between A
    /// and B, both directions. An option not given keeps the default
    /// ([`DEFAULT_LINK_LATENCY_US`], [`DEFAULT_LINK_BANDWIDTH_BITS_PER_SEC`]).
    Link {
        /// One end.
        a: String,
        /// The other end, different from `a`.
        b: String,
        /// One-way latency, if given.
        latency_us: Option<u64>,
        /// Bandwidth in bits per second, if given; never 0.
        bandwidth_bits_per_sec: Option<u64>,
    },
    /// `NAME> COMMAND ARG ...`: the node's one client sends a command.
    Command {
        /// The node the command is sent to.
        node: String,
        /// The command and its arguments as `redis-cli` would send them; never empty.
        /// `REPLICAOF OTHER` is passed through: the runner resolves node names.
        #[serde(serialize_with = "serialize_argv")]
        argv: Vec<Vec<u8>>,
    },
    /// `send NAME> COMMAND ARG ...` (extension): the command is sent without waiting
    /// for its reply, as from a console while time runs on.
    Send {
        /// The node the command is sent to.
        node: String,
        /// The command and its arguments; never empty.
        #[serde(serialize_with = "serialize_argv")]
        argv: Vec<Vec<u8>>,
    },
    /// `wait DUR`: advance the simulated clock.
    Wait {
        /// How far to advance.
        duration_us: u64,
    },
    /// `wait sync`: advance until every replica is in sync with its master.
    WaitSync,
    /// `disconnect A B`: reset every connection between A and B and refuse new ones.
    Disconnect {
        /// One end.
        a: String,
        /// The other end, different from `a`.
        b: String,
    },
    /// `reconnect A B`: allow connections between A and B again.
    Reconnect {
        /// One end.
        a: String,
        /// The other end, different from `a`.
        b: String,
    },
    /// `partition A B`: silently drop all traffic between A and B.
    Partition {
        /// One end.
        a: String,
        /// The other end, different from `a`.
        b: String,
    },
    /// `heal A B`: end a partition.
    Heal {
        /// One end.
        a: String,
        /// The other end, different from `a`.
        b: String,
    },
    /// `lose A B [N]` (extension): the next N whole replication-stream commands A
    /// sends to B vanish without closing the connection. Impossible on TCP; a what-if
    /// for the "ACKs make the master resend" myth.
    Lose {
        /// Sender.
        from: String,
        /// Receiver.
        to: String,
        /// How many commands (default 1).
        commands: u32,
    },
    /// `crash NAME`: the process dies at once, like `kill -9`.
    Crash {
        /// The node that dies.
        node: String,
    },
    /// `restart NAME`: `SHUTDOWN`, then `start NAME`.
    Restart {
        /// The node restarted.
        node: String,
    },
    /// `start NAME`: start a stopped node from its `node` line's parameters.
    Start {
        /// The node started.
        node: String,
    },
    /// `expect NAME FIELD OP VALUE`: check a field of `INFO` on a node.
    ExpectInfo {
        /// The node whose `INFO` is read.
        node: String,
        /// The `INFO` field, e.g. `master_repl_offset`.
        field: String,
        /// How the field compares with `rhs`.
        op: CmpOp,
        /// What the field is compared with.
        rhs: Operand,
    },
    /// `expect NAME> COMMAND ARG ... => REPLY`: run a command and check its reply.
    ExpectReply {
        /// The node the command is sent to.
        node: String,
        /// The command and its arguments; never empty.
        #[serde(serialize_with = "serialize_argv")]
        argv: Vec<Vec<u8>>,
        /// The reply as `redis-cli` prints it, raw from the line after `=>`
        /// (comment removed, trimmed, never empty): `"bar"` keeps its quotes.
        expected: String,
    },
}

impl StmtKind {
    /// The node names this statement refers to, in the order written.
    ///
    /// Covers the names the parser checks against the declared nodes (including the
    /// node a `node` line declares and the `OTHER` of an `OTHER.FIELD` operand). Names
    /// inside data are not included: `replicaof=OTHER` and `REPLICAOF OTHER` are
    /// resolved by the runner.
    pub fn names(&self) -> Vec<&str> {
        match self {
            StmtKind::Seed(_)
            | StmtKind::Version(_)
            | StmtKind::Wait { .. }
            | StmtKind::WaitSync => Vec::new(),
            StmtKind::Node { name, .. } => vec![name],
            StmtKind::Command { node, .. }
            | StmtKind::Send { node, .. }
            | StmtKind::Crash { node }
            | StmtKind::Restart { node }
            | StmtKind::Start { node }
            | StmtKind::ExpectReply { node, .. } => vec![node],
            StmtKind::Link { a, b, .. }
            | StmtKind::Disconnect { a, b }
            | StmtKind::Reconnect { a, b }
            | StmtKind::Partition { a, b }
            | StmtKind::Heal { a, b } => vec![a, b],
            StmtKind::Lose { from, to, .. } => vec![from, to],
            StmtKind::ExpectInfo { node, rhs, .. } => match rhs {
                Operand::NodeField { node: other, .. } => vec![node, other],
                Operand::Literal(_) => vec![node],
            },
        }
    }
}

/// One `key=value` parameter of a `node` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    /// The parameter name as written, e.g. `repl-backlog-size`; never empty.
    pub key: String,
    /// The value with quotes and escapes resolved; may be empty (`save=""`).
    pub value: String,
    /// 1-based column of the `key=value` token, for the runner's errors.
    pub col: usize,
}

/// A comparison operator of `expect NAME FIELD OP VALUE`.
///
/// Serialized as its symbol (`"="`, `"<="` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CmpOp {
    /// `=`
    #[serde(rename = "=")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
}

impl CmpOp {
    /// Every operator, in the order the contract lists them.
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ];

    /// The operator's symbol as written in a scenario.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// The operator written as `symbol`, if it is one.
    pub fn from_symbol(symbol: &str) -> Option<CmpOp> {
        CmpOp::ALL.into_iter().find(|op| op.as_str() == symbol)
    }

    /// Whether `left OP right` holds, given how `left` compares with `right`.
    ///
    /// The runner decides how to compare (as numbers or as text); this only maps the
    /// outcome, e.g. `CmpOp::Le.holds(3.cmp(&4))` is `true`.
    pub fn holds(self, left_vs_right: Ordering) -> bool {
        match self {
            CmpOp::Eq => left_vs_right == Ordering::Equal,
            CmpOp::Ne => left_vs_right != Ordering::Equal,
            CmpOp::Lt => left_vs_right == Ordering::Less,
            CmpOp::Le => left_vs_right != Ordering::Greater,
            CmpOp::Gt => left_vs_right == Ordering::Greater,
            CmpOp::Ge => left_vs_right != Ordering::Less,
        }
    }
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The right-hand side of `expect NAME FIELD OP VALUE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "args", rename_all = "snake_case")]
pub enum Operand {
    /// A value written out, e.g. `1`, `up`, `1.5`.
    Literal(String),
    /// `OTHER.FIELD`: the same moment's `INFO` field of another (or the same) node.
    NodeField {
        /// The node whose `INFO` is read.
        node: String,
        /// The field, e.g. `master_repl_offset`.
        field: String,
    },
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Literal(value) => f.write_str(value),
            Operand::NodeField { node, field } => write!(f, "{node}.{field}"),
        }
    }
}

/// Serializes arguments as strings for display (see the module docs).
fn serialize_argv<S: Serializer>(argv: &[Vec<u8>], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(argv.iter().map(|arg| String::from_utf8_lossy(arg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(line: usize, text: &str, kind: StmtKind) -> Stmt {
        Stmt {
            line,
            text: text.to_string(),
            kind,
        }
    }

    #[test]
    fn json_shape() {
        let cases = [
            (
                stmt(
                    4,
                    "m> SET foo bar",
                    StmtKind::Command {
                        node: "m".into(),
                        argv: vec![b"SET".to_vec(), b"foo".to_vec(), b"bar".to_vec()],
                    },
                ),
                r#"{"line":4,"text":"m> SET foo bar","kind":{"type":"command","args":{"node":"m","argv":["SET","foo","bar"]}}}"#,
            ),
            (
                stmt(1, "seed 7", StmtKind::Seed(7)),
                r#"{"line":1,"text":"seed 7","kind":{"type":"seed","args":7}}"#,
            ),
            (
                stmt(3, "wait sync", StmtKind::WaitSync),
                r#"{"line":3,"text":"wait sync","kind":{"type":"wait_sync"}}"#,
            ),
            (
                stmt(
                    9,
                    "expect r1 x <= m.y",
                    StmtKind::ExpectInfo {
                        node: "r1".into(),
                        field: "x".into(),
                        op: CmpOp::Le,
                        rhs: Operand::NodeField {
                            node: "m".into(),
                            field: "y".into(),
                        },
                    },
                ),
                r#"{"line":9,"text":"expect r1 x <= m.y","kind":{"type":"expect_info","args":{"node":"r1","field":"x","op":"<=","rhs":{"type":"node_field","args":{"node":"m","field":"y"}}}}}"#,
            ),
            (
                stmt(
                    2,
                    "node m save=\"\"",
                    StmtKind::Node {
                        name: "m".into(),
                        params: vec![Param {
                            key: "save".into(),
                            value: String::new(),
                            col: 8,
                        }],
                    },
                ),
                r#"{"line":2,"text":"node m save=\"\"","kind":{"type":"node","args":{"name":"m","params":[{"key":"save","value":"","col":8}]}}}"#,
            ),
        ];
        for (stmt, json) in cases {
            assert_eq!(serde_json::to_string(&stmt).unwrap(), json);
        }
        let binary = StmtKind::Command {
            node: "m".into(),
            argv: vec![b"GET".to_vec(), b"\xffk".to_vec()],
        };
        assert_eq!(
            serde_json::to_string(&binary).unwrap(),
            "{\"type\":\"command\",\"args\":{\"node\":\"m\",\"argv\":[\"GET\",\"\u{fffd}k\"]}}"
        );
    }

    #[test]
    fn cmp_op_symbols_round_trip_and_hold() {
        for op in CmpOp::ALL {
            assert_eq!(CmpOp::from_symbol(op.as_str()), Some(op));
            assert_eq!(op.to_string(), op.as_str());
        }
        assert_eq!(CmpOp::from_symbol("=="), None);
        let table = [
            (CmpOp::Eq, [false, true, false]),
            (CmpOp::Ne, [true, false, true]),
            (CmpOp::Lt, [true, false, false]),
            (CmpOp::Le, [true, true, false]),
            (CmpOp::Gt, [false, false, true]),
            (CmpOp::Ge, [false, true, true]),
        ];
        for (op, expected) in table {
            let got = [Ordering::Less, Ordering::Equal, Ordering::Greater].map(|o| op.holds(o));
            assert_eq!(got, expected, "{op}");
        }
    }

    #[test]
    fn names_and_scenario_helpers() {
        let scenario = Scenario {
            statements: vec![
                stmt(1, "seed 9", StmtKind::Seed(9)),
                stmt(
                    2,
                    "node m",
                    StmtKind::Node {
                        name: "m".into(),
                        params: vec![],
                    },
                ),
                stmt(
                    3,
                    "node r1",
                    StmtKind::Node {
                        name: "r1".into(),
                        params: vec![],
                    },
                ),
                stmt(
                    4,
                    "expect r1 a = m.b",
                    StmtKind::ExpectInfo {
                        node: "r1".into(),
                        field: "a".into(),
                        op: CmpOp::Eq,
                        rhs: Operand::NodeField {
                            node: "m".into(),
                            field: "b".into(),
                        },
                    },
                ),
            ],
        };
        assert_eq!(scenario.seed(), 9);
        assert_eq!(Scenario::default().seed(), DEFAULT_SEED);
        assert_eq!(scenario.node_names(), vec!["m", "r1"]);
        assert_eq!(scenario.statements[3].kind.names(), vec!["r1", "m"]);
        assert!(scenario.statements[0].kind.names().is_empty());
        let link = StmtKind::Heal {
            a: "x".into(),
            b: "y".into(),
        };
        assert_eq!(link.names(), vec!["x", "y"]);
        assert_eq!(
            Operand::NodeField {
                node: "m".into(),
                field: "f".into()
            }
            .to_string(),
            "m.f"
        );
    }
}
