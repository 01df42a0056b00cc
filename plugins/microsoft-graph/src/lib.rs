//! Microsoft Graph change notifications (webhooks): Graph signs nothing;
//! every notification in the body's `value[]` carries the `clientState` given
//! when the subscription was created, and each must equal an active secret
//! (compared in constant time; any mismatch rejects the whole request as
//! `unauthorized`, a missing one as `missing-signature`). The handshake is the
//! endpoint validation Graph sends when a subscription is created or renewed:
//! a request (normally an empty `POST`) with `?validationToken=…`, answered
//! within 10 s with 200 `text/plain` and the decoded token. It carries no
//! clientState, so it is answered on any source with a secret configured
//! (fail closed). Each notification becomes one event typed by its
//! `changeType` (`created`, `updated`, `deleted`) or, for lifecycle
//! notifications, its `lifecycleEvent` (`reauthorizationRequired`,
//! `subscriptionRemoved`, `missed`); the subject is its `resource`. Graph
//! sends no notification id, so the dedup id is the SHA-256 of the
//! notification's JSON (a redelivery repeats it). Rich notifications'
//! `validationTokens` (JWTs) are not checked. To rotate, renew subscriptions
//! with a new clientState while both values are active secrets.

use hookyard_sdk::prelude::*;

pub struct MicrosoftGraph;

impl Declared for MicrosoftGraph {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("microsoft-graph", "Microsoft Graph", "Microsoft Graph change and lifecycle notifications (Outlook, Teams, OneDrive, Entra ID, ...)")
            .docs("https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks")
            .secret("Client state", "The clientState (up to 128 characters) your app sets when it creates the subscription (POST https://graph.microsoft.com/v1.0/subscriptions with notificationUrl = this source's URL, and lifecycleNotificationUrl too if you want lifecycle events). Microsoft never shows it: choose a random value and paste the same one here.")
            .events_file(include_str!("../events.txt"))
            .discriminator(DiscriminatorLocation::Body, "/value/*/changeType")
            .discriminator_note("one event per value[] notification; lifecycle notifications: /value/*/lifecycleEvent"),
        // Graph signs nothing: every notification carries the subscription's clientState.
        &Scheme::body_token("/clientState").each("/value"),
    )
    .each("/value")
    .event_type(Field::first(&[Field::pointer("/lifecycleEvent"), Field::pointer("/changeType")]))
    // Graph sends no id: the notification's own hash.
    .dedup_id(Field::custom(|s| {
        Some(format!("sha256:{}", hex_encode(&crypto::sha256(s.record.to_string().as_bytes()))))
    }))
    .subject(Field::pointer("/resource"))
    .content_type("application/json; charset=utf-8")
    // The subscription's validation request is unsigned and echoed.
    .handshake(
        Handshake::echo(Field::query("validationToken"))
            .unsigned()
            .headers(&[("X-Content-Type-Options", "nosniff")]),
    );
}

hookyard_sdk::export_adapter!(MicrosoftGraph);
