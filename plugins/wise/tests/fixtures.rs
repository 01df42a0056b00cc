//! The adapter's conformance fixtures, run natively. Wise signs with its
//! private key and the source holds Wise's public key, so `sign` must refuse.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::run_fixtures;

#[test]
fn fixtures() {
    run_fixtures::<wise::Wise>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn sign_is_refused() {
    let signed = <wise::Wise as hookyard_sdk::Adapter>::sign(SignInput {
        body: br#"{"data":{"resource":{"id":1,"type":"transfer"}},"event_type":"transfers#state-change"}"#.to_vec(),
        secret: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwpb91cEYuyJNQepZAVfP".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
    assert!(signed.unwrap_err().contains("private key"));
}
