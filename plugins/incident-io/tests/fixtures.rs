//! The adapter's conformance fixtures, run natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<incident_io::IncidentIo>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<incident_io::IncidentIo>(SignInput {
        body: br#"{"event_type":"public_incident.action_created_v1","public_incident.action_created_v1":{"id":"01FCQSP07Z74QMMYPDDGQB9FTG","created_at":"2021-08-17T13:28:57.801578Z"}}"#.to_vec(),
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(),
        event_type: None,
        delivery_id: "d1".into(),
        url: "https://hooks.example.com/webhooks/incident-io".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
}
