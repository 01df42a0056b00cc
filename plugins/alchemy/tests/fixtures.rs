//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use alchemy::Alchemy;
use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<Alchemy>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<Alchemy>(SignInput {
        body: br#"{"webhookId":"wh_1","id":"whevt_1","createdAt":"2025-11-22T08:26:40Z","type":"ADDRESS_ACTIVITY","event":{}}"#.to_vec(),
        secret: "whsec_test".into(),
        event_type: None,
        delivery_id: "whevt_1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
