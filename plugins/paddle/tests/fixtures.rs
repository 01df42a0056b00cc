//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<paddle::Paddle>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<paddle::Paddle>(SignInput {
        body: br#"{"event_id":"evt_1","event_type":"transaction.paid","occurred_at":"2025-11-22T08:26:40Z","data":{"id":"txn_1"}}"#.to_vec(),
        secret: "pdl_ntfset_01test_secret".into(),
        event_type: None,
        delivery_id: "ntf_1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
