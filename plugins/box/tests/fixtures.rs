//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<box_webhooks::BoxWebhooks>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<box_webhooks::BoxWebhooks>(SignInput {
        body: br#"{"type":"webhook_event","id":"eb0c4e06","created_at":"2025-11-22T00:26:30-08:00","trigger":"FILE.UPLOADED","source":{"id":"12345","type":"file","name":"Caf\u00e9.pdf"}}"#.to_vec(),
        secret: "box-primary-key".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
