//! What a node asks of the world: the sans-IO contract between a [`Node`] and the `Sim`.
//!
//! A node never sends, sleeps or reads a clock. Each call into it gets a [`Ctx`]
//! carrying the current simulated time and the run's random generator, and the node
//! pushes [`Effect`]s into it: bytes to send, connections to open or close, a timer,
//! a reply to a blocked client, an entry for the event log. The `Sim` applies them.
//!
//! [`Node`]: crate::node::Node

use crate::resp::Value;
use crate::rng::Rng;
use crate::time::SimTime;
use serde::Serialize;

/// A TCP socket's kernel send buffer: what a write can hand the kernel ahead of the
/// wire. Linux starts a socket's at 16 KB and grows it with the link's bandwidth and
/// delay; 64 KB is a loopback-like link's after a few round trips. A master writes a
/// replica's stream no further ahead than this (the rest waits in its replication
/// buffer, counted against `client-output-buffer-limit`), and a socket that closes
/// still delivers this much behind the segment on the wire.
pub const SNDBUF_BYTES: usize = 64 * 1024;

/// A node-local socket handle, like a file descriptor. Numbered by the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Fd(pub u32);

/// A client connection inside a node (Redis's `client.id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ClientId(pub u64);

/// Why a connection ended, as the node sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// The peer closed it (a FIN arrived: `read()` returned 0).
    PeerClosed,
    /// The connection was reset (`disconnect`, or data sent to a closed socket).
    Reset,
    /// A connect attempt was refused (nobody listening, or the link is down).
    Refused,
}

/// The one timer a node uses: Redis's `serverCron`, which runs `hz` times a second
/// (replication work happens in the 1 Hz `replicationCron` inside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timer {
    /// `serverCron`.
    ServerCron,
}

/// What a write carries, so the page can draw it (an RDB "parcel" versus the thin
/// stream of commands) and the event log can say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SendKind {
    /// A reply to a client command (handshake replies included).
    Reply,
    /// Replica -> master handshake commands: PING, REPLCONF, PSYNC, SYNC.
    Handshake,
    /// `+FULLRESYNC` / `+CONTINUE`.
    PsyncReply,
    /// The RDB payload of a full sync (`$<len>` or `$EOF:` framing included).
    Rdb,
    /// The replication stream.
    Stream,
    /// `REPLCONF ACK <offset>`.
    Ack,
    /// A bare newline keeping a waiting link alive (not part of any offset).
    Keepalive,
}

/// One request from a node to the world.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Write bytes on a connection. With `notify_drained`, the sim calls
    /// `on_drained(fd)` once the last of these bytes has left the sender
    /// (how a master knows an RDB transfer is complete).
    Send {
        fd: Fd,
        kind: SendKind,
        bytes: Vec<u8>,
        notify_drained: bool,
    },
    /// Open a TCP connection to `host:port` using the node-chosen `fd`.
    Connect { fd: Fd, host: String, port: u16 },
    /// Close a connection (the peer sees a FIN after the data already sent).
    Close { fd: Fd },
    /// Call `on_timer(timer)` at `at`.
    Timer { at: SimTime, timer: Timer },
    /// The reply to a command of the local (scenario/console) client that had blocked.
    Reply { client: ClientId, value: Value },
    /// Persist `dump.rdb` (the node's only file; it survives crashes).
    WriteRdb { bytes: Vec<u8> },
    /// The process exits (SHUTDOWN finished).
    Exit,
    /// Something for the event log.
    Log(NodeEvent),
}

/// Things a node reports for the event log and the page.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NodeEvent {
    /// A line of Redis's own log, in Redis's words.
    Log { level: LogLevel, text: String },
    /// The replica-side replication state changed (`connect`, `handshake`, ...).
    ReplicaState { state: String },
    /// A replica as seen by its master changed state (`wait_bgsave`, `online`, ...).
    ReplicaClientState {
        client: ClientId,
        addr: String,
        state: String,
    },
    /// A master answered a PSYNC: the decision and every check it made.
    PsyncDecision(Box<crate::repl::psync::Decision>),
    /// A BGSAVE started (for replication or persistence).
    BgsaveStart { target: String, rdb_bytes: usize },
    /// The replication id or secondary id changed.
    ReplidChange {
        replid: String,
        replid2: String,
        second_repl_offset: i64,
        why: String,
    },
}

/// Redis log levels as they appear in its log (`.` debug, `-` verbose, `*` notice, `#` warning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Notice,
    Warning,
}

/// Buffers of segments already delivered, handed out again for the next ones sent
/// (a replicated write sends one small segment per replica, and each was a new
/// allocation, freed when it arrived). Only small buffers are kept, a few. Not part
/// of the world: a copy of it starts empty. Natively the list a call's effects were
/// pushed into is kept too, for the next call (the page's calls are few, and that
/// list's code would cost its download some 300 bytes).
#[derive(Debug, Default)]
pub struct BufPool(
    Vec<Vec<u8>>,
    #[cfg(not(target_arch = "wasm32"))] Vec<Effect>,
);

impl Clone for BufPool {
    fn clone(&self) -> Self {
        BufPool::default()
    }
}

impl BufPool {
    /// Buffers kept, at most.
    const MAX: usize = 8;
    /// Capacity of a buffer worth keeping, at most.
    const MAX_BYTES: usize = 4096;

    /// An empty buffer with room for `n` bytes.
    pub fn take(&mut self, n: usize) -> Vec<u8> {
        if cfg!(target_arch = "wasm32") {
            // The page sends few segments: not worth the code in its download.
            return Vec::with_capacity(n);
        }
        match self.0.pop() {
            Some(mut b) => {
                b.reserve(n);
                b
            }
            None => Vec::with_capacity(n),
        }
    }

    /// Take back the list of a call's effects, all applied.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    pub fn give_effects(&mut self, mut list: Vec<Effect>) {
        if list.capacity() <= 64 && self.1.capacity() == 0 {
            list.clear();
            std::mem::swap(&mut self.1, &mut list);
        }
    }

    /// Take back the list of a call's effects (the page's wasm keeps none).
    #[cfg(target_arch = "wasm32")]
    pub fn give_effects(&mut self, _list: Vec<Effect>) {}

    /// Take back a buffer whose bytes were used.
    pub fn give(&mut self, mut b: Vec<u8>) {
        if cfg!(target_arch = "wasm32") {
            return;
        }
        if self.0.len() < Self::MAX && b.capacity() <= Self::MAX_BYTES && b.capacity() > 0 {
            b.clear();
            self.0.push(b);
        }
    }
}

/// The context of one call into a node: the time, the run's randomness, and the
/// list of effects the node produces.
pub struct Ctx<'a> {
    /// Simulated time of this call.
    pub now: SimTime,
    /// The run's one random generator.
    pub rng: &'a mut Rng,
    /// Effects, applied by the sim in order after the call returns.
    pub out: Vec<Effect>,
    /// Room for bytes to send.
    pub bufs: &'a mut BufPool,
}

impl<'a> Ctx<'a> {
    /// A fresh context at `now`.
    pub fn new(now: SimTime, rng: &'a mut Rng, bufs: &'a mut BufPool) -> Ctx<'a> {
        Ctx {
            now,
            rng,
            #[cfg(not(target_arch = "wasm32"))]
            out: std::mem::take(&mut bufs.1),
            #[cfg(target_arch = "wasm32")]
            out: Vec::new(),
            bufs,
        }
    }

    /// Redis's `mstime()`: the 13-digit wall clock in ms.
    pub fn mstime(&self) -> i64 {
        self.now.wall_ms()
    }

    /// Redis's `server.unixtime`: the wall clock in whole seconds.
    pub fn unixtime(&self) -> i64 {
        self.now.unix_secs()
    }

    /// Queue bytes for `fd`.
    pub fn send(&mut self, fd: Fd, kind: SendKind, bytes: Vec<u8>) {
        self.send_notify(fd, kind, bytes, false);
    }

    /// [`Ctx::send`], asking to hear (`on_drained`) when the bytes have left if `notify`.
    pub fn send_notify(&mut self, fd: Fd, kind: SendKind, bytes: Vec<u8>, notify: bool) {
        if !bytes.is_empty() {
            self.out.push(Effect::Send {
                fd,
                kind,
                bytes,
                notify_drained: notify,
            });
        }
    }

    /// Log a line in Redis's words at notice level.
    pub fn notice(&mut self, text: impl Into<String>) {
        self.out.push(Effect::Log(NodeEvent::Log {
            level: LogLevel::Notice,
            text: text.into(),
        }));
    }

    /// Log a line in Redis's words at warning level.
    pub fn warning(&mut self, text: impl Into<String>) {
        self.out.push(Effect::Log(NodeEvent::Log {
            level: LogLevel::Warning,
            text: text.into(),
        }));
    }

    /// Record a structured event.
    pub fn event(&mut self, e: NodeEvent) {
        self.out.push(Effect::Log(e));
    }
}
