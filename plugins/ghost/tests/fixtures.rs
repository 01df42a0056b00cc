//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<ghost::Ghost>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<ghost::Ghost>(SignInput {
        body: br#"{"post":{"current":{"id":"6751c1f2a3b4c5d6e7f80912","updated_at":"2025-11-22T08:26:38.000Z"},"previous":{}}}"#.to_vec(),
        secret: "ghost-secret".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/ghost?event=post.published".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
