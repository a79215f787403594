// The event log, read from the core's trace records (seq.js draws the same records as a
// sequence diagram, with these filters).
// Payloads are shown as the core escapes them (\r\n visible), so the bytes that offsets
// count are the bytes on screen.

import { h, fill, setText, secs, tr } from './dom.js';
import { TRACE_KEEP } from './world.js';

const ROWS = 200;      // DOM rows the log keeps
const NEW_ROWS = 12;   // rows added per frame at most (under load nobody reads them all)
const SEARCH_EVERY_MS = 300;   // a filtered log searches the core's history at most this often (~5 ms per 1,000 records)

function category(e) {
  const k = e.event.kind;
  if (k === 'send' || k === 'deliver') return 'msg';
  if (k === 'command' || k === 'reply') return 'cmd';
  if (k === 'node') return e.event.detail.kind === 'log' ? 'log' : 'repl';
  return 'net';
}

/** Heartbeat traffic (ACKs, pings, keepalives) can be hidden to see the rest. */
export function heartbeat(e) {
  const v = e.event;
  if (v.kind === 'send') return v.what === 'ack' || v.what === 'keepalive' || (v.what === 'stream' && v.preview === '*1\\r\\n$4\\r\\nping\\r\\n');
  return false;
}

/** A row is one line (its title keeps the full text): a multi-line reply such as an
 * array's `1) "a"` / `2) "b"` is shown on it with its lines separated by spaces. */
const oneLine = (text) => text.replace(/\s*\n\s*/g, '  ');

// The page's names for what the core records (dictionary keys: tr() gives them in the
// language shown). Redis's own words (commands, replies, log lines, RESP) stay as sent.
const WHAT = { stream: 'stream', ack: 'ACK', handshake: 'handshake', rdb: 'RDB', psync_reply: 'PSYNC reply', keepalive: 'keepalive', reply: 'reply' };
const LINK = { none: 'none', connect: 'to connect', connecting: 'connecting', handshake: 'handshake', transfer: 'receiving the RDB', connected: 'connected' };
const CLOSED = { peer_closed: 'closed by the peer', reset: 'connection reset', refused: 'connection refused' };
/** Why a full resync, in a few words (the event log, the sequence diagram, the ruler). */
export const FULL = {
  replica_asked_for_full: 'the replica asked for it',
  replid_mismatch: 'replid mismatch',
  offset_beyond_second_replid: 'past the end of replid2',
  no_backlog: 'no backlog',
  offset_before_backlog: 'before the window',
  offset_after_backlog: 'ahead of the master',
};
const word = (map, k) => (map[k] ? tr(map[k]) : k);

/**
 * One record as [kind column, the page's words, Redis's words, extra class]: the last
 * is shown as Redis (or the scenario) wrote it, in an element marked data-redis.
 */
function describe(e) {
  const v = e.event;
  switch (v.kind) {
    case 'send': return [`→ ${v.to}`, v.what === 'rdb' ? `RDB ${v.len} B` : `${word(WHAT, v.what)} ${v.len} B`, v.preview, v.what === 'rdb' ? 'send rdbrow' : 'send'];
    case 'deliver': return [`← ${v.from}`, tr('{0} B arrived', v.len), '', 'deliver'];
    case 'command': return [tr('command'), '', `> ${v.argv.join(' ')}`, 'cmd'];
    case 'reply': return [tr('reply'), '', v.text, 'cmd'];
    case 'fault': return [tr(v.verb), '', `${v.verb} ${v.a} ${v.b}`, 'fault'];
    case 'start': return [tr('start'), '', `run_id ${v.run_id}`, 'fault'];
    case 'crash': return [tr('crash'), tr('killed (kill -9): nothing saved'), '', 'crash'];
    case 'exit': return [tr('exit'), tr('SHUTDOWN finished'), '', 'crash'];
    case 'connect': return [tr('connect'), `fd ${v.fd} → ${v.to}`, '', 'net'];
    case 'accept': return [tr('accept'), `fd ${v.fd} ← ${v.from}`, '', 'net'];
    case 'connected': return [tr('connected'), `fd ${v.fd}`, '', 'net'];
    case 'closed': return [tr('closed'), `fd ${v.fd}: ${typeof v.reason === 'string' ? word(CLOSED, v.reason) : JSON.stringify(v.reason)}`, '', 'net'];
    case 'close': return [tr('close'), `fd ${v.fd}`, '', 'net'];
    case 'node': {
      const d = v.detail;
      switch (d.kind) {
        case 'log': return [`${d.level === 'warning' ? '#' : '*'} ${tr('log')}`, '', d.text, 'log'];
        case 'replica_state': return [tr('repl state'), tr('replica link → {0}', word(LINK, d.state)), '', 'repl'];
        case 'replica_client_state': return [tr('replica'), `${d.addr} →`, d.state, 'repl'];
        case 'psync_decision': {
          const ok = d.verdict.verdict === 'continue';
          return ['PSYNC', ok ? tr('⇒ +CONTINUE, {0} B of backlog', d.verdict.bytes) : tr('⇒ +FULLRESYNC ({0})', word(FULL, d.verdict.reason)),
            `${d.replica} PSYNC ${d.asked_replid === '?' ? '?' : d.asked_replid.slice(0, 8) + '…'} ${d.asked_offset}`, ok ? 'dec' : 'dec full', true];
        }
        case 'bgsave_start': return ['BGSAVE', tr('→ {0}, RDB {1} B', d.target === 'disk' ? tr('disk') : tr('sockets'), d.rdb_bytes), '', 'repl'];
        case 'replid_change': return ['replid', tr(d.why), `${d.replid.slice(0, 8)}… (replid2 ${d.replid2.slice(0, 8)}…, second_repl_offset ${d.second_repl_offset})`, 'repl', true];
        default: return [d.kind, '', JSON.stringify(d), 'repl'];
      }
    }
    default: return [v.kind, '', JSON.stringify(v), ''];
  }
}

/** Pad to a monospace column: a CJK character takes two. */
function pad(t, n) {
  let w = 0;
  for (const ch of t) w += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return w >= n ? t : t + ' '.repeat(n - w);
}

export class Events {
  constructor(listEl, filtersEl, ui) {
    this.list = listEl;
    this.ui = ui;
    this.filtersEl = filtersEl;
    this.node = h('select');
    this.kind = h('select');
    this.hb = h('input', { type: 'checkbox' });
    this.kindLabel = h('label');
    this.relabel();
    for (const el of [this.node, this.kind, this.hb]) el.addEventListener('change', () => { this.fsig = ''; this.ui.forceLists = true; this.ui.dirty = true; });
    this.names = '';
    this.fsig = '';
    this.lastSeq = -1;
  }

  /** The filters' words, in the language shown (again after a switch). */
  relabel() {
    this.node.setAttribute('aria-label', tr('Only events of node'));
    this.kind.setAttribute('aria-label', tr('Only events of kind'));
    const keep = this.kind.value;
    fill(this.kind, [['', 'all kinds'], ['msg', 'messages'], ['repl', 'replication state'], ['cmd', 'commands'], ['net', 'faults & connections'], ['log', 'Redis log']].map(([v, t]) => h('option', { value: v }, tr(t))));
    this.kind.value = keep;
    fill(this.kindLabel, tr('kind') + ' ', this.kind);
    fill(this.filtersEl, h('label', null, tr('node') + ' ', this.node), this.kindLabel, h('label', null, this.hb, tr('hide heartbeats (ACK, ping)')));
    this.names = '';
  }

  match(e, withKind) {
    const n = this.node.value;
    if (n && e.node !== n && !(e.event.kind === 'send' && e.event.to === n) && !(e.event.kind === 'fault' && (e.event.a === n || e.event.b === n))) return false;
    if (this.hb.checked && heartbeat(e)) return false;
    return !withKind || !this.kind.value || category(e) === this.kind.value;
  }

  syncNodes(w) {
    const names = w.view.nodes.map((n) => n.name).join();
    if (names === this.names) return;
    this.names = names;
    const keep = this.node.value;
    fill(this.node, h('option', { value: '' }, tr('all nodes')), w.view.nodes.map((n) => h('option', { value: n.name }, n.name)));
    this.node.value = keep;
  }

  /** The filters (shared with the sequence diagram), and the log when it is shown. */
  render(w, tab) {
    this.syncNodes(w);
    this.kindLabel.hidden = tab !== 'events';
    if (tab === 'events') this.renderLog(w);
  }

  /**
   * The list is laid out bottom-up (flex column-reverse, newest row first in the DOM),
   * so it stays pinned to the newest row without reading any layout while drawing.
   */
  renderLog(w) {
    let evs = w.events;
    const fsig = `${this.node.value}/${this.kind.value}/${this.hb.checked}`;
    const first = evs.length ? evs[0].seq : 0;
    const rebuild = fsig !== this.fsig || this.lastSeq < 0 || this.lastSeq >= w.evCursor || this.lastSeq < first - 1;
    if (rebuild) {
      // Filtered, the log searches what the core keeps (thousands of records, back further
      // than the page's list, which under load skips records): a cause found by scrubbing
      // back shows here too. Bounded: at most every SEARCH_EVERY_MS (a scrub rebuilds every
      // frame), the page's list in between, and the search again after the pause.
      this.searched = null;
      if (fsig !== this.fsig || !(performance.now() - this.searchedAt < SEARCH_EVERY_MS)) {
        if (this.node.value || this.kind.value || this.hb.checked) {
          evs = w.history();
          this.searchedAt = performance.now();
          this.searched = evs.length ? { n: evs.length, fromUs: evs[0].t_us, all: evs[0].seq === 0 } : null;
        }
      } else if (!this.retry) {
        this.retry = setTimeout(() => { this.retry = 0; this.lastSeq = -1; this.ui.forceLists = true; this.ui.dirty = true; }, SEARCH_EVERY_MS);
      }
      this.fsig = fsig;
      fill(this.list);
      this.rows = 0;
    }
    const rows = [];
    // Newest first, at most NEW_ROWS a time: under load nobody reads every row.
    let i = evs.length - 1;
    for (; i >= 0 && rows.length < (rebuild ? ROWS : NEW_ROWS); i--) {
      const e = evs[i];
      if (!rebuild && e.seq <= this.lastSeq) break;
      if (!this.match(e, true)) continue;
      const [k, own, redis, cls, redisFirst] = describe(e);
      // A few text runs a row: monospace columns by padding, not by cells. Redis's words
      // are marked as such (data-redis); the title keeps the full text.
      const r = redis ? h('span', { 'data-redis': '' }, oneLine(redis)) : null;
      const sp = own && redis ? '  ' : '';
      const title = redisFirst ? `${redis} ${own}` : `${own}${sp}${redis}`;
      rows.push(h('div', { class: `ev ${cls}`, title }, h('b', null, `${secs(e.t_us).padStart(9)} ${(e.node || '·').padEnd(4)}`), `${pad(k, 11)} `,
        redisFirst ? [r, ` ${own}`] : [own + sp, r]));
    }
    this.lastSeq = evs.length ? evs[evs.length - 1].seq : -1;
    // Older records are gone when the page dropped them (it keeps the newest ~1,500),
    // when a rebuild stopped at ROWS, or when rows are trimmed below.
    if (rebuild) {
      this.older = (evs.length > 0 && evs[0].seq > 0) || i >= 0;
      this.full = i >= 0;
    }
    if (!rows.length && !rebuild) return;
    this.list.prepend(...rows);
    // The rows are counted here, not in the DOM (childElementCount walks the children),
    // and the note stays in place with its text rewritten only when it changed.
    const note = this.note && this.note.parentNode === this.list ? this.note : null;
    for (this.rows += rows.length; this.rows > ROWS; this.rows--) {
      (note ? note.previousSibling : this.list.lastChild).remove();
      this.older = this.full = true;
    }
    // The list is laid out bottom-up: the last child is the top row, where older ones were.
    if (!this.older) { note?.remove(); return; }
    const t = this.noteText();
    if (!this.note) this.note = h('div', { class: 'ev note' });
    if (this.noteT !== t) setText(this.note, (this.noteT = t));
    if (!note) this.list.append(this.note);
  }

  /** What the top row says about what is not in the list (and, filtered, how far back it looked). */
  noteText() {
    const s = this.searched;
    // Only the list's rows are dropped: a filter searches the simulator's own records.
    if (!s) return tr('older events not listed: the list shows the newest {0} (a filter by node or kind searches the last {1} the simulator keeps)', ROWS, TRACE_KEEP);
    if (this.full) return tr('the newest {0} matching events (searched back to t = {2} s: the last {1} events)', ROWS, s.n, secs(s.fromUs));
    return tr('searched back to t = {1} s: the {0} events the simulator keeps (older ones were dropped to bound memory)', s.n, secs(s.fromUs));
  }

}
