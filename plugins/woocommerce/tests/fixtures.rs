//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<woocommerce::WooCommerce>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<woocommerce::WooCommerce>(SignInput {
        body: br#"{"id":727,"status":"processing","date_created_gmt":"2025-11-22T08:26:30","date_modified_gmt":"2025-11-22T08:26:31"}"#.to_vec(),
        secret: "woocommerce-secret".into(),
        event_type: Some("order.created".into()),
        delivery_id: "0f2d4c1b9e8a7f6d5c4b3a2918e7d6c5".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
