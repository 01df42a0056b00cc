//! The request path's untrusted part, end to end inside the process: a
//! request (correctly signed by the adapter's own `sign`, so `handle` parses
//! it, or with headers from the input, so `verify` does) goes through every
//! bundled adapter in the sandbox exactly as ingest runs it, and the host
//! turns the verdict into rows or a handshake answer. Whatever the bytes, an
//! adapter must answer with a verdict — a trap or timeout would be a 503 for a
//! request that deserved a 401 or a 422 — and the host must not panic.
//! Calls reuse instances as the server does within a source: consecutive
//! inputs for the same adapter run on one instance, so what one input leaves
//! behind in it meets the next.
//!
//! Needs the bundled adapters: `./dev setup` (target/plugins). libFuzzer's
//! coverage sees the host's code, not the adapters' (they run compiled by
//! Cranelift), so inside adapters this is a random search, not a guided one.

#![no_main]

use hookyard::ingest::{direct_response, new_events};
use hookyard::runtime::{
    AdapterCall, Header, InstancePool, LoadedAdapter, Request, Runtime, RuntimeLimits, SignInput,
    Verdict,
};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Secrets tried for `sign`, in order: a plain one, then a Standard
/// Webhooks key (`whsec_` + base64), which some adapters require.
const SECRETS: [&str; 2] = [
    "fuzz-secret-0123456789",
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
];
const URL: &str = "http://127.0.0.1:8080/webhooks/wh_fuzz";
const NOW_MS: i64 = 1_763_900_000_000;

struct Bundled {
    tokio: tokio::runtime::Runtime,
    /// Each adapter with the secret it signs with (`None`: it cannot sign,
    /// e.g. public-key vendors; those are fuzzed through `verify` only).
    adapters: Vec<(Arc<LoadedAdapter>, Option<String>)>,
    /// Instances kept between inputs (one pool: an instance serves the next
    /// input only if it is for the same adapter).
    pool: InstancePool,
}

fn bundled() -> &'static Bundled {
    static BUNDLED: OnceLock<Bundled> = OnceLock::new();
    BUNDLED.get_or_init(|| {
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let runtime = Runtime::new(
            RuntimeLimits::default(),
            Some(root.join("target/plugin-cache")),
        )
        .expect("runtime");
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("target/plugins"))
            .expect("run ./dev setup first: target/plugins holds the bundled adapters")
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "wasm"))
            .collect();
        files.sort();
        let adapters = files
            .iter()
            .map(|file| {
                let adapter = tokio.block_on(runtime.load_file(file)).expect("loads");
                let secret = SECRETS
                    .iter()
                    .find(|secret| {
                        tokio
                            .block_on(adapter.sign(&sign_input(secret, b"{}")))
                            .is_ok()
                    })
                    .map(|secret| secret.to_string());
                (adapter, secret)
            })
            .collect();
        Bundled {
            tokio,
            adapters,
            pool: InstancePool::default(),
        }
    })
}

fn sign_input(secret: &str, body: &[u8]) -> SignInput {
    SignInput {
        body: body.to_vec(),
        secret: secret.into(),
        event_type: None,
        delivery_id: "fuzz-delivery-1".into(),
        url: URL.into(),
        settings: "{}".into(),
        now_ms: NOW_MS,
    }
}

/// `name: value` lines up to the first empty line, then the body.
fn unsigned_request(input: &[u8]) -> Request {
    let split = input
        .windows(2)
        .position(|w| w == b"\n\n")
        .unwrap_or(input.len());
    let headers = String::from_utf8_lossy(&input[..split])
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| Header {
            name: name.trim().to_string(),
            value: value.trim().to_string(),
        })
        .collect();
    request(
        "POST",
        URL,
        headers,
        input[(split + 2).min(input.len())..].to_vec(),
    )
}

fn request(method: &str, url: &str, headers: Vec<Header>, body: Vec<u8>) -> Request {
    let after_host = url.splitn(4, '/').nth(3).unwrap_or_default();
    let (path, query) = after_host.split_once('?').unwrap_or((after_host, ""));
    Request {
        method: method.into(),
        url: url.into(),
        path: format!("/{path}"),
        query: query.into(),
        headers,
        body,
        remote_addr: Some("127.0.0.1:40000".into()),
    }
}

fuzz_target!(|data: &[u8]| {
    let [choice, mode, input @ ..] = data else {
        return;
    };
    let bundled = bundled();
    let (adapter, secret) = &bundled.adapters[*choice as usize % bundled.adapters.len()];
    let secret = secret.clone().unwrap_or_else(|| SECRETS[0].to_string());
    let request = match mode % 2 {
        0 => match bundled
            .tokio
            .block_on(adapter.sign(&sign_input(&secret, input)))
        {
            Ok(signed) => request(&signed.method, &signed.url, signed.headers, signed.body),
            Err(_) => unsigned_request(input),
        },
        _ => unsigned_request(input),
    };
    let call = AdapterCall {
        request: &request,
        secrets: std::slice::from_ref(&secret),
        settings: "{}",
        now_ms: NOW_MS,
        tag: "fuzz",
        pool: Some(&bundled.pool),
        fetch: None,
    };
    match bundled.tokio.block_on(adapter.process(&call)) {
        Err(failure) => panic!(
            "{} failed ({}): {}",
            adapter.manifest.name, failure.kind, failure.reason
        ),
        Ok(Verdict::Events(events)) => {
            let _ = new_events(events, &request.body);
        }
        Ok(Verdict::Respond(answer)) => {
            let _ = direct_response(answer);
        }
        Ok(Verdict::Reply(reply)) => {
            let _ = new_events(reply.events, &request.body);
            if let Some(answer) = reply.response {
                let _ = direct_response(answer);
            }
        }
        Ok(Verdict::Rejected { .. } | Verdict::HandleFailed { .. }) => {}
    }
});
