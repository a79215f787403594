//! Splitting one scenario line into tokens, the way `redis-cli` splits what you type.
//!
//! `redis-cli` hands every line to Redis's `sdssplitargs()` (`src/sds.c`); a scenario
//! line uses the same rules, and the same code ([`crate::redis_util::sds::SplitArgs`]),
//! so `m> SET k "a b"` sends exactly the bytes `redis-cli` would. The facts, as
//! `sdssplitargs()` implements them:
//!
//! - Tokens are separated by whitespace (space, `\t`, `\n`, `\r`, `\v`, `\f`). Inside an
//!   unquoted token only space, `\t`, `\n` and `\r` end it, so a `\v` or `\f` glued to
//!   a word is part of the word, as in Redis.
//! - `"..."` understands `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\a` and `\xHH` (exactly two
//!   hex digits; `\xHH` may produce bytes that are not UTF-8). Any other escaped
//!   character stands for itself (`\q` is `q`, and `\xZZ` is `xZZ`).
//! - `'...'` is literal except for `\'`, which is a single quote.
//! - A quote may open in the middle of a token (`save=""` is the token `save=`), but
//!   the closing quote ends the token and must be followed by whitespace or the end of
//!   the line; otherwise, or when a quote is never closed, the line has
//!   "unbalanced quotes".
//!
//! A NUL character, which ends the string for C, is an ordinary character here.
//!
//! One rule is the scenario format's own: `#` outside quotes starts a comment that
//! runs to the end of the line, wherever it appears (`a#b` is the token `a`). Think of
//! it as "cut the comment off, then split the rest as `redis-cli` would", which is
//! why a closing quote may be followed directly by `#`. Quote an argument that
//! contains `#`.
//!
//! Every token remembers where it came from (its 1-based column in characters and its
//! byte range in the line), so that errors can point at it and the parser can take
//! the raw text after a token (the expected reply of `expect NAME> ... => REPLY`).
//!
//! ```text
//! m> SET greeting "hello\x21 world"  # comment
//! ^  ^   ^        ^
//! 1  4   8        17      tokens: m>  SET  greeting  hello! world
//! ```

use std::fmt;
use std::ops::Range;

use crate::redis_util::sds::{SplitArgs, SplitError};

/// One token of a line: its bytes after quotes and escapes are resolved, and where
/// it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token's bytes with quotes removed and escapes resolved. Not necessarily
    /// UTF-8: `"\xff"` is the single byte 0xff.
    pub bytes: Vec<u8>,
    /// 1-based column of the token's first character (counted in characters, not
    /// bytes), where an error about this token points.
    pub col: usize,
    /// Byte range of the token in the line as written, quotes included.
    pub span: Range<usize>,
    /// Whether any part of the token was quoted. A quoted word is always data, never
    /// syntax: `"=>"` is an argument, `=>` is the arrow.
    pub quoted: bool,
}

impl Token {
    /// The token as written in `line` (quotes and escapes included), for messages.
    ///
    /// `line` must be the line the token was read from; with any other line this
    /// returns an empty string instead of panicking.
    pub fn raw<'a>(&self, line: &'a str) -> &'a str {
        line.get(self.span.clone()).unwrap_or("")
    }

    /// Whether the token is the unquoted word `word`, i.e. syntax rather than data.
    pub fn is_word(&self, word: &str) -> bool {
        !self.quoted && self.bytes == word.as_bytes()
    }

    /// The token's bytes as text, if they are valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }
}

/// Why a line could not be split into tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// 1-based column (in characters) of the offending character.
    pub col: usize,
    /// What is wrong, e.g. `unbalanced quotes: the " opened here is never closed`.
    pub message: String,
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.col, self.message)
    }
}

impl std::error::Error for LexError {}

/// A tokenizer over one line that hands out tokens one at a time.
///
/// Reading token by token lets the parser stop early and treat the rest of the line
/// as raw text (see [`Lexer::position`]); [`tokenize`] reads the whole line.
#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    line: &'a str,
    /// `sdssplitargs`, with `#` as the comment byte.
    split: SplitArgs<'a>,
    /// A byte offset and its column, so that columns are counted incrementally:
    /// counting from the line's start for every token would be quadratic in the
    /// length of a pasted line.
    col_mark: (usize, usize),
}

/// The 1-based character column of byte offset `byte` in `line`.
///
/// Offsets past the end give the column just after the last character; an offset
/// inside a multi-byte character counts that character as already passed. Never
/// panics.
pub fn column_at(line: &str, byte: usize) -> usize {
    let end = byte.min(line.len());
    // Counting the bytes that start a character counts characters without needing
    // `end` to be a char boundary.
    let chars = line.as_bytes()[..end]
        .iter()
        .filter(|b| (**b & 0xC0) != 0x80)
        .count();
    chars + 1
}

impl<'a> Lexer<'a> {
    /// A lexer at the start of `line`. `line` should not contain the line's newline;
    /// if it does, the newline is whitespace, as in `sdssplitargs()`.
    pub fn new(line: &'a str) -> Self {
        Lexer {
            line,
            split: SplitArgs::with_comment(line.as_bytes(), b'#'),
            col_mark: (0, 1),
        }
    }

    /// Byte offset in the line where the lexer stands: just after the last token
    /// returned, or the end of the line once [`Lexer::next_token`] returned `None`.
    pub fn position(&self) -> usize {
        self.split.position()
    }

    /// The next token, or `None` at the end of the line or at a comment.
    ///
    /// # Errors
    ///
    /// A [`LexError`] for unbalanced quotes: a quote that is never closed (pointing at
    /// the opening quote), or a closing quote followed by something other than
    /// whitespace, `#` or the end of the line (pointing at that character). After an
    /// error the lexer stays where it is; further calls return the same error.
    pub fn next_token(&mut self) -> Result<Option<Token>, LexError> {
        match self.split.next_arg() {
            Ok(None) => Ok(None),
            Ok(Some(arg)) => Ok(Some(Token {
                bytes: arg.bytes,
                col: self.column_of(arg.span.start),
                span: arg.span,
                quoted: arg.quoted,
            })),
            Err(SplitError::Unclosed { open }) => {
                let quote = if self.line.as_bytes()[open] == b'"' {
                    "\""
                } else {
                    "'"
                };
                Err(LexError {
                    col: column_at(self.line, open),
                    message: format!("unbalanced quotes: the {quote} opened here is never closed"),
                })
            }
            Err(SplitError::AfterClosingQuote { at }) => Err(LexError {
                col: column_at(self.line, at),
                message: "unbalanced quotes: a closing quote must be followed by a space \
                          or the end of the line"
                    .to_string(),
            }),
        }
    }

    /// The column of byte offset `byte`, counted on from the last one asked for.
    fn column_of(&mut self, byte: usize) -> usize {
        let (mark, col) = self.col_mark;
        let col = match self.line.as_bytes().get(mark..byte) {
            Some(between) => col + between.iter().filter(|b| (**b & 0xC0) != 0x80).count(),
            None => column_at(self.line, byte),
        };
        self.col_mark = (byte, col);
        col
    }
}

/// Splits a whole line into tokens, dropping a trailing comment.
///
/// # Errors
///
/// The first [`LexError`] of the line (unbalanced quotes).
///
/// ```text
/// node m save="" repl-backlog-size=16kb   ->   node | m | save= | repl-backlog-size=16kb
/// ```
pub fn tokenize(line: &str) -> Result<Vec<Token>, LexError> {
    let mut lexer = Lexer::new(line);
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token()? {
        tokens.push(token);
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<u8>> {
        tokenize(line)
            .unwrap()
            .into_iter()
            .map(|t| t.bytes)
            .collect()
    }

    fn err_col(line: &str) -> usize {
        tokenize(line).unwrap_err().col
    }

    #[test]
    fn splits_on_whitespace() {
        assert_eq!(
            words("  SET\tfoo   bar \r"),
            vec![b"SET".to_vec(), b"foo".to_vec(), b"bar".to_vec()]
        );
        assert!(words("").is_empty());
        assert!(words(" \t \x0b\x0c ").is_empty());
    }

    #[test]
    fn vertical_tab_inside_a_word_is_part_of_it() {
        // sdssplitargs() skips \v between tokens but does not end a token on it.
        assert_eq!(
            words("a\x0bb \x0bc"),
            vec![b"a\x0bb".to_vec(), b"c".to_vec()]
        );
    }

    #[test]
    fn double_quote_escapes() {
        assert_eq!(
            words(r#""a\"b\\c\n\r\t\b\a\x41\xff\q""#),
            vec![b"a\"b\\c\n\r\t\x08\x07A\xffq".to_vec()]
        );
        // \x needs exactly two hex digits; otherwise it is an escaped `x`.
        assert_eq!(words(r#""\xZZ\x4""#), vec![b"xZZx4".to_vec()]);
        assert_eq!(words(r#""""#), vec![Vec::<u8>::new()]);
    }

    #[test]
    fn single_quotes_are_literal() {
        assert_eq!(words(r"'a\nb\'c'"), vec![br"a\nb'c".to_vec()]);
        assert_eq!(words(r#"'say "hi"'"#), vec![br#"say "hi""#.to_vec()]);
    }

    #[test]
    fn quote_may_open_mid_token() {
        let tokens = tokenize(r#"node m save="" save="3600 1""#).unwrap();
        assert_eq!(tokens[2].bytes, b"save=");
        assert_eq!(tokens[3].bytes, b"save=3600 1");
        assert!(tokens[2].quoted && !tokens[1].quoted);
        assert_eq!(tokens[3].col, 16);
        assert_eq!(
            tokens[3].raw(r#"node m save="" save="3600 1""#),
            r#"save="3600 1""#
        );
    }

    #[test]
    fn unbalanced_quotes() {
        assert_eq!(err_col(r#"SET "foo"bar"#), 10);
        assert_eq!(err_col(r#"SET 'foo'bar"#), 10);
        assert_eq!(err_col(r#"SET k "foo"#), 7);
        assert_eq!(err_col(r#"SET k 'it\'s"#), 7);
        // A trailing backslash escapes nothing; the quote is still open.
        assert_eq!(err_col(r#"SET "foo\"#), 5);
        let e = tokenize("a \"b").unwrap_err();
        assert!(e.message.starts_with("unbalanced quotes"), "{e}");
    }

    #[test]
    fn comments() {
        assert_eq!(words("# all comment"), Vec::<Vec<u8>>::new());
        assert_eq!(words("a b # c d"), vec![b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(words("a#b c"), vec![b"a".to_vec()]);
        assert_eq!(words("\"a#b\" '#'"), vec![b"a#b".to_vec(), b"#".to_vec()]);
        // The comment is cut off first, so a closing quote may touch it.
        assert_eq!(words("\"a\"#b"), vec![b"a".to_vec()]);
    }

    #[test]
    fn columns_count_characters() {
        let line = "é  \"ü b\" c";
        let tokens = tokenize(line).unwrap();
        assert_eq!(
            tokens.iter().map(|t| t.col).collect::<Vec<_>>(),
            vec![1, 4, 10]
        );
        assert_eq!(tokens[1].bytes, "ü b".as_bytes());
        assert_eq!(tokens[1].raw(line), "\"ü b\"");
        assert_eq!(column_at(line, line.len() + 5), 11);
        assert_eq!(column_at(line, 1), 2, "inside é counts as past it");
    }

    #[test]
    fn position_allows_taking_the_raw_rest() {
        let line = r#"expect m> GET k => "v" # c"#;
        let mut lexer = Lexer::new(line);
        while let Some(t) = lexer.next_token().unwrap() {
            if t.is_word("=>") {
                break;
            }
        }
        assert_eq!(&line[lexer.position()..], r#" "v" # c"#);
        assert!(!Token {
            bytes: b"=>".to_vec(),
            col: 1,
            span: 0..4,
            quoted: true
        }
        .is_word("=>"));
    }
}
