//! An acknowledged event survives SIGKILL: the server answers 2xx only after
//! the commit that stored it.

use hookyard_e2e::Server;
use hookyard_e2e::sign;
use reqwest::Method;
use serde_json::json;
use std::collections::BTreeSet;

const SECRET: &str = "durable-secret";

#[tokio::test]
async fn every_acknowledged_event_is_there_after_sigkill_and_restart() {
    let mut server = Server::start().await;
    let source = server.create_source("github", &[SECRET], json!({})).await;

    // A burst of concurrent deliveries: the writer commits them in batches.
    let mut tasks = Vec::new();
    for i in 0..300 {
        let (http, base, key) = (server.http.clone(), server.base.clone(), source.key.clone());
        tasks.push(tokio::spawn(async move {
            let body =
                json!({"action": "created", "n": i, "repository": {"full_name": "octo/hello"}})
                    .to_string();
            let request = sign::github(SECRET, "issues", &format!("delivery-{i}"), &body);
            let mut call = http
                .post(format!("{base}/webhooks/{key}"))
                .body(request.body.clone());
            for (name, value) in &request.headers {
                call = call.header(name, value);
            }
            let response = call.send().await.map_err(|e| format!("{e:#}"))?;
            let status = response.status();
            let answer = response.text().await.map_err(|e| format!("{e:#}"))?;
            serde_json::from_str::<serde_json::Value>(&answer)
                .ok()
                .and_then(|a| a["events"][0].as_str().map(str::to_string))
                .ok_or(format!("{status} {answer}"))
        }));
    }
    let mut acknowledged = BTreeSet::new();
    let mut refused = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(id) => acknowledged.insert(id),
            Err(why) => {
                refused.push(why);
                false
            }
        };
    }
    // Right after the last 2xx: no graceful shutdown, no chance to flush.
    server.kill();
    assert!(
        refused.is_empty(),
        "every delivery must be acknowledged before the kill; refused: {refused:?}\n{}",
        server.log()
    );

    server.restart().await;
    let stored: BTreeSet<String> = server
        .events(&source.id)
        .await
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged events lost: {lost:?}",
        lost.len()
    );
    assert_eq!(stored.len(), 300);

    // And the source itself, with its key, survived too.
    let (status, _) = server
        .api(Method::GET, &format!("/api/v1/sources/{}", source.id), None)
        .await;
    assert_eq!(status, 200);
}

/// Under sustained ingest the WAL keeps being copied back and restarted: its
/// file stays near the checkpoint threshold (1000 pages, 4 MiB) instead of
/// growing with every commit.
#[tokio::test]
async fn the_wal_stays_bounded_under_sustained_ingest() {
    let server = Server::start().await;
    let source = server.create_source("github", &[SECRET], json!({})).await;
    let pad = "x".repeat(2000);
    let mut pending = tokio::task::JoinSet::new();
    for i in 0..4000 {
        if pending.len() >= 32 {
            pending.join_next().await.unwrap().unwrap();
        }
        let (http, base, key) = (server.http.clone(), server.base.clone(), source.key.clone());
        let body = json!({"action": "created", "n": i, "pad": pad}).to_string();
        pending.spawn(async move {
            let request = sign::github(SECRET, "issues", &format!("wal-{i}"), &body);
            let mut call = http
                .post(format!("{base}/webhooks/{key}"))
                .body(request.body.clone());
            for (name, value) in &request.headers {
                call = call.header(name, value);
            }
            assert_eq!(call.send().await.unwrap().status(), 200);
        });
    }
    while let Some(done) = pending.join_next().await {
        done.unwrap();
    }
    let wal = std::fs::metadata(server.dir.path().join("hookyard.db-wal"))
        .unwrap()
        .len();
    // 4000 requests wrote well over 16 MiB of WAL frames in all.
    assert!(wal < 8 << 20, "the WAL is {wal} bytes after 4000 requests");
}
