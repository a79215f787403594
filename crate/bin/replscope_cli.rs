//! The command line itself (native only; crate/bin/replscope.rs is the entry point).

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: replscope run [--seed N] [--trace FILE.json|-] [--memory-limit SIZE] [--[no-]progress] FILE\n\
       replscope explain MASTER.txt REPLICA.txt [--rate BYTES_PER_S | --later MASTER2.txt [--seconds N]]\n\
                         [--outage 120s] [--replica-addr IP:PORT] [--json | --scenario]\n\
       replscope --version\n\
Plays a scenario (see docs/scenario-format.md): prints each console command and its\n\
reply as redis-cli would, checks every expect. FILE may be - for standard input.\n\
--seed N replaces the scenario's seed line. --trace writes the event log as JSON lines\n\
(docs/trace-format.md); --trace - writes it to standard output, and the transcript to\n\
standard error. --memory-limit (default 2gb, at least 1mb) bounds the simulated world.\n\
A long run shows its progress on standard error when that is a terminal (--progress:\n\
always, a line a second; --no-progress: never). Each option, of run or explain, at most once.";

pub fn main() -> ExitCode {
    ceiling::keep_freed_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("explain") => explain(&args[1..]),
        Some("--version") | Some("-V") => print_out(&format!(
            "replscope {} (simulates Redis 7.0.15)\n",
            env!("CARGO_PKG_VERSION")
        )),
        Some("--help") | Some("-h") | Some("help") => print_out(&format!("{USAGE}\n")),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Write `text` to standard output: exit 0, or 2 with a message when it cannot be
/// written (`replscope --help > /dev/full`).
fn print_out(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("replscope: cannot write to standard output: {e}");
            ExitCode::from(2)
        }
    }
}

/// The least `--memory-limit` (1mb): a world of a few nodes needs tens of KB, and a
/// smaller limit could only stop a run before its first statement.
const MEMORY_LIMIT_MIN: u64 = 1 << 20;

/// `replscope run`'s options that take a value or are switches: each may be given once.
const RUN_OPTIONS: [&str; 5] = [
    "--seed",
    "--trace",
    "--memory-limit",
    "--progress",
    "--no-progress",
];

/// `replscope explain`'s options: each may be given once too.
const EXPLAIN_OPTIONS: [&str; 7] = [
    "--rate",
    "--later",
    "--seconds",
    "--outage",
    "--replica-addr",
    "--json",
    "--scenario",
];

/// Note `arg` if it is one of `options`, refusing it the second time: a repeated
/// option (`--seed 1 --seed 2`) used to take the last value, silently.
///
/// # Errors
/// "OPTION given twice (give it once)".
fn given_once(
    options: &[&'static str],
    given: &mut Vec<&'static str>,
    arg: &str,
) -> Result<(), String> {
    if let Some(&option) = options.iter().find(|o| **o == arg) {
        if given.contains(&option) {
            return Err(format!("{option} given twice (give it once)"));
        }
        given.push(option);
    }
    Ok(())
}

fn run(args: &[String]) -> ExitCode {
    let mut seed = None;
    let mut trace = None;
    let mut file = None;
    let mut progress = crate::progress::Mode::Auto;
    let mut given: Vec<&str> = Vec::new();
    let usage_error = |m: String| {
        eprintln!("replscope: {m}");
        ExitCode::from(2)
    };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        if let Err(m) = given_once(&RUN_OPTIONS, &mut given, arg) {
            return usage_error(m);
        }
        if given.iter().filter(|g| g.ends_with("progress")).count() > 1 {
            return usage_error("give --progress or --no-progress, not both".into());
        }
        match arg {
            "--help" | "-h" => return print_out(&format!("{USAGE}\n")),
            "--seed" => {
                i += 1;
                match args.get(i).map(|s| (s, s.parse::<u64>())) {
                    Some((_, Ok(s))) => seed = Some(s),
                    Some((s, Err(_))) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                        eprintln!("replscope: --seed {s} is too large (at most {})", u64::MAX);
                        return ExitCode::from(2);
                    }
                    _ => {
                        eprintln!("replscope: --seed needs a non-negative integer");
                        return ExitCode::from(2);
                    }
                }
            }
            "--memory-limit" => {
                i += 1;
                let value = args.get(i).map(String::as_str).unwrap_or("");
                match replscope::redis_util::memtoull(value.as_bytes()).filter(|&n| n > 0) {
                    Some(n) if n < MEMORY_LIMIT_MIN => {
                        return usage_error(format!(
                            "--memory-limit {value} ({n} bytes) is too small: the least is 1mb \
                             ({MEMORY_LIMIT_MIN} bytes); the default is 2gb"
                        ));
                    }
                    Some(n) => {
                        ceiling::LIMIT.store(
                            usize::try_from(n).unwrap_or(usize::MAX),
                            std::sync::atomic::Ordering::Relaxed,
                        );
                        let _ = ceiling::GIVEN.set(value.to_string());
                    }
                    None => {
                        eprintln!("replscope: --memory-limit needs a size (e.g. 512mb or 4gb)");
                        return ExitCode::from(2);
                    }
                }
            }
            "--progress" => progress = crate::progress::Mode::On,
            "--no-progress" => progress = crate::progress::Mode::Off,
            "--trace" => {
                i += 1;
                match args.get(i) {
                    Some(p) => trace = Some(p.clone()),
                    None => {
                        eprintln!(
                            "replscope: --trace needs a file name (or - for standard output)"
                        );
                        return ExitCode::from(2);
                    }
                }
            }
            f if file.is_none() && (!f.starts_with('-') || f == "-") => file = Some(f.to_string()),
            other => {
                eprintln!("replscope: unexpected argument '{other}'\n{USAGE}");
                return ExitCode::from(2);
            }
        }
        i += 1;
    }
    let Some(file) = file else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let bytes = if file == "-" {
        let mut b = Vec::new();
        if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut b) {
            eprintln!("replscope: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        b
    } else {
        match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("replscope: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "replscope: {}",
                not_utf8(&file, e.as_bytes(), e.utf8_error())
            );
            return ExitCode::from(2);
        }
    };
    // The trace is written as the run goes (a long run holds no log in memory).
    let mut opts = replscope::scenario::RunOptions {
        seed,
        trace: replscope::scenario::TraceMode::Off,
        on_statement: Some(at_line),
        on_progress: None,
        on_output: Some(print_transcript),
    };
    if crate::progress::start(progress, &file, &text) {
        opts.on_progress = Some(crate::progress::on_progress);
    }
    let _ = ceiling::FILE.set(file.clone());
    ceiling::arm();
    // The trace must not be the scenario itself (`--trace x.scn x.scn` overwrote it).
    if let Some(path) = &trace {
        if path != "-" && file != "-" && same_file(path, &file) {
            eprintln!(
                "replscope: --trace {path} is the scenario file itself: writing the trace there \
                 would overwrite it (choose another name, e.g. trace.json)"
            );
            return ExitCode::from(2);
        }
    }
    let sink = match &trace {
        Some(path) => match TraceFile::create(path) {
            Ok(t) => {
                opts.trace = replscope::scenario::TraceMode::Stream(t.sink());
                Some(t)
            }
            Err(e) => {
                eprintln!("replscope: cannot write {}: {e}", trace_name(path));
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    // `--trace -`: standard output carries the trace alone, the transcript goes to
    // standard error.
    if trace.as_deref() == Some("-") {
        TRANSCRIPT_TO_STDERR.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let outcome = replscope::scenario::run_with(&text, &opts);
    drop(opts);
    flush_transcript();
    crate::progress::finish();
    for e in &outcome.expectations {
        if !e.passed {
            eprintln!(
                "{file}:{}: expect failed: {} ({})",
                e.line,
                e.text.trim(),
                e.detail
            );
            // A field or a node name probably mistyped (the page's console says the same).
            if let Some(hint) = &e.hint {
                eprintln!("{file}:{}: note: {hint}", e.line);
            }
        }
    }
    if let Some(sim) = &outcome.sim {
        crate::notes::print(&file, |name| {
            Some(sim.node(sim.node_id(name)?)?.cfg.version.name())
        });
    }
    if let Some(e) = &outcome.error {
        eprintln!("{file}:{}:{}: {}", e.line, e.col, e.message);
    }
    if let (Some(path), Some(t)) = (trace, sink) {
        // No trace for a scenario that did not parse (nothing ran): the file given, if
        // it existed, is left as it was.
        let result = match &outcome.sim {
            Some(_) => t.finish(&path),
            None => t.discard(),
        };
        if let Err(e) = result {
            eprintln!("replscope: cannot write {}: {e}", trace_name(&path));
            return ExitCode::from(2);
        }
    }
    let code = outcome.exit_code() as u8;
    // The process ends now: freeing a big world piece by piece would take a tenth
    // of a long run's time for nothing.
    std::mem::forget(outcome);
    ExitCode::from(code)
}

thread_local! {
    /// Transcript not yet written to standard output.
    static TRANSCRIPT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// A statement's transcript as the run makes it: written after a statement that is
/// not a plain command line (`at_boundary`) or once 64 KB piled up (a file of a
/// million commands is not a million writes).
fn print_transcript(text: &str, at_boundary: bool) {
    crate::notes::scan(text);
    let full = TRANSCRIPT.with(|t| {
        let mut t = t.borrow_mut();
        t.push_str(text);
        t.len() >= 64 * 1024
    });
    if at_boundary || full {
        flush_transcript();
    }
}

/// Write what is left of the transcript (the progress line, if one is shown, is
/// erased first and comes back with the next report). Also called when the memory
/// ceiling stops the run, from the allocator: nothing is written if the buffer is
/// busy (being grown) at that moment.
///
/// A transcript that cannot be written to standard output (a full disk, a closed
/// pipe) stops the run: exit 2, with a message (it exited 0, the output lost).
pub fn flush_transcript() {
    let failed = TRANSCRIPT.with(|t| {
        let Ok(mut t) = t.try_borrow_mut() else {
            return None;
        };
        if t.is_empty() {
            return None;
        }
        crate::progress::finish();
        let result = if TRANSCRIPT_TO_STDERR.load(std::sync::atomic::Ordering::Relaxed) {
            // Nowhere to tell of a failure to write standard error.
            let _ = std::io::stderr().lock().write_all(t.as_bytes());
            Ok(())
        } else {
            let mut out = std::io::stdout().lock();
            out.write_all(t.as_bytes()).and_then(|()| out.flush())
        };
        t.clear();
        result.err()
    });
    if let Some(e) = failed {
        eprintln!("replscope: cannot write the transcript to standard output: {e}");
        discard_trace();
        std::process::exit(2);
    }
}

/// The transcript goes to standard error (`--trace -` writes the trace to standard
/// output).
static TRANSCRIPT_TO_STDERR: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Before each statement: the memory ceiling's message names its line, and the
/// progress display counts it.
fn at_line(line: usize) {
    ceiling::at_line(line);
    crate::progress::at_statement(line);
    crate::notes::at_line(line);
}

/// Where a file stops being UTF-8: `FILE:LINE:COLUMN: not UTF-8 text (byte 0xff at
/// offset N)`, the column counted in characters as the scenario's errors are.
fn not_utf8(file: &str, bytes: &[u8], e: std::str::Utf8Error) -> String {
    let at = e.valid_up_to();
    let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!(
        "{file}:{line}:{col}: not UTF-8 text (byte 0x{:02x} at offset {at}); \
         write arbitrary bytes in a quoted argument as \\xHH",
        bytes[at]
    )
}

/// How `--trace PATH` is named in messages.
fn trace_name(path: &str) -> String {
    if path == "-" {
        "the trace to standard output".into()
    } else {
        format!("trace {path}")
    }
}

/// Where the trace's records go, and the first error writing them.
type TraceOut =
    std::rc::Rc<std::cell::RefCell<(std::io::BufWriter<Box<dyn Write>>, Option<std::io::Error>)>>;

/// The `--trace` file: one JSON line per record, written as records are made.
struct TraceFile {
    out: TraceOut,
    /// Where a regular file is written until the run is over; None when the trace is
    /// written where it goes (standard output, a device such as /dev/null, a pipe).
    temp: Option<String>,
}

/// The trace's temporary file, removed if the run stops at the memory ceiling.
static TRACE_TEMP: std::sync::OnceLock<String> = std::sync::OnceLock::new();

thread_local! {
    /// The trace written in place, flushed if the run stops at the memory ceiling.
    static TRACE_IN_PLACE: std::cell::RefCell<Option<TraceOut>> = const { std::cell::RefCell::new(None) };
}

/// The run stops before its end: remove the trace's temporary file, if any (a file
/// already at its path stays as it was), or write out what is buffered of a trace
/// written in place (whole records: each is written in one piece).
pub fn discard_trace() {
    if let Some(t) = TRACE_TEMP.get() {
        let _ = std::fs::remove_file(t);
    }
    TRACE_IN_PLACE.with(|t| {
        if let Some(out) = t.try_borrow().ok().and_then(|t| t.clone()) {
            if let Ok(mut o) = out.try_borrow_mut() {
                let _ = o.0.flush();
            }
        }
    });
}

/// True when `a` and `b` name the same existing file (a link or another spelling too).
fn same_file(a: &str, b: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

impl TraceFile {
    /// A regular file (or a new one) is written beside `path` under another name, and
    /// renamed to `path` once the run is over: a scenario that does not parse, or a run
    /// stopped at the memory ceiling, leaves a file already at `path` as it was. `-` is
    /// standard output; anything else that exists and is not a regular file (a device,
    /// a pipe) is written in place (renaming onto /dev/null replaced it, for root, with
    /// a regular file).
    fn create(path: &str) -> std::io::Result<TraceFile> {
        let (w, temp): (Box<dyn Write>, _) = if path == "-" {
            (Box::new(std::io::stdout()), None)
        } else if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            let f = std::fs::OpenOptions::new().write(true).open(path)?;
            (Box::new(f), None)
        } else {
            let temp = format!("{path}.replscope-{}.tmp", std::process::id());
            let f = std::fs::File::create(&temp)?;
            let _ = TRACE_TEMP.set(temp.clone());
            (Box::new(f), Some(temp))
        };
        let out: TraceOut =
            std::rc::Rc::new(std::cell::RefCell::new((std::io::BufWriter::new(w), None)));
        if temp.is_none() {
            TRACE_IN_PLACE.with(|t| *t.borrow_mut() = Some(out.clone()));
        }
        Ok(TraceFile { out, temp })
    }

    fn sink(&self) -> replscope::sim::trace::Sink {
        let out = self.out.clone();
        replscope::sim::trace::Sink(std::rc::Rc::new(std::cell::RefCell::new(
            move |e: &replscope::sim::trace::TraceEvent| {
                if out.borrow().1.is_some() {
                    return;
                }
                // Made before the writer is borrowed (the memory ceiling may stop the
                // run while it is made, and flushes the writer), and written in one
                // piece, so what is written out is whole lines.
                let mut line = e.to_json();
                line.push('\n');
                let mut o = out.borrow_mut();
                if let Err(err) = o.0.write_all(line.as_bytes()) {
                    o.1 = Some(err);
                }
            },
        )))
    }

    fn finish(self, path: &str) -> std::io::Result<()> {
        {
            let mut o = self.out.borrow_mut();
            let result = match o.1.take() {
                Some(e) => Err(e),
                None => o.0.flush(),
            };
            if let Err(e) = result {
                if let Some(temp) = &self.temp {
                    let _ = std::fs::remove_file(temp);
                }
                return Err(e);
            }
        }
        match &self.temp {
            Some(temp) => std::fs::rename(temp, path),
            None => Ok(()),
        }
    }

    fn discard(self) -> std::io::Result<()> {
        match &self.temp {
            Some(temp) => std::fs::remove_file(temp),
            None => Ok(()),
        }
    }
}

fn read_text(file: &str) -> Result<String, String> {
    let bytes = if file == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        b
    } else {
        std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?
    };
    String::from_utf8(bytes).map_err(|_| format!("{file}: not UTF-8 text"))
}

/// `120`, `120s`, `2m`, `1h` as whole seconds.
fn duration_s(s: &str) -> Option<i64> {
    let (num, unit) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: i64 = num.parse().ok().filter(|n| *n >= 0)?;
    n.checked_mul(match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        _ => return None,
    })
}

fn explain(args: &[String]) -> ExitCode {
    use replscope::explain::{explain_texts, report::report, Options};
    let mut opts = Options::default();
    let mut files = Vec::new();
    let mut later = None;
    let mut seconds = None;
    let mut json = false;
    let mut scenario = false;
    let mut given = Vec::new();
    let mut i = 0;
    let fail = |m: String| {
        eprintln!("replscope explain: {m}");
        ExitCode::from(2)
    };
    while i < args.len() {
        let a = args[i].as_str();
        if let Err(m) = given_once(&EXPLAIN_OPTIONS, &mut given, a) {
            return fail(m);
        }
        let mut value = || {
            i += 1;
            args.get(i).cloned()
        };
        match a {
            "--rate" => match value().and_then(|v| replscope::redis_util::memtoull(v.as_bytes())) {
                Some(r) => opts.rate_bytes_per_s = i64::try_from(r).ok(),
                None => return fail("--rate needs bytes per second (e.g. 250000 or 2mb)".into()),
            },
            "--later" => match value() {
                Some(f) => later = Some(f),
                None => return fail("--later needs a file".into()),
            },
            "--seconds" => match value().and_then(|v| duration_s(&v)) {
                Some(s) => seconds = Some(s),
                None => return fail("--seconds needs a duration (e.g. 10 or 10s)".into()),
            },
            "--outage" => match value().and_then(|v| duration_s(&v)) {
                Some(s) => opts.outage_s = Some(s),
                None => return fail("--outage needs a duration (e.g. 120s or 2m)".into()),
            },
            "--replica-addr" => match value() {
                Some(v) => opts.replica_name = Some(v),
                None => return fail("--replica-addr needs IP:PORT".into()),
            },
            "--json" => json = true,
            "--scenario" => scenario = true,
            f if !f.starts_with('-') || f == "-" => files.push(f.to_string()),
            other => return fail(format!("unexpected argument '{other}'\n{USAGE}")),
        }
        i += 1;
    }
    let [master, replica] = files.as_slice() else {
        return fail(format!(
            "needs the master's and the replica's INFO files\n{USAGE}"
        ));
    };
    if later.is_some() && opts.rate_bytes_per_s.is_some() {
        return fail("give --rate or --later, not both".into());
    }
    let (m, r) = match (read_text(master), read_text(replica)) {
        (Ok(m), Ok(r)) => (m, r),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    if let Some(f) = later {
        match read_text(&f) {
            Ok(t) => opts.later = Some((t, seconds)),
            Err(e) => return fail(e),
        }
    }
    if json && scenario {
        return fail("give --json or --scenario, not both".into());
    }
    match explain_texts(&m, &r, &opts) {
        Ok(e) => {
            let mut out = std::io::stdout().lock();
            let text = if scenario {
                // The scenario of the seeded world (docs/explain.md, "Open as a scenario").
                match replscope::explain::scenario_texts(&m, &r, &opts) {
                    Ok(t) => t,
                    Err(why) => return fail(why),
                }
            } else if json {
                serde_json::to_string_pretty(&e).unwrap_or_default() + "\n"
            } else {
                report(&e)
            };
            if let Err(err) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                return fail(format!("cannot write to standard output: {err}"));
            }
            ExitCode::from(e.outcome.exit_code())
        }
        Err(e) => fail(format!("cannot tell: {e}")),
    }
}

/// The simulator's memory ceiling (`--memory-limit`, default 2 GB): the whole
/// simulated world (datasets, backlogs, buffers, segments in flight) counted by the
/// allocator. A run that would go over it stops with exit 2 and a message naming the
/// statement, instead of an allocation failure that aborts the process. It is a limit
/// of the simulator, not of Redis (Redis has `maxmemory`, which is not simulated).
mod ceiling {
    use mimalloc::MiMalloc as System;
    use std::alloc::{GlobalAlloc, Layout};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::OnceLock;

    /// The ceiling in bytes.
    pub static LIMIT: AtomicUsize = AtomicUsize::new(2 << 30);
    /// The scenario file, for the message.
    pub static FILE: OnceLock<String> = OnceLock::new();
    /// `--memory-limit`'s value as given, for the message.
    pub static GIVEN: OnceLock<String> = OnceLock::new();
    static LINE: AtomicUsize = AtomicUsize::new(0);
    static LIVE: AtomicUsize = AtomicUsize::new(0);
    static ARMED: AtomicBool = AtomicBool::new(false);

    extern "C" {
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
        fn mi_malloc(size: usize) -> *mut u8;
        fn mi_zalloc(size: usize) -> *mut u8;
        fn mi_realloc(p: *mut u8, size: usize) -> *mut u8;
    }

    /// mimalloc's `MI_MAX_ALIGN_SIZE`: a block of at least this many bytes is aligned
    /// to it (smaller ones to their size's own alignment, as glibc's malloc). A
    /// request aligned no more strictly takes the plain entry points, not the aligned
    /// ones the `MiMalloc` wrapper always calls (their extra checks were ~10% of the
    /// allocator's instructions in a write-heavy run). The rule is std's own for
    /// `System`: plain when `align <= 16 && align <= size`.
    const PLAIN_ALIGN: usize = 16;

    fn plain(l: Layout) -> bool {
        l.align() <= PLAIN_ALIGN && l.align() <= l.size()
    }

    /// `mi_option_purge_delay` in mimalloc 3 (the version Cargo.lock pins).
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

    /// A run is one short process: memory it frees is kept for its next allocations
    /// rather than handed back to the OS and faulted in (and zeroed) again later
    /// (100,000 writes with 3 replicas: 0.36 s of system time → 0.03 s). Only when the
    /// option is where mimalloc 3 keeps it (its default read back: 10 ms, or 1 s in
    /// the 3.3.2 Cargo.lock pins now, where a check for 10 alone left purging on: that
    /// run purged ~77 MB, to be faulted in and zeroed again).
    pub fn keep_freed_memory() {
        // SAFETY: plain option accessors of the allocator linked in; called once at
        // start, before any other thread exists.
        unsafe {
            if matches!(mi_option_get(MI_OPTION_PURGE_DELAY), 10 | 1000) {
                mi_option_set(MI_OPTION_PURGE_DELAY, -1);
            }
        }
    }

    /// Start enforcing (after the arguments are read).
    pub fn arm() {
        ARMED.store(true, Ordering::Relaxed);
    }

    /// The statement about to run.
    pub fn at_line(line: usize) {
        LINE.store(line, Ordering::Relaxed);
    }

    fn check(extra: usize) {
        let limit = LIMIT.load(Ordering::Relaxed);
        if !ARMED.load(Ordering::Relaxed)
            || LIVE.load(Ordering::Relaxed).saturating_add(extra) <= limit
        {
            return;
        }
        // Stop counting, so the message may allocate.
        ARMED.store(false, Ordering::Relaxed);
        super::discard_trace();
        super::flush_transcript();
        crate::progress::finish();
        let file = FILE.get().map_or("-", String::as_str);
        // Before the first statement the scenario is being read (there is no line 0).
        let at = match LINE.load(Ordering::Relaxed) {
            0 => format!("{file}: reading the scenario"),
            line => format!("{file}:{line}"),
        };
        // The ceiling exactly (1500kb is not "2 MB"), and the option that set it.
        let size = if limit.is_multiple_of(1 << 20) {
            format!("{} MB", limit >> 20)
        } else {
            format!("{limit} bytes")
        };
        let set_by = GIVEN
            .get()
            .map_or(String::new(), |v| format!(" set by --memory-limit {v}"));
        eprintln!(
            "replscope: {at}: the simulation needs more memory than the simulator's \
             ceiling of {size}{set_by} (a limit of replscope, not of Redis; raise it with \
             --memory-limit SIZE): stopped"
        );
        std::process::exit(2);
    }

    // The CLI runs on one thread: a plain load and store (no locked read-modify-write,
    // which is a full memory barrier on x86 and cost ~7% of a write-heavy run). Were
    // another thread to allocate, the count could drift; it could not be unsafe.
    fn add(n: usize) {
        LIVE.store(
            LIVE.load(Ordering::Relaxed).wrapping_add(n),
            Ordering::Relaxed,
        );
    }

    fn sub(n: usize) {
        LIVE.store(
            LIVE.load(Ordering::Relaxed).wrapping_sub(n),
            Ordering::Relaxed,
        );
    }

    struct Counting;

    // SAFETY: every call is forwarded to mimalloc (its plain entry points when the
    // alignment asked for is one every block of that size has, see `plain`); only
    // the count of live bytes is kept beside it.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            check(l.size());
            let p = if plain(l) {
                mi_malloc(l.size())
            } else {
                System.alloc(l)
            };
            if !p.is_null() {
                add(l.size());
            }
            p
        }

        unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
            check(l.size());
            let p = if plain(l) {
                mi_zalloc(l.size())
            } else {
                System.alloc_zeroed(l)
            };
            if !p.is_null() {
                add(l.size());
            }
            p
        }

        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            System.dealloc(p, l);
            sub(l.size());
        }

        unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
            check(new.saturating_sub(l.size()));
            let q = if plain(l) {
                mi_realloc(p, new)
            } else {
                System.realloc(p, l, new)
            };
            if !q.is_null() {
                add(new);
                sub(l.size());
            }
            q
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;
}
