//! The Redis 7.0 replication buffer and backlog (#9166 "shared replication buffer").
//!
//! The replication stream is appended to one list of blocks shared by the backlog and
//! by every replica's output buffer. The backlog references the first block; each
//! replica references the block (and position) from which it still has to send. A
//! block is freed only when nobody references it, and the backlog trims whole blocks
//! from its head only while that keeps it above `repl-backlog-size`, so
//! `repl_backlog_histlen` can exceed the configured size, exactly as on a real server.
//!
//! Block sizes follow Redis too: `min(max(len, 16KB), max(backlog_size/16, 16KB))`
//! bytes asked of the allocator, which (jemalloc, as in Debian's redis-server) rounds
//! the request up to a size class; the block keeps all of it. A 16 KB request thus
//! yields a 20440-byte block (20480 minus the 40-byte block header), which is why a
//! real 7.0 server with a 16kb backlog reports a first byte offset of 40881 after
//! 61874 bytes of stream.

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::Arc;

/// `PROTO_REPLY_CHUNK_BYTES`: the smallest block.
pub const MIN_BLOCK_BYTES: usize = 16 * 1024;
/// `sizeof(replBufBlock)` on 64-bit Linux: refcount, id, repl_offset, size, used.
pub const BLOCK_HEADER_BYTES: usize = 40;
/// `sizeof(listNode)`: counted in replica output-buffer usage.
pub const LIST_NODE_BYTES: usize = 24;
/// `REPL_BACKLOG_TRIM_BLOCKS_PER_CALL`.
pub const TRIM_BLOCKS_PER_CALL: usize = 64;

/// jemalloc 5.3's size class for an allocation of `n` bytes (what
/// `zmalloc_usable_size` reports): 8, 16, 32, 48 ... then four classes per doubling.
pub fn jemalloc_usable_bytes(n: usize) -> usize {
    if n <= 8 {
        return 8;
    }
    if n <= 128 {
        return n.div_ceil(16) * 16;
    }
    let lg = usize::BITS - 1 - (n - 1).leading_zeros(); // floor(log2(n-1))
    let spacing = 1usize << (lg - 2);
    n.div_ceil(spacing) * spacing
}

/// Usable bytes of a new block for `len` pending bytes with this backlog size.
pub fn block_bytes(len: usize, backlog_size_bytes: i64) -> usize {
    let limit = ((backlog_size_bytes.max(0) as usize) / 16).max(MIN_BLOCK_BYTES);
    let request = len.max(MIN_BLOCK_BYTES).min(limit);
    jemalloc_usable_bytes(request + BLOCK_HEADER_BYTES) - BLOCK_HEADER_BYTES
}

/// One `replBufBlock`.
#[derive(Clone, Debug, Serialize)]
pub struct Block {
    /// Monotonic block id.
    pub id: u64,
    /// Replication offset of the block's first byte.
    pub repl_offset: i64,
    /// Capacity (`size`).
    pub size: usize,
    /// Bytes written so far (`used` = `data.len()`). Shared, so that a checkpoint of
    /// the world (a clone) does not copy a megabyte of backlog; only the tail block
    /// is ever appended to, and `Arc::make_mut` copies it then if it is shared.
    #[serde(skip)]
    pub data: Arc<Vec<u8>>,
    /// Backlog and replicas referencing this block.
    pub refcount: u32,
}

impl Block {
    /// Bytes used.
    pub fn used(&self) -> usize {
        self.data.len()
    }
}

/// A replica's position in the shared buffer (`ref_repl_buf_node`, `ref_block_pos`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BufRef {
    /// Block id.
    pub block: u64,
    /// Next byte to send within the block.
    pub pos: usize,
}

/// What [`Backlog::feed`] needs to know about one replica.
#[derive(Debug)]
pub struct FeedTarget<'a> {
    /// `canFeedReplicaReplBuffer`: false while it waits for BGSAVE to start.
    pub can_feed: bool,
    /// Its reference; set on first feed.
    pub pos: &'a mut Option<BufRef>,
}

/// The backlog and the shared replication buffer behind it.
#[derive(Clone, Debug, Serialize)]
pub struct Backlog {
    /// The blocks, oldest first.
    pub blocks: VecDeque<Block>,
    /// `repl_backlog_histlen`.
    pub histlen: i64,
    /// `repl_backlog_first_byte_offset` (`repl_backlog->offset`).
    pub offset: i64,
    /// Whether the backlog references the head block yet (`ref_repl_buf_node != NULL`).
    pub has_head_ref: bool,
    /// `repl-backlog-size` used for trimming and block sizing.
    pub size_limit_bytes: i64,
    /// Id of the next block (Redis keeps a process-wide counter).
    pub next_block_id: u64,
}

impl Backlog {
    /// `createReplicationBacklog`: empty, the first byte it will hold is `master_repl_offset + 1`.
    pub fn new(master_repl_offset: i64, size_limit_bytes: i64, next_block_id: u64) -> Backlog {
        Backlog {
            blocks: VecDeque::new(),
            histlen: 0,
            offset: master_repl_offset + 1,
            has_head_ref: false,
            size_limit_bytes,
            next_block_id,
        }
    }

    fn index_of(&self, block: u64) -> Option<usize> {
        let first = self.blocks.front()?.id;
        let i = block.checked_sub(first)? as usize;
        (i < self.blocks.len()).then_some(i)
    }

    /// The block with this id.
    pub fn block(&self, id: u64) -> Option<&Block> {
        self.index_of(id).map(|i| &self.blocks[i])
    }

    /// `feedReplicationBuffer`: append stream bytes, advancing `master_repl_offset`,
    /// giving replicas without a reference one at the start of this data, and
    /// trimming when a block was added. Returns true if a new block was created
    /// (Redis checks output-buffer limits then).
    pub fn feed(
        &mut self,
        mut bytes: &[u8],
        master_repl_offset: &mut i64,
        replicas: &mut [FeedTarget<'_>],
    ) -> bool {
        let mut any_new = false;
        while !bytes.is_empty() {
            let mut start: Option<BufRef> = None;
            let mut added = false;
            if let Some(tail) = self.blocks.back_mut() {
                if tail.size > tail.used() {
                    start = Some(BufRef {
                        block: tail.id,
                        pos: tail.used(),
                    });
                    let n = (tail.size - tail.used()).min(bytes.len());
                    Arc::make_mut(&mut tail.data).extend_from_slice(&bytes[..n]);
                    bytes = &bytes[n..];
                    *master_repl_offset += n as i64;
                    self.histlen += n as i64;
                    // The usual feed (natively): all of it fitted in the tail block, no
                    // replica waits for a place and the backlog holds its head already:
                    // nothing below would do anything.
                    if cfg!(not(target_arch = "wasm32"))
                        && bytes.is_empty()
                        && replicas.is_empty()
                        && self.has_head_ref
                    {
                        return any_new;
                    }
                }
            }
            if !bytes.is_empty() {
                let size = block_bytes(bytes.len(), self.size_limit_bytes);
                let n = size.min(bytes.len());
                let id = self.next_block_id;
                self.next_block_id += 1;
                let mut data = Vec::with_capacity(size.min(1 << 20));
                data.extend_from_slice(&bytes[..n]);
                self.blocks.push_back(Block {
                    id,
                    repl_offset: *master_repl_offset + 1,
                    size,
                    data: Arc::new(data),
                    refcount: 0,
                });
                added = true;
                start.get_or_insert(BufRef { block: id, pos: 0 });
                bytes = &bytes[n..];
                *master_repl_offset += n as i64;
                self.histlen += n as i64;
            }
            let start = start.expect("some bytes were placed");
            for r in replicas.iter_mut() {
                if r.can_feed && r.pos.is_none() {
                    *r.pos = Some(start);
                    let i = self.index_of(start.block).expect("start block exists");
                    self.blocks[i].refcount += 1;
                }
            }
            if !self.has_head_ref {
                // The buffer is empty whenever the backlog has no head yet.
                let i = self.index_of(start.block).expect("start block exists");
                self.blocks[i].refcount += 1;
                self.has_head_ref = true;
            }
            if added {
                any_new = true;
                self.trim(TRIM_BLOCKS_PER_CALL, *master_repl_offset);
            }
        }
        any_new
    }

    /// `incrementalTrimReplicationBacklog`: drop head blocks referenced by nobody but
    /// the backlog while the backlog stays above its configured size.
    // Natively inlined: a backlog within its size (every node's until it fills) has
    // nothing to trim, and every event of every node asks.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn trim(&mut self, max_blocks: usize, master_repl_offset: i64) {
        if cfg!(not(target_arch = "wasm32")) && self.histlen <= self.size_limit_bytes {
            self.offset = master_repl_offset - self.histlen + 1;
            return;
        }
        let mut trimmed = 0;
        while self.histlen > self.size_limit_bytes && trimmed < max_blocks {
            if self.blocks.len() <= 1 {
                break;
            }
            let head = &self.blocks[0];
            if head.refcount != 1 {
                break;
            }
            if self.histlen - head.size as i64 <= self.size_limit_bytes {
                break;
            }
            self.histlen -= head.size as i64;
            self.blocks.pop_front();
            self.blocks[0].refcount += 1;
            trimmed += 1;
        }
        self.offset = master_repl_offset - self.histlen + 1;
    }

    /// `addReplyReplicationBacklog`: reference the block holding `offset` (which the
    /// caller checked is inside the window). Returns the position (None when the
    /// backlog is empty) and how many bytes the replica will get.
    pub fn attach_at(&mut self, offset: i64) -> (Option<BufRef>, i64) {
        if self.histlen == 0 {
            return (None, 0);
        }
        let skip = offset - self.offset;
        let i = self
            .blocks
            .iter()
            .position(|b| b.repl_offset + b.used() as i64 >= offset)
            .expect("offset inside the backlog window");
        let b = &mut self.blocks[i];
        b.refcount += 1;
        let pos = BufRef {
            block: b.id,
            pos: (offset - b.repl_offset) as usize,
        };
        (Some(pos), self.histlen - skip)
    }

    /// `_writeToClient` for a replica: the bytes from `pos` to the end of the buffer,
    /// at most `max` of them, moving the reference along (and trimming when it leaves
    /// a block), into an empty buffer of `bufs`.
    pub fn take_pending(
        &mut self,
        pos: &mut BufRef,
        master_repl_offset: i64,
        max: usize,
        bufs: &mut crate::node::effects::BufPool,
    ) -> Vec<u8> {
        // The block is found once for the count and the first copy (and again only
        // after moving on to the next block, which may trim).
        let Some(mut i) = self.index_of(pos.block) else {
            return bufs.take(0);
        };
        let b = &self.blocks[i];
        let pending = (master_repl_offset + 1 - (b.repl_offset + pos.pos as i64)).max(0);
        let want = (pending as usize).min(max);
        let mut out = bufs.take(want);
        loop {
            let b = &self.blocks[i];
            let used = b.used();
            if used > pos.pos {
                let end = used.min(pos.pos + (want - out.len()));
                out.extend_from_slice(&b.data[pos.pos..end]);
                pos.pos = end;
            }
            if i + 1 < self.blocks.len() && pos.pos == used {
                self.blocks[i].refcount -= 1;
                self.blocks[i + 1].refcount += 1;
                pos.block = self.blocks[i + 1].id;
                pos.pos = 0;
                self.trim(TRIM_BLOCKS_PER_CALL, master_repl_offset);
                let Some(next) = self.index_of(pos.block) else {
                    return out;
                };
                i = next;
            } else {
                return out;
            }
        }
    }

    /// Bytes pending for a replica at `pos` (not yet handed to its socket).
    pub fn pending_bytes(&self, pos: &BufRef, master_repl_offset: i64) -> i64 {
        match self.block(pos.block) {
            Some(b) => master_repl_offset + 1 - (b.repl_offset + pos.pos as i64),
            None => 0,
        }
    }

    /// `freeReplicaReferencedReplBuffer`: a replica lets go of its reference.
    pub fn release(&mut self, pos: BufRef, master_repl_offset: i64) {
        if let Some(i) = self.index_of(pos.block) {
            self.blocks[i].refcount -= 1;
            self.trim(TRIM_BLOCKS_PER_CALL, master_repl_offset);
        }
    }

    /// `getClientOutputBufferMemoryUsage` for a replica: from its block to the end
    /// of the last block's capacity, plus per-block overhead.
    pub fn replica_usage_bytes(&self, pos: Option<&BufRef>) -> u64 {
        let (Some(pos), Some(last)) = (pos, self.blocks.back()) else {
            return 0;
        };
        let Some(cur) = self.block(pos.block) else {
            return 0;
        };
        let bytes = last.repl_offset + last.size as i64 - cur.repl_offset;
        let nodes = last.id - cur.id + 1;
        bytes as u64 + nodes * (LIST_NODE_BYTES + BLOCK_HEADER_BYTES) as u64
    }

    /// `rebaseReplicationBuffer`: after loading an RDB on a master restart, the
    /// offsets of what was fed during loading move by `base`.
    pub fn rebase(&mut self, base: i64) {
        for b in self.blocks.iter_mut() {
            b.repl_offset += base;
        }
    }

    /// Debug builds: the window lies inside the stream whose last byte is
    /// `master_repl_offset` (first byte at least 1, the window ending exactly at the
    /// stream's end, `histlen` exactly the bytes the blocks hold). `who` names the node
    /// in the message.
    pub fn debug_assert_window(&self, master_repl_offset: i64, who: &str) {
        if !cfg!(debug_assertions) {
            return;
        }
        // The first byte is master_repl_offset + 1 when the backlog was made: 1 or
        // more, except on a replica of a master that answered SYNC (no offset: its
        // master_repl_offset starts at -1, as Redis's does with a pre-PSYNC master).
        debug_assert!(
            self.offset >= 0,
            "{who}: backlog first byte {} < 0",
            self.offset
        );
        debug_assert_eq!(
            self.offset + self.histlen - 1,
            master_repl_offset,
            "{who}: backlog window [{}, +{}) does not end at master_repl_offset",
            self.offset,
            self.histlen
        );
        let held: usize = self.blocks.iter().map(Block::used).sum();
        debug_assert_eq!(
            self.histlen, held as i64,
            "{who}: backlog histlen differs from the bytes its blocks hold"
        );
    }

    /// Bytes of the stream from `from` (inclusive) to the end, if still held.
    pub fn bytes_from(&self, from: i64) -> Option<Vec<u8>> {
        if from < self.offset || from > self.offset + self.histlen {
            return None;
        }
        let mut out = Vec::new();
        for b in &self.blocks {
            let start = b.repl_offset;
            let end = start + b.used() as i64;
            if end <= from {
                continue;
            }
            let skip = (from - start).max(0) as usize;
            out.extend_from_slice(&b.data[skip..]);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jemalloc_classes() {
        assert_eq!(jemalloc_usable_bytes(16384 + 40), 20480);
        assert_eq!(jemalloc_usable_bytes(16384), 16384);
        assert_eq!(jemalloc_usable_bytes(65536 + 40), 81920);
        assert_eq!(jemalloc_usable_bytes(100), 112);
        assert_eq!(jemalloc_usable_bytes(129), 160);
        assert_eq!(jemalloc_usable_bytes(1), 8);
        assert_eq!(block_bytes(10, 16 * 1024), 20440);
        assert_eq!(block_bytes(10, 1024 * 1024), 20440);
        assert_eq!(block_bytes(1 << 20, 1024 * 1024), 81880);
    }

    /// Reproduces what a real 7.0.15 server with `repl-backlog-size 16kb` and one
    /// online replica reported after 61874 bytes of stream: first byte 40881,
    /// histlen 20994 (see the module docs).
    #[test]
    fn trimming_matches_a_real_server() {
        let mut off = 0i64;
        let mut b = Backlog::new(off, 16 * 1024, 0);
        let mut replica: Option<BufRef> = None;
        // 60 writes of about 1 KB each, the replica draining after each command.
        let mut written = 0i64;
        let mut i = 0;
        while written < 61874 {
            let n = (1031).min((61874 - written) as usize);
            let chunk = vec![b'x'; n];
            let mut targets = [FeedTarget {
                can_feed: true,
                pos: &mut replica,
            }];
            b.feed(&chunk, &mut off, &mut targets);
            let mut pos = replica.expect("fed");
            b.take_pending(&mut pos, off, usize::MAX, &mut Default::default());
            replica = Some(pos);
            written += n as i64;
            i += 1;
        }
        assert!(i > 50);
        assert_eq!(off, 61874);
        assert_eq!(b.offset, 40881);
        assert_eq!(b.histlen, 20994);
    }

    #[test]
    fn replicas_pin_blocks_so_histlen_exceeds_the_limit() {
        let mut off = 0i64;
        let mut b = Backlog::new(off, 16 * 1024, 0);
        let mut lagging: Option<BufRef> = None;
        for _ in 0..100 {
            let mut t = [FeedTarget {
                can_feed: true,
                pos: &mut lagging,
            }];
            b.feed(&[b'y'; 1000], &mut off, &mut t);
        }
        // The lagging replica never sent anything: nothing can be trimmed.
        assert_eq!(b.histlen, 100_000);
        assert_eq!(b.offset, 1);
        assert_eq!(b.pending_bytes(&lagging.unwrap(), off), 100_000);
        b.release(lagging.take().unwrap(), off);
        assert!(b.histlen <= 16 * 1024 + 20440 * 2);
        assert_eq!(b.offset, off - b.histlen + 1);
    }

    #[test]
    fn attach_at_window_edges() {
        let mut off = 0i64;
        let mut b = Backlog::new(off, 1 << 20, 0);
        let mut none: [FeedTarget; 0] = [];
        b.feed(b"0123456789", &mut off, &mut none);
        let (pos, n) = b.attach_at(1);
        assert_eq!((pos.unwrap().pos, n), (0, 10));
        let (pos, n) = b.attach_at(11);
        assert_eq!((pos.unwrap().pos, n), (10, 0));
        assert_eq!(b.bytes_from(8).unwrap(), b"789");
        assert_eq!(b.bytes_from(12), None);
    }
}
