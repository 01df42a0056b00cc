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
    .sign_headers(&[("Twitch-Eventsub-Message-Retry", "0")]);

    /// The callback verification handshake; unknown message types refused.
    fn handle(request: &Request, _context: &Context) -> Result<Outcome, HandleError> {
        let body = request.json()?;
        match request.header(MESSAGE_TYPE).unwrap_or("notification") {
            "notification" | "revocation" => Ok(Outcome::Events(
                Self::DECLARATION.mapping.events_in(request, &body)?,
            )),
            "webhook_callback_verification" => {
                let challenge = json_string(&body, "/challenge").ok_or_else(|| {
                    HandleError::Malformed("verification message has no challenge".into())
                })?;
                let content_type = Header {
                    name: "Content-Type".into(),
                    value: "text/plain".into(),
                };
                Ok(Outcome::Respond(DirectResponse {
                    status: 200,
                    headers: vec![content_type],
                    body: challenge.into_bytes(),
                }))
            }
            other => Err(HandleError::Malformed(format!(
                "unknown {MESSAGE_TYPE} {other}"
            ))),
        }
    }

    /// The message type, subscription type and version Twitch sends with each.
    fn sign(input: &SignInput) -> Result<SignedRequest, String> {
        let body: Value = hookyard_sdk::serde_json::from_slice(&input.body)
            .map_err(|e| format!("an EventSub body is JSON: {e}"))?;
        let (message_type, subscription_type) = if body.get("challenge").is_some() {
            ("webhook_callback_verification", None)
        } else if json_string(&body, "/subscription/status")
            .is_some_and(|status| status != "enabled")
        {
            ("revocation", None)
        } else {
            ("notification", input.event_type.clone())
        };
        let subscription_type =
            subscription_type.or_else(|| json_string(&body, "/subscription/type"));
        let version = json_string(&body, "/subscription/version").unwrap_or_else(|| "1".into());
        Ok(SignedRequestBuilder::from(Self::DECLARATION.sign(input)?)
            .header(MESSAGE_TYPE, message_type)
            .header(
                SUBSCRIPTION_TYPE,
                subscription_type.unwrap_or_else(|| "channel.follow".into()),
            )
            .header("Twitch-Eventsub-Subscription-Version", version)
            .build())
    }
}

hookyard_sdk::export_adapter!(Twitch);
