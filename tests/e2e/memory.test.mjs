// The page's memory limits, as a reader meets them. The dataset ceiling: a statement that
// would take the simulated nodes past 256 MB of data is refused before it runs, with a
// message that says it is the simulator's limit, and the world stays as it was. History
// dropped under a long write load: seeking before it shows the earliest moment kept and
// says so, share links and session files refuse with a message (no script rebuilds the
// session any more), acting in the past offers no undo, and what is kept seeks exactly.
// (tools/page-memory.mjs measures the memory itself over a simulated hour.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuite, openPage, consoleLine, playUntil } from './harness.mjs';

const env = pageSuite();

const CEILING = /not run: the simulated nodes would hold over 256 MB of data, the page's ceiling \(a limit of replscope, not of Redis\); nothing changed/g;

test('five SETRANGE of 512 MB are refused by the dataset ceiling: nothing changes, nothing big is allocated, the console still answers', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const state = () => page.evaluate(() => {
    const pg = window.__replscope.world.pg;
    return { view: JSON.stringify(pg.view()), script: pg.script(), statements: pg.actions_len() };
  });
  const before = await state();
  for (let i = 1; i <= 5; i++) await consoleLine(page, `SETRANGE k${i} 536870911 x`);
  const out = await page.textContent('#con-out');
  assert.equal(out.match(CEILING)?.length, 5, out.slice(-600));
  assert.deepEqual(await state(), before, 'the world and its log are as before');
  const wasm = await page.evaluate(() => window.__replscope.world.wasmBytes());
  assert.ok(wasm < 64 << 20, `the simulator's memory stayed small: ${wasm} bytes`);
  await consoleLine(page, 'EXISTS k1');
  await page.waitForFunction(() => /EXISTS k1\s*\(integer\) 0/.test(document.getElementById('con-out').textContent));
  // Within the ceiling a SETRANGE runs as Redis runs it.
  await consoleLine(page, 'SETRANGE k1 1000 x');
  await page.waitForFunction(() => /\(integer\) 1001/.test(document.getElementById('con-out').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a world at the ceiling plays two simulated minutes at 100× and seeks, in bounded memory', async () => {
  // It once took a checkpoint (a copy of the world) every event: 4 GB, then a wasm trap.
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => {
    const r = window.__replscope;
    r.welcome(false);
    r.setPlaying(false);
    r.ui.open(`node m\nm> SETRANGE k ${250 << 20} x\n`, null, 'Your scenario');
    r.world.slowmo = false;
    r.setSpeed(2);
    r.setPlaying(true);
  });
  await page.waitForFunction(() => window.__replscope.world.nowUs >= 120e6, null, { timeout: 60000 });
  await page.evaluate(() => window.__replscope.setPlaying(false));
  const end = await page.evaluate(() => window.__replscope.world.nowUs);
  for (const us of [3e6, 60e6, end]) {
    await page.evaluate((x) => window.__replscope.ui.requestSeek(x), us);
    await page.waitForFunction((x) => window.__replscope.world.nowUs === x, us);
  }
  const wasm = await page.evaluate(() => window.__replscope.world.wasmBytes());
  assert.ok(wasm < 1536 << 20, `wasm memory ${wasm} bytes`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a long write load drops the oldest history: the earliest moment kept is shown and said, links and files refuse, no undo, what is kept seeks exactly', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  // 200-byte values on three nodes: about 0.7 MB of history a simulated second, so
  // the page's 12 MB of history is spent in well under a simulated minute.
  await page.evaluate(() => window.__replscope.world.startLoad('m', 1000, 200));
  await playUntil(page, () => { const w = window.__replscope.world; return w.keptFromUs > 0 && w.nowUs > w.keptFromUs + 8e6; });
  await page.evaluate(() => { window.__replscope.world.load = null; });
  const { from, end, dropped } = await page.evaluate(() => {
    const w = window.__replscope.world;
    return { from: w.keptFromUs, end: w.nowUs, dropped: /^# replscope: the first (\d+) statements/.exec(w.pg.script())?.[1] };
  });
  assert.ok(Number(dropped) > 1000, `the script says how many statements were forgotten (${dropped})`);

  // Before the window: the earliest moment kept, said once in the console.
  await page.evaluate(() => window.__replscope.ui.requestSeek(1e6));
  await page.waitForFunction((us) => window.__replscope.world.nowUs === us, from);
  assert.match(await page.textContent('#con-out'), /history before t = \d+\.\d{3} s was dropped to bound memory: the page shows the earliest moment it kept/);

  // Inside it: the same moment twice, through the end, is the same world.
  const t = from + 2_345_678;
  const at = async (us) => {
    await page.evaluate((x) => window.__replscope.ui.requestSeek(x), us);
    await page.waitForFunction((x) => window.__replscope.world.nowUs === x, us);
    return page.evaluate(() => JSON.stringify(window.__replscope.world.view));
  };
  const first = await at(t);
  const last = await at(end);
  assert.equal(await at(t), first);
  assert.ok(JSON.parse(first).nodes[0].master_repl_offset < JSON.parse(last).nodes[0].master_repl_offset);

  // Links and session files say why they cannot be made.
  await page.click('#export');
  await page.waitForSelector('#dlg[open] #copy-link');
  assert.match(await page.inputValue('#dlg textarea'), /^# replscope: the first \d+ statements \(before t = [\d.]+\w+\) were forgotten to bound memory/m);
  const refused = /history before t = \d+\.\d{3} s was dropped to bound memory, so no link or file can rebuild this session/;
  await page.click('#dlg #copy-link');
  await page.waitForFunction(() => /dropped to bound memory/.test(document.querySelector('#dlg [role=alert]').textContent));
  assert.match(await page.textContent('#dlg [role=alert]'), refused);
  await page.evaluate(() => { document.querySelector('#dlg [role=alert]').textContent = ''; });
  await page.click('#dlg #save-json');
  await page.waitForFunction(() => /dropped to bound memory/.test(document.querySelector('#dlg [role=alert]').textContent));
  assert.match(await page.textContent('#dlg [role=alert]'), refused);
  await page.keyboard.press('Escape');

  // A node's version change and Compare with the session's statements refuse too (the
  // script starts after the dropped part: replayed, it made an empty cluster).
  await page.click('#topo [data-node="m"]');
  await page.click('#tab-settings');
  await page.waitForSelector('#ver-node');
  await page.selectOption('#ver-node', 'redis-8.0');
  await page.waitForFunction(() => /m cannot be replayed with another version: history before t = \d+\.\d{3} s was dropped to bound memory/.test(document.getElementById('con-out').textContent));
  assert.equal(await page.evaluate(() => window.__replscope.world.view.nodes.length), 3);
  assert.equal(await page.evaluate(() => window.__replscope.world.node('m').version), 'redis-7.0');
  await page.click('#tab-compare');
  await page.check('#cmp-mine');
  await page.waitForFunction(() => /so this session’s statements cannot be replayed from its start/.test(document.querySelector('#compare').textContent));

  // Acting in the past replaces the future without an undo (nothing can rebuild it).
  await consoleLine(page, 'SET z 1');
  await page.click('.con-ask button:has-text("Replace")');
  await page.waitForFunction(() => /no undo: this session is too long to rebuild/.test(document.getElementById('con-out').textContent));
  assert.equal(await page.isVisible('.con-ask button:has-text("Undo")'), false);
  assert.deepEqual(errors, []);
  await page.close();
});
