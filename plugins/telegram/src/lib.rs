//! Telegram Bot API webhooks: Telegram signs nothing; instead `setWebhook`'s
//! `secret_token` (1–256 characters of `A-Z a-z 0-9 _ -`) comes back verbatim in
//! the `X-Telegram-Bot-Api-Secret-Token` header of every update, and is compared
//! with the active secrets in constant time (a mismatch is `unauthorized`).
//! The body is one `Update` object: `update_id` plus exactly one optional field
//! naming its kind (`message`, `callback_query`, `my_chat_member`, ...), which
//! becomes the event type; `update_id` is the dedup id (Telegram resends the
//! same update until it gets a 2xx). The subject is the chat id, or the sender's
//! user id for updates without a chat (inline queries, callback queries from
//! inline messages). There is no handshake and no timestamp; the body is not
//! signed, so keep the webhook URL on HTTPS. To rotate, add the new token as a
//! second secret, call `setWebhook` with the new `secret_token`, then remove the
//! old one.

use hookyard_sdk::prelude::*;

pub struct Telegram;

/// The kind of an update: its one field besides `update_id`.
fn update_kind(update: &Value) -> Option<&str> {
    update
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|key| *key != "update_id")
}

impl Declared for Telegram {
    const DECLARATION: Declaration = Declaration::new(
        hookyard_sdk::manifest!("telegram", "Telegram", "Telegram Bot API updates delivered by setWebhook")
            .docs("https://core.telegram.org/bots/api#setwebhook")
            .secret("Secret token", "The secret_token you pass to the Bot API's setWebhook method (1–256 characters: A–Z, a–z, 0–9, _ and -). Telegram shows it nowhere: choose a random value, call https://api.telegram.org/bot<bot token>/setWebhook?url=<this source's URL>&secret_token=<value>, and paste the same value here. It is not the bot token from @BotFather.")
            .events_file(include_str!("../events.txt"))
            .discriminator(DiscriminatorLocation::Body, "")
            .discriminator_note("the name of the Update's one field besides update_id, e.g. message or callback_query"),
        &Scheme::token_header("X-Telegram-Bot-Api-Secret-Token"),
    )
    .event_type(Field::custom(|s| update_kind(s.record).map(str::to_string)))
    .dedup_id(Field::pointer("/update_id"))
    // The chat the update belongs to, else the user who caused it.
    .subject(Field::custom(|s| {
        let payload = &s.record[update_kind(s.record)?];
        ["/chat/id", "/message/chat/id", "/from/id", "/user/id"]
            .iter()
            .find_map(|pointer| json_string(payload, pointer))
    }))
    .time(Time::Custom(|s| {
        let seconds = s.record[update_kind(s.record)?].get("date")?.as_i64()?;
        Some(seconds * 1000)
    }));
}

hookyard_sdk::export_adapter!(Telegram);
