//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{Observed, assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<sentry::Sentry>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify_and_carry_the_resource() {
    let observed = assert_sign_round_trip::<sentry::Sentry>(SignInput {
        body: br#"{"action":"critical","data":{"metric_alert":{"id":"42"}}}"#.to_vec(),
        secret: "sentry-client-secret".into(),
        event_type: Some("metric_alert.critical".into()),
        delivery_id: "5b0a1a5e-3f7e-4c1a-9c55-8c2a41e7a2d0".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
    let Observed::Events(events) = observed else {
        panic!("expected events")
    };
    assert_eq!(events[0].event_type, "metric_alert.critical");
    assert_eq!(events[0].subject.as_deref(), Some("42"));
    assert_eq!(
        events[0].dedup_id.as_deref(),
        Some("5b0a1a5e-3f7e-4c1a-9c55-8c2a41e7a2d0")
    );
}
