//! Parsing scenario text into [`Scenario`] statements.
//!
//! The contract is `docs/scenario-format.md` (with this repository's extensions); the
//! lexical rules live in
//! [`lexer`](crate::scenario::lexer). This module adds the grammar of each statement,
//! the value syntaxes (durations, sizes, rates) and the rules the contract leaves
//! open, decided here:
//!
//! - **Lines.** A file is split on `\n` (a `\r` before it is dropped); line numbers
//!   are 1-based and a leading byte-order mark is ignored. [`parse_statement`] takes
//!   one line; a trailing newline is dropped, a newline inside is an error.
//! - **Syntax words are unquoted.** Statement verbs, `NAME>`, `sync`, `=>` and the
//!   comparison operators are recognised only when not quoted: quoting makes a word
//!   data (`"=>"` is an argument). Verbs are lowercase.
//! - **Node names** match `[A-Za-z][A-Za-z0-9_-]{0,31}` and are case-sensitive, but two
//!   names that differ only in case may not both be declared (`M` next to `m` is
//!   surely a typo). A node is declared by a `node` line before any statement names
//!   it; declaring it twice is an error.
//! - **`seed N`**: a decimal `u64`, at most once, before the first `node` line.
//! - **`node NAME key=value ...`**: each parameter splits at its first `=` (after
//!   quotes are resolved, so `save="3600 1"` and `"save=3600 1"` are the same); the
//!   key may not be empty, the value may (`save=""`). Keys and values must be UTF-8
//!   (a `\xHH` escape could make them otherwise), so a [`Param`] holds them exactly.
//!   A key may appear once (compared ignoring ASCII case, as Redis's config does).
//!   The parser does not know which parameters exist, and `replicaof=OTHER` is an
//!   ordinary parameter: the runner resolves it.
//! - **`link A B [latency=DUR] [bandwidth=RATE]`**: A and B differ; the options come
//!   in any order, each at most once; the bandwidth must be above 0 (a latency of 0
//!   is allowed). The other pair statements (`disconnect`, `reconnect`, `partition`,
//!   `heal`) also need two different nodes.
//! - **`NAME> COMMAND ...`**: the first token is `NAME>` followed by whitespace (`m>SET`
//!   is an error that says so); at least one argument follows. Arguments are passed
//!   through as bytes, `REPLICAOF OTHER` included.
//! - **`expect NAME> COMMAND ... => REPLY`**: the command runs until the first
//!   unquoted `=>` token; everything after it is raw text, not tokenized (Redis error
//!   replies hold apostrophes such as `'foo',` that would be unbalanced quotes). In
//!   that raw text `#` starts a comment only outside double quotes, the quotes of
//!   `redis-cli`'s printed strings (with `\` escapes); single quotes are ordinary
//!   characters there. The rest is trimmed and may not be empty.
//! - **`expect NAME FIELD OP VALUE`**: exactly four words. FIELD consists of ASCII
//!   letters, digits and `_ - . |` (Redis 7 has fields like `cmdstat_client|list`).
//!   An unquoted VALUE is `OTHER.FIELD` when the part before its first `.` is a
//!   declared node, else a literal (`1.5` stays a literal); a quoted VALUE is always a
//!   literal. Literals must be UTF-8.
//! - **`wait DUR`** allows `0ms`.
//! - **Values**: see [`parse_duration_us`], [`parse_size_bytes`] and
//!   [`parse_rate_bits_per_sec`]. Numbers are plain decimal digits (no sign, no
//!   fraction); a number that overflows `u64` is an error, never wrapped.
//!
//! Errors name the 1-based line and character column: of the offending token, or,
//! when something is missing, of the position just after the line's last token.
//! Lexer errors (unbalanced quotes) point at the quote or at the character that
//! follows a closing quote. No input panics.
//!
//! ```text
//! line 3, column 6: unknown node 'r2' (declared: m, r1)
//! ```

use std::collections::BTreeMap;
use std::fmt;

use crate::scenario::ast::{CmpOp, Operand, Param, Scenario, Stmt, StmtKind};
use crate::scenario::lexer::{column_at, LexError, Lexer, Token};
use crate::version::Version;

/// Why a scenario (or a console line) cannot be parsed.
///
/// Displayed as `line 3, column 7: unknown statement 'fo'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    /// What is wrong, e.g. `unknown statement 'fo'`.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.col, self.message
        )
    }
}

impl std::error::Error for ParseError {}

/// Parses a whole scenario.
///
/// # Errors
///
/// The first [`ParseError`] in the text: unknown statement, wrong number of
/// arguments, bad name, duration, size or rate, unknown or redeclared node,
/// misplaced `seed`, unbalanced quotes.
///
/// ```text
/// node m            ->  Stmt { line: 1, kind: Node { name: "m", params: [] } }
/// m> SET foo bar    ->  Stmt { line: 2, kind: Command { node: "m", argv: [SET, foo, bar] } }
/// ```
pub fn parse_scenario(text: &str) -> Result<Scenario, ParseError> {
    // Editors on Windows like to start files with a byte-order mark; it is not part
    // of the first statement.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser::default();
    let mut statements = Vec::new();
    for (index, line) in text.lines().enumerate() {
        match parser.statement(line, index + 1) {
            Ok(Some(stmt)) => statements.push(stmt),
            Ok(None) => {}
            Err(e) => return Err(cr_hint(line, e)),
        }
    }
    Ok(Scenario { statements })
}

/// A carriage return inside a line is whitespace; when such a line does not parse,
/// the file most likely has CR-only line endings: the error says so.
fn cr_hint(line: &str, mut e: ParseError) -> ParseError {
    if line.trim_end_matches('\r').contains('\r') {
        e.message
            .push_str(" (bare carriage returns: CR-only line endings? Use LF or CRLF)");
    }
    e
}

/// A scenario read to be played once, as `replscope run` plays it: the statements of
/// [`parse_scenario`], in the same order, except that a plain `NAME> COMMAND ARG ...`
/// line (printable ASCII and spaces, no quote, backslash or `#`: most lines of a long
/// run) stays a place in the text, read again when it runs ([`plain_words`]), rather
/// than becoming a [`Stmt`] of its own (six allocations, and memory for the whole run).
#[derive(Debug, Default)]
pub struct Script {
    /// Every statement, in file order.
    pub steps: Vec<Step>,
    /// The statements that are not plain commands, in file order (`seed` and `node`
    /// lines are always here).
    pub parsed: Scenario,
}

/// One statement of a [`Script`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A plain `NAME> COMMAND ARG ...` line: its number and its bytes
    /// `text[start..end]` in the text given to [`read_script`] (without the newline).
    Plain {
        /// 1-based line number.
        line: usize,
        /// Byte offset of the line's first byte.
        start: usize,
        /// Byte offset just past its last byte.
        end: usize,
    },
    /// `parsed.statements[i]`.
    Parsed(usize),
}

/// Reads a scenario as [`parse_scenario`] does (the same errors), for playing it once.
///
/// Lines are split as `str::lines` splits them (a `\r` before a `\n` is dropped),
/// in one pass over the bytes that finds where a line ends and whether it is plain.
///
/// # Errors
///
/// Those of [`parse_scenario`].
pub fn read_script(text: &str) -> Result<Script, ParseError> {
    let mut script = Script::default();
    // A byte-order mark is not part of the first statement (as in parse_scenario).
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let bytes = text.as_bytes();
    let mut parser = Parser::default();
    let mut number = 0;
    // `NAME> ` starting the last plain line (when no blank came before it): a line
    // that starts the same names the same declared node, and is plain when a word
    // follows. Most lines of a long run are this.
    let mut prompt: Option<&[u8]> = None;
    while start < bytes.len() {
        number += 1;
        let mut end = start;
        while end < bytes.len() && PLAIN[usize::from(bytes[end])] {
            end += 1;
        }
        let plain = end == bytes.len() || bytes[end] == b'\n';
        if !plain {
            end += bytes[end..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(bytes.len() - end);
        }
        let next = end + 1;
        if end < bytes.len() && end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &text[start..end];
        let same_prompt = |p: &[u8]| {
            let b = line.as_bytes();
            b.starts_with(p) && b[p.len()..].iter().any(|&c| c != b' ')
        };
        if plain && (prompt.is_some_and(same_prompt) || parser.is_plain_command(line)) {
            let b = line.as_bytes();
            prompt = match b.iter().position(|&c| c == b' ') {
                // Not `..=i`: a second user of that slice index kept LLVM from
                // inlining it into missing_space, 32 bytes more in the page's wasm.
                Some(i) if i > 0 => Some(&b[..i + 1]),
                _ => None,
            };
            script.steps.push(Step::Plain {
                line: number,
                start,
                end,
            });
        } else {
            match parser.statement(line, number) {
                Ok(Some(stmt)) => {
                    let i = script.parsed.statements.len();
                    script.steps.push(Step::Parsed(i));
                    script.parsed.statements.push(stmt);
                }
                Ok(None) => {}
                Err(e) => return Err(cr_hint(line, e)),
            }
        }
        start = next;
    }
    Ok(script)
}

/// The words of a plain command line, as `Parser::plain_command` reads them: split
/// at spaces. The first is `NAME>`.
pub fn plain_words(line: &str) -> impl Iterator<Item = &[u8]> {
    line.as_bytes()
        .split(|&b| b == b' ')
        .filter(|w| !w.is_empty())
}

/// Whether a byte may appear in a plain command line (see [`Parser::plain_command`]):
/// printable ASCII and space, but no quote, backslash or `#`.
const fn plain_byte(b: u8) -> bool {
    matches!(b, b' '..=b'~') && !matches!(b, b'"' | b'\'' | b'\\' | b'#')
}

/// [`plain_byte`] as a table, for [`read_script`]'s pass over a long scenario (one
/// load per byte against several comparisons).
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = plain_byte(b as u8);
        b += 1;
    }
    t
};

/// Parses one statement typed into the page console.
///
/// `known_nodes` are the nodes already declared; `line_no` is the number reported in
/// errors and stored in the statement. A trailing `\n` or `\r\n` is dropped.
/// Returns `Ok(None)` for a blank or comment-only line.
///
/// The console has no memory of earlier `seed` lines: `seed` is accepted while
/// `known_nodes` is empty, and the caller decides whether a second one is allowed.
///
/// # Errors
///
/// As [`parse_scenario`], and a newline inside `line`.
pub fn parse_statement(
    line: &str,
    line_no: usize,
    known_nodes: &[String],
) -> Result<Option<Stmt>, ParseError> {
    // Drop the newline the way `str::lines` does for a scenario file.
    let line = match line.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => line,
    };
    if let Some(at) = line.find('\n') {
        return Err(ParseError {
            line: line_no,
            col: column_at(line, at),
            message: "one statement per line: this one continues after a newline".to_string(),
        });
    }
    // A plain command (a write of the page's load, replayed at each seek) is read
    // without making a parser and declaring every node in it.
    if let Some(kind) = plain_command(line, known_nodes) {
        return Ok(Some(Stmt {
            line: line_no,
            text: line.to_string(),
            kind,
        }));
    }
    let mut parser = Parser::default();
    for name in known_nodes {
        parser.nodes.declare(name);
    }
    parser.statement(line, line_no)
}

/// [`Parser::plain_command`] to one of `nodes` (only valid names are ever declared:
/// found means valid).
fn plain_command(text: &str, nodes: &[String]) -> Option<StmtKind> {
    if !text.as_bytes().iter().all(|&b| plain_byte(b)) {
        return None;
    }
    let mut words = plain_words(text);
    let name = words.next()?.strip_suffix(b">")?;
    let node = nodes.iter().find(|n| n.as_bytes() == name)?.clone();
    let argv: Vec<Vec<u8>> = words.map(<[u8]>::to_vec).collect();
    (!argv.is_empty()).then_some(StmtKind::Command { node, argv })
}

/// Parses a duration: decimal digits, then the unit `us` (an extension of the
/// contract), `ms`, `s` or `m`, in microseconds.
///
/// The unit is required and lowercase (`1M` looks like a size). Returns `None` for
/// anything else, including a result that overflows `u64`.
///
/// ```text
/// 250ms -> 250_000    2s -> 2_000_000    1m -> 60_000_000    5 -> None
/// ```
pub fn parse_duration_us(s: &str) -> Option<u64> {
    let (number, unit) = split_number(s)?;
    let unit_us = match unit {
        // Extension (docs/scenario-format.md): microseconds, so an exported
        // session replays at exactly the instants its actions happened.
        "us" => 1,
        "ms" => 1_000,
        "s" => 1_000_000,
        "m" => 60_000_000,
        _ => return None,
    };
    number.checked_mul(unit_us)
}

/// Parses a size as `redis.conf` does (`memtoull`), in bytes: decimal digits, then
/// optionally a unit, case-insensitive: `b`, `k` (1000), `kb` (1024), `m` (1000²),
/// `mb` (1024²), `g` (1000³), `gb` (1024³). A bare number is bytes.
///
/// Unlike Redis, at least one digit is required (Redis reads `""` and `kb` as 0).
/// Returns `None` for anything else or on overflow.
///
/// ```text
/// 16kb -> 16_384    16k -> 16_000    1MB -> 1_048_576    512 -> 512
/// ```
pub fn parse_size_bytes(s: &str) -> Option<u64> {
    let (number, unit) = split_number(s)?;
    const UNITS: [(&str, u64); 7] = [
        ("b", 1),
        ("k", 1_000),
        ("kb", 1_024),
        ("m", 1_000_000),
        ("mb", 1_048_576),
        ("g", 1_000_000_000),
        ("gb", 1_073_741_824),
    ];
    let unit_bytes = if unit.is_empty() {
        1
    } else {
        UNITS
            .iter()
            .find(|(name, _)| unit.eq_ignore_ascii_case(name))?
            .1
    };
    number.checked_mul(unit_bytes)
}

/// Parses a rate, in bits per second: either a size per second ([`parse_size_bytes`],
/// bytes, times 8) or decimal digits with `bit`, `kbit`, `mbit` or `gbit` (powers of
/// 1000, as networks count). Case-insensitive; an optional `/s` may follow either
/// form.
///
/// Returns `None` for anything else or on overflow. Zero is a valid rate here; the
/// `link` statement rejects it.
///
/// ```text
/// 10mbit -> 10_000_000    1gbit/s -> 1_000_000_000    10mb/s -> 83_886_080    10k -> 80_000
/// ```
pub fn parse_rate_bits_per_sec(s: &str) -> Option<u64> {
    let s = strip_suffix_ignore_case(s, "/s").unwrap_or(s);
    const BIT_UNITS: [(&str, u64); 4] = [
        ("bit", 1),
        ("kbit", 1_000),
        ("mbit", 1_000_000),
        ("gbit", 1_000_000_000),
    ];
    let (number, unit) = split_number(s)?;
    if let Some((_, unit_bits)) = BIT_UNITS
        .iter()
        .find(|(name, _)| unit.eq_ignore_ascii_case(name))
    {
        return number.checked_mul(*unit_bits);
    }
    parse_size_bytes(s)?.checked_mul(8)
}

/// Splits leading decimal digits (at least one) from the unit after them.
fn split_number(s: &str) -> Option<(u64, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    // Only ASCII digits precede `digits`, so it is a char boundary.
    let (number, unit) = s.split_at(digits);
    Some((number.parse().ok()?, unit))
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let (head, tail) = (s.get(..cut)?, s.get(cut..)?);
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}

/// Whether `name` is a valid node name: `[A-Za-z][A-Za-z0-9_-]{0,31}`.
fn is_node_name(name: &[u8]) -> bool {
    match name.split_first() {
        Some((first, rest)) => {
            first.is_ascii_alphabetic()
                && rest.len() <= 31
                && rest
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        }
        None => false,
    }
}

/// Whether `field` is a plausible `INFO` field name (see the module docs).
fn is_info_field(field: &[u8]) -> bool {
    !field.is_empty()
        && field
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'|'))
}

/// The name in a `NAME>` token: unquoted, ending in `>`, with something before it.
fn prompt_name(token: &Token) -> Option<&[u8]> {
    match token.bytes.split_last() {
        Some((b'>', name)) if !token.quoted && !name.is_empty() => Some(name),
        _ => None,
    }
}

/// For a token like `m>SET` (a prompt with the space forgotten), the byte index of
/// the `>`.
fn glued_prompt(token: &Token) -> Option<usize> {
    if token.quoted {
        return None;
    }
    let at = token.bytes.iter().position(|b| *b == b'>')?;
    // `m>=1` is a glued comparison, not a glued prompt.
    let next = token.bytes.get(at + 1)?;
    (is_node_name(&token.bytes[..at]) && *next != b'=').then_some(at)
}

/// Whitespace as the lexer sees it between tokens.
fn is_blank_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
}

/// Cuts a comment off the raw reply text after `=>`: `#` outside double quotes.
fn strip_reply_comment(tail: &str) -> &str {
    let bytes = tail.as_bytes();
    let mut in_quotes = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // redis-cli escapes `"` and `\` inside its quoted strings.
            b'\\' if in_quotes => i += 1,
            b'"' => in_quotes = !in_quotes,
            b'#' if !in_quotes => return &tail[..i],
            _ => {}
        }
        i += 1;
    }
    tail
}

/// The words that start a statement (besides `NAME>`).
const VERBS: [&str; 15] = [
    "seed",
    "version",
    "node",
    "link",
    "wait",
    "disconnect",
    "reconnect",
    "partition",
    "heal",
    "lose",
    "crash",
    "restart",
    "start",
    "expect",
    "send",
];

fn s_is_digits(t: &Token) -> bool {
    !t.bytes.is_empty() && t.bytes.iter().all(u8::is_ascii_digit)
}

/// The declared nodes, with lookups that stay fast however many there are (a
/// share link is untrusted input).
///
/// A few names (every real cluster, and each console line the page parses with the
/// nodes it knows) are searched in `order` directly: no map is built. Past
/// [`Nodes::SCAN_MAX`] names, maps index them. Both maps have the type a hash's fields
/// use (`BTreeMap<Vec<u8>, Vec<u8>>`): every distinct B-tree type adds several
/// kilobytes to the WebAssembly the page downloads.
#[derive(Debug, Default)]
struct Nodes {
    /// Names in declaration order, for listing them in hints.
    order: Vec<String>,
    /// The same names, for exact lookups (the values are empty); built past `SCAN_MAX`.
    exact: BTreeMap<Vec<u8>, Vec<u8>>,
    /// ASCII-lowercased name to the first declared name of that spelling; built past
    /// `SCAN_MAX`.
    folded: BTreeMap<Vec<u8>, Vec<u8>>,
}

/// A name stored in [`Nodes`] (always valid UTF-8: it came from a `&str`).
fn stored(name: &[u8]) -> &str {
    std::str::from_utf8(name).unwrap_or_default()
}

impl Nodes {
    /// Most names searched one by one.
    const SCAN_MAX: usize = 16;

    fn indexed(&self) -> bool {
        self.order.len() > Self::SCAN_MAX
    }

    fn declare(&mut self, name: &str) {
        if self.contains(name) {
            return;
        }
        self.order.push(name.to_string());
        if self.order.len() == Self::SCAN_MAX + 1 {
            let order = std::mem::take(&mut self.order);
            for n in &order {
                self.index(n);
            }
            self.order = order;
        } else if self.indexed() {
            self.index(name);
        }
    }

    fn index(&mut self, name: &str) {
        self.exact.insert(name.as_bytes().to_vec(), Vec::new());
        self.folded
            .entry(name.to_ascii_lowercase().into_bytes())
            .or_insert_with(|| name.as_bytes().to_vec());
    }

    fn contains(&self, name: &str) -> bool {
        self.find_bytes(name.as_bytes()).is_some()
    }

    /// The declared name spelled exactly as `name`, if any.
    fn find_bytes(&self, name: &[u8]) -> Option<&str> {
        if self.indexed() {
            return self.exact.get_key_value(name).map(|(k, _)| stored(k));
        }
        self.order
            .iter()
            .find(|n| n.as_bytes() == name)
            .map(String::as_str)
    }

    /// A declared name equal to `name` when ASCII case is ignored (the first declared).
    fn same_but_case(&self, name: &str) -> Option<&str> {
        if self.indexed() {
            return self
                .folded
                .get(name.to_ascii_lowercase().as_bytes())
                .map(|v| stored(v));
        }
        self.order
            .iter()
            .find(|n| n.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// What the parser remembers between lines.
#[derive(Debug, Default)]
struct Parser {
    nodes: Nodes,
    /// Line of the `seed` statement, once seen.
    seed_line: Option<usize>,
}

/// One line being parsed: its text and number, for building errors.
struct Line<'a> {
    text: &'a str,
    number: usize,
}

impl Line<'_> {
    fn error(&self, col: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            line: self.number,
            col,
            message: message.into(),
        }
    }

    fn lex_error(&self, error: LexError) -> ParseError {
        self.error(error.col, error.message)
    }

    /// The column just past the end of `token`, where something missing belongs.
    fn col_after(&self, token: &Token) -> usize {
        column_at(self.text, token.span.end)
    }

    fn raw<'t>(&'t self, token: &Token) -> &'t str {
        token.raw(self.text)
    }

    fn rest(&self, lexer: &mut Lexer<'_>) -> Result<Vec<Token>, ParseError> {
        let mut tokens = Vec::new();
        while let Some(token) = lexer.next_token().map_err(|e| self.lex_error(e))? {
            tokens.push(token);
        }
        Ok(tokens)
    }

    /// Checks that `verb` got between `min` and `max` arguments.
    fn arity(
        &self,
        verb: &Token,
        args: &[Token],
        min: usize,
        max: usize,
        usage: &str,
    ) -> Result<(), ParseError> {
        let message = || {
            format!(
                "wrong number of arguments for '{}' (usage: {usage})",
                self.raw(verb)
            )
        };
        if args.len() < min {
            let last = args.last().unwrap_or(verb);
            return Err(self.error(self.col_after(last), message()));
        }
        if let Some(extra) = args.get(max) {
            return Err(self.error(extra.col, message()));
        }
        Ok(())
    }
}

impl Parser {
    /// Parses one line and, when it succeeds, remembers what it declared.
    fn statement(&mut self, text: &str, number: usize) -> Result<Option<Stmt>, ParseError> {
        if let Some(kind) = self.plain_command(text) {
            return Ok(Some(Stmt {
                line: number,
                text: text.to_string(),
                kind,
            }));
        }
        let line = Line { text, number };
        let mut lexer = Lexer::new(text);
        let Some(first) = lexer.next_token().map_err(|e| line.lex_error(e))? else {
            return Ok(None);
        };

        let kind = if let Some(name) = prompt_name(&first) {
            let node = self.known_node(&line, name, first.col)?;
            let args = line.rest(&mut lexer)?;
            if args.is_empty() {
                return Err(line.error(
                    line.col_after(&first),
                    format!("missing command after '{}'", line.raw(&first)),
                ));
            }
            StmtKind::Command {
                node,
                argv: args.into_iter().map(|t| t.bytes).collect(),
            }
        } else {
            let verb = if first.quoted {
                None
            } else {
                VERBS.into_iter().find(|v| first.bytes == v.as_bytes())
            };
            match verb {
                Some("expect") => self.expect(&line, &first, &mut lexer)?,
                Some("send") => self.send(&line, &first, &mut lexer)?,
                Some(verb) => {
                    let args = line.rest(&mut lexer)?;
                    self.simple(&line, verb, &first, &args)?
                }
                None => return Err(self.unknown_statement(&line, &first)),
            }
        };

        // Remember declarations only once the whole line is known to be good.
        match &kind {
            StmtKind::Seed(_) => self.seed_line = Some(number),
            StmtKind::Node { name, .. } => self.nodes.declare(name),
            _ => {}
        }
        Ok(Some(Stmt {
            line: number,
            text: text.to_string(),
            kind,
        }))
    }

    /// A `NAME> COMMAND ARG ...` line in its plainest form, read without the lexer:
    /// printable ASCII and spaces only, no quote, backslash or `#`, a declared node.
    /// What the general path would make of it, exactly (`sdssplitargs` splits such a
    /// line at its spaces); None for any other line, which the general path reads
    /// (and explains, if it is wrong). A scenario of many writes is mostly these.
    fn plain_command(&self, text: &str) -> Option<StmtKind> {
        plain_command(text, &self.nodes.order)
    }

    /// Whether [`Parser::plain_command`] reads `text` (a line of [`plain_byte`]s
    /// only), without building its statement: [`read_script`]'s check, native only
    /// (the page's download does not need a second copy; a test holds the two the
    /// same).
    fn is_plain_command(&self, text: &str) -> bool {
        let mut words = plain_words(text);
        words
            .next()
            .and_then(|w| w.strip_suffix(b">"))
            .is_some_and(|name| self.nodes.find_bytes(name).is_some())
            && words.next().is_some()
    }

    /// Every statement but `expect` and `NAME>`: the arguments are plain tokens.
    fn simple(
        &self,
        line: &Line<'_>,
        verb: &str,
        first: &Token,
        args: &[Token],
    ) -> Result<StmtKind, ParseError> {
        let kind = match verb {
            "seed" => {
                line.arity(first, args, 1, 1, "seed N")?;
                self.seed(line, first, &args[0])?
            }
            "version" => {
                // Extension (docs/scenario-format.md): the default version of later nodes.
                line.arity(first, args, 1, 1, "version NAME")?;
                let name = args[0].as_str().unwrap_or("");
                StmtKind::Version(Version::parse(name).map_err(|m| line.error(args[0].col, m))?)
            }
            "node" => {
                line.arity(first, args, 1, usize::MAX, "node NAME [param=value ...]")?;
                self.node(line, args)?
            }
            "link" => {
                let usage = "link A B [latency=DUR] [bandwidth=RATE]";
                line.arity(first, args, 2, usize::MAX, usage)?;
                self.link(line, args)?
            }
            "wait" => {
                line.arity(first, args, 1, 1, "wait DUR | wait sync")?;
                wait(line, &args[0])?
            }
            "lose" => {
                // Extension (docs/scenario-format.md): a what-if no TCP network allows.
                let usage = "lose A B [N]";
                line.arity(first, args, 2, 3, usage)?;
                let (from, to) = self.pair(line, verb, &args[0], &args[1])?;
                let commands = match args.get(2) {
                    None => 1,
                    Some(t) => match t.as_str().and_then(|s| s.parse::<u32>().ok()) {
                        Some(n) if n > 0 && s_is_digits(t) => n,
                        _ => {
                            return Err(line.error(
                                t.col,
                                format!(
                                    "bad command count '{}' (usage: {usage}, N a positive integer)",
                                    String::from_utf8_lossy(&t.bytes)
                                ),
                            ))
                        }
                    },
                };
                StmtKind::Lose { from, to, commands }
            }
            "disconnect" | "reconnect" | "partition" | "heal" => {
                line.arity(first, args, 2, 2, &format!("{verb} A B"))?;
                let (a, b) = self.pair(line, verb, &args[0], &args[1])?;
                match verb {
                    "disconnect" => StmtKind::Disconnect { a, b },
                    "reconnect" => StmtKind::Reconnect { a, b },
                    "partition" => StmtKind::Partition { a, b },
                    _ => StmtKind::Heal { a, b },
                }
            }
            _ => {
                // crash, restart, start: the only verbs left in VERBS.
                line.arity(first, args, 1, 1, &format!("{verb} NAME"))?;
                let node = self.known_node(line, &args[0].bytes, args[0].col)?;
                match verb {
                    "crash" => StmtKind::Crash { node },
                    "restart" => StmtKind::Restart { node },
                    _ => StmtKind::Start { node },
                }
            }
        };
        Ok(kind)
    }

    fn seed(&self, line: &Line<'_>, verb: &Token, value: &Token) -> Result<StmtKind, ParseError> {
        if let Some(first_line) = self.seed_line {
            return Err(line.error(
                verb.col,
                format!("seed given twice (first on line {first_line})"),
            ));
        }
        let seed = value
            .as_str()
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| {
                line.error(
                    value.col,
                    format!(
                        "bad seed '{}' (an integer from 0 to {})",
                        line.raw(value),
                        u64::MAX
                    ),
                )
            })?;
        if !self.nodes.is_empty() {
            return Err(line.error(verb.col, "seed must come before the first node line"));
        }
        Ok(StmtKind::Seed(seed))
    }

    fn node(&self, line: &Line<'_>, args: &[Token]) -> Result<StmtKind, ParseError> {
        let name_token = &args[0];
        let name = checked_name(line, &name_token.bytes, name_token.col)?;
        if self.nodes.contains(&name) {
            return Err(line.error(name_token.col, format!("node '{name}' is already declared")));
        }
        if let Some(other) = self.nodes.same_but_case(&name) {
            return Err(line.error(
                name_token.col,
                format!("node '{name}' clashes with node '{other}' (names differ only in case)"),
            ));
        }

        let mut params: Vec<Param> = Vec::new();
        for token in &args[1..] {
            let Some(eq) = token.bytes.iter().position(|b| *b == b'=') else {
                return Err(line.error(
                    token.col,
                    format!(
                        "bad node parameter '{}' (expected key=value)",
                        line.raw(token)
                    ),
                ));
            };
            if eq == 0 {
                return Err(line.error(
                    token.col,
                    format!("missing parameter name in '{}'", line.raw(token)),
                ));
            }
            let (key, value) = (&token.bytes[..eq], &token.bytes[eq + 1..]);
            let (Ok(key), Ok(value)) = (std::str::from_utf8(key), std::str::from_utf8(value))
            else {
                return Err(line.error(
                    token.col,
                    format!("parameter '{}' is not valid UTF-8", line.raw(token)),
                ));
            };
            if params.iter().any(|p| p.key.eq_ignore_ascii_case(key)) {
                return Err(line.error(token.col, format!("parameter '{key}' given twice")));
            }
            params.push(Param {
                key: key.to_string(),
                value: value.to_string(),
                col: token.col,
            });
        }
        Ok(StmtKind::Node { name, params })
    }

    fn link(&self, line: &Line<'_>, args: &[Token]) -> Result<StmtKind, ParseError> {
        let (a, b) = self.pair(line, "link", &args[0], &args[1])?;
        let mut latency_us = None;
        let mut bandwidth_bits_per_sec = None;
        for token in &args[2..] {
            let (key, value) = match token.bytes.iter().position(|b| *b == b'=') {
                Some(eq) => (&token.bytes[..eq], &token.bytes[eq + 1..]),
                None => (&token.bytes[..], &[][..]),
            };
            let value_text = String::from_utf8_lossy(value);
            let bad = |what: &str, hint: &str| {
                line.error(token.col, format!("bad {what} '{value_text}' ({hint})"))
            };
            let twice =
                |what: &str| line.error(token.col, format!("link option '{what}' given twice"));
            match key {
                b"latency" => {
                    if latency_us.is_some() {
                        return Err(twice("latency"));
                    }
                    let parsed = std::str::from_utf8(value).ok().and_then(parse_duration_us);
                    latency_us = Some(parsed.ok_or_else(|| {
                        bad("latency", "a duration with a unit ms, s or m, e.g. 1ms")
                    })?);
                }
                b"bandwidth" => {
                    if bandwidth_bits_per_sec.is_some() {
                        return Err(twice("bandwidth"));
                    }
                    let parsed = std::str::from_utf8(value)
                        .ok()
                        .and_then(parse_rate_bits_per_sec);
                    bandwidth_bits_per_sec = Some(match parsed {
                        Some(0) => return Err(bad("bandwidth", "must be more than 0")),
                        Some(rate) => rate,
                        None => {
                            return Err(bad(
                                "bandwidth",
                                "a size per second such as 10mb/s, or 100mbit, 1gbit",
                            ))
                        }
                    });
                }
                _ => {
                    return Err(line.error(
                        token.col,
                        format!(
                            "unknown link option '{}' (latency=DUR or bandwidth=RATE)",
                            line.raw(token)
                        ),
                    ))
                }
            }
        }
        Ok(StmtKind::Link {
            a,
            b,
            latency_us,
            bandwidth_bits_per_sec,
        })
    }

    /// Two declared, different nodes.
    fn pair(
        &self,
        line: &Line<'_>,
        verb: &str,
        a: &Token,
        b: &Token,
    ) -> Result<(String, String), ParseError> {
        let a_name = self.known_node(line, &a.bytes, a.col)?;
        let b_name = self.known_node(line, &b.bytes, b.col)?;
        if a_name == b_name {
            return Err(line.error(
                b.col,
                format!("'{verb}' needs two different nodes, not '{a_name}' twice"),
            ));
        }
        Ok((a_name, b_name))
    }

    fn expect(
        &self,
        line: &Line<'_>,
        verb: &Token,
        lexer: &mut Lexer<'_>,
    ) -> Result<StmtKind, ParseError> {
        const USAGE: &str = "expect NAME FIELD OP VALUE | expect NAME> COMMAND ... => REPLY";
        let Some(target) = lexer.next_token().map_err(|e| line.lex_error(e))? else {
            return Err(line.error(
                line.col_after(verb),
                format!("wrong number of arguments for 'expect' (usage: {USAGE})"),
            ));
        };
        if let Some(name) = prompt_name(&target) {
            let node = self.known_node(line, name, target.col)?;
            return expect_reply(line, &target, node, lexer);
        }
        if let Some(at) = glued_prompt(&target) {
            return Err(missing_space(line, &target, at));
        }

        let mut args = vec![target];
        args.extend(line.rest(lexer)?);
        if args.len() < 4 {
            // `expect m sync_full=1` is the likely mistake.
            let glued = args
                .iter()
                .find(|t| !t.quoted && t.bytes.iter().any(|b| b"=<>!".contains(b)));
            if let Some(token) = glued {
                return Err(line.error(
                    token.col,
                    format!(
                        "put spaces around the operator in '{}' (usage: {USAGE})",
                        line.raw(token)
                    ),
                ));
            }
        }
        line.arity(verb, &args, 4, 4, USAGE)?;

        let node = self.known_node(line, &args[0].bytes, args[0].col)?;
        let field = info_field(line, &args[1], &args[1].bytes)?;
        let op = (!args[2].quoted)
            .then(|| args[2].as_str().and_then(CmpOp::from_symbol))
            .flatten()
            .ok_or_else(|| {
                line.error(
                    args[2].col,
                    format!(
                        "bad operator '{}' (one of = != < <= > >=)",
                        line.raw(&args[2])
                    ),
                )
            })?;
        let rhs = self.operand(line, &args[3])?;
        Ok(StmtKind::ExpectInfo {
            node,
            field,
            op,
            rhs,
        })
    }

    fn operand(&self, line: &Line<'_>, token: &Token) -> Result<Operand, ParseError> {
        if !token.quoted {
            if let Some(dot) = token.bytes.iter().position(|b| *b == b'.') {
                let (node, field) = (&token.bytes[..dot], &token.bytes[dot + 1..]);
                if let Some(node) = self.nodes.find_bytes(node) {
                    if field.is_empty() {
                        return Err(line.error(token.col, format!("missing field after '{node}.'")));
                    }
                    return Ok(Operand::NodeField {
                        node: node.to_string(),
                        field: info_field(line, token, field)?,
                    });
                }
            }
        }
        match token.as_str() {
            Some(value) => Ok(Operand::Literal(value.to_string())),
            None => Err(line.error(
                token.col,
                format!("value '{}' is not valid UTF-8", line.raw(token)),
            )),
        }
    }

    /// A declared node's name, checked for syntax first.
    fn known_node(&self, line: &Line<'_>, name: &[u8], col: usize) -> Result<String, ParseError> {
        let name = checked_name(line, name, col)?;
        if self.nodes.contains(&name) {
            return Ok(name);
        }
        let hint = if let Some(near) = self.nodes.same_but_case(&name) {
            format!("did you mean '{near}'?")
        } else if self.nodes.is_empty() {
            "no node is declared yet".to_string()
        } else {
            // A console user benefits from seeing what exists; a long list is cut.
            let shown: Vec<&str> = self
                .nodes
                .order
                .iter()
                .take(8)
                .map(String::as_str)
                .collect();
            let more = if self.nodes.order.len() > shown.len() {
                ", ..."
            } else {
                ""
            };
            format!("declared: {}{more}", shown.join(", "))
        };
        Err(line.error(col, format!("unknown node '{name}' ({hint})")))
    }

    /// `send NAME> COMMAND ARG ...` (extension).
    fn send(
        &self,
        line: &Line<'_>,
        verb: &Token,
        lexer: &mut Lexer<'_>,
    ) -> Result<StmtKind, ParseError> {
        const USAGE: &str = "send NAME> COMMAND ARG ...";
        let target = lexer.next_token().map_err(|e| line.lex_error(e))?;
        let Some(target) = target else {
            return Err(line.error(
                line.col_after(verb),
                format!("missing 'NAME> COMMAND' after 'send' (usage: {USAGE})"),
            ));
        };
        let Some(name) = prompt_name(&target) else {
            if let Some(at) = glued_prompt(&target) {
                return Err(missing_space(line, &target, at));
            }
            return Err(line.error(
                target.col,
                format!(
                    "expected 'NAME>' after 'send', found '{}' (usage: {USAGE})",
                    line.raw(&target)
                ),
            ));
        };
        let node = self.known_node(line, name, target.col)?;
        let args = line.rest(lexer)?;
        if args.is_empty() {
            return Err(line.error(
                line.col_after(&target),
                format!("missing command after '{}'", line.raw(&target)),
            ));
        }
        Ok(StmtKind::Send {
            node,
            argv: args.into_iter().map(|t| t.bytes).collect(),
        })
    }

    fn unknown_statement(&self, line: &Line<'_>, first: &Token) -> ParseError {
        if let Some(at) = glued_prompt(first) {
            return missing_space(line, first, at);
        }
        let raw = line.raw(first);
        let lower = raw.to_ascii_lowercase();
        let hint = if !first.quoted && VERBS.contains(&lower.as_str()) {
            format!(" (statements are lowercase: '{lower}')")
        } else if self.nodes.find_bytes(&first.bytes).is_some() {
            format!(" (to send node {raw} a command, write '{raw}> COMMAND ...')")
        } else if let Some(v) = VERBS.iter().find(|v| {
            // One slip in a short word (`wiat`), two in a long one (`disconect`).
            crate::node::config_table::edits(&first.bytes, v.as_bytes()) <= 1 + v.len() / 6
        }) {
            format!(" (did you mean '{v}'?)")
        } else {
            String::new()
        };
        line.error(first.col, format!("unknown statement '{raw}'{hint}"))
    }
}

/// A node name checked for syntax (not for being declared).
fn checked_name(line: &Line<'_>, name: &[u8], col: usize) -> Result<String, ParseError> {
    if is_node_name(name) {
        // Valid names are ASCII, so this conversion is exact.
        return Ok(String::from_utf8_lossy(name).into_owned());
    }
    Err(line.error(
        col,
        format!(
            "bad node name '{}' (a letter, then up to 31 letters, digits, '_' or '-')",
            String::from_utf8_lossy(name)
        ),
    ))
}

fn info_field(line: &Line<'_>, token: &Token, field: &[u8]) -> Result<String, ParseError> {
    if is_info_field(field) {
        return Ok(String::from_utf8_lossy(field).into_owned());
    }
    Err(line.error(
        token.col,
        format!(
            "bad INFO field '{}' (letters, digits, '_', '-', '.' or '|')",
            String::from_utf8_lossy(field)
        ),
    ))
}

fn missing_space(line: &Line<'_>, token: &Token, at: usize) -> ParseError {
    // The token is unquoted and its name part ASCII, so byte offsets are columns.
    let prompt = String::from_utf8_lossy(&token.bytes[..=at]);
    line.error(
        token.col + at + 1,
        format!("missing space after '{prompt}'"),
    )
}

fn wait(line: &Line<'_>, arg: &Token) -> Result<StmtKind, ParseError> {
    if arg.is_word("sync") {
        return Ok(StmtKind::WaitSync);
    }
    if let Some(duration_us) = arg.as_str().and_then(parse_duration_us) {
        return Ok(StmtKind::Wait { duration_us });
    }
    let raw = line.raw(arg);
    // Digits and a unit, too many for 64 bits: too long, as the runner says of a wait
    // over its limit (it said "bad duration").
    let digits = arg.bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 && matches!(&arg.bytes[digits..], b"us" | b"ms" | b"s" | b"m") {
        return Err(line.error(arg.col, super::run::wait_too_long(raw)));
    }
    let hint = if !arg.bytes.is_empty() && arg.bytes.iter().all(u8::is_ascii_digit) {
        "add a unit: us, ms, s or m"
    } else {
        "an integer with a unit us, ms, s or m, e.g. 250ms, or 'sync'"
    };
    Err(line.error(arg.col, format!("bad duration '{raw}' ({hint})")))
}

/// The rest of `expect NAME> ...`, after the prompt.
fn expect_reply(
    line: &Line<'_>,
    prompt: &Token,
    node: String,
    lexer: &mut Lexer<'_>,
) -> Result<StmtKind, ParseError> {
    let mut argv: Vec<Token> = Vec::new();
    let arrow = loop {
        match lexer.next_token().map_err(|e| line.lex_error(e))? {
            Some(token) if token.is_word("=>") => break token,
            Some(token) => argv.push(token),
            None => {
                if let Some(glued) = argv
                    .iter()
                    .find(|t| !t.quoted && t.bytes.windows(2).any(|w| w == b"=>"))
                {
                    return Err(line.error(
                        glued.col,
                        format!(
                            "'=>' must be a word of its own, with spaces around it, in '{}'",
                            line.raw(glued)
                        ),
                    ));
                }
                let last = argv.last().unwrap_or(prompt);
                return Err(
                    line.error(line.col_after(last), "missing '=> REPLY' after the command")
                );
            }
        }
    };
    if argv.is_empty() {
        return Err(line.error(
            arrow.col,
            format!("missing command after '{}'", line.raw(prompt)),
        ));
    }
    let tail = line.text.get(lexer.position()..).unwrap_or("");
    let expected = strip_reply_comment(tail).trim_matches(is_blank_char);
    if expected.is_empty() {
        return Err(line.error(
            line.col_after(&arrow),
            "missing the expected reply after '=>'",
        ));
    }
    Ok(StmtKind::ExpectReply {
        node,
        argv: argv.into_iter().map(|t| t.bytes).collect(),
        expected: expected.to_string(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn node_lookups_agree_scanned_and_indexed() {
        // The same answers with a few names (scanned) and past SCAN_MAX (indexed).
        for extra in [0usize, 40] {
            let mut nodes = Nodes::default();
            nodes.declare("Ab");
            nodes.declare("AB");
            nodes.declare("Ab");
            for i in 0..extra {
                nodes.declare(&format!("n{i}"));
            }
            assert_eq!(nodes.order.len(), 2 + extra);
            assert!(nodes.contains("AB") && !nodes.contains("ab"));
            assert_eq!(nodes.find_bytes(b"Ab"), Some("Ab"));
            assert_eq!(nodes.same_but_case("ab"), Some("Ab"));
            assert_eq!(nodes.same_but_case("x"), None);
            if extra > 0 {
                assert!(nodes.indexed());
                assert_eq!(nodes.find_bytes(b"n39"), Some("n39"));
            }
        }
    }

    use super::*;

    fn kinds(text: &str) -> Vec<StmtKind> {
        match parse_scenario(text) {
            Ok(scenario) => scenario.statements.into_iter().map(|s| s.kind).collect(),
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    /// The one statement of the last line, after the declarations before it.
    fn last(text: &str) -> StmtKind {
        kinds(text).pop().expect("a statement")
    }

    fn err(text: &str) -> ParseError {
        match parse_scenario(text) {
            Ok(s) => panic!("{text:?} parsed: {s:?}"),
            Err(e) => e,
        }
    }

    /// Asserts the error's line, column and the start of its message.
    fn assert_err(text: &str, line: usize, col: usize, message: &str) {
        let e = err(text);
        assert_eq!((e.line, e.col), (line, col), "{text:?}: {e}");
        assert!(
            e.message.starts_with(message),
            "{text:?}: got {:?}, want it to start with {message:?}",
            e.message
        );
    }

    fn s(v: &str) -> String {
        v.to_string()
    }

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    const NODES: &str = "node m\nnode r1\n";

    #[test]
    fn contract_example() {
        let text = r#"# partial resync after a short disconnect
node m
node r1 replicaof=m
wait sync
m> SET foo bar
disconnect m r1
m> SET k1 v1
wait 2s
reconnect m r1
wait sync
expect m sync_full = 1
expect m sync_partial_ok = 1
expect r1 slave_repl_offset = m.master_repl_offset
expect r1> GET k1 => "v1"
"#;
        let scenario = parse_scenario(text).unwrap();
        let pair = || (s("m"), s("r1"));
        let expected = vec![
            (
                2,
                StmtKind::Node {
                    name: s("m"),
                    params: vec![],
                },
            ),
            (
                3,
                StmtKind::Node {
                    name: s("r1"),
                    params: vec![Param {
                        key: s("replicaof"),
                        value: s("m"),
                        col: 9,
                    }],
                },
            ),
            (4, StmtKind::WaitSync),
            (
                5,
                StmtKind::Command {
                    node: s("m"),
                    argv: argv(&["SET", "foo", "bar"]),
                },
            ),
            (6, {
                let (a, b) = pair();
                StmtKind::Disconnect { a, b }
            }),
            (
                7,
                StmtKind::Command {
                    node: s("m"),
                    argv: argv(&["SET", "k1", "v1"]),
                },
            ),
            (
                8,
                StmtKind::Wait {
                    duration_us: 2_000_000,
                },
            ),
            (9, {
                let (a, b) = pair();
                StmtKind::Reconnect { a, b }
            }),
            (10, StmtKind::WaitSync),
            (
                11,
                StmtKind::ExpectInfo {
                    node: s("m"),
                    field: s("sync_full"),
                    op: CmpOp::Eq,
                    rhs: Operand::Literal(s("1")),
                },
            ),
            (
                12,
                StmtKind::ExpectInfo {
                    node: s("m"),
                    field: s("sync_partial_ok"),
                    op: CmpOp::Eq,
                    rhs: Operand::Literal(s("1")),
                },
            ),
            (
                13,
                StmtKind::ExpectInfo {
                    node: s("r1"),
                    field: s("slave_repl_offset"),
                    op: CmpOp::Eq,
                    rhs: Operand::NodeField {
                        node: s("m"),
                        field: s("master_repl_offset"),
                    },
                },
            ),
            (
                14,
                StmtKind::ExpectReply {
                    node: s("r1"),
                    argv: argv(&["GET", "k1"]),
                    expected: s("\"v1\""),
                },
            ),
        ];
        let got: Vec<(usize, StmtKind)> = scenario
            .statements
            .iter()
            .map(|st| (st.line, st.kind.clone()))
            .collect();
        assert_eq!(got, expected);
        let lines: Vec<&str> = text.lines().collect();
        for st in &scenario.statements {
            assert_eq!(st.text, lines[st.line - 1]);
        }
        assert_eq!(scenario.seed(), 1);
    }

    #[test]
    fn every_statement_form() {
        assert_eq!(kinds("seed 42"), vec![StmtKind::Seed(42)]);
        assert_eq!(
            last("seed 18446744073709551615\nnode m"),
            StmtKind::Node {
                name: s("m"),
                params: vec![]
            }
        );
        assert_eq!(
            last(&format!("{NODES}link m r1 latency=5ms bandwidth=10mbit")),
            StmtKind::Link {
                a: s("m"),
                b: s("r1"),
                latency_us: Some(5_000),
                bandwidth_bits_per_sec: Some(10_000_000),
            }
        );
        assert_eq!(
            last(&format!("{NODES}link r1 m bandwidth=1mb/s")),
            StmtKind::Link {
                a: s("r1"),
                b: s("m"),
                latency_us: None,
                bandwidth_bits_per_sec: Some(8_388_608),
            }
        );
        assert_eq!(
            last(&format!("{NODES}link m r1 latency=0ms")),
            StmtKind::Link {
                a: s("m"),
                b: s("r1"),
                latency_us: Some(0),
                bandwidth_bits_per_sec: None,
            }
        );
        assert_eq!(
            last("wait 250ms"),
            StmtKind::Wait {
                duration_us: 250_000
            }
        );
        assert_eq!(
            last("wait 1m"),
            StmtKind::Wait {
                duration_us: 60_000_000
            }
        );
        assert_eq!(last("wait sync"), StmtKind::WaitSync);
        let pair = |verb: &str| last(&format!("{NODES}{verb} m r1"));
        let (a, b) = (s("m"), s("r1"));
        assert_eq!(
            pair("disconnect"),
            StmtKind::Disconnect {
                a: a.clone(),
                b: b.clone()
            }
        );
        assert_eq!(
            pair("reconnect"),
            StmtKind::Reconnect {
                a: a.clone(),
                b: b.clone()
            }
        );
        assert_eq!(
            pair("partition"),
            StmtKind::Partition {
                a: a.clone(),
                b: b.clone()
            }
        );
        assert_eq!(pair("heal"), StmtKind::Heal { a, b });
        assert_eq!(
            last(&format!("{NODES}crash r1")),
            StmtKind::Crash { node: s("r1") }
        );
        assert_eq!(
            last(&format!("{NODES}restart m")),
            StmtKind::Restart { node: s("m") }
        );
        assert_eq!(
            last(&format!("{NODES}start m")),
            StmtKind::Start { node: s("m") }
        );
        assert_eq!(
            last(&format!("{NODES}expect r1 master_link_status != down")),
            StmtKind::ExpectInfo {
                node: s("r1"),
                field: s("master_link_status"),
                op: CmpOp::Ne,
                rhs: Operand::Literal(s("down")),
            }
        );
        for op in CmpOp::ALL {
            match last(&format!("{NODES}expect m x {op} 3")) {
                StmtKind::ExpectInfo { op: got, .. } => assert_eq!(got, op),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn node_params() {
        let text =
            r#"node m save="" save2="3600 1" "repl-timeout=5" replicaof=x k=a=b empty= x="\xff"z"#;
        let e = err(text);
        assert!(e.message.starts_with("unbalanced quotes"), "{e}");
        let text = r#"node m save="" repl-backlog-size=16kb "x y=3600 1" replicaof=other k=a=b empty= u="é""#;
        let StmtKind::Node { name, params } = last(text) else {
            panic!()
        };
        assert_eq!(name, "m");
        let got: Vec<(&str, &str, usize)> = params
            .iter()
            .map(|p| (p.key.as_str(), p.value.as_str(), p.col))
            .collect();
        assert_eq!(
            got,
            vec![
                ("save", "", 8),
                ("repl-backlog-size", "16kb", 16),
                ("x y", "3600 1", 39),
                ("replicaof", "other", 52),
                ("k", "a=b", 68),
                ("empty", "", 74),
                ("u", "é", 81),
            ]
        );
        assert_err(
            "node m save",
            1,
            8,
            "bad node parameter 'save' (expected key=value)",
        );
        assert_err("node m =3", 1, 8, "missing parameter name in '=3'");
        assert_err("node m a=1 b=2 A=3", 1, 16, "parameter 'A' given twice");
        assert_err(
            r#"node m x="\xff""#,
            1,
            8,
            "parameter 'x=\"\\xff\"' is not valid UTF-8",
        );
    }

    #[test]
    fn names_and_declarations() {
        let longest = format!("a{}", "b".repeat(31));
        assert_eq!(kinds(&format!("node {longest}")).len(), 1);
        assert_eq!(kinds("node A-b_9\nnode z").len(), 2);
        assert_err(&format!("node a{}", "b".repeat(32)), 1, 6, "bad node name");
        assert_err("node 9a", 1, 6, "bad node name '9a'");
        assert_err("node a.b", 1, 6, "bad node name 'a.b'");
        assert_err("node _a", 1, 6, "bad node name");
        assert_err("node", 1, 5, "wrong number of arguments for 'node'");
        assert_err("node m\nnode m", 2, 6, "node 'm' is already declared");
        assert_err("node m\nnode M", 2, 6, "node 'M' clashes with node 'm'");
        assert_err(
            "crash m",
            1,
            7,
            "unknown node 'm' (no node is declared yet)",
        );
        assert_err(
            "node m\ncrash M",
            2,
            7,
            "unknown node 'M' (did you mean 'm'?)",
        );
        assert_err(
            &format!("{NODES}disconnect m r2"),
            3,
            14,
            "unknown node 'r2' (declared: m, r1)",
        );
        assert_err("node m\nx> GET a", 2, 1, "unknown node 'x'");
        assert_err("node m\n1x> GET a", 2, 1, "bad node name '1x'");
        // A statement naming a node that is declared only later is an error.
        assert_err(
            "node m\nm> REPLICAOF r1\nr1> GET a\nnode r1",
            3,
            1,
            "unknown node 'r1'",
        );
        // Data is not checked: the runner resolves REPLICAOF and replicaof=.
        assert_eq!(
            kinds("node m replicaof=nowhere\nm> REPLICAOF r9 6379").len(),
            2
        );
    }

    #[test]
    fn version_statement() {
        assert_eq!(
            kinds("version valkey-8.1\nnode m"),
            vec![
                StmtKind::Version(Version::Valkey81),
                StmtKind::Node {
                    name: "m".into(),
                    params: vec![]
                }
            ]
        );
        assert_err(
            "version redis-9",
            1,
            9,
            "unknown version 'redis-9' (the simulator models redis-7.0, redis-8.0, valkey-8.1, redis-2.6)",
        );
        assert_err(
            "version",
            1,
            8,
            "wrong number of arguments for 'version' (usage: version NAME)",
        );
    }

    #[test]
    fn seed_rules() {
        assert_err(
            "node m\nseed 3",
            2,
            1,
            "seed must come before the first node line",
        );
        assert_err("seed 3\nseed 4", 2, 1, "seed given twice (first on line 1)");
        assert_err("seed -1", 1, 6, "bad seed '-1'");
        assert_err("seed 18446744073709551616", 1, 6, "bad seed");
        assert_err("seed 1s", 1, 6, "bad seed '1s'");
        // A bad value is named first, wherever the line is.
        assert_err("node m\nseed x", 2, 6, "bad seed 'x'");
        assert_err(
            "seed",
            1,
            5,
            "wrong number of arguments for 'seed' (usage: seed N)",
        );
        assert_err("seed 1 2", 1, 8, "wrong number of arguments for 'seed'");
        assert_eq!(parse_scenario("seed 0").unwrap().seed(), 0);
    }

    #[test]
    fn commands() {
        assert_eq!(
            last(&format!("{NODES}m> SET \"a b\" 'c d' \"\\x00\\xff\"")),
            StmtKind::Command {
                node: s("m"),
                argv: vec![
                    b"SET".to_vec(),
                    b"a b".to_vec(),
                    b"c d".to_vec(),
                    vec![0, 0xff]
                ],
            }
        );
        assert_eq!(
            last(&format!("{NODES}r1>   REPLICAOF NO ONE   # promote")),
            StmtKind::Command {
                node: s("r1"),
                argv: argv(&["REPLICAOF", "NO", "ONE"]),
            }
        );
        // After a prompt every word is the command's, in any case: `r1> wait 1 0` is
        // Redis's WAIT sent to r1, never the scenario's `wait`.
        for line in ["r1> wait 1 0", "r1> WAIT 1 0", "r1> Wait 1 0"] {
            let word = line.split_whitespace().nth(1).unwrap();
            assert_eq!(
                last(&format!("{NODES}{line}")),
                StmtKind::Command {
                    node: s("r1"),
                    argv: argv(&[word, "1", "0"]),
                },
                "{line}"
            );
        }
        assert_err(&format!("{NODES}m>"), 3, 3, "missing command after 'm>'");
        assert_err(
            &format!("{NODES}m>   # nothing"),
            3,
            3,
            "missing command after 'm>'",
        );
        assert_err(
            &format!("{NODES}m>SET a b"),
            3,
            3,
            "missing space after 'm>'",
        );
        assert_err(
            &format!("{NODES}m SET a b"),
            3,
            1,
            "unknown statement 'm' (to send node m",
        );
        assert_err(
            &format!("{NODES}\"m>\" GET a"),
            3,
            1,
            "unknown statement '\"m>\"'",
        );
        assert_err(&format!("{NODES}m> SET a \"b"), 3, 10, "unbalanced quotes");
        assert_err(
            &format!("{NODES}m> SET a \"b\"c"),
            3,
            13,
            "unbalanced quotes",
        );
    }

    #[test]
    fn unknown_statements_and_arity() {
        assert_err("fo", 1, 1, "unknown statement 'fo'");
        // A slip in a statement's word names it: one in a short word, two in a long one.
        assert_err(
            "disconect m r",
            1,
            1,
            "unknown statement 'disconect' (did you mean 'disconnect'?)",
        );
        assert_err(
            "partiton m r",
            1,
            1,
            "unknown statement 'partiton' (did you mean 'partition'?)",
        );
        assert_err(
            "wiat 1s",
            1,
            1,
            "unknown statement 'wiat' (did you mean 'wait'?)",
        );
        assert_err(
            "nod m",
            1,
            1,
            "unknown statement 'nod' (did you mean 'node'?)",
        );
        assert_err("wt 1s", 1, 1, "unknown statement 'wt'");
        assert_eq!(
            err("  fo bar").to_string(),
            "line 1, column 3: unknown statement 'fo'"
        );
        assert_err(
            "SEED 1",
            1,
            1,
            "unknown statement 'SEED' (statements are lowercase: 'seed')",
        );
        assert_err("\"seed\" 1", 1, 1, "unknown statement '\"seed\"'");
        assert_err("wait", 1, 5, "wrong number of arguments for 'wait'");
        assert_err("wait 1s 2s", 1, 9, "wrong number of arguments for 'wait'");
        assert_err(
            &format!("{NODES}disconnect m"),
            3,
            13,
            "wrong number of arguments",
        );
        assert_err(
            &format!("{NODES}heal m r1 r1"),
            3,
            11,
            "wrong number of arguments",
        );
        assert_err(
            &format!("{NODES}crash"),
            3,
            6,
            "wrong number of arguments for 'crash'",
        );
        assert_err(
            &format!("{NODES}start m r1"),
            3,
            9,
            "wrong number of arguments",
        );
        assert_err(
            &format!("{NODES}partition r1 r1"),
            3,
            14,
            "'partition' needs two different",
        );
        assert_err(
            &format!("{NODES}link m"),
            3,
            7,
            "wrong number of arguments for 'link'",
        );
        assert_err(
            &format!("{NODES}link m m"),
            3,
            8,
            "'link' needs two different nodes",
        );
    }

    #[test]
    fn bad_values_quote_the_token() {
        assert_err(
            "wait 2",
            1,
            6,
            "bad duration '2' (add a unit: us, ms, s or m)",
        );
        assert_err("wait 2x", 1, 6, "bad duration '2x'");
        assert_err("wait \"sync\"", 1, 6, "bad duration '\"sync\"'");
        assert_err(
            "wait 99999999999999999999ms",
            1,
            6,
            "wait 99999999999999999999ms: over the simulator's limit of one week (10080m) per wait",
        );
        assert_err(
            &format!("{NODES}link m r1 latency=5"),
            3,
            11,
            "bad latency '5'",
        );
        assert_err(
            &format!("{NODES}link m r1 latency="),
            3,
            11,
            "bad latency ''",
        );
        assert_err(
            &format!("{NODES}link m r1 bandwidth=fast"),
            3,
            11,
            "bad bandwidth 'fast'",
        );
        assert_err(
            &format!("{NODES}link m r1 bandwidth=0mbit"),
            3,
            11,
            "bad bandwidth '0mbit' (must be more than 0)",
        );
        assert_err(
            &format!("{NODES}link m r1 loss=1"),
            3,
            11,
            "unknown link option 'loss=1' (latency=DUR or bandwidth=RATE)",
        );
        assert_err(
            &format!("{NODES}link m r1 latency"),
            3,
            11,
            "bad latency ''",
        );
        assert_err(
            &format!("{NODES}link m r1 latency=1ms latency=2ms"),
            3,
            23,
            "link option 'latency' given twice",
        );
    }

    #[test]
    fn expect_info_operands() {
        let rhs = |text: &str| match last(&format!("{NODES}{text}")) {
            StmtKind::ExpectInfo { rhs, .. } => rhs,
            other => panic!("{other:?}"),
        };
        assert_eq!(rhs("expect m x = 1.5"), Operand::Literal(s("1.5")));
        assert_eq!(rhs("expect m x = r2.y"), Operand::Literal(s("r2.y")));
        assert_eq!(rhs("expect m x = \"r1.y\""), Operand::Literal(s("r1.y")));
        assert_eq!(rhs("expect m x = ''"), Operand::Literal(s("")));
        assert_eq!(
            rhs("expect m x >= r1.slave0.lag"),
            Operand::NodeField {
                node: s("r1"),
                field: s("slave0.lag")
            }
        );
        assert_eq!(
            rhs("expect m x = m.y"),
            Operand::NodeField {
                node: s("m"),
                field: s("y")
            }
        );
        match last(&format!("{NODES}expect m cmdstat_client|list > 0")) {
            StmtKind::ExpectInfo { field, .. } => assert_eq!(field, "cmdstat_client|list"),
            other => panic!("{other:?}"),
        }
        assert_err(
            &format!("{NODES}expect m x = r1."),
            3,
            14,
            "missing field after 'r1.'",
        );
        assert_err(
            &format!("{NODES}expect m x = r1.a:b"),
            3,
            14,
            "bad INFO field 'a:b'",
        );
        assert_err(
            &format!("{NODES}expect m a:b = 1"),
            3,
            10,
            "bad INFO field 'a:b'",
        );
        assert_err(
            &format!("{NODES}expect m x == 1"),
            3,
            12,
            "bad operator '=='",
        );
        assert_err(
            &format!("{NODES}expect m x \"=\" 1"),
            3,
            12,
            "bad operator '\"=\"'",
        );
        assert_err(
            &format!("{NODES}expect m x = \"\\xff\""),
            3,
            14,
            "value '\"\\xff\"' is not",
        );
        assert_err(
            &format!("{NODES}expect m sync_full=1"),
            3,
            10,
            "put spaces around the operator",
        );
        assert_err(
            &format!("{NODES}expect m>=1"),
            3,
            8,
            "put spaces around the operator",
        );
        assert_err(
            &format!("{NODES}expect m x"),
            3,
            11,
            "wrong number of arguments for 'expect'",
        );
        assert_err(
            &format!("{NODES}expect"),
            3,
            7,
            "wrong number of arguments for 'expect'",
        );
        assert_err(
            &format!("{NODES}expect m x = 1 2"),
            3,
            16,
            "wrong number of arguments",
        );
        assert_err(
            &format!("{NODES}expect r2 x = 1"),
            3,
            8,
            "unknown node 'r2'",
        );
    }

    #[test]
    fn expect_reply_takes_the_raw_rest() {
        let reply = |text: &str| match last(&format!("{NODES}{text}")) {
            StmtKind::ExpectReply {
                node,
                argv,
                expected,
            } => (node, argv, expected),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            reply("expect r1> GET k1 => \"v1\"   # the value"),
            (s("r1"), argv(&["GET", "k1"]), s("\"v1\""))
        );
        assert_eq!(reply("expect m> GET nope => (nil)").2, "(nil)");
        assert_eq!(reply("expect m> INCR n => (integer) 3").2, "(integer) 3");
        assert_eq!(
            reply("expect m> SET \"=>\" x => OK").1,
            argv(&["SET", "=>", "x"])
        );
        assert_eq!(reply("expect m> GET k => \"a # b\" # c").2, "\"a # b\"");
        assert_eq!(reply(r#"expect m> GET k => "a \" # b""#).2, r#""a \" # b""#);
        // Redis's error wording has apostrophes that are not quotes.
        assert_eq!(
            reply("expect m> FOO bar => (error) ERR unknown command 'FOO', with args beginning with: 'bar' ").2,
            "(error) ERR unknown command 'FOO', with args beginning with: 'bar'"
        );
        // Only the first bare `=>` counts.
        assert_eq!(reply("expect m> GET k => \"=>\" => x").2, "\"=>\" => x");
        assert_err(
            &format!("{NODES}expect m> GET k"),
            3,
            16,
            "missing '=> REPLY'",
        );
        assert_err(
            &format!("{NODES}expect m> GET k =>x"),
            3,
            17,
            "'=>' must be a word of its own",
        );
        assert_err(
            &format!("{NODES}expect m> GET k =>"),
            3,
            19,
            "missing the expected reply",
        );
        assert_err(
            &format!("{NODES}expect m> GET k =>  # c"),
            3,
            19,
            "missing the expected reply",
        );
        assert_err(
            &format!("{NODES}expect m> => OK"),
            3,
            11,
            "missing command after 'm>'",
        );
        assert_err(
            &format!("{NODES}expect m>GET k => OK"),
            3,
            10,
            "missing space after 'm>'",
        );
        assert_err(
            &format!("{NODES}expect x> GET k => OK"),
            3,
            8,
            "unknown node 'x'",
        );
        assert_err(
            &format!("{NODES}expect m> GET \"k => OK"),
            3,
            15,
            "unbalanced quotes",
        );
    }

    #[test]
    fn lines_comments_crlf_and_bom() {
        let text = "\u{feff}# c\r\n\r\n   \nseed 5 # s\r\nnode m\r\n\tm> PING";
        let scenario = parse_scenario(text).unwrap();
        let got: Vec<(usize, &str)> = scenario
            .statements
            .iter()
            .map(|st| (st.line, st.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![(4, "seed 5 # s"), (5, "node m"), (6, "\tm> PING")]
        );
        assert_eq!(scenario.seed(), 5);
        assert_eq!(parse_scenario("").unwrap().statements, vec![]);
        assert_err("node m\n\n  bogus", 3, 3, "unknown statement 'bogus'");
        // Columns count characters, not bytes.
        assert_err("node é", 1, 6, "bad node name 'é'");
        assert_err("# é\nnode m\néé crash", 3, 1, "unknown statement 'éé'");
        assert_err("node m\ncrash m é", 2, 9, "wrong number of arguments");
    }

    #[test]
    fn console_statements() {
        let known = vec![s("m"), s("r1")];
        assert_eq!(parse_statement("   # just a note", 7, &known), Ok(None));
        assert_eq!(parse_statement("", 7, &known), Ok(None));
        let stmt = parse_statement("m> GET k\r\n", 7, &known).unwrap().unwrap();
        assert_eq!(stmt.line, 7);
        assert_eq!(stmt.text, "m> GET k");
        assert_eq!(
            stmt.kind,
            StmtKind::Command {
                node: s("m"),
                argv: argv(&["GET", "k"])
            }
        );
        let e = parse_statement("node m", 8, &known).unwrap_err();
        assert_eq!((e.line, e.col), (8, 6));
        let e = parse_statement("seed 3", 8, &known).unwrap_err();
        assert_eq!(e.message, "seed must come before the first node line");
        assert!(parse_statement("seed 3", 1, &[]).unwrap().is_some());
        let e = parse_statement("m> GET a\nm> GET b", 2, &known).unwrap_err();
        assert_eq!((e.line, e.col), (2, 9));
        assert!(parse_statement("expect r1 x = m.y", 1, &known).is_ok());
    }

    #[test]
    fn durations() {
        let cases = [
            ("250ms", Some(250_000)),
            ("2s", Some(2_000_000)),
            ("1m", Some(60_000_000)),
            ("0ms", Some(0)),
            ("007s", Some(7_000_000)),
            ("5", None),
            ("ms", None),
            ("", None),
            ("1.5s", None),
            ("-1s", None),
            ("+1s", None),
            ("1 s", None),
            ("1S", None),
            ("1us", Some(1)),
            ("1500us", Some(1500)),
            ("1h", None),
            ("1sms", None),
            ("18446744073709551615ms", None),
            ("307445734561m", Some(18_446_744_073_660_000_000)),
            ("307445734562m", None),
            ("99999999999999999999999ms", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration_us(text), want, "{text:?}");
        }
    }

    #[test]
    fn sizes() {
        let cases = [
            ("0", Some(0)),
            ("512", Some(512)),
            ("1b", Some(1)),
            ("1B", Some(1)),
            ("16k", Some(16_000)),
            ("16kb", Some(16_384)),
            ("16KB", Some(16_384)),
            ("1m", Some(1_000_000)),
            ("1mb", Some(1_048_576)),
            ("1Mb", Some(1_048_576)),
            ("2g", Some(2_000_000_000)),
            ("2gb", Some(2_147_483_648)),
            ("", None),
            ("kb", None),
            ("1t", None),
            ("1kib", None),
            ("1.5mb", None),
            ("-1", None),
            ("1 kb", None),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551615b", Some(u64::MAX)),
            ("18446744073709551615k", None),
            ("18446744073709551616", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_size_bytes(text), want, "{text:?}");
        }
    }

    #[test]
    fn rates() {
        let cases = [
            ("1gbit", Some(1_000_000_000)),
            ("1Gbit", Some(1_000_000_000)),
            ("100mbit", Some(100_000_000)),
            ("100Mbit/s", Some(100_000_000)),
            ("64kbit", Some(64_000)),
            ("9600bit", Some(9_600)),
            ("10mb", Some(83_886_080)),
            ("10mb/s", Some(83_886_080)),
            ("10MB/S", Some(83_886_080)),
            ("10k/s", Some(80_000)),
            ("1000", Some(8_000)),
            ("0", Some(0)),
            ("", None),
            ("/s", None),
            ("10/s/s", None),
            ("fast", None),
            ("10tbit", None),
            ("10 mbit", None),
            ("10mbps", None),
            ("2305843009213693951", Some(18_446_744_073_709_551_608)),
            ("2305843009213693952", None),
            ("18446744073gbit", Some(18_446_744_073_000_000_000)),
            ("18446744074gbit", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_rate_bits_per_sec(text), want, "{text:?}");
        }
    }

    #[test]
    fn long_inputs_stay_fast() {
        // Quadratic column counting or node lookup would take minutes here.
        let mut text: String = (0..20_000).map(|i| format!("node n{i}\n")).collect();
        text.push_str("n19999> RPUSH l");
        for i in 0..100_000 {
            text.push_str(&format!(" é{i}"));
        }
        text.push_str("\ncrash n7 n8");
        let e = err(&text);
        assert_eq!((e.line, e.col), (20_002, 10));
        let scenario = parse_scenario(&text[..text.rfind('\n').unwrap()]).unwrap();
        match &scenario.statements.last().unwrap().kind {
            StmtKind::Command { argv, .. } => assert_eq!(argv.len(), 100_002),
            other => panic!("{other:?}"),
        }
    }

    fn random_line(rng: &mut crate::rng::Rng) -> String {
        const PIECES: [&str; 44] = [
            "seed",
            "node",
            "link",
            "wait",
            "sync",
            "disconnect",
            "reconnect",
            "partition",
            "heal",
            "crash",
            "restart",
            "start",
            "expect",
            "m",
            "r1",
            "m>",
            "r1>",
            "=>",
            "=",
            "!=",
            "<=",
            ">",
            "m.x",
            "1.5",
            "latency=",
            "bandwidth=",
            "1ms",
            "10mbit",
            "save=",
            "\"",
            "'",
            "\\",
            "\\x",
            "\\xf",
            "#",
            "é",
            "\t",
            "GET",
            "k",
            "=>\"",
            "m>SET",
            "x=y",
            "99999999999999999999s",
            "\u{b}",
        ];
        let mut line = String::new();
        for _ in 0..rng.index(10) {
            match rng.index(4) {
                0 => line.push(char::from(32 + rng.index(95) as u8)),
                _ => line.push_str(PIECES[rng.index(PIECES.len())]),
            }
            if rng.index(3) > 0 {
                line.push(' ');
            }
        }
        line
    }

    /// A valid statement with a few random edits, to reach deep into the grammar.
    fn mutated_line(rng: &mut crate::rng::Rng) -> String {
        const TEMPLATES: [&str; 12] = [
            "node n1 save=\"\" repl-backlog-size=16kb",
            "link m r1 latency=5ms bandwidth=10mbit",
            "m> SET \"a b\" 'c\\'d' \"\\xff\"",
            "expect r1> GET k => \"v # w\" # c",
            "expect r1 slave_repl_offset >= m.master_repl_offset",
            "wait 250ms",
            "wait sync # done",
            "disconnect m r1",
            "partition r1 m",
            "restart m",
            "seed 12",
            "expect m x = 1.5",
        ];
        const EDITS: &[u8] = b" \t\"'\\#=>.mx1s";
        let mut chars: Vec<char> = TEMPLATES[rng.index(TEMPLATES.len())].chars().collect();
        for _ in 0..rng.index(3) {
            let at = rng.index(chars.len() + 1);
            let c = char::from(EDITS[rng.index(EDITS.len())]);
            match rng.index(3) {
                0 => chars.insert(at, c),
                1 if at < chars.len() => {
                    chars.remove(at);
                }
                _ if at < chars.len() => chars[at] = c,
                _ => chars.push(c),
            }
        }
        chars.into_iter().collect()
    }

    fn random_bytes_line(rng: &mut crate::rng::Rng) -> String {
        let bytes: Vec<u8> = (0..rng.index(24)).map(|_| rng.next_u64() as u8).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Checks that an error's column points inside `line` or just past its end.
    fn check_col(line: &str, e: &ParseError) {
        let width = line.chars().count();
        assert!(e.col >= 1 && e.col <= width + 1, "{line:?}: {e}");
        assert!(!e.message.is_empty(), "{line:?}");
    }

    /// What a console line looks like once its newline is dropped.
    fn without_newline(line: &str) -> &str {
        match line.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => line,
        }
    }

    #[test]
    fn never_panics_on_random_input() {
        let mut rng = crate::rng::Rng::new(0x9E37_79B9_7F4A_7C15);
        let known = vec![s("m"), s("r1")];
        let mut parsed = 0;
        for round in 0..20_000 {
            let line = match round % 3 {
                0 => random_line(&mut rng),
                1 => random_bytes_line(&mut rng),
                _ => mutated_line(&mut rng),
            };
            let one_line = without_newline(&line);
            match parse_statement(&line, 3, &known) {
                Ok(Some(stmt)) => {
                    parsed += 1;
                    assert_eq!(stmt.text, one_line);
                    assert_eq!(stmt.line, 3);
                }
                Ok(None) => {}
                Err(e) => {
                    assert_eq!(e.line, 3);
                    check_col(one_line, &e);
                }
            }

            let text = format!("node m\nnode r1\n{line}\n{}", random_line(&mut rng));
            match parse_scenario(&text) {
                Ok(scenario) => {
                    let lines: Vec<&str> = text.lines().collect();
                    for stmt in &scenario.statements {
                        assert_eq!(stmt.text, lines[stmt.line - 1]);
                    }
                }
                Err(e) => {
                    let lines: Vec<&str> = text.lines().collect();
                    assert!(e.line >= 3 && e.line <= lines.len(), "{text:?}: {e}");
                    check_col(lines[e.line - 1], &e);
                }
            }
        }
        // The generator must reach the grammar, not only its errors.
        assert!(parsed > 2_000, "only {parsed} lines parsed");
    }

    /// A script's statements in full: each plain line made the statement
    /// [`parse_scenario`] makes of it.
    fn expand(text: &str, script: &Script) -> Vec<Stmt> {
        script
            .steps
            .iter()
            .map(|step| match *step {
                Step::Parsed(i) => script.parsed.statements[i].clone(),
                Step::Plain { line, start, end } => {
                    let t = &text[start..end];
                    let mut words = plain_words(t);
                    let prompt = words.next().unwrap();
                    Stmt {
                        line,
                        text: t.to_string(),
                        kind: StmtKind::Command {
                            node: String::from_utf8(prompt[..prompt.len() - 1].to_vec()).unwrap(),
                            argv: words.map(<[u8]>::to_vec).collect(),
                        },
                    }
                }
            })
            .collect()
    }

    /// read_script's one pass over the bytes reads what parse_scenario reads (with
    /// `str::lines`): the same statements, lines and errors, whatever the line
    /// endings, BOM, blank, plain or broken lines.
    #[test]
    fn one_pass_reading_agrees_with_lines() {
        const PLAIN_LINES: [&str; 11] = [
            "m> SET key:1 abcdefghijklmnopqrst",
            "  r1>   GET   k  ",
            "m> PING",
            "m>   ",
            "m>  x",
            "m>",
            "x> PING",
            "M> PING",
            "m> get x>y",
            "r1> INCR a=b",
            "",
        ];
        const ENDS: [&str; 5] = ["\n", "\n", "\r\n", "\r", "\r\r\n"];
        let mut rng = crate::rng::Rng::new(15);
        let mut plain_steps = 0;
        for round in 0..5_000 {
            let mut text = String::from(if round % 7 == 0 { "\u{feff}" } else { "" });
            text.push_str("node m\nnode r1\n");
            for _ in 0..rng.index(6) {
                let line = match rng.index(10) {
                    0 => random_line(&mut rng),
                    1 => mutated_line(&mut rng),
                    _ => PLAIN_LINES[rng.index(PLAIN_LINES.len())].to_string(),
                };
                text.push_str(&line);
                text.push_str(ENDS[rng.index(ENDS.len())]);
            }
            if rng.index(2) == 0 {
                text.push_str(PLAIN_LINES[rng.index(PLAIN_LINES.len())]);
            }
            match (read_script(&text), parse_scenario(&text)) {
                (Ok(script), Ok(old)) => {
                    plain_steps += script
                        .steps
                        .iter()
                        .filter(|s| matches!(s, Step::Plain { .. }))
                        .count();
                    assert_eq!(expand(&text, &script), old.statements, "{text:?}");
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{text:?}"),
                (a, b) => panic!("{text:?}: {a:?} vs {b:?}"),
            }
        }
        assert!(plain_steps > 800, "only {plain_steps} plain lines");
    }

    /// The plain-command fast path reads a line exactly as the lexer does: the same
    /// statement as with a trailing comment (which takes the general path).
    #[test]
    fn plain_commands_read_as_the_lexer_reads_them() {
        let lines = [
            "m> SET k v",
            "  m>   SET   key:1   abcdefghijklmnopqrst  ",
            "m> get x>y",
            "r-1_b> INCR a=b",
            "m> SET k v=>w",
            "m> PING",
            "m>",
            "m>PING",
            "M> PING",
            "x> PING",
            "m >PING",
            "m>> PING",
        ];
        for line in lines {
            let fast = parse_scenario(&format!("node m\nnode r-1_b\n{line}\n"));
            let general = parse_scenario(&format!("node m\nnode r-1_b\n{line} # general\n"));
            match (fast, general) {
                (Ok(a), Ok(b)) => assert_eq!(a.statements[2].kind, b.statements[2].kind, "{line}"),
                (Err(a), Err(b)) => assert_eq!(a.message, b.message, "{line}"),
                (a, b) => panic!("{line}: {a:?} vs {b:?}"),
            }
        }
    }
}
