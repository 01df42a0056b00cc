//! `hookyard listen --forward-to`: a running server's events reach a local
//! receiver signed like a destination's (the receiver verifies them with the
//! official Standard Webhooks library), one line each, and a restarted
//! listener resumes after the last event it forwarded: nothing twice,
//! nothing missed.

use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{ADMIN_TOKEN, Server, Source, sign};
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GITHUB_SECRET: &str = "l1sten-github-secret";
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async fn push(server: &Server, source: &Source, n: usize) -> String {
    let body = json!({ "ref": "refs/heads/main", "after": format!("{n:040}"),
                       "repository": { "full_name": "acme/listen" } });
    let signed = sign::github(
        GITHUB_SECRET,
        "push",
        &format!("listen-{n}"),
        &body.to_string(),
    );
    let (status, answer) = server.deliver(&source.key, &signed).await;
    assert_eq!(status, 200, "{answer}");
    answer["events"][0].as_str().unwrap().to_string()
}

/// Starts `hookyard listen`; returns once it is connected to the stream.
async fn listen(server: &Server, receiver: &Receiver, dir: &Path, run: usize) -> Child {
    let stdout = std::fs::File::create(dir.join(format!("stdout-{run}"))).unwrap();
    let stderr_path = dir.join(format!("stderr-{run}"));
    let stderr = std::fs::File::create(&stderr_path).unwrap();
    let child = Command::new(hookyard_e2e::binary())
        .args(["listen", "--server", &server.base, "--token", ADMIN_TOKEN])
        .args(["--forward-to", &format!("{}/local", receiver.url)])
        .args(["--secret", SECRET, "--types", "push,ping"])
        .arg("--cursor-file")
        .arg(dir.join("cursor"))
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("starting hookyard listen");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&stderr_path)
        .unwrap_or_default()
        .contains("connected to")
    {
        assert!(Instant::now() < deadline, "listen did not connect");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child
}

#[tokio::test]
async fn listen_forwards_signed_events_and_resumes_after_a_restart() {
    let server = Server::start().await;
    let source = server
        .create_source("github", &[GITHUB_SECRET], json!({}))
        .await;
    let receiver = Receiver::start(SECRET).await;
    let dir = tempfile::tempdir().unwrap();

    let mut first = listen(&server, &receiver, dir.path(), 1).await;
    let ids = [
        push(&server, &source, 1).await,
        push(&server, &source, 2).await,
    ];
    let log = receiver
        .wait_for(Duration::from_secs(10), "two forwarded events", |log| {
            log.len() >= 2
        })
        .await;
    for (request, id) in log.iter().zip(&ids) {
        assert_eq!(request["verified"], true, "{request}");
        assert_eq!(request["webhook_id"], id.as_str());
        assert_eq!(request["body"]["id"], id.as_str());
        assert_eq!(request["body"]["type"], "push");
        assert_eq!(
            request["body"]["data"]["repository"]["full_name"],
            "acme/listen"
        );
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    let printed = loop {
        let printed = std::fs::read_to_string(dir.path().join("stdout-1")).unwrap();
        if printed.lines().count() >= 2 || Instant::now() > deadline {
            break printed;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for id in &ids {
        let line = printed
            .lines()
            .find(|line| line.contains(id.as_str()))
            .unwrap_or_else(|| panic!("no line for {id}: {printed}"));
        assert!(line.contains("push") && line.contains("200 OK"), "{line}");
    }
    first.kill().unwrap();
    first.wait().unwrap();

    // While nobody listens.
    let missed = push(&server, &source, 3).await;
    let mut second = listen(&server, &receiver, dir.path(), 2).await;
    let later = push(&server, &source, 4).await;
    receiver
        .wait_for(Duration::from_secs(10), "the two later events", |log| {
            log.len() >= 4
        })
        .await;
    // Anything sent twice would arrive meanwhile.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let log = receiver.received().await;
    let forwarded: Vec<&str> = log
        .iter()
        .map(|r| r["webhook_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        forwarded,
        [
            ids[0].as_str(),
            ids[1].as_str(),
            missed.as_str(),
            later.as_str()
        ],
        "resumed after the last forwarded event: nothing twice, nothing missed"
    );
    second.kill().unwrap();
    second.wait().unwrap();
}
