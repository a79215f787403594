//! The event log: every message sent and delivered, connection change, command,
//! reply, fault, state change and decision, as structured records.
//!
//! The vocabulary doubles as the page's timeline and sequence diagram. Payloads are
//! shown as escaped RESP (the first [`PREVIEW_BYTES_MAX`] bytes) with their length
//! and an FNV-1a hash of all of them, so two traces are equal only if every byte
//! sent was equal.

use super::net::{ConnId, EnvId};
use crate::node::effects::{CloseReason, Fd, NodeEvent, SendKind};
use serde::Serialize;

/// How many payload bytes a trace record shows.
pub const PREVIEW_BYTES_MAX: usize = 160;

/// A node's name as the log holds it: shared by every record that names the node
/// (a record per segment sent and delivered; a copy in each was an allocation each,
/// a third of the time a logged write took). Reads as the text it holds (`&*name`).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(std::rc::Rc<String>);

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name(std::rc::Rc::new(s.to_string()))
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.0.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.0.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == *other
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0.as_str(), f)
    }
}

impl Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// An FNV-1a 64 hash: written as 16 hex digits (when a record is printed, not when
/// it is made; `{:?}` writes them too).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Fnv64(pub u64);

impl Fnv64 {
    /// The 16 hex digits.
    pub fn hex(self) -> String {
        (0..16)
            .map(|i| char::from(HEX[((self.0 >> (60 - 4 * i)) & 15) as usize]))
            .collect()
    }
}

/// Hex digits.
const HEX: &[u8; 16] = b"0123456789abcdef";

impl std::fmt::Debug for Fnv64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.hex())
    }
}

impl Serialize for Fnv64 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.hex())
    }
}

/// One record.
#[derive(Clone, Debug, Serialize)]
pub struct TraceEvent {
    /// Position in the log (0, 1, 2 ...).
    pub seq: u64,
    /// Simulated time in microseconds.
    pub t_us: u64,
    /// The node it happened on ("" for world-level faults).
    pub node: Name,
    /// What happened.
    pub event: What,
}

/// What happened.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum What {
    /// A process started.
    Start {
        /// Its new run id.
        run_id: String,
    },
    /// A process exited after SHUTDOWN.
    Exit,
    /// A process was killed.
    Crash,
    /// Bytes were written to a connection.
    Send {
        /// Connection.
        conn: ConnId,
        /// Segment id of the first segment (a big write is split).
        env: EnvId,
        /// What the bytes are.
        what: SendKind,
        /// Receiving node.
        to: Name,
        /// Bytes.
        len: usize,
        /// Escaped preview.
        preview: Preview,
        /// FNV-1a 64 of all bytes, hex.
        hash: Fnv64,
        /// When the last byte arrives (µs), if not held by a partition.
        arrive_us: Option<u64>,
    },
    /// Bytes arrived.
    Deliver {
        /// Connection.
        conn: ConnId,
        /// Segment.
        env: EnvId,
        /// Sending node.
        from: Name,
        /// Bytes.
        len: usize,
    },
    /// A connection was opened towards `to`.
    Connect {
        /// Connection.
        conn: ConnId,
        /// Local fd.
        fd: Fd,
        /// Target.
        to: String,
    },
    /// A connection from `from` was accepted.
    Accept {
        /// Connection.
        conn: ConnId,
        /// Local fd.
        fd: Fd,
        /// Initiator.
        from: String,
    },
    /// An outgoing connect completed.
    Connected {
        /// Local fd.
        fd: Fd,
    },
    /// A connection ended on this side.
    Closed {
        /// Local fd.
        fd: Fd,
        /// Why.
        reason: CloseReason,
    },
    /// The node closed a connection.
    Close {
        /// Local fd.
        fd: Fd,
    },
    /// The console client sent a command.
    Command {
        /// Arguments (lossy UTF-8).
        argv: Vec<String>,
    },
    /// The console client got a reply (as redis-cli prints it).
    Reply {
        /// Printed reply.
        text: String,
    },
    /// `lose`: whole stream commands vanished on their way (a what-if).
    Lost {
        /// Receiver.
        to: String,
        /// Commands dropped.
        commands: u32,
        /// Their bytes.
        bytes: usize,
    },
    /// A network fault or repair: disconnect, reconnect, partition, heal, link, lose.
    Fault {
        /// The verb.
        verb: String,
        /// One node.
        a: String,
        /// The other.
        b: String,
    },
    /// Something the node reported (its own `kind` says what).
    Node {
        /// The report.
        detail: NodeEvent,
    },
}

/// FNV-1a 64 of `bytes` (shown as 16 hex digits).
pub fn fnv64(bytes: &[u8]) -> Fnv64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Fnv64(h)
}

/// Escape bytes for display: printable ASCII as is, `\r` `\n` `\t` `\\` `\"`, others `\xHH`.
pub fn escape(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + 8);
    for &b in bytes {
        match b {
            b'\r' => s.push_str("\\r"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            0x20..=0x7e => s.push(char::from(b)),
            _ => {
                s.push_str("\\x");
                s.push(char::from(HEX[usize::from(b >> 4)]));
                s.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
    s
}

/// A payload's first [`PREVIEW_BYTES_MAX`] bytes, kept as they are and escaped only
/// when the record is printed ([`preview`]'s text): most records of a page's log are
/// dropped unread, and escaping each as it was made took a tenth of a logged write.
#[derive(Clone, PartialEq, Eq)]
pub struct Preview {
    head: Vec<u8>,
    /// Bytes past the head.
    more: usize,
}

impl Preview {
    /// The preview of `bytes`.
    pub fn of(bytes: &[u8]) -> Preview {
        let n = bytes.len().min(PREVIEW_BYTES_MAX);
        Preview {
            head: bytes[..n].to_vec(),
            more: bytes.len() - n,
        }
    }

    /// As [`preview`] writes it.
    pub fn text(&self) -> String {
        let s = escape(&self.head);
        if self.more == 0 {
            s
        } else {
            format!("{s}…(+{} bytes)", self.more)
        }
    }
}

impl std::fmt::Debug for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text(), f)
    }
}

impl Serialize for Preview {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

/// A preview of a payload: its first [`PREVIEW_BYTES_MAX`] bytes escaped, then how
/// many more there are.
pub fn preview(bytes: &[u8]) -> String {
    Preview::of(bytes).text()
}

/// Where records go as they are made instead of being kept (the CLI's `--trace`
/// file, written as the run goes so a long run holds no log in memory). Native
/// only: the page keeps its log and compacts it.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone)]
pub struct Sink(pub std::rc::Rc<std::cell::RefCell<SinkFn>>);

/// What a [`Sink`] calls with each record.
#[cfg(not(target_arch = "wasm32"))]
pub type SinkFn = dyn FnMut(&TraceEvent);

#[cfg(not(target_arch = "wasm32"))]
impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sink")
    }
}

/// The log of a run.
#[derive(Clone, Debug)]
pub struct Trace {
    /// Records so far.
    pub events: Vec<TraceEvent>,
    /// Records dropped from the front to bound memory ([`Trace::compact`]).
    pub dropped: u64,
    /// Whether network segments are recorded.
    pub record_messages: bool,
    /// Whether anything is recorded (off in throughput benchmarks).
    pub enabled: bool,
    /// If set, each record is handed to it and not kept (counted in `dropped`).
    #[cfg(not(target_arch = "wasm32"))]
    pub sink: Option<Sink>,
    /// If not 0, the log forgets all but its last `cap` records whenever it holds
    /// twice as many: the page's bound while one statement runs (a `wait 10080m`
    /// makes millions of records before the page can compact the log).
    pub cap: usize,
}

impl Default for Trace {
    fn default() -> Self {
        Trace::new()
    }
}

impl Trace {
    /// Stop recording anything (messages included).
    pub fn disable(&mut self) {
        self.enabled = false;
        self.record_messages = false;
    }
}

impl Trace {
    /// A log recording everything.
    pub fn new() -> Trace {
        Trace {
            events: Vec::new(),
            dropped: 0,
            record_messages: true,
            enabled: true,
            #[cfg(not(target_arch = "wasm32"))]
            sink: None,
            cap: 0,
        }
    }

    /// Append a record.
    pub fn push(&mut self, t_us: u64, node: &Name, event: What) {
        if !self.enabled {
            return;
        }
        let seq = self.dropped + self.events.len() as u64;
        let record = TraceEvent {
            seq,
            t_us,
            node: node.clone(),
            event,
        };
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(sink) = &self.sink {
            (sink.0.borrow_mut())(&record);
            self.dropped += 1;
            return;
        }
        if self.cap > 0 && self.events.len() >= 2 * self.cap {
            self.compact(self.cap);
        }
        self.events.push(record);
    }

    /// Records with `seq >= cursor`.
    pub fn since(&self, cursor: u64) -> &[TraceEvent] {
        let start = cursor.saturating_sub(self.dropped) as usize;
        &self.events[start.min(self.events.len())..]
    }

    /// Sequence number the next record will get.
    pub fn next_seq(&self) -> u64 {
        self.dropped + self.events.len() as u64
    }

    /// Forget every record with `seq >= len` (the run is being rewound).
    pub fn truncate(&mut self, len: u64) {
        if len <= self.dropped {
            self.events.clear();
            self.dropped = len;
        } else {
            self.events.truncate((len - self.dropped) as usize);
        }
    }

    /// Cut the log at sequence number `len`: keep the records before it, return the
    /// ones from it on (those already compacted away are not among them).
    pub fn split_off(&mut self, len: u64) -> Vec<TraceEvent> {
        if len <= self.dropped {
            let tail = std::mem::take(&mut self.events);
            self.dropped = len;
            return tail;
        }
        let at = ((len - self.dropped) as usize).min(self.events.len());
        self.events.split_off(at)
    }

    /// Append records cut off earlier ([`Trace::split_off`]), skipping those whose
    /// sequence number the log has reached again. If records are missing in
    /// between (compacted away), the log restarts at the first one appended.
    pub fn rejoin(&mut self, tail: Vec<TraceEvent>) {
        let next = self.next_seq();
        let mut tail = tail.into_iter().skip_while(|e| e.seq < next).peekable();
        if let Some(first) = tail.peek() {
            if first.seq > next {
                self.events.clear();
                self.dropped = first.seq;
            }
        }
        self.events.extend(tail);
    }

    /// Forget all but the last `keep` records.
    pub fn compact(&mut self, keep: usize) {
        if self.events.len() > keep {
            let n = self.events.len() - keep;
            self.events.drain(..n);
            self.dropped += n as u64;
        }
    }

    /// The whole log as JSON lines (one record per line).
    pub fn to_json_lines(&self) -> String {
        let mut out = String::new();
        for e in &self.events {
            out.push_str(&e.to_json());
            out.push('\n');
        }
        out
    }
}

impl TraceEvent {
    /// The record as one line of JSON (no newline).
    pub fn to_json(&self) -> String {
        // Records hold only strings, numbers and string-keyed maps, so this cannot
        // fail. The panic names no error: `serde_json::Error`'s Display (or Debug) would
        // link every JSON parse and I/O error text into the wasm for a case that cannot
        // happen.
        match serde_json::to_string(self) {
            Ok(line) => line,
            Err(_) => panic!("a trace record did not serialize"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_and_preview() {
        assert_eq!(
            escape(b"*1\r\n$4\r\nPING\r\n"),
            "*1\\r\\n$4\\r\\nPING\\r\\n"
        );
        assert_eq!(escape(&[0, 255]), "\\x00\\xff");
        assert!(preview(&[b'a'; 200]).ends_with("…(+40 bytes)"));
        assert_eq!(preview(&[b'a'; 160]), "a".repeat(160));
        assert_eq!(fnv64(b"a").hex(), "af63dc4c8601ec8c");
        assert_eq!(format!("{:?}", fnv64(b"")), "cbf29ce484222325");
    }
}
