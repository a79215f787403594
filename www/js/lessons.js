// Guided lessons (www/lessons/*.json, checked natively by tests/lessons.rs): a setup,
// then steps that each apply statements through the console, let time run for a while
// and point at the panel to watch, then closing expects. Fetched only when picked, so
// the first visit stays small. Captions come in English and Simplified Chinese
// (main.js holds the language switch).

import { h, fill, $ } from './dom.js';

const FOCUS = { topology: 'topo', decision: 'decision', ruler: 'ruler', events: 'tabs', console: 'console', timeline: 'timeline' };

export class Lessons {
  constructor(ui) {
    this.ui = ui;
    this.bar = $('lesson-bar');
    this.cur = null;
    this.step = 0;
  }

  get lang() { return this.ui.lang; }
  t(x) { return this.ui.t(x); }

  async start(id) {
    const r = await fetch(`lessons/${encodeURIComponent(id)}.json`);
    if (!r.ok) throw new Error(`lessons/${id}.json: ${r.status}`);
    const L = await r.json();
    if (!this.ui.open(L.setup, L.seed, this.t(L.title), '')) return;
    this.cur = L;
    this.step = 0;
    this.done = null;
    this.render();
  }

  stop() {
    this.cur = null;
    this.focus(null);
    this.bar.hidden = true;
  }

  /** Apply the step's statements, then let time run for its play_ms (animated). */
  next() {
    const L = this.cur;
    if (!L) return;
    if (this.step >= L.steps.length) {
      const results = [];
      for (const c of L.checks) results.push(this.ui.run(c));
      this.done = results.every(Boolean);
      this.step++;
      this.render();
      return;
    }
    const st = L.steps[this.step];
    for (const line of st.do || []) if (!this.ui.run(line)) break;
    if (st.play_ms) this.ui.world.playFor(st.play_ms * 1000);
    this.ui.setPlaying(!!st.play_ms);
    this.focus(st.focus);
    this.step++;
    this.render();
  }

  focus(name) {
    for (const el of document.querySelectorAll('.panel.focus')) el.classList.remove('focus');
    const cls = FOCUS[name];
    if (cls) document.querySelector(`.panel.${cls}`)?.classList.add('focus');
  }

  render() {
    const L = this.cur;
    if (!L) { this.bar.hidden = true; return; }
    this.bar.hidden = false;
    this.bar.lang = this.lang === 'zh' ? 'zh-Hans' : 'en';
    const n = L.steps.length;
    const shown = Math.min(this.step, n) - 1;
    const caption = shown < 0 ? this.t(L.summary) : this.t(L.steps[shown].caption);
    const finished = this.step > n;
    const label = this.step === 0 ? (this.lang === 'zh' ? '开始 ▶' : 'Start ▶') : this.step < n ? (this.lang === 'zh' ? '下一步 ▶' : 'Next step ▶') : finished ? '' : (this.lang === 'zh' ? '检查结果 ✓' : 'Check the result ✓');
    fill(this.bar,
      h('div', { class: 'lb-head' }, h('b', null, this.t(L.title)), h('span', { class: 'lb-step mono' }, this.step === 0 ? `0/${n}` : `${Math.min(this.step, n)}/${n}`)),
      h('p', { class: 'lb-cap', 'aria-live': 'polite' }, caption,
        finished ? h('span', { class: this.done ? 'lb-ok' : 'lb-bad' }, this.done ? (this.lang === 'zh' ? ' ✓ 全部检查通过。' : ' ✓ Every check held.') : (this.lang === 'zh' ? ' ✕ 有检查未通过（见控制台）。' : ' ✕ A check failed (see the console).')) : null,
        L.textbook && finished ? h('span', { class: 'lb-note' }, ' ', this.t(L.textbook.note)) : null),
      h('div', { class: 'lb-btns' },
        label ? h('button', { class: 'btn primary', 'aria-keyshortcuts': 'Enter', onclick: () => this.next() }, label) : null,
        h('button', { class: 'btn', onclick: () => this.start(L.id) }, this.lang === 'zh' ? '重来' : 'Restart'),
        h('button', { class: 'btn', 'aria-label': 'Close the lesson', onclick: () => this.stop() }, '✕')));
  }
}
