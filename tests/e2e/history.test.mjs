// The address and the browser's history (docs/lessons.md, docs/embedding.md): the address
// says `lang=zh` while the page is in Chinese, whatever the language button did before
// (中文 → EN → 中文); opening a lesson from the cards or "Next lesson" is an entry of the
// browser's history, so Back returns to the cards or to the previous lesson, and Forward
// comes back; a step rewrites its entry in place. (An embed never adds an entry to its
// host's history: embed.test.mjs.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pageSuite, openPage, ARTIFACTS as ART } from './harness.mjs';

const env = pageSuite();
const hash = (page) => page.evaluate(() => location.hash);
const histLen = (page) => page.evaluate(() => history.length);
const title = (page) => page.evaluate(() => document.querySelector('#lesson-bar:not([hidden]) b')?.textContent ?? null);

async function fast(page) {
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(4); });
}

/** Press Next until the lesson's checks are shown. */
async function finish(page) {
  for (let i = 0; i < 30 && !(await page.locator('#lesson-bar .lb-checks').count()); i++) {
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-next')?.click());
    await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 30000 });
  }
  await page.waitForSelector('#lesson-bar .lb-checks', { state: 'attached' });
}

test('中文 → EN → 中文 with the language button: the address says lang=zh again (a step, ✕, a card, Share’s link too), and none in English', async () => {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lang=zh`, { cards: true, locale: ['en-US'] });
  await page.click('#wl-cards .wl-go[data-lesson="partial-resync"]');
  await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('0/'));
  assert.equal(await hash(page), '#lesson=partial-resync&lang=zh');
  await fast(page);
  await page.click('#lesson-bar .lb-next');
  await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('1/'));
  assert.equal(await hash(page), '#lesson=partial-resync&lang=zh&step=1');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await hash(page), '#lesson=partial-resync&step=1', 'English: no lang=');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  assert.match(await hash(page), /^#lesson=partial-resync&(lang=zh&step=1|step=1&lang=zh)$/, 'back in Chinese: lang=zh again');
  await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 30000 });
  await page.click('#lesson-bar .lb-next');
  await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('2/'));
  assert.match(await hash(page), /^#lesson=partial-resync&.*lang=zh/, 'the next step keeps it');
  assert.match(await hash(page), /(^#|&)step=2(&|$)/);
  // Share's link made now opens in Chinese too.
  await page.evaluate(() => window.__replscope.setPlaying(false));
  await page.click('#export');
  await page.click('#copy-link');
  await page.waitForFunction(() => /#z=[A-Za-z0-9_-]+&lang=zh$/.test(window.__replscope.lastLink || ''));
  await page.click('#copy-lesson');
  await page.waitForFunction(() => /#lesson=partial-resync&lang=zh$/.test(document.querySelector('#dlg input[readonly]').value));
  await page.keyboard.press('Escape');
  // The address copied now opens in Chinese for a reader whose browser is in English.
  const copied = page.url();
  const other = await openPage(env.browser.ctx, copied, { locale: ['en-US'] });
  await other.page.evaluate(() => localStorage.removeItem('replscope-lang'));
  await other.page.reload();
  await other.page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('2/'));
  assert.equal(await other.page.getAttribute('html', 'lang'), 'zh-Hans', 'the copied address opens in Chinese');
  await other.page.close();
  // ✕ in Chinese: no lesson, the language stays.
  await page.click('#lesson-bar .lb-close');
  assert.equal(await hash(page), '#lang=zh');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a first visit in Chinese (the browser’s language) says lang=zh in the address; a link without it gets it', async () => {
  for (const [url, want] of [['', '#lang=zh'], ['#lesson=heartbeat', '#lesson=heartbeat&lang=zh']]) {
    const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}${url}`, { cards: true, locale: ['zh-CN'] });
    await page.evaluate(() => localStorage.removeItem('replscope-lang'));
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('replscope:interactive').length > 0, null, { timeout: 20000 });
    await page.waitForFunction((w) => location.hash === w, want);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('Back after a lesson opened from the cards shows the cards; Back after “Next lesson” shows the previous lesson; Forward comes back (中文, 375×740)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lang=zh`, { width: 375, height: 740, cards: true });
  const idx = await page.evaluate(() => window.__replscope.ui.lessonIndex.map((l) => [l.id, l.title.zh]));
  const [first, second] = idx;
  const start = await histLen(page);
  await page.click(`#wl-cards .wl-go[data-lesson="${first[0]}"]`);
  await page.waitForFunction((t) => document.querySelector('#lesson-bar b')?.textContent === t, first[1]);
  assert.equal(await histLen(page), start + 1, 'a card adds an entry');
  await fast(page);
  await page.click('#lesson-bar .lb-next');
  await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('1/'));
  assert.equal(await histLen(page), start + 1, 'a step does not');
  await finish(page);
  const lastStep = await hash(page);
  await page.click('#lesson-bar .lb-nextlesson');
  await page.waitForFunction((t) => document.querySelector('#lesson-bar b')?.textContent === t, second[1]);
  assert.equal(await hash(page), `#lesson=${second[0]}&lang=zh`);
  assert.equal(await histLen(page), start + 2, '“Next lesson” adds an entry');

  // Back: the previous lesson, at the step its address kept.
  await page.goBack();
  await page.waitForFunction((t) => document.querySelector('#lesson-bar:not([hidden]) b')?.textContent === t, first[1]);
  assert.equal(await hash(page), lastStep);
  const n = await page.evaluate(() => window.__replscope.lazy.lessons.steps.length);
  assert.equal(await page.textContent('#lesson-bar .lb-step'), `${n}/${n}`);
  assert.equal(await page.isHidden('#welcome'), true);
  // Back again: the cards, no lesson, in Chinese.
  await page.goBack();
  await page.waitForSelector('#welcome:not([hidden]) .wl-go');
  assert.equal(await hash(page), '#lang=zh');
  assert.equal(await title(page), null, 'no lesson bar');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
  await page.screenshot({ path: path.join(ART, 'history-back-cards-375-zh.png') });
  // Forward, twice: the first lesson, then the second.
  await page.goForward();
  await page.waitForFunction((t) => document.querySelector('#lesson-bar:not([hidden]) b')?.textContent === t, first[1]);
  assert.equal(await page.isHidden('#welcome'), true, 'the cards hidden again');
  await page.goForward();
  await page.waitForFunction((t) => document.querySelector('#lesson-bar:not([hidden]) b')?.textContent === t, second[1]);
  assert.equal(await page.textContent('#lesson-bar .lb-step'), `0/${await page.evaluate(() => window.__replscope.lazy.lessons.steps.length)}`);
  assert.equal(await histLen(page), start + 2, 'Back and Forward add none');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Back after ✕ (the same address as the cards’) shows the cards; a link pasted later still opens, once', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { cards: true, locale: ['en-US'] });
  await page.click('#wl-cards .wl-go[data-lesson="heartbeat"]');
  await page.waitForSelector('#lesson-bar:not([hidden])');
  await page.click('#lesson-bar .lb-close');
  assert.equal(await hash(page), '');
  await page.goBack();
  await page.waitForSelector('#welcome:not([hidden]) .wl-go');
  await page.evaluate(() => { const L = window.__replscope.lazy.lessons; const s = L.start.bind(L); window.starts = 0; L.start = (...a) => { window.starts++; return s(...a); }; });
  await page.evaluate(() => { location.hash = 'lesson=propagation&step=2'; });
  await page.waitForFunction(() => document.querySelector('#lesson-bar:not([hidden]) .lb-step')?.textContent.startsWith('2/'));
  assert.equal(await page.isHidden('#welcome'), true);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.starts), 1, 'opened once (popstate and hashchange)');
  assert.deepEqual(errors, []);
  await page.close();
});
