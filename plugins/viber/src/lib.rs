//! Viber bot callbacks (REST Bot API): `X-Viber-Content-Signature: <hex
//! HMAC-SHA256(authentication token, raw body)>`, no prefix (Viber's REST Bot
//! API reference, "Callbacks"; the official viberbot and viber-bot libraries'
//! `verify_signature` / middleware compute exactly this).
//!
//! Paste the bot's authentication token ("app key": Viber → More → Settings
//! → Bots → Edit Info → Your app key, or the Viber Admin Panel) as this
//! source's secret, and set this source's URL as the bot's webhook with
//! `POST https://chatapi.viber.com/pa/set_webhook` (`{"url": …,
//! "event_types": […]}`). The token both calls Viber's API and signs the
//! callbacks; Viber issues a new one only on request (a compromised token):
//! add the new one here next to the old one until no retried callback signed
//! with the old one is left (Viber retries for up to an hour).
//!
//! Handshake: right after `set_webhook` Viber posts a `webhook` callback and
//! expects a 200; it is signed like every callback, so it is verified and
//! stored as an event of type `webhook` (the host answers it 2xx).
//!
//! Events: the type is `event`, the dedup id `message_token` (the message or
//! callback's unique id, kept on retries), the subject the user (`user.id`,
//! `user_id` or the message's `sender.id`), the time `timestamp` (Unix
//! milliseconds). No timestamp is signed, so no tolerance applies.
//!
//! Catalog: the eight callbacks of Viber's reference (see `events.txt`).

use hookyard_sdk::prelude::*;

pub struct Viber;

impl Declared for Viber {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("viber", "Viber", "Viber bot callbacks: messages, subscriptions, conversations and delivery receipts")
            .docs("https://developers.viber.com/docs/api/rest-bot-api/#callbacks")
            .secret("Authentication token", "The bot's authentication token (app key): Viber → More → Settings → Bots → Edit Info → Your app key, or the Viber Admin Panel. It signs every callback.")
            .events_file(include_str!("../events.txt")),
        &Scheme::body_hmac("X-Viber-Content-Signature", Hmac::Sha256, Encoding::Hex),
    )
    .event_type(Field::pointer("/event"))
    .dedup_id(Field::pointer("/message_token"))
    .subject(Field::first(&[
        Field::pointer("/user/id"),
        Field::pointer("/user_id"),
        Field::pointer("/sender/id"),
    ]))
    .time(Time::unix_millis("/timestamp"));
}

hookyard_sdk::export_adapter!(Viber);
