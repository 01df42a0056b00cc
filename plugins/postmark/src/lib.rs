//! Postmark webhooks: Postmark signs nothing. Its documented protection is HTTP
//! Basic auth credentials you add to the webhook (in the URL as
//! `https://user:password@…`, or in the webhook's "Basic auth credentials"),
//! plus an IP allowlist (configure that on the source). The secret is
//! `user:password`; the `Authorization: Basic` credentials are compared with it
//! in constant time, and a rotation is: add the new pair as a second secret,
//! change the webhook URL, remove the old pair. The body is not signed.
//!
//! The event type is the body's `RecordType` (`Delivery`, `Bounce`,
//! `SpamComplaint`, `Open`, `Click`, `SubscriptionChange`). Inbound-message
//! webhooks carry no `RecordType` and become `Inbound` (recognised by
//! `FromFull`). Postmark sends no delivery id: bounces and spam complaints are
//! deduplicated on their bounce `ID` (`Bounce:42`), everything else on the body
//! hash (a retry repeats the body). The subject is the `MessageID`; the time is
//! `DeliveredAt`, `BouncedAt`, `ReceivedAt`, `ChangedAt` or `Date`.

use hookyard_sdk::prelude::*;

pub struct Postmark;

const RECORD_TYPES: &[(&str, &str)] = &[
    ("Delivery", "The receiving server accepted the message"),
    ("Bounce", "The message bounced (hard, soft, transient, ...)"),
    ("SpamComplaint", "The recipient marked the message as spam"),
    ("Open", "The recipient opened the message (open tracking)"),
    ("Click", "The recipient clicked a tracked link"),
    (
        "SubscriptionChange",
        "The recipient was suppressed or reactivated",
    ),
    (
        "Inbound",
        "An inbound message (no RecordType in Postmark's payload)",
    ),
];

impl Adapter for Postmark {
    fn manifest() -> Manifest {
        Manifest {
            name: "postmark".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            display_name: "Postmark".into(),
            description: "Postmark delivery, bounce, spam complaint, open, click, subscription and inbound webhooks".into(),
            docs_url: "https://postmarkapp.com/developer/webhooks/webhooks-overview".into(),
            secrets: vec![SecretSpec {
                label: "Basic auth credentials".into(),
                help: "Postmark does not sign webhooks. Make up a user name and a long random password, paste them here as user:password, and give Postmark the same pair: Servers → your server → your message stream → Webhooks → Add webhook, either in the URL (https://user:password@your-hookyard-host/webhooks/…) or under \"Add Basic auth credentials\".".into(),
                required: true,
            }],
            settings_schema: json!({"type": "object", "properties": {}, "additionalProperties": false}).to_string(),
            event_types: RECORD_TYPES
                .iter()
                .map(|(name, description)| EventTypeInfo { name: name.to_string(), description: description.to_string() })
                .collect(),
            discriminator: Discriminator {
                location: DiscriminatorLocation::Body,
                path: "/RecordType".into(),
                note: "inbound messages have no RecordType and are typed Inbound".into(),
            },
            presets: vec![],
            fetch_origins: vec![],
        }
    }

    fn verify(request: Request, context: Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let (user, password) =
            basic_auth(request.require_header("Authorization")?).ok_or_else(|| {
                VerifyError::Malformed("Authorization is not Basic user:password".into())
            })?;
        token_matches_any(secrets, &format!("{user}:{password}"))
            .map_err(|_| VerifyError::Unauthorized("Basic credentials do not match".into()))
    }

    fn handle(request: Request, _context: Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        if !body.is_object() {
            return Err(HandleError::Malformed("body is not a JSON object".into()));
        }
        let record_type = match json_string(&body, "/RecordType") {
            Some(t) if !t.is_empty() => t,
            _ if body.get("FromFull").is_some() => "Inbound".to_string(),
            _ => return Err(HandleError::Malformed("no RecordType".into())),
        };
        let dedup_id = match record_type.as_str() {
            "Bounce" | "SpamComplaint" => {
                json_string(&body, "/ID").map(|id| format!("{record_type}:{id}"))
            }
            _ => None,
        };
        let occurred_at = [
            "/DeliveredAt",
            "/BouncedAt",
            "/ReceivedAt",
            "/ChangedAt",
            "/Date",
        ]
        .iter()
        .find_map(|p| json_string(&body, p).and_then(|t| iso8601_to_ms(&t)));
        Ok(Outcome::Events(vec![Event {
            event_type: record_type,
            dedup_id,
            occurred_at,
            subject: json_string(&body, "/MessageID").filter(|id| !id.is_empty()),
            data: body.to_string(),
        }]))
    }

    fn sign(input: SignInput) -> Result<SignedRequest, String> {
        if !input.secret.contains(':') {
            return Err("the Postmark secret is user:password".into());
        }
        Ok(SignedRequest {
            method: "POST".into(),
            url: input.url,
            headers: vec![
                Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                },
                Header {
                    name: "Authorization".into(),
                    value: format!("Basic {}", base64_encode(input.secret.as_bytes())),
                },
            ],
            body: input.body,
        })
    }
}

hookyard_sdk::export_adapter!(Postmark);
