//! Zendesk webhooks: `X-Zendesk-Webhook-Signature` is the base64 HMAC-SHA256
//! of the `X-Zendesk-Webhook-Signature-Timestamp` header value followed
//! directly by the raw body (`base64(HMAC(secret, TIMESTAMP + BODY))`, no
//! separator; an empty body for GET/DELETE), keyed with the webhook's signing
//! secret as-is. The timestamp is ISO 8601 UTC (`2021-03-25T05:09:27Z`).
//! Zendesk documents no replay window; this adapter applies the usual 300 s
//! (`tolerance_seconds`). Zendesk has no handshake. Checked against Zendesk's
//! "Verifying webhook authenticity" page and independent implementations
//! (all TIMESTAMP + BODY); an older revision of that page had an example
//! signature computed over BODY + TIMESTAMP, which does not match its own
//! formula and is not accepted here.
//!
//! Webhooks subscribed to Zendesk events send a fixed JSON schema: the type is
//! `type` (`zen:event-type:user.created`), the dedup id the event `id`, the
//! subject `subject` (`zen:ticket:35436`), the time `time`. Webhooks connected
//! to triggers and automations send the body you wrote (JSON, form or XML, or
//! nothing): their type is read at `event_type_pointer` when the body is JSON,
//! else `default_event_type` (`trigger`), and their dedup id is the
//! `X-Zendesk-Webhook-Invocation-Id` header, which Zendesk keeps across retries
//! of one invocation. "Test webhook" requests sent before a webhook exists are
//! signed with Zendesk's public test secret; do not make that an active secret.
//! To rotate, reset the secret in Zendesk (Admin Center → Webhooks → your
//! webhook → Reset secret) and add the new value here next to the old one until
//! deliveries verify with it.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct Zendesk;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default = "hookyard_sdk::signature::default_tolerance")]
    tolerance_seconds: i64,
    #[serde(default = "default_type_pointer")]
    event_type_pointer: String,
    #[serde(default = "default_event_type")]
    default_event_type: String,
}

fn default_type_pointer() -> String {
    "/type".into()
}

fn default_event_type() -> String {
    "trigger".into()
}

const EVENTS: &str = catalog::checked(include_str!("../events.txt"));

const SIGNATURE_HEADER: &str = "X-Zendesk-Webhook-Signature";
const TIMESTAMP_HEADER: &str = "X-Zendesk-Webhook-Signature-Timestamp";
const INVOCATION_HEADER: &str = "X-Zendesk-Webhook-Invocation-Id";

impl Adapter for Zendesk {
    fn manifest() -> Manifest {
        Manifest {
            name: "zendesk".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Zendesk".into(),
            description: "Zendesk webhooks: ticket, user and organization events, and requests from triggers and automations".into(),
            docs_url: "https://developer.zendesk.com/documentation/webhooks/verifying/".into(),
            secrets: vec![SecretSpec {
                label: "Signing secret".into(),
                help: "The webhook's signing secret: Zendesk Admin Center → Apps and integrations → Webhooks → Webhooks → open your webhook → Signing secret → \"Reveal secret\". Each webhook has its own secret.".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300,
                        "description": "Largest accepted difference between the signed timestamp and now"},
                    "event_type_pointer": {"type": "string", "default": "/type",
                        "description": "JSON pointer to the event type in JSON bodies (for trigger and automation payloads you wrote yourself)"},
                    "default_event_type": {"type": "string", "minLength": 1, "default": "trigger",
                        "description": "The event type of requests whose body has none (trigger and automation webhooks)"}
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: catalog::event_types(EVENTS),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/type".into(),
                note: "trigger and automation requests without a type get default_event_type (\"trigger\")".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let provided = base64_decode(request.require_header(SIGNATURE_HEADER)?)
            .map_err(VerifyError::Malformed)?;
        let timestamp = request.require_header(TIMESTAMP_HEADER)?;
        let timestamp_ms = rfc3339_to_ms(timestamp).ok_or_else(|| {
            VerifyError::Malformed(format!("{TIMESTAMP_HEADER} is not an ISO 8601 time"))
        })?;
        let signed = signed_payload(timestamp, &request.body);
        any_secret(secrets, &[provided], |secret| {
            crypto::hmac_sha256(secret.as_bytes(), &signed)
        })?;
        check_timestamp(
            timestamp_ms.div_euclid(1000),
            context.now_ms,
            settings.tolerance_seconds,
        )
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        let settings: Settings = context.settings().map_err(HandleError::Malformed)?;
        let invocation = request.header(INVOCATION_HEADER).map(str::to_string);
        let json: Option<Value> = hookyard_sdk::serde_json::from_slice(&request.body).ok();
        let Some(body) = json.filter(Value::is_object) else {
            return Ok(Outcome::Events(vec![Event {
                event_type: settings.default_event_type,
                dedup_id: invocation,
                occurred_at: None,
                subject: None,
                data: non_json_data(&request).to_string(),
            }]));
        };
        let event_type = json_string(&body, &settings.event_type_pointer);
        // Only Zendesk's own event schema has a trustworthy id: a trigger body
        // may well carry `"id": "{{ticket.id}}"`, the same on every update.
        let zendesk_event = event_type
            .as_deref()
            .is_some_and(|t| t.starts_with("zen:event-type:"));
        Ok(Outcome::Events(vec![Event {
            dedup_id: if zendesk_event {
                json_string(&body, "/id").or(invocation)
            } else {
                invocation
            },
            occurred_at: zendesk_event
                .then(|| json_string(&body, "/time").and_then(|t| rfc3339_to_ms(&t)))
                .flatten(),
            subject: zendesk_event
                .then(|| json_string(&body, "/subject"))
                .flatten(),
            event_type: event_type.unwrap_or(settings.default_event_type),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let timestamp = ms_to_rfc3339(input.now_ms, Precision::Seconds);
        let signed = signed_payload(&timestamp, &input.body);
        let signature = base64_encode(&crypto::hmac_sha256(input.secret.as_bytes(), &signed));
        let header = |name: &str, value: String| Header {
            name: name.into(),
            value,
        };
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                header("Content-Type", "application/json".into()),
                header("User-Agent", "Zendesk Webhook".into()),
                header("X-Zendesk-Webhook-Id", "01F1KRFQ6BG29CNWFR60NK5FNY".into()),
                header(INVOCATION_HEADER, input.delivery_id),
                header(TIMESTAMP_HEADER, timestamp),
                header(SIGNATURE_HEADER, signature),
            ],
            body: input.body,
        })
    }
}

fn signed_payload(timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut signed = timestamp.as_bytes().to_vec();
    signed.extend_from_slice(body);
    signed
}

/// The `data` of a request whose body is not a JSON object: form fields as an
/// object, an empty body as the query parameters, anything else (XML, text) as
/// `{"content_type", "body"}`.
fn non_json_data(request: &Request) -> Value {
    let content_type = request
        .header("Content-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let pairs = |pairs: Vec<(String, String)>| {
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )
    };
    if request.body.is_empty() {
        return pairs(request.query_pairs());
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return pairs(request.form());
    }
    json!({
        "content_type": content_type,
        "body": String::from_utf8_lossy(&request.body),
    })
}

hookyard_sdk::export_adapter!(Zendesk);
