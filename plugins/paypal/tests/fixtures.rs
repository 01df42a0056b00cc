//! The adapter's conformance fixtures, run natively; `sign` must refuse.

use hookyard_sdk::testing::run_fixtures;
use hookyard_sdk::{Adapter, SignInput};

#[test]
fn fixtures() {
    run_fixtures::<paypal::PayPal>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn sign_is_refused_without_paypal_private_key() {
    let error = paypal::PayPal::sign(SignInput {
        body: br#"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"}"#.to_vec(),
        secret: String::new(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: r#"{"webhook_id":"8PT597110X687430LKGECATA"}"#.into(),
        now_ms: 1_763_800_000_000,
    })
    .unwrap_err();
    assert!(error.contains("private key"), "{error}");
}
