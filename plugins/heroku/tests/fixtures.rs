//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<heroku::Heroku>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<heroku::Heroku>(SignInput {
        body: br#"{"action":"update","id":"e1","created_at":"2025-11-22T08:26:30Z","data":{"app":{"name":"sample-app"}},"webhook_metadata":{"event":{"id":"e1","include":"api:release"}}}"#.to_vec(),
        secret: "heroku-secret".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
