// Embed mode: the page inside an <iframe> on a blog post served from another origin
// (another port), under the page's own Content-Security-Policy as a header that allows
// that host to frame it. The host page (tests/e2e/host/) sizes the frame from the
// reported height, as docs/embedding.md tells hosts to; the tests drive the
// postMessage API from the host and read what the frame sends back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { serve, launch, guard, META_CSP, ARTIFACTS as ART } from './harness.mjs';

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
  // Minimal chrome: the topology, the decision, the ruler and a time bar; locked.
  for (const sel of ['#topo', '#decision', '#rulers', '#scrub', '#play', '#lesson-bar']) assert.ok(await frame.isVisible(sel), sel);
  for (const sel of ['.console', '.tabs', '#actions', '#lesson', '#export', '#lang', '.speed']) assert.equal(await frame.isVisible(sel), false, sel);
  // The lesson plays in the frame; a longer caption makes it taller, and the host follows.
  await frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  await frame.click('#lesson-bar .primary');
  await frame.waitForFunction(() => !window.__replscope.world.playing);
  await page.screenshot({ path: path.join(ART, 'embed-lesson.png'), fullPage: true });
  // A phone-width post.
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

test('embedded: bad commands are answered with an error, unknown ones ignored, strangers not heard', async () => {
  const { page, frame, errors } = await embed(`${srv.url}?embed=1`);
  const view = () => frame.evaluate(() => JSON.stringify(window.__replscope.world.view));
  const v0 = await view();
  const bad = [
    [{ type: 'replscope:seek', ms: 'soon' }, /seek: the field "ms" must be number/],
    [{ type: 'replscope:seek', ms: -5 }, /seek: ms must be a time ≥ 0/],
    [{ type: 'replscope:seek', ms: NaN }, /seek: ms must be a time ≥ 0/],
    [{ type: 'replscope:seek', ms: 10, extra: 1 }, /unknown field "extra" in seek/],
    [{ type: 'replscope:load' }, /load lacks the field "scenario"/],
    [{ type: 'replscope:load', scenario: 42 }, /the field "scenario" must be text/],
    [{ type: 'replscope:load', scenario: 'node m', seed: -1 }, /the field "seed" must be a whole number ≥ 0/],
    [{ type: 'replscope:load', scenario: 'node m', caption: 'x'.repeat(301) }, /caption is longer than 300 characters/],
    [{ type: 'replscope:load', scenario: 'x'.repeat(10 * 1024 * 1024) }, /the scenario is longer than 1024 KB/],
    [{ type: 'replscope:load', scenario: 'node m\nwait 99999m\n' }, /may run 1667 hours of simulated time \(at most 12\)/],
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
  const r = await frame.evaluate(() => ({ alerts: window.__alerts, violations: window.__violations, added: window.__scripts, scripts: document.scripts.length, imgs: document.querySelectorAll('img, iframe').length }));
  assert.deepEqual(r, { alerts: [], violations: [], added: [], scripts: 1, imgs: 0 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded and editable (edit=1): the console and the fault buttons are there', async () => {
  const { page, frame, errors } = await embed(`${srv.url}?embed=1&edit=1`);
  assert.ok(await frame.isVisible('.console'));
  await frame.click('#topo [data-link="m|r1"]');
  assert.ok(await frame.isVisible('#actions'));
  await frame.press('body', 'd');
  assert.equal(await frame.evaluate(() => window.__replscope.world.view.links.find((l) => l.b === 'r1').state), 'disconnected');
  await page.screenshot({ path: path.join(ART, 'embed-editable.png'), fullPage: true });
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
  await l.frame.waitForFunction(() => window.__replscope.lazy.lessons.step >= 1 && window.__replscope.world.playing, null, { timeout: 5000 });
  await l.frame.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  await l.frame.waitForFunction(() => window.__replscope.lazy.lessons.step >= 2, null, { timeout: 15000 });
  assert.match(await l.frame.textContent('#lesson-bar .lb-step'), /^[2-9]\//);
  assert.deepEqual(l.errors, []);
  await l.page.close();
});
