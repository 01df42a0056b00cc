//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<npm_hooks::NpmHooks>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<npm_hooks::NpmHooks>(SignInput {
        body: br#"{"event":"package:publish","name":"left-pad","type":"package","version":"1.0.0","change":{"version":"1.3.0"},"time":1763800000000}"#.to_vec(),
        secret: "npm-hook-secret".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
