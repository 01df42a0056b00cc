//! The outbox's states, checked in the server's rows, not only at the
//! receiver: coalesced batches (quiet, maximum wait, a batch that fails,
//! goes dead and is replayed as one), `max_in_flight` and `timeout_ms`, and
//! what deleting a destination or a source leaves behind.

use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{Server, Source, sign};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::time::{Duration, Instant};

const GITHUB_SECRET: &str = "zq7Xk9-outbox-github-secret";
const DESTINATION_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn github_source(server: &Server) -> Source {
    server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await
}

/// Sends GitHub push `n` of `repo`; returns the stored event's id.
async fn push(server: &Server, source: &Source, repo: &str, n: usize) -> String {
    let body = json!({ "ref": "refs/heads/main", "after": format!("{n:040}"),
                       "repository": { "full_name": repo } });
    let signed = sign::github(
        GITHUB_SECRET,
        "push",
        &format!("{repo}-{n}"),
        &body.to_string(),
    );
    let (status, answer) = server.deliver(&source.key, &signed).await;
    assert_eq!(status, 200, "{answer}");
    answer["events"][0].as_str().unwrap().to_string()
}

async fn deliveries(server: &Server, query: &str) -> Vec<Value> {
    let (status, page) = server
        .api(
            Method::GET,
            &format!("/api/v1/deliveries?limit=1000&{query}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{page}");
    page["data"].as_array().unwrap().clone()
}

async fn wait_deliveries(
    server: &Server,
    query: &str,
    timeout: Duration,
    what: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + timeout;
    loop {
        let rows = deliveries(server, query).await;
        if done(&rows) {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {rows:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A delivery's attempt log.
async fn attempts(server: &Server, id: &str) -> Vec<Value> {
    let (status, shown) = server
        .api(Method::GET, &format!("/api/v1/deliveries/{id}"), None)
        .await;
    assert_eq!(status, 200, "{shown}");
    shown["attempt_log"].as_array().unwrap().clone()
}

fn statuses(log: &[Value]) -> Vec<u64> {
    log.iter()
        .map(|a| a["status"].as_u64().unwrap_or(0))
        .collect()
}

/// The event ids of one received batch.
fn batch_ids(request: &Value) -> HashSet<String> {
    request["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// Events of one key arriving faster than the quiet period go out when the
/// oldest has waited `max_wait_ms`, not when traffic stops; every row of a
/// batch ends delivered with the batch's one attempt.
#[tokio::test]
async fn a_batch_goes_out_at_its_maximum_wait_under_steady_traffic() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    let server = Server::start().await;
    let source = github_source(&server).await;
    let destination_id = receiver
        .destination(
            &server,
            json!({ "coalesce": { "key": "$.subject", "quiet_ms": 1000, "max_wait_ms": 2500 } }),
        )
        .await;
    let started = Instant::now();
    let mut sent = Vec::new();
    // One push every 250 ms for 5 s: never a quiet second.
    while started.elapsed() < Duration::from_secs(5) {
        sent.push(push(&server, &source, "octo/app", sent.len()).await);
        if receiver.received().await.len() == 1 && sent.len() > 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let first = receiver
        .wait_for(Duration::from_secs(5), "the first batch", |log| {
            !log.is_empty()
        })
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(5) && sent.len() < 20,
        "the batch left while traffic went on ({} sent in {:?})",
        sent.len(),
        started.elapsed()
    );
    let in_first = batch_ids(&first[0]);
    assert!(!in_first.is_empty() && in_first.len() < sent.len() + 1);
    // The rest go out once quiet.
    let rows = wait_deliveries(
        &server,
        &format!("destination_id={destination_id}"),
        Duration::from_secs(10),
        "every row delivered",
        |rows| rows.len() == sent.len() && rows.iter().all(|r| r["state"] == "delivered"),
    )
    .await;
    for row in &rows {
        assert_eq!(row["attempts"], 1, "{row}");
        assert_eq!(
            statuses(&attempts(&server, row["id"].as_str().unwrap()).await),
            [200]
        );
    }
    let log = receiver.received().await;
    let mut all = HashSet::new();
    for request in &log {
        for id in batch_ids(request) {
            assert!(all.insert(id), "an event in two batches: {log:#?}");
        }
    }
    assert_eq!(all, sent.into_iter().collect::<HashSet<_>>());
}

/// A coalesced batch that keeps failing is retried as one, goes dead as
/// one (every row, the same attempt log), and a replay sends it again as
/// one batch; every row then ends delivered with its whole log.
#[tokio::test]
async fn a_failing_batch_retries_goes_dead_and_is_replayed_as_one() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    receiver.set_mode("fail").await;
    let server = Server::with_settings(&[("HOOKYARD_RETRY_SCHEDULE", "100ms,100ms")]).await;
    let source = github_source(&server).await;
    let destination_id = receiver
        .destination(
            &server,
            json!({ "coalesce": { "key": "$.subject", "quiet_ms": 300, "max_wait_ms": 5000 } }),
        )
        .await;
    let sent: HashSet<String> = [
        push(&server, &source, "octo/app", 1).await,
        push(&server, &source, "octo/app", 2).await,
        push(&server, &source, "octo/app", 3).await,
    ]
    .into();
    let of_destination = format!("destination_id={destination_id}");
    let dead = wait_deliveries(
        &server,
        &of_destination,
        Duration::from_secs(20),
        "the batch dead",
        |rows| rows.len() == 3 && rows.iter().all(|r| r["state"] == "dead"),
    )
    .await;
    for row in &dead {
        assert_eq!(row["attempts"], 3, "{row}");
        assert_eq!(
            statuses(&attempts(&server, row["id"].as_str().unwrap()).await),
            [500, 500, 500]
        );
    }
    let log = receiver.received().await;
    assert_eq!(log.len(), 3, "three attempts of one batch: {log:#?}");
    assert!(log.iter().all(|r| batch_ids(r) == sent), "{log:#?}");

    receiver.set_mode("ok").await;
    let (status, answer) = server
        .api(
            Method::POST,
            &format!("/api/v1/destinations/{destination_id}/replay-dead"),
            None,
        )
        .await;
    assert_eq!((status, &answer["requeued"]), (200, &json!(3)), "{answer}");
    let rows = wait_deliveries(
        &server,
        &of_destination,
        Duration::from_secs(10),
        "the replayed batch delivered",
        |rows| rows.iter().all(|r| r["state"] == "delivered"),
    )
    .await;
    for row in &rows {
        assert_eq!(
            statuses(&attempts(&server, row["id"].as_str().unwrap()).await),
            [500, 500, 500, 200]
        );
    }
    let log = receiver.received().await;
    assert_eq!(log.len(), 4, "{log:#?}");
    assert_eq!(log[3]["status"], 200);
    assert_eq!(batch_ids(&log[3]), sent, "replayed as one batch");
}

/// At most `max_in_flight` attempts are on the wire at once, and an attempt
/// the receiver does not answer ends at `timeout_ms`, recorded as such.
#[tokio::test]
async fn max_in_flight_caps_attempts_and_timeout_ms_ends_them() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    receiver.set_mode("hang").await;
    let server = Server::with_settings(&[("HOOKYARD_RETRY_SCHEDULE", "60s")]).await;
    let source = github_source(&server).await;
    let destination_id = receiver
        .destination(&server, json!({ "max_in_flight": 2, "timeout_ms": 1500 }))
        .await;
    for n in 0..6 {
        push(&server, &source, "octo/app", n).await;
    }
    let log = receiver
        .wait_for(Duration::from_secs(20), "six attempts", |log| {
            log.len() >= 6
        })
        .await;
    let mut arrivals: Vec<f64> = log.iter().map(|r| r["at"].as_f64().unwrap()).collect();
    arrivals.sort_by(f64::total_cmp);
    // A third attempt starts only when one of the first two timed out.
    for window in arrivals.windows(3) {
        assert!(
            window[2] - window[0] >= 1.3,
            "three attempts within one timeout: {arrivals:?}"
        );
    }
    let rows = wait_deliveries(
        &server,
        &format!("destination_id={destination_id}"),
        Duration::from_secs(10),
        "six attempts recorded",
        |rows| rows.len() == 6 && rows.iter().all(|r| r["attempts"] == 1),
    )
    .await;
    for row in &rows {
        assert_eq!(row["state"], "pending", "retried later: {row}");
        let log = attempts(&server, row["id"].as_str().unwrap()).await;
        let attempt = &log[0];
        assert!(
            attempt["error"].as_str().unwrap().contains("timed out"),
            "{attempt}"
        );
        let ms = attempt["duration_ms"].as_f64().unwrap();
        assert!((1400.0..10_000.0).contains(&ms), "{attempt}");
        assert!(attempt["response"].is_null(), "no answer: {attempt}");
    }
}

/// Deleting a destination drops what it still had to send (and stops
/// routing to it) but keeps its history; deleting a source stops its URL
/// and drops its sealed secrets, and keeps its events.
#[tokio::test]
async fn deleting_a_destination_or_a_source_leaves_the_right_rows() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    let server = Server::with_settings(&[("HOOKYARD_RETRY_SCHEDULE", "60s")]).await;
    let source = github_source(&server).await;
    let destination_id = receiver.destination(&server, json!({})).await;
    let of_destination = format!("destination_id={destination_id}");
    let delivered = push(&server, &source, "octo/app", 1).await;
    wait_deliveries(
        &server,
        &of_destination,
        Duration::from_secs(10),
        "the first delivered",
        |rows| rows.len() == 1 && rows[0]["state"] == "delivered",
    )
    .await;
    receiver.set_mode("fail").await;
    push(&server, &source, "octo/app", 2).await;
    push(&server, &source, "octo/app", 3).await;
    wait_deliveries(
        &server,
        &of_destination,
        Duration::from_secs(10),
        "two failed, waiting",
        |rows| rows.len() == 3 && rows[1..].iter().all(|r| r["attempts"] == 1),
    )
    .await;

    let (status, _) = server
        .api(
            Method::DELETE,
            &format!("/api/v1/destinations/{destination_id}"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let rows = deliveries(&server, &of_destination).await;
    assert_eq!(
        rows.len(),
        1,
        "pending rows dropped, history kept: {rows:#?}"
    );
    assert_eq!(rows[0]["event_id"], delivered.as_str());
    push(&server, &source, "octo/app", 4).await;
    assert!(deliveries(&server, "state=pending").await.is_empty());
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.metrics().await.contains("hookyard_outbox_depth 0") {
        assert!(Instant::now() < deadline, "{}", server.metrics().await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let secrets_of = format!(
        "SELECT COUNT(*) FROM source_secrets WHERE source_id = '{}'",
        source.id
    );
    assert_eq!(server.query_count(&secrets_of), 1);
    let (status, _) = server
        .api(
            Method::DELETE,
            &format!("/api/v1/sources/{}", source.id),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let body = json!({"ref": "refs/heads/main"}).to_string();
    let (status, answer) = server
        .deliver(
            &source.key,
            &sign::github(GITHUB_SECRET, "push", "gone", &body),
        )
        .await;
    assert_eq!((status, answer), (404, json!({"error": "unknown_source"})));
    let (status, _) = server
        .api(Method::GET, &format!("/api/v1/sources/{}", source.id), None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        server.events(&source.id).await.len(),
        4,
        "events are history"
    );
    assert_eq!(
        server.query_count(&secrets_of),
        0,
        "its sealed secrets went with it"
    );
}
