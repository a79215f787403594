// The page, end to end, in headless Chromium: it loads cleanly, explains a partial
// resync and a full one with the right offsets, rewinds, and leaves screenshots in
// tests/e2e/artifacts/ for a human to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageSuite, serve, ARTIFACTS as ART, openPage, playUntil, consoleLine, STRICT_CSP, META_CSP, withPhone } from './harness.mjs';

const env = pageSuite();

const lastDecision = (page) => page.evaluate(() => { const w = window.__replscope.world; return w.dec(w.decPast - 1); });

test('loads with no console errors and draws the default scenario', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  assert.equal(await page.locator('#topo [data-node]').count(), 3);
  assert.match(await page.textContent('#topo'), /offset 61/);
  assert.match(await page.textContent('#clock'), /t = \d+\.\d{3} s/);
  assert.match(await page.textContent('#decision'), /\+FULLRESYNC/);
  assert.ok(await page.locator('#rulers svg').count() >= 1, 'an offset ruler for m');
  for (const tab of ['seq', 'chart', 'info', 'settings', 'events']) {
    await page.click(`#tab-${tab}`);
    await page.waitForTimeout(350);
  }
  assert.match(await page.textContent('#settings'), /repl-backlog-size/);
  await page.screenshot({ path: path.join(ART, 'load.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('disconnect, write, reconnect: the decision panel shows a partial resync with the right offsets', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.click('#topo [data-link="m|r1"]');
  await page.keyboard.press('d');
  assert.match(await page.textContent('#con-out'), /disconnect m r1/);
  await consoleLine(page, 'SET k1 v1');
  assert.match(await page.textContent('#con-out'), /m> SET k1 v1\s*OK/);
  await page.click('#topo [data-link="m|r1"]');
  await page.keyboard.press('r');
  await playUntil(page, () => document.querySelector('#decision .verdict.partial') !== null);
  // SELECT 0 (23 bytes) + SET greeting hello (38) = 61 applied, so PSYNC asks for 62;
  // SET k1 v1 adds 29: backlog bytes 1…90, and 29 bytes go back to r1.
  const d = await lastDecision(page);
  assert.equal(d.decision.asked_offset, 62);
  assert.deepEqual(d.decision.verdict, { verdict: 'continue', bytes: 29, via_replid2: false });
  const text = await page.textContent('#decision');
  assert.match(text, /\+CONTINUE/);
  assert.match(text, /r1 → m/);
  assert.match(text, /PSYNC \w{4}…\w{4} 62/);
  assert.match(text, /62 >= first byte 1/);
  assert.match(text, /62 <= first byte \+ histlen = 1 \+ 90 = 91/);
  assert.match(text, /Partial resynchronization request from r1:6379 accepted\. Sending 29 bytes of backlog starting from offset 62\./);
  assert.match(await page.textContent('#rulers'), /r1 PSYNC 62 ✓ in window/);
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(ART, 'partial-resync.png') });
  // The history: click back to the first full sync; the partial one becomes "later".
  await page.click('#dec-hist .dchip >> nth=0');
  await page.waitForFunction(() => window.__replscope.world.decPast === 1);
  assert.match(await page.textContent('#decision'), /\+FULLRESYNC/);
  assert.equal(await page.locator('#dec-hist .dchip.future').count(), 2);
  await page.click('#dec-hist .dchip >> nth=2');
  await page.waitForFunction(() => window.__replscope.world.decPast === 3);
  assert.match(await page.textContent('#decision'), /\+CONTINUE/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('overflowing the backlog gives a full resync, with the reason', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.selectOption('#lesson', 'overflow');
  await page.waitForFunction(() => window.__replscope.world.view.nodes[0].backlog?.size_limit === 16384);
  const n = await page.evaluate(() => window.__replscope.world.decPast);
  await page.click('#topo [data-link="m|r1"]');
  await page.keyboard.press('r');
  await page.evaluate((n) => { window.__n = n; }, n);
  await playUntil(page, () => window.__replscope.world.decPast > window.__n && document.querySelector('#decision .verdict.full') !== null);
  const d = await lastDecision(page);
  assert.equal(d.decision.verdict.reason, 'offset_before_backlog');
  const [first] = d.decision.master.backlog;
  assert.ok(d.decision.asked_offset < first, 'asked offset left the window');
  const text = await page.textContent('#decision');
  assert.match(text, /\+FULLRESYNC/);
  assert.match(text, new RegExp(`${d.decision.asked_offset} < first byte ${first}`));
  assert.match(text, /have already left m’s backlog/);
  assert.match(text, /not checked: asked offset ≤ first byte \+ histlen/);
  assert.match(text, /Unable to partial resync with replica r1:6379 for lack of backlog/);
  assert.match(await page.textContent('#rulers'), /r1 PSYNC \d+ ✕ before the window/);
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(ART, 'full-resync.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('scrubbing back brings the earlier offsets back, and forward again', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const t0 = await page.evaluate(() => window.__replscope.world.nowUs);
  await consoleLine(page, 'SET k1 v1');
  await consoleLine(page, 'wait 2s');
  const offsets = () => page.evaluate(() => window.__replscope.world.view.nodes.map((n) => n.role === 'master' ? n.master_repl_offset : n.slave_repl_offset));
  assert.deepEqual(await offsets(), [90, 90, 90]);
  const end = await page.evaluate(() => window.__replscope.world.nowUs);
  // The scrubber counts milliseconds.
  await page.locator('#scrub').fill(String(Math.floor(t0 / 1000) - 100));
  await page.waitForFunction(() => window.__replscope.world.view.nodes[0].master_repl_offset === 61);
  assert.deepEqual(await offsets(), [61, 61, 61]);
  assert.match(await page.textContent('#topo'), /offset 61/);
  await page.locator('#scrub').fill(String(Math.floor(end / 1000)));
  await page.waitForFunction(() => window.__replscope.world.view.nodes[0].master_repl_offset === 90);
  assert.deepEqual(await offsets(), [90, 90, 90]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard only: select a node, crash it, start it; bad input keeps the state', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.focus('#topo [data-node="r2"]');
  await page.keyboard.press('Enter');
  await page.keyboard.press('c');
  assert.match(await page.textContent('#con-out'), /crash r2/);
  await page.waitForFunction(() => /stopped/.test(document.querySelector('#topo [data-node="r2"]').textContent));
  await page.keyboard.press('s');
  assert.match(await page.textContent('#con-out'), /start r2/);
  const before = await page.evaluate(() => JSON.stringify(window.__replscope.world.view));
  await page.keyboard.press('/');
  await page.keyboard.type('disconnect m nosuch');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('#con-out'), /unknown node 'nosuch'/);
  assert.equal(await page.evaluate(() => JSON.stringify(window.__replscope.world.view)), before);
  // A blocked command (WAIT) replies later, as redis-cli would print it.
  await consoleLine(page, 'crash r2');
  await consoleLine(page, 'SET x 1');
  await consoleLine(page, 'WAIT 2 1500');
  await playUntil(page, () => /m> \(reply\) \(integer\) 1/.test(document.getElementById('con-out').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});

// The lessons, read slowly and impatiently: lessons.test.mjs.

test('its own Content-Security-Policy (the meta tag) forbids inline and injected script', async () => {
  assert.ok(META_CSP, 'index.html has a CSP meta tag');
  assert.match(META_CSP, /default-src 'self'/);
  assert.match(META_CSP, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.match(META_CSP, /require-trusted-types-for 'script'/);
  assert.doesNotMatch(META_CSP, /'unsafe-inline'|'unsafe-eval'|\*|data:|frame-ancestors/);
  // Served with no header at all: the meta alone does the work.
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const r = await page.evaluate(() => {
    const out = {};
    const s = document.createElement('script');
    try { s.textContent = 'window.__ran = "inline"'; document.body.append(s); out.text = 'set'; } catch (e) { out.text = e.name; }
    try { document.createElement('button').setAttribute('onclick', 'window.__ran = "handler"'); out.handler = 'set'; } catch (e) { out.handler = e.name; }
    try { document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="window.__ran=1">'); out.html = 'set'; } catch (e) { out.html = e.name; }
    return out;
  });
  assert.deepEqual(r, { text: 'TypeError', handler: 'TypeError', html: 'TypeError' }, 'script text, handler attributes and HTML strings are refused');
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.__ran), undefined, 'nothing ran');
  assert.ok((await page.evaluate(() => window.__violations)).some((v) => /require-trusted-types-for/.test(v)), 'the attempts were blocked and reported');
  assert.ok(errors.length > 0, 'the browser reports the blocked attempts');
  await page.close();
});

test('works under a strict Content-Security-Policy header too (no inline script or style)', async () => {
  const strict = await serve(undefined, { csp: STRICT_CSP });
  try {
    const { page, errors } = await openPage(env.browser.ctx, strict.url);
    await page.click('#topo [data-link="m|r2"]');
    await page.keyboard.press('x');
    await page.click('#tab-seq');
    await page.click('#help');
    await page.keyboard.press('Escape');
    await page.selectOption('#lesson', 'lesson:partial-resync');
    await page.waitForSelector('#lesson-bar:not([hidden])');
    assert.match(await page.textContent('#con-out'), /Partial resynchronisation/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await strict.close();
  }
});

test('no accessibility violations (axe-core), light and dark, after a lesson', async () => {
  const axeSource = fs.readFileSync(fileURLToPath(new URL('./node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');
  for (const scheme of ['light', 'dark']) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url + '?lesson=partial-resync', { scheme });
    await page.waitForSelector('#lesson-bar:not([hidden])');
    await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
    for (let i = 0; i < 4; i++) {
      await page.click('#lesson-bar .lb-btns .primary');
      await page.waitForFunction(() => !window.__replscope.world.playing);
    }
    for (const tab of ['seq', 'chart', 'info', 'settings', 'events']) {
      await page.click(`#tab-${tab}`);
      await page.waitForTimeout(300);
      // Evaluated, not injected as a <script>: the page's own policy forbids that.
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      assert.deepEqual(violations, [], `${scheme}, ${tab} tab`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('no accessibility violations in Chinese, with a banner, in the share dialog, in textbook mode and embedded', async () => {
  const axeSource = fs.readFileSync(fileURLToPath(new URL('./node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');
  const cases = [
    ['#z=bad!&lang=zh', 'light', () => null],
    ['#lang=zh', 'dark', async (p) => { await p.click('#export'); await p.waitForSelector('#dlg[open] #copy-link'); }],
    ['#lesson=myth-ack-resend&variant=textbook&lang=zh', 'light', (p) => p.waitForSelector('#tb-badge')],
    ['?embed=1#lesson=myth-ack-resend&variant=textbook', 'dark', (p) => p.waitForSelector('#tb-badge')],
    ['?embed=1&edit=1&caption=Hello', 'light', () => null],
  ];
  for (const [q, scheme, prep] of cases) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url + q, { scheme });
    await prep(page);
    await page.waitForTimeout(300);
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
    assert.deepEqual(violations, [], `${q}, ${scheme}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a share link carries a whole scenario', async () => {
  const text = 'seed 3\nnode m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nwait sync\nm> SET shared yes\n';
  const b64 = Buffer.from(text).toString('base64url');
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#s=${b64}`);
  assert.equal(await page.locator('#topo [data-node]').count(), 4);
  assert.match(await page.textContent('#con-out'), /Shared scenario/);
  assert.equal(await page.textContent('#seed-v'), '3');
  assert.deepEqual(errors, []);
  await page.close();
});

test('screenshots for review: phone and dark', async () => {
  for (const [name, opts] of [['phone-light', { width: 375, height: 812 }], ['laptop-dark', { width: 1440, height: 900, scheme: 'dark' }]]) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, opts);
    await page.screenshot({ path: path.join(ART, `${name}.png`), fullPage: name.startsWith('phone') });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('slow motion says how fast time really runs while it holds time back', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => { const r = window.__replscope; r.world.startLoad('m', 1000, 200); r.setSpeed(2); r.setPlaying(true); });
  await page.waitForFunction(() => document.getElementById('slowmo').parentElement.classList.contains('on'));
  const rate = await page.evaluate(() => document.getElementById('slowmo').parentElement.dataset.rate);
  const x = rate.startsWith('1/') ? 1 / Number(rate.slice(2, -1)) : Number(rate.slice(0, -1));
  assert.ok(x > 0 && x < 100, `shown ${rate} while 100× is asked`);
  assert.match(await page.evaluate(() => getComputedStyle(document.getElementById('slowmo').parentElement, '::after').content), new RegExp(`● ${rate.replace(/[/.]/g, '\\$&')}`));
  await page.evaluate(() => { const r = window.__replscope; r.setPlaying(false); r.world.load = null; r.renderNow(); });
  assert.equal(await page.evaluate(() => document.getElementById('slowmo').parentElement.dataset.rate), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('slow motion ends under a steady write load: after a few seconds it rests and time runs at the speed the header says (1×), and it slows again once the load stopped', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const label = () => page.evaluate(() => { const l = document.getElementById('slowmo').parentElement; return { cls: l.className, rate: l.dataset.rate, after: getComputedStyle(l, '::after').content, t: window.__replscope.world.nowUs, speed: document.getElementById('speed-out').textContent }; });
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = true; r.world.startLoad('m', 100, 16); r.setSpeed(0); r.setPlaying(true); });
  // At first every write's crossing is slowed (a 1 ms hop takes 0.4 s at 1×).
  await page.waitForFunction(() => document.getElementById('slowmo').parentElement.classList.contains('on'));
  // Then it rests: within a few seconds, not never.
  await page.waitForFunction(() => document.getElementById('slowmo').parentElement.classList.contains('rest'), null, { timeout: 8000 });
  const a = await label();
  await new Promise((r) => setTimeout(r, 2000));
  const b = await label();
  const ran = (b.t - a.t) / 1e6;
  assert.equal(b.speed, '1×');
  assert.ok(ran > 1, `resting, time runs at about the 1× set: ${ran} s in 2 s (${JSON.stringify([a, b])})`);
  assert.match(b.after, /○ rests/, 'the header says it rests');
  assert.ok(!b.cls.includes('on'), `no slowing rate shown: ${JSON.stringify(b)}`);
  // The load stopped and the wire quiet a moment: a single write crosses in slow motion again.
  await page.evaluate(() => { window.__replscope.world.load = null; });
  await page.waitForFunction(() => !document.getElementById('slowmo').parentElement.classList.contains('rest'), null, { timeout: 8000 });
  await page.evaluate(() => window.__replscope.world.apply('m> SET again 1'));
  await page.waitForFunction(() => document.getElementById('slowmo').parentElement.classList.contains('on'), null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await page.close();
});

// In a lesson at 1440 px the header wrapped onto a second row (moving every panel 34 px)
// whenever slow-mo said 'rests: steady traffic': the mark is one short word now.
test('the header keeps its height while slow-mo rests in a lesson with a steady load (upgrade-replicas-first at 1440 px)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url + '#lesson=upgrade-replicas-first');
  await page.keyboard.press('Escape');
  const seen = new Set();
  let rested = false;
  for (let i = 0; i < 3; i++) {
    const next = await page.$('#lesson-bar .lb-next');
    if (!next) break;
    await next.click();
    for (let k = 0; k < 8; k++) {
      await new Promise((r) => setTimeout(r, 350));
      const s = await page.evaluate(() => ({ h: document.querySelector('header.bar').offsetHeight, rest: document.getElementById('slowmo').parentElement.classList.contains('rest') }));
      seen.add(s.h);
      rested ||= s.rest;
    }
  }
  assert.ok(rested, 'slow-mo rested at some point (else this test checks nothing)');
  assert.equal(seen.size, 1, `header heights seen: ${[...seen]}`);
  assert.deepEqual(errors, []);
  await page.close();
});

// Side by side on a phone, the words on a master's links (a full sync's phase, a partition's
// lag) were wider than the room between the wires: the tags of neighbouring links overlapped.
test('on a phone the tags of a master\u2019s links side by side do not overlap, in English and in 中文', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 375, height: 740 });
  const tags = () => page.evaluate(() => {
    const r = window.__replscope;
    r.ui.dirty = true;
    r.renderNow();
    const boxes = [...document.querySelectorAll('#topo .linkg .tag')].map((t) => ({ text: t.textContent, b: t.getBoundingClientRect(), px: parseFloat(getComputedStyle(t.querySelector('text')).fontSize) * t.getScreenCTM().a }));
    const clash = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].b, c = boxes[j].b;
      if (Math.min(a.right, c.right) > Math.max(a.left, c.left) && Math.min(a.bottom, c.bottom) > Math.max(a.top, c.top)) clash.push(`${boxes[i].text} × ${boxes[j].text}`);
    }
    const svg = document.getElementById('topo').getBoundingClientRect();
    return { clash, texts: boxes.map((x) => x.text), out: boxes.filter((x) => x.b.left < svg.left || x.b.right > svg.right).map((x) => x.text), px: Math.min(...boxes.map((x) => x.px)) };
  });
  for (const lang of ['en', 'zh']) {
    await page.evaluate((l) => window.__replscope.setLang(l), lang);
    // Both replicas waiting for one BGSAVE (the phase in full on both links), then a partition's lag beside a link online.
    await page.evaluate(() => window.__replscope.pick('full'));
    await page.waitForFunction(() => window.__replscope.world.view.nodes.length === 3);
    await page.evaluate(() => window.__replscope.world.seekUs(2200000));
    const full = await tags();
    assert.equal(full.texts.filter((t) => /BGSAVE/.test(t)).length, 2, `${lang}: both links wait for BGSAVE: ${full.texts}`);
    await page.evaluate(() => window.__replscope.pick('basic'));
    await page.waitForFunction(() => window.__replscope.world.view.nodes.length === 3 && !window.__replscope.lazy.lessons?.cur);
    await page.evaluate(() => { const w = window.__replscope.world; w.apply('partition m r1'); w.seekUs(w.nowUs + 4000000); });
    const lag = await tags();
    assert.ok(lag.texts.some((t) => /lag \d+ s|秒未收到 ACK/.test(t)), `${lang}: the lag shows: ${lag.texts}`);
    for (const [what, r] of [['full sync', full], ['partition', lag]]) {
      assert.deepEqual(r.clash, [], `${lang}, ${what}: no two tags overlap`);
      assert.deepEqual(r.out, [], `${lang}, ${what}: every tag inside the panel`);
      assert.ok(r.px >= 9.5, `${lang}, ${what}: tag text at ${r.px} px`);
    }
    await page.locator('#topo').screenshot({ path: path.join(ART, `phone-tags-${lang}.png`) });
  }
  await page.evaluate(() => window.__replscope.setLang('en'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('help: on a touch screen it says what a tap does first; on a desktop it lists the keys', async () => {
  // A phone's context (touch, coarse pointer): a browser of its own (withPhone).
  const errors = await withPhone(async (touch) => {
    const { page, errors } = await openPage(touch, env.srv.url, { width: 375, height: 740 });
    // The header leaves the screen to the simulation: the name shares its row with Lessons
    // and the language (six rows took 260 px of a 667 px phone).
    const hdr = await page.evaluate(() => {
      const r = (q) => document.querySelector(q).getBoundingClientRect();
      return { h: r('header.bar').height, brand: r('.brand').top, lang: r('#lang').top, langBottom: r('#lang').bottom };
    });
    assert.ok(hdr.h <= 230, `header ${hdr.h} px`);
    assert.ok(hdr.brand < hdr.langBottom && hdr.lang < hdr.brand + 20, `name and language on one row: ${JSON.stringify(hdr)}`);
    // The timeline's track has most of the width (its labels reserved 140 px of 375 before).
    const track = await page.evaluate(() => document.getElementById('scrub').getBoundingClientRect().width);
    assert.ok(track >= 240, `timeline track ${track} px`);
    await page.tap('#help');
    await page.waitForSelector('#dlg[open]');
    assert.equal(await page.textContent('#dlg-h'), 'Help');
    const body = await page.textContent('#dlg-body');
    assert.match(body, /tap a node or a link.*drag the timeline.*Keyboard.*play \/ pause/s);
    assert.equal(await page.isVisible('#dlg-body kbd'), false, 'the keys are folded away on a phone');
    return errors;
  });
  const desk = await openPage(env.browser.ctx, env.srv.url);
  await desk.page.click('#help');
  await desk.page.waitForSelector('#dlg[open]');
  assert.equal(await desk.page.textContent('#dlg-h'), 'Keyboard');
  assert.doesNotMatch(await desk.page.textContent('#dlg-body'), /tap a node/);
  assert.deepEqual([...errors, ...desk.errors], []);
  await desk.page.close();
});

test('a lesson’s stream ruler flags only the PSYNCs of the lesson, as its decision panel (not the setup’s)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => window.__replscope.ui.pickLesson('replication-id'));
  await page.waitForFunction(() => /^0\//.test(document.querySelector('#lesson-bar .lb-step')?.textContent || ''));
  await page.evaluate(() => window.__replscope.renderNow());
  assert.match(await page.textContent('#decision'), /No replica has sent PSYNC since this lesson began/);
  assert.doesNotMatch(await page.textContent('#rulers'), /r\d PSYNC \? -1/, 'no flag from the setup');
  // Free play again: the setup's decisions are the session's own, flagged as before.
  await page.evaluate(() => { window.__replscope.ui.decFrom = 0; window.__replscope.renderNow(); });
  // Both replicas asked PSYNC ? -1 and were told the same: one flag names them both.
  assert.match(await page.textContent('#rulers .ask text'), /^(r1 r2|r2 r1) PSYNC \? -1 /);
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone the topology grows with its rows: a master and its replicas have room between them for the link’s labels', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 375, height: 740 });
  // The panel grows, then the cards are laid out again in it (a resize observer's round or two).
  const gap = () => page.evaluate(() => {
    const box = (n) => document.querySelector(`#topo [data-node="${n}"] rect.card`).getBoundingClientRect();
    return box('r1').top - box('m').bottom;
  });
  await page.waitForFunction(() => {
    const box = (n) => document.querySelector(`#topo [data-node="${n}"] rect.card`)?.getBoundingClientRect();
    return box('r1') && box('m') && box('r1').top - box('m').bottom >= 80;
  }, null, { timeout: 5000 }).catch(() => {});
  const g = await gap();
  assert.ok(g >= 80, `${g} px between the rows`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a partition under a write burst: the label counts the bytes of every held write (a send buffer’s worth: the rest waits in m’s buffer), and the page draws a few of them, not thousands', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.waitForFunction(() => window.__replscope.panels.topo.W > 400, null, { timeout: 10000 });   // laid out
  const r = await page.evaluate(() => {
    const R = window.__replscope, w = R.world;
    R.setPlaying(false);
    w.apply('partition m r1');
    for (let i = 0; i < 2000; i++) { w.apply(`m> SET key:${i} abcdefghijklmnopqrst`, true); w.apply('wait 1ms', true); }
    for (let i = 0; i < 3000; i++) w.apply(`m> SET burst:${i} abcdefghijklmnopqrst`, true);
    w.refresh(); R.renderNow();
    const ms = w.view.messages;
    return {
      listed: ms.length,
      held: ms.filter((m) => m.held && m.from === 'm').reduce((s, m) => s + 1 + m.more, 0),
      toR2: ms.filter((m) => m.to === 'r2').reduce((s, m) => s + 1 + m.more, 0),
      drawn: document.querySelectorAll('#topo g.msg').length,
      heldBytes: ms.filter((m) => m.held && m.from === 'm').reduce((s, m) => s + m.len, 0),
      label: [...document.querySelectorAll('#topo text')].map((t) => t.textContent).find((t) => /held/.test(t)),
    };
  });
  // m writes r1's stream at most a socket send buffer (64 KB) ahead of the wire: that much is
  // held on the partitioned link, the other writes wait in m's replication buffer.
  assert.ok(r.held > 1000 && r.held < 5000, `${r.held} of the 5000 writes held on the link`);
  assert.ok(r.heldBytes > 60000 && r.heldBytes <= 65536, `${r.heldBytes} B held: a send buffer's worth`);
  assert.equal(r.label, `m→r1: ${r.heldBytes} B held`, 'the label counts the bytes of every held write (those listed stand for the rest)');
  // r2's link is up: of the burst, what its send buffer holds is on the way, the rest follows as it drains.
  assert.ok(r.toR2 > 500 && r.toR2 < 3000, `the burst is on its way to r2, a send buffer's worth at a time (${r.toR2})`);
  assert.ok(r.listed <= 64 && r.drawn <= 64, `${r.listed} messages listed, ${r.drawn} drawn`);
  assert.deepEqual(errors, []);
  await page.close();
});
