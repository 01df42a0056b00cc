//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<strava::Strava>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<strava::Strava>(SignInput {
        body: br#"{"aspect_type":"create","event_time":1763799990,"object_id":1360128428,"object_type":"activity","owner_id":134815,"subscription_id":120475,"updates":{}}"#.to_vec(),
        secret: "a long random token &=+".into(),
        event_type: None,
        delivery_id: "d-1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
