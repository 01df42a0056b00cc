//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<ably::Ably>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<ably::Ably>(SignInput {
        body: br#"{"items":[{"webhookId":"ABcDEf","source":"channel.lifecycle","timestamp":1562124922426,"name":"channel.closed","data":{"channelId":"chat-channel-5"}}]}"#.to_vec(),
        secret: "ably-key-value".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
