// The lesson bar against the timeline and on a phone: a drag on the timeline during a
// lesson (a finger on a phone, the mouse on a desktop) keeps the bar on the moment shown,
// its time and its caption, during the drag and after it; on a phone the bar is compact
// once a step has stopped (no room kept for the "still playing" line, ✕ on the buttons'
// row; at the lesson's end no empty gap in it), in English and 中文. Screenshots go to
// artifacts/ to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageSuite, openPage, withPhone, ARTIFACTS as ART } from './harness.mjs';

const env = pageSuite();
const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../www/lessons');
const lesson = (id) => JSON.parse(fs.readFileSync(path.join(DIR, `${id}.json`), 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Open `id` in `lang` and play every step to its end (the checks not run). */
async function playSteps(page, id, lang) {
  const L = lesson(id);
  await page.evaluate(([i, l]) => { window.__replscope.setLang(l); window.__replscope.ui.pickLesson(i); }, [id, lang]);
  // A wait that times out says where the lesson stood (a flake is then readable).
  const state = () => page.evaluate(() => `step ${document.querySelector('#lesson-bar .lb-step')?.textContent}, playing ${window.__replscope.world.playing}, t ${window.__replscope.world.nowUs} µs, bar: ${document.querySelector('#lesson-bar')?.textContent.slice(0, 160)}`);
  const wait = async (what, ...a) => { try { await page.waitForFunction(...a); } catch (e) { throw new Error(`${what}: ${e.message}; ${await state()}`); } };
  await wait('the lesson opens', (n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `0/${n}`, L.steps.length);
  for (let i = 0; i < L.steps.length; i++) {
    // Pressed as a script would (the sticky bar may be scrolling the page under a pointer
    // click: once in CI a click landed on nothing and the step never began).
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
    await wait(`step ${i + 1} starts`, (k) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${k}/`), i + 1);
    await wait(`step ${i + 1} stops`, () => !window.__replscope.world.playing, null, { timeout: 30000 });
  }
  return L;
}

/** What the bar says, and what it should say for the moment the clock shows. */
async function bar(page, L, lang) {
  const s = await page.evaluate(() => ({
    clock: document.getElementById('clock').textContent.match(/[\d.]+/)[0],
    scrub: document.getElementById('scrub').value,
    past: document.querySelector('#lesson-bar .lb-past')?.textContent ?? null,
    text: document.querySelector('#lesson-bar .lb-text')?.textContent,
    now: window.__replscope.world.nowUs,
    starts: window.__replscope.lazy.lessons.starts,
  }));
  let k = 0;
  while (k < L.steps.length && s.starts[k] <= s.now) k++;
  let want = L.summary[lang];
  if (k > 0) {
    const st = L.steps[k - 1];
    want = st.caption[lang];
    for (const l of st.later || []) if (s.now - s.starts[k - 1] >= l.at_ms * 1000) want = l.caption[lang];
  }
  return { ...s, want, step: k };
}

for (const [kind, size] of [['finger', { width: 390, height: 844 }], ['mouse', { width: 1440, height: 900 }]]) {
  test(`a ${kind} drag on the timeline inside a lesson (${size.width}×${size.height}): the bar shows the time and the caption of the moment shown, during the drag and after it`, async () => {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, size);
    const cdp = await env.browser.ctx.newCDPSession(page);
    if (kind === 'finger') await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(4); });
    const L = await playSteps(page, 'partial-resync', 'en');
    const reach = await page.evaluate(() => window.__replscope.world.nowUs);
    await page.locator('#scrub').scrollIntoViewIfNeeded();
    await sleep(300);
    const b = await page.locator('#scrub').boundingBox();
    const y = b.y + b.height / 2, x0 = b.x + b.width - 6, x1 = b.x + b.width * 0.3;
    const move = async (x) => {
      if (kind === 'finger') await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
      else await page.mouse.move(x, y);
      await sleep(40);
    };
    if (kind === 'finger') await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: x0, y }] });
    else { await page.mouse.move(x0, y); await page.mouse.down(); }
    for (let i = 1; i <= 15; i++) await move(x0 + ((x1 - x0) * i) / 15);
    await sleep(300);
    const check = async (when) => {
      const s = await bar(page, L, 'en');
      const what = `${when}: ${JSON.stringify(s)}`;
      assert.ok(s.now < 3e6, `the drag went back before step 3, ${what}`);
      assert.ok(s.past, `looking back, ${what}`);
      assert.equal(s.past.match(/t = ([\d.]+) s/)[1], s.clock, `the bar's time is the clock's, ${what}`);
      assert.equal(s.text, s.want, `the caption of the moment shown (step ${s.step}), ${what}`);
    };
    await check('during the drag');
    await page.screenshot({ path: path.join(ART, `lessonbar-drag-${kind}-during.png`) });
    if (kind === 'finger') await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    else await page.mouse.up();
    await sleep(400);
    await check('after the drag');
    await page.screenshot({ path: path.join(ART, `lessonbar-drag-${kind}-after.png`) });
    // Back to the lesson: the thumb follows again (the drag is over).
    await page.click('#lesson-bar .lb-back');
    await page.waitForSelector('#lesson-bar .lb-past', { state: 'detached' });
    await page.waitForFunction((v) => document.getElementById('scrub').value === v, String(Math.round(reach / 1000)), { timeout: 3000 });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('on a phone the lesson bar is compact once a step has stopped: no room kept for the “still playing” line, ✕ on the buttons’ row (390×844, 375×740, EN, 中文)', async () => {
  for (const size of [{ width: 390, height: 844 }, { width: 375, height: 740 }]) {
    for (const lang of ['en', 'zh']) {
      const { page, errors } = await openPage(env.browser.ctx, env.srv.url, size);
      await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(4); });
      await playSteps(page, 'partial-resync', lang);
      await sleep(900);   // the scroll to the focused panel
      const at = await page.evaluate(() => {
        const bx = (e) => e.getBoundingClientRect();
        const bar = document.getElementById('lesson-bar');
        const btns = [...bar.querySelectorAll('.lb-btns > button')].map((e) => ({ text: e.textContent, top: bx(e).top, bottom: bx(e).bottom, right: bx(e).right }));
        const pad = parseFloat(getComputedStyle(bar).paddingBottom) + parseFloat(getComputedStyle(bar).borderBottomWidth);
        return { bar: bx(bar).height, barBottom: bx(bar).bottom, btns, pad, hint: bar.querySelector('.lb-hint') ? bx(bar.querySelector('.lb-hint')).height : 0 };
      });
      const what = `${size.width}×${size.height} ${lang}: ${JSON.stringify(at)}`;
      assert.equal(new Set(at.btns.map((x) => Math.round(x.top))).size, 1, `one row of buttons, ✕ included, ${what}`);
      assert.ok(at.btns.every((x) => x.right <= size.width), `on screen, ${what}`);
      assert.equal(at.hint, 0, `no room kept for the line, ${what}`);
      assert.ok(at.barBottom - Math.max(...at.btns.map((x) => x.bottom)) <= at.pad + 1, `no empty band under the buttons, ${what}`);
      assert.ok(at.bar < 0.26 * size.height, `compact, ${what}`);
      await page.screenshot({ path: path.join(ART, `lessonbar-phone-${size.width}-${lang}.png`) });
      assert.deepEqual(errors, []);
      await page.close();
    }
  }
});

for (const size of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
  test(`a press on Next held while the step stops (the bar redrawn under it) is still a click; the bar's buttons are the same elements from caption to caption (${size.width}×${size.height})`, async () => {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, size);
    // 1× (setSpeed takes a power of ten): step 2's 2 s of simulated time take 2 s.
    await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(0); });
    const L = lesson('partial-resync');
    await page.evaluate(() => window.__replscope.ui.pickLesson('partial-resync'));
    const at = (k) => page.waitForFunction((s) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(s), `${k}/`, { timeout: 10000 });
    await at(0);
    // Each button marked: a rebuilt bar would have unmarked ones.
    const marked = () => page.evaluate(() => [...document.querySelectorAll('#lesson-bar button')].map((b) => `${b.className}:${b.__mark ?? 'new'}`).join(' '));
    await page.evaluate(() => { for (const b of document.querySelectorAll('#lesson-bar button')) b.__mark = 'kept'; });
    const before = await marked();
    // Start sits where Next will be (Previous is there, disabled, before the first step): a
    // second tap on the same spot goes on, not back.
    const nextBox = () => page.evaluate(() => { const r = document.querySelector('#lesson-bar .lb-next').getBoundingClientRect(); return [Math.round(r.left), Math.round(r.width)]; });
    const startAt = await nextBox();
    assert.equal(await page.evaluate(() => document.querySelector('#lesson-bar .lb-prev')?.disabled), true, 'Previous shown, disabled, before the first step');
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
    await at(1);
    await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 10000 });
    const caption1 = await page.textContent('#lesson-bar .lb-text');
    assert.notEqual(caption1, L.summary.en, 'the caption changed');
    assert.equal(await marked(), before, 'the same Previous, Next, Start over and ✕');
    assert.equal(await page.evaluate(() => document.querySelector('#lesson-bar .lb-prev').disabled), false, 'Previous enabled after the first step');
    const [left, width] = await nextBox(), mid = startAt[0] + startAt[1] / 2;
    assert.ok(left <= mid && mid <= left + width, `Next (${left}+${width}) is under Start's middle (${mid})`);
    // Step 2 plays 2 s; the finger goes down on Next while it plays and comes up after it stopped.
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
    await at(2);
    assert.equal(await page.evaluate(() => window.__replscope.world.playing), true, 'step 2 plays');
    // On a phone the page scrolls to the step's panel under the sticky bar: press once it is still.
    const box = () => page.evaluate(() => JSON.stringify([scrollY, document.querySelector('#lesson-bar .lb-next').getBoundingClientRect()]));
    let was, now = await box();
    do { was = now; await sleep(150); now = await box(); } while (now !== was);
    const b = await page.locator('#lesson-bar .lb-next').boundingBox();
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    assert.equal(await page.evaluate(() => window.__replscope.world.playing), true, 'pressed while step 2 plays');
    const sig = await page.evaluate(() => window.__replscope.lazy.lessons.sig);
    await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 10000 });
    await page.waitForFunction((s) => window.__replscope.lazy.lessons.sig !== s, sig);   // redrawn under the finger
    assert.equal(await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').__mark), 'kept', 'the pressed Next is still the one in the bar');
    await page.mouse.up();
    await at(3);
    assert.equal(await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').__mark), 'kept', 'the same Next on step 3');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('on a phone (375×667, touch) Previous, Next (Start, Check the result) and Start over stay at the same spot on every step of a lesson, however long its caption, wherever the page scrolled; the end adds nothing under them (EN, 中文)', async () => {
  for (const lang of ['en', 'zh']) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 375, height: 667 });
    const cdp = await env.browser.ctx.newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(4); });
    const L = lesson('full-sync');
    await page.evaluate(([i, l]) => { window.__replscope.setLang(l); window.__replscope.ui.pickLesson(i); }, ['full-sync', lang]);
    await page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `0/${n}`, L.steps.length);
    const spots = () => page.evaluate(() => {
      const at = (c) => { const e = document.querySelector(`#lesson-bar .${c}`); if (!e) return null; const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height].map(Math.round).join(','); };
      return { prev: at('lb-prev'), next: at('lb-next'), restart: at('lb-restart'), bar: Math.round(document.getElementById('lesson-bar').getBoundingClientRect().height), scrollY: Math.round(scrollY) };
    });
    const seen = [];
    for (let i = 0; i <= L.steps.length; i++) {
      await sleep(700);   // the scroll to the step's panel
      const s = await spots();
      seen.push(s);
      if (i === L.steps.length) break;
      await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
      await page.waitForFunction((k) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${k}/`), i + 1);
      await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 30000 });
    }
    // The checks, then the end: Previous and Start over where they were, and with no Next
    // Previous takes Next's column too (the row had an empty gap there).
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
    await page.waitForSelector('#lesson-bar .lb-interview');
    await sleep(500);
    const end = await spots();
    const what = `${lang}: ${JSON.stringify(seen)}, end ${JSON.stringify(end)}`;
    assert.ok(new Set(seen.map((s) => s.bar)).size > 1 && new Set(seen.map((s) => s.scrollY)).size > 1, `captions of different lengths, the page scrolled: ${what}`);
    for (const k of ['prev', 'next', 'restart']) assert.equal(new Set(seen.map((s) => s[k])).size, 1, `${k} at one spot on every step, ${what}`);
    const [px, py, , ph] = seen[0].prev.split(',').map(Number), [nx, , nw] = seen[0].next.split(',').map(Number);
    assert.equal(end.prev, `${px},${py},${nx + nw - px},${ph}`, `Previous at its spot at the end, over Next's column too, ${what}`);
    assert.equal(end.restart, seen[0].restart, `Start over at its spot at the end, ${what}`);
    assert.equal(end.next, null, `no Next at the end, ${what}`);
    const [, top, , h] = seen[0].next.split(',').map(Number);
    assert.ok(top + h <= 667, `on screen, ${what}`);
    await page.screenshot({ path: path.join(ART, `lessonbar-phone-fixed-${lang}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a quick double tap (or double click, or Enter pressed twice or held) on Next goes on by one step: the next caption is seen; a second press a moment later goes on again', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 375, height: 667 });
  const L = lesson('full-sync');
  await page.evaluate(() => window.__replscope.ui.pickLesson('full-sync'));
  const step = () => page.evaluate(() => document.querySelector('#lesson-bar .lb-step').textContent);
  await page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `0/${n}`, L.steps.length);
  await sleep(300);
  const b = await page.locator('#lesson-bar .lb-next').boundingBox();
  const x = b.x + b.width / 2, y = b.y + b.height / 2;
  // Two taps of a finger 80 ms apart on the same spot (the buttons do not move: Start is where Next is).
  const cdp = await env.browser.ctx.newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
  const tap = async () => {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  await tap();
  await sleep(80);
  await tap();
  await sleep(150);
  assert.equal(await step(), `1/${L.steps.length}`, 'a double tap on Start: step 1, not 2');
  assert.equal(await page.textContent('#lesson-bar .lb-text'), L.steps[0].caption.en, 'step 1’s caption shown');
  await sleep(400);
  await page.mouse.dblclick(x, y);
  await sleep(100);
  assert.equal(await step(), `2/${L.steps.length}`, 'a double click of the mouse on Next: one step');
  // A reader who goes on deliberately, half a second later.
  await sleep(500);
  await tap();
  await sleep(150);
  assert.equal(await step(), `3/${L.steps.length}`, 'a press 0.5 s after the last goes on');
  // Enter (on the page, not on a button) pressed twice quickly; then held down (repeats).
  await page.evaluate(() => document.activeElement?.blur());
  await sleep(500);
  await page.keyboard.press('Enter');
  await sleep(60);
  await page.keyboard.press('Enter');
  await sleep(100);
  assert.equal(await step(), `4/${L.steps.length}`, 'Enter twice quickly: one step');
  await sleep(500);
  await page.keyboard.down('Enter');
  for (let i = 0; i < 4; i++) { await sleep(150); await page.keyboard.down('Enter'); }   // auto-repeat
  await page.keyboard.up('Enter');
  await sleep(100);
  assert.equal(await step(), `5/${L.steps.length}`, 'Enter held down: one step');
  assert.deepEqual(errors, []);
  await page.close();
});

test('heartbeat: a drag back to ~3–5 s while step 4 plays shows that moment’s caption, and the step counter is that caption’s step (not the lesson’s 4/5); back to the lesson, 4/5 again (EN, 中文)', async () => {
  for (const lang of ['en', 'zh']) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
    await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(1); });
    const L = lesson('heartbeat');
    await page.evaluate(([i, l]) => { window.__replscope.setLang(l); window.__replscope.ui.pickLesson(i); }, ['heartbeat', lang]);
    await page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `0/${n}`, L.steps.length);
    for (let k = 1; k <= 4; k++) {
      await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
      await page.waitForFunction((k) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${k}/`), k);
      if (k < 4) await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 30000 });
    }
    assert.equal(await page.evaluate(() => window.__replscope.world.playing), true, `${lang}: step 4 plays`);
    await page.locator('#scrub').scrollIntoViewIfNeeded();
    const b = await page.locator('#scrub').boundingBox();
    const max = Number(await page.getAttribute('#scrub', 'max'));
    const y = b.y + b.height / 2, x0 = b.x + b.width - 6;
    await page.mouse.move(x0, y);
    await page.mouse.down();
    const check = async (when) => {
      const s = await bar(page, L, lang);
      const counter = await page.textContent('#lesson-bar .lb-step');
      const what = `${lang} ${when}: counter ${counter}, ${JSON.stringify(s)}`;
      assert.ok(s.past, `looking back, ${what}`);
      assert.equal(s.text, s.want, `the caption of the moment shown, ${what}`);
      assert.equal(counter, `${s.step}/${L.steps.length}`, `the counter is the shown caption's step, ${what}`);
      return s.step;
    };
    const seen = new Set();
    for (const sec of [5, 4.5, 4, 3.5, 3]) {
      await page.mouse.move(b.x + (b.width * sec * 1000) / max, y, { steps: 4 });
      await sleep(120);
      seen.add(await check(`during the drag, at ~${sec} s`));
    }
    await page.mouse.up();
    await sleep(300);
    seen.add(await check('after the drag'));
    assert.ok([...seen].some((k) => k < 4), `${lang}: the drag went back before step 4 (${[...seen]})`);
    await page.screenshot({ path: path.join(ART, `lessonbar-heartbeat-drag-${lang}.png`) });
    await page.click('#lesson-bar .lb-back');
    await page.waitForSelector('#lesson-bar .lb-past', { state: 'detached' });
    assert.equal(await page.textContent('#lesson-bar .lb-step'), `4/${L.steps.length}`, `${lang}: back to the lesson's step`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

// 320 px wide (a small phone; a blog's narrow embed, one panel at a time below 541 px high,
// stacked above): on the last step "Check the result ✓" pushed Start over onto a second row
// of the embed's bar (320×480), and on the phone it and ◀ Previous and Start over each broke
// over two lines in their columns. Under 360 px the button says Check ✓ (its title and
// accessible name say "Check the result"); 中文 keeps 检查结果 ✓, short already. On every
// step the buttons share one row, each label on one line, whole on screen (EN, 中文).
test('at 320 px (a phone 320×640, an embed 320×640 and 320×480) the lesson bar\'s buttons share one row on every step, the last one\'s (Check ✓) too, each label on one line (EN, 中文)', async () => {
  const L = lesson('partial-resync');
  const CASES = [['phone', 640, '#lesson=partial-resync'], ['embed', 640, '?embed=1#lesson=partial-resync'], ['embed', 480, '?embed=1#lesson=partial-resync'], ['embed, edit=1', 480, '?embed=1&edit=1#lesson=partial-resync']];
  /** The bar's buttons: label, box, and how many lines its label takes. */
  const buttons = (page) => page.evaluate(() => [...document.querySelectorAll('#lesson-bar .lb-btns > button')].filter((b) => b.getClientRects().length).map((b) => {
    const r = b.getBoundingClientRect(), range = document.createRange();
    range.selectNodeContents(b);
    const tops = [];
    for (const q of range.getClientRects()) if (q.width > 0 && !tops.some((t) => Math.abs(t - q.top) < 6)) tops.push(q.top);
    return { cls: b.className, text: b.textContent.trim(), name: b.getAttribute('aria-label') || b.textContent.trim(), title: b.title, top: Math.round(r.top), left: r.left, right: r.right, lines: tops.length };
  }));
  for (const [what, height, q] of CASES) {
    await withPhone(async (ctx) => {
      for (const lang of ['en', 'zh']) {
        const page = await ctx.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(`${env.srv.url}${q}`);
        await page.waitForFunction(() => window.__replscope?.panels?.topo?.W > 100, null, { timeout: 20000 });
        await page.evaluate((l) => { const r = window.__replscope; if (!document.documentElement.classList.contains('embed')) r.welcome(false); r.setLang(l); r.world.slowmo = false; r.setSpeed(4); }, lang);
        await page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `0/${n}`, L.steps.length);
        for (let i = 1; i <= L.steps.length; i++) {
          await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
          await page.waitForFunction((k) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${k}/`), i);
          await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 30000 });
          await sleep(300);
          const btns = await buttons(page);
          const at = `${what} 320×${height} ${lang}, step ${i}: ${JSON.stringify(btns)}`;
          assert.ok(btns.length >= 3, `Previous, Next and Start over shown, ${at}`);
          assert.equal(new Set(btns.map((b) => b.top)).size, 1, `the buttons share one row, ${at}`);
          assert.deepEqual(btns.filter((b) => b.lines !== 1).map((b) => b.text), [], `each label on one line, ${at}`);
          assert.ok(btns.every((b) => b.left >= 0 && b.right <= 320), `on screen, ${at}`);
          if (i === L.steps.length) {
            const check = btns.find((b) => /\blb-next\b/.test(b.cls));
            assert.equal(check?.text, lang === 'zh' ? '检查结果 ✓' : 'Check ✓', `the last step's button, ${at}`);
            assert.equal(check.title, lang === 'zh' ? '检查结果' : 'Check the result', `its title says it in full, ${at}`);
            assert.equal(check.name, lang === 'zh' ? '检查结果' : 'Check the result', `so does its accessible name, ${at}`);
            await page.screenshot({ path: path.join(ART, `lessonbar-320x${height}-${what.replace(/[^a-z0-9]+/gi, '-')}-${lang}.png`) });
          }
        }
        // The checks run from it: the lesson ends as before.
        await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
        await page.waitForSelector('#lesson-bar .lb-verdict');
        assert.deepEqual(errors, [], `${what} ${lang}`);
        await page.close();
      }
    }, { width: 320, height });
  }
});

test('on a phone at the lesson’s end (after Check) the fixed buttons’ row has no empty gap: its buttons fill it, edge to edge (320, 375, 414 px, EN, 中文)', async () => {
  const L = lesson('partial-resync');
  for (const width of [320, 375, 414]) {
    for (const lang of ['en', 'zh']) {
      await withPhone(async (ctx) => {
        const { page, errors } = await openPage(ctx, `${env.srv.url}#lesson=partial-resync&step=${L.steps.length}&lang=${lang}`, { width, height: 740 });
        await page.waitForSelector('#lesson-bar:not([hidden]) .lb-next');
        await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
        await page.waitForSelector('#lesson-bar .lb-verdict');
        await sleep(300);
        const r = await page.evaluate(() => {
          const row = document.querySelector('#lesson-bar .lb-btns'), cs = getComputedStyle(row), b = row.getBoundingClientRect();
          const kids = [...row.children].filter((e) => e.getBoundingClientRect().width > 0).map((e) => { const k = e.getBoundingClientRect(); return { cls: e.className, left: k.left, right: k.right }; }).sort((x, y) => x.left - y.left);
          return { position: cs.position, left: b.left + parseFloat(cs.paddingLeft), right: b.right - parseFloat(cs.paddingRight), gap: parseFloat(cs.columnGap) || 0, kids };
        });
        const what = `${width} ${lang}: ${JSON.stringify(r)}`;
        assert.equal(r.position, 'fixed', what);
        assert.ok(!r.kids.some((k) => /lb-next/.test(k.cls)), `no Next at the end: ${what}`);
        assert.ok(Math.abs(r.kids[0].left - r.left) <= 1 && Math.abs(r.kids[r.kids.length - 1].right - r.right) <= 1, `the buttons reach both ends: ${what}`);
        for (let i = 1; i < r.kids.length; i++) assert.ok(r.kids[i].left - r.kids[i - 1].right <= r.gap + 1, `no empty gap before ${r.kids[i].cls}: ${what}`);
        await page.screenshot({ path: path.join(ART, `lessonbar-phone-end-${width}-${lang}.png`) });
        assert.deepEqual(errors, []);
        await page.close();
      }, { width, height: 740 });
    }
  }
});
