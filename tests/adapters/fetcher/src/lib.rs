//! A contract 0.2 test adapter for what 0.2 added, written with wit-bindgen
//! alone so it tests the host, not the SDK:
//! - `verify` fetches its key from the body's `key_url` through the host's
//!   `fetch` import (declared origin: `https://keys.hookyard.test`; a test
//!   source adds its local key server with `limits.add_fetch_origins`), then
//!   checks `Authorization: Bearer <HS256 JWT>` with the host's `verify-jwt`
//!   (audience `hookyard-test`), keyed with the fetched bytes;
//! - `handle` maps the body's `type` and `id` into one event, and when the
//!   body says `"reply": true` answers with `{"type": 4}` too, and asks for
//!   a follow-up `GET` of the body's `follow_up` URL if there is one.
//!
//! A fetch the host refuses is `unauthorized` with the host's reason, so a
//! test reads in the request log why.

wit_bindgen::generate!({
    path: "../../../wit",
    world: "adapter-world",
});

use exports::hookyard::adapter::adapter::Guest;
use hookyard::adapter::crypto::{self, JwtRules};
use hookyard::adapter::fetch::{self, FetchError};
use hookyard::adapter::types::*;
use serde_json::Value;

struct Fetcher;

fn json(request: &Request) -> Result<Value, String> {
    serde_json::from_slice(&request.body).map_err(|e| format!("body is not JSON: {e}"))
}

fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key)?.as_str().map(str::to_string)
}

fn get(url: String) -> OutgoingRequest {
    OutgoingRequest {
        method: "GET".into(),
        url,
        headers: vec![],
        body: vec![],
    }
}

impl Guest for Fetcher {
    fn manifest() -> AdapterManifest {
        AdapterManifest {
            name: "test-fetcher".into(),
            version: "0.2.0".into(),
            display_name: "Fetching test adapter".into(),
            description: "Fetches its key, verifies a JWT with it, replies".into(),
            docs_url: String::new(),
            secrets: vec![],
            settings_schema: r#"{"type":"object"}"#.into(),
            event_types: vec![],
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/type".into(),
                note: String::new(),
            },
            presets: vec![],
            fetch_origins: vec!["https://keys.hookyard.test".into()],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let body = json(&request).map_err(VerifyError::Malformed)?;
        let url = text(&body, "key_url").ok_or(VerifyError::MissingSignature("key_url".into()))?;
        let key = match fetch::send(&get(url)) {
            Ok(response) => response.body,
            Err(FetchError::NotAllowed(why)) => {
                return Err(VerifyError::Unauthorized(format!(
                    "fetch not allowed: {why}"
                )));
            }
            Err(FetchError::Failed(why)) => {
                return Err(VerifyError::Unauthorized(format!("fetch failed: {why}")));
            }
        };
        let token = request
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("authorization"))
            .and_then(|h| h.value.strip_prefix("Bearer "))
            .ok_or(VerifyError::MissingSignature("Authorization".into()))?;
        let rules = JwtRules {
            algorithms: vec!["HS256".into()],
            audiences: vec!["hookyard-test".into()],
            issuers: vec![],
            require_expiry: true,
            leeway_seconds: 5,
            now_ms: context.now_ms,
        };
        match crypto::verify_jwt(token, &key, &rules) {
            Ok(_) => Ok(()),
            Err(crypto::JwtError::BadSignature) => Err(VerifyError::BadSignature),
            Err(crypto::JwtError::Expired(skew)) => Err(VerifyError::TimestampOutOfTolerance(skew)),
            Err(crypto::JwtError::Malformed(why)) => Err(VerifyError::Malformed(why)),
            Err(crypto::JwtError::Claims(why)) => Err(VerifyError::Unauthorized(why)),
        }
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = json(&request).map_err(HandleError::Malformed)?;
        // A follow-up URL may hold a token: it stays out of the event.
        let mut data = body.clone();
        if let Some(fields) = data.as_object_mut() {
            fields.remove("follow_up");
        }
        let event = Event {
            event_type: text(&body, "type").ok_or(HandleError::Malformed("no type".into()))?,
            dedup_id: text(&body, "id"),
            occurred_at: None,
            subject: None,
            data: data.to_string(),
        };
        if body.get("reply") != Some(&Value::Bool(true)) {
            return Ok(Outcome::Events(vec![event]));
        }
        Ok(Outcome::Reply(Reply {
            events: vec![event],
            response: Some(DirectResponse {
                status: 200,
                headers: vec![Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                }],
                body: br#"{"type":4}"#.to_vec(),
            }),
            follow_up: text(&body, "follow_up").map(get),
        }))
    }

    fn sign(_input: SignInput) -> Result<SignedRequest, String> {
        Err("test-fetcher does not sign".into())
    }
}

export!(Fetcher);
