//! Ghost webhooks (posts, pages, tags, members, site changes): `X-Ghost-Signature:
//! sha256=<hex>, t=<ms>`, the hex HMAC-SHA256 keyed with the webhook's secret
//! over the raw body followed directly by the timestamp (Unix milliseconds),
//! as Ghost's `webhook-trigger.js` computes it. Ghost signs only webhooks that
//! have a secret, so give yours one. It documents no replay window; the
//! timestamp must be within 300 s of the host clock (`tolerance_seconds`;
//! Ghost retries a failed delivery up to 5 times within about a minute, with
//! the same header). There is no handshake.
//!
//! What to paste: the secret you typed in the webhook's "Secret" field
//! (Ghost Admin → Settings → Advanced → Integrations → your custom integration
//! → Add webhook; or `secret` in the Admin API's `POST /admin/webhooks/`).
//! Rotating: add the new secret here, change it on the webhook, then remove
//! the old one.
//!
//! Each Ghost webhook has one event, and the body does not name it: the body is
//! `{"post": {"current": {…}, "previous": {…}}}` (`page`, `tag`, `member`
//! likewise) and `{}` for `site.changed`. So end the webhook's target URL with
//! `?event=<its event>` (`…?event=post.published`): the event type is that
//! query parameter, else `site.changed` for an empty body, else the body's
//! resource (`post`, `page`, `tag`, `member`). Ghost sends no delivery id
//! (events are deduplicated on the body's hash); the subject is the resource's
//! `current.id`, the time its `current.updated_at`. Catalog: `events.txt`.

use hookyard_sdk::mapping::Source;
use hookyard_sdk::prelude::*;
use hookyard_sdk::scheme::{tolerance, tolerance_setting};

pub struct Ghost;

const HEADER: &str = "X-Ghost-Signature";

struct GhostSignature;

fn mac(secret: &str, body: &[u8], timestamp: &str) -> Vec<u8> {
    crypto::hmac_sha256(secret.as_bytes(), &[body, timestamp.as_bytes()].concat())
}

impl SigningScheme for GhostSignature {
    fn verify(&self, request: &Request, context: &Context) -> Result<(), VerifyError> {
        let secrets = context.require_secrets()?;
        let tolerance = tolerance(context, 300)?;
        let header = TimestampedHeader::from_request(request, HEADER, (',', '='), ("t", "sha256"))?;
        if !header.timestamp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VerifyError::Malformed(format!("{HEADER} t must be digits")));
        }
        let sent_ms = header.parsed_timestamp()?;
        let signatures = header.signatures.iter().map(|s| hex_decode(s));
        let signatures = signatures
            .collect::<Result<Vec<_>, _>>()
            .map_err(VerifyError::Malformed)?;
        if signatures.is_empty() {
            return Err(VerifyError::MissingSignature(format!("{HEADER} sha256")));
        }
        any_secret(secrets, &signatures, |secret| {
            mac(secret, &request.body, &header.timestamp)
        })?;
        check_timestamp_ms(sent_ms, context.now_ms, tolerance)
    }

    fn sign(
        &self,
        input: &SignInput,
        request: SignedRequestBuilder,
    ) -> Result<SignedRequestBuilder, String> {
        let t = input.now_ms.to_string();
        let signature = hex_encode(&mac(&input.secret, &input.body, &t));
        Ok(request.header(HEADER, format!("sha256={signature}, t={t}")))
    }

    fn settings(&self) -> Vec<(&'static str, Value)> {
        vec![tolerance_setting(
            300,
            "Largest accepted age of the signed timestamp, either way (Ghost documents none)",
        )]
    }
}

/// `site.changed` for the empty body, else the resource the body is about.
fn resource(source: &Source) -> Option<String> {
    let body = source.body.as_object()?;
    match body.keys().next() {
        None => Some("site.changed".into()),
        Some(key) => Some(key.clone()),
    }
}

impl Declared for Ghost {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("ghost", "Ghost", "Ghost posts, pages, tags, members and site changes")
            .docs("https://docs.ghost.org/webhooks")
            .secret("Webhook secret", "The secret you typed in the webhook's Secret field (Ghost Admin → Settings → Advanced → Integrations → your custom integration → the webhook). Ghost signs only webhooks with a secret. End the webhook's target URL with ?event=<its event> so events get their type.")
            .events_file(include_str!("../events.txt"))
            .discriminator_note("the webhook's event, from the ?event= query parameter of its target URL; else site.changed for {}, else the body's resource"),
        &GhostSignature,
    )
    .event_type(Field::first(&[Field::query("event"), Field::custom(resource)]))
    .subject(Field::first(&[
        Field::pointer("/post/current/id"),
        Field::pointer("/page/current/id"),
        Field::pointer("/tag/current/id"),
        Field::pointer("/member/current/id"),
    ]))
    .time(Time::first(&[
        Time::rfc3339("/post/current/updated_at"),
        Time::rfc3339("/page/current/updated_at"),
        Time::rfc3339("/tag/current/updated_at"),
        Time::rfc3339("/member/current/updated_at"),
    ]))
    .user_agent("Ghost/6.0.0 (https://github.com/TryGhost/Ghost)");
}

hookyard_sdk::export_adapter!(Ghost);
