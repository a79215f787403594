// The page's own words in Simplified Chinese: buttons, panel titles, hints, banners,
// dialogs. Loaded only when 中文 is chosen (or the browser prefers Chinese), so the
// first visit in English does not download it. The English text is the key; `{0}`…
// are the values. Lesson captions are in the lessons themselves (www/lessons/*.json).
// Redis's own words (PSYNC, +CONTINUE, replid, master_repl_offset, log lines) stay as
// Redis prints them.

import { setDict } from './dom.js';

const ZH = {
  // header
  'Play': '播放', 'Pause': '暂停', 'Next event': '下一事件', 'Reset': '重置', 'speed': '速度', 'slow-mo': '慢动作', 'seed': '种子', 'Share': '分享',
  'Play / pause (Space)': '播放 / 暂停（空格）', 'Step to the next event (N)': '前进到下一个事件（N）', 'Reload the scenario from its start (Shift+R)': '从头重新加载场景（Shift+R）',
  'Speed, log scale ([ and ])': '速度，对数刻度（[ 和 ]）', 'Reload with another seed': '换一个种子重新加载', 'A link to this moment, embed code, SVG and JSON files': '指向此刻的链接、嵌入代码、SVG 与 JSON 文件',
  'Keyboard shortcuts (?)': '键盘快捷键（?）', 'Lesson or starting scenario': '课程或初始场景', 'Time': '时间',
  'Slow down while bytes are on the wire so every message can be seen crossing its link (M). The dot lights while it is slowing time.': '有字节在线路上传输时放慢时间，让每条消息穿过链路的过程都看得见（M）。放慢时圆点亮起。',
  'Starting scenarios': '初始场景', 'Guided lessons': '引导课程', 'Your scenario': '你的场景',
  // panels
  'Topology': '拓扑', 'PSYNC decision': 'PSYNC 决策', 'Replication stream & backlog': '复制流与积压缓冲区', 'Console': '控制台', 'Timeline': '时间轴', 'Details': '详情',
  'scenario statements, or': '场景语句，或', 'Events': '事件', 'Sequence': '时序图', 'Offsets': '偏移量', 'Settings': '设置', 'Close': '关闭', 'Loading the simulator…': '正在加载模拟器…',
  'Nodes and links; Tab to a node or link, Enter to select it': '节点与链路；用 Tab 移到节点或链路，Enter 选中', 'Actions on the selection': '对所选对象的操作',
  'Decision history': '决策历史', 'Simulated time (arrows: 0.1 s, Shift: 1 s)': '模拟时间（方向键：0.1 秒，Shift：1 秒）', 'Send commands to': '命令发送到',
  'Statement or command': '语句或命令', 'Offsets over time': '偏移量随时间的变化',
  '■ master': '■ 主节点', '○ replica': '○ 从节点', '━ online': '━ 在线', '╍ syncing': '╍ 同步中', '┈ ✕ down': '┈ ✕ 断开', '≈ partitioned': '≈ 网络分区', '• stream': '• 命令流',
  'backlog window': '积压缓冲区窗口', '▲ replica offset (applied)': '▲ 从节点偏移量（已应用）', '▽ last ACK': '▽ 最近一次 ACK', '⚑ PSYNC asked': '⚑ PSYNC 请求位置',
  'No master has a backlog yet: a master creates one when its first replica asks for a full sync.': '还没有主节点拥有积压缓冲区：主节点在第一个从节点请求全量同步时创建它。',
  'Textbook mode: NOT real Redis': '教科书模式：不是真实的 Redis',
  'node': '节点', 'kind': '类别', 'all nodes': '全部节点', 'all kinds': '全部类别', 'messages': '消息', 'replication state': '复制状态', 'commands': '命令',
  'faults & connections': '故障与连接', 'Redis log': 'Redis 日志', 'hide heartbeats (ACK, ping)': '隐藏心跳（ACK、ping）', 'Only events of node': '只看此节点的事件', 'Only events of kind': '只看此类别的事件',
  // actions
  'Reconnect': '重连', 'Disconnect': '断开', 'Heal': '恢复', 'Partition': '分区', 'Latency & bandwidth…': '延迟与带宽…', 'Reconnect {0}': '重连 {0}', 'Disconnect from {0}': '与 {0} 断开',
  'Start': '启动', 'Crash': '崩溃', 'Restart': '重启', 'Promote': '提升为主节点', 'Replicate from…': '复制自…', '+ node': '+ 节点', 'Start one more Redis node as a replica': '再启动一个 Redis 节点作为从节点',
  '■ Stop writes': '■ 停止写入', '▶ Write load': '▶ 写入负载', 'Generate writes on this master': '在这个主节点上持续写入',
  'Select a node or a link (click, or Tab then Enter) to break or change it.': '选中一个节点或一条链路（点击，或 Tab 后按 Enter），即可破坏或修改它。',
  // decision panel
  'No replica has asked to sync yet. When one sends PSYNC, this panel shows the master’s checks, in Redis’s order, with the values that decided between a partial resync (+CONTINUE) and a full one (+FULLRESYNC).': '还没有从节点请求同步。当从节点发送 PSYNC 时，这里按 Redis 的顺序列出主节点做的检查，以及决定部分重同步（+CONTINUE）还是全量重同步（+FULLRESYNC）的那些数值。',
  'Try: ': '试试：', 'partial': '部分', 'full': '全量', ' (later in this run)': '（本次运行中稍后发生）', 'Click to go there.': '点击跳转到那里。', '(later in this run: you rewound)': '（本次运行中稍后发生：你回退了时间）',
  'Partial resync: {0} sends {1} only the {2} byte{5} it missed, offsets {3} … {4}': '部分重同步：{0} 只向 {1} 发送它错过的 {2} 个字节，偏移量 {3} … {4}',
  'Partial resync: {0} sends {1} only the 0 bytes it missed (it was caught up)': '部分重同步：{0} 向 {1} 发送 0 个字节（它并没有落后）',
  ', continuing the history it inherited (replid2)': '，延续它继承的复制历史（replid2）',
  'Full resync: {0} will fork a BGSAVE and ship an RDB snapshot, because {1}': '全量重同步：{0} 将 fork 出 BGSAVE 并发送 RDB 快照，因为 {1}',
  '{0} has no replication history to continue, so it asked PSYNC ? -1.': '{0} 没有可以延续的复制历史，所以它发送了 PSYNC ? -1。',
  '{0} holds the history of replication ID {1}, which {2} does not continue.': '{0} 持有复制 ID {1} 的历史，而 {2} 并不延续这段历史。',
  '{0} asked for byte {1}, past the end of the inherited history ({2}).': '{0} 请求第 {1} 个字节，超出了继承历史的终点（{2}）。',
  '{0} keeps no backlog, so there is nothing to resend from.': '{0} 没有积压缓冲区，无从补发。',
  'the bytes {0} needs (from {1}) have already left {2}’s backlog (first byte {3}): the backlog overflowed.': '{0} 需要的字节（从 {1} 开始）已经离开了 {2} 的积压缓冲区（首字节 {3}）：积压缓冲区溢出了。',
  '{0} asked for byte {1}, beyond {2}’s newest byte {3}.': '{0} 请求第 {1} 个字节，超过了 {2} 最新的字节 {3}。',
  'A replica with no cached master (never synced, or it just full-synced elsewhere) asks for a full sync on purpose.': '没有缓存主节点的从节点（从未同步过，或刚在别处做过全量同步）会主动请求全量同步。',
  'Whose history? Only the master’s own replid, or the replid2 it inherited when promoted, can be continued.': '是谁的历史？只有主节点自己的 replid，或它被提升时继承的 replid2，才能被延续。',
  'The inherited history is valid only up to where it ended.': '继承的历史只在它结束之前有效。',
  'Without a backlog there is nothing to resend from.': '没有积压缓冲区就无从补发。',
  'The first byte the replica lacks must still be in the backlog…': '从节点缺少的第一个字节必须还在积压缓冲区里……',
  '…and must not be ahead of the master (master_repl_offset + 1 means “caught up”, 0 bytes).': '……而且不能超过主节点（master_repl_offset + 1 表示“已追上”，0 字节）。',
  'asked offset ≤ second_repl_offset': '请求的偏移量 ≤ second_repl_offset', 'the master has a backlog': '主节点有积压缓冲区',
  'asked offset ≥ the backlog’s first byte': '请求的偏移量 ≥ 积压缓冲区的首字节', 'asked offset ≤ first byte + histlen': '请求的偏移量 ≤ 首字节 + histlen',
  'not checked: {0}': '未检查：{0}', 'Redis stops at the first failed check.': 'Redis 在第一个未通过的检查处停止。', 'passed': '通过', 'failed': '未通过',
  'Checks, in the order Redis makes them': '检查项，按 Redis 的检查顺序', '{0} log: ': '{0} 日志：', 'continues from {0} to {1} + {2} = {3}': '可从 {0} 延续到 {1} + {2} = {3}', 'asked {0}': '请求 {0}',
  // console
  'the scenario printed:': '场景输出：', 'loaded.': '已加载。', '… {0} lines (Share shows the whole scenario)': '…… 共 {0} 行（“分享”中可看到完整场景）',
  'the link asked for t = {0} s, after its end': '链接要求 t = {0} 秒，超出了它的终点',
  // starting scenarios
  'A master and two replicas, in sync': '一主两从，已同步', 'Full sync from scratch (slow links)': '从零开始的全量同步（慢速链路）', 'Partial resync after a disconnect': '断线后的部分重同步',
  'Backlog overflow → full resync': '积压缓冲区溢出 → 全量重同步', 'Failover: promote a replica': '故障转移：提升一个从节点', 'Master restart keeps its history (7.0)': '主节点重启后保留复制历史（7.0）',
  'Heartbeats, partitions and repl-timeout': '心跳、网络分区与 repl-timeout', 'Chained replicas: m → r1 → r2': '级联复制：m → r1 → r2', 'Benchmark: 6 nodes at 1000 writes/s': '压力测试：6 个节点，每秒 1000 次写入',
  'select the m ↔ r1 link and press D to disconnect it, type SET k1 v1 in the console, then press R to reconnect: r1 asks PSYNC from the byte after its last one, and m answers +CONTINUE with just the missed bytes.': '选中 m ↔ r1 链路并按 D 断开，在控制台输入 SET k1 v1，再按 R 重连：r1 从它最后一个字节的下一个字节开始发送 PSYNC，m 回复 +CONTINUE，只补发错过的字节。',
  'press Play. Both replicas send PSYNC ? -1 (no history), m answers +FULLRESYNC, waits repl-diskless-sync-delay (5 s) so one snapshot serves both, then streams the RDB (the orange parcel) and the writes buffered meanwhile.': '按“播放”。两个从节点都发送 PSYNC ? -1（没有历史），m 回复 +FULLRESYNC，等待 repl-diskless-sync-delay（5 秒）让一份快照同时服务两者，然后发送 RDB（橙色包裹）以及期间缓冲的写命令。',
  'select the m ↔ r1 link and press R (reconnect). r1 retries about once a second, sends PSYNC <replid> <its offset + 1>; that byte is still in m’s backlog, so m answers +CONTINUE and sends only the three missed writes.': '选中 m ↔ r1 链路并按 R（重连）。r1 大约每秒重试一次，发送 PSYNC <replid> <它的偏移量 + 1>；这个字节还在 m 的积压缓冲区里，所以 m 回复 +CONTINUE，只发送错过的三条写命令。',
  'r1 missed 41 KB of writes; m’s backlog is 16 KB (repl-backlog-size 16kb, trimmed in whole 16 KB blocks, so it holds 16 to 32 KB). Reconnect r1 (select the m ↔ r1 link, press R): the first byte it needs has left the window, so m answers +FULLRESYNC.': 'r1 错过了 41 KB 的写入；m 的积压缓冲区是 16 KB（repl-backlog-size 16kb，按整块 16 KB 裁剪，所以保存 16 到 32 KB）。重连 r1（选中 m ↔ r1 链路，按 R）：它需要的第一个字节已经离开窗口，所以 m 回复 +FULLRESYNC。',
  'select r1 and press P (REPLICAOF NO ONE): r1 takes a new replid and keeps m’s as replid2. Then select r2 and pick “REPLICAOF r1”: its PSYNC names the old replid, which r1 still continues (+CONTINUE via replid2). Redis 2.8 matched run ids and would have done a full sync.': '选中 r1 并按 P（REPLICAOF NO ONE）：r1 换上新的 replid，并把 m 的 replid 保留为 replid2。然后选中 r2 并选择“REPLICAOF r1”：它的 PSYNC 带的是旧 replid，r1 仍能延续（通过 replid2 回复 +CONTINUE）。Redis 2.8 比对的是运行 ID，会做全量同步。',
  'select m and press S (restart: SHUTDOWN saves dump.rdb, then a new process starts with a new run_id). Redis 7.0 loads the old replid from the RDB as replid2, so both replicas continue (+CONTINUE). Compare C (crash): nothing is saved after the last write, the replicas are ahead, and they full-sync.': '选中 m 并按 S（重启：SHUTDOWN 保存 dump.rdb，然后以新的 run_id 启动新进程）。Redis 7.0 从 RDB 中把旧 replid 读作 replid2，所以两个从节点都能延续（+CONTINUE）。对比 C（崩溃）：最后一次写入之后什么都没保存，从节点反而领先，于是全量同步。',
  'watch the violet REPLCONF ACKs, one a second from each replica. Partition m ↔ r1 (select the link, X): nothing closes, bytes vanish. After repl-timeout (10 s here) both sides give up; heal (H) and r1 continues with PSYNC. A low ACK never makes the master resend: only a reconnect does.': '观察紫色的 REPLCONF ACK，每个从节点每秒一次。对 m ↔ r1 做网络分区（选中链路，按 X）：连接不会关闭，字节凭空消失。repl-timeout（这里是 10 秒）之后两端都放弃；恢复（H）后 r1 用 PSYNC 延续。偏低的 ACK 从不会让主节点重发：只有重连才会。',
  'write on m and follow the bytes: r1 forwards exactly what it applied, so r2 has the same replid and offsets. Disconnect m ↔ r1: r2 stays attached to r1, which refuses nothing until its own link state changes.': '在 m 上写入并跟踪字节：r1 原样转发它应用的内容，所以 r2 有相同的 replid 和偏移量。断开 m ↔ r1：r2 仍然连着 r1，r1 在自己的链路状态变化之前什么都不拒绝。',
  'the page applies one SET every millisecond on m (each a logged statement). The frame-time figures are in the console.': '页面每毫秒在 m 上执行一次 SET（每次都记录为一条语句）。帧耗时数据显示在控制台中。',
  // dialogs
  'Keyboard': '键盘', 'play / pause': '播放 / 暂停', 'next event': '下一个事件', 'slower / faster': '更慢 / 更快', 'slow motion on wires on/off': '线路慢动作 开 / 关',
  'on the timeline: 0.1 s (Shift: 1 s)': '在时间轴上：0.1 秒（Shift：1 秒）', 'select a node or link': '选中节点或链路', 'disconnect / reconnect': '断开 / 重连', 'partition / heal': '分区 / 恢复',
  'crash / (re)start a node': '崩溃 / （重新）启动节点', 'promote (REPLICAOF NO ONE)': '提升为主节点（REPLICAOF NO ONE）', 'INFO of the node': '节点的 INFO', 'add a node': '添加节点',
  'console': '控制台', 'console history': '控制台历史', 'clear the selection': '取消选择', 'reset': '重置', 'next lesson step': '课程下一步',
  'Every click is a scenario statement: it appears in the console and in the exported scenario.': '每一次点击都是一条场景语句：它会出现在控制台和导出的场景中。',
  'Share and export': '分享与导出', 'Link': '链接', 'Files': '文件', 'Scenario': '场景', 'Caption': '说明文字', 'Caption shown with the link (optional)': '随链接显示的说明文字（可选）',
  'The link carries the whole session (scenario, seed, every action at its instant, and the moment shown): it opens exactly this view.': '链接包含整个会话（场景、种子、每个操作及其发生的时刻，以及当前显示的时刻）：打开后就是完全相同的画面。',
  'Copy link': '复制链接', 'Copy lesson link': '复制课程链接', 'Lesson link': '课程链接', 'Copy embed code': '复制嵌入代码', 'Link ({0} characters)': '链接（{0} 个字符）', 'Embed code': '嵌入代码', '{0} copied.': '已复制{0}。',
  'Copy failed: select the text and copy it.': '复制失败：请选中文本后手动复制。', 'Save the view as SVG': '将画面保存为 SVG', 'Save the session (JSON)': '保存会话（JSON）', 'Open a session file…': '打开会话文件…',
  'SVG saved.': 'SVG 已保存。', 'Session saved.': '会话已保存。', 'Session file': '会话文件', 'Scenario text': '场景文本', 'Copy': '复制', 'Load this text': '加载这段文本',
  'It replays exactly: every statement at the instant it was applied. Edit it and load it.': '它会精确重放：每条语句都在它当初执行的时刻执行。可以编辑后加载。',
  'Seed': '种子', 'Reload with this seed': '用这个种子重新加载',
  'The seed drives every random choice (run ids, replication ids, start-up phases). The same scenario and seed always give the same bytes.': '种子决定所有随机选择（运行 ID、复制 ID、启动时相位）。同样的场景和种子总是产生同样的字节。',
  // links, files, banners
  'Shared session': '分享的会话', 'Shared scenario': '分享的场景', 'Imported session': '导入的会话', 'Scenario from the host page': '来自宿主页面的场景', 'Dismiss': '关闭提示',
  'Open in replscope ↗': '在 replscope 中打开 ↗', 'Open this in the full replscope page': '在完整的 replscope 页面中打开',
  'This link could not be opened: {0}. The default scenario is loaded instead.': '无法打开这个链接：{0}。已改为加载默认场景。',
  'This link could not be opened: {0}. Your session is unchanged.': '无法打开这个链接：{0}。你当前的会话没有改变。',
  'This file could not be opened: {0}. Your session is unchanged.': '无法打开这个文件：{0}。你当前的会话没有改变。',
  'Session imported and verified: the replay reproduced all {0} trace records in the file.': '会话已导入并通过验证：重放完全复现了文件中的全部 {0} 条追踪记录。',
  'Session imported, but the replay differs from the file at trace record {0}: the file has {1}, the replay {2}.': '会话已导入，但重放结果在第 {0} 条追踪记录处与文件不同：文件中是 {1}，重放得到 {2}。',
  'the data is not valid base64url': '数据不是合法的 base64url', 'the data is not UTF-8 text': '数据不是 UTF-8 文本', 'the data is not valid compressed data': '数据不是合法的压缩数据',
  'it unpacks to more than {0}': '解压后超过 {0}', 'the data nests deeper than {0} levels': '数据嵌套超过 {0} 层', 'the data is not valid JSON': '数据不是合法的 JSON',
  'the link is {0} long (at most {1})': '链接长达 {0}（上限 {1}）', 'the link has no valid version': '链接没有合法的版本号', 'the link is not an object': '链接内容不是对象',
  'it was made by a newer version of replscope (v{0})': '它由更新版本的 replscope 生成（v{0}）', 'unknown field "{0}" in {1}': '{1}中有未知字段“{0}”', '{0} lacks the field "{1}"': '{0}缺少字段“{1}”',
  'the field "{0}" must be {1}': '字段“{0}”必须是{1}', 'a whole number ≥ 0': '≥ 0 的整数', 'text': '文本', 'a list': '列表', '{0} is not an object': '{0}不是对象', 'the link': '链接', 'the file': '文件',
  'the scenario is not text': '场景不是文本', 'the scenario is longer than {0}': '场景超过 {0}', 'the scenario starts {0} nodes (at most {1})': '场景启动了 {0} 个节点（上限 {1}）',
  'the scenario may run {0} hours of simulated time (at most {1})': '场景可能运行 {0} 小时的模拟时间（上限 {1}）', 'the caption is longer than {0} characters': '说明文字超过 {0} 个字符',
  'there is no lesson "{0}"': '没有名为“{0}”的课程', 'there is no variant "{0}"': '没有名为“{0}”的变体', 'there is no starting scenario "{0}"': '没有名为“{0}”的初始场景',
  'this session makes a {0} link (at most {1}): save it as a file instead': '这个会话生成的链接长达 {0}（上限 {1}）：请改为保存成文件',
  'the file is not valid JSON': '文件不是合法的 JSON', 'the file is not a replscope session (v1)': '文件不是 replscope 会话（v1）', 'the file is {0} MB (at most {1} MB)': '文件大小为 {0} MB（上限 {1} MB）',
  'the trace has more than {0} records': '追踪记录超过 {0} 条', 'trace record {0} has no valid seq': '第 {0} 条追踪记录没有合法的 seq',
  '(the file ends here)': '（文件到此结束）', '(the replay ends here)': '（重放到此结束）', 'seek: ms must be a time ≥ 0': 'seek：ms 必须是 ≥ 0 的时间',
};

const ATTRS = ['title', 'aria-label', 'placeholder'];
// Regions the panels draw (and redraw in the chosen language) themselves.
const DYNAMIC = '#con-out, #events, #seq, #info, #topo, #rulers, #decision, #settings, #lesson-bar, #dlg-body, #banner, #caption, #lesson, #dec-hist, #tl-dec, #actions, #topo-legend, #ruler-legend, #chart-legend';
const orig = new WeakMap();  // node → its English text (or {attr: English value})

function swap(en, lang) {
  if (lang !== 'zh') return en;
  const key = en.trim();
  const zh = key && ZH[key];
  return zh ? en.replace(key, zh) : en;
}

/** Put the page in `lang` ('en' or 'zh'): its static words here, the rest redrawn. */
export function apply(lang, ui) {
  words(lang);
  ui.showLang();
  ui.legend();
  ui.fillLessons();
  ui.setPlaying(ui.world.playing);
  for (const p of [...ui.panels, ...Object.values(ui.lazy)]) if (p && 'sig' in p) p.sig = '';
  ui.panels[3].fsig = '';
  ui.lazy.lessons?.render();
  ui.lazy.dialogs?.relabel();
  ui.dirty = true;
}

function words(lang) {
  setDict(lang === 'zh' ? ZH : null);
  document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : 'en';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.nodeType === 1 && n.matches(DYNAMIC) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.currentNode; n; n = walker.nextNode()) {
    if (n.nodeType === 3) {
      if (!orig.has(n)) { if (!ZH[n.data.trim()]) continue; orig.set(n, n.data); }
      n.data = swap(orig.get(n), lang);
    } else {
      for (const a of ATTRS) {
        if (!n.hasAttribute(a)) continue;
        let o = orig.get(n);
        if (!o) orig.set(n, (o = {}));
        if (!(a in o)) { if (!ZH[n.getAttribute(a).trim()]) continue; o[a] = n.getAttribute(a); }
        n.setAttribute(a, swap(o[a], lang));
      }
    }
  }
  document.title = lang === 'zh' ? 'replscope · Redis 7.0 复制模拟' : 'replscope · Redis 7.0 replication, simulated';
}

/** For the tests: every key, to check the page's words against. */
export const KEYS = Object.keys(ZH);
