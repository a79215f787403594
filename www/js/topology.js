// The topology: nodes as cards, network paths as wires, and the bytes in flight drawn
// where they physically are. A message occupies the stretch of its link between its
// first bit (sent at tx_start, arriving one latency later) and its last bit (tx_end):
// a big RDB becomes a long parcel, a command a dot, and a partial resync's backlog a
// thin dotted stream, so the two kinds of sync never look alike. A two-connection full
// sync (Redis 8.0's rdb channel) draws its second connection as a second line beside the
// link, the RDB on it, the stream on the main one, and the replica's full-sync buffer as
// a gauge on its card.

import { s, v, fill, patch, setText, short, msgLabel, tr } from './dom.js';
import { heldStacks, heldText, pill, pillWidth, PILL_H } from './held.js';
import { offsetOneWords } from './decisions.js';

const CARD = { w: 192, h: 92 };
const SMALL = { w: 118, h: 62 };
// A lesson about ids (ui.showIds) never hides them: replid, replid2 and run_id each get
// a line, on cards as narrow as the row needs.
const IDS = { w: 192, h: 106 };
// An embed's topology in a box too short for small cards at full scale (a phone's 375×420
// frame with a lesson bar and edit=1's actions leaves it 100–145 px): one line per card,
// the name, the version and the offset, so the text stays at 11 px where the drawing would
// otherwise be scaled down to fit (8.5 px). The state line is left to the link's tag (it
// says the same: online, partitioned, full sync and its RDB bytes), the card's tooltip and
// its label. TINY_H_MAX: below this box height (the viewBox's floor) tiny cards are used.
const TINY = { w: 240, h: 32 };
const TINY_H_MAX = 160;
// Room between two rows of tiny cards for a link's one-line tag (17 px), and above and below.
const TINY_GAP = 22, TINY_PAD = 4;
// The least room between two rows of cards on a laptop (layout(): the grid's row grows to it).
const ROW_GAP = 8;
// How far the rdb channel's line runs beside its link's main line, in px.
const LANE = 22;
// Where a held stack's pill may go when no spot beside the wire is free: [dy, dx] in px
// from the stack's far end, nearest first (4 px steps down and up, then sideways).
const PILL_SPOTS = [0, 20, 40].flatMap((dx) => [0, 4, 8, -4, 12, -8, 16, -12, 20, -16, 24, -20, 28, -24, 32].map((dy) => [dy, dx]));

/**
 * The server versions the core models (crate/version.rs), in the order the pickers list
 * them: the scenario spelling, the card's short label, the full name (the servers measured).
 */
export const VERSIONS = [
  { id: 'redis-7.0', short: '7.0', full: 'Redis 7.0.15' },
  { id: 'redis-8.0', short: '8.0', full: 'Redis 8.0.2' },
  { id: 'valkey-8.1', short: 'Valkey 8.1', full: 'Valkey 8.1.1' },
  { id: 'redis-2.6', short: '2.6', full: 'Redis 2.6', replicaOnly: true },
];
export const versionOf = (id) => VERSIONS.find((v) => v.id === id) || { id, short: id, full: id };
/** A version's tooltip: its full name (Redis's words), and what Redis 2.6 does (the page's, translated). */
export const versionTitle = (id) => {
  const v = versionOf(id);
  return v.replicaOnly ? tr('{0}: a replica that syncs with SYNC, never PSYNC', v.full) : v.full;
};

/** Width in px of a label at about 10–11 px: CJK characters are twice as wide. */
export function textWidth(t, px = 6.1) {
  let n = 0;
  for (const ch of t) n += ch.charCodeAt(0) > 0x2e80 ? px * 1.8 : px;
  return n;
}

export class Topology {
  constructor(svg, ui) {
    this.svg = svg;
    this.ui = ui;
    this.W = 600;
    this.H = 300;
    this.pos = new Map();
    this.sig = '';
    this.cards = new Map();
    this.links = new Map();
    this.gLinks = s('g');
    // The bytes in flight pass under the links' tags (a clip with a hole at each tag, set
    // where the tags are placed): under a write load the dots covered their words.
    this.clipPath = s('path', { 'clip-rule': 'evenodd', 'fill-rule': 'evenodd' });
    this.gMsgs = s('g', { class: 'msgs', 'aria-hidden': 'true', 'clip-path': 'url(#topo-under-tags)' });
    this.gNodes = s('g');
    // Message labels above the cards, so one near a card's edge stays readable.
    this.gLabels = s('g', { class: 'msg-labels', 'aria-hidden': 'true' });
    svg.append(s('defs', null, s('clipPath', { id: 'topo-under-tags' }, this.clipPath)), this.gLinks, this.gMsgs, this.gNodes, this.gLabels);
    new ResizeObserver(() => this.resize()).observe(svg.parentElement);
    this.resize();
  }

  resize() {
    const r = this.svg.parentElement.getBoundingClientRect();
    this.boxH = Math.round(r.height);
    this.boxW = Math.max(200, Math.round(r.width));
    this.W = Math.max(this.boxW, this.wideNeed || 0);
    // Tiny cards (an embed's short box) need less than the floor: their own (layout()).
    this.H = this.tiny ? Math.max(this.tinyNeed, this.boxH) : Math.max(TINY_H_MAX, this.boxH, this.scrollNeed || 0);
    this.svg.setAttribute('viewBox', `0 0 ${this.W} ${this.H}`);
    this.sig = '';
    this.ui.dirty = true;
  }

  /** Replication tree in rows: masters on top, each replica one row below its master. */
  layout(view) {
    this.laidOut = (this.laidOut || 0) + 1;   // the links' drawing depends on the places (renderLinks)
    const depth = new Map();
    const byName = new Map(view.nodes.map((n) => [n.name, n]));
    // Replicas of each other (a loop, NodeView.problem) have no top: the walk stops where
    // it came back, and empty rows are dropped, so the loop's nodes stack one per row.
    const walking = new Set();
    const d = (n) => {
      if (depth.has(n.name)) return depth.get(n.name);
      if (walking.has(n.name)) return -1;
      walking.add(n.name);
      const m = n.master_host && byName.get(n.master_host);
      const v = m ? d(m) + 1 : 0;
      depth.set(n.name, v);
      return v;
    };
    const tiers = [];
    for (const n of view.nodes) (tiers[d(n)] ||= []).push(n.name);
    const rows = tiers.filter(Boolean);
    const widest = Math.max(...rows.map((r) => r.length));
    this.ids = !!this.ui.showIds;
    this.small = !this.ids && (widest * (CARD.w + 16) > this.boxW || rows.length * (CARD.h + 34) > this.H);
    // A row wider than the box holds at its narrowest cards (five replicas on a 375 px
    // phone): the drawing keeps them whole, apart, and scrolls sideways in its box (its
    // links stay straight from each master to its replicas).
    const narrowest = this.ids ? 162 : this.small ? 104 : 0;
    const wide = narrowest && widest * narrowest > this.boxW ? widest * narrowest : 0;
    this.wideNeed = wide;
    const W = Math.max(this.boxW, wide);
    const svgW = wide ? `${wide}px` : '';
    if (this.svg.style.width !== svgW) this.svg.style.width = svgW;
    this.svg.parentElement.classList.toggle('scrolls-x', !!wide);
    // An embed's box shorter than the viewBox's floor (which scaled the drawing down): tiny
    // cards, in a viewBox as high as the box (or as they need, if more: scaled, as before).
    this.tiny = this.small && this.boxH < TINY_H_MAX && document.documentElement.classList.contains('embed');
    this.tinyNeed = rows.length * TINY.h + (rows.length - 1) * TINY_GAP + 2 * TINY_PAD;
    // Full cards with their ids in the one-panel embed (a lesson about ids at 375×420): the
    // panel cannot grow, as it does elsewhere (below), so the drawing keeps their height and
    // scrolls in its box (more.css), rather than push the actions out of the frame and cut
    // the replicas off.
    // Tiny cards in a box shorter than they need (a 320×240 frame with a lesson and edit=1
    // leaves it ~60 px) do the same, rather than scale their 11 px text down to 7 px.
    const one = document.documentElement.classList.contains('e-one');
    this.scrollNeed = !one ? 0 : this.ids ? rows.length * (IDS.h + 30) + 10 : this.tiny ? this.tinyNeed : 0;
    // On a laptop the drawing is never shorter than its rows of cards (below): where the grid
    // cannot give the row that much (a short window), it is scaled down rather than cut.
    const desk = innerWidth > 860 && !document.documentElement.classList.contains('embed');
    const pad = this.tiny ? TINY_PAD : 10;
    const cardH = this.ids ? IDS.h : this.small ? SMALL.h : CARD.h;
    const floorH = desk ? rows.length * cardH + (rows.length - 1) * ROW_GAP + 2 * pad : 0;
    const H = this.tiny ? Math.max(this.tinyNeed, this.boxH) : Math.max(TINY_H_MAX, this.boxH, this.scrollNeed, floorH);
    const svgH = this.scrollNeed > this.boxH ? `${this.scrollNeed}px` : '';
    if (this.svg.style.height !== svgH) this.svg.style.height = svgH;
    this.svg.parentElement.classList.toggle('scrolls', !!svgH);
    this.svg.classList.toggle('tiny', this.tiny);
    if (H !== this.H || W !== this.W) {
      this.H = H;
      this.W = W;
      this.svg.setAttribute('viewBox', `0 0 ${this.W} ${this.H}`);
    }
    // Small cards narrow further rather than overlap (six nodes at 1024×768: five in a row).
    const c = (this.card = this.ids ? { w: Math.max(150, Math.min(IDS.w, Math.floor(this.W / widest) - 12)), h: IDS.h }
      : this.tiny ? { w: Math.max(96, Math.min(TINY.w, Math.floor(this.W / widest) - 8)), h: TINY.h }
      : this.small ? { w: Math.max(96, Math.min(SMALL.w, Math.floor(this.W / widest) - 8)), h: SMALL.h } : CARD);
    // Full cards need their height: the panel grows to fit them rather than hide the ids
    // (the observer then lays the cards out again in the taller box).
    // On a phone (the page stacked, not embedded) the panel grows with the rows too: with
    // its desktop height two rows of cards left ~40 px between them, and the labels of
    // the link, the RDB and the buffers piled up there.
    const stacked = innerWidth <= 860 && !document.documentElement.classList.contains('embed');
    // Taller still when the links' tags need more room between two rows than that gives them
    // (tagRoom, renderLinks: tags beside their wires, one above the other).
    this.stacked = stacked;
    // On a laptop (the page's grid, not stacked) the box cannot grow past its grid row (the
    // panel clips it): the row itself is asked for the cards' height instead (--topo-need,
    // style.css: floorH above), rows as close as ROW_GAP when the screen is short (a
    // lesson's bar above took the room: replication-id's r2 was cut off at 1440×900), the
    // tags then beside the cards.
    const need = desk ? '' : this.ids && !one ? `${rows.length * (IDS.h + 30) + 10}px` : stacked && rows.length > 1 ? `${rows.length * (c.h + 64) + (rows.length - 1) * (this.tagRoom || 0) + 20}px` : '';
    if (this.svg.parentElement.style.minHeight !== need) this.svg.parentElement.style.minHeight = need;
    const grid = this.svg.closest('.grid');
    if (grid) {
      let topoNeed = '';
      if (desk) {
        const panel = this.svg.closest('.panel'), ph = panel.getBoundingClientRect().height, wh = this.svg.parentElement.getBoundingClientRect().height;
        // The panel's header, border and actions bar: what it holds besides the drawing.
        if (ph > 0) topoNeed = `${Math.ceil(floorH + ph - wh)}px`;
      }
      if (grid.style.getPropertyValue('--topo-need') !== topoNeed) grid.style.setProperty('--topo-need', topoNeed);
    }
    const top = pad + c.h / 2, bottom = this.H - pad - c.h / 2;
    const gap = rows.length > 1 ? (bottom - top) / (rows.length - 1) : 0;
    rows.forEach((row, i) => {
      row.forEach((name, j) => {
        const x = (this.W * (j + 0.5)) / row.length;
        this.pos.set(name, { x: Math.round(x), y: Math.round(rows.length > 1 ? top + gap * i : this.H / 2) });
      });
    });
  }

  render(w) {
    const view = w.view;
    const sig = view.nodes.map((n) => `${n.name}<${n.master_host || ''}`).join() + '|' + view.links.map((l) => l.a + l.b).join() + (this.ui.showIds ? '|ids' : '');
    if (sig !== this.sig) {
      // The room kept for the tags grows with them and stays while the nodes and links do
      // (so the panel does not jump back and forth as a tag's words change).
      if (sig !== this.roomSig) { this.roomSig = sig; this.tagRoom = 0; }
      this.sig = sig;
      this.layout(view);
      this.rebuild(view);
    }
    // Bytes of an RDB that have reached the replica so far, interpolated from the
    // message in flight (the core counts them only when the segment is delivered).
    this.rdbIn = new Map();
    for (const m of view.messages) {
      if (m.kind !== 'rdb' || m.held) continue;
      const lat = m.arrive_us - m.tx_end_us, tx = Math.max(1, m.tx_end_us - m.tx_start_us);
      const got = Math.round(m.len * clamp((view.t_us - m.tx_start_us - lat) / tx));
      const prev = this.rdbIn.get(m.to) || { got: 0, len: 0 };
      this.rdbIn.set(m.to, { got: prev.got + got, len: prev.len + m.len });
    }
    this.chan = rdbChannels(view);
    this.renderLinks(w);
    this.renderNodes(w);
    this.renderMessages(w);
  }

  rebuild(view) {
    // The links are made anew and the cards re-appended, which drops the keyboard focus
    // (the panel resizes when a selection changes the actions under it): put it back.
    const f = document.activeElement;
    const had = f && this.svg.contains(f) ? { ...f.dataset } : null;
    for (const [name, c] of this.cards) if (!view.nodes.some((n) => n.name === name)) { c.g.remove(); this.cards.delete(name); }
    fill(this.gLinks);
    this.links.clear();
    for (const l of view.links) {
      const key = `${l.a}|${l.b}`;
      const wire = s('path', { class: 'wire' });
      const tagText = s('text', { 'text-anchor': 'middle', dy: '3.5' });
      const tagText2 = s('text', { 'text-anchor': 'middle', dy: '3.5', class: 'tag2' });
      const tagText3 = s('text', { 'text-anchor': 'middle', dy: '3.5', class: 'tag2' });
      const tagRect = s('rect', { rx: 4, height: 17 });
      const tag = s('g', { class: 'tag' }, tagRect, tagText, tagText2, tagText3);
      // The rdb channel's own line and the two lines' names, shown only while it exists.
      const wire2 = s('path', { class: 'wire wire-rdb', visibility: 'hidden' });
      const lane = (ink) => s('text', { class: 'lane-lab', 'text-anchor': 'middle', visibility: 'hidden', style: `fill: ${ink}; font-size: 11px; font-weight: 700; paint-order: stroke; stroke: var(--panel); stroke-width: 3px` });
      const lab1 = lane('var(--stream)'), lab2 = lane('var(--full)');
      // The hit area: along the wire, and the stretch between the wire and its tag (which
      // stands beside it), so a click between them, or at the middle of the pair, picks it.
      const hull = s('path', { class: 'hull', fill: 'transparent' });
      const g = s('g', { class: 'linkg', tabindex: 0, role: 'button', 'data-link': key }, s('path', { class: 'hit' }), hull, wire, wire2, lab1, lab2, tag);
      const pick = () => this.ui.select({ type: 'link', a: l.a, b: l.b });
      g.addEventListener('click', pick);
      g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
      this.gLinks.append(g);
      this.links.set(key, { g, hull, wire, wire2, lab1, lab2, tag, texts: [tagText, tagText2, tagText3], tagRect, last: '' });
    }
    for (const n of view.nodes) {
      let c = this.cards.get(n.name);
      if (!c) {
        c = this.makeCard(n.name);
        this.cards.set(n.name, c);
      }
      this.gNodes.append(c.g);
      c.sized = false;
    }
    const back = had && (had.link ? this.links.get(had.link) : this.cards.get(had.node))?.g;
    if (back && document.activeElement !== back) back.focus({ preventScroll: true });
  }

  makeCard(name) {
    const t = (attrs) => s('text', attrs);
    const c = {
      rect: s('rect', { class: 'card', rx: 8 }),
      badge: s('g'),
      ver: s('g', { class: 'ver' }),
      name: t({ class: 'nm', 'font-weight': '700', 'font-size': '13' }),
      role: t({ class: 'muted', 'text-anchor': 'end' }),
      off: t({ class: 'mono' }),
      ids: t({ class: 'mono muted' }),
      ids2: t({ class: 'mono muted' }),
      run: t({ class: 'mono muted' }),
      st: t({ class: 'mono' }),
      buf: s('g', { class: 'fsbuf', visibility: 'hidden' }),
      progBg: s('rect', { class: 'prog-bg', height: 4, rx: 2 }),
      prog: s('rect', { class: 'prog', height: 4, rx: 2 }),
      vals: {},
    };
    c.g = s('g', { class: 'node', tabindex: 0, role: 'button', 'data-node': name }, c.rect, c.badge, c.ver, c.name, c.role, c.off, c.ids, c.ids2, c.run, c.st, c.buf, c.progBg, c.prog);
    const pick = () => this.ui.select({ type: 'node', name });
    c.g.addEventListener('click', pick);
    c.g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
    return c;
  }

  renderNodes(w) {
    const sel = this.ui.sel;
    const small = this.small, tiny = this.tiny, ids = this.ids, cw = this.card.w, ch = this.card.h;
    for (const n of w.view.nodes) {
      const c = this.cards.get(n.name), p = this.pos.get(n.name);
      if (!c || !p) continue;
      if (!c.sized || c.x !== p.x || c.y !== p.y) {
        c.sized = true; c.x = p.x; c.y = p.y;
        const x0 = p.x - cw / 2, y0 = p.y - ch / 2;
        c.g.setAttribute('transform', `translate(${x0} ${y0})`);
        c.rect.setAttribute('width', cw); c.rect.setAttribute('height', ch);
        const L = 28, line = small ? 13 : 14;
        set(c.name, 'x', L); set(c.name, 'y', 18);
        set(c.role, 'x', cw - 8); set(c.role, 'y', 18);
        // A tiny card's offset is on its one line, at its right end.
        set(c.off, 'x', tiny ? cw - 8 : 8); set(c.off, 'y', tiny ? 18 : 18 + line + 2);
        set(c.off, 'text-anchor', tiny ? 'end' : 'start');
        const k = ids ? 1 : 0;
        set(c.ids, 'x', 8); set(c.ids, 'y', 18 + 2 * line + 2);
        set(c.ids2, 'x', 8); set(c.ids2, 'y', 18 + 3 * line + 2);
        set(c.run, 'x', 8); set(c.run, 'y', 18 + (3 + k) * line + 2);
        set(c.st, 'x', 8); set(c.st, 'y', small ? 18 + 2 * line + 2 : 18 + (4 + k) * line + 2);
        set(c.progBg, 'x', 8); set(c.progBg, 'y', ch - 7); set(c.progBg, 'width', cw - 16);
        set(c.prog, 'x', 8); set(c.prog, 'y', ch - 7);
      }
      const master = n.role === 'master';
      const stopped = n.status !== 'running';
      const cls = `node ${master ? 'master' : 'replica'}${stopped ? ' stopped' : ''}${sel && sel.type === 'node' && sel.name === n.name ? ' sel' : ''}`;
      set(c.g, 'class', cls);
      const badgeKey = master ? 'M' : 'R';
      if (c.vals.badge !== badgeKey) {
        c.vals.badge = badgeKey;
        // Shape and letter together: a square for a master, a circle for a replica.
        fill(c.badge, master
          ? s('rect', { x: 6, y: 6, width: 17, height: 17, rx: 2, fill: 'var(--ink)' })
          : s('circle', { cx: 14.5, cy: 14.5, r: 8.5, fill: 'none', stroke: 'var(--ink)', 'stroke-width': 1.6 }),
        s('text', { x: 14.5, y: 18.5, 'text-anchor': 'middle', class: master ? 'badge inv' : 'badge' }, badgeKey));
      }
      txt(c, 'name', n.name);
      this.versionBadge(c, n);
      // A small card has no room beside the name and the version: its state line says it.
      txt(c, 'role', small ? '' : stopped ? tr(n.status) : tr(n.role));
      const off = master ? n.master_repl_offset : n.slave_repl_offset ?? 0;
      const read = !master && n.slave_read_repl_offset != null && n.slave_read_repl_offset !== off ? tr(' read {0}', n.slave_read_repl_offset) : '';
      // Redis 8.0's rdb channel: the stream that arrives during the transfer waits here,
      // on the replica (its full-sync buffer), until the RDB is loaded. The gauge takes
      // the run_id line (the offset line on a small card, where the offset is still 0).
      const fsb = stopped || n.full_sync_buffer == null ? null : tr('buffered here: {0} B', n.full_sync_buffer);
      const line = small ? 13 : 14;
      // A tiny card's gauge keeps clear of the version (the link's tag says what waits where).
      const gauge = tiny && textWidth(tr('buffer {0} B', n.full_sync_buffer), 6.7) + 12 > cw - 9 - (c.verEnd || 60) ? `${n.full_sync_buffer} B` : tr('buffer {0} B', n.full_sync_buffer);
      this.bufGauge(c, fsb && small ? gauge : fsb, tiny ? 18 : small ? 18 + line + 2 : 18 + (3 + (ids ? 1 : 0)) * line + 2, cw, tiny);
      // A small card names the offset too when the line holds it (a bare number puzzled
      // learners on a phone); a replica's " read N" beside it may leave only the numbers.
      const offText = tr('offset {0}', off) + read;
      // On a tiny card the offset has the room the name and the version leave it.
      const room = tiny ? cw - 8 - (c.verEnd || 60) - 8 : cw - 14;
      txt(c, 'off', stopped ? (n.has_rdb ? tr('dump.rdb on disk') : tr('no RDB file')) : small && fsb ? '' : small && textWidth(offText, 6.7) > room ? (tiny && textWidth(`${off}${read}`, 6.7) > room ? `${off}` : `${off}${read}`) : offText);
      const id2 = n.replid2 !== '0'.repeat(40) && n.replid2 ? short(n.replid2) : '';
      // With ids shown (a lesson about them), replid2 has its own line, zeros included.
      const idsText = stopped || small ? '' : ids ? `replid ${short(n.replid)}` : `replid ${short(n.replid)}${id2 ? ' / ' + id2 : ''}`;
      txt(c, 'ids', idsText);
      // replid and replid2 on one line (29 characters, ~192 px) are pressed into the card.
      // Measured when the line or the card's width changes, not every frame (the card's memo).
      if (c.idsFit?.text !== idsText || c.idsFit.cw !== cw) c.idsFit = { text: idsText, cw, press: textWidth(idsText, 6.7) > cw - 16 ? String(cw - 16) : null };
      const press = c.idsFit.press;
      if (c.vals.press !== press) {
        c.vals.press = press;
        if (press) c.ids.setAttribute('textLength', press);
        else c.ids.removeAttribute('textLength');
        c.ids.setAttribute('lengthAdjust', 'spacingAndGlyphs');
      }
      txt(c, 'ids2', ids && !stopped ? `replid2 ${id2 || '0000…0000'}` : '');
      txt(c, 'run', stopped || small || fsb ? '' : `run_id ${short(n.run_id)}`);
      const inflight = this.rdbIn.get(n.name);
      const [stText, stCls] = tiny ? ['', ''] : nodeState(n, inflight, small, small ? Math.floor((cw - 14) / 6.7) : 27);
      txt(c, 'st', stText);
      set(c.st, 'class', `mono ${stCls}`);
      // A small card's line may leave out what the full card says (a master's backlog size,
      // in English and in Chinese alike): the whole line is the card's tooltip and in its label.
      // A replica at offset 1 with no master client yet (before its first RDB is loaded)
      // says why in the tooltip too (decisions.js says it in the panel).
      const stFull = small ? nodeState(n, inflight, false)[0] : stText;
      const one = !master && !stopped && n.link_state !== 'connected' && off === 1 ? offsetOneWords([n.name]) : '';
      const cut = stFull !== stText && (!master || !!n.backlog);   // '0 repl.' for 'no replicas' leaves nothing out
      const tip = [cut ? stFull : '', one].filter(Boolean).join('\n');
      if (tip) {
        if (!c.tip) c.g.prepend(c.tip = s('title'));
        txt(c, 'tip', tip);
      } else if (c.tip) { c.tip.remove(); c.tip = null; c.vals.tip = undefined; }
      const t = n.transfer;
      const frac = !t ? -1 : inflight ? inflight.got / inflight.len : t.total ? Math.min(1, t.read / t.total) : 1;
      set(c.progBg, 'visibility', frac < 0 ? 'hidden' : 'visible');
      set(c.prog, 'visibility', frac < 0 ? 'hidden' : 'visible');
      if (frac >= 0) set(c.prog, 'width', Math.max(2, Math.round((cw - 16) * frac)));
      const label = tr('{0}, {1}', tr('{0}, {1}, {2}, offset {3}, {4}', n.name, tr(n.role), tr(n.status), off, stFull), versionOf(n.version || 'redis-7.0').full);
      set(c.g, 'aria-label', fsb ? tr('{0}, {1}', label, fsb) : label);
    }
  }

  /** The replica's full-sync buffer (Redis 8.0's rdb channel) as a tinted gauge on line `y`. */
  bufGauge(c, text, y, cw, right = false) {
    const key = `${text}|${y}|${cw}|${right}`;
    if (c.vals.buf === key) return;
    c.vals.buf = key;
    set(c.buf, 'visibility', text ? 'visible' : 'hidden');
    if (!text) { fill(c.buf); return; }
    const w = Math.min(cw - 12, textWidth(text, 6.7) + 12);
    // On a tiny card's one line, at its right end (in the offset's place).
    const x = right ? Math.max(5, cw - 5 - w) : 5;
    fill(c.buf,
      s('rect', { x, y: y - 11, width: w, height: 15, rx: 3, fill: 'var(--full-bg)', stroke: 'var(--full)', 'stroke-width': 1 }),
      s('text', { x: x + 6, y, class: 'mono', style: 'fill: var(--full); font-size: 11px; font-weight: 700' }, text));
  }

  /**
   * The version, quiet, right after the name: a pill with the short label ("7.0",
   * "Valkey 8.1"), the full name as its tooltip. Valkey's pill is drawn in its own colour
   * and filled, the replica-only Redis 2.6 dashed, so they stand out from Redis 7.0 and 8.0.
   */
  versionBadge(c, n) {
    const v = versionOf(n.version || 'redis-7.0');
    const key = `${v.id}|${n.name}|${versionTitle(v.id)}`;
    if (c.vals.ver === key) return;
    c.vals.ver = key;
    const valkey = v.id.startsWith('valkey');
    const w = textWidth(v.short, 5.6) + 8, x = 28 + textWidth(n.name, 8.5) + 6;
    c.verEnd = x + w;   // where a tiny card's offset may start
    const ink = valkey ? 'var(--n3)' : 'var(--muted)';
    c.ver.setAttribute('data-version', v.id);
    fill(c.ver,
      s('title', { 'data-redis': v.replicaOnly ? null : '' }, versionTitle(v.id)),
      s('rect', { x, y: 8.5, width: w, height: 13, rx: 6.5, fill: valkey ? 'var(--panel)' : 'none', stroke: ink, 'stroke-width': valkey ? 1.2 : 0.8, 'stroke-dasharray': v.replicaOnly ? '2 2' : null, 'stroke-opacity': valkey ? 1 : 0.7 }),
      s('text', { x: x + w / 2, y: 18, 'text-anchor': 'middle', 'font-size': 9.5, fill: ink, 'data-redis': '' }, v.short));
  }

  /** The rdb channel between nodes a and b (either way round), or null. */
  chanOf(a, b) {
    const x = this.chan.get(b);
    if (x && x.master === a) return x;
    const y = this.chan.get(a);
    return y && y.master === b ? y : null;
  }

  /** The visible stretch of a link: from the edge of one card to the edge of the other. */
  ends(a, b) {
    const p = this.pos.get(a), q = this.pos.get(b);
    if (!p || !q) return null;
    const dx = q.x - p.x, dy = q.y - p.y;
    const len = Math.hypot(dx, dy) || 1;
    const hw = this.card.w / 2 + 3, hh = this.card.h / 2 + 3;
    // Where the ray from one centre to the other leaves the card (a fraction of the way).
    const k = Math.min(hw / Math.abs(dx || 1e-9), hh / Math.abs(dy || 1e-9), 0.45);
    return { x0: p.x + dx * k, y0: p.y + dy * k, x1: q.x - dx * k, y1: q.y - dy * k, nx: -dy / len, ny: dx / len };
  }

  renderLinks(w) {
    const view = w.view, sel = this.ui.sel;
    // Links sharing an end fan out: their tags alternate nearer and farther along the
    // wire so they do not sit side by side, and say less when there are many.
    const fan = new Map(), order = new Map(), place = new Map();
    for (const l of view.links) for (const e of [l.a, l.b]) fan.set(e, (fan.get(e) || 0) + 1);
    for (const l of view.links) {
      const hub = (fan.get(l.a) || 0) >= (fan.get(l.b) || 0) ? l.a : l.b;
      const k = order.get(hub) || 0;
      order.set(hub, k + 1);
      place.set(l, { stagger: fan.get(hub) > 3 ? (k % 2 ? 0.16 : -0.06) : 0, crowded: fan.get(hub) > 3 });
    }
    // Everything the wires, their tags and the tags' places are drawn from: under a write
    // load the words change about once a second (an ACK), the frames 60 times (each one
    // placed every tag again, covering tests and all, and compared each attribute).
    let key = `${this.laidOut}|${this.W}|${this.H}|${this.ui.lang}|${sel ? `${sel.type}:${sel.name || `${sel.a}|${sel.b}`}` : ''}`;
    for (const l of view.links) {
      const ch = this.chanOf(l.a, l.b);
      key += `\n${l.a}|${l.b}|${l.latency_us}|${ch ? ch.master : ''}|${linkState(w, l, this.W < 520 || place.get(l).crowded, this.rdbIn).join('|')}`;
    }
    if (key === this.linksKey) return;
    this.linksKey = key;
    const tags = [], laneLabs = [];
    for (const l of view.links) {
      const L = this.links.get(`${l.a}|${l.b}`);
      const e = this.ends(l.a, l.b);
      if (!L || !e) continue;
      const d = `M${e.x0.toFixed(1)} ${e.y0.toFixed(1)}L${e.x1.toFixed(1)} ${e.y1.toFixed(1)}`;
      set(L.wire, 'd', d);
      set(L.g.firstChild, 'd', d);
      const { stagger, crowded } = place.get(l);
      const [word, cls, tagCls, word2 = ''] = linkState(w, l, this.W < 520 || crowded, this.rdbIn);
      const selected = sel && sel.type === 'link' && ((sel.a === l.a && sel.b === l.b) || (sel.a === l.b && sel.b === l.a));
      // A two-connection full sync: the rdb channel's line beside the main one, each named.
      const ch = this.chanOf(l.a, l.b);
      const lane = ch ? (l.a === ch.master ? LANE : -LANE) : 0;
      set(L.wire2, 'visibility', ch ? 'visible' : 'hidden');
      set(L.lab1, 'visibility', ch ? 'visible' : 'hidden');
      set(L.lab2, 'visibility', ch ? 'visible' : 'hidden');
      if (ch) {
        const ox = e.nx * lane, oy = e.ny * lane;
        set(L.wire2, 'd', `M${(e.x0 + ox).toFixed(1)} ${(e.y0 + oy).toFixed(1)}L${(e.x1 + ox).toFixed(1)} ${(e.y1 + oy).toFixed(1)}`);
        // Each name beside its line, on the side away from the other line, near the master.
        const fm = l.a === ch.master ? 0.2 : 0.8, sg = Math.sign(lane);
        const name = (el, text, base, out) => {
          const tw = textWidth(text, 6.7), d = base + out * (Math.abs(e.nx) * (tw / 2 + 7) + Math.abs(e.ny) * 10);
          const x = e.x0 + (e.x1 - e.x0) * fm + e.nx * d, y = e.y0 + (e.y1 - e.y0) * fm + e.ny * d + 3;
          set(el, 'x', x.toFixed(1));
          set(el, 'y', y.toFixed(1));
          setText(el, text);
          laneLabs.push({ x0: x - tw / 2, x1: x + tw / 2, y0: y - 10, y1: y + 2 });
        };
        name(L.lab1, tr('stream'), 0, -sg);
        name(L.lab2, tr('RDB'), lane, sg);
      }
      set(L.g, 'class', `linkg ${cls}${selected ? ' sel' : ''}`);
      set(L.g, 'aria-label', tr('link {0} to {1}: {2}, latency {3} ms', l.a, l.b, word2 ? tr('{0}, {1}', word, word2) : word, l.latency_us / 1000));
      set(L.tag, 'class', `tag ${tagCls}`);
      // On a narrow panel a long word breaks after its first ':' or '·' (the phase over the
      // detail), so the tags of a master's links side by side are narrow enough to pass.
      const cut = this.W < 520 && textWidth(word) > 100 ? /: |：| · /.exec(word) : null;
      const lines = (cut ? [word.slice(0, cut.index), word.slice(cut.index + cut[0].length)] : [word]).concat(word2 ? [word2] : []);
      // The same words wrapped narrower, for a tag that has no room beside its wire at its
      // widest (two masters' links side by side on a phone).
      const forms = [lines];
      for (const max of [200, 160, 130, 110, 90]) { const wr = wrapLines(lines, max); if (wr.length <= 6 && wr.join('\n') !== forms[forms.length - 1].join('\n')) forms.push(wr); }
      // Nearer the replica's end, so the tags of a master's several links do not collide.
      const A = w.node(l.a), B = w.node(l.b);
      const f = (B && B.master_host === l.a ? 0.6 : A && A.master_host === l.b ? 0.4 : 0.5) + (l.a < l.b ? stagger : -stagger);
      // The tag sits beside its wire, not on it (it hid the line and the rdb channel's):
      // on the side of the replica's bytes (ACKs; the master's, RDB and stream, ride the
      // other side with their labels), which is also away from the rdb channel's line.
      const side = ch ? -Math.sign(lane) : A && A.master_host === l.b ? 1 : -1;
      tags.push({ L, e, f, side, lane, forms });
      // An RDB in flight rides at the replica's end of the wire, its label beside it on the
      // master's bytes' side (the tag's other side): that spot is left to them when there
      // is room elsewhere.
      const rep = B && B.master_host === l.a ? l.b : A && A.master_host === l.b ? l.a : null;
      if (rep && this.rdbIn.has(rep)) {
        const len = Math.hypot(e.x1 - e.x0, e.y1 - e.y0) || 1, pf = rep === l.b ? 1 - Math.min(0.5, 18 / len) : Math.min(0.5, 18 / len);
        const px = e.x0 + (e.x1 - e.x0) * pf - e.nx * side * 55, py = e.y0 + (e.y1 - e.y0) * pf - e.ny * side * 55;
        const hx = Math.abs(e.nx) * 55 + Math.abs(e.ny) * 12, hy = Math.abs(e.ny) * 55 + Math.abs(e.nx) * 12;
        laneLabs.push({ x0: px - hx, x1: px + hx, y0: py - hy, y1: py + hy, soft: true });
      }
    }
    // Each tag at the first free spot: beside its wire where it was meant to be, else along
    // the wire, on the other side, or wrapped narrower: not over a card, a tag placed before
    // it, a line's name, or any wire (each wire and rdb channel line, with a margin).
    const boxes = [...this.pos.values()].map((p) => ({ x0: p.x - this.card.w / 2, x1: p.x + this.card.w / 2, y0: p.y - this.card.h / 2, y1: p.y + this.card.h / 2 }));
    const wires = tags.flatMap(({ e, lane }) => [{ x0: e.x0, y0: e.y0, x1: e.x1, y1: e.y1 }].concat(lane ? [{ x0: e.x0 + e.nx * lane, y0: e.y0 + e.ny * lane, x1: e.x1 + e.nx * lane, y1: e.y1 + e.ny * lane }] : []));
    const overlap = (b, list) => list.reduce((a, o) => a + Math.max(0, Math.min(b.x1, o.x1) - Math.max(b.x0, o.x0) + 3) * Math.max(0, Math.min(b.y1, o.y1) - Math.max(b.y0, o.y0) + 3), 0);
    for (const { L, e, f, side, lane, forms } of tags) {
      let best = null;
      forms.forEach((lines, wi) => {
        const tw = Math.max(...lines.map((t) => textWidth(t.trimEnd(), 6.7))) + 10, th = 3 + 14 * lines.length;
        for (const sd of [side, -side]) {
          // Clear of its wire by half its extent across the wire and the dots' room (they
          // ride 5 px off the wire); on the rdb channel's side, clear of that line too.
          const off0 = Math.abs(e.nx) * tw / 2 + Math.abs(e.ny) * th / 2 + 11 + (lane && Math.sign(lane) === sd ? Math.abs(lane) : 0);
          // Or clear of the cards' ends as well (two rows close together leave a tag no room
          // between them: it then stands beside the cards, level with the wire).
          const off1 = Math.max(off0, Math.abs(e.nx) * (this.card.w / 2 + tw / 2 + 6) + Math.abs(e.ny) * (this.card.h / 2 + th / 2 + 6));
          for (let k = 0; k <= 40; k++) {
            const off = k % 2 ? off1 : off0;
            if (k % 2 && off1 === off0) continue;
            const j = k >> 1, g = f + (j % 2 ? 1 : -1) * Math.ceil(j / 2) * 0.04;
            if (g < 0.04 || g > 0.96) continue;
            // Kept inside the panel: a spot pushed back over a wire then costs its crossing.
            const cx = clampTo(e.x0 + (e.x1 - e.x0) * g + e.nx * sd * off, tw / 2 + 2, this.W - tw / 2 - 2);
            const cy = clampTo(e.y0 + (e.y1 - e.y0) * g + e.ny * sd * off, th / 2 + 2, this.H - th / 2 - 2);
            const b = { x0: cx - tw / 2, x1: cx + tw / 2, y0: cy - th / 2, y1: cy + th / 2 };
            const cost = overlap(b, boxes) + overlap(b, laneLabs.filter((o) => !o.soft)) * 3 + overlap(b, laneLabs.filter((o) => o.soft)) / 2 + 2000 * wires.filter((s) => segHits(s, b, 4)).length + 40 * wi + (sd === side ? 0 : 25) + 4 * (k >> 1) + (k % 2 ? 80 : 0);
            if (!best || cost < best.cost) best = { ...b, cost, lines, tw, th };
          }
        }
      });
      if (!best) continue;
      const { lines, tw, th } = best;
      if (L.last !== lines.join('\n')) {
        L.last = lines.join('\n');
        while (L.texts.length < lines.length) { const t = s('text', { 'text-anchor': 'middle', dy: '3.5', class: 'tag2' }); L.tag.append(t); L.texts.push(t); }
        L.texts.forEach((el, i) => { setText(el, lines[i] || ''); set(el, 'x', (tw / 2).toFixed(1)); set(el, 'y', String(8.5 + 14 * i)); });
        L.tagRect.setAttribute('width', tw);
        L.tagRect.setAttribute('height', th);
      }
      boxes.push(best);
      set(L.tag, 'transform', `translate(${best.x0.toFixed(1)} ${best.y0.toFixed(1)})`);
      const band = [[e.x0, e.y0], [e.x1, e.y1]].flatMap(([x, y]) => [[x + e.nx * 8, y + e.ny * 8], [x - e.nx * 8, y - e.ny * 8]]);
      const hull = convexHull(band.concat([[best.x0, best.y0], [best.x1, best.y0], [best.x1, best.y1], [best.x0, best.y1]]));
      set(L.hull, 'd', `M${hull.map(([x, y]) => `${x.toFixed(1)} ${y.toFixed(1)}`).join('L')}Z`);
    }
    // On a phone the panel grows to fit (layout()): the tags between two rows, stacked at
    // a width that leaves room beside them, need this much height between the cards.
    if (this.stacked && !this.tiny && !this.ids) {
      // (40 px: the margins, and the row where an RDB's parcel and its label ride.)
      const gaps = new Map();
      for (const { e, forms } of tags) {
        const lines = forms.find((x) => Math.max(...x.map((t) => textWidth(t.trimEnd(), 6.7))) + 10 <= this.W * 0.55) || forms[forms.length - 1];
        const k = Math.round(Math.min(e.y0, e.y1)), g = gaps.get(k) || { need: 40, have: Math.abs(e.y1 - e.y0) - 8 };
        g.need += 3 + 14 * lines.length + 10;
        gaps.set(k, g);
      }
      const extra = Math.max(0, ...[...gaps.values()].map((g) => Math.ceil(g.need - g.have)));
      if (extra > 0 && (this.tagRoom || 0) < 240) { this.tagRoom = Math.min(240, (this.tagRoom || 0) + extra); this.sig = ''; }
    }
    // The messages' labels keep off the tags too (an RDB segment's size over a sync's tag).
    this.tagBoxes = boxes.slice(this.pos.size);
    set(this.clipPath, 'd', `M-99 -99H${this.W + 99}V${this.H + 99}H-99Z` + this.tagBoxes.map((b) => `M${(b.x0 - 1).toFixed(1)} ${(b.y0 - 1).toFixed(1)}H${(b.x1 + 1).toFixed(1)}V${(b.y1 + 1).toFixed(1)}H${(b.x0 - 1).toFixed(1)}Z`).join(''));
  }

  renderMessages(w) {
    const view = w.view, t = view.t_us;
    const kids = [], labels = [];
    // Labels avoid each other and the cards; with many bytes in flight only the ones
    // that explain a sync (RDB, PSYNC replies, backlog, held bytes) keep theirs.
    const placed = [];
    for (const p of this.pos.values()) placed.push({ x: p.x, y: p.y + 3, w: this.card.w + 4, h: this.card.h + 12 });
    for (const b of this.tagBoxes || []) placed.push({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 + 3, w: b.x1 - b.x0 + 4, h: b.y1 - b.y0 + 4 });
    // A message may stand for more after it (`more`: the core lists a few per direction).
    let count = 0;
    const perLink = new Map();
    for (const m of view.messages) {
      const k = [m.from, m.to].sort().join('|');
      perLink.set(k, (perLink.get(k) || 0) + 1 + m.more);
      count += 1 + m.more;
    }
    const busy = count > 8;
    const partialAt = new Map();
    for (let i = w.decPast - 1; i >= w.decBase && i >= w.decPast - 8; i--) {
      const d = w.dec(i);
      if (d && d.decision.verdict.verdict === 'continue') partialAt.set(`${d.node}>${d.decision.replica.split(':')[0]}@${d.t_us}`, d.decision.verdict.bytes);
    }
    // A partition holds bytes where they were sent: stack them by the sender, said once
    // per direction (held.js) at the far end of the stack (up to its 8th mark). Every
    // held mark is kept clear of, the pills of both directions included.
    const stacks = heldStacks(view.messages), heldI = new Map();
    const side = 5;
    // Each direction keeps to its own side of the wire (the normal turns with the
    // direction); the rdb channel's bytes ride its own line.
    const along = (m, e) => {
      const ch = this.chanOf(m.from, m.to);
      const lane = ch && m.conn === ch.rdb ? (m.from === ch.master ? LANE : -LANE) : 0;
      return (f) => [e.x0 + (e.x1 - e.x0) * f + e.nx * (side + lane), e.y0 + (e.y1 - e.y0) * f + e.ny * (side + lane)];
    };
    for (const st of stacks.values()) {
      const e = this.ends(st.from, st.to);
      if (!e) continue;
      const at = along({ from: st.from, to: st.to }, e);
      for (let i = 0; i < Math.min(st.listed, 8); i++) { const [x, y] = at(0.05 + i * 0.035); placed.push({ x, y: y + 3, w: 9, h: 9 }); }
    }
    // One RDB parcel (and label) a direction, the front one: several chunks in flight on
    // one wire piled their parcels and labels up (the link's tag counts the RDB's bytes).
    const rdbShown = new Set(), labelJobs = [];
    for (const m of view.messages) {
      const e = this.ends(m.from, m.to);
      if (!e) continue;
      const lat = Math.max(1, m.arrive_us - m.tx_end_us);
      const hk = `${m.from}>${m.to}`, hi = m.held ? (heldI.set(hk, (heldI.get(hk) || 0) + 1), heldI.get(hk) - 1) : 0;
      const head = m.held ? Math.min(0.3, 0.05 + hi * 0.035) : clamp((t - m.tx_start_us) / lat);
      const tail = m.held ? 0 : clamp((t - m.tx_end_us) / lat);
      const at = along(m, e);
      // Labels are Redis's words (commands, replies, RDB) unless the page names the bytes.
      let kind = m.kind || 'stream', label = msgLabel(kind, m.preview, m.len), cls = kind, redis = true;
      if (kind === 'psync_reply') cls += m.preview.startsWith('+CONTINUE') ? ' cont' : ' fullr';
      const bl = kind === 'stream' ? partialAt.get(`${m.from}>${m.to}@${m.sent_us}`) : undefined;
      if (bl != null) { cls += ' backlog'; label = tr('backlog {0} B', m.len); redis = false; }
      if (m.held) { cls += ' held'; label = hi === Math.min(stacks.get(hk).listed, 8) - 1 ? heldText(stacks.get(hk)) : ''; redis = false; }
      let [hx, hy] = at(head);
      const [tx, ty] = at(tail);
      const g = v('g', { class: `msg ${cls}` });
      const gk = g.kids;
      if (head - tail > 0.004) gk.push(v('path', { class: 'band', d: `M${tx.toFixed(1)} ${ty.toFixed(1)}L${hx.toFixed(1)} ${hy.toFixed(1)}` }));
      const rdbBehind = kind === 'rdb' && rdbShown.has(hk);
      let parcel = false;   // an RDB parcel drawn (it says RDB: its label may then say only the bytes)
      if (kind === 'rdb') rdbShown.add(hk);
      // While the link's tag counts the replica's transfer (received/total), the front
      // parcel's label says what is still to come (received + to go = the tag's total),
      // not one chunk's size: two bare RDB byte counts on one link read as a contradiction.
      const rn = kind === 'rdb' && w.node(m.to), fin = rn && rn.link_state === 'transfer' && rn.master_host === m.from && this.rdbIn.get(m.to);
      let terse = `${m.len} B`;
      if (fin) {
        const t = rn.transfer, rest = t && t.total ? Math.max(0, t.total - t.read - fin.got) : fin.len - fin.got;
        label = tr('RDB: {0} B to go', rest); terse = tr('{0} B to go', rest); redis = false;
      }
      if (rdbBehind) {
        label = '';
      } else if (kind === 'rdb') {
        // The parcel rides the front of the transfer but stays clear of the cards.
        const len = Math.hypot(e.x1 - e.x0, e.y1 - e.y0) || 1, pad = Math.min(0.5, 18 / len);
        // Nor over a link's tag (on a short wire the sync's tag sits where it rides): it
        // steps to the nearest free spot; a wire with none leaves the RDB to the tag, which
        // names it and counts its bytes.
        const f0 = Math.min(Math.max(head, pad), 1 - pad);
        const free = (f) => { const [qx, qy] = at(f); return !(this.tagBoxes || []).some((b) => qx + 15 > b.x0 && qx - 15 < b.x1 && qy + 9 > b.y0 && qy - 9 < b.y1); };
        let pf = f0;
        for (let k = 1; !free(pf) && k <= 30; k++) {
          const g = f0 + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 0.03;
          if (g >= pad && g <= 1 - pad) pf = g;
        }
        const room = (parcel = free(pf));
        const [px, py] = at(room ? pf : f0);
        if (room) {
          placed.push({ x: px, y: py + 3, w: 30, h: 18 });
          gk.push(v('rect', { class: 'parcel', x: px - 15, y: py - 9, width: 30, height: 18, rx: 3 }),
            v('text', { class: 'ptext', x: px, y: py + 3, 'text-anchor': 'middle' }, 'RDB'));
        }
        [hx, hy] = [px, py];
      } else if (kind === 'ack') {
        gk.push(v('circle', { class: 'dot', cx: hx, cy: hy, r: 3.6 }));
      } else if (kind === 'handshake' || kind === 'reply') {
        gk.push(v('rect', { class: 'dot', x: hx - 3, y: hy - 3, width: 6, height: 6 }));
      } else if (kind === 'psync_reply') {
        gk.push(v('path', { class: 'dot', d: `M${hx} ${hy - 6}l6 6l-6 6l-6 -6z` }));
      } else {
        gk.push(v('circle', { class: 'dot', cx: hx, cy: hy, r: kind === 'keepalive' ? 2.5 : 3.6 }));
      }
      // Each label is placed once every mark is drawn, so it keeps clear of all the parcels.
      labelJobs.push(() => {
        const crowded = perLink.get([m.from, m.to].sort().join('|')) > 4;
        if (label && (!(crowded || busy) || m.held || kind === 'rdb' || kind === 'psync_reply' || bl != null)) {
          // Labels sit beside the wire, away from it, and step outwards to avoid the rest.
          // On a steep wire a label starts just clear of its mark and steps along the wire
          // (centred on such a wire it would cover the parcel and the other line).
          // A held stack's words are a pill (held.js): wider and taller than a label.
          const held = m.held, lh = held ? PILL_H + 1 : 12;
          let wpx = held ? pillWidth(label) : textWidth(label, 6.7);
          const steep = Math.abs(e.nx) > 0.7, dir = Math.sign(e.nx);
          const free = (cx, ly) => !placed.some((p) => Math.abs(p.x - cx) < (p.w + wpx) / 2 + 3 && Math.abs(p.y - ly) < ((p.h || 12) + lh) / 2);
          // Inside the drawing: a label beside a wire near the panel's edge goes to the wire's
          // other side (a steep wire), or is moved in along it; an RDB's, beside its parcel
          // (which says RDB), may then say its bytes alone (tester27: "DB 16384 B" was cut at
          // the left edge of a 375 px phone).
          const inside = (cx) => cx - wpx / 2 >= 2 && cx + wpx / 2 <= this.W - 2;
          let spot = null;
          for (const say of parcel && label ? [label, terse] : [label]) {
            wpx = held ? pillWidth(say) : textWidth(say, 6.7);
            for (const d of steep ? [dir, -dir] : [dir]) {
              for (let k = 0; k < 4 && !spot; k++) {
                const off = side * ((kind === 'rdb' ? 4.6 : held ? 3.4 : 2.6) + k * 2.3);
                const gap = kind === 'rdb' ? 19 : held ? 11 : 7;
                const lx = steep ? hx + d * gap : clampTo(hx + e.nx * off, wpx / 2 + 2, this.W - wpx / 2 - 2), ly = steep ? hy + 3 + k * lh : hy + e.ny * off + 3;
                const cx = steep ? lx + (d * wpx) / 2 : lx;
                if (inside(cx) && free(cx, ly)) spot = { lx, ly, cx, anchor: steep ? (d > 0 ? 'start' : 'end') : 'middle' };
              }
              if (spot) break;
            }
            if (spot) { label = say; break; }
          }
          // The count of held bytes says what the stack is: on a short wire from a card
          // (1280×800, a master's partitioned link) the spots beside the wire all fell on the
          // card or the link's tag. It then sits beside the stack's far end, on either side
          // of it, level with it or a little lower or higher (4 px steps: the room between a
          // card and a tag can be a few px more than a line), inside the panel.
          // A pill may also step sideways, away from the stack (a tag and a card leave no
          // row beside the first mark of a short stack).
          for (const [dy, dx] of held && !spot ? PILL_SPOTS : []) {
            for (const to of [-1, 1]) {
              const lx = hx + to * (11 + dx), ly = hy + 3 + dy, cx = lx + (to * wpx) / 2;
              if (cx - wpx / 2 >= 2 && cx + wpx / 2 <= this.W - 2 && ly >= 14 && ly <= this.H - 5 && free(cx, ly)) { spot = { lx, ly, cx, anchor: to > 0 ? 'start' : 'end' }; break; }
            }
            if (spot) break;
          }
          if (spot) {
            placed.push({ x: spot.cx, y: spot.ly, w: wpx, h: lh });
            labels.push(held ? pill(label, spot.lx, spot.ly, spot.anchor)
              : v('text', { class: `ml ${cls}`, x: spot.lx.toFixed(1), y: spot.ly.toFixed(1), 'text-anchor': spot.anchor, 'data-redis': redis ? '' : null }, label));
          }
        }
      });
      kids.push(g);
    }
    for (const job of labelJobs) job();
    patch(this.gMsgs, kids);
    patch(this.gLabels, labels);
  }
}

/**
 * Redis 8.0's rdb channel, for each replica that has one (NodeView.full_sync_buffer is
 * not null while it does): its master and the ids of its two connections to it, both
 * opened by the replica, the rdb channel being the newer.
 */
function rdbChannels(view) {
  const out = new Map();
  for (const n of view.nodes) {
    if (n.full_sync_buffer == null || !n.master_host || !view.conns) continue;
    const cs = view.conns.filter((c) => c.from === n.name && c.to === n.master_host).sort((a, b) => a.id - b.id);
    if (cs.length >= 2) out.set(n.name, { master: n.master_host, main: cs[cs.length - 2].id, rdb: cs[cs.length - 1].id });
  }
  return out;
}

/**
 * Lines no wider than `max` px where they can break: at a space, after a CJK colon or
 * comma, before a CJK parenthesis, between two CJK characters (not before a closing
 * mark); a word wider than `max` keeps its own line.
 */
function wrapLines(lines, max) {
  const out = [];
  // The phase over its detail first: a wide line breaks after its first colon.
  // A line keeps the space it broke at, at its end: SVG does not draw it, and the tag's
  // text (its lines run together) still reads as the words did.
  const split = lines.flatMap((l) => { const c = textWidth(l, 6.7) > max && /: |：/.exec(l); return c ? [l.slice(0, c.index + c[0].length), l.slice(c.index + c[0].length)] : [l]; });
  for (const line of split) {
    let cur = '';
    // Between CJK characters only within a piece too wide for a line of its own.
    const pieces = line.split(/(?<= )|(?<=[：，])|(?=（)/).flatMap((p) => textWidth(p.trimEnd(), 6.7) > max ? p.split(/(?<=[\u2e80-\uff00])(?=[\u2e80-\uff00])(?![），。：、])/) : [p]);
    for (const piece of pieces) {
      if (cur && textWidth((cur + piece).trimEnd(), 6.7) > max) { out.push(cur); cur = piece; } else cur += piece;
    }
    if (cur) out.push(cur);
  }
  return out;
}

/** The convex hull of points [x, y] (Andrew's monotone chain), in order round it. */
function convexHull(pts) {
  const p = [...pts].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list) => {
    const out = [];
    for (const q of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], q) <= 0) out.pop();
      out.push(q);
    }
    out.pop();
    return out;
  };
  return half(p).concat(half(p.reverse()));
}

/** Whether segment `s` crosses box `b` grown by `m` px (Liang–Barsky clipping). */
export function segHits(s, b, m = 0) {
  const dx = s.x1 - s.x0, dy = s.y1 - s.y0;
  let t0 = 0, t1 = 1;
  for (const [p, q] of [[-dx, s.x0 - (b.x0 - m)], [dx, b.x1 + m - s.x0], [-dy, s.y0 - (b.y0 - m)], [dy, b.y1 + m - s.y0]]) {
    if (p === 0) { if (q < 0) return false; continue; }
    const r = q / p;
    if (p < 0) { if (r > t1) return false; if (r > t0) t0 = r; } else { if (r < t0) return false; if (r < t1) t1 = r; }
  }
  return true;
}

function clampTo(x, lo, hi) { return hi < lo ? x : Math.min(hi, Math.max(lo, x)); }

function clamp(x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

function set(el, attr, v) {
  const key = '_' + attr;
  if (el[key] !== v) { el[key] = v; el.setAttribute(attr, v); }
}

function txt(c, k, v) {
  if (c.vals[k] !== v) { c.vals[k] = v; setText(c[k], v); }
}

/** A node's replication state in a word, with a glyph so colour is not the only cue. */
export function nodeState(n, inflight, small, room = 27) {
  if (n.status === 'stopped') return [tr('■ stopped'), 'muted'];
  if (n.status === 'starting') return [tr('… starting'), 'muted'];
  if (n.bgsave && n.role === 'master') {
    // Where the snapshot goes, if the card has room for it (a small card's is ~15 characters).
    const t = n.bgsave === 'disk' ? tr('◐ BGSAVE → disk') : tr('◐ BGSAVE → sockets');
    return [textWidth(t, 1) <= room ? t : tr('◐ BGSAVE'), 'state-sync'];
  }
  if (n.role === 'master') {
    const r = n.replicas.length, bl = n.backlog ? n.backlog.histlen : 0;
    // A small card holds `room` characters: a long backlog size leaves the count alone.
    // (Without the word, "61 B" read as an offset or a size of what? So the word stays.)
    if (small) { const t = tr('{0} repl. · backlog {1} B', r, bl); return [textWidth(t, 1) <= room ? t : tr('{0} repl.', r), 'muted']; }
    // The card holds ~27 characters of it: a backlog of 100,000 bytes or more shortens the word.
    const full = r ? tr(r > 1 ? '{0} replicas · backlog {1} B' : '1 replica · backlog {1} B', r, bl) : n.backlog ? tr('backlog {0} B', bl) : tr('no replicas');
    return [r && full.length > 27 ? tr('{0} repl. · backlog {1} B', r, bl) : full, 'muted'];
  }
  // Replicas of each other (the core's view names the loop; decisions.js explains it).
  if (n.problem) return [n.problem.reply ? tr('⟲ loop: -NOMASTERLINK') : tr('⟲ replica loop'), 'state-down'];
  switch (n.link_state) {
    case 'connected': return [tr('● link up'), 'state-ok'];
    case 'transfer': {
      // The longest that fits the card: "receiving" and the total go first (a 375 px phone's card holds ~15 characters).
      const read = n.transfer ? n.transfer.read : 0, got = inflight ? read + inflight.got : read;
      const fits = [inflight && tr('◐ receiving RDB {0} B', got), !inflight && n.transfer && n.transfer.total && tr('◐ RDB {0} B', `${read}/${n.transfer.total}`)].find((t) => t && textWidth(t, 1) <= room);
      return [fits || tr('◐ RDB {0} B', got), 'state-sync'];
    }
    case 'handshake': return [tr('◐ handshake'), 'state-sync'];
    case 'connecting': return [tr('◌ connecting'), 'state-sync'];
    default: return [tr('✕ link down'), 'state-down'];
  }
}

/**
 * During a full sync, what the master holds for the replica: the stream bytes written
 * since its BGSAVE started, waiting in the replica's output buffer (pending_bytes, one
 * write more each SET), and omem, that buffer as client-output-buffer-limit counts it
 * (whole 7.0 buffer blocks, as CLIENT LIST prints it).
 */
function buffered(rv, r) {
  // Redis 8.0's rdb channel: the master streams at once; the writes wait on the replica.
  if (r && r.full_sync_buffer != null) return tr('writes wait on {0} (its buffer)', r.name);
  if (!rv || !rv.accumulating || rv.state === 'online') return '';
  return tr('buffered for {0}: {1} B', rv.name, rv.pending_bytes) + (rv.obuf_bytes ? ` · omem ${rv.obuf_bytes}` : '');
}

/**
 * The words on a wire: network faults first, then the replication phase across it;
 * a second line while a full sync buffers writes for the replica.
 */
function linkState(w, l, narrow, rdbIn) {
  if (l.state === 'disconnected') return [tr('✕ disconnected'), 'disconnected', ''];
  const A = w.node(l.a), B = w.node(l.b);
  const [m, r] = B && B.master_host === l.a ? [A, B] : A && A.master_host === l.b ? [B, A] : [null, null];
  const rv = m && r && m.replicas && m.replicas.find((x) => x.name === r.name);
  // Lag (seconds since the master's last REPLCONF ACK from it, INFO's lag=) once it says something.
  const lag = rv && rv.state === 'online' && rv.lag_s > 1 ? tr(' · lag {0} s', rv.lag_s) : '';
  if (l.state === 'partitioned') return [tr('≈ partitioned') + lag, 'partitioned', ''];
  if (m && r && r.status !== 'running') return [tr('✕ {0} {1}', r.name, tr(r.status)), 'disconnected', ''];
  if (m && r && m.status !== 'running') return [tr('✕ {0} {1}', m.name, tr(m.status)), 'disconnected', ''];
  if (!m || !r) return [tr('no replication'), 'idle', ''];
  if (r.problem) return [tr('⟲ replicas of each other'), 'disconnected', '', r.problem.restarted_from_config.length ? tr('{0} followed its config', r.problem.restarted_from_config.join(', ')) : ''];
  if (r.link_state === 'connected' && rv && rv.state === 'online') {
    return [(narrow ? tr('● online') : tr('● online, ack {0}', rv.ack_offset)) + lag, 'up', ''];
  }
  if (r.link_state === 'transfer') {
    // The tag counts what reached the replica (`got`) of the whole RDB; the parcel's label
    // says what is still on the wire (renderMessages), so the two add up.
    const f = rdbIn.get(r.name), got = (r.transfer ? r.transfer.read : 0) + (f ? f.got : 0);
    const count = `${got}${r.transfer && r.transfer.total ? '/' + r.transfer.total : f ? '/' + (f.len + r.transfer.read) : ''}`;
    // Each side's truth: the master has already dropped the replica (no replica entry: a
    // 7.0 output buffer over its limit, a timeout), while the RDB it had put on the wire is
    // still arriving and the replica, not told yet, goes on reading it.
    if (!rv) return [tr('✕ {0} dropped {1}', m.name, r.name), 'sync', '', tr('{0} still receiving RDB {1} B', r.name, count)];
    return [tr('▣ full sync: RDB received {0} B', count), 'sync', 'full', buffered(rv, r)];
  }
  if (rv && rv.state === 'wait_bgsave') return [rv.accumulating ? tr('▣ full sync: BGSAVE running') : tr('▣ full sync: waiting for BGSAVE'), 'sync', 'full', buffered(rv, r)];
  if (rv && (rv.state === 'send_bulk' || rv.state === 'send_bulk_and_stream')) return [tr('▣ full sync: sending RDB'), 'sync', 'full', buffered(rv, r)];
  if (r.link_state === 'handshake') return [tr('◐ handshake'), 'sync', ''];
  if (r.link_state === 'connecting') return [tr('◌ connecting'), 'sync', ''];
  if (r.link_state === 'connected') return [tr('● link up'), 'up', ''];
  return [tr('✕ replica retrying'), 'disconnected', ''];
}
