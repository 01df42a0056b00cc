//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<mandrill::Mandrill>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<mandrill::Mandrill>(SignInput {
        body: b"mandrill_events=%5B%7B%22event%22%3A%22open%22%2C%22_id%22%3A%22m1%22%2C%22ts%22%3A1763799990%7D%5D".to_vec(),
        secret: "mandrill-key".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/mandrill".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
