// Links: what the URL asks for (a shared session, a lesson, embed mode, a language),
// and the share links themselves. Loaded only when the URL carries something or a
// link is made, so a plain first visit does not download it.
//
//   #z=<base64url(deflate-raw(JSON))>   the JSON is {v:1, seed, script, t_us[, caption]}:
//                                       script = the session as a scenario, t_us = the
//                                       moment shown (replayed, then sought to)
//   #s=<base64url(scenario text)>       the first share links (v0), still opened
//   #lesson=<id>                        a guided lesson (#scenario=<id>: a starting scenario)
//   &step=<n>                           with #lesson=: its first n steps played, as "Previous
//                                       step" rebuilds them (n past the last: the last; 0, none
//                                       or not a number: the lesson's start). The address bar
//                                       keeps it as the reader moves (lessons.js), so a reload
//                                       comes back to the step; links made to share have none
//   &lang=en|zh &embed=1 &autoplay=1 &edit=1 &caption=<text> &variant=textbook
//
// Everything in a link is untrusted data: sizes are capped before decoding and while
// decompressing, the JSON's shape and types are checked field by field, the scenario
// is bounded in how much simulated time it may run, and any failure is a banner that
// says why while the page keeps (or falls back to) a working session.

import { h, tr, $, secs, fragment } from './dom.js';
import { scenario_bounds } from '../pkg/replscope.js';
import { DEFAULT, TITLES } from './default.js';

export const LIMITS = {
  fragment: 64 * 1024,        // characters of a link's fragment, checked before decoding
  inflated: 1024 * 1024,      // bytes a #z= payload may decompress to
  script: 1024 * 1024,        // characters of a scenario (link, import, postMessage)
  caption: 300,               // characters of a caption
  depth: 4,                   // nesting of the link's JSON (it is flat)
  nodes: 24,                  // `node` statements in an untrusted scenario
  simUs: 12 * 3600 * 1e6,     // simulated time an untrusted scenario may ask to run
  lessonId: /^[a-z0-9][a-z0-9-]{0,63}$/,
};

/** A problem with untrusted input; its message completes "… could not be opened: ". */
export class LinkError extends Error {}
const fail = (msg) => { throw new LinkError(msg); };
const kb = (n) => `${Math.ceil(n / 1024)} KB`;
/** Untrusted text quoted in a message: short, one line (it is shown as text anyway). */
export const clip = (t, n = 40) => { const s = String(t).replace(/\s+/g, ' '); return s.length > n ? `${s.slice(0, n)}…` : s; };

// ---- bytes -------------------------------------------------------------------------

export function b64urlEncode(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function b64urlDecode(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) fail(tr('the data is not valid base64url'));
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const utf8 = (bytes) => {
  try { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { return fail(tr('the data is not UTF-8 text')); }
};

export async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Decompress at most `max` bytes. The input goes in small slices so no single output
 * chunk can be huge, and reading stops as soon as the limit is passed: a zip bomb
 * costs a few milliseconds, not the tab.
 */
export async function inflate(bytes, max = LIMITS.inflated) {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const feed = (async () => {
    for (let i = 0; i < bytes.length; i += 1024) await writer.write(bytes.subarray(i, i + 1024));
    await writer.close();
  })();
  feed.catch(() => {});
  const parts = [];
  let n = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > max) {
        reader.cancel().catch(() => {});
        writer.abort().catch(() => {});
        fail(tr('it unpacks to more than {0}', kb(max)));
      }
      parts.push(value);
    }
  } catch (e) {
    if (e instanceof LinkError) throw e;
    fail(tr('the data is not valid compressed data'));
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

// ---- JSON and scenarios ------------------------------------------------------------

/** JSON text parsed only if it nests no deeper than `depth` (checked without recursion). */
export function parseJson(text, depth = LIMITS.depth) {
  let d = 0, inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++;              // backslash: skip the escaped character
      else if (c === 34) inStr = false;
    } else if (c === 34) inStr = true;
    else if (c === 91 || c === 123) { if (++d > depth) fail(tr('the data nests deeper than {0} levels', depth)); }
    else if (c === 93 || c === 125) d--;
  }
  try { return JSON.parse(text); } catch { return fail(tr('the data is not valid JSON')); }
}

export const isObject = (o) => o !== null && typeof o === 'object' && !Array.isArray(o) && Object.getPrototypeOf(o) === Object.prototype;

/** Fields of an untrusted object, each with a check; unknown fields are refused. */
export function checkFields(o, spec, what) {
  if (!isObject(o)) fail(tr('{0} is not an object', what));
  for (const k of Object.keys(o)) if (!Object.hasOwn(spec, k)) fail(tr('unknown field "{0}" in {1}', clip(k, 24), what));
  const out = {};
  for (const [k, [type, required, check]] of Object.entries(spec)) {
    if (!Object.hasOwn(o, k)) { if (required) fail(tr('{0} lacks the field "{1}"', what, k)); continue; }
    const v = o[k];
    const ok = type === 'int' ? Number.isSafeInteger(v) && v >= 0 : type === 'array' ? Array.isArray(v) : typeof v === type;
    if (!ok) fail(tr('the field "{0}" must be {1}', k, tr(type === 'int' ? 'a whole number ≥ 0' : type === 'string' ? 'text' : type === 'array' ? 'a list' : type)));
    if (check) check(v, k);
    out[k] = v;
  }
  return out;
}

/**
 * Bounds an untrusted scenario before the core runs it (the core runs synchronously,
 * so a scenario asking for years of simulated time would freeze the tab): its size,
 * then what the core's own parser says it costs (scenario::bounds: its nodes, and the
 * simulated time its `wait`s, `wait sync`s and blocking `WAIT`s may take). A scenario
 * that does not parse is refused with the parser's line and column.
 */
export function checkScript(text) {
  if (typeof text !== 'string') fail(tr('the scenario is not text'));
  if (text.length > LIMITS.script) fail(tr('the scenario is longer than {0}', kb(LIMITS.script)));
  let b;
  try {
    b = scenario_bounds(text);
  } catch (e) {
    fail(String(e && e.message ? e.message : e));
  }
  if (b.nodes > LIMITS.nodes) fail(tr('the scenario starts {0} nodes (at most {1})', b.nodes, LIMITS.nodes));
  // Tenths of an hour, rounded up (11 h 55 min and a `wait sync`, counted as its ten-minute
  // limit, is 12.1, not 13).
  if (b.sim_us_max > LIMITS.simUs) fail(tr('the scenario may run {0} hours of simulated time (at most {1})', Math.ceil(b.sim_us_max / 360e6) / 10, LIMITS.simUs / 3600e6));
  return text;
}

const caption = (v) => { if (v.length > LIMITS.caption) fail(tr('the caption is longer than {0} characters', LIMITS.caption)); };

/** One decoder per payload version, kept forever so old links keep opening. */
const DECODERS = {
  1: (o) => checkFields(o, {
    v: ['number', true],
    seed: ['int', true],
    script: ['string', true, checkScript],
    t_us: ['int', true],
    caption: ['string', false, caption],
  }, tr('the link')),
};

/** A #z= value → {seed, script, t_us, caption?}. */
export async function decodeZ(z) {
  if (z.length > LIMITS.fragment) tooLong(z.length, false);
  const o = parseJson(utf8(await inflate(b64urlDecode(z))));
  if (!isObject(o)) fail(tr('the link is not an object'));
  const dec = Number.isSafeInteger(o.v) && Object.hasOwn(DECODERS, o.v) && DECODERS[o.v];
  if (!dec) fail(Number.isSafeInteger(o.v) && o.v > 1 ? tr('it was made by a newer version of replscope (v{0})', o.v) : tr('the link has no valid version'));
  return dec(o);
}

/** A link over the limit; a hand-made #s= link (the text itself) is told where the
 * page's own, compressed links come from. */
function tooLong(n, plain) {
  fail(plain ? tr('the link is {0} long (at most {1}); a #s= link carries the scenario uncompressed: open the scenario in replscope and use Share → Copy link or Copy embed code, whose compressed #z= link is far shorter', kb(n), kb(LIMITS.fragment))
    : tr('the link is {0} long (at most {1})', kb(n), kb(LIMITS.fragment)));
}

/** The v0 link: the scenario text itself. */
export function decodeS(s) {
  if (s.length > LIMITS.fragment) tooLong(s.length, true);
  return { script: checkScript(utf8(b64urlDecode(s.replace(/ /g, '+').replace(/=+$/, '')))), seed: null, t_us: null };
}

// ---- sessions ------------------------------------------------------------------------

/**
 * The session: seed, a scenario that rebuilds it exactly, and the moment shown. After a
 * rewind the recorded future is kept too (every statement, then the time the run had
 * reached), so the link shows the same moment with the same history ahead of it. Once
 * the core dropped the oldest statements to bound memory, no scenario rebuilds the
 * session: links and session files are refused with a message (a LinkError).
 */
export function session(world) {
  if (world.keptFromUs > 0) fail(tr('history before t = {0} s was dropped to bound memory, so no link or file can rebuild this session (its scenario text, in Share, starts after the dropped part)', secs(world.keptFromUs)));
  const pg = world.pg, now = world.nowUs;
  const script = world.extentUs > now ? pg.script_to(world.extentUs / 1000) : pg.script();
  // What opening it will check (a typed `wait` may take a session past 12 hours): said
  // now, not by the page that refuses the link.
  try {
    checkScript(script);
  } catch (e) {
    if (e instanceof LinkError) fail(tr('no link or file of this session would open: {0}. The scenario text below still runs it.', e.message));
    throw e;
  }
  return { v: 1, seed: world.seed, script, t_us: now };
}

/** The page's address without its fragment and without the link's own parameters. */
export function baseUrl(embed) {
  const u = new URL(location.href);
  u.hash = '';
  for (const k of ['embed', 'autoplay', 'edit', 'caption', 'lang', 'lesson', 'step', 's', 'z']) u.searchParams.delete(k);
  if (embed) u.searchParams.set('embed', '1');
  return u.href.replace(/#$/, '');
}

/** A #z= link to the session (`caption` shown with it); refuses one over the size cap. */
export async function shareLink(world, { caption: cap = '', embed = false } = {}) {
  const s = session(world);
  if (cap) s.caption = cap.slice(0, LIMITS.caption);
  const z = b64urlEncode(await deflate(new TextEncoder().encode(JSON.stringify(s))));
  if (z.length > LIMITS.fragment) fail(tr('this session makes a {0} link (at most {1}): save it as a file instead', kb(z.length), kb(LIMITS.fragment)));
  // With `lang=zh` in Chinese (fragment()): a link or an embed made in Chinese opens in
  // Chinese, whatever the reader's browser prefers (as Copy lesson link does).
  return `${baseUrl(embed)}${fragment([`z=${z}`])}`;
}

// ---- the banner ------------------------------------------------------------------------

/** A message above the page, as text; `kind` is 'err' or 'ok'. */
export function banner(text, kind = 'err') {
  let b = $('banner');
  if (!b) {
    b = h('div', { id: 'banner', role: 'alert', style: 'display:flex;gap:10px;align-items:center;margin:8px 8px 0;padding:6px 12px;border-radius:8px;border:1px solid currentColor' });
    document.body.insertBefore(b, document.querySelector('main'));
  }
  b.style.color = kind === 'ok' ? 'var(--ok)' : 'var(--down)';
  b.style.background = kind === 'ok' ? 'var(--ok-bg)' : 'var(--down-bg)';
  b.dataset.kind = kind;
  delete b.dataset.load;   // embed.js marks a bad replscope:load's
  b.replaceChildren(h('span', { style: 'flex:1;color:var(--ink);overflow-wrap:anywhere' }, text),
    h('button', { class: 'btn', type: 'button', 'aria-label': tr('Dismiss'), onclick: () => b.remove() }, '✕'));
  b.hidden = false;
  return b;
}

// ---- the caption ---------------------------------------------------------------------------

/**
 * The caption a link carries (`caption=`, or the one stored in a #z= session), as one line
 * of text under the header: in the full page as in an embed. It belongs to the session it
 * came with: opening another scenario or lesson removes it (Reset and the lesson's own
 * steps keep it). At most LIMITS.caption characters; '' removes it.
 */
export function showCaption(world, text) {
  $('caption')?.remove();
  text = String(text || '').slice(0, LIMITS.caption);
  if (!text) return null;
  const embed = document.documentElement.classList.contains('embed');
  const cap = h('aside', { id: 'caption', class: 'caption', 'aria-label': tr('Caption'), style: embed ? null : 'display:flex;gap:10px;align-items:center;margin:8px 8px 0;padding:4px 6px 4px 12px;border-left:3px solid var(--sync);border-radius:0 8px 8px 0;background:var(--panel);font-size:14px;line-height:1.45' },
    // In an embed, the text alone; in the full page, with a button that dismisses it.
    embed ? text : [h('span', { class: 'cap-text', style: 'flex:1;overflow-wrap:anywhere' }, text),
      h('button', { class: 'btn', type: 'button', 'aria-label': tr('Dismiss'), onclick: () => cap.remove() }, '✕')]);
  // Before the first session (a link with only caption=), the caption goes with the first one.
  if (world.pg) cap.dataset.text = world.text;
  document.querySelector('header.bar').after(cap);
  if (!captionWatched) {
    captionWatched = true;
    world.on('open', () => {
      const c = $('caption');
      if (c && !('text' in c.dataset)) c.dataset.text = world.text;
      else if (c && c.dataset.text !== world.text) c.remove();
    });
  }
  return cap;
}
let captionWatched = false;

// ---- the page, as links, embed mode and the dialogs use it ------------------------------

let theApp = null;

/** The page's API for links, embed mode and the dialogs, built on main.js's `ui`. */
export function app(ui) {
  if (theApp) return theApp;
  const { world, lazy } = ui;
  theApp = {
    world, ui, need: ui.need, setPlaying: ui.setPlaying,
    seek: (us) => ui.requestSeek(us),
    /**
     * Open a session (a link, an imported file, a host page's scenario) at `tUs` (`pg`: its
     * world, built already); throws on error, leaving the session as it was.
     */
    openSession(text, seed, tUs, title, pg) {
      const hadLesson = lazy.lessons && lazy.lessons.cur;
      ui.load(text, seed, title, '', pg);
      if (hadLesson) lazy.lessons.stop();
      ui.choose('custom');
      if (tUs != null && tUs < world.nowUs) world.seekUs(tUs);
      else if (tUs != null && tUs > world.nowUs) ui.con.print('note', tr('the link asked for t = {0} s, after its end', (tUs / 1e6).toFixed(3)));
      ui.timeline.refreshActions(world);
      ui.dirty = true;
    },
    /**
     * openSession for a scenario whose waits add up to a simulated minute or more: built in
     * steps, with a progress line and Stop (opening.js; in `box`, a dialog's, if given); before
     * any session (a link at boot) the default scenario shows meanwhile. `title` is English
     * (said in the language of the moment). Resolves true once open, false if stopped or
     * replaced; rejects as openSession throws.
     */
    async openLong(text, seed, tUs, title, box) {
      const O = await import('./opening.js');
      const us = O.waitsUs(text);
      if (us < O.STEPPED_US) return this.openSession(text, seed, tUs, tr(title)), true;
      if (!world.pg) ui.load(DEFAULT.text, null, tr(DEFAULT.title), '');
      const pg = await O.build(ui, text, seed, title, us, box);
      if (!pg) return false;
      this.openSession(text, seed, tUs, tr(title), pg);
      return true;
    },
    /**
     * A lesson (or, as the first links did, a starting scenario) by id: an unknown id throws.
     * A lesson opens with its first `step` steps played (0: at its start).
     */
    async pickChecked(id, variant, scenario, step = 0) {
      const known = TITLES.some(([x]) => x === id);
      if (scenario) {
        if (!known) throw new LinkError(tr('there is no starting scenario "{0}"', id));
        return ui.pick(id);
      }
      try {
        await (await ui.need('lessons')).start(id, variant, step);
        ui.choose(`lesson:${id}`);
      } catch (e) {
        if (!known || variant) throw e;
        await ui.pick(id);
      }
    },
    linkFailed(why, boot) {
      if (boot && !world.pg) ui.load(DEFAULT.text, null, tr(DEFAULT.title), DEFAULT.hint);
      banner(tr(boot ? 'This link could not be opened: {0}. The default scenario is loaded instead.' : 'This link could not be opened: {0}. Your session is unchanged.', why));
      lazy.embed?.error(`link: ${why}`);
    },
    /** The link's caption line (embed mode and the full page alike). */
    setCaption(text) { showCaption(world, text); },
    get caption() { const c = $('caption'); return c ? (c.querySelector('.cap-text') || c).textContent : ''; },
    autoplay() {
      if (lazy.lessons && lazy.lessons.cur) lazy.lessons.autoplay();
      else ui.setPlaying(true);
    },
    /**
     * The session as a scenario, its seed line included: up to the moment shown, or with
     * `whole`, with what was recorded after it too (what a link carries, session()).
     */
    scenarioText(whole = false) {
      const text = whole && world.extentUs > world.nowUs ? world.pg.script_to(world.extentUs / 1000) : world.pg.script();
      const seedLine = `seed ${world.seed}`;
      return /^seed \d+$/m.test(text) ? text.replace(/^seed \d+$/m, seedLine) : `${seedLine}\n${text}`;
    },
  };
  return theApp;
}

// ---- the URL ---------------------------------------------------------------------------

/** The link's parameters: from the fragment, then the query string. */
export function params() {
  const p = new URLSearchParams(location.hash.length <= LIMITS.fragment + 4096 ? location.hash.slice(1) : '');
  const q = new URLSearchParams(location.search);
  return (k) => (p.has(k) ? p.get(k) : q.get(k));
}

/**
 * Open what the URL asks for. `app` is the page (main.js). At boot a failure loads the
 * default scenario; later (a link pasted into the address bar) it keeps the session.
 * Returns true if the URL opened something.
 */
export async function route(app, { boot }) {
  const hash = location.hash;
  const get = params();
  try {
    if (hash.length > LIMITS.fragment + 4096) tooLong(hash.length, /[#&]s=/.test(hash));
    const cap = get('caption');
    if (cap != null) caption(cap);
    if (hash.startsWith('#z=') || /[#&]z=/.test(hash)) {
      const s = await decodeZ(get('z') || '');
      // Stopped while it loaded in steps: the session shown stays, with its own caption.
      if (!(await app.openLong(s.script, s.seed, s.t_us, 'Shared session'))) return false;
      app.setCaption(cap ?? s.caption ?? '');
      return true;
    }
    if (hash.startsWith('#s=')) {
      const s = decodeS(hash.slice(3).split('&')[0]);
      if (!(await app.openLong(s.script, null, null, 'Shared scenario'))) return false;
      app.setCaption(cap ?? '');
      return true;
    }
    const lesson = get('lesson'), scenario = get('scenario') || (get('bench') != null ? 'bench' : null);
    if (lesson || scenario) {
      if (!LIMITS.lessonId.test(lesson || scenario)) fail(tr(lesson ? 'there is no lesson "{0}"' : 'there is no starting scenario "{0}"', clip(lesson || scenario, 24)));
      const variant = get('variant');
      if (variant != null && variant !== 'textbook') fail(tr('there is no variant "{0}"', clip(variant, 24)));
      // A step that is not a whole number opens the lesson at its start (start() caps a large one).
      const step = /^\d+$/.test(get('step') || '') ? Number(get('step')) : 0;
      await app.pickChecked(lesson || scenario, variant, !lesson, step);
      app.setCaption(cap ?? '');
      return true;
    }
    if (cap) app.setCaption(cap);
    return false;
  } catch (e) {
    const why = e instanceof LinkError ? e.message : String((e && e.message) || e);
    app.linkFailed(why, boot);
    return false;
  }
}
