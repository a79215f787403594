#!/usr/bin/env bash
# What a first visit downloads, file by file, raw and gzip -9 (what a static host
# with compression sends). Budget: the whole page ≤ 150 KB gzip; our HTML/CSS/JS ≤ 25 KB.
set -euo pipefail
cd "$(dirname "$0")/../www"
[ -f pkg/replscope_bg.wasm ] || { echo "www/pkg is missing: run make wasm" >&2; exit 1; }
files=(index.html style.css js/*.js pkg/replscope.js pkg/replscope_bg.wasm)
page_raw=0; page_gz=0; all_raw=0; all_gz=0
printf '%-28s %10s %10s\n' file bytes gzip
for f in "${files[@]}"; do
  raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c)
  printf '%-28s %10d %10d\n' "$f" "$raw" "$gz"
  all_raw=$((all_raw + raw)); all_gz=$((all_gz + gz))
  case "$f" in pkg/*) ;; *) page_raw=$((page_raw + raw)); page_gz=$((page_gz + gz));; esac
done
printf '%-28s %10d %10d   (budget 25600)\n' 'page: html+css+js' "$page_raw" "$page_gz"
printf '%-28s %10d %10d   (budget 153600)\n' 'total first visit' "$all_raw" "$all_gz"
