// Dialogs: keyboard help; share and export (a link, an embed snippet, the view as an SVG
// file, the session as a JSON file and its import, the session as a scenario to copy,
// edit and load); the seed. Loaded on first use.

import { $, h, fill, tr, trCore, secs, fragment } from './dom.js';

// One dialog, made when first needed: a form (method=dialog) whose Close button closes it.
const dlg = h('dialog', { id: 'dlg', 'aria-labelledby': 'dlg-h' },
  h('form', { method: 'dialog', class: 'dlg' }, h('h2', { id: 'dlg-h' }), h('div', { id: 'dlg-body' }),
    h('menu', null, h('button', { class: 'btn', value: 'close' }, tr('Close')))));
document.body.append(dlg);

// Closed, the dialog gives the focus back to what had it, or (opened by a key, from
// <body>, or that element is gone) to the header button that opens it.
let back = null, opener = null;
dlg.addEventListener('close', () => {
  const to = back?.isConnected ? back : $(opener);
  back = opener = null;
  const now = document.activeElement;
  if (to && (!now || now === document.body || dlg.contains(now))) to.focus();
});

/** Show the dialog; `from` is the id of the button that opens it. */
function dialog(from, title, ...body) {
  $('dlg-h').textContent = title;
  fill($('dlg-body'), body);
  if (dlg.open) return;
  const a = document.activeElement;
  back = a && a !== document.body && !dlg.contains(a) ? a : null;
  opener = from;
  dlg.showModal();
}

/** The dialog's own Close button follows the language. */
export function relabel() {
  dlg.querySelector('menu button[value=close]').textContent = tr('Close');
}
relabel();

export function showHelp() {
  const keys = [['Space', 'play / pause'], ['N', 'next event'], ['[ ]', 'slower / faster'], ['M', 'slow motion on wires on/off'], ['← →', 'on the timeline: 0.1 s (Shift: 1 s)'],
    ['Tab, Enter', 'select a node or link'], ['D / R', 'disconnect / reconnect'], ['X / H', 'partition / heal'], ['C / S', 'crash / (re)start a node'],
    ['P', 'promote (REPLICAOF NO ONE)'], ['F', 'fail over a master to a replica (FAILOVER)'], ['I', 'INFO of the node'], ['A', 'add a node'], ['/', 'console'], ['↑ ↓', 'console history'], ['Ctrl-C', 'console: stop a long wait or paste (with no text selected), or drop the line'], ['Esc', 'close the lesson cards, or clear the selection'], ['Shift+R', 'reset'], ['Enter', 'next lesson step']];
  // On a touch screen the keys come second (a phone rarely has them): first what a tap does.
  const touch = matchMedia('(pointer: coarse)').matches;
  const taps = [['tap a node or a link', 'select it: the buttons under the topology then act on it (disconnect, partition, crash, promote, INFO…)'],
    ['drag the timeline', 'go back to any moment kept, and see the world as it was then'], ['Play, Next event', 'let time run, or run it to the next event'],
    ['the console', 'type a scenario statement or NODE> COMMAND (e.g. m> SET k v); ↑ on a keyboard recalls the last ones']];
  const list = (rows, key) => h('dl', null, rows.flatMap(([k, v]) => [h('dt', null, key ? h('kbd', null, tr(k)) : h('b', null, tr(k))), h('dd', null, tr(v))]));
  dialog('help', touch ? tr('Help') : tr('Keyboard'), ...(touch ? [list(taps, false), h('details', null, h('summary', null, tr('Keyboard')), list(keys, true))] : [list(keys, true)]),
    h('p', { class: 'hint' }, tr('Every click is a scenario statement: it appears in the console and in the exported scenario.')));
}

const section = (title, ...kids) => h('section', { style: 'display:grid;gap:6px' }, h('h3', { style: 'margin:0;font-size:13px' }, title), ...kids);
const row = (...kids) => h('div', { style: 'display:flex;gap:8px;flex-wrap:wrap;align-items:center' }, ...kids);

/**
 * The host page's half of embedding (docs/embedding.md): size each replscope frame to the
 * height it asks for. Only messages from `origin` and from one of the page's own iframes
 * count, the height must be a number and is clamped, so nothing else can resize anything.
 * Pasting it twice (two embeds in one post) is harmless.
 */
export const heightScript = (origin) => `<script>
addEventListener('message', function (e) {
  var d = e.data, h = d && d.height;
  if (e.origin !== '${origin.replace(/[^A-Za-z0-9:/.[\]-]/g, '')}' || !d || d.type !== 'replscope:height' || typeof h !== 'number' || !(h > 0)) return;
  document.querySelectorAll('iframe').forEach(function (f) {
    if (f.contentWindow === e.source) f.style.height = Math.min(1200, Math.max(300, Math.round(h))) + 'px';
  });
});
</script>`;

/** Share and export. `app` is the page (main.js). */
export function showExport(app) {
  // What went well is a quiet status; what went wrong is an error, styled and announced
  // as one (role=alert); each clears the other.
  const msg = h('p', { class: 'hint', role: 'status', style: 'margin:0;overflow-wrap:anywhere' });
  const err = h('p', { class: 'dlg-err', role: 'alert' });
  const say = (t, bad) => { (bad ? msg : err).textContent = ''; (bad ? err : msg).textContent = t; };
  // The dialog's notes and errors, and the progress line of a long load (opening.js).
  const status = h('div', { style: 'min-height:1.4em' }, err, msg);
  const fail = (t) => say(t, true);
  const copy = (t, what) => navigator.clipboard.writeText(t).then(() => say(tr('{0} copied.', what)), () => { fail(tr('Copy failed: select the text and copy it.')); });
  const cap = h('input', { type: 'text', maxlength: 300, placeholder: tr('Caption shown with the link (optional)'), 'aria-label': tr('Caption'), style: 'flex:1;min-width:200px' });
  cap.value = app.caption || '';   // the caption of the link this session came from, if any
  const out = h('input', { type: 'text', readonly: true, 'aria-label': tr('Link'), class: 'mono', style: 'flex:1;min-width:200px' });
  const link = async (embed) => {
    const L = await app.need('link');
    try {
      const url = await L.shareLink(app.world, { caption: cap.value.trim(), embed });
      window.__replscope.lastLink = url;
      return url;
    } catch (e) {
      fail(e.message || String(e));
      return null;
    }
  };
  const copyLink = async () => {
    const url = await link(false);
    if (!url) return;
    out.value = url;
    copy(url, tr('Link ({0} characters)', url.length));
  };
  const copyEmbed = async () => {
    const url = await link(true);
    if (!url) return;
    // The snippet is text the reader pastes into their post: built here as a string of
    // our own attributes around a URL whose payload is base64url (no quotes can occur),
    // then the height listener of docs/embedding.md with this page's origin.
    const snippet = `<iframe src="${url.replace(/"/g, '%22')}" title="${tr('replscope: Redis replication, simulated').replace(/["<>&]/g, '')}" width="100%" height="600" style="border:0;max-width:100%;display:block" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe>\n${heightScript(new URL(url).origin)}`;
    out.value = snippet;
    copy(snippet, tr('Embed code'));
  };
  // In a lesson, a link to the lesson itself (in the language shown) is often what a post wants.
  // It opens the lesson at its start, as a post's reader begins it: the step the address bar
  // keeps (`step=`) is for a reload, not for sharing.
  const lesson = app.ui.lazy.lessons?.cur;
  const copyLesson = async () => {
    const L = await app.need('link');
    const lv = app.ui.lazy.lessons.variant;
    out.value = `${L.baseUrl(false)}${fragment([`lesson=${lesson.id}`, lv && `variant=${lv}`].filter(Boolean))}`;
    copy(out.value, tr('Lesson link'));
  };
  const file = h('input', { type: 'file', accept: '.json,application/json', hidden: true, 'aria-label': tr('Session file') });
  file.addEventListener('change', async () => {
    const f = file.files[0];
    file.value = '';
    if (!f) return;
    const ex = await import('./export.js');
    if (await ex.importSession(app, f, status)) dlg.close();
  });
  const ta = h('textarea', { spellcheck: 'false', 'aria-label': tr('Scenario text') });
  ta.value = app.scenarioText();
  // After a rewind the text ends at the moment shown, while the link carries what was
  // recorded after it too: said above the text, and the whole session offered.
  const w = app.world, now = w.nowUs, end = w.extentUs;
  const statements = (t) => t.split('\n').filter((l) => l.trim()).length;
  const later = end > now ? Math.max(0, statements(app.scenarioText(true)) - statements(ta.value)) : 0;
  let whole = false;
  const scope = later ? h('p', { class: 'hint scn-scope', id: 'scn-scope', style: 'margin:0;color:var(--ink)' }) : null;
  const wholeBtn = later ? h('button', { class: 'btn', type: 'button', id: 'scn-whole', onclick: () => { whole = !whole; ta.value = app.scenarioText(whole); say(''); showScope(); } }) : null;
  const showScope = () => {
    if (!later) return;
    scope.textContent = whole
      ? tr('This text is the whole recorded session, to t = {0} s, as the link carries it: loaded, it runs to its end (the link opens at the moment shown, t = {1} s).', secs(end), secs(now))
      : later === 1 ? tr('This text runs to the moment shown (t = {0} s). The link also carries the statement recorded after it (to t = {1} s).', secs(now), secs(end))
        : tr('This text runs to the moment shown (t = {0} s). The link also carries the {1} statements recorded after it (to t = {2} s).', secs(now), later, secs(end));
    wholeBtn.textContent = whole ? tr('Show the text to the moment shown') : tr('Show the whole session (to t = {0} s)', secs(end));
  };
  showScope();
  dialog('export', tr('Share and export'),
    section(tr('Link'),
      h('p', { class: 'hint', style: 'margin:0' }, tr('The link carries the whole session (scenario, seed, every action at its instant, and the moment shown): it opens exactly this view.')),
      row(cap),
      row(h('button', { class: 'btn primary', type: 'button', id: 'copy-link', onclick: copyLink }, tr('Copy link')),
        h('button', { class: 'btn', type: 'button', id: 'copy-embed', onclick: copyEmbed }, tr('Copy embed code')),
        lesson ? h('button', { class: 'btn', type: 'button', id: 'copy-lesson', onclick: copyLesson }, tr('Copy lesson link')) : null, out)),
    section(tr('Files'),
      row(h('button', { class: 'btn', type: 'button', id: 'save-svg', onclick: () => import('./export.js').then((ex) => { ex.downloadSvg(app); say(tr('SVG saved.')); }) }, tr('Save the view as SVG')),
        h('button', { class: 'btn', type: 'button', id: 'save-json', onclick: () => import('./export.js').then((ex) => { try { ex.downloadSession(app); say(tr('Session saved.')); } catch (e) { fail(e.message || String(e)); } }) }, tr('Save the session (JSON)')),
        h('button', { class: 'btn', type: 'button', id: 'load-json', onclick: () => file.click() }, tr('Open a session file…')), file)),
    section(tr('Scenario'),
      h('p', { class: 'hint', style: 'margin:0' }, tr('It replays exactly: every statement at the instant it was applied. Edit it and load it.')), scope, ta,
      row(h('button', { class: 'btn', type: 'button', onclick: () => copy(ta.value, tr('Scenario')) }, tr('Copy')), wholeBtn,
        h('button', { class: 'btn', type: 'button', onclick: async () => {
          // Waits of a simulated minute or more load in steps (opening.js), their progress and
          // Stop here: an error keeps the text, to mend.
          say('');
          try {
            if (await app.openLong(ta.value, null, null, 'Your scenario', status)) dlg.close();
          } catch (e) {
            fail(trCore(String(e.message || e)));
          }
        } }, tr('Load this text')))),
    status);
}

export function showSeed(seed, reload) {
  const inp = h('input', { type: 'number', min: 0, step: 1, value: seed, 'aria-label': tr('Seed') });
  dialog('seed', tr('Seed'), h('p', { class: 'hint' }, tr('The seed drives every random choice (run ids, replication ids, start-up phases). The same scenario and seed always give the same bytes.')), inp,
    h('menu', null, h('button', { class: 'btn primary', type: 'button', onclick: () => { const v = Math.floor(+inp.value); if (v >= 0) reload(v); dlg.close(); } }, tr('Reload with this seed'))));
}
