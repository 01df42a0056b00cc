//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<chargebee::Chargebee>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<chargebee::Chargebee>(SignInput {
        body: br#"{"id":"ev_16BHbhF4s42tO2lK","occurred_at":1763799990,"object":"event","api_version":"v2","content":{"customer":{"id":"16BHbhF4s42tC2lG","object":"customer"}},"event_type":"customer_created"}"#.to_vec(),
        secret: "hookyard:chargebee-password".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
