// A lesson and its address: the address bar keeps the step (`#lesson=ID&step=N`) as the
// reader moves, both ways, so a reload comes back to that step with its caption and its world
// (rebuilt as "Previous step" rebuilds it); a step that is missing, not a number or too large
// falls back without an error; an embed and the lesson link copied to share start at the
// beginning. And the bar's "You changed this world" note: a read (GET, INFO, DBSIZE, ROLE,
// KEYS, an expect) does not raise it, a write or a wait does (EN, 中文). Screenshots of the
// bar after a reload at step 3 (1440×900, 375×740) go to artifacts/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageSuite, openPage, consoleLine, ARTIFACTS as ART } from './harness.mjs';

const env = pageSuite();
const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../www/lessons');
const lesson = (id) => JSON.parse(fs.readFileSync(path.join(DIR, `${id}.json`), 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The caption a step shows once it has settled: its own, or the last of its later ones. */
const settled = (st, lang) => (st.later && st.later.length ? st.later[st.later.length - 1].caption : st.caption)[lang];
const ZH_NOTE = '你用自己的语句改变了这个场景：下面的说明描述的是课程原本的场景，而不是你现在看到的这个。';

const stepShown = (page) => page.textContent('#lesson-bar .lb-step');
const hash = (page) => page.evaluate(() => location.hash);
/** The world as the lesson leaves it: the time and what each node says of its replication. */
const snap = (page) => page.evaluate(() => {
  const w = window.__replscope.world;
  return { t: w.nowUs, nodes: w.view.nodes.map((n) => [n.name, n.role, n.status, n.link_state, n.master_repl_offset, n.slave_repl_offset, n.keys, n.sync_full, n.sync_partial_ok]) };
});

/** Press Next and wait until step `k` has begun and stopped. */
async function next(page, k) {
  await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
  await page.waitForFunction((k) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${k}/`), k);
  await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 30000 });
}

async function fast(page) {
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(4); });
}

test('the address bar keeps the step, forward and back; a reload at step 3 lands on step 3 with its caption and its world (EN, 中文); screenshots at 1440×900 and 375×740', async () => {
  const L = lesson('partial-resync'), n = L.steps.length;
  for (const lang of ['en', 'zh']) {
    const tail = lang === 'zh' ? '&lang=zh' : '';
    const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=partial-resync${tail}`);
    await page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `0/${n}`, n);
    assert.equal(await hash(page), `#lesson=partial-resync${tail}`, `${lang}: no step before the first`);
    await fast(page);
    for (let k = 1; k <= n; k++) {
      await next(page, k);
      assert.equal(await hash(page), `#lesson=partial-resync${tail}&step=${k}`, `${lang}: step ${k} in the address bar`);
    }
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-prev').click());
    await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('2/'));
    assert.equal(await hash(page), `#lesson=partial-resync${tail}&step=2`, `${lang}: Previous step moves it back`);
    await next(page, 3);
    const before = await snap(page);
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('replscope:interactive').length > 0, null, { timeout: 20000 });
    await page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `${n}/${n}`, n);
    assert.equal(await page.textContent('#lesson-bar .lb-text'), settled(L.steps[2], lang), `${lang}: step 3's caption after the reload`);
    assert.equal(await page.textContent('#lesson-bar b'), L.title[lang], `${lang}: the lesson's title`);
    assert.deepEqual(await snap(page), before, `${lang}: the world at the end of step 3, as before the reload`);
    assert.equal(await hash(page), `#lesson=partial-resync${tail}&step=3`, `${lang}: the step stays in the address bar`);
    assert.equal(await page.locator('#lesson-bar .lb-diverged').count(), 0, `${lang}: the lesson's own world`);
    assert.equal(await page.locator('#banner').count(), 0, `${lang}: no banner`);
    if (lang === 'en') await page.screenshot({ path: path.join(ART, 'lesson-reload-step3-1440.png') });
    // The lesson goes on from there and ends with every check held.
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
    await page.waitForSelector('#lesson-bar .lb-checks', { timeout: 30000, state: 'attached' });
    assert.equal(await page.locator('#lesson-bar .lb-ok').count(), 1, `${lang}: every check held after the reload`);
    assert.equal(await hash(page), `#lesson=partial-resync${tail}&step=3`, `${lang}: the checks' end keeps the last step`);
    // Closing the lesson leaves its link (a reload then opens no lesson).
    await page.click('#lesson-bar .lb-close');
    assert.equal(await hash(page), lang === 'zh' ? '#lang=zh' : '', `${lang}: ✕ leaves the lesson link (the language stays)`);
    assert.deepEqual(errors, []);
    await page.close();
  }
  // A phone opens the same link at step 3.
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=partial-resync&step=3&lang=zh`, { width: 375, height: 740 });
  await page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `${n}/${n}`, n);
  assert.equal(await page.textContent('#lesson-bar .lb-text'), settled(L.steps[2], 'zh'));
  await sleep(800);   // the focused panel scrolled under the bar
  await page.screenshot({ path: path.join(ART, 'lesson-reload-step3-375-zh.png') });
  await page.evaluate(() => scrollTo(0, 0));
  await sleep(300);
  await page.screenshot({ path: path.join(ART, 'lesson-reload-step3-375-zh-top.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a step that is missing, not a number, 0 or too large falls back (the start, the last step) without an error; the textbook variant keeps its own steps; an embed and the copied lesson link start at the beginning', async () => {
  const L = lesson('partial-resync'), n = L.steps.length;
  for (const [step, want, url] of [['', 0, ''], ['abc', 0, ''], ['0', 0, ''], ['-1', 0, ''], ['2.5', 0, ''], ['1', 1, '&step=1'], ['99', n, `&step=${n}`], ['99999999999999999999999', n, `&step=${n}`]]) {
    const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=partial-resync${step ? `&step=${step}` : ''}`);
    await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step'));
    assert.equal(await stepShown(page), `${want}/${n}`, `step=${step}`);
    assert.equal(await page.textContent('#lesson-bar .lb-text'), want ? settled(L.steps[want - 1], 'en') : L.summary.en, `step=${step}: the caption`);
    assert.equal(await hash(page), `#lesson=partial-resync${url}`, `step=${step}: the address bar`);
    assert.equal(await page.locator('#banner').count(), 0, `step=${step}: no banner`);
    assert.deepEqual(errors, [], `step=${step}`);
    await page.close();
  }
  // Textbook mode: its one step; the variant stays in the address bar, and goes with Back to real Redis.
  const M = lesson('myth-ack-resend');
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=myth-ack-resend&variant=textbook&step=5`);
  await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step'));
  assert.equal(await stepShown(page), `${M.textbook.steps.length}/${M.textbook.steps.length}`, 'textbook: capped at its last step');
  assert.equal(await page.locator('#lesson-bar .lb-notredis').count(), 1, 'textbook: labelled NOT Redis');
  assert.equal(await hash(page), `#lesson=myth-ack-resend&variant=textbook&step=${M.textbook.steps.length}`);
  // The copied lesson link has no step.
  await page.click('#export');
  await page.click('#copy-lesson');
  const v = await page.inputValue('#dlg input.mono');
  assert.match(v, /#lesson=myth-ack-resend&variant=textbook$/, `the copied lesson link starts at the beginning: ${v}`);
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
  await page.close();
  // An embed starts at the beginning and does not write its frame's address.
  const e = await openPage(env.browser.ctx, `${env.srv.url}?embed=1#lesson=partial-resync`);
  await e.page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `0/${n}`, n);
  await fast(e.page);
  await next(e.page, 1);
  assert.equal(await hash(e.page), '#lesson=partial-resync', 'an embed keeps its address');
  assert.deepEqual(e.errors, []);
  await e.page.close();
});

test('a read in the console during a lesson (GET, INFO, DBSIZE, ROLE, KEYS, an expect) says nothing and the lesson ends clean; a write or a wait says at once that the world changed (EN, 中文)', async () => {
  const L = lesson('partial-resync');
  // A command refused with an error (unknown here, or a write to a read-only replica) changes nothing either,
  // also when redis-cli prints the error raw (CLIENT LIST: "ERR unknown command …" without "(error) ").
  const reads = ['m> GET a', 'r1> INFO replication', 'm> DBSIZE', 'ROLE', 'KEYS *', 'r1> GET a', 'm> CONFIG GET repl-backlog-size', 'expect m role = master', 'expect r1> GET a => "1"', 'm> SCAN 0', 'r1> SET x 1', 'm> CLIENT LIST'];
  for (const lang of ['en', 'zh']) {
    for (const change of ['m> SET x 1', 'wait 100ms', 'm> SELECT 1', 'disconnect m r1']) {
      const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=partial-resync&step=1${lang === 'zh' ? '&lang=zh' : ''}`);
      await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('1/'));
      await fast(page);
      const what = `${lang}, then \`${change}\``;
      for (const line of reads) {
        await consoleLine(page, line);
        await sleep(100);
        assert.equal(await page.locator('#lesson-bar .lb-diverged').count(), 0, `${what}: \`${line}\` only reads`);
      }
      const out = await page.textContent('#con-out');
      assert.match(out, /role:slave/, `${what}: INFO answered`);
      assert.match(out, /\(integer\) 1/, `${what}: DBSIZE answered`);
      if (change === 'm> SET x 1') {
        // The reads left the lesson as it was: it goes on, and ends, as its own.
        await next(page, 2);
        await consoleLine(page, 'm> GET b');
        await sleep(100);
        assert.equal(await page.locator('#lesson-bar .lb-diverged').count(), 0, `${what}: a read during step 2`);
      }
      await consoleLine(page, change);
      await page.waitForSelector('#lesson-bar .lb-diverged', { timeout: 2000 });
      const note = await page.textContent('#lesson-bar .lb-diverged');
      if (lang === 'en') assert.match(note, /the captions describe the lesson’s own world, not this one/, what);
      else assert.equal(note, ZH_NOTE, what);
      assert.equal(await page.locator('#lesson-bar .lb-replay').count(), 1, `${what}: Replay offered`);
      assert.deepEqual(errors, []);
      await page.close();
    }
    // Reads only, to the end: the checks ran on the lesson's own world.
    const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=partial-resync${lang === 'zh' ? '&lang=zh' : ''}`);
    await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('0/'));
    await fast(page);
    for (let k = 1; k <= L.steps.length; k++) {
      await next(page, k);
      await consoleLine(page, k === 2 ? 'r1> INFO replication' : 'm> GET a');
    }
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
    await page.waitForSelector('#lesson-bar .lb-checks', { timeout: 30000, state: 'attached' });
    assert.equal(await page.locator('#lesson-bar .lb-ok').count(), 1, `${lang}: every check held`);
    assert.equal(await page.locator('#lesson-bar .lb-note').filter({ hasText: /own statements|自己的语句/ }).count(), 0, `${lang}: no "your own statements" at the end`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the language button wins over a lang=zh in the address on reload; ✕ leaves the lesson link, so a reload opens no lesson', async () => {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=partial-resync&step=2&lang=zh`);
  await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('2/'));
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.evaluate(() => location.hash), '#lesson=partial-resync&step=2');
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('2/'));
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.click('#lesson-bar .lb-close');
  assert.equal(await page.evaluate(() => location.hash), '');
  await page.reload();
  await page.waitForFunction(() => window.__replscope.panels.topo.W > 100);
  await sleep(300);
  assert.equal(await page.locator('#lesson-bar .lb-step').count(), 0, 'no lesson after the reload');
  assert.deepEqual(errors, []);
  await page.close();
});
