//! A webhook receiver process for the delivery tests: `tests/receiver/
//! receiver.py`, which verifies every request with the official Standard
//! Webhooks library from PyPI (installed by `./dev setup` in
//! `target/venv-test`), logs it, and answers as the test tells it to.

use crate::{free_port, repo_root};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Receiver {
    child: Child,
    pub url: String,
    /// The `whsec_...` secret it verifies with.
    secret: String,
    http: reqwest::Client,
}

impl Receiver {
    /// Starts a receiver verifying with `secret` (`whsec_...`).
    pub async fn start(secret: &str) -> Receiver {
        let python = repo_root().join("target/venv-test/bin/python");
        assert!(
            python.exists(),
            "{} is missing: run `./dev setup` first",
            python.display()
        );
        let port = free_port();
        let child = Command::new(python)
            .arg(repo_root().join("tests/receiver/receiver.py"))
            .arg(port.to_string())
            .arg(secret)
            .stdin(Stdio::null())
            .spawn()
            .expect("starting the receiver");
        let receiver = Receiver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            secret: secret.into(),
            http: reqwest::Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if receiver.http.get(&receiver.url).send().await.is_ok() {
                return receiver;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the receiver did not start");
    }

    /// Creates an HTTP destination of `server` that posts to this receiver,
    /// signed with its secret; `fields` add to or replace the body's
    /// (`name`, `event_types`, `source_ids`, ...). Returns its id.
    pub async fn destination(&self, server: &crate::Server, fields: Value) -> String {
        let mut body = serde_json::json!({
            "name": format!("receiver-{}", crate::free_port()),
            "kind": "http",
            "url": format!("{}/hooks", self.url),
            "secret": self.secret,
            "timeout_ms": 1000,
        });
        body.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        let (status, created) = server
            .api(reqwest::Method::POST, "/api/v1/destinations", Some(body))
            .await;
        assert_eq!(status, 201, "{created}");
        created["id"].as_str().unwrap().to_string()
    }

    /// ok | fail (500) | hang (no answer) | gone (410) | retry-after:SECONDS (429)
    /// | slow:SECONDS (200 after that long)
    pub async fn set_mode(&self, mode: &str) {
        self.http
            .post(format!("{}/_mode", self.url))
            .body(mode.to_string())
            .send()
            .await
            .expect("setting the receiver's mode");
    }

    /// Every request received so far, oldest first.
    pub async fn received(&self) -> Vec<Value> {
        self.http
            .get(&self.url)
            .send()
            .await
            .expect("reading the receiver's log")
            .json()
            .await
            .expect("the receiver's log is JSON")
    }

    /// Waits until `done` holds for the log, or panics after `timeout`.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        what: &str,
        done: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let log = self.received().await;
            if done(&log) {
                return log;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; received {} requests: {:#}",
                log.len(),
                Value::Array(log.iter().rev().take(5).cloned().collect())
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
