//! What a scenario may cost before it runs: how many nodes it starts and the most
//! simulated time its statements may take. The page asks this of a scenario from an
//! untrusted link before running it (the core runs synchronously, so a scenario that
//! asks for years of simulated time would freeze the tab), through the same parser
//! that will run it — never a second reading of the text.

use super::ast::{Scenario, StmtKind};
use super::run::WAIT_LIMIT_US;
use serde::Serialize;

/// A scenario's cost, as [`bounds`] counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bounds {
    /// `node` statements.
    pub nodes: usize,
    /// The most simulated time it may run: every `wait DUR` in full, and for each
    /// statement that waits for the world (`wait sync`, a command that may block such
    /// as `WAIT`, `restart`) the runner's own limit, [`WAIT_LIMIT_US`].
    pub sim_us_max: u64,
}

/// How many nodes `scenario` starts and the most simulated time it may take.
///
/// ```text
/// node m / node r1 replicaof=m / wait sync / wait 2s   ->  nodes 2, 10 min + 2 s
/// ```
pub fn bounds(scenario: &Scenario) -> Bounds {
    let mut b = Bounds {
        nodes: 0,
        sim_us_max: 0,
    };
    for stmt in &scenario.statements {
        let us = match &stmt.kind {
            StmtKind::Node { .. } => {
                b.nodes += 1;
                0
            }
            StmtKind::Wait { duration_us } => *duration_us,
            StmtKind::WaitSync | StmtKind::Restart { .. } => WAIT_LIMIT_US,
            StmtKind::Command { argv, .. } | StmtKind::ExpectReply { argv, .. }
                if argv
                    .first()
                    .is_some_and(|c| c.eq_ignore_ascii_case(b"WAIT")) =>
            {
                WAIT_LIMIT_US
            }
            _ => 0,
        };
        b.sim_us_max = b.sim_us_max.saturating_add(us);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse_scenario;

    fn of(text: &str) -> Bounds {
        bounds(&parse_scenario(text).expect("parses"))
    }

    #[test]
    fn waits_and_blocking_statements_add_up() {
        let b = of("node m\nnode r1 replicaof=m\nwait sync\nm> SET a 1\nwait 2s\n");
        assert_eq!(
            b,
            Bounds {
                nodes: 2,
                sim_us_max: WAIT_LIMIT_US + 2_000_000
            }
        );
        assert_eq!(
            of("node m\nm> wait 1 0\nexpect m> WAIT 1 0 => (integer) 0\n").sim_us_max,
            2 * WAIT_LIMIT_US
        );
        assert_eq!(
            of("node m\nrestart m\nwait 1m\n").sim_us_max,
            WAIT_LIMIT_US + 60_000_000
        );
    }
}
