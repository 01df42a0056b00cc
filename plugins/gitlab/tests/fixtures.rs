//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<gitlab::GitLab>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<gitlab::GitLab>(SignInput {
        body: br#"{"object_kind":"merge_request","project":{"path_with_namespace":"group/app"},"object_attributes":{"action":"open"}}"#.to_vec(),
        secret: "gitlab-secret-token".into(),
        event_type: None,
        delivery_id: "0b7d8e7e-5f0c-4f67-9a53-21f4b6c4b7a1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
