// Dialogs: keyboard help, the session as a scenario (copy, share link, edit and load),
// and the seed. Loaded on first use.

import { $, h, fill } from './dom.js';

const dlg = $('dlg');

function dialog(title, ...body) {
  $('dlg-h').textContent = title;
  fill($('dlg-body'), body);
  dlg.showModal();
}

/** UTF-8 text as URL-safe base64, for share links. */
export const b64enc = (t) => btoa(String.fromCharCode(...new TextEncoder().encode(t))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function showHelp() {
  const keys = [['Space', 'play / pause'], ['N', 'next event'], ['[ ]', 'slower / faster'], ['M', 'slow motion on wires on/off'], ['← →', 'on the timeline: 0.1 s (Shift: 1 s)'],
    ['Tab, Enter', 'select a node or link'], ['D / R', 'disconnect / reconnect'], ['X / H', 'partition / heal'], ['C / S', 'crash / (re)start a node'],
    ['P', 'promote (REPLICAOF NO ONE)'], ['I', 'INFO of the node'], ['A', 'add a node'], ['/', 'console'], ['↑ ↓', 'console history'], ['Esc', 'clear the selection'], ['Shift+R', 'reset'], ['Enter', 'next lesson step']];
  dialog('Keyboard', h('dl', null, keys.flatMap(([k, v]) => [h('dt', null, h('kbd', null, k)), h('dd', null, v)])),
    h('p', { class: 'hint' }, 'Every click is a scenario statement: it appears in the console and in the exported scenario.'));
}

/** `text`: the session as a scenario; `load(text)` opens an edited one. */
export function showExport(text, load) {
  const ta = h('textarea', { spellcheck: 'false', 'aria-label': 'Scenario text' });
  ta.value = text;
  const msg = h('span', { class: 'hint', role: 'status' });
  const copy = (t, what) => navigator.clipboard.writeText(t).then(() => { msg.textContent = `${what} copied.`; }, () => { msg.textContent = 'Copy failed: select the text and copy it.'; });
  dialog('This session as a scenario',
    h('p', { class: 'hint' }, 'It replays exactly: every statement at the instant it was applied. Edit it and load it, or share it as a link.'), ta,
    h('menu', null,
      h('button', { class: 'btn', type: 'button', onclick: () => copy(ta.value, 'Scenario') }, 'Copy'),
      h('button', { class: 'btn', type: 'button', onclick: () => copy(`${location.href.split('#')[0]}#s=${b64enc(ta.value)}`, 'Share link') }, 'Copy share link'),
      h('button', { class: 'btn primary', type: 'button', onclick: () => { if (load(ta.value)) dlg.close(); } }, 'Load this text'), msg));
}

export function showSeed(seed, reload) {
  const inp = h('input', { type: 'number', min: 0, step: 1, value: seed, 'aria-label': 'Seed' });
  dialog('Seed', h('p', { class: 'hint' }, 'The seed drives every random choice (run ids, replication ids, start-up phases). The same scenario and seed always give the same bytes.'), inp,
    h('menu', null, h('button', { class: 'btn primary', type: 'button', onclick: () => { const v = Math.floor(+inp.value); if (v >= 0) reload(v); dlg.close(); } }, 'Reload with this seed')));
}
