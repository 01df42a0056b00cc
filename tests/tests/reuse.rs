//! Instance reuse within a source: an adapter instance that served a request
//! well serves the next ones of the same source, and only those. The
//! `test-count` adapter keeps a global count of its calls and returns it in
//! each event, so the events tell which instance served each request.

use hookyard_e2e::{Server, Source, plugins_with};
use reqwest::Method;
use serde_json::json;

/// A server with the faults adapter (its `test-count` preset), with `flags`.
async fn server(flags: &[&str]) -> Server {
    Server::with_args(plugins_with(&["github.wasm"], &["test_faults.wasm"]), flags).await
}

/// Sends one request; returns the count the instance that served it had
/// reached, or the status when it failed.
async fn call(server: &Server, source: &Source, body: &str) -> Result<u64, u16> {
    let (status, answer) = server
        .deliver_with(&source.key, "POST", "", &[], body.as_bytes())
        .await;
    if status != 200 {
        return Err(status);
    }
    let id = answer["events"][0].as_str().expect("one event");
    let (status, event) = server
        .api(Method::GET, &format!("/api/v1/events/{id}"), None)
        .await;
    assert_eq!(status, 200, "{event}");
    Ok(event["data"]["calls"].as_u64().expect("calls"))
}

/// Counts of `n` sequential requests.
async fn counts(server: &Server, source: &Source, tag: &str, n: usize) -> Vec<u64> {
    let mut seen = Vec::new();
    for i in 0..n {
        match call(server, source, &format!("{{\"n\":\"{tag}-{i}\"}}")).await {
            Ok(count) => seen.push(count),
            Err(status) => {
                let reasons: Vec<_> = server
                    .requests(&source.id)
                    .await
                    .into_iter()
                    .map(|r| r["reason"].clone())
                    .take(3)
                    .collect();
                panic!("{tag}-{i}: {status}; newest reasons: {reasons:?}");
            }
        }
    }
    seen
}

#[tokio::test]
async fn an_instance_serves_its_source_again_and_never_another() {
    let server = server(&[]).await;
    let a = server.create_source("test-count", &[], json!({})).await;
    let b = server.create_source("test-count", &[], json!({})).await;

    // One instance serves A's sequential requests.
    assert_eq!(counts(&server, &a, "a", 3).await, [1, 2, 3]);
    // B never gets A's instance, nor A B's.
    assert_eq!(counts(&server, &b, "b", 2).await, [1, 2]);
    assert_eq!(counts(&server, &a, "a2", 1).await, [4]);

    // A trap drops the instance: the next request starts afresh.
    assert_eq!(call(&server, &a, "{\"n\":\"trap\"}").await, Err(503));
    assert_eq!(counts(&server, &a, "afresh", 2).await, [1, 2]);

    // A change to the source drops its instances.
    let path = format!("/api/v1/sources/{}", a.id);
    let (status, answer) = server
        .api(
            Method::PATCH,
            &path,
            Some(json!({"settings": {"note": "changed"}})),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(counts(&server, &a, "after-change", 2).await, [1, 2]);

    // A source may turn reuse off: a fresh instance per request.
    let (status, answer) = server
        .api(
            Method::PATCH,
            &path,
            Some(json!({"limits": {"reuse_instances": false}})),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(counts(&server, &a, "off", 3).await, [1, 1, 1]);
    // ...while B, unchanged, still has its instance.
    assert_eq!(counts(&server, &b, "b2", 1).await, [3]);
    // A new secret drops them too.
    let (status, answer) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/secrets", b.id),
            Some(json!({"secret": "a-new-secret"})),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(counts(&server, &b, "b3", 2).await, [1, 2]);
}

#[tokio::test]
async fn the_server_can_turn_reuse_off() {
    let server = server(&["--adapter-reuse", "1"]).await;
    let a = server.create_source("test-count", &[], json!({})).await;
    assert_eq!(counts(&server, &a, "a", 3).await, [1, 1, 1]);
}

#[tokio::test]
async fn an_instance_serves_at_most_its_quota() {
    let server = server(&["--adapter-reuse", "3"]).await;
    let a = server.create_source("test-count", &[], json!({})).await;
    assert_eq!(counts(&server, &a, "a", 7).await, [1, 2, 3, 1, 2, 3, 1]);
}
