//! One App Store signed payload (the notification, and the transaction and
//! renewal info inside it), verified as Apple's `app-store-server-library`
//! does: an ES256 JWS whose `x5c` header holds exactly three certificates
//! (leaf, intermediate, root); the leaf and the intermediate must chain to a
//! pinned root (signatures, CA constraint, validity at the host clock), the
//! leaf must carry Apple's App Store receipt-signing marker
//! (1.2.840.113635.100.6.11.1) and the intermediate Apple's WWDR marker
//! (1.2.840.113635.100.6.2.1); the JWS signature is then checked with the
//! leaf's key. The certificate in the third `x5c` slot is never trusted: the
//! anchor is the adapter's own.

use hookyard_sdk::crypto::{JwtError, JwtRules};
use hookyard_sdk::prelude::*;
use hookyard_sdk::serde_json;

const LEAF_OID: &str = "1.2.840.113635.100.6.11.1";
const INTERMEDIATE_OID: &str = "1.2.840.113635.100.6.2.1";

fn malformed(why: impl std::fmt::Display) -> VerifyError {
    VerifyError::Malformed(format!("signed payload: {why}"))
}

/// Base64url without padding, as JWS segments are.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut standard = text.replace('-', "+").replace('_', "/");
    standard.push_str(&"=".repeat((4 - standard.len() % 4) % 4));
    base64_decode(&standard)
}

/// The `x5c` leaf and intermediate (DER) of `token`'s protected header.
fn chain(token: &str) -> Result<Vec<Vec<u8>>, VerifyError> {
    let header = token.split('.').next().unwrap_or_default();
    let header = base64url_decode(header).map_err(malformed)?;
    let header: Value = serde_json::from_slice(&header).map_err(malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("ES256") {
        return Err(malformed("alg is not ES256"));
    }
    let x5c = header
        .get("x5c")
        .and_then(Value::as_array)
        .filter(|x5c| x5c.len() == 3)
        .ok_or_else(|| malformed("x5c does not hold three certificates"))?;
    x5c.iter()
        .take(2)
        .map(|cert| {
            let text = cert
                .as_str()
                .ok_or_else(|| malformed("x5c entry is not text"))?;
            base64_decode(text).map_err(malformed)
        })
        .collect()
}

/// The verified payload of `token` (JSON), chained to one of `roots`.
pub fn verify(token: &str, roots: &[Vec<u8>], now_ms: i64) -> Result<Value, VerifyError> {
    let chain = chain(token)?;
    let leaf = crypto::verify_chain(&chain, roots, now_ms)
        .map_err(|why| VerifyError::Unauthorized(format!("x5c chain: {why}")))?;
    let intermediate = crypto::parse_certificate(&chain[1]).map_err(malformed)?;
    if !leaf.extension_oids.iter().any(|oid| oid == LEAF_OID) {
        return Err(VerifyError::Unauthorized(format!(
            "the signing certificate lacks Apple's marker {LEAF_OID}"
        )));
    }
    if !intermediate
        .extension_oids
        .iter()
        .any(|oid| oid == INTERMEDIATE_OID)
    {
        return Err(VerifyError::Unauthorized(format!(
            "the intermediate certificate lacks Apple's marker {INTERMEDIATE_OID}"
        )));
    }
    let rules = JwtRules {
        algorithms: vec!["ES256".into()],
        audiences: vec![],
        issuers: vec![],
        require_expiry: false,
        leeway_seconds: 0,
        now_ms,
    };
    let payload = crypto::verify_jwt(token, &chain[0], &rules).map_err(|e| match e {
        JwtError::BadSignature => VerifyError::BadSignature,
        JwtError::Expired(skew) => VerifyError::TimestampOutOfTolerance(skew),
        JwtError::Malformed(why) | JwtError::Claims(why) => malformed(why),
    })?;
    serde_json::from_str(&payload).map_err(malformed)
}
