// The decision explainer: what the master checked when a replica sent PSYNC, in
// Redis's order (masterTryPartialResynchronization), with the values that decided,
// the verdict, and the master's own log line. Rendered from the core's Decision
// record; the page adds words, never logic.

import { h, s, fill, short, secs, tr, dur } from './dom.js';
import { Playground } from '../pkg/replscope.js';

const ORDER = ['replid', 'replid2_offset', 'backlog_exists', 'offset_ge_first_byte', 'offset_le_window_end'];
const PENDING = {
  replid2_offset: 'asked offset ≤ second_repl_offset',
  backlog_exists: 'the master has a backlog',
  offset_ge_first_byte: 'asked offset ≥ the backlog’s first byte',
  offset_le_window_end: 'asked offset ≤ first byte + histlen',
};
const WHY = {
  replid: 'Whose history? Only the master’s own replid, or the replid2 it inherited when promoted, can be continued.',
  replid2_offset: 'The inherited history is valid only up to where it ended.',
  backlog_exists: 'Without a backlog there is nothing to resend from.',
  offset_ge_first_byte: 'The first byte the replica lacks must still be in the backlog…',
  offset_le_window_end: '…and must not be ahead of the master (master_repl_offset + 1 means “caught up”, 0 bytes).',
};

// The core's check texts (crate/repl/psync.rs), as templates: the page shows them in the
// language chosen (the values come back through {0}…; a phrase captured is translated
// too). A text that matches none is shown as the core wrote it.
const CHECK_TEXT = [
  'replica asked for a full resync (PSYNC ? -1: no cached master)',
  'replid {0} = my replid',
  'replid {0} = my replid2 ({1})',
  'replid {0} is neither my replid {1} nor my replid2 {2}',
  '{0} <= second_repl_offset {1}', '{0} > second_repl_offset {1}',
  'I have no replication backlog',
  'backlog holds {0} bytes from offset {1}',
  '{0} >= first byte {1}', '{0} < first byte {1}',
  '{0} <= first byte + histlen = {1} + {2} = {3}', '{0} > first byte + histlen = {1} + {2} = {3}',
];
const PATTERNS = CHECK_TEXT.map((k) => [k, new RegExp(`^${k.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\d\}/g, '(.+?)')}$`)]);
function checkText(text) {
  for (const [k, re] of PATTERNS) {
    const m = re.exec(text);
    if (m) return tr(k, ...m.slice(1).map((g) => tr(g)));
  }
  return text;
}

function reason(d, rep, m) {
  const bl = d.master.backlog;
  switch (d.verdict.reason) {
    case 'replica_asked_for_full': return tr('{0} has no replication history to continue, so it asked PSYNC ? -1.', rep);
    case 'replid_mismatch': return tr('{0} holds the history of replication ID {1}, which {2} does not continue.', rep, short(d.asked_replid), m);
    case 'offset_beyond_second_replid': return tr('{0} asked for byte {1}, past the end of the inherited history ({2}).', rep, d.asked_offset, d.master.second_repl_offset);
    case 'no_backlog': return tr('{0} keeps no backlog, so there is nothing to resend from.', m);
    case 'offset_before_backlog': return tr('the bytes {0} needs (from {1}) have already left {2}’s backlog (first byte {3}): the backlog overflowed.', rep, d.asked_offset, m, bl[0]);
    case 'offset_after_backlog': return tr('{0} asked for byte {1}, beyond {2}’s newest byte {3}.', rep, d.asked_offset, m, d.master.master_repl_offset);
    default: return '';
  }
}

/** The case the core named beside the checks (DecisionRecord.situation), in words. */
function situationNote(r, rep, m) {
  const c = r.situation;
  if (!c) return null;
  if (c.case === 'restart') {
    return h('div', { class: 'dec-case info' }, h('b', null, tr('A restart, not a promotion. ')),
      tr('{0} restarted and reloaded its history from its RDB (replid2 {1}, second_repl_offset {2}): the RDB keeps the replication ID and offset as aux fields, so a replica that was in sync can continue.', m, short(c.replid2), c.second_repl_offset));
  }
  if (c.case === 'came_back_empty') {
    return h('div', { class: 'dec-case warn', role: 'note' }, h('b', null, tr('⚠ The “master without persistence” pitfall. ')),
      tr(c.replica_keys === 1 ? '{0} came back empty ({2}), with a new replication ID: the full sync will wipe {1}’s only key.' : '{0} came back empty ({2}), with a new replication ID: the full sync will wipe {1}’s {3} keys.',
        m, rep, tr(c.had_rdb ? 'its RDB file held no keys' : 'no RDB file to load'), c.replica_keys),
      tr(' Fix: persistence on the master, or no automatic restart (promote a replica instead).'));
  }
  return null;
}

/**
 * Why the replica's link dropped before this decision, when the master closed it for
 * client-output-buffer-limit: read back from the core's event trace (the master's own log
 * lines "Client id=… addr=… omem=… closed for overcoming of output buffer limits." and
 * "Connection with replica … lost."), nearest first from the decision's record. Only the
 * most recent close of that replica's link counts; a close for another reason, a decision
 * for the same replica or a start of its process or the master's before any close, or a
 * trace that no longer holds them (it looks back 4,096 records at most): null.
 */
function obufDrop(pg, r) {
  const d = r.decision, rep = d.replica, m = r.node, host = rep.replace(/:\d+$/, '');
  const one = (seq) => pg.events_since(seq, 1)[0];
  const first = one(0), last = pg.events_latest(0, 1)[0];
  if (!first || !last || r.t_us == null || first.t_us > r.t_us) return null;
  // The first record after the decision's moment (binary search on seq: the trace is in time order).
  let lo = first.seq, hi = last.seq + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2), e = one(mid);
    if (!e || e.t_us > r.t_us) hi = mid; else lo = e.seq + 1;
  }
  const lost = `Connection with replica ${rep} lost.`;
  const closed = /^Client id=\d+ addr=(\S+) flags=S omem=(\d+) closed for overcoming of output buffer limits\.$/;
  let seen = false, drop = null, n = 0;
  for (let end = lo; end > first.seq && n < 4096;) {
    const from = Math.max(first.seq, end - 256);
    const evs = pg.events_since(from, end - from).filter((e) => e.seq < end);
    n += evs.length;
    for (let i = evs.length - 1; i >= 0; i--) {
      const e = evs[i], x = e.event.detail;
      // The replica's process or the master's started since: its PSYNC is not about an older link.
      if (e.event.kind === 'start' && (e.node === host || e.node === m) && seen) return null;
      if (e.node !== m || e.event.kind !== 'node') continue;
      if (drop) {
        // The lost line's close: the obuf line just before it, at the same moment.
        if (e.t_us !== drop.t_us) return null;
        const c = x.kind === 'log' && closed.exec(x.text);
        if (c && c[1] === rep) return { t_us: e.t_us, omem: Number(c[2]) };
        continue;
      }
      if (x.kind === 'psync_decision' && x.replica === rep) {
        if (seen) return null;            // an earlier decision for it, and no close since
        seen = x.asked_offset === d.asked_offset && x.asked_replid === d.asked_replid;
        continue;
      }
      if (seen && x.kind === 'log' && x.text === lost) drop = e;
    }
    end = from;
  }
  return null;
}

/**
 * A statement that may change a node's client-output-buffer-limit or repl-backlog-size:
 * a CONFIG command (CONFIG SET, in MULTI too), one naming the parameters, a node's
 * declaration, or a (re)start (a restarted node reloads its config file).
 */
const CHANGES_CONFIG = /\bconfig\b|client-output-buffer-limit|repl-backlog-size|^\s*(node|version|seed|crash|restart|start|send)\b/i;

/**
 * Node `m`'s configuration as it was at `t_us` (a drop's moment), for the drop note: the
 * one in force now when no statement since could have changed it; otherwise rebuilt from
 * the statements applied before `t_us` in a scratch world (the core's own config, with
 * the same seed), within a bounded time. null when that cannot be known: statements
 * forgotten to bound memory, a change at the very moment, or a rebuild too long.
 */
function configAt(pg, m, t) {
  const n = pg.actions_len();
  // The first statement at t or later (statements are logged in time order).
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pg.actions_since(mid, 1)[0].t_us < t) lo = mid + 1; else hi = mid;
  }
  const later = pg.actions_since(lo).filter((a) => CHANGES_CONFIG.test(a.text));
  if (!later.length) return pg.config(m);
  if (later.some((a) => a.t_us === t) || pg.kept_from_ms() > 0) return null;
  let text = '', at = 0;
  for (const a of pg.actions_since(0, lo)) {
    if (a.t_us > at) text += `wait ${dur(a.t_us - at)}\n`;
    text += `${a.text.trim()}\n`;
    at = a.end_t_us;
  }
  if (t > at) text += `wait ${dur(t - at)}\n`;
  let w = null;
  try {
    w = new Playground(text, pg.seed(), true);
    const until = performance.now() + 400;
    while (!w.load(1000)) if (performance.now() > until) return null;
    return w.config(m);
  } catch {
    return null;
  } finally {
    if (w) w.free();
  }
}

/** A size as redis.conf writes it: 64kb, 256mb, 1gb (bytes when not a whole unit). */
function confSize(b) {
  for (const [u, n] of [['gb', 1 << 30], ['mb', 1 << 20], ['kb', 1 << 10]]) if (b && b % n === 0) return `${b / n}${u}`;
  return String(b);
}
/** A size for a reader: 64 KB, 1.5 MB. */
function readSize(b) {
  for (const [u, n] of [['GB', 1 << 30], ['MB', 1 << 20], ['KB', 1 << 10]]) if (b >= n) return `${+(b / n).toFixed(1)} ${u}`;
  return `${b} B`;
}

/** The "why the link dropped" note (obufDrop), with the master's replica limit in words. */
function dropNote(drop, r, rep, m, cfg) {
  const get = (k) => ((cfg || []).find(([x]) => x === k) || [])[1];
  const words = (get('client-output-buffer-limit') || '').split(/\s+/);
  const at = words.findIndex((x) => x === 'slave' || x === 'replica');
  const [hard, soft, sec] = at < 0 ? [] : words.slice(at + 1, at + 4).map(Number);
  const size = Number(get('repl-backlog-size')) || 0;
  let lim = '', parts = '';
  if (hard != null && !Number.isNaN(hard + soft + sec)) {
    lim = ` replica ${confSize(hard)} ${confSize(soft)} ${sec}`;
    parts = [
      !hard ? tr('no hard limit') : hard < size ? tr('hard limit {0}, raised to repl-backlog-size {1}', readSize(hard), readSize(size)) : tr('hard limit {0}', readSize(hard)),
      soft ? tr('soft {0} for {1} s', readSize(soft), sec) : tr('no soft limit'),
    ].join(' / ');
  }
  return h('div', { class: 'dec-case warn', role: 'note', 'data-drop': 'obuf' }, h('b', null, tr('Why the link dropped: ')),
    tr(parts ? 'at t = {0} s, {1} closed {2}’s link because its output buffer ({3} bytes) passed client-output-buffer-limit{4} ({5}).' : 'at t = {0} s, {1} closed {2}’s link because its output buffer ({3} bytes) passed client-output-buffer-limit.',
      secs(drop.t_us), m, rep, drop.omem, lim, parts),
    tr(' Then it reconnected and asked PSYNC:'));
}

/**
 * Redis 8.0's rdb channel (Decision.channel): the main connection's PSYNC answered
 * +RDBCHANNELSYNC, or the second connection's own PSYNC ? -1.
 */
function channelNote(d, rep, m, reply) {
  if (d.channel === 'main') {
    return h('div', { class: 'dec-case info' }, h('b', null, tr('Two connections. ')),
      tr('{0} answers {1} on this connection, and {2} opens a second one to {0}, the rdb channel, for the RDB. Writes made meanwhile stream to {2} on this connection and wait in {2}’s buffer, not in {0}’s (as in Redis 7.0). sync_full counts the rdb channel’s PSYNC, not this one.', m, reply, rep));
  }
  if (d.channel === 'rdb') {
    return h('div', { class: 'dec-case info' }, h('b', null, tr('The rdb channel. ')),
      tr('{0} opened this second connection only to receive the RDB, so it asks PSYNC ? -1: {1} answers +FULLRESYNC and sends the RDB here, while the stream goes on over the main connection. This PSYNC is the one counted in sync_full.', rep, m));
  }
  return null;
}

/**
 * A PSYNC … FAILOVER (Decision.failover): the replica's old master, failing over to it,
 * asked; the replica promoted itself on that request before deciding.
 */
function failoverNote(d, rep, m, partial) {
  if (!d.failover) return null;
  return h('div', { class: 'dec-case info' }, h('b', null, tr('A coordinated failover. ')),
    tr('{0} ran FAILOVER: it paused writes until {1} had acknowledged its whole stream, became {1}’s replica and asked PSYNC … FAILOVER. On that request {1} promoted itself (its replid became replid2, valid up to offset {2}) and answered as the new master.', rep, m, d.master.second_repl_offset),
    partial ? tr(' {0}’s history is that replid2, so it continues without a full sync.', rep) : null);
}

/** The +RDBCHANNELSYNC reply as the master sent it (its client id), if the page still has the event. */
function rdbChannelReply(w, r, rep) {
  const e = w && w.events && w.events.find((x) => x.t_us === r.t_us && x.node === r.node && x.event.kind === 'send' && x.event.to === rep && x.event.what === 'psync_reply' && /^\+RDBCHANNELSYNC/.test(x.event.preview));
  return e ? e.event.preview.replace(/\\r\\n$/, '') : '+RDBCHANNELSYNC';
}

/** Replicas of each other (NodeView.problem), with the cause the core found. */
function loopNote(view) {
  const n = view && view.nodes.find((x) => x.problem);
  if (!n) return null;
  const p = n.problem, names = p.nodes.join(p.nodes.length === 2 ? ' ⇄ ' : ' → ');
  const cause = p.restarted_from_config.map((x) => {
    const node = view.nodes.find((y) => y.name === x);
    return tr(' {0} restarted and followed replicaof {1} from its config file: REPLICAOF NO ONE is not written to the config file unless CONFIG REWRITE saves it.', x, node ? node.master_host : '?');
  });
  return h('div', { class: 'dec-case warn', role: 'note' }, h('b', null, tr('⚠ Replicas of each other: {0}. ', names)),
    p.reply ? tr('A replica answers PSYNC only while it is linked to its own master, so each answers the other with {0} and no link comes up.', p.reply.split(' ')[0])
      : tr('No node of the loop is a master, so none of them takes writes.'),
    cause,
    tr(' Fix: REPLICAOF NO ONE on the node that should be the master (and CONFIG REWRITE, so that a restart keeps it).'));
}

/**
 * The replicas whose card says offset 1 because they have no master client yet (before
 * their first RDB is loaded, or with the master down): Redis's INFO default, which puzzles
 * a newcomer beside a master at 0. Node::replica_offsets in the core is the rule.
 */
export function offsetOne(view) {
  return view ? view.nodes.filter((n) => n.role === 'replica' && n.status === 'running' && n.link_state !== 'connected' && n.slave_repl_offset === 1).map((n) => n.name) : [];
}

/** Why `names` (offsetOne) show offset 1, in a sentence. */
export function offsetOneWords(names) {
  return names.length > 1
    ? tr('{0} show offset 1 until they have loaded their master’s RDB: with no master client yet, Redis’s INFO reports slave_repl_offset 1 by default. Then each takes the offset +FULLRESYNC gave.', names.join(tr(', ')))
    : tr('{0} shows offset 1 until it has loaded its master’s RDB: with no master client yet, Redis’s INFO reports slave_repl_offset 1 by default. Then it takes the offset +FULLRESYNC gave.', names[0]);
}

/** The partitioned links, "m ↔ r1, m ↔ r2" (empty when none is). */
function partitioned(view) {
  return view ? view.links.filter((l) => l.state === 'partitioned').map((l) => `${l.a} ↔ ${l.b}`).join(', ') : '';
}

export class Decisions {
  constructor(body, hist, ui) {
    this.body = body;
    this.hist = hist;
    this.ui = ui;
    this.sig = '';
    // healed.js loads on first use: once a link is partitioned (a heal may follow), or the
    // log shows a heal (a rewind or a link that opens after one). A partition lasts at
    // least a frame or two, so the note is ready when its heal comes.
    this.healed = null;
    this.healedAsked = false;
    this.healScanned = -1;
  }

  /** The healed note (healed.js), or null while its module is not needed or not loaded yet. */
  healedNote(w) {
    if (this.healed) return this.healed.note(w);
    if (this.healedAsked || !w.view) return null;
    let need = w.view.links.some((l) => l.state === 'partitioned');
    const evs = w.events;
    if (evs.length && evs[evs.length - 1].seq < this.healScanned) this.healScanned = -1;
    for (let i = evs.length - 1; !need && i >= 0 && evs[i].seq > this.healScanned; i--) need = evs[i].event.kind === 'fault';
    if (evs.length) this.healScanned = evs[evs.length - 1].seq;
    if (need) {
      this.healedAsked = true;
      import('./healed.js').then((m) => { this.healed = new m.Healed(); this.ui.dirty = true; },
        () => { this.healedAsked = false; /* asked again on the next fault */ });
    }
    return null;
  }

  current(w) {
    const i = this.ui.decSel;
    if (i != null && w.dec(i)) return i;
    // A lesson hides the decisions its setup made (ui.decFrom): they are not its story.
    // After a seek before the decisions kept, the last one made may not be held.
    const last = w.decPast - 1;
    return last >= (this.ui.decFrom || 0) && last >= w.decBase ? last : null;
  }

  render(w) {
    this.w = w;
    const cur = this.current(w);
    const loop = w.view && w.view.nodes.find((x) => x.problem);
    const cut = partitioned(w.view);
    // A partition healed in time: the held bytes arrived, and no decision came (healed.js).
    const healed = this.healedNote(w);
    const ones = offsetOne(w.view);
    const sig = `${w.opened}/${w.decBase}/${w.decEnd}/${w.decPast}/${cur}/${this.ui.hint}/${this.ui.acted}/${this.ui.decFrom}/${loop ? JSON.stringify(loop.problem) : ''}/${cut}/${healed ? healed.key : ''}/${ones}`;
    if (sig === this.sig) return;
    this.sig = sig;
    this.renderHistory(w, cur);
    const cutNote = cut ? h('p', { class: 'dec-case', role: 'note' }, tr('{0} is partitioned: no connection closes, so no replica asks PSYNC yet. Healed before repl-timeout, the held bytes arrive and replication goes on with no new decision; past it, both sides drop the link, and the replica asks PSYNC once it can reconnect (shown here).', cut)) : healed ? healed.el() : null;
    // A replica at offset 1 beside a master at 0 (its first sync): one quiet line says why.
    const oneNote = ones.length ? h('p', { class: 'hint dec-one', role: 'note', style: 'margin:0 0 8px' }, offsetOneWords(ones)) : null;
    if (loop) {
      fill(this.body, loopNote(w.view), cutNote, oneNote, cur == null ? null : this.explain(w.dec(cur), cur >= w.decPast, null));
      return;
    }
    if (cur == null) {
      fill(this.body, cutNote, oneNote, h('div', { class: 'dec-empty' },
        h('p', null, w.decPast > (this.ui.decFrom || 0) ? tr('The last decision before this moment is no longer kept: the page keeps the newest {0}. Play on to see the next one.', '2,000')
          : this.ui.decFrom ? tr('No replica has sent PSYNC since this lesson began (the setup’s syncs are in the timeline). When one does, this panel shows the master’s checks, in Redis’s order, with the values that decide between a partial resync (+CONTINUE) and a full one (+FULLRESYNC).')
          : tr('No replica has asked to sync yet. When one sends PSYNC, this panel shows the master’s checks, in Redis’s order, with the values that decided between a partial resync (+CONTINUE) and a full one (+FULLRESYNC).')),
        this.ui.hint ? h('p', null, h('b', null, tr('Try: ')), this.ui.hint) : null));
      return;
    }
    fill(this.body, cutNote, oneNote, this.explain(w.dec(cur), cur >= w.decPast, this.ui.hint));
    // A decision that just happened announces itself (motion-reduced: no animation).
    if (this.ui.decSel == null && cur !== this.lastCur && this.lastCur !== undefined) this.body.querySelector('.verdict').classList.add('new');
    this.lastCur = cur;
  }

  renderHistory(w, cur) {
    const from = Math.max(this.ui.decFrom || 0, w.decBase, w.decEnd - 40);
    const chips = [];
    // Those forgotten to bound memory (a reconnect loop makes a hundred a second) are
    // counted, not shown; a lesson's setup is not counted (the panel hides it).
    const forgot = w.decBase - (this.ui.decFrom || 0);
    if (forgot > 0) {
      chips.push(h('span', { class: 'hint dec-forgot', style: 'white-space:nowrap;align-self:center', title: tr('Dropped to bound memory: the page keeps the newest {0} decisions.', '2,000') },
        tr(forgot === 1 ? '{0} earlier decision not kept' : '{0} earlier decisions not kept', forgot.toLocaleString('en-US'))));
    }
    for (let i = from; i < w.decEnd; i++) {
      const r = w.dec(i);
      const partial = r.decision.verdict.verdict === 'continue';
      const rep = r.decision.replica.replace(/:\d+$/, '');
      const main = r.decision.channel === 'main';
      chips.push(h('button', {
        class: `dchip ${partial ? 'partial' : 'full'}${i >= w.decPast ? ' future' : ''}`,
        'aria-pressed': String(i === cur),
        title: tr('{0} s: {1} → {2}, {3}{4}. Click to go there.', secs(r.t_us), rep, r.node, partial ? '+CONTINUE' : main ? '+RDBCHANNELSYNC' : '+FULLRESYNC', i >= w.decPast ? tr(' (later in this run)') : ''),
        onclick: () => this.ui.showDecision(i),
      }, `${partial ? '◇' : '◆'} ${rep} ${partial ? tr('partial') : main ? tr('full, 2 connections') : tr('full')} ${secs(r.t_us)}s`));
    }
    fill(this.hist, chips);
    const pressed = this.hist.querySelector('[aria-pressed=true]');
    if (pressed) this.hist.scrollLeft = pressed.offsetLeft - this.hist.clientWidth + pressed.offsetWidth + 8;
  }

  /** obufDrop for record `r`, looked up once per decision (a reconnect loop renders many). */
  dropOf(r) {
    if (!this.drops || this.dropsOf !== this.w.pg) { this.drops = new WeakMap(); this.dropsOf = this.w.pg; }
    if (!this.drops.has(r)) this.drops.set(r, obufDrop(this.w.pg, r));
    return this.drops.get(r);
  }

  /** m's configuration at the drop's moment (configAt), looked up once per decision and statement count. */
  cfgOf(r, drop, m) {
    if (!this.cfgs || this.cfgsOf !== this.w.pg) { this.cfgs = new WeakMap(); this.cfgsOf = this.w.pg; }
    const n = this.w.pg.actions_len(), c = this.cfgs.get(r);
    if (c && c.n === n) return c.cfg;
    const cfg = configAt(this.w.pg, m, drop.t_us);
    this.cfgs.set(r, { n, cfg });
    return cfg;
  }

  explain(r, future, hint) {
    const d = r.decision;
    const partial = d.verdict.verdict === 'continue';
    const rep = d.replica.replace(/:\d+$/, '');
    const m = r.node;
    const out = [];
    out.push(h('div', { class: 'dec-req' },
      r.t_us == null ? null : h('span', null, 't = ', h('b', null, secs(r.t_us)), ' s'),   // none: a real cluster's decision (diagnose.js)
      h('span', null, h('b', null, rep), ' → ', h('b', null, m)),
      h('span', null, h('b', null, `PSYNC ${d.asked_replid === '?' ? '?' : short(d.asked_replid)} ${d.asked_offset}`)),
      future ? h('span', null, tr('(later in this run: you rewound)')) : null));
    const bl = d.master.backlog;
    const b = d.verdict.bytes;
    const v2 = partial
      ? tr(!b ? 'Partial resync: {0} sends {1} only the 0 bytes it missed (it was caught up).' : b === 1 ? 'Partial resync: {0} sends {1} only the 1 byte it missed, offset {3}.' : 'Partial resync: {0} sends {1} only the {2} bytes it missed, offsets {3} … {4}.', m, rep, b, d.asked_offset, d.asked_offset + b - 1) +
        (!d.verdict.via_replid2 ? '' : r.situation && r.situation.case === 'restart' ? tr(' It continues the history from before the restart (replid2).') : tr(' It continues the history it inherited (replid2).'))
      : d.channel === 'main' ? tr('Full resync, over a second connection (Redis 8.0’s rdb channel), because {0}', reason(d, rep, m))
      : d.channel === 'rdb' ? tr('Full resync on the rdb channel: {0} forks a child that writes the RDB straight into this second connection.', m)
      : tr('Full resync: {0} will fork a child to run BGSAVE and ship an RDB snapshot, because {1}', m, reason(d, rep, m));
    const reply = d.channel === 'main' ? rdbChannelReply(this.w, r, rep) : null;
    // A full resync after the master dropped the link for its output-buffer limit: that first.
    const drop = !partial && d.channel !== 'rdb' && !future && this.w && this.w.pg ? this.dropOf(r) : null;
    if (drop) out.push(dropNote(drop, r, rep, m, this.cfgOf(r, drop, m)));
    out.push(h('div', { class: `verdict ${partial ? 'partial' : 'full'}`, 'data-channel': d.channel || null }, d.channel === 'main' ? icon2() : icon(partial),
      h('div', { class: 'v1', 'data-redis': '' }, partial ? `+CONTINUE ${short(d.master.replid)}` : reply || '+FULLRESYNC'),
      h('div', { class: 'v2' }, v2)));
    out.push(channelNote(d, rep, m, reply));
    out.push(failoverNote(d, rep, m, partial));
    out.push(situationNote(r, rep, m));
    // Redis starts a backlog from scratch under a new replication ID: a later decision shows another replid.
    if (!partial && !bl && d.channel !== 'rdb') out.push(h('div', { class: 'dec-case info' }, tr('{0} has no backlog yet: it creates one for this sync and, as Redis does whenever it starts a backlog from scratch, takes a new replication ID. A decision after this one shows {0} with that other replid.', m)));
    const done = new Set(d.checks.map((c) => c.id));
    const failed = d.checks.some((c) => !c.passed);
    // The reason under a check only where it decided (a failure, or the last check passed).
    const why = (c) => tr(d.channel === 'rdb' ? 'The rdb channel always asks PSYNC ? -1: it exists only to carry the RDB.' : d.asked_replid === '?' ? 'A replica with no cached master (never synced, or it just full-synced elsewhere) asks for a full sync on purpose.' : WHY[c.id] || '');
    const items = d.checks.map((c, i) => h('li', { class: c.passed ? 'pass' : 'fail', title: why(c) },
      h('span', { class: 'mark', 'aria-label': c.passed ? tr('passed') : tr('failed') }, c.passed ? '✓' : '✕'),
      h('span', { class: 'txt' }, checkText(c.text)),
      !c.passed || (partial && i === d.checks.length - 1) ? h('span', { class: 'why' }, why(c)) : null));
    if (failed && d.asked_replid !== '?') {
      const last = ORDER.indexOf(d.checks[d.checks.length - 1].id);
      for (const id of ORDER.slice(last + 1)) {
        if (id === 'replid2_offset') continue;
        items.push(h('li', { class: 'skip', title: tr('Redis stops at the first failed check.') }, h('span', { class: 'mark' }, '–'), h('span', { class: 'txt' }, tr('not checked: {0}', tr(PENDING[id])))));
      }
    }
    out.push(h('ol', { class: 'checks', 'aria-label': tr('Checks, in the order Redis makes them') }, items));
    out.push(h('p', { class: 'logline' }, h('span', { class: 'who' }, tr('{0} log: ', m)), h('span', { 'data-redis': '' }, d.log.join('\n'))));
    if (bl && done.has('backlog_exists')) out.push(windowBar(d, partial), blocksNote(bl[1], this.w?.node?.(m)));
    if (hint && !future && !this.ui.acted) out.push(h('p', { class: 'hint' }, h('b', null, tr('Try: ')), hint));
    return out;
  }
}

/** A parcel for a full sync, a thin dotted stream for a partial one. */
function icon(partial) {
  if (partial) {
    return s('svg', { viewBox: '0 0 48 40', 'aria-hidden': 'true' },
      s('path', { d: 'M4 20H44', stroke: 'currentColor', 'stroke-width': 2, 'stroke-dasharray': '1 4', 'stroke-linecap': 'round' }),
      s('path', { d: 'M36 13l8 7l-8 7', fill: 'none', stroke: 'currentColor', 'stroke-width': 2.5 }));
  }
  return s('svg', { viewBox: '0 0 48 40', 'aria-hidden': 'true' },
    s('rect', { x: 5, y: 8, width: 38, height: 26, rx: 3, fill: 'currentColor' }),
    s('path', { d: 'M5 16H43M24 8V16', stroke: 'var(--panel)', 'stroke-width': 2 }),
    s('text', { x: 24, y: 30, 'text-anchor': 'middle', fill: 'var(--panel)', 'font-size': 10, 'font-weight': 800 }, 'RDB'));
}

/** Redis 8.0's rdb channel: two lines, the RDB parcel on one, the dotted stream on the other. */
function icon2() {
  return s('svg', { viewBox: '0 0 48 40', 'aria-hidden': 'true' },
    s('rect', { x: 5, y: 4, width: 30, height: 17, rx: 3, fill: 'currentColor' }),
    s('text', { x: 20, y: 16.5, 'text-anchor': 'middle', fill: 'var(--panel)', 'font-size': 9, 'font-weight': 800 }, 'RDB'),
    s('path', { d: 'M39 12.5h5', stroke: 'currentColor', 'stroke-width': 2 }),
    s('path', { d: 'M4 31H44', stroke: 'currentColor', 'stroke-width': 2, 'stroke-dasharray': '1 4', 'stroke-linecap': 'round' }),
    s('path', { d: 'M37 25l7 6l-7 6', fill: 'none', stroke: 'currentColor', 'stroke-width': 2.5 }));
}

/** The backlog check drawn: the window, and where the asked offset fell. */
/**
 * A backlog holding more than repl-backlog-size (read from the master's node now): why,
 * or a reader who set 16kb expects a full resync at 16 KB and sees +CONTINUE.
 */
function blocksNote(histlen, node) {
  const size = node && node.backlog ? node.backlog.size_limit : 0;
  if (!size || histlen <= size) return null;
  return h('p', { class: 'hint' }, tr('It holds more than repl-backlog-size ({0} bytes): Redis keeps the backlog in blocks of 16 KB or more, and drops its oldest block only when the bytes left would still be more than that size and no replica still reads the block. So it holds up to about a block more than configured.', size));
}

function windowBar(d, partial) {
  const [first, histlen] = d.master.backlog;
  const end = first + histlen;
  const a = d.asked_offset;
  const lo = Math.min(first, a), hi = Math.max(end, a);
  const span = Math.max(1, hi - lo);
  const x = (o) => 10 + ((o - lo) / span) * 280;
  const col = partial ? 'var(--partial)' : 'var(--down)';
  // The sentence under the bar is text, not SVG: with offsets in the millions it is wider
  // than the bar's 300 units, and centred in the SVG it was cut on the left.
  return h('div', { class: 'winbar' }, s('svg', { viewBox: '0 -4 300 36', preserveAspectRatio: 'xMinYMid meet', role: 'img', 'aria-label': tr('asked {0}, window {1} to {2}', a, first, end) },
    s('line', { x1: 4, x2: 296, y1: 22, y2: 22, stroke: 'var(--muted)' }),
    s('rect', { x: x(first), y: 15, width: Math.max(2, x(end) - x(first)), height: 14, rx: 2, fill: 'var(--partial-bg)', stroke: 'var(--partial)' }),
    s('path', { d: `M${x(a)} 14l-5 -8h10z`, fill: col }),
    s('text', { x: x(a), y: 6, 'text-anchor': x(a) > 200 ? 'end' : 'start', dx: x(a) > 200 ? -8 : 8, fill: col, 'font-weight': 700 }, tr('asked {0}', a))),
    h('div', { class: 'wb-cap' }, tr('continues from {0} to {1} + {2} = {3}', first, first, histlen, end)));
}
