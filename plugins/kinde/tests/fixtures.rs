//! The adapter's conformance fixtures, run natively. Kinde signs with its
//! private key, so `sign` refuses: there is no round trip.

use hookyard_sdk::testing::run_fixtures;
use hookyard_sdk::{Adapter, SignInput};

#[test]
fn fixtures() {
    run_fixtures::<kinde::Kinde>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn it_cannot_sign() {
    let refused = <kinde::Kinde as Adapter>::sign(SignInput {
        body: br#"{"type":"user.created"}"#.to_vec(),
        secret: String::new(),
        event_type: None,
        delivery_id: "event_1".into(),
        url: "https://hooks.example.com/webhooks/kinde".into(),
        settings: r#"{"domain":"acme.kinde.com"}"#.into(),
        now_ms: 1_763_800_000_000,
    });
    assert!(refused.unwrap_err().contains("cannot sign"));
}
