//! The adapter's conformance fixtures, run natively, sign round trips, and the
//! RFC 3339 helpers.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};
use twitch::{format_rfc3339, parse_rfc3339};

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

#[test]
fn rfc3339_round_trips_and_rejects_garbage() {
    assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(
        parse_rfc3339("2019-11-16T10:11:12.634234626Z"),
        Some(1_573_899_072_634)
    );
    assert_eq!(
        parse_rfc3339("2019-11-16T11:11:12.6+01:00"),
        Some(1_573_899_072_600)
    );
    assert_eq!(
        parse_rfc3339("2000-02-29T23:59:59-00:30"),
        Some(951_870_599_000)
    );
    for ms in [0, 951_868_799_000, 1_573_899_072_634, 4_102_444_800_000] {
        assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Some(ms));
    }
    assert_eq!(
        format_rfc3339(1_573_899_072_634),
        "2019-11-16T10:11:12.634000000Z"
    );
    for bad in [
        "",
        "2019-11-16",
        "2019-11-16T10:11:12",
        "2019-13-16T10:11:12Z",
        "2019-11-16T10:11:12.Z",
        "2019-11-16T10:11:12Zjunk",
        "2019-11-16T10:11:12+0100",
        "2019-1a-16T10:11:12Z",
    ] {
        assert_eq!(parse_rfc3339(bad), None, "{bad}");
    }
}
