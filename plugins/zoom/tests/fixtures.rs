//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<zoom::Zoom>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<zoom::Zoom>(SignInput {
        body:
            br#"{"event":"meeting.ended","event_ts":1763800000000,"payload":{"object":{"id":"1"}}}"#
                .to_vec(),
        secret: "zoom-secret-token".into(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}

#[test]
fn a_signed_url_validation_is_answered() {
    let observed = assert_sign_round_trip::<zoom::Zoom>(SignInput {
        body: br#"{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}"#.to_vec(),
        secret: "zoom-secret-token".into(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
    assert!(format!("{observed:?}").starts_with("Response { status: 200"));
}
