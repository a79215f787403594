// The guided lessons as readers use them: every lesson in both languages, read slowly
// (each step left to settle), pressed impatiently (Next every 150 ms) and in between
// (150 ms / 1.5 s); looking back inside a lesson, the previous step, the cards of a first
// visit, the interview box and the next lesson. Every lesson must end with every check
// held whatever the pace. Screenshots of every lesson's last step go to artifacts/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageSuite, ARTIFACTS as ART, openPage } from './harness.mjs';

const env = pageSuite();
const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../www/lessons');
const ALL = JSON.parse(fs.readFileSync(path.join(DIR, 'index.json'), 'utf8'));
// LESSONS=id,id plays only those (while writing a lesson); CI plays them all.
const INDEX = process.env.LESSONS ? ALL.filter((l) => process.env.LESSONS.split(',').includes(l.id)) : ALL;
const lesson = (id) => JSON.parse(fs.readFileSync(path.join(DIR, `${id}.json`), 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The caption a step shows once it has settled: its own, or the last of its later ones. */
const settledCaption = (st, lang) => (st.later && st.later.length ? st.later[st.later.length - 1].caption : st.caption)[lang];

async function openLesson(page, id, lang) {
  const L = lesson(id);
  await page.evaluate(([i, l]) => { window.__replscope.setLang(l); window.__replscope.ui.pickLesson(i); }, [id, lang]);
  await page.waitForFunction(([t, n]) => document.querySelector('#lesson-bar b')?.textContent === t &&
    document.querySelector('#lesson-bar .lb-step')?.textContent === `0/${n}`, [L.title[lang], L.steps.length]);
  return L;
}

/** What the bar says after the checks: verdict, the checks as shown. */
async function results(page) {
  await page.waitForSelector('#lesson-bar .lb-checks', { timeout: 30000, state: 'attached' });
  return {
    ok: await page.locator('#lesson-bar .lb-ok').count() === 1,
    text: await page.textContent('#lesson-bar'),
    checks: await page.$$eval('#lesson-bar .lb-checks li', (els) => els.map((e) => [e.className, e.textContent])),
  };
}

/** Press Next (or Check) as soon as it can be pressed, waiting `pause(i)` ms between presses. */
async function press(page, L, pause) {
  for (let i = 0; i <= L.steps.length; i++) {
    // Pressed by script once it is there: on a phone the sticky bar can be scrolling the
    // page under a pointer click, which then lands on nothing (a CI flake: the steps never
    // ended). The pointer's own road is the phone tests' (taps on the bar).
    await page.waitForSelector('#lesson-bar .lb-next');
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
    if (i < L.steps.length) await sleep(pause(i));
  }
  return results(page);
}

test('every lesson read slowly, in both languages: each step plays and pauses on its own, its caption shows, every check holds', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  for (const lang of ['en', 'zh']) {
    for (const l of INDEX) {
      const L = await openLesson(page, l.id, lang);
      for (const variant of L.textbook ? [null, 'textbook'] : [null]) {
        const P = variant ? L.textbook : L;
        const what = `${l.id}${variant ? ' (textbook)' : ''}, ${lang}`;
        if (variant) {
          await page.click('#lesson-bar .lb-btns .warn');
          await page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent === `0/${n}`, P.steps.length);
        }
        // The textbook variant says, wherever it shows, that it is not Redis.
        assert.equal(await page.locator('#lesson-bar .lb-notredis').count(), variant ? 1 : 0, what);
        assert.equal(await page.locator('#tb-badge').count(), variant ? 1 : 0, what);
        for (let i = 0; i < P.steps.length; i++) {
          await page.click('#lesson-bar .lb-next');
          await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
          await page.waitForFunction(([c]) => document.querySelector('#lesson-bar .lb-text')?.textContent === c, [settledCaption(P.steps[i], lang)], { timeout: 3000 })
            .catch(async () => assert.equal(await page.textContent('#lesson-bar .lb-text'), settledCaption(P.steps[i], lang), `${what}: caption of step ${i + 1}`));
          assert.equal((await page.textContent('#lesson-bar .lb-step')).trim(), `${i + 1}/${P.steps.length}`, what);
        }
        await page.click('#lesson-bar .lb-next');
        const r = await results(page);
        assert.ok(r.ok, `${what}: ${r.text}`);
        assert.deepEqual(r.checks, P.checks.map((c) => ['pass', `✓ ${c.replace(/^expect\s+/, '')}`]), `${what}: every expect shown as holding`);
        if (!variant && L.interview) {
          const n = await page.locator('#lesson-bar .lb-interview li').count();
          assert.equal(n, L.interview[lang].length, `${what}: the interview lines`);
        }
        await page.screenshot({ path: path.join(ART, `lesson-${l.id}${variant ? '-textbook' : ''}-${lang}.png`) });
      }
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [name, pause, size] of [
  ['impatient (Next every 150 ms), on a phone', () => 150, { width: 375, height: 812 }],
  ['alternating 150 ms and 1.5 s, on a laptop', (i) => (i % 2 ? 1500 : 150), { width: 1440, height: 900 }],
]) {
  test(`every lesson, pressed ${name}, in both languages, ends with every check held`, async () => {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, size);
    for (const lang of ['en', 'zh']) {
      for (const l of INDEX) {
        const L = await openLesson(page, l.id, lang);
        const r = await press(page, L, pause);
        assert.ok(r.ok, `${l.id}, ${lang}: ${r.text}`);
        assert.equal(r.checks.length, L.checks.length, `${l.id}, ${lang}: every check shown`);
        if (size.width < 800) await page.screenshot({ path: path.join(ART, `lesson-${l.id}-${lang}-phone.png`), fullPage: true });
      }
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('looking back inside a lesson is read-only, and “Back to the lesson” returns; the lesson still ends with every check held', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const L = await openLesson(page, 'partial-resync', 'en');
  await page.click('#lesson-bar .lb-next');
  await page.click('#lesson-bar .lb-next');
  await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
  const present = await page.evaluate(() => window.__replscope.world.nowUs);
  // Scrub back to the start of the lesson.
  await page.evaluate(() => window.__replscope.ui.requestSeek(0));
  await page.waitForSelector('#lesson-bar .lb-past');
  assert.equal(await page.locator('#lesson-bar .lb-next').count(), 0, 'no Next while looking back');
  // The reader's statements are refused while looking back.
  const before = await page.evaluate(() => window.__replscope.world.pg.actions_len());
  await page.fill('#con-line', 'm> SET x 1');
  await page.press('#con-line', 'Enter');
  assert.equal(await page.evaluate(() => window.__replscope.world.pg.actions_len()), before, 'nothing applied in the past');
  assert.match(await page.textContent('#con-out'), /Back to the lesson/);
  await page.click('#lesson-bar .lb-back');
  await page.waitForSelector('#lesson-bar .lb-past', { state: 'detached' });
  assert.equal(await page.evaluate(() => window.__replscope.world.nowUs), present, 'back where the lesson was');
  // Look back again, then press Enter (Next) from the past: the lesson goes on from its own instant.
  await page.evaluate(() => window.__replscope.ui.requestSeek(1000));
  await page.waitForSelector('#lesson-bar .lb-past');
  await page.evaluate(() => window.__replscope.lazy.lessons.next());
  for (let i = 0; i < L.steps.length; i++) if (await page.locator('#lesson-bar .lb-next').count()) await page.click('#lesson-bar .lb-next');
  const r = await results(page);
  assert.ok(r.ok, r.text);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the reader’s own statement mid-lesson (disconnect during step 3, reconnect during step 2): the bar says at once, EN and 中文, that the captions describe the lesson’s own world, offers Replay there and keeps Next; Replay brings the lesson’s world back', async () => {
  const zhNote = '你用自己的语句改变了这个场景：下面的说明描述的是课程原本的场景，而不是你现在看到的这个。';
  for (const [lang, step, line] of [['en', 3, 'disconnect m r1'], ['zh', 3, 'disconnect m r1'], ['en', 2, 'reconnect m r1']]) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
    await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(1); });
    const L = await openLesson(page, 'partial-resync', lang);
    for (let k = 1; k <= step; k++) {
      await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
      await page.waitForFunction((k) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${k}/`), k);
      if (k < step) await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
    }
    const what = `${lang}, \`${line}\` in step ${step}`;
    assert.equal(await page.locator('#lesson-bar .lb-diverged').count(), 0, `${what}: nothing said before the reader acts`);
    await page.fill('#con-line', line);
    await page.press('#con-line', 'Enter');
    // At once: the step may still be playing.
    await page.waitForSelector('#lesson-bar .lb-diverged', { timeout: 2000 });
    const note = await page.textContent('#lesson-bar .lb-diverged');
    if (lang === 'en') assert.match(note, /the captions describe the lesson’s own world, not this one/, what);
    else assert.equal(note, zhNote, what);
    assert.equal(await page.locator('#lesson-bar .lb-replay').count(), 1, `${what}: Replay offered there`);
    assert.equal(await page.isEnabled('#lesson-bar .lb-next'), true, `${what}: Next still usable`);
    await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
    await page.screenshot({ path: path.join(ART, `lesson-diverged-${lang}-step${step}.png`) });
    // The note stays through the steps, until Replay rebuilds the lesson's own world at this step.
    await page.click('#lesson-bar .lb-replay');
    await page.waitForSelector('#lesson-bar .lb-diverged', { state: 'detached' });
    assert.equal(await page.textContent('#lesson-bar .lb-step'), `${step}/${L.steps.length}`, `${what}: Replay stays at this step`);
    assert.equal(await page.locator('#lesson-bar .lb-replay').count(), 0, `${what}: no Replay once the world is the lesson's`);
    const r = await press(page, { steps: L.steps.slice(step) }, () => 0);
    assert.ok(r.ok, `${what}: after Replay every check holds: ${r.text}`);
    assert.doesNotMatch(r.text, /own statements/, what);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('“Previous step” rebuilds the end of the previous step exactly; the interview box and “Next lesson” follow the checks', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const L = await openLesson(page, 'partial-resync', 'en');
  const snap = () => page.evaluate(() => { const w = window.__replscope.world; return { t: w.nowUs, nodes: w.view.nodes.map((n) => [n.name, n.master_repl_offset, n.slave_repl_offset, n.sync_full, n.sync_partial_ok]) }; });
  await page.click('#lesson-bar .lb-next');
  await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
  const after1 = await snap();
  await page.click('#lesson-bar .lb-next');
  await page.click('#lesson-bar .lb-prev');
  await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('1/'));
  assert.deepEqual(await snap(), after1, 'the world at the end of step 1, as it was');
  for (let i = 1; i <= L.steps.length; i++) await page.click('#lesson-bar .lb-next');
  const r = await results(page);
  assert.ok(r.ok, r.text);
  if (L.interview) assert.ok(await page.locator('#lesson-bar .lb-interview li').count() >= 3, 'what to say in the interview');
  const i = ALL.findIndex((x) => x.id === 'partial-resync');
  const next = ALL[i + 1];
  await page.click('#lesson-bar .lb-nextlesson');
  await page.waitForFunction((t) => document.querySelector('#lesson-bar b')?.textContent === t, next.title.en);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`lesson=${next.id}`));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a first visit shows the lessons as cards (desktop and 375 px); a card opens its lesson, free play runs', async () => {
  for (const [w, h, lang] of [[1440, 900, 'en'], [375, 812, 'en'], [375, 812, 'zh']]) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: w, height: h, cards: true, locale: lang === 'zh' ? ['zh-CN'] : ['en-US'] });
    await page.waitForSelector('#welcome:not([hidden]) .wl-go');
    const ids = await page.$$eval('#wl-cards .wl-go', (els) => els.map((e) => e.dataset.lesson));
    const kind = (l) => l.kind || (l.myth ? 'myth' : 'question');
    assert.deepEqual(ids, ['question', 'myth', 'incident'].flatMap((k) => ALL.filter((l) => kind(l) === k)).map((l) => l.id).concat('free'), 'questions in order, the myth check, the incidents, free play');
    assert.match(await page.textContent('#wl-cards'), new RegExp(ALL[0].title[lang]));
    // The first card is on screen without scrolling.
    const box = await page.locator('#wl-cards .wl-go').first().boundingBox();
    assert.ok(box && box.y + box.height <= h, `first card visible at ${w}px`);
    await page.screenshot({ path: path.join(ART, `cards-${w}-${lang}.png`) });
    await page.click(`#wl-cards .wl-go[data-lesson="${ALL[2].id}"]`);
    await page.waitForFunction((t) => document.querySelector('#lesson-bar b')?.textContent === t, ALL[2].title[lang]);
    assert.equal(await page.isHidden('#welcome'), true);
    // Back to the cards from the header, then free play: the cluster runs.
    await page.click('#lessons-btn');
    await page.click('#wl-cards .wl-go[data-lesson="free"]');
    await page.waitForFunction(() => window.__replscope.world.playing);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the lesson picker groups the myth checks and the incidents; their titles drop the prefix the group says (both languages); the lesson keeps its full title', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const kind = (l) => l.kind || (l.myth ? 'myth' : 'question');
  const groups = { en: ['Guided lessons', 'Myth checks', 'Incidents'], zh: ['引导课程', '误区辨析', '线上事故'] };
  for (const lang of ['en', 'zh']) {
    await page.evaluate((l) => window.__replscope.setLang(l), lang);
    await page.waitForFunction((l) => document.documentElement.lang === (l === 'zh' ? 'zh-Hans' : 'en'), lang);
    const listed = await page.$$eval('#lesson optgroup', (gs) => gs.map((g) => [g.label, [...g.querySelectorAll('option')].map((o) => [o.value, o.textContent])]));
    const of = (label) => listed.find(([g]) => g === label)?.[1] || [];
    for (const [k, i] of [['question', 0], ['myth', 1], ['incident', 2]]) {
      const want = ALL.filter((l) => kind(l) === k);
      const got = k === 'question' ? listed.find(([, os]) => os.some(([v]) => v === `lesson:${want[0].id}`))?.[1] : of(groups[lang][i]);
      assert.deepEqual(got.map(([v]) => v), want.map((l) => `lesson:${l.id}`), `${lang}: the ${k} lessons in their own group`);
    }
    for (const [, os] of listed) for (const [, text] of os) assert.doesNotMatch(text, /^(Myth check|Incident|误区辨析|故障案例|线上事故)\s*[:：]/, `${lang}: “${text}”`);
    const myth = ALL.find((l) => kind(l) === 'myth');
    const [, mythText] = of(groups[lang][1]).find(([v]) => v === `lesson:${myth.id}`);
    assert.ok(mythText.length > 5 && myth.title[lang].endsWith(mythText.slice(1)), `${lang}: the myth keeps its question (“${mythText}”)`);
    if (lang === 'en') assert.match(mythText, /^[A-Z]/, 'a capital after the dropped prefix');
    // Picked from the list, the lesson's heading and its link are as before.
    await page.selectOption('#lesson', `lesson:${myth.id}`);
    await page.waitForFunction((t) => document.querySelector('#lesson-bar b')?.textContent === t, myth.title[lang]);
    assert.match(await page.evaluate(() => location.hash), new RegExp(`^#lesson=${myth.id}`));
  }
  await page.evaluate(() => window.__replscope.setLang('en'));
  assert.deepEqual(errors, []);
  await page.close();
});

/** Where the caption, the Next button, the bar and the focused panel are on screen. */
const layout = (page) => page.evaluate(() => {
  const bx = (s) => { const e = document.querySelector(s); if (!e) return null; const b = e.getBoundingClientRect(); return { top: b.top, bottom: b.bottom }; };
  return { y: scrollY, vh: innerHeight, bar: bx('#lesson-bar'), text: bx('#lesson-bar .lb-text'), next: bx('#lesson-bar .lb-next'), prev: bx('#lesson-bar .lb-prev'), focus: bx('.panel.focus'), position: getComputedStyle(document.getElementById('lesson-bar')).position };
});

test('on a phone (375×740, touch, 中文) the caption and Next stay on screen while each step scrolls to its panel, which the bar does not cover; 1440 px is unchanged', async () => {
  for (const id of ['full-sync', 'propagation', 'heartbeat', 'replication-id']) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 375, height: 740 });
    const cdp = await env.browser.ctx.newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
    const L = await openLesson(page, id, 'zh');
    for (let i = 0; i < L.steps.length; i++) {
      await page.click('#lesson-bar .lb-next');
      await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
      await sleep(900);   // the smooth scroll to the panel
      const at = await layout(page);
      const what = `${id} step ${i + 1}: ${JSON.stringify(at)}`;
      assert.equal(at.position, 'sticky', what);
      for (const k of ['text', 'next', 'prev']) assert.ok(at[k].top >= 0 && at[k].bottom <= at.vh, `${k} on screen, ${what}`);
      if (at.focus) {
        // The panel the step talks about shows under the bar: its top, or at least 200 px of it.
        assert.ok(at.focus.top >= at.bar.bottom - 1 || at.focus.bottom <= at.bar.top + 1 || at.focus.bottom - Math.max(at.focus.top, at.bar.bottom) >= 200, `focused panel not under the bar, ${what}`);
        assert.ok(Math.min(at.focus.bottom, at.vh) - Math.max(at.focus.top, at.bar.bottom) >= Math.min(200, at.focus.bottom - at.focus.top - 2), `focused panel in view, ${what}`);
      }
      if (id === 'propagation' && i === 0) await page.screenshot({ path: path.join(ART, 'lesson-phone-zh-propagation-1.png') });
    }
    await page.click('#lesson-bar .lb-next');
    const r = await results(page);
    assert.ok(r.ok, `${id}: ${r.text}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
  // Desktop: the bar stays in the page's flow and nothing scrolls.
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const L = await openLesson(page, 'propagation', 'zh');
  for (let i = 0; i < L.steps.length; i++) {
    await page.click('#lesson-bar .lb-next');
    await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
    const at = await layout(page);
    assert.equal(at.position, 'static');
    assert.equal(at.y, 0, `desktop does not scroll, step ${i + 1}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a step whose caption is followed by later ones keeps the earlier ones, dimmed, above the current one; “Previous step” shows them all again', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  for (const lang of ['zh', 'en']) {
    for (const id of ['replication-id', 'heartbeat']) {
      const L = await openLesson(page, id, lang);
      const k = L.steps.findIndex((s) => s.later && s.later.length);
      const st = L.steps[k];
      const earlier = [st.caption, ...st.later.slice(0, -1).map((l) => l.caption)].map((c) => c[lang]);
      for (let i = 0; i <= k; i++) {
        await page.click('#lesson-bar .lb-next');
        await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
      }
      const shown = () => page.$$eval('#lesson-bar .lb-earlier, #lesson-bar .lb-text', (els) => els.map((e) => [e.className, e.textContent]));
      const want = [...earlier.map((c) => ['lb-earlier', c]), ['lb-text', settledCaption(st, lang)]];
      assert.deepEqual(await shown(), want, `${id} (${lang}) step ${k + 1}`);
      // One step on, then back: the step's captions, every one of them, again.
      await page.click('#lesson-bar .lb-next');
      await page.click('#lesson-bar .lb-prev');
      await page.waitForFunction((n) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${n}/`), k + 1);
      assert.deepEqual(await shown(), want, `${id} (${lang}) step ${k + 1} after “Previous step”`);
      // The step that follows has one caption: no earlier ones.
      await page.click('#lesson-bar .lb-next');
      await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
      if (!L.steps[k + 1]?.later) assert.equal(await page.locator('#lesson-bar .lb-earlier').count(), 0);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a step that selects a node and opens INFO shows that node (the picker follows); where-writes-wait’s captions say what is on screen when each step stops; step commands echo shortened (EN, 中文)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  for (const lang of ['en', 'zh']) {
    const L = await openLesson(page, 'where-writes-wait', lang);
    const k = L.steps.findIndex((s) => s.select && s.tab === 'info');
    assert.ok(k > 1, 'a step selects r8 and opens INFO');
    for (let i = 0; i <= k; i++) {
      await page.click('#lesson-bar .lb-next');
      await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
      if (i === 1) {
        // Step 2: what its caption quotes from the topology is drawn there.
        const topo = await page.textContent('#topo');
        const quoted = [...settledCaption(L.steps[1], lang).matchAll(lang === 'zh' ? /“([^”]+)”/g : /'([^']+)'/g)].map((m) => m[1]);
        assert.ok(quoted.length >= 2, `${lang}: step 2 quotes the topology`);
        // (A link's tag may wrap its words over several lines to stand beside its wire: the
        // lines' text runs on with no space between them, so spaces are left out of both.)
        const flat = (t) => t.replace(/\s+/g, '');
        for (const q of quoted) assert.ok(flat(topo).includes(flat(q)), `${lang}: step 2 quotes “${q}”, the topology shows: ${topo}`);
        // Its ~4 KB SET values are echoed as the setup's long lines are: shortened.
        const lines = (await page.$$eval('#con-out > *', (els) => els.map((e) => e.textContent))).flatMap((t) => t.split('\n'));
        assert.ok(lines.every((l) => l.length < 400), `${lang}: no wall of x in the console`);
        assert.ok(lines.some((l) => /SET order:23 x+(…\(\+\d+ characters\)|……（还有 \d+ 个字符）)$/.test(l)), `${lang}: a step's long command, shortened`);
      }
    }
    await page.waitForFunction((n) => document.querySelector('#pane-info select')?.value === n, L.steps[k].select, { timeout: 3000 })
      .catch(async () => assert.equal(await page.inputValue('#pane-info select'), L.steps[k].select, `${lang}: INFO shows the selected node`));
    assert.equal(await page.getAttribute('#tab-info', 'aria-selected'), 'true');
    // Every field:value the caption quotes is a line of the INFO shown.
    await page.waitForFunction((n) => document.getElementById('info').textContent.includes(`master_host:${n === 'r8' ? 'm8' : ''}`), L.steps[k].select);
    const info = (await page.textContent('#info')).split('\n');
    const cap = await page.textContent('#lesson-bar .lb-text');
    assert.equal(cap, settledCaption(L.steps[k], lang));
    const fields = [...cap.matchAll(/\b([a-z_]+):(\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
    assert.ok(fields.length >= 2, `${lang}: the caption quotes INFO`);
    for (const f of fields) assert.ok(info.includes(f), `${lang}: caption says ${f}; INFO shows ${info.filter((l) => l.startsWith(f.split(':')[0]))}`);
  }
  // Heartbeat: the last write has reached r1 when the lesson ends (the two offsets agree on screen).
  const L = await openLesson(page, 'heartbeat', 'en');
  const r = await press(page, L, () => 0);
  assert.ok(r.ok, r.text);
  const offs = await page.evaluate(() => Object.fromEntries(window.__replscope.world.view.nodes.map((n) => [n.name, n.role === 'master' ? n.master_repl_offset : n.slave_repl_offset])));
  assert.ok(offs.m > 64 && offs.r1 === offs.m, JSON.stringify(offs));
  assert.deepEqual(errors, []);
  await page.close();
});

test('full-sync: each step stops where its caption is: step 1 after m received PSYNC ? -1 (the decision shows it), step 3 with r1 at offset 0 and the buffered writes still on their way, step 4 with both at 115 (EN, 中文)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  const offsets = () => page.evaluate(() => Object.fromEntries(window.__replscope.world.view.nodes.map((n) => [n.name, n.role === 'master' ? n.master_repl_offset : n.slave_repl_offset])));
  // The offset a caption quotes: "offset 0" / "偏移量 0", "offset 115" / "偏移量都是 115".
  const quoted = (cap) => Number(/(?:offset|偏移量(?:都是)?) (\d+)/.exec(cap)[1]);
  for (const lang of ['en', 'zh']) {
    const L = await openLesson(page, 'full-sync', lang);
    for (let i = 0; i < 4; i++) {
      await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
      await page.waitForFunction((k) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${k}/`), i + 1);
      await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
      const cap = await page.textContent('#lesson-bar .lb-text');
      assert.equal(cap, settledCaption(L.steps[i], lang), `${lang} step ${i + 1}`);
      await page.screenshot({ path: path.join(ART, `full-sync-${lang}-step${i + 1}.png`) });
      const dec = await page.textContent('#decision'), o = await offsets();
      const what = `${lang} step ${i + 1}: ${JSON.stringify(o)}, decision: ${dec.slice(0, 200)}`;
      if (i === 0) {
        assert.match(cap, /PSYNC \? -1/, what);
        assert.match(dec, /r1 → m\s*PSYNC \? -1/, `the caption's PSYNC ? -1 has reached m, ${what}`);
        assert.equal(await page.locator('#decision .verdict').count(), 1, what);
      }
      if (i === 2) {
        assert.equal(o.r1, quoted(cap), `r1 shows the offset the caption says it takes, ${what}`);
        assert.ok(o.m > o.r1, `the buffered writes are still to follow, ${what}`);
      }
      if (i === 3) assert.ok(o.r1 === quoted(cap) && o.m === quoted(cap), what);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('a step still playing after a few seconds says, under the buttons, that Next skips ahead; the line takes no new room (1440 px and a 375 px phone, EN, 中文)', async () => {
  for (const [size, lang] of [[{ width: 1440, height: 900 }, 'en'], [{ width: 375, height: 740 }, 'zh']]) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, size);
    // Slow motion (the default) makes full-sync-loop's second step last half a minute.
    const L = await openLesson(page, 'full-sync-loop', lang);
    await page.click('#lesson-bar .lb-next');
    await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 60000 });
    await page.click('#lesson-bar .lb-next');
    const box = () => page.evaluate(() => { const b = (s) => document.querySelector(s)?.getBoundingClientRect(); return { bar: b('#lesson-bar').height, next: b('#lesson-bar .lb-next').top, hint: b('#lesson-bar .lb-hint') }; });
    await sleep(500);
    const early = await box();
    assert.equal(await page.locator('#lesson-bar .lb-hint.on').count(), 0, 'not at once');
    assert.equal(await page.isVisible('#lesson-bar .lb-hint'), false);
    await sleep(4500);
    assert.ok(await page.evaluate(() => window.__replscope.world.playing), 'the step still plays');
    assert.equal(await page.isVisible('#lesson-bar .lb-hint.on'), true);
    const text = await page.textContent('#lesson-bar .lb-hint');
    assert.ok(text.includes(await page.textContent('#lesson-bar .lb-next')), text);
    assert.match(text, lang === 'zh' ? /仍在播放/ : /Still playing/);
    const late = await box();
    // Its room was kept: with the line hidden again the bar and its buttons are where they
    // are with it shown (a later caption may have changed the bar since 'early': compared
    // at the same moment, not with then).
    const [shown, hidden] = await page.evaluate(() => {
      const e = document.querySelector('#lesson-bar .lb-hint');
      const m = () => [document.querySelector('#lesson-bar').getBoundingClientRect().height, document.querySelector('#lesson-bar .lb-next').getBoundingClientRect().top];
      const a = m();
      e.classList.remove('on');
      const b = m();
      e.classList.add('on');
      return [a, b];
    });
    assert.deepEqual(shown, hidden, 'nothing moved');
    assert.ok(early.bar > 0);
    assert.ok(late.hint.top >= 0 && late.hint.bottom <= size.height && late.hint.right <= size.width, `on screen: ${JSON.stringify(late.hint)}`);
    await page.screenshot({ path: path.join(ART, `lesson-still-playing-${size.width}-${lang}.png`) });
    // Next skips to the step's end and the line hides again.
    await page.click('#lesson-bar .lb-next');
    await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('3/'));
    await page.evaluate(() => window.__replscope.setPlaying(false));
    await page.waitForFunction(() => !document.querySelector('#lesson-bar .lb-hint.on'));
    assert.equal(L.steps.length > 2, true);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('an impatient reader who presses “Check the result” as soon as the last step begins still reads its timed captions, the payoff, above the checks and the interview box; one who waited is not shown them twice (EN, 中文, 1440 px and a 375 px phone)', async () => {
  const ids = INDEX.map((l) => l.id).filter((id) => { const L = lesson(id); return L.interview && L.steps.at(-1).later?.length; });
  for (const want of ['partial-resync', 'offsets-backlog', 'backlog-too-small', 'master-no-persistence']) if (INDEX.some((l) => l.id === want)) assert.ok(ids.includes(want), `${want}: its last step has timed captions`);
  for (const [size, langs] of [[{ width: 1440, height: 900 }, ['en', 'zh']], [{ width: 375, height: 812 }, ['zh']]]) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, size);
    for (const lang of langs) {
      for (const id of ids) {
        const L = await openLesson(page, id, lang);
        const last = L.steps.at(-1), payoff = last.later.map((l) => l.caption[lang]);
        // Every step pressed at once, Check included.
        const r = await press(page, L, () => 0);
        assert.ok(r.ok, `${id}, ${lang}: ${r.text}`);
        const shown = await page.$$eval('#lesson-bar .lb-cap > *', (els) => els.map((e) => [e.className, e.textContent]));
        const at = (cls) => shown.findIndex(([c]) => c.split(' ').includes(cls));
        assert.deepEqual(shown.filter(([c]) => c === 'lb-payoff').map(([, t]) => t), payoff, `${id}, ${lang}: the last step's timed captions`);
        assert.ok(at('lb-payoff') < at('lb-verdict') && at('lb-verdict') < at('lb-interview'), `${id}, ${lang}: payoff, then checks, then interview: ${JSON.stringify(shown.map(([c]) => c))}`);
        const vis = await page.evaluate(() => { const el = document.querySelector('#lesson-bar .lb-payoff'), b = el.getBoundingClientRect(); return b.width > 100 && b.height > 10 && getComputedStyle(el).visibility === 'visible'; });
        assert.ok(vis, `${id}, ${lang}: the payoff is drawn`);
        if (id === 'partial-resync') await page.screenshot({ path: path.join(ART, `lesson-payoff-${id}-${lang}-${size.width}.png`), fullPage: size.width < 800 });
      }
    }
    // A reader who waited for the last step's captions before checking: no payoff repeated.
    const L = await openLesson(page, ids[0], 'en');
    for (let i = 0; i < L.steps.length; i++) {
      await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); document.querySelector('#lesson-bar .lb-next').click(); });
      await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 });
    }
    await page.waitForFunction((c) => document.querySelector('#lesson-bar .lb-text')?.textContent === c, settledCaption(L.steps.at(-1), 'en'));
    await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
    await results(page);
    assert.equal(await page.locator('#lesson-bar .lb-payoff').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
