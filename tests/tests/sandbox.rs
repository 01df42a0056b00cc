//! A misbehaving adapter costs only its own requests: an endless loop and a
//! memory hog get 503 (raw request kept), while other sources keep working
//! and the server stays up.

use hookyard_e2e::{Server, bundled_plugins, sign, test_plugin};
use serde_json::json;

const SECRET: &str = "sandbox-secret";

#[tokio::test]
async fn looping_and_memory_hungry_adapters_are_contained() {
    let plugins = tempfile::tempdir().unwrap();
    std::fs::copy(
        bundled_plugins().join("github.wasm"),
        plugins.path().join("github.wasm"),
    )
    .unwrap();
    std::fs::copy(
        test_plugin("test_spin.wasm"),
        plugins.path().join("test_spin.wasm"),
    )
    .unwrap();
    std::fs::copy(
        test_plugin("test_hog.wasm"),
        plugins.path().join("test_hog.wasm"),
    )
    .unwrap();
    let mut server = Server::with_plugins(plugins.path().to_path_buf()).await;

    let github = server.create_source("github", &[SECRET], json!({})).await;
    let spin = server.create_source("test-spin", &[], json!({})).await;
    let hog = server.create_source("test-hog", &[], json!({})).await;

    let bad = |key: String, n: usize| {
        let (http, base) = (server.http.clone(), server.base.clone());
        tokio::spawn(async move {
            let response = http
                .post(format!("{base}/webhooks/{key}"))
                .body(format!("{{\"n\":{n}}}"))
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        })
    };
    // Misbehaving requests in flight while good ones arrive.
    let mut misbehaving = Vec::new();
    for n in 0..4 {
        misbehaving.push(bad(spin.key.clone(), n));
        misbehaving.push(bad(hog.key.clone(), n));
    }
    for i in 0..20 {
        let body = json!({"action": "opened", "n": i}).to_string();
        let (status, answer) = server
            .deliver(
                &github.key,
                &sign::github(SECRET, "issues", &format!("g{i}"), &body),
            )
            .await;
        assert_eq!(status, 200, "good request {i} failed: {answer}");
    }
    for task in misbehaving {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, 503, "{body}");
        assert_eq!(body, r#"{"error":"adapter_failed"}"#);
    }

    assert!(server.is_running(), "the server survived");
    assert_eq!(server.events(&github.id).await.len(), 20);
    for (source, kind) in [(&spin, "timeout"), (&hog, "trap")] {
        let log = server.requests(&source.id).await;
        assert_eq!(log.len(), 4, "{log:?}");
        for row in &log {
            assert_eq!(row["outcome"], "adapter_failed");
            assert_eq!(
                row["raw_kept"], true,
                "the raw request is kept for reprocessing"
            );
            assert!(row["reason"].as_str().unwrap().starts_with(kind), "{row}");
        }
        assert!(server.events(&source.id).await.is_empty());
    }
    let metrics = server
        .http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics
            .contains("hookyard_adapter_failures_total{adapter=\"test-spin\",kind=\"timeout\"} 4"),
        "{metrics}"
    );
    assert!(
        metrics.contains("hookyard_adapter_failures_total{adapter=\"test-hog\",kind=\"trap\"} 4"),
        "{metrics}"
    );
}
