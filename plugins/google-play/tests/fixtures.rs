//! The adapter's conformance fixtures (made by `fixtures/make.py`), run
//! natively.

#[test]
fn fixtures() {
    hookyard_sdk::testing::run_fixtures::<google_play::GooglePlay>(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures"
    ));
}
