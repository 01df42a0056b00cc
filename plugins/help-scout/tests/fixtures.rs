//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<help_scout::HelpScout>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<help_scout::HelpScout>(SignInput {
        body: br#"{"id":2391938111,"number":349,"status":"active","subject":"I need help!"}"#
            .to_vec(),
        secret: "help-scout-secret-key".into(),
        event_type: Some("convo.status".into()),
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
