//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use coinbase_commerce::CoinbaseCommerce;
use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<CoinbaseCommerce>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<CoinbaseCommerce>(SignInput {
        body: br#"{"id":"w-1","attempt_number":1,"event":{"id":"e-1","type":"charge:created","data":{"code":"ABC"}}}"#.to_vec(),
        secret: "cc-shared-secret".into(),
        event_type: None,
        delivery_id: "e-1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
