//! The RDB snapshot format a Redis 7.0 master writes for a full sync and for
//! `SAVE`/`SHUTDOWN`.
//!
//! [`RdbWriter`] produces RDB version 10 with the same structure Redis 7.0.15
//! writes: the `REDIS0010` magic, the aux fields in 7.0's order, one
//! `SELECTDB` + `RESIZEDB` pair per non-empty database, `EXPIRETIME_MS` before
//! keys that have a TTL, the `EOF` opcode and the little-endian CRC-64 trailer.
//! Strings use Redis's integer encodings and LZF compression under the same
//! rules as `rdbSaveRawString`; [`RdbWriter::with_options`] follows the server's
//! `rdbcompression` and `rdbchecksum` (off: strings verbatim, a checksum of 0).
//!
//! Values are strings plus the legacy collection encodings `RDB_TYPE_LIST`,
//! `RDB_TYPE_SET` and `RDB_TYPE_HASH`, which 7.0 still loads; the compact
//! encodings a real 7.0 server writes for small collections (quicklist,
//! intset, listpack) are not produced and [`decode`] rejects them with an
//! error naming the type byte.
//!
//! [`decode`] parses and verifies a whole file. It never panics, whatever the
//! input.

use std::fmt;

use crc::{Crc, CRC_64_REDIS};

use crate::redis_util::lzf::{lzf_compress, lzf_decompress};
use crate::redis_util::string2ll;

/// The RDB format version Redis 7.0 writes (`REDIS0010`).
pub const RDB_VERSION: u32 = 10;

/// The newest RDB format version the reader accepts: Redis 8.0's 12. Files of 11 and
/// 12 use only the types of 10 when the simulator writes them (a replica of an older
/// version refuses them by their version, as Redis does: see [`crate::version`]).
pub const RDB_VERSION_MAX: u32 = 12;

/// The server version Redis 7.0.15 puts in the `redis-ver` aux field.
pub const REDIS_VERSION: &str = "7.0.15";

/// `redis-bits`: the simulated server is a 64-bit build.
const REDIS_BITS: i64 = 64;

/// Opcodes that may appear where a value type is expected (rdb.h).
const OPCODE_FUNCTION2: u8 = 245;
const OPCODE_FUNCTION: u8 = 246;
const OPCODE_MODULE_AUX: u8 = 247;
const OPCODE_IDLE: u8 = 248;
const OPCODE_FREQ: u8 = 249;
const OPCODE_AUX: u8 = 250;
const OPCODE_RESIZEDB: u8 = 251;
const OPCODE_EXPIRETIME_MS: u8 = 252;
const OPCODE_EXPIRETIME: u8 = 253;
const OPCODE_SELECTDB: u8 = 254;
const OPCODE_EOF: u8 = 255;

/// Value types this module writes and reads.
const TYPE_STRING: u8 = 0;
const TYPE_LIST: u8 = 1;
const TYPE_SET: u8 = 2;
const TYPE_HASH: u8 = 4;

/// The top two bits of a length byte select its form.
const LEN_6BIT: u8 = 0;
const LEN_14BIT: u8 = 1;
const LEN_ENCVAL: u8 = 3;
/// Whole first bytes announcing a big-endian 32- or 64-bit length.
const LEN_32BIT: u8 = 0x80;
const LEN_64BIT: u8 = 0x81;

/// Special string encodings, stored in the low six bits after `LEN_ENCVAL`.
const ENC_INT8: u8 = 0;
const ENC_INT16: u8 = 1;
const ENC_INT32: u8 = 2;
const ENC_LZF: u8 = 3;

/// Redis only tries integer encoding on strings this short: "-2147483648"
/// is the longest text that fits INT32.
const INT_ENCODING_MAX_LEN: usize = 11;
/// Redis skips LZF for strings of 20 bytes or fewer, which cannot shrink.
const LZF_MIN_INPUT_LEN: usize = 21;
/// Redis gives the compressor `len - 4` bytes of room, so the compressed
/// form is used only when it saves at least four bytes.
const LZF_MIN_SAVING: usize = 4;

/// Redis's CRC-64 (Jones polynomial, reflected, zero init), as in crc64.c.
static CRC64: Crc<u64> = Crc::<u64>::new(&CRC_64_REDIS);

/// Replication state a master records in an RDB made for a full sync (or by
/// `SAVE` on a master that has a backlog).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplInfo {
    /// `repl-stream-db`: the database the replication stream last selected.
    pub stream_db: i64,
    /// `repl-id`: the master's 40-character replication ID.
    pub repl_id: String,
    /// `repl-offset`: the master replication offset the snapshot matches.
    pub repl_offset: i64,
}

/// The aux fields at the head of an RDB file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RdbAux {
    /// The format version in the magic (`REDIS0010` → 10), normally [`RDB_VERSION`].
    pub rdb_version: u32,
    /// The name of the server-version aux field: `redis-ver` (Valkey: `valkey-ver`).
    pub ver_key: &'static str,
    /// Its value, normally [`REDIS_VERSION`].
    pub redis_ver: String,
    /// `ctime`: creation time in Unix seconds.
    pub ctime_secs: i64,
    /// `used-mem`: the server's memory use in bytes when it saved.
    pub used_mem: i64,
    /// Replication fields; `None` for a standalone `SAVE`.
    pub repl: Option<ReplInfo>,
    /// `aof-base`: whether the RDB is the base of a multi-part AOF.
    pub aof_base: bool,
}

impl RdbAux {
    /// Aux fields of a Redis 7.0.15 standalone `SAVE`: no replication info,
    /// not an AOF base.
    ///
    /// # Returns
    /// An [`RdbAux`] with `redis_ver` set to [`REDIS_VERSION`].
    pub fn new(ctime_secs: i64, used_mem: i64) -> Self {
        RdbAux {
            rdb_version: RDB_VERSION,
            ver_key: "redis-ver",
            redis_ver: REDIS_VERSION.to_string(),
            ctime_secs,
            used_mem,
            repl: None,
            aof_base: false,
        }
    }
}

/// The server settings that shape the bytes of a file: `rdbcompression` and
/// `rdbchecksum`, as the saving process had them when it started (a fork keeps its
/// parent's configuration, so a `CONFIG SET` during a save changes only the next).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RdbOptions {
    /// `rdbcompression`: LZF-compress strings longer than 20 bytes (when that saves
    /// at least 4 bytes). Off, every string is written verbatim.
    pub compression: bool,
    /// `rdbchecksum`: end the file with its CRC-64. Off, Redis writes 8 zero bytes
    /// (and a loader skips the check).
    pub checksum: bool,
}

impl Default for RdbOptions {
    /// Redis's defaults: `rdbcompression yes`, `rdbchecksum yes`.
    fn default() -> Self {
        RdbOptions {
            compression: true,
            checksum: true,
        }
    }
}

/// A borrowed value to write, so the writer never copies the keyspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRef<'a> {
    /// A string (`RDB_TYPE_STRING`).
    Str(&'a [u8]),
    /// A list, head first (`RDB_TYPE_LIST`).
    List(&'a [Vec<u8>]),
    /// A set of distinct members (`RDB_TYPE_SET`).
    Set(&'a [Vec<u8>]),
    /// A hash of distinct fields with their values (`RDB_TYPE_HASH`).
    Hash(&'a [(Vec<u8>, Vec<u8>)]),
}

/// A decoded value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnedValue {
    /// A string.
    Str(Vec<u8>),
    /// A list, head first.
    List(Vec<Vec<u8>>),
    /// A set, members in file order.
    Set(Vec<Vec<u8>>),
    /// A hash, field/value pairs in file order.
    Hash(Vec<(Vec<u8>, Vec<u8>)>),
}

impl OwnedValue {
    /// Borrow this value for [`RdbWriter::entry`].
    ///
    /// # Returns
    /// A [`ValueRef`] of the same kind pointing into `self`.
    pub fn as_value_ref(&self) -> ValueRef<'_> {
        match self {
            OwnedValue::Str(s) => ValueRef::Str(s),
            OwnedValue::List(items) => ValueRef::List(items),
            OwnedValue::Set(members) => ValueRef::Set(members),
            OwnedValue::Hash(pairs) => ValueRef::Hash(pairs),
        }
    }
}

/// Streaming writer so a large keyspace is never copied.
///
/// Call [`RdbWriter::select_db`] once per non-empty database in ascending
/// order (as Redis does), then [`RdbWriter::entry`] for each of its keys, then
/// [`RdbWriter::finish`]. Entries written before any `select_db` belong to
/// database 0, as a loader assumes.
///
/// The writer does not police the keyspace: keys must be unique within a
/// database, set members and hash fields unique within their value, and
/// collections non-empty. Redis refuses a file with duplicates (and so does
/// [`decode`]); it skips empty collections on load (and so does [`decode`]).
#[derive(Clone, Debug)]
pub struct RdbWriter {
    buf: Vec<u8>,
    options: RdbOptions,
    /// LZF's hash table, one for the whole file (see [`lzf_compress`]).
    lzf_table: Vec<usize>,
}

impl RdbWriter {
    /// Start a file: writes the `REDIS0010` magic and the aux fields in the
    /// order Redis 7.0 writes them: `redis-ver`, `redis-bits`, `ctime`,
    /// `used-mem`, then `repl-stream-db`, `repl-id`, `repl-offset` when
    /// `aux.repl` is set, then `aof-base`.
    ///
    /// # Returns
    /// A writer ready for [`RdbWriter::select_db`], with Redis's default
    /// [`RdbOptions`] (compression and checksum on).
    pub fn new(aux: &RdbAux) -> Self {
        Self::with_options(aux, RdbOptions::default())
    }

    /// [`RdbWriter::new`] for a server whose `rdbcompression` or `rdbchecksum`
    /// may be off.
    ///
    /// ```text
    /// SET k <100 × 'a'>, rdbcompression yes: 00 01 6b c3 ..         (LZF, a few bytes)
    ///                    rdbcompression no:  00 01 6b 40 64 61 61 .. (100 bytes verbatim)
    /// ```
    ///
    /// # Returns
    /// A writer ready for [`RdbWriter::select_db`].
    pub fn with_options(aux: &RdbAux, options: RdbOptions) -> Self {
        let mut w = RdbWriter {
            buf: Vec::with_capacity(256),
            options,
            lzf_table: Vec::new(),
        };
        w.buf
            .extend_from_slice(format!("REDIS{:04}", aux.rdb_version).as_bytes());
        w.aux(aux.ver_key, aux.redis_ver.as_bytes());
        w.aux_int("redis-bits", REDIS_BITS);
        w.aux_int("ctime", aux.ctime_secs);
        w.aux_int("used-mem", aux.used_mem);
        if let Some(repl) = &aux.repl {
            w.aux_int("repl-stream-db", repl.stream_db);
            w.aux("repl-id", repl.repl_id.as_bytes());
            w.aux_int("repl-offset", repl.repl_offset);
        }
        w.aux_int("aof-base", i64::from(aux.aof_base));
        w
    }

    /// Append an aux field with a string value (`rdbSaveAuxFieldStrStr`).
    fn aux(&mut self, key: &str, value: &[u8]) {
        self.buf.push(OPCODE_AUX);
        let mut lzf = self.options.compression.then_some(&mut self.lzf_table);
        write_string(&mut self.buf, key.as_bytes(), lzf.as_deref_mut());
        write_string(&mut self.buf, value, lzf);
    }

    /// Append an aux field with an integer value; Redis prints it in decimal
    /// and saves that text like any string, so small values come out
    /// integer-encoded (`rdbSaveAuxFieldStrInt`).
    fn aux_int(&mut self, key: &str, value: i64) {
        self.aux(key, value.to_string().as_bytes());
    }

    /// Start database `db`: writes `SELECTDB db` and the `RESIZEDB` hint.
    ///
    /// `db_size` is the number of keys in the database and `expires_size`
    /// the number of those with a TTL; a loader only uses them to presize
    /// its tables. Redis writes nothing for an empty database, so callers
    /// should skip those.
    pub fn select_db(&mut self, db: u32, db_size: u64, expires_size: u64) {
        self.buf.push(OPCODE_SELECTDB);
        write_len(&mut self.buf, u64::from(db));
        self.buf.push(OPCODE_RESIZEDB);
        write_len(&mut self.buf, db_size);
        write_len(&mut self.buf, expires_size);
    }

    /// Write one key of the current database.
    ///
    /// `expire_ms` is the absolute expiry in Unix milliseconds, written as
    /// `EXPIRETIME_MS` before the key. Note that a master loading the file
    /// drops keys whose expiry has passed; a replica keeps them.
    pub fn entry(&mut self, key: &[u8], value: ValueRef<'_>, expire_ms: Option<i64>) {
        if let Some(expire_ms) = expire_ms {
            self.buf.push(OPCODE_EXPIRETIME_MS);
            self.buf.extend_from_slice(&expire_ms.to_le_bytes());
        }
        let buf = &mut self.buf;
        let mut lzf = self.options.compression.then_some(&mut self.lzf_table);
        let mut string = |buf: &mut Vec<u8>, s: &[u8]| write_string(buf, s, lzf.as_deref_mut());
        match value {
            ValueRef::Str(s) => {
                buf.push(TYPE_STRING);
                string(buf, key);
                string(buf, s);
            }
            ValueRef::List(items) => {
                buf.push(TYPE_LIST);
                string(buf, key);
                write_len(buf, items.len() as u64);
                items.iter().for_each(|item| string(buf, item));
            }
            ValueRef::Set(members) => {
                buf.push(TYPE_SET);
                string(buf, key);
                write_len(buf, members.len() as u64);
                members.iter().for_each(|member| string(buf, member));
            }
            ValueRef::Hash(pairs) => {
                buf.push(TYPE_HASH);
                string(buf, key);
                write_len(buf, pairs.len() as u64);
                for (field, value) in pairs {
                    string(buf, field);
                    string(buf, value);
                }
            }
        }
    }

    /// Size of the file so far, e.g. to report transfer progress.
    ///
    /// # Returns
    /// The number of bytes written, excluding the 9-byte tail `finish` adds.
    pub fn len_bytes(&self) -> usize {
        self.buf.len()
    }

    /// Close the file with the `EOF` opcode and the CRC-64 of everything
    /// before the checksum, stored little-endian as Redis does (0 when the
    /// options turn `rdbchecksum` off: Redis then never computes it).
    ///
    /// # Returns
    /// The complete RDB file.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.push(OPCODE_EOF);
        let checksum = if self.options.checksum {
            CRC64.checksum(&self.buf)
        } else {
            0
        };
        self.buf.extend_from_slice(&checksum.to_le_bytes());
        self.buf
    }
}

/// Encode a whole keyspace in one call, with the layout Redis uses:
/// databases in ascending order, each with its key and expire counts, and
/// within a database the entries in the order given.
///
/// # Returns
/// The complete RDB file, as [`RdbWriter::finish`] returns it.
pub fn encode(aux: &RdbAux, entries: &[RdbEntry]) -> Vec<u8> {
    let mut order: Vec<(usize, &RdbEntry)> = entries.iter().enumerate().collect();
    // By database, then original position, so entries keep their relative order.
    crate::util::sort::sort_by(&mut order, |a, b| (a.1.db, a.0).cmp(&(b.1.db, b.0)));
    let order: Vec<&RdbEntry> = order.into_iter().map(|(_, e)| e).collect();
    let mut writer = RdbWriter::new(aux);
    for group in order.chunk_by(|a, b| a.db == b.db) {
        let expires = group.iter().filter(|e| e.expire_ms.is_some()).count();
        writer.select_db(group[0].db, group.len() as u64, expires as u64);
        for entry in group {
            writer.entry(&entry.key, entry.value.as_value_ref(), entry.expire_ms);
        }
    }
    writer.finish()
}

/// One key read from an RDB file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RdbEntry {
    /// The database the key belongs to.
    pub db: u32,
    /// The key.
    pub key: Vec<u8>,
    /// The value.
    pub value: OwnedValue,
    /// Absolute expiry in Unix milliseconds, if the key has a TTL.
    pub expire_ms: Option<i64>,
}

/// A decoded RDB file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RdbFile {
    /// The format version from the magic (1 to [`RDB_VERSION`]).
    pub version: u32,
    /// Every aux field in file order, values as text (integer encodings in
    /// decimal, other bytes converted lossily to UTF-8).
    pub aux: Vec<(String, String)>,
    /// Replication info, when `repl-id`, `repl-offset` and `repl-stream-db`
    /// are all present (the last occurrence of each wins, as in Redis).
    pub repl: Option<ReplInfo>,
    /// The keys, in file order.
    pub entries: Vec<RdbEntry>,
    /// The stored CRC-64: 0 when the writer had `rdbchecksum no` (nothing was
    /// checked then); `None` before version 5, whose files carry none.
    pub checksum: Option<u64>,
}

impl RdbFile {
    /// Look up an aux field by name, ignoring ASCII case as Redis does.
    ///
    /// # Returns
    /// The value of the last field with that name, if any.
    pub fn aux_value(&self, name: &str) -> Option<&str> {
        self.aux
            .iter()
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Why an RDB file was rejected, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdbError {
    /// Byte offset in the file where the offending item starts.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RDB error at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for RdbError {}

/// Parse and verify (magic, version <= 10, opcodes, CRC64 unless the stored
/// checksum is 0 as Redis allows).
///
/// Accepts RDB versions 1 to 10 (files before version 5 carry no checksum).
/// `IDLE`/`FREQ` eviction hints and `RESIZEDB` hints are checked and
/// skipped, the old seconds-precision `EXPIRETIME` is converted to
/// milliseconds, and collections stored empty are skipped as Redis skips
/// them. Expired keys are kept: whether to drop them is the loader's call.
///
/// # Returns
/// The aux fields and every key with its database, value and expiry.
///
/// # Errors
/// An [`RdbError`] with the byte offset of the problem when the magic or
/// version is wrong, the file is truncated or has bytes after the checksum,
/// a length or string encoding is malformed (including bad LZF data), a
/// value type is not one of string, list, set and hash (the message names
/// the type byte), module aux or function data is present, a database holds
/// a key twice, a set a member twice or a hash a field twice, a replication
/// aux field is not an integer, or the checksum does not match.
pub fn decode(bytes: &[u8]) -> Result<RdbFile, RdbError> {
    let mut r = Reader { bytes, pos: 0 };
    let magic = r.take(9, "the REDIS magic and version")?;
    if &magic[..5] != b"REDIS" {
        return Err(r.error_at(0, "not an RDB file: missing REDIS magic".to_string()));
    }
    let version = parse_version(&magic[5..])
        .ok_or_else(|| r.error_at(5, "malformed RDB version (want 4 ASCII digits)".to_string()))?;
    if !(1..=RDB_VERSION_MAX).contains(&version) {
        return Err(r.error_at(5, format!("Can't handle RDB format version {version}")));
    }

    let mut aux = Vec::new();
    // Start offsets of the aux fields, for errors in their values.
    let mut aux_offsets = Vec::new();
    let mut entries = Vec::new();
    // Start offsets of the entries, for the duplicate-key error.
    let mut entry_offsets = Vec::new();
    let mut db = 0u32;
    // Like Redis, an expiry applies to the next key, whatever comes between.
    let mut pending_expire_ms = None;
    loop {
        let op_offset = r.pos;
        let op = r.byte("an opcode or value type")?;
        match op {
            OPCODE_EOF => break,
            OPCODE_EXPIRETIME_MS => {
                let raw = r.take(8, "an EXPIRETIME_MS timestamp")?;
                pending_expire_ms = Some(i64::from_le_bytes(array(raw)));
            }
            OPCODE_EXPIRETIME => {
                let raw = r.take(4, "an EXPIRETIME timestamp")?;
                let secs = i32::from_le_bytes(array(raw));
                pending_expire_ms = Some(i64::from(secs) * 1000);
            }
            OPCODE_FREQ => {
                r.take(1, "an LFU frequency")?;
            }
            OPCODE_IDLE => {
                r.plain_len("an LRU idle time")?;
            }
            OPCODE_SELECTDB => {
                let at = r.pos;
                let id = r.plain_len("a SELECTDB database number")?;
                db = u32::try_from(id)
                    .map_err(|_| r.error_at(at, format!("database number {id} out of range")))?;
            }
            OPCODE_RESIZEDB => {
                r.plain_len("a RESIZEDB key count")?;
                r.plain_len("a RESIZEDB expire count")?;
            }
            OPCODE_AUX => {
                let key = r.string("an aux field name")?;
                let value = r.string("an aux field value")?;
                aux.push((lossy(key), lossy(value)));
                aux_offsets.push(op_offset);
            }
            OPCODE_MODULE_AUX => {
                return Err(r.error_at(
                    op_offset,
                    "module aux data (opcode 247) is not supported".to_string(),
                ));
            }
            OPCODE_FUNCTION | OPCODE_FUNCTION2 => {
                return Err(r.error_at(
                    op_offset,
                    format!("function library data (opcode {op}) is not supported"),
                ));
            }
            TYPE_STRING | TYPE_LIST | TYPE_SET | TYPE_HASH => {
                let key = r.string("a key")?;
                let value = r.value(op)?;
                let expire_ms = pending_expire_ms.take();
                if let Some(value) = value {
                    entries.push(RdbEntry {
                        db,
                        key,
                        value,
                        expire_ms,
                    });
                    entry_offsets.push(op_offset);
                }
            }
            other => {
                return Err(r.error_at(
                    op_offset,
                    format!(
                        "unsupported value type {other} ({}): only string (0), list (1), \
                         set (2) and hash (4) are handled",
                        type_name(other)
                    ),
                ));
            }
        }
    }
    let body_len = r.pos;

    // Files before version 5 end at the EOF opcode.
    let mut checksum = None;
    if version >= 5 {
        let at = r.pos;
        let stored = u64::from_le_bytes(array(r.take(8, "the CRC-64 checksum")?));
        // Redis writes 0 when rdbchecksum is off, and then skips the check.
        checksum = Some(stored);
        if stored != 0 {
            let computed = CRC64.checksum(&bytes[..body_len]);
            if stored != computed {
                return Err(r.error_at(
                    at,
                    format!("checksum mismatch: stored {stored:#018x}, computed {computed:#018x}"),
                ));
            }
        }
    }
    if r.pos != bytes.len() {
        return Err(r.error_at(
            r.pos,
            format!(
                "{} unexpected bytes after the end of the file",
                bytes.len() - r.pos
            ),
        ));
    }

    check_unique_keys(&entries, &entry_offsets)?;
    let repl =
        repl_info(&aux).map_err(|(index, message)| r.error_at(aux_offsets[index], message))?;
    Ok(RdbFile {
        version,
        aux,
        repl,
        entries,
        checksum,
    })
}

/// Append an RDB length: 6-bit, 14-bit, 32-bit or 64-bit big-endian form,
/// the smallest that fits (`rdbSaveLen`).
fn write_len(buf: &mut Vec<u8>, len: u64) {
    if len < 1 << 6 {
        buf.push((LEN_6BIT << 6) | len as u8);
    } else if len < 1 << 14 {
        buf.push((LEN_14BIT << 6) | (len >> 8) as u8);
        buf.push(len as u8);
    } else if let Ok(len32) = u32::try_from(len) {
        buf.push(LEN_32BIT);
        buf.extend_from_slice(&len32.to_be_bytes());
    } else {
        buf.push(LEN_64BIT);
        buf.extend_from_slice(&len.to_be_bytes());
    }
}

/// Append a string the way `rdbSaveRawString` does: as INT8/16/32 when it is
/// a canonical integer in range, else, when `lzf_table` is given
/// (`rdbcompression`), LZF-compressed when longer than 20 bytes and liblzf
/// fits it in 4 bytes less, else verbatim.
fn write_string(buf: &mut Vec<u8>, s: &[u8], lzf_table: Option<&mut Vec<usize>>) {
    if s.len() <= INT_ENCODING_MAX_LEN {
        if let Some(value) = string2ll(s) {
            if write_int_encoding(buf, value) {
                return;
            }
        }
    }
    if let Some(table) = lzf_table.filter(|_| s.len() >= LZF_MIN_INPUT_LEN) {
        if let Some(compressed) = lzf_compress(s, s.len() - LZF_MIN_SAVING, table) {
            buf.push((LEN_ENCVAL << 6) | ENC_LZF);
            write_len(buf, compressed.len() as u64);
            write_len(buf, s.len() as u64);
            buf.extend_from_slice(&compressed);
            return;
        }
    }
    write_len(buf, s.len() as u64);
    buf.extend_from_slice(s);
}

/// Append `value` as INT8, INT16 or INT32 (little-endian), the smallest that
/// fits (`rdbEncodeInteger`).
///
/// # Returns
/// `false`, writing nothing, when the value needs more than 32 bits.
fn write_int_encoding(buf: &mut Vec<u8>, value: i64) -> bool {
    if let Ok(v) = i8::try_from(value) {
        buf.push((LEN_ENCVAL << 6) | ENC_INT8);
        buf.extend_from_slice(&v.to_le_bytes());
    } else if let Ok(v) = i16::try_from(value) {
        buf.push((LEN_ENCVAL << 6) | ENC_INT16);
        buf.extend_from_slice(&v.to_le_bytes());
    } else if let Ok(v) = i32::try_from(value) {
        buf.push((LEN_ENCVAL << 6) | ENC_INT32);
        buf.extend_from_slice(&v.to_le_bytes());
    } else {
        return false;
    }
    true
}

/// A length field as read: a plain length or a special string encoding.
enum Len {
    Plain(u64),
    Encoded(u8),
}

/// A cursor over the file that turns every short read into an `RdbError`.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn error_at(&self, offset: usize, message: String) -> RdbError {
        RdbError { offset, message }
    }

    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// Read `n` bytes, or fail naming `what` was being read.
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], RdbError> {
        if n > self.remaining() {
            return Err(self.error_at(
                self.pos,
                format!(
                    "unexpected end of file reading {what} (needs {n} bytes, {} left)",
                    self.remaining()
                ),
            ));
        }
        let slice = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    fn byte(&mut self, what: &str) -> Result<u8, RdbError> {
        Ok(self.take(1, what)?[0])
    }

    /// Read a length field (`rdbLoadLenByRef`).
    fn len(&mut self, what: &str) -> Result<Len, RdbError> {
        let at = self.pos;
        let first = self.byte(what)?;
        match first >> 6 {
            LEN_6BIT => Ok(Len::Plain(u64::from(first & 0x3f))),
            LEN_14BIT => {
                let second = self.byte(what)?;
                Ok(Len::Plain(u64::from(first & 0x3f) << 8 | u64::from(second)))
            }
            LEN_ENCVAL => Ok(Len::Encoded(first & 0x3f)),
            _ if first == LEN_32BIT => {
                let raw = self.take(4, what)?;
                Ok(Len::Plain(u64::from(u32::from_be_bytes(array(raw)))))
            }
            _ if first == LEN_64BIT => {
                let raw = self.take(8, what)?;
                Ok(Len::Plain(u64::from_be_bytes(array(raw))))
            }
            _ => Err(self.error_at(
                at,
                format!("unknown length encoding {first:#04x} in {what}"),
            )),
        }
    }

    /// Read a length that must not be a special string encoding.
    fn plain_len(&mut self, what: &str) -> Result<u64, RdbError> {
        let at = self.pos;
        match self.len(what)? {
            Len::Plain(len) => Ok(len),
            Len::Encoded(enc) => Err(self.error_at(
                at,
                format!("expected a length for {what}, found string encoding {enc}"),
            )),
        }
    }

    /// Read a length that counts bytes still to come, refusing lengths the
    /// file cannot hold before allocating anything.
    fn byte_count(&mut self, what: &str) -> Result<usize, RdbError> {
        let at = self.pos;
        let len = self.plain_len(what)?;
        match usize::try_from(len) {
            Ok(len) if len <= self.remaining() => Ok(len),
            _ => Err(self.error_at(
                at,
                format!(
                    "{what} claims {len} bytes but only {} remain",
                    self.remaining()
                ),
            )),
        }
    }

    /// Read a string in any encoding (`rdbGenericLoadStringObject`).
    fn string(&mut self, what: &str) -> Result<Vec<u8>, RdbError> {
        let at = self.pos;
        match self.len(what)? {
            Len::Plain(len) => {
                // take() refuses lengths beyond the file before anything is
                // allocated, so a corrupt length cannot exhaust memory.
                let len = usize::try_from(len).unwrap_or(usize::MAX);
                Ok(self.take(len, what)?.to_vec())
            }
            Len::Encoded(ENC_INT8) => {
                let raw = self.take(1, what)?;
                Ok(i8::from_le_bytes(array(raw)).to_string().into_bytes())
            }
            Len::Encoded(ENC_INT16) => {
                let raw = self.take(2, what)?;
                Ok(i16::from_le_bytes(array(raw)).to_string().into_bytes())
            }
            Len::Encoded(ENC_INT32) => {
                let raw = self.take(4, what)?;
                Ok(i32::from_le_bytes(array(raw)).to_string().into_bytes())
            }
            Len::Encoded(ENC_LZF) => {
                let compressed_len = self.byte_count(what)?;
                let len_at = self.pos;
                let len = self.plain_len(what)?;
                let len = usize::try_from(len).map_err(|_| {
                    self.error_at(len_at, format!("{what} is too long ({len} bytes)"))
                })?;
                let compressed = self.take(compressed_len, what)?;
                lzf_decompress(compressed, len)
                    .map_err(|message| self.error_at(at, format!("{what}: {message}")))
            }
            Len::Encoded(enc) => {
                Err(self.error_at(at, format!("unknown string encoding {enc} in {what}")))
            }
        }
    }

    /// Read an element count; each element takes at least `min_bytes`, which
    /// bounds how much the caller may reserve.
    ///
    /// # Returns
    /// The count and a safe capacity to reserve.
    fn count(&mut self, what: &str, min_bytes: usize) -> Result<(u64, usize), RdbError> {
        let count = self.plain_len(what)?;
        let bound = self.remaining() / min_bytes;
        let reserve = usize::try_from(count).map_or(bound, |count| count.min(bound));
        Ok((count, reserve))
    }

    /// Read the value of type `kind`.
    ///
    /// # Returns
    /// `None` for an empty collection, which Redis skips on load.
    fn value(&mut self, kind: u8) -> Result<Option<OwnedValue>, RdbError> {
        let at = self.pos;
        let value = match kind {
            TYPE_STRING => OwnedValue::Str(self.string("a string value")?),
            TYPE_LIST => {
                let (count, reserve) = self.count("a list length", 1)?;
                let mut items = Vec::with_capacity(reserve);
                for _ in 0..count {
                    items.push(self.string("a list element")?);
                }
                OwnedValue::List(items)
            }
            TYPE_SET => {
                let (count, reserve) = self.count("a set size", 1)?;
                let mut members = Vec::with_capacity(reserve);
                for _ in 0..count {
                    members.push(self.string("a set member")?);
                }
                if has_duplicates(members.iter().map(Vec::as_slice)) {
                    return Err(self.error_at(at, "set has duplicate members".to_string()));
                }
                OwnedValue::Set(members)
            }
            _ => {
                let (count, reserve) = self.count("a hash size", 2)?;
                let mut pairs = Vec::with_capacity(reserve);
                for _ in 0..count {
                    let field = self.string("a hash field")?;
                    let value = self.string("a hash value")?;
                    pairs.push((field, value));
                }
                if has_duplicates(pairs.iter().map(|(field, _)| field.as_slice())) {
                    return Err(self.error_at(at, "hash has duplicate fields".to_string()));
                }
                OwnedValue::Hash(pairs)
            }
        };
        let empty = match &value {
            OwnedValue::Str(_) => false,
            OwnedValue::List(items) | OwnedValue::Set(items) => items.is_empty(),
            OwnedValue::Hash(pairs) => pairs.is_empty(),
        };
        Ok((!empty).then_some(value))
    }
}

/// Copy a slice the caller already sized into a fixed array (byte order is
/// up to the caller).
fn array<const N: usize>(raw: &[u8]) -> [u8; N] {
    let mut array = [0u8; N];
    array.copy_from_slice(raw);
    array
}

/// Parse the four ASCII digits after `REDIS`.
fn parse_version(digits: &[u8]) -> Option<u32> {
    if digits.len() != 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether any two items are equal; sorting borrowed slices avoids copying
/// large sets into a hash set.
fn has_duplicates<'a>(items: impl Iterator<Item = &'a [u8]>) -> bool {
    let mut sorted: Vec<&[u8]> = items.collect();
    crate::util::sort::sort(&mut sorted);
    sorted.windows(2).any(|pair| pair[0] == pair[1])
}

/// Redis panics on a key present twice in one database; reject it.
fn check_unique_keys(entries: &[RdbEntry], offsets: &[usize]) -> Result<(), RdbError> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    crate::util::sort::sort_by(&mut order, |&a, &b| {
        (entries[a].db, &entries[a].key, a).cmp(&(entries[b].db, &entries[b].key, b))
    });
    for pair in order.windows(2) {
        let (first, second) = (&entries[pair[0]], &entries[pair[1]]);
        if first.db == second.db && first.key == second.key {
            return Err(RdbError {
                offset: offsets[pair[1]],
                message: format!(
                    "key \"{}\" appears twice in database {}",
                    String::from_utf8_lossy(&second.key),
                    second.db
                ),
            });
        }
    }
    Ok(())
}

/// Collect `repl-stream-db`, `repl-id` and `repl-offset` (names compared
/// ignoring case, the last occurrence winning, as Redis reads them).
///
/// # Errors
/// The index of the offending field and a message when a stream db or
/// offset that is present is not a decimal integer.
fn repl_info(aux: &[(String, String)]) -> Result<Option<ReplInfo>, (usize, String)> {
    let last = |name: &str| {
        aux.iter()
            .rposition(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|index| (index, aux[index].1.as_str()))
    };
    let int = |name: &str, (index, text): (usize, &str)| {
        text.parse::<i64>().map_err(|_| {
            (
                index,
                format!("aux field {name} is not an integer: \"{text}\""),
            )
        })
    };
    match (last("repl-stream-db"), last("repl-id"), last("repl-offset")) {
        (Some(stream_db), Some((_, repl_id)), Some(repl_offset)) => Ok(Some(ReplInfo {
            stream_db: int("repl-stream-db", stream_db)?,
            repl_id: repl_id.to_string(),
            repl_offset: int("repl-offset", repl_offset)?,
        })),
        _ => Ok(None),
    }
}

/// A readable name for an RDB type byte, for error messages (rdb.h).
fn type_name(kind: u8) -> &'static str {
    match kind {
        3 => "RDB_TYPE_ZSET",
        5 => "RDB_TYPE_ZSET_2",
        6 => "RDB_TYPE_MODULE",
        7 => "RDB_TYPE_MODULE_2",
        9 => "RDB_TYPE_HASH_ZIPMAP",
        10 => "RDB_TYPE_LIST_ZIPLIST",
        11 => "RDB_TYPE_SET_INTSET",
        12 => "RDB_TYPE_ZSET_ZIPLIST",
        13 => "RDB_TYPE_HASH_ZIPLIST",
        14 => "RDB_TYPE_LIST_QUICKLIST",
        15 => "RDB_TYPE_STREAM_LISTPACKS",
        16 => "RDB_TYPE_HASH_LISTPACK",
        17 => "RDB_TYPE_ZSET_LISTPACK",
        18 => "RDB_TYPE_LIST_QUICKLIST_2",
        19 => "RDB_TYPE_STREAM_LISTPACKS_2",
        _ => "unknown type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The full-sync payload (inside the `$EOF:` framing) a real Redis
    /// 7.0.15 master sent to `redis-cli --rdb`: repl aux fields, INT8, INT16
    /// and INT32 values, a TTL, databases 0 and 2.
    const FULLSYNC_7_0_15_HEX: &str = "\
        524544495330303130fa0972656469732d76657206372e302e3135fa0a72\
        656469732d62697473c040fa056374696d65c223c6056bfa08757365642d\
        6d656dc298a60f00fa0e7265706c2d73747265616d2d6462c002fa077265\
        706c2d696428306539386430616633613162316639313065343736653133\
        30623161306238366435353065366236fa0b7265706c2d6f6666736574c1\
        ec00fa08616f662d62617365c000fe00fb0301fc00d8c32cbb0300000001\
        6301780001620568656c6c6f000161c001fe02fb020000016dc270110100\
        00016ec1d4feff9740ba4a11dd9e83";

    /// `SAVE` output of a real Redis 7.0.15 started with `--rdbcompression no
    /// --rdbchecksum no` holding `n` = 12345, `k1` = 100 × 'a' and `k2` = 10 ×
    /// "xyz": both long strings verbatim though LZF would shrink them, and a
    /// checksum of 8 zero bytes.
    const UNCOMPRESSED_NO_CHECKSUM_7_0_15_HEX: &str = "\
        524544495330303130fa0972656469732d76657206372e302e3135fa0a72\
        656469732d62697473c040fa056374696d65c21645166bfa08757365642d\
        6d656dc228560e00fa08616f662d62617365c000fe00fb030000016ec139\
        3000026b3140646161616161616161616161616161616161616161616161\
        616161616161616161616161616161616161616161616161616161616161\
        616161616161616161616161616161616161616161616161616161616161\
        616161616161616161616161616161616100026b321e78797a78797a7879\
        7a78797a78797a78797a78797a78797a78797a78797aff00000000000000\
        00";

    /// `SAVE` output of a real Redis 7.0.15 holding string keys: integers in
    /// every encoding and non-canonical ones, LZF-compressed values and key,
    /// an empty and a binary value, TTLs, databases 0, 1 and 3, 14- and
    /// 32-bit lengths. See `strings_fixture_decodes_to_what_was_set`.
    const STRINGS_7_0_15: &[u8] = include_bytes!("../../tests/fixtures/redis-7.0.15-strings.rdb");

    /// 2100-01-01T00:00:00Z, the TTL base used when making the fixtures.
    const FAR_MS: i64 = 4_102_444_800_000;

    fn hex(text: &str) -> Vec<u8> {
        let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        digits
            .chunks(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
            .collect()
    }

    /// A small deterministic PRNG (xorshift64*), so fuzz runs repeat exactly.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn bytes(&mut self, len: usize, alphabet: usize) -> Vec<u8> {
            (0..len).map(|_| self.below(alphabet) as u8).collect()
        }
    }

    fn string_bytes(s: &[u8]) -> Vec<u8> {
        let mut buf = Vec::new();
        write_string(&mut buf, s, Some(&mut Vec::new()));
        buf
    }

    fn read_back(encoded: &[u8]) -> Vec<u8> {
        let mut r = Reader {
            bytes: encoded,
            pos: 0,
        };
        let s = r.string("test").unwrap();
        assert_eq!(r.pos, encoded.len(), "string must consume its encoding");
        s
    }

    fn bv(items: &[&str]) -> Vec<Vec<u8>> {
        items.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(Vec<u8>, Vec<u8>)> {
        items
            .iter()
            .map(|(f, v)| (f.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect()
    }

    fn entry(db: u32, key: &str, value: OwnedValue, expire_ms: Option<i64>) -> RdbEntry {
        RdbEntry {
            db,
            key: key.as_bytes().to_vec(),
            value,
            expire_ms,
        }
    }

    /// A keyspace with every value type and encoding the writer produces.
    fn sample_entries() -> Vec<RdbEntry> {
        let long_list: Vec<Vec<u8>> = (0..300).map(|i| format!("item-{i}").into_bytes()).collect();
        vec![
            entry(0, "greeting", OwnedValue::Str(b"hello".to_vec()), None),
            entry(
                0,
                "counter",
                OwnedValue::Str(b"12345".to_vec()),
                Some(FAR_MS),
            ),
            entry(
                0,
                "big",
                OwnedValue::Str(b"9223372036854775807".to_vec()),
                None,
            ),
            entry(0, "padded", OwnedValue::Str(b"007".to_vec()), None),
            entry(0, "empty", OwnedValue::Str(Vec::new()), None),
            entry(
                0,
                "binary",
                OwnedValue::Str(vec![0, 1, 0xff, b'\r', b'\n', 0]),
                None,
            ),
            entry(
                0,
                "run",
                OwnedValue::Str(vec![b'z'; 5000]),
                Some(FAR_MS + 1),
            ),
            entry(0, "-42", OwnedValue::Str(b"integer key".to_vec()), None),
            entry(
                0,
                "list",
                OwnedValue::List(bv(&["a", "1", "-70000", "", "a", &"long ".repeat(20)])),
                None,
            ),
            entry(0, "biglist", OwnedValue::List(long_list), None),
            entry(
                1,
                "set",
                OwnedValue::Set(bv(&["x", "2", "300", &"member ".repeat(10)])),
                Some(FAR_MS + 2),
            ),
            entry(1, "intset", OwnedValue::Set(bv(&["1", "2", "3"])), None),
            entry(
                5,
                "hash",
                OwnedValue::Hash(pairs(&[
                    ("f1", "v1"),
                    ("n", "99"),
                    ("long", &"v".repeat(100)),
                ])),
                None,
            ),
        ]
    }

    fn sample_aux() -> RdbAux {
        RdbAux {
            rdb_version: RDB_VERSION,
            ver_key: "redis-ver",
            redis_ver: REDIS_VERSION.to_string(),
            ctime_secs: 1_795_540_515,
            used_mem: 1_025_688,
            repl: Some(ReplInfo {
                stream_db: 2,
                repl_id: "0e98d0af3a1b1f910e476e130b1a0b86d550e6b6".to_string(),
                repl_offset: 5_000_000_000,
            }),
            aof_base: false,
        }
    }

    fn fix_checksum(file: &mut [u8]) {
        let body = file.len() - 8;
        let checksum = CRC64.checksum(&file[..body]);
        file[body..].copy_from_slice(&checksum.to_le_bytes());
    }

    #[test]
    fn crc64_matches_redis_test_vector() {
        // crc64.c: _crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca.
        assert_eq!(CRC64.checksum(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn lengths_use_the_smallest_form() {
        let cases: [(u64, &[u8]); 7] = [
            (0, &[0x00]),
            (63, &[0x3f]),
            (64, &[0x40, 0x40]),
            (16383, &[0x7f, 0xff]),
            (16384, &[0x80, 0x00, 0x00, 0x40, 0x00]),
            (u64::from(u32::MAX), &[0x80, 0xff, 0xff, 0xff, 0xff]),
            (1 << 32, &[0x81, 0, 0, 0, 1, 0, 0, 0, 0]),
        ];
        for (len, expected) in cases {
            let mut buf = Vec::new();
            write_len(&mut buf, len);
            assert_eq!(buf, expected, "length {len}");
            let mut r = Reader {
                bytes: &buf,
                pos: 0,
            };
            assert_eq!(r.plain_len("test").unwrap(), len);
        }
    }

    #[test]
    fn strings_follow_rdb_save_raw_string_rules() {
        // Canonical integers in 32-bit range get the smallest integer form.
        assert_eq!(string_bytes(b"0"), [0xc0, 0]);
        assert_eq!(string_bytes(b"42"), [0xc0, 42]);
        assert_eq!(string_bytes(b"-128"), [0xc0, 0x80]);
        assert_eq!(string_bytes(b"128"), [0xc1, 0x80, 0x00]);
        assert_eq!(string_bytes(b"-32768"), [0xc1, 0x00, 0x80]);
        assert_eq!(string_bytes(b"32768"), [0xc2, 0x00, 0x80, 0, 0]);
        assert_eq!(string_bytes(b"2147483647"), [0xc2, 0xff, 0xff, 0xff, 0x7f]);
        assert_eq!(string_bytes(b"-2147483648"), [0xc2, 0, 0, 0, 0x80]);
        // Out of range or not canonical: stored verbatim.
        for text in [
            "2147483648",
            "-2147483649",
            "007",
            "+5",
            "-0",
            " 1",
            "1 ",
            "1e3",
            "",
            "-",
            "9223372036854775807",
        ] {
            let mut expected = vec![text.len() as u8];
            expected.extend_from_slice(text.as_bytes());
            assert_eq!(string_bytes(text.as_bytes()), expected, "{text:?}");
        }
        // 20 bytes is never compressed, 21 compressible bytes are.
        let twenty = [b'a'; 20];
        assert_eq!(string_bytes(&twenty)[0], 20);
        let twenty_one = [b'a'; 21];
        let encoded = string_bytes(&twenty_one);
        assert_eq!(encoded[0], 0xc3);
        assert_eq!(read_back(&encoded), twenty_one);
        // Incompressible long strings stay verbatim.
        let varied = b"Zq8#kP2!vL9@xW4$mN7%bR1^tY6&cJ";
        assert_eq!(string_bytes(varied)[0] as usize, varied.len());
        // Everything reads back unchanged.
        for text in ["0", "-32768", "2147483647", "007", "", "hello"] {
            assert_eq!(read_back(&string_bytes(text.as_bytes())), text.as_bytes());
        }
    }

    /// `file` with an extra aux field inserted just before the EOF opcode.
    fn with_trailing_aux(file: &[u8], key: &str, value: &str) -> (Vec<u8>, usize) {
        let eof_at = file.len() - 9;
        let mut bytes = file[..eof_at].to_vec();
        bytes.push(OPCODE_AUX);
        write_string(&mut bytes, key.as_bytes(), Some(&mut Vec::new()));
        write_string(&mut bytes, value.as_bytes(), Some(&mut Vec::new()));
        bytes.extend_from_slice(&file[eof_at..]);
        fix_checksum(&mut bytes);
        (bytes, eof_at)
    }

    #[test]
    fn repl_fields_are_read_as_redis_reads_them() {
        let file = encode(&sample_aux(), &[]);
        // A later field overrides an earlier one, names ignore case.
        let (bytes, _) = with_trailing_aux(&file, "REPL-OFFSET", "99");
        assert_eq!(decode(&bytes).unwrap().repl.unwrap().repl_offset, 99);
        // A malformed offset is an error pointing at the field.
        let (bytes, at) = with_trailing_aux(&file, "repl-offset", "12x");
        let e = decode(&bytes).unwrap_err();
        assert_eq!(e.offset, at);
        assert!(e.message.contains("repl-offset is not an integer"), "{e}");
        // Without all three fields there is no replication info.
        let standalone = encode(&RdbAux::new(1, 2), &[]);
        let (bytes, _) = with_trailing_aux(&standalone, "repl-id", "abc");
        assert_eq!(decode(&bytes).unwrap().repl, None);
    }

    #[test]
    fn compression_is_used_only_when_liblzf_fits_it_in_len_minus_four() {
        let mut rng = Rng(7);
        let mut cautious = 0;
        for len in 21..200 {
            for alphabet in [2, 4, 16, 256] {
                let input = rng.bytes(len, alphabet);
                let encoded = string_bytes(&input);
                match lzf_compress(&input, len - LZF_MIN_SAVING, &mut Vec::new()) {
                    Some(compressed) => {
                        assert_eq!(encoded[0], 0xc3, "len {len} alphabet {alphabet}");
                        assert!(encoded.ends_with(&compressed));
                    }
                    None => {
                        assert_ne!(encoded[0], 0xc3, "len {len} alphabet {alphabet}");
                        // liblzf gives up with room to spare: some of these
                        // would have fitted.
                        let unbounded = lzf_compress(&input, usize::MAX, &mut Vec::new()).unwrap();
                        cautious += usize::from(unbounded.len() + LZF_MIN_SAVING <= len);
                    }
                }
                assert_eq!(read_back(&encoded), input);
            }
        }
        assert!(cautious > 0);
    }

    #[test]
    fn aux_fields_come_in_redis_7_order() {
        let file = decode(&encode(&sample_aux(), &[])).unwrap();
        let names: Vec<&str> = file.aux.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "redis-ver",
                "redis-bits",
                "ctime",
                "used-mem",
                "repl-stream-db",
                "repl-id",
                "repl-offset",
                "aof-base"
            ]
        );
        assert_eq!(file.aux_value("repl-offset"), Some("5000000000"));
        assert_eq!(file.aux_value("REDIS-BITS"), Some("64"));
        assert_eq!(file.repl, sample_aux().repl);

        let mut standalone = RdbAux::new(1_700_000_000, 123);
        standalone.aof_base = true;
        let file = decode(&encode(&standalone, &[])).unwrap();
        let names: Vec<&str> = file.aux.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            ["redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"]
        );
        assert_eq!(file.aux_value("aof-base"), Some("1"));
        assert_eq!(file.aux_value("redis-ver"), Some("7.0.15"));
        assert_eq!(file.repl, None);
    }

    #[test]
    fn writer_output_round_trips() {
        let entries = sample_entries();
        let bytes = encode(&sample_aux(), &entries);
        let file = decode(&bytes).unwrap();
        assert_eq!(file.version, RDB_VERSION);
        assert_eq!(file.entries, entries);
        assert_eq!(&bytes[..9], b"REDIS0010");

        // The streaming writer gives the same bytes as encode().
        let mut writer = RdbWriter::new(&sample_aux());
        for db in [0, 1, 5] {
            let in_db: Vec<&RdbEntry> = entries.iter().filter(|e| e.db == db).collect();
            let expires = in_db.iter().filter(|e| e.expire_ms.is_some()).count();
            writer.select_db(db, in_db.len() as u64, expires as u64);
            for e in in_db {
                writer.entry(&e.key, e.value.as_value_ref(), e.expire_ms);
            }
        }
        assert_eq!(writer.len_bytes() + 9, bytes.len());
        assert_eq!(writer.finish(), bytes);
    }

    #[test]
    fn encode_groups_databases_in_ascending_order() {
        let entries = vec![
            entry(3, "c", OwnedValue::Str(b"3".to_vec()), None),
            entry(0, "a", OwnedValue::Str(b"1".to_vec()), Some(FAR_MS)),
            entry(3, "d", OwnedValue::Str(b"4".to_vec()), None),
            entry(0, "b", OwnedValue::Str(b"2".to_vec()), None),
        ];
        let bytes = encode(&RdbAux::new(0, 0), &entries);
        let file = decode(&bytes).unwrap();
        let dbs: Vec<(u32, &[u8])> = file
            .entries
            .iter()
            .map(|e| (e.db, e.key.as_slice()))
            .collect();
        assert_eq!(dbs, [(0, &b"a"[..]), (0, b"b"), (3, b"c"), (3, b"d")]);
        // SELECTDB 0, RESIZEDB 2 keys 1 expire; later SELECTDB 3, RESIZEDB 2 0.
        let needle = [OPCODE_SELECTDB, 0, OPCODE_RESIZEDB, 2, 1];
        assert!(bytes.windows(5).any(|w| w == needle));
        let needle = [OPCODE_SELECTDB, 3, OPCODE_RESIZEDB, 2, 0];
        assert!(bytes.windows(5).any(|w| w == needle));
    }

    #[test]
    fn fullsync_fixture_is_reproduced_byte_for_byte() {
        let real = hex(FULLSYNC_7_0_15_HEX);
        let file = decode(&real).unwrap();
        let repl = file.repl.clone().unwrap();
        assert_eq!(repl.stream_db, 2);
        assert_eq!(repl.repl_id, "0e98d0af3a1b1f910e476e130b1a0b86d550e6b6");
        assert_eq!(repl.repl_offset, 236);
        let got: Vec<(u32, &str, &str, Option<i64>)> = file
            .entries
            .iter()
            .map(|e| match &e.value {
                OwnedValue::Str(v) => (
                    e.db,
                    std::str::from_utf8(&e.key).unwrap(),
                    std::str::from_utf8(v).unwrap(),
                    e.expire_ms,
                ),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                (0, "c", "x", Some(FAR_MS)),
                (0, "b", "hello", None),
                (0, "a", "1", None),
                (2, "m", "70000", None),
                (2, "n", "-300", None),
            ]
        );

        let aux = RdbAux {
            rdb_version: RDB_VERSION,
            ver_key: "redis-ver",
            redis_ver: file.aux_value("redis-ver").unwrap().to_string(),
            ctime_secs: file.aux_value("ctime").unwrap().parse().unwrap(),
            used_mem: file.aux_value("used-mem").unwrap().parse().unwrap(),
            repl: Some(repl),
            aof_base: false,
        };
        assert_eq!(encode(&aux, &file.entries), real);
    }

    #[test]
    fn rdbcompression_and_rdbchecksum_off_match_redis_byte_for_byte() {
        let real = hex(UNCOMPRESSED_NO_CHECKSUM_7_0_15_HEX);
        assert_eq!(real[real.len() - 8..], [0; 8]);
        let file = decode(&real).unwrap();
        let aux = RdbAux::new(
            file.aux_value("ctime").unwrap().parse().unwrap(),
            file.aux_value("used-mem").unwrap().parse().unwrap(),
        );
        let off = RdbOptions {
            compression: false,
            checksum: false,
        };
        let mut writer = RdbWriter::with_options(&aux, off);
        writer.select_db(0, file.entries.len() as u64, 0);
        for e in &file.entries {
            writer.entry(&e.key, e.value.as_value_ref(), e.expire_ms);
        }
        assert_eq!(writer.finish(), real);

        // Each option on its own: compression shrinks both long values (LZF
        // ones, 0xc3), the checksum is the CRC-64 of the rest.
        let checksum_only = RdbOptions {
            compression: false,
            checksum: true,
        };
        let mut writer = RdbWriter::with_options(&aux, checksum_only);
        writer.select_db(0, file.entries.len() as u64, 0);
        for e in &file.entries {
            writer.entry(&e.key, e.value.as_value_ref(), e.expire_ms);
        }
        let with_checksum = writer.finish();
        let body = real.len() - 8;
        assert_eq!(with_checksum[..body], real[..body]);
        let crc = CRC64.checksum(&real[..body]).to_le_bytes();
        assert_eq!(with_checksum[body..], crc);
        let compressed = encode(&aux, &file.entries);
        assert_eq!(compressed.iter().filter(|&&b| b == 0xc3).count(), 2);
        assert!(compressed.len() < real.len() - 100);
        assert_eq!(decode(&compressed).unwrap().entries, file.entries);
    }

    #[test]
    fn strings_fixture_decodes_to_what_was_set() {
        let file = decode(STRINGS_7_0_15).unwrap();
        assert_eq!(file.version, 10);
        let names: Vec<&str> = file.aux.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            ["redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"]
        );
        assert_eq!(file.repl, None);

        let lookup = |db: u32, key: &[u8]| {
            let e = file
                .entries
                .iter()
                .find(|e| e.db == db && e.key == key)
                .unwrap_or_else(|| panic!("missing {:?}", String::from_utf8_lossy(key)));
            match &e.value {
                OwnedValue::Str(v) => (v.clone(), e.expire_ms),
                other => panic!("unexpected {other:?}"),
            }
        };
        // (db, key, value, expire_ms) exactly as the fixture script set them.
        type Row = (u32, Vec<u8>, Vec<u8>, Option<i64>);
        let expected: Vec<Row> = vec![
            (0, b"str:short".to_vec(), b"hello".to_vec(), None),
            (0, b"str:empty".to_vec(), vec![], None),
            (0, b"int:small".to_vec(), b"42".to_vec(), None),
            (0, b"int:neg".to_vec(), b"-7".to_vec(), None),
            (0, b"int:16".to_vec(), b"1000".to_vec(), None),
            (0, b"int:min16".to_vec(), b"-32768".to_vec(), None),
            (0, b"int:max32".to_vec(), b"2147483647".to_vec(), None),
            (0, b"int:min32".to_vec(), b"-2147483648".to_vec(), None),
            (
                0,
                b"int:big".to_vec(),
                b"9223372036854775807".to_vec(),
                None,
            ),
            (0, b"int:below32".to_vec(), b"-2147483649".to_vec(), None),
            (0, b"int:lead0".to_vec(), b"007".to_vec(), None),
            (0, b"int:plus".to_vec(), b"+5".to_vec(), None),
            (0, b"int:negzero".to_vec(), b"-0".to_vec(), None),
            (0, b"int:zero".to_vec(), b"0".to_vec(), None),
            (0, b"long:run".to_vec(), vec![b'a'; 100], None),
            (0, b"long:pattern".to_vec(), b"abcdefgh".repeat(40), None),
            (
                0,
                b"long:text".to_vec(),
                b"the quick brown fox jumps over the lazy dog; ".repeat(6),
                None,
            ),
            (
                0,
                b"long:incompressible".to_vec(),
                b"Zq8#kP2!vL9@xW4$mN7%bR1^tY6&cJ".to_vec(),
                None,
            ),
            (0, b"12345".to_vec(), b"integer key".to_vec(), None),
            (
                0,
                [&b"key:"[..], &[b'x'; 40]].concat(),
                b"long compressible key".to_vec(),
                None,
            ),
            (
                0,
                b"bin".to_vec(),
                b"\x00\x01\xff\xfe\r\n\x00binary".to_vec(),
                None,
            ),
            (
                0,
                b"ttl:a".to_vec(),
                b"expires in 2100".to_vec(),
                Some(FAR_MS),
            ),
            (0, b"ttl:b".to_vec(), vec![b'x'; 50], Some(FAR_MS + 1234)),
            (1, b"db1:k".to_vec(), b"v1".to_vec(), None),
            (1, b"db1:ttl".to_vec(), b"100".to_vec(), Some(FAR_MS + 1)),
            (
                3,
                b"db3:big".to_vec(),
                b"0123456789abcdef".repeat(1250),
                None,
            ),
            (3, b"db3:mid".to_vec(), b"mid-".repeat(1250), None),
        ];
        assert_eq!(file.entries.len(), expected.len());
        for (db, key, value, expire_ms) in expected {
            assert_eq!(
                lookup(db, &key),
                (value, expire_ms),
                "{:?}",
                String::from_utf8_lossy(&key)
            );
        }

        // Our encoder writes every key and value as Redis did: verbatim,
        // integer and LZF forms byte for byte, so the whole file too.
        for e in &file.entries {
            let OwnedValue::Str(value) = &e.value else {
                unreachable!()
            };
            let mut record = vec![TYPE_STRING];
            record.extend(string_bytes(&e.key));
            record.extend(string_bytes(value));
            assert!(
                STRINGS_7_0_15.windows(record.len()).any(|w| w == record),
                "{:?} not encoded as Redis did",
                String::from_utf8_lossy(&e.key)
            );
        }
        let aux = RdbAux::new(
            file.aux_value("ctime").unwrap().parse().unwrap(),
            file.aux_value("used-mem").unwrap().parse().unwrap(),
        );
        assert_eq!(encode(&aux, &file.entries), STRINGS_7_0_15);

        // And re-encoding gives a file that decodes to the same keyspace.
        let aux = RdbAux::new(0, 0);
        assert_eq!(
            decode(&encode(&aux, &file.entries)).unwrap().entries,
            file.entries
        );
    }

    #[test]
    fn rejects_bad_headers_and_trailers() {
        let good = encode(&RdbAux::new(1, 2), &sample_entries());
        let err = |bytes: &[u8]| decode(bytes).unwrap_err();

        let mut bad = good.clone();
        bad[0] = b'X';
        assert_eq!(err(&bad).offset, 0);
        assert!(err(&bad).message.contains("magic"));

        let mut bad = good.clone();
        bad[5..9].copy_from_slice(b"0013");
        fix_checksum(&mut bad);
        assert!(err(&bad)
            .message
            .contains("Can't handle RDB format version 13"));
        bad[5..9].copy_from_slice(b"00x1");
        assert!(err(&bad).message.contains("malformed RDB version"));

        let mut bad = good.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        let e = err(&bad);
        assert_eq!(e.offset, good.len() - 8);
        assert!(e.message.contains("checksum mismatch"), "{e}");

        // A zero checksum means "not computed" and is accepted.
        let mut unchecked = good.clone();
        unchecked[last - 7..].fill(0);
        assert_eq!(decode(&unchecked).unwrap().entries, sample_entries());

        let mut bad = good.clone();
        bad.push(0);
        assert!(err(&bad).message.contains("1 unexpected bytes"));

        let e = err(&good[..good.len() - 3]);
        assert!(e.to_string().starts_with("RDB error at byte "), "{e}");
        assert!(e.message.contains("unexpected end of file"), "{e}");
    }

    /// A file with one key of raw type `kind` and a one-byte body.
    fn file_with_type(kind: u8) -> Vec<u8> {
        let mut writer = RdbWriter::new(&RdbAux::new(1, 2));
        writer.select_db(0, 1, 0);
        let type_at = writer.len_bytes();
        writer.entry(b"k", ValueRef::Str(b"v"), None);
        let mut bytes = writer.finish();
        bytes[type_at] = kind;
        fix_checksum(&mut bytes);
        bytes
    }

    #[test]
    fn unknown_types_are_named_in_the_error() {
        for (kind, name) in [
            (14, "RDB_TYPE_LIST_QUICKLIST"),
            (18, "RDB_TYPE_LIST_QUICKLIST_2"),
            (16, "RDB_TYPE_HASH_LISTPACK"),
            (11, "RDB_TYPE_SET_INTSET"),
            (3, "RDB_TYPE_ZSET"),
            (5, "RDB_TYPE_ZSET_2"),
            (19, "RDB_TYPE_STREAM_LISTPACKS_2"),
            (7, "RDB_TYPE_MODULE_2"),
            (100, "unknown type"),
        ] {
            let bytes = file_with_type(kind);
            let e = decode(&bytes).unwrap_err();
            assert!(
                e.message
                    .contains(&format!("unsupported value type {kind} ({name})")),
                "{e}"
            );
            assert_eq!(bytes[e.offset], kind);
        }
        let e = decode(&file_with_type(OPCODE_MODULE_AUX)).unwrap_err();
        assert!(e.message.contains("module aux"), "{e}");
        let e = decode(&file_with_type(OPCODE_FUNCTION2)).unwrap_err();
        assert!(e.message.contains("function library"), "{e}");
    }

    #[test]
    fn refuses_what_redis_refuses_and_skips_what_it_skips() {
        let aux = RdbAux::new(1, 2);
        let dup_keys = encode(
            &aux,
            &[
                entry(0, "k", OwnedValue::Str(b"1".to_vec()), None),
                entry(0, "k", OwnedValue::Str(b"2".to_vec()), None),
            ],
        );
        assert!(decode(&dup_keys)
            .unwrap_err()
            .message
            .contains("appears twice"));
        // The same key in two databases is fine.
        let two_dbs = encode(
            &aux,
            &[
                entry(0, "k", OwnedValue::Str(b"1".to_vec()), None),
                entry(1, "k", OwnedValue::Str(b"2".to_vec()), None),
            ],
        );
        assert_eq!(decode(&two_dbs).unwrap().entries.len(), 2);

        let dup_set = encode(
            &aux,
            &[entry(0, "s", OwnedValue::Set(bv(&["a", "a"])), None)],
        );
        assert!(decode(&dup_set)
            .unwrap_err()
            .message
            .contains("duplicate members"));
        let dup_hash = encode(
            &aux,
            &[entry(
                0,
                "h",
                OwnedValue::Hash(pairs(&[("f", "1"), ("f", "2")])),
                None,
            )],
        );
        assert!(decode(&dup_hash)
            .unwrap_err()
            .message
            .contains("duplicate fields"));
        // Lists may repeat elements.
        let list = encode(
            &aux,
            &[entry(0, "l", OwnedValue::List(bv(&["a", "a"])), None)],
        );
        assert_eq!(decode(&list).unwrap().entries.len(), 1);

        // Empty collections are dropped on load, with their TTL.
        let empty = encode(
            &aux,
            &[
                entry(0, "l", OwnedValue::List(vec![]), Some(FAR_MS)),
                entry(0, "s", OwnedValue::Set(vec![]), None),
                entry(0, "h", OwnedValue::Hash(vec![]), None),
                entry(0, "k", OwnedValue::Str(vec![]), None),
            ],
        );
        let file = decode(&empty).unwrap();
        assert_eq!(file.entries, [entry(0, "k", OwnedValue::Str(vec![]), None)]);
    }

    #[test]
    fn accepts_legacy_opcodes_redis_accepts() {
        // Old-style seconds EXPIRETIME, LRU IDLE and LFU FREQ before a key.
        let mut writer = RdbWriter::new(&RdbAux::new(1, 2));
        writer.select_db(0, 1, 1);
        let mut bytes = writer.finish();
        bytes.truncate(bytes.len() - 9);
        bytes.push(OPCODE_EXPIRETIME);
        bytes.extend_from_slice(&2_000_000_000i32.to_le_bytes());
        bytes.extend_from_slice(&[OPCODE_IDLE, 0x40, 0x80, OPCODE_FREQ, 5]);
        bytes.extend_from_slice(&[TYPE_STRING, 1, b'k', 1, b'v', OPCODE_EOF]);
        bytes.extend_from_slice(&[0; 8]);
        fix_checksum(&mut bytes);
        let file = decode(&bytes).unwrap();
        assert_eq!(
            file.entries,
            [entry(
                0,
                "k",
                OwnedValue::Str(b"v".to_vec()),
                Some(2_000_000_000_000)
            )]
        );

        // Version 4 files have no checksum.
        let mut old = b"REDIS0004".to_vec();
        old.extend_from_slice(&[
            OPCODE_SELECTDB,
            2,
            TYPE_STRING,
            1,
            b'k',
            0xc0,
            7,
            OPCODE_EOF,
        ]);
        let file = decode(&old).unwrap();
        assert_eq!(file.version, 4);
        assert_eq!(
            file.entries,
            [entry(2, "k", OwnedValue::Str(b"7".to_vec()), None)]
        );
    }

    #[test]
    fn never_panics_on_damaged_files() {
        let mut files = vec![
            encode(&sample_aux(), &sample_entries()),
            hex(FULLSYNC_7_0_15_HEX),
            STRINGS_7_0_15.to_vec(),
        ];
        let mut rng = Rng(0x5eed);
        files.push(rng.bytes(200, 256));
        let mut garbage = b"REDIS0010".to_vec();
        garbage.extend(rng.bytes(500, 256));
        files.push(garbage);

        for file in &files {
            // Every truncation is an error, never a panic.
            for len in 0..file.len() {
                assert!(decode(&file[..len]).is_err());
            }
            for round in 0..3000 {
                let mut damaged = file.clone();
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(damaged.len());
                    damaged[at] = match rng.below(3) {
                        0 => damaged[at] ^ (1 << rng.below(8)),
                        1 => rng.next() as u8,
                        _ => [0x00, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xc3, 0xff][rng.below(8)],
                    };
                }
                // Half the time repair the checksum so the damage reaches
                // the parser instead of only failing the CRC check.
                if round % 2 == 0 && damaged.len() >= 8 {
                    fix_checksum(&mut damaged);
                }
                if let Err(e) = decode(&damaged) {
                    assert!(e.offset <= damaged.len(), "{e}");
                }
            }
        }
    }

    #[test]
    fn redis_check_rdb_accepts_writer_output() {
        let bytes = encode(&sample_aux(), &sample_entries());
        let path = std::env::temp_dir().join(format!(
            "replscope-rdb-check-{}-{:x}.rdb",
            std::process::id(),
            CRC64.checksum(&bytes)
        ));
        std::fs::write(&path, &bytes).unwrap();
        let output = std::process::Command::new("redis-check-rdb")
            .arg(&path)
            .output();
        let _ = std::fs::remove_file(&path);
        let output = match output {
            Ok(output) => output,
            Err(e) => {
                println!("skipping: redis-check-rdb not runnable ({e})");
                return;
            }
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "redis-check-rdb failed:\n{stdout}");
        assert!(stdout.contains("RDB looks OK"), "{stdout}");
        assert!(stdout.contains("13 keys read"), "{stdout}");
        assert!(stdout.contains("3 expires"), "{stdout}");
    }
}
