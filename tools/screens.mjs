// Screenshots for review: laptop and phone, light and dark.
//   node tools/screens.mjs [query-or-hash] [out-dir]
// Needs tests/e2e's node_modules (npm ci there) and a built www/pkg (make wasm).

import { serve, launch, openPage } from '../tests/e2e/harness.mjs';
import fs from 'node:fs';

const suffix = process.argv[2] || '';
const out = process.argv[3] || 'tests/e2e/artifacts';
fs.mkdirSync(out, { recursive: true });
const srv = await serve();
const { ctx, close } = await launch();
try {
  for (const [name, opts] of [['laptop-light', { width: 1440, height: 900 }], ['laptop-dark', { width: 1440, height: 900, scheme: 'dark' }], ['phone-light', { width: 375, height: 812 }], ['phone-dark', { width: 375, height: 812, scheme: 'dark' }]]) {
    const { page, errors } = await openPage(ctx, srv.url + suffix, opts);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: name.startsWith('phone') });
    if (errors.length) console.log(name, 'console errors:', errors);
    await page.close();
  }
} finally {
  await close();
  await srv.close();
}
console.log('screenshots in', out);
