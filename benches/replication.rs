//! Benchmarks (criterion). Run: `cargo bench`.
//!
//! - propagation: writes applied per wall-clock second, 1 master → 3 replicas
//!   (goal ≥ 1,000,000 simulated writes/s; compare with real Redis via
//!   tools/bench-real-redis.sh, same machine, same run);
//! - full sync of 100,000 keys;
//! - a reconnect that needs a partial resync of 1 MB of backlog;
//! - the page's write load: the playground applying one logged `SET` per simulated
//!   ms at the end of an ever longer log (each apply must cost the same, however
//!   long the log already is).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use replscope::node::config::Config;
use replscope::sim::{CommandOutcome, NodeId, Sim};

mod common;

/// A master with `replicas` replicas, synced, with the event log off.
fn cluster(replicas: usize, backlog_bytes: i64) -> (Sim, NodeId, Vec<NodeId>) {
    let cfg = Config {
        repl_diskless_sync_delay_secs: 0,
        repl_ping_replica_period_secs: 3600,
        repl_backlog_size_bytes: backlog_bytes,
        save_points: Vec::new(),
        ..Config::default()
    };
    let (sim, m, rs) = common::cluster(replicas, cfg, 5000);
    assert!(sim.sync_status().is_ok(), "{:?}", sim.sync_status());
    (sim, m, rs)
}

fn write(sim: &mut Sim, m: NodeId, i: u64) {
    let argv = vec![
        b"SET".to_vec(),
        format!("key:{}", i % 1000).into_bytes(),
        b"value-0123456789".to_vec(),
    ];
    match sim.command(m, &argv) {
        CommandOutcome::Reply(_) => {}
        other => panic!("{other:?}"),
    }
}

fn propagation(c: &mut Criterion) {
    const WRITES: u64 = 10_000;
    let mut g = c.benchmark_group("propagation");
    g.throughput(Throughput::Elements(WRITES));
    g.bench_function(
        "1 master -> 3 replicas, 1000 writes/s (per write applied everywhere)",
        |b| {
            b.iter_batched(
                || cluster(3, 1 << 20),
                |(mut sim, m, _)| {
                    // 1000 writes per simulated second: one every millisecond.
                    for i in 0..WRITES {
                        write(&mut sim, m, i);
                        let t = sim.now().plus_ms(1);
                        sim.run_until(t);
                    }
                    sim
                },
                BatchSize::LargeInput,
            )
        },
    );
    g.finish();
}

fn full_sync(c: &mut Criterion) {
    let mut g = c.benchmark_group("full_sync");
    g.sample_size(10);
    g.bench_function("100,000 keys, diskless", |b| {
        b.iter_batched(
            || {
                let (mut sim, m, _) = cluster(0, 1 << 20);
                for i in 0..100_000u64 {
                    let argv = vec![
                        b"SET".to_vec(),
                        format!("key:{i:06}").into_bytes(),
                        format!("v{i}").into_bytes(),
                    ];
                    sim.command(m, &argv);
                }
                let cfg = Config {
                    replicaof: Some(("m".into(), 6379)),
                    ..Config::default()
                };
                let r = sim.add_node("r", cfg);
                (sim, r)
            },
            |(mut sim, r)| {
                sim.start(r);
                let deadline = sim.now().plus_ms(60_000);
                while sim.sync_status().is_err() && sim.now() < deadline {
                    sim.step();
                }
                assert!(sim.sync_status().is_ok());
                assert_eq!(sim.node(r).unwrap().ks.total_keys(), 100_000);
                sim
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn partial_resync(c: &mut Criterion) {
    let mut g = c.benchmark_group("partial_resync");
    g.sample_size(20);
    g.bench_function("reconnect, 1 MB of backlog to send", |b| {
        b.iter_batched(
            || {
                let (mut sim, m, rs) = cluster(1, 2 << 20);
                sim.disconnect(m, rs[0]);
                // 1 MB of stream while the replica is away.
                let value = vec![b'x'; 1000];
                for i in 0..1024u64 {
                    let argv = vec![b"SET".to_vec(), format!("k{i}").into_bytes(), value.clone()];
                    sim.command(m, &argv);
                }
                (sim, m, rs[0])
            },
            |(mut sim, m, r)| {
                sim.reconnect(m, r);
                let deadline = sim.now().plus_ms(60_000);
                while sim.sync_status().is_err() && sim.now() < deadline {
                    sim.step();
                }
                assert_eq!(sim.node(m).unwrap().repl.stat_sync_partial_ok, 1);
                sim
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn playground_load(c: &mut Criterion) {
    use replscope::playground::Playground;
    const SCENARIO: &str = "seed 1\nnode m\nnode r1 replicaof=m\nnode r2 replicaof=m\n\
        node r3 replicaof=m\nnode r4 replicaof=m\nnode r5 replicaof=m\nwait sync\n";
    const WRITES: u64 = 20_000;
    let mut g = c.benchmark_group("playground");
    g.sample_size(10);
    g.throughput(Throughput::Elements(WRITES));
    g.bench_function("6 nodes, one logged SET per ms, 20,000 in a row", |b| {
        b.iter_batched(
            || Playground::new(SCENARIO, None).unwrap(),
            |mut p| {
                for n in 0..WRITES {
                    p.apply(&format!("m> SET key:{} {n:016}", n % 1000))
                        .unwrap();
                    p.advance(1000);
                }
                p
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();

    // A seek on the page replays from the last checkpoint before the moment (they are
    // 5 simulated seconds apart): its worst case is a moment just before the next one.
    // The page's budget is 150 ms for every seek under this load (tools/page-bench.mjs).
    let mut g = c.benchmark_group("seek");
    g.sample_size(10);
    g.bench_function(
        "6 nodes at 1,000 logged SETs/s, to 4.9 s past a checkpoint",
        |b| {
            let mut p = Playground::new(SCENARIO, None).unwrap();
            let lines: Vec<String> = (0..1000)
                .map(|k| format!("m> SET key:{k} {k:016}"))
                .collect();
            for n in 0..30_000 {
                p.apply(&lines[n % 1000]).unwrap();
                p.advance(1000);
            }
            let every = replscope::playground::CHECKPOINT_EVERY_US;
            let t = (p.now().as_us() / every - 2) * every + every * 49 / 50;
            b.iter(|| {
                p.seek(replscope::time::SimTime(t));
                p.now()
            })
        },
    );
    g.finish();
}

criterion_group!(
    benches,
    propagation,
    full_sync,
    partial_resync,
    playground_load
);
criterion_main!(benches);
