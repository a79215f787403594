// Boot, wiring and the animation loop. Each frame: run simulated time (frame delta ×
// speed, slower while bytes are on the wire), read the views once, draw the panels.
// The simulation stays deterministic because the core logs the exact instant of every
// statement the page applies.

import { boot, World } from './world.js';
import { $, h, s, fill } from './dom.js';
import { Topology } from './topology.js';
import { Actions, actionsFor, newNodeStatement } from './actions.js';
import { Ruler } from './ruler.js';
import { Decisions } from './decisions.js';
import { Console } from './console.js';
import { Timeline } from './timeline.js';
import { Events } from './events.js';
import { Chart } from './chart.js';
import { Info } from './info.js';
import { Settings } from './settings.js';
import { SCENARIOS } from './scenarios.js';
import { Lessons } from './lessons.js';

const world = new World();
let running = false, last = 0, pendingSeek = null, dirty = true;
const frames = [];

const ui = {
  world,
  sel: null,
  decSel: null,
  hint: '',
  tab: 'events',
  get dirty() { return dirty; },
  set dirty(v) { dirty = v; if (v) kick(); },
  select(sel) { ui.sel = sel; ui.dirty = true; },
  run(stmt) { return con.run(stmt); },
  act(a) {
    if (a.stmt) ui.run(a.stmt);
    else if (a.run === 'info') { info.show(ui.sel.name); selectTab('info'); }
    else if (a.run === 'settings') selectTab('settings');
  },
  addNode() { for (const st of newNodeStatement(world)) if (!ui.run(st)) break; },
  note(text) { con.print('note', text); },
  afterAction() { ui.acted = true; timeline.refreshActions(world); ui.dirty = true; },
  requestSeek(us) { pendingSeek = Math.max(0, us); ui.dirty = true; },
  showDecision(i) {
    ui.decSel = i;
    setPlaying(false);
    ui.requestSeek(world.decisions[i].t_us);
  },
};

const topo = new Topology($('topo'), ui);
const actions = new Actions($('actions'), ui);
const ruler = new Ruler($('rulers'), $('ruler-legend'));
const decisions = new Decisions($('decision'), $('dec-hist'), ui);
ui.decisions = decisions;
const con = new Console(ui);
const timeline = new Timeline(ui);
const events = new Events($('events'), $('seq'), $('filters'), ui);
const chart = new Chart($('chart'), $('chart-legend'), ui);
const info = new Info($('info'), ui);
const settings = new Settings($('settings'), ui);

const lessons = new Lessons(ui);
ui.open = (...a) => open(...a);
ui.setPlaying = (on) => setPlaying(on);
world.on('stop', () => setPlaying(false));
world.on('reply', (node, text) => con.print('late', `${node}> (reply) ${text}`));
world.on('print', (cls, text) => con.print(cls, text));

fill($('topo-legend'),
  h('span', null, '■ master'), h('span', null, '○ replica'),
  h('span', { style: 'color:var(--ok)' }, '━ online'), h('span', { style: 'color:var(--sync)' }, '╍ syncing'),
  h('span', { style: 'color:var(--down)' }, '┈ ✕ down'), h('span', { style: 'color:var(--part)' }, '≈ partitioned'),
  h('span', { style: 'color:var(--full)' }, '▣ RDB'), h('span', { style: 'color:var(--stream)' }, '• stream'), h('span', { style: 'color:var(--ack)' }, '○ ACK'));

// ---- time controls -------------------------------------------------------------

const playBtn = $('play'), speed = $('speed'), speedOut = $('speed-out'), slowmo = $('slowmo');

function setPlaying(on) {
  world.playing = on;
  fill(playBtn, s('svg', { class: 'ico', viewBox: '0 0 12 12', 'aria-hidden': 'true' }, on ? s('path', { d: 'M2 1.5h3v9H2zM7 1.5h3v9H7z' }) : s('path', { d: 'M2 1v10l9-5z' })), on ? ' Pause' : ' Play');
  playBtn.setAttribute('aria-pressed', String(on));
  ui.dirty = true;
}

function fmtSpeed(x) {
  if (x >= 10) return `${Math.round(x)}×`;
  if (x >= 1) return `${x.toFixed(x % 1 ? 1 : 0)}×`;
  return x >= 0.1 ? `${x.toFixed(2).replace(/0$/, '')}×` : `1/${Math.round(1 / x)}×`;
}

function setSpeed(v) {
  v = Math.max(-2, Math.min(2, v));
  // Snap to whole powers of ten so 1×, 10× and 100× are easy to land on.
  if (Math.abs(v - Math.round(v)) < 0.06) v = Math.round(v);
  speed.value = String(v);
  world.speed = 10 ** v;
  speedOut.textContent = fmtSpeed(world.speed);
  speed.setAttribute('aria-valuetext', fmtSpeed(world.speed));
}

playBtn.addEventListener('click', () => setPlaying(!world.playing));
$('step').addEventListener('click', () => { setPlaying(false); world.step(); ui.afterAction(); });
$('reset').addEventListener('click', () => reload());
speed.addEventListener('input', () => setSpeed(+speed.value));
slowmo.addEventListener('change', () => { world.slowmo = slowmo.checked; });

// ---- scenarios -----------------------------------------------------------------

const lessonSel = $('lesson');
const lessonGroup = h('optgroup', { label: 'Guided lessons' });
function fillPicker() {
  fill(lessonGroup, lessons.index.map((l) => h('option', { value: `lesson:${l.id}` }, `${l.question}${l.myth ? '?' : ''}. ${lessons.t(l.title)}`)));
}
ui.relabelLessons = () => { const v = lessonSel.value; fillPicker(); lessonSel.value = v; };
fill(lessonSel, h('optgroup', { label: 'Starting scenarios' }, SCENARIOS.map((sc) => h('option', { value: sc.id }, sc.title))), lessonGroup,
  h('option', { value: 'custom', hidden: true }, 'Your scenario'));
lessonSel.addEventListener('change', () => pick(lessonSel.value));

/** A starting scenario by id, or a guided lesson as `lesson:ID`. */
function pick(id) {
  if (id.startsWith('lesson:')) {
    lessonSel.value = id;
    lessons.start(id.slice(7)).catch((e) => con.print('err', String(e.message || e)));
  } else openLesson(SCENARIOS.find((x) => x.id === id));
}

let current = { text: SCENARIOS[0].text, seed: null, title: SCENARIOS[0].title };

function open(text, seed, title, hint) {
  try {
    world.open(text, seed);
  } catch (e) {
    con.print('err', `${title}: ${e.message || e}`);
    return false;
  }
  current = { text, seed, title };
  ui.sel = null;
  ui.decSel = null;
  ui.hint = hint || '';
  ui.acted = false;
  pendingSeek = null;
  con.reset(world.loaded, title);
  if (hint) con.print('note', `Try: ${hint}`);
  $('seed-v').textContent = String(world.seed);
  timeline.refreshActions(world);
  setPlaying(false);
  return true;
}

function openLesson(sc) {
  if (!sc) return;
  lessons.stop();
  lessonSel.value = sc.id;
  if (!open(sc.text, null, sc.title, sc.hint)) return;
  if (sc.bench) startBench();
}

function reload() {
  if (lessons.cur) lessons.start(lessons.cur.id);
  else open(current.text, current.seed, current.title, ui.hint);
}

function startBench() {
  slowmo.checked = world.slowmo = false;
  setSpeed(0);
  world.startLoad('m', 1000, 16);
  frames.length = 0;
  setPlaying(true);
}

/** The session as a scenario that rebuilds it exactly, seed included. */
function exportText() {
  const text = world.pg.script();
  const seedLine = `seed ${world.seed}`;
  return /^seed \d+$/m.test(text) ? text.replace(/^seed \d+$/m, seedLine) : `${seedLine}\n${text}`;
}

const b64 = {
  enc: (t) => btoa(String.fromCharCode(...new TextEncoder().encode(t))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  dec: (t) => new TextDecoder().decode(Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))),
};

// ---- dialogs -------------------------------------------------------------------

const dlg = $('dlg');
function dialog(title, ...body) {
  $('dlg-h').textContent = title;
  fill($('dlg-body'), body);
  dlg.showModal();
}

$('help').addEventListener('click', showHelp);
function showHelp() {
  const keys = [['Space', 'play / pause'], ['N', 'next event'], ['[ ]', 'slower / faster'], ['M', 'slow motion on wires on/off'], ['← →', 'on the timeline: 0.1 s (Shift: 1 s)'],
    ['Tab, Enter', 'select a node or link'], ['D / R', 'disconnect / reconnect'], ['X / H', 'partition / heal'], ['C / S', 'crash / (re)start a node'],
    ['P', 'promote (REPLICAOF NO ONE)'], ['I', 'INFO of the node'], ['A', 'add a node'], ['/', 'console'], ['↑ ↓', 'console history'], ['Esc', 'clear the selection'], ['Shift+R', 'reset']];
  dialog('Keyboard', h('dl', null, keys.flatMap(([k, v]) => [h('dt', null, h('kbd', null, k)), h('dd', null, v)])),
    h('p', { class: 'hint' }, 'Every click is a scenario statement: it appears in the console and in the exported scenario.'));
}

$('export').addEventListener('click', () => {
  const ta = h('textarea', { spellcheck: 'false', 'aria-label': 'Scenario text' });
  ta.value = exportText();
  const msg = h('span', { class: 'hint', role: 'status' });
  const copy = (t, what) => navigator.clipboard.writeText(t).then(() => { msg.textContent = `${what} copied.`; }, () => { msg.textContent = 'Copy failed: select the text and copy it.'; });
  dialog('This session as a scenario',
    h('p', { class: 'hint' }, 'It replays exactly: every statement at the instant it was applied. Edit it and load it, or share it as a link.'), ta,
    h('menu', null,
      h('button', { class: 'btn', type: 'button', onclick: () => copy(ta.value, 'Scenario') }, 'Copy'),
      h('button', { class: 'btn', type: 'button', onclick: () => copy(`${location.href.split('#')[0]}#s=${b64.enc(ta.value)}`, 'Share link') }, 'Copy share link'),
      h('button', { class: 'btn primary', type: 'button', onclick: () => { lessons.stop(); if (open(ta.value, null, 'Your scenario')) { lessonSel.value = 'custom'; dlg.close(); } } }, 'Load this text'), msg));
});

$('seed').addEventListener('click', () => {
  const inp = h('input', { type: 'number', min: 0, step: 1, value: world.seed, 'aria-label': 'Seed' });
  dialog('Seed', h('p', { class: 'hint' }, 'The seed drives every random choice (run ids, replication ids, start-up phases). The same scenario and seed always give the same bytes.'), inp,
    h('menu', null, h('button', { class: 'btn primary', type: 'button', onclick: () => { const v = Math.floor(+inp.value); if (v >= 0) { current.seed = v; reload(); } dlg.close(); } }, 'Reload with this seed')));
});

// ---- tabs ----------------------------------------------------------------------

const tabs = ['events', 'seq', 'chart', 'info', 'settings'];
function selectTab(id, focus) {
  ui.tab = id;
  for (const t of tabs) {
    const b = $(`tab-${t}`), on = t === id;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
    $(`pane-${t}`).hidden = !on;
    if (on && focus) b.focus();
  }
  $('filters').hidden = !(id === 'events' || id === 'seq');
  events.qsig = events.fsig = '';
  ui.forceLists = true;
  ui.dirty = true;
}
for (const t of tabs) {
  const b = $(`tab-${t}`);
  b.addEventListener('click', () => selectTab(t));
  b.addEventListener('keydown', (e) => {
    const d = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
    if (d) { e.preventDefault(); selectTab(tabs[(tabs.indexOf(t) + d + tabs.length) % tabs.length], true); }
  });
}

// ---- keyboard ------------------------------------------------------------------

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || dlg.open) return;
  const t = e.target;
  const typing = t.closest && t.closest('input:not([type=range]):not([type=checkbox]), select, textarea');
  if (typing) return;
  const k = e.key;
  if (k === ' ' && !(t.closest && t.closest('button, [role=button], [role=tab], input'))) { e.preventDefault(); setPlaying(!world.playing); return; }
  if (k === 'Escape') { ui.select(null); return; }
  if (k === '/') { e.preventDefault(); con.focus(); return; }
  if (k === '?') { showHelp(); return; }
  if (k === '[' || k === ']') { setSpeed(+speed.value + (k === ']' ? 0.25 : -0.25)); return; }
  if (k === 'R' && e.shiftKey) { reload(); return; }
  if (k === 'Enter' && lessons.cur && t === document.body) { lessons.next(); return; }
  if (e.shiftKey) return;
  if (k === 'n') { setPlaying(false); world.step(); ui.afterAction(); return; }
  if (k === 'm') { slowmo.checked = world.slowmo = !world.slowmo; return; }
  if (k === 'a') { ui.addNode(); return; }
  const a = actionsFor(world, ui.sel).find((x) => x.key === k);
  if (a) { e.preventDefault(); ui.act(a); }
});

// ---- the loop ------------------------------------------------------------------

function kick() {
  if (running || !world.pg) return;
  running = true;
  last = 0;
  requestAnimationFrame(frame);
}

let firstRender = true;
function frame(ts) {
  const t0 = performance.now();
  const dt = last ? Math.min(ts - last, 100) : 1000 / 60;
  last = ts;
  dirty = false;
  try {
    if (pendingSeek != null) {
      const target = pendingSeek;
      pendingSeek = null;
      world.seekUs(target);
    } else if (world.playing) {
      world.play(dt);
    }
    render();
  } catch (e) {
    setPlaying(false);
    con.print('err', `page error: ${e.message || e}`);
    console.error(e);
  }
  const t1 = performance.now();
  if (world.playing) {
    frames.push(t1 - t0);
    if (frames.length > 3000) frames.splice(0, 1000);
  }
  if (firstRender) {
    firstRender = false;
    performance.mark('replscope:first-render');
    $('boot').remove();
  }
  // A throttled panel (log, chart, INFO) asks for one more frame to show the final state.
  if (world.playing || dirty || ui.later) requestAnimationFrame(frame);
  else running = false;
}

let tick = 0;
function render() {
  const w = world;
  ui.later = false;
  topo.render(w);
  actions.render(w);
  ruler.render(w);
  decisions.render(w);
  timeline.render(w);
  con.render(w);
  if (ui.tab === 'events' || ui.tab === 'seq') events.render(w, ui.tab);
  else if (ui.tab === 'chart') chart.render(w);
  else if (ui.tab === 'info') info.render(w);
  else if (ui.tab === 'settings') settings.render(w);
  ui.forceLists = false;
  $('clock').textContent = `t = ${(w.view.t_us / 1e6).toFixed(3)} s`;
  if (w.load && ++tick % 300 === 0 && frames.length > 60) {
    const p = percentiles(frames.slice(-300));
    con.print('note', `frame time (sim + render) over the last 300 frames: p50 ${p.p50.toFixed(2)} ms, p95 ${p.p95.toFixed(2)} ms`);
  }
}

function percentiles(xs) {
  const a = [...xs].sort((x, y) => x - y);
  const q = (f) => a[Math.min(a.length - 1, Math.floor(f * a.length))];
  return { p50: q(0.5), p95: q(0.95), max: a[a.length - 1], n: a.length };
}

// For the end-to-end tests and tools/page-bench.mjs.
window.__replscope = { world, ui, frames, percentiles, setPlaying, setSpeed, renderNow: render, panels: { topo, actions, ruler, decisions, timeline, events, chart, con }, openLesson: (id) => openLesson(SCENARIOS.find((x) => x.id === id)), lessons };

// ---- boot ----------------------------------------------------------------------

async function main() {
  await boot();
  setSpeed(0);
  const q = new URLSearchParams(location.search);
  const hash = location.hash;
  let ok = false;
  if (hash.startsWith('#s=')) {
    try { ok = open(b64.dec(hash.slice(3)), null, 'Shared scenario'); } catch (e) { con.print('err', `share link: ${e.message || e}`); }
    if (ok) lessonSel.value = 'custom';
  }
  const want = q.has('bench') ? 'bench' : q.get('lesson') || (hash.startsWith('#lesson=') ? hash.slice(8) : 'basic');
  const guided = !ok && !SCENARIOS.some((x) => x.id === want);
  if (!ok) openLesson(guided ? SCENARIOS[0] : SCENARIOS.find((x) => x.id === want));
  // The lesson list is not needed for the first frame: fetch it after.
  lessons.loadIndex().then(() => {
    fillPicker();
    if (guided && lessons.index.some((l) => l.id === want)) pick(`lesson:${want}`);
  }, (e) => con.print('note', `lessons unavailable: ${e.message || e}`));
  ui.dirty = true;
}

main().catch((e) => {
  const b = $('boot');
  b.classList.add('err');
  b.textContent = `replscope could not start: ${e.message || e}`;
  console.error(e);
});
