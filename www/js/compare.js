// Compare: the same scenario and seed played on two versions side by side. Two worlds
// are built from the wasm API, each from the scenario's text with `version A` (or
// `version B`) as its first line, and run to the same simulated time; what differs is
// marked: per node the offsets and the sync counters (from the core's views), the
// scenario's expects that hold on one side only, and the messages and log lines that
// only one side has (the two event logs aligned, a longest common subsequence).

import { Playground } from '../pkg/replscope.js';
import { h, fill, secs, tr, msgLabel } from './dom.js';
import { VERSIONS, versionOf, versionTitle } from './topology.js';
import { withVersion } from './settings.js';
import { heartbeat } from './events.js';
import { runTo } from './world.js';

/** What the table compares, per node (NodeView fields, named as INFO names them). */
const FIELDS = ['master_repl_offset', 'slave_repl_offset', 'sync_full', 'sync_partial_ok', 'sync_partial_err'];
const EVENTS_MAX = 20000;   // records read from each world
const ALIGN_MAX = 4e6;      // cells of the alignment table (the middle both logs do not share)
const LIST_MAX = 40;        // rows shown per side

/** A record as a line to compare, or null (only messages and Redis's log lines count). */
function line(e, hb) {
  const v = e.event;
  if (v.kind === 'send') {
    if (!hb && heartbeat(e)) return null;
    return { node: e.node, what: `→ ${v.to}`, redis: msgLabel(v.what, v.preview, v.len), t: e.t_us };
  }
  if (v.kind === 'node' && v.detail.kind === 'log') return { node: e.node, what: v.detail.level === 'warning' ? '#' : '*', redis: v.detail.text, t: e.t_us };
  return null;
}
const keyOf = (x) => `${x.node}|${x.what}|${x.redis}`;

/**
 * The lines only `a` has and the lines only `b` has, in order: the shared beginning and
 * end are cut, the middle aligned by a longest common subsequence (when it is small
 * enough; otherwise all of it counts as different, and `rough` says so).
 */
export function diffLines(a, b) {
  let s = 0;
  while (s < a.length && s < b.length && keyOf(a[s]) === keyOf(b[s])) s++;
  let ea = a.length, eb = b.length;
  while (ea > s && eb > s && keyOf(a[ea - 1]) === keyOf(b[eb - 1])) { ea--; eb--; }
  const A = a.slice(s, ea), B = b.slice(s, eb);
  const n = A.length, m = B.length;
  if (!n || !m || n * m > ALIGN_MAX) return { onlyA: A, onlyB: B, rough: n * m > ALIGN_MAX };
  const ka = A.map(keyOf), kb = B.map(keyOf);
  // L[i][j]: the longest common subsequence of A[i..] and B[j..].
  const L = new Uint32Array((n + 1) * (m + 1));
  const W = m + 1;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i * W + j] = ka[i] === kb[j] ? L[(i + 1) * W + j + 1] + 1 : Math.max(L[(i + 1) * W + j], L[i * W + j + 1]);
    }
  }
  const onlyA = [], onlyB = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (ka[i] === kb[j]) { i++; j++; } else if (L[(i + 1) * W + j] >= L[i * W + j + 1]) onlyA.push(A[i++]); else onlyB.push(B[j++]);
  }
  while (i < n) onlyA.push(A[i++]);
  while (j < m) onlyB.push(B[j++]);
  return { onlyA, onlyB, rough: false };
}

/** Both sides: the worlds built from `text` with `version a` / `version b` first, run to the same time (at least `untilUs`). */
function playBoth(text, seed, a, b, untilUs) {
  const pgs = [];
  try {
    for (const v of [a, b]) {
      try {
        pgs.push(new Playground(withVersion(text, v), seed));
      } catch (e) {
        throw new Error(`${versionOf(v).full}: ${e.message || e}`);
      }
    }
    const nowOf = (pg) => Math.round(pg.now_ms() * 1000);
    // Each loads to its own end (a `wait sync` may take longer on one): both run on to the later.
    const t = Math.max(untilUs, ...pgs.map(nowOf));
    return pgs.map((pg, i) => {
      runTo(pg, t);
      const view = pg.view();
      const events = pg.events_since(0, EVENTS_MAX);
      return { v: [a, b][i], view, events, full: events.length >= EVENTS_MAX, expects: pg.loaded().expectations, t: view.t_us };
    });
  } finally {
    for (const pg of pgs) pg.free();
  }
}

/** A comparison running this much simulated time (µs) says so first. */
const LONG_US = 3600e6;

export class Compare {
  constructor(el, ui) {
    this.el = el;
    this.ui = ui;
    this.a = 'redis-7.0';
    this.b = 'valkey-8.1';
    this.hb = false;      // heartbeats (ACK, PING) shown in the lists
    this.mine = false;    // the session's script (every statement applied since loading) instead of the scenario's text
    this.res = null;
    this.sig = '';
  }

  relabel() { this.sig = ''; }

  /** Build both worlds now, at the time the page shows (or the later end of either load). */
  run(w) {
    const text = this.mine ? w.pg.script() : w.text, seed = w.seed;
    this.key = this.keyOf(w);
    if (this.mine && w.keptFromUs > 0) {
      // The script starts after the dropped part, without its node lines.
      this.res = { err: tr('history before t = {0} s was dropped to bound memory, so this session’s statements cannot be replayed from its start (untick “with the statements applied since it loaded” to compare the scenario’s text)', secs(w.keptFromUs)), seed, mine: true };
      this.sig = '';
      return;
    }
    try {
      const [A, B] = playBoth(text, seed, this.a, this.b, w.nowUs);
      this.res = { A, B, t: Math.max(A.t, B.t), at: w.nowUs, seed, mine: this.mine, err: null };
    } catch (e) {
      this.res = { err: String(e.message || e), seed, mine: this.mine };
    }
    this.sig = '';
  }

  /**
   * Run now, or, when both versions have hours of simulated time to run (a session after
   * a long `wait`: about 2 s an hour), first say so in the panel and run a moment later.
   */
  runSoon(w) {
    if (w.nowUs < LONG_US) { this.run(w); this.render(w); return; }
    const key = this.keyOf(w), at = w.nowUs;
    if (this.pending === key) return;
    this.pending = key;
    this.sig = '';
    fill(this.el, h('p', { class: 'hint', role: 'status' }, tr('Running both versions to t = {0} s ({1} simulated hours each): the page does not respond until they have run.', secs(at), Math.round(at / 3600e6))));
    // At the moment shown then (time may have played on meanwhile: the result says so).
    setTimeout(() => {
      this.pending = null;
      if (this.keyOf(w) === key) this.run(w);
      this.ui.dirty = true;
    }, 50);
  }

  /** What the comparison depends on (with the session's statements, their changes only make it stale). */
  keyOf(w) { return JSON.stringify([w.text, w.seed, this.a, this.b, this.mine]); }

  render(w) {
    if (!w.pg) return;
    if (this.key !== this.keyOf(w)) { this.runSoon(w); return; }
    const stale = this.res && this.res.at != null && w.nowUs !== this.res.at;
    const sig = JSON.stringify([this.key, this.res && this.res.t, this.hb, stale, tr('Compare')]);
    if (sig === this.sig) return;
    this.sig = sig;
    fill(this.el, this.controls(w, stale), this.res.err ? h('p', { class: 'cmp-err' }, tr('The scenario cannot run on both versions: {0}', ''), h('span', { 'data-redis': '' }, this.res.err)) : this.body(),
      h('p', { class: 'hint' }, this.res.mine
        ? tr('This session’s statements (the scenario, then each statement applied since at its instant) with “version X” as the first line, seed {0}, each run to t = {1} s; nodes whose line names a version keep it.', this.res.seed, secs(this.res.t ?? w.nowUs))
        : tr('The scenario’s text with “version X” as its first line, seed {0}, each run to t = {1} s. Statements applied since it loaded are not included; nodes whose line names a version keep it.', this.res.seed, secs(this.res.t ?? w.nowUs))));
    // A new result (Compare again, another version) is shown from its start, not scrolled sideways.
    if (this.res !== this.shown) {
      this.shown = this.res;
      const pane = this.el.closest('.pane');
      if (pane) pane.scrollLeft = 0;
    }
  }

  controls(w, stale) {
    const pick = (cur, label, set) => h('select', { 'aria-label': label, onchange: (e) => { set(e.target.value); this.key = ''; this.ui.dirty = true; } },
      VERSIONS.map((v) => h('option', { value: v.id, selected: v.id === cur, title: versionTitle(v.id), 'data-redis': '' }, v.full)));
    const hb = h('input', { type: 'checkbox', checked: this.hb, onchange: (e) => { this.hb = e.target.checked; this.res.lines = null; this.sig = ''; this.ui.dirty = true; } });
    const mine = h('input', { type: 'checkbox', id: 'cmp-mine', checked: this.mine, onchange: (e) => { this.mine = e.target.checked; this.ui.dirty = true; } });
    const again = h('button', { class: 'btn', id: 'cmp-again', onclick: () => { this.key = ''; this.ui.dirty = true; } },
      stale ? tr('Compare at t = {0} s', secs(w.nowUs)) : tr('Compare again'));
    return h('div', { class: 'cmp-head' },
      h('p', { class: 'cmp-pick' }, h('b', null, tr('Compare')), ' ', pick(this.a, tr('First version'), (v) => { this.a = v; }), h('span', null, ' ⇄ '), pick(this.b, tr('Second version'), (v) => { this.b = v; }), ' ', again,
        h('label', { class: 'cmp-hb' }, hb, tr('show heartbeats (ACK, PING)')),
        h('label', { class: 'cmp-hb' }, mine, tr('with the statements applied since it loaded'))));
  }

  body() {
    const { A, B } = this.res;
    const va = versionOf(A.v), vb = versionOf(B.v);
    const head = (v) => h('th', { class: 'cmp-v', title: versionTitle(v.id), 'data-redis': '' }, v.full);
    // Per node and field: A's value, B's. The ones that differ first, marked; the rest folded.
    const names = [...new Set([...A.view.nodes, ...B.view.nodes].map((n) => n.name))];
    const diff = [], same = [];
    for (const name of names) {
      const na = A.view.nodes.find((n) => n.name === name), nb = B.view.nodes.find((n) => n.name === name);
      for (const f of FIELDS) {
        const x = na ? na[f] : undefined, y = nb ? nb[f] : undefined;
        if (x == null && y == null) continue;
        const d = x !== y;
        (d ? diff : same).push(h('tr', { class: d ? 'diff' : null, 'data-node': name, 'data-field': f },
          h('td', { class: 'cmp-node' }, name),
          h('td', { 'data-redis': '' }, f),
          h('td', { class: 'num a' }, x == null ? '—' : String(x)),
          h('td', { class: 'num b' }, y == null ? '—' : String(y)),
          h('td', { class: 'mark', 'aria-label': d ? tr('differs') : tr('same') }, d ? '≠' : '=')));
      }
    }
    const table = (rows) => h('table', { class: 'cmp-table mono' },
      h('thead', null, h('tr', null, h('th', null, tr('node')), h('th', null, tr('field')), head(va), head(vb), h('th', null, h('span', { class: 'sr' }, tr('differs'))))),
      h('tbody', null, rows));
    const differ = diff.length, total = diff.length + same.length;
    // Nodes whose own line names a version run it on both sides.
    const pinned = A.v === B.v ? [] : names.filter((n) => {
      const x = A.view.nodes.find((k) => k.name === n), y = B.view.nodes.find((k) => k.name === n);
      return x && y && x.version === y.version;
    }).map((n) => `${n} (${versionOf(A.view.nodes.find((k) => k.name === n).version).full})`);
    // The scenario's expects that hold on one side only.
    const exp = [];
    A.expects.forEach((ea, i) => {
      const eb = B.expects[i];
      if (!eb || ea.passed === eb.passed) return;
      exp.push(h('li', null, h('code', { 'data-redis': '' }, ea.text), ' ',
        tr('holds on {0}, not on {1}:', (ea.passed ? va : vb).full, (ea.passed ? vb : va).full), ' ',
        h('span', { 'data-redis': '' }, (ea.passed ? eb : ea).detail || '')));
    });
    // The messages and log lines only one side has.
    if (!this.res.lines) {
      const la = A.events.map((e) => line(e, this.hb)).filter(Boolean), lb = B.events.map((e) => line(e, this.hb)).filter(Boolean);
      this.res.lines = diffLines(la, lb);
    }
    const { onlyA, onlyB, rough } = this.res.lines;
    const list = (v, xs, cls) => h('div', { class: `cmp-only ${cls}` },
      h('h3', null, tr('Only on {0} ({1})', v.full, xs.length)),
      xs.length ? h('ol', { class: 'mono' }, xs.slice(0, LIST_MAX).map((x) => h('li', null,
        h('b', null, `${secs(x.t)} ${x.node} `), `${x.what} `, h('span', { 'data-redis': '' }, x.redis))),
      xs.length > LIST_MAX ? h('li', { class: 'hint' }, tr('… and {0} more', xs.length - LIST_MAX)) : null) : h('p', { class: 'hint' }, tr('nothing')));
    const summary = tr('{0} of {1} values differ; {2} messages or log lines on one side only.', differ, total, onlyA.length + onlyB.length);
    return h('div', { class: 'cmp-body' },
      h('p', { class: `cmp-sum${differ || onlyA.length || onlyB.length ? ' diff' : ''}`, id: 'cmp-sum' }, summary),
      pinned.length ? h('p', { class: 'hint', id: 'cmp-pinned' }, tr('The same version on both sides (their node line names it): {0}', ''), h('span', { 'data-redis': '' }, pinned.join(', '))) : null,
      diff.length ? table(diff) : null,
      same.length ? h('details', { class: 'cmp-same' }, h('summary', null, tr('{0} values the same on both', same.length)), table(same)) : null,
      exp.length ? h('div', { class: 'cmp-exp' }, h('h3', null, tr('Expects that hold on one side only')), h('ul', null, exp)) : null,
      h('div', { class: 'cmp-lists' }, list(va, onlyA, 'a'), list(vb, onlyB, 'b')),
      rough ? h('p', { class: 'hint' }, tr('The logs are too long to align line by line: everything between the first and the last difference is listed.')) : null,
      A.full || B.full ? h('p', { class: 'hint' }, tr('Only the first {0} records of each log were compared.', EVENTS_MAX)) : null);
  }
}
