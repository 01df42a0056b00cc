//! The adapter's conformance fixtures (made by `fixtures/make.py`), run
//! natively.

#[test]
fn fixtures() {
    hookyard_sdk::testing::run_fixtures::<google_pubsub::GooglePubsub>(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures"
    ));
}
