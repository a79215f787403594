// The page's tab panels, declared in one place. main.js builds the tab list and the panes
// from this list, loads a panel's module the first time its tab is opened, draws the
// panel shown each frame (`render(world)`) and asks every panel to redraw its words when
// the language changes (`relabel()`, if it has one). A new panel is its module, one entry
// here and its words in i18n.js.
//
// An entry:
//   id        the tab's id (`#tab-ID`, `#pane-ID`), also what a lesson step's `tab` names
//   title     the tab's label, in English (the translation key)
//   body      the pane's content, made once at start (ids the module draws into)
//   load      the module, fetched on first use (none: main.js draws it, like the event log)
//   make      builds the panel from its module: (module, ui, panels) => panel
//   log       a log pane: newest at the bottom, the event filters shown above it
//   needs     optional: what the panel reads from the world that the page does not keep
//             up to date anyway ('samples': offsets over time); main.js fetches it first

import { h } from './dom.js';

export const TABS = [
  {
    id: 'events', title: 'Events', log: true,
    body: () => h('div', { id: 'events', class: 'events mono' }),
  },
  {
    id: 'seq', title: 'Sequence', log: true,
    body: () => h('div', { id: 'seq', class: 'seq' }),
    load: () => import('./seq.js'),
    make: (m, ui, p) => new m.Seq(document.getElementById('seq'), p.events, ui),
  },
  {
    id: 'chart', title: 'Offsets',
    body: () => [h('canvas', { id: 'chart', role: 'img', 'aria-label': 'Offsets over time' }), h('div', { id: 'chart-legend', class: 'legend chart-legend' })],
    load: () => import('./chart.js'),
    make: (m, ui) => new m.Chart(document.getElementById('chart'), document.getElementById('chart-legend'), ui),
  },
  {
    id: 'info', title: 'INFO',
    body: () => h('pre', { id: 'info', class: 'info mono', tabindex: '0' }),
    load: () => import('./info.js'),
    make: (m, ui) => new m.Info(document.getElementById('info'), ui),
  },
  {
    id: 'settings', title: 'Settings',
    body: () => h('div', { id: 'settings', class: 'settings' }),
    load: () => import('./settings.js'),
    make: (m, ui) => new m.Settings(document.getElementById('settings'), ui),
  },
  {
    id: 'compare', title: 'Compare',
    body: () => h('div', { id: 'compare', class: 'compare' }),
    load: () => import('./compare.js'),
    make: (m, ui) => new m.Compare(document.getElementById('compare'), ui),
  },
];

/** The tab list and the panes, in English, in the order of TABS (the first is shown); i18n.js translates them. */
export function buildTabs(tablist, after) {
  const buttons = TABS.map((t, i) => h('button', {
    role: 'tab', id: `tab-${t.id}`, 'aria-controls': `pane-${t.id}`, 'aria-selected': String(i === 0), tabindex: i === 0 ? null : '-1',
  }, t.title));
  tablist.replaceChildren(...buttons);
  // What a panel draws, its panel translates (relabel): the language switch (i18n.js)
  // translates only the attributes of the elements marked data-dynamic, not their content.
  const panes = TABS.map((t, i) => {
    const body = [t.body()].flat();
    for (const el of body) el.setAttribute('data-dynamic', '');
    return h('div', { role: 'tabpanel', tabindex: '0', id: `pane-${t.id}`, 'aria-labelledby': `tab-${t.id}`, class: `pane${t.log ? ' pane-log' : ''}`, hidden: i !== 0 }, body);
  });
  after.after(...panes);
  return buttons;
}
