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
  const ok = new Set(['ACK', 'PING', 'SYNC', 'PSYNC', 'CONFIG', 'SET', 'Redis', 'Valkey', 'DEL', 'UNLINK', 'Tab', 'Enter']);
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
  // The lines (Redis's words), without the reasons shown beside them.
  const onlyA = (await page.$$eval('#compare .cmp-only.a li', (lis) => lis.map((li) => li.textContent.replace(li.querySelector('.cmp-why')?.textContent || '', '')))).join('\n');
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
  // and Valkey's master is 3 bytes further per UNLINK it sent instead of a DEL (and
  // without j, below).
  await consoleLine(page, 'm> SET k2 v PX 100');
  await consoleLine(page, 'wait 1s');
  await page.waitForFunction(() => /Compare at t = 3\.5/.test(document.querySelector('#cmp-again').textContent));
  await page.check('#cmp-mine');
  await page.waitForFunction(() => /This session’s statements/.test(document.querySelector('#compare').textContent));
  const world = await page.evaluate(() => window.__replscope.world.view.nodes.map((n) => [n.name, String(n.master_repl_offset)]));
  for (const [n, off] of world) assert.equal((await cell(page, n, 'master_repl_offset'))[0], off, `${n}: Redis 7.0's side is the session itself`);
  const [a, b] = (await cell(page, 'm', 'master_repl_offset')).map(Number);
  const unlinks = (await page.textContent('#compare .cmp-only.b')).match(/m → r1 UNLINK/g).length;
  // Valkey 8.1 stores nothing for `SET j v PXAT <past>` (valkey#865; conformance
  // versions/valkey-past-deadline.scn): no SET j (57 bytes) and no delete of j (DEL j,
  // 20 bytes, on Redis 7.0) in its stream.
  assert.equal(unlinks, 2, 'k and k2 by the expiry cycle');
  assert.equal(b - a, 3 * unlinks - 57 - 20);
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
  // (Valkey 8.1 stores nothing for SET j … PXAT <past>, so neither SET j nor its UNLINK is in its stream.)
  assert.deepEqual(await cell(page, 'm', 'master_repl_offset'), ['177', '103', true]);
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

// The tester's failover (scenario "failover", r1 promoted, r2 and m follow it), compared
// with the statements applied since it loaded, Redis 7.0 against Valkey 8.1.
async function failoverCompare(page) {
  await page.selectOption('#lesson', 'failover');
  await page.waitForFunction(() => /Failover: promote a replica: the scenario printed/.test(document.querySelector('#con-out').textContent));
  for (const l of ['r1> REPLICAOF NO ONE', 'r2> REPLICAOF r1', 'm> REPLICAOF r1', 'wait 3s']) await consoleLine(page, l);
  await page.waitForFunction(() => window.__replscope.world.view.nodes.find((n) => n.name === 'm')?.master_host === 'r1');
  await page.click('#tab-compare');
  await page.waitForSelector('#cmp-mine');
  await page.check('#cmp-mine');
  await page.waitForFunction(() => /This session’s statements/.test(document.querySelector('#compare').textContent));
  await page.click('#cmp-again');
  await page.waitForSelector('#compare tr[data-field]');
}

const only = (page, side) => page.$$eval(`#compare .cmp-only.${side} li:not(.hint)`, (lis) => lis.map((li) => li.textContent));

test('compare: lines that differ only by Valkey’s primary/replica words count as the same; the handshake’s REPLCONF version is listed, with its reason', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await failoverCompare(page);
  const a = await only(page, 'a'), b = await only(page, 'b');
  // Valkey's log texts say PRIMARY/primary/replica where 7.0's say MASTER/master/slave: none is listed as a difference.
  const back = (t) => t.replace(/\bPRIMARY\b/g, 'MASTER').replace(/\bPrimary\b/g, 'Master').replace(/\bprimary\b/g, 'master').replace(/\breplica\b/g, 'slave');
  for (const t of b) assert.ok(!a.some((x) => back(x) === back(t) && x !== t), `listed though only worded differently: ${t}`);
  assert.ok(!b.some((t) => /PRIMARY <-> REPLICA|Connecting to PRIMARY/.test(t)), b.join('\n'));
  // The real difference comes first on Valkey's side, with the reason docs/versions.md gives.
  assert.match(b[0], /r1 → m REPLCONF version 8\.1\.1/);
  assert.match(b[0], /Valkey’s replica adds REPLCONF version 8\.1\.1 to its handshake \(7\.0 and 8\.0 masters refuse it: “non critical”\)/);
  assert.ok(a.length + b.length < 20, `${a.length} + ${b.length} lines`);
  // The summary counts the real ones, and says how many differ in words only.
  const sum = await page.textContent('#cmp-sum');
  const [, n] = /(\d+) messages or log lines on one side only/.exec(sum);
  const count = await page.$$eval('#compare .cmp-only h3', (hs) => hs.map((x) => Number(/\((\d+)\)/.exec(x.textContent)[1])));
  assert.equal(Number(n), count[0] + count[1]);
  const [, w] = /(\d+) more lines differ only in Valkey’s words \(primary for master, replica for slave\) and count as the same/.exec(sum);
  assert.ok(Number(w) > 30, sum);
  // Those lines, each text once, with a note on the wording, folded.
  assert.match(await page.textContent('#cmp-words summary'), new RegExp(`^${w} log lines the same but for Valkey’s words`));
  await page.click('#cmp-words summary');
  const words = await page.textContent('#cmp-words ol');
  assert.match(words, /r1 \* MASTER <-> REPLICA sync started\s*×4 \(the first shown\); wording on Valkey 8\.1\.1: MASTER → PRIMARY/);
  assert.match(words, /Waiting for REPLCONF ACK from slave to enable streaming\s*wording on Valkey 8\.1\.1: slave → replica/);
  assert.equal((words.match(/MASTER <-> REPLICA sync started/g) || []).length, 1, 'shown once');
  assert.deepEqual(await axe(page, '#pane-compare'), []);
  await page.locator('#pane-compare').screenshot({ path: path.join(ART, 'versions-compare-words.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('compare reads log lines in Valkey’s words through the core’s own Profile::reword (valkey_words), not a copy of its word list', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const r = await page.evaluate(async () => {
    const [c, p] = await Promise.all([import('./js/compare.js'), import('./pkg/replscope.js')]);
    return { same: c.valkeyWords === p.valkey_words, said: ['MASTER <-> REPLICA sync started', 'Slaves: master_repl_offset of slave-1, the masters’ slave', 'no words'].map((t) => c.valkeyWords(t)) };
  });
  assert.equal(r.same, true, 'the export itself');
  // Whole words only, as crate/version.rs's test pins them: _ and - join words.
  assert.deepEqual(r.said, ['PRIMARY <-> REPLICA sync started', 'Replicas: master_repl_offset of slave-1, the masters’ replica', 'no words']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('compare: repl_backlog_size is compared, read from each side’s INFO (1 MB on Redis 7.0, 10 MB on Valkey 8.1), with its reason in English and 中文', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await failoverCompare(page);
  for (const n of ['m', 'r1', 'r2']) assert.deepEqual(await cell(page, n, 'repl_backlog_size'), ['1048576', '10485760', true]);
  // Valkey's lazyfree default (CONFIG GET) differs too; parameters only listed when they differ.
  assert.deepEqual(await cell(page, 'm', 'lazyfree-lazy-expire'), ['no', 'yes', true]);
  assert.equal(await cell(page, 'm', 'repl-timeout'), null);
  // The reason, once under the field's rows.
  const why = await page.$$eval('#compare tr.cmp-why-row', (rs) => rs.map((r) => [r.dataset.why, r.textContent]));
  assert.deepEqual(why.filter(([f]) => f === 'repl_backlog_size').map(([, t]) => t), ['repl-backlog-size defaults to 1mb on Redis 7.0 and 8.0, to 10mb on Valkey 8.1.']);
  assert.ok(why.some(([f, t]) => f === 'lazyfree-lazy-expire' && /UNLINK, 3 bytes more than DEL/.test(t)));
  // Read from the world, not from the defaults: the session's own CONFIG SET shows on 7.0's side, and the default's reason goes.
  await consoleLine(page, 'm> CONFIG SET repl-backlog-size 2mb');
  await page.click('#cmp-again');
  await page.waitForFunction(() => document.querySelector('#compare tr[data-node="m"][data-field="repl_backlog_size"] td.a')?.textContent === '2097152');
  assert.deepEqual(await cell(page, 'm', 'repl_backlog_size'), ['2097152', '2097152', false], 'the statement is replayed on both sides');
  assert.deepEqual(await cell(page, 'r1', 'repl_backlog_size'), ['1048576', '10485760', true]);
  assert.equal(await page.locator('#compare tr.cmp-why-row[data-why="repl_backlog_size"]').count(), 1);
  // 中文: the reasons too, Redis's words kept as they are.
  await switchTo(page, 'zh-Hans');
  await page.waitForFunction(() => /值在 Redis 7\.0 和 8\.0 上是/.test(document.querySelector('#compare').textContent));
  assert.match(await page.textContent('#compare tr.cmp-why-row[data-why="repl_backlog_size"]'), /^repl-backlog-size 的默认值在 Redis 7\.0 和 8\.0 上是 1mb，在 Valkey 8\.1 上是 10mb。$/);
  assert.match(await page.textContent('#compare .cmp-only.b li'), /Valkey 的从节点在握手时多发一条 REPLCONF version 8\.1\.1/);
  assert.match(await page.textContent('#cmp-sum'), /另有 \d+ 行只是 Valkey 的用词不同/);
  await page.click('#cmp-words summary');
  assert.deepEqual(english(await ownWords(page, '#pane-compare')), []);
  await page.locator('#pane-compare').screenshot({ path: path.join(ART, 'versions-compare-reasons-zh.png') });
  await switchTo(page, 'en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('compare: the expired key’s offsets carry the UNLINK reason; Redis 8.0’s rdb channel and RDB header carry theirs, and no reason where the docs give none', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  assert.ok(await openText(page, EXPIRED));
  await page.click('#tab-compare');
  await page.waitForSelector('#compare tr[data-field]');
  assert.match(await page.textContent('#compare tr.cmp-why-row[data-why="slave_repl_offset"]'), /expired key propagates as UNLINK, 3 bytes more than DEL/);
  assert.match(await page.textContent('#compare .cmp-only.b'), /m → r1 UNLINK k\s*↳?\s*Valkey’s lazyfree-lazy-expire defaults to yes/);
  // Redis 7.0 against 8.0: the rdb channel, the handshake, the RDB header.
  await page.selectOption('#compare select >> nth=1', 'redis-8.0');
  await page.waitForFunction(() => /Redis 8\.0\.2/.test(document.querySelector('#compare .cmp-only.b h3')?.textContent));
  const b = (await only(page, 'b')).join('\n');
  assert.match(b, /capable of rdb channel synchronization[^\n]*Redis 8\.0 syncs in full over a second connection, the rdb channel \(repl-rdb-channel, on by default\)/);
  assert.match(b, /m → r1 RDB \d+ BEach version writes its own RDB header: REDIS0010 and redis-ver on 7\.0, REDIS0012 on 8\.0/);
  assert.equal((b.match(/Redis 8\.0 syncs in full/g) || []).length, 1, 'a reason once per list');
  assert.doesNotMatch(b, /Valkey’s|Valkey 8\.1 only|Valkey 8\.1 syncs/, 'no reason about Valkey’s profile between two Redis versions');
  assert.doesNotMatch(await page.textContent('#compare'), /repl-backlog-size defaults/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('compare: the panel fits its tab at 1440×900 and 1024×768 (no sideways scrolling), and Compare again shows the result from its left edge', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await failoverCompare(page);
  await page.click('#cmp-words summary');
  await page.click('#compare .cmp-same summary');
  for (const [w, hgt] of [[1440, 900], [1024, 768]]) {
    await page.setViewportSize({ width: w, height: hgt });
    await page.waitForTimeout(300);
    const r = await page.evaluate(() => {
      const pane = document.querySelector('#pane-compare'), box = pane.getBoundingClientRect();
      const out = [...pane.querySelectorAll('#compare *')].filter((el) => { const b = el.getBoundingClientRect(); return b.width && (b.right > box.right + 1 || b.left < box.left - 1); }).map((el) => `${el.tagName}.${el.className}: ${el.textContent.slice(0, 30)}`);
      return { sw: pane.scrollWidth, cw: pane.clientWidth, out };
    });
    assert.ok(r.sw <= r.cw, `${w}: content ${r.sw} px wide in a ${r.cw} px tab`);
    assert.deepEqual(r.out, [], `${w}: outside the tab`);
    await page.locator('#pane-compare').screenshot({ path: path.join(ART, `versions-compare-fit-${w}.png`) });
  }
  // Scrolled sideways (something wider than the tab next to the panel), Compare again goes back to the left edge.
  await page.evaluate(() => { const d = document.createElement('div'); d.id = 'wide'; d.style.width = '3000px'; d.style.height = '1px'; document.querySelector('#pane-compare').append(d); document.querySelector('#pane-compare').scrollLeft = 800; });
  assert.ok(await page.evaluate(() => document.querySelector('#pane-compare').scrollLeft) > 0);
  await page.click('#cmp-again');
  await page.waitForFunction(() => document.querySelector('#pane-compare').scrollLeft === 0);
  await page.evaluate(() => document.querySelector('#wide').remove());
  assert.deepEqual(errors, []);
  await page.close();
});

// A tester's phone in 中文 (375×667): the table's header "节点" stood one character a line,
// and "node" broke as "nod / e". Headers, node names and values keep their words whole; a
// field name breaks only after an underscore; what does not fit scrolls inside the table's
// own box, never the tab or the page.
test('compare at 375×667, English and 中文: headers and node names on one line, field names broken only after "_" or "-", the table scrolls in its own box', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 375, height: 667 });
  await failoverCompare(page);
  await page.click('#compare .cmp-same summary');
  for (const lang of ['en', 'zh-Hans']) {
    await switchTo(page, lang);
    await page.waitForSelector('#compare tr[data-field]');
    await page.waitForTimeout(200);
    const r = await page.evaluate(() => {
      // How many lines a cell's text takes: its text's line boxes.
      const lines = (el) => { const g = document.createRange(); g.selectNodeContents(el); return new Set([...g.getClientRects()].filter((x) => x.width).map((x) => Math.round(x.top))).size; };
      const cells = [...document.querySelectorAll('#compare .cmp-table th:not(:has(.sr)), #compare .cmp-table td.cmp-node, #compare .cmp-table td.num')];
      const field = [...document.querySelectorAll('#compare .cmp-table td.cmp-f')];
      // A field's line breaks fall after '_' (or a config name's '-'): each line but the last ends with one.
      const badField = field.filter((td) => {
        const g = document.createRange(), t = td.textContent, ends = [];
        let top = null;
        for (let i = 0, k = 0; k < td.childNodes.length; k++) {
          const n = td.childNodes[k];
          if (n.nodeType !== 3) continue;
          for (let j = 0; j < n.length; j++, i++) {
            g.setStart(n, j); g.setEnd(n, j + 1);
            const y = Math.round(g.getBoundingClientRect().top);
            if (top !== null && y > top + 2) ends.push(t[i - 1]);
            top = y;
          }
        }
        return ends.some((c) => c !== '_' && c !== '-');
      }).map((td) => td.textContent);
      const pane = document.querySelector('#pane-compare');
      return {
        multi: cells.filter((el) => lines(el) > 1).map((el) => el.textContent),
        badField, fields: field.length,
        pane: [pane.scrollWidth, pane.clientWidth], page: [document.documentElement.scrollWidth, innerWidth],
        boxes: [...document.querySelectorAll('#compare .cmp-scroll')].map((d) => getComputedStyle(d).overflowX),
      };
    });
    assert.ok(r.fields > 10, `${lang}: rows compared`);
    assert.deepEqual(r.multi, [], `${lang}: headers, node names and values on one line each`);
    assert.deepEqual(r.badField, [], `${lang}: field names break only after an underscore or a hyphen`);
    assert.ok(r.pane[0] <= r.pane[1], `${lang}: the tab does not scroll sideways (${r.pane})`);
    assert.ok(r.page[0] <= r.page[1], `${lang}: the page does not scroll sideways (${r.page})`);
    assert.deepEqual([...new Set(r.boxes)], ['auto'], `${lang}: each table in a box of its own that can scroll`);
    await page.locator('#compare .cmp-table').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ART, `versions-compare-375-${lang}.png`) });
  }
  await switchTo(page, 'en');
  assert.deepEqual(errors, []);
  await page.close();
});
