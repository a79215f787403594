//! `replscope run`'s progress display: a long run says on standard error where it is
//! (the statement's line and text, the simulated time it has reached, the wall time
//! so far), so a `wait 10080m` of a busy cluster or a file of a million commands does
//! not look hung. Standard output is not touched: the transcript printed meanwhile
//! erases the line first (see `flush_transcript`), and the next report draws it again.
//!
//! On by default when standard error is a terminal: nothing for the first second, then
//! one line rewritten in place four times a second and erased before the transcript is
//! printed. `--progress` turns it on elsewhere too (a full line a second, for logs);
//! `--no-progress` turns it off. `REPLSCOPE_PROGRESS_MS=N` sets both the first delay
//! and the interval (the tests use 0). The simulation never reads the clock: the runner
//! calls [`on_progress`] every few thousand events and [`at_statement`] per statement,
//! and only this module looks at the time.

use replscope::scenario::Progress;
use std::cell::RefCell;
use std::io::Write;
use std::time::{Duration, Instant};

/// When the display is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// On if standard error is a terminal.
    Auto,
    /// `--progress`.
    On,
    /// `--no-progress`.
    Off,
}

struct Display {
    /// The scenario's text and name, to show the statement.
    text: String,
    file: String,
    /// Lines in the file.
    lines: usize,
    /// Rewrite one line in place (a terminal) or print whole lines.
    in_place: bool,
    start: Instant,
    /// When the next line is due.
    next: Instant,
    every: Duration,
    /// A line is on the terminal (to erase).
    shown: bool,
    /// The statement being run, and the statements begun so far.
    line: usize,
    statements: u64,
    /// The statement the last report was about: its line, when (wall) and where
    /// (simulated µs) that report saw it first, for the time left.
    seen: (usize, Instant, u64),
}

thread_local! {
    static DISPLAY: RefCell<Option<Display>> = const { RefCell::new(None) };
}

/// Set the display up for a run of `text` (the file `file`), as `mode` asks.
pub fn start(mode: Mode, file: &str, text: &str) -> bool {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let on = match mode {
        Mode::On => true,
        Mode::Off => false,
        Mode::Auto => tty,
    };
    if !on {
        return false;
    }
    let ms = std::env::var("REPLSCOPE_PROGRESS_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    let first = Duration::from_millis(ms.unwrap_or(1000));
    let every = Duration::from_millis(ms.unwrap_or(if tty { 250 } else { 1000 }));
    let now = Instant::now();
    DISPLAY.with(|d| {
        *d.borrow_mut() = Some(Display {
            text: text.to_string(),
            file: file.to_string(),
            lines: text.lines().count(),
            in_place: tty,
            start: now,
            next: now + first,
            every,
            shown: false,
            line: 0,
            statements: 0,
            seen: (0, now, 0),
        })
    });
    true
}

/// A statement begins (called for every statement: only every 1024th looks at the
/// clock, so a file of a million short commands still says how far it got).
pub fn at_statement(line: usize) {
    DISPLAY.with(|d| {
        if let Some(d) = d.borrow_mut().as_mut() {
            d.line = line;
            d.statements += 1;
            if d.statements.is_multiple_of(1024) && Instant::now() >= d.next {
                let text = format!("line {line} of {}", d.lines);
                d.show(&(text, String::new()));
            }
        }
    });
}

/// The runner's hook: the statement running has got to `p`.
pub fn on_progress(p: &Progress) {
    DISPLAY.with(|d| {
        if let Some(d) = d.borrow_mut().as_mut() {
            let now = Instant::now();
            if d.seen.0 != p.line {
                d.seen = (p.line, now, p.now_us);
            }
            if now < d.next {
                return;
            }
            let at = sim_time(p.now_us.saturating_sub(p.from_us));
            let (what, left) = match p.until_us {
                Some(until) => {
                    let total = until.saturating_sub(p.from_us).max(1);
                    let done = p.now_us.saturating_sub(p.from_us);
                    // The time left at the pace since this statement was first seen.
                    let (_, wall0, sim0) = d.seen;
                    let sim_rate = p.now_us.saturating_sub(sim0) as f64
                        / now.duration_since(wall0).as_secs_f64().max(1e-3);
                    let left = match until.saturating_sub(p.now_us) as f64 / sim_rate {
                        s if !s.is_finite() || sim_rate <= 0.0 => String::new(),
                        s if s < 1.0 => ", under a second left".to_string(),
                        s => format!(", about {s:.0} s left"),
                    };
                    let what = format!(
                        "{at} of {} simulated ({}%)",
                        sim_time(total),
                        done * 100 / total
                    );
                    (what, left)
                }
                None => (format!("{at} simulated"), String::new()),
            };
            // A terminal's line stays short (a wrapped one could not be rewritten).
            let text = if d.in_place {
                format!("line {} `{}`: {what}", p.line, d.statement(p.line, 24))
            } else {
                format!(
                    "line {} `{}`: {what}, {} events",
                    p.line,
                    d.statement(p.line, 60),
                    thousands(p.events)
                )
            };
            let text = (text, left);
            d.show(&text);
        }
    });
}

/// Erase the line on the terminal, if one is shown (before the transcript or a
/// message is printed).
pub fn finish() {
    DISPLAY.with(|d| {
        if let Ok(mut d) = d.try_borrow_mut() {
            if let Some(d) = d.as_mut() {
                if d.shown && d.in_place {
                    let _ = std::io::stderr().write_all(b"\r\x1b[K");
                }
                d.shown = false;
            }
        }
    });
}

impl Display {
    /// The text of line `line`, trimmed and cut to `max` characters.
    fn statement(&self, line: usize, max: usize) -> String {
        let s = self
            .text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim();
        match s.char_indices().nth(max) {
            Some((i, _)) => format!("{}…", &s[..i]),
            None => s.to_string(),
        }
    }

    /// Show `what`, then the wall time so far and `left` (", about 3 s left").
    fn show(&mut self, (what, left): &(String, String)) {
        let now = Instant::now();
        self.next = now + self.every;
        let wall = now.duration_since(self.start).as_secs_f64();
        let line = if self.in_place {
            format!("replscope: {what}; {wall:.0} s so far{left}")
        } else {
            format!("replscope: {}: {what}; {wall:.1} s so far{left}", self.file)
        };
        let mut err = std::io::stderr().lock();
        let _ = if self.in_place {
            write!(err, "\r\x1b[K{line}")
        } else {
            writeln!(err, "{line}")
        };
        let _ = err.flush();
        self.shown = true;
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Simulated time as `h:mm:ss` (with `Nd ` before it past a day).
fn sim_time(us: u64) -> String {
    let s = us / 1_000_000;
    let (d, h, m, s) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if d > 0 {
        format!("{d}d {h}:{m:02}:{s:02}")
    } else {
        format!("{h}:{m:02}:{s:02}")
    }
}
