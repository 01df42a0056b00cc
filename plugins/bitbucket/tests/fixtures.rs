//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<bitbucket::Bitbucket>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<bitbucket::Bitbucket>(SignInput {
        body: br#"{"repository":{"full_name":"team/repo"}}"#.to_vec(),
        secret: "bitbucket-secret".into(),
        event_type: Some("pullrequest:created".into()),
        delivery_id: "0b7d8e7e-5f0c-4f67-9a53-21f4b6c4b7a1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
