import { serve, launch, openPage } from './harness.mjs';
const srv = await serve(); const b = await launch();
const shot = async (url, name, opts = {}, fn) => {
  const { page, errors } = await openPage(b.ctx, url, opts);
  if (fn) await fn(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/dbg/${name}.png`, fullPage: !!opts.full });
  console.log(name, errors);
  await page.close();
};
await shot(srv.url + '#lang=zh', 'zh-light');
await shot(srv.url + '#lesson=partial-resync&lang=zh', 'zh-dark-lesson', { scheme: 'dark' }, async (p) => { await p.waitForSelector('#lesson-bar:not([hidden])'); await p.click('#lesson-bar .primary'); await p.waitForTimeout(800); });
await shot(srv.url + '#lang=zh', 'zh-phone', { width: 375, height: 812, full: true });
await shot(srv.url, 'dialog', {}, async (p) => { await p.click('#export'); await p.waitForSelector('#copy-link'); });
await shot(srv.url + '#z=!!!notbase64', 'badlink');
await shot(srv.url + '#lesson=myth-ack-resend&variant=textbook', 'textbook', {}, async (p) => { await p.waitForSelector('#lesson-bar:not([hidden])'); });
await b.close(); await srv.close();
