// The host side of docs/embedding.md, as a blog post would include it: size each
// replscope iframe to the height it reports, and keep every message it sends (the
// end-to-end tests read window.messages).
window.messages = [];
window.addEventListener('message', (e) => {
  const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
  if (!frame || !e.data || typeof e.data.type !== 'string' || !e.data.type.startsWith('replscope:')) return;
  window.messages.push({ origin: e.origin, data: e.data });
  if (e.data.type === 'replscope:height' && Number.isFinite(e.data.height)) frame.style.height = `${Math.min(4000, Math.max(100, e.data.height))}px`;
});
