//! The adapter's conformance fixtures, run natively, plus sign round trips.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<appsflyer::AppsFlyer>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    for settings in ["{}", r#"{"header":"X-AF-Token"}"#] {
        assert_sign_round_trip::<appsflyer::AppsFlyer>(SignInput {
            body: br#"{"event_name":"af_purchase","appsflyer_id":"1578441154698-3287917"}"#
                .to_vec(),
            secret: "af-push-token".into(),
            event_type: None,
            delivery_id: String::new(),
            url: "https://hooks.example.com/webhooks/wh_test".into(),
            settings: settings.into(),
            now_ms: 1_763_800_000_000,
        });
    }
}
