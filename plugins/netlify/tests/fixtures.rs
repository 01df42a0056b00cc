//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<netlify::Netlify>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<netlify::Netlify>(SignInput {
        body: br#"{"id":"5ebc34bf4fea0b01f02efa3a","site_id":"fa4dd95a","state":"ready","updated_at":"2020-05-13T17:58:56.738Z"}"#.to_vec(),
        secret: "netlify-jws-secret".into(),
        event_type: Some("deploy_created".into()),
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
