// Chinese mode is complete: after switching to 中文, walking every panel, tab and dialog
// through a disconnect, a partial resync and a full sync shows none of the page's own
// English words. What may stay in English is Redis's (commands, replies, INFO, log
// lines, RESP, replid, PSYNC, configuration names), the scenario language the reader
// types, node names, numbers, ids and units. Text Redis wrote is marked on the page
// (data-redis); a button's statement title is marked data-stmt. Chinese sentences use
// Chinese punctuation. Screenshots at 1440×900 and 375×812 go to tests/e2e/artifacts/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageSuite, ARTIFACTS as ART, openPage, playUntil, consoleLine } from './harness.mjs';

const env = pageSuite();

// Whole tokens (letters, digits, _ - .) that are Redis's or the scenario language's.
const TOKENS = new Set([
  'master_repl_offset', 'slave_repl_offset', 'slave_read_repl_offset', 'second_repl_offset', 'run_id', 'master_replid', 'master_replid2',
  'repl-backlog-size', 'repl-backlog-ttl', 'repl-timeout', 'repl-diskless-sync', 'repl-diskless-sync-delay', 'repl-ping-replica-period',
  'client-output-buffer-limit', 'min-replicas-to-write', 'min-replicas-max-lag', 'dump.rdb', 'kill', 'textbook-ack-resend', 'base64url', 'UTF-8',
  'Shift+R', 'Ctrl-C', 'keys_loaded',
]);
// Single words: Redis commands, replies and terms, acronyms, units, key names.
const WORDS = new Set([
  // Redis commands, replies, fields, terms
  'PSYNC', 'SYNC', 'REPLCONF', 'ACK', 'GETACK', 'BGSAVE', 'REPLICAOF', 'SLAVEOF', 'NO', 'ONE', 'INFO', 'CONFIG', 'SET', 'GET', 'REWRITE', 'SHUTDOWN',
  'WAIT', 'PING', 'SELECT', 'DEL', 'FLUSHALL', 'CONTINUE', 'FULLRESYNC', 'RDBCHANNELSYNC', 'NOMASTERLINK', 'OK', 'ERR', 'FAILOVER', 'MULTI', 'EXEC',
  'ROLE', 'NOREPLICAS', 'replicaof',   // (seen now that a step's earlier captions stay in the bar)
  'replid', 'histlen', 'refcount', 'omem', 'ping', 'Replication', 'Redis', 'Valkey', 'RDB', 'AOF', 'RESP', 'fd', 'fork',
  // the product, formats, keys, units
  'replscope', 'SVG', 'JSON', 'ID', 'EN', 'Tab', 'Enter', 'Esc', 'Shift', 'KB', 'MB', 'KiB', 'MiB', 'ms', 'us', 'kb', 'mb', 'kbit', 'mbit', 'gbit', 'bit',
  // what lessons quote from INFO, CONFIG and redis-cli, and the names engineers use for them
  'offset', 'lag', 'slave', 'replica', 'save', 'yes', 'integer', 'EXPIRE', 'PEXPIREAT', 'INCRBYFLOAT', 'Sentinel', 'TCP', 'OOM', 'killer', 'foo', 'bar', 'systemd',
]);

/** In the page: every text a reader sees or hears (text, title, aria-label, placeholder, labels), with where. */
function collect(opts = {}) {
  const out = [];
  const skip = (opts.bar ? '' : '#lesson-bar, ') + 'script, style, [data-redis], .brand,'
    // The console echoes statements and prints Redis's replies and the scenario's expects as typed.
    + ' #con-out > .cmd, #con-out > .out, #con-out > .late, #con-out > .exp-ok, #con-out > .exp-bad';
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(e.localName + (e.id ? `#${e.id}` : '') + (e.classList && e.classList.length ? `.${[...e.classList].join('.')}` : ''));
    }
    return parts.join(' > ');
  };
  const shown = (el) => el.closest('option, optgroup') || (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : true);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip) || !n.data.trim() || !shown(el)) continue;
    out.push({ text: n.data, where: where(el) });
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(skip)) continue;
    for (const a of ['title', 'aria-label', 'placeholder', 'aria-valuetext', 'label', 'alt']) {
      if (!el.hasAttribute(a) || (el.hasAttribute('data-stmt') && (a === 'title' || a === 'placeholder'))) continue;
      if (a === 'label' && el.localName !== 'optgroup' && el.localName !== 'option') continue;
      let v = el.getAttribute(a);
      // A title repeats the row it belongs to: the Redis part of it is Redis's.
      for (const r of el.querySelectorAll('[data-redis]')) v = v.replace(r.textContent, ' ');
      out.push({ text: v, where: `${where(el)} @${a}` });
    }
  }
  // SVG <title> elements are tooltips: the walker saw them as text already.
  return out;
}

const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;

/** The page's own English words left in `texts`, and Chinese sentences with ASCII punctuation. */
function problems(texts) {
  const bad = [];
  for (const { text, where } of texts) {
    const t = text
      // Redis's own text quoted, <placeholders>, and the English term glossed in （）
      .replace(/“[\x20-\x7e…]+”|'[\x20-\x7e]+'|<[\x20-\x7e]+>|（[\x20-\x7e]+）/g, ' ')
      .replace(/\b\w*_\w*\b/g, ' ')                        // INFO and CONFIG field names (sync_full, …)
      .replace(/\b[0-9a-f]{4}…[0-9a-f]{4}\b/g, ' ')        // short ids
      .replace(/\b[0-9a-f]{8,40}\b/g, ' ')                  // long ids
      .replace(/\b\d+(\.\d+)?(ms|us|s|kb|mb|gb|mbit|gbit|kbit|bit)\b/g, ' ');
    for (const tok of t.match(/[A-Za-z][\w.+-]*\w|[A-Za-z]/g) || []) {
      if (TOKENS.has(tok)) continue;
      for (const w of tok.match(/[A-Za-z]{2,}/g) || []) if (!WORDS.has(w)) bad.push(`“${w}” in “${text.trim().slice(0, 90)}” (${where})`);
    }
    // A Chinese sentence ends with 。，：；！？ and brackets are （）.
    const m = /[\u3400-\u9fff][.,;:!?](?=\s|$)|[A-Za-z)][.;]\s*[\u3400-\u9fff]|[\u3400-\u9fff]\(|\)[\u3400-\u9fff]/.exec(text);
    if (m && CJK.test(text)) bad.push(`ASCII punctuation “${m[0]}” in “${text.trim().slice(0, 90)}” (${where})`);
  }
  return [...new Set(bad)];
}

/** Press the language button until the page is in `lang` ('zh-Hans' or 'en'): the choice is remembered across tests. */
async function switchTo(page, lang) {
  for (let i = 0; i < 2 && await page.evaluate(() => document.documentElement.lang) !== lang; i++) {
    await page.click('#lang');
    await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: 5000 }).catch(() => {});
  }
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
}

async function check(page, stage, seen, opts = {}) {
  const texts = await page.evaluate(collect, opts);
  assert.ok(texts.length > 20, `${stage}: the page shows text`);
  for (const p of problems(texts)) seen.push(`${stage}: ${p}`);
  return texts;
}

test('in 中文 the page shows none of its own English words, panel by panel', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await switchTo(page, 'en');
  await switchTo(page, 'zh-Hans');
  // The console is a log: lines printed before the switch stay in the language they were
  // printed in. Reset reloads the scenario, so its lines are printed again, in Chinese.
  await page.click('#reset');
  await page.waitForFunction(() => /场景输出|已加载/.test(document.getElementById('con-out').textContent));
  const seen = [];
  await check(page, 'first view', seen);
  assert.match(await page.textContent('#topo'), /主节点/);
  assert.match(await page.textContent('#topo'), /偏移量 61/);

  // A disconnect, a write, a reconnect: link labels, the partial resync's decision and the ruler.
  await page.click('#topo [data-link="m|r1"]');
  await check(page, 'link selected', seen);
  await page.keyboard.press('d');
  await consoleLine(page, 'SET k1 v1');
  await page.evaluate(() => window.__replscope.renderNow());
  assert.match(await page.textContent('#topo'), /已断开/);
  await check(page, 'disconnected', seen);
  await page.click('#topo [data-link="m|r1"]');
  await page.keyboard.press('r');
  await playUntil(page, () => document.querySelector('#decision .verdict.partial') !== null);
  const dec = await page.textContent('#decision');
  assert.match(dec, /部分重同步：m 只向 r1 补发它缺少的 29 个字节，偏移量 62 … 90。/);
  assert.match(dec, /62 >= 首字节 1/);
  assert.match(dec, /Partial resynchronization request from r1:6379 accepted/, 'Redis’s log line stays as Redis writes it');
  assert.match(await page.textContent('#rulers'), /r1 PSYNC 62 ✓ 在窗口内/);
  await page.waitForTimeout(400);
  await check(page, 'partial resync', seen);
  await page.screenshot({ path: path.join(ART, 'zh-partial-1440.png') });

  // A node selected: its action buttons and the write-load control.
  await page.click('#topo [data-node="m"]');
  await check(page, 'node selected', seen);

  // One more replica: a full sync, with the writes buffered for it while BGSAVE runs.
  await page.keyboard.press('a');
  // Event by event up to the moment BGSAVE starts for r3 (playing fast could skip it).
  const acc = await page.evaluate(() => {
    const r = window.__replscope, acc = () => r.world.view.nodes[0].replicas.some((x) => x.name === 'r3' && x.accumulating);
    for (let i = 0; i < 20000 && !acc(); i++) r.world.step();
    r.renderNow();
    return acc();
  });
  assert.ok(acc, 'BGSAVE started for r3');
  for (const k of ['a', 'b', 'c']) await consoleLine(page, `m> SET ${k} ${k}${k}`);
  await page.evaluate(() => window.__replscope.renderNow());
  const buf = await page.textContent('#topo [data-link="m|r3"]');
  assert.match(buf, /r3 的复制缓冲区：\d+ B/, `the writes buffered for r3 are on its link: ${buf}`);
  const grown = await page.evaluate(() => window.__replscope.world.view.nodes[0].replicas.find((r) => r.name === 'r3').pending_bytes);
  assert.ok(buf.includes(`r3 的复制缓冲区：${grown} B`), `exactly the pending bytes (${grown}): ${buf}`);
  assert.ok(grown >= 3 * 25, `three SETs are buffered (${grown} B)`);
  await check(page, 'full sync buffering', seen);
  await playUntil(page, () => document.querySelector('#decision .verdict.full') !== null && window.__replscope.world.view.nodes.every((n) => n.role === 'master' || n.link_state === 'connected'));
  assert.match(await page.textContent('#decision'), /全量同步：m 将 fork 子进程执行 BGSAVE/);
  await check(page, 'full sync done', seen);

  // A partition: the master hears no ACK, and the link says for how long.
  await page.click('#topo [data-link="m|r2"]');
  await page.keyboard.press('x');
  await page.evaluate(() => { window.__t0 = window.__replscope.world.view.t_us; });
  await playUntil(page, () => window.__replscope.world.view.t_us > window.__t0 + 3.5e6);
  assert.match(await page.textContent('#topo [data-link="m|r2"]'), /网络分区 · \d+ 秒未收到 ACK/);
  await check(page, 'partitioned', seen);
  await page.click('#topo [data-link="m|r2"]');
  await page.keyboard.press('h');

  // Every tab.
  for (const tab of ['events', 'seq', 'chart', 'info', 'settings', 'compare']) {
    await page.click(`#tab-${tab}`);
    await page.waitForTimeout(450);
    await page.evaluate(() => window.__replscope.renderNow());
    await check(page, `tab ${tab}`, seen);
  }
  assert.match(await page.textContent('#settings'), /节点参数/);
  // INFO of the node selected through its action button.
  await page.click('#topo [data-node="r1"]');
  await page.keyboard.press('i');
  await page.waitForTimeout(450);
  assert.match(await page.textContent('#info'), /role:slave/);
  await check(page, 'INFO of r1', seen);
  await page.click('#tab-events');
  await page.selectOption('#filters select >> nth=1', 'repl');
  await page.waitForTimeout(200);
  await check(page, 'events: replication state', seen);
  await page.selectOption('#filters select >> nth=1', '');

  // The decision history: back to the first full sync.
  await page.click('#dec-hist .dchip >> nth=0');
  await page.waitForTimeout(300);
  await check(page, 'rewound', seen);

  // Dialogs: help and share.
  await page.click('#help');
  await page.waitForSelector('#dlg[open]');
  await check(page, 'help', seen);
  await page.click('#dlg menu button[value=close]');
  await page.click('#export');
  await page.waitForSelector('#dlg[open] #copy-link');
  await check(page, 'share', seen);
  await page.click('#dlg menu button[value=close]');

  fs.writeFileSync(path.join(ART, 'zh-problems.txt'), seen.join('\n') + '\n');
  assert.deepEqual(seen, [], `English words left in Chinese mode (all in artifacts/zh-problems.txt):\n${seen.slice(0, 40).join('\n')}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in 中文 the lesson cards and every lesson, step by step to its interview box, show none of the page’s own English words', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { cards: true, locale: ['zh-CN'] });
  await page.waitForSelector('#welcome:not([hidden]) .wl-go');
  const seen = [];
  await check(page, 'cards', seen);
  await page.evaluate(() => { const r = window.__replscope; r.world.slowmo = false; r.setSpeed(2); });
  const index = JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../www/lessons/index.json'), 'utf8'));
  for (const l of index) {
    await page.evaluate((id) => window.__replscope.ui.pickLesson(id), l.id);
    await page.waitForFunction((t) => document.querySelector('#lesson-bar b')?.textContent === t, l.title.zh);
    await check(page, `${l.id} start`, seen, { bar: true });
    while (await page.locator('#lesson-bar .lb-next').count()) {
      await page.click('#lesson-bar .lb-next');
      await page.waitForFunction(() => !window.__replscope.world.playing, null, { timeout: 20000 }).catch(() => {});
      await check(page, `${l.id} step`, seen, { bar: true });
    }
  }
  fs.writeFileSync(path.join(ART, 'zh-lessons-problems.txt'), seen.join('\n') + '\n');
  assert.deepEqual(seen, [], `English words left in the Chinese lessons (all in artifacts/zh-lessons-problems.txt):\n${seen.slice(0, 40).join('\n')}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in 中文 after a partial resync, desktop and phone (screenshots)', async () => {
  for (const [w, h] of [[1440, 900], [375, 812]]) {
    const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lang=zh`, { width: w, height: h });
    await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
    await consoleLine(page, 'disconnect m r1');
    await consoleLine(page, 'SET k1 v1');
    await consoleLine(page, 'reconnect m r1');
    await playUntil(page, () => document.querySelector('#decision .verdict.partial') !== null);
    await page.waitForTimeout(400);
    const seen = [];
    await check(page, `${w}px`, seen);
    assert.deepEqual(seen, [], seen.join('\n'));
    await page.screenshot({ path: path.join(ART, `zh-partial-${w}.png`), fullPage: w < 600 });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the English page still reads in English, and switching back restores it', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await switchTo(page, 'zh-Hans');
  await switchTo(page, 'en');
  await page.evaluate(() => window.__replscope.renderNow());
  const texts = await page.evaluate(collect);
  // (The console is a log: its lines keep the language they were printed in.)
  const zh = texts.filter((t) => CJK.test(t.text) && !/中文/.test(t.text) && !t.where.includes('#con-out'));
  assert.deepEqual(zh.map((t) => `${t.text} (${t.where})`), [], 'no Chinese left after switching back');
  assert.match(await page.textContent('#topo'), /offset 61/);
  assert.match(await page.textContent('#filters'), /hide heartbeats/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in 中文 a clipped console line says how much is left in Chinese; a title ending in “？” takes no colon; cards do not repeat their badge in the title (both languages)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { cards: true, locale: ['zh-CN'] });
  await page.waitForSelector('#welcome:not([hidden]) .wl-go');
  await switchTo(page, 'zh-Hans');
  for (const lang of ['zh', 'en']) {
    if (lang === 'en') await switchTo(page, 'en');
    const cards = await page.$$eval('#wl-cards .wl-go', (els) => els.map((e) => [e.querySelector('.wl-badge').textContent, e.querySelector('.wl-name').textContent]));
    for (const [badge, name] of cards) assert.doesNotMatch(name, /^(误区辨析|故障案例|线上事故|Myth check|Incident)\s*[:：]/, `${lang}: “${badge} / ${name}”`);
    assert.ok(cards.some(([b, n]) => /误区辨析|Myth check/.test(b) && n.length > 5), `${lang}: the myth card keeps its question`);
  }
  await switchTo(page, 'zh-Hans');
  await page.evaluate(() => window.__replscope.welcome(false));
  const con = () => page.textContent('#con-out');
  await page.evaluate(() => window.__replscope.panels.con.reset({ output: `${'x'.repeat(195)}\n`, expectations: [] }, '误区辨析：ACK 偏移量偏低时，主节点会重发吗？'));
  const out = await con();
  assert.match(out, /……（还有 75 个字符）/);
  assert.doesNotMatch(out, /characters/);
  assert.match(out, /重发吗？场景输出：/);
  assert.doesNotMatch(out, /？：/);
  // A lesson's own heading in the console, as the tester saw it.
  await page.evaluate(() => window.__replscope.ui.pickLesson('myth-ack-resend'));
  await page.waitForFunction(() => /重发吗？(场景输出|已加载)/.test(document.getElementById('con-out').textContent));
  assert.doesNotMatch(await con(), /？：/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('switching language says the console’s own notes (the load, the hint) again in it; the transcript stays as printed', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const notes = () => page.$$eval('#con-out .note', (ls) => ls.map((l) => l.textContent));
  // The choice is remembered: an earlier test may have left the page in Chinese.
  if (await page.evaluate(() => document.documentElement.lang) !== 'en') {
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
  assert.match((await notes())[0], /^A master and two replicas, in sync: the scenario printed:$/);
  assert.match((await notes()).at(-1), /^Try: select the m ↔ r1 link/);
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  assert.equal((await notes())[0], '一主两从，已同步：场景输出：');
  assert.match((await notes()).at(-1), /^试试：选中 m ↔ r1 链路/);
  assert.match(await page.textContent('#con-out'), /m> SET greeting hello\s*OK/);
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.match((await notes())[0], /^A master and two replicas, in sync: the scenario printed:$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in 中文 a “did you mean” hint reads in Chinese with one name and with a few (a parameter’s start, config_table.rs)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => window.__replscope.setLang('zh'));
  const zh = await page.evaluate(async () => {
    const { trCore } = await import('./js/dom.js');
    const bad = 'line 1, column 8: repl-backlog=1mb: Bad directive or wrong number of arguments';
    return [" (did you mean 'repl-backlog-size'?)", " (did you mean 'repl-backlog-size' or 'repl-backlog-ttl'?)", " (did you mean 'a-b' or 'a-c' or 'a-d'?)"].map((h) => trCore(bad + h));
  });
  const bad = '第 1 行第 8 列：repl-backlog=1mb: Bad directive or wrong number of arguments';
  assert.deepEqual(zh, [
    `${bad}（是不是想写 'repl-backlog-size'？）`,
    `${bad}（是不是想写 'repl-backlog-size' 或 'repl-backlog-ttl'？）`,
    `${bad}（是不是想写 'a-b' 或 'a-c' 或 'a-d'？）`,
  ]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a first visit at #lang=zh shows the lesson cards in Chinese; Share’s link and embed code made in Chinese carry lang=zh and open in Chinese for an English browser', async () => {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lang=zh`, { cards: true, locale: ['en-US'] });
  // `lang=` alone is not a link: the cards of a first visit, in Chinese.
  await page.waitForFunction(() => !document.getElementById('welcome').hidden && /面试题，按文章的顺序/.test(document.getElementById('welcome').textContent));
  await page.evaluate(() => { window.__replscope.welcome(false); localStorage.removeItem('replscope-lang'); });
  await page.click('#export');
  await page.click('#copy-link');
  await page.waitForFunction(() => /#z=[A-Za-z0-9_-]+&lang=zh$/.test(window.__replscope.lastLink || ''));
  const link = await page.evaluate(() => window.__replscope.lastLink);
  await page.click('#copy-embed');
  await page.waitForFunction((l) => window.__replscope.lastLink !== l, link);
  assert.match(await page.evaluate(() => window.__replscope.lastLink), /\/\?embed=1#z=[A-Za-z0-9_-]+&lang=zh$/);
  await page.keyboard.press('Escape');
  // A reader whose browser prefers English gets the page in Chinese, as it was made.
  const fresh = await openPage(env.browser.ctx, link, { locale: ['en-US'] });
  assert.equal(await fresh.page.evaluate(() => document.documentElement.lang), 'zh-Hans');
  assert.match(await fresh.page.textContent('#con-out'), /[\u4e00-\u9fff]/);
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.page.close();
  await page.close();
});
