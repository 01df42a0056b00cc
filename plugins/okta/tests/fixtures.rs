//! The adapter's conformance fixtures, run natively, a sign round trip, and the
//! timestamp parser.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<okta::Okta>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    for settings in ["{}", r#"{"header":"X-Okta-Token"}"#] {
        assert_sign_round_trip::<okta::Okta>(SignInput {
            body: br#"{"data":{"events":[{"uuid":"u1","eventType":"user.session.end"}]}}"#.to_vec(),
            secret: "okta-hook-secret".into(),
            event_type: None,
            delivery_id: "XOZfPkReFFZ10KWyGkzAMwAAADA".into(),
            url: "https://hooks.example.com/webhooks/wh_test".into(),
            settings: settings.into(),
            now_ms: 1_763_800_000_000,
        });
    }
}

#[test]
fn published_timestamps_are_read_to_the_millisecond() {
    use okta::parse_published;
    assert_eq!(
        parse_published("2019-11-16T10:11:12.634Z"),
        Some(1_573_899_072_634)
    );
    assert_eq!(
        parse_published("2019-11-16T10:11:12Z"),
        Some(1_573_899_072_000)
    );
    assert_eq!(
        parse_published("2019-11-16T10:11:12.6345Z"),
        Some(1_573_899_072_634)
    );
    assert_eq!(
        parse_published("2019-11-16T10:11:12.6Z"),
        Some(1_573_899_072_600)
    );
    for bad in [
        "",
        "2019-11-16T10:11:12",
        "2019-11-16T10:11:12+01:00",
        "2019-13-16T10:11:12Z",
        "x019-11-16T10:11:12Z",
    ] {
        assert_eq!(parse_published(bad), None, "{bad}");
    }
}
