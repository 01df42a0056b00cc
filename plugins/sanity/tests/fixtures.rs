//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<sanity::Sanity>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<sanity::Sanity>(SignInput {
        body: br#"{"_id":"post-1","_type":"post","title":"Hello"}"#.to_vec(),
        secret: "sanity-secret".into(),
        event_type: Some("create".into()),
        delivery_id: "evt-1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_123,
    });
}
