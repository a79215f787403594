//! The invariants every offset on screen relies on, checked after each event in debug
//! builds (tests run them; release builds and the page skip them).
//!
//! A broken one would not crash anything: it would silently put a wrong number in INFO,
//! on a node card or in the chart. So the simulator stops at the first event that
//! breaks one, naming the node and the values:
//!
//! - **offsets are monotonic per replication id**: within one process, while `replid`
//!   stays the same, `master_repl_offset` never decreases (a restart may load an older
//!   RDB, so a new process starts a new history);
//! - **the backlog window lies inside the stream**: `first_byte >= 1`,
//!   `first_byte + histlen - 1 == master_repl_offset`, and `histlen` is exactly the
//!   bytes its blocks hold;
//! - **a replica is never ahead of its master**: a connected replica that streams from
//!   the history its master still has (same replication id) has applied no more than
//!   the master's `master_repl_offset`.

use super::{NodeId, Sim};

/// What the checks remember between events: per node slot, the process incarnation,
/// replication id and offset seen last.
#[derive(Clone, Debug, Default)]
pub(super) struct Invariants {
    last: Vec<Option<(u32, String, i64)>>,
}

impl Sim {
    /// Check every invariant of the module docs (debug builds only).
    pub(super) fn check_invariants(&mut self) {
        if !cfg!(debug_assertions) {
            return;
        }
        let mut inv = std::mem::take(&mut self.invariants);
        inv.last.resize(self.nodes.len(), None);
        for (id, slot) in self.nodes.iter().enumerate() {
            let Some(n) = slot.node.as_ref() else {
                inv.last[id] = None;
                continue;
            };
            let (replid, offset) = (&n.repl.replid, n.repl.master_repl_offset);
            if let Some((incarnation, last_id, last_off)) = &inv.last[id] {
                // A sync from a master that answered SYNC (no offset, no new replid)
                // starts the offset again at -1, in Redis as here.
                if *incarnation == slot.incarnation && last_id == replid && offset != -1 {
                    debug_assert!(
                        offset >= *last_off,
                        "{}: master_repl_offset went back from {last_off} to {offset} \
                         under the same replid {replid}",
                        &*slot.name
                    );
                }
            }
            inv.last[id] = Some((slot.incarnation, replid.clone(), offset));
            if let Some(b) = n.repl.backlog.as_ref() {
                b.debug_assert_window(offset, &slot.name);
            }
            self.check_replica_behind_master(id);
        }
        self.invariants = inv;
    }

    /// A replica's applied offset is at most its master's, when both share a history.
    fn check_replica_behind_master(&self, id: NodeId) {
        let slot = &self.nodes[id];
        let Some(n) = slot.node.as_ref() else {
            return;
        };
        let Some(link) = n.repl.master.and_then(|c| n.clients.get(&c)) else {
            return;
        };
        let Some(link) = link.master.as_ref() else {
            return;
        };
        let master = n
            .repl
            .masterhost
            .as_deref()
            .and_then(|host| self.node_id(host))
            .and_then(|mid| self.node(mid));
        let Some(m) = master else {
            return;
        };
        if link.replid == m.repl.replid {
            debug_assert!(
                link.reploff <= m.repl.master_repl_offset,
                "{}: applied offset {} is ahead of its master's master_repl_offset {} \
                 (replid {})",
                &*slot.name,
                link.reploff,
                m.repl.master_repl_offset,
                m.repl.replid
            );
        }
    }
}

#[cfg(all(test, debug_assertions))]
mod tests {
    use crate::node::config::Config;
    use crate::sim::{NodeId, Sim};
    use crate::time::SimTime;

    /// m and r1 in sync after a few writes; returns the world and the two ids.
    fn synced() -> (Sim, NodeId, NodeId) {
        let (mut sim, m, rs) = Sim::master_with_replicas(1, 1, &Config::default());
        let r1 = rs[0];
        sim.run_until(SimTime::from_ms(8000));
        for i in 0..5 {
            sim.command(m, &[b"SET".to_vec(), b"k".to_vec(), vec![b'0' + i]]);
        }
        sim.run_until(SimTime::from_ms(9000));
        assert!(sim.sync_status().is_ok(), "{:?}", sim.sync_status());
        sim.check_invariants();
        (sim, m, r1)
    }

    fn node(sim: &mut Sim, id: NodeId) -> &mut crate::node::Node {
        sim.nodes[id].node.as_mut().expect("running")
    }

    #[test]
    fn a_healthy_world_passes() {
        let (mut sim, _, _) = synced();
        sim.run_until(SimTime::from_ms(20_000));
        sim.check_invariants();
    }

    #[test]
    #[should_panic(expected = "went back")]
    fn an_offset_going_back_under_the_same_replid_is_caught() {
        let (mut sim, m, _) = synced();
        node(&mut sim, m).repl.master_repl_offset -= 1;
        sim.check_invariants();
    }

    #[test]
    #[should_panic(expected = "does not end at master_repl_offset")]
    fn a_backlog_window_off_the_stream_is_caught() {
        let (mut sim, m, _) = synced();
        node(&mut sim, m).repl.backlog.as_mut().unwrap().offset += 1;
        sim.check_invariants();
    }

    #[test]
    #[should_panic(expected = "differs from the bytes its blocks hold")]
    fn a_histlen_other_than_the_blocks_is_caught() {
        let (mut sim, m, _) = synced();
        let b = node(&mut sim, m).repl.backlog.as_mut().unwrap();
        b.histlen -= 1;
        b.offset += 1;
        sim.check_invariants();
    }

    #[test]
    #[should_panic(expected = "is ahead of its master")]
    fn a_replica_ahead_of_its_master_is_caught() {
        let (mut sim, _, r1) = synced();
        let n = node(&mut sim, r1);
        let link = n.repl.master.unwrap();
        n.clients
            .get_mut(&link)
            .unwrap()
            .master
            .as_mut()
            .unwrap()
            .reploff += 1;
        sim.check_invariants();
    }
}
