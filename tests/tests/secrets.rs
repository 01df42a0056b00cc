//! Secret rotation without rejections, secret expiry, key rotation with a
//! grace period, and secrets at rest: sealed in the database, never in logs,
//! API answers or metrics; master-key rotation re-seals them.

use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{Server, assert_absent, sign};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

const OLD: &str = "old-secret-4f1c9a7e2b";
const NEW: &str = "new-secret-8d3e0b6a5c";

fn push(secret: &str, delivery: &str) -> sign::Signed {
    let body = json!({"ref": "refs/heads/main", "d": delivery});
    sign::github(secret, "push", delivery, &body.to_string())
}

async fn show(server: &Server, id: &str) -> Value {
    let (status, source) = server
        .api(Method::GET, &format!("/api/v1/sources/{id}"), None)
        .await;
    assert_eq!(status, 200, "{source}");
    source
}

#[tokio::test]
async fn rotating_a_secret_while_signed_traffic_flows_rejects_nothing() {
    let server = Arc::new(Server::start().await);
    let source = server.create_source("github", &[OLD], json!({})).await;
    let old_id = show(&server, &source.id).await["secrets"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Senders sign with whatever secret is current, as the vendor would.
    let use_new = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let signed_with_new = Arc::new(AtomicUsize::new(0));
    let mut senders = Vec::new();
    for sender in 0..4 {
        let (server, key) = (server.clone(), source.key.clone());
        let (use_new, stop, signed_with_new) =
            (use_new.clone(), stop.clone(), signed_with_new.clone());
        senders.push(tokio::spawn(async move {
            let (mut sent, mut refused) = (0, Vec::new());
            while !stop.load(Ordering::SeqCst) {
                let new = use_new.load(Ordering::SeqCst);
                let secret = if new { NEW } else { OLD };
                let (status, answer) = server
                    .deliver(&key, &push(secret, &format!("s{sender}-{sent}")))
                    .await;
                if status != 200 {
                    refused.push(format!("{secret}: {status} {answer}"));
                }
                if new {
                    signed_with_new.fetch_add(1, Ordering::SeqCst);
                }
                sent += 1;
            }
            (sent, refused)
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    // 1. Add the new secret; both verify now.
    let (status, added) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/secrets", source.id),
            Some(json!({ "secret": NEW })),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["prefix"], "new-s", "a quarter of 21 characters");
    assert!(!added.to_string().contains(NEW), "{added}");
    // 2. The vendor switches to it.
    use_new.store(true, Ordering::SeqCst);
    while signed_with_new.load(Ordering::SeqCst) < 40 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // 3. Retire the old one at once.
    let (status, retired) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}/secrets/{old_id}", source.id),
            Some(json!({ "expires_in_seconds": 0 })),
        )
        .await;
    assert_eq!(status, 200, "{retired}");
    assert_eq!(retired["active"], false);
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);

    let mut total = 0;
    for sender in senders {
        let (sent, refused) = sender.await.unwrap();
        assert!(
            refused.is_empty(),
            "correctly signed requests refused: {refused:?}"
        );
        total += sent;
    }
    assert!(total > 100, "only {total} requests flowed");
    assert_eq!(server.events(&source.id).await.len(), total);

    // The retired secret no longer verifies; the new one does.
    let (status, answer) = server.deliver(&source.key, &push(OLD, "late")).await;
    assert_eq!((status, answer), (401, json!({"error": "bad_signature"})));
    let (status, _) = server.deliver(&source.key, &push(NEW, "later")).await;
    assert_eq!(status, 200);
    let shown = show(&server, &source.id).await;
    let secrets = shown["secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2, "{shown}");
    assert_eq!(
        (secrets[0]["active"].clone(), secrets[1]["active"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(secrets[1]["prefix"], "old-s");
    assert!(!shown.to_string().contains(OLD) && !shown.to_string().contains(NEW));
}

#[tokio::test]
async fn a_secret_added_with_an_expiry_stops_verifying_then() {
    let server = Server::start().await;
    let source = server.create_source("github", &[OLD], json!({})).await;
    let (status, added) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/secrets", source.id),
            Some(json!({ "secret": NEW, "expires_in_seconds": 1 })),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    assert!(added["expires_at"].is_string(), "{added}");
    let (status, _) = server.deliver(&source.key, &push(NEW, "a")).await;
    assert_eq!(status, 200, "valid until it expires");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, _) = server.deliver(&source.key, &push(NEW, "b")).await;
    assert_eq!(status, 401, "expired");
    let (status, _) = server.deliver(&source.key, &push(OLD, "c")).await;
    assert_eq!(status, 200, "the other secret still verifies");

    // Removing the last active one leaves a source that fails closed.
    let old_id = show(&server, &source.id).await["secrets"][1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = server
        .api(
            Method::DELETE,
            &format!("/api/v1/sources/{}/secrets/{old_id}", source.id),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, answer) = server.deliver(&source.key, &push(OLD, "d")).await;
    assert_eq!((status, answer), (401, json!({"error": "unauthorized"})));
    let (status, answer) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/secrets", source.id),
            Some(json!({ "secret": " " })),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
}

#[tokio::test]
async fn a_rotated_key_keeps_working_for_its_grace_period_only() {
    let server = Server::start().await;
    let source = server.create_source("github", &[OLD], json!({})).await;
    let (status, rotated) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/rotate-key", source.id),
            Some(json!({ "grace_seconds": 2 })),
        )
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new_key = rotated["key"].as_str().unwrap().to_string();
    assert_ne!(new_key, source.key);
    assert!(rotated["previous_key_expires_at"].is_string(), "{rotated}");
    assert_eq!(server.deliver(&source.key, &push(OLD, "a")).await.0, 200);
    assert_eq!(server.deliver(&new_key, &push(OLD, "b")).await.0, 200);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let (status, answer) = server.deliver(&source.key, &push(OLD, "c")).await;
    assert_eq!((status, answer), (404, json!({"error": "unknown_source"})));
    assert_eq!(server.deliver(&new_key, &push(OLD, "d")).await.0, 200);

    // Without a grace period the old key stops at once (the default).
    let (status, rotated) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/rotate-key", source.id),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(server.deliver(&new_key, &push(OLD, "e")).await.0, 404);
    let newest = rotated["key"].as_str().unwrap();
    assert_eq!(server.deliver(newest, &push(OLD, "f")).await.0, 200);
    assert_eq!(server.events(&source.id).await.len(), 4);
}

/// A second rotation during the first one's grace ends that grace at once
/// and starts its own; a grace outlives a restart.
#[tokio::test]
async fn a_rotation_during_a_grace_period_and_a_restart_keep_the_right_keys() {
    let mut server = Server::start().await;
    let source = server.create_source("github", &[OLD], json!({})).await;
    let rotate_path = format!("/api/v1/sources/{}/rotate-key", source.id);
    let grace = Some(json!({ "grace_seconds": 60 }));
    let (_, first) = server.api(Method::POST, &rotate_path, grace.clone()).await;
    let key1 = first["key"].as_str().unwrap().to_string();
    let (status, second) = server.api(Method::POST, &rotate_path, grace).await;
    assert_eq!(status, 200, "{second}");
    let key2 = second["key"].as_str().unwrap().to_string();
    let keys = [source.key.clone(), key1, key2];
    let mut n = 0;
    let mut answers = async |server: &Server| {
        let mut statuses = Vec::new();
        for key in &keys {
            n += 1;
            statuses.push(server.deliver(key, &push(OLD, &format!("k{n}"))).await.0);
        }
        statuses
    };
    assert_eq!(
        answers(&server).await,
        [404, 200, 200],
        "key 0's grace ended"
    );
    server.restart().await;
    assert_eq!(
        answers(&server).await,
        [404, 200, 200],
        "key 1's grace outlives a restart"
    );
    assert!(show(&server, &source.id).await["previous_key_expires_at"].is_string());
}

#[tokio::test]
async fn the_database_logs_api_and_metrics_hold_no_secret_in_clear() {
    const HMAC_SECRET: &str = "canary-hmac-7f3a9c1e5d2b8046";
    const TOKEN: &str = "canary-token-0b9e4d7a2c6f1835";
    const ADDED: &str = "canary-added-5e2c8a0f7b3d9164";
    // A destination's signing secret: base64 of "canary-destination-secret-1234".
    const DESTINATION: &str = "whsec_Y2FuYXJ5LWRlc3RpbmF0aW9uLXNlY3JldC0xMjM0";
    let receiver = Receiver::start(DESTINATION).await;
    let mut server = Server::start().await;
    let github = server
        .create_source("github", &[HMAC_SECRET], json!({}))
        .await;
    // A shared token travels in a header: the kept raw request must not keep it.
    let token = server
        .create_source(
            "token",
            &[TOKEN],
            json!({"mode": "header", "header": "X-Webhook-Token"}),
        )
        .await;
    let (status, _) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/secrets", github.id),
            Some(json!({ "secret": ADDED })),
        )
        .await;
    assert_eq!(status, 201);
    let (status, destination) = server
        .api(
            Method::POST,
            "/api/v1/destinations",
            Some(
                json!({ "name": "receiver", "kind": "http", "url": receiver.url,
                         "secret": DESTINATION, "source_ids": [github.id] }),
            ),
        )
        .await;
    assert_eq!(status, 201, "{destination}");
    for i in 0..20 {
        let secret = if i % 2 == 0 { HMAC_SECRET } else { ADDED };
        let (status, _) = server
            .deliver(&github.key, &push(secret, &format!("g{i}")))
            .await;
        assert_eq!(status, 200);
        let headers = vec![
            ("X-Webhook-Token".to_string(), TOKEN.to_string()),
            ("Content-Type".to_string(), "application/json".to_string()),
        ];
        let body = json!({"type": "ping", "n": i}).to_string();
        let (status, answer) = server
            .deliver_with(&token.key, "POST", "", &headers, body.as_bytes())
            .await;
        assert_eq!(status, 200, "{answer}");
    }
    let secrets = [HMAC_SECRET, TOKEN, ADDED, &DESTINATION[6..]];

    let (_, listed) = server.api(Method::GET, "/api/v1/sources", None).await;
    let (_, requests) = server
        .api(Method::GET, "/api/v1/requests?limit=1000", None)
        .await;
    let (_, events) = server
        .api(Method::GET, "/api/v1/events?limit=1000", None)
        .await;
    let metrics = server
        .http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let answers = vec![
        ("sources".to_string(), listed.to_string().into_bytes()),
        ("requests".to_string(), requests.to_string().into_bytes()),
        ("events".to_string(), events.to_string().into_bytes()),
        ("metrics".to_string(), metrics.into_bytes()),
    ];
    assert_absent(&answers, &secrets);

    // A SIGKILL leaves the WAL as it is, so it is searched too.
    server.kill();
    assert_absent(&server.database_files(), &secrets);
    assert_absent(
        &[("server log".into(), server.log().into_bytes())],
        &secrets,
    );
    assert!(
        server
            .database_files()
            .iter()
            .any(|(_, bytes)| bytes.windows(6).any(|w| w == b"canary")),
        "the prefix is kept in clear: the search would have found the secrets"
    );

    // Master-key rotation: the new key current, the old one previous; the
    // server re-seals everything at startup.
    let old_key = server.dir.path().join("hookyard.db.key");
    assert!(
        old_key.exists(),
        "a local key file is created next to the database"
    );
    let new_key = server.dir.path().join("new.key");
    std::fs::write(&new_key, hex::encode(Sha256::digest(b"another master key"))).unwrap();
    server.args = vec![
        "--master-key-file".into(),
        new_key.display().to_string(),
        "--previous-master-key-file".into(),
        old_key.display().to_string(),
    ];
    server.restart().await;
    assert!(
        server.log().contains("re-sealed 4 secrets"),
        "three of sources, one of a destination: {}",
        server.log()
    );
    // Without the previous key now: everything opens under the new one,
    // the destination's secret too (the receiver verifies its signature).
    server.args.truncate(2);
    server.restart().await;
    assert_eq!(
        server.deliver(&github.key, &push(ADDED, "after")).await.0,
        200
    );
    receiver
        .wait_for(Duration::from_secs(20), "the event after rotation", |log| {
            log.iter()
                .any(|r| r["body"]["data"]["d"] == "after" && r["verified"] == true)
        })
        .await;
    // The old key alone opens nothing any more: the server refuses to start.
    server.args = vec!["--master-key-file".into(), old_key.display().to_string()];
    let refused = server.try_restart().await.unwrap_err().to_string();
    assert!(refused.contains("master key"), "{refused}");
}
