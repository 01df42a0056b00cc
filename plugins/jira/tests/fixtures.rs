//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<jira::Jira>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<jira::Jira>(SignInput {
        body: br#"{"timestamp":1763800000000,"webhookEvent":"jira:issue_created","issue":{"key":"PROJ-1"}}"#.to_vec(),
        secret: "jira-webhook-secret".into(),
        event_type: None,
        delivery_id: "1f2e3d4c-0000-4000-8000-000000000001".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
