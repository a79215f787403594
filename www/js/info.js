// INFO of one node, exactly as the core prints it (the same text `NODE> INFO` returns).

import { h, fill } from './dom.js';

export class Info {
  constructor(pre, ui) {
    this.pre = pre;
    this.ui = ui;
    this.node = h('select', { 'aria-label': 'INFO of node' });
    this.section = h('select', { 'aria-label': 'INFO section' }, h('option', { value: 'Replication' }, '# Replication'), h('option', { value: '' }, 'all sections'));
    for (const el of [this.node, this.section]) el.addEventListener('change', () => { this.last = ''; this.ui.dirty = true; });
    this.bar = h('div', { class: 'filters' }, h('label', null, 'node ', this.node), h('label', null, 'section ', this.section));
    pre.before(this.bar);
    this.names = '';
    this.last = '';
    this.lastAt = 0;
  }

  show(name) { this.node.value = name; this.last = ''; }

  render(w) {
    const names = w.view.nodes.map((n) => n.name).join();
    if (names !== this.names) {
      this.names = names;
      const keep = this.node.value;
      fill(this.node, w.view.nodes.map((n) => h('option', { value: n.name }, n.name)));
      if (keep) this.node.value = keep;
    }
    const now = performance.now();
    if (now - this.lastAt < 300 && this.last) { this.ui.later = true; return; }
    this.lastAt = now;
    const name = this.node.value;
    const text = (name && w.pg.info(name)) || `${name || 'This node'} is not running: INFO needs a live process.`;
    const sec = this.section.value;
    const key = sec + text;
    if (key === this.last) return;
    this.last = key;
    const lines = text.replace(/\r/g, '').split('\n');
    const out = [];
    let inSec = !sec;
    for (const l of lines) {
      if (l.startsWith('# ')) inSec = !sec || l === `# ${sec}`;
      if (!inSec) continue;
      out.push(l.startsWith('# ') ? h('span', { class: 'sec' }, l + '\n') : l + '\n');
    }
    fill(this.pre, out);
  }
}
