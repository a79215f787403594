// Long replays in steps (www/js/replay.js): the Compare tab replays a session that covers
// hours of simulated time on two other versions. It ran in one go and froze the tab; it
// now runs in steps, the page drawing meanwhile, a progress line in the panel saying how
// far each version got (simulated time and statements), and Stop (or Esc) ends it with
// nothing changed. The worlds built in steps are byte for byte those built in one go:
// here their views, event logs, INFO and CONFIG fields and expects' verdicts are compared
// as JSON, for a scenario with a `wait 120m`, writes and a replica cut off meanwhile.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pageSuite, ARTIFACTS as ART, openPage, consoleLine } from './harness.mjs';

const env = pageSuite();

/** Three nodes, writes, r2 cut off during a long wait, reconnected, an expect after it. */
const scenario = (minutes) => `node m repl-backlog-size=1mb
node r1 replicaof=m
node r2 replicaof=m
wait sync
m> SET a 1
m> INCR n
wait 2s
disconnect m r2
m> SET b 2
wait ${minutes}m
reconnect m r2
m> SET c 3
wait 5s
expect r2> GET c => "3"
`;

async function ready(page, text) {
  await page.waitForFunction(() => window.__replscope.panels.topo.W > 100);
  await page.evaluate((t) => window.__replscope.ui.load(t, 7, 'Your scenario', ''), text);
}

/** Counts animation frames from now on (window.__frames), and the longest (ms). */
const watchFrames = (page) => page.evaluate(() => {
  window.__frames = { n: 0, max: 0 };
  let last = performance.now();
  const f = (t) => { if (!window.__frames) return; window.__frames.n++; window.__frames.max = Math.max(window.__frames.max, t - last); last = t; if (window.__frames) requestAnimationFrame(f); };
  requestAnimationFrame(f);
});

const done = () => { const c = window.__replscope.lazy.compare; return !!(c && !c.job && c.res && c.res.A); };

test('Compare replays a 2-hour session in steps: a progress line, the page drawing, and exactly the one-go result', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await ready(page, scenario(120));
  const session = await page.evaluate(() => ({ t: window.__replscope.world.nowUs, script: window.__replscope.world.pg.script() }));
  await watchFrames(page);
  await page.click('#tab-compare');
  // The progress line: the version running, simulated time reached of the total, statements.
  await page.waitForFunction(() => /^Comparing: Redis 7\.0\.\d+ \(1 of 2\) has run to t = [\d.]+ s of 72\d\d\.\d{3} s, \d+ of its 15 statements\.\s*Stop$/.test(document.getElementById('cmp-progress')?.textContent || ''), null, { polling: 'raf' });
  await page.screenshot({ path: path.join(ART, 'replay-compare-progress.png') });
  await page.waitForFunction(() => /of 2\) has run to t = [1-9]\d{3}\./.test(document.getElementById('cmp-progress')?.textContent || ''), null, { polling: 'raf', timeout: 60000 });
  await page.waitForFunction(done, null, { timeout: 60000 });
  const frames = await page.evaluate(() => { const f = window.__frames; window.__frames = null; return f; });
  // The page drew while both versions replayed their 2 hours (in one go: a frame or two).
  assert.ok(frames.n >= 8, `frames drawn during the replay: ${JSON.stringify(frames)}`);
  await page.waitForSelector('#cmp-sum');
  // The same comparison in one go (the code path of a short session): the same JSON.
  const r = await page.evaluate(() => {
    const c = window.__replscope.lazy.compare, w = window.__replscope.world;
    const json = (res) => JSON.stringify({ ...res, lines: undefined });
    const sliced = json(c.res), at = c.res.at;
    c.runGo(c.source(w).text, w.seed, at);
    return { sliced, one: json(c.res), events: c.res.A.events.length, expects: c.res.B.expects };
  });
  assert.ok(r.events > 1000, `events compared: ${r.events}`);
  assert.deepEqual(r.expects.map((x) => [x.line, x.passed]), [[15, true]]);
  assert.equal(r.sliced.length, r.one.length);
  assert.ok(r.sliced === r.one, 'the comparison built in steps is the one built in one go');
  // The session itself did not move.
  assert.deepEqual(await page.evaluate(() => ({ t: window.__replscope.world.nowUs, script: window.__replscope.world.pg.script() })), session);
  // With the statements typed since (a `wait 30m` typed in the console: the session's script
  // says `wait 30m` after the scenario's lines), in steps again, and again the one-go result.
  await consoleLine(page, 'wait 30m');
  await page.waitForFunction(() => window.__replscope.world.nowUs > 9000e6 && !document.querySelector('#con-out button'), null, { timeout: 60000 });
  // (Clicked in the page: the panel shows the progress line at once, and page.check would
  // wait for the box to show as ticked, which it does again only when the comparison is over.)
  await page.evaluate(() => document.getElementById('cmp-mine').click());
  await page.waitForFunction(() => /^Comparing: .* of 90\d\d\.\d{3} s, \d+ of its 16 statements\./.test(document.getElementById('cmp-progress')?.textContent || ''), null, { polling: 'raf' });
  await page.waitForFunction(done, null, { timeout: 60000 });
  const m = await page.evaluate(() => {
    const c = window.__replscope.lazy.compare, w = window.__replscope.world;
    const json = (res) => JSON.stringify({ ...res, lines: undefined });
    const sliced = json(c.res);
    c.runGo(c.source(w).text, w.seed, c.res.at);
    return { sliced, one: json(c.res), mine: c.res.mine, script: c.source(w).text };
  });
  assert.match(m.script, /\nwait 30m\n$/);
  assert.ok(m.mine && m.sliced === m.one, 'with the session’s statements: the one-go result too');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Stop and Esc end a long comparison with nothing changed, and say so (EN, 中文)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await ready(page, scenario(900));
  await page.click('#tab-compare');
  // Stopped before any comparison of this session: none shown, until asked again.
  await page.waitForSelector('#cmp-stop');
  await page.click('#cmp-stop');
  await page.waitForFunction(() => /^Stopped: Redis 7\.0\.\d+ had run to t = [\d.]+ s of 54\d\d\d\.\d{3} s\. Nothing was compared; “Compare again” runs it\.$/.test(document.getElementById('cmp-note')?.textContent || ''));
  assert.equal(await page.evaluate(() => { const c = window.__replscope.lazy.compare; return [c.job, c.res]; }).then(JSON.stringify), '[null,null]');
  assert.match(await page.textContent('#con-out'), /Stopped: Redis 7\.0\.\d+ had run to t = [\d.]+ s/);
  await page.waitForTimeout(300);
  assert.equal(await page.$('#cmp-progress'), null, 'not run again by itself');
  // Asked again: it runs to its end.
  await page.click('#cmp-again');
  await page.waitForFunction(done, null, { timeout: 90000 });
  await page.waitForSelector('#cmp-sum');
  const before = await page.evaluate(() => { const c = window.__replscope.lazy.compare; return { res: JSON.stringify({ ...c.res, lines: undefined }), key: c.key, a: c.a, b: c.b }; });
  const session = await page.evaluate(() => ({ t: window.__replscope.world.nowUs, script: window.__replscope.world.pg.script() }));
  // Another second version, in 中文: Esc stops it; the comparison before comes back, with its versions.
  await page.evaluate(() => window.__replscope.setLang('zh'));
  await page.selectOption('#compare select >> nth=1', 'redis-8.0');
  await page.waitForFunction(() => /^正在对比：Redis 7\.0\.\d+（第 1 个，共 2 个）已运行到 t = [\d.]+ 秒（共 54\d\d\d\.\d{3} 秒），执行了 15 条语句中的 \d+ 条。\s*停止$/.test(document.getElementById('cmp-progress')?.textContent || ''), null, { polling: 'raf' });
  await page.waitForFunction(() => /已运行到 t = [1-9]\d{3}\./.test(document.getElementById('cmp-progress')?.textContent || ''), null, { polling: 'raf', timeout: 60000 });
  await page.screenshot({ path: path.join(ART, 'replay-compare-progress-zh.png') });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => /^已停止：Redis 7\.0\.\d+ 运行到了 t = [\d.]+ 秒（共 54\d\d\d\.\d{3} 秒）。没有做任何对比；这里显示的仍是之前的对比结果。$/.test(document.getElementById('cmp-note')?.textContent || ''));
  await page.waitForSelector('#cmp-sum');
  await page.screenshot({ path: path.join(ART, 'replay-compare-stopped-zh.png') });
  const after = await page.evaluate(() => { const c = window.__replscope.lazy.compare; return { res: JSON.stringify({ ...c.res, lines: undefined }), key: c.key, a: c.a, b: c.b }; });
  assert.deepEqual(after, before);
  assert.equal(await page.evaluate(() => document.querySelectorAll('#compare select')[1].value), 'valkey-8.1');
  assert.deepEqual(await page.evaluate(() => ({ t: window.__replscope.world.nowUs, script: window.__replscope.world.pg.script() })), session);
  assert.equal(await page.evaluate(() => window.__replscope.ui.stopReplay ?? null), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('replay.js: a world built in steps is the world built in one go (view, event log, decisions, samples, INFO, CONFIG, expects), blocking commands and late declarations included; a text that cannot run falls back to one go', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.waitForFunction(() => window.__replscope.panels.topo.W > 100);
  const r = await page.evaluate(async (text) => {
    const R = await import('./js/replay.js');
    const { Playground } = await import('./pkg/replscope.js');
    const dump = (pg, expects) => JSON.stringify({
      view: pg.view(), events: pg.events_since(0, 1e6), decisions: pg.decisions(), samples: pg.samples(), expects,
      nodes: pg.view().nodes.map((n) => [pg.info(n.name), pg.config(n.name)]),
    });
    const one = new Playground(text, 11), a = dump(one, one.loaded().expectations);
    one.free();
    const bd = new R.Build(text, 11);
    let steps = 1;
    while (!bd.step()) steps++;
    const b = dump(bd.pg, bd.expects);
    const done = [bd.done, bd.statements];
    bd.free();
    // Built in steps and compared with one go; 'one go' when the steps gave up (Fallback).
    const how = (t) => {
      let x;
      try { x = new R.Build(t, 3); while (!x.step()); } catch (e) { return e instanceof R.Fallback ? 'one go' : String(e); }
      const o = new Playground(t, 3), same = dump(o, o.loaded().expectations) === dump(x.pg, x.expects);
      o.free();
      x.free();
      return same ? 'steps, the same' : 'steps, not the same';
    };
    return {
      same: a === b, len: a.length, steps, done,
      blocks: how('node m\nnode r1 replicaof=m\nwait sync\nwait 2m\ndisconnect m r1\nm> SET z 1\nm> WAIT 1 500\nwait 20s\n'),
      seed: how('wait 2m\nseed 5\nnode m\n'),
      later: how('node m\nwait 2m\nnode r1 replicaof=m2\nnode m2\nwait 5s\n'),
      fails: how('node m\nwait 2m\nm> SET k v\nwait 10081m\n'),
    };
  }, `${scenario(180)}disconnect m r1\nwait 45s\nm> SET d 4\nwait 3m\nreconnect m r1\nwait 5s\nexpect r1> GET d => "4"\n`);
  assert.ok(r.len > 100000, `dump: ${r.len} characters`);
  assert.ok(r.steps > 20, `built in ${r.steps} steps`);
  assert.deepEqual(r.done, [21, 21]);
  assert.ok(r.same, 'the world built in steps is the world built in one go');
  assert.deepEqual([r.blocks, r.seed, r.later, r.fails], ['steps, the same', 'steps, the same', 'steps, the same', 'one go']);
  assert.deepEqual(errors, []);
  await page.close();
});
