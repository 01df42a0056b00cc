//! What a fetched key costs the request path once it is cached: the
//! fetcher's cache hit on its own (`Fetcher::send` for a key fetched
//! before: origin check, request hash, map lookup), and a whole adapter call
//! that fetches its key and verifies a JWT with it (`test_fetcher.wasm`:
//! `verify` with a `fetch.send` and a `verify-jwt`, then `handle`), on a
//! reused instance as the server runs it, next to the same call with the key
//! fetch answered without the cache's lookup path (canned answers: the
//! difference is what the cache lookup adds). The key server is a local
//! listener; only the first fetch reaches it.
//!
//! Run: `./dev setup && cargo bench -p hookyard --bench key_fetch`

use base64::Engine as _;
use criterion::{Criterion, criterion_group, criterion_main};
use hookyard::delivery::ssrf::AddressPolicy;
use hookyard::fetch::origins::Origin;
use hookyard::fetch::{FetchRequest, FetchScope, Fetcher};
use hookyard::runtime::{
    AdapterCall, Header, InstancePool, Request, Runtime, RuntimeLimits, Verdict,
};
use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &[u8] = b"benchmark-key-from-the-key-server";

/// Serves `KEY` to every request, fresh for an hour.
async fn key_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nCache-Control: max-age=3600\r\nConnection: close\r\n\r\n",
                KEY.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(KEY).await;
        }
    });
    origin
}

fn jwt(now_s: i64) -> String {
    let b64 = |v: serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let signing = format!(
        "{}.{}",
        b64(serde_json::json!({"alg": "HS256", "typ": "JWT"})),
        b64(serde_json::json!({"aud": "hookyard-test", "exp": now_s + 3600}))
    );
    let mac = hookyard_crypto::hmac(
        hookyard_crypto::HmacAlgorithm::Sha256,
        KEY,
        signing.as_bytes(),
    );
    format!(
        "{signing}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac)
    )
}

fn key_fetch(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let origin = rt.block_on(key_server());
    let key_url = format!("{origin}/keys/bench");
    let policy = Arc::new(AddressPolicy::parse("127.0.0.0/8").unwrap());
    let fetcher = Fetcher::new(policy);
    let origins: Arc<[Origin]> = vec![Origin::parse(&origin, true).unwrap()].into();
    let request = FetchRequest {
        method: "GET".into(),
        url: key_url.clone(),
        headers: vec![],
        body: vec![],
    };
    // The one fetch that reaches the key server.
    rt.block_on(fetcher.send(&origins, request.clone()))
        .expect("the key server answers");
    c.bench_function("key fetch/cache hit", |b| {
        b.iter(|| {
            black_box(
                rt.block_on(fetcher.send(&origins, request.clone()))
                    .unwrap(),
            )
        })
    });

    let wasm =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-plugins/test_fetcher.wasm");
    if !wasm.exists() {
        eprintln!(
            "{} is missing (run ./dev setup): adapter cases skipped",
            wasm.display()
        );
        return;
    }
    let runtime = Runtime::new(RuntimeLimits::default(), None).expect("runtime");
    let adapter = rt
        .block_on(runtime.load_file(&wasm))
        .expect("loading test_fetcher.wasm");
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let body = serde_json::json!({"type": "thing.happened", "id": "e-1", "key_url": key_url});
    let webhook = Request {
        method: "POST".into(),
        url: "http://127.0.0.1:8080/webhooks/wh_x".into(),
        path: "/webhooks/wh_x".into(),
        query: String::new(),
        headers: vec![Header {
            name: "authorization".into(),
            value: format!("Bearer {}", jwt(now_ms / 1000)),
        }],
        body: body.to_string().into_bytes(),
        remote_addr: None,
    };
    let cached = FetchScope {
        fetcher: fetcher.clone(),
        origins: origins.clone(),
    };
    let canned = FetchScope {
        fetcher: Fetcher::canned(HashMap::from([(key_url.clone(), KEY.to_vec())])),
        origins,
    };
    let pool = InstancePool::default();
    let mut group = c.benchmark_group("fetching adapter call, reused instance");
    for (name, scope) in [("key from the cache", &cached), ("key canned", &canned)] {
        let call = AdapterCall {
            request: &webhook,
            secrets: &[],
            settings: "{}",
            now_ms,
            tag: "bench",
            pool: Some(&pool),
            fetch: Some(scope),
        };
        let verdict = rt.block_on(adapter.process(&call));
        assert!(
            matches!(verdict, Ok(Verdict::Events(_))),
            "{name}: the benchmark request must verify: {verdict:?}"
        );
        group.bench_function(name, |b| {
            b.iter(|| black_box(rt.block_on(adapter.process(&call)).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, key_fetch);
criterion_main!(benches);
