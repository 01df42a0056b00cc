//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<asana::Asana>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<asana::Asana>(SignInput {
        body: br#"{"events":[{"action":"deleted","created_at":"2025-11-22T08:26:30.147Z","resource":{"gid":"1209876543210","resource_type":"task"}}]}"#.to_vec(),
        secret: "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
