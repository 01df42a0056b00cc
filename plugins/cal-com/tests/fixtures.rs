//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<cal_com::CalCom>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<cal_com::CalCom>(SignInput {
        body: br#"{"triggerEvent":"BOOKING_CANCELLED","createdAt":"2025-11-22T08:26:38.512Z","payload":{"uid":"bFJeNb2uX8ANpT3JL5EfXw","status":"CANCELLED"}}"#.to_vec(),
        secret: "cal-webhook-secret".into(),
        event_type: None,
        delivery_id: "delivery-1".into(),
        url: "https://hooks.example.com/webhooks/cal-com".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
