//! Twitch EventSub over webhooks: `Twitch-Eventsub-Message-Signature:
//! sha256=<hex HMAC-SHA256(secret, message id + message timestamp + raw
//! body)>`, with `Twitch-Eventsub-Message-Id` and `-Timestamp` (RFC 3339,
//! nanoseconds). Twitch asks receivers to reject messages older than 10
//! minutes, so the tolerance is 600 s (`tolerance_seconds`), and to
//! deduplicate on the message id, which is the dedup id (retries keep it).
//! `Twitch-Eventsub-Message-Type` decides: `webhook_callback_verification` is
//! answered 200 `text/plain` with the raw `challenge` (after the signature
//! verified); `notification` becomes an event typed by the subscription type
//! (`channel.follow`, `stream.online`, ...); `revocation` becomes an event
//! typed `revocation` (its `subscription.status` says why: `user_removed`,
//! `authorization_revoked`, `notification_failures_exceeded`, ...). The subject
//! is the broadcaster (or user) id. The secret is the `transport.secret` you
//! chose when creating the subscription; each subscription may have its own,
//! so list every one in use as active secrets, and rotate by re-creating
//! subscriptions with the new secret while both are active.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Twitch;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "default_tolerance")]
    tolerance_seconds: i64,
}

fn default_tolerance() -> i64 {
    600
}

const SIGNATURE: &str = "Twitch-Eventsub-Message-Signature";
const MESSAGE_ID: &str = "Twitch-Eventsub-Message-Id";
const TIMESTAMP: &str = "Twitch-Eventsub-Message-Timestamp";
const MESSAGE_TYPE: &str = "Twitch-Eventsub-Message-Type";
const SUBSCRIPTION_TYPE: &str = "Twitch-Eventsub-Subscription-Type";

const EVENTS: &str = catalog::checked(include_str!("../events.txt"));

fn signed_content(id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut content = format!("{id}{timestamp}").into_bytes();
    content.extend_from_slice(body);
    content
}

impl Adapter for Twitch {
    fn manifest() -> Manifest {
        Manifest {
            name: "twitch".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Twitch EventSub".into(),
            description: "Twitch EventSub notifications delivered over webhooks".into(),
            docs_url: "https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message".into(),
            secrets: vec![SecretSpec {
                label: "Subscription secret".into(),
                help: "The transport.secret (10–100 ASCII characters) your app sends in the Create EventSub Subscription request (POST https://api.twitch.tv/helix/eventsub/subscriptions, transport.method \"webhook\", transport.callback = this source's URL). Twitch never shows it: use the value your code sends. It is not the app's Client Secret.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": 600,
                    "description": "Largest accepted difference, in seconds and in either direction, between Twitch-Eventsub-Message-Timestamp and the host clock; default 600 (Twitch asks to reject messages older than 10 minutes)"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types: catalog::event_types(EVENTS),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Header,
                path: SUBSCRIPTION_TYPE.into(),
                note: "for notification messages (body /subscription/type); revocation messages are typed revocation".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let header = request.require_header(SIGNATURE)?;
        let id = request.require_header(MESSAGE_ID)?;
        let timestamp = request.require_header(TIMESTAMP)?;
        let hex = header.strip_prefix("sha256=").ok_or_else(|| {
            VerifyError::Malformed(format!("{SIGNATURE} must start with sha256="))
        })?;
        let provided = hex_decode(hex).map_err(VerifyError::Malformed)?;
        let sent_ms = rfc3339_to_ms(timestamp)
            .ok_or_else(|| VerifyError::Malformed(format!("{TIMESTAMP} is not RFC 3339")))?;
        let content = signed_content(id, timestamp, &request.body);
        any_secret(secrets, &[provided], |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &content)
        })?;
        check_timestamp(
            sent_ms.div_euclid(1000),
            context.now_ms,
            settings.tolerance_seconds,
        )
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let message_type = request.header(MESSAGE_TYPE).unwrap_or("notification");
        match message_type {
            "webhook_callback_verification" => {
                let challenge = json_string(&body, "/challenge").ok_or_else(|| {
                    HandleError::Malformed("verification message has no challenge".into())
                })?;
                return Ok(Outcome::Respond(DirectResponse {
                    status: 200,
                    headers: vec![Header {
                        name: "Content-Type".into(),
                        value: "text/plain".into(),
                    }],
                    body: challenge.into_bytes(),
                }));
            }
            "notification" | "revocation" => {}
            other => {
                return Err(HandleError::Malformed(format!(
                    "unknown {MESSAGE_TYPE} {other}"
                )));
            }
        }
        let event_type = if message_type == "revocation" {
            "revocation".to_string()
        } else {
            request
                .header(SUBSCRIPTION_TYPE)
                .map(str::to_string)
                .or_else(|| json_string(&body, "/subscription/type"))
                .ok_or_else(|| HandleError::Malformed("no subscription type".into()))?
        };
        let subject = [
            "/event/broadcaster_user_id",
            "/event/user_id",
            "/subscription/condition/broadcaster_user_id",
            "/subscription/condition/user_id",
        ]
        .iter()
        .find_map(|pointer| json_string(&body, pointer));
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: request.header(MESSAGE_ID).map(str::to_string),
            occurred_at: request.header(TIMESTAMP).and_then(rfc3339_to_ms),
            subject,
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let body: Value = hookyard_sdk::serde_json::from_slice(&input.body)
            .map_err(|e| format!("an EventSub body is JSON: {e}"))?;
        let (message_type, subscription_type) = if body.get("challenge").is_some() {
            ("webhook_callback_verification", None)
        } else if json_string(&body, "/subscription/status")
            .is_some_and(|status| status != "enabled")
        {
            ("revocation", None)
        } else {
            ("notification", input.event_type.clone())
        };
        let subscription_type = subscription_type
            .or_else(|| json_string(&body, "/subscription/type"))
            .unwrap_or_else(|| "channel.follow".into());
        let timestamp = ms_to_rfc3339(input.now_ms, Precision::Nanos);
        let signature = hex_encode(&crypto::hmac_sha256(
            input.secret.as_bytes(),
            &signed_content(&input.delivery_id, &timestamp, &input.body),
        ));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header(MESSAGE_ID, input.delivery_id),
                header("Twitch-Eventsub-Message-Retry", "0".into()),
                header(MESSAGE_TYPE, message_type.into()),
                header(SIGNATURE, format!("sha256={signature}")),
                header(TIMESTAMP, timestamp),
                header(SUBSCRIPTION_TYPE, subscription_type),
                header(
                    "Twitch-Eventsub-Subscription-Version",
                    json_string(&body, "/subscription/version").unwrap_or_else(|| "1".into()),
                ),
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Twitch);
