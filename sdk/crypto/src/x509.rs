//! X.509 for adapters (contract 0.2 `parse-certificate`, `verify-chain`):
//! AWS SNS tells where its RSA signing certificate is, Apple signs App Store
//! and Apple Pay payloads with certificates chaining to Apple Root CA G3.
//! Adapters pin their vendor's roots; this is deliberately a small path
//! checker for such pinned chains, not a general WebPKI validator: no
//! revocation, no name constraints, no policies (a certificate marking any of
//! those critical is refused), no hostname matching (adapters compare
//! `dns_names` themselves).
//!
//! Trust: a certificate equal (DER) to a pinned one ends the chain, so an
//! adapter may pin a root, an intermediate or the very leaf; pinned
//! certificates need no CA marks, but their validity periods are checked
//! like the others'.
//!
//! Signature algorithms: sha1/sha256/sha384/sha512WithRSAEncryption (SHA-1
//! only because AWS SNS certificates long used it; pinned roots make
//! collisions far less useful), ecdsa-with-SHA256/384/512 on P-256 or P-384,
//! and Ed25519.

use crate::keys::{self, Hash, PublicKey};
use crate::pem;
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::der::{Decode as _, Encode as _};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, SubjectAltName};

/// Longest chain accepted (leaf and intermediates, and a root if sent).
pub const MAX_CHAIN: usize = 8;
/// Most pinned roots read.
const MAX_ROOTS: usize = 256;
/// Largest input for one chain element or root (a PEM bundle of 8 is ~20 KiB).
const MAX_INPUT: usize = 256 * 1024;

const OID_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const OID_SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const OID_EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
/// Critical extensions understood (or safely ignored: extKeyUsage, which
/// adapters may read from `extension_oids`).
const KNOWN_CRITICAL: [ObjectIdentifier; 4] = [
    OID_BASIC_CONSTRAINTS,
    OID_KEY_USAGE,
    OID_SUBJECT_ALT_NAME,
    OID_EXT_KEY_USAGE,
];

/// What was read from an X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// RFC 4514, e.g. `CN=sns.amazonaws.com,O=Amazon.com\, Inc.,C=US`.
    pub subject: String,
    pub issuer: String,
    /// The serial number's magnitude, lowercase hex, without leading zero
    /// bytes (`0a1b2c`; `00` for zero).
    pub serial_hex: String,
    pub not_before_ms: i64,
    pub not_after_ms: i64,
    /// DNS names of the subject alternative name extension.
    pub dns_names: Vec<String>,
    /// Dotted OIDs of every extension, in certificate order.
    pub extension_oids: Vec<String>,
    /// The subject public key, DER SubjectPublicKeyInfo.
    pub public_key: Vec<u8>,
}

/// Reads one certificate: DER, or PEM (the first `CERTIFICATE` block).
pub fn parse_certificate(certificate: &[u8]) -> Result<Certificate, String> {
    let der = certificates_in(certificate)?.swap_remove(0);
    Parsed::new(der)?.describe()
}

/// Verifies `chain` (leaf first; each element DER or PEM, one PEM element may
/// hold several certificates) up to one of the pinned `roots` at `now_ms`,
/// and returns the leaf. See the module comment for what is checked.
pub fn verify_chain(
    chain: &[Vec<u8>],
    roots: &[Vec<u8>],
    now_ms: i64,
) -> Result<Certificate, String> {
    let certs = read_all(chain, MAX_CHAIN, "chain element")?;
    let roots = read_all(roots, MAX_ROOTS, "root")?;
    if certs.is_empty() {
        return Err("empty chain".into());
    }
    if roots.is_empty() {
        return Err("no pinned root".into());
    }
    for (i, cert) in certs.iter().enumerate() {
        cert.check_time(now_ms)
            .and_then(|()| cert.check_critical())
            .map_err(|e| format!("certificate {i} ({}): {e}", cert.subject))?;
    }
    let pinned = |cert: &Parsed| roots.iter().any(|root| root.der == cert.der);
    for (i, cert) in certs.iter().enumerate() {
        if pinned(cert) {
            break; // A pinned certificate, sent along: trusted as it is.
        }
        let at = |e: String| format!("certificate {i} ({}): {e}", cert.subject);
        if let Some(issuer) = certs.get(i + 1) {
            let what = format!("certificate {} ({})", i + 1, issuer.subject);
            cert.check_issued_by(issuer, &what, i, pinned(issuer))
                .map_err(at)?;
            continue;
        }
        // The last one sent: one of the roots must have issued it.
        let mut candidates = roots
            .iter()
            .enumerate()
            .filter(|(_, root)| root.name_der(true) == cert.name_der(false))
            .peekable();
        if candidates.peek().is_none() {
            return Err(at(format!("issuer {} is no pinned root", cert.issuer)));
        }
        let mut errors = Vec::new();
        for (r, root) in candidates {
            let what = format!("pinned root {r} ({})", root.subject);
            match root
                .check_time(now_ms)
                .map_err(|e| format!("{what}: {e}"))
                .and_then(|()| cert.check_issued_by(root, &what, i, true))
            {
                Ok(()) => return certs[0].describe(),
                Err(e) => errors.push(e),
            }
        }
        return Err(at(errors.join("; ")));
    }
    certs[0].describe()
}

/// The DER certificates in one input: itself, or every `CERTIFICATE`
/// block of a PEM text.
fn certificates_in(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    if bytes.len() > MAX_INPUT {
        return Err(format!("larger than {MAX_INPUT} bytes"));
    }
    if !pem::is_pem(bytes) {
        return Ok(vec![bytes.to_vec()]);
    }
    let ders: Vec<Vec<u8>> = pem::blocks(bytes)?
        .into_iter()
        .filter(|b| b.label == "CERTIFICATE")
        .map(|b| b.der)
        .collect();
    if ders.is_empty() {
        return Err("no CERTIFICATE block in the PEM".into());
    }
    Ok(ders)
}

fn read_all(inputs: &[Vec<u8>], max: usize, what: &str) -> Result<Vec<Parsed>, String> {
    let mut out = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        for der in certificates_in(input).map_err(|e| format!("{what} {i}: {e}"))? {
            if out.len() == max {
                return Err(format!("more than {max} certificates ({what}s)"));
            }
            out.push(Parsed::new(der).map_err(|e| format!("{what} {i}: {e}"))?);
        }
    }
    Ok(out)
}

/// A decoded certificate with its encoding and rendered subject.
struct Parsed {
    der: Vec<u8>,
    cert: x509_cert::Certificate,
    subject: String,
    issuer: String,
}

impl Parsed {
    fn new(der: Vec<u8>) -> Result<Parsed, String> {
        let cert =
            x509_cert::Certificate::from_der(&der).map_err(|e| format!("bad certificate: {e}"))?;
        let subject = cert.tbs_certificate.subject.to_string();
        let issuer = cert.tbs_certificate.issuer.to_string();
        Ok(Parsed {
            der,
            cert,
            subject,
            issuer,
        })
    }

    fn tbs(&self) -> &x509_cert::TbsCertificate {
        &self.cert.tbs_certificate
    }

    /// The DER of the subject (`true`) or issuer name: names are compared as
    /// encoded, which is what issuers produce in practice.
    fn name_der(&self, subject: bool) -> Vec<u8> {
        let name = if subject {
            &self.tbs().subject
        } else {
            &self.tbs().issuer
        };
        name.to_der().unwrap_or_default()
    }

    fn extensions(&self) -> &[x509_cert::ext::Extension] {
        self.tbs().extensions.as_deref().unwrap_or(&[])
    }

    fn extension(&self, oid: ObjectIdentifier) -> Option<&[u8]> {
        self.extensions()
            .iter()
            .find(|e| e.extn_id == oid)
            .map(|e| e.extn_value.as_bytes())
    }

    fn describe(&self) -> Result<Certificate, String> {
        let tbs = self.tbs();
        let mut serial = tbs.serial_number.as_bytes();
        while serial.len() > 1 && serial[0] == 0 {
            serial = &serial[1..];
        }
        let dns_names = match self.extension(OID_SUBJECT_ALT_NAME) {
            None => Vec::new(),
            Some(value) => SubjectAltName::from_der(value)
                .map_err(|e| format!("bad subjectAltName: {e}"))?
                .0
                .into_iter()
                .filter_map(|name| match name {
                    GeneralName::DnsName(dns) => Some(dns.to_string()),
                    _ => None,
                })
                .collect(),
        };
        Ok(Certificate {
            subject: self.subject.clone(),
            issuer: self.issuer.clone(),
            serial_hex: serial.iter().map(|b| format!("{b:02x}")).collect(),
            not_before_ms: millis(tbs.validity.not_before),
            not_after_ms: millis(tbs.validity.not_after),
            dns_names,
            extension_oids: self
                .extensions()
                .iter()
                .map(|e| e.extn_id.to_string())
                .collect(),
            public_key: tbs
                .subject_public_key_info
                .to_der()
                .map_err(|e| format!("bad public key: {e}"))?,
        })
    }

    fn check_time(&self, now_ms: i64) -> Result<(), String> {
        let validity = &self.tbs().validity;
        let (from, until) = (millis(validity.not_before), millis(validity.not_after));
        if now_ms < from {
            return Err(format!(
                "not valid before {} (now {now_ms} ms)",
                validity.not_before
            ));
        }
        if now_ms > until {
            return Err(format!(
                "expired at {} (now {now_ms} ms)",
                validity.not_after
            ));
        }
        Ok(())
    }

    fn check_critical(&self) -> Result<(), String> {
        match self
            .extensions()
            .iter()
            .find(|e| e.critical && !KNOWN_CRITICAL.contains(&e.extn_id))
        {
            Some(e) => Err(format!("unsupported critical extension {}", e.extn_id)),
            None => Ok(()),
        }
    }

    /// Checks that `issuer` (described as `what`) issued `self`, which sits
    /// at chain index `index`. Pinned roots need not be marked as CAs.
    fn check_issued_by(
        &self,
        issuer: &Parsed,
        what: &str,
        index: usize,
        pinned: bool,
    ) -> Result<(), String> {
        if issuer.name_der(true) != self.name_der(false) {
            return Err(format!(
                "issuer {} is not the subject of {what}",
                self.issuer
            ));
        }
        if !pinned {
            issuer
                .check_ca(index)
                .map_err(|e| format!("{what} may not issue it: {e}"))?;
        }
        self.check_signature(issuer)
            .map_err(|e| format!("signature not made by {what}: {e}"))
    }

    /// `self` is a CA that may sign the certificate at chain index `index`;
    /// `index` is also how many intermediates lie between `self` and the
    /// leaf (0 when it signs the leaf), which its pathLenConstraint bounds.
    fn check_ca(&self, index: usize) -> Result<(), String> {
        let constraints = match self.extension(OID_BASIC_CONSTRAINTS) {
            Some(value) => BasicConstraints::from_der(value)
                .map_err(|e| format!("bad basicConstraints: {e}"))?,
            None => return Err("no basicConstraints (not a CA)".into()),
        };
        if !constraints.ca {
            return Err("basicConstraints cA is false".into());
        }
        if let Some(max) = constraints.path_len_constraint
            && index > usize::from(max)
        {
            return Err(format!("pathLenConstraint {max} exceeded"));
        }
        if let Some(value) = self.extension(OID_KEY_USAGE) {
            let usage = KeyUsage::from_der(value).map_err(|e| format!("bad keyUsage: {e}"))?;
            if !usage.key_cert_sign() {
                return Err("keyUsage lacks keyCertSign".into());
            }
        }
        Ok(())
    }

    fn check_signature(&self, issuer: &Parsed) -> Result<(), String> {
        let cert = &self.cert;
        if cert.signature_algorithm != cert.tbs_certificate.signature {
            return Err("the two signature algorithm fields differ".into());
        }
        let alg = &cert.signature_algorithm;
        let kind = SignatureKind::of(alg.oid)
            .ok_or_else(|| format!("unsupported signature algorithm {}", alg.oid))?;
        let key_der = issuer
            .tbs()
            .subject_public_key_info
            .to_der()
            .map_err(|e| format!("bad issuer key: {e}"))?;
        let key = keys::from_spki_der(&key_der).map_err(|e| format!("issuer key: {e}"))?;
        let tbs = cert
            .tbs_certificate
            .to_der()
            .map_err(|e| format!("cannot encode TBS: {e}"))?;
        let signature = cert
            .signature
            .as_bytes()
            .ok_or("signature is not a whole number of bytes")?;
        let ok = match (kind, &key) {
            (SignatureKind::Rsa(hash), PublicKey::Rsa(key)) => {
                // RFC 4055: parameters NULL, or absent.
                let params_ok = match &alg.parameters {
                    None => true,
                    Some(any) => x509_cert::der::Tagged::tag(any) == x509_cert::der::Tag::Null,
                };
                params_ok && crate::rsa::pkcs1v15_verify(key, hash, &tbs, signature)
            }
            (SignatureKind::Ecdsa(hash), PublicKey::P256(_) | PublicKey::P384(_)) => {
                alg.parameters.is_none() && keys::ecdsa_verify(&key, hash, &tbs, signature, true)
            }
            (SignatureKind::Ed25519, PublicKey::Ed25519(_)) => {
                alg.parameters.is_none() && keys::ed25519_verify(&key, &tbs, signature)
            }
            _ => {
                return Err(format!(
                    "algorithm {} does not fit the issuer's {} key",
                    alg.oid,
                    key.kind()
                ));
            }
        };
        if ok {
            Ok(())
        } else {
            Err("it does not verify".into())
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum SignatureKind {
    Rsa(Hash),
    Ecdsa(Hash),
    Ed25519,
}

impl SignatureKind {
    fn of(oid: ObjectIdentifier) -> Option<SignatureKind> {
        Some(match oid.to_string().as_str() {
            "1.2.840.113549.1.1.5" => SignatureKind::Rsa(Hash::Sha1),
            "1.2.840.113549.1.1.11" => SignatureKind::Rsa(Hash::Sha256),
            "1.2.840.113549.1.1.12" => SignatureKind::Rsa(Hash::Sha384),
            "1.2.840.113549.1.1.13" => SignatureKind::Rsa(Hash::Sha512),
            "1.2.840.10045.4.3.2" => SignatureKind::Ecdsa(Hash::Sha256),
            "1.2.840.10045.4.3.3" => SignatureKind::Ecdsa(Hash::Sha384),
            "1.2.840.10045.4.3.4" => SignatureKind::Ecdsa(Hash::Sha512),
            "1.3.101.112" => SignatureKind::Ed25519,
            _ => return None,
        })
    }
}

fn millis(time: x509_cert::time::Time) -> i64 {
    i64::try_from(time.to_unix_duration().as_millis()).unwrap_or(i64::MAX)
}
