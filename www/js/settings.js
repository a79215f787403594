// Settings: each node's replication parameters (changed with `NODE> CONFIG SET`) and
// each link's latency and bandwidth (changed with the `link` statement). Both go
// through the console, so they are logged and replayed like every other action.

import { h, fill, dur, rate, tr } from './dom.js';

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
    const sig = JSON.stringify([names, this.node, cfg, links, tr('Links')]);
    if (sig === this.sig) return;
    this.sig = sig;
    const pick = h('select', { 'aria-label': tr('Parameters of node'), onchange: (e) => { this.node = e.target.value; this.sig = ''; this.ui.dirty = true; } },
      names.map((n) => h('option', { value: n, selected: n === this.node }, n)));
    const rows = cfg.filter(([k]) => RELEVANT.test(k)).map(([k, v]) => {
      const input = h('input', { value: v, 'aria-label': k, spellcheck: 'false' });
      // The parameter and its value are Redis's (CONFIG GET prints them so).
      const row = h('tr', { 'data-redis': '' }, h('td', null, k), h('td', null, input));
      input.addEventListener('change', () => {
        if (input.value === v) return;
        this.sig = '';
        this.ui.run(`${this.node}> CONFIG SET ${k} ${arg(input.value)}`);
        input.blur();
      });
      input.addEventListener('input', () => row.classList.toggle('changed', input.value !== v));
      return row;
    });
    const lrows = w.view.links.map((l) => {
      const lat = h('input', { value: dur(l.latency_us), 'aria-label': tr('latency {0} ↔ {1}', l.a, l.b) });
      const bw = h('input', { value: rate(l.bandwidth_bits_per_sec), 'aria-label': tr('bandwidth {0} ↔ {1}', l.a, l.b) });
      const go = () => { this.sig = ''; this.ui.run(`link ${l.a} ${l.b} latency=${lat.value.trim()} bandwidth=${bw.value.trim()}`); };
      lat.addEventListener('change', go);
      bw.addEventListener('change', go);
      return h('tr', null, h('td', null, `${l.a} ↔ ${l.b}`), h('td', null, lat), h('td', null, bw));
    });
    fill(this.el,
      h('div', null, h('h3', null, tr('Node parameters') + ' ', pick), h('p', { class: 'hint' }, tr('Edit and press Enter: the page sends CONFIG SET. A restart forgets it (no CONFIG REWRITE), as in Redis.')),
        cfg.length ? h('table', null, h('tbody', null, rows)) : h('p', { class: 'hint' }, tr('Not running.'))),
      h('div', null, h('h3', null, tr('Links')), h('p', { class: 'hint' }, tr('One-way latency (5ms, 250us) and bandwidth per direction (10mbit, 1gbit), in the scenario language.')),
        h('table', null, h('thead', null, h('tr', null, h('th', null, tr('link')), h('th', null, tr('latency')), h('th', null, tr('bandwidth')))), h('tbody', null, lrows))));
  }
}
