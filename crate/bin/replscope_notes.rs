//! Notes on standard error beside the transcript, as the page's console gives them: a
//! command answered "unknown command" that is a real command of the node's version
//! (`CLIENT LIST`), and an `INFO` section the simulator does not print (`INFO memory`).
//! The transcript keeps the replies as they are; the notes say why.

use std::cell::RefCell;

/// The real servers' command names by version (the page fetches the same file).
const REAL_COMMANDS: &str = include_str!("../../www/data/redis-commands.json");

/// `INFO` sections of a real server that the simulator leaves out (crate/node/info.rs).
const HOST_SECTIONS: &[&str] = &[
    "memory",
    "cpu",
    "modules",
    "commandstats",
    "errorstats",
    "latencystats",
    "cluster",
];

enum Seen {
    /// Line, node, the unknown command's name.
    Unknown(usize, String, String),
    /// Line, the section asked for.
    Section(usize, String),
}

#[derive(Default)]
struct Scan {
    line: usize,
    /// The line and node of the command echoed last (the node's name in a buffer used
    /// again: a file of a million commands is scanned here too).
    last: Option<usize>,
    last_node: String,
    /// An `INFO <host section>` echoed, its reply not seen yet.
    section: Option<(usize, String)>,
    seen: Vec<Seen>,
}

thread_local! {
    static SCAN: RefCell<Scan> = RefCell::new(Scan::default());
}

/// The statement about to run (its transcript follows).
pub fn at_line(line: usize) {
    SCAN.with(|s| s.borrow_mut().line = line);
}

/// Look through a piece of the transcript as it is printed.
pub fn scan(text: &str) {
    // Most statements are neither (a file of SETs): skip them at the cost of a search.
    let info = text.contains("nfo ") || text.contains("NFO ");
    if !info && !text.contains("unknown command '") {
        SCAN.with(|s| s.borrow_mut().section = None);
        return;
    }
    SCAN.with(|s| {
        let mut s = s.borrow_mut();
        for l in text.lines() {
            if let Some((line, section)) = s.section.take() {
                if l.is_empty() {
                    s.seen.push(Seen::Section(line, section));
                    continue;
                }
            }
            if let Some((node, cmd)) = prompt(l) {
                let line = s.line;
                if cmd
                    .get(..5)
                    .is_some_and(|w| w.eq_ignore_ascii_case("info "))
                {
                    let mut words = cmd[5..].split_whitespace();
                    if let (Some(sec), None) = (words.next(), words.next()) {
                        let sec = sec.to_ascii_lowercase();
                        if HOST_SECTIONS.contains(&sec.as_str()) {
                            s.section = Some((line, sec));
                        }
                    }
                }
                s.last = Some(line);
                s.last_node.clear();
                s.last_node.push_str(node);
                continue;
            }
            let err = l.strip_prefix("(error) ").unwrap_or(l);
            if let Some(rest) = err.strip_prefix("ERR unknown command '") {
                if let (Some(name), Some(line)) = (rest.split('\'').next(), s.last) {
                    let seen = Seen::Unknown(line, s.last_node.clone(), name.to_string());
                    s.seen.push(seen);
                }
            }
        }
    });
}

/// `NODE> COMMAND ...` as the transcript echoes a console command.
fn prompt(l: &str) -> Option<(&str, &str)> {
    let (node, cmd) = l.split_once("> ")?;
    let ok = !node.is_empty()
        && node.len() <= 32
        && node.starts_with(|c: char| c.is_ascii_alphabetic())
        && node
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then_some((node, cmd))
}

/// Print the notes (`FILE:LINE: note: ...`); `version` names a node's version.
pub fn print(file: &str, version: impl Fn(&str) -> Option<&'static str>) {
    let seen = SCAN.with(|s| std::mem::take(&mut s.borrow_mut().seen));
    if seen.is_empty() {
        return;
    }
    let real: serde_json::Value = serde_json::from_str(REAL_COMMANDS).unwrap_or_default();
    for s in seen {
        match s {
            Seen::Unknown(line, node, name) => {
                let Some(v) = version(&node) else { continue };
                let lower = name.to_ascii_lowercase();
                let known = real[v]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|n| n.as_str() == Some(lower.as_str())));
                if known {
                    eprintln!(
                        "{file}:{line}: note: {} is a real {v} command that replscope does not simulate, \
                         so it answers as if the command did not exist (docs/scenario-format.md lists \
                         the commands it simulates)",
                        name.to_ascii_uppercase()
                    );
                }
            }
            Seen::Section(line, section) => eprintln!(
                "{file}:{line}: note: replscope's INFO has no {section} section: it prints Server, \
                 Clients, Persistence, Stats, Replication and Keyspace, the sections it simulates \
                 (the others describe the real process, for which a simulator has no honest numbers)"
            ),
        }
    }
}
