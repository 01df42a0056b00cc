//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<render::Render>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<render::Render>(SignInput {
        body: br#"{"type":"deploy_ended","timestamp":"2025-11-22T08:26:38.979294509Z","data":{"id":"evt-d4h1a2b3c4d5e6f7g8h9","serviceId":"srv-cukouhrtq21c73e9scng","serviceName":"my-service","status":"succeeded"}}"#.to_vec(),
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        event_type: None,
        delivery_id: "evt-d4h1a2b3c4d5e6f7g8h9".into(),
        url: "https://hooks.example.com/webhooks/render".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
