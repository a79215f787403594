//! Redis's own C helpers, ported once and shared.
//!
//! Each function here is a faithful port of a helper from Redis's C sources (or of
//! the C library call Redis makes), named after the C function it mirrors, quirks
//! included: a reader comparing the simulator with a real `redis-server` must get
//! the same answer for the same bytes, so a caller never re-implements one of these.
//! Each file keeps the tests that pin its function to what Redis does.
//!
//! - [`libc`]: `isspace` ([`is_c_space`]), `strtoll`, and the C-string view of a
//!   byte slice ([`cstr`]).
//! - [`util`] (Redis's `src/util.c`): [`string2ll`], [`memtoull`],
//!   [`stringmatchlen`] (the `KEYS` and `CONFIG GET` glob).
//! - [`sds`] (`src/sds.c`): [`sdssplitargs`], with [`sds::SplitArgs`], the
//!   argument-by-argument variant that reports where each argument was written (the
//!   scenario lexer's).
//! - [`long_double`]: the x87 80-bit `long double` arithmetic of `INCRBYFLOAT` and
//!   `HINCRBYFLOAT` (`string2ld` / `ld2string` over glibc's `strtold` / `%.17Lf`).
//! - [`lzf`] (`src/lzf_c.c`, `src/lzf_d.c`): the LZF compression of RDB strings.

pub mod libc;
pub mod long_double;
pub mod lzf;
pub mod sds;
pub mod util;

pub use libc::{cstr, is_c_space, strtoll};
pub use sds::sdssplitargs;
pub use util::{memtoull, string2ll, stringmatchlen};
