//! The adapter's conformance fixtures, run natively, plus sign round trips.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<hubspot::HubSpot>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

fn input(url: &str, settings: &str) -> SignInput {
    SignInput {
        body: br#"[{"eventId":1,"subscriptionId":2,"portalId":3,"occurredAt":1763800000000,"subscriptionType":"deal.creation","objectId":4}]"#.to_vec(),
        secret: "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy".into(),
        event_type: None,
        delivery_id: "1".into(),
        url: url.into(),
        settings: settings.into(),
        now_ms: 1_763_800_000_000,
    }
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<hubspot::HubSpot>(input(
        "https://hooks.example.com/webhooks/wh_test",
        "{}",
    ));
    assert_sign_round_trip::<hubspot::HubSpot>(input(
        "https://hooks.example.com/webhooks/wh_test?portal=a%3Ab",
        r#"{"target_url":"https://public.example.com/hubspot?x=%40y"}"#,
    ));
}
