// The page's memory over a long run: the benchmark cluster (6 nodes, one logged SET a
// millisecond on m) played at 100× with the Offsets chart shown, in headless Chromium.
// Every SAMPLE_S seconds of wall-clock time it prints the simulated time reached, the
// JS heap (CDP Runtime.getHeapUsage), the simulator's wasm linear memory, the renderer
// process's RSS (/proc/PID/status, the PID from CDP SystemInfo.getProcessInfo), and how
// much history the page and the core keep. It stops at one simulated hour or after
// WALL_S seconds, whichever comes first. Budget (issue 15): ≤ 300 MB after an hour.
//
//   node tools/page-memory.mjs [www-dir] [--rate N] [--speed 100] [--wall 1800] [--every 15]
//
// Needs tests/e2e's node_modules and www/pkg (make wasm); Debian's /usr/bin/chromium.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serve, CHROMIUM } from '../tests/e2e/harness.mjs';

// playwright-core is tests/e2e's dependency.
const { chromium } = createRequire(new URL('../tests/e2e/package.json', import.meta.url))('playwright-core');

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? Number(argv[i + 1]) : dflt; };
const root = path.resolve(argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) || 'www');
const RATE = opt('rate', 1000), SPEED = opt('speed', 100), WALL_S = opt('wall', 1800), SAMPLE_S = opt('every', 15);
const HOUR_US = 3600e6;

const rssKb = (pid) => {
  try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]); } catch { return 0; }
};
const mb = (b) => (b / 1048576).toFixed(1);

const srv = await serve(root);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(srv.url + '?scenario=bench');
  await page.waitForFunction(() => performance.getEntriesByName('replscope:interactive').length > 0, null, { timeout: 30000 });
  await page.evaluate(({ rate, speed }) => {
    const r = window.__replscope;
    r.welcome(false);
    const w = r.world;
    w.load = null;
    w.startLoad('m', rate, 16);
    r.setSpeed(Math.log10(speed));
    r.setPlaying(true);
  }, { rate: RATE, speed: SPEED });
  await page.click('#tab-chart');
  const cdp = await page.context().newCDPSession(page);
  const bcdp = await browser.newBrowserCDPSession();
  // The renderer is the one process of type renderer (one page open).
  const { processInfo } = await bcdp.send('SystemInfo.getProcessInfo');
  const renderers = processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  const all = processInfo.map((p) => p.id);
  console.log(`page-memory: 6 nodes, ${RATE} writes/s on m, ${SPEED}×, chart shown; renderer pid ${renderers.join(',')}; sample every ${SAMPLE_S} s, stop at 1 simulated hour or ${WALL_S} s`);
  console.log('wall_s  sim_s    js_heap_MB  wasm_MB  renderer_rss_MB (each renderer)  samples(page/core)  decisions  events  actions');
  const t0 = Date.now();
  let last;
  for (;;) {
    await page.waitForTimeout(SAMPLE_S * 1000);
    const h = await cdp.send('Runtime.getHeapUsage');
    const s = await page.evaluate(() => {
      const w = window.__replscope.world;
      return { t: w.nowUs, wasm: w.wasmBytes(), samples: w.samples.length, coreSamples: w.pg.samples_len(), decisions: w.decisions.length, events: w.events.length, actions: w.pg.actions_len(), playing: w.playing };
    });
    const per = renderers.map((p) => rssKb(p) * 1024);
    const rss = Math.max(...per);   // the page's renderer is the biggest
    const wall = (Date.now() - t0) / 1000;
    last = { wall, ...s, heap: h.usedSize, rss };
    console.log(`${wall.toFixed(0).padStart(6)}  ${(s.t / 1e6).toFixed(0).padStart(6)}  ${mb(h.usedSize).padStart(10)}  ${mb(s.wasm).padStart(7)}  ${`${mb(rss)} (${per.map(mb).join('/')})`.padStart(15)}  ${`${s.samples}/${s.coreSamples}`.padStart(18)}  ${String(s.decisions).padStart(9)}  ${String(s.events).padStart(6)}  ${String(s.actions).padStart(7)}`);
    if (!s.playing) { console.log('stopped playing (page error?)'); break; }
    if (s.t >= HOUR_US || wall >= WALL_S) break;
  }
  const reached = (last.t / 1e6).toFixed(0);
  console.log(`all Chromium processes: ${all.reduce((a, p) => a + rssKb(p), 0) >> 10} MB RSS (${all.length} processes)`);
  console.log(`reached ${reached} simulated s in ${last.wall.toFixed(0)} s wall (${(last.t / 1e6 / last.wall).toFixed(1)}× real time); renderer RSS ${mb(last.rss)} MB, JS heap ${mb(last.heap)} MB, wasm ${mb(last.wasm)} MB (budget 300 MB after an hour)`);
  if (errors.length) console.log('page errors:', errors.slice(0, 5));
} finally {
  await browser.close();
  await srv.close();
}
