// Settings: each node's replication parameters (changed with `NODE> CONFIG SET`) and
// each link's latency and bandwidth (changed with the `link` statement). Both go
// through the console, so they are logged and replayed like every other action.

import { h, fill, dur, rate } from './dom.js';

const RELEVANT = /^(repl-|min-replicas|client-output-buffer-limit|save$|appendonly|replica-|masterauth|hz$|rdbcompression|lazyfree-lazy-expire)/;

/** A value as one redis-cli argument. */
function arg(v) {
  return v === '' || /[\s"'\\]/.test(v) ? `"${v.replace(/[\\"]/g, (c) => '\\' + c)}"` : v;
}

export class Settings {
  constructor(el, ui) {
    this.el = el;
    this.ui = ui;
    this.sig = '';
    this.node = '';
  }

  render(w) {
    if (this.el.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') return;
    const names = w.view.nodes.map((n) => n.name);
    if (!names.includes(this.node)) this.node = (this.ui.sel && this.ui.sel.type === 'node' && this.ui.sel.name) || names[0] || '';
    const cfg = this.node ? w.pg.config(this.node) : [];
    const links = w.view.links.map((l) => [l.a, l.b, l.latency_us, l.bandwidth_bits_per_sec]);
    const sig = JSON.stringify([names, this.node, cfg, links]);
    if (sig === this.sig) return;
    this.sig = sig;
    const pick = h('select', { 'aria-label': 'Parameters of node', onchange: (e) => { this.node = e.target.value; this.sig = ''; this.ui.dirty = true; } },
      names.map((n) => h('option', { value: n, selected: n === this.node }, n)));
    const rows = cfg.filter(([k]) => RELEVANT.test(k)).map(([k, v]) => {
      const input = h('input', { value: v, 'aria-label': k, spellcheck: 'false' });
      const tr = h('tr', null, h('td', null, k), h('td', null, input));
      input.addEventListener('change', () => {
        if (input.value === v) return;
        this.sig = '';
        this.ui.run(`${this.node}> CONFIG SET ${k} ${arg(input.value)}`);
        input.blur();
      });
      input.addEventListener('input', () => tr.classList.toggle('changed', input.value !== v));
      return tr;
    });
    const lrows = w.view.links.map((l) => {
      const lat = h('input', { value: dur(l.latency_us), 'aria-label': `latency ${l.a} ${l.b}` });
      const bw = h('input', { value: rate(l.bandwidth_bits_per_sec), 'aria-label': `bandwidth ${l.a} ${l.b}` });
      const go = () => { this.sig = ''; this.ui.run(`link ${l.a} ${l.b} latency=${lat.value.trim()} bandwidth=${bw.value.trim()}`); };
      lat.addEventListener('change', go);
      bw.addEventListener('change', go);
      return h('tr', null, h('td', null, `${l.a} ↔ ${l.b}`), h('td', null, lat), h('td', null, bw));
    });
    fill(this.el,
      h('div', null, h('h3', null, 'Node parameters ', pick), h('p', { class: 'hint' }, 'Edit and press Enter: the page sends ', h('code', null, 'CONFIG SET'), '. A restart forgets it (no CONFIG REWRITE), as in Redis.'),
        cfg.length ? h('table', null, h('tbody', null, rows)) : h('p', { class: 'hint' }, 'Not running.')),
      h('div', null, h('h3', null, 'Links'), h('p', { class: 'hint' }, 'One-way latency (', h('code', null, '5ms'), ', ', h('code', null, '250us'), ') and bandwidth per direction (', h('code', null, '10mbit'), ', ', h('code', null, '1gbit'), ').'),
        h('table', null, h('thead', null, h('tr', null, h('th', null, 'link'), h('th', null, 'latency'), h('th', null, 'bandwidth'))), h('tbody', null, lrows))));
  }
}
