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

const TOPICS: &[(&str, &str)] = &[
    ("admin.away_mode_updated", "A teammate's away mode changed"),
    ("company.created", "A company was created"),
    ("company.updated", "A company was updated"),
    ("company.deleted", "A company was deleted"),
    ("contact.created", "A lead was created"),
    ("contact.deleted", "A lead was deleted"),
    ("contact.signed_up", "A lead converted to a user"),
    ("contact.added_email", "A lead added an email address"),
    ("contact.tag.created", "A lead was tagged"),
    ("contact.tag.deleted", "A lead was untagged"),
    (
        "conversation.user.created",
        "A user or lead started a conversation",
    ),
    ("conversation.user.replied", "A user or lead replied"),
    ("conversation.admin.replied", "A teammate replied"),
    (
        "conversation.admin.single.created",
        "A teammate started a 1:1 conversation",
    ),
    ("conversation.admin.assigned", "A conversation was assigned"),
    ("conversation.admin.noted", "A teammate added a note"),
    (
        "conversation.admin.closed",
        "A teammate closed a conversation",
    ),
    (
        "conversation.admin.opened",
        "A teammate opened a conversation",
    ),
    (
        "conversation.admin.snoozed",
        "A teammate snoozed a conversation",
    ),
    (
        "conversation.admin.unsnoozed",
        "A teammate unsnoozed a conversation",
    ),
    ("conversation.deleted", "A conversation was deleted"),
    ("conversation.rating.added", "A conversation was rated"),
    (
        "conversation_part.tag.created",
        "A conversation part was tagged",
    ),
    ("event.created", "A data event was submitted"),
    ("ticket.created", "A ticket was created"),
    ("user.created", "A user was created"),
    ("user.deleted", "A user was archived"),
    ("user.email.updated", "A user's email address changed"),
    ("user.tag.created", "A user was tagged"),
    ("user.tag.deleted", "A user was untagged"),
    ("user.unsubscribed", "A user unsubscribed from email"),
    ("visitor.signed_up", "A visitor converted to a user"),
    (
        "ping",
        "Sent when a subscription is saved or pinged; always subscribed",
    ),
];

impl Declared for Intercom {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("intercom", "Intercom", "Intercom workspace notifications (conversations, contacts, companies, tickets)")
            .docs("https://developers.intercom.com/docs/webhooks/setting-up-webhooks")
            .secret("Client secret", "Your Intercom app's client secret: Developer Hub (app.intercom.com/a/apps/_/developer-hub) → your app → Configure → Basic information → App credentials → Client secret. It is the key Intercom signs X-Hub-Signature with.")
            .events(TOPICS),
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
