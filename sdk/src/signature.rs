//! The shapes vendor signatures come in: `t=…,v1=…` headers, timestamps that
//! must be recent, and several active secrets during a rotation.

use crate::VerifyError;
use crate::crypto::constant_time_eq;

/// Splits `t=123,v1=abc,v1=def` into `[("t","123"), ("v1","abc"), ("v1","def")]`.
/// `pair_sep` separates pairs (`,` Stripe, `;` Paddle), `kv_sep` keys from
/// values; whitespace around items is ignored and pairs without `kv_sep` are
/// skipped.
pub fn parse_signature_header(header: &str, pair_sep: char, kv_sep: char) -> Vec<(String, String)> {
    header
        .split(pair_sep)
        .filter_map(|pair| pair.trim().split_once(kv_sep))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The usual tolerance for signed timestamps (Stripe, Slack, Standard
/// Webhooks): five minutes.
pub const DEFAULT_TOLERANCE_SECONDS: i64 = 300;

/// For `#[serde(default = "hookyard_sdk::signature::default_tolerance")]`.
pub fn default_tolerance() -> i64 {
    DEFAULT_TOLERANCE_SECONDS
}

/// Checks that `timestamp_secs` is within `tolerance_secs` of the host clock
/// (`now_ms`, from the context), in either direction.
pub fn check_timestamp(
    timestamp_secs: i64,
    now_ms: i64,
    tolerance_secs: i64,
) -> Result<(), VerifyError> {
    let skew = now_ms.div_euclid(1000) - timestamp_secs;
    if skew.abs() > tolerance_secs {
        return Err(VerifyError::TimestampOutOfTolerance(skew));
    }
    Ok(())
}

/// Like [`check_timestamp`], for a timestamp in milliseconds (WorkOS): the
/// skew is compared to the millisecond, so a timestamp 180.001 s old fails a
/// 180 s tolerance, and reported in whole seconds (towards zero). Saturates
/// instead of overflowing on absurd timestamps.
pub fn check_timestamp_ms(
    timestamp_ms: i64,
    now_ms: i64,
    tolerance_secs: i64,
) -> Result<(), VerifyError> {
    let skew_ms = now_ms.saturating_sub(timestamp_ms);
    if skew_ms.saturating_abs() > tolerance_secs.saturating_mul(1000) {
        return Err(VerifyError::TimestampOutOfTolerance(skew_ms / 1000));
    }
    Ok(())
}

/// Passes if, for any active secret, `expected(secret)` equals any of the
/// `provided` signatures (compared in constant time). Otherwise
/// `bad-signature`.
pub fn any_secret(
    secrets: &[String],
    provided: &[Vec<u8>],
    expected: impl Fn(&str) -> Vec<u8>,
) -> Result<(), VerifyError> {
    // Evaluate every pair: how many secrets matched must not show in timing.
    let mut matched = false;
    for secret in secrets {
        let want = expected(secret);
        for signature in provided {
            matched |= constant_time_eq(&want, signature);
        }
    }
    if matched {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_headers_split_into_pairs() {
        assert_eq!(
            parse_signature_header("t=1, v1=ab,v1=cd,junk", ',', '='),
            vec![
                ("t".into(), "1".into()),
                ("v1".into(), "ab".into()),
                ("v1".into(), "cd".into())
            ]
        );
        assert_eq!(
            parse_signature_header("ts=1;h1=x", ';', '='),
            vec![("ts".into(), "1".into()), ("h1".into(), "x".into())]
        );
    }

    #[test]
    fn timestamps_outside_the_tolerance_fail_with_the_skew() {
        assert!(check_timestamp(1000, 1_300_000, 300).is_ok());
        assert!(check_timestamp(1000, 700_000, 300).is_ok());
        assert!(matches!(
            check_timestamp(1000, 1_301_000, 300),
            Err(VerifyError::TimestampOutOfTolerance(301))
        ));
        assert!(matches!(
            check_timestamp(1000, 699_000, 300),
            Err(VerifyError::TimestampOutOfTolerance(-301))
        ));
    }

    #[test]
    fn millisecond_timestamps_are_checked_to_the_millisecond() {
        let now = 1_763_800_000_000;
        assert!(check_timestamp_ms(now - 180_000, now, 180).is_ok());
        assert!(check_timestamp_ms(now + 180_000, now, 180).is_ok());
        assert!(matches!(
            check_timestamp_ms(now - 180_001, now, 180),
            Err(VerifyError::TimestampOutOfTolerance(180))
        ));
        assert!(matches!(
            check_timestamp_ms(now + 181_000, now, 180),
            Err(VerifyError::TimestampOutOfTolerance(-181))
        ));
        assert!(check_timestamp_ms(i64::MIN, now, 180).is_err());
        assert!(check_timestamp_ms(i64::MAX, now, 180).is_err());
    }

    #[test]
    fn any_active_secret_may_match() {
        let secrets = vec!["new".to_string(), "old".to_string()];
        let mac = |s: &str| s.as_bytes().to_vec();
        assert!(any_secret(&secrets, &[b"old".to_vec()], mac).is_ok());
        assert!(any_secret(&secrets, &[b"x".to_vec(), b"new".to_vec()], mac).is_ok());
        assert!(matches!(
            any_secret(&secrets, &[b"other".to_vec()], mac),
            Err(VerifyError::BadSignature)
        ));
        assert!(matches!(
            any_secret(&[], &[b"new".to_vec()], mac),
            Err(VerifyError::BadSignature)
        ));
    }
}
