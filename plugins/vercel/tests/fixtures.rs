//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<vercel::Vercel>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<vercel::Vercel>(SignInput {
        body: br#"{"id":"uev_1","type":"deployment.succeeded","createdAt":1763800000000,"payload":{"deployment":{"id":"dpl_1"}}}"#.to_vec(),
        secret: "vercel-secret".into(),
        event_type: None,
        delivery_id: "uev_1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
