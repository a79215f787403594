// A scenario's text replayed on a world of its own in steps, so a long one (a `wait
// 120m`, a session that ran for hours) leaves the page drawing between them and can be
// stopped: the Compare tab builds its two worlds so (compare.js).
//
// `new Playground(text)` runs every statement of the text in one call, a `wait` to its
// end. Built in steps, the same world comes from the same calls the core makes:
//  - the statements before the first long `wait`, and the first second of that wait
//    (a `wait 1s`: a statement starts the chart's sampling pace afresh, as the wait
//    did), go to `new Playground`;
//  - the rest of the wait is time run by `advance` in slices (the wait's own loop: the
//    next event, then the next; a statement does not begin, so nothing else restarts);
//  - each later statement is `apply`'d, a later long `wait` split as the first.
// What the world is then (its view, INFO, CONFIG, event log, decisions, samples, the
// expects' verdicts) is byte for byte the world built in one go: tests/e2e/replay.test.mjs
// compares them. Its log of statements is not (the wait is logged as `wait 1s`, and what
// follows as typed statements), so such a world is read, never adopted as the session.
//
// A statement `apply` would run otherwise than the scenario does gives up (a `Fallback`):
// a command that blocks (a console command does not wait for its reply, a scenario's
// does), a statement refused there (a `seed` line), any error (its line and column would
// be the console's). The caller builds the world in one go then, as before.

import { Playground, scenario_bounds } from '../pkg/replscope.js';

/** A `wait` of at least this long (µs) runs in slices... */
const LONG_WAIT_US = 10e6;
/** ...up to the core's limit (a week): a longer one is the core's error, in one go. */
const WAIT_MAX_US = 7 * 24 * 3600e6;
/** The most simulated time one `advance` runs (crate/wasm.rs, ADVANCE_MAX_US). */
const MAX_SLICE_US = 24 * 3600e6;
/** Wall time (ms) a step aims at: the page draws between steps. */
export const STEP_MS = 30;

const WAIT = /^\s*wait\s+(\d+)(us|ms|s|m)\s*(#.*)?$/;
const UNIT = { us: 1, ms: 1e3, s: 1e6, m: 60e6 };

/** The µs of a `wait DUR` line that runs in slices, else 0. */
export function longWaitUs(line) {
  const m = WAIT.exec(line);
  const us = m ? Number(m[1]) * UNIT[m[2]] : 0;
  return us >= LONG_WAIT_US && us <= WAIT_MAX_US ? us : 0;
}

/** The simulated time the `wait DUR` lines of `text` add up to (µs; `wait sync` not counted). */
export function waitsUs(text) {
  let us = 0;
  for (const line of text.split('\n')) {
    const m = WAIT.exec(line);
    if (m) us += Number(m[1]) * UNIT[m[2]];
  }
  return us;
}

/** Thrown when a step cannot make the world the one go would: build it in one go. */
export class Fallback extends Error {}

const nowOf = (pg) => Math.round(pg.now_ms() * 1000);

/**
 * The world of `new Playground(text, seed)`, built in steps: `step()` runs about STEP_MS
 * of it and says whether it is built; `runTo(us)` then runs it on (as world.js's runTo)
 * in more steps. `pg` and `expects` (the expects' verdicts, as `loaded().expectations`
 * gives them) are the result; `free()` frees the world (a stop). Throws Fallback.
 */
export class Build {
  constructor(text, seed) {
    // A text that does not parse fails at once in one go, with the core's words.
    try { scenario_bounds(text); } catch { throw new Fallback('parse'); }
    this.text = text;
    this.seed = seed;
    // As the core reads lines (str::lines: a CR before the LF is not part of the line).
    this.lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
    this.first = this.lines.findIndex((l) => longWaitUs(l) > 0);
    this.pg = null;
    this.expects = [];
    this.next = 0;          // the next line to apply
    this.target = null;     // while a long wait or runTo runs: the µs it runs to
    this.waiting = false;   // the target is a wait's end (not runTo's)
    this.slice = 1e6;       // simulated µs a slice runs (adapted to take STEP_MS)
    this.statements = this.lines.filter((l) => l.trim() && !l.trim().startsWith('#')).length;
    this.done = 0;          // statements run (counted as the lines go)
  }

  /** Simulated time reached (µs). */
  get nowUs() { return this.pg ? nowOf(this.pg) : 0; }

  /** Whether the text's statements have all run (time may still be running: runTo). */
  get loaded() { return this.pg != null && this.next >= this.lines.length && this.target == null; }

  /** Run on to `us` in steps (after the text's statements). */
  runTo(us) {
    if (us > this.nowUs) this.target = us;
    this.waiting = false;
  }

  /** About STEP_MS of work; true once the text has run (and any runTo). */
  step() {
    try {
      return this.step1();
    } catch (e) {
      this.free();
      throw e instanceof Fallback ? e : new Fallback(String(e && e.message ? e.message : e));
    }
  }

  step1() {
    const a = performance.now();
    if (!this.pg) {
      const k = this.first;
      if (k < 0) {
        this.pg = new Playground(this.text, this.seed);
        this.next = this.lines.length;
        this.done = this.statements;
      } else {
        this.pg = new Playground(`${this.lines.slice(0, k).join('\n')}\nwait 1s\n`, this.seed);
        this.done = this.lines.slice(0, k).filter((l) => l.trim() && !l.trim().startsWith('#')).length;
        this.waitFrom(k, nowOf(this.pg) - 1e6);
      }
      this.expects = this.pg.loaded().expectations.slice();
      return this.loaded;
    }
    if (this.target != null) {
      this.advance();
      return this.loaded;
    }
    const pg = this.pg;
    while (this.next < this.lines.length) {
      const i = this.next, line = this.lines[i];
      if (longWaitUs(line)) {
        const t0 = this.nowUs;
        pg.apply('wait 1s', true);
        this.waitFrom(i, t0);
        return false;
      }
      const n = pg.actions_len();
      const r = pg.apply(line);
      this.next++;
      if (line.trim() && !line.trim().startsWith('#')) this.done++;
      if (pg.actions_len() > n && !/^\s*send\s/.test(line)) {
        // A command logged as `send`: it blocked, and the scenario's would have waited.
        const last = pg.actions_since(n, 1)[0];
        if (last && last.text.startsWith('send ')) throw new Fallback('blocked');
      }
      // The verdict of an expect, at the line it has in the text (apply's is line 1).
      if (r) for (const x of r.expectations) this.expects.push({ ...x, line: i + 1 });
      if (performance.now() - a > STEP_MS) break;
    }
    return this.loaded;
  }

  /** Line `i`, a long wait begun at `t0` (its first second has run): the rest in slices. */
  waitFrom(i, t0) {
    this.target = t0 + longWaitUs(this.lines[i]);
    this.waiting = true;
    this.next = i + 1;
    this.done++;
  }

  /** One slice of time towards `target`, sized to take about STEP_MS (as longwait.js). */
  advance() {
    const at = this.nowUs, run = Math.min(this.slice, this.target - at, MAX_SLICE_US);
    const a = performance.now();
    if (run > 0) this.pg.advance(run / 1000);
    const ms = performance.now() - a;
    const now = this.nowUs;
    // A wait runs past the dataset ceiling, where `advance` stops time: the one go then.
    if (this.waiting && this.pg.ceiling_stop()) throw new Fallback('ceiling');
    // Reached, or time stands (nothing scheduled is not that: the clock moves anyway).
    if (now >= this.target || now <= at) this.target = null;
    // Aim at STEP_MS, growing by half at most (the events a µs vary: a slice four times
    // the last one's took 110 ms), shrinking at once.
    const want = (this.slice * STEP_MS) / Math.max(ms, 0.5);
    this.slice = Math.round(Math.min(MAX_SLICE_US, Math.max(1e3, Math.min(this.slice * 1.5, want))));
  }

  free() {
    if (this.pg) this.pg.free();
    this.pg = null;
  }
}
