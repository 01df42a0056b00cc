//! The adapter's conformance fixtures, run natively; `sign` must refuse.

use hookyard_sdk::testing::run_fixtures;
use hookyard_sdk::{Adapter, SignInput};

#[test]
fn fixtures() {
    run_fixtures::<discord::Discord>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn sign_is_refused_because_the_secret_is_a_public_key() {
    let error = discord::Discord::sign(SignInput {
        body: br#"{"type":1}"#.to_vec(),
        secret: "00".repeat(32),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    })
    .unwrap_err();
    assert!(error.contains("public key"), "{error}");
}

#[test]
fn snowflakes_carry_their_creation_time() {
    // Discord's documented example: 175928847299117063 → 2016-04-30 11:18:25.796 UTC.
    assert_eq!(
        discord::snowflake_ms("175928847299117063"),
        Some(1_462_015_105_796)
    );
    assert_eq!(discord::snowflake_ms("not a number"), None);
}
