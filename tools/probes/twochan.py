#!/usr/bin/env python3
"""Probe the two-channel full sync of Redis 8.0 (rdb channel) and Valkey 8.1 (dual channel).

Python 3 standard library only.  Used for docs/versions-two-channel.md.

    python3 tools/probes/twochan.py SCENARIO [--out DIR] [--keys N] [--rate BYTES_PER_S] ...
    python3 tools/probes/twochan.py --list

Each scenario starts a master and a replica on free loopback ports >= 20000 (always
`--save ''`, a private temp dir), puts a byte-logging TCP proxy between them (the replica
is told `REPLICAOF 127.0.0.1 <proxy-port>`), optionally fills the master first
(DEBUG POPULATE) and writes `SET w:<i> <v>` every 10 ms on the master while the sync runs,
polls INFO on both every 50 ms, and stops everything it started.  It writes, in
DIR/SCENARIO/ (default DIR: /tmp/twochan-probes):

  wire.log        every chunk each side sent on each proxied connection, in order, with the
                  time since REPLICAOF (s), `cN` = Nth connection the replica opened,
                  `R>M` replica to master, `M>R` master to replica; big runs merged
  wire-full.log   every chunk, unmerged
  cN.R2M.bin, cN.M2R.bin   raw bytes of each connection and direction
  info.log        INFO fields (replication, stats, persistence) whenever they change; a few
                  memory fields `(mem)...` and the master's CLIENT LIST TYPE replica
                  (`(client)id=N flags omem tot-mem`) at most every 0.5 s
  --delay-psync S holds the main channel's PSYNC (Valkey's second PSYNC) for S seconds
  master.log, replica.log  the servers' own log files
  summary.txt     byte totals per connection, offsets, counters, the PSYNC lines

The proxy can throttle what the master sends (`--rate`, bytes/s) on the RDB channel only
(the connection whose replica side sent `rdb-only`; default) or on every connection
(`--throttle all`, to slow the classic single-connection path the same way).  It reads
from the master no faster than the rate, so the master's socket really backs up.

Servers: /usr/bin/redis-server (7.0), target/servers/bin/redis-server-8.0 and
valkey-server-8.1 (installed by tools/install-servers.sh).
"""
import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINS = {
    "r7": "/usr/bin/redis-server",
    "r8": os.path.join(ROOT, "target/servers/bin/redis-server-8.0"),
    "vk": os.path.join(ROOT, "target/servers/bin/valkey-server-8.1"),
}

# ---------------------------------------------------------------- RESP client


class Client:
    def __init__(self, port, timeout=30):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.f = self.sock.makefile("rb")

    def cmd(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)
        return self._read()

    def _read(self):
        line = self.f.readline()
        if not line:
            raise ConnectionError("closed")
        t, rest = line[:1], line[1:-2]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return RuntimeError(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)[:-2]
            return data.decode(errors="replace")
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise ValueError("bad reply %r" % line)

    def info(self, *sections):
        r = self.cmd("INFO", *sections)
        if isinstance(r, Exception):
            return {}
        d = {}
        for ln in r.splitlines():
            if ":" in ln and not ln.startswith("#"):
                k, v = ln.split(":", 1)
                d[k] = v
        return d

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# ---------------------------------------------------------------- servers


def free_port():
    while True:
        p = random.randint(20000, 60000)
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
            s.close()
            return p
        except OSError:
            s.close()


class Server:
    def __init__(self, kind, name, workdir, extra):
        self.kind, self.name = kind, name
        self.port = free_port()
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.logfile = os.path.join(self.dir, "server.log")
        args = [BINS[kind], "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--dir", self.dir, "--logfile", self.logfile, "--daemonize", "no",
                "--enable-debug-command", "yes", "--loglevel", "verbose"] + extra
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                c = Client(self.port, timeout=2)
                if c.cmd("PING") == "PONG":
                    self.c = c
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("%s did not start (see %s)" % (name, self.logfile))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------- proxy


class Proxy:
    def __init__(self, target_port, t0, rate=0, throttle="rdb", delay_psync=0.0):
        self.delay_psync = delay_psync
        self.target = target_port
        self.t0 = t0
        self.rate = rate
        self.throttle = throttle
        self.lock = threading.Lock()
        self.events = []  # (t, conn, dir, bytes)
        self.raw = {}  # (conn, dir) -> bytearray
        self.rdbch = set()
        self.nconn = 0
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.port = free_port()
        self.ls.bind(("127.0.0.1", self.port))
        self.ls.listen(16)
        self.socks = []
        threading.Thread(target=self._accept, daemon=True).start()

    def now(self):
        return time.monotonic() - self.t0[0]

    def _accept(self):
        while True:
            try:
                a, _ = self.ls.accept()
            except OSError:
                return
            b = socket.create_connection(("127.0.0.1", self.target))
            with self.lock:
                self.nconn += 1
                cid = self.nconn
                self.socks += [a, b]
                self.events.append((self.now(), cid, "OPEN", b""))
            threading.Thread(target=self._pump, args=(a, b, cid, "R>M"), daemon=True).start()
            threading.Thread(target=self._pump, args=(b, a, cid, "M>R"), daemon=True).start()

    def _pump(self, src, dst, cid, d):
        while True:
            throttled = (d == "M>R" and self.rate > 0
                         and (self.throttle == "all" or cid in self.rdbch))
            n = min(16384, max(1024, self.rate // 50)) if throttled else 65536
            try:
                data = src.recv(n)
            except OSError:
                data = b""
            with self.lock:
                self.events.append((self.now(), cid, d if data else d + " CLOSE", data))
                buf = self.raw.setdefault((cid, d), bytearray())
                buf += data
                if d == "R>M" and b"rdb-only" in buf:
                    self.rdbch.add(cid)
            if not data:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            if (d == "R>M" and self.delay_psync and self.rdbch and cid not in self.rdbch
                    and b"PSYNC" in data):
                # hold the main channel's PSYNC that follows the rdb channel's start
                with self.lock:
                    self.events.append((self.now(), cid, "HOLD", b"%.1fs" % self.delay_psync))
                time.sleep(self.delay_psync)
            try:
                dst.sendall(data)
            except OSError:
                return
            if throttled:
                time.sleep(len(data) / self.rate)

    def close(self):
        self.ls.close()
        for s in self.socks:
            try:
                s.close()
            except OSError:
                pass


def show(b, head=100, tail=40):
    if len(b) <= head + tail + 10:
        return repr(b)[2:-1]
    return "%s ...(%d bytes)... %s" % (repr(b[:head])[2:-1], len(b), repr(b[-tail:])[2:-1])


def write_wire(events, path_full, path):
    with open(path_full, "w") as f:
        for t, c, d, b in events:
            f.write("%9.4f c%d %-9s %7d %s\n" % (t, c, d, len(b), show(b)))
    # merged: runs of consecutive big chunks on the same connection+direction
    out, run = [], None
    for t, c, d, b in events:
        if run and run[1] == c and run[2] == d and len(b) >= 1000 and run[4] >= 1000:
            run[3] += 1
            run[4] = len(b)
            run[5] += len(b)
            run[6] = t
            run[7] = b[-40:]
            continue
        if run:
            out.append(run)
        run = [t, c, d, 1, len(b), len(b), t, b]
    if run:
        out.append(run)
    with open(path, "w") as f:
        for t, c, d, n, _, tot, t2, b in out:
            if n == 1:
                f.write("%9.4f c%d %-9s %7d %s\n" % (t, c, d, tot, show(b)))
            else:
                f.write("%9.4f c%d %-9s %7d [%d chunks until %.4f, last bytes: %s]\n"
                        % (t, c, d, tot, n, t2, repr(b)[2:-1]))


# ---------------------------------------------------------------- INFO poller

NOISY = ("instantaneous_", "total_net", "total_commands", "total_connections", "uptime",
         "expired_", "keyspace_", "io_thread", "rdb_last_cow", "current_cow", "mem_",
         "used_cpu", "total_reads", "total_writes", "client_", "eventloop", "rdb_changes",
         "aof_", "module_fork", "current_fork", "current_save", "current_active",
         "evicted_", "total_eviction", "pubsub", "latest_fork", "total_fork", "migrate",
         "tracking", "unexpected_error", "dump_payload", "acl_", "lazyfree", "reply_buffer",
         "total_active_defrag", "total_error", "errorstat", "stat_", "expire_cycle",
         "rdb_saves", "total_blocking", "instantaneous", "active_defrag", "loading_eta",
         "loading_loaded_perc", "loading_loaded_bytes", "loading_rdb_used", "loading_process",
         "async_loading", "second_repl_offset", "master_last_io", "total_client_output")


KEEP_MEM = ("mem_total_replication_buffers", "mem_replica_full_sync_buffer", "mem_clients_slaves",
            "mem_replication_backlog")


class Poller:
    def __init__(self, servers, t0, path):
        self.servers, self.t0 = servers, t0
        self.f = open(path, "w")
        self.last = {}
        self.conns = {}
        self.last_sample = {}
        self.stop = False
        self.th = threading.Thread(target=self._run, daemon=True)
        self.th.start()

    def snap(self, s):
        # one connection per server, kept open (fewer "Accepted" lines in the server logs)
        try:
            if s.name not in self.conns:
                self.conns[s.name] = Client(s.port, timeout=5)
            c = self.conns[s.name]
            d = {}
            for sec in ("replication", "stats", "persistence"):
                d.update(c.info(sec))
            m = c.info("memory")
            for k in KEEP_MEM:
                if k in m:
                    d["(mem)" + k] = m[k]
            if s.name == "master":
                # where the stream waits on the master: each replica connection's output buffer
                cl = c.cmd("CLIENT", "LIST", "TYPE", "replica")
                if isinstance(cl, str):
                    for ln in cl.splitlines():
                        f = dict(x.split("=", 1) for x in ln.split() if "=" in x)
                        d["(client)id=" + f.get("id", "?")] = "flags=%s omem=%s tot-mem=%s" % (
                            f.get("flags"), f.get("omem"), f.get("tot-mem"))
            return d
        except (OSError, ConnectionError, ValueError):
            self.conns.pop(s.name, None)
            return None

    def _run(self):
        while not self.stop:
            self.poll()
            time.sleep(0.05)

    def poll(self, force=False, label="final"):
        t = time.monotonic() - self.t0[0]
        for s in self.servers:
            d = self.snap(s)
            if d is None:
                continue
            prev = self.last.get(s.name, {})
            ch = []
            sample = t - self.last_sample.get(s.name, -9) >= 0.5
            if sample:
                self.last_sample[s.name] = t
            for k, v in d.items():
                if any(k.startswith(p) for p in NOISY) and not force:
                    continue
                if k.startswith("(") and not (sample or force or k not in prev):
                    continue  # memory and output buffers: at most every 0.5 s
                if k.startswith("slave") and k[5:].isdigit():
                    # ignore lag-only changes
                    pv = prev.get(k, "")
                    strip = lambda x: ",".join(p for p in x.split(",") if not p.startswith("lag="))
                    if strip(pv) == strip(v) and not force:
                        continue
                if prev.get(k) != v or force:
                    ch.append("%s:%s" % (k, v))
            for k in prev:
                if k not in d and not any(k.startswith(p) for p in NOISY):
                    ch.append("%s:<gone>" % k)
            self.last[s.name] = d
            if ch:
                self.f.write("%9.4f %s%s %s\n" % (t, s.name, " (%s)" % label if force else "",
                                                  " ".join(ch)))
                self.f.flush()

    def close(self):
        self.stop = True
        self.th.join()
        self.f.close()
        for c in self.conns.values():
            c.close()


# ---------------------------------------------------------------- writer


class Writer:
    def __init__(self, port, every=0.01, size=10):
        self.port, self.every, self.size = port, every, size
        self.n = 0
        self.stop = False
        self.th = threading.Thread(target=self._run, daemon=True)
        self.th.start()

    def _run(self):
        c = Client(self.port)
        v = "x" * self.size
        nxt = time.monotonic()
        while not self.stop:
            c.cmd("SET", "w:%d" % self.n, v)
            self.n += 1
            nxt += self.every
            time.sleep(max(0, nxt - time.monotonic()))
        c.close()

    def close(self):
        self.stop = True
        self.th.join()


# ---------------------------------------------------------------- scenarios

TWO_R8 = ["--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"]
DUAL = ["--dual-channel-replication-enabled", "yes"]
VK = ["--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"]

SCENARIOS = {
    # name: (master kind, master args, replica kind, replica args, description)
    "r8-basic": ("r8", TWO_R8, "r8", [], "8.0 -> 8.0 defaults, small dataset, no writes"),
    "vk-basic": ("vk", VK + DUAL, "vk", DUAL, "Valkey 8.1 dual channel both sides"),
    "r8-classic": ("r8", TWO_R8 + ["--repl-rdb-channel", "no"], "r8", ["--repl-rdb-channel", "no"],
                   "8.0 with repl-rdb-channel no on both (classic path, for comparison)"),
    "vk-classic": ("vk", VK, "vk", [], "Valkey 8.1 dual channel off (default, classic path)"),
    "r8-r7replica": ("r8", TWO_R8, "r7", [], "8.0 master, 7.0 replica (no rdb-channel-repl capa)"),
    "r8-replica-off": ("r8", TWO_R8, "r8", ["--repl-rdb-channel", "no"],
                       "8.0 master (on) + 8.0 replica with repl-rdb-channel no"),
    "r8-master-off": ("r8", TWO_R8 + ["--repl-rdb-channel", "no"], "r8", [],
                      "8.0 master with repl-rdb-channel no + 8.0 replica (on)"),
    "r8-disk": ("r8", ["--repl-diskless-sync", "no", "--repl-diskless-sync-delay", "0"], "r8", [],
                "8.0 master with repl-diskless-sync no (disk-based)"),
    "r7-r8replica": ("r7", TWO_R8, "r8", [], "7.0 master, 8.0 replica (master ignores the capa)"),
    "vk-replica-off": ("vk", VK + DUAL, "vk", [], "Valkey master dual on, replica off"),
    "vk-master-off": ("vk", VK, "vk", DUAL, "Valkey master dual off, replica on"),
    "vk-disk": ("vk", ["--repl-diskless-sync", "no", "--repl-diskless-sync-delay", "0"] + DUAL,
                "vk", DUAL, "Valkey master disk-based sync, dual on both"),
}


def run(name, a):
    mk, margs, rk, rargs, desc = SCENARIOS[name]
    margs = margs + a.master_arg
    rargs = rargs + a.replica_arg
    out = os.path.join(a.out, a.tag or name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    work = tempfile.mkdtemp(prefix="twochan-")
    t0 = [time.monotonic()]
    m = r = proxy = poller = writer = None
    try:
        m = Server(mk, "master", work, margs)
        r = Server(rk, "replica", work, rargs)
        if a.keys:
            m.c.cmd("DEBUG", "POPULATE", a.keys, "key", a.value)
        else:
            m.c.cmd("SET", "foo", "bar")
        for i in range(a.presets):
            m.c.cmd("SET", "pre:%d" % i, "v")
        proxy = Proxy(m.port, t0, a.rate, a.throttle, a.delay_psync)
        poller = Poller([m, r], t0, os.path.join(out, "info.log"))
        poller.poll(force=True, label="before REPLICAOF")
        t0[0] = time.monotonic()
        if a.writes:
            writer = Writer(m.port, a.every, a.write_size)
        r.c.cmd("REPLICAOF", "127.0.0.1", proxy.port)
        deadline = time.monotonic() + a.timeout
        up_at = None
        while time.monotonic() < deadline:
            ri = r.c.info("replication")
            if ri.get("master_link_status") == "up" and ri.get("master_sync_in_progress") == "0":
                up_at = time.monotonic() - t0[0]
                break
            time.sleep(0.02)
        time.sleep(a.after)
        if writer:
            writer.close()
        # settle: wait until the replica's offset equals the master's
        for _ in range(200):
            mo = m.c.info("replication").get("master_repl_offset")
            ro = r.c.info("replication").get("slave_repl_offset")
            if mo == ro:
                break
            time.sleep(0.05)
        time.sleep(a.settle)
        poller.close()
        poller = None
        final = Poller([m, r], t0, os.path.join(out, "info-final.log"))
        final.stop = True
        final.th.join()
        final.poll(force=True)
        final.f.close()
        for c in final.conns.values():
            c.close()
        mi = {}
        ri = {}
        for sec in ("replication", "stats", "persistence", "server"):
            mi.update(m.c.info(sec))
            ri.update(r.c.info(sec))
        with proxy.lock:
            events = list(proxy.events)
            raw = {k: bytes(v) for k, v in proxy.raw.items()}
            rdbch = set(proxy.rdbch)
        write_wire(events, os.path.join(out, "wire-full.log"), os.path.join(out, "wire.log"))
        for (c, d), b in raw.items():
            with open(os.path.join(out, "c%d.%s.bin" % (c, d.replace(">", "2"))), "wb") as f:
                f.write(b)
        with open(os.path.join(out, "summary.txt"), "w") as f:
            f.write("scenario %s: %s\n" % (name, desc))
            f.write("master %s %s\nreplica %s %s\n" % (mk, " ".join(margs), rk, " ".join(rargs)))
            f.write("keys=%d value=%d rate=%d throttle=%s writes=%s every=%s\n"
                    % (a.keys, a.value, a.rate, a.throttle, a.writes, a.every))
            f.write("link up (master_link_status:up, sync not in progress) at %s s\n" % up_at)
            f.write("writes during run: %d\n" % (writer.n if writer else 0))
            f.write("rdb-channel connections: %s\n" % sorted(rdbch))
            for (c, d), b in sorted(raw.items()):
                f.write("c%d %s %d bytes\n" % (c, d, len(b)))
            for k in ("master_replid", "master_repl_offset", "second_repl_offset",
                      "repl_backlog_first_byte_offset", "repl_backlog_histlen", "sync_full",
                      "sync_partial_ok", "sync_partial_err", "connected_slaves", "slave0",
                      "replicas_waiting_psync", "rdb_last_bgsave_status"):
                if k in mi:
                    f.write("master %s:%s\n" % (k, mi[k]))
            for k in ("master_replid", "master_repl_offset", "slave_repl_offset",
                      "slave_read_repl_offset", "master_link_status", "sync_full",
                      "replica_full_sync_buffer_size", "replica_full_sync_buffer_peak",
                      "master_sync_total_bytes", "master_sync_read_bytes",
                      "master_current_sync_attempts", "master_total_sync_attempts",
                      "replicas_repl_buffer_size", "replicas_repl_buffer_peak",
                      "replicas_waiting_psync"):
                if k in ri:
                    f.write("replica %s:%s\n" % (k, ri[k]))
            f.write("master version %s / %s\n" % (mi.get("redis_version"), mi.get("valkey_version")))
        print(open(os.path.join(out, "summary.txt")).read())
    finally:
        if writer and not writer.stop:
            writer.close()
        if poller:
            poller.close()
        if proxy:
            proxy.close()
        for s in (r, m):
            if s:
                s.stop()
        for s, n in ((m, "master"), (r, "replica")):
            if s and os.path.exists(s.logfile):
                shutil.copy(s.logfile, os.path.join(out, n + ".log"))
        shutil.rmtree(work, ignore_errors=True)
    print("output in", out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="?")
    p.add_argument("--list", action="store_true")
    p.add_argument("--out", default="/tmp/twochan-probes")
    p.add_argument("--tag", help="output subdirectory name (default: the scenario)")
    p.add_argument("--keys", type=int, default=0, help="DEBUG POPULATE N key <value> first")
    p.add_argument("--value", type=int, default=100)
    p.add_argument("--presets", type=int, default=0, help="N extra SETs on the master first")
    p.add_argument("--rate", type=int, default=0, help="throttle master->replica, bytes/s")
    p.add_argument("--throttle", choices=("rdb", "all"), default="rdb")
    p.add_argument("--delay-psync", type=float, default=0.0,
                   help="hold the main channel's PSYNC sent after the rdb channel opened (s)")
    p.add_argument("--writes", action="store_true", help="SET every --every s during the sync")
    p.add_argument("--every", type=float, default=0.01)
    p.add_argument("--write-size", type=int, default=10)
    p.add_argument("--after", type=float, default=0.5, help="s to keep writing after link up")
    p.add_argument("--settle", type=float, default=1.2)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--master-arg", action="append", default=[], help="extra master argv item")
    p.add_argument("--replica-arg", action="append", default=[], help="extra replica argv item")
    a = p.parse_args()
    if a.list or not a.scenario:
        for k, v in SCENARIOS.items():
            print("%-16s %s" % (k, v[4]))
        return
    random.seed()
    # SIGTERM/SIGINT: still stop the servers this probe started (the finally in run())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    run(a.scenario, a)


if __name__ == "__main__":
    sys.exit(main())
