//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<liveblocks::Liveblocks>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<liveblocks::Liveblocks>(SignInput {
        body: br#"{"type":"threadCreated","data":{"projectId":"605a50b01a36d5ea7a2e9104","roomId":"my-room-id","threadId":"th_d75sF3","createdAt":"2025-11-22T08:26:38.000Z","createdBy":"user-1"}}"#.to_vec(),
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        event_type: None,
        delivery_id: "msg_2Lk7liveblocks".into(),
        url: "https://hooks.example.com/webhooks/liveblocks".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
