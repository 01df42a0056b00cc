//! The adapter's conformance fixtures, run natively, a sign round trip, and
//! the presets.

use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};
use hookyard_sdk::{Adapter, SignInput};

#[test]
fn fixtures() {
    run_fixtures::<meta::Meta>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    let observed = assert_sign_round_trip::<meta::Meta>(SignInput {
        body: br#"{"object":"instagram","entry":[{"id":"1789","time":1763800000,"changes":[{"field":"comments","value":{"id":"c1","text":"hi"}}]}]}"#.to_vec(),
        secret: "meta-app-secret".into(),
        event_type: None,
        delivery_id: "1".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: r#"{"objects":["instagram"]}"#.into(),
        now_ms: 1_763_800_000_000,
    });
    assert!(format!("{observed:?}").contains("instagram.comments"));
}

#[test]
fn presets_restrict_the_object() {
    let manifest = meta::Meta::manifest();
    let names: Vec<&str> = manifest.presets.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["meta", "whatsapp", "instagram", "messenger"]);
    let whatsapp = &manifest.presets[1];
    assert_eq!(
        whatsapp.settings,
        r#"{"objects":["whatsapp_business_account"]}"#
    );
    assert_eq!(manifest.presets[0].settings, r#"{"objects":[]}"#);
}
