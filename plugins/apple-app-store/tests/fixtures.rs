//! The adapter's conformance fixtures, run natively; `sign` must refuse.

use hookyard_sdk::testing::run_fixtures;
use hookyard_sdk::{Adapter, SignInput};

#[test]
fn fixtures() {
    run_fixtures::<apple_app_store::AppleAppStore>(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures"
    ));
}

#[test]
fn sign_is_refused_without_apple_private_key() {
    let error = apple_app_store::AppleAppStore::sign(SignInput {
        body: br#"{"signedPayload":"e30.e30.e30"}"#.to_vec(),
        secret: String::new(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: r#"{"bundle_id":"com.example.hookyard"}"#.into(),
        now_ms: 1_763_800_000_000,
    })
    .unwrap_err();
    assert!(error.contains("cannot sign"), "{error}");
}
