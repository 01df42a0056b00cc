//! Twitch EventSub over webhooks: `Twitch-Eventsub-Message-Signature:
//! sha256=<hex HMAC-SHA256(secret, message id + message timestamp + raw
//! body)>`, with `Twitch-Eventsub-Message-Id` and `-Timestamp` (RFC 3339,
//! nanoseconds). Twitch asks receivers to reject messages older than 10
//! minutes, so the tolerance is 600 s (`tolerance_seconds`), and to
//! deduplicate on the message id, which is the dedup id (retries keep it).
//! `Twitch-Eventsub-Message-Type` decides: `webhook_callback_verification` is
//! answered 200 `text/plain` with the raw `challenge` (after the signature
//! verified); `notification` becomes an event typed by the subscription type
//! (`channel.follow`, `stream.online`, ...); `revocation` becomes an event
//! typed `revocation` (its `subscription.status` says why: `user_removed`,
//! `authorization_revoked`, `notification_failures_exceeded`, ...). The subject
//! is the broadcaster (or user) id. The secret is the `transport.secret` you
//! chose when creating the subscription; each subscription may have its own,
//! so list every one in use as active secrets, and rotate by re-creating
//! subscriptions with the new secret while both are active.

use hookyard_sdk::mapping::Source;
use hookyard_sdk::prelude::*;

pub struct Twitch;

const MESSAGE_TYPE: &str = "Twitch-Eventsub-Message-Type";
const SUBSCRIPTION_TYPE: &str = "Twitch-Eventsub-Subscription-Type";

impl Declared for Twitch {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("twitch", "Twitch EventSub", "Twitch EventSub notifications delivered over webhooks")
            .docs("https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message")
            .secret("Subscription secret", "The transport.secret (10–100 ASCII characters) your app sends in the Create EventSub Subscription request (POST https://api.twitch.tv/helix/eventsub/subscriptions, transport.method \"webhook\", transport.callback = this source's URL). Twitch never shows it: use the value your code sends. It is not the app's Client Secret.")
            .events_file(include_str!("../events.txt"))
            .discriminator(DiscriminatorLocation::Header, SUBSCRIPTION_TYPE)
            .discriminator_note("for notification messages (body /subscription/type); revocation messages are typed revocation"),
        &Scheme::timestamp_then_body("Twitch-Eventsub-Message-Signature", "Twitch-Eventsub-Message-Timestamp", Hmac::Sha256, Encoding::Hex)
            .prefixed("sha256=").id_first("Twitch-Eventsub-Message-Id").precision(Precision::Nanos).tolerance(600)
            .tolerance_note("Largest accepted difference, in seconds and in either direction, between Twitch-Eventsub-Message-Timestamp and the host clock; default 600 (Twitch asks to reject messages older than 10 minutes)"),
    )
    .event_type(Field::first(&[
        Field::custom(|s| (s.request.header(MESSAGE_TYPE) == Some("revocation")).then(|| "revocation".into())),
        Field::header(SUBSCRIPTION_TYPE),
        Field::pointer("/subscription/type"),
    ]))
    .dedup_id(Field::header("Twitch-Eventsub-Message-Id"))
    .subject(Field::first(&[
        Field::pointer("/event/broadcaster_user_id"),
        Field::pointer("/event/user_id"),
        Field::pointer("/subscription/condition/broadcaster_user_id"),
        Field::pointer("/subscription/condition/user_id"),
    ]))
    .time(Time::Custom(|s| s.request.header("Twitch-Eventsub-Message-Timestamp").and_then(rfc3339_to_ms)))
    .sign_headers(&[("Twitch-Eventsub-Message-Retry", "0")])
    // The message type, subscription type and version Twitch sends with each.
    .sent_headers(&[
        (MESSAGE_TYPE, Sent::field(Field::custom(message_type))),
        (SUBSCRIPTION_TYPE, Sent::type_or(SENT_SUBSCRIPTION_TYPE)),
        ("Twitch-Eventsub-Subscription-Version", Sent::field(SENT_VERSION)),
    ])
    // The callback verification, answered after the signature verified.
    .handshake(
        Handshake::echo(Field::pointer("/challenge"))
            .when(Field::header(MESSAGE_TYPE), "webhook_callback_verification"),
    );

    /// Unknown message types are refused.
    fn handle(request: &Request, context: &Context) -> Result<Outcome, HandleError> {
        match request.header(MESSAGE_TYPE) {
            None | Some("notification" | "revocation" | "webhook_callback_verification") => {
                Self::DECLARATION.handle_in(request, context)
            }
            Some(other) => Err(HandleError::Malformed(format!(
                "unknown {MESSAGE_TYPE} {other}"
            ))),
        }
    }
}

/// The subscription type and version `sign` sends when the body has none.
const SENT_SUBSCRIPTION_TYPE: Field = Field::first(&[
    Field::pointer("/subscription/type"),
    Field::fixed("channel.follow"),
]);
const SENT_VERSION: Field =
    Field::first(&[Field::pointer("/subscription/version"), Field::fixed("1")]);

/// The message type of a body `sign` sends: a challenge is a verification,
/// a subscription no longer enabled a revocation.
fn message_type(source: &Source) -> Option<String> {
    let status = json_string(source.body, "/subscription/status");
    Some(match status {
        _ if source.body.get("challenge").is_some() => "webhook_callback_verification".into(),
        Some(status) if status != "enabled" => "revocation".into(),
        _ => "notification".into(),
    })
}

hookyard_sdk::export_adapter!(Twitch);
