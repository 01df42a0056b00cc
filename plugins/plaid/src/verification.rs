//! Plaid's webhook verification ("Webhook verification" in Plaid's API
//! docs): `Plaid-Verification` is an ES256 JWT whose header `kid` names a
//! key Plaid hands out, authenticated, at
//! `POST {environment}.plaid.com/webhook_verification_key/get` with
//! `{client_id, secret, key_id}`; an expired key (`expired_at` set) is
//! refused. The JWT must be signed with ES256 (checked before anything else,
//! so `alg: none` or HS256 never reach the key fetch), issued (`iat`) within
//! five minutes of the host clock, and its `request_body_sha256` claim must
//! equal the hex SHA-256 of the raw body (constant time).
//!
//! The client id is the `client_id` setting; the Plaid secret is the
//! source's secret (several during a rotation: the newest that Plaid accepts
//! fetches the key).

use hookyard_sdk::crypto::{JwtError, JwtRules};
use hookyard_sdk::prelude::*;
use hookyard_sdk::serde_json;
use serde::Deserialize;

pub const HEADER: &str = "Plaid-Verification";
/// Plaid's documented window for `iat`.
const MAX_AGE_SECONDS: i64 = 5 * 60;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    client_id: Option<String>,
    #[serde(default = "production")]
    environment: String,
}

fn production() -> String {
    "production".into()
}

/// The key endpoint of a Plaid environment.
fn key_url(environment: &str) -> Result<String, VerifyError> {
    match environment {
        "production" | "sandbox" | "development" => Ok(format!(
            "https://{environment}.plaid.com/webhook_verification_key/get"
        )),
        other => Err(VerifyError::Malformed(format!(
            "invalid settings: environment `{other}` is not production, sandbox or development"
        ))),
    }
}

/// The JWT's protected header, read before its signature is checked: only
/// to pick the algorithm (must be ES256) and the key id.
fn header_kid(token: &str) -> Result<String, VerifyError> {
    let malformed = |why: &str| VerifyError::Malformed(format!("{HEADER}: {why}"));
    let encoded = token.split('.').next().unwrap_or_default();
    let mut standard = encoded.replace('-', "+").replace('_', "/");
    standard.push_str(&"=".repeat((4 - standard.len() % 4) % 4));
    let bytes = base64_decode(&standard).map_err(|_| malformed("header is not base64url"))?;
    let header: Value =
        serde_json::from_slice(&bytes).map_err(|_| malformed("header is not JSON"))?;
    if header.get("alg").and_then(Value::as_str) != Some("ES256") {
        return Err(malformed("alg is not ES256"));
    }
    json_string(&header, "/kid").ok_or_else(|| malformed("header has no kid"))
}

/// The JWK Plaid answers for `kid`, fetched with the first secret Plaid
/// accepts.
fn fetch_key(
    url: &str,
    client_id: &str,
    secrets: &[String],
    kid: &str,
) -> Result<Vec<u8>, VerifyError> {
    let mut last = String::new();
    for secret in secrets {
        let body = json!({"client_id": client_id, "secret": secret, "key_id": kid});
        let request = OutgoingRequest {
            method: "POST".into(),
            url: url.into(),
            headers: vec![Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            }],
            body: body.to_string().into_bytes(),
        };
        match fetch::send(request) {
            Ok(response) => return key_of(&response.body),
            Err(e) => last = fetch::describe(&e),
        }
    }
    Err(VerifyError::Unauthorized(format!(
        "no verification key for kid {kid}: {last}"
    )))
}

/// The `key` of Plaid's answer, refused once Plaid has expired it.
fn key_of(answer: &[u8]) -> Result<Vec<u8>, VerifyError> {
    let answer: Value = serde_json::from_slice(answer)
        .map_err(|_| VerifyError::Unauthorized("the key endpoint did not answer JSON".into()))?;
    let key = answer
        .get("key")
        .filter(|key| key.is_object())
        .ok_or_else(|| VerifyError::Unauthorized("the key endpoint answered no key".into()))?;
    if !key.get("expired_at").is_none_or(Value::is_null) {
        return Err(VerifyError::Unauthorized(
            "Plaid expired this verification key".into(),
        ));
    }
    Ok(key.to_string().into_bytes())
}

pub fn verify(request: &Request, context: &Context) -> Result<(), VerifyError> {
    let secrets = context.require_secrets()?;
    let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
    let client_id = settings
        .client_id
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| VerifyError::Unauthorized("the client_id setting is required".into()))?;
    let url = key_url(&settings.environment)?;
    let token = request.require_header(HEADER)?.trim();
    let kid = header_kid(token)?;
    let key = fetch_key(&url, client_id.trim(), secrets, &kid)?;
    let rules = JwtRules {
        algorithms: vec!["ES256".into()],
        audiences: vec![],
        issuers: vec![],
        require_expiry: false,
        leeway_seconds: 0,
        now_ms: context.now_ms,
    };
    let claims = crypto::verify_jwt(token, &key, &rules).map_err(|e| match e {
        JwtError::BadSignature => VerifyError::BadSignature,
        JwtError::Expired(skew) => VerifyError::TimestampOutOfTolerance(skew),
        JwtError::Malformed(why) | JwtError::Claims(why) => {
            VerifyError::Malformed(format!("{HEADER}: {why}"))
        }
    })?;
    let claims: Value = serde_json::from_str(&claims)
        .map_err(|_| VerifyError::Malformed(format!("{HEADER}: claims are not JSON")))?;
    let body_hash = json_string(&claims, "/request_body_sha256")
        .ok_or_else(|| VerifyError::Malformed(format!("{HEADER}: no request_body_sha256")))?;
    if !crypto::constant_time_eq(
        body_hash.to_ascii_lowercase().as_bytes(),
        hex_encode(&crypto::sha256(&request.body)).as_bytes(),
    ) {
        return Err(VerifyError::BadSignature);
    }
    let issued = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or_else(|| VerifyError::Malformed(format!("{HEADER}: no numeric iat")))?;
    check_timestamp(issued, context.now_ms, MAX_AGE_SECONDS)
}
