// The event log, read from the core's trace records (seq.js draws the same records as a
// sequence diagram, with these filters).
// Payloads are shown as the core escapes them (\r\n visible), so the bytes that offsets
// count are the bytes on screen.

import { h, fill, secs, tr } from './dom.js';

const ROWS = 200;      // DOM rows the log keeps
const NEW_ROWS = 12;   // rows added per frame at most (under load nobody reads them all)

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

/** One record as [kind column, detail, extra class]. */
function describe(e) {
  const v = e.event;
  switch (v.kind) {
    case 'send': return [`→ ${v.to}`, v.what === 'rdb' ? `RDB ${v.len} B  ${v.preview}` : `${v.what} ${v.len} B  ${v.preview}`, v.what === 'rdb' ? 'send rdbrow' : 'send'];
    case 'deliver': return [`← ${v.from}`, `${v.len} B arrived`, 'deliver'];
    case 'command': return ['command', `> ${v.argv.join(' ')}`, 'cmd'];
    case 'reply': return ['reply', v.text, 'cmd'];
    case 'fault': return [v.verb, `${v.verb} ${v.a} ${v.b}`, 'fault'];
    case 'start': return ['start', `run_id ${v.run_id}`, 'fault'];
    case 'crash': return ['crash', 'killed (kill -9): nothing saved', 'crash'];
    case 'exit': return ['exit', 'SHUTDOWN finished', 'crash'];
    case 'connect': return ['connect', `fd ${v.fd} → ${v.to}`, 'net'];
    case 'accept': return ['accept', `fd ${v.fd} ← ${v.from}`, 'net'];
    case 'connected': return ['connected', `fd ${v.fd}`, 'net'];
    case 'closed': return ['closed', `fd ${v.fd}: ${typeof v.reason === 'string' ? v.reason : JSON.stringify(v.reason)}`, 'net'];
    case 'close': return ['close', `fd ${v.fd}`, 'net'];
    case 'node': {
      const d = v.detail;
      switch (d.kind) {
        case 'log': return [d.level === 'warning' ? '# log' : '* log', d.text, 'log'];
        case 'replica_state': return ['repl state', `replica link → ${d.state}`, 'repl'];
        case 'replica_client_state': return ['replica', `${d.addr} → ${d.state}`, 'repl'];
        case 'psync_decision': {
          const ok = d.verdict.verdict === 'continue';
          return ['PSYNC', `${d.replica} PSYNC ${d.asked_replid === '?' ? '?' : d.asked_replid.slice(0, 8) + '…'} ${d.asked_offset} ⇒ ${ok ? `+CONTINUE, ${d.verdict.bytes} B of backlog` : `+FULLRESYNC (${d.verdict.reason.replace(/_/g, ' ')})`}`, ok ? 'dec' : 'dec full'];
        }
        case 'bgsave_start': return ['BGSAVE', `→ ${d.target}, RDB ${d.rdb_bytes} B`, 'repl'];
        case 'replid_change': return ['replid', `${d.replid.slice(0, 8)}… (replid2 ${d.replid2.slice(0, 8)}…, second_repl_offset ${d.second_repl_offset}): ${d.why}`, 'repl'];
        default: return [d.kind, JSON.stringify(d), 'repl'];
      }
    }
    default: return [v.kind, JSON.stringify(v), ''];
  }
}

export class Events {
  constructor(listEl, filtersEl, ui) {
    this.list = listEl;
    this.ui = ui;
    this.node = h('select', { 'aria-label': 'Only events of node' }, h('option', { value: '' }, tr('all nodes')));
    this.kind = h('select', { 'aria-label': 'Only events of kind' },
      ...[['', 'all kinds'], ['msg', 'messages'], ['repl', 'replication state'], ['cmd', 'commands'], ['net', 'faults & connections'], ['log', 'Redis log']].map(([v, t]) => h('option', { value: v }, t)));
    this.hb = h('input', { type: 'checkbox' });
    this.kindLabel = h('label', null, 'kind ', this.kind);
    fill(filtersEl, h('label', null, 'node ', this.node), this.kindLabel, h('label', null, this.hb, 'hide heartbeats (ACK, ping)'));
    for (const el of [this.node, this.kind, this.hb]) el.addEventListener('change', () => { this.fsig = ''; this.ui.forceLists = true; this.ui.dirty = true; });
    this.names = '';
    this.fsig = '';
    this.lastSeq = -1;
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
    const evs = w.events;
    const fsig = `${this.node.value}/${this.kind.value}/${this.hb.checked}`;
    const first = evs.length ? evs[0].seq : 0;
    const rebuild = fsig !== this.fsig || this.lastSeq < 0 || this.lastSeq >= w.evCursor || this.lastSeq < first - 1;
    if (rebuild) {
      this.fsig = fsig;
      fill(this.list);
    }
    const rows = [];
    // Newest first, at most NEW_ROWS a time: under load nobody reads every row.
    for (let i = evs.length - 1; i >= 0 && rows.length < (rebuild ? ROWS : NEW_ROWS); i--) {
      const e = evs[i];
      if (!rebuild && e.seq <= this.lastSeq) break;
      if (!this.match(e, true)) continue;
      const [k, d, cls] = describe(e);
      // One element and two text runs a row: monospace columns by padding, not by cells.
      rows.push(h('div', { class: `ev ${cls}`, title: d }, h('b', null, `${secs(e.t_us).padStart(9)} ${(e.node || '·').padEnd(4)}`), `${k.padEnd(11)} ${oneLine(d)}`));
    }
    this.lastSeq = evs.length ? evs[evs.length - 1].seq : -1;
    if (!rows.length) return;
    this.list.prepend(...rows);
    while (this.list.childElementCount > ROWS) this.list.lastChild.remove();
  }

}
