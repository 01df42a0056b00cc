//! The adapter's conformance fixtures, run natively, plus sign round trips.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<square::Square>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

fn input(settings: &str) -> SignInput {
    SignInput {
        body: br#"{"merchant_id":"M1","type":"payment.created","event_id":"e1","created_at":"2025-11-22T08:26:40Z","data":{"type":"payment","id":"p1"}}"#.to_vec(),
        secret: "square-signature-key".into(),
        event_type: None,
        delivery_id: "e1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: settings.into(),
        now_ms: 1_763_800_000_000,
    }
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<square::Square>(input("{}"));
    assert_sign_round_trip::<square::Square>(input(
        r#"{"notification_url":"https://public.example.com/square"}"#,
    ));
}
