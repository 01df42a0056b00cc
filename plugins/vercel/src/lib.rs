//! Vercel webhooks: `x-vercel-signature: <hex HMAC-SHA1(secret, raw body)>`
//! (vercel.com/docs/webhooks, "Securing webhooks", and the request-headers
//! reference: `crypto.createHmac('sha1', secret).update(rawBody).digest('hex')`).
//!
//! What to paste: for an account webhook (team Settings → Webhooks, Pro and
//! Enterprise), the secret Vercel shows once right after the webhook is
//! created; for an integration's webhook, the integration's Client Secret
//! (Integration Console → the integration → Client Secret). Vercel signs no
//! timestamp and there is no handshake.
//!
//! The body is `{"id", "type", "createdAt", "region", "payload"}`: the event
//! type is `type`, the dedup id `id` (the delivery's event id), the time
//! `createdAt` (Unix milliseconds), the subject the deployment's id, else the
//! project's. Rotating: Vercel shows an account webhook's secret only once, so
//! to move to a new one without losing deliveries create a second webhook, add
//! its secret here next to the first, then delete the old webhook and remove
//! its secret (both secrets verify meanwhile).
//!
//! Catalog: the 112 names of the REST API's Create-a-webhook `events` enum
//! (see `events.txt`), legacy integration names included.

use hookyard_sdk::prelude::*;

pub struct Vercel;

impl Declared for Vercel {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("vercel", "Vercel", "Vercel deployment, project, domain, integration and team events")
            .docs("https://vercel.com/docs/webhooks")
            .secret("Webhook secret", "Account webhook: the secret Vercel shows once after you create the webhook (team Settings → Webhooks). Integration webhook: the integration's Client Secret (Integration Console). Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("x-vercel-signature", Hmac::Sha1, Encoding::Hex),
    )
    .dedup_id(Field::pointer("/id"))
    .subject(Field::first(&[
        Field::pointer("/payload/deployment/id"),
        Field::pointer("/payload/project/id"),
    ]))
    .time(Time::unix_millis("/createdAt"));
}

hookyard_sdk::export_adapter!(Vercel);
