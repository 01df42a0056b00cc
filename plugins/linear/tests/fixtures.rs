//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<linear::Linear>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<linear::Linear>(SignInput {
        body: br#"{"action":"create","type":"Issue","data":{"id":"i1"},"createdAt":"2025-11-22T08:26:40.000Z","webhookTimestamp":1763800000000}"#.to_vec(),
        secret: "lin_wh_test".into(),
        event_type: None,
        delivery_id: "0b7d8e7e-5f0c-4f67-9a53-21f4b6c4b7a1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
