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
            let response = call.send().await.ok()?;
            let answer: serde_json::Value = response.json().await.ok()?;
            answer["events"][0].as_str().map(str::to_string)
        }));
    }
    let mut acknowledged = BTreeSet::new();
    for task in tasks {
        if let Some(id) = task.await.unwrap() {
            acknowledged.insert(id);
        }
    }
    // Right after the last 2xx: no graceful shutdown, no chance to flush.
    server.kill();
    assert_eq!(
        acknowledged.len(),
        300,
        "every delivery was acknowledged before the kill"
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
