//! Adapter lifecycle on a running server: hot swaps under traffic lose and
//! fail nothing, broken candidates are rejected while the last good version
//! keeps serving.
//!
//! The adapter is `test-relay` (tests/adapters/relay.rs), built as versions
//! 1.0.0 and 2.0.0 that differ in their mapped data (`mapped_by`), so every
//! stored event shows which version produced it.

use hookyard_e2e::{Server, Source, now, sign, test_plugin};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const SECRET: &str = "relay-secret";
/// The file the tests install versions as, in the server's plugins directory.
const FILE: &str = "test-relay.wasm";

/// Installs `wasm` as `name` the way docs/operating.md ("Shipping an adapter
/// without a restart") tells operators to: write a dot file beside it, then
/// rename it into place.
fn install(dir: &Path, name: &str, wasm: &[u8]) {
    let temp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&temp, wasm).unwrap();
    std::fs::rename(&temp, dir.join(name)).unwrap();
}

fn relay(version: &str) -> Vec<u8> {
    std::fs::read(test_plugin(&format!("test_relay_{version}.wasm"))).unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A signed `test-relay` request whose event id is `id`.
fn signed(id: &str) -> sign::Signed {
    sign::stripe(SECRET, now(), &json!({ "id": id }).to_string())
}

/// Sends a request; returns the status and the ids of the events it stored.
async fn send(server: &Server, source: &Source, id: &str) -> (u16, Vec<String>) {
    let (status, answer) = server.deliver(&source.key, &signed(id)).await;
    let ids = answer["events"]
        .as_array()
        .map(|ids| {
            ids.iter()
                .map(|id| id.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    (status, ids)
}

/// Keeps `workers` concurrent senders going until `stop`; every request gets
/// a fresh event id. Returns the ids sent and every non-2xx answer.
fn traffic(
    server: &Arc<Server>,
    source: &Source,
    workers: usize,
    stop: &Arc<AtomicBool>,
) -> tokio::task::JoinHandle<(Vec<String>, Vec<String>)> {
    let (server, source, stop) = (server.clone(), source.clone(), stop.clone());
    tokio::spawn(async move {
        let counter = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..workers)
            .map(|_| {
                let (server, source, stop, counter) = (
                    server.clone(),
                    source.clone(),
                    stop.clone(),
                    counter.clone(),
                );
                tokio::spawn(async move {
                    let (mut sent, mut failures) = (Vec::new(), Vec::new());
                    while !stop.load(Ordering::Relaxed) {
                        let id = format!("stream-{}", counter.fetch_add(1, Ordering::Relaxed));
                        let (status, answer) = server.deliver(&source.key, &signed(&id)).await;
                        if !(200..300).contains(&status) {
                            failures.push(format!("{id}: {status} {answer}"));
                        }
                        sent.push(id);
                    }
                    (sent, failures)
                })
            })
            .collect();
        let (mut sent, mut failures) = (Vec::new(), Vec::new());
        for task in tasks {
            let (s, f) = task.await.unwrap();
            sent.extend(s);
            failures.extend(f);
        }
        (sent, failures)
    })
}

/// Every event of the source by its `id`, checking each appears once and
/// was mapped by the version its row names.
async fn events_by_id(server: &Server, source: &Source) -> BTreeMap<String, Value> {
    let mut by_id = BTreeMap::new();
    for event in server.events(&source.id).await {
        assert_eq!(
            event["data"]["mapped_by"], event["plugin_version"],
            "event tagged with another version than the one that mapped it: {event}"
        );
        let id = event["data"]["id"].as_str().unwrap().to_string();
        assert!(by_id.insert(id, event).is_none(), "an event stored twice");
    }
    by_id
}

/// The version of `test-relay` the server offers now.
async fn preset_version(server: &Server) -> String {
    let (_, presets) = server
        .api(reqwest::Method::GET, "/api/v1/presets", None)
        .await;
    presets
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "test-relay")
        .map(|p| p["version"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn start(first: &[u8]) -> (tempfile::TempDir, Arc<Server>, Source) {
    let plugins = tempfile::tempdir().unwrap();
    install(plugins.path(), FILE, first);
    let server = Server::with_plugins(plugins.path().to_path_buf()).await;
    let source = server
        .create_source("test-relay", &[SECRET], json!({}))
        .await;
    (plugins, Arc::new(server), source)
}

#[tokio::test]
async fn swapping_an_adapter_twenty_times_under_traffic_fails_and_loses_nothing() {
    let versions = [("2.0.0", relay("v2")), ("1.0.0", relay("v1"))];
    let (plugins, server, source) = start(&versions[1].1).await;
    let stop = Arc::new(AtomicBool::new(false));
    let stream = traffic(&server, &source, 4, &stop);

    let mut probes = BTreeSet::new();
    for swap in 0..20 {
        let (version, wasm) = &versions[swap % 2];
        install(plugins.path(), FILE, wasm);
        let landed = Instant::now();
        // Probe until an event comes back mapped by the new version.
        for attempt in 0.. {
            let id = format!("probe-{swap}-{attempt}");
            let (status, ids) = send(&server, &source, &id).await;
            assert_eq!(status, 200, "probe {id}: {}", server.log());
            probes.insert(id);
            let (_, event) = server
                .api(
                    reqwest::Method::GET,
                    &format!("/api/v1/events/{}", ids[0]),
                    None,
                )
                .await;
            if event["plugin_version"] == *version {
                assert_eq!(event["plugin_hash"], sha256(wasm));
                break;
            }
            assert!(
                landed.elapsed() < Duration::from_secs(1),
                "swap {swap}: {version} not serving 1 s after the file landed"
            );
        }
    }
    stop.store(true, Ordering::Relaxed);
    let (sent, failures) = stream.await.unwrap();

    assert!(
        failures.is_empty(),
        "non-2xx answers during swaps: {failures:#?}"
    );
    let stored = events_by_id(&server, &source).await;
    let expected: BTreeSet<String> = sent.into_iter().chain(probes).collect();
    let stored_ids: BTreeSet<String> = stored.keys().cloned().collect();
    assert_eq!(stored_ids, expected, "events lost or invented");
    let hashes: BTreeMap<&str, String> = versions.iter().map(|(v, w)| (*v, sha256(w))).collect();
    for event in stored.values() {
        let version = event["plugin_version"].as_str().unwrap();
        assert_eq!(event["plugin_hash"], hashes[version], "{event}");
    }
    for version in hashes.keys() {
        assert!(
            stored.values().any(|e| e["plugin_version"] == *version),
            "no streamed event from {version}"
        );
    }
}

#[tokio::test]
async fn broken_candidates_are_rejected_and_traffic_is_unaffected() {
    let v1 = relay("v1");
    let (plugins, server, source) = start(&v1).await;
    let stop = Arc::new(AtomicBool::new(false));
    let stream = traffic(&server, &source, 2, &stop);

    // Garbage over the serving adapter, and two new files: garbage, and a
    // valid component of another world (the empty component: no exports).
    install(plugins.path(), FILE, b"this is not WebAssembly");
    install(plugins.path(), "garbage.wasm", b"\0asm garbage");
    install(plugins.path(), "wrong-world.wasm", b"\0asm\x0d\0\x01\0");
    let rejected = |metrics: &str, file: &str| {
        metrics.contains(&format!(
            "hookyard_adapter_rejections_total{{file=\"{file}\"}} 1"
        ))
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let metrics = server
            .http
            .get(format!("{}/metrics", server.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if [FILE, "garbage.wasm", "wrong-world.wasm"]
            .iter()
            .all(|file| rejected(&metrics, file))
        {
            break;
        }
        assert!(Instant::now() < deadline, "not all rejected: {metrics}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = server.log();
    assert!(log.contains("adapter rejected"), "{log}");
    assert!(log.contains("test-relay 1.0.0 keeps serving"), "{log}");
    assert!(
        log.contains("hookyard:adapter"),
        "the wrong world is named: {log}"
    );

    // Still serving 1.0.0, and a good candidate is still picked up.
    let (status, ids) = send(&server, &source, "after-rejections").await;
    assert_eq!(status, 200);
    let (_, event) = server
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/events/{}", ids[0]),
            None,
        )
        .await;
    assert_eq!(event["plugin_version"], "1.0.0");
    assert_eq!(event["plugin_hash"], sha256(&v1));
    let v2 = relay("v2");
    install(plugins.path(), FILE, &v2);
    let deadline = Instant::now() + Duration::from_secs(10);
    for attempt in 0.. {
        let (status, ids) = send(&server, &source, &format!("after-fix-{attempt}")).await;
        assert_eq!(status, 200);
        let (_, event) = server
            .api(
                reqwest::Method::GET,
                &format!("/api/v1/events/{}", ids[0]),
                None,
            )
            .await;
        if event["plugin_version"] == "2.0.0" {
            break;
        }
        assert!(Instant::now() < deadline, "2.0.0 never served");
    }

    stop.store(true, Ordering::Relaxed);
    let (sent, failures) = stream.await.unwrap();
    assert!(failures.is_empty(), "traffic affected: {failures:#?}");
    let stored = events_by_id(&server, &source).await;
    for id in &sent {
        assert!(stored.contains_key(id), "event {id} lost");
    }

    // Removing the file unloads the adapter: its requests fail closed (503,
    // quarantined for reprocessing), they are not accepted unverified.
    std::fs::remove_file(plugins.path().join(FILE)).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !preset_version(&server).await.is_empty() {
        assert!(Instant::now() < deadline, "test-relay never unloaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, answer) = server.deliver(&source.key, &signed("after-removal")).await;
    assert_eq!(status, 503, "{answer}");
}

#[tokio::test]
async fn quarantined_requests_are_reprocessed_after_a_fix_once_each() {
    let (plugins, server, source) = start(&relay("broken")).await;
    // A short tolerance: by the time of reprocessing, the signatures are too
    // old for the current clock, so only the receipt time lets them pass.
    let (status, _) = server
        .api(
            reqwest::Method::PATCH,
            &format!("/api/v1/sources/{}", source.id),
            Some(json!({ "settings": { "tolerance_seconds": 2 } })),
        )
        .await;
    assert_eq!(status, 200);

    let ids: Vec<String> = (0..5).map(|n| format!("q-{n}")).collect();
    for id in &ids {
        let (status, answer) = server.deliver(&source.key, &signed(id)).await;
        assert_eq!(status, 503, "the broken adapter fails {id}: {answer}");
    }
    let log = server.requests(&source.id).await;
    assert_eq!(log.len(), 5);
    assert!(
        log.iter()
            .all(|r| r["outcome"] == "adapter_failed" && r["raw_kept"] == true),
        "{log:#?}"
    );
    let since = log.last().unwrap()["received_at"]
        .as_str()
        .unwrap()
        .to_string();

    // The fix lands; the vendor retries one request (signed anew) meanwhile.
    install(plugins.path(), FILE, &relay("v1"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while preset_version(&server).await != "1.0.0" {
        assert!(Instant::now() < deadline, "the fixed adapter never loaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, _) = send(&server, &source, "q-0").await;
    assert_eq!(status, 200, "{}", server.log());
    tokio::time::sleep(Duration::from_millis(3500)).await;

    let reprocess = || {
        let output = std::process::Command::new(hookyard_e2e::binary())
            .args(["reprocess", "--json", "--server", &server.base])
            .args(["--token", hookyard_e2e::ADMIN_TOKEN])
            .args(["--source", &source.id, "--since", &since])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    let report = reprocess();
    assert_eq!(report["reprocessed"], 5, "{report}");
    assert_eq!(report["accepted"], 4, "{report}");
    assert_eq!(report["duplicate"], 1, "q-0 was redelivered: {report}");
    assert_eq!(report["still_failing"], 0, "{report}");
    assert_eq!(reprocess()["reprocessed"], 0, "the quarantine is empty");

    let stored = events_by_id(&server, &source).await;
    assert_eq!(
        stored.keys().cloned().collect::<Vec<_>>(),
        ids,
        "every event exactly once"
    );
    for event in stored.values() {
        assert_eq!(event["plugin_version"], "1.0.0");
    }
    let quarantined: Vec<Value> = server
        .requests(&source.id)
        .await
        .into_iter()
        .filter(|r| r["outcome"] == "adapter_failed")
        .collect();
    assert!(
        quarantined.iter().all(|r| r["reprocessed_as"].is_string()),
        "{quarantined:#?}"
    );
}

#[tokio::test]
async fn previous_versions_are_kept_and_rolled_back_to() {
    let (v1, v2) = (relay("v1"), relay("v2"));
    let (plugins, server, source) = start(&v1).await;
    install(plugins.path(), FILE, &v2);
    let deadline = Instant::now() + Duration::from_secs(10);
    while preset_version(&server).await != "2.0.0" {
        assert!(Instant::now() < deadline, "2.0.0 never served");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let cli = |args: &[&str]| {
        let output = std::process::Command::new(hookyard_e2e::binary())
            .args(["plugin"])
            .args(args)
            .args([
                "--server",
                &server.base,
                "--token",
                hookyard_e2e::ADMIN_TOKEN,
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        (
            output.status.success(),
            stdout,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (_, list) = server
        .api(reqwest::Method::GET, "/api/v1/plugins", None)
        .await;
    let relay_entry = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "test-relay")
        .unwrap();
    let versions: Vec<(&str, bool)> = relay_entry["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_str().unwrap(), v["live"] == true))
        .collect();
    assert_eq!(versions, [("2.0.0", true), ("1.0.0", false)], "{list}");
    let (ok, listed, _) = cli(&["list"]);
    assert!(
        ok && listed.contains("2.0.0") && listed.contains("1.0.0"),
        "{listed}"
    );

    // Rollback without a target: the previous version, from the kept copy.
    let (ok, out, err) = cli(&["rollback", "test-relay"]);
    assert!(ok, "{err}");
    assert!(out.contains("test-relay is now 1.0.0"), "{out}");
    assert_eq!(
        preset_version(&server).await,
        "1.0.0",
        "serving when the CLI returns"
    );
    let (status, ids) = send(&server, &source, "after-rollback").await;
    assert_eq!(status, 200);
    let (_, event) = server
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/events/{}", ids[0]),
            None,
        )
        .await;
    assert_eq!(event["data"]["mapped_by"], "1.0.0");
    assert_eq!(event["plugin_hash"], sha256(&v1));
    // The directory holds the rolled-back version: it survives a restart.
    assert_eq!(std::fs::read(plugins.path().join(FILE)).unwrap(), v1);

    let (ok, _, err) = cli(&["rollback", "test-relay", "--to", "9.9.9"]);
    assert!(!ok && err.contains("no kept version 9.9.9"), "{err}");
    let (ok, _, err) = cli(&["rollback", "no-such-adapter"]);
    assert!(!ok && err.contains("404"), "{err}");
}

#[tokio::test]
async fn a_pinned_source_stays_on_its_version_while_others_follow_the_latest() {
    let (plugins, server, follower) = start(&relay("v1")).await;
    let pinned = server
        .create_source("test-relay", &[SECRET], json!({}))
        .await;
    let pin = |version: Value| {
        let server = server.clone();
        let id = pinned.id.clone();
        async move {
            server
                .api(
                    reqwest::Method::PATCH,
                    &format!("/api/v1/sources/{id}"),
                    Some(json!({ "adapter_version": version })),
                )
                .await
        }
    };
    let (status, answer) = pin(json!("9.9.9")).await;
    assert_eq!(status, 422, "only kept versions can be pinned: {answer}");
    let (status, answer) = pin(json!("1.0.0")).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["adapter_version"], "1.0.0");

    install(plugins.path(), FILE, &relay("v2"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while preset_version(&server).await != "2.0.0" {
        assert!(Instant::now() < deadline, "2.0.0 never served");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mapped_by = |source: Source, id: &'static str| {
        let server = server.clone();
        async move {
            let (status, ids) = send(&server, &source, id).await;
            assert_eq!(status, 200);
            let (_, event) = server
                .api(
                    reqwest::Method::GET,
                    &format!("/api/v1/events/{}", ids[0]),
                    None,
                )
                .await;
            assert_eq!(event["data"]["mapped_by"], event["plugin_version"]);
            event["plugin_version"].as_str().unwrap().to_string()
        }
    };
    assert_eq!(mapped_by(follower.clone(), "f-1").await, "2.0.0");
    assert_eq!(mapped_by(pinned.clone(), "p-1").await, "1.0.0");

    let (status, _) = pin(Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(
        mapped_by(pinned.clone(), "p-2").await,
        "2.0.0",
        "unpinned: follows the latest"
    );
}

#[tokio::test]
async fn a_shadow_version_runs_on_real_traffic_without_effect_and_its_differences_are_recorded() {
    let (_plugins, server, source) = start(&relay("v1")).await;
    let put_shadow = |wasm: Vec<u8>| {
        let server = server.clone();
        async move {
            let response = server
                .http
                .put(format!("{}/api/v1/plugins/test-relay/shadow", server.base))
                .bearer_auth(hookyard_e2e::ADMIN_TOKEN)
                .body(wasm)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, answer) = put_shadow(b"\0asm garbage".to_vec()).await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = put_shadow(relay("v2")).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["version"], "2.0.0");

    for n in 0..6 {
        let (status, answer) = server
            .deliver(&source.key, &signed(&format!("s-{n}")))
            .await;
        assert_eq!(status, 200, "{answer}");
    }
    let read = || async {
        server
            .api(
                reqwest::Method::GET,
                "/api/v1/plugins/test-relay/shadow",
                None,
            )
            .await
            .1
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let report = loop {
        let report = read().await;
        if report["shadow"]["compared"] == 6 {
            break report;
        }
        assert!(Instant::now() < deadline, "shadow runs missing: {report}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(report["shadow"]["differed"], 6, "{report}");
    let differences = report["differences"].as_array().unwrap();
    assert_eq!(differences.len(), 6, "{report}");
    for difference in differences {
        assert_eq!(difference["differs"], "data");
        assert_eq!(difference["live_version"], "1.0.0");
        assert_eq!(difference["shadow_version"], "2.0.0");
        assert_eq!(difference["source_id"], source.id);
        let live = &difference["live"]["events"][0];
        let shadow = &difference["shadow"]["events"][0];
        assert_eq!(live["data"]["mapped_by"], "1.0.0");
        assert_eq!(shadow["data"]["mapped_by"], "2.0.0");
        assert_eq!(live["type"], shadow["type"]);
        assert_eq!(live["data"]["id"], shadow["data"]["id"]);
    }

    // Without effect: only the live version's events are stored.
    let stored = events_by_id(&server, &source).await;
    assert_eq!(stored.len(), 6);
    assert!(stored.values().all(|e| e["plugin_version"] == "1.0.0"));
    // The differences can be read through the CLI too.
    let output = std::process::Command::new(hookyard_e2e::binary())
        .args(["plugin", "shadow", "test-relay"])
        .args([
            "--server",
            &server.base,
            "--token",
            hookyard_e2e::ADMIN_TOKEN,
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("6 compared, 6 differed"), "{stdout}");

    let (status, _) = server
        .api(
            reqwest::Method::DELETE,
            "/api/v1/plugins/test-relay/shadow",
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert!(read().await["shadow"].is_null());
}

#[tokio::test]
async fn an_upload_through_the_api_serves_and_every_server_on_the_database_loads_it() {
    let (plugins, server, source) = start(&relay("v1")).await;
    let upload = |name: &str, wasm: Vec<u8>| {
        let request = server
            .http
            .put(format!("{}/api/v1/plugins/{name}", server.base))
            .bearer_auth(hookyard_e2e::ADMIN_TOKEN)
            .body(wasm);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (status, answer) = upload("test-relay", b"not wasm".to_vec()).await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = upload("other-name", relay("v2")).await;
    assert_eq!(status, 422, "the name must match the manifest: {answer}");

    let v2 = relay("v2");
    let (status, answer) = upload("test-relay", v2.clone()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["version"], "2.0.0");
    assert_eq!(
        preset_version(&server).await,
        "2.0.0",
        "serving when PUT answers"
    );
    let (status, ids) = send(&server, &source, "after-upload").await;
    assert_eq!(status, 200);
    let (_, event) = server
        .api(
            reqwest::Method::GET,
            &format!("/api/v1/events/{}", ids[0]),
            None,
        )
        .await;
    assert_eq!(event["plugin_hash"], sha256(&v2));
    assert_eq!(std::fs::read(plugins.path().join(FILE)).unwrap(), v2);

    // A second server on the same database, with an empty plugins directory.
    let empty = tempfile::tempdir().unwrap();
    let port = hookyard_e2e::free_port();
    let mut replica = std::process::Command::new(hookyard_e2e::binary())
        .arg("serve")
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--database")
        .arg(server.database_url())
        .arg("--plugins")
        .arg(empty.path())
        .arg("--cache-dir")
        .arg(hookyard_e2e::repo_root().join("target/plugin-cache"))
        .env("HOOKYARD_ADMIN_TOKEN", hookyard_e2e::ADMIN_TOKEN)
        .env("HOOKYARD_MASTER_KEY", server.master_key())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let presets = loop {
        if let Ok(response) = server
            .http
            .get(format!("{base}/api/v1/presets"))
            .bearer_auth(hookyard_e2e::ADMIN_TOKEN)
            .send()
            .await
        {
            break response.json::<Value>().await.unwrap();
        }
        assert!(Instant::now() < deadline, "the replica never started");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    replica.kill().unwrap();
    replica.wait().unwrap();
    let relay_preset = presets
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "test-relay")
        .unwrap_or_else(|| panic!("the replica did not load the upload: {presets}"));
    assert_eq!(relay_preset["version"], "2.0.0");
    assert_eq!(std::fs::read(empty.path().join(FILE)).unwrap(), v2);
}
