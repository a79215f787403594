// Offsets over time, one line per node (colour and dash pattern both identify it).
// A replica's line is slave_repl_offset, a master's master_repl_offset; a replica's
// line flat below its master's is lag, a vertical jump is a sync catching up.

import { h, fill, secs, nodeColor, DASHES, tr } from './dom.js';

export class Chart {
  constructor(canvas, legend, ui) {
    this.c = canvas;
    this.legend = legend;
    this.ui = ui;
    this.hover = null;
    this.lastAt = 0;
    this.lsig = '';
    this.size = [0, 0];
    new ResizeObserver(() => { this.size = [canvas.clientWidth, canvas.clientHeight]; this.lastAt = 0; this.ui.dirty = true; }).observe(canvas);
    canvas.addEventListener('pointermove', (e) => { this.hover = e.offsetX; this.lastAt = 0; this.ui.dirty = true; });
    canvas.addEventListener('pointerleave', () => { this.hover = null; this.lastAt = 0; this.ui.dirty = true; });
    // The colours and the font are read once, and again when the colour scheme changes
    // (the only thing that changes them, style.css): getComputedStyle in a frame made the
    // browser recompute the page's styles there, after the other panels' writes.
    this.css = null;
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { this.css = null; this.lastAt = 0; this.ui.dirty = true; });
  }

  /** The custom properties the chart draws with, by name (`--muted`, `--n0` …). */
  vars() {
    if (!this.css) {
      const cs = getComputedStyle(document.documentElement), out = new Map();
      for (const k of ['--muted', '--line', '--ink', '--mono', '--partial', '--full', '--n0', '--n1', '--n2', '--n3', '--n4', '--n5']) out.set(k, cs.getPropertyValue(k));
      this.css = out;
    }
    return this.css;
  }

  render(w) {
    const now = performance.now();
    if (now - this.lastAt < (w.load ? 500 : 250)) { this.ui.later = true; return; }
    this.lastAt = now;
    w.refreshSamples();
    const names = w.view.nodes.map((n) => n.name);
    const lsig = names.join();
    if (lsig !== this.lsig) {
      this.lsig = lsig;
      fill(this.legend, names.map((n, i) => h('span', null, h('i', { class: 'swatch', style: `border-top-color:${nodeColor(i)};border-top-style:${DASHES[i % 6] ? 'dashed' : 'solid'}` }), n)));
    }
    const dpr = devicePixelRatio || 1;
    const [W, H] = this.size;
    if (!W || !H) return;
    if (this.c.width !== Math.round(W * dpr) || this.c.height !== Math.round(H * dpr)) { this.c.width = Math.round(W * dpr); this.c.height = Math.round(H * dpr); }
    const g = this.c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, W, H);
    const css = this.vars();
    const muted = css.get('--muted'), line = css.get('--line'), ink = css.get('--ink');
    const S = w.samples, past = w.samplePast;
    const ext = Math.max(1, w.extentUs);
    let max = 1;
    for (const x of S) { const v = x.slave_repl_offset >= 0 ? x.slave_repl_offset : x.master_repl_offset; if (v > max) max = v; }
    const L = 8, R = W - 8, T = 18, B = H - 18;
    const X = (t) => L + (t / ext) * (R - L), Y = (v) => B - (v / max) * (B - T);
    g.font = `11px ${css.get('--mono')}`;
    g.fillStyle = muted;
    g.strokeStyle = line;
    g.lineWidth = 1;
    g.beginPath(); g.moveTo(L, B + 0.5); g.lineTo(R, B + 0.5); g.stroke();
    // Gridlines at exact halves, labelled with the exact offsets.
    g.setLineDash([2, 4]);
    for (const f of [0.5, 1]) { const y = Math.round(Y(Math.round(max * f))) + 0.5; g.beginPath(); g.moveTo(L, y); g.lineTo(R, y); g.stroke(); }
    g.setLineDash([]);
    g.fillText(tr('offset {0}', max), L, 12);
    g.fillText(String(Math.round(max / 2)), L, Math.round(Y(Math.round(max / 2))) - 3);
    g.fillText('0 s', L, H - 4);
    const endLabel = `${secs(ext)} s`;
    g.fillText(endLabel, R - g.measureText(endLabel).width, H - 4);
    // Per node, one polyline (past solid, rewound future faint), built in one pass over
    // the samples, which come interleaved: every 100 ms, one per node.
    const n = names.length;
    const stride = Math.max(1, Math.floor(S.length / Math.max(1, n) / (R - L)));
    const paths = names.map(() => [new Path2D(), new Path2D()]), cnt = new Array(n).fill(0), started = new Array(n * 2).fill(false);
    for (let i = 0; i < S.length; i++) {
      const x = S[i], k = x.node;
      if (k >= n || cnt[k]++ % stride) continue;
      const fut = i >= past ? 1 : 0, v = x.slave_repl_offset >= 0 ? x.slave_repl_offset : x.master_repl_offset;
      const px = X(x.t_us), py = Y(v), p = paths[k][fut];
      if (!started[k * 2 + fut]) { p.moveTo(px, py); started[k * 2 + fut] = true; } else p.lineTo(px, py);
    }
    g.lineWidth = 1.8;
    for (let k = 0; k < n; k++) {
      g.strokeStyle = css.get(`--n${k % 6}`);
      g.setLineDash(DASHES[k % 6] ? DASHES[k % 6].split(' ').map(Number) : []);
      g.globalAlpha = 1;
      g.stroke(paths[k][0]);
      g.globalAlpha = 0.3;
      g.stroke(paths[k][1]);
    }
    g.setLineDash([]);
    g.globalAlpha = 1;
    // Syncs on the time axis: a filled diamond for a full resync, a hollow one for a partial.
    for (let i = w.decBase; i < w.decLast; i++) {
      const r = w.dec(i);
      if (!r) { i = w.decLater.base - 1; continue; }   // the gap before the future set aside
      const x = X(r.t_us), partial = r.decision.verdict.verdict === 'continue';
      g.globalAlpha = i < w.decPast ? 1 : 0.35;
      g.strokeStyle = g.fillStyle = css.get(partial ? '--partial' : '--full');
      g.beginPath(); g.moveTo(x, B - 4); g.lineTo(x + 4, B); g.lineTo(x, B + 4); g.lineTo(x - 4, B); g.closePath();
      if (partial) g.stroke(); else g.fill();
    }
    g.globalAlpha = 1;
    g.strokeStyle = ink;
    g.beginPath(); g.moveTo(X(w.view.t_us) + 0.5, T - 6); g.lineTo(X(w.view.t_us) + 0.5, B); g.stroke();
    if (this.hover != null) this.readout(g, w, S, past, X, ext, L, R, ink, names);
  }

  /** Exact values under the pointer. */
  readout(g, w, S, past, X, ext, L, R, ink, names) {
    const t = ((this.hover - L) / (R - L)) * ext;
    const at = new Map();
    for (let i = 0; i < past; i++) if (S[i].t_us <= t) at.set(S[i].node, S[i]); else if (S[i].t_us > t + 2e5) break;
    g.strokeStyle = ink;
    g.setLineDash([2, 3]);
    g.beginPath(); g.moveTo(this.hover + 0.5, 14); g.lineTo(this.hover + 0.5, this.size[1] - 18); g.stroke();
    g.setLineDash([]);
    const parts = [...at.values()].map((x) => `${names[x.node]} ${x.slave_repl_offset >= 0 ? x.slave_repl_offset : x.master_repl_offset}`);
    g.fillStyle = ink;
    g.fillText(`t=${secs(t)}s  ${parts.join('  ')}`, Math.min(this.hover + 6, R - 260), 12);
  }
}
