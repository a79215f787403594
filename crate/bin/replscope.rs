//! `replscope run [--seed N] [--trace FILE.json] [--progress] FILE`: play a scenario.
//! `replscope explain MASTER.txt REPLICA.txt [...]`: from the INFO of two real servers,
//! the replica's next PSYNC and the master's answer (docs/explain.md).
//!
//! With replscope_cli.rs, the only code that touches stdin, stdout and files. Standard
//! output carries the console transcript (or the explanation) only; diagnostics go to
//! standard error.
//! Exit status of `run`: 0 every expect held, 1 an expect failed, 2 the scenario cannot
//! run. Of `explain`: 0 partial resync, 3 full sync, 2 cannot tell (the reason on stderr).
//!
//! The command line is native: on wasm32 (where `wasm-pack test` builds every target)
//! this binary is empty, and the page drives the library through `wasm.rs`.

#[cfg(not(target_arch = "wasm32"))]
#[path = "replscope_cli.rs"]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
#[path = "replscope_progress.rs"]
mod progress;

#[cfg(not(target_arch = "wasm32"))]
#[path = "replscope_notes.rs"]
mod notes;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
