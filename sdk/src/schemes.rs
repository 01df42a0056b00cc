//! Whole signature schemes that many vendors share, verify and sign side.
//!
//! [`crate::signature`] has the pieces (header splitting, tolerance, secret
//! rotation); adapters kept assembling the same two schemes from them, line for
//! line, so they live here once:
//!
//! - a plain HMAC of the body in one header, hex or base64, maybe behind a
//!   `sha256=` prefix (Alchemy, Bitbucket, Intercom, Typeform, …):
//!   [`BodyHmac`], declared once and used by `verify` and `sign`;
//! - a timestamped header, `t=<unix>,v1=<hex>[,v1=…]` with HMAC-SHA256 over
//!   `"{t}.{body}"` (Stripe, Mux, Calendly, WorkOS; Paddle's `ts=…;h1=…`
//!   over `"{ts}:{body}"`):
//!   [`TimestampedHeader`] and [`sign_timestamped`].
//!
//! Checking the timestamp against a tolerance stays with the adapter
//! ([`crate::signature::check_timestamp`] or `check_timestamp_ms`), after the
//! signature, because vendors differ in the unit.

use crate::crypto;
use crate::encoding::{base64_decode, base64_encode, hex_decode, hex_encode};
use crate::request::RequestExt;
use crate::signature::{any_secret, parse_signature_header};
use crate::{Request, VerifyError};

/// The hash an HMAC signature is made with (`"sha256"` in settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Hmac {
    Sha1,
    Sha256,
    Sha512,
}

impl Hmac {
    /// The MAC of `message` keyed with `key`.
    pub fn mac(self, key: &[u8], message: &[u8]) -> Vec<u8> {
        match self {
            Hmac::Sha1 => crypto::hmac_sha1(key, message),
            Hmac::Sha256 => crypto::hmac_sha256(key, message),
            Hmac::Sha512 => crypto::hmac_sha512(key, message),
        }
    }
}

/// How a signature is written as text (`"hex"` in settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    Hex,
    Base64,
}

impl Encoding {
    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Hex => hex_encode(bytes),
            Encoding::Base64 => base64_encode(bytes),
        }
    }

    /// Decodes (surrounding whitespace ignored); the error says what was wrong.
    pub fn decode(self, text: &str) -> Result<Vec<u8>, String> {
        match self {
            Encoding::Hex => hex_decode(text),
            Encoding::Base64 => base64_decode(text),
        }
    }
}

/// A plain HMAC of the raw body in one header: hex or base64, maybe behind a
/// prefix such as `sha256=`. Declare it once and use it on both sides:
///
/// ```ignore
/// const SIGNATURE: BodyHmac =
///     BodyHmac::new("X-Hub-Signature", Hmac::Sha256, Encoding::Hex).prefixed("sha256=");
/// SIGNATURE.verify(&request, secrets)?;                  // in verify()
/// let value = SIGNATURE.sign(&input.secret, &input.body); // in sign()
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyHmac {
    pub header: &'static str,
    pub hmac: Hmac,
    pub encoding: Encoding,
    pub prefix: &'static str,
}

impl BodyHmac {
    /// No prefix: the header is the encoded MAC alone.
    pub const fn new(header: &'static str, hmac: Hmac, encoding: Encoding) -> Self {
        Self {
            header,
            hmac,
            encoding,
            prefix: "",
        }
    }

    /// The encoded MAC follows `prefix` (`sha256=`), which must be there (in
    /// any case: `SHA256=` too).
    pub const fn prefixed(self, prefix: &'static str) -> Self {
        Self { prefix, ..self }
    }

    /// Passes if the header's MAC matches any active secret. Missing header
    /// → `missing-signature`; no prefix or not decodable → `malformed`; no
    /// secret matches → `bad-signature`.
    pub fn verify(&self, request: &Request, secrets: &[String]) -> Result<(), VerifyError> {
        let value = request.require_header(self.header)?;
        let encoded = value
            .get(..self.prefix.len())
            .filter(|prefix| prefix.eq_ignore_ascii_case(self.prefix))
            .map(|_| &value[self.prefix.len()..])
            .ok_or_else(|| {
                VerifyError::Malformed(format!("{} must start with {}", self.header, self.prefix))
            })?;
        let provided = self
            .encoding
            .decode(encoded)
            .map_err(VerifyError::Malformed)?;
        any_secret(secrets, &[provided], |secret| {
            self.hmac.mac(secret.as_bytes(), &request.body)
        })
    }

    /// The header value [`Self::verify`] accepts for `body` and `secret`.
    pub fn sign(&self, secret: &str, body: &[u8]) -> String {
        let mac = self.hmac.mac(secret.as_bytes(), body);
        format!("{}{}", self.prefix, self.encoding.encode(&mac))
    }
}

/// A timestamped signature header such as Stripe's `t=…,v1=…,v1=…` or
/// Paddle's `ts=…;h1=…`: one timestamp and any number of signatures (several
/// while the vendor rolls a secret), each HMAC-SHA256 in hex over
/// `"{timestamp}{joiner}{body}"`, the joiner `.` for most vendors (`:` Paddle).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimestampedHeader {
    /// The timestamp as sent: what is signed.
    pub timestamp: String,
    /// The signature values as sent, not yet decoded.
    pub signatures: Vec<String>,
    header: String,
    timestamp_key: String,
    signature_key: String,
}

impl TimestampedHeader {
    /// Reads header `name` of `request`, split with `separators` (pairs,
    /// key/value: `(',', '=')` for Stripe) and looked up with `keys`
    /// (timestamp, signature: `("t", "v1")`). Missing header →
    /// `missing-signature`; no timestamp → `malformed`. Signatures are
    /// checked by [`Self::verify`].
    pub fn from_request(
        request: &Request,
        name: &str,
        separators: (char, char),
        keys: (&str, &str),
    ) -> Result<Self, VerifyError> {
        let pairs =
            parse_signature_header(request.require_header(name)?, separators.0, separators.1);
        let (timestamp_key, signature_key) = keys;
        let timestamp = pairs
            .iter()
            .find(|(k, _)| k == timestamp_key)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| VerifyError::Malformed(format!("{name} has no {timestamp_key}=")))?;
        let signatures = pairs
            .into_iter()
            .filter(|(k, _)| k == signature_key)
            .map(|(_, v)| v)
            .collect();
        Ok(Self {
            timestamp,
            signatures,
            header: name.to_string(),
            timestamp_key: timestamp_key.to_string(),
            signature_key: signature_key.to_string(),
        })
    }

    /// The timestamp as a number (seconds or milliseconds, as the vendor
    /// sends it); not one → `malformed`.
    pub fn parsed_timestamp(&self) -> Result<i64, VerifyError> {
        self.timestamp.parse().map_err(|_| {
            VerifyError::Malformed(format!(
                "{} {} is not a number",
                self.header, self.timestamp_key
            ))
        })
    }

    /// Passes if any signature is the HMAC-SHA256 of
    /// `"{timestamp}{joiner}{body}"` keyed with any active secret. A signature that is not hex →
    /// `malformed`; none at all → `missing-signature`; no match →
    /// `bad-signature`. Check the timestamp's age afterwards.
    pub fn verify(&self, secrets: &[String], joiner: char, body: &[u8]) -> Result<(), VerifyError> {
        self.verify_encoded(secrets, joiner, body, Encoding::Hex)
    }

    /// [`Self::verify`] for signatures written in `encoding` (Knock: base64).
    pub fn verify_encoded(
        &self,
        secrets: &[String],
        joiner: char,
        body: &[u8],
        encoding: Encoding,
    ) -> Result<(), VerifyError> {
        let signatures = self
            .signatures
            .iter()
            .map(|v| encoding.decode(v))
            .collect::<Result<Vec<_>, _>>()
            .map_err(VerifyError::Malformed)?;
        if signatures.is_empty() {
            return Err(VerifyError::MissingSignature(format!(
                "{} {}",
                self.header, self.signature_key
            )));
        }
        let signed = timestamped_payload(&self.timestamp, joiner, body);
        any_secret(secrets, &signatures, |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &signed)
        })
    }
}

/// The hex HMAC-SHA256 of `"{timestamp}{joiner}{body}"`, the signature a
/// [`TimestampedHeader`] carries; the adapter formats the header around it.
pub fn sign_timestamped(secret: &str, timestamp: &str, joiner: char, body: &[u8]) -> String {
    sign_timestamped_encoded(secret, timestamp, joiner, body, Encoding::Hex)
}

/// [`sign_timestamped`] written in `encoding`.
pub fn sign_timestamped_encoded(
    secret: &str,
    timestamp: &str,
    joiner: char,
    body: &[u8],
    encoding: Encoding,
) -> String {
    encoding.encode(&crypto::hmac_sha256(
        secret.as_bytes(),
        &timestamped_payload(timestamp, joiner, body),
    ))
}

fn timestamped_payload(timestamp: &str, joiner: char, body: &[u8]) -> Vec<u8> {
    let mut signed = Vec::with_capacity(timestamp.len() + 1 + body.len());
    signed.extend_from_slice(timestamp.as_bytes());
    signed.extend_from_slice(joiner.encode_utf8(&mut [0; 4]).as_bytes());
    signed.extend_from_slice(body);
    signed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::request;

    const BODY: &[u8] = br#"{"id":"evt_1"}"#;

    fn secrets() -> Vec<String> {
        vec!["new".into(), "old".into()]
    }

    #[test]
    fn hmac_and_encoding_match_the_crypto_module() {
        assert_eq!(Hmac::Sha1.mac(b"k", b"m"), crypto::hmac_sha1(b"k", b"m"));
        assert_eq!(
            Hmac::Sha256.mac(b"k", b"m"),
            crypto::hmac_sha256(b"k", b"m")
        );
        assert_eq!(
            Hmac::Sha512.mac(b"k", b"m"),
            crypto::hmac_sha512(b"k", b"m")
        );
        assert_eq!(Encoding::Hex.encode(b"\x01\xff"), "01ff");
        assert_eq!(Encoding::Base64.encode(b"hi"), "aGk=");
        assert_eq!(Encoding::Hex.decode(" 01ff ").unwrap(), b"\x01\xff");
        assert!(Encoding::Base64.decode("***").is_err());
        let named: (Hmac, Encoding) = serde_json::from_str(r#"["sha512", "base64"]"#).unwrap();
        assert_eq!(named, (Hmac::Sha512, Encoding::Base64));
        assert!(serde_json::from_str::<Hmac>(r#""SHA256""#).is_err());
    }

    #[test]
    fn body_hmacs_verify_with_any_secret_and_prefix() {
        for scheme in [
            BodyHmac::new("X-Sig", Hmac::Sha256, Encoding::Hex),
            BodyHmac::new("X-Sig", Hmac::Sha256, Encoding::Hex).prefixed("sha256="),
            BodyHmac::new("X-Sig", Hmac::Sha1, Encoding::Hex).prefixed("sha1="),
            BodyHmac::new("X-Sig", Hmac::Sha256, Encoding::Base64).prefixed("sha256="),
            BodyHmac::new("x-sig", Hmac::Sha512, Encoding::Base64),
        ] {
            let value = scheme.sign("old", BODY);
            assert!(value.starts_with(scheme.prefix));
            let req = request("POST", "/", &[("X-Sig", &value)], BODY);
            assert!(scheme.verify(&req, &secrets()).is_ok());
            let tampered = request("POST", "/", &[("X-Sig", &value)], b"{}");
            assert!(matches!(
                scheme.verify(&tampered, &secrets()),
                Err(VerifyError::BadSignature)
            ));
        }
        assert_eq!(
            BodyHmac::new("X", Hmac::Sha256, Encoding::Hex).sign("k", b"m"),
            hex_encode(&crypto::hmac_sha256(b"k", b"m"))
        );
    }

    #[test]
    fn body_hmac_errors_keep_their_codes() {
        const SCHEME: BodyHmac =
            BodyHmac::new("X-Sig", Hmac::Sha256, Encoding::Hex).prefixed("sha256=");
        let check = |headers: &[(&str, &str)]| {
            SCHEME.verify(&request("POST", "/", headers, BODY), &secrets())
        };
        assert!(matches!(check(&[]), Err(VerifyError::MissingSignature(h)) if h == "X-Sig"));
        assert!(matches!(
            check(&[("X-Sig", " ")]),
            Err(VerifyError::MissingSignature(_))
        ));
        assert!(
            matches!(check(&[("X-Sig", "abcd")]), Err(VerifyError::Malformed(m)) if m == "X-Sig must start with sha256=")
        );
        assert!(matches!(
            check(&[("X-Sig", "sha256=zz")]),
            Err(VerifyError::Malformed(_))
        ));
        assert!(matches!(
            check(&[("X-Sig", "sha256=abcd")]),
            Err(VerifyError::BadSignature)
        ));
        let mac = SCHEME.sign("new", BODY);
        assert!(check(&[("X-Sig", &format!("  {mac} "))]).is_ok());
        let upper = mac.replacen("sha256=", "SHA256=", 1);
        assert!(check(&[("X-Sig", &upper)]).is_ok());
        assert!(matches!(
            check(&[("X-Sig", &mac.replacen("sha256=", "sha1=", 1))]),
            Err(VerifyError::Malformed(_))
        ));
        assert!(matches!(
            check(&[("X-Sig", "é")]),
            Err(VerifyError::Malformed(_))
        ));
    }

    fn stripe(value: &str, body: &[u8]) -> Result<TimestampedHeader, VerifyError> {
        let req = request("POST", "/", &[("Stripe-Signature", value)], body);
        TimestampedHeader::from_request(&req, "Stripe-Signature", (',', '='), ("t", "v1"))
    }

    #[test]
    fn timestamped_headers_parse_with_their_separators_and_keys() {
        let header = stripe("t=123, v1=ab,v0=x,v1=cd,junk", BODY).unwrap();
        assert_eq!(header.timestamp, "123");
        assert_eq!(header.signatures, vec!["ab", "cd"]);
        assert_eq!(header.parsed_timestamp().unwrap(), 123);
        let req = request("POST", "/", &[("Paddle-Signature", "ts=9;h1=ef")], BODY);
        let paddle =
            TimestampedHeader::from_request(&req, "Paddle-Signature", (';', '='), ("ts", "h1"))
                .unwrap();
        assert_eq!(
            (paddle.timestamp.as_str(), paddle.signatures.len()),
            ("9", 1)
        );
    }

    #[test]
    fn timestamped_header_errors_keep_their_codes() {
        let req = request("POST", "/", &[], BODY);
        assert!(matches!(
            TimestampedHeader::from_request(&req, "Stripe-Signature", (',', '='), ("t", "v1")),
            Err(VerifyError::MissingSignature(_))
        ));
        assert!(
            matches!(stripe("v1=ab", BODY), Err(VerifyError::Malformed(m)) if m == "Stripe-Signature has no t=")
        );
        assert!(matches!(
            stripe("t=x,v1=ab", BODY).unwrap().parsed_timestamp(),
            Err(VerifyError::Malformed(m)) if m == "Stripe-Signature t is not a number"
        ));
        assert!(matches!(
            stripe("t=1", BODY).unwrap().verify(&secrets(), '.', BODY),
            Err(VerifyError::MissingSignature(m)) if m == "Stripe-Signature v1"
        ));
        assert!(matches!(
            stripe("t=1,v1=zz", BODY)
                .unwrap()
                .verify(&secrets(), '.', BODY),
            Err(VerifyError::Malformed(_))
        ));
    }

    #[test]
    fn timestamped_signatures_verify_with_any_secret() {
        let good = sign_timestamped("old", "1763800000", '.', BODY);
        let value = format!("t=1763800000,v1={},v1={good}", "00".repeat(32));
        assert!(
            stripe(&value, BODY)
                .unwrap()
                .verify(&secrets(), '.', BODY)
                .is_ok()
        );
        assert!(matches!(
            stripe(&value, b"{}")
                .unwrap()
                .verify(&secrets(), '.', b"{}"),
            Err(VerifyError::BadSignature)
        ));
        let other_time = format!("t=1763800001,v1={good}");
        assert!(matches!(
            stripe(&other_time, BODY)
                .unwrap()
                .verify(&secrets(), '.', BODY),
            Err(VerifyError::BadSignature)
        ));
        assert_eq!(
            good,
            hex_encode(&crypto::hmac_sha256(
                b"old",
                b"1763800000.{\"id\":\"evt_1\"}"
            ))
        );
    }
}
