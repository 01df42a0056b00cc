//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<polar::Polar>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<polar::Polar>(SignInput {
        body: br#"{"type":"order.paid","timestamp":"2025-11-22T08:26:39.123456Z","data":{"id":"0b3f1d2e-8c4a-4f5e-9d6b-7a8c9e0f1a2b"}}"#.to_vec(),
        secret: "polar_whs_4Yq9cV2mT8nR1xK7".into(),
        event_type: None,
        delivery_id: "msg_01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
