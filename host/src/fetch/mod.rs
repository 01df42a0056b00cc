//! Key fetching on an adapter's behalf (contract 0.2's `fetch` import).
//!
//! Vendors that sign with certificates or JWTs publish their keys at URLs
//! (AWS SNS `SigningCertURL`, Google's JWKS). Adapters cannot reach the
//! network; they ask the host, which sends the request only if its URL lies
//! under one of the origins the adapter declared (or the source's own list,
//! [`origins`]), through the same SSRF guard as deliveries (internal
//! addresses refused unless `--allow-destination-networks` allows them, no
//! redirects), with a timeout and a size cap, and keeps `2xx` answers while
//! fresh ([`cache`]): once cached, a key costs the request path a hash and a
//! map lookup. Concurrent misses for one URL share one request, and a fetch
//! runs on a task of its own, so an adapter call cut by its deadline still
//! leaves the key in the cache for the vendor's retry.

pub mod cache;
pub mod origins;

use crate::delivery::ssrf::{AddressPolicy, check_url, http_client};
use futures_util::FutureExt as _;
use futures_util::future::{BoxFuture, Shared};
use origins::Origin;
use sha2::{Digest as _, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Largest answer kept: JWKS documents and certificate chains are a few KiB.
pub const MAX_BODY: usize = 256 << 10;
/// A fetch that takes longer fails (the adapter sees `failed`).
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// What an adapter asks to send.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A `2xx` answer.
#[derive(Debug)]
pub struct FetchResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl FetchResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not under an allowed origin: nothing was sent.
    #[error("not allowed: {0}")]
    NotAllowed(String),
    #[error("failed: {0}")]
    Failed(String),
}

/// How a fetch went, for the metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetched {
    Cached,
    Sent,
}

type Pending = Shared<BoxFuture<'static, Result<Arc<FetchResponse>, FetchError>>>;

/// The server's one fetcher: its client, cache and requests in flight.
pub struct Fetcher {
    client: reqwest::Client,
    policy: Arc<AddressPolicy>,
    cache: cache::Cache<FetchResponse>,
    pending: Mutex<HashMap<cache::Key, Pending>>,
    /// Answers by URL instead of the network (`hookyard plugin test`: a
    /// fixture's keys); `None` on a server.
    canned: Option<HashMap<String, Arc<FetchResponse>>>,
}

impl Fetcher {
    pub fn new(policy: Arc<AddressPolicy>) -> Arc<Fetcher> {
        Arc::new(Fetcher {
            client: http_client(policy.clone()),
            policy,
            cache: cache::Cache::default(),
            pending: Mutex::default(),
            canned: None,
        })
    }

    /// A fetcher that never reaches the network: `answers` by URL (a `200`
    /// with that body), `failed` for any other allowed URL. Origins are
    /// checked as on a server.
    pub fn canned(answers: HashMap<String, Vec<u8>>) -> Arc<Fetcher> {
        let policy = Arc::new(AddressPolicy::default());
        Arc::new(Fetcher {
            client: http_client(policy.clone()),
            policy,
            cache: cache::Cache::default(),
            pending: Mutex::default(),
            canned: Some(
                answers
                    .into_iter()
                    .map(|(url, body)| {
                        let response = FetchResponse {
                            status: 200,
                            headers: Vec::new(),
                            body,
                        };
                        (url, Arc::new(response))
                    })
                    .collect(),
            ),
        })
    }

    /// Sends `request` if one of `origins` allows its URL; a fresh cached
    /// answer otherwise stands in.
    pub async fn send(
        self: &Arc<Self>,
        origins: &[Origin],
        request: FetchRequest,
    ) -> Result<(Arc<FetchResponse>, Fetched), FetchError> {
        let url = reqwest::Url::parse(&request.url)
            .map_err(|e| FetchError::NotAllowed(format!("{}: {e}", request.url)))?;
        if !origins.iter().any(|o| o.matches(&url)) {
            let declared: Vec<String> = origins.iter().map(Origin::to_string).collect();
            return Err(FetchError::NotAllowed(format!(
                "{} is not under the adapter's fetch origins ({})",
                url.origin().ascii_serialization(),
                match declared.is_empty() {
                    true => "none declared".to_string(),
                    false => declared.join(", "),
                }
            )));
        }
        if let Some(canned) = &self.canned {
            return match canned.get(&request.url) {
                Some(response) => Ok((response.clone(), Fetched::Cached)),
                None => Err(FetchError::Failed(format!(
                    "{}: not among the fixture's fetch answers",
                    request.url
                ))),
            };
        }
        check_url(&self.policy, &url).map_err(FetchError::NotAllowed)?;
        let key = key_of(&request);
        if let Some(response) = self.cache.get(&key) {
            return Ok((response, Fetched::Cached));
        }
        let pending = {
            let mut pending = self.pending.lock().expect("not poisoned");
            pending
                .entry(key)
                .or_insert_with(|| {
                    let fetcher = self.clone();
                    let task = tokio::spawn(async move {
                        let result = fetcher.fetch(url, request).await;
                        if let Ok(response) = &result {
                            let ttl = cache::ttl(response.header("cache-control"));
                            fetcher.cache.put(key, response.clone(), ttl);
                        }
                        fetcher.pending.lock().expect("not poisoned").remove(&key);
                        result
                    });
                    async move {
                        task.await
                            .unwrap_or_else(|e| Err(FetchError::Failed(format!("{e}"))))
                    }
                    .boxed()
                    .shared()
                })
                .clone()
        };
        pending.await.map(|response| (response, Fetched::Sent))
    }

    async fn fetch(
        &self,
        url: reqwest::Url,
        request: FetchRequest,
    ) -> Result<Arc<FetchResponse>, FetchError> {
        let failed = |what: String| FetchError::Failed(format!("{url}: {what}"));
        let method = reqwest::Method::from_bytes(request.method.as_bytes())
            .map_err(|_| failed(format!("bad method {:?}", request.method)))?;
        let mut builder = self.client.request(method, url.clone()).timeout(TIMEOUT);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if !request.body.is_empty() {
            builder = builder.body(request.body);
        }
        let mut response = builder.send().await.map_err(|e| failed(error_chain(&e)))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(failed(format!("answered {status}")));
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BODY as u64)
        {
            return Err(failed(format!("answer over {MAX_BODY} bytes")));
        }
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| failed(error_chain(&e)))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(failed(format!("answer over {MAX_BODY} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Arc::new(FetchResponse {
            status,
            headers,
            body,
        }))
    }
}

/// The cache key: a hash of everything that makes the request.
fn key_of(request: &FetchRequest) -> cache::Key {
    let mut hash = Sha256::new();
    for part in [request.method.as_bytes(), request.url.as_bytes()] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    for (name, value) in &request.headers {
        hash.update((name.len() as u64).to_be_bytes());
        hash.update(name.to_ascii_lowercase().as_bytes());
        hash.update((value.len() as u64).to_be_bytes());
        hash.update(value.as_bytes());
    }
    hash.update(&request.body);
    hash.finalize().into()
}

/// An error and its causes on one line (the SSRF guard's refusal is a cause).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What one adapter call may fetch: the server's fetcher and the origins of
/// the source the call serves.
#[derive(Clone)]
pub struct FetchScope {
    pub fetcher: Arc<Fetcher>,
    pub origins: Arc<[Origin]>,
}
