//! An adapter that keeps failing for a source is not run for it a while.
//!
//! An adapter that fails [`QUARANTINE_AFTER`] calls in a row (loops, traps,
//! floods) is not run for that source for [`QUARANTINE_FOR`]: its requests get
//! 503 at once, raw request kept, instead of each burning a second of CPU that
//! well-behaved sources need. The state lives with the source's guards in the
//! source table, so a new adapter version releases it.

use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::Duration;

/// Adapter failures in a row that put a source's adapter in quarantine.
pub const QUARANTINE_AFTER: u32 = 3;
/// How long a quarantined adapter is not run for that source.
pub const QUARANTINE_FOR: Duration = Duration::from_secs(30);

/// One source's adapter failures in a row, and its quarantine.
#[derive(Default)]
pub struct Quarantine {
    /// Adapter failures in a row.
    failures: AtomicU32,
    /// Until when (ms) the adapter is not run; 0: it runs.
    until: AtomicI64,
}

impl Quarantine {
    /// Until when (ms) the adapter is in quarantine, if it is at `now`.
    pub fn until(&self, now: i64) -> Option<i64> {
        let until = self.until.load(Ordering::Relaxed);
        (now < until).then_some(until)
    }

    /// Counts an adapter call's fate; the failure that completes a run of
    /// [`QUARANTINE_AFTER`] starts a quarantine (and returns its end).
    pub fn adapter_called(&self, failed: bool, now: i64) -> Option<i64> {
        if !failed {
            self.failures.store(0, Ordering::Relaxed);
            return None;
        }
        if self.failures.fetch_add(1, Ordering::Relaxed) + 1 < QUARANTINE_AFTER {
            return None;
        }
        self.failures.store(0, Ordering::Relaxed);
        let until = now + QUARANTINE_FOR.as_millis() as i64;
        self.until.store(until, Ordering::Relaxed);
        Some(until)
    }

    /// Ends a quarantine and forgets past failures: a new adapter version
    /// (a fix, a rollback) gets its own chance.
    pub fn release(&self) {
        self.failures.store(0, Ordering::Relaxed);
        self.until.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adapter_failing_in_a_row_is_quarantined_for_a_while() {
        let q = Quarantine::default();
        assert_eq!(q.adapter_called(true, 0), None);
        assert_eq!(q.adapter_called(false, 0), None, "a success resets");
        assert_eq!(q.adapter_called(true, 0), None);
        assert_eq!(q.adapter_called(true, 0), None);
        let until = q.adapter_called(true, 1000).expect("third in a row");
        assert_eq!(until, 1000 + QUARANTINE_FOR.as_millis() as i64);
        assert_eq!(q.until(until - 1), Some(until));
        assert_eq!(q.until(until), None);
        q.adapter_called(true, 2000);
        q.adapter_called(true, 2000);
        assert!(q.adapter_called(true, 2000).is_some());
        q.release();
        assert_eq!(q.until(2001), None);
    }
}
