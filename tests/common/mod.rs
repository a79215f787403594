//! Helpers shared by the integration tests.

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
