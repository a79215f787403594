// The page's memory under the reconnect loop of issue 15 (a replica whose output buffer
// limit drops it every few ms: about 120 PSYNC decisions a simulated second), played at
// 100× in headless Chromium until SIM_S simulated seconds (or WALL_S of wall-clock time).
// Prints, every simulated minute, the JS heap after a full GC (CDP), the simulator's wasm
// linear memory and the decisions the page and the core hold. Any www/ works (the
// figures before the page bounded its decisions come from an older www/).
//
//   node tools/decisions-memory.mjs [www-dir] [--sim 600] [--wall 300]
//
// Needs tests/e2e's node_modules and www/pkg (make wasm); Debian's /usr/bin/chromium.

import path from 'node:path';
import { createRequire } from 'node:module';
import { serve, CHROMIUM } from '../tests/e2e/harness.mjs';

const { chromium } = createRequire(new URL('../tests/e2e/package.json', import.meta.url))('playwright-core');

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const root = path.resolve(argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) || 'www');
const SIM_S = opt('sim', 600), WALL_S = opt('wall', 300);
const LOOP = 'node m\nnode r repl-backlog-size=1k client-output-buffer-limit="replica 20kb 10kb 2" hz=500\nm> REPLICAOF r\n';
const mb = (b) => (b / 1048576).toFixed(1);

const srv = await serve(root);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(srv.url);
  await page.waitForFunction(() => performance.getEntriesByName('replscope:interactive').length > 0, null, { timeout: 30000 });
  await page.evaluate((t) => {
    const r = window.__replscope;
    r.welcome(false);
    r.setPlaying(false);
    r.ui.open(t, null, 'Your scenario');
    r.world.slowmo = false;
    r.setSpeed(2);
    r.setPlaying(true);
  }, LOOP);
  const cdp = await page.context().newCDPSession(page);
  console.log('sim_s  wall_s  js_heap_MB  wasm_MB  decisions(page/core kept/made)');
  const t0 = Date.now();
  let minute = 0;
  for (;;) {
    await page.waitForTimeout(250);
    const s = await page.evaluate(() => {
      const w = window.__replscope.world;
      return { t: w.nowUs / 1e6, wasm: w.wasmBytes(), page: w.decisions.length, core: w.pg.decisions().length, made: w.pg.decisions_len() };
    });
    const wall = (Date.now() - t0) / 1000;
    const done = s.t >= SIM_S || wall >= WALL_S;
    if (s.t >= (minute + 1) * 60 || done) {
      minute = Math.floor(s.t / 60);
      await cdp.send('HeapProfiler.collectGarbage');
      const h = await cdp.send('Runtime.getHeapUsage');
      console.log(`${s.t.toFixed(0).padStart(5)}  ${wall.toFixed(0).padStart(6)}  ${mb(h.usedSize).padStart(10)}  ${mb(s.wasm).padStart(7)}  ${s.page}/${s.core}/${s.made}`);
    }
    if (done) break;
  }
  if (errors.length) console.log('page errors:', errors);
} finally {
  await browser.close();
  srv.close();
}
