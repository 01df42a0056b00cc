//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<postmark::Postmark>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<postmark::Postmark>(SignInput {
        body: br#"{"RecordType":"Open","MessageID":"m-1"}"#.to_vec(),
        secret: "hooks:s3cr3t:with:colons".into(),
        event_type: None,
        delivery_id: "unused".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}

#[test]
fn a_secret_without_a_user_cannot_sign() {
    let err = <postmark::Postmark as hookyard_sdk::Adapter>::sign(SignInput {
        body: b"{}".to_vec(),
        secret: "just-a-password".into(),
        event_type: None,
        delivery_id: String::new(),
        url: "https://hooks.example.com/".into(),
        settings: "{}".into(),
        now_ms: 0,
    })
    .unwrap_err();
    assert!(err.contains("user:password"));
}
