//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<aftership::AfterShip>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<aftership::AfterShip>(SignInput {
        body: br#"{"event":"tracking_pending_time","event_id":"9f0e1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f","msg":{"id":"lxjbs8v3j5h0ylg2n0hv8l1m","tag":"InfoReceived"},"ts":1763799990}"#.to_vec(),
        secret: "aftership-webhook-secret".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
