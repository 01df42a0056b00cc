//! Standard Webhooks (standardwebhooks.com), and the vendors built on Svix:
//! headers `webhook-id`, `webhook-timestamp`, `webhook-signature` (or `svix-*`),
//! signature `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`, several
//! space-separated during rotations; the key is the base64 after `whsec_`.
//!
//! One adapter, four presets: `standard-webhooks` reads `webhook-*` headers;
//! `svix`, `resend` and `clerk` read `svix-*`. The event type is the body's
//! `type`, the dedup id the id header. Tolerance: 300 s.

use hookyard_sdk::prelude::*;
use serde::Deserialize;

pub struct StandardWebhooks;

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Settings {
    /// `webhook` or `svix`: the header names' prefix.
    header_prefix: String,
    tolerance_seconds: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            header_prefix: "webhook".into(),
            tolerance_seconds: hookyard_sdk::signature::DEFAULT_TOLERANCE_SECONDS,
        }
    }
}

impl Settings {
    fn header(&self, suffix: &str) -> String {
        format!("{}-{suffix}", self.header_prefix)
    }
}

/// The HMAC key of a `whsec_…` secret (a bare base64 secret works too).
fn key(secret: &str) -> Result<Vec<u8>, String> {
    base64_decode(secret.strip_prefix("whsec_").unwrap_or(secret))
}

fn signed_content(id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut content = format!("{id}.{timestamp}.").into_bytes();
    content.extend_from_slice(body);
    content
}

fn preset(name: &str, display_name: &str, description: &str, prefix: &str) -> Preset {
    Preset {
        name: name.into(),
        display_name: display_name.into(),
        description: description.into(),
        settings: json!({ "header_prefix": prefix }).to_string(),
    }
}

impl Adapter for StandardWebhooks {
    fn manifest() -> Manifest {
        Manifest {
            name: "standard-webhooks".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Standard Webhooks".into(),
            description: "The Standard Webhooks signature scheme, used by Svix and the vendors built on it".into(),
            docs_url: "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md".into(),
            secrets: vec![SecretSpec {
                label: "Signing secret".into(),
                help: "The endpoint's signing secret, starting with whsec_ (Svix, Resend: Webhooks → endpoint → Signing secret; Clerk: Webhooks → endpoint → Signing Secret).".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {
                    "header_prefix": {"enum": ["webhook", "svix"], "default": "webhook",
                        "description": "Header names: webhook-id/-timestamp/-signature or svix-*"},
                    "tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300,
                        "description": "Largest accepted difference, in seconds and in either direction, between the webhook-timestamp (or svix-timestamp) header and the host clock; default 300"}
                },
                "additionalProperties": false
            })
            .to_string(),
            event_types: vec![],
            discriminator: Discriminator { location: DiscriminatorLocation::Body, path: "/type".into(), note: String::new() },
            presets: vec![
                preset("standard-webhooks", "Standard Webhooks", "Any sender following the Standard Webhooks spec", "webhook"),
                preset("svix", "Svix", "Webhooks sent through Svix", "svix"),
                preset("resend", "Resend", "Resend email events (sent through Svix)", "svix"),
                preset("clerk", "Clerk", "Clerk user and session events (sent through Svix)", "svix"),
            ],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let settings: Settings = context.settings().map_err(VerifyError::Malformed)?;
        let id = request.require_header(&settings.header("id"))?;
        let timestamp = request.require_header(&settings.header("timestamp"))?;
        let header = request.require_header(&settings.header("signature"))?;
        let timestamp: i64 = timestamp.parse().map_err(|_| {
            VerifyError::Malformed(format!("{} is not a number", settings.header("timestamp")))
        })?;
        let signatures = header
            .split_whitespace()
            .filter_map(|item| item.split_once(','))
            .filter(|(version, _)| *version == "v1")
            .map(|(_, signature)| base64_decode(signature))
            .collect::<Result<Vec<_>, _>>()
            .map_err(VerifyError::Malformed)?;
        if signatures.is_empty() {
            return Err(VerifyError::MissingSignature(format!(
                "{} v1",
                settings.header("signature")
            )));
        }
        if let Some(Err(e)) = secrets.iter().map(|s| key(s)).find(Result::is_err) {
            return Err(VerifyError::Unauthorized(format!(
                "a configured secret is not a whsec_ base64 secret ({e})"
            )));
        }
        let content = signed_content(id, timestamp, &request.body);
        any_secret(secrets, &signatures, |secret| {
            crypto::hmac_sha256(&key(secret).unwrap_or_default(), &content)
        })?;
        check_timestamp(timestamp, context.now_ms, settings.tolerance_seconds)
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        let settings: Settings = context.settings().map_err(HandleError::Malformed)?;
        let body = request.json()?;
        let event_type = json_string(&body, "/type")
            .ok_or_else(|| HandleError::Malformed("payload has no type".into()))?;
        Ok(Outcome::Events(vec![Event {
            event_type,
            dedup_id: request.header(&settings.header("id")).map(str::to_string),
            occurred_at: request
                .header(&settings.header("timestamp"))
                .and_then(|t| t.parse::<i64>().ok())
                .map(|s| s * 1000),
            subject: None,
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        let settings: Settings = input.settings()?;
        let timestamp = input.now_ms / 1000;
        let id = format!("msg_{}", input.delivery_id.replace('-', ""));
        let signature = crypto::hmac_sha256(
            &key(&input.secret)?,
            &signed_content(&id, timestamp, &input.body),
        );
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: settings.header("id"),
                    value: id,
                },
                Header {
                    name: settings.header("timestamp"),
                    value: timestamp.to_string(),
                },
                Header {
                    name: settings.header("signature"),
                    value: format!("v1,{}", base64_encode(&signature)),
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(StandardWebhooks);
