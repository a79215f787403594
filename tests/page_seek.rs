//! Seeking on the page shows the world exactly as it was, in the cases tests/fuzz_page.rs
//! found wrong (each was reachable by typing in the console, then clicking the timeline):
//! a moment before the first event, a statement that failed after time ran, a `wait`
//! during which nothing happened, a command sent to a node still booting, and a
//! connection closed by its initiator while its acceptor was still booting. And a long
//! `wait` run in slices (as the console runs one) is the world the statement makes.
#![cfg(not(target_arch = "wasm32"))]

use replscope::playground::Playground;
use replscope::time::SimTime;

fn view(p: &Playground) -> String {
    serde_json::to_string(&p.view()).expect("a view serializes")
}

/// Type `lines` into a fresh playground; the view after each.
fn play(lines: &[&str]) -> (Playground, Vec<(SimTime, String)>) {
    let mut p = Playground::new("", Some(3)).unwrap();
    let mut seen = Vec::new();
    for l in lines {
        let _ = p.apply(l);
        seen.push((p.now(), view(&p)));
    }
    (p, seen)
}

#[test]
fn a_moment_before_the_first_event_can_be_shown() {
    // The node boots later than 100 ms: no event ran before the SET, so there was no
    // checkpoint to seek back from, and the seek did nothing (the end stayed shown).
    let (mut p, seen) = play(&["node m", "wait 100ms", "wait 5s", "m> SET a 1", "wait 1s"]);
    p.seek(SimTime(100_000));
    assert_eq!(p.now(), SimTime(100_000));
    assert_eq!(view(&p), seen[1].1);
    p.seek(SimTime(50_000));
    assert_eq!(p.now(), SimTime(50_000));
}

#[test]
fn a_wait_during_which_nothing_happened_is_cut_where_it_is_shown() {
    // No node: `wait 25s` runs no event. Seeking to its start replayed it whole.
    let (mut p, _) = play(&["node m databases=0", "wait 1s", "wait 25s"]);
    p.seek(SimTime(1_000_000));
    assert_eq!(p.now(), SimTime(1_000_000));
    p.seek(SimTime(7_000_000));
    assert_eq!(p.now(), SimTime(7_000_000));
}

#[test]
fn a_statement_that_failed_after_time_ran_leaves_a_seekable_history() {
    // `wait sync` gives up after 10 simulated minutes; its checkpoints named a statement
    // never logged, and the next seek panicked (the page's wasm trapped).
    let mut p = Playground::new("node m\nnode r1 replicaof=m\nwait sync\n", Some(1)).unwrap();
    p.apply("partition m r1").unwrap();
    p.apply("m> SET a 1").unwrap();
    let t0 = p.now();
    assert!(p.apply("wait sync").is_err());
    let end = (p.now(), view(&p));
    assert!(end.0 > t0.plus_us(599_000_000));
    for t in [t0.plus_us(300_000_000), t0.plus_us(1), end.0] {
        p.seek(t);
        assert_eq!(p.now(), t);
    }
    let v = view(&p);
    if v != end.1 {
        let i = v
            .bytes()
            .zip(end.1.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "seeked {}\nrecorded {}",
            &v[i.saturating_sub(200)..(i + 200).min(v.len())],
            &end.1[i.saturating_sub(200)..(i + 200).min(end.1.len())]
        );
    }
    // Logged after it, a statement does not take the failed one's checkpoints for its own.
    p.apply("wait 1s").unwrap();
    p.seek(t0.plus_us(300_000_000));
    assert_eq!(p.now(), t0.plus_us(300_000_000));
}

#[test]
fn a_command_sent_to_a_booting_node_is_replayed() {
    // `send` to a node still booting waits for the boot; replayed, it was not sent at all.
    let (mut p, seen) = play(&["node m", "send m> APPEND k v", "wait 0m", "wait 2s"]);
    let (t, shown) = &seen[2];
    assert!(t.as_us() > 0, "the command waited for the boot");
    p.seek(SimTime(0));
    p.seek(*t);
    assert_eq!(&view(&p), shown);
    assert!(shown.contains("\"keys\":1"), "{shown}");
}

#[test]
fn a_connection_waiting_for_a_booting_process_is_kept_until_it_answers() {
    // m connects to r1 while r1 boots, then restarts: its side closes before r1 accepts.
    // Live, r1 accepted at its boot and was reset; replayed (the network forgot closed
    // connections at other moments), the connection was gone before r1 answered: r1
    // kept a client with no connection, and the seeked world counted 2 fewer events.
    let lines = [
        "node m client-output-buffer-limit=\"replica 20kb 10kb 2\"",
        "node r1 replicaof=m save=\"\" hz=1",
        "node r2",
        "disconnect r2 r1",
        "reconnect m r2",
        "expect m> GET k3 => x",
        "m> REPLICAOF r1",
        "restart m",
        "expect r2> GET k1 => v40",
        "r2> WAIT 1 2487",
        "partition r1 r2",
        "m> WAIT 2 351",
        "wait 1823ms",
    ];
    let mut p = Playground::new("", Some(22804)).unwrap();
    for l in lines {
        p.apply(l).unwrap();
    }
    let (t, shown) = (p.now(), view(&p));
    p.apply("wait 1729us").unwrap();
    p.seek(SimTime(0));
    p.seek(t);
    assert_eq!(view(&p), shown);
}

#[test]
fn a_long_wait_run_in_slices_is_the_world_the_statement_makes() {
    // The console runs a typed `wait` of a minute or more as time passing, in slices
    // (www/js/longwait.js): the world, its decisions and what a seek shows must be the
    // ones the `wait` statement makes. A partitioned replica times out, retries and
    // resyncs meanwhile; writes before it fill the backlog.
    let setup = "node m repl-backlog-size=16k\nnode r1 replicaof=m repl-timeout=5\n\
                 node r2 replicaof=m\nwait sync\n";
    let before = [
        "m> SET a 1",
        "partition m r1",
        "m> APPEND a xxxxxxxxxxxxxxxx",
    ];
    let fresh = || {
        let mut p = Playground::new(setup, Some(5)).unwrap();
        for l in before {
            p.apply(l).unwrap();
        }
        p
    };
    let mut whole = fresh();
    whole.apply("wait 30m").unwrap();
    let mut sliced = fresh();
    let end = sliced.now().plus_us(30 * 60_000_000);
    // Slices as the page sizes them: growing, shrinking, ending on a remainder.
    let mut slice = 1_000_000u64;
    while sliced.now() < end {
        sliced.advance(slice.min(end.as_us() - sliced.now().as_us()));
        slice = (slice * 3 + 12_345) % 200_000_000 + 1_000;
    }
    assert_eq!(sliced.now(), whole.now());
    assert_eq!(view(&sliced), view(&whole));
    // The script carries the time as the same `wait`.
    assert!(sliced
        .script()
        .ends_with("APPEND a xxxxxxxxxxxxxxxx\nwait 30m\n"));
    assert_eq!(sliced.script(), whole.script());
    // Healed afterwards, both resync alike; a seek into the wait shows the same moment.
    for p in [&mut whole, &mut sliced] {
        p.apply("heal m r1").unwrap();
        p.advance(20_000_000);
    }
    assert_eq!(view(&sliced), view(&whole));
    let decided = |p: &Playground| serde_json::to_string(p.decisions()).unwrap();
    assert!(whole.decisions().len() > 2, "r1 resynced after the heal");
    assert_eq!(decided(&sliced), decided(&whole));
    let mid = SimTime(whole.now().as_us() - 17 * 60_000_000 - 123_457);
    whole.seek(mid);
    sliced.seek(mid);
    assert_eq!(view(&sliced), view(&whole));
}
