//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<knock::Knock>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<knock::Knock>(SignInput {
        body: br#"{"__typename":"Event","type":"message.sent","created_at":"2025-11-22T08:26:30.958652Z","data":{"id":"2FVHPWxRqNuXQ9krvNP5A6Z4qXe"},"event_data":null}"#.to_vec(),
        secret: "knock-secret-key".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
