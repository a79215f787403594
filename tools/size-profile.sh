#!/usr/bin/env bash
# Where the WebAssembly's bytes go: builds the page's wasm exactly as `make wasm` does
# but keeps function names, then groups twiggy's per-function sizes by module (our
# modules, the standard library's, dependencies) and lists the biggest functions and
# the generic code instantiated most often. Use it before and after a change that
# should make the download smaller; `tools/size-report.sh` gives the gzip totals.
#
#   tools/size-profile.sh [N]     N: how many rows of each table (default 25)
#
# Needs twiggy (`cargo install twiggy --locked`, installed on first use) and the
# binaryen from tools/ (make wasm installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-25}
export PATH="$HOME/.cargo/bin:$PATH"
command -v twiggy >/dev/null || cargo install twiggy --locked
wasm_opt=tools/node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || (cd tools && npm ci --no-audit --no-fund --loglevel=error)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wasm-pack build --profile wasm --target web --out-dir "$out/pkg" --no-typescript --no-pack --no-opt >/dev/null 2>&1 ||
  { echo "wasm-pack build failed (run make wasm to see why)" >&2; exit 1; }
# The same passes as `make wasm`, but -g keeps the names twiggy needs.
"$wasm_opt" -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types -o "$out/named.wasm" "$out/pkg/replscope_bg.wasm"
"$wasm_opt" -Oz --converge --reorder-functions-by-name --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --strip-debug --strip-producers \
  -o "$out/shipped.wasm" "$out/pkg/replscope_bg.wasm"
twiggy top -n 1000000 --format csv "$out/named.wasm" > "$out/top.csv"
twiggy monos -n "$rows" "$out/named.wasm" > "$out/monos.txt"

python3 - "$out/top.csv" "$out/shipped.wasm" "$rows" <<'EOF'
import csv, re, subprocess, sys
from collections import Counter

top, shipped, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(shipped, 'rb').read()
# The gzip command's -9, as the budget is measured (Python's zlib makes other streams).
gz = len(subprocess.run(['gzip', '-9c', shipped], capture_output=True, check=True).stdout)
print(f"shipped wasm: {len(data)} bytes, {gz} gzip -9")
print("(sizes below are raw bytes of the named build; names themselves are not shipped)\n")

def module(name):
    """The module a twiggy item belongs to: replscope::a::b, a crate, or a kind."""
    if name.startswith('data segment'):
        return 'data (strings, tables)'
    if name.startswith('"'):
        return None  # custom sections such as "function names": not shipped
    if 'multivalue shim' in name or name.startswith(('export ', 'import ', 'elem', 'table', 'type[', 'global')):
        return 'wasm-bindgen glue'
    # `<T as Trait>::f`: attribute to T's crate, or to replscope if our type is involved.
    m = re.search(r'replscope::((?:[a-z_0-9]+::){1,2})', name)
    if m and 'replscope' in name.split('<')[1 if name.startswith('<') else 0][:80]:
        return 'replscope::' + m.group(1).rstrip(':')
    m = re.match(r'^<?&?(?:mut )?([a-z_0-9]+)(?:\[[0-9a-f]+\])?::([a-z_0-9]+)', name)
    if m:
        return m.group(1) + '::' + m.group(2)
    return 'other'

by_module, items = Counter(), []
for r in csv.DictReader(open(top)):
    size = int(r['ShallowSize'])
    mod = module(r['Name'])
    if mod is None:
        continue
    by_module[mod] += size
    items.append((size, r['Name']))
total = sum(by_module.values())
print(f"{'bytes':>8} {'share':>6}  module")
for mod, size in by_module.most_common(rows):
    print(f"{size:8d} {100 * size / total:5.1f}%  {mod}")
print(f"{total:8d} 100.0%  total\n")
print(f"{'bytes':>8}  biggest functions")
for size, name in sorted(items, reverse=True)[:rows]:
    print(f"{size:8d}  {re.sub(r'::h[0-9a-f]{16}$', '', name)[:110]}")
EOF
echo
echo "generic code instantiated more than once (twiggy monos):"
awk 'NR <= 2 || $0 !~ /^ *┊/' "$out/monos.txt" | cut -c1-150 | head -$((rows + 2))
