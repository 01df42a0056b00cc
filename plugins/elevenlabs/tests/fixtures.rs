//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<elevenlabs::ElevenLabs>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<elevenlabs::ElevenLabs>(SignInput {
        body: br#"{"type":"post_call_transcription","event_timestamp":1763799990,"data":{"agent_id":"xyz","conversation_id":"abc"}}"#.to_vec(),
        secret: "wsec_elevenlabs_fixture".into(),
        event_type: None,
        delivery_id: "01HZ".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
