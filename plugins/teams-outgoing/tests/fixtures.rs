//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<teams_outgoing::TeamsOutgoing>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<teams_outgoing::TeamsOutgoing>(SignInput {
        body: br#"{"type":"message","id":"1485983408511","timestamp":"2025-11-22T08:26:30.123Z","conversation":{"id":"19:abc@thread.skype;messageid=1485983408511"},"text":"<at>Hookyard</at> deploy"}"#.to_vec(),
        secret: "bXktc2VjdXJpdHktdG9rZW4tZm9yLXRlYW1zLXRlc3RzIQ==".into(),
        event_type: None,
        delivery_id: "d-1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
