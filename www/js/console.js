// The console: scenario statements and Redis commands, printed the way redis-cli prints
// them. A bare command goes to the node picked beside the prompt, so `SET foo bar`
// means `m> SET foo bar`. Errors from the core are shown and the world is left as it was.

import { h, fill, tr } from './dom.js';

const VERBS = new Set(['seed', 'node', 'link', 'wait', 'disconnect', 'reconnect', 'partition', 'heal', 'crash', 'restart', 'start', 'expect', 'lose', 'send']);
const MAX_LINES = 600;

export class Console {
  constructor(ui) {
    this.ui = ui;
    this.out = document.getElementById('con-out');
    this.form = document.getElementById('con-form');
    this.input = document.getElementById('con-line');
    this.target = document.getElementById('con-target');
    this.history = [];
    this.hpos = 0;
    this.names = '';
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      const line = this.input.value.trim();
      if (!line) return;
      this.input.value = '';
      this.run(this.qualify(line));
    });
    this.input.addEventListener('keydown', (e) => this.keys(e));
  }

  /** `SET a 1` → `m> SET a 1`; statements and `NAME> ...` pass through. */
  qualify(line) {
    const first = line.split(/\s+/)[0];
    if (VERBS.has(first) || /^[A-Za-z][A-Za-z0-9_-]{0,31}>/.test(line) || line.startsWith('#')) return line;
    return this.target.value ? `${this.target.value}> ${line}` : line;
  }

  keys(e) {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      if (!this.history.length) return;
      e.preventDefault();
      this.hpos = Math.max(0, Math.min(this.history.length, this.hpos + (e.key === 'ArrowUp' ? -1 : 1)));
      this.input.value = this.history[this.hpos] || '';
    } else if (e.key === 'Escape') {
      this.input.blur();
    }
  }

  remember(line) {
    if (this.history[this.history.length - 1] !== line) this.history.push(line);
    this.hpos = this.history.length;
  }

  /** Run a statement for the console, a click or a key; returns what it printed and checked, or null. */
  run(line) {
    this.remember(line);
    let res;
    try {
      res = this.ui.world.apply(line);
    } catch (e) {
      this.print('cmd', line);
      this.print('err', String(e && e.message ? e.message : e));
      this.ui.dirty = true;
      return null;
    }
    const [head, ...rest] = res.output ? res.output.replace(/\n$/, '').split('\n') : [line];
    // An expect prints as its verdict alone.
    if (res.output || !res.expectations.length) this.print('cmd', head || line);
    if (rest.length) this.print('out', rest.join('\n'));
    for (const x of res.expectations) this.print(x.passed ? 'exp-ok' : 'exp-bad', `${x.text.trim()}${x.passed ? '' : ` (${x.detail})`}`);
    this.ui.afterAction();
    return res;
  }

  print(cls, text) {
    const at = this.out.scrollHeight - this.out.scrollTop - this.out.clientHeight < 30;
    this.out.append(h('div', { class: cls }, text));
    while (this.out.childElementCount > MAX_LINES) this.out.firstChild.remove();
    if (at) this.out.scrollTop = this.out.scrollHeight;
  }

  reset(loaded, title) {
    fill(this.out);
    this.print('note', `${title}: ${loaded.output ? tr('the scenario printed:') : tr('loaded.')}`);
    const lines = loaded.output ? loaded.output.replace(/\n$/, '').split('\n') : [];
    if (lines.length > 8) this.print('note', tr('… {0} lines (Share shows the whole scenario)', lines.length - 6));
    const clip = (l) => (l.length > 140 ? `${l.slice(0, 120)}…(+${l.length - 120} characters)` : l);
    if (lines.length) this.print('out', (lines.length > 8 ? lines.slice(-6) : lines).map(clip).join('\n'));
    for (const x of loaded.expectations) this.print(x.passed ? 'exp-ok' : 'exp-bad', x.text.trim());
    this.names = '';
  }

  /** Keep the target picker in step with the nodes that exist. */
  render(w) {
    const names = w.view.nodes.map((n) => n.name).join();
    if (names === this.names) return;
    this.names = names;
    const keep = this.target.value;
    const master = w.view.nodes.find((n) => n.role === 'master');
    fill(this.target, w.view.nodes.map((n) => h('option', { value: n.name }, `${n.name}>`)));
    this.target.value = w.view.nodes.some((n) => n.name === keep) ? keep : master ? master.name : '';
  }

  focus(node) {
    if (node) this.target.value = node;
    this.input.focus();
  }
}
