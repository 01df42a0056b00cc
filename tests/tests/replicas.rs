//! Several replicas on one PostgreSQL database: ingest on any, the outbox
//! drained by all without losing an event, changes seen by every replica.
//! They need PostgreSQL: `./dev test` runs them in its PostgreSQL pass and
//! skips them by name (`postgres_only_`) in its SQLite pass, so the summary
//! counts them as filtered out; run on SQLite, each fails saying so.

use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{Server, sign};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

const GITHUB_SECRET: &str = "replica-github-secret";
const DESTINATION_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Sends GitHub delivery `n` to `server`; the stored event's id if it
/// answered 200, `None` if it could not answer (killed).
async fn send(server: &Server, key: &str, n: usize) -> Option<String> {
    let body = json!({ "ref": "refs/heads/main", "after": format!("{n:040}"), "n": n });
    let signed = sign::github(GITHUB_SECRET, "push", &format!("d-{n}"), &body.to_string());
    let mut call = server
        .http
        .post(format!("{}/webhooks/{key}", server.base))
        .body(signed.body.clone());
    for (name, value) in &signed.headers {
        call = call.header(name, value);
    }
    let response = call.send().await.ok()?;
    if response.status() != 200 {
        return None;
    }
    let answer: Value = response.json().await.ok()?;
    Some(answer["events"][0].as_str()?.to_string())
}

/// 10,000 signed requests spread over two replicas, one of them killed with
/// SIGKILL half-way (its requests then go to the survivor, as a load balancer
/// would send them): every acknowledged event reaches the receiver, and an
/// event received twice (its attempt was in flight at the kill) carries the
/// same event id both times.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_only_two_replicas_deliver_every_acknowledged_event_when_one_is_killed() {
    let first = Server::start().await;
    first.require_postgres();
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    let source = first
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    let (status, destination) = first
        .api(
            Method::POST,
            "/api/v1/destinations",
            Some(json!({
                "name": "receiver",
                "kind": "http",
                "url": format!("{}/hooks", receiver.url),
                "secret": DESTINATION_SECRET,
                "timeout_ms": 2000,
            })),
        )
        .await;
    assert_eq!(status, 201, "{destination}");
    let second = Arc::new(tokio::sync::RwLock::new(first.replica().await));
    let first = Arc::new(first);

    const TOTAL: usize = 10_000;
    let killed_at = TOTAL / 2;
    let mut acknowledged: HashMap<String, usize> = HashMap::new();
    let mut pending = tokio::task::JoinSet::new();
    for n in 0..TOTAL {
        if pending.len() >= 32
            && let Some((n, id)) = pending.join_next().await.unwrap().unwrap()
        {
            acknowledged.insert(id, n);
        }
        if n == killed_at {
            second.write().await.kill();
        }
        let (first, second, key) = (first.clone(), second.clone(), source.key.clone());
        pending.spawn(async move {
            if n % 2 == 1 && n < killed_at {
                // A request in flight at the kill may go unanswered.
                let second = second.read().await;
                return send(&second, &key, n).await.map(|id| (n, id));
            }
            let id = send(&first, &key, n)
                .await
                .expect("the surviving replica answers");
            Some((n, id))
        });
    }
    while let Some(done) = pending.join_next().await {
        if let Some((n, id)) = done.unwrap() {
            acknowledged.insert(id, n);
        }
    }
    assert!(
        acknowledged.len() >= TOTAL - 64,
        "only {} of {TOTAL} requests were acknowledged",
        acknowledged.len()
    );

    // Rows the killed replica had claimed come back when their lease ends.
    let log = receiver
        .wait_for(
            Duration::from_secs(180),
            "every acknowledged event",
            |log| {
                let delivered: HashSet<&str> = log
                    .iter()
                    .filter(|r| r["status"] == 200)
                    .filter_map(|r| r["webhook_id"].as_str())
                    .collect();
                acknowledged
                    .keys()
                    .all(|id| delivered.contains(id.as_str()))
            },
        )
        .await;
    assert!(
        log.iter().all(|r| r["verified"] == true),
        "every attempt signed"
    );
    // A vendor delivery is one event, whichever replica stored it and however
    // often it went out.
    let mut ids_of_delivery: HashMap<u64, HashSet<&str>> = HashMap::new();
    for r in &log {
        let n = r["body"]["data"]["n"].as_u64().expect("the push's n");
        ids_of_delivery
            .entry(n)
            .or_default()
            .insert(r["webhook_id"].as_str().unwrap());
    }
    for (n, ids) in &ids_of_delivery {
        assert_eq!(
            ids.len(),
            1,
            "delivery d-{n} went out as several events: {ids:?}"
        );
    }
    for (id, n) in &acknowledged {
        assert!(
            ids_of_delivery[&(*n as u64)].contains(id.as_str()),
            "d-{n} was acknowledged as {id}"
        );
    }
    // The server's rows agree: nothing stays pending (a lease of the killed
    // replica ran out and the row was sent and recorded), nothing is dead.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, pending) = first
            .api(
                Method::GET,
                "/api/v1/deliveries?state=pending&limit=5",
                None,
            )
            .await;
        if pending["data"].as_array().unwrap().is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "still pending: {pending:#}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let (_, dead) = first
        .api(Method::GET, "/api/v1/deliveries?state=dead&limit=5", None)
        .await;
    assert_eq!(dead["data"], json!([]));
}

/// A source created on one replica is served by the other within a second,
/// and one disabled there is refused here within a second (LISTEN/NOTIFY).
#[tokio::test]
async fn postgres_only_a_change_on_one_replica_is_seen_by_the_other_within_a_second() {
    let first = Server::start().await;
    first.require_postgres();
    let second = first.replica().await;
    let source = first
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    let started = Instant::now();
    while send(&second, &source.key, 1).await.is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the replica did not serve the new source within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let (status, _) = second
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}", source.id),
            Some(json!({ "enabled": false })),
        )
        .await;
    assert_eq!(status, 200);
    let started = Instant::now();
    loop {
        let body = json!({ "ref": "refs/heads/main", "n": 2 });
        let signed = sign::github(GITHUB_SECRET, "push", "d-2", &body.to_string());
        let (status, _) = first.deliver(&source.key, &signed).await;
        if status == 403 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "the first replica still accepts a source disabled on the second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A key rotated with a grace period on one replica, and a secret expiring
/// there, behave the same on the other: the old key works during its grace
/// and stops after it; an expired secret stops verifying.
#[tokio::test]
async fn postgres_only_key_grace_and_secret_expiry_hold_on_every_replica() {
    let first = Server::start().await;
    first.require_postgres();
    let second = first.replica().await;
    let source = first
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    let (status, rotated) = first
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/rotate-key", source.id),
            Some(json!({ "grace_seconds": 3 })),
        )
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new_key = rotated["key"].as_str().unwrap().to_string();
    // The second replica learns the rotation within a second.
    let started = Instant::now();
    while send(&second, &new_key, 10).await.is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "rotation not seen"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        send(&second, &source.key, 11).await.is_some(),
        "old key in grace"
    );
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert!(send(&second, &source.key, 12).await.is_none(), "grace over");
    assert!(send(&second, &new_key, 13).await.is_some());

    // A second secret added on the first, the original expiring there: the
    // second replica verifies with the new one only.
    const NEWER: &str = "replica-newer-secret";
    let (_, shown) = first
        .api(Method::GET, &format!("/api/v1/sources/{}", source.id), None)
        .await;
    let original = shown["secrets"][0]["id"].as_str().unwrap().to_string();
    let (status, _) = first
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/secrets", source.id),
            Some(json!({ "secret": NEWER })),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = first
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}/secrets/{original}", source.id),
            Some(json!({ "expires_in_seconds": 1 })),
        )
        .await;
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let signed_with = |secret: &str, n: usize| {
        let body = json!({ "ref": "refs/heads/main", "n": n });
        sign::github(secret, "push", &format!("d-{n}"), &body.to_string())
    };
    let (status, _) = second
        .deliver(&new_key, &signed_with(GITHUB_SECRET, 14))
        .await;
    assert_eq!(
        status, 401,
        "the expired secret no longer verifies on the replica"
    );
    let (status, answer) = second.deliver(&new_key, &signed_with(NEWER, 15)).await;
    assert_eq!(status, 200, "{answer}");
}

/// A source whose limits say `shared_rate` has one rate budget for every
/// replica: a burst of 4 spread over two replicas lets 4 requests through,
/// not 4 on each. The same limits without it let each replica spend its own
/// burst (the control: 8 of 8 accepted).
#[tokio::test]
async fn postgres_only_a_shared_rate_budget_counts_the_requests_of_every_replica() {
    let first = Server::start().await;
    first.require_postgres();
    let mut sources = Vec::new();
    for shared in [true, false] {
        let source = first
            .create_source("github", &[GITHUB_SECRET], json!({}))
            .await;
        let limits = json!({ "rate_per_second": 1, "burst": 4, "shared_rate": shared });
        first.set_limits(&source.id, limits).await;
        sources.push((shared, source));
    }
    // Started after the change: it loads the limits as they are now.
    let second = first.replica().await;

    for (shared, source) in &sources {
        let started = Instant::now();
        let mut accepted = 0;
        for n in 0..8 {
            let replica = if n % 2 == 0 { &first } else { &second };
            let body = json!({ "ref": "refs/heads/main", "n": n });
            let signed = sign::github(
                GITHUB_SECRET,
                "push",
                &format!("r-{shared}-{n}"),
                &body.to_string(),
            );
            let (status, answer) = replica.deliver(&source.key, &signed).await;
            match status {
                200 => accepted += 1,
                429 => assert_eq!(answer, json!({ "error": "rate_limited" })),
                other => panic!("unexpected {other}: {answer}"),
            }
        }
        if *shared {
            // The burst, plus at most one per second that passed.
            let budget = 4 + started.elapsed().as_secs() as usize;
            assert!(
                (4..=budget).contains(&accepted),
                "{accepted} of 8 accepted on a shared budget of 4 (+{} s)",
                started.elapsed().as_secs()
            );
        } else {
            assert_eq!(accepted, 8, "each replica has its own burst of 4");
        }
    }
}

/// `--shared-rate-limits` shares every source's budget between replicas
/// (no per-source setting needed); when the database cannot be reached the
/// budget cannot be taken, and the request gets 503 `storage_failed`, not a
/// free pass.
#[tokio::test]
async fn postgres_only_shared_rate_limits_for_every_source_fail_closed_without_the_database() {
    let first = Server::with_args(
        hookyard_e2e::bundled_plugins(),
        &[
            "--shared-rate-limits",
            "--rate-limit",
            "1",
            "--rate-burst",
            "3",
        ],
    )
    .await;
    first.require_postgres();
    let second = first.replica().await;
    let source = first
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    let started = Instant::now();
    let mut accepted = 0;
    for n in 0..8 {
        let replica = if n % 2 == 0 { &first } else { &second };
        if send(replica, &source.key, 100 + n).await.is_some() {
            accepted += 1;
        }
    }
    let budget = 3 + started.elapsed().as_secs() as usize;
    assert!(
        (3..=budget).contains(&accepted),
        "{accepted} of 8 accepted on a shared budget of 3"
    );

    // The database goes away: no connection is allowed any more.
    let url = first.database_url();
    let name = url.rsplit('/').next().unwrap().split('?').next().unwrap();
    let admin = hookyard_e2e::postgres_url().unwrap();
    let psql = |sql: String| {
        let out = std::process::Command::new("psql")
            .args([admin.as_str(), "-qAt", "-v", "ON_ERROR_STOP=1", "-c", &sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    psql(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"));
    psql(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let body = json!({ "ref": "refs/heads/main", "n": "down" });
    let signed = sign::github(GITHUB_SECRET, "push", "d-down", &body.to_string());
    let (status, answer) = first.deliver(&source.key, &signed).await;
    assert_eq!(
        (status, answer),
        (503, json!({ "error": "storage_failed" })),
        "no budget, no free pass"
    );
    psql(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _) = first.deliver(&source.key, &signed).await;
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "never recovered: {status}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(first.events(&source.id).await.len(), accepted + 1);
}

/// A transaction held open on the server's database, the way another
/// replica's group commit is open while this one commits: it takes an event
/// `seq` now and commits when told.
struct OpenTransaction {
    psql: tokio::process::Child,
}

impl OpenTransaction {
    /// Begins, runs `sql`, and returns once it has run (psql prints `ready`).
    async fn begin(database_url: &str, sql: &str) -> OpenTransaction {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let mut psql = tokio::process::Command::new("psql")
            .args([database_url, "-qAt", "-v", "ON_ERROR_STOP=1"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("running psql");
        let stdin = psql.stdin.as_mut().unwrap();
        let script = format!("BEGIN;\n{sql};\nSELECT 'ready';\n");
        stdin.write_all(script.as_bytes()).await.unwrap();
        let mut lines = BufReader::new(psql.stdout.take().unwrap()).lines();
        let line = lines.next_line().await.unwrap();
        assert_eq!(line.as_deref(), Some("ready"), "psql ran {sql:?}");
        OpenTransaction { psql }
    }

    async fn commit(mut self) {
        use tokio::io::AsyncWriteExt;
        let mut stdin = self.psql.stdin.take().unwrap();
        stdin.write_all(b"COMMIT;\n").await.unwrap();
        drop(stdin);
        assert!(self.psql.wait().await.unwrap().success(), "psql COMMIT");
    }
}

/// Several replicas commit at once, so an event can commit after another
/// that took a higher `seq`. A consumer following `next_cursor` still gets
/// every event once, late ones included: a page waits for a short older
/// transaction to end; past a second it answers without the events that
/// transaction could precede, and a long poll (woken by no commit of its own
/// server) brings them when it ends.
#[tokio::test]
async fn postgres_only_a_consumer_tailing_events_misses_none_that_commit_out_of_order() {
    let server = Arc::new(Server::start().await);
    server.require_postgres();
    let source = server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    // "Another replica": its event takes a seq first and commits last.
    let late_event = |id: &str| {
        format!(
            "INSERT INTO events (id, source_id, type, dedup_id, received_at, plugin,
                plugin_version, plugin_hash, request_id, data)
             VALUES ('{id}', '{}', 'push', '{id}', 0, 'github', '0', '0', 'req_{id}', '{{}}')",
            source.id
        )
    };
    let page = |cursor: Option<String>, wait: u64| {
        let server = server.clone();
        let source_id = source.id.clone();
        async move {
            let cursor = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
            let path = format!("/api/v1/events?source_id={source_id}&wait={wait}{cursor}");
            let (status, page) = server.api(Method::GET, &path, None).await;
            assert_eq!(status, 200, "{page}");
            let ids: Vec<String> = page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect();
            (ids, page["next_cursor"].as_str().map(str::to_string))
        }
    };

    // Held open for a moment: the page read meanwhile waits and shows both.
    let late = OpenTransaction::begin(&server.database_url(), &late_event("evt_late_1")).await;
    let first = send(&server, &source.key, 1).await.expect("accepted");
    let reading = tokio::spawn(page(None, 0));
    tokio::time::sleep(Duration::from_millis(300)).await;
    late.commit().await;
    let (ids, cursor) = reading.await.unwrap();
    assert_eq!(
        ids,
        vec!["evt_late_1".to_string(), first],
        "both, late one first"
    );

    // Held open longer than a page waits: the page answers without the
    // newer event, and the long poll after it gets both once it commits.
    let late = OpenTransaction::begin(&server.database_url(), &late_event("evt_late_2")).await;
    let second = send(&server, &source.key, 2).await.expect("accepted");
    let (mut seen, cursor) = page(cursor, 0).await;
    let poll = tokio::spawn(page(cursor, 20));
    tokio::time::sleep(Duration::from_millis(300)).await;
    late.commit().await;
    let (ids, cursor) = poll.await.unwrap();
    seen.extend(ids);
    let (ids, _) = page(cursor, 0).await;
    seen.extend(ids);
    assert_eq!(
        seen,
        vec!["evt_late_2".to_string(), second],
        "each once, late one included"
    );
}
