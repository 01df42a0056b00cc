//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<vonage::Vonage>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<vonage::Vonage>(SignInput {
        body: br#"{"message_uuid":"aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab","to":"447700900000","from":"447700900001","timestamp":"2025-11-22T08:26:38.103Z","status":"read","channel":"viber_service"}"#.to_vec(),
        secret: "vonage-signature-secret".into(),
        event_type: None,
        delivery_id: "c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f".into(),
        url: "https://hooks.example.com/webhooks/vonage".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
