//! Persistence and time-driven data work: the RDB snapshot (for SAVE, BGSAVE, save
//! points, SHUTDOWN and full syncs), the BGSAVE child, loading at startup, active
//! expiry, and the shutdown sequence.
//!
//! Model of a fork: the snapshot is taken at fork time (copy-on-write means later
//! writes do not reach it). A disk child is done at once and its parent notices at
//! the next `serverCron` tick, as Redis's `checkChildrenDone` would; a diskless
//! (socket) child is done when its stream has left the master's network interface.

use super::client::Blocked;
use super::cmd::{expired_deletion_verb, NodeCall, PropOp};
use super::effects::{ClientId, Ctx, Effect, NodeEvent};
use super::keyspace::{boxed, Value};
use super::{Node, ShutdownState};
use crate::repl::rdb::{self, RdbAux, RdbOptions, RdbWriter, ReplInfo, ValueRef};
use crate::repl::{master, ChildKind};
use crate::resp::Value as Reply;
use serde::Serialize;

/// A BGSAVE child process.
#[derive(Clone, Debug, Serialize)]
pub struct RdbChild {
    /// Disk or replica sockets.
    pub kind: ChildKind,
    /// When it forked (wall ms).
    pub started_ms: i64,
    /// The snapshot it produces.
    #[serde(skip)]
    pub rdb: Vec<u8>,
    /// Socket target: replicas whose stream has not fully left yet.
    pub waiting_drain: Vec<ClientId>,
    /// The child has exited (the parent notices in serverCron or on an ACK).
    pub finished: bool,
}

/// Persistence state (Redis's `dirty`, `lastsave`, child info, load stats).
#[derive(Clone, Debug, Default)]
pub struct Persist {
    /// Changes since the last save (`rdb_changes_since_last_save`).
    pub dirty: u64,
    /// `dirty` when the running BGSAVE forked.
    pub dirty_before_bgsave: u64,
    /// Unix time of the last successful save.
    pub lastsave: i64,
    /// Unix time of the last BGSAVE attempt.
    pub lastbgsave_try: i64,
    /// The last BGSAVE failed.
    pub lastbgsave_failed: bool,
    /// Successful saves (`rdb_saves`).
    pub rdb_saves: u64,
    /// The running child.
    pub child: Option<RdbChild>,
    /// `rdb_last_bgsave_time_sec` (-1: never).
    pub last_bgsave_secs: i64,
    /// Keys loaded by the last RDB load.
    pub last_load_keys_loaded: u64,
    /// Keys skipped as expired by the last RDB load.
    pub last_load_keys_expired: u64,
    /// Keys loaded from dump.rdb when the process started (None: no readable RDB file).
    pub rdb_keys_loaded_at_start: Option<u64>,
}

/// A deterministic stand-in for `used_memory` (only used for the RDB `used-mem` aux field).
fn used_memory_estimate(node: &Node) -> i64 {
    866_000 + data_bytes(node) as i64
}

/// Bytes the keyspace holds, roughly: keys and values with 64 bytes a key (also what
/// the page's checkpoints and dataset ceiling count, `Sim::data_bytes`).
pub fn data_bytes(node: &Node) -> usize {
    node.ks
        .dbs
        .iter()
        .flat_map(|db| db.iter())
        .map(|(k, e)| {
            k.len()
                + match &e.value {
                    Value::Str(s) => s.len(),
                    Value::List(l) => l.iter().map(Vec::len).sum(),
                    Value::Hash(h) => h.iter().map(|(f, v)| f.len() + v.len()).sum(),
                    Value::Set(s) => s.members().iter().map(Vec::len).sum(),
                }
                + 64
        })
        .sum()
}

/// `rdbPopulateSaveInfo`: the replication info an RDB made now carries, if any.
pub fn save_info(node: &Node) -> Option<ReplInfo> {
    let stream_db = if node.repl.masterhost.is_none() {
        node.repl.backlog.as_ref()?;
        if node.repl.slaveseldb == -1 {
            0
        } else {
            node.repl.slaveseldb
        }
    } else if let Some(m) = node.repl.master.and_then(|id| node.clients.get(&id)) {
        m.db as i64
    } else if let Some(cm) = &node.repl.cached_master {
        cm.db as i64
    } else {
        return None;
    };
    Some(ReplInfo {
        stream_db,
        repl_id: node.repl.replid.clone(),
        repl_offset: node.repl.master_repl_offset,
    })
}

/// Serialise the keyspace as Redis 7.0 would for a save or a full sync, under the
/// node's `rdbcompression` and `rdbchecksum` as they are now (a fork's child keeps
/// the settings it was forked with, so a `CONFIG SET` reaches the next file).
pub fn rdb_for_save(node: &Node, cx: &Ctx) -> Vec<u8> {
    let mut aux = RdbAux::new(cx.unixtime(), used_memory_estimate(node));
    let profile = node.cfg.version.profile();
    aux.rdb_version = profile.rdb_version;
    (aux.ver_key, aux.redis_ver) = (profile.rdb_aux.0, profile.rdb_aux.1.to_string());
    aux.repl = save_info(node);
    let options = RdbOptions {
        compression: node.cfg.rdbcompression,
        checksum: node.cfg.rdbchecksum,
    };
    let mut w = RdbWriter::with_options(&aux, options);
    for (i, db) in node.ks.dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        w.select_db(i as u32, db.len() as u64, db.expires_len() as u64);
        for (k, e) in db.iter() {
            match &e.value {
                Value::Str(s) => w.entry(k, ValueRef::Str(s), e.expire_ms),
                Value::List(l) => {
                    let v: Vec<Vec<u8>> = l.iter().cloned().collect();
                    w.entry(k, ValueRef::List(&v), e.expire_ms);
                }
                Value::Set(s) => {
                    w.entry(k, ValueRef::Set(&s.members()), e.expire_ms);
                }
                Value::Hash(h) => {
                    let v: Vec<(Vec<u8>, Vec<u8>)> =
                        h.iter().map(|(a, b)| (a.clone(), b.clone())).collect();
                    w.entry(k, ValueRef::Hash(&v), e.expire_ms);
                }
            }
        }
    }
    w.finish()
}

/// `rdbSaveBackground`: fork a child writing dump.rdb.
pub fn bgsave_to_disk(node: &mut Node, cx: &mut Ctx) {
    let rdb = rdb_for_save(node, cx);
    node.persist.dirty_before_bgsave = node.persist.dirty;
    node.persist.lastbgsave_try = cx.unixtime();
    node.stats.total_forks += 1;
    cx.notice(format!(
        "Background saving started by pid {}",
        node.process_id + node.stats.total_forks as u32
    ));
    cx.event(NodeEvent::BgsaveStart {
        target: "disk".into(),
        rdb_bytes: rdb.len(),
    });
    node.persist.child = Some(RdbChild {
        kind: ChildKind::Disk,
        started_ms: cx.mstime(),
        rdb,
        waiting_drain: Vec::new(),
        finished: true,
    });
}

/// `checkChildrenDone`: if the child has exited, run its done-handler, then start
/// any fork replicas are waiting for.
pub fn check_children_done(node: &mut Node, cx: &mut Ctx) {
    if !node.persist.child.as_ref().is_some_and(|c| c.finished) {
        return;
    }
    let child = node.persist.child.take().expect("checked");
    node.persist.last_bgsave_secs = (cx.mstime() - child.started_ms) / 1000;
    match child.kind {
        ChildKind::Disk => {
            cx.notice("Background saving terminated with success");
            node.persist.dirty = node
                .persist
                .dirty
                .saturating_sub(node.persist.dirty_before_bgsave);
            node.persist.lastsave = cx.unixtime();
            node.persist.lastbgsave_failed = false;
            node.persist.rdb_saves += 1;
            cx.out.push(Effect::WriteRdb {
                bytes: child.rdb.clone(),
            });
        }
        ChildKind::Socket => cx.notice("Background RDB transfer terminated with success"),
    }
    master::update_replicas_waiting_bgsave(node, cx, true, child.kind, &child.rdb);
    crate::repl::cron::start_pending_fork(node, cx);
}

/// The persistence part of `serverCron`: reap a finished child, or check save points.
pub fn cron(node: &mut Node, cx: &mut Ctx) {
    if node.persist.child.is_some() {
        check_children_done(node, cx);
        return;
    }
    let now = cx.unixtime();
    for sp in node.cfg.save_points.clone() {
        if node.persist.dirty >= sp.changes
            && now - node.persist.lastsave > sp.seconds as i64
            && (now - node.persist.lastbgsave_try > 5 || !node.persist.lastbgsave_failed)
        {
            cx.notice(format!(
                "{} changes in {} seconds. Saving...",
                sp.changes, sp.seconds
            ));
            bgsave_to_disk(node, cx);
            break;
        }
    }
}

/// `rdbSave` (synchronous): SAVE, SHUTDOWN, FLUSHALL with save points.
pub fn save_now(node: &mut Node, cx: &mut Ctx) {
    let rdb = rdb_for_save(node, cx);
    cx.out.push(Effect::WriteRdb { bytes: rdb });
    node.persist.dirty = 0;
    node.persist.lastsave = cx.unixtime();
    node.persist.lastbgsave_failed = false;
    node.persist.rdb_saves += 1;
    cx.notice("DB saved on disk");
}

/// A file this node's version can load, or Redis's refusal ("Can't handle RDB format
/// version 12" from a Redis 7.0 given Redis 8.0's file).
pub fn loadable(node: &Node, file: rdb::RdbFile) -> Result<rdb::RdbFile, rdb::RdbError> {
    let max = node.cfg.version.profile().rdb_max_load;
    if file.version > max {
        return Err(rdb::RdbError {
            offset: 5,
            message: format!("Can't handle RDB format version {}", file.version),
        });
    }
    Ok(file)
}

/// `rdbLoadRio`'s notices for the aux fields it reads, in file order: who produced the
/// file (the words are the loader's version's), its age (simulated seconds since its
/// `ctime`, never negative), the memory its writer used, an AOF tail or base.
///
/// ```text
/// Loading RDB produced by version 7.0.15
/// RDB age 0 seconds
/// RDB memory usage when created 0.83 Mb
/// ```
pub fn log_rdb_aux(node: &Node, cx: &mut Ctx, file: &rdb::RdbFile) {
    let produced_by = node.cfg.version.profile().words.rdb_produced_by;
    let number = |v: &str| crate::redis_util::libc::strtoll(v.as_bytes()).0;
    for (key, value) in &file.aux {
        let is = |name: &str| key.eq_ignore_ascii_case(name);
        if let Some((_, words)) = produced_by.iter().find(|(name, _)| is(name)) {
            cx.notice(format!("{words}{value}"));
        } else if is("ctime") {
            let age = cx.unixtime().saturating_sub(number(value)).max(0);
            cx.notice(format!("RDB age {age} seconds"));
        } else if is("used-mem") {
            cx.notice(format!(
                "RDB memory usage when created {} Mb",
                megabytes_2f(number(value))
            ));
        } else if is("aof-preamble") && number(value) != 0 {
            cx.notice("RDB has an AOF tail");
        } else if is("aof-base") && number(value) != 0 {
            cx.notice("RDB is base AOF");
        }
    }
}

/// `printf("%.2f", bytes / (1024*1024))`, in integers (no float formatting code in the
/// wasm): the quotient is exact in binary, so glibc rounds it exactly, a tie to even.
fn megabytes_2f(bytes: i64) -> String {
    const MB: u64 = 1 << 20;
    let b = bytes.unsigned_abs();
    // Whole megabytes, and hundredths of the rest (under 100 * 2^20: no overflow).
    let (whole, rest) = (b / MB, (b % MB) * 100);
    let (mut hundredths, r) = (rest / MB, rest % MB);
    if 2 * r > MB || (2 * r == MB && hundredths % 2 == 1) {
        hundredths += 1;
    }
    let whole = whole + hundredths / 100;
    let sign = if bytes < 0 { "-" } else { "" };
    format!("{sign}{whole}.{:02}", hundredths % 100)
}

/// `rdbLoadRio`'s last line: what it loaded.
pub fn log_done_loading(cx: &mut Ctx, loaded: u64, expired: u64) {
    cx.notice(format!(
        "Done loading RDB, keys loaded: {loaded}, keys expired: {expired}."
    ));
}

/// `rdbLoad`'s warning for a file saved with `rdbchecksum no` (a checksum of 0), which
/// it loads unchecked; a node with `rdbchecksum no` itself checks nothing and says nothing.
pub fn warn_unchecked(node: &Node, cx: &mut Ctx, file: &rdb::RdbFile) {
    if node.cfg.rdbchecksum && file.checksum == Some(0) {
        cx.warning("RDB file was saved with checksum disabled: no check performed.");
    }
}

/// `loadDataFromDisk` at startup.
pub fn load_data_from_disk(node: &mut Node, cx: &mut Ctx, rdb_bytes: Option<&[u8]>) {
    let i_am_master = node.repl.masterhost.is_none();
    if i_am_master {
        // Expired keys found while loading become DELs in the backlog.
        master::create_backlog(node);
    }
    let mut valid = false;
    if let Some(bytes) = rdb_bytes {
        match rdb::decode(bytes).and_then(|f| loadable(node, f)) {
            Ok(file) => {
                log_rdb_aux(node, cx, &file);
                let (loaded, expired) = load_entries(node, cx, &file.entries, i_am_master);
                warn_unchecked(node, cx, &file);
                node.persist.last_load_keys_loaded = loaded;
                node.persist.last_load_keys_expired = expired;
                node.persist.rdb_keys_loaded_at_start = Some(loaded);
                log_done_loading(cx, loaded, expired);
                // Loading takes no simulated time.
                cx.notice("DB loaded from disk: 0.000 seconds");
                if let Some(r) = file
                    .repl
                    .filter(|r| r.stream_db != -1 && r.repl_offset != -1)
                {
                    valid = true;
                    if !i_am_master {
                        node.repl.replid = r.repl_id.clone();
                        node.repl.master_repl_offset = r.repl_offset;
                        crate::repl::replica::cache_master_using_myself(node, cx);
                        if let Some(cm) = node.repl.cached_master.as_mut() {
                            cm.db = r.stream_db.clamp(0, node.cfg.databases as i64 - 1) as usize;
                        }
                    } else {
                        // 7.0 (#8015): the saved history becomes replid2, so
                        // replicas that were in sync can continue.
                        node.repl.replid2 = r.repl_id.clone();
                        node.repl.second_replid_offset = r.repl_offset + 1;
                        node.repl.replid2_from = crate::repl::psync::Replid2From::Rdb;
                        node.repl.master_repl_offset += r.repl_offset;
                        let off = node.repl.master_repl_offset;
                        if let Some(b) = node.repl.backlog.as_mut() {
                            b.offset = off - b.histlen + 1;
                            b.rebase(r.repl_offset);
                        }
                        node.repl.no_slaves_since = cx.unixtime();
                        master::replid_event(
                            node,
                            cx,
                            "restarted: the RDB's replication id becomes replid2",
                        );
                    }
                }
            }
            Err(e) => {
                // Redis exits on a corrupt RDB; the simulator starts empty and says why.
                cx.warning(format!(
                    "Fatal error loading the DB: {e}. Starting with an empty dataset."
                ));
            }
        }
    }
    if !valid && node.repl.backlog.is_some() {
        master::free_backlog(node);
    }
}

/// Put RDB entries into the (empty) keyspace. A master skips keys already expired
/// and feeds a DEL for each into its backlog. Returns (loaded, expired).
pub fn load_entries(
    node: &mut Node,
    cx: &mut Ctx,
    entries: &[rdb::RdbEntry],
    i_am_master: bool,
) -> (u64, u64) {
    let now = cx.mstime();
    let (mut loaded, mut expired) = (0, 0);
    if cfg!(not(target_arch = "wasm32")) {
        // The file lists each database's keys together (after its RESIZEDB hint).
        for run in entries.chunk_by(|a, b| a.db == b.db) {
            if let Some(db) = node.ks.dbs.get_mut(run[0].db as usize) {
                db.reserve(run.len());
            }
        }
    }
    for e in entries {
        let db = e.db as usize;
        if db >= node.ks.dbs.len() {
            continue;
        }
        if i_am_master && e.expire_ms.is_some_and(|t| t < now) {
            expired += 1;
            let verb = expired_deletion_verb(node.cfg.lazyfree_lazy_expire);
            master::feed_replicas(node, cx, db as i64, &[verb, e.key.clone()]);
            continue;
        }
        let value = match &e.value {
            rdb::OwnedValue::Str(s) => Value::Str(s.clone()),
            rdb::OwnedValue::List(l) => Value::List(boxed(l.iter().cloned().collect())),
            // Inserted one by one: `collect` into a B-tree sorts first, and that sort
            // is a few kilobytes of WebAssembly per element type.
            rdb::OwnedValue::Set(s) => {
                // In file order, with the intset limit, as rdbLoadObject does.
                let mut set = crate::node::set::Set::default();
                for m in s {
                    set.insert(m.clone());
                }
                Value::Set(boxed(set))
            }
            rdb::OwnedValue::Hash(h) => {
                // In file order, with the listpack limits, as rdbLoadObject does.
                let mut hash = crate::node::hash::Hash::default();
                for (f, v) in h {
                    hash.insert(f.clone(), v.clone());
                }
                Value::Hash(boxed(hash))
            }
        };
        node.ks.dbs[db].set(&e.key, value, false);
        node.ks.dbs[db].set_expire(&e.key, e.expire_ms);
        loaded += 1;
    }
    (loaded, expired)
}

/// The slow `activeExpireCycle`: delete keys whose TTL passed and propagate each
/// DEL on its own (never wrapped in MULTI/EXEC). The dirty counter does not move.
pub fn active_expire_cycle(node: &mut Node, cx: &mut Ctx) {
    if crate::repl::failover::writes_paused(node) {
        return; // the dataset stays as it is while writes are paused
    }
    let now = cx.mstime();
    node.propagate_no_multi = true;
    for db in 0..node.ks.dbs.len() {
        for key in node.ks.dbs[db].expired_keys(now, 1000) {
            node.ks.dbs[db].remove(&key);
            node.keystats.expired_keys += 1;
            // Not a change for save points or rdb_changes_since_last_save: 7.0's
            // deleteExpiredKeyAndPropagate leaves server.dirty (also 8.0, Valkey 8.1).
            if master::should_propagate(node) {
                node.also_propagate.push(PropOp {
                    db,
                    argv: vec![expired_deletion_verb(node.cfg.lazyfree_lazy_expire), key],
                });
            }
        }
    }
    crate::node::exec::propagate_pending(node, cx, false);
    node.propagate_no_multi = false;
}

/// Redis's `expireSlaveKeys` (from `databasesCron` on a replica): the keys a client
/// of this writable replica gave a TTL are checked in every database they were
/// remembered in; one whose TTL has passed is deleted and counted in `expired_keys`
/// (`deleteExpiredKeyAndPropagate`; a replica propagates nothing to its own
/// replicas, which get their master's stream). One still to expire stays
/// remembered; one gone or without a TTL is forgotten. (Redis visits the entries in
/// random order and stops after 3 not yet expired; all are visited here.)
pub fn expire_replica_keys(node: &mut Node, cx: &mut Ctx) {
    if node.replica_keys_with_expire.is_empty() || node.shutdown.is_some() {
        return;
    }
    let now = cx.mstime();
    let ndbs = node.ks.dbs.len();
    let ks = &mut node.ks;
    let expired_keys = &mut node.keystats.expired_keys;
    node.replica_keys_with_expire.retain(|key, dbids| {
        let mut keep = 0u64;
        for db in (0..ndbs.min(64)).filter(|db| *dbids & (1 << db) != 0) {
            let Some(when) = ks.dbs[db].get(key).and_then(|e| e.expire_ms) else {
                continue;
            };
            if now > when {
                ks.dbs[db].remove(key);
                *expired_keys += 1;
            } else {
                keep |= 1 << db;
            }
        }
        *dbids = keep;
        keep != 0
    });
}

/// `SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]`.
pub fn shutdown_command(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    let (mut nosave, mut save, mut now, mut abort) = (false, false, false, false);
    for a in &c.argv[1..] {
        match a.to_ascii_lowercase().as_slice() {
            b"nosave" => nosave = true,
            b"save" => save = true,
            b"now" => now = true,
            b"force" => {}
            b"abort" => abort = true,
            _ => return Some(super::cmd::errors::syntax()),
        }
    }
    if (abort && (nosave || save || now)) || (nosave && save) {
        return Some(super::cmd::errors::syntax());
    }
    if abort {
        return Some(match node.shutdown.take() {
            Some(st) => {
                cx.notice("Shutdown manually aborted.");
                if st.client != c.client {
                    node.unblock(
                        cx,
                        st.client,
                        Reply::err("ERR Errors trying to SHUTDOWN. Check logs."),
                    );
                }
                Reply::ok()
            }
            None => Reply::err("ERR No shutdown in progress."),
        });
    }
    if node.shutdown.is_some() {
        return Some(Reply::err("ERR Errors trying to SHUTDOWN. Check logs."));
    }
    cx.warning("User requested shutdown...");
    let do_save = (!node.cfg.save_points.is_empty() && !nosave) || save;
    if !now && node.cfg.shutdown_timeout_secs != 0 && !ready_to_shutdown(node) {
        node.shutdown = Some(ShutdownState {
            deadline_ms: cx.mstime() + node.cfg.shutdown_timeout_secs * 1000,
            save: do_save,
            client: c.client,
        });
        master::send_getack(node, cx);
        cx.notice("Waiting for replicas before shutting down.");
        if let Some(cl) = node.clients.get_mut(&c.client) {
            cl.blocked = Some(Blocked::Shutdown);
        }
        return None;
    }
    finish_shutdown(node, cx, do_save);
    None
}

/// `isReadyToShutdown`: every replica acknowledged our whole stream.
fn ready_to_shutdown(node: &Node) -> bool {
    node.repl.slaves.iter().all(|id| {
        node.clients
            .get(id)
            .and_then(|c| c.replica.as_ref())
            .is_none_or(|r| r.ack_off == node.repl.master_repl_offset)
    })
}

/// The shutdown check at the top of `serverCron`.
pub fn shutdown_cron(node: &mut Node, cx: &mut Ctx) {
    let Some(st) = node.shutdown.clone() else {
        return;
    };
    if cx.mstime() >= st.deadline_ms || ready_to_shutdown(node) {
        finish_shutdown(node, cx, st.save);
    }
}

/// `finishShutdown`: log lagging replicas, kill a child, save if asked, exit.
fn finish_shutdown(node: &mut Node, cx: &mut Ctx, save: bool) {
    let total = node.repl.slaves.len();
    let mut lagging = 0;
    for id in node.repl.slaves.clone() {
        let Some(c) = node.clients.get(&id) else {
            continue;
        };
        let Some(r) = c.replica.as_ref() else {
            continue;
        };
        if r.ack_off != node.repl.master_repl_offset {
            lagging += 1;
            let lag = if r.state == super::client::ReplicaState::Online {
                cx.unixtime() - r.ack_time
            } else {
                0
            };
            cx.warning(format!(
                "Lagging replica {} reported offset {} behind master, lag={}, state={}.",
                c.replica_name(),
                node.repl.master_repl_offset - r.ack_off,
                lag,
                r.state.info_name()
            ));
        }
    }
    if total > 0 {
        cx.notice(format!(
            "{} of {} replicas are in sync when shutting down.",
            total - lagging,
            total
        ));
    }
    if node.persist.child.take().is_some() {
        cx.warning("There is a child saving an .rdb. Killing it!");
    }
    if save {
        cx.notice("Saving the final RDB snapshot before exiting.");
        save_now(node, cx);
    }
    cx.warning("Redis is now ready to exit, bye bye...");
    node.shutdown = None;
    node.exited = true;
    cx.out.push(Effect::Exit);
}

/// `SAVE`.
pub fn save_command(node: &mut Node, cx: &mut Ctx, _c: &mut NodeCall) -> Option<Reply> {
    if node.persist.child.is_some() {
        return Some(Reply::err("ERR Background save already in progress"));
    }
    save_now(node, cx);
    Some(Reply::ok())
}

/// `BGSAVE`.
pub fn bgsave_command(node: &mut Node, cx: &mut Ctx, c: &mut NodeCall) -> Option<Reply> {
    if c.argv.len() > 2 || (c.argv.len() == 2 && !c.argv[1].eq_ignore_ascii_case(b"schedule")) {
        return Some(super::cmd::errors::syntax());
    }
    if node.persist.child.is_some() {
        return Some(Reply::err("ERR Background save already in progress"));
    }
    bgsave_to_disk(node, cx);
    Some(Reply::Simple("Background saving started".into()))
}

/// `LASTSAVE`.
pub fn lastsave_command(node: &mut Node, _cx: &mut Ctx, _c: &mut NodeCall) -> Option<Reply> {
    Some(Reply::Integer(node.persist.lastsave))
}

#[cfg(test)]
mod tests {
    use super::megabytes_2f;

    /// As glibc's `printf("%.2f")` prints bytes / 2^20 (`printf '%.2f' 0.125` in a shell).
    #[test]
    fn megabytes_round_as_printf_does() {
        assert_eq!(megabytes_2f(975_000), "0.93");
        assert_eq!(megabytes_2f(131_072), "0.12"); // 0.125: a tie, to even
        assert_eq!(megabytes_2f(393_216), "0.38"); // 0.375: a tie, to even
        assert_eq!(megabytes_2f(0), "0.00");
        assert_eq!(megabytes_2f(1_048_576 * 3 / 2), "1.50");
        assert_eq!(megabytes_2f(-1_048_576), "-1.00");
    }
}
