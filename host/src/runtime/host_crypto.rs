//! The `crypto` import, both contract versions: thin calls into
//! `hookyard-crypto`, so the SDK's native tests and the sandbox verify with
//! the same code. Every argument is bounded ([`bounded`]); bad keys and
//! signatures are answers (`false`, an error), never traps.

use super::bindings::{v01, v02};
use super::host::{AdapterState, bounded};
use hookyard_crypto as imp;
use v02::hookyard::adapter::crypto;

fn hmac_algorithm(algorithm: crypto::HmacAlgorithm) -> imp::HmacAlgorithm {
    match algorithm {
        crypto::HmacAlgorithm::Sha1 => imp::HmacAlgorithm::Sha1,
        crypto::HmacAlgorithm::Sha256 => imp::HmacAlgorithm::Sha256,
        crypto::HmacAlgorithm::Sha512 => imp::HmacAlgorithm::Sha512,
    }
}

fn certificate(c: imp::Certificate) -> crypto::Certificate {
    crypto::Certificate {
        subject: c.subject,
        issuer: c.issuer,
        serial_hex: c.serial_hex,
        not_before_ms: c.not_before_ms,
        not_after_ms: c.not_after_ms,
        dns_names: c.dns_names,
        extension_oids: c.extension_oids,
        public_key: c.public_key,
    }
}

impl crypto::Host for AdapterState {
    fn hmac(
        &mut self,
        algorithm: crypto::HmacAlgorithm,
        key: Vec<u8>,
        message: Vec<u8>,
    ) -> wasmtime::Result<Vec<u8>> {
        bounded(&[&key, &message])?;
        Ok(imp::hmac(hmac_algorithm(algorithm), &key, &message))
    }

    fn sha256(&mut self, message: Vec<u8>) -> wasmtime::Result<Vec<u8>> {
        bounded(&[&message])?;
        Ok(imp::sha256(&message))
    }

    fn constant_time_eq(&mut self, a: Vec<u8>, b: Vec<u8>) -> wasmtime::Result<bool> {
        bounded(&[&a, &b])?;
        Ok(imp::constant_time_eq(&a, &b))
    }

    fn ed25519_verify(
        &mut self,
        public_key: Vec<u8>,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> wasmtime::Result<bool> {
        bounded(&[&public_key, &message, &signature])?;
        Ok(imp::ed25519_verify(&public_key, &message, &signature))
    }

    fn ecdsa_p256_verify(
        &mut self,
        public_key: Vec<u8>,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> wasmtime::Result<bool> {
        bounded(&[&public_key, &message, &signature])?;
        Ok(imp::ecdsa_p256_verify(&public_key, &message, &signature))
    }

    fn rsa_verify(
        &mut self,
        padding: crypto::RsaPadding,
        digest: crypto::Digest,
        public_key: Vec<u8>,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> wasmtime::Result<bool> {
        bounded(&[&public_key, &message, &signature])?;
        let padding = match padding {
            crypto::RsaPadding::Pkcs1v15 => imp::RsaPadding::Pkcs1v15,
            crypto::RsaPadding::Pss => imp::RsaPadding::Pss,
        };
        let digest = match digest {
            crypto::Digest::Sha1 => imp::Digest::Sha1,
            crypto::Digest::Sha256 => imp::Digest::Sha256,
            crypto::Digest::Sha512 => imp::Digest::Sha512,
        };
        Ok(imp::rsa_verify(
            padding,
            digest,
            &public_key,
            &message,
            &signature,
        ))
    }

    fn parse_certificate(
        &mut self,
        der_or_pem: Vec<u8>,
    ) -> wasmtime::Result<Result<crypto::Certificate, String>> {
        bounded(&[&der_or_pem])?;
        Ok(imp::parse_certificate(&der_or_pem).map(certificate))
    }

    fn verify_chain(
        &mut self,
        chain: Vec<Vec<u8>>,
        roots: Vec<Vec<u8>>,
        now_ms: i64,
    ) -> wasmtime::Result<Result<crypto::Certificate, String>> {
        let all: Vec<&[u8]> = chain.iter().chain(&roots).map(Vec::as_slice).collect();
        bounded(&all)?;
        Ok(imp::verify_chain(&chain, &roots, now_ms).map(certificate))
    }

    fn verify_jwt(
        &mut self,
        token: String,
        keys: Vec<u8>,
        rules: crypto::JwtRules,
    ) -> wasmtime::Result<Result<String, crypto::JwtError>> {
        bounded(&[token.as_bytes(), &keys])?;
        let rules = imp::JwtRules {
            algorithms: rules.algorithms,
            audiences: rules.audiences,
            issuers: rules.issuers,
            require_expiry: rules.require_expiry,
            leeway_seconds: rules.leeway_seconds,
            now_ms: rules.now_ms,
        };
        Ok(
            imp::verify_jwt(&token, &keys, &rules).map_err(|error| match error {
                imp::JwtError::Malformed(why) => crypto::JwtError::Malformed(why),
                imp::JwtError::BadSignature => crypto::JwtError::BadSignature,
                imp::JwtError::Expired(skew) => crypto::JwtError::Expired(skew),
                imp::JwtError::Claims(why) => crypto::JwtError::Claims(why),
            }),
        )
    }
}

/// 0.1's `crypto` is 0.2's without the additions.
impl v01::hookyard::adapter::crypto::Host for AdapterState {
    fn hmac(
        &mut self,
        algorithm: v01::hookyard::adapter::crypto::HmacAlgorithm,
        key: Vec<u8>,
        message: Vec<u8>,
    ) -> wasmtime::Result<Vec<u8>> {
        use v01::hookyard::adapter::crypto::HmacAlgorithm as Old;
        let algorithm = match algorithm {
            Old::Sha1 => crypto::HmacAlgorithm::Sha1,
            Old::Sha256 => crypto::HmacAlgorithm::Sha256,
            Old::Sha512 => crypto::HmacAlgorithm::Sha512,
        };
        crypto::Host::hmac(self, algorithm, key, message)
    }

    fn sha256(&mut self, message: Vec<u8>) -> wasmtime::Result<Vec<u8>> {
        crypto::Host::sha256(self, message)
    }

    fn constant_time_eq(&mut self, a: Vec<u8>, b: Vec<u8>) -> wasmtime::Result<bool> {
        crypto::Host::constant_time_eq(self, a, b)
    }

    fn ed25519_verify(
        &mut self,
        public_key: Vec<u8>,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> wasmtime::Result<bool> {
        crypto::Host::ed25519_verify(self, public_key, message, signature)
    }

    fn ecdsa_p256_verify(
        &mut self,
        public_key: Vec<u8>,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> wasmtime::Result<bool> {
        crypto::Host::ecdsa_p256_verify(self, public_key, message, signature)
    }
}
