//! Every first-party adapter through the real server: valid deliveries are
//! stored with the right type and dedup id; tampered, wrongly signed, stale or
//! unsigned ones get 401 with the right code and store nothing; redeliveries
//! store nothing new; a second secret verifies during a rotation.

use hookyard_e2e::sign::{self, Signed};
use hookyard_e2e::{Server, now};
use reqwest::Method;
use serde_json::{Value, json};

const NEW_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OLD_SECRET: &str = "whsec_dGhlIG9sZCBzZWNyZXQgYmVmb3JlIHJvdGF0aW9u";
const WRONG_SECRET: &str = "whsec_d3Jvbmcgc2VjcmV0IGZvciB0ZXN0aW5nIG9ubHk=";

/// One vendor's scheme, as the test drives it.
struct Vendor {
    preset: &'static str,
    settings: Value,
    /// Signs a delivery with this id at this time.
    sign: fn(secret: &str, delivery: &str, timestamp: i64) -> Signed,
    /// The event type and dedup id the delivery must be stored with.
    expect: fn(delivery: &str) -> (String, String),
    signature_header: &'static str,
    signs_timestamp: bool,
}

async fn check_vendor(vendor: Vendor) {
    let server = Server::start().await;
    let source = server
        .create_source(
            vendor.preset,
            &[NEW_SECRET, OLD_SECRET],
            vendor.settings.clone(),
        )
        .await;
    let t = now();

    // A valid delivery is stored with the right type and dedup id.
    let valid = (vendor.sign)(NEW_SECRET, "d1", t);
    let (status, answer) = server.deliver(&source.key, &valid).await;
    assert_eq!(
        status,
        200,
        "{}: valid delivery: {answer}\n{}",
        vendor.preset,
        server.log()
    );
    assert_eq!(answer["status"], "accepted", "{}: {answer}", vendor.preset);
    let ids = answer["events"].as_array().unwrap();
    assert_eq!(ids.len(), 1, "{}: {answer}", vendor.preset);
    let (status, event) = server
        .api(
            Method::GET,
            &format!("/api/v1/events/{}", ids[0].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (want_type, want_dedup) = (vendor.expect)("d1");
    assert_eq!(
        event["type"],
        want_type.as_str(),
        "{}: {event}",
        vendor.preset
    );
    assert_eq!(
        event["dedup_id"],
        want_dedup.as_str(),
        "{}: {event}",
        vendor.preset
    );
    assert_eq!(event["source_id"], source.id.as_str());
    assert!(
        event["data"].is_object() || event["data"].is_array(),
        "{}: data is JSON: {event}",
        vendor.preset
    );

    // A redelivery stores nothing new.
    let (status, answer) = server.deliver(&source.key, &valid).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("duplicate")),
        "{}: {answer}",
        vendor.preset
    );

    // The older secret still verifies during a rotation.
    let (status, answer) = server
        .deliver(&source.key, &(vendor.sign)(OLD_SECRET, "d2", t))
        .await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (200, Some("accepted")),
        "{}: rotated: {answer}",
        vendor.preset
    );

    // Failures: 401 with the reason, nothing stored.
    let mut failures = vec![
        (
            "tampered body",
            (vendor.sign)(NEW_SECRET, "d3", t).tampered(),
            "bad_signature",
        ),
        (
            "wrong secret",
            (vendor.sign)(WRONG_SECRET, "d4", t),
            "bad_signature",
        ),
        (
            "missing header",
            (vendor.sign)(NEW_SECRET, "d5", t).without(vendor.signature_header),
            "missing_signature",
        ),
    ];
    if vendor.signs_timestamp {
        failures.push((
            "stale timestamp",
            (vendor.sign)(NEW_SECRET, "d6", t - 3600),
            "timestamp_out_of_tolerance",
        ));
    }
    for (what, request, code) in failures {
        let (status, answer) = server.deliver(&source.key, &request).await;
        assert_eq!(status, 401, "{}: {what}: {answer}", vendor.preset);
        assert_eq!(
            answer,
            json!({ "error": code }),
            "{}: {what}",
            vendor.preset
        );
    }

    let events = server.events(&source.id).await;
    assert_eq!(
        events.len(),
        2,
        "{}: only the two valid deliveries are stored: {events:?}",
        vendor.preset
    );

    // The request log saw everything, with outcome and adapter.
    let log = server.requests(&source.id).await;
    let outcomes: Vec<&str> = log.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(
        outcomes.iter().filter(|o| **o == "accepted").count(),
        2,
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes.iter().filter(|o| **o == "duplicate").count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes.iter().filter(|o| **o == "rejected").count() >= 3,
        "{outcomes:?}"
    );
    assert!(
        log.iter()
            .all(|r| r["plugin_version"].is_string() && r["remote_ip"] == "127.0.0.1"),
        "{log:?}"
    );
}

#[tokio::test]
async fn github() {
    check_vendor(Vendor {
        preset: "github",
        settings: json!({}),
        sign: |secret, delivery, _| {
            let body = json!({"action": "opened", "number": 1, "repository": {"full_name": "octo/hello"}, "d": delivery});
            sign::github(secret, "pull_request", delivery, &body.to_string())
        },
        expect: |delivery| ("pull_request.opened".into(), delivery.into()),
        signature_header: "X-Hub-Signature-256",
        signs_timestamp: false,
    })
    .await;
}

#[tokio::test]
async fn stripe() {
    check_vendor(Vendor {
        preset: "stripe",
        settings: json!({}),
        sign: |secret, delivery, t| {
            let body = json!({"id": format!("evt_{delivery}"), "object": "event", "type": "payment_intent.succeeded",
                "created": t, "data": {"object": {"id": "pi_123", "object": "payment_intent"}}});
            sign::stripe(secret, t, &body.to_string())
        },
        expect: |delivery| ("payment_intent.succeeded".into(), format!("evt_{delivery}")),
        signature_header: "Stripe-Signature",
        signs_timestamp: true,
    })
    .await;
}

fn standard_body(delivery: &str) -> String {
    json!({"type": "user.created", "timestamp": "2026-11-22T10:00:00Z", "data": {"id": format!("user_{delivery}")}})
        .to_string()
}

#[tokio::test]
async fn standard_webhooks() {
    check_vendor(Vendor {
        preset: "standard-webhooks",
        settings: json!({}),
        sign: |secret, delivery, t| {
            sign::standard_webhooks(
                "webhook",
                secret,
                &format!("msg_{delivery}"),
                t,
                &standard_body(delivery),
            )
        },
        expect: |delivery| ("user.created".into(), format!("msg_{delivery}")),
        signature_header: "webhook-signature",
        signs_timestamp: true,
    })
    .await;
}

#[tokio::test]
async fn svix_preset_reads_svix_headers() {
    check_vendor(Vendor {
        preset: "svix",
        settings: json!({}),
        sign: |secret, delivery, t| {
            sign::standard_webhooks(
                "svix",
                secret,
                &format!("msg_{delivery}"),
                t,
                &standard_body(delivery),
            )
        },
        expect: |delivery| ("user.created".into(), format!("msg_{delivery}")),
        signature_header: "svix-signature",
        signs_timestamp: true,
    })
    .await;
}

#[tokio::test]
async fn shopify() {
    check_vendor(Vendor {
        preset: "shopify",
        settings: json!({}),
        sign: |secret, delivery, _| {
            let body =
                json!({"id": 820982911946154508_u64, "email": "jon@example.com", "d": delivery});
            sign::shopify(
                secret,
                "orders/create",
                &format!("wh-{delivery}"),
                &body.to_string(),
            )
        },
        expect: |delivery| ("orders/create".into(), format!("wh-{delivery}")),
        signature_header: "X-Shopify-Hmac-Sha256",
        signs_timestamp: false,
    })
    .await;
}

#[tokio::test]
async fn slack() {
    check_vendor(Vendor {
        preset: "slack",
        settings: json!({}),
        sign: |secret, delivery, t| {
            let body = json!({"type": "event_callback", "team_id": "T1", "event_id": format!("Ev{delivery}"),
                "event_time": t, "event": {"type": "app_mention", "user": "U1", "text": "hi"}});
            sign::slack(secret, t, &body.to_string())
        },
        expect: |delivery| ("app_mention".into(), format!("Ev{delivery}")),
        signature_header: "X-Slack-Signature",
        signs_timestamp: true,
    })
    .await;
}

#[tokio::test]
async fn generic_hmac() {
    check_vendor(Vendor {
        preset: "generic-hmac",
        settings: json!({"header": "X-Acme-Signature", "prefix": "sha256=", "event_type_pointer": "/kind",
            "dedup_id_pointer": "/uid"}),
        sign: |secret, delivery, _| {
            let body = json!({"kind": "invoice.paid", "uid": format!("u-{delivery}"), "amount": 12});
            sign::generic_hmac(secret, "X-Acme-Signature", "sha256=", &body.to_string())
        },
        expect: |delivery| ("invoice.paid".into(), format!("u-{delivery}")),
        signature_header: "X-Acme-Signature",
        signs_timestamp: false,
    })
    .await;
}

#[tokio::test]
async fn slack_url_verification_gets_its_challenge_back_and_stores_nothing() {
    let server = Server::start().await;
    let source = server
        .create_source("slack", &["8f742231b10e8888abcd99yyyzzz85a5"], json!({}))
        .await;
    let body = json!({"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"});
    let request = sign::slack("8f742231b10e8888abcd99yyyzzz85a5", now(), &body.to_string());
    let (status, answer) = server.deliver(&source.key, &request).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        Value::String("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P".into())
    );
    assert!(server.events(&source.id).await.is_empty());
    // The handshake is verified like any request.
    let (status, _) = server.deliver(&source.key, &request.tampered()).await;
    assert_eq!(status, 401);
}
