//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<circleci::CircleCi>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<circleci::CircleCi>(SignInput {
        body: br#"{"id":"e1","type":"job-completed","happened_at":"2025-11-22T08:26:30.317Z","project":{"slug":"gh/acme/app"}}"#.to_vec(),
        secret: "circleci-secret".into(),
        event_type: None,
        delivery_id: "e1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
