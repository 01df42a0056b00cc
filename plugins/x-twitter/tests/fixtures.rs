//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<x_twitter::XTwitter>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<x_twitter::XTwitter>(SignInput {
        body: br#"{"for_user_id":"2244994945","follow_events":[{"type":"follow","created_timestamp":"1763799990123","target":{"id":"2244994945"},"source":{"id":"783214"}}]}"#.to_vec(),
        secret: "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu".into(),
        event_type: None,
        delivery_id: "d-1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
