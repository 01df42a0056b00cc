//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<lemon_squeezy::LemonSqueezy>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<lemon_squeezy::LemonSqueezy>(SignInput {
        body: br#"{"meta":{"event_name":"order_created"},"data":{"type":"orders","id":"1","attributes":{"created_at":"2025-11-22T08:26:30.000000Z"}}}"#.to_vec(),
        secret: "lemon-squeezy-secret".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
