//! The command table and the context a command runs in.
//!
//! Two kinds of handler, like two kinds of Redis command:
//! - **data commands** ([`DataFn`]) see only a [`Call`]: the arguments (which they may
//!   rewrite for propagation, as Redis's `rewriteClientCommandVector`), the selected
//!   database, the keyspace with Redis's expiry rules, and a dirty counter;
//! - **server commands** ([`NodeFn`]) see the whole node (INFO, CONFIG, MULTI/EXEC,
//!   REPLICAOF, PSYNC, WAIT, SHUTDOWN ...).
//!
//! What gets propagated is decided afterwards in [`crate::node::exec`], from the dirty
//! counter and the (possibly rewritten) arguments, exactly as Redis's `call()` does.

/// A data command's table entry: `data_cmd!(name, arity, flags, handler)`.
macro_rules! data_cmd {
    ($name:expr, $arity:expr, $flags:expr, $f:expr) => {
        $crate::node::cmd::CommandSpec {
            name: $name,
            arity: $arity,
            flags: $flags,
            handler: $crate::node::cmd::Handler::Data($f),
        }
    };
}

pub mod hashes;
pub mod keys;
pub mod lists;
pub mod server;
pub mod sets;
pub mod strings;
pub mod typed;

use crate::node::effects::{ClientId, Ctx};
use crate::node::keyspace::{Db, Entry, Keyspace};
use crate::node::Node;
use crate::redis_util::{cstr, string2ll};
use crate::resp::Value as Reply;

/// A command's arguments, command name first.
pub type Argv = Vec<Vec<u8>>;

/// A command to put into the replication stream after the current one
/// (Redis's `alsoPropagate`): used for the DEL of a key found expired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropOp {
    /// Database the command applies to.
    pub db: usize,
    /// The command.
    pub argv: Argv,
}

/// The command that deletes an expired key in the replication stream: `UNLINK` under
/// `lazyfree-lazy-expire`, else `DEL`. Redis 7.0 decides it the same way wherever an
/// expired key goes: `deleteExpiredKeyAndPropagate` (a lookup, active expiry), an
/// expire time already in the past (`expireGenericCommand`, GETEX), and a key found
/// expired while a master loads its RDB (`rdbLoad`). Every one of those calls this.
pub fn expired_deletion_verb(lazyfree_lazy_expire: bool) -> Vec<u8> {
    if lazyfree_lazy_expire {
        b"UNLINK".to_vec()
    } else {
        b"DEL".to_vec()
    }
}

/// How a lookup treats a key whose TTL has passed (Redis's `expireIfNeeded`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiryMode {
    /// A master: delete it and propagate a DEL (or UNLINK).
    Master,
    /// A replica serving its own clients: report it missing but keep it; the master's
    /// DEL will remove it. Write commands on a writable replica delete it locally.
    Replica,
    /// A replica applying its master's stream: keys are never expired.
    FromMaster,
    /// A master while writes are paused (FAILOVER, SHUTDOWN waiting): report an
    /// expired key missing but keep the dataset as it is.
    Paused,
}

/// Keyspace statistics a command may bump (INFO stats).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyStats {
    /// `expired_keys`.
    pub expired_keys: u64,
    /// `keyspace_hits`.
    pub keyspace_hits: u64,
    /// `keyspace_misses`.
    pub keyspace_misses: u64,
}

/// The context of one data command (Redis's `client *c` as far as data commands care).
pub struct Call<'a> {
    /// Arguments, command name first. A command may replace them (for example
    /// `SET k v EX 10` becomes `SET k v PXAT <ms>`); what is here afterwards is what
    /// gets propagated if the command made the dataset dirty.
    pub argv: Argv,
    /// The calling client's selected database (SELECT writes it back).
    pub db: usize,
    /// Every database.
    pub ks: &'a mut Keyspace,
    /// Redis's cached `mstime()` for this command: the same for the whole command.
    pub now_ms: i64,
    /// Expiry semantics of this node and client.
    pub expiry: ExpiryMode,
    /// `lazyfree-lazy-expire`: expired keys propagate as UNLINK instead of DEL.
    pub lazyfree_lazy_expire: bool,
    /// The node's version: the few data-command details that differ between versions
    /// (`set_past_deadline_deletes`, `past_deadline_counts_expired`, `set_pxat_verbatim`).
    pub profile: &'static crate::version::Profile,
    /// `proto-max-bulk-len`: the largest string a command may create.
    pub proto_max_bulk_len: i64,
    /// True when the client is the replica's master link (limits are not enforced).
    pub from_master: bool,
    /// Extra commands to propagate after this one.
    pub also_propagate: &'a mut Vec<PropOp>,
    /// On a writable replica, for a client other than its master: where the keys
    /// this command gives a TTL are remembered (Redis's `setExpire` calls
    /// `rememberSlaveKeyWithExpire`), so that the replica expires them itself.
    pub replica_expires: Option<&'a mut std::collections::BTreeMap<Vec<u8>, u64>>,
    /// Statistics.
    pub stats: &'a mut KeyStats,
    /// Changes made to the dataset (Redis's `server.dirty` delta). Non-zero means the
    /// command is propagated.
    pub dirty: u64,
    /// Propagate even if nothing changed (Redis's `forceCommandPropagation`).
    pub force_propagate: bool,
    /// Blocking is not allowed here (inside EXEC, or for our master's stream).
    pub deny_blocking: bool,
    /// Set by a blocking command that found nothing: block the client for this many
    /// ms (0: forever). Its reply then comes when the wait ends.
    pub block_ms: Option<i64>,
}

impl Call<'_> {
    /// The selected database.
    pub fn db(&mut self) -> &mut Db {
        &mut self.ks.dbs[self.db]
    }

    /// Redis's `expireIfNeeded`: true if `key` is logically expired. On a master (and
    /// with `force_delete` on a replica) the key is deleted; a master also queues the
    /// DEL for propagation.
    pub fn expire_if_needed(&mut self, key: &[u8], force_delete: bool) -> bool {
        let Some(when) = self.ks.dbs[self.db].get(key).and_then(|e| e.expire_ms) else {
            return false;
        };
        // Redis: "The key expired if the current time is greater than the expire time".
        if self.now_ms <= when {
            return false;
        }
        match self.expiry {
            ExpiryMode::FromMaster => return false,
            ExpiryMode::Paused => return true,
            ExpiryMode::Replica if !force_delete => return true,
            _ => {}
        }
        self.ks.dbs[self.db].remove(key);
        self.stats.expired_keys += 1;
        if self.expiry == ExpiryMode::Master {
            self.also_propagate.push(PropOp {
                db: self.db,
                argv: vec![
                    expired_deletion_verb(self.lazyfree_lazy_expire),
                    key.to_vec(),
                ],
            });
        }
        true
    }

    /// Redis's `lookupKeyRead`: the entry unless missing or expired; counts a hit or miss.
    pub fn lookup_read(&mut self, key: &[u8]) -> Option<&Entry> {
        // One search in the common case (present, not expired).
        let now = self.now_ms;
        let expired = match self.ks.dbs[self.db].get(key) {
            None => {
                self.stats.keyspace_misses += 1;
                return None;
            }
            Some(e) => e.expire_ms.is_some_and(|when| now > when),
        };
        if expired && self.expire_if_needed(key, false) {
            self.stats.keyspace_misses += 1;
            return None;
        }
        self.stats.keyspace_hits += 1;
        self.ks.dbs[self.db].get(key)
    }

    /// [`Call::lookup_write`] when only presence matters: one search in the common case.
    pub fn exists_for_write(&mut self, key: &[u8]) -> bool {
        let now = self.now_ms;
        match self.ks.dbs[self.db].get(key) {
            None => false,
            Some(e) if e.expire_ms.is_some_and(|when| now > when) => {
                !self.expire_if_needed(key, true)
            }
            Some(_) => true,
        }
    }

    /// Redis's `lookupKeyWrite`: the entry unless missing or expired (an expired key is
    /// deleted first, even on a writable replica). No hit/miss statistics.
    pub fn lookup_write(&mut self, key: &[u8]) -> Option<&Entry> {
        let now = self.now_ms;
        let expired = self.ks.dbs[self.db]
            .get(key)?
            .expire_ms
            .is_some_and(|when| now > when);
        if expired && self.expire_if_needed(key, true) {
            return None;
        }
        self.ks.dbs[self.db].get(key)
    }

    /// Delete `key`, which a command has just given a deadline already past, and
    /// propagate the command as `DEL key` (or `UNLINK`) in its place: Redis 7.0's
    /// EXPIRE and GETEX branch for it, Valkey's `deleteExpiredKeyFromOverwriteAndPropagate`
    /// (which Valkey 8.1 counts in `expired_keys`).
    pub fn delete_past_deadline(&mut self, key: Vec<u8>) {
        self.ks.dbs[self.db].remove(&key);
        self.dirty += 1;
        if self.profile.past_deadline_counts_expired {
            self.stats.expired_keys += 1;
        }
        self.argv = vec![expired_deletion_verb(self.lazyfree_lazy_expire), key];
    }

    /// Redis's `setExpire(c, db, key, when)` as far as a writable replica cares:
    /// remember a key its own client gave a TTL (databases 0 to 63 only, as Redis).
    pub fn remember_expire(&mut self, db: usize, key: &[u8], expire_ms: Option<i64>) {
        if let (Some(map), Some(_), true) =
            (self.replica_expires.as_deref_mut(), expire_ms, db < 64)
        {
            *map.entry(key.to_vec()).or_insert(0) |= 1 << db;
        }
    }

    /// Redis's `checkAlreadyExpired`: an expire time at or before now deletes the key
    /// at once, but only on a master (a replica keeps it and waits for the master's DEL).
    pub fn already_expired(&self, when_ms: i64) -> bool {
        when_ms <= self.now_ms && self.expiry == ExpiryMode::Master
    }

    /// Run `f` with `db` selected, as Redis's COPY and MOVE look up keys in another
    /// database (an expired key found there is deleted and its DEL propagated in
    /// that database).
    pub fn in_db<T>(&mut self, db: usize, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.db, db);
        let out = f(self);
        self.db = saved;
        out
    }

    /// The i-th argument as UTF-8-lossy text (for error messages).
    pub fn arg_str(&self, i: usize) -> String {
        String::from_utf8_lossy(&self.argv[i]).into_owned()
    }
}

/// A data command handler.
pub type DataFn = fn(&mut Call) -> Reply;

/// A server command handler: gets the whole node. `None` means the client blocked
/// (WAIT, SHUTDOWN); its reply comes later.
pub type NodeFn = fn(&mut Node, &mut Ctx, &mut NodeCall) -> Option<Reply>;

/// The context of one server command.
pub struct NodeCall {
    /// The calling client.
    pub client: ClientId,
    /// Arguments, command name first (may be rewritten like [`Call::argv`]).
    pub argv: Argv,
    /// Changes made to the dataset; non-zero means the command is propagated.
    pub dirty: u64,
    /// Propagate even if nothing changed (Redis's `forceCommandPropagation`).
    pub force_propagate: bool,
}

/// How a command is implemented.
#[derive(Clone, Copy)]
pub enum Handler {
    /// A data command.
    Data(DataFn),
    /// A server command.
    Node(NodeFn),
}

/// Command flags: the subset of Redis's `CMD_*` the simulator reads (in
/// [`crate::node::exec`]'s `processCommand` and `call`). Flags nothing here would read
/// (`admin`, `loading`, `denyoom`, `fast`, ...) are left out of the table.
pub mod flags {
    /// May modify the dataset (`CMD_WRITE`).
    pub const WRITE: u32 = 1 << 0;
    /// Reads the dataset (`CMD_READONLY`).
    pub const READONLY: u32 = 1 << 1;
    /// Refused inside MULTI (`CMD_NO_MULTI`).
    pub const NO_MULTI: u32 = 1 << 2;
    /// Allowed on a replica with a broken link when `replica-serve-stale-data no`
    /// (`CMD_STALE`).
    pub const STALE: u32 = 1 << 3;
    /// Touches arbitrary keys (`CMD_TOUCHES_ARBITRARY_KEYS`): its effects are not
    /// wrapped in MULTI/EXEC.
    pub const TOUCHES_ARBITRARY_KEYS: u32 = 1 << 4;
    /// Refused unless `enable-debug-command` allows it (`CMD_PROTECTED`), which the
    /// simulator leaves at its default, `no`: DEBUG answers that error, after its arity.
    pub const PROTECTED: u32 = 1 << 5;
}

/// One entry of the command table.
#[derive(Clone, Copy)]
pub struct CommandSpec {
    /// Lower-case name, as in Redis's command table (`config|get` for subcommands).
    pub name: &'static str,
    /// Redis arity: N exact, -N at least N (the name counts).
    pub arity: i32,
    /// [`flags`].
    pub flags: u32,
    /// Implementation.
    pub handler: Handler,
}

impl std::fmt::Debug for CommandSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CommandSpec({})", self.name)
    }
}

impl CommandSpec {
    /// True if the command writes.
    pub fn is_write(&self) -> bool {
        self.flags & flags::WRITE != 0
    }
}

/// Every command the simulated node knows, looked up by lower-case name.
pub fn lookup(name: &[u8]) -> Option<&'static CommandSpec> {
    // Every command every node runs comes through here: the candidates of the same
    // length and first letter are found by a search on two bytes, then compared with
    // `name` lower-cased on the fly (no allocation, no library compare).
    let t = table();
    if cfg!(target_arch = "wasm32") {
        // The page's wasm searches the table itself (an index costs its download
        // ~700 bytes; the page runs few commands).
        return t
            .binary_search_by(|c| cmp_lowercased(c.name.as_bytes(), name))
            .ok()
            .map(|i| &t[i]);
    }
    // A node mostly runs the command it ran last (a replica applying a stream of
    // SETs): that one is compared first.
    thread_local! {
        static LAST: std::cell::Cell<Option<&'static CommandSpec>> = const { std::cell::Cell::new(None) };
    }
    // (An equality test, not the ordering a search needs: lengths first, then bytes.)
    if let Some(c) = LAST.get().filter(|c| {
        c.name.len() == name.len()
            && c.name
                .bytes()
                .zip(name)
                .all(|(a, b)| a == b.to_ascii_lowercase())
    }) {
        return Some(c);
    }
    let found = lookup_indexed(t, name);
    if found.is_some() {
        LAST.set(found);
    }
    found
}

/// [`lookup`] through the index by (name length, first letter).
fn lookup_indexed(t: &'static [CommandSpec], name: &[u8]) -> Option<&'static CommandSpec> {
    let (&first, len) = (name.first()?, u8::try_from(name.len()).ok()?);
    let key = (len, first.to_ascii_lowercase());
    let index = by_length_and_first();
    let start = index.partition_point(|&(k, _)| k < key);
    index[start..]
        .iter()
        .take_while(|&&(k, _)| k == key)
        .map(|&(_, i)| &t[usize::from(i)])
        .find(|c| cmp_lowercased(c.name.as_bytes(), name).is_eq())
}

/// The command table's positions ordered by (name length, first letter).
fn by_length_and_first() -> &'static [((u8, u8), u16)] {
    use std::sync::OnceLock;
    static INDEX: OnceLock<Vec<((u8, u8), u16)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: Vec<((u8, u8), u16)> = table()
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.name.len() as u8, c.name.as_bytes()[0]), i as u16))
            .collect();
        crate::util::sort::sort_by(&mut index, |a, b| a.cmp(b));
        index
    })
}

/// `table_name` (lower case) against `name` with ASCII letters lower-cased.
fn cmp_lowercased(table_name: &[u8], name: &[u8]) -> std::cmp::Ordering {
    for (a, b) in table_name.iter().zip(name) {
        match a.cmp(&b.to_ascii_lowercase()) {
            std::cmp::Ordering::Equal => {}
            other => return other,
        }
    }
    table_name.len().cmp(&name.len())
}

/// The sorted command table.
pub fn table() -> &'static [CommandSpec] {
    use std::sync::OnceLock;
    static TABLE: OnceLock<Vec<CommandSpec>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Vec::new();
        t.extend_from_slice(strings::COMMANDS);
        t.extend_from_slice(keys::COMMANDS);
        t.extend_from_slice(server::COMMANDS);
        t.extend_from_slice(lists::COMMANDS);
        t.extend_from_slice(hashes::COMMANDS);
        t.extend_from_slice(sets::COMMANDS);
        crate::util::sort::sort_by(&mut t, |a, b| a.name.cmp(b.name));
        t
    })
}

/// True if `arg` is the option `name`, compared the way Redis compares options
/// (`strcasecmp` on C strings: case-insensitive, and the argument ends at a NUL byte).
pub fn arg_is(arg: &[u8], name: &str) -> bool {
    cstr(arg).eq_ignore_ascii_case(name.as_bytes())
}

/// Redis's `getLongLongFromObjectOrReply` (and `getLongFromObjectOrReply`: a C long
/// is 64 bits too).
pub fn i64_or_reply(arg: &[u8]) -> Result<i64, Reply> {
    string2ll(arg).ok_or_else(errors::not_integer)
}

/// Redis's `getPositiveLongFromObjectOrReply` without a custom message: zero or more.
/// Note that a non-number gets the range message too, as in Redis.
pub fn positive_or_reply(arg: &[u8]) -> Result<i64, Reply> {
    match string2ll(arg) {
        Some(v) if v >= 0 => Ok(v),
        _ => Err(Reply::err("ERR value is out of range, must be positive")),
    }
}

/// Redis's `getIntFromObjectOrReply`: a C int, with Redis's two error texts.
pub fn i32_or_reply(arg: &[u8]) -> Result<i32, Reply> {
    let v = i64_or_reply(arg)?;
    i32::try_from(v).map_err(|_| {
        Reply::err(format!(
            "ERR value is out of range, value must between {} and {}",
            i32::MIN,
            i32::MAX
        ))
    })
}

/// Redis's shared error replies.
pub mod errors {
    use crate::resp::Value as Reply;

    /// `-ERR syntax error`.
    pub fn syntax() -> Reply {
        Reply::err("ERR syntax error")
    }
    /// `-ERR value is not an integer or out of range`.
    pub fn not_integer() -> Reply {
        Reply::err("ERR value is not an integer or out of range")
    }
    /// `-WRONGTYPE Operation against a key holding the wrong kind of value`.
    pub fn wrong_type() -> Reply {
        Reply::err("WRONGTYPE Operation against a key holding the wrong kind of value")
    }
    /// `-ERR no such key`.
    pub fn no_such_key() -> Reply {
        Reply::err("ERR no such key")
    }
    /// `-ERR source and destination objects are the same`.
    pub fn same_object() -> Reply {
        Reply::err("ERR source and destination objects are the same")
    }
    /// `-ERR value is not a valid float`.
    pub fn not_float() -> Reply {
        Reply::err("ERR value is not a valid float")
    }
    /// `-ERR DB index is out of range`.
    pub fn db_out_of_range() -> Reply {
        Reply::err("ERR DB index is out of range")
    }
    /// `-ERR increment would produce NaN or Infinity`.
    pub fn nan_or_infinity() -> Reply {
        Reply::err("ERR increment would produce NaN or Infinity")
    }
    /// `-ERR wrong number of arguments for '<name>' command`.
    pub fn arity(name: &str) -> Reply {
        Reply::err(format!(
            "ERR wrong number of arguments for '{name}' command"
        ))
    }
}

/// Running data commands in unit tests, without a node.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// What one command did: its reply, the argv it would propagate (None if it
    /// changed nothing), and the commands it queued to propagate before that.
    pub struct Outcome {
        /// The reply.
        pub reply: Reply,
        /// The (possibly rewritten) argv, if the command made the dataset dirty.
        pub propagated: Option<Vec<String>>,
        /// What went to `also_propagate` (DELs of expired keys, SPOP's SREMs).
        pub also: Vec<Vec<String>>,
    }

    fn texts(argv: &[Vec<u8>]) -> Vec<String> {
        argv.iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect()
    }

    /// Run `args` on `ks` (database 0) as a master whose clock reads `now_ms`.
    pub fn run(ks: &mut Keyspace, now_ms: i64, args: &[&str]) -> Outcome {
        let mut also = Vec::new();
        let mut stats = KeyStats::default();
        let mut c = Call {
            argv: args.iter().map(|a| a.as_bytes().to_vec()).collect(),
            db: 0,
            ks,
            now_ms,
            expiry: ExpiryMode::Master,
            lazyfree_lazy_expire: false,
            profile: crate::version::Version::Redis70.profile(),
            proto_max_bulk_len: 512 << 20,
            from_master: false,
            also_propagate: &mut also,
            replica_expires: None,
            stats: &mut stats,
            dirty: 0,
            force_propagate: false,
            deny_blocking: true,
            block_ms: None,
        };
        let Some(Handler::Data(f)) = lookup(args[0].as_bytes()).map(|s| s.handler) else {
            panic!("{} is not a data command", args[0]);
        };
        let reply = f(&mut c);
        let propagated = (c.dirty > 0).then(|| texts(&c.argv));
        Outcome {
            reply,
            propagated,
            also: also.iter().map(|op| texts(&op.argv)).collect(),
        }
    }

    /// `&["a", "b"]` as owned strings.
    pub fn strs(v: &[&str]) -> Option<Vec<String>> {
        Some(v.iter().map(|s| s.to_string()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        let t = table();
        for w in t.windows(2) {
            assert!(w[0].name < w[1].name, "{} / {}", w[0].name, w[1].name);
        }
        assert!(lookup(b"GeT").is_some());
        assert!(lookup(b"nope").is_none());
        for c in t {
            assert_eq!(
                lookup(c.name.to_uppercase().as_bytes()).map(|s| s.name),
                Some(c.name)
            );
            let longer = format!("{}x", c.name);
            assert!(lookup(longer.as_bytes()).is_none_or(|s| s.name == longer));
        }
        for bad in [&b""[..], b"g", b"ge", b"get\0", b"\xffget", b"s\xc3\xa9t"] {
            assert!(lookup(bad).is_none(), "{bad:?}");
        }
    }
}
