// The scenario a first visit opens (a master and two replicas, in sync), and the list
// of starting scenarios the picker offers; their texts are in scenarios.js, loaded
// when one is picked, so the first visit downloads only this one.

export const net = (names, lat = [5, 8, 11, 14, 17]) => names.map((n, i) => `link m ${n} latency=${lat[i % lat.length]}ms bandwidth=100mbit`).join('\n');
export const synced = `node m
node r1 replicaof=m
node r2 replicaof=m
${net(['r1', 'r2'])}
wait sync
m> SET greeting hello
wait sync`;

export const DEFAULT = {
    id: 'basic',
    title: 'A master and two replicas, in sync',
    hint: 'select the m ↔ r1 link and press D to disconnect it, type SET k1 v1 in the console, then press R to reconnect: r1 asks PSYNC from the byte after its last one, and m answers +CONTINUE with just the missed bytes.',
    text: `# A master and two replicas, already in sync.\nseed 7\n${synced}\n`,
  };

export const TITLES = [
  ['basic', DEFAULT.title],
  ['full', 'Full sync from scratch (slow links)'],
  ['partial', 'Partial resync after a disconnect'],
  ['overflow', 'Backlog overflow → full resync'],
  ['failover', 'Failover: promote a replica'],
  ['restart', 'Master restart keeps its history (7.0)'],
  ['heartbeat', 'Heartbeats, partitions and repl-timeout'],
  ['chain', 'Chained replicas: m → r1 → r2'],
  ['bench', 'Benchmark: 6 nodes at 1000 writes/s'],
];
