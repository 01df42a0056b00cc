//! Runs `verify` + `handle` of a signed 1 KiB GitHub delivery (or a twin's
//! own request) N times in one way, for `bench/callgrind.sh`, which counts
//! the instructions of two runs under `valgrind --tool=callgrind` and divides
//! the difference by the extra calls: instructions per call, repeatable
//! whatever else the machine does (timings here drift 2x from day to day).
//!
//! ```text
//! adapter_cost native|fresh|reused [FILE.wasm] CALLS
//! ```
//! `native`: the GitHub adapter compiled for the host, called directly;
//! `fresh`: the component through the server's runtime, a new instance per
//! call (`--adapter-reuse 1`); `reused`: one instance kept between calls, as
//! the server does within a source. FILE defaults to `github.wasm`; the
//! JavaScript and Python twins (`shopify_js.wasm`, `stripe_py.wasm`) get
//! their vendor's request. FILE with a `/` is loaded from that path (its
//! name still picks the request; `bench/js-floor`'s build takes GitHub's).

use hookyard::runtime::{
    AdapterCall, Header, InstancePool, Request, Reuse, Runtime, RuntimeLimits, Verdict,
};
use hookyard_sdk::Adapter as _;
use std::hint::black_box;
use std::path::Path;

const SECRET: &str = "bench-secret";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, file, calls) = match args.as_slice() {
        [mode, calls] => (mode.as_str(), "github.wasm", calls),
        [mode, file, calls] => (mode.as_str(), file.as_str(), calls),
        _ => panic!("usage: adapter_cost native|fresh|reused [FILE.wasm] CALLS"),
    };
    let calls: usize = calls.parse().expect("CALLS is a number");
    // The vendor's request goes by the file's name, wherever it lies.
    let name = Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file);
    let request = request_for(name);
    if mode == "native" {
        return native(&request, calls);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // Few pool slots: valgrind cannot map hundreds of 4 GiB reservations.
    let limits = RuntimeLimits {
        max_instances: 1,
        reuse: Reuse {
            max_idle_instances: 1,
            ..Reuse::default()
        },
        ..RuntimeLimits::default()
    };
    let runtime = Runtime::new(limits, Some(root.join("target/plugin-cache"))).expect("runtime");
    // A bare name is a bundled adapter; a path is used as it is.
    let path = if file.contains('/') {
        Path::new(file).to_path_buf()
    } else {
        root.join("target/plugins").join(file)
    };
    let adapter = rt
        .block_on(runtime.load_file(&path))
        .expect("./dev setup builds the adapters");
    let pool = InstancePool::default();
    let secrets = [SECRET.to_string()];
    let call = AdapterCall {
        request: &request,
        secrets: &secrets,
        settings: "{}",
        now_ms: now_ms(name),
        tag: "cost",
        pool: (mode == "reused").then_some(&pool),
        fetch: None,
    };
    for _ in 0..calls {
        let verdict = rt.block_on(adapter.process(&call));
        assert!(matches!(verdict, Ok(Verdict::Events(_))), "{verdict:?}");
        black_box(verdict.ok());
    }
}

/// The GitHub adapter's own code, compiled for the host.
fn native(request: &Request, calls: usize) {
    use github::GitHub;
    use hookyard_sdk::{Context, Header as SdkHeader, Request as SdkRequest};
    let native_request = SdkRequest {
        method: request.method.clone(),
        url: request.url.clone(),
        path: request.path.clone(),
        query: request.query.clone(),
        headers: request
            .headers
            .iter()
            .map(|h| SdkHeader {
                name: h.name.clone(),
                value: h.value.clone(),
            })
            .collect(),
        body: request.body.clone(),
        remote_addr: request.remote_addr.clone(),
    };
    let context = Context {
        secrets: vec![SECRET.into()],
        settings: "{}".into(),
        now_ms: 0,
    };
    for _ in 0..calls {
        GitHub::verify(native_request.clone(), context.clone()).unwrap();
        black_box(GitHub::handle(native_request.clone(), context.clone()).unwrap());
    }
}

/// The context clock each request was signed for (Stripe checks it).
fn now_ms(file: &str) -> i64 {
    if file.starts_with("stripe") {
        STRIPE_T * 1000
    } else {
        0
    }
}

const STRIPE_T: i64 = 1_700_000_000;

/// A signed 1 KiB delivery of the adapter's vendor (as `benches/adapter_call.rs`).
fn request_for(file: &str) -> Request {
    let stripe = file.starts_with("stripe");
    let mut body = if stripe {
        br#"{"id":"evt_1","object":"event","type":"charge.succeeded","created":1700000000,"data":{"object":{"id":"ch_1"}},"pad":""#.to_vec()
    } else {
        br#"{"action":"opened","number":1,"repository":{"full_name":"octo/hello"},"pad":""#.to_vec()
    };
    body.resize(1024 - 2, b'x');
    body.extend_from_slice(b"\"}");
    let headers: Vec<(&str, String)> = if stripe {
        let mut signed = format!("{STRIPE_T}.").into_bytes();
        signed.extend_from_slice(&body);
        vec![(
            "stripe-signature",
            format!("t={STRIPE_T},v1={}", hex(&hmac(SECRET.as_bytes(), &signed))),
        )]
    } else if file.starts_with("shopify") {
        vec![
            ("x-shopify-topic", "orders/create".into()),
            (
                "x-shopify-webhook-id",
                "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043".into(),
            ),
            ("x-shopify-shop-domain", "example.myshopify.com".into()),
            (
                "x-shopify-hmac-sha256",
                base64(&hmac(SECRET.as_bytes(), &body)),
            ),
        ]
    } else {
        vec![
            ("x-github-event", "pull_request".into()),
            (
                "x-github-delivery",
                "72d3162e-cc78-11e3-81ab-4c9367dc0958".into(),
            ),
            (
                "x-hub-signature-256",
                format!("sha256={}", hex(&hmac(SECRET.as_bytes(), &body))),
            ),
        ]
    };
    let mut headers: Vec<Header> = headers
        .into_iter()
        .map(|(name, value)| Header {
            name: name.into(),
            value,
        })
        .collect();
    headers.push(Header {
        name: "content-type".into(),
        value: "application/json".into(),
    });
    Request {
        method: "POST".into(),
        url: "http://127.0.0.1:8080/webhooks/wh_x".into(),
        path: "/webhooks/wh_x".into(),
        query: String::new(),
        headers,
        body,
        remote_addr: Some("127.0.0.1:50000".into()),
    }
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    hookyard_crypto::hmac(hookyard_crypto::HmacAlgorithm::Sha256, key, message)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
