// The page's own WebAssembly (www/pkg, as `make wasm` optimises it with binaryen), run in
// Node: its event trace of the golden scenario is the native run's, byte for byte.
// tests/wasm.rs checks the same in browsers, but on wasm-pack's test build, which no
// wasm-opt pass has touched; this one guards the bytes the page really loads.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '../..');
const SCENARIO = fs.readFileSync(path.join(ROOT, 'tests/scenarios/repl/partial-after-disconnect.scn'), 'utf8');
const GOLDEN = fs.readFileSync(path.join(ROOT, 'tests/golden/partial-after-disconnect.trace.jsonl'), 'utf8');

test('the page’s optimised wasm gives the golden trace of the native run, byte for byte', async () => {
  const mod = await import(path.join(ROOT, 'www/pkg/replscope.js'));
  await mod.default({ module_or_path: fs.readFileSync(path.join(ROOT, 'www/pkg/replscope_bg.wasm')) });
  const pg = new mod.Playground(SCENARIO, undefined);
  const loaded = pg.loaded();
  assert.ok(loaded.expectations.length > 0 && loaded.expectations.every((e) => e.passed), 'every expect holds');
  const trace = pg.trace_json(), want = GOLDEN.split('\n'), got = trace.split('\n');
  const i = want.findIndex((l, k) => l !== got[k]);
  assert.equal(i, -1, `line ${i + 1}: golden ${want[i]}\n page wasm ${got[i]}`);
  assert.equal(trace, GOLDEN);
  // A seek back and forth replays the same history: the view at the end is the same.
  const end = JSON.stringify(pg.view());
  pg.seek(pg.now_ms() / 2);
  pg.seek(pg.horizon_ms());
  assert.equal(JSON.stringify(pg.view()), end);
});
