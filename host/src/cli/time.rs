//! The times commands take (`--since`, `--until`): an age such as `1h`, or
//! an exact time.
//!
//! "What came in during the last hour" is the first question after a test
//! webhook, and nobody wants to type an RFC 3339 timestamp for it. Every flag
//! that takes a time parses it here, so `events`, `requests`, `replay` and
//! `reprocess` accept the same forms; the API itself only takes RFC 3339,
//! which this turns them into.

use chrono::{DateTime, NaiveDate, Utc};

/// What the flags' help says a time may be.
pub const FORMS: &str = "an age (30m, 1h, 2d, 1h30m) or an RFC 3339 time (2026-01-31T12:00:00Z)";

/// A time flag's value, as clap's value parser: relative to now.
pub fn parse(text: &str) -> Result<DateTime<Utc>, String> {
    parse_at(text, Utc::now())
}

/// `text` as a time: an age before `now` (`90s`, `30m`, `1h`, `2d`, `1w`,
/// combined as in `1h30m`), an RFC 3339 time, or a date (midnight UTC).
pub fn parse_at(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date.and_time(Default::default()).and_utc());
    }
    if text.starts_with(|c: char| c.is_ascii_digit())
        && let Ok(age) = humantime::parse_duration(text)
    {
        return chrono::Duration::from_std(age)
            .ok()
            .and_then(|age| now.checked_sub_signed(age))
            .ok_or_else(|| format!("{text:?} is too long ago"));
    }
    Err(format!("{text:?} is not {FORMS}"))
}

/// How the API takes a time: RFC 3339 in UTC, to the millisecond.
pub fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn at(text: &str) -> String {
        rfc3339(parse_at(text, now()).unwrap())
    }

    #[test]
    fn ages_count_back_from_now() {
        assert_eq!(at("1h"), "2026-11-23T09:00:00.000Z");
        assert_eq!(at("30m"), "2026-11-23T09:30:00.000Z");
        assert_eq!(at("90s"), "2026-11-23T09:58:30.000Z");
        assert_eq!(at("2d"), "2026-11-21T10:00:00.000Z");
        assert_eq!(at("1w"), "2026-11-16T10:00:00.000Z");
        assert_eq!(at("1h30m"), "2026-11-23T08:30:00.000Z");
        assert_eq!(at(" 0s "), "2026-11-23T10:00:00.000Z");
    }

    #[test]
    fn exact_times_are_taken_as_given_in_utc() {
        assert_eq!(at("2026-01-31T12:00:00Z"), "2026-01-31T12:00:00.000Z");
        assert_eq!(at("2026-01-31T12:00:00.250Z"), "2026-01-31T12:00:00.250Z");
        assert_eq!(at("2026-01-31T13:00:00+01:00"), "2026-01-31T12:00:00.000Z");
        assert_eq!(at("2026-01-31"), "2026-01-31T00:00:00.000Z");
    }

    #[test]
    fn anything_else_is_refused_with_the_forms_it_may_take() {
        for bad in [
            "",
            "1",
            "h",
            "yesterday",
            "-1h",
            "1x",
            "2026-13-01",
            "10:00",
        ] {
            let error = parse_at(bad, now()).unwrap_err();
            assert!(error.contains("an age (30m, 1h, 2d"), "{bad}: {error}");
        }
        assert!(parse_at("9999999999w", now()).is_err());
    }
}
