// Static export for posts that cannot run JavaScript, and sessions as files.
//
// svgSnapshot(): the topology and the decision shown, as one self-contained SVG: built
// with DOM APIs from the live drawing (cloned element by element through a whitelist of
// tags and attributes, every colour and font resolved to a literal presentation
// attribute) and from the decision panel's text. No script, no style sheet, no class,
// no link, no external reference; data only ever becomes text nodes. One reference
// inside the file: the clip that hides the bytes in flight under the links' tags, as on
// the page (its path data checked to be the page's own rectangles).
//
// Sessions: {v:1, seed, script, t_us, trace:[…]} with trace = the core's event log.
// Importing replays seed + script, seeks to t_us, and compares the regenerated log with
// the one in the file, record by record.

import { tr } from './dom.js';
import { session, checkFields, checkScript, banner, clip, isObject, LinkError } from './link.js';

const SVGNS = 'http://www.w3.org/2000/svg';
const TAGS = new Set(['svg', 'g', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan']);
const GEOMETRY = ['d', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height', 'rx', 'ry', 'cx', 'cy', 'r', 'points', 'transform', 'text-anchor', 'dx', 'dy'];
const PAINT = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'paint-order'];
const SAFE = /^[-\w\s.,#%()'"/]*$/;   // a resolved value: numbers, names, rgb(), font lists
const CLIP_ID = 'replscope-under-tags';
const PATH_RECTS = /^[MHVZ\d\s.-]*$/;   // the page's clip: rectangles in M/H/V/Z and numbers

const el = (tag, attrs, ...kids) => {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in attrs) if (attrs[k] != null) e.setAttribute(k, String(attrs[k]));
  for (const c of kids) if (c != null) e.append(c);
  return e;
};

/** A copy of a live SVG subtree with only whitelisted tags and attributes, styles made literal. */
function copy(live, clipFrom) {
  const tag = live.localName;
  if (!TAGS.has(tag) || live.namespaceURI !== SVGNS) return null;
  const cs = getComputedStyle(live);
  if (cs.display === 'none' || cs.visibility === 'hidden') return null;
  const out = document.createElementNS(SVGNS, tag === 'svg' ? 'g' : tag);
  for (const a of GEOMETRY) {
    const v = live.getAttribute(a);
    if (v != null && SAFE.test(v) && !/url\(|var\(/i.test(v)) out.setAttribute(a, v);
  }
  for (const p of PAINT) {
    const v = cs.getPropertyValue(p);
    if (v && SAFE.test(v) && !/url\(|var\(/i.test(v)) out.setAttribute(p, v);
  }
  if (clipFrom && live.getAttribute('clip-path') === `url(#${clipFrom})`) out.setAttribute('clip-path', `url(#${CLIP_ID})`);
  for (const c of live.childNodes) {
    if (c.nodeType === Node.TEXT_NODE) out.append(document.createTextNode(c.data));
    else if (c.nodeType === Node.ELEMENT_NODE) { const k = copy(c, clipFrom); if (k) out.append(k); }
  }
  return out;
}

/** Text lines no wider than `n` characters (breaking at spaces). */
function wrap(text, n) {
  const out = [];
  for (const para of String(text).split('\n')) {
    let line = '';
    for (const w of para.split(/\s+/)) {
      if (line && line.length + 1 + w.length > n) { out.push(line); line = ''; }
      line = line ? `${line} ${w}` : w;
    }
    out.push(line);
  }
  return out;
}

/** The view as a standalone SVG element. */
export function svgSnapshot(app) {
  const w = app.world;
  const topo = document.getElementById('topo');
  const box = topo.viewBox.baseVal;
  const W = Math.max(480, Math.round(box.width)), H = Math.round(box.height);
  const css = getComputedStyle(document.documentElement);
  const col = (v, d) => (css.getPropertyValue(v).trim() || d);
  const ink = col('--ink', '#1b2027'), muted = col('--muted', '#5d6670'), panel = col('--panel', '#fff'), down = col('--down', '#c0262d');
  const font = 'system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Arial, sans-serif';
  const mono = 'ui-monospace, SF Mono, Menlo, Consolas, DejaVu Sans Mono, monospace';
  const txt = (x, y, text, attrs = {}) => el('text', { x, y, fill: ink, 'font-family': font, 'font-size': 12, ...attrs }, document.createTextNode(text));

  const head = [];
  let y = 20;
  head.push(txt(12, y, tr('replscope · Redis 7.0 replication, simulated · t = {0} s · seed {1}', (w.nowUs / 1e6).toFixed(3), w.seed), { 'font-weight': 700 }));
  if (app.ui.textbook) { y += 18; head.push(txt(12, y, tr('Textbook mode: NOT real Redis'), { fill: down, 'font-weight': 800 })); }
  const capEl = document.getElementById('caption');
  if (capEl && !capEl.hidden && capEl.textContent) for (const l of wrap(capEl.textContent, Math.floor(W / 7))) { y += 16; head.push(txt(12, y, l, { fill: muted })); }
  const top = y + 10;

  // The bytes in flight pass under the links' tags (topology.js): the same clip, copied
  // when its path is the page's rectangles; without it the dots would cover the words.
  const livePath = topo.querySelector('defs clipPath[id] > path');
  const d = livePath?.getAttribute('d');
  const clipFrom = d && PATH_RECTS.test(d) ? livePath.parentNode.id : null;
  const graph = copy(topo, clipFrom);
  graph.setAttribute('transform', `translate(0 ${top})`);
  if (clipFrom) graph.prepend(el('defs', null, el('clipPath', { id: CLIP_ID }, el('path', { d, 'clip-rule': 'evenodd', 'fill-rule': 'evenodd' }))));

  // The decision panel as text, in the order it reads on the page.
  const dec = document.getElementById('decision');
  const lines = [];
  const add = (text, attrs) => { for (const l of wrap(text, Math.floor((W - 24) / 7))) lines.push([l, attrs]); };
  add(tr('PSYNC decision'), { 'font-weight': 700, fill: muted });
  const verdict = dec.querySelector('.verdict');
  if (!verdict) add(dec.textContent.trim(), { fill: muted });
  else {
    const vcol = getComputedStyle(verdict).color;
    // Its parts (time, replica → master, the request) sit apart on the page, not run together.
    const req = dec.querySelector('.dec-req');
    add(req ? [...req.children].map((c) => c.textContent).join(' · ') : '', { 'font-family': mono, fill: muted });
    add(verdict.querySelector('.v1').textContent, { 'font-family': mono, 'font-weight': 800, 'font-size': 16, fill: vcol });
    add(verdict.querySelector('.v2').textContent, {});
    dec.querySelectorAll('.checks li').forEach((li, i) => {
      const mark = li.querySelector('.mark')?.textContent || '';
      add(`${i + 1}  ${mark}  ${li.querySelector('.txt')?.textContent || ''}`, { 'font-family': mono, fill: li.classList.contains('fail') ? down : li.classList.contains('skip') ? muted : ink });
    });
    const log = dec.querySelector('.logline');
    if (log) add(log.textContent, { 'font-family': mono, fill: muted });
  }
  const decTop = top + H + 16;
  const decG = el('g', null, ...lines.map(([l, a], i) => txt(12, decTop + 16 + i * 17, l, a)));
  const total = decTop + 24 + lines.length * 17;

  return el('svg', { xmlns: SVGNS, width: W, height: total, viewBox: `0 0 ${W} ${total}`, role: 'img' },
    el('title', null, document.createTextNode(tr('replscope at t = {0} s', (w.nowUs / 1e6).toFixed(3)))),
    el('rect', { x: 0, y: 0, width: W, height: total, fill: panel }),
    ...head, graph, el('line', { x1: 12, x2: W - 12, y1: decTop, y2: decTop, stroke: muted, 'stroke-width': 0.5 }), decG);
}

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const stamp = (w) => `t${(w.nowUs / 1e6).toFixed(3).replace('.', '_')}s`;

export function svgText(app) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svgSnapshot(app))}\n`;
}

export function downloadSvg(app) {
  download(`replscope-${stamp(app.world)}.svg`, new Blob([svgText(app)], { type: 'image/svg+xml' }));
}

/** The session with its event log, as the file holds it. */
export function sessionJson(app) {
  const s = session(app.world);
  const trace = app.world.pg.trace_json().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return JSON.stringify({ ...s, trace });
}

export function downloadSession(app) {
  download(`replscope-session-${stamp(app.world)}.json`, new Blob([sessionJson(app)], { type: 'application/json' }));
}

const FILE_MAX = 64 * 1024 * 1024;
const TRACE_MAX = 1_000_000;

/**
 * Check an imported session, open it, and verify its event log. Returns
 * {ok, compared, differs?: {seq, expected, got}} ({ok: false, stopped: true} when the reader
 * stopped a long one loading: the console says so).
 */
export async function importText(app, text, box) {
  let o;
  try {
    o = JSON.parse(text);
  } catch {
    throw new LinkError(tr('the file is not valid JSON'));
  }
  if (!isObject(o) || o.v !== 1) throw new LinkError(isObject(o) && Number.isSafeInteger(o.v) && o.v > 1 ? tr('it was made by a newer version of replscope (v{0})', o.v) : tr('the file is not a replscope session (v1)'));
  const s = checkFields(o, { v: ['number', true], seed: ['int', true], script: ['string', true, checkScript], t_us: ['int', true], caption: ['string', false], trace: ['array', true] }, tr('the file'));
  if (s.trace.length > TRACE_MAX) throw new LinkError(tr('the trace has more than {0} records', TRACE_MAX));
  let last = -1;
  s.trace.forEach((r, i) => {
    if (!isObject(r) || !Number.isSafeInteger(r.seq) || r.seq <= last) throw new LinkError(tr('trace record {0} has no valid seq', i));
    last = r.seq;
  });
  // Waits of a simulated minute or more load in steps (opening.js), their progress in `box`.
  if (!(await app.openLong(s.script, s.seed, s.t_us, 'Imported session', box))) return { ok: false, stopped: true };
  // The regenerated log, by seq (normalised through JSON.parse like the file's records).
  const got = new Map();
  let gotLast = -1;
  for (const line of app.world.pg.trace_json().split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    got.set(r.seq, JSON.stringify(r));
    if (r.seq > gotLast) gotLast = r.seq;
  }
  let compared = 0;
  for (const r of s.trace) {
    const mine = got.get(r.seq);
    if (mine === undefined) continue;      // older than what one of the two logs kept
    const theirs = JSON.stringify(r);
    if (mine !== theirs) return { ok: false, compared, differs: { seq: r.seq, expected: theirs, got: mine } };
    compared++;
  }
  if (last !== gotLast) {
    const seq = Math.min(last, gotLast) + 1;
    const theirs = s.trace.find((r) => r.seq === seq);
    return { ok: false, compared, differs: { seq, expected: theirs ? JSON.stringify(theirs) : tr('(the file ends here)'), got: got.get(seq) ?? tr('(the replay ends here)') } };
  }
  return { ok: true, compared };
}

/** Read a chosen file (size-capped), import it and report in the banner (`box`: see openLong). */
export async function importSession(app, file, box) {
  try {
    if (file.size > FILE_MAX) throw new LinkError(tr('the file is {0} MB (at most {1} MB)', Math.ceil(file.size / 1048576), FILE_MAX / 1048576));
    const r = await importText(app, await file.text(), box);
    if (r.stopped) return false;
    if (r.ok) banner(tr('Session imported and verified: the replay reproduced all {0} trace records in the file.', r.compared), 'ok');
    else banner(tr('Session imported, but the replay differs from the file at trace record {0}: the file has {1}, the replay {2}.', r.differs.seq, clip(r.differs.expected, 160), clip(r.differs.got, 160)));
    return true;
  } catch (e) {
    banner(tr('This file could not be opened: {0}. Your session is unchanged.', e.message || String(e)));
    return false;
  }
}
