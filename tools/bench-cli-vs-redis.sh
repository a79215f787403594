#!/usr/bin/env bash
# The CLI beside real Redis on the same work, in the same run: 100,000 SETs of a
# 20-byte value to a master with three replicas.
#  - replscope: `replscope run` of a scenario of 100,000 `m> SET key:i <20 bytes>`
#    lines between two `wait sync` (built with `cargo build --release`);
#  - Redis 7.0: redis-server master + 3 replicas on loopback, `redis-benchmark
#    -t set -n 100000 -P 32 -d 20` against the master, then until the replicas have
#    the last offset.
# Prints both wall times and the ratio (replscope / Redis; <= 0.5 is the goal of
# issue 15). PIPELINE=1 runs redis-benchmark without pipelining instead (one command
# per round trip, as each `m>` line of a scenario is sent), for comparison.
# Usage: [PIPELINE=P] tools/bench-cli-vs-redis.sh [N]
set -euo pipefail
n=${1:-100000}
pipeline=${PIPELINE:-32}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/replscope"
cargo build --release --quiet --bin replscope --manifest-path "$root/Cargo.toml"
. "$root/tools/real-cluster.sh"

scn="$dir/writes.scn"
{
  printf 'node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nwait sync\n'
  seq 0 $((n - 1)) | sed 's/.*/m> SET key:& abcdefghijklmnopqrst/'
  printf 'wait sync\n'
} > "$scn"
now() { date +%s.%N; }
best_sim=
for _ in 1 2 3; do
  t0=$(now); "$bin" run "$scn" > /dev/null; t1=$(now)
  t=$(echo "$t1 - $t0" | bc -l)
  if [ -z "$best_sim" ] || [ "$(echo "$t < $best_sim" | bc -l)" = 1 ]; then best_sim=$t; fi
done

start_cluster
offset() { redis-cli -p "$1" info replication | tr -d '\r' | sed -n "s/^$2://p"; }
best_real=
for _ in 1 2 3; do
  t0=$(now)
  redis-benchmark -p "$base" -t set -n "$n" -P "$pipeline" -r "$n" -d 20 -q > /dev/null
  want=$(offset "$base" master_repl_offset)
  for i in 1 2 3; do
    until [ "$(offset $((base + i)) slave_repl_offset)" -ge "$want" ]; do sleep 0.001; done
  done
  t1=$(now)
  t=$(echo "$t1 - $t0" | bc -l)
  if [ -z "$best_real" ] || [ "$(echo "$t < $best_real" | bc -l)" = 1 ]; then best_real=$t; fi
done
printf 'replscope run, %d SETs, 3 replicas: %.3f s (best of 3)\n' "$n" "$best_sim"
printf 'redis-server 7.0, redis-benchmark -P %d, 3 replicas: %.3f s (best of 3)\n' "$pipeline" "$best_real"
printf 'ratio replscope / redis: %.2f\n' "$(echo "$best_sim / $best_real" | bc -l)"
