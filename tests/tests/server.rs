//! The server's own rules around the adapters: unknown and disabled sources,
//! fail closed without a secret, body limit, key rotation, API auth, metrics.

use hookyard_e2e::Server;
use hookyard_e2e::sign;
use reqwest::Method;
use serde_json::json;

const SECRET: &str = "It's a Secret to Everybody";

fn push(delivery: &str) -> sign::Signed {
    let body =
        json!({"ref": "refs/heads/main", "repository": {"full_name": "octo/hello"}, "d": delivery});
    sign::github(SECRET, "push", delivery, &body.to_string())
}

#[tokio::test]
async fn unknown_disabled_and_oversized_requests_are_refused_and_logged() {
    let server = Server::start().await;
    let source = server.create_source("github", &[SECRET], json!({})).await;
    assert!(
        source.key.starts_with("wh_") && source.key.len() == 35,
        "{}",
        source.key
    );
    assert!(source.key[3..].chars().all(|c| c.is_ascii_alphanumeric()));
    assert!(source.url.ends_with(&format!("/webhooks/{}", source.key)));

    let (status, answer) = server.deliver("wh_doesnotexist", &push("a")).await;
    assert_eq!((status, answer), (404, json!({"error": "unknown_source"})));

    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(1 << 20));
    let (status, answer) = server
        .deliver(&source.key, &sign::github(SECRET, "push", "big", &big))
        .await;
    assert_eq!(
        (status, answer),
        (413, json!({"error": "payload_too_large"}))
    );

    let (status, _) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}", source.id),
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, answer) = server.deliver(&source.key, &push("b")).await;
    assert_eq!((status, answer), (403, json!({"error": "source_disabled"})));

    let (status, _) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}", source.id),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = server.deliver(&source.key, &push("c")).await;
    assert_eq!(status, 200);

    assert_eq!(server.events(&source.id).await.len(), 1);
    let outcomes: Vec<String> = server
        .requests(&source.id)
        .await
        .iter()
        .map(|r| r["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        outcomes,
        ["accepted", "source_disabled", "payload_too_large"]
    );
}

#[tokio::test]
async fn a_source_without_its_required_secret_rejects_everything() {
    let server = Server::start().await;
    let source = server.create_source("github", &[], json!({})).await;
    for request in [push("a"), push("b").without("X-Hub-Signature-256")] {
        let (status, answer) = server.deliver(&source.key, &request).await;
        assert_eq!((status, answer), (401, json!({"error": "unauthorized"})));
    }
    assert!(server.events(&source.id).await.is_empty());
}

#[tokio::test]
async fn rotating_the_key_retires_the_old_url() {
    let server = Server::start().await;
    let source = server.create_source("github", &[SECRET], json!({})).await;
    let (status, rotated) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/rotate-key", source.id),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let new_key = rotated["key"].as_str().unwrap();
    assert_ne!(new_key, source.key);
    assert_eq!(server.deliver(&source.key, &push("a")).await.0, 404);
    assert_eq!(server.deliver(new_key, &push("a")).await.0, 200);
}

#[tokio::test]
async fn the_api_needs_the_admin_token_and_validates_input() {
    let server = Server::start().await;
    let response = server
        .http
        .get(format!("{}/api/v1/sources", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let response = server
        .http
        .get(format!("{}/api/v1/sources", server.base))
        .bearer_auth("wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    let (status, answer) = server
        .api(
            Method::POST,
            "/api/v1/sources",
            Some(json!({"name": "x", "preset": "nope"})),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("unknown preset"),
        "{answer}"
    );

    let (status, presets) = server.api(Method::GET, "/api/v1/presets", None).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = presets
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for preset in [
        "github",
        "stripe",
        "standard-webhooks",
        "svix",
        "resend",
        "clerk",
        "shopify",
        "slack",
        "generic-hmac",
    ] {
        assert!(names.contains(&preset), "{preset} missing from {names:?}");
    }
    let github = presets
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "github")
        .unwrap();
    assert_eq!(github["plugin"], "github");
    assert!(
        github["event_types"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "pull_request")
    );
    assert_eq!(github["settings_schema"]["type"], "object");
}

#[tokio::test]
async fn metrics_count_requests_by_outcome() {
    let server = Server::start().await;
    let source = server.create_source("github", &[SECRET], json!({})).await;
    server.deliver(&source.key, &push("a")).await;
    server.deliver(&source.key, &push("a")).await;
    server.deliver(&source.key, &push("b").tampered()).await;
    let metrics = server
        .http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for outcome in ["accepted", "duplicate", "rejected"] {
        let line = format!(
            "hookyard_requests_total{{source=\"{}\",outcome=\"{outcome}\"}} 1",
            source.id
        );
        assert!(metrics.contains(&line), "missing {line} in\n{metrics}");
    }
    assert!(
        metrics.contains("hookyard_adapter_call_seconds_count{adapter=\"github\"} 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains(&format!(
            "hookyard_events_stored_total{{source=\"{}\"}} 1",
            source.id
        )),
        "{metrics}"
    );
    assert!(
        metrics.contains("hookyard_commit_batch_size_count"),
        "{metrics}"
    );
}
