//! Building the request `sign` returns, for the adapters that write `sign`.
//!
//! Hand-written `sign` functions spent most of their lines on
//! `Header { name: "…".into(), value: … }` literals. [`SignedRequestBuilder`]
//! starts from the sign input's URL and body as a `POST` of JSON, and sets
//! headers by name (a second value for a name replaces the first, compared
//! case-insensitively).

use crate::{Header, SignInput, SignedRequest};

/// A [`SignedRequest`] under construction.
#[derive(Clone, Debug)]
pub struct SignedRequestBuilder {
    request: SignedRequest,
}

impl SignedRequestBuilder {
    /// A request with no headers.
    pub fn new(method: &str, url: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self {
            request: SignedRequest {
                method: method.into(),
                url: url.into(),
                headers: Vec::new(),
                body: body.into(),
            },
        }
    }

    /// `POST` of `input`'s body to its URL with `Content-Type: application/json`.
    pub fn post_json(input: &SignInput) -> Self {
        Self::new("POST", input.url.clone(), input.body.clone()).content_type("application/json")
    }

    pub fn method(mut self, method: &str) -> Self {
        self.request.method = method.into();
        self
    }

    /// The URL to call (e.g. with a query added).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.request.url = url.into();
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.request.body = body.into();
        self
    }

    /// Sets header `name`, replacing a value set before under any case.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self
            .request
            .headers
            .iter_mut()
            .find(|h| h.name.eq_ignore_ascii_case(name))
        {
            Some(existing) => {
                existing.name = name.into();
                existing.value = value;
            }
            None => self.request.headers.push(Header {
                name: name.into(),
                value,
            }),
        }
        self
    }

    /// Sets every header of `headers`, in order.
    pub fn headers(self, headers: impl IntoIterator<Item = Header>) -> Self {
        headers
            .into_iter()
            .fold(self, |b, h| b.header(&h.name, h.value))
    }

    pub fn content_type(self, value: &str) -> Self {
        self.header("Content-Type", value)
    }

    pub fn user_agent(self, value: &str) -> Self {
        self.header("User-Agent", value)
    }

    pub fn build(self) -> SignedRequest {
        self.request
    }
}

/// Continues from a finished request, e.g. a declaration's, to add to it.
impl From<SignedRequest> for SignedRequestBuilder {
    fn from(request: SignedRequest) -> Self {
        Self { request }
    }
}

impl From<SignedRequestBuilder> for SignedRequest {
    fn from(builder: SignedRequestBuilder) -> Self {
        builder.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_set_by_name() {
        let input = SignInput {
            body: b"{}".to_vec(),
            secret: "s".into(),
            event_type: None,
            delivery_id: "d".into(),
            url: "https://hooks.test/a".into(),
            settings: "{}".into(),
            now_ms: 0,
        };
        let request = SignedRequestBuilder::post_json(&input)
            .user_agent("Vendor/1")
            .header("X-Sig", "a")
            .content_type("text/plain")
            .headers([Header {
                name: "x-sig".into(),
                value: "b".into(),
            }])
            .url("https://hooks.test/a?x=1")
            .build();
        assert_eq!(
            (request.method.as_str(), request.url.as_str()),
            ("POST", "https://hooks.test/a?x=1")
        );
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        assert_eq!(
            headers,
            [
                ("Content-Type", "text/plain"),
                ("User-Agent", "Vendor/1"),
                ("x-sig", "b")
            ]
        );
        assert_eq!(request.body, b"{}");
        let more = SignedRequestBuilder::from(request)
            .header("X-More", "1")
            .build();
        assert_eq!(more.headers.len(), 4);
        let put = SignedRequestBuilder::new("PUT", "u", "x")
            .method("PATCH")
            .body("y")
            .build();
        assert_eq!(
            (put.method.as_str(), put.body.as_slice(), put.headers.len()),
            ("PATCH", &b"y"[..], 0)
        );
    }
}
