//! Admin access: named API tokens with scopes, stored hashed, created and
//! revoked from the command line, and the audit log of management changes.

use hookyard_e2e::{ADMIN_TOKEN, Server, assert_absent, binary, repo_root};
use reqwest::Method;
use serde_json::{Value, json};
use std::process::Command;

/// Runs the CLI against `server` with `token`; returns success and stdout
/// (the API's JSON: `--json`).
fn hookyard(server: &Server, token: &str, args: &[&str]) -> (bool, String) {
    let output = Command::new(binary())
        .args(args)
        .args(["--server", &server.base, "--json"])
        .current_dir(repo_root())
        .env("HOOKYARD_ADMIN_TOKEN", token)
        .env("HOOKYARD_LOG", "warn")
        .output()
        .expect("running hookyard");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        text += &String::from_utf8_lossy(&output.stderr);
    }
    (output.status.success(), text)
}

fn create_token(server: &Server, name: &str, scope: &str) -> String {
    let (ok, out) = hookyard(
        server,
        ADMIN_TOKEN,
        &["token", "create", name, "--scope", scope],
    );
    assert!(ok, "{out}");
    let created: Value = serde_json::from_str(&out).expect(&out);
    assert_eq!(created["scope"], scope);
    created["token"].as_str().unwrap().to_string()
}

fn new_source(name: &str) -> Option<Value> {
    Some(json!({ "name": name, "preset": "github", "secrets": ["s3cret-value-for-tests"] }))
}

#[tokio::test]
async fn each_scope_allows_what_it_names_and_revoked_tokens_stop_working() {
    let server = Server::start().await;
    let reader = create_token(&server, "dashboard", "read");
    let writer = create_token(&server, "deploy-bot", "write");
    let admin = create_token(&server, "oncall", "admin");

    // read: reading only.
    assert_eq!(
        server
            .api_as(&reader, Method::GET, "/api/v1/sources", None)
            .await
            .0,
        200
    );
    assert_eq!(
        server
            .api_as(&reader, Method::GET, "/api/v1/plugins", None)
            .await
            .0,
        200
    );
    let (status, refused) = server
        .api_as(
            &reader,
            Method::POST,
            "/api/v1/sources",
            new_source("by-reader"),
        )
        .await;
    assert_eq!(status, 403, "{refused}");
    assert_eq!(refused["error"], "forbidden");
    assert!(
        refused["message"].as_str().unwrap().contains("needs write"),
        "{refused}"
    );

    // write: changes, but no adapter code, tokens or audit log.
    let (status, source) = server
        .api_as(
            &writer,
            Method::POST,
            "/api/v1/sources",
            new_source("by-writer"),
        )
        .await;
    assert_eq!(status, 201, "{source}");
    let body = Some(json!({ "name": "escalate", "scope": "admin" }));
    assert_eq!(
        server
            .api_as(&writer, Method::POST, "/api/v1/tokens", body.clone())
            .await
            .0,
        403
    );
    assert_eq!(
        server
            .api_as(&writer, Method::GET, "/api/v1/audit", None)
            .await
            .0,
        403
    );
    let rollback = "/api/v1/plugins/github/rollback";
    assert_eq!(
        server.api_as(&writer, Method::POST, rollback, None).await.0,
        403
    );

    // admin: all of it.
    let (status, created) = server
        .api_as(&admin, Method::POST, "/api/v1/tokens", body)
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["created_by"], "oncall");
    assert_eq!(
        server
            .api_as(&admin, Method::GET, "/api/v1/audit", None)
            .await
            .0,
        200
    );

    // Unknown and missing tokens.
    assert_eq!(
        server
            .api_as("hyk_guessed", Method::GET, "/api/v1/sources", None)
            .await
            .0,
        401
    );

    // Revoking one token leaves the others working.
    let (ok, out) = hookyard(&server, ADMIN_TOKEN, &["token", "revoke", "dashboard"]);
    assert!(ok, "{out}");
    assert_eq!(
        server
            .api_as(&reader, Method::GET, "/api/v1/sources", None)
            .await
            .0,
        401
    );
    assert_eq!(
        server
            .api_as(&writer, Method::GET, "/api/v1/sources", None)
            .await
            .0,
        200
    );
    let (ok, out) = hookyard(&server, ADMIN_TOKEN, &["token", "revoke", "dashboard"]);
    assert!(!ok && out.contains("not_found"), "revoking twice: {out}");

    // A revoked name can be given to a new token; a live one cannot.
    let again = create_token(&server, "dashboard", "read");
    assert_eq!(
        server
            .api_as(&again, Method::GET, "/api/v1/sources", None)
            .await
            .0,
        200
    );
    let (ok, out) = hookyard(
        &server,
        ADMIN_TOKEN,
        &["token", "create", "dashboard", "--scope", "read"],
    );
    assert!(!ok && out.contains("conflict"), "{out}");

    // The list shows names, scopes, prefixes and revocations; never a token.
    let (ok, out) = hookyard(&server, ADMIN_TOKEN, &["token", "list"]);
    assert!(ok, "{out}");
    let listed: Value = serde_json::from_str(&out).expect(&out);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 5);
    let revoked: Vec<&Value> = listed
        .iter()
        .filter(|t| !t["revoked_at"].is_null())
        .collect();
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0]["name"], "dashboard");
    assert_eq!(revoked[0]["prefix"], &reader[..8]);
    for token in [&reader, &writer, &admin, &again] {
        assert!(
            !out.contains(token.as_str()),
            "token list shows a token: {out}"
        );
    }

    // Stored hashed: no token in clear in the database files.
    assert_absent(
        &server.database_files(),
        &[&reader, &writer, &admin, &again],
    );
}

#[tokio::test]
async fn every_management_change_is_in_the_audit_log_refused_ones_too() {
    let server = Server::start().await;
    let reader = create_token(&server, "viewer", "read");
    let writer = create_token(&server, "ci", "write");

    let (status, source) = server
        .api_as(
            &writer,
            Method::POST,
            "/api/v1/sources",
            new_source("audited"),
        )
        .await;
    assert_eq!(status, 201);
    let id = source["id"].as_str().unwrap();
    server
        .api_as(
            &writer,
            Method::PATCH,
            &format!("/api/v1/sources/{id}"),
            Some(json!({"enabled": false})),
        )
        .await;
    server
        .api_as(
            &reader,
            Method::DELETE,
            &format!("/api/v1/sources/{id}"),
            None,
        )
        .await;
    server
        .api_as(
            "nobody",
            Method::DELETE,
            &format!("/api/v1/sources/{id}"),
            None,
        )
        .await;
    // Reads are not changes: not logged.
    server
        .api_as(&reader, Method::GET, "/api/v1/sources", None)
        .await;

    let (ok, out) = hookyard(&server, ADMIN_TOKEN, &["audit", "--limit", "10"]);
    assert!(ok, "{out}");
    let log: Value = serde_json::from_str(&out).expect(&out);
    let rows: Vec<(String, String, String, i64)> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_string(),
                e["method"].as_str().unwrap().to_string(),
                e["path"].as_str().unwrap().to_string(),
                e["status"].as_i64().unwrap(),
            )
        })
        .collect();
    let row = |actor: &str, method: &str, path: &str, status: i64| {
        (
            actor.to_string(),
            method.to_string(),
            path.to_string(),
            status,
        )
    };
    let source_path = format!("/api/v1/sources/{id}");
    assert_eq!(
        rows,
        vec![
            row("-", "DELETE", &source_path, 401),
            row("viewer", "DELETE", &source_path, 403),
            row("ci", "PATCH", &source_path, 200),
            row("ci", "POST", "/api/v1/sources", 201),
            row("env", "POST", "/api/v1/tokens", 201),
            row("env", "POST", "/api/v1/tokens", 201),
        ],
        "newest first"
    );
    // Pages go further back from `next_cursor`.
    let page = |args: &[&str]| -> Value {
        let (ok, out) = hookyard(&server, ADMIN_TOKEN, args);
        assert!(ok, "{out}");
        serde_json::from_str(&out).expect(&out)
    };
    let first = page(&["audit", "--limit", "4"]);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a full page has a next cursor");
    let rest = page(&["audit", "--limit", "4", "--cursor", cursor]);
    assert_eq!(rest["data"].as_array().unwrap().len(), 2);
    assert_eq!(rest["data"][0], log["data"][4]);

    let entry = &log["data"][0];
    assert_eq!(entry["remote_ip"], "127.0.0.1");
    assert!(entry["at"].as_str().unwrap().ends_with('Z'));
}

/// Every write route of the API leaves exactly one audit row with the
/// method, path and status it answered, whether it succeeded or not.
#[tokio::test]
async fn every_write_route_is_audited_once_with_its_status() {
    let server = Server::start().await;
    let mut calls: Vec<(String, String, u16)> = Vec::new();
    // Calls a route with the admin token (JSON or raw bytes); records what
    // the audit log must show.
    async fn call(
        server: &Server,
        calls: &mut Vec<(String, String, u16)>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let (status, answer) = server.api(method.clone(), path, body).await;
        calls.push((method.to_string(), path.to_string(), status));
        answer
    }
    async fn put_bytes(server: &Server, calls: &mut Vec<(String, String, u16)>, path: &str) {
        let status = server
            .http
            .put(format!("{}{path}", server.base))
            .bearer_auth(ADMIN_TOKEN)
            .body(b"not a component".to_vec())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        calls.push(("PUT".into(), path.into(), status));
    }

    let source = call(
        &server,
        &mut calls,
        Method::POST,
        "/api/v1/sources",
        new_source("a"),
    )
    .await;
    let id = source["id"].as_str().unwrap().to_string();
    let source_path = format!("/api/v1/sources/{id}");
    call(
        &server,
        &mut calls,
        Method::PATCH,
        &source_path,
        Some(json!({"name": "b"})),
    )
    .await;
    call(
        &server,
        &mut calls,
        Method::POST,
        &format!("{source_path}/rotate-key"),
        None,
    )
    .await;
    let secret = call(
        &server,
        &mut calls,
        Method::POST,
        &format!("{source_path}/secrets"),
        Some(json!({"secret": "another-secret-value"})),
    )
    .await;
    let secret_path = format!("{source_path}/secrets/{}", secret["id"].as_str().unwrap());
    call(
        &server,
        &mut calls,
        Method::PATCH,
        &secret_path,
        Some(json!({"expires_in_seconds": 60})),
    )
    .await;
    call(&server, &mut calls, Method::DELETE, &secret_path, None).await;
    let since = json!({"since": "2000-01-01T00:00:00Z"});
    call(
        &server,
        &mut calls,
        Method::POST,
        &format!("{source_path}/reprocess"),
        Some(since.clone()),
    )
    .await;
    call(
        &server,
        &mut calls,
        Method::POST,
        &format!("{source_path}/replay"),
        Some(since),
    )
    .await;
    call(
        &server,
        &mut calls,
        Method::POST,
        "/api/v1/events/evt_missing/replay",
        None,
    )
    .await;
    let destination = call(
        &server,
        &mut calls,
        Method::POST,
        "/api/v1/destinations",
        Some(json!({"name": "d", "kind": "http", "url": "http://127.0.0.1:9/x"})),
    )
    .await;
    let destination_path = format!(
        "/api/v1/destinations/{}",
        destination["id"].as_str().unwrap()
    );
    call(
        &server,
        &mut calls,
        Method::PATCH,
        &destination_path,
        Some(json!({"enabled": false})),
    )
    .await;
    call(
        &server,
        &mut calls,
        Method::POST,
        &format!("{destination_path}/replay-dead"),
        None,
    )
    .await;
    call(&server, &mut calls, Method::DELETE, &destination_path, None).await;
    put_bytes(&server, &mut calls, "/api/v1/plugins/github").await;
    call(
        &server,
        &mut calls,
        Method::POST,
        "/api/v1/plugins/github/rollback",
        Some(json!({})),
    )
    .await;
    put_bytes(&server, &mut calls, "/api/v1/plugins/github/shadow").await;
    call(
        &server,
        &mut calls,
        Method::DELETE,
        "/api/v1/plugins/github/shadow",
        None,
    )
    .await;
    let token = call(
        &server,
        &mut calls,
        Method::POST,
        "/api/v1/tokens",
        Some(json!({"name": "t", "scope": "read"})),
    )
    .await;
    call(
        &server,
        &mut calls,
        Method::DELETE,
        &format!("/api/v1/tokens/{}", token["id"].as_str().unwrap()),
        None,
    )
    .await;
    call(&server, &mut calls, Method::DELETE, &source_path, None).await;
    assert!(
        calls.iter().any(|c| c.2 >= 400) && calls.iter().any(|c| c.2 < 300),
        "{calls:?}"
    );

    let (status, log) = server
        .api(Method::GET, "/api/v1/audit?limit=1000", None)
        .await;
    assert_eq!(status, 200, "{log}");
    let mut rows: Vec<(String, String, u16)> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["actor"], "env", "{e}");
            (
                e["method"].as_str().unwrap().to_string(),
                e["path"].as_str().unwrap().to_string(),
                e["status"].as_u64().unwrap() as u16,
            )
        })
        .collect();
    rows.reverse();
    assert_eq!(rows, calls, "oldest first: one row per call");
}
