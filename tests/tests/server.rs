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

/// A source that would answer 401 to everything is refused at creation (a
/// preset that needs a secret, none given) unless created disabled; one whose
/// secrets have all expired fails closed.
#[tokio::test]
async fn a_source_without_its_required_secret_is_refused_and_fails_closed() {
    let server = Server::start().await;
    let create = |body: serde_json::Value| server.api(Method::POST, "/api/v1/sources", Some(body));
    let (status, answer) = create(json!({"name": "gh", "preset": "github"})).await;
    assert_eq!(status, 422, "{answer}");
    let message = answer["message"].as_str().unwrap();
    assert!(
        message.contains("preset github needs a secret (Webhook secret:")
            && message.contains("enabled: false"),
        "{message}"
    );
    assert_eq!(
        server.api(Method::GET, "/api/v1/sources", None).await.1,
        json!([]),
        "nothing stored"
    );

    // Created disabled, it cannot be enabled until it has a secret.
    let (status, source) =
        create(json!({"name": "gh", "preset": "github", "enabled": false})).await;
    assert_eq!(
        (status, &source["enabled"]),
        (201, &json!(false)),
        "{source}"
    );
    let path = format!("/api/v1/sources/{}", source["id"].as_str().unwrap());
    let (status, answer) = server
        .api(Method::PATCH, &path, Some(json!({"enabled": true})))
        .await;
    assert_eq!(status, 422, "{answer}");
    let (status, added) = server
        .api(
            Method::POST,
            &format!("{path}/secrets"),
            Some(json!({"secret": SECRET})),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    let (status, answer) = server
        .api(Method::PATCH, &path, Some(json!({"enabled": true})))
        .await;
    assert_eq!(status, 200, "{answer}");
    let secret_path = format!("{path}/secrets/{}", added["id"].as_str().unwrap());
    // Once its only secret expires (or is removed), every request is
    // refused (fail closed) and the log says why.
    let (status, _) = server
        .api(
            Method::PATCH,
            &secret_path,
            Some(json!({"expires_in_seconds": 0})),
        )
        .await;
    assert_eq!(status, 200);
    let key = source["key"].as_str().unwrap();
    for request in [push("a"), push("b").without("X-Hub-Signature-256")] {
        let (status, answer) = server.deliver(key, &request).await;
        assert_eq!((status, answer), (401, json!({"error": "unauthorized"})));
    }
    let id = source["id"].as_str().unwrap();
    assert!(server.events(id).await.is_empty());
    let log = server.requests(id).await;
    assert!(
        log.iter().all(|r| r["reason"] == "no active secret"),
        "{log:#?}"
    );
}

/// Settings are checked against the adapter's JSON Schema: a misspelt key or
/// a wrong type is refused with where it is, and nothing is stored.
#[tokio::test]
async fn settings_must_fit_the_adapters_schema() {
    let server = Server::start().await;
    let (status, answer) = server
        .api(
            Method::POST,
            "/api/v1/sources",
            Some(
                json!({"name": "s", "preset": "stripe", "secrets": ["whsec_x"],
                        "settings": {"tolerance": 5}}),
            ),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    let message = answer["message"].as_str().unwrap();
    assert!(
        message.starts_with("settings: ") && message.contains("tolerance"),
        "{message}"
    );
    let source = server
        .create_source("stripe", &["whsec_x"], json!({"tolerance_seconds": 60}))
        .await;
    let (status, answer) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}", source.id),
            Some(json!({"settings": {"tolerance_seconds": "5"}})),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .starts_with("settings/tolerance_seconds: "),
        "{answer}"
    );
    let (_, shown) = server
        .api(Method::GET, &format!("/api/v1/sources/{}", source.id), None)
        .await;
    assert_eq!(
        shown["settings"],
        json!({"tolerance_seconds": 60}),
        "unchanged"
    );
    let (_, all) = server.api(Method::GET, "/api/v1/sources", None).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
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
    let response = server
        .http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap();
    // OpenMetrics text, labelled as such, and parsed by the official parser.
    assert_eq!(
        response.headers()["content-type"],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let metrics = response.text().await.unwrap();
    let families =
        hookyard_e2e::parse_openmetrics(&metrics).unwrap_or_else(|e| panic!("{e}\n{metrics}"));
    assert!(families >= 10, "{families} families in\n{metrics}");
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

/// The request log says in words why a request was refused, and a verified
/// body the adapter cannot read is a 422, kept for reprocessing, not a 503.
#[tokio::test]
async fn refusals_are_explained_and_unreadable_bodies_are_not_adapter_failures() {
    let server = Server::start().await;
    let source = server.create_source("github", &[SECRET], json!({})).await;
    let wrong = |delivery: &str| {
        let body = json!({"ref": "refs/heads/main", "d": delivery}).to_string();
        sign::github("not the secret", "push", delivery, &body)
    };
    assert_eq!(server.deliver(&source.key, &wrong("w1")).await.0, 401);
    let (status, _) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/secrets", source.id),
            Some(json!({"secret": "a second secret"})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(server.deliver(&source.key, &wrong("w2")).await.0, 401);
    let missing = push("m").without("X-Hub-Signature-256");
    assert_eq!(server.deliver(&source.key, &missing).await.0, 401);

    // GitHub's published example body is signed but is not JSON.
    let unreadable = sign::github(SECRET, "ping", "u1", "Hello, World!");
    let (status, answer) = server.deliver(&source.key, &unreadable).await;
    assert_eq!(
        (status, answer),
        (422, json!({"error": "unreadable_payload"}))
    );
    // The webhook's default content type is a form: it is read.
    let payload = json!({"zen": "Design for failure.", "hook_id": 1});
    let form = format!(
        "payload={}",
        form_urlencoded::byte_serialize(payload.to_string().as_bytes()).collect::<String>()
    );
    let mut signed = sign::github(SECRET, "ping", "f1", &form);
    signed
        .headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
    signed.headers.push((
        "Content-Type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    let (status, answer) = server.deliver(&source.key, &signed).await;
    assert_eq!(status, 200, "{answer}");
    let events = server.events(&source.id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["data"], payload);

    let log = server.requests(&source.id).await;
    let row = |i: usize| {
        (
            log[i]["outcome"].as_str().unwrap(),
            log[i]["reason"].as_str().unwrap_or(""),
        )
    };
    assert_eq!(row(0).0, "accepted");
    assert_eq!(row(1).0, "unreadable");
    assert!(
        row(1)
            .1
            .starts_with("verified, but the github adapter could not read the payload: "),
        "{:?}",
        row(1)
    );
    assert_eq!(log[1]["raw_kept"], true, "kept for reprocessing");
    assert_eq!(
        row(2),
        (
            "rejected",
            "missing_signature: no X-Hub-Signature-256 in the request"
        )
    );
    assert_eq!(
        row(3),
        (
            "rejected",
            "bad_signature: the signature does not match any of the source's 2 active secrets"
        )
    );
    assert_eq!(
        row(4),
        (
            "rejected",
            "bad_signature: the signature does not match the source's active secret"
        )
    );
}

/// Without HOOKYARD_ADMIN_TOKEN the server keeps a token in an owner-only
/// file, prints it prominently once, and uses the same one after a restart;
/// its start-up output is a few lines, not one per adapter.
#[tokio::test]
async fn the_generated_admin_token_is_kept_across_restarts_and_printed_once() {
    use std::os::unix::fs::PermissionsExt as _;
    let mut server = Server::with_settings(&[("HOOKYARD_ADMIN_TOKEN", "")]).await;
    // The default file sits next to a SQLite database; PostgreSQL needs the
    // flag (there is no file next to it).
    let file = server.dir.path().join("hookyard.db.admin-token");
    if server.on_postgres() {
        server.args = vec!["--admin-token-file".into(), file.display().to_string()];
        server.restart().await;
    }
    let token = std::fs::read_to_string(&file).unwrap().trim().to_string();
    assert!(token.starts_with("hya_") && token.len() > 40, "{token}");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let log = server.log();
    assert!(
        log.contains(&format!("export HOOKYARD_ADMIN_TOKEN={token}")),
        "{log}"
    );
    assert!(
        !log.contains("INFO hookyard::registry: adapter loaded"),
        "one line for all adapters: {log}"
    );
    assert!(log.contains("adapters loaded from"), "{log}");
    let (status, _) = server
        .api_as(&token, Method::GET, "/api/v1/sources", None)
        .await;
    assert_eq!(status, 200);

    server.restart().await;
    let (status, _) = server
        .api_as(&token, Method::GET, "/api/v1/sources", None)
        .await;
    assert_eq!(status, 200, "the same token after a restart");
    let log = server.log();
    assert_eq!(
        log.matches(&token).count(),
        1,
        "printed only when made: {log}"
    );
    assert!(log.contains("admin token: in "), "{log}");
}
