//! Simulated time.
//!
//! Time is measured in logical microseconds since the start of a run and advances
//! only when the event queue says so. Microseconds rather than milliseconds because
//! bandwidth needs them: a 1 gbit/s link moves 125 bytes per microsecond, so whole
//! milliseconds would round every small message up to a full millisecond on the wire.
//! Everything a user reads (INFO, the page) is in milliseconds or seconds.

use serde::Serialize;

/// The wall clock a node sees at simulated time zero: 2026-01-01T00:00:00.000Z.
///
/// Redis writes absolute expiry times into the replication stream as 13-digit
/// milliseconds (`SET k v PXAT 1767225600000`), so the simulated wall clock must
/// also be a 13-digit epoch for offsets to match a real server byte for byte.
/// It starts on a whole second so that Redis's one-second cron arithmetic
/// (`unixtime - lastinteraction > repl-timeout`) lines up with simulated seconds.
pub const EPOCH_MS: u64 = 1_767_225_600_000;

/// A point in simulated time, in microseconds since the run started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SimTime(pub u64);

impl SimTime {
    /// Time zero.
    pub const ZERO: SimTime = SimTime(0);

    /// A time from whole milliseconds.
    pub fn from_ms(ms: u64) -> SimTime {
        SimTime(ms.saturating_mul(1000))
    }

    /// Microseconds since the start of the run.
    pub fn as_us(self) -> u64 {
        self.0
    }

    /// Whole milliseconds since the start of the run (rounded down).
    pub fn as_ms(self) -> u64 {
        self.0 / 1000
    }

    /// The node-visible wall clock, as Redis's `mstime()`: a 13-digit epoch in ms.
    pub fn wall_ms(self) -> i64 {
        (EPOCH_MS + self.0 / 1000) as i64
    }

    /// The node-visible wall clock in whole seconds, as Redis's `server.unixtime`.
    pub fn unix_secs(self) -> i64 {
        self.wall_ms() / 1000
    }

    /// This time plus `us` microseconds, saturating.
    pub fn plus_us(self, us: u64) -> SimTime {
        SimTime(self.0.saturating_add(us))
    }

    /// This time plus `ms` milliseconds, saturating.
    pub fn plus_ms(self, ms: u64) -> SimTime {
        self.plus_us(ms.saturating_mul(1000))
    }

    /// Microseconds from `earlier` to `self` (0 if `earlier` is later).
    pub fn since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl std::fmt::Display for SimTime {
    /// Seconds with millisecond precision, as the page shows them: `12.340s`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:03}s", self.0 / 1_000_000, (self.0 / 1000) % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_is_a_13_digit_epoch() {
        assert_eq!(SimTime::ZERO.wall_ms().to_string().len(), 13);
        assert_eq!(SimTime::from_ms(1500).wall_ms(), EPOCH_MS as i64 + 1500);
        assert_eq!(
            SimTime::from_ms(1500).unix_secs(),
            EPOCH_MS as i64 / 1000 + 1
        );
    }

    #[test]
    fn display_is_seconds_with_ms() {
        assert_eq!(SimTime::from_ms(12_340).to_string(), "12.340s");
        assert_eq!(SimTime(999).to_string(), "0.000s");
    }
}
