//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<docusign::DocuSign>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<docusign::DocuSign>(SignInput {
        body: br#"{"event":"envelope-sent","retryCount":0,"configurationId":10418,"generatedDateTime":"2025-11-22T08:26:30.2934411Z","data":{"envelopeId":"93be49ab"}}"#.to_vec(),
        secret: "x3TJp3rY1Kc/QG6uN+9m2Fz0aWl5dE8bHq4sVv7yR1o=".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
