// The timeline: a scrubber over everything this run has reached, with a diamond per
// PSYNC decision (filled: full resync, hollow: partial) and a tick per statement.
// Seeking is the core's: back to a checkpoint, then an exact replay of the log. When a
// long session's oldest history was dropped to bound memory (world.keptFromUs), that
// part of the track is a hatched band: seeking into it stops at the earliest moment
// kept, and a note under the track says why.

import { h, v, patch, setText, secs, tr } from './dom.js';

export class Timeline {
  constructor(ui) {
    this.ui = ui;
    this.range = document.getElementById('scrub');
    this.marks = document.getElementById('tl-marks');
    this.decs = document.getElementById('tl-dec');
    this.end = document.getElementById('tl-end');
    this.dragging = false;
    this.sig = '';
    this.actions = [];
    this.W = 600;
    // The dropped part, over the range (its clicks are its own) and under the diamonds.
    this.gone = h('div', { class: 'tl-gone', role: 'img', hidden: true, onpointerdown: (e) => { e.preventDefault(); this.range.focus(); this.seek(0); } });
    this.range.after(this.gone);
    this.note = h('p', { class: 'tl-note', role: 'status', hidden: true });
    this.range.closest('.timeline').append(this.note);
    // Sizes come from the observer: reading clientWidth while drawing would force a layout.
    new ResizeObserver(() => { this.W = this.marks.clientWidth || 600; this.sig = ''; this.ui.dirty = true; }).observe(this.marks);
    // The diamonds are redrawn in place (patch) every frame the run grows: one listener
    // for all of them, each saying which decision it is (or that it is in the dropped history).
    this.decs.addEventListener('click', (e) => {
      const b = e.target.closest && e.target.closest('.tl-dm');
      if (!b) return;
      if (b.hasAttribute('data-gone')) this.say();
      else this.ui.showDecision(+b.dataset.i);
    });
    // On a phone the panels stack above the timeline: a seek that changes the height of one
    // of them (no decision made yet, a shorter ruler) moved the track under the finger, 200 px
    // back to t = 0. While the reader seeks from the timeline (and a moment after), the page
    // scrolls by as much as the track moved, before it is painted: the track stays put.
    this.pinned = null;
    const ro = new ResizeObserver(() => this.keepPinned());
    const grid = this.range.closest('main');
    if (grid) for (const el of [grid, ...grid.children]) ro.observe(el);
    // The reader scrolling the page themselves ends it.
    for (const t of ['wheel', 'touchstart']) addEventListener(t, (e) => { if (e.target !== this.range) this.pinned = null; }, { capture: true, passive: true });
    this.decs.addEventListener('pointerdown', () => this.pin(), true);
    const r = this.range;
    r.addEventListener('input', () => {
      this.dragging = true;
      this.val = null;   // the reader moved the thumb: the value drawn is no longer the one written
      const us = +r.value * 1000, from = this.ui.world.keptFromUs;
      if (us < from) r.value = String(Math.ceil(from / 1000));   // the thumb stops at the band
      this.seek(us);
    });
    r.addEventListener('change', () => { this.dragging = false; this.pin(); });
    r.addEventListener('pointerup', () => { this.dragging = false; this.pin(); });
    r.addEventListener('keydown', (e) => {
      const step = { ArrowLeft: -100, ArrowRight: 100, ArrowDown: -100, ArrowUp: 100, PageDown: -10000, PageUp: 10000 }[e.key];
      const w = this.ui.world;
      if (step != null) {
        e.preventDefault();
        // From the seek still pending, if any: quick presses add up instead of repeating one step.
        this.seek((this.ui.seekBaseUs ?? w.nowUs) + step * (e.shiftKey ? 10 : 1) * 1000);
      } else if (e.key === 'Home') { e.preventDefault(); this.seek(0); }
      else if (e.key === 'End') { e.preventDefault(); this.ui.requestSeek(w.extentUs); }
    });
  }

  /** Keep the track where it is on the screen for the next moment (narrow screens, see above). */
  pin() {
    if (innerWidth > 860 || document.documentElement.classList.contains('embed')) return;
    const top = this.range.getBoundingClientRect().top;
    // A gesture keeps the place where it began; each seek in it makes the pin last longer.
    if (!this.pinned || performance.now() > this.pinned.until) this.pinned = { top };
    this.pinned.until = performance.now() + 800;
  }

  /** Something resized (after layout, before paint): scroll back by as much as the track moved. */
  keepPinned() {
    const p = this.pinned;
    if (!p || performance.now() > p.until) { this.pinned = null; return; }
    const d = this.range.getBoundingClientRect().top - p.top;
    if (Math.abs(d) >= 0.5) scrollBy(0, d);
  }

  /** Seek, but not before the earliest moment kept: there, the note says why. */
  seek(us) {
    this.pin();
    const from = this.ui.world.keptFromUs;
    if (us < from) { us = from; this.say(); }
    this.ui.requestSeek(us);
  }

  /** The note under the track, for a few seconds: the history before the band's end is gone. */
  say() {
    this.relabel(true);
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => { this.note.hidden = true; }, 6000);
  }

  /** The note's words, in the language chosen (i18n.js calls this when it changes). */
  relabel(show) {
    if (show) this.note.hidden = false;
    if (!this.note.hidden) this.note.textContent = tr('History before t = {0} s was dropped to bound memory: seeking stops at the earliest moment kept', secs(this.ui.world.keptFromUs));
  }

  /**
   * Statement ticks, fetched incrementally and in parts (a load generator applies a
   * thousand a second, and the core's log may hold tens of thousands). One time per 1/4000
   * of the run is kept: ticks are drawn one per pixel column, and the run only gets
   * longer, so a dropped one would share a column with a kept one. A fork drops the
   * statements after the moment it happened at, so the cache keeps only those before it
   * and fetches the rest again; when the core forgets its oldest statements (a long
   * load), the log shifts, and where the fetched ones end is found again. Both searches
   * bisect the log one statement at a time.
   */
  refreshActions(w) {
    const pg = w.pg;
    if (this.pg !== pg) { this.pg = pg; this.seen = 0; this.actions = []; this.lastAt = -1; }
    const n = pg.actions_len();
    const at = (i) => pg.actions_since(i, 1)[0];
    const find = (before) => { let lo = 0, hi = n; while (lo < hi) { const mid = (lo + hi) >> 1; if (before(at(mid))) lo = mid + 1; else hi = mid; } return lo; };
    if (w.forkedAt != null) {
      const cut = w.forkedAt;
      this.actions = this.actions.filter((t) => t < cut);
      this.seen = find((a) => a.t_us < cut);
      this.lastAt = this.seen ? at(this.seen - 1).at_events : -1;
      w.forkedAt = null;
    } else if (this.seen && (this.seen > n || at(this.seen - 1).at_events !== this.lastAt)) {
      const last = this.lastAt;
      this.seen = find((a) => a.at_events <= last);
    }
    const A = this.actions;
    while (this.seen < n) {
      const part = pg.actions_since(this.seen, 4096), gap = Math.max(1, w.extentUs / 4000);
      if (!part.length) break;
      for (const a of part) if (a.interactive && !(a.t_us - A[A.length - 1] < gap)) A.push(a.t_us);
      this.seen += part.length;
      this.lastAt = part[part.length - 1].at_events;
    }
    this.sig = '';
  }

  /** One tick per pixel column at most. */
  ticks(x) {
    const cols = new Set();
    for (const t of this.actions) cols.add(Math.round(x(t)));
    return [...cols].map((c) => v('line', { class: 'act', x1: c, x2: c, y1: 22, y2: 29 }));
  }

  render(w) {
    const ext = Math.max(1, w.extentUs), now = w.view.t_us;
    const r = this.range;
    const max = String(Math.ceil(ext / 1000)), val = String(Math.round(now / 1000));
    // Written only when it changed, compared with what was written last (reading a range
    // input's value back and setting it cost ~0.1 ms a frame under a write load).
    if (this.max !== max) r.max = this.max = max;
    if (!this.dragging && this.val !== val) r.value = this.val = val;
    const vt = tr('{0} seconds of {1}', secs(now), secs(ext));
    if (!this.dragging && this.vt !== vt) r.setAttribute('aria-valuetext', (this.vt = vt));
    const sig = `${w.decBase}/${w.decEnd}/${w.decLast}/${w.decPast}/${Math.round(ext / 2e4)}/${Math.round(now / 2e4)}/${this.actions.length}/${this.ui.decSel}/${Math.round(w.keptFromUs / 2e4)}`;
    if (sig === this.sig) return;
    this.sig = sig;
    setText(this.end, `${secs(ext)} s`);
    const W = this.W;
    const x = (t) => (t / ext) * W;
    const from = Math.min(w.keptFromUs, ext), gone = this.gone;
    if (gone.hidden !== !(from > 0)) gone.hidden = !(from > 0);
    if (from > 0) {
      // Across the marks' width (the range's, less half a thumb each side).
      const width = `calc((100% - 14px) * ${(from / ext).toFixed(5)})`;
      if (this.goneW !== width) gone.style.width = this.goneW = width;
      const why = tr('History before t = {0} s was dropped to bound memory', secs(from));
      if (this.goneWhy !== why) {
        gone.title = this.goneWhy = why;
        gone.setAttribute('aria-label', why);
      }
    }
    if (this.vbW !== W) this.marks.setAttribute('viewBox', `0 0 ${(this.vbW = W)} 30`);
    // Drawn in place: a frame of a write load moves the marks, it does not make new ones.
    patch(this.marks, [
      now < ext ? v('rect', { class: 'future', x: x(now), y: 9, width: W - x(now), height: 12 }) : null,
      this.ticks(x)]);
    const kids = [];
    const cur = this.ui.decisions.current(w);
    // One diamond per kind, future or not, and pixel column: a reconnect loop makes
    // thousands of decisions, which would be as many buttons (the current one is kept).
    const seen = new Set();
    for (let i = w.decLast - 1; i >= w.decBase; i--) {
      const r = w.dec(i);
      if (!r) { i = w.decEnd; continue; }   // the gap before the future set aside
      const col = `${Math.round((r.t_us / ext) * W)}${r.decision.verdict.verdict}${i >= w.decPast}`;
      if (i !== cur && seen.has(col)) continue;
      seen.add(col);
      const partial = r.decision.verdict.verdict === 'continue';
      const rep = r.decision.replica.replace(/:\d+$/, '');
      if (r.t_us < from) {
        // In the dropped history: dimmed, and a click says why it cannot be shown.
        const why = tr('Decision at {0} s, in the dropped history: it can no longer be shown', secs(r.t_us));
        kids.push(v('button', {
          class: `tl-dm ${partial ? 'partial' : 'full'} gone`, style: `left:${((r.t_us / ext) * 100).toFixed(3)}%`,
          title: why, 'aria-label': why, 'aria-disabled': 'true', 'data-gone': '',
        }));
        continue;
      }
      kids.push(v('button', {
        class: `tl-dm ${partial ? 'partial' : 'full'}${i >= w.decPast ? ' future' : ''}`, 'data-i': i,
        style: `left:${((r.t_us / ext) * 100).toFixed(3)}%${i === cur ? ';outline:2px solid var(--focus)' : ''}`,
        title: tr(partial ? '{0} s: {1} → {2} +CONTINUE (partial resync)' : '{0} s: {1} → {2} +FULLRESYNC (full resync)', secs(r.t_us), rep, r.node),
        'aria-label': tr(partial ? 'Decision at {0} s: partial resync of {1}' : 'Decision at {0} s: full resync of {1}', secs(r.t_us), rep),
      }));
    }
    patch(this.decs, kids.reverse());
  }
}
