// Embed mode, for an <iframe> in a blog post (index.html?embed=1#z=… or #lesson=…&embed=1):
// a compact layout that fits the frame (more.css): the caption line and the lesson bar,
// the topology beside (or above) one slot whose tabs switch between the decision, the
// replication stream, the events and the console (in a frame both narrow and short, the
// topology too: one panel at a time), then the timeline and the time bar,
// always on screen. Locked (no console input, no fault buttons or keys) unless the link
// says edit=1. The page tells its host the height it wants, and answers a small
// postMessage API (docs/embedding.md):
//   in  (only from window.parent): replscope:play, replscope:pause, replscope:seek {ms},
//       replscope:load {scenario, seed?, caption?}, replscope:decisions
//   out: replscope:ready {version, ms, decisions}, replscope:height {height},
//       replscope:time {ms} (at most 4 a second), replscope:decision {decision},
//       replscope:decisions {ms, decisions} (the answer), replscope:error {message}
// `decisions` (ready, and the answer to replscope:decisions) are the decisions made up to
// the moment shown: what a scenario decided while it opened, which is never sent as
// replscope:decision (that is for decisions as time passes them while the frame plays).
// ready comes first: before it (a link of a simulated minute or more opens in steps, the
// default scenario shown meanwhile) nothing is sent but an error about the link, and what
// the host sends waits for the link's world (Embed.early).
// Commands are data: every field is checked, sizes are capped, unknown types ignored.
// A load whose waits add up to a simulated minute or more opens in steps (opening.js, as a
// link does); the messages sent after it wait for its world (loadLong below).
//
// The height is computed from the layout, not from what the panels hold: the sizes
// more.css declares for the layout in use (--e-main, --e-bar, --e-lb with a lesson) plus
// the caption and the banner, whose text is fixed. It changes only when the layout does
// (a width that crosses the narrow breakpoint, or a height that crosses the short one:
// more.css; a lesson bar or caption appearing), and a
// change smaller than HYSTERESIS_PX is not reported, so a host never sees it jump while
// a lesson plays. The panels take what the frame gives them.

import { h, tr, trCore, $ } from './dom.js';
import { LIMITS, LinkError, checkScript, checkFields, clip, baseUrl, banner } from './link.js';
import { waitsUs, STEPPED_US, giveUp } from './opening.js';

const TIME_EVERY_MS = 250;
const HYSTERESIS_PX = 8;
/** At most this many decisions in a list (the newest): a full-sync loop makes hundreds. */
const DECISIONS_MAX = 100;
/**
 * A frame both narrow and short (more.css's narrow-and-short query), with a lesson bar or
 * edit=1's actions to fit as well, shows one panel at a time (html.e-one).
 */
const NARROW_SHORT = matchMedia('(max-width: 559px) and (max-height: 540px)');
let one = false;
/** Is the slot `id` a tab in the layout in use? */
const inUse = (id) => id !== 'topo' || one;

/**
 * The slot's tabs: [id, the panel's class, label]. The console is read-only when locked.
 * The topology is a tab only in the one-panel layout (a phone's 375×420 frame with a lesson
 * or edit=1: see NARROW_SHORT): stacked, the topology, the tabs and the slot each had too
 * little height (the tabs none at all under a lesson bar).
 */
const SLOTS = [['topo', 'topo', 'Topology'], ['decision', 'decision', 'Decision'], ['ruler', 'ruler', 'Stream'], ['events', 'tabs', 'Events'], ['console', 'console', 'Console']];

export class Embed {
  constructor(app, { autoplay, edit }) {
    this.app = app;
    this.autoplay = autoplay;
    this.edit = edit;
    this.framed = window.parent !== window;
    this.lastTime = -1;
    this.lastPost = 0;
    /** The host's seeks and pauses not answered yet: each gets a replscope:time once applied. */
    this.timesAsked = 0;
    this.decSent = 0;
    this.height = 0;
    this.slot = 'decision';
    /** A host's replscope:load opening in steps: {queue} (the messages sent after it), or null. */
    this.opening = null;
    /**
     * The host's messages that came before ready(): kept, in order, for the world the link
     * opens (a link of a simulated minute or more opens in steps, the default scenario
     * shown meanwhile), and handled right after ready.
     */
    this.early = [];
    /** The world (world.opened) and the seeks (world.seeks) frame() saw last. */
    this.seenOpened = -1;
    this.seenSeeks = 0;
  }

  /** Switch the page to embed mode before its first frame (main.js has loaded more.css). */
  init() {
    const root = document.documentElement;
    root.classList.add('embed');
    if (!this.edit) root.classList.add('locked');
    this.tabs();
    // A way out to the full page, in the same state (the link is built when clicked).
    const open = h('a', { class: 'btn', id: 'open-full', href: baseUrl(false), target: '_blank', rel: 'noopener', title: tr('Open this in the full replscope page') },
      h('span', { class: 'e-long' }, tr('Open in replscope ↗')), h('span', { class: 'e-short', 'aria-hidden': 'true' }, h('span', { class: 'e-word' }, 'replscope '), '↗'));
    const link = async () => {
      // A lesson as its own steps left it opens as that lesson, at that step (its bar and checks too).
      const lesson = this.app.ui.lazy.lessons?.cur && this.app.ui.lazy.lessons.address();
      if (lesson) return `${baseUrl(false)}${lesson}`;   // its lang=zh in Chinese too
      try { return await (await import('./link.js')).shareLink(this.app.world, { caption: this.app.caption }); } catch { return baseUrl(false); /* too long: the plain page */ }
    };
    // Pointed at or focused, the link is the session's own, so its tooltip, the
    // status bar and "Copy link address" give what a click opens.
    const refresh = async () => { open.href = await link(); };
    open.addEventListener('pointerenter', refresh);
    open.addEventListener('focus', refresh);
    open.addEventListener('click', async (e) => {
      e.preventDefault();
      const w = window.open('', '_blank');
      const href = await link();
      open.href = href;
      if (w) { w.opener = null; w.location.href = href; }
    });
    $('clock').parentElement.append(open);
    // The time bar shows at the foot of the frame: it goes there in the document too, so
    // Tab (and a screen reader) meets the lesson bar, the tabs and the panels first, then
    // the timeline and the time bar, in the order they are seen (more.css keeps the
    // caption, which goes after the bar, on top).
    document.querySelector('main').after(document.querySelector('header.bar'));
    // A lesson step points at a panel (lessons.js marks it .focus) or opens a tab: show it.
    const watch = new MutationObserver((ms) => this.onFocus(ms));
    for (const el of document.querySelectorAll('main > .panel')) watch.observe(el, { attributes: true, attributeFilter: ['class'] });
    for (const el of document.querySelectorAll('main .tabs [role=tab]')) watch.observe(el, { attributes: true, attributeFilter: ['aria-selected'], attributeOldValue: true });
    // What changes the height the frame wants: its width, a lesson bar, a caption, a banner.
    new MutationObserver(() => this.layoutChanged()).observe(document.body, { childList: true });
    new MutationObserver(() => { this.onePanel(); this.layoutChanged(); }).observe($('lesson-bar'), { attributes: true, attributeFilter: ['hidden'] });
    this.scrollable($('lesson-bar'), '.lb-cap');
    // Its height too: the host applying the height asked for can move the frame into
    // another layout (a 600 px wide frame asks 502 px stacked, which is short: side by side,
    // 472). postHeight() reports only a change of 8 px or more, so the same layout's height
    // coming back is not reported again.
    new ResizeObserver(() => this.layoutChanged()).observe(root);
    if (this.framed) addEventListener('message', (e) => this.onMessage(e));
  }

  /** The tabs of the slot beside the topology (a tablist: click, or the arrow keys). */
  tabs() {
    const slots = SLOTS;
    this.strip = h('div', { class: 'etabs', role: 'tablist', 'aria-label': tr('Details') },
      slots.map(([id, cls, label]) => {
        const b = h('button', { type: 'button', role: 'tab', id: `etab-${id}`, 'data-slot': id, 'aria-selected': 'false', tabindex: '-1', onclick: () => this.show(id) }, tr(label));
        b.addEventListener('keydown', (e) => {
          const d = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
          if (!d) return;
          e.preventDefault();
          const shown = slots.filter(([x]) => inUse(x));
          const i = shown.findIndex(([x]) => x === id);
          const to = shown[(i + d + shown.length) % shown.length][0];
          this.show(to);
          $(`etab-${to}`).focus();
        });
        const panel = document.querySelector(`main .panel.${cls}`);
        if (panel) {
          panel.id ||= `epanel-${id}`;
          b.setAttribute('aria-controls', panel.id);
        }
        return b;
      }));
    document.querySelector('main').prepend(this.strip);
    this.show(this.slot);
    this.onePanel();
    NARROW_SHORT.addEventListener('change', () => this.onePanel());
  }

  /**
   * One panel at a time, or the topology beside (above) the slot? Into the one-panel
   * layout, the topology first (it was on screen); out of it, the decision in its place.
   */
  onePanel() {
    const now = NARROW_SHORT.matches && (this.edit || !$('lesson-bar').hidden);
    if (now === one && this.strip.querySelector('[aria-selected=true]')) return;
    one = now;
    document.documentElement.classList.toggle('e-one', one);
    this.show(one ? 'topo' : this.slot === 'topo' ? 'decision' : this.slot);
  }

  /**
   * The lesson's caption scrolls inside its bar (at the end, the checks and what to
   * remember run far past it): while it does, it is a Tab stop, so the keyboard can scroll
   * it (the arrow keys on its <summary> did not; Chromium makes a scroller focusable only
   * when nothing in it is).
   */
  scrollable(root, sel) {
    const ro = new ResizeObserver(() => check());
    let el = null;
    const check = () => {
      const now = root.querySelector(sel);
      if (now !== el) { if (el) ro.unobserve(el); el = now; if (el) ro.observe(el); }
      if (el) el.tabIndex = el.scrollHeight > el.clientHeight + 1 ? 0 : -1;
    };
    new MutationObserver(check).observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['open', 'class'] });
    check();
  }

  /** Show one panel in the slot. */
  show(id) {
    if (!SLOTS.some(([x]) => x === id) || !inUse(id)) return;
    this.slot = id;
    document.documentElement.dataset.etab = id;
    for (const b of this.strip.children) {
      const on = b.dataset.slot === id;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    const ui = this.app.ui;
    if (id === 'events') ui.forceLists = true;
    ui.dirty = true;
  }

  /** A lesson's step focused a panel or opened a tab: bring it into the slot, and into view. */
  onFocus(ms) {
    let to = null, tab = false;
    for (const m of ms) {
      const el = m.target;
      if (m.attributeName === 'class' && el.classList.contains('panel') && el.classList.contains('focus')) {
        const s = SLOTS.find(([, cls]) => el.classList.contains(cls));
        if (s && inUse(s[0])) to = s[0];
      } else if (m.attributeName === 'aria-selected' && el.getAttribute('aria-selected') === 'true' && m.oldValue !== 'true') {
        tab = true;
      }
    }
    for (const b of this.strip.children) {
      const cls = SLOTS.find(([x]) => x === b.dataset.slot)[1];
      b.classList.toggle('lfocus', !!document.querySelector(`main .panel.${cls}.focus`));
    }
    if (!to && tab) to = 'events';
    if (!to || to === this.slot) return;
    this.show(to);
    this.reveal(document.querySelector(`main .panel.${SLOTS.find(([x]) => x === to)[1]}`));
  }

  /**
   * If the frame is smaller than the layout's minimum (the page scrolls), scroll the
   * panel into view inside the frame only: scrollIntoView could scroll the host's page.
   */
  reveal(el) {
    const se = document.scrollingElement;
    if (!el || se.scrollHeight <= innerHeight) return;
    const r = el.getBoundingClientRect();
    const bar = document.querySelector('header.bar').getBoundingClientRect().height;
    if (r.top < 0) se.scrollTop += r.top;
    else if (r.bottom > innerHeight - bar) se.scrollTop += Math.min(r.top, r.bottom - (innerHeight - bar));
  }

  setCaption(text) { this.app.setCaption(text); }

  post(msg) {
    if (this.framed) window.parent.postMessage(msg, '*');
  }

  /** The height this layout asks for (CSS px): see the file's header. */
  wantedHeight() {
    const cs = getComputedStyle(document.documentElement);
    const px = (k) => parseFloat(cs.getPropertyValue(k)) || 0;
    let height = px('--e-main') + px('--e-bar');
    if (!$('lesson-bar').hidden) height += px('--e-lb');
    for (const id of ['caption', 'banner']) {
      const el = $(id);
      if (!el || el.hidden) continue;
      const s = getComputedStyle(el);
      height += el.getBoundingClientRect().height + parseFloat(s.marginTop) + parseFloat(s.marginBottom);
    }
    return Math.ceil(height);
  }

  /** Report the wanted height after a layout change (once per frame, with hysteresis). */
  layoutChanged() {
    if (!this.started || this.pendingHeight) return;   // the first report comes with ready()
    this.pendingHeight = requestAnimationFrame(() => {
      this.pendingHeight = 0;
      this.postHeight();
    });
  }

  postHeight(force) {
    const height = this.wantedHeight();
    if (!force && Math.abs(height - this.height) < HYSTERESIS_PX) return;
    this.height = height;
    this.post({ type: 'replscope:height', height });
  }

  error(message) { this.post({ type: 'replscope:error', message: String(message) }); }

  /** The decisions made up to the moment shown, oldest first (the newest DECISIONS_MAX). */
  pastDecisions() {
    const w = this.app.world, out = [];
    for (let i = Math.max(w.decBase, w.decPast - DECISIONS_MAX, 0); i < w.decPast; i++) {
      const d = w.dec(i);
      if (d) out.push(d);
    }
    return out;
  }

  /**
   * After the page has opened what the link asked for. Nothing went to the host before
   * this (frame() waits for it; but a replscope:error about the link): a link that opens in
   * steps shows the default scenario meanwhile, and neither its time nor its decisions are
   * the author's. What the host sent before it is handled now, for the world the link opened.
   */
  ready() {
    const w = this.app.world;
    this.decSent = w.decPast;
    this.seenOpened = w.opened;
    this.seenSeeks = w.seeks;
    this.post({ type: 'replscope:ready', version: 1, ms: w.nowUs / 1000, decisions: this.pastDecisions() });
    this.started = true;
    this.postHeight(true);
    const early = this.early;
    this.early = null;
    for (const d of early) this.onData(d);
    if (!this.autoplay) return;
    // Start when the reader can see it (an embed far down a post waits its turn).
    const io = new IntersectionObserver((es) => {
      if (!es.some((x) => x.isIntersecting)) return;
      io.disconnect();
      this.play();
    }, { threshold: 0.3 });
    io.observe(document.querySelector('main'));
  }

  /**
   * Autoplay. A lesson steps through its captions. A scenario (#s=, #z=, #scenario=) has
   * already run to its end when the page opened it: play its recorded history again from
   * t = 0, or from the moment a #z= link shows when that is before its end (the author
   * had rewound when sharing), so the reader sees what happens in it, not idle time after.
   */
  play() {
    const w = this.app.world;
    if (!this.app.ui.lazy.lessons?.cur && w.nowUs >= w.extentUs) this.app.seek(0);
    this.app.autoplay();
  }

  /**
   * Called after every frame: the time (throttled; and one for each seek or pause the host
   * sent, even one that did not move it) and the decisions time passed while the frame played or stepped. None before ready(), none that a seek (the host's, the reader's
   * scrub, a click on a decision) jumped over, none that a world made as it opened.
   */
  frame(w) {
    if (!this.framed || !this.started) return;
    if (w.opened !== this.seenOpened || w.seeks !== this.seenSeeks) {
      this.seenOpened = w.opened;
      this.seenSeeks = w.seeks;
      this.decSent = w.decPast;
    }
    const now = performance.now();
    const ms = w.nowUs / 1000;
    if (this.timesAsked > 0) {
      // A host that waits for the answer to its seek (or pause) gets one, even when the time
      // did not move (a second seek past the end, a seek to the moment shown, paused already).
      this.lastTime = ms;
      this.lastPost = now;
      for (; this.timesAsked > 0; this.timesAsked--) this.post({ type: 'replscope:time', ms });
    } else if (ms !== this.lastTime && (now - this.lastPost >= TIME_EVERY_MS || !w.playing)) {
      this.lastTime = ms;
      this.lastPost = now;
      this.post({ type: 'replscope:time', ms });
    }
    if (w.decPast > this.decSent) {
      for (let i = Math.max(this.decSent, w.decPast - 5, w.decBase); i < w.decPast; i++) this.post({ type: 'replscope:decision', decision: w.dec(i) });
    }
    this.decSent = w.decPast;
    this.seeking = false;
    for (; this.asked > 0; this.asked--) this.post({ type: 'replscope:decisions', ms, decisions: this.pastDecisions() });
  }

  onMessage(e) {
    if (e.source !== window.parent) return;
    const d = e.data;
    if (d === null || typeof d !== 'object' || Array.isArray(d) || typeof d.type !== 'string') return;
    // Before ready (the link still opening): for the world it opens, so it waits.
    if (this.early) {
      this.early.push(d);
      return;
    }
    this.onData(d);
  }

  /** A message from the host, after ready(). */
  onData(d) {
    // A load opening in steps (below): what the host sends after it is for the world it
    // opens, so it waits, in order, and is handled when that world is open. Another load
    // is not queued: it replaces the running one at once.
    if (this.opening && d.type !== 'replscope:load') {
      this.opening.queue.push(d);
      return;
    }
    this.handle(d);
  }

  /** One message from the host, checked field by field (onMessage has checked its source). */
  handle(d) {
    try {
      switch (d.type) {
        case 'replscope:play':
          checkFields(d, { type: ['string', true] }, 'play');
          this.app.setPlaying(true);
          break;
        case 'replscope:pause':
          checkFields(d, { type: ['string', true] }, 'pause');
          this.app.setPlaying(false);   // a frame follows (main.js), and the time with it
          this.timesAsked++;
          break;
        case 'replscope:seek': {
          const { ms } = checkFields(d, { type: ['string', true], ms: ['number', true] }, 'seek');
          // Any number ≥ 0, Infinity too: past what the run has reached is its end.
          if (Number.isNaN(ms) || ms < 0) throw new LinkError(tr('seek: ms must be a time ≥ 0 (ms)'));
          this.app.setPlaying(false);
          // Not past what the run has reached: seeking forward runs the simulation.
          this.app.seek(Math.min(Math.round(ms * 1000), Math.max(this.app.world.extentUs, this.app.world.nowUs)));
          this.seeking = true;   // applied at the next frame (main.js)
          this.timesAsked++;
          break;
        }
        case 'replscope:load': {
          const o = checkFields(d, {
            type: ['string', true],
            scenario: ['string', true, checkScript],
            seed: ['int', false],
            caption: ['string', false, (v) => { if (v.length > LIMITS.caption) throw new LinkError(tr('the caption is longer than {0} characters', LIMITS.caption)); }],
          }, 'load');
          // A load still opening in steps is replaced by this one (a long one gives it up in
          // opening.js; a short one opens another session, which gives it up too).
          this.replaceOpening();
          if (waitsUs(o.scenario) >= STEPPED_US) {
            this.loadLong(o);
            break;
          }
          this.app.openSession(o.scenario, o.seed ?? null, null, tr(HOST_TITLE));
          this.loaded(o);
          break;
        }
        case 'replscope:decisions':
          checkFields(d, { type: ['string', true] }, 'decisions');
          // After a seek the host asked for, once it is applied (the next frame drawn): the
          // answer is for the moment sought. Otherwise now (an iframe off screen may draw
          // no frame until it is scrolled to).
          if (this.seeking) this.asked = (this.asked || 0) + 1;
          else this.post({ type: 'replscope:decisions', ms: this.app.world.nowUs / 1000, decisions: this.pastDecisions() });
          break;
        default:
          return; // not ours, or a later version's: ignored
      }
    } catch (err) {
      const why = String(err.message || err);
      if (d.type === 'replscope:load') this.loadFailed(why);
      else this.error(`${clip(d.type, 30)}: ${why}`);
    }
  }

  /** A host's scenario is open (in one go or in steps): its caption, and the host is told the time. */
  loaded(o) {
    if ($('banner')?.dataset.load) $('banner').remove();   // an earlier bad load's
    this.setCaption(o.caption ?? '');
    this.decSent = this.app.world.decPast;
    this.post({ type: 'replscope:time', ms: this.app.world.nowUs / 1000 });
  }

  /**
   * A scenario the host sent that does not open: the host is told why, the reader sees it
   * too (the banner a bad share link gets), and what was running keeps running.
   */
  loadFailed(why) {
    this.error(`replscope:load: ${why}`);
    banner(tr('The host page sent a scenario that could not be opened: {0}. The previous scenario keeps running.', trCore(why))).dataset.load = '1';
  }

  /**
   * A load whose waits add up to a simulated minute or more opens in steps (opening.js, via
   * link.js's openLong, as a link does): the progress line at the foot of the frame, the
   * frame answering meanwhile. The host's next messages wait in `queue` (onMessage) and are
   * handled in order once the world is open. If it does not open (its scenario fails as it
   * runs, or the reader stops it: Stop, Esc), the host gets a replscope:error, the previous
   * scenario keeps running, and the queued messages are dropped: they were sent for a world
   * that never opened (the error says how many).
   */
  async loadLong(o) {
    const job = { queue: [] };
    this.opening = job;
    let ok, why = null;
    try {
      ok = await this.app.openLong(o.scenario, o.seed ?? null, null, HOST_TITLE);
    } catch (err) {
      why = String((err && err.message) || err);
    }
    if (this.opening !== job) return;   // replaced by a later load: replaceOpening() said so
    this.opening = null;
    const dropped = this.droppedNote(job);
    if (why != null) {
      this.loadFailed(why);
      if (dropped) this.error(`replscope:load: ${dropped}`);
      return;
    }
    if (!ok) {
      this.error(`replscope:load: ${tr('the reader stopped it before it opened (or opened another session); the previous scenario keeps running')}${dropped ? `; ${dropped}` : ''}`);
      return;
    }
    this.loaded(o);
    // Nothing queued is a load (a load replaces, it is never queued), so none of these
    // starts another opening: they all act on the world just opened.
    for (const m of job.queue) this.handle(m);
  }

  /**
   * A load arrived while another still opens in steps: that one is given up (opening.js
   * does so when the next starts; a short load opening another session does too), and
   * the messages queued after it are dropped, not applied to the new world: they were for
   * the replaced one. The host hears it as a replscope:error, in order, before the new load's
   * own messages.
   */
  replaceOpening() {
    const job = this.opening;
    if (!job) return;
    this.opening = null;
    giveUp();
    const dropped = this.droppedNote(job);
    this.error(`replscope:load: ${tr('replaced by a later replscope:load before it opened')}${dropped ? `; ${dropped}` : ''}`);
  }

  droppedNote(job) {
    const n = job.queue.length;
    return n ? tr('{0} message(s) sent after it were dropped', n) : '';
  }
}

/** The title of a host page's scenario (English: said in the language of the moment). */
const HOST_TITLE = 'Scenario from the host page';

export function init(app, opts) {
  const e = new Embed(app, opts);
  e.init();
  return e;
}
