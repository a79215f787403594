//! Small building blocks shared by the core.

pub mod sort;
pub mod vecmap;

pub use vecmap::VecMap;
