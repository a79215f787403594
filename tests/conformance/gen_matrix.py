#!/usr/bin/env python3
"""Generate tests/scenarios/matrix/: the idea of Redis's own
tests/integration/replication-psync.tcl (backlog size x disconnect length x
diskless or not -> partial or full resync), with writes of known sizes instead of
timed load, so both worlds see the same bytes.

Run from the repository root: python3 tests/conformance/gen_matrix.py
"""
import os

OUT = "tests/scenarios/matrix"
VALUE = "x" * 1000
# SET key:NN <1000 bytes>: *3\r\n $3 SET $6 key:NN $1000 ... = 4 + 9 + 12 + 1009
WRITE_BYTES = 1034
BEFORE = 23 + 32  # SELECT 0 + SET before 1
DURING = 32       # SET during 1

BACKLOGS = [("16kb", 16384), ("1mb", 1048576)]
# How many 1kb writes the replica misses while disconnected.
WRITES = [0, 1, 12, 17, 30, 40]
SYNCS = [("diskless", "yes"), ("disk", "no")]


def verdict(backlog, writes):
    """Partial or full, from 7.0's shared replication buffer: the backlog is a list
    of blocks of 16kb asked from jemalloc, whose usable size makes them 20440 bytes
    each (as both worlds show), and the head block is dropped only while
    histlen - head > repl-backlog-size. So a 16kb backlog may hold up to ~36kb."""
    total = BEFORE + writes * WRITE_BYTES + DURING
    block = 20440
    blocks = [block] * (total // block) + ([total % block] if total % block else [])
    histlen, first = total, 1
    while len(blocks) > 1 and histlen - blocks[0] > backlog:
        histlen -= blocks[0]
        first += blocks[0]
        blocks.pop(0)
    wanted = BEFORE + 1
    return wanted >= first, total, first, histlen


def main():
    os.makedirs(OUT, exist_ok=True)
    n = 0
    for bname, bsize in BACKLOGS:
        for writes in WRITES:
            for sname, sval in SYNCS:
                partial, total, first, histlen = verdict(bsize, writes)
                name = f"psync-backlog-{bname}-miss-{writes:02d}kb-{sname}.scn"
                missed = writes * WRITE_BYTES + DURING
                kind = "partial" if partial else "full"
                lines = [
                    f"# Matrix (after replication-psync.tcl): backlog {bname}, the replica misses",
                    f"# {writes} writes of {WRITE_BYTES} bytes + SET during 1 ({missed} bytes), {sname} sync:",
                    f"# a {kind} resync. The backlog then holds {histlen} bytes from offset {first}",
                    "# (7.0 frees whole blocks of 20440 bytes only, so it may hold more than its size).",
                    f"node m repl-ping-replica-period=3600 repl-diskless-sync-delay=0 repl-backlog-size={bname} repl-diskless-sync={sval}",
                    f"node r1 replicaof=m repl-ping-replica-period=3600 repl-backlog-size={bname}",
                    "wait sync",
                    "m> SET before 1",
                    "wait sync",
                    f"expect m master_repl_offset = {BEFORE}",
                    "disconnect m r1",
                ]
                lines += [f"m> SET key:{i:02d} {VALUE}" for i in range(1, writes + 1)]
                lines += [
                    "m> SET during 1",
                    "reconnect m r1",
                    "wait sync",
                    f"expect m sync_full = {1 if partial else 2}",
                    f"expect m sync_partial_ok = {1 if partial else 0}",
                    f"expect m sync_partial_err = {0 if partial else 1}",
                    f"expect m master_repl_offset = {total}",
                    "expect r1 slave_repl_offset = m.master_repl_offset",
                    f"expect m repl_backlog_first_byte_offset = {first}",
                    f"expect m repl_backlog_histlen = {histlen}",
                    'expect r1> GET during => "1"',
                    f"expect r1 db0.keys = {writes + 2}",
                ]
                with open(os.path.join(OUT, name), "w") as f:
                    f.write("\n".join(lines) + "\n")
                n += 1
    print(f"{n} scenarios in {OUT}")


if __name__ == "__main__":
    main()
