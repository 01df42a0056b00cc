//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<terraform_cloud::TerraformCloud>(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures"
    ));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<terraform_cloud::TerraformCloud>(SignInput {
        body: br#"{"payload_version":1,"run_id":"run-1","workspace_id":"ws-1","notifications":[{"trigger":"run:completed","run_updated_at":"2025-11-22T08:26:30.000Z"}]}"#.to_vec(),
        secret: "tfe-token".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
