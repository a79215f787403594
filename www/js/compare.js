// Compare: the same scenario and seed played on two versions side by side. Two worlds
// are built from the wasm API, each from the scenario's text with `version A` (or
// `version B`) as its first line, and run to the same simulated time; what differs is
// marked: per node the offsets and the sync counters (from the core's views), INFO's
// repl_backlog_size and the replication parameters whose values differ (CONFIG GET), the
// scenario's expects that hold on one side only, and the messages and log lines that
// only one side has (the two event logs aligned, a longest common subsequence, log lines
// in Valkey's words so that master/primary alone is no difference). A difference
// docs/versions.md explains carries its reason (WHY).

import { Playground, valkey_words } from '../pkg/replscope.js';
import { h, fill, secs, tr, msgLabel, respWords } from './dom.js';
import { VERSIONS, versionOf, versionTitle } from './topology.js';
import { withVersion } from './settings.js';
import { heartbeat } from './events.js';
import { runTo } from './world.js';
import { Build, Fallback } from './replay.js';
import { waitsUs } from './opening.js';

/** What the table compares, per node (NodeView fields, named as INFO names them). */
const FIELDS = ['master_repl_offset', 'slave_repl_offset', 'sync_full', 'sync_partial_ok', 'sync_partial_err'];
/** Read from each node's INFO text: the backlog's configured size (its default differs by version). */
const INFO_FIELDS = ['repl_backlog_size'];
/**
 * The parameters (CONFIG GET) that steer replication, compared where the two sides'
 * values differ (a version's defaults: Valkey's lazyfree, 8.0's full-sync buffer limit…).
 * repl-backlog-size is INFO's repl_backlog_size above; slave-* are the replica-* aliases.
 */
const OFF = ['no', '0', ''];
const CONFIGS = /^(repl-(?!backlog-size$)|min-replicas-|client-output-buffer-limit$|replica-full-sync-buffer-limit$|dual-channel-replication-enabled$|lazyfree-lazy-expire$|save$|appendonly$)/;
const EVENTS_MAX = 20000;   // records read from each world
const ALIGN_MAX = 4e6;      // cells of the alignment table (the middle both logs do not share)
const LIST_MAX = 40;        // rows shown per side

/**
 * A log line in Valkey's words: Valkey renamed master to primary and slave to replica in
 * its log texts, whole words only (`master_repl_offset` stays). The core's own
 * `Profile::reword` (crate/version.rs), the one that words Valkey's log, through
 * `valkey_words` (crate/wasm.rs). Both sides' lines are compared in these words, so a
 * line that differs only by them counts as the same line.
 */
export const valkeyWords = valkey_words;

/** A log text's words (alone at odd indexes), as `reword` delimits them. */
const WORD = /([A-Za-z0-9_-]+)/;

/**
 * The words `b` says instead of `a`'s ("MASTER → PRIMARY", or the other way round; `a`
 * and `b` are the same line in Valkey's words): those `valkeyWords` changes in the one
 * that says master or slave. It swaps whole words for whole words, so the two texts'
 * words line up one for one.
 */
function wording(a, b) {
  const back = valkeyWords(a) === a, from = back ? b : a;
  const w = from.split(WORD), to = valkeyWords(from).split(WORD), swaps = new Set();
  for (let i = 1; i < w.length; i += 2) if (w[i] !== to[i]) swaps.add(back ? `${to[i]} → ${w[i]}` : `${w[i]} → ${to[i]}`);
  return [...swaps].join(', ');
}

/**
 * Why a value or a line differs, where docs/versions.md says so (the section "What the
 * profiles hold", and "Mixed versions"). A rule explains a value (`field`: its INFO name
 * or parameter) or a line (`line`: its text, `kind`: a message's kind), on the condition
 * that one side runs a version it names (`ver`) and, with `with`/`vs`, that lines only one
 * side has show the cause (`with`: such a line; `vs`: the other side has one as well).
 * The reasons are English keys translated in i18n.js.
 */
const WHY = [
  { field: 'repl_backlog_size', ver: ['valkey-8.1'], values: ['1048576', '10485760'],
    why: '`repl-backlog-size` defaults to `1mb` on Redis 7.0 and 8.0, to `10mb` on Valkey 8.1.' },
  { field: 'lazyfree-lazy-expire', ver: ['valkey-8.1'],
    why: 'Valkey’s `lazyfree-lazy-expire` defaults to `yes`: an expired key propagates as `UNLINK`, 3 bytes more than `DEL`.' },
  { field: 'dual-channel-replication-enabled', ver: ['valkey-8.1'],
    why: 'Valkey 8.1 only: a full sync over two connections (dual channel) when both sides enable it; off by default.' },
  { field: 'replica-full-sync-buffer-limit', ver: ['redis-8.0'],
    why: 'Redis 8.0 only: during a full sync over the rdb channel the replica buffers the stream itself, up to this limit (`0`: its `client-output-buffer-limit replica` hard limit).' },
  { field: /_repl_offset$/, ver: ['valkey-8.1'], with: /^UNLINK /, vs: /^DEL /,
    why: 'Valkey’s `lazyfree-lazy-expire` defaults to `yes`: an expired key propagates as `UNLINK`, 3 bytes more than `DEL`.' },
  { field: /^sync_partial_(ok|err)$/, ver: ['valkey-8.1'], with: /DUALCHANNELSYNC/,
    why: 'A dual-channel full sync counts `sync_full:1 sync_partial_ok:1 sync_partial_err:1` on Valkey.' },
  { field: /^sync_/, ver: ['redis-8.0', 'valkey-8.1'], with: /Can't handle RDB format version/,
    why: 'A replica that cannot load its master’s RDB version flushes its data, reconnects at once and loops: about one full sync per `serverCron` tick.' },
  { line: /^REPLCONF version /, ver: ['valkey-8.1'],
    why: 'Valkey’s replica adds `REPLCONF version 8.1.1` to its handshake (7.0 and 8.0 masters refuse it: “non critical”).' },
  { line: /RDBCHANNELSYNC|rdb channel|rdb-channel|rdbchannel|rdb-only/i, ver: ['redis-8.0'],
    why: 'Redis 8.0 syncs in full over a second connection, the rdb channel (`repl-rdb-channel`, on by default).' },
  { line: /DUALCHANNELSYNC|ENDOFF|dual channel/i, ver: ['valkey-8.1'],
    why: 'Valkey 8.1 syncs in full over two connections (dual channel) when both sides enable it.' },
  { line: /Can't handle RDB format version/, ver: ['redis-8.0', 'valkey-8.1'],
    why: 'A replica that cannot load its master’s RDB version flushes its data, reconnects at once and loops: about one full sync per `serverCron` tick.' },
  { kind: 'rdb', ver: ['redis-7.0', 'redis-8.0', 'valkey-8.1'], vs: /^RDB /,
    why: 'Each version writes its own RDB header: `REDIS0010` and `redis-ver` on 7.0, `REDIS0012` on 8.0, `REDIS0011` and `valkey-ver` on Valkey 8.1.' },
  { line: /^(UNLINK|DEL) /, ver: ['valkey-8.1'], vs: /^(UNLINK|DEL) /,
    why: 'Valkey’s `lazyfree-lazy-expire` defaults to `yes`: an expired key propagates as `UNLINK`, 3 bytes more than `DEL`.' },
  { line: /^ping$/i, ver: ['redis-8.0'],
    why: 'Redis 8.0 sends the replication `PING` only after a whole `repl-ping-replica-period` with nothing else fed to the stream.' },
];

/** The reasons docs/versions.md gives for this pair: `field(f, x, y)` for a value, `lines(xs)` for each of a list's lines. */
function explainer(A, B, onlyA, onlyB) {
  const vers = (S) => new Set([S.v, ...S.view.nodes.map((n) => n.version)]);
  const va = vers(A), vb = vers(B);
  // A rule holds only where the two sides differ in a version it names.
  const runs = (r) => r.ver.some((v) => va.has(v) !== vb.has(v));
  const has = (xs, re) => xs.some((x) => re.test(x.redis));
  const test = (t, v) => (t instanceof RegExp ? t.test(v) : t === v);
  return {
    field(f, x, y) {
      const r = WHY.find((r) => r.field && test(r.field, f) && runs(r)
        && (!r.values || (r.values.includes(String(x)) && r.values.includes(String(y))))
        && (!r.with || has(onlyA, r.with) || has(onlyB, r.with))
        && (!r.vs || (has(onlyA, r.with) && has(onlyB, r.vs)) || (has(onlyB, r.with) && has(onlyA, r.vs))));
      return r ? r.why : null;
    },
    lines(xs) {
      const other = xs === onlyA ? onlyB : onlyA;
      const out = xs.map((x) => {
        const r = WHY.find((r) => (r.line || r.kind) && runs(r) && (!r.line || test(r.line, x.full || x.redis)) && (!r.kind || r.kind === x.kind)
          && (!r.vs || has(other, r.vs)));
        return r ? r.why : null;
      });
      // A reply (+OK, -ERR) to a line explained just before it, from the node that line went to, shares its reason.
      for (let i = 1; i < xs.length; i++) {
        const p = xs[i - 1], x = xs[i];
        if (!out[i] && out[i - 1] && p.to === x.node && x.to === p.node && /^[+-]/.test(x.redis)) out[i] = out[i - 1];
      }
      return out;
    },
  };
}

/** A record as a line to compare, or null (only messages and Redis's log lines count). */
function line(e, hb) {
  const v = e.event;
  if (v.kind === 'send') {
    if (!hb && heartbeat(e)) return null;
    // `full`: the command's whole words (the label is cut short), what the reasons are matched on.
    return { node: e.node, to: v.to, kind: v.what, what: `→ ${v.to}`, redis: msgLabel(v.what, v.preview, v.len), full: (respWords(v.preview) || []).join(' '), t: e.t_us };
  }
  if (v.kind === 'node' && v.detail.kind === 'log') {
    const text = v.detail.text;
    return { node: e.node, kind: 'log', what: v.detail.level === 'warning' ? '#' : '*', redis: text, said: valkeyWords(text), t: e.t_us };
  }
  return null;
}
const keyOf = (x) => `${x.node}|${x.what}|${x.said ?? x.redis}`;

/**
 * The lines only `a` has and the lines only `b` has, in order: the shared beginning and
 * end are cut, the middle aligned by a longest common subsequence (when it is small
 * enough; otherwise all of it counts as different, and `rough` says so). Log lines are
 * matched in Valkey's words; `worded` holds the pairs matched so whose texts differ.
 */
export function diffLines(a, b) {
  const worded = [];
  const pair = (x, y) => { if (x.redis !== y.redis) worded.push([x, y]); };
  let s = 0;
  while (s < a.length && s < b.length && keyOf(a[s]) === keyOf(b[s])) { pair(a[s], b[s]); s++; }
  let ea = a.length, eb = b.length;
  const tail = [];
  while (ea > s && eb > s && keyOf(a[ea - 1]) === keyOf(b[eb - 1])) { ea--; eb--; if (a[ea].redis !== b[eb].redis) tail.unshift([a[ea], b[eb]]); }
  const A = a.slice(s, ea), B = b.slice(s, eb);
  const n = A.length, m = B.length;
  const done = (onlyA, onlyB, rough) => ({ onlyA, onlyB, rough, worded: worded.concat(tail) });
  if (!n || !m || n * m > ALIGN_MAX) return done(A, B, n * m > ALIGN_MAX);
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
    if (ka[i] === kb[j]) pair(A[i++], B[j++]); else if (L[(i + 1) * W + j] >= L[i * W + j + 1]) onlyA.push(A[i++]); else onlyB.push(B[j++]);
  }
  while (i < n) onlyA.push(A[i++]);
  while (j < m) onlyB.push(B[j++]);
  return done(onlyA, onlyB, false);
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
    // Each loads to its own end (a `wait sync` may take longer on one): both run on to the later.
    const t = Math.max(untilUs, ...pgs.map(nowOf));
    return pgs.map((pg, i) => {
      runTo(pg, t);
      return side(pg, [a, b][i], pg.loaded().expectations);
    });
  } finally {
    for (const pg of pgs) pg.free();
  }
}

const nowOf = (pg) => Math.round(pg.now_ms() * 1000);

/** What is compared of world `pg` (version `v`), its expects' verdicts being `expects`. */
function side(pg, v, expects) {
  const view = pg.view();
  const events = pg.events_since(0, EVENTS_MAX);
  // Per node, what INFO prints (INFO_FIELDS) and the replication parameters (CONFIG GET).
  const more = {};
  for (const n of view.nodes) {
    const info = pg.info(n.name) || '';
    const x = {};
    for (const f of INFO_FIELDS) {
      const m = new RegExp(`^${f}:(.*?)\r?$`, 'm').exec(info);
      if (m) x[f] = m[1];
    }
    more[n.name] = { info: x, config: Object.fromEntries((pg.config(n.name) || []).filter(([k]) => CONFIGS.test(k))) };
  }
  return { v, view, more, events, full: events.length >= EVENTS_MAX, expects, t: view.t_us };
}

/** A comparison running this much simulated time (µs) or more runs in steps (replay.js), with a progress line and Stop. */
const SLICED_US = 60e6;

export class Compare {
  constructor(el, ui) {
    this.el = el;
    this.ui = ui;
    this.a = 'redis-7.0';
    this.b = 'valkey-8.1';
    this.hb = false;      // heartbeats (ACK, PING) shown in the lists
    this.mine = false;    // the session's script (every statement applied since loading) instead of the scenario's text
    this.res = null;
    this.resKey = '';     // what `res` compared (keyOf)
    this.sig = '';
    this.job = null;      // a comparison running in steps (sliced)
    this.stopped = null;  // the key of a comparison stopped: not run again until asked
    this.note = '';       // said above the result (a comparison stopped)
  }

  relabel() { this.sig = ''; }

  /** The text compared and its seed ({err} when the session cannot be replayed). */
  source(w) {
    if (this.mine && w.keptFromUs > 0) {
      // The script starts after the dropped part, without its node lines.
      return { err: tr('history before t = {0} s was dropped to bound memory, so this session’s statements cannot be replayed from its start (untick “with the statements applied since it loaded” to compare the scenario’s text)', secs(w.keptFromUs)) };
    }
    return { text: this.mine ? w.pg.script() : w.text, seed: w.seed };
  }

  /** Build both worlds now, at the time the page shows (or the later end of either load). */
  run(w) {
    const src = this.source(w);
    this.key = this.resKey = this.keyOf(w);
    this.note = '';
    if (src.err) {
      this.res = { err: src.err, seed: w.seed, mine: true };
      this.sig = '';
      return;
    }
    this.runGo(src.text, src.seed, w.nowUs);
  }

  /** Both worlds (versions `a` and `b`) in one go: the result, or the error, in `res`. */
  runGo(text, seed, at, a = this.a, b = this.b, mine = this.mine) {
    try {
      const [A, B] = playBoth(text, seed, a, b, at);
      this.res = { A, B, t: Math.max(A.t, B.t), at, seed, mine, err: null };
    } catch (e) {
      this.res = { err: String(e.message || e), seed, mine };
    }
    this.sig = '';
  }

  /**
   * Run now, or, when the versions have a minute of simulated time or more to run (a long
   * `wait` in the text, a session after one), in steps: the page draws meanwhile, the panel
   * says how far each version got, and Stop (or Esc) ends it with nothing changed.
   */
  runSoon(w) {
    const key = this.keyOf(w);
    if (this.job) {
      if (this.job.key === key) return;
      this.job.end();   // what it compares changed: this one runs instead
    }
    const src = this.source(w);
    if (src.err || Math.max(w.nowUs, waitsUs(src.text)) < SLICED_US) { this.run(w); this.render(w); return; }
    this.sliced(w, src.text, src.seed, key);
  }

  /** The comparison of `text` (seed `seed`) at the moment shown, in steps (replay.js). */
  sliced(w, text, seed, key) {
    const at = w.nowUs, vs = [this.a, this.b], mine = this.mine;
    const builds = [];
    let total = Math.max(at, waitsUs(text)), phase = 0, t = 0;   // phase: building side 0, side 1, running both to t
    const job = { key, stop: false };
    this.job = job;
    this.sig = '';
    const btn = h('button', { type: 'button', class: 'btn', id: 'cmp-stop', onclick: () => { job.stop = true; } }, tr('Stop'));
    const text1 = h('span', {}, '');
    fill(this.el, h('p', { class: 'hint cmp-progress', id: 'cmp-progress' }, text1, ' ', btn));
    const ui = this.ui;
    const prevStop = ui.stopReplay;
    ui.stopReplay = () => { job.stop = true; };
    job.end = () => {
      for (const b of builds) b.free();
      if (this.job === job) this.job = null;
      if (ui.stopReplay && ui.stopReplay !== prevStop) ui.stopReplay = prevStop;
      ui.dirty = true;
    };
    // The side running now: while both run on to the same time, the first until it is there.
    const cur = () => (phase < 2 ? phase : builds[0].loaded ? 1 : 0);
    const show = () => {
      const i = cur(), bd = builds[i];
      btn.textContent = tr('Stop');   // the language may have changed
      text1.textContent = tr('Comparing: {0} ({1} of 2) has run to t = {2} s of {3} s, {4} of its {5} statements.',
        versionOf(vs[i]).full, i + 1, secs(bd ? bd.nowUs : 0), secs(total), bd ? bd.done : 0, bd ? bd.statements : 0);
    };
    show();
    const side1 = (i) => side(builds[i].pg, vs[i], builds[i].expects);
    const step = () => {
      if (this.job !== job) return;                      // another comparison replaced it
      if (job.stop) {
        const i = cur(), bd = builds[i], reached = bd ? bd.nowUs : 0;
        job.end();
        // Nothing half-applied: the comparison shown before (if it was of this session) stays,
        // with the versions it compared.
        const was = this.res && this.resKey ? JSON.parse(this.resKey) : null;
        const same = was && was[0] === w.text && was[1] === w.seed;
        if (same) [this.key, this.a, this.b, this.mine] = [this.resKey, was[2], was[3], was[4]];
        else this.stopped = key;
        this.note = tr('Stopped: {0} had run to t = {1} s of {2} s. Nothing was compared; {3}', versionOf(vs[i]).full, secs(reached), secs(total),
          same ? tr('the comparison shown is the one before.') : tr('“Compare again” runs it.'));
        this.sig = '';
        ui.note(this.note);
        return;
      }
      try {
        if (phase < 2) {
          if (!builds[phase]) builds[phase] = new Build(withVersion(text, vs[phase]), seed);
          if (builds[phase].step()) {
            phase++;
            if (phase === 2) {
              // Each loads to its own end (a `wait sync` may take longer on one): both run on to the later.
              t = Math.max(at, builds[0].nowUs, builds[1].nowUs);
              total = t;
              builds[0].runTo(t);
              builds[1].runTo(t);
            }
          }
        } else if (phase === 2) {
          if (builds[0].step() && builds[1].step()) phase = 3;
        } else if (phase === 3) {
          job.A = side1(0);   // what is read of each world: a step each (tens of ms for 20,000 records)
          phase = 4;
        } else {
          const A = job.A, B = side1(1);
          job.end();
          this.key = this.resKey = key;
          this.note = '';
          this.res = { A, B, t: Math.max(A.t, B.t), at, seed, mine, err: null };
          this.sig = '';
          return;
        }
      } catch (e) {
        job.end();
        this.key = this.resKey = key;
        this.note = '';
        // A statement that cannot run: in one go, which names what is wrong in the core's words.
        if (e instanceof Fallback) this.runGo(text, seed, at, vs[0], vs[1], mine);
        else this.res = { err: String(e.message || e), seed, mine };
        this.sig = '';
        return;
      }
      show();
      setTimeout(step, 0);
    };
    setTimeout(step, 0);
  }

  /** What the comparison depends on (with the session's statements, their changes only make it stale). */
  keyOf(w) { return JSON.stringify([w.text, w.seed, this.a, this.b, this.mine]); }

  render(w) {
    if (!w.pg) return;
    const key = this.keyOf(w);
    if (this.key !== key && this.stopped !== key) { this.runSoon(w); return; }
    if (this.job) return;   // its progress line shows
    if (this.key !== key) {
      // Stopped, with no comparison of this session before it: said, until asked again.
      const sig = JSON.stringify([key, 'stopped', this.note]);
      if (sig === this.sig) return;
      this.sig = sig;
      fill(this.el, this.controls(w, false), h('p', { class: 'hint', id: 'cmp-note' }, this.note));
      return;
    }
    const stale = this.res && this.res.at != null && w.nowUs !== this.res.at;
    const sig = JSON.stringify([this.key, this.res && this.res.t, this.hb, stale, tr('Compare'), this.note]);
    if (sig === this.sig) return;
    this.sig = sig;
    fill(this.el, this.controls(w, stale), this.note ? h('p', { class: 'hint', id: 'cmp-note' }, this.note) : null, this.res.err ? h('p', { class: 'cmp-err' }, tr('The scenario cannot run on both versions: {0}', ''), h('span', { 'data-redis': '' }, this.res.err)) : this.body(),
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
      // A whole cluster on Redis 2.6 would make it a master, which that replica-only profile is not.
      VERSIONS.filter((v) => !v.replicaOnly || v.id === cur).map((v) => h('option', { value: v.id, selected: v.id === cur, title: versionTitle(v.id), 'data-redis': '' }, v.full)));
    const hb = h('input', { type: 'checkbox', checked: this.hb, onchange: (e) => { this.hb = e.target.checked; this.res.lines = null; this.sig = ''; this.ui.dirty = true; } });
    const mine = h('input', { type: 'checkbox', id: 'cmp-mine', checked: this.mine, onchange: (e) => { this.mine = e.target.checked; this.stopped = null; this.ui.dirty = true; } });
    const again = h('button', { class: 'btn', id: 'cmp-again', onclick: () => { this.key = ''; this.stopped = null; this.ui.dirty = true; } },
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
    // The messages and log lines only one side has (log lines matched in Valkey's words).
    if (!this.res.lines) {
      const la = A.events.map((e) => line(e, this.hb)).filter(Boolean), lb = B.events.map((e) => line(e, this.hb)).filter(Boolean);
      this.res.lines = diffLines(la, lb);
    }
    const { onlyA, onlyB, rough, worded } = this.res.lines;
    const why = explainer(A, B, onlyA, onlyB);
    // A reason's `quoted` parts are Redis's words (names, replies), shown as code.
    const reason = (text) => h('span', { class: 'cmp-why', title: tr('documented in docs/versions.md') },
      text.split('`').map((t, i) => (i % 2 ? h('code', { 'data-redis': '' }, t) : t)));
    // Per node and value: A's, B's. The ones that differ first, marked (with their reason
    // when docs/versions.md gives one); the rest folded. Parameters are listed when they differ.
    const names = [...new Set([...A.view.nodes, ...B.view.nodes].map((n) => n.name))];
    const diffs = [], same = [];
    for (const name of names) {
      const na = A.view.nodes.find((n) => n.name === name), nb = B.view.nodes.find((n) => n.name === name);
      const ma = A.more[name], mb = B.more[name];
      const vals = FIELDS.map((f) => [f, na ? na[f] : undefined, nb ? nb[f] : undefined])
        .concat(INFO_FIELDS.map((f) => [f, ma?.info[f], mb?.info[f]]));
      const keys = [...new Set([...Object.keys(ma?.config || {}), ...Object.keys(mb?.config || {})])];
      for (const k of keys) {
        const x = ma?.config[k], y = mb?.config[k];
        // A parameter only one version has counts when it is set to something else than off.
        if (x !== y && (x != null && y != null || !OFF.includes(x ?? y))) vals.push([k, x, y]);
      }
      for (const [f, x, y] of vals) {
        if (x == null && y == null) continue;
        const d = x !== y;
        const row = h('tr', { class: d ? 'diff' : null, 'data-node': name, 'data-field': f },
          h('td', { class: 'cmp-node' }, name),
          // A long name breaks after its underscores only (repl_backlog_ / size), never mid-word.
          h('td', { 'data-redis': '', class: 'cmp-f' }, f.split(/(?<=_)/).map((part, i) => (i ? [h('wbr'), part] : part))),
          h('td', { class: 'num a', 'data-redis': '' }, x == null ? '—' : String(x)),
          h('td', { class: 'num b', 'data-redis': '' }, y == null ? '—' : String(y)),
          h('td', { class: 'mark', 'aria-label': d ? tr('differs') : tr('same') }, d ? '≠' : '='));
        if (d) diffs.push({ f, r: why.field(f, x, y), row }); else same.push(row);
      }
    }
    // The values that differ grouped by field (every node's repl_backlog_size together), a
    // reason once, under the group it explains.
    const order = [...new Set(diffs.map((x) => x.f))];
    diffs.sort((x, y) => order.indexOf(x.f) - order.indexOf(y.f));
    const diff = [];
    diffs.forEach((x, i) => {
      diff.push(x.row);
      if (!x.r) return;
      const next = diffs[i + 1];
      if (!next || next.r !== x.r || next.f !== x.f) diff.push(h('tr', { class: 'cmp-why-row', 'data-why': x.f }, h('td', { colspan: '5' }, reason(tr(x.r)))));
    });
    // In a box of its own that scrolls sideways when the pane is narrower than the table
    // (a phone): the headers and values keep their words whole.
    const table = (rows) => h('div', { class: 'cmp-scroll', tabindex: '0' }, h('table', { class: 'cmp-table mono' },
      h('thead', null, h('tr', null, h('th', null, tr('node')), h('th', null, tr('field')), head(va), head(vb), h('th', null, h('span', { class: 'sr' }, tr('differs'))))),
      h('tbody', null, rows)));
    const differ = diffs.length, total = differ + same.length;
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
    const item = (x, note) => h('li', null, h('b', null, `${secs(x.t)} ${x.node} `), `${x.what} `, h('span', { 'data-redis': '' }, x.redis), note);
    const list = (v, xs, cls) => {
      const reasons = why.lines(xs), told = new Set();
      return h('div', { class: `cmp-only ${cls}` },
        h('h3', null, tr('Only on {0} ({1})', v.full, xs.length)),
        xs.length ? h('ol', { class: 'mono' }, xs.slice(0, LIST_MAX).map((x, i) => {
          const r = reasons[i];
          // A reason once per list, on the first line it explains.
          const first = r && !told.has(r);
          if (r) told.add(r);
          const li = item(x, first ? reason(tr(r)) : null);
          if (r) li.classList.add('has-why');
          return li;
        }),
        xs.length > LIST_MAX ? h('li', { class: 'hint' }, tr('… and {0} more', xs.length - LIST_MAX)) : null) : h('p', { class: 'hint' }, tr('nothing')));
    };
    // Lines that differ only in Valkey's words: counted as the same, each text shown once.
    const seen = new Map(), once = [];
    for (const [x, y] of worded) {
      const k = `${x.what}|${x.redis}|${y.redis}`;
      if (seen.has(k)) seen.get(k)[2]++; else { const o = [x, y, 1]; seen.set(k, o); once.push(o); }
    }
    const summary = tr('{0} of {1} values differ; {2} messages or log lines on one side only.', differ, total, onlyA.length + onlyB.length);
    return h('div', { class: 'cmp-body' },
      h('p', { class: `cmp-sum${differ || onlyA.length || onlyB.length ? ' diff' : ''}`, id: 'cmp-sum' }, summary,
        worded.length ? h('span', { class: 'cmp-sum-words' }, ' ', tr('{0} more lines differ only in Valkey’s words (primary for master, replica for slave) and count as the same.', worded.length)) : null),
      pinned.length ? h('p', { class: 'hint', id: 'cmp-pinned' }, tr('The same version on both sides (their node line names it): {0}', ''), h('span', { 'data-redis': '' }, pinned.join(', '))) : null,
      diff.length ? table(diff) : null,
      exp.length ? h('div', { class: 'cmp-exp' }, h('h3', null, tr('Expects that hold on one side only')), h('ul', null, exp)) : null,
      h('div', { class: 'cmp-lists' }, list(va, onlyA, 'a'), list(vb, onlyB, 'b')),
      rough ? h('p', { class: 'hint' }, tr('The logs are too long to align line by line: everything between the first and the last difference is listed.')) : null,
      A.full || B.full ? h('p', { class: 'hint' }, tr('Only the first {0} records of each log were compared.', EVENTS_MAX)) : null,
      once.length ? h('details', { class: 'cmp-words', id: 'cmp-words' },
        h('summary', null, tr('{0} log lines the same but for Valkey’s words ({1} different texts)', worded.length, once.length)),
        h('ol', { class: 'mono' }, once.slice(0, LIST_MAX).map(([x, y, k]) => item(x, h('span', { class: 'cmp-worded' },
          k > 1 ? tr('×{0} (the first shown); ', k) : null, tr('wording on {0}:', vb.full), ' ', h('span', { 'data-redis': '', title: y.redis }, wording(x.redis, y.redis))))),
        once.length > LIST_MAX ? h('li', { class: 'hint' }, tr('… and {0} more', once.length - LIST_MAX)) : null)) : null,
      same.length ? h('details', { class: 'cmp-same' }, h('summary', null, tr('{0} values the same on both', same.length)), table(same)) : null);
  }
}
