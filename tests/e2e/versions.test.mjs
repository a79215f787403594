// Versions on the page (issue 12): every node card shows its version (Valkey's drawn apart),
// "+ node" starts the version picked beside it, Settings reloads the whole cluster on
// another version (`version X` first in the scenario) or replays the session with one node
// on another, and the Compare tab plays the same scenario and seed on two versions side by
// side with what differs marked — here the expired key that Redis 7.0 propagates as DEL
// (offset 100) and Valkey 8.1 as UNLINK (offset 103). In English and in 中文, at 1440×900
// and 375×812 (screenshots in tests/e2e/artifacts/versions-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageSuite, ARTIFACTS as ART, openPage, consoleLine } from './harness.mjs';

const env = pageSuite();
const HERE = path.dirname(fileURLToPath(import.meta.url));
const EXPIRED = fs.readFileSync(path.join(HERE, '../scenarios/core/expired-key-del.scn'), 'utf8');
const SIZES = [[1440, 900, 'wide'], [375, 812, 'phone']];
const AXE = fs.readFileSync(path.join(HERE, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's violations inside `sel`, light and dark. */
async function axe(page, sel) {
  const out = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(150);
    if (!await page.evaluate(() => !!window.axe)) await page.evaluate(AXE);
    out.push(...await page.evaluate(async (s) => (await window.axe.run(s, { resultTypes: ['violations'] })).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), sel).then((v) => v.map((x) => `${scheme} ${x}`)));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return out;
}

/** Open a scenario's text as a shared session would (a new world, same page). */
const openText = (page, text) => page.evaluate((t) => window.__replscope.ui.open(t, null, 'Your scenario'), text);

const badge = (page, node) => page.evaluate((n) => {
  const g = document.querySelector(`#topo [data-node="${n}"] .ver`);
  return g && { version: g.dataset.version, text: g.querySelector('text').textContent, title: g.querySelector('title').textContent, stroke: g.querySelector('rect').getAttribute('stroke') };
}, node);

/** The compare table's cells for one node and field: [A, B, marked as different]. */
const cell = (page, node, field) => page.evaluate(([n, f]) => {
  const tr = document.querySelector(`#compare tr[data-node="${n}"][data-field="${f}"]`);
  return tr && [tr.querySelector('td.a').textContent, tr.querySelector('td.b').textContent, tr.classList.contains('diff')];
}, [node, field]);

async function switchTo(page, lang) {
  for (let i = 0; i < 2 && await page.evaluate(() => document.documentElement.lang) !== lang; i++) {
    await page.click('#lang');
    await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: 5000 }).catch(() => {});
  }
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
}

/** The page's own words shown in `sel` (Redis's, marked data-redis, left out). */
const ownWords = (page, sel) => page.evaluate((s) => {
  const out = [];
  const root = document.querySelector(s);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.data.trim() || n.parentElement.closest('[data-redis], option')) continue;
    out.push(n.data);
  }
  for (const el of root.querySelectorAll('[title], [aria-label]')) {
    if (el.closest('[data-redis], option')) continue;
    for (const a of ['title', 'aria-label']) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
  }
  return out;
}, sel);

/** English words left in Chinese text: Redis's and the scenario language's may stay (quoted “…” or in （…）). */
function english(texts) {
  const ok = new Set(['ACK', 'PING', 'SYNC', 'PSYNC', 'CONFIG', 'SET', 'Redis', 'DEL', 'UNLINK', 'Tab', 'Enter']);
  const bad = [];
  for (const t of texts) {
    const rest = t.replace(/“[\x20-\x7e…]+”|（[\x20-\x7e]+）/g, ' ').replace(/\b\w*_\w*\b/g, ' ');
    for (const w of rest.match(/[A-Za-z]{2,}/g) || []) if (!ok.has(w)) bad.push(`${w} in “${t.trim().slice(0, 80)}”`);
  }
  return bad;
}

test('a node card shows its version; "+ node" starts the version picked beside it', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  // The default cluster runs Redis 7.0: a quiet "7.0" on each card.
  const m = await badge(page, 'm');
  assert.deepEqual([m.version, m.text, m.title], ['redis-7.0', '7.0', 'Redis 7.0.15']);
  // Pick Valkey 8.1 beside "+ node" and add a node: the statement names it.
  await page.selectOption('#actions .ver-pick', 'valkey-8.1');
  await page.click('#actions button[aria-keyshortcuts="A"]');
  await page.waitForFunction(() => document.querySelector('#topo [data-node="r3"] .ver'));
  assert.match(await page.textContent('#con-out'), /node r3 replicaof=m version=valkey-8.1/);
  const v = await badge(page, 'r3');
  assert.deepEqual([v.version, v.text, v.title], ['valkey-8.1', 'Valkey 8.1', 'Valkey 8.1.1']);
  assert.notEqual(v.stroke, m.stroke, 'Valkey is drawn in its own colour');
  assert.equal(await page.evaluate(() => window.__replscope.world.node('r3').version), 'valkey-8.1');
  // The console's own `node` statement takes version= too, and the card shows it.
  await consoleLine(page, 'node old replicaof=m version=redis-2.6');
  await page.waitForFunction(() => document.querySelector('#topo [data-node="old"] .ver'));
  const o = await badge(page, 'old');
  assert.equal(o.text, '2.6');
  assert.match(o.title, /Redis 2\.6: a replica that syncs with SYNC, never PSYNC/);
  // The console's `version` statement: the nodes declared after it run that version…
  await consoleLine(page, 'version redis-8.0');
  await consoleLine(page, 'node late replicaof=m');
  await page.waitForFunction(() => document.querySelector('#topo [data-node="late"] .ver'));
  assert.equal((await badge(page, 'late')).text, '8.0');
  // …so "+ node" with "its master's version" names m's (7.0) rather than take that default.
  await page.selectOption('#actions .ver-pick', '');
  await page.click('#actions button[aria-keyshortcuts="A"]');
  await page.waitForFunction(() => document.querySelector('#topo [data-node="r4"] .ver'));
  assert.match(await page.textContent('#con-out'), /node r4 replicaof=m version=redis-7\.0/);
  assert.equal((await badge(page, 'r4')).text, '7.0');
  for (const [w, hgt, name] of SIZES) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.waitForTimeout(400);
    await page.locator('#topo').screenshot({ path: path.join(ART, `versions-badges-${name}.png`) });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('compare: the expired key is DEL on Redis 7.0 and UNLINK on Valkey 8.1, 100 vs 103', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  assert.ok(await openText(page, EXPIRED));
  await page.click('#tab-compare');
  await page.waitForSelector('#compare tr[data-field]');
  // r1 applied the DEL (20 bytes) on 7.0, the UNLINK (23) on Valkey; both sides at one time.
  assert.deepEqual(await cell(page, 'r1', 'slave_repl_offset'), ['100', '103', true]);
  assert.deepEqual(await cell(page, 'r1', 'master_repl_offset'), ['100', '103', true]);
  assert.deepEqual(await cell(page, 'm', 'sync_full'), ['1', '1', false]);
  const text = await page.textContent('#compare');
  assert.match(text, /Only on Redis 7\.0\.15 \(\d+\)/);
  assert.match(text, /Only on Valkey 8\.1\.1 \(\d+\)/);
  const onlyA = await page.textContent('#compare .cmp-only.a');
  const onlyB = await page.textContent('#compare .cmp-only.b');
  assert.match(onlyA, /m → r1 DEL k/);
  assert.match(onlyB, /m → r1 UNLINK k/);
  assert.doesNotMatch(onlyA, /UNLINK/);
  // The scenario's own expect of offset 100 holds on 7.0 only, and the panel says so.
  assert.match(text, /expect m master_repl_offset = 100\s*holds on Redis 7\.0\.15, not on Valkey 8\.1\.1:\s*m master_repl_offset is 103/);
  // Another pair: Redis 8.0 propagates DEL as 7.0 does, so the masters' offsets agree (its
  // full sync may end at another instant, so the replicas' need not at the same time).
  await page.selectOption('#compare select >> nth=1', 'redis-8.0');
  await page.waitForFunction(() => /Redis 8\.0\.2/.test(document.querySelector('#compare thead').textContent));
  assert.deepEqual(await cell(page, 'm', 'master_repl_offset'), ['177', '177', false]);
  await page.selectOption('#compare select >> nth=1', 'valkey-8.1');
  await page.waitForFunction(() => /Valkey 8\.1\.1/.test(document.querySelector('#compare thead').textContent));
  // With the statements applied since: Redis 7.0's side is then this very session again,
  // and Valkey's master is 3 bytes further per UNLINK it sent instead of a DEL.
  await consoleLine(page, 'm> SET k2 v PX 100');
  await consoleLine(page, 'wait 1s');
  await page.waitForFunction(() => /Compare at t = 3\.5/.test(document.querySelector('#cmp-again').textContent));
  await page.check('#cmp-mine');
  await page.waitForFunction(() => /This session’s statements/.test(document.querySelector('#compare').textContent));
  const world = await page.evaluate(() => window.__replscope.world.view.nodes.map((n) => [n.name, String(n.master_repl_offset)]));
  for (const [n, off] of world) assert.equal((await cell(page, n, 'master_repl_offset'))[0], off, `${n}: Redis 7.0's side is the session itself`);
  const [a, b] = (await cell(page, 'm', 'master_repl_offset')).map(Number);
  const unlinks = (await page.textContent('#compare .cmp-only.b')).match(/m → r1 UNLINK/g).length;
  assert.equal(unlinks, 3, 'k and k2 by the expiry cycle, j on the read that found it expired');
  assert.equal(b - a, 3 * unlinks);
  await page.click('#compare .cmp-same summary');
  assert.deepEqual(await axe(page, '#pane-compare'), []);
  assert.deepEqual(await axe(page, '#topo'), []);
  for (const [w, hgt, name] of SIZES) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.waitForTimeout(400);
    await page.locator('#pane-compare').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ART, `versions-compare-${name}.png`), fullPage: name === 'phone' });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('Settings: the whole cluster reloads on another version; one node replays on another', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.click('#tab-settings');
  await page.waitForSelector('#ver-cluster');
  assert.equal(await page.inputValue('#ver-cluster'), 'redis-7.0');
  await page.selectOption('#ver-cluster', 'redis-8.0');
  await page.click('#ver-cluster-go');
  await page.waitForFunction(() => window.__replscope.world.view.nodes.every((n) => n.version === 'redis-8.0'));
  assert.match(await page.evaluate(() => window.__replscope.world.text), /^version redis-8\.0\n/);
  assert.match(await page.textContent('#con-out'), /Reloaded the scenario from its start with “version redis-8\.0” as its first line/);
  await page.waitForFunction(() => document.querySelector('#topo [data-node="m"] .ver').dataset.version === 'redis-8.0');
  assert.equal((await badge(page, 'r2')).text, '8.0');
  assert.equal(await page.inputValue('#ver-cluster'), 'redis-8.0');
  // Again, to Valkey: the first line is replaced, not stacked.
  await page.selectOption('#ver-cluster', 'valkey-8.1');
  await page.click('#ver-cluster-go');
  await page.waitForFunction(() => window.__replscope.world.view.nodes.every((n) => n.version === 'valkey-8.1'));
  assert.doesNotMatch(await page.evaluate(() => window.__replscope.world.text), /redis-8\.0/);
  // One node: its version is fixed at start, so the page replays the session with its line changed.
  await page.click('#topo [data-node="r1"]');
  await page.waitForFunction(() => /r1 runs/.test(document.querySelector('#settings .ver-box').textContent));
  assert.match(await page.textContent('#settings'), /r1 runs\s*Valkey 8\.1\.1/);
  await consoleLine(page, 'SET after reload');
  await page.selectOption('#ver-node', 'redis-8.0');
  await page.waitForFunction(() => window.__replscope.world.node('r1')?.version === 'redis-8.0');
  assert.equal(await page.evaluate(() => window.__replscope.world.node('m').version), 'valkey-8.1');
  assert.match(await page.evaluate(() => window.__replscope.world.text), /^node r1 [^\n]*version=redis-8\.0$/m);
  assert.match(await page.evaluate(() => window.__replscope.world.text), /m> SET after reload/, 'the statements applied are replayed');
  assert.match(await page.textContent('#con-out'), /Replayed this session from its start with r1 on Redis 8\.0\.2/);
  assert.deepEqual(await axe(page, '#pane-settings'), []);
  assert.deepEqual(await axe(page, '#actions'), []);
  for (const [w, hgt, name] of SIZES) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(ART, `versions-settings-${name}.png`), fullPage: name === 'phone' });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('in 中文: the badge, the pickers and the compare view speak Chinese', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await switchTo(page, 'zh-Hans');
  // r1's line names Redis 8.0 (it loads Valkey's RDB 11; the other way round it could not).
  assert.ok(await openText(page, EXPIRED.replace('node r1 replicaof=m', 'node r1 replicaof=m version=redis-8.0')));
  await page.waitForFunction(() => document.querySelector('#topo [data-node="r1"] .ver')?.dataset.version === 'redis-8.0');
  assert.equal((await badge(page, 'r1')).text, '8.0');
  await page.click('#tab-compare');
  await page.waitForSelector('#compare tr[data-field]');
  assert.equal(await page.textContent('#tab-compare'), '对比');
  // r1 runs Redis 8.0 in both worlds (its line names it): the masters' DEL and UNLINK differ.
  assert.deepEqual(await cell(page, 'm', 'master_repl_offset'), ['177', '183', true]);
  assert.match(await page.textContent('#cmp-pinned'), /r1 \(Redis 8\.0\.2\)/);
  const text = await page.textContent('#compare');
  assert.match(text, /只在“Redis 7\.0\.15”上出现/);
  assert.match(text, /在“Redis 7\.0\.15”上成立，在“Valkey 8\.1\.1”上不成立/);
  assert.deepEqual(english(await ownWords(page, '#pane-compare')), []);
  for (const [w, hgt, name] of SIZES) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(ART, `versions-compare-zh-${name}.png`), fullPage: name === 'phone' });
  }
  await page.click('#tab-settings');
  await page.waitForSelector('#ver-cluster');
  await page.click('#topo [data-node="r1"]');
  await page.waitForFunction(() => /r1 运行的版本/.test(document.querySelector('#settings .ver-box').textContent));
  assert.match(await page.textContent('#settings'), /整个集群/);
  await page.selectOption('#ver-cluster', 'valkey-8.1');
  await page.click('#ver-cluster-go');
  await page.waitForFunction(() => window.__replscope.world.node('m').version === 'valkey-8.1');
  assert.equal(await page.evaluate(() => window.__replscope.world.node('r1').version), 'redis-8.0', 'a node whose line names a version keeps it');
  assert.match(await page.textContent('#con-out'), /已从头重新加载场景，第一行是“version valkey-8\.1”/);
  await page.waitForSelector('#ver-node');
  assert.deepEqual(english(await ownWords(page, '#settings .ver-box')), []);
  assert.deepEqual(english(await ownWords(page, '#actions')), []);
  for (const [w, hgt, name] of SIZES) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(ART, `versions-settings-zh-${name}.png`), fullPage: name === 'phone' });
  }
  await switchTo(page, 'en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('replaying with the master on a newer version: the wait sync that never completes becomes 10 s, and the replicas are seen failing', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.click('#topo [data-node="m"]');
  await page.click('#tab-settings');
  await page.waitForSelector('#ver-node');
  // Redis 2.6 is a replica-only profile: not offered for a master or the whole cluster.
  const offered = (sel) => page.$$eval(`${sel} option`, (os) => os.map((o) => o.value));
  assert.deepEqual(await offered('#ver-node'), ['', 'redis-8.0', 'valkey-8.1']);
  assert.deepEqual(await offered('#ver-cluster'), ['redis-7.0', 'redis-8.0', 'valkey-8.1']);
  await page.selectOption('#ver-node', 'valkey-8.1');
  await page.waitForFunction(() => window.__replscope.world.node('m')?.version === 'valkey-8.1');
  const con = await page.textContent('#con-out');
  assert.match(con, /Line 7, “wait sync”, never completes with these versions: not in sync after 10 simulated minutes \(r1: /);
  assert.match(con, /2 statements after it were not replayed/);
  const w = await page.evaluate(() => ({ t: window.__replscope.world.nowUs, text: window.__replscope.world.text, r1: window.__replscope.world.node('r1').version }));
  assert.equal(w.r1, 'redis-7.0');
  assert.match(w.text, /^node m version=valkey-8\.1$/m);
  assert.match(w.text, /wait 10s\n$/);
  assert.ok(w.t >= 10e6, `10 simulated seconds ran (t = ${w.t} µs)`);
  // The panel says what m runs now, and the picker is back on its prompt.
  assert.match(await page.textContent('#settings .ver-box'), /m runs\s*Valkey 8\.1\.1/);
  assert.equal(await page.inputValue('#ver-node'), '');
  // Why: the 7.0 replicas fail to load the newer RDB file, and say so in their log.
  await page.click('#tab-events');
  await page.selectOption('select[aria-label="Only events of kind"]', 'log');
  await page.waitForFunction(() => /Can't handle RDB format version 11/.test(document.querySelector('#pane-events').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});
