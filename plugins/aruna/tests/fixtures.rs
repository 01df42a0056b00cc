//! The adapter's conformance fixtures, run natively, sign round trips in both
//! modes, and the payload rules.

use hookyard_sdk::SignInput;
use hookyard_sdk::serde_json::{self, json};
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<aruna::Aruna>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify_in_both_modes() {
    for settings in ["{}", r#"{"mode":"bearer"}"#] {
        assert_sign_round_trip::<aruna::Aruna>(SignInput {
            body: br#"{"hook_id":"01HK","object":{"Object":{"id":"01HO"}},"pubkey_serial":1}"#
                .to_vec(),
            secret: "aruna-hook-secret".into(),
            event_type: None,
            delivery_id: String::new(),
            url: "https://hooks.example.com/webhooks/wh_test".into(),
            settings: settings.into(),
            now_ms: 1_763_800_000_000,
        });
    }
}

#[test]
fn the_basic_templates_json_string_is_unwrapped() {
    let inner = json!({"hook_id": "h", "secret": "s"}).to_string();
    let body = serde_json::to_vec(&inner).unwrap();
    assert_eq!(aruna::payload(&body).unwrap()["hook_id"], "h");
    assert!(aruna::payload(b"\"not json\"").is_err());
    assert!(aruna::payload(b"[1]").is_err());
}

#[test]
fn credentials_are_stripped_at_any_depth() {
    let mut value = json!({"secret": 1, "a": {"token": 2, "b": [{"access_key": 3, "keep": 4}]}, "secret_key": 5});
    aruna::strip_credentials(&mut value);
    assert_eq!(value, json!({"a": {"b": [{"keep": 4}]}}));
}
