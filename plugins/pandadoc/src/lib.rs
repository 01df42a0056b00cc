//! PandaDoc webhooks (documents, recipients, quotes, templates, content
//! library items): PandaDoc appends `?signature=<hex HMAC-SHA256(shared key,
//! raw body)>` to the endpoint URL of every delivery
//! (developers.pandadoc.com/docs/webhook-verification). No timestamp is
//! signed (a captured request can be replayed; deduplication catches
//! repeats), and the signature rides in the URL, so access logs in front of
//! the gateway see it.
//!
//! What to paste: the webhook subscription's shared key, from PandaDoc's
//! Developer Dashboard (Dev Center → Webhooks → the subscription → Shared key).
//! Rotating: add the new key here as soon as PandaDoc shows it (both are
//! accepted), then remove the old one. There is no handshake.
//!
//! The body is a JSON array of notifications `[{event, data}, …]`, one event
//! each: the type is `event`, the subject the document, template or item
//! (`data.id`), the time `data.date_modified` (else `data.date_created`), the
//! dedup id the `X-PandaDoc-Webhook-Event-Id` header (stable across retries)
//! joined with the notification's type, object id, status and modification
//! time (a delivery may hold several notifications; without the header, those
//! parts alone). Catalog: `events.txt`,
//! the 13 triggers of PandaDoc's OpenAPI `WebhookEventTrigger`.

use hookyard_sdk::prelude::*;

/// `?signature=` hex HMAC-SHA256 of the raw body, any configured key.
pub struct QuerySignature;

const PARAM: &str = "signature";

impl SigningScheme for QuerySignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let presented = request
            .query_param(PARAM)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| VerifyError::MissingSignature("signature query parameter".into()))?;
        let presented = hex_decode(&presented)
            .map_err(|e| VerifyError::Malformed(format!("signature query parameter: {e}")))?;
        any_secret(secrets, &[presented], |key| {
            crypto::hmac_sha256(key.as_bytes(), &request.body)
        })
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let signature = hex_encode(&crypto::hmac_sha256(input.secret.as_bytes(), &input.body));
        let joiner = if input.url.contains('?') { '&' } else { '?' };
        Ok(request.url(format!("{}{joiner}{PARAM}={signature}", input.url)))
    }
}

pub struct PandaDoc;

impl Declared for PandaDoc {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("pandadoc", "PandaDoc", "PandaDoc documents, recipients, quotes, templates and content library items")
            .docs("https://developers.pandadoc.com/docs/webhook-verification")
            .secret("Shared key", "The webhook subscription's shared key: PandaDoc Developer Dashboard (Dev Center) → Webhooks → the subscription → Shared key. Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &QuerySignature,
    )
    .each("")
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::first(&[
        Field::joined(
            &[
                Field::header("X-PandaDoc-Webhook-Event-Id"),
                Field::pointer("/event"),
                Field::pointer("/data/id"),
                Field::pointer("/data/status"),
                Field::pointer("/data/date_modified"),
            ],
            ":",
        ),
        Field::joined(
            &[
                Field::pointer("/event"),
                Field::pointer("/data/id"),
                Field::pointer("/data/status"),
                Field::pointer("/data/date_modified"),
            ],
            ":",
        ),
    ]))
    .subject(Field::pointer("/data/id"))
    .time(Time::first(&[
        Time::iso8601("/data/date_modified"),
        Time::iso8601("/data/date_created"),
    ]));
}

hookyard_sdk::export_adapter!(PandaDoc);
