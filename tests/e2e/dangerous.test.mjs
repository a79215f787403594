// The dangerous cases the core names (crate/repl/psync.rs Situation, NodeView.problem),
// as the decision panel and the topology show them: each incident scenario of
// tests/scenarios/incidents/ opened from a share link at its end, in both languages.
// Screenshots go to ARTIFACTS for a person to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { pageSuite, openPage, ARTIFACTS } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const env = pageSuite();

function link(name) {
  const script = fs.readFileSync(path.join(HERE, '../scenarios/incidents', `${name}.scn`), 'utf8')
    .split('\n').filter((l) => !l.startsWith('#')).join('\n');
  // t_us past the end: the page plays the whole scenario and stops at its end.
  return `#z=${zlib.deflateRawSync(Buffer.from(JSON.stringify({ v: 1, seed: 1, script, t_us: 20e6 }))).toString('base64url')}`;
}

async function open(name, lang) {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}${link(name)}&lang=${lang}`);
  await page.waitForFunction(() => document.querySelector('.dec-case'), null, { timeout: 20000 });
  const r = await page.evaluate(() => ({
    note: document.querySelector('.dec-case').textContent,
    warn: document.querySelector('.dec-case').classList.contains('warn'),
    cards: document.getElementById('topo').textContent,
  }));
  await page.screenshot({ path: path.join(ARTIFACTS, `dangerous-${name}-${lang}.png`) });
  assert.deepEqual(errors, [], `${name} ${lang}: no console error`);
  await page.close();
  return r;
}

test('a master restart is named a restart, not a promotion', async () => {
  const en = await open('master-restart-keeps-history', 'en');
  assert.match(en.note, /^A restart, not a promotion\. m restarted and reloaded its history from its RDB \(replid2 \w{4}…\w{4}, second_repl_offset 120\)/);
  assert.equal(en.warn, false);
  const zh = await open('master-restart-keeps-history', 'zh');
  assert.match(zh.note, /^这是重启，不是提升。m 重启后从 RDB 文件中重新载入了自己的复制历史（replid2 \w{4}…\w{4}，second_repl_offset 120）/);
});

test('a master that came back empty warns that its replicas are wiped', async () => {
  const en = await open('master-without-persistence', 'en');
  assert.equal(en.warn, true);
  assert.match(en.note, /The “master without persistence” pitfall\. m came back empty \(no RDB file to load\), with a new replication ID: the full sync will wipe r\d’s 3 keys\. Fix: persistence on the master, or no automatic restart/);
  const zh = await open('master-without-persistence', 'zh');
  assert.match(zh.note, /“主节点未开启持久化”的陷阱。m 重启后数据为空（没有可载入的 RDB 文件）.*清空 r\d 上的全部 3 个键。解决办法：/);
});

test('replicas of each other: the loop and its cause, on the panel and the topology', async () => {
  const en = await open('replica-loop-after-restart', 'en');
  assert.equal(en.warn, true);
  assert.match(en.note, /Replicas of each other: (m ⇄ r1|r1 ⇄ m)\. .*-NOMASTERLINK.* r1 restarted and followed replicaof m from its config file: REPLICAOF NO ONE is not written to the config file unless CONFIG REWRITE saves it\. Fix: REPLICAOF NO ONE/);
  assert.match(en.cards, /⟲ loop: -NOMASTERLINK/);
  assert.match(en.cards, /⟲ replicas of each other/);
  assert.match(en.cards, /r1 followed its config/);
  const zh = await open('replica-loop-after-restart', 'zh');
  assert.match(zh.note, /互为从节点：.*r1 重启后按配置文件里的 replicaof m 重新成为从节点/);
  assert.match(zh.cards, /⟲ 循环复制：-NOMASTERLINK/);
});
