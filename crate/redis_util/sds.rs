//! Redis's `sdssplitargs` (`src/sds.c`): how `redis-cli`, inline commands and config
//! lines split a line into arguments.
//!
//! The rules, as the C implements them:
//!
//! - Arguments are separated by whitespace (C's `isspace`: space, `\t`, `\n`, `\r`,
//!   `\v`, `\f`). Inside an unquoted argument only space, `\t`, `\n` and `\r` end it,
//!   so a `\v` or `\f` glued to a word is part of the word.
//! - `"..."` understands `\n`, `\r`, `\t`, `\b`, `\a` and `\xHH` (exactly two hex
//!   digits); any other escaped byte stands for itself (`\q` is `q`, `\xZZ` is `xZZ`).
//! - `'...'` is literal except for `\'`, a single quote.
//! - A quote may open in the middle of an argument (`save=""` is `save=`), but the
//!   closing quote ends the argument and must be followed by whitespace or the end of
//!   the line; otherwise, or when a quote is never closed, the line has "unbalanced
//!   quotes".
//!
//! [`sdssplitargs`] is the C function (it reads a C string: a NUL ends the line).
//! [`SplitArgs`] is the same loop one argument at a time, reporting where each one was
//! written, with the end of the slice as the end of the line (a NUL is an ordinary
//! byte) and an optional comment byte: the scenario lexer's variant.

use std::ops::Range;

use super::libc::{cstr, is_c_space};

/// One argument: its bytes with quotes and escapes resolved, and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The argument's bytes (not necessarily UTF-8: `"\xff"` is the byte 0xff).
    pub bytes: Vec<u8>,
    /// Byte range of the argument in the line as written, quotes included.
    pub span: Range<usize>,
    /// Whether any part of it was quoted.
    pub quoted: bool,
}

/// Why a line has "unbalanced quotes".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The quote at this byte offset is never closed.
    Unclosed {
        /// Offset of the opening quote.
        open: usize,
    },
    /// A closing quote is followed by the byte at this offset, which is neither
    /// whitespace nor the comment byte.
    AfterClosingQuote {
        /// Offset of the offending byte.
        at: usize,
    },
}

/// `sdssplitargs`, one argument at a time.
#[derive(Debug, Clone)]
pub struct SplitArgs<'a> {
    line: &'a [u8],
    /// Offset where the search for the next argument starts.
    pos: usize,
    /// A byte that, outside quotes, ends the line (the scenario format's `#`).
    comment: Option<u8>,
}

impl<'a> SplitArgs<'a> {
    /// Arguments of `line`, which ends where the slice ends.
    pub fn new(line: &'a [u8]) -> Self {
        SplitArgs {
            line,
            pos: 0,
            comment: None,
        }
    }

    /// As [`SplitArgs::new`], with `comment` outside quotes starting a comment that
    /// runs to the end of the line (it also ends an unquoted argument, and may follow a
    /// closing quote directly).
    pub fn with_comment(line: &'a [u8], comment: u8) -> Self {
        SplitArgs {
            comment: Some(comment),
            ..SplitArgs::new(line)
        }
    }

    /// Offset just after the last argument returned; the end of the line once
    /// [`SplitArgs::next_arg`] returned `None`.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn is_comment(&self, b: u8) -> bool {
        self.comment == Some(b)
    }

    /// The next argument, or `None` at the end of the line (or at a comment).
    ///
    /// # Errors
    /// [`SplitError`] for unbalanced quotes. The splitter then stays where it was, so
    /// further calls return the same error.
    pub fn next_arg(&mut self) -> Result<Option<Arg>, SplitError> {
        let line = self.line;
        let mut p = self.pos;
        while p < line.len() && is_c_space(line[p]) {
            p += 1;
        }
        if p >= line.len() || self.is_comment(line[p]) {
            self.pos = line.len();
            return Ok(None);
        }
        let start = p;
        // The bare run first, copied at once (the usual argument has no quotes).
        while line.get(p).is_some_and(|&c| {
            !matches!(c, b' ' | b'\n' | b'\r' | b'\t' | b'"' | b'\'') && !self.is_comment(c)
        }) {
            p += 1;
        }
        let mut bytes = line[start..p].to_vec();
        let mut quoted = false;
        // A quote right after it (`key"x"`) continues the same argument; the next
        // call sees a comment or a space.
        match line.get(p) {
            Some(b'"') => {
                quoted = true;
                p = self.double_quoted(p, &mut bytes)?;
            }
            Some(b'\'') => {
                quoted = true;
                p = self.single_quoted(p, &mut bytes)?;
            }
            _ => {}
        }
        self.pos = p;
        Ok(Some(Arg {
            bytes,
            span: start..p,
            quoted,
        }))
    }

    /// A `"..."` part from its opening quote at `open`; returns the offset after the
    /// closing quote.
    fn double_quoted(&self, open: usize, out: &mut Vec<u8>) -> Result<usize, SplitError> {
        let line = self.line;
        let hex = |i: usize| line.get(i).and_then(|&b| (b as char).to_digit(16));
        let mut p = open + 1;
        loop {
            match line.get(p) {
                None => return Err(SplitError::Unclosed { open }),
                Some(b'\\') if p + 1 < line.len() => match (line[p + 1], hex(p + 2), hex(p + 3)) {
                    (b'x', Some(hi), Some(lo)) => {
                        out.push((hi * 16 + lo) as u8);
                        p += 4;
                    }
                    (e, _, _) => {
                        out.push(match e {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => 0x08,
                            b'a' => 0x07,
                            other => other,
                        });
                        p += 2;
                    }
                },
                Some(b'"') => return self.after_closing(p),
                Some(&c) => {
                    // A lone `\` at the very end lands here and is kept; the missing
                    // closing quote is then reported, as in C.
                    out.push(c);
                    p += 1;
                }
            }
        }
    }

    /// A `'...'` part from its opening quote at `open`; returns the offset after the
    /// closing quote.
    fn single_quoted(&self, open: usize, out: &mut Vec<u8>) -> Result<usize, SplitError> {
        let line = self.line;
        let mut p = open + 1;
        loop {
            match line.get(p) {
                None => return Err(SplitError::Unclosed { open }),
                Some(b'\\') if line.get(p + 1) == Some(&b'\'') => {
                    out.push(b'\'');
                    p += 2;
                }
                Some(b'\'') => return self.after_closing(p),
                Some(&c) => {
                    out.push(c);
                    p += 1;
                }
            }
        }
    }

    /// "closing quote must be followed by a space or nothing at all".
    fn after_closing(&self, close: usize) -> Result<usize, SplitError> {
        let next = close + 1;
        match self.line.get(next) {
            Some(&b) if !is_c_space(b) && !self.is_comment(b) => {
                Err(SplitError::AfterClosingQuote { at: next })
            }
            _ => Ok(next),
        }
    }
}

/// Redis's `sdssplitargs`: the arguments of `line` read as a C string (a NUL ends it),
/// or `None` for unbalanced quotes. A blank line gives no arguments.
///
/// ```text
/// a "b c" 'd\'e' "\x41\n"   ->   a | b c | d'e | A<LF>
/// x"y z"                    ->   xy z
/// "a"b, "open               ->   None
/// ```
pub fn sdssplitargs(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut split = SplitArgs::new(cstr(line));
    let mut args = Vec::new();
    while let Some(arg) = split.next_arg().ok()? {
        args.push(arg.bytes);
    }
    Some(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn splits_like_sdssplitargs() {
        assert_eq!(
            sdssplitargs(b" a \"b c\" 'd\\'e' \"\\x41\\n\""),
            Some(args(&["a", "b c", "d'e", "A\n"]))
        );
        assert_eq!(
            sdssplitargs(b"\"\\xZZ\\q\" x\"y z\""),
            Some(args(&["xZZq", "xy z"]))
        );
        assert_eq!(
            sdssplitargs(br#""a\"b\\c\n\r\t\b\a\x41\xff\q""#),
            Some(vec![b"a\"b\\c\n\r\t\x08\x07A\xffq".to_vec()])
        );
        assert_eq!(sdssplitargs(br#""\x4""#), Some(args(&["x4"])));
        assert_eq!(sdssplitargs(br#""""#), Some(args(&[""])));
        assert_eq!(sdssplitargs(br"'a\nb\'c'"), Some(args(&[r"a\nb'c"])));
        // \v and \f separate arguments but do not end an unquoted one.
        assert_eq!(sdssplitargs(b"a\x0bb \x0bc"), Some(args(&["a\x0bb", "c"])));
        assert_eq!(
            sdssplitargs(b"  SET\tfoo   bar \r"),
            Some(args(&["SET", "foo", "bar"]))
        );
        // A C string: the NUL ends the line.
        assert_eq!(sdssplitargs(b"a\0b c"), Some(args(&["a"])));
        assert_eq!(sdssplitargs(b"   "), Some(Vec::new()));
        assert_eq!(sdssplitargs(b""), Some(Vec::new()));
    }

    #[test]
    fn unbalanced_quotes() {
        for bad in [
            &b"\"open"[..],
            b"'open",
            b"x\"y\"z",
            b"\"a\"b",
            b"'a'b",
            b"\"foo\\",
            b"'it\\'s",
        ] {
            assert_eq!(
                sdssplitargs(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let mut s = SplitArgs::new(b"SET \"foo\"bar");
        assert_eq!(s.next_arg().unwrap().unwrap().bytes, b"SET");
        assert_eq!(s.next_arg(), Err(SplitError::AfterClosingQuote { at: 9 }));
        assert_eq!(s.next_arg(), Err(SplitError::AfterClosingQuote { at: 9 }));
        let mut s = SplitArgs::new(b"k 'v");
        s.next_arg().unwrap();
        assert_eq!(s.next_arg(), Err(SplitError::Unclosed { open: 2 }));
    }

    #[test]
    fn spans_positions_and_comments() {
        let line = br#"node m save="" x "a#b" c#d # e"#;
        let mut s = SplitArgs::with_comment(line, b'#');
        let mut got = Vec::new();
        while let Some(a) = s.next_arg().unwrap() {
            got.push((a.bytes, a.span, a.quoted));
        }
        assert_eq!(
            got,
            vec![
                (b"node".to_vec(), 0..4, false),
                (b"m".to_vec(), 5..6, false),
                (b"save=".to_vec(), 7..14, true),
                (b"x".to_vec(), 15..16, false),
                (b"a#b".to_vec(), 17..22, true),
                (b"c".to_vec(), 23..24, false),
            ]
        );
        assert_eq!(s.position(), line.len());
        // A closing quote may touch the comment; a NUL is an ordinary byte here.
        let mut s = SplitArgs::with_comment(b"\"a\"#b", b'#');
        assert_eq!(s.next_arg().unwrap().unwrap().bytes, b"a");
        assert_eq!(s.next_arg(), Ok(None));
        let mut s = SplitArgs::new(b"a\0b #");
        assert_eq!(s.next_arg().unwrap().unwrap().bytes, b"a\0b");
        assert_eq!(s.next_arg().unwrap().unwrap().bytes, b"#");
        // position() is right after the argument, for taking the raw rest of a line.
        let mut s = SplitArgs::new(b"GET k => \"v\"");
        s.next_arg().unwrap();
        s.next_arg().unwrap();
        assert_eq!(s.position(), 5);
    }
}
