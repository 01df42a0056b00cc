//! OpenTelemetry traces: the real server exports its spans over OTLP/HTTP
//! to a local collector; a request and the later delivery of its event are
//! one trace, and the receiver gets that trace's `traceparent`.

use hookyard_e2e::otlp::{Collector, ExportedSpan};
use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{Server, Source, sign};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;

const GITHUB_SECRET: &str = "it's a secret to everybody";
const DESTINATION_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A GitHub source and an HTTP destination to `receiver`.
async fn source_and_destination(server: &Server, receiver: &Receiver) -> (Source, String) {
    let source = server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    let (status, destination) = server
        .api(
            Method::POST,
            "/api/v1/destinations",
            Some(json!({
                "name": "traced",
                "kind": "http",
                "url": format!("{}/hooks", receiver.url),
                "secret": DESTINATION_SECRET,
                "timeout_ms": 1000,
            })),
        )
        .await;
    assert_eq!(status, 201, "{destination}");
    (source, destination["id"].as_str().unwrap().to_string())
}

/// A vendor's own trace context, which the request's span links to.
const VENDOR_TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// Sends one signed push (with a vendor `traceparent`); its event id and
/// the request id.
async fn send_push(server: &Server, source: &Source) -> (String, String) {
    let body = json!({ "ref": "refs/heads/main", "after": "0".repeat(40),
                       "repository": { "full_name": "octo/app" } });
    let mut signed = sign::github(GITHUB_SECRET, "push", "d-1", &body.to_string());
    signed
        .headers
        .push(("traceparent".into(), VENDOR_TRACEPARENT.into()));
    let (status, answer) = server.deliver(&source.key, &signed).await;
    assert_eq!(status, 200, "{answer}");
    let event = answer["events"][0].as_str().unwrap().to_string();
    let request = server.requests(&source.id).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (event, request)
}

/// The one delivery the receiver got.
async fn delivered(receiver: &Receiver) -> Value {
    let log = receiver
        .wait_for(Duration::from_secs(20), "the delivery", |log| {
            !log.is_empty()
        })
        .await;
    log[0].clone()
}

fn named<'a>(spans: &'a [ExportedSpan], name: &str) -> &'a ExportedSpan {
    let found: Vec<_> = spans.iter().filter(|s| s.name == name).collect();
    assert_eq!(found.len(), 1, "one {name} span: {spans:#?}");
    found[0]
}

#[tokio::test]
async fn a_request_and_its_deliveries_are_one_trace_exported_over_otlp() {
    let collector = Collector::start().await;
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    // No periodic export within the test: what arrives was flushed at stop.
    let mut server = Server::with_settings(&[
        ("HOOKYARD_OTLP_ENDPOINT", collector.url.as_str()),
        ("HOOKYARD_OTLP_SERVICE_NAME", "hookyard-test"),
        ("OTEL_BSP_SCHEDULE_DELAY", "600000"),
    ])
    .await;
    let (source, destination) = source_and_destination(&server, &receiver).await;
    let (event, request) = send_push(&server, &source).await;
    let delivery = delivered(&receiver).await;
    let (_, took) = server.terminate(Duration::from_secs(30));
    assert!(took < Duration::from_secs(15), "stopped in {took:?}");

    let names = [
        "webhook",
        "limits",
        "adapter.verify",
        "adapter.handle",
        "commit",
        "delivery.attempt",
    ];
    let spans = collector.wait_for(&names, Duration::from_secs(10)).await;
    assert!(
        collector.paths().iter().all(|p| p == "/v1/traces"),
        "{:?}",
        collector.paths()
    );
    // The trace id is the request id's 32 hex digits.
    let trace = request.strip_prefix("req_").unwrap();
    for span in &spans {
        assert_eq!(span.trace_id, trace, "{span:#?}");
        assert_eq!(span.service, "hookyard-test");
    }

    let webhook = named(&spans, "webhook");
    assert_eq!(webhook.parent_span_id, "", "the request's span is the root");
    assert_eq!(webhook.attribute("hookyard.request_id"), request);
    assert_eq!(webhook.attribute("hookyard.source_id"), source.id);
    assert_eq!(webhook.attribute("hookyard.outcome"), "accepted");
    assert_eq!(webhook.attribute("http.response.status_code"), "200");
    assert_eq!(webhook.attribute("hookyard.event_ids"), event);
    // The vendor's trace is linked, not continued.
    assert_eq!(
        webhook.links,
        [(
            "4bf92f3577b34da6a3ce929d0e0e4736".to_string(),
            "00f067aa0ba902b7".to_string()
        )]
    );
    for child in ["limits", "adapter.verify", "adapter.handle", "commit"] {
        assert_eq!(
            named(&spans, child).parent_span_id,
            webhook.span_id,
            "{child}"
        );
    }
    assert_eq!(
        named(&spans, "limits").attribute("hookyard.source_id"),
        source.id
    );
    let verify = named(&spans, "adapter.verify");
    assert_eq!(verify.attribute("hookyard.adapter"), "github");
    assert_eq!(verify.attribute("hookyard.verified"), "true");
    let commit = named(&spans, "commit");
    assert_eq!(commit.attribute("hookyard.event_ids"), event);
    assert_eq!(commit.attribute("hookyard.stored"), "accepted");

    // The attempt, made later by the drainer, joined the request's trace.
    let attempt = named(&spans, "delivery.attempt");
    assert_eq!(attempt.parent_span_id, webhook.span_id);
    assert_eq!(attempt.attribute("hookyard.destination_id"), destination);
    assert_eq!(attempt.attribute("hookyard.event_ids"), event);
    assert_eq!(attempt.attribute("hookyard.request_id"), request);
    assert_eq!(attempt.attribute("hookyard.outcome"), "delivered");
    assert_eq!(attempt.attribute("hookyard.attempt"), "1");
    assert_eq!(attempt.attribute("http.response.status_code"), "200");

    // The receiver saw the attempt as its parent; the CloudEvent names where
    // the trace started.
    assert_eq!(
        delivery["traceparent"],
        format!("00-{trace}-{}-01", attempt.span_id),
        "{delivery:#}"
    );
    assert_eq!(
        delivery["body"]["traceparent"],
        format!("00-{trace}-{}-01", webhook.span_id)
    );
    assert!(delivery["verified"].as_bool().unwrap(), "{delivery:#}");
}

#[tokio::test]
async fn without_an_exporter_deliveries_still_carry_the_request_trace() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    let server = Server::start().await;
    let (source, _) = source_and_destination(&server, &receiver).await;
    let (_, request) = send_push(&server, &source).await;
    let delivery = delivered(&receiver).await;
    let trace = request.strip_prefix("req_").unwrap();
    // Not sampled: nothing of it was recorded. The header and the attribute
    // both name the request's (derived) span.
    let header = delivery["traceparent"].as_str().unwrap();
    assert!(
        header.starts_with(&format!("00-{trace}-")) && header.ends_with("-00"),
        "{header}"
    );
    assert_eq!(delivery["body"]["traceparent"], header);
    assert!(
        !server.log().contains("webhook{"),
        "no span in the logs: {}",
        server.log()
    );
}
