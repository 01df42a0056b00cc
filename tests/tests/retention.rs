//! Retention: old rows of every kind go, in the server's own pruning passes;
//! an event still waiting for a delivery stays; the request log keeps its
//! newest rows under a cap; a SQLite file gives the space back. Checked in
//! the rows, on SQLite and PostgreSQL.

use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{Server, Source, sign};
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

const GITHUB_SECRET: &str = "r3t-retention-github-secret";
const DESTINATION_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const TWO_DAYS_MS: i64 = 2 * 86_400_000;

/// A server pruning every second, with `flags`.
async fn pruning_server(flags: &[&str], env: &[(&str, &str)]) -> (Server, Source) {
    let mut server = Server::with_settings(env).await;
    server.args = ["--prune-every-seconds", "1"]
        .iter()
        .chain(flags)
        .map(|s| s.to_string())
        .collect();
    server.restart().await;
    let source = server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    (server, source)
}

/// Sends GitHub push `n` with `padding` bytes of filler; returns the event id.
async fn push(server: &Server, source: &Source, n: usize, padding: usize) -> String {
    let body = json!({ "ref": "refs/heads/main", "after": format!("{n:040}"),
                       "repository": { "full_name": "acme/retention" },
                       "padding": "x".repeat(padding) });
    let signed = sign::github(
        GITHUB_SECRET,
        "push",
        &format!("retention-{n}"),
        &body.to_string(),
    );
    let (status, answer) = server.deliver(&source.key, &signed).await;
    assert_eq!(status, 200, "{answer}");
    answer["events"][0].as_str().unwrap().to_string()
}

async fn wait_until(server: &Server, what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Past their retention, an event with its delivered row and attempts, the
/// request log, the audit log and shadow differences go; an old event whose
/// delivery is still pending stays with its row and attempt, and so does a
/// young event.
#[tokio::test]
async fn old_rows_go_and_an_event_waiting_for_delivery_stays() {
    let days = [
        "--event-retention-days",
        "1",
        "--request-retention-days",
        "1",
        "--delivery-retention-days",
        "1",
        "--audit-retention-days",
        "1",
        "--shadow-retention-days",
        "1",
    ];
    let (server, source) = pruning_server(&days, &[("HOOKYARD_RETRY_SCHEDULE", "1h")]).await;
    let receiver = Receiver::start(DESTINATION_SECRET).await;
    let (status, created) = server
        .api(
            Method::POST,
            "/api/v1/destinations",
            Some(json!({ "name": "receiver", "kind": "http",
                         "url": format!("{}/hooks", receiver.url),
                         "secret": DESTINATION_SECRET })),
        )
        .await;
    assert_eq!(status, 201, "{created}");

    let delivered = push(&server, &source, 1, 0).await;
    let delivery_of =
        |event: &str| format!("SELECT COUNT(*) FROM deliveries WHERE event_id = '{event}'");
    wait_until(&server, "the first delivery", || {
        server.query_count(&format!(
            "{} AND state = 'delivered'",
            delivery_of(&delivered)
        )) == 1
    })
    .await;
    receiver.set_mode("fail").await;
    let waiting = push(&server, &source, 2, 0).await;
    wait_until(&server, "the failed attempt", || {
        server.query_count("SELECT COUNT(*) FROM delivery_attempts") == 2
    })
    .await;
    server.execute_sql(
        "INSERT INTO shadow_diffs (plugin, live_version, live_hash, shadow_version, shadow_hash,
           source_id, request_id, recorded_at, differs, live, shadow)
         VALUES ('github', '1', 'h1', '2', 'h2', 'src', 'req', 1000, 'data', '{}', '{}')",
    );
    // Two days ago, as far as the database knows.
    server.execute_sql(&format!(
        "UPDATE events SET received_at = received_at - {TWO_DAYS_MS};
         UPDATE deliveries SET first_at = first_at - {TWO_DAYS_MS};
         UPDATE requests SET received_at = received_at - {TWO_DAYS_MS};
         UPDATE request_counts SET minute = minute - 2880;
         UPDATE audit_log SET at = at - {TWO_DAYS_MS};"
    ));
    let young = push(&server, &source, 3, 0).await;

    wait_until(&server, "the old delivered event to go", || {
        server.query_count(&format!(
            "SELECT COUNT(*) FROM events WHERE id = '{delivered}'"
        )) == 0
    })
    .await;
    wait_until(&server, "the old request rows to go", || {
        server.query_count("SELECT COUNT(*) FROM requests") == 1
    })
    .await;
    assert_eq!(server.query_count(&delivery_of(&delivered)), 0);
    assert_eq!(
        server.query_count(
            "SELECT COUNT(*) FROM delivery_attempts WHERE delivery_id NOT IN
               (SELECT id FROM deliveries)"
        ),
        0,
        "no attempt outlives its delivery"
    );
    for event in [&waiting, &young] {
        assert_eq!(
            server.query_count(&format!("SELECT COUNT(*) FROM events WHERE id = '{event}'")),
            1,
            "{event} stays"
        );
    }
    assert_eq!(
        server.query_count(&format!("{} AND state = 'pending'", delivery_of(&waiting))),
        1
    );
    assert_eq!(
        server.query_count(&format!(
            "SELECT COUNT(*) FROM delivery_attempts WHERE delivery_id IN
               (SELECT id FROM deliveries WHERE event_id = '{waiting}')"
        )),
        1,
        "the waiting delivery keeps its attempt"
    );
    assert_eq!(
        server.query_count(&format!(
            "SELECT COUNT(*) FROM requests WHERE received_at < {}",
            hookyard_e2e::now() - 86_400_000
        )),
        0
    );
    wait_until(&server, "old audit and shadow rows to go", || {
        server.query_count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE at < {}",
            hookyard_e2e::now() - 86_400_000
        )) + server.query_count("SELECT COUNT(*) FROM shadow_diffs")
            == 0
    })
    .await;
    assert!(
        server.log().contains("pruned past 1 days"),
        "{}",
        server.log()
    );
    // The stats' kept counts follow: events stored, and no per-minute
    // count older than the log it counts.
    assert_eq!(
        server.query_count("SELECT CAST(SUM(n) AS BIGINT) FROM event_counts"),
        server.query_count("SELECT COUNT(*) FROM events")
    );
    assert_eq!(
        server.query_count(&format!(
            "SELECT COUNT(*) FROM request_counts WHERE minute < {}",
            (hookyard_e2e::now() - 86_400_000) / 60_000
        )),
        0
    );
}

/// `--request-log-max-rows`: the newest rows stay, whatever their age.
#[tokio::test]
async fn the_request_log_keeps_its_newest_rows_under_a_cap() {
    let (server, source) = pruning_server(&["--request-log-max-rows", "3"], &[]).await;
    for n in 0..6 {
        push(&server, &source, n, 0).await;
    }
    wait_until(&server, "the cap", || {
        server.query_count("SELECT COUNT(*) FROM requests") == 3
    })
    .await;
    let newest: i64 = server.query_count("SELECT MAX(seq) FROM requests");
    assert_eq!(
        server.query_count(&format!(
            "SELECT COUNT(*) FROM requests WHERE seq > {newest} - 3"
        )),
        3
    );
    assert_eq!(
        server.query_count("SELECT COUNT(*) FROM events"),
        6,
        "events have their own retention"
    );
}

/// A new SQLite file gives pruned pages back: the file does not keep the
/// size of what it once held.
#[tokio::test]
async fn sqlite_only_pruning_gives_space_back() {
    let (mut server, source) = pruning_server(
        &[
            "--event-retention-days",
            "1",
            "--request-retention-days",
            "1",
        ],
        &[],
    )
    .await;
    server.require_sqlite();
    for n in 0..200 {
        push(&server, &source, n, 20_000).await;
    }
    let full = server.query_count("PRAGMA page_count");
    assert_eq!(server.query_count("PRAGMA auto_vacuum"), 2, "incremental");
    server.execute_sql(&format!(
        "UPDATE events SET received_at = received_at - {TWO_DAYS_MS};
         UPDATE requests SET received_at = received_at - {TWO_DAYS_MS};"
    ));
    wait_until(&server, "the events and requests to go", || {
        server.query_count("SELECT COUNT(*) FROM events")
            + server.query_count("SELECT COUNT(*) FROM requests")
            == 0
    })
    .await;
    wait_until(&server, "the pages to be given back", || {
        server.query_count("PRAGMA freelist_count") == 0
            && server.query_count("PRAGMA page_count") < full / 4
    })
    .await;
    server.restart().await;
    push(&server, &source, 1_000, 0).await;
}

/// A source's own retention prunes its rows on its own days, and the
/// server's days no longer touch them; every other source keeps the
/// server's.
#[tokio::test]
async fn a_source_keeps_its_rows_for_days_of_its_own() {
    let (server, usual) = pruning_server(
        &[
            "--event-retention-days",
            "3",
            "--request-retention-days",
            "3",
            "--raw-retention-days",
            "3",
        ],
        &[],
    )
    .await;
    let brief = server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    // Out of range: refused, naming the field.
    let path = format!("/api/v1/sources/{}", brief.id);
    let (status, refused) = server
        .api(
            Method::PATCH,
            &path,
            Some(json!({"retention": {"event_days": 100_000}})),
        )
        .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (422, Some("retention")),
        "{refused}"
    );
    let own = json!({"event_days": 1, "request_days": 1, "raw_days": 1});
    let (status, shown) = server
        .api(Method::PATCH, &path, Some(json!({"retention": own})))
        .await;
    assert_eq!((status, &shown["retention"]), (200, &own), "{shown}");

    push(&server, &usual, 1, 0).await;
    push(&server, &brief, 2, 0).await;
    // Two days ago: past the brief source's day, within the server's three.
    server.execute_sql(&format!(
        "UPDATE events SET received_at = received_at - {TWO_DAYS_MS};
         UPDATE requests SET received_at = received_at - {TWO_DAYS_MS};"
    ));
    let of = |table: &str, source: &Source| {
        server.query_count(&format!(
            "SELECT COUNT(*) FROM {table} WHERE source_id = '{}'",
            source.id
        ))
    };
    wait_until(&server, "the brief source's rows to go", || {
        of("events", &brief) == 0 && of("requests", &brief) == 0
    })
    .await;
    // Another pass or two: the usual source's rows are still there.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(of("events", &usual), 1);
    assert_eq!(of("requests", &usual), 1);
    assert_eq!(
        server.query_count(&format!(
            "SELECT COUNT(*) FROM requests WHERE source_id = '{}' AND raw_sealed IS NOT NULL",
            usual.id
        )),
        1,
        "the usual source's raw request is kept for the server's three days"
    );
}
