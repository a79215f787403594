//! `replscope run [--seed N] [--trace FILE.json] FILE`: play a scenario.
//!
//! The only file that touches stdin, stdout and files. Standard output carries the
//! console transcript only; diagnostics go to standard error.
//! Exit status: 0 every expect held, 1 an expect failed, 2 the scenario cannot run.

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: replscope run [--seed N] [--trace FILE.json] FILE\n\
       replscope --version\n\
Plays a scenario (see docs/scenario-format.md): prints each console command and its\n\
reply as redis-cli would, checks every expect. FILE may be - for standard input.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("--version") | Some("-V") => {
            println!(
                "replscope {} (simulates Redis 7.0.15)",
                env!("CARGO_PKG_VERSION")
            );
            ExitCode::SUCCESS
        }
        Some("--help") | Some("-h") | Some("help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let mut seed = None;
    let mut trace = None;
    let mut file = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seed" => {
                i += 1;
                match args.get(i).and_then(|s| s.parse::<u64>().ok()) {
                    Some(s) => seed = Some(s),
                    None => {
                        eprintln!("replscope: --seed needs a non-negative integer");
                        return ExitCode::from(2);
                    }
                }
            }
            "--trace" => {
                i += 1;
                match args.get(i) {
                    Some(p) => trace = Some(p.clone()),
                    None => {
                        eprintln!("replscope: --trace needs a file name");
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
    let text = if file == "-" {
        let mut s = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut s) {
            eprintln!("replscope: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        s
    } else {
        match std::fs::read(&file) {
            Ok(b) => match String::from_utf8(b) {
                Ok(s) => s,
                Err(_) => {
                    eprintln!("replscope: {file}: not UTF-8 text");
                    return ExitCode::from(2);
                }
            },
            Err(e) => {
                eprintln!("replscope: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let outcome = replscope::scenario::run_text(&text, seed);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(outcome.stdout.as_bytes());
    let _ = out.flush();
    for e in &outcome.expectations {
        if !e.passed {
            eprintln!(
                "{file}:{}: expect failed: {} ({})",
                e.line,
                e.text.trim(),
                e.detail
            );
        }
    }
    if let Some(e) = &outcome.error {
        eprintln!("{file}:{}:{}: {}", e.line, e.col, e.message);
    }
    if let (Some(path), Some(sim)) = (trace, &outcome.sim) {
        if let Err(e) = std::fs::write(&path, sim.trace.to_json_lines()) {
            eprintln!("replscope: cannot write trace {path}: {e}");
            return ExitCode::from(2);
        }
    }
    ExitCode::from(outcome.exit_code() as u8)
}
