//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<intercom::Intercom>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<intercom::Intercom>(SignInput {
        body: br#"{"type":"notification_event","id":"notif_1","topic":"ping","created_at":1763800000,"data":{"item":{"type":"ping"}}}"#.to_vec(),
        secret: "intercom-client-secret".into(),
        event_type: None,
        delivery_id: "notif_1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
