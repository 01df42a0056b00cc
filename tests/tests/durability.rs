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
