//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<authorize_net::AuthorizeNet>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<authorize_net::AuthorizeNet>(SignInput {
        body: br#"{"notificationId":"5c3f7e00-1265-4e8e-abd0-a7d734163881","eventType":"net.authorize.payment.refund.created","eventDate":"2025-11-22T08:00:00.0000000Z","webhookId":"0b90f2e8-02ae-4d1d-b2e0-1bd167e60176","payload":{"responseCode":1,"authAmount":45.0,"entityName":"transaction","id":"60020981677"}}"#.to_vec(),
        secret: "8F1C0E4A9B7D2C3E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
