//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<dropbox::Dropbox>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<dropbox::Dropbox>(SignInput {
        body: br#"{"list_folder":{"accounts":["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]}}"#
            .to_vec(),
        secret: "dropbox-app-secret".into(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
