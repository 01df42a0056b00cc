//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<figma::Figma>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<figma::Figma>(SignInput {
        body: br#"{"event_type":"FILE_DELETE","file_key":"CL06nJNn5eZLQKDoARMND5","file_name":"Old mockup","timestamp":"2020-02-23T20:27:16Z","webhook_id":"22"}"#.to_vec(),
        secret: "figma-passcode".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
