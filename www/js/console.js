// The console: scenario statements and Redis commands, printed the way redis-cli prints
// them. A bare command goes to the node picked beside the prompt, so `SET foo bar`
// means `m> SET foo bar`. Errors from the core are shown and the world is left as it was.
//
// It forgives: a multi-line paste runs line by line (a long one in slices, the page
// drawing between them, with progress and Stop); a command that blocks while time
// stands still says how to let it run; acting in a rewound past asks first (it replaces
// the recorded future) and offers an Undo that rebuilds that future exactly.

import { h, fill, tr, trCore, secs } from './dom.js';
import { sliced, waitUs, longWait, progress, SLICE_MS } from './longwait.js';

const VERBS = new Set(['seed', 'version', 'node', 'link', 'wait', 'disconnect', 'reconnect', 'partition', 'heal', 'crash', 'restart', 'start', 'expect', 'lose', 'send']);
const PROMPT = /^[A-Za-z][A-Za-z0-9_-]{0,31}>/;

/** The statement `word` is one or two typing slips from (not a statement itself), if any. */
function nearVerb(word) {
  const w = word.toLowerCase();
  if (VERBS.has(w) || w.length < 4) return null;
  for (const v of VERBS) if (v.length >= 4 && edits(w, v) <= (v.length >= 7 ? 2 : 1)) return v;
  return null;
}

/** Levenshtein distance with transpositions (optimal string alignment) of two short words. */
function edits(a, b) {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
/** The real servers' command names by version (www/data/redis-commands.json), fetched the first time a command is unknown. */
let realCommands = null;
const loadRealCommands = () => (realCommands ??= fetch(new URL('../data/redis-commands.json', import.meta.url)).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
const ACTIONS_CHUNK = 4096;   // statements read from the core at a time (whenLoaded)
const MAX_LINES = 600;
/** Console commands that never get a reply: `NAME> PSYNC|SYNC|REPLCONF ACK|GETACK`. */
const NO_REPLY = /^(\S+)>\s*(psync|sync|replconf\s+(?:ack|getack))\b/i;
/** A paste longer than this asks before it runs (it may be a log, not a scenario), and runs in slices. */
const LONG_PASTE = 20;
/** A long line as the console echoes a scenario's (and a lesson's) statements: its start and how much more. */
const clip = (l) => (l.length > 140 ? `${l.slice(0, 120)}${tr('…(+{0} characters)', l.length - 120)}` : l);

/** The index of the first of `lines` (sorted by t) whose t is after `t`. */
function upper(lines, t) {
  let lo = 0, hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid].t > t) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/** Show `el` (run at `t`) as recorded after the moment shown, or not; a head line also says when. */
function later(el, t, on) {
  el.classList.toggle('later', on);
  if (!('head' in el.dataset)) return;
  if (on) {
    el.dataset.later = tr('later: t = {0} s', (t / 1e6).toFixed(1));
    el.title = tr('Recorded after the moment shown: this ran at t = {0} s.', secs(t));
  } else {
    delete el.dataset.later;
    el.removeAttribute('title');
  }
}

export class Console {
  constructor(ui) {
    this.ui = ui;
    this.out = document.getElementById('con-out');
    this.form = document.getElementById('con-form');
    this.input = document.getElementById('con-line');
    this.target = document.getElementById('con-target');
    this.history = [];
    this.hpos = 0;
    this.names = '';
    // The lines printed with the moment they ran (timed()), sorted by it, so that a frame
    // at another moment touches only the lines between the two moments (markLater()).
    // Invariant: a line is marked later exactly when its t > this.marked (gone ones never);
    // Infinity: none is marked.
    this.timedLines = [];
    this.marked = Infinity;
    this.dropped = 0;     // lines dropped from the output since timedLines was last pruned
    // The question or the Undo offer, between the output and the input line.
    this.bar = h('div', { class: 'con-ask', role: 'group', hidden: true, style: 'display:flex;flex-wrap:wrap;gap:6px;align-items:center;padding:6px 8px;border-top:1px solid var(--faint);background:var(--partial-bg);font-size:12.5px' });
    this.bar.addEventListener('keydown', (e) => {
      // The page's one-key shortcuts (D, C, Space ...) must not act behind the question.
      e.stopPropagation();
      if (e.key === 'Escape') { e.preventDefault(); this.bar.cancel?.(); }
    });
    this.form.before(this.bar);
    // Enter is taken on the input itself: an embed's sandbox without allow-forms (the
    // snippet Copy embed code gives) blocks the form's submission, and with it the event.
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    this.input.addEventListener('keydown', (e) => this.keys(e));
    this.input.addEventListener('paste', (e) => this.paste(e));
  }

  /** Run the line typed (Enter). */
  submit() {
    const line = this.input.value.trim();
    if (!line || this.ui.blocked?.()) return;
    this.input.value = '';
    const us = waitUs(line);
    if (!sliced(us)) this.run(this.qualify(line));
    else {
      // A long wait runs in slices, the page drawing between them.
      this.remember(line);
      if (this.bar.undo) this.hideBar();
      if (!this.askPast(() => longWait(this, line, us))) longWait(this, line, us);
    }
    if (us && this.ui.world.load) this.print('note', tr('The write load pauses while a typed wait runs: it writes while time plays.'));
  }

  /**
   * `SET a 1` → `m> SET a 1`; statements and `NAME> ...` pass through. `wait` with two
   * arguments is Redis's WAIT (numreplicas timeout): the scenario's `wait` takes one.
   */
  qualify(line) {
    const words = line.split(/\s+/);
    const verb = VERBS.has(words[0]) && !(words[0] === 'wait' && words.length > 2 && !words[2].startsWith('#'));
    if (verb || PROMPT.test(line) || line.startsWith('#')) return line;
    return this.target.value ? `${this.target.value}> ${line}` : line;
  }

  keys(e) {
    if (e.key === 'Enter' && !e.isComposing && e.keyCode !== 229) {   // not an IME's Enter
      e.preventDefault();
      this.submit();
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      if (!this.history.length) return;
      e.preventDefault();
      this.hpos = Math.max(0, Math.min(this.history.length, this.hpos + (e.key === 'ArrowUp' ? -1 : 1)));
      this.input.value = this.history[this.hpos] || '';
    } else if (e.key === 'Escape') {
      if (this.stopWait) this.stopWait();
      else if (this.ui.stopReplay) { e.stopPropagation(); this.ui.stopReplay(); }
      else this.input.blur();
    } else if (e.ctrlKey && !e.shiftKey && !e.altKey && !e.metaKey && !e.isComposing && (e.key === 'c' || e.key === 'C')) {
      // Ctrl-C as in a terminal (not Ctrl-Shift-C, a terminal's copy), unless it copies
      // (text selected): a long wait or paste stops, as with Esc; otherwise the line typed
      // is dropped, printed with ^C, and not kept in the history (as a shell does; ↑
      // starts again from the newest line).
      const i = this.input;
      if (i.selectionStart !== i.selectionEnd || String(window.getSelection())) return;
      e.preventDefault();
      if (this.stopWait) this.stopWait();
      else {
        this.print('cmd', `${i.value}^C`);
        i.value = '';
        this.hpos = this.history.length;
      }
    }
  }

  remember(line) {
    if (this.history[this.history.length - 1] !== line) this.history.push(line);
    this.hpos = this.history.length;
  }

  /**
   * A paste of several lines would lose its line breaks in the one-line input: it runs
   * as a scenario instead, each line in turn, with what was typed around it.
   */
  paste(e) {
    const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (!/[\r\n]/.test(text.trim())) return;
    e.preventDefault();
    const v = this.input.value, a = this.input.selectionStart ?? v.length, b = this.input.selectionEnd ?? v.length;
    const items = (v.slice(0, a) + text + v.slice(b)).split(/\r\n|\r|\n/)
      .map((line, i) => ({ n: i + 1, line: line.trim() }))
      .filter((x) => x.line && !x.line.startsWith('#'));
    if (!items.length) return;
    if (this.ui.blocked?.()) {
      // Refused (say, a long wait runs): what was typed stays; the paste is still on the clipboard.
      this.print('note', tr('The {0} pasted lines were not run; they are still on the clipboard.', items.length));
      return;
    }
    this.input.value = '';
    const go = () => {
      if (this.ui.blocked?.()) return;   // a wait began while the question was shown
      this.print('note', tr('Pasted {0} lines: each runs in turn, as if typed (comments and blank lines skipped); the first that fails stops the rest.', items.length));
      this.runAll(items);
    };
    if (items.length <= LONG_PASTE) go();
    else this.ask(() => tr('Run the {0} pasted lines, one after another?', items.length), tr('Run'), go);
  }

  /**
   * Run a statement for the console, a click or a key; returns what it printed and
   * checked, or null (it failed, or it waits for an answer to "replace the future?").
   * `fork: true` acts in a rewound past without asking; `short: true` echoes a long
   * statement shortened, as the scenario's own lines are (a lesson's 1 KB values).
   */
  run(line, { fork = false, short = false } = {}) {
    if (!fork && this.askPast(() => this.run(line, { fork: true, short }))) return null;
    return this.exec(line, undefined, false, short);
  }

  /**
   * Run lines in turn (strings, or {n, line} from a paste), stopping at the first that
   * fails; in a rewound past it asks once for them all. More than LONG_PASTE lines run in
   * slices (runSliced). True when every line ran (or runs on).
   */
  runAll(items, { fork = false } = {}) {
    if (!fork && this.askPast(() => this.runAll(items, { fork: true }))) return false;
    if (items.length > LONG_PASTE) return this.runSliced(items);
    for (let i = 0; i < items.length; i++) {
      const it = typeof items[i] === 'string' ? { line: items[i] } : items[i];
      const us = waitUs(it.line);
      if (sliced(us)) return this.waitThen(it.line, us, items.slice(i + 1));
      if (!this.exec(this.qualify(it.line), it.n)) return this.failed(it, items.length - i - 1);
    }
    return true;
  }

  /**
   * A long paste, one slice of lines per task (~SLICE_MS), so the page draws and answers
   * between them: a line shows how far it got, and Stop (or Esc, or Ctrl-C) ends it before the next
   * line; other statements wait. What the lines print is added at the slice's end, at
   * once, and the panels are refreshed then, for at most a tenth of the time (read after
   * each line, 2,000 lines froze the tab 10 s, 20,000 for minutes, when the view still
   * listed every write on the wire; it lists a few per connection now, ~1 ms to read).
   * The first slice runs now (in a rewound past, its first line replaces the future).
   */
  runSliced(items) {
    const ui = this.ui, w = ui.world, pg = w.pg;
    ui.setPlaying(false);
    if (this.bar.undo) this.hideBar();
    const p = progress(this, () => tr('The pasted lines are still running: press Stop (or Esc or Ctrl-C in the console) first.'));
    let i = 0, at = w.nowUs, shown = 0, viewMs = 0, extra = 0;
    /** Refresh the panels (the view, the ticks, a frame drawn). */
    const panels = () => {
      const a = performance.now();
      w.refresh();
      ui.afterAction();
      shown = performance.now();
      viewMs = shown - a;
    };
    const slice = () => {
      if (w.pg !== pg) { p.end(); return; }   // another scenario was loaded
      // Stop, Play or a seek: the lines left are not run (not at another moment).
      if (p.stop || w.playing || w.nowUs !== at) {
        p.end();
        const n = items[i].n ?? i + 1, left = items.length - i;
        this.print('note', left === 1 ? tr('The paste stopped before its last line, line {0}: it was not run.', n)
          : tr('The paste stopped before its line {0}: the {1} lines from there were not run.', n, left));
        panels();
        return;
      }
      let end = null;   // what ends the paste in this slice: a failed line, a long wait, or the last line
      this.held = document.createDocumentFragment();
      try {
        // The lines take what the slice's output and panels (the last time) leave of SLICE_MS.
        const t0 = performance.now(), budget = Math.max(5, SLICE_MS - extra);
        do {
          const it = typeof items[i] === 'string' ? { line: items[i] } : items[i];
          const us = waitUs(it.line);
          if (sliced(us)) { end = () => this.waitThen(it.line, us, items.slice(i + 1)); break; }
          if (!this.exec(this.qualify(it.line), it.n, true)) { end = () => this.failed(it, items.length - i - 1); break; }
          if (++i === items.length) end = () => {};
        } while (!end && performance.now() - t0 < budget);
        const t1 = performance.now();
        this.flush(p.row);   // the progress stays the last line
        if (end || performance.now() - shown > 10 * viewMs) panels();
        extra = performance.now() - t1;
      } catch (e) {
        // A slice that failed (the wasm out of memory) must not leave the console blocked.
        this.flush(p.row);
        end = () => this.print('err', `page error: ${e && e.message ? e.message : e}`);
      }
      if (end) { p.end(); end(); return; }
      at = w.nowUs;
      p.show(tr('Running the pasted lines: {0} of {1}.', i, items.length));
      setTimeout(slice, 0);
    };
    slice();
    return true;
  }

  /** A long wait in a run of lines: it runs in slices; the lines after it once it is over, and not if it is stopped. */
  waitThen(line, us, rest) {
    this.remember(line);
    longWait(this, line, us, () => this.runAll(rest, { fork: true }), () => {
      if (rest.length) this.print('err', rest.length === 1 ? tr('The line after it was not run.') : tr('The {0} lines after it were not run.', rest.length));
    });
    return true;
  }

  /** Line `it` failed, `left` lines after it: a pasted line is named. False. */
  failed(it, left) {
    if (it.n != null) {
      this.print('err', !left ? tr('Line {0} of the paste failed.', it.n) : left === 1 ? tr('Line {0} of the paste failed: the line after it was not run.', it.n)
        : tr('Line {0} of the paste failed: the {1} lines after it were not run.', it.n, left));
    }
    return false;
  }

  /**
   * Apply one statement and print what it did; `n`: its line in a paste, for the core's
   * error; `quiet`: a line of a paste's slice (the slice refreshes the page at its end);
   * `short`: echo it shortened (clip).
   */
  exec(line, n, quiet = false, short = false) {
    this.remember(line);
    if (this.bar.undo && !quiet) this.hideBar();   // a new action: the replaced future stays replaced
    let res;
    const t0 = this.ui.world.nowUs;   // when it ran: a later rewind may replace it
    try {
      res = this.ui.world.apply(line, quiet);
    } catch (e) {
      this.print('cmd', line);
      const msg = String(e && e.message ? e.message : e);
      this.print('err', trCore(n ? msg.replace(/^line 1,/, `line ${n},`) : msg));
      // A console command whose reply never comes (BLPOP k 0, PSYNC): the way out.
      const stuck = /^line \d+, column \d+: (\S+)'s client is still waiting for the reply/.exec(msg);
      if (stuck) this.print('note', tr('If its reply never comes, restart {0} ends the wait (redis-cli would need Ctrl-C).', stuck[1]));
      this.ui.dirty = true;
      return null;
    }
    const [head, ...rest] = res.output ? res.output.replace(/\n$/, '').split('\n') : [line];
    // An expect prints as its verdict alone.
    if (res.output || !res.expectations.length) this.timed(this.print('cmd', short ? clip(head || line) : head || line), t0, true);
    if (rest.length) this.timed(this.print('out', rest.join('\n')), t0);
    for (const x of res.expectations) this.timed(this.print(x.passed ? 'exp-ok' : 'exp-bad', `${x.text.trim()}${x.passed ? '' : ` (${x.detail})`}`), t0, !res.output);
    for (const x of res.expectations) if (!x.passed) this.expectHint(x.detail);
    // A statement misspelt goes to the node as a command: say which statement it looks like.
    // (redis-cli prints some commands' replies raw, errors too: `CLIENT LIST` gets no "(error) ".)
    const unknown = /^(?:\(error\) )?ERR unknown command '([^']{1,32})'/m.exec(rest.join('\n'));
    const like = unknown && nearVerb(unknown[1]);
    if (like) this.print('note', tr('{0} is not a Redis command: did you mean the statement {1}? A line that is not a statement goes to the node the console is pointed at ({2}).', unknown[1], like, (PROMPT.exec(line) || [''])[0]));
    else if (unknown) this.notSimulated(unknown[1], (PROMPT.exec(line) || [''])[0].slice(0, -1));
    // `INFO memory`: an empty reply, because the simulator prints only the sections it has honest numbers for.
    const section = /^(?:\S+>\s*)?info\s+(memory|cpu|modules|commandstats|errorstats|latencystats|cluster)\s*$/i.exec(line);
    if (section && !rest.join('').trim()) this.print('note', tr('replscope’s INFO has no {0} section: it prints Server, Clients, Persistence, Stats, Replication and Keyspace, the sections it simulates. The others describe the real process (memory, CPU …), for which a simulator has no honest numbers.', section[1].toLowerCase()));
    // `wait sync now`: with two arguments `wait` is Redis's WAIT; a refused one gets which wait the statement is.
    else if (/^(\S+>\s*)?wait\s+\S+\s+\S+/i.test(line) && /\(error\) ERR/.test(rest.join('\n'))) this.print('note', tr('With two arguments wait is Redis’s WAIT numreplicas timeout, sent to a node. The statement is wait DUR (wait 2s) or wait sync.'));
    if (res.output && !rest.length && this.blocked()) {
      const cmd = head.replace(/^send\s+/, ''), never = NO_REPLY.exec(cmd);
      // These are answered on a replica link, or not at all: waiting cannot help.
      if (never) this.print('note', /sync$/i.test(never[2]) ? tr('{0} gets no reply: PSYNC and SYNC turn the console’s connection into a replica link ({1} starts a sync to it; redis-cli would switch to showing the replication stream until Ctrl-C). {1}’s console stays busy until restart {1}.', cmd, never[1])
        : tr('{0} gets no reply: a server reads REPLCONF ACK and GETACK only on a replication link. {1}’s console stays busy until restart {1}.', cmd, never[1]));
      else if (!this.ui.world.playing) this.print('note', tr('{0} waits for its reply: press Play (or Next event) to let time run.', cmd));
    }
    if (!quiet) this.ui.afterAction();
    return res;
  }

  /**
   * A failed expect that was probably mistyped: a field INFO does not have but one or two
   * slips from one it has (`master_repl_ofset`), or a value `X.FIELD` whose X is no node
   * (then it was compared as text).
   */
  expectHint(detail) {
    const w = this.ui.world, missing = /^INFO of (\S+) has no field '([^']{1,64})'$/.exec(detail);
    if (missing) {
      const fields = (w.pg.info(missing[1]) || '').split('\n').map((l) => l.split(':')[0].trim()).filter(Boolean);
      const near = fields.find((f) => edits(missing[2], f) <= 2);
      if (near) this.print('note', tr('INFO has {0}: did you mean it?', near));
      return;
    }
    const text = /expected \S+ ([A-Za-z][\w-]*)\.\S+$/.exec(detail);
    if (text && !w.view.nodes.some((n) => n.name === text[1])) this.print('note', tr('There is no node {0}: the value was compared as text. A value NODE.FIELD reads another node’s INFO field.', text[1]));
  }

  /**
   * An unknown command that the node's version has (`CLIENT LIST`): the reply is the
   * simulator's, so say it is a real command replscope does not simulate. The note's line
   * is placed at once (in order with what follows) and filled, or dropped, when the
   * names have loaded.
   */
  notSimulated(name, node) {
    const n = this.ui.world.view.nodes.find((x) => x.name === node);
    if (!n) return;
    const el = this.print('note', '');
    el.hidden = true;
    loadRealCommands().then((real) => {
      if (!(real[n.version] || []).includes(name.toLowerCase())) { el.remove(); return; }
      // Still following the output (at its end): follow the note too, or the lines after it stay hidden below.
      const at = this.following();
      el.textContent = tr('{0} is a real {1} command that replscope does not simulate, so it answers as if the command did not exist. docs/scenario-format.md lists the commands it simulates.', name.toUpperCase(), n.version);
      el.hidden = false;
      if (at) this.out.scrollTop = this.out.scrollHeight;
    });
  }

  /** The statement just applied is a command still awaiting its reply (logged as `send`). */
  blocked() {
    const pg = this.ui.world.pg, n = pg.actions_len();
    const a = n ? pg.actions_since(n - 1)[0] : null;
    return !!a && /^send\s/.test(a.text);
  }

  // ---- acting in a rewound past ---------------------------------------------------------

  /** In a rewound past, ask before `go` replaces the recorded future; true if it asked. */
  askPast(go) {
    const w = this.ui.world;
    if (!(w.extentUs > w.nowUs)) return false;
    this.ask(() => tr('You rewound: acting here replaces the {0} s recorded after this moment.', ((w.extentUs - w.nowUs) / 1e6).toFixed(1)), tr('Replace'), () => this.replace(go));
    return true;
  }

  /** Run `go` in the past; if it replaced the recorded future, offer to bring it back. */
  replace(go) {
    const w = this.ui.world;
    const past = w.extentUs > w.nowUs, at = w.nowUs, lost = ((w.extentUs - w.nowUs) / 1e6).toFixed(1);
    const snap = past ? w.snapshot() : null;
    const forks = w.forks || 0;
    go();
    if (!past || (w.forks || 0) === forks) return;   // nothing ran, or nothing was replaced
    // The statements typed in the replaced future stay in the transcript, struck through.
    const gone = [...this.out.querySelectorAll('.cmd[data-t]')].filter((el) => Number(el.dataset.t) > at)
      .flatMap((el) => { const l = [el]; for (let n = el.nextElementSibling; n && /^(out|err|exp-ok|exp-bad)$/.test(n.className); n = n.nextElementSibling) l.push(n); return l; });
    this.unmarkAll();
    for (const el of gone) { el.classList.add('gone'); el.title = tr('Replaced: this ran in the future that was replaced.'); }
    if (!snap) {
      // Too long a session to rebuild (a write load), or its oldest part was dropped.
      this.print('note', tr('Replaced the {0} s recorded after t = {1} s (no undo: this session is too long to rebuild).', lost, secs(at)));
      return;
    }
    this.offer(tr('Replaced the {0} s recorded after t = {1} s.', lost, secs(snap.nowUs)), tr('Undo'), () => {
      try {
        w.restore(snap);
      } catch (e) {
        this.print('err', tr('Undo failed: {0}', String(e && e.message ? e.message : e)));
        return;
      }
      this.unmarkAll();
      for (const el of gone) { el.classList.remove('gone'); el.title = ''; }
      this.print('note', tr('Undone: back at t = {0} s, with the {1} s recorded after it.', secs(snap.nowUs), lost));
      this.ui.afterAction();
    });
  }

  /** A question with an answer button and Cancel; the answer button takes the focus. */
  ask(text, label, ok) {
    const back = document.activeElement;
    const done = () => {
      this.hideBar();
      if (back && back !== document.body && back.isConnected) back.focus();
    };
    const yes = h('button', { type: 'button', class: 'btn primary', onclick: () => { done(); ok(); } }, label);
    const no = h('button', { type: 'button', class: 'btn', onclick: () => { done(); this.print('note', tr('Not run.')); } }, tr('Cancel'));
    this.showBar(text, [yes, no]);
    this.bar.cancel = () => no.click();
    yes.focus();
  }

  /** An offer that stays until taken, dismissed, or another action makes it moot. */
  offer(text, label, take) {
    const yes = h('button', { type: 'button', class: 'btn', onclick: () => { this.hideBar(); take(); } }, label);
    const no = h('button', { type: 'button', class: 'btn', 'aria-label': tr('Dismiss'), title: tr('Dismiss'), onclick: () => this.hideBar() }, '✕');
    this.showBar(text, [yes, no]);
    this.bar.undo = true;
    this.bar.cancel = () => no.click();
  }

  showBar(text, buttons) {
    const msg = h('span', { style: 'flex:1 1 16em', 'aria-live': 'assertive' });
    this.bar.text = typeof text === 'function' ? text : () => text;
    this.bar.msg = msg;
    this.bar.shown = '';
    this.bar.undo = false;
    // The bar takes room from the output: keep its newest line in view.
    const at = this.out.scrollHeight - this.out.scrollTop - this.out.clientHeight < 30;
    fill(this.bar, msg, buttons);
    this.bar.hidden = false;
    this.refreshBar();
    if (at) this.out.scrollTop = this.out.scrollHeight;
  }

  refreshBar() {
    const t = this.bar.text();
    if (t !== this.bar.shown) this.bar.msg.textContent = this.bar.shown = t;
  }

  hideBar() {
    this.bar.hidden = true;
    this.bar.cancel = null;
    this.bar.undo = false;
    fill(this.bar);
  }

  /**
   * Print a line. `again`, if given, says it anew in the language chosen later (the page's
   * own words, such as the note a load prints): `relabel()` calls it on a switch.
   */
  print(cls, text, again) {
    const line = h('div', { class: cls }, text);
    if (again) line.again = again;
    if (!this.held) { this.add(line); return line; }
    // In a paste's slice: added at its end, all at once (one layout read, not one a line).
    this.held.append(line);
    if (this.held.childElementCount > MAX_LINES) { this.held.firstChild.remove(); this.dropped++; }
    return line;
  }

  /** Add what a paste's slice printed, before `last` (its progress line). */
  flush(last) {
    const held = this.held;
    this.held = null;
    if (held?.childElementCount) this.add(...[held, last].filter(Boolean));
  }

  /** Add `nodes` (lines, or fragments of them) to the output, the oldest dropped past MAX_LINES. */
  /** The output is shown at its end (within 30 px): new lines keep it there. */
  following() {
    return this.out.scrollHeight - this.out.scrollTop - this.out.clientHeight < 30;
  }

  add(...nodes) {
    const at = this.following();
    this.out.append(...nodes);
    while (this.out.childElementCount > MAX_LINES) { this.out.firstChild.remove(); this.dropped++; }
    // The timed lines dropped are forgotten now and then (each time as many as the output holds).
    if (this.dropped > MAX_LINES) { this.dropped = 0; this.timedLines = this.timedLines.filter((x) => x.el.isConnected); }
    if (at) this.out.scrollTop = this.out.scrollHeight;
  }

  /** Say the lines printed with `again` in the language just chosen (the rest is the transcript). */
  relabel() {
    for (const line of this.out.children) if (line.again) line.textContent = line.again();
    // The "later" notes, said anew (at the next render).
    this.unmarkAll();
  }

  /** A new session: `title` in English (a key; it is said in the language chosen). */
  reset(loaded, title) {
    this.hideBar();
    fill(this.out);
    this.timedLines = [];
    this.marked = Infinity;
    this.dropped = 0;
    // A title that ends in its own question mark takes no colon after it ("…re-send?: loaded").
    const head = () => {
      const t = tr(title);
      return tr(/[?？!！:：]$/.test(t) ? '{0} {1}' : '{0}: {1}', t, loaded.output ? tr('the scenario printed:') : tr('loaded.'));
    };
    this.print('note', head(), head);
    const lines = loaded.output ? loaded.output.replace(/\n$/, '').split('\n') : [];
    if (lines.length > 8) this.print('note', tr('… {0} lines (Share shows the whole scenario)', lines.length - 6));
    const shown = lines.length > 8 ? lines.slice(-6) : lines;
    const when = this.whenLoaded(shown, loaded.expectations);
    // One block a command (its echo, then its reply), each with the moment it ran: a
    // shared link opened at an earlier moment shows what was recorded after it as later.
    for (const b of when.blocks) {
      if (b.t == null) { this.print('out', b.lines.map(clip).join('\n')); continue; }
      this.timed(this.print('out', clip(b.lines[0])), b.t, true);
      if (b.lines.length > 1) this.timed(this.print('out', b.lines.slice(1).map(clip).join('\n')), b.t);
    }
    loaded.expectations.forEach((x, i) => {
      const line = this.print(x.passed ? 'exp-ok' : 'exp-bad', x.text.trim());
      if (when.expects[i] != null) this.timed(line, when.expects[i], true);
    });
    this.names = '';
  }

  /**
   * When a loaded scenario's printed lines ran: `shown` (its output's last lines) cut into
   * blocks, one a command echo and its reply, each with its statement's time (t_us), and
   * the time of each expect, all read from the statements the core recorded; null where
   * the lines and the statements do not pair up (nothing is marked then).
   */
  whenLoaded(shown, expects) {
    const none = { blocks: shown.length ? [{ lines: shown, t: null }] : [], expects: [] };
    const pg = this.ui.world.pg;
    if (!pg) return none;
    // From the end, a chunk of statements at a time (a session may have recorded millions):
    // the output shown is the last lines, so only the last shown.length commands can pair
    // with them; the expects are all wanted (their count must match), or none is.
    const cmds = [], ex = [];   // newest first
    try {
      for (let end = pg.actions_len(); end > 0 && (cmds.length < shown.length || expects.length); end -= ACTIONS_CHUNK) {
        const from = Math.max(0, end - ACTIONS_CHUNK), part = pg.actions_since(from, end - from);
        for (let i = part.length - 1; i >= 0; i--) {
          const a = part[i];
          if (cmds.length < shown.length && PROMPT.test(a.text)) cmds.push(a);
          else if (expects.length && /^expect\b/.test(a.text)) ex.push(a.t_us);
        }
      }
    } catch { return none; }
    const blocks = [];
    let j = 0, cur = [];
    for (let i = shown.length - 1; i >= 0; i--) {
      cur.unshift(shown[i]);
      if (j < cmds.length && cmds[j].text.trim() === shown[i].trim()) { blocks.unshift({ lines: cur, t: cmds[j].t_us }); cur = []; j++; }
    }
    if (cur.length) blocks.unshift({ lines: cur, t: null });
    return { blocks, expects: ex.length === expects.length ? ex.reverse() : [] };
  }

  /** Mark `line` as run at `t` (µs): later than the moment shown, it shows faded; a `head` line also says when. */
  timed(line, t, head = false) {
    line.dataset.t = t;
    if (head) line.dataset.head = '';
    // In order of time (a line printed after a rewind runs before those of the future it
    // replaced); usually the last.
    const a = this.timedLines, at = upper(a, t);
    a.splice(at, 0, { t, el: line });
    if (t > this.marked) later(line, t, true);
    return line;
  }

  /** No line marked later (the next render marks those after the moment shown). */
  unmarkAll() {
    for (const x of this.timedLines.slice(upper(this.timedLines, this.marked))) if (!x.el.classList.contains('gone')) later(x.el, x.t, false);
    this.marked = Infinity;
  }

  /**
   * Lines recorded after the moment shown (a shared link opened at an earlier moment, or
   * a rewind) show faded with "later: t = … s", as the timeline shows later decisions;
   * struck-through lines of a replaced future stay as they are.
   */
  markLater(now) {
    if (this.marked === now) return;
    // Only the lines between the moment marked and this one change: those after `now`
    // and up to it become later (a rewind), those after it and up to `now` no longer are.
    const a = this.timedLines, from = upper(a, now), to = upper(a, this.marked);
    const on = from < to;
    for (let i = Math.min(from, to); i < Math.max(from, to); i++) if (!a[i].el.classList.contains('gone')) later(a[i].el, a[i].t, on);
    this.marked = now;
  }

  /** Keep the target picker in step with the nodes that exist, and a question's figures with the moment. */
  render(w) {
    if (!this.bar.hidden) this.refreshBar();
    this.markLater(w.nowUs);
    const names = w.view.nodes.map((n) => n.name).join();
    if (names === this.names) return;
    this.names = names;
    const keep = this.target.value;
    const master = w.view.nodes.find((n) => n.role === 'master');
    fill(this.target, w.view.nodes.map((n) => h('option', { value: n.name }, `${n.name}>`)));
    this.target.value = w.view.nodes.some((n) => n.name === keep) ? keep : master ? master.name : '';
  }

  focus(node) {
    if (node) this.target.value = node;
    this.input.focus();
  }
}
