//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<supabase_auth::SupabaseAuth>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<supabase_auth::SupabaseAuth>(SignInput {
        body: br#"{"metadata":{"uuid":"5c3d2e1f-0a9b-4c8d-b7e6-f5a4b3c2d1e0","time":"2025-11-22T08:26:38Z","name":"password-verification"},"user_id":"8f5c1b2e-3d4a-4b6c-9e8f-0a1b2c3d4e5f","valid":true}"#.to_vec(),
        secret: "v1,whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        event_type: None,
        delivery_id: "msg_1".into(),
        url: "https://hooks.example.com/webhooks/supabase-auth".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
