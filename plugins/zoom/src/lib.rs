//! Zoom webhooks: `x-zm-signature: v0=<hex HMAC-SHA256(secret token,
//! "v0:{x-zm-request-timestamp}:{raw body}")>`, the timestamp within 300 s of
//! the host clock (`tolerance_seconds`). Zoom's docs do not state the header's
//! unit (unconfirmed: its samples and Rivet treat it as an opaque number);
//! Unix seconds are assumed and a millisecond value is accepted too. The event type is
//! the body's `event` (`meeting.started`), `occurred_at` its `event_ts` (ms), the
//! subject `payload.object.id` (the meeting, webinar, user ... id). Zoom sends no
//! delivery id; its retries repeat the body, which the host deduplicates on.
//! The handshake is `endpoint.url_validation` (on setup, and again every 72 h):
//! it is signed like any event and answered with `{"plainToken": …,
//! "encryptedToken": hex HMAC-SHA256(secret token, plainToken)}`, keyed with
//! the active secret that signed the request. To rotate, regenerate the Secret
//! Token in the app's Feature → Access page, add it as a second secret, then
//! remove the old one once Zoom revalidates the endpoint.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Zoom;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "hookyard_sdk::signature::default_tolerance")]
    tolerance_seconds: i64,
}

const SIGNATURE: &str = "x-zm-signature";
const TIMESTAMP: &str = "x-zm-request-timestamp";
const VALIDATION: &str = "endpoint.url_validation";

const EVENTS: &str = catalog::checked(include_str!("../events.txt"));

fn signed_base(timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut base = format!("v0:{timestamp}:").into_bytes();
    base.extend_from_slice(body);
    base
}

/// The signature header's MAC, or why it cannot be read.
fn provided_signature(request: &Request) -> Result<Vec<u8>, VerifyError> {
    let header = request.require_header(SIGNATURE)?;
    let hex = header
        .strip_prefix("v0=")
        .ok_or_else(|| VerifyError::Malformed(format!("{SIGNATURE} must start with v0=")))?;
    hex_decode(hex).map_err(VerifyError::Malformed)
}

impl Adapter for Zoom {
    fn manifest() -> Manifest {
        Manifest {
            name: "zoom".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Zoom".into(),
            description: "Zoom Meetings, Webinars, Phone and account event subscriptions".into(),
            docs_url: "https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events".into(),
            secrets: vec![SecretSpec {
                label: "Secret Token".into(),
                help: "The app's Secret Token: Zoom App Marketplace (marketplace.zoom.us) → Manage → your app → Features → Access (\"Secret Token\", click Copy). It is not the Client Secret nor the deprecated Verification Token.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300,
                    "description": "Largest accepted difference, in seconds and in either direction, between x-zm-request-timestamp (Unix seconds; milliseconds are accepted too) and the host clock; default 300"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: catalog::event_types(EVENTS),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/event".into(),
                note: String::new(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let provided = provided_signature(&request)?;
        let timestamp = request.require_header(TIMESTAMP)?;
        let seconds: i64 = timestamp
            .parse()
            .map_err(|_| VerifyError::Malformed(format!("{TIMESTAMP} is not a number")))?;
        let base = signed_base(timestamp, &request.body);
        any_secret(secrets, &[provided], |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &base)
        })?;
        // Zoom documents the header without its unit; its samples use seconds.
        // A value in milliseconds is accepted too rather than rejected as stale.
        let seconds = if seconds > 100_000_000_000 {
            seconds / 1000
        } else {
            seconds
        };
        check_timestamp(seconds, context.now_ms, settings.tolerance_seconds)
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let event = json_string(&body, "/event")
            .ok_or_else(|| HandleError::Malformed("payload has no event".into()))?;
        if event == VALIDATION {
            return url_validation(&request, &context, &body);
        }
        Ok(Outcome::Events(vec![Event {
            event_type: event,
            dedup_id: None,
            occurred_at: body.get("event_ts").and_then(Value::as_i64),
            subject: json_string(&body, "/payload/object/id"),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let timestamp = (input.now_ms / 1000).to_string();
        let signature = hex_encode(&crypto::hmac_sha256(
            input.secret.as_bytes(),
            &signed_base(&timestamp, &input.body),
        ));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json; charset=utf-8".into()),
                header("User-Agent", "Zoom Marketplace/1.0a".into()),
                header(TIMESTAMP, timestamp),
                header(SIGNATURE, format!("v0={signature}")),
            ],
            body: input.body,
        })
    }
}

/// Answers the CRC with the plain token hashed by the secret that signed it.
fn url_validation(
    request: &Request,
    context: &Context,
    body: &Value,
) -> Result<Outcome, HandleError> {
    let plain = json_string(body, "/payload/plainToken")
        .ok_or_else(|| HandleError::Malformed("url_validation has no payload.plainToken".into()))?;
    let provided = provided_signature(request).map_err(|e| HandleError::Other(format!("{e:?}")))?;
    let base = signed_base(request.header(TIMESTAMP).unwrap_or_default(), &request.body);
    let secret = context
        .secrets
        .iter()
        .find(|secret| {
            crypto::constant_time_eq(&crypto::hmac_sha256(secret.as_bytes(), &base), &provided)
        })
        .or(context.secrets.first())
        .ok_or_else(|| HandleError::Other("no secret configured".into()))?;
    let encrypted = hex_encode(&crypto::hmac_sha256(secret.as_bytes(), plain.as_bytes()));
    Ok(Outcome::Respond(DirectResponse {
        status: 200,
        headers: vec![Header {
            name: "Content-Type".into(),
            value: "application/json".into(),
        }],
        body: json!({"plainToken": plain, "encryptedToken": encrypted})
            .to_string()
            .into_bytes(),
    }))
}

hookyard_sdk::export_adapter!(Zoom);
