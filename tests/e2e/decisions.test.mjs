// The decision list under a reconnect loop: a replica whose output buffer limit drops it
// every few ms makes about 120 PSYNC decisions a simulated second. The core and the page
// keep the newest (about 2,000) and count the others; the history row says how many were
// not kept (in English and in Chinese), every decision held is the core's under the same
// number, and seeking back before the kept ones and forward again keeps the panel right.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pageSuite, openPage, consoleLine, ARTIFACTS } from './harness.mjs';

const env = pageSuite();

const LOOP = 'node m\nnode r repl-backlog-size=1k client-output-buffer-limit="replica 20kb 10kb 2" hz=500\nm> REPLICAOF r\n';

/** What the page holds against what the core keeps, decision by decision. */
const check = (page) => page.evaluate(() => {
  const w = window.__replscope.world, pg = w.pg;
  const core = pg.decisions(), from = pg.decisions_from();
  let same = 0, differ = 0;
  for (let i = Math.max(from, w.decBase); i < Math.min(from + core.length, w.decEnd); i++) {
    if (JSON.stringify(w.dec(i)) === JSON.stringify(core[i - from])) same++; else differ++;
  }
  return {
    decBase: w.decBase, decEnd: w.decEnd, decPast: w.decPast, held: w.decisions.length, made: pg.decisions_len(),
    coreKept: core.length, same, differ, now: w.nowUs,
    last: JSON.stringify(w.dec(w.decPast - 1)), coreLast: JSON.stringify(core[core.length - 1]),
    hist: document.getElementById('dec-hist').textContent, panel: document.getElementById('decision').textContent,
  };
});

/** Run the world `ms` of simulated time in frames of `frame` ms, as playing would. */
const run = (page, ms, frame) => page.evaluate(([ms, frame]) => {
  const r = window.__replscope, w = r.world;
  for (let t = 0; t < ms; t += frame) { w.pg.advance(frame); w.refresh(); }
  r.ui.dirty = true;
  r.renderNow();
}, [ms, frame]);

const seek = async (page, us) => {
  await page.evaluate((x) => window.__replscope.ui.requestSeek(x), us);
  await page.waitForFunction((x) => window.__replscope.world.nowUs === x, us);
  await page.evaluate(() => window.__replscope.renderNow());
};

test('a reconnect loop: the page keeps the newest decisions, says how many it did not keep, and seeks right', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate((t) => { window.__replscope.setPlaying(false); return window.__replscope.ui.open(t, null, 'Your scenario'); }, LOOP);
  // 60 simulated seconds, in frames of 1.7 s (100×) then 0.2 s.
  await run(page, 54000, 1700);
  await run(page, 6000, 200);
  const a = await check(page);
  assert.ok(a.made > 5000, `the loop made ${a.made} decisions`);
  assert.equal(a.decPast, a.made);
  assert.equal(a.decEnd, a.made, 'the page holds up to the last one made');
  assert.ok(a.held <= 2500 && a.coreKept <= 2500, `held ${a.held}, core ${a.coreKept}`);
  assert.ok(a.decBase > 1000, `the oldest were forgotten (${a.decBase})`);
  assert.equal(a.differ, 0);
  assert.ok(a.same >= 2000, `${a.same} decisions held by both`);
  assert.equal(a.last, a.coreLast, 'the panel shows the last decision made');
  assert.ok(a.hist.includes(`${a.decBase.toLocaleString('en-US')} earlier decisions not kept`), a.hist.slice(0, 200));
  assert.match(a.panel, /m → r/, a.panel.slice(0, 300));

  // Back before the first kept: what the replay from the checkpoint made, numbered as
  // when it was made; the panel shows the last decision made by then.
  await seek(page, 20_000_000);
  const b = await check(page);
  assert.ok(b.decPast < a.decBase, `${b.decPast} made by 20 s`);
  assert.ok(b.decBase <= b.decPast && b.decPast <= b.decEnd);
  assert.equal(b.differ, 0);
  assert.equal(b.last, b.coreLast);
  const t = JSON.parse(b.last).t_us;
  assert.ok(t <= 20_000_000 && t > 19_000_000, `the last decision before 20 s (${t})`);
  // The rewound future the page held is still drawn on the timeline, and its decisions
  // keep their numbers.
  const fut = await page.evaluate(() => {
    const w = window.__replscope.world, L = w.decLater;
    return { marks: document.querySelectorAll('.tl-dm.future').length, base: L && L.base, n: L && L.list.length, last: w.decLast };
  });
  assert.ok(fut.marks > 0 && fut.base === a.decBase && fut.n >= 2000 && fut.last <= a.made, JSON.stringify(fut));
  // Its last mark goes to that decision, which the panel then explains.
  const want = await page.evaluate(() => { const w = window.__replscope.world; return w.dec(w.decLast - 1); });
  await page.click('.tl-dm.future >> nth=-1');
  await page.waitForFunction((t) => window.__replscope.world.nowUs === t, want.t_us);
  await page.evaluate(() => window.__replscope.renderNow());
  const shown = await check(page);
  assert.equal(shown.last, JSON.stringify(want));
  assert.match(shown.panel, new RegExp(`t = ${(want.t_us / 1e6).toFixed(3)} s`));
  await seek(page, 20_000_000);

  // Back to where the replay from the checkpoint has made no decision yet (the loop has
  // not begun): the last one made by then, long forgotten, is shown again — the
  // checkpoint carries it (the panel once threw here).
  await seek(page, 8_000_000);
  const g = await check(page);
  assert.ok(g.decPast > 0 && g.decBase === g.decPast - 1, `decision ${g.decPast - 1} held (from ${g.decBase})`);
  assert.equal(g.last, g.coreLast);
  assert.ok(JSON.parse(g.last).t_us < 8_000_000);
  assert.match(g.panel, /FULLRESYNC|CONTINUE/, g.panel.slice(0, 300));
  assert.deepEqual(errors, []);
  await seek(page, 20_000_000);

  // A chip of the row goes to its decision.
  const chip = await page.evaluate(() => {
    const w = window.__replscope.world;
    const chips = document.querySelectorAll('#dec-hist .dchip');
    return { n: chips.length, first: Math.max(w.decBase, w.decEnd - chips.length) };
  });
  assert.ok(chip.n > 0 && chip.n <= 40);
  await page.click('#dec-hist .dchip >> nth=0');
  await page.waitForFunction((i) => window.__replscope.world.nowUs === window.__replscope.world.dec(i)?.t_us, chip.first);

  // Forward to the end again: the same decisions under the same numbers (the future set
  // aside joins the decisions fetched again).
  await seek(page, a.now);
  const c = await check(page);
  assert.equal(await page.evaluate(() => window.__replscope.world.decLater), null);
  assert.equal(c.decPast, a.made);
  assert.equal(c.last, a.last);
  assert.equal(c.differ, 0);
  assert.ok(c.held <= 2500);

  // In Chinese.
  await page.evaluate(() => window.__replscope.setLang('zh'));
  await page.evaluate(() => window.__replscope.renderNow());
  await page.waitForFunction(() => /更早的 [\d,]+ 条决策未保留/.test(document.getElementById('dec-hist').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a new scenario with as many decisions as the last still gets its own explained', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const panel = async (text) => {
    await page.evaluate((t) => { window.__replscope.setPlaying(false); window.__replscope.ui.open(t, null, 'Your scenario'); window.__replscope.renderNow(); }, text);
    return page.evaluate(() => ({ n: window.__replscope.world.decEnd, text: document.getElementById('decision').textContent }));
  };
  const a = await panel('node m\nnode r1 replicaof=m\nwait sync\n');
  const b = await panel('node m\nnode zz replicaof=m\nwait sync\n');
  assert.equal(a.n, b.n);
  assert.match(a.text, /r1/);
  assert.match(b.text, /zz/);
  assert.doesNotMatch(b.text, /r1/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a backlog holding more than repl-backlog-size says why (whole blocks), so +CONTINUE past 16 KB is not a mystery', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const big = 'x'.repeat(320);
  let text = 'node m repl-backlog-size=16kb\nnode r1 replicaof=m\nwait sync\ndisconnect m r1\n';
  for (let i = 0; i < 70; i++) text += `m> SET k${i} ${big}\n`;
  text += 'reconnect m r1\nwait sync\n';
  const d = await page.evaluate((t) => {
    const R = window.__replscope, w = R.world;
    R.ui.load(t, null, 'x', '');
    for (let i = w.decBase; i < w.decEnd; i++) if (w.dec(i).decision.verdict.verdict === 'continue') { R.ui.showDecision(i); break; }
    R.renderNow();
    return document.querySelector('#decision').textContent;
  }, text);
  assert.match(d, /\+CONTINUE/);
  assert.match(d, /backlog holds 2\d{4} bytes from offset 1/);
  assert.match(d, /It holds more than repl-backlog-size \(16384 bytes\): Redis keeps the backlog in blocks of 16 KB or more/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a partition says why no decision comes yet (nothing closes before repl-timeout), in English and in Chinese, and the note goes when it heals', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const panel = () => page.evaluate(() => { window.__replscope.renderNow(); return document.querySelector('#decision').textContent; });
  assert.doesNotMatch(await panel(), /is partitioned/);
  await consoleLine(page, 'partition m r1');
  await consoleLine(page, 'm> SET a 1');
  await page.waitForFunction(() => /m ↔ r1 is partitioned: no connection closes, so no replica asks PSYNC yet/.test(document.querySelector('#decision').textContent), null, { timeout: 10000 });
  assert.match(await panel(), /\+FULLRESYNC/, 'the last decision is still explained under the note');
  await page.evaluate(() => window.__replscope.setLang('zh'));
  assert.match(await panel(), /m ↔ r1 处于网络分区：连接不会关闭/);
  await page.evaluate(() => window.__replscope.setLang('en'));
  await consoleLine(page, 'heal m r1');
  await page.waitForFunction(() => !/is partitioned/.test(document.querySelector('#decision').textContent), null, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a partition healed before repl-timeout says its held bytes arrived and no PSYNC was needed, with the log’s numbers, in English and in Chinese', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  const panel = () => page.evaluate(() => { window.__replscope.renderNow(); return document.querySelector('#decision').textContent; });
  const decided = await page.evaluate(() => window.__replscope.world.decPast);
  await consoleLine(page, 'partition m r1');
  await consoleLine(page, 'm> SET a 1');
  await consoleLine(page, 'm> SET a 2');
  await consoleLine(page, 'wait 2500ms');
  await consoleLine(page, 'heal m r1');
  await consoleLine(page, 'wait 1s');
  await page.waitForFunction(() => document.querySelector('#decision [data-healed=done]'), null, { timeout: 10000 });
  // What the partition held, from the core's own trace: the link's sends between the two faults.
  const core = await page.evaluate(() => {
    const R = window.__replscope, evs = R.world.pg.events_since(0, 100000);
    const p = evs.findLastIndex((e) => e.event.kind === 'fault' && e.event.verb === 'partition');
    const q = evs.findLastIndex((e) => e.event.kind === 'fault' && e.event.verb === 'heal');
    const dir = {};
    for (const e of evs.slice(p + 1, q)) {
      if (e.event.kind === 'send' && [e.node, e.event.to].sort().join() === 'm,r1') dir[`${e.node}→${e.event.to}`] = (dir[`${e.node}→${e.event.to}`] || 0) + e.event.len;
    }
    const r1 = R.world.view.nodes.find((n) => n.name === 'r1'), m = R.world.view.nodes.find((n) => n.name === 'm');
    return { dir, after: ((evs[q].t_us - evs[p].t_us) / 1e6).toFixed(1), r1: r1.slave_repl_offset, m: m.master_repl_offset, decided: R.world.decPast };
  });
  assert.equal(core.decided, decided, 'no PSYNC decision was made');
  assert.equal(core.dir['m→r1'], 54, 'the two SETs (27 B each) were held on their way to r1');
  const total = core.dir['m→r1'] + core.dir['r1→m'];
  const text = await panel();
  assert.match(text, new RegExp(`m ↔ r1 healed after ${core.after} s: ${total} held bytes delivered, no PSYNC needed\\.`));
  assert.match(text, new RegExp(`\\(m→r1 54 B, r1→m ${core.dir['r1→m']} B\\) had all arrived, in order, on the connection that never closed`));
  assert.match(text, new RegExp(`r1 caught up with no new sync: it is at offset ${core.r1}, m at ${core.m}\\.`));
  await page.evaluate(() => window.__replscope.setLang('zh'));
  assert.match(await panel(), new RegExp(`m ↔ r1 在 ${core.after} 秒后恢复连通：被扣住的 ${total} 字节已全部送达，不需要 PSYNC。`));
  await page.evaluate(() => window.__replscope.setLang('en'));
  // Partitioned again, the note gives way to the partition's own.
  await consoleLine(page, 'partition m r1');
  await page.waitForFunction(() => !document.querySelector('#decision [data-healed]') && /is partitioned/.test(document.querySelector('#decision').textContent), null, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the healed note’s module (healed.js) is not part of a first visit: it loads when a link is first partitioned, and its note still comes right after the heal', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  // www/ serves js/healed.js; dist/ a chunk named after it.
  const healedJs = /\/healed(-[A-Z0-9]+)?\.js$/;
  const fetched = () => page.evaluate((src) => performance.getEntriesByType('resource').some((e) => new RegExp(src).test(new URL(e.name).pathname)), healedJs.source);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  assert.equal(await fetched(), false, 'a first visit does not fetch healed.js');
  await consoleLine(page, 'partition m r1');
  await page.waitForFunction(() => window.__replscope.panels.decisions.healed != null, null, { timeout: 10000 });
  assert.equal(await fetched(), true, 'a partition fetches it');
  await consoleLine(page, 'm> SET a 1');
  await consoleLine(page, 'heal m r1');
  // The first frame after the heal already has its note (arriving or done).
  await page.waitForFunction(() => !/is partitioned/.test(document.querySelector('#decision').textContent), null, { timeout: 10000 });
  assert.ok(await page.evaluate(() => { window.__replscope.renderNow(); return !!document.querySelector('#decision [data-healed]'); }), 'the note is shown with the heal');
  assert.deepEqual(errors, []);
  await page.close();
});

test('free play: while a replica shows offset 1 before its first RDB is loaded (the master at 0), the panel and its card say why, in English and in Chinese, and the note goes once it is synced', async () => {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#scenario=full`, { width: 1280, height: 800 });
  /** Run simulated time 10 ms at a time (as playing would, exactly) until the links of `names` are `state`. */
  const until = (state, names = ['r1']) => page.evaluate(([st, names]) => {
    const r = window.__replscope, w = r.world;
    for (let ms = 0; ms < 60000; ms += 10) {
      if (names.every((x) => w.view.nodes.find((n) => n.name === x)?.link_state === st)) break;
      w.pg.advance(10);
      w.refresh();
    }
    r.ui.dirty = true;
    r.renderNow();
  }, [state, names]);
  await until('transfer');
  assert.equal(await page.evaluate(() => window.__replscope.world.view.nodes.find((n) => n.name === 'r1').slave_repl_offset), 1);
  const seen = () => page.evaluate(() => ({
    note: document.querySelector('#decision .dec-one')?.textContent ?? null,
    tip: document.querySelector('#topo g.node[data-node=r1] > title')?.textContent ?? null,
    m: window.__replscope.world.view.nodes.find((n) => n.name === 'm').master_repl_offset,
  }));
  const en = await seen();
  assert.equal(en.m, 0, 'the master is at 0');
  // Both replicas sync at once here.
  assert.equal(en.note, 'r1, r2 show offset 1 until they have loaded their master’s RDB: with no master client yet, Redis’s INFO reports slave_repl_offset 1 by default. Then each takes the offset +FULLRESYNC gave.');
  // (After the card's state line in full, when the card has shortened it.)
  assert.match(en.tip, /(^|\n)r1 shows offset 1 until it has loaded its master’s RDB: with no master client yet, Redis’s INFO reports slave_repl_offset 1 by default\. Then it takes the offset \+FULLRESYNC gave\.$/, 'the card’s tooltip says it too');
  await page.screenshot({ path: path.join(ARTIFACTS, 'decisions-offset-one.png') });
  await page.evaluate(() => window.__replscope.setLang('zh'));
  await page.waitForFunction(() => /偏移量 1/.test(document.querySelector('#decision .dec-one')?.textContent || ''));
  const zh = await seen();
  assert.match(zh.note, /^r1，r2 在载入主节点的 RDB 之前显示偏移量 1：这时它们还没有主节点客户端/);
  assert.match(zh.tip, /(^|\n)r1 在载入主节点的 RDB 之前显示偏移量 1：这时它还没有主节点客户端/);
  await page.evaluate(() => window.__replscope.setLang('en'));
  // Synced: r1 takes +FULLRESYNC's offset, and the note goes.
  await until('connected', ['r1', 'r2']);
  assert.deepEqual(await seen().then((x) => [x.note, x.tip]), [null, null]);
  assert.deepEqual(errors, []);
  await page.close();
});

/**
 * A full-sync loop from client-output-buffer-limit (a tester's case): 400 KB of data that
 * does not compress, a 100 KB/s link, 20 KB/s of writes. Each full sync takes about 4 s,
 * the writes meanwhile pass the replica's 64 KB hard limit, m closes the link, and r1's
 * next PSYNC finds its offset gone from the 16 KB backlog: another full sync.
 */
function obufLoop(writes = 220, tail = '') {
  let x = 12345;
  const rnd = (n) => { let s = ''; for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) % 2147483648; s += 'abcdefghijklmnopqrstuvwxyz0123456789'[x % 36]; } return s; };
  let text = 'node m repl-backlog-size=16kb client-output-buffer-limit="replica 64kb 32kb 10" repl-diskless-sync-delay=1\n';
  for (let i = 0; i < 4; i++) text += `m> SET d${i} ${rnd(100000)}\n`;
  text += 'node r1 replicaof=m\nlink m r1 bandwidth=100kb\n';
  const v = 'v'.repeat(1000);
  for (let i = 0; i < writes; i++) text += `m> SET w${i % 10} ${v}\nwait 50ms\n`;
  return text + tail;
}

test('a full sync after the master dropped the link for client-output-buffer-limit says so first, with the time and the limit, in English and in Chinese; a backlog that merely overflowed does not', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  // Loaded as a reader would: Share → Load this text.
  await page.evaluate(() => window.__replscope.setPlaying(false));
  await page.click('#export');
  await page.fill('#dlg textarea', obufLoop());
  await page.click('#dlg button:has-text("Load this text")');
  await page.waitForFunction(() => !document.querySelector('#dlg[open]') && window.__replscope.world.decEnd >= 3, null, { timeout: 30000 });
  await page.evaluate(() => window.__replscope.setPlaying(false));
  // The log says it (the events panel, filtered as a reader would search it).
  const logged = await page.evaluate(() => window.__replscope.world.history().filter((e) => e.node === 'm' && e.event.kind === 'node' && e.event.detail.kind === 'log' && /closed for overcoming of output buffer limits/.test(e.event.detail.text)).map((e) => [e.t_us, e.event.detail.text]));
  assert.equal(logged.length, 2, JSON.stringify(logged));
  await page.selectOption('[aria-label="Only events of node"]', 'm');
  await page.selectOption('[aria-label="Only events of kind"]', 'log');
  await page.waitForFunction(() => /Client id=\d+ addr=r1:6379 flags=S omem=\d+ closed for overcoming of output buffer limits\./.test(document.querySelector('#events').textContent), null, { timeout: 10000 });
  await page.selectOption('[aria-label="Only events of kind"]', '');
  await page.selectOption('[aria-label="Only events of node"]', '');
  // A decision's chip, clicked: the page goes to its moment, then explains it.
  const show = async (i) => {
    const t = await page.evaluate((i) => { const w = window.__replscope.world; window.__replscope.ui.showDecision(w.decBase + i); return w.dec(w.decBase + i).t_us; }, i);
    await page.waitForFunction((t) => window.__replscope.world.nowUs === t, t);
    return page.evaluate((i) => {
      const R = window.__replscope, w = R.world;
      R.renderNow();
      const el = document.querySelector('#decision');
      return { text: el.textContent, note: el.querySelector('[data-drop=obuf]')?.textContent ?? null, n: w.decEnd - w.decBase, reason: w.dec(w.decBase + i).decision.verdict.reason };
    }, i);
  };
  const first = await show(0);
  assert.equal(first.n, 3, 'the first sync and two after a drop');
  assert.equal(first.reason, 'replica_asked_for_full');
  assert.equal(first.note, null, 'the first sync followed no drop');
  for (const [i, t] of [[1, logged[0][0]], [2, logged[1][0]]]) {
    const d = await show(i);
    assert.equal(d.reason, 'offset_before_backlog');
    const omem = /omem=(\d+)/.exec(logged[i - 1][1])[1];
    assert.equal(d.note, `Why the link dropped: at t = ${(t / 1e6).toFixed(3)} s, m closed r1’s link because its output buffer (${omem} bytes) passed client-output-buffer-limit replica 64kb 32kb 10 (hard limit 64 KB / soft 32 KB for 10 s). Then it reconnected and asked PSYNC:`);
    // Then, as before, why the partial resync was refused; the note comes first.
    assert.match(d.text, /have already left m’s backlog \(first byte \d+\): the backlog overflowed\./);
    assert.ok(d.text.indexOf('Why the link dropped') < d.text.indexOf('+FULLRESYNC'), d.text.slice(0, 400));
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'decisions-obuf-drop.png') });
  await page.evaluate(() => window.__replscope.setLang('zh'));
  await page.waitForFunction(() => /链路为何断开/.test(document.querySelector('#decision [data-drop=obuf]')?.textContent || ''));
  const zh = await page.evaluate(() => document.querySelector('#decision [data-drop=obuf]').textContent);
  assert.equal(zh, `链路为何断开：t = ${(logged[1][0] / 1e6).toFixed(3)} 秒时，m 断开了 r1 的连接，因为 r1 的输出缓冲区（${/omem=(\d+)/.exec(logged[1][1])[1]} 字节）超过了 client-output-buffer-limit replica 64kb 32kb 10（硬上限 64 KB / 软上限 32 KB，持续 10 秒）。随后它重新连接，发来了 PSYNC：`);
  await page.evaluate(() => window.__replscope.setLang('en'));

  // A backlog too small for an ordinary outage (disconnect, writes, reconnect): no drop to name.
  const big = 'x'.repeat(320);
  let text = 'node m repl-backlog-size=16kb client-output-buffer-limit="replica 64kb 32kb 10"\nnode r1 replicaof=m\nwait sync\ndisconnect m r1\n';
  for (let i = 0; i < 200; i++) text += `m> SET k${i} ${big}\n`;
  text += 'reconnect m r1\nwait sync\n';
  await page.click('#export');
  await page.fill('#dlg textarea', text);
  await page.click('#dlg button:has-text("Load this text")');
  await page.waitForFunction(() => !document.querySelector('#dlg[open]') && window.__replscope.world.decEnd >= 2, null, { timeout: 30000 });
  const plain = await show(1);
  assert.equal(plain.reason, 'offset_before_backlog');
  assert.match(plain.text, /the backlog overflowed/);
  assert.equal(plain.note, null);
  assert.doesNotMatch(plain.text, /Why the link dropped|output buffer/);

  // Dropped for its output buffer, but r1's process died and started again before it asked:
  // the new process's PSYNC ? -1 is not about that link.
  await page.evaluate((t) => window.__replscope.ui.load(t, null, 'x', ''), obufLoop(70, 'crash r1\nwait 1s\nstart r1\nwait 3s\n'));
  const again = await show(1);
  assert.equal(again.reason, 'replica_asked_for_full');
  assert.equal(again.note, null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the drop note quotes the client-output-buffer-limit in force when the link dropped, not one set later (a scenario, and the full-sync-loop lesson whose last step raises it)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => window.__replscope.setPlaying(false));
  await page.evaluate((t) => window.__replscope.ui.load(t, null, 'x', ''), obufLoop(220, 'm> CONFIG SET client-output-buffer-limit "replica 256mb 64mb 60"\nwait 2s\n'));
  await page.waitForFunction(() => window.__replscope.world.decEnd >= 3, null, { timeout: 30000 });
  // At the end (the panel shows the last decision, the second after a drop).
  const notes = await page.evaluate(() => {
    const R = window.__replscope, w = R.world;
    R.renderNow();
    return { last: w.decPast === w.decEnd && w.decEnd - w.decBase === 3, note: document.querySelector('#decision [data-drop=obuf]')?.textContent ?? null, now: w.pg.config('m').find(([k]) => k === 'client-output-buffer-limit')[1] };
  });
  assert.ok(notes.last, 'the panel shows the last of the three decisions');
  assert.match(notes.now, /slave 268435456 67108864 60/, 'the limit in force now is the raised one');
  assert.match(notes.note || '', /passed client-output-buffer-limit replica 64kb 32kb 10 \(hard limit 64 KB \/ soft 32 KB for 10 s\)\./, notes.note);
  assert.doesNotMatch(notes.note, /256/);
  await page.close();

  // The lesson, at its last step (the fix raised the limit), in Chinese and in English.
  for (const lang of ['zh', 'en']) {
    const { page: p, errors: e2 } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=full-sync-loop&lang=${lang}&step=4`);
    await p.waitForFunction(() => document.querySelector('#decision [data-drop=obuf]') && window.__replscope.world.pg.config('m').some(([k, v]) => k === 'client-output-buffer-limit' && /268435456/.test(v)), null, { timeout: 30000 });
    const note = await p.evaluate(() => { window.__replscope.renderNow(); return document.querySelector('#decision [data-drop=obuf]').textContent; });
    assert.match(note, lang === 'zh' ? /client-output-buffer-limit replica 32kb 16kb 60（硬上限 32 KB/ : /client-output-buffer-limit replica 32kb 16kb 60 \(hard limit 32 KB/, note);
    assert.doesNotMatch(note, /256/);
    if (lang === 'zh') await p.screenshot({ path: path.join(ARTIFACTS, 'decisions-obuf-limit-then-zh.png') });
    assert.deepEqual(e2, []);
    await p.close();
  }
  assert.deepEqual(errors, []);
});

// When the limit in force at the drop cannot be known, the note names none (configAt's
// fallback): a CONFIG SET at the very moment of the drop (the write that passed the limit
// and the raise are one instant apart by nothing: which came first the page does not
// guess), and a drop after more simulated work than the page replays to find the limit
// (0.4 s of the reader's time: twenty simulated minutes of three nodes at hz 500 take
// about 2 s here). Either way the note still says when, who and how full the buffer
// was, in English and in Chinese, and quotes no limit (neither the old one nor the new).
const RAISE = 'm> CONFIG SET client-output-buffer-limit "replica 256mb 64mb 60"';
test('the drop note names no client-output-buffer-limit when the one in force cannot be known (a CONFIG SET at the drop\'s very moment; a replay longer than the page\'s 0.4 s), and still reads whole in English and in Chinese', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => window.__replscope.setPlaying(false));
  /** Load `text` (each line one statement); the drops m logged: [t_us, omem]. */
  const load = (text) => page.evaluate((t) => {
    const R = window.__replscope;
    R.ui.load(t, null, 'x', '');
    return R.world.history().filter((e) => e.node === 'm' && e.event.kind === 'node' && e.event.detail.kind === 'log' && /addr=r1:\d+ .*closed for overcoming of output buffer limits/.test(e.event.detail.text))
      .map((e) => [e.t_us, Number(/omem=(\d+)/.exec(e.event.detail.text)[1])]);
  }, text);
  /** The last decision's drop note, in `lang`; what the core says about the statements. */
  const note = (lang) => page.evaluate(async (lang) => {
    const R = window.__replscope, w = R.world;
    await R.setLang(lang);
    R.renderNow();
    const d = w.dec(w.decPast - 1);
    return { note: document.querySelector('#decision [data-drop=obuf]')?.textContent ?? null, reason: d.decision.verdict.reason, replica: d.decision.replica, keptFrom: w.pg.kept_from_ms(), acts: w.pg.actions_since(0).map((a) => [a.t_us, a.text.slice(0, 60)]) };
  }, lang);
  const EN = (t, omem) => `Why the link dropped: at t = ${(t / 1e6).toFixed(3)} s, m closed r1’s link because its output buffer (${omem} bytes) passed client-output-buffer-limit. Then it reconnected and asked PSYNC:`;
  const ZH = (t, omem) => `链路为何断开：t = ${(t / 1e6).toFixed(3)} 秒时，m 断开了 r1 的连接，因为 r1 的输出缓冲区（${omem} 字节）超过了 client-output-buffer-limit。随后它重新连接，发来了 PSYNC：`;
  const check = async (what, drop, moment, reason) => {
    for (const [lang, want] of [['en', EN], ['zh', ZH]]) {
      const r = await note(lang);
      const at = `${what}, ${lang}: ${JSON.stringify({ ...r, acts: r.acts.filter(([t]) => t === drop[0]).slice(0, 8) })}`;
      assert.match(r.replica, /^r1\b/, at);
      assert.equal(r.reason, reason, at);
      // The fallback's other reason (statements forgotten to bound memory) is not this one.
      assert.equal(r.keptFrom, 0, at);
      // The limit raised once, at the drop's moment or after it (the page cannot quote the one in force now).
      const raised = r.acts.filter(([, x]) => /CONFIG SET/.test(x)).map(([t]) => t);
      assert.equal(raised.length, 1, at);
      assert.ok(moment ? raised[0] === drop[0] : raised[0] > drop[0], `the raise ${moment ? 'at' : 'after'} the drop's moment ${drop[0]}: ${raised}, ${at}`);
      assert.equal(r.note, want(...drop), `the note names no limit${moment ? '' : ' (one named: the replay to the drop ended within 0.4 s? then this machine needs a longer warm-up)'}, ${at}`);
      assert.doesNotMatch(r.note, /replica \d|64kb|256mb|KB|MB|undefined|NaN|\(\)|（）|  /, at);
    }
  };

  // 1. The raise at the very moment of the first drop: after the SET that passed the limit.
  const plain = obufLoop(120);
  const [first] = await load(plain);
  assert.ok(first, 'the loop drops the link');
  const acts = await page.evaluate(() => window.__replscope.world.pg.actions_since(0).map((a) => [a.t_us, a.text]));
  const lines = plain.split('\n').filter(Boolean);
  assert.equal(acts.length, lines.length, 'one statement a line');
  const i = acts.findLastIndex(([t, x]) => t === first[0] && /^m> SET w/.test(x));
  assert.ok(i > 0, `a write at the drop's moment ${first[0]}: ${JSON.stringify(acts.slice(0, 12))}`);
  lines.splice(i + 1, 0, RAISE);
  const drops = await load(`${lines.join('\n')}\nwait 2s\n`);
  assert.deepEqual(drops, [first], 'the same drop, and none after the raise');
  await check('a CONFIG SET at the drop\'s moment', first, true, 'offset_before_backlog');
  await page.evaluate(() => window.__replscope.setLang('en'));
  await page.screenshot({ path: path.join(ARTIFACTS, 'decisions-obuf-limit-unknown.png') });

  // 2. The raise 2 s after the drops, which come after twenty simulated minutes of three
  // nodes ticking 500 times a second: rebuilding the world up to the drop is cut at 0.4 s.
  // (m starts faster there, and its RDB goes in 2.6 s: under half the limit, 32 KB, the
  // writes meanwhile pass it, and r1, cut off while it loads, asks for a full sync again.)
  const warm = 'node a hz=500\nnode b replicaof=a hz=500\nnode c replicaof=a hz=500\nwait 1200s\n';
  const late = await load(warm + obufLoop(220, `${RAISE}\nwait 2s\n`).replace('replica 64kb 32kb 10', 'replica 32kb 16kb 10'));
  assert.ok(late.length >= 2 && late.at(-1)[0] > 1200e6, JSON.stringify(late));
  await check('a replay longer than 0.4 s', late.at(-1), false, 'replica_asked_for_full');
  await page.evaluate(() => window.__replscope.setLang('zh'));
  await page.screenshot({ path: path.join(ARTIFACTS, 'decisions-obuf-limit-unknown-zh.png') });
  await page.evaluate(() => window.__replscope.setLang('en'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the first replica’s full sync says the master takes a new replication ID as it creates its backlog, so the next decision’s other replid is explained; the next one does not say it (English and Chinese)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => { const R = window.__replscope; R.setPlaying(false); R.ui.open('node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nwait sync\n', null, 'Your scenario'); R.renderNow(); });
  const decs = await page.evaluate(() => window.__replscope.world.pg.decisions().map((d) => [d.decision.replica, d.decision.master.replid, !!d.decision.master.backlog]));
  assert.equal(decs.length, 2, JSON.stringify(decs));
  // What the note explains: the second decision sees another replid (the backlog the first created).
  assert.notEqual(decs[0][1], decs[1][1]);
  assert.deepEqual([decs[0][2], decs[1][2]], [false, true]);
  const NOTE = /has no backlog yet: it creates one for this sync and, as Redis does whenever it starts a backlog from scratch, takes a new replication ID/;
  const show = async (i) => {
    await page.click(`#dec-hist .dchip >> nth=${i}`);
    await page.waitForFunction((who) => document.querySelector('#decision .dec-req')?.textContent.includes(`${who} → m`), ['r1', 'r2'][i]);
    return page.evaluate(() => document.getElementById('decision').textContent);
  };
  assert.match(await show(0), NOTE);
  assert.doesNotMatch(await show(1), NOTE);
  await page.evaluate(() => window.__replscope.setLang('zh'));
  assert.match(await show(0), /还没有积压缓冲区：它为这次同步创建一个，而 Redis 每次从零创建积压缓冲区时都会换一个新的复制 ID/);
  await page.evaluate(() => window.__replscope.setLang('en'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a FAILOVER (the node action F, or the console) swaps roles; the target’s decision on the old master’s PSYNC … FAILOVER says it was a coordinated failover, in English and in Chinese; no replica loop is shown meanwhile', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => { const R = window.__replscope; R.setPlaying(false); R.ui.open('node m\nnode r1 replicaof=m\nwait sync\n', null, 'Your scenario'); R.ui.select({ type: 'node', name: 'm' }); R.renderNow(); });
  // The master's actions offer it (a replica's do not).
  const labels = await page.evaluate(() => [...document.querySelectorAll('#actions button')].map((b) => b.textContent));
  assert.ok(labels.some((l) => /Fail over/.test(l)), JSON.stringify(labels));
  await page.keyboard.press('f');
  await page.waitForFunction(() => window.__replscope.world.pg.script().includes('m> FAILOVER'));
  // Through the handshake the view never calls the pair a loop.
  const loops = await page.evaluate(() => {
    const w = window.__replscope.world;
    let seen = 0;
    for (let i = 0; i < 40; i++) { w.pg.advance(50); w.refresh(); if (w.view.nodes.some((n) => n.problem)) seen++; }
    window.__replscope.renderNow();
    return seen;
  });
  assert.equal(loops, 0);
  const roles = await page.evaluate(() => window.__replscope.world.view.nodes.map((n) => `${n.name}:${n.role}`).join(' '));
  assert.equal(roles, 'm:replica r1:master');
  const decs = await page.evaluate(() => window.__replscope.world.pg.decisions().map((d) => [d.node, d.decision.replica, !!d.decision.failover]));
  assert.deepEqual(decs.at(-1), ['r1', 'm:6379', true], JSON.stringify(decs));
  await page.click('#dec-hist .dchip >> nth=-1');
  await page.waitForFunction(() => document.querySelector('#decision .dec-req')?.textContent.includes('m → r1'));
  const text = () => page.evaluate(() => document.getElementById('decision').textContent);
  assert.match(await text(), /A coordinated failover\. m ran FAILOVER: it paused writes until r1 had acknowledged its whole stream, became r1’s replica and asked PSYNC … FAILOVER\. On that request r1 promoted itself \(its replid became replid2, valid up to offset \d+\) and answered as the new master\. m’s history is that replid2, so it continues without a full sync\./);
  await page.evaluate(() => window.__replscope.setLang('zh'));
  assert.match(await text(), /协调式故障转移。m 执行了 FAILOVER：它先暂停写入，等 r1 确认收到它的全部复制流，再成为 r1 的从节点，发送 PSYNC … FAILOVER。r1 收到这个请求后把自己提升为主节点/);
  await page.evaluate(() => window.__replscope.setLang('en'));
  // An ordinary decision has no such note.
  await page.click('#dec-hist .dchip >> nth=0');
  await page.waitForFunction(() => document.querySelector('#decision .dec-req')?.textContent.includes('r1 → m'));
  assert.doesNotMatch(await text(), /coordinated failover/);
  assert.deepEqual(errors, []);
  await page.close();
});
