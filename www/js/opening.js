// Opening a scenario whose `wait`s add up to a simulated minute or more (a `wait sync`
// and a blocking command are not counted: they end when the world is ready, most in
// seconds, though scenario::bounds allows each ten minutes): the core builds its world a
// stretch of simulated time at a call (`new Playground(text, seed, true)`, then `load`),
// one call per task, so the page keeps drawing the session shown, a line says how far the
// new one got (at the foot of the screen, seen on a phone and in an embed too, or in the
// dialog that asked for it), and Stop (or Esc) gives it up, the session shown unchanged.
// One load at a time: a second one replaces the first. The world built is the one
// `new Playground(text)` builds in one go (tests/playground_load.rs): its `wait`s logged
// whole, so its share link and Undo are the text's. A shorter scenario opens in one go.

import { Playground } from '../pkg/replscope.js';
import { nextSlice } from './longwait.js';
import { h, tr, secs } from './dom.js';

/** Scenarios whose waits add up to this long (µs of simulated time) or longer open in steps. */
export const STEPPED_US = 60e6;

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

/** The load running, if any: {giveUp()}. */
let running = null;

/**
 * Give up the load running, if any, now (build() does when the next starts; embed.js does
 * when a host's load replaces its own: not a task later, when the next build starts).
 */
export function giveUp() {
  running?.giveUp();
}

/**
 * Build the world of `text` in steps. `title` is the English name of what loads (said in
 * the language of the moment); `box`, if given, is where its progress line goes (a dialog's),
 * else the foot of the screen. Resolves with the Playground, to be adopted (ui.load's `pg`),
 * or null when it was stopped or replaced (said in the console); rejects with the scenario's
 * error as `new Playground` throws it.
 */
export function build(ui, text, seed, title, us, box) {
  running?.giveUp();
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
    const at = () => pg.now_ms() * 1000;
    const p = progress(ui, box, () => tr('{0} is still loading: press Stop (or Esc) first.', tr(title)));
    const show = () => p.show(tr('Loading {0}: t = {1} s (its waits add up to {2} s).', tr(title), secs(at()), secs(us)));
    const job = { giveUp: () => { p.gaveUp = true; } };
    running = job;
    const end = (pgOut, err) => {
      p.end();
      if (running === job) running = null;
      if (!pgOut) pg.free();
      if (err) reject(err);
      else resolve(pgOut);
    };
    let slice = 1e6;
    const step = () => {
      // Stopped, replaced by another load, or another session opened meanwhile: given up.
      if (p.stop || p.gaveUp || ui.world.opened !== opened) {
        con.print('note', p.stop ? tr('Loading {0} stopped at t = {1} s: the session shown is unchanged.', tr(title), secs(at()))
          : tr('Loading {0} was given up at t = {1} s: another session was opened.', tr(title), secs(at())));
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
      slice = nextSlice(slice, performance.now() - a);   // about SLICE_MS a call
      show();
      setTimeout(step, 0);
    };
    show();
    setTimeout(step, 0);
  });
}

/**
 * The progress line of a load, with Stop: in `box`, or fixed at the foot of the screen.
 * While it shows, the reader's statements are refused (`busy()` says why) and Esc (or
 * Ctrl-C in the console, or the dialog closing) stops it. `p.stop`: Stop was asked;
 * `p.show(text)`, `p.end()`.
 */
function progress(ui, box, busy) {
  const p = { stop: false, gaveUp: false };
  const stop = () => { p.stop = true; };
  const btn = h('button', { type: 'button', class: 'btn', onclick: stop }, tr('Stop'));
  const text = h('span', { style: 'flex:1' }, '');
  const row = h('div', {
    class: 'note', id: 'loading', role: 'status',
    style: `display:flex;gap:10px;align-items:center;${box ? '' : 'position:fixed;z-index:30;left:50%;bottom:10px;transform:translateX(-50%);width:max-content;max-width:calc(100vw - 20px);box-sizing:border-box;padding:6px 10px;border:1px solid var(--line);border-radius:8px;background:var(--panel);color:var(--ink);box-shadow:0 2px 10px rgba(0,0,0,.18)'}`,
  }, text, btn);
  (box || document.body).append(row);
  const blocker = () => busy();
  ui.blockers.push(blocker);
  ui.con.stopWait = stop;
  // A dialog that asked for it closing (Close, Esc) stops it too.
  const dlg = box && box.closest('dialog');
  dlg?.addEventListener('close', stop);
  // Esc stops it unless it closes something else first: another dialog, the lesson
  // cards, the console's question (seen before their own handlers act: capture).
  const esc = (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    const open = document.querySelector('dialog[open]');
    if ((open && open !== dlg) || document.getElementById('welcome')?.hidden === false) return;
    if (e.target instanceof Element && e.target.closest('.con-ask')) return;
    stop();
  };
  addEventListener('keydown', esc, true);
  p.show = (t) => {
    btn.textContent = tr('Stop');   // the language may have changed
    text.textContent = t;
  };
  p.end = () => {
    ui.blockers.splice(ui.blockers.indexOf(blocker), 1);
    if (ui.con.stopWait === stop) ui.con.stopWait = null;
    removeEventListener('keydown', esc, true);
    dlg?.removeEventListener('close', stop);
    row.remove();
  };
  return p;
}
