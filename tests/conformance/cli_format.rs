//! How `redis-cli` 7.0 prints a reply on a terminal (`cliFormatReplyTTY` and
//! `sdscatrepr` in redis-cli.c / sds.c), written from the Redis sources and
//! independently of the simulator's `cli` module, which it therefore also checks.

use crate::resp::Reply;

/// Commands redis-cli prints raw even on a terminal (`cliSendCommand`, redis-cli.c).
fn prints_raw(argv: &[Vec<u8>]) -> bool {
    let lc = |i: usize| -> String {
        argv.get(i)
            .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
            .unwrap_or_default()
    };
    let (cmd, sub, argc) = (lc(0), lc(1), argv.len());
    cmd == "info"
        || cmd == "lolwut"
        || (argc >= 2
            && cmd == "debug"
            && matches!(sub.as_str(), "htstats" | "htstats-key" | "client-eviction"))
        || (argc >= 2 && cmd == "memory" && matches!(sub.as_str(), "malloc-stats" | "doctor"))
        || (argc == 2 && cmd == "cluster" && matches!(sub.as_str(), "nodes" | "info"))
        || (argc >= 2 && cmd == "client" && matches!(sub.as_str(), "list" | "info"))
        || (argc == 3 && cmd == "latency" && sub == "graph")
        || (argc == 2 && cmd == "latency" && sub == "doctor")
        || (argc >= 2 && cmd == "proxy" && sub == "info")
}

/// `sdscatrepr`.
pub fn repr(bytes: &[u8]) -> String {
    let mut s = String::from("\"");
    for &b in bytes {
        match b {
            b'\\' | b'"' => {
                s.push('\\');
                s.push(b as char);
            }
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            7 => s.push_str("\\a"),
            8 => s.push_str("\\b"),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push('"');
    s
}

fn tty(r: &Reply, prefix: &str, out: &mut String) {
    match r {
        Reply::Error(e) => out.push_str(&format!("(error) {e}\n")),
        Reply::Status(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Reply::Integer(n) => out.push_str(&format!("(integer) {n}\n")),
        Reply::Bulk(Some(b)) => {
            out.push_str(&repr(b));
            out.push('\n');
        }
        Reply::Bulk(None) | Reply::Array(None) => out.push_str("(nil)\n"),
        Reply::Array(Some(items)) if items.is_empty() => out.push_str("(empty array)\n"),
        Reply::Array(Some(items)) => {
            let idxlen = items.len().to_string().len();
            let child_prefix = format!("{prefix}{}", " ".repeat(idxlen + 2));
            for (i, item) in items.iter().enumerate() {
                let p = if i == 0 { "" } else { prefix };
                out.push_str(&format!("{p}{:>idxlen$}) ", i + 1));
                tty(item, &child_prefix, out);
            }
        }
    }
}

fn raw(r: &Reply, out: &mut String) {
    match r {
        Reply::Error(e) => {
            out.push_str(e);
            out.push('\n');
        }
        Reply::Status(s) => out.push_str(s),
        Reply::Integer(n) => out.push_str(&n.to_string()),
        Reply::Bulk(Some(b)) => out.push_str(&String::from_utf8_lossy(b)),
        Reply::Bulk(None) | Reply::Array(None) => {}
        Reply::Array(Some(items)) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                raw(item, out);
            }
        }
    }
}

/// The text redis-cli prints for `r`, the reply to `argv`, without the final newline.
pub fn format(argv: &[Vec<u8>], r: &Reply) -> String {
    let mut out = String::new();
    if prints_raw(argv) {
        raw(r, &mut out);
    } else {
        tty(r, "", &mut out);
    }
    while out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Checks of the formatter, run at the start of the suite.
pub fn self_check() {
    {
        let b = |s: &str| Reply::Bulk(Some(s.as_bytes().to_vec()));
        let r = Reply::Array(Some(vec![
            b("master"),
            Reply::Integer(54),
            Reply::Array(Some(vec![Reply::Array(Some(vec![
                b("127.0.0.1"),
                b("6380"),
                b("54"),
            ]))])),
        ]));
        assert_eq!(
            format(&[b"ROLE".to_vec()], &r),
            "1) \"master\"\n2) (integer) 54\n3) 1) 1) \"127.0.0.1\"\n      2) \"6380\"\n      3) \"54\""
        );
    }
}
