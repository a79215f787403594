// Diagnose: paste INFO from a real master and a real replica, see the PSYNC the replica
// would send next, the master's checks and verdict (rendered by the decision panel's own
// code) and the backlog's margins. The decision is the core's (crate/explain, through
// wasm's explain_info); this module adds words. Loaded on first use.
//
// Untrusted input: each paste is capped (64 KB, checked here and again in the core),
// read as text by the core (a control character refuses it), and shown only as text.

import init, { explain_info } from '../pkg/replscope.js';
import { $, h, fill, tr } from './dom.js';
import { Decisions } from './decisions.js';

/** The most the core reads from one paste (crate/explain/parse.rs MAX_PASTE_BYTES). */
export const MAX_PASTE = 64 * 1024;

// A capture from real redis-server 7.0.15 (tests/explain_samples/in-window.*): the
// replica was cut off, then the master took writes.
const EXAMPLE_ID = 'b3afdf8c6fff42e6d7f65a63b0fe868831aea92f';
const EXAMPLE_M = `# Server\nredis_version:7.0.15\ntcp_port:6379\n\n# Replication\nrole:master\nconnected_slaves:0\nmaster_failover_state:no-failover\nmaster_replid:${EXAMPLE_ID}\nmaster_replid2:0000000000000000000000000000000000000000\nmaster_repl_offset:2832\nsecond_repl_offset:-1\nrepl_backlog_active:1\nrepl_backlog_size:1048576\nrepl_backlog_first_byte_offset:1\nrepl_backlog_histlen:2832\n`;
const EXAMPLE_R = `# Server\nredis_version:7.0.15\ntcp_port:6380\n\n# Replication\nrole:slave\nmaster_host:10.0.0.1\nmaster_port:6379\nmaster_link_status:down\nmaster_last_io_seconds_ago:-1\nmaster_sync_in_progress:0\nslave_read_repl_offset:152\nslave_repl_offset:152\nmaster_link_down_since_seconds:4\nslave_priority:100\nslave_read_only:1\nreplica_announced:1\nconnected_slaves:0\nmaster_failover_state:no-failover\nmaster_replid:${EXAMPLE_ID}\nmaster_replid2:0000000000000000000000000000000000000000\nmaster_repl_offset:152\nsecond_repl_offset:-1\nrepl_backlog_active:1\nrepl_backlog_size:1048576\nrepl_backlog_first_byte_offset:1\nrepl_backlog_histlen:152\n`;

const WHO = { master: 'The master’s INFO', replica: 'The replica’s INFO', later: 'The master’s later INFO', options: 'The options' };
const RULE = {
  cached_master: 'The replica sends PSYNC {0} {1}: its cached master’s replid and slave_repl_offset + 1 (a replica keeps its master’s history when the link breaks).',
  own_history: 'This server is a master: made a replica (REPLICAOF), it offers its own history, PSYNC {0} {1} (its master_replid and master_repl_offset + 1).',
  no_cached_master: 'The replica has no cached master (it never synced, or its last full sync failed): it sends PSYNC ? -1.',
  full_sync_in_progress: 'A full sync is being transferred: the replica discarded its cached master, so if this one fails it sends PSYNC ? -1.',
};
const NOTE = {
  link_up: 'The replica’s link is up: this is what happens if the link breaks now and it reconnects at once.',
  via_replid2: 'It asks with the master’s replid2: the master was promoted, or restarted from its RDB (INFO does not say which).',
  master_is_replica: 'The master pasted is itself a replica: it answers from its own backlog.',
};
const NO_VERDICT = {
  master_link_down: 'No sync now: the master is itself a replica whose link to its own master is down, so it answers -NOMASTERLINK and the replica retries every second.',
  failing_over: 'No sync now: the master is failing over (-NOMASTERLINK).',
  cached_master_unknown: 'Cannot tell: slave_repl_offset:1 with master_repl_offset:1 reads the same with and without a cached master (PSYNC <replid> 2, or PSYNC ? -1).',
};

const num = (n) => String(n);
function dur(s) {
  if (s < 1) return tr('less than 1 s');
  if (s < 120) return tr('{0} s', s);
  if (s < 7200) return tr('{0} min {1} s', Math.floor(s / 60), s % 60);
  return tr('{0} h {1} min', Math.floor(s / 3600), Math.floor((s % 3600) / 60));
}
/** A duration estimated from a write rate: "about 5 s", or "less than 1 s" (not "about less than"). */
const about = (s) => (s < 1 ? dur(s) : tr('about {0}', dur(s)));

/** The message of a refused paste, in the page's language. */
function errorText(e) {
  const who = tr(WHO[e.paste] || WHO.options);
  const x = e.error;
  switch (x.kind) {
    case 'too_large': return tr('{0} is {1} bytes: at most {2} are read.', who, x.bytes, x.max);
    case 'control_character': return tr('{0} has a control character on line {1}: paste text only.', who, x.line);
    case 'not_info': return tr('{0} has no field:value line: paste the output of INFO replication.', who);
    case 'conflict': return tr('{0} gives {1} twice ({2}, then {3}): paste one server per box.', who, x.field, x.first, x.second);
    case 'missing': return tr('{0} has no {1}: paste the whole output of INFO replication.', who, x.field);
    case 'bad_value': return tr('{0}: {1}:{2} is not a value Redis prints there.', who, x.field, x.value);
    default: return tr('{0} cannot be read.', who);
  }
}

function margins(e) {
  const m = e.margin;
  if (!m) return null;
  // Negative: the replica holds more than the master (a master restarted with less
  // data, or another server); a backlog cannot help then, so no outage sizing is asked.
  const ahead = m.behind_bytes < 0;
  const rows = [ahead
    ? [tr('Ahead'), h('span', null, tr('the replica holds {0} bytes more than the master has (its offset is past master_repl_offset).', num(-m.behind_bytes)), ' ',
      h('b', null, tr('Did the master restart with less data, or without persistence?')), ' ',
      tr('Then this full resync replaces the replica’s dataset with the master’s: a master that came back empty empties its replicas (the lesson “Incident: a master without persistence restarts empty”). If this is the wrong master, stop here.'))]
    : [tr('Behind now'), tr('{0} bytes (master_repl_offset − what the replica has)', num(m.behind_bytes))]];
  if (m.slack_bytes != null && m.slack_bytes >= 0) {
    rows.push([tr('Room left'), tr('the master may write {0} more bytes before this PSYNC falls out of the backlog (repl-backlog-size {1}; Redis frees the backlog in 16 KB blocks, so give or take that).', num(m.slack_bytes), num(m.backlog_size))]);
  }
  if (m.rate) {
    rows.push([tr('Write rate'), m.rate.measured ? tr('{0} bytes/s (measured: {1} bytes in {2} s)', num(m.rate.bytes_per_s), num(m.rate.measured[0]), m.rate.measured[1]) : tr('{0} bytes/s', num(m.rate.bytes_per_s))]);
    if (m.slack_s != null) rows.push([tr('Time left'), tr('this replica may stay away {0} more.', about(m.slack_s))]);
    if (m.window_s != null) rows.push([tr('Backlog covers'), tr('an outage of {0} for a replica that was caught up.', about(m.window_s))]);
  }
  if (m.needed_config) {
    // A full-width parenthesis (Chinese) takes no space before it.
    const why = tr('({0} bytes: the writes of that outage)', num(m.needed_bytes));
    rows.push([tr('For a {0} outage', dur(m.outage_s)), h('span', null, h('code', { 'data-redis': '' }, m.needed_config), why.startsWith('（') ? '' : ' ', why)]);
  } else if (!m.rate && !ahead) rows.push([tr('Outage'), tr('Give a write rate (or paste the master’s INFO again later) to see how long an outage the backlog covers.')]);
  return h('dl', { class: 'dg-margin', style: 'display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:8px 0 0;font-size:13px' },
    rows.flatMap(([k, v]) => [h('dt', { style: 'font-weight:700' }, k), h('dd', { style: 'margin:0' }, v)]));
}

/** The explanation (or the refusal) as page elements. */
export function render(out) {
  if (!out || out.error) {
    return [h('p', { class: 'dg-error', role: 'alert', style: 'color:var(--down);font-weight:700;margin:0;overflow-wrap:anywhere' }, out ? errorText(out.error) : tr('Nothing to explain.'))];
  }
  const e = out.ok;
  const kids = [];
  const servers = [e.master_product, e.replica_product].some(Boolean)
    ? h('p', { class: 'hint', style: 'margin:0' }, tr('Master: {0}. Replica: {1}.', e.master_product || tr('version not pasted'), e.replica_product || tr('version not pasted'))) : null;
  kids.push(servers);
  if (e.psync) kids.push(h('p', { class: 'dg-psync', style: 'margin:0' }, tr(RULE[e.psync.rule], e.psync.replid, e.psync.offset)));
  for (const n of e.notes) {
    kids.push(h('p', { class: 'hint', style: 'margin:0' }, n.note === 'versions' ? tr('The servers differ: master {0}, replica {1}. The decision is Redis 7.0’s (unchanged in Redis 8.0 and Valkey 8.1).', n.master, n.replica) : tr(NOTE[n.note])));
  }
  if (e.decision) {
    const view = new Decisions(null, null, { acted: true }).explain({ decision: e.decision, node: tr('master') }, false, null);
    kids.push(closeCjk(h('div', { class: 'dg-decision' }, view)));
  } else if (e.no_verdict) {
    kids.push(h('p', { class: 'dg-verdict', style: 'font-weight:700;margin:0' }, tr(NO_VERDICT[e.no_verdict])));
  }
  kids.push(margins(e));
  kids.push(scenarioRow(out, e));
  return kids;
}

/**
 * The decision's text names its node with spaces around it, as a name like m wants in
 * Chinese too ("m 将 fork"); here the node is 主节点, and Chinese puts no space between
 * Chinese words: drop a space that has Chinese on both sides.
 */
function closeCjk(el) {
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) t.data = t.data.replace(/([\u3400-\u9fff]) (?=[\u3400-\u9fff])/g, '$1');
  return el;
}

/** "Open as a scenario": the core's scenario of the pasted world (crate/explain/scenario.rs). */
function scenarioRow(out, e) {
  if (!out.scenario) {
    const why = e.outcome === 'refused' ? 'No scenario: the master refuses to sync now; what it answers later depends on what it holds once its own link is back.'
      : !e.decision ? 'No scenario: these pastes do not tell which PSYNC the replica sends.'
      : 'No scenario: the master’s backlog holds more than the simulator seeds (64 MB).';
    return h('p', { class: 'hint dg-noscn', style: 'margin:0' }, tr(why));
  }
  return h('div', { style: 'display:flex;gap:8px;align-items:center;flex-wrap:wrap' },
    h('button', { id: 'dg-scn', class: 'btn', type: 'button', onclick: () => openScenario(out.scenario) }, tr('Open as a scenario')),
    h('span', { class: 'hint' }, tr('A simulated master and replica with these replication ids, offsets and backlog window (placeholder bytes, no keys); the replica reconnects, then it is yours to disconnect, write and reconnect.')));
}

let opener = null;

function openScenario(text) {
  if (!opener) return;
  dlg.close();
  opener(text, null, 'Opened from Diagnose', tr('disconnect m r, write on m (m> SET k v), reconnect m r, and watch the decision.'));
}

let dlg = null;
let state = { m: '', r: '', rate: '', outage: '', later: '', secs: '' };
let last = null;

function read() {
  const f = (id) => $(id).value;
  state = { m: f('dg-m'), r: f('dg-r'), rate: f('dg-rate'), outage: f('dg-outage'), later: f('dg-later'), secs: f('dg-secs') };
}

/** Explain what is pasted: refused here when too large, else by the core. */
export function run() {
  read();
  const big = [['master', state.m], ['replica', state.r], ['later', state.later]].find(([, t]) => t.length > MAX_PASTE);
  const n = (v) => (v.trim() === '' ? undefined : Number(v));
  if (big) last = { error: { paste: big[0], error: { kind: 'too_large', bytes: big[1].length, max: MAX_PASTE } } };
  else last = explain_info(state.m, state.r, n(state.rate), state.later || undefined, n(state.secs), n(state.outage));
  fill($('dg-out'), render(last));
  return last;
}

function body() {
  const area = (id, label, value) => h('label', { style: 'display:grid;gap:4px;font-size:13px;font-weight:700' }, label,
    h('textarea', { id, class: 'mono', rows: 9, maxlength: MAX_PASTE, spellcheck: 'false', autocomplete: 'off', style: 'width:100%;box-sizing:border-box;font-size:11.5px;resize:vertical;min-height:90px', placeholder: tr('# Replication\nrole:…\nmaster_replid:…') }, value));
  const small = (id, label, value, ph) => h('label', { style: 'display:flex;gap:6px;align-items:center;font-size:13px' }, label,
    h('input', { id, type: 'number', min: 0, step: 1, value, placeholder: ph, style: 'width:9em' }));
  const m = area('dg-m', tr('The master’s INFO'), state.m);
  const r = area('dg-r', tr('The replica’s INFO'), state.r);
  return [
    h('p', { class: 'hint', style: 'margin:0' }, tr('Paste the output of INFO (or INFO replication) from the master and from the replica: redis-cli’s text, the raw RESP reply or a monitoring export of its field:value lines. Nothing leaves this page.')),
    h('div', { style: 'display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:10px' }, m, r),
    h('div', { style: 'display:flex;gap:14px;flex-wrap:wrap;align-items:center' },
      small('dg-rate', tr('Write rate (bytes/s)'), state.rate, tr('optional')),
      small('dg-outage', tr('Outage to survive (s)'), state.outage, tr('optional'))),
    h('details', null, h('summary', { style: 'font-size:13px;cursor:pointer' }, tr('Measure the write rate: the master’s INFO again, some seconds later')),
      h('div', { style: 'display:grid;gap:6px;margin-top:6px' }, area('dg-later', tr('The master’s INFO, later'), state.later),
        small('dg-secs', tr('Seconds between the two pastes'), state.secs, tr('from uptime_in_seconds')))),
    h('div', { style: 'display:flex;gap:8px;flex-wrap:wrap' },
      h('button', { id: 'dg-go', class: 'btn primary', type: 'button', onclick: run }, tr('Explain')),
      h('button', { id: 'dg-example', class: 'btn', type: 'button', onclick: () => { $('dg-m').value = EXAMPLE_M; $('dg-r').value = EXAMPLE_R; run(); } }, tr('Paste an example'))),
    h('section', { id: 'dg-out', 'aria-live': 'polite', style: 'display:grid;gap:8px' }, last ? render(last) : null),
  ];
}

function draw() {
  fill($('dg-h'), tr('Will my replica resync partially?'));
  fill($('dg-body'), body());
  dlg.querySelector('menu button').textContent = tr('Close');
}

/** Open the dialog (made on first use). `open(text, seed, title, hint)` loads a
 *  scenario into the page (main.js's), for "Open as a scenario". */
export async function show(open) {
  if (open) opener = open;
  await init();
  if (!dlg) {
    dlg = h('dialog', { id: 'dg', 'aria-labelledby': 'dg-h', 'data-dynamic': '', style: 'width:min(900px,96vw);max-width:96vw' },
      h('form', { method: 'dialog', class: 'dlg' }, h('h2', { id: 'dg-h' }), h('div', { id: 'dg-body', style: 'display:grid;gap:10px' }),
        h('menu', null, h('button', { class: 'btn', value: 'close' }))));
    dlg.addEventListener('close', read);
    document.body.append(dlg);
  }
  draw();
  dlg.showModal();
}

/** The language changed: draw again, keeping what was pasted. */
export function relabel() {
  if (!dlg) return;
  if (dlg.open) read();
  draw();
}
