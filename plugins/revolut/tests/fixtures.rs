//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<revolut::Revolut>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<revolut::Revolut>(SignInput {
        body: br#"{"event":"ORDER_COMPLETED","order_id":"9fc01989-3f61-4484-a5d9-ffe768531be9","merchant_order_ext_ref":"Test #3928"}"#.to_vec(),
        secret: "wsk_r59a4HfWVAKycbCaNO1RvgCJec02gRd8".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
