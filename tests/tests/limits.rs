//! Per-source limits over server-wide defaults: body size (413), rate with
//! burst (429 + Retry-After), concurrent requests (429), IP allowlist (403)
//! behind a trusted proxy. A refused request stores no event and no raw copy.

use hookyard_e2e::{Server, Source, bundled_plugins, sign};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

const SECRET: &str = "limits-secret";

fn push(delivery: &str, pad: usize) -> sign::Signed {
    let body = json!({"ref": "refs/heads/main", "d": delivery, "pad": "x".repeat(pad)});
    sign::github(SECRET, "push", delivery, &body.to_string())
}

/// A server trusting the loopback address as a proxy, with a 4 KiB default body limit.
async fn server() -> Server {
    Server::with_args(
        bundled_plugins(),
        &[
            "--body-limit",
            "4096",
            "--trusted-proxies",
            "127.0.0.1/32,::1/128",
        ],
    )
    .await
}

async fn source_with(server: &Server, limits: Value) -> Source {
    let source = server.create_source("github", &[SECRET], json!({})).await;
    server.set_limits(&source.id, limits).await;
    source
}

/// Nothing of a refused request is stored: no event, no raw request. The
/// source's `refused` requests with this outcome each have their log row
/// without a raw copy, or, for throttling (429: counted, never written), no
/// row at all; the metric counts them either way.
async fn assert_nothing_stored(server: &Server, source: &Source, outcome: &str, refused: usize) {
    let log = server.requests(&source.id).await;
    let rows: Vec<&Value> = log.iter().filter(|r| r["outcome"] == outcome).collect();
    let throttled = matches!(outcome, "rate_limited" | "too_many_concurrent");
    assert_eq!(
        rows.len(),
        if throttled { 0 } else { refused },
        "{outcome} rows: {log:#?}"
    );
    assert!(rows.iter().all(|row| row["raw_kept"] == false), "{log:#?}");
    let accepted = log.iter().filter(|r| r["outcome"] == "accepted").count();
    assert_eq!(server.events(&source.id).await.len(), accepted);
    let line = format!(
        "hookyard_requests_total{{source=\"{}\",outcome=\"{outcome}\"}} {refused}",
        source.id
    );
    let metrics = server.metrics().await;
    assert!(metrics.contains(&line), "{line} missing from\n{metrics}");
}

#[tokio::test]
async fn the_body_limit_is_per_source_over_the_server_default() {
    let server = server().await;
    let small = source_with(&server, json!({"body_bytes": 200})).await;
    let default = source_with(&server, json!({})).await;
    let large = source_with(&server, json!({"body_bytes": 100_000})).await;

    let (status, answer) = server.deliver(&small.key, &push("s1", 300)).await;
    assert_eq!(
        (status, answer),
        (413, json!({"error": "payload_too_large"}))
    );
    let (status, _) = server.deliver(&small.key, &push("s2", 10)).await;
    assert_eq!(status, 200);

    let (status, _) = server.deliver(&default.key, &push("d1", 3000)).await;
    assert_eq!(status, 200, "under the 4 KiB default");
    let (status, _) = server.deliver(&default.key, &push("d2", 5000)).await;
    assert_eq!(status, 413, "over the 4 KiB default");

    let (status, _) = server.deliver(&large.key, &push("l1", 50_000)).await;
    assert_eq!(status, 200, "a source may raise its limit over the default");

    assert_nothing_stored(&server, &small, "payload_too_large", 1).await;
    assert_nothing_stored(&server, &default, "payload_too_large", 1).await;
    assert_eq!(server.events(&small.id).await.len(), 1);
    assert_eq!(server.events(&default.id).await.len(), 1);

    let (status, answer) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}", small.id),
            Some(json!({"limits": {"body_bytes": 0}})),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = server
        .api(
            Method::PATCH,
            &format!("/api/v1/sources/{}", small.id),
            Some(json!({"limits": {"allow_ips": ["10.0.0.0/33"]}})),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
}

#[tokio::test]
async fn over_the_rate_a_source_gets_429_with_retry_after() {
    let server = server().await;
    let limited = source_with(&server, json!({"rate_per_second": 1, "burst": 3})).await;
    let other = source_with(&server, json!({})).await;

    let started = std::time::Instant::now();
    let mut accepted = 0;
    let mut throttled = 0;
    for i in 0..8 {
        let url = format!("{}/webhooks/{}", server.base, limited.key);
        let request = push(&format!("r{i}"), 0);
        let mut call = server.http.post(url).body(request.body.clone());
        for (name, value) in &request.headers {
            call = call.header(name, value);
        }
        let response = call.send().await.unwrap();
        match response.status().as_u16() {
            200 => accepted += 1,
            429 => {
                throttled += 1;
                let retry_after: u64 = response.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!((1..=2).contains(&retry_after), "{retry_after}");
                assert_eq!(
                    response.json::<Value>().await.unwrap(),
                    json!({"error": "rate_limited"})
                );
            }
            other => panic!("unexpected {other}"),
        }
    }
    // The burst of 3, plus at most one per second that passed.
    let budget = 3 + started.elapsed().as_secs() as usize;
    assert!(accepted >= 3 && accepted <= budget, "{accepted} accepted");
    assert_eq!(accepted + throttled, 8);
    assert!(throttled > 0);

    // Another key has its own budget.
    for i in 0..8 {
        let (status, _) = server.deliver(&other.key, &push(&format!("o{i}"), 0)).await;
        assert_eq!(status, 200);
    }

    // Throttled requests are counted, not written: only accepted ones are logged.
    assert_eq!(server.events(&limited.id).await.len(), accepted);
    assert_eq!(server.requests(&limited.id).await.len(), accepted);
    let metrics = server
        .http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let line = format!(
        "hookyard_requests_total{{source=\"{}\",outcome=\"rate_limited\"}} {throttled}",
        limited.id
    );
    assert!(metrics.contains(&line), "{line} missing from\n{metrics}");
}

#[tokio::test]
async fn over_its_concurrency_a_source_gets_429() {
    let server = server().await;
    let source = source_with(&server, json!({"max_concurrent": 1})).await;

    // A request that holds its slot: headers sent, body still coming. If
    // the probe gets in first (the server had not read the slow request's
    // head yet), try again.
    let address = server.base.trim_start_matches("http://").to_string();
    let mut held = None;
    for attempt in 0..20 {
        let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
        let head = format!(
            "POST /webhooks/{} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{",
            source.key
        );
        slow.write_all(head.as_bytes()).await.unwrap();
        slow.flush().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (status, answer) = server
            .deliver(&source.key, &push(&format!("probe{attempt}"), 0))
            .await;
        if status == 429 {
            assert_eq!(answer, json!({"error": "too_many_concurrent"}));
            held = Some(slow);
            break;
        }
        assert_eq!(status, 200, "{answer}");
    }
    let slow = held.expect("a second request while one is in flight gets 429");
    assert_nothing_stored(&server, &source, "too_many_concurrent", 1).await;

    // The slot comes back when the slow request ends.
    drop(slow);
    let mut status = 0;
    for i in 0..100 {
        status = server
            .deliver(&source.key, &push(&format!("after{i}"), 0))
            .await
            .0;
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_ip_allowlist_sees_the_client_behind_a_trusted_proxy() {
    let server = server().await;
    let vendor = source_with(
        &server,
        json!({"allow_ips": ["192.0.2.0/24", "2001:db8:1::/48"]}),
    )
    .await;

    let from = |forwarded: Option<(&str, &str)>, delivery: &str| {
        let mut request = push(delivery, 0);
        if let Some((name, value)) = forwarded {
            request.headers.push((name.into(), value.into()));
        }
        request
    };
    // The loopback peer itself (a trusted proxy forwarding nothing) is not allowed.
    let (status, answer) = server.deliver(&vendor.key, &from(None, "i1")).await;
    assert_eq!((status, answer), (403, json!({"error": "ip_not_allowed"})));
    // A forwarded client outside the list is refused, inside it is let in.
    let (status, _) = server
        .deliver(
            &vendor.key,
            &from(Some(("X-Forwarded-For", "198.51.100.7")), "i2"),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = server
        .deliver(
            &vendor.key,
            &from(Some(("X-Forwarded-For", "192.0.2.44")), "i3"),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = server
        .deliver(
            &vendor.key,
            &from(Some(("Forwarded", "for=\"[2001:db8:1::9]:443\"")), "i4"),
        )
        .await;
    assert_eq!(status, 200, "IPv6 through Forwarded");
    // A spoofed entry in front of an untrusted hop is not believed.
    let (status, _) = server
        .deliver(
            &vendor.key,
            &from(Some(("X-Forwarded-For", "192.0.2.1, 198.51.100.7")), "i5"),
        )
        .await;
    assert_eq!(status, 403);
    // A chain that cannot be parsed fails closed.
    let (status, _) = server
        .deliver(&vendor.key, &from(Some(("Forwarded", "for=unknown")), "i6"))
        .await;
    assert_eq!(status, 403);

    assert_eq!(server.events(&vendor.id).await.len(), 2);
    assert_nothing_stored(&server, &vendor, "ip_not_allowed", 4).await;
    let ips: Vec<Value> = server
        .requests(&vendor.id)
        .await
        .iter()
        .map(|r| r["remote_ip"].clone())
        .collect();
    assert_eq!(
        ips,
        [
            json!(null),
            json!("198.51.100.7"),
            json!("2001:db8:1::9"),
            json!("192.0.2.44"),
            json!("198.51.100.7"),
            json!("127.0.0.1"),
        ],
        "the request log shows the client, newest first"
    );
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_headers_are_ignored() {
    let server = Server::with_args(bundled_plugins(), &["--allow-ips", "192.0.2.0/24"]).await;
    let source = server.create_source("github", &[SECRET], json!({})).await;
    let mut request = push("x1", 0);
    request
        .headers
        .push(("X-Forwarded-For".into(), "192.0.2.44".into()));
    let (status, answer) = server.deliver(&source.key, &request).await;
    assert_eq!(
        (status, answer),
        (403, json!({"error": "ip_not_allowed"})),
        "the server-wide allowlist applies and the peer is the client"
    );
    let open = source_with(&server, json!({"allow_ips": ["127.0.0.1/32", "::1/128"]})).await;
    let (status, _) = server.deliver(&open.key, &push("x2", 0)).await;
    assert_eq!(status, 200, "a source's own list replaces the default");
    assert!(server.events(&source.id).await.is_empty());
}
