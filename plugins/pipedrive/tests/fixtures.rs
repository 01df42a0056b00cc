//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<pipedrive::Pipedrive>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<pipedrive::Pipedrive>(SignInput {
        body: br#"{"data":{"id":3,"name":"Acme"},"previous":null,"meta":{"action":"create","entity":"organization","entity_id":"3","timestamp":"2025-11-22T08:26:38.274Z","version":"2.0"}}"#.to_vec(),
        secret: "hookyard:s3cr3t".into(),
        event_type: None,
        delivery_id: "delivery-1".into(),
        url: "https://hooks.example.com/webhooks/pipedrive".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
