// The offset ruler: each master's replication stream as a line of bytes.
//
// Offsets are drawn as positions *between* bytes: offset N sits just after byte N.
// Then the backlog window (bytes first_byte … first_byte+histlen−1) ends exactly at
// master_repl_offset, a replica that has applied N bytes stands at N, and its PSYNC
// for byte N+1 starts from the same spot: the request is "in the window" exactly
// when its marker lands on the shaded band (the right edge included, as in Redis).

import { h, s, v, fill, patch, nodeColor, tr } from './dom.js';
import { textWidth } from './topology.js';
import { FULL } from './events.js';

const AX = 44; // y of the axis

export class Ruler {
  constructor(el, legend) {
    this.el = el;
    this.rows = new Map();
    this.W = 800;
    this.legend = legend;
    new ResizeObserver(() => { this.W = Math.max(240, el.clientWidth - (innerWidth > 860 ? 106 : 20)); this.sig = ''; }).observe(el);
  }

  /** `decFrom`: decisions before it are a lesson's setup, not shown (as the decision panel). */
  render(w, decFrom = 0) {
    this.decFrom = decFrom;
    const lw = tr('backlog window');
    if (this.lw !== lw) {
      this.lw = lw;
      fill(this.legend,
        h('span', null, s('svg', { width: 16, height: 10 }, s('rect', { class: 'win', x: 1, y: 1, width: 14, height: 8, style: 'fill:var(--partial-bg);stroke:var(--partial)' })), lw),
        h('span', null, tr('▲ replica offset (applied)')), h('span', null, tr('▽ last ACK')), h('span', null, tr('⚑ PSYNC asked')), h('span', null, '┃ master_repl_offset'));
    }
    const view = w.view;
    const masters = view.nodes.filter((n) => n.status === 'running' && n.role === 'master' && (n.backlog || n.replicas.length));
    // Everything a row draws: the backlog whole (its configured size too: a CONFIG SET
    // while paused changes only that) and the words' language.
    const sig = this.W + lw + JSON.stringify(masters.map((m) => [m.master_repl_offset, m.backlog, m.replicas])) +
      view.nodes.map((n) => n.slave_repl_offset + n.link_state).join() + w.decPast + '/' + decFrom + (view.t_us >> 20);
    if (sig === this.sig) return;
    this.sig = sig;
    if (!masters.length) {
      patch(this.el, v('p', { class: 'rul-empty' }, tr('No master has a backlog yet: a master creates one when its first replica asks for a full sync.')));
      this.rows.clear();
      return;
    }
    patch(this.el, masters.map((m) => this.row(w, m)));
  }

  row(w, m) {
    const W = this.W;
    const view = w.view;
    const bl = m.backlog;
    const hi = m.master_repl_offset;
    const reps = m.replicas.map((rv) => {
      const n = w.node(rv.name);
      const idx = view.nodes.findIndex((x) => x.name === rv.name);
      return { rv, n, idx, at: n && n.slave_repl_offset != null && n.master_host === m.name ? n.slave_repl_offset : null };
    });
    // Replicas that follow this master but are not attached right now (link down).
    for (const n of view.nodes) {
      if (n.master_host === m.name && !reps.some((r) => r.n === n)) reps.push({ rv: null, n, idx: view.nodes.indexOf(n), at: n.status === 'running' ? n.slave_repl_offset : null });
    }
    const asks = latestAsks(w, m.name, this.decFrom);
    let lo = bl ? bl.first_byte - 1 : hi;
    for (const r of reps) if (r.at != null) lo = Math.min(lo, r.at);
    for (const a of asks) if (a.pos >= 0) lo = Math.min(lo, a.pos);
    const cfgStart = bl ? hi - bl.size_limit : hi;
    if (bl && hi - cfgStart <= 3 * Math.max(64, hi - lo)) lo = Math.min(lo, Math.max(0, cfgStart));
    if (hi - lo < 60) lo = Math.max(0, hi - 60);
    const span = Math.max(1, hi - lo);
    const L = 8, R = W - 60;
    // On a half-pixel grid: under a write load the scale moves by a fraction of a pixel a
    // frame, so most marks keep their attributes and are not written again (patch).
    const x = (p) => Math.round((L + ((p - lo) / span) * (R - L)) * 2) / 2;
    const g = [];
    g.push(v('line', { class: 'axis', x1: L - 4, x2: R + 14, y1: AX, y2: AX }));
    if (bl) {
      const x0 = x(bl.first_byte - 1), x1 = x(bl.first_byte - 1 + bl.histlen);
      g.push(v('rect', { class: 'win', x: x0, y: AX - 11, width: Math.max(1.5, x1 - x0), height: 22, rx: 2 }, v('title', null, tr('backlog: bytes {0} … {1} (histlen {2})', bl.first_byte, bl.first_byte + bl.histlen - 1, bl.histlen))));
      // The 7.0 shared buffer's blocks: used part solid, spare capacity dashed.
      for (const b of bl.blocks) {
        const bx0 = x(b.repl_offset - 1), bx1 = x(b.repl_offset - 1 + b.used), bx2 = x(b.repl_offset - 1 + b.size);
        if (bx1 - bx0 >= 3) g.push(v('rect', { class: 'blk', x: bx0, y: AX - 8, width: bx1 - bx0, height: 16 }, v('title', null, tr('block #{0}: offset {1}, {2}/{3} bytes, refcount {4}', b.id, b.repl_offset, b.used, b.size, b.refcount))));
        if (bx2 - bx1 >= 3) g.push(v('rect', { class: 'blk spare', x: bx1, y: AX - 8, width: Math.min(bx2, R + 14) - bx1, height: 16 }));
      }
      const wlabel = bl.histlen
        ? tr('backlog bytes {0}…{1} · PSYNC continues from {2}…{3}', bl.first_byte, bl.first_byte + bl.histlen - 1, bl.first_byte, bl.first_byte + bl.histlen)
        : tr('backlog empty · PSYNC continues from {0}', bl.first_byte);
      g.push(v('text', { class: 'wtxt', x: Math.max(L, Math.min(x0, R - textWidth(wlabel, 6.3))), y: AX - 16 }, wlabel));
      // The configured size, measured back from the newest byte.
      const cx0 = Math.max(L - 4, x(cfgStart));
      const clipped = x(cfgStart) < L - 4;
      g.push(v('path', { class: 'cfg', d: `M${cx0} ${AX + 22}v-5M${cx0} ${AX + 19}H${x(hi)}M${x(hi)} ${AX + 22}v-5` }));
      const ct = clipped
        ? W > 640 ? tr('◀ repl-backlog-size {0}: room for {1} more bytes before the oldest are dropped', bl.size_limit, bl.size_limit - bl.histlen) : `◀ repl-backlog-size ${bl.size_limit}`
        : `repl-backlog-size ${bl.size_limit}`;
      // Kept inside the panel: a small backlog's mark sits near the right edge.
      g.push(v('text', { x: clipped ? L : Math.max(L, Math.min(cx0 + 2, W - 6 - textWidth(ct, 6.6))), y: AX + 31 }, ct));
    }
    g.push(v('line', { class: 'moff', x1: x(hi), x2: x(hi), y1: AX - 14, y2: AX + 14 }));
    g.push(v('text', { class: 'moff-t', x: x(hi) + 4, y: AX + 4 }, String(hi)));
    // Replicas: a filled triangle where they have applied up to, an outline for their last ACK.
    // Replicas at the same offset share one label.
    const groups = new Map();
    for (const r of reps) {
      if (r.at == null) continue;
      const online = r.n.link_state === 'connected';
      const px = x(r.at), col = nodeColor(r.idx);
      g.push(v('g', { class: `rep${online ? '' : ' off'}` }, v('path', { d: `M${px} ${AX + 3}l6 10h-12z`, fill: col }, v('title', null, `${r.n.name}: slave_repl_offset ${r.at}`))));
      const key = `${r.at}/${online}`;
      if (!groups.has(key)) groups.set(key, { px, at: r.at, online, names: [], col, state: tr(LINK_WORD[r.n.link_state] || 'link down') });
      groups.get(key).names.push(r.n.name);
      if (r.rv && r.rv.ack_offset !== r.at) {
        const ax = x(r.rv.ack_offset);
        g.push(v('path', { class: 'ack', d: `M${ax} ${AX - 3}l5 -9h-10z`, stroke: col }, v('title', null, `${r.n.name}: ACK ${r.rv.ack_offset}`)));
      }
    }
    const placed = [];
    for (const gr of [...groups.values()].sort((a, b) => a.px - b.px)) {
      const label = `${gr.names.join(' ')} ${gr.at}${gr.online ? '' : ` (${gr.state})`}`;
      const wpx = textWidth(label, 6.4);
      const anchorEnd = gr.px + wpx > W;
      const x0 = anchorEnd ? gr.px + 4 - wpx : gr.px - 4, x1 = x0 + wpx;
      let row = 0;
      while (placed.some((p) => p.row === row && p.x0 < x1 + 6 && p.x1 > x0 - 6)) row++;
      placed.push({ x0, x1, row });
      g.push(v('text', { x: anchorEnd ? gr.px + 4 : gr.px - 4, y: AX + 44 + row * 12, 'text-anchor': anchorEnd ? 'end' : 'start', fill: gr.names.length > 1 ? 'var(--ink)' : gr.col, 'font-weight': 700 }, label));
    }
    // Replicas that asked for the same byte with the same answer share one flag (after a
    // failover several do); a flag's words that would run into another's, or past the
    // right edge, are kept to its tooltip or turned to end at the flag.
    const flags = new Map();
    for (const a of asks) {
      const k = `${a.offset}/${a.ok}/${a.why}`, f = flags.get(k);
      if (f) { f.names.push(a.replica); f.age = Math.min(f.age, a.age); } else flags.set(k, { ...a, names: [a.replica] });
    }
    const taken = [];
    for (const a of [...flags.values()].sort((p, q) => p.age - q.age)) {
      const px = a.pos >= 0 ? x(a.pos) : L - 4;
      const label = `${a.names.join(' ')} PSYNC ${a.offset < 0 ? '? -1' : a.offset} ${a.ok ? tr('✓ in window') : '✕ ' + tr(a.why)}`;
      const wpx = textWidth(label, 6.4), end = px + 12 + wpx > W;
      const x0 = end ? px - 3 - wpx : px + 12, x1 = x0 + wpx;
      const room = !taken.some((t) => t.x0 < x1 + 6 && t.x1 > x0 - 6);
      if (room) taken.push({ x0, x1 });
      g.push(v('g', { class: `ask ${a.ok ? 'in' : 'out'}`, opacity: a.age > 8e6 ? 0.45 : 1 },
        v('title', null, label),
        v('line', { x1: px, x2: px, y1: 10, y2: AX + 12 }),
        v('path', { d: `M${px} 4h9l-3 3.5l3 3.5h-9z` }),
        room ? v('text', { x: end ? px - 3 : px + 12, y: 12, 'text-anchor': end ? 'end' : 'start' }, label) : null));
    }
    const svg = v('svg', { viewBox: `0 0 ${W} 104`, role: 'img', 'aria-label': bl ? tr('{0} replication stream: master_repl_offset {1}, backlog bytes {2} to {3}', m.name, hi, bl.first_byte, bl.first_byte + bl.histlen - 1) : tr('{0} replication stream: master_repl_offset {1}', m.name, hi) }, ...g);
    return v('div', { class: 'rul' },
      v('div', { class: 'rname' }, m.name, v('small', null, tr('offset {0}', hi)), v('small', null, bl ? `histlen ${bl.histlen}` : tr('no backlog'))),
      svg);
  }
}

const LINK_WORD = { handshake: 'handshake', transfer: 'receiving RDB', connecting: 'connecting', connect: 'link down' };


/**
 * The latest PSYNC each replica sent this master, as markers. The walk back through the
 * decisions is done once per new decision (not every frame: a long session has
 * thousands); only the ages are worked out anew.
 */
function latestAsks(w, master, from) {
  let c = asksCache.get(w.decisions);
  if (!c || c.past !== w.decPast || c.from !== from) asksCache.set(w.decisions, (c = { past: w.decPast, from, by: new Map() }));
  let last = c.by.get(master);
  if (!last) {
    const seen = new Map();
    for (let i = w.decPast - 1; i >= Math.max(w.decBase, from); i--) {
      const r = w.dec(i);
      if (r.node !== master) continue;
      const rep = r.decision.replica.replace(/:\d+$/, '');
      if (seen.has(rep)) continue;
      seen.set(rep, r);
      if (seen.size > 6) break;
    }
    c.by.set(master, (last = [...seen]));
  }
  const out = [];
  for (const [rep, r] of last) {
    const d = r.decision, age = w.view.t_us - r.t_us;
    if (d.asked_offset < 0 && age > 3e6) continue;
    out.push({ replica: rep, offset: d.asked_offset, pos: d.asked_offset - 1, ok: d.verdict.verdict === 'continue', why: FULL[d.verdict.reason] || d.verdict.reason, age });
  }
  return out;
}
/** Per decisions array (a new world has its own): the latest PSYNC of each replica, by master. */
const asksCache = new WeakMap();
