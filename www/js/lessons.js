// Guided lessons (www/lessons/*.json, checked natively by tests/lessons.rs): a setup,
// then steps that each apply statements and let simulated time run for play_ms, then
// closing expects, then what to say in the interview and the next lesson.
//
// A lesson keeps its own clock, so nothing a reader does from the lesson bar can make it
// fail: step k's statements are applied at exactly (end of setup) + the play_ms of the
// steps before it, and the checks at the end of the last step — the instants
// tests/lessons.rs uses. "Next" while a step runs fast-forwards it to its end; after the
// reader played on, scrubbed or clicked the decision history, the lesson first returns
// to its own instant (determinism makes a seek exact). Looking back in time inside a
// lesson is read-only. "Previous step" rebuilds the world up to the previous step's end.
// Only the reader's own statements (console, clicks) can change the story, and the bar
// then says so and offers to replay the lesson's steps; a statement that only read (GET,
// INFO, ROLE, an expect: world.js readsOnly) and left the world as it was does not.
//
// The address bar follows the step (`#lesson=ID&step=N`, link.js): a reload opens the
// lesson with its first N steps played, as "Previous step" rebuilds them.
//
// The myth check has a `textbook` variant that is NOT Redis: while it plays, the bar
// (and the topology, main.js) says so. Fetched only when picked.

import { h, fill, $, tr, secs, setAddress, addressParts, fragment } from './dom.js';

/** Set `el`'s text when it differs (a button's label, the step count). */
const text = (el, t) => { if (el.textContent !== t) el.textContent = t; };

/** Set attribute `k` when it differs; null removes it. */
function attr(el, k, v) {
  if (v == null) el.removeAttribute(k);
  else if (el.getAttribute(k) !== v) el.setAttribute(k, v);
}

/**
 * Make `parent`'s children the truthy `kids`, listed always in the same order: those that
 * go are removed, those that come are inserted in their place, and one that stays is never
 * moved or replaced. (A tap pressed on a button and released after the bar was redrawn
 * lands on the same element, so it is a click; a rebuilt bar lost it.)
 */
function keep(parent, kids) {
  kids = kids.filter(Boolean);
  for (const c of [...parent.children]) if (!kids.includes(c)) c.remove();
  kids.forEach((k, i) => { if (parent.children[i] !== k) parent.insertBefore(k, parent.children[i] || null); });
}

/** A step still playing this long (real ms) says under the buttons that Next skips ahead. */
const HINT_MS = 4000;

/**
 * A finger's second tap (or a key's second press) of the same button this soon (real ms)
 * after the first is the same intent, a double tap, and is not acted on: the first one's step
 * change has only just drawn its caption, which the second would skip unseen. A reader who
 * goes on deliberately taps again later than this. A mouse counts its own double clicks (the
 * click's detail), so a single click is never held back; nor is a scripted one.
 */
const AGAIN_MS = 350;

const FOCUS = { topology: 'topo', decision: 'decision', ruler: 'ruler', events: 'tabs', console: 'console', timeline: 'timeline' };

/** A lesson file by id (cached: Previous step and Restart re-read it). */
const cache = new Map();
async function fetchLesson(id) {
  if (!cache.has(id)) {
    const r = await fetch(`lessons/${encodeURIComponent(id)}.json`);
    if (!r.ok) throw new Error(tr('there is no lesson "{0}"', id));
    cache.set(id, await r.json());
  }
  return cache.get(id);
}

export class Lessons {
  constructor(ui) {
    this.ui = ui;
    this.bar = $('lesson-bar');
    this.cur = null;
    this.pos = 0;
    this.auto = false;
    this.sig = '';
    ui.world.on('stop', () => this.onStop());
    // While a lesson looks back in time, the reader watches; acting would rewrite the lesson.
    // On a phone the focused panel follows the bar and itself as they resize (a later caption,
    // a decision drawn), until the reader scrolls or touches the page themselves.
    this.follower = typeof ResizeObserver === 'function' ? new ResizeObserver(() => this.follow()) : null;
    for (const t of ['touchstart', 'wheel', 'keydown']) addEventListener(t, () => { this.moved = true; }, { capture: true, passive: true });
    ui.blockers.push(() => (this.cur && this.past ? tr('You are looking back inside the lesson: press “Back to the lesson” first.') : null));
  }

  t(x) { return this.ui.t(x); }

  get steps() { return this.play.steps; }

  /**
   * Open lesson `id` (with `variant` 'textbook' for the myth check's not-Redis mode), at its
   * start, or with `step` > 0 (a link's `step=`) with its first `step` steps played (at most
   * all of them), as "Previous step" rebuilds them. Throws if there is none.
   */
  async start(id, variant, step = 0) {
    const L = await fetchLesson(id);
    const tb = variant === 'textbook';
    if (tb && !L.textbook) throw new Error(tr('there is no variant "{0}"', variant));
    this.cur = L;
    this.variant = tb ? 'textbook' : null;
    this.play = tb ? L.textbook : L;
    this.auto = false;
    const p = Math.min(Math.max(0, Math.floor(step) || 0), this.steps.length);
    if (!(p > 0 ? this.replayTo(p) : this.open())) { this.cur = null; return; }
    if (!p) this.render();
  }

  restart() { return this.start(this.cur.id, this.variant); }

  /** The lesson's world at the end of its setup; the instants of its steps. */
  open() {
    const L = this.cur, ui = this.ui;
    if (!ui.open(this.play.setup, L.seed, this.t(L.title), '')) return false;
    const w = ui.world;
    this.t0 = w.nowUs;
    this.starts = [];
    let t = this.t0;
    for (const st of this.steps) { this.starts.push(t); t += (st.play_ms || 0) * 1000; }
    this.tEnd = t;
    this.pos = 0;
    this.results = null;
    this.seen = 0;     // the last step's captions the reader has been shown (render())
    this.reach = this.t0;
    this.past = false;
    this.own = w.pg.actions_len();
    w.judgeReads = true;   // which of the reader's statements only read (mine())
    ui.decFrom = w.pg.decisions_len();
    ui.showIds = !!L.show_ids;
    this.focus(null);
    return true;
  }

  /** ✕: the lesson closed, and its link left (a reload then opens the default scenario, not the lesson again). */
  close() {
    const id = this.cur && this.cur.id;
    this.stop();
    if (id && addressParts().includes(`lesson=${id}`)) setAddress([]);
  }

  stop() {
    if (this.cur) this.link(null);
    this.cur = null;
    this.ui.world.judgeReads = false;
    this.auto = false;
    this.past = false;
    this.ui.decFrom = 0;
    this.ui.showIds = false;
    clearTimeout(this.timer);
    this.focus(null);
    this.bar.hidden = true;
    document.documentElement.style.scrollPaddingTop = '';
    document.documentElement.style.scrollPaddingBottom = '';
  }

  /** The lesson's instant after `p` steps (when step p's statements apply). */
  at(p) { return p < this.steps.length ? this.starts[p] : this.tEnd; }

  /**
   * Whether the world is the lesson's own: every statement since its last step is the
   * lesson's, or the reader's that only read and changed nothing (world.js marks them).
   */
  mine() {
    const w = this.ui.world, n = w.pg.actions_len();
    if (n < this.own) return false;
    for (let i = this.own; i < n; i++) if (w.reads[i] !== true) return false;
    return true;
  }

  /**
   * Keep the address bar on the lesson shown: `step=N` after N steps (none before the first;
   * the checks' end is the last step's), `variant=textbook` in textbook mode; `p` null drops
   * both (the lesson closed). Only a lesson link to this lesson is touched, in place, and
   * not in an embed (dom.js's setAddress(): its address is the host page's frame).
   */
  link(p) {
    const parts = addressParts(), at = parts.indexOf(`lesson=${this.cur.id}`);
    if (at < 0) return;
    const keep = parts.filter((x) => !/^(step|variant)=/.test(x));
    if (p != null && this.variant) keep.splice(keep.indexOf(parts[at]) + 1, 0, `variant=${this.variant}`);
    if (p) keep.push(`step=${p}`);
    setAddress(keep);
  }

  /** Move the world to simulated instant `us` exactly: back by seeking, on by running. */
  goTo(us) {
    const w = this.ui.world, now = w.nowUs;
    w.stopAtUs = null;
    if (us === now) return;
    if (us < now || w.horizonUs > now) w.seekUs(us);
    else {
      w.pg.advance((us - now) / 1000);
      w.refresh();
    }
  }

  /**
   * The reader pressed `what` ('next' or 'prev': a tap, a click, Enter): act on it, unless it
   * repeats the same press within AGAIN_MS (a double tap, a key held down). True if acted on.
   */
  press(what, ev) {
    const now = performance.now(), last = this.pressed;
    const soon = !!last && last.what === what && now - last.at < AGAIN_MS;
    const mouse = ev?.pointerType === 'mouse';
    if (ev?.isTrusted && (ev.repeat || ev.detail > 1 || (soon && !mouse))) return false;
    this.pressed = { what, at: now };
    if (what === 'prev') this.prev();
    else { this.auto = false; this.next(); }
    return true;
  }

  /** Play every step in turn, pausing on each long enough to read its caption (embed autoplay). */
  autoplay() {
    this.auto = true;
    this.next();
  }

  onStop() {
    if (!this.auto || !this.cur) return;
    const words = this.caption().length;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { if (this.auto && this.cur) this.next(); }, Math.min(9000, 1500 + words * (this.ui.lang === 'zh' ? 90 : 35)));
  }

  /** The next step (or the checks after the last), at the lesson's own instant. */
  next() {
    if (!this.cur || this.pos > this.steps.length) return;
    const ui = this.ui, w = ui.world, clean = this.mine();
    if (clean) this.goTo(this.at(this.pos));
    this.past = false;
    ui.decSel = null;
    if (this.pos === this.steps.length) { this.check(clean); return; }
    const st = this.steps[this.pos];
    this.apply(st);
    if (clean) this.own = w.pg.actions_len();
    this.pos++;
    this.reach = w.nowUs;
    if (st.play_ms) w.playFor(st.play_ms * 1000);
    this.playedAt = performance.now();
    ui.setPlaying(!!st.play_ms);
    this.show(st);
    this.render();
    if (!st.play_ms) this.onStop();
  }

  /** A step's statements, at the lesson's own instant: they replace whatever the reader
   * played on past it, so the console's replace-the-future question is not asked. */
  apply(st) {
    // Echoed shortened, as the setup's lines are: a step's 1 KB values are no wall of x.
    for (const line of st.do || []) if (!this.ui.con.run(line, { fork: true, short: true })) break;
  }

  /** The closing expects, each shown as it held or not. */
  check(clean) {
    const ui = this.ui;
    ui.setPlaying(false);
    this.results = this.play.checks.map((c) => {
      const res = ui.con.run(c, { fork: true });
      return { text: c, ok: !!res && res.expectations.length > 0 && res.expectations.every((x) => x.passed) };
    });
    this.changed = !clean;
    if (clean) this.own = ui.world.pg.actions_len();
    this.pos++;
    this.reach = ui.world.nowUs;
    this.auto = false;
    this.focus(null);
    this.render();
  }

  /** Back one step: the world rebuilt from the setup to the end of the step before. */
  prev() {
    if (!this.cur || this.pos === 0) return;
    // From the results: the end of the last step (checks not yet run); else one step back.
    this.replayTo(this.pos > this.steps.length ? this.steps.length : this.pos - 1);
  }

  /** The lesson's own world after `p` steps, however the reader got here. False if its setup failed. */
  replayTo(p) {
    const ui = this.ui, w = ui.world;
    this.auto = false;
    clearTimeout(this.timer);
    if (!this.open()) return false;
    for (let i = 0; i < p; i++) {
      const st = this.steps[i];
      this.apply(st);
      if (st.play_ms) this.goTo(w.nowUs + st.play_ms * 1000);
    }
    this.own = w.pg.actions_len();
    this.pos = p;
    this.reach = w.nowUs;
    ui.setPlaying(false);
    if (p > 0) this.show(this.steps[p - 1]);
    this.render();
    return true;
  }

  /** Back to the lesson's present after looking back. */
  back() {
    this.goTo(this.reach);
    this.past = false;
    this.ui.decSel = null;
    this.ui.dirty = true;
    this.render();
  }

  /** What a step points at: a panel, a tab, a node. */
  show(st) {
    this.focus(st.focus);
    if (st.tab) this.ui.selectTab(st.tab);
    if (st.select) {
      this.ui.select({ type: 'node', name: st.select });
      this.ui.infoNode = st.select;
    }
  }

  focus(name) {
    this.follower?.disconnect();
    for (const el of document.querySelectorAll('.panel.focus')) el.classList.remove('focus');
    const cls = FOCUS[name];
    const grid = document.querySelector('main.grid');
    grid?.classList.toggle('lesson-focus', !!cls);
    const el = cls && document.querySelector(`.panel.${cls}`);
    if (!el) return;
    el.classList.add('focus');
    // On a phone the focused panel may be below the fold. (An embed brings it into its slot
    // itself, embed.js: scrollIntoView there would scroll the host's page too.) The bar is
    // sticky at the top there (more.css): once it has drawn this step's caption, the panel
    // is scrolled into the room under it, so caption, buttons and panel show together.
    if (innerWidth > 860 || document.documentElement.classList.contains('embed')) return;
    this.moved = false;
    if (this.follower) { this.follower.observe(this.bar); this.follower.observe(this.parts?.btns || this.bar); this.follower.observe(el); } else requestAnimationFrame(() => this.reveal(el));
  }

  /** The bar or the focused panel changed size: keep the panel in view, unless the reader moved. */
  follow() {
    const el = document.querySelector('.panel.focus');
    if (el && this.cur && !this.moved) this.reveal(el);
  }

  /** Scroll `el` into view below the sticky lesson bar (narrow screens). */
  reveal(el) {
    if (!el.classList.contains('focus') || innerWidth > 860) return;
    const top = (this.bar.hidden ? 0 : this.bar.offsetHeight) + 8;
    // The buttons' row is fixed at the bottom of the screen there (more.css).
    const bottom = (this.bar.hidden ? 0 : this.parts?.btns.offsetHeight || 0) + 8;
    const root = document.documentElement.style;
    root.scrollPaddingTop = `${top}px`;
    root.scrollPaddingBottom = `${bottom}px`;
    // Taller than the room under the bar: its top, where its heading is; else as little as needed.
    const tall = el.getBoundingClientRect().height > innerHeight - top - bottom;
    el.scrollIntoView({ block: tall ? 'start' : 'nearest', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  }

  /** The captions of the moment shown, oldest first: the step's own, then each later one
   * whose time has come. The last is the current one; the earlier stay in the bar, dimmed,
   * so a caption that a later one followed after a few seconds can still be read. */
  captions() {
    const L = this.cur, n = this.steps.length, pos = this.shownPos();
    if (pos === 0) return [this.t(this.variant ? L.textbook.note : L.summary)];
    const st = this.steps[Math.min(pos, n) - 1];
    const caps = [st.caption];
    if (st.later) {
      // After the checks, the last step has run to its end (check() went there): all of them.
      const into = pos <= n ? this.ui.world.nowUs - this.starts[pos - 1] : (st.play_ms || 0) * 1000;
      for (const l of st.later) if (into >= l.at_ms * 1000) caps.push(l.caption);
    }
    return caps.map((c) => this.t(c));
  }

  /** The steps begun at the moment shown: the lesson's own, or, looking back, those whose
   * statements had applied by then (0 in the setup), so the caption is that moment's. */
  shownPos() {
    if (!this.past) return this.pos;
    const now = this.ui.world.nowUs, last = Math.min(this.pos, this.steps.length);
    let p = 0;
    while (p < last && this.starts[p] <= now) p++;
    return p;
  }

  /** The current caption (the last of captions()). */
  caption() { return this.captions().at(-1); }

  /** Called every frame: notice looking back and timed captions, redraw the bar when they change. */
  frame(w) {
    if (!this.cur) return;
    const now = w.nowUs;
    if (!this.past && now >= this.reach) this.reach = now;
    // Looking back: before the lesson's present, or a decision picked from the history.
    this.past = now < this.reach;
    const sig = `${this.pos}/${this.past}/${this.shownPos()}/${this.caption()}/${this.ui.lang}/${w.playing}/${this.mine()}/${innerWidth < 360}`;
    if (sig !== this.sig) this.render();
    else {
      this.hint?.classList.toggle('on', this.hinting());
      // Looking back, the time shown moves on its own (a drag seeks every frame, past its first).
      const el = this.past && this.bar.querySelector('.lb-past'), say = el && this.pastText();
      if (el && el.textContent !== say) el.textContent = say;
    }
  }

  pastText() { return tr('Looking back at t = {0} s (read-only). The lesson is at t = {1} s.', secs(this.ui.world.nowUs), secs(this.reach)); }

  /** Whether the step has been playing for a while (slow motion can make one last 40 s). */
  hinting() {
    const w = this.ui.world;
    return w.stopAtUs != null && w.playing && !this.past && performance.now() - (this.playedAt || 0) > HINT_MS;
  }

  nextLesson() {
    const idx = this.ui.lessonIndex || [];
    const i = idx.findIndex((l) => l.id === this.cur.id);
    return i >= 0 && i + 1 < idx.length ? idx[i + 1] : null;
  }

  /** The bar's parts, made once: render() patches them and keep()s the buttons shown. */
  build() {
    const btn = (cls, onclick, ...kids) => h('button', { class: `btn${cls ? ` ${cls}` : ''}`, onclick }, ...kids);
    // A click acts on the lesson as it is then (each handler reads this.cur).
    const e = this.parts = {
      head: h('div', { class: 'lb-head' }),
      notredis: h('span', { class: 'lb-notredis notredis' }),
      title: h('b'),
      step: h('span', { class: 'lb-step mono' }),
      cap: h('div', { class: 'lb-cap', 'aria-live': 'polite' }),
      btns: h('div', { class: 'lb-btns' }),
      // On a phone, what shows only at the end (next lesson, replay, textbook mode) is read
      // with the caption, in the bar: the buttons' row keeps Previous, Next, Start over and ✕.
      more: h('div', { class: 'lb-more' }),
      back: btn('primary lb-back', () => this.back()),
      prev: btn('lb-prev', (ev) => this.press('prev', ev)),
      next: btn('primary lb-next', (ev) => this.press('next', ev)),
      // At the end, the whole lesson; during it, the lesson's own world at the current step.
      replay: btn('lb-replay', () => this.cur && this.replayTo(Math.min(this.pos, this.steps.length))),
      textbook: btn('warn', () => this.cur && this.start(this.cur.id, 'textbook')),
      redis: btn('', () => this.cur && this.start(this.cur.id)),
      nextLesson: btn('primary lb-nextlesson', () => { const l = this.cur && this.nextLesson(); if (l) this.ui.pickLesson(l.id); }),
      restart: btn('lb-restart', () => this.cur && this.restart()),
      close: btn('lb-close', () => this.close(), '✕'),
      hint: h('span', { class: 'lb-hint' }),
    };
    e.next.setAttribute('aria-keyshortcuts', 'Enter');
    fill(this.bar, e.head, e.cap, e.more, e.btns);
    return e;
  }

  render() {
    const L = this.cur, ui = this.ui;
    if (!L) { this.bar.hidden = true; return; }
    const w = ui.world, n = this.steps.length, pos = this.pos;
    this.sig = `${pos}/${this.past}/${this.shownPos()}/${this.caption()}/${ui.lang}/${w.playing}/${this.mine()}/${innerWidth < 360}`;
    this.bar.hidden = false;
    this.bar.lang = ui.lang === 'zh' ? 'zh-Hans' : 'en';
    const tb = this.variant === 'textbook';
    const finished = pos > n;
    // The reader's own statement changed the lesson's world (what check() reports at the
    // end, said at once): the captions go on describing the lesson's world, not this one.
    const diverged = !finished && !this.past && !this.mine();
    const done = finished && this.results.every((r) => r.ok);
    const running = w.stopAtUs != null && w.playing;
    // Under 360 px wide (a 320 px phone or embed) the last step's label is short, so Previous,
    // it and Start over keep one row, each on one line; its title and name say it in full.
    const small = innerWidth < 360;
    const check = pos === n && !finished && small;
    const label = pos === 0 ? tr('Start ▶') : pos < n ? tr('Next step ▶') : finished ? '' : check ? tr('Check ✓') : tr('Check the result ✓');
    const nextL = finished && this.nextLesson();
    const incident = L.kind === 'incident';
    const interview = finished && !this.past && L.interview && !tb ? L.interview[ui.lang] || L.interview.en : null;
    // The last step's captions shown so far: a reader who pressed "Check the result" at once
    // has not seen its timed ones, the lesson's payoff, so the result view shows them.
    if (pos === n && !this.past) this.seen = Math.max(this.seen || 0, this.captions().length);
    const payoff = interview ? this.captions().slice(Math.max(1, this.seen || 0)) : [];
    const embed = document.documentElement.classList.contains('embed');
    // On a phone the buttons, ✕ included, fit one row: Previous says less (its title says all).
    const phone = !embed && innerWidth <= 860;
    // So does an embed under 360 px wide (320 px: its buttons' row fits the frame).
    const narrow = phone || (embed && small);
    // An embed's one-panel layout (a phone-sized frame, embed.js) has one row of buttons: the
    // extra ones go in the caption's scrolling area, after the note that asks for them.
    const tight = embed && document.documentElement.classList.contains('e-one');
    this.bar.classList.toggle('lb-running', running);
    const e = this.parts || this.build();
    const extras = [
      ((finished && this.changed) || diverged) && e.replay,
      L.textbook && finished && !tb && e.textbook,
      tb && finished && e.redis,
      nextL && !embed && e.nextLesson];
    keep(e.head, [tb && e.notredis, e.title, e.step]);
    text(e.notredis, tr('TEXTBOOK MODE — NOT REAL REDIS'));
    text(e.title, this.t(L.title));
    // The step whose caption shows: looking back, the moment shown's (shownPos), so the
    // count agrees with the caption; the lesson's own step is back with the lesson.
    const shown = Math.min(this.shownPos(), n);
    text(e.step, `${shown}/${n}`);
    attr(e.step, 'title', tr('Step {0} of {1}', shown, n));
    // The caption area is redrawn whole (the buttons are not: see below).
    fill(e.cap,
      this.past ? h('p', { class: 'lb-past' }, this.pastText()) : null,
      diverged ? h('p', { class: 'lb-diverged', role: 'status' }, tr('You changed this world with your own statements: the captions describe the lesson’s own world, not this one.')) : null,
      tight && extras.some(Boolean) ? h('div', { class: 'lb-more' }, extras.filter(Boolean)) : null,
      // At the end the interview box takes the caption's place (the last step's caption was
      // read; its timed captions too, or they show here: payoff);
      // looking back, the caption of the moment shown is back.
      // The step's earlier captions stay, dimmed, above the current one (re-readable).
      interview ? null : this.captions().slice(0, -1).map((c) => h('p', { class: 'lb-earlier' }, c)),
      interview ? null : h('p', { class: 'lb-text' }, this.caption()),
      // What the last step's timed captions said, unseen when the reader checked at once.
      payoff.map((c) => h('p', { class: 'lb-payoff' }, c)),
      // The checks, folded when they all held (the console lists them too).
      finished ? h('details', { class: 'lb-verdict', open: !done },
        h('summary', null, h('span', { class: done ? 'lb-ok' : 'lb-bad' }, done ? tr('✓ Every check held ({0})', this.results.length) : tr('✕ A check failed (see the console):'))),
        h('ul', { class: 'lb-checks mono' },
          this.results.map((r) => h('li', { class: r.ok ? 'pass' : 'fail' }, `${r.ok ? '✓' : '✕'} ${r.text.replace(/^expect\s+/, '')}`)))) : null,
      finished && this.changed ? h('p', { class: 'lb-note' }, tr('You changed this world with your own statements, so the lesson’s checks ran on your version of it.')) : null,
      interview ? h('div', { class: 'lb-interview' },
        h('b', null, incident ? tr('What to remember') : tr('What to say in the interview')),
        h('ul', null, interview.map((x) => h('li', null, x)))) : null,
      L.textbook && finished && !tb ? h('p', { class: 'lb-note' }, this.t(L.textbook.note)) : null);
    // The buttons are the same elements from one caption to the next, patched: a press whose
    // release comes after the bar changed (a step that stops under the finger) is still a click.
    text(e.back, tr('Back to the lesson'));
    text(e.prev, narrow ? tr('◀ Previous') : tr('◀ Previous step'));
    attr(e.prev, 'title', tr('Replay to the end of the previous step'));
    e.prev.disabled = pos === 0;
    text(e.next, label);
    attr(e.next, 'title', running ? tr('Skips to the end of this step, then goes on') : check ? tr('Check the result') : null);
    attr(e.next, 'aria-label', check ? tr('Check the result') : null);
    text(e.replay, tr('Replay the lesson’s own steps'));
    text(e.textbook, tr('Textbook mode (NOT Redis) ▶'));
    text(e.redis, tr('Back to real Redis'));
    // The ▶ stays with the title's last word (a no-break space): on a phone the label wraps, never the arrow alone.
    if (nextL) text(e.nextLesson, tr('Next lesson: {0} ▶', this.t(nextL.title)).replace(/ ▶$/, '\u00a0▶'));
    text(e.restart, tr('Start over'));
    attr(e.close, 'aria-label', tr('Close the lesson'));
    // Its line is kept (hidden) through every step, so showing it moves nothing; on a phone
    // only while the step plays (more.css), so a stopped step's bar has no empty band.
    this.hint = pos > 0 && !finished && label && !embed ? e.hint : null;
    if (this.hint) {
      text(e.hint, tr('Still playing… “{0}” jumps to the end of this step.', label));
      e.hint.classList.toggle('on', this.hinting());
    }
    keep(e.more, phone ? extras : []);
    keep(e.btns, [
      this.past && e.back,
      // Shown (disabled) before the first step too: Start is where Next will be, so a
      // second tap on the same spot goes on instead of back.
      !this.past && e.prev,
      label && !this.past && e.next,
      ...(phone || tight ? [] : extras),
      e.restart,
      !embed && e.close,
      this.hint]);
    // On a phone the bar stops sticking once the lesson is over: the checks, the interview
    // box and the next lesson are read in full, with the page, from the bar's top.
    const ended = !!finished && !this.past;
    if (ended !== this.bar.classList.contains('lb-finished')) {
      this.bar.classList.toggle('lb-finished', ended);
      if (ended && !embed && innerWidth <= 860) this.bar.scrollIntoView({ block: 'start' });
    }
    // On a phone and in an embed the caption area scrolls inside the bar: show the note that
    // the world changed, else the newest caption from its start (the step's earlier ones
    // are above it).
    const cap = this.bar.querySelector('.lb-cap');
    const first = cap && (cap.querySelector('.lb-diverged') || cap.querySelector('.lb-text'));
    if (!finished && first && cap.scrollHeight > cap.clientHeight) cap.scrollTop = first.offsetTop - cap.firstElementChild.offsetTop;
    this.stepShown = Math.min(pos, n);
    this.link(this.stepShown);
  }

  /**
   * The full page's address of the lesson at the step shown (`#lesson=ID&step=N`, as
   * link() keeps, with `lang=zh` in Chinese), for an embed's "Open in replscope": null once
   * the reader's own statements changed the world (then the world's own link says more).
   */
  address() {
    if (!this.cur || !this.mine()) return null;
    const parts = [`lesson=${this.cur.id}`];
    if (this.variant) parts.push(`variant=${this.variant}`);
    if (this.stepShown) parts.push(`step=${this.stepShown}`);
    return fragment(parts);
  }
}
