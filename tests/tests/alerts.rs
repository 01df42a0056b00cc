//! Alerts as events: the server's own events (a destination disabled by a
//! 410, dead letters, an adapter quarantined or rejected, a secret about to
//! expire) are stored as events of the built-in `hookyard` source and
//! delivered like any other — never through the destination they are about,
//! and a dead letter of an alert raises none.

use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{Server, plugins_with, sign};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const SECRET: &str = "alerts-github-secret";
const DESTINATION_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The alerts a receiver got, as CloudEvents bodies, of one type.
async fn alerts_of(receiver: &Receiver, event_type: &str, timeout: Duration) -> Vec<Value> {
    receiver
        .wait_for(timeout, event_type, |log| {
            log.iter().any(|r| r["body"]["type"] == event_type)
        })
        .await
        .into_iter()
        .filter(|r| r["body"]["type"] == event_type)
        .map(|r| r["body"].clone())
        .collect()
}

/// Stored events of the `hookyard` source of one type.
fn stored(server: &Server, event_type: &str) -> i64 {
    server.query_count(&format!(
        "SELECT COUNT(*) FROM events WHERE source_id = 'hookyard' AND type = '{event_type}'"
    ))
}

/// Delivery rows of events of `event_type` to `destination_id`.
fn routed(server: &Server, event_type: &str, destination_id: &str) -> i64 {
    server.query_count(&format!(
        "SELECT COUNT(*) FROM deliveries d JOIN events e ON e.id = d.event_id
         WHERE e.type = '{event_type}' AND d.destination_id = '{destination_id}'"
    ))
}

#[tokio::test]
async fn a_disabled_destination_and_dead_letters_alert_the_others_never_themselves() {
    let server = Server::with_settings(&[("HOOKYARD_RETRY_SCHEDULE", "100ms,100ms")]).await;
    let source = server.create_source("github", &[SECRET], json!({})).await;
    let (watcher, failing, gone) = (
        Receiver::start(DESTINATION_SECRET).await,
        Receiver::start(DESTINATION_SECRET).await,
        Receiver::start(DESTINATION_SECRET).await,
    );
    failing.set_mode("fail").await;
    gone.set_mode("gone").await;
    let on_call = watcher
        .destination(
            &server,
            json!({"name": "on-call", "source_ids": ["hookyard"], "event_types": ["hookyard.*"]}),
        )
        .await;
    // Both take every event of every source, alerts included.
    let failing_id = failing
        .destination(&server, json!({"name": "failing"}))
        .await;
    let gone_id = gone.destination(&server, json!({"name": "gone"})).await;

    let push = json!({"ref": "refs/heads/main", "after": "1".repeat(40), "repository": {"full_name": "octo/app"}});
    let (status, answer) = server
        .deliver(
            &source.key,
            &sign::github(SECRET, "push", "d-1", &push.to_string()),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let event_id = answer["events"][0].as_str().unwrap().to_string();

    // The 410 disabled `gone`: on-call hears of it.
    let disabled = alerts_of(
        &watcher,
        "hookyard.destination.disabled",
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(disabled.len(), 1, "{disabled:#?}");
    // Sent once: nothing is claimed for a destination once it is disabled.
    assert_eq!(gone.received().await.len(), 1);
    let alert = &disabled[0];
    assert_eq!(alert["source"], "/sources/hookyard");
    assert_eq!(alert["subject"], gone_id.as_str());
    assert_eq!(alert["data"]["destination_id"], gone_id.as_str());
    assert_eq!(alert["data"]["destination_name"], "gone");
    assert!(
        alert["data"]["reason"].as_str().unwrap().contains("410"),
        "{alert:#}"
    );

    // Three attempts to `failing`, then a dead letter: on-call hears of it,
    // with the event that could not be delivered.
    let dead = alerts_of(&watcher, "hookyard.delivery.dead", Duration::from_secs(20)).await;
    assert_eq!(dead.len(), 1, "{dead:#?}");
    let data = &dead[0]["data"];
    assert_eq!(data["destination_id"], failing_id.as_str());
    assert_eq!(data["event_ids"], json!([event_id]));
    assert_eq!(data["attempts"], 3);
    assert_eq!(data["last_status"], 500);

    // Stored as events of the hookyard source, listed like any other.
    let listed = server.events("hookyard").await;
    let types: Vec<&str> = listed.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert!(
        types.contains(&"hookyard.destination.disabled"),
        "{types:?}"
    );

    // `failing` also takes the disabled alert, fails it to a dead letter
    // too, and that raises no alert about an alert.
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.query_count(&format!(
        "SELECT COUNT(*) FROM deliveries WHERE destination_id = '{failing_id}' AND state = 'dead'"
    )) < 2
    {
        assert!(
            Instant::now() < deadline,
            "failing never dead-lettered the alert"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(stored(&server, "hookyard.delivery.dead"), 1);
    assert_eq!(stored(&server, "hookyard.destination.disabled"), 1);

    // Never routed through the destination it is about.
    assert_eq!(
        routed(&server, "hookyard.destination.disabled", &gone_id),
        0
    );
    assert_eq!(
        routed(&server, "hookyard.destination.disabled", &failing_id),
        1
    );
    assert_eq!(routed(&server, "hookyard.delivery.dead", &failing_id), 0);
    assert_eq!(routed(&server, "hookyard.delivery.dead", &on_call), 1);
    // `gone`, disabled, keeps the dead-letter alert waiting for when it is
    // enabled again.
    assert_eq!(routed(&server, "hookyard.delivery.dead", &gone_id), 1);
    let metrics = server.metrics().await;
    for line in [
        "hookyard_alerts_total{type=\"hookyard.destination.disabled\"} 1",
        "hookyard_alerts_total{type=\"hookyard.delivery.dead\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} missing:\n{metrics}");
    }
}

#[tokio::test]
async fn quarantine_rejected_adapters_and_expiring_secrets_raise_alerts_once() {
    let plugins = plugins_with(&["github.wasm"], &["test_faults.wasm"]);
    let server = Server::with_args(
        plugins.clone(),
        &[
            "--secret-expiry-warning-days",
            "7",
            "--alert-check-seconds",
            "1",
        ],
    )
    .await;
    let watcher = Receiver::start(DESTINATION_SECRET).await;
    watcher
        .destination(
            &server,
            json!({"name": "on-call", "source_ids": ["hookyard"], "event_types": ["hookyard.*"]}),
        )
        .await;

    // A secret expiring in two days, inside the seven-day window.
    let github = server.create_source("github", &[SECRET], json!({})).await;
    let (status, secret) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/secrets", github.id),
            Some(json!({"secret": "the-successor-secret", "expires_in_seconds": 2 * 86_400})),
        )
        .await;
    assert_eq!(status, 201, "{secret}");
    let expiring = alerts_of(
        &watcher,
        "hookyard.secret.expiring",
        Duration::from_secs(15),
    )
    .await;
    let data = &expiring[0]["data"];
    assert_eq!(data["source_id"], github.id.as_str());
    assert_eq!(data["secret_id"], secret["id"]);
    assert_eq!(data["expires_at"], secret["expires_at"]);
    // Checked every second, stored once.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(stored(&server, "hookyard.secret.expiring"), 1);

    // An adapter that panics three times in a row is quarantined for its
    // source.
    let panicking = server.create_source("test-panic", &[], json!({})).await;
    for n in 0..3 {
        let (status, _) = server
            .deliver_with(
                &panicking.key,
                "POST",
                "",
                &[],
                format!("{{\"n\":{n}}}").as_bytes(),
            )
            .await;
        assert_eq!(status, 503);
    }
    let quarantined = alerts_of(
        &watcher,
        "hookyard.adapter.quarantined",
        Duration::from_secs(15),
    )
    .await;
    let data = &quarantined[0]["data"];
    assert_eq!(data["source_id"], panicking.id.as_str());
    assert_eq!(data["adapter"], "test-faults");
    assert_eq!(quarantined[0]["subject"], panicking.id.as_str());

    // A file that is not an adapter is rejected on hot load.
    std::fs::write(plugins.join("broken.wasm"), b"not a component").unwrap();
    let rejected = alerts_of(
        &watcher,
        "hookyard.adapter.rejected",
        Duration::from_secs(15),
    )
    .await;
    let data = &rejected[0]["data"];
    assert_eq!(data["file"], "broken.wasm");
    assert!(!data["error"].as_str().unwrap().is_empty(), "{data:#}");
    assert_eq!(stored(&server, "hookyard.adapter.quarantined"), 1);
    assert_eq!(stored(&server, "hookyard.adapter.rejected"), 1);
}
