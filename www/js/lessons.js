// Guided lessons (www/lessons/*.json, checked natively by tests/lessons.rs): a setup,
// then steps that each apply statements through the console, let time run for a while
// (then pause on their own) and point at the panel to watch, then closing expects,
// shown one by one as they hold or not. Fetched only when picked, so the first visit
// stays small. Captions come in English and Simplified Chinese (main.js holds the
// language switch). The myth check has a `textbook` variant that is NOT Redis: while
// it plays, the bar (and the topology, main.js) says so.

import { h, fill, $, tr } from './dom.js';

const FOCUS = { topology: 'topo', decision: 'decision', ruler: 'ruler', events: 'tabs', console: 'console', timeline: 'timeline' };

export class Lessons {
  constructor(ui) {
    this.ui = ui;
    this.bar = $('lesson-bar');
    this.cur = null;
    this.step = 0;
    this.auto = false;
    ui.world.on('stop', () => this.onStop());
  }

  get lang() { return this.ui.lang; }
  t(x) { return this.ui.t(x); }
  zh(en, zh) { return this.lang === 'zh' ? zh : en; }

  /** Open lesson `id` (with `variant` 'textbook' for the myth check's not-Redis mode). Throws if there is none. */
  async start(id, variant) {
    const r = await fetch(`lessons/${encodeURIComponent(id)}.json`);
    if (!r.ok) throw new Error(tr('there is no lesson "{0}"', id));
    const L = await r.json();
    const tb = variant === 'textbook';
    if (tb && !L.textbook) throw new Error(tr('there is no variant "{0}"', variant));
    const play = tb ? L.textbook : L;
    if (!this.ui.open(play.setup, L.seed, this.t(L.title), '')) return;
    this.cur = L;
    this.variant = tb ? 'textbook' : null;
    this.play = play;
    this.step = 0;
    this.results = null;
    this.auto = false;
    this.render();
  }

  restart() { return this.start(this.cur.id, this.variant); }

  stop() {
    this.cur = null;
    this.auto = false;
    clearTimeout(this.timer);
    this.focus(null);
    this.bar.hidden = true;
  }

  /** Play every step in turn, pausing on each long enough to read its caption (embed autoplay). */
  autoplay() {
    this.auto = true;
    this.next();
  }

  onStop() {
    if (!this.auto || !this.cur) return;
    const st = this.play.steps[this.step - 1];
    const words = st ? this.t(st.caption).length : 0;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { if (this.auto && this.cur) this.next(); }, Math.min(9000, 1500 + words * (this.lang === 'zh' ? 90 : 35)));
  }

  /** Apply the step's statements, then let time run for its play_ms (animated). */
  next() {
    const L = this.play;
    if (!L) return;
    if (this.step >= L.steps.length) {
      // Each check as it ran: it must have run and its expect must have held.
      this.results = L.checks.map((c) => {
        const res = this.ui.run(c);
        return { text: c, ok: !!res && res.expectations.length > 0 && res.expectations.every((x) => x.passed) };
      });
      this.step++;
      this.auto = false;
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
    if (!st.play_ms) this.onStop();
  }

  focus(name) {
    for (const el of document.querySelectorAll('.panel.focus')) el.classList.remove('focus');
    const cls = FOCUS[name];
    if (cls) document.querySelector(`.panel.${cls}`)?.classList.add('focus');
  }

  render() {
    const L = this.cur, P = this.play;
    if (!L) { this.bar.hidden = true; return; }
    this.bar.hidden = false;
    this.bar.lang = this.lang === 'zh' ? 'zh-Hans' : 'en';
    const tb = this.variant === 'textbook';
    const n = P.steps.length;
    const shown = Math.min(this.step, n) - 1;
    const finished = this.step > n;
    const caption = shown < 0 ? this.t(tb ? L.textbook.note : L.summary) : this.t(P.steps[shown].caption);
    const done = finished && this.results.every((r) => r.ok);
    const label = this.step === 0 ? this.zh('Start ▶', '开始 ▶') : this.step < n ? this.zh('Next step ▶', '下一步 ▶') : finished ? '' : this.zh('Check the result ✓', '检查结果 ✓');
    fill(this.bar,
      h('div', { class: 'lb-head' },
        tb ? h('span', { class: 'lb-notredis notredis' }, this.zh('TEXTBOOK MODE — NOT REAL REDIS', '教科书模式——不是真实的 Redis')) : null,
        h('b', null, this.t(L.title)),
        h('span', { class: 'lb-step mono' }, `${Math.min(this.step, n)}/${n}`)),
      h('div', { class: 'lb-cap', 'aria-live': 'polite' },
        h('p', { style: 'margin:0' }, caption),
        finished ? h('p', { style: 'margin:2px 0 0' }, h('span', { class: done ? 'lb-ok' : 'lb-bad' }, done ? this.zh('✓ Every check held:', '✓ 全部检查通过：') : this.zh('✕ A check failed (see the console):', '✕ 有检查未通过（见控制台）：'))) : null,
        finished ? h('ul', { class: 'lb-checks mono', style: 'margin:2px 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:2px 14px;font-size:11.5px' },
          this.results.map((r) => h('li', { class: r.ok ? 'pass' : 'fail', style: `color:var(${r.ok ? '--ok' : '--down'})` }, `${r.ok ? '✓' : '✕'} ${r.text.replace(/^expect\s+/, '')}`))) : null,
        L.textbook && finished && !tb ? h('p', { class: 'lb-note', style: 'margin:2px 0 0' }, this.t(L.textbook.note)) : null),
      h('div', { class: 'lb-btns' },
        label ? h('button', { class: 'btn primary', 'aria-keyshortcuts': 'Enter', onclick: () => { this.auto = false; this.next(); } }, label) : null,
        L.textbook && finished && !tb ? h('button', { class: 'btn warn', onclick: () => this.start(L.id, 'textbook') }, this.zh('Textbook mode (NOT Redis) ▶', '教科书模式（不是 Redis）▶')) : null,
        tb && finished ? h('button', { class: 'btn', onclick: () => this.start(L.id) }, this.zh('Back to real Redis', '回到真实的 Redis')) : null,
        h('button', { class: 'btn', onclick: () => this.restart() }, this.zh('Restart', '重来')),
        document.documentElement.classList.contains('embed') ? null : h('button', { class: 'btn', 'aria-label': this.zh('Close the lesson', '关闭课程'), onclick: () => this.stop() }, '✕')));
  }
}
