// Page budgets in headless Chromium on localhost (benchmarks, not assertions):
//   1. first meaningful render after navigation (budget 300 ms),
//   2. per-frame simulation + rendering with 6 nodes at 1000 writes/s (p95 budget 4 ms),
//   3. seeking to any moment of a 10-minute run (budget 150 ms).
//
//   node tools/page-bench.mjs [www-dir]      (needs tests/e2e's node_modules and www/pkg)

import path from 'node:path';
import { serve, launch, openPage } from '../tests/e2e/harness.mjs';

const root = path.resolve(process.argv[2] || 'www');
const srv = await serve(root);
const { ctx, close } = await launch();
const pct = (xs, f) => { const a = [...xs].sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor(f * a.length))]; };
const ms = (x) => `${x.toFixed(1)} ms`;

try {
  // 1. First meaningful render: the first frame with the default scenario drawn
  // (wasm fetched and compiled, the scenario run, every panel rendered).
  const firsts = [];
  for (let i = 0; i < 7; i++) {
    const page = await ctx.newPage();
    await page.goto(srv.url);
    await page.waitForFunction(() => performance.getEntriesByName('replscope:first-render').length > 0);
    firsts.push(await page.evaluate(() => performance.getEntriesByName('replscope:first-render')[0].startTime));
    await page.close();
  }
  console.log(`first meaningful render: median ${ms(pct(firsts, 0.5))}, max ${ms(Math.max(...firsts))} over ${firsts.length} loads (budget 300 ms)`);

  // 2. Frames under load: the bench scenario applies one SET per simulated ms on m
  // (each a logged statement) with 5 replicas; we time each animation frame's work.
  {
    const { page, errors } = await openPage(ctx, srv.url + '?bench');
    await page.waitForTimeout(2000);
    await page.evaluate(() => { window.__replscope.frames.length = 0; });
    await page.waitForTimeout(10000);
    const r = await page.evaluate(() => {
      const f = window.__replscope.frames.slice();
      const w = window.__replscope.world;
      return { f, t: w.nowUs, writes: w.load ? w.load.n : 0, nodes: w.view.nodes.length };
    });
    console.log(`frame (sim + render), ${r.nodes} nodes, 1000 writes/s, ${r.f.length} frames: p50 ${ms(pct(r.f, 0.5))}, p95 ${ms(pct(r.f, 0.95))}, max ${ms(Math.max(...r.f))} (budget p95 4 ms); ${r.writes} writes, t = ${(r.t / 1e6).toFixed(1)} s`);
    if (errors.length) console.log('errors:', errors);
    for (const tab of ['seq', 'chart']) {
      await page.click(`#tab-${tab}`);
      await page.waitForTimeout(1000);
      await page.evaluate(() => { window.__replscope.frames.length = 0; });
      await page.waitForTimeout(5000);
      const f = await page.evaluate(() => window.__replscope.frames.slice());
      console.log(`  with the ${tab} tab shown: p50 ${ms(pct(f, 0.5))}, p95 ${ms(pct(f, 0.95))}, max ${ms(Math.max(...f))}`);
    }
    await page.close();
  }

  // 3. Seek: build 10 minutes of simulated time, then jump to spread-out moments.
  for (const [label, lesson, rate] of [['default scenario, 100 writes/s', 'basic', 100], ['6 nodes, 1000 writes/s', 'bench', 1000]]) {
    const { page } = await openPage(ctx, srv.url + `?scenario=${lesson}`);
    const built = await page.evaluate(({ rate }) => {
      const r = window.__replscope;
      r.setPlaying(false);
      const w = r.world;
      w.load = null;
      w.startLoad('m', rate, 16);
      const t0 = performance.now();
      w.runFor(600e6 - w.nowUs, false);
      w.refresh();
      return { buildMs: performance.now() - t0, end: w.nowUs };
    }, { rate });
    const times = await page.evaluate((end) => {
      const r = window.__replscope, w = r.world, out = [];
      // Deterministic spread of targets, backwards and forwards.
      const targets = [];
      for (let i = 0; i < 24; i++) targets.push(Math.round(((i * 7919) % 24) / 24 * end + 123457));
      targets.push(end, 1000, end - 1);
      for (const t of targets) {
        const t0 = performance.now();
        w.seekUs(t);
        r.renderNow();
        out.push(performance.now() - t0);
      }
      return out;
    }, built.end);
    console.log(`seek + render, 10-minute run (${label}; built in ${(built.buildMs / 1000).toFixed(1)} s): p50 ${ms(pct(times, 0.5))}, p95 ${ms(pct(times, 0.95))}, max ${ms(Math.max(...times))} over ${times.length} seeks (budget 150 ms)`);
    await page.close();
  }
} finally {
  await close();
  await srv.close();
}
