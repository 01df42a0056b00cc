//! Pacing: when each request is due.
//!
//! Open loop: a dedicated OS thread sleeps until each slot's time (the OS
//! timer is precise to microseconds, unlike tokio's 1 ms timer wheel, whose
//! slack would show up as latency) and hands the slot to whichever connection
//! is free. Latency is then measured from the slot's time, so a backlog in the
//! server counts against it. Closed loop (`rate` 0): slots carry no time and
//! are handed out as fast as connections take them.

use std::time::{Duration, Instant};

/// One request to send.
pub struct Slot {
    pub number: u64,
    /// When it was due; `None` in closed loop (measured from sending).
    pub at: Option<Instant>,
}

/// When slot `n` is due at `rate` requests per second from `start`.
pub fn due(start: Instant, rate: u64, n: u64) -> Instant {
    start + Duration::from_nanos(n.saturating_mul(1_000_000_000) / rate)
}

/// Starts handing out slots from `start` until `end`.
pub fn start(rate: u64, start: Instant, end: Instant) -> async_channel::Receiver<Slot> {
    let (sender, receiver) = async_channel::bounded(1024);
    std::thread::spawn(move || {
        for number in 0.. {
            let at = if rate == 0 {
                Instant::now().max(start)
            } else {
                due(start, rate, number)
            };
            if at >= end {
                break;
            }
            if let Some(wait) = at.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            let slot = Slot {
                number,
                at: (rate > 0).then_some(at),
            };
            if sender.send_blocking(slot).is_err() {
                break;
            }
        }
    });
    receiver
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_evenly_spaced_at_the_rate() {
        let t = Instant::now();
        assert_eq!(due(t, 1000, 0), t);
        assert_eq!(due(t, 1000, 1) - t, Duration::from_millis(1));
        assert_eq!(due(t, 3, 3) - t, Duration::from_secs(1));
        assert_eq!(due(t, 2000, 5000) - t, Duration::from_millis(2500));
    }

    #[test]
    fn a_closed_loop_schedule_ends_on_time() {
        let start = Instant::now();
        let slots = super::start(0, start, start + Duration::from_millis(20));
        let mut count = 0;
        while let Ok(slot) = slots.recv_blocking() {
            assert!(slot.at.is_none());
            count += 1;
        }
        assert!(count > 0);
        assert!(start.elapsed() < Duration::from_secs(2));
    }
}
