// Opening a scenario whose `wait`s add up to a simulated minute or more (a `wait sync`
// and a blocking command are not counted: they end when the world is ready, most in
// seconds, though scenario::bounds allows each ten minutes): the core builds its
// world a stretch of simulated time at a call (`new Playground(text, seed, true)`, then
// `load`), one call per task, so the page keeps drawing the session shown, a line in the
// console says how far the new one got, and Stop (or Esc, or Ctrl-C in the console) gives it
// up, the session shown unchanged. The world built is the one `new Playground(text)` builds
// in one go (tests/playground_load.rs): its `wait`s logged whole, so its share link and Undo
// are the text's. A shorter scenario opens in one go, as before.

import { Playground } from '../pkg/replscope.js';
import { progress, SLICE_MS } from './longwait.js';
import { tr, secs } from './dom.js';

/** Scenarios that may run this long (µs of simulated time) or longer open in steps. */
export const STEPPED_US = 60e6;
const MAX_SLICE_US = 24 * 3600e6;

const WAIT = /^\s*wait\s+(\d+)(us|ms|s|m)\s*(#.*)?$/;
const UNIT = { us: 1, ms: 1e3, s: 1e6, m: 60e6 };

/** The simulated time the `wait DUR` lines of `text` add up to (µs). */
export function waitsUs(text) {
  let us = 0;
  for (const line of text.split('\n')) {
    const m = WAIT.exec(line);
    if (m) us += Number(m[1]) * UNIT[m[2]];
  }
  return us;
}

/**
 * Build the world of `text` (named `title` in the console) in steps. Resolves with the
 * Playground, to be adopted (ui.load's `pg`), or null when the reader stopped it (said in
 * the console); rejects with the scenario's error as `new Playground` throws it.
 */
export function build(ui, text, seed, title, us) {
  return new Promise((resolve, reject) => {
    let pg;
    try {
      pg = new Playground(text, seed == null ? undefined : seed, true);
    } catch (e) {
      reject(e);
      return;
    }
    const con = ui.con, opened = ui.world.opened;
    ui.setPlaying(false);
    const p = progress(con, () => tr('{0} is still loading: press Stop (or Esc or Ctrl-C in the console) first.', title));
    const at = () => pg.now_ms() * 1000;
    const show = () => p.show(tr('Loading {0}: t = {1} s (its waits add up to {2} s).', title, secs(at()), secs(us)));
    const end = (pgOut, err) => {
      p.end();
      if (!pgOut) pg.free();
      if (err) reject(err);
      else resolve(pgOut);
    };
    let slice = 1e6;
    const step = () => {
      // Stopped, or another session opened meanwhile: this one is given up.
      if (p.stop || ui.world.opened !== opened) {
        if (p.stop) con.print('note', tr('Loading {0} stopped at t = {1} s: the session shown is unchanged.', title, secs(at())));
        end(null);
        return;
      }
      const a = performance.now();
      let done;
      try {
        done = pg.load(slice / 1000);
      } catch (e) {
        end(null, e);
        return;
      }
      if (done) { end(pg); return; }
      // Aim at SLICE_MS a call, changing by at most four times each time.
      const ms = performance.now() - a, want = (slice * SLICE_MS) / Math.max(ms, 0.5);
      slice = Math.round(Math.min(MAX_SLICE_US, Math.max(1e3, slice / 4, Math.min(slice * 4, want))));
      show();
      setTimeout(step, 0);
    };
    show();
    setTimeout(step, 0);
  });
}
