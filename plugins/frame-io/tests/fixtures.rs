//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<frame_io::FrameIo>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<frame_io::FrameIo>(SignInput {
        body: br#"{"type":"share.viewed","resource":{"id":"8f1b7a2e-3c4d-4e5f-9a0b-1c2d3e4f5a6b","type":"share"},"account":{"id":"6f70f1bd-7e89-4a7e-b4d3-7e576585a181"}}"#.to_vec(),
        secret: "frameio-secret".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/frame-io".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
