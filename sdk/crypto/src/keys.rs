//! Public keys as vendors hand them out, in one place: DER or PEM, SPKI,
//! PKCS#1 or a certificate, RSA, P-256, P-384 or Ed25519. `rsa_verify`,
//! `verify_chain` and `verify_jwt` all read keys here, so a key that one
//! accepts the others read the same way, and every verification primitive
//! (with a digest chosen at run time) lives beside them.

use crate::pem;
use ::rsa::RsaPublicKey;
use x509_cert::der::Decode as _;
use x509_cert::der::Encode as _;
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::spki::SubjectPublicKeyInfoRef;

pub(crate) const OID_RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub(crate) const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// A public key of one of the kinds Hookyard verifies with.
#[derive(Debug, Clone)]
pub(crate) enum PublicKey {
    Rsa(RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl PublicKey {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            PublicKey::Rsa(_) => "RSA",
            PublicKey::P256(_) => "EC P-256",
            PublicKey::P384(_) => "EC P-384",
            PublicKey::Ed25519(_) => "Ed25519",
        }
    }
}

/// Hash functions, including SHA-384 (certificates, RS384/ES384) which the
/// WIT `digest` enum does not offer for `rsa-verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub(crate) fn digest(self, message: &[u8]) -> Vec<u8> {
        use sha2::Digest as _;
        match self {
            Hash::Sha1 => sha1::Sha1::digest(message).to_vec(),
            Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
        }
    }
}

/// A DER SubjectPublicKeyInfo.
pub(crate) fn from_spki_der(der: &[u8]) -> Result<PublicKey, String> {
    let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|e| format!("bad SPKI: {e}"))?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or("SPKI key is not a whole number of bytes")?;
    let oid = spki.algorithm.oid;
    if oid == OID_RSA_ENCRYPTION {
        return crate::rsa::from_pkcs1_der(bits).map(PublicKey::Rsa);
    }
    if oid == OID_ED25519 {
        let raw = <[u8; 32]>::try_from(bits).map_err(|_| "Ed25519 key is not 32 bytes")?;
        return ed25519_dalek::VerifyingKey::from_bytes(&raw)
            .map(PublicKey::Ed25519)
            .map_err(|_| "bad Ed25519 key".into());
    }
    if oid == OID_EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters_oid()
            .map_err(|_| "EC key without a named curve")?;
        if curve == OID_P256 {
            return p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                .map(PublicKey::P256)
                .map_err(|_| "bad P-256 point".into());
        }
        if curve == OID_P384 {
            return p384::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                .map(PublicKey::P384)
                .map_err(|_| "bad P-384 point".into());
        }
        return Err(format!("unsupported EC curve {curve}"));
    }
    Err(format!("unsupported key algorithm {oid}"))
}

/// A key given as DER or PEM: SPKI (`PUBLIC KEY`), PKCS#1 (`RSA PUBLIC
/// KEY`) or an X.509 certificate (`CERTIFICATE`), whose key is used. Of a
/// PEM bundle, the first block with one of these labels counts.
pub(crate) fn parse_any(bytes: &[u8]) -> Result<PublicKey, String> {
    if pem::is_pem(bytes) {
        let blocks = pem::blocks(bytes)?;
        for block in blocks {
            match block.label.as_str() {
                "PUBLIC KEY" => return from_spki_der(&block.der),
                "RSA PUBLIC KEY" => {
                    return crate::rsa::from_pkcs1_der(&block.der).map(PublicKey::Rsa);
                }
                "CERTIFICATE" => return from_certificate_der(&block.der),
                _ => continue,
            }
        }
        return Err("no PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE block in the PEM".into());
    }
    // DER: the three structures are told apart by their shapes, which
    // cannot be confused (SPKI starts with an AlgorithmIdentifier, PKCS#1
    // with an INTEGER, a certificate with a nested TBS SEQUENCE).
    if let Ok(key) = from_spki_der(bytes) {
        return Ok(key);
    }
    if let Ok(key) = crate::rsa::from_pkcs1_der(bytes) {
        return Ok(PublicKey::Rsa(key));
    }
    from_certificate_der(bytes).map_err(|_| "not a DER SPKI, PKCS#1 key or certificate".to_string())
}

fn from_certificate_der(der: &[u8]) -> Result<PublicKey, String> {
    let cert =
        x509_cert::Certificate::from_der(der).map_err(|e| format!("bad certificate: {e}"))?;
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| format!("bad certificate key: {e}"))?;
    from_spki_der(&spki)
}

/// ECDSA over `hash` of `message`; `signature` DER or fixed-size (r||s),
/// as `der` says.
pub(crate) fn ecdsa_verify(
    key: &PublicKey,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
    der: bool,
) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let prehash = hash.digest(message);
    match key {
        PublicKey::P256(key) => {
            let signature = if der {
                p256::ecdsa::Signature::from_der(signature)
            } else {
                p256::ecdsa::Signature::from_slice(signature)
            };
            signature.is_ok_and(|s| key.verify_prehash(&prehash, &s).is_ok())
        }
        PublicKey::P384(key) => {
            let signature = if der {
                p384::ecdsa::Signature::from_der(signature)
            } else {
                p384::ecdsa::Signature::from_slice(signature)
            };
            signature.is_ok_and(|s| key.verify_prehash(&prehash, &s).is_ok())
        }
        _ => false,
    }
}

/// Ed25519, strict (no malleable signatures, no weak keys).
pub(crate) fn ed25519_verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    let PublicKey::Ed25519(key) = key else {
        return false;
    };
    ed25519_dalek::Signature::from_slice(signature)
        .is_ok_and(|s| key.verify_strict(message, &s).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for input in [
            &b""[..],
            b"\x30",
            b"\x30\x03\x02\x01\x00",
            b"hello",
            &[0xff; 300],
        ] {
            assert!(parse_any(input).is_err(), "{input:?}");
        }
        assert!(
            parse_any(b"-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----")
                .is_err()
        );
    }

    #[test]
    fn reads_p256_spki_and_refuses_wrong_signature_kinds() {
        use p256::ecdsa::{SigningKey, signature::Signer};
        let signing = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let point = signing.verifying_key().to_encoded_point(false);
        let mut spki = vec![
            0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
            0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
        ];
        spki.extend_from_slice(point.as_bytes());
        let key = parse_any(&spki).unwrap();
        assert_eq!(key.kind(), "EC P-256");
        let sig: p256::ecdsa::Signature = signing.sign(b"m");
        assert!(ecdsa_verify(
            &key,
            Hash::Sha256,
            b"m",
            &sig.to_bytes(),
            false
        ));
        assert!(ecdsa_verify(
            &key,
            Hash::Sha256,
            b"m",
            sig.to_der().as_bytes(),
            true
        ));
        // The fixed form is not accepted where DER is expected, nor the reverse.
        assert!(!ecdsa_verify(
            &key,
            Hash::Sha256,
            b"m",
            &sig.to_bytes(),
            true
        ));
        assert!(!ecdsa_verify(
            &key,
            Hash::Sha384,
            b"m",
            &sig.to_bytes(),
            false
        ));
        assert!(!ed25519_verify(&key, b"m", &[0; 64]));
    }
}
