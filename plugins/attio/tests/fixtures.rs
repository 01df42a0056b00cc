//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<attio::Attio>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<attio::Attio>(SignInput {
        body: br#"{"webhook_id":"d3bf0a7b","events":[{"event_type":"record.created","id":{"workspace_id":"14beef7a","object_id":"97052eb9","record_id":"bf071e1f"}}]}"#.to_vec(),
        secret: "attio-webhook-secret".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
