// Settings: each node's replication parameters (changed with `NODE> CONFIG SET`) and
// each link's latency and bandwidth (changed with the `link` statement). Both go
// through the console, so they are logged and replayed like every other action.

import { h, fill, dur, rate, tr, secs } from './dom.js';
import { VERSIONS, versionOf, versionTitle } from './topology.js';

/** The version a `version NAME` first line gives the scenario's nodes, or ''. */
export function headVersion(text) {
  return /^version[ \t]+(\S+)[ \t]*\r?\n/.exec(text || '')?.[1] || '';
}

/**
 * The scenario with `version NAME` as its first line (replacing the one this page put
 * there): every node declared without its own `version=` runs NAME.
 */
export function withVersion(text, v) {
  const body = headVersion(text) ? text.replace(/^version[^\n]*\n/, '') : text;
  return `version ${v}\n${body}`;
}

/** The session's script with NODE's `node` line running version V (its own version= replaced). */
export function withNodeVersion(script, node, v) {
  const esc = node.replace(/[-]/g, '\\$&');
  return script.replace(new RegExp(`^(node[ \\t]+${esc})((?:[ \\t][^\\n]*)?)$`, 'm'),
    (_, head, rest) => `${head}${rest.replace(/[ \t]+version=\S+/gi, '')} version=${v}`);
}

const RELEVANT = /^(repl-|min-replicas|client-output-buffer-limit|save$|appendonly|replica-|masterauth|hz$|rdbcompression|lazyfree-lazy-expire)/;

/** A value as one redis-cli argument. */
function arg(v) {
  return v === '' || /[\s"'\\]/.test(v) ? `"${v.replace(/[\\"]/g, (c) => '\\' + c)}"` : v;
}

export class Settings {
  constructor(el, ui) {
    this.el = el;
    this.ui = ui;
    this.sig = '';
    this.node = '';
  }

  render(w) {
    if (this.el.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') return;
    const names = w.view.nodes.map((n) => n.name);
    // A node selected on the topology is the one shown (until another is picked here or there).
    const picked = this.ui.sel && this.ui.sel.type === 'node' ? this.ui.sel.name : '';
    if (picked !== this.picked) { this.picked = picked; if (names.includes(picked)) this.node = picked; }
    if (!names.includes(this.node)) this.node = picked || names[0] || '';
    const cfg = this.node ? w.pg.config(this.node) : [];
    const links = w.view.links.map((l) => [l.a, l.b, l.latency_us, l.bandwidth_bits_per_sec]);
    const vers = w.view.nodes.map((n) => n.version);
    const sig = JSON.stringify([names, this.node, cfg, links, tr('Links'), vers, w.text]);
    if (sig === this.sig) return;
    this.sig = sig;
    const pick = h('select', { 'aria-label': tr('Parameters of node'), onchange: (e) => { this.node = e.target.value; this.sig = ''; this.ui.dirty = true; } },
      names.map((n) => h('option', { value: n, selected: n === this.node }, n)));
    const rows = cfg.filter(([k]) => RELEVANT.test(k)).map(([k, v]) => {
      const input = h('input', { value: v, 'aria-label': k, spellcheck: 'false' });
      // The parameter and its value are Redis's (CONFIG GET prints them so).
      const row = h('tr', { 'data-redis': '' }, h('td', null, k), h('td', null, input));
      input.addEventListener('change', () => {
        if (input.value === v) return;
        this.sig = '';
        this.ui.run(`${this.node}> CONFIG SET ${k} ${arg(input.value)}`);
        input.blur();
      });
      input.addEventListener('input', () => row.classList.toggle('changed', input.value !== v));
      return row;
    });
    const lrows = w.view.links.map((l) => {
      const lat = h('input', { value: dur(l.latency_us), 'aria-label': tr('latency {0} ↔ {1}', l.a, l.b) });
      const bw = h('input', { value: rate(l.bandwidth_bits_per_sec), 'aria-label': tr('bandwidth {0} ↔ {1}', l.a, l.b) });
      const go = () => { this.sig = ''; this.ui.run(`link ${l.a} ${l.b} latency=${lat.value.trim()} bandwidth=${bw.value.trim()}`); };
      lat.addEventListener('change', go);
      bw.addEventListener('change', go);
      return h('tr', null, h('td', null, `${l.a} ↔ ${l.b}`), h('td', null, lat), h('td', null, bw));
    });
    fill(this.el,
      this.versions(w),
      h('div', null, h('h3', null, tr('Node parameters') + ' ', pick), h('p', { class: 'hint' }, tr('Edit and press Enter: the page sends CONFIG SET. A restart forgets it (no CONFIG REWRITE), as in Redis.')),
        cfg.length ? h('table', null, h('tbody', null, rows)) : h('p', { class: 'hint' }, tr('Not running.'))),
      h('div', null, h('h3', null, tr('Links')), h('p', { class: 'hint' }, tr('One-way latency (5ms, 250us) and bandwidth per direction (10mbit, 1gbit), in the scenario language.')),
        h('table', null, h('thead', null, h('tr', null, h('th', null, tr('link')), h('th', null, tr('latency')), h('th', null, tr('bandwidth')))), h('tbody', null, lrows))));
  }

  /**
   * Versions: the selected node's, and the whole cluster's. A server's version is fixed
   * when it starts, and the scenario language starts a node from its `node` line (which
   * cannot change once the node exists), so both pickers reload: the whole cluster's puts
   * `version X` first in the scenario; a node's replays this session with its line changed.
   */
  versions(w) {
    const node = w.node(this.node);
    // Redis 2.6 is a replica-only profile (SYNC, never PSYNC; its server side is 7.0's):
    // not offered where it would be a master (the whole cluster, a node that is one).
    const opts = (cur, master) => VERSIONS.filter((v) => !(master && v.replicaOnly) || v.id === cur)
      .map((v) => h('option', { value: v.id, selected: v.id === cur, title: versionTitle(v.id), 'data-redis': '' }, v.full));
    const head = headVersion(w.text);
    const all = new Set(w.view.nodes.map((n) => n.version));
    const cur = head || (all.size === 1 ? [...all][0] : '');
    const cluster = h('select', { id: 'ver-cluster', 'aria-label': tr('Version of the whole cluster') },
      cur ? null : h('option', { value: '', selected: true }, tr('mixed versions')), opts(cur, true));
    const go = h('button', { class: 'btn', id: 'ver-cluster-go', onclick: () => {
      const v = cluster.value;
      if (!v) return;
      this.reopen(withVersion(w.text, v), null, () => {
        this.ui.note(tr('Reloaded the scenario from its start with “version {0}” as its first line: every node whose line names no version runs {1}. Statements applied since it loaded are not replayed.', v, versionOf(v).full));
      });
    } }, tr('Reload with this version'));
    let mine = null;
    if (node) {
      const pick = h('select', { id: 'ver-node', 'aria-label': tr('Replay with {0} on', node.name) },
        h('option', { value: '', selected: true }, tr('Replay with {0} on…', node.name)), opts('', node.role === 'master').filter((o) => o.value !== node.version));
      pick.addEventListener('change', () => {
        const v = pick.value;
        if (!v) return;
        // The script starts after history dropped to bound memory: without its node lines
        // it would replay into an empty cluster.
        if (w.keptFromUs > 0) {
          pick.value = '';
          this.ui.con.print('err', tr('{0} cannot be replayed with another version: history before t = {1} s was dropped to bound memory, so this session cannot be rebuilt from its start. “Reload with this version” runs the scenario’s text instead.', node.name, secs(w.keptFromUs)));
          return;
        }
        pick.value = '';   // the panel says the version the node runs; a failed replay leaves it
        this.reopen(withNodeVersion(w.pg.script(), node.name, v), w.extentUs, () => {
          this.ui.note(tr('Replayed this session from its start with {0} on {1} (its node line now says version={2}); every other statement ran again at its instant.', node.name, versionOf(v).full, v));
        });
      });
      mine = h('p', null, h('b', null, tr('{0} runs', node.name) + ' '), h('span', { class: 'ver-name', 'data-redis': '' }, versionOf(node.version).full), ' ', pick);
    }
    return h('div', { class: 'ver-box' }, h('h3', null, tr('Versions')),
      mine,
      h('p', { class: 'hint' }, tr('A server’s version is fixed when it starts: in Redis an upgrade is a restart on the new binary (CONFIG SET cannot change it). Here a node starts from its node line, which cannot change once the node exists, so changing a version replays the session from its start.')),
      h('p', null, h('b', null, tr('Whole cluster') + ' '), cluster, ' ', go),
      h('p', { class: 'hint' }, tr('Reloads the scenario with “version X” as its first line, same seed: nodes whose line names a version keep it.')));
  }

  /**
   * Load `text` as a new session (the same seed), then `done()`. One that runs a simulated
   * minute or more (`us`; for a scenario's text, what its waits add up to) is built
   * in steps, the console saying how far it got and Stop giving it up (opening.js); the world
   * built is the one `new Playground(text)` builds, so its share link and Undo are the text's.
   */
  async reopen(text, us, done) {
    const O = await import('./opening.js');
    if (us == null) us = O.waitsUs(text);
    let built;
    if (us >= O.STEPPED_US) {
      try {
        built = await O.build(this.ui, text, this.ui.world.seed, 'Your scenario', us);
      } catch (e) {
        built = e instanceof Error ? e : new Error(String(e));
      }
      if (!built) return;   // stopped: said in the console
    }
    if (this.reopenNow(text, built) === true) done();
  }

  /**
   * Load `text` now; false (and why, in the console) if it cannot run. A `wait sync` that
   * never completes with the versions asked for (a 7.0 replica cannot load a newer
   * master's RDB file, and retries for ever) is what the reader wants to see, not an
   * error: the text is loaded up to that line, which becomes `wait 10s`, and a note says
   * so and what was left out ('cut' is returned then). `built`: the text's world built in
   * steps by opening.js, or the error its building threw.
   */
  reopenNow(text, built) {
    const ui = this.ui;
    const hadLesson = ui.lazy.lessons && ui.lazy.lessons.cur;
    let cut = false;
    try {
      if (built instanceof Error) throw built;
      ui.load(text, ui.world.seed, tr('Your scenario'), '', built);
    } catch (e) {
      const msg = String(e.message || e), m = /^line (\d+), column \d+: wait sync: (not in sync .*)$/.exec(msg);
      const lines = text.split('\n'), at = m ? Number(m[1]) - 1 : -1;
      if (!m || !/^wait\s+sync\b/.test(lines[at] || '')) {
        ui.con.print('err', msg);
        return false;
      }
      const left = lines.slice(at + 1).filter((l) => l.trim() && !l.trim().startsWith('#')).length;
      try {
        ui.load([...lines.slice(0, at), 'wait 10s'].join('\n') + '\n', ui.world.seed, tr('Your scenario'), '');
      } catch (e2) {
        ui.con.print('err', msg);
        return false;
      }
      cut = true;
      ui.con.print('err', tr('Line {0}, “wait sync”, never completes with these versions: {1}. The session was replayed up to it, and 10 simulated seconds ran in its place; {2} statements after it were not replayed. The Events tab and the PSYNC decision panel show why the replicas do not finish their sync.', at + 1, m[2], left));
    }
    if (hadLesson) ui.lazy.lessons.stop();
    ui.choose('custom');
    this.sig = '';
    ui.dirty = true;
    return cut ? 'cut' : true;
  }
}
