//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{Observed, assert_sign_round_trip, run_fixtures};
use zendesk::Zendesk;

#[test]
fn fixtures() {
    run_fixtures::<Zendesk>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    let observed = assert_sign_round_trip::<Zendesk>(SignInput {
        body: br#"{"type":"zen:event-type:user.created","id":"e-1","subject":"zen:user:1","time":"2025-11-22T08:26:40Z"}"#.to_vec(),
        secret: "zendesk-signing-secret".into(),
        event_type: None,
        delivery_id: "8350205582".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_999,
    });
    let Observed::Events(events) = observed else {
        panic!("expected events")
    };
    assert_eq!(events[0].dedup_id.as_deref(), Some("e-1"));
    assert_eq!(events[0].occurred_at, Some(1_763_800_000_000));
}
