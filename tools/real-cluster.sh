# Sourced by the benchmark scripts: a real redis-server master with three replicas on
# loopback ports base..base+3 (no saves, diskless sync at once, logs in a temp dir),
# killed on exit. After sourcing: $base, $dir, and `start_cluster` to start them and
# wait until the master lists its three replicas online.
base=$((20000 + RANDOM % 20000))
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
exec 2> >(grep -v Killed >&2)
start_server() { # port [args...]
  local port=$1; shift
  mkdir -p "$dir/$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/$port" --save '' \
    --repl-diskless-sync-delay 0 --logfile "$dir/$port/log" "$@" &
  pids+=($!)
}
start_cluster() {
  start_server "$base"
  for i in 1 2 3; do start_server $((base + i)) --replicaof 127.0.0.1 "$base"; done
  local k
  for _ in $(seq 50); do
    k=$(redis-cli -p "$base" info replication 2>/dev/null | grep -c 'state=online' || true)
    [ "$k" = 3 ] && break; sleep 0.2
  done
}
