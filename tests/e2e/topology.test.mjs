// The topology panel on a laptop's screen: a partition's count of held bytes is drawn
// even where the wire between a card and the link's tag is short (1280×800), and
// selecting a node or a link does not change the drawing's height (1024×768: a
// master's actions take more rows than none). Screenshots go to artifacts/ to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pageSuite, openPage, ARTIFACTS } from './harness.mjs';

const env = pageSuite();

/** Boxes overlap (with `pad` px to spare). */
const overlap = (a, b, pad = 0) => a.x < b.x + b.width + pad && b.x < a.x + a.width + pad && a.y < b.y + b.height + pad && b.y < a.y + a.height + pad;

test('at 1280×800 a partition’s held bytes are counted beside their stack, clear of the cards and tags', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 1280, height: 800 });
  await page.waitForTimeout(300);   // the panels' sizes settled (the actions bar's reserved height)
  await page.evaluate(() => {
    const R = window.__replscope;
    R.ui.run('partition m r1');
    for (let i = 0; i < 5; i++) R.ui.run(`m> SET k${i} v${i}`);
    R.ui.run('wait 200ms');
  });
  await page.waitForTimeout(300);
  const r = await page.evaluate(async () => {
    const R = window.__replscope;
    R.renderNow();
    await new Promise((ok) => requestAnimationFrame(ok));
    const box = (el) => { const b = el.getBoundingClientRect(); return { x: b.x, y: b.y, width: b.width, height: b.height }; };
    const label = document.querySelector('#topo text.ml.held');
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
  assert.equal(r.text, '5 messages held by the partition');
  const L = r.label;
  assert.ok(L.x >= r.panel.x && L.x + L.width <= r.panel.x + r.panel.width && L.y >= r.panel.y && L.y + L.height <= r.panel.y + r.panel.height, `inside the panel: ${JSON.stringify(L)}`);
  for (const c of r.cards) assert.ok(!overlap(L, c), `clear of a card: ${JSON.stringify({ L, c })}`);
  for (const t of r.tags) assert.ok(!overlap(L, t), `clear of a tag: ${JSON.stringify({ L, t })}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('at 1024×768 selecting a node or a link keeps the topology’s height and its cards where they were', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { width: 1024, height: 768 });
  await page.waitForTimeout(200);
  const state = () => page.evaluate(() => ({
    wrap: document.getElementById('topo').parentElement.getBoundingClientRect().height,
    cards: [...document.querySelectorAll('#topo g.node')].map((g) => `${g.dataset.node} ${g.getAttribute('transform')}`).join(', '),
  }));
  const first = await state();
  for (const sel of ['[data-node="m"]', '[data-node="r1"]', '[data-link="m|r1"]']) {
    await page.click(`#topo ${sel}`);
    await page.waitForTimeout(200);
    assert.deepEqual(await state(), first, `after selecting ${sel}`);
  }
  await page.keyboard.press('Escape');
  await page.waitForTimeout(200);
  assert.deepEqual(await state(), first, 'after the selection is dropped');
  // The actions of the master (its three rows at this width) fit the bar kept for them.
  await page.click('#topo [data-node="m"]');
  await page.waitForTimeout(200);
  const bar = await page.evaluate(() => { const a = document.getElementById('actions'); return { scroll: a.scrollHeight, client: a.clientHeight }; });
  assert.ok(bar.scroll <= bar.client + 1, `the master's actions fit: ${JSON.stringify(bar)}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'topology-select-1024.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
