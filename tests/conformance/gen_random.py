#!/usr/bin/env python3
"""Generate tests/scenarios/random/: seeded random replication histories for the
conformance suite. One master and one or two replicas (random backlog size, disk or
diskless sync) go through writes of 3 bytes to 100 KB at a time (enough to overflow
any of the backlogs), disconnects and reconnects, replica and master restarts,
replica crashes (SIGKILL, then started again),
failovers (a replica promoted, every other node pointed at it), backlog resizes
(CONFIG SET repl-backlog-size) and SELECTs. No WAIT: whether it must send a GETACK
depends on where the replicas' once-a-second ACK falls in real time.

Every `expect` is one that holds whatever happened (`>= -1`, a replica caught up
after `wait sync`): the point is that the suite compares each value between the
simulator and redis-server (offsets, sync counters, backlog window, replid2
offset), not that the file states them.

Timing is chosen so both worlds see the same history: over loopback a command's
bytes reach the replicas at once, while in the simulator they take the 1 ms link
latency, so each disconnect comes 100 ms after the writes before it; a failover
or restart waits for `wait sync` first; a reconnect is followed by 1.5 s (the
simulated replica retries from its once-a-second cron, the real one reconnects
at REPLICAOF).

Run from the repository root: python3 tests/conformance/gen_random.py [FIRST LAST]
(OUT=dir writes elsewhere)
(seeds FIRST..LAST-1; the committed files are seeds 0 to 11; seeds 0 to 59 all
agreed with redis-server 7.0.15 when this was written, and so did the 23 of seeds
60 to 359 that crash a replica).
"""
import os
import random
import sys

OUT = os.environ.get("OUT", "tests/scenarios/random")
FIELDS = ["master_repl_offset", "sync_full", "sync_partial_ok", "sync_partial_err",
          "repl_backlog_histlen", "repl_backlog_first_byte_offset", "second_repl_offset"]


def scenario(seed):
    r = random.Random(seed)
    backlog = r.choice(["16kb", "32kb", "100kb", "1mb"])
    diskless = r.choice(["yes", "no"])
    common = (f"repl-ping-replica-period=3600 repl-diskless-sync-delay=0 "
              f"repl-backlog-size={backlog} repl-diskless-sync={diskless}")
    nodes = ["m", "r1", "r2"][: 1 + r.choice([1, 2])]
    lines = [f"# Random replication history, seed {seed} (tests/conformance/gen_random.py):",
             "# compared value by value with redis-server by the conformance suite.",
             f"node m {common}"]
    lines += [f"node {n} replicaof=m {common}" for n in nodes[1:]]
    lines.append("wait sync")
    master, down = "m", set()

    def check():
        lines.append("wait sync")
        for n in nodes:
            lines.extend(f"expect {n} {f} >= -1" for f in FIELDS)
        lines.extend(f"expect {n} slave_repl_offset = {master}.master_repl_offset"
                     for n in nodes if n != master)

    for _ in range(r.randint(8, 16)):
        c = r.random()
        replicas = [n for n in nodes if n != master]
        if c < 0.35:
            value = "x" * r.choice([3, 200, 1034])
            lines.append(f"{master}> {r.choice(['SET', 'APPEND'])} {r.choice('abc')} {value}")
        elif c < 0.42:
            lines += [f"{master}> SET big{i} {'y' * 5000}" for i in range(r.choice([3, 8, 20]))]
        elif c < 0.55:
            up = [x for x in replicas if x not in down]
            if up:
                x = r.choice(up)
                down.add(x)
                lines += ["wait 100ms", f"disconnect {master} {x}"]
        elif c < 0.68:
            if down:
                x = r.choice(sorted(down))
                down.discard(x)
                lines += [f"reconnect {master} {x}", "wait 1500ms"]
        elif c < 0.76:
            if not down:
                check()
        elif c < 0.84:
            # A restart reads the node line again: only while roles are the original ones.
            if not down and master == "m":
                lines += ["wait sync", f"restart {r.choice(replicas)}", "wait 1500ms"]
        elif c < 0.92:
            if not down:
                x = r.choice(replicas)
                lines += ["wait sync", f"{x}> REPLICAOF NO ONE"]
                lines += [f"{y}> REPLICAOF {x}" for y in nodes if y != x]
                lines.append("wait 1500ms")
                master = x
        elif c < 0.95:
            lines.append(f"{master}> SELECT {r.choice([0, 1])}")
        elif c < 0.975:
            size = r.choice(["16kb", "64kb", "1mb"])
            lines.append(f"{master}> CONFIG SET repl-backlog-size {size}")
        elif not down and master == "m" and r.random() < 0.5:
            # The master restarts from its RDB (SHUTDOWN saves: save points are on),
            # keeping its replication id and offset, so its replicas may continue.
            lines += ["wait sync", "restart m", "wait 1500ms"]
        elif not down and master == "m":
            # A replica dies without saving and comes back with what it last saved.
            x = r.choice(replicas)
            lines += ["wait sync", f"crash {x}", "wait 200ms", f"start {x}", "wait 1500ms"]
    lines += [f"reconnect {master} {x}" for x in sorted(down)]
    check()
    return "\n".join(lines) + "\n"


def main():
    first, last = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (0, 12)
    os.makedirs(OUT, exist_ok=True)
    for seed in range(first, last):
        with open(os.path.join(OUT, f"seed-{seed:03d}.scn"), "w") as f:
            f.write(scenario(seed))


if __name__ == "__main__":
    main()
