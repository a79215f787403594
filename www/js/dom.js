// DOM and formatting helpers. Everything on the page is built with createElement and
// textContent: data from the simulator (keys, values, RESP previews) is never parsed as HTML.

import { duration_text } from '../pkg/replscope.js';

const SVGNS = 'http://www.w3.org/2000/svg';

function build(el, attrs, kids) {
  if (attrs) {
    for (const k in attrs) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'class') el.setAttribute('class', v);
      // Through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' allows.
      else if (k === 'style') el.style.cssText = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of kids) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) build(el, null, c);
    else el.append(c);
  }
  return el;
}

/** An HTML element: h('button', {class: 'btn', onclick}, 'text', child...). */
export const h = (tag, attrs, ...kids) => build(document.createElement(tag), attrs, kids);

/** An SVG element. */
export const s = (tag, attrs, ...kids) => build(document.createElementNS(SVGNS, tag), attrs, kids);

export const $ = (id) => document.getElementById(id);

/**
 * An element described, not built: v('rect', {x: 1}, 'text', v(...)) for `patch`, which
 * draws it into the element already there when it can. Attributes as h() and s() take
 * them (null or false: absent; 'class', 'style'), but no event handlers.
 */
export const v = (tag, attrs, ...kids) => ({ tag, attrs, kids });

/**
 * Make `parent`'s children what `specs` describe (v() descriptions and text), reusing
 * the child in the same place when it has the same tag: only the attributes and text
 * that changed are written. A panel redrawn every frame so allocates and lays out no
 * new elements while its structure stays the same (the ruler, the bytes in flight).
 * What was drawn is remembered beside the element (no DOM is read back); the children
 * must all have been made by patch (anything else there is dropped at the first call).
 */
export function patch(parent, specs) {
  let drawn = parent._drawn;
  if (!drawn) { parent.replaceChildren(); drawn = []; }
  parent._drawn = reconcile(parent, drawn, specs);
  return parent;
}

/** One element's children: `drawn` as patch left them, `specs` as they should be now. */
function reconcile(parent, drawn, specs) {
  const svg = parent.namespaceURI === SVGNS, out = [];
  let i = 0;
  const put = (sp) => {
    if (sp == null || sp === false) return;
    if (Array.isArray(sp)) { for (const x of sp) put(x); return; }
    const d = drawn[i];
    if (typeof sp !== 'object') {
      const t = String(sp);
      if (d && d.tag === '#text') {
        if (d.t !== t) d.el.data = d.t = t;
        out.push(d);
        i++;
      } else {
        const el = document.createTextNode(t);
        parent.insertBefore(el, d ? d.el : null);
        out.push({ tag: '#text', el, t });
      }
      return;
    }
    if (d && d.tag === sp.tag) {
      attrs(d.el, d.a, sp.attrs);
      d.a = sp.attrs;
      d.k = reconcile(d.el, d.k, sp.kids);
      out.push(d);
      i++;
    } else {
      const el = svg || sp.tag === 'svg' ? document.createElementNS(SVGNS, sp.tag) : document.createElement(sp.tag);
      attrs(el, null, sp.attrs);
      const rec = { tag: sp.tag, el, a: sp.attrs, k: reconcile(el, [], sp.kids) };
      parent.insertBefore(el, d ? d.el : null);
      out.push(rec);
    }
  };
  put(specs);
  for (; i < drawn.length; i++) drawn[i].el.remove();
  return out;
}

const absent = (x) => x == null || x === false;

/** Write the attributes of `a` that differ from `old` (both v() attribute objects). */
function attrs(el, old, a) {
  if (old) for (const k in old) if (!absent(old[k]) && (!a || absent(a[k]))) el.removeAttribute(k);
  if (!a) return;
  for (const k in a) {
    let x = a[k];
    if (absent(x) || (old && old[k] === x)) continue;
    if (k.startsWith('on')) throw new Error(`patch: no handlers (${k})`);
    if (x === true) x = '';
    if (k === 'style') el.style.cssText = x;
    else el.setAttribute(k, x);
  }
}

let dict = null;
/**
 * The page's own words in the chosen language: the English text is the key, `{0}`…
 * take the arguments. The Chinese dictionary (i18n.js) is loaded only when chosen.
 */
export function tr(en, ...a) {
  const t = (dict && dict[en]) || en;
  if (!a.length) return t;
  // Panels call this every frame: each text is cut at its {N} once, then joined.
  let parts = cut.get(t);
  if (!parts) {
    if (cut.size > 4000) cut.clear();   // page words are a few hundred: a bound all the same
    cut.set(t, (parts = t.split(/\{(\d)\}/)));
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) out += a[parts[i]] + parts[i + 1];
  return out;
}
const cut = new Map();
let core = null;
/**
 * An error the core wrote (a statement that does not parse or cannot run), in the chosen
 * language: its usual forms are translated (i18n.js), the rest stays as the core wrote
 * it, and so do the names, values and Redis's own words inside it.
 */
export function trCore(msg) {
  if (core) for (const [re, to] of core) msg = msg.replace(re, to);
  return msg;
}
export const setDict = (d, c) => { dict = d; core = c || null; };

// ---- the address -------------------------------------------------------------------------

let addressLang = 'en';
/** The page's language as the addresses it makes say it (main.js's setLang keeps it). */
export const setAddressLang = (lang) => { addressLang = lang; };

/** The address's parts (`lesson=ID`, `step=N`, `lang=zh`, ...) as they are now. */
export const addressParts = () => location.hash.slice(1).split('&').filter(Boolean);

/**
 * The fragment of an address to `parts` (`lesson=ID`, `step=N`, ...; none: the page
 * without a link), with `lang=zh` while the page is in Chinese: every address the page
 * writes (the lessons, the language button, the picker and the cards) and copies (Share's
 * links, Copy lesson link, an embed's "Open in replscope") is made here, so an address
 * copied from the bar opens in the language it was read in. A `lang=` among `parts` keeps
 * its place. In English none is added, and one is dropped unless the address bar asks for
 * English (`lang=en`): then a reload still does. '' for no parts (in English).
 */
export function fragment(parts) {
  const want = addressLang === 'zh' ? 'lang=zh' : /(^#|&)lang=en(&|$)/.test(location.hash) ? 'lang=en' : null;
  const out = [];
  for (const x of parts) {
    if (!x.startsWith('lang=')) out.push(x);
    else if (want && !out.includes(want)) out.push(want);
  }
  if (want && !out.includes(want)) out.push(want);
  return out.length ? `#${out.join('&')}` : '';
}

/** Whether the page is an embed (said by its address before embed.js has marked it). */
const embedded = () => document.documentElement.classList.contains('embed') || /(^\?|&)embed=1(&|$)/.test(location.search) || /(^#|&)embed=1(&|$)/.test(location.hash);

/**
 * Point the address bar at `parts` (fragment()). With `push` the browser's history gets a
 * new entry, so Back returns to what was shown before (a lesson opened from the cards, the
 * picker or "Next lesson"); else the entry shown is rewritten in place (a step, the language,
 * ✕). No event follows either (popstate and hashchange come only from the browser's own
 * navigation), so main.js's navigated() never answers these. Never in an embed: its
 * address is the host page's frame, and its history the host's.
 */
export function setAddress(parts, push = false) {
  if (embedded()) return;
  const hash = fragment(parts);
  if (hash === location.hash) return;
  const url = hash || location.pathname + location.search;
  try {
    if (push) history.pushState(null, '', url);
    else history.replaceState(history.state, '', url);
  } catch { /* an address the browser refuses to write stays as it was */ }
}

/**
 * Set an element's text, writing into its one text node when it has one: no node is
 * made or dropped, so a label updated every frame costs little.
 */
export function setText(el, t) {
  const n = el.firstChild;
  if (n && n.nodeType === 3 && !n.nextSibling) { if (n.data !== t) n.data = t; } else el.textContent = t;
}

export function clear(el) {
  while (el.lastChild) el.lastChild.remove();
  return el;
}

/** Replace an element's children in one step. */
export function fill(el, ...kids) {
  el.replaceChildren(...kids.flat().filter((k) => k != null && k !== false));
  return el;
}

/** Ids are 40 hex digits; people recognise the first and last four. */
export const short = (id) => (!id ? '—' : id.length > 10 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id);

export const ZERO_ID = '0'.repeat(40);

/** Simulated µs as seconds with ms precision, the way the clock shows it. */
export const secs = (us) => (us / 1e6).toFixed(3);

/** Byte counts stay exact: 1048576, not "1 MB" (the unit is only a reading aid). */
export function bytes(n) {
  const exact = String(n);
  if (n >= 1024 * 1024) return `${exact} (${(n / 1048576).toFixed(n % 1048576 ? 2 : 0)} MiB)`;
  if (n >= 4096) return `${exact} (${(n / 1024).toFixed(n % 1024 ? 1 : 0)} KiB)`;
  return exact;
}

/** A duration in the scenario language, exact, as the core writes it (after boot). */
export const dur = (us) => duration_text(us);

/** A rate in the scenario language, exact. */
export function rate(bps) {
  for (const [u, f] of [['gbit', 1e9], ['mbit', 1e6], ['kbit', 1e3]]) if (bps % f === 0) return `${bps / f}${u}`;
  return `${bps}bit`;
}

/**
 * Reads a RESP preview (escaped as \r\n) as words, so a message can be labelled
 * "SET k1 v1" or "REPLCONF ACK 90" instead of raw protocol.
 */
export function respWords(preview) {
  const parts = preview.split('\\r\\n');
  if (!parts[0].startsWith('*')) return null;
  const out = [];
  for (let i = 1; i < parts.length; i++) if (!parts[i].startsWith('$') && !parts[i].startsWith('*')) out.push(parts[i]);
  return out;
}

/** A short label for bytes on a link. */
export function msgLabel(kind, preview, len) {
  if (kind === 'rdb') return `RDB ${len} B`;
  if (kind === 'keepalive') return '\\n';
  if (preview.startsWith('+') || preview.startsWith('-') || preview.startsWith(':')) {
    const line = preview.split('\\r\\n')[0];
    return line.length > 24 ? line.slice(0, 22) + '…' : line;
  }
  const w = respWords(preview);
  if (!w || !w.length) return `${len} B`;
  let t = w.join(' ');
  if (w[0] === 'REPLCONF' && w[1] === 'ACK') t = `ACK ${w[2] || ''}`;
  if (w[0] === 'PSYNC') t = `PSYNC ${short(w[1])} ${w[2] || ''}`;
  const n = (preview.match(/(^|\\n)\*\d/g) || []).length;
  if (n > 1) t = `${w[0]}… ×${n}`;
  return t.length > 26 ? t.slice(0, 24) + '…' : t;
}

/** Stable per-node colour index (by creation order), paired with a dash pattern. */
export const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2', '12 4'];
export const nodeColor = (i) => `var(--n${i % 6})`;
