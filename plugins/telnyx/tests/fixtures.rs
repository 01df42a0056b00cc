//! The adapter's conformance fixtures, run natively. Telnyx signs with its
//! private key and the source holds the public key, so `sign` must refuse.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::run_fixtures;

#[test]
fn fixtures() {
    run_fixtures::<telnyx::Telnyx>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn sign_is_refused() {
    let signed = <telnyx::Telnyx as hookyard_sdk::Adapter>::sign(SignInput {
        body: br#"{"data":{"event_type":"call.initiated"}}"#.to_vec(),
        secret: "qLW7tAvzBQn6RBtE0pn/TUR8BbS4mdkAy3mWyfYb8Ks=".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
    assert!(signed.unwrap_err().contains("public key"));
}
