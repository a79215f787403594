//! The scenario language (`docs/scenario-format.md`: the contract, with this
//! repository's extensions): lexer, syntax tree, parser, and the
//! runner that plays statements against a [`crate::sim::Sim`].

pub mod ast;
pub mod bounds;
pub mod lexer;
pub mod parse;
pub mod run;

pub use ast::{Scenario, Stmt, StmtKind};
pub use bounds::{bounds, Bounds};
pub use parse::{parse_scenario, parse_statement, ParseError};
pub use run::{
    run_text, run_with, Expectation, Progress, RunOptions, RunOutcome, Runner, ScenarioError,
    TraceMode,
};
