//! The adapter's conformance fixtures, run natively, plus sign round trips (both presets).

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<gitea::Gitea>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    for settings in [r#"{"forge":"gitea"}"#, r#"{"forge":"forgejo"}"#, "{}"] {
        assert_sign_round_trip::<gitea::Gitea>(SignInput {
            body: br#"{"ref":"refs/heads/main","repository":{"full_name":"gitea/webhooks"}}"#
                .to_vec(),
            secret: "gitea-secret".into(),
            event_type: Some("push".into()),
            delivery_id: "f6266f16-1bf3-46a5-9ea4-602e06ead473".into(),
            url: "https://hooks.example.com/webhooks/wh_test".into(),
            settings: settings.into(),
            now_ms: 1_763_800_000_000,
        });
    }
}
