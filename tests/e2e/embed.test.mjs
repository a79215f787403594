// Embed mode: the page inside an <iframe> on a blog post served from another origin
// (another port), under the page's own Content-Security-Policy as a header that allows
// that host to frame it. The host page (tests/e2e/host/) sizes the frame from the
// reported height, as docs/embedding.md tells hosts to; the tests drive the
// postMessage API from the host and read what the frame sends back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { serve, launch, guard, META_CSP, PAGE_SCRIPTS, ARTIFACTS as ART } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

let srv, host, browser;
before(async () => {
  host = await serve(path.join(HERE, 'host'));
  srv = await serve(undefined, { csp: `${META_CSP}; frame-ancestors ${host.url.replace(/\/$/, '')}` });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.close();
  await host?.close();
});

/** A host page with one replscope iframe; resolves when the frame said it is ready. */
async function embed(src, { width = 1000 } = {}) {
  const page = await browser.ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.location().url)) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width, height: 900 });
  await page.addInitScript(guard);
  await page.goto(host.url);
  await page.evaluate((s) => {
    const f = document.createElement('iframe');
    f.src = s;
    // As docs/embedding.md's snippet has it.
    f.title = 'replscope';
    f.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox');
    f.setAttribute('loading', 'lazy');
    f.style.cssText = 'width:100%;border:0;display:block';
    document.getElementById('slot').append(f);
  }, src);
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:ready'), null, { timeout: 20000 });
  const frame = page.frames().find((f) => f.url().startsWith(srv.url));
  return { page, frame, errors };
}

const messages = (page, type) => page.evaluate((t) => window.messages.filter((m) => m.data.type === t).map((m) => m.data), type);
const send = (page, msg) => page.evaluate((m) => document.querySelector('iframe').contentWindow.postMessage(m, '*'), msg);
const lastTime = async (page) => (await messages(page, 'replscope:time')).at(-1)?.ms;

test('embedded: reports ready and its height, and the host sizes the frame to it', async () => {
  const { page, frame, errors } = await embed(`${srv.url}?embed=1#lesson=partial-resync`);
  const ready = (await messages(page, 'replscope:ready'))[0];
  assert.equal(ready.version, 1);
  assert.ok(ready.ms > 0);
  const heights = await messages(page, 'replscope:height');
  assert.ok(heights.length >= 1);
  const h = heights.at(-1).height;
  await page.waitForFunction((h) => document.querySelector('iframe').getBoundingClientRect().height === h, h);
  // All of it shows: nothing scrolls inside the frame.
  assert.ok(await frame.evaluate(() => document.scrollingElement.scrollHeight <= innerHeight + 1));
  // The compact layout: the topology, the decision, the timeline and the time bar; the
  // stream, the events and the console as tabs beside the decision; locked.
  for (const sel of ['#topo', '#decision', '#scrub', '#play', '#clock', '#lesson-bar', '.etabs']) assert.ok(await frame.isVisible(sel), sel);
  for (const sel of ['#rulers', '.console', '.tabs', '#actions', '#lesson', '#lessons-btn', '#export', '#lang', '.speed']) assert.equal(await frame.isVisible(sel), false, sel);
  await frame.click('#etab-ruler');
  assert.ok(await frame.isVisible('#rulers'));
  assert.equal(await frame.isVisible('#decision'), false);
  await frame.click('#etab-console');
  assert.ok(await frame.isVisible('#con-out'));
  assert.equal(await frame.isVisible('#con-line'), false, 'locked: the console is read-only');
  await frame.press('#etab-console', 'ArrowRight');
  assert.equal(await frame.getAttribute('#etab-decision', 'aria-selected'), 'true', 'the arrow keys go round the tabs');
  // The lesson plays in the frame; the height it asks for does not move.
  await frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  await frame.click('#lesson-bar .primary');
  await frame.waitForFunction(() => !window.__replscope.world.playing);
  await page.screenshot({ path: path.join(ART, 'embed-lesson.png'), fullPage: true });
  assert.deepEqual((await messages(page, 'replscope:height')).map((m) => m.height), [h], 'one height while the lesson plays');
  // A phone-width post: the narrow layout asks for another height, and the host follows.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.waitForFunction((h) => { const m = window.messages.filter((x) => x.data.type === 'replscope:height').at(-1); return m.data.height !== h && document.querySelector('iframe').getBoundingClientRect().height === m.data.height; }, h);
  assert.ok(await frame.evaluate(() => document.scrollingElement.scrollHeight <= innerHeight + 1));
  await page.screenshot({ path: path.join(ART, 'embed-phone.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded: play, pause, seek and load from the host; time and decisions come back', async () => {
  const { page, frame, errors } = await embed(`${srv.url}?embed=1&caption=${encodeURIComponent('Watch r1 catch up')}`);
  assert.equal(await frame.textContent('#caption'), 'Watch r1 catch up');
  await frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(1); });
  const t0 = await frame.evaluate(() => window.__replscope.world.nowUs / 1000);
  await send(page, { type: 'replscope:play' });
  await page.waitForFunction((t0) => { const m = window.messages.filter((x) => x.data.type === 'replscope:time'); return m.length > 3 && m.at(-1).data.ms > t0 + 300; }, t0);
  assert.equal(await frame.evaluate(() => window.__replscope.world.playing), true);
  // Throttled: at most about four a second.
  const times = await page.evaluate(() => window.messages.filter((x) => x.data.type === 'replscope:time').length);
  await send(page, { type: 'replscope:pause' });
  await frame.waitForFunction(() => !window.__replscope.world.playing);
  await page.waitForTimeout(300);
  const paused = await lastTime(page);
  assert.equal(paused, await frame.evaluate(() => window.__replscope.world.nowUs / 1000));
  await page.waitForTimeout(600);
  assert.equal(await lastTime(page), paused, 'no time passes while paused');
  assert.ok(times < 40, `time messages are throttled (${times})`);
  // Seek back to 1.5 s: the world shows that moment, and says so.
  await send(page, { type: 'replscope:seek', ms: 1500 });
  await page.waitForFunction(() => window.messages.filter((x) => x.data.type === 'replscope:time').at(-1).data.ms === 1500);
  assert.equal(await frame.evaluate(() => window.__replscope.world.nowUs), 1500000);
  assert.match(await frame.textContent('#clock'), /t = 1\.500 s/);
  // Load a scenario of the host's, with a caption; then a decision is reported as it happens.
  await send(page, { type: 'replscope:load', scenario: 'node m repl-diskless-sync-delay=0\nnode r1 replicaof=m\nwait sync\nm> SET a 1\ndisconnect m r1\nm> SET b 2\n', seed: 5, caption: 'A short disconnect' });
  await frame.waitForFunction(() => window.__replscope.world.view.nodes.length === 2);
  assert.equal(await frame.textContent('#caption'), 'A short disconnect');
  assert.equal(await frame.textContent('#seed-v'), '5');
  const before = (await messages(page, 'replscope:decision')).length;
  await frame.evaluate(() => window.__replscope.world.apply('reconnect m r1'));
  await send(page, { type: 'replscope:play' });
  await page.waitForFunction((n) => window.messages.filter((x) => x.data.type === 'replscope:decision').length > n, before, { timeout: 20000 });
  const d = (await messages(page, 'replscope:decision')).at(-1).decision;
  assert.equal(d.node, 'm');
  assert.equal(d.decision.verdict.verdict, 'continue');
  assert.equal(d.decision.asked_offset + d.decision.verdict.bytes - 1, d.decision.master.master_repl_offset, 'the missed bytes, up to the newest');
  await send(page, { type: 'replscope:pause' });
  assert.deepEqual(await messages(page, 'replscope:error'), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// A post that shows what its scenario decided (tests/e2e/host/decisions.html, docs/
// embedding.md's example). The decisions a scenario makes as it opens (it runs to its end,
// or to a #z= link's moment) were in the frame's panel but never reached the host: they are
// in replscope:ready's `decisions`, and a replscope:decisions request returns them at any
// moment (after a seek or a load). replscope:decision keeps its meaning: none is sent for them.
test('embedded: the decisions a scenario made while it opened come with ready, and on request (a post lists them)', async () => {
  const page = await browser.ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const open = async (src) => {
    await page.goto(`${host.url}decisions.html?src=${encodeURIComponent(src)}`);
    await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:ready'), null, { timeout: 20000 });
    return page.frames().find((f) => f.url().startsWith(srv.url));
  };
  const listed = () => page.$$eval('#decisions li', (li) => li.map((x) => x.textContent));
  const world = (frame) => frame.evaluate(() => { const w = window.__replscope.world; return Array.from({ length: w.decPast }, (_, i) => w.dec(i)); });
  // A starting scenario: two replicas' full syncs, then r1 cut off and reconnecting.
  let frame = await open(`${srv.url}?embed=1#scenario=partial`);
  const ready = (await messages(page, 'replscope:ready'))[0];
  assert.equal(ready.version, 1);
  assert.ok(Array.isArray(ready.decisions) && ready.decisions.length >= 2, JSON.stringify(ready).slice(0, 200));
  assert.deepEqual(ready.decisions, await world(frame), 'the records the frame’s panel shows, oldest first');
  assert.ok(ready.decisions.every((d, i) => d.t_us <= ready.ms * 1000 && (i === 0 || d.t_us >= ready.decisions[i - 1].t_us)));
  await page.waitForFunction((n) => document.querySelectorAll('#decisions li').length === n, ready.decisions.length);
  assert.match((await listed())[0], /^1\.0\d\d s: r\d:6379 → full_resync$/);
  assert.deepEqual(await messages(page, 'replscope:decision'), [], 'replscope:decision is still only for decisions as time passes them');
  // Seek before them: none made yet.
  await send(page, { type: 'replscope:seek', ms: 0 });
  await send(page, { type: 'replscope:decisions' });
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:decisions'));
  assert.deepEqual(await messages(page, 'replscope:decisions'), [{ type: 'replscope:decisions', ms: 0, decisions: [] }]);
  assert.deepEqual(await listed(), []);
  // A scenario the host loads: asked right after the load, the answer is its decisions
  // (messages are handled in order, a load before the next).
  const script = 'node m\nnode r1 replicaof=m\nwait sync\nm> SET k v\ndisconnect m r1\nwait 2s\nreconnect m r1\nwait sync\n';
  await send(page, { type: 'replscope:load', scenario: script, seed: 1 });
  await send(page, { type: 'replscope:decisions' });
  await page.waitForFunction(() => window.messages.filter((m) => m.data.type === 'replscope:decisions').length === 2);
  const after = (await messages(page, 'replscope:decisions'))[1];
  assert.deepEqual(after.decisions.map((d) => d.decision.verdict.verdict), ['full_resync', 'continue']);
  assert.equal(after.ms, await frame.evaluate(() => window.__replscope.world.nowUs / 1000));
  // The post's own button asks too.
  await page.click('#ask');
  await page.waitForFunction(() => window.messages.filter((m) => m.data.type === 'replscope:decisions').length === 3);
  assert.deepEqual((await listed()).map((t) => t.replace(/^[\d.]+ s: /, '')), ['r1:6379 → full_resync', 'r1:6379 → continue']);
  // A field it does not know: refused, as every command's.
  await send(page, { type: 'replscope:decisions', since: 3 });
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:error'));
  assert.match((await messages(page, 'replscope:error'))[0].message, /unknown field "since" in decisions/);
  // A #z= link shared after rewinding: ready has what was decided up to its moment only.
  const z = zlib.deflateRawSync(Buffer.from(JSON.stringify({ v: 1, seed: 1, script, t_us: 1500000 }))).toString('base64url');
  frame = await open(`${srv.url}?embed=1#z=${z}`);
  const r2 = (await messages(page, 'replscope:ready'))[0];
  assert.equal(r2.ms, 1500);
  assert.deepEqual(r2.decisions.map((d) => d.decision.verdict.verdict), ['full_resync']);
  assert.deepEqual(errors, []);
  await page.close();
});

// A link of a simulated minute or more opens in steps (opening.js), the default scenario
// shown meanwhile. A post at 600×400 (its iframe 584 px wide, 600 px high as the snippet
// has it) heard the default scenario's time and its decisions for r1 and r2 (r2 is not in
// the author's scenario) before ready, and kept the 502 px it asked for first (stacked),
// which is a short frame, side by side, that wants 472.
const STEPPED = 'node m\nnode r1 replicaof=m\nwait sync\nm> SET a 1\nwait 20m\n';
async function postAt600(src, beforeReady) {
  const page = await browser.ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width: 600, height: 400 });
  await page.goto(host.url);
  await page.evaluate((s) => {
    const f = document.createElement('iframe');
    f.src = s;
    f.title = 'replscope';
    f.width = '100%';
    f.height = '600';
    f.style.cssText = 'border:0;max-width:100%;display:block';
    f.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox');
    document.getElementById('slot').append(f);
  }, src);
  let frame;
  while (!(frame = page.frames().find((f) => f.url().startsWith(srv.url)))) await page.waitForTimeout(20);
  if (beforeReady) await beforeReady(page, frame);
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:ready'), null, { timeout: 30000 });
  return { page, frame, errors };
}

test('embedded: a link that opens in steps sends ready first, nothing from the scenario shown meanwhile; what the host sent before is answered for the link\'s world', async () => {
  let sentBeforeReady = false;
  const { page, frame, errors } = await postAt600(`${srv.url}?embed=1#s=${Buffer.from(STEPPED).toString('base64url')}`, async (page, frame) => {
    // While it opens (the embed is listening, the default scenario is shown): a request.
    await frame.waitForSelector('#loading', { timeout: 20000 });
    sentBeforeReady = await page.evaluate(() => {
      document.querySelector('iframe').contentWindow.postMessage({ type: 'replscope:decisions' }, '*');
      return !window.messages.some((m) => m.data.type === 'replscope:ready');
    });
  });
  assert.ok(sentBeforeReady, 'the request went before ready');
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:decisions'));
  await page.waitForTimeout(500);
  const all = await page.evaluate(() => window.messages.map((m) => m.data));
  assert.deepEqual(all.slice(0, 2).map((m) => m.type), ['replscope:ready', 'replscope:height'], `ready first: ${all.map((m) => m.type).join(', ')}`);
  const ready = all[0];
  assert.equal(ready.ms, await frame.evaluate(() => window.__replscope.world.extentUs / 1000));
  assert.ok(ready.ms >= 20 * 60e3, `the link's world, at its end (${ready.ms} ms)`);
  assert.deepEqual(ready.decisions.map((d) => `${d.decision.replica} ${d.decision.verdict.verdict}`), ['r1:6379 full_resync']);
  assert.deepEqual(all.filter((m) => m.type === 'replscope:decision'), [], 'no decision sent one by one: not the default scenario\'s, not those the link made as it opened');
  assert.ok(!JSON.stringify(all).includes('r2:6379'), 'nothing from r2, which only the default scenario has');
  const answer = all.filter((m) => m.type === 'replscope:decisions');
  assert.deepEqual(answer, [{ type: 'replscope:decisions', ms: ready.ms, decisions: ready.decisions }], 'the request sent before ready is answered after it, for the link\'s world');
  assert.ok(all.findIndex((m) => m.type === 'replscope:decisions') > 0);
  assert.ok(all.filter((m) => m.type === 'replscope:time').every((m) => m.ms === ready.ms), 'no time but the link world\'s');
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded: a link that opens in steps, in a 600×400 post, reports its final height too (502 stacked, then 472 side by side)', async () => {
  for (const s of [STEPPED, 'node m\nnode r1 replicaof=m\nwait sync\n']) {
    const { page, frame, errors } = await postAt600(`${srv.url}?embed=1#s=${Buffer.from(s).toString('base64url')}`);
    await page.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height === 472, null, { timeout: 5000 }).catch(() => {});
    await page.waitForTimeout(300);
    const heights = (await messages(page, 'replscope:height')).map((m) => m.height);
    const what = `${s.includes('20m') ? 'in steps' : 'in one go'}: ${heights.join(' → ')}`;
    assert.deepEqual(heights, [502, 472], what);
    assert.equal(await page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height), 472, what);
    // Side by side, and all of it in the frame.
    const r = await frame.evaluate(() => ({ topo: document.getElementById('topo').getBoundingClientRect().right, slot: document.querySelector('.etabs').getBoundingClientRect().left, h: innerHeight, scrolls: document.scrollingElement.scrollHeight > innerHeight + 1 }));
    assert.ok(r.topo <= r.slot && r.h === 472 && !r.scrolls, `${what}: ${JSON.stringify(r)}`);
    await page.screenshot({ path: path.join(ART, `embed-600x400-${s.includes('20m') ? 'stepped' : 'short'}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('embedded: a seek sends no replscope:decision (it pauses); playing over the same history does', async () => {
  const script = 'node m\nnode r1 replicaof=m\nwait sync\nm> SET k v\ndisconnect m r1\nwait 2s\nreconnect m r1\nwait sync\n';
  const { page, frame, errors } = await embed(`${srv.url}?embed=1#s=${Buffer.from(script).toString('base64url')}`);
  const end = await frame.evaluate(() => window.__replscope.world.extentUs / 1000);
  await send(page, { type: 'replscope:seek', ms: 1000 });
  await page.waitForFunction(() => window.messages.filter((x) => x.data.type === 'replscope:time').at(-1)?.data.ms === 1000);
  // Forward past the partial resync (about 3 s), then back before both decisions and forward again.
  for (const ms of [999999, 0, 999999]) {
    await send(page, { type: 'replscope:seek', ms });
    await page.waitForFunction((t) => window.messages.filter((x) => x.data.type === 'replscope:time').at(-1)?.data.ms === t, ms === 0 ? 0 : end);
  }
  await page.waitForTimeout(400);
  assert.deepEqual(await messages(page, 'replscope:decision'), [], 'a seek jumps over decisions: none is sent');
  assert.equal(await frame.evaluate(() => window.__replscope.world.playing), false);
  // Played from 1 s, the frame passes the partial resync: that one is sent.
  await send(page, { type: 'replscope:seek', ms: 1000 });
  await frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  await send(page, { type: 'replscope:play' });
  await page.waitForFunction(() => window.messages.some((x) => x.data.type === 'replscope:decision'), null, { timeout: 15000 });
  await send(page, { type: 'replscope:pause' });
  assert.deepEqual((await messages(page, 'replscope:decision')).map((m) => m.decision.decision.verdict.verdict), ['continue']);
  assert.deepEqual(errors, []);
  await page.close();
});

// docs/embedding.md: a `time` after every seek, and a seek past what the run has reached
// shows its end. A second seek past the end sent nothing (the time had not changed), and
// any ms over 1e10 was an error (tester29 m5).
test('embedded: every seek (and pause) is answered with a time, even one that does not move it; any ms ≥ 0 past the end shows the end', async () => {
  const script = 'node m\nnode r1 replicaof=m\nwait sync\nm> SET k v\nwait 1s\n';
  const { page, frame, errors } = await embed(`${srv.url}?embed=1#s=${Buffer.from(script).toString('base64url')}`);
  const end = await frame.evaluate(() => window.__replscope.world.extentUs / 1000);
  const times = async () => (await messages(page, 'replscope:time')).map((m) => m.ms);
  /** Seek, and wait for its answer: the next `time` message. */
  const seek = async (ms) => {
    const n = (await times()).length;
    await send(page, { type: 'replscope:seek', ms });
    await page.waitForFunction((n) => window.messages.filter((x) => x.data.type === 'replscope:time').length > n, n, { timeout: 5000 });
    return (await times()).slice(n);
  };
  assert.deepEqual(await seek(100), [100]);
  assert.deepEqual(await seek(100), [100], 'a seek to the moment shown is answered');
  assert.deepEqual(await seek(1e9), [end]);
  assert.deepEqual(await seek(1e9), [end], 'a second seek past the end is answered');
  assert.deepEqual(await seek(1e11), [end], 'over 1e10: the end, no error');
  assert.deepEqual(await seek(Number.MAX_VALUE), [end]);
  assert.deepEqual(await seek(Infinity), [end]);
  assert.deepEqual(await seek(0), [0]);
  // A pause is answered too, paused already or not.
  for (let i = 0; i < 2; i++) {
    const n = (await times()).length;
    await send(page, { type: 'replscope:pause' });
    await page.waitForFunction((n) => window.messages.filter((x) => x.data.type === 'replscope:time').length > n, n, { timeout: 5000 });
    assert.deepEqual((await times()).slice(n), [0]);
  }
  // Two seeks sent together (one frame may apply both, the last winning): a time for each.
  const n = (await times()).length;
  await page.evaluate(() => { const w = document.querySelector('iframe').contentWindow; w.postMessage({ type: 'replscope:seek', ms: 50 }, '*'); w.postMessage({ type: 'replscope:seek', ms: 1e12 }, '*'); });
  await page.waitForFunction((n) => window.messages.filter((x) => x.data.type === 'replscope:time').length >= n + 2, n);
  await page.waitForTimeout(300);
  const two = (await times()).slice(n);
  assert.equal(two.length, 2, `${two}`);
  assert.equal(two.at(-1), end);
  assert.equal(await frame.evaluate(() => window.__replscope.world.nowUs / 1000), end);
  assert.deepEqual(await messages(page, 'replscope:error'), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded: bad commands are answered with an error, unknown ones ignored, strangers not heard', async () => {
  const { page, frame, errors } = await embed(`${srv.url}?embed=1`);
  const view = () => frame.evaluate(() => JSON.stringify(window.__replscope.world.view));
  const v0 = await view();
  const bad = [
    [{ type: 'replscope:seek', ms: 'soon' }, /seek: the field "ms" must be number/],
    [{ type: 'replscope:seek', ms: -5 }, /seek: ms must be a time ≥ 0 \(ms\)/],
    [{ type: 'replscope:seek', ms: NaN }, /seek: ms must be a time ≥ 0 \(ms\)/],
    [{ type: 'replscope:seek', ms: -Infinity }, /seek: ms must be a time ≥ 0 \(ms\)/],
    [{ type: 'replscope:seek', ms: 10, extra: 1 }, /unknown field "extra" in seek/],
    [{ type: 'replscope:load' }, /load lacks the field "scenario"/],
    [{ type: 'replscope:load', scenario: 42 }, /the field "scenario" must be text/],
    [{ type: 'replscope:load', scenario: 'node m', seed: -1 }, /the field "seed" must be a whole number ≥ 0/],
    [{ type: 'replscope:load', scenario: 'node m', caption: 'x'.repeat(301) }, /caption is longer than 300 characters/],
    [{ type: 'replscope:load', scenario: 'x'.repeat(10 * 1024 * 1024) }, /the scenario is longer than 1024 KB/],
    [{ type: 'replscope:load', scenario: 'node m\nwait 99999m\n' }, /may run 1666\.7 hours of simulated time \(at most 12\)/],
    [{ type: 'replscope:load', scenario: 'node <img src=x onerror=alert(1)>' }, /bad node name '<img'/],
    [{ type: 'replscope:play', now: true }, /unknown field "now" in play/],
  ];
  for (const [msg, re] of bad) {
    const n = (await messages(page, 'replscope:error')).length;
    await send(page, msg);
    await page.waitForFunction((n) => window.messages.filter((x) => x.data.type === 'replscope:error').length > n, n);
    assert.match((await messages(page, 'replscope:error')).at(-1).message, re);
  }
  // Ignored: unknown types, non-objects, and anything not from the parent window.
  const errs = (await messages(page, 'replscope:error')).length;
  for (const msg of [{ type: 'replscope:explode' }, 'replscope:play', null, [1, 2], { type: 7 }, { nottype: 'replscope:play' }]) await send(page, msg);
  await frame.evaluate(() => window.postMessage({ type: 'replscope:load', scenario: 'node evil' }, '*'));
  await frame.evaluate(() => { const f = document.createElement('iframe'); f.src = 'about:blank'; f.hidden = true; document.body.append(f); f.contentWindow.parent.postMessage({ type: 'replscope:load', scenario: 'node evil2' }, '*'); f.remove(); });
  await page.waitForTimeout(400);
  assert.equal((await messages(page, 'replscope:error')).length, errs);
  assert.equal(await view(), v0, 'nothing changed');
  // Locked: the fault keys do nothing either.
  await frame.click('#topo [data-link="m|r1"]');
  await frame.press('body', 'd');
  assert.equal(await frame.evaluate(() => window.__replscope.world.view.links.find((l) => l.b === 'r1').state), 'up');
  const r = await frame.evaluate(() => ({ alerts: window.__alerts, violations: window.__violations, added: window.__scripts, scripts: [...document.scripts].map((s) => s.getAttribute('src')), imgs: document.querySelectorAll('img, iframe').length }));
  assert.deepEqual(r, { alerts: [], violations: [], added: [], scripts: PAGE_SCRIPTS, imgs: 0 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded and editable (edit=1): the console (Enter works in the snippet’s sandbox) and the fault buttons are there', async () => {
  const { page, frame, errors } = await embed(`${srv.url}?embed=1&edit=1`);
  await frame.click('#etab-console');
  assert.ok(await frame.isVisible('.console'));
  assert.ok(await frame.isVisible('#con-line'), 'editable: the console takes input');
  // Enter runs the line in the snippet's sandbox, which has no allow-forms (a form's
  // submission, and its submit event, are blocked there: nothing ran).
  await frame.fill('#con-line', 'PING');
  await frame.press('#con-line', 'Enter');
  await frame.waitForFunction(() => /m> PING\s*PONG$/.test(document.getElementById('con-out').textContent));
  assert.equal(await frame.inputValue('#con-line'), '');
  await frame.click('#topo [data-link="m|r1"]');
  assert.ok(await frame.isVisible('#actions'));
  await frame.press('body', 'd');
  assert.equal(await frame.evaluate(() => window.__replscope.world.view.links.find((l) => l.b === 'r1').state), 'disconnected');
  // A long wait typed here runs in slices too (the embed's console is the page's).
  await frame.click('#etab-console');
  const t0 = await frame.evaluate(() => window.__replscope.world.nowUs);
  await frame.fill('#con-line', 'wait 90m');
  await frame.press('#con-line', 'Enter');
  await frame.waitForFunction((t) => window.__replscope.world.nowUs === t + 5400e6 && !document.querySelector('#con-out button'), t0, { timeout: 30000 });
  assert.match(await frame.textContent('#con-out'), /wait 90m$/);
  await page.screenshot({ path: path.join(ART, 'embed-editable.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('"Open in replscope ↗" points at the session itself once pointed at (tooltip, status bar, Copy link address)', async () => {
  const s = Buffer.from('node m\nnode r1 replicaof=m\nwait sync\nm> SET k v\n').toString('base64url');
  const { page, frame, errors } = await embed(`${srv.url}?embed=1#s=${s}`);
  const open = frame.locator('#open-full');
  assert.doesNotMatch(await open.getAttribute('href'), /#z=/);
  await open.hover();
  await frame.waitForFunction(() => /\?#z=|#z=/.test(document.getElementById('open-full').getAttribute('href')));
  // The link opens the same session: its script is the one embedded.
  const href = await open.getAttribute('href');
  const z = JSON.parse(zlib.inflateRawSync(Buffer.from(href.split('#z=')[1], 'base64url')).toString());
  assert.match(z.script, /m> SET k v/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('"Open in replscope ↗" in a lesson embed opens that lesson at the step shown (EN, 中文); once the reader changed the world, the session itself', async () => {
  for (const lang of ['en', 'zh']) {
    const { page, frame, errors } = await embed(`${srv.url}?embed=1&edit=1${lang === 'zh' ? '&lang=zh' : ''}#lesson=partial-resync`);
    await frame.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('0/'));
    await frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(4); document.querySelector('#lesson-bar .lb-next').click(); });
    await frame.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('1/') && !window.__replscope.world.playing, null, { timeout: 30000 });
    const open = frame.locator('#open-full');
    await open.hover();
    const want = `#lesson=partial-resync&step=1${lang === 'zh' ? '&lang=zh' : ''}`;
    await frame.waitForFunction((w) => document.getElementById('open-full').getAttribute('href').endsWith(w), want);
    assert.doesNotMatch(await open.getAttribute('href'), /embed=1/, `${lang}: the full page, not the embed`);
    // A write of the reader's own: the lesson's address would not show this world any more.
    await frame.evaluate(() => document.getElementById('etab-console')?.click());
    await frame.fill('#con-line', 'm> SET mine 1');
    await frame.press('#con-line', 'Enter');
    await frame.waitForSelector('#lesson-bar .lb-diverged');
    await frame.locator('#lesson-bar').hover();
    await open.hover();
    await frame.waitForFunction(() => /#z=/.test(document.getElementById('open-full').getAttribute('href')));
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('an embedded lesson never writes the frame\'s address nor adds to the host\'s history: its steps, another lesson opened, the language (中文, EN), a link the host sets', async () => {
  const src = `${srv.url}?embed=1&edit=1&lang=zh#lesson=partial-resync`;
  const { page, frame, errors } = await embed(src);
  await frame.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('0/'));
  const before = await page.evaluate(() => history.length);
  const url = frame.url();
  await frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(4); });
  for (const k of [1, 2]) {
    await frame.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
    await frame.waitForFunction((k) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${k}/`) && !window.__replscope.world.playing, k, { timeout: 30000 });
  }
  // What "Next lesson" and a card do in the full page (neither is shown in an embed).
  await frame.evaluate(() => window.__replscope.ui.pickLesson('propagation'));
  await frame.waitForFunction(() => window.__replscope.lazy.lessons.cur?.id === 'propagation');
  await frame.evaluate(() => window.__replscope.setLang('en', true));
  await frame.waitForFunction(() => document.documentElement.lang === 'en');
  await frame.evaluate(() => window.__replscope.setLang('zh', true));
  await frame.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  await frame.evaluate(() => localStorage.removeItem('replscope-lang'));   // the reader's choice, saved: not the next tests'
  assert.equal(frame.url(), url, 'the frame\'s address is the one the host gave');
  assert.equal(await page.evaluate(() => history.length), before, 'the host\'s history did not grow');
  assert.equal(await frame.evaluate(() => history.length), before, 'nor the frame\'s (the same joint history)');
  // A link the host sets opens as before (hashchange), and adds only the host's own entry.
  await page.evaluate((s) => { document.querySelector('iframe').src = s.replace('#lesson=partial-resync', '#lesson=heartbeat'); }, src);
  await frame.waitForFunction(() => window.__replscope.lazy.lessons.cur?.id === 'heartbeat');
  assert.equal(frame.url(), src.replace('#lesson=partial-resync', '#lesson=heartbeat'));
  await frame.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
  await frame.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('1/'));
  assert.equal(frame.url(), src.replace('#lesson=partial-resync', '#lesson=heartbeat'), 'a step leaves it');
  assert.ok(await page.evaluate(() => history.length) <= before + 1, 'at most the entry of the host\'s own src change');
  assert.deepEqual(errors, []);
  await page.close();
});

test('autoplay: a shared session plays on its own; a lesson steps through its captions on its own', async () => {
  const z = zlib.deflateRawSync(Buffer.from(JSON.stringify({ v: 1, seed: 2, script: 'node m\nnode r1 replicaof=m\n', t_us: 0 }))).toString('base64url');
  const { page, frame, errors } = await embed(`${srv.url}?embed=1&autoplay=1&caption=Autoplay#z=${z}`);
  await frame.waitForFunction(() => window.__replscope.world.playing && window.__replscope.world.nowUs > 0);
  await page.waitForFunction(() => window.messages.filter((m) => m.data.type === 'replscope:time').length >= 2);
  assert.equal(await frame.textContent('#caption'), 'Autoplay');
  // A hand-made #z= that is not compressed: the host hears why.
  await frame.evaluate(() => { location.hash = `z=${btoa('{"v":1}').replace(/=+$/, '')}`; });
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:error'));
  assert.match((await messages(page, 'replscope:error'))[0].message, /link: the data is not valid compressed data/);
  assert.deepEqual(errors, []);
  await page.close();

  const l = await embed(`${srv.url}?embed=1&autoplay=1#lesson=propagation`);
  await l.frame.waitForFunction(() => window.__replscope.lazy.lessons.pos >= 1 && window.__replscope.world.playing, null, { timeout: 5000 });
  await l.frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  await l.frame.waitForFunction(() => window.__replscope.lazy.lessons.pos >= 2, null, { timeout: 15000 });
  assert.match(await l.frame.textContent('#lesson-bar .lb-step'), /^[2-9]\//);
  assert.deepEqual(l.errors, []);
  await l.page.close();
});

test('autoplay of the author\'s own scenario plays its history from t = 0, or from the moment a #z= link shows', async () => {
  const script = 'node m\nnode r1 replicaof=m\nwait sync\nm> SET k v\ndisconnect m r1\nwait 2s\nreconnect m r1\nwait sync\n';
  const { page, frame, errors } = await embed(`${srv.url}?embed=1&autoplay=1#s=${Buffer.from(script).toString('base64url')}`);
  const end = await frame.evaluate(() => window.__replscope.world.extentUs);
  assert.ok(end > 2e6);
  // It starts over, not after the end: the reader sees the disconnect and the partial resync.
  await frame.waitForFunction(() => window.__replscope.world.playing);
  assert.ok(await frame.evaluate((end) => window.__replscope.world.nowUs < end, end), 'plays from the start, not idle time after the end');
  await frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  await page.waitForFunction(() => window.messages.filter((m) => m.data.type === 'replscope:decision').length >= 2, null, { timeout: 15000 });
  assert.deepEqual((await messages(page, 'replscope:decision')).map((m) => m.decision.decision.verdict.verdict), ['full_resync', 'continue']);
  await page.close();
  // A #z= link shared after rewinding names its moment: autoplay goes on from there.
  const z = zlib.deflateRawSync(Buffer.from(JSON.stringify({ v: 1, seed: 1, script, t_us: 1500000 }))).toString('base64url');
  const l = await embed(`${srv.url}?embed=1&autoplay=1#z=${z}`);
  await l.frame.waitForFunction(() => window.__replscope.world.playing);
  const now = await l.frame.evaluate(() => window.__replscope.world.nowUs);
  assert.ok(now >= 1500000 && now < 2500000, `from the link's moment (${now} µs)`);
  assert.deepEqual(errors, []);
  assert.deepEqual(l.errors, []);
  await l.page.close();
});

/**
 * A post's column of `width` × `height` holding one replscope iframe exactly as the
 * copied snippet has it, with or without its height script (`snippet`: the dialog's text,
 * its src replaced by `src`). Without the script the frame keeps the snippet's height.
 */
async function post(src, { width, height, snippet }) {
  const page = await browser.ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon|404/.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewportSize({ width: width + 40, height: Math.max(900, height + 300) });
  await page.goto(`${host.url}post`);   // any page of the host's origin (a 404 here)
  const code = snippet.replace(/src="[^"]*"/, `src="${src}"`);
  await page.setContent(`<!doctype html><meta charset="utf-8"><title>A post</title><h1>A post</h1><p>Text before.</p><div style="width:${width}px">${code}</div><p>Text after.</p>
<script>window.heights = []; addEventListener('message', (e) => { if (e.data && e.data.type === 'replscope:height') window.heights.push(e.data.height); if (e.data && e.data.type === 'replscope:ready') window.ready = true; });</script>`);
  if (!/<script>/.test(code)) await page.evaluate((h) => { document.querySelector('iframe').style.height = `${h}px`; }, height);
  await page.waitForFunction(() => window.ready, null, { timeout: 20000 });
  const frame = page.frames().find((f) => f.url().startsWith(srv.url));
  return { page, frame, errors };
}

/** Where Play, the clock and the scrubber are, against the frame's own viewport. */
const reach = (frame) => frame.evaluate(() => {
  const inside = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; };
  return { play: inside('#play'), clock: inside('#clock'), scrub: inside('#scrub'), scrolls: document.scrollingElement.scrollHeight > innerHeight + 1, h: innerHeight };
});

let snippet;
test('Copy embed code: an iframe that fits 600, 360 and 320 px wide, and the height listener', async () => {
  const page = await browser.ctx.newPage();
  await page.goto(`${srv.url}#lesson=partial-resync`);
  await page.waitForFunction(() => window.__replscope.lazy.lessons?.cur);
  await page.click('#export');
  await page.click('#copy-embed');
  await page.waitForFunction(() => /<script>/.test(document.querySelector('#dlg input.mono').value));
  snippet = await page.evaluate(() => window.__replscope.lazy.dialogs.heightScript && document.querySelector('#dlg input.mono').value);
  await page.close();
  const origin = srv.url.replace(/\/$/, '');
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1#z=[A-Za-z0-9_-]+" title="[^"]+" width="100%" height="600" style="border:0;max-width:100%;display:block" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"><\/iframe>\s*<script>/);
  // The listener checks who speaks (the origin, one of the page's iframes) and clamps.
  assert.ok(snippet.includes(`e.origin !== '${origin}'`), 'checks the origin');
  assert.match(snippet, /f\.contentWindow === e\.source/);
  assert.match(snippet, /Math\.min\(1200, Math\.max\(300, /);
  assert.ok(snippet.length < 1200, `small (${snippet.length} characters)`);
});

for (const [width, height] of [[600, 600], [360, 640], [320, 480]]) {
  test(`an embed at ${width}×${height}: Play, the clock and the timeline show without scrolling; the height stays put while a lesson autoplays`, async () => {
    assert.ok(snippet, 'the snippet test ran first');
    const iframeOnly = snippet.replace(/<script>[\s\S]*<\/script>/, '');
    // 1. The iframe alone (a post that cannot run scripts): the frame keeps the snippet's size.
    {
      const { page, frame, errors } = await post(`${srv.url}?embed=1#lesson=partial-resync`, { width, height, snippet: iframeOnly });
      assert.deepEqual(await reach(frame), { play: true, clock: true, scrub: true, scrolls: false, h: height });
      // A step that focuses the stream brings its tab into the slot.
      await frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
      await frame.click('#lesson-bar .lb-next');
      await frame.click('#lesson-bar .lb-next');
      await frame.waitForFunction(() => document.querySelector('.panel.ruler.focus'));
      await frame.waitForFunction(() => document.documentElement.dataset.etab === 'ruler');
      assert.ok(await frame.isVisible('#rulers'));
      assert.deepEqual(await reach(frame), { play: true, clock: true, scrub: true, scrolls: false, h: height });
      await page.screenshot({ path: path.join(ART, `embed-${width}x${height}-fixed.png`) });
      assert.deepEqual(errors, []);
      await page.close();
    }
    // 2. The whole snippet, autoplaying a lesson: the frame takes the height it asks for,
    //    once, and keeps it through the steps, their captions and the checks.
    {
      const { page, frame, errors } = await post(`${srv.url}?embed=1&autoplay=1#lesson=partial-resync`, { width, height, snippet });
      await frame.waitForFunction(() => window.__replscope.lazy.lessons.pos >= 1, null, { timeout: 10000 });
      await frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(1); });
      const asked = await page.evaluate(() => window.heights.at(-1));
      await page.waitForFunction((h) => document.querySelector('iframe').getBoundingClientRect().height === h, asked);
      const samples = [];
      const pos0 = await frame.evaluate(() => window.__replscope.lazy.lessons.pos);
      // Sampled until the lesson has moved on a step (a new caption, a new focus) and played it.
      const t0 = Date.now();
      let moved = 0;
      while (Date.now() - t0 < 20000 && (!moved || Date.now() - moved < 1500)) {
        samples.push(await page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height));
        if (!moved && await frame.evaluate((p) => window.__replscope.lazy.lessons.pos > p, pos0)) moved = Date.now();
        await page.waitForTimeout(200);
      }
      const pos1 = await frame.evaluate(() => window.__replscope.lazy.lessons.pos);
      assert.ok(pos1 > pos0, `the lesson moved on while sampled (step ${pos0} → ${pos1})`);
      assert.deepEqual([...new Set(samples)], [asked], 'the frame never changed height');
      assert.deepEqual([...new Set(await page.evaluate(() => window.heights))], [asked], 'one height reported');
      assert.ok(asked <= 700, `it fits a phone screen (${asked} px)`);
      const r = await reach(frame);
      assert.deepEqual(r, { play: true, clock: true, scrub: true, scrolls: false, h: asked });
      await page.screenshot({ path: path.join(ART, `embed-${width}x${height}-autoplay.png`) });
      assert.deepEqual(errors, []);
      await page.close();
    }
  });
}

// 700×420 is a common size for a blog's iframe, without the height script: the frame
// keeps that size. Stacked, the topology and the slot had ~100 px each (node text drawn at
// 4–6 px, the timeline squeezed to a line): a short frame keeps them side by side.
// With edit=1 and a lesson, the actions' hint took a second line and the text was 10.3 px.
for (const [what, q] of [['a lesson in 中文, autoplaying', '?embed=1&autoplay=1&lang=zh#lesson=partial-resync'], ['edit=1 with a caption', '?embed=1&edit=1&caption=Hello#scenario=overflow'], ['edit=1 and a lesson', '?embed=1&edit=1#lesson=partial-resync'], ['a typo in the scenario (a banner)', '?embed=1#scenario=overflw']]) {
  test(`an embed in a 700×420 frame is readable: ${what}`, async () => {
    assert.ok(snippet, 'the snippet test ran first');
    const { page, frame, errors } = await post(`${srv.url}${q}`, { width: 700, height: 420, snippet: snippet.replace(/<script>[\s\S]*<\/script>/, '') });
    await frame.waitForFunction(() => document.querySelector('#topo .nm')?.textContent);
    await page.waitForTimeout(300);
    assert.deepEqual(await reach(frame), { play: true, clock: true, scrub: true, scrolls: false, h: 420 });
    const r = await frame.evaluate(() => {
      const box = (sel) => document.querySelector(sel).getBoundingClientRect();
      // The size node text is drawn at: its CSS size times the SVG's scale.
      const px = (el) => parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a;
      // (The one-letter M/R badges are icons, 10 px in the full page too.)
      const texts = [...document.querySelectorAll('#topo .card text, #topo g text')].filter((t) => t.textContent.trim() && t.getBBox().width > 0 && !t.matches('.badge'));
      const slot = box('.decision'), verdict = document.querySelector('#decision .verdict')?.getBoundingClientRect();
      return {
        smallest: Math.min(...texts.map(px)),
        timeline: box('.timeline').height, scrub: box('#scrub').width,
        topo: box('#topo').height,
        verdictInside: !verdict || (verdict.top >= slot.top - 1 && verdict.bottom <= slot.bottom + 1),
        banner: document.getElementById('banner')?.textContent || '',
      };
    });
    assert.ok(r.smallest >= 10.95, `node text at ${r.smallest.toFixed(1)} px`);
    assert.ok(r.topo >= 160, `the topology ${r.topo} px high`);
    assert.ok(r.timeline >= 34 && r.scrub >= 400, `the timeline ${r.timeline} px high, its slider ${r.scrub} px wide`);
    assert.ok(r.verdictInside, 'the decision box is not cut by its slot');
    if (/overflw/.test(q)) assert.match(r.banner, /no starting scenario "overflw"/);
    await page.screenshot({ path: path.join(ART, `embed-700x420-${/edit/.test(q) ? 'edit' : ''}${/lesson/.test(q) ? 'lesson' : /edit/.test(q) ? '' : 'typo'}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// A phone-sized frame (375×420, no height script). Stacked, the topology, the tabs and the
// slot did not fit with a lesson bar or edit=1's actions: the tabs were 2 px high and the
// slot 34 px (the lesson's title drawn over its buttons); in edit mode the console showed
// two lines. Then it shows one panel at a time: the topology is a tab too, first, at its
// full scale. A locked scenario, which fits, stays stacked.
const PHONE_CASES = [
  ['edit=1, a lesson', '?embed=1&edit=1#lesson=partial-resync'],
  ['edit=1, a scenario', '?embed=1&edit=1#scenario=overflow'],
  ['locked, a lesson in 中文', '?embed=1&lang=zh#lesson=partial-resync'],
  ['locked, a scenario: stacked', '?embed=1#scenario=partial'],
];
for (const [what, q] of PHONE_CASES) {
  test(`an embed in a 375×420 frame: every control is usable and its text readable (${what})`, async () => {
    assert.ok(snippet, 'the snippet test ran first');
    const { page, frame, errors } = await post(`${srv.url}${q}`, { width: 375, height: 420, snippet: snippet.replace(/<script>[\s\S]*<\/script>/, '') });
    await frame.waitForFunction(() => document.querySelector('#topo .nm')?.textContent);
    const edit = q.includes('edit=1'), lesson = q.includes('lesson='), one = edit || lesson;
    const measure = async () => {
      await page.waitForTimeout(300);
      return frame.evaluate(() => {
        const box = (el) => { const r = (typeof el === 'string' ? document.querySelector(el) : el)?.getBoundingClientRect(); return r ? { l: r.left, t: r.top, r: r.right, b: r.bottom, h: r.height, w: r.width } : null; };
        // A control is usable when it is whole in the frame and a click at its centre reaches it.
        // (The topology's actions are one line that scrolls sideways: each is scrolled to first.)
        const hit = (el) => { if (el.closest('#actions')) el.scrollIntoView({ block: 'nearest', inline: 'nearest' }); const r = el.getBoundingClientRect(); if (!(r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5)) return false; const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return !!at && (el === at || el.contains(at)); };
        const controls = [...document.querySelectorAll('.etabs [role=tab], #lesson-bar button, header.bar button, header.bar a, #scrub, #actions button, #actions select, #con-line, .con-in select')]
          .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
        // Text: every visible element's own text, and the topology's (at the drawing's scale; its
        // one-letter M/R badges are icons, drawn at 10 px in the full page too).
        const small = [];
        for (const el of document.querySelectorAll('body *')) {
          if (el.closest('svg') && !el.closest('#topo')) continue;
          if (el.matches('#topo .badge') || !el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
          if (getComputedStyle(el).clipPath.includes('inset(50%)') || el.getBoundingClientRect().width <= 1) continue;
          if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
          const px = parseFloat(getComputedStyle(el).fontSize) * (el instanceof SVGElement ? el.getScreenCTM().a : 1);
          if (px < 10.95) small.push(`${el.tagName}.${el.getAttribute('class') || ''} ${px.toFixed(1)} px "${el.textContent.trim().slice(0, 24)}"`);
        }
        const strip = document.querySelector('.etabs');
        const slot = document.querySelector(`#${document.querySelector('.etabs [aria-selected=true]').getAttribute('aria-controls')}`);
        return {
          unusable: controls.filter((el) => !hit(el)).map((el) => el.id || el.className || el.textContent.trim()),
          small: [...new Set(small)],
          tabs: box(strip).h, tabsCut: strip.scrollWidth - strip.clientWidth,
          slot: box(slot).h, topo: box('#topo').h,
          conOut: box('#con-out').h,
        };
      });
    };
    // The topology first, then each tab in turn: each has the slot's whole height.
    assert.equal(await frame.getAttribute('#etab-topo', 'aria-selected'), String(one), 'the topology is the first tab, shown');
    assert.equal(await frame.isVisible('#etab-topo'), one);
    const seen = {};
    for (const tab of one ? ['topo', 'decision', 'ruler', 'events', 'console'] : ['decision', 'ruler', 'events', 'console']) {
      await frame.click(`#etab-${tab}`);
      const r = seen[tab] = await measure();
      const where = `${what}, ${tab}: ${JSON.stringify(r)}`;
      assert.deepEqual(await reach(frame), { play: true, clock: true, scrub: true, scrolls: false, h: 420 }, where);
      assert.deepEqual(r.unusable, [], `controls cut or covered (${where})`);
      assert.deepEqual(r.small, [], `text under 11 px (${where})`);
      assert.ok(r.tabs >= 28 && r.tabsCut <= 0, `the tabs whole (${where})`);
      assert.ok(r.slot >= (!one ? 110 : lesson ? 190 : 250), `the slot's height (${where})`);
      if (!one) assert.ok(r.topo >= 160, `the topology beside the slot (${where})`);
    }
    if (one) assert.ok(seen.topo.topo >= (edit ? 150 : 180), `the topology ${seen.topo.topo} px high`);
    assert.ok(seen.console.conOut >= (!one ? 100 : edit ? 120 : 160), `the console's output ${seen.console.conOut} px high`);
    if (edit) {
      // The console takes a line, and the topology's actions act on a node.
      await frame.fill('#con-line', 'PING');
      await frame.press('#con-line', 'Enter');
      await frame.waitForFunction(() => /PONG$/.test(document.getElementById('con-out').textContent));
      // Back on the topology, its drawing is already laid out for its box (it was drawn for
      // 200 px for a frame, and a click went where the node had been).
      await frame.click('#etab-topo');
      const at = () => frame.evaluate(() => JSON.stringify(document.querySelector('#topo [data-node="m"]').getBoundingClientRect()));
      const first = await at();
      await page.waitForTimeout(300);
      assert.equal(await at(), first, 'the node stays where it was first drawn');
      await frame.click('#topo [data-node="m"]');
      const r = await measure();
      assert.deepEqual(r.unusable, [], 'm selected: every action reached (scrolled to in its line)');
      assert.ok(await frame.locator('#actions button').count() >= 4);
      assert.deepEqual(await reach(frame), { play: true, clock: true, scrub: true, scrolls: false, h: 420 }, 'm selected');
      await page.screenshot({ path: path.join(ART, `embed-375x420-${PHONE_CASES.findIndex(([w]) => w === what)}-m.png`) });
      assert.ok(await frame.isVisible('#actions button[aria-keyshortcuts="C"]'), 'the selection’s actions are there');
    }
    if (lesson) {
      // The lesson's buttons are whole and work; a step that points at the decision brings
      // its tab, a later one the topology's.
      await frame.evaluate(() => { window.__replscope.world.slowmo = false; });
      const tabs = new Set();
      for (let i = 0; i < 4 && await frame.locator('#lesson-bar .lb-next').count(); i++) {
        await frame.click('#lesson-bar .lb-next');
        await frame.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 15000 });
        tabs.add(await frame.evaluate(() => document.documentElement.dataset.etab));
        assert.deepEqual((await measure()).unusable, [], `step ${i + 1}`);
      }
      assert.ok(tabs.has('decision') || tabs.has('ruler'), [...tabs].join());
    }
    await page.screenshot({ path: path.join(ART, `embed-375x420-${PHONE_CASES.findIndex(([w]) => w === what)}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// Tab through a phone-sized embed as a keyboard reader of the post would. The time bar is
// drawn at the frame's foot but came first in the document: Tab went Play, Next event,
// Reset, Open in replscope, then up to the lesson's buttons at the top. It goes top to
// bottom now, and every stop is whole in the frame, not covered, with a focus ring.
for (const q of ['?embed=1&edit=1#lesson=partial-resync', '?embed=1#lesson=partial-resync&caption=Tab%20order']) {
  test(`an embed in a 375×420 frame: Tab goes through it in the order it is seen, every stop visible (${q})`, async () => {
    assert.ok(snippet, 'the snippet test ran first');
    const { page, frame, errors } = await post(`${srv.url}${q}`, { width: 375, height: 420, snippet: snippet.replace(/<script>[\s\S]*<\/script>/, '') });
    await frame.waitForFunction(() => document.querySelector('#topo .nm')?.textContent);
    await page.waitForTimeout(300);
    const stops = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.tagName !== 'IFRAME')) { if (stops.length) break; continue; }
      stops.push(await frame.evaluate(() => {
        const el = document.activeElement, r = el.getBoundingClientRect();
        const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        // Where it is, from the top: the lesson bar, the tabs, the panel in the slot, the timeline, the time bar.
        const region = ['#lesson-bar', '.etabs', 'main > .panel', '.timeline', 'header.bar'].findIndex((s) => el.closest(s));
        const cs = getComputedStyle(el);
        const ring = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 || el.matches('#topo :focus-visible');
        return { what: el.id || el.getAttribute('class') || el.tagName, region, inView: r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5, hit: !!at && (el === at || el.contains(at)), ring };
      }));
    }
    const where = JSON.stringify(stops.map((x) => `${x.what}@${x.region}`));
    for (const id of ['play', 'open-full', 'scrub', 'etab-topo']) assert.ok(stops.some((x) => x.what === id), `${id} is a stop: ${where}`);
    assert.ok(stops.some((x) => /lb-next/.test(x.what)) && stops.some((x) => /lb-restart/.test(x.what)), `the lesson's buttons are stops: ${where}`);
    assert.ok(stops.every((x) => x.region >= 0), `every stop is in a part of the frame: ${where}`);
    assert.deepEqual(stops.map((x) => x.region), stops.map((x) => x.region).toSorted((a, b) => a - b), `top to bottom: ${where}`);
    assert.deepEqual(stops.filter((x) => !x.inView || !x.hit || !x.ring).map((x) => x.what), [], `each stop whole, on top and ringed: ${JSON.stringify(stops)}`);
    assert.equal(stops.at(-1).what, 'open-full', 'the way out to the full page is the last stop');
    if (q.includes('caption')) assert.ok(await frame.evaluate(() => document.getElementById('caption').getBoundingClientRect().bottom <= document.getElementById('lesson-bar').getBoundingClientRect().top), 'the caption is still on top');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// At a lesson's end its summary (the checks, what to remember) runs far past the bar and
// scrolls inside it; the keyboard could not reach its end (nothing in it scrolled it, and
// Chromium makes a scroller a Tab stop only when nothing in it is one).
test('an embedded lesson\'s end at 375×420: the summary that scrolls in the bar is a Tab stop, and the keyboard scrolls it to its end', async () => {
  assert.ok(snippet, 'the snippet test ran first');
  const { page, frame, errors } = await post(`${srv.url}?embed=1#lesson=backlog-too-small`, { width: 375, height: 420, snippet: snippet.replace(/<script>[\s\S]*<\/script>/, '') });
  await frame.waitForFunction(() => window.__replscope?.lazy.lessons?.cur);
  await frame.evaluate(() => { window.__replscope.world.slowmo = false; });
  const cap = () => frame.evaluate(() => { const c = document.querySelector('#lesson-bar .lb-cap'); return { tab: c.tabIndex, top: c.scrollTop, max: c.scrollHeight - c.clientHeight }; });
  const c0 = await cap();
  assert.equal(c0.tab, c0.max > 1 ? 0 : -1, `a Tab stop while it scrolls, only then (${JSON.stringify(c0)})`);
  for (let i = 0; i < 40 && !(await frame.locator('#lesson-bar.lb-finished').count()); i++) {
    if (await frame.locator('#lesson-bar .lb-next').count()) await frame.click('#lesson-bar .lb-next');
    await page.waitForTimeout(150);
  }
  await frame.waitForSelector('#lesson-bar.lb-finished .lb-interview');
  await frame.waitForFunction(() => document.querySelector('#lesson-bar .lb-cap').tabIndex === 0);
  assert.ok((await cap()).max > 100, JSON.stringify(await cap()));
  // From the top of the post, Tab reaches it; End and the arrows scroll it.
  await page.evaluate(() => document.activeElement?.blur());
  let found = false;
  for (let i = 0; i < 10 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await frame.evaluate(() => document.activeElement?.classList.contains('lb-cap'));
  }
  assert.ok(found, 'the summary is a Tab stop');
  await page.keyboard.press('End');
  await frame.waitForFunction(() => { const c = document.querySelector('#lesson-bar .lb-cap'); return c.scrollTop >= c.scrollHeight - c.clientHeight - 1; });
  const last = await frame.evaluate(() => { const c = document.querySelector('#lesson-bar .lb-cap').getBoundingClientRect(), l = document.querySelector('#lesson-bar .lb-interview li:last-child').getBoundingClientRect(); return l.bottom <= c.bottom + 1 && l.top >= c.top; });
  assert.ok(last, 'the last point to remember is in view');
  await page.keyboard.press('Home');
  await frame.waitForFunction(() => document.querySelector('#lesson-bar .lb-cap').scrollTop === 0);
  await page.keyboard.press('ArrowDown');
  await frame.waitForFunction(() => document.querySelector('#lesson-bar .lb-cap').scrollTop > 0);
  await page.screenshot({ path: path.join(ART, 'embed-375x420-lesson-end.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded: a replscope:load that does not parse shows its reason in the frame too; the previous scenario keeps running', async () => {
  const { page, frame, errors } = await embed(`${srv.url}?embed=1#scenario=overflow`);
  const before = await frame.evaluate(() => ({ us: window.__replscope.world.nowUs, nodes: window.__replscope.world.view.nodes.map((n) => n.name).join() }));
  await send(page, { type: 'replscope:load', scenario: 'node m\nnode r1 replicaof=m\nwait sync\nm> SET a 1\npartiton m r1\n' });
  await page.waitForFunction(() => window.messages.some((x) => x.data.type === 'replscope:error'));
  assert.match((await messages(page, 'replscope:error')).at(-1).message, /line 5, column 1: unknown statement 'partiton'/);
  await frame.waitForSelector('#banner');
  assert.match(await frame.textContent('#banner'), /The host page sent a scenario that could not be opened: line 5, column 1: unknown statement 'partiton'( \(did you mean 'partition'\?\))?\. The previous scenario keeps running\./);
  assert.deepEqual(await frame.evaluate(() => ({ us: window.__replscope.world.nowUs, nodes: window.__replscope.world.view.nodes.map((n) => n.name).join() })), before);
  // The host is told the taller height the banner needs; a good load removes the banner.
  await page.waitForFunction((h) => document.querySelector('iframe').getBoundingClientRect().height > h, (await messages(page, 'replscope:height'))[0].height);
  await send(page, { type: 'replscope:load', scenario: 'node m\nnode r1 replicaof=m\nwait sync\n' });
  await frame.waitForSelector('#banner', { state: 'detached' });
  assert.equal(await frame.evaluate(() => window.__replscope.world.view.nodes.map((n) => n.name).join()), 'm,r1');
  assert.deepEqual(errors, []);
  await page.close();
});

// A host's replscope:load whose waits add up to hours (about 2 s of building per simulated
// hour) opens in steps, as a link does (opening.js): the frame keeps answering, a line at its
// foot says how far it got, and what the host sends next waits for the world it opens.
const LONG = 'node m repl-diskless-sync-delay=0\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nnode r4 replicaof=m\nnode r5 replicaof=m\nwait sync\nm> SET k v\ndisconnect m r1\nwait 2s\nreconnect m r1\nwait sync\nwait 600m\n';
const verdicts = (ds) => ds.map((d) => `${d.t_us} ${d.node} ${d.decision.verdict.verdict}`);

test('embedded: a replscope:load of hours opens in steps, the frame answering; the seek and the request sent after it act on its world', async () => {
  const { page, frame, errors } = await embed(`${srv.url}?embed=1`);
  const nodes0 = await frame.evaluate(() => window.__replscope.world.view.nodes.map((n) => n.name).join());
  const time0 = (await messages(page, 'replscope:time')).length;
  // Sent together, as a post would: the load, then a seek and a request for its decisions.
  await page.evaluate((s) => {
    const w = document.querySelector('iframe').contentWindow;
    w.postMessage({ type: 'replscope:load', scenario: s, seed: 3, caption: 'Ten quiet hours' }, '*');
    w.postMessage({ type: 'replscope:seek', ms: 5000 }, '*');
    w.postMessage({ type: 'replscope:decisions' }, '*');
  }, LONG);
  await frame.waitForSelector('#loading', { timeout: 5000 });
  assert.match(await frame.textContent('#loading'), /Loading Scenario from the host page: t = [\d.]+ s \(its waits add up to 36002\.000 s\)/);
  // The frame answers while it builds: each evaluate within 400 ms (in one go it would not answer for seconds), the session shown unchanged.
  const lags = [];
  for (let i = 0; i < 10 && await frame.isVisible('#loading'); i++) {
    const a = Date.now();
    const shown = await frame.evaluate(() => window.__replscope.world.view.nodes.map((n) => n.name).join());
    lags.push(Date.now() - a);
    assert.equal(shown, nodes0, 'the session shown stays until the new one is built');
    await page.waitForTimeout(100);
  }
  assert.ok(lags.length >= 3 && Math.max(...lags) < 400, `the frame answers while it loads (${lags.join(', ')} ms)`);
  assert.equal((await messages(page, 'replscope:decisions')).length, 0, 'the request waits for the world it asks about');
  await frame.waitForSelector('#loading', { state: 'detached', timeout: 90000 });
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:decisions'));
  // Opened: its caption, and the host told the time of its end, then of the seek.
  assert.equal(await frame.textContent('#caption'), 'Ten quiet hours');
  assert.equal(await frame.textContent('#seed-v'), '3');
  const times = (await messages(page, 'replscope:time')).slice(time0).map((m) => m.ms);
  const end = await frame.evaluate(() => window.__replscope.world.extentUs / 1000);
  assert.ok(end >= 600 * 60e3, `the world ran its ten hours (${end} ms)`);
  assert.equal(times[0], end, `the load's end, then the seek: ${times.join(', ')}`);
  assert.equal(times.at(-1), 5000);
  const ans = await messages(page, 'replscope:decisions');
  assert.equal(ans.length, 1);
  assert.equal(ans[0].ms, 5000, 'answered at the moment sought in the new world');
  assert.deepEqual(ans[0].decisions.map((d) => d.decision.verdict.verdict), ['full_resync', 'full_resync', 'full_resync', 'full_resync', 'full_resync', 'continue']);
  // The world is the one the same text builds in one go: its end and its decisions.
  await send(page, { type: 'replscope:seek', ms: 1e9 });
  await send(page, { type: 'replscope:decisions' });
  await page.waitForFunction(() => window.messages.filter((m) => m.data.type === 'replscope:decisions').length === 2);
  const stepped = (await messages(page, 'replscope:decisions'))[1];
  assert.equal(stepped.ms, end);
  const once = await frame.evaluate((s) => {
    const r = window.__replscope;
    r.ui.load(s, 3, 'in one go', '');
    const w = r.world;
    return { ms: w.nowUs / 1000, decisions: Array.from({ length: w.decPast }, (_, i) => w.dec(i)) };
  }, LONG);
  assert.equal(stepped.ms, once.ms, 'the same end');
  assert.deepEqual(verdicts(stepped.decisions), verdicts(once.decisions), 'the same decisions');
  assert.deepEqual(stepped.decisions, once.decisions);
  assert.deepEqual(await messages(page, 'replscope:error'), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded: a replscope:load in steps that the reader stops, or that a second load replaces, is reported to the host; the scenario shown keeps running', async () => {
  const { page, frame, errors } = await embed(`${srv.url}?embed=1&caption=${encodeURIComponent('Before')}`);
  const state = () => frame.evaluate(() => ({ us: window.__replscope.world.nowUs, nodes: window.__replscope.world.view.nodes.map((n) => n.name).join() }));
  const before = await state();
  // Stopped (the reader presses Stop): the host hears it, with the messages it sent after it dropped.
  await send(page, { type: 'replscope:load', scenario: LONG, caption: 'Never shown' });
  await send(page, { type: 'replscope:seek', ms: 100 });
  await send(page, { type: 'replscope:decisions' });
  await frame.waitForSelector('#loading', { timeout: 5000 });
  await frame.click('#loading button');
  await frame.waitForSelector('#loading', { state: 'detached' });
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:error'));
  assert.match((await messages(page, 'replscope:error'))[0].message, /^replscope:load: the reader stopped it before it opened .*the previous scenario keeps running; 2 message\(s\) sent after it were dropped$/);
  assert.deepEqual(await state(), before, 'the previous scenario, at its moment');
  assert.equal(await frame.textContent('#caption'), 'Before');
  assert.deepEqual(await messages(page, 'replscope:decisions'), []);
  // Replaced: the first load's queued message is dropped (said), the second's applied.
  await send(page, { type: 'replscope:load', scenario: LONG });
  await send(page, { type: 'replscope:pause' });
  await send(page, { type: 'replscope:load', scenario: 'node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nwait sync\nwait 2m\n', caption: 'Three nodes' });
  await send(page, { type: 'replscope:decisions' });
  await page.waitForFunction(() => window.messages.some((m) => m.data.type === 'replscope:decisions'), null, { timeout: 30000 });
  assert.match((await messages(page, 'replscope:error'))[1].message, /^replscope:load: replaced by a later replscope:load before it opened; 1 message\(s\) sent after it were dropped$/);
  assert.equal((await messages(page, 'replscope:error')).length, 2);
  assert.equal((await state()).nodes, 'm,r1,r2');
  assert.equal(await frame.textContent('#caption'), 'Three nodes');
  assert.equal((await messages(page, 'replscope:decisions'))[0].decisions.length, 2);
  assert.equal(await frame.isVisible('#loading'), false);
  // One that fails as it runs (its `wait sync` never holds): the error and the banner a short
  // load gets, the message sent after it dropped.
  const three = await state();
  await send(page, { type: 'replscope:load', scenario: 'node m\nnode r1 replicaof=m\nwait 2m\npartition m r1\nm> SET k v\nwait sync\n' });
  await send(page, { type: 'replscope:play' });
  await page.waitForFunction(() => window.messages.filter((m) => m.data.type === 'replscope:error').length === 4, null, { timeout: 30000 });
  const [failed, dropped] = (await messages(page, 'replscope:error')).slice(2).map((m) => m.message);
  assert.match(failed, /^replscope:load: .*wait sync/);
  assert.equal(dropped, 'replscope:load: 1 message(s) sent after it were dropped');
  assert.match(await frame.textContent('#banner'), /The host page sent a scenario that could not be opened: .*wait sync.*The previous scenario keeps running\./);
  assert.deepEqual(await state(), three);
  assert.equal(await frame.evaluate(() => window.__replscope.world.playing), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the caption of a share link shows in the full page too, as text, until another scenario is opened', async () => {
  const cap = 'r1 catches up <b>without</b> a full sync';
  const z = zlib.deflateRawSync(Buffer.from(JSON.stringify({ v: 1, seed: 2, script: 'node m\nnode r1 replicaof=m\nwait sync\n', t_us: 0, caption: cap }))).toString('base64url');
  const page = await browser.ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${srv.url}#z=${z}`);
  await page.waitForSelector('#caption');
  assert.equal(await page.textContent('#caption .cap-text'), cap);
  assert.equal(await page.locator('#caption b').count(), 0, 'markup stays text');
  // A line under the header, above the panels.
  const [hd, c, m] = await page.evaluate(() => ['header.bar', '#caption', 'main'].map((s) => document.querySelector(s).getBoundingClientRect()).map((r) => [r.top, r.bottom]));
  assert.ok(hd[1] <= c[0] && c[1] <= m[0], 'between the header and the panels');
  await page.screenshot({ path: path.join(ART, 'caption-full-page.png') });
  // Sharing again keeps it; Reset keeps it; another scenario drops it.
  await page.click('#export');
  assert.equal(await page.inputValue('#dlg input[type=text]:not(.mono)'), cap);
  await page.keyboard.press('Escape');
  await page.click('#reset');
  assert.equal(await page.textContent('#caption .cap-text'), cap);
  await page.selectOption('#lesson', 'partial');
  await page.waitForFunction(() => !document.getElementById('caption'));
  // A lesson link's caption= too; its ✕ dismisses it.
  await page.goto(`${srv.url}#lesson=partial-resync&caption=${encodeURIComponent('Read this first')}`);
  await page.waitForSelector('#caption');
  assert.equal(await page.textContent('#caption .cap-text'), 'Read this first');
  await page.click('#caption button');
  assert.equal(await page.locator('#caption').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an embedded lesson\'s end: its summary scrolls in the bar; the buttons, the topology and the tabs keep their room', async () => {
  for (const width of [375, 700]) {
    const { page, frame, errors } = await embed(`${srv.url}?embed=1#lesson=backlog-too-small`, { width });
    await frame.waitForFunction(() => window.__replscope?.lazy.lessons?.cur);
    await frame.evaluate(() => { window.__replscope.world.slowmo = false; });
    const box = (sel) => frame.evaluate((q) => { const r = document.querySelector(q)?.getBoundingClientRect(); return r && { top: r.top, bottom: r.bottom, h: r.height }; }, sel);
    await frame.click('#lesson-bar .lb-next');
    await frame.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('1/'));
    const during = await box('#topo');
    for (let i = 0; i < 40 && !(await frame.locator('#lesson-bar.lb-finished').count()); i++) {
      if (await frame.locator('#lesson-bar .lb-next').count()) await frame.click('#lesson-bar .lb-next');
      await page.waitForTimeout(150);
    }
    await frame.waitForSelector('#lesson-bar.lb-finished .lb-interview');
    await page.waitForTimeout(300);
    const [bar, topo, tab, prev, restart, cap] = await Promise.all(['#lesson-bar', '#topo', '#etab-decision', '#lesson-bar .lb-prev', '#lesson-bar .lb-restart', '#lesson-bar .lb-cap'].map(box));
    const where = `${width} px: bar ${JSON.stringify(bar)}, topology ${during.h} → ${topo.h}, tab ${tab.h}`;
    for (const b of [prev, restart]) assert.ok(b.top >= bar.top && b.bottom <= bar.bottom + 0.5, `the buttons are in the bar's visible part (${where})`);
    assert.ok(topo.h >= 0.75 * during.h, `the topology keeps its room (${where})`);
    assert.ok(tab.h >= 20, `the tabs are whole (${where})`);
    // The summary is longer than its room: it scrolls inside the caption, to its last line.
    assert.ok(await frame.evaluate(() => { const c = document.querySelector('#lesson-bar .lb-cap'); return c.scrollHeight > c.clientHeight + 10; }), `the summary scrolls (${where})`);
    assert.ok(cap.bottom <= bar.bottom, where);
    await frame.evaluate(() => { const c = document.querySelector('#lesson-bar .lb-cap'); c.scrollTop = c.scrollHeight; });
    const last = await box('#lesson-bar .lb-interview li:last-child');
    assert.ok(last.bottom <= cap.bottom, `the last point can be scrolled into view (${where})`);
    await page.screenshot({ path: path.join(ART, `embed-lesson-end-${width}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a lesson in an embed never scrolls the host page (its focused panel comes into the frame\'s slot)', async () => {
  const page = await browser.ctx.newPage();
  await page.setViewportSize({ width: 700, height: 700 });
  await page.goto(`${host.url}post`);
  // The frame half below the fold, as a reader scrolling a post meets it.
  await page.setContent(`<p style="height:400px">Text before.</p><iframe src="${srv.url}?embed=1#lesson=full-sync" style="width:600px;height:564px;border:0"></iframe><p style="height:2000px">Text after.</p>`);
  const frame = await (async () => { for (;;) { const f = page.frames().find((x) => x.url().startsWith(srv.url)); if (f) return f; await page.waitForTimeout(50); } })();
  await frame.waitForFunction(() => window.__replscope?.lazy.lessons?.cur);
  const slots = [];
  for (let i = 0; i < 4; i++) {
    await frame.evaluate(() => window.__replscope.lazy.lessons.next());
    await page.waitForTimeout(300);
    slots.push(await frame.evaluate(() => [document.querySelector('.panel.focus')?.classList[1], document.documentElement.dataset.etab]));
    assert.equal(await page.evaluate(() => scrollY), 0, `step ${i + 1}: the host page did not move`);
  }
  // full-sync focuses the topology, the decision, the stream: each slot panel is the one shown.
  for (const [panel, slot] of slots) if (panel === 'ruler' || panel === 'decision') assert.equal(slot, panel);
  assert.ok(slots.some(([p]) => p === 'ruler'), JSON.stringify(slots));
  await page.close();
});

test('docs/embedding.md lists every lesson of www/lessons/index.json for #lesson=', () => {
  const doc = fs.readFileSync(path.join(HERE, '../../docs/embedding.md'), 'utf8');
  const row = doc.split('\n').find((l) => l.startsWith('| `#lesson=<id>`'));
  assert.ok(row, 'the #lesson= row');
  const ids = JSON.parse(fs.readFileSync(path.join(HERE, '../../www/lessons/index.json'), 'utf8')).map((l) => l.id);
  assert.ok(ids.length >= 12);
  assert.deepEqual(ids.filter((id) => !row.includes(`\`${id}\``)), [], 'lessons missing from the doc');
});
