//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<pagerduty::PagerDuty>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<pagerduty::PagerDuty>(SignInput {
        body: br#"{"event":{"id":"01X","event_type":"pagey.ping","data":{"type":"ping"}}}"#
            .to_vec(),
        secret: "ChSa+9Ze8a6SCpDtLOrSxUGtdIn8qo+nKqGhxMbz31Yx0NvJCY7ZUW9cpcgoETlm".into(),
        event_type: None,
        delivery_id: "d2a2e5ac-5f20-4b7c-9b12-8a51a1e3e3c1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
