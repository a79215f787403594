#!/usr/bin/env bash
# Real Redis doing the work of the `propagation` benchmark: a master with three
# replicas on loopback, `redis-benchmark -t set` against the master. Prints SETs per
# second, to be compared (as a ratio) with `cargo bench --bench replication` run on
# the same machine in the same session.
set -euo pipefail
. "$(dirname "$0")/real-cluster.sh"
start_cluster
echo "replicas online: $(redis-cli -p "$base" info replication | grep -c state=online)"
for clients in 1 50; do
  redis-benchmark -p "$base" -t set -n 200000 -c "$clients" -r 1000 -d 16 -q | tr '\r' '\n' |
    grep 'requests per second' | sed "s/^/clients=$clients: /"
done
redis-cli -p "$base" info replication | grep -E 'master_repl_offset|slave0'
