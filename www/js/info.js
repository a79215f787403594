// INFO of one node, exactly as the core prints it (the same text `NODE> INFO` returns).

import { h, fill, tr } from './dom.js';

export class Info {
  constructor(pre, ui) {
    this.pre = pre;
    this.ui = ui;
    this.node = h('select');
    this.section = h('select', null, h('option', { value: 'Replication' }, '# Replication'), h('option', { value: '' }));
    for (const el of [this.node, this.section]) el.addEventListener('change', () => { this.want = el === this.node ? null : this.want; this.last = ''; this.ui.dirty = true; });
    this.bar = h('div', { class: 'filters' });
    pre.before(this.bar);
    this.relabel();
    this.names = '';
    this.last = '';
    this.lastAt = 0;
  }

  /** The bar's words, in the language shown (again after a switch). */
  relabel() {
    this.node.setAttribute('aria-label', tr('INFO of node'));
    this.section.setAttribute('aria-label', tr('INFO section'));
    this.section.options[1].textContent = tr('all sections');
    fill(this.bar, h('label', null, tr('node') + ' ', this.node), h('label', null, tr('section') + ' ', this.section));
    this.last = '';
  }

  /** Show node `name` (a lesson step's select, a node's INFO action). The picker may not list
   * it yet (the tab's first frame fills it): then it is picked once it is listed. */
  show(name) {
    this.want = name;
    this.node.value = name;
    if (this.node.value === name) this.want = null;
    this.last = '';
  }

  render(w) {
    const names = w.view.nodes.map((n) => n.name).join();
    if (names !== this.names) {
      this.names = names;
      const keep = this.node.value;
      fill(this.node, w.view.nodes.map((n) => h('option', { value: n.name }, n.name)));
      if (keep) this.node.value = keep;
    }
    if (this.want && w.view.nodes.some((n) => n.name === this.want)) { this.node.value = this.want; this.want = null; }
    const now = performance.now();
    if (now - this.lastAt < 300 && this.last) { this.ui.later = true; return; }
    this.lastAt = now;
    const name = this.node.value;
    const info = name && w.pg.info(name);
    const sec = this.section.value;
    const key = sec + (info || tr('{0} is not running: INFO needs a live process.', name));
    if (key === this.last) return;
    this.last = key;
    if (!info) { fill(this.pre, tr('{0} is not running: INFO needs a live process.', name)); return; }
    const text = info;
    const lines = text.replace(/\r/g, '').split('\n');
    const out = [];
    let inSec = !sec;
    for (const l of lines) {
      if (l.startsWith('# ')) inSec = !sec || l === `# ${sec}`;
      if (!inSec) continue;
      out.push(l.startsWith('# ') ? h('span', { class: 'sec' }, l + '\n') : l + '\n');
    }
    // INFO's text is Redis's, shown as it prints it.
    fill(this.pre, h('span', { 'data-redis': '' }, out));
  }
}
