#!/usr/bin/env bash
# Where the WebAssembly's bytes go: builds the page's wasm exactly as `make wasm` does
# but keeps function names, then groups twiggy's per-function sizes by module (our
# modules, the standard library's, dependencies) and lists the biggest functions, the
# functions that cost the download the most gzip bytes, and the generic code
# instantiated most often. An export's "multivalue shim" is its body: wasm-opt inlines
# the function an export calls (and what only it calls) into wasm-bindgen's shim. Use it before and after a change that
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
"$wasm_opt" -Oz --converge --reorder-functions-by-name -g --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types -o "$out/named.wasm" "$out/pkg/replscope_bg.wasm"
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
# What the download would lose without each function: gzip of the module (custom
# sections dropped) minus gzip of it with that body cut out. Raw sizes mislead: code
# much like its neighbours costs little gzip, a unique body or string costs nearly all.
python3 - "$out/named.wasm" "$rows" <<'EOF'
import re, sys, zlib
data, rows = open(sys.argv[1], 'rb').read(), int(sys.argv[2])
def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i
secs, i = [], 8
while i < len(data):
    n, j = leb(data, i + 1); secs.append((data[i], i, j, j + n)); i = j + n
names, imported = {}, 0
for sid, _, b, e in secs:
    if sid == 0:
        ln, k = leb(data, b)
        if data[k:k + ln] == b'name':
            k += ln
            while k < e:
                sz, k2 = leb(data, k + 1)
                if data[k] == 1:
                    cnt, q = leb(data, k2)
                    for _ in range(cnt):
                        idx, q = leb(data, q); l2, q = leb(data, q)
                        names[idx] = data[q:q + l2].decode('utf8', 'replace'); q += l2
                k = k2 + sz
    if sid == 2:  # imported functions come first in the index space
        cnt, q = leb(data, b)
        for _ in range(cnt):
            for _ in range(2):
                l2, q = leb(data, q); q += l2
            kind = data[q]; q += 1
            if kind == 0:
                _, q = leb(data, q); imported += 1
            elif kind in (1, 2):  # table (reftype first), memory: limits
                q += kind == 1; fl = data[q]; q += 1; _, q = leb(data, q)
                if fl & 1: _, q = leb(data, q)
            else:  # global: type, mutability
                q += 2
body, bodies, at = bytearray(data[:8]), [], 8
for sid, s0, b, e in secs:
    if sid == 0:
        continue
    if sid == 10:
        cnt, q = leb(data, b)
        for f in range(cnt):
            sz, q2 = leb(data, q)
            if sz >= 150:
                bodies.append((names.get(imported + f, f'function {f}'), at + q2 - s0, at + q2 + sz - s0))
            q = q2 + sz
    body += data[s0:e]; at += e - s0
whole = len(zlib.compress(bytes(body), 9))
cost = sorted(((whole - len(zlib.compress(bytes(body[:a] + body[z:]), 9)), z - a, n) for n, a, z in bodies), reverse=True)
print(f"{'gzip':>8} {'raw':>6}  what each function costs the download (zlib -9; bodies of 150 bytes or more)")
for g, raw, n in cost[:rows]:
    name = re.sub(r'\[[0-9a-f]{16}\]|::h[0-9a-f]{16}$', '', n)[:110]
    print(f"{g:8d} {raw:6d}  {name}")
EOF
echo
echo "generic code instantiated more than once (twiggy monos):"
awk 'NR <= 2 || $0 !~ /^ *┊/' "$out/monos.txt" | cut -c1-150 | head -$((rows + 2))
