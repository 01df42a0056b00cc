//! The adapter's conformance fixtures (made by `fixtures/make.py`), run
//! natively, and `sign`'s refusal.

use hookyard_sdk::prelude::Adapter;
use hookyard_sdk::testing::run_fixtures;

#[test]
fn fixtures() {
    run_fixtures::<aws_sns::AwsSns>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn sign_is_refused() {
    let input = hookyard_sdk::SignInput {
        body: b"{}".to_vec(),
        secret: String::new(),
        event_type: None,
        delivery_id: "d".into(),
        url: "https://hooks.example.com/w".into(),
        settings: "{}".into(),
        now_ms: 0,
    };
    let err = <aws_sns::AwsSns as Adapter>::sign(input).unwrap_err();
    assert!(err.contains("cannot sign"), "{err}");
}
