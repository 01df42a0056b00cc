//! JWT verification (contract 0.2 `verify-jwt`): vendors such as Google
//! (Pub/Sub push), Apple (App Store notifications, Sign in with Apple) and
//! many SaaS webhooks sign with compact JWS. Written here on top of the
//! crate's own primitives rather than `jsonwebtoken`, because adapters must
//! judge `exp`/`nbf` against the request's `now_ms`, never the host clock,
//! and because the key forms (JWKS, JWK, PEM, DER, certificate, secret) are
//! the contract's, not a library's.
//!
//! Decisions:
//! - `alg: none` is never accepted; an `alg` not in `rules.algorithms` (or
//!   not supported) is `Claims("alg ... is not allowed")`, as is a `kid`
//!   that no key of a JWKS has, so an adapter can log it and refresh keys.
//! - HS* needs a shared secret: if `keys` holds a public key (PEM, DER,
//!   JWK/JWKS without `oct` keys), HS* is refused, which closes the classic
//!   "HMAC with the RSA public key as secret" confusion.
//! - PS*: salt length = digest length (RFC 7518 3.5). RSA keys ≥ 2048 bits
//!   (RFC 7518 3.3). ES256/ES384 signatures are raw r||s (RFC 7518 3.4),
//!   never DER.
//! - `Expired(skew)`: seconds past `exp` (positive), or seconds before
//!   `nbf` (negative), leeway not subtracted.
//! - The signature is checked before any claim; claims come from the
//!   verified payload, which is returned as sent (JSON text).

use crate::keys::{self, Hash, PublicKey};
use crate::rsa::{SaltLength, pkcs1v15_verify, pss_verify};
use ::rsa::traits::PublicKeyParts as _;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};

/// Largest token accepted.
pub const MAX_TOKEN: usize = 64 * 1024;
/// Largest `keys` input accepted (a JWKS of a few dozen RSA keys is ~30 KiB).
pub const MAX_KEYS: usize = 256 * 1024;
/// Most JWKS entries looked at.
const MAX_JWKS_ENTRIES: usize = 64;
/// Smallest RSA key for RS*/PS* (RFC 7518 3.3).
const MIN_JWT_RSA_BITS: usize = 2048;

/// What a JWT must satisfy besides its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtRules {
    /// Accepted `alg` values: RS256, RS384, RS512, PS256, PS384, PS512,
    /// ES256, ES384, EdDSA, HS256, HS384, HS512.
    pub algorithms: Vec<String>,
    /// Accepted `aud` values; empty: not checked.
    pub audiences: Vec<String>,
    /// Accepted `iss` values; empty: not checked.
    pub issuers: Vec<String>,
    /// When true a token without `exp` is refused.
    pub require_expiry: bool,
    pub leeway_seconds: u32,
    pub now_ms: i64,
}

/// Why a JWT was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// Not a well-formed compact JWS, or unusable keys.
    Malformed(String),
    BadSignature,
    /// `exp` passed (seconds since, positive) or `nbf` ahead (seconds to
    /// go, negative), beyond the leeway.
    Expired(i64),
    /// Refused by the rules: `alg`, `kid`, `aud`, `iss`, missing `exp`.
    Claims(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alg {
    Rs(Hash),
    Ps(Hash),
    Es256,
    Es384,
    EdDsa,
    Hs(Hash),
}

impl Alg {
    fn parse(name: &str) -> Option<Alg> {
        Some(match name {
            "RS256" => Alg::Rs(Hash::Sha256),
            "RS384" => Alg::Rs(Hash::Sha384),
            "RS512" => Alg::Rs(Hash::Sha512),
            "PS256" => Alg::Ps(Hash::Sha256),
            "PS384" => Alg::Ps(Hash::Sha384),
            "PS512" => Alg::Ps(Hash::Sha512),
            "ES256" => Alg::Es256,
            "ES384" => Alg::Es384,
            "EdDSA" => Alg::EdDsa,
            "HS256" => Alg::Hs(Hash::Sha256),
            "HS384" => Alg::Hs(Hash::Sha384),
            "HS512" => Alg::Hs(Hash::Sha512),
            _ => return None,
        })
    }

    /// Whether a JWK (kty, crv) can hold a key for this algorithm.
    fn fits(self, kty: &str, crv: Option<&str>) -> bool {
        match self {
            Alg::Rs(_) | Alg::Ps(_) => kty == "RSA",
            Alg::Es256 => kty == "EC" && crv == Some("P-256"),
            Alg::Es384 => kty == "EC" && crv == Some("P-384"),
            Alg::EdDsa => kty == "OKP" && crv == Some("Ed25519"),
            Alg::Hs(_) => kty == "oct",
        }
    }
}

enum Key {
    Public(PublicKey),
    Secret(Vec<u8>),
}

/// Verifies a compact JWS `token` with `keys` under `rules`, and returns its
/// payload (JSON text). See the module comment for the decisions made.
pub fn verify_jwt(token: &str, keys: &[u8], rules: &JwtRules) -> Result<String, JwtError> {
    let malformed = |m: &str| JwtError::Malformed(m.to_string());
    if token.len() > MAX_TOKEN {
        return Err(malformed("token larger than 64 KiB"));
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts[..] else {
        return Err(malformed("not three dot-separated parts"));
    };
    let header = json_object(&b64(header_b64, "header")?, "header")?;
    if header.contains_key("crit") {
        return Err(malformed("crit header parameters are not supported"));
    }
    let alg_name = match header.get("alg") {
        Some(Value::String(alg)) => alg.as_str(),
        _ => return Err(malformed("header has no alg string")),
    };
    let alg = match Alg::parse(alg_name) {
        Some(alg) if rules.algorithms.iter().any(|a| a == alg_name) => alg,
        _ => return Err(JwtError::Claims(format!("alg {alg_name:?} is not allowed"))),
    };
    let kid = match header.get("kid") {
        None => None,
        Some(Value::String(kid)) => Some(kid.as_str()),
        Some(_) => return Err(malformed("kid is not a string")),
    };
    let payload = b64(payload_b64, "payload")?;
    let signature = b64(signature_b64, "signature")?;
    let signing_input = &token[..header_b64.len() + 1 + payload_b64.len()];

    let candidates = select_keys(keys, (alg, alg_name), kid)?;
    if !candidates
        .iter()
        .any(|key| verify(alg, key, signing_input.as_bytes(), &signature))
    {
        return Err(JwtError::BadSignature);
    }

    let text = String::from_utf8(payload).map_err(|_| malformed("payload is not UTF-8"))?;
    let claims = json_object(text.as_bytes(), "payload")?;
    check_times(&claims, rules)?;
    check_audience(&claims, rules)?;
    check_issuer(&claims, rules)?;
    Ok(text)
}

fn b64(part: &str, what: &str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed(format!("{what} is not base64url without padding")))
}

fn json_object(bytes: &[u8], what: &str) -> Result<Map<String, Value>, JwtError> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(JwtError::Malformed(format!("{what} is not a JSON object"))),
    }
}

fn verify(alg: Alg, key: &Key, input: &[u8], signature: &[u8]) -> bool {
    match (alg, key) {
        (Alg::Rs(hash), Key::Public(PublicKey::Rsa(key))) => {
            key.n().bits() >= MIN_JWT_RSA_BITS && pkcs1v15_verify(key, hash, input, signature)
        }
        (Alg::Ps(hash), Key::Public(PublicKey::Rsa(key))) => {
            key.n().bits() >= MIN_JWT_RSA_BITS
                && pss_verify(key, hash, input, signature, SaltLength::Digest)
        }
        (Alg::Es256, Key::Public(key @ PublicKey::P256(_))) => {
            keys::ecdsa_verify(key, Hash::Sha256, input, signature, false)
        }
        (Alg::Es384, Key::Public(key @ PublicKey::P384(_))) => {
            keys::ecdsa_verify(key, Hash::Sha384, input, signature, false)
        }
        (Alg::EdDsa, Key::Public(key)) => keys::ed25519_verify(key, input, signature),
        (Alg::Hs(hash), Key::Secret(secret)) => {
            crate::constant_time_eq(&hmac(hash, secret, input), signature)
        }
        _ => false,
    }
}

fn hmac(hash: Hash, key: &[u8], message: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha384 => {
            let mut mac = <Hmac<sha2::Sha384> as Mac>::new_from_slice(key)
                .expect("HMAC accepts keys of any length");
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        Hash::Sha1 => crate::hmac(crate::HmacAlgorithm::Sha1, key, message),
        Hash::Sha256 => crate::hmac(crate::HmacAlgorithm::Sha256, key, message),
        Hash::Sha512 => crate::hmac(crate::HmacAlgorithm::Sha512, key, message),
    }
}

/// The keys that may have signed a token with `alg` and `kid`.
fn select_keys(
    keys: &[u8],
    (alg, alg_name): (Alg, &str),
    kid: Option<&str>,
) -> Result<Vec<Key>, JwtError> {
    if keys.len() > MAX_KEYS {
        return Err(JwtError::Malformed("keys larger than 256 KiB".into()));
    }
    let trimmed = keys.trim_ascii();
    if trimmed.starts_with(b"{")
        && let Ok(Value::Object(doc)) = serde_json::from_slice::<Value>(trimmed)
        && (doc.contains_key("keys") || doc.contains_key("kty"))
    {
        return from_jwks(doc, (alg, alg_name), kid);
    }
    if let Alg::Hs(_) = alg {
        // A public key is no secret: refuse rather than MAC with it.
        if crate::pem::is_pem(keys) || keys::parse_any(keys).is_ok() {
            return Err(JwtError::Claims(
                "an HS* token needs a shared secret, and the keys are a public key".into(),
            ));
        }
        if keys.is_empty() {
            return Err(JwtError::Malformed("empty secret".into()));
        }
        return Ok(vec![Key::Secret(keys.to_vec())]);
    }
    keys::parse_any(keys)
        .map(|key| vec![Key::Public(key)])
        .map_err(|e| JwtError::Malformed(format!("keys: {e}")))
}

fn from_jwks(
    doc: Map<String, Value>,
    (alg, name): (Alg, &str),
    kid: Option<&str>,
) -> Result<Vec<Key>, JwtError> {
    let malformed = |m: String| JwtError::Malformed(m);
    let single = !doc.contains_key("keys");
    let entries: Vec<Value> = if single {
        vec![Value::Object(doc)]
    } else {
        match doc.get("keys") {
            Some(Value::Array(list)) => list.iter().take(MAX_JWKS_ENTRIES).cloned().collect(),
            _ => return Err(malformed("JWKS keys is not an array".into())),
        }
    };
    let mut out = Vec::new();
    let mut kid_seen = false;
    let mut errors = Vec::new();
    for entry in &entries {
        let Value::Object(jwk) = entry else { continue };
        let text = |k: &str| jwk.get(k).and_then(Value::as_str);
        if let Some(kid) = kid {
            match text("kid") {
                Some(k) if k == kid => kid_seen = true,
                None if single => {}
                _ => continue,
            }
        }
        let fits = alg.fits(text("kty").unwrap_or(""), text("crv"))
            && text("alg").is_none_or(|a| a == name)
            && text("use").is_none_or(|u| u == "sig");
        if !fits {
            continue;
        }
        match jwk_key(jwk) {
            Ok(key) => out.push(key),
            Err(e) => errors.push(e),
        }
    }
    if out.is_empty() {
        if let Some(e) = errors.into_iter().next() {
            return Err(malformed(format!("JWK: {e}")));
        }
        return Err(JwtError::Claims(match kid {
            Some(kid) if !kid_seen => format!("no key with kid {kid:?}"),
            Some(kid) => format!("key {kid:?} does not fit alg {name}"),
            None => format!("no key fits alg {name}"),
        }));
    }
    Ok(out)
}

fn jwk_key(jwk: &Map<String, Value>) -> Result<Key, String> {
    let member = |k: &str| -> Result<Vec<u8>, String> {
        let value = jwk
            .get(k)
            .and_then(Value::as_str)
            .ok_or(format!("no {k}"))?;
        URL_SAFE_NO_PAD
            .decode(value.trim_end_matches('='))
            .map_err(|_| format!("{k} is not base64url"))
    };
    match jwk.get("kty").and_then(Value::as_str) {
        Some("RSA") => crate::rsa::from_parts(&member("n")?, &member("e")?)
            .map(|k| Key::Public(PublicKey::Rsa(k))),
        Some("EC") => {
            let (x, y) = (member("x")?, member("y")?);
            let size = if jwk.get("crv").and_then(Value::as_str) == Some("P-384") {
                48
            } else {
                32
            };
            if x.len() != size || y.len() != size {
                return Err("EC x or y of the wrong length".into());
            }
            let point = [&[4u8][..], &x, &y].concat();
            if size == 32 {
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                    .map(|k| Key::Public(PublicKey::P256(k)))
                    .map_err(|_| "bad P-256 point".into())
            } else {
                p384::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                    .map(|k| Key::Public(PublicKey::P384(k)))
                    .map_err(|_| "bad P-384 point".into())
            }
        }
        Some("OKP") => {
            let x = <[u8; 32]>::try_from(member("x")?).map_err(|_| "Ed25519 x is not 32 bytes")?;
            ed25519_dalek::VerifyingKey::from_bytes(&x)
                .map(|k| Key::Public(PublicKey::Ed25519(k)))
                .map_err(|_| "bad Ed25519 key".into())
        }
        Some("oct") => {
            let k = member("k")?;
            if k.is_empty() {
                return Err("empty k".into());
            }
            Ok(Key::Secret(k))
        }
        _ => Err("unsupported kty".into()),
    }
}

/// A NumericDate claim in milliseconds (fractional seconds allowed).
fn numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, JwtError> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            // `as` saturates, so absurd dates stay ordered.
            Some(seconds) if seconds.is_finite() => Ok(Some((seconds * 1000.0).floor() as i64)),
            _ => Err(JwtError::Malformed(format!("{name} is not a number"))),
        },
        Some(_) => Err(JwtError::Malformed(format!("{name} is not a number"))),
    }
}

fn check_times(claims: &Map<String, Value>, rules: &JwtRules) -> Result<(), JwtError> {
    let now = rules.now_ms;
    let leeway = i64::from(rules.leeway_seconds) * 1000;
    match numeric_date(claims, "exp")? {
        None if rules.require_expiry => return Err(JwtError::Claims("no exp claim".into())),
        Some(exp) if now >= exp.saturating_add(leeway) => {
            return Err(JwtError::Expired(now.saturating_sub(exp) / 1000));
        }
        _ => {}
    }
    if let Some(nbf) = numeric_date(claims, "nbf")?
        && now.saturating_add(leeway) < nbf
    {
        return Err(JwtError::Expired(-(nbf.saturating_sub(now) / 1000)));
    }
    Ok(())
}

fn check_audience(claims: &Map<String, Value>, rules: &JwtRules) -> Result<(), JwtError> {
    if rules.audiences.is_empty() {
        return Ok(());
    }
    let found: Vec<&str> = match claims.get("aud") {
        None => return Err(JwtError::Claims("no aud claim".into())),
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        Some(_) => {
            return Err(JwtError::Malformed(
                "aud is neither string nor array".into(),
            ));
        }
    };
    if found
        .iter()
        .any(|aud| rules.audiences.iter().any(|a| a == aud))
    {
        Ok(())
    } else {
        Err(JwtError::Claims(format!("aud {found:?} is not accepted")))
    }
}

fn check_issuer(claims: &Map<String, Value>, rules: &JwtRules) -> Result<(), JwtError> {
    if rules.issuers.is_empty() {
        return Ok(());
    }
    match claims.get("iss") {
        Some(Value::String(iss)) if rules.issuers.iter().any(|i| i == iss) => Ok(()),
        Some(Value::String(iss)) => Err(JwtError::Claims(format!("iss {iss:?} is not accepted"))),
        _ => Err(JwtError::Claims("no iss claim".into())),
    }
}
