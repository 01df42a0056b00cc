//! Slack's scheme: `X-Slack-Signature: v0=<hex>`, HMAC-SHA256 over
//! `"v0:{timestamp}:{body}"`, the Unix timestamp in a header of its own
//! (`X-Slack-Request-Timestamp`) and within the tolerance of the clock.
//! Made by [`Scheme::slack_like`](super::Scheme::slack_like).

use super::{SigningScheme, tolerance, tolerance_setting};
use crate::crypto::hmac_sha256;
use crate::encoding::{hex_decode, hex_encode};
use crate::request::{ContextExt, RequestExt};
use crate::signature::{any_secret, check_timestamp};
use crate::signed::SignedRequestBuilder;
use crate::{Context, Request, SignInput, VerifyError};
use serde_json::Value;

/// A versioned signature over `"{version}:{timestamp}:{body}"` with the
/// timestamp in its own header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionedBase {
    pub signature_header: &'static str,
    pub timestamp_header: &'static str,
    /// `v0`: the signature's prefix (`v0=`) and the base's first part.
    pub version: &'static str,
    pub tolerance_seconds: i64,
    pub tolerance_note: &'static str,
    /// Also take a timestamp in milliseconds (any value above 10^11, which in
    /// seconds is the year 5138): for vendors that do not document the unit.
    pub millis_too: bool,
}

impl VersionedBase {
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

    /// Accepts a timestamp header in milliseconds too (above 10^11), for a
    /// vendor whose documentation leaves the unit open (Zoom). It signs in
    /// seconds.
    pub const fn millis_too(self) -> Self {
        Self {
            millis_too: true,
            ..self
        }
    }

    fn base(&self, timestamp: &str, body: &[u8]) -> Vec<u8> {
        let mut base = format!("{}:{timestamp}:", self.version).into_bytes();
        base.extend_from_slice(body);
        base
    }
}

impl SigningScheme for VersionedBase {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, self.tolerance_seconds)?;
        let signature = request.require_header(self.signature_header)?;
        let timestamp = request.require_header(self.timestamp_header)?;
        let hex = signature
            .strip_prefix(self.version)
            .and_then(|rest| rest.strip_prefix('='))
            .ok_or_else(|| {
                VerifyError::Malformed(format!("signature must start with {}=", self.version))
            })?;
        let provided = hex_decode(hex).map_err(VerifyError::Malformed)?;
        let seconds: i64 = timestamp.parse().map_err(|_| {
            VerifyError::Malformed(format!("{} is not a number", self.timestamp_header))
        })?;
        let base = self.base(timestamp, &request.body);
        any_secret(secrets, &[provided], |secret| {
            hmac_sha256(secret.as_bytes(), &base)
        })?;
        let seconds = match seconds {
            millis if self.millis_too && millis > 100_000_000_000 => millis / 1000,
            seconds => seconds,
        };
        check_timestamp(seconds, context.now_ms, tolerance)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let timestamp = input.now_ms.div_euclid(1000).to_string();
        let mac = hmac_sha256(input.secret.as_bytes(), &self.base(&timestamp, &input.body));
        Ok(request.header(self.timestamp_header, timestamp).header(
            self.signature_header,
            format!("{}={}", self.version, hex_encode(&mac)),
        ))
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

    const SLACK: VersionedBase =
        Scheme::slack_like("X-Slack-Signature", "X-Slack-Request-Timestamp");

    #[test]
    fn slacks_published_example_verifies() {
        // api.slack.com/authentication/verifying-requests-from-slack
        let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let req = request(
            "POST",
            "/",
            &[
                ("X-Slack-Request-Timestamp", "1531420618"),
                (
                    "X-Slack-Signature",
                    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
                ),
            ],
            body,
        );
        let ctx = context(&["8f742231b10e8888abcd99yyyzzz85a5"], "{}", 1_531_420_618);
        assert!(SLACK.verify(&req, &ctx).is_ok());
        let late = context(
            &["8f742231b10e8888abcd99yyyzzz85a5"],
            "{}",
            1_531_420_618 + 301,
        );
        assert!(matches!(
            SLACK.verify(&req, &late),
            Err(VerifyError::TimestampOutOfTolerance(301))
        ));
        // A timestamp in milliseconds: stale in seconds unless millis_too.
        let mac = hmac_sha256(
            b"8f742231b10e8888abcd99yyyzzz85a5",
            &SLACK.base("1531420618000", body),
        );
        let signature = format!("v0={}", hex_encode(&mac));
        let headers = [
            ("X-Slack-Request-Timestamp", "1531420618000"),
            ("X-Slack-Signature", signature.as_str()),
        ];
        let millis = request("POST", "/", &headers, body);
        assert!(matches!(
            SLACK.verify(&millis, &ctx),
            Err(VerifyError::TimestampOutOfTolerance(_))
        ));
        assert!(SLACK.millis_too().verify(&millis, &ctx).is_ok());
        let wide = context(
            &["8f742231b10e8888abcd99yyyzzz85a5"],
            r#"{"tolerance_seconds": 400}"#,
            1_531_420_618 + 301,
        );
        assert!(SLACK.verify(&req, &wide).is_ok());
    }

    #[test]
    fn what_it_signs_verifies_and_errors_keep_their_codes() {
        let input = SignInput {
            body: b"{}".to_vec(),
            secret: "k".into(),
            event_type: None,
            delivery_id: "d".into(),
            url: "https://hooks.test/".into(),
            settings: "{}".into(),
            now_ms: 1_763_800_000_000,
        };
        let signed = SLACK
            .sign(&input, SignedRequestBuilder::post_json(&input))
            .unwrap()
            .build();
        let pairs: Vec<(&str, &str)> = signed
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        let ctx = context(&["other", "k"], "{}", 1_763_800_000);
        assert!(
            SLACK
                .verify(&request("POST", "/", &pairs, b"{}"), &ctx)
                .is_ok()
        );
        assert!(matches!(
            SLACK.verify(&request("POST", "/", &pairs, b"{ }"), &ctx),
            Err(VerifyError::BadSignature)
        ));
        let check =
            |headers: &[(&str, &str)]| SLACK.verify(&request("POST", "/", headers, b"{}"), &ctx);
        assert!(matches!(
            check(&[("X-Slack-Request-Timestamp", "1")]),
            Err(VerifyError::MissingSignature(_))
        ));
        assert!(matches!(
            check(&[("X-Slack-Signature", "v0=00")]),
            Err(VerifyError::MissingSignature(_))
        ));
        let bad_prefix = [
            ("X-Slack-Signature", "v1=00"),
            ("X-Slack-Request-Timestamp", "1"),
        ];
        assert!(matches!(check(&bad_prefix), Err(VerifyError::Malformed(_))));
        let bad_time = [
            ("X-Slack-Signature", "v0=00"),
            ("X-Slack-Request-Timestamp", "soon"),
        ];
        assert!(matches!(check(&bad_time), Err(VerifyError::Malformed(_))));
        assert!(matches!(
            SLACK.verify(&request("POST", "/", &pairs, b"{}"), &context(&[], "{}", 0)),
            Err(VerifyError::Unauthorized(_))
        ));
    }
}
