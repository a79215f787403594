//! The WebAssembly facade: the only `#[wasm_bindgen]` file. A [`Playground`] handle
//! keeps the world inside wasm; JavaScript calls small methods and gets small,
//! plain values back. Errors reach JavaScript as exceptions carrying the scenario
//! error's text; no input from JavaScript can make the core panic.
//!
//! Values cross as JSON text that JavaScript's own `JSON.parse` turns into plain
//! objects. `serde-wasm-bindgen` would build them field by field through wasm
//! imports, which monomorphizes every view type a second time: measured, it cost
//! about 12 KB of the gzipped download, which the page's size budget cannot spare.
//! The text is written by [`crate::view::json`] (the trace's JSON lines too), not by
//! `serde_json`, whose generic writer is copied into every view type's code: the same
//! bytes, 2.4 KB less gzipped wasm, and no `serde_json` in the wasm at all.

use crate::playground;
use crate::time::SimTime;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The largest stretch of simulated time one call may run (a day), so no input
/// can freeze the page.
const ADVANCE_MAX_US: u64 = 24 * 3600 * 1_000_000;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// A value as plain JavaScript data. The views hold only strings, numbers and
/// string-keyed maps, so serializing cannot fail; the error says so without
/// `serde_json::Error`'s Display, whose texts (every JSON parse error and every I/O
/// error kind) would otherwise be linked into the wasm for a case that cannot happen.
fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, JsError> {
    parse_json(crate::view::json::to_string(v))
}

/// Only the serializing above is generic: the rest is one function, not one copy per
/// view type.
#[inline(never)]
fn parse_json(text: Option<String>) -> Result<JsValue, JsError> {
    let text = text.ok_or_else(|| JsError::new("a view did not serialize"))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("JSON.parse failed"))
}

/// Milliseconds from JavaScript to simulated µs: NaN, negative and infinite
/// values become 0 or the cap.
fn ms_to_us(ms: f64, cap_us: u64) -> u64 {
    if ms.is_nan() || ms <= 0.0 {
        return 0;
    }
    let us = ms * 1000.0;
    if us >= cap_us as f64 {
        cap_us
    } else {
        us.round() as u64
    }
}

/// A scenario error as the exception JavaScript gets.
fn js_err(e: crate::scenario::run::ScenarioError) -> JsError {
    JsError::new(&e.to_string())
}

fn us_to_ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// A simulated cluster the page drives.
#[wasm_bindgen]
pub struct Playground {
    inner: playground::Playground,
}

#[wasm_bindgen]
impl Playground {
    /// Build a world from scenario text. `seed` (an integer below 2^53) overrides
    /// the scenario's. With `in_steps` nothing runs yet: `load` runs the scenario a
    /// stretch at a time (a scenario of hours, with the page drawing in between).
    #[wasm_bindgen(constructor)]
    pub fn new(
        scenario: &str,
        seed: Option<f64>,
        in_steps: Option<bool>,
    ) -> Result<Playground, JsError> {
        let seed = seed
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| s.min(9.007e15) as u64);
        let mut p = Playground {
            inner: playground::Playground::begin(scenario, seed).map_err(js_err)?,
        };
        if in_steps != Some(true) {
            p.inner.load(u64::MAX).map_err(js_err)?;
        }
        Ok(p)
    }

    /// Run more of a scenario built `in_steps`: its statements until `ms` of
    /// simulated time has run (at most a day a call). True once all of it has run;
    /// until then the world is not to be shown or changed. Throws the first statement
    /// that cannot run (the world is then of no use: free it).
    pub fn load(&mut self, ms: f64) -> Result<bool, JsError> {
        let us = if ms == f64::INFINITY {
            u64::MAX
        } else {
            ms_to_us(ms, ADVANCE_MAX_US)
        };
        self.inner.load(us).map_err(js_err)
    }

    /// What loading the scenario printed and checked: `{output, expectations}`.
    pub fn loaded(&self) -> Result<JsValue, JsError> {
        to_js(self.inner.loaded())
    }

    /// Apply one statement (a console line or a page action such as
    /// `disconnect m r1`). Returns `{output, expectations}`, or with `quiet` nothing: a
    /// write load applies a thousand statements a simulated second and reads none of
    /// what they print (each result would be JSON to make, pass and parse).
    pub fn apply(&mut self, line: &str, quiet: Option<bool>) -> Result<JsValue, JsError> {
        let applied = self.inner.apply(line).map_err(js_err)?;
        if quiet == Some(true) {
            return Ok(JsValue::UNDEFINED);
        }
        to_js(&applied)
    }

    /// Let simulated time run for `ms` milliseconds (fractions allowed).
    pub fn advance(&mut self, ms: f64) {
        self.inner.advance(ms_to_us(ms, ADVANCE_MAX_US));
    }

    /// Process the next event; false if nothing is scheduled.
    pub fn step(&mut self) -> bool {
        self.inner.step()
    }

    /// Show the world at simulated time `ms` (backwards or forwards).
    pub fn seek(&mut self, ms: f64) {
        let cap = self.inner.horizon().as_us().saturating_add(ADVANCE_MAX_US);
        self.inner.seek(SimTime(ms_to_us(ms, cap)));
    }

    /// Simulated time now, in ms.
    pub fn now_ms(&self) -> f64 {
        us_to_ms(self.inner.now().as_us())
    }

    /// The end of the recorded history, in ms (for the timeline's extent).
    pub fn horizon_ms(&self) -> f64 {
        us_to_ms(self.inner.horizon().as_us())
    }

    /// The earliest moment that can still be shown, in ms (0 unless the oldest
    /// statements were forgotten to bound memory; seeking before it shows it).
    pub fn kept_from_ms(&self) -> f64 {
        us_to_ms(self.inner.kept_from().as_us())
    }

    /// The seed.
    pub fn seed(&self) -> f64 {
        self.inner.seed() as f64
    }

    /// The view of the world (see `view.rs` for its fields).
    pub fn view(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.view())
    }

    /// Event-log records with sequence number >= `cursor`, at most `max` of them.
    pub fn events_since(&self, cursor: f64, max: u32) -> Result<JsValue, JsError> {
        let cursor = if cursor.is_finite() && cursor > 0.0 {
            cursor as u64
        } else {
            0
        };
        let ev = self.inner.events_since(cursor);
        to_js(&ev[..ev.len().min(max as usize)])
    }

    /// The newest event-log records with sequence number >= `cursor`, at most `max`
    /// of them, oldest first: a page that falls behind (fast playback, a seek) skips
    /// to what is current instead of paging through what it will never show.
    pub fn events_latest(&self, cursor: f64, max: u32) -> Result<JsValue, JsError> {
        let cursor = if cursor.is_finite() && cursor > 0.0 {
            cursor as u64
        } else {
            0
        };
        let ev = self.inner.events_since(cursor);
        to_js(&ev[ev.len().saturating_sub(max as usize)..])
    }

    /// The PSYNC decisions kept (the newest: see `decisions_from`), with their checks.
    pub fn decisions(&self) -> Result<JsValue, JsError> {
        to_js(self.inner.decisions())
    }

    /// How many decisions were made, the forgotten ones included (a seek back can make
    /// it smaller).
    pub fn decisions_len(&self) -> u32 {
        (self.inner.decisions_from() + self.inner.decisions().len()) as u32
    }

    /// The number of the first decision kept (older ones were forgotten to bound memory).
    pub fn decisions_from(&self) -> u32 {
        self.inner.decisions_from() as u32
    }

    /// Decisions numbered `from` on. Those forgotten are not among them: the answer then
    /// starts later, and always ends at `decisions_len`.
    pub fn decisions_since(&self, from: u32) -> Result<JsValue, JsError> {
        let d = self.inner.decisions();
        let at = (from as usize).saturating_sub(self.inner.decisions_from());
        to_js(&d[at.min(d.len())..])
    }

    /// Why the last `advance` or `step` stopped short of the time asked, or 0: 1, a full
    /// sync would copy the data past the page's dataset ceiling; 2, an RDB file or a sync
    /// took it past. The page words it.
    pub fn ceiling_stop(&self) -> u8 {
        self.inner.stopped().unwrap_or(0)
    }

    /// Offsets sampled every 100 ms of simulated time (those kept: see `samples_since`).
    pub fn samples(&self) -> Result<JsValue, JsError> {
        to_js(self.inner.samples())
    }

    /// How many samples were taken, the forgotten ones included (a seek back can make
    /// it smaller).
    pub fn samples_len(&self) -> u32 {
        (self.inner.samples_from() + self.inner.samples().len()) as u32
    }

    /// Samples numbered `from` on, so the chart fetches only what is new. Those
    /// forgotten with the oldest history (a long write load) are not among them: the
    /// answer then starts later, and always ends at `samples_len`.
    pub fn samples_since(&self, from: u32) -> Result<JsValue, JsError> {
        let s = self.inner.samples();
        let at = (from as usize).saturating_sub(self.inner.samples_from());
        to_js(&s[at.min(s.len())..])
    }

    /// `INFO` of a running node, or undefined.
    pub fn info(&self, node: &str) -> Option<String> {
        self.inner.info(node)
    }

    /// `CONFIG GET *` of a node as `[[name, value], ...]`.
    pub fn config(&self, node: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.config(node).unwrap_or_default())
    }

    /// Replies that arrived for console commands that had blocked: `[[node, text], ...]`.
    pub fn poll_replies(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.inner.poll_replies())
    }

    /// The statements applied so far.
    pub fn actions(&self) -> Result<JsValue, JsError> {
        to_js(self.inner.actions())
    }

    /// How many statements have been applied (a load generator applies thousands).
    pub fn actions_len(&self) -> u32 {
        self.inner.actions().len() as u32
    }

    /// Statements from index `from` on, at most `max` of them (all without it), so the
    /// timeline fetches only what is new, in parts, and can bisect the log.
    pub fn actions_since(&self, from: u32, max: Option<u32>) -> Result<JsValue, JsError> {
        let a = self.inner.actions();
        let a = &a[(from as usize).min(a.len())..];
        to_js(&a[..a.len().min(max.unwrap_or(u32::MAX) as usize)])
    }

    /// A scenario that rebuilds this world exactly (for export and share links).
    pub fn script(&self) -> String {
        self.inner.script()
    }

    /// The same with the recorded future, up to `end_ms` (after a rewind).
    pub fn script_to(&self, end_ms: f64) -> String {
        self.inner.script_to(ms_to_us(end_ms, u64::MAX))
    }

    /// The whole event log as JSON lines (the same bytes `replscope run --trace` writes).
    /// Written here rather than by `Playground::trace_json` so that `serde_json` stays out
    /// of the wasm: [`crate::view::json`] writes the same bytes.
    pub fn trace_json(&self) -> String {
        let mut out = String::new();
        for e in self.inner.events_since(0) {
            // Records hold only strings, numbers and string-keyed maps (as
            // `TraceEvent::to_json` says, which panics here too).
            if !crate::view::json::write(&mut out, e) {
                panic!("a trace record did not serialize");
            }
            out.push('\n');
        }
        out
    }

    /// Keep only the last `keep` event-log records (the page holds what it shows).
    pub fn compact_trace(&mut self, keep: u32) {
        self.inner.compact_trace(keep as usize);
    }
}

/// "Explain my cluster" ([`crate::explain`]): the INFO of a master and of a replica,
/// optionally a typed write rate (bytes/s), the master's INFO pasted again later with
/// the seconds between (None: from `uptime_in_seconds`), and an outage (s) to size the
/// backlog for. Returns `{ok: Explanation, scenario}` or `{error: ExplainError}`;
/// `scenario` is "Open as a scenario"'s text ([`crate::explain::scenario`]), null when
/// there is none. The page words an error itself from `error` (in its language), so the
/// English of `ExplainError`'s Display (the command line's) stays out of the wasm.
/// Numbers count as whole, non-negative integers (anything else as absent): the core
/// formats no floats, which keeps their code out of the wasm.
#[wasm_bindgen]
pub fn explain_info(
    master: &str,
    replica: &str,
    rate: Option<f64>,
    later: Option<String>,
    seconds: Option<f64>,
    outage_s: Option<f64>,
) -> Result<JsValue, JsError> {
    use crate::explain::{explain_with_scenario, Options};
    use crate::view::{ExplainError, Explanation};
    #[derive(Serialize)]
    struct Out {
        ok: Option<Explanation>,
        error: Option<ExplainError>,
        scenario: Option<String>,
    }
    let whole = |v: Option<f64>| {
        v.filter(|v| v.is_finite() && *v >= 0.0 && *v < 9e15)
            .map(|v| v as i64)
    };
    let opts = Options {
        replica_name: None,
        rate_bytes_per_s: whole(rate),
        later: later
            .filter(|t| !t.trim().is_empty())
            .map(|t| (t, whole(seconds))),
        outage_s: whole(outage_s).filter(|s| *s > 0),
    };
    to_js(&match explain_with_scenario(master, replica, &opts) {
        Ok((e, scenario)) => Out {
            ok: Some(e),
            error: None,
            scenario: scenario.ok(),
        },
        Err(e) => Out {
            ok: None,
            error: Some(e),
            scenario: None,
        },
    })
}

/// What a scenario may cost before it runs ([`crate::scenario::bounds`]): `{nodes,
/// sim_us_max}`, or its parse error (line and column) as the error.
#[wasm_bindgen]
pub fn scenario_bounds(text: &str) -> Result<JsValue, JsError> {
    let sc = crate::scenario::parse_scenario(text).map_err(|e| JsError::new(&e.to_string()))?;
    let b: crate::view::Bounds = crate::scenario::bounds(&sc);
    to_js(&b)
}

/// A log line in Valkey's words ([`crate::version::Profile::reword`]: master → primary,
/// slave → replica, whole words only); the line itself when it has none. The version
/// comparison (compare.js) reads both sides' log lines in these words.
#[wasm_bindgen]
pub fn valkey_words(text: &str) -> String {
    crate::version::Version::Valkey81
        .profile()
        .reword(text)
        .unwrap_or_else(|| text.to_string())
}

/// A duration in the scenario language (`2m`, `1500ms`), as the core writes it.
#[wasm_bindgen]
pub fn duration_text(us: f64) -> String {
    playground::fmt_duration(ms_to_us(us / 1000.0, u64::MAX))
}
