// Redis 8.0's two-connection full sync on the page (issue 12, item 7): while the RDB
// comes over the rdb channel, the topology draws that second connection as its own line
// beside m ↔ r1 (the RDB on it, the stream on the main line), r1's card shows its
// full-sync buffer growing with the writes made meanwhile, and the decision panel explains
// +RDBCHANNELSYNC and the rdb channel's PSYNC ? -1. After the load: one line, no gauge.
// Redis 7.0 with the same history: one line, and the writes wait on the master instead.
// In English and in 中文, at 1440×900 and 375×812 (tests/e2e/artifacts/twochannel-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pageSuite, ARTIFACTS as ART, openPage, consoleLine } from './harness.mjs';

const env = pageSuite();
const SIZES = [[1440, 900, 'wide'], [375, 812, 'phone']];

/** 2000 characters LZF cannot shrink (a fixed LCG, so every run builds the same RDB). */
function noise(seed) {
  const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let x = seed, out = '';
  for (let i = 0; i < 2000; i++) { x = (x * 1103515245 + 12345) % 2147483648; out += abc[x % 36]; }
  return out;
}

/**
 * About 20 KB of RDB over a 200 kbit/s link (0.8 s of transfer); r1 asks for the sync at
 * t = 0.557 s and the scenario ends 400 ms later, mid-transfer, after four writes.
 */
function scenario(version) {
  const lines = [`# two-connection full sync, writes during the transfer`, ...(version ? [`version ${version}`] : []),
    'node m repl-diskless-sync-delay=0', 'node r1', 'link m r1 bandwidth=200kbit'];
  for (let i = 0; i < 10; i++) lines.push(`m> SET big${i} ${noise(i + 1)}`);
  lines.push('r1> REPLICAOF m 6379');
  for (let i = 0; i < 4; i++) lines.push('wait 100ms', `m> SET w${i} hello${i}`);
  return lines.join('\n') + '\n';
}

const open = (page, text) => page.evaluate((t) => { window.__replscope.setPlaying(false); return window.__replscope.ui.open(t, null, 'Your scenario'); }, text);

/** What the topology shows of m ↔ r1 and r1's card, with the geometry to tell the lines apart. */
const look = (page) => page.evaluate(() => {
  window.__replscope.renderNow();
  const g = document.querySelector('#topo [data-link="m|r1"]');
  const xy = (d) => d && d.match(/-?[\d.]+/g).map(Number);
  const main = xy(g.querySelector('.wire:not(.wire-rdb)').getAttribute('d'));
  const w2 = g.querySelector('.wire-rdb');
  const lanes = [...g.querySelectorAll('.lane-lab')].filter((t) => t.getAttribute('visibility') === 'visible').map((t) => t.textContent);
  const buf = document.querySelector('#topo [data-node="r1"] .fsbuf');
  const parcel = document.querySelector('#topo .msg.rdb .parcel');
  const dots = [...document.querySelectorAll('#topo .msg.stream .dot')].map((d) => [+d.getAttribute('cx'), +d.getAttribute('cy')]);
  const w = window.__replscope.world;
  return {
    main, rdb: w2.getAttribute('visibility') === 'visible' ? xy(w2.getAttribute('d')) : null, lanes,
    buf: buf.getAttribute('visibility') === 'visible' ? buf.textContent : null,
    parcel: parcel && [+parcel.getAttribute('x') + 15, +parcel.getAttribute('y') + 9],
    dots, tag: g.querySelector('.tag').textContent, aria: document.querySelector('#topo [data-node="r1"]').getAttribute('aria-label'),
    fsb: w.node('r1').full_sync_buffer, conns: w.view.conns.filter((c) => c.from === 'r1' && c.to === 'm').length,
    offsets: [w.node('m').master_repl_offset, w.node('r1').slave_repl_offset],
  };
});

/** Distance from point p to the segment [x0, y0, x1, y1]. */
function dist(p, [x0, y0, x1, y1]) {
  const dx = x1 - x0, dy = y1 - y0, t = Math.max(0, Math.min(1, ((p[0] - x0) * dx + (p[1] - y0) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0] - x0 - t * dx, p[1] - y0 - t * dy);
}

/** Press the language button until the page is in `lang` ('zh-Hans' or 'en'): the choice is remembered across tests. */
async function switchTo(page, lang) {
  for (let i = 0; i < 2 && await page.evaluate(() => document.documentElement.lang) !== lang; i++) {
    await page.click('#lang');
    await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: 5000 }).catch(() => {});
  }
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
}

async function shots(page, name) {
  for (const [w, h, size] of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(400);
    await page.evaluate(() => window.__replscope.renderNow());
    await page.screenshot({ path: path.join(ART, `twochannel-${name}-${size}.png`), fullPage: size === 'phone' });
    await page.locator('#topo').screenshot({ path: path.join(ART, `twochannel-${name}-${size}-topo.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(300);
}

for (const lang of ['en', 'zh']) {
  const zh = lang === 'zh';
  test(`Redis 8.0: two lines, the buffer on r1, the decisions explained (${lang})`, async () => {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
    await switchTo(page, zh ? 'zh-Hans' : 'en');
    assert.ok(await open(page, scenario('redis-8.0')));
    // Mid-transfer: two connections from r1 to m, drawn as two lines, each named.
    let a = await look(page);
    assert.equal(a.conns, 2, 'the main channel and the rdb channel');
    assert.ok(a.rdb, 'the rdb channel has its own line');
    assert.deepEqual(a.lanes, zh ? ['命令流', 'RDB'] : ['stream', 'RDB']);
    const gap = dist([(a.rdb[0] + a.rdb[2]) / 2, (a.rdb[1] + a.rdb[3]) / 2], a.main);
    assert.ok(gap > 15, `the lines are apart (${gap} px)`);
    // The RDB rides the rdb channel's line, not the main one.
    assert.ok(a.parcel, 'the RDB is on the wire');
    assert.ok(dist(a.parcel, a.rdb) < 8 && dist(a.parcel, a.main) > 15, `parcel ${a.parcel} on the RDB line`);
    // The stream that came during the transfer waits on r1: the gauge shows the view's bytes.
    assert.ok(a.fsb > 0, `r1 buffers the stream (${a.fsb} B)`);
    assert.equal(a.buf, zh ? `缓冲在本节点：${a.fsb} B` : `buffered here: ${a.fsb} B`);
    assert.ok(a.aria.includes(a.buf), 'the card says it to a screen reader too');
    assert.match(a.tag, zh ? /写入在 r1 上等待/ : /writes wait on r1 \(its buffer\)/);
    assert.doesNotMatch(a.tag, zh ? /r1 的复制缓冲区/ : /buffered for r1/, '7.0’s master-side buffer is not shown');
    // The panel shows the latest decision: the rdb channel's PSYNC ? -1, counted in sync_full.
    let dec = await page.textContent('#decision');
    assert.match(dec, /PSYNC \? -1/);
    assert.match(dec, /\+FULLRESYNC/);
    assert.match(dec, zh ? /RDB 通道。.*计入 sync_full 的就是这一次 PSYNC/s : /The rdb channel\. .*This PSYNC is the one counted in sync_full/s);
    // A write now: its bytes travel on the main line; 100 ms later the buffer has grown.
    await consoleLine(page, 'm> SET w4 during-the-transfer');
    const b = await look(page);
    assert.ok(b.dots.some((d) => dist(d, b.main) < 8), `a stream dot on the main line (${JSON.stringify(b.dots)})`);
    assert.ok(b.dots.every((d) => dist(d, b.rdb) > 10), 'no stream dot on the RDB line');
    await consoleLine(page, 'wait 100ms');
    const c = await look(page);
    assert.ok(c.rdb, 'still mid-transfer');
    assert.ok(c.fsb > a.fsb, `the buffer grew: ${a.fsb} → ${c.fsb}`);
    assert.equal(c.buf, zh ? `缓冲在本节点：${c.fsb} B` : `buffered here: ${c.fsb} B`);
    await shots(page, `mid-${lang}`);
    // After the load: the replica closed the rdb channel and applied its buffer.
    await consoleLine(page, 'wait sync');
    const d = await look(page);
    assert.equal(d.rdb, null, 'one line again');
    assert.deepEqual(d.lanes, []);
    assert.equal(d.buf, null, 'the gauge is gone');
    assert.equal(d.fsb, null);
    assert.equal(d.offsets[0], d.offsets[1], 'r1 caught up');
    assert.match(d.tag, zh ? /在线/ : /online/);
    // The main channel's decision, from its chip: +RDBCHANNELSYNC <id> and why.
    const chips = await page.$$eval('#dec-hist .dchip', (bs) => bs.map((x) => x.textContent));
    assert.equal(chips.length, 2, chips.join(' | '));
    assert.match(chips[0], zh ? /全量，两条连接/ : /full, 2 connections/);
    await page.click('#dec-hist .dchip >> nth=0');
    await page.waitForFunction(() => document.querySelector('#decision .verdict[data-channel="main"]'));
    dec = await page.textContent('#decision');
    assert.match(await page.textContent('#decision .v1'), /^\+RDBCHANNELSYNC \d+$/);
    assert.match(dec, zh ? /全量同步，经由第二条连接（Redis 8\.0 的 RDB 通道）/ : /Full resync, over a second connection \(Redis 8\.0’s rdb channel\)/);
    assert.match(dec, zh ? /两条连接。m 在这条连接上回复 \+RDBCHANNELSYNC \d+，r1 随即向 m 打开第二条连接/ : /Two connections\. m answers \+RDBCHANNELSYNC \d+ on this connection, and r1 opens a second one to m, the rdb channel, for the RDB/);
    assert.match(dec, zh ? /在 r1 自己的缓冲区里等待.*sync_full 统计的是 RDB 通道上的 PSYNC，不是这一次/s : /wait in r1’s buffer, not in m’s.*sync_full counts the rdb channel’s PSYNC, not this one/s);
    await page.locator('#decision').screenshot({ path: path.join(ART, `twochannel-decision-${lang}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('Redis 7.0, the same history: one line, the writes wait on the master', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await switchTo(page, 'en');
  assert.ok(await open(page, scenario(null)));
  const a = await look(page);
  assert.equal(a.conns, 1);
  assert.equal(a.rdb, null);
  assert.equal(a.buf, null);
  assert.match(a.tag, /buffered for r1: \d+ B · omem \d+/);
  assert.match(await page.textContent('#decision .v1'), /^\+FULLRESYNC$/);
  assert.equal(await page.$('#decision .verdict[data-channel]'), null);
  await page.locator('#topo').screenshot({ path: path.join(ART, 'twochannel-r70.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
