//! RSA signature verification (contract 0.2 `rsa-verify`): AWS SNS signs its
//! messages with RSA PKCS#1 v1.5, JWT issuers with RS256/PS256, and X.509
//! chains are mostly RSA. Only public-key operations happen here, so the
//! `rsa` crate's private-key timing issue (RUSTSEC-2023-0071) does not apply.
//!
//! Key sizes: at least 1024 bits (legacy vendor keys; AWS SNS uses 2048, and
//! JWTs ask for 2048, see `jwt.rs`) and at most 8192 bits, which bounds the
//! work an attacker-chosen key can cause.

use crate::keys::{self, Hash, PublicKey};
use ::rsa::traits::PublicKeyParts as _;
use ::rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPublicKey};
use x509_cert::der::Decode as _;

/// Smallest RSA modulus accepted, in bits.
pub(crate) const MIN_BITS: usize = 1024;
/// Largest RSA modulus accepted, in bits.
pub(crate) const MAX_BITS: usize = 8192;

/// The digest an RSA signature is made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    Sha1,
    Sha256,
    Sha512,
}

/// How the digest is padded before the RSA operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaPadding {
    /// RSASSA-PKCS1-v1_5.
    Pkcs1v15,
    /// RSASSA-PSS with MGF1 over the same digest. The salt is as long as the
    /// digest (RFC 7518, most vendors) or as long as the key allows
    /// (OpenSSL's default when signing); both are accepted.
    Pss,
}

impl From<Digest> for Hash {
    fn from(digest: Digest) -> Hash {
        match digest {
            Digest::Sha1 => Hash::Sha1,
            Digest::Sha256 => Hash::Sha256,
            Digest::Sha512 => Hash::Sha512,
        }
    }
}

/// Verifies an RSA `signature` of `message`. `public_key` is DER or PEM:
/// SPKI (`PUBLIC KEY`), PKCS#1 (`RSA PUBLIC KEY`) or a certificate, whose
/// key is used. Any bad input gives `false`, never a panic.
pub fn rsa_verify(
    padding: RsaPadding,
    digest: Digest,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> bool {
    let Ok(PublicKey::Rsa(key)) = keys::parse_any(public_key) else {
        return false;
    };
    match padding {
        RsaPadding::Pkcs1v15 => pkcs1v15_verify(&key, digest.into(), message, signature),
        RsaPadding::Pss => pss_verify(
            &key,
            digest.into(),
            message,
            signature,
            SaltLength::DigestOrMax,
        ),
    }
}

/// A PKCS#1 `RSAPublicKey` (DER), within the size bounds.
pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<RsaPublicKey, String> {
    let key = ::rsa::pkcs1::RsaPublicKey::from_der(der).map_err(|e| format!("bad RSA key: {e}"))?;
    from_parts(key.modulus.as_bytes(), key.public_exponent.as_bytes())
}

/// An RSA key from its big-endian modulus and exponent (also JWK `n`, `e`).
pub(crate) fn from_parts(n: &[u8], e: &[u8]) -> Result<RsaPublicKey, String> {
    let n = BigUint::from_bytes_be(n);
    let bits = n.bits();
    if bits < MIN_BITS {
        return Err(format!("RSA key of {bits} bits, under {MIN_BITS}"));
    }
    if bits > MAX_BITS {
        return Err(format!("RSA key of {bits} bits, over {MAX_BITS}"));
    }
    RsaPublicKey::new_with_max_size(n, BigUint::from_bytes_be(e), MAX_BITS)
        .map_err(|e| format!("bad RSA key: {e}"))
}

/// Which PSS salt lengths to accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SaltLength {
    /// The digest's length only (what RFC 7518 prescribes for PS256).
    Digest,
    /// The digest's length, else the maximum the key allows.
    DigestOrMax,
}

pub(crate) fn pkcs1v15_verify(
    key: &RsaPublicKey,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let scheme = match hash {
        Hash::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        Hash::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        Hash::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        Hash::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
    };
    key.verify(scheme, &hash.digest(message), signature).is_ok()
}

pub(crate) fn pss_verify(
    key: &RsaPublicKey,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
    salts: SaltLength,
) -> bool {
    let hashed = hash.digest(message);
    let scheme = |salt: usize| match hash {
        Hash::Sha1 => Pss::new_with_salt::<sha1::Sha1>(salt),
        Hash::Sha256 => Pss::new_with_salt::<sha2::Sha256>(salt),
        Hash::Sha384 => Pss::new_with_salt::<sha2::Sha384>(salt),
        Hash::Sha512 => Pss::new_with_salt::<sha2::Sha512>(salt),
    };
    let h_len = hashed.len();
    if key.verify(scheme(h_len), &hashed, signature).is_ok() {
        return true;
    }
    if salts == SaltLength::Digest {
        return false;
    }
    // RFC 8017 9.1.1: emLen = ceil((modBits - 1) / 8), salt at most
    // emLen - hLen - 2.
    let em_len = (key.n().bits() - 1).div_ceil(8);
    match em_len.checked_sub(h_len + 2) {
        Some(max) if max != h_len => key.verify(scheme(max), &hashed, signature).is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkcs1_der(n: &[u8], e: &[u8]) -> Vec<u8> {
        use x509_cert::der::Encode as _;
        use x509_cert::der::asn1::UintRef;
        ::rsa::pkcs1::RsaPublicKey {
            modulus: UintRef::new(n).unwrap(),
            public_exponent: UintRef::new(e).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    #[test]
    fn key_size_bounds() {
        let odd = |bytes: usize| {
            let mut n = vec![0xc5; bytes];
            n[bytes - 1] = 0x01;
            n
        };
        assert!(from_pkcs1_der(&pkcs1_der(&odd(128), &[1, 0, 1])).is_ok()); // 1024
        assert!(from_pkcs1_der(&pkcs1_der(&odd(1024), &[1, 0, 1])).is_ok()); // 8192
        let small = from_pkcs1_der(&pkcs1_der(&odd(127), &[1, 0, 1])).unwrap_err();
        assert!(small.contains("under 1024"), "{small}");
        let big = from_pkcs1_der(&pkcs1_der(&odd(1025), &[1, 0, 1])).unwrap_err();
        assert!(big.contains("over 8192"), "{big}");
        // Exponent 1 is refused by the rsa crate.
        assert!(from_pkcs1_der(&pkcs1_der(&odd(256), &[1])).is_err());
    }

    #[test]
    fn garbage_gives_false() {
        let mut key = vec![0x30, 0x82, 0x01, 0x0a];
        key.extend([0u8; 266]);
        for k in [&b""[..], b"not a key", &key] {
            assert!(!rsa_verify(
                RsaPadding::Pkcs1v15,
                Digest::Sha256,
                k,
                b"m",
                &[0; 256]
            ));
            assert!(!rsa_verify(RsaPadding::Pss, Digest::Sha256, k, b"m", &[]));
        }
    }
}
