//! What the operator console reads and does through the API: who the caller
//! is (`/session`), the overview (`/stats`, from per-minute counts kept with
//! the request log, never from the log itself; throttled requests counted
//! without a log row), a signed test event sent
//! through the real request path, and the destination preview with the
//! warning a filter that matches nothing earns.

use hookyard_e2e::{Server, sign};
use reqwest::Method;
use serde_json::{Value, json};

const SECRET: &str = "console-secret";

async fn github_source(server: &Server) -> hookyard_e2e::Source {
    server.create_source("github", &[SECRET], json!({})).await
}

fn pull_request(action: &str, branch: &str, n: u64) -> String {
    json!({ "action": action, "number": n, "pull_request": { "head": { "ref": branch } },
            "repository": { "full_name": "octo/app" } })
    .to_string()
}

/// Sends a signed GitHub `pull_request`; returns the status.
async fn send_pr(server: &Server, key: &str, delivery: &str, branch: &str, n: u64) -> u16 {
    let body = pull_request("opened", branch, n);
    let signed = sign::github(SECRET, "pull_request", delivery, &body);
    server.deliver(key, &signed).await.0
}

async fn token(server: &Server, name: &str, scope: &str) -> String {
    let (status, created) = server
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({ "name": name, "scope": scope })),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_session_names_the_caller_and_its_scope_and_a_read_token_may_preview_not_write() {
    let server = Server::start().await;
    let (status, me) = server.api(Method::GET, "/api/v1/session", None).await;
    assert_eq!(
        (status, &me),
        (200, &json!({ "actor": "env", "scope": "admin" }))
    );

    let reader = token(&server, "console", "read").await;
    let (status, me) = server
        .api_as(&reader, Method::GET, "/api/v1/session", None)
        .await;
    assert_eq!(
        (status, &me),
        (200, &json!({ "actor": "console", "scope": "read" }))
    );
    // What the session says is what the server enforces.
    let (status, _) = server
        .api_as(
            &reader,
            Method::POST,
            "/api/v1/sources",
            Some(json!({ "name": "x", "preset": "github", "secrets": [SECRET] })),
        )
        .await;
    assert_eq!(status, 403);
    let (status, preview) = server
        .api_as(
            &reader,
            Method::POST,
            "/api/v1/destinations/preview",
            Some(json!({ "types": ["*"] })),
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    let (status, _) = server
        .api_as("not-a-token", Method::GET, "/api/v1/session", None)
        .await;
    assert_eq!(status, 401);
}

/// The last (current) bucket of a window; the request counts of a test
/// all fall in the same minute unless it runs across a minute boundary, so
/// the tests add the buckets up.
fn summed(stats: &Value) -> Value {
    let mut sum = serde_json::Map::new();
    for bucket in stats["buckets"].as_array().unwrap() {
        for (outcome, n) in bucket["counts"].as_object().unwrap() {
            let total = sum.get(outcome).and_then(Value::as_i64).unwrap_or(0);
            sum.insert(outcome.clone(), json!(total + n.as_i64().unwrap()));
        }
    }
    Value::Object(sum)
}

#[tokio::test]
async fn stats_count_each_outcome_and_rejection_reason_from_aggregates_kept_with_the_log() {
    let server = Server::start().await;
    let source = github_source(&server).await;
    let other = github_source(&server).await;
    assert_eq!(
        send_pr(&server, &source.key, "d-1", "feature/a", 1).await,
        200
    );
    assert_eq!(send_pr(&server, &source.key, "d-2", "main", 2).await, 200);
    assert_eq!(
        send_pr(&server, &source.key, "d-1", "feature/a", 1).await,
        200
    );
    let body = pull_request("opened", "x", 3);
    let bad = sign::github("wrong-secret", "pull_request", "d-3", &body);
    assert_eq!(server.deliver(&source.key, &bad).await.0, 401);
    let unsigned =
        sign::github(SECRET, "pull_request", "d-4", &body).without("X-Hub-Signature-256");
    assert_eq!(server.deliver(&source.key, &unsigned).await.0, 401);
    assert_eq!(send_pr(&server, &other.key, "d-5", "main", 5).await, 200);
    assert_eq!(server.deliver("wh_nobody", &bad).await.0, 404);

    let (status, stats) = server.api(Method::GET, "/api/v1/stats", None).await;
    assert_eq!(status, 200, "{stats}");
    assert_eq!(stats["window"], "hour");
    assert_eq!(stats["bucket_seconds"], 60);
    let buckets = stats["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 60);
    assert!(
        buckets.iter().any(|b| b["counts"] == json!({})),
        "empty buckets are there"
    );
    let expected = json!({ "accepted": 3, "duplicate": 1, "bad_signature": 1,
                           "missing_signature": 1, "unknown_source": 1 });
    assert_eq!(summed(&stats), expected, "{stats}");
    assert_eq!(stats["totals"], expected);
    assert_eq!(stats["events_stored"], 3);
    assert_eq!(stats["outbox_pending"], 0);
    assert_eq!(stats["dead_letters"], 0);
    assert_eq!(stats["quarantined_adapters"], 0);
    // The aggregate rows hold exactly the log's count.
    assert_eq!(
        server.query_count("SELECT CAST(SUM(n) AS BIGINT) FROM request_counts"),
        server.query_count("SELECT COUNT(*) FROM requests")
    );
    assert_eq!(server.query_count("SELECT COUNT(*) FROM requests"), 7);
    assert_eq!(
        server.query_count("SELECT CAST(SUM(n) AS BIGINT) FROM event_counts"),
        server.query_count("SELECT COUNT(*) FROM events")
    );

    let path = format!("/api/v1/stats?window=day&source={}", source.id);
    let (status, day) = server.api(Method::GET, &path, None).await;
    assert_eq!(status, 200, "{day}");
    assert_eq!(day["bucket_seconds"], 900);
    assert_eq!(day["buckets"].as_array().unwrap().len(), 96);
    assert_eq!(
        day["totals"],
        json!({ "accepted": 2, "duplicate": 1, "bad_signature": 1, "missing_signature": 1 })
    );
    assert_eq!(day["events_stored"], 2);

    // The stats never read the request log: with its rows gone they stay.
    server.execute_sql("DELETE FROM requests");
    let (_, after) = server.api(Method::GET, "/api/v1/stats", None).await;
    assert_eq!(after["totals"], expected);

    let (status, refused) = server
        .api(Method::GET, "/api/v1/stats?window=week", None)
        .await;
    assert_eq!(status, 400, "{refused}");
    let (status, refused) = server
        .api(Method::GET, "/api/v1/stats?source=src_nope", None)
        .await;
    assert_eq!((status, refused["field"].as_str()), (404, Some("source")));
}

#[tokio::test]
async fn a_test_event_is_signed_by_the_adapter_and_goes_through_the_request_path() {
    let server = Server::start().await;
    for (preset, secret) in [("github", SECRET), ("stripe", "whsec_console")] {
        let source = server.create_source(preset, &[secret], json!({})).await;
        let path = format!("/api/v1/sources/{}/test-event", source.id);
        let (status, sent) = server.api(Method::POST, &path, Some(json!({}))).await;
        assert_eq!(status, 200, "{preset}: {sent}");
        assert_eq!(sent["status"], 200, "{preset}: {sent}");
        assert_eq!(sent["outcome"], "accepted", "{preset}: {sent}");
        assert_eq!(sent["reason"], Value::Null);
        let event_ids = sent["event_ids"].as_array().unwrap();
        assert_eq!(event_ids.len(), 1, "{sent}");

        // Logged like any request, with its real outcome, and stored.
        let log = server.requests(&source.id).await;
        assert_eq!(log.len(), 1);
        assert_eq!(log[0]["id"], sent["request_id"]);
        assert_eq!(log[0]["outcome"], "accepted");
        let events = server.events(&source.id).await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["id"], event_ids[0]);
    }

    // A type of the catalog is the event's type; one outside it is refused.
    let source = github_source(&server).await;
    let path = format!("/api/v1/sources/{}/test-event", source.id);
    let (status, sent) = server
        .api(Method::POST, &path, Some(json!({ "event_type": "issues" })))
        .await;
    assert_eq!(
        (status, &sent["outcome"]),
        (200, &json!("accepted")),
        "{sent}"
    );
    let events = server.events(&source.id).await;
    assert!(
        events[0]["type"].as_str().unwrap().starts_with("issues"),
        "{events:?}"
    );
    let (status, refused) = server
        .api(Method::POST, &path, Some(json!({ "event_type": "nope" })))
        .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (422, Some("event_type"))
    );

    // A refusal is answered as the log has it (a disabled source's).
    let (status, _) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}", source.id),
            Some(json!({ "enabled": false })),
        )
        .await;
    assert_eq!(status, 200);
    let (status, sent) = server.api(Method::POST, &path, None).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        (sent["status"].as_u64(), sent["outcome"].as_str()),
        (Some(403), Some("source_disabled"))
    );
    let log = server.requests(&source.id).await;
    assert_eq!(log[0]["id"], sent["request_id"]);
    assert_eq!(log[0]["outcome"], "source_disabled");

    // No active secret: 409; an adapter that cannot sign: 422.
    let (status, unsigned) = server
        .api(
            Method::POST,
            "/api/v1/sources",
            Some(json!({ "name": "no secret", "preset": "github", "enabled": false })),
        )
        .await;
    assert_eq!(status, 201, "{unsigned}");
    let path = format!(
        "/api/v1/sources/{}/test-event",
        unsigned["id"].as_str().unwrap()
    );
    let (status, refused) = server.api(Method::POST, &path, None).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (409, Some("conflict")),
        "{refused}"
    );
    let discord = server
        .create_source("discord", &[&"ab".repeat(32)], json!({}))
        .await;
    let path = format!("/api/v1/sources/{}/test-event", discord.id);
    let (status, refused) = server.api(Method::POST, &path, None).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("cannot_sign")),
        "{refused}"
    );
    assert!(server.requests(&discord.id).await.is_empty());
}

#[tokio::test]
async fn the_preview_lists_what_a_filter_matches_and_destinations_warn_when_it_matches_nothing() {
    let server = Server::start().await;
    let source = github_source(&server).await;
    for (n, branch) in ["feature/a", "main", "feature/b"].iter().enumerate() {
        let delivery = format!("d-{n}");
        assert_eq!(
            send_pr(&server, &source.key, &delivery, branch, n as u64).await,
            200
        );
    }
    let preview = |body: Value| {
        let server = &server;
        async move {
            let (status, answer) = server
                .api(Method::POST, "/api/v1/destinations/preview", Some(body))
                .await;
            assert_eq!(status, 200, "{answer}");
            answer
        }
    };
    let found = preview(json!({ "types": ["pull_request.*"], "sources": [source.id],
                                "filter": "$.pull_request.head[?search(@, '^feature/')]" }))
    .await;
    assert_eq!(found["examined"], 3);
    assert_eq!(found["warning"], Value::Null);
    let matched = found["matched"].as_array().unwrap();
    assert_eq!(matched.len(), 2, "{found}");
    assert_eq!(matched[0]["type"], "pull_request.opened");
    assert_eq!(matched[0]["source_id"], source.id.as_str());
    // Newest first: feature/b's event, then feature/a's.
    let events = server.events(&source.id).await;
    assert_eq!(matched[0]["id"], events[2]["id"]);
    assert_eq!(matched[1]["id"], events[0]["id"]);

    // The mistake the docs warn about: the filter tests head's children
    // (strings, without a `ref`), so it selects nothing.
    let missed = preview(json!({ "types": ["pull_request.*"],
                                 "filter": "$.pull_request.head[?search(@.ref, '^feature/')]" }))
    .await;
    assert_eq!(missed["matched"], json!([]));
    assert_eq!(
        missed["warning"],
        "the filter matches none of the 3 recent events of these types"
    );
    // No event of the types: nothing examined, nothing to warn about.
    let none = preview(json!({ "types": ["issues.*"], "filter": "$.x" })).await;
    assert_eq!(
        (none["examined"].as_u64(), &none["warning"]),
        (Some(0), &Value::Null)
    );

    // The same rules as a destination's subscription.
    let (status, refused) = server
        .api(
            Method::POST,
            "/api/v1/destinations/preview",
            Some(json!({ "types": ["*"], "sources": ["src_nope"] })),
        )
        .await;
    assert_eq!((status, refused["field"].as_str()), (422, Some("sources")));
    let (status, _) = server
        .api(
            Method::POST,
            "/api/v1/destinations/preview",
            Some(json!({ "types": ["*"], "filter": "$.[oops" })),
        )
        .await;
    assert_eq!(status, 422);

    // Creating (and changing) a destination answers the warning; it is saved.
    let destination = |filter: &str| {
        json!({ "name": format!("d {filter}"), "kind": "nats", "url": "nats://127.0.0.1:4222",
                "subject": "x", "event_types": ["pull_request.*"], "filter": filter })
    };
    let (status, created) = server
        .api(
            Method::POST,
            "/api/v1/destinations",
            Some(destination(
                "$.pull_request.head[?search(@.ref, '^feature/')]",
            )),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        created["warnings"],
        json!(["the filter matches none of the 3 recent events of these types"])
    );
    assert_eq!(
        server.query_count("SELECT COUNT(*) FROM destinations"),
        1,
        "saved all the same"
    );
    let id = created["id"].as_str().unwrap();
    let (status, changed) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/destinations/{id}"),
            Some(json!({ "filter": "$.pull_request.head[?search(@, '^feature/')]" })),
        )
        .await;
    assert_eq!(
        (status, &changed["warnings"]),
        (200, &json!([])),
        "{changed}"
    );
    let (_, shown) = server
        .api(Method::GET, &format!("/api/v1/destinations/{id}"), None)
        .await;
    assert!(
        shown.get("warnings").is_none(),
        "only creation and change answer it"
    );
}

/// The S3 key-prefix filter docs/delivery.md gives, on an event the S3
/// adapter maps from its own MinIO fixture (the key arrives URL-encoded).
#[tokio::test]
async fn the_documented_s3_filter_matches_an_s3_upload_and_the_old_one_warns() {
    let server = Server::start().await;
    let source = server
        .create_source("minio", &["s3-token"], json!({}))
        .await;
    let body = json!({ "EventName": "s3:ObjectCreated:Put", "Key": "media/uploads/cat 1.png",
        "Records": [{ "eventVersion": "2.0", "eventSource": "minio:s3",
            "eventTime": "2026-11-22T08:26:30.127Z", "eventName": "s3:ObjectCreated:Put",
            "s3": { "bucket": { "name": "media" },
                    "object": { "key": "uploads%2Fcat+1.png", "size": 1, "eTag": "e1",
                                "sequencer": "187A1B2C3D4E5F60" } } }] })
    .to_string();
    let (status, answer) = server
        .deliver_with(
            &source.key,
            "POST",
            "",
            &[("Authorization".into(), "Bearer s3-token".into())],
            body.as_bytes(),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let documented = "$.s3[?search(@.key, '^uploads(/|%2F)')]";
    assert!(
        std::fs::read_to_string(hookyard_e2e::repo_root().join("docs/delivery.md"))
            .unwrap()
            .contains(documented)
    );
    let (status, found) = server
        .api(
            Method::POST,
            "/api/v1/destinations/preview",
            Some(json!({ "types": ["s3:ObjectCreated:*"], "filter": documented })),
        )
        .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["matched"].as_array().unwrap().len(), 1, "{found}");
    let (_, old) = server
        .api(
            Method::POST,
            "/api/v1/destinations/preview",
            Some(json!({ "types": ["s3:ObjectCreated:*"],
                         "filter": "$.s3.object[?search(@.key, '^uploads/')]" })),
        )
        .await;
    assert_eq!(
        old["warning"],
        "the filter matches none of the 1 recent events of these types"
    );
}

/// Throttled requests have no log row (a flood must not become writes), but
/// the stats count them, under `throttled`, from counts the next batch
/// writes.
#[tokio::test]
async fn throttled_requests_are_counted_in_the_stats_without_a_log_row() {
    let server = Server::start().await;
    let source = github_source(&server).await;
    server
        .set_limits(&source.id, json!({ "rate_per_second": 1, "burst": 1 }))
        .await;
    let mut throttled = 0;
    for n in 0..6 {
        match send_pr(&server, &source.key, &format!("d-{n}"), "main", n).await {
            429 => throttled += 1,
            status => assert_eq!(status, 200),
        }
    }
    assert!(throttled > 0, "a burst of 1 at 1/s throttles some of 6");
    let logged = server.requests(&source.id).await.len() as i64;
    assert_eq!(logged, 6 - throttled, "throttled requests are not logged");
    // The counts are written by the batch after the 429s: wait for it.
    let mut counted = Value::Null;
    for _ in 0..100 {
        let path = format!("/api/v1/stats?source={}", source.id);
        let (_, stats) = server.api(Method::GET, &path, None).await;
        counted = stats["totals"]["throttled"].clone();
        if counted == json!(throttled) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(counted, json!(throttled));
    assert_eq!(
        server.query_count(&format!(
            "SELECT CAST(SUM(n) AS BIGINT) FROM request_counts WHERE outcome = 'throttled' AND source_id = '{}'",
            source.id
        )),
        throttled
    );
}
