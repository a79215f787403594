// The page's memory over a long run: the benchmark cluster (6 nodes, one logged SET a
// millisecond on m) played at 100× with the Offsets chart shown, in headless Chromium.
// Every SAMPLE_S seconds of wall-clock time it prints the simulated time reached, the
// JS heap (CDP Runtime.getHeapUsage), the simulator's wasm linear memory, the renderer
// process's RSS (/proc/PID/status, the PID from CDP SystemInfo.getProcessInfo), and how
// much history the page and the core keep. It stops at one simulated hour or after
// WALL_S seconds, whichever comes first. Budget (issue 15): ≤ 300 MB after an hour.
//
//   node tools/page-memory.mjs [www-dir] [--rate N] [--speed 100] [--wall 1800] [--every 15] [--dump]
//
// --dump: at the end, the renderer's biggest mappings (/proc/PID/smaps: the chromium
// binary's pages, the wasm memory, V8's heap) and a memory-infra dump (what
// chrome://tracing shows: malloc, PartitionAlloc, Blink's GC heap, Skia, the compositor).
// --alloc S: then S seconds of V8's sampling heap profiler while playing on, every
// allocation counted (those collected since too): where the JS heap's churn comes from
// (its young generation grows with it, and RSS with that).
// --ceiling MB [--nodes N]: instead, a world at the dataset ceiling: N nodes (N-1 of them
// replicas of m, synced), m holding MB/N MB in one key (SETRANGE), played --sim seconds
// (120) at --speed (1 or 100), then seeks back and forth: the wasm memory every 10
// simulated seconds, after each seek, and its peak (must stay under ~1.5 GB, no trap).
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
const DUMP = argv.includes('--dump');
const ALLOC_S = opt('alloc', 0);
// Extra Chromium switches, for experiments (e.g. --chromium-args "--js-flags=--max-semi-space-size=2").
const EXTRA = argv.includes('--chromium-args') ? argv[argv.indexOf('--chromium-args') + 1].split(' ').filter(Boolean) : [];
const HOUR_US = 3600e6;

const rssKb = (pid) => {
  try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]); } catch { return 0; }
};
const mb = (b) => (b / 1048576).toFixed(1);

/** JS allocations for `s` seconds of playing, by the three innermost frames, biggest first. */
async function allocations(cdp, page, s) {
  await page.evaluate(() => window.__replscope.setPlaying(true));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  const t0 = await page.evaluate(() => window.__replscope.world.nowUs);
  await page.waitForTimeout(s * 1000);
  const { profile } = await cdp.send('HeapProfiler.getSamplingProfile');
  const t1 = await page.evaluate(() => window.__replscope.world.nowUs);
  await cdp.send('HeapProfiler.stopSampling');
  const by = new Map();
  const walk = (n, stack) => {
    const f = n.callFrame;
    const at = [`${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`, ...stack];
    const key = at.slice(0, 3).join(' < ');
    by.set(key, (by.get(key) || 0) + n.selfSize);
    for (const c of n.children) walk(c, at);
  };
  walk(profile.head, []);
  const all = [...by.values()].reduce((a, b) => a + b, 0);
  console.log(`JS allocations in ${s} s (${((t1 - t0) / 1e6).toFixed(0)} simulated s): ${mb(all)} MB`);
  for (const [k, b] of [...by].sort((a, c) => c[1] - a[1]).slice(0, 12)) console.log(`${mb(b).padStart(8)} MB  ${k}`);
}

/** The biggest resident mappings of a process (/proc/PID/smaps), and the rest summed. */
function smaps(pid) {
  let text;
  try { text = fs.readFileSync(`/proc/${pid}/smaps`, 'utf8'); } catch { return '?'; }
  const maps = [];
  let cur = null;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) { cur = { name: head[3] || '[anon]', size: (parseInt(head[2], 16) - parseInt(head[1], 16)) / 1024, rss: 0 }; maps.push(cur); continue; }
    const m = /^Rss:\s+(\d+) kB/.exec(line);
    if (m && cur) cur.rss = Number(m[1]);
  }
  maps.sort((a, b) => b.rss - a.rss);
  const kb = (k) => `${(k / 1024).toFixed(1)} MB`;
  const top = maps.slice(0, 6).map((m) => `${m.name.replace(/^.*\//, '')} ${kb(m.rss)} of ${kb(m.size)}`);
  return `${top.join(', ')}; ${maps.length - 6} more ${kb(maps.slice(6).reduce((a, m) => a + m.rss, 0))}`;
}

/**
 * A memory-infra dump (Tracing.requestMemoryDump, detailed) of the renderers: each
 * allocator's top-level size, biggest first. The sizes are what each allocator holds
 * (not all of it resident), enough to tell where RSS beyond wasm and the JS heap goes.
 */
async function memoryDump(bcdp, pids) {
  const events = [];
  bcdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((resolve) => bcdp.once('Tracing.tracingComplete', resolve));
  await bcdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['disabled-by-default-memory-infra'], memoryDumpConfig: { triggers: [] } },
    transferMode: 'ReportEvents',
  });
  const r = await bcdp.send('Tracing.requestMemoryDump', { deterministic: true, levelOfDetail: 'detailed' });
  await bcdp.send('Tracing.end');
  await done;
  if (!r.success) { console.log('memory dump failed'); return; }
  for (const e of events) {
    if (e.ph !== 'v' || !pids.includes(e.pid) || !e.args?.dumps?.allocators) continue;
    const al = e.args.dumps.allocators;
    const size = (n) => parseInt(al[n]?.attrs?.size?.value || '0', 16);
    const top = Object.keys(al).filter((n) => !n.includes('/') && size(n) > 0).map((n) => [n, size(n)]).sort((a, b) => b[1] - a[1]);
    const extra = ['v8/main/heap', 'v8/main/malloc', 'v8/main/zone', 'partition_alloc/partitions/buffer', 'partition_alloc/partitions/array_buffer', 'partition_alloc/partitions/fast_malloc', 'blink_gc/main/heap']
      .filter((n) => size(n) > 0).map((n) => [n, size(n)]);
    console.log(`renderer ${e.pid}: ${[...top, ...extra].map(([n, b]) => `${n} ${mb(b)} MB`).join(', ')}`);
  }
}

/** The --ceiling road (see the header). */
async function ceilingRoad(total, nodes, simS) {
  const each = Math.floor(total / nodes);
  let text = 'node m\n';
  for (let i = 1; i < nodes; i++) text += `node r${i}\nr${i}> REPLICAOF m\n`;
  text += `m> SETRANGE k ${each * 1048576 - 100} x\n${nodes > 1 ? 'wait sync\n' : ''}`;
  const srv = await serve(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', ...EXTRA] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(srv.url);
    await page.waitForFunction(() => performance.getEntriesByName('replscope:interactive').length > 0, null, { timeout: 30000 });
    await page.evaluate(([t, v]) => {
      const r = window.__replscope;
      r.welcome(false); r.setPlaying(false);
      r.ui.open(t, null, 'Your scenario');
      r.world.slowmo = false; r.setSpeed(Math.log10(v)); r.setPlaying(true);
    }, [text, SPEED]);
    const read = () => page.evaluate(() => ({ t: window.__replscope.world.nowUs / 1e6, wasm: window.__replscope.world.wasmBytes() }));
    console.log(`${nodes} node(s), ${each} MB on m, ${SPEED}×`);
    let peak = 0, next = 0;
    const t0 = Date.now();
    while (!errors.length) {
      await page.waitForTimeout(250);
      const s = await read();
      peak = Math.max(peak, s.wasm);
      if (s.t >= next || s.t >= simS) { next = Math.floor(s.t / 10) * 10 + 10; console.log(`sim ${s.t.toFixed(1)} s  wall ${((Date.now() - t0) / 1000).toFixed(0)} s  wasm ${mb(s.wasm)} MB`); }
      if (s.t >= simS || Date.now() - t0 > WALL_S * 1000) break;
    }
    await page.evaluate(() => window.__replscope.setPlaying(false));
    const end = (await read()).t * 1e6;
    for (const us of [3e6, end / 2, 7e6, end, end / 4, end + 60e6]) {
      if (errors.length) break;
      const w0 = Date.now();
      await page.evaluate((x) => window.__replscope.ui.requestSeek(x), Math.round(us));
      await page.waitForFunction((x) => window.__replscope.world.nowUs === x, Math.round(us), { timeout: 10000 }).catch(() => {});
      const s = await read();
      peak = Math.max(peak, s.wasm);
      console.log(`seek ${(us / 1e6).toFixed(1)} s: at ${s.t.toFixed(1)} s, ${Date.now() - w0} ms, wasm ${mb(s.wasm)} MB`);
    }
    console.log(`peak wasm ${mb(peak)} MB; page errors: ${errors.length ? errors.join(' | ').slice(0, 600) : 'none'}`);
    if (errors.length) process.exitCode = 1;
  } finally {
    await browser.close();
    srv.close();
  }
}

if (argv.includes('--ceiling')) {
  await ceilingRoad(opt('ceiling', 256), opt('nodes', 1), opt('sim', 120));
  process.exit();
}

const srv = await serve(root);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...EXTRA],
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
  console.log('wall_s  sim_s    js_heap_MB (used/total)  wasm_MB  renderer_rss_MB (each renderer)  samples(page/core)  decisions  events  actions');
  const t0 = Date.now();
  let last;
  for (let first = true; ; first = false) {
    if (!first) await page.waitForTimeout(SAMPLE_S * 1000);
    const h = await cdp.send('Runtime.getHeapUsage');
    const s = await page.evaluate(() => {
      const w = window.__replscope.world;
      return { t: w.nowUs, wasm: w.wasmBytes(), samples: w.samples.length, coreSamples: w.pg.samples_len(), decisions: w.decisions.length, events: w.events.length, actions: w.pg.actions_len(), playing: w.playing };
    });
    const per = renderers.map((p) => rssKb(p) * 1024);
    const rss = Math.max(...per);   // the page's renderer is the biggest
    const wall = (Date.now() - t0) / 1000;
    last = { wall, ...s, heap: h.usedSize, rss };
    console.log(`${wall.toFixed(0).padStart(6)}  ${(s.t / 1e6).toFixed(0).padStart(6)}  ${`${mb(h.usedSize)}/${mb(h.totalSize)}`.padStart(23)}  ${mb(s.wasm).padStart(7)}  ${`${mb(rss)} (${per.map(mb).join('/')})`.padStart(15)}  ${`${s.samples}/${s.coreSamples}`.padStart(18)}  ${String(s.decisions).padStart(9)}  ${String(s.events).padStart(6)}  ${String(s.actions).padStart(7)}`);
    if (!s.playing) { console.log('stopped playing (page error?)'); break; }
    if (s.t >= HOUR_US || wall >= WALL_S) break;
  }
  const reached = (last.t / 1e6).toFixed(0);
  console.log(`all Chromium processes: ${all.reduce((a, p) => a + rssKb(p), 0) >> 10} MB RSS (${all.length} processes)`);
  console.log(`reached ${reached} simulated s in ${last.wall.toFixed(0)} s wall (${(last.t / 1e6 / last.wall).toFixed(1)}× real time); renderer RSS ${mb(last.rss)} MB, JS heap ${mb(last.heap)} MB, wasm ${mb(last.wasm)} MB (budget 300 MB after an hour)`);
  if (errors.length) console.log('page errors:', errors.slice(0, 5));
  if (DUMP) {
    for (const pid of renderers) console.log(`renderer ${pid} mappings: ${smaps(pid)}`);
    await memoryDump(bcdp, renderers);
  }
  if (ALLOC_S) await allocations(cdp, page, ALLOC_S);
} finally {
  await browser.close();
  await srv.close();
}
