//! Cloudinary webhook notifications: `X-Cld-Signature: <hex SHA-1(raw body +
//! X-Cld-Timestamp + API secret)>` (a plain hash, not an HMAC; SHA-256 when
//! the product environment signs with SHA-256), `X-Cld-Timestamp: <Unix
//! seconds>` (Cloudinary docs, "Webhook notifications" → "Verifying
//! notification signatures"; the official SDKs' `verify_notification_signature`
//! compute exactly this, and accept a notification for 7200 s).
//!
//! Paste the product environment's API secret (Console → Settings → API Keys)
//! and add this source's URL as the notification URL (Console → Settings →
//! Webhook Notifications, the Admin API's triggers, or `notification_url` on an
//! upload call). Set `signature_algorithm` to `sha256` if the environment signs
//! with SHA-256. Rotation: notifications are signed with the secret of the key
//! named in their `signature_key`; paste every active key's secret here while
//! you rotate, and remove the old one when its key is deactivated.
//!
//! The timestamp is signed; `tolerance_seconds` (default 7200 s, the SDKs'
//! `valid_for`) bounds its age either way. No handshake.
//!
//! Events: the type is `notification_type`, the subject the asset's
//! `public_id` (else `asset_id`), the time `created_at` (RFC 3339) else the
//! signed timestamp. Notifications carry no delivery id: a retry (3, 6 and 9
//! minutes later, same body) is deduplicated on the body's hash.
//!
//! Catalog: the 27 notification types of Cloudinary's triggers (see
//! `events.txt`).

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};
use sha1::{Digest, Sha1};

pub struct Cloudinary;

const SIGNATURE: &str = "X-Cld-Signature";
const TIMESTAMP: &str = "X-Cld-Timestamp";
const TOLERANCE: i64 = 7200;

/// `hex(hash(body + timestamp + secret))`, SHA-1 or SHA-256.
pub struct CldSignature;

#[derive(serde::Deserialize, Default)]
struct Settings {
    signature_algorithm: Option<String>,
}

fn digest(sha256: bool, body: &[u8], timestamp: &str, secret: &str) -> Vec<u8> {
    let message = [body, timestamp.as_bytes(), secret.as_bytes()].concat();
    match sha256 {
        true => crypto::sha256(&message),
        false => Sha1::digest(&message).to_vec(),
    }
}

fn uses_sha256(settings: &str) -> Result<bool, String> {
    let settings: Settings = parse_settings(settings)?;
    match settings.signature_algorithm.as_deref() {
        None | Some("sha1") => Ok(false),
        Some("sha256") => Ok(true),
        Some(other) => Err(format!("invalid settings: signature_algorithm {other:?}")),
    }
}

impl SigningScheme for CldSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let sha256 = uses_sha256(&context.settings).map_err(VerifyError::Malformed)?;
        let tolerance = tolerance(context, TOLERANCE)?;
        let provided =
            hex_decode(request.require_header(SIGNATURE)?).map_err(VerifyError::Malformed)?;
        let timestamp = request.require_header(TIMESTAMP)?.trim();
        let seconds: i64 = timestamp
            .parse()
            .map_err(|_| VerifyError::Malformed(format!("{TIMESTAMP} is not a number")))?;
        any_secret(secrets, &[provided], |secret| {
            digest(sha256, &request.body, timestamp, secret)
        })?;
        check_timestamp(seconds, context.now_ms, tolerance)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let timestamp = input.now_ms.div_euclid(1000).to_string();
        let mac = digest(
            uses_sha256(&input.settings)?,
            &input.body,
            &timestamp,
            &input.secret,
        );
        Ok(request
            .header(TIMESTAMP, timestamp)
            .header(SIGNATURE, hex_encode(&mac)))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![
            tolerance_setting(
                TOLERANCE,
                "Largest accepted age of X-Cld-Timestamp, in seconds (Cloudinary's SDKs: 7200)",
            ),
            (
                "signature_algorithm",
                json!({"type": "string", "enum": ["sha1", "sha256"], "default": "sha1",
                       "description": "The product environment's signature algorithm (Console → Settings → Security)"}),
            ),
        ]
    }
}

impl Declared for Cloudinary {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("cloudinary", "Cloudinary", "Cloudinary upload, asset, folder and processing notifications")
            .docs("https://cloudinary.com/documentation/notifications")
            .secret("API secret", "The API secret of the product environment's API key (Console → Settings → API Keys). While rotating, paste every active key's secret.")
            .events_file(include_str!("../events.txt")),
        &CldSignature,
    )
    .event_type(Field::pointer("/notification_type"))
    .subject(Field::first(&[Field::pointer("/public_id"), Field::pointer("/asset_id")]))
    .time(Time::first(&[
        Time::rfc3339("/created_at"),
        Time::Custom(|s| s.request.header(TIMESTAMP)?.trim().parse::<i64>().ok()?.checked_mul(1000)),
    ]));
}

hookyard_sdk::export_adapter!(Cloudinary);
