//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<docker_hub::DockerHub>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<docker_hub::DockerHub>(SignInput {
        body: br#"{"callback_url":"https://registry.hub.docker.com/u/a/b/hook/1/","push_data":{"pushed_at":1763799990,"pusher":"ci","tag":"v1"},"repository":{"repo_name":"a/b"}}"#.to_vec(),
        secret: "dh token/with+odd chars".into(),
        event_type: None,
        delivery_id: "delivery-1".into(),
        url: "https://hooks.example.com/webhooks/docker-hub".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
