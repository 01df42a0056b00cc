//! The Standard Webhooks scheme (standardwebhooks.com), as Svix and the
//! vendors that follow the spec send it: headers `webhook-id`,
//! `webhook-timestamp` (Unix seconds) and `webhook-signature`, the latter one
//! or more space-separated `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`
//! (several while a secret is rotated; other versions are ignored). Made by
//! [`Scheme::standard_webhooks`](super::Scheme::standard_webhooks).

use super::{SigningScheme, tolerance, tolerance_setting};
use crate::crypto::{constant_time_eq, hmac_sha256};
use crate::encoding::{base64_decode, base64_encode};
use crate::request::{ContextExt, RequestExt};
use crate::signature::{DEFAULT_TOLERANCE_SECONDS, check_timestamp};
use crate::signed::SignedRequestBuilder;
use crate::{Context, Request, SignInput, VerifyError};
use serde_json::Value;

/// How a vendor's secret becomes the HMAC key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StandardKey {
    /// The spec's: the base64 after `whsec_` (a bare base64 secret too); a
    /// secret that is not base64 is a configuration error (`unauthorized`).
    Whsec,
    /// `whsec_…` as in the spec, any other secret as its UTF-8 bytes (the
    /// `openai` library's `webhooks.verify_signature`).
    WhsecOrText,
    /// The secret's UTF-8 bytes, and also its base64 (after an optional
    /// `whsec_`) when it decodes: both keys are tried (Polar's SDKs).
    TextOrBase64,
}

impl StandardKey {
    /// The candidate keys of `secret`, the one `sign` uses first.
    pub fn keys(self, secret: &str) -> Result<Vec<Vec<u8>>, String> {
        let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
        Ok(match self {
            StandardKey::Whsec => vec![base64_decode(encoded)?],
            StandardKey::WhsecOrText if secret.starts_with("whsec_") => {
                vec![base64_decode(encoded)?]
            }
            StandardKey::WhsecOrText => vec![secret.as_bytes().to_vec()],
            StandardKey::TextOrBase64 => {
                let text = secret.as_bytes().to_vec();
                match base64_decode(encoded) {
                    Ok(key) if !key.is_empty() && key != text => vec![text, key],
                    _ => vec![text],
                }
            }
        })
    }
}

/// Standard Webhooks headers under `prefix` (`webhook`, or `svix`), a key
/// derivation, and a tolerance (300 s unless changed; the source's
/// `tolerance_seconds` setting overrides it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandardWebhooks {
    pub prefix: &'static str,
    pub key: StandardKey,
    pub tolerance_seconds: i64,
    pub tolerance_note: &'static str,
}

impl StandardWebhooks {
    pub(super) const fn new() -> Self {
        Self {
            prefix: "webhook",
            key: StandardKey::Whsec,
            tolerance_seconds: DEFAULT_TOLERANCE_SECONDS,
            tolerance_note: "",
        }
    }

    /// The header names' prefix (`svix` reads `svix-id`, …).
    pub const fn header_prefix(self, prefix: &'static str) -> Self {
        Self { prefix, ..self }
    }

    /// How the secret becomes the key.
    pub const fn key(self, key: StandardKey) -> Self {
        Self { key, ..self }
    }

    /// The default tolerance in seconds (the setting still overrides it).
    pub const fn tolerance(self, tolerance_seconds: i64) -> Self {
        Self {
            tolerance_seconds,
            ..self
        }
    }

    /// Describes the `tolerance_seconds` setting.
    pub const fn tolerance_note(self, note: &'static str) -> Self {
        Self {
            tolerance_note: note,
            ..self
        }
    }

    fn header(&self, suffix: &str) -> String {
        format!("{}-{suffix}", self.prefix)
    }

    fn content(id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
        let mut content = format!("{id}.{timestamp}.").into_bytes();
        content.extend_from_slice(body);
        content
    }
}

impl SigningScheme for StandardWebhooks {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, self.tolerance_seconds)?;
        let id = request.require_header(&self.header("id"))?;
        let timestamp = request.require_header(&self.header("timestamp"))?;
        let header = request.require_header(&self.header("signature"))?;
        if !timestamp.bytes().all(|b| b.is_ascii_digit()) {
            let name = self.header("timestamp");
            return Err(VerifyError::Malformed(format!("{name} must be digits")));
        }
        let seconds: i64 = timestamp.parse().map_err(|_| {
            VerifyError::Malformed(format!("{} is not a number", self.header("timestamp")))
        })?;
        let signatures = header
            .split_whitespace()
            .filter_map(|item| item.split_once(','))
            .filter(|(version, _)| *version == "v1")
            .map(|(_, signature)| base64_decode(signature))
            .collect::<Result<Vec<_>, _>>()
            .map_err(VerifyError::Malformed)?;
        if signatures.is_empty() {
            let name = self.header("signature");
            return Err(VerifyError::MissingSignature(format!("{name} v1")));
        }
        let mut keys = Vec::new();
        for secret in secrets {
            keys.extend(self.key.keys(secret).map_err(|e| {
                VerifyError::Unauthorized(format!(
                    "a configured secret is not a whsec_ secret ({e})"
                ))
            })?);
        }
        let content = Self::content(id, timestamp, &request.body);
        // Every key against every signature: timing shows no match count.
        let mut matched = false;
        for key in &keys {
            let mac = hmac_sha256(key, &content);
            for signature in &signatures {
                matched |= constant_time_eq(&mac, signature);
            }
        }
        if !matched {
            return Err(VerifyError::BadSignature);
        }
        check_timestamp(seconds, context.now_ms, tolerance)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let key = self.key.keys(&input.secret)?.remove(0);
        let timestamp = input.now_ms.div_euclid(1000).to_string();
        let mac = hmac_sha256(
            &key,
            &Self::content(&input.delivery_id, &timestamp, &input.body),
        );
        Ok(request
            .header(&self.header("id"), input.delivery_id.clone())
            .header(&self.header("timestamp"), timestamp)
            .header(
                &self.header("signature"),
                format!("v1,{}", base64_encode(&mac)),
            ))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            self.tolerance_seconds,
            self.tolerance_note,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::Scheme;
    use crate::testing::{context, request};

    const WHSEC: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    #[test]
    fn the_published_vector_verifies() {
        // standard-webhooks libraries/python/tests/test_webhooks.py
        let req = request(
            "POST",
            "/",
            &[
                ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
                ("webhook-timestamp", "1614265330"),
                (
                    "webhook-signature",
                    "v2,AAAA v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                ),
            ],
            br#"{"test": 2432232314}"#,
        );
        let scheme = Scheme::standard_webhooks();
        assert!(
            scheme
                .verify(&req, &context(&[WHSEC], "{}", 1614265330))
                .is_ok()
        );
        assert!(matches!(
            scheme.verify(&req, &context(&[WHSEC], "{}", 1614265330 + 301)),
            Err(VerifyError::TimestampOutOfTolerance(301))
        ));
        assert!(matches!(
            scheme.verify(&req, &context(&["not base64!"], "{}", 1614265330)),
            Err(VerifyError::Unauthorized(_))
        ));
    }

    #[test]
    fn keys_follow_the_vendor() {
        let decoded = base64_decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            StandardKey::Whsec.keys(WHSEC).unwrap(),
            vec![decoded.clone()]
        );
        assert_eq!(
            StandardKey::WhsecOrText.keys(WHSEC).unwrap(),
            vec![decoded.clone()]
        );
        assert_eq!(
            StandardKey::WhsecOrText.keys("plain").unwrap(),
            vec![b"plain".to_vec()]
        );
        assert_eq!(
            StandardKey::TextOrBase64.keys(WHSEC).unwrap(),
            vec![WHSEC.as_bytes().to_vec(), decoded]
        );
        assert_eq!(
            StandardKey::TextOrBase64.keys("polar_whs_x!").unwrap(),
            vec![b"polar_whs_x!".to_vec()]
        );
    }

    #[test]
    fn it_verifies_what_it_signs_under_any_prefix_and_key() {
        for scheme in [
            Scheme::standard_webhooks(),
            Scheme::standard_webhooks().header_prefix("svix"),
            Scheme::standard_webhooks().key(StandardKey::TextOrBase64),
        ] {
            let input = SignInput {
                body: b"{}".to_vec(),
                secret: WHSEC.into(),
                event_type: None,
                delivery_id: "msg_1".into(),
                url: "https://hooks.test/".into(),
                settings: "{}".into(),
                now_ms: 1_763_800_000_000,
            };
            let signed = scheme
                .sign(&input, SignedRequestBuilder::post_json(&input))
                .unwrap()
                .build();
            let pairs: Vec<(&str, &str)> = signed
                .headers
                .iter()
                .map(|h| (h.name.as_str(), h.value.as_str()))
                .collect();
            let ctx = context(&["whsec_b3RoZXI=", WHSEC], "{}", 1_763_800_000);
            assert!(
                scheme
                    .verify(&request("POST", "/", &pairs, b"{}"), &ctx)
                    .is_ok()
            );
            assert!(matches!(
                scheme.verify(&request("POST", "/", &pairs, b"{ }"), &ctx),
                Err(VerifyError::BadSignature)
            ));
            assert!(matches!(
                scheme.verify(&request("POST", "/", &pairs[..2], b"{}"), &ctx),
                Err(VerifyError::MissingSignature(_))
            ));
        }
    }
}
