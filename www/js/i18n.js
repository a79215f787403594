// The page's own words in Simplified Chinese: buttons, panel titles, hints, banners,
// dialogs. Loaded only when 中文 is chosen (or the browser prefers Chinese), so the
// first visit in English does not download it. The English text is the key; `{0}`…
// are the values. Lesson captions are in the lessons themselves (www/lessons/*.json).
// Redis's own words (PSYNC, +CONTINUE, replid, master_repl_offset, log lines) stay as
// Redis prints them.

import { setDict } from './dom.js';

const ZH = {
  // the lesson bar and the lesson cards (lessons.js, main.js)
  'Start ▶': '开始 ▶', 'Next step ▶': '下一步 ▶', 'Check the result ✓': '检查结果 ✓', 'Check ✓': '检查结果 ✓', 'Check the result': '检查结果', 'Step {0} of {1}': '第 {0} 步，共 {1} 步',
  'TEXTBOOK MODE — NOT REAL REDIS': '教科书模式——不是真实的 Redis', '✓ Every check held ({0})': '✓ 全部检查通过（{0} 项）', '✕ A check failed (see the console):': '✕ 有检查未通过（详见控制台）：',
  'Looking back at t = {0} s (read-only). The lesson is at t = {1} s.': '正在回看 t = {0} 秒时的状态（只读）。课程进行到 t = {1} 秒。',
  'You are looking back inside the lesson: press “Back to the lesson” first.': '你正在回看课程中过去的时刻：请先点击“回到课程”。',
  'You changed this world with your own statements, so the lesson’s checks ran on your version of it.': '你用自己的语句改变了这个场景，所以课程的检查是在你修改后的场景上运行的。',
  'What to say in the interview': '面试时可以这样回答', 'What to remember': '要记住的要点', 'Back to the lesson': '回到课程',
  '◀ Previous step': '◀ 上一步', '◀ Previous': '◀ 上一步', 'Replay to the end of the previous step': '重放到上一步结束时', 'Skips to the end of this step, then goes on': '先快进到这一步结束，再继续',
  'Still playing… “{0}” jumps to the end of this step.': '仍在播放……点“{0}”可直接跳到这一步的结尾。',
  'Replay the lesson’s own steps': '按课程原本的步骤重放', 'Textbook mode (NOT Redis) ▶': '教科书模式（不是 Redis）▶', 'Back to real Redis': '回到真实的 Redis',
  'Next lesson: {0} ▶': '下一课：{0} ▶', 'Start over': '重新开始', 'Close the lesson': '关闭课程',
  'Question {0}': '第 {0} 题', 'Myth check': '误区辨析', 'Myth checks': '误区辨析', 'Incident': '线上事故', 'Incidents': '线上事故', 'Lessons': '课程', 'The lessons, as cards': '以卡片形式列出全部课程', 'Close the lessons': '关闭课程列表',
  'Learn Redis replication by watching it': '看着它运行，学会 Redis 主从复制',
  'The six questions every Redis interview asks about replication, one myth and four real incidents, each played step by step on a simulated Redis (7.0, 8.0 or Valkey 8.1) that counts every byte as the real one does.': '面试中关于 Redis 复制必问的六个问题、一个常见误区和四个真实的线上事故，每一个都在模拟的 Redis（7.0、8.0 或 Valkey 8.1）上一步一步演示，每个字节都和真实的服务器一样计数。',
  'Interview questions, in the order of the article': '面试题，按文章的顺序', 'Incidents people really hit': '真实遇到过的线上事故', 'Or explore on your own': '或者自己动手探索',
  'No replica has sent PSYNC since this lesson began (the setup’s syncs are in the timeline). When one does, this panel shows the master’s checks, in Redis’s order, with the values that decide between a partial resync (+CONTINUE) and a full one (+FULLRESYNC).': '本课开始以来还没有从节点发送 PSYNC（准备阶段的同步记录在时间轴上）。从节点一发送 PSYNC，这里就按 Redis 的检查顺序列出主节点做的每一项检查，以及决定做部分重同步（+CONTINUE）还是全量同步（+FULLRESYNC）的具体数值。',
  'Lesson': '课程',
  '→ {0}, RDB {1} B': '→ {0}，RDB {1} B',
  'Free play': '自由探索', 'A master and two replicas, running': '一个主节点和两个从节点，正在运行', 'Click a link or a node to break it; type Redis commands in the console.': '点击链路或节点来制造故障；在控制台里输入 Redis 命令。',
  // header
  'Play': '播放', 'Pause': '暂停', 'Next event': '下一个事件', 'Reset': '重置', 'speed': '速度', 'slow-mo': '慢动作', 'seed': '种子', 'Share': '分享',
  'Play / pause (Space)': '播放 / 暂停（空格）', 'Step to the next event (N)': '前进到下一个事件（N）', 'Reload the scenario from its start (Shift+R)': '从头重新加载场景（Shift+R）',
  'Speed, log scale ([ and ])': '速度，对数刻度（[ 和 ]）', 'Reload with another seed': '换一个种子重新加载', 'A link to this moment, embed code, SVG and JSON files': '指向此刻的链接、嵌入代码、SVG 与 JSON 文件',
  'Keyboard shortcuts (?)': '键盘快捷键（?）', 'Lesson or starting scenario': '课程或初始场景', 'Time': '时间',
  'Slow down while bytes are on the wire so every message can be seen crossing its link (M). The dot lights while it is slowing time, with the speed time then runs at.': '线路上有数据在传输时自动放慢时间，让每条消息穿过链路的过程都看得清（M）。正在放慢时，圆点会亮起，旁边是此刻时间实际运行的速度。',
  'Starting scenarios': '初始场景', 'Guided lessons': '引导课程', 'Your scenario': '你的场景',
  // panels
  'Topology': '拓扑', 'PSYNC decision': 'PSYNC 决策', 'Replication stream & backlog': '复制流与复制积压缓冲区', 'Console': '控制台', 'Timeline': '时间轴', 'Details': '详情',
  'scenario statements, or': '场景语句，或', 'Events': '事件', 'Sequence': '时序图', 'Offsets': '偏移量', 'Settings': '设置', 'Close': '关闭', 'Loading the simulator…': '正在加载模拟器…',
  'Nodes and links; Tab to a node or link, Enter to select it': '节点与链路：按 Tab 移到节点或链路，按 Enter 选中', 'Actions on the selection': '对所选对象的操作',
  'Decision history': '决策历史', 'Simulated time (arrows: 0.1 s, Shift: 1 s)': '模拟时间（方向键：0.1 秒，Shift：1 秒）', 'Send commands to': '命令发送到',
  'Statement or command': '语句或命令', 'Offsets over time': '复制偏移量随时间的变化',
  '■ master': '■ 主节点', '○ replica': '○ 从节点', '━ online': '━ 在线', '╍ syncing': '╍ 同步中', '┈ ✕ down': '┈ ✕ 断开', '≈ partitioned': '≈ 网络分区', '• stream': '• 命令流',
  'backlog window': '积压缓冲区窗口', '▲ replica offset (applied)': '▲ 从节点偏移量（已应用）', '▽ last ACK': '▽ 最近一次 ACK', '⚑ PSYNC asked': '⚑ PSYNC 请求的位置',
  'No master has a backlog yet: a master creates one when its first replica asks for a full sync.': '还没有主节点创建复制积压缓冲区：主节点在第一个从节点请求全量同步时才创建它。',
  'Textbook mode: NOT real Redis': '教科书模式：这不是真实的 Redis',
  'node': '节点', 'kind': '类别', 'all nodes': '全部节点', 'all kinds': '全部类别', 'messages': '消息', 'replication state': '复制状态', 'commands': '命令',
  'faults & connections': '故障与连接', 'Redis log': 'Redis 日志', 'hide heartbeats (ACK, ping)': '隐藏心跳（ACK、ping）', 'Only events of node': '只显示该节点的事件', 'Only events of kind': '只显示该类别的事件',
  'older events not listed: the list shows the newest {0} (a filter by node or kind searches the last {1} the simulator keeps)': '更早的事件未列出：列表只显示最新的 {0} 条（按节点或类型筛选时，会在模拟器保留的最近 {1} 条中查找）',
  'the newest {0} matching events (searched back to t = {2} s: the last {1} events)': '最新的 {0} 条匹配事件（已回溯搜索到 t = {2} s：最近的 {1} 条事件）',
  'searched back to t = {1} s: the {0} events the simulator keeps (older ones were dropped to bound memory)': '已回溯搜索到 t = {1} s：模拟器保留的 {0} 条事件（更早的已为限制内存而丢弃）',
  'history before t = {0} s was dropped to bound memory: the page shows the earliest moment it kept': 't = {0} 秒之前的历史已丢弃以限制内存：页面显示它保留的最早时刻',
  '{0} cannot be replayed with another version: history before t = {1} s was dropped to bound memory, so this session cannot be rebuilt from its start. “Reload with this version” runs the scenario’s text instead.': '无法用另一个版本重放 {0}：t = {1} 秒之前的历史已丢弃以限制内存，这个会话无法从头重建。“用这个版本重新加载”会改为运行场景文本。',
  'history before t = {0} s was dropped to bound memory, so this session’s statements cannot be replayed from its start (untick “with the statements applied since it loaded” to compare the scenario’s text)': 't = {0} 秒之前的历史已丢弃以限制内存，所以无法从头重放这个会话的语句（取消勾选“包括加载之后执行过的语句”即可对比场景文本）',
  'history before t = {0} s was dropped to bound memory, so no link or file can rebuild this session (its scenario text, in Share, starts after the dropped part)': 't = {0} 秒之前的历史已丢弃以限制内存，所以链接或文件都无法重建这个会话（“分享”里的场景文本从丢弃部分之后开始）',
  'Replaced the {0} s recorded after t = {1} s (no undo: this session is too long to rebuild).': '已替换 t = {1} 秒之后记录的 {0} 秒（无法撤销：这个会话太长，无法重建）。',
  // actions
  'Reconnect': '重连', 'Disconnect': '断开', 'Heal': '恢复网络', 'Partition': '网络分区', 'Latency & bandwidth…': '延迟与带宽…', 'Reconnect {0}': '重连 {0}', 'Disconnect from {0}': '断开与 {0} 的连接',
  'Start': '启动', 'Crash': '崩溃', 'Restart': '重启', 'Promote': '提升为主节点', 'Fail over': '故障转移', 'Replicate from…': '复制自…', '+ node': '+ 节点', 'Start one more Redis node as a replica': '再启动一个 Redis 节点作为从节点',
  '■ Stop writes': '■ 停止写入', '▶ Write load': '▶ 写入负载', 'Generate writes on this master': '在这个主节点上持续写入',
  'Select a node or a link (click, or Tab then Enter) to break or change it.': '选中一个节点或一条链路（点击，或按 Tab 再按 Enter），就可以让它出故障或修改它。',
  // decision panel
  'No replica has asked to sync yet. When one sends PSYNC, this panel shows the master’s checks, in Redis’s order, with the values that decided between a partial resync (+CONTINUE) and a full one (+FULLRESYNC).': '还没有从节点请求同步。从节点一发送 PSYNC，这里就按 Redis 的检查顺序列出主节点做的每一项检查，以及决定做部分重同步（+CONTINUE）还是全量同步（+FULLRESYNC）的具体数值。',
  'time stopped: a replica’s full sync would take the simulated data over 256 MB, the page’s limit (replscope’s, not Redis’s). To go on: REPLICAOF NO ONE on that replica, or delete data.': '时间已停止：一个从节点的全量同步会让模拟数据超过 256 MB，这是页面的上限（replscope 的限制，不是 Redis 的）。要继续：在该从节点上执行 REPLICAOF NO ONE，或删除数据。',
  'time stopped: an RDB file or a sync took the simulated data over 256 MB, the page’s limit (replscope’s, not Redis’s). Play on, or delete data: until then statements that add data are refused.': '时间已停止：一个 RDB 文件或一次同步让模拟数据超过了 256 MB，这是页面的上限（replscope 的限制，不是 Redis 的）。可以继续播放，或删除数据；在此之前，会增加数据的语句都会被拒绝。',
  '{0} earlier decisions not kept': '更早的 {0} 条决策未保留', '{0} earlier decision not kept': '更早的 {0} 条决策未保留',
  'The last decision before this moment is no longer kept: the page keeps the newest {0}. Play on to see the next one.': '此刻之前的最后一条决策已不再保留：页面只保留最新的 {0} 条。继续播放即可看到下一条。', 'Dropped to bound memory: the page keeps the newest {0} decisions.': '为限制内存已丢弃：页面只保留最新的 {0} 条决策。',
  'Try: ': '试试：', 'partial': '部分', 'full': '全量', ' (later in this run)': '（本次运行中稍后发生）', 'Click to go there.': '点击跳转到该时刻。', '(later in this run: you rewound)': '（本次运行中稍后发生：你已把时间倒回）',
  
  
  
  
  '{0} has no replication history to continue, so it asked PSYNC ? -1.': '{0} 没有可以延续的复制历史，所以它发送了 PSYNC ? -1。',
  '{0} holds the history of replication ID {1}, which {2} does not continue.': '{0} 持有的是复制 ID {1} 的历史，{2} 无法延续这段历史。',
  '{0} asked for byte {1}, past the end of the inherited history ({2}).': '{0} 请求从第 {1} 个字节开始，已超出继承历史的终点（{2}）。',
  '{0} keeps no backlog, so there is nothing to resend from.': '{0} 没有复制积压缓冲区，无从补发。',
  'Why the link dropped: ': '链路为何断开：',
  'at t = {0} s, {1} closed {2}’s link because its output buffer ({3} bytes) passed client-output-buffer-limit{4} ({5}).': 't = {0} 秒时，{1} 断开了 {2} 的连接，因为 {2} 的输出缓冲区（{3} 字节）超过了 client-output-buffer-limit{4}（{5}）。',
  'at t = {0} s, {1} closed {2}’s link because its output buffer ({3} bytes) passed client-output-buffer-limit.': 't = {0} 秒时，{1} 断开了 {2} 的连接，因为 {2} 的输出缓冲区（{3} 字节）超过了 client-output-buffer-limit。',
  ' Then it reconnected and asked PSYNC:': '随后它重新连接，发来了 PSYNC：',
  'hard limit {0}': '硬上限 {0}', 'hard limit {0}, raised to repl-backlog-size {1}': '硬上限 {0}，已提高到 repl-backlog-size 的 {1}', 'no hard limit': '没有硬上限',
  'soft {0} for {1} s': '软上限 {0}，持续 {1} 秒', 'no soft limit': '没有软上限',
  'the bytes {0} needs (from {1}) have already left {2}’s backlog (first byte {3}): the backlog overflowed.': '{0} 需要的数据（从第 {1} 个字节起）已被挤出 {2} 的复制积压缓冲区（缓冲区现在从第 {3} 个字节起）：积压缓冲区溢出了。',
  '{0} asked for byte {1}, beyond {2}’s newest byte {3}.': '{0} 请求从第 {1} 个字节开始，比 {2} 最新的字节（{3}）还要靠后。',
  'A replica with no cached master (never synced, or it just full-synced elsewhere) asks for a full sync on purpose.': '没有缓存主节点信息的从节点（从未同步过，或刚在别处做完全量同步）会主动请求全量同步。',
  'Whose history? Only the master’s own replid, or the replid2 it inherited when promoted, can be continued.': '这是谁的复制历史？只有主节点自己的 replid，或它被提升时继承下来的 replid2，才能被延续。',
  'The inherited history is valid only up to where it ended.': '继承来的历史只在它结束的位置之前有效。',
  'Without a backlog there is nothing to resend from.': '没有复制积压缓冲区，就无从补发。',
  'The first byte the replica lacks must still be in the backlog…': '从节点缺的第一个字节必须还在积压缓冲区里……',
  '…and must not be ahead of the master (master_repl_offset + 1 means “caught up”, 0 bytes).': '……而且不能超过主节点（master_repl_offset + 1 表示“已追上”，补发 0 字节）。',
  'asked offset ≤ second_repl_offset': '请求的偏移量 ≤ second_repl_offset', 'the master has a backlog': '主节点有复制积压缓冲区',
  'asked offset ≥ the backlog’s first byte': '请求的偏移量 ≥ 积压缓冲区的首字节', 'asked offset ≤ first byte + histlen': '请求的偏移量 ≤ 首字节 + histlen',
  'not checked: {0}': '未检查：{0}', 'Redis stops at the first failed check.': 'Redis 遇到第一项未通过的检查就停止。', 'passed': '通过', 'failed': '未通过',
  'Checks, in the order Redis makes them': '检查项（按 Redis 的检查顺序）', '{0} log: ': '{0} 日志：', 'continues from {0} to {1} + {2} = {3}': '可延续的范围：{0} 到 {1} + {2} = {3}', 'asked {0}': '请求 {0}',
  // console
  'the scenario printed:': '场景输出：', '{0} {1}': '{0}{1}', '…(+{0} characters)': '……（还有 {0} 个字符）', 'loaded.': '已加载。', '… {0} lines (Share shows the whole scenario)': '…… 共 {0} 行（“分享”中可看到完整场景）',
  'the link asked for t = {0} s, after its end': '链接要求跳到 t = {0} 秒，已超出它的终点',
  'Running {0}: {1}% of its simulated time has run (t = {2} s).': '正在执行 {0}：已走完其模拟时间的 {1}%（t = {2} 秒）。',
  'Stop': '停止',
  'Loading {0}: t = {1} s (its waits add up to {2} s).': '正在加载 {0}：模拟时间已到 t = {1} 秒（它的 wait 共 {2} 秒）。',
  '{0} is still loading: press Stop (or Esc) first.': '{0} 还在加载：请先按“停止”（或按 Esc）。',
  'Loading {0} was given up at t = {1} s: another session was opened.': '{0} 的加载在 t = {1} 秒时放弃了：已打开另一个会话。',
  'Loading {0} stopped at t = {1} s: the session shown is unchanged.': '{0} 的加载停在了 t = {1} 秒：当前显示的会话没有改变。',
  'no link or file of this session would open: {0}. The scenario text below still runs it.': '这个会话的链接或文件都无法打开：{0}。下方的场景文本仍然可以运行它。',
  'frame time (sim + render) over the last 300 frames: p50 {0} ms, p95 {1} ms': '最近 300 帧的帧耗时（模拟 + 绘制）：p50 {0} 毫秒，p95 {1} 毫秒',
  'The write load pauses while a typed wait runs: it writes while time plays.': '输入的 wait 执行期间，写入负载会暂停：它只在时间播放时写入。',
  'The line after it was not run.': '其后的 1 行没有执行。', 'The {0} lines after it were not run.': '其后的 {0} 行没有执行。',
  'If its reply never comes, restart {0} ends the wait (redis-cli would need Ctrl-C).': '如果回复一直不来，restart {0} 可以结束等待（redis-cli 里得按 Ctrl-C）。',
  '{0} is not a Redis command: did you mean the statement {1}? A line that is not a statement goes to the node the console is pointed at ({2}).': '{0} 不是 Redis 命令：是不是想写语句 {1}？不是语句的一行会作为命令发给控制台当前指向的节点（{2}）。',
  'With two arguments wait is Redis’s WAIT numreplicas timeout, sent to a node. The statement is wait DUR (wait 2s) or wait sync.': '带两个参数的 wait 是 Redis 的 WAIT numreplicas timeout 命令，会发给节点执行。语句写作 wait 时长（如 wait 2s）或 wait sync。',
  '{0} has no backlog yet: it creates one for this sync and, as Redis does whenever it starts a backlog from scratch, takes a new replication ID. A decision after this one shows {0} with that other replid.': '{0} 还没有积压缓冲区：它为这次同步创建一个，而 Redis 每次从零创建积压缓冲区时都会换一个新的复制 ID。所以在这之后的决策里，{0} 的 replid 会是另一个。',
  'INFO has {0}: did you mean it?': 'INFO 里有 {0}：是不是想写它？',
  'replscope’s INFO has no {0} section: it prints Server, Clients, Persistence, Stats, Replication and Keyspace, the sections it simulates. The others describe the real process (memory, CPU …), for which a simulator has no honest numbers.': 'replscope 的 INFO 没有 {0} 部分：它只输出模拟了的 Server、Clients、Persistence、Stats、Replication 和 Keyspace。其余部分描述的是真实进程（内存、CPU 等），模拟器给不出真实的数字。',
  '{0} is a real {1} command that replscope does not simulate, so it answers as if the command did not exist. docs/scenario-format.md lists the commands it simulates.': '{0} 是 {1} 真实存在的命令，但 replscope 没有模拟它，所以回复的是“未知命令”。模拟了哪些命令，见 docs/scenario-format.md。',
  'There is no node {0}: the value was compared as text. A value NODE.FIELD reads another node’s INFO field.': '没有名为 {0} 的节点：这个值被当作文本比较了。写成 节点.字段 的值才会读取另一个节点的 INFO 字段。',
  '{0} gets no reply: PSYNC and SYNC turn the console’s connection into a replica link ({1} starts a sync to it; redis-cli would switch to showing the replication stream until Ctrl-C). {1}’s console stays busy until restart {1}.': '{0} 不会有回复：PSYNC 和 SYNC 会把控制台的连接变成一条复制链路（{1} 会向它发起同步；redis-cli 会转而显示复制流，直到按 Ctrl-C）。在 restart {1} 之前，{1} 的控制台一直被占用。',
  '{0} gets no reply: a server reads REPLCONF ACK and GETACK only on a replication link. {1}’s console stays busy until restart {1}.': '{0} 不会有回复：服务器只在复制链路上处理 REPLCONF ACK 和 GETACK。在 restart {1} 之前，{1} 的控制台一直被占用。',
  'The {0} pasted lines were not run; they are still on the clipboard.': '粘贴的 {0} 行没有执行，它们仍在剪贴板里。',
  '{0} is still running: press Stop (or Esc or Ctrl-C in the console) first.': '{0} 还在执行：请先按“停止”（或在控制台里按 Esc 或 Ctrl-C）。',
  '{0} stopped at t = {1} s, after {2} s of its {3} s.': '{0} 停在了 t = {1} 秒：它的 {3} 秒只走了 {2} 秒。',
  'Pasted {0} lines: each runs in turn, as if typed (comments and blank lines skipped); the first that fails stops the rest.': '粘贴了 {0} 行：逐行执行，和逐行输入一样（跳过注释和空行）；某一行失败时，其后的行不再执行。',
  'Run the {0} pasted lines, one after another?': '要逐行执行粘贴的这 {0} 行吗？', 'Run': '执行', 'Cancel': '取消', 'Not run.': '未执行。',
  'Running the pasted lines: {0} of {1}.': '正在执行粘贴的行：已执行 {0} 行，共 {1} 行。',
  'The pasted lines are still running: press Stop (or Esc or Ctrl-C in the console) first.': '粘贴的行还在执行：请先按“停止”（或在控制台里按 Esc 或 Ctrl-C）。',
  'The paste stopped before its line {0}: the {1} lines from there were not run.': '粘贴内容在第 {0} 行之前停下了：从这一行起的 {1} 行没有执行。',
  'The paste stopped before its last line, line {0}: it was not run.': '粘贴内容在最后一行（第 {0} 行）之前停下了：这一行没有执行。',
  'Line {0} of the paste failed: the {1} lines after it were not run.': '粘贴内容的第 {0} 行执行失败：其后的 {1} 行没有执行。', 'Line {0} of the paste failed.': '粘贴内容的第 {0} 行执行失败。',
  'Line {0} of the paste failed: the line after it was not run.': '粘贴内容的第 {0} 行执行失败：其后的 1 行没有执行。',
  '{0} waits for its reply: press Play (or Next event) to let time run.': '{0} 正在等待回复：按“播放”（或“下一事件”）让模拟时间走起来。',
  'You rewound: acting here replaces the {0} s recorded after this moment.': '你回退了时间：在这里操作，会替换此刻之后已记录的 {0} 秒。', 'Replace': '替换',
  'Replaced: this ran in the future that was replaced.': '已被替换：这条语句发生在被替换掉的那段未来里。',
  'Replaced the {0} s recorded after t = {1} s.': '已替换 t = {1} 秒之后记录的 {0} 秒。', 'Undo': '撤销', 'Undo failed: {0}': '撤销失败：{0}',
  'Undone: back at t = {0} s, with the {1} s recorded after it.': '已撤销：回到 t = {0} 秒，其后记录的 {1} 秒也已恢复。',
  // starting scenarios
  'A master and two replicas, in sync': '一主两从，已同步', 'Full sync from scratch (slow links)': '从零开始的全量同步（慢速链路）', 'Partial resync after a disconnect': '断线后的部分重同步',
  'Backlog overflow → full resync': '积压缓冲区溢出 → 全量同步', 'Failover: promote a replica': '故障转移：把一个从节点提升为主节点', 'Master restart keeps its history (7.0)': '主节点重启后保留复制历史（7.0）',
  'Heartbeats, partitions and repl-timeout': '心跳检测、网络分区与 repl-timeout', 'Chained replicas: m → r1 → r2': '级联复制：m → r1 → r2', 'Benchmark: 6 nodes at 1000 writes/s': '压力测试：6 个节点，每秒 1000 次写入',
  'select the m ↔ r1 link and press D to disconnect it, type SET k1 v1 in the console, then press R to reconnect: r1 asks PSYNC from the byte after its last one, and m answers +CONTINUE with just the missed bytes.': '选中 m ↔ r1 链路，按 D 断开；在控制台输入 SET k1 v1；再按 R 重连：r1 发送 PSYNC，请求从它已有的最后一个字节的下一个字节开始补发，m 回复 +CONTINUE，只补发它错过的字节。',
  'press Play. Both replicas send PSYNC ? -1 (no history), m answers +FULLRESYNC, waits repl-diskless-sync-delay (5 s) so one snapshot serves both, then streams the RDB (the orange parcel) and the writes buffered meanwhile.': '按“播放”。两个从节点都发送 PSYNC ? -1（它们没有复制历史），m 回复 +FULLRESYNC，先等待 repl-diskless-sync-delay（5 秒），好让一份快照同时发给两个从节点，然后发送 RDB（橙色包裹），再发送这期间积攒在复制缓冲区里的写命令。',
  'select the m ↔ r1 link and press R (reconnect). r1 retries about once a second, sends PSYNC <replid> <its offset + 1>; that byte is still in m’s backlog, so m answers +CONTINUE and sends only the three missed writes.': '选中 m ↔ r1 链路并按 R（重连）。r1 大约每秒重试一次，发送 PSYNC <replid> <它的偏移量 + 1>；这个字节还在 m 的积压缓冲区里，所以 m 回复 +CONTINUE，只发送错过的三条写命令。',
  'r1 missed 41 KB of writes; m’s backlog is 16 KB (repl-backlog-size 16kb, trimmed in whole 16 KB blocks, so it holds 16 to 32 KB). Reconnect r1 (select the m ↔ r1 link, press R): the first byte it needs has left the window, so m answers +FULLRESYNC.': 'r1 错过了 41 KB 的写入，而 m 的复制积压缓冲区只有 16 KB（repl-backlog-size 16kb，按整块 16 KB 释放，所以实际保存 16 到 32 KB）。重连 r1（选中 m ↔ r1 链路，按 R）：它需要的第一个字节已经不在窗口里，所以 m 回复 +FULLRESYNC。',
  'select r1 and press P (REPLICAOF NO ONE): r1 takes a new replid and keeps m’s as replid2. Then select r2 and pick “REPLICAOF r1”: its PSYNC names the old replid, which r1 still continues (+CONTINUE via replid2). Redis 2.8 matched run ids and would have done a full sync.': '选中 r1 并按 P（REPLICAOF NO ONE）：r1 换上新的 replid，并把 m 的 replid 保留为 replid2。然后选中 r2 并选择“REPLICAOF r1”：它的 PSYNC 带的是旧 replid，r1 仍能延续（通过 replid2 回复 +CONTINUE）。Redis 2.8 比对的是运行 ID，会做全量同步。',
  'select m and press S (restart: SHUTDOWN saves dump.rdb, then a new process starts with a new run_id). Redis 7.0 loads the old replid from the RDB as replid2, so both replicas continue (+CONTINUE). Compare C (crash): nothing is saved after the last write, the replicas are ahead, and they full-sync.': '选中 m 并按 S（重启：SHUTDOWN 保存 dump.rdb，然后以新的 run_id 启动新进程）。Redis 7.0 从 RDB 中把旧 replid 读作 replid2，所以两个从节点都能延续（+CONTINUE）。对比 C（崩溃）：最后一次写入之后什么都没保存，从节点反而领先，于是全量同步。',
  'watch the violet REPLCONF ACKs, one a second from each replica. Partition m ↔ r1 (select the link, X): nothing closes, bytes vanish. After repl-timeout (10 s here) both sides give up; heal (H) and r1 continues with PSYNC. A low ACK never makes the master resend: only a reconnect does.': '观察紫色的 REPLCONF ACK，每个从节点每秒一次。对 m ↔ r1 做网络分区（选中链路，按 X）：连接不会关闭，字节凭空消失。repl-timeout（这里是 10 秒）之后两端都放弃；恢复（H）后 r1 用 PSYNC 延续。偏低的 ACK 从不会让主节点重发：只有重连才会。',
  'write on m and follow the bytes: r1 forwards exactly what it applied, so r2 has the same replid and offsets. Disconnect m ↔ r1: r2 stays attached to r1, which refuses nothing until its own link state changes.': '在 m 上写入，跟着字节走一遍：r1 原样转发它执行过的内容，所以 r2 的 replid 和偏移量都和它相同。断开 m ↔ r1：r2 仍然挂在 r1 下面，只要 r1 自己的链路状态没变，它就照常服务 r2。',
  'the page applies one SET every millisecond on m (each a logged statement). The frame-time figures are in the console.': '页面每毫秒在 m 上执行一次 SET（每次都记录为一条语句）。帧耗时数据显示在控制台中。',
  // dialogs
  'Help': '帮助', 'tap a node or a link': '点一下节点或连线', 'select it: the buttons under the topology then act on it (disconnect, partition, crash, promote, INFO…)': '选中它：拓扑图下方的按钮随即作用于它（断开、分区、宕机、提升为主节点、INFO…）',
  'drag the timeline': '拖动时间轴', 'go back to any moment kept, and see the world as it was then': '回到保留的任意时刻，看当时的状态',
  'Play, Next event': '播放、下一个事件', 'let time run, or run it to the next event': '让时间走起来，或走到下一个事件',
  'the console': '控制台', 'type a scenario statement or NODE> COMMAND (e.g. m> SET k v); ↑ on a keyboard recalls the last ones': '输入场景语句或 节点> 命令（如 m> SET k v）；有键盘时按 ↑ 调出之前的输入',
  'Keyboard': '键盘', 'play / pause': '播放 / 暂停', 'next event': '下一个事件', 'slower / faster': '减速 / 加速', 'slow motion on wires on/off': '开关线路慢动作',
  'on the timeline: 0.1 s (Shift: 1 s)': '在时间轴上：0.1 秒（Shift：1 秒）', 'select a node or link': '选中节点或链路', 'disconnect / reconnect': '断开 / 重连', 'partition / heal': '网络分区 / 恢复网络',
  'crash / (re)start a node': '让节点崩溃 / （重新）启动节点', 'promote (REPLICAOF NO ONE)': '提升为主节点（REPLICAOF NO ONE）', 'fail over a master to a replica (FAILOVER)': '把主节点故障转移到一个从节点（FAILOVER）', 'INFO of the node': '节点的 INFO', 'add a node': '添加节点',
  'console': '控制台', 'console history': '控制台历史', 'console: stop a long wait or paste (with no text selected), or drop the line': '控制台：停止耗时的等待或粘贴（没有选中文字时），或放弃当前这一行', 'clear the selection': '取消选择', 'reset': '重置', 'next lesson step': '课程下一步',
  'close the lesson cards, or clear the selection': '关闭课程列表，或取消选择',
  'Every click is a scenario statement: it appears in the console and in the exported scenario.': '每一次点击都是一条场景语句：它会出现在控制台和导出的场景中。',
  'Share and export': '分享与导出', 'Link': '链接', 'Files': '文件', 'Scenario': '场景', 'Caption': '说明文字', 'Caption shown with the link (optional)': '随链接显示的说明文字（可选）',
  'The link carries the whole session (scenario, seed, every action at its instant, and the moment shown): it opens exactly this view.': '链接包含整个会话（场景、种子、每个操作及其发生的时刻，以及当前显示的时刻）：打开后就是完全相同的画面。',
  'Copy link': '复制链接', 'Copy lesson link': '复制课程链接', 'Lesson link': '课程链接', 'Copy embed code': '复制嵌入代码', 'Link ({0} characters)': '链接（{0} 个字符）', 'Embed code': '嵌入代码', '{0} copied.': '已复制{0}。',
  'Copy failed: select the text and copy it.': '复制失败：请选中文本后手动复制。', 'Save the view as SVG': '将画面保存为 SVG', 'Save the session (JSON)': '保存会话（JSON）', 'Open a session file…': '打开会话文件…',
  'SVG saved.': 'SVG 已保存。', 'Session saved.': '会话已保存。', 'Session file': '会话文件', 'Scenario text': '场景文本', 'Copy': '复制', 'Load this text': '加载这段文本',
  'It replays exactly: every statement at the instant it was applied. Edit it and load it.': '它会精确重放：每条语句都在当初执行的那一刻执行。可以编辑后再加载。',
  'Seed': '种子', 'Reload with this seed': '用这个种子重新加载',
  'The seed drives every random choice (run ids, replication ids, start-up phases). The same scenario and seed always give the same bytes.': '种子决定所有随机选择（运行 ID、复制 ID、启动时的相位）。同样的场景加同样的种子，产生的字节总是完全相同。',
  // links, files, banners
  'Shared session': '分享的会话', 'Shared scenario': '分享的场景', 'Imported session': '导入的会话', 'Scenario from the host page': '来自宿主页面的场景', 'Dismiss': '关闭提示',
  'Open in replscope ↗': '在 replscope 中打开 ↗', 'Decision': '决策', 'Stream': '复制流', 'Open this in the full replscope page': '在完整的 replscope 页面中打开',
  'This link could not be opened: {0}. The default scenario is loaded instead.': '无法打开这个链接：{0}。已改为加载默认场景。',
  'This link could not be opened: {0}. Your session is unchanged.': '无法打开这个链接：{0}。你当前的会话没有改变。',
  'The host page sent a scenario that could not be opened: {0}. The previous scenario keeps running.': '宿主页面发来的场景无法打开：{0}。之前的场景继续运行。',
  'This file could not be opened: {0}. Your session is unchanged.': '无法打开这个文件：{0}。你当前的会话没有改变。',
  'Session imported and verified: the replay reproduced all {0} trace records in the file.': '会话已导入并通过验证：重放完全复现了文件中的全部 {0} 条追踪记录。',
  'Session imported, but the replay differs from the file at trace record {0}: the file has {1}, the replay {2}.': '会话已导入，但重放结果在第 {0} 条追踪记录处与文件不同：文件中是 {1}，重放得到 {2}。',
  'the data is not valid base64url': '数据不是合法的 base64url', 'the data is not UTF-8 text': '数据不是 UTF-8 文本', 'the data is not valid compressed data': '数据不是合法的压缩数据',
  'it unpacks to more than {0}': '解压后超过 {0}', 'the data nests deeper than {0} levels': '数据嵌套超过 {0} 层', 'the data is not valid JSON': '数据不是合法的 JSON',
  'the link is {0} long (at most {1})': '链接长达 {0}（上限 {1}）', 'the link is {0} long (at most {1}); a #s= link carries the scenario uncompressed: open the scenario in replscope and use Share → Copy link or Copy embed code, whose compressed #z= link is far shorter': '链接长达 {0}（上限 {1}）；#s= 链接里是未压缩的场景原文：请在 replscope 中打开这个场景，用“分享 → 复制链接”或“复制嵌入代码”，得到的 #z= 链接经过压缩，短得多', 'the link has no valid version': '链接没有合法的版本号', 'the link is not an object': '链接内容不是对象',
  'it was made by a newer version of replscope (v{0})': '它由更新版本的 replscope 生成（v{0}）', 'unknown field "{0}" in {1}': '{1}中有未知字段“{0}”', '{0} lacks the field "{1}"': '{0}缺少字段“{1}”',
  'the field "{0}" must be {1}': '字段“{0}”必须是{1}', 'a whole number ≥ 0': '≥ 0 的整数', 'text': '文本', 'a list': '列表', '{0} is not an object': '{0}不是对象', 'the link': '链接', 'the file': '文件',
  'the scenario is not text': '场景不是文本', 'the scenario is longer than {0}': '场景超过 {0}', 'the scenario starts {0} nodes (at most {1})': '场景启动了 {0} 个节点（上限 {1}）',
  'the scenario may run {0} hours of simulated time (at most {1})': '场景可能运行 {0} 小时的模拟时间（上限 {1}）', 'the caption is longer than {0} characters': '说明文字超过 {0} 个字符',
  'there is no lesson "{0}"': '没有名为“{0}”的课程', 'there is no variant "{0}"': '没有名为“{0}”的变体', 'there is no starting scenario "{0}"': '没有名为“{0}”的初始场景',
  'this session makes a {0} link (at most {1}): save it as a file instead': '这个会话生成的链接长达 {0}（上限 {1}）：请改为保存成文件',
  'the file is not valid JSON': '文件不是合法的 JSON', 'the file is not a replscope session (v1)': '文件不是 replscope 会话（v1）', 'the file is {0} MB (at most {1} MB)': '文件大小为 {0} MB（上限 {1} MB）',
  'the trace has more than {0} records': '追踪记录超过 {0} 条', 'trace record {0} has no valid seq': '第 {0} 条追踪记录没有合法的 seq',
  '(the file ends here)': '（文件到此结束）', '(the replay ends here)': '（重放到此结束）', 'seek: ms must be a time ≥ 0 (ms)': 'seek：ms 必须是 ≥ 0 的时间（毫秒）',
  'the reader stopped it before it opened (or opened another session); the previous scenario keeps running': '读者在它打开之前停止了加载（或打开了另一个会话）；之前的场景继续运行',
  'replaced by a later replscope:load before it opened': '在打开之前被后来的 replscope:load 取代', '{0} message(s) sent after it were dropped': '在它之后发送的 {0} 条消息已被丢弃',
  // the panels' own words: node cards and links (topology.js)
  'master': '主节点', 'replica': '从节点', 'running': '运行中', 'stopped': '已停止', 'starting': '启动中',
  'offset {0}': '偏移量 {0}', ' read {0}': '，已读 {0}', 'dump.rdb on disk': '磁盘上有 dump.rdb', 'no RDB file': '没有 RDB 文件',
  '{0}, {1}, {2}, offset {3}, {4}': '{0}，{1}，{2}，偏移量 {3}，{4}', 'link {0} to {1}: {2}, latency {3} ms': '链路 {0} ↔ {1}：{2}，延迟 {3} ms',
  '■ stopped': '■ 已停止', '… starting': '… 启动中', '◐ BGSAVE → disk': '◐ BGSAVE → 磁盘', '◐ BGSAVE → sockets': '◐ 无盘 BGSAVE', '◐ BGSAVE': '◐ BGSAVE',
  '{0} is partitioned: no connection closes, so no replica asks PSYNC yet. Healed before repl-timeout, the held bytes arrive and replication goes on with no new decision; past it, both sides drop the link, and the replica asks PSYNC once it can reconnect (shown here).': '{0} 处于网络分区：连接不会关闭，所以从节点暂时不会发送 PSYNC。若在 repl-timeout 之前恢复，被扣住的字节会送达，复制照常继续，不会产生新的决策；若超过 repl-timeout，两端都会断开链接，从节点能重连后再发送 PSYNC（届时显示在这里）。',
  '{0} repl.': '{0} 从节点', '{0} repl. · backlog {1} B': '{0} 从节点 · 积压 {1} B', '{0} replicas · backlog {1} B': '{0} 个从节点 · 积压 {1} B', '1 replica · backlog {1} B': '1 个从节点 · 积压 {1} B',
  'backlog {0} B': '积压 {0} B', 'no replicas': '没有从节点', '● link up': '● 链路正常', '◐ receiving RDB {0} B': '◐ 正在接收 RDB {0} B',
  // a replica at offset 1 before its first RDB is loaded (decisions.js, the card's tooltip)
  '{0} shows offset 1 until it has loaded its master’s RDB: with no master client yet, Redis’s INFO reports slave_repl_offset 1 by default. Then it takes the offset +FULLRESYNC gave.':
    '{0} 在载入主节点的 RDB 之前显示偏移量 1：这时它还没有主节点客户端，Redis 的 INFO 按默认值报告 slave_repl_offset 为 1。载入之后，它采用 +FULLRESYNC 给出的偏移量。',
  '{0} show offset 1 until they have loaded their master’s RDB: with no master client yet, Redis’s INFO reports slave_repl_offset 1 by default. Then each takes the offset +FULLRESYNC gave.':
    '{0} 在载入主节点的 RDB 之前显示偏移量 1：这时它们还没有主节点客户端，Redis 的 INFO 按默认值报告 slave_repl_offset 为 1。载入之后，各自采用 +FULLRESYNC 给出的偏移量。',
  // a partition healed in time (healed.js)
  ', ': '，',
  '{0} healed after {1} s. ': '{0} 在 {1} 秒后恢复连通。',
  'The bytes the partition held are being delivered in order on the open connection: {0} of {1} B so far ({2}).': '分区期间被扣住的字节正沿着原来的连接按顺序送达：目前已到 {0} B，共 {1} B（{2}）。',
  '{0} healed after {1} s: no PSYNC needed. ': '{0} 在 {1} 秒后恢复连通：不需要 PSYNC。',
  'Nothing crossed the link while it was partitioned, and no connection closed.': '分区期间这条链路上没有数据要发送，也没有连接被关闭。',
  '{0} healed after {1} s: {2} held bytes delivered, no PSYNC needed. ': '{0} 在 {1} 秒后恢复连通：被扣住的 {2} 字节已全部送达，不需要 PSYNC。',
  'At t = {0} s the bytes the partition held ({1}) had all arrived, in order, on the connection that never closed (before repl-timeout).': '到 t = {0} 秒，分区期间被扣住的字节（{1}）已经沿着那条始终没有断开的连接按顺序全部送达（未超过 repl-timeout）。',
  ' {0} caught up with no new sync: it is at offset {1}, {2} at {3}.': '{0} 无需重新同步就追上了进度：它的偏移量是 {1}，{2} 的是 {3}。',
  '◐ handshake': '◐ 握手中', '◌ connecting': '◌ 连接中', '✕ link down': '✕ 链路断开', '{0}→{1}: {2} B held': '{0}→{1}：被扣住 {2} B',
  '✕ disconnected': '✕ 已断开', 'no replication': '无复制关系', '● online': '● 在线', '● online, ack {0}': '● 在线，ACK {0}', ' · lag {0} s': ' · {0} 秒未收到 ACK',
  '▣ full sync: RDB received {0} B': '▣ 全量同步：RDB 已接收 {0} B', '✕ {0} dropped {1}': '✕ {0} 已断开 {1}', '{0} still receiving RDB {1} B': '{0} 仍在接收 RDB {1} B',
  'RDB: {0} B to go': 'RDB 还差 {0} B', '{0} B to go': '还差 {0} B', '▣ full sync: BGSAVE running': '▣ 全量同步：BGSAVE 进行中', '▣ full sync: waiting for BGSAVE': '▣ 全量同步：等待 BGSAVE',
  '▣ full sync: sending RDB': '▣ 全量同步：正在发送 RDB', '✕ replica retrying': '✕ 从节点重试中', 'buffered for {0}: {1} B': '{0} 的复制缓冲区：{1} B',
  // the replication stream (ruler.js)
  'backlog: bytes {0} … {1} (histlen {2})': '积压缓冲区：第 {0} … {1} 字节（histlen {2}）', 'block #{0}: offset {1}, {2}/{3} bytes, refcount {4}': '缓冲块 #{0}：偏移量 {1}，已用 {2}/{3} 字节，refcount {4}',
  'backlog bytes {0}…{1} · PSYNC continues from {2}…{3}': '积压第 {0}…{1} 字节 · PSYNC 可从 {2}…{3} 续传', 'backlog empty · PSYNC continues from {0}': '积压缓冲区为空 · PSYNC 可从 {0} 续传',
  '◀ repl-backlog-size {0}: room for {1} more bytes before the oldest are dropped': '◀ repl-backlog-size {0}：再写入 {1} 字节，最旧的数据就要被丢弃',
  'handshake': '握手', 'receiving RDB': '正在接收 RDB', 'connecting': '连接中', 'link down': '链路断开', '✓ in window': '✓ 在窗口内', 'no backlog': '没有积压缓冲区',
  '{0} replication stream: master_repl_offset {1}, backlog bytes {2} to {3}': '{0} 的复制流：master_repl_offset {1}，积压第 {2} 到 {3} 字节', '{0} replication stream: master_repl_offset {1}': '{0} 的复制流：master_repl_offset {1}',
  'the replica asked for it': '从节点主动请求', 'replid mismatch': 'replid 不匹配', 'past the end of replid2': '超出 replid2 的终点', 'before the window': '已移出窗口', 'ahead of the master': '超前于主节点',
  // the event log (events.js) and the sequence diagram (seq.js)
  'stream': '命令流', 'PSYNC reply': 'PSYNC 回复', 'keepalive': '保活', 'reply': '回复', 'command': '命令', '{0} B arrived': '{0} B 已到达',
  'start': '启动', 'crash': '崩溃', 'exit': '退出', 'killed (kill -9): nothing saved': '被杀死（kill -9）：什么都没保存', 'SHUTDOWN finished': 'SHUTDOWN 完成',
  'connect': '发起连接', 'accept': '接受连接', 'connected': '已连接', 'closed': '连接关闭', 'close': '关闭连接', 'closed by the peer': '对端关闭', 'connection reset': '连接被重置', 'connection refused': '连接被拒绝',
  'disconnect': '断开', 'reconnect': '重连', 'partition': '网络分区', 'heal': '恢复网络', 'link': '链路', 'lose': '丢包',
  'repl state': '复制状态', 'replica link → {0}': '与主节点的链路 → {0}', 'none': '无', 'to connect': '待连接', 'receiving the RDB': '接收 RDB',
  '⇒ +CONTINUE, {0} B of backlog': '⇒ +CONTINUE，补发积压缓冲区中的 {0} B', '⇒ +FULLRESYNC ({0})': '⇒ +FULLRESYNC（{0}）', 'disk': '磁盘', 'sockets': '套接字（无盘）',
  'backlog freed by repl-backlog-ttl': '积压缓冲区超过 repl-backlog-ttl 后被释放', "full sync: adopted the master's replication id": '全量同步：采用主节点的复制 ID',
  'promoted: my history becomes replid2': '被提升为主节点：原来的复制历史成为 replid2', 'backlog created for the first replica': '为第一个从节点创建了积压缓冲区',
  "master's replication id changed (+CONTINUE <new id>)": '主节点的复制 ID 变了（+CONTINUE <新 ID>）', "restarted: the RDB's replication id becomes replid2": '重启：RDB 中保存的复制 ID 成为 replid2',
  '✕ lost in the partition: ': '✕ 在网络分区中丢失：', 'backlog {0} B: ': '积压 {0} B：', '◇ decides +CONTINUE ({0} B)': '◇ 决定 +CONTINUE（{0} B）', '◆ decides +FULLRESYNC ({0})': '◆ 决定 +FULLRESYNC（{0}）',
  '— {0} crashed —': '— {0} 崩溃 —', '— {0} started —': '— {0} 启动 —', 'No messages yet: press Play.': '还没有消息：请按“播放”。', 'Sequence diagram of the last {0} messages': '最近 {0} 条消息的时序图',
  // the decision (decisions.js): the verdict and the core's check texts
  'Partial resync: {0} sends {1} only the 0 bytes it missed (it was caught up).': '部分重同步：{0} 向 {1} 补发 0 个字节（{1} 并没有落后）。',
  'Partial resync: {0} sends {1} only the 1 byte it missed, offset {3}.': '部分重同步：{0} 只向 {1} 补发它缺少的 1 个字节，偏移量 {3}。',
  'Partial resync: {0} sends {1} only the {2} bytes it missed, offsets {3} … {4}.': '部分重同步：{0} 只向 {1} 补发它缺少的 {2} 个字节，偏移量 {3} … {4}。',
  ' It continues the history it inherited (replid2).': '它延续的是继承下来的复制历史（replid2）。',
  'Full resync: {0} will fork a child to run BGSAVE and ship an RDB snapshot, because {1}': '全量同步：{0} 将 fork 子进程执行 BGSAVE，把 RDB 快照发给从节点，因为 {1}',
  'replica asked for a full resync (PSYNC ? -1: no cached master)': '从节点主动请求全量同步（PSYNC ? -1：它没有缓存的主节点）',
  'replid {0} = my replid': 'replid {0} = 我的 replid', 'replid {0} = my replid2 ({1})': 'replid {0} = 我的 replid2（{1}）',
  'history before I was promoted': '我被提升为主节点之前的历史', 'reloaded from my RDB when I restarted': '我重启时从 RDB 中重新载入', "my master's history before its replid changed": '我的主节点在 replid 改变之前的历史',
  // cases the core names beside the checks, and replicas of each other (decisions.js, topology.js)
  'A restart, not a promotion. ': '这是重启，不是提升。', ' It continues the history from before the restart (replid2).': '它延续的是重启之前的复制历史（replid2）。',
  '{0} restarted and reloaded its history from its RDB (replid2 {1}, second_repl_offset {2}): the RDB keeps the replication ID and offset as aux fields, so a replica that was in sync can continue.': '{0} 重启后从 RDB 文件中重新载入了自己的复制历史（replid2 {1}，second_repl_offset {2}）：RDB 文件的辅助字段里保存着复制 ID 和复制偏移量，所以重启前已经同步的从节点可以接着复制。',
  '⚠ The “master without persistence” pitfall. ': '⚠ “主节点未开启持久化”的陷阱。',
  '{0} came back empty ({2}), with a new replication ID: the full sync will wipe {1}’s only key.': '{0} 重启后数据为空（{2}），复制 ID 也换成了新的：这次全量同步会清空 {1} 上仅有的 1 个键。',
  '{0} came back empty ({2}), with a new replication ID: the full sync will wipe {1}’s {3} keys.': '{0} 重启后数据为空（{2}），复制 ID 也换成了新的：这次全量同步会清空 {1} 上的全部 {3} 个键。',
  'its RDB file held no keys': '它的 RDB 文件里没有任何键', 'no RDB file to load': '没有可载入的 RDB 文件',
  ' Fix: persistence on the master, or no automatic restart (promote a replica instead).': '解决办法：为主节点开启持久化，或者不要让它自动重启（改为把一个从节点提升为主节点）。',
  '⚠ Replicas of each other: {0}. ': '⚠ 互为从节点：{0}。',
  'A replica answers PSYNC only while it is linked to its own master, so each answers the other with {0} and no link comes up.': '从节点只有在与自己的主节点保持连接时才会响应 PSYNC，所以双方都用 {0} 回复对方，复制链路永远建立不起来。',
  'No node of the loop is a master, so none of them takes writes.': '环中没有主节点，所以没有任何节点能接受写入。',
  ' {0} restarted and followed replicaof {1} from its config file: REPLICAOF NO ONE is not written to the config file unless CONFIG REWRITE saves it.': '{0} 重启后按配置文件里的 replicaof {1} 重新成为从节点：REPLICAOF NO ONE 只在运行时生效，除非执行 CONFIG REWRITE，否则不会写入配置文件。',
  ' Fix: REPLICAOF NO ONE on the node that should be the master (and CONFIG REWRITE, so that a restart keeps it).': '解决办法：在应当作为主节点的那个节点上执行 REPLICAOF NO ONE（再执行 CONFIG REWRITE，这样重启后仍然有效）。',
  '⟲ loop: -NOMASTERLINK': '⟲ 循环复制：-NOMASTERLINK', '⟲ replica loop': '⟲ 循环复制', '⟲ replicas of each other': '⟲ 互为从节点',
  '{0} followed its config': '{0} 沿用了配置文件',
  'replid {0} is neither my replid {1} nor my replid2 {2}': 'replid {0} 既不是我的 replid {1}，也不是我的 replid2 {2}', 'I have no replication backlog': '我没有复制积压缓冲区',
  'It holds more than repl-backlog-size ({0} bytes): Redis keeps the backlog in blocks of 16 KB or more, and drops its oldest block only when the bytes left would still be more than that size and no replica still reads the block. So it holds up to about a block more than configured.': '它保存的字节数超过了 repl-backlog-size（{0} 字节）：Redis 把积压缓冲区按 16 KB 或更大的块保存，只有在删掉最旧的一块后剩下的字节仍然超过这个大小、并且没有从节点还在读这一块时，才会删掉它。所以它最多会比配置的大小多出大约一块。',
  'backlog holds {0} bytes from offset {1}': '积压缓冲区从偏移量 {1} 起保存了 {0} 个字节', '{0} >= first byte {1}': '{0} >= 首字节 {1}', '{0} < first byte {1}': '{0} < 首字节 {1}',
  '{0} <= first byte + histlen = {1} + {2} = {3}': '{0} <= 首字节 + histlen = {1} + {2} = {3}', '{0} > first byte + histlen = {1} + {2} = {3}': '{0} > 首字节 + histlen = {1} + {2} = {3}',
  'asked {0}, window {1} to {2}': '请求 {0}，窗口 {1} 到 {2}',
  // actions, settings, INFO, timeline, dialogs, export
  '{0}:': '{0}：', '{0} replicates from': '{0} 复制自', 'writes per second': '每秒写入次数', 'value size': '值的大小',
  'write load on {0} stopped': '{0} 上的写入负载已停止', 'write load: {0} SET/s of {1}-byte values on {2} (each is a logged statement)': '写入负载：在 {2} 上每秒执行 {0} 次 SET，值为 {1} 字节（每次都记为一条语句）',
  'Parameters of node': '查看参数的节点', 'Node parameters': '节点参数', 'Not running.': '未运行。', 'Links': '链路', 'latency': '延迟', 'bandwidth': '带宽',
  'Edit and press Enter: the page sends CONFIG SET. A restart forgets it (no CONFIG REWRITE), as in Redis.': '修改后按 Enter：页面会发送 CONFIG SET。和真实的 Redis 一样，重启后修改就丢了（没有执行 CONFIG REWRITE）。',
  'One-way latency (5ms, 250us) and bandwidth per direction (10mbit, 1gbit), in the scenario language.': '单向延迟（如 5ms、250us）和每个方向的带宽（如 10mbit、1gbit），按场景语言的写法填写。',
  'latency {0} ↔ {1}': '{0} ↔ {1} 的延迟', 'bandwidth {0} ↔ {1}': '{0} ↔ {1} 的带宽',
  'INFO of node': '查看 INFO 的节点', 'INFO section': 'INFO 段', 'all sections': '全部段', 'section': '段', '{0} is not running: INFO needs a live process.': '{0} 没有在运行：INFO 需要一个活着的进程。',
  '{0} seconds of {1}': '第 {0} 秒，共 {1} 秒', '{0} s: {1} → {2} +CONTINUE (partial resync)': '{0} 秒：{1} → {2}，+CONTINUE（部分重同步）', '{0} s: {1} → {2} +FULLRESYNC (full resync)': '{0} 秒：{1} → {2}，+FULLRESYNC（全量同步）',
  'Decision at {0} s: partial resync of {1}': '{0} 秒时的决策：{1} 部分重同步', 'Decision at {0} s: full resync of {1}': '{0} 秒时的决策：{1} 全量同步',
  'History before t = {0} s was dropped to bound memory': 't = {0} 秒之前的历史已丢弃以限制内存',
  'History before t = {0} s was dropped to bound memory: seeking stops at the earliest moment kept': 't = {0} 秒之前的历史已丢弃以限制内存：最多只能跳转到保留下来的最早时刻',
  'Decision at {0} s, in the dropped history: it can no longer be shown': '{0} 秒时的决策在已丢弃的历史中，无法再查看',
  'Space': '空格', 'NODE> COMMAND': '节点> 命令', 'replscope: Redis replication, simulated': 'replscope：模拟 Redis 主从复制',
  'replscope · Redis 7.0 replication, simulated': 'replscope · Redis 7.0 复制模拟', 'replscope · Redis 7.0 replication, simulated · t = {0} s · seed {1}': 'replscope · Redis 7.0 复制模拟 · t = {0} 秒 · 种子 {1}',
  'replscope at t = {0} s': 'replscope，t = {0} 秒',
  'log': '日志', '{0}: {1}': '{0}：{1}', '{0}, {1}': '{0}，{1}',
  '{0} s: {1} → {2}, {3}{4}. Click to go there.': '{0} 秒：{1} → {2}，{3}{4}。点击跳转到该时刻。',
  // Diagnose: INFO from real servers (diagnose.js)
  'Diagnose': '诊断', 'Paste INFO from your real servers: will the replica resync partially?': '粘贴真实服务器的 INFO：从节点重连后能部分重同步吗？',
  'Will my replica resync partially?': '我的从节点能部分重同步吗？',
  'Paste the output of INFO (or INFO replication) from the master and from the replica: redis-cli’s text, the raw RESP reply or a monitoring export of its field:value lines. Nothing leaves this page.': '分别粘贴主节点和从节点的 INFO（或 INFO replication）输出：redis-cli 打印的文本、原始 RESP 回复，或监控系统导出的 field:value 行都可以。数据不会离开这个页面。',
  'The master’s INFO': '主节点的 INFO', 'The replica’s INFO': '从节点的 INFO', 'The master’s INFO, later': '主节点稍后的 INFO', 'The master’s later INFO': '主节点稍后的 INFO', 'The options': '选项',
  'Write rate (bytes/s)': '写入速率（字节/秒）', 'Outage to survive (s)': '要扛住的断连时长（秒）', 'optional': '可选',
  'Measure the write rate: the master’s INFO again, some seconds later': '测量写入速率：隔几秒再粘贴一次主节点的 INFO',
  'Seconds between the two pastes': '两次粘贴相隔的秒数', 'from uptime_in_seconds': '默认取 uptime_in_seconds 之差',
  'Explain': '分析', 'Paste an example': '填入示例', 'Nothing to explain.': '没有可分析的内容。',
  'Open as a scenario': '作为场景打开', 'Opened from Diagnose': '从诊断打开',
  'A simulated master and replica with these replication ids, offsets and backlog window (placeholder bytes, no keys); the replica reconnects, then it is yours to disconnect, write and reconnect.': '模拟出一对主从节点，带着这里的复制 ID、偏移量和积压缓冲区窗口（内容是占位字节，没有键）；从节点会先重连一次，之后你可以自己断开、写入、再重连。',
  'disconnect m r, write on m (m> SET k v), reconnect m r, and watch the decision.': 'disconnect m r，在 m 上写入（m> SET k v），再 reconnect m r，看看主节点的判定。',
  'No scenario: the master refuses to sync now; what it answers later depends on what it holds once its own link is back.': '无法生成场景：主节点现在拒绝同步；它之后怎么应答，取决于它自己的链路恢复时手里有什么。',
  'No scenario: these pastes do not tell which PSYNC the replica sends.': '无法生成场景：从这些粘贴内容看不出从节点会发送哪条 PSYNC。',
  'No scenario: the master’s backlog holds more than the simulator seeds (64 MB).': '无法生成场景：主节点的积压缓冲区超过了模拟器能预置的大小（64 MB）。',
  'Master: {0}. Replica: {1}.': '主节点：{0}。从节点：{1}。', 'version not pasted': '未粘贴版本信息',
  'The replica sends PSYNC {0} {1}: its cached master’s replid and slave_repl_offset + 1 (a replica keeps its master’s history when the link breaks).': '从节点会发送 PSYNC {0} {1}：即缓存的主节点（cached master）的 replid 和 slave_repl_offset + 1（链路断开时，从节点会保留主节点的复制历史）。',
  'This server is a master: made a replica (REPLICAOF), it offers its own history, PSYNC {0} {1} (its master_replid and master_repl_offset + 1).': '这台服务器目前是主节点：用 REPLICAOF 把它变成从节点时，它会拿自己的复制历史去续传，发送 PSYNC {0} {1}（即它的 master_replid 和 master_repl_offset + 1）。',
  'The replica has no cached master (it never synced, or its last full sync failed): it sends PSYNC ? -1.': '从节点没有缓存的主节点（从未同步过，或上一次全量同步失败了）：它会发送 PSYNC ? -1。',
  'A full sync is being transferred: the replica discarded its cached master, so if this one fails it sends PSYNC ? -1.': '全量同步正在传输中：从节点已丢弃缓存的主节点，所以这次同步一旦失败，它会发送 PSYNC ? -1。',
  'The replica’s link is up: this is what happens if the link breaks now and it reconnects at once.': '从节点的链路目前是通的：下面是链路此刻断开、随即重连时会发生的事。',
  'It asks with the master’s replid2: the master was promoted, or restarted from its RDB (INFO does not say which).': '它用的是主节点的 replid2：主节点是由从节点提升上来的，或者是重启后从 RDB 加载的（INFO 无法区分这两种情况）。',
  'The master pasted is itself a replica: it answers from its own backlog.': '粘贴的主节点本身也是一个从节点：它用自己的积压缓冲区来应答。',
  'The servers differ: master {0}, replica {1}. The decision is Redis 7.0’s (unchanged in Redis 8.0 and Valkey 8.1).': '两台服务器版本不同：主节点 {0}，从节点 {1}。判定规则按 Redis 7.0（Redis 8.0 和 Valkey 8.1 中没有变化）。',
  'No sync now: the master is itself a replica whose link to its own master is down, so it answers -NOMASTERLINK and the replica retries every second.': '现在无法同步：这个主节点本身是从节点，而且它与自己主节点的链路断了，所以会回复 -NOMASTERLINK，从节点每秒重试一次。',
  'No sync now: the master is failing over (-NOMASTERLINK).': '现在无法同步：主节点正在进行故障转移（-NOMASTERLINK）。',
  'Cannot tell: slave_repl_offset:1 with master_repl_offset:1 reads the same with and without a cached master (PSYNC <replid> 2, or PSYNC ? -1).': '无法判断：slave_repl_offset:1 且 master_repl_offset:1 时，有没有缓存的主节点，INFO 看起来都一样（可能是 PSYNC <replid> 2，也可能是 PSYNC ? -1）。',
  'an earlier history: a promotion, or a restart from its RDB': '更早的复制历史：来自提升为主节点，或重启时从 RDB 加载',
  'Ahead': '领先', 'the replica holds {0} bytes more than the master has (its offset is past master_repl_offset).': '从节点比主节点多出 {0} 字节（它的 offset 已超过 master_repl_offset）。',
  'Did the master restart with less data, or without persistence?': '主节点是不是重启后丢了数据，或者根本没开持久化？',
  'Then this full resync replaces the replica’s dataset with the master’s: a master that came back empty empties its replicas (the lesson “Incident: a master without persistence restarts empty”). If this is the wrong master, stop here.': '如果是，这次全量同步会用主节点的数据集替换从节点的数据：空着重启的主节点会把从节点也清空（见课程「故障案例：无持久化的主节点重启后清空了从节点」）。如果连错了主节点，请到此为止。',
  'Behind now': '当前落后', '{0} bytes (master_repl_offset − what the replica has)': '{0} 字节（master_repl_offset 减去从节点已有的部分）',
  'Room left': '剩余余量', 'the master may write {0} more bytes before this PSYNC falls out of the backlog (repl-backlog-size {1}; Redis frees the backlog in 16 KB blocks, so give or take that).': '主节点还能再写入 {0} 字节，这次 PSYNC 要的数据才会被挤出积压缓冲区（repl-backlog-size {1}；Redis 按 16 KB 的块释放积压缓冲区，所以会有一块左右的误差）。',
  'Write rate': '写入速率', '{0} bytes/s': '{0} 字节/秒', '{0} bytes/s (measured: {1} bytes in {2} s)': '{0} 字节/秒（实测：{2} 秒内 {1} 字节）',
  'Time left': '剩余时间', 'this replica may stay away {0} more.': '这个从节点还能再断开{0}。', 'about {0}': '大约 {0}',
  'Backlog covers': '积压缓冲区能扛住', 'an outage of {0} for a replica that was caught up.': '对一个原本已追平的从节点，{0}的断连。',
  'For a {0} outage': '要扛住 {0}的断连', '({0} bytes: the writes of that outage)': '（{0} 字节：断连期间的写入量）',
  'Outage': '断连时长', 'Give a write rate (or paste the master’s INFO again later) to see how long an outage the backlog covers.': '填写写入速率（或稍后再粘贴一次主节点的 INFO），就能算出积压缓冲区能扛住多长的断连。',
  'less than 1 s': '不到 1 秒', '{0} s': '{0} 秒', '{0} min {1} s': '{0} 分 {1} 秒', '{0} h {1} min': '{0} 小时 {1} 分',
  '{0} is {1} bytes: at most {2} are read.': '{0}有 {1} 字节：最多只读取 {2} 字节。',
  '{0} has a control character on line {1}: paste text only.': '{0}第 {1} 行含有控制字符：请只粘贴文本。',
  '{0} has no field:value line: paste the output of INFO replication.': '{0}里没有 field:value 形式的行：请粘贴 INFO replication 的输出。',
  '{0} gives {1} twice ({2}, then {3}): paste one server per box.': '{0}里 {1} 出现了两次（先是 {2}，后是 {3}）：每个输入框只粘贴一台服务器的输出。',
  '{0} has no {1}: paste the whole output of INFO replication.': '{0}里没有 {1}：请粘贴完整的 INFO replication 输出。',
  '{0}: {1}:{2} is not a value Redis prints there.': '{0}：{1}:{2} 不是 Redis 会在这里输出的值。',
  '{0} cannot be read.': '{0}无法读取。',
  // versions: the node cards, the add-node and settings pickers, the compare view (topology.js, actions.js, settings.js, compare.js)
  '{0}: a replica that syncs with SYNC, never PSYNC': '“{0}”：只能做从节点，用 SYNC 同步，从不发送 PSYNC',
  'Version of the next node': '下一个新节点的版本', 'its master’s version': '与主节点相同的版本',
  'Versions': '版本', '{0} runs': '{0} 运行的版本：', 'Replay with {0} on': '换个版本重放 {0}', 'Replay with {0} on…': '让 {0} 换成这个版本重放…',
  'A server’s version is fixed when it starts: in Redis an upgrade is a restart on the new binary (CONFIG SET cannot change it). Here a node starts from its node line, which cannot change once the node exists, so changing a version replays the session from its start.': '服务器的版本在启动时就确定了：在 Redis 里，升级就是用新的可执行文件重启（CONFIG SET 改不了版本）。这里的节点按它的 “node”语句启动，节点一旦存在这一行就不能再改，所以更换版本会从头重放整个会话。',
  'Whole cluster': '整个集群', 'Version of the whole cluster': '整个集群的版本', 'mixed versions': '版本不一', 'Reload with this version': '用这个版本重新加载',
  'Reloads the scenario with “version X” as its first line, same seed: nodes whose line names a version keep it.': '重新加载场景，并把“version X”作为第一行，种子不变：“node”语句里自己写了版本的节点保持原版本。',
  'Reloaded the scenario from its start with “version {0}” as its first line: every node whose line names no version runs {1}. Statements applied since it loaded are not replayed.': '已从头重新加载场景，第一行是“version {0}”：“node”语句里没有写版本的节点都运行“{1}”。加载之后执行过的语句不会重放。',
  'Line {0}, “wait sync”, never completes with these versions: {1}. The session was replayed up to it, and 10 simulated seconds ran in its place; {2} statements after it were not replayed. The Events tab and the PSYNC decision panel show why the replicas do not finish their sync.': '换成这些版本后，第 {0} 行的“wait sync”永远等不到同步完成：{1}。会话已重放到这一行为止，并在它的位置运行了 10 秒模拟时间；它后面的 {2} 条语句没有重放。“事件”标签页和“PSYNC 决策”面板会说明从节点为什么完不成同步。',
  'Replayed this session from its start with {0} on {1} (its node line now says version={2}); every other statement ran again at its instant.': '已从头重放本次会话，{0} 换成了“{1}”（它的 “node”语句现在写的是“version={2}”）；其他每条语句都在原来的时刻重新执行。',
  'Compare': '对比', 'Compare again': '重新对比', 'Compare at t = {0} s': '在 t = {0} 秒处对比', 'First version': '第一个版本', 'Second version': '第二个版本',
  'show heartbeats (ACK, PING)': '显示心跳（ACK、PING）', 'field': '字段', 'differs': '不同', 'same': '相同', 'nothing': '没有',
  'The scenario cannot run on both versions: {0}': '这个场景无法在两个版本上都运行：{0}',
  'The scenario’s text with “version X” as its first line, seed {0}, each run to t = {1} s. Statements applied since it loaded are not included; nodes whose line names a version keep it.': '同一个场景文本，第一行分别加上“version X”，种子 {0}，都运行到 t = {1} 秒。加载之后执行过的语句不包括在内；“node”语句里自己写了版本的节点保持原版本。',
  '{0} of {1} values differ; {2} messages or log lines on one side only.': '{1} 个数值中有 {0} 个不同；{2} 条消息或日志只在一边出现。',
  'holds on {0}, not on {1}:': '在“{0}”上成立，在“{1}”上不成立：', 'Expects that hold on one side only': '只在一边成立的检查（expect）',
  'Only on {0} ({1})': '只在“{0}”上出现（{1} 条）', '… and {0} more': '…… 还有 {0} 条',
  'The logs are too long to align line by line: everything between the first and the last difference is listed.': '日志太长，无法逐行对齐：第一处和最后一处差异之间的全部内容都列了出来。',
  'Only the first {0} records of each log were compared.': '每边只比较了日志的前 {0} 条记录。',
  '{0} values the same on both': '{0} 个数值两边相同',
  'with the statements applied since it loaded': '包括加载之后执行过的语句',
  'The same version on both sides (their node line names it): {0}': '两边版本相同的节点（它们的“node”语句自己写了版本）：{0}',
  'This session’s statements (the scenario, then each statement applied since at its instant) with “version X” as the first line, seed {0}, each run to t = {1} s; nodes whose line names a version keep it.': '本次会话的全部语句（先是场景，再是加载之后执行过的每条语句，各在原来的时刻执行），第一行分别加上“version X”，种子 {0}，都运行到 t = {1} 秒；“node”语句里自己写了版本的节点保持原版本。',
  '{0} more lines differ only in Valkey’s words (primary for master, replica for slave) and count as the same.': '另有 {0} 行只是 Valkey 的用词不同（把“master”称作“primary”，把“slave”称作“replica”），按相同处理。',
  '{0} log lines the same but for Valkey’s words ({1} different texts)': '{0} 行日志只有 Valkey 的用词不同（{1} 种文本）',
  'wording on {0}:': '“{0}”上的写法：', '×{0} (the first shown); ': '共 {0} 次（只列出第一次）；', 'documented in docs/versions.md': '出处：“docs/versions.md”',
  '`repl-backlog-size` defaults to `1mb` on Redis 7.0 and 8.0, to `10mb` on Valkey 8.1.': '`repl-backlog-size` 的默认值在 Redis 7.0 和 8.0 上是 `1mb`，在 Valkey 8.1 上是 `10mb`。',
  'Valkey’s `lazyfree-lazy-expire` defaults to `yes`: an expired key propagates as `UNLINK`, 3 bytes more than `DEL`.': 'Valkey 的 `lazyfree-lazy-expire` 默认是 `yes`：过期的键以 `UNLINK` 传播，比 `DEL` 多 3 个字节。',
  'Valkey 8.1 only: a full sync over two connections (dual channel) when both sides enable it; off by default.': '只有 Valkey 8.1 才有：两边都开启时，全量同步走两条连接（双通道）；默认关闭。',
  'Redis 8.0 only: during a full sync over the rdb channel the replica buffers the stream itself, up to this limit (`0`: its `client-output-buffer-limit replica` hard limit).': '只有 Redis 8.0 才有：经 RDB 通道全量同步期间，由从节点自己缓冲复制流，最多缓冲到这个上限（`0` 表示用它的 `client-output-buffer-limit replica` 硬上限）。',
  'A dual-channel full sync counts `sync_full:1 sync_partial_ok:1 sync_partial_err:1` on Valkey.': '在 Valkey 上，一次双通道全量同步会计为 `sync_full:1 sync_partial_ok:1 sync_partial_err:1`。',
  'A replica that cannot load its master’s RDB version flushes its data, reconnects at once and loops: about one full sync per `serverCron` tick.': '从节点加载不了主节点的 RDB 版本时，会清空数据、立即重连，如此循环：大约每次 `serverCron` 执行就来一次全量同步。',
  'Valkey’s replica adds `REPLCONF version 8.1.1` to its handshake (7.0 and 8.0 masters refuse it: “non critical”).': 'Valkey 的从节点在握手时多发一条 `REPLCONF version 8.1.1`（7.0 和 8.0 的主节点会拒绝，并注明“non critical”，不影响同步）。',
  'Redis 8.0 syncs in full over a second connection, the rdb channel (`repl-rdb-channel`, on by default).': 'Redis 8.0 的全量同步经由第二条连接（RDB 通道）进行（`repl-rdb-channel`，默认开启）。',
  'Valkey 8.1 syncs in full over two connections (dual channel) when both sides enable it.': '两边都开启时，Valkey 8.1 的全量同步走两条连接（双通道）。',
  'Each version writes its own RDB header: `REDIS0010` and `redis-ver` on 7.0, `REDIS0012` on 8.0, `REDIS0011` and `valkey-ver` on Valkey 8.1.': '每个版本写出的 RDB 头部不同：7.0 是 `REDIS0010` 加 `redis-ver`，8.0 是 `REDIS0012`，Valkey 8.1 是 `REDIS0011` 加 `valkey-ver`。',
  'Redis 8.0 sends the replication `PING` only after a whole `repl-ping-replica-period` with nothing else fed to the stream.': 'Redis 8.0 只在整整一个 `repl-ping-replica-period` 里复制流没有任何其他内容时，才发送复制 `PING`。',
  // the two-connection full sync of Redis 8.0 (topology.js, decisions.js)
  'buffered here: {0} B': '缓冲在本节点：{0} B', 'buffer {0} B': '缓冲 {0} B',
  'writes wait on {0} (its buffer)': '写入在 {0} 上等待（它自己的缓冲区）',
  'Two connections. ': '两条连接。',
  'A coordinated failover. ': '协调式故障转移。',
  '{0} ran FAILOVER: it paused writes until {1} had acknowledged its whole stream, became {1}’s replica and asked PSYNC … FAILOVER. On that request {1} promoted itself (its replid became replid2, valid up to offset {2}) and answered as the new master.': '{0} 执行了 FAILOVER：它先暂停写入，等 {1} 确认收到它的全部复制流，再成为 {1} 的从节点，发送 PSYNC … FAILOVER。{1} 收到这个请求后把自己提升为主节点（原来的 replid 变为 replid2，有效至偏移量 {2}），再以新主节点的身份应答。',
  ' {0}’s history is that replid2, so it continues without a full sync.': '{0} 的复制历史正是这个 replid2，所以它可以接着同步，无需全量同步。',
  '{0} answers {1} on this connection, and {2} opens a second one to {0}, the rdb channel, for the RDB. Writes made meanwhile stream to {2} on this connection and wait in {2}’s buffer, not in {0}’s (as in Redis 7.0). sync_full counts the rdb channel’s PSYNC, not this one.': '{0} 在这条连接上回复 {1}，{2} 随即向 {0} 打开第二条连接（RDB 通道）专门接收 RDB。这期间的写入经这条连接流向 {2}，在 {2} 自己的缓冲区里等待，而不是像 Redis 7.0 那样在 {0} 的缓冲区里等待。sync_full 统计的是 RDB 通道上的 PSYNC，不是这一次。',
  'The rdb channel. ': 'RDB 通道。',
  '{0} opened this second connection only to receive the RDB, so it asks PSYNC ? -1: {1} answers +FULLRESYNC and sends the RDB here, while the stream goes on over the main connection. This PSYNC is the one counted in sync_full.': '{0} 打开这第二条连接只为接收 RDB，所以它发送 PSYNC ? -1：{1} 回复 +FULLRESYNC 并在这里发送 RDB，复制流则继续走主连接。计入 sync_full 的就是这一次 PSYNC。',
  'Full resync, over a second connection (Redis 8.0’s rdb channel), because {0}': '全量同步，经由第二条连接（Redis 8.0 的 RDB 通道），原因是：{0}',
  'Full resync on the rdb channel: {0} forks a child that writes the RDB straight into this second connection.': 'RDB 通道上的全量同步：{0} fork 出子进程，把 RDB 直接写进这第二条连接。',
  'The rdb channel always asks PSYNC ? -1: it exists only to carry the RDB.': 'RDB 通道总是发送 PSYNC ? -1：它只用来传输 RDB。',
  'full, 2 connections': '全量，两条连接',
  // ui23: slow motion resting under a steady stream (main.js, world.js)
  'rests': '暂歇',
  'slow motion: time runs at {0} while bytes cross': '慢动作：字节在传输时，时间以 {0} 运行',
  'slow motion rests while traffic keeps coming: time runs at the speed set': '流量持续时慢动作暂歇：时间按设定的速度运行',
  // ui23: the write load looking back (actions.js)
  'Looking back: the write load as it was at this moment. It starts and stops at the end of the recorded time (t = {0} s).': '回看中：这里显示的是此刻的写入负载。它只能在已记录时间的末尾（t = {0} s）开始或停止。',
  // fix23: the console's lines recorded after the moment shown (console.js); what the Share dialog's text and link carry (dialogs.js)
  'later: t = {0} s': '之后：t = {0} s',
  'Recorded after the moment shown: this ran at t = {0} s.': '记录在当前显示的时刻之后：它发生在 t = {0} s。',
  'This text runs to the moment shown (t = {0} s). The link also carries the {1} statements recorded after it (to t = {2} s).': '这段文本只到当前显示的时刻（t = {0} s）。链接还带着这之后记录的 {1} 条语句（直到 t = {2} s）。',
  'This text runs to the moment shown (t = {0} s). The link also carries the statement recorded after it (to t = {1} s).': '这段文本只到当前显示的时刻（t = {0} s）。链接还带着这之后记录的 1 条语句（直到 t = {1} s）。',
  'This text is the whole recorded session, to t = {0} s, as the link carries it: loaded, it runs to its end (the link opens at the moment shown, t = {1} s).': '这段文本是记录下的整个会话，直到 t = {0} s，和链接里带的一样：加载后会一直运行到结尾（链接则打开在当前显示的时刻，t = {1} s）。',
  'Show the whole session (to t = {0} s)': '显示整个会话（到 t = {0} s）',
  'Show the text to the moment shown': '只显示到当前时刻的文本',
  // replay24: the Compare tab replays long sessions in steps, with a progress line and Stop (compare.js, replay.js)
  'Comparing: {0} ({1} of 2) has run to t = {2} s of {3} s, {4} of its {5} statements.': '正在对比：{0}（第 {1} 个，共 2 个）已运行到 t = {2} 秒（共 {3} 秒），执行了 {5} 条语句中的 {4} 条。',
  'Stopped: {0} had run to t = {1} s of {2} s. Nothing was compared; {3}': '已停止：{0} 运行到了 t = {1} 秒（共 {2} 秒）。没有做任何对比；{3}',
  'the comparison shown is the one before.': '这里显示的仍是之前的对比结果。',
  '“Compare again” runs it.': '点“重新对比”即可运行。',
  // lesson24: the lesson bar says at once when the reader's own statement changed the lesson's world (lessons.js)
  'You changed this world with your own statements: the captions describe the lesson’s own world, not this one.': '你用自己的语句改变了这个场景：下面的说明描述的是课程原本的场景，而不是你现在看到的这个。',
};

const ATTRS = ['title', 'aria-label', 'placeholder'];
// Regions the panels draw (and redraw in the chosen language) themselves.
const DYNAMIC = '[data-dynamic], #con-out, #topo, #rulers, #decision, #lesson-bar, #wl-cards, #dlg-body, #banner, #caption, #lesson, #dec-hist, #tl-dec, #actions, #topo-legend, #ruler-legend, #chart-legend';
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
  // Every panel draws again in the new language: its drawing caches forgotten, and the
  // words it made once (filters, labels) made again by its relabel().
  for (const p of [...ui.panels, ui.timeline, ...Object.values(ui.lazy)]) {
    if (!p || typeof p !== 'object') continue;
    for (const k of ['sig', 'fsig', 'qsig', 'lsig']) if (k in p && typeof p[k] === 'string') p[k] = '';
    p.relabel?.();
  }
  ui.lazy.lessons?.render();
  ui.dirty = true;
}

function words(lang) {
  setDict(lang === 'zh' ? ZH : null, lang === 'zh' ? CORE : null);
  document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : 'en';
  const attrs = (n) => {
    for (const a of ATTRS) {
      if (!n.hasAttribute(a)) continue;
      let o = orig.get(n);
      if (!o) orig.set(n, (o = {}));
      if (!(a in o)) { if (!ZH[n.getAttribute(a).trim()]) continue; o[a] = n.getAttribute(a); }
      n.setAttribute(a, swap(o[a], lang));
    }
  };
  // A region a panel draws keeps its own static attributes (its aria-label) here.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.nodeType === 1 && n.matches(DYNAMIC) ? (attrs(n), NodeFilter.FILTER_REJECT) : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.currentNode; n; n = walker.nextNode()) {
    if (n.nodeType === 3) {
      if (!orig.has(n)) { if (!ZH[n.data.trim()]) continue; orig.set(n, n.data); }
      n.data = swap(orig.get(n), lang);
    } else attrs(n);
  }
  document.title = swap('replscope · Redis 7.0 replication, simulated', lang);
}

/** The core's usual errors (crate/scenario): [its English form, the Chinese], applied in turn. */
const CORE = [
  [/^line (\d+), column (\d+): /, '第 $1 行第 $2 列：'],
  [/bad duration '(.*)' \(add a unit: us, ms, s or m\)/, '时长 \'$1\' 无效（请加上单位：us、ms、s 或 m）'],
  [/bad duration '(.*)' \(an integer with a unit us, ms, s or m, e\.g\. 250ms, or 'sync'\)/, '时长 \'$1\' 无效（应为带单位 us、ms、s 或 m 的整数，如 250ms，或者 \'sync\'）'],
  [/^(.*)unknown statement '(.*?)' \(statements are lowercase: '(.*)'\)$/, '$1未知的语句 \'$2\'（语句要用小写：\'$3\'）'],
  [/^(.*)unknown statement '(.*?)' \(to send node (.*) a command, write '(.*)'\)$/, '$1未知的语句 \'$2\'（要给节点 $3 发命令，请写 \'$4\'）'],
  [/^(.*)unknown statement '(.*?)' \(did you mean '([^']*)'\?\)$/, '$1未知的语句 \'$2\'（是不是想写 \'$3\'？）'],
  [/unknown statement '(.*)'$/, '未知的语句 \'$1\''],
  [/unknown node '([^']*)' \(did you mean '([^']*)'\?\)$/, '没有名为 \'$1\' 的节点（是不是想写 \'$2\'？）'],
  [/unknown node '([^']*)' \(no node is declared yet\)$/, '没有名为 \'$1\' 的节点（还没有声明任何节点）'],
  [/unknown node '([^']*)' \(declared: (.*)\)$/, '没有名为 \'$1\' 的节点（已声明的节点：$2）'],
  [/unknown node '([^']*)'$/, '没有名为 \'$1\' 的节点'],
  // One name, or a few ('a' or 'b' or 'c': the names a parameter's start starts, config_table.rs).
  [/ \(did you mean ('[^']*'(?: or '[^']*')*)\?\)$/, (_, names) => `（是不是想写 ${names.replace(/ or /g, ' 或 ')}？）`],
  [/node '([^']*)' is not running$/, '节点 \'$1\' 没有在运行'],
  [/node '([^']*)' is already running$/, '节点 \'$1\' 已经在运行'],
  [/node '([^']*)' already exists$/, '节点 \'$1\' 已经存在'],
  [/node '([^']*)' is already declared$/, '节点 \'$1\' 已经声明过了'],
  [/missing space after '(.*)'$/, '\'$1\' 后面缺少空格'],
  [/missing command after '(.*)'$/, '\'$1\' 后面缺少命令'],
  [/(\S+)'s client is still waiting for the reply to '(.*)' \(one connection, as in redis-cli\)$/, '$1 的客户端还在等待 \'$2\' 的回复（和 redis-cli 一样，每个节点只有一条控制台连接）'],
  [/wait (\S+): over the simulator's limit of one week \(10080m\) per wait$/, 'wait $1：超出了模拟器的限制，每个 wait 最长一周（10080m）'],
  [/the command was still blocked after 10 simulated minutes/, '这条命令在模拟时间 10 分钟后仍被阻塞'],
];

/** For the tests: every key, to check the page's words against. */
export const KEYS = Object.keys(ZH);
