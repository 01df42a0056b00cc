//! The adapter's conformance fixtures, run natively, plus a sign round trip
//! and the array-body scanner.

use hookyard_sdk::SignInput;
use hookyard_sdk::testing::{Observed, assert_sign_round_trip, run_fixtures};
use segment::Segment;

#[test]
fn fixtures() {
    run_fixtures::<Segment>(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"));
}

#[test]
fn signed_requests_verify() {
    let observed = assert_sign_round_trip::<Segment>(SignInput {
        body: br#"[{"type":"track","event":"Order Completed","messageId":"m-1"},{"type":"page","messageId":"m-2"}]"#.to_vec(),
        secret: "segment-shared-secret".into(),
        event_type: None,
        delivery_id: "ignored".into(),
        url: "https://hooks.example.com/webhooks/wh_test".into(),
        settings: "{}".into(),
        now_ms: 1_763_800_000_000,
    });
    let Observed::Events(events) = observed else {
        panic!("expected events")
    };
    let types: Vec<_> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["track", "page"]);
    assert_eq!(events[1].dedup_id.as_deref(), Some("m-2"));
}

#[test]
fn the_first_element_of_an_array_body_is_found_verbatim() {
    use segment::first_array_element as first;
    assert_eq!(
        first(br#"[{"a":"x],\"}","b":[1,2]},{"c":3}]"#),
        Some(&br#"{"a":"x],\"}","b":[1,2]}"#[..])
    );
    assert_eq!(first(b" [ {\"a\":1} ]"), Some(&b"{\"a\":1}"[..]));
    assert_eq!(first(b"[7,8]"), Some(&b"7"[..]));
    assert_eq!(first(b"{\"a\":[1]}"), None);
    assert_eq!(first(b"[]"), None);
    assert_eq!(first(b"[{\"a\":1}"), None);
}
