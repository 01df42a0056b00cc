//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<tailscale::Tailscale>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<tailscale::Tailscale>(SignInput {
        body: br#"[{"timestamp":"2025-11-22T08:26:30Z","version":1,"type":"nodeCreated","tailnet":"example.com","message":"Node created","data":{"nodeID":"n1"}}]"#.to_vec(),
        secret: "tskey-webhook-secret".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
