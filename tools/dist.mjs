// Build dist/: the page as a static host should serve it. The modules in www/js are
// bundled and minified: what the first frame needs in one file, what main.js imports
// dynamically (tab panels, lessons, dialogs, other scenarios, links, embed mode, the
// Chinese dictionary, export, the healed note) in chunks loaded on first use. The stylesheet is minified
// and inline in index.html (allowed by its hash in the meta CSP): a first paint needs one
// round trip. The lesson cards of a first visit are drawn into the HTML (so they need no
// JavaScript), and js/first.js preloads what a link or Chinese will load. Behaviour is
// identical to www/. A host that sends the CSP as a header too must send dist's (with the
// hash; the build prints it): www/'s would refuse the inline styles (first.js then links
// style.css, a round trip later).
//   node tools/dist.mjs            (after make wasm; tools/node_modules from npm ci)

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const www = path.join(root, 'www'), out = path.join(root, 'dist');
if (!fs.existsSync(path.join(www, 'pkg/replscope_bg.wasm'))) throw new Error('www/pkg is missing: run make wasm');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

// The wasm-bindgen glue finds its .wasm next to itself (import.meta.url): after
// bundling that is next to js/main.js.
const js = await build({ entryPoints: [path.join(www, 'js/main.js')], bundle: true, splitting: true, minify: true, format: 'esm', target: 'es2022', outdir: path.join(out, 'js'), chunkNames: '[name]-[hash]', legalComments: 'none', logLevel: 'warning', metafile: true });
/** The files (relative to dist/) of the part that www/js/NAME.js loads on first use: its chunk and the chunks it imports. */
function partFiles(name) {
  const outs = js.metafile.outputs;
  const entry = Object.keys(outs).find((f) => outs[f].entryPoint === `www/js/${name}.js`);
  if (!entry) throw new Error(`dist: no chunk for www/js/${name}.js`);
  const files = [];
  (function walk(f) {
    if (files.includes(f)) return;
    files.push(f);
    for (const i of outs[f].imports) if (i.kind === 'import-statement') walk(i.path);
  })(entry);
  return files.map((f) => path.relative(out, path.join(root, f)));
}
await build({ entryPoints: [path.join(www, 'style.css')], minify: true, outfile: path.join(out, 'style.css'), logLevel: 'warning' });
// The styles of what loads on first use (lesson bar, tab panels, dialogs, embed mode).
await build({ entryPoints: [path.join(www, 'more.css')], minify: true, outfile: path.join(out, 'more.css'), logLevel: 'warning' });
fs.copyFileSync(path.join(www, 'pkg/replscope_bg.wasm'), path.join(out, 'js/replscope_bg.wasm'));
fs.cpSync(path.join(www, 'lessons'), path.join(out, 'lessons'), { recursive: true });
fs.cpSync(path.join(www, 'data'), path.join(out, 'data'), { recursive: true });
fs.copyFileSync(path.join(www, 'favicon.svg'), path.join(out, 'favicon.svg'));

let html = fs.readFileSync(path.join(www, 'index.html'), 'utf8');
const swap = (from, to) => {
  if (!html.includes(from)) throw new Error(`index.html no longer contains ${from}`);
  html = html.replace(from, () => to);
};
swap('href="pkg/replscope_bg.wasm"', 'href="js/replscope_bg.wasm"');
// www/'s <head> preloads each module of the first view (one file each). Here main.js is one
// file; the small chunks it shares with the parts loaded on first use are not preloaded:
// measured (tools/page-bench-phone.mjs), preloading them lets main.js run (~0.3 s at 4×
// CPU) before the prerendered cards are painted, and the wasm arrives after them anyway.
html = html.replace(/<link rel="modulepreload" href="(?:js|pkg)\/(?!main\.js")[^"]+">\n/g, '');
html = html.replace(/\n\s*/g, '\n');
// The stylesheet of the first view is inline: the first paint then needs the HTML alone,
// not a second round trip for style.css (~0.6 s on a phone's Slow 4G). The meta CSP
// allows exactly that <style> element by the SHA-256 of its bytes (no 'unsafe-inline';
// style attributes and any other inline or injected style stay refused). dist/style.css
// stays, for js/first.js's fallback (a host whose header CSP lacks the hash blocks the
// inline copy: first.js then links the file).
const css = fs.readFileSync(path.join(out, 'style.css'), 'utf8');
if (/<\/style/i.test(css)) throw new Error('dist: style.css contains </style');
const cssHash = `'sha256-${crypto.createHash('sha256').update(css, 'utf8').digest('base64')}'`;
swap("default-src 'self'; ", `default-src 'self'; style-src 'self' ${cssHash}; `);
swap('<link rel="stylesheet" href="style.css">\n', `<style id="first-css">${css}</style>\n`);
fs.writeFileSync(path.join(out, 'index.html'), html);

// A first visit's lesson cards need no JavaScript: the page itself draws them once here
// (main.js's fillCards, in English, in headless Chromium) and they are written into the
// HTML, so they show with js/first.js, ~1 s before the modules and the wasm are up.
// js/first.js (an async classic script, allowed by the CSP) shows them
// only where main.js would: no link in the URL and English chosen; main.js then draws
// the same cards again, live. Without Chromium (tests/e2e's playwright-core), dist/
// keeps JS-drawn cards.
let cards = null;
try {
  const { serve, launch } = await import('../tests/e2e/harness.mjs');
  const srv = await serve(out);
  let browser;
  try {
    browser = await launch();
    const page = await browser.ctx.newPage();
    await page.addInitScript(() => { try { localStorage.setItem('replscope-lang', 'en'); } catch { /* none */ } });
    await page.goto(srv.url);
    await page.waitForSelector('#wl-cards .wl-card');
    cards = await page.evaluate(() => document.getElementById('wl-cards').outerHTML);
  } finally {
    await browser?.close();
    await srv.close();
  }
} catch (e) {
  console.warn(`dist: the lesson cards stay drawn by main.js (could not prerender them: ${e.message || e})`);
}
if (cards) swap('<div id="wl-cards" class="wl-cards"></div>', cards);
// Async, it runs as soon as it arrives (one round trip after the HTML, beside main.js and
// the wasm), not after the document is parsed as a deferred script would.
swap('</style>\n', '</style>\n<script src="js/first.js" async></script>\n');
const parts = Object.fromEntries(['main', 'link', 'lessons', 'embed', 'i18n'].map((n) => [n, partFiles(n)]));
parts.main.shift(); // main.js itself: the page's <script type=module> asks for it
fs.writeFileSync(path.join(out, 'js/first.js'), `// Written by tools/dist.mjs. The lesson cards are in the HTML (drawn at build time, in
// English): show them now on a first visit in English, as main.js will (its firstLang());
// main.js redraws them, live. Fetch now what main.js will load for a link (link, lesson,
// embed code, the lesson's steps) or for Chinese, beside the wasm rather than after it.
(() => {
  // Under a header CSP without the inline stylesheet's hash (copied from www/, say), the
  // browser refused it: link the same styles instead.
  if (!document.getElementById('first-css')?.sheet) {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = 'style.css';
    document.head.append(l);
  }
  const q = location.search + location.hash.slice(0, 4096);
  const get = (k) => new RegExp(\`[#?&]\${k}=([^&#]*)\`).exec(q)?.[1];
  const asked = new Set();
  const pre = (href, as) => {
    if (asked.has(href)) return;
    asked.add(href);
    const l = document.createElement('link');
    l.rel = as ? 'preload' : 'modulepreload';
    if (as) l.as = as;
    if (as === 'fetch') l.crossOrigin = 'anonymous';
    l.href = href;
    document.head.append(l);
  };
  const PARTS = ${JSON.stringify(parts)};
  let lang = get('lang');
  try { lang ||= localStorage.getItem('replscope-lang'); } catch { /* no storage */ }
  if (lang !== 'en' && lang !== 'zh') lang = /^zh/i.test((navigator.languages || []).find((l) => /^(en|zh)\\b/i.test(l))) ? 'zh' : 'en';
  PARTS.main.forEach((f) => pre(f));
  if (lang === 'zh') PARTS.i18n.forEach((f) => pre(f));
  if (location.hash.length > 1 || location.search.length > 1) {
    PARTS.link.forEach((f) => pre(f));
    const lesson = get('lesson');
    if (lesson && /^[a-z0-9][a-z0-9-]{0,63}$/.test(lesson)) {
      PARTS.lessons.forEach((f) => pre(f));
      pre(\`lessons/\${lesson}.json\`, 'fetch');
    }
    if (get('embed') === '1') PARTS.embed.forEach((f) => pre(f));
    if (lesson || get('embed') === '1') pre('more.css', 'style');
    return;
  }
  if (lang !== 'en') return;${cards ? `
  const show = () => {
    document.getElementById('welcome').hidden = false;
    document.body.classList.add('welcoming');
    document.getElementById('lessons-btn').setAttribute('aria-expanded', 'true');
    // Over the cards, as main.js's first render does (it removes the element; hidden here,
    // so main.js still finds it).
    const boot = document.getElementById('boot');
    if (boot) boot.hidden = true;
    requestAnimationFrame(() => setTimeout(() => performance.mark('replscope:first-render')));
  };
  if (document.getElementById('boot') || document.readyState !== 'loading') show();
  else document.addEventListener('readystatechange', show, { once: true });` : ''}
})();
`);
fs.writeFileSync(path.join(out, 'index.html'), html);
console.log(`dist/ is ready: serve it with any static file server. Its Content-Security-Policy (for a header, add frame-ancestors):\n${/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)[1]}`);
