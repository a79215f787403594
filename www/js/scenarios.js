// Written-in starting scenarios. Each stops where the interesting part begins and says
// what to try next. Loaded when one is picked (default.js holds the first one).

import { DEFAULT, TITLES, net, synced } from './default.js';
import { tr } from './dom.js';

// Deterministic incompressible-looking values (a fixed LCG, not Math.random), so the
// snapshot stays about as big as the data after the RDB's LZF compression.
function noise(n, seed) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let x = seed, out = '';
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; out += abc[x >>> 26]; }
  return out;
}
const big = (n, size) => Array.from({ length: n }, (_, i) => `m> SET doc:${i + 1} ${'x'.repeat(size)}`).join('\n');

export const SCENARIOS = [
  DEFAULT,
  {
    id: 'full',
    hint: 'press Play. Both replicas send PSYNC ? -1 (no history), m answers +FULLRESYNC, waits repl-diskless-sync-delay (5 s) so one snapshot serves both, then streams the RDB (the orange parcel) and the writes buffered meanwhile.',
    text: `# Two replicas attach to a master that already holds about 5 KB of data,
# over slow links (1 Mbit/s) so the snapshot can be seen on the wire.
seed 3
node m
wait 1s
${Array.from({ length: 20 }, (_, i) => `m> SET user:${i + 1} ${noise(240, i + 1)}`).join('\n')}
node r1 replicaof=m
node r2 replicaof=m
link m r1 latency=20ms bandwidth=1mbit
link m r2 latency=30ms bandwidth=1mbit
`,
  },
  {
    id: 'partial',
    hint: 'select the m ↔ r1 link and press R (reconnect). r1 retries about once a second, sends PSYNC <replid> <its offset + 1>; that byte is still in m’s backlog, so m answers +CONTINUE and sends only the three missed writes.',
    text: `# r1 was cut off while m took three writes.\nseed 7\n${synced}\ndisconnect m r1\nm> SET k1 v1\nm> INCR visits\nm> DEL greeting\nwait 2s\n`,
  },
  {
    id: 'overflow',
    hint: 'r1 missed 41 KB of writes; m’s backlog is 16 KB (repl-backlog-size 16kb, trimmed in whole 16 KB blocks, so it holds 16 to 32 KB). Reconnect r1 (select the m ↔ r1 link, press R): the first byte it needs has left the window, so m answers +FULLRESYNC.',
    text: `# The backlog is 16 KB; r1 misses 40 writes of about 1 KB.\nseed 7\nnode m repl-backlog-size=16kb repl-diskless-sync-delay=1\nnode r1 replicaof=m\nnode r2 replicaof=m\n${net(['r1', 'r2'])}\nwait sync\ndisconnect m r1\n${big(40, 1000)}\nwait 1s\n`,
  },
  {
    id: 'failover',
    hint: 'select r1 and press P (REPLICAOF NO ONE): r1 takes a new replid and keeps m’s as replid2. Then select r2 and pick “REPLICAOF r1”: its PSYNC names the old replid, which r1 still continues (+CONTINUE via replid2). Redis 2.8 matched run ids and would have done a full sync.',
    text: `# Fail over from m to r1.\nseed 11\n${synced}\nm> SET k1 v1\nwait sync\n`,
  },
  {
    id: 'restart',
    hint: 'select m and press S (restart: SHUTDOWN saves dump.rdb, then a new process starts with a new run_id). Redis 7.0 loads the old replid from the RDB as replid2, so both replicas continue (+CONTINUE). Compare C (crash): nothing is saved after the last write, the replicas are ahead, and they full-sync.',
    text: `# A master with data that will be restarted.\nseed 5\n${synced}\nm> SET k1 v1\nwait sync\n`,
  },
  {
    id: 'heartbeat',
    hint: 'watch the violet REPLCONF ACKs, one a second from each replica. Partition m ↔ r1 (select the link, X): nothing closes, bytes vanish. After repl-timeout (10 s here) both sides give up; heal (H) and r1 continues with PSYNC. A low ACK never makes the master resend: only a reconnect does.',
    text: `# repl-timeout is 10 s here (60 s by default) so the timeout comes quickly.\nseed 9\nnode m repl-timeout=10\nnode r1 replicaof=m repl-timeout=10\nnode r2 replicaof=m\n${net(['r1', 'r2'])}\nwait sync\nm> SET greeting hello\nwait sync\n`,
  },
  {
    id: 'chain',
    hint: 'write on m and follow the bytes: r1 forwards exactly what it applied, so r2 has the same replid and offsets. Disconnect m ↔ r1: r2 stays attached to r1, which refuses nothing until its own link state changes.',
    text: `# r2 replicates from r1, not from m.\nseed 13\nnode m\nnode r1 replicaof=m\nnode r2 replicaof=r1\nlink m r1 latency=5ms bandwidth=100mbit\nlink r1 r2 latency=5ms bandwidth=100mbit\nwait sync\nm> SET greeting hello\nwait sync\n`,
  },
  {
    id: 'bench',
    hint: 'the page applies one SET every millisecond on m (each a logged statement). The frame-time figures are in the console.',
    bench: true,
    text: `# Six nodes under a steady write load (the page's frame-time benchmark).\nseed 1\nnode m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nnode r4 replicaof=m\nnode r5 replicaof=m\nwait sync\n`,
  },
];

const byId = new Map(TITLES);
for (const sc of SCENARIOS) sc.title = byId.get(sc.id);

/** The benchmark: no slow motion, 1×, one logged SET a millisecond on m, playing. */
export function startBench(ui) {
  document.getElementById('slowmo').checked = ui.world.slowmo = false;
  ui.setSpeed(0);
  ui.world.startLoad('m', 1000, 16);
  ui.world.load.bench = true;   // its frame times are printed (a reader's own load stays quiet)
  ui.frames.length = 0;
  ui.setPlaying(true);
}

/** Frame times (simulation + drawing) of the last 300 frames, as the console prints them. */
export function frameNote(frames) {
  const a = frames.slice(-300).sort((x, y) => x - y);
  const q = (f) => a[Math.min(a.length - 1, Math.floor(f * a.length))].toFixed(2);
  return tr('frame time (sim + render) over the last 300 frames: p50 {0} ms, p95 {1} ms', q(0.5), q(0.95));
}
