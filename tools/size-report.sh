#!/usr/bin/env bash
# What a first visit downloads, file by file, raw and gzip -9 (what a static host with
# compression sends): www/ as `make serve` serves it (one module per file), and dist/
# as `make dist` builds it (bundled, minified; panels behind tabs, lessons, dialogs,
# other scenarios, links, embed mode, the Chinese dictionary, export, the healed note and opening in steps load on first
# use and are listed apart).
# Budgets: the whole first visit ≤ 150 KB gzip; our HTML/CSS/JS ≤ 25 KB gzip; the wasm
# ≤ 195,000 bytes gzip -9 (tools/size-profile.sh says where its bytes go; it was 185,000
# until a scenario could load in steps, Playground::load: +976 bytes; 186,000 until
# session 27's conformance fixes: LMOVE, RPOPLPUSH and SWAPDB, a writable replica
# expiring its own clients' TTLs, Redis 8.0's and Valkey 8.1's SET PXAT and past
# deadlines, +4,032 bytes; and a closing socket cutting an RDB short, +279; 191,000 until
# session 28's fidelity fixes: rdbcompression/rdbchecksum honoured and master_sync_total_bytes
# -1 before the RDB's length, +359; LZF byte for byte as liblzf, +145; a replica's stream
# written a send buffer ahead of the wire, so a slow replica meets its output-buffer limit,
# +~110; a too-long wait named as such, +109; 192,000 until session 29's: FAILOVER, Redis's
# coordinated failover with its write pause, postponed writes and abort/timeout paths (the
# last known conformance difference), with explain's corrected outage figures, +2,580; a
# replica's total_net_repl_input_bytes without the handshake replies, +65; the notices of
# an RDB load (Loading RDB produced by, RDB age, RDB memory usage, Done loading RDB), "to
# parser" and swapdb's load-then-swap, +~915).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f www/pkg/replscope_bg.wasm ] || { echo "www/pkg is missing: run make wasm" >&2; exit 1; }

report() { # title, files that a first visit fetches..., then '--', the files fetched later
  local title=$1; shift
  local page=0 all=0 raw gz later=0 f
  echo "== $title"
  printf '%-36s %9s %9s\n' file bytes gzip
  for f in "$@"; do
    if [ "$f" = -- ]; then later=1; echo '-- loaded on first use:'; continue; fi
    raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c)
    printf '%-36s %9d %9d\n' "$f" "$raw" "$gz"
    [ $later = 1 ] && continue
    all=$((all + gz))
    case "$f" in *.wasm|*/pkg/*) ;; *) page=$((page + gz));; esac
  done
  printf '%-36s %19d   (aim 25600)\n' 'first visit: our html+css+js+json' "$page"
  printf '%-36s %19d   (budget 153600)\n' 'first visit: everything' "$all"
}

# Modules main.js imports statically (the first frame's), and the ones it imports on demand.
lazy='seq|chart|info|settings|compare|replay|lessons|dialogs|diagnose|scenarios|link|embed|i18n|export|healed|opening'
eager=$(ls www/js/*.js | grep -Ev "/($lazy)\.js$")
later=$(ls www/js/*.js | grep -E "/($lazy)\.js$")
report "www/ (make serve)" www/index.html www/style.css www/favicon.svg $eager www/pkg/replscope.js www/pkg/replscope_bg.wasm www/lessons/index.json -- $later www/more.css

printf '%-36s %19d   (budget 195000)
' 'the wasm, gzip -9' "$(gzip -9c www/pkg/replscope_bg.wasm | wc -c)"

if [ -d dist ]; then
  # The chunks main.js imports statically are part of the first visit too.
  chunks=$(grep -o 'from"\./chunk-[A-Z0-9]*\.js"' dist/js/main.js | grep -o 'chunk-[A-Z0-9]*\.js' | sort -u | sed 's#^#dist/js/#')
  rest=$(ls dist/js/*.js | grep -v '/main\.js$' | grep -vxF -f <(printf '%s\n' $chunks) || true)
  report "dist/ (make dist)" dist/index.html dist/style.css dist/favicon.svg dist/js/main.js $chunks dist/js/replscope_bg.wasm dist/lessons/index.json -- $rest dist/more.css
else
  echo "(no dist/: make dist builds the minified page)"
fi
