// Shared by the tests and tools/: a static server for www/ on a free port, and
// headless Chromium (the system's, never a downloaded one) with a fresh profile.

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

// www/ by default; E2E_ROOT=dist runs the same tests against `make dist`'s bundle.
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', process.env.E2E_ROOT || 'www');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

/**
 * The page's own Content-Security-Policy: the <meta http-equiv> in index.html is the
 * source of truth (no inline or injected script or style, Trusted Types; dist/'s allows
 * its one inline stylesheet by hash).
 */
const INDEX_HTML = fs.readFileSync(path.join(ROOT, 'index.html'), 'utf8');
export const META_CSP = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(INDEX_HTML)?.[1];
/**
 * The page's own script elements, as the served index.html lists them (their src, in
 * order): www/ has js/main.js; dist/ adds js/first.js.
 */
export const PAGE_SCRIPTS = [...INDEX_HTML.matchAll(/<script\b[^>]*?\bsrc="([^"]+)"[^>]*>/g)].map((m) => m[1]);
/** The same policy as a header, plus what only a header can say (a meta tag cannot set frame-ancestors). */
export const STRICT_CSP = `${META_CSP}; frame-ancestors 'none'`;

/** Serve `root` on 127.0.0.1 at a free port, optionally with a Content-Security-Policy. Resolves to {url, close}. */
export function serve(root = ROOT, { csp } = {}) {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    let p = path.normalize(decodeURIComponent(u.pathname)).replace(/^(\.\.[/\\])+/, '');
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, p);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' };
      if (csp) headers['content-security-policy'] = csp;
      res.writeHead(200, headers);
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
  }));
}

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * What most test files set up: before their tests, www/ served (`env.srv`) and
 * Chromium launched (`env.browser`), then `more(env)` if given (a file's own extra
 * set-up); after them, both closed. Call it at the top level of a test file:
 * `const env = pageSuite();`.
 */
export function pageSuite(more) {
  const env = {};
  before(async () => {
    env.srv = await serve();
    env.browser = await launch();
    await more?.(env);
  });
  after(async () => {
    await env.browser?.close();
    await env.srv?.close();
  });
  return env;
}

/** Where tests leave screenshots for a human to look at (created on import). */
export const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

/** Headless Chromium with the flags this environment needs and a throw-away profile. */
export async function launch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-chrome-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
  });
  const close = async () => { await ctx.close(); fs.rmSync(dir, { recursive: true, force: true }); };
  return { ctx, close };
}

/**
 * A phone: `fn(ctx)` runs with a touch context (isMobile, hasTouch, a `width`×`height`
 * viewport; `more` adds to its options) in a browser of its own (a suite's browser is one
 * persistent context, which cannot take isMobile), and the browser is always closed, the
 * test passing or not (one left open keeps node from exiting). Resolves to what `fn` does.
 */
export async function withPhone(fn, { width = 375, height = 740, ...more } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const ctx = await browser.newContext({ viewport: { width, height }, isMobile: true, hasTouch: true, ...more });
    return await fn(ctx);
  } finally {
    await browser.close();
  }
}

/**
 * Installed before the page's own scripts: dialogs, CSP violations and script elements
 * added later are recorded (window.__alerts, __violations, __scripts), so a test can
 * show that hostile input stayed inert.
 */
export function guard() {
  window.__alerts = [];
  for (const k of ['alert', 'confirm', 'prompt', 'print']) window[k] = (...a) => { window.__alerts.push(`${k}(${String(a[0])})`); };
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
  window.__scripts = [];
  addEventListener('DOMContentLoaded', () => {
    new MutationObserver((ms) => {
      for (const m of ms) for (const n of m.addedNodes) if (n.nodeName === 'SCRIPT' || (n.querySelector && n.querySelector('script'))) window.__scripts.push(String(n.outerHTML).slice(0, 120));
    }).observe(document, { childList: true, subtree: true });
  });
}

/**
 * Open the page and wait until the simulator runs (the `replscope:interactive` mark);
 * collects console errors and dialogs. A first visit shows the lesson cards: they are
 * closed unless `cards` is true, so a test starts at the simulator.
 */
export async function openPage(ctx, url, { width = 1440, height = 900, scheme = 'light', reducedMotion = 'no-preference', locale, cards = false } = {}) {
  const page = await ctx.newPage();
  const errors = [];
  page.dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => { page.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.addInitScript(guard);
  if (locale) await page.addInitScript((l) => { Object.defineProperty(navigator, 'languages', { get: () => l }); Object.defineProperty(navigator, 'language', { get: () => l[0] }); }, locale);
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: scheme, reducedMotion });
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('replscope:interactive').length > 0, null, { timeout: 20000 });
  if (!cards) await page.evaluate(() => window.__replscope.welcome(false));
  return { page, errors };
}

/**
 * Nothing from hostile input ran: no dialog, no CSP violation, no script element beyond
 * the page's own (PAGE_SCRIPTS), no element that could load or run something, no event-handler
 * attribute anywhere, and the page still answers (a console command gets its reply).
 */
export async function assertInert(page, assert, what) {
  const r = await page.evaluate(() => ({
    alerts: window.__alerts, violations: window.__violations, added: window.__scripts,
    scripts: [...document.scripts].map((s) => s.getAttribute('src')),
    loaders: document.querySelectorAll('img, iframe, object, embed, link[rel=import], foreignObject, image, use, a[href^="javascript"]').length,
    handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`)),
  }));
  assert.deepEqual(r.alerts, [], `${what}: no dialog`);
  assert.deepEqual(page.dialogs, [], `${what}: no native dialog`);
  assert.deepEqual(r.violations, [], `${what}: no CSP violation`);
  assert.deepEqual(r.added, [], `${what}: no script element added`);
  assert.deepEqual(r.scripts, PAGE_SCRIPTS, `${what}: only the page's own scripts (as index.html lists them)`);
  assert.equal(r.loaders, 0, `${what}: no element that loads content`);
  assert.deepEqual(r.handlers, [], `${what}: no event-handler attribute`);
  // Still interactive: the console answers.
  await page.fill('#con-line', 'm> PING');
  await page.press('#con-line', 'Enter');
  // A link opened at an earlier moment than its end is a rewound past: acting asks first.
  if (await page.isVisible('.con-ask')) await page.click('.con-ask button.primary');
  await page.waitForFunction(() => /PONG/.test(document.getElementById('con-out').textContent), null, { timeout: 5000 });
}

/** Run the world fast until `cond` (a page-side expression) holds, then pause. */
export async function playUntil(page, cond) {
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); r.setPlaying(true); });
  await page.waitForFunction(cond, null, { timeout: 30000, polling: 'raf' });
  await page.evaluate(() => window.__replscope.setPlaying(false));
}

/** Type a line into the console and press Enter. */
export async function consoleLine(page, line) {
  await page.fill('#con-line', line);
  await page.press('#con-line', 'Enter');
}

/**
 * The page's first story, clicked as a reader would: cut the m ↔ `replica` link (D),
 * write `write`, reconnect it (R) and run until the partial resync shows.
 */
export async function cutWriteReconnect(page, replica = 'r1', write = 'SET k1 v1') {
  await page.click(`#topo [data-link="m|${replica}"]`);
  await page.keyboard.press('d');
  await consoleLine(page, write);
  await page.click(`#topo [data-link="m|${replica}"]`);
  await page.keyboard.press('r');
  await playUntil(page, () => document.querySelector('#decision .verdict.partial') !== null);
}
