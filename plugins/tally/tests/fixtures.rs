//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<tally::Tally>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<tally::Tally>(SignInput {
        body: br#"{"eventId":"a4cb511e","eventType":"FORM_RESPONSE","createdAt":"2025-11-22T08:26:30.889Z","data":{"formId":"VwbNEw","fields":[]}}"#.to_vec(),
        secret: "tally-signing-secret".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
