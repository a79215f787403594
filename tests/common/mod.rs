//! Helpers shared by the integration tests (each file uses some of them).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// All `.scn` files under `dir`, sorted.
pub fn scenario_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable scenario dir") {
            let p = entry.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "scn") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Start the `replscope` binary with `args`, its stdin fed `stdin` from a thread (a
/// large input cannot fill a pipe and block us); stdout and stderr piped. Returns the
/// child and the feeding thread.
pub fn spawn_binary(
    args: &[&str],
    stdin: &[u8],
) -> (std::process::Child, std::thread::JoinHandle<()>) {
    spawn_binary_env(args, stdin, &[])
}

/// [`spawn_binary`] with these environment variables set.
pub fn spawn_binary_env(
    args: &[&str],
    stdin: &[u8],
    envs: &[(&str, &str)],
) -> (std::process::Child, std::thread::JoinHandle<()>) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_replscope"))
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin");
    let text = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&text);
    });
    (child, feeder)
}

/// Run the `replscope` binary with `args` and `stdin`, and wait for it: what a user's
/// shell would see.
pub fn run_binary(args: &[&str], stdin: &[u8]) -> std::process::Output {
    run_binary_env(args, stdin, &[])
}

/// [`run_binary`] with these environment variables set.
pub fn run_binary_env(args: &[&str], stdin: &[u8], envs: &[(&str, &str)]) -> std::process::Output {
    let (child, feeder) = spawn_binary_env(args, stdin, envs);
    let out = child.wait_with_output().expect("the binary ends");
    feeder.join().expect("stdin written");
    out
}

/// The failed expects of `text` run through the runner (`text (detail)` each), after
/// checking it ran to its end.
pub fn failed_expects(text: &str) -> Vec<String> {
    failed_and_world(text).0
}

/// `text` run through the runner to its end with every expect holding: its world.
pub fn run_holding(text: &str) -> replscope::sim::Sim {
    let (failed, sim) = failed_and_world(text);
    assert_eq!(failed, Vec::<String>::new());
    sim
}

fn failed_and_world(text: &str) -> (Vec<String>, replscope::sim::Sim) {
    let out = replscope::scenario::run::run_text(text, None);
    assert!(out.error.is_none(), "{:?}", out.error);
    let failed = out
        .expectations
        .iter()
        .filter(|e| !e.passed)
        .map(|e| format!("{} ({})", e.text, e.detail))
        .collect();
    (failed, out.sim.expect("a world"))
}
