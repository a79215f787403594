// A partition's held bytes on the topology: each direction's segments are stacked by
// their sender (topology.js draws the marks) and said once, in a tinted pill at the
// stack's far end: which way they go and how many bytes ("m→r1: 81 B held"). The pill
// is opaque and drawn above the messages, so no mark crosses its words, and it is
// placed clear of the marks of the stacks, the cards and the links' tags.

import { v, tr } from './dom.js';
import { textWidth } from './topology.js';

/** Pill height and text size, in px (the text is at least 11 px, as the tags'). */
export const PILL_H = 17;

/**
 * The held segments of `messages`, per direction (`from>to`): { from, to, n, bytes, listed },
 * n counting those a listed one stands for (`more`), bytes their lengths together.
 */
export function heldStacks(messages) {
  const out = new Map();
  for (const m of messages) {
    if (!m.held) continue;
    const k = `${m.from}>${m.to}`;
    let s = out.get(k);
    if (!s) out.set(k, (s = { from: m.from, to: m.to, n: 0, bytes: 0, listed: 0 }));
    s.n += 1 + m.more;
    s.bytes += m.len;
    s.listed += 1;
  }
  return out;
}

/** What a stack's pill says (short: it must find room between a card and a tag). */
export function heldText(s) {
  return tr('{0}→{1}: {2} B held', s.from, s.to, s.bytes);
}

/** The pill's width for `text`, in px. */
export const pillWidth = (text) => textWidth(text, 6.9) + 12;

/**
 * The pill (a virtual node for dom.js's patch) with its text's baseline at (x, y),
 * anchored at its start, middle or end like a label.
 */
export function pill(text, x, y, anchor) {
  const w = pillWidth(text);
  const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
  return v('g', { class: 'held-pill' },
    v('rect', { x: x0.toFixed(1), y: (y - 12.5).toFixed(1), width: w.toFixed(1), height: PILL_H, rx: 4 }),
    v('text', { class: 'ml held', x: (x0 + w / 2).toFixed(1), y: y.toFixed(1), 'text-anchor': 'middle' }, text));
}
