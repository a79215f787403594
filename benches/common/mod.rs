//! Set-up shared by the benchmarks (each bench is its own crate and includes this
//! with `mod common;`).

use replscope::node::config::Config;
use replscope::sim::{NodeId, Sim};
use replscope::time::SimTime;

/// A master `m` started with `cfg` and `replicas` replicas `r1, r2, ...` of it (the
/// same `cfg` plus `replicaof=m`), seed 1, the event log off, run until `settle_ms`
/// of simulated time.
pub fn cluster(replicas: usize, cfg: Config, settle_ms: u64) -> (Sim, NodeId, Vec<NodeId>) {
    let (mut sim, m, rs) = Sim::master_with_replicas(1, replicas, &cfg);
    sim.trace.disable();
    sim.run_until(SimTime::from_ms(settle_ms));
    (sim, m, rs)
}
