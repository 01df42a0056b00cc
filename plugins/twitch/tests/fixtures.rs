//! The adapter's conformance fixtures, run natively, and sign round trips.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<twitch::Twitch>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

fn input(body: &[u8]) -> SignInput {
    SignInput {
        body: body.to_vec(),
        secret: "twitch-subscription-secret".into(),
        event_type: None,
        delivery_id: "0b7d8e7e-5f0c-4f67-9a53-21f4b6c4b7a1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_123,
    }
}

#[test]
fn signed_requests_verify() {
    let observed = assert_sign_round_trip::<twitch::Twitch>(input(
        br#"{"subscription":{"type":"stream.online","status":"enabled","condition":{"broadcaster_user_id":"7"}},"event":{"broadcaster_user_id":"7"}}"#,
    ));
    assert!(format!("{observed:?}").contains("stream.online"));
    let observed = assert_sign_round_trip::<twitch::Twitch>(input(
        br#"{"challenge":"abc","subscription":{"type":"stream.online","status":"webhook_callback_verification_pending"}}"#,
    ));
    assert!(format!("{observed:?}").starts_with("Response { status: 200"));
    let observed = assert_sign_round_trip::<twitch::Twitch>(input(
        br#"{"subscription":{"type":"stream.online","status":"user_removed"}}"#,
    ));
    assert!(format!("{observed:?}").contains("revocation"));
}
