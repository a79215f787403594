// A partition healed before repl-timeout: what became of the bytes it held. Nothing
// closes, so no PSYNC is asked and the decision panel has no decision to show; this
// says it in words, with the numbers read from the event log: the bytes each side
// sent into the partition (and those in flight when it began), the same bytes arriving
// after `heal`, first on their connection (TCP retransmits them in order), and the
// offsets the view shows now. A link whose replication broke meanwhile (repl-timeout
// passed, a connection closed) gets no note: its PSYNC decision says what happened.

import { h, tr, secs } from './dom.js';

const LOOK_BACK = 8000;   // records searched for the heal and its partition (what the core keeps)
const LOOK_ON = 4000;     // records searched after the heal for the held bytes' arrival

const same = (e, a, b) => (e.a === a && e.b === b) || (e.a === b && e.b === a);

/** Replication broke on link a–b: a replica's link or a master's replica client changed state, or a connection closed. */
function broke(r, a, b) {
  const v = r.event;
  if (r.node !== a && r.node !== b) return false;
  if (v.kind === 'closed' || v.kind === 'close') return true;
  return v.kind === 'node' && (v.detail.kind === 'replica_state' || v.detail.kind === 'psync_decision' ||
    (v.detail.kind === 'replica_client_state' && /^([^:]+):/.exec(v.detail.addr)?.[1] === (r.node === a ? b : a)));
}

/**
 * The latest heal in `hist` (records oldest first) and what its partition held, per
 * connection and direction: { a, b, healSeq, healUs, partUs, keys: Map(key → {from, to, held, got}) },
 * or null when the log does not show it all (the partition is older than the records
 * kept) or the link broke while partitioned.
 */
function lookup(hist) {
  let hi = hist.length - 1;
  while (hi >= 0 && !(hist[hi].event.kind === 'fault' && hist[hi].event.verb === 'heal')) hi--;
  if (hi < 0) return null;
  const { a, b } = hist[hi].event;
  let pi = hi - 1;
  while (pi >= 0 && !(hist[pi].event.kind === 'fault' && same(hist[pi].event, a, b))) pi--;
  if (pi < 0 || hist[pi].event.verb !== 'partition') return null;
  const partUs = hist[pi].t_us;
  const keys = new Map();
  const key = (conn, from, to) => {
    const k = `${conn}|${from}`;
    if (!keys.has(k)) keys.set(k, { from, to, held: 0, got: 0, env0: Infinity });
    return keys.get(k);
  };
  // In flight when the partition began: sent before it, arriving after it (less what of
  // a split write had already arrived).
  for (let i = 0; i < pi; i++) {
    const v = hist[i].event;
    if (v.kind === 'send' && same({ a: hist[i].node, b: v.to }, a, b) && v.arrive_us != null && v.arrive_us > partUs) {
      const k = key(v.conn, hist[i].node, v.to);
      k.held += v.len;
      k.env0 = Math.min(k.env0, v.env);
    }
  }
  for (let i = 0; i < pi; i++) {
    const v = hist[i].event;
    if (v.kind === 'deliver') {
      const k = keys.get(`${v.conn}|${v.from}`);
      if (k && v.env >= k.env0) k.held -= v.len;
    }
  }
  // Sent into the partition; nothing of the link's may break meanwhile.
  for (let i = pi + 1; i < hi; i++) {
    const r = hist[i], v = r.event;
    if (broke(r, a, b)) return null;
    if (v.kind === 'send' && same({ a: r.node, b: v.to }, a, b)) key(v.conn, r.node, v.to).held += v.len;
  }
  for (const [k, x] of keys) if (x.held <= 0) keys.delete(k);
  return { a, b, healSeq: hist[hi].seq, healUs: hist[hi].t_us, partUs, keys, done: false, broken: false };
}

/** The held bytes that arrived after the heal (the first on their connection and direction), from the records since. */
function arrivals(f, recs) {
  for (const x of f.keys.values()) x.got = 0;
  let t = f.healUs;
  for (const r of recs) {
    const v = r.event;
    if (r.seq <= f.healSeq) continue;
    if (broke(r, f.a, f.b) && [...f.keys.values()].some((x) => x.got < x.held)) { f.broken = true; return; }
    if (v.kind !== 'deliver') continue;
    const x = f.keys.get(`${v.conn}|${v.from}`);
    if (!x || x.got >= x.held) continue;
    x.got = Math.min(x.held, x.got + v.len);
    t = r.t_us;
  }
  f.done = [...f.keys.values()].every((x) => x.got >= x.held);
  if (f.done) f.doneUs = t;
}

export class Healed {
  constructor() {
    this.f = null;
    this.scanned = -1;
  }

  /**
   * The note for the latest heal, as { key, el() } (the key says when it changed), or
   * null. Called every frame: it reads the log only when a link stopped being
   * partitioned or a heal record arrived, and then while the held bytes are arriving.
   */
  note(w) {
    const view = w.view;
    if (!view) return null;
    const now = view.t_us;
    if (this.opened !== w.opened || now < this.now) { this.opened = w.opened; this.f = null; this.scanned = -1; this.cut = null; }
    this.now = now;
    const cut = new Set(view.links.filter((l) => l.state === 'partitioned').map((l) => `${l.a}|${l.b}`));
    let look = !!this.cut && [...this.cut].some((k) => !cut.has(k));
    const evs = w.events;
    if (evs.length && evs[evs.length - 1].seq < this.scanned) this.scanned = -1;
    for (let i = evs.length - 1; i >= 0 && evs[i].seq > this.scanned; i--) if (evs[i].event.kind === 'fault' && evs[i].event.verb === 'heal') look = true;
    if (evs.length) this.scanned = evs[evs.length - 1].seq;
    this.cut = cut;
    if (look) {
      this.f = lookup(w.history(LOOK_BACK));
      this.seen = -1;
    }
    const f = this.f;
    if (!f || f.broken) return null;
    if (!f.done && this.seen !== w.evVersion) {
      this.seen = w.evVersion;
      arrivals(f, w.pg.events_since(f.healSeq, LOOK_ON));
      if (f.broken) return null;
    }
    // Partitioned again, or a PSYNC decided since: that is the story now.
    if (view.links.some((l) => l.state === 'partitioned' && same(l, f.a, f.b))) return null;
    const last = w.dec(w.decPast - 1);
    if (last && last.t_us >= f.healUs) return null;
    return this.words(w, f);
  }

  words(w, f) {
    const link = `${f.a} ↔ ${f.b}`, after = ((f.healUs - f.partUs) / 1e6).toFixed(1);
    const ks = [...f.keys.values()];
    const held = ks.reduce((n, x) => n + x.held, 0), got = ks.reduce((n, x) => n + x.got, 0);
    const dirs = new Map();
    for (const x of ks) dirs.set(`${x.from}→${x.to}`, (dirs.get(`${x.from}→${x.to}`) || 0) + x.held);
    const each = [...dirs].map(([d, n]) => `${d} ${n} B`).join(tr(', '));
    // The replication across the link, if any: the replica and its master, their offsets now.
    const A = w.node(f.a), B = w.node(f.b);
    const [m, r] = B && B.master_host === f.a ? [A, B] : A && A.master_host === f.b ? [B, A] : [null, null];
    const off = m && r && r.slave_repl_offset != null ? [r.name, r.slave_repl_offset, m.name, m.master_repl_offset] : null;
    let lead, text;
    if (!f.done) {
      lead = tr('{0} healed after {1} s. ', link, after);
      text = tr('The bytes the partition held are being delivered in order on the open connection: {0} of {1} B so far ({2}).', got, held, each);
    } else if (!held) {
      lead = tr('{0} healed after {1} s: no PSYNC needed. ', link, after);
      text = tr('Nothing crossed the link while it was partitioned, and no connection closed.');
    } else {
      lead = tr('{0} healed after {1} s: {2} held bytes delivered, no PSYNC needed. ', link, after, held);
      text = tr('At t = {0} s the bytes the partition held ({1}) had all arrived, in order, on the connection that never closed (before repl-timeout).', secs(f.doneUs), each) +
        (off ? tr(' {0} caught up with no new sync: it is at offset {1}, {2} at {3}.', ...off) : '');
    }
    return { key: `${lead}${text}`, el: () => h('p', { class: 'dec-case info', role: 'note', 'data-healed': f.done ? 'done' : 'arriving' }, h('b', null, lead), text) };
  }
}
