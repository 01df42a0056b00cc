//! Delivery end to end: the real server delivers to a receiver that verifies
//! with the official `standardwebhooks` library, and to a real NATS
//! JetStream stream; retries, dead letters, 410, replays, coalescing, the
//! SSRF guard and the pull API, including SIGKILLs of the server mid-drain.

use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{Server, Source, assert_absent, sign};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

const GITHUB_SECRET: &str = "it's a secret to everybody";
const DESTINATION_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn github_source(server: &Server) -> Source {
    server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await
}

/// Sends one signed GitHub webhook; returns the stored event's id.
async fn send_github(
    server: &Server,
    source: &Source,
    event: &str,
    delivery: &str,
    body: &Value,
) -> String {
    let signed = sign::github(GITHUB_SECRET, event, delivery, &body.to_string());
    let (status, answer) = server.deliver(&source.key, &signed).await;
    assert_eq!(status, 200, "{answer}");
    answer["events"][0].as_str().expect("one event").to_string()
}

fn push(repo: &str, n: usize) -> Value {
    json!({ "ref": "refs/heads/main", "after": format!("{n:040}"), "repository": { "full_name": repo } })
}

async fn create_destination(server: &Server, body: Value) -> Value {
    let (status, destination) = server
        .api(Method::POST, "/api/v1/destinations", Some(body))
        .await;
    assert_eq!(status, 201, "{destination}");
    destination
}

async fn http_destination(server: &Server, receiver: &Receiver, extra: Value) -> String {
    let mut body = json!({
        "name": format!("receiver-{}", hookyard_e2e::free_port()),
        "kind": "http",
        "url": format!("{}/hooks", receiver.url),
        "secret": DESTINATION_SECRET,
        "timeout_ms": 1000,
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    create_destination(server, body).await["id"]
        .as_str()
        .unwrap()
        .to_string()
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

/// Polls the deliveries API until `done`, or panics after `timeout`.
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

fn ids_with_status(log: &[Value], status: u64) -> Vec<String> {
    log.iter()
        .filter(|r| r["status"] == status)
        .map(|r| r["webhook_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn events_reach_an_http_receiver_signed_per_standard_webhooks_and_filtered() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    let server = Server::start().await;
    let source = github_source(&server).await;
    http_destination(
        &server,
        &receiver,
        json!({
            "event_types": ["pull_request.*"],
            "filter": "$.pull_request.head[?search(@, '^feature/')]",
        }),
    )
    .await;

    send_github(&server, &source, "push", "d-push", &push("octo/app", 1)).await;
    let pr = |action: &str, branch: &str, n: u64| {
        json!({ "action": action, "number": n, "pull_request": { "head": { "ref": branch } },
                "repository": { "full_name": "octo/app" } })
    };
    let wanted = send_github(
        &server,
        &source,
        "pull_request",
        "d-pr1",
        &pr("opened", "feature/x", 1),
    )
    .await;
    send_github(
        &server,
        &source,
        "pull_request",
        "d-pr2",
        &pr("opened", "fix/y", 2),
    )
    .await;
    send_github(
        &server,
        &source,
        "issues",
        "d-issue",
        &json!({ "action": "opened" }),
    )
    .await;

    receiver
        .wait_for(Duration::from_secs(20), "the pull request", |log| {
            !log.is_empty()
        })
        .await;
    // Give the other events time to (wrongly) arrive.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let log = receiver.received().await;
    let ids: HashSet<&str> = log
        .iter()
        .map(|r| r["webhook_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        HashSet::from([wanted.as_str()]),
        "only the matching event: {log:#?}"
    );
    let request = &log[0];
    assert_eq!(
        request["verified"], true,
        "standardwebhooks rejected it: {request}"
    );
    assert_eq!(
        request["x_signature_ok"], true,
        "X-Signature-256: {request}"
    );
    assert_eq!(request["content_type"], "application/cloudevents+json");
    let event = &request["body"];
    assert_eq!(event["specversion"], "1.0");
    assert_eq!(event["id"], wanted.as_str());
    assert_eq!(event["type"], "pull_request.opened");
    assert_eq!(event["subject"], "octo/app");
    assert_eq!(event["source"], format!("/sources/{}", source.id));
    assert_eq!(event["data"]["pull_request"]["head"]["ref"], "feature/x");

    let rows = wait_deliveries(
        &server,
        "",
        Duration::from_secs(5),
        "the delivered state",
        |rows| rows.len() == 1 && rows[0]["state"] == "delivered",
    )
    .await;
    assert_eq!(rows[0]["event_id"], wanted.as_str());
    assert_eq!(rows[0]["attempts"], 1);

    // The signing secret is sealed at rest: not in the database files.
    let key = DESTINATION_SECRET.trim_start_matches("whsec_");
    assert_absent(&server.database_files(), &[key]);
}

#[tokio::test]
async fn a_receiver_that_fails_then_hangs_gets_every_event_after_recovery_despite_a_sigkill() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    receiver.set_mode("fail").await;
    let mut server = Server::with_settings(&[(
        "HOOKYARD_RETRY_SCHEDULE",
        "300ms,600ms,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
    )])
    .await;
    let source = github_source(&server).await;
    let destination = http_destination(&server, &receiver, json!({ "max_in_flight": 4 })).await;
    let mut sent = Vec::new();
    for n in 0..20 {
        sent.push(
            send_github(
                &server,
                &source,
                "push",
                &format!("d-{n}"),
                &push("octo/app", n),
            )
            .await,
        );
    }

    // 500s: every event is attempted and fails at least twice.
    receiver
        .wait_for(
            Duration::from_secs(30),
            "two failed attempts of each event",
            |log| {
                let mut failures: HashMap<&str, usize> = HashMap::new();
                for r in log.iter().filter(|r| r["status"] == 500) {
                    *failures
                        .entry(r["webhook_id"].as_str().unwrap())
                        .or_default() += 1;
                }
                sent.iter()
                    .all(|id| failures.get(id.as_str()).copied().unwrap_or(0) >= 2)
            },
        )
        .await;
    // Timeouts: attempts in flight whose result the server never learns...
    receiver.set_mode("hang").await;
    receiver
        .wait_for(Duration::from_secs(30), "hanging attempts", |log| {
            log.iter().filter(|r| r["status"].is_null()).count() >= 4
        })
        .await;
    // ...and the server dies with attempts in flight.
    server.kill();
    receiver.set_mode("ok").await;
    server.restart().await;

    let log = receiver
        .wait_for(Duration::from_secs(60), "every event delivered", |log| {
            let ok: HashSet<String> = ids_with_status(log, 200).into_iter().collect();
            sent.iter().all(|id| ok.contains(id))
        })
        .await;
    // Nothing lost, nothing acknowledged twice: the receiver said 200 once
    // per event (the attempts whose result was unknown had no answer).
    let ok = ids_with_status(&log, 200);
    assert_eq!(ok.len(), sent.len(), "one 2xx per event: {ok:?}");
    assert!(
        log.iter().all(|r| r["verified"] == true),
        "every attempt was signed"
    );
    // Each event's attempts came in retry order, spaced by the schedule
    // after each answered failure (after an unanswered one, in flight at the
    // kill, the restart decides when it is tried again, not the schedule).
    for id in &sent {
        let attempts: Vec<&Value> = log
            .iter()
            .filter(|r| r["webhook_id"] == id.as_str())
            .collect();
        assert!(
            attempts.len() >= 3,
            "{id}: at least two failures and a success"
        );
        let times: Vec<f64> = attempts.iter().map(|r| r["at"].as_f64().unwrap()).collect();
        for pair in attempts.windows(2) {
            if pair[0]["status"].is_null() {
                continue;
            }
            assert!(
                pair[1]["at"].as_f64().unwrap() - pair[0]["at"].as_f64().unwrap() >= 0.2,
                "{id}: attempts closer than the schedule allows: {times:?}"
            );
        }
    }
    // The outbox agrees: one delivered row per event, attempts logged in order.
    let rows = wait_deliveries(
        &server,
        &format!("destination_id={destination}"),
        Duration::from_secs(10),
        "every row delivered",
        |rows| rows.len() == sent.len() && rows.iter().all(|r| r["state"] == "delivered"),
    )
    .await;
    for row in &rows {
        let (_, detail) = server
            .api(
                Method::GET,
                &format!("/api/v1/deliveries/{}", row["id"].as_str().unwrap()),
                None,
            )
            .await;
        let attempts = detail["attempt_log"].as_array().unwrap();
        let successes = attempts.iter().filter(|a| a["status"] == 200).count();
        assert_eq!(successes, 1, "marked delivered once: {detail:#}");
        assert_eq!(attempts.last().unwrap()["status"], 200, "{detail:#}");
        let numbers: Vec<u64> = attempts
            .iter()
            .map(|a| a["attempt"].as_u64().unwrap())
            .collect();
        assert_eq!(numbers, (1..=numbers.len() as u64).collect::<Vec<_>>());
    }
}

/// A delivery with its attempt log (`GET /api/v1/deliveries/{id}`).
async fn delivery(server: &Server, id: &str) -> Value {
    let (status, shown) = server
        .api(Method::GET, &format!("/api/v1/deliveries/{id}"), None)
        .await;
    assert_eq!(status, 200, "{shown}");
    shown
}

/// The HTTP statuses of a delivery's attempts, in order, after checking the
/// log is numbered 1..=n with no gap and `attempts` counts it.
async fn attempt_statuses(server: &Server, id: &str) -> Vec<u64> {
    let shown = delivery(server, id).await;
    let log = shown["attempt_log"].as_array().unwrap();
    let numbers: Vec<u64> = log.iter().map(|a| a["attempt"].as_u64().unwrap()).collect();
    assert_eq!(
        numbers,
        (1..=log.len() as u64).collect::<Vec<_>>(),
        "numbered without gaps: {shown:#}"
    );
    assert_eq!(shown["attempts"], log.len(), "{shown:#}");
    log.iter()
        .map(|a| a["status"].as_u64().unwrap_or(0))
        .collect()
}

/// How many times the receiver answered 200 for each event id.
fn receipts(log: &[Value]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for id in ids_with_status(log, 200) {
        *counts.entry(id).or_default() += 1;
    }
    counts
}

#[tokio::test]
async fn dead_letters_are_kept_and_replayed_and_410_disables_the_destination() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    receiver.set_mode("fail").await;
    let server = Server::with_settings(&[("HOOKYARD_RETRY_SCHEDULE", "100ms,100ms")]).await;
    let source = github_source(&server).await;
    let destination = http_destination(&server, &receiver, json!({})).await;
    let of_destination = format!("destination_id={destination}");
    let first = send_github(&server, &source, "push", "d-1", &push("octo/app", 1)).await;
    let second = send_github(&server, &source, "push", "d-2", &push("octo/app", 2)).await;

    // Three attempts (the first and two retries), then dead letters.
    let dead = wait_deliveries(
        &server,
        "state=dead",
        Duration::from_secs(20),
        "dead letters",
        |rows| rows.len() == 2,
    )
    .await;
    assert!(
        dead.iter()
            .all(|r| r["attempts"] == 3 && r["last_status"] == 500),
        "{dead:#?}"
    );
    // The receiver's answer is kept with each attempt.
    let shown = delivery(&server, dead[0]["id"].as_str().unwrap()).await;
    let last = &shown["attempt_log"][2];
    assert_eq!(last["status"], 500, "{shown:#}");
    assert_eq!(
        last["response"]["body"], "{\"error\":\"the receiver fails on purpose\"}",
        "{shown:#}"
    );
    assert!(
        last["response"]["status_line"]
            .as_str()
            .unwrap()
            .starts_with("HTTP/1.1 500"),
        "{shown:#}"
    );
    let metrics = server.metrics().await;
    assert!(
        metrics.contains(&format!(
            "hookyard_dead_letters_total{{destination=\"{destination}\"}} 2"
        )),
        "{metrics}"
    );

    // Replaying the dead letters delivers them once the receiver is back:
    // each ends delivered, its attempt log goes on from where it stopped,
    // and the receiver gets it once.
    receiver.set_mode("ok").await;
    let (status, answer) = server
        .api(
            Method::POST,
            &format!("/api/v1/destinations/{destination}/replay-dead"),
            None,
        )
        .await;
    assert_eq!(
        (status, answer["requeued"].as_u64()),
        (200, Some(2)),
        "{answer}"
    );
    let rows = wait_deliveries(
        &server,
        &of_destination,
        Duration::from_secs(10),
        "the replayed dead letters delivered",
        |rows| rows.len() == 2 && rows.iter().all(|r| r["state"] == "delivered"),
    )
    .await;
    for row in &rows {
        assert_eq!(
            attempt_statuses(&server, row["id"].as_str().unwrap()).await,
            [500, 500, 500, 200]
        );
    }
    let log = receiver.received().await;
    assert_eq!(
        receipts(&log),
        HashMap::from([(first.clone(), 1), (second.clone(), 1)]),
        "{log:#?}"
    );

    // One event again, by id: a new delivery with the same event id.
    let (status, answer) = server
        .api(
            Method::POST,
            &format!("/api/v1/events/{first}/replay"),
            None,
        )
        .await;
    assert_eq!(
        (status, answer["deliveries"].as_u64()),
        (200, Some(1)),
        "{answer}"
    );
    let rows = wait_deliveries(
        &server,
        &format!("event_id={first}"),
        Duration::from_secs(10),
        "the replayed event delivered",
        |rows| rows.len() == 2 && rows.iter().all(|r| r["state"] == "delivered"),
    )
    .await;
    assert_eq!(
        attempt_statuses(&server, rows[1]["id"].as_str().unwrap()).await,
        [200]
    );

    // Every event of the source in a time range.
    let (status, answer) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/replay", source.id),
            Some(json!({ "since": "2000-01-01T00:00:00Z" })),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (answer["events"].as_u64(), answer["deliveries"].as_u64()),
        (Some(2), Some(2))
    );
    let rows = wait_deliveries(
        &server,
        &of_destination,
        Duration::from_secs(10),
        "the source replay delivered",
        |rows| rows.len() == 5 && rows.iter().all(|r| r["state"] == "delivered"),
    )
    .await;
    for row in &rows[3..] {
        assert_eq!(
            attempt_statuses(&server, row["id"].as_str().unwrap()).await,
            [200]
        );
    }
    let log = receiver.received().await;
    assert_eq!(
        receipts(&log),
        HashMap::from([(first.clone(), 3), (second.clone(), 2)]),
        "one receipt per delivery: {log:#?}"
    );

    // 410 Gone disables the destination; its deliveries, and those of the
    // events that arrive while it is disabled, are held until it is enabled.
    receiver.set_mode("gone").await;
    let third = send_github(&server, &source, "push", "d-3", &push("octo/app", 3)).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let shown = loop {
        let (_, shown) = server
            .api(
                Method::GET,
                &format!("/api/v1/destinations/{destination}"),
                None,
            )
            .await;
        if shown["enabled"] == false || Instant::now() > deadline {
            break shown;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(shown["enabled"], false, "{shown}");
    assert!(
        shown["disabled_reason"].as_str().unwrap().contains("410"),
        "{shown}"
    );
    assert!(shown.get("secret").is_none() && shown["secret_prefix"].as_str().unwrap().len() < 16);
    let fourth = send_github(&server, &source, "push", "d-4", &push("octo/app", 4)).await;
    let fifth = send_github(&server, &source, "push", "d-5", &push("octo/app", 5)).await;
    let (_, shown) = server
        .api(
            Method::GET,
            &format!("/api/v1/destinations/{destination}"),
            None,
        )
        .await;
    assert_eq!(shown["pending_deliveries"], 3, "held: {shown}");
    for event in [&third, &fourth, &fifth] {
        let rows = deliveries(&server, &format!("event_id={event}")).await;
        assert_eq!(rows.len(), 1, "kept, not lost: {rows:#?}");
        assert_eq!(rows[0]["state"], "pending", "{rows:#?}");
    }
    receiver.set_mode("ok").await;
    let (status, _) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/destinations/{destination}"),
            Some(json!({ "enabled": true })),
        )
        .await;
    assert_eq!(status, 200);
    let rows = wait_deliveries(
        &server,
        &of_destination,
        Duration::from_secs(10),
        "the events held while disabled delivered",
        |rows| rows.len() == 8 && rows.iter().all(|r| r["state"] == "delivered"),
    )
    .await;
    let by_event: HashMap<&str, &Value> = rows[5..]
        .iter()
        .map(|r| (r["event_id"].as_str().unwrap(), r))
        .collect();
    let statuses = |event: &str| attempt_statuses(&server, by_event[event]["id"].as_str().unwrap());
    assert_eq!(statuses(&third).await, [410, 200]);
    assert_eq!(statuses(&fourth).await, [200]);
    assert_eq!(statuses(&fifth).await, [200]);
    let log = receiver.received().await;
    let counts = receipts(&log);
    for event in [&third, &fourth, &fifth] {
        assert_eq!(counts.get(event.as_str()), Some(&1), "{log:#?}");
    }
    let (_, shown) = server
        .api(
            Method::GET,
            &format!("/api/v1/destinations/{destination}"),
            None,
        )
        .await;
    assert_eq!(shown["pending_deliveries"], 0, "{shown}");
}

#[tokio::test]
async fn retry_after_is_honored() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    receiver.set_mode("retry-after:2").await;
    let server = Server::with_settings(&[("HOOKYARD_RETRY_SCHEDULE", "100ms,100ms,100ms")]).await;
    let source = github_source(&server).await;
    http_destination(&server, &receiver, json!({})).await;
    send_github(&server, &source, "push", "d-1", &push("octo/app", 1)).await;
    let log = receiver
        .wait_for(Duration::from_secs(10), "two attempts", |log| {
            log.len() >= 2
        })
        .await;
    let gap = log[1]["at"].as_f64().unwrap() - log[0]["at"].as_f64().unwrap();
    assert!(
        gap >= 1.9,
        "the second attempt came {gap:.2}s after a 429 with Retry-After: 2"
    );
}

#[tokio::test]
async fn a_burst_with_one_subject_is_one_coalesced_delivery_even_across_a_sigkill() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    let mut server = Server::start().await;
    let source = github_source(&server).await;
    http_destination(
        &server,
        &receiver,
        json!({ "coalesce": { "key": "$.subject", "quiet_ms": 1500, "max_wait_ms": 20000 } }),
    )
    .await;
    let mut sent = HashSet::new();
    for n in 0..12 {
        sent.insert(
            send_github(
                &server,
                &source,
                "push",
                &format!("d-{n}"),
                &push("octo/app", n),
            )
            .await,
        );
    }
    let other = send_github(&server, &source, "push", "d-other", &push("octo/lib", 99)).await;
    // The batch waits for quiet; the server dies meanwhile and comes back.
    server.kill();
    server.restart().await;

    receiver
        .wait_for(Duration::from_secs(20), "two batches", |log| log.len() >= 2)
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let log = receiver.received().await;
    assert_eq!(log.len(), 2, "one delivery per subject: {log:#?}");
    let batch = log
        .iter()
        .find(|r| r["body"].as_array().is_some_and(|b| b.len() == 12))
        .expect("the 12 events of octo/app in one delivery");
    assert_eq!(batch["content_type"], "application/cloudevents-batch+json");
    assert_eq!(batch["verified"], true);
    let ids: HashSet<String> = batch["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, sent);
    let single = log.iter().find(|r| r != &batch).unwrap();
    assert_eq!(single["body"].as_array().unwrap()[0]["id"], other.as_str());
}

#[tokio::test]
async fn events_are_published_to_nats_jetstream_with_their_ids() {
    let nats = async_nats::connect("127.0.0.1:4222")
        .await
        .expect("NATS on 127.0.0.1:4222");
    let jetstream = async_nats::jetstream::new(nats);
    let tag = format!("hyt{}", hookyard_e2e::free_port());
    let stream_name = tag.to_uppercase();
    let mut stream = jetstream
        .create_stream(async_nats::jetstream::stream::Config {
            name: stream_name.clone(),
            subjects: vec![format!("{tag}.>")],
            ..Default::default()
        })
        .await
        .expect("creating a stream");

    let server = Server::start().await;
    let source = github_source(&server).await;
    create_destination(
        &server,
        json!({ "name": "bus", "kind": "nats", "url": "nats://127.0.0.1:4222",
                "subject": format!("{tag}.{{type}}"), "event_types": ["push", "pull_request.*"] }),
    )
    .await;
    let a = send_github(&server, &source, "push", "d-a", &push("octo/app", 1)).await;
    let b = send_github(
        &server,
        &source,
        "pull_request",
        "d-b",
        &json!({ "action": "closed", "repository": { "full_name": "octo/app" } }),
    )
    .await;
    send_github(
        &server,
        &source,
        "issues",
        "d-c",
        &json!({ "action": "opened" }),
    )
    .await;

    wait_deliveries(
        &server,
        "state=delivered",
        Duration::from_secs(20),
        "PubAcks",
        |rows| rows.len() == 2,
    )
    .await;
    let info = stream.info().await.unwrap();
    assert_eq!(info.state.messages, 2);
    let mut seen = HashMap::new();
    for seq in 1..=2 {
        let message = stream.get_raw_message(seq).await.unwrap();
        let id = message
            .headers
            .get("Nats-Msg-Id")
            .expect("Nats-Msg-Id")
            .as_str()
            .to_string();
        let body: Value = serde_json::from_slice(&message.payload).unwrap();
        assert_eq!(body["id"], id.as_str(), "Nats-Msg-Id is the event id");
        seen.insert(id, message.subject.to_string());
    }
    assert_eq!(seen[&a], format!("{tag}.push"));
    assert_eq!(seen[&b], format!("{tag}.pull_request.closed"));
    jetstream.delete_stream(&stream_name).await.unwrap();
}

#[tokio::test]
async fn the_ssrf_guard_refuses_internal_destinations_unless_allowed() {
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    let mut server = Server::with_settings(&[("HOOKYARD_ALLOW_DESTINATION_NETWORKS", "")]).await;
    // IP literals, and names that resolve to internal addresses, are refused
    // when the destination is created.
    for url in [
        "http://127.0.0.1:9/x",
        "http://[::ffff:169.254.169.254]/x",
        "http://10.0.0.1/x",
        "http://localhost:9/x",
    ] {
        let (status, answer) = server
            .api(
                Method::POST,
                "/api/v1/destinations",
                Some(json!({ "name": url, "kind": "http", "url": url })),
            )
            .await;
        assert_eq!(status, 422, "{url}: {answer}");
        let message = answer["message"].as_str().unwrap();
        assert!(
            message.contains("internal address")
                && message.contains("--allow-destination-networks"),
            "{answer}"
        );
    }
    let (_, all) = server.api(Method::GET, "/api/v1/destinations", None).await;
    assert_eq!(all, json!([]));

    // A destination created while its network was allowed, after the
    // operator closes it: every attempt is refused at resolution (the check
    // at connect time, which no DNS answer can get around), and nothing
    // reaches the receiver.
    server.args = vec!["--allow-destination-networks".into(), "127.0.0.0/8".into()];
    server.restart().await;
    let source = github_source(&server).await;
    let port = receiver.url.rsplit(':').next().unwrap();
    create_destination(
        &server,
        json!({ "name": "sneaky", "kind": "http", "url": format!("http://localhost:{port}/x") }),
    )
    .await;
    server.args = vec!["--allow-destination-networks".into(), String::new()];
    server.restart().await;
    send_github(&server, &source, "push", "d-1", &push("octo/app", 1)).await;
    let rows = wait_deliveries(
        &server,
        "",
        Duration::from_secs(10),
        "a refused attempt",
        |rows| {
            rows.first()
                .is_some_and(|r| r["attempts"].as_u64() >= Some(1))
        },
    )
    .await;
    assert!(
        rows[0]["last_error"].as_str().unwrap().contains("SSRF"),
        "{rows:#?}"
    );
    assert!(receiver.received().await.is_empty());
}

#[tokio::test]
async fn consumers_tail_events_by_long_poll_and_server_sent_events() {
    let server = Server::start().await;
    let source = github_source(&server).await;

    // Long poll: answers as soon as a matching event is committed.
    let base = server.base.clone();
    let http = server.http.clone();
    let poll = tokio::spawn(async move {
        let started = Instant::now();
        let page: Value = http
            .get(format!("{base}/api/v1/events?type=pull_request.*&wait=20"))
            .bearer_auth(hookyard_e2e::ADMIN_TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (page, started.elapsed())
    });
    // The stream, from now on, for pull requests only.
    let mut stream = server
        .http
        .get(format!(
            "{}/api/v1/events/stream?type=pull_request.*",
            server.base
        ))
        .bearer_auth(hookyard_e2e::ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    // The handler fixes the stream's start (the newest committed event)
    // before it answers, so once the headers are here, every later commit is
    // on the stream: no need to wait.
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    send_github(&server, &source, "push", "d-1", &push("octo/app", 1)).await;
    let pr = send_github(
        &server,
        &source,
        "pull_request",
        "d-2",
        &json!({ "action": "opened", "repository": { "full_name": "octo/app" } }),
    )
    .await;

    let (page, waited) = poll.await.unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["data"][0]["id"], pr.as_str());
    assert!(
        waited < Duration::from_secs(20),
        "answered on the commit, not the timeout"
    );

    let mut text = String::new();
    let frame = tokio::time::timeout(Duration::from_secs(10), async {
        while !text.contains("\n\n") {
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        text.clone()
    })
    .await
    .expect("an event on the stream");
    let data = frame
        .lines()
        .find_map(|l| l.strip_prefix("data:"))
        .expect("a data line");
    let event: Value = serde_json::from_str(data.trim()).unwrap();
    assert_eq!(
        event["id"],
        pr.as_str(),
        "the push was filtered out: {frame}"
    );
    assert!(frame.lines().any(|l| l.starts_with("id:")), "{frame}");
}
