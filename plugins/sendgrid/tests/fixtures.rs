//! The adapter's conformance fixtures, run natively; `sign` must refuse.

use hookyard_sdk::testing::run_fixtures;
use hookyard_sdk::{Adapter, SignInput};

#[test]
fn fixtures() {
    run_fixtures::<sendgrid::SendGrid>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn sign_is_refused_because_the_secret_is_a_public_key() {
    let error = sendgrid::SendGrid::sign(SignInput {
        body: br#"[{"event":"open"}]"#.to_vec(),
        secret: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE".into(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    })
    .unwrap_err();
    assert!(error.contains("public"), "{error}");
}

#[test]
fn verification_keys_are_read_as_base64_or_pem() {
    let der = sendgrid::decode_public_key("MFkwEwYH KoZIzj0C").unwrap();
    assert_eq!(der.len(), 12);
    let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYH\nKoZIzj0C\n-----END PUBLIC KEY-----\n";
    assert_eq!(sendgrid::decode_public_key(pem).unwrap(), der);
    assert_eq!(sendgrid::decode_public_key("not base64!"), None);
    assert_eq!(sendgrid::decode_public_key(""), None);
}
