//! How `redis-cli` 7.0 prints replies, so that simulated sessions read like
//! real ones.
//!
//! `redis-cli` has two ways of printing: the terminal ("TTY", forced with
//! `--no-raw`) format with `(integer)`, quoted bulks and numbered arrays, and
//! the raw format. In TTY mode it still prints a few commands' replies raw
//! (INFO, CLIENT LIST, ...), because their text is meant to be read as is.

use crate::resp::Value;

/// Format a reply exactly as `redis-cli` 7.0 prints it on a terminal (TTY mode, i.e. --no-raw), without the trailing newline.
///
/// ```text
/// Integer(150)                          (integer) 150
/// Bulk("bar")                           "bar"
/// Simple("OK")                          OK
/// Error("ERR x")                        (error) ERR x
/// Nil, NilArray                         (nil)
/// Array([])                             (empty array)
/// Array([Bulk("master"), Integer(150),  1) "master"
///        Array([Array([..3 bulks])])])  2) (integer) 150
///                                       3) 1) 1) "127.0.0.1"
///                                             2) "7101"
///                                             3) "150"
/// ```
///
/// Like `redis-cli`, status and error text stops at a NUL byte.
///
/// # Returns
/// The printed text; lines are separated by `\n`, and the final `\n` that
/// `redis-cli` writes is left off.
pub fn format_reply(v: &Value) -> String {
    let mut out = String::new();
    format_tty(v, "", &mut out);
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Same, but honours redis-cli's special cases for the command that produced it: commands redis-cli prints raw even in TTY mode (INFO, CLIENT LIST, ... — take the exact list from redis-cli.c 7.0) are printed as their raw bulk text.
///
/// The commands printed raw (names compared case-insensitively, as
/// `redis-cli`'s `cliSendCommand` does) are: `INFO`, `LOLWUT`,
/// `DEBUG HTSTATS|HTSTATS-KEY|CLIENT-EVICTION ...`,
/// `MEMORY MALLOC-STATS|DOCTOR ...`, `CLUSTER NODES|INFO` (exactly two
/// words), `CLIENT LIST|INFO ...`, `LATENCY GRAPH <event>` (exactly three),
/// `LATENCY DOCTOR` (exactly two) and `PROXY INFO ...`.
///
/// Raw output is what `redis-cli` writes, byte for byte (INFO's text keeps
/// its `\r\n` line ends and its final `\r\n`): a bulk or status is its bare
/// text, an integer its digits, nil nothing, array elements are joined by
/// `\n`, and an error is its bare text (the `\n` `redis-cli` writes after a
/// top-level error is left off). Bytes that are not UTF-8 are replaced
/// with U+FFFD.
///
/// ```text
/// INFO server  ->  # Server\r\nredis_version:7.0.15\r\n...\r\n
/// CLIENT LIST type bogus  ->  ERR Unknown client type 'bogus'
/// GET k  ->  "bar"     (any other command: format_reply)
/// ```
///
/// # Returns
/// The raw text for the commands above, otherwise [`format_reply`]'s text.
pub fn format_reply_for(argv: &[Vec<u8>], v: &Value) -> String {
    if !prints_raw(argv) {
        return format_reply(v);
    }
    let mut out = Vec::new();
    format_raw(v, &mut out);
    if v.is_error() && out.last() == Some(&b'\n') {
        out.pop();
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Append what `replscope run` prints for a reply: [`format_reply_for`]'s text, then
/// a newline unless it ends with one (the same bytes; a status such as `OK` is
/// copied as it is, without a `String` of its own).
pub fn print_reply_for(argv: &[Vec<u8>], v: &Value, out: &mut String) {
    let ends_in_newline = match v {
        // A status without NUL reads the same raw and on a terminal.
        Value::Simple(s) if !s.as_bytes().contains(&0) => {
            out.push_str(s);
            s.ends_with('\n')
        }
        _ => {
            let text = format_reply_for(argv, v);
            out.push_str(&text);
            text.ends_with('\n')
        }
    };
    if !ends_in_newline {
        out.push('\n');
    }
}

/// sdscatrepr: quote bytes the way redis-cli shows bulk strings ("bar", "a\"b", "\x00", "\n").
///
/// `\` and `"` get a backslash; newline, carriage return, tab, bell and
/// backspace become `\n`, `\r`, `\t`, `\a`, `\b`; other bytes outside
/// printable ASCII (including every byte of a UTF-8 sequence) become
/// `\xHH` in lowercase hex.
///
/// ```text
/// b"a\"b\\c\n\xff é"  ->  "a\"b\\c\n\xff \xc3\xa9"
/// ```
///
/// # Returns
/// The quoted text, including the surrounding double quotes.
pub fn repr(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            // C's isprint in the "C" locale, which redis-cli never changes.
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\x");
                out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
                out.push(char::from(HEX_DIGITS[usize::from(b & 0x0f)]));
            }
        }
    }
    out.push('"');
    out
}

/// cliFormatReplyTTY: append `v` with every line ending in `\n`.
///
/// `prefix` is the indentation of the enclosing arrays, written before
/// every element line but the first, which follows its parent's `N) `.
fn format_tty(v: &Value, prefix: &str, out: &mut String) {
    match v {
        Value::Error(s) => {
            out.push_str("(error) ");
            out.push_str(up_to_nul(s));
            out.push('\n');
        }
        Value::Simple(s) => {
            out.push_str(up_to_nul(s));
            out.push('\n');
        }
        Value::Integer(n) => {
            out.push_str("(integer) ");
            out.push_str(&n.to_string());
            out.push('\n');
        }
        Value::Bulk(b) => {
            out.push_str(&repr(b));
            out.push('\n');
        }
        Value::Nil | Value::NilArray => out.push_str("(nil)\n"),
        Value::Array(items) if items.is_empty() => out.push_str("(empty array)\n"),
        Value::Array(items) => {
            // Indexes are right-aligned to the widest one, and nested
            // elements are indented past "<index>) ".
            let index_width = items.len().to_string().len();
            let child_prefix = format!("{prefix}{}", " ".repeat(index_width + 2));
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(prefix);
                }
                out.push_str(&format!("{:>index_width$}) ", i + 1));
                format_tty(item, &child_prefix, out);
            }
        }
    }
}

/// cliFormatReplyRaw: append `v` as bare bytes.
fn format_raw(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Nil | Value::NilArray => {}
        Value::Error(s) => {
            out.extend_from_slice(s.as_bytes());
            out.push(b'\n');
        }
        Value::Simple(s) => out.extend_from_slice(s.as_bytes()),
        Value::Bulk(b) => out.extend_from_slice(b),
        Value::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    // redis-cli's default multi-bulk delimiter.
                    out.push(b'\n');
                }
                format_raw(item, out);
            }
        }
    }
}

/// Whether `redis-cli` 7.0 prints this command's reply raw in TTY mode
/// (the `output_raw` list of `cliSendCommand`).
fn prints_raw(argv: &[Vec<u8>]) -> bool {
    let Some(command) = argv.first() else {
        return false;
    };
    let argc = argv.len();
    let sub_is = |names: &[&str]| argc >= 2 && names.iter().any(|n| word_is(&argv[1], n));
    if word_is(command, "info") || word_is(command, "lolwut") {
        return true;
    }
    if word_is(command, "debug") {
        return sub_is(&["htstats", "htstats-key", "client-eviction"]);
    }
    if word_is(command, "memory") {
        return sub_is(&["malloc-stats", "doctor"]);
    }
    if word_is(command, "cluster") {
        return argc == 2 && sub_is(&["nodes", "info"]);
    }
    if word_is(command, "client") {
        return sub_is(&["list", "info"]);
    }
    if word_is(command, "latency") {
        return (argc == 3 && sub_is(&["graph"])) || (argc == 2 && sub_is(&["doctor"]));
    }
    if word_is(command, "proxy") {
        return sub_is(&["info"]);
    }
    false
}

/// `strcasecmp(arg, name) == 0`, where `arg` is a C string and so ends at
/// its first NUL.
fn word_is(arg: &[u8], name: &str) -> bool {
    crate::redis_util::cstr(arg).eq_ignore_ascii_case(name.as_bytes())
}

/// The part of `s` a C string function sees: everything before the first NUL.
fn up_to_nul(s: &str) -> &str {
    s.split('\0').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    //! Every expected string here was printed by `redis-cli --no-raw` 7.0.15
    //! against `redis-server` 7.0.15 (see the command in each comment).

    use super::*;

    fn bulk(s: &str) -> Value {
        Value::bulk(s)
    }

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn scalars() {
        // SET k v / INCRBY n -5 / GET nope / BLPOP nolist 0.01 / LRANGE nolist 0 -1
        assert_eq!(format_reply(&Value::ok()), "OK");
        assert_eq!(format_reply(&Value::Integer(-5)), "(integer) -5");
        assert_eq!(format_reply(&Value::Nil), "(nil)");
        assert_eq!(format_reply(&Value::NilArray), "(nil)");
        assert_eq!(format_reply(&Value::Array(vec![])), "(empty array)");
        // BOGUS x
        assert_eq!(
            format_reply(&Value::err(
                "ERR unknown command 'bogus', with args beginning with: 'x' "
            )),
            "(error) ERR unknown command 'bogus', with args beginning with: 'x' "
        );
        // EVAL "return redis.status_reply('')" 0  /  EVAL "return ''" 0
        assert_eq!(format_reply(&Value::Simple("".into())), "");
        assert_eq!(format_reply(&bulk("")), "\"\"");
        // redis-cli prints status and error text with C string functions.
        assert_eq!(format_reply(&Value::Simple("a\0b".into())), "a");
        assert_eq!(format_reply(&Value::err("E\0Z")), "(error) E");
    }

    #[test]
    fn bulk_quoting() {
        // SET k $'a"b\\c\n\r\t\a\b\x01\x7f\xff é'; GET k
        let stored = b"a\"b\\c\n\r\t\x07\x08\x01\x7f\xff \xc3\xa9";
        assert_eq!(
            format_reply(&Value::bulk(stored.to_vec())),
            r#""a\"b\\c\n\r\t\a\b\x01\x7f\xff \xc3\xa9""#
        );
        assert_eq!(repr(b"bar"), "\"bar\"");
        assert_eq!(repr(b"a\"b"), r#""a\"b""#);
        assert_eq!(repr(b"\x00"), r#""\x00""#);
        assert_eq!(repr(b"\n"), r#""\n""#);
        assert_eq!(repr(b""), "\"\"");
    }

    #[test]
    fn role_on_master_and_replica() {
        // ROLE on a master with no replica
        let lonely = Value::Array(vec![
            bulk("master"),
            Value::Integer(0),
            Value::Array(vec![]),
        ]);
        assert_eq!(
            format_reply(&lonely),
            "1) \"master\"\n2) (integer) 0\n3) (empty array)"
        );
        // ROLE on a master with one replica on port 7101
        let master = Value::Array(vec![
            bulk("master"),
            Value::Integer(150),
            Value::Array(vec![Value::Array(vec![
                bulk("127.0.0.1"),
                bulk("7101"),
                bulk("150"),
            ])]),
        ]);
        assert_eq!(
            format_reply(&master),
            "1) \"master\"\n\
             2) (integer) 150\n\
             3) 1) 1) \"127.0.0.1\"\n      \
                   2) \"7101\"\n      \
                   3) \"150\""
        );
        // ROLE on that replica
        let replica = Value::Array(vec![
            bulk("slave"),
            bulk("127.0.0.1"),
            Value::Integer(7100),
            bulk("connected"),
            Value::Integer(150),
        ]);
        assert_eq!(
            format_reply(&replica),
            "1) \"slave\"\n2) \"127.0.0.1\"\n3) (integer) 7100\n4) \"connected\"\n5) (integer) 150"
        );
    }

    #[test]
    fn exec_of_a_transaction() {
        // MULTI; SET a 1; INCR a; GET a; LPUSH l x y; LRANGE l 0 -1; INCR l; GET nope; EXEC
        let exec = Value::Array(vec![
            Value::ok(),
            Value::Integer(2),
            bulk("2"),
            Value::Integer(2),
            Value::Array(vec![bulk("y"), bulk("x")]),
            Value::err("WRONGTYPE Operation against a key holding the wrong kind of value"),
            Value::Nil,
        ]);
        assert_eq!(
            format_reply(&exec),
            "1) OK\n\
             2) (integer) 2\n\
             3) \"2\"\n\
             4) (integer) 2\n\
             5) 1) \"y\"\n   \
                2) \"x\"\n\
             6) (error) WRONGTYPE Operation against a key holding the wrong kind of value\n\
             7) (nil)"
        );
        assert_eq!(format_reply(&Value::Simple("QUEUED".into())), "QUEUED");
    }

    #[test]
    fn index_alignment_and_nesting() {
        // RPUSH big 1..12; LRANGE big 0 -1
        let twelve = Value::Array((1..=12).map(|i| bulk(&i.to_string())).collect());
        assert_eq!(
            format_reply(&twelve),
            " 1) \"1\"\n 2) \"2\"\n 3) \"3\"\n 4) \"4\"\n 5) \"5\"\n 6) \"6\"\n \
             7) \"7\"\n 8) \"8\"\n 9) \"9\"\n10) \"10\"\n11) \"11\"\n12) \"12\""
        );
        // EVAL "local t={} for i=1,9 do t[i]=i end t[10]={'a',...,'j'} return t" 0
        let mut items: Vec<Value> = (1..=9).map(Value::Integer).collect();
        items.push(Value::Array(
            "abcdefghij".chars().map(|c| bulk(&c.to_string())).collect(),
        ));
        assert_eq!(
            format_reply(&Value::Array(items)),
            " 1) (integer) 1\n 2) (integer) 2\n 3) (integer) 3\n 4) (integer) 4\n \
             5) (integer) 5\n 6) (integer) 6\n 7) (integer) 7\n 8) (integer) 8\n \
             9) (integer) 9\n10)  1) \"a\"\n     2) \"b\"\n     3) \"c\"\n     \
             4) \"d\"\n     5) \"e\"\n     6) \"f\"\n     7) \"g\"\n     8) \"h\"\n     \
             9) \"i\"\n    10) \"j\""
        );
        // EVAL "return {1,{2,{3,{}}},'x',{redis.status_reply('FINE'), redis.error_reply('MYERR bad')}}" 0
        let nested = Value::Array(vec![
            Value::Integer(1),
            Value::Array(vec![
                Value::Integer(2),
                Value::Array(vec![Value::Integer(3), Value::Array(vec![])]),
            ]),
            bulk("x"),
            Value::Array(vec![Value::Simple("FINE".into()), Value::err("MYERR bad")]),
        ]);
        assert_eq!(
            format_reply(&nested),
            "1) (integer) 1\n\
             2) 1) (integer) 2\n   \
                2) 1) (integer) 3\n      \
                   2) (empty array)\n\
             3) \"x\"\n\
             4) 1) FINE\n   \
                2) (error) MYERR bad"
        );
        // EVAL "return {{}}" 0
        assert_eq!(
            format_reply(&Value::Array(vec![Value::Array(vec![])])),
            "1) (empty array)"
        );
    }

    #[test]
    fn raw_commands_keep_bytes() {
        // INFO keyspace: printed byte for byte, CRLFs and all, nothing added.
        let info = bulk("# Keyspace\r\ndb0:keys=5,expires=0,avg_ttl=0\r\n");
        assert_eq!(
            format_reply_for(&argv(&["info", "keyspace"]), &info),
            "# Keyspace\r\ndb0:keys=5,expires=0,avg_ttl=0\r\n"
        );
        assert_eq!(
            format_reply_for(&argv(&["INFO"]), &info),
            "# Keyspace\r\ndb0:keys=5,expires=0,avg_ttl=0\r\n"
        );
        // INFO nosuchsection prints nothing at all.
        assert_eq!(
            format_reply_for(&argv(&["info", "nosuchsection"]), &bulk("")),
            ""
        );
        // CLIENT LIST type bogus / CLUSTER INFO on a non-cluster server:
        // the bare error text (redis-cli then writes "\n").
        assert_eq!(
            format_reply_for(
                &argv(&["client", "list", "type", "bogus"]),
                &Value::err("ERR Unknown client type 'bogus'")
            ),
            "ERR Unknown client type 'bogus'"
        );
        assert_eq!(
            format_reply_for(
                &argv(&["cluster", "info"]),
                &Value::err("ERR This instance has cluster support disabled")
            ),
            "ERR This instance has cluster support disabled"
        );
        // Everything else is TTY formatted.
        assert_eq!(
            format_reply_for(&argv(&["get", "k"]), &bulk("a\r\n")),
            "\"a\\r\\n\""
        );
        assert_eq!(format_reply_for(&[], &Value::Integer(1)), "(integer) 1");
        // Raw arrays are joined with "\n", integers bare, nil empty.
        let mixed = Value::Array(vec![bulk("a"), Value::Integer(3), Value::Nil, Value::ok()]);
        assert_eq!(format_reply_for(&argv(&["lolwut"]), &mixed), "a\n3\n\nOK");
    }

    #[test]
    fn raw_command_list_is_redis_cli_7_0() {
        let raw = |words: &[&str]| format_reply_for(&argv(words), &Value::Integer(7)) == "7";
        for words in [
            &["info"][..],
            &["InFo", "replication"],
            &["lolwut", "version", "5"],
            &["debug", "htstats", "0"],
            &["DEBUG", "HTSTATS-KEY", "k"],
            &["debug", "client-eviction"],
            &["memory", "malloc-stats"],
            &["memory", "doctor"],
            &["cluster", "nodes"],
            &["cluster", "info"],
            &["client", "list"],
            &["client", "info"],
            &["client", "list", "type", "replica"],
            &["latency", "graph", "command"],
            &["latency", "doctor"],
            &["proxy", "info", "x"],
        ] {
            assert!(raw(words), "{words:?} should print raw");
        }
        for words in [
            &["get", "info"][..],
            &["debug"],
            &["debug", "object", "k"],
            &["memory", "usage", "k"],
            &["cluster", "nodes", "x"],
            &["cluster"],
            &["client", "kill"],
            &["latency", "graph"],
            &["latency", "doctor", "x"],
            &["latency", "latest"],
            &["proxy"],
            &["role"],
            &["replconf", "getack", "*"],
        ] {
            assert!(!raw(words), "{words:?} should print TTY");
        }
        // strcasecmp sees a C string, which ends at the first NUL.
        assert!(raw(&["info\0junk"]));
    }

    /// `run`'s printing straight into its output is format_reply_for's text and the
    /// newline `run` adds when that text has none at its end.
    #[test]
    fn printing_appends_the_formatted_reply() {
        let simple = |s: &'static str| Value::Simple(s.into());
        let values = [
            Value::ok(),
            simple(""),
            simple("a\n"),
            simple("\n"),
            simple("a\0b"),
            simple("\0"),
            Value::err("ERR x"),
            Value::err("ERR x\n"),
            Value::err(""),
            Value::Integer(-7),
            Value::Nil,
            Value::NilArray,
            bulk(""),
            bulk("a\nb"),
            Value::Bulk(b"# Server\r\nredis_version:7.0.15\r\n".to_vec()),
            Value::Array(vec![]),
            Value::Array(vec![simple(""), simple("\n")]),
            Value::Array(vec![
                bulk("x"),
                Value::Array(vec![Value::Integer(1), simple("\n")]),
            ]),
            Value::Array((0..12).map(Value::Integer).collect()),
        ];
        for words in [&["set", "k", "v"][..], &["info"], &["client", "list"], &[]] {
            for v in &values {
                let want = format_reply_for(&argv(words), v);
                let want = if want.ends_with('\n') {
                    want
                } else {
                    want + "\n"
                };
                let mut out = String::from("m> X\n");
                print_reply_for(&argv(words), v, &mut out);
                assert_eq!(out, format!("m> X\n{want}"), "{words:?} {v:?}");
            }
        }
    }
}
