//! Vendor timestamps as Unix milliseconds, and back.
//!
//! Many vendors date their events with RFC 3339 text (`2024-05-01T12:30:45.123Z`,
//! `…+02:00`, nanosecond fractions), and some sign a timestamp in that form.
//! Adapters used to carry their own copies of the calendar arithmetic; these
//! functions replace them. They use `chrono` without its clock: an adapter
//! has no clock of its own and reads the time from `context.now_ms`.

use chrono::{DateTime, SecondsFormat};

/// An RFC 3339 date-time as milliseconds since the Unix epoch; `None` when it
/// is not one. The zone (`Z` or `±hh:mm`) is required; the date and time may be
/// separated by `T`, `t` or a space; a fraction of any length is cut to the
/// millisecond; whitespace around the text is ignored.
pub fn rfc3339_to_ms(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.timestamp_millis())
}

/// Like [`rfc3339_to_ms`], but a date-time without a zone
/// (`2020-01-08 00:12:39.022`, as AppsFlyer writes it) is taken as UTC.
pub fn iso8601_to_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    rfc3339_to_ms(text).or_else(|| rfc3339_to_ms(&format!("{text}Z")))
}

/// How many digits of the second [`ms_to_rfc3339`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// `2021-03-25T05:09:27Z` (the milliseconds are dropped).
    Seconds,
    /// `2021-03-25T05:09:27.123Z`.
    Millis,
    /// `2021-03-25T05:09:27.123000000Z`, as Go-written vendors send it.
    Nanos,
}

/// Unix milliseconds as RFC 3339 in UTC with a `Z`, to the given precision.
/// Times beyond chrono's range (about ±262,000 years) are clamped to it.
pub fn ms_to_rfc3339(ms: i64, precision: Precision) -> String {
    let time = DateTime::from_timestamp_millis(ms).unwrap_or(if ms < 0 {
        DateTime::<chrono::Utc>::MIN_UTC
    } else {
        DateTime::<chrono::Utc>::MAX_UTC
    });
    let format = match precision {
        Precision::Seconds => SecondsFormat::Secs,
        Precision::Millis => SecondsFormat::Millis,
        Precision::Nanos => SecondsFormat::Nanos,
    };
    time.to_rfc3339_opts(format, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The vectors of the copies this module replaced (Paddle, Adyen, Alchemy,
    // Coinbase Commerce, Mux, Okta, Segment, Twitch, Zendesk).

    #[test]
    fn rfc3339_timestamps_parse_to_milliseconds() {
        for (text, ms) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2025-11-22T08:26:40Z", 1_763_800_000_000),
            ("2025-11-22T08:26:40.5Z", 1_763_800_000_500),
            ("2025-11-22T08:26:40.123456Z", 1_763_800_000_123),
            ("2025-11-22T10:26:40.123456+02:00", 1_763_800_000_123),
            ("2025-11-22T10:26:40+02:00", 1_763_800_000_000),
            ("2025-11-22T03:26:40-05:00", 1_763_800_000_000),
            ("2025-11-22 08:26:40Z", 1_763_800_000_000),
            ("2025-11-22t08:26:40z", 1_763_800_000_000),
            (" 2025-11-22T08:26:40Z\n", 1_763_800_000_000),
            ("2000-02-29T23:59:59-00:30", 951_870_599_000),
            ("2000-02-29T00:00:00Z", 951_782_400_000),
            ("2020-10-02T18:45:22.169Z", 1_601_664_322_169),
            ("2014-08-01T13:28:10.2735393-04:00", 1_406_914_090_273),
            ("2019-06-28T18:03:50+01:00", 1_561_741_430_000),
            ("2024-01-23T07:51:07.945953790Z", 1_705_996_267_945),
            ("2023-08-30T19:29:20Z", 1_693_423_760_000),
            ("2025-11-22T08:26:35.123000Z", 1_763_799_995_123),
            ("2019-11-16T10:11:12.634Z", 1_573_899_072_634),
            ("2019-11-16T10:11:12.6345Z", 1_573_899_072_634),
            ("2019-11-16T10:11:12.6Z", 1_573_899_072_600),
            ("2019-11-16T10:11:12.634234626Z", 1_573_899_072_634),
            ("2019-11-16T11:11:12.6+01:00", 1_573_899_072_600),
            ("2019-11-16T10:11:12.1234567891234Z", 1_573_899_072_123),
            ("1969-12-31T23:59:59.999Z", -1),
            ("2016-12-31T23:59:60Z", 1_483_228_800_000),
        ] {
            assert_eq!(rfc3339_to_ms(text), Some(ms), "{text}");
            assert_eq!(iso8601_to_ms(text), Some(ms), "{text}");
        }
    }

    #[test]
    fn anything_else_is_not_a_timestamp() {
        for bad in [
            "",
            "yesterday",
            "30/08/2023",
            "2025-11-22",
            "2025-11-22T08:26",
            "2025-13-01T00:00:00Z",
            "2025-02-30T00:00:00Z",
            "2025-11-22T24:00:00Z",
            "2025-11-22T08:60:00Z",
            "2025-11-22T08:26:40.Z",
            "x025-11-22T08:26:40Z",
            "2019-1a-16T10:11:12Z",
            "2025-11-22T08:26:40Zjunk",
            "2025-11-22T08:26:40+0200",
            "2025-11-22T08:26:40+02",
            "2025-11-22X08:26:40Z",
        ] {
            assert_eq!(rfc3339_to_ms(bad), None, "{bad:?}");
            assert_eq!(iso8601_to_ms(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_zone_is_required_unless_utc_is_assumed() {
        for (text, ms) in [
            ("2025-11-22T08:26:40", 1_763_800_000_000),
            ("2019-09-17 00:09:00.1", 1_568_678_940_100),
            ("2020-01-08 00:12:39.022", 1_578_442_359_022),
        ] {
            assert_eq!(rfc3339_to_ms(text), None, "{text}");
            assert_eq!(iso8601_to_ms(text), Some(ms), "{text}");
        }
    }

    #[test]
    fn milliseconds_format_in_utc_to_the_precision_asked() {
        let ms = 1_573_899_072_634;
        assert_eq!(
            ms_to_rfc3339(ms, Precision::Seconds),
            "2019-11-16T10:11:12Z"
        );
        assert_eq!(
            ms_to_rfc3339(ms, Precision::Millis),
            "2019-11-16T10:11:12.634Z"
        );
        assert_eq!(
            ms_to_rfc3339(ms, Precision::Nanos),
            "2019-11-16T10:11:12.634000000Z"
        );
        assert_eq!(
            ms_to_rfc3339(1_616_648_967_000, Precision::Seconds),
            "2021-03-25T05:09:27Z"
        );
        // Seconds round down, also before the epoch.
        assert_eq!(
            ms_to_rfc3339(-1, Precision::Seconds),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(
            ms_to_rfc3339(-1, Precision::Millis),
            "1969-12-31T23:59:59.999Z"
        );
        assert_eq!(
            ms_to_rfc3339(999, Precision::Seconds),
            "1970-01-01T00:00:00Z"
        );
        assert!(ms_to_rfc3339(i64::MAX, Precision::Seconds).ends_with('Z'));
        assert!(ms_to_rfc3339(i64::MIN, Precision::Seconds).ends_with('Z'));
    }

    #[test]
    fn formatted_times_parse_back() {
        for ms in [
            0,
            951_782_400_000,
            951_868_799_000,
            1_573_899_072_634,
            1_616_648_967_000,
            1_763_800_000_000,
            4_102_444_799_000,
            4_102_444_800_000,
            -86_400_001,
        ] {
            for precision in [Precision::Millis, Precision::Nanos] {
                assert_eq!(rfc3339_to_ms(&ms_to_rfc3339(ms, precision)), Some(ms));
            }
            let secs = ms.div_euclid(1000) * 1000;
            assert_eq!(
                rfc3339_to_ms(&ms_to_rfc3339(ms, Precision::Seconds)),
                Some(secs)
            );
        }
    }
}
