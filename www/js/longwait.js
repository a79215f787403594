// A typed `wait` of a simulated minute or more runs in slices, one per task, so the page
// keeps drawing and answering: the clock and the panels move, a line in the console
// shows how far it got, and Stop (or Esc, or Ctrl-C) ends it where it is. The core runs a
// statement in one go (a week of three idle nodes is ~19 M events, ~12 s): run as one
// statement, the tab froze until it was over.
//
// The slices are time passing, as Play makes it: the session's script gets the same
// `wait` (the time between statements), and the world is the one the statement makes.
// In a rewound past, the first second is a `wait` statement (it replaces the recorded
// future, as any statement there does); the rest runs on from it.
//
// A long paste runs in slices too (console.js), with the same progress line and Stop; so
// does the Compare tab's replay of a long session on two versions (replay.js, compare.js).

import { h, tr, secs, dur } from './dom.js';

/** Waits from this long (µs) run in slices... */
const SLICED_US = 60e6;
/** ...up to the longest the core allows (a week): a longer one goes to the core, which says so. */
const WAIT_MAX_US = 7 * 24 * 3600e6;
/** Whether a `wait` of `us` runs in slices. */
export const sliced = (us) => us >= SLICED_US && us <= WAIT_MAX_US;
/** Wall time (ms) one slice aims at: the page draws between slices. */
export const SLICE_MS = 30;
/** The most simulated time one `advance` or `load` runs (crate/wasm.rs, ADVANCE_MAX_US). */
export const MAX_SLICE_US = 24 * 3600e6;

/**
 * The slice (µs of simulated time) to run next, after one of `slice` µs took `ms` of wall
 * time: aimed at SLICE_MS, growing by half at most (the events a µs vary: a slice four
 * times the last one's took 110 ms), shrinking at once; from 1 ms to MAX_SLICE_US. The one
 * rule of every loop that runs simulated time in slices: a typed `wait` (here), a long
 * opening (opening.js), the Compare tab's replay (replay.js).
 */
export function nextSlice(slice, ms) {
  const want = (slice * SLICE_MS) / Math.max(ms, 0.5);
  return Math.round(Math.min(MAX_SLICE_US, Math.max(1e3, Math.min(slice * 1.5, want))));
}

/** The µs a `wait DUR` line asks for, or 0 for any other line. */
export function waitUs(line) {
  const m = /^wait\s+(\d+)(us|ms|s|m)\s*(#.*)?$/.exec(line);
  return m ? Number(m[1]) * { us: 1, ms: 1e3, s: 1e6, m: 60e6 }[m[2]] : 0;
}

/**
 * Run `line` (a `wait` of `us`) in slices for the console `con` (in a rewound past, the
 * reader has agreed to replace its future). Returns at once; the wait goes on, and
 * `then()` runs once it has run to its end (not when stopped: `stopped()` then).
 */
export function longWait(con, line, us, then, stopped) {
  const ui = con.ui, w = ui.world, pg = w.pg;
  const t0 = w.nowUs, end = t0 + us;
  ui.setPlaying(false);
  con.print('cmd', line).dataset.t = t0;
  if (w.extentUs > t0) {
    // A statement first: it forks the timeline where the reader stands.
    try {
      w.apply(`wait ${dur(Math.min(us, 1e6))}`);
    } catch (e) {
      con.print('err', String(e && e.message ? e.message : e));
      return;
    }
  }
  let slice = 1e6;
  const p = progress(con, () => tr('{0} is still running: press Stop (or Esc or Ctrl-C in the console) first.', line));
  const show = () => p.show(tr('Running {0}: {1}% of its simulated time has run (t = {2} s).', line, Math.floor(((w.nowUs - t0) / us) * 100), secs(w.nowUs)));
  show();
  const finish = (note) => {
    p.end();
    if (note) con.print('note', note);
    ui.afterAction();
    if (note) stopped?.();
    else if (w.pg === pg) then?.();
  };
  // Where the wait got to (a seek meanwhile shows another moment).
  const stoppedNote = () => tr('{0} stopped at t = {1} s, after {2} s of its {3} s.', line, secs(at), secs(at - t0), secs(us));
  let at = w.nowUs;
  const step = () => {
    try {
      slice1();
    } catch (e) {
      // A slice that failed (the wasm out of memory) must not leave the console blocked.
      con.print('err', `page error: ${e && e.message ? e.message : e}`);
      if (!p.done) finish(stoppedNote());
    }
  };
  const slice1 = () => {
    if (w.pg !== pg) { finish(null); return; }   // another scenario was loaded
    const left = end - at;
    if (left <= 0) { finish(null); return; }   // over, even if Stop came after
    // Play or a seek moved time meanwhile: the wait is over where it got to.
    if (p.stop || w.playing || w.nowUs !== at) { finish(stoppedNote()); return; }
    const run = Math.min(slice, left);
    const a = performance.now();
    w.pg.advance(run / 1000);
    const ms = performance.now() - a;
    const halted = w.ceilingStop();
    w.refresh();
    const moved = w.nowUs !== at;
    at = w.nowUs;
    slice = nextSlice(slice, ms);
    show();
    ui.dirty = true;
    if (halted || !moved) { finish(stoppedNote()); return; }   // the dataset ceiling holds time
    setTimeout(step, 0);
  };
  setTimeout(step, 0);
}

/**
 * The line at the end of the console's output that shows how far a long run got, with
 * Stop (Esc or Ctrl-C in the console stop too); while it shows, the reader's statements are
 * refused, `busy()` saying why. `p.stop` says Stop was asked; `p.show(text)`, `p.end()`.
 */
export function progress(con, busy) {
  const ui = con.ui, p = { stop: false, done: false };
  const btn = h('button', { type: 'button', class: 'btn', onclick: () => { p.stop = true; } }, tr('Stop'));
  const text = h('span', {}, '');
  // Not a live region: it changes every slice. What it ends with is printed.
  p.row = h('div', { class: 'note' }, text, ' ', btn);
  con.out.append(p.row);
  con.out.scrollTop = con.out.scrollHeight;
  const blocker = () => (p.done ? null : busy());
  ui.blockers.push(blocker);
  con.stopWait = () => { p.stop = true; };
  p.show = (t) => {
    btn.textContent = tr('Stop');   // the language may have changed
    text.textContent = t;
  };
  p.end = () => {
    p.done = true;
    ui.blockers.splice(ui.blockers.indexOf(blocker), 1);
    con.stopWait = null;
    p.row.remove();
  };
  return p;
}
