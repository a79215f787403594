//! The contract with the page: every type that crosses `wasm.rs` into `www/`, as plain
//! serializable data. The views of one moment are defined here; the records the page
//! reads as they accumulate are defined where the core makes them and re-exported here
//! ([`Applied`], [`Action`], [`TraceEvent`], [`DecisionRecord`], [`OffsetSample`],
//! [`Expectation`], [`Bounds`], [`Explanation`]), so `wasm.rs` takes every type it
//! hands to JavaScript from this one module. Field names are the contract; one native
//! test pins the JSON shape of each. The page renders these and never re-derives
//! replication: derived values (a replica's offsets, a message's link) are computed
//! once by the core.

use crate::node::client::ReplicaState;
use crate::node::effects::SendKind;
use crate::node::Node;
use crate::repl::LinkState;
use crate::sim::net::Segment;
use crate::sim::{NodeId, Sim};
use crate::version::Version;
use serde::Serialize;

pub mod json;

pub use crate::explain::{ExplainError, Explanation};
pub use crate::playground::{Action, Applied};
pub use crate::scenario::{Bounds, Expectation};
pub use crate::sim::trace::TraceEvent;
pub use crate::sim::{DecisionRecord, OffsetSample};

/// A whole scenario run as `replscope run` runs it (the page's benchmark and tests).
#[derive(Clone, Debug, Serialize)]
pub struct RunView<'a> {
    /// What `replscope run` prints.
    pub stdout: &'a str,
    /// 0 (every expect held), 1 (one failed) or 2 (the scenario cannot run).
    pub exit_code: i32,
    /// Why it cannot run, with line and column.
    pub error: Option<String>,
    /// Every `expect`, as it ran.
    pub expectations: &'a [Expectation],
    /// The event log as JSON lines.
    pub trace: String,
}

impl<'a> RunView<'a> {
    /// The view of a finished run.
    pub fn of(out: &'a crate::scenario::RunOutcome) -> RunView<'a> {
        RunView {
            stdout: &out.stdout,
            exit_code: out.exit_code(),
            error: out.error.as_ref().map(|e| e.to_string()),
            expectations: &out.expectations,
            trace: out
                .sim
                .as_ref()
                .map(|s| s.trace.to_json_lines())
                .unwrap_or_default(),
        }
    }
}

/// Everything on screen at one moment.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    /// Simulated time in microseconds.
    pub t_us: u64,
    /// The run's seed.
    pub seed: u64,
    /// Events processed so far.
    pub events: u64,
    /// When the next event happens (µs), if any.
    pub next_event_us: Option<u64>,
    /// Nodes, in creation order.
    pub nodes: Vec<NodeView>,
    /// Network paths that have been configured or used.
    pub links: Vec<LinkView>,
    /// Open connections.
    pub conns: Vec<ConnView>,
    /// Data in flight (or held by a partition).
    pub messages: Vec<MessageView>,
}

/// One node.
#[derive(Clone, Debug, Serialize)]
pub struct NodeView {
    /// Name.
    pub name: String,
    /// The server version it runs (`redis-7.0`, `redis-8.0`, `valkey-8.1`, `redis-2.6`).
    pub version: Version,
    /// `running`, `starting` or `stopped`.
    pub status: &'static str,
    /// `master` or `replica` (a stopped node shows its configured role).
    pub role: &'static str,
    /// Run id (empty when stopped).
    pub run_id: String,
    /// `master_replid`.
    pub replid: String,
    /// `master_replid2`.
    pub replid2: String,
    /// `second_repl_offset`.
    pub second_repl_offset: i64,
    /// `master_repl_offset`.
    pub master_repl_offset: i64,
    /// Replica side: the master's name.
    pub master_host: Option<String>,
    /// Replica side: link state (`connect`, `connecting`, `handshake`, `transfer`, `connected`).
    pub link_state: &'static str,
    /// Replica side: `slave_repl_offset` (bytes applied).
    pub slave_repl_offset: Option<i64>,
    /// Replica side: `slave_read_repl_offset` (bytes read).
    pub slave_read_repl_offset: Option<i64>,
    /// Replica side: an RDB being received.
    pub transfer: Option<TransferView>,
    /// Replica side, Redis 8.0: the stream bytes waiting in its full-sync buffer while
    /// the RDB comes over the rdb channel (None without an rdb channel).
    pub full_sync_buffer: Option<usize>,
    /// Master side: attached replicas.
    pub replicas: Vec<ReplicaView>,
    /// The backlog, if any.
    pub backlog: Option<BacklogView>,
    /// A BGSAVE child: `disk` or `replicas sockets`.
    pub bgsave: Option<&'static str>,
    /// Keys in all databases.
    pub keys: usize,
    /// `sync_full`.
    pub sync_full: u64,
    /// `sync_partial_ok`.
    pub sync_partial_ok: u64,
    /// `sync_partial_err`.
    pub sync_partial_err: u64,
    /// Has a dump.rdb on disk.
    pub has_rdb: bool,
    /// Replica side: why its link cannot come up, when no single field says it.
    pub problem: Option<ProblemView>,
}

/// Why a replica's link to its master cannot come up.
#[derive(Clone, Debug, Serialize)]
pub struct ProblemView {
    /// `replication_loop`: following `master_host` from this node comes back to it.
    /// A replica answers PSYNC only while linked to its own master, so every PSYNC in
    /// the loop gets `-NOMASTERLINK` and no link ever comes up.
    pub kind: &'static str,
    /// The loop from this node: each is a replica of the next, the last of the first.
    pub nodes: Vec<String>,
    /// Nodes of the loop that were restarted and now follow `replicaof` from their
    /// config file: a `REPLICAOF NO ONE` (or `REPLICAOF`) at run time is not persisted
    /// without `CONFIG REWRITE`, so the restart undid it.
    pub restarted_from_config: Vec<String>,
    /// The reply every PSYNC in the loop gets when no link of it is up
    /// (`-NOMASTERLINK ...`: a deadlock). None when the links stayed up (a loop made
    /// by REPLICAOF at run time keeps them: Redis 7.0 keeps a new replica's own
    /// replicas, which then continue its history): no node of it takes writes.
    pub reply: Option<&'static str>,
}

/// The replication loop through `id`, if its masters lead back to it.
fn replication_loop(sim: &Sim, id: NodeId) -> Option<ProblemView> {
    let running = |i: NodeId| sim.nodes[i].node.as_ref().filter(|_| sim.nodes[i].booted);
    let master_of = |i: NodeId| {
        let host = running(i)?.repl.masterhost.as_ref()?;
        sim.nodes.iter().position(|s| &s.name == host)
    };
    let mut cycle = vec![id];
    let mut at = master_of(id)?;
    while at != id {
        if cycle.contains(&at) || cycle.len() > sim.nodes.len() {
            return None; // a loop further up, which this node only hangs off
        }
        cycle.push(at);
        at = master_of(at)?;
    }
    // A master failing over follows its target until the target, on the PSYNC
    // FAILOVER, stops following it: a moment of the handshake, not a loop.
    if cycle
        .iter()
        .any(|&i| running(i).is_some_and(|n| n.repl.failover.is_some()))
    {
        return None;
    }
    let restarted_from_config = cycle
        .iter()
        .filter(|&&i| {
            sim.nodes[i].incarnation > 1 && running(i).is_some_and(|n| n.repl.master_from_config)
        })
        .map(|&i| sim.nodes[i].name.to_string())
        .collect();
    Some(ProblemView {
        kind: "replication_loop",
        nodes: cycle
            .iter()
            .map(|&i| sim.nodes[i].name.to_string())
            .collect(),
        restarted_from_config,
        reply: cycle
            .iter()
            .all(|&i| running(i).is_some_and(|n| n.repl.state != LinkState::Connected))
            .then_some("-NOMASTERLINK Can't SYNC while not connected with my master"),
    })
}

/// An RDB download in progress on a replica.
#[derive(Clone, Debug, Serialize)]
pub struct TransferView {
    /// Bytes received.
    pub read: i64,
    /// Announced size (`$<len>`), None for diskless `$EOF:` transfers.
    pub total: Option<i64>,
}

/// A replica as its master sees it.
#[derive(Clone, Debug, Serialize)]
pub struct ReplicaView {
    /// Its host (node name).
    pub name: String,
    /// `wait_bgsave`, `send_bulk` or `online` (with `wait_bgsave_end` distinguished as
    /// `wait_bgsave` + `accumulating`).
    pub state: &'static str,
    /// Writes accumulate for it (a BGSAVE it waits for has started).
    pub accumulating: bool,
    /// Highest offset it acknowledged (`slaveN:offset`).
    pub ack_offset: i64,
    /// Seconds since its last ACK (`lag`), 0 when not online.
    pub lag_s: i64,
    /// Stream bytes waiting in its output buffer.
    pub pending_bytes: i64,
    /// Its output-buffer usage as Redis counts it for the limits.
    pub obuf_bytes: u64,
}

/// The backlog and its 7.0 blocks.
#[derive(Clone, Debug, Serialize)]
pub struct BacklogView {
    /// `repl-backlog-size`.
    pub size_limit: i64,
    /// `repl_backlog_first_byte_offset`.
    pub first_byte: i64,
    /// `repl_backlog_histlen`.
    pub histlen: i64,
    /// Blocks, oldest first.
    pub blocks: Vec<BlockView>,
}

/// One `replBufBlock`.
#[derive(Clone, Debug, Serialize)]
pub struct BlockView {
    /// Id.
    pub id: u64,
    /// Offset of its first byte.
    pub repl_offset: i64,
    /// Capacity.
    pub size: usize,
    /// Bytes used.
    pub used: usize,
    /// References (backlog + replicas).
    pub refcount: u32,
}

/// A network path.
#[derive(Clone, Debug, Serialize)]
pub struct LinkView {
    /// One node.
    pub a: crate::sim::trace::Name,
    /// The other.
    pub b: crate::sim::trace::Name,
    /// `up`, `disconnected` or `partitioned`.
    pub state: &'static str,
    /// One-way latency.
    pub latency_us: u64,
    /// Bandwidth per direction.
    pub bandwidth_bits_per_sec: u64,
}

/// An open connection.
#[derive(Clone, Debug, Serialize)]
pub struct ConnView {
    /// Id.
    pub id: u64,
    /// Initiator.
    pub from: crate::sim::trace::Name,
    /// Acceptor.
    pub to: crate::sim::trace::Name,
    /// The handshake completed.
    pub established: bool,
}

/// Bytes on their way.
#[derive(Clone, Debug, Serialize)]
pub struct MessageView {
    /// Segments after it on its connection, in its direction and as held as it, that
    /// it stands for (0: itself alone; see [`MESSAGES_LISTED`]). Its `len`, `tx_end_us`
    /// and `arrive_us` are then those of the run of them together.
    pub more: u64,
    /// Connection id.
    pub conn: u64,
    /// Sender.
    pub from: crate::sim::trace::Name,
    /// Receiver.
    pub to: crate::sim::trace::Name,
    /// What they are (`stream`, `rdb`, `ack`, `handshake`, `psync_reply`, `reply`, `keepalive`).
    pub kind: Option<SendKind>,
    /// Bytes.
    pub len: usize,
    /// When written.
    pub sent_us: u64,
    /// First bit on the wire.
    pub tx_start_us: u64,
    /// Last bit on the wire.
    pub tx_end_us: u64,
    /// Arrival.
    pub arrive_us: u64,
    /// Held by a partition.
    pub held: bool,
    /// Escaped preview of the bytes.
    pub preview: String,
}

fn node_view(sim: &Sim, id: NodeId) -> NodeView {
    let slot = &sim.nodes[id];
    let status = match (&slot.node, slot.booted) {
        (None, _) => "stopped",
        (Some(_), false) => "starting",
        (Some(_), true) => "running",
    };
    let Some(n) = slot.node.as_ref().filter(|_| slot.booted) else {
        return NodeView {
            name: slot.name.to_string(),
            version: slot.cfg.version,
            status,
            role: if slot.cfg.replicaof.is_some() {
                "replica"
            } else {
                "master"
            },
            run_id: String::new(),
            replid: String::new(),
            replid2: String::new(),
            second_repl_offset: -1,
            master_repl_offset: 0,
            master_host: slot.cfg.replicaof.as_ref().map(|(h, _)| h.clone()),
            link_state: "none",
            slave_repl_offset: None,
            slave_read_repl_offset: None,
            transfer: None,
            full_sync_buffer: None,
            replicas: Vec::new(),
            backlog: None,
            bgsave: None,
            keys: 0,
            sync_full: 0,
            sync_partial_ok: 0,
            sync_partial_err: 0,
            has_rdb: slot.rdb.is_some(),
            problem: None,
        };
    };
    let mut v = running_view(n, slot.rdb.is_some(), sim.now().unix_secs());
    v.problem = replication_loop(sim, id);
    v
}

fn running_view(n: &Node, has_rdb: bool, unixtime: i64) -> NodeView {
    let r = &n.repl;
    let offsets = n.replica_offsets();
    let replicas = r
        .slaves
        .iter()
        .filter_map(|id| {
            let c = n.clients.get(id)?;
            // An rdb channel (Redis 8.0) is drawn as its main channel's second
            // connection, not as another replica (as INFO shows it).
            let rep = c
                .replica
                .as_ref()
                .filter(|rep| !rep.rdb_channel_of.is_some_and(|m| r.slaves.contains(&m)))?;
            let pending = match (&r.backlog, &rep.buf_ref) {
                (Some(b), Some(p)) => b.pending_bytes(p, r.master_repl_offset),
                _ => 0,
            };
            Some(ReplicaView {
                name: rep
                    .announced_ip
                    .clone()
                    .unwrap_or_else(|| c.peer_host.clone()),
                state: rep.state.info_name(),
                accumulating: rep.state != ReplicaState::WaitBgsaveStart,
                ack_offset: rep.ack_off,
                lag_s: if rep.state == ReplicaState::Online {
                    unixtime - rep.ack_time
                } else {
                    0
                },
                pending_bytes: pending,
                obuf_bytes: r
                    .backlog
                    .as_ref()
                    .map_or(0, |b| b.replica_usage_bytes(rep.buf_ref.as_ref())),
            })
        })
        .collect();
    NodeView {
        name: n.name.clone(),
        version: n.cfg.version,
        status: "running",
        role: if r.masterhost.is_some() {
            "replica"
        } else {
            "master"
        },
        run_id: n.run_id.clone(),
        replid: r.replid.clone(),
        replid2: r.replid2.clone(),
        second_repl_offset: r.second_replid_offset,
        master_repl_offset: r.master_repl_offset,
        master_host: r.masterhost.clone(),
        link_state: if r.masterhost.is_some() {
            r.state.name()
        } else {
            "none"
        },
        slave_repl_offset: offsets.map(|o| o.0),
        slave_read_repl_offset: offsets.map(|o| o.1),
        transfer: (r.state == LinkState::Transfer).then(|| TransferView {
            read: r.transfer.as_ref().map_or(0, |t| t.read),
            total: r.transfer.as_ref().and_then(|t| t.size),
        }),
        full_sync_buffer: r.rdb_channel.as_ref().map(|ch| ch.buffered.len()),
        replicas,
        backlog: r.backlog.as_ref().map(|b| BacklogView {
            size_limit: b.size_limit_bytes,
            first_byte: b.offset,
            histlen: b.histlen,
            blocks: b
                .blocks
                .iter()
                .map(|blk| BlockView {
                    id: blk.id,
                    repl_offset: blk.repl_offset,
                    size: blk.size,
                    used: blk.used(),
                    refcount: blk.refcount,
                })
                .collect(),
        }),
        bgsave: n.persist.child.as_ref().map(|c| match c.kind {
            crate::repl::ChildKind::Disk => "disk",
            crate::repl::ChildKind::Socket => "replicas sockets",
        }),
        keys: n.ks.total_keys(),
        sync_full: r.stat_sync_full,
        sync_partial_ok: r.stat_sync_partial_ok,
        sync_partial_err: r.stat_sync_partial_err,
        has_rdb,
        problem: None,
    }
}

/// The segments a view lists one by one per connection, direction and held or not:
/// the rest of them are counted in the last one listed ([`MessageView::more`]). A burst
/// (20,000 pasted writes, each on its way to every replica) or a partition under a
/// write load (each write held where it was sent) keeps tens of thousands of segments
/// on a connection at once, and the page read and drew every one: 0.1-0.4 s a frame.
/// Those beyond the first few ride the same spot of the wire (queued behind each
/// other, or stacked where a partition holds them), so a view of them says no more.
pub const MESSAGES_LISTED: usize = 16;

/// Build the view of the whole world.
pub fn view(sim: &Sim) -> View {
    let name = |id: NodeId| sim.nodes[id].name.clone();
    let links = sim
        .net
        .links()
        .map(|(&(a, b), l)| LinkView {
            a: name(a),
            b: name(b),
            state: if l.disconnected {
                "disconnected"
            } else if l.partitioned {
                "partitioned"
            } else {
                "up"
            },
            latency_us: l.props.latency_us,
            bandwidth_bits_per_sec: l.props.bandwidth_bits_per_sec,
        })
        .collect();
    let conns: Vec<ConnView> = sim
        .net
        .conns()
        .filter(|c| c.ends[0].open || c.ends[1].open)
        .map(|c| ConnView {
            id: c.id.0,
            from: name(c.ends[0].node),
            to: name(c.ends[1].node),
            established: c.established,
        })
        .collect();
    let mut messages: Vec<MessageView> = Vec::new();
    // Per connection, direction and whether held: segments listed so far, and the last.
    let mut runs: Vec<((u64, usize, bool), usize, usize)> = Vec::new();
    for e in sim.net.envelopes() {
        let Segment::Data(bytes) = &e.seg else {
            continue;
        };
        let Some(c) = sim.net.conn(e.conn) else {
            continue;
        };
        let key = (e.conn.0, e.from_side, e.held);
        let run = match runs.iter().position(|r| r.0 == key) {
            Some(i) => &mut runs[i],
            None => {
                runs.push((key, 0, 0));
                runs.last_mut().expect("pushed")
            }
        };
        if run.1 == MESSAGES_LISTED {
            let m = &mut messages[run.2];
            m.more += 1;
            m.len += bytes.len();
            m.tx_end_us = e.tx_end.as_us();
            m.arrive_us = e.arrive_at.as_us();
            continue;
        }
        run.1 += 1;
        run.2 = messages.len();
        messages.push(MessageView {
            more: 0,
            conn: e.conn.0,
            from: name(c.ends[e.from_side].node),
            to: name(c.ends[1 - e.from_side].node),
            kind: e.kind,
            len: bytes.len(),
            sent_us: e.sent_at.as_us(),
            tx_start_us: e.tx_start.as_us(),
            tx_end_us: e.tx_end.as_us(),
            arrive_us: e.arrive_at.as_us(),
            held: e.held,
            preview: crate::sim::trace::preview(&bytes[..bytes.len().min(64)]),
        });
    }
    View {
        t_us: sim.now().as_us(),
        seed: sim.seed(),
        events: sim.events_processed,
        next_event_us: sim.next_event_time().map(|t| t.as_us()),
        nodes: (0..sim.nodes.len()).map(|id| node_view(sim, id)).collect(),
        links,
        conns,
        messages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins the field names the page relies on.
    #[test]
    fn a_burst_is_listed_a_few_segments_a_direction_and_counted_whole() {
        // 100 writes at one instant, then a partition holding 50 more: each run of
        // segments on a connection lists MESSAGES_LISTED and counts the rest in its last.
        let mut text = String::from(
            "node m repl-diskless-sync-delay=0\nnode r1 replicaof=m\nwait sync\nwait 2s\n",
        );
        for i in 0..100 {
            text.push_str(&format!("m> SET k{i} v\n"));
        }
        let sim = crate::scenario::run_text(&text, None).sim.expect("ran");
        let (n, bytes) = sim
            .net
            .envelopes()
            .filter_map(|e| match &e.seg {
                Segment::Data(b) => Some(b.len()),
                _ => None,
            })
            .fold((0, 0), |(n, s), l| (n + 1, s + l));
        assert!(n >= 100, "the burst is on its way ({n} segments)");
        let v = view(&sim);
        assert_eq!(v.messages.len(), MESSAGES_LISTED);
        assert_eq!(v.messages.iter().map(|m| 1 + m.more).sum::<u64>(), n as u64);
        assert_eq!(v.messages.iter().map(|m| m.len).sum::<usize>(), bytes);
        let last = v.messages.last().expect("listed");
        let newest = sim.net.envelopes().last().expect("on its way");
        assert_eq!(last.arrive_us, newest.arrive_at.as_us());
        assert!(v.messages[..MESSAGES_LISTED - 1]
            .iter()
            .all(|m| m.more == 0));

        let mut text = String::from(
            "node m repl-diskless-sync-delay=0\nnode r1 replicaof=m\nwait sync\npartition m r1\n",
        );
        for i in 0..50 {
            text.push_str(&format!("m> SET k{i} v\nwait 1ms\n"));
        }
        let sim = crate::scenario::run_text(&text, None).sim.expect("ran");
        let v = view(&sim);
        let held: Vec<&MessageView> = v.messages.iter().filter(|m| m.held).collect();
        assert_eq!(held.len(), MESSAGES_LISTED);
        assert_eq!(held.iter().map(|m| 1 + m.more).sum::<u64>(), 50);
        assert!(held.iter().all(|m| m.from == "m" && m.to == "r1"));
    }

    #[test]
    fn json_shape_is_stable() {
        let out = crate::scenario::run_text(
            "node m repl-diskless-sync-delay=0\nnode r1 replicaof=m\nwait sync\nm> SET a 1\nexpect m master_repl_offset = 50\n",
            None,
        );
        let sim = out.sim.expect("ran");
        let v = serde_json::to_value(view(&sim)).unwrap();
        let keys = |o: &serde_json::Value| {
            let mut k: Vec<String> = o.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k.join(",")
        };
        assert_eq!(
            keys(&v),
            "conns,events,links,messages,next_event_us,nodes,seed,t_us"
        );
        assert_eq!(
            keys(&v["nodes"][0]),
            "backlog,bgsave,full_sync_buffer,has_rdb,keys,link_state,master_host,master_repl_offset,name,problem,replicas,replid,replid2,role,run_id,second_repl_offset,slave_read_repl_offset,slave_repl_offset,status,sync_full,sync_partial_err,sync_partial_ok,transfer,version"
        );
        assert_eq!(v["nodes"][0]["version"], "redis-7.0");
        assert_eq!(
            keys(&v["nodes"][0]["replicas"][0]),
            "accumulating,ack_offset,lag_s,name,obuf_bytes,pending_bytes,state"
        );
        assert_eq!(
            keys(&v["nodes"][0]["backlog"]),
            "blocks,first_byte,histlen,size_limit"
        );
        assert_eq!(
            keys(&v["nodes"][0]["backlog"]["blocks"][0]),
            "id,refcount,repl_offset,size,used"
        );
        assert_eq!(v["nodes"][0]["master_repl_offset"], 50);
        assert_eq!(v["nodes"][1]["role"], "replica");
        assert_eq!(
            keys(&v["links"][0]),
            "a,b,bandwidth_bits_per_sec,latency_us,state"
        );
    }

    /// Every other type that crosses into the page keeps its field names too.
    #[test]
    fn the_records_the_page_reads_keep_their_shape() {
        let k = |v: serde_json::Value| keys(&v);
        let mut p = crate::playground::Playground::new(
            "node m repl-diskless-sync-delay=0\nnode r1 replicaof=m\nwait sync\n",
            Some(1),
        )
        .unwrap();
        p.advance(1_000_000);
        let applied = p.apply("expect m sync_full = 1").unwrap();
        assert_eq!(
            k(serde_json::to_value(&applied).unwrap()),
            "expectations,output"
        );
        assert_eq!(
            k(serde_json::to_value(&applied.expectations[0]).unwrap()),
            "detail,line,passed,text"
        );
        assert_eq!(
            k(serde_json::to_value(&p.actions()[0]).unwrap()),
            "at_events,end_events,end_t_us,interactive,t_us,text"
        );
        assert_eq!(
            k(serde_json::to_value(&p.events_since(0)[0]).unwrap()),
            "event,node,seq,t_us"
        );
        assert_eq!(
            k(serde_json::to_value(&p.decisions()[0]).unwrap()),
            "context,decision,node,situation,t_us"
        );
        assert_eq!(
            k(serde_json::to_value(p.samples()[0]).unwrap()),
            "master_repl_offset,node,slave_repl_offset,t_us"
        );
        let sc = crate::scenario::parse_scenario("node m\nwait 1s\n").unwrap();
        assert_eq!(
            k(serde_json::to_value(crate::scenario::bounds(&sc)).unwrap()),
            "nodes,sim_us_max"
        );
        let out = crate::scenario::run_text("node m\n", None);
        assert_eq!(
            k(serde_json::to_value(RunView::of(&out)).unwrap()),
            "error,exit_code,expectations,stdout,trace"
        );
    }

    fn run(text: &str) -> Sim {
        let out = crate::scenario::run_text(text, None);
        assert_eq!(out.exit_code(), 0, "the scenario's expects hold");
        out.sim.expect("ran")
    }

    /// The decision records name a restart, a promotion and an empty comeback; the
    /// record's JSON gains `context` and `situation` beside the (unchanged) decision.
    #[test]
    fn decision_records_name_the_dangerous_cases() {
        use crate::repl::psync::{Replid2From, Situation};
        let sim = run(include_str!(
            "../tests/scenarios/incidents/master-restart-keeps-history.scn"
        ));
        let last = sim.decisions.last().unwrap();
        assert_eq!(sim.decisions.len(), 4, "2 first syncs, 2 after the restart");
        for r in &sim.decisions[2..] {
            assert!(r.decision.is_partial());
            assert!(r.context.restarted);
            assert_eq!(r.context.replid2_from, Replid2From::Rdb);
            assert_eq!(r.context.rdb_keys_loaded_at_start, Some(3));
            assert_eq!(r.context.replica_keys, Some(3));
            assert_eq!(
                r.situation,
                Some(Situation::Restart {
                    replid2: r.decision.master.replid2.clone(),
                    second_repl_offset: 120,
                    rdb_keys_loaded: 3,
                })
            );
        }
        let v = serde_json::to_value(last).unwrap();
        assert_eq!(v["situation"]["case"], "restart");
        assert_eq!(v["context"]["replid2_from"], "rdb");
        assert!(v["decision"]["master"].get("replid2_from").is_none());
        assert!(v["decision"].get("context").is_none());
        // The first syncs: a fresh master, replicas asking PSYNC ? -1.
        assert!(!sim.decisions[0].context.restarted);
        assert_eq!(sim.decisions[0].situation, None);

        let sim = run(include_str!(
            "../tests/scenarios/incidents/master-without-persistence.scn"
        ));
        let after: Vec<_> = sim.decisions[2..].iter().collect();
        assert_eq!(after.len(), 2);
        for r in after {
            assert!(!r.decision.is_partial());
            assert_eq!(r.context.keys, 0);
            assert_eq!(r.context.rdb_keys_loaded_at_start, None);
            assert!(matches!(
                r.situation,
                Some(Situation::CameBackEmpty {
                    replica_keys: 3,
                    had_rdb: false,
                    ..
                })
            ));
        }

        let sim = run(include_str!(
            "../tests/scenarios/repl/promotion-replid2.scn"
        ));
        let via2: Vec<_> = sim
            .decisions
            .iter()
            .filter(|r| matches!(r.situation, Some(Situation::Promotion { .. })))
            .collect();
        assert_eq!(
            via2.len(),
            2,
            "r2 and the old master continue r1's inherited history"
        );
        assert!(via2
            .iter()
            .all(|r| r.context.replid2_from == Replid2From::Promotion && !r.context.restarted));
    }

    /// Two nodes replicas of each other: each view names the loop, and the node that
    /// was restarted and followed its config's `replicaof` as the cause.
    #[test]
    fn a_replica_loop_is_a_problem_with_its_cause() {
        let sim = run(include_str!(
            "../tests/scenarios/incidents/replica-loop-after-restart.scn"
        ));
        let v = serde_json::to_value(view(&sim)).unwrap();
        let p = &v["nodes"][1]["problem"];
        assert_eq!(p["kind"], "replication_loop");
        assert_eq!(p["nodes"], serde_json::json!(["r1", "m"]));
        assert_eq!(p["restarted_from_config"], serde_json::json!(["r1"]));
        assert!(p["reply"].as_str().unwrap().starts_with("-NOMASTERLINK"));
        assert_eq!(
            v["nodes"][0]["problem"]["nodes"],
            serde_json::json!(["m", "r1"])
        );
        assert_eq!(
            keys(&v["nodes"][0]["problem"]),
            "kind,nodes,reply,restarted_from_config"
        );
        // A loop made at run time, with no restart, names no config as its cause; its
        // links stay up (r1 continues m's history), so no -NOMASTERLINK either.
        let sim = run("node m\nnode r1 replicaof=m\nwait sync\nm> REPLICAOF r1\nwait 2s\nexpect m master_link_status = up\nexpect r1 master_link_status = up\n");
        let v = serde_json::to_value(view(&sim)).unwrap();
        let p = &v["nodes"][0]["problem"];
        assert_eq!(p["nodes"], serde_json::json!(["m", "r1"]));
        assert_eq!(p["restarted_from_config"], serde_json::json!([]));
        assert!(p["reply"].is_null());
        // A FAILOVER's moment (m follows r1 before r1's PSYNC FAILOVER promotes it) is
        // none either.
        let sim = run("node m\nnode r1 replicaof=m\nwait sync\nm> FAILOVER\n");
        let m = sim.node(sim.node_id("m").unwrap()).unwrap();
        assert_eq!(m.repl.masterhost.as_deref(), Some("r1"));
        let r1 = sim.node(sim.node_id("r1").unwrap()).unwrap();
        assert_eq!(r1.repl.masterhost.as_deref(), Some("m"));
        let v = serde_json::to_value(view(&sim)).unwrap();
        assert!(v["nodes"][0]["problem"].is_null() && v["nodes"][1]["problem"].is_null());
        // A healthy pair has none.
        let sim = run("node m\nnode r1 replicaof=m\nwait sync\n");
        let v = serde_json::to_value(view(&sim)).unwrap();
        assert!(v["nodes"][1]["problem"].is_null());
    }

    /// A replica that has no master client and no cached master (it never synced: its
    /// master is down) shows `slave_repl_offset` 1 everywhere, as Redis's INFO does: the
    /// view, INFO and the offset samples read one derivation (`Node::replica_offsets`).
    #[test]
    fn a_replica_shows_the_same_offsets_in_info_the_view_and_the_chart() {
        let mut sim = run("node m\nnode r replicaof=m\ncrash m\nwait 3s\n");
        let r = sim.node_id("r").unwrap();
        let v = view(&sim);
        let node = v.nodes.iter().find(|n| n.name == "r").unwrap();
        assert_eq!(node.slave_repl_offset, Some(1));
        assert_eq!(node.slave_read_repl_offset, Some(1));
        let now_ms = sim.now().as_ms() as i64;
        let info = crate::node::info::info(sim.nodes[r].node.as_ref().unwrap(), now_ms, &[]);
        assert!(info.contains("slave_repl_offset:1\r\n"), "{info}");
        sim.run_until(sim.now().plus_us(1_000_000));
        let sample = sim.samples.iter().rev().find(|x| x.node == r).unwrap();
        assert_eq!(sample.slave_repl_offset, 1);
    }

    fn keys(o: &serde_json::Value) -> String {
        let mut k: Vec<String> = o.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k.join(",")
    }
}
