#!/usr/bin/env bash
# Installs Redis 8.0 and Valkey 8.1 from Debian 13's (trixie) packages into
# target/servers/, for the conformance suite's other versions (issue 12).
#
# Debian 12 has only redis-server 7.0, and its glibc is older than the one trixie's
# binaries need, so the packages are downloaded with a private apt configuration
# (trixie is never added to the system's sources), unpacked with `dpkg -x` together
# with their libraries, and started through the unpacked loader:
#   ld-linux-x86-64.so.2 --library-path <unpacked libs> <unpacked redis-server> ...
# Each version gets a wrapper script that does exactly that:
#   target/servers/bin/redis-server-8.0   target/servers/bin/valkey-server-8.1
# (and redis-cli-8.0 / valkey-cli-8.1). Idempotent: does nothing when both wrappers
# run. Exits non-zero with a clear message when the packages cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST="$PWD/target/servers"
BIN="$DEST/bin"

works() { "$BIN/redis-server-8.0" --version 2>/dev/null | grep -q 'v=8\.0\.' &&
          "$BIN/valkey-server-8.1" --version 2>/dev/null | grep -q 'v=8\.1\.'; }
if works; then exit 0; fi

echo "install-servers: fetching redis-server 8.0 and valkey-server 8.1 from Debian 13 (trixie) into $DEST"
APT="$DEST/apt"
rm -rf "$APT" "$DEST/root" "$BIN"
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/debs" "$DEST/root" "$BIN"
echo "deb http://deb.debian.org/debian trixie main" > "$APT/sources.list"
OPTS=(-o "Dir::Etc::SourceList=$APT/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache"
      -o Dir::State::Status=/dev/null -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
PACKAGES=(redis-server redis-tools valkey-server valkey-tools libc6 libssl3t64 libjemalloc2
          liblzf1 libsystemd0 libatomic1 libstdc++6 libgcc-s1 libcap2 zlib1g libzstd1)
fail() { echo "install-servers: FAILED: $*" >&2
         echo "install-servers: Redis 8.0 and Valkey 8.1 come from Debian 13's packages (deb.debian.org, suite trixie); this machine could not get them." >&2
         exit 1; }
apt-get "${OPTS[@]}" -qq update || fail "apt-get update against trixie failed"
(cd "$APT/debs" && apt-get "${OPTS[@]}" -qq download "${PACKAGES[@]}") || fail "apt-get download ${PACKAGES[*]} failed"
for deb in "$APT/debs"/*.deb; do dpkg -x "$deb" "$DEST/root"; done
LIB="$DEST/root/usr/lib/x86_64-linux-gnu"
LD="$LIB/ld-linux-x86-64.so.2"
[ -x "$LD" ] || fail "the unpacked libc6 has no $LD"
wrap() { # wrapper name, unpacked program
  printf '#!/bin/sh\n# %s from Debian 13, through its own loader (see tools/install-servers.sh)\nexec "%s" --library-path "%s" "%s" "$@"\n' \
    "$2" "$LD" "$LIB" "$DEST/root/usr/bin/$2" > "$BIN/$1"
  chmod +x "$BIN/$1"
}
wrap redis-server-8.0 redis-server
wrap redis-cli-8.0 redis-cli
wrap valkey-server-8.1 valkey-server
wrap valkey-cli-8.1 valkey-cli
rm -rf "$APT/lists" "$APT/cache"
works || fail "the unpacked servers do not start: $("$BIN/redis-server-8.0" --version 2>&1 | head -1)"
"$BIN/redis-server-8.0" --version
"$BIN/valkey-server-8.1" --version
