// A scenario's text replayed on a world of its own in steps, so a long one (a `wait
// 120m`, a session that ran for hours) leaves the page drawing between them and can be
// stopped: the Compare tab builds its two worlds so (compare.js).
//
// The core builds it: `new Playground(text, seed, true)` parses the text and runs nothing;
// each `load(ms)` runs its statements on until that much simulated time has run (a `wait`
// stops part of the way and goes on at the next call). The world it ends with is the one
// `new Playground(text, seed)` builds in one go, its log of statements included
// (tests/playground_load.rs; tests/e2e/replay.test.mjs compares what the page reads of
// both). After the text, `runTo` runs time on in slices of `advance`, as Play does.
//
// A statement that cannot run throws (a `Fallback`): the caller builds the world in one
// go then, which says what is wrong with the core's words.

import { Playground } from '../pkg/replscope.js';
import { MAX_SLICE_US, nextSlice } from './longwait.js';

/** Thrown when a step cannot make the world the one go would: build it in one go. */
export class Fallback extends Error {}

const nowOf = (pg) => Math.round(pg.now_ms() * 1000);

/**
 * The world of `new Playground(text, seed)`, built in steps: `step()` runs about SLICE_MS
 * of it and says whether it is built; `runTo(us)` then runs it on (as world.js's runTo)
 * in more steps. `pg` and `expects` (the expects' verdicts, as `loaded().expectations`
 * gives them) are the result; `free()` frees the world (a stop). Throws Fallback.
 */
export class Build {
  constructor(text, seed) {
    // A text that does not parse fails at once in one go, with the core's words.
    try { this.pg = new Playground(text, seed, true); } catch { throw new Fallback('parse'); }
    this.expects = [];
    this.built = false;     // the text's statements have all run
    this.target = null;     // while runTo runs: the µs it runs to
    this.slice = 1e6;       // simulated µs a step runs (adapted to take SLICE_MS)
    this.statements = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length;
  }

  /** Simulated time reached (µs). */
  get nowUs() { return this.pg ? nowOf(this.pg) : 0; }

  /** Statements of the text run so far. */
  get done() { return this.pg ? Math.min(this.pg.actions_len(), this.statements) : 0; }

  /** Whether the text's statements have all run (time may still be running: runTo). */
  get loaded() { return this.built && this.target == null; }

  /** Run on to `us` in steps (after the text's statements). */
  runTo(us) {
    if (us > this.nowUs) this.target = us;
  }

  /** About SLICE_MS of work; true once the text has run (and any runTo). */
  step() {
    try {
      return this.step1();
    } catch (e) {
      this.free();
      throw e instanceof Fallback ? e : new Fallback(String(e && e.message ? e.message : e));
    }
  }

  step1() {
    const at = this.nowUs, a = performance.now();
    if (!this.built) {
      this.built = this.pg.load(this.slice / 1000);
      if (this.built) this.expects = this.pg.loaded().expectations.slice();
    } else if (this.target != null) {
      this.pg.advance(Math.min(this.slice, this.target - at, MAX_SLICE_US) / 1000);
      const now = this.nowUs;
      // Reached, or time stands (the dataset ceiling).
      if (now >= this.target || now <= at) this.target = null;
    }
    this.slice = nextSlice(this.slice, performance.now() - a);
    return this.loaded;
  }

  free() {
    if (this.pg) this.pg.free();
    this.pg = null;
  }
}
