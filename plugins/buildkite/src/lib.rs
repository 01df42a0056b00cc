//! Buildkite webhooks: `X-Buildkite-Signature: timestamp=<unix seconds>,signature=<hex
//! HMAC-SHA256(token, "{timestamp}.{raw body}")>` (buildkite.com/docs/apis/webhooks/pipelines,
//! "Webhook signature" and "Verifying HMAC signatures"; the same for Package
//! Registries webhooks). The timestamp is when the request was dispatched;
//! Buildkite suggests a window such as 5 minutes, the default here
//! (`tolerance_seconds` changes it).
//!
//! What to paste: the webhook's Token (Settings → Notification Services → the
//! Webhook → Token), with the token's header setting on `X-Buildkite-Signature`:
//! the plain `X-Buildkite-Token` mode sends the token itself and is refused here
//! as a missing signature. Rotating: add the new token here, change it on the
//! webhook, then remove the old one. There is no handshake (`ping`, sent when
//! the settings change, is an ordinary signed event).
//!
//! The event type is the body's `event` (also `X-Buildkite-Event`), the
//! subject the pipeline's slug, else the agent's or package's id. Buildkite
//! sends no event id, so deliveries are deduplicated on the body's hash; the
//! payload's times depend on the event, so none is read (the event time is
//! when it arrived).

use hookyard_sdk::prelude::*;

const SIGNATURE: Timestamped = Timestamped {
    keys: ("timestamp", "signature"),
    tolerance_note: "Largest accepted difference between the signed dispatch timestamp and now (Buildkite suggests a window such as 5 minutes)",
    ..Scheme::stripe_like("X-Buildkite-Signature")
};

pub struct Buildkite;

impl Declared for Buildkite {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("buildkite", "Buildkite", "Buildkite build, job, agent, agent token and package events")
            .docs("https://buildkite.com/docs/apis/webhooks/pipelines")
            .secret("Webhook token", "The Token of the Webhook notification service (Settings → Notification Services → the webhook), sent as X-Buildkite-Signature. Paste it as shown.")
            .events_file(include_str!("../events.txt")),
        &SIGNATURE,
    )
    .event_type(Field::first(&[Field::pointer("/event"), Field::header("X-Buildkite-Event")]))
    .subject(Field::first(&[
        Field::pointer("/pipeline/slug"),
        Field::pointer("/agent/id"),
        Field::pointer("/package/id"),
    ]));
}

hookyard_sdk::export_adapter!(Buildkite);
