//! Intercom webhooks: `X-Hub-Signature: sha1=<hex HMAC-SHA1(client secret, body)>`
//! over the raw JSON notification, keyed with the app's client secret.
//!
//! The body is a `notification_event`: the event type is its `topic`
//! (`conversation.user.created`), the dedup id its `id` (`notif_…`, the same on
//! every retry), `created_at` (Unix seconds) when it happened and the subject
//! the id of `data.item`. Intercom signs no timestamp, so replay protection
//! rests on the notification id. There is no handshake: when a subscription is
//! saved Intercom sends an ordinary signed notification with the `ping` topic.
//! Rotation: add the new client secret here before regenerating it in the
//! Developer Hub, and keep the old one active until deliveries signed with it
//! (retries included) have drained.

use hookyard_sdk::prelude::*;

pub struct Intercom;

impl Declared for Intercom {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("intercom", "Intercom", "Intercom workspace notifications (conversations, contacts, companies, tickets)")
            .docs("https://developers.intercom.com/docs/webhooks/setting-up-webhooks")
            .secret("Client secret", "Your Intercom app's client secret: Developer Hub (app.intercom.com/a/apps/_/developer-hub) → your app → Configure → Basic information → App credentials → Client secret. It is the key Intercom signs X-Hub-Signature with.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Hub-Signature", Hmac::Sha1, Encoding::Hex).prefixed("sha1="),
    )
    .event_type(Field::pointer("/topic"))
    .dedup_id(Field::pointer("/id"))
    .subject(Field::pointer("/data/item/id"))
    .time(Time::unix_seconds("/created_at"))
    .user_agent("intercom-parrot-service-client/1.0")
    .sign_headers(&[("Accept", "application/json")]);
}

hookyard_sdk::export_adapter!(Intercom);
