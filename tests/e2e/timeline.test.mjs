// The timeline after a long write load dropped the oldest history: the dropped part is a
// hatched band as wide as it is on the track, a click or a key into it stops at the
// earliest moment kept (world.keptFromUs) and a note says why, and the decisions drawn
// there are dimmed and say they cannot be shown. Screenshots go to artifacts/ to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageSuite, openPage, playUntil, consoleLine, ARTIFACTS } from './harness.mjs';

const env = pageSuite();

/** A write load (as memory.test.mjs makes one) until a quarter of the run is dropped. */
async function dropHistory(page) {
  await page.evaluate(() => window.__replscope.world.startLoad('m', 1000, 200));
  await playUntil(page, () => { const w = window.__replscope.world; return w.keptFromUs > 0.25 * w.extentUs; });
  await page.evaluate(() => { window.__replscope.world.load = null; });
  await page.waitForFunction(() => !document.querySelector('.tl-gone').hidden);
}

const NOTE = /History before t = \d+\.\d{3} s was dropped to bound memory: seeking stops at the earliest moment kept/;

test('dropped history is a band on the timeline: clicks, keys and its diamonds stop at the earliest moment kept', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await dropHistory(page);
  const { from, ext } = await page.evaluate(() => ({ from: window.__replscope.world.keptFromUs, ext: window.__replscope.world.extentUs }));

  // The band spans 0 to keptFromUs of the marks' width (the range's less 7 px each side).
  const band = await page.locator('.tl-gone').boundingBox();
  const track = await page.locator('#scrub').boundingBox();
  const ratio = band.width / (track.width - 14);
  assert.ok(Math.abs(ratio - from / ext) < 0.01, `band ratio ${ratio} vs ${from / ext}`);
  assert.ok(Math.abs(band.x - (track.x + 7)) < 1.5, 'the band starts at t = 0');
  assert.match(await page.getAttribute('.tl-gone', 'title'), /^History before t = \d+\.\d{3} s was dropped to bound memory$/);
  assert.equal(await page.getAttribute('.tl-gone', 'aria-label'), await page.getAttribute('.tl-gone', 'title'));
  assert.equal(await page.isVisible('.tl-note'), false, 'no note before a seek into the band');

  // A click at 10% of the track lands on the earliest moment kept, and the note says why.
  await page.mouse.click(track.x + 7 + 0.1 * (track.width - 14), track.y + track.height / 2);
  await page.waitForFunction((us) => window.__replscope.world.nowUs === us, from);
  assert.ok(await page.isVisible('.tl-note'));
  assert.match(await page.textContent('.tl-note'), NOTE);
  assert.ok(Math.abs(await page.inputValue('#scrub') - from / 1000) <= 1, 'the thumb is at the band’s end');
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-dropped-1440.png') });

  // Keys: Home and a step left from the earliest moment kept stay there.
  await page.evaluate(() => { document.querySelector('.tl-note').hidden = true; });
  await page.focus('#scrub');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((us) => window.__replscope.world.nowUs === us + 100_000, from);
  for (const key of ['Shift+ArrowLeft', 'Home']) {
    await page.keyboard.press(key);
    await page.waitForFunction((us) => window.__replscope.world.nowUs === us, from);
  }
  assert.ok(await page.isVisible('.tl-note'), 'a key into the band says why too');

  // A drag from the thumb into the band: the thumb stops at its end.
  await page.evaluate(() => { document.querySelector('.tl-note').hidden = true; });
  const thumbX = track.x + 7 + (from / ext) * (track.width - 14) + 4, y = track.y + track.height / 2;
  await page.mouse.move(thumbX, y);
  await page.mouse.down();
  await page.mouse.move(thumbX + 60, y, { steps: 4 });
  await page.mouse.move(track.x + 20, y, { steps: 8 });
  assert.ok(Math.abs(await page.inputValue('#scrub') - from / 1000) <= 1, 'dragged into the band, the thumb stays at its end');
  await page.mouse.up();
  await page.waitForFunction((us) => window.__replscope.world.nowUs === us, from);
  assert.ok(await page.isVisible('.tl-note'), 'a drag into the band says why');

  // Diamonds before the band's end: dimmed, not a seek (the setup's first syncs are there).
  const gone = await page.$$eval('.tl-dm.gone', (ds) => ds.map((d) => [d.getAttribute('aria-disabled'), d.getAttribute('aria-label')]));
  assert.ok(gone.length > 0, 'the setup’s syncs are drawn in the dropped part');
  for (const [dis, label] of gone) {
    assert.equal(dis, 'true');
    assert.match(label, /^Decision at \d+\.\d{3} s, in the dropped history: it can no longer be shown$/);
  }
  await page.evaluate(() => document.querySelector('.tl-dm.gone').click());
  assert.equal(await page.evaluate(() => window.__replscope.world.nowUs), from);
  assert.equal(await page.locator('.tl-dm:not(.gone)').count() + gone.length, await page.locator('.tl-dm').count());
  assert.deepEqual(errors, []);
  await page.close();
});

test('the note about dropped history follows a language switch at once', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await dropHistory(page);
  const t = await page.locator('#scrub').boundingBox();
  await page.mouse.click(t.x + 7 + 0.05 * (t.width - 14), t.y + t.height / 2);
  await page.waitForSelector('.tl-note:not([hidden])');
  assert.match(await page.textContent('.tl-note'), NOTE);
  // The switch applies in one task (i18n.js): read the note as soon as the page is Chinese.
  const now = (lang) => page.waitForFunction((l) => document.documentElement.lang === l && [document.querySelector('.tl-note').hidden, document.querySelector('.tl-note').textContent], lang).then((r) => r.jsonValue());
  await page.click('#lang');
  const [hidden, zh] = await now('zh-Hans');
  assert.equal(hidden, false);
  assert.match(zh, /^t = \d+\.\d{3} 秒之前的历史已丢弃以限制内存：/);
  await page.click('#lang');
  const [, en] = await now('en');
  assert.match(en, NOTE);   // and English again (the language is remembered: left in English)
  assert.deepEqual(errors, []);
  await page.close();
});

test('the band on a phone, in 中文 and dark, with no accessibility violations (screenshots to look at)', async () => {
  const axeSource = fs.readFileSync(fileURLToPath(new URL('./node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');
  for (const [w, h, lang, scheme = 'light'] of [[375, 812, 'en'], [375, 812, 'zh'], [1440, 900, 'zh'], [1440, 900, 'en', 'dark']]) {
    const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}?lang=${lang}`, { width: w, height: h, scheme });
    await dropHistory(page);
    const track = await page.locator('#scrub').boundingBox();
    await page.locator('.timeline').scrollIntoViewIfNeeded();
    const t = await page.locator('#scrub').boundingBox();
    await page.mouse.click(t.x + 7 + 0.05 * (t.width - 14), t.y + t.height / 2);
    await page.waitForSelector('.tl-note:not([hidden])');
    const note = await page.textContent('.tl-note');
    if (lang === 'zh') assert.match(note, /^t = \d+\.\d{3} 秒之前的历史已丢弃以限制内存：/);
    assert.ok(track.width > 100);
    await page.screenshot({ path: path.join(ARTIFACTS, `timeline-dropped-${w}-${lang}-${scheme}.png`) });
    await page.locator('.timeline').screenshot({ path: path.join(ARTIFACTS, `timeline-dropped-${w}-${lang}-${scheme}-panel.png`) });
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => (await window.axe.run(document.querySelector('.timeline'), { resultTypes: ['violations'] })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
    assert.deepEqual(violations, [], `${w} ${lang} ${scheme}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

// A full-sync loop: a 32 KB soft / 64 KB hard output buffer limit, a 128 kbit/s link and
// writes faster than it. Minutes in, the page's list holds only the newest records it pulled
// (60 after a load that ran it all); the core keeps thousands.
test('filtered by kind, the event log searches the history the core keeps and says how far back it looked', async () => {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#scenario=overflow`);
  await page.evaluate(() => {
    const rnd = (i) => { let x = i, o = ''; for (let k = 0; k < 1000; k++) { x = (x * 1103515245 + 12345) >>> 0; o += 'abcdefghijklmnopqrstuvwxyz0123456789'[x % 36]; } return o; };
    let t = 'seed 3\nnode m repl-diskless-sync=no repl-ping-replica-period=3600 repl-backlog-size=16kb client-output-buffer-limit="replica 64kb 32kb 10"\n';
    for (let i = 0; i < 48; i++) t += `m> SET user:${i} ${rnd(i)}\n`;
    t += 'node r1 replicaof=m\nlink m r1 bandwidth=128kbit\n';
    for (let i = 0; i < 1500; i++) t += `m> SET a${i % 50} ${rnd(i + 100)}\nm> SET b${i % 50} ${rnd(i + 900)}\nm> SET c${i % 50} ${rnd(i + 1900)}\nwait 100ms\n`;
    window.__replscope.ui.load(t, null, 'loop', '');
  });
  await page.click('#tab-events');
  const w = await page.evaluate(() => ({ kept: window.__replscope.world.events.length, cursor: window.__replscope.world.evCursor }));
  assert.ok(w.cursor > 8000 && w.kept < 200, `the core made ${w.cursor} records, the page holds ${w.kept}`);
  // Paused: while time runs, a frame between two searches (they are at most one a
  // SEARCH_EVERY_MS) lists only the page's own newest records, and on a slow machine the
  // rows were read in such a frame.
  await page.evaluate(() => window.__replscope.setPlaying(false));
  await page.selectOption('#filters select[aria-label="Only events of kind"]', 'log');
  await page.waitForFunction(() => document.querySelectorAll('#events .ev:not(.note)').length > 20);
  // The search runs in slices (a frame's worth at a time): read the rows once it says how far back it looked.
  await page.waitForFunction(() => /^searched back to t = /.test(document.querySelector('#events .ev:last-child')?.textContent || ''));
  const rows = await page.$$eval('#events .ev', (els) => els.map((e) => e.textContent));
  assert.ok(rows.some((r) => /closed for overcoming of output buffer limits/.test(r)), 'the cause is in the filtered log');
  assert.ok(rows.slice(0, -1).every((r) => /\* log|# log/.test(r)), 'only log lines');
  assert.match(rows.at(-1), /^searched back to t = \d+\.\d{3} s: the \d{4} events the simulator keeps \(older ones were dropped to bound memory\)$/);
  // All kinds again: the newest rows, and the note of the page's own list.
  await page.selectOption('#filters select[aria-label="Only events of kind"]', '');
  await page.waitForFunction(() => /older events not listed: the list shows the newest 200 \(a filter by node or kind searches the last 4000 the simulator keeps\)/.test(document.querySelector('#events .ev:last-child')?.textContent));
  assert.deepEqual(errors, []);
  await page.close();
});

test('scrubbed back to before a write load began, the actions show “Write load” as it was then (not “Stop writes”), a press says why nothing changes, and forward past its start it shows “Stop writes” again; acting there stops the load with the future it replaced', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.click('#topo g.node[data-node="m"]');
  const btn = page.locator('#actions button', { hasText: /Write load|Stop writes/ });
  await playUntil(page, () => window.__replscope.world.nowUs > 2e6);
  const t0 = await page.evaluate(() => window.__replscope.world.nowUs);
  await btn.click();
  await playUntil(page, (t) => window.__replscope.world.nowUs > 3e6 + 3e6, t0);
  await page.waitForFunction(() => /Stop writes/.test(document.querySelector('#actions').textContent));
  const state = () => page.evaluate(() => { const b = [...document.querySelectorAll('#actions button')].find((x) => /Write load|Stop writes/.test(x.textContent)); return { text: b.textContent, off: b.getAttribute('aria-disabled'), now: window.__replscope.world.nowUs, live: !!window.__replscope.world.load }; });
  // Back before the load began (the timeline's input, as a drag sets it).
  const seek = (ms) => page.evaluate((v) => { const r = document.getElementById('scrub'); r.value = String(v); r.dispatchEvent(new Event('input')); r.dispatchEvent(new Event('change')); }, ms);
  await seek(Math.round(t0 / 1000) - 1000);
  await page.waitForFunction(() => /Write load/.test(document.querySelector('#actions').textContent));
  let s = await state();
  assert.ok(s.now < t0, `before the load began: ${JSON.stringify(s)}`);
  assert.equal(s.text, '▶ Write load');
  assert.equal(s.off, 'true', 'not changeable looking back');
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-load-back.png') });
  // A press says why, and changes nothing.
  await btn.click({ force: true });
  await page.waitForFunction(() => /Looking back: the write load as it was at this moment/.test(document.getElementById('con-out').textContent));
  assert.equal((await state()).live, true, 'the load still goes on from the end');
  // Forward past its start: as it was then, on.
  await seek(Math.round(t0 / 1000) + 1500);
  await page.waitForFunction(() => /Stop writes/.test(document.querySelector('#actions').textContent));
  // Back before it, and a statement there (replacing the future): no load from there on.
  await seek(Math.round(t0 / 1000) - 1000);
  await page.waitForFunction(() => /Write load/.test(document.querySelector('#actions').textContent));
  await page.evaluate(() => window.__replscope.world.apply('m> SET k v'));
  await page.evaluate(() => window.__replscope.renderNow());
  s = await state();
  assert.equal(s.live, false, `the load stopped with the future replaced: ${JSON.stringify(s)}`);
  assert.equal(s.off, null, 'at the end of the run again: changeable');
  assert.equal(s.text, '▶ Write load');
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone a finger dragging the timeline back to the start does not move it: the panels above grow and shrink with the moment shown, the page scrolls by as much', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 375, height: 667 });
  const cdp = await env.browser.ctx.newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
  await playUntil(page, () => window.__replscope.world.nowUs > 4e6);
  await page.locator('#scrub').scrollIntoViewIfNeeded();
  await new Promise((r) => setTimeout(r, 400));
  const at = () => page.evaluate(() => ({ top: document.getElementById('scrub').getBoundingClientRect().top, dec: document.querySelector('.panel.decision').offsetHeight, now: window.__replscope.world.nowUs, y: scrollY }));
  const a = await at();
  const b = await page.locator('#scrub').boundingBox();
  const y = b.y + b.height / 2, x0 = b.x + b.width - 5, x1 = b.x + 3;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: x0, y }] });
  const seen = [];
  for (let i = 1; i <= 16; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x0 + ((x1 - x0) * i) / 16, y }] });
    await new Promise((r) => setTimeout(r, 50));
    seen.push(await at());
  }
  // And forward again: the panels grow back.
  for (let i = 15; i >= 8; i--) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x0 + ((x1 - x0) * i) / 16, y }] });
    await new Promise((r) => setTimeout(r, 50));
    seen.push(await at());
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await new Promise((r) => setTimeout(r, 400));
  seen.push(await at());
  const what = JSON.stringify({ a, seen });
  assert.ok(seen.some((s) => s.now < 1e6) && seen.some((s) => s.dec !== a.dec), `back before the first decision, a panel above changed height: ${what}`);
  for (const s of seen) assert.ok(Math.abs(s.top - a.top) <= 2, `the track stays under the finger: ${what}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-phone-drag.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('quick key presses on the timeline add up: eight Shift+→ from Home land on 8 s however fast they come', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await consoleLine(page, 'wait 12s');
  await page.waitForFunction(() => window.__replscope.world.extentUs >= 12e6);
  await page.focus('#scrub');
  await page.keyboard.press('Home');
  await page.waitForFunction(() => window.__replscope.world.nowUs === 0);
  // No wait between them: they arrive before the page's next frame does its seek.
  await page.evaluate(() => {
    const r = document.getElementById('scrub');
    for (let i = 0; i < 8; i++) r.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', shiftKey: true, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => window.__replscope.world.nowUs === 8e6, null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await page.close();
});
