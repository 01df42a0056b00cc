//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<easypost::EasyPost>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<easypost::EasyPost>(SignInput {
        body: br#"{"object":"Event","id":"evt_b7ab3f4e8b3c11f0b5c8ac1f6bc539ae","mode":"test","description":"refund.successful","result":{"id":"rfnd_9a1b2c3d","object":"Refund","status":"refunded"},"created_at":"2025-11-22T08:26:31Z"}"#.to_vec(),
        secret: "easypost-webhook-secret".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
