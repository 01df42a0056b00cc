//! The adapter's conformance fixtures, run natively; `sign` must refuse.

use hookyard_sdk::testing::run_fixtures;
use hookyard_sdk::{Adapter, SignInput};

#[test]
fn fixtures() {
    run_fixtures::<plaid::Plaid>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn sign_is_refused_without_plaid_private_key() {
    let error = plaid::Plaid::sign(SignInput {
        body: br#"{"webhook_type":"ITEM","webhook_code":"ERROR"}"#.to_vec(),
        secret: String::new(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: r#"{"client_id":"5f0c1a2b3c4d5e6f70819203"}"#.into(),
        now_ms: 1_763_800_000_000,
    })
    .unwrap_err();
    assert!(error.contains("cannot sign"), "{error}");
}

#[test]
fn the_key_is_asked_for_with_a_post_of_client_id_secret_and_kid() {
    use hookyard_sdk::testing::fetched;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    // Only the valid case: the last fixture run leaves its requests recorded.
    let only = std::env::temp_dir().join(format!("plaid-fixture-{}", std::process::id()));
    std::fs::create_dir_all(&only).unwrap();
    std::fs::copy(format!("{dir}/valid.json"), only.join("valid.json")).unwrap();
    run_fixtures::<plaid::Plaid>(&only);
    std::fs::remove_dir_all(&only).unwrap();
    let sent = fetched();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(
        sent[0].url,
        "https://production.plaid.com/webhook_verification_key/get"
    );
    let body: hookyard_sdk::serde_json::Value =
        hookyard_sdk::serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(body["client_id"], "5f0c1a2b3c4d5e6f70819203");
    assert_eq!(body["secret"], "test0plaid0secret0000000000000");
    assert_eq!(body["key_id"], "6c5516e1-92dc-479e-a8ff-5a51992e0001");
}
