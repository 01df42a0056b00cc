//! The adapter fault suite: an adapter that loops, allocates without bound,
//! overflows its stack, panics, returns an enormous output or calls an import
//! with a huge argument costs only its own requests — 503, a metric by kind,
//! the raw request kept, then quarantine — while a well-behaved source keeps
//! being served at its latency.
//! (A test binary of its own: its storm would starve `sandbox.rs`'s tests.)

use hookyard_e2e::{Server, bundled_plugins, sign, test_plugin};
use serde_json::json;

const SECRET: &str = "fault-suite-secret";

/// Median of a set of durations.
fn median(mut samples: Vec<std::time::Duration>) -> std::time::Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Sends `n` signed GitHub deliveries one after another; returns each one's latency.
async fn good_latencies(
    server: &Server,
    key: &str,
    tag: &str,
    n: usize,
) -> Vec<std::time::Duration> {
    let mut latencies = Vec::with_capacity(n);
    for i in 0..n {
        let body = json!({"action": "opened", "n": i, "tag": tag}).to_string();
        let request = sign::github(SECRET, "issues", &format!("{tag}-{i}"), &body);
        let started = std::time::Instant::now();
        let (status, answer) = server.deliver(key, &request).await;
        latencies.push(started.elapsed());
        assert_eq!(status, 200, "good request {tag}-{i} failed: {answer}");
    }
    latencies
}

/// Every misbehaviour at once, twice per source, over and over, while a
/// well-behaved source is served. Once each misbehaving adapter is
/// quarantined for its source, the good source's median latency stays within
/// a generous factor of the one measured before the storm, in this test
/// (figures in BENCHMARKS.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_misbehaviour_is_contained_and_quarantined_and_others_keep_their_latency() {
    let plugins = tempfile::tempdir().unwrap();
    std::fs::copy(
        bundled_plugins().join("github.wasm"),
        plugins.path().join("github.wasm"),
    )
    .unwrap();
    for file in ["test_spin.wasm", "test_hog.wasm", "test_faults.wasm"] {
        std::fs::copy(test_plugin(file), plugins.path().join(file)).unwrap();
    }
    let server = std::sync::Arc::new(Server::with_plugins(plugins.path().to_path_buf()).await);
    let github = server.create_source("github", &[SECRET], json!({})).await;
    // (preset, adapter name in metrics, failure kind)
    let faults = [
        ("test-spin", "test-spin", "timeout"),
        ("test-hog", "test-hog", "trap"),
        ("test-stack", "test-faults", "trap"),
        ("test-panic", "test-faults", "trap"),
        ("test-flood", "test-faults", "output_too_large"),
        ("test-bigarg", "test-faults", "trap"),
    ];
    let mut bad = Vec::new();
    for (preset, _, _) in faults {
        bad.push(server.create_source(preset, &[], json!({})).await);
    }

    let baseline = median(good_latencies(&server, &github.key, "before", 40).await);

    // Two requests of every misbehaving source in flight, over and over,
    // while the good source is measured again.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut storm = tokio::task::JoinSet::new();
    for source in &bad {
        for _ in 0..2 {
            let (server, key, stop) = (server.clone(), source.key.clone(), stop.clone());
            storm.spawn(async move {
                let mut answers = Vec::new();
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let n = answers.len();
                    let (status, answer) = server
                        .deliver_with(&key, "POST", "", &[], format!("{{\"n\":{n}}}").as_bytes())
                        .await;
                    answers.push((status, answer));
                }
                (key, answers)
            });
        }
    }
    // Each misbehaving adapter fails three times in a row, then is
    // quarantined for its source: from then on its requests cost nothing.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    for source in &bad {
        while !server
            .requests(&source.id)
            .await
            .iter()
            .any(|row| row["reason"].as_str().unwrap().starts_with("quarantined"))
        {
            assert!(std::time::Instant::now() < deadline, "never quarantined");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    let during = median(good_latencies(&server, &github.key, "during", 40).await);
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut failures: std::collections::HashMap<String, usize> = Default::default();
    while let Some(done) = storm.join_next().await {
        let (key, answers) = done.unwrap();
        for (status, answer) in answers {
            assert_eq!(
                (status, answer),
                (503, json!({"error": "adapter_failed"})),
                "source key {key}"
            );
            *failures.entry(key.clone()).or_default() += 1;
        }
    }

    println!("good-request median latency: {baseline:?} before, {during:?} during the storm");
    assert!(
        during <= baseline * 10 + std::time::Duration::from_millis(50),
        "a well-behaved source slowed from {baseline:?} to {during:?} (median)"
    );
    assert_eq!(server.events(&github.id).await.len(), 80);

    let metrics = server
        .http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for ((preset, adapter, kind), source) in faults.iter().zip(&bad) {
        let log = server.requests(&source.id).await;
        assert!(!log.is_empty(), "{preset}: no request went through");
        // Starved of CPU by the storm, any of them may run out of time first;
        // each kind must still show up, then the quarantine.
        for row in &log {
            assert_eq!(row["outcome"], "adapter_failed", "{preset}: {row}");
            assert_eq!(row["raw_kept"], true, "{preset}: raw request kept");
            let reason = row["reason"].as_str().unwrap();
            assert!(
                reason.starts_with(kind)
                    || reason.starts_with("timeout")
                    || reason.starts_with("quarantined"),
                "{preset}: expected {kind}: {row}"
            );
        }
        assert!(
            log.iter()
                .any(|row| row["reason"].as_str().unwrap().starts_with(kind)),
            "{preset}: never {kind}: {log:?}"
        );
        assert!(server.events(&source.id).await.is_empty(), "{preset}");
        let line =
            format!("hookyard_adapter_failures_total{{adapter=\"{adapter}\",kind=\"{kind}\"}}");
        assert!(metrics.contains(&line), "{line} missing:\n{metrics}");
    }
}
