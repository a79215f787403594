//! The simulated network: links between node pairs, TCP-like connections on them,
//! and the segments in flight.
//!
//! Shaped after turmoil: a link is keyed by an ordered pair of nodes and has a state
//! (healthy, partitioned, disconnected); each connection serialises its bytes, in each
//! direction, at the link's bandwidth, so a segment of `n` bytes sent at `t` arrives at
//! `max(t, busy_until) + n*8/bandwidth + latency`, and every connection is FIFO.
//! Two connections on one link (Redis 8.0's rdb channel beside its main channel) do not
//! queue behind each other: TCP shares a path between its flows, so a light flow (the
//! replication stream) is barely slowed by a heavy one (the RDB); the model does not slow
//! it at all, and lets the heavy one keep the whole bandwidth.
//!
//! - `disconnect` resets every connection on the link at once (both ends notice, as
//!   with a RST) and refuses new ones until `reconnect`.
//! - `partition` makes the link silent: segments in flight and new ones are *held*,
//!   nobody is told anything. Connections stay open until an application timeout
//!   (`repl-timeout`) notices. On `heal` the held segments are transmitted again in
//!   their original order, as TCP retransmission would; a segment that reaches a
//!   socket closed in the meantime is answered with a RST, as a real stack does.
//!
//! The network never calls a node. It returns [`NetNote`]s that the `Sim` turns into
//! node calls, and schedules [`SimEvent`]s on the shared queue.

use super::queue::EventQueue;
use super::{NodeId, SimEvent};
use crate::node::effects::{CloseReason, Fd, SendKind};
use crate::time::SimTime;
use crate::util::VecMap;
use serde::Serialize;

/// Largest segment the network carries; bigger writes are split so that a long
/// transfer arrives progressively (a replica's `repl-timeout` counts from its last read).
pub const SEGMENT_BYTES_MAX: usize = 16 * 1024;

/// What a closing socket still delivers behind the segment on the wire: its kernel
/// send buffer (the node's contract says how big, and why).
pub use crate::node::effects::SNDBUF_BYTES;

/// Identifies a connection for the whole run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ConnId(pub u64);

/// Identifies a segment in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct EnvId(pub u64);

/// Properties of the path between two nodes (both directions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LinkProps {
    /// One-way latency.
    pub latency_us: u64,
    /// Bandwidth of each direction.
    pub bandwidth_bits_per_sec: u64,
}

impl Default for LinkProps {
    /// The contract's defaults: latency 1ms, bandwidth 1gbit.
    fn default() -> Self {
        LinkProps {
            latency_us: 1000,
            bandwidth_bits_per_sec: 1_000_000_000,
        }
    }
}

/// The path between two nodes.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Link {
    /// Latency and bandwidth.
    pub props: LinkProps,
    /// `disconnect`ed: connections reset, new ones refused.
    pub disconnected: bool,
    /// `partition`ed: everything held, nobody notified.
    pub partitioned: bool,
    /// Held segments, in the order they were sent.
    #[serde(skip)]
    held: Vec<EnvId>,
}

/// What a segment carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "bytes", rename_all = "snake_case")]
pub enum Segment {
    /// Connection request.
    Syn,
    /// Connection accepted.
    SynAck,
    /// Stream bytes.
    Data(#[serde(skip)] Vec<u8>),
    /// Orderly close.
    Fin,
    /// Reset (or "connection refused" when answering a SYN).
    Rst,
}

impl Segment {
    /// Bytes on the wire for bandwidth purposes (control segments count as one byte
    /// so that ordering behind data is still enforced).
    /// Bytes on the wire (control segments count as one byte).
    pub fn wire_len_public(&self) -> usize {
        self.wire_len()
    }

    fn wire_len(&self) -> usize {
        match self {
            Segment::Data(b) => b.len(),
            _ => 1,
        }
    }

    /// Short name for the event log.
    pub fn name(&self) -> &'static str {
        match self {
            Segment::Syn => "syn",
            Segment::SynAck => "synack",
            Segment::Data(_) => "data",
            Segment::Fin => "fin",
            Segment::Rst => "rst",
        }
    }
}

/// One end of a connection.
#[derive(Clone, Debug, Serialize)]
pub struct EndPoint {
    /// The node.
    pub node: NodeId,
    /// Which life of the node (a restart is a new incarnation).
    pub incarnation: u32,
    /// The node's handle, once it has one (the acceptor gets it when the SYN arrives).
    pub fd: Option<Fd>,
    /// Still open on this side.
    pub open: bool,
}

/// A TCP-like connection. Side 0 opened it, side 1 accepted it.
#[derive(Clone, Debug, Serialize)]
pub struct Conn {
    /// Its id.
    pub id: ConnId,
    /// Initiator and acceptor.
    pub ends: [EndPoint; 2],
    /// The SYN-ACK reached the initiator.
    pub established: bool,
    /// The port the initiator asked for.
    pub port: u16,
    /// When each side's bytes are all on the wire (indexed by the sending side).
    #[serde(skip)]
    busy_until: [SimTime; 2],
    /// Natively, its link's latency and bandwidth as they were at
    /// [`Network::link_gen`] `Some(n)`, the link then not partitioned: a segment sent
    /// while the generation is still `n` takes them from here instead of looking the
    /// link up (nothing about a link changes without moving the generation).
    #[serde(skip)]
    link_seen: Option<(u64, LinkProps)>,
}

/// A segment on its way.
#[derive(Clone, Debug, Serialize)]
pub struct Envelope {
    /// Its id.
    pub id: EnvId,
    /// The connection it belongs to.
    pub conn: ConnId,
    /// The sending side of the connection (0 or 1).
    pub from_side: usize,
    /// Contents.
    pub seg: Segment,
    /// When the sender wrote it.
    pub sent_at: SimTime,
    /// When its first bit goes on the wire.
    pub tx_start: SimTime,
    /// When its last bit leaves the sender.
    pub tx_end: SimTime,
    /// When it reaches the receiver.
    pub arrive_at: SimTime,
    /// Where its connection was in the network's list when it was sent: where its
    /// delivery looks first ([`VecMap::get_mut_near`]).
    /// (A `u32`, which fits beside the flags: an envelope stays 88 bytes, and a
    /// burst keeps hundreds of thousands on their way.)
    #[serde(skip)]
    conn_at: u32,
    /// Held by a partition (no delivery scheduled).
    pub held: bool,
    /// Tell the sender when it has left (see `Effect::Send`).
    pub notify_drained: bool,
    /// What the bytes are (None for connection control segments).
    pub kind: Option<SendKind>,
}

/// Something the sim must tell a node, produced by a delivery.
#[derive(Clone, Debug)]
pub enum NetNote {
    /// A SYN reached `node`; the sim accepts (if the node runs) or refuses.
    Syn {
        conn: ConnId,
        node: NodeId,
        peer: NodeId,
        port: u16,
    },
    /// The initiator's connect completed.
    Connected {
        node: NodeId,
        incarnation: u32,
        fd: Fd,
    },
    /// Bytes arrived.
    Data {
        node: NodeId,
        incarnation: u32,
        fd: Fd,
        bytes: Vec<u8>,
    },
    /// The connection ended on this side.
    Closed {
        node: NodeId,
        incarnation: u32,
        fd: Fd,
        reason: CloseReason,
    },
    /// Bytes sent with `notify_drained` have left the sender.
    Drained {
        node: NodeId,
        incarnation: u32,
        fd: Fd,
    },
}

/// Segments in flight, by id. Ids grow with send order and most deliveries take
/// the oldest, so a send appends and a delivery of the oldest only moves `head` on,
/// both O(1) (a sorted `Vec` moved every byte behind the front on each delivery:
/// quadratic with many segments in flight). A removed segment leaves a hole; holes
/// are squeezed out once they are half the slots. (The page's wasm; natively see
/// the chunked [`Envs`] below.)
#[cfg(target_arch = "wasm32")]
#[derive(Clone, Debug, Default)]
struct Envs {
    slots: Vec<(EnvId, Option<Envelope>)>,
    /// Slots before it are holes.
    head: usize,
    /// Holes among the slots.
    holes: usize,
    /// Data segments among them (the network is quiet when 0).
    data: usize,
}

#[cfg(target_arch = "wasm32")]
impl Envs {
    fn find(&self, id: EnvId) -> Option<usize> {
        let live = &self.slots[self.head..];
        // Most lookups are of the oldest segment.
        let i = match live.first() {
            Some((k, _)) if *k == id => 0,
            _ => live.binary_search_by_key(&id, |(k, _)| *k).ok()?,
        } + self.head;
        self.slots[i].1.is_some().then_some(i)
    }

    fn get(&self, id: &EnvId) -> Option<&Envelope> {
        self.find(*id).and_then(|i| self.slots[i].1.as_ref())
    }

    /// The segment at a position [`Envs::find`] gave.
    fn at_mut(&mut self, i: usize) -> Option<&mut Envelope> {
        self.slots[i].1.as_mut()
    }

    fn get_mut(&mut self, id: &EnvId) -> Option<&mut Envelope> {
        let i = self.find(*id)?;
        self.slots[i].1.as_mut()
    }

    /// Add a segment; ids must grow.
    fn insert(&mut self, id: EnvId, e: Envelope) {
        self.data += usize::from(matches!(e.seg, Segment::Data(_)));
        self.slots.push((id, Some(e)));
    }

    /// Take out the segment at a position [`Envs::find`] gave.
    // Per segment (see [`NATIVE`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn remove_at(&mut self, i: usize) -> Option<Envelope> {
        let e = self.slots[i].1.take()?;
        self.data -= usize::from(matches!(e.seg, Segment::Data(_)));
        self.holes += 1;
        if cfg!(not(target_arch = "wasm32"))
            && i == self.head
            && self.slots.get(i + 1).is_some_and(|(_, e)| e.is_some())
        {
            // The oldest left and the next is still on its way (most deliveries): the
            // head only moves past it (natively; the page's wasm keeps the one path).
            self.head += 1;
            self.squeeze();
        } else {
            self.trim();
        }
        Some(e)
    }

    fn trim(&mut self) {
        while self.slots.get(self.head).is_some_and(|(_, e)| e.is_none()) {
            self.head += 1;
        }
        while self.slots.last().is_some_and(|(_, e)| e.is_none()) {
            self.slots.pop();
            self.holes -= 1;
        }
        self.head = self.head.min(self.slots.len());
        self.squeeze();
    }

    /// Squeeze the holes out once they are half the slots.
    // Per segment (see [`NATIVE`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn squeeze(&mut self) {
        if self.holes > 32 && self.holes * 2 > self.slots.len() {
            self.slots.retain(|(_, e)| e.is_some());
            self.holes = 0;
            self.head = 0;
        }
    }

    fn values(&self) -> impl DoubleEndedIterator<Item = &Envelope> {
        self.slots[self.head..]
            .iter()
            .filter_map(|(_, e)| e.as_ref())
    }

    fn retain(&mut self, mut f: impl FnMut(&Envelope) -> bool) {
        for (_, slot) in self.slots.iter_mut() {
            if slot.as_ref().is_some_and(|e| !f(e)) {
                let e = slot.take().expect("checked");
                self.data -= usize::from(matches!(e.seg, Segment::Data(_)));
                self.holes += 1;
            }
        }
        self.trim();
    }
}

/// The network: links, connections, segments in flight.
#[derive(Clone, Debug, Default)]
pub struct Network {
    links: VecMap<(NodeId, NodeId), Link>,
    conns: VecMap<ConnId, Conn>,
    /// Open sockets, keyed by [`sock_key`]: the connection and the side of it the
    /// socket is.
    socks: VecMap<u64, (ConnId, usize)>,
    envs: Envs,
    next_conn: u64,
    next_env: u64,
    /// Kind for the data segment being transmitted (set by `send`).
    next_kind: Option<SendKind>,
    /// Some link is partitioned (set by `partition`, cleared by `heal` when none
    /// is left): a delivery looks at its link only then.
    any_partitioned: bool,
    /// Natively, a socket closed since closed connections were last collected (none
    /// can be closed on both sides otherwise). The page's wasm always looks.
    closed_since_gc: bool,
    /// Moves on whenever a link may change ([`Network::link_mut`]): what a
    /// connection remembers of its link holds while it stays the same.
    link_gen: u64,
}

/// Microseconds `len` bytes take on the wire at `bandwidth` bits/s (rounded up).
fn wire_time_us(len: usize, bandwidth: u64) -> u64 {
    let bw = bandwidth.max(1);
    match (len as u64).checked_mul(8_000_000) {
        Some(bits) => bits.div_ceil(bw).min(u64::MAX / 4),
        None => {
            let bits = (len as u128) * 8 * 1_000_000;
            bits.div_ceil(u128::from(bw)).min(u128::from(u64::MAX / 4)) as u64
        }
    }
}

/// True in native builds (code the page's wasm does without is behind it).
///
/// Natively, the functions every segment goes through (`send`, `transmit`,
/// `schedule_times`, `deliver`, `Envs::remove_at`) are inlined into their callers
/// (`inline(always)`, marked "per segment"): a replicated write sends and delivers
/// one segment per replica, and the calls' entries and exits were about 300
/// instructions of its ~12,000 (callgrind on `cargo bench --bench hour`). The page's
/// wasm leaves inlining to the compiler, which weighs size.
const NATIVE: bool = cfg!(not(target_arch = "wasm32"));

/// A socket's key: `(node, fd)` in one integer, ordered as the pair (a search
/// compares one number instead of two, on every segment sent).
fn sock_key(node: NodeId, fd: Fd) -> u64 {
    (node as u64) << 32 | u64::from(fd.0)
}

fn link_key(a: NodeId, b: NodeId) -> (NodeId, NodeId) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Network {
    /// The link between `a` and `b` (created with defaults on first use).
    pub fn link_mut(&mut self, a: NodeId, b: NodeId) -> &mut Link {
        if cfg!(not(target_arch = "wasm32")) {
            self.link_gen += 1;
        }
        self.links.get_or_insert_with(link_key(a, b), Link::default)
    }

    /// The link between `a` and `b`, if it was ever configured or used.
    pub fn link(&self, a: NodeId, b: NodeId) -> Option<&Link> {
        self.links.get(&link_key(a, b))
    }

    /// Every link that exists, keyed by node pair.
    pub fn links(&self) -> impl Iterator<Item = (&(NodeId, NodeId), &Link)> {
        self.links.iter()
    }

    /// Every connection, open or closed on either side.
    pub fn conns(&self) -> impl Iterator<Item = &Conn> {
        self.conns.values()
    }

    /// Every segment in flight or held.
    pub fn envelopes(&self) -> impl Iterator<Item = &Envelope> {
        self.envs.values()
    }

    /// A connection by id (None once closed on both sides and collected).
    pub fn conn(&self, id: ConnId) -> Option<&Conn> {
        self.conns.get(&id)
    }

    /// A segment in flight or held, by id.
    pub fn envelope(&self, id: EnvId) -> Option<&Envelope> {
        self.envs.get(&id)
    }

    /// How many connections the network remembers (open, or closed with
    /// segments still on their way).
    pub fn conn_count(&self) -> usize {
        self.conns.len()
    }

    /// The connection behind a node's fd, if still open on that side.
    pub fn conn_of(&self, node: NodeId, fd: Fd) -> Option<&Conn> {
        self.socks
            .get(&sock_key(node, fd))
            .and_then(|(c, _)| self.conns.get(c))
    }

    /// The id the next segment will get.
    pub fn next_env_id(&self) -> EnvId {
        EnvId(self.next_env)
    }

    /// Arrival time of the most recently sent segment.
    pub fn last_arrival(&self) -> Option<SimTime> {
        self.envs
            .values()
            .next_back()
            .filter(|e| !e.held)
            .map(|e| e.arrive_at)
    }

    /// True when no data segment is in flight or held anywhere.
    pub fn is_quiet(&self) -> bool {
        self.envs.data == 0
    }

    /// Open a connection from `from` = `(node, incarnation, fd)` to `to:port`
    /// (`to` None: the host does not resolve).
    pub fn connect(
        &mut self,
        now: SimTime,
        q: &mut EventQueue<SimEvent>,
        from: (NodeId, u32, Fd),
        to: Option<NodeId>,
        port: u16,
    ) -> ConnId {
        let (node, incarnation, fd) = from;
        let id = ConnId(self.next_conn);
        self.next_conn += 1;
        let to_node = to.unwrap_or(node);
        let conn = Conn {
            id,
            ends: [
                EndPoint {
                    node,
                    incarnation,
                    fd: Some(fd),
                    open: true,
                },
                EndPoint {
                    node: to_node,
                    incarnation: 0,
                    fd: None,
                    open: false,
                },
            ],
            established: false,
            port,
            busy_until: [SimTime::ZERO; 2],
            link_seen: None,
        };
        self.conns.insert(id, conn);
        self.socks.insert(sock_key(node, fd), (id, 0));
        match to {
            // Name resolution failed: the connect fails at once.
            None => q.push(now, SimEvent::Refuse(id)),
            Some(to) if self.link_mut(node, to).disconnected => {
                // A refused connect still costs a round trip (SYN out, RST back).
                let rtt = 2 * self.link_mut(node, to).props.latency_us;
                q.push(now.plus_us(rtt), SimEvent::Refuse(id));
            }
            Some(_) => self.transmit(now, q, id, 0, Segment::Syn, false),
        }
        id
    }

    /// The acceptor took the connection on `fd`: answer the SYN.
    pub fn accept(
        &mut self,
        now: SimTime,
        q: &mut EventQueue<SimEvent>,
        conn: ConnId,
        incarnation: u32,
        fd: Fd,
    ) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        c.ends[1].incarnation = incarnation;
        c.ends[1].fd = Some(fd);
        c.ends[1].open = true;
        let node = c.ends[1].node;
        self.socks.insert(sock_key(node, fd), (conn, 1));
        self.transmit(now, q, conn, 1, Segment::SynAck, false);
    }

    /// Nobody listens at the SYN's destination: answer with a RST.
    pub fn refuse(&mut self, now: SimTime, q: &mut EventQueue<SimEvent>, conn: ConnId) {
        self.transmit(now, q, conn, 1, Segment::Rst, false);
    }

    /// A refusal that needs no segment (unresolvable host, disconnected link).
    pub fn refuse_now(&mut self, conn: ConnId) -> Option<NetNote> {
        let c = self.conns.get_mut(&conn)?;
        let end = &mut c.ends[0];
        if !end.open {
            return None;
        }
        end.open = false;
        if NATIVE {
            self.closed_since_gc = true;
        }
        let fd = end.fd?;
        let note = NetNote::Closed {
            node: end.node,
            incarnation: end.incarnation,
            fd,
            reason: CloseReason::Refused,
        };
        self.socks.remove(&sock_key(end.node, fd));
        Some(note)
    }

    /// Write bytes of the given kind from `from` = `(node, fd)`. Returns false if
    /// the socket is not open.
    // Per segment (see [`NATIVE`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn send(
        &mut self,
        now: SimTime,
        q: &mut EventQueue<SimEvent>,
        from: (NodeId, Fd),
        kind: SendKind,
        bytes: Vec<u8>,
        notify_drained: bool,
    ) -> bool {
        let (node, fd) = from;
        let Some(&(conn, side)) = self.socks.get(&sock_key(node, fd)) else {
            return false;
        };
        debug_assert!(self.conns.get(&conn).is_some_and(|c| {
            let end = &c.ends[side];
            end.node == node && end.fd == Some(fd) && end.open
        }));
        self.next_kind = Some(kind);
        if bytes.len() <= SEGMENT_BYTES_MAX {
            self.transmit(now, q, conn, side, Segment::Data(bytes), notify_drained);
        } else {
            let n = bytes.len().div_ceil(SEGMENT_BYTES_MAX);
            for (i, chunk) in bytes.chunks(SEGMENT_BYTES_MAX).enumerate() {
                let last = i + 1 == n;
                self.next_kind = Some(kind);
                self.transmit(
                    now,
                    q,
                    conn,
                    side,
                    Segment::Data(chunk.to_vec()),
                    notify_drained && last,
                );
            }
        }
        self.next_kind = None;
        true
    }

    /// Close `(node, fd)`: the peer gets a FIN after the data already sent.
    pub fn close(&mut self, now: SimTime, q: &mut EventQueue<SimEvent>, node: NodeId, fd: Fd) {
        let Some((conn, side)) = self.socks.remove(&sock_key(node, fd)) else {
            return;
        };
        let c = self
            .conns
            .get_mut(&conn)
            .expect("socket maps to a live conn");
        c.ends[side].open = false;
        if NATIVE {
            self.closed_since_gc = true;
        }
        let peer_open = c.ends[1 - side].open || !c.established;
        self.drop_unsent(now, conn, side);
        if peer_open {
            self.transmit(now, q, conn, side, Segment::Fin, false);
        }
    }

    /// A socket closes (its process closed it, or died): what its process wrote beyond
    /// the kernel's send buffer never leaves. A process writes as the socket drains,
    /// so at most [`SNDBUF_BYTES`] wait behind the segment on the wire; the simulator
    /// hands a whole write (an RDB of megabytes) to the network at once, so the
    /// segments past that are dropped here, and the FIN follows the last one kept. A
    /// master that drops a replica mid-sync (output-buffer limit, crash) then cuts its
    /// RDB short, as Redis's does, instead of delivering all of it first.
    fn drop_unsent(&mut self, now: SimTime, conn: ConnId, side: usize) {
        let mut buffered = 0;
        let mut end = None;
        let mut dropped = Vec::new();
        for e in self.envs.values() {
            if e.conn != conn || e.from_side != side || e.held {
                continue;
            }
            if !dropped.is_empty() {
                dropped.push(e.id);
            } else if e.tx_start <= now {
                end = Some(e.tx_end); // on the wire
            } else if buffered + e.seg.wire_len() <= SNDBUF_BYTES {
                buffered += e.seg.wire_len();
                end = Some(e.tx_end);
            } else {
                dropped.push(e.id);
            }
        }
        if dropped.is_empty() {
            return;
        }
        for id in dropped {
            if let Some(i) = self.envs.find(id) {
                self.envs.remove_at(i);
            }
        }
        if let Some(c) = self.conns.get_mut(&conn) {
            c.busy_until[side] = end.unwrap_or(now).max(now);
        }
    }

    /// The process behind `node` died: every socket of it closes (the kernel sends FINs).
    pub fn close_all_of(&mut self, now: SimTime, q: &mut EventQueue<SimEvent>, node: NodeId) {
        let fds: Vec<Fd> = self
            .socks
            .range_inclusive(&sock_key(node, Fd(0)), &sock_key(node, Fd(u32::MAX)))
            .map(|(&k, _)| Fd(k as u32))
            .collect();
        for fd in fds {
            self.close(now, q, node, fd);
        }
    }

    /// `disconnect a b`: reset every connection between them now, drop what is in
    /// flight, refuse new connections until `reconnect`.
    pub fn disconnect(&mut self, a: NodeId, b: NodeId) -> Vec<NetNote> {
        let link = self.link_mut(a, b);
        link.disconnected = true;
        link.held.clear();
        let mut notes = Vec::new();
        let ids: Vec<ConnId> = self
            .conns
            .values()
            .filter(|c| link_key(c.ends[0].node, c.ends[1].node) == link_key(a, b))
            .map(|c| c.id)
            .collect();
        for id in &ids {
            let c = self.conns.get_mut(id).expect("listed above");
            for end in c.ends.iter_mut() {
                if end.open {
                    end.open = false;
                    if NATIVE {
                        self.closed_since_gc = true;
                    }
                    if let Some(fd) = end.fd {
                        self.socks.remove(&sock_key(end.node, fd));
                        notes.push(NetNote::Closed {
                            node: end.node,
                            incarnation: end.incarnation,
                            fd,
                            reason: CloseReason::Reset,
                        });
                    }
                }
            }
        }
        self.envs.retain(|e| !ids.contains(&e.conn));
        notes
    }

    /// `reconnect a b`: allow connections again.
    pub fn reconnect(&mut self, a: NodeId, b: NodeId) {
        self.link_mut(a, b).disconnected = false;
    }

    /// `partition a b`: hold everything in flight and everything sent from now on.
    pub fn partition(&mut self, a: NodeId, b: NodeId) {
        let key = link_key(a, b);
        self.link_mut(a, b).partitioned = true;
        self.any_partitioned = true;
        let mut in_flight: Vec<EnvId> = Vec::new();
        for e in self.envs.values() {
            if !e.held && self.conn_key(e.conn) == Some(key) {
                in_flight.push(e.id);
            }
        }
        // EnvIds grow with send order, so this keeps every connection FIFO.
        crate::util::sort::sort(&mut in_flight);
        for id in &in_flight {
            self.envs.get_mut(id).expect("listed above").held = true;
        }
        let link = self.link_mut(a, b);
        let mut held = in_flight;
        held.append(&mut link.held);
        crate::util::sort::sort(&mut held);
        link.held = held;
    }

    /// `heal a b`: retransmit what was held, in order, from now.
    pub fn heal(&mut self, now: SimTime, q: &mut EventQueue<SimEvent>, a: NodeId, b: NodeId) {
        let link = self.link_mut(a, b);
        link.partitioned = false;
        let held = std::mem::take(&mut link.held);
        self.any_partitioned = self.links.values().any(|l| l.partitioned);
        for id in held {
            let Some(e) = self.envs.get(&id) else {
                continue;
            };
            let (conn, side, len) = (e.conn, e.from_side, e.seg.wire_len());
            let mut at = e.conn_at as usize;
            let Some((tx_start, tx_end, arrive)) =
                self.schedule_times(now, (conn, &mut at), side, len)
            else {
                continue; // not partitioned any more: unreachable
            };
            let e = self.envs.get_mut(&id).expect("checked above");
            e.conn_at = at as u32;
            e.held = false;
            e.tx_start = tx_start;
            e.tx_end = tx_end;
            e.arrive_at = arrive;
            // Drained is queued first so that, with zero latency, it still fires
            // before the delivery removes the envelope.
            if e.notify_drained {
                q.push(tx_end, SimEvent::Drained(id));
            }
            q.push(arrive, SimEvent::Deliver(id));
        }
    }

    /// A `Drained` event fired: tell the sender if its socket is still open.
    pub fn drained(&mut self, env: EnvId) -> Option<NetNote> {
        let e = self.envs.get(&env)?;
        if e.held {
            return None;
        }
        let c = self.conns.get(&e.conn)?;
        let end = &c.ends[e.from_side];
        if !end.open {
            return None;
        }
        Some(NetNote::Drained {
            node: end.node,
            incarnation: end.incarnation,
            fd: end.fd?,
        })
    }

    /// A `Deliver` event fired: hand the segment to its receiver, or hold it if the
    /// link went silent meanwhile.
    // Per segment (see [`NATIVE`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn deliver(
        &mut self,
        now: SimTime,
        q: &mut EventQueue<SimEvent>,
        env: EnvId,
    ) -> Option<NetNote> {
        // One search for the segment and one for its connection.
        let i = self.envs.find(env)?;
        let e = self.envs.at_mut(i)?;
        if e.held {
            return None;
        }
        let mut at = e.conn_at as usize;
        let c = self.conns.get_mut_near(&e.conn, &mut at)?;
        let key = link_key(c.ends[0].node, c.ends[1].node);
        let silent = cfg!(target_arch = "wasm32") || self.any_partitioned;
        if let Some(link) = silent
            .then(|| self.links.get_mut(&key))
            .flatten()
            .filter(|l| l.partitioned)
        {
            link.held.push(env);
            crate::util::sort::sort(&mut link.held);
            e.held = true;
            return None;
        }
        let e = self.envs.remove_at(i).expect("found");
        let to_side = 1 - e.from_side;
        let to = c.ends[to_side].clone();
        match e.seg {
            Segment::Syn => Some(NetNote::Syn {
                conn: c.id,
                node: to.node,
                peer: c.ends[0].node,
                port: c.port,
            }),
            Segment::SynAck => {
                if to.open && !c.established {
                    c.established = true;
                    Some(NetNote::Connected {
                        node: to.node,
                        incarnation: to.incarnation,
                        fd: to.fd?,
                    })
                } else {
                    // The initiator gave up meanwhile: its stack resets the connection.
                    let conn = c.id;
                    self.transmit(now, q, conn, to_side, Segment::Rst, false);
                    None
                }
            }
            Segment::Data(bytes) => {
                if to.open {
                    Some(NetNote::Data {
                        node: to.node,
                        incarnation: to.incarnation,
                        fd: to.fd?,
                        bytes,
                    })
                } else {
                    let (conn, from_open) = (c.id, c.ends[e.from_side].open);
                    if from_open {
                        self.transmit(now, q, conn, to_side, Segment::Rst, false);
                    }
                    None
                }
            }
            Segment::Fin | Segment::Rst => {
                let reason = match (&e.seg, c.established) {
                    // A RST answering our SYN: nobody listens there.
                    (Segment::Rst, false) if to_side == 0 => CloseReason::Refused,
                    (Segment::Rst, _) => CloseReason::Reset,
                    _ => CloseReason::PeerClosed,
                };
                if !to.open {
                    return None;
                }
                c.ends[to_side].open = false;
                if NATIVE {
                    self.closed_since_gc = true;
                }
                let fd = to.fd?;
                self.socks.remove(&sock_key(to.node, fd));
                Some(NetNote::Closed {
                    node: to.node,
                    incarnation: to.incarnation,
                    fd,
                    reason,
                })
            }
        }
    }

    /// Drop bookkeeping for connections closed on both sides with nothing in flight.
    // Inlined natively: the flag is all most calls look at.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    /// `waiting`: connections whose SYN reached a process still booting, which will
    /// accept them (or not) when it is up: kept whatever their ends (the initiator may
    /// have closed its side meanwhile, and the acceptor's answer must still find them).
    pub fn collect_garbage(&mut self, waiting: impl Fn(ConnId) -> bool) {
        // Usually no socket closed since the last look (answered inline, natively),
        // or every connection is still open on a side: nothing to look for.
        if NATIVE && !self.closed_since_gc {
            return;
        }
        self.collect_closed(waiting);
    }

    fn collect_closed(&mut self, waiting: impl Fn(ConnId) -> bool) {
        let open = |c: &Conn| c.ends[0].open || c.ends[1].open;
        if self.conns.values().all(open) {
            self.closed_since_gc = false;
            return;
        }
        let mut busy: Vec<ConnId> = self.envs.values().map(|e| e.conn).collect();
        crate::util::sort::sort(&mut busy);
        busy.dedup();
        self.conns
            .retain(|id, c| busy.binary_search(id).is_ok() || open(c) || waiting(*id));
        // Those kept for their segments on the way are looked at again next time.
        self.closed_since_gc = !self.conns.values().all(open);
    }

    fn conn_key(&self, conn: ConnId) -> Option<(NodeId, NodeId)> {
        self.conns
            .get(&conn)
            .map(|c| link_key(c.ends[0].node, c.ends[1].node))
    }

    /// When a segment of `len` bytes written now on `conn` by `from_side` starts and
    /// ends leaving (after what that side sent before: its direction is busy until
    /// then) and when it arrives; None, and nothing reserved, while the link is
    /// partitioned. `conn` is the connection and where to look for it first (set to
    /// where it is).
    // Per segment (see [`NATIVE`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn schedule_times(
        &mut self,
        now: SimTime,
        conn: (ConnId, &mut usize),
        from_side: usize,
        len: usize,
    ) -> Option<(SimTime, SimTime, SimTime)> {
        let c = self
            .conns
            .get_mut_near(&conn.0, conn.1)
            .expect("a known conn");
        let props = match c.link_seen {
            // Natively the link's properties are copied into the connection and used
            // while no link changed (a lookup of the link per segment otherwise).
            Some((gen, props)) if cfg!(not(target_arch = "wasm32")) && gen == self.link_gen => {
                props
            }
            _ => {
                let (from, to) = (c.ends[from_side].node, c.ends[1 - from_side].node);
                let link = self
                    .links
                    .get_or_insert_with(link_key(from, to), Link::default);
                if link.partitioned {
                    return None;
                }
                if cfg!(not(target_arch = "wasm32")) {
                    c.link_seen = Some((self.link_gen, link.props));
                }
                link.props
            }
        };
        let tx_start = now.max(c.busy_until[from_side]);
        let tx_end = tx_start.plus_us(wire_time_us(len, props.bandwidth_bits_per_sec));
        c.busy_until[from_side] = tx_end;
        Some((tx_start, tx_end, tx_end.plus_us(props.latency_us)))
    }

    // Per segment (see [`NATIVE`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn transmit(
        &mut self,
        now: SimTime,
        q: &mut EventQueue<SimEvent>,
        conn: ConnId,
        from_side: usize,
        seg: Segment,
        notify_drained: bool,
    ) {
        let id = EnvId(self.next_env);
        self.next_env += 1;
        let mut conn_at = 0;
        let times = self.schedule_times(now, (conn, &mut conn_at), from_side, seg.wire_len());
        let partitioned = times.is_none();
        let (tx_start, tx_end, arrive_at) = times.unwrap_or((now, now, now));
        self.envs.insert(
            id,
            Envelope {
                id,
                conn,
                from_side,
                seg,
                sent_at: now,
                tx_start,
                tx_end,
                arrive_at,
                conn_at: conn_at as u32,
                held: partitioned,
                notify_drained,
                kind: self.next_kind.take(),
            },
        );
        if partitioned {
            let key = self.conn_key(conn).expect("transmit on a known conn");
            self.links.get_mut(&key).expect("checked").held.push(id);
        } else {
            if notify_drained {
                q.push(tx_end, SimEvent::Drained(id));
            }
            // One stream per direction of a connection: its segments arrive in order.
            let stream = conn.0 * 2 + from_side as u64;
            q.push_stream(stream, arrive_at, SimEvent::Deliver(id));
        }
    }
}

/// Segments in flight, by id, natively: the page's list of slots cut into chunks of
/// at most [`Envs::CHUNK`]. A burst (100,000 writes to three replicas at one instant
/// puts 300,000 segments on their way) then grows chunk by chunk, instead of copying
/// every slot each time one long list doubles and holding room for up to twice what
/// it needs; and deliveries, which mostly take the oldest, let a chunk go once it is
/// empty instead of moving the slots behind it to the front. The chunks are in id
/// order, the first slot after each one's `head` holds a segment, and holes are
/// squeezed out once they are half the slots (as in the page's list).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug, Default)]
struct Envs {
    chunks: std::collections::VecDeque<Chunk>,
    /// An emptied chunk kept for the next one (a segment or two on their way at a
    /// time, the usual case, would otherwise allocate a chunk for each).
    spare: Option<Chunk>,
    /// Slots after the chunks' heads, holes included.
    len: usize,
    /// Holes among them.
    holes: usize,
    /// Data segments among them (the network is quiet when 0).
    data: usize,
}

/// Up to [`Envs::CHUNK`] slots; those before `head` are holes.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug, Default)]
struct Chunk {
    head: usize,
    slots: Vec<(EnvId, Option<Envelope>)>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Chunk {
    /// The id of its first segment (a chunk in the list is never empty).
    fn first_id(&self) -> EnvId {
        self.slots[self.head].0
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Envs {
    /// Slots a chunk holds at most (about 90 KB).
    const CHUNK: usize = 1024;

    /// Where segment `id` is: its chunk and its place in the chunk's slots.
    // Per segment (see [`NATIVE`]).
    #[inline(always)]
    fn find(&self, id: EnvId) -> Option<(usize, usize)> {
        // Most lookups are of the oldest segment.
        let first = self.chunks.front()?;
        if first.first_id() == id {
            return Some((0, first.head));
        }
        self.find_slow(id)
    }

    fn find_slow(&self, id: EnvId) -> Option<(usize, usize)> {
        let c = self
            .chunks
            .partition_point(|ch| ch.first_id() <= id)
            .checked_sub(1)?;
        let ch = &self.chunks[c];
        let j = ch.head
            + ch.slots[ch.head..]
                .binary_search_by_key(&id, |(k, _)| *k)
                .ok()?;
        ch.slots[j].1.is_some().then_some((c, j))
    }

    fn get(&self, id: &EnvId) -> Option<&Envelope> {
        let (c, j) = self.find(*id)?;
        self.chunks[c].slots[j].1.as_ref()
    }

    fn get_mut(&mut self, id: &EnvId) -> Option<&mut Envelope> {
        let (c, j) = self.find(*id)?;
        self.chunks[c].slots[j].1.as_mut()
    }

    /// The segment at a position [`Envs::find`] gave.
    #[inline(always)]
    fn at_mut(&mut self, (c, j): (usize, usize)) -> Option<&mut Envelope> {
        self.chunks[c].slots[j].1.as_mut()
    }

    /// Add a segment; ids must grow.
    // Per segment (see [`NATIVE`]).
    #[inline(always)]
    fn insert(&mut self, id: EnvId, e: Envelope) {
        self.data += usize::from(matches!(e.seg, Segment::Data(_)));
        self.push(id, e);
    }

    #[inline(always)]
    fn push(&mut self, id: EnvId, e: Envelope) {
        match self.chunks.back_mut() {
            Some(ch) if ch.slots.len() < Self::CHUNK => ch.slots.push((id, Some(e))),
            _ => self.push_in_new_chunk(id, e),
        }
        self.len += 1;
    }

    fn push_in_new_chunk(&mut self, id: EnvId, e: Envelope) {
        // The first chunk grows as segments come (a small world keeps a small one);
        // those after it are a burst's, made whole at once.
        let mut ch = match self.spare.take() {
            Some(ch) => ch,
            None if self.chunks.is_empty() => Chunk::default(),
            None => Chunk {
                head: 0,
                slots: Vec::with_capacity(Self::CHUNK),
            },
        };
        ch.slots.push((id, Some(e)));
        self.chunks.push_back(ch);
    }

    /// Take out the segment at a position [`Envs::find`] gave.
    // Per segment (see [`NATIVE`]).
    #[inline(always)]
    fn remove_at(&mut self, (c, j): (usize, usize)) -> Option<Envelope> {
        let only = self.chunks.len() == 1;
        let ch = &mut self.chunks[c];
        let e = ch.slots[j].1.take()?;
        self.data -= usize::from(matches!(e.seg, Segment::Data(_)));
        if j == ch.head && ch.slots.get(j + 1).is_some_and(|(_, e)| e.is_some()) {
            // The oldest of its chunk left and the next is still on its way (most
            // deliveries): the head only moves past it.
            ch.head += 1;
            self.len -= 1;
            if only && ch.head > 32 && ch.head * 2 > ch.slots.len() {
                // A steady trickle, not a burst: the one chunk's slots are reused
                // from the front (as the page's list), so the few in flight stay in
                // a few cache lines instead of walking through a whole chunk.
                ch.slots.drain(..ch.head);
                ch.head = 0;
            }
        } else {
            self.holes += 1;
            self.tidy(c);
            self.squeeze();
        }
        Some(e)
    }

    /// Move chunk `c`'s head past its holes, and let the chunk go once it is empty.
    fn tidy(&mut self, c: usize) {
        let ch = &mut self.chunks[c];
        while ch.slots.get(ch.head).is_some_and(|(_, e)| e.is_none()) {
            ch.head += 1;
            self.holes -= 1;
            self.len -= 1;
        }
        if ch.head == ch.slots.len() {
            let mut ch = self.chunks.remove(c).expect("there");
            if self.spare.is_none() {
                ch.head = 0;
                ch.slots.clear();
                self.spare = Some(ch);
            }
        }
    }

    /// Squeeze the holes out once they are half the slots.
    fn squeeze(&mut self) {
        if self.holes > 32 && self.holes * 2 > self.len {
            let old = std::mem::take(&mut self.chunks);
            self.len = 0;
            self.holes = 0;
            for ch in old {
                for (id, e) in ch.slots.into_iter().skip(ch.head) {
                    if let Some(e) = e {
                        self.push(id, e);
                    }
                }
            }
        }
    }

    fn values(&self) -> impl DoubleEndedIterator<Item = &Envelope> {
        self.chunks
            .iter()
            .flat_map(|ch| &ch.slots[ch.head..])
            .filter_map(|(_, e)| e.as_ref())
    }

    fn retain(&mut self, mut f: impl FnMut(&Envelope) -> bool) {
        for ch in self.chunks.iter_mut() {
            for (_, slot) in ch.slots[ch.head..].iter_mut() {
                if slot.as_ref().is_some_and(|e| !f(e)) {
                    let e = slot.take().expect("checked");
                    self.data -= usize::from(matches!(e.seg, Segment::Data(_)));
                    self.holes += 1;
                }
            }
        }
        // Back to front: tidying may let the chunk go.
        for c in (0..self.chunks.len()).rev() {
            self.tidy(c);
        }
        self.squeeze();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(id: u64) -> Envelope {
        Envelope {
            id: EnvId(id),
            conn: ConnId(id % 3),
            from_side: 0,
            seg: if id.is_multiple_of(5) {
                Segment::Fin
            } else {
                Segment::Data(vec![id as u8])
            },
            sent_at: SimTime::ZERO,
            tx_start: SimTime::ZERO,
            tx_end: SimTime::ZERO,
            arrive_at: SimTime::ZERO,
            conn_at: 0,
            held: false,
            notify_drained: false,
            kind: None,
        }
    }

    /// Segments taken out oldest first, out of order, by connection and by id keep
    /// the rest findable and listed in id order (across chunk boundaries).
    #[test]
    fn envs_keep_order_and_ids() {
        let n = 5000u64;
        let mut envs = Envs::default();
        let mut live: Vec<u64> = Vec::new();
        for id in 0..n {
            envs.insert(EnvId(id), env(id));
            live.push(id);
        }
        let check = |envs: &Envs, live: &[u64]| {
            let ids: Vec<u64> = envs.values().map(|e| e.id.0).collect();
            assert_eq!(ids, live);
            for id in [0, 1, 1023, 1024, 1025, 2500, n - 1] {
                assert_eq!(
                    envs.get(&EnvId(id)).map(|e| e.id.0),
                    live.contains(&id).then_some(id)
                );
            }
            let data = live.iter().filter(|&&id| id % 5 != 0).count();
            assert_eq!(envs.data, data);
            assert_eq!(
                envs.values().next_back().map(|e| e.id.0),
                live.last().copied()
            );
        };
        check(&envs, &live);
        // Oldest first, as most deliveries.
        for _ in 0..1500 {
            let id = live.remove(0);
            let at = envs.find(EnvId(id)).expect("there");
            assert_eq!(envs.remove_at(at).map(|e| e.id.0), Some(id));
        }
        check(&envs, &live);
        // Out of order: every third.
        let gone: Vec<u64> = live.iter().copied().filter(|id| id % 3 == 1).collect();
        for id in &gone {
            let at = envs.find(EnvId(*id)).expect("there");
            assert_eq!(envs.remove_at(at).map(|e| e.id.0), Some(*id));
            assert!(envs.find(EnvId(*id)).is_none());
        }
        live.retain(|id| id % 3 != 1);
        check(&envs, &live);
        // A whole connection.
        envs.retain(|e| e.conn != ConnId(2));
        live.retain(|id| id % 3 != 2);
        check(&envs, &live);
        // Sent after all that.
        for id in n..n + 1500 {
            envs.insert(EnvId(id), env(id));
            live.push(id);
        }
        check(&envs, &live);
        for id in live.drain(..) {
            let at = envs.find(EnvId(id)).expect("there");
            envs.remove_at(at);
        }
        check(&envs, &live);
        assert_eq!(envs.values().count(), 0);
        // A steady trickle: a few on their way at a time.
        for id in n + 1500..n + 4500 {
            envs.insert(EnvId(id), env(id));
            live.push(id);
            if live.len() > 5 {
                let id = live.remove(0);
                let at = envs.find(EnvId(id)).expect("there");
                assert_eq!(envs.remove_at(at).map(|e| e.id.0), Some(id));
            }
        }
        let ids: Vec<u64> = envs.values().map(|e| e.id.0).collect();
        assert_eq!(ids, live);
        // Natively the one chunk is reused from its front, not walked through.
        #[cfg(not(target_arch = "wasm32"))]
        {
            let slots: usize = envs.chunks.iter().map(|ch| ch.slots.len()).sum();
            assert!(slots <= 2 * 5 + 64, "{slots} slots for 5 segments");
        }
    }
}
