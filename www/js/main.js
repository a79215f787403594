// Boot, wiring and the animation loop. Each frame: run simulated time (frame delta ×
// speed, slower while bytes are on the wire), read the views once, draw the panels.
// The simulation stays deterministic because the core logs the exact instant of every
// statement the page applies. Panels behind a tab, the lessons, the other starting
// scenarios, the dialogs, links, embed mode and the Chinese dictionary are loaded when
// first needed, to keep the first visit small.

import { boot, World } from './world.js';
import { $, h, s, fill, setText, tr, setAddress, setAddressLang, addressParts } from './dom.js';
import { Topology } from './topology.js';
import { Actions, actionsFor, newNodeStatement } from './actions.js';
import { Ruler } from './ruler.js';
import { Decisions } from './decisions.js';
import { Console } from './console.js';
import { Timeline } from './timeline.js';
import { Events } from './events.js';
import { DEFAULT, TITLES } from './default.js';
import { TABS, buildTabs } from './panels.js';

buildTabs($('tablist'), $('filters'));

const world = new World();
let running = false, last = 0, pendingSeek = null, dirty = true, hintEn = '', slowSeen = { at: -1e9, rate: '' };
const frames = [];

const ui = {
  world,
  sel: null,
  decSel: null,
  /** What to try in this scenario, in the language shown (kept in English, the key). */
  get hint() { return tr(hintEn); },
  set hint(v) { hintEn = v; },
  tab: 'events',
  lang: firstLang(),
  t(x) { return x ? x[ui.lang] || x.en : ''; },
  get dirty() { return dirty; },
  set dirty(v) { dirty = v; if (v) kick(); },
  select(sel) { ui.sel = sel; ui.dirty = true; },
  run(stmt) { return con.run(stmt); },
  /** Who may refuse the reader's statements for now (a lesson looking back): each returns why, or null. */
  blockers: [],
  /** Whether a blocker refuses the reader's action now (it says why in the console). */
  blocked() {
    for (const b of ui.blockers) {
      const why = b();
      if (why) { con.print('note', why); return true; }
    }
    return false;
  },
  act(a) {
    if (ui.locked || ui.blocked()) return;
    if (a.stmt) ui.run(a.stmt);
    else if (a.run === 'info') { ui.infoNode = ui.sel.name; selectTab('info'); }
    else if (a.run === 'settings') selectTab('settings');
  },
  addNode() { if (!ui.locked && !ui.blocked()) con.runAll(newNodeStatement(world)); },
  note(text) { con.print('note', text); },
  afterAction() { ui.acted = true; textbook(); timeline.refreshActions(world); ui.dirty = true; },
  requestSeek(us) { pendingSeek = Math.max(0, us); ui.dirty = true; },
  /** Where the world is, or is about to be once the seek asked for is done (a key pressed again before the next frame steps from there). */
  get seekBaseUs() { return pendingSeek ?? world.nowUs; },
  showDecision(i) {
    const r = world.dec(i);
    if (!r) return;   // forgotten since it was drawn
    ui.decSel = i;
    setPlaying(false);
    ui.requestSeek(r.t_us);
  },
  open: (...a) => open(...a),
  setPlaying: (on) => setPlaying(on),
  selectTab: (id) => selectTab(id),
  /** The lessons in the order of the article (lessons/index.json), once fetched. */
  get lessonIndex() { return lessonIndex; },
  /**
   * Open a lesson as the picker would, and link to it in the address bar: in a new entry of
   * the browser's history (the cards, the picker, "Next lesson"), so Back returns to what
   * was shown before it (main()'s navigated()).
   */
  pickLesson(id) {
    pick(`lesson:${id}`);
    setAddress([`lesson=${id}`], true);
  },
};

const topo = new Topology($('topo'), ui);
const actions = new Actions($('actions'), ui);
const actionsEl = $('actions');

/**
 * On a short window (800 px or less) the actions bar under the topology keeps the height
 * of its tallest selection (a node of each role, a link), so selecting does not shrink
 * the drawing above it and move the cards (at 1024×768 a master's actions take three
 * rows, no selection one). The heights are measured on a hidden copy when the bar's
 * width or the cluster's shape changes, not in every frame. Taller windows keep the bar
 * as tall as its content (the room it would keep, 32 px at 1440×900, is the drawing's:
 * with a banner shown its cards would turn small there), and so do a phone's stacked
 * page and an embed.
 */
let actionsW = 0, reserveSig = '';
new ResizeObserver(([e]) => { actionsW = e.borderBoxSize?.[0]?.inlineSize ?? actionsEl.offsetWidth; ui.dirty = true; }).observe(actionsEl);
function reserveActions(w) {
  const on = innerWidth > 860 && innerHeight <= 800 && !document.documentElement.classList.contains('embed') && actionsW > 0;
  // What the bar's rows depend on, said cheaply (this runs every frame).
  let sig = '';
  if (on) {
    sig = `${actionsW}|${ui.lang}|${w.load ? w.load.node : ''}|`;
    for (const n of w.view.nodes) sig += `${n.name}/${n.role}/${n.status}/${n.master_host || ''},`;
    // Not the links' states: a disconnect and a reconnect would move the drawing while it
    // plays (a partitioned link's Heal, one more button, may then take a row more).
  }
  if (sig === reserveSig) return;
  reserveSig = sig;
  if (!on) { actionsEl.style.minHeight = ''; return; }
  // One node of each role and state and one link of each state as they are now.
  const picks = [], seen = new Set();
  const linkTo = (n) => w.view.links.find((l) => [l.a, l.b].includes(n.name) && [l.a, l.b].includes(n.master_host));
  for (const n of w.view.nodes) {
    const k = `${n.role}/${n.status}/${!!n.master_host}/${n.master_host ? linkTo(n)?.state : ''}`;
    if (!seen.has(k)) { seen.add(k); picks.push({ type: 'node', name: n.name }); }
  }
  for (const l of w.view.links) if (!seen.has(l.state)) { seen.add(l.state); picks.push({ type: 'link', a: l.a, b: l.b }); }
  const probe = h('div', { class: 'actions', 'aria-hidden': 'true', inert: true, style: `position:absolute;visibility:hidden;left:0;top:0;width:${actionsW}px` });
  actionsEl.parentElement.append(probe);
  let tallest = 0;
  for (const sel of picks) {
    new Actions(probe, { ...ui, sel }).render(w);
    tallest = Math.max(tallest, probe.getBoundingClientRect().height);
  }
  probe.remove();
  actionsEl.style.minHeight = tallest ? `${tallest}px` : '';
}
const ruler = new Ruler($('rulers'), $('ruler-legend'));
const decisions = new Decisions($('decision'), $('dec-hist'), ui);
ui.decisions = decisions;
const con = new Console(ui);
const timeline = new Timeline(ui);
const events = new Events($('events'), $('filters'), ui);

/** Panels and helpers loaded on first use: `need(name)` starts the load, `lazy[name]` is ready or not. */
const lazy = {};
let cssP;
/** A module and the stylesheet of everything loaded on first use (more.css, fetched once). */
const withCss = (p) => Promise.all([p, cssP ||= new Promise((ok) => {
  const l = h('link', { rel: 'stylesheet', href: 'more.css' });
  l.addEventListener('load', ok);
  l.addEventListener('error', ok);
  document.head.append(l);
})]).then(([m]) => m);
const loaders = {
  // The tab panels (panels.js): each module with its styles, made into its panel.
  ...Object.fromEntries(TABS.filter((t) => t.load).map((t) => [t.id, () => withCss(t.load()).then((m) => t.make(m, ui, { events }))])),
  lessons: () => withCss(import('./lessons.js')).then((m) => new m.Lessons(ui)),
  dialogs: () => withCss(import('./dialogs.js')),
  diagnose: () => withCss(import('./diagnose.js')),
  scenarios: () => import('./scenarios.js'),
  link: () => import('./link.js'),
  i18n: () => import('./i18n.js'),
};
const pending = {};
function need(name) {
  return (pending[name] ||= loaders[name]().then((x) => { lazy[name] = x; ui.dirty = true; return x; }, (e) => {
    delete pending[name];
    con.print('err', `could not load ${name}: ${e.message || e}`);
    throw e;
  }));
}

world.on('stop', () => setPlaying(false));
world.on('halt', () => setPlaying(false));
world.on('reply', (node, text) => con.print('late', `${node}> (reply) ${text}`));
world.on('print', (cls, text) => con.print(cls, text));

const legend = () => fill($('topo-legend'),
  h('span', null, tr('■ master')), h('span', null, tr('○ replica')),
  h('span', { style: 'color:var(--ok)' }, tr('━ online')), h('span', { style: 'color:var(--sync)' }, tr('╍ syncing')),
  h('span', { style: 'color:var(--down)' }, tr('┈ ✕ down')), h('span', { style: 'color:var(--part)' }, tr('≈ partitioned')),
  h('span', { style: 'color:var(--full)' }, '▣ RDB'), h('span', { style: 'color:var(--stream)' }, tr('• stream')), h('span', { style: 'color:var(--ack)' }, '○ ACK'));
legend();

// ---- time controls -------------------------------------------------------------

const playBtn = $('play'), speed = $('speed'), speedOut = $('speed-out'), slowmo = $('slowmo'), slowmoLabel = slowmo.parentElement;

function setPlaying(on) {
  world.playing = on;
  fill(playBtn, s('svg', { class: 'ico', viewBox: '0 0 12 12', 'aria-hidden': 'true' }, on ? s('path', { d: 'M2 1.5h3v9H2zM7 1.5h3v9H7z' }) : s('path', { d: 'M2 1v10l9-5z' })), on ? ` ${tr('Pause')}` : ` ${tr('Play')}`);
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

function step() { setPlaying(false); world.step(); ui.afterAction(); }
playBtn.addEventListener('click', () => setPlaying(!world.playing));
$('step').addEventListener('click', step);
$('reset').addEventListener('click', () => reload());
speed.addEventListener('input', () => setSpeed(+speed.value));
/** Slow motion on or off; turned on, it starts afresh (not resting from an earlier stream). */
function setSlowmo(on) {
  slowmo.checked = world.slowmo = on;
  if (on) world.slowReset();
}
slowmo.addEventListener('change', () => setSlowmo(slowmo.checked));

// ---- scenarios and lessons -------------------------------------------------------

const lessonSel = $('lesson');
let lessonIndex = [], chosen = 'basic';
/** What the picker shows (kept while its options are rebuilt or not yet listed). */
const choose = (v) => { chosen = lessonSel.value = v; };
lessonSel.addEventListener('change', () => {
  const v = chosen = lessonSel.value;
  // The address bar links to the lesson picked (a starting scenario has no link).
  if (v.startsWith('lesson:')) ui.pickLesson(v.slice(7));
  else { pick(v); setAddress([]); }
});

/** A lesson's kind: one of the six interview questions, the myth check, or an incident. */
const kindOf = (l) => l.kind || (l.myth ? 'myth' : 'question');
/** How a lesson is numbered for the reader: "1", "Myth", "Incident". */
const badge = (l) => ({ question: tr('Question {0}', l.question), myth: tr('Myth check'), incident: tr('Incident') })[kindOf(l)];

/**
 * A lesson's title as a list names it: a myth check's or an incident's without the "Myth
 * check:" / "Incident:" its badge or group already says (then capitalised, in English).
 */
const shortTitle = (l) => {
  const t = ui.t(l.title);
  if (kindOf(l) === 'question') return t;
  const b = t.replace(/^[^:：]{1,20}[:：]\s*/, '');
  return b.charAt(0).toUpperCase() + b.slice(1);
};

function fillLessons() {
  const opt = (l) => h('option', { value: `lesson:${l.id}`, lang: ui.lang === 'zh' ? 'zh-Hans' : 'en' }, `${kindOf(l) === 'question' ? `${l.question}. ` : ''}${shortTitle(l)}`);
  const of = (k) => lessonIndex.filter((l) => kindOf(l) === k);
  // Each kind in its group, so no title needs its kind in front of it.
  const group = (k, label) => (of(k).length ? h('optgroup', { label: tr(label) }, of(k).map(opt)) : null);
  fill(lessonSel, h('optgroup', { label: tr('Starting scenarios') }, TITLES.map(([id, title]) => h('option', { value: id }, tr(title)))),
    group('question', 'Guided lessons'), group('myth', 'Myth checks'), group('incident', 'Incidents'),
    h('option', { value: 'custom', hidden: true }, tr('Your scenario')));
  lessonSel.value = chosen;
  if (!welcomeEl.hidden) fillCards();
}

// ---- the lessons as cards: what a first visit shows ---------------------------------

const welcomeEl = $('welcome');
/** Show or hide the cards (they need no wasm: they are drawn as soon as the lesson list arrives). */
function welcome(on) {
  welcomeEl.hidden = !on;
  document.body.classList.toggle('welcoming', on);
  $('lessons-btn').setAttribute('aria-expanded', String(on));
  if (on) fillCards();
}
/** Runs `fn` once the simulator is up (a card may be clicked while the wasm still loads). */
const whenReady = (fn) => started.then(fn, () => {});
function fillCards() {
  const card = (l) => h('li', { class: `wl-card ${kindOf(l)}` },
    h('button', { type: 'button', class: 'wl-go', 'data-lesson': l.id, onclick: () => whenReady(() => ui.pickLesson(l.id)) },
      h('span', { class: 'wl-badge' }, badge(l)),
      // The badge already says “Myth check” / “Incident”: the title's own prefix would repeat it.
      h('b', { class: 'wl-name' }, shortTitle(l)),
      l.ask ? h('span', { class: 'wl-ask' }, ui.t(l.ask)) : null));
  const groups = [[['question', 'myth'], 'Interview questions, in the order of the article'], [['incident'], 'Incidents people really hit']];
  fill($('wl-cards'),
    groups.map(([kinds, head]) => {
      const ls = kinds.flatMap((k) => lessonIndex.filter((l) => kindOf(l) === k));
      if (!ls.length) return null;
      return [h('h3', { class: 'wl-group' }, tr(head)), h('ul', { class: 'wl-list' }, ls.map(card))];
    }).flat(),
    h('h3', { class: 'wl-group' }, tr('Or explore on your own')),
    h('ul', { class: 'wl-list' }, h('li', { class: 'wl-card free' },
      h('button', { type: 'button', class: 'wl-go', 'data-lesson': 'free', onclick: () => whenReady(async () => { await pick('basic'); setAddress([]); setPlaying(true); }) },
        h('span', { class: 'wl-badge' }, tr('Free play')),
        h('b', { class: 'wl-name' }, tr('A master and two replicas, running')),
        h('span', { class: 'wl-ask' }, tr('Click a link or a node to break it; type Redis commands in the console.'))))));
  markFirstRender();
}
$('lessons-btn').addEventListener('click', () => welcome(welcomeEl.hidden));
$('wl-close').addEventListener('click', () => { welcome(false); $('lessons-btn').focus(); });

let firstRender = true;
/** The first meaningful render: the cards, or the first frame of the cluster. */
function markFirstRender() {
  if (!firstRender) return;
  firstRender = false;
  performance.mark('replscope:first-render');
  $('boot').remove();
}
fillLessons();

/** English or 中文: the link's `lang=`, then the reader's last choice, then the browser's languages. */
function firstLang() {
  let v = /[#?&]lang=(en|zh)(&|#|$)/.exec(location.search + location.hash.slice(0, 4096))?.[1];
  try { v ||= localStorage.getItem('replscope-lang'); } catch { /* no storage */ }
  if (v === 'en' || v === 'zh') return v;
  return /^zh/i.test((navigator.languages || []).find((l) => /^(en|zh)\b/i.test(l))) ? 'zh' : 'en';
}

const langBtn = $('lang');
function showLang() {
  langBtn.textContent = ui.lang === 'en' ? 'EN | 中文' : '中文 | EN';
  langBtn.setAttribute('aria-label', ui.lang === 'en' ? 'Language: English (switch to Chinese)' : '语言：中文（切换到英文）');
}
/** Switch the page's words and the lessons (i18n.js, fetched the first time). */
async function setLang(lang, save) {
  ui.lang = lang;
  setAddressLang(lang);
  if (save) try { localStorage.setItem('replscope-lang', lang); } catch { /* private mode: the choice lasts this visit */ }
  // The reader's choice outlasts a `lang=zh` in the address (a reload would undo it), and an
  // address copied now opens in the language chosen: the address says `lang=zh` in Chinese
  // and none in English (dom.js's fragment(), in place; never an embed's).
  if (save) setAddress(addressParts());
  await need('i18n').then((m) => m.apply(lang, ui), () => {});
}
langBtn.addEventListener('click', () => setLang(ui.lang === 'en' ? 'zh' : 'en', true));
setAddressLang(ui.lang);
showLang();

/** A starting scenario by id, or a guided lesson as `lesson:ID`. */
async function pick(id) {
  choose(id);
  welcome(false);
  if (id.startsWith('lesson:')) {
    const L = await need('lessons');
    L.start(id.slice(7)).catch((e) => con.print('err', String(e.message || e)));
    return;
  }
  if (lazy.lessons) lazy.lessons.stop();
  const m = id !== 'basic' && await need('scenarios');
  const sc = m ? m.SCENARIOS.find((x) => x.id === id) : DEFAULT;
  if (sc && open(sc.text, null, sc.title, sc.hint) && sc.bench) m.startBench(ui);
}

let current = { text: DEFAULT.text, seed: null, title: DEFAULT.title };

function open(text, seed, title, hint) {
  try {
    load(text, seed, title, hint);
    return true;
  } catch (e) {
    con.print('err', `${title}: ${e.message || e}`);
    return false;
  }
}

/**
 * Build a world from scenario text (`pg`: its world, built already in steps by opening.js);
 * on error (thrown) the session shown stays as it was.
 */
function load(text, seed, title, hint, pg) {
  world.open(text, seed, pg);
  current = { text, seed, title };
  ui.sel = null;
  ui.decSel = null;
  decisions.lastCur = undefined;
  ui.hint = ui.locked ? '' : hint || '';   // a locked embed cannot do what a hint asks
  ui.acted = false;
  pendingSeek = null;
  con.reset(world.loaded, title);
  const said = hintEn, again = () => tr('Try: ') + tr(said);   // ui.hint is said in the language of the moment
  if (ui.hint) con.print('note', again(), again);
  $('seed-v').textContent = String(world.seed);
  timeline.refreshActions(world);
  setPlaying(false);
  ui.textbook = null;
  textbook();
}

/** `textbook-ack-resend=yes` is not Redis: say so on the topology whenever it is in play. */
function textbook() {
  const last = world.pg.actions_since(Math.max(0, world.pg.actions_len() - 1))[0];
  const on = ui.textbook || /textbook-ack-resend/i.test(ui.textbook === null ? world.text : last ? last.text : '');
  if (on === ui.textbook) return;
  ui.textbook = on;
  $('tb-badge')?.remove();
  if (on) withCss().then(() => $('topo').parentElement.before(h('strong', { id: 'tb-badge', class: 'notredis' }, tr('Textbook mode: NOT real Redis'))));
}

function reload() {
  if (lazy.lessons && lazy.lessons.cur) lazy.lessons.restart();
  else open(current.text, current.seed, current.title, hintEn);
}

// ---- links, embedding, dialogs -----------------------------------------------------

// What links (link.js builds the page's API from these), embed mode and the dialogs use.
Object.assign(ui, { welcome, need, lazy, frames, setSpeed, load, choose, pick, timeline, con, legend, fillLessons, showLang, panels: [decisions, actions, ruler, events, con] });
const app = () => need('link').then((L) => L.app(ui));

$('help').addEventListener('click', () => need('dialogs').then((d) => d.showHelp()));
$('diagnose').addEventListener('click', () => need('diagnose').then((d) => d.show(open)));
$('export').addEventListener('click', () => Promise.all([need('dialogs'), app()]).then(([d, a]) => d.showExport(a)));
$('seed').addEventListener('click', () => need('dialogs').then((d) => d.showSeed(world.seed, (v) => { current.seed = v; reload(); })));

// ---- tabs ----------------------------------------------------------------------

const tabs = TABS.map((t) => t.id);
function selectTab(id, focus) {
  const tab = TABS.find((t) => t.id === id);
  if (!tab) return;
  ui.tab = id;
  for (const t of tabs) {
    const b = $(`tab-${t}`), on = t === id;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
    $(`pane-${t}`).hidden = !on;
    if (on && focus) b.focus();
  }
  $('filters').hidden = !tab.log;
  if (loaders[id]) need(id);
  events.fsig = '';
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
  if (e.ctrlKey || e.metaKey || e.altKey || document.querySelector('dialog[open]')) return;
  // A replay running in steps (the Compare tab's) stops on Esc, wherever the focus is.
  if (e.key === 'Escape' && ui.stopReplay) { e.preventDefault(); ui.stopReplay(); return; }
  const t = e.target;
  const typing = t.closest && t.closest('input:not([type=range]):not([type=checkbox]), select, textarea');
  if (typing) return;
  const k = e.key;
  if (k === ' ' && !(t.closest && t.closest('button, [role=button], [role=tab], input'))) { e.preventDefault(); setPlaying(!world.playing); return; }
  // Escape closes the lesson cards (from the page or from a card), back to the button that opens them.
  if (k === 'Escape' && !welcomeEl.hidden) { welcome(false); $('lessons-btn').focus(); return; }
  if (k === 'Escape') { ui.select(null); return; }
  if (k === '/') { e.preventDefault(); con.focus(); return; }
  if (k === '?') { need('dialogs').then((d) => d.showHelp()); return; }
  if (k === '[' || k === ']') { setSpeed(+speed.value + (k === ']' ? 0.25 : -0.25)); return; }
  if (k === 'R' && e.shiftKey) { reload(); return; }
  if (k === 'Enter' && lazy.lessons && lazy.lessons.cur && t === document.body) { lazy.lessons.press('next', e); return; }
  if (e.shiftKey) return;
  if (k === 'n') { step(); return; }
  if (ui.locked) return;
  if (k === 'm') { setSlowmo(!world.slowmo); return; }
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

let interactive = false;
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
  markFirstRender();
  if (!interactive) {
    interactive = true;
    performance.mark('replscope:interactive');
  }
  // A throttled panel (diagram, chart, INFO) asks for one more frame to show the final state.
  if (world.playing || dirty || ui.later) requestAnimationFrame(frame);
  else running = false;
}

let tick = 0, logAt = 0;
const clockEl = $('clock');
function render() {
  const w = world;
  ui.later = false;
  reserveActions(w);
  topo.render(w);
  actions.render(w);
  ruler.render(w, ui.decFrom || 0);
  decisions.render(w);
  timeline.render(w);
  con.render(w);
  if (TABS.find((t) => t.id === ui.tab)?.log) {
    // Under a write load the log scrolls by a dozen rows a frame, faster than anyone reads,
    // and each redraw moves (lays out, repaints) every row shown: ten times a second then.
    const now = performance.now();
    if (!w.load || ui.forceLists || now - logAt >= 100) {
      logAt = now;
      events.render(w, ui.tab);
    } else ui.later = true;
  }
  const panel = ui.tab !== 'events' && lazy[ui.tab];
  if (panel) {
    if (ui.infoNode && panel.show) { panel.show(ui.infoNode); ui.infoNode = null; }
    panel.render(w);
  }
  ui.forceLists = false;
  if (lazy.lessons) lazy.lessons.frame(w);
  setText(clockEl, `t = ${(w.view.t_us / 1e6).toFixed(3)} s`);
  if (lazy.embed) lazy.embed.frame(w);
  // Say when slow motion is what holds time back, so a crawl is not a mystery.
  // It lingers 0.8 s after the last frame slowed: between two writes of a load the wire
  // empties for a frame or two, and a flickering mark was missed.
  const now = performance.now();
  if (w.playing && w.slowing) slowSeen = { at: now, rate: fmtSpeed(w.speed * w.rate) };
  const slowing = w.playing && now - slowSeen.at < 800;
  if (slowmoLabel.classList.contains('on') !== slowing) slowmoLabel.classList.toggle('on', slowing);
  // ... and how slow: under a write load bytes are always on the wire, and 100× can be 0.05×.
  // A steady stream makes it rest after a few seconds (world.js): time runs at the speed set.
  const rest = w.slowmo && w.slowRest && !slowing;
  if (slowmoLabel.classList.contains('rest') !== rest) slowmoLabel.classList.toggle('rest', rest);
  // Short, so the header never wraps (and jumps) when it shows: the speed's title says more.
  const rate = slowing ? slowSeen.rate : rest ? tr('rests') : '';
  if (slowmoLabel.dataset.rate !== rate) {
    slowmoLabel.dataset.rate = rate;
    // The speed's own title says what time really runs at.
    speedOut.title = slowing ? tr('slow motion: time runs at {0} while bytes cross', rate) : rest ? tr('slow motion rests while traffic keeps coming: time runs at the speed set') : '';
  }
  // Under a write load, the frame times now and then (scenarios.js computes them).
  if (w.load?.bench && ++tick % 300 === 0 && frames.length > 60) need('scenarios').then((m) => con.print('note', m.frameNote(frames)));
}

// For the end-to-end tests and tools/page-bench.mjs.
window.__replscope = { world, ui, app, frames, setPlaying, setSpeed, setLang, renderNow: render, pick, welcome, lazy, panels: { topo, actions, ruler, decisions, timeline, events, con } };

// ---- boot ----------------------------------------------------------------------

let startedOk;
/** Resolves once the simulator is up and a world is loaded. */
const started = new Promise((ok) => { startedOk = ok; });

async function main() {
  // A link (share, lesson, embed) and the Chinese dictionary load beside the wasm.
  // A link: anything in the address but the language (`#lang=zh` alone is a first visit
  // in Chinese, with the lesson cards).
  const meaningful = (part) => part.slice(1).split('&').some((x) => x && !x.startsWith('lang='));
  const linked = meaningful(location.hash) || meaningful(location.search);
  const linkP = linked && need('link');
  // A lesson link: the lesson's code and steps load beside the wasm, not after it.
  const lessonId = linked && /^[a-z0-9][a-z0-9-]{0,63}$/.exec(new URLSearchParams(location.hash.slice(1, 4096)).get('lesson') || '')?.[0];
  if (lessonId) { document.head.append(h('link', { rel: 'preload', as: 'fetch', crossorigin: '', href: `lessons/${lessonId}.json` })); need('lessons').catch(() => {}); }
  const langP = ui.lang === 'zh' && setLang('zh');
  // The lesson list is all the cards of a first visit need: they show before the wasm is up.
  const indexP = fetch('lessons/index.json').then((r) => (r.ok ? r.json() : Promise.reject(new Error(`lessons/index.json: ${r.status}`)))).then((idx) => {
    lessonIndex = idx;
    fillLessons();
  }, (e) => started.then(() => con.print('note', `lessons unavailable: ${e.message || e}`)));
  if (!linked) Promise.all([indexP, langP]).then(() => welcome(true));
  await boot();
  setSpeed(0);
  await langP;
  // A link pasted into the address bar later, or the browser's Back and Forward between the
  // entries pickLesson() makes: open it, or say why not and keep the session (listened to
  // from here: a link of hours opening at boot, in steps, may be replaced). An address with
  // no link (`#lang=zh` alone, or none) is the cards, as a first visit shows them. Back and
  // Forward fire popstate, then hashchange if the fragment differs (two entries can have
  // the same: the cards' and a lesson's closed by ✕), a fragment typed in popstate too in
  // today's browsers: each navigation is answered once. The page's own writes (pushState,
  // replaceState) fire neither, so this never answers itself.
  let popped = null;
  addEventListener('popstate', () => { popped = location.href; navigated(); });
  addEventListener('hashchange', () => {
    if (popped === location.href) popped = null;
    else navigated();
  });
  async function navigated() {
    if (document.documentElement.classList.contains('embed') || meaningful(location.hash)) {
      if (location.hash.length <= 1) return;
      const L = await need('link');
      if (!(await L.route(L.app(ui), { boot: false }))) return;   // the address stays, for the reader to see what failed
      welcome(false);
    } else {
      await pick('basic');
      welcome(true);
    }
    // The entry says the language the reader chose since (`lang=zh` in Chinese, in place).
    setAddress(addressParts());
  }
  if (linked) {
    const L = await linkP;
    const get = L.params();
    if (get('embed') === '1') {
      loaders.embed = () => Promise.all([withCss(import('./embed.js')), app()]).then(([m, a]) => m.init(a, { autoplay: get('autoplay') === '1', edit: get('edit') === '1' }));
      ui.locked = get('edit') !== '1';
      await need('embed');
    }
    // An address that opened says the page's language (`lang=zh` in Chinese); one that did
    // not stays as it was, for the reader to see what failed.
    if (await L.route(L.app(ui), { boot: true })) setAddress(addressParts());
  } else setAddress(addressParts());
  if (!world.pg) load(DEFAULT.text, null, DEFAULT.title, DEFAULT.hint);
  startedOk();
  lazy.embed?.ready();
  ui.dirty = true;
}

main().catch((e) => {
  const b = $('boot');
  b.classList.add('err');
  b.textContent = `replscope could not start: ${e.message || e}`;
  console.error(e);
});
