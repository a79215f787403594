// The timeline: a scrubber over everything this run has reached, with a diamond per
// PSYNC decision (filled: full resync, hollow: partial) and a tick per statement.
// Seeking is the core's: back to a checkpoint, then an exact replay of the log.

import { h, s, fill, secs, tr } from './dom.js';

export class Timeline {
  constructor(ui) {
    this.ui = ui;
    this.range = document.getElementById('scrub');
    this.marks = document.getElementById('tl-marks');
    this.decs = document.getElementById('tl-dec');
    this.end = document.getElementById('tl-end');
    this.dragging = false;
    this.sig = '';
    this.actions = [];
    this.W = 600;
    // Sizes come from the observer: reading clientWidth while drawing would force a layout.
    new ResizeObserver(() => { this.W = this.marks.clientWidth || 600; this.sig = ''; this.ui.dirty = true; }).observe(this.marks);
    const r = this.range;
    r.addEventListener('input', () => { this.dragging = true; this.ui.requestSeek(+r.value * 1000); });
    r.addEventListener('change', () => { this.dragging = false; });
    r.addEventListener('pointerup', () => { this.dragging = false; });
    r.addEventListener('keydown', (e) => {
      const step = { ArrowLeft: -100, ArrowRight: 100, ArrowDown: -100, ArrowUp: 100, PageDown: -10000, PageUp: 10000 }[e.key];
      const w = this.ui.world;
      if (step != null) {
        e.preventDefault();
        this.ui.requestSeek(Math.max(0, w.nowUs + step * (e.shiftKey ? 10 : 1) * 1000));
      } else if (e.key === 'Home') { e.preventDefault(); this.ui.requestSeek(0); }
      else if (e.key === 'End') { e.preventDefault(); this.ui.requestSeek(w.extentUs); }
    });
  }

  /**
   * Statement ticks, fetched incrementally and in parts (a load generator applies a
   * thousand a second, and the core's log may hold tens of thousands). One time per 1/4000
   * of the run is kept: ticks are drawn one per pixel column, and the run only gets
   * longer, so a dropped one would share a column with a kept one. A fork drops the
   * statements after the moment it happened at, so the cache keeps only those before it
   * and fetches the rest again; when the core forgets its oldest statements (a long
   * load), the log shifts, and where the fetched ones end is found again. Both searches
   * bisect the log one statement at a time.
   */
  refreshActions(w) {
    const pg = w.pg;
    if (this.pg !== pg) { this.pg = pg; this.seen = 0; this.actions = []; this.lastAt = -1; }
    const n = pg.actions_len();
    const at = (i) => pg.actions_since(i, 1)[0];
    const find = (before) => { let lo = 0, hi = n; while (lo < hi) { const mid = (lo + hi) >> 1; if (before(at(mid))) lo = mid + 1; else hi = mid; } return lo; };
    if (w.forkedAt != null) {
      const cut = w.forkedAt;
      this.actions = this.actions.filter((t) => t < cut);
      this.seen = find((a) => a.t_us < cut);
      this.lastAt = this.seen ? at(this.seen - 1).at_events : -1;
      w.forkedAt = null;
    } else if (this.seen && (this.seen > n || at(this.seen - 1).at_events !== this.lastAt)) {
      const last = this.lastAt;
      this.seen = find((a) => a.at_events <= last);
    }
    const A = this.actions;
    while (this.seen < n) {
      const part = pg.actions_since(this.seen, 4096), gap = Math.max(1, w.extentUs / 4000);
      if (!part.length) break;
      for (const a of part) if (a.interactive && !(a.t_us - A[A.length - 1] < gap)) A.push(a.t_us);
      this.seen += part.length;
      this.lastAt = part[part.length - 1].at_events;
    }
    this.sig = '';
  }

  /** One tick per pixel column at most. */
  ticks(x) {
    const cols = new Set();
    for (const t of this.actions) cols.add(Math.round(x(t)));
    return [...cols].map((c) => s('line', { class: 'act', x1: c, x2: c, y1: 22, y2: 29 }));
  }

  render(w) {
    const ext = Math.max(1, w.extentUs), now = w.view.t_us;
    const r = this.range;
    const max = String(Math.ceil(ext / 1000)), val = String(Math.round(now / 1000));
    if (r.max !== max) r.max = max;
    if (!this.dragging && r.value !== val) r.value = val;
    const vt = tr('{0} seconds of {1}', secs(now), secs(ext));
    if (!this.dragging && this.vt !== vt) r.setAttribute('aria-valuetext', (this.vt = vt));
    const sig = `${w.decBase}/${w.decEnd}/${w.decLast}/${w.decPast}/${Math.round(ext / 2e4)}/${Math.round(now / 2e4)}/${this.actions.length}/${this.ui.decSel}`;
    if (sig === this.sig) return;
    this.sig = sig;
    this.end.textContent = `${secs(ext)} s`;
    const W = this.W;
    const x = (t) => (t / ext) * W;
    this.marks.setAttribute('viewBox', `0 0 ${W} 30`);
    fill(this.marks,
      now < ext ? s('rect', { class: 'future', x: x(now), y: 9, width: W - x(now), height: 12 }) : null,
      this.ticks(x));
    const kids = [];
    const cur = this.ui.decisions.current(w);
    // One diamond per kind, future or not, and pixel column: a reconnect loop makes
    // thousands of decisions, which would be as many buttons (the current one is kept).
    const seen = new Set();
    for (let i = w.decLast - 1; i >= w.decBase; i--) {
      const r = w.dec(i);
      if (!r) { i = w.decEnd; continue; }   // the gap before the future set aside
      const col = `${Math.round((r.t_us / ext) * W)}${r.decision.verdict.verdict}${i >= w.decPast}`;
      if (i !== cur && seen.has(col)) continue;
      seen.add(col);
      const partial = r.decision.verdict.verdict === 'continue';
      const rep = r.decision.replica.replace(/:\d+$/, '');
      kids.push(h('button', {
        class: `tl-dm ${partial ? 'partial' : 'full'}${i >= w.decPast ? ' future' : ''}`,
        style: `left:${((r.t_us / ext) * 100).toFixed(3)}%${i === cur ? ';outline:2px solid var(--focus)' : ''}`,
        title: tr(partial ? '{0} s: {1} → {2} +CONTINUE (partial resync)' : '{0} s: {1} → {2} +FULLRESYNC (full resync)', secs(r.t_us), rep, r.node),
        'aria-label': tr(partial ? 'Decision at {0} s: partial resync of {1}' : 'Decision at {0} s: full resync of {1}', secs(r.t_us), rep),
        onclick: () => this.ui.showDecision(i),
      }));
    }
    fill(this.decs, kids.reverse());
  }
}
