//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<cloudinary::Cloudinary>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<cloudinary::Cloudinary>(SignInput {
        body: br#"{"notification_type":"upload","timestamp":"2025-11-22T08:26:30+00:00","asset_id":"3515c6000a548515f1134043f9785c2f","public_id":"sample","created_at":"2025-11-22T08:26:30Z"}"#.to_vec(),
        secret: "a676b67565c6767a6767d6767f676fe1".into(),
        event_type: None,
        delivery_id: "d-1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
