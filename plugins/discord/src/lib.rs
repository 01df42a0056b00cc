//! Discord interactions endpoint (and webhook events): Discord signs
//! `X-Signature-Timestamp` + the raw body with its Ed25519 private key and sends
//! the hex signature in `X-Signature-Ed25519`; the "secret" is the
//! application's hex **public** key, so anyone may hold it and `sign` cannot be
//! offered. Bad or missing signatures are rejected (the host answers 401,
//! which Discord's endpoint check requires) and the signed timestamp must be
//! within 300 s (`tolerance_seconds`; Discord documents no window). The
//! handshake is the interaction PING (`{"type":1}`), answered `{"type":1}` only
//! once its signature verified; a webhook-event PING (`{"type":0}`) is
//! answered 204. Interactions (types 2–5) become a `reply`: one event typed
//! `interaction.application_command`, `interaction.message_component`,
//! `interaction.application_command_autocomplete` or `interaction.modal_submit`
//! (the whole interaction as data, `data.name`/`data.custom_id` included),
//! deduplicated on the interaction `id`, occurring at the id's snowflake time,
//! about `guild_id/channel_id`, answered with a deferred response
//! (`interaction.rs`); webhook events (`type` 1 with an `event`) are typed by
//! `event.type` (`APPLICATION_AUTHORIZED`, ...).
//! A public key never rotates; several secrets only serve several
//! applications sharing one source.

mod interaction;

use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::PublicKeySigned;
use serde::Deserialize;

pub struct Discord;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// Read by [`SIGNED`]; declared here so that it is a known setting.
    #[allow(dead_code)]
    #[serde(default = "hookyard_sdk::signature::default_tolerance")]
    tolerance_seconds: i64,
    /// Defer commands and modal submits as ephemeral ("thinking…" shown to
    /// the invoking user only): `{"type":5,"data":{"flags":64}}`.
    #[serde(default)]
    ephemeral: bool,
}

/// Ed25519 over `X-Signature-Timestamp` + body, with the application's
/// public key (hex) as the secret.
const SIGNED: PublicKeySigned = Scheme::public_key_timestamp_then_body(
    "X-Signature-Ed25519",
    "X-Signature-Timestamp",
    KeyAlgorithm::Ed25519,
    Encoding::Hex,
);
/// Discord's epoch (2015-01-01) in Unix milliseconds, for snowflake ids.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

const INTERACTIONS: &[(i64, &str, &str)] = &[
    (
        2,
        "interaction.application_command",
        "A slash, user or message command was invoked (answered: deferred channel message, type 5)",
    ),
    (
        3,
        "interaction.message_component",
        "A button or select menu was used (answered: deferred update message, type 6)",
    ),
    (
        4,
        "interaction.application_command_autocomplete",
        "A command option asks for autocomplete choices (answered: no choices, type 8)",
    ),
    (
        5,
        "interaction.modal_submit",
        "A modal was submitted (answered: deferred channel message, type 5)",
    ),
];

/// Discord's webhook events (not interactions), as data.
const WEBHOOK_EVENTS: &str = catalog::checked(include_str!("../events.txt"));

/// When a snowflake id was created, in Unix milliseconds.
pub fn snowflake_ms(id: &str) -> Option<i64> {
    let id: u64 = id.parse().ok()?;
    i64::try_from(id >> 22).ok().map(|ms| ms + DISCORD_EPOCH_MS)
}

fn json_response(status: u16, body: &[u8]) -> Outcome {
    Outcome::Respond(DirectResponse {
        status,
        headers: if body.is_empty() {
            vec![]
        } else {
            vec![Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            }]
        },
        body: body.to_vec(),
    })
}

impl Adapter for Discord {
    fn manifest() -> Manifest {
        let mut event_types: Vec<EventTypeInfo> = INTERACTIONS
            .iter()
            .map(|(_, name, description)| EventTypeInfo {
                name: name.to_string(),
                description: description.to_string(),
            })
            .collect();
        event_types.extend(catalog::event_types(WEBHOOK_EVENTS));
        Manifest {
            name: "discord".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Discord".into(),
            description: "Discord interactions (slash commands, components, modals) and webhook events".into(),
            docs_url: "https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers".into(),
            secrets: vec![SecretSpec {
                label: "Application public key".into(),
                help: "The application's Public Key (64 hex characters): Discord Developer Portal (discord.com/developers/applications) → your application → General Information → Public Key. Then paste this source's URL as the Interactions Endpoint URL on the same page (or as the Webhooks → Endpoint URL for webhook events).".into(),
                required: true,
            }],
            settings_schema: json!({
                "type": "object",
                "properties": {"tolerance_seconds": {"type": "integer", "minimum": 1, "default": 300,
                    "description": "Largest accepted difference, in seconds and in either direction, between X-Signature-Timestamp and the host clock; default 300 (Discord documents no window)"},
                    "ephemeral": {"type": "boolean", "default": false,
                    "description": "Defer commands and modal submits as ephemeral (only the invoking user sees the \"thinking…\" message and the follow-up)"}},
                "additionalProperties": false
            })
            .to_string(),
            event_types,
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/type".into(),
                note: "interaction type 2..5 as its name (application_command, ...); for webhook events /event/type".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        context.require_secrets()?;
        let _: Settings = context.settings().map_err(VerifyError::Malformed)?;
        SIGNED.verify(&request, &context)
    }

    fn handle(request: Request, context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        let kind = body
            .get("type")
            .and_then(Value::as_i64)
            .ok_or_else(|| HandleError::Malformed("payload has no numeric type".into()))?;
        if let Some(event) = body.get("event") {
            // A webhook event (type 1 with an event body).
            let event_type = json_string(event, "/type")
                .ok_or_else(|| HandleError::Malformed("webhook event has no event.type".into()))?;
            return Ok(Outcome::Events(vec![Event {
                event_type,
                dedup_id: None,
                occurred_at: None,
                subject: json_string(&body, "/application_id"),
                data: body.to_string(),
            }]));
        }
        match kind {
            0 => return Ok(json_response(204, b"")),
            1 => return Ok(json_response(200, br#"{"type":1}"#)),
            _ => {}
        }
        let settings: Settings = context.settings().map_err(HandleError::Malformed)?;
        Ok(interaction::reply(kind, &body, settings.ephemeral))
    }

    fn sign(_input: SignInput) -> Result<SignedRequest, String> {
        Err("Discord signs with its own Ed25519 private key; the source's secret is the application's public key, which cannot sign".into())
    }
}

hookyard_sdk::export_adapter!(Discord);
