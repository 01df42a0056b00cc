//! What the sandbox costs per request: the GitHub adapter's `verify` +
//! `handle` run (a) natively, the same crate compiled for the host, and (b) as
//! the bundled WebAssembly component through the server's runtime (fresh
//! store and instance from the pool, deadline set, both calls, store dropped).
//! Same 1 KiB signed request. The difference is the adapter path's overhead.
//!
//! Run: `./dev setup && cargo bench -p hookyard --bench adapter_call`

use criterion::{Criterion, criterion_group, criterion_main};
use hookyard::runtime::{AdapterCall, Header, Request, Runtime, RuntimeLimits, Verdict};
use hookyard_sdk::Adapter as _;
use std::hint::black_box;
use std::path::Path;

const SECRET: &str = "benchmark-secret";

fn body() -> Vec<u8> {
    let mut body =
        br#"{"action":"opened","number":1,"repository":{"full_name":"octo/hello"},"pad":""#
            .to_vec();
    body.resize(1024 - 2, b'x');
    body.extend_from_slice(b"\"}");
    body
}

fn headers(body: &[u8]) -> Vec<(String, String)> {
    let signature = hex::encode(hookyard_crypto::hmac(
        hookyard_crypto::HmacAlgorithm::Sha256,
        SECRET.as_bytes(),
        body,
    ));
    vec![
        ("content-type".into(), "application/json".into()),
        ("x-github-event".into(), "pull_request".into()),
        (
            "x-github-delivery".into(),
            "72d3162e-cc78-11e3-81ab-4c9367dc0958".into(),
        ),
        ("x-hub-signature-256".into(), format!("sha256={signature}")),
        ("user-agent".into(), "GitHub-Hookshot/044aadd".into()),
    ]
}

fn adapter_call(c: &mut Criterion) {
    let body = body();
    let headers = headers(&body);

    let native_request = hookyard_sdk::Request {
        method: "POST".into(),
        url: "http://127.0.0.1:8080/webhooks/wh_x".into(),
        path: "/webhooks/wh_x".into(),
        query: String::new(),
        headers: headers
            .iter()
            .map(|(n, v)| hookyard_sdk::Header {
                name: n.clone(),
                value: v.clone(),
            })
            .collect(),
        body: body.clone(),
        remote_addr: Some("127.0.0.1:50000".into()),
    };
    let native_context = hookyard_sdk::Context {
        secrets: vec![SECRET.into()],
        settings: "{}".into(),
        now_ms: 0,
    };

    let wasm = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/plugins/github.wasm");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let runtime = Runtime::new(RuntimeLimits::default(), None).expect("runtime");
    let adapter = rt
        .block_on(runtime.load_file(&wasm))
        .expect("run ./dev setup first: the bundled github adapter is needed");
    let request = Request {
        method: "POST".into(),
        url: native_request.url.clone(),
        path: native_request.path.clone(),
        query: String::new(),
        headers: headers
            .iter()
            .map(|(n, v)| Header {
                name: n.clone(),
                value: v.clone(),
            })
            .collect(),
        body,
        remote_addr: Some("127.0.0.1:50000".into()),
    };
    let call = AdapterCall {
        request: &request,
        secrets: &[SECRET.to_string()],
        settings: "{}",
        now_ms: 0,
        tag: "bench",
    };
    assert!(
        matches!(rt.block_on(adapter.process(&call)), Ok(Verdict::Events(_))),
        "the benchmark request must verify"
    );

    let mut group = c.benchmark_group("github verify+handle, 1 KiB");
    group.bench_function("native", |b| {
        b.iter(|| {
            github::GitHub::verify(native_request.clone(), native_context.clone()).unwrap();
            black_box(
                github::GitHub::handle(native_request.clone(), native_context.clone()).unwrap(),
            )
        })
    });
    group.bench_function("wasm adapter", |b| {
        b.iter(|| black_box(rt.block_on(adapter.process(&call)).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, adapter_call);
criterion_main!(benches);
