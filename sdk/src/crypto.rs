//! Cryptography for adapters: the host's native implementation inside the
//! sandbox, the very same code (`hookyard-crypto`) in native tests.
//!
//! Compare secrets and signatures only with [`constant_time_eq`], never `==`.

#[cfg(target_arch = "wasm32")]
use crate::bindings::hookyard::adapter::crypto::{self as imp, HmacAlgorithm};
#[cfg(not(target_arch = "wasm32"))]
use hookyard_crypto::{self as imp, HmacAlgorithm};

/// Contract 0.2's types, under the same names (and fields, and variants) on
/// both sides: the WIT-generated ones in the sandbox, `hookyard-crypto`'s in
/// native tests.
pub use imp::{Certificate, Digest, JwtError, JwtRules, RsaPadding};

/// HMAC-SHA1 (legacy vendors: Twilio, Intercom, Segment).
pub fn hmac_sha1(key: &[u8], message: &[u8]) -> Vec<u8> {
    imp::hmac(HmacAlgorithm::Sha1, key, message)
}

/// HMAC-SHA256, what most vendors sign with.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    imp::hmac(HmacAlgorithm::Sha256, key, message)
}

/// HMAC-SHA512.
pub fn hmac_sha512(key: &[u8], message: &[u8]) -> Vec<u8> {
    imp::hmac(HmacAlgorithm::Sha512, key, message)
}

/// SHA-256 digest.
pub fn sha256(message: &[u8]) -> Vec<u8> {
    imp::sha256(message)
}

/// Equality in time independent of where the inputs differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    imp::constant_time_eq(a, b)
}

/// Ed25519: 32-byte public key, 64-byte signature.
pub fn ed25519_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    imp::ed25519_verify(public_key, message, signature)
}

/// ECDSA P-256 over SHA-256; key DER SPKI or SEC1, signature DER or fixed.
pub fn ecdsa_p256_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    imp::ecdsa_p256_verify(public_key, message, signature)
}

/// RSA signature (PKCS#1 v1.5 or PSS) over `digest` of `message`; the key is
/// DER or PEM: SPKI, PKCS#1, or a certificate (its key).
pub fn rsa_verify(
    padding: RsaPadding,
    digest: Digest,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> bool {
    imp::rsa_verify(padding, digest, public_key, message, signature)
}

/// Reads one X.509 certificate, DER or PEM (the first of a bundle).
pub fn parse_certificate(certificate: &[u8]) -> Result<Certificate, String> {
    imp::parse_certificate(certificate)
}

/// Verifies `chain` (leaf first, DER or PEM) up to one of the pinned `roots`
/// at `now_ms` (the request's `context.now-ms`), and returns the leaf.
pub fn verify_chain(
    chain: &[Vec<u8>],
    roots: &[Vec<u8>],
    now_ms: i64,
) -> Result<Certificate, String> {
    imp::verify_chain(chain, roots, now_ms)
}

/// Verifies a compact JWS with `keys` (JWKS, JWK, PEM/DER key or
/// certificate, or the HS* secret) under `rules`; returns the payload JSON.
pub fn verify_jwt(token: &str, keys: &[u8], rules: &JwtRules) -> Result<String, JwtError> {
    imp::verify_jwt(token, keys, rules)
}
