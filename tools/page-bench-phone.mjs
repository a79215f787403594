// A first visit on a phone: Chromium under Lighthouse's mobile "Slow 4G" preset (DevTools
// throttling: 562.5 ms request latency = 150 ms RTT × 3.75, 1,474.56 kbit/s down =
// 1.6 Mbit/s × 0.9, 675 kbit/s up, CPU 4× slower), cold cache, a 412×823 phone screen.
// For www/ and dist/ and three ways in (a first visit, a lesson link, a share link), it
// loads the page cold 3 times and reports the page's two marks:
//   first render  `replscope:first-render`  the lesson cards, or a link's cluster, drawn
//   interactive   `replscope:interactive`   the first frame of a running world
// (budgets: 1.5 s and 3.0 s, median of 3), the browser's first contentful paint, the bytes
// transferred and any file fetched twice. The server compresses as a static host does
// (gzip for text and wasm) and asks for no caching; it speaks HTTP/1.1 (at most 6
// requests at once, as `make serve`), or with --h2 HTTP/2 over TLS with a throw-away
// certificate (as most static hosts: every request at once).
//
//   node tools/page-bench-phone.mjs [www|dist ...] [--runs N] [--only first|lesson|share] [--waterfall] [--h2]
//   make page-bench                  (builds the wasm and dist/ first)

import http from 'node:http';
import http2 from 'node:http2';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(path.join(root, 'tests/e2e/package.json'))('playwright-core');

const argv = process.argv.slice(2);
const opt = (k, d) => { const i = argv.indexOf(k); return i < 0 ? d : argv.splice(i, 2)[1]; };
const flag = (k) => { const i = argv.indexOf(k); return i >= 0 && argv.splice(i, 1).length > 0; };
const RUNS = Number(opt('--runs', 3));
const ONLY = opt('--only', null);
const WATERFALL = flag('--waterfall');
const H2 = flag('--h2');
const roots = argv.length ? argv : ['www', 'dist'];

/** Lighthouse's mobile slow-4G throttling, as DevTools applies it (lighthouse-core/config/constants.js). */
const THROTTLE = { latency: 150 * 3.75, downloadKbps: 1.6 * 1024 * 0.9, uploadKbps: 750 * 0.9, cpu: 4 };
const BUDGET = { first: 1500, interactive: 3000 };

// A share link as the page makes it (share.test.mjs builds them the same way): a master,
// two replicas, a disconnect and a partial resync, shown at t = 2.5 s.
const SHARE = {
  v: 1, seed: 7, t_us: 2500000,
  script: 'node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nwait sync\nm> SET greeting hello\ndisconnect m r1\nm> SET k1 v1\nwait 1s\nreconnect m r1\nwait sync\nwait 1s\n',
};
const URLS = [
  ['first', 'first visit', ''],
  ['lesson', 'lesson link', '#lesson=partial-resync'],
  ['share', 'share link', `#z=${zlib.deflateRawSync(Buffer.from(JSON.stringify(SHARE))).toString('base64url')}`],
].filter(([k]) => !ONLY || ONLY === k);

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** A self-signed certificate for 127.0.0.1 (openssl), for --h2. */
function cert() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-cert-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', path.join(d, 'k.pem'), '-out', path.join(d, 'c.pem')], { stdio: 'ignore' });
  const r = { key: fs.readFileSync(path.join(d, 'k.pem')), cert: fs.readFileSync(path.join(d, 'c.pem')) };
  fs.rmSync(d, { recursive: true, force: true });
  return r;
}
const TLS = H2 ? cert() : null;

/** A static server for `dir`, gzip as a host would send it (`Accept-Encoding` permitting). */
function serve(dir) {
  const gz = new Map();
  const handler = (req, res) => {
    const u = new URL(req.url, 'http://x');
    let p = path.normalize(decodeURIComponent(u.pathname)).replace(/^(\.\.[/\\])+/, '');
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(dir, p);
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      const ext = path.extname(file);
      const headers = { 'content-type': TYPES[ext] || 'application/octet-stream', 'cache-control': 'no-cache' };
      if (ext !== '.png' && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
        const key = `${file}:${data.length}`;
        if (!gz.has(key)) gz.set(key, zlib.gzipSync(data, { level: 9 }));
        data = gz.get(key);
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = data.length;
      res.writeHead(200, headers);
      res.end(data);
    });
  };
  const server = H2 ? http2.createSecureServer({ ...TLS, allowHTTP1: true }, handler) : http.createServer(handler);
  const sessions = new Set();
  server.on(H2 ? 'session' : 'connection', (x) => { sessions.add(x); x.on('close', () => sessions.delete(x)); });
  const close = () => new Promise((r) => { server.close(r); for (const x of sessions) x.destroy(); });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `${H2 ? 'https' : 'http'}://127.0.0.1:${server.address().port}/`, close })));
}

/** One cold load: a fresh context (empty cache, no storage), throttled before navigating. */
async function load(browser, url) {
  const ctx = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true, locale: 'en-US' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: THROTTLE.latency,
    downloadThroughput: THROTTLE.downloadKbps * 1024 / 8, uploadThroughput: THROTTLE.uploadKbps * 1024 / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE.cpu });
  const reqs = new Map();
  cdp.on('Network.requestWillBeSent', (e) => reqs.set(e.requestId, { url: e.request.url, start: e.timestamp }));
  cdp.on('Network.responseReceived', (e) => { const r = reqs.get(e.requestId); if (r) r.head = e.timestamp; });
  cdp.on('Network.loadingFinished', (e) => { const r = reqs.get(e.requestId); if (r) { r.bytes = e.encodedDataLength; r.end = e.timestamp; } });
  await page.goto(url, { waitUntil: 'commit' });
  try {
    await page.waitForFunction(() => performance.getEntriesByName('replscope:interactive').length > 0, null, { timeout: 30000, polling: 50 });
  } catch (e) {
    errors.push(`no replscope:interactive mark after 30 s (${String(e.message || e).split('\n')[0]})`);
  }
  await page.waitForTimeout(300);
  const m = await page.evaluate(() => {
    const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
    return { first: at('replscope:first-render'), interactive: at('replscope:interactive'), fcp: at('first-contentful-paint'), cards: document.querySelectorAll('#wl-cards .wl-card').length };
  });
  const list = [...reqs.values()].filter((r) => r.url.startsWith('http'));
  const t0 = Math.min(...list.map((r) => r.start));
  m.bytes = list.reduce((a, r) => a + (r.bytes || 0), 0);
  m.requests = list.length;
  const seen = {};
  for (const r of list) { const k = r.url.replace(/#.*/, ''); seen[k] = (seen[k] || 0) + 1; }
  m.twice = Object.entries(seen).filter(([, n]) => n > 1).map(([k, n]) => `${new URL(k).pathname} ×${n}`);
  m.waterfall = list.sort((a, b) => a.start - b.start).map((r) => `${String(Math.round((r.start - t0) * 1000)).padStart(6)} → ${String(Math.round(((r.end ?? r.start) - t0) * 1000)).padStart(6)} ms ${String(r.bytes ?? '?').padStart(7)} B  ${new URL(r.url).pathname}`);
  m.errors = errors;
  await ctx.close();
  return m;
}

/**
 * The modules main.js imports statically (one file each in www/) that index.html does not
 * preload: each is fetched a round trip (~0.6 s here) after the module that imports it.
 */
function unpreloaded(dir) {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const pre = new Set([...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]));
  const seen = new Set();
  (function walk(rel) {
    if (seen.has(rel) || !fs.existsSync(path.join(dir, rel))) return;
    seen.add(rel);
    for (const m of fs.readFileSync(path.join(dir, rel), 'utf8').matchAll(/^import\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)) walk(path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1])));
  })('js/main.js');
  return [...seen].filter((f) => !pre.has(f));
}

const median = (xs) => { const a = [...xs].sort((x, y) => x - y); return a[Math.floor((a.length - 1) / 2)]; };
const sec = (x) => (Number.isFinite(x) ? `${(x / 1000).toFixed(2)} s` : '—');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: [...(H2 ? ['--ignore-certificate-errors'] : []), '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const rows = [];
let failed = false;
// Loads alternate between the folders (www, dist, www, dist, ...), so a busy machine
// slows both alike.
const servers = [];
try {
  for (const r of roots) {
    const dir = path.resolve(root, r);
    if (fs.existsSync(path.join(dir, 'index.html'))) {
      servers.push([r, await serve(dir)]);
      const late = unpreloaded(dir);
      if (late.length) console.log(`${r}: index.html does not modulepreload ${late.join(', ')} (imported statically by the first view)`);
    }
    else { console.log(`${r}: no index.html (make ${r === 'dist' ? 'dist' : 'wasm'} first)`); failed = true; }
  }
  for (const [, label, hash] of URLS) {
    const runs = servers.map(() => []);
    for (let i = 0; i < RUNS; i++) for (const [k, [, srv]] of servers.entries()) runs[k].push(await load(browser, srv.url + hash));
    for (const [k, [r]] of servers.entries()) {
      const col = (f) => runs[k].map((x) => x[f]);
      const row = {
        root: r, label, first: median(col('first')), firstMax: Math.max(...col('first')), interactive: median(col('interactive')), interactiveMax: Math.max(...col('interactive')),
        fcp: median(col('fcp')), kb: median(col('bytes')) / 1024, requests: median(col('requests')), twice: [...new Set(runs[k].flatMap((x) => x.twice))], errors: [...new Set(runs[k].flatMap((x) => x.errors))],
      };
      rows.push(row);
      console.log(`${r.padEnd(5)} ${label.padEnd(12)} first render ${sec(row.first)} (max ${sec(row.firstMax)})  interactive ${sec(row.interactive)} (max ${sec(row.interactiveMax)})  FCP ${sec(row.fcp)}  ${row.kb.toFixed(1)} KB in ${row.requests} requests${row.twice.length ? `  FETCHED TWICE: ${row.twice.join(', ')}` : ''}`);
      if (row.errors.length) console.log(`      errors: ${row.errors.join(' | ')}`);
      if (WATERFALL) console.log(runs[k][0].waterfall.map((l) => `      ${l}`).join('\n'));
    }
  }
} finally {
  for (const [, srv] of servers) await srv.close();
  await browser.close();
}

console.log(`\n${H2 ? 'HTTP/2' : 'HTTP/1.1'}, Slow 4G (${THROTTLE.latency} ms latency, ${THROTTLE.downloadKbps.toFixed(2)}/${THROTTLE.uploadKbps} kbit/s), CPU ×${THROTTLE.cpu}, cold cache, median of ${RUNS} (budgets: first render ≤ ${sec(BUDGET.first)}, interactive ≤ ${sec(BUDGET.interactive)})`);
console.log('root  way in        first render   interactive    FCP      transferred');
for (const x of rows) {
  const ok = (v, b) => (v <= b ? ' ' : '!');
  console.log(`${x.root.padEnd(5)} ${x.label.padEnd(12)}  ${sec(x.first).padStart(7)}${ok(x.first, BUDGET.first)}      ${sec(x.interactive).padStart(7)}${ok(x.interactive, BUDGET.interactive)}      ${sec(x.fcp).padStart(7)}  ${x.kb.toFixed(1).padStart(6)} KB`);
}
if (rows.some((x) => x.errors.length)) failed = true;
process.exitCode = failed ? 1 : 0;
