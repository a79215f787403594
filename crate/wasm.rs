//! The WebAssembly facade (filled in by the page issue).
