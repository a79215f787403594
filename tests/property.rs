//! Property test: random schedules of writes, disconnects, partitions, crashes,
//! restarts and promotions over 3–5 nodes. After healing everything and
//! `wait sync`, every replica's keyspace equals its master's, offsets agree, every
//! partial resync was allowed by the rules of `masterTryPartialResynchronization`
//! (checked here independently of `repl::psync::decide`), every full resync asked
//! with a real id was needed, and nothing panicked.
//!
//! Cases: `PROPTEST_CASES` (CI runs 1,000; the default here is 256).

use proptest::prelude::*;
use replscope::node::keyspace::Keyspace;
use replscope::repl::psync::Verdict;
use replscope::scenario::ast::Stmt;
use replscope::scenario::parse::parse_statement;
use replscope::scenario::Runner;

#[derive(Clone, Debug)]
enum Op {
    Write {
        key: u8,
        size: u16,
        ttl: bool,
        db: u8,
    },
    Disconnect(usize),
    Reconnect(usize),
    Partition(usize),
    Heal(usize),
    Crash(usize),
    Start(usize),
    Restart(usize),
    Promote(usize),
    Wait(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (any::<u8>(), 1u16..3000, prop::bool::weighted(0.15), 0u8..3)
            .prop_map(|(key, size, ttl, db)| Op::Write { key, size, ttl, db }),
        2 => (0usize..5).prop_map(Op::Disconnect),
        2 => (0usize..5).prop_map(Op::Reconnect),
        1 => (0usize..5).prop_map(Op::Partition),
        1 => (0usize..5).prop_map(Op::Heal),
        1 => (0usize..5).prop_map(Op::Crash),
        1 => (0usize..5).prop_map(Op::Start),
        1 => (0usize..5).prop_map(Op::Restart),
        1 => (0usize..5).prop_map(Op::Promote),
        3 => (50u32..20_000).prop_map(Op::Wait),
    ]
}

struct World {
    runner: Runner,
    names: Vec<String>,
    declared: Vec<String>,
    master: usize,
    line: usize,
}

impl World {
    fn stmt(&mut self, text: &str) -> Stmt {
        self.line += 1;
        let s = parse_statement(text, self.line, &self.declared)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .expect("a statement");
        if let replscope::scenario::StmtKind::Node { name, .. } = &s.kind {
            self.declared.push(name.clone());
        }
        s
    }

    /// Run a statement; statements about stopped nodes may fail to run, which is fine.
    fn run(&mut self, text: &str) -> bool {
        let s = self.stmt(text);
        self.runner.exec(&s).is_ok()
    }

    fn running(&self, i: usize) -> bool {
        let id = self.runner.sim.node_id(&self.names[i]).unwrap();
        self.runner.sim.node(id).is_some()
    }

    fn replica_of_master(&self, i: usize) -> usize {
        // Map a random index onto a node that is not the master.
        let others: Vec<usize> = (0..self.names.len())
            .filter(|&n| n != self.master)
            .collect();
        others[i % others.len()]
    }
}

fn keyspace_of(w: &World, i: usize) -> Keyspace {
    let id = w.runner.sim.node_id(&w.names[i]).unwrap();
    w.runner.sim.node(id).expect("running").ks.clone()
}

fn check(
    n_nodes: usize,
    backlog: &str,
    ping: u32,
    ops: Vec<Op>,
    seed: u64,
) -> Result<(), TestCaseError> {
    let names: Vec<String> = (0..n_nodes)
        .map(|i| if i == 0 { "m".into() } else { format!("r{i}") })
        .collect();
    let mut w = World {
        runner: Runner::new(seed),
        names: names.clone(),
        declared: Vec::new(),
        master: 0,
        line: 0,
    };
    let common = format!(
        "repl-diskless-sync-delay=0 repl-backlog-size={backlog} repl-timeout=5 repl-ping-replica-period={ping}"
    );
    assert!(w.run(&format!("node m {common}")));
    for n in &names[1..] {
        assert!(w.run(&format!("node {n} replicaof=m {common}")));
    }
    for op in ops {
        let m = w.master;
        match op {
            Op::Write { key, size, ttl, db } => {
                let value = "v".repeat(size as usize);
                let ttl = if ttl { " PX 700" } else { "" };
                if w.running(m) {
                    w.run(&format!("{}> SELECT {db}", names[m]));
                    w.run(&format!("{}> SET k{key} {value}{ttl}", names[m]));
                }
            }
            Op::Disconnect(i) => {
                let r = w.replica_of_master(i);
                w.run(&format!("disconnect {} {}", names[m], names[r]));
            }
            Op::Reconnect(i) => {
                let r = w.replica_of_master(i);
                w.run(&format!("reconnect {} {}", names[m], names[r]));
            }
            Op::Partition(i) => {
                let r = w.replica_of_master(i);
                w.run(&format!("partition {} {}", names[m], names[r]));
            }
            Op::Heal(i) => {
                let r = w.replica_of_master(i);
                w.run(&format!("heal {} {}", names[m], names[r]));
            }
            Op::Crash(i) => {
                w.run(&format!("crash {}", names[i % n_nodes]));
            }
            Op::Start(i) => {
                w.run(&format!("start {}", names[i % n_nodes]));
            }
            Op::Restart(i) => {
                w.run(&format!("restart {}", names[i % n_nodes]));
            }
            Op::Promote(i) => {
                // A failover: promote a running replica, point everyone else at it.
                let r = w.replica_of_master(i);
                if w.running(r) {
                    w.run(&format!("{}> REPLICAOF NO ONE", names[r]));
                    w.master = r;
                    for (j, name) in names.iter().enumerate() {
                        if j != r {
                            w.run(&format!("{name}> REPLICAOF {}", names[r]));
                        }
                    }
                }
            }
            Op::Wait(ms) => {
                w.run(&format!("wait {ms}ms"));
            }
        }
    }
    // Heal the world: every link back, every node running and following the master.
    for a in 0..n_nodes {
        for b in a + 1..n_nodes {
            w.run(&format!("reconnect {} {}", names[a], names[b]));
            w.run(&format!("heal {} {}", names[a], names[b]));
        }
    }
    for (i, name) in names.iter().enumerate() {
        if !w.running(i) {
            w.run(&format!("start {name}"));
        }
    }
    let m = w.master;
    w.run(&format!("{}> REPLICAOF NO ONE", names[m]));
    for (i, name) in names.iter().enumerate() {
        if i != m {
            w.run(&format!("{name}> REPLICAOF {}", names[m]));
        }
    }
    let sync = w.stmt("wait sync");
    prop_assert!(
        w.runner.exec(&sync).is_ok(),
        "no convergence: {:?}",
        w.runner.sim.sync_status()
    );

    let master_ks = keyspace_of(&w, m);
    let mid = w.runner.sim.node_id(&names[m]).unwrap();
    let master_off = w.runner.sim.node(mid).unwrap().repl.master_repl_offset;
    for i in (0..n_nodes).filter(|&i| i != m) {
        prop_assert!(
            keyspace_of(&w, i) == master_ks,
            "{} differs from master {}",
            names[i],
            names[m]
        );
        let id = w.runner.sim.node_id(&names[i]).unwrap();
        prop_assert_eq!(
            w.runner.sim.node(id).unwrap().repl.master_repl_offset,
            master_off
        );
    }
    let partial = w
        .runner
        .sim
        .decisions
        .iter()
        .filter(|d| d.decision.is_partial())
        .count();
    let full = w.runner.sim.decisions.len() - partial;
    STATS.with(|s| *s.borrow_mut() = (partial, full));
    // Every decision, re-derived from the rules rather than from decide().
    for d in &w.runner.sim.decisions {
        let dec = &d.decision;
        let st = &dec.master;
        let id_ok = dec.asked_replid.eq_ignore_ascii_case(&st.replid)
            || (dec.asked_replid.eq_ignore_ascii_case(&st.replid2)
                && dec.asked_offset <= st.second_repl_offset);
        let window_ok = st.backlog.is_some_and(|(first, hist)| {
            dec.asked_offset >= first && dec.asked_offset <= first + hist
        });
        let allowed = !dec.asked_replid.starts_with('?') && id_ok && window_ok;
        match &dec.verdict {
            Verdict::Continue { bytes, .. } => {
                prop_assert!(allowed, "CONTINUE that the rules forbid: {dec:?}");
                let (first, hist) = st.backlog.unwrap();
                prop_assert_eq!(*bytes, first + hist - dec.asked_offset);
            }
            Verdict::FullResync { .. } => {
                prop_assert!(!allowed, "FULLRESYNC though PSYNC was possible: {dec:?}")
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn replicas_converge_and_partial_syncs_follow_the_rules(
        n_nodes in 3usize..=5,
        backlog in prop::sample::select(vec!["16kb", "1mb"]),
        ping in prop::sample::select(vec![1u32, 10]),
        ops in prop::collection::vec(op(), 1..40),
        seed in 1u64..1_000_000,
    ) {
        check(n_nodes, backlog, ping, ops, seed)?;
    }
}

/// The generated schedules must actually exercise partial and full resyncs and
/// faults; a property test that never reaches them proves nothing.
#[test]
fn schedules_exercise_both_kinds_of_resync() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut partial, mut full, mut with_faults) = (0, 0, 0);
    let strategy = prop::collection::vec(op(), 20..40);
    for case in 0..40u64 {
        let ops = strategy.new_tree(&mut runner).unwrap().current();
        if ops
            .iter()
            .any(|o| matches!(o, Op::Disconnect(_) | Op::Crash(_) | Op::Partition(_)))
        {
            with_faults += 1;
        }
        check(3, "16kb", 10, ops.clone(), case + 1).unwrap();
        STATS.with(|s| {
            let (p, f) = *s.borrow();
            partial += p;
            full += f;
        });
    }
    assert!(with_faults > 30, "{with_faults}");
    assert!(partial > 20, "partial resyncs seen: {partial}");
    assert!(full > 40, "full resyncs seen: {full}");
}

thread_local! {
    static STATS: std::cell::RefCell<(usize, usize)> = const { std::cell::RefCell::new((0, 0)) };
}
