//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<brex::Brex>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<brex::Brex>(SignInput {
        body: br#"{"event_type":"USER_UPDATED","user_id":"cuuser_cl4qndb5h00020lkyq1w2e3r4","company_id":"cuacc_cl4qndb5h00010lkyqhq1r6tl"}"#.to_vec(),
        secret: "YnJleCBmaXh0dXJlIHdlYmhvb2sgc2VjcmV0IG5ldyE=".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
