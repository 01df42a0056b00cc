//! The adapter's conformance fixtures, run natively, plus a sign round trip
//! and the millisecond tolerance check.

use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};
use hookyard_sdk::{SignInput, VerifyError};
use workos::{WorkOs, check_timestamp_ms};

#[test]
fn fixtures() {
    run_fixtures::<WorkOs>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<WorkOs>(SignInput {
        body: br#"{"id":"event_01","event":"user.created","data":{"id":"user_01"},"created_at":"2025-11-22T08:26:39.123Z"}"#.to_vec(),
        secret: "workos-webhook-secret".into(),
        event_type: None,
        delivery_id: "event_01".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_123,
    });
}

#[test]
fn the_tolerance_is_checked_to_the_millisecond() {
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
}
