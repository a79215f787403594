//! The simulated side: the crate's own scenario [`Runner`], statement by statement.

use crate::transcript::{holds, lookup, reply_matches, Obs, Transcript};
use replscope::node::info;
use replscope::scenario::ast::{Operand, Scenario, Stmt, StmtKind};
use replscope::scenario::Runner;

/// INFO fields of a running node of the simulation (waiting for a starting node
/// to boot, as redis-cli and the runner's `expect` do).
fn fields(r: &mut Runner, name: &str) -> Option<Vec<(String, String)>> {
    let id = r.sim.node_id(name)?;
    r.sim.wait_boot(id);
    let n = r.sim.node(id)?;
    Some(info::fields(n, r.sim.now().wall_ms()))
}

/// Play `scenario` in the simulator.
pub fn run(scenario: &Scenario) -> Transcript {
    let mut r = Runner::new(scenario.seed());
    r.declare(scenario.node_names().into_iter().map(String::from));
    Transcript::play(&scenario.statements, |s| step(&mut r, s))
}

/// The reply text from what the runner printed for a command (its line, then the reply).
fn reply_text(printed: &str) -> String {
    let body = printed.split_once('\n').map_or("", |(_, rest)| rest);
    body.trim_end_matches('\n').to_string()
}

fn step(r: &mut Runner, stmt: &Stmt) -> Result<Option<Obs>, String> {
    match &stmt.kind {
        StmtKind::Command { argv, .. } => {
            let printed = r.exec(stmt).map_err(|e| e.to_string())?;
            Ok(Some(Obs::Reply {
                argv: argv.clone(),
                text: reply_text(&printed),
            }))
        }
        StmtKind::ExpectReply {
            node,
            argv,
            expected,
        } => {
            // Run it as a console command to see the reply, and judge it here.
            let cmd = Stmt {
                line: stmt.line,
                text: stmt.text.clone(),
                kind: StmtKind::Command {
                    node: node.clone(),
                    argv: argv.clone(),
                },
            };
            let printed = r.exec(&cmd).map_err(|e| e.to_string())?;
            let text = reply_text(&printed);
            let held = reply_matches(&text, expected);
            Ok(Some(Obs::ExpectReply {
                argv: argv.clone(),
                text,
                held,
            }))
        }
        StmtKind::ExpectInfo {
            node,
            field,
            op,
            rhs,
        } => {
            let left = fields(r, node).and_then(|f| lookup(&f, field));
            let (right_field, right) = match rhs {
                Operand::Literal(v) => (None, Some(v.clone())),
                Operand::NodeField { node: o, field: f } => {
                    let v = fields(r, o).and_then(|x| lookup(&x, f));
                    (Some(f.clone()), v)
                }
            };
            r.exec(stmt).map_err(|e| e.to_string())?;
            let runner_says = r.expectations.last().is_some_and(|e| e.passed);
            let held = match (&left, &right) {
                (Some(l), Some(rv)) => holds(l, *op, rv)?,
                _ => false,
            };
            if held != runner_says {
                return Err(format!(
                    "the simulator's runner judged this expect {} but its INFO says {}",
                    if runner_says { "true" } else { "false" },
                    if held { "true" } else { "false" }
                ));
            }
            Ok(Some(Obs::ExpectInfo {
                field: field.clone(),
                left,
                right_field,
                right,
                held,
            }))
        }
        _ => {
            r.exec(stmt).map_err(|e| e.to_string())?;
            Ok(None)
        }
    }
}
