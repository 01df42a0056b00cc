//! PayPal's self-verification scheme ("Verify the signature yourself" in
//! PayPal's webhook docs): PayPal signs
//! `transmission_id|transmission_time|webhook_id|crc32(raw body)` (the CRC in
//! decimal) with SHA256withRSA, sends the base64 signature in
//! `PAYPAL-TRANSMISSION-SIG`, and the certificate whose key verifies it at
//! `PAYPAL-CERT-URL`. The certificate is fetched through the host, which only
//! reaches the declared PayPal API origins (or the source's own); its path
//! must be PayPal's certificate path, and the certificate PayPal's (CN under
//! `.paypal.com`) and valid now. The webhook id
//! binds a delivery to this listener: a delivery for another webhook fails.
//! PayPal documents no freshness window; the signed transmission time must be
//! within `tolerance_seconds` (default 300) so a captured delivery cannot be
//! replayed later.

use crate::crc32::crc32;
use hookyard_sdk::crypto::{Digest, RsaPadding};
use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub const TRANSMISSION_ID: &str = "PAYPAL-TRANSMISSION-ID";
pub const TRANSMISSION_TIME: &str = "PAYPAL-TRANSMISSION-TIME";
pub const TRANSMISSION_SIG: &str = "PAYPAL-TRANSMISSION-SIG";
pub const CERT_URL: &str = "PAYPAL-CERT-URL";
pub const AUTH_ALGO: &str = "PAYPAL-AUTH-ALGO";
/// The only algorithm PayPal documents.
const ALGORITHM: &str = "SHA256withRSA";
/// Where PayPal serves its message-verification certificates.
const CERT_PATH: &str = "/v1/notifications/certs/";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    webhook_id: Option<String>,
    #[serde(default = "hookyard_sdk::signature::default_tolerance")]
    tolerance_seconds: i64,
}

pub struct PayPalSignature;

/// `https://<host>/v1/notifications/certs/<name>`, nothing else: no query,
/// no credentials, no other path on an allowed origin.
fn check_cert_url(url: &str) -> Result<(), VerifyError> {
    let rest = url
        .strip_prefix("https://")
        .ok_or_else(|| VerifyError::Malformed(format!("{CERT_URL} is not an https URL")))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let name = path.strip_prefix(CERT_PATH).unwrap_or_default();
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    if host.is_empty() || host.contains('@') || name.is_empty() || !name.chars().all(plain) {
        return Err(VerifyError::Malformed(format!(
            "{CERT_URL} is not a PayPal certificate URL (https://…{CERT_PATH}<id>)"
        )));
    }
    Ok(())
}

/// The certificate's key, after checking it is PayPal's (its common name
/// ends in `.paypal.com`, as PayPal's own SDK checks) and valid at `now_ms`.
fn certificate(url: &str, now_ms: i64) -> Result<Vec<u8>, VerifyError> {
    let pem = fetch::get_bytes(url).map_err(VerifyError::Unauthorized)?;
    let cert = crypto::parse_certificate(&pem)
        .map_err(|e| VerifyError::Malformed(format!("certificate at {CERT_URL}: {e}")))?;
    let common_name = cert
        .subject
        .split(',')
        .find_map(|part| part.trim().strip_prefix("CN="))
        .unwrap_or_default();
    if !common_name.to_ascii_lowercase().ends_with(".paypal.com") {
        return Err(VerifyError::Unauthorized(format!(
            "the certificate at {CERT_URL} is not PayPal's (CN={common_name})"
        )));
    }
    if now_ms < cert.not_before_ms || now_ms > cert.not_after_ms {
        return Err(VerifyError::Unauthorized(format!(
            "the certificate at {CERT_URL} is not valid now"
        )));
    }
    Ok(cert.public_key)
}

impl SigningScheme for PayPalSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let webhook_id = settings
            .webhook_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| {
                VerifyError::Unauthorized("the webhook_id setting is required".into())
            })?;
        let id = request.require_header(TRANSMISSION_ID)?;
        let time = request.require_header(TRANSMISSION_TIME)?;
        let signature = request.require_header(TRANSMISSION_SIG)?;
        let cert_url = request.require_header(CERT_URL)?;
        let algorithm = request.require_header(AUTH_ALGO)?;
        if algorithm != ALGORITHM {
            return Err(VerifyError::Malformed(format!(
                "{AUTH_ALGO} is {algorithm}, not {ALGORITHM}"
            )));
        }
        let signature = base64_decode(signature).map_err(VerifyError::Malformed)?;
        let sent_ms = rfc3339_to_ms(time).ok_or_else(|| {
            VerifyError::Malformed(format!("{TRANSMISSION_TIME} is not an RFC 3339 time"))
        })?;
        check_cert_url(cert_url)?;
        let key = certificate(cert_url, context.now_ms)?;
        let message = format!("{id}|{time}|{}|{}", webhook_id.trim(), crc32(&request.body));
        let valid = crypto::rsa_verify(
            RsaPadding::Pkcs1v15,
            Digest::Sha256,
            &key,
            message.as_bytes(),
            &signature,
        );
        if !valid {
            return Err(VerifyError::BadSignature);
        }
        check_timestamp_ms(sent_ms, context.now_ms, settings.tolerance_seconds)
    }

    fn sign(
        &self,
        _input: &SignInput,
        _request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        Err("PayPal signs with the private key of its own certificate; the host cannot sign PayPal deliveries".into())
    }
}

#[cfg(test)]
mod tests {
    use super::check_cert_url;

    #[test]
    fn only_certificate_paths() {
        let ok = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77";
        assert!(check_cert_url(ok).is_ok());
        for bad in [
            "http://api.paypal.com/v1/notifications/certs/CERT-1",
            "https://api.paypal.com/v1/notifications/certs/",
            "https://api.paypal.com/v1/oauth2/token",
            "https://api.paypal.com/v1/notifications/certs/CERT-1?x=1",
            "https://api.paypal.com/v1/notifications/certs/../../oauth2/token",
            "https://user@api.paypal.com/v1/notifications/certs/CERT-1",
        ] {
            assert!(check_cert_url(bad).is_err(), "{bad}");
        }
    }
}
