// Shared by the tests and tools/: a static server for www/ on a free port, and
// headless Chromium (the system's, never a downloaded one) with a fresh profile.

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// www/ by default; E2E_ROOT=dist runs the same tests against `make dist`'s bundle.
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', process.env.E2E_ROOT || 'www');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

/** A policy as strict as the page allows: no inline or injected script or style. */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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

/** Open the page and wait until the first frame is drawn; collects console errors. */
export async function openPage(ctx, url, { width = 1440, height = 900, scheme = 'light', reducedMotion = 'no-preference' } = {}) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: scheme, reducedMotion });
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('replscope:first-render').length > 0, null, { timeout: 20000 });
  return { page, errors };
}
