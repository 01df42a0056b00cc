//! Cryptography for adapters: the host's native implementation inside the
//! sandbox, the very same code (`hookyard-crypto`) in native tests.
//!
//! Compare secrets and signatures only with [`constant_time_eq`], never `==`.

#[cfg(target_arch = "wasm32")]
use crate::bindings::hookyard::adapter::crypto::{self as imp, HmacAlgorithm};
#[cfg(not(target_arch = "wasm32"))]
use hookyard_crypto::{self as imp, HmacAlgorithm};

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
