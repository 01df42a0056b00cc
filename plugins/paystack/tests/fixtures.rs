//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<paystack::Paystack>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<paystack::Paystack>(SignInput {
        body: br#"{"event":"refund.processed","data":{"id":1336,"status":"processed","transaction_reference":"qTPrJoy9Bx","amount":10000,"currency":"NGN"}}"#.to_vec(),
        secret: "sk_test_paystack".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
