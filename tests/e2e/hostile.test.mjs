// Untrusted input stays data: markup in keys, values, node names and captions; broken,
// huge, deeply nested, compressed-to-explode and wrongly typed links. Nothing runs (no
// dialog, no CSP violation, no new script element, no event-handler attribute), nothing
// crashes (the console still answers), the banner says why, and what the reader had
// stays: at boot the default scenario opens, later the session is unchanged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { pageSuite, openPage, assertInert, PAGE_SCRIPTS } from './harness.mjs';

const env = pageSuite();

const XSS_KEY = '<img src=x onerror=alert(1)>';
const XSS_VAL = '</text><script>alert(2)</script><svg onload=alert(3)>';
const z = (obj) => zlib.deflateRawSync(Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj))).toString('base64url');
const GOOD = { v: 1, seed: 3, script: 'node m\nnode r1 replicaof=m\nwait sync\n', t_us: 0 };

test('markup typed into the console, as keys, values and node names, is shown as text', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.fill('#con-line', `m> SET "${XSS_KEY}" "${XSS_VAL.replace(/"/g, '\\"')}"`);
  await page.press('#con-line', 'Enter');
  await page.fill('#con-line', `m> GET "${XSS_KEY}"`);
  await page.press('#con-line', 'Enter');
  await page.fill('#con-line', `node ${XSS_KEY}`);
  await page.press('#con-line', 'Enter');
  await page.fill('#con-line', 'node x"><script>alert(4)</script>');
  await page.press('#con-line', 'Enter');
  const out = await page.textContent('#con-out');
  assert.ok(out.includes(`m> SET "${XSS_KEY}"`), 'the command, as typed');
  assert.ok(out.includes(`"${XSS_VAL}"`), 'the value, as redis-cli prints it');
  assert.match(out, /bad node name '<img'/);
  assert.match(out, /node x"><script>alert\(4\)<\/script>line 1, column 7: unbalanced quotes/);
  // The value crosses the wire and shows in the topology and the event log, as text.
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = true; r.setSpeed(-1); r.setPlaying(true); });
  await page.waitForFunction(() => /<img src=x/.test(document.getElementById('topo').textContent), null, { timeout: 10000 });
  await page.evaluate(() => window.__replscope.setPlaying(false));
  assert.match(await page.textContent('#events'), /<img src=x onerror=alert\(1\)>/);
  await page.click('#tab-info');
  await page.click('#tab-seq');
  await page.waitForTimeout(300);
  await page.click('#export');
  await page.waitForSelector('#dlg[open] #copy-link');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#dlg:not([open])', { state: 'attached' });
  await assertInert(page, assert, 'console');
  assert.deepEqual(errors, []);
  await page.close();
});

test('broken, huge, nested, explosive and mistyped links: a banner, the default scenario, nothing runs', async () => {
  const cases = [
    ['#z=@@not*base64!!', /the data is not valid base64url/],
    ['#z=A', /the data is not valid base64url/],
    [`#z=${Buffer.from('not deflate at all, just text').toString('base64url')}`, /the data is not valid compressed data/],
    [`#z=${z(Buffer.from([0xff, 0xfe, 0xfd]).toString('latin1'))}`, /the data is not UTF-8 text|not valid JSON/],
    [`#z=${z('{"v":1,')}`, /the data is not valid JSON/],
    [`#z=${z('['.repeat(200000) + ']'.repeat(200000))}`, /the data nests deeper than 4 levels/],
    [`#z=${zlib.deflateRawSync(Buffer.alloc(45e6, 32), { level: 9 }).toString('base64url')}`, /it unpacks to more than 1024 KB/],
    [`#z=${'A'.repeat(1.5e6)}`, /the link is 1465 KB long \(at most 64 KB\)/],
    // A hand-made uncompressed link too long: where the short one comes from.
    [`#s=${Buffer.from('node m\n' + 'm> SET k 0123456789\n'.repeat(4000)).toString('base64url')}`, /the link is \d+ KB long \(at most 64 KB\); a #s= link carries the scenario uncompressed: .*Share → Copy link or Copy embed code/],
    [`#z=${z({ ...GOOD, seed: '3' })}`, /the field "seed" must be a whole number ≥ 0/],
    [`#z=${z({ ...GOOD, seed: 1e300 })}`, /the field "seed" must be a whole number ≥ 0/],
    [`#z=${z({ ...GOOD, t_us: -1 })}`, /the field "t_us" must be a whole number ≥ 0/],
    [`#z=${z({ ...GOOD, t_us: 1.5 })}`, /the field "t_us" must be a whole number ≥ 0/],
    [`#z=${z({ ...GOOD, script: ['node m'] })}`, /the field "script" must be text/],
    [`#z=${z({ ...GOOD, v: '1' })}`, /the link has no valid version/],
    [`#z=${z({ seed: 3 })}`, /the link has no valid version/],
    [`#z=${z([1, 2, 3])}`, /the link is not an object/],
    [`#z=${z('"just a string"')}`, /the link is not an object/],
    [`#z=${z({ ...GOOD, onload: 'alert(1)' })}`, /unknown field "onload" in the link/],
    [`#z=${z('{"v":1,"seed":3,"script":"node m","t_us":0,"__proto__":{"x":1}}')}`, /unknown field "__proto__" in the link/],
    [`#z=${z({ ...GOOD, caption: 'x'.repeat(400) })}`, /the caption is longer than 300 characters/],
    [`#z=${z({ ...GOOD, script: `node ${XSS_KEY}\n` })}`, /line 1, column 6: bad node name '<img'/],
    [`#z=${z({ ...GOOD, script: 'node m\nwait 100000m\n' })}`, /may run 1666\.7 hours of simulated time \(at most 12\)/],
    [`#z=${z({ ...GOOD, script: Array.from({ length: 30 }, (_, i) => `node n${i}`).join('\n') })}`, /starts 30 nodes \(at most 24\)/],
    [`#s=${Buffer.from(`node m\nm> SET a ${XSS_VAL}\nfrobnicate\n`).toString('base64url')}`, /line 3, column 1: unknown statement 'frobnicate'|line 3/],
    ['#lesson=../../etc/passwd', /there is no lesson/],
    [`#lesson=${encodeURIComponent(XSS_KEY)}`, /there is no lesson "<img src=x onerror=alert…"/],
    ['#lesson=partial-resync&variant=<b>x</b>', /there is no variant "<b>x<\/b>"/],
  ];
  for (const [hash, why] of cases) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url + hash);
    const what = hash.slice(0, 60);
    await page.waitForSelector('#banner', { timeout: 10000 });
    const text = await page.textContent('#banner');
    assert.match(text, /^This link could not be opened: /, what);
    assert.match(text, why, what);
    assert.match(text, /The default scenario is loaded instead\./, what);
    assert.equal(await page.locator('#topo [data-node]').count(), 3, `${what}: the default scenario`);
    await assertInert(page, assert, what);
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), [], what);
    await page.close();
  }
});

test('a bad link pasted later (hashchange) leaves the session as it was', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.fill('#con-line', 'm> SET mine 1');
  await page.press('#con-line', 'Enter');
  await page.click('#topo [data-link="m|r2"]');
  await page.keyboard.press('x');
  const state = () => page.evaluate(() => JSON.stringify([window.__replscope.world.view, window.__replscope.world.pg.script(), window.__replscope.world.decisions]));
  const before = await state();
  const lines = await page.locator('#con-out > div').count();
  const bad = [
    `z=${'A'.repeat(10 * 1024 * 1024)}`,                        // a 10 MB link
    `z=${zlib.deflateRawSync(Buffer.alloc(45e6, 32), { level: 9 }).toString('base64url')}`,
    `z=${z({ ...GOOD, seed: 'x' })}`,
    `z=${z({ ...GOOD, script: 'node m\nnode m\n' })}`,          // the core refuses it
    `s=${Buffer.from(`node ${XSS_KEY}`).toString('base64url')}`,
    'lesson=nope',
  ];
  for (const h of bad) {
    const t0 = Date.now();
    await page.evaluate((h) => { document.getElementById('banner')?.remove(); location.hash = h; }, h);
    await page.waitForSelector('#banner', { timeout: 10000 });
    assert.ok(Date.now() - t0 < 5000, `${h.slice(0, 30)}: answered quickly`);
    assert.match(await page.textContent('#banner'), /This link could not be opened: .*Your session is unchanged\./, h.slice(0, 40));
    assert.equal(await state(), before, `${h.slice(0, 40)}: the session is unchanged`);
  }
  assert.ok(await page.locator('#con-out > div').count() >= lines, 'the console kept its lines');
  // A good link pasted later opens.
  await page.evaluate((h) => { document.getElementById('banner')?.remove(); location.hash = h; }, `z=${z(GOOD)}`);
  await page.waitForFunction(() => window.__replscope.world.view.nodes.length === 2);
  await assertInert(page, assert, 'hashchange');
  assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  await page.close();
});

test('markup in captions (link, lesson) is shown as text in embed mode', async () => {
  for (const url of [
    `${env.srv.url}?embed=1#z=${z({ ...GOOD, caption: `${XSS_KEY} and ${XSS_VAL}` })}`,
    `${env.srv.url}?embed=1#lesson=partial-resync&caption=${encodeURIComponent(`${XSS_KEY} and ${XSS_VAL}`)}`,
  ]) {
    const { page, errors } = await openPage(env.browser.ctx, url);
    assert.equal(await page.textContent('#caption'), `${XSS_KEY} and ${XSS_VAL}`);
    assert.equal(await page.locator('#caption *').count(), 0, 'no element inside the caption');
    const r = await page.evaluate(() => ({ alerts: window.__alerts, violations: window.__violations, added: window.__scripts, scripts: [...document.scripts].map((s) => s.getAttribute('src')), loaders: document.querySelectorAll('img, iframe, object, embed').length }));
    assert.deepEqual(r, { alerts: [], violations: [], added: [], scripts: PAGE_SCRIPTS, loaders: 0 });
    assert.deepEqual(page.dialogs, []);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
