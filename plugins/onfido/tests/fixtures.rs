//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<onfido::Onfido>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<onfido::Onfido>(SignInput {
        body: br#"{"payload":{"resource_type":"check","action":"check.completed","object":{"id":"b8a2d9c1-3e4f-4a5b-8c6d-7e8f9a0b1c2d","status":"complete","completed_at_iso8601":"2025-11-22T08:26:30Z"}}}"#.to_vec(),
        secret: "onfido-webhook-token".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
