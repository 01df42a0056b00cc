//! The adapter's conformance fixtures, run natively, plus a sign round trip and
//! the published signing-string vector.

use hookyard_sdk::SignInput;
use hookyard_sdk::serde_json::json;
use hookyard_sdk::testing::{assert_sign_round_trip, run_fixtures};
use hookyard_sdk::{Adapter, Outcome};

const KEY: &str = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";

#[test]
fn fixtures() {
    run_fixtures::<adyen::Adyen>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn the_signing_string_matches_adyens_example() {
    let item = json!({
        "pspReference": "7914073381342284", "merchantAccountCode": "TestMerchant",
        "merchantReference": "TestPayment-1407325143704", "amount": {"value": 1130, "currency": "EUR"},
        "eventCode": "AUTHORISATION", "success": "true"
    });
    assert_eq!(
        adyen::signing_string(&item),
        "7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true"
    );
}

#[test]
fn signed_batches_verify_item_by_item() {
    let body = json!({"live": "false", "notificationItems": [
        {"NotificationRequestItem": {"pspReference": "A1", "eventCode": "CAPTURE", "success": "true",
            "merchantAccountCode": "M", "merchantReference": "r1", "amount": {"value": 5, "currency": "EUR"}}},
        {"NotificationRequestItem": {"pspReference": "A2", "eventCode": "REFUND", "success": "false",
            "merchantAccountCode": "M", "merchantReference": "r2", "additionalData": {"hmacSignature": "stale"}}}
    ]});
    let input = SignInput {
        body: body.to_string().into_bytes(),
        secret: KEY.into(),
        event_type: None,
        delivery_id: String::new(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    };
    assert_sign_round_trip::<adyen::Adyen>(input.clone());
    let signed = adyen::Adyen::sign(input).unwrap();
    let request = hookyard_sdk::testing::request("POST", "/", &[], &signed.body);
    let context = hookyard_sdk::testing::context(&[KEY], "{}", 0);
    let Ok(Outcome::Events(events)) = adyen::Adyen::handle(request, context) else {
        panic!("no events");
    };
    let ids: Vec<_> = events.iter().map(|e| e.dedup_id.clone().unwrap()).collect();
    assert_eq!(ids, ["A1:CAPTURE", "A2:REFUND"]);
}

#[test]
fn a_key_that_is_not_hex_cannot_sign() {
    let err = adyen::Adyen::sign(SignInput {
        body: b"{}".to_vec(),
        secret: "not hex".into(),
        event_type: None,
        delivery_id: String::new(),
        url: String::new(),
        settings: "{}".into(),
        now_ms: 0,
    })
    .unwrap_err();
    assert!(err.contains("hex"));
}
