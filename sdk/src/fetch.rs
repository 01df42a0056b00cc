//! Keys and certificates fetched through the host (contract 0.2 `fetch`).
//!
//! An adapter has no network of its own: it asks the host, which only sends
//! to the manifest's `fetch-origins` (or the source's own list), through its
//! SSRF guard, with a timeout, a size cap and a cache. On wasm32 [`send`]
//! calls that import.
//!
//! Natively (`cargo test`) there is no host: [`send`] answers from a
//! per-thread table that tests fill with
//! [`testing::serve_fetch`](crate::testing::serve_fetch) (or
//! [`testing::serve_fetch_response`](crate::testing::serve_fetch_response)),
//! keyed by method and exact URL. Anything not in the table is `not-allowed`,
//! as an undeclared origin is on the host, so a test never reaches the
//! network and an adapter that forgets to handle refusal fails its tests.
//! Every request is recorded ([`testing::fetched`](crate::testing::fetched)).

use crate::{FetchError, FetchResponse, Header, OutgoingRequest};

/// Sends `request` through the host and returns its `2xx` answer.
pub fn send(request: OutgoingRequest) -> Result<FetchResponse, FetchError> {
    imp::send(request)
}

/// A `GET` of `url` with no headers: the usual key or certificate fetch.
pub fn get(url: &str) -> Result<FetchResponse, FetchError> {
    send(OutgoingRequest {
        method: "GET".into(),
        url: url.into(),
        headers: Vec::new(),
        body: Vec::new(),
    })
}

/// A `GET` of `url` whose body is returned as bytes; any refusal or failure
/// becomes its message (for adapters that turn it into a verify error).
pub fn get_bytes(url: &str) -> Result<Vec<u8>, String> {
    get(url).map(|r| r.body).map_err(|e| describe(&e))
}

/// What went wrong, as text for a log line or a verify error.
pub fn describe(error: &FetchError) -> String {
    match error {
        FetchError::NotAllowed(why) => format!("fetch not allowed: {why}"),
        FetchError::Failed(why) => format!("fetch failed: {why}"),
    }
}

/// A response with status 200, no headers and this body.
pub fn ok_response(body: impl Into<Vec<u8>>) -> FetchResponse {
    FetchResponse {
        status: 200,
        headers: Vec::<Header>::new(),
        body: body.into(),
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use crate::{FetchError, FetchResponse, OutgoingRequest};

    pub fn send(request: OutgoingRequest) -> Result<FetchResponse, FetchError> {
        crate::bindings::hookyard::adapter::fetch::send(&request)
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod imp {
    use crate::{FetchError, FetchResponse, OutgoingRequest};
    use std::cell::RefCell;
    use std::collections::HashMap;

    thread_local! {
        static SERVED: RefCell<HashMap<(String, String), FetchResponse>> = RefCell::new(HashMap::new());
        static SENT: RefCell<Vec<OutgoingRequest>> = const { RefCell::new(Vec::new()) };
    }

    pub fn send(request: OutgoingRequest) -> Result<FetchResponse, FetchError> {
        let key = (request.method.to_ascii_uppercase(), request.url.clone());
        SENT.with(|sent| sent.borrow_mut().push(request));
        SERVED
            .with(|served| served.borrow().get(&key).cloned())
            .ok_or_else(|| {
                FetchError::NotAllowed(format!("{} {} is not served by this test", key.0, key.1))
            })
    }

    pub fn serve(method: &str, url: &str, response: FetchResponse) {
        SERVED.with(|served| {
            served
                .borrow_mut()
                .insert((method.to_ascii_uppercase(), url.to_string()), response)
        });
    }

    pub fn clear() {
        SERVED.with(|served| served.borrow_mut().clear());
        SENT.with(|sent| sent.borrow_mut().clear());
    }

    pub fn sent() -> Vec<OutgoingRequest> {
        SENT.with(|sent| sent.borrow().clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{clear_fetch, fetched, serve_fetch};

    #[test]
    fn only_served_urls_answer_natively() {
        clear_fetch();
        serve_fetch("https://keys.example.com/jwks", b"{\"keys\":[]}");
        let answer = get("https://keys.example.com/jwks").unwrap();
        assert_eq!(
            (answer.status, answer.body.as_slice()),
            (200, &b"{\"keys\":[]}"[..])
        );
        assert!(matches!(
            get("https://keys.example.com/other"),
            Err(FetchError::NotAllowed(_))
        ));
        let post = send(OutgoingRequest {
            method: "POST".into(),
            url: "https://keys.example.com/jwks".into(),
            headers: vec![],
            body: vec![],
        });
        assert!(
            matches!(post, Err(FetchError::NotAllowed(_))),
            "method is part of the key"
        );
        assert!(
            get_bytes("https://elsewhere.test/")
                .unwrap_err()
                .starts_with("fetch not allowed")
        );
        let urls: Vec<String> = fetched().into_iter().map(|r| r.url).collect();
        assert_eq!(urls.len(), 4);
        clear_fetch();
        assert!(get("https://keys.example.com/jwks").is_err());
        assert_eq!(fetched().len(), 1);
    }
}
