// An embed on a phone: a 375×420 frame (a blog post's iframe) on a touch screen, whose
// buttons are 40 px for a finger, and with a mouse with a caption above the lesson. With
// a lesson bar and edit=1's actions the one-panel layout left the topology 97–145 px,
// and its drawing, scaled to fit, drew node names, offsets and link tags at 6.7–9.9 px.
// The topology now draws tiny one-line cards there (topology.js): every text in it is
// 11 px or more as rendered, inside its box, none over another, and the caption and the
// lesson's buttons stay whole on screen.
//
// The page is opened at the frame's size (embed mode does not need a parent; the
// iframe itself is embed.test.mjs's), in a context that is a phone's when `touch`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve, guard, CHROMIUM, STRICT_CSP, ARTIFACTS as ART } from './harness.mjs';

let srv, browser;
before(async () => {
  srv = await serve(undefined, { csp: STRICT_CSP });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

const TOUCH = { isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const CAPTION = 'caption=Here%20the%20replica%20comes%20back%20and%20asks%20to%20continue';

/** The topology's texts as drawn, and whether the caption and the lesson's buttons are whole. */
const measure = (page) => page.evaluate(() => {
  const topo = document.getElementById('topo');
  const wrap = topo.parentElement.getBoundingClientRect();
  const texts = [...topo.querySelectorAll('text')].filter((t) => t.textContent.trim() && t.getBBox().width > 0 && getComputedStyle(t).visibility !== 'hidden');
  // The size a text is drawn at: its CSS size times the drawing's scale.
  const px = (t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
  const small = texts.filter((t) => px(t) < 10.95).map((t) => `${px(t).toFixed(1)} px "${t.textContent.trim().slice(0, 24)}"`);
  const boxes = texts.map((t) => [t.textContent.trim().slice(0, 16), t.getBoundingClientRect()]);
  const out = boxes.filter(([, r]) => r.top < wrap.top - 0.5 || r.bottom > wrap.bottom + 0.5 || r.left < wrap.left - 0.5 || r.right > wrap.right + 0.5).map(([t]) => t);
  const over = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      // Glyph boxes include the line's leading: a few px of it may touch.
      if (Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 1 && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 3) over.push(`${a} / ${b}`);
    }
  }
  // Whole in the frame, and a tap at its centre reaches it.
  const whole = (el) => {
    const r = el.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5)) return false;
    const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!at && (el === at || el.contains(at));
  };
  const cap = document.getElementById('caption');
  return {
    n: texts.length,
    smallest: Math.min(...texts.map(px)),
    small, out, over,
    caption: !cap || cap.hidden ? null : whole(cap),
    buttons: [...document.querySelectorAll('#lesson-bar button')].filter((b) => b.getClientRects().length).map((b) => [b.textContent.trim(), whole(b)]),
    topoH: wrap.height,
    scrolls: document.scrollingElement.scrollHeight > innerHeight + 1,
  };
});

const CASES = [
  ['touch, a lesson, edit=1', TOUCH, '?embed=1&edit=1#lesson=partial-resync'],
  ['touch, a caption, a lesson, edit=1', TOUCH, `?embed=1&edit=1&${CAPTION}#lesson=partial-resync`],
  ['touch, a scenario, edit=1', TOUCH, '?embed=1&edit=1#scenario=overflow'],
  ['touch, a scenario, locked (stacked)', TOUCH, '?embed=1#scenario=partial'],
  ['mouse, a caption, a lesson, edit=1', {}, `?embed=1&edit=1&${CAPTION}#lesson=partial-resync`],
  ['mouse, a lesson, edit=1', {}, '?embed=1&edit=1#lesson=partial-resync'],
];

for (const [what, device, q] of CASES) {
  test(`a 375×420 embed (${what}): the topology's text is 11 px or more, whole and apart; the caption and the lesson's buttons stay on screen`, async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 420 }, ...device });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.location().url)) errors.push(m.text()); });
    await page.addInitScript(guard);
    await page.goto(`${srv.url}${q}`);
    await page.waitForFunction(() => window.__replscope?.panels?.topo?.W > 100 && document.querySelector('#topo .nm')?.textContent, null, { timeout: 20000 });
    const lesson = q.includes('lesson='), caption = q.includes('caption=');
    const check = async (where) => {
      await page.waitForTimeout(250);
      const r = await measure(page);
      const at = `${what}, ${where}: ${JSON.stringify(r)}`;
      assert.ok(r.n >= 4, `the topology has text (${at})`);
      assert.deepEqual(r.small, [], `topology text under 11 px (${at})`);
      assert.ok(r.smallest >= 10.95, at);
      assert.deepEqual(r.out, [], `topology text outside its box (${at})`);
      assert.equal(r.scrolls, false, `the frame does not scroll (${at})`);
      if (caption) assert.equal(r.caption, true, `the caption is on screen (${at})`);
      if (lesson) {
        assert.ok(r.buttons.length >= 2, at);
        assert.deepEqual(r.buttons.filter(([, ok]) => !ok), [], `the lesson's buttons are whole and reached (${at})`);
      }
      return r;
    };
    // As it opens: nothing in flight, so no text may cover another.
    const first = await check('as it opens');
    assert.deepEqual(first.over, [], `topology text over other text (${what})`);
    await page.screenshot({ path: path.join(ART, `embedsmall-${what.replace(/[^a-z0-9]+/gi, '-')}.png`) });
    if (lesson) {
      // Through the steps (a partition, the PSYNC and its +CONTINUE, the backlog's bytes),
      // the topology's tab shown again after a step brings another.
      await page.evaluate(() => { window.__replscope.world.slowmo = false; });
      for (let i = 1; i <= 4 && await page.locator('#lesson-bar .lb-next').count(); i++) {
        await page.click('#lesson-bar .lb-next');
        await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 15000 });
        if (await page.isVisible('#etab-topo')) await page.click('#etab-topo');
        await check(`step ${i}`);
      }
    }
    assert.deepEqual(errors, []);
    await ctx.close();
  });
}

// A lesson about ids draws full cards with their replid, replid2 and run_id lines (the
// page never hides them in such a lesson). Taller than the one-panel slot, they pushed the
// actions out of the frame and cut the replicas off: the drawing now scrolls in its box.
test('a 375×420 embed of a lesson about ids (touch, edit=1): the cards scroll in the topology\'s box at 11 px, the actions stay on screen', async () => {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 420 }, ...TOUCH });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${srv.url}?embed=1&edit=1#lesson=replication-id`);
  await page.waitForFunction(() => window.__replscope?.panels?.topo?.W > 100 && document.querySelector('#topo .nm')?.textContent, null, { timeout: 20000 });
  await page.waitForTimeout(300);
  const r = await measure(page);
  assert.deepEqual(r.small, [], JSON.stringify(r));
  assert.equal(r.scrolls, false, 'the frame does not scroll');
  assert.deepEqual(r.buttons.filter(([, ok]) => !ok), [], 'the lesson\'s buttons are whole');
  const wrap = await page.evaluate(() => { const w = document.querySelector('.topo-wrap'); return { sh: w.scrollHeight, ch: w.clientHeight }; });
  assert.ok(wrap.sh > wrap.ch + 50, `the drawing scrolls in its box (${JSON.stringify(wrap)})`);
  const actions = await page.evaluate(() => [...document.querySelectorAll('#actions button, #actions select')].map((el) => { const b = el.getBoundingClientRect(); return b.height > 0 && b.top >= 0 && b.bottom <= innerHeight; }));
  assert.ok(actions.length >= 1 && actions.every(Boolean), `the actions are on screen (${actions})`);
  // The replicas are there, below: scrolled to, they are whole.
  await page.evaluate(() => { const w = document.querySelector('.topo-wrap'); w.scrollTop = w.scrollHeight; });
  const r1 = await page.evaluate(() => { const b = document.querySelector('#topo [data-node="r1"]').getBoundingClientRect(), w = document.querySelector('.topo-wrap').getBoundingClientRect(); return b.top >= w.top - 0.5 && b.bottom <= w.bottom + 0.5; });
  assert.ok(r1, 'r1 is whole in the box once scrolled to');
  await page.screenshot({ path: path.join(ART, 'embedsmall-ids.png') });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('375×420 touch, lesson + edit=1: the reader\'s own write shows the "you changed this world" note in the bar, its buttons one row; a step\'s caption shows from its start', async () => {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 420 }, ...TOUCH });
  try {
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${srv.url}?embed=1&edit=1#lesson=partial-resync`);
    await page.waitForSelector('#lesson-bar .lb-next');
    const bar = () => page.evaluate(() => {
      const cap = document.querySelector('#lesson-bar .lb-cap'), c = cap.getBoundingClientRect();
      const seen = (el) => { const r = el && el.getBoundingClientRect(); return !!r && r.top >= c.top - 0.5 && r.top + 12 <= c.bottom; };
      const btns = [...document.querySelectorAll('#lesson-bar .lb-btns > button')].map((b) => b.getBoundingClientRect().top);
      return { rows: new Set(btns.map(Math.round)).size, text: seen(cap.querySelector('.lb-text')), note: seen(cap.querySelector('.lb-diverged')), replay: !!cap.querySelector('button') };
    });
    await page.click('#lesson-bar .lb-next');
    await page.click('#lesson-bar .lb-next');
    await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('2/'));
    await page.waitForTimeout(3500);
    const step = await bar();
    assert.equal(step.rows, 1, 'one row of buttons');
    assert.ok(step.text, 'the step\'s caption is on screen from its first line');
    await page.click('.etabs button:has-text("Console")');
    await page.fill('#con-line', 'm> SET x 1');
    await page.press('#con-line', 'Enter');
    await page.waitForSelector('#lesson-bar .lb-diverged');
    const mine = await bar();
    assert.deepEqual([mine.rows, mine.note, mine.replay], [1, true, true], 'the note is seen, Replay offered beside it, the buttons still one row');
    await page.screenshot({ path: path.join(ART, 'embedsmall-diverged.png') });
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

// A frame under 360 px wide (320×240, 320×480): the tab strip scrolled Console out of the
// frame (its box ended at 349 px), the time bar cut the link to the full page off, and with
// a lesson its buttons wrapped under the caption. Every tab and button of the frame is now
// whole inside it (the frame scrolls below 340 px high, its time bar stuck to its foot:
// measured scrolled to the end, where the bar is in its place), not cut by a box that
// scrolls, and none lies over another; at 360×640 too, which the docs promised before.
// The topology's text stays 11 px or more there.
/** The frame's tabs and buttons: a label, its box in the document, and whether a scroller cuts it. */
const controls = (page) => page.evaluate(() => {
  scrollTo(0, document.scrollingElement.scrollHeight);
  const W = innerWidth, H = document.scrollingElement.scrollHeight;
  const els = [...document.querySelectorAll('.etabs [role=tab], #lesson-bar button, header.bar button, header.bar a, #actions button, #actions select, #scrub')]
    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
  const name = (el) => el.id || el.textContent.trim().slice(0, 16) || el.tagName;
  const boxes = els.map((el) => {
    const r = el.getBoundingClientRect();
    let cut = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const cs = getComputedStyle(p);
      if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
      const q = p.getBoundingClientRect();
      if (r.left < q.left - 0.5 || r.right > q.right + 0.5 || r.top < q.top - 0.5 || r.bottom > q.bottom + 0.5) cut = true;
    }
    return { name: name(el), l: r.left, r: r.right, t: r.top + scrollY, b: r.bottom + scrollY, cut };
  });
  const out = boxes.filter((x) => x.l < -0.5 || x.r > W + 0.5 || x.t < -0.5 || x.b > H + 0.5).map((x) => `${x.name} [${x.l.toFixed(0)}–${x.r.toFixed(0)} × ${x.t.toFixed(0)}–${x.b.toFixed(0)}]`);
  const over = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (Math.min(a.r, b.r) - Math.max(a.l, b.l) > 0.5 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 0.5) over.push(`${a.name} / ${b.name}`);
    }
  }
  return { n: boxes.length, tabs: document.querySelectorAll('.etabs [role=tab]').length, out, cut: boxes.filter((x) => x.cut).map((x) => x.name), over };
});

const NARROW = [
  ['a lesson, edit=1', '?embed=1&edit=1#lesson=partial-resync'],
  ['a lesson, locked', '?embed=1#lesson=partial-resync'],
  ['a scenario, locked (stacked)', '?embed=1#scenario=partial'],
  ['a scenario, edit=1', '?embed=1&edit=1#scenario=overflow'],
];
// And from 361 to 719 px wide: a frame 560 px or more wide and 540 px or less high (a post's
// 600×400, 584 px inside its margins) has the topology beside a slot 258–300 px wide, whose
// four tabs at 13 px needed 308 (Console was cut: "Decision Stream Events Con…"); a narrower
// or taller one stacks them.
for (const [width, height] of [[320, 240], [320, 480], [360, 640], [400, 420], [584, 400], [700, 540]]) {
  for (const [device, opts] of [['touch', TOUCH], ['mouse', {}]]) {
    test(`a ${width}×${height} embed (${device}): every tab and button is whole inside the frame, none over another`, async () => {
      const ctx = await browser.newContext({ viewport: { width, height }, ...opts });
      try {
        for (const [what, q] of NARROW) {
          const page = await ctx.newPage();
          const errors = [];
          page.on('pageerror', (e) => errors.push(String(e)));
          await page.goto(`${srv.url}${q}`);
          await page.waitForFunction(() => window.__replscope?.panels?.topo?.W > 100 && document.querySelector('#topo .nm')?.textContent && document.querySelector('.etabs'), null, { timeout: 20000 });
          await page.waitForTimeout(300);
          const at = [`as it opens (${what})`];
          const checks = [await controls(page)];
          if (/lesson/.test(q)) {
            // Step 1: Next step ▶ (longer than Start ▶), Previous enabled.
            await page.evaluate(() => { window.__replscope.world.slowmo = false; });
            await page.click('#lesson-bar .lb-next');
            await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 15000 });
            if (await page.isVisible('#etab-topo')) await page.click('#etab-topo');
            at.push(`at step 1 (${what})`);
            checks.push(await controls(page));
          }
          checks.forEach((r, i) => {
            assert.ok(r.n >= 6 && r.tabs >= 4, `${at[i]}: ${JSON.stringify(r)}`);
            assert.deepEqual(r.out, [], `outside the frame, ${at[i]}`);
            assert.deepEqual(r.cut, [], `cut by a box that scrolls, ${at[i]}`);
            assert.deepEqual(r.over, [], `one over another, ${at[i]}`);
          });
          // The topology (its tab shown) keeps its text at 11 px: one-line cards that need
          // more than the box scroll in it rather than shrink (7 px at 320×240, touch, edit=1), and
          // edit=1's actions under a lesson bar are one line (9 px at 360×640, touch).
          const topo = await measure(page);
          assert.ok(topo.n >= 2 && topo.smallest >= 10.95, `the topology's text at ${topo.smallest.toFixed(1)} px: ${topo.small} (${what})`);
          await page.evaluate(() => scrollTo(0, 0));
          await page.screenshot({ path: path.join(ART, `embedsmall-${width}x${height}-${device}-${what.replace(/[^a-z0-9]+/gi, '-')}.png`) });
          assert.deepEqual(errors, [], what);
          await page.close();
        }
      } finally {
        await ctx.close();
      }
    });
  }
}
