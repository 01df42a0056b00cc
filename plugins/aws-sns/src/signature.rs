//! SNS message signatures, as AWS documents them ("Verifying the signatures
//! of Amazon SNS messages"): the message's fields in a fixed order, each as
//! `Name\nValue\n`, signed with RSA PKCS#1 v1.5 over SHA-1
//! (`SignatureVersion` 1) or SHA-256 (2), by the key of the certificate at
//! `SigningCertURL`.
//!
//! The certificate is fetched through the host, which sends only to the
//! declared origin `https://sns.*.amazonaws.com` (or a source's own list), so
//! a message naming a certificate elsewhere is refused without a request.
//! The certificate must be valid at the host's clock. Anything missing,
//! unreadable or unknown fails closed.

use hookyard_sdk::crypto::{Digest, RsaPadding};
use hookyard_sdk::prelude::*;

/// The fields signed for a `Notification`, in order; `Subject` only when
/// the message has one.
const NOTIFICATION_FIELDS: &[&str] = &[
    "Message",
    "MessageId",
    "Subject",
    "Timestamp",
    "TopicArn",
    "Type",
];

/// The fields signed for `SubscriptionConfirmation` and
/// `UnsubscribeConfirmation`, in order.
const CONFIRMATION_FIELDS: &[&str] = &[
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
];

/// The string SNS signs for `message`.
pub fn canonical_string(message: &Value) -> Result<String, VerifyError> {
    let kind = json_string(message, "/Type")
        .ok_or_else(|| VerifyError::Malformed("the message has no Type".into()))?;
    let fields = match kind.as_str() {
        "Notification" => NOTIFICATION_FIELDS,
        "SubscriptionConfirmation" | "UnsubscribeConfirmation" => CONFIRMATION_FIELDS,
        other => return Err(VerifyError::Malformed(format!("unknown Type {other:?}"))),
    };
    let mut text = String::new();
    for name in fields {
        match message.get(*name).and_then(Value::as_str) {
            Some(value) => {
                text.push_str(name);
                text.push('\n');
                text.push_str(value);
                text.push('\n');
            }
            None if *name == "Subject" => {}
            None => return Err(VerifyError::Malformed(format!("the message has no {name}"))),
        }
    }
    Ok(text)
}

/// The digest `SignatureVersion` names.
fn digest(message: &Value) -> Result<Digest, VerifyError> {
    match json_string(message, "/SignatureVersion").as_deref() {
        Some("1") => Ok(Digest::Sha1),
        Some("2") => Ok(Digest::Sha256),
        Some(other) => Err(VerifyError::Malformed(format!(
            "unknown SignatureVersion {other:?}"
        ))),
        None => Err(VerifyError::MissingSignature("SignatureVersion".into())),
    }
}

/// The signing certificate's public key, fetched through the host and valid
/// at `now_ms`.
fn signing_key(url: &str, now_ms: i64) -> Result<Vec<u8>, VerifyError> {
    let pem = fetch::get_bytes(url)
        .map_err(|why| VerifyError::Unauthorized(format!("SigningCertURL: {why}")))?;
    let certificate = crypto::parse_certificate(&pem)
        .map_err(|why| VerifyError::Unauthorized(format!("SigningCertURL: {why}")))?;
    if now_ms < certificate.not_before_ms || now_ms > certificate.not_after_ms {
        return Err(VerifyError::Unauthorized(format!(
            "the signing certificate {} is not valid now",
            certificate.subject
        )));
    }
    Ok(certificate.public_key)
}

/// Checks `message`'s signature with the certificate it names.
pub fn verify_message(message: &Value, now_ms: i64) -> Result<(), VerifyError> {
    let signature = json_string(message, "/Signature")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| VerifyError::MissingSignature("Signature".into()))?;
    let signature = base64_decode(&signature)
        .map_err(|_| VerifyError::Malformed("Signature is not base64".into()))?;
    let digest = digest(message)?;
    let url = json_string(message, "/SigningCertURL")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| VerifyError::MissingSignature("SigningCertURL".into()))?;
    let text = canonical_string(message)?;
    let key = signing_key(&url, now_ms)?;
    if crypto::rsa_verify(
        RsaPadding::Pkcs1v15,
        digest,
        &key,
        text.as_bytes(),
        &signature,
    ) {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_strings_follow_the_documented_order() {
        let notification = json!({"Type": "Notification", "MessageId": "m", "TopicArn": "t",
            "Message": "hi", "Timestamp": "2026-01-01T00:00:00.000Z"});
        assert_eq!(
            canonical_string(&notification).unwrap(),
            "Message\nhi\nMessageId\nm\nTimestamp\n2026-01-01T00:00:00.000Z\nTopicArn\nt\nType\nNotification\n"
        );
        let confirmation = json!({"Type": "SubscriptionConfirmation", "MessageId": "m",
            "TopicArn": "t", "Message": "hi", "Timestamp": "x", "Token": "k", "SubscribeURL": "u"});
        assert_eq!(
            canonical_string(&confirmation).unwrap(),
            "Message\nhi\nMessageId\nm\nSubscribeURL\nu\nTimestamp\nx\nToken\nk\nTopicArn\nt\nType\nSubscriptionConfirmation\n"
        );
        assert!(canonical_string(&json!({"Type": "Notification"})).is_err());
    }
}
