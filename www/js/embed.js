// Embed mode, for an <iframe> in a blog post (index.html?embed=1#z=… or #lesson=…&embed=1):
// the topology, the decision and the ruler with a compact time bar and a caption line;
// locked (no console, no fault buttons or keys) unless the link says edit=1. The page
// reports its height to the host page, and answers a small postMessage API
// (docs/embedding.md):
//   in  (only from window.parent): replscope:play, replscope:pause, replscope:seek {ms},
//       replscope:load {scenario, seed?, caption?}
//   out: replscope:ready, replscope:height {height}, replscope:time {ms} (at most 4 a
//       second), replscope:decision {decision}, replscope:error {message}
// Commands are data: every field is checked, sizes are capped, unknown types ignored.

import { h, tr, $ } from './dom.js';
import { LIMITS, LinkError, checkScript, checkFields, clip, baseUrl } from './link.js';

const TIME_EVERY_MS = 250;
const MAX_SEEK_MS = 1e10;

export class Embed {
  constructor(app, { autoplay, edit }) {
    this.app = app;
    this.autoplay = autoplay;
    this.edit = edit;
    this.framed = window.parent !== window;
    this.lastTime = -1;
    this.lastPost = 0;
    this.decSent = 0;
    this.world = null;
  }

  /** Switch the page to embed mode before its first frame (main.js has loaded more.css). */
  init() {
    const root = document.documentElement;
    root.classList.add('embed');
    if (!this.edit) root.classList.add('locked');
    this.cap = h('aside', { id: 'caption', class: 'caption', 'aria-label': tr('Caption'), hidden: true });
    document.body.insertBefore(this.cap, document.querySelector('main'));
    // A way out to the full page, in the same state (the link is built when clicked).
    const open = h('a', { class: 'btn', id: 'open-full', href: baseUrl(false), target: '_blank', rel: 'noopener', title: tr('Open this in the full replscope page') }, tr('Open in replscope ↗'));
    open.addEventListener('click', async (e) => {
      e.preventDefault();
      const w = window.open('', '_blank');
      let href = baseUrl(false);
      try { href = await (await import('./link.js')).shareLink(this.app.world); } catch { /* too long: the plain page */ }
      if (w) { w.opener = null; w.location.href = href; }
    });
    $('clock').parentElement.append(open);
    if (this.framed) {
      addEventListener('message', (e) => this.onMessage(e));
      new ResizeObserver(() => this.postHeight()).observe(document.body);
    }
  }

  setCaption(text) {
    this.cap.textContent = text || '';
    this.cap.hidden = !text;
  }

  post(msg) {
    if (this.framed) window.parent.postMessage(msg, '*');
  }

  postHeight() {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== this.height) {
      this.height = height;
      this.post({ type: 'replscope:height', height });
    }
  }

  error(message) { this.post({ type: 'replscope:error', message: String(message) }); }

  /** After the page has opened what the link asked for. */
  ready() {
    const w = this.app.world;
    this.decSent = w.decPast;
    this.post({ type: 'replscope:ready', version: 1, ms: w.nowUs / 1000 });
    this.postHeight();
    if (!this.autoplay) return;
    // Start when the reader can see it (an embed far down a post waits its turn).
    const io = new IntersectionObserver((es) => {
      if (!es.some((x) => x.isIntersecting)) return;
      io.disconnect();
      this.app.autoplay();
    }, { threshold: 0.3 });
    io.observe(document.querySelector('main'));
  }

  /** Called after every frame: the time (throttled) and decisions as they happen. */
  frame(w) {
    if (!this.framed) return;
    const now = performance.now();
    const ms = w.nowUs / 1000;
    if (ms !== this.lastTime && (now - this.lastPost >= TIME_EVERY_MS || !w.playing)) {
      this.lastTime = ms;
      this.lastPost = now;
      this.post({ type: 'replscope:time', ms });
    }
    if (w.decPast > this.decSent) {
      for (let i = Math.max(this.decSent, w.decPast - 5); i < w.decPast; i++) this.post({ type: 'replscope:decision', decision: w.decisions[i] });
    }
    this.decSent = w.decPast;
  }

  onMessage(e) {
    if (e.source !== window.parent) return;
    const d = e.data;
    if (d === null || typeof d !== 'object' || Array.isArray(d) || typeof d.type !== 'string') return;
    try {
      switch (d.type) {
        case 'replscope:play':
          checkFields(d, { type: ['string', true] }, 'play');
          this.app.setPlaying(true);
          break;
        case 'replscope:pause':
          checkFields(d, { type: ['string', true] }, 'pause');
          this.app.setPlaying(false);
          break;
        case 'replscope:seek': {
          const { ms } = checkFields(d, { type: ['string', true], ms: ['number', true] }, 'seek');
          if (!Number.isFinite(ms) || ms < 0 || ms > MAX_SEEK_MS) throw new LinkError(tr('seek: ms must be a time ≥ 0'));
          this.app.setPlaying(false);
          // Not past what the run has reached: seeking forward runs the simulation.
          this.app.seek(Math.min(Math.round(ms * 1000), Math.max(this.app.world.extentUs, this.app.world.nowUs)));
          break;
        }
        case 'replscope:load': {
          const o = checkFields(d, {
            type: ['string', true],
            scenario: ['string', true, checkScript],
            seed: ['int', false],
            caption: ['string', false, (v) => { if (v.length > LIMITS.caption) throw new LinkError(tr('the caption is longer than {0} characters', LIMITS.caption)); }],
          }, 'load');
          this.app.openSession(o.scenario, o.seed ?? null, null, tr('Scenario from the host page'));
          this.setCaption(o.caption ?? '');
          this.decSent = this.app.world.decPast;
          this.post({ type: 'replscope:time', ms: this.app.world.nowUs / 1000 });
          break;
        }
        default:
          return; // not ours, or a later version's: ignored
      }
    } catch (err) {
      this.error(`${clip(d.type, 30)}: ${err.message || err}`);
    }
  }
}

export function init(app, opts) {
  const e = new Embed(app, opts);
  e.init();
  return e;
}
