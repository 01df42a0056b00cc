//! RFC 3339 timestamps (`2024-05-01T12:30:45.123Z`) as milliseconds since the
//! Unix epoch, without a date-time crate. The same file is in several adapters:
//! a candidate for the SDK.

/// `2024-05-01T12:30:45.123Z` (or with a `±hh:mm` offset) as milliseconds since
/// the Unix epoch; `None` when it is not RFC 3339. (A candidate for the SDK.)
pub fn rfc3339_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |range| num_in(text, range);
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[13] != b':' || b[16] != b':' || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let padded = format!("{:0<3}", &fraction[..digits.min(3)]);
        millis = padded.parse::<i64>().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            sign * (num_in(rest, 1..3)? * 60 + num_in(rest, 4..6)?)
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

fn num_in(text: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = text.get(range)?;
    if part.bytes().all(|c| c.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::rfc3339_ms;

    #[test]
    fn rfc3339_timestamps_parse_to_milliseconds() {
        assert_eq!(rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_ms("2025-11-22T08:26:40Z"), Some(1_763_800_000_000));
        assert_eq!(
            rfc3339_ms("2025-11-22T08:26:40.5Z"),
            Some(1_763_800_000_500)
        );
        assert_eq!(
            rfc3339_ms("2025-11-22T10:26:40.123456+02:00"),
            Some(1_763_800_000_123)
        );
        assert_eq!(
            rfc3339_ms("2000-02-29T23:59:59-00:30"),
            Some(951_870_599_000)
        );
        assert_eq!(rfc3339_ms("2025-11-22 08:26:40Z"), Some(1_763_800_000_000));
        for bad in [
            "",
            "2025-11-22",
            "2025-13-01T00:00:00Z",
            "2025-11-22T08:26:40",
            "2025-11-22T08:26:40.Z",
            "x025-11-22T08:26:40Z",
            "2025-11-22T08:26:40+0200",
        ] {
            assert_eq!(rfc3339_ms(bad), None, "{bad}");
        }
    }
}
