//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<pandadoc::PandaDoc>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<pandadoc::PandaDoc>(SignInput {
        body: br#"[{"event":"document_deleted","data":{"id":"msFYActMfJHqNTKH8YSvF1","name":"Sample Quote","date_modified":"2025-11-22T08:26:35.123456Z"}}]"#.to_vec(),
        secret: "pandadoc-shared-key".into(),
        event_type: None,
        delivery_id: "delivery-1".into(),
        url: "https://hooks.example.com/webhooks/pandadoc".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
