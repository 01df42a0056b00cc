//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<viber::Viber>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<viber::Viber>(SignInput {
        body: br#"{"event":"seen","timestamp":1763799990123,"message_token":4912661846655238145,"user_id":"01234567890A="}"#.to_vec(),
        secret: "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9".into(),
        event_type: None,
        delivery_id: "d-1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
