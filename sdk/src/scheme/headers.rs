//! An HMAC over header values followed directly by the raw body, with an
//! RFC 3339 timestamp among them: Zendesk signs `timestamp + body`, Twitch
//! EventSub `message id + timestamp + body`. Made by
//! [`Scheme::timestamp_then_body`](super::Scheme::timestamp_then_body).

use super::{SigningScheme, tolerance, tolerance_setting};
use crate::request::{ContextExt, RequestExt};
use crate::schemes::{Encoding, Hmac};
use crate::signature::{DEFAULT_TOLERANCE_SECONDS, any_secret, check_timestamp};
use crate::signed::SignedRequestBuilder;
use crate::time::{Precision, ms_to_rfc3339, rfc3339_to_ms};
use crate::{Context, Request, SignInput, VerifyError};
use serde_json::Value;

/// `signature_header: <prefix><encoded HMAC(secret, [id] + timestamp + body)>`,
/// no separators; the timestamp (RFC 3339) in its own header and within the
/// tolerance; the id header, when declared, signed first (signing puts the
/// delivery id there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimestampThenBody {
    pub signature_header: &'static str,
    pub timestamp_header: &'static str,
    pub id_header: Option<&'static str>,
    pub hmac: Hmac,
    pub encoding: Encoding,
    pub prefix: &'static str,
    /// How [`sign`](SigningScheme::sign) writes the timestamp.
    pub precision: Precision,
    pub tolerance_seconds: i64,
    pub tolerance_note: &'static str,
}

impl TimestampThenBody {
    pub(super) const fn new(
        signature_header: &'static str,
        timestamp_header: &'static str,
        hmac: Hmac,
        encoding: Encoding,
    ) -> Self {
        Self {
            signature_header,
            timestamp_header,
            id_header: None,
            hmac,
            encoding,
            prefix: "",
            precision: Precision::Seconds,
            tolerance_seconds: DEFAULT_TOLERANCE_SECONDS,
            tolerance_note: "",
        }
    }

    /// A prefix before the encoded MAC (`sha256=`).
    pub const fn prefixed(self, prefix: &'static str) -> Self {
        Self { prefix, ..self }
    }

    /// A header whose value is signed before the timestamp (a message id).
    pub const fn id_first(self, header: &'static str) -> Self {
        Self {
            id_header: Some(header),
            ..self
        }
    }

    /// The precision of the timestamps [`sign`](SigningScheme::sign) writes.
    pub const fn precision(self, precision: Precision) -> Self {
        Self { precision, ..self }
    }

    /// The default tolerance in seconds (the setting still overrides it).
    pub const fn tolerance(self, tolerance_seconds: i64) -> Self {
        Self {
            tolerance_seconds,
            ..self
        }
    }

    /// Describes the `tolerance_seconds` setting.
    pub const fn tolerance_note(self, note: &'static str) -> Self {
        Self {
            tolerance_note: note,
            ..self
        }
    }

    fn content(id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
        let mut content = format!("{id}{timestamp}").into_bytes();
        content.extend_from_slice(body);
        content
    }
}

impl SigningScheme for TimestampThenBody {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, self.tolerance_seconds)?;
        let signature = request.require_header(self.signature_header)?;
        let id = match self.id_header {
            Some(header) => request.require_header(header)?,
            None => "",
        };
        let timestamp = request.require_header(self.timestamp_header)?;
        let encoded = signature.strip_prefix(self.prefix).ok_or_else(|| {
            let header = self.signature_header;
            VerifyError::Malformed(format!("{header} must start with {}", self.prefix))
        })?;
        let provided = self
            .encoding
            .decode(encoded)
            .map_err(VerifyError::Malformed)?;
        let sent_ms = rfc3339_to_ms(timestamp).ok_or_else(|| {
            VerifyError::Malformed(format!("{} is not RFC 3339", self.timestamp_header))
        })?;
        let content = Self::content(id, timestamp, &request.body);
        any_secret(secrets, &[provided], |secret| {
            self.hmac.mac(secret.as_bytes(), &content)
        })?;
        check_timestamp(sent_ms.div_euclid(1000), context.now_ms, tolerance)
    }

    fn sign(
        &self,
        input: &SignInput,
        mut request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let timestamp = ms_to_rfc3339(input.now_ms, self.precision);
        let id = match self.id_header {
            Some(header) => {
                request = request.header(header, input.delivery_id.clone());
                input.delivery_id.as_str()
            }
            None => "",
        };
        let mac = self.hmac.mac(
            input.secret.as_bytes(),
            &Self::content(id, &timestamp, &input.body),
        );
        let signature = format!("{}{}", self.prefix, self.encoding.encode(&mac));
        Ok(request
            .header(self.timestamp_header, timestamp)
            .header(self.signature_header, signature))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            self.tolerance_seconds,
            self.tolerance_note,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::Scheme;
    use crate::testing::{context, request};

    const TWITCH_LIKE: TimestampThenBody =
        Scheme::timestamp_then_body("X-Sig", "X-Time", Hmac::Sha256, Encoding::Hex)
            .prefixed("sha256=")
            .id_first("X-Id")
            .precision(Precision::Nanos)
            .tolerance(600);

    fn input(body: &[u8]) -> SignInput {
        SignInput {
            body: body.to_vec(),
            secret: "k".into(),
            event_type: None,
            delivery_id: "msg-1".into(),
            url: "https://hooks.test/".into(),
            settings: "{}".into(),
            now_ms: 1_763_800_000_123,
        }
    }

    #[test]
    fn it_signs_id_timestamp_and_body_and_verifies_them() {
        let input = input(b"{}");
        let signed = TWITCH_LIKE
            .sign(&input, SignedRequestBuilder::post_json(&input))
            .unwrap()
            .build();
        let pairs: Vec<(&str, &str)> = signed
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        let time = "2025-11-22T08:26:40.123000000Z";
        assert!(pairs.contains(&("X-Time", time)));
        assert!(pairs.contains(&("X-Id", "msg-1")));
        let expected = crate::crypto::hmac_sha256(b"k", format!("msg-1{time}{{}}").as_bytes());
        let signature = format!("sha256={}", crate::encoding::hex_encode(&expected));
        assert!(pairs.contains(&("X-Sig", signature.as_str())));
        let ctx = context(&["other", "k"], "{}", 1_763_800_000 + 599);
        let verify = |body: &[u8], ctx: &Context| {
            TWITCH_LIKE.verify(&request("POST", "/", &pairs, body), ctx)
        };
        assert!(verify(b"{}", &ctx).is_ok());
        assert!(matches!(
            verify(b"{ }", &ctx),
            Err(VerifyError::BadSignature)
        ));
        let late = context(&["k"], "{}", 1_763_800_000 + 601);
        assert!(matches!(
            verify(b"{}", &late),
            Err(VerifyError::TimestampOutOfTolerance(_))
        ));
        assert!(matches!(
            verify(b"{}", &context(&[], "{}", 0)),
            Err(VerifyError::Unauthorized(_))
        ));
    }

    #[test]
    fn errors_keep_their_codes() {
        let ctx = context(&["k"], "{}", 0);
        let check = |headers: &[(&str, &str)]| {
            TWITCH_LIKE.verify(&request("POST", "/", headers, b"{}"), &ctx)
        };
        let (sig, id, time) = (
            ("X-Sig", "sha256=00"),
            ("X-Id", "1"),
            ("X-Time", "2025-11-22T08:26:40Z"),
        );
        assert!(matches!(
            check(&[id, time]),
            Err(VerifyError::MissingSignature(_))
        ));
        assert!(matches!(
            check(&[sig, time]),
            Err(VerifyError::MissingSignature(_))
        ));
        assert!(matches!(
            check(&[sig, id]),
            Err(VerifyError::MissingSignature(_))
        ));
        assert!(matches!(
            check(&[("X-Sig", "00"), id, time]),
            Err(VerifyError::Malformed(_))
        ));
        assert!(matches!(
            check(&[sig, id, ("X-Time", "soon")]),
            Err(VerifyError::Malformed(_))
        ));
        assert!(matches!(
            check(&[sig, id, time]),
            Err(VerifyError::BadSignature)
        ));
    }
}
