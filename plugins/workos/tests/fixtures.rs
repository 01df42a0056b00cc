//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};
use workos::WorkOs;

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
