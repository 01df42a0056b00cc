//! Native cryptographic primitives behind the WIT `crypto` interface.
//!
//! The host implements the adapters' `crypto` imports with these functions, and
//! the SDK's native test harness calls the very same functions, so an adapter
//! unit-tested with `cargo test` verifies signatures exactly as it will inside
//! the server. Everything here is a thin, total wrapper around RustCrypto and
//! dalek crates: bad keys or signatures give `false`, never a panic.
//!
//! Contract 0.2 adds RSA ([`rsa_verify`]), X.509 ([`parse_certificate`],
//! [`verify_chain`]) and JWT ([`verify_jwt`]); keys in any of the forms
//! vendors publish are read in one place (`keys.rs`, `pem.rs`).

use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;

mod jwt;
mod keys;
mod pem;
mod rsa;
mod x509;

pub use crate::rsa::{Digest, RsaPadding, rsa_verify};
pub use jwt::{JwtError, JwtRules, verify_jwt};
pub use x509::{Certificate, parse_certificate, verify_chain};

/// The HMAC hash functions vendors use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HmacAlgorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// HMAC of `message` under `key` (any key length is valid for HMAC).
pub fn hmac(algorithm: HmacAlgorithm, key: &[u8], message: &[u8]) -> Vec<u8> {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(key)
            .expect("HMAC accepts keys of any length");
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }
    match algorithm {
        HmacAlgorithm::Sha1 => run::<Hmac<sha1::Sha1>>(key, message),
        HmacAlgorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, message),
        HmacAlgorithm::Sha512 => run::<Hmac<sha2::Sha512>>(key, message),
    }
}

/// SHA-256 digest of `message`.
pub fn sha256(message: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(message).to_vec()
}

/// Equality whose running time does not depend on where the inputs differ
/// (only on their lengths, which are public for signatures).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Ed25519 verification (strict: rejects malleable signatures and weak keys).
pub fn ed25519_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let Ok(key_bytes) = <[u8; 32]>::try_from(public_key) else {
        return false;
    };
    let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
        return false;
    };
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&key_bytes) else {
        return false;
    };
    key.verify_strict(message, &signature).is_ok()
}

/// ECDSA P-256 over SHA-256 of `message`. The key may be DER SPKI (what
/// SendGrid shows) or a SEC1 point; the signature DER or 64 fixed bytes.
pub fn ecdsa_p256_verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{Signature, VerifyingKey};
    use p256::pkcs8::DecodePublicKey;
    let key = VerifyingKey::from_public_key_der(public_key)
        .or_else(|_| VerifyingKey::from_sec1_bytes(public_key));
    let Ok(key) = key else {
        return false;
    };
    let signature = Signature::from_der(signature).or_else(|_| Signature::from_slice(signature));
    let Ok(signature) = signature else {
        return false;
    };
    key.verify(message, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_matches_github_published_vector() {
        let mac = hmac(
            HmacAlgorithm::Sha256,
            b"It's a Secret to Everybody",
            b"Hello, World!",
        );
        assert_eq!(
            hex(&mac),
            "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        );
    }

    #[test]
    fn hmac_sha1_and_sha512_match_rfc_2202_and_4231() {
        // RFC 2202 test case 2 and RFC 4231 test case 2.
        assert_eq!(
            hex(&hmac(
                HmacAlgorithm::Sha1,
                b"Jefe",
                b"what do ya want for nothing?"
            )),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        assert!(
            hex(&hmac(
                HmacAlgorithm::Sha512,
                b"Jefe",
                b"what do ya want for nothing?"
            ))
            .starts_with("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554")
        );
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn ed25519_rejects_garbage_without_panicking() {
        assert!(!ed25519_verify(&[0; 31], b"m", &[0; 64]));
        assert!(!ed25519_verify(&[0; 32], b"m", &[0; 10]));
    }

    #[test]
    fn ed25519_verifies_rfc_8032_test_1() {
        let key = from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let sig = from_hex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        );
        assert!(ed25519_verify(&key, b"", &sig));
        assert!(!ed25519_verify(&key, b"x", &sig));
    }

    #[test]
    fn ecdsa_p256_verifies_a_signature_made_with_the_matching_key() {
        use p256::ecdsa::{SigningKey, signature::Signer};
        let signing = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let point = signing.verifying_key().to_encoded_point(false);
        // DER SubjectPublicKeyInfo of an uncompressed P-256 key, as SendGrid shows it.
        let mut spki = from_hex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
        spki.extend_from_slice(point.as_bytes());
        let sig: p256::ecdsa::Signature = signing.sign(b"payload");
        for key in [&spki[..], point.as_bytes()] {
            assert!(ecdsa_p256_verify(key, b"payload", sig.to_der().as_bytes()));
            assert!(ecdsa_p256_verify(key, b"payload", &sig.to_bytes()));
            assert!(!ecdsa_p256_verify(
                key,
                b"tampered",
                sig.to_der().as_bytes()
            ));
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn from_hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
