// The topology panel on a laptop's screen: a partition's count of held bytes is drawn
// even where the wire between a card and the link's tag is short (1280×800), readable
// (its direction, 11 px or more, no mark over it) after a long partition, and
// selecting a node or a link does not change the drawing's height (1024×768: a
// master's actions take more rows than none). A link's tag stands beside its wire, never
// over a line, and says what its RDB count is and what each side of the link knows (where-
// writes-wait's step 2: m7 has dropped r7, r7 still receives). Screenshots go to artifacts/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pageSuite, openPage, ARTIFACTS, withPhone } from './harness.mjs';

const env = pageSuite();

/** Boxes overlap (with `pad` px to spare). */
const overlap = (a, b, pad = 0) => a.x < b.x + b.width + pad && b.x < a.x + a.width + pad && a.y < b.y + b.height + pad && b.y < a.y + a.height + pad;

/** The page at 1280×800 with m–r1 partitioned, after `lines` (run as typed). */
async function partitioned(lines) {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 1280, height: 800 });
  await page.waitForTimeout(300);   // the panels' sizes settled (the actions bar's reserved height)
  await page.evaluate((ls) => { for (const l of ['partition m r1', ...ls]) window.__replscope.ui.run(l); }, lines);
  await page.waitForTimeout(300);
  return { page, errors };
}

test('at 1280×800 a partition’s held bytes are counted beside their stack, clear of the cards and tags', async () => {
  const { page, errors } = await partitioned([0, 1, 2, 3, 4].map((i) => `m> SET k${i} v${i}`).concat('wait 200ms'));
  const r = await page.evaluate(async () => {
    const R = window.__replscope;
    R.renderNow();
    await new Promise((ok) => requestAnimationFrame(ok));
    const box = (el) => { const b = el.getBoundingClientRect(); return { x: b.x, y: b.y, width: b.width, height: b.height }; };
    const label = document.querySelector('#topo .held-pill');
    return {
      held: document.querySelectorAll('#topo g.msg.held').length,
      text: label && label.textContent,
      label: label && box(label),
      panel: box(document.getElementById('topo')),
      cards: [...document.querySelectorAll('#topo g.node rect.card')].map(box),
      tags: [...document.querySelectorAll('#topo g.tag rect')].map(box),
    };
  });
  await page.screenshot({ path: path.join(ARTIFACTS, 'topology-held-1280.png') });
  assert.equal(r.held, 5, 'five messages held on m → r1');
  assert.equal(r.text, 'm→r1: 145 B held', 'the five SETs (29 B each), and which way they go');
  const L = r.label;
  assert.ok(L.x >= r.panel.x && L.x + L.width <= r.panel.x + r.panel.width && L.y >= r.panel.y && L.y + L.height <= r.panel.y + r.panel.height, `inside the panel: ${JSON.stringify(L)}`);
  for (const c of r.cards) assert.ok(!overlap(L, c), `clear of a card: ${JSON.stringify({ L, c })}`);
  for (const t of r.tags) assert.ok(!overlap(L, t), `clear of a tag: ${JSON.stringify({ L, t })}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('at 1024×768 selecting a node or a link keeps the topology’s height and its cards where they were', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 1024, height: 768 });
  const state = () => page.evaluate(() => ({
    wrap: document.getElementById('topo').parentElement.getBoundingClientRect().height,
    cards: [...document.querySelectorAll('#topo g.node')].map((g) => `${g.dataset.node} ${g.getAttribute('transform')}`).join(', '),
  }));
  // Settled: the cards drawn, the actions bar's reserved height set (main.js), and the
  // drawing's box, its places and the actions bar's words the same over several frames (under load a fixed 200 ms was not enough).
  const settled = () => page.waitForFunction(() => {
    const now = `${document.getElementById('topo').parentElement.getBoundingClientRect().height}|${[...document.querySelectorAll('#topo g.node')].map((g) => g.getAttribute('transform')).join()}|${document.getElementById('actions').style.minHeight}|${document.getElementById('actions').textContent}`;
    const w = window;
    if (w.__settle?.key === now) return ++w.__settle.n >= 10;
    w.__settle = { key: now, n: 0 };
    return false;
  }, null, { polling: 'raf', timeout: 20000 });
  await page.waitForFunction(() => document.querySelectorAll('#topo g.node').length === 3 && document.getElementById('actions').style.minHeight !== '', null, { timeout: 20000 });
  await settled();
  const first = await state();
  for (const sel of ['[data-node="m"]', '[data-node="r1"]', '[data-link="m|r1"]']) {
    await page.click(`#topo ${sel}`);
    await page.waitForFunction((s) => document.querySelector(`#topo ${s}`)?.classList.contains('sel'), sel);
    await settled();
    assert.deepEqual(await state(), first, `after selecting ${sel}`);
  }
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('#topo .sel'));
  await settled();
  assert.deepEqual(await state(), first, 'after the selection is dropped');
  // The actions of the master (its three rows at this width) fit the bar kept for them.
  await page.click('#topo [data-node="m"]');
  await page.waitForFunction(() => document.querySelector('#topo [data-node="m"]').classList.contains('sel'));
  await settled();
  const bar = await page.evaluate(() => { const a = document.getElementById('actions'); return { scroll: a.scrollHeight, client: a.clientHeight }; });
  assert.ok(bar.scroll <= bar.client + 1, `the master's actions fit: ${JSON.stringify(bar)}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'topology-select-1024.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('after 70 s of partition each direction’s held bytes say which way and how many, at 11 px or more, with no mark over them', async () => {
  const { page, errors } = await partitioned(['m> SET a 0', 'm> SET a 1', 'm> SET a 2', 'wait 70s']);
  const r = await page.evaluate(async () => {
    const R = window.__replscope;
    R.renderNow();
    await new Promise((ok) => requestAnimationFrame(ok));
    const box = (el) => { const b = el.getBoundingClientRect(); return { x: b.x, y: b.y, width: b.width, height: b.height }; };
    const svg = document.getElementById('topo'), scale = svg.getScreenCTM().a;
    // What the view holds, per direction.
    const want = {};
    for (const m of R.world.view.messages) if (m.held) want[`${m.from}→${m.to}`] = (want[`${m.from}→${m.to}`] || 0) + m.len;
    const pills = [...svg.querySelectorAll('.held-pill')].map((g) => ({
      text: g.textContent, box: box(g), px: parseFloat(getComputedStyle(g.querySelector('text')).fontSize) * scale,
      above: !!(svg.querySelector('g.msgs').compareDocumentPosition(g) & Node.DOCUMENT_POSITION_FOLLOWING),
    }));
    return {
      want, pills, panel: box(svg),
      marks: [...svg.querySelectorAll('g.msg.held .dot')].map(box),
      cards: [...svg.querySelectorAll('g.node rect.card')].map(box),
      tags: [...svg.querySelectorAll('g.tag rect')].map(box),
    };
  });
  await page.screenshot({ path: path.join(ARTIFACTS, 'topology-held-70s-1280.png') });
  assert.ok(r.want['m→r1'] > 0 && r.want['r1→m'] > 0, `bytes held both ways: ${JSON.stringify(r.want)}`);
  assert.deepEqual(r.pills.map((p) => p.text).sort(), Object.entries(r.want).map(([d, n]) => `${d}: ${n} B held`).sort());
  for (const p of r.pills) {
    assert.ok(p.px >= 11, `${p.text}: ${p.px} px on screen`);
    assert.ok(p.above, `${p.text}: drawn above the messages`);
    const L = p.box;
    assert.ok(L.x >= r.panel.x && L.x + L.width <= r.panel.x + r.panel.width && L.y >= r.panel.y && L.y + L.height <= r.panel.y + r.panel.height, `${p.text} inside the panel`);
    for (const m of r.marks) assert.ok(!overlap(L, m), `no held mark under ${p.text}: ${JSON.stringify({ L, m })}`);
    for (const c of r.cards) assert.ok(!overlap(L, c), `${p.text} clear of a card`);
    for (const t of r.tags) assert.ok(!overlap(L, t), `${p.text} clear of a tag: ${JSON.stringify({ L, t })}`);
  }
  assert.ok(!overlap(r.pills[0].box, r.pills[1].box), 'the two pills apart');
  assert.deepEqual(errors, []);
  await page.close();
});

test('under the write load (6 nodes) the bytes in flight pass under the links’ tags, and their labels keep off them', async () => {
  const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#scenario=bench`, { width: 1280, height: 800 });
  await page.waitForFunction(() => window.__replscope.world.view.nodes.length === 6 && document.querySelectorAll('#topo g.msg').length > 3, null, { timeout: 20000 });
  for (let k = 0; k < 5; k++) {
    await page.waitForTimeout(150);
    const r = await page.evaluate(() => {
      const svg = document.getElementById('topo'), msgs = svg.querySelector('g.msgs');
      const id = /^url\(#(.+)\)$/.exec(msgs.getAttribute('clip-path') || '')?.[1];
      const clip = id && document.getElementById(id)?.querySelector('path');
      // In the drawing's own units (the clip's): each tag's corners and centre, each card's centre.
      const tags = [...svg.querySelectorAll('g.tag')].map((g) => { const b = g.getBBox(), m = g.getCTM(), s = svg.getCTM().inverse().multiply(m); const p = (x, y) => new DOMPoint(x, y).matrixTransform(s); return [p(b.x + 2, b.y + 2), p(b.x + b.width / 2, b.y + b.height / 2), p(b.x + b.width - 2, b.y + b.height - 2)]; });
      const cards = [...svg.querySelectorAll('g.node')].map((g) => { const b = g.getBBox(), s = svg.getCTM().inverse().multiply(g.getCTM()); return new DOMPoint(b.x + b.width / 2, b.y + b.height / 2).matrixTransform(s); });
      const box = (el) => el.getBoundingClientRect();
      const ov = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const tagBoxes = [...svg.querySelectorAll('g.tag rect')].map(box);
      return {
        clipped: !!clip && clip.getAttribute('clip-rule') === 'evenodd',
        underTag: clip ? tags.flat().filter((p) => clip.isPointInFill(p)).length : -1,
        outside: clip ? cards.filter((p) => !clip.isPointInFill(p)).length : -1,
        tags: tags.length,
        labelsOverTags: [...svg.querySelectorAll('text.ml')].filter((t) => tagBoxes.some((b) => ov(box(t), b))).map((t) => t.textContent),
      };
    });
    assert.ok(r.clipped, 'the bytes in flight are clipped');
    assert.equal(r.tags, 5);
    assert.equal(r.underTag, 0, 'no byte in flight is drawn over a tag');
    assert.equal(r.outside, 0, 'elsewhere they are drawn');
    assert.deepEqual(r.labelsOverTags, [], 'no message label over a tag');
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'topology-load-1280.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the topology’s text is 11 px or more on screen at 1024×768 (six nodes too), 1440×900 and on a phone, with no card over another', async () => {
  for (const [width, height, hash] of [[1024, 768, ''], [1024, 768, '#scenario=bench'], [1440, 900, ''], [375, 667, '']]) {
    const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}${hash}`, { width, height });
    await page.waitForFunction((n) => window.__replscope.world.view.nodes.length === n && window.__replscope.panels.topo.W > 100, hash ? 6 : 3, { timeout: 20000 });
    await page.waitForTimeout(300);
    const r = await page.evaluate(() => {
      window.__replscope.renderNow();
      const svg = document.getElementById('topo'), scale = svg.getScreenCTM().a;
      const small = [];
      for (const t of svg.querySelectorAll('text')) {
        // The badges' letters (M, R) too: they were 10 px, hard to read on a phone.
        if (!t.textContent || t.closest('[visibility=hidden]')) continue;
        const px = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (px < 10.99) small.push(`${t.textContent} ${px.toFixed(1)} px`);
      }
      const cards = [...svg.querySelectorAll('g.node rect.card')].map((c) => c.getBoundingClientRect());
      const over = cards.some((a, i) => cards.some((b, j) => i < j && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1));
      // Each badge's letter inside its shape, the shape clear of the name and the version pill.
      const badges = [];
      const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
      const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      for (const g of svg.querySelectorAll('g.node')) {
        const letter = g.querySelector('text.badge'), shape = letter.previousElementSibling.getBoundingClientRect(), l = letter.getBoundingClientRect();
        const glyph = { left: l.left + l.width * 0.1, right: l.right - l.width * 0.1, top: l.top + l.height * 0.25, bottom: l.bottom - l.height * 0.2 };
        if (!inside(glyph, shape)) badges.push(`${g.dataset.node}: ${letter.textContent} outside its shape`);
        for (const other of [g.querySelector('text.nm'), g.querySelector('g.ver rect')]) if (hit(shape, other.getBoundingClientRect())) badges.push(`${g.dataset.node}: badge over ${other.tagName}`);
      }
      return { scale, small, over, badges, scroll: document.documentElement.scrollHeight };
    });
    const what = `${width}×${height}${hash}`;
    assert.ok(r.scale >= 0.999, `${what}: the drawing is not scaled down (${r.scale})`);
    assert.deepEqual(r.small, [], `${what}: text under 11 px`);
    assert.ok(!r.over, `${what}: cards apart`);
    assert.deepEqual(r.badges, [], `${what}: badges legible and apart`);
    if (width > 860) assert.equal(r.scroll, height, `${what}: the page still fits the screen`);
    await page.screenshot({ path: path.join(ARTIFACTS, `topology-text-${width}${hash ? '-load' : ''}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a small master card whose line has no room for its backlog size keeps it in its tooltip and label, in English and in Chinese alike', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 375, height: 740 });
  await page.waitForFunction(() => window.__replscope.panels.topo.W > 100 && window.__replscope.panels.topo.small);
  const card = () => page.evaluate(() => {
    window.__replscope.ui.dirty = true;
    window.__replscope.renderNow();
    const g = document.querySelector('#topo g.node[data-node=m]'), m = window.__replscope.world.view.nodes.find((n) => n.name === 'm');
    return { line: g.querySelectorAll('text.mono')[4].textContent, tip: g.querySelector(':scope > title')?.textContent, label: g.getAttribute('aria-label'), bl: m.backlog.histlen };
  });
  const en = await card();
  assert.equal(en.line, '2 repl.', 'the line holds the count alone');
  assert.equal(en.tip, `2 replicas · backlog ${en.bl} B`);
  assert.match(en.label, new RegExp(`2 replicas · backlog ${en.bl} B`));
  await page.evaluate(() => window.__replscope.setLang('zh'));
  await page.waitForFunction(() => /从节点/.test(document.querySelector('#topo g.node[data-node=m]').textContent));
  const zh = await card();
  assert.equal(zh.line, '2 从节点');
  assert.equal(zh.tip, `2 个从节点 · 积压 ${zh.bl} B`);
  assert.match(zh.label, new RegExp(`2 个从节点 · 积压 ${zh.bl} B`));
  // A replica's line says all it has: no tooltip.
  assert.equal(await page.evaluate(() => document.querySelector('#topo g.node[data-node=r1] > title')), null);
  assert.deepEqual(errors, []);
  await page.close();
});

// A master's BGSAVE line ran past a small card's border (中文 '◐ BGSAVE → 套接字（无盘）' in
// upgrade-replicas-first at 1280 px): a line that has no room says '◐ BGSAVE' alone.
test('a master\u2019s BGSAVE line fits its card, small or full, in English and in Chinese', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  for (const lang of ['en', 'zh']) {
    await page.evaluate((l) => window.__replscope.setLang(l), lang);
    const out = await page.evaluate(async () => {
      const { nodeState, textWidth } = await import('./js/topology.js');
      return ['disk', 'socket'].flatMap((bgsave) => [[true, 14], [false, 27]].map(([small, room]) => {
        const [t] = nodeState({ status: 'running', role: 'master', bgsave, replicas: [] }, null, small, room);
        return { bgsave, small, room, t, w: textWidth(t, 1) };
      }));
    });
    for (const o of out) assert.ok(o.w <= o.room && /BGSAVE/.test(o.t), `${lang}: ${JSON.stringify(o)}`);
    assert.ok(out.some((o) => !o.small && /→|无盘/.test(o.t)), `${lang}: a full card says where it goes: ${JSON.stringify(out)}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('after a failover the promoted replica\u2019s replid and replid2 line stays inside its card', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  for (const l of ['r1> REPLICAOF NO ONE', 'wait 2s']) {
    await page.fill('#con-line', l);
    await page.press('#con-line', 'Enter');
  }
  await page.waitForFunction(() => / \/ /.test(document.querySelector('g.node[data-node=r1] text.mono.muted')?.textContent || ''));
  const r = await page.evaluate(() => {
    const g = document.querySelector('g.node[data-node=r1]');
    const t = g.querySelector('text.mono.muted').getBoundingClientRect(), c = g.querySelector('rect.card').getBoundingClientRect();
    return { text: g.querySelector('text.mono.muted').textContent, right: t.right, card: c.right };
  });
  assert.ok(r.right <= r.card - 4, `inside the card: ${JSON.stringify(r)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the stream panel keeps a small backlog\u2019s repl-backlog-size mark inside it, at the right edge', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 1024, height: 768 });
  const text = `node m repl-backlog-size=16kb\nnode r1 replicaof=m\nwait sync\ndisconnect m r1\n${Array.from({ length: 40 }, (_, i) => `m> SET k${i} ${'x'.repeat(4000)}`).join('\n')}\nwait 1s\n`;
  await page.evaluate(async (t) => (await window.__replscope.app()).openLong(t, null, null, 'Your scenario'), text);
  await page.waitForFunction(() => /16kb/.test(window.__replscope.world.text));
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => {
    const t = [...document.querySelectorAll('svg text')].find((x) => /^repl-backlog-size \d/.test(x.textContent));
    return { text: t.textContent, right: t.getBoundingClientRect().right, panel: t.ownerSVGElement.getBoundingClientRect().right };
  });
  assert.ok(r.right <= r.panel, `inside the panel: ${JSON.stringify(r)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an RDB in several chunks on the wire at once shows one parcel and one label a direction, not a pile', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  // Values that do not compress (the RDB's LZF would shrink repeated bytes to nothing).
  let x = 7;
  const noise = () => Array.from({ length: 4000 }, () => ((x = (x * 1103515245 + 12345) % 2147483648), 'abcdefghijklmnopqrstuvwxyz0123456789'[x % 36])).join('');
  const text = `node m repl-diskless-sync=no\n${Array.from({ length: 30 }, (_, i) => `m> SET k${i} ${noise()}`).join('\n')}\nnode r1\nlink m r1 latency=300ms bandwidth=1mbit\nr1> REPLICAOF m\n`;
  await page.evaluate(async (t) => (await window.__replscope.app()).openLong(t, null, null, 'Your scenario'), text);
  await page.waitForFunction(() => /latency=300ms/.test(window.__replscope.world.text));
  // Played until several chunks of the RDB are on the wire together.
  // Played at the page's own pace (the transfer is on the wire for about a second).
  await page.evaluate(() => window.__replscope.setPlaying(true));
  await page.waitForFunction(() => window.__replscope.world.view.messages.filter((m) => m.kind === 'rdb').length >= 2, null, { timeout: 20000, polling: 'raf' });
  await page.evaluate(() => window.__replscope.setPlaying(false));
  await page.evaluate(() => window.__replscope.renderNow());
  const r = await page.evaluate(() => ({
    chunks: window.__replscope.world.view.messages.filter((m) => m.kind === 'rdb').length,
    parcels: document.querySelectorAll('rect.parcel').length,
    labels: [...document.querySelectorAll('text.ml')].filter((t) => /^RDB /.test(t.textContent)).length,
  }));
  assert.ok(r.chunks >= 2 && r.parcels === 1 && r.labels <= 1, JSON.stringify(r));
  assert.deepEqual(errors, []);
  await page.close();
});

test('five replicas on a 375 px phone: the cards stay whole and apart, and the drawing scrolls sideways to the last one', async () => {
  // A phone's context: a browser of its own (withPhone).
  await withPhone(async (ctx) => {
    const text = 'node m\nnode r1 replicaof=m\nnode r2 replicaof=m\nnode r3 replicaof=m\nnode r4 replicaof=m\nnode r5 replicaof=m\nwait sync\n';
    const { page, errors } = await openPage(ctx, `${env.srv.url}#s=${Buffer.from(text).toString('base64url')}`, { width: 375, height: 740 });
    await page.waitForFunction(() => window.__replscope.panels.topo.W > 100 && document.querySelectorAll('#topo g.node').length === 6);
    const cards = () => page.evaluate(() => [...document.querySelectorAll('#topo g.node rect.card')].map((r) => { const b = r.getBoundingClientRect(); return [b.left, b.right, b.top, b.bottom]; }));
    const all = await cards();
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const [a, b] = [all[i], all[j]];
        assert.ok(Math.min(a[1], b[1]) - Math.max(a[0], b[0]) <= 0 || Math.min(a[3], b[3]) - Math.max(a[2], b[2]) <= 0, `cards ${i} and ${j} apart`);
      }
    }
    const wrap = await page.evaluate(() => { const w = document.querySelector('.topo-wrap'); return { sw: w.scrollWidth, cw: w.clientWidth }; });
    assert.ok(wrap.sw > wrap.cw, `the drawing is wider than its box: ${JSON.stringify(wrap)}`);
    // Scrolled to its end, the last replica is whole on screen.
    await page.evaluate(() => { const w = document.querySelector('.topo-wrap'); w.scrollLeft = w.scrollWidth; });
    const last = await page.evaluate(() => { const b = document.querySelector('#topo g.node[data-node=r5] rect.card').getBoundingClientRect(); return [b.left, b.right]; });
    assert.ok(last[0] >= 0 && last[1] <= 375, `r5 on screen: ${last}`);
    assert.deepEqual(errors, []);
  });
});

test('paused, a console CONFIG SET repl-backlog-size redraws the stream panel’s size and room at once (and a language switch its words), with no time moving', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url);
  await page.evaluate(() => window.__replscope.setPlaying(false));
  await page.waitForTimeout(300);
  const mark = () => page.evaluate(() => [...document.querySelectorAll('#rulers svg text')].map((t) => t.textContent).find((t) => /repl-backlog-size/.test(t)));
  const before = await mark();
  assert.match(before, /repl-backlog-size 1048576: room for \d+ more bytes/, before);
  const t0 = await page.evaluate(() => window.__replscope.world.nowUs);
  for (const l of ['m> CONFIG SET repl-backlog-size 1', 'm> CONFIG GET repl-backlog-size']) {
    await page.fill('#con-line', l);
    await page.press('#con-line', 'Enter');
  }
  await page.waitForFunction(() => /"16384"/.test(document.getElementById('con-out').textContent));
  const histlen = await page.evaluate(() => window.__replscope.world.view.nodes.find((n) => n.name === 'm').backlog.histlen);
  await page.waitForFunction((s) => [...document.querySelectorAll('#rulers svg text')].some((t) => t.textContent.startsWith(s)), `◀ repl-backlog-size 16384: room for ${16384 - histlen} more bytes`, { timeout: 3000 })
    .catch(async () => assert.fail(`still: ${await mark()}`));
  assert.equal(await page.evaluate(() => window.__replscope.world.nowUs), t0, 'no time moved');
  await page.evaluate(() => window.__replscope.setLang('zh'));
  await page.waitForFunction((s) => [...document.querySelectorAll('#rulers svg text')].some((t) => t.textContent === s), `◀ repl-backlog-size 16384：再写入 ${16384 - histlen} 字节，最旧的数据就要被丢弃`, { timeout: 3000 })
    .catch(async () => assert.fail(`in 中文: ${await mark()}`));
  await page.screenshot({ path: path.join(ARTIFACTS, 'ruler-config-set-paused-zh.png') });
  await page.evaluate(() => window.__replscope.setLang('en'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a 375 px phone the labels of the bytes moving on the links stay inside the topology, and each card’s lines inside its card, frame by frame (where-writes-wait’s step 2: m7–r7’s RDB label was cut at the left edge, r8’s receiving line ran past its card), EN and 中文', async () => {
  await withPhone(async (ctx) => {
    for (const lang of ['zh', 'en']) {
      const { page, errors } = await openPage(ctx, `${env.srv.url}#lesson=where-writes-wait&lang=${lang}`, { width: 375, height: 812 });
      await page.waitForSelector('#lesson-bar:not([hidden]) .lb-next');
      await page.evaluate(() => {
        window.__out = [];
        window.__seen = 0;
        const tick = () => {
          const box = document.querySelector('.topo-wrap').getBoundingClientRect(), svg = document.getElementById('topo').getBoundingClientRect();
          const lo = Math.max(box.left, svg.left), hi = Math.min(box.right, svg.right);
          for (const t of document.querySelectorAll('#topo .msg-labels text')) {
            const r = t.getBoundingClientRect();
            if (!r.width) continue;
            if (/\d+ B( to go)?$/.test(t.textContent)) window.__seen++;
            if (r.left < lo - 0.5 || r.right > hi + 0.5) window.__out.push(`${t.textContent} [${Math.round(r.left)}, ${Math.round(r.right)}] outside [${Math.round(lo)}, ${Math.round(hi)}] at ${window.__replscope.world.nowUs}`);
          }
          // And each card's own lines inside its card (r8's "◐ receiving RDB 38056 B" ran past its right edge).
          for (const g of document.querySelectorAll('#topo g.node')) {
            const card = g.querySelector('rect.card').getBoundingClientRect();
            for (const t of g.querySelectorAll('text')) {
              const r = t.getBoundingClientRect();
              if (r.width && r.right > card.right + 0.5) window.__out.push(`card ${g.dataset.node}: ${t.textContent} ends at ${Math.round(r.right)}, its card at ${Math.round(card.right)}, at ${window.__replscope.world.nowUs}`);
            }
          }
          if (!window.__stop) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      for (let i = 0; i < 2; i++) {
        await page.evaluate(() => document.querySelector('#lesson-bar .lb-next').click());
        await page.waitForFunction((k) => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith(`${k}/`), i + 1);
      }
      await page.waitForFunction(() => window.__replscope.world.nowUs >= 2520000, null, { timeout: 60000, polling: 'raf' });
      await page.evaluate(() => window.__replscope.setPlaying(false));
      await page.evaluate(() => document.querySelector('.panel.topo').scrollIntoView());
      await page.screenshot({ path: path.join(ARTIFACTS, `topology-phone-labels-inside-${lang}.png`) });
      const r = await page.evaluate(() => { window.__stop = true; return { out: window.__out, seen: window.__seen }; });
      // (One label a frame now: the links' tags stand beside their wires, and on a phone only
      // one RDB's "to go" label has room beside its parcel; the frames are ~10 at this pace.)
      assert.ok(r.seen > 2, `${lang}: byte labels were drawn (${r.seen})`);
      assert.deepEqual(r.out.slice(0, 5), [], `${lang}: ${r.out.length} label frames outside the panel`);
      assert.deepEqual(errors, []);
      await page.close();
    }
  }, { width: 375, height: 812 });
});

/**
 * Every link's tag, on screen: its words, its box, and whether the box crosses a wire
 * (each link's line and a visible rdb channel's line, in screen px, with `pad` px to spare);
 * and the front RDB parcels' labels.
 */
function tagsAndWires(pad) {
  const svg = document.getElementById('topo'), m = svg.getScreenCTM();
  const pt = (x, y) => new DOMPoint(x, y).matrixTransform(m);
  const wires = [...svg.querySelectorAll('.linkg path.wire')].filter((p) => p.getAttribute('visibility') !== 'hidden' && p.getAttribute('d')).map((p) => {
    const [x0, y0, x1, y1] = p.getAttribute('d').match(/-?[\d.]+/g).map(Number);
    return { link: p.closest('.linkg').dataset.link, rdb: p.classList.contains('wire-rdb'), a: pt(x0, y0), b: pt(x1, y1) };
  });
  // Liang–Barsky: the segment a–b meets the box grown by pad.
  const hits = (s, r) => {
    const dx = s.b.x - s.a.x, dy = s.b.y - s.a.y;
    let t0 = 0, t1 = 1;
    for (const [p, q] of [[-dx, s.a.x - (r.left - pad)], [dx, r.right + pad - s.a.x], [-dy, s.a.y - (r.top - pad)], [dy, r.bottom + pad - s.a.y]]) {
      if (p === 0) { if (q < 0) return false; continue; }
      const u = q / p;
      if (p < 0) { if (u > t1) return false; if (u > t0) t0 = u; } else { if (u < t0) return false; if (u < t1) t1 = u; }
    }
    return true;
  };
  return {
    tags: [...svg.querySelectorAll('.linkg')].map((g) => {
      const r = g.querySelector('.tag rect').getBoundingClientRect();
      return { link: g.dataset.link, text: [...g.querySelectorAll('.tag text')].map((t) => t.textContent).filter(Boolean).join(' ').replace(/\s+/g, ' '), over: wires.filter((s) => hits(s, r)).map((s) => `${s.link}${s.rdb ? ' (rdb channel)' : ''}`) };
    }),
    // Each wire's middle (40–60 % of it) against every tag: the stretch a reader follows.
    midCovered: wires.flatMap((s) => [...svg.querySelectorAll('.linkg .tag rect')].filter((t) => {
      const r = t.getBoundingClientRect(), c = (f) => ({ x: s.a.x + (s.b.x - s.a.x) * f, y: s.a.y + (s.b.y - s.a.y) * f });
      return hits({ a: c(0.4), b: c(0.6) }, r);
    }).map(() => s.link)),
    rdbLabels: [...svg.querySelectorAll('.msg-labels text')].map((t) => t.textContent).filter((t) => /RDB|to go|还差/.test(t)),
  };
}

test('where-writes-wait’s step 2 (1440×900, 375×740, EN, 中文): m7–r7’s tag says m7 dropped r7 while r7 still receives its RDB (not “full sync”), each RDB count says what it is, and no link’s tag covers a line', async () => {
  for (const size of [{ width: 1440, height: 900 }, { width: 375, height: 740 }]) {
    for (const lang of ['en', 'zh']) {
      const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}?lang=${lang}#lesson=where-writes-wait&step=2`, size);
      await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent === '2/6');
      await page.waitForTimeout(600);   // a phone's panel grows to fit its tags (a relayout)
      await page.evaluate(() => document.querySelector('.panel.topo').scrollIntoView());
      await page.evaluate(() => window.__replscope.renderNow());
      const r = await page.evaluate(tagsAndWires, 2);
      const what = `${size.width} ${lang}: ${JSON.stringify(r)}`;
      await page.screenshot({ path: path.join(ARTIFACTS, `topology-where-writes-wait-2-${size.width}-${lang}.png`) });
      // The master's side and the replica's, each as it is: m7 has no replica, r7 reads on.
      const m7 = r.tags.find((t) => t.link === 'm7|r7').text;
      assert.match(m7, lang === 'zh' ? /m7 已断开 r7.*r7 仍在接收 RDB \d+\/\d+ B/ : /m7 dropped r7.*r7 still receiving.*RDB \d+\/\d+ B/, what);
      assert.doesNotMatch(m7, /full sync|全量同步/, `${what}: m7 dropped r7, its side is no full sync`);
      // r8's sync is one: its count is what it received of the whole.
      assert.match(r.tags.find((t) => t.link === 'm8|r8').text, lang === 'zh' ? /RDB 已接收 \d+\/\d+ B/ : /RDB received \d+\/\d+ B/, what);
      // An RDB parcel's label, where there is one, is what is still to come, never a bare chunk size.
      for (const l of r.rdbLabels) assert.match(l, lang === 'zh' ? /还差 \d+ B$/ : /\d+ B to go$/, what);
      for (const t of r.tags) assert.deepEqual(t.over, [], `${what}: ${t.link}'s tag covers no line`);
      assert.deepEqual(r.midCovered, [], `${what}: no wire's middle under a tag`);
      assert.deepEqual(errors, []);
      await page.close();
    }
  }
});

test('the first world’s link tags stand beside their wires, not on them (1440×900, 1024×768, 375×740)', async () => {
  for (const size of [{ width: 1440, height: 900 }, { width: 1024, height: 768 }, { width: 375, height: 740 }]) {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, size);
    await page.waitForTimeout(300);
    await page.evaluate(() => window.__replscope.renderNow());
    const r = await page.evaluate(tagsAndWires, 2);
    assert.equal(r.tags.length, 2, JSON.stringify(r));
    for (const t of r.tags) assert.deepEqual(t.over, [], `${size.width}: ${JSON.stringify(r)}`);
    assert.deepEqual(r.midCovered, [], `${size.width}: ${JSON.stringify(r)}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

// A lesson's bar above the grid took the topology's room: at 1440×900 replication-id's r2
// (its ids cards, two rows) was cut off at the panel's bottom edge ("link up" hidden), and
// master-no-persistence's two replicas at 1366×768. The grid's row now grows to the cards.
test('in a lesson (1440×900, 1366×768, EN and 中文) every node card lies inside the topology panel’s visible box', async () => {
  for (const [width, height, lesson, lang, n] of [[1440, 900, 'replication-id', 'zh', 3], [1440, 900, 'replication-id', 'en', 3], [1440, 900, 'master-no-persistence', 'en', 3], [1366, 768, 'master-no-persistence', 'zh', 3], [1366, 768, 'where-writes-wait', 'en', 4]]) {
    const { page, errors } = await openPage(env.browser.ctx, `${env.srv.url}#lesson=${lesson}&lang=${lang}&step=2`, { width, height });
    await page.waitForFunction(() => document.querySelector('#lesson-bar .lb-step')?.textContent.startsWith('2/'), null, { timeout: 20000 });
    // Settled: the cards' places and the panel's box the same over ten frames.
    await page.waitForFunction((k) => {
      const g = [...document.querySelectorAll('#topo g.node')];
      if (g.length !== k) return false;
      const now = `${JSON.stringify(document.querySelector('.panel.topo').getBoundingClientRect())}|${document.getElementById('topo').getAttribute('viewBox')}|${g.map((x) => x.getAttribute('transform')).join()}`;
      if (window.__settle?.key === now) return ++window.__settle.n >= 10;
      window.__settle = { key: now, n: 0 };
      return false;
    }, n, { polling: 'raf', timeout: 20000 });
    const r = await page.evaluate(() => {
      const b = (el) => el.getBoundingClientRect();
      const p = b(document.querySelector('.panel.topo')), w = b(document.querySelector('.topo-wrap')), s = b(document.getElementById('topo'));
      const vis = { left: Math.max(p.left, w.left, s.left), right: Math.min(p.right, w.right, s.right), top: Math.max(p.top, w.top, s.top), bottom: Math.min(p.bottom, w.bottom, s.bottom) };
      const cards = [...document.querySelectorAll('#topo g.node')].map((g) => { const c = b(g.querySelector('rect.card')); return { node: g.dataset.node, left: c.left, right: c.right, top: c.top, bottom: c.bottom }; });
      const shown = (sel) => { const e = document.querySelector(sel); if (!e) return 0; const x = b(e); return Math.max(0, Math.min(x.bottom, innerHeight) - Math.max(x.top, 0)); };
      return { vis, cards, ruler: shown('.panel.ruler'), timeline: shown('.panel.timeline'), console: shown('.panel.console'), scroll: document.documentElement.scrollHeight };
    });
    const what = `${width}×${height} ${lesson} ${lang}`;
    await page.screenshot({ path: path.join(ARTIFACTS, `topology-lesson-cards-${width}-${lesson}-${lang}.png`) });
    for (const c of r.cards) {
      assert.ok(c.left >= r.vis.left - 0.5 && c.right <= r.vis.right + 0.5 && c.top >= r.vis.top - 0.5 && c.bottom <= r.vis.bottom + 0.5, `${what}: ${c.node}'s card ${JSON.stringify(c)} inside the panel's visible box ${JSON.stringify(r.vis)}`);
    }
    // The rest of the page still on the screen.
    assert.equal(r.scroll, height, `${what}: the page fits the screen`);
    if (width === 1440) assert.ok(r.ruler >= 100 && r.timeline >= 30 && r.console >= 150, `${what}: the stream panel, timeline and console shown: ${JSON.stringify(r)}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
