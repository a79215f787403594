// Fault injection and topology changes. Every button is a scenario statement: the page
// never changes the world behind the console's back, so each click shows up in the
// console history and in the exported scenario.

import { h, fill, dur, rate, tr, secs } from './dom.js';
import { VERSIONS, versionTitle } from './topology.js';

/** The version the next added node runs: '' = the same as the master it follows. */
let addVersion = '';

/** The actions that make sense for the selection, each with its key. */
export function actionsFor(w, sel) {
  const out = [];
  if (!sel) return out;
  if (sel.type === 'link') {
    const l = w.view.links.find((x) => (x.a === sel.a && x.b === sel.b) || (x.a === sel.b && x.b === sel.a));
    if (!l) return out;
    const ab = `${l.a} ${l.b}`;
    if (l.state === 'disconnected') out.push({ key: 'r', label: tr('Reconnect'), stmt: `reconnect ${ab}` });
    else out.push({ key: 'd', label: tr('Disconnect'), stmt: `disconnect ${ab}`, warn: true });
    if (l.state === 'partitioned') out.push({ key: 'h', label: tr('Heal'), stmt: `heal ${ab}` });
    else if (l.state !== 'disconnected') out.push({ key: 'x', label: tr('Partition'), stmt: `partition ${ab}`, warn: true });
    out.push({ key: 'l', label: tr('Latency & bandwidth…'), run: 'settings' });
    return out;
  }
  const n = w.node(sel.name);
  if (!n) return out;
  const name = n.name;
  if (n.role === 'replica' && n.master_host) {
    const l = w.view.links.find((x) => [x.a, x.b].includes(name) && [x.a, x.b].includes(n.master_host));
    const ab = `${n.master_host} ${name}`;
    if (l && l.state === 'disconnected') out.push({ key: 'r', label: tr('Reconnect {0}', n.master_host), stmt: `reconnect ${ab}` });
    else out.push({ key: 'd', label: tr('Disconnect from {0}', n.master_host), stmt: `disconnect ${ab}`, warn: true });
    if (l && l.state === 'partitioned') out.push({ key: 'h', label: tr('Heal'), stmt: `heal ${ab}` });
  }
  if (n.status === 'stopped') out.push({ key: 's', label: tr('Start'), stmt: `start ${name}` });
  else {
    out.push({ key: 'c', label: tr('Crash'), stmt: `crash ${name}`, warn: true });
    out.push({ key: 's', label: tr('Restart'), stmt: `restart ${name}` });
    if (n.role === 'replica') out.push({ key: 'p', label: tr('Promote'), title: 'REPLICAOF NO ONE', stmt: `${name}> REPLICAOF NO ONE` });
    // Redis's coordinated failover: writes pause until a replica has everything, then the two swap roles.
    if (n.role === 'master' && n.replicas.length) {
      out.push({ key: 'f', label: tr('Fail over'), title: 'FAILOVER', stmt: `${name}> FAILOVER` });
    }
    out.push({ kind: 'replicaof' });
    if (n.role === 'master') out.push({ kind: 'load' });
    out.push({ key: 'i', label: 'INFO', run: 'info' });
  }
  return out;
}

/** The next free replica name, and the master it should follow. */
export function newNodeStatement(w) {
  const names = new Set(w.view.nodes.map((n) => n.name));
  let i = 1;
  while (names.has(`r${i}`)) i++;
  const m = w.view.nodes.find((n) => n.role === 'master' && n.status === 'running');
  // A version is fixed when a node starts: chosen here, or its master's (a replica older
  // than its master may not load the master's RDB: the upgrade-order pitfall).
  // (Named whenever a bare `node` could run another: a `version` statement sets that default.)
  const v = addVersion || (m && (m.version !== 'redis-7.0' || /^version\s/m.test(w.pg.script())) ? m.version : '');
  const out = [`${m ? `node r${i} replicaof=${m.name}` : `node r${i}`}${v ? ` version=${v}` : ''}`];
  // Same network as the rest of the cluster, so a new node is not the odd fast one.
  const l = m && w.view.links.find((x) => x.a === m.name || x.b === m.name);
  if (l) out.push(`link ${m.name} r${i} latency=${dur(l.latency_us)} bandwidth=${rate(l.bandwidth_bits_per_sec)}`);
  return out;
}

export class Actions {
  constructor(el, ui) {
    this.el = el;
    this.ui = ui;
    this.sig = '';
  }

  render(w) {
    const sel = this.ui.sel;
    const list = actionsFor(w, sel);
    const n = sel && sel.type === 'node' ? w.node(sel.name) : null;
    // The load shown is the one of the moment shown (a look back shows it as it was then).
    const ld = w.loadAt(w.nowUs), back = w.extentUs > w.nowUs;
    const sig = JSON.stringify([sel, list.map((a) => a.label || a.kind), n && n.master_host, w.view.nodes.length, ld && ld.node, ld && ld.rate, ld && ld.size, back]);
    if (sig === this.sig) return;
    this.sig = sig;
    const kids = [];
    if (!sel) kids.push(h('span', { class: 'hint' }, tr('Select a node or a link (click, or Tab then Enter) to break or change it.')));
    else kids.push(h('span', { class: 'what mono' }, tr('{0}:', sel.type === 'node' ? sel.name : `${sel.a} ↔ ${sel.b}`)));
    for (const a of list) {
      if (a.kind === 'replicaof') {
        const others = w.view.nodes.filter((x) => x.name !== n.name).map((x) => x.name);
        const pick = h('select', { 'aria-label': tr('{0} replicates from', n.name), onchange: (e) => { if (e.target.value) this.ui.run(`${n.name}> REPLICAOF ${e.target.value}`); } },
          h('option', { value: '' }, tr('Replicate from…')), ...others.map((o) => h('option', { value: o }, `REPLICAOF ${o}`)));
        kids.push(pick);
      } else if (a.kind === 'load') {
        kids.push(this.loadControl(w, n));
      } else {
        // The title is the statement the button runs (scenario language, as typed).
        kids.push(h('button', { class: `btn${a.warn ? ' warn' : ''}`, title: a.title || a.stmt || '', 'data-stmt': a.title || a.stmt ? '' : null, 'aria-keyshortcuts': a.key.toUpperCase(), onclick: () => this.ui.act(a) },
          a.label, h('kbd', null, a.key.toUpperCase())));
      }
    }
    kids.push(h('span', { class: 'sep' }));
    kids.push(h('button', { class: 'btn', 'aria-keyshortcuts': 'A', title: tr('Start one more Redis node as a replica'), onclick: () => this.ui.addNode() }, tr('+ node'), h('kbd', null, 'A')));
    kids.push(this.versionPick());
    fill(this.el, kids);
  }

  /** Which version the "+ node" button starts (the `version=` of its `node` statement). */
  versionPick() {
    return h('select', { class: 'ver-pick', 'aria-label': tr('Version of the next node'), title: tr('Version of the next node'), onchange: (e) => { addVersion = e.target.value; this.sig = ''; } },
      h('option', { value: '', selected: !addVersion }, tr('its master’s version')),
      VERSIONS.map((v) => h('option', { value: v.id, selected: addVersion === v.id, title: versionTitle(v.id), 'data-redis': '' }, v.full)));
  }

  /**
   * A steady stream of writes, each one a logged `SET` at its exact instant. It shows the load
   * of the moment shown: looking back (before the end of the recorded run), as it was then,
   * and it cannot be changed there (its writes after that moment are recorded statements, and
   * the generator goes on from the end): a press says so.
   */
  loadControl(w, n) {
    const ld = w.loadAt(w.nowUs), on = !!ld && ld.node === n.name, back = w.extentUs > w.nowUs;
    const rt = h('select', { 'aria-label': tr('writes per second'), disabled: back }, ...[10, 100, 1000].map((r) => h('option', { value: r, selected: on && ld.rate === r }, `${r}/s`)));
    const size = h('select', { 'aria-label': tr('value size'), disabled: back }, ...[16, 100, 1000].map((b) => h('option', { value: b, selected: on && ld.size === b }, `${b} B`)));
    const btn = h('button', { class: 'btn', 'aria-disabled': back ? 'true' : null, title: back ? tr('Looking back: the write load as it was at this moment. It starts and stops at the end of the recorded time (t = {0} s).', secs(w.extentUs)) : null, onclick: () => {
      if (w.extentUs > w.nowUs) {
        this.ui.note(tr('Looking back: the write load as it was at this moment. It starts and stops at the end of the recorded time (t = {0} s).', secs(w.extentUs)));
        return;
      }
      if (on) { w.load = null; this.ui.note(tr('write load on {0} stopped', n.name)); }
      else { w.startLoad(n.name, +rt.value, +size.value); this.ui.note(tr('write load: {0} SET/s of {1}-byte values on {2} (each is a logged statement)', rt.value, size.value, n.name)); }
      this.sig = '';
      this.ui.dirty = true;
    } }, on ? tr('■ Stop writes') : tr('▶ Write load'));
    return h('label', { title: tr('Generate writes on this master') }, btn, rt, size);
  }
}
