//! Box webhooks (V2): `BOX-SIGNATURE-PRIMARY` and `BOX-SIGNATURE-SECONDARY`,
//! each the base64 HMAC-SHA256 of the raw body followed by the
//! `BOX-DELIVERY-TIMESTAMP` header's value, keyed with the app's primary and
//! secondary signature keys; `BOX-SIGNATURE-VERSION: 1`,
//! `BOX-SIGNATURE-ALGORITHM: HmacSHA256` (Box developer guide, "Signatures").
//! As Box's SDKs do (box-sdk-gen `validate_message`), a signature also passes
//! over the body with non-ASCII characters, control characters and
//! backslashes escaped (`é` → `\u00e9`), which Box signs for some payloads;
//! and the delivery timestamp must be within 10 minutes of now (the
//! `tolerance_seconds` setting; the SDKs also refuse any future timestamp,
//! this adapter allows the same 10 minutes of clock skew either way).
//!
//! Paste the primary signature key and the secondary one as a second secret:
//! Developer Console → your app → Webhooks → Manage signature keys (Generate
//! Key). Either header may match either secret, so rotating one key at a
//! time (Box's advice) never breaks delivery.
//!
//! Events: the type is `trigger` (`FILE.UPLOADED`), the dedup id the webhook
//! event's `id` (else `BOX-DELIVERY-ID`), the subject `source.id` (the file,
//! folder, comment, … that changed), the time `created_at`. No handshake.
//!
//! Catalog: Box's 43 V2 triggers (see `events.txt`).

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};

pub struct BoxWebhooks;

const TIMESTAMP: &str = "BOX-DELIVERY-TIMESTAMP";
const SIGNATURES: [&str; 2] = ["BOX-SIGNATURE-PRIMARY", "BOX-SIGNATURE-SECONDARY"];
const TOLERANCE_SECONDS: i64 = 600;

struct BoxSignature;

fn mac(secret: &str, body: &[u8], timestamp: &str) -> Vec<u8> {
    crypto::hmac_sha256(secret.as_bytes(), &[body, timestamp.as_bytes()].concat())
}

/// The body as Box's SDKs escape it (`escape_unicode`).
fn escaped(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() != Some(&'/') => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ => c
                .encode_utf16(&mut [0; 2])
                .iter()
                .for_each(|u| out.push_str(&format!("\\u{u:04x}"))),
        }
    }
    out
}

impl SigningScheme for BoxSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, TOLERANCE_SECONDS)?;
        let timestamp = request.require_header(TIMESTAMP)?;
        let signatures = SIGNATURES
            .iter()
            .filter_map(|name| request.header(name))
            .map(|v| base64_decode(v.trim()));
        let signatures = signatures
            .collect::<Result<Vec<_>, _>>()
            .map_err(VerifyError::Malformed)?;
        if signatures.is_empty() {
            return Err(VerifyError::MissingSignature(SIGNATURES[0].into()));
        }
        let version = (
            request.header("BOX-SIGNATURE-VERSION"),
            request.header("BOX-SIGNATURE-ALGORITHM"),
        );
        if version != (Some("1"), Some("HmacSHA256")) {
            return Err(VerifyError::Malformed(
                "BOX-SIGNATURE-VERSION 1 and BOX-SIGNATURE-ALGORITHM HmacSHA256 expected".into(),
            ));
        }
        let sent_at = rfc3339_to_ms(timestamp)
            .ok_or_else(|| VerifyError::Malformed(format!("{TIMESTAMP} is not RFC 3339")))?;
        any_secret(secrets, &signatures, |secret| {
            mac(secret, &request.body, timestamp)
        })
        .or_else(|_| {
            let escaped =
                escaped(std::str::from_utf8(&request.body).map_err(|_| VerifyError::BadSignature)?);
            any_secret(secrets, &signatures, |secret| {
                mac(secret, escaped.as_bytes(), timestamp)
            })
        })?;
        check_timestamp_ms(sent_at, context.now_ms, tolerance)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let timestamp = ms_to_rfc3339(input.now_ms, Precision::Seconds);
        let signature = base64_encode(&mac(&input.secret, &input.body, &timestamp));
        Ok(request
            .header(TIMESTAMP, timestamp)
            .header(SIGNATURES[0], signature)
            .header("BOX-SIGNATURE-VERSION", "1")
            .header("BOX-SIGNATURE-ALGORITHM", "HmacSHA256"))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            TOLERANCE_SECONDS,
            "Largest accepted age of BOX-DELIVERY-TIMESTAMP, either way (Box: 10 minutes)",
        )]
    }
}

impl Declared for BoxWebhooks {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("box", "Box", "Box file, folder, collaboration, comment, metadata, shared link and Box Sign events")
            .docs("https://developer.box.com/guides/webhooks/v2/signatures-v2/")
            .secret("Signature keys", "Developer Console → your app → Webhooks → Manage signature keys (Generate Key if none): paste the Primary key, and the Secondary key as a second secret of this source.")
            .events_file(include_str!("../events.txt")),
        &BoxSignature,
    )
    .event_type(Field::pointer("/trigger"))
    .dedup_id(Field::first(&[Field::pointer("/id"), Field::header("BOX-DELIVERY-ID")]))
    .subject(Field::pointer("/source/id"))
    .time(Time::rfc3339("/created_at"));
}

hookyard_sdk::export_adapter!(BoxWebhooks);
