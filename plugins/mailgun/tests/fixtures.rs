//! The adapter's conformance fixtures, run natively, plus sign round trips.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<mailgun::Mailgun>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

fn input(body: &[u8]) -> SignInput {
    SignInput {
        body: body.to_vec(),
        secret: "key-mailgun-signing".into(),
        event_type: None,
        delivery_id: "0b7d8e7e-5f0c-4f67-9a53-21f4b6c4b7a1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    }
}

#[test]
fn signed_requests_verify() {
    // A full webhook body, and bare event data that sign wraps.
    assert_sign_round_trip::<mailgun::Mailgun>(input(
        br#"{"event-data":{"event":"delivered","id":"e1","timestamp":1763800000.5}}"#,
    ));
    assert_sign_round_trip::<mailgun::Mailgun>(input(br#"{"event":"opened","id":"e2"}"#));
}

#[test]
fn bodies_that_are_not_json_cannot_be_signed() {
    let error =
        <mailgun::Mailgun as hookyard_sdk::Adapter>::sign(input(b"event=delivered")).unwrap_err();
    assert!(error.contains("JSON"), "{error}");
}
