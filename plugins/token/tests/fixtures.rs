//! The adapter's conformance fixtures, run natively, plus sign round trips in
//! every mode.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};
use hookyard_sdk::{Adapter, Manifest};

#[test]
fn fixtures() {
    run_fixtures::<token::Token>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

fn input(settings: &str) -> SignInput {
    SignInput {
        body: br#"{"kind":"build.done","uid":"b-1"}"#.to_vec(),
        secret: "tok en/+&=".into(),
        event_type: None,
        delivery_id: "d-1".into(),
        url: "https://hooks.example.com/webhooks/wh_test?x=1".into(),
        settings: settings.into(),
        now_ms: 1_763_800_000_000,
    }
}

#[test]
fn signed_requests_verify_in_every_mode() {
    for settings in [
        "{}",
        r#"{"header":"X-Token"}"#,
        r#"{"mode":"query","query_param":"secret"}"#,
        r#"{"mode":"basic"}"#,
        r#"{"mode":"basic","username":"ci"}"#,
    ] {
        assert_sign_round_trip::<token::Token>(input(settings));
    }
}

#[test]
fn the_manifest_schema_is_json() {
    let manifest: Manifest = token::Token::manifest();
    let schema: hookyard_sdk::serde_json::Value =
        hookyard_sdk::serde_json::from_str(&manifest.settings_schema).unwrap();
    assert_eq!(schema["additionalProperties"], false);
}
