// The sequence diagram: a lane per node, an arrow per message from its sender to its
// receiver, one row each (a time axis to scale would squeeze a handshake into a pixel
// next to a one-second heartbeat gap). Loaded when its tab is first shown.

import { v, patch, secs, msgLabel, tr } from './dom.js';
import { FULL } from './events.js';

const SEQ_ROWS = 70;   // arrows the diagram shows

export class Seq {
  constructor(el, events, ui) {
    this.seqEl = el;
    this.events = events;
    this.ui = ui;
    this.qsig = '';
    this.lastAt = 0;
    this.seqW = 600;
    new ResizeObserver(() => { this.seqW = el.parentElement.clientWidth; this.qsig = ''; this.ui.dirty = true; }).observe(el.parentElement);
  }

  match(e) { return this.events.match(e, false); }

  /** Redrawn whole, so at a calmer pace than the frame rate. */
  render(w) {
    const nowMs = performance.now();
    // Under a write load the arrows change faster than anyone reads them: redraw less often.
    const every = w.load ? 400 : 150;
    if (nowMs - this.lastAt < every && !this.ui.forceLists) { this.ui.later = true; return; }
    this.lastAt = nowMs;
    this.renderSeq(w);
  }

  renderSeq(w) {
    const evs = w.events;
    const last = evs.length ? evs[evs.length - 1].seq : -1;
    const f = this.events;
    const qsig = `${last}/${f.node.value}/${f.hb.checked}/${this.seqW}`;
    if (qsig === this.qsig) return;
    this.qsig = qsig;
    const rows = [];
    for (let i = evs.length - 1; i >= 0 && rows.length < SEQ_ROWS; i--) {
      const e = evs[i], k = e.event.kind;
      if ((k === 'send' || k === 'fault' || (k === 'node' && e.event.detail.kind === 'psync_decision') || k === 'crash' || k === 'start') && this.match(e)) rows.push(e);
    }
    rows.reverse();
    const names = w.view.nodes.map((n) => n.name);
    const W = Math.max(300, this.seqW - 4);
    const left = 64, gap = (W - left - 30) / Math.max(1, names.length - 1);
    const lx = new Map(names.map((n, i) => [n, left + 10 + i * gap]));
    const RH = 19, top = 6, H = top + rows.length * RH + 10;
    const g = [], head = [];
    for (const [n, x] of lx) {
      g.push(v('line', { class: 'lane', x1: x, x2: x, y1: 0, y2: H }));
      head.push(v('text', { class: 'lh', x, y: 14, 'text-anchor': 'middle' }, n));
    }
    // Backlog bytes of a partial resync leave at the instant of the decision: only the
    // decisions since the oldest row shown are looked at (in time order, newest last).
    const backlog = new Set(), since = rows.length ? rows[0].t_us : Infinity;
    for (let i = w.decPast - 1; i >= w.decBase; i--) {
      const d = w.dec(i);
      if (d.t_us < since) break;
      if (d.decision.verdict.verdict === 'continue') backlog.add(`${d.node}>${d.decision.replica.replace(/:\d+$/, '')}@${d.t_us}`);
    }
    rows.forEach((e, i) => {
      const y = top + i * RH + 10, ev = e.event;
      g.push(v('text', { class: 'tt', x: 2, y: y + 3 }, secs(e.t_us)));
      if (ev.kind === 'send') {
        const x0 = lx.get(e.node), x1 = lx.get(ev.to);
        if (x0 == null || x1 == null) return;
        const lost = ev.arrive_us == null;
        const fullr = ev.what === 'psync_reply' && ev.preview.startsWith('+FULLRESYNC');
        const dir = x1 > x0 ? 1 : -1;
        const xe = lost ? x0 + (x1 - x0) * 0.55 : x1 - dir * 2;
        g.push(v('path', { class: `arrow k-${ev.what}${fullr ? ' fullr' : ''}${lost ? ' lost' : ''}`, d: `M${x0} ${y - 4}L${xe} ${y + 4}${lost ? '' : `M${xe - dir * 7} ${y}L${xe} ${y + 4}L${xe - dir * 6} ${y + 8}`}` }));
        const bl = ev.what === 'stream' && backlog.has(`${e.node}>${ev.to}@${e.t_us}`);
        // The page's words around the message's own (Redis's words, marked data-redis).
        const own = (lost ? tr('✕ lost in the partition: ') : '') + (bl ? tr('backlog {0} B: ', ev.len) : '');
        g.push(v('text', { x: (x0 + x1) / 2, y: y - 5, 'text-anchor': 'middle' }, own, v('tspan', { 'data-redis': '' }, msgLabel(ev.what, ev.preview, ev.len)),
          ev.arrive_us != null ? `  +${((ev.arrive_us - e.t_us) / 1000).toFixed(3)} ms` : ''));
      } else if (ev.kind === 'node') {
        const x = lx.get(e.node), ok = ev.detail.verdict.verdict === 'continue';
        g.push(v('text', { x: x + 8, y: y + 3, fill: ok ? 'var(--partial)' : 'var(--full)', 'font-weight': 700 }, ok ? tr('◇ decides +CONTINUE ({0} B)', ev.detail.verdict.bytes) : tr('◆ decides +FULLRESYNC ({0})', tr(FULL[ev.detail.verdict.reason] || ev.detail.verdict.reason))));
      } else {
        // A fault is the scenario statement that made it, as typed.
        const label = ev.kind === 'fault' ? ['— ', v('tspan', { 'data-redis': '' }, `${ev.verb} ${ev.a} ${ev.b}`), ' —'] : tr(ev.kind === 'crash' ? '— {0} crashed —' : '— {0} started —', e.node);
        g.push(v('text', { x: W / 2, y: y + 3, 'text-anchor': 'middle', fill: 'var(--down)', 'font-weight': 700 }, label));
      }
    });
    if (!rows.length) g.push(v('text', { x: left, y: 50, class: 'tt' }, tr('No messages yet: press Play.')));
    patch(this.seqEl, [v('div', { class: 'seq-head' }, v('svg', { width: W, height: 20, 'aria-hidden': 'true' }, ...head)),
      v('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': tr('Sequence diagram of the last {0} messages', rows.length) }, ...g)]);
  }
}
