//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};
use mux::Mux;

#[test]
fn fixtures() {
    run_fixtures::<Mux>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<Mux>(SignInput {
        body: br#"{"type":"video.asset.ready","id":"e-1","object":{"type":"asset","id":"a-1"}}"#
            .to_vec(),
        secret: "mux-signing-secret".into(),
        event_type: None,
        delivery_id: "e-1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
