//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<calendly::Calendly>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<calendly::Calendly>(SignInput {
        body: br#"{"event":"invitee.canceled","created_at":"2025-11-22T08:26:40.000000Z","payload":{"uri":"https://api.calendly.com/scheduled_events/E1/invitees/I1"}}"#.to_vec(),
        secret: "calendly-signing-key".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
