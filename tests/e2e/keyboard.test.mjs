// The page with the keyboard only, at 1024×768 (a laptop): a focused link shows it, a
// selected one stays focused and highlighted, Escape closes the lesson cards, and every
// dialog gives the focus back to where it came from.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pageSuite, ARTIFACTS as ART, openPage } from './harness.mjs';

const env = pageSuite();
const SIZE = { width: 1024, height: 768 };

/** What has the focus: an id, a data-link / data-node, or the tag name. */
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e.id ? `#${e.id}` : e.dataset?.link ? `link ${e.dataset.link}` : e.dataset?.node ? `node ${e.dataset.node}` : e.tagName;
});

/** How the link's label and line are drawn, and the page's focus colour, all as computed colours. */
const linkLook = (page, key) => page.evaluate((key) => {
  const g = document.querySelector(`#topo [data-link="${key}"]`);
  const probe = document.createElement('i');
  probe.style.color = 'var(--focus)';
  document.body.append(probe);
  const focus = getComputedStyle(probe).color;
  probe.remove();
  const tag = getComputedStyle(g.querySelector('.tag rect')), hit = getComputedStyle(g.querySelector('.hit'));
  return { focus, tagStroke: tag.stroke, tagWidth: parseFloat(tag.strokeWidth), hitStroke: hit.stroke, hitOpacity: +hit.strokeOpacity, sel: g.classList.contains('sel'), visible: g.matches(':focus-visible') };
}, key);

for (const scheme of ['light', 'dark']) {
  test(`keyboard only (${scheme}): a focused link is framed like a focused card; Enter selects it and keeps the focus`, async () => {
    const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { ...SIZE, scheme });
    // The links come before the cards in the tab order: back from m to the first link.
    await page.focus('#topo [data-node="m"]');
    for (let i = 0; i < 4 && (await focused(page)) !== 'link m|r1'; i++) await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'link m|r1');
    let look = await linkLook(page, 'm|r1');
    assert.ok(look.visible, 'keyboard focus');
    assert.equal(look.tagStroke, look.focus, 'its label is framed in the focus colour');
    assert.ok(look.tagWidth >= 3, 'as thick as a focused card');
    assert.equal(look.hitStroke, look.focus, 'a halo along its line');
    assert.ok(look.hitOpacity >= 0.3, 'a halo one can see');
    const other = await linkLook(page, 'm|r2');
    assert.notEqual(other.tagStroke, other.focus, 'the other link is not framed');
    const box = await page.locator('#topo').boundingBox();
    await page.screenshot({ path: path.join(ART, `kbd-link-focus-${scheme}.png`), clip: box });

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#topo [data-link="m|r1"]').classList.contains('sel'));
    await page.waitForTimeout(200);   // a frame or two: the panel resizes under the new actions
    assert.equal(await focused(page), 'link m|r1', 'the focus stays on the selected link');
    assert.match(await page.textContent('#actions'), /m ↔ r1:/);
    // Tab goes on to the next link, and the selected one still shows it is.
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'link m|r2');
    look = await linkLook(page, 'm|r1');
    assert.ok(look.sel && !look.visible);
    assert.equal(look.tagStroke, look.focus, 'the selected link is framed too');
    await page.screenshot({ path: path.join(ART, `kbd-link-selected-${scheme}.png`), clip: { ...box, height: box.height + 80 } });
    // Back to it, D acts on it, and the focus stays there.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('d');
    await page.waitForFunction(() => /disconnect m r1/.test(document.getElementById('con-out').textContent));
    await page.waitForTimeout(200);
    assert.equal(await focused(page), 'link m|r1');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('keyboard only: Escape closes the lesson cards, from the page or a card, unless a dialog is on top', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, { ...SIZE, cards: true });
  const open = () => page.evaluate(() => !document.getElementById('welcome').hidden);
  assert.ok(await open(), 'a first visit shows the cards');
  await page.keyboard.press('Escape');
  assert.equal(await open(), false, 'Escape on the page closes them');
  assert.equal(await focused(page), '#lessons-btn', 'the focus goes to the button that opens them');
  await page.keyboard.press('Enter');
  assert.ok(await open(), 'Enter on it opens them again');
  await page.focus('#welcome .wl-go');
  await page.keyboard.press('Escape');
  assert.equal(await open(), false, 'Escape on a card closes them');
  assert.equal(await focused(page), '#lessons-btn');
  // With Help open over the cards, Escape closes Help only.
  await page.keyboard.press('Enter');
  await page.keyboard.press('?');
  await page.waitForFunction(() => document.getElementById('dlg')?.open);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.getElementById('dlg').open), false);
  assert.ok(await open(), 'the cards stay');
  assert.equal(await focused(page), '#lessons-btn');
  // The ✕ gives the focus to the same button.
  await page.focus('#wl-close');
  await page.keyboard.press('Enter');
  assert.equal(await open(), false);
  assert.equal(await focused(page), '#lessons-btn');
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard only: every dialog gives the focus back (to what had it, or to its button)', async () => {
  const { page, errors } = await openPage(env.browser.ctx, env.srv.url, SIZE);
  const dlgOpen = () => page.waitForFunction(() => document.getElementById('dlg')?.open);
  const escape = async () => {
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.getElementById('dlg').open);
    await page.waitForTimeout(50);   // the close event
  };
  // ? pressed on the page (the focus on <body>): back to the ? button.
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('?');
  await dlgOpen();
  await escape();
  assert.equal(await focused(page), '#help');
  // ? pressed on a node card: back to the card.
  await page.focus('#topo [data-node="r1"]');
  await page.keyboard.press('?');
  await dlgOpen();
  await escape();
  assert.equal(await focused(page), 'node r1');
  // Each header button opening its dialog with Enter: back to it.
  for (const id of ['help', 'export', 'seed']) {
    await page.focus(`#${id}`);
    await page.keyboard.press('Enter');
    await dlgOpen();
    await escape();
    assert.equal(await focused(page), `#${id}`, `closing the dialog of #${id}`);
  }
  // Closed with its own Close button too.
  await page.focus('#help');
  await page.keyboard.press('Enter');
  await dlgOpen();
  await page.click('#dlg menu button[value=close]');
  await page.waitForTimeout(50);
  assert.equal(await focused(page), '#help');
  assert.deepEqual(errors, []);
  await page.close();
});
