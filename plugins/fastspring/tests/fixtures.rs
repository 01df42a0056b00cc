//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<fastspring::FastSpring>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<fastspring::FastSpring>(SignInput {
        body: br#"{"events":[{"id":"4kdKx9C0RiWLyLhB1w3C8A","live":true,"processed":false,"type":"return.created","created":1763799991000,"data":{"id":"Qj7fU5h0SWanLzKhaSTBbA","order":"nlHCnQlpR3ydPCdQyUfr2w"}}]}"#.to_vec(),
        secret: "fastspring-hmac-secret".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
