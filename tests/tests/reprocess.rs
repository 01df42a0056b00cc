//! Reprocessing quarantined requests, on the rows the server keeps: a
//! source whose secret travels in the request, a request that still fails,
//! two runs at once, and raw copies dropped after their retention.
//!
//! The adapter is `test-relay` (tests/adapters/relay.rs): its `broken` build
//! traps in `handle` (the request is quarantined), `v1` maps it.

use hookyard_e2e::{Server, Source, now, sign, test_plugin};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

const SECRET: &str = "relay-secret";
const FILE: &str = "test-relay.wasm";

fn install(dir: &Path, name: &str, wasm: &[u8]) {
    let temp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&temp, wasm).unwrap();
    std::fs::rename(&temp, dir.join(name)).unwrap();
}

fn relay(version: &str) -> Vec<u8> {
    std::fs::read(test_plugin(&format!("test_relay_{version}.wasm"))).unwrap()
}

/// A server with the broken relay, and a source on it.
async fn broken(args: &[&str]) -> (tempfile::TempDir, Server, Source) {
    let plugins = tempfile::tempdir().unwrap();
    install(plugins.path(), FILE, &relay("broken"));
    let server = Server::with_args(plugins.path().to_path_buf(), args).await;
    let source = server
        .create_source("test-relay", &[SECRET], json!({}))
        .await;
    (plugins, server, source)
}

/// Installs the fixed relay and waits until it serves.
async fn fix(plugins: &Path, server: &Server) {
    install(plugins, FILE, &relay("v1"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while preset_version(server).await != "1.0.0" {
        assert!(Instant::now() < deadline, "the fixed adapter never loaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn preset_version(server: &Server) -> String {
    let (_, presets) = server
        .api(reqwest::Method::GET, "/api/v1/presets", None)
        .await;
    presets
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "test-relay")
        .map(|p| p["version"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Sends `{"id": id}` signed; the status.
async fn send(server: &Server, source: &Source, id: &str) -> u16 {
    let signed = sign::stripe(SECRET, now(), &json!({ "id": id }).to_string());
    server.deliver(&source.key, &signed).await.0
}

async fn reprocess(server: &Server, source: &Source) -> Value {
    let (status, report) = server
        .api(
            reqwest::Method::POST,
            &format!("/api/v1/sources/{}/reprocess", source.id),
            Some(json!({ "since": "2000-01-01T00:00:00Z" })),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    report
}

/// Every event of the source by its `id`, checking each appears once.
async fn events_by_id(server: &Server, source: &Source) -> BTreeMap<String, Value> {
    let mut by_id = BTreeMap::new();
    for event in server.events(&source.id).await {
        let id = event["data"]["id"].as_str().unwrap().to_string();
        assert!(by_id.insert(id, event).is_none(), "an event stored twice");
    }
    by_id
}

/// The source's quarantine: request-log rows still waiting.
async fn quarantined(server: &Server, source: &Source) -> Vec<Value> {
    server
        .requests(&source.id)
        .await
        .into_iter()
        .filter(|r| r["outcome"] == "adapter_failed" && r["raw_kept"] == true)
        .filter(|r| r["reprocessed_as"].is_null())
        .collect()
}

/// A source whose secret travels in the request (S3-style): its quarantined
/// requests are kept sealed, not redacted, so reprocessing verifies them as
/// they arrived; and no form of the secret is in clear at rest.
#[tokio::test]
async fn token_authenticated_requests_are_reprocessed_and_their_secret_never_stored_in_clear() {
    // `+`, `/` and `=` travel percent-encoded in a query.
    const TOKEN: &str = "tok+en/with=padding";
    const ENCODED: &str = "tok%2Ben%2Fwith%3Dpadding";
    let plugins = tempfile::tempdir().unwrap();
    install(plugins.path(), FILE, &relay("broken"));
    let mut server = Server::with_plugins(plugins.path().to_path_buf()).await;
    let source = server
        .create_source("test-relay", &[TOKEN], json!({}))
        .await;
    let json = [("Content-Type".to_string(), "application/json".to_string())];
    let bearer = [
        json[0].clone(),
        ("Authorization".to_string(), format!("Bearer {TOKEN}")),
    ];
    let by_query = format!("secret={ENCODED}&x=1");
    let requests = [
        ("", &bearer[..], r#"{"id":"by-header"}"#),
        (by_query.as_str(), &json[..], r#"{"id":"by-query"}"#),
    ];
    for (query, headers, body) in requests {
        let (status, answer) = server
            .deliver_with(&source.key, "POST", query, headers, body.as_bytes())
            .await;
        assert_eq!(status, 503, "the broken adapter fails: {answer}");
    }
    let log = server.requests(&source.id).await;
    assert!(
        log.iter()
            .all(|r| r["outcome"] == "adapter_failed" && r["raw_kept"] == true),
        "{log:#?}"
    );
    let since = log.last().unwrap()["received_at"]
        .as_str()
        .unwrap()
        .to_string();

    install(plugins.path(), FILE, &relay("v1"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while preset_version(&server).await != "1.0.0" {
        assert!(Instant::now() < deadline, "the fixed adapter never loaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, report) = server
        .api(
            reqwest::Method::POST,
            &format!("/api/v1/sources/{}/reprocess", source.id),
            Some(json!({ "since": since })),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (
            &report["reprocessed"],
            &report["accepted"],
            &report["rejected"]
        ),
        (&json!(2), &json!(2), &json!(0)),
        "verified as they arrived: {report}"
    );
    let stored = events_by_id(&server, &source).await;
    assert_eq!(
        stored.keys().map(String::as_str).collect::<Vec<_>>(),
        ["by-header", "by-query"]
    );
    let log = server.requests(&source.id).await;
    let shown = log.iter().map(|r| r.to_string()).collect::<String>();
    assert!(
        !shown.contains(TOKEN) && !shown.contains(ENCODED),
        "{shown}"
    );

    // Nothing in the database files holds the secret in any form, nor the
    // server log; the headers and bodies of raw copies are sealed.
    server.kill();
    let needles = [TOKEN, ENCODED, "tok%2ben%2fwith%3dpadding"];
    let files = server.database_files();
    hookyard_e2e::assert_absent(&files, &needles);
    hookyard_e2e::assert_absent(
        &[("server log".into(), server.log().into_bytes())],
        &needles,
    );
    let holds = |needle: &[u8]| {
        files
            .iter()
            .any(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle))
    };
    assert!(
        holds(b"by-header"),
        "the event data is stored in clear: the search would have found the secret"
    );
    assert!(
        holds(b"secret=[redacted]&x=1"),
        "the logged query keeps its other parameters"
    );
}

/// Reprocessing with the adapter still broken changes nothing: the requests
/// stay quarantined, each run is logged, and a later run finds them again.
#[tokio::test]
async fn a_request_that_still_fails_stays_quarantined() {
    let (_plugins, server, source) = broken(&[]).await;
    for id in ["s-1", "s-2"] {
        assert_eq!(send(&server, &source, id).await, 503);
    }
    let report = reprocess(&server, &source).await;
    assert_eq!(
        (
            &report["reprocessed"],
            &report["still_failing"],
            &report["accepted"]
        ),
        (&json!(2), &json!(2), &json!(0)),
        "{report}"
    );
    assert_eq!(quarantined(&server, &source).await.len(), 2);
    let runs: Vec<Value> = server
        .requests(&source.id)
        .await
        .into_iter()
        .filter(|r| r["user_agent"] == "hookyard reprocess")
        .collect();
    assert_eq!(runs.len(), 2, "each run is a log row");
    assert!(
        runs.iter()
            .all(|r| r["outcome"] == "adapter_failed" && r["raw_kept"] == false),
        "a run keeps no second raw copy: {runs:#?}"
    );
    assert!(server.events(&source.id).await.is_empty());
    assert_eq!(reprocess(&server, &source).await["still_failing"], 2);
}

/// Two reprocess runs at once store each event once: every request is
/// accepted by one run and a duplicate for the other, or left to one.
#[tokio::test]
async fn two_reprocess_runs_at_once_store_each_event_once() {
    let (plugins, server, source) = broken(&[]).await;
    let ids: Vec<String> = (0..8).map(|n| format!("c-{n}")).collect();
    for id in &ids {
        assert_eq!(send(&server, &source, id).await, 503);
    }
    fix(plugins.path(), &server).await;
    let (a, b) = tokio::join!(reprocess(&server, &source), reprocess(&server, &source));
    let count = |key: &str| a[key].as_u64().unwrap() + b[key].as_u64().unwrap();
    assert_eq!(count("accepted"), 8, "{a}\n{b}");
    assert_eq!(
        count("accepted") + count("duplicate"),
        count("reprocessed"),
        "{a}\n{b}"
    );
    assert_eq!(count("still_failing") + count("rejected"), 0, "{a}\n{b}");
    let stored = events_by_id(&server, &source).await;
    assert_eq!(stored.keys().cloned().collect::<Vec<_>>(), ids);
    assert!(quarantined(&server, &source).await.is_empty());
}

/// Raw copies older than `--raw-retention-days` are dropped (then the
/// request can no longer be reprocessed); younger ones stay.
#[tokio::test]
async fn raw_copies_past_their_retention_are_dropped() {
    let (plugins, mut server, source) = broken(&["--raw-retention-days", "1"]).await;
    for id in ["old", "young"] {
        assert_eq!(send(&server, &source, id).await, 503);
    }
    let log = server.requests(&source.id).await;
    let (young, old) = (
        log[0]["id"].as_str().unwrap(),
        log[1]["id"].as_str().unwrap(),
    );
    // Received two days ago, as far as the database knows.
    server.execute_sql(&format!(
        "UPDATE requests SET received_at = received_at - 172800000 WHERE id = '{old}'"
    ));
    // The retention pass runs at start, then hourly.
    server.restart().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = server.requests(&source.id).await;
        let kept: BTreeMap<&str, bool> = log
            .iter()
            .map(|r| (r["id"].as_str().unwrap(), r["raw_kept"] == true))
            .collect();
        if !kept[old] {
            assert!(kept[young], "the young copy stays: {log:#?}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the old raw copy is still kept: {log:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    fix(plugins.path(), &server).await;
    let report = reprocess(&server, &source).await;
    assert_eq!(
        (&report["reprocessed"], &report["accepted"]),
        (&json!(1), &json!(1)),
        "{report}"
    );
    let stored = events_by_id(&server, &source).await;
    assert_eq!(
        stored.keys().map(String::as_str).collect::<Vec<_>>(),
        ["young"]
    );
}
