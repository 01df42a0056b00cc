//! When a failed delivery is tried again, and when it is given up.
//!
//! The schedule lists the waits after each failed attempt (default 5 s, 5 min,
//! 30 min, 2 h, 5 h, 10 h, 10 h, as Svix and Standard Webhooks senders do);
//! after the last one the delivery is dead-lettered. Each wait is spread by
//! ±20% jitter so receivers that come back are not hit by every retry at
//! once. A receiver's `Retry-After` (seconds or an HTTP date, typically with
//! 429 or 503) replaces the scheduled wait, capped at a day.

use rand::Rng;
use std::str::FromStr;
use std::time::Duration;

/// The longest `Retry-After` honored.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// The longest wait a schedule may list (jitter must not overflow it).
const MAX_SCHEDULED_WAIT: Duration = Duration::from_secs(30 * 24 * 3600);

#[derive(Debug, Clone, PartialEq)]
pub struct RetrySchedule(Vec<Duration>);

impl Default for RetrySchedule {
    fn default() -> Self {
        "5s,5m,30m,2h,5h,10h,10h".parse().expect("valid default")
    }
}

impl FromStr for RetrySchedule {
    type Err = String;
    /// Comma-separated durations: `5s,5m,30m,2h`; empty means no retries.
    fn from_str(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                let wait = humantime::parse_duration(item)
                    .map_err(|e| format!("retry schedule: {item:?}: {e}"))?;
                if wait > MAX_SCHEDULED_WAIT {
                    return Err(format!(
                        "retry schedule: {item:?} is longer than the longest wait, 30 days"
                    ));
                }
                Ok(wait)
            })
            .collect::<Result<Vec<_>, _>>()
            .map(RetrySchedule)
    }
}

impl RetrySchedule {
    /// The wait after `attempts` failed attempts (1 = the first one failed),
    /// jittered; `None` when none are left (dead letter).
    pub fn wait_after(&self, attempts: usize, retry_after: Option<Duration>) -> Option<Duration> {
        let scheduled = *self.0.get(attempts.checked_sub(1)?)?;
        Some(match retry_after {
            Some(asked) => asked.min(MAX_RETRY_AFTER),
            None => scheduled.mul_f64(rand::rng().random_range(0.8..=1.2)),
        })
    }

    /// Attempts made before a delivery is dead (the first plus the retries).
    pub fn max_attempts(&self) -> usize {
        self.0.len() + 1
    }
}

/// A `Retry-After` value: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    (at.with_timezone(&chrono::Utc) - now).to_std().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schedule_has_seven_retries() {
        let schedule = RetrySchedule::default();
        assert_eq!(schedule.max_attempts(), 8);
        let first = schedule.wait_after(1, None).unwrap();
        assert!(first >= Duration::from_secs(4) && first <= Duration::from_secs(6));
        let last = schedule.wait_after(7, None).unwrap();
        assert!(last >= Duration::from_secs(8 * 3600) && last <= Duration::from_secs(12 * 3600));
        assert_eq!(schedule.wait_after(8, None), None);
    }

    #[test]
    fn retry_after_replaces_the_scheduled_wait_within_a_day() {
        let schedule: RetrySchedule = "1s,1s".parse().unwrap();
        assert_eq!(
            schedule.wait_after(1, Some(Duration::from_secs(120))),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            schedule.wait_after(1, Some(Duration::from_secs(10 * 24 * 3600))),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(schedule.wait_after(3, Some(Duration::from_secs(1))), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:29:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn schedules_parse_and_refuse_nonsense() {
        assert_eq!(
            "100ms, 2s".parse::<RetrySchedule>().unwrap().max_attempts(),
            3
        );
        assert_eq!("".parse::<RetrySchedule>().unwrap().max_attempts(), 1);
        assert_eq!("30days".parse::<RetrySchedule>().unwrap().max_attempts(), 2);
        // Found by fuzz/config_parsing: jitter on this wait overflowed.
        let too_long = "06006006006065 M".parse::<RetrySchedule>().unwrap_err();
        assert!(
            too_long.contains("longer than the longest wait"),
            "{too_long}"
        );
        assert!("5 parsecs".parse::<RetrySchedule>().is_err());
    }
}
