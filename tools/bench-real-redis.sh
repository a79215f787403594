#!/usr/bin/env bash
# Real Redis doing the work of the `propagation` benchmark: a master with three
# replicas on loopback, `redis-benchmark -t set` against the master. Prints SETs per
# second, to be compared (as a ratio) with `cargo bench --bench replication` run on
# the same machine in the same session.
set -euo pipefail
base=$((20000 + RANDOM % 20000))
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
exec 2> >(grep -v Killed >&2)
start() { # port [args...]
  local port=$1; shift
  mkdir -p "$dir/$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/$port" --save '' \
    --repl-diskless-sync-delay 0 --logfile "$dir/$port/log" "$@" &
  pids+=($!)
}
start "$base"
for i in 1 2 3; do start $((base + i)) --replicaof 127.0.0.1 "$base"; done
for _ in $(seq 50); do
  n=$(redis-cli -p "$base" info replication | grep -c 'state=online' || true)
  [ "$n" = 3 ] && break; sleep 0.2
done
echo "replicas online: $(redis-cli -p "$base" info replication | grep -c state=online)"
for clients in 1 50; do
  redis-benchmark -p "$base" -t set -n 200000 -c "$clients" -r 1000 -d 16 -q | tr '\r' '\n' |
    grep 'requests per second' | sed "s/^/clients=$clients: /"
done
redis-cli -p "$base" info replication | grep -E 'master_repl_offset|slave0'
