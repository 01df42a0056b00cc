//! Adapter contract versions: a 0.1.0 component (`tests/adapters/
//! contract-01`, pinned to `wit/v0.1`) still loads and serves beside 0.2
//! ones, and 0.2's additions work end to end (`tests/adapters/fetcher`):
//! keys fetched by the host from allowed origins only, and cached; JWTs
//! verified by the host; a reply that stores events and answers; a
//! follow-up call made once the events are stored, in the request log.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use hookyard_e2e::key_server::KeyServer;
use hookyard_e2e::{Server, now, plugins_with};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;

fn hmac_hex(key: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// An HS256 JWT for audience `aud`, expiring at `exp` (Unix seconds).
fn jwt(key: &[u8], aud: &str, exp: i64) -> String {
    let b64 = |v: &Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
    };
    let signing = format!(
        "{}.{}",
        b64(&json!({"alg": "HS256", "typ": "JWT"})),
        b64(&json!({"aud": aud, "exp": exp, "sub": "test"}))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(signing.as_bytes());
    let signature =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing}.{signature}")
}

#[tokio::test]
async fn a_contract_0_1_adapter_still_loads_and_serves() {
    let plugins = plugins_with(&["github.wasm"], &["test_contract_01.wasm"]);
    let server = Server::with_plugins(plugins).await;
    let (status, plugins) = server.api(Method::GET, "/api/v1/plugins", None).await;
    assert_eq!(status, 200, "{plugins}");
    let contract_of = |name: &str| {
        plugins
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["contract"].clone())
    };
    assert_eq!(contract_of("test-contract-01"), Some(json!("0.1.0")));
    assert_eq!(contract_of("github"), Some(json!("0.2.0")));

    let source = server
        .create_source("test-contract-01", &["s3cret"], json!({}))
        .await;
    let body = br#"{"type":"order.created","id":"evt-1"}"#;
    let signed =
        |body: &[u8], key: &[u8]| vec![("X-Test-Signature".to_string(), hmac_hex(key, body))];
    let (status, answer) = server
        .deliver_with(&source.key, "POST", "", &signed(body, b"s3cret"), body)
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "accepted");
    let events = server.events(&source.id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["type"], "order.created");
    assert_eq!(events[0]["dedup_id"], "evt-1");

    // verify's refusal, the handshake answer and dedup behave as in 0.1.
    let (status, answer) = server
        .deliver_with(&source.key, "POST", "", &signed(body, b"wrong"), body)
        .await;
    assert_eq!((status, &answer["error"]), (401, &json!("bad_signature")));
    let challenge = br#"{"challenge":"abc123"}"#;
    let (status, answer) = server
        .deliver_with(
            &source.key,
            "POST",
            "",
            &signed(challenge, b"s3cret"),
            challenge,
        )
        .await;
    assert_eq!((status, answer), (200, json!("abc123")));
    let (status, answer) = server
        .deliver_with(&source.key, "POST", "", &signed(body, b"s3cret"), body)
        .await;
    assert_eq!((status, &answer["status"]), (200, &json!("duplicate")));
    assert_eq!(
        server.query_count(&format!(
            "SELECT COUNT(*) FROM events WHERE source_id = '{}'",
            source.id
        )),
        1
    );

    // sign: the test-event endpoint asks the 0.1 adapter to sign.
    let (status, answer) = server
        .api(
            Method::POST,
            &format!("/api/v1/sources/{}/test-event", source.id),
            Some(json!({"event_type": "ping"})),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(server.events(&source.id).await.len(), 2);
}

/// A fetcher source whose limits add `origin` to the adapter's own.
async fn fetcher_source(server: &Server, origin: &str) -> hookyard_e2e::Source {
    let source = server.create_source("test-fetcher", &[], json!({})).await;
    server
        .set_limits(&source.id, json!({"add_fetch_origins": [origin]}))
        .await;
    source
}

fn signed_body(key_url: &str, extra: Value) -> Vec<u8> {
    let mut body = json!({"type": "thing.happened", "key_url": key_url});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body.to_string().into_bytes()
}

/// Posts `body` to a source key with `headers`.
async fn deliver(
    server: &Server,
    key: &str,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> (u16, Value) {
    server.deliver_with(key, "POST", "", &headers, body).await
}

fn bearer(key: &[u8], aud: &str, exp: i64) -> Vec<(String, String)> {
    vec![(
        "Authorization".into(),
        format!("Bearer {}", jwt(key, aud, exp)),
    )]
}

#[tokio::test]
async fn keys_come_only_from_allowed_origins_and_are_fetched_once() {
    let key = b"key-from-the-key-server";
    let keys = KeyServer::start(key, 3600).await;
    let server = Server::with_plugins(plugins_with(&[], &["test_fetcher.wasm"])).await;

    // Not under the declared origin nor the source's own: refused, and the
    // key server never hears of it.
    let closed = server.create_source("test-fetcher", &[], json!({})).await;
    let key_url = format!("{}/keys/a", keys.origin);
    let body = signed_body(&key_url, json!({"id": "e-0"}));
    let (status, answer) = deliver(
        &server,
        &closed.key,
        bearer(key, "hookyard-test", now() + 60),
        &body,
    )
    .await;
    assert_eq!(
        (status, &answer["error"]),
        (401, &json!("unauthorized")),
        "{answer}"
    );
    let reason = server.requests(&closed.id).await[0]["reason"].clone();
    assert!(
        reason
            .as_str()
            .unwrap()
            .contains("not under the adapter's fetch origins"),
        "{reason}"
    );
    assert_eq!(keys.hits("/keys/a"), 0);

    // With the key server among the source's origins: fetched once, then
    // served from the cache (max-age 3600) for every later request.
    let open = fetcher_source(&server, &keys.origin).await;
    for i in 0..5 {
        let body = signed_body(&key_url, json!({"id": format!("e-{i}")}));
        let (status, answer) = deliver(
            &server,
            &open.key,
            bearer(key, "hookyard-test", now() + 60),
            &body,
        )
        .await;
        assert_eq!(status, 200, "request {i}: {answer}");
        assert_eq!(answer["status"], "accepted");
    }
    assert_eq!(
        keys.hits("/keys/a"),
        1,
        "the key is fetched once, then cached"
    );
    assert_eq!(server.events(&open.id).await.len(), 5);

    // The host checks the JWT: signature, audience and expiry.
    let body = signed_body(&key_url, json!({"id": "bad"}));
    let cases = [
        (
            bearer(b"another-key", "hookyard-test", now() + 60),
            "bad_signature",
        ),
        (bearer(key, "someone-else", now() + 60), "unauthorized"),
        (
            bearer(key, "hookyard-test", now() - 600),
            "timestamp_out_of_tolerance",
        ),
    ];
    for (headers, code) in cases {
        let (status, answer) = server
            .deliver_with(&open.key, "POST", "", &headers, &body)
            .await;
        assert_eq!((status, &answer["error"]), (401, &json!(code)), "{answer}");
    }
    assert_eq!(server.events(&open.id).await.len(), 5);
}

#[tokio::test]
async fn a_reply_stores_its_events_answers_and_makes_its_follow_up() {
    let key = b"reply-key";
    let keys = KeyServer::start(key, 3600).await;
    let server = Server::with_plugins(plugins_with(&[], &["test_fetcher.wasm"])).await;
    let source = fetcher_source(&server, &keys.origin).await;
    let key_url = format!("{}/keys/r", keys.origin);
    let confirm = format!("{}/confirm?token=secret-token", keys.origin);

    let body = signed_body(
        &key_url,
        json!({"id": "r-1", "reply": true, "follow_up": confirm}),
    );
    let (status, answer) = deliver(
        &server,
        &source.key,
        bearer(key, "hookyard-test", now() + 60),
        &body,
    )
    .await;
    // The adapter's answer, not the host's 202 body, and the event stored.
    assert_eq!((status, answer), (200, json!({"type": 4})));
    let events = server.events(&source.id).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["dedup_id"], "r-1");
    let request_id = server.requests(&source.id).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(server.requests(&source.id).await[0]["outcome"], "accepted");

    // The follow-up is made after the commit, and its row says so.
    let follow_up = server.settled_follow_up(&request_id).await;
    assert_eq!(follow_up["state"], "done", "{follow_up}");
    assert_eq!(follow_up["last_status"], 200);
    assert_eq!(follow_up["attempts"], 1);
    // Shown without its query (the token), and sealed in the database.
    assert_eq!(follow_up["url"], format!("{}/confirm", keys.origin));
    assert_eq!(keys.hits("/confirm"), 1);
    assert_eq!(
        server.query_count("SELECT COUNT(*) FROM follow_ups WHERE state = 'done'"),
        1
    );
    hookyard_e2e::assert_absent(&server.database_files(), &["secret-token"]);

    // A follow-up to an origin the source may not reach is refused and
    // never sent; the events are stored all the same.
    let body = signed_body(
        &key_url,
        json!({"id": "r-2", "reply": true, "follow_up": "http://127.0.0.1:9/confirm"}),
    );
    let (status, _) = deliver(
        &server,
        &source.key,
        bearer(key, "hookyard-test", now() + 60),
        &body,
    )
    .await;
    assert_eq!(status, 200);
    let (_, list) = server
        .api(Method::GET, "/api/v1/follow-ups?state=refused", None)
        .await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
    assert!(
        list["data"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("not under the source's fetch origins")
    );
    assert_eq!(server.events(&source.id).await.len(), 2);
}
