//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<line::Line>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<line::Line>(SignInput {
        body: br#"{"destination":"U00000000000000000000000000000000","events":[{"type":"follow","timestamp":1763800000000,"webhookEventId":"01FZ74A0TDDPYRVKNK77XKC3ZR","source":{"type":"user","userId":"U4af4980629"},"mode":"active"}]}"#.to_vec(),
        secret: "8c570fa6dd201bb328f1c1eac23a96d8".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
