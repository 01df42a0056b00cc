//! Token-authenticated sources through the real server: AppsFlyer (GET with
//! query parameters and POST JSON), S3-compatible bucket notifications
//! (several records, subject from a key pattern) and Aruna hooks (secret in
//! the body, never stored).

use hookyard_e2e::Server;
use serde_json::{Value, json};

const TOKEN: &str = "af-push-token";

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn appsflyer_get_and_post_messages_become_events_routable_by_name() {
    let server = Server::start().await;
    let source = server.create_source("appsflyer", &[TOKEN], json!({})).await;

    let purchase = json!({"appsflyer_id": "1578441154698-3287917", "event_name": "af_purchase",
        "event_time": "2020-01-15 14:57:24.898", "event_revenue": "2.99"});
    let post = |token: &'static str| {
        let body = purchase.to_string();
        let server = &server;
        let key = source.key.clone();
        async move {
            server
                .deliver_with(
                    &key,
                    "POST",
                    "",
                    &headers(&[
                        ("Content-Type", "application/json"),
                        ("Authorization", token),
                    ]),
                    body.as_bytes(),
                )
                .await
        }
    };
    let (status, answer) = post(TOKEN).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "accepted");
    let (status, answer) = post("not-the-token").await;
    assert_eq!((status, answer), (401, json!({"error": "unauthorized"})));

    let query = "appsflyer_id=1578441154698-3287917&event_name=install&event_time=2020-01-08+00%3A12%3A39.022&conversion_type=install";
    let auth = headers(&[("Authorization", TOKEN)]);
    let get = || server.deliver_with(&source.key, "GET", query, &auth, b"");
    let (status, answer) = get().await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "accepted");
    let (status, answer) = get().await;
    assert_eq!(
        (status, answer),
        (200, json!({"status": "duplicate"})),
        "the same GET message again is a redelivery"
    );

    let events = server.events(&source.id).await;
    assert_eq!(types(&events), ["af_purchase", "install"]);
    assert_eq!(events[1]["data"]["conversion_type"], "install");
    assert_eq!(events[0]["subject"], "1578441154698-3287917");

    // Each event name can be routed on its own.
    let (status, page) = server
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/events?source_id={}&type=install", source.id),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(types(page["data"].as_array().unwrap()), ["install"]);
}

fn record(key: &str, sequencer: &str) -> Value {
    json!({
        "eventVersion": "2.0", "eventSource": "minio:s3", "eventTime": "2025-11-22T08:26:30.127Z",
        "eventName": "s3:ObjectCreated:Put",
        "s3": {"bucket": {"name": "lab-data"},
               "object": {"key": key, "size": 48213, "eTag": "9b2cf535", "sequencer": sequencer}}
    })
}

#[tokio::test]
async fn s3_notifications_store_one_event_per_record_with_the_subject_from_the_key() {
    let server = Server::start().await;
    let source = server
        .create_source(
            "minio",
            &["bucket-token"],
            json!({"subject_pattern": "pipelines/(?P<slug>[^/]+)/raw/"}),
        )
        .await;
    let body = json!({
        "EventName": "s3:ObjectCreated:Put",
        "Key": "lab-data/pipelines/genome-x/raw/a.fastq",
        "Records": [
            record("pipelines%2Fgenome-x%2Fraw%2Fa.fastq", "187A1B2C3D4E5F60"),
            record("pipelines%2Frna-seq%2Fraw%2Fb+1.fastq", "187A1B2C3D4E5F61"),
            record("other%2Fc.txt", "187A1B2C3D4E5F62"),
        ]
    })
    .to_string();
    let json_type = ("Content-Type", "application/json");

    let (status, answer) = server
        .deliver_with(
            &source.key,
            "POST",
            "",
            &headers(&[json_type, ("Authorization", "Bearer bucket-token")]),
            body.as_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["events"].as_array().unwrap().len(), 3);

    let events = server.events(&source.id).await;
    assert_eq!(types(&events), ["s3:ObjectCreated:Put"; 3]);
    let subjects: Vec<&Value> = events.iter().map(|e| &e["subject"]).collect();
    assert_eq!(
        subjects,
        [&json!("genome-x"), &json!("rna-seq"), &Value::Null]
    );

    // The same notification again, this time with the secret in the URL
    // (RustFS style): a redelivery of all three records.
    let (status, answer) = server
        .deliver_with(
            &source.key,
            "POST",
            "secret=bucket-token",
            &headers(&[json_type]),
            body.as_bytes(),
        )
        .await;
    assert_eq!((status, answer), (200, json!({"status": "duplicate"})));

    for (query, auth) in [
        ("secret=wrong", None),
        ("", Some("Bearer wrong")),
        ("", None),
    ] {
        let mut sent = headers(&[json_type]);
        if let Some(auth) = auth {
            sent.push(("Authorization".into(), auth.into()));
        }
        let (status, answer) = server
            .deliver_with(&source.key, "POST", query, &sent, body.as_bytes())
            .await;
        assert_eq!(status, 401, "{query} {auth:?}: {answer}");
    }
    assert_eq!(server.events(&source.id).await.len(), 3);
}

#[tokio::test]
async fn aruna_hooks_check_the_secret_in_the_body_and_never_store_it() {
    let server = Server::start().await;
    let source = server
        .create_source("aruna", &["aruna-hook-secret"], json!({}))
        .await;
    let hook = |secret: &str| {
        json!({
            "hook_id": "01HKQ3Z7WJ8N4V2B6C9D0E1F2G",
            "trigger_type": "TRIGGER_TYPE_OBJECT_FINISHED",
            "object": {"id": "01HKQ40M5Y3X7T8R9S0P1Q2W3E"},
            "secret": secret,
            "access_key": "AKIAEXAMPLE",
            "secret_key": "s3-secret-key",
            "token": "a-proxy-token",
            "pubkey_serial": 1
        })
        .to_string()
    };
    let send = |body: String| {
        let server = &server;
        let key = source.key.clone();
        async move {
            server
                .deliver_with(
                    &key,
                    "POST",
                    "",
                    &headers(&[("Content-Type", "application/json")]),
                    body.as_bytes(),
                )
                .await
        }
    };

    let (status, answer) = send(hook("wrong-secret")).await;
    assert_eq!(status, 401, "{answer}");
    let (status, answer) = send(hook("aruna-hook-secret")).await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = send(hook("aruna-hook-secret")).await;
    assert_eq!((status, answer), (200, json!({"status": "duplicate"})));

    let events = server.events(&source.id).await;
    assert_eq!(types(&events), ["TRIGGER_TYPE_OBJECT_FINISHED"]);
    let event = &events[0];
    assert_eq!(
        event["dedup_id"],
        "01HKQ3Z7WJ8N4V2B6C9D0E1F2G:01HKQ40M5Y3X7T8R9S0P1Q2W3E"
    );
    let data = event["data"].to_string();
    for secret in [
        "aruna-hook-secret",
        "s3-secret-key",
        "a-proxy-token",
        "AKIAEXAMPLE",
    ] {
        assert!(!data.contains(secret), "{secret} stored in {data}");
    }
}
