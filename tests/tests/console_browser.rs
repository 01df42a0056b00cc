//! The operator console (host/console, served at `/`): its files and
//! headers over HTTP, and in a real browser: Playwright
//! (tests/console/requirements.txt, in the venv `./dev setup` makes)
//! driving Debian's `/usr/bin/chromium` through tests/console/console_test.py.
//! Each browser scenario prints what it saw; these tests check it against
//! what the server kept. Screenshots of every page go to
//! `target/console-screenshots/`.

use hookyard_e2e::receiver::Receiver;
use hookyard_e2e::{ADMIN_TOKEN, Server, repo_root};
use reqwest::Method;
use serde_json::{Value, json};
use std::process::Command;
use std::sync::Mutex;

const STRIPE_SECRET: &str = "whsec_console_test_secret";
/// A Standard Webhooks secret (`whsec_` + base64) for the receiver.
const RECEIVER_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// One browser at a time: the live-tail bound (2 s) is about the server,
/// not about several Chromiums sharing the machine's cores.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// Runs one scenario of tests/console/console_test.py against `server`;
/// its JSON summary.
fn browser(server: &Server, scenario: &str, args: &[(&str, &str)]) -> Value {
    let _turn = ONE_BROWSER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let python = repo_root().join("target/venv-test/bin/python");
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists(),
        "/usr/bin/chromium is missing: run `./dev setup` (it installs Debian's chromium)"
    );
    let mut command = Command::new(&python);
    command
        .arg(repo_root().join("tests/console/console_test.py"))
        .arg(scenario)
        .args(["--base", &server.base, "--token", ADMIN_TOKEN])
        .arg("--shots")
        .arg(repo_root().join("target/console-screenshots"));
    for (name, value) in args {
        command.arg(format!("--{name}")).arg(value);
    }
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}: run `./dev setup` first", python.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the browser scenario {scenario} failed:\n{stdout}\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&output.stderr),
        server.log()
    );
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

async fn get(server: &Server, path: &str) -> reqwest::Response {
    server
        .http
        .get(format!("{}{path}", server.base))
        .send()
        .await
        .unwrap()
}

/// The page and every file are served with the strict CSP and nosniff,
/// the API's answers are untouched, and the first load is under 300 KB.
#[tokio::test]
async fn the_console_is_served_with_a_strict_content_security_policy() {
    let server = Server::start().await;
    let page = get(&server, "/").await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(directive), "{csp} lacks {directive}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<style") && !html.contains(" style="),
        "no inline style"
    );
    assert!(!html.contains("<script>"), "no inline script");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no other origin"
    );

    // What the first load fetches: the page, the stylesheet, the entry
    // module and its imports, the sign-in and overview pages.
    let first_load = [
        "/console/style.css",
        "/console/favicon.svg",
        "/console/app.js",
        "/console/lib/api.js",
        "/console/lib/session.js",
        "/console/lib/dom.js",
        "/console/lib/chart.js",
        "/console/pages/signin.js",
        "/console/pages/overview.js",
    ];
    let mut bytes = html.len();
    for path in first_load {
        let answer = get(&server, path).await;
        assert_eq!(answer.status(), 200, "{path}");
        assert_eq!(
            answer.headers()["content-security-policy"]
                .to_str()
                .unwrap(),
            csp
        );
        let body = answer.text().await.unwrap();
        bytes += body.len();
        // Nothing from another origin (the SVG namespace is a name, not a fetch).
        let body = body.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{path}"
        );
    }
    assert!(bytes < 300 * 1024, "the first load is {bytes} bytes");
    let script = get(&server, "/console/app.js").await;
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );

    let missing = get(&server, "/console/nope.js").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().contains_key("content-security-policy"));
    // The API's own 404 and the ingest route are not the console's.
    let (status, body) = server.api(Method::GET, "/api/v1/nope", None).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("no_route")));
    assert!(
        !get(&server, "/webhooks/wh_nope")
            .await
            .headers()
            .contains_key("content-security-policy")
    );
}

/// Sign in, find Stripe in the catalog, create a source with the wizard,
/// send a test event and see it in the live tail within 2 s.
#[tokio::test]
async fn a_stripe_source_from_the_catalog_and_its_test_event_in_the_live_tail() {
    let server = Server::start().await;
    let seen = browser(&server, "source_wizard", &[("secret", STRIPE_SECRET)]);
    let source_id = seen["source_id"].as_str().unwrap();
    let (status, source) = server
        .api(Method::GET, &format!("/api/v1/sources/{source_id}"), None)
        .await;
    assert_eq!(status, 200, "{source}");
    assert_eq!(source["name"], "payments");
    assert_eq!(source["preset"], "stripe");
    assert_eq!(source["secret_count"], 1);
    assert_eq!(
        seen["url"], source["url"],
        "the wizard shows the source's URL"
    );
    // The event in the tail is the one the test request stored.
    let events = server.events(source_id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(seen["tail_event_id"], events[0]["id"]);
    assert_eq!(seen["tail_type"], events[0]["type"]);
    assert_eq!(seen["result_event_ids"], json!([events[0]["id"]]));
    let requests = server.requests(source_id).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["outcome"], "accepted");
}

/// A destination to a local receiver made in the console; a test event;
/// the delivery and its attempt as the console shows them.
#[tokio::test]
async fn a_destination_to_a_receiver_and_its_delivery_and_attempt() {
    let server = Server::start().await;
    let receiver = Receiver::start(RECEIVER_SECRET).await;
    let source = server
        .create_source("stripe", &[STRIPE_SECRET], json!({}))
        .await;
    let seen = browser(
        &server,
        "destination",
        &[
            ("secret", RECEIVER_SECRET),
            ("receiver", &receiver.url),
            ("source", &source.id),
        ],
    );
    let destination_id = seen["destination_id"].as_str().unwrap();
    let (_, destination) = server
        .api(
            Method::GET,
            &format!("/api/v1/destinations/{destination_id}"),
            None,
        )
        .await;
    assert_eq!(destination["name"], "receiver");
    assert_eq!(destination["url"], receiver.url.as_str());
    let delivery_id = seen["delivery_id"].as_str().unwrap();
    let (_, delivery) = server
        .api(
            Method::GET,
            &format!("/api/v1/deliveries/{delivery_id}"),
            None,
        )
        .await;
    assert_eq!(delivery["state"], "delivered");
    assert_eq!(delivery["destination_id"], destination_id);
    let attempts = delivery["attempt_log"].as_array().unwrap();
    assert_eq!(attempts.len(), 1);
    let status = attempts[0]["status"].as_i64().unwrap();
    assert!(
        seen["attempt"]
            .as_str()
            .unwrap()
            .contains(&format!("HTTP {status}")),
        "{seen}"
    );
    // The receiver verified it with the secret given in the form.
    let received = receiver.received().await;
    assert_eq!(received.len(), 1, "{received:?}");
}

/// A `.wasm` the server refuses: the console shows the server's reason,
/// and nothing was installed.
#[tokio::test]
async fn a_broken_wasm_upload_shows_the_reason() {
    let server = Server::start().await;
    let wasm = server.dir.path().join("broken.wasm");
    std::fs::write(&wasm, b"\0asm\x01\0\0\0 this is not a component").unwrap();
    let seen = browser(
        &server,
        "broken_wasm",
        &[
            ("adapter", "console-broken"),
            ("wasm", wasm.to_str().unwrap()),
        ],
    );
    // The same upload through the API: the reason the console showed.
    let answer = server
        .http
        .put(format!("{}/api/v1/plugins/console-broken", server.base))
        .bearer_auth(ADMIN_TOKEN)
        .body(std::fs::read(&wasm).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 422);
    let refusal: Value = answer.json().await.unwrap();
    let shown = seen["shown"].as_str().unwrap();
    assert!(
        shown.contains(refusal["message"].as_str().unwrap()),
        "shown {shown:?}, refused with {refusal}"
    );
    let (_, plugins) = server.api(Method::GET, "/api/v1/plugins", None).await;
    assert!(
        !plugins
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "console-broken")
    );
}

/// The ids of one of everything, made through the API, for the pages
/// that show one thing.
async fn one_of_everything(server: &Server, receiver: &Receiver) -> Value {
    let source = server
        .create_source("stripe", &[STRIPE_SECRET], json!({}))
        .await;
    let (status, destination) = server
        .api(
            Method::POST,
            "/api/v1/destinations",
            Some(json!({"name": "receiver", "kind": "http", "url": receiver.url, "secret": RECEIVER_SECRET})),
        )
        .await;
    assert_eq!(status, 201, "{destination}");
    let body = r#"{"id":"evt_console_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":2000}}}"#;
    let (status, answer) = server
        .deliver(
            &source.key,
            &hookyard_e2e::sign::stripe(STRIPE_SECRET, hookyard_e2e::now(), body),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    // A redelivery and a forgery: the overview has three outcomes to show.
    let signed = hookyard_e2e::sign::stripe(STRIPE_SECRET, hookyard_e2e::now(), body);
    assert_eq!(server.deliver(&source.key, &signed).await.0, 200);
    let forged = server.deliver(&source.key, &signed.tampered()).await.0;
    assert!((400..500).contains(&forged), "a forgery answered {forged}");
    let event = server.events(&source.id).await[0]["id"].clone();
    receiver
        .wait_for(std::time::Duration::from_secs(30), "the delivery", |log| {
            !log.is_empty()
        })
        .await;
    let (_, deliveries) = server
        .api(Method::GET, "/api/v1/deliveries?state=delivered", None)
        .await;
    json!({
        "source": source.id,
        "event": event,
        "destination": destination["id"],
        "delivery": deliveries["data"][0]["id"],
    })
}

/// A read-scoped token sees no write action on any page (the server
/// refuses them anyway: tests/tests/access.rs); the admin token sees
/// them on the same pages.
#[tokio::test]
async fn a_read_token_sees_no_write_action() {
    let server = Server::start().await;
    let receiver = Receiver::start(RECEIVER_SECRET).await;
    let ids = one_of_everything(&server, &receiver).await;
    let (status, token) = server
        .api(
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "viewer", "scope": "read"})),
        )
        .await;
    assert_eq!(status, 201, "{token}");
    let seen = browser(
        &server,
        "read_only",
        &[
            ("read-token", token["token"].as_str().unwrap()),
            ("ids", &ids.to_string()),
        ],
    );
    let read = seen["read"]["controls"].as_object().unwrap();
    assert!(
        read.values().all(|n| n == 0),
        "write controls shown to a read token: {read:?}"
    );
    let admin = seen["admin"]["controls"].as_object().unwrap();
    for page in [
        "presets",
        "sources",
        "source",
        "event",
        "destination",
        "adapters",
        "access",
    ] {
        assert!(
            admin[page].as_i64().unwrap() > 0,
            "{page}: the admin token sees no write control: {admin:?}"
        );
    }
    assert_eq!(seen["read"]["who"], "viewer · read");
    assert!(
        !seen["read"]["nav"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "Access"),
        "{seen}"
    );
    assert!(
        seen["admin"]["nav"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "Access")
    );
}

/// Every page at 1280 px and at 390 px (none wider than the screen at
/// 390 px, the menu reachable), with a screenshot of each.
#[tokio::test]
async fn every_page_at_1280_and_390_pixels() {
    let server = Server::start().await;
    let receiver = Receiver::start(RECEIVER_SECRET).await;
    let ids = one_of_everything(&server, &receiver).await;
    let seen = browser(&server, "tour", &[("ids", &ids.to_string())]);
    println!("{seen:#}");
    let overflow = seen["390"]["overflow_px"].as_object().unwrap();
    assert!(
        overflow.values().all(|px| px.as_i64().unwrap() <= 0),
        "pages wider than 390 px: {overflow:?}"
    );
    assert_eq!(
        overflow.len(),
        seen["1280"]["overflow_px"].as_object().unwrap().len()
    );
    let shots = repo_root().join("target/console-screenshots");
    for page in overflow.keys() {
        for width in [1280, 390] {
            let shot = shots.join(format!("{page}-{width}.png"));
            assert!(shot.exists(), "{} is missing", shot.display());
        }
    }
}
