//! The described management API: the OpenAPI document the server serves is
//! the committed one and lists exactly the routes it mounts; malformed calls
//! are refused with `{"error", "message", "field"}` naming the field; and
//! Schemathesis, driven by the document, finds no server error nor an answer
//! the document does not describe (on SQLite, and on PostgreSQL when the
//! suite runs there).

use hookyard_e2e::{ADMIN_TOKEN, Server, binary, repo_root};
use reqwest::Method;
use serde_json::{Value, json};
use std::process::Command;

async fn served_document(server: &Server) -> (u16, String) {
    // No token: the document is public.
    let response = server
        .http
        .get(format!("{}/api/v1/openapi.json", server.base))
        .send()
        .await
        .expect("GET openapi.json");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn the_served_document_is_openapi_3_1_and_the_committed_one() {
    let server = Server::start().await;
    let (status, served) = served_document(&server).await;
    assert_eq!(status, 200, "{served}");
    let doc: Value = serde_json::from_str(&served).expect("JSON");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{doc}");
    let committed_path = repo_root().join("docs/openapi.json");
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == served,
        "{} differs from what the server serves: run \
         `target/release/hookyard openapi > docs/openapi.json` and commit it",
        committed_path.display()
    );
    // `hookyard openapi` prints the same document.
    let printed = Command::new(binary()).arg("openapi").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&printed.stdout), served);
}

/// The document's operations, as (method, path template).
fn operations(doc: &Value) -> Vec<(Method, String)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            all.push((method, path.clone()));
        }
    }
    all
}

/// Every documented operation reaches a handler, and on every documented
/// path the methods the document does not list are not routed: the
/// router's routes and the document's paths are the same.
#[tokio::test]
async fn the_routes_are_the_documented_paths() {
    let server = Server::start().await;
    let (_, served) = served_document(&server).await;
    let doc: Value = serde_json::from_str(&served).unwrap();
    let operations = operations(&doc);
    assert!(operations.len() >= 40, "{} operations", operations.len());
    let all_methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    for (path, item) in doc["paths"].as_object().unwrap() {
        if path == "/api/v1/events/stream" {
            continue; // streams forever; routed as the document says (below)
        }
        // A placeholder for every parameter: no such resource.
        let concrete = path
            .split('/')
            .map(|part| if part.starts_with('{') { "nope" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        let any_method = path.starts_with("/webhooks/") || path == "/noop";
        for method in &all_methods {
            let documented = item.get(method.as_str().to_lowercase()).is_some();
            let response = server
                .http
                .request(method.clone(), format!("{}{concrete}", server.base))
                .bearer_auth(ADMIN_TOKEN)
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let routed = status != 405 && body["error"] != "no_route";
            assert_eq!(
                routed,
                documented || any_method,
                "{method} {path}: {status} {body}"
            );
        }
    }
    let stream = server
        .http
        .get(format!("{}/api/v1/events/stream", server.base))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(
        stream.headers()["content-type"],
        "text/event-stream",
        "the stream route is the documented one"
    );
}

/// Sends `body` (raw) as JSON to `path`; returns status and the JSON answer.
async fn send_raw(server: &Server, method: Method, path: &str, body: &str) -> (u16, Value) {
    let response = server
        .http
        .request(method, format!("{}{path}", server.base))
        .bearer_auth(ADMIN_TOKEN)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A refusal: 4xx, the error format, and the field named.
fn assert_refused(call: &str, (status, body): (u16, Value), field: &str) {
    assert!((400..500).contains(&status), "{call}: {status} {body}");
    assert!(body["error"].is_string(), "{call}: {body}");
    assert!(body["message"].is_string(), "{call}: {body}");
    assert_eq!(body["field"], field, "{call}: {body}");
}

#[tokio::test]
async fn malformed_calls_are_refused_naming_the_field() {
    let server = Server::start().await;
    let long_name = "x".repeat(100_000);
    assert_refused(
        "a source name of 100,000 characters",
        server
            .api(
                Method::POST,
                "/api/v1/sources",
                Some(json!({"name": long_name, "preset": "github", "secrets": ["s"]})),
            )
            .await,
        "name",
    );
    let (status, sources) = server.api(Method::GET, "/api/v1/sources", None).await;
    assert_eq!((status, sources), (200, json!([])), "nothing was stored");
    for list in [
        "/api/v1/events",
        "/api/v1/requests",
        "/api/v1/deliveries",
        "/api/v1/audit",
        "/api/v1/plugins/github/shadow",
    ] {
        for limit in ["-1", "0", "1001"] {
            let call = format!("{list}?limit={limit}");
            assert_refused(&call, server.api(Method::GET, &call, None).await, "limit");
        }
        let call = format!("{list}?limit=ten");
        let answer = server.api(Method::GET, &call, None).await;
        assert_eq!(answer.0, 400, "{call}: {answer:?}");
        assert_refused(&call, answer, "limit");
        let call = format!("{list}?limti=10");
        assert_refused(&call, server.api(Method::GET, &call, None).await, "limti");
        let (status, _) = server
            .api(Method::GET, &format!("{list}?limit=1000"), None)
            .await;
        assert_eq!(status, 200, "{list}?limit=1000 is in range");
    }
    assert_refused(
        "wait over a minute",
        server
            .api(Method::GET, "/api/v1/events?wait=61", None)
            .await,
        "wait",
    );
    assert_refused(
        "an unknown body field",
        server
            .api(
                Method::POST,
                "/api/v1/sources",
                Some(json!({"name": "a", "preset": "github", "colour": "red"})),
            )
            .await,
        "colour",
    );
    assert_refused(
        "an unknown destination field",
        server
            .api(
                Method::POST,
                "/api/v1/destinations",
                Some(
                    json!({"name": "d", "kind": "http", "url": "https://example.com", "colour": 1}),
                ),
            )
            .await,
        "colour",
    );
    assert_refused(
        "a nested unknown field",
        server
            .api(
                Method::POST,
                "/api/v1/sources",
                Some(json!({"name": "a", "preset": "github", "limits": {"burts": 1}})),
            )
            .await,
        "limits.burts",
    );
    assert_refused(
        "a wrong type",
        server
            .api(
                Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": 7, "scope": "read"})),
            )
            .await,
        "name",
    );
    assert_refused(
        "a token name over 200 characters",
        server
            .api(
                Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": "t".repeat(201), "scope": "read"})),
            )
            .await,
        "name",
    );
    assert_refused(
        "a destination URL over 2048 characters",
        server
            .api(
                Method::POST,
                "/api/v1/destinations",
                Some(json!({"name": "d", "kind": "http",
                    "url": format!("https://example.com/{}", "p".repeat(2048))})),
            )
            .await,
        "url",
    );
    assert_refused(
        "a header value over 4096 characters",
        server
            .api(
                Method::POST,
                "/api/v1/destinations",
                Some(
                    json!({"name": "d", "kind": "http", "url": "https://example.com",
                    "headers": {"x-a": "v".repeat(4097)}}),
                ),
            )
            .await,
        "headers.x-a",
    );
    assert_refused(
        "a filter over 4096 characters",
        server
            .api(
                Method::POST,
                "/api/v1/destinations",
                Some(
                    json!({"name": "d", "kind": "http", "url": "https://example.com",
                    "filter": format!("$.{}", "a".repeat(4096))}),
                ),
            )
            .await,
        "filter",
    );
    assert_refused(
        "not JSON",
        send_raw(&server, Method::POST, "/api/v1/tokens", "{\"name\":").await,
        "body",
    );
    assert_refused(
        "a NUL in a string",
        send_raw(
            &server,
            Method::POST,
            "/api/v1/tokens",
            r#"{"name": "a\u0000b", "scope": "read"}"#,
        )
        .await,
        "name",
    );
    let response = server
        .http
        .post(format!("{}/api/v1/tokens", server.base))
        .bearer_auth(ADMIN_TOKEN)
        .header("content-type", "text/plain")
        .body(r#"{"name": "a", "scope": "read"}"#)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 415);
    assert_refused("a body that is not JSON", (status, body), "content-type");
    let long_id = "i".repeat(201);
    assert_refused(
        "a path parameter over 200 characters",
        server
            .api(Method::GET, &format!("/api/v1/sources/{long_id}"), None)
            .await,
        "id",
    );
    assert_refused(
        "a NUL in a path parameter",
        server.api(Method::GET, "/api/v1/events/ev%00t", None).await,
        "id",
    );
    assert_refused(
        "a NUL in a query parameter",
        server
            .api(Method::GET, "/api/v1/events?source_id=a%00b", None)
            .await,
        "source_id",
    );
}

/// Schemathesis (pinned in tests/api/requirements.txt, installed by
/// `./dev setup` in target/venv-test) generates calls of every operation
/// from the served document, authenticated with the admin token. Any 5xx,
/// undocumented status, content type or body fails the test. Left out: the
/// webhook ingest (its answers are the adapters', see docs/operating.md) and
/// the event stream (it never ends); generated calls of the event list send
/// `wait=0` (tests/api/schemathesis.toml: a long poll would only slow the run).
#[tokio::test]
async fn schemathesis_finds_no_server_error_nor_undocumented_answer() {
    let server = Server::start().await;
    let python = repo_root().join("target/venv-test/bin/python");
    let output = Command::new(&python)
        .args(["-m", "schemathesis.cli", "--no-color"])
        .args(["--config-file", "schemathesis.toml", "run"])
        .arg(format!("{}/api/v1/openapi.json", server.base))
        .args(["--url", &server.base])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--header",
            &format!("Authorization: Bearer {ADMIN_TOKEN}"),
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "25",
            "--seed",
            "1",
            "--request-timeout",
            "10",
            "--exclude-path-regex",
            "^/webhooks/|^/api/v1/events/stream$",
            "--continue-on-failure",
        ])
        .current_dir(repo_root().join("tests/api"))
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}: run `./dev setup` first", python.display()));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{report}");
    assert!(output.status.success(), "Schemathesis failed:\n{report}");
    assert!(
        !server.log().contains("API error"),
        "the server logged an internal error:\n{}",
        server.log()
    );
}
