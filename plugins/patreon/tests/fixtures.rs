//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<patreon::Patreon>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<patreon::Patreon>(SignInput {
        body: br#"{"data":{"id":"d485d5ac-6c82-42c6-9c08-c50cf01b73d7","type":"member","attributes":{"patron_status":"active_patron"}},"included":[]}"#.to_vec(),
        secret: "patreon-webhook-secret".into(),
        event_type: Some("members:pledge:update".into()),
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
