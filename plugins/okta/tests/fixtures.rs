//! The adapter's conformance fixtures, run natively, and a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<okta::Okta>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    for settings in ["{}", r#"{"header":"X-Okta-Token"}"#] {
        assert_sign_round_trip::<okta::Okta>(SignInput {
            body: br#"{"data":{"events":[{"uuid":"u1","eventType":"user.session.end"}]}}"#.to_vec(),
            secret: "okta-hook-secret".into(),
            event_type: None,
            delivery_id: "XOZfPkReFFZ10KWyGkzAMwAAADA".into(),
            url: "https://hooks.example.com/webhooks/wh_test".into(),
            settings: settings.into(),
            now_ms: 1_763_800_000_000,
        });
    }
}
