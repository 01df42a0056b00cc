//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<microsoft_graph::MicrosoftGraph>(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures"
    ));
}

#[test]
fn signed_requests_verify() {
    let observed = assert_sign_round_trip::<microsoft_graph::MicrosoftGraph>(SignInput {
        body: br#"{"value":[{"changeType":"deleted","resource":"Users/u/Events/e"},{"lifecycleEvent":"missed"}]}"#
            .to_vec(),
        secret: "graph-client-state".into(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
    let text = format!("{observed:?}");
    assert!(
        text.contains("deleted") && text.contains("missed"),
        "{text}"
    );
}
