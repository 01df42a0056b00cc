//! An HS256 JWT (compact JWS) keyed with the shared secret whose claim
//! `claim` is the hex SHA-256 of the raw body (Netlify's
//! `X-Webhook-Signature` with `sha256`, Vonage's `Authorization: Bearer`
//! with `payload_hash`). The host's `verify-jwt` checks the MAC, the issuer
//! when one is required, and `exp` when present; the scheme then compares
//! the claim with the body's hash in constant time. Made by
//! [`Scheme::jwt_body_hash`](super::Scheme::jwt_body_hash).

use super::SigningScheme;
use crate::auth::bearer_token;
use crate::crypto::{self, JwtError, JwtRules};
use crate::encoding::{base64_encode, hex_encode};
use crate::request::{ContextExt, RequestExt, json_string};
use crate::signed::SignedRequestBuilder;
use crate::{Context, Request, SignInput, VerifyError};
use serde_json::{Map, Value};

impl super::Scheme {
    /// `header: <HS256 JWT>` whose claim `claim` is the hex SHA-256 of the
    /// body; `.bearer()` for `Authorization: Bearer <JWT>`, `.issuer(iss)`
    /// to require (and sign) `iss`, `.sign_issuer(iss)` to only sign it,
    /// `.sign_issued_at()` / `.sign_jwt_id()` for `iat` / `jti` (the
    /// delivery id) in signed tokens.
    pub const fn jwt_body_hash(header: &'static str, claim: &'static str) -> JwtBodyHash {
        JwtBodyHash {
            header,
            claim,
            bearer: false,
            issuer: None,
            check_issuer: false,
            issued_at: false,
            jwt_id: false,
        }
    }
}

/// See [`Scheme::jwt_body_hash`](super::Scheme::jwt_body_hash). No time
/// bound of its own: a token without `exp` never expires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JwtBodyHash {
    pub header: &'static str,
    /// The claim holding the body's hex SHA-256.
    pub claim: &'static str,
    /// The header is `Bearer <JWT>`.
    pub bearer: bool,
    /// `iss` in signed tokens (and required when `check_issuer`).
    pub issuer: Option<&'static str>,
    pub check_issuer: bool,
    /// Signed tokens carry `iat` (the signing time, Unix seconds).
    pub issued_at: bool,
    /// Signed tokens carry `jti` (the delivery id).
    pub jwt_id: bool,
}

impl JwtBodyHash {
    /// `header: Bearer <JWT>`.
    pub const fn bearer(self) -> Self {
        Self {
            bearer: true,
            ..self
        }
    }

    /// Requires `iss` to be `issuer` (a malformed request otherwise) and
    /// signs it.
    pub const fn issuer(self, issuer: &'static str) -> Self {
        Self {
            issuer: Some(issuer),
            check_issuer: true,
            ..self
        }
    }

    /// Signs `iss: issuer` without requiring it when verifying.
    pub const fn sign_issuer(self, issuer: &'static str) -> Self {
        Self {
            issuer: Some(issuer),
            check_issuer: false,
            ..self
        }
    }

    /// Signed tokens carry `iat`.
    pub const fn sign_issued_at(self) -> Self {
        Self {
            issued_at: true,
            ..self
        }
    }

    /// Signed tokens carry `jti`, the delivery id.
    pub const fn sign_jwt_id(self) -> Self {
        Self {
            jwt_id: true,
            ..self
        }
    }

    /// The claims of the first secret whose MAC matches; any other refusal
    /// is final.
    fn claims(&self, token: &str, secrets: &[String], now_ms: i64) -> Result<Value, VerifyError> {
        let rules = JwtRules {
            algorithms: vec!["HS256".into()],
            audiences: vec![],
            issuers: match (self.check_issuer, self.issuer) {
                (true, Some(issuer)) => vec![issuer.into()],
                _ => vec![],
            },
            require_expiry: false,
            leeway_seconds: 0,
            now_ms,
        };
        let mut outcome = Err(JwtError::BadSignature);
        for secret in secrets {
            outcome = crypto::verify_jwt(token, secret.as_bytes(), &rules);
            if !matches!(outcome, Err(JwtError::BadSignature)) {
                break;
            }
        }
        let header = self.header;
        let claims = outcome.map_err(|e| match e {
            JwtError::BadSignature => VerifyError::BadSignature,
            JwtError::Expired(skew) => VerifyError::TimestampOutOfTolerance(skew),
            JwtError::Malformed(why) | JwtError::Claims(why) => {
                VerifyError::Malformed(format!("{header}: {why}"))
            }
        })?;
        serde_json::from_str(&claims)
            .map_err(|_| VerifyError::Malformed(format!("{header}: claims are not JSON")))
    }
}

fn base64url(bytes: &[u8]) -> String {
    base64_encode(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

impl SigningScheme for JwtBodyHash {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let value = request.require_header(self.header)?;
        let token = match self.bearer {
            true => bearer_token(value).ok_or_else(|| {
                VerifyError::Malformed(format!("{} is not Bearer <JWT>", self.header))
            })?,
            false => value,
        };
        let claims = self.claims(token.trim(), secrets, context.now_ms)?;
        let hash = json_string(&claims, &format!("/{}", self.claim)).ok_or_else(|| {
            VerifyError::Malformed(format!("{}: no {} claim", self.header, self.claim))
        })?;
        let body = hex_encode(&crypto::sha256(&request.body));
        match crypto::constant_time_eq(hash.to_ascii_lowercase().as_bytes(), body.as_bytes()) {
            true => Ok(()),
            false => Err(VerifyError::BadSignature),
        }
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let mut claims = Map::new();
        if self.issued_at {
            claims.insert("iat".into(), input.now_ms.div_euclid(1000).into());
        }
        if self.jwt_id {
            claims.insert("jti".into(), input.delivery_id.clone().into());
        }
        if let Some(issuer) = self.issuer {
            claims.insert("iss".into(), issuer.into());
        }
        let hash = hex_encode(&crypto::sha256(&input.body));
        claims.insert(self.claim.into(), hash.into());
        let signing_input = format!(
            "{}.{}",
            base64url(br#"{"alg":"HS256","typ":"JWT"}"#),
            base64url(Value::Object(claims).to_string().as_bytes())
        );
        let mac = crypto::hmac_sha256(input.secret.as_bytes(), signing_input.as_bytes());
        let token = format!("{signing_input}.{}", base64url(&mac));
        Ok(request.header(
            self.header,
            match self.bearer {
                true => format!("Bearer {token}"),
                false => token,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::Scheme;
    use crate::testing::{context, request};

    const NOW: i64 = 1_763_800_000;
    const BODY: &[u8] = br#"{"id":"1"}"#;

    fn signed(scheme: &JwtBodyHash, secret: &str, body: &[u8]) -> String {
        let input = SignInput {
            body: body.to_vec(),
            secret: secret.into(),
            event_type: None,
            delivery_id: "d1".into(),
            url: "https://hooks.test/".into(),
            settings: "{}".into(),
            now_ms: NOW * 1000,
        };
        let built = scheme
            .sign(&input, SignedRequestBuilder::post_json(&input))
            .unwrap()
            .build();
        built
            .headers
            .into_iter()
            .find(|h| h.name.eq_ignore_ascii_case(scheme.header))
            .unwrap()
            .value
    }

    fn verify(scheme: &JwtBodyHash, value: &str, secrets: &[&str], body: &[u8]) -> &'static str {
        let req = request("POST", "/", &[(scheme.header, value)], body);
        match scheme.verify(&req, &context(secrets, "{}", NOW)) {
            Ok(()) => "ok",
            Err(e) => crate::testing::verify_code(&e),
        }
    }

    fn claims_of(token: &str) -> Value {
        let payload = token.split('.').nth(1).unwrap();
        let b64 = payload.replace('-', "+").replace('_', "/");
        let padded = format!("{b64}{}", "=".repeat((4 - b64.len() % 4) % 4));
        serde_json::from_slice(&crate::encoding::base64_decode(&padded).unwrap()).unwrap()
    }

    #[test]
    fn raw_token_with_issuer() {
        let scheme = Scheme::jwt_body_hash("X-Webhook-Signature", "sha256").issuer("netlify");
        let token = signed(&scheme, "s1", BODY);
        let claims = claims_of(&token);
        assert_eq!(claims["iss"], "netlify");
        assert_eq!(claims["sha256"], hex_encode(&crypto::sha256(BODY)));
        assert!(claims.get("iat").is_none() && claims.get("jti").is_none());
        assert_eq!(verify(&scheme, &token, &["s1"], BODY), "ok");
        assert_eq!(verify(&scheme, &token, &["other", "s1"], BODY), "ok");
        assert_eq!(verify(&scheme, &token, &["other"], BODY), "bad_signature");
        assert_eq!(
            verify(&scheme, &token, &["s1"], br#"{"id":"2"}"#),
            "bad_signature"
        );
        assert_eq!(verify(&scheme, &token, &[], BODY), "unauthorized");
        assert_eq!(verify(&scheme, "not.a.jwt", &["s1"], BODY), "malformed");
        assert_eq!(verify(&scheme, "garbage", &["s1"], BODY), "malformed");
        let req = request("POST", "/", &[], BODY);
        assert_eq!(
            crate::testing::verify_code(
                &scheme
                    .verify(&req, &context(&["s1"], "{}", NOW))
                    .unwrap_err()
            ),
            "missing_signature"
        );
    }

    #[test]
    fn the_issuer_is_required_only_when_asked() {
        let strict = Scheme::jwt_body_hash("X-Webhook-Signature", "sha256").issuer("netlify");
        let other = Scheme::jwt_body_hash("X-Webhook-Signature", "sha256").issuer("someone");
        let token = signed(&other, "s1", BODY);
        assert_eq!(verify(&strict, &token, &["s1"], BODY), "malformed");
        let lax = Scheme::jwt_body_hash("X-Webhook-Signature", "sha256").sign_issuer("netlify");
        assert_eq!(verify(&lax, &token, &["s1"], BODY), "ok");
        assert_eq!(claims_of(&signed(&lax, "s1", BODY))["iss"], "netlify");
    }

    #[test]
    fn bearer_with_extra_claims() {
        let scheme = Scheme::jwt_body_hash("Authorization", "payload_hash")
            .bearer()
            .sign_issuer("Vonage")
            .sign_issued_at()
            .sign_jwt_id();
        let value = signed(&scheme, "s1", BODY);
        let token = value.strip_prefix("Bearer ").unwrap();
        let claims = claims_of(token);
        assert_eq!(claims["iat"], NOW);
        assert_eq!(claims["jti"], "d1");
        assert_eq!(claims["iss"], "Vonage");
        assert_eq!(claims["payload_hash"], hex_encode(&crypto::sha256(BODY)));
        assert_eq!(verify(&scheme, &value, &["s1"], BODY), "ok");
        assert_eq!(verify(&scheme, &value, &["old", "s1"], BODY), "ok");
        assert_eq!(verify(&scheme, &value, &["old"], BODY), "bad_signature");
        assert_eq!(verify(&scheme, &value, &["s1"], b"{}"), "bad_signature");
        assert_eq!(verify(&scheme, token, &["s1"], BODY), "malformed");
        assert_eq!(verify(&scheme, "Bearer x.y", &["s1"], BODY), "malformed");
    }

    #[test]
    fn a_token_without_the_claim_is_malformed() {
        let with = Scheme::jwt_body_hash("X-Sig", "other");
        let scheme = Scheme::jwt_body_hash("X-Sig", "sha256");
        let token = signed(&with, "s1", BODY);
        assert_eq!(verify(&scheme, &token, &["s1"], BODY), "malformed");
    }
}
