// The event log and the sequence diagram, both read from the core's trace records.
// Payloads are shown as the core escapes them (\r\n visible), so the bytes that offsets
// count are the bytes on screen.

import { h, s, fill, secs, msgLabel } from './dom.js';

const ROWS = 200;      // DOM rows the log keeps
const NEW_ROWS = 12;   // rows added per frame at most (under load nobody reads them all)
const SEQ_ROWS = 70;   // arrows the sequence diagram shows

function category(e) {
  const k = e.event.kind;
  if (k === 'send' || k === 'deliver') return 'msg';
  if (k === 'command' || k === 'reply') return 'cmd';
  if (k === 'node') return e.event.detail.kind === 'log' ? 'log' : 'repl';
  return 'net';
}

/** Heartbeat traffic (ACKs, pings, keepalives) can be hidden to see the rest. */
function heartbeat(e) {
  const v = e.event;
  if (v.kind === 'send') return v.what === 'ack' || v.what === 'keepalive' || (v.what === 'stream' && v.preview === '*1\\r\\n$4\\r\\nping\\r\\n');
  return false;
}

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
  constructor(listEl, seqEl, filtersEl, ui) {
    this.list = listEl;
    this.seqEl = seqEl;
    this.ui = ui;
    this.node = h('select', { 'aria-label': 'Only events of node' }, h('option', { value: '' }, 'all nodes'));
    this.kind = h('select', { 'aria-label': 'Only events of kind' },
      ...[['', 'all kinds'], ['msg', 'messages'], ['repl', 'replication state'], ['cmd', 'commands'], ['net', 'faults & connections'], ['log', 'Redis log']].map(([v, t]) => h('option', { value: v }, t)));
    this.hb = h('input', { type: 'checkbox' });
    this.kindLabel = h('label', null, 'kind ', this.kind);
    fill(filtersEl, h('label', null, 'node ', this.node), this.kindLabel, h('label', null, this.hb, 'hide heartbeats (ACK, ping)'));
    for (const el of [this.node, this.kind, this.hb]) el.addEventListener('change', () => { this.fsig = ''; this.qsig = ''; this.ui.dirty = true; });
    this.names = '';
    this.fsig = '';
    this.qsig = '';
    this.lastSeq = -1;
    this.lastAt = 0;
    this.seqW = 600;
    new ResizeObserver(() => { this.seqW = this.seqEl.parentElement.clientWidth; this.qsig = ''; this.ui.dirty = true; }).observe(this.seqEl.parentElement);
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
    fill(this.node, h('option', { value: '' }, 'all nodes'), w.view.nodes.map((n) => h('option', { value: n.name }, n.name)));
    this.node.value = keep;
  }

  render(w, tab) {
    this.syncNodes(w);
    this.kindLabel.hidden = tab !== 'events';
    // The log grows a few rows a frame; the diagram is redrawn whole, so at a calmer pace.
    if (tab === 'events') return this.renderLog(w);
    const nowMs = performance.now();
    if (nowMs - this.lastAt < 150 && !this.ui.forceLists) { this.ui.later = true; return; }
    this.lastAt = nowMs;
    this.renderSeq(w);
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
      rows.push(h('div', { class: `ev ${cls}`, title: d }, h('b', null, `${secs(e.t_us).padStart(9)} ${(e.node || '·').padEnd(4)}`), `${k.padEnd(11)} ${d}`));
    }
    this.lastSeq = evs.length ? evs[evs.length - 1].seq : -1;
    if (!rows.length) return;
    this.list.prepend(...rows);
    while (this.list.childElementCount > ROWS) this.list.lastChild.remove();
  }

  renderSeq(w) {
    const evs = w.events;
    const last = evs.length ? evs[evs.length - 1].seq : -1;
    const qsig = `${last}/${this.node.value}/${this.hb.checked}/${this.seqW}`;
    if (qsig === this.qsig) return;
    this.qsig = qsig;
    const rows = [];
    for (let i = evs.length - 1; i >= 0 && rows.length < SEQ_ROWS; i--) {
      const e = evs[i], k = e.event.kind;
      if ((k === 'send' || k === 'fault' || (k === 'node' && e.event.detail.kind === 'psync_decision') || k === 'crash' || k === 'start') && this.match(e, false)) rows.push(e);
    }
    rows.reverse();
    const names = w.view.nodes.map((n) => n.name);
    const W = Math.max(300, this.seqW - 4);
    const left = 64, gap = (W - left - 30) / Math.max(1, names.length - 1);
    const lx = new Map(names.map((n, i) => [n, left + 10 + i * gap]));
    const RH = 19, top = 6, H = top + rows.length * RH + 10;
    const g = [], head = [];
    for (const [n, x] of lx) {
      g.push(s('line', { class: 'lane', x1: x, x2: x, y1: 0, y2: H }));
      head.push(s('text', { class: 'lh', x, y: 14, 'text-anchor': 'middle' }, n));
    }
    // Backlog bytes of a partial resync leave at the instant of the decision.
    const backlog = new Set();
    for (let i = 0; i < w.decPast; i++) {
      const d = w.decisions[i];
      if (d.decision.verdict.verdict === 'continue') backlog.add(`${d.node}>${d.decision.replica.replace(/:\d+$/, '')}@${d.t_us}`);
    }
    rows.forEach((e, i) => {
      const y = top + i * RH + 10, v = e.event;
      g.push(s('text', { class: 'tt', x: 2, y: y + 3 }, secs(e.t_us)));
      if (v.kind === 'send') {
        const x0 = lx.get(e.node), x1 = lx.get(v.to);
        if (x0 == null || x1 == null) return;
        const lost = v.arrive_us == null;
        const fullr = v.what === 'psync_reply' && v.preview.startsWith('+FULLRESYNC');
        const dir = x1 > x0 ? 1 : -1;
        const xe = lost ? x0 + (x1 - x0) * 0.55 : x1 - dir * 2;
        g.push(s('path', { class: `arrow k-${v.what}${fullr ? ' fullr' : ''}${lost ? ' lost' : ''}`, d: `M${x0} ${y - 4}L${xe} ${y + 4}${lost ? '' : `M${xe - dir * 7} ${y}L${xe} ${y + 4}L${xe - dir * 6} ${y + 8}`}` }));
        const bl = v.what === 'stream' && backlog.has(`${e.node}>${v.to}@${e.t_us}`);
        const label = (lost ? '✕ lost in partition: ' : '') + (bl ? `backlog ${v.len} B: ` : '') + msgLabel(v.what, v.preview, v.len) + (v.arrive_us != null ? `  +${((v.arrive_us - e.t_us) / 1000).toFixed(3)} ms` : '');
        g.push(s('text', { x: (x0 + x1) / 2, y: y - 5, 'text-anchor': 'middle' }, label));
      } else if (v.kind === 'node') {
        const x = lx.get(e.node), ok = v.detail.verdict.verdict === 'continue';
        g.push(s('text', { x: x + 8, y: y + 3, fill: ok ? 'var(--partial)' : 'var(--full)', 'font-weight': 700 }, ok ? `◇ decides +CONTINUE (${v.detail.verdict.bytes} B)` : `◆ decides FULLRESYNC (${v.detail.verdict.reason.replace(/_/g, ' ')})`));
      } else {
        const label = v.kind === 'fault' ? `— ${v.verb} ${v.a} ${v.b} —` : `— ${e.node} ${v.kind === 'crash' ? 'crashed' : 'started'} —`;
        g.push(s('text', { x: W / 2, y: y + 3, 'text-anchor': 'middle', fill: 'var(--down)', 'font-weight': 700 }, label));
      }
    });
    if (!rows.length) g.push(s('text', { x: left, y: 50, class: 'tt' }, 'No messages yet: press Play.'));
    fill(this.seqEl, h('div', { class: 'seq-head' }, s('svg', { width: W, height: 20, 'aria-hidden': 'true' }, ...head)),
      s('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Sequence diagram of the last ${rows.length} messages` }, ...g));
  }
}
