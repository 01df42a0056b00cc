//! What the sandbox costs per request: the GitHub adapter's `verify` +
//! `handle` run (a) natively, the same crate compiled for the host, and (b) as
//! the bundled WebAssembly component through the server's runtime (fresh
//! store and instance from the pool, deadline set, both calls, store dropped),
//! and (c) as the component on an instance kept between calls, as the server
//! does within a source (`runtime::reuse`). Same 1 KiB signed request. The
//! difference is the adapter path's overhead. Instruction counts of the same
//! cases, repeatable on a noisy machine: `bench/callgrind.sh`.
//!
//! Then each JavaScript and Python twin next to its Rust twin, all three as
//! components through the same runtime: Shopify (`shopify.wasm`,
//! `shopify_js.wasm`) and Stripe (`stripe.wasm`, `stripe_py.wasm`), 1 KiB
//! signed requests. A case whose `.wasm` is missing is skipped. Loading a
//! component (compile + instantiate + `manifest`) is timed once and printed.
//!
//! Run: `./dev setup && cargo bench -p hookyard --bench adapter_call`

use criterion::{Criterion, criterion_group, criterion_main};
use hookyard::runtime::{
    AdapterCall, Header, InstancePool, Request, Runtime, RuntimeLimits, Verdict,
};
use hookyard_sdk::Adapter as _;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

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
        pool: None,
        fetch: None,
    };
    let pool = InstancePool::default();
    let reused = AdapterCall {
        pool: Some(&pool),
        ..call
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
    group.bench_function("wasm adapter, reused instance", |b| {
        b.iter(|| black_box(rt.block_on(adapter.process(&reused)).unwrap()))
    });
    group.finish();
}

/// A twin's component, or `None` (and a note) when it was not built.
fn load_twin(
    rt: &tokio::runtime::Runtime,
    runtime: &Arc<Runtime>,
    file: &str,
) -> Option<Arc<hookyard::runtime::LoadedAdapter>> {
    let wasm = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/plugins")
        .join(file);
    if !wasm.exists() {
        eprintln!("skipping {file}: not in target/plugins (./dev setup builds it)");
        return None;
    }
    let size = std::fs::metadata(&wasm).map_or(0, |m| m.len());
    let started = Instant::now();
    let adapter = rt.block_on(runtime.load_file(&wasm)).expect("loading");
    eprintln!(
        "{file}: {:.1} MB, compiled and loaded in {:.2} s",
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Some(adapter)
}

/// `verify` + `handle` of one request on each of `files`, side by side.
fn twins(c: &mut Criterion, group: &str, files: &[&str], request: &Request, now_ms: i64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let runtime = Runtime::new(RuntimeLimits::default(), None).expect("runtime");
    let secrets = [SECRET.to_string()];
    let call = AdapterCall {
        request,
        secrets: &secrets,
        settings: "{}",
        now_ms,
        tag: "bench",
        pool: None,
        fetch: None,
    };
    let mut group = c.benchmark_group(group);
    for file in files {
        let Some(adapter) = load_twin(&rt, &runtime, file) else {
            continue;
        };
        let verdict = rt.block_on(adapter.process(&call));
        assert!(
            matches!(verdict, Ok(Verdict::Events(_))),
            "{file}: the benchmark request must verify: {verdict:?}"
        );
        group.bench_function(*file, |b| {
            b.iter(|| black_box(rt.block_on(adapter.process(&call)).unwrap()))
        });
        let pool = InstancePool::default();
        let reused = AdapterCall {
            pool: Some(&pool),
            ..call
        };
        group.bench_function(format!("{file}, reused instance"), |b| {
            b.iter(|| black_box(rt.block_on(adapter.process(&reused)).unwrap()))
        });
    }
    group.finish();
}

fn request(headers: Vec<(&str, String)>, body: Vec<u8>) -> Request {
    Request {
        method: "POST".into(),
        url: "http://127.0.0.1:8080/webhooks/wh_x".into(),
        path: "/webhooks/wh_x".into(),
        query: String::new(),
        headers: headers
            .into_iter()
            .map(|(name, value)| Header {
                name: name.into(),
                value,
            })
            .collect(),
        body,
        remote_addr: Some("127.0.0.1:50000".into()),
    }
}

fn hmac_sha256(message: &[u8]) -> Vec<u8> {
    hookyard_crypto::hmac(
        hookyard_crypto::HmacAlgorithm::Sha256,
        SECRET.as_bytes(),
        message,
    )
}

fn shopify_twins(c: &mut Criterion) {
    use base64::Engine as _;
    let body = body();
    let signature = base64::engine::general_purpose::STANDARD.encode(hmac_sha256(&body));
    let request = request(
        vec![
            ("content-type", "application/json".into()),
            ("x-shopify-topic", "orders/create".into()),
            (
                "x-shopify-webhook-id",
                "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043".into(),
            ),
            ("x-shopify-shop-domain", "example.myshopify.com".into()),
            ("x-shopify-hmac-sha256", signature),
        ],
        body,
    );
    twins(
        c,
        "shopify verify+handle, 1 KiB",
        &["shopify.wasm", "shopify_js.wasm"],
        &request,
        0,
    );
}

fn stripe_twins(c: &mut Criterion) {
    let now: i64 = 1_763_800_000;
    let mut body = br#"{"id":"evt_1","object":"event","type":"charge.succeeded","created":1763800000,"data":{"object":{"id":"ch_1"}},"pad":""#.to_vec();
    body.resize(1024 - 2, b'x');
    body.extend_from_slice(b"\"}");
    let mut signed = format!("{now}.").into_bytes();
    signed.extend_from_slice(&body);
    let header = format!("t={now},v1={}", hex::encode(hmac_sha256(&signed)));
    let request = request(
        vec![
            ("content-type", "application/json; charset=utf-8".into()),
            ("stripe-signature", header),
        ],
        body,
    );
    twins(
        c,
        "stripe verify+handle, 1 KiB",
        &["stripe.wasm", "stripe_py.wasm"],
        &request,
        now * 1000,
    );
}

criterion_group!(benches, adapter_call, shopify_twins, stripe_twins);
criterion_main!(benches);
