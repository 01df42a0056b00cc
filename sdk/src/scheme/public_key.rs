//! A vendor's private-key signature over a Unix timestamp header followed
//! directly by the raw body, checked with the public keys the source holds
//! as secrets: Discord (Ed25519, hex) and SendGrid's Signed Event Webhook
//! (ECDSA P-256, base64). Made by
//! [`Scheme::public_key_timestamp_then_body`](super::Scheme::public_key_timestamp_then_body).
//! The secrets are public keys, so nothing can be signed.

use super::{SigningScheme, tolerance, tolerance_setting};
use crate::crypto;
use crate::encoding::{base64_decode, hex_decode};
use crate::request::{ContextExt, RequestExt};
use crate::schemes::Encoding;
use crate::signature::{DEFAULT_TOLERANCE_SECONDS, check_timestamp};
use crate::signed::SignedRequestBuilder;
use crate::{Context, Request, SignInput, VerifyError};
use serde_json::Value;

impl super::Scheme {
    /// `signature_header: <encoded signature over timestamp + body>`, the
    /// vendor's private-key signature with the Unix timestamp in
    /// `timestamp_header`, checked with public keys pasted as secrets,
    /// five minutes' tolerance (Discord: Ed25519, hex; SendGrid: ECDSA
    /// P-256, base64); `.tolerance`, `.tolerance_note`. Cannot sign.
    pub const fn public_key_timestamp_then_body(
        signature_header: &'static str,
        timestamp_header: &'static str,
        algorithm: KeyAlgorithm,
        encoding: Encoding,
    ) -> PublicKeySigned {
        PublicKeySigned::new(signature_header, timestamp_header, algorithm, encoding)
    }
}

/// The signature algorithm, and how its public keys are pasted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// Ed25519; keys are 32 bytes in hex (64 characters).
    Ed25519,
    /// ECDSA P-256 over SHA-256; keys are a base64 DER SubjectPublicKeyInfo,
    /// or a PEM block around one ([`public_key_der`]).
    EcdsaP256,
}

impl KeyAlgorithm {
    /// The key in a secret, if it is one of this algorithm's.
    pub fn decode(self, secret: &str) -> Option<Vec<u8>> {
        match self {
            KeyAlgorithm::Ed25519 => hex_decode(secret.trim()).ok().filter(|k| k.len() == 32),
            KeyAlgorithm::EcdsaP256 => public_key_der(secret),
        }
    }

    fn verify(self, key: &[u8], message: &[u8], signature: &[u8]) -> bool {
        match self {
            KeyAlgorithm::Ed25519 => crypto::ed25519_verify(key, message, signature),
            KeyAlgorithm::EcdsaP256 => crypto::ecdsa_p256_verify(key, message, signature),
        }
    }

    fn described(self) -> &'static str {
        match self {
            KeyAlgorithm::Ed25519 => "a 64-character hex Ed25519 public key",
            KeyAlgorithm::EcdsaP256 => "a base64 (or PEM) P-256 public key",
        }
    }
}

/// A public key as pasted: base64 DER, or a PEM block around it (the
/// `-----BEGIN/END …-----` lines dropped, whitespace ignored).
pub fn public_key_der(secret: &str) -> Option<Vec<u8>> {
    let base64: String = secret
        .lines()
        .filter(|line| !line.trim_start().starts_with("-----"))
        .flat_map(|line| line.split_whitespace())
        .collect();
    base64_decode(&base64).ok().filter(|der| !der.is_empty())
}

/// `signature_header: <encoded signature over timestamp + body>` with the
/// Unix timestamp (seconds) in `timestamp_header`, within the tolerance;
/// any active secret that decodes as a key may have signed. No secret that
/// is a key is `unauthorized`; a signature that is not valid encoding, or a
/// timestamp that is not a number, `malformed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKeySigned {
    pub signature_header: &'static str,
    pub timestamp_header: &'static str,
    pub algorithm: KeyAlgorithm,
    pub encoding: Encoding,
    pub tolerance_seconds: i64,
    pub tolerance_note: &'static str,
}

impl PublicKeySigned {
    const fn new(
        signature_header: &'static str,
        timestamp_header: &'static str,
        algorithm: KeyAlgorithm,
        encoding: Encoding,
    ) -> Self {
        Self {
            signature_header,
            timestamp_header,
            algorithm,
            encoding,
            tolerance_seconds: DEFAULT_TOLERANCE_SECONDS,
            tolerance_note: "",
        }
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
}

impl SigningScheme for PublicKeySigned {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, self.tolerance_seconds)?;
        let signature = request.require_header(self.signature_header)?;
        let signature = match self.encoding {
            Encoding::Hex => hex_decode(signature),
            Encoding::Base64 => base64_decode(signature),
        }
        .map_err(VerifyError::Malformed)?;
        let timestamp = request.require_header(self.timestamp_header)?;
        let seconds: i64 = timestamp.parse().map_err(|_| {
            VerifyError::Malformed(format!("{} is not a number", self.timestamp_header))
        })?;
        let keys: Vec<Vec<u8>> = secrets
            .iter()
            .filter_map(|s| self.algorithm.decode(s))
            .collect();
        if keys.is_empty() {
            return Err(VerifyError::Unauthorized(format!(
                "no secret is {}",
                self.algorithm.described()
            )));
        }
        let mut message = timestamp.as_bytes().to_vec();
        message.extend_from_slice(&request.body);
        if !keys
            .iter()
            .any(|key| self.algorithm.verify(key, &message, &signature))
        {
            return Err(VerifyError::BadSignature);
        }
        check_timestamp(seconds, context.now_ms, tolerance)
    }

    fn sign(&self, _: &SignInput, _: SignedRequestBuilder) -> Result<SignedRequestBuilder, String> {
        Err("the vendor signs with its own private key; the source's secret is the public key, which cannot sign".into())
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

    const NOW: i64 = 1_763_800_000;
    const ED: PublicKeySigned = Scheme::public_key_timestamp_then_body(
        "X-Signature-Ed25519",
        "X-Signature-Timestamp",
        KeyAlgorithm::Ed25519,
        Encoding::Hex,
    );
    const EC: PublicKeySigned = Scheme::public_key_timestamp_then_body(
        "X-Sig",
        "X-Ts",
        KeyAlgorithm::EcdsaP256,
        Encoding::Base64,
    )
    .tolerance(600)
    .tolerance_note("note");

    fn code(result: Result<(), VerifyError>) -> String {
        match result {
            Ok(()) => "ok".into(),
            Err(VerifyError::Malformed(_)) => "malformed".into(),
            Err(VerifyError::MissingSignature(m)) => format!("missing {m}"),
            Err(VerifyError::BadSignature) => "bad".into(),
            Err(VerifyError::TimestampOutOfTolerance(s)) => format!("stale {s}"),
            Err(VerifyError::Unauthorized(m)) => format!("unauthorized: {m}"),
        }
    }

    #[test]
    fn keys_are_decoded_as_pasted() {
        let der = public_key_der("MFkwEwYH KoZIzj0C").unwrap();
        let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYH\nKoZIzj0C\n-----END PUBLIC KEY-----\n";
        assert_eq!(public_key_der(pem).unwrap(), der);
        assert_eq!(public_key_der("not base64!"), None);
        assert_eq!(public_key_der(""), None);
        assert_eq!(
            KeyAlgorithm::Ed25519
                .decode(&"ab".repeat(32))
                .unwrap()
                .len(),
            32
        );
        assert_eq!(KeyAlgorithm::Ed25519.decode(&"ab".repeat(31)), None);
    }

    #[test]
    fn requests_are_checked_in_order_and_nothing_is_signed() {
        let key = "ab".repeat(32);
        let ctx = context(&[&key], "{}", NOW);
        let ts = NOW.to_string();
        let with = |sig: &str, t: &str| {
            request(
                "POST",
                "/",
                &[("X-Signature-Ed25519", sig), ("X-Signature-Timestamp", t)],
                b"{}",
            )
        };
        let sig = "00".repeat(64);
        assert_eq!(code(ED.verify(&with(&sig, &ts), &ctx)), "bad");
        assert_eq!(code(ED.verify(&with("zz", &ts), &ctx)), "malformed");
        assert_eq!(code(ED.verify(&with(&sig, "soon"), &ctx)), "malformed");
        let no_ts = request("POST", "/", &[("X-Signature-Ed25519", &sig)], b"{}");
        assert_eq!(
            code(ED.verify(&no_ts, &ctx)),
            "missing X-Signature-Timestamp"
        );
        let not_keys = context(&["nope"], "{}", NOW);
        assert_eq!(
            code(ED.verify(&with(&sig, &ts), &not_keys)),
            "unauthorized: no secret is a 64-character hex Ed25519 public key"
        );
        assert!(
            code(ED.verify(&with(&sig, &ts), &context(&[], "{}", NOW))).starts_with("unauthorized")
        );
        let input = SignInput {
            body: b"{}".to_vec(),
            secret: key.clone(),
            event_type: None,
            delivery_id: "d".into(),
            url: "https://hooks.test/".into(),
            settings: "{}".into(),
            now_ms: 0,
        };
        assert!(
            ED.sign(&input, SignedRequestBuilder::post_json(&input))
                .is_err()
        );
        let settings = EC.settings();
        assert_eq!(settings[0].1["default"], 600);
        assert_eq!(settings[0].1["description"], "note");
    }
}
