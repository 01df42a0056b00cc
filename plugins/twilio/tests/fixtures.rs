//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<twilio::Twilio>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<twilio::Twilio>(SignInput {
        body: b"MessageSid=SM1&MessageStatus=sent&To=%2B14155550100".to_vec(),
        secret: "twilio-auth-token".into(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test?x=1".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}

#[test]
fn signed_json_requests_verify() {
    let observed = assert_sign_round_trip::<twilio::Twilio>(SignInput {
        body: br#"[{"type":"com.twilio.messaging.message.sent","id":"EZ1"}]"#.to_vec(),
        secret: "twilio-auth-token".into(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
    assert!(format!("{observed:?}").contains("com.twilio.messaging.message.sent"));
}

#[test]
fn urls_are_tried_with_and_without_their_port() {
    use twilio::url_variants;
    assert_eq!(
        url_variants("https://h.test/a?b=1"),
        ["https://h.test/a?b=1", "https://h.test:443/a?b=1"]
    );
    assert_eq!(
        url_variants("http://h.test:8080/a"),
        ["http://h.test:8080/a", "http://h.test/a"]
    );
    assert_eq!(
        url_variants("http://h.test"),
        ["http://h.test", "http://h.test:80"]
    );
    assert_eq!(
        url_variants("https://[::1]/x"),
        ["https://[::1]/x", "https://[::1]:443/x"]
    );
    assert_eq!(url_variants("not a url"), ["not a url"]);
}

#[test]
fn parameters_are_sorted_by_name_then_value() {
    let params = [("b", "2"), ("a", "z"), ("a", "y")].map(|(k, v)| (k.to_string(), v.to_string()));
    assert_eq!(
        twilio::signed_content("https://h/", &params),
        b"https://h/ayazb2"
    );
}
