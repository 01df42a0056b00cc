//! The adapter's conformance fixtures (made by `fixtures/make.py`), run
//! natively, plus a sign round trip.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};

#[test]
fn fixtures() {
    run_fixtures::<azure_event_grid::AzureEventGrid>(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures"
    ));
}

#[test]
fn signed_requests_verify() {
    assert_sign_round_trip::<azure_event_grid::AzureEventGrid>(SignInput {
        body: br#"[{"id":"e-1","eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/c/blobs/a b.txt","eventTime":"2026-01-14T23:59:59.1234567Z","data":{}}]"#.to_vec(),
        secret: "s3cr3t/with+chars&=".into(),
        event_type: None,
        delivery_id: "e-1".into(),
        url: "https://hooks.example.com/webhooks/wh_eg".into(),
        settings: "{}".into(),
        now_ms: 1_768_435_200_000,
    });
}
