//! Set-up shared by the benchmarks (each bench is its own crate and includes this
//! with `mod common;`).

use replscope::node::config::Config;
use replscope::sim::{NodeId, Sim};
use replscope::time::SimTime;

/// A master `m` started with `cfg` and `replicas` replicas `r0, r1, ...` of it (the
/// same `cfg` plus `replicaof=m`), seed 1, the event log off, run until `settle_ms`
/// of simulated time.
pub fn cluster(replicas: usize, cfg: Config, settle_ms: u64) -> (Sim, NodeId, Vec<NodeId>) {
    let mut sim = Sim::new(1);
    sim.trace.disable();
    let m = sim.add_node("m", cfg.clone());
    sim.start(m);
    let rs = (0..replicas)
        .map(|i| {
            let r = sim.add_node(
                &format!("r{i}"),
                Config {
                    replicaof: Some(("m".into(), 6379)),
                    ..cfg.clone()
                },
            );
            sim.start(r);
            r
        })
        .collect();
    sim.run_until(SimTime::from_ms(settle_ms));
    (sim, m, rs)
}
