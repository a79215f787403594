// The simulated world as the page sees it: one Playground (inside wasm) plus the
// page's caches of what it has already fetched. All replication logic stays in the
// core; this file only decides how much simulated time each animation frame runs and
// remembers history the core has rewound (decisions and samples are identical on
// replay, because the run is deterministic, so they can be shown as "future" ghosts).

import init, { Playground } from '../pkg/replscope.js';
import { tr, secs } from './dom.js';

/** Real milliseconds a message should take to cross its link in slow motion at 1×. */
export const CROSS_MS = 400;
// Slow motion is there to see messages cross. A steady stream (a write load) keeps bytes on
// the wire for good, and time crawled at 1/80× for as long as it ran while the speed said
// 1×. So once the bytes other than heartbeats have kept coming for SLOW_STREAK_MS of real
// play, each within SLOW_GAP_MS of the last, slow motion rests (time runs at the speed set,
// the header says so) until SLOW_QUIET_MS of play pass with none sent: then it slows again.
const SLOW_STREAK_MS = 3000, SLOW_GAP_MS = 1500, SLOW_QUIET_MS = 1500;
const EVENTS_KEEP = 1500;      // records the page keeps for the log and sequence diagram
export const TRACE_KEEP = 4000;       // records the core keeps (compact_trace bounds its memory: ~0.5 KB each)
const EVENTS_PER_PULL = 60;  // per frame: the log shows the newest; under load older ones are skipped
// Offset samples the page keeps for the chart (one per node every 100 ms: 6 nodes make
// 216,000 an hour). Past this many, every other moment of the older half is dropped, so
// old history gets coarser (a few hundred ms apart after an hour, far below a pixel of
// the chart) while the recent part keeps every sample.
const SAMPLES_KEEP = 40000;
// PSYNC decisions the page keeps (each with its checks, about 2 KB of JS heap): as many
// as the core keeps (DECISIONS_KEEP, crate/sim/mod.rs), the newest. A reconnect loop makes
// a hundred a simulated second; the panels show the last 40 and one timeline mark a pixel.
const DECISIONS_KEEP = 2000;
// Statements an undo may replay (see snapshot).
const UNDO_ACTIONS_MAX = 20000;

let wasmMemory = null;

export async function boot(wasmUrl) {
  wasmMemory = (await init(wasmUrl ? { module_or_path: wasmUrl } : undefined)).memory;
}

/** Bytes of the simulator's linear memory (it only grows; tools/page-memory.mjs reads it). */
export const wasmBytes = () => (wasmMemory ? wasmMemory.buffer.byteLength : 0);

const nowOf = (pg) => Math.round(pg.now_ms() * 1000);
/** The most simulated time one `advance` runs (crate/wasm.rs, ADVANCE_MAX_US). */
const DAY_US = 24 * 3600e6;

/**
 * Run `pg` on to simulated time `us`, a day at most per call as the core takes it (one
 * call asked for more ran a day: a comparison or an undo after a week-long `wait` stopped
 * there). Stops early where time stops (the dataset ceiling).
 */
export function runTo(pg, us) {
  for (let t = nowOf(pg); t < us;) {
    pg.advance(Math.min(us - t, DAY_US) / 1000);
    const n = nowOf(pg);
    if (n <= t) return;
    t = n;
  }
}

/**
 * Apply action `a` (from `pg.actions_since(0)`) to `pg` at the point where it was first applied:
 * every event before its instant, then those of its instant it came after (the ⏭ button
 * can stop between events of one microsecond). Throws if it does not land there.
 */
function replayAt(pg, a) {
  runTo(pg, a.t_us - 1);
  for (let v = pg.view(); v.events < a.at_events; v = pg.view()) {
    if (v.next_event_us == null || v.next_event_us > a.t_us || !pg.step()) break;
  }
  runTo(pg, a.t_us);
  pg.apply(a.text);
  const b = pg.actions_since(pg.actions_len() - 1)[0];
  if (!b || b.text !== a.text || b.t_us !== a.t_us || b.at_events !== a.at_events || b.end_events !== a.end_events) {
    throw new Error(`"${a.text}" did not replay where it was applied (t = ${a.t_us} µs)`);
  }
}

/**
 * Commands that only read, by name (lower case): the data commands the core's table flags
 * READONLY (crate/node/cmd, TOUCH aside: it sets the keys' access time), and the server's
 * own reads. The core's flags are not exported to the page, and neither of them is the
 * notion wanted as it stands: READONLY leaves out INFO, ROLE and PING, and "not WRITE"
 * takes in MULTI, SELECT and CONFIG SET, which change what the next commands do.
 */
const READS = new Set(['get', 'mget', 'strlen', 'getrange', 'substr', 'exists', 'type', 'ttl', 'pttl', 'expiretime', 'pexpiretime', 'dbsize', 'keys',
  'hget', 'hmget', 'hgetall', 'hkeys', 'hvals', 'hlen', 'hexists', 'hstrlen', 'llen', 'lrange', 'lindex', 'scard', 'smembers', 'sismember', 'smismember',
  'info', 'role', 'ping', 'echo', 'lastsave']);

/**
 * Whether statement `line` (as the console qualified it) only asks: `NAME> GET k`, `NAME>
 * INFO replication`, `NAME> CONFIG GET x`, an `expect` of an INFO field or of such a
 * command's reply. A wait, a fault, a node change, a write or any other command does not.
 */
export function readsOnly(line) {
  const c = /^(?:(?:expect|send)\s+)?[A-Za-z][A-Za-z0-9_-]{0,31}>\s*(\S+)(?:\s+(\S+))?/.exec(line);
  if (c) {
    const cmd = c[1].toLowerCase();
    return READS.has(cmd) || (cmd === 'config' && c[2]?.toLowerCase() === 'get');
  }
  return /^expect\s+[A-Za-z][A-Za-z0-9_-]{0,31}\s+[^\s>]/.test(line);
}

export class World {
  constructor() {
    this.pg = null;
    this.speed = 1;
    this.slowmo = true;
    this.playing = false;
    this.load = null;          // {node, rate, size, n, nextUs}
    this.listeners = new Map();
    this.seeks = 0;            // how many seeks so far (embed.js: decisions a seek jumps over are not sent)
  }

  /**
   * The page's write load ({node, rate, size, n, nextUs}, or null): the generator that writes
   * while time plays at the end of the run. Each change is kept with its instant (loadLog),
   * so a look back shows the load as it was then (loadAt): its writes are logged statements,
   * replayed as such, and the generator goes on from the end of what was recorded.
   */
  get load() { return this._load; }

  set load(v) {
    this._load = v;
    const log = this.loadLog;
    if (!log || !this.pg) return;
    const us = this.nowUs;
    while (log.length && log[log.length - 1].us >= us) log.pop();
    log.push({ us, load: v });
  }

  /** The write load as it was at simulated instant `us` (null: none). */
  loadAt(us) {
    const log = this.loadLog || [];
    for (let i = log.length - 1; i >= 0; i--) if (log[i].us <= us) return log[i].load;
    return null;
  }

  on(name, fn) { (this.listeners.get(name) || this.listeners.set(name, []).get(name)).push(fn); }
  emit(name, ...a) { for (const fn of this.listeners.get(name) || []) fn(...a); }

  /**
   * Build a new world (or show `pg`, the world of `text` already built: opening.js); on
   * error the old one stays and the error is thrown.
   */
  open(text, seed, pg) {
    this.adopt(pg || new Playground(text, seed == null ? undefined : seed), text);
    this.emit('open');
    return this.loaded;
  }

  /** Show `pg` (built from scenario `text`) from now on, with the page's caches emptied. */
  adopt(pg, text) {
    if (this.pg) this.pg.free();
    this.pg = pg;
    this.text = text;
    // Which world this is: panels that redraw only when what they show changed tell two
    // sessions apart by it (two scenarios can have the same number of decisions).
    this.opened = (this.opened || 0) + 1;
    // Decisions are numbered in the order they were made (as the core numbers them):
    // `decisions` holds those numbered decBase on, the older ones were forgotten.
    this.decisions = [];
    this.decBase = 0;
    this.decLater = null;      // {base, list}: the rewound future set aside by a seek before decBase
    this.decPast = 0;          // the number of decisions made up to the moment shown
    this.samples = [];         // a thinned copy of the core's samples, each with its core index `i`
    this.sampleNext = 0;       // core index of the next sample to fetch
    this.samplePast = 0;       // position in `samples` of the first one in the rewound future
    this.keptFromUs = 0;       // the earliest moment the core can still show (pg.kept_from_ms)
    this.events = [];
    this.reads = [];           // by index in the log: true for a statement that only read (apply, judgeReads)
    this.evCursor = 0;
    this.evVersion = 0;
    this.loadLog = null;
    this.load = null;
    this.loadLog = [];
    this.stopAtUs = null;
    this.slowReset();
    this.compactAt = 0;
    this.compactSoon = null;
    this.extentUs = 0;
    this.loaded = pg.loaded();
    this.refresh();
    this.extentUs = this.nowUs;
  }

  /**
   * What `restore` needs to bring back the history that acting in the past replaces, or
   * null when it cannot: the oldest statements were dropped to bound memory (nothing
   * rebuilds the session then), or there are so many (a write load) that replaying them
   * one by one would take minutes.
   */
  snapshot() {
    if (this.keptFromUs > 0 || this.pg.actions_len() > UNDO_ACTIONS_MAX) return null;
    return { text: this.text, seed: this.seed, actions: this.pg.actions_since(0), nowUs: this.nowUs, extentUs: this.extentUs, loads: this.loadLog.slice() };
  }

  /**
   * Rebuild the world of a snapshot exactly: its scenario, then every later statement at
   * the very point of the run where it was applied (time and count of events processed),
   * then time up to where the run had reached, then back to the moment it showed. The
   * run is deterministic, so this is the same history. Throws, leaving the world shown
   * as it is, if a statement does not land where it was first applied.
   */
  restore(snap) {
    const pg = new Playground(snap.text, snap.seed);
    try {
      const base = pg.actions_len();
      pg.actions_since(0).forEach((a, i) => {
        if (snap.actions[i]?.text !== a.text) throw new Error(`statement ${i + 1} differs`);
      });
      for (const a of snap.actions.slice(base)) replayAt(pg, a);
      runTo(pg, snap.extentUs);
      pg.poll_replies();   // their replies were shown when they first came
    } catch (e) {
      pg.free();
      throw e;
    }
    this.adopt(pg, snap.text);
    // The load's changes come back with the history they were part of, and its generator as at its end.
    this.loadLog = (snap.loads || []).slice();
    this._load = this.loadAt(snap.extentUs);
    this.seekUs(snap.nowUs);
    this.extentUs = Math.max(this.extentUs, snap.extentUs);
  }

  get seed() { return this.pg.seed(); }
  get nowUs() { return Math.round(this.pg.now_ms() * 1000); }

  /** The recorded future: statements applied later than the moment shown. */
  get horizonUs() { return Math.round(this.pg.horizon_ms() * 1000); }

  /**
   * Apply one statement as the console or a click would. Acting in the rewound past
   * forks the timeline: the core drops later statements, the page drops later ghosts.
   * `quiet`: the view is not read (a paste's slice reads it once, at its end).
   */
  apply(line, quiet = false) {
    const now = this.nowUs;
    const forking = this.extentUs > now;
    if (forking) {
      const dl = this.pg.decisions_len(), sl = this.pg.samples_len();
      if (dl > this.decBase) this.decisions.length = Math.min(this.decisions.length, dl - this.decBase);
      else this.decisions = [];   // refresh starts again from the core's
      this.decLater = null;
      this.samples.length = this.samplePos(sl);
      this.sampleNext = Math.min(this.sampleNext, sl);
    }
    // A lesson (lessons.js) asks which of the reader's statements only read: one that reads by
    // name, or a command refused with an error (an unknown command, a write to a replica), and
    // left the world as it was (a GET can expire a key, a command to a booting node waits for
    // the boot) is marked in `reads` by its index in the log.
    const judge = this.judgeReads && !/^\s*(#|$)/.test(line), asks = judge && readsOnly(line);
    const command = judge && /^\s*[A-Za-z][A-Za-z0-9_-]{0,31}>/.test(line);
    const before = asks || command ? this.stateSig() : null;
    const res = this.pg.apply(line);   // throws the scenario error's text
    if (judge) {
      const i = this.pg.actions_len() - 1;
      this.reads.length = Math.max(0, i);   // marks past it belonged to a replaced future
      // (redis-cli prints CLIENT LIST's and INFO's replies raw, errors too: no "(error) " before ERR.)
      const refused = command && /^(?:\(error\) |ERR )/m.test(res?.output || '');
      if (i >= 0) this.reads[i] = (asks || refused) && this.stateSig() === before;
    }
    if (forking) {
      this.extentUs = this.nowUs;
      // The replaced future's changes of the load go with it: from here, the load is as it was then.
      this.loadLog = this.loadLog.filter((e) => e.us <= now);
      this._load = this.loadAt(now);
      this.forkedAt = now;
      this.forks = (this.forks || 0) + 1;
    }
    this.refresh(!quiet);
    return res;
  }

  /** Everything the core shows of the world now (the view holds the time and the events processed). */
  stateSig() { return `${JSON.stringify(this.pg.view())}/${this.pg.decisions_len()}/${this.pg.samples_len()}`; }

  /** Play for `us` of simulated time, then stop (a lesson step's play_ms). */
  playFor(us) { this.stopAtUs = this.nowUs + us; }

  /** Run simulated time for one animation frame of `dtReal` ms. */
  play(dtReal) {
    this.inFrame = true;
    try { this.playFrame(dtReal); } finally { this.inFrame = false; }
  }

  /** Slow motion starts afresh: no streak of traffic seen, not resting. */
  slowReset() {
    this.playedMs = 0;       // real ms played (a pause does not count)
    this.streak = null;      // {from, last}: played ms of the first and last frame that sent bytes, in a row
    this.slowRest = false;   // slow motion rests: a steady stream
    this.quietFrom = 0;
  }

  /** Whether the events pulled since cursor `seq0` include bytes sent that are not a heartbeat. */
  sentSince(seq0) {
    const a = this.events;
    for (let i = a.length - 1; i >= 0 && a[i].seq >= seq0; i--) {
      const v = a[i].event;
      if (v.kind === 'send' && v.what !== 'ack' && v.what !== 'keepalive' && !(v.what === 'stream' && v.preview === '*1\\r\\n$4\\r\\nping\\r\\n')) return true;
    }
    return false;
  }

  /** After a frame: a streak of traffic grows or ends, slow motion starts or ends resting. */
  slowTrack(seq0) {
    const t = this.playedMs, sent = this.sentSince(seq0);
    if (sent) {
      if (!this.streak || t - this.streak.last > SLOW_GAP_MS) this.streak = { from: t, last: t };
      this.streak.last = t;
      this.quietFrom = t;
      if (!this.slowRest && t - this.streak.from >= SLOW_STREAK_MS) this.slowRest = true;
    } else if (this.slowRest && t - this.quietFrom >= SLOW_QUIET_MS) {
      this.slowRest = false;
      this.streak = null;
    }
  }

  playFrame(dtReal) {
    this.playedMs += dtReal;
    const seq0 = this.evCursor;
    const slow = this.slowmo && !this.slowRest;
    const rate = slow ? this.flightRate() : 1;
    this.slowing = rate < 1;
    this.rate = rate;
    let budgetUs = Math.max(1, Math.round(dtReal * this.speed * rate * 1000));
    const now = this.nowUs;
    if (this.stopAtUs != null) {
      budgetUs = Math.min(budgetUs, this.stopAtUs - now);
      if (budgetUs <= 0) {
        this.stopAtUs = null;
        this.emit('stop');
        return;
      }
    }
    if (this.horizonUs > now) {
      // Rewound with statements recorded ahead: the core's advance re-runs the log
      // exactly from where the world is (a seek would go back to a checkpoint and
      // replay up to 5 s of history every frame: 40-100 ms frames under a write load).
      this.pg.advance(Math.min(budgetUs, this.horizonUs - now) / 1000);
      this.refresh();
      if (this.slowmo) this.slowTrack(seq0);
      return;
    }
    this.runFor(budgetUs, slow);
    this.ceilingStop();
    this.refresh();
    if (this.slowmo) this.slowTrack(seq0);
  }

  /**
   * The core stopped time at the page's dataset ceiling (a full sync would copy, or an
   * RDB file copied, the data past 256 MB): say why and pause.
   */
  ceilingStop() {
    const why = this.pg.ceiling_stop();
    if (!why) return false;
    this.load = null;
    this.stopAtUs = null;
    this.emit('print', 'err', tr(why === 1
      ? 'time stopped: a replica’s full sync would take the simulated data over 256 MB, the page’s limit (replscope’s, not Redis’s). To go on: REPLICAOF NO ONE on that replica, or delete data.'
      : 'time stopped: an RDB file or a sync took the simulated data over 256 MB, the page’s limit (replscope’s, not Redis’s). Play on, or delete data: until then statements that add data are refused.'));
    this.emit('halt');   // not 'stop' (a lesson's timed step ending)
    return true;
  }

  /**
   * Advance up to `budgetUs`, stopping at each load-generator write to apply it at its
   * exact instant, and (in slow motion) as soon as new bytes go on the wire, so the
   * next frame can slow down before they arrive.
   */
  runFor(budgetUs, watchSends) {
    let now = this.nowUs;
    const end = now + budgetUs;
    // Half the shortest latency catches every message before it lands; at high speed
    // (where a crossing lasts a few real ms anyway) at most ~32 checks a frame.
    const chunk = watchSends ? Math.max(50, this.minLatencyUs() >> 1, budgetUs >> 5) : Infinity;
    let guard = watchSends ? 4000 : Infinity;
    // The load writes while time plays: time that passed otherwise (a typed `wait`, a
    // seek) is not caught up (a `wait 30s` left 3,000 writes due at one instant, and
    // the clock stood still while they were applied).
    const ld0 = this.load, period = ld0 && Math.round(1e6 / ld0.rate);
    if (ld0 && (ld0.nextUs <= now || ld0.nextUs > now + period)) ld0.nextUs = now + period;
    while (now < end && guard-- > 0) {
      let stop = Math.min(end, now + chunk);
      const ld = this.load;
      if (ld && ld.nextUs < stop) stop = Math.max(now, ld.nextUs);
      if (stop > now) {
        this.pg.advance((stop - now) / 1000);
        if (this.pg.ceiling_stop()) break;
      }
      now = stop;
      if (ld && ld.nextUs <= now) {
        this.writeLoad(ld);
        ld.nextUs += Math.round(1e6 / ld.rate);
      }
      if (watchSends && this.pullEvents().some((e) => e.event.kind === 'send')) break;
    }
  }

  /**
   * One write of the load: `m> SET key:<k> <k, zero-padded>` for k = 0, 1, … 999 in
   * turn, applied quietly (its reply is not read). A thousand a simulated second: the
   * 1,000 lines are made once, so a write makes no string (each one made was garbage
   * for the JS heap, whose young generation grew with them: ~40 MB more RSS at 100×).
   */
  writeLoad(ld) {
    const k = ld.n++ % 1000;
    try {
      this.pg.apply((ld.lines[k] ??= `${ld.node}> SET key:${k} ${String(k).padStart(ld.size, '0')}`), true);
    } catch (e) {
      this.load = null;
      this.emit('print', 'err', `load stopped: ${e.message || e}`);
    }
  }

  startLoad(node, rate, size) {
    this.load = { node, rate, size, n: 0, nextUs: this.nowUs + Math.round(1e6 / rate), lines: [] };
  }

  /** Simulated-time rate that lets the quickest message in flight take CROSS_MS to cross. */
  flightRate() {
    let min = Infinity;
    for (const m of this.view.messages) {
      if (m.held) continue;
      const flight = (m.arrive_us - m.tx_start_us) / 1000;
      if (m.arrive_us > this.view.t_us && flight < min) min = flight;
    }
    return min === Infinity ? 1 : Math.min(1, min / CROSS_MS);
  }

  minLatencyUs() {
    let min = 1000;
    for (const l of this.view.links) if (l.latency_us < min) min = l.latency_us;
    return Math.max(min, 1);
  }

  /**
   * Process events until the log shows something new (a timer tick alone shows nothing),
   * or time stops at the dataset ceiling (a next step would go on and forget why).
   */
  step() {
    const before = this.evCursor;
    for (let i = 0; i < 100000; i++) {
      if (!this.pg.step() || this.pg.ceiling_stop() || this.pg.events_latest(before, 1).length) break;
    }
    this.ceilingStop();
    this.extentUs = Math.max(this.extentUs, this.nowUs);
    this.refresh();
  }

  seekUs(us) {
    // Counted, so embed.js can tell time a seek jumped over from time played through.
    this.seeks++;
    if (us < this.keptFromUs && this.forgotUs !== this.keptFromUs) {
      // Said once per window: a scrub keeps asking for the same lost moments.
      this.forgotUs = this.keptFromUs;
      this.emit('print', 'note', tr('history before t = {0} s was dropped to bound memory: the page shows the earliest moment it kept', secs(this.keptFromUs)));
    }
    const back = us < this.nowUs;
    this.pg.seek(us / 1000);
    // Ahead of the end it is new history, which the dataset ceiling may stop.
    this.ceilingStop();
    if (back) {
      this.events = [];
      this.evCursor = 0;
    }
    this.refresh();
  }

  /**
   * The newest `max` event-log records the core still keeps (compact_trace bounds them to
   * TRACE_KEEP to twice that), oldest first: what the log searches when it is filtered,
   * since the page's own list keeps only the newest and skips records under load.
   */
  history(max = 2 * TRACE_KEEP) { return this.pg.events_latest(0, max); }

  /** New event-log records, the newest EVENTS_PER_PULL at most. */
  pullEvents() {
    const evs = this.pg.events_latest(this.evCursor, EVENTS_PER_PULL);
    if (evs.length) {
      this.evCursor = evs[evs.length - 1].seq + 1;
      const all = this.events;
      for (const e of evs) all.push(e);
      if (all.length > EVENTS_KEEP * 1.5) all.splice(0, all.length - EVENTS_KEEP);
      this.evVersion++;
    }
    return evs;
  }

  /**
   * Read everything the panels draw; without `view`, all but the view (its size grows with
   * what is on the wire: read after each line of a paste, thousands of writes made the
   * paste quadratic).
   */
  refresh(view = true) {
    const pg = this.pg;
    if (view) this.view = pg.view();
    this.pullEvents();
    const dl = pg.decisions_len();
    if (dl > this.decEnd || dl < this.decBase || !this.decisions.length) this.pullDecisions(dl);
    this.decPast = dl;
    this.extentUs = Math.max(this.extentUs, view ? this.view.t_us : this.nowUs, this.horizonUs);
    this.keptFromUs = Math.round(pg.kept_from_ms() * 1000);
    for (const [node, text] of pg.poll_replies()) this.emit('reply', node, text);
    if (!(performance.now() - this.samplesAt < 500)) this.refreshSamples();
    if (this.evCursor > this.compactAt + TRACE_KEEP) {
      this.compactAt = this.evCursor;
      if (this.inFrame && !this.compactSoon) this.compactIdle(pg);
      else { this.compactSoon = null; pg.compact_trace(TRACE_KEEP); }
    }
  }

  /**
   * The trace's compaction, after the frame that found it due: under a write load (~200
   * records a frame) it fell every ~20th frame and took about a millisecond there, the
   * frames' 95th percentile. It runs when the page is next idle (within 200 ms), the same
   * compaction as before, a frame later; if another falls due first it runs at once.
   */
  compactIdle(pg) {
    const run = () => {
      if (this.compactSoon !== run) return;
      this.compactSoon = null;
      if (this.pg === pg) pg.compact_trace(TRACE_KEEP);   // not a world since freed (adopt)
    };
    this.compactSoon = run;
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 200 });
    else setTimeout(run, 0);
  }

  /** The number of the next decision the page would fetch (past the last it holds). */
  get decEnd() { return this.decBase + this.decisions.length; }

  /** Past the last decision the page holds, the future set aside (decLater) included. */
  get decLast() { const L = this.decLater; return L ? L.base + L.list.length : this.decEnd; }

  /** Decision number `i`, if the page holds it. */
  dec(i) {
    if (i >= this.decBase && i < this.decEnd) return this.decisions[i - this.decBase];
    const L = this.decLater;
    return L && i >= L.base ? L.list[i - L.base] : undefined;
  }

  /**
   * Fetch the decisions made up to number `dl` that the page does not hold. The core
   * keeps the newest only: before the first the page holds (a seek back), or past a gap
   * (the core forgot some before the page saw them), the page starts again from what the
   * core keeps. Past DECISIONS_KEEP the oldest shown as past are forgotten (the rewound
   * future stays whole: after a seek before decBase, the nearest of it is set aside in
   * decLater, still drawn, and joins again when the decisions fetched reach it).
   */
  pullDecisions(dl) {
    const pg = this.pg;
    if (dl < this.decBase || !this.decisions.length) {
      if (this.decisions.length) this.decLater = { base: this.decBase, list: this.decisions.slice(0, DECISIONS_KEEP) };
      this.decisions = [];
      this.decBase = pg.decisions_from();
    }
    if (dl <= this.decEnd) return;
    const got = pg.decisions_since(this.decEnd);
    const start = dl - got.length;
    if (start > this.decEnd) {
      this.decisions = [];
      this.decBase = start;
    }
    for (const d of got) this.decisions.push(d);
    const L = this.decLater;
    if (L && this.decEnd >= L.base) {
      for (const d of L.list.slice(this.decEnd - L.base)) this.decisions.push(d);
      this.decLater = null;
    }
    if (this.decisions.length > DECISIONS_KEEP * 1.25) {
      const n = Math.min(this.decisions.length - DECISIONS_KEEP, dl - this.decBase);
      this.decisions.splice(0, n);
      this.decBase += n;
    }
  }

  /**
   * Offsets over time, fetched when the chart is drawn, and at least twice a second of
   * real time anyway: under a long write load the core forgets the samples of the
   * history it forgets, and those must be here by then. A fetch that starts after
   * `sampleNext` (some were forgotten before the page saw them) leaves a gap.
   */
  refreshSamples() {
    const n = this.pg.samples_len();
    this.samplesAt = performance.now();
    if (n > this.sampleNext) {
      const got = this.pg.samples_since(this.sampleNext);
      let i = n - got.length;
      for (const x of got) { x.i = i++; this.samples.push(x); }
      this.sampleNext = n;
    }
    this.samplePast = this.samplePos(n);
    if (this.samples.length > SAMPLES_KEEP) this.thinSamples();
  }

  /** Position in `samples` of the first with core index `i` or more. */
  samplePos(i) {
    const S = this.samples;
    if (!S.length || S[S.length - 1].i < i) return S.length;
    let lo = 0, hi = S.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (S[mid].i < i) lo = mid + 1; else hi = mid; }
    return lo;
  }

  /**
   * Drop every other moment (all nodes' samples of one instant) of the older half of
   * what is shown as past; the rewound future is left whole.
   */
  thinSamples() {
    const S = this.samples, end = Math.min(S.length >> 1, this.samplePast);
    const out = [];
    let row = -1, t = -1;
    for (let k = 0; k < end; k++) {
      const x = S[k];
      if (x.t_us !== t) { t = x.t_us; row++; }
      if (!(row & 1)) out.push(x);
    }
    const dropped = end - out.length;
    if (!dropped) return;
    this.samples = out.concat(S.slice(end));
    this.samplePast -= dropped;
  }

  node(name) { return this.view.nodes.find((n) => n.name === name); }

  /** Bytes of the simulator's linear memory. */
  wasmBytes() { return wasmBytes(); }
}
