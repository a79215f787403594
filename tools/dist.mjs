// Build dist/: the page as a static host should serve it. The modules in www/js are
// bundled and minified: what the first frame needs in one file, what main.js imports
// dynamically (tab panels, lessons, dialogs, other scenarios, links, embed mode, the
// Chinese dictionary, export) in chunks loaded on first use. The stylesheet is minified. Behaviour is identical to www/.
//   node tools/dist.mjs            (after make wasm; tools/node_modules from npm ci)

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const www = path.join(root, 'www'), out = path.join(root, 'dist');
if (!fs.existsSync(path.join(www, 'pkg/replscope_bg.wasm'))) throw new Error('www/pkg is missing: run make wasm');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

// The wasm-bindgen glue finds its .wasm next to itself (import.meta.url): after
// bundling that is next to js/main.js.
await build({ entryPoints: [path.join(www, 'js/main.js')], bundle: true, splitting: true, minify: true, format: 'esm', target: 'es2022', outdir: path.join(out, 'js'), chunkNames: '[name]-[hash]', legalComments: 'none', logLevel: 'warning' });
await build({ entryPoints: [path.join(www, 'style.css')], minify: true, outfile: path.join(out, 'style.css'), logLevel: 'warning' });
// The styles of what loads on first use (lesson bar, tab panels, dialogs, embed mode).
await build({ entryPoints: [path.join(www, 'more.css')], minify: true, outfile: path.join(out, 'more.css'), logLevel: 'warning' });
fs.copyFileSync(path.join(www, 'pkg/replscope_bg.wasm'), path.join(out, 'js/replscope_bg.wasm'));
fs.cpSync(path.join(www, 'lessons'), path.join(out, 'lessons'), { recursive: true });
fs.copyFileSync(path.join(www, 'favicon.svg'), path.join(out, 'favicon.svg'));

let html = fs.readFileSync(path.join(www, 'index.html'), 'utf8');
const swap = (from, to) => {
  if (!html.includes(from)) throw new Error(`index.html no longer contains ${from}`);
  html = html.replace(from, to);
};
swap('href="pkg/replscope_bg.wasm"', 'href="js/replscope_bg.wasm"');
html = html.replace(/\n\s*/g, '\n');
fs.writeFileSync(path.join(out, 'index.html'), html);
console.log('dist/ is ready: serve it with any static file server');
