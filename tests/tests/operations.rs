//! Operating the server: a stop (SIGTERM) under load answers what is in
//! flight and leaves no delivery leased; a backup taken under load restores
//! every event acknowledged before it began. Checked in the rows the server
//! leaves behind, on SQLite and PostgreSQL.

use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{Server, Source, sign};
use reqwest::Method;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const GITHUB_SECRET: &str = "Hq4-operations-github-secret";
const DESTINATION_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn setup(grace_seconds: &str, mode: &str) -> (Server, Source, Receiver) {
    let mut server = Server::start().await;
    server.args = vec!["--shutdown-grace-seconds".into(), grace_seconds.into()];
    server.restart().await;
    let source = server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    receiver.set_mode(mode).await;
    let (status, created) = server
        .api(
            Method::POST,
            "/api/v1/destinations",
            Some(json!({
                "name": "slow receiver",
                "kind": "http",
                "url": format!("{}/hooks", receiver.url),
                "secret": DESTINATION_SECRET,
                "timeout_ms": 20_000,
            })),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    (server, source, receiver)
}

fn push(n: usize) -> sign::Signed {
    let body = json!({ "ref": "refs/heads/main", "after": format!("{n:040}"),
                       "repository": { "full_name": "acme/ops" } });
    sign::github(
        GITHUB_SECRET,
        "push",
        &format!("ops-{n}"),
        &body.to_string(),
    )
}

/// Sends one webhook; `None` once the server no longer answers.
async fn send(http: &reqwest::Client, base: &str, key: &str, n: usize) -> Option<(u16, Value)> {
    let signed = push(n);
    let mut request = http
        .post(format!("{base}/webhooks/{key}"))
        .body(signed.body.clone());
    for (name, value) in &signed.headers {
        request = request.header(name, value);
    }
    let response = request.send().await.ok()?;
    let status = response.status().as_u16();
    Some((status, response.json().await.unwrap_or(Value::Null)))
}

/// Four clients sending pushes until told to stop or the server is gone;
/// the ids of every event answered 2xx go to `acknowledged` as they come.
fn load(
    server: &Server,
    source: &Source,
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<String>>>,
) -> tokio::task::JoinSet<()> {
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..4 {
        let (http, base, key, stop, acknowledged) = (
            reqwest::Client::new(),
            server.base.clone(),
            source.key.clone(),
            stop.clone(),
            acknowledged.clone(),
        );
        clients.spawn(async move {
            let mut n = 1_000_000 * (client + 1);
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                match send(&http, &base, &key, n).await {
                    Some((status, answer)) if (200..300).contains(&status) => {
                        acknowledged.lock().unwrap().extend(event_ids(&answer))
                    }
                    Some((status, answer)) => panic!("{status} {answer} before the stop"),
                    None => break,
                }
            }
        });
    }
    clients
}

/// Waits until the load has `n` more events acknowledged than it had.
async fn wait_for_more(acknowledged: &Mutex<Vec<String>>, n: usize) {
    let target = acknowledged.lock().unwrap().len() + n;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < target {
        assert!(std::time::Instant::now() < deadline, "the load stalled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn event_ids(answer: &Value) -> Vec<String> {
    answer["events"]
        .as_array()
        .expect("an answer with events")
        .iter()
        .map(|id| id.as_str().unwrap().to_string())
        .collect()
}

fn quoted(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(",")
}

/// SIGTERM while four clients send and a delivery attempt is in flight: the
/// process exits cleanly within its grace, every request answered 2xx has its
/// event, the attempt finishes and is recorded, and no row stays leased.
#[tokio::test]
async fn sigterm_under_load_answers_what_is_in_flight_and_leaves_no_lease() {
    let (mut server, source, receiver) = setup("5", "slow:1.5").await;
    let http = reqwest::Client::new();
    let (status, answer) = send(&http, &server.base, &source.key, 1).await.unwrap();
    assert_eq!(status, 200, "{answer}");
    receiver
        .wait_for(Duration::from_secs(10), "the first attempt", |log| {
            !log.is_empty()
        })
        .await;

    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(event_ids(&answer)));
    let mut clients = load(&server, &source, stop.clone(), acknowledged.clone());
    wait_for_more(&acknowledged, 20).await;
    let (exit, took) = server.terminate(Duration::from_secs(20));
    stop.store(true, Ordering::Relaxed);
    assert!(exit.success(), "exit status {exit}: {}", server.log());
    assert!(
        took < Duration::from_secs(10),
        "stopping took {took:?}, past the 5 s grace and its margin"
    );
    while let Some(client) = clients.join_next().await {
        client.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let stored = server.query_count(&format!(
        "SELECT COUNT(*) FROM events WHERE id IN ({})",
        quoted(&acknowledged)
    ));
    assert_eq!(
        stored as usize,
        acknowledged.len(),
        "every 2xx has its event"
    );
    let leased = server
        .query_count("SELECT COUNT(*) FROM deliveries WHERE state = 'pending' AND lease_until > 0");
    assert_eq!(leased, 0, "no delivery stays leased: {}", server.log());
    // Every attempt the receiver saw finished within the grace and is
    // recorded, as delivered.
    let seen = receiver.received().await.len() as i64;
    let recorded = server.query_count("SELECT COUNT(*) FROM delivery_attempts WHERE status = 200");
    assert_eq!(recorded, seen, "attempts recorded: {}", server.log());
    assert_eq!(
        server.query_count("SELECT COUNT(*) FROM deliveries WHERE state = 'delivered'"),
        seen
    );
    assert!(server.log().contains("stopped in"), "{}", server.log());
}

/// An attempt that outlives the grace is cut short and its lease freed: the
/// process exits within the bound, the row is pending and unleased, and the
/// next start delivers it at once with the same message id.
#[tokio::test]
async fn sigterm_frees_the_lease_of_an_attempt_that_outlives_the_grace() {
    let (mut server, source, receiver) = setup("1", "hang").await;
    let http = reqwest::Client::new();
    let (status, answer) = send(&http, &server.base, &source.key, 1).await.unwrap();
    assert_eq!(status, 200, "{answer}");
    receiver
        .wait_for(Duration::from_secs(10), "the hanging attempt", |log| {
            !log.is_empty()
        })
        .await;
    assert_eq!(
        server.query_count("SELECT COUNT(*) FROM deliveries WHERE lease_until > 0"),
        1,
        "the attempt holds its lease"
    );

    let (exit, took) = server.terminate(Duration::from_secs(20));
    assert!(exit.success(), "exit status {exit}: {}", server.log());
    assert!(took < Duration::from_secs(7), "stopping took {took:?}");
    assert!(
        server.log().contains("their leases are freed"),
        "{}",
        server.log()
    );
    assert_eq!(
        server.query_count(
            "SELECT COUNT(*) FROM deliveries WHERE state = 'pending' AND lease_until = 0"
        ),
        1
    );
    assert_eq!(
        server.query_count("SELECT COUNT(*) FROM delivery_attempts"),
        0
    );

    receiver.set_mode("ok").await;
    server.restart().await;
    let log = receiver
        .wait_for(Duration::from_secs(10), "the attempt again", |log| {
            log.len() >= 2
        })
        .await;
    assert_eq!(
        log[0]["webhook_id"], log[1]["webhook_id"],
        "same message id"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while server.query_count("SELECT COUNT(*) FROM deliveries WHERE state = 'delivered'") != 1 {
        assert!(std::time::Instant::now() < deadline, "not delivered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `hookyard backup` while four clients send: the copy passes SQLite's
/// checks, a server started on it has every event acknowledged before the
/// backup began (and no event the copy's count does not account for), and
/// it serves.
#[tokio::test]
async fn sqlite_only_a_backup_under_load_restores_every_acknowledged_event() {
    let mut server = Server::start().await;
    server.require_sqlite();
    let source = server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut clients = load(&server, &source, stop.clone(), acknowledged.clone());
    wait_for_more(&acknowledged, 50).await;

    let before = acknowledged.lock().unwrap().clone();
    let copy = server.dir.path().join("backup.db");
    let (database, to) = (server.database_url(), copy.clone());
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(hookyard_e2e::binary())
            .args(["backup", "--database", &database, "--to"])
            .arg(&to)
            .output()
            .expect("running hookyard backup")
    })
    .await
    .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    wait_for_more(&acknowledged, 20).await;
    stop.store(true, Ordering::Relaxed);
    while let Some(client) = clients.join_next().await {
        client.unwrap();
    }
    let after = acknowledged.lock().unwrap().len();
    let copied: i64 = printed
        .strip_prefix("backed up ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {printed:?}"));
    assert!(
        printed.contains("master key is not in the backup"),
        "{printed}"
    );

    // A second backup to the same file is refused.
    let again = std::process::Command::new(hookyard_e2e::binary())
        .args(["backup", "--database", &server.database_url(), "--to"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));

    // Restore: the copy in place of the database (its WAL files gone).
    server.kill();
    let db = server.dir.path().join("hookyard.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&copy, &db).unwrap();
    server.restart().await;
    assert_eq!(
        server.query_count(&format!(
            "SELECT COUNT(*) FROM events WHERE id IN ({})",
            quoted(&before)
        )),
        before.len() as i64,
        "every event acknowledged before the backup began is in it"
    );
    assert_eq!(server.query_count("SELECT COUNT(*) FROM events"), copied);
    assert!(copied as usize <= after);
    let (status, answer) = send(&reqwest::Client::new(), &server.base, &source.key, 7)
        .await
        .unwrap();
    assert_eq!(status, 200, "the restored server serves: {answer}");
}

/// PostgreSQL is backed up with pg_dump: the command says so.
#[tokio::test]
async fn postgres_only_backup_points_to_pg_dump() {
    let server = Server::start().await;
    server.require_postgres();
    let out = std::process::Command::new(hookyard_e2e::binary())
        .args(["backup", "--database", &server.database_url(), "--to"])
        .arg(server.dir.path().join("copy.db"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
}

/// `--log-format json`: every log line is one JSON object with a time, a
/// level, the module and the message, and an event's fields at top level.
#[tokio::test]
async fn json_logs_are_one_object_per_line() {
    let server =
        Server::with_args(hookyard_e2e::bundled_plugins(), &["--log-format", "json"]).await;
    let source = server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    let (status, _) = send(&reqwest::Client::new(), &server.base, &source.key, 1)
        .await
        .unwrap();
    assert_eq!(status, 200);
    let log = server.log();
    let mut objects = Vec::new();
    for line in log.lines() {
        // What serve prints for people goes to stdout, which the harness
        // writes to the same file.
        if line.starts_with("hookyard listening on") {
            continue;
        }
        let object: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line:?}"));
        for key in ["timestamp", "level", "target", "message"] {
            assert!(object.get(key).is_some(), "no {key} in {line}");
        }
        objects.push(object);
    }
    let created = objects
        .iter()
        .find(|o| o["message"] == "source created")
        .unwrap_or_else(|| panic!("no source created line in {log}"));
    assert_eq!(created["source"], source.id.as_str());
    assert_eq!(created["level"], "INFO");
}
