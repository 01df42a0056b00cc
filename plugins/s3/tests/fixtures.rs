//! The adapter's conformance fixtures, run natively, a sign round trip, and
//! the key decoding and type normalisation rules.

use hookyard_sdk::testing::{assert_sign_round_trip, context, request, run_fixtures};
use hookyard_sdk::{Adapter, Outcome, SignInput};

#[test]
fn fixtures() {
    run_fixtures::<s3::S3>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<s3::S3>(SignInput {
        body: br#"{"Records":[{"eventName":"s3:ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"k","sequencer":"1"}}}]}"#.to_vec(),
        secret: "minio-auth-token".into(),
        event_type: None,
        delivery_id: String::new(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}

#[test]
fn keys_are_decoded_like_s3_encodes_them() {
    assert_eq!(s3::decode_key("a%2Fb+c%20d"), "a/b c d");
    assert_eq!(s3::decode_key("caf%C3%A9.txt"), "café.txt");
    assert_eq!(s3::decode_key("100%"), "100%");
    assert_eq!(s3::decode_key("50%zz%2"), "50%zz%2");
    assert_eq!(s3::decode_key("plain"), "plain");
}

#[test]
fn aws_event_names_get_the_s3_prefix() {
    assert_eq!(
        s3::normalize_event_name("ObjectCreated:Put"),
        "s3:ObjectCreated:Put"
    );
    assert_eq!(
        s3::normalize_event_name("s3:ObjectRemoved:Delete"),
        "s3:ObjectRemoved:Delete"
    );
}

#[test]
fn a_key_the_pattern_misses_has_no_subject() {
    let body = br#"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"other%2Fx","sequencer":"9"}}}]}"#;
    let req = request("POST", "/", &[("Authorization", "Bearer t")], body);
    let ctx = context(
        &["t"],
        r#"{"subject_pattern":"pipelines/(?P<slug>[^/]+)/"}"#,
        0,
    );
    let Ok(Outcome::Events(events)) = s3::S3::handle(req, ctx) else {
        panic!("no events");
    };
    assert_eq!(events[0].subject, None);
    assert_eq!(
        events[0].dedup_id.as_deref(),
        Some("s3:ObjectCreated:Put:b/other/x@9")
    );
}
