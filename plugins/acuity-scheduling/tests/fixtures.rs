//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<acuity_scheduling::AcuityScheduling>(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures"
    ));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<acuity_scheduling::AcuityScheduling>(SignInput {
        body: b"action=canceled&id=1109810062&calendarID=7568038&appointmentTypeID=38932233"
            .to_vec(),
        secret: "acuity-api-key".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
