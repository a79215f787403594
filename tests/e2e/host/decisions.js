// A post that lists the PSYNC decisions of the scenario it embeds, as docs/embedding.md's
// example does: from the `decisions` of replscope:ready (what the scenario decided while it
// opened), and again from the answer to a replscope:decisions request (after a seek or a
// load). The frame's address is this page's ?src= (the tests serve the frame elsewhere).
const frame = document.querySelector('iframe');
const origin = new URL(new URLSearchParams(location.search).get('src')).origin;
const list = document.getElementById('decisions');
addEventListener('message', (e) => {
  const d = e.data;
  if (e.origin !== origin || e.source !== frame.contentWindow || !d || !Array.isArray(d.decisions)) return;
  if (d.type !== 'replscope:ready' && d.type !== 'replscope:decisions') return;
  list.replaceChildren(...d.decisions.map((r) => {
    const li = document.createElement('li');
    li.textContent = `${(r.t_us / 1e6).toFixed(3)} s: ${r.decision.replica} → ${r.decision.verdict.verdict}`;
    return li;
  }));
});
document.getElementById('ask').addEventListener('click', () => frame.contentWindow.postMessage({ type: 'replscope:decisions' }, origin));
frame.src = new URLSearchParams(location.search).get('src');
