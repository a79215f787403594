//! RESP2, the Redis wire protocol: the bytes that replication offsets count.
//!
//! A master's replication offset advances by exactly the number of bytes it
//! appends to the replication stream, and that stream is a sequence of
//! commands encoded as RESP multibulks. This module therefore has to be
//! byte-exact: [`encode_command`] and [`command_len`] produce and count the
//! very bytes Redis 7.0 writes, and [`parse_command`] accepts, rejects and
//! splits input the way Redis 7.0's `processInputBuffer` does, including its
//! quirks (it never checks the CRLF after a bulk, it stops searching for a
//! line end at a NUL byte, and so on).
//!
//! Replies are parsed by [`parse_value`], which follows hiredis (the parser
//! inside `redis-cli` and the replica's own client code).

use crate::redis_util::{sdssplitargs, string2ll};

/// One RESP2 value: a reply, or a command when it is an array of bulks.
///
/// ```text
/// Simple("OK")          +OK\r\n
/// Error("ERR boom")     -ERR boom\r\n
/// Integer(42)           :42\r\n
/// Bulk(b"bar")          $3\r\nbar\r\n
/// Nil                   $-1\r\n
/// Array([..])           *2\r\n...
/// NilArray              *-1\r\n
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Value {
    /// A status reply (`+`). Must not contain `\r` or `\n` to encode validly.
    /// Borrowed for the fixed ones (`OK`, `QUEUED`): no allocation per reply.
    Simple(std::borrow::Cow<'static, str>),
    /// An error reply (`-`), stored without the leading `-`, e.g. `ERR syntax error`.
    Error(String),
    /// An integer reply (`:`).
    Integer(i64),
    /// A bulk string (`$<len>`), binary safe.
    Bulk(Vec<u8>),
    /// The null bulk string, `$-1`.
    Nil,
    /// An array (`*<count>`), possibly empty.
    Array(Vec<Value>),
    /// The null array, `*-1`.
    NilArray,
}

impl Value {
    /// The `+OK` status reply.
    ///
    /// # Returns
    /// `Value::Simple("OK")`.
    pub fn ok() -> Value {
        Value::Simple(std::borrow::Cow::Borrowed("OK"))
    }

    /// An error reply.
    ///
    /// `msg` is the text without the leading `-`, conventionally starting
    /// with an error code such as `ERR` or `WRONGTYPE`.
    ///
    /// # Returns
    /// `Value::Error(msg)`, which encodes as `-<msg>\r\n`.
    pub fn err(msg: impl Into<String>) -> Value {
        Value::Error(msg.into())
    }

    /// A bulk string reply.
    ///
    /// # Returns
    /// `Value::Bulk(b)`, which encodes as `$<len>\r\n<b>\r\n`.
    pub fn bulk(b: impl Into<Vec<u8>>) -> Value {
        Value::Bulk(b.into())
    }

    /// Append the exact RESP2 encoding of this value to `out`.
    ///
    /// ```text
    /// Array([Bulk("a"), Integer(1)])  ->  *2\r\n$1\r\na\r\n:1\r\n
    /// ```
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Value::Simple(s) => push_line(out, b'+', s.as_bytes()),
            Value::Error(s) => push_line(out, b'-', s.as_bytes()),
            Value::Integer(n) => {
                out.push(b':');
                push_decimal(out, *n);
                out.extend_from_slice(b"\r\n");
            }
            Value::Bulk(b) => push_bulk(out, b),
            Value::Nil => out.extend_from_slice(b"$-1\r\n"),
            Value::Array(items) => {
                push_header(out, b'*', items.len());
                for item in items {
                    item.encode(out);
                }
            }
            Value::NilArray => out.extend_from_slice(b"*-1\r\n"),
        }
    }

    /// How many bytes [`Value::encode`] appends, without writing them.
    pub fn encoded_len(&self) -> usize {
        match self {
            Value::Simple(s) => 1 + s.len() + 2,
            Value::Error(s) => 1 + s.len() + 2,
            Value::Integer(n) => {
                1 + usize::from(*n < 0) + decimal_len_usize(n.unsigned_abs() as usize) + 2
            }
            Value::Bulk(b) => 1 + decimal_len_usize(b.len()) + 2 + b.len() + 2,
            Value::Nil | Value::NilArray => 5,
            Value::Array(items) => {
                let header = 1 + decimal_len_usize(items.len()) + 2;
                items.iter().fold(header, |n, item| n + item.encoded_len())
            }
        }
    }

    /// The exact RESP2 encoding of this value.
    ///
    /// # Returns
    /// A fresh buffer holding what [`Value::encode`] would append.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Whether this is an error reply.
    ///
    /// # Returns
    /// `true` only for `Value::Error` at the top level (an error nested in an
    /// `EXEC` array does not count).
    pub fn is_error(&self) -> bool {
        matches!(self, Value::Error(_))
    }
}

/// Encode a command as a RESP multibulk: `*<argc>\r\n` then `$<len>\r\n<arg>\r\n` per arg.
///
/// This is the form in which a master propagates writes to its replicas, so
/// its length is what the replication offset advances by.
///
/// ```text
/// ["SET", "foo", "bar"]  ->  *3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n   (31 bytes)
/// ```
pub fn encode_command<A: AsRef<[u8]>>(argv: &[A], out: &mut Vec<u8>) {
    // The page's wasm pushes each piece (smaller code; the page propagates little).
    #[cfg(target_arch = "wasm32")]
    {
        out.reserve(command_len(argv));
        push_header(out, b'*', argv.len());
        for arg in argv {
            push_bulk(out, arg.as_ref());
        }
    }
    // Natively every command a master propagates is encoded here: its length is known
    // first, so the bytes are written into place (no capacity check per piece).
    #[cfg(not(target_arch = "wasm32"))]
    {
        let start = out.len();
        out.resize(start + command_len(argv), 0);
        let mut w = put_length_line(&mut out[start..], b'*', argv.len());
        for arg in argv {
            let arg = arg.as_ref();
            w = put_length_line(w, b'$', arg.len());
            let (payload, rest) = w.split_at_mut(arg.len());
            payload.copy_from_slice(arg);
            rest[..2].copy_from_slice(b"\r\n");
            w = &mut rest[2..];
        }
        debug_assert!(w.is_empty());
    }
}

/// `<type><n>\r\n` at the start of `w`, which has room for it; the rest of `w`.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn put_length_line(w: &mut [u8], type_byte: u8, n: usize) -> &mut [u8] {
    w[0] = type_byte;
    let digits = if n < 10 {
        w[1] = b'0' + n as u8;
        1
    } else if n < 100 {
        w[1] = b'0' + (n / 10) as u8;
        w[2] = b'0' + (n % 10) as u8;
        2
    } else {
        let mut buf = [0; 20];
        let d = decimal(n as u64, &mut buf);
        w[1..1 + d.len()].copy_from_slice(d);
        d.len()
    };
    w[1 + digits..3 + digits].copy_from_slice(b"\r\n");
    &mut w[3 + digits..]
}

/// Exact byte length [`encode_command`] would produce, without allocating (used to count offsets).
///
/// # Returns
/// The number of bytes of `*<argc>\r\n` plus `$<len>\r\n<arg>\r\n` for every argument.
///
/// ```text
/// ["SELECT", "0"]  ->  *2\r\n $6\r\nSELECT\r\n $1\r\n0\r\n  =  4 + 12 + 7  =  23
/// ```
pub fn command_len<A: AsRef<[u8]>>(argv: &[A]) -> usize {
    let header_len = 1 + decimal_len_usize(argv.len()) + 2;
    argv.iter().fold(header_len, |total, arg| {
        let len = arg.as_ref().len();
        total + 1 + decimal_len_usize(len) + 2 + len + 2
    })
}

/// The outcome of a parse that did not fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed<T> {
    /// A complete item, and how many bytes from the front of the buffer it used.
    Done(T, usize),
    /// The buffer holds only a prefix of an item: read more and try again.
    Incomplete,
}

/// A protocol violation, with the message exactly as Redis replies it.
///
/// The message has no `ERR ` prefix: Redis sends it as `-ERR <message>\r\n`
/// (see [`ProtocolError::to_reply`]) and then closes the connection.
///
/// ```text
/// ProtocolError("Protocol error: invalid bulk length")
///   on the wire:  -ERR Protocol error: invalid bulk length\r\n
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError(pub String);

impl ProtocolError {
    /// The error reply Redis sends before closing the connection.
    ///
    /// # Returns
    /// `Value::Error("ERR " + message)`.
    pub fn to_reply(&self) -> Value {
        Value::Error(format!("ERR {}", self.0))
    }
}

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProtocolError {}

/// Deepest array nesting [`parse_value`] accepts.
///
/// Redis never nests replies more than a handful of levels; the limit only
/// exists so that hostile input cannot build a value whose recursive
/// drop, comparison or formatting would overflow the stack.
pub const MAX_REPLY_DEPTH: usize = 512;

/// Parse one RESP2 value (a reply) from the front of buf. Incomplete is a normal outcome.
///
/// Follows hiredis, the reply parser of `redis-cli` and of a replica talking
/// to its master: header lines end at the first `\r\n`, the two bytes after a
/// bulk's payload are skipped unchecked, and the error messages are
/// hiredis's. Status and error lines that are not UTF-8 are converted lossily.
///
/// ```text
/// *2\r\n$3\r\nfoo\r\n:7\r\n   ->  Done(Array([Bulk("foo"), Integer(7)]), 17)
/// *2\r\n$3\r\nfo              ->  Incomplete
/// !oops\r\n                   ->  Err("Protocol error, got \"!\" as reply type byte")
/// ```
///
/// # Returns
/// `Done(value, bytes_consumed)`, `Incomplete` when `buf` holds only a
/// prefix of a value, or the hiredis protocol error for malformed input
/// (plus one of our own for nesting deeper than [`MAX_REPLY_DEPTH`]).
pub fn parse_value(buf: &[u8]) -> Result<Parsed<Value>, ProtocolError> {
    // Arrays are parsed with an explicit stack rather than recursion so that
    // no input, however deep, can exhaust the call stack while parsing.
    struct Frame {
        expected_count: usize,
        items: Vec<Value>,
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut pos = 0usize;
    loop {
        let Some(&type_byte) = buf.get(pos) else {
            return Ok(Parsed::Incomplete);
        };
        // Like hiredis, judge the type byte as soon as it arrives, before
        // waiting for the rest of its line.
        if !matches!(type_byte, b'+' | b'-' | b':' | b'$' | b'*') {
            return Err(ProtocolError(format!(
                "Protocol error, got {} as reply type byte",
                quote_byte(type_byte)
            )));
        }
        let Some(line_end) = find_crlf(buf, pos + 1) else {
            return Ok(Parsed::Incomplete);
        };
        let line = &buf[pos + 1..line_end];
        let after_line = line_end + 2;
        let (mut value, next_pos) = match type_byte {
            b'+' => (
                Value::Simple(String::from_utf8_lossy(line).into_owned().into()),
                after_line,
            ),
            b'-' => (
                Value::Error(String::from_utf8_lossy(line).into_owned()),
                after_line,
            ),
            b':' => match string2ll(line) {
                Some(n) => (Value::Integer(n), after_line),
                None => return Err(ProtocolError("Bad integer value".into())),
            },
            b'$' => {
                let len = string2ll(line)
                    .ok_or_else(|| ProtocolError("Bad bulk string length".into()))?;
                if len < -1 {
                    return Err(ProtocolError("Bulk string length out of range".into()));
                }
                if len == -1 {
                    (Value::Nil, after_line)
                } else {
                    // hiredis skips the two bytes after the payload without
                    // checking that they are "\r\n". A length too large to
                    // add up can never be satisfied, so it stays Incomplete.
                    let payload_end = usize::try_from(len)
                        .ok()
                        .and_then(|l| after_line.checked_add(l));
                    match payload_end {
                        Some(end) if end.checked_add(2).is_some_and(|n| n <= buf.len()) => {
                            (Value::Bulk(buf[after_line..end].to_vec()), end + 2)
                        }
                        _ => return Ok(Parsed::Incomplete),
                    }
                }
            }
            b'*' => {
                let count =
                    string2ll(line).ok_or_else(|| ProtocolError("Bad multi-bulk length".into()))?;
                if count < -1 || count > i64::from(i32::MAX) {
                    return Err(ProtocolError("Multi-bulk length out of range".into()));
                }
                if count == -1 {
                    (Value::NilArray, after_line)
                } else if count == 0 {
                    (Value::Array(Vec::new()), after_line)
                } else {
                    if stack.len() >= MAX_REPLY_DEPTH {
                        return Err(ProtocolError(format!(
                            "Protocol error: reply nested deeper than {MAX_REPLY_DEPTH} arrays"
                        )));
                    }
                    // 0 < count <= i32::MAX, so it fits in usize; cap the
                    // preallocation so a lying header cannot reserve gigabytes.
                    let expected_count = count as usize;
                    stack.push(Frame {
                        expected_count,
                        items: Vec::with_capacity(expected_count.min(1024)),
                    });
                    pos = after_line;
                    continue;
                }
            }
            // Cannot happen: every other type byte was rejected above.
            _ => return Ok(Parsed::Incomplete),
        };
        pos = next_pos;
        // Hand the finished value to its enclosing arrays, closing every
        // array that becomes full, until one still wants more elements.
        loop {
            match stack.last_mut() {
                None => return Ok(Parsed::Done(value, pos)),
                Some(frame) => {
                    frame.items.push(value);
                    if frame.items.len() < frame.expected_count {
                        break;
                    }
                }
            }
            let Some(frame) = stack.pop() else {
                break;
            };
            value = Value::Array(frame.items);
        }
    }
}

/// What a server knows about a client that changes how its requests parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandLimits {
    /// `proto-max-bulk-len`: the largest bulk a normal client may send
    /// (Redis's default is 512 MiB). Not enforced for the master client.
    pub proto_max_bulk_len: u64,
    /// Whether the input comes from this server's master (a replica
    /// reading the replication stream). Such a client has no bulk length
    /// limit and must never send inline commands other than a bare newline.
    pub is_master_client: bool,
}

impl Default for CommandLimits {
    /// Redis 7.0's defaults for an ordinary client.
    fn default() -> Self {
        CommandLimits {
            proto_max_bulk_len: DEFAULT_PROTO_MAX_BULK_LEN_BYTES,
            is_master_client: false,
        }
    }
}

/// Redis 7.0's default `proto-max-bulk-len` (512 MiB).
pub const DEFAULT_PROTO_MAX_BULK_LEN_BYTES: u64 = 512 * 1024 * 1024;

/// `PROTO_INLINE_MAX_SIZE`: how many unterminated bytes Redis buffers while
/// waiting for the end of an inline request or of a `*`/`$` count line.
pub const MAX_INLINE_LEN_BYTES: usize = 64 * 1024;

/// Text Redis logs (it sends no reply) when its master sends a non-empty
/// inline line; the replica then drops the master link.
pub const MASTER_INLINE_ERROR: &str = "Master using the inline protocol. Desync?";

/// Parse one client request exactly as Redis 7.0's processInputBuffer does: multibulk if buf starts with '*', else an inline command (split with sdssplitargs rules; a line ending "\n" or "\r\n").
///
/// An empty inline line ("\r\n" or "\n") yields Done(vec![], n) (Redis skips it; a replica uses a lone "\n" as keepalive).
/// So do a blank line of spaces and a multibulk count of zero or less
/// (`*0\r\n`, `*-1\r\n`): Redis consumes them and runs nothing.
///
/// Errors carry Redis's exact protocol error text (invalid multibulk length, expected '$', got 'X', invalid bulk length (also when > proto_max_bulk_len and not a master client), too big inline request / too big mbulk count string / too big bulk count string, unbalanced quotes in request).
///
/// Redis's quirks are kept because they decide what a real server accepts:
/// * the byte after the `\r` that ends a `*` or `$` line, and the two bytes
///   after a bulk's payload, are skipped without checking they are `\n` /
///   `\r\n`;
/// * the search for a line end stops at a NUL byte (Redis uses `strchr`),
///   so a NUL before the line end keeps the request incomplete until the
///   "too big" limit trips;
/// * the [`MAX_INLINE_LEN_BYTES`] limits apply only while the line end has
///   not arrived, so whether an overlong line is accepted depends on how
///   much of it is in `buf` at once, exactly as it depends on read sizes in
///   Redis.
///
/// In `expected '$', got 'X'` a byte above 0x7f shows as the char with that
/// code point (Latin-1), since Redis prints the raw byte.
///
/// A master client sending a non-empty inline line gets
/// [`MASTER_INLINE_ERROR`], the text Redis logs before dropping the link.
/// Redis's `unauthenticated multibulk/bulk length` checks need ACL state and
/// are left to the caller.
///
/// ```text
/// *1\r\n$4\r\nPING\r\n       ->  Done([b"PING"], 14)
/// SET k "a b"\r\n            ->  Done([b"SET", b"k", b"a b"], 13)
/// *1\r\n$4\r\nPI             ->  Incomplete
/// *1\r\n$x\r\n               ->  Err("Protocol error: invalid bulk length")
/// ```
///
/// # Returns
/// `Done(argv, bytes_consumed)` for a complete request (possibly with an
/// empty `argv`), `Incomplete` when more input is needed, or the protocol
/// error after which Redis closes the connection.
pub fn parse_command(
    buf: &[u8],
    limits: &CommandLimits,
) -> Result<Parsed<Vec<Vec<u8>>>, ProtocolError> {
    parse_command_with(buf, limits, &mut ArgPool::default())
}

/// [`parse_command`], the arguments of a multibulk request written into buffers
/// from `pool` (what earlier commands gave back) instead of new allocations.
pub fn parse_command_with(
    buf: &[u8],
    limits: &CommandLimits,
    pool: &mut ArgPool,
) -> Result<Parsed<Vec<Vec<u8>>>, ProtocolError> {
    match buf.first() {
        None => Ok(Parsed::Incomplete),
        Some(b'*') => parse_multibulk(buf, limits, pool),
        Some(_) => parse_inline(buf, limits),
    }
}

/// What [`parse_command_with`] gives for `argv` encoded by [`encode_command`] (from a
/// client, not a master), without the encoding: the arguments copied into a list of
/// `pool`. None when the parse would not simply give them back (no arguments, or one
/// longer than `proto-max-bulk-len`: the caller then encodes and parses, which names
/// the error).
pub fn copy_command(
    argv: &[Vec<u8>],
    limits: &CommandLimits,
    pool: &mut ArgPool,
) -> Option<Vec<Vec<u8>>> {
    if argv.is_empty()
        || argv.len() > i32::MAX as usize
        || argv
            .iter()
            .any(|a| !limits.is_master_client && a.len() as u64 > limits.proto_max_bulk_len)
    {
        return None;
    }
    let mut list = pool.list(argv.len());
    for (i, a) in argv.iter().enumerate() {
        put_arg(&mut list, i, a);
    }
    list.truncate(argv.len());
    Some(list)
}

/// Argument lists of finished commands, kept whole (list and argument buffers) for
/// the next commands a node parses: a replicated write otherwise allocates its
/// argument list and every argument anew on every node. Small: at most
/// [`ArgPool::MAX_LISTS`] lists of at most [`ArgPool::MAX_ARGS`] arguments, none
/// bigger than [`ArgPool::MAX_ARG_BYTES`] (a big command is freed as before). What
/// it holds never shows: a buffer is cleared before it is written.
#[derive(Clone, Debug, Default)]
pub struct ArgPool {
    lists: Vec<Vec<Vec<u8>>>,
}

impl ArgPool {
    /// Lists kept, at most.
    pub const MAX_LISTS: usize = 4;
    /// Arguments of a list worth keeping, at most.
    pub const MAX_ARGS: usize = 16;
    /// Capacity of an argument worth keeping, at most.
    pub const MAX_ARG_BYTES: usize = 256;

    /// A list to parse `n` arguments into: a finished command's, whose buffers
    /// [`put_arg`] refills in turn, or a new one with room for `n` (up to 1,024, as
    /// Redis preallocates).
    fn list(&mut self, n: usize) -> Vec<Vec<u8>> {
        self.lists
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(n.min(1024)))
    }

    /// Take back a finished command's arguments. Inlined natively (every command
    /// every node runs ends here); the page's wasm keeps one copy, for its size.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn give(&mut self, argv: Vec<Vec<u8>>) {
        if self.lists.len() < Self::MAX_LISTS
            && argv.len() <= Self::MAX_ARGS
            && argv.iter().all(|a| a.capacity() <= Self::MAX_ARG_BYTES)
        {
            self.lists.push(argv);
        }
    }
}

/// processInlineBuffer: one line, split like a shell would.
fn parse_inline(buf: &[u8], limits: &CommandLimits) -> Result<Parsed<Vec<Vec<u8>>>, ProtocolError> {
    let Some(newline_at) = find_before_nul(buf, b'\n') else {
        if buf.len() > MAX_INLINE_LEN_BYTES {
            return Err(protocol_error("too big inline request"));
        }
        return Ok(Parsed::Incomplete);
    };
    let line_len = if newline_at > 0 && buf[newline_at - 1] == b'\r' {
        newline_at - 1
    } else {
        newline_at
    };
    let line = &buf[..line_len];
    let argv = sdssplitargs(line).ok_or_else(|| protocol_error("unbalanced quotes in request"))?;
    // Redis checks the quotes before it checks who is talking.
    if line_len != 0 && limits.is_master_client {
        return Err(ProtocolError(MASTER_INLINE_ERROR.to_string()));
    }
    Ok(Parsed::Done(argv, newline_at + 1))
}

/// processMultibulkBuffer: `*<argc>\r\n` then `$<len>\r\n<payload>\r\n` per argument.
fn parse_multibulk(
    buf: &[u8],
    limits: &CommandLimits,
    pool: &mut ArgPool,
) -> Result<Parsed<Vec<Vec<u8>>>, ProtocolError> {
    let (count, count_end) = match plain_length(buf, b'*') {
        // The usual `*<n>\r\n`, read in one pass (the checks below would pass).
        Some((n, end)) if n <= i32::MAX as u64 => (n as i64, end),
        _ => {
            let Some(count_end) = find_before_nul(buf, b'\r') else {
                if buf.len() > MAX_INLINE_LEN_BYTES {
                    return Err(protocol_error("too big mbulk count string"));
                }
                return Ok(Parsed::Incomplete);
            };
            // Redis wants one more byte after the '\r' but never looks at it.
            if count_end + 2 > buf.len() {
                return Ok(Parsed::Incomplete);
            }
            match string2ll(&buf[1..count_end]) {
                Some(n) if n <= i64::from(i32::MAX) => (n, count_end),
                _ => return Err(protocol_error("invalid multibulk length")),
            }
        }
    };
    let mut pos = count_end + 2;
    if count <= 0 {
        return Ok(Parsed::Done(Vec::new(), pos));
    }
    // 0 < count <= i32::MAX fits in usize; Redis likewise preallocates at
    // most 1024 slots so a lying header costs nothing.
    let count = count as usize;
    let mut argv = pool.list(count);
    let mut filled = 0;
    while filled < count {
        let rest = &buf[pos..];
        if let Some((len, len_end)) = plain_length(rest, b'$') {
            // The usual `$<len>\r\n`, read in one pass: the same checks as below.
            if limits.is_master_client || len <= limits.proto_max_bulk_len {
                pos += len_end + 2;
                let len = len as usize; // at most 18 digits
                if buf.len() - pos < len + 2 {
                    pool.give(argv);
                    return Ok(Parsed::Incomplete);
                }
                put_arg(&mut argv, filled, &buf[pos..pos + len]);
                filled += 1;
                pos += len + 2;
                continue;
            }
        }
        let Some(len_end) = find_before_nul(rest, b'\r') else {
            if rest.len() > MAX_INLINE_LEN_BYTES {
                return Err(protocol_error("too big bulk count string"));
            }
            pool.give(argv);
            return Ok(Parsed::Incomplete);
        };
        if len_end + 2 > rest.len() {
            pool.give(argv);
            return Ok(Parsed::Incomplete);
        }
        if rest[0] != b'$' {
            // Redis formats the byte with %c and then turns CR and LF into
            // spaces so that the error line stays one line.
            let shown = match rest[0] {
                b'\r' | b'\n' => ' ',
                other => char::from(other),
            };
            return Err(ProtocolError(format!(
                "Protocol error: expected '$', got '{shown}'"
            )));
        }
        let len = match string2ll(&rest[1..len_end]) {
            Some(n)
                if n >= 0 && (limits.is_master_client || n as u64 <= limits.proto_max_bulk_len) =>
            {
                n as u64
            }
            _ => return Err(protocol_error("invalid bulk length")),
        };
        pos += len_end + 2;
        let available = (buf.len() - pos) as u64;
        if available < len.saturating_add(2) {
            pool.give(argv);
            return Ok(Parsed::Incomplete);
        }
        // available >= len + 2, so len fits in usize.
        let len = len as usize;
        put_arg(&mut argv, filled, &buf[pos..pos + len]);
        filled += 1;
        pos += len + 2;
    }
    argv.truncate(count);
    Ok(Parsed::Done(argv, pos))
}

/// Argument `i` of a list being parsed: the buffer already there (a finished
/// command's, from [`ArgPool`]) cleared and refilled, or a new one. Inlined natively
/// with [`plain_length`] (each is called for every argument every node parses: 2.5%
/// of the simulated hour's instructions were the calls); the page's wasm keeps one
/// copy of each, for its size.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn put_arg(argv: &mut Vec<Vec<u8>>, i: usize, bytes: &[u8]) {
    match argv.get_mut(i) {
        Some(a) => {
            a.clear();
            a.extend_from_slice(bytes);
        }
        None => argv.push(bytes.to_vec()),
    }
}

/// A length line `<type><digits>\r` at the start of `buf` written the plain way (1
/// to 18 digits, no sign, no leading zero unless it is `0`) with at least one byte
/// after the `\r`: the number and the position of the `\r`. Anything else is None,
/// and the caller takes the general path (which says what is wrong, or waits).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn plain_length(buf: &[u8], type_byte: u8) -> Option<(u64, usize)> {
    // Natively, the commonest lines first: one or two digits (an argument count, a
    // short argument's length), read without the loop.
    #[cfg(not(target_arch = "wasm32"))]
    match *buf {
        [t, d @ b'0'..=b'9', b'\r', _, ..] => {
            return (t == type_byte).then_some((u64::from(d - b'0'), 2));
        }
        [t, d1 @ b'1'..=b'9', d0 @ b'0'..=b'9', b'\r', _, ..] => {
            let n = u64::from(d1 - b'0') * 10 + u64::from(d0 - b'0');
            return (t == type_byte).then_some((n, 3));
        }
        _ => {}
    }
    if buf.first() != Some(&type_byte) {
        return None;
    }
    let mut n = 0u64;
    let mut i = 1;
    while let Some(&d) = buf.get(i) {
        if !d.is_ascii_digit() {
            break;
        }
        if i > 18 || (i == 2 && buf[1] == b'0') {
            return None;
        }
        n = n * 10 + u64::from(d - b'0');
        i += 1;
    }
    (i > 1 && buf.get(i) == Some(&b'\r') && i + 2 <= buf.len()).then_some((n, i))
}

/// `"Protocol error: " + what`, the form of every reply-bearing protocol error.
fn protocol_error(what: &str) -> ProtocolError {
    ProtocolError(format!("Protocol error: {what}"))
}

/// Position of the first `target` in `buf`, as C's `strchr` would see it:
/// a NUL byte ends the search with no match.
fn find_before_nul(buf: &[u8], target: u8) -> Option<usize> {
    buf.iter()
        .position(|&b| b == target || b == 0)
        .filter(|&i| buf[i] == target)
}

/// Position of the first `\r\n` at or after `from`.
fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|i| from + i)
}

/// One byte quoted the way hiredis names an unexpected type byte (`"!"`, `"\r"`, `"\x00"`).
fn quote_byte(b: u8) -> String {
    match b {
        b'\\' | b'"' => format!("\"\\{}\"", char::from(b)),
        b'\n' => "\"\\n\"".to_string(),
        b'\r' => "\"\\r\"".to_string(),
        b'\t' => "\"\\t\"".to_string(),
        0x07 => "\"\\a\"".to_string(),
        0x08 => "\"\\b\"".to_string(),
        0x20..=0x7e => format!("\"{}\"", char::from(b)),
        _ => format!("\"\\x{b:02x}\""),
    }
}

/// `<type><text>\r\n`.
fn push_line(out: &mut Vec<u8>, type_byte: u8, text: &[u8]) {
    out.push(type_byte);
    out.extend_from_slice(text);
    out.extend_from_slice(b"\r\n");
}

/// `<type><count>\r\n`.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn push_header(out: &mut Vec<u8>, type_byte: u8, count: usize) {
    out.push(type_byte);
    push_decimal_u64(out, count as u64);
    out.extend_from_slice(b"\r\n");
}

/// `$<len>\r\n<payload>\r\n`.
fn push_bulk(out: &mut Vec<u8>, payload: &[u8]) {
    push_header(out, b'$', payload.len());
    out.extend_from_slice(payload);
    out.extend_from_slice(b"\r\n");
}

/// Decimal text of `n`, as `%lld` prints it.
fn push_decimal(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    push_decimal_u64(out, n.unsigned_abs());
}

fn push_decimal_u64(out: &mut Vec<u8>, n: u64) {
    if n < 10 {
        out.push(b'0' + n as u8); // most lengths and counts
        return;
    }
    out.extend_from_slice(decimal(n, &mut [0; 20]));
}

/// The decimal digits of `n`, written at the end of `buf`.
pub(crate) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[start..]
}

/// Number of decimal digits of `n`.
fn decimal_len_usize(mut n: usize) -> usize {
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> CommandLimits {
        CommandLimits::default()
    }

    fn master_limits() -> CommandLimits {
        CommandLimits {
            is_master_client: true,
            ..CommandLimits::default()
        }
    }

    fn args(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|a| a.as_bytes().to_vec()).collect()
    }

    fn cmd(buf: &[u8]) -> Result<Parsed<Vec<Vec<u8>>>, ProtocolError> {
        parse_command(buf, &limits())
    }

    fn err(msg: &str) -> Result<Parsed<Vec<Vec<u8>>>, ProtocolError> {
        Err(ProtocolError(msg.to_string()))
    }

    #[test]
    fn command_len_matches_known_offsets() {
        assert_eq!(command_len(&["SELECT", "0"]), 23);
        assert_eq!(command_len(&["SET", "foo", "bar"]), 31);
        assert_eq!(command_len(&["ping"]), 14);
        assert_eq!(command_len(&["REPLCONF", "GETACK", "*"]), 37);
        assert_eq!(command_len(&["MULTI"]), 15);
        assert_eq!(command_len(&["EXEC"]), 14);
        let empty: [&str; 0] = [];
        assert_eq!(command_len(&empty), 4);
    }

    #[test]
    fn encode_command_writes_every_length_the_plain_way() {
        // Counts and lengths of one, two, three and more digits, after bytes already
        // in the buffer (kept).
        for n in [0usize, 1, 9, 10, 99, 100, 999, 1000, 12345] {
            let argv: Vec<Vec<u8>> = (0..n.min(120))
                .map(|i| vec![b'a' + (i % 26) as u8; n])
                .collect();
            let mut want = format!("*{}\r\n", argv.len()).into_bytes();
            for a in &argv {
                want.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
                want.extend_from_slice(a);
                want.extend_from_slice(b"\r\n");
            }
            let mut out = b"before".to_vec();
            encode_command(&argv, &mut out);
            assert_eq!(&out[..6], b"before");
            assert!(out[6..] == want[..], "{n}");
            assert_eq!(command_len(&argv), want.len());
        }
    }

    #[test]
    fn encode_command_exact_bytes() {
        let mut out = Vec::new();
        encode_command(&["SET", "foo", "bar"], &mut out);
        assert_eq!(out, b"*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n");
        out.clear();
        encode_command(&[b"".to_vec(), vec![0u8; 10]], &mut out);
        assert_eq!(
            out,
            b"*2\r\n$0\r\n\r\n$10\r\n\0\0\0\0\0\0\0\0\0\0\r\n".to_vec()
        );
    }

    #[test]
    fn copy_command_gives_what_the_parse_of_the_encoding_gives() {
        let mut rng = crate::rng::Rng::new(0x5eed);
        let mut pool = ArgPool::default();
        for round in 0..2_000 {
            let argc = rng.index(6);
            let argv: Vec<Vec<u8>> = (0..argc)
                .map(|_| {
                    let len = [0, 1, 3, 9, 10, 300][rng.index(6)];
                    (0..len).map(|_| rng.next_u64() as u8).collect()
                })
                .collect();
            let limits = CommandLimits {
                proto_max_bulk_len: [0, 3, 9, 10, 512 << 20][rng.index(5)],
                is_master_client: round % 7 == 0,
            };
            let mut bytes = Vec::new();
            encode_command(&argv, &mut bytes);
            let parsed = parse_command_with(&bytes, &limits, &mut ArgPool::default());
            match copy_command(&argv, &limits, &mut pool) {
                Some(copied) => {
                    assert_eq!(parsed, Ok(Parsed::Done(copied.clone(), bytes.len())));
                    pool.give(copied); // the next round refills a used list
                }
                None => assert!(
                    argv.is_empty() || parsed.is_err(),
                    "declined {argv:?} with {limits:?}"
                ),
            }
        }
    }

    #[test]
    fn encoded_len_is_the_encoding_length() {
        let values = [
            Value::ok(),
            Value::Error("ERR x".into()),
            Value::Integer(0),
            Value::Integer(-7),
            Value::Integer(i64::MIN),
            Value::Integer(i64::MAX),
            Value::Bulk(Vec::new()),
            Value::Bulk(vec![b'x'; 1000]),
            Value::Nil,
            Value::NilArray,
            Value::Array(Vec::new()),
            Value::Array(vec![
                Value::Integer(12),
                Value::Array(vec![Value::Nil, Value::Bulk(b"ab".to_vec())]),
            ]),
        ];
        for v in values {
            assert_eq!(v.encoded_len(), v.to_bytes().len(), "{v:?}");
        }
    }

    #[test]
    fn command_len_equals_encoded_len_for_random_argv() {
        let mut rng = crate::rng::Rng::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..500 {
            let argc = rng.index(15);
            let argv: Vec<Vec<u8>> = (0..argc)
                .map(|_| {
                    let len = [0, 1, 9, 10, 99, 100, 1000][rng.index(7)] + rng.index(3);
                    (0..len).map(|_| rng.next_u64() as u8).collect()
                })
                .collect();
            let mut out = Vec::new();
            encode_command(&argv, &mut out);
            assert_eq!(out.len(), command_len(&argv));
            assert_eq!(cmd(&out), Ok(Parsed::Done(argv.clone(), out.len())));
        }
    }

    #[test]
    fn value_encoding() {
        assert_eq!(Value::ok().to_bytes(), b"+OK\r\n");
        assert_eq!(
            Value::err("ERR syntax error").to_bytes(),
            b"-ERR syntax error\r\n"
        );
        assert_eq!(Value::Integer(-42).to_bytes(), b":-42\r\n");
        assert_eq!(
            Value::Integer(i64::MIN).to_bytes(),
            b":-9223372036854775808\r\n"
        );
        assert_eq!(Value::bulk("bar").to_bytes(), b"$3\r\nbar\r\n");
        assert_eq!(Value::bulk("").to_bytes(), b"$0\r\n\r\n");
        assert_eq!(Value::Nil.to_bytes(), b"$-1\r\n");
        assert_eq!(Value::NilArray.to_bytes(), b"*-1\r\n");
        assert_eq!(Value::Array(vec![]).to_bytes(), b"*0\r\n");
        assert_eq!(
            Value::Array(vec![
                Value::bulk("a"),
                Value::Integer(1),
                Value::Array(vec![Value::Nil])
            ])
            .to_bytes(),
            b"*3\r\n$1\r\na\r\n:1\r\n*1\r\n$-1\r\n"
        );
        assert!(Value::err("ERR x").is_error());
        assert!(!Value::Array(vec![Value::err("ERR x")]).is_error());
        assert_eq!(
            ProtocolError("Protocol error: invalid bulk length".into())
                .to_reply()
                .to_bytes(),
            b"-ERR Protocol error: invalid bulk length\r\n"
        );
    }

    #[test]
    fn parse_value_basics() {
        assert_eq!(parse_value(b""), Ok(Parsed::Incomplete));
        assert_eq!(parse_value(b"+OK\r\n"), Ok(Parsed::Done(Value::ok(), 5)));
        assert_eq!(parse_value(b"+OK\r"), Ok(Parsed::Incomplete));
        assert_eq!(
            parse_value(b"-ERR x\r\n+OK\r\n"),
            Ok(Parsed::Done(Value::err("ERR x"), 8))
        );
        assert_eq!(
            parse_value(b":-7\r\n"),
            Ok(Parsed::Done(Value::Integer(-7), 5))
        );
        assert_eq!(parse_value(b"$-1\r\n"), Ok(Parsed::Done(Value::Nil, 5)));
        assert_eq!(
            parse_value(b"*-1\r\n"),
            Ok(Parsed::Done(Value::NilArray, 5))
        );
        assert_eq!(
            parse_value(b"*0\r\n"),
            Ok(Parsed::Done(Value::Array(vec![]), 4))
        );
        assert_eq!(parse_value(b"$3\r\nfoo\r"), Ok(Parsed::Incomplete));
        assert_eq!(
            parse_value(b"$3\r\nfoo\r\n"),
            Ok(Parsed::Done(Value::bulk("foo"), 9))
        );
        assert_eq!(
            parse_value(b"*2\r\n$3\r\nfoo\r\n:7\r\n"),
            Ok(Parsed::Done(
                Value::Array(vec![Value::bulk("foo"), Value::Integer(7)]),
                17
            ))
        );
        assert_eq!(
            parse_value(b"*2\r\n*1\r\n*0\r\n$-1\r\n"),
            Ok(Parsed::Done(
                Value::Array(vec![Value::Array(vec![Value::Array(vec![])]), Value::Nil]),
                17
            ))
        );
        // A bulk may hold CR and LF.
        assert_eq!(
            parse_value(b"$4\r\n\r\n\r\n\r\n"),
            Ok(Parsed::Done(Value::bulk("\r\n\r\n"), 10))
        );
    }

    #[test]
    fn parse_value_errors_are_hiredis_texts() {
        let e = |m: &str| Err(ProtocolError(m.to_string()));
        assert_eq!(parse_value(b":x\r\n"), e("Bad integer value"));
        assert_eq!(parse_value(b":\r\n"), e("Bad integer value"));
        assert_eq!(parse_value(b"$x\r\n"), e("Bad bulk string length"));
        assert_eq!(
            parse_value(b"$-2\r\n"),
            e("Bulk string length out of range")
        );
        assert_eq!(parse_value(b"*01\r\n"), e("Bad multi-bulk length"));
        assert_eq!(
            parse_value(b"*2147483648\r\n"),
            e("Multi-bulk length out of range")
        );
        assert_eq!(
            parse_value(b"!x\r\n"),
            e("Protocol error, got \"!\" as reply type byte")
        );
        assert_eq!(
            parse_value(b"\r\n"),
            e("Protocol error, got \"\\r\" as reply type byte")
        );
        assert_eq!(
            parse_value(b"\x00\r\n"),
            e("Protocol error, got \"\\x00\" as reply type byte")
        );
        // A huge bulk never completes rather than overflowing.
        assert_eq!(
            parse_value(b"$9223372036854775807\r\nabc"),
            Ok(Parsed::Incomplete)
        );
    }

    #[test]
    fn parse_value_depth_is_bounded() {
        let deep = b"*1\r\n".repeat(MAX_REPLY_DEPTH + 1);
        assert!(parse_value(&deep).is_err());
        let mut ok = b"*1\r\n".repeat(MAX_REPLY_DEPTH);
        assert_eq!(parse_value(&ok), Ok(Parsed::Incomplete));
        ok.extend_from_slice(b":1\r\n");
        assert!(matches!(parse_value(&ok), Ok(Parsed::Done(_, n)) if n == ok.len()));
    }

    #[test]
    fn parse_value_round_trips_random_values() {
        fn random_value(rng: &mut crate::rng::Rng, depth: usize) -> Value {
            match rng.index(if depth > 3 { 5 } else { 7 }) {
                0 => Value::Simple(["OK", "QUEUED", "", "FULLRESYNC x 0"][rng.index(4)].into()),
                1 => Value::err(["ERR x", "WRONGTYPE y", "-"][rng.index(3)]),
                2 => Value::Integer(rng.next_u64() as i64 >> rng.index(64)),
                3 => Value::Bulk((0..rng.index(20)).map(|_| rng.next_u64() as u8).collect()),
                4 => Value::Nil,
                5 => Value::NilArray,
                _ => Value::Array(
                    (0..rng.index(12))
                        .map(|_| random_value(rng, depth + 1))
                        .collect(),
                ),
            }
        }
        let mut rng = crate::rng::Rng::new(12345);
        for _ in 0..1000 {
            let v = random_value(&mut rng, 0);
            let bytes = v.to_bytes();
            assert_eq!(
                parse_value(&bytes),
                Ok(Parsed::Done(v.clone(), bytes.len()))
            );
            for cut in 0..bytes.len() {
                assert_eq!(parse_value(&bytes[..cut]), Ok(Parsed::Incomplete));
            }
        }
    }

    #[test]
    fn multibulk_parsing() {
        assert_eq!(cmd(b""), Ok(Parsed::Incomplete));
        assert_eq!(
            cmd(b"*1\r\n$4\r\nPING\r\n"),
            Ok(Parsed::Done(args(&["PING"]), 14))
        );
        assert_eq!(cmd(b"*1\r\n$4\r\nPING\r"), Ok(Parsed::Incomplete));
        assert_eq!(cmd(b"*1\r\n$4\r"), Ok(Parsed::Incomplete));
        assert_eq!(cmd(b"*1\r"), Ok(Parsed::Incomplete));
        // Counts of zero or less are consumed and run nothing.
        assert_eq!(cmd(b"*0\r\nPING\r\n"), Ok(Parsed::Done(vec![], 4)));
        assert_eq!(cmd(b"*-5\r\nPING\r\n"), Ok(Parsed::Done(vec![], 5)));
        // Observed on redis-server 7.0.15: the bytes after a bulk and after a
        // line's '\r' are skipped unchecked ("PINGxx" and "*1\rX" both PONG).
        assert_eq!(
            cmd(b"*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n"),
            Ok(Parsed::Done(args(&["PING"]), 14))
        );
        assert_eq!(
            cmd(b"*1\rX$4\r\nPING\r\n"),
            Ok(Parsed::Done(args(&["PING"]), 14))
        );
        // ... and "$4\r\r\nPING" runs " PIN" (redis-server: unknown command ' PIN').
        assert_eq!(
            cmd(b"*1\r\n$4\r\r\nPING\r\n"),
            Ok(Parsed::Done(vec![b"\nPIN".to_vec()], 14))
        );
        // NUL inside a bulk payload is data.
        assert_eq!(
            cmd(b"*2\r\n$4\r\nECHO\r\n$2\r\na\x00\r\n"),
            Ok(Parsed::Done(vec![b"ECHO".to_vec(), b"a\x00".to_vec()], 22))
        );
    }

    #[test]
    fn protocol_errors_match_redis_7_0_15() {
        // Each reply below was read back from redis-server 7.0.15 (without
        // the "-ERR " prefix and CRLF).
        assert_eq!(
            cmd(b"*1\r\n$x\r\n"),
            err("Protocol error: invalid bulk length")
        );
        assert_eq!(
            cmd(b"*x\r\n"),
            err("Protocol error: invalid multibulk length")
        );
        assert_eq!(
            cmd(b"*1\r\n\r\n"),
            err("Protocol error: expected '$', got ' '")
        );
        assert_eq!(
            cmd(b"*1\r\nfoo\r\n"),
            err("Protocol error: expected '$', got 'f'")
        );
        assert_eq!(
            cmd(b"*1\r\n:3\r\n"),
            err("Protocol error: expected '$', got ':'")
        );
        assert_eq!(
            cmd(b"*1\r\n\xff\r\n"),
            err("Protocol error: expected '$', got '\u{ff}'")
        );
        assert_eq!(
            cmd(b"PING \"a\r\n"),
            err("Protocol error: unbalanced quotes in request")
        );
        assert_eq!(
            cmd(b"\"a\"b\r\n"),
            err("Protocol error: unbalanced quotes in request")
        );
        assert_eq!(
            cmd(b"ECHO \"a\"\"b\"\r\n"),
            err("Protocol error: unbalanced quotes in request")
        );
        assert_eq!(
            cmd(b"ECHO \"ab\\\r\n"),
            err("Protocol error: unbalanced quotes in request")
        );
        assert_eq!(
            cmd(b"*1\r\n$-1\r\n"),
            err("Protocol error: invalid bulk length")
        );
        assert_eq!(
            cmd(b"*3000000000\r\n"),
            err("Protocol error: invalid multibulk length")
        );
        assert_eq!(
            cmd(b"*01\r\n"),
            err("Protocol error: invalid multibulk length")
        );
        assert_eq!(
            cmd(b"*1\r\n$04\r\nPING\r\n"),
            err("Protocol error: invalid bulk length")
        );
        assert_eq!(
            cmd(b"*1\r\n$+4\r\nPING\r\n"),
            err("Protocol error: invalid bulk length")
        );
        assert_eq!(
            cmd(b"*1\r\n$5000000000\r\n"),
            err("Protocol error: invalid bulk length")
        );
        assert_eq!(
            cmd(b"*1\r\n$536870913\r\n"),
            err("Protocol error: invalid bulk length")
        );
        assert_eq!(cmd(b"*1\r\n$536870912\r\n"), Ok(Parsed::Incomplete));
        // The master client has no bulk limit.
        assert_eq!(
            parse_command(b"*1\r\n$5000000000\r\nabc", &master_limits()),
            Ok(Parsed::Incomplete)
        );
        assert_eq!(
            parse_command(b"*1\r\n$9223372036854775807\r\nabc", &master_limits()),
            Ok(Parsed::Incomplete)
        );
        let tight = CommandLimits {
            proto_max_bulk_len: 3,
            is_master_client: false,
        };
        assert_eq!(
            parse_command(b"*1\r\n$4\r\nPING\r\n", &tight),
            err("Protocol error: invalid bulk length")
        );
    }

    #[test]
    fn size_limits_and_nul_quirk() {
        // Observed: 65536 unterminated bytes wait, 65537 are rejected.
        assert_eq!(cmd(&[b'A'; MAX_INLINE_LEN_BYTES]), Ok(Parsed::Incomplete));
        assert_eq!(
            cmd(&[b'A'; MAX_INLINE_LEN_BYTES + 1]),
            err("Protocol error: too big inline request")
        );
        let mut mbulk = b"*1".to_vec();
        mbulk.resize(mbulk.len() + 65540, b'1');
        assert_eq!(
            cmd(&mbulk),
            err("Protocol error: too big mbulk count string")
        );
        let mut bulk = b"*1\r\n$".to_vec();
        bulk.resize(bulk.len() + 65540, b'1');
        assert_eq!(cmd(&bulk), err("Protocol error: too big bulk count string"));
        // Observed: a NUL before the line end leaves the request hanging.
        assert_eq!(cmd(b"PING\x00\r\nPING\r\n"), Ok(Parsed::Incomplete));
        assert_eq!(cmd(b"*1\x00\r\n$4\r\nPING\r\n"), Ok(Parsed::Incomplete));
        assert_eq!(cmd(b"*1\r\n\x00$4\r\nPING\r\n"), Ok(Parsed::Incomplete));
        let mut nul_then_long = b"PING\x00".to_vec();
        nul_then_long.resize(nul_then_long.len() + 70000, b'x');
        nul_then_long.extend_from_slice(b"\r\n");
        assert_eq!(
            cmd(&nul_then_long),
            err("Protocol error: too big inline request")
        );
    }

    #[test]
    fn inline_parsing() {
        assert_eq!(cmd(b"\r\n"), Ok(Parsed::Done(vec![], 2)));
        assert_eq!(cmd(b"\n"), Ok(Parsed::Done(vec![], 1)));
        assert_eq!(cmd(b"   \r\nPING\n"), Ok(Parsed::Done(vec![], 5)));
        assert_eq!(cmd(b"PING\n"), Ok(Parsed::Done(args(&["PING"]), 5)));
        assert_eq!(cmd(b"PING"), Ok(Parsed::Incomplete));
        assert_eq!(cmd(b"PING\r"), Ok(Parsed::Incomplete));
        assert_eq!(
            cmd(b"SET k \"a b\"\r\n"),
            Ok(Parsed::Done(args(&["SET", "k", "a b"]), 13))
        );
        // Observed replies: $5 "Ax4g\n", "ab c", "a\vb", "a".
        assert_eq!(
            cmd(b"ECHO \"\\x41\\x4g\\n\"\r\n"),
            Ok(Parsed::Done(vec![b"ECHO".to_vec(), b"Ax4g\n".to_vec()], 19))
        );
        assert_eq!(
            cmd(b"ECHO a\"b c\"\r\n"),
            Ok(Parsed::Done(args(&["ECHO", "ab c"]), 13))
        );
        assert_eq!(
            cmd(b"ECHO a\x0bb\r\n"),
            Ok(Parsed::Done(vec![b"ECHO".to_vec(), b"a\x0bb".to_vec()], 10))
        );
        assert_eq!(
            cmd(b"ECHO a\r\r\n"),
            Ok(Parsed::Done(args(&["ECHO", "a"]), 9))
        );
        // Observed: "wrong number of arguments", i.e. three arguments.
        assert_eq!(
            cmd(b"ECHO 'a\\'b' x\r\n"),
            Ok(Parsed::Done(args(&["ECHO", "a'b", "x"]), 15))
        );
        assert_eq!(
            cmd(b"SET \"\\t\\r\\b\\a\\q\\\\\" ''\n"),
            Ok(Parsed::Done(
                vec![b"SET".to_vec(), b"\t\r\x08\x07q\\".to_vec(), vec![]],
                22
            ))
        );
        assert_eq!(
            cmd(b"'a'b\n"),
            err("Protocol error: unbalanced quotes in request")
        );
        assert_eq!(
            cmd(b"'a\n"),
            err("Protocol error: unbalanced quotes in request")
        );
    }

    #[test]
    fn master_client_inline() {
        let m = master_limits();
        assert_eq!(parse_command(b"\n", &m), Ok(Parsed::Done(vec![], 1)));
        assert_eq!(parse_command(b"\r\n", &m), Ok(Parsed::Done(vec![], 2)));
        assert_eq!(
            parse_command(b"PING\r\n", &m),
            Err(ProtocolError(MASTER_INLINE_ERROR.into()))
        );
        assert_eq!(
            parse_command(b" \r\n", &m),
            Err(ProtocolError(MASTER_INLINE_ERROR.into()))
        );
        // Quotes are checked first.
        assert_eq!(
            parse_command(b"\"\n", &m),
            err("Protocol error: unbalanced quotes in request")
        );
    }

    /// Split a stream into commands, feeding it `chunk_len` bytes at a time.
    fn drain(stream: &[u8], chunk_len: usize, limits: &CommandLimits) -> Vec<Vec<Vec<u8>>> {
        let mut pending: Vec<u8> = Vec::new();
        let mut commands = Vec::new();
        for chunk in stream.chunks(chunk_len) {
            pending.extend_from_slice(chunk);
            while let Parsed::Done(argv, used) = parse_command(&pending, limits).unwrap() {
                assert!(used > 0 && used <= pending.len());
                commands.push(argv);
                pending.drain(..used);
            }
        }
        assert!(pending.is_empty());
        commands
    }

    #[test]
    fn byte_by_byte_equals_all_at_once() {
        let mut rng = crate::rng::Rng::new(77);
        let mut stream = Vec::new();
        for i in 0..300 {
            match rng.index(4) {
                0 => stream.extend_from_slice(b"PING\r\n"),
                1 => stream.extend_from_slice(b"SET \"k\\x00\" 'v w'  x\n"),
                2 => stream.extend_from_slice(b"\n"),
                _ => {
                    let argv: Vec<Vec<u8>> = (0..1 + rng.index(4))
                        .map(|_| (0..rng.index(40)).map(|_| rng.next_u64() as u8).collect())
                        .collect();
                    encode_command(&argv, &mut stream);
                }
            }
            if i % 50 == 0 {
                stream.extend_from_slice(b"*0\r\n");
            }
        }
        let at_once = drain(&stream, stream.len(), &limits());
        assert_eq!(at_once.len(), 306);
        for chunk_len in [1, 2, 3, 7, 64] {
            assert_eq!(drain(&stream, chunk_len, &limits()), at_once);
        }
    }

    #[test]
    fn fuzz_never_panics_and_prefixes_agree() {
        const ALPHABET: &[u8] = b"*$+-:\r\n\r\n0123456789-\"'\\x  aZ\x00\xff\x0b";
        let mut rng = crate::rng::Rng::new(0xdead_beef);
        let mut seeds: Vec<Vec<u8>> = Vec::new();
        for _ in 0..3000 {
            let input: Vec<u8> = match rng.index(3) {
                0 => (0..rng.index(48))
                    .map(|_| ALPHABET[rng.index(ALPHABET.len())])
                    .collect(),
                1 => (0..rng.index(48)).map(|_| rng.next_u64() as u8).collect(),
                _ => {
                    // A valid encoding with a few bytes mutated.
                    let mut b = Vec::new();
                    encode_command(&[b"SET".as_slice(), b"key", b"va\r\nl"], &mut b);
                    Value::Array(vec![Value::Integer(3), Value::bulk("x")]).encode(&mut b);
                    for _ in 0..1 + rng.index(3) {
                        let i = rng.index(b.len());
                        b[i] = ALPHABET[rng.index(ALPHABET.len())];
                    }
                    b.truncate(rng.index(b.len() + 1));
                    b
                }
            };
            seeds.push(input);
        }
        for input in &seeds {
            for limits in [limits(), master_limits()] {
                let full = parse_command(input, &limits);
                if let Ok(Parsed::Done(_, n)) = &full {
                    assert!(*n > 0 && *n <= input.len(), "{input:?}");
                }
                for cut in 0..input.len() {
                    let part = parse_command(&input[..cut], &limits);
                    assert!(
                        part == Ok(Parsed::Incomplete) || part == full,
                        "prefix {cut} of {input:?}: {part:?} vs {full:?}"
                    );
                }
            }
            let full = parse_value(input);
            if let Ok(Parsed::Done(_, n)) = &full {
                assert!(*n > 0 && *n <= input.len());
            }
            for cut in 0..input.len() {
                let part = parse_value(&input[..cut]);
                assert!(part == Ok(Parsed::Incomplete) || part == full);
            }
        }
    }

    /// The one-pass length reader agrees with the general one (find the `\r`, then
    /// `string2ll`) wherever it answers, and declines whatever is not plain.
    #[test]
    fn plain_length_agrees_with_the_general_reader() {
        let bodies: [&[u8]; 16] = [
            b"0",
            b"7",
            b"10",
            b"123",
            b"01",
            b"00",
            b"-1",
            b"+5",
            b"",
            b"1a",
            b"1 ",
            b"999999999999999999",
            b"9999999999999999999",
            b"18446744073709551616",
            b"4\x00",
            b"20",
        ];
        for body in bodies {
            for tail in [&b"\r\n"[..], b"\r", b"", b"\n"] {
                let mut line = vec![b'$'];
                line.extend_from_slice(body);
                line.extend_from_slice(tail);
                let general = find_before_nul(&line, b'\r')
                    .filter(|&end| end + 2 <= line.len())
                    .and_then(|end| Some((string2ll(&line[1..end])?, end)))
                    .filter(|&(n, _)| n >= 0)
                    .map(|(n, end)| (n as u64, end));
                match plain_length(&line, b'$') {
                    Some(fast) => assert_eq!(Some(fast), general, "{line:?}"),
                    None => assert!(
                        general.is_none() || body.len() > 18,
                        "declined a plain length: {line:?}"
                    ),
                }
            }
        }
        assert_eq!(plain_length(b"*3\r\n", b'$'), None);
        assert_eq!(plain_length(b"*3\r\n", b'*'), Some((3, 2)));
    }
}
