// Share links, deep links and files: a link opened in a fresh page restores exactly the
// view it was made from (same moment, offsets and decision history, with a rewound
// future kept); links from every version open; the view exports as a self-contained
// SVG; a session exports as JSON and imports again with its trace verified.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pageSuite, ARTIFACTS as ART, openPage, playUntil, consoleLine, cutWriteReconnect, assertInert, withPhone } from './harness.mjs';

const env = pageSuite(({ browser, srv }) =>
  browser.ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.url.replace(/\/$/, '') }));

/** Everything the view shows, as data and as rendered text. */
const snapshot = (page) => page.evaluate(() => {
  const { world: w } = window.__replscope;
  window.__replscope.renderNow();
  const text = (id) => document.getElementById(id).textContent;
  // The topology's text without the labels of bytes in flight: those are placed where
  // the drawing has room, which depends on the panel's size (a shared link's caption
  // takes some); the bytes themselves are in the view.
  const topo = document.getElementById('topo').cloneNode(true);
  topo.querySelectorAll('.ml').forEach((l) => l.remove());
  return {
    view: JSON.stringify(w.view), decisions: JSON.stringify(w.decisions), decPast: w.decPast, now: w.nowUs, extent: w.extentUs, seed: w.seed,
    topo: topo.textContent, decision: text('decision'), rulers: text('rulers'), clock: text('clock'), hist: text('dec-hist'),
  };
});

/** The link the Share dialog's "Copy link" button puts on the clipboard. */
async function copyLink(page, caption) {
  await page.click('#export');
  if (caption != null) await page.fill('#dlg input[type=text]:not([readonly])', caption);
  await page.click('#copy-link');
  await page.waitForFunction(() => /copied/.test(document.querySelector('#dlg [role=status]').textContent));
  const link = await page.evaluate(() => navigator.clipboard.readText());
  await page.keyboard.press('Escape');
  return link;
}

const payload = (link) => JSON.parse(zlib.inflateRawSync(Buffer.from(new URL(link).hash.slice(3), 'base64url')).toString());
const zlink = (obj) => `${env.srv.url}#z=${zlib.deflateRawSync(Buffer.from(JSON.stringify(obj))).toString('base64url')}`;

test('a share link restores the same view in a fresh page: offsets, decision history, the moment (rewound too)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await cutWriteReconnect(page);
  await consoleLine(page, 'SET k2 v2');
  await playUntil(page, () => window.__replscope.world.nowUs > 9.5e6);

  // At the end of the run.
  const a = await snapshot(page);
  const link = await copyLink(page);
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#z=[A-Za-z0-9_-]+$/);
  const p = payload(link);
  assert.deepEqual(Object.keys(p), ['v', 'seed', 'script', 't_us']);
  assert.equal(p.v, 1);
  assert.equal(p.seed, 7);
  assert.equal(p.t_us, a.now);
  assert.match(p.script, /disconnect m r1\nm> SET k1 v1\nreconnect m r1\nwait \d+(us|ms|s)\nm> SET k2 v2\n/);
  const fresh = await openPage(env.browser.ctx, link);
  assert.deepEqual(await snapshot(fresh.page), a);
  assert.match(await fresh.page.textContent('#con-out'), /Shared session/);
  assert.equal(await fresh.page.inputValue('#lesson'), 'custom');
  assert.deepEqual(fresh.errors, []);
  await fresh.page.close();

  // The embed code: an iframe on the same session in embed mode.
  await page.click('#export');
  await page.click('#copy-embed');
  await page.waitForFunction(() => /copied/.test(document.querySelector('#dlg [role=status]').textContent));
  const code = await page.evaluate(() => navigator.clipboard.readText());
  await page.keyboard.press('Escape');
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1#z=[A-Za-z0-9_-]+" title="replscope: Redis replication, simulated" width="100%" height="600" style="border:0;max-width:100%;display:block" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"><\/iframe>\n<script>\n[^<]+<\/script>$/);

  // Rewound to the first full sync: the link keeps the moment and the history after it.
  await page.click('#dec-hist .dchip >> nth=0');
  await page.waitForFunction(() => window.__replscope.world.decPast === 1);
  const b = await snapshot(page);
  assert.equal(b.decisions, a.decisions, 'the page keeps the later decisions as ghosts');
  const link2 = await copyLink(page, 'The first full sync');
  const p2 = payload(link2);
  assert.equal(p2.t_us, b.now);
  assert.equal(p2.caption, 'The first full sync');
  const fresh2 = await openPage(env.browser.ctx, link2);
  const b2 = await snapshot(fresh2.page);
  assert.deepEqual(b2, b);
  assert.equal(await fresh2.page.locator('#dec-hist .dchip.future').count(), 2, 'the later decisions show as later in this run');
  await fresh2.page.screenshot({ path: path.join(ART, 'share-restored-rewound.png') });
  assert.deepEqual(fresh2.errors, []);
  await fresh2.page.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('links stay valid across versions: #s= (v0) and v1 open, a newer version says so', async () => {
  const text = 'seed 3\nnode m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nwait sync\nm> SET shared yes\n';
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#s=${Buffer.from(text).toString('base64url')}`);
  assert.equal(await page.locator('#topo [data-node]').count(), 4);
  assert.equal(await page.textContent('#seed-v'), '3');
  await page.close();
  // A v1 payload written by hand, as an old page would have made it.
  const v1 = await openPage(env.browser.ctx, zlink({ v: 1, seed: 11, script: 'node m\nnode r1 replicaof=m\nwait sync\nm> SET a 1\nwait 1500ms\n', t_us: 800000 }));
  assert.equal(await v1.page.textContent('#seed-v'), '11');
  assert.equal(await v1.page.evaluate(() => window.__replscope.world.nowUs), 800000);
  assert.equal(await v1.page.evaluate(() => window.__replscope.world.extentUs > 800000), true);
  await v1.page.close();
  const v2 = await openPage(env.browser.ctx, zlink({ v: 2, anything: 'new' }));
  assert.match(await v2.page.textContent('#banner'), /could not be opened: it was made by a newer version of replscope \(v2\)\. The default scenario is loaded instead\./);
  assert.match(await v2.page.textContent('#con-out'), /A master and two replicas, in sync/);
  await assertInert(v2.page, assert, 'newer version');
  await v2.page.close();
  assert.deepEqual(errors, []);
});

test('lesson deep links: #lesson=<id>&lang=zh opens the lesson in Chinese; the browser language picks the default', async () => {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=heartbeat&lang=zh`);
  await page.waitForSelector('#lesson-bar:not([hidden])');
  assert.equal(await page.textContent('#lesson-bar b'), '心跳检测');
  assert.equal(await page.inputValue('#lesson'), 'lesson:heartbeat');
  assert.equal(await page.textContent('#play'), ' 播放');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
  await page.close();
  // No lang= and no saved choice: navigator.languages decides.
  for (const [locale, play, title] of [[['zh-CN', 'en'], ' 播放', '部分重同步'], [['en-GB', 'zh'], ' Play', 'Partial resynchronisation'], [['fr-FR'], ' Play', 'Partial resynchronisation']]) {
    const ctxPage = await openPage(env.browser.ctx, `${env.srv.url}#lesson=partial-resync`, { locale });
    await ctxPage.page.evaluate(() => localStorage.removeItem('replscope-lang'));
    await ctxPage.page.reload();
    await ctxPage.page.waitForSelector('#lesson-bar:not([hidden])');
    assert.equal(await ctxPage.page.textContent('#play'), play, locale.join());
    assert.equal(await ctxPage.page.textContent('#lesson-bar b'), title, locale.join());
    await ctxPage.page.close();
  }
  // The switch remembers the reader's choice over the browser's.
  const z = await openPage(env.browser.ctx, env.srv.url, { locale: ['en-US'] });
  await z.page.click('#lang');
  await z.page.waitForFunction(() => document.getElementById('play').textContent === ' 播放');
  assert.equal(await z.page.textContent('#topo-h'), '拓扑');
  assert.equal(await z.page.getAttribute('#con-line', 'placeholder'), 'SET foo bar · disconnect m r1 · wait 2s');
  await z.page.screenshot({ path: path.join(ART, 'zh-laptop.png') });
  await z.page.reload();
  await z.page.waitForFunction(() => document.getElementById('play').textContent === ' 播放');
  await z.page.click('#lang');
  await z.page.waitForFunction(() => document.getElementById('play').textContent === ' Play');
  assert.equal(await z.page.textContent('#topo-h'), 'Topology');
  await z.page.close();
  // In a lesson, Share offers a link to the lesson in the language shown.
  const les = await openPage(env.browser.ctx, `${env.srv.url}#lesson=myth-ack-resend&variant=textbook&lang=zh`);
  await les.page.waitForSelector('#lesson-bar .lb-notredis');
  await les.page.click('#export');
  await les.page.click('#copy-lesson');
  await les.page.waitForFunction(() => /已复制/.test(document.querySelector('#dlg [role=status]').textContent));
  assert.equal(await les.page.inputValue('#dlg input[readonly]'), `${env.srv.url}#lesson=myth-ack-resend&variant=textbook&lang=zh`);
  await les.page.screenshot({ path: path.join(ART, 'share-dialog-zh.png') });
  await les.page.close();
  // An unknown lesson is a banner, not a blank page.
  const bad = await openPage(env.browser.ctx, `${env.srv.url}#lesson=no-such-lesson`);
  await bad.page.waitForSelector('#banner');
  assert.match(await bad.page.textContent('#banner'), /could not be opened: there is no lesson "no-such-lesson"/);
  assert.equal(await bad.page.locator('#topo [data-node]').count(), 3);
  await bad.page.close();
  assert.deepEqual(errors, []);
});

test('export: the SVG hides the bytes in flight under the links’ tags, as the page does (its clip copied)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#scenario=bench`, { width: 1280, height: 800 });
  await page.waitForFunction(() => window.__replscope.world.view.nodes.length === 6 && document.querySelectorAll('#topo g.msg').length > 3, null, { timeout: 20000 });
  await page.evaluate(() => window.__replscope.setPlaying(false));
  await page.waitForTimeout(200);
  const live = await page.evaluate(() => document.querySelector('#topo clipPath path').getAttribute('d'));
  assert.match(live, /Z.*Z/, 'the page clips holes at the tags');
  await page.click('#export');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#save-svg')]);
  const svg = fs.readFileSync(await dl.path(), 'utf8');
  await page.keyboard.press('Escape');
  fs.writeFileSync(path.join(ART, 'export-load.svg'), svg);
  // Rendered on its own, as a reader's viewer would: the messages' group is clipped by the page's own shape.
  const view = await env.browser.ctx.newPage();
  await view.setViewportSize({ width: 1000, height: 700 });
  await view.goto('about:blank');
  const r = await view.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    document.body.append(document.adoptNode(doc.documentElement));
    const clipped = [...document.querySelectorAll('svg g[clip-path]')];
    const id = /^url\(#(.+)\)$/.exec(clipped[0]?.getAttribute('clip-path') || '')?.[1];
    const path = id && document.getElementById(id)?.querySelector('path');
    return { groups: clipped.length, d: path?.getAttribute('d'), rule: path?.getAttribute('clip-rule'), circles: clipped[0]?.querySelectorAll('circle, rect').length || 0, css: clipped[0] && getComputedStyle(clipped[0]).clipPath };
  }, svg);
  await view.screenshot({ path: path.join(ART, 'export-load-svg.png') });
  await view.close();
  assert.equal(r.groups, 1, 'one clipped group: the bytes in flight');
  assert.ok(r.circles > 0, 'with the messages in it');
  assert.equal(r.d, live, 'clipped by the page’s shape');
  assert.equal(r.rule, 'evenodd');
  assert.match(r.css, /replscope-under-tags/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('export: the view as a self-contained SVG, the session as JSON that imports and verifies', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.click('#topo [data-link="m|r2"]');
  await page.keyboard.press('d');
  await consoleLine(page, 'SET "<b>bold</b>" "</text><script>alert(1)</script>"');
  await page.click('#topo [data-link="m|r2"]');
  await page.keyboard.press('r');
  await playUntil(page, () => document.querySelector('#decision .verdict.partial') !== null);

  // SVG, through the button (a real download).
  await page.click('#export');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#save-svg')]);
  assert.match(dl.suggestedFilename(), /^replscope-t\d+_\d{3}s\.svg$/);
  const svg = fs.readFileSync(await dl.path(), 'utf8');
  fs.writeFileSync(path.join(ART, 'export.svg'), svg);
  await page.keyboard.press('Escape');
  assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  // One reference, inside the file: the clip that hides the bytes in flight under the links' tags.
  const inner = svg.replaceAll('clip-path="url(#replscope-under-tags)"', '');
  for (const bad of [/<script/i, /\son\w+=/i, /href/i, /url\(/i, /var\(/i, /<foreignObject/i, /<style/i, /class=/, /<image/i, /<use/i]) assert.doesNotMatch(inner, bad);
  assert.match(svg, /\+CONTINUE/);
  assert.match(svg, />r2</);
  // Look at it as a reader would: on its own, in a blank page.
  const view = await env.browser.ctx.newPage();
  await view.setViewportSize({ width: 1000, height: 900 });
  await view.goto('about:blank');
  const parsed = await view.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    const err = doc.querySelector('parsererror');
    document.body.append(document.adoptNode(doc.documentElement));
    return { err: err && err.textContent, texts: [...document.querySelectorAll('text')].map((x) => x.textContent).join('\n'), tags: [...new Set([...document.querySelectorAll('svg *')].map((e) => e.localName))] };
  }, svg);
  assert.equal(parsed.err, null);
  assert.deepEqual(parsed.tags.filter((t) => !['title', 'rect', 'text', 'g', 'line', 'path', 'circle', 'defs', 'clipPath'].includes(t)), []);
  assert.match(parsed.texts, /Partial resynchronization request from r2:6379 accepted/);
  assert.match(parsed.texts, /t = [\d.]+ s · r2 → m · PSYNC \S+ \d+/, 'the request’s parts apart, as on the page');
  await view.screenshot({ path: path.join(ART, 'export-svg.png') });
  await view.close();

  // The session as JSON: the same payload as a link, plus the trace.
  const [dj] = await Promise.all([page.waitForEvent('download'), page.click('#export').then(() => page.click('#save-json'))]);
  const json = fs.readFileSync(await dj.path(), 'utf8');
  await page.keyboard.press('Escape');
  const s = JSON.parse(json);
  assert.deepEqual(Object.keys(s), ['v', 'seed', 'script', 't_us', 'trace']);
  assert.ok(s.trace.length > 100 && s.trace.every((r, i) => i === 0 || r.seq > s.trace[i - 1].seq));
  const before = await snapshot(page);

  // Import it in a fresh page: same view, verified.
  const fresh = await openPage(env.browser.ctx, env.srv.url);
  await fresh.page.click('#export');
  await fresh.page.setInputFiles('#dlg input[type=file]', { name: 'session.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await fresh.page.waitForSelector('#banner');
  assert.match(await fresh.page.textContent('#banner'), new RegExp(`Session imported and verified: the replay reproduced all ${s.trace.length} trace records in the file\\.`));
  assert.deepEqual(await snapshot(fresh.page), before);
  // A tampered trace: the import says which record differs.
  const t = JSON.parse(json);
  const k = t.trace.findIndex((r) => r.event.kind === 'send');
  t.trace[k].event.len += 1;
  await fresh.page.click('#export');
  await fresh.page.setInputFiles('#dlg input[type=file]', { name: 'tampered.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(t)) });
  await fresh.page.waitForFunction(() => /differs/.test(document.getElementById('banner').textContent));
  assert.match(await fresh.page.textContent('#banner'), new RegExp(`differs from the file at trace record ${t.trace[k].seq}: the file has \\{`));
  // Not a session at all: the session stays.
  const keep = await snapshot(fresh.page);
  await fresh.page.click('#export');
  await fresh.page.setInputFiles('#dlg input[type=file]', { name: 'evil.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ v: 1, seed: 1, script: 'node <img src=x onerror=alert(1)>', t_us: 0, trace: [] })) });
  await fresh.page.waitForFunction(() => /could not be opened/.test(document.getElementById('banner').textContent));
  assert.match(await fresh.page.textContent('#banner'), /This file could not be opened: line 1, column 6: bad node name '<img' .*Your session is unchanged\./);
  await fresh.page.keyboard.press('Escape');
  assert.deepEqual(await snapshot(fresh.page), keep);
  await assertInert(fresh.page, assert, 'imported files');
  assert.deepEqual(fresh.errors, []);
  await fresh.page.close();
  await assertInert(page, assert, 'export');
  assert.deepEqual(errors, []);
  await page.close();
});

test('"Load this text" loads an edited scenario, builds one of hours in steps (progress, Stop), and names what is wrong', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const load = async (text) => {
    await page.click('#export');
    await page.fill('#dlg textarea', text);
    await page.click('#dlg button:has-text("Load this text")');
  };
  await load('node m\nnode r1 repl-backlog-szie=16kb\n');
  await page.waitForFunction(() => /line 2, column 9: repl-backlog-szie=16kb: Bad directive or wrong number of arguments \(did you mean 'repl-backlog-size'\?\)$/.test(document.querySelector('#dlg [role=alert]').textContent));
  await page.keyboard.press('Escape');
  // Ten simulated hours: the dialog says how far the new world got, with Stop, and the page
  // answers meanwhile (the session shown stays until the new one is built).
  const before = await page.evaluate(() => window.__replscope.world.opened);
  await load('node m\nnode r1 replicaof=m\nwait 600m\nm> SET k v\n');
  await page.waitForFunction(() => /Loading Your scenario: t = [1-9][0-9.]* s \(its waits add up to 36000\.000 s\)\.\s*Stop/.test(document.querySelector('#dlg[open] #loading')?.textContent || ''));
  const t0 = Date.now();
  assert.equal(await page.evaluate(() => window.__replscope.world.opened), before, 'the session shown is kept while loading');
  assert.ok(Date.now() - t0 < 1000, 'the page answers while loading');
  await page.waitForFunction(() => /m> SET k v\s*OK/.test(document.querySelector('#con-out').textContent), null, { timeout: 120000 });
  await page.waitForFunction(() => !document.querySelector('#dlg[open]') && !document.getElementById('loading'));
  assert.ok(await page.evaluate(() => window.__replscope.world.nowUs) >= 600 * 60e6);
  // The same log as the text loaded at once: the wait is one statement.
  assert.deepEqual(await page.evaluate(() => window.__replscope.world.pg.actions_since(0).map((a) => a.text)), ['node m', 'node r1 replicaof=m', 'wait 600m', 'm> SET k v']);
  // Stop gives the new world up: the session shown is unchanged and says so; the dialog
  // keeps the text.
  const opened = await page.evaluate(() => window.__replscope.world.opened);
  await load('node m\nwait 6000m\n');
  await page.waitForSelector('#dlg[open] #loading');
  await page.click('#loading button:has-text("Stop")');
  await page.waitForFunction(() => /Loading Your scenario stopped at t = [0-9.]+ s: the session shown is unchanged\./.test(document.querySelector('#con-out').textContent));
  assert.equal(await page.evaluate(() => window.__replscope.world.opened), opened);
  assert.equal(await page.inputValue('#dlg[open] textarea'), 'node m\nwait 6000m\n');
  // An error after a long wait is said in the dialog, which keeps the text to mend.
  await page.fill('#dlg textarea', 'node m\nwait 2m\nm> SET k v\nwait 1s\nr9> GET k\n');
  await page.click('#dlg button:has-text("Load this text")');
  await page.waitForFunction(() => /line 5, column 1: unknown node 'r9'/.test(document.querySelector('#dlg[open] [role=alert]')?.textContent || ''), null, { timeout: 30000 });
  assert.equal(await page.inputValue('#dlg[open] textarea'), 'node m\nwait 2m\nm> SET k v\nwait 1s\nr9> GET k\n');
  assert.equal(await page.evaluate(() => window.__replscope.world.opened), opened);
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link of hours opens in steps on a phone too: the progress line is on screen, a second link replaces the first, and the session becomes the link\'s', async () => {
  // A phone's context: a browser of its own (withPhone).
  await withPhone(async (ctx) => {
    const b64 = (t) => Buffer.from(t).toString('base64url');
    const nodes = 'node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nnode r4 replicaof=m\nwait sync\n';
    const first = b64(`${nodes}m> SET first 1\nwait 700m\n`);
    const second = b64('node m\nnode r1 replicaof=m\nwait sync\nm> SET second 2\nwait 90m\n');
    const { page, errors } = await openPage(ctx, `${env.srv.url}#s=${first}`, { width: 375, height: 740 });
    await page.waitForSelector('#loading');
    const box = await page.evaluate(() => { const r = document.getElementById('loading').getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; });
    assert.ok(box.top >= 0 && box.bottom <= 740 && box.left >= 0 && box.right <= 375, `on screen: ${JSON.stringify(box)}`);
    await page.evaluate((s) => { location.hash = `#s=${s}`; }, second);
    // The first is given up (its note goes with the session it was printed in): the second opens.
    await page.waitForFunction(() => /SET second 2/.test(window.__replscope.world.text) && !document.getElementById('loading'), null, { timeout: 60000 });
    await page.waitForTimeout(500);
    assert.match(await page.evaluate(() => window.__replscope.world.text), /SET second 2/, 'the first does not come back');
    assert.ok(await page.evaluate(() => window.__replscope.world.nowUs) >= 90 * 60e6);
    assert.deepEqual(errors, []);
  });
});

test('Esc during a link\'s load closes the dialog open first and leaves the load running; the next Esc stops it', async () => {
  const text = 'node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nnode r4 replicaof=m\nwait sync\nm> SET k v\nwait 700m\n';
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#s=${Buffer.from(text).toString('base64url')}`);
  await page.waitForSelector('#loading');
  // The help (?) opens over it; Esc closes the help, not the load.
  await page.keyboard.press('?');
  await page.waitForSelector('dialog[open]');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('dialog[open]'));
  assert.ok(await page.isVisible('#loading'), 'the load goes on after the help closed');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.getElementById('loading'));
  assert.doesNotMatch(await page.evaluate(() => window.__replscope.world.text), /wait 700m/, 'stopped: the session shown is unchanged');
  assert.match(await page.textContent('#con-out'), /stopped at t = /);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Share dialog’s errors look and are announced as errors (role=alert), its notes as status', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const state = () => page.evaluate(() => {
    const alert = document.querySelector('#dlg [role=alert]'), status = document.querySelector('#dlg [role=status]');
    const probe = document.createElement('span');
    probe.style.color = 'var(--down)';
    document.body.append(probe);
    const down = getComputedStyle(probe).color;
    probe.remove();
    return { alert: alert.textContent, status: status.textContent, red: getComputedStyle(alert).color === down, grey: getComputedStyle(status).color !== down, shown: alert.getBoundingClientRect().height > 0 };
  });
  // A link the session cannot make (more nodes than a link may start): the core's reason, as an error.
  await page.click('#export');
  await page.fill('#dlg textarea', Array.from({ length: 25 }, (_, i) => `node n${i + 1}`).join('\n'));
  await page.click('#dlg button:has-text("Load this text")');
  await page.waitForFunction(() => !document.querySelector('#dlg[open]'));
  await page.click('#export');
  await page.click('#copy-link');
  await page.waitForFunction(() => /no link or file of this session would open/.test(document.querySelector('#dlg [role=alert]')?.textContent));
  let st = await state();
  assert.match(st.alert, /^no link or file of this session would open: the scenario starts 25 nodes \(at most 24\)/);
  assert.ok(st.red && st.shown, 'styled as an error');
  assert.equal(st.status, '');
  await page.locator('#dlg').screenshot({ path: path.join(ART, 'share-dialog-error.png') });
  // A note that went well replaces it, quietly.
  await page.click('#dlg button:text-is("Copy")');
  await page.waitForFunction(() => /copied/.test(document.querySelector('#dlg [role=status]').textContent));
  st = await state();
  assert.equal(st.alert, '');
  assert.ok(st.grey && !st.shown);
  // A scenario the core refuses, in Chinese too: the core's words translated, still an error.
  await page.fill('#dlg textarea', 'node m\nnode r1 repl-bakclog-size=1mb\n');
  await page.click('#dlg button:has-text("Load this text")');
  await page.waitForFunction(() => /Bad directive/.test(document.querySelector('#dlg [role=alert]').textContent));
  assert.equal((await state()).status, '');
  await page.keyboard.press('Escape');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  await page.click('#export');
  await page.fill('#dlg textarea', 'node m\nnode r1 repl-bakclog-size=1mb\n');
  await page.click('#dlg button:text-is("加载这段文本")');
  await page.waitForFunction(() => document.querySelector('#dlg [role=alert]').textContent !== '');
  st = await state();
  assert.equal(st.alert, "第 2 行第 9 列：repl-bakclog-size=1mb: Bad directive or wrong number of arguments（是不是想写 'repl-backlog-size'？）");
  assert.ok(st.red);
  await page.keyboard.press('Escape');
  await page.click('#lang');   // the language is remembered: back to English for the next test
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.deepEqual(errors, []);
  await page.close();
});

// A tester's shared link, opened at the moment it was made (8.8 s, the sharer had rewound):
// the console listed `m> SET k2 v2 / OK`, recorded later, as if it had run, and the
// decision chips started scrolled, the first one cut. Lines recorded after the moment
// shown are faded and say when they run, as the timeline fades later decisions; in the
// sharer's page too, after a rewind; none once time reaches them.
test('a link opened at an earlier moment marks the console lines recorded after it (faded, "later: t = … s"); the first decision chip is not cut', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  for (const l of ['disconnect m r1', 'm> SET k1 v1', 'm> INCR counter', 'wait 3s', 'reconnect m r1', 'wait 2s', 'crash r2', 'm> SET k2 v2', 'wait 1s', 'start r2', 'wait 3s']) await consoleLine(page, l);
  const later = (p) => p.evaluate(() => [...document.querySelectorAll('#con-out > *')].filter((e) => e.classList.contains('later'))
    .map((e) => [e.textContent, e.dataset.later ?? null, Number(getComputedStyle(e).opacity) < 0.6, getComputedStyle(e, '::after').content]));
  assert.deepEqual(await later(page), [], 'at the end of the run nothing is later');
  const tK2 = Number(await page.getAttribute('#con-out .cmd[data-t]:text-is("m> SET k2 v2")', 'data-t'));
  assert.ok(tK2 > 9e6, `SET k2 v2 ran at ${tK2} µs`);
  const at = tK2 - 1e6;
  await page.evaluate((us) => { window.__replscope.world.seekUs(us); window.__replscope.renderNow(); }, at);
  const when = `later: t = ${(tK2 / 1e6).toFixed(1)} s`;
  const mine = await later(page);
  assert.deepEqual(mine.map(([t, n, faded]) => [t, n && n.replace(/[\d.]+/, 'X'), faded]), [['crash r2', 'later: t = X s', true], ['m> SET k2 v2', 'later: t = X s', true], ['OK', null, true],
    ['wait 1s', 'later: t = X s', true], ['start r2', 'later: t = X s', true], ['wait 3s', 'later: t = X s', true]], 'the sharer’s own typed lines after the moment shown');
  assert.equal(mine[1][1], when);
  assert.match(mine[1][3], /later: t = /, 'the note is shown after the command');
  assert.equal(await page.locator('#con-out .later', { hasText: 'SET k1 v1' }).count(), 0);

  const link = await copyLink(page);
  const fresh = await openPage(env.browser.ctx, link);
  const q = fresh.page;
  assert.equal(await q.evaluate(() => window.__replscope.world.nowUs), at);
  const theirs = await later(q);
  assert.deepEqual(theirs.map(([t, n, faded]) => [t, n, faded]), [['m> SET k2 v2', when, true], ['OK', null, true]], 'the shared session’s later command and its reply');
  assert.match(await q.textContent('#con-out'), /m> SET k1 v1\nOK|m> SET k1 v1OK/);
  assert.equal(await q.getAttribute('#con-out .later[data-later]', 'title'), `Recorded after the moment shown: this ran at t = ${(tK2 / 1e6).toFixed(3)} s.`);
  // The decision chips: the first one whole, the pressed one in view.
  const chips = await q.evaluate(() => {
    const row = document.getElementById('dec-hist').getBoundingClientRect();
    const box = (e) => e.getBoundingClientRect();
    const first = box(document.querySelector('#dec-hist .dchip')), pressed = box(document.querySelector('#dec-hist .dchip[aria-pressed=true]'));
    return { first: first.left >= row.left - 0.5, pressed: pressed.left >= row.left - 0.5 && pressed.right <= row.right + 0.5, scroll: document.getElementById('dec-hist').scrollLeft };
  });
  assert.deepEqual(chips, { first: true, pressed: true, scroll: 0 });
  await q.screenshot({ path: path.join(ART, 'share-later-console.png') });
  // In 中文, the note too.
  await q.click('#lang');
  await q.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  await q.evaluate(() => window.__replscope.renderNow());
  assert.equal(await q.getAttribute('#con-out .later[data-later]', 'data-later'), `之后：t = ${(tK2 / 1e6).toFixed(1)} s`);
  await q.click('#lang');
  await q.waitForFunction(() => document.documentElement.lang === 'en');
  // Time reaches it: nothing later any more.
  await q.evaluate(() => { const w = window.__replscope.world; w.seekUs(w.extentUs); window.__replscope.renderNow(); });
  assert.deepEqual(await later(q), []);
  assert.deepEqual(fresh.errors, []);
  await q.close();
  assert.deepEqual(errors, []);
  await page.close();
});

// A tester rewound and opened Share: the Scenario text stopped at the moment shown, while
// the link also carried what was recorded after it, and nothing said so. The dialog says
// what each carries and offers the whole session's text, the very script the link holds.
test('after a rewind, the Share dialog says the text runs to the moment shown while the link carries the N statements after it, and offers the whole session', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  for (const l of ['disconnect m r1', 'm> SET k1 v1', 'm> INCR counter', 'wait 3s', 'reconnect m r1', 'wait 2s', 'crash r2', 'm> SET k2 v2', 'wait 1s', 'start r2', 'wait 3s']) await consoleLine(page, l);
  // At the end of the run: nothing more to say.
  await page.click('#export');
  await page.waitForSelector('#dlg[open] textarea');   // opened (its module loads on first use) before absence means anything
  assert.equal(await page.locator('#scn-scope').count(), 0);
  assert.equal(await page.locator('#scn-whole').count(), 0);
  await page.keyboard.press('Escape');
  const end = await page.evaluate(() => window.__replscope.world.extentUs);
  await page.evaluate(() => { window.__replscope.world.seekUs(8771000); window.__replscope.renderNow(); });
  const link = await copyLink(page);
  const script = payload(link).script;
  await page.click('#export');
  const ta = '#dlg textarea';
  const short = await page.inputValue(ta);
  assert.doesNotMatch(short, /SET k2 v2/);
  assert.ok(script.startsWith(short), 'the text is the start of what the link carries');
  const n = script.split('\n').filter(Boolean).length - short.split('\n').filter(Boolean).length;
  assert.equal(n, 7);
  const endS = (end / 1e6).toFixed(3);
  assert.equal(await page.textContent('#scn-scope'), `This text runs to the moment shown (t = 8.771 s). The link also carries the 7 statements recorded after it (to t = ${endS} s).`);
  assert.equal(await page.textContent('#scn-whole'), `Show the whole session (to t = ${endS} s)`);
  await page.locator('#scn-scope').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ART, 'share-scenario-scope.png') });
  // The whole session: the link's own script, said so.
  await page.click('#scn-whole');
  assert.equal(await page.inputValue(ta), script);
  assert.match(await page.textContent('#scn-scope'), new RegExp(`^This text is the whole recorded session, to t = ${endS} s, as the link carries it`));
  assert.equal(await page.textContent('#scn-whole'), 'Show the text to the moment shown');
  await page.click('#scn-whole');
  assert.equal(await page.inputValue(ta), short);
  // In 中文.
  await page.keyboard.press('Escape');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  await page.click('#export');
  assert.equal(await page.textContent('#scn-scope'), `这段文本只到当前显示的时刻（t = 8.771 s）。链接还带着这之后记录的 7 条语句（直到 t = ${endS} s）。`);
  await page.keyboard.press('Escape');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a session file whose waits add up to hours imports in steps: the dialog says how far, and the replay is verified', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.click('#export');
  await page.fill('#dlg textarea', 'node m\nnode r1 replicaof=m\nwait sync\nm> SET k v\nwait 120m\nm> INCR n\n');
  await page.click('#dlg button:has-text("Load this text")');
  await page.waitForFunction(() => /m> INCR n\s*\(integer\) 1/.test(document.querySelector('#con-out').textContent), null, { timeout: 60000 });
  const [dj] = await Promise.all([page.waitForEvent('download'), page.click('#export').then(() => page.click('#save-json'))]);
  const json = fs.readFileSync(await dj.path(), 'utf8');
  const s = JSON.parse(json);
  await page.close();

  const fresh = await openPage(env.browser.ctx, env.srv.url);
  await fresh.page.click('#export');
  await fresh.page.setInputFiles('#dlg input[type=file]', { name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await fresh.page.waitForFunction(() => /Loading Imported session: t = [\d.]+ s \(its waits add up to 7200\.000 s\)\./.test(document.querySelector('#dlg[open] #loading')?.textContent || ''));
  await fresh.page.waitForSelector('#banner', { timeout: 60000 });
  assert.match(await fresh.page.textContent('#banner'), new RegExp(`Session imported and verified: the replay reproduced all ${s.trace.length} trace records in the file\\.`));
  assert.ok(await fresh.page.evaluate(() => window.__replscope.world.nowUs) >= 120 * 60e6);
  assert.deepEqual(errors, []);
  assert.deepEqual(fresh.errors, []);
  await fresh.page.close();
});
